/*
 * Unit tests for dropping privileges (agent/daemon/priv.c): the status
 * parser on real and broken texts; directories made and handed over;
 * device nodes refused with their name; and, when the test runs as root,
 * a real drop in a child process to nobody (65534), checked from the
 * inside (ids, capabilities, root not regainable) and from the outside
 * (/proc/PID/status of the child).  What can run unprivileged runs
 * either way; the root-only parts say so when skipped.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "priv.h"

#define NOBODY	65534

static void
test_status_hex(void)
{
	static const char st[] =
	    "Name:\tbmcwatchd\nUmask:\t0022\nUid:\t0\t0\t0\t0\n"
	    "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
	    "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
	    "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\n";
	uint64_t v = 7;

	CHECK_EQ(priv_status_hex(st, sizeof(st) - 1, "CapEff", &v), 0);
	CHECK(v == 0x000001ffffffffffull);
	CHECK_EQ(priv_status_hex(st, sizeof(st) - 1, "CapAmb", &v), 0);
	CHECK(v == 0);
	CHECK_EQ(priv_status_hex(st, sizeof(st) - 1, "CapXyz", &v), -1);
	/* "Cap" alone is not "CapEff" */
	CHECK_EQ(priv_status_hex(st, sizeof(st) - 1, "Cap", &v), -1);
	/* cut before the value, or garbage in it */
	CHECK_EQ(priv_status_hex("CapEff:\t\n", 9, "CapEff", &v), -1);
	CHECK_EQ(priv_status_hex("CapEff:\t00zz\n", 13, "CapEff", &v), -1);
	CHECK_EQ(priv_status_hex("CapEff:\t00000000000000001\n", 26,
	    "CapEff", &v), -1);
	/* the length bounds the search: no NUL needed */
	CHECK_EQ(priv_status_hex("CapEff:\t1fXXXX", 10, "CapEff", &v), 0);
	CHECK(v == 0x1f);
}

static void
test_mkdir(void)
{
	char dir[] = "/tmp/test_priv.XXXXXX", p[128], err[256];
	struct stat st;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(p, sizeof(p), "%s/state", dir);
	CHECK_EQ(priv_mkdir(p, (uid_t)-1, (gid_t)-1, err, sizeof(err)), 0);
	CHECK(stat(p, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0750);
	/* again: fine */
	CHECK_EQ(priv_mkdir(p, (uid_t)-1, (gid_t)-1, err, sizeof(err)), 0);
	if (priv_root()) {
		CHECK_EQ(priv_mkdir(p, NOBODY, NOBODY, err, sizeof(err)), 0);
		CHECK(stat(p, &st) == 0 && st.st_uid == NOBODY &&
		    st.st_gid == NOBODY);
	} else
		printf("# not root: chown not tested\n");
	(void)rmdir(p);
	/* a file in the way */
	(void)snprintf(p, sizeof(p), "%s/file", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	(void)close(fd);
	CHECK_EQ(priv_mkdir(p, (uid_t)-1, (gid_t)-1, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a directory") != NULL && strstr(err, p));
	(void)unlink(p);
	/* a symbolic link is not taken for a directory */
	(void)snprintf(p, sizeof(p), "%s/link", dir);
	CHECK(symlink("/", p) == 0);
	CHECK_EQ(priv_mkdir(p, (uid_t)-1, (gid_t)-1, err, sizeof(err)), -1);
	(void)unlink(p);
	/* no parent */
	(void)snprintf(p, sizeof(p), "%s/no/such", dir);
	CHECK_EQ(priv_mkdir(p, (uid_t)-1, (gid_t)-1, err, sizeof(err)), -1);
	CHECK(strstr(err, "No such file") != NULL);
	(void)rmdir(dir);
}

static void
test_device(void)
{
	char err[256];

	CHECK_EQ(priv_device("/nonexistent/ipmi9", err, sizeof(err)), -1);
	CHECK(strstr(err, "/nonexistent/ipmi9") != NULL);
	CHECK_EQ(priv_device("/dev/null", err, sizeof(err)), -1);
	CHECK(strstr(err, "/dev/null") != NULL);
	priv_devices_close();
}

/* no core file: soft and hard limit 0, not to be raised again (in a
 * child, so the harness keeps its own limits) */
static void
test_nocore(void)
{
	char err[128];
	pid_t pid;
	int st = 0;

	pid = fork();
	if (pid == 0) {
		struct rlimit rl;

		if (priv_nocore(err, sizeof(err)) != 0 ||
		    getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_cur != 0 ||
		    rl.rlim_max != 0)
			_exit(1);
		rl.rlim_cur = rl.rlim_max = 4096;
		/* raising the hard limit needs CAP_SYS_RESOURCE: as root
		 * it works, which is why priv_drop() empties the
		 * bounding set; not root, it must fail */
		if (geteuid() != 0 && setrlimit(RLIMIT_CORE, &rl) == 0)
			_exit(2);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

static void
test_drop_not_root(void)
{
	char err[256];

	if (priv_root()) {
		/* uid 0 is refused before anything is changed */
		CHECK_EQ(priv_drop(0, 0, err, sizeof(err)), -1);
		CHECK(strstr(err, "refusing to run as root") != NULL);
		CHECK(priv_root());
		return;
	}
	CHECK_EQ(priv_drop(NOBODY, NOBODY, err, sizeof(err)), 1);
}

/* as root: drop in a child, check it there and from here */
static void
test_drop_root(void)
{
	char err[256], path[64], buf[4096];
	int p2c[2], c2p[2], status, fd;
	ssize_t n;
	pid_t pid;
	uint64_t v;

	if (!priv_root()) {
		printf("# not root: the real drop is not tested\n");
		return;
	}
	if (pipe(p2c) != 0 || pipe(c2p) != 0) {
		CHECK(0);
		return;
	}
	if ((pid = fork()) == 0) {
		char c;
		int rc = 0;

		(void)close(p2c[1]);
		(void)close(c2p[0]);
		if (priv_drop(NOBODY, NOBODY, err, sizeof(err)) != 0) {
			printf("# child: %s\n", err);
			rc |= 1;
		}
		if (getuid() != NOBODY || geteuid() != NOBODY ||
		    getgid() != NOBODY || getegid() != NOBODY)
			rc |= 2;
		if (setuid(0) == 0 || errno != EPERM)
			rc |= 4;
		if (open("/proc/1/environ", O_RDONLY) >= 0)
			rc |= 8;
		if (priv_verify(NOBODY, NOBODY, err, sizeof(err)) != 0)
			rc |= 16;
		/* dropped: the parent reads our status now */
		(void)write(c2p[1], "d", 1);
		(void)read(p2c[0], &c, 1);
		_exit(rc);
	}
	(void)close(p2c[0]);
	(void)close(c2p[1]);
	CHECK(read(c2p[0], buf, 1) == 1);
	(void)snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		(void)close(fd);
	CHECK(n > 0);
	if (n > 0) {
		buf[n] = '\0';
		CHECK(priv_status_hex(buf, (size_t)n, "CapEff", &v) == 0 &&
		    v == 0);
		CHECK(priv_status_hex(buf, (size_t)n, "CapPrm", &v) == 0 &&
		    v == 0);
		CHECK(priv_status_hex(buf, (size_t)n, "CapBnd", &v) == 0 &&
		    v == 0);
		CHECK(strstr(buf, "\nUid:\t65534\t65534\t65534") != NULL);
		CHECK(strstr(buf, "\nNoNewPrivs:\t1") != NULL);
	}
	(void)write(p2c[1], "x", 1);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	(void)close(p2c[1]);
	(void)close(c2p[0]);
}

int
main(void)
{
	RUN(test_status_hex);
	RUN(test_mkdir);
	RUN(test_device);
	RUN(test_nocore);
	RUN(test_drop_not_root);
	RUN(test_drop_root);
	return harness_end();
}
