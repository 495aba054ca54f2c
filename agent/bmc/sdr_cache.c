/*
 * SDR repository walk and the per-BMC SDR cache (see sdr_cache.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd_app.h"
#include "fileio.h"
#include "log.h"
#include "sdr_cache.h"
#include "work.h"
#include "xmem.h"

#define SDR_CACHE_MAGIC		"BWSDRC1\n"
#define SDR_CACHE_VERSION	1
#define SDR_CACHE_HDR_MAX	(8 + 4 + 4 + 8 + 2 + SDR_CACHE_KEY_MAX + 4)
#define SDR_CACHE_RERESERVE_MAX	8
#define SDR_CACHE_RETRY_MAX	3

/* Read sizes tried, largest first: 64 reads any full record in one go;
 * many BMCs stop at 32 or less (ipmi_sim: 33). */
static const uint8_t sdr_cache_sizes[] = { 64, 48, 32, 24, 16, 8, 4 };

/*
 * Get SDR reads in flight at once (the session's window, at most this):
 * the walk itself stays one answer at a time, in order (below), but the
 * reads it will ask next are sent ahead and their answers kept here
 * until it asks.  Ahead means the rest of the record being read, and the
 * records after it: their IDs from the answers already in, else guessed
 * as the next ID up once two records in a row were followed by their ID
 * plus one (most BMCs number their records so), and for no more records
 * than SDR Repository Info counts.  A guess that misses turns guessing
 * off for the rest of the walk, so a repository whose IDs run up and
 * then jump costs at most the window less one Get SDR more than a read
 * one at a time; an answer nobody asks for is dropped and counted
 * (stats.prefetch_unused).
 */
#define SDR_CACHE_PF_MAX	16

enum sdr_pf_state {
	PF_FREE,
	PF_INFLIGHT,
	PF_DONE
};

struct sdr_pf {
	struct sdr_cache	*c;
	enum sdr_pf_state	 st;
	int			 stale;		/* its answer is dropped */
	uint16_t		 res, id;
	uint8_t			 off, want;
	enum ipmi_err		 err;
	struct ipmi_rsp		 rsp;
};

enum sdr_cache_state {
	ST_IDLE,
	ST_DEVID,
	ST_GUID,
	ST_SYSGUID,
	ST_INFO,
	ST_RESERVE,
	ST_GET
};

struct sdr_cache_job;

struct sdr_cache {
	struct ev		*ev;
	struct conn		*conn;
	struct ev_timer		*timer;
	struct work		*io;		/* NULL: write synchronously */
	char			*dir;
	char			*peer;
	char			*target;	/* names us in the log */
	struct sdr_cache_job	*jobs;		/* writes in flight */
	unsigned		 cache_writes;	/* of them, cache + alias */
	int			 dirty;		/* the last cache write failed */
	struct log_limit	 wlimit;
	/* a repository that changes under every read (a BMC rewriting
	 * it): the first change logged, repeats summarised */
	struct log_limit	 climit;
	enum sdr_cache_state	 st;
	int			 running;
	int			 fixed;		/* --sdr-file image */
	sdr_cache_done_fn	*done;
	void			*arg;
	enum sdr_cache_err	 result;

	/* identity */
	int			 have_identity;	/* fetched this process */
	int			 device;	/* use Device SDR commands */
	struct app_devid	 devid;
	char			 key[SDR_CACHE_KEY_MAX + 1];

	/* what the image in memory was built from */
	struct sdr_image	 img;
	int			 valid;
	struct sdr_repo_info	 img_info;
	struct sdr_repo_info	 info;		/* last check */
	uint32_t		 gen;
	unsigned		 size_idx;	/* into sdr_cache_sizes */

	/* walk */
	uint16_t		 res;
	uint16_t		 cur;
	uint8_t			 rec[SDR_REC_MAX];
	size_t			 got;
	uint8_t			*wraw;
	size_t			 wlen, wcap;
	unsigned		 wrecs;
	unsigned		 rereserves;
	unsigned		 retries;

	/* reads sent ahead (SDR_CACHE_PF_MAX slots while a walk runs) */
	struct sdr_pf		*pf;
	unsigned		 pf_inflight;	/* stale ones included */
	int			 size_ok;	/* a read of size_idx worked */
	int			 no_guess;	/* a guessed ID missed */
	int			 seq_seen;	/* records in a row whose next
						 * was their ID + 1, up to 2 */
	int			 want_set;	/* the walk waits for want */
	int			 pumping;
	uint16_t		 want_off, want_len;
	uint16_t		 cur_next;	/* from cur's last answer */
	int			 finishing;	/* finish once pf_inflight is 0 */
	enum sdr_cache_err	 finish_e;

	struct sdr_cache_stats	 stats;
	char			 detail[256];
};

static void	sdr_cache_on_rsp(void *, enum ipmi_err, const struct ipmi_rsp *);
static void	sdr_cache_info_start(struct sdr_cache *);
static void	sdr_cache_walk_start(struct sdr_cache *);
static void	sdr_cache_get_next(struct sdr_cache *);
static void	sdr_cache_on_get(struct sdr_cache *, const struct ipmi_rsp *);
static void	sdr_cache_pump(struct sdr_cache *);

/* ---- images ---- */

void
sdr_image_clear(struct sdr_image *im)
{
	free(im->raw);
	free(im->recs);
	memset(im, 0, sizeof(*im));
}

int
sdr_image_set(struct sdr_image *im, const uint8_t *p, size_t len)
{
	struct rbuf r;
	const uint8_t *rec;
	size_t n, cnt = 0, i = 0;
	int k;

	if (len > SDR_CACHE_MAX_BYTES)
		return -1;
	rb_init(&r, p, len);
	while ((k = sdr_next(&r, &rec, &n)) == 1)
		cnt++;
	if (k < 0 || cnt > SDR_CACHE_MAX_RECORDS)
		return -1;
	sdr_image_clear(im);
	im->raw = xmalloc(len ? len : 1);
	if (len > 0)
		memcpy(im->raw, p, len);
	im->len = len;
	im->recs = xcalloc(cnt ? cnt : 1, sizeof(*im->recs));
	rb_init(&r, im->raw, len);
	while (sdr_next(&r, &rec, &n) == 1) {
		if (sdr_decode(rec, n, &im->recs[i]) != IPMI_OK) {
			/* keep the header; the type makes callers skip it */
			struct sdr_rec *s = &im->recs[i];

			memset(s, 0, sizeof(*s));
			s->id = (uint16_t)(rec[0] | rec[1] << 8);
			s->version = rec[2];
			s->type = 0xff;
		}
		i++;
	}
	im->n = i;
	return 0;
}

static int
sdr_cache_read_file(const char *path, uint8_t **out, size_t *len, size_t max,
    char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		(void)snprintf(err, errlen, "%s: not a regular file of at most "
		    "%zu bytes", path, max);
		(void)close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	(void)close(fd);
	*out = buf;
	*len = off;
	return 0;
}

/* write tmp + fsync + rename, then fsync the directory */
static int
sdr_cache_write_file(const char *path, const uint8_t *p, size_t len,
    char *err, size_t errlen)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
	    (long)getpid()) >= (int)sizeof(tmp)) {
		(void)snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	return fileio_replace(path, tmp, p, len, 0600, err, errlen);
}

int
sdr_image_load(struct sdr_image *im, const char *path, char *err,
    size_t errlen)
{
	uint8_t *buf;
	size_t len;
	int r;

	if (sdr_cache_read_file(path, &buf, &len, SDR_CACHE_MAX_BYTES, err,
	    errlen) != 0)
		return -1;
	r = sdr_image_set(im, buf, len);
	free(buf);
	if (r != 0)
		(void)snprintf(err, errlen, "%s: truncated record or more "
		    "than %d records", path, SDR_CACHE_MAX_RECORDS);
	return r;
}

int
sdr_image_save(const struct sdr_image *im, const char *path, char *err,
    size_t errlen)
{
	return sdr_cache_write_file(path, im->raw, im->len, err, errlen);
}

/* ---- the cache file ---- */

static uint32_t
sdr_cache_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void
sdr_cache_name(char *out, size_t len, const char *dir, const char *prefix,
    const char *name)
{
	char clean[300];
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(clean); i++) {
		char ch = name[i];

		clean[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ?
		    ch : '_';
	}
	clean[i] = '\0';
	(void)snprintf(out, len, "%s/%s%s", dir, prefix, clean);
}

/* DIR/sdr-KEY.cache */
static void
sdr_cache_file(struct sdr_cache *c, char *path, size_t len)
{
	char name[SDR_CACHE_KEY_MAX + 8];

	(void)snprintf(name, sizeof(name), "%s.cache", c->key);
	sdr_cache_name(path, len, c->dir, "sdr-", name);
}

/* mkdir -p, mode 0700 for what we create */
static int
sdr_cache_mkdirs(const char *dir)
{
	char p[4096];
	size_t i;

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p))
		return -1;
	for (i = 1; p[i] != '\0'; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		p[i] = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Writes.  The bytes are copied into a job; with an io work instance the
 * job (mkdir -p, tmp + fsync + rename + directory fsync) runs on its
 * worker and the loop goes on with the image in memory, which is usable
 * at once.  The outcome is logged from the loop; a failed cache write is
 * tried again after the next refresh (aux blobs: at their owner's next
 * save).
 */
struct sdr_cache_job {
	struct sdr_cache_job	*next;
	struct sdr_cache	*c;	/* NULL once the cache is freed */
	int			 is_cache;	/* cache or alias file */
	char			*dir;	/* created first */
	char			*path;
	uint8_t			*buf;	/* a private copy */
	size_t			 len;
	int			 rc;
	char			 msg[1024];	/* what went wrong */
};

/* mkdir -p dir, then replace path: on the worker, or inline */
static void
sdr_cache_job_run(void *arg)
{
	struct sdr_cache_job *j = arg;
	char err[900];
	int e;

	if (j->dir != NULL && sdr_cache_mkdirs(j->dir) != 0) {
		e = errno;
		(void)snprintf(j->msg, sizeof(j->msg), "cache directory %s: %s",
		    j->dir, strerror(e));
		j->rc = -1;
		return;
	}
	j->rc = sdr_cache_write_file(j->path, j->buf, j->len, err,
	    sizeof(err));
	if (j->rc == 0)
		return;
	if (j->is_cache)
		(void)snprintf(j->msg, sizeof(j->msg), "cannot write the SDR "
		    "cache: %s", err);
	else
		(void)snprintf(j->msg, sizeof(j->msg), "cannot write %s: %s",
		    j->path, err);
}

static void
sdr_cache_job_free(struct sdr_cache_job *j)
{
	free(j->dir);
	free(j->path);
	free(j->buf);
	free(j);
}

/* the outcome, on the loop */
static void
sdr_cache_job_done(void *arg)
{
	struct sdr_cache_job *j = arg, **jp;
	struct sdr_cache *c = j->c;

	if (c == NULL) {
		sdr_cache_job_free(j);
		return;
	}
	for (jp = &c->jobs; *jp != NULL; jp = &(*jp)->next)
		if (*jp == j) {
			*jp = j->next;
			break;
		}
	if (j->is_cache)
		c->cache_writes--;
	if (j->rc == 0) {
		c->stats.disk_writes++;
		if (j->is_cache)
			c->dirty = 0;
		log_recover(&c->wlimit, c->target, "sdr", "SDR cache written");
	} else {
		c->stats.disk_write_errors++;
		if (j->is_cache)
			c->dirty = 1;
		(void)log_fail(&c->wlimit, ev_now(), LOG_WARNING, c->target,
		    "sdr", "%s", j->msg);
	}
	sdr_cache_job_free(j);
}

/* write len bytes of p to path (a copy is taken).  0 (written, or on its
 * way), or -1: the write failed (synchronous) or the io queue is full;
 * either is logged */
static int
sdr_cache_put(struct sdr_cache *c, const char *path, const uint8_t *p,
    size_t len, int is_cache)
{
	struct sdr_cache_job *j = xcalloc(1, sizeof(*j));

	j->c = c;
	j->is_cache = is_cache;
	j->dir = c->dir != NULL ? xstrdup(c->dir) : NULL;
	j->path = xstrdup(path);
	j->buf = xmalloc(len ? len : 1);
	if (len > 0)
		memcpy(j->buf, p, len);
	j->len = len;
	if (is_cache)
		c->cache_writes++;
	j->next = c->jobs;
	c->jobs = j;
	if (c->io == NULL) {
		int rc;

		sdr_cache_job_run(j);
		rc = j->rc;
		sdr_cache_job_done(j);
		return rc;
	}
	if (work_submit(c->io, sdr_cache_job_run, sdr_cache_job_done, j) ==
	    0)
		return 0;
	j->rc = -1;
	(void)snprintf(j->msg, sizeof(j->msg), "cannot write %s: %d writes "
	    "already waiting for the disk", path, WORK_QUEUE_MAX);
	sdr_cache_job_done(j);
	return -1;
}

/* DIR/peer-PEER: "KEY DEVICE", so a warm start skips the identity */
static void
sdr_cache_save_alias(struct sdr_cache *c)
{
	char path[4096], line[SDR_CACHE_KEY_MAX + 8];
	int n;

	if (c->dir == NULL || c->peer == NULL || c->key[0] == '\0')
		return;
	n = snprintf(line, sizeof(line), "%s %d\n", c->key, c->device);
	sdr_cache_name(path, sizeof(path), c->dir, "peer-", c->peer);
	(void)sdr_cache_put(c, path, (const uint8_t *)line, (size_t)n, 1);
}

static void
sdr_cache_save(struct sdr_cache *c)
{
	char path[4096];
	struct wbuf w;
	uint8_t *buf;
	size_t klen = strlen(c->key), cap;

	if (c->dir == NULL || c->key[0] == '\0')
		return;
	cap = SDR_CACHE_HDR_MAX + c->img.len + 4;
	buf = xmalloc(cap);
	wb_init(&w, buf, cap);
	wr_bytes(&w, SDR_CACHE_MAGIC, 8);
	wr_le32(&w, SDR_CACHE_VERSION);
	wr_u8(&w, (uint8_t)c->device);
	wr_u8(&w, (uint8_t)c->size_idx);
	wr_le16(&w, c->img_info.count);
	wr_le32(&w, c->img_info.add_ts);
	wr_le32(&w, c->img_info.erase_ts);
	wr_le16(&w, (uint16_t)klen);
	wr_bytes(&w, c->key, klen);
	wr_le32(&w, (uint32_t)c->img.len);
	wr_bytes(&w, c->img.raw, c->img.len);
	wr_le32(&w, sdr_cache_crc32(buf, w.len));
	sdr_cache_file(c, path, sizeof(path));
	if (!w.err)
		(void)sdr_cache_put(c, path, buf, w.len, 1);
	free(buf);
	sdr_cache_save_alias(c);
}

/*
 * Load DIR/sdr-KEY.cache if it matches info.  1 adopted, 0 absent or
 * stale (a rebuild is due), -1 corrupt (warned).
 */
static int
sdr_cache_load(struct sdr_cache *c, const struct sdr_repo_info *info)
{
	char path[4096], err[512], key[SDR_CACHE_KEY_MAX + 1];
	struct sdr_image im;
	struct rbuf r;
	uint8_t *buf = NULL, dev, sidx;
	const uint8_t *raw;
	size_t len;
	uint32_t ver, add, erase, ilen, crc;
	uint16_t count, klen;
	struct stat st;
	const char *why = NULL;

	if (c->dir == NULL || c->key[0] == '\0')
		return 0;
	sdr_cache_file(c, path, sizeof(path));
	if (stat(path, &st) != 0)
		return 0;
	if (sdr_cache_read_file(path, &buf, &len, SDR_CACHE_HDR_MAX +
	    SDR_CACHE_MAX_BYTES + 4, err, sizeof(err)) != 0) {
		why = err;
		goto bad;
	}
	rb_init(&r, buf, len);
	if (len < 8 || memcmp(rd_ptr(&r, 8), SDR_CACHE_MAGIC, 8) != 0) {
		why = "bad magic";
		goto bad;
	}
	ver = rd_le32(&r);
	dev = rd_u8(&r);
	sidx = rd_u8(&r);
	count = rd_le16(&r);
	add = rd_le32(&r);
	erase = rd_le32(&r);
	klen = rd_le16(&r);
	if (r.err) {
		why = "truncated header";
		goto bad;
	}
	if (ver != SDR_CACHE_VERSION) {
		why = "unknown version";
		goto bad;
	}
	if (klen > SDR_CACHE_KEY_MAX) {
		why = "bad key length";
		goto bad;
	}
	rd_bytes(&r, key, klen);
	key[klen] = '\0';
	ilen = rd_le32(&r);
	if (r.err || ilen > SDR_CACHE_MAX_BYTES || rd_left(&r) < 4 ||
	    rd_left(&r) - 4 != ilen) {
		why = "truncated (length does not match)";
		goto bad;
	}
	raw = rd_ptr(&r, ilen);
	crc = rd_le32(&r);
	if (r.err || crc != sdr_cache_crc32(buf, len - 4)) {
		why = "checksum mismatch";
		goto bad;
	}
	if (strcmp(key, c->key) != 0) {
		why = "key mismatch";
		goto bad;
	}
	memset(&im, 0, sizeof(im));
	if (sdr_image_set(&im, raw, ilen) != 0) {
		why = "truncated record";
		goto bad;
	}
	if (sidx < sizeof(sdr_cache_sizes) && sidx > c->size_idx)
		c->size_idx = sidx;
	if (add != info->add_ts || erase != info->erase_ts ||
	    count != info->count || dev != (uint8_t)c->device) {
		/* the repository changed since the file was written */
		sdr_image_clear(&im);
		free(buf);
		c->stats.disk_rejects++;
		/* a cache in memory: the caller says it, once */
		if (!c->valid)
			log_target(LOG_DEBUG, c->target, "sdr", "%s: "
			    "repository changed, rebuilding", path);
		return 0;
	}
	sdr_image_clear(&c->img);
	c->img = im;
	c->img_info = *info;
	c->valid = 1;
	c->gen++;
	c->stats.disk_loads++;
	free(buf);
	if (c->have_identity)
		sdr_cache_save_alias(c);
	return 1;
bad:
	free(buf);
	c->stats.disk_rejects++;
	log_target(LOG_WARNING, c->target, "sdr", "SDR cache %s: %s: "
	    "ignored, rebuilding", path, why);
	/* never trusted again; the rebuild writes a new one */
	(void)unlink(path);
	return -1;
}

/* DIR/peer-PEER: the key seen at this address last time */
static void
sdr_cache_load_alias(struct sdr_cache *c)
{
	char path[4096], err[512];
	uint8_t *buf;
	size_t len, i;

	if (c->dir == NULL || c->peer == NULL)
		return;
	sdr_cache_name(path, sizeof(path), c->dir, "peer-", c->peer);
	if (sdr_cache_read_file(path, &buf, &len, SDR_CACHE_KEY_MAX + 8, err,
	    sizeof(err)) != 0)
		return;
	for (i = 0; i < len && i < SDR_CACHE_KEY_MAX && buf[i] != ' ' &&
	    buf[i] != '\n'; i++)
		c->key[i] = (char)buf[i];
	c->key[i] = '\0';
	c->device = i + 1 < len && buf[i] == ' ' && buf[i + 1] == '1';
	c->stats.device_mode = (unsigned)c->device;
	/* only names we could have written */
	if (strncmp(c->key, "guid-", 5) != 0 && strncmp(c->key, "dev-", 4) != 0)
		c->key[0] = '\0';
	free(buf);
}

/* ---- aux blobs ---- */

#define SDR_AUX_MAGIC	"BWSDRA1\n"
#define SDR_AUX_MAX	(256 * 1024)

static int
sdr_cache_aux_path(struct sdr_cache *c, const char *tag, char *path,
    size_t len)
{
	char name[SDR_CACHE_KEY_MAX + 40];

	if (c->dir == NULL || c->key[0] == '\0' || c->fixed || !c->valid)
		return -1;
	(void)snprintf(name, sizeof(name), "%s-%s", tag, c->key);
	sdr_cache_name(path, len, c->dir, "aux-", name);
	return 0;
}

int
sdr_cache_aux_save(struct sdr_cache *c, const char *tag, const uint8_t *p,
    size_t len)
{
	char path[4096];
	struct wbuf w;
	uint8_t *buf;
	size_t cap = 8 + 14 + len + 4;
	int r;

	if (len > SDR_AUX_MAX || sdr_cache_aux_path(c, tag, path,
	    sizeof(path)) != 0)
		return -1;
	buf = xmalloc(cap);
	wb_init(&w, buf, cap);
	wr_bytes(&w, SDR_AUX_MAGIC, 8);
	wr_le32(&w, c->img_info.add_ts);
	wr_le32(&w, c->img_info.erase_ts);
	wr_le16(&w, c->img_info.count);
	wr_le32(&w, (uint32_t)len);
	wr_bytes(&w, p, len);
	wr_le32(&w, sdr_cache_crc32(buf, w.len));
	r = w.err ? -1 : sdr_cache_put(c, path, buf, w.len, 0);
	free(buf);
	return r;
}

uint8_t *
sdr_cache_aux_load(struct sdr_cache *c, const char *tag, size_t *len)
{
	char path[4096], err[512];
	struct rbuf r;
	uint8_t *buf, *out = NULL;
	size_t n;
	uint32_t add, erase, blen;
	uint16_t count;
	const uint8_t *p;

	if (sdr_cache_aux_path(c, tag, path, sizeof(path)) != 0 ||
	    sdr_cache_read_file(path, &buf, &n, SDR_AUX_MAX + 30, err,
	    sizeof(err)) != 0)
		return NULL;
	rb_init(&r, buf, n);
	p = rd_ptr(&r, 8);
	add = rd_le32(&r);
	erase = rd_le32(&r);
	count = rd_le16(&r);
	blen = rd_le32(&r);
	if (r.err || memcmp(p, SDR_AUX_MAGIC, 8) != 0 ||
	    rd_left(&r) < 4 || rd_left(&r) - 4 != blen ||
	    add != c->img_info.add_ts || erase != c->img_info.erase_ts ||
	    count != c->img_info.count)
		goto done;
	p = rd_ptr(&r, blen);
	if (r.err || rd_le32(&r) != sdr_cache_crc32(buf, n - 4))
		goto done;
	out = xmalloc(blen ? blen : 1);
	if (blen > 0)
		memcpy(out, p, blen);
	*len = blen;
done:
	free(buf);
	return out;
}

/* ---- the state machine ---- */

static void
sdr_cache_setdetail(struct sdr_cache *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sdr_cache_setdetail(struct sdr_cache *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

/* drop every read sent ahead: answers in drop when they come */
static void
sdr_cache_pf_flush(struct sdr_cache *c)
{
	unsigned i;

	c->want_set = 0;
	if (c->pf == NULL)
		return;
	for (i = 0; i < SDR_CACHE_PF_MAX; i++) {
		if (c->pf[i].st == PF_INFLIGHT && !c->pf[i].stale) {
			c->pf[i].stale = 1;
			c->stats.prefetch_unused++;
		} else if (c->pf[i].st == PF_DONE) {
			c->pf[i].st = PF_FREE;
			c->stats.prefetch_unused++;
		}
	}
}

static void
sdr_cache_finish(struct sdr_cache *c, enum sdr_cache_err e)
{
	sdr_cache_pf_flush(c);
	if (c->pf_inflight > 0) {
		/* the reads still out answer into c: wait for them */
		c->finishing = 1;
		c->finish_e = e;
		c->st = ST_IDLE;
		return;
	}
	c->finishing = 0;
	free(c->pf);
	c->pf = NULL;
	/* a cache write failed (full disk, ...): try again now, unless
	 * one is still on its way */
	if (e == SDR_CACHE_OK && c->dirty && c->valid && !c->fixed &&
	    c->cache_writes == 0)
		sdr_cache_save(c);
	c->st = ST_IDLE;
	c->running = 0;
	free(c->wraw);
	c->wraw = NULL;
	c->wlen = c->wcap = 0;
	if (c->done != NULL)
		c->done(c->arg, e);
}

static int64_t
sdr_cache_on_timer(void *arg)
{
	struct sdr_cache *c = arg;

	sdr_cache_finish(c, c->result);
	return EV_STOP;
}

static void
sdr_cache_submit(struct sdr_cache *c, struct ipmi_req *q,
    enum sdr_cache_state st)
{
	c->st = st;
	if (conn_submit(c->conn, q, sdr_cache_on_rsp, c) != 0) {
		sdr_cache_setdetail(c, "request queue full");
		c->result = SDR_CACHE_E_TRANSPORT;
		ev_timer_set(c->ev, c->timer, 0);
	}
}

static void
sdr_cache_devid_start(struct sdr_cache *c)
{
	struct ipmi_req q;

	app_devid_req(&q);
	c->stats.devid++;
	sdr_cache_submit(c, &q, ST_DEVID);
}

static void
sdr_cache_guid_start(struct sdr_cache *c, int sys)
{
	struct ipmi_req q;

	app_guid_req(&q, sys);
	c->stats.guid++;
	sdr_cache_submit(c, &q, sys ? ST_SYSGUID : ST_GUID);
}

static void
sdr_cache_info_start(struct sdr_cache *c)
{
	struct ipmi_req q;

	if (c->device)
		sdr_dev_info_req(&q, 1);
	else
		sdr_info_req(&q);
	c->stats.info++;
	sdr_cache_submit(c, &q, ST_INFO);
}

static void
sdr_cache_reserve(struct sdr_cache *c)
{
	struct ipmi_req q;

	sdr_cache_pf_flush(c);
	sdr_reserve_req(&q, c->device);
	c->stats.reserve++;
	sdr_cache_submit(c, &q, ST_RESERVE);
}

static void
sdr_cache_walk_start(struct sdr_cache *c)
{
	c->stats.walks++;
	c->rereserves = 0;
	c->retries = 0;
	c->cur = SDR_ID_FIRST;
	c->got = 0;
	c->wrecs = 0;
	c->wlen = 0;
	c->wcap = 4096;
	free(c->wraw);
	c->wraw = xmalloc(c->wcap);
	c->no_guess = 0;
	c->seq_seen = 0;
	if (c->pf == NULL)
		c->pf = xcalloc(SDR_CACHE_PF_MAX, sizeof(*c->pf));
	sdr_cache_reserve(c);
}

static void
sdr_cache_get_next(struct sdr_cache *c)
{
	size_t want = sdr_cache_sizes[c->size_idx];

	if (c->got >= SDR_HDR_LEN) {
		size_t total = SDR_HDR_LEN + c->rec[4];

		if (total - c->got < want)
			want = total - c->got;
	}
	c->st = ST_GET;
	c->want_set = 1;
	c->want_off = (uint16_t)c->got;
	c->want_len = (uint16_t)want;
	if (!c->pumping)
		sdr_cache_pump(c);
}

static struct sdr_pf *
sdr_pf_find(struct sdr_cache *c, uint16_t id, size_t off, size_t want)
{
	unsigned i;

	for (i = 0; i < SDR_CACHE_PF_MAX; i++) {
		struct sdr_pf *f = &c->pf[i];

		if (f->st != PF_FREE && !f->stale && f->res == c->res &&
		    f->id == id && f->off == off && f->want == want)
			return f;
	}
	return NULL;
}

static void
sdr_pf_on_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct sdr_pf *f = arg;
	struct sdr_cache *c = f->c;

	c->pf_inflight--;
	if (f->stale) {
		f->st = PF_FREE;
		f->stale = 0;
	} else {
		f->st = PF_DONE;
		f->err = err;
		if (err == IPMI_OK)
			f->rsp = *rsp;
	}
	if (c->finishing) {
		if (c->pf_inflight == 0)
			sdr_cache_finish(c, c->finish_e);
		return;
	}
	if (c->st == ST_GET)
		sdr_cache_pump(c);
}

/* a read sent ahead and not dropped (done: answered ones only) */
static int
sdr_pf_any(const struct sdr_cache *c, int done)
{
	unsigned i;

	for (i = 0; i < SDR_CACHE_PF_MAX; i++)
		if (c->pf[i].st != PF_FREE && !c->pf[i].stale &&
		    (!done || c->pf[i].st == PF_DONE))
			return 1;
	return 0;
}

/* reads in flight at once: the session's window */
static unsigned
sdr_cache_depth(const struct sdr_cache *c)
{
	unsigned w = ipmi_tr_window(conn_tr(c->conn));

	return w < 1 ? 1 : w > SDR_CACHE_PF_MAX ? SDR_CACHE_PF_MAX : w;
}

/* send Get SDR (id, off, want) unless it is out already; 0 sent or
 * there, -1 no room (window or queue full) */
static int
sdr_pf_ensure(struct sdr_cache *c, uint16_t id, size_t off, size_t want)
{
	struct ipmi_req q;
	struct sdr_pf *f = NULL;
	unsigned i;

	if (sdr_pf_find(c, id, off, want) != NULL)
		return 0;
	if (c->pf_inflight >= sdr_cache_depth(c))
		return -1;
	for (i = 0; i < SDR_CACHE_PF_MAX && f == NULL; i++)
		if (c->pf[i].st == PF_FREE)
			f = &c->pf[i];
	if (f == NULL)
		return -1;
	sdr_get_req(&q, c->device, c->res, id, (uint8_t)off, (uint8_t)want);
	if (conn_submit(c->conn, &q, sdr_pf_on_rsp, f) != 0)
		return -1;
	c->stats.get_sdr++;
	f->c = c;
	f->st = PF_INFLIGHT;
	f->stale = 0;
	f->res = c->res;
	f->id = id;
	f->off = (uint8_t)off;
	f->want = (uint8_t)want;
	c->pf_inflight++;
	return 0;
}

/* the header of record id, if an answer in hand holds it */
static const uint8_t *
sdr_pf_header(struct sdr_cache *c, uint16_t id, size_t w, size_t *have,
    uint16_t *next)
{
	struct sdr_pf *f;

	if (id == c->cur && c->got >= SDR_HDR_LEN)
		return NULL;	/* the caller reads c->rec */
	if ((f = sdr_pf_find(c, id, 0, w)) == NULL || f->st != PF_DONE ||
	    f->err != IPMI_OK || f->rsp.ccode != IPMI_CC_OK ||
	    f->rsp.len < 2 + SDR_HDR_LEN)
		return NULL;
	*next = (uint16_t)(f->rsp.data[0] | f->rsp.data[1] << 8);
	*have = f->rsp.len - 2u;
	return f->rsp.data + 2;
}

/* Send ahead what the walk will ask next, while the window has room. */
static void
sdr_cache_pf_ahead(struct sdr_cache *c)
{
	size_t w = sdr_cache_sizes[c->size_idx], have, off, total;
	uint16_t id = c->cur, next;
	unsigned recs = c->wrecs, steps;
	const uint8_t *h;

	/* ahead only with a read size known to work, through the
	 * repository (Device SDR counts are of sensors, not records) */
	if (!c->size_ok || c->device)
		return;
	for (steps = 0; steps < SDR_CACHE_PF_MAX; steps++) {
		if (recs >= c->info.count)
			return;
		if (id == c->cur && c->got >= SDR_HDR_LEN) {
			h = c->rec;
			have = c->got;
			next = c->cur_next;
			total = SDR_HDR_LEN + h[4];
			for (off = have; off < total; off += w)
				if (sdr_pf_ensure(c, id, off, total - off < w ?
				    total - off : w) != 0)
					return;
		} else if ((h = sdr_pf_header(c, id, w, &have, &next)) !=
		    NULL) {
			total = SDR_HDR_LEN + h[4];
			for (off = have; off < total; off += w)
				if (sdr_pf_ensure(c, id, off, total - off < w ?
				    total - off : w) != 0)
					return;
		} else {
			if (id == c->cur && c->got > 0)
				return;
			if (sdr_pf_ensure(c, id, 0, w) != 0)
				return;
			if (c->no_guess || c->seq_seen < 2 ||
			    id == SDR_ID_LAST - 1)
				return;
			next = (uint16_t)(id + 1);
		}
		if (next == SDR_ID_LAST || next == id)
			return;
		recs++;
		id = next;
	}
}

/*
 * The walk asks (cur, got, want): hand it the answer when it is in, in
 * a loop rather than recursion, then send ahead.
 */
static void
sdr_cache_pump(struct sdr_cache *c)
{
	struct sdr_pf *f;
	struct ipmi_rsp rsp;
	enum ipmi_err err;

	c->pumping = 1;
	while (c->st == ST_GET && c->want_set && !c->finishing) {
		f = sdr_pf_find(c, c->cur, c->want_off, c->want_len);
		if (f == NULL) {
			/* a record not sent ahead: whatever was is off the
			 * path, the guess of its ID was wrong */
			if (c->want_off == 0 && sdr_pf_any(c, 0)) {
				c->no_guess = 1;
				sdr_cache_pf_flush(c);
				c->want_set = 1;
			}
			if (sdr_pf_ensure(c, c->cur, c->want_off,
			    c->want_len) != 0 && sdr_pf_any(c, 1)) {
				/* no slot: answers kept for later go */
				sdr_cache_pf_flush(c);
				c->want_set = 1;
				(void)sdr_pf_ensure(c, c->cur, c->want_off,
				    c->want_len);
			}
			if (sdr_pf_find(c, c->cur, c->want_off,
			    c->want_len) != NULL)
				continue;
			if (c->pf_inflight > 0)
				break;	/* room when one is in */
			sdr_cache_setdetail(c, "request queue full");
			sdr_cache_finish(c, SDR_CACHE_E_TRANSPORT);
			break;
		}
		if (f->st != PF_DONE)
			break;
		err = f->err;
		rsp = f->rsp;
		f->st = PF_FREE;
		c->want_set = 0;
		if (err != IPMI_OK) {
			sdr_cache_on_rsp(c, err, NULL);
			break;
		}
		if (rsp.ccode == IPMI_CC_OK && rsp.len >= 2) {
			c->size_ok = 1;
			c->cur_next = (uint16_t)(rsp.data[0] |
			    rsp.data[1] << 8);
			if (c->cur_next != (uint16_t)(c->cur + 1))
				c->seq_seen = 0;
			else if (rsp.len > 2 && c->want_off == 0 &&
			    c->seq_seen < 2)
				c->seq_seen++;
		}
		sdr_cache_on_get(c, &rsp);
	}
	if (c->st == ST_GET && !c->finishing)
		sdr_cache_pf_ahead(c);
	c->pumping = 0;
}

static int
sdr_guid_usable(const uint8_t g[16])
{
	int i, zero = 1, ff = 1;

	for (i = 0; i < 16; i++) {
		if (g[i] != 0)
			zero = 0;
		if (g[i] != 0xff)
			ff = 0;
	}
	return !zero && !ff;
}

static int
sdr_cache_reserve_ok(struct sdr_cache *c, const struct ipmi_rsp *rsp)
{
	char why[64];

	if (sdr_reserve_decode(rsp->data, rsp->len, &c->res) != IPMI_OK) {
		sdr_cache_setdetail(c, "%s: %s", c->device ?
		    "Reserve Device SDR Repository" : "Reserve SDR Repository",
		    ipmi_short_fmt(why, sizeof(why), rsp->len,
		    SDR_RESERVE_RSP_LEN));
		sdr_cache_finish(c, SDR_CACHE_E_PROTO);
		return -1;
	}
	return 0;
}

static void
sdr_cache_identity_done(struct sdr_cache *c)
{
	c->have_identity = 1;
	/* an SDR repository device is read through the repository; a
	 * controller without one through its Device SDRs (section 35) */
	c->device = !(c->devid.support & 0x02) && c->devid.provides_sdrs;
	c->stats.device_mode = (unsigned)c->device;
	sdr_cache_info_start(c);
}

/* the record is complete: keep it, go on to the next one */
static void
sdr_cache_record_done(struct sdr_cache *c, uint16_t next)
{
	size_t total = SDR_HDR_LEN + c->rec[4];

	if (c->wrecs + 1 > SDR_CACHE_MAX_RECORDS ||
	    c->wlen + total > SDR_CACHE_MAX_BYTES) {
		sdr_cache_setdetail(c, "repository larger than %d records / "
		    "%d bytes", SDR_CACHE_MAX_RECORDS, SDR_CACHE_MAX_BYTES);
		sdr_cache_finish(c, SDR_CACHE_E_LIMIT);
		return;
	}
	if (c->wlen + total > c->wcap) {
		while (c->wlen + total > c->wcap)
			c->wcap *= 2;
		c->wraw = xreallocarray(c->wraw, c->wcap, 1);
	}
	memcpy(c->wraw + c->wlen, c->rec, total);
	c->wlen += total;
	c->wrecs++;
	if (next == SDR_ID_LAST || next == c->cur) {
		struct sdr_image im;

		memset(&im, 0, sizeof(im));
		if (sdr_image_set(&im, c->wraw, c->wlen) != 0) {
			sdr_cache_setdetail(c, "inconsistent records");
			sdr_cache_finish(c, SDR_CACHE_E_PROTO);
			return;
		}
		sdr_image_clear(&c->img);
		c->img = im;
		c->img_info = c->info;
		c->valid = 1;
		c->gen++;
		sdr_cache_save(c);
		sdr_cache_finish(c, SDR_CACHE_OK);
		return;
	}
	c->cur = next;
	c->got = 0;
	sdr_cache_get_next(c);
}

static void
sdr_cache_on_get(struct sdr_cache *c, const struct ipmi_rsp *rsp)
{
	const uint8_t *data;
	size_t dlen, total;
	uint16_t next;
	char why[IPMI_CCODE_TEXT_MAX];

	switch (rsp->ccode) {
	case IPMI_CC_OK:
		break;
	case IPMI_CC_RESERVATION_CANCELLED:
		if (++c->rereserves > SDR_CACHE_RERESERVE_MAX) {
			sdr_cache_setdetail(c, "%s: reservation cancelled %u "
			    "times", c->device ? "Get Device SDR" : "Get SDR",
			    c->rereserves - 1);
			sdr_cache_finish(c, SDR_CACHE_E_CCODE);
			return;
		}
		/* the repository changed under us: records already read
		 * may be stale too, so the walk starts over */
		c->stats.rereserves++;
		c->cur = SDR_ID_FIRST;
		c->got = 0;
		c->wlen = 0;
		c->wrecs = 0;
		sdr_cache_reserve(c);
		return;
	case IPMI_CC_CANNOT_RETURN_REQUESTED_BYTES:
	case IPMI_CC_TIMEOUT:
	case IPMI_CC_REQUEST_DATA_LENGTH_INVALID:
	case IPMI_CC_REQUEST_DATA_FIELD_LENGTH_EXCEEDED:
		/* too much at once: shrink for the rest of this BMC's life */
		if (c->size_idx + 1 < sizeof(sdr_cache_sizes)) {
			c->size_idx++;
			c->size_ok = 0;
			c->stats.shrinks++;
			sdr_cache_get_next(c);
			return;
		}
		/* FALLTHROUGH */
	default:
		if (rsp->ccode == IPMI_CC_NODE_BUSY &&
		    c->retries++ < SDR_CACHE_RETRY_MAX) {
			sdr_cache_get_next(c);
			return;
		}
		sdr_cache_setdetail(c, "%s 0x%04x: %s", c->device ?
		    "Get Device SDR" : "Get SDR", c->cur, ipmi_ccode_fmt(why,
		    sizeof(why), rsp->netfn, rsp->cmd, rsp->ccode));
		sdr_cache_finish(c, SDR_CACHE_E_CCODE);
		return;
	}
	if (sdr_get_decode(rsp->data, rsp->len, &next, &data, &dlen) !=
	    IPMI_OK || dlen == 0) {
		sdr_cache_setdetail(c, "%s 0x%04x: %s", c->device ?
		    "Get Device SDR" : "Get SDR", c->cur, ipmi_short_fmt(why,
		    sizeof(why), rsp->len, SDR_GET_RSP_MIN));
		sdr_cache_finish(c, SDR_CACHE_E_PROTO);
		return;
	}
	if (c->got + dlen > sizeof(c->rec))
		dlen = sizeof(c->rec) - c->got;
	memcpy(c->rec + c->got, data, dlen);
	c->got += dlen;
	if (c->got < SDR_HDR_LEN) {
		sdr_cache_get_next(c);
		return;
	}
	total = SDR_HDR_LEN + c->rec[4];
	if (c->got < total) {
		sdr_cache_get_next(c);
		return;
	}
	c->retries = 0;
	sdr_cache_record_done(c, next);
}

static void
sdr_cache_on_info(struct sdr_cache *c, const struct ipmi_rsp *rsp)
{
	struct sdr_repo_info info;
	char why[IPMI_CCODE_TEXT_MAX];
	const char *what = c->device ? "Get Device SDR Info" :
	    "Get SDR Repository Info";

	memset(&info, 0, sizeof(info));
	if (rsp->ccode != IPMI_CC_OK && !c->have_identity) {
		/* the remembered mode may belong to another BMC that had
		 * this address: ask this one what it is */
		sdr_cache_devid_start(c);
		return;
	}
	if (rsp->ccode != IPMI_CC_OK) {
		sdr_cache_setdetail(c, "%s: %s", what, ipmi_ccode_fmt(why,
		    sizeof(why), rsp->netfn, rsp->cmd, rsp->ccode));
		sdr_cache_finish(c, SDR_CACHE_E_CCODE);
		return;
	}
	if (c->device) {
		struct sdr_dev_info d;

		if (sdr_dev_info_decode(rsp->data, rsp->len, &d) != IPMI_OK)
			goto short_rsp;
		info.count = d.count;
		info.add_ts = d.change;
		info.ops = SDR_OPS_RESERVE;
	} else if (sdr_info_decode(rsp->data, rsp->len, &info) != IPMI_OK)
		goto short_rsp;
	c->info = info;
	if (c->valid && info.add_ts == c->img_info.add_ts &&
	    info.erase_ts == c->img_info.erase_ts &&
	    info.count == c->img_info.count) {
		/* after changes not logged: how many; else quietly */
		if (c->climit.quiet > 0)
			log_recover(&c->climit, c->target, "sdr", "SDR "
			    "repository unchanged again");
		c->climit.fails = 0;
		sdr_cache_finish(c, SDR_CACHE_OK);
		return;
	}
	if (!c->have_identity) {
		/* about to trust a file or rebuild: make sure of the key */
		if (c->valid || c->key[0] == '\0' ||
		    sdr_cache_load(c, &info) != 1) {
			sdr_cache_devid_start(c);
			return;
		}
		sdr_cache_finish(c, SDR_CACHE_OK);
		return;
	}
	if (sdr_cache_load(c, &info) == 1) {
		sdr_cache_finish(c, SDR_CACHE_OK);
		return;
	}
	if (c->valid)
		(void)log_fail(&c->climit, ev_now(), LOG_INFO, c->target,
		    "sdr", "SDR repository changed (additions %08x -> %08x, "
		    "erase %08x -> %08x, %u -> %u records): rebuilding",
		    c->img_info.add_ts, info.add_ts, c->img_info.erase_ts,
		    info.erase_ts, c->img_info.count, info.count);
	sdr_cache_walk_start(c);
	return;
short_rsp:
	sdr_cache_setdetail(c, "%s: %s", what, ipmi_short_fmt(why,
	    sizeof(why), rsp->len, c->device ? SDR_DEV_INFO_RSP_LEN :
	    SDR_INFO_RSP_LEN));
	sdr_cache_finish(c, SDR_CACHE_E_PROTO);
}

static void
sdr_cache_on_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct sdr_cache *c = arg;
	uint8_t g[16];
	char why[IPMI_CCODE_TEXT_MAX];

	if (err != IPMI_OK) {
		sdr_cache_setdetail(c, "%s", ipmi_tr_error(conn_tr(c->conn)));
		if (strcmp(c->detail, "no error") == 0)
			sdr_cache_setdetail(c, "%s", ipmi_strerror(err));
		sdr_cache_finish(c, SDR_CACHE_E_TRANSPORT);
		return;
	}
	switch (c->st) {
	case ST_DEVID:
		if (rsp->ccode != IPMI_CC_OK ||
		    app_devid_decode(rsp->data, rsp->len, &c->devid) !=
		    IPMI_OK) {
			sdr_cache_setdetail(c, "Get Device ID: %s",
			    ipmi_rsp_errfmt(why, sizeof(why), rsp,
			    APP_DEVID_RSP_LEN));
			sdr_cache_finish(c, rsp->ccode != IPMI_CC_OK ?
			    SDR_CACHE_E_CCODE : SDR_CACHE_E_PROTO);
			return;
		}
		sdr_cache_guid_start(c, 0);
		return;
	case ST_GUID:
	case ST_SYSGUID:
		if (rsp->ccode == IPMI_CC_OK && app_guid_decode(rsp->data,
		    rsp->len, g) == IPMI_OK && sdr_guid_usable(g)) {
			int i, o;

			o = snprintf(c->key, sizeof(c->key), "guid-");
			for (i = 0; i < 16; i++)
				o += snprintf(c->key + o, sizeof(c->key) -
				    (size_t)o, "%02x", g[i]);
			sdr_cache_identity_done(c);
			return;
		}
		if (c->st == ST_GUID) {
			sdr_cache_guid_start(c, 1);
			return;
		}
		(void)snprintf(c->key, sizeof(c->key), "dev-%02x-%05x-%04x",
		    c->devid.device_id, (unsigned)c->devid.manufacturer,
		    c->devid.product);
		sdr_cache_identity_done(c);
		return;
	case ST_INFO:
		sdr_cache_on_info(c, rsp);
		return;
	case ST_RESERVE:
		if (rsp->ccode == IPMI_CC_OK) {
			if (sdr_cache_reserve_ok(c, rsp) != 0)
				return;
		} else if (rsp->ccode == IPMI_CC_INVALID_COMMAND) {
			/* no reservations: reservation id 0 (section 33.11) */
			c->res = 0;
		} else {
			sdr_cache_setdetail(c, "%s: %s", c->device ?
			    "Reserve Device SDR Repository" :
			    "Reserve SDR Repository", ipmi_ccode_fmt(why,
			    sizeof(why), rsp->netfn, rsp->cmd, rsp->ccode));
			sdr_cache_finish(c, SDR_CACHE_E_CCODE);
			return;
		}
		sdr_cache_get_next(c);
		return;
	case ST_GET:
		sdr_cache_on_get(c, rsp);
		return;
	case ST_IDLE:
		break;
	}
}

/* ---- public ---- */

const char *
sdr_cache_strerror(enum sdr_cache_err e)
{
	switch (e) {
	case SDR_CACHE_OK:
		return "no error";
	case SDR_CACHE_E_TRANSPORT:
		return "transport failure";
	case SDR_CACHE_E_CCODE:
		return "the BMC refused a request";
	case SDR_CACHE_E_PROTO:
		return "malformed answer";
	case SDR_CACHE_E_LIMIT:
		return "repository too large";
	case SDR_CACHE_E_BUSY:
		return "a refresh is already running";
	}
	return "unknown error";
}

struct sdr_cache *
sdr_cache_new(struct ev *ev, struct conn *conn, struct work *io,
    const char *dir, const char *peer)
{
	struct sdr_cache *c = xcalloc(1, sizeof(*c));

	c->ev = ev;
	c->conn = conn;
	c->io = io;
	c->timer = ev_timer_add(ev, -1, sdr_cache_on_timer, c);
	c->dir = dir ? xstrdup(dir) : NULL;
	c->peer = peer ? xstrdup(peer) : NULL;
	(void)snprintf(c->detail, sizeof(c->detail), "no error");
	return c;
}

void
sdr_cache_free(struct sdr_cache *c)
{
	struct sdr_cache_job *j;

	if (c == NULL)
		return;
	/* writes in flight finish on their own and only free themselves */
	for (j = c->jobs; j != NULL; j = j->next)
		j->c = NULL;
	ev_timer_del(c->ev, c->timer);
	sdr_image_clear(&c->img);
	free(c->pf);
	free(c->wraw);
	free(c->dir);
	free(c->peer);
	free(c->target);
	free(c);
}

void
sdr_cache_set_target(struct sdr_cache *c, const char *target)
{
	free(c->target);
	c->target = target != NULL ? xstrdup(target) : NULL;
}

int
sdr_cache_busy(const struct sdr_cache *c)
{
	return c->running;
}

void
sdr_cache_use_image(struct sdr_cache *c, struct sdr_image *src)
{
	sdr_image_clear(&c->img);
	c->img = *src;
	memset(src, 0, sizeof(*src));
	c->fixed = 1;
	c->valid = 1;
	c->gen++;
}

int
sdr_cache_refresh(struct sdr_cache *c, sdr_cache_done_fn *done, void *arg)
{
	if (c->running)
		return -1;
	c->running = 1;
	c->done = done;
	c->arg = arg;
	if (c->fixed) {
		c->result = SDR_CACHE_OK;
		ev_timer_set(c->ev, c->timer, 0);
		return 0;
	}
	if (c->key[0] == '\0' && !c->have_identity)
		sdr_cache_load_alias(c);
	if (c->key[0] == '\0' && !c->have_identity) {
		sdr_cache_devid_start(c);
		return 0;
	}
	sdr_cache_info_start(c);
	return 0;
}

const struct sdr_image *
sdr_cache_image(const struct sdr_cache *c)
{
	return &c->img;
}

uint32_t
sdr_cache_generation(const struct sdr_cache *c)
{
	return c->gen;
}

const char *
sdr_cache_detail(const struct sdr_cache *c)
{
	return c->detail;
}

const struct sdr_cache_stats *
sdr_cache_stats(const struct sdr_cache *c)
{
	return &c->stats;
}

const char *
sdr_cache_key(const struct sdr_cache *c)
{
	return c->key;
}

const struct sdr_repo_info *
sdr_cache_info(const struct sdr_cache *c)
{
	return &c->info;
}

int
sdr_cache_default_dir(char *out, size_t len)
{
	const char *e;
	int n;

	if ((e = getenv("BMCWATCH_CACHE_DIR")) != NULL && *e != '\0')
		n = snprintf(out, len, "%s", e);
	else if (geteuid() == 0)
		n = snprintf(out, len, "/var/cache/bmcwatch");
	else if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/')
		n = snprintf(out, len, "%s/bmcwatch", e);
	else if ((e = getenv("HOME")) != NULL && *e == '/')
		n = snprintf(out, len, "%s/.cache/bmcwatch", e);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}
