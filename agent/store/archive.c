/*
 * SEL archive: append + fsync, torn-tail repair, tail read-back.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "jsonw.h"
#include "log.h"
#include "store/archive.h"
#include "xmem.h"

struct archive {
	struct archive_cfg	 cfg;		/* strings: our copies */
	unsigned		 refs;		/* loop thread only */
	int			 reopen;	/* atomic: close before the
						 * next write */
	/* touched only by the writer (the io worker while a write job
	 * holds the archive) and by the last archive_free */
	int			 fd;
	int			 jfd;
};

struct archive *
archive_new(const struct archive_cfg *cfg)
{
	struct archive *a = xcalloc(1, sizeof(*a));

	a->cfg = *cfg;
	a->cfg.path = cfg->path != NULL ? xstrdup(cfg->path) : NULL;
	a->cfg.json_path = cfg->json_path != NULL ?
	    xstrdup(cfg->json_path) : NULL;
	a->refs = 1;
	a->fd = -1;
	a->jfd = -1;
	return a;
}

struct archive *
archive_hold(struct archive *a)
{
	a->refs++;
	return a;
}

static void
archive_close(struct archive *a)
{
	if (a->fd >= 0)
		(void)close(a->fd);
	if (a->jfd >= 0)
		(void)close(a->jfd);
	a->fd = a->jfd = -1;
}

void
archive_free(struct archive *a)
{
	if (a == NULL || --a->refs > 0)
		return;
	archive_close(a);
	free((char *)(uintptr_t)a->cfg.path);
	free((char *)(uintptr_t)a->cfg.json_path);
	free(a);
}

void
archive_reopen(struct archive *a)
{
	/* the writer closes them: it may be writing right now */
	__atomic_store_n(&a->reopen, 1, __ATOMIC_RELEASE);
}

/* open for appending (created 0640 if absent, its name made durable) */
static int
archive_open_file(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd, created = 0;

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
		    O_CLOEXEC | O_NOFOLLOW, 0640);
		created = 1;
	}
	if (fd < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a regular file", path);
		(void)close(fd);
		return -1;
	}
	if (created)
		(void)fileio_sync_dir(path);
	return fd;
}

/*
 * Called with the file locked.  If a crash left a torn last line (no
 * newline at the end), cut it off: every writer holds the lock while it
 * writes, so nobody is in the middle of a line, and the entries on the
 * torn line are read again since no state covered them.
 */
static int
archive_repair(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char buf[ARCHIVE_LINE_MAX];
	off_t from, cut = -1;
	ssize_t n, i;

	if (fstat(fd, &st) != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_size == 0)
		return 0;
	from = st.st_size > (off_t)sizeof(buf) ?
	    st.st_size - (off_t)sizeof(buf) : 0;
	n = pread(fd, buf, (size_t)(st.st_size - from), from);
	if (n <= 0 || buf[n - 1] == '\n')
		return 0;
	for (i = n - 1; i >= 0; i--)
		if (buf[i] == '\n') {
			cut = from + i + 1;
			break;
		}
	/* the whole file is one unterminated line shorter than a line:
	 * our first line, torn */
	if (cut < 0 && from == 0)
		cut = 0;
	/* no newline within a line's reach: a foreign file; keep it and
	 * start our lines on a fresh one */
	if (cut < 0) {
		if (write(fd, "\n", 1) != 1) {
			(void)snprintf(err, errlen, "%s: %s", path,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (ftruncate(fd, cut) != 0) {
		(void)snprintf(err, errlen, "%s: cannot cut torn line: %s",
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Lock, repair, write everything, fsync, unlock.  A batch that fails
 * (disk full part-way, EIO at fsync) is cut off again, whole lines
 * included: it is not archived, so it is written again in full later,
 * and lines of it left behind would be there twice.
 */
static int
archive_write_file(int fd, const char *path, const char *p, size_t n,
    char *err, size_t errlen)
{
	struct stat st;
	int rc = -1, e;

	if (flock(fd, LOCK_EX) != 0) {
		(void)snprintf(err, errlen, "%s: lock: %s", path,
		    strerror(errno));
		return -1;
	}
	if (archive_repair(fd, path, err, errlen) != 0)
		goto done;
	if (fstat(fd, &st) != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (fileio_write_all(fd, p, n) != 0 || fsync(fd) != 0) {
		e = errno;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(e));
		if (ftruncate(fd, st.st_size) != 0)
			(void)snprintf(err, errlen, "%s: %s (and the lines "
			    "written before it not cut off: %s)", path,
			    strerror(e), strerror(errno));
		goto done;
	}
	rc = 0;
done:
	(void)flock(fd, LOCK_UN);
	return rc;
}

/* copy s into out, tabs/newlines/control characters as spaces */
static void
archive_clean(const char *s, char *out, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		out[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	out[i] = '\0';
}

void
archive_format(const struct archive_entry *e, char *buf, size_t len)
{
	char tm[40], sensor[SEL_NAME_MAX], event[SEL_TEXT_MAX], raw[33];
	char bmc[128];
	size_t i;

	sel_time_format(e->rec, tm, sizeof(tm));
	archive_clean(e->bmc, bmc, sizeof(bmc));
	archive_clean(e->desc->sensor[0] ? e->desc->sensor : "-", sensor,
	    sizeof(sensor));
	archive_clean(e->desc->event, event, sizeof(event));
	for (i = 0; i < SEL_RECORD_LEN; i++)
		(void)snprintf(raw + 2 * i, 3, "%02x", e->rec->raw[i]);
	(void)snprintf(buf, len, "%s\t%s\t0x%04x\t%s\t%s\t%s\t%s", tm, bmc,
	    e->rec->id, sensor, event, sel_sev_name(e->desc->sev), raw);
	/* untagged lines stay as they were before generations */
	i = strlen(buf);
	if (e->gen != 0)
		(void)snprintf(buf + i, len - i, "\t%08lx",
		    (unsigned long)e->gen);
}

/* one JSON object per line, built in memory */
static char *
archive_json(const struct archive_entry *e, size_t *len)
{
	struct jsonw j;
	char tm[40], *buf = NULL;
	size_t sz = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &sz)) == NULL)
		return NULL;
	jsonw_init(&j, f);
	jsonw_obj_begin(&j, NULL);
	sel_time_format(e->rec, tm, sizeof(tm));
	if (e->rec->has_ts && !e->rec->preinit &&
	    e->rec->ts != SEL_TS_UNSPECIFIED)
		jsonw_str(&j, "timestamp", tm);
	else
		jsonw_null(&j, "timestamp");
	jsonw_str(&j, "bmc", e->bmc);
	jsonw_int(&j, "record_id", e->rec->id);
	jsonw_str(&j, "type", sel_kind_name(e->rec->kind));
	jsonw_str(&j, "sensor", e->desc->sensor[0] ? e->desc->sensor : NULL);
	jsonw_str(&j, "event", e->desc->event);
	jsonw_str(&j, "severity", sel_sev_name(e->desc->sev));
	jsonw_hex(&j, "raw", e->rec->raw, SEL_RECORD_LEN);
	if (e->gen != 0) {
		char g[9];

		(void)snprintf(g, sizeof(g), "%08lx", (unsigned long)e->gen);
		jsonw_str(&j, "generation", g);
	}
	jsonw_obj_end(&j);
	jsonw_end(&j);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = sz;
	return buf;
}

/*
 * Mark the entries of this batch that already stand at the end of the
 * JSON-lines file.  The JSON lines of a batch are written before its
 * text lines, and only the text archive counts as archived (the state
 * and the tail read back at start-up follow it): a crash between the
 * two writes leaves entries in the JSON file that the next pass hands
 * us again.  They are skipped here, so both files hold every entry
 * exactly once.  Only the last (n + 1) lines' worth is read.
 */
static void
archive_json_seen(int fd, const struct archive_entry *e, size_t n,
    unsigned char *seen)
{
	struct stat st;
	size_t want, i;
	off_t from;
	ssize_t got;
	char *buf, key[64], hex[2 * SEL_RECORD_LEN + 1], bkey[160], gkey[40];
	const char *p, *ls, *le;

	if (fstat(fd, &st) != 0 || st.st_size <= 0)
		return;
	want = (n + 1) * (size_t)ARCHIVE_LINE_MAX;
	if (want > ARCHIVE_TAIL_MAX)
		want = ARCHIVE_TAIL_MAX;
	from = st.st_size > (off_t)want ? st.st_size - (off_t)want : 0;
	buf = xmalloc((size_t)(st.st_size - from) + 1);
	got = pread(fd, buf, (size_t)(st.st_size - from), from);
	if (got <= 0) {
		free(buf);
		return;
	}
	buf[got] = '\0';
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < SEL_RECORD_LEN; k++)
			(void)snprintf(hex + 2 * k, 3, "%02x",
			    e[i].rec->raw[k]);
		(void)snprintf(key, sizeof(key), "\"raw\":\"%s\"", hex);
		(void)snprintf(bkey, sizeof(bkey), "\"bmc\":\"%s\"",
		    e[i].bmc);
		/* the same generation: its tag, or none for tag 0 */
		if (e[i].gen != 0)
			(void)snprintf(gkey, sizeof(gkey),
			    "\"generation\":\"%08lx\"",
			    (unsigned long)e[i].gen);
		else
			(void)snprintf(gkey, sizeof(gkey), "\"generation\":");
		for (p = buf; (p = strstr(p, key)) != NULL; p++) {
			int tagged;

			ls = p;
			while (ls > buf && ls[-1] != '\n')
				ls--;
			if ((le = strchr(p, '\n')) == NULL)
				break;		/* torn: cut by the repair */
			tagged = memmem(ls, (size_t)(le - ls), gkey,
			    strlen(gkey)) != NULL;
			if (memmem(ls, (size_t)(le - ls), bkey,
			    strlen(bkey)) != NULL &&
			    tagged == (e[i].gen != 0)) {
				seen[i] = 1;
				break;
			}
		}
	}
	free(buf);
}

static int
archive_sev_pri(enum sel_sev s)
{
	switch (s) {
	case SEL_SEV_CRITICAL:
		return LOG_CRIT;
	case SEL_SEV_WARNING:
		return LOG_WARNING;
	default:
		return LOG_INFO;
	}
}

int
archive_write(struct archive *a, const struct archive_entry *e, size_t n,
    char *err, size_t errlen)
{
	char line[ARCHIVE_LINE_MAX + 1];
	char *buf = NULL, *jbuf = NULL;
	size_t len = 0, jlen = 0, i, l;
	int rc = -1;

	if (__atomic_exchange_n(&a->reopen, 0, __ATOMIC_ACQ_REL))
		archive_close(a);
	if (n == 0)
		return 0;
	if (a->fd < 0 && (a->fd = archive_open_file(a->cfg.path, err,
	    errlen)) < 0)
		goto done;
	if (a->cfg.json_path != NULL && a->jfd < 0 &&
	    (a->jfd = archive_open_file(a->cfg.json_path, err, errlen)) < 0)
		goto done;
	/* JSON first, then the text archive, which is what counts as
	 * archived; one write per file per batch, so a crash tears at most
	 * its tail */
	if (a->jfd >= 0) {
		unsigned char *seen = xcalloc(n, 1);

		archive_json_seen(a->jfd, e, n, seen);
		for (i = 0; i < n; i++) {
			char *j;

			if (seen[i])
				continue;
			if ((j = archive_json(&e[i], &l)) == NULL) {
				(void)snprintf(err, errlen, "%s: out of "
				    "memory", a->cfg.json_path);
				free(seen);
				goto done;
			}
			jbuf = xreallocarray(jbuf, jlen + l, 1);
			memcpy(jbuf + jlen, j, l);
			jlen += l;
			free(j);
		}
		free(seen);
		if (jlen > 0 && archive_write_file(a->jfd, a->cfg.json_path,
		    jbuf, jlen, err, errlen) != 0)
			goto done;
	}
	buf = xmalloc(n * (ARCHIVE_LINE_MAX + 1));
	for (i = 0; i < n; i++) {
		archive_format(&e[i], line, sizeof(line) - 1);
		l = strlen(line);
		line[l++] = '\n';
		memcpy(buf + len, line, l);
		len += l;
	}
	if (archive_write_file(a->fd, a->cfg.path, buf, len, err,
	    errlen) != 0)
		goto done;
	rc = 0;
done:
	free(buf);
	free(jbuf);
	/* on error, reopen next time: the file may have been fixed */
	if (rc != 0 || a->cfg.reopen_each)
		archive_close(a);
	return rc;
}

void
archive_log(const struct archive *a, const struct archive_entry *e,
    size_t n)
{
	char line[ARCHIVE_LINE_MAX + 1];
	size_t i;

	if (!a->cfg.use_syslog)
		return;
	for (i = 0; i < n; i++) {
		archive_format(&e[i], line, sizeof(line) - 1);
		log_record(a->cfg.facility, archive_sev_pri(e[i].desc->sev),
		    NULL, "sel", "%s", line);
	}
}

int
archive_append(struct archive *a, const struct archive_entry *e, size_t n,
    char *err, size_t errlen)
{
	if (archive_write(a, e, n, err, errlen) != 0)
		return -1;
	archive_log(a, e, n);
	return 0;
}

static int
archive_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
archive_parse(const char *line, size_t len, const char *bmc,
    uint8_t raw[SEL_RECORD_LEN], uint32_t *gen)
{
	const char *f[9];
	size_t i, nf = 0, blen = strlen(bmc), rlen;
	uint32_t g = 0;
	int hi, lo;

	/* 7 fields, or 8 with the generation tag; never more */
	f[nf++] = line;
	for (i = 0; i < len && nf < 9; i++)
		if (line[i] == '\t')
			f[nf++] = line + i + 1;
	if (nf != 7 && nf != 8)
		return -1;
	if ((size_t)(f[2] - f[1]) != blen + 1 ||
	    memcmp(f[1], bmc, blen) != 0)
		return -1;
	rlen = (nf == 8 ? (size_t)(f[7] - line) - 1 : len) -
	    (size_t)(f[6] - line);
	if (rlen != 2 * SEL_RECORD_LEN)
		return -1;
	for (i = 0; i < SEL_RECORD_LEN; i++) {
		hi = archive_hexval(f[6][2 * i]);
		lo = archive_hexval(f[6][2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	if (nf == 8) {
		if (len - (size_t)(f[7] - line) != 8)
			return -1;
		for (i = 0; i < 8; i++) {
			if ((hi = archive_hexval(f[7][i])) < 0)
				return -1;
			g = g << 4 | (uint32_t)hi;
		}
	}
	*gen = g;
	return 0;
}

static int
archive_tail_file(const char *path, const char *bmc, archive_tail_fn *cb,
    void *arg)
{
	struct stat st;
	uint8_t raw[SEL_RECORD_LEN];
	uint32_t gen;
	char *buf;
	off_t from;
	size_t n, s, i;
	ssize_t r;
	int fd, count = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return -1;
	}
	from = st.st_size > (off_t)ARCHIVE_TAIL_MAX ?
	    st.st_size - (off_t)ARCHIVE_TAIL_MAX : 0;
	n = (size_t)(st.st_size - from);
	buf = xmalloc(n + 1);
	for (s = 0; s < n; s += (size_t)r) {
		r = pread(fd, buf + s, n - s, from + (off_t)s);
		if (r < 0 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0)
			break;
	}
	(void)close(fd);
	n = s;
	i = 0;
	/* started mid-file: the first line is partial */
	if (from > 0) {
		while (i < n && buf[i] != '\n')
			i++;
		i++;
	}
	while (i < n) {
		char *nl = memchr(buf + i, '\n', n - i);

		if (nl == NULL)
			break;		/* torn tail: not an entry */
		if (archive_parse(buf + i, (size_t)(nl - (buf + i)), bmc,
		    raw, &gen) == 0) {
			cb(arg, raw, gen);
			count++;
		}
		i = (size_t)(nl - buf) + 1;
	}
	free(buf);
	return count;
}

int
archive_tail(const char *path, const char *bmc, archive_tail_fn *cb,
    void *arg)
{
	char rot[PATH_MAX];
	int a, b;

	if (snprintf(rot, sizeof(rot), "%s.1", path) >= (int)sizeof(rot))
		return -1;
	a = archive_tail_file(rot, bmc, cb, arg);
	if ((b = archive_tail_file(path, bmc, cb, arg)) < 0)
		return -1;
	return (a > 0 ? a : 0) + b;
}
