/*
 * Corpus replay driver: runs a fuzz target (tests/fuzz/fuzz_*.c) over
 * files without libFuzzer, so `make check` exercises every corpus with
 * gcc, and under ASan+UBSan in the SAN=1 build.
 *
 *	replay_NAME PATH...
 *
 * Each PATH is a file or a directory; a directory's regular files are
 * run, and those of its subdirectories (one level down).  One line per
 * PATH: "ok - replay PATH: N inputs", or "not ok - ..." when PATH is
 * missing, unreadable or holds no input; the exit status is 1 if any
 * line was "not ok".  A crash or sanitizer report ends the run (and
 * names the input on stderr first).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define REPLAY_MAX	(1024 * 1024)	/* larger files are not inputs */

/* Run one file; 0 ok, -1 on a read error (message in err). */
static int
replay_file(const char *path, char *err, size_t errlen)
{
	FILE *f;
	uint8_t *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(REPLAY_MAX)) == NULL) {
		(void)fclose(f);
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX, f);
	if (ferror(f)) {
		(void)snprintf(err, errlen, "%s: read error", path);
		(void)fclose(f);
		free(buf);
		return -1;
	}
	(void)fclose(f);
	/* say which input it was before a crash can hide it */
	(void)fprintf(stderr, "replay %s (%zu bytes)\n", path, n);
	/* exactly n bytes, so ASan sees reads past the input */
	buf = realloc(buf, n ? n : 1);
	if (buf == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	(void)LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Run the regular files of directory dir (and, when depth > 0, of its
 * subdirectories) in name order, counting them in *count.
 */
static int
replay_dir(const char *dir, int depth, unsigned *count, char *err,
    size_t errlen)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn, *p;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			rc = -1;
			break;
		}
		names[n++] = p;
	}
	(void)closedir(d);
	if (rc != 0)
		(void)snprintf(err, errlen, "out of memory");
	else if (n > 0)
		qsort(names, n, sizeof(*names), path_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0 && stat(names[i], &st) == 0) {
			if (S_ISREG(st.st_mode)) {
				if ((rc = replay_file(names[i], err,
				    errlen)) == 0)
					(*count)++;
			} else if (S_ISDIR(st.st_mode) && depth > 0)
				rc = replay_dir(names[i], depth - 1, count,
				    err, errlen);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	char err[512];
	unsigned count;
	int i, rc, fails = 0;

	if (argc < 2) {
		(void)fprintf(stderr, "usage: %s corpus-dir|file ...\n",
		    argv[0]);
		(void)printf("not ok - replay: no corpus given\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		count = 0;
		err[0] = '\0';
		if (stat(argv[i], &st) != 0) {
			(void)snprintf(err, sizeof(err), "%s: %s", argv[i],
			    strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = replay_dir(argv[i], 1, &count, err, sizeof(err));
		else if ((rc = replay_file(argv[i], err, sizeof(err))) == 0)
			count = 1;
		if (rc == 0 && count == 0) {
			(void)snprintf(err, sizeof(err), "no inputs");
			rc = -1;
		}
		if (rc != 0) {
			(void)printf("not ok - replay %s: %s\n", argv[i], err);
			fails++;
		} else
			(void)printf("ok - replay %s: %u inputs\n", argv[i],
			    count);
		(void)fflush(stdout);
	}
	return fails ? 1 : 0;
}
