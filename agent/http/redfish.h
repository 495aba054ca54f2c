/*
 * A Redfish client on the event loop (http.c underneath): it reads a
 * service into the model the IPMI side fills, so everything above shows
 * a Redfish BMC like an IPMI one:
 *
 *   sensors   struct sensors_item (rec NULL, missing fields flagged),
 *             from Chassis/{id}/Sensors, or Thermal and Power on older
 *             services; thresholds Caution/Critical/Fatal as the IPMI
 *             non-critical/critical/non-recoverable ones
 *   chassis   struct chassis_snapshot from Systems/{id} (PowerState,
 *             Status, identify LED, restore policy, boot override) and
 *             the chassis' PhysicalSecurity.IntrusionSensor
 *   watchdog  struct wdt_timer from Systems/{id}/HostWatchdogTimer
 *             (read-only)
 *   logs      struct sel_rec + struct sel_desc from the LogServices of
 *             the systems and the managers, incremental by Created and
 *             Id (struct redfish_cursor); ClearLog and
 *             ComputerSystem.Reset only when asked
 *   info      struct redfish_info (service, manager, system identity)
 *
 * Connection: the service root is read once (collections, $expand
 * support: collections are then read with their members in one
 * request), then one session is created (POST SessionService/Sessions,
 * X-Auth-Token kept, Location kept for the DELETE at redfish_close) and
 * reused by every request; a 401 on a session request re-creates it
 * once.  Basic auth is the fallback when the service has no sessions
 * (404, 405, 501 on the POST).  Wrong credentials are REDFISH_E_AUTH.
 *
 * Operations of different kinds run at the same time (a sensor sweep
 * while the logs are read); one of each kind at once (-1 otherwise).
 * Each done is called exactly once, from the loop, never from the start
 * function (unless redfish_close abandons the operation: then never);
 * done may start operations and close the client, not free it.  Results
 * of an operation stay valid until the next one of its kind starts.
 *
 * Errors always name the URL and what was wrong: "https://h:443/redfish
 * /v1/Chassis/1U/Sensors: malformed JSON: line 1, column 9: ...",
 * ".../Sensors/CPU1Temp: Reading: expected a number, got a string".  A
 * malformed single sensor or log entry does not fail its operation: the
 * sensor is marked (SENSORS_NOTE_MALFORMED), the entry skipped, and
 * redfish_detail() says which and why.
 */
#ifndef REDFISH_H
#define REDFISH_H

#include <stddef.h>
#include <stdint.h>

#include "chassis.h"
#include "cmd_wdt.h"
#include "ev.h"
#include "sel.h"
#include "sensors.h"
#include "shape.h"
#include "shape_sel.h"

#define REDFISH_PATH_MAX	256	/* an @odata.id we follow */
#define REDFISH_ID_MAX		64
#define REDFISH_TEXT_MAX	64
#define REDFISH_ERR_MAX		1400
#define REDFISH_SENSORS_MAX	1024
#define REDFISH_MEMBERS_MAX	64	/* systems, chassis, managers,
					 * log services followed */
#define REDFISH_LOG_SERVICES	16
#define REDFISH_LOG_MAX		4096	/* entries read per listing */
#define REDFISH_PAGES_MAX	128	/* @odata.nextLink pages followed */

struct redfish_cfg {
	const char	*url;		/* "https://host[:port]" (see
					 * redfish_url_base) */
	const char	*user;
	const char	*password;	/* copied, wiped at redfish_free */
	const char	*ca_file;	/* NULL: the system's CAs */
	int		 insecure;	/* no TLS verification; the caller
					 * logs that it is so */
	unsigned	 timeout_ms;	/* per request, 0: 10 s */
	size_t		 body_max;	/* 0: 4 MiB */
	int		 no_session;	/* Basic only, never a session */
	int		 no_expand;	/* never $expand */
	const char	*system;	/* Systems member Id to use, NULL:
					 * the first */
	const struct severity *sev;	/* exclusions of sensors, or NULL */
};

enum redfish_err {
	REDFISH_OK = 0,
	REDFISH_E_AUTH,		/* 401/403: wrong credentials, no right */
	REDFISH_E_HTTP,		/* connect, TLS, timeout, body too big,
				 * truncated */
	REDFISH_E_STATUS,	/* an unexpected HTTP status */
	REDFISH_E_BODY,		/* not the JSON the schema says */
	REDFISH_E_UNSUPPORTED,	/* the service lacks it (no Sensors nor
				 * Thermal, no HostWatchdogTimer, no such
				 * ResetType, no ClearLog) */
	REDFISH_E_REFUSED,	/* we refuse: ClearLog on WrapsWhenFull */
	REDFISH_E_BUSY
};
/* "auth", "http", "status", "body", "unsupported", "refused", "busy" */
const char	*redfish_strerror(enum redfish_err);

/* what the client asked, cumulative (the CLI prints per-sweep deltas) */
struct redfish_stats {
	uint64_t	 requests;	/* HTTP requests completed */
	uint64_t	 gets;
	uint64_t	 posts;
	uint64_t	 deletes;
	uint64_t	 failed;	/* no answer (transport) */
	uint64_t	 sessions;	/* created */
	uint64_t	 sessions_deleted;
	uint64_t	 relogins;	/* sessions lost and re-created */
	uint64_t	 expanded;	/* collections read with $expand */
	uint64_t	 connects;	/* new TCP/TLS connections */
	uint64_t	 bytes_in;
};

struct redfish_info {
	char	 redfish_version[16];
	char	 service_uuid[40];
	char	 manager_id[REDFISH_ID_MAX];
	char	 manager_type[24];
	char	 manager_model[REDFISH_TEXT_MAX];
	char	 manager_firmware[REDFISH_TEXT_MAX];
	char	 manager_uuid[40];
	char	 system_id[REDFISH_ID_MAX];
	char	 system_manufacturer[REDFISH_TEXT_MAX];
	char	 system_model[REDFISH_TEXT_MAX];
	char	 system_serial[REDFISH_TEXT_MAX];
	char	 system_uuid[40];
	char	 bios_version[REDFISH_TEXT_MAX];
};

enum redfish_log_owner {
	REDFISH_LOG_SYSTEM,
	REDFISH_LOG_MANAGER
};

struct redfish_log_service {
	char		 path[REDFISH_PATH_MAX];	/* @odata.id */
	char		 id[REDFISH_ID_MAX];
	char		 name[REDFISH_TEXT_MAX];
	char		 entries[REDFISH_PATH_MAX];	/* "" if none */
	char		 clear_target[REDFISH_PATH_MAX]; /* "": no ClearLog */
	char		 overwrite[24];	/* OverWritePolicy, "" if not said */
	int		 wraps;		/* "WrapsWhenFull": never cleared */
	long		 max_records;	/* -1 if not said */
	enum redfish_log_owner owner;
	unsigned	 entries_read;	/* all of them, before the cursor */
	int		 truncated;	/* more than REDFISH_LOG_MAX, or pages
					 * past REDFISH_PAGES_MAX */
	int		 has_newest;	/* an entry with Created was read */
	int64_t		 newest_s;	/* the newest Created */
	uint32_t	 newest_ts;	/* ... as its entry's rec.ts */
};

/*
 * One log entry in the SEL model.  EntryType "SEL" entries keep their
 * codes: rec is built as the 16-byte IPMI record would be (record ID from
 * a numeric Id, Created as the timestamp, GeneratorId, SensorType,
 * SensorNumber, and the event direction/type and event data from
 * MessageId "0xNNaabbcc", or from EntryCode when MessageId is not in that
 * form) and described by sel_describe(); other entries are rec.kind
 * SEL_KIND_OEM_TS records (type C0h, no OEM bytes) whose desc.event is
 * the Message and desc.sev the Severity (OK info, Warning, Critical).
 */
struct redfish_log_entry {
	struct sel_rec	 rec;
	struct sel_desc	 desc;
	int		 is_sel;
	char		 id[REDFISH_ID_MAX];
	char		 created[40];	/* as the service wrote it */
	int		 has_created;
	int64_t		 created_s;	/* seconds since 1970, UTC */
	char		 severity[16];	/* "OK", "Warning", "Critical", "" */
	char		 message_id[REDFISH_TEXT_MAX];
	char		 message[SEL_TEXT_MAX];
	unsigned	 service;	/* index of its log service */
};

/*
 * Where a listing left off, per log service: a small fixed struct the
 * caller persists as is (no pointers).  An entry is new when its
 * (Created, Id) is after the service's (created_s, id), Ids compared as
 * numbers when both are.
 */
#define REDFISH_CURSOR_SERVICES	REDFISH_LOG_SERVICES
struct redfish_cursor_svc {
	char		 path[REDFISH_PATH_MAX];	/* the log service */
	int64_t		 created_s;
	int		 has_created;
	char		 id[REDFISH_ID_MAX];
};
struct redfish_cursor {
	uint32_t	 version;	/* REDFISH_CURSOR_VERSION */
	uint32_t	 n;
	struct redfish_cursor_svc svc[REDFISH_CURSOR_SERVICES];
};
#define REDFISH_CURSOR_VERSION	1

typedef void	redfish_done_fn(void *arg, enum redfish_err);

struct redfish;

/*
 * "host", "host:port", "[v6]:port", "https://host:port" or
 * "http://host:port" (a plain-HTTP service) to the base URL the client
 * takes ("https://host:port", no path).  0, or -1 with err set.
 */
int		 redfish_url_base(const char *, char *out, size_t outlen,
		    char *err, size_t errlen);

/* ev is borrowed.  NULL with err set (bad URL, libcurl unusable). */
struct redfish	*redfish_new(struct ev *, const struct redfish_cfg *,
		    char *err, size_t errlen);
/* Frees at once: no session DELETE (call redfish_close first). */
void		 redfish_free(struct redfish *);
/*
 * Abandon running operations (their done is not called) and delete the
 * session (DELETE its Location).  done (may be NULL) is called from the
 * loop when that is over; failures are in redfish_detail(rf, NULL).
 * Later operations open a new session.
 */
void		 redfish_close(struct redfish *, redfish_done_fn *, void *);
/* the base URL, for messages */
const char	*redfish_url(const struct redfish *);
/* 1 while requests are in flight */
int		 redfish_busy(const struct redfish *);

/* Operations: 0, or -1 when one of the same kind runs. */
int		 redfish_sensors(struct redfish *, redfish_done_fn *, void *);
size_t		 redfish_sensors_count(const struct redfish *);
const struct sensors_item *redfish_sensor(const struct redfish *, size_t);

int		 redfish_chassis(struct redfish *, redfish_done_fn *, void *);
const struct chassis_snapshot *redfish_chassis_snapshot(
		    const struct redfish *);

int		 redfish_watchdog(struct redfish *, redfish_done_fn *, void *);
const struct wdt_timer *redfish_watchdog_timer(const struct redfish *);

int		 redfish_info(struct redfish *, redfish_done_fn *, void *);
const struct redfish_info *redfish_info_get(const struct redfish *);
/* the identity as `info' prints it (shape.h: Device ID members null,
 * the manager's and system's UUIDs as the GUIDs) */
void		 redfish_info_shape(const struct redfish_info *,
		    struct shape_info *);

/*
 * Read every log service of the systems and managers and list the
 * entries after since (NULL: all), oldest first per service.
 */
int		 redfish_logs(struct redfish *, const struct redfish_cursor *since,
		    redfish_done_fn *, void *);
size_t		 redfish_log_count(const struct redfish *);
const struct redfish_log_entry *redfish_log_entry(const struct redfish *,
		    size_t);
size_t		 redfish_log_service_count(const struct redfish *);
const struct redfish_log_service *redfish_log_service(
		    const struct redfish *, size_t);
/* since (or an empty cursor) moved past every entry listed: to persist
 * once they are archived */
void		 redfish_logs_cursor(const struct redfish *,
		    const struct redfish_cursor *since, struct redfish_cursor *);
/*
 * A cursor read back from where it was persisted (the struct's bytes,
 * STATE_DIR/rf-NAME.cursor): 0 and *out if the len bytes are one of
 * this version, its count within REDFISH_CURSOR_SERVICES and every
 * service's path and id ending inside its field (the services past the
 * count zeroed); -1 otherwise (pure; the fuzzer's target).
 */
int		 redfish_cursor_load(const void *, size_t,
		    struct redfish_cursor *out);

/*
 * The log services of the last listing as `sel info' shows them
 * (shape_sel.h), whatever the cursor left out of the entries.
 */
void		 redfish_sel_shape(const struct redfish *,
		    struct shape_rf_sel *);

/*
 * The archive-then-clear policy for one log service of the last
 * listing (the SEL's sel-clear-at / sel-clear-free, over
 * MaxNumberOfRecords): 1 when it is to be cleared now.  0 otherwise,
 * with *why NULL when it is simply not due, or saying why not when it
 * would be: its OverWritePolicy is WrapsWhenFull (it never fills;
 * clearing only loses entries), it has no ClearLog action, or it holds
 * more entries than a listing reads (some are not archived).  now: asked
 * to clear (sel clear): due with any entry.  Without now a service that
 * does not say its MaxNumberOfRecords is never due.  The caller clears
 * only right after a listing that found nothing not yet archived.
 */
int		 redfish_clear_due(const struct redfish_log_service *,
		    int now, unsigned clear_at, unsigned clear_free,
		    const char **why);

/*
 * LogService.ClearLog on the service at path (an @odata.id as listed).
 * Re-reads the service first: REDFISH_E_REFUSED when its OverWritePolicy
 * is WrapsWhenFull (it never fills: clearing only loses entries),
 * REDFISH_E_UNSUPPORTED without a ClearLog action.
 */
int		 redfish_clear_log(struct redfish *, const char *path,
		    redfish_done_fn *, void *);
/*
 * ComputerSystem.Reset with ResetType type ("On", "ForceOff",
 * "GracefulShutdown", "ForceRestart", "PowerCycle", "Nmi" ...): refused
 * (REDFISH_E_UNSUPPORTED) when the system lists its allowed values and
 * type is not one.  Shares its slot with redfish_clear_log.
 */
int		 redfish_reset(struct redfish *, const char *type,
		    redfish_done_fn *, void *);
/*
 * The system's identify LED on (on 1) or off: LocationIndicatorActive
 * PATCHed when the system has it, else IndicatorLED Lit or Off;
 * REDFISH_E_UNSUPPORTED with neither.  Redfish has no timed identify
 * (IPMI's interval).  Shares its slot with redfish_clear_log.
 */
int		 redfish_identify(struct redfish *, int on,
		    redfish_done_fn *, void *);
/* the ResetType for an IPMI Chassis Control (CHASSIS_CTL_*), NULL if
 * none: on On, off ForceOff, soft GracefulShutdown, reset ForceRestart,
 * cycle PowerCycle, diag Nmi */
const char	*redfish_reset_type(uint8_t ctl);

/*
 * The last word of an operation kind: what went wrong, naming the URL,
 * or for one that succeeded the first thing skipped ("" if none).  which: "sensors", "chassis", "watchdog",
 * "info", "logs", "action", or NULL for the connection and session.
 */
const char	*redfish_detail(const struct redfish *, const char *which);
const struct redfish_stats *redfish_stats(const struct redfish *);
/* "session" or "basic" (after the first operation), "" before */
const char	*redfish_auth_mode(const struct redfish *);

#endif
