/*
 * The sd_notify datagram (see notify.h), as systemd's protocol
 * describes it: NOTIFY_SOCKET is an absolute path or starts with '@' for
 * the abstract namespace; each message is one datagram of
 * newline-separated VAR=VALUE assignments.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"

/* a decimal number of at most 19 digits; 0 or -1 */
static int
notify_parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > 19)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*v = n;
	return 0;
}

int
notify_init(struct notify *n, char *err, size_t errlen)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	uint64_t v, p;
	size_t len;
	int rc = 0;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (usec != NULL) {
		if (notify_parse_u64(usec, &v) != 0) {
			(void)snprintf(err, errlen, "WATCHDOG_USEC: not a "
			    "number of microseconds: '%.40s'", usec);
			rc = -1;
			goto done;
		}
		n->watchdog_usec = v;
		if (pid != NULL) {
			if (notify_parse_u64(pid, &p) != 0) {
				(void)snprintf(err, errlen, "WATCHDOG_PID: "
				    "not a process id: '%.40s'", pid);
				rc = -1;
				goto done;
			}
			if (p != (uint64_t)getpid())
				n->watchdog_usec = 0;	/* not ours */
		}
	}
	if (sock == NULL || *sock == '\0')
		goto done;
	len = strlen(sock);
	if ((sock[0] != '/' && sock[0] != '@') || len < 2 ||
	    len >= sizeof(n->addr.sun_path)) {
		(void)snprintf(err, errlen, "NOTIFY_SOCKET: not an absolute "
		    "path or @abstract name of at most %zu bytes",
		    sizeof(n->addr.sun_path) - 1);
		rc = -1;
		goto done;
	}
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, sock, len);
	if (sock[0] == '@')
		n->addr.sun_path[0] = '\0';
	n->addrlen = (unsigned)(offsetof(struct sockaddr_un, sun_path) + len +
	    (sock[0] == '@' ? 0 : 1));
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd < 0) {
		(void)snprintf(err, errlen, "NOTIFY_SOCKET: socket: %s",
		    strerror(errno));
		rc = -1;
	}
done:
	(void)unsetenv("NOTIFY_SOCKET");
	(void)unsetenv("WATCHDOG_USEC");
	(void)unsetenv("WATCHDOG_PID");
	return rc;
}

void
notify_close(struct notify *n)
{
	if (n->fd >= 0)
		(void)close(n->fd);
	n->fd = -1;
}

int
notify_send(const struct notify *n, const char *msg)
{
	ssize_t r;

	if (n->fd < 0)
		return 0;
	do
		r = sendto(n->fd, msg, strlen(msg), MSG_NOSIGNAL,
		    (const struct sockaddr *)&n->addr, n->addrlen);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : 0;
}

uint64_t
notify_watchdog_ms(const struct notify *n)
{
	uint64_t ms = n->watchdog_usec / 2000;

	return n->watchdog_usec > 0 && ms == 0 ? 1 : ms;
}
