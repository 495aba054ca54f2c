/*
 * The health checks that gate the watchdog heartbeat (bmcwatch.conf(5)
 * WATCHDOG): like the `watchdog' daemon, not blind like bmc-watchdog.
 * The daemon resets the BMC's timer only while its own loop runs (the
 * heartbeat is a loop timer) and health_ok() says yes.
 *
 * A struct health runs a target's checks itself, every heartbeat
 * interval, without ever blocking the loop:
 * - check-file PATH [max-age S]: PATH exists and, with max-age, its
 *   modification was seen within S seconds.  Freshness is measured on
 *   the monotonic clock: the age from the file's time (wall clock) is
 *   trusted only when the file is first seen, and each later change of
 *   its time, inode or size counts from when it was seen (within one
 *   interval), so stepping the wall clock forward cannot make a live
 *   file look stale and reset the machine.
 * - check-pid PIDFILE: the process whose ID PIDFILE holds runs (kill(pid,
 *   0) is 0 or EPERM, and it is no zombie).  Pid reuse: the process's
 *   start time (/proc/PID/stat) is learned with the pidfile's version
 *   (inode, time, content); the same pidfile naming a process that
 *   started at another time is a dead process whose ID was reused.  A
 *   pidfile already stale when first read (its process started after
 *   the file was written, by the wall clock) is logged, not failed: a
 *   wall clock stepped forward after boot would make every fresh
 *   pidfile look stale, and a failed check ends in a reset.
 * - check-command PATH [timeout T]: PATH (no shell, no arguments,
 *   stdin /dev/null, output captured for the log line) exits 0 within
 *   T; past T its process group is killed (SIGKILL) and the check
 *   fails.  Started and reaped through spawn.c.
 * stat() and open() of checked files run on a work instance (fs): a
 * hung NFS mount or a FIFO blocks its thread, never the loop; a check
 * that has not answered within an interval (a command: its timeout and
 * an interval) counts as failing, and no second run of it is started
 * until the first returns.
 *
 * A check that fails is logged once (log_fail: then repeats are counted
 * and summarised, as for a dead BMC), its recovery once (log_recover);
 * the target is named on every line.  health_ok() is 1 while every
 * check passes, or has been failing (or not answering) for less than
 * grace_s; 0 otherwise, and that change is logged once too.  Before its
 * first result a check counts as passing for one run's limit (an
 * interval; a command's timeout and an interval), then as failing
 * since the start: grace_s is counted from health_new for a check that
 * never passed.
 */
#ifndef HEALTH_H
#define HEALTH_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ev.h"
#include "spawn.h"
#include "work.h"

#define HEALTH_TEXT_MAX		256	/* health_failing() */
#define HEALTH_PIDFILE_MAX	64	/* bytes of a pidfile read */
#define HEALTH_STAT_MAX		1024	/* bytes of /proc/PID/stat read */

struct health;

/*
 * Start the checks of w (copied: the conf may go after this call) for
 * the target named target (copied), the first at once, then every
 * w->cfg.interval_ms.  sp reaps the commands; fs (a work instance with a
 * thread, shared by every struct health: a "checks" instance, not the
 * SEL archive's "io", which a hung file system must not hold up) runs
 * the stat()s and open()s; NULL runs them on the loop (tests only).
 * Free every health before work_free(fs): work_free waits for a job in
 * progress, which a hung mount never ends; free fs only when
 * work_pending(fs) is 0, or leave it to exit.
 */
struct health	*health_new(struct ev *, struct spawn *sp, struct work *fs,
		    const struct conf_watchdog *w, const char *target);
/* Stops the checks: a command still running is killed and reaped
 * later; a file check still blocked ends on its own.  NULL: no-op. */
void		 health_free(struct health *);

/* 1: reset the timer; 0: let it run out (see above) */
int		 health_ok(const struct health *);
/*
 * The first failing check in words ("check-file /run/app/alive: not
 * modified for 45 s (max-age 30 s)"), for the store and the MIB; also
 * while the grace still holds the heartbeat.  NULL when every check
 * passes.  Valid until the next loop turn.
 */
const char	*health_failing(const struct health *);

/*
 * Pure parsers of what the checks read (also for the fuzzer).  A pidfile:
 * a decimal process ID from 1 to INT_MAX, blanks around it allowed, and
 * nothing else; 0 with *pid, or -1.  /proc/PID/stat:
 * the state letter and the start time (field 22, clock ticks since
 * boot), found after the last ')' so a command name with spaces or
 * parentheses cannot shift the fields; 0, or -1.
 */
int		 health_parse_pidfile(const uint8_t *, size_t, pid_t *);
int		 health_parse_stat(const uint8_t *, size_t, char *state,
		    uint64_t *start);

#endif
