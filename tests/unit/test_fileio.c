/* Unit tests for the durable file writes (agent/util/fileio.c). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "fileio.h"

static char tdir[256];

static void
mkpath(char *buf, size_t len, const char *name)
{
	(void)snprintf(buf, len, "%s/%s", tdir, name);
}

static size_t
slurp(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (size_t)-1;
	n = read(fd, buf, len);
	(void)close(fd);
	return n < 0 ? (size_t)-1 : (size_t)n;
}

static void
test_write_all(void)
{
	char path[PATH_MAX], got[64] = "";
	int fd;

	mkpath(path, sizeof(path), "wa");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(fileio_write_all(fd, "hello ", 6), 0);
	CHECK_EQ(fileio_write_all(fd, "world", 5), 0);
	CHECK_EQ(fileio_write_all(fd, "", 0), 0);
	(void)close(fd);
	CHECK_EQ(slurp(path, got, sizeof(got)), 11);
	CHECK_MEM(got, "hello world", 11);
	CHECK_EQ(fileio_write_all(-1, "x", 1), -1);
	CHECK_EQ(errno, EBADF);
}

static void
test_read_all(void)
{
	char path[PATH_MAX], got[16];
	int fd, p[2];

	mkpath(path, sizeof(path), "read");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(fileio_write_all(fd, "0123456789", 10) == 0);
	(void)close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	/* a bounded read says "cap" when there may be more */
	CHECK_EQ(fileio_read_all(fd, got, 4), 4);
	CHECK_MEM(got, "0123", 4);
	CHECK_EQ(fileio_read_all(fd, got, sizeof(got)), 6);
	CHECK_MEM(got, "456789", 6);
	CHECK_EQ(fileio_read_all(fd, got, sizeof(got)), 0);
	(void)close(fd);
	/* short reads (a pipe delivering in pieces) are joined */
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "ab", 2) == 2);
	CHECK(write(p[1], "cd", 2) == 2);
	(void)close(p[1]);
	CHECK_EQ(fileio_read_all(p[0], got, sizeof(got)), 4);
	CHECK_MEM(got, "abcd", 4);
	(void)close(p[0]);
	CHECK_EQ(fileio_read_all(-1, got, sizeof(got)), -1);
	CHECK_EQ(errno, EBADF);
	(void)unlink(path);
}

static void
test_sync_dir(void)
{
	char path[PATH_MAX];

	mkpath(path, sizeof(path), "f");
	CHECK_EQ(fileio_sync_dir(path), 0);
	CHECK_EQ(fileio_sync_dir("nodir-here"), 0);	/* "." */
	CHECK_EQ(fileio_sync_dir("/f"), 0);		/* "/" */
	mkpath(path, sizeof(path), "missing/f");
	CHECK_EQ(fileio_sync_dir(path), -1);
}

static void
test_replace(void)
{
	char path[PATH_MAX], tmp[PATH_MAX], got[64] = "", err[256];
	struct stat st;

	mkpath(path, sizeof(path), "state");
	mkpath(tmp, sizeof(tmp), "state.tmp");
	err[0] = '\0';
	CHECK_EQ(fileio_replace(path, tmp, "one\n", 4, 0640, err,
	    sizeof(err)), 0);
	CHECK_EQ(slurp(path, got, sizeof(got)), 4);
	CHECK_MEM(got, "one\n", 4);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK(access(tmp, F_OK) != 0);
	/* replace an existing file */
	CHECK_EQ(fileio_replace(path, tmp, "second\n", 7, 0640, err,
	    sizeof(err)), 0);
	CHECK_EQ(slurp(path, got, sizeof(got)), 7);
	CHECK_MEM(got, "second\n", 7);
	CHECK_STR(err, "");
}

static void
test_replace_fail(void)
{
	char path[PATH_MAX], tmp[PATH_MAX], got[64] = "", err[256];

	/* tmp in a missing directory: open fails, path untouched */
	mkpath(path, sizeof(path), "state");
	mkpath(tmp, sizeof(tmp), "missing/state.tmp");
	CHECK_EQ(fileio_replace(path, tmp, "x", 1, 0640, err, sizeof(err)),
	    -1);
	CHECK(strncmp(err, tmp, strlen(tmp)) == 0);
	CHECK_EQ(slurp(path, got, sizeof(got)), 7);
	/* rename onto a directory fails, and tmp is removed */
	mkpath(path, sizeof(path), "adir");
	CHECK_EQ(mkdir(path, 0700), 0);
	mkpath(tmp, sizeof(tmp), "adir.tmp");
	CHECK_EQ(fileio_replace(path, tmp, "x", 1, 0640, err, sizeof(err)),
	    -1);
	CHECK(strncmp(err, path, strlen(path)) == 0);
	CHECK(access(tmp, F_OK) != 0);
	/* a symlinked tmp is not followed */
	mkpath(path, sizeof(path), "state2");
	mkpath(tmp, sizeof(tmp), "state2.tmp");
	CHECK_EQ(symlink("target", tmp), 0);
	CHECK_EQ(fileio_replace(path, tmp, "x", 1, 0640, err, sizeof(err)),
	    -1);
	mkpath(path, sizeof(path), "target");
	CHECK(access(path, F_OK) != 0);
}

static void
cleanup(void)
{
	static const char *names[] = { "wa", "state", "state.tmp", "adir",
	    "adir.tmp", "state2", "state2.tmp", "target" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		mkpath(path, sizeof(path), names[i]);
		(void)unlink(path);
		(void)rmdir(path);
	}
	(void)rmdir(tdir);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	(void)snprintf(tdir, sizeof(tdir), "%s/test_fileio.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_write_all);
	RUN(test_read_all);
	RUN(test_sync_dir);
	RUN(test_replace);
	RUN(test_replace_fail);
	cleanup();
	return harness_end();
}
