/*
 * Unit tests for the sd_notify datagram (agent/daemon/notify.c): a
 * socket the test binds (a path and an abstract name) receives exactly
 * the messages sent; the watchdog period is half of WATCHDOG_USEC and
 * only for our pid; the variables are gone after init; bad ones are
 * refused with their name.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "notify.h"

static int
bind_dgram(const char *name, int abstract)
{
	struct sockaddr_un a;
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (abstract) {
		memcpy(a.sun_path + 1, name, strlen(name));
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
		    strlen(name));
	} else {
		(void)snprintf(a.sun_path, sizeof(a.sun_path), "%s", name);
		len = sizeof(a);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) != 0)
		return -1;
	return fd;
}

static void
recv_is(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	CHECK(n >= 0);
	if (n < 0)
		return;
	buf[n] = '\0';
	CHECK_STR(buf, want);
}

static void
test_none(void)
{
	struct notify n;
	char err[256];

	(void)unsetenv("NOTIFY_SOCKET");
	(void)unsetenv("WATCHDOG_USEC");
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(n.fd, -1);
	CHECK_EQ(notify_send(&n, "READY=1"), 0);
	CHECK_EQ(notify_watchdog_ms(&n), 0);
	notify_close(&n);
}

static void
test_path(void)
{
	char dir[] = "/tmp/test_notify.XXXXXX", path[128], err[256];
	struct notify n;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/notify", dir);
	fd = bind_dgram(path, 0);
	CHECK(fd >= 0);
	(void)setenv("NOTIFY_SOCKET", path, 1);
	(void)setenv("WATCHDOG_USEC", "3000000", 1);
	(void)unsetenv("WATCHDOG_PID");
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK(n.fd >= 0);
	CHECK_EQ(notify_watchdog_ms(&n), 1500);
	/* not inherited by children */
	CHECK(getenv("NOTIFY_SOCKET") == NULL);
	CHECK(getenv("WATCHDOG_USEC") == NULL);
	CHECK_EQ(notify_send(&n, "READY=1"), 0);
	recv_is(fd, "READY=1");
	CHECK_EQ(notify_send(&n, "STATUS=2 targets, 2 up\nWATCHDOG=1"), 0);
	recv_is(fd, "STATUS=2 targets, 2 up\nWATCHDOG=1");
	notify_close(&n);
	(void)close(fd);
	/* nobody listening: an error, not a block */
	(void)setenv("NOTIFY_SOCKET", path, 1);
	(void)unlink(path);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(notify_send(&n, "STOPPING=1"), -1);
	notify_close(&n);
	(void)rmdir(dir);
}

static void
test_abstract(void)
{
	char name[64], env[80], err[256];
	struct notify n;
	int fd;

	(void)snprintf(name, sizeof(name), "bmcwatch-test-notify-%ld",
	    (long)getpid());
	fd = bind_dgram(name, 1);
	CHECK(fd >= 0);
	(void)snprintf(env, sizeof(env), "@%s", name);
	(void)setenv("NOTIFY_SOCKET", env, 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(notify_send(&n, "STOPPING=1"), 0);
	recv_is(fd, "STOPPING=1");
	notify_close(&n);
	(void)close(fd);
}

static void
test_watchdog_pid(void)
{
	char pid[32], err[256];
	struct notify n;

	(void)unsetenv("NOTIFY_SOCKET");
	(void)setenv("WATCHDOG_USEC", "20000000", 1);
	(void)setenv("WATCHDOG_PID", "1", 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(notify_watchdog_ms(&n), 0);	/* meant for pid 1 */
	(void)snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	(void)setenv("WATCHDOG_USEC", "20000000", 1);
	(void)setenv("WATCHDOG_PID", pid, 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(notify_watchdog_ms(&n), 10000);
	CHECK(getenv("WATCHDOG_PID") == NULL);
}

static void
test_bad(void)
{
	char err[256];
	struct notify n;

	(void)setenv("WATCHDOG_USEC", "12x", 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), -1);
	CHECK(strstr(err, "WATCHDOG_USEC") != NULL);
	(void)unsetenv("WATCHDOG_USEC");
	(void)setenv("NOTIFY_SOCKET", "relative/path", 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), -1);
	CHECK(strstr(err, "NOTIFY_SOCKET") != NULL);
	CHECK_EQ(n.fd, -1);
	(void)setenv("NOTIFY_SOCKET", "/"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789012345678901234567890123456789012345678901234567890123", 1);
	CHECK_EQ(notify_init(&n, err, sizeof(err)), -1);
	(void)setenv("WATCHDOG_USEC", "1", 1);
	(void)unsetenv("NOTIFY_SOCKET");
	CHECK_EQ(notify_init(&n, err, sizeof(err)), 0);
	CHECK_EQ(notify_watchdog_ms(&n), 1);	/* never 0 when asked */
}

int
main(void)
{
	RUN(test_none);
	RUN(test_path);
	RUN(test_abstract);
	RUN(test_watchdog_pid);
	RUN(test_bad);
	return harness_end();
}
