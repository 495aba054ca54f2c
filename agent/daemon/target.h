/*
 * One monitored BMC in bmcwatchd (DESIGN.md, "Target lifecycle"): its
 * address (resolved on the "dns" worker), its transport on the loop,
 * the subsystems that poll it (identity, sensors, SEL, chassis status,
 * watchdog timer), the heartbeat of a watchdog block, its health, and
 * its part of the store.
 *
 * Runs: each subsystem has a timer at its interval; a tick marks the
 * subsystem pending, or counts a skip when it is still pending or
 * running.  Runs of one target go one at a time, in the order actions,
 * identity, SEL, sensors, chassis, watchdog timer (the SEL first, so
 * an in-band event reaches the store fast; the SDR refresh of a sweep
 * never runs under a SEL pass that describes entries with it).  The
 * heartbeat and the control socket's power and identify actions go to
 * the transport directly, between the requests of a run.
 *
 * Health: a run that gets no answer (a transport failure) counts one
 * failure; any answer, a completion code included, resets the count.
 * After unreachable-after failures in a row the target is unreachable:
 * its subsystems stop, the name is resolved again (the BMC may have
 * moved), and a probe (Get Device ID) goes out after 2 s, 4 s ... up to
 * backoff-max; the first answer brings it back and every subsystem runs
 * at once.  Both transitions are logged once; failures in between are
 * rate-limited (log_fail).  A session is never piled up: the transport
 * holds at most one, re-opened after a loss, closed on stop.
 *
 * Progress (the heartbeat's gate, with the watchdog checks): a run in
 * flight whose transport has sent, received and completed nothing for
 * twice the request timeout plus 5 s is stuck.  The transport ends every
 * request within its timeout, so only a lost callback (a bug) gets
 * there; a stuck target is logged, shown in `targets`, and withholds
 * the heartbeat and systemd's WATCHDOG=1.
 */
#ifndef TARGET_H
#define TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ctl.h"
#include "ev.h"

struct spawn;
struct store;
struct work;
struct target;

struct target_env {
	struct ev	*ev;
	struct work	*io;		/* archive, state, caches, acks */
	struct work	*dns;		/* getaddrinfo */
	struct work	*checks;	/* the watchdog's file checks */
	struct spawn	*spawn;		/* the watchdog's check commands */
	struct store	*store;
	const struct conf *conf;	/* the running one: paths, syslog */
	/* once per target, when its first full poll is done (each
	 * subsystem ran once, or it turned unreachable, or it stopped) */
	void		(*ready)(void *arg, struct target *);
	/* 1 if the daemon makes progress (every target's runs complete);
	 * else 0 with the reason in why */
	int		(*progress)(void *arg, char *why, size_t);
	void		*arg;
};

/* ct is borrowed (the running conf's); the target starts at once */
struct target	*target_new(struct target_env *, const struct conf_target *);
/* the same settings in a new conf (conf_target_equal): point at it */
void		 target_rebind(struct target *, const struct conf_target *);
/*
 * Begin a clean stop: actions answered, heartbeat disarmed (left
 * running with nowayout), Close Session, bounded by the timeout.  done
 * is called once, from the loop, then target_free may be called.
 */
void		 target_stop(struct target *, void (*done)(struct target *,
		    void *), void *);
void		 target_free(struct target *);
const char	*target_name(const struct target *);
int		 target_ready(const struct target *);
/* 1 (and why) when a run makes no progress (see above); now: ms */
int		 target_stuck(struct target *, uint64_t now, char *why,
		    size_t);
/* SIGHUP: reopen the SEL archive */
void		 target_reopen(struct target *);
/* a control socket action (ctl_action_fn) for this target */
int		 target_action(struct target *, struct ctl_action *,
		    char *err, size_t errlen);
/* a control socket `sol' stream for this target's console
 * (ctl_stream_fn) */
int		 target_console(struct target *, struct ctl_stream *,
		    char *err, size_t errlen);

#endif
