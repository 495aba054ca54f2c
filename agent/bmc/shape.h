/*
 * The shapes of the BMC model as people and programs read them: the JSON
 * members and the text lines of `bmcwatch sensors`, `chassis status`,
 * `watchdog get` and `info`.  The CLI (talking to a BMC) and bmcwatchd's
 * control socket (answering from its store) both print through here, so
 * the two can never drift apart: the socket's JSON is the CLI's plus its
 * "target", "age_s" and "stale".
 *
 * The _json functions write members into an object the caller has
 * opened (json_obj_begin), so that a caller may add its own members; the
 * per-item functions (shape_sensor_json) write one whole object, for an
 * array the caller opened.  The _text functions write lines to f.  Pure
 * formatting: no I/O but f, no clock, no BMC.
 */
#ifndef SHAPE_H
#define SHAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chassis.h"
#include "cmd_app.h"
#include "cmd_chassis.h"
#include "cmd_wdt.h"
#include "jsonw.h"
#include "sensors.h"

/* sensors: one element of the "sensors" array; verbose adds the
 * settable thresholds, hysteresis and the state mismatch flag */
void	shape_sensor_json(struct jsonw *, const struct sensors_item *,
	    int verbose);
/* one line "name | reading | unit | state | events [| thresholds]" */
void	shape_sensor_text(FILE *, const struct sensors_item *, int verbose);

/*
 * chassis status (Get Chassis Status, or a Redfish system): na is what
 * the backend could not tell (CHASSIS_NA_* in chassis.h, 0 for IPMI):
 * null in JSON, "unknown" in text; health an enum sensor_sev (Redfish's
 * Status.HealthRollup), or -1 when there is none (IPMI): null.
 */
void	shape_chassis_json(struct jsonw *, const struct chassis_status *,
	    uint32_t na, int health);
void	shape_chassis_text(FILE *, const struct chassis_status *,
	    uint32_t na, int health);

/* watchdog get (Get Watchdog Timer) */
void	shape_wdt_json(struct jsonw *, const struct wdt_timer *);
void	shape_wdt_text(FILE *, const struct wdt_timer *);

/* info: Get Device ID (decoded and its raw answer) and the GUIDs */
#define SHAPE_DEVID_RAW_MAX	32
struct shape_info {
	struct app_devid d;
	uint8_t		 raw[SHAPE_DEVID_RAW_MAX];
	size_t		 rawlen;
	int		 have_devguid;
	int		 have_sysguid;
	char		 devguid[37];	/* Redfish: the manager's UUID */
	char		 sysguid[37];	/* Redfish: the system's UUID */
	/*
	 * A Redfish service (agent/http/) has no Device ID: d and raw
	 * are not set and their members are null; these say what it has
	 * instead (a "redfish" object, null for IPMI).
	 */
	int		 redfish;
	char		 rf_version[16];	/* RedfishVersion */
	char		 rf_service_uuid[40];
	char		 rf_firmware[64];	/* manager FirmwareVersion */
	char		 rf_manager_model[64];
	char		 rf_manufacturer[64];	/* system Manufacturer */
	char		 rf_model[64];		/* system Model */
	char		 rf_serial[64];
	char		 rf_bios[64];
};
void	shape_info_json(struct jsonw *, const struct shape_info *);
void	shape_info_text(FILE *, const struct shape_info *);

#endif
