/*
 * bmcwatch -S SOCKET [--target NAME] [--json] COMMAND ...: ask bmcwatchd
 * instead of a BMC.  The command line becomes one control socket
 * request (ctl.h), the answer is printed as it comes: the same output as
 * the direct command, from the daemon's memory.  Exit status: the
 * answer's code (0; 1 refused or a completion code; 2 usage; 3 the BMC
 * unreachable, not read yet, or the daemon not answering).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ctl.h"
#include "ev.h"
#include "xmem.h"

/* append " word" to the request; -1 if it would not fit */
static int
ctl_add(char *req, size_t cap, const char *w)
{
	size_t l = strlen(req), n = strlen(w);

	if (l + n + 2 > cap)
		return -1;
	if (l > 0)
		req[l++] = ' ';
	memcpy(req + l, w, n + 1);
	return 0;
}

/* the request line for argv; 0, or -1 (usage said) */
static int
ctl_request(struct cli *c, int argc, char **argv, char *req, size_t cap)
{
	int i, rc = 0;
	char kv[CTL_NAME_MAX + 16];

	req[0] = '\0';
	for (i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		/* the direct command's options, as request keys */
		if (strcmp(a, "-v") == 0)
			rc = ctl_add(req, cap, "verbose=1");
		else if (strcmp(a, "--open") == 0)
			rc = ctl_add(req, cap, "open=1");
		else if (strcmp(a, "--last") == 0 && i + 1 < argc) {
			(void)snprintf(kv, sizeof(kv), "last=%.20s", argv[++i]);
			rc = ctl_add(req, cap, kv);
		} else if (a[0] == '-' && a[1] != '\0' && strcmp(argv[0],
		    "chassis") != 0) {
			cli_usage_error(argv[0], "option '%s' is not answered "
			    "by the daemon (-S)", a);
			return -1;
		} else if (strchr(a, '=') != NULL || strchr(a, ' ') != NULL) {
			cli_usage_error(argv[0], "bad word '%s'", a);
			return -1;
		} else
			rc = ctl_add(req, cap, a);
	}
	if (rc == 0 && c->target != NULL) {
		if (strlen(c->target) > CTL_NAME_MAX) {
			cli_usage_error("--target", "name longer than %d",
			    CTL_NAME_MAX);
			return -1;
		}
		(void)snprintf(kv, sizeof(kv), "target=%s", c->target);
		rc = ctl_add(req, cap, kv);
	}
	if (rc == 0 && c->json)
		rc = ctl_add(req, cap, "format=json");
	if (rc != 0) {
		cli_usage_error(argv[0], "request longer than %d bytes",
		    CTL_LINE_MAX);
		return -1;
	}
	return 0;
}

/* wait for fd to be ready for ev (POLLIN/POLLOUT) until deadline */
static int
ctl_wait(int fd, short ev, uint64_t deadline)
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
		p.events = ev;
		p.revents = 0;
		r = poll(&p, 1, (int)(deadline - now));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int
cli_ctl(struct cli *c, int argc, char **argv)
{
	struct sockaddr_un a;
	char req[CTL_LINE_MAX + 2];
	char *buf = NULL;
	size_t len = 0, cap = 0, hl = 0, plen = 0, off;
	uint64_t deadline;
	ssize_t n;
	int fd, code = 0, got = 0;

	if (argc > 0 && strcmp(argv[0], "sol") == 0)
		return cli_sol_attach(c, argc, argv);
	if (ctl_request(c, argc, argv, req, sizeof(req) - 1) != 0)
		return CLI_EUSAGE;
	len = strlen(req);
	req[len++] = '\n';
	req[len] = '\0';
	len = 0;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(c->sock) >= sizeof(a.sun_path)) {
		cli_usage_error("-S", "socket path too long");
		return CLI_EUSAGE;
	}
	memcpy(a.sun_path, c->sock, strlen(c->sock));
	deadline = ev_now() + (c->sock_timeout_ms ? c->sock_timeout_ms :
	    CLI_CTL_TIMEOUT_MS);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		fprintf(stderr, "bmcwatch: %s: %s (is bmcwatchd running?)\n",
		    c->sock, strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return CLI_ETRANSPORT;
	}
	for (off = 0; off < strlen(req);) {
		if (ctl_wait(fd, POLLOUT, deadline) != 0)
			goto io;
		n = send(fd, req + off, strlen(req) - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			goto io;
		if (n > 0)
			off += (size_t)n;
	}
	(void)shutdown(fd, SHUT_WR);
	/* the header, then plen bytes */
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, cap, 1);
		}
		if (ctl_wait(fd, POLLIN, deadline) != 0)
			goto io;
		n = read(fd, buf + len, cap - len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			goto io;
		len += (size_t)n;
		if (!got) {
			int r = ctl_frame_header(buf, len, &code, &plen, &hl);

			if (r < 0) {
				fprintf(stderr, "bmcwatch: %s: not a bmcwatchd "
				    "answer\n", c->sock);
				goto fail;
			}
			got = r;
		}
		if (got && len >= hl + plen)
			break;
		if (n == 0) {
			fprintf(stderr, "bmcwatch: %s: the daemon closed the "
			    "connection %s\n", c->sock, got ?
			    "in the middle of an answer" : "without an answer");
			goto fail;
		}
	}
	(void)close(fd);
	if (code == 0) {
		if (plen > 0)
			(void)fwrite(buf + hl, 1, plen, stdout);
	} else {
		fprintf(stderr, "bmcwatch: %.*s%s", (int)plen, buf + hl,
		    plen > 0 && buf[hl + plen - 1] == '\n' ? "" : "\n");
	}
	free(buf);
	return code;
io:
	fprintf(stderr, "bmcwatch: %s: %s\n", c->sock, errno == ETIMEDOUT ?
	    "no answer from bmcwatchd in time" : strerror(errno));
fail:
	(void)close(fd);
	free(buf);
	return CLI_ETRANSPORT;
}
