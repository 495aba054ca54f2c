/*
 * The BMC watchdog as a policy: validation of a heartbeat configuration,
 * detection of another owner of the timer, and non-blocking state
 * machines on struct conn for get, arm, kick (reset), stop and a
 * periodic heartbeat.  The CLI runs them to completion on its loop; the
 * daemon runs the heartbeat next to its pollers.
 *
 * Every operation state is caller-owned (no heap per operation) and must
 * stay alive until its done callback ran.  Callbacks run from the event
 * loop, never from the start function.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cmd_wdt.h"
#include "conn.h"
#include "ev.h"

enum watchdog_err {
	WATCHDOG_OK = 0,
	WATCHDOG_E_CONFIG,	/* refused by watchdog_validate() */
	WATCHDOG_E_TRANSPORT,	/* see op->ierr */
	WATCHDOG_E_CCODE,	/* see op->ccode and op->step */
	WATCHDOG_E_LENGTH,	/* Get answered too short */
	WATCHDOG_E_OWNER,	/* someone else drives the timer */
	WATCHDOG_E_BUSY,	/* transport queue full */
	WATCHDOG_E_NOT_RUNNING,	/* armed, but Get says it is stopped */
	WATCHDOG_E__MAX
};
const char	*watchdog_strerror(enum watchdog_err);

/* What to program.  Times in ms; the BMC counts in 100 ms. */
struct watchdog_cfg {
	unsigned	timeout_ms;	/* initial countdown, 100..6553500 */
	unsigned	pretimeout_s;	/* 0..255, < timeout */
	uint8_t		action;		/* WDT_ACTION_* */
	uint8_t		pre_int;	/* WDT_PRE_* */
	uint8_t		use;		/* WDT_USE_*, default SMS/OS */
	uint8_t		dont_log;
	uint8_t		clear;		/* WDT_EXP_* to clear on arm */
	unsigned	interval_ms;	/* heartbeat period, 0 = none */
};
void		 watchdog_cfg_default(struct watchdog_cfg *);

/*
 * Validation: the countdown fits the 16-bit field, the pre-timeout is
 * shorter than the timeout, and a heartbeat interval leaves room for a
 * late or retried reset: at most half of the time before the first
 * action (timeout, or timeout - pretimeout with a pre-timeout
 * interrupt) and at least 2 s short of it.  0, or -1 with a message
 * that says what would be safe.
 */
#define WATCHDOG_MARGIN_MS	2000
int		 watchdog_validate(const struct watchdog_cfg *, char *err,
		    size_t errlen);
/* largest safe heartbeat interval for cfg (0: none is safe) */
unsigned	 watchdog_max_interval(const struct watchdog_cfg *);
void		 watchdog_cfg_to_set(const struct watchdog_cfg *,
		    struct wdt_set *);

/*
 * Another owner of the watchdog on this host (the in-band path): the
 * ipmi_watchdog driver, a process holding /dev/watchdog* open, or
 * someone resetting the countdown.  root relocates /sys and /proc for
 * tests ("" or NULL = the real ones).
 */
struct watchdog_owner {
	int		module;		/* ipmi_watchdog loaded */
	int		dev_open;	/* /dev/watchdog* held open */
	pid_t		pid;		/* by this process */
	char		comm[32];
	char		dev[64];
	int		resets;		/* 1: countdown reset by another,
					 * 0: not, -1: cannot tell */
};
/* fills module/dev_open/pid/comm/dev; returns 1 if an owner was found */
int		 watchdog_owner_local(const char *root,
		    struct watchdog_owner *);
/*
 * Two Gets taken elapsed_ms apart: 1 if someone reset (or started) the
 * countdown in between, 0 if it ran down undisturbed or is stopped, -1
 * if the BMC gives no present countdown (ipmi_sim quirk).
 */
int		 watchdog_owner_countdown(const struct wdt_timer *,
		    const struct wdt_timer *, unsigned elapsed_ms);
/* one line describing the owner found, for refusals */
void		 watchdog_owner_text(const struct watchdog_owner *, char *,
		    size_t);

enum watchdog_opkind {
	WATCHDOG_OP_GET,
	WATCHDOG_OP_ARM,	/* [owner check] Set, Reset, Get */
	WATCHDOG_OP_KICK,	/* Reset; 80h: Set then Reset */
	WATCHDOG_OP_STOP	/* Get, then Set the same with no action,
				 * timer stopped */
};

struct watchdog_op;
typedef void	watchdog_done_fn(struct watchdog_op *, void *arg);

/* Caller-owned state of one operation; results valid in the callback. */
struct watchdog_op {
	/* in */
	enum watchdog_opkind kind;
	struct watchdog_cfg cfg;	/* ARM, KICK (for the 80h Set) */
	unsigned	 owner_wait_ms;	/* ARM: gap between the two Gets,
					 * 0 = no countdown check */
	int		 force;		/* ARM: take over from an owner */
	const struct watchdog_owner *local; /* ARM: local findings, or NULL */
	/* out */
	enum watchdog_err err;
	enum ipmi_err	 ierr;
	uint8_t		 ccode;
	const char	*step;		/* "Get Watchdog Timer", ... */
	struct wdt_timer timer;		/* last Get */
	struct wdt_timer before;	/* ARM: the first Get */
	struct watchdog_owner owner;	/* ARM: what was found */
	uint32_t	 quirks;	/* WDT_QUIRK_* seen */
	int		 reinit;	/* KICK: 80h was answered */
	/* private */
	struct ev	*ev;
	struct conn	*conn;
	struct ev_timer	*timer_ev;
	watchdog_done_fn *done;
	void		*arg;
	int		 state;
	int		 active;
	uint64_t	 t0;
	struct ipmi_req	 req;
};

/* Start op (kind and inputs filled by the caller).  0, or -1 if it
 * could not be queued (then done is not called). */
int		 watchdog_op_start(struct watchdog_op *, struct ev *,
		    struct conn *, watchdog_done_fn *, void *);
/* Abandon an operation whose callback has not run (its pending request
 * still completes, into nothing).  Safe on an idle op. */
void		 watchdog_op_cancel(struct watchdog_op *);
/* "Set Watchdog Timer: completion code CCh: ..." and the like */
void		 watchdog_op_errtext(const struct watchdog_op *, char *,
		    size_t);

/*
 * Heartbeat: arm once, then kick every cfg.interval_ms.  A failed kick
 * is reported and retried at the next period (never faster).
 *
 * gate (optional, set before watchdog_hb_start): asked before every
 * kick; 0 withholds that kick (counted in withheld), so the countdown
 * runs on and the BMC acts unless a later kick comes in time.  The
 * daemon gates on its own health (bmcwatchd.8, "Watchdog").  The gate
 * is not asked before arming: an unarmed timer needs no protection.
 */
struct watchdog_hb;
typedef void	watchdog_hb_fn(struct watchdog_hb *, const struct
		    watchdog_op *, void *arg);
typedef int	watchdog_gate_fn(struct watchdog_hb *, void *arg);
struct watchdog_hb {
	struct watchdog_cfg cfg;
	int		 force;
	unsigned	 owner_wait_ms;
	const struct watchdog_owner *local;
	watchdog_gate_fn *gate;
	void		*gate_arg;
	uint64_t	 kicks;
	uint64_t	 failures;
	uint64_t	 withheld;	/* kicks the gate refused */
	int		 armed;
	int		 stopping;
	/* private */
	struct watchdog_op op;
	struct ev	*ev;
	struct conn	*conn;
	struct ev_timer	*tick;
	watchdog_hb_fn	*event;
	void		*arg;
};
/* Validates cfg (-1 with err set on refusal), arms, and calls event
 * after each operation. */
int		 watchdog_hb_start(struct watchdog_hb *, struct ev *,
		    struct conn *, watchdog_hb_fn *, void *, char *err,
		    size_t errlen);
/* Stop kicking and switch the timer off; event is called with the STOP
 * op when done. */
void		 watchdog_hb_stop(struct watchdog_hb *);
/* Stop kicking, leaving the timer as it is (it fires unless someone
 * else resets it); an operation in flight still completes. */
void		 watchdog_hb_pause(struct watchdog_hb *);
/* release the timer; the hb must be idle (after the STOP event) */
void		 watchdog_hb_free(struct watchdog_hb *);

#endif
