/*
 * Sensor severity policy: every threshold state and discrete offset maps
 * to ok / warning / critical / nonrecoverable through a built-in table in
 * the spirit of FreeIPMI's interpret-sensor config, which a config file
 * can override per sensor type + offset and per sensor (name glob or
 * number), and which can exclude sensors.  "Entity Absent" / "Device
 * Absent" are not faults unless configured so.
 *
 * Config grammar, one rule per line, '#' comments, "quoted" words:
 *	type TYPE [event EVT] offset N LEVEL
 *	sensor PATTERN [event EVT] offset N LEVEL
 *	exclude PATTERN
 * TYPE is a sensor type number or name (Power_Supply, "Drive Slot");
 * EVT an event/reading type (default 6Fh for type rules, any for sensor
 * rules; 01h addresses threshold offsets, e.g. offset 7 = upper
 * non-critical going high); PATTERN a glob on the sensor name or #N for
 * a sensor number; LEVEL ok|warning|critical|nonrecoverable.  The last
 * matching line wins; sensor rules beat type rules.
 */
#ifndef SEVERITY_H
#define SEVERITY_H

#include <stddef.h>
#include <stdint.h>

#include "sensor.h"

#define SEVERITY_MAX_RULES	1024

struct severity;

/* the built-in table only */
struct severity	*severity_new(void);
void		 severity_free(struct severity *);
/*
 * Add the rules of a file.  All or nothing: on any error nothing is
 * added and err holds "file:line: message".  0 or -1.
 */
int		 severity_load(struct severity *, const char *path, char *err,
		    size_t errlen);
/* one line (for tests): 0, or -1 with the message (no file:line) */
int		 severity_parse_line(struct severity *, const char *line,
		    char *err, size_t errlen);

/* sensor excluded from sweeps and output */
int		 severity_excluded(const struct severity *, const char *name,
		    uint8_t number);
/* severity of one asserted offset */
enum sensor_sev	 severity_offset(const struct severity *, const char *name,
		    uint8_t number, uint8_t sensor_type, uint8_t event_type,
		    uint8_t offset);
/* severity of a threshold sensor from its comparison bits (bit n =
 * SDR_THR_n), through the threshold offsets 0-11 */
enum sensor_sev	 severity_threshold(const struct severity *,
		    const char *name, uint8_t number, uint8_t sensor_type,
		    uint8_t bits);
/* built-in value only (for tests and documentation) */
enum sensor_sev	 severity_builtin(uint8_t sensor_type, uint8_t event_type,
		    uint8_t offset);

#endif
