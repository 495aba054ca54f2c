/*
 * A tiny unit-test harness.  Each check prints "ok - ..." or
 * "not ok - ..." (TAP-like lines that tests/run counts), and main()
 * returns non-zero if any check failed.
 *
 *	static void test_foo(void) { CHECK(x == 1); CHECK_MEM(a, b, n); }
 *	int main(void) { RUN(test_foo); return harness_end(); }
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int harness_failed, harness_passed, harness_cur_failed;
static const char *harness_cur;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: %s: CHECK(%s) failed\n", __FILE__,	\
		    __LINE__, harness_cur, #cond);			\
		harness_cur_failed++;					\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long ha_ = (long long)(a), hb_ = (long long)(b);		\
	if (ha_ != hb_) {						\
		printf("# %s:%d: %s: %s == %lld, expected %s == %lld\n",\
		    __FILE__, __LINE__, harness_cur, #a, ha_, #b, hb_);	\
		harness_cur_failed++;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *ha_ = (a), *hb_ = (b);				\
	if (ha_ == NULL || hb_ == NULL || strcmp(ha_, hb_) != 0) {	\
		printf("# %s:%d: %s: \"%s\" != \"%s\"\n", __FILE__,	\
		    __LINE__, harness_cur, ha_ ? ha_ : "(null)",	\
		    hb_ ? hb_ : "(null)");				\
		harness_cur_failed++;					\
	}								\
} while (0)

#define CHECK_MEM(a, b, n) do {						\
	if (memcmp((a), (b), (n)) != 0) {				\
		size_t hi_;						\
		printf("# %s:%d: %s: %s differs from %s\n#  got ",	\
		    __FILE__, __LINE__, harness_cur, #a, #b);		\
		for (hi_ = 0; hi_ < (size_t)(n); hi_++)			\
			printf("%02x", ((const unsigned char *)(a))[hi_]);\
		printf("\n#  exp ");					\
		for (hi_ = 0; hi_ < (size_t)(n); hi_++)			\
			printf("%02x", ((const unsigned char *)(b))[hi_]);\
		printf("\n");						\
		harness_cur_failed++;					\
	}								\
} while (0)

#define RUN(fn) do {							\
	harness_cur = #fn;						\
	harness_cur_failed = 0;						\
	fn();								\
	if (harness_cur_failed) {					\
		harness_failed++;					\
		printf("not ok - %s\n", #fn);				\
	} else {							\
		harness_passed++;					\
		printf("ok - %s\n", #fn);				\
	}								\
	fflush(stdout);							\
} while (0)

static inline int
harness_end(void)
{
	printf("# %d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed != 0;
}

/* parse a hex string (spaces allowed) into buf; returns length or -1 */
static inline int
harness_hex(const char *s, unsigned char *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == ':' || *s == '\n')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (hi < 0)
			hi = v;
		else {
			if (n >= cap)
				return -1;
			buf[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (int)n : -1;
}

static inline int
harness_rm1(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) != 0;
}

/* rm -rf PATH (no shell: a path with a quote is a path) */
static inline void
harness_rmtree(const char *path)
{
	if (path != NULL && path[0] != '\0')
		(void)nftw(path, harness_rm1, 16, FTW_DEPTH | FTW_PHYS);
}

/* cp FROM TO for a small file (at most 64 kB); 0 or -1 */
static inline int
harness_copy(const char *from, const char *to)
{
	static char buf[65536];
	ssize_t n;
	size_t len = 0;
	int fd, rc = -1;

	if ((fd = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (len < sizeof(buf) &&
	    (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	(void)close(fd);
	if (len == sizeof(buf) ||
	    (fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		return -1;
	if (write(fd, buf, len) == (ssize_t)len)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

#endif
