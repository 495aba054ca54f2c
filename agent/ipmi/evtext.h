/*
 * Words for sensor types, event offsets and units, IPMI v2.0 tables 42-2
 * (generic event/reading types), 42-3 (sensor types and sensor-specific
 * offsets) and 43-15 (unit type codes).  Shared by the sensor sweep and
 * the SEL decoder.  Pure tables: no I/O, no globals beyond const data.
 */
#ifndef EVTEXT_H
#define EVTEXT_H

#include <stdint.h>

/* event/reading type classes, table 42-1 */
#define EVTEXT_UNSPECIFIED	0x00
#define EVTEXT_THRESHOLD	0x01
#define EVTEXT_GENERIC_FIRST	0x02
#define EVTEXT_GENERIC_LAST	0x0c
#define EVTEXT_SPECIFIC		0x6f
#define EVTEXT_OEM_FIRST	0x70
#define EVTEXT_OEM_LAST		0x7f

/* Sensor type name, table 42-3 ("Temperature", "Power Supply"); "OEM
 * reserved" for C0h-FFh, "Unknown" otherwise.  Never NULL. */
const char	*evtext_sensor_type(uint8_t type);
/* Entity ID name, table 43-13 ("Processor", "Power Supply"); ranges
 * of chassis, board-set and OEM codes by their range; never NULL. */
const char	*evtext_entity(uint8_t id);
/* Sensor type code from its name, case-insensitive, '_' matching ' '
 * ("power_supply"), or -1. */
int		 evtext_sensor_type_parse(const char *);

/*
 * Text of one event offset (0..14):
 *   event_type 01h          threshold offsets ("Upper Critical going high")
 *   event_type 02h-0Ch      generic offsets ("Device Present")
 *   event_type 6Fh          sensor-specific offsets of sensor_type
 * NULL when the offset is not defined.
 */
const char	*evtext_offset(uint8_t event_type, uint8_t sensor_type,
		    uint8_t offset);

/* Unit name, table 43-15 ("degrees C", "RPM"), NULL if out of range. */
const char	*evtext_unit(uint8_t unit);
/* Rate unit suffix, section 43.1 byte 21 [5:3]: "" for none, else
 * "per second" ...; NULL for reserved codes. */
const char	*evtext_rate(uint8_t rate);

#endif
