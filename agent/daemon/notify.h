/*
 * sd_notify(3) without libsystemd: one datagram per state change to the
 * AF_UNIX socket systemd names in $NOTIFY_SOCKET (a path, or an abstract
 * name written with a leading '@').  Non-blocking: a service manager
 * that does not read never stalls the loop (the datagram is dropped and
 * the error returned).
 *
 *	READY=1		after the first full poll of every target
 *	WATCHDOG=1	every notify_watchdog_ms(), from the loop
 *	STOPPING=1	when a clean stop begins
 *	RELOADING=1	while SIGHUP is handled (then READY=1 again)
 *	STATUS=...	a line for `systemctl status'
 *
 * Without $NOTIFY_SOCKET every call does nothing and returns 0.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdint.h>
#include <sys/un.h>

struct notify {
	int		 fd;		/* -1: none */
	struct sockaddr_un addr;
	unsigned	 addrlen;
	uint64_t	 watchdog_usec;	/* 0: no watchdog asked */
};

/*
 * Read $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID (a watchdog meant
 * for another pid is not ours), then unset them so that no child
 * inherits them.  0 (also when there is no socket), or -1 with the reason
 * in err (a malformed variable, socket(2) failing).
 */
int	 notify_init(struct notify *, char *err, size_t errlen);
void	 notify_close(struct notify *);
/* send one message ("READY=1", "STATUS=..."); 0 or -1 with errno */
int	 notify_send(const struct notify *, const char *msg);
/* half of WATCHDOG_USEC in ms (as sd_watchdog_enabled(3) advises), or 0
 * when systemd asked for no watchdog */
uint64_t notify_watchdog_ms(const struct notify *);

#endif
