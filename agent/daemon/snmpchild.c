/*
 * bmcwatchd's SNMP subagent child (snmpchild.h).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "log.h"
#include "snmpchild.h"
#include "spawn.h"
#include "xmem.h"

struct snmpchild {
	struct ev	*ev;
	struct spawn	*sp;
	struct ctl	*ctl;
	char		*prog;
	long		 start;
	int		 errfd;		/* our stderr, for the child's log */
	/* what the child runs with */
	int		 enabled;
	char		*agentx;
	char		*index_file;
	char		*socket;	/* the control socket: SETs (-S) */
	unsigned	 rate;
	int		 pet;		/* snmp-pet-traps: -P */
	pid_t		 pid;
	uint64_t	 started_ms;
	int64_t		 backoff_ms;
	struct ev_timer	*restart;
};

char *
snmpchild_locate(char *err, size_t errlen)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n;
	size_t len;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0) {
		(void)snprintf(err, errlen, "/proc/self/exe: %s",
		    strerror(errno));
		return NULL;
	}
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL) {
		(void)snprintf(err, errlen, "%s: not a path", self);
		return NULL;
	}
	slash[1] = '\0';
	len = strlen(self) + sizeof(SNMPCHILD_PROG);
	p = xmalloc(len);
	(void)snprintf(p, len, "%s%s", self, SNMPCHILD_PROG);
	return p;
}

static void	snmpchild_start(struct snmpchild *);

static int64_t
snmpchild_restart(void *arg)
{
	struct snmpchild *s = arg;

	if (s->enabled && s->pid == 0)
		snmpchild_start(s);
	return -1;
}

static void
snmpchild_exit(void *arg, const struct spawn_exit *ex)
{
	struct snmpchild *s = arg;
	uint64_t ran = ev_now() - s->started_ms;

	s->pid = 0;
	if (ex->exec_errno != 0)
		log_warnx("snmp", "%s: cannot run: %s", s->prog,
		    strerror(ex->exec_errno));
	else if (WIFSIGNALED(ex->status))
		log_warnx("snmp", "subagent pid %ld killed by signal %d",
		    (long)ex->pid, WTERMSIG(ex->status));
	else
		log_warnx("snmp", "subagent pid %ld exited with %d",
		    (long)ex->pid, WEXITSTATUS(ex->status));
	if (!s->enabled)
		return;
	if (ran >= SNMPCHILD_STABLE_MS)
		s->backoff_ms = SNMPCHILD_BACKOFF_MS;
	log_info("snmp", "restarting the subagent in %lld ms",
	    (long long)s->backoff_ms);
	ev_timer_set(s->ev, s->restart, s->backoff_ms);
	s->backoff_ms *= 2;
	if (s->backoff_ms > SNMPCHILD_BACKOFF_MAX_MS)
		s->backoff_ms = SNMPCHILD_BACKOFF_MAX_MS;
}

static void
snmpchild_start(struct snmpchild *s)
{
	struct spawn_opts o;
	char fdarg[16], errarg[16], rate[16], start[24], err[256];
	char *argv[22];
	int sv[2], n = 0, v;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
	    sv) != 0) {
		log_warn("snmp", "socketpair");
		ev_timer_set(s->ev, s->restart, s->backoff_ms);
		return;
	}
	(void)snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
	(void)snprintf(rate, sizeof(rate), "%u", s->rate);
	(void)snprintf(start, sizeof(start), "%ld", s->start);
	argv[n++] = s->prog;
	argv[n++] = (char *)(uintptr_t)"-s";
	argv[n++] = fdarg;
	argv[n++] = (char *)(uintptr_t)"-x";
	argv[n++] = s->agentx;
	argv[n++] = (char *)(uintptr_t)"-i";
	argv[n++] = s->index_file;
	argv[n++] = (char *)(uintptr_t)"-S";
	argv[n++] = s->socket;
	argv[n++] = (char *)(uintptr_t)"-r";
	argv[n++] = rate;
	argv[n++] = (char *)(uintptr_t)"-T";
	argv[n++] = start;
	memset(&o, 0, sizeof(o));
	o.keep_fds[o.nkeep++] = sv[1];
	if (s->errfd >= 3) {
		(void)snprintf(errarg, sizeof(errarg), "%d", s->errfd);
		argv[n++] = (char *)(uintptr_t)"-e";
		argv[n++] = errarg;
		o.keep_fds[o.nkeep++] = s->errfd;
	}
	if (s->pet)
		argv[n++] = (char *)(uintptr_t)"-P";
	if (log_to_stderr())
		argv[n++] = (char *)(uintptr_t)"-d";
	for (v = log_verbosity(); v > 0 && n < 20; v--)
		argv[n++] = (char *)(uintptr_t)"-v";
	argv[n] = NULL;
	s->pid = spawn_start(s->sp, argv, &o, snmpchild_exit, s, err,
	    sizeof(err));
	(void)close(sv[1]);
	if (s->pid < 0) {
		s->pid = 0;
		(void)close(sv[0]);
		log_warnx("snmp", "subagent: %s", err);
		ev_timer_set(s->ev, s->restart, s->backoff_ms);
		return;
	}
	s->started_ms = ev_now();
	if (ctl_adopt(s->ctl, sv[0], s->pid, 1) != 0)
		log_warnx("snmp", "subagent pid %ld: no control-socket slot "
		    "left (max-clients)", (long)s->pid);
	log_info("snmp", "subagent pid %ld started (AgentX %s)",
	    (long)s->pid, s->agentx);
}

struct snmpchild *
snmpchild_new(struct ev *ev, struct spawn *sp, struct ctl *ctl,
    const char *prog, long start)
{
	struct snmpchild *s = xcalloc(1, sizeof(*s));

	s->ev = ev;
	s->sp = sp;
	s->ctl = ctl;
	s->prog = xstrdup(prog);
	s->start = start;
	s->errfd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	s->backoff_ms = SNMPCHILD_BACKOFF_MS;
	s->restart = ev_timer_add(ev, -1, snmpchild_restart, s);
	return s;
}

static void
snmpchild_stop(struct snmpchild *s)
{
	if (s->pid > 0) {
		log_info("snmp", "stopping subagent pid %ld", (long)s->pid);
		(void)spawn_kill(s->sp, s->pid, SIGTERM);
		spawn_forget(s->sp, s->pid, 0);
		s->pid = 0;
	}
}

void
snmpchild_conf(struct snmpchild *s, const struct conf *c)
{
	char *idx;
	size_t len;
	int same;

	len = strlen(c->state_dir) + sizeof("/snmp-index");
	idx = xmalloc(len);
	(void)snprintf(idx, len, "%s/snmp-index", c->state_dir);
	same = s->enabled == (c->snmp != 0) && s->agentx != NULL &&
	    strcmp(s->agentx, c->agentx_socket) == 0 &&
	    strcmp(s->index_file, idx) == 0 && s->rate ==
	    c->snmp_sel_trap_rate && strcmp(s->socket, c->socket) == 0 &&
	    s->pet == (c->snmp_pet_traps != 0);
	if (same && (s->pid > 0 || !s->enabled)) {
		free(idx);
		return;
	}
	snmpchild_stop(s);
	free(s->agentx);
	free(s->index_file);
	free(s->socket);
	s->socket = xstrdup(c->socket);
	s->agentx = xstrdup(c->agentx_socket);
	s->index_file = idx;
	s->rate = c->snmp_sel_trap_rate;
	s->pet = c->snmp_pet_traps != 0;
	s->enabled = c->snmp != 0;
	s->backoff_ms = SNMPCHILD_BACKOFF_MS;
	ev_timer_set(s->ev, s->restart, -1);
	if (s->enabled)
		snmpchild_start(s);
}

pid_t
snmpchild_pid(const struct snmpchild *s)
{
	return s != NULL ? s->pid : 0;
}

void
snmpchild_free(struct snmpchild *s)
{
	if (s == NULL)
		return;
	s->enabled = 0;
	snmpchild_stop(s);
	ev_timer_del(s->ev, s->restart);
	if (s->errfd >= 0)
		(void)close(s->errfd);
	free(s->prog);
	free(s->agentx);
	free(s->index_file);
	free(s->socket);
	free(s);
}
