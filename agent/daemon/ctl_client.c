/*
 * The control socket client (ctl_client.h).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_client.h"
#include "ev.h"
#include "xmem.h"

/*
 * Here rather than in ctl.c (declared in ctl.h): a client links none of
 * the server.
 */
int
ctl_frame_header(const char *buf, size_t len, int *code, size_t *plen,
    size_t *hlen)
{
	const char *nl = memchr(buf, '\n', len < 40 ? len : 40);
	unsigned long long n = 0;
	size_t i, start;
	int c = 0;

	if (nl == NULL)
		return len >= 40 ? -1 : 0;
	if (len >= 3 && memcmp(buf, "ok ", 3) == 0)
		start = 3;
	else if (len >= 4 && memcmp(buf, "err ", 4) == 0) {
		i = 4;
		if (i >= (size_t)(nl - buf) || buf[i] < '0' || buf[i] > '9')
			return -1;
		while (buf[i] >= '0' && buf[i] <= '9' && c < 1000)
			c = c * 10 + (buf[i++] - '0');
		if (buf[i] != ' ' || c == 0 || c > 255)
			return -1;
		start = i + 1;
	} else
		return -1;
	if (start >= (size_t)(nl - buf))
		return -1;
	for (i = start; i < (size_t)(nl - buf); i++) {
		if (buf[i] < '0' || buf[i] > '9' || i - start >= 12)
			return -1;
		n = n * 10 + (unsigned long long)(buf[i] - '0');
	}
	*code = c;
	*plen = (size_t)n;
	*hlen = (size_t)(nl - buf) + 1;
	return 1;
}

/* wait for fd to be ready for events until deadline (ev_now() ms) */
static int
ctl_client_wait(int fd, short events, uint64_t deadline)
{
	struct pollfd p;
	uint64_t now;
	int r;

	for (;;) {
		now = ev_now();
		if (now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, (int)(deadline - now));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static enum ctl_client_err
ctl_client_fail(enum ctl_client_err e, char *err, size_t errlen,
    const char *path, const char *why)
{
	(void)snprintf(err, errlen, "%s: %s", path, why);
	return e;
}

enum ctl_client_err
ctl_client_ask(const char *path, const char *req, unsigned timeout_ms,
    int *code, char **out, size_t *outlen, char *err, size_t errlen)
{
	struct sockaddr_un a;
	char line[CTL_LINE_MAX + 2];
	char *buf = NULL;
	size_t len = 0, cap = 0, hl = 0, plen = 0, off, rl;
	uint64_t deadline = ev_now() + timeout_ms;
	enum ctl_client_err e = CTL_CLIENT_OK;
	const char *why = NULL;
	ssize_t n;
	int fd = -1, got = 0;

	*out = NULL;
	*outlen = 0;
	*code = 0;
	rl = strlen(req);
	if (rl > CTL_LINE_MAX || memchr(req, '\n', rl) != NULL)
		return ctl_client_fail(CTL_CLIENT_USAGE, err, errlen, path,
		    "request too long or more than one line");
	memcpy(line, req, rl);
	line[rl++] = '\n';
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path))
		return ctl_client_fail(CTL_CLIENT_USAGE, err, errlen, path,
		    "socket path too long");
	memcpy(a.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		(void)snprintf(err, errlen, "%s: %s (is bmcwatchd running?)",
		    path, strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return CTL_CLIENT_CONNECT;
	}
	for (off = 0; off < rl;) {
		if (ctl_client_wait(fd, POLLOUT, deadline) != 0)
			goto io;
		n = send(fd, line + off, rl - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			goto io;
		if (n > 0)
			off += (size_t)n;
	}
	(void)shutdown(fd, SHUT_WR);
	/* the header, then plen bytes */
	for (;;) {
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, cap, 1);
		}
		if (ctl_client_wait(fd, POLLIN, deadline) != 0)
			goto io;
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			goto io;
		len += (size_t)n;
		if (!got) {
			int r = ctl_frame_header(buf, len, code, &plen, &hl);

			if (r < 0 || (r > 0 && plen > CTL_OUT_MAX)) {
				e = CTL_CLIENT_PROTO;
				why = r < 0 ? "not a bmcwatchd answer" :
				    "answer too long";
				goto fail;
			}
			got = r;
		}
		if (got && len >= hl + plen)
			break;
		if (n == 0) {
			e = CTL_CLIENT_PROTO;
			why = got ? "the daemon closed the connection in the "
			    "middle of an answer" : "the daemon closed the "
			    "connection without an answer";
			goto fail;
		}
	}
	(void)close(fd);
	memmove(buf, buf + hl, plen);
	buf[plen] = '\0';
	*out = buf;
	*outlen = plen;
	return CTL_CLIENT_OK;
io:
	e = errno == ETIMEDOUT ? CTL_CLIENT_TIMEOUT : CTL_CLIENT_IO;
	why = errno == ETIMEDOUT ? "no answer from bmcwatchd in time" :
	    strerror(errno);
fail:
	(void)close(fd);
	free(buf);
	*code = 0;
	return ctl_client_fail(e, err, errlen, path, why);
}
