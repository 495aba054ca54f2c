/*
 * The SNMP subagent as bmcwatchd's child (DESIGN.md, "Process model"):
 * started with `snmp yes`, connected by a socketpair that the control
 * socket serves like a privileged client (it asks for the `watch`
 * stream), restarted with a backoff when it dies, stopped with the
 * daemon.  It runs bmcwatch-snmp from the daemon's own directory (where
 * make install puts both), located before the privileges go.
 */
#ifndef SNMPCHILD_H
#define SNMPCHILD_H

#include <sys/types.h>

#include "ev.h"

struct conf;
struct ctl;
struct spawn;
struct snmpchild;

#define SNMPCHILD_PROG		"bmcwatch-snmp"
#define SNMPCHILD_BACKOFF_MS	1000	/* first restart delay, doubled */
#define SNMPCHILD_BACKOFF_MAX_MS 30000
#define SNMPCHILD_STABLE_MS	60000	/* a run this long resets it */

/* the subagent's path next to the running program (before the drop):
 * malloc'ed, or NULL with err */
char		*snmpchild_locate(char *err, size_t errlen);
/* starts the child if conf says snmp yes; prog is copied; ev, sp and
 * ctl are borrowed; start is the daemon's start time (Unix s) */
struct snmpchild *snmpchild_new(struct ev *, struct spawn *, struct ctl *,
		    const char *prog, long start);
/* a new configuration (start, and SIGHUP): the child is (re)started
 * when snmp, agentx-socket, state-dir or snmp-sel-trap-rate changed,
 * stopped with snmp no */
void		 snmpchild_conf(struct snmpchild *, const struct conf *);
/* the child's pid, 0 if none runs */
pid_t		 snmpchild_pid(const struct snmpchild *);
/* kills the child (SIGTERM to its group, SIGKILL from spawn if needed
 * is not waited for); NULL is a no-op */
void		 snmpchild_free(struct snmpchild *);

#endif
