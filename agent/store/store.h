/*
 * The daemon's in-memory picture of every target: what each BMC said
 * last, and how the daemon is doing with it.  The pollers (daemon/
 * target.c) write it; every reader (the control socket, the SNMP child,
 * Prometheus, webhooks) only reads it, so an answer never waits on a
 * BMC.
 *
 * Items are copies, never pointers into a poller's state: a sensor is
 * its struct sensors_item with its own copy of the SDR record (and
 * item.rec points at that copy).  Every item carries a struct
 * store_stamp: the CLOCK_MONOTONIC and wall-clock times it was read, and
 * a generation bumped whenever it changed.  An item is stale when it is
 * older than twice its poll interval, or was never read.
 *
 * Events (a sensor's state changed, a new SEL entry, SEL cleared or not,
 * power changed, the watchdog expired, the heartbeat stopped or resumed,
 * the BMC unreachable or back) are emitted by the update functions to
 * the subscribers, synchronously, after the store has changed.  A
 * subscriber must not add or remove targets from its callback.
 *
 * Times come in as a struct store_when, so tests drive the clock.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "chassis.h"
#include "cmd_chassis.h"
#include "cmd_wdt.h"
#include "sdr.h"
#include "sel.h"
#include "sensors.h"
#include "shape.h"
#include "shape_sel.h"
#include "transport.h"

#define STORE_NAME_MAX		64	/* as a config target name */
#define STORE_SEL_RECENT	256	/* newest SEL entries kept */
#define STORE_SEL_OPEN_MAX	256	/* open problems kept */
#define STORE_TEXT_MAX		320
#define STORE_CONSOLE_RING	(64u * 1024)	/* console bytes kept */

struct store_when {
	uint64_t	mono_ms;	/* CLOCK_MONOTONIC, ms */
	int64_t		wall_ms;	/* CLOCK_REALTIME, ms since 1970 */
};
/* the two clocks now */
void		 store_now(struct store_when *);

struct store_stamp {
	struct store_when when;		/* mono_ms 0: never */
	uint64_t	 gen;		/* bumped on every change */
};
/* ms since the item was read (0 if never) */
uint64_t	 store_age_ms(const struct store_stamp *, uint64_t now_mono);
/* 1 if never read, or read more than 2 x interval_s ago */
int		 store_stale(const struct store_stamp *, unsigned interval_s,
		    uint64_t now_mono);

struct store_sensor {
	struct sensors_item	 it;	/* it.rec points at rec below */
	struct sdr_rec		 rec;
	/* carried over from the sweep before (the same sensor: record ID,
	 * number, owner, name) */
	enum sensor_sev		 prev_sev;	/* before the last change */
	uint64_t		 changes;	/* state changes seen */
	int64_t			 change_wall_ms; /* the last one, 0 never */
};

struct store_sel_entry {
	struct sel_rec	 rec;
	struct sel_desc	 desc;
	struct store_when when;		/* when the daemon read it */
	uint8_t		 acked;		/* acknowledged (sel ack) */
	uint32_t	 seq;		/* 1, 2, 3 ... as the daemon read
					 * them (since it started) */
};

enum store_state {
	STORE_T_STARTING,	/* not reached yet */
	STORE_T_RESOLVING,	/* waiting for its address */
	STORE_T_UP,
	STORE_T_UNREACHABLE,
	STORE_T_STOPPING
};
const char	*store_state_name(enum store_state);

struct store_health {
	enum store_state state;
	struct store_stamp last_success;
	struct store_stamp last_failure;
	unsigned	 consecutive_errors;
	char		 last_error[STORE_TEXT_MAX];
	uint64_t	 unreachable_since_mono; /* 0: reachable */
	uint64_t	 sweep_ms;	/* duration of the last sensor sweep */
	uint64_t	 sweeps;	/* runs completed, by subsystem */
	uint64_t	 sel_passes;
	uint64_t	 chassis_polls;
	uint64_t	 skipped;	/* runs not started: the previous
					 * one was still in flight */
	uint64_t	 probes;	/* while unreachable */
	int		 stuck;		/* a run in flight that makes no
					 * progress (see target.c) */
	struct ipmi_tr_stats tr;
	char		 peer[300];
	/* requests of the polls that got no valid answer, answers with a
	 * completion code other than 00h (conn_stats) */
	uint64_t	 req_errors;
	uint64_t	 ccode_errors;
};

struct store_hb {
	int		 enabled;	/* a watchdog block */
	int		 armed;
	int		 refused;	/* another owner: not armed */
	uint64_t	 kicks;
	uint64_t	 failures;
	uint64_t	 withheld;	/* kicks not sent: a gate failed */
	unsigned	 interval_ms;	/* the reset interval configured */
	char		 state[STORE_TEXT_MAX];	/* in words */
	char		 failing[STORE_TEXT_MAX]; /* the first failing
					 * check, "" while all pass */
	struct store_stamp stamp;
};

#define STORE_EV_N	11	/* kinds of enum store_ev_kind */
/* the serial console (SOL) of a target with a sol block (MIB
 * bmcwConsoleTable); written by daemon/console.c */
struct store_console {
	int		 enabled;	/* a sol block: the row exists */
	int		 logging;	/* log yes */
	int		 input;		/* input yes */
	int		 connected;	/* our SOL payload is active */
	struct store_stamp conn_t;	/* connected last changed */
	char		 state[STORE_TEXT_MAX];	/* in words */
	uint64_t	 connects;	/* activations */
	uint64_t	 bytes;		/* received since start */
	uint64_t	 events;	/* pattern matches reported */
	uint64_t	 events_suppressed; /* ... over the rate limit */
	struct store_stamp event_t;	/* the last one */
	char		 event_rule[STORE_TEXT_MAX];
	char		 event_text[STORE_TEXT_MAX];
	size_t		 clients;	/* attached through the socket */
	/* the newest STORE_CONSOLE_RING bytes: byte k of the stream
	 * (k < bytes) is at ring[k % STORE_CONSOLE_RING] while
	 * k >= bytes - STORE_CONSOLE_RING */
	uint8_t		*ring;
	/* the log on disk (console.c), store_console_log */
	uint64_t	 gaps;		/* gap markers: output missing */
	uint64_t	 log_waiting;	/* bytes not on disk yet */
	int		 log_failing;	/* the disk refuses the log now */
	char		 log_error[STORE_TEXT_MAX]; /* the last refusal */
};

struct store_target {
	char		 name[STORE_NAME_MAX + 1];
	/* what the configuration says (store_target_config) */
	unsigned	 sensor_interval_s;
	unsigned	 sel_interval_s;
	unsigned	 chassis_interval_s;
	unsigned	 allow;		/* CONF_ALLOW_* bits, opaque here */
	char		 iface[16];

	/* identity: Get Device ID and GUIDs */
	int		 have_ident;
	struct shape_info ident;
	struct store_stamp ident_t;

	/* sensors, in SDR order */
	struct store_sensor *sensors;
	size_t		 nsensors;
	struct store_stamp sensors_t;

	/* SEL */
	int		 have_sel;
	struct sel_info	 sel_info;
	int		 sel_used_pct;	/* -1 unknown */
	struct store_stamp sel_t;
	struct store_sel_entry *recent;	/* ring of STORE_SEL_RECENT */
	size_t		 nrecent;
	size_t		 recent_head;	/* index of the oldest */
	struct store_sel_entry *open;	/* open problems, oldest first */
	size_t		 nopen;
	uint64_t	 open_dropped;	/* open ones pushed out by the cap */
	uint64_t	 sel_archived;	/* entries archived by this daemon */
	uint32_t	 sel_seq;	/* the last entry's seq */
	uint64_t	 sel_clears;
	struct store_stamp sel_clear_t;	/* the last clear */
	uint64_t	 sel_clear_failures;
	char		 sel_clear_error[STORE_TEXT_MAX];

	/* chassis status */
	int		 have_chassis;
	struct chassis_status chassis;
	uint32_t	 chassis_na;	/* CHASSIS_NA_*: 0 for IPMI */
	int		 chassis_health; /* enum sensor_sev, -1: none */
	struct store_stamp chassis_t;

	/* the watchdog timer (Get Watchdog Timer) and our heartbeat */
	int		 have_wdt;
	struct wdt_timer wdt;
	struct store_stamp wdt_t;
	struct store_hb	 hb;

	struct store_health health;

	/* events emitted, by enum store_ev_kind, and the wall-clock time
	 * (ms) of the last one: what a notification said stays readable
	 * (SNMP counters) */
	uint64_t	 ev_count[STORE_EV_N];
	int64_t		 ev_wall_ms[STORE_EV_N];
	struct store_console console;

	/* SDR, SEL and chassis facts the MIB shows (store_set_sdr_gen,
	 * store_target_sel_config, store_set_chassis_extra) */
	uint32_t	 sdr_gen;	/* the SDR image's generation */
	int64_t		 sdr_change_wall_ms; /* when it (first) came or
					 * changed, 0 never */
	unsigned	 sel_clear_at;	/* percent, 0 never (config) */
	unsigned	 sel_nearly_full_at; /* percent, 0 off (config) */
	int		 sel_nearly_full_armed;
	unsigned	 sel_last_clear_count;	/* entries the last clear
					 * by us removed */
	uint64_t	 sel_foreign_clears;	/* erased by someone else */
	int		 sel_erase_ours;	/* our clear: the next move of
					 * the erase time is ours */
	int		 have_chassis_x;
	int		 chassis_restart;	/* cause code, -1 unsupported */
	char		 chassis_restart_text[64];
	int64_t		 chassis_poh_min;	/* -1 unsupported */
	char		 chassis_bootdev[32];	/* "" unsupported */
	struct store_stamp chassis_x_t;

	/* a Redfish target's log services (store_set_rf_sel): `sel info'
	 * shows these instead of sel_info, which holds what they can
	 * tell (entries, last_add; the rest 0) */
	int		 have_rf_sel;
	struct shape_rf_sel rf_sel;
};

enum store_ev_kind {
	STORE_EV_SENSOR,	/* sensor's state changed */
	STORE_EV_SEL,		/* a new SEL entry (archived) */
	STORE_EV_SEL_CLEARED,
	STORE_EV_SEL_CLEAR_FAILED,
	STORE_EV_POWER,		/* system power changed */
	STORE_EV_WATCHDOG,	/* an expiration flag appeared */
	STORE_EV_HEARTBEAT,	/* the heartbeat stopped or resumed */
	STORE_EV_UNREACHABLE,
	STORE_EV_RECOVERED,
	STORE_EV_CONSOLE,	/* a console pattern matched a line */
	STORE_EV_SEL_NEARLY_FULL	/* the SEL filled to sel-nearly-full */
};
_Static_assert(STORE_EV_N == STORE_EV_SEL_NEARLY_FULL + 1, "STORE_EV_N");
const char	*store_ev_name(enum store_ev_kind);

struct store_event {
	enum store_ev_kind	 kind;
	const struct store_target *t;
	/* 0 info, 1 warning, 2 critical (the webhooks' min-severity) */
	int			 level;
	const char		*text;	/* in words, for a log line */
	/* the item concerned, or NULL */
	const struct store_sensor *sensor;
	enum sensor_sev		 was;	/* SENSOR: the previous state */
	const struct store_sel_entry *sel;
	const char		*rule;	/* CONSOLE: the pattern */
	/* SENSOR: how many sensors changed state in the same update (one
	 * sweep), and which of them this event is (0 first) */
	size_t			 burst_n;
	size_t			 burst_i;
};
typedef void	store_event_fn(const struct store_event *, void *arg);

struct store;

struct store	*store_new(void);
/* targets must all be deleted... or are freed with it */
void		 store_free(struct store *);
/* 0, or -1 if 16 subscribers are already there */
int		 store_subscribe(struct store *, store_event_fn *, void *);
void		 store_unsubscribe(struct store *, store_event_fn *, void *);

/* A new, empty target (name copied, cut to STORE_NAME_MAX); NULL if
 * one of that name exists.  Targets keep the order they were added. */
struct store_target *store_target_add(struct store *, const char *name);
void		 store_target_del(struct store *, struct store_target *);
struct store_target *store_target_find(struct store *, const char *name);
size_t		 store_ntargets(const struct store *);
/* the i-th target, or NULL */
const struct store_target *store_target_at(const struct store *, size_t);

void		 store_target_config(struct store_target *, unsigned
		    sensor_s, unsigned sel_s, unsigned chassis_s,
		    unsigned allow, const char *iface);

/* updates; when is the time of the reading */
void		 store_set_ident(struct store *, struct store_target *,
		    const struct shape_info *, const struct store_when *);
/* the sweep's items, copied; a state change of a sensor seen before is
 * an event */
void		 store_set_sensors(struct store *, struct store_target *,
		    const struct sensors *, const struct store_when *);
/* the same from an array (tests, other sources); items[i].rec may be
 * NULL (no record is copied then) */
void		 store_set_sensor_items(struct store *, struct store_target *,
		    const struct sensors_item *, size_t n,
		    const struct store_when *);
void		 store_set_sel_info(struct store *, struct store_target *,
		    const struct sel_info *, int used_pct,
		    const struct store_when *);
/* a Redfish target's log services as its last log pass read them;
 * sets have_sel, sel_info (entries, last_add) and sel_used_pct too */
void		 store_set_rf_sel(struct store *, struct store_target *,
		    const struct shape_rf_sel *, const struct store_when *);
/* a new entry, archived: kept in the recent ring, paired into the open
 * problems (selmon_open_problems' rule) */
void		 store_sel_add(struct store *, struct store_target *,
		    const struct sel_rec *, const struct sel_desc *,
		    const struct store_when *);
void		 store_sel_cleared(struct store *, struct store_target *,
		    unsigned entries, const struct store_when *);
void		 store_sel_clear_failed(struct store *, struct store_target *,
		    const char *why, const struct store_when *);
/* an acknowledged entry leaves the open problems (and is marked in the
 * recent ring); 1 if it was open */
int		 store_sel_ack(struct store *, struct store_target *,
		    const uint8_t raw[SEL_RECORD_LEN]);
/* the i-th recent entry, oldest first, or NULL */
const struct store_sel_entry *store_sel_recent(const struct store_target *,
		    size_t i);
void		 store_set_chassis(struct store *, struct store_target *,
		    const struct chassis_status *, const struct store_when *);
/* the same with what the backend could not tell and the health (a
 * Redfish system: chassis.h's snapshot) */
void		 store_set_chassis_snap(struct store *, struct store_target *,
		    const struct chassis_snapshot *, const struct store_when *);
void		 store_set_wdt(struct store *, struct store_target *,
		    const struct wdt_timer *, const struct store_when *);
/* the heartbeat's state; a change of "kicking" (armed and not
 * withholding) is an event, with state as its text */
void		 store_set_hb(struct store *, struct store_target *,
		    const struct store_hb *, const struct store_when *);

/*
 * Webhook endpoints (agent/daemon/webhook.c): how each is doing, for
 * `targets` and the MIB.  Set by name (added when new); del removes it.
 */
struct store_webhook {
	char		 name[STORE_NAME_MAX + 1];
	uint64_t	 queued;	/* events waiting, the one in flight
					 * included */
	uint64_t	 queue_max;
	uint64_t	 delivered;
	uint64_t	 failures;	/* attempts that failed */
	uint64_t	 dropped;	/* by the overflow policy */
	unsigned	 attempt;	/* of the head event, 0: none failed */
	char		 last_error[STORE_TEXT_MAX];
	/* set by the store (the caller's value is ignored): when
	 * delivered last grew, wall-clock ms, 0 never */
	int64_t		 last_delivery_wall_ms;
};
void		 store_set_webhook(struct store *,
		    const struct store_webhook *);
void		 store_del_webhook(struct store *, const char *name);
size_t		 store_nwebhooks(const struct store *);
const struct store_webhook *store_webhook_at(const struct store *,
		    size_t);

/* health */
void		 store_set_state(struct store *, struct store_target *,
		    enum store_state, const char *why,
		    const struct store_when *);
void		 store_run_ok(struct store_target *,
		    const struct store_when *);
void		 store_run_failed(struct store_target *, const char *why,
		    const struct store_when *);
/* the BMC answered, with an error: last_error and last_failure say so,
 * the count of consecutive failures (unreachability) is not touched */
void		 store_run_refused(struct store_target *, const char *why,
		    const struct store_when *);

/* the console (daemon/console.c) */
void		 store_console_config(struct store_target *, int enabled,
		    int logging, int input);
/* connected or not, with the state in words */
void		 store_console_state(struct store_target *, int connected,
		    const char *state, const struct store_when *);
/* console bytes, in order: into the ring, counted */
void		 store_console_data(struct store_target *, const uint8_t *,
		    size_t);
/*
 * Copy stream bytes from offset off (0 = the first byte since start) to
 * out, at most cap: how many; 0 when off is the end; -1 when off is no
 * longer (or never was) in the ring.
 */
long		 store_console_read(const struct store_target *, uint64_t off,
		    uint8_t *out, size_t cap);
/* the log: bytes not on disk yet, and why the disk refuses it (NULL:
 * it takes it; the last reason stays in log_error) */
void		 store_console_log(struct store_target *, uint64_t waiting,
		    const char *error);
/* a pattern matched: counted, kept as the last event, emitted
 * (STORE_EV_CONSOLE, critical) with the line as its text */
void		 store_console_event(struct store *, struct store_target *,
		    const char *rule, const char *line,
		    const struct store_when *);

/*
 * SDR, SEL and chassis facts for the MIB (snmp2's block).
 * store_set_sdr_gen: the generation of the SDR image the last sweep
 * used; a new one is an SDR change (the first one too).
 * store_target_sel_config: sel-clear-at and sel-nearly-full; the SEL
 * info that fills it to nearly_full_at or above emits
 * STORE_EV_SEL_NEARLY_FULL once, armed again below.
 * store_sel_clear_ours: the next move of the SEL's erase time is our
 * clear (else store_set_sel_info counts a foreign clear).
 * store_set_chassis_extra: restart cause, POH and boot device of a
 * chassis query (those the BMC did not answer: unsupported).
 */
void		 store_set_sdr_gen(struct store_target *, uint32_t gen,
		    const struct store_when *);
void		 store_target_sel_config(struct store_target *,
		    unsigned clear_at, unsigned nearly_full_at);
void		 store_sel_clear_ours(struct store_target *);
void		 store_set_chassis_extra(struct store_target *,
		    const struct chassis_snapshot *, const struct store_when *);

#endif
