/*
 * Redfish resources to the model: pure functions from a parsed document
 * (rfjson.h) to the structs of redfish.h, sensors.h, chassis.h and
 * cmd_wdt.h.  No I/O, clock, logging or globals: the client
 * (redfish.c), the unit tests and the fuzzer (tests/fuzz/fuzz_redfish.c)
 * call exactly these.
 *
 * Errors are -1 with err holding what was wrong, property first:
 * "Reading: expected a number, got a string", "Members[3]: no
 * @odata.id".  Schema versions differ in what they have; a property
 * that is absent is not an error unless the mapping cannot do without
 * it.
 */
#ifndef RFMAP_H
#define RFMAP_H

#include <stddef.h>
#include <stdint.h>

#include "redfish.h"
#include "rfjson.h"

/* the service root */
enum rfmap_expand {
	RFMAP_EXPAND_NONE = 0,
	RFMAP_EXPAND_DOT,	/* $expand=.($levels=1): subordinates */
	RFMAP_EXPAND_ALL	/* $expand=*($levels=1) */
};
struct rfmap_root {
	char		 version[16];
	char		 uuid[40];
	enum rfmap_expand expand;
	int		 expand_levels;	/* $levels allowed */
	char		 systems[REDFISH_PATH_MAX];
	char		 chassis[REDFISH_PATH_MAX];
	char		 managers[REDFISH_PATH_MAX];
	char		 sessions[REDFISH_PATH_MAX];
};
/* the well-known paths when the root does not say */
void		 rfmap_root_default(struct rfmap_root *);
int		 rfmap_root(const struct rfjson_v *, struct rfmap_root *,
		    char *err, size_t errlen);

/*
 * An @odata.id (or nextLink) as a path we may request: it starts with
 * '/', is printable ASCII without blanks, quotes or backslashes, fits
 * out; a '#fragment' is cut.  0 or -1.
 */
int		 rfmap_path(const char *, char *out, size_t outlen);
/* the @odata.id of v as a path, or -1 with err ("NAME: ...") */
int		 rfmap_link(const struct rfjson_v *obj, const char *name,
		    char *out, size_t outlen, char *err, size_t errlen);

/*
 * The Members of a collection: *n paths (at most max; *total says how
 * many there were), members[i] the member values (NULL to skip).
 * 0, or -1 with err.  A member is expanded (the whole resource, from
 * $expand or a LogEntry collection) when it holds more than its
 * @odata.id: rfmap_expanded().
 */
int		 rfmap_members(const struct rfjson_v *coll,
		    char (*paths)[REDFISH_PATH_MAX],
		    const struct rfjson_v **members, size_t max, size_t *n,
		    size_t *total, char *err, size_t errlen);
int		 rfmap_expanded(const struct rfjson_v *member);
/* the collection's Members@odata.nextLink as a path: 1 with next set, 0
 * for none, -1 with err */
int		 rfmap_next_link(const struct rfjson_v *coll, char *next,
		    size_t len, char *err, size_t errlen);

/*
 * A Sensor resource (Sensor.v1) to one item: Name, Reading,
 * ReadingUnits, ReadingType, PhysicalContext, Status, Thresholds.  On
 * error the item is still named and marked (SENSORS_NOTE_MALFORMED,
 * unavailable).
 */
int		 rfmap_sensor(const struct rfjson_v *, struct sensors_item *,
		    char *err, size_t errlen);
/*
 * Thermal (Temperatures, Fans) and Power (Voltages, PowerSupplies,
 * PowerControl) of older services: up to max items; returns the count.
 * A malformed member is an item marked as above, the first such
 * error in err (empty if none).
 */
size_t		 rfmap_thermal(const struct rfjson_v *, struct sensors_item *,
		    size_t max, char *err, size_t errlen);
size_t		 rfmap_power(const struct rfjson_v *, struct sensors_item *,
		    size_t max, char *err, size_t errlen);

/* ReadingUnits (UCUM, as Redfish writes them) to the IPMI unit of an
 * item, with the factor the reading is multiplied by ("kW.h": Watts *
 * hour, 1000); 0 if known, -1 (unspecified, factor 1) if not */
int		 rfmap_unit(const char *, struct sensors_item *,
		    double *factor);
/* the IPMI sensor type (table 42-3) of a ReadingType, ReadingUnits,
 * PhysicalContext and name (each may be NULL): a percentage is a fan's
 * when the context or the name says fan */
uint8_t		 rfmap_sensor_type(const char *reading_type,
		    const char *units, const char *context, const char *name);
/* "OK" "Warning" "Critical" to a severity; -1 for anything else */
int		 rfmap_health(const char *, enum sensor_sev *);
/* the IPMI sensor type of a LogEntry SensorType name, -1 if none */
int		 rfmap_log_sensor_type(const char *);

/*
 * ComputerSystem to the chassis snapshot: PowerState (required),
 * Status, IndicatorLED / LocationIndicatorActive, PowerRestorePolicy,
 * Boot.  The snapshot is reset first; missing says what Redfish has not.
 * sys NULL: the reset snapshot only.  No PowerState leaves status_state
 * CHASSIS_ITEM_NONE (the chassis may say it).
 */
int		 rfmap_system_chassis(const struct rfjson_v *,
		    struct chassis_snapshot *, char *err, size_t errlen);
/* A Chassis: its PhysicalSecurity.IntrusionSensor into the snapshot
 * (left missing when absent); PowerState when the system had none. */
int		 rfmap_chassis_doc(const struct rfjson_v *,
		    struct chassis_snapshot *, char *err, size_t errlen);
/* the chassis path a ComputerSystem links to (Links.Chassis[0]): 1, or
 * 0 if none */
int		 rfmap_system_chassis_link(const struct rfjson_v *, char *out,
		    size_t outlen);
/* ComputerSystem.HostWatchdogTimer to the timer: 0, 1 when the system
 * has none (unsupported), -1 with err when malformed */
int		 rfmap_watchdog(const struct rfjson_v *, struct wdt_timer *,
		    char *err, size_t errlen);
/*
 * ComputerSystem's Actions["#ComputerSystem.Reset"]: target and the
 * allowed ResetType values (joined with ", " in allowed, "" when the
 * service does not list them).  0, 1 when there is no Reset action, -1
 * with err.
 */
int		 rfmap_reset_action(const struct rfjson_v *, char *target,
		    size_t tlen, char *allowed, size_t alen, char *err,
		    size_t errlen);
/* 1 if type is one of the ", "-joined allowed (or allowed is empty) */
int		 rfmap_reset_allowed(const char *allowed, const char *type);

/* Manager, ComputerSystem into the info (a NULL one leaves its fields) */
void		 rfmap_info(const struct rfjson_v *manager,
		    const struct rfjson_v *system, struct redfish_info *);

/* a LogService: 0 or -1 with err (path is filled from @odata.id) */
int		 rfmap_log_service(const struct rfjson_v *,
		    struct redfish_log_service *, char *err, size_t errlen);
/* a LogEntry: 0 or -1 with err (the entry is then not to be listed) */
int		 rfmap_log_entry(const struct rfjson_v *,
		    struct redfish_log_entry *, char *err, size_t errlen);
/*
 * The order of entries: by Created, then Id (numbers as numbers).
 * Entries without Created sort before those with one.  <0, 0, >0.
 */
int		 rfmap_entry_cmp(int has_a, int64_t a_s, const char *a_id,
		    int has_b, int64_t b_s, const char *b_id);

/* ISO 8601 date-time ("2012-03-07T14:44:00Z", "...+06:00", fractions)
 * to seconds since 1970 UTC; 0 or -1 */
int		 rfmap_time(const char *, int64_t *);

/* the text of a Redfish error body (error.@Message.ExtendedInfo[0]
 * .Message, or error.message), "" if none */
void		 rfmap_error_text(const struct rfjson_v *, char *, size_t);

#endif
