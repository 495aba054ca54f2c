/*
 * SEL reader state file:
 *
 *	bmcwatch-sel-state 1
 *	identity guid-0b57c0de5eed4a1c9e3f00112233aabb
 *	generation 0x5be1f00d
 *	pending -
 *	last_add 1795503841
 *	last_erase 0
 *	entries 13
 *	cursor 0x000d 0d0002e22b056b210004206fa10000
 *	seq_ids 1
 *	no_clear 0
 *	wraps 0
 *	archived 13
 *	clears 0
 *	crc32 1a2b3c4d
 *
 * "cursor -" when nothing is archived from the present SEL.  The CRC
 * covers every byte before the crc32 line.  Files written before
 * identities and generations lack those three lines: identity unknown,
 * generation 0 (the untagged archive lines), nothing pending.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "store/state.h"
#include "xmem.h"

#define STATE_MAGIC	"bmcwatch-sel-state 1\n"
#define STATE_MAX	4096

uint32_t
state_crc32(const void *p, size_t n)
{
	struct rbuf r;
	uint32_t c = 0xffffffffu;
	int k;

	rb_init(&r, p, n);
	while (rd_left(&r) > 0) {
		c ^= rd_u8(&r);
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static int
state_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* bounded unsigned decimal or 0x hex; -1 on junk or > max */
static int
state_num(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long n;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*v = n;
	return 0;
}

/* an identity as the file holds it: 1..STATE_IDENTITY_MAX printable
 * characters without spaces, "-" for none */
static int
state_identity_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= STATE_IDENTITY_MAX || s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return i > 0;
}

void
state_identity_copy(char dst[STATE_IDENTITY_MAX + 1], const char *s)
{
	size_t i;

	memset(dst, 0, STATE_IDENTITY_MAX + 1);
	for (i = 0; s != NULL && s[i] != '\0' && i < STATE_IDENTITY_MAX; i++)
		dst[i] = s[i] < 0x21 || s[i] > 0x7e ? '_' : s[i];
	if (strcmp(dst, "-") == 0)
		dst[0] = '_';
}

uint32_t
state_gen_new(uint32_t old)
{
	static uint32_t seq;
	struct timeval tv;
	uint32_t g = 0;

	if (getrandom(&g, sizeof(g), GRND_NONBLOCK) != (ssize_t)sizeof(g)) {
		/* no entropy yet (early boot): time, pid and a counter */
		(void)gettimeofday(&tv, NULL);
		g = (uint32_t)tv.tv_sec * 2654435761u ^
		    (uint32_t)tv.tv_usec * 40503u ^
		    (uint32_t)getpid() * 2246822519u ^ ++seq * 3266489917u;
	}
	while (g == 0 || g == old)
		g = g * 1103515245u + 12345u;
	return g;
}

static int
state_line(struct state_sel *st, char *line)
{
	char *val = strchr(line, ' ');
	unsigned long long v;
	size_t i;

	if (val == NULL)
		return -1;
	*val++ = '\0';
	if (strcmp(line, "identity") == 0) {
		if (strcmp(val, "-") == 0) {
			st->identity[0] = '\0';
			return 0;
		}
		if (!state_identity_ok(val))
			return -1;
		memcpy(st->identity, val, strlen(val) + 1);
		return 0;
	}
	if (strcmp(line, "pending") == 0) {
		if (strcmp(val, "-") == 0)
			st->pending = STATE_PENDING_NONE;
		else if (strcmp(val, "clear") == 0)
			st->pending = STATE_PENDING_CLEAR;
		else if (strcmp(val, "delete") == 0)
			st->pending = STATE_PENDING_DELETE;
		else
			return -1;
		return 0;
	}
	if (strcmp(line, "cursor") == 0) {
		char *raw;

		if (strcmp(val, "-") == 0) {
			st->has_cursor = 0;
			return 0;
		}
		if ((raw = strchr(val, ' ')) == NULL)
			return -1;
		*raw++ = '\0';
		if (state_num(val, 0xffff, &v) != 0 ||
		    strlen(raw) != 2 * SEL_RECORD_LEN)
			return -1;
		st->cursor_id = (uint16_t)v;
		for (i = 0; i < SEL_RECORD_LEN; i++) {
			int hi = state_hexval(raw[2 * i]);
			int lo = state_hexval(raw[2 * i + 1]);

			if (hi < 0 || lo < 0)
				return -1;
			st->cursor_raw[i] = (uint8_t)(hi << 4 | lo);
		}
		st->has_cursor = 1;
		return 0;
	}
	if (state_num(val, UINT64_MAX, &v) != 0)
		return -1;
	if (strcmp(line, "generation") == 0 && v <= UINT32_MAX)
		st->gen = (uint32_t)v;
	else if (strcmp(line, "last_add") == 0 && v <= UINT32_MAX)
		st->last_add = (uint32_t)v;
	else if (strcmp(line, "last_erase") == 0 && v <= UINT32_MAX)
		st->last_erase = (uint32_t)v;
	else if (strcmp(line, "entries") == 0 && v <= 0xffff)
		st->entries = (uint16_t)v;
	else if (strcmp(line, "seq_ids") == 0 && v <= 1)
		st->seq_ids = (uint8_t)v;
	else if (strcmp(line, "no_clear") == 0 && v <= 1)
		st->no_clear = (uint8_t)v;
	else if (strcmp(line, "wraps") == 0 && v <= 1)
		st->wraps = (uint8_t)v;
	else if (strcmp(line, "archived") == 0)
		st->archived = v;
	else if (strcmp(line, "clears") == 0)
		st->clears = v;
	else
		return -1;
	return 0;
}

int
state_parse(const char *in, size_t n, struct state_sel *st, char *err,
    size_t errlen)
{
	char buf[STATE_MAX + 1], *p, *nl, *crcl;
	unsigned long long crc;

	memset(st, 0, sizeof(*st));
	if (n > STATE_MAX) {
		(void)snprintf(err, errlen, "corrupt (too large)");
		return -1;
	}
	memcpy(buf, in, n);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL ||
	    strncmp(buf, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
		(void)snprintf(err, errlen, "corrupt (not a bmcwatch SEL "
		    "state file)");
		return -1;
	}
	/* the crc32 line is the last one */
	crcl = NULL;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (strncmp(p, "crc32 ", 6) == 0)
			crcl = p;
	if (crcl == NULL || *p != '\0' || (nl = strchr(crcl, '\n')) == NULL ||
	    nl[1] != '\0') {
		(void)snprintf(err, errlen, "corrupt (no checksum at the "
		    "end)");
		return -1;
	}
	*nl = '\0';
	if (state_num(crcl + 6, UINT32_MAX, &crc) != 0 ||
	    crc != state_crc32(buf, (size_t)(crcl - buf))) {
		(void)snprintf(err, errlen, "corrupt (checksum mismatch)");
		return -1;
	}
	*crcl = '\0';
	for (p = buf + strlen(STATE_MAGIC); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (state_line(st, p) != 0) {
			(void)snprintf(err, errlen, "corrupt (bad line "
			    "\"%.40s\")", p);
			memset(st, 0, sizeof(*st));
			return -1;
		}
	}
	return 0;
}

int
state_load(const char *path, struct state_sel *st, char *err, size_t errlen)
{
	char buf[STATE_MAX + 1], e[128];
	ssize_t n;
	int fd;

	memset(st, 0, sizeof(*st));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT)
			return 1;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (state_parse(buf, (size_t)n, st, e, sizeof(e)) != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, e);
		return -1;
	}
	return 0;
}

size_t
state_format(const struct state_sel *st, char *buf, size_t len)
{
	char raw[2 * SEL_RECORD_LEN + 1];
	size_t i, n;

	static const char *pending[] = { "-", "clear", "delete" };

	for (i = 0; i < SEL_RECORD_LEN; i++)
		(void)snprintf(raw + 2 * i, 3, "%02x", st->cursor_raw[i]);
	(void)snprintf(buf, len, STATE_MAGIC
	    "identity %s\ngeneration 0x%08lx\npending %s\n"
	    "last_add %lu\nlast_erase %lu\nentries %u\n",
	    st->identity[0] ? st->identity : "-", (unsigned long)st->gen,
	    pending[st->pending <= STATE_PENDING_DELETE ? st->pending : 0],
	    (unsigned long)st->last_add, (unsigned long)st->last_erase,
	    st->entries);
	n = strlen(buf);
	if (st->has_cursor)
		(void)snprintf(buf + n, len - n, "cursor 0x%04x %s\n",
		    st->cursor_id, raw);
	else
		(void)snprintf(buf + n, len - n, "cursor -\n");
	n = strlen(buf);
	(void)snprintf(buf + n, len - n, "seq_ids %u\nno_clear %u\n"
	    "wraps %u\narchived %llu\nclears %llu\n", st->seq_ids,
	    st->no_clear, st->wraps, (unsigned long long)st->archived,
	    (unsigned long long)st->clears);
	n = strlen(buf);
	(void)snprintf(buf + n, len - n, "crc32 0x%08lx\n",
	    (unsigned long)state_crc32(buf, n));
	return strlen(buf);
}

int
state_save(const char *path, const struct state_sel *st, char *err,
    size_t errlen)
{
	char buf[STATE_MAX], tmp[PATH_MAX];
	size_t n;

	n = state_format(st, buf, sizeof(buf));
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		(void)snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	return fileio_replace(path, tmp, buf, n, 0640, err, errlen);
}

int
state_acks_load(const char *path, uint8_t (**raws)[SEL_RECORD_LEN],
    size_t *n, char *err, size_t errlen)
{
	char line[128];
	uint8_t (*v)[SEL_RECORD_LEN] = NULL;
	size_t cnt = 0, cap = 0, i;
	FILE *f;

	*raws = NULL;
	*n = 0;
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		uint8_t raw[SEL_RECORD_LEN];
		int bad = strcspn(line, "\n") != 2 * SEL_RECORD_LEN;

		for (i = 0; !bad && i < SEL_RECORD_LEN; i++) {
			int hi = state_hexval(line[2 * i]);
			int lo = state_hexval(line[2 * i + 1]);

			if (hi < 0 || lo < 0)
				bad = 1;
			else
				raw[i] = (uint8_t)(hi << 4 | lo);
		}
		if (bad)
			continue;	/* a torn or foreign line */
		if (cnt == STATE_ACKS_MAX) {
			/* keep the newest */
			memmove(v, v + 1, (cnt - 1) * sizeof(*v));
			cnt--;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		memcpy(v[cnt++], raw, SEL_RECORD_LEN);
	}
	(void)fclose(f);
	*raws = v;
	*n = cnt;
	return 0;
}

int
state_ack_append(const char *path, const uint8_t raw[SEL_RECORD_LEN],
    char *err, size_t errlen)
{
	char line[2 * SEL_RECORD_LEN + 1];
	size_t i;
	int fd;

	for (i = 0; i < SEL_RECORD_LEN; i++)
		(void)snprintf(line + 2 * i, 3, "%02x", raw[i]);
	line[2 * SEL_RECORD_LEN] = '\n';
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0640);
	/* a line torn by a crash must not swallow this one */
	if (fd >= 0) {
		struct stat st;
		char c;

		if (fstat(fd, &st) == 0 && st.st_size > 0 &&
		    pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n' &&
		    write(fd, "\n", 1) != 1) {
			(void)snprintf(err, errlen, "%s: %s", path,
			    strerror(errno));
			(void)close(fd);
			return -1;
		}
	}
	if (fd < 0 || write(fd, line, sizeof(line)) != (ssize_t)sizeof(line) ||
	    fsync(fd) != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	(void)close(fd);
	return 0;
}

int
state_sel_same(const struct state_sel *a, const struct state_sel *b)
{
	return strcmp(a->identity, b->identity) == 0 && a->gen == b->gen &&
	    a->pending == b->pending && a->last_add == b->last_add &&
	    a->last_erase == b->last_erase && a->entries == b->entries &&
	    a->has_cursor == b->has_cursor && a->cursor_id == b->cursor_id &&
	    memcmp(a->cursor_raw, b->cursor_raw, sizeof(a->cursor_raw)) == 0 &&
	    a->seq_ids == b->seq_ids && a->no_clear == b->no_clear &&
	    a->wraps == b->wraps && a->archived == b->archived &&
	    a->clears == b->clears;
}
