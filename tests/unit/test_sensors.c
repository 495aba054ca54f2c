/*
 * The SDR cache walk and the sensor sweep (agent/bmc/sdr_cache.c,
 * sensors.c) against a scripted BMC written here from the spec: an SDR
 * repository answering Get SDR with a read-size limit (CAh above it),
 * reservations that can be cancelled (C5h), Device SDRs, and sensors
 * with readings, thresholds and reading factors.
 */
#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake.h"
#include "harness.h"
#include "log.h"
#include "logcap.h"
#include "sdr_cache.h"
#include "sensors.h"
#include "transport.h"
#include "work.h"

/* ---- the scripted BMC ---- */

struct repo {
	struct ipmi_tr	 tr;
	uint8_t		 img[4096];
	size_t		 len;
	unsigned	 max_read;
	uint16_t	 res;
	int		 cancel_at;	/* C5h on the n-th Get SDR (1-based) */
	unsigned	 gets;
	uint32_t	 add_ts, erase_ts;
	int		 no_guid;
	int		 device;	/* Device SDRs only */
	int		 dead;		/* every request times out */
	int		 dead_readings;	/* every Get Sensor Reading too */
	int		 no_bridge;	/* bridged requests: unsupported */
	uint8_t		 rd[256][4];
	uint8_t		 rdlen[256];
	uint8_t		 rdcc[256];
	uint8_t		 thr[256][7];
	unsigned	 count[2][256];	/* [storage?][cmd] */
	unsigned	 sensor_count[256];
	struct ipmi_req	 last;
	struct ipmi_req	 bridged;	/* last bridged request */
	int		 have;
	enum ipmi_err	 perr;
	/*
	 * window > 1: a pipelining transport's model.  Up to window
	 * requests are taken (ipmi_tr_take) and answered together on the
	 * next loop turn, in reverse order if asked.
	 */
	unsigned	 window;
	int		 reverse;
	struct ipmi_tr_pending wq[IPMI_TR_WINDOW_MAX];
	struct ipmi_rsp	 wrsp[IPMI_TR_WINDOW_MAX];
	enum ipmi_err	 werr[IPMI_TR_WINDOW_MAX];
	unsigned	 nw, max_inflight;
	int		 info_out;	/* a repository check in the window */
	unsigned	 ahead;		/* readings taken beside it */
};

static int
repo_find(struct repo *r, uint16_t id, size_t *off, size_t *len,
    uint16_t *next)
{
	size_t p = 0, n;

	while (p + 5 <= r->len) {
		n = 5 + r->img[p + 4];
		if (id == 0 || (r->img[p] | r->img[p + 1] << 8) == id) {
			*off = p;
			*len = n;
			*next = p + n + 5 <= r->len ?
			    (uint16_t)(r->img[p + n] | r->img[p + n + 1] << 8) :
			    0xffff;
			return 0;
		}
		p += n;
	}
	return -1;
}

static void
repo_answer(struct repo *r, const struct ipmi_req *q)
{
	struct ipmi_rsp *s = &r->tr.rsp;
	int storage = q->netfn == IPMI_NETFN_STORAGE;

	memset(s, 0, sizeof(*s));
	s->netfn = q->netfn | 1;
	s->cmd = q->cmd;
	r->last = *q;
	if (q->bridged)
		r->bridged = *q;
	if (q->netfn == IPMI_NETFN_STORAGE || q->netfn ==
	    IPMI_NETFN_SENSOR_EVENT)
		r->count[storage][q->cmd]++;
	if (q->netfn == IPMI_NETFN_APP && q->cmd == IPMI_CMD_GET_DEVICE_ID) {
		static const uint8_t d[] = { 0x01, 0x01, 0x02, 0x45, 0x02,
		    0xbf, 0xd9, 0x7e, 0x00, 0x57, 0x0b };

		memcpy(s->data, d, sizeof(d));
		if (r->device) {
			s->data[1] |= 0x80;	/* provides device SDRs */
			s->data[5] &= (uint8_t)~0x02;	/* no repository */
		}
		s->len = sizeof(d);
		return;
	}
	if (q->netfn == IPMI_NETFN_APP && (q->cmd == IPMI_CMD_GET_DEVICE_GUID ||
	    q->cmd == IPMI_CMD_GET_SYSTEM_GUID)) {
		if (r->no_guid || q->cmd == IPMI_CMD_GET_DEVICE_GUID) {
			s->ccode = IPMI_CC_INVALID_COMMAND;
			return;
		}
		memset(s->data, 0x5a, 16);
		s->len = 16;
		return;
	}
	if ((storage && q->cmd == IPMI_CMD_GET_SDR_REPOSITORY_INFO &&
	    !r->device) || (!storage && q->cmd ==
	    IPMI_CMD_GET_DEVICE_SDR_INFO && r->device)) {
		size_t p = 0, n = 0;

		while (p + 5 <= r->len) {
			p += 5 + r->img[p + 4];
			n++;
		}
		if (r->device) {
			s->data[0] = (uint8_t)n;
			s->data[1] = 0x81;
			s->data[2] = (uint8_t)r->add_ts;
			s->data[3] = (uint8_t)(r->add_ts >> 8);
			s->data[4] = s->data[5] = 0;
			s->len = 6;
			return;
		}
		s->data[0] = 0x51;
		s->data[1] = (uint8_t)n;
		s->data[2] = 0;
		s->data[3] = s->data[4] = 0xff;
		memcpy(s->data + 5, &r->add_ts, 4);	/* little-endian host */
		memcpy(s->data + 9, &r->erase_ts, 4);
		s->data[13] = 0x02;
		s->len = 14;
		return;
	}
	if ((storage && q->cmd == IPMI_CMD_RESERVE_SDR_REPOSITORY) ||
	    (!storage && q->netfn == IPMI_NETFN_SENSOR_EVENT &&
	    q->cmd == IPMI_CMD_RESERVE_DEVICE_SDR_REPOSITORY)) {
		r->res++;
		s->data[0] = (uint8_t)r->res;
		s->data[1] = (uint8_t)(r->res >> 8);
		s->len = 2;
		return;
	}
	if ((storage && q->cmd == IPMI_CMD_GET_SDR && !r->device) ||
	    (!storage && q->netfn == IPMI_NETFN_SENSOR_EVENT &&
	    q->cmd == IPMI_CMD_GET_DEVICE_SDR && r->device)) {
		uint16_t res = (uint16_t)(q->data[0] | q->data[1] << 8);
		uint16_t id = (uint16_t)(q->data[2] | q->data[3] << 8);
		size_t off, len, o = q->data[4], c = q->data[5];
		uint16_t next;

		r->gets++;
		if ((int)r->gets == r->cancel_at) {
			r->res++;	/* someone else reserved */
			s->ccode = IPMI_CC_RESERVATION_CANCELLED;
			return;
		}
		if (res != r->res) {
			s->ccode = IPMI_CC_RESERVATION_CANCELLED;
			return;
		}
		if (c > r->max_read) {
			s->ccode = IPMI_CC_CANNOT_RETURN_REQUESTED_BYTES;
			return;
		}
		if (repo_find(r, id, &off, &len, &next) != 0 || o >= len) {
			s->ccode = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
			return;
		}
		/* like ipmi_sim: past the end comes whatever follows */
		s->data[0] = (uint8_t)next;
		s->data[1] = (uint8_t)(next >> 8);
		memcpy(s->data + 2, r->img + off + o, c);
		s->len = (uint16_t)(2 + c);
		return;
	}
	if (q->netfn == IPMI_NETFN_SENSOR_EVENT &&
	    q->cmd == IPMI_CMD_GET_SENSOR_READING) {
		uint8_t n = q->data[0];

		r->sensor_count[n]++;
		if (r->rdcc[n] != 0 || r->rdlen[n] == 0) {
			s->ccode = r->rdcc[n] ? r->rdcc[n] :
			    IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
			return;
		}
		memcpy(s->data, r->rd[n], r->rdlen[n]);
		s->len = r->rdlen[n];
		return;
	}
	if (q->netfn == IPMI_NETFN_SENSOR_EVENT &&
	    q->cmd == IPMI_CMD_GET_SENSOR_THRESHOLDS) {
		memcpy(s->data, r->thr[q->data[0]], 7);
		s->len = 7;
		return;
	}
	if (q->netfn == IPMI_NETFN_SENSOR_EVENT &&
	    q->cmd == IPMI_CMD_GET_SENSOR_READING_FACTORS) {
		/* M = 2 below raw 0x80, M = 4 from there, K2 = -1 */
		uint8_t raw = q->data[1];

		s->data[0] = raw < 0x80 ? 0x80 : 0xff;
		s->data[1] = raw < 0x80 ? 2 : 4;
		s->data[2] = 0;
		s->data[3] = 0;
		s->data[4] = 0;
		s->data[5] = 0;
		s->data[6] = 0xf0;
		s->len = 7;
		return;
	}
	s->ccode = IPMI_CC_INVALID_COMMAND;
}

static enum ipmi_err
repo_start(struct ipmi_tr *tr, uint64_t now)
{
	struct repo *r = (struct repo *)tr;

	r->perr = r->dead ? IPMI_E_TIMEOUT : IPMI_OK;
	if (r->dead_readings && ipmi_tr_cur(tr)->cmd ==
	    IPMI_CMD_GET_SENSOR_READING)
		r->perr = IPMI_E_TIMEOUT;
	if (r->no_bridge && ipmi_tr_cur(tr)->bridged)
		r->perr = IPMI_E_UNSUPPORTED;
	repo_answer(r, ipmi_tr_cur(tr));
	tr->deadline = now ? now : 1;
	if (r->window > 1) {
		const struct ipmi_req *q = ipmi_tr_cur(tr);

		if (q->netfn == IPMI_NETFN_STORAGE &&
		    q->cmd == IPMI_CMD_GET_SDR_REPOSITORY_INFO)
			r->info_out = 1;
		else if (q->netfn == IPMI_NETFN_SENSOR_EVENT &&
		    q->cmd == IPMI_CMD_GET_SENSOR_READING && r->info_out)
			r->ahead++;
		r->wrsp[r->nw] = tr->rsp;
		r->werr[r->nw] = r->perr;
		ipmi_tr_take(tr, &r->wq[r->nw]);
		if (++r->nw > r->max_inflight)
			r->max_inflight = r->nw;
		return IPMI_OK;
	}
	r->have = 1;
	return IPMI_OK;
}

static int
repo_ready(const struct ipmi_tr *tr)
{
	const struct repo *r = (const struct repo *)tr;

	return r->window <= 1 || r->nw < r->window;
}

static unsigned
repo_window(const struct ipmi_tr *tr)
{
	const struct repo *r = (const struct repo *)tr;

	return r->window > 1 ? r->window : 1;
}

/* the window's answers, all at once (a callback may queue more) */
static void
repo_window_answer(struct repo *r)
{
	struct ipmi_tr_pending q[IPMI_TR_WINDOW_MAX];
	struct ipmi_rsp rsp[IPMI_TR_WINDOW_MAX];
	enum ipmi_err e[IPMI_TR_WINDOW_MAX];
	unsigned n = r->nw, i, k;

	memcpy(q, r->wq, sizeof(q));
	memcpy(rsp, r->wrsp, sizeof(rsp));
	memcpy(e, r->werr, sizeof(e));
	r->nw = 0;
	r->info_out = 0;
	for (i = 0; i < n; i++) {
		k = r->reverse ? n - 1 - i : i;
		r->tr.rsp = rsp[k];
		ipmi_tr_finish(&r->tr, &q[k], e[k], &r->tr.rsp);
	}
}

static void
repo_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct repo *r = (struct repo *)tr;

	tr->deadline = 0;
	if (r->nw > 0) {
		repo_window_answer(r);
		return;
	}
	if (!r->have)
		return;
	r->have = 0;
	ipmi_tr_complete(tr, r->perr, now);
}

static void
repo_nop(struct ipmi_tr *tr, uint64_t now)
{
	(void)tr;
	(void)now;
}

static void
repo_close(struct ipmi_tr *tr, uint64_t now)
{
	(void)now;
	ipmi_tr_closed(tr);
}

static void
repo_free(struct ipmi_tr *tr)
{
	ipmi_tr_base_fini(tr);
	free(tr);
}

static const struct ipmi_tr_ops repo_ops = {
	.name = "repo", .start = repo_start, .readable = repo_nop,
	.timeout = repo_timeout, .close = repo_close, .free = repo_free,
	.ready = repo_ready, .window = repo_window,
};

static struct repo *
repo_new(void)
{
	struct ipmi_tr_cfg cfg;
	struct repo *r = calloc(1, sizeof(*r));

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_OPEN;
	ipmi_tr_base_init(&r->tr, &repo_ops, &cfg);
	r->max_read = 33;
	r->add_ts = 0x1000;
	return r;
}

static void
repo_add(struct repo *r, const char *hex)
{
	int n = harness_hex(hex, r->img + r->len, sizeof(r->img) - r->len);

	if (n > 0)
		r->len += (size_t)n;
}

static void
repo_reading(struct repo *r, uint8_t n, const char *hex)
{
	r->rdlen[n] = (uint8_t)harness_hex(hex, r->rd[n], 4);
}

/* fixture records (from the sim's bmc.sdrs, compiled by sdrcomp) */
#define REC_CPU1 "010051013420000103017f580101957a957a3f3f0001000001010000" \
	"0000012d0000ff00645f550103050202000000c9435055312054656d" \
	"70"
#define REC_P12V "0d0051012f20001007017f580201957a957a3f3f0004000006010000" \
	"00e001c80000ff00e6dcd2aab4be0202000000c450313256"
#define REC_PS1 "1a005102252000330a016740086f7f007f007f00c000000000000000" \
	"000000ca50533120537461747573"
#define REC_AUDIT "230051031920004006012a6f00000000cd53657373696f6e20417564" \
	"6974"
#define REC_FRU "240051111820008000001000070100cd4d61696e626f617264204652" \
	"55"
/* a fan on a satellite controller 0x82, channel 1, LUN 1; full record,
 * M = 100, readable LNC/LC only via the SDR (threshold access 01b) */
#define REC_SAT "3000 51 01 2e 82 11 60 1d 01 7f 54 04 01 1570 1500 0707" \
	"00 12 00 00 64 01 00 00 00 00 01 54 00 00 ff 00 00 00 00 05 07 0a" \
	"01 01 00 00 00 c3 534154"
/* non-linear (70h) sensor, unsigned, Watts, no threshold access */
#define REC_NL "3100 51 01 2e 20 00 61 15 01 7f 40 0b 01 0000 0000 0000" \
	"00 06 00 70 000000000000 00 00 00 00 ff 00 000000000000 0000 0000" \
	"00 c3 504e4c"
/* compact record shared by 3 sensors 0x70-0x72, "DIMM1".."DIMM3" */
#define REC_DIMM "3200 51 02 1f 20 00 70 20 01 67 40 0c 6f 0100 0100 0100" \
	"c0 00 00 03 81 00 00 000000 00 c4 44494d4d"

struct waitf {
	volatile int	done;
	int		err;
};

static void
cache_done(void *arg, enum sdr_cache_err e)
{
	struct waitf *w = arg;

	w->err = (int)e;
	w->done = 1;
}

static void
sweep_done(void *arg, enum sensors_err e)
{
	struct waitf *w = arg;

	w->err = (int)e;
	w->done = 1;
}

static int
run_refresh(struct ev *ev, struct sdr_cache *c)
{
	struct waitf w;
	int turns = 0;

	memset(&w, 0, sizeof(w));
	if (sdr_cache_refresh(c, cache_done, &w) != 0)
		return -100;
	/* never from inside refresh */
	if (w.done)
		return -101;
	while (!w.done && turns++ < 100000)
		(void)ev_run_once(ev, 10);
	return w.err;
}

static int
run_sweep(struct ev *ev, struct sensors *s)
{
	struct waitf w;
	int turns = 0;

	memset(&w, 0, sizeof(w));
	if (sensors_sweep(s, sweep_done, &w) != 0)
		return -100;
	if (w.done)
		return -101;
	while (!w.done && turns++ < 100000)
		(void)ev_run_once(ev, 10);
	return w.err;
}

static char tmpdir[256];

static void
mktmp(void)
{
	(void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/bw-test-sensors.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		tmpdir[0] = '\0';
}

static void
rmtmp(void)
{
	if (tmpdir[0] == '\0')
		return;
	harness_rmtree(tmpdir);
	if (access(tmpdir, F_OK) == 0)
		printf("# cannot remove %s\n", tmpdir);
}

static void
fill(struct repo *r)
{
	repo_add(r, REC_CPU1);
	repo_add(r, REC_P12V);
	repo_add(r, REC_PS1);
	repo_add(r, REC_AUDIT);
	repo_add(r, REC_FRU);
}

/* ---- tests ---- */

static void
test_walk(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	const struct sdr_image *im;
	const struct sdr_cache_stats *st;

	fill(r);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	im = sdr_cache_image(c);
	CHECK_EQ(im->n, 5);
	CHECK_EQ(im->len, r->len);
	CHECK(im->len == r->len && memcmp(im->raw, r->img, r->len) == 0);
	CHECK_STR(im->recs[0].name, "CPU1 Temp");
	CHECK_STR(im->recs[4].name, "Mainboard FRU");
	CHECK_STR(sdr_cache_key(c), "guid-5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	st = sdr_cache_stats(c);
	CHECK_EQ(st->walks, 1);
	/* 64 and 48 refused, then 32 for good */
	CHECK_EQ(st->shrinks, 2);
	CHECK_EQ(st->devid, 1);
	CHECK_EQ(st->info, 1);
	/* no read ever asked for more than the BMC returns */
	CHECK(r->last.data[5] <= 33);
	CHECK_EQ(sdr_cache_generation(c), 1);

	/* unchanged: one repository check, nothing else */
	r->gets = 0;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(r->gets, 0);
	CHECK_EQ(st->info, 2);
	CHECK_EQ(st->walks, 1);
	CHECK_EQ(sdr_cache_generation(c), 1);

	/* a record added: noticed, rebuilt */
	repo_add(r, REC_SAT);
	r->add_ts++;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_image(c)->n, 6);
	CHECK_EQ(st->walks, 2);
	CHECK_EQ(sdr_cache_generation(c), 2);
	/* the learned read size is kept: no more shrinking */
	CHECK_EQ(st->shrinks, 2);
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

/* a repository that changes under every read (hostile BMC "sdrchange",
 * 780): the first change logged, naming the target; the repeats
 * summarised once it holds still (the log grew by two lines a second
 * per target, unnamed, before) */
static void
test_walk_changes_logged_once(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	const char *log;
	int i;

	fill(r);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	sdr_cache_set_target(c, "bmc7");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	log_init("bmcwatchd", 1, 1);		/* info shown */
	logcap_begin();
	for (i = 0; i < 10; i++) {
		r->add_ts++;
		CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	}
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);	/* unchanged */
	r->add_ts++;					/* once more */
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	log = logcap_end();
	log_init("bmcwatchd", 1, 0);
	CHECK_EQ(sdr_cache_stats(c)->walks, 12);
	CHECK_EQ(logcap_count(log, "bmcwatchd: bmc7: sdr: SDR repository "
	    "changed ("), 2);
	CHECK_EQ(logcap_count(log, "bmcwatchd: bmc7: sdr: SDR repository "
	    "unchanged again after 10 failures\n"), 1);
	CHECK_EQ(logcap_count(log, "\n"), 3);
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

static void
test_walk_cancelled(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;

	fill(r);
	r->cancel_at = 6;
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_stats(c)->rereserves, 1);
	CHECK_EQ(sdr_cache_stats(c)->reserve, 2);
	CHECK(sdr_cache_image(c)->len == r->len &&
	    memcmp(sdr_cache_image(c)->raw, r->img, r->len) == 0);
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

static void
test_walk_small_reads(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;

	fill(r);
	r->max_read = 6;
	r->no_guid = 1;
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK(sdr_cache_image(c)->len == r->len &&
	    memcmp(sdr_cache_image(c)->raw, r->img, r->len) == 0);
	/* no GUID: Device ID + manufacturer + product */
	CHECK_STR(sdr_cache_key(c), "dev-01-07ed9-0b57");
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

static void
test_device_sdrs(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;

	fill(r);
	r->device = 1;
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_image(c)->n, 5);
	CHECK_EQ(r->count[1][IPMI_CMD_GET_SDR], 0);
	CHECK(r->count[0][IPMI_CMD_GET_DEVICE_SDR] > 0);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_DEVICE_SDR_INFO], 1);
	r->gets = 0;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(r->gets, 0);
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

static void
test_transport_error(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;

	fill(r);
	r->dead = 1;
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_E_TRANSPORT);
	CHECK(!sdr_cache_busy(c));
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
}

/* on disk: a second process (new cache object) needs only the check;
 * truncated / corrupted / stale files are rebuilt */
static void
test_disk(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	char path[600];
	FILE *f;
	long sz;

	mktmp();
	fill(r);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	sdr_cache_free(c);

	/* warm, new process */
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	r->gets = 0;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(r->gets, 0);
	CHECK_EQ(sdr_cache_stats(c)->devid, 0);
	CHECK_EQ(sdr_cache_stats(c)->info, 1);
	CHECK_EQ(sdr_cache_stats(c)->disk_loads, 1);
	CHECK_EQ(sdr_cache_image(c)->n, 5);
	sdr_cache_free(c);

	/* truncated */
	(void)snprintf(path, sizeof(path), "%s/sdr-guid-%s.cache", tmpdir,
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	f = fopen(path, "r+");
	CHECK(f != NULL);
	if (f != NULL) {
		(void)fseek(f, 0, SEEK_END);
		sz = ftell(f);
		(void)fclose(f);
		CHECK(truncate(path, sz - 10) == 0);
	}
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_stats(c)->disk_rejects, 1);
	CHECK_EQ(sdr_cache_stats(c)->walks, 1);
	CHECK_EQ(sdr_cache_image(c)->n, 5);
	sdr_cache_free(c);

	/* stale: the repository changed while we were away */
	r->erase_ts = 7;
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_stats(c)->walks, 1);
	sdr_cache_free(c);

	/* the alias claims Device SDRs (another BMC had this address):
	 * the refused Get Device SDR Info leads to asking this one */
	(void)snprintf(path, sizeof(path), "%s/peer-peer_1", tmpdir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fprintf(f, "guid-5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a 1\n");
		fclose(f);
	}
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_stats(c)->devid, 1);
	CHECK_EQ(sdr_cache_stats(c)->device_mode, 0);
	CHECK_EQ(sdr_cache_image(c)->n, 5);
	sdr_cache_free(c);

	/* aux blobs follow the image */
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_aux_save(c, "thr", (const uint8_t *)"abc", 3), 0);
	{
		size_t n = 0;
		uint8_t *b = sdr_cache_aux_load(c, "thr", &n);

		CHECK(b != NULL && n == 3 && memcmp(b, "abc", 3) == 0);
		free(b);
		r->add_ts++;
		CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
		b = sdr_cache_aux_load(c, "thr", &n);
		CHECK(b == NULL);
		free(b);
	}
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
	rmtmp();
}

/* run the loop until every write on io has reported; bounded */
static void
drain_io(struct ev *ev, struct work *io)
{
	uint64_t end = ev_now() + 20000;

	while (work_pending(io) > 0 && ev_now() < end)
		(void)ev_run_once(ev, 100);
	CHECK_EQ(work_pending(io), 0);
}

static void
hold_run(void *arg)
{
	char ch;

	(void)read(*(int *)arg, &ch, 1);
}

static int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * The daemon's way: every write on an io worker.  The refresh reports
 * with the disk held up (the worker stuck behind another job), the image
 * usable; a write that fails is counted and logged, and done again after
 * the next refresh; a cache freed with a write in flight leaves the job
 * to finish (and the file written).
 */
static void
test_disk_async(void)
{
	struct ev *ev = ev_new();
	struct work *io = work_new(ev, 1);
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	char dir[600], blocker[600], cpath[800], apath[800];
	int hold[2];
	FILE *f;

	mktmp();
	fill(r);
	cn = conn_new(ev, &r->tr);
	(void)snprintf(dir, sizeof(dir), "%s/d", tmpdir);
	(void)snprintf(cpath, sizeof(cpath), "%s/sdr-guid-%s.cache", dir,
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	(void)snprintf(apath, sizeof(apath), "%s/aux-thr-guid-%s", dir,
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");

	/* the disk is slow: the worker is busy until we say */
	CHECK_EQ(pipe(hold), 0);
	CHECK_EQ(work_submit(io, hold_run, NULL, &hold[0]), 0);
	c = sdr_cache_new(ev, cn, io, dir, "peer:1");
	sdr_cache_set_target(c, "db7");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_image(c)->n, 5);
	CHECK_STR(sdr_cache_image(c)->recs[0].name, "CPU1 Temp");
	CHECK(!file_exists(cpath));		/* not written yet */
	CHECK_EQ(work_pending(io), 3);		/* hold, cache, alias */
	CHECK_EQ(write(hold[1], "x", 1), 1);
	drain_io(ev, io);
	CHECK(file_exists(cpath));
	CHECK_EQ(sdr_cache_stats(c)->disk_writes, 2);
	CHECK_EQ(sdr_cache_stats(c)->disk_write_errors, 0);
	sdr_cache_free(c);

	/* a warm start from what the worker wrote */
	c = sdr_cache_new(ev, cn, io, dir, "peer:1");
	r->gets = 0;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(r->gets, 0);
	CHECK_EQ(sdr_cache_stats(c)->disk_loads, 1);
	sdr_cache_free(c);

	/* the directory cannot be made: a file is in its way */
	(void)snprintf(blocker, sizeof(blocker), "%s/blocked", tmpdir);
	f = fopen(blocker, "w");
	CHECK(f != NULL);
	if (f != NULL)
		(void)fclose(f);
	(void)snprintf(dir, sizeof(dir), "%s/blocked/d", tmpdir);
	(void)snprintf(cpath, sizeof(cpath), "%s/sdr-guid-%s.cache", dir,
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	c = sdr_cache_new(ev, cn, io, dir, "peer:1");
	sdr_cache_set_target(c, "db7");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(sdr_cache_image(c)->n, 5);	/* in memory all the same */
	drain_io(ev, io);
	CHECK_EQ(sdr_cache_stats(c)->disk_write_errors, 2);
	CHECK_EQ(sdr_cache_stats(c)->disk_writes, 0);
	/* the disk is back: the next refresh finds the repository
	 * unchanged, and writes the file again */
	CHECK_EQ(unlink(blocker), 0);
	r->gets = 0;
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	CHECK_EQ(r->gets, 0);
	drain_io(ev, io);
	CHECK_EQ(sdr_cache_stats(c)->disk_writes, 2);
	CHECK_EQ(sdr_cache_stats(c)->disk_write_errors, 2);
	CHECK(file_exists(cpath));
	/* written once: the refresh after that writes nothing */
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	drain_io(ev, io);
	CHECK_EQ(sdr_cache_stats(c)->disk_writes, 2);

	/* an aux blob through the worker; the cache freed while it is on
	 * its way: the job finishes alone */
	(void)snprintf(apath, sizeof(apath), "%s/aux-thr-guid-%s", dir,
	    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	CHECK_EQ(sdr_cache_aux_save(c, "thr", (const uint8_t *)"xyz", 3), 0);
	sdr_cache_free(c);
	work_free(io);				/* drains */
	CHECK(file_exists(apath));
	c = sdr_cache_new(ev, cn, NULL, dir, "peer:1");
	CHECK_EQ(run_refresh(ev, c), SDR_CACHE_OK);
	{
		size_t n = 0;
		uint8_t *b = sdr_cache_aux_load(c, "thr", &n);

		CHECK(b != NULL && n == 3 && memcmp(b, "xyz", 3) == 0);
		free(b);
	}
	sdr_cache_free(c);
	conn_free(cn);
	ev_free(ev);
	(void)close(hold[0]);
	(void)close(hold[1]);
	rmtmp();
}

static void
test_image_file(void)
{
	struct sdr_image im, im2;
	char path[600], err[256];

	mktmp();
	memset(&im, 0, sizeof(im));
	memset(&im2, 0, sizeof(im2));
	{
		uint8_t b[512];
		int n = harness_hex(REC_CPU1 REC_PS1, b, sizeof(b));

		CHECK(sdr_image_set(&im, b, (size_t)n) == 0);
		CHECK_EQ(im.n, 2);
		(void)snprintf(path, sizeof(path), "%s/img", tmpdir);
		CHECK(sdr_image_save(&im, path, err, sizeof(err)) == 0);
		CHECK(sdr_image_load(&im2, path, err, sizeof(err)) == 0);
		CHECK_EQ(im2.n, 2);
		CHECK(im2.len == im.len && memcmp(im.raw, im2.raw, im.len) == 0);
		CHECK(sdr_image_set(&im2, b, (size_t)n - 1) == -1);
		CHECK(sdr_image_load(&im2, "/nonexistent/x", err,
		    sizeof(err)) == -1);
	}
	sdr_image_clear(&im);
	sdr_image_clear(&im2);
	rmtmp();
}

static const struct sensors_item *
find(const struct sensors *s, const char *name)
{
	size_t i;

	for (i = 0; i < sensors_count(s); i++)
		if (strcmp(sensors_get(s, i)->name, name) == 0)
			return sensors_get(s, i);
	return NULL;
}

static void
test_sweep(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	struct severity *sev = severity_new();
	struct sensors *s;
	const struct sensors_item *it;
	const char *words[15];
	char tmp[15][16], unit[64];
	unsigned i;

	fill(r);
	repo_add(r, REC_SAT);
	repo_add(r, REC_NL);
	repo_add(r, REC_DIMM);
	repo_reading(r, 0x01, "5a c0 08");	/* 90 C, UNC */
	memcpy(r->thr[0x01], "\x3f\x05\x03\x01\x50\x5f\x64", 7); /* UNC 80 */
	repo_reading(r, 0x10, "c8 c0 00");	/* 12.00 V */
	memcpy(r->thr[0x10], "\x3f\xbe\xb4\xaa\xd2\xdc\xe6", 7);
	repo_reading(r, 0x33, "00 c0 09 00");	/* presence + AC lost */
	repo_reading(r, 0x60, "54 c0 00");	/* 8400 RPM on the satellite */
	repo_reading(r, 0x61, "90 c0");		/* non-linear, no state */
	repo_reading(r, 0x70, "00 c0 00 00");
	repo_reading(r, 0x71, "00 e0 00 00");	/* unavailable */
	repo_reading(r, 0x72, "00 80 00 00");	/* scanning disabled */
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	/* full, full, compact, satellite, non-linear, 3 shared; the
	 * event-only record and the locator are not swept */
	CHECK_EQ(sensors_count(s), 8);

	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && it->have_value && fabs(it->value - 90) < 1e-9);
	CHECK(it != NULL && it->sev == SENSOR_SEV_WARNING);
	/* thresholds from Get Sensor Thresholds, not the SDR's 85 */
	CHECK(it != NULL && it->thr_from_bmc &&
	    fabs(it->thr[SDR_THR_UNC] - 80) < 1e-9);
	CHECK(it != NULL && sensors_events(it, words, tmp, 15) == 1 &&
	    strcmp(words[0], "Upper Non-critical going high") == 0);
	if (it != NULL) {
		sensors_unit(it, unit, sizeof(unit));
		CHECK_STR(unit, "degrees C");
	}

	CHECK(it != NULL && !it->mismatch);
	it = find(s, "P12V");
	CHECK(it != NULL && fabs(it->value - 12.0) < 1e-9 &&
	    it->decimals == 2 && it->sev == SENSOR_SEV_OK);

	it = find(s, "PS1 Status");
	CHECK(it != NULL && it->sev == SENSOR_SEV_CRITICAL);
	CHECK(it != NULL && sensors_events(it, words, tmp, 15) == 2 &&
	    strcmp(words[0], "Presence detected") == 0 &&
	    strcmp(words[1], "Power Supply AC lost") == 0);

	/* satellite controller: bridged to 0x82 on channel 1, LUN 1 */
	it = find(s, "SAT");
	CHECK(it != NULL && it->have_value && fabs(it->value - 8400) < 1e-9);
	CHECK_EQ(r->bridged.bridged, 1);
	CHECK_EQ(r->bridged.target_addr, 0x82);
	CHECK_EQ(r->bridged.target_chan, 1);
	CHECK_EQ(r->bridged.lun, 1);
	/* threshold access 01b (readable): asked, bridged as well */
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 3);

	/* non-linear: factors for raw 0x90 (M = 4, K2 = -1) */
	it = find(s, "PNL");
	CHECK(it != NULL && it->have_value &&
	    fabs(it->value - 0x90 * 0.4) < 1e-9);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 1);
	/* no state bytes: our own comparison stands in */
	CHECK(it != NULL && it->nstates == 0);

	it = find(s, "DIMM1");
	CHECK(it != NULL && it->sev == SENSOR_SEV_OK &&
	    it->note == SENSORS_NOTE_NONE);
	it = find(s, "DIMM2");
	CHECK(it != NULL && it->sev == SENSOR_SEV_UNAVAILABLE &&
	    it->note == SENSORS_NOTE_UNAVAILABLE && !it->have_value);
	it = find(s, "DIMM3");
	CHECK(it != NULL && it->sev == SENSOR_SEV_UNAVAILABLE &&
	    it->note == SENSORS_NOTE_SCAN_DISABLED);
	CHECK(it != NULL && it->entity_instance == 3);
	CHECK_STR(sensors_note_name(SENSORS_NOTE_SCAN_DISABLED),
	    "scanning disabled");

	/* second sweep: no thresholds, factors cached for 0x90..0xfe */
	repo_reading(r, 0x61, "a0 c0");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 3);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 1);
	it = find(s, "PNL");
	CHECK(it != NULL && fabs(it->value - 0xa0 * 0.4) < 1e-9);
	repo_reading(r, 0x61, "10 c0");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 2);
	it = find(s, "PNL");
	CHECK(it != NULL && fabs(it->value - 0x10 * 0.2) < 1e-9);

	/* cross-check: UNC still asserted 1 count under UNC (hysteresis 2)
	 * is fine; 10 under is not; asserted by us but not the BMC is not */
	repo_reading(r, 0x01, "4f c0 08");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && !it->mismatch && it->sev == SENSOR_SEV_WARNING);
	repo_reading(r, 0x01, "46 c0 08");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && it->mismatch && it->sev == SENSOR_SEV_WARNING);
	repo_reading(r, 0x01, "5a c0 00");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && it->mismatch && it->sev == SENSOR_SEV_OK);
	repo_reading(r, 0x01, "5a c0 08");

	/* a sensor that keeps failing is asked less and less often */
	r->rdcc[0x10] = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
	r->sensor_count[0x10] = 0;
	for (i = 0; i < 20; i++)
		CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "P12V");
	CHECK(it != NULL && it->sev == SENSOR_SEV_UNAVAILABLE &&
	    !it->have_value);
	/* 3 failures, then every 2nd, 4th, 8th, 16th sweep: 3+1+1+1+1 */
	CHECK(r->sensor_count[0x10] >= 5 && r->sensor_count[0x10] <= 8);
	/* recovery */
	r->rdcc[0x10] = 0;
	for (i = 0; i < 40; i++)
		(void)run_sweep(ev, s);
	it = find(s, "P12V");
	CHECK(it != NULL && it->sev == SENSOR_SEV_OK && it->fails == 0);

	/* the repository changes: thresholds are read again */
	r->add_ts++;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 6);

	/* a transport that cannot bridge: only the satellite suffers */
	r->no_bridge = 1;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "SAT");
	CHECK(it != NULL && it->note == SENSORS_NOTE_NO_BRIDGE &&
	    it->sev == SENSOR_SEV_UNAVAILABLE);
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && it->have_value);
	r->no_bridge = 0;

	/* the BMC stops answering: the sweep ends with a transport error */
	r->dead = 1;
	CHECK_EQ(run_sweep(ev, s), SENSORS_E_TRANSPORT);
	r->dead = 0;

	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/*
 * Threshold-based sensors (event/reading type 01h) whose record gives
 * no analog reading: Get Sensor Reading byte 4 is then still the
 * threshold comparison status (section 35.14), not discrete offsets.
 * The compact record is the sim's "Board Temp" (tests/sim/bmc.sdrs):
 * assertion/deassertion masks 3285h (LNC/LC going low, UNC/UC going
 * high; LNC, LC and UNC, UC comparisons returned), readable LNC, LC,
 * UNC, UC, threshold access readable (caps 44h).  The full one is CPU1
 * Temp with analog data format 11b (no analog reading).
 */
#define REC_CMPT "3300 51 02 25 20 00 3c 07 01 67 44 01 01 8532 8532 1b00" \
	"00 01 00 0100 00 00 000000 00 ca 426f6172642054656d70"
#define REC_NOAN "003451013420003d03017f580101957a957a3f3fc001000001010000" \
	"0000012d0000ff00645f550103050202000000c94e6f416e2054656d" \
	"70"

static void
test_compact_threshold(void)
{
	static const struct {
		const char	*rd;
		enum sensor_sev	 sev;
		const char	*w0, *w1;
	} steps[] = {
		/* the two readings */
		{ "00 c0 02", SENSOR_SEV_CRITICAL, "Lower Critical going low",
		    NULL },
		{ "00 c0 08", SENSOR_SEV_WARNING,
		    "Upper Non-critical going high", NULL },
		/* as ipmi_sim answers at or below LC: LNC and LC */
		{ "05 c0 03 00", SENSOR_SEV_CRITICAL,
		    "Lower Non-critical going low",
		    "Lower Critical going low" },
		{ "5f c0 18 00", SENSOR_SEV_CRITICAL,
		    "Upper Non-critical going high",
		    "Upper Critical going high" },
		{ "00 c0 20", SENSOR_SEV_NONRECOVERABLE,
		    "Upper Non-recoverable going high", NULL },
		{ "28 c0 00 00", SENSOR_SEV_OK, NULL, NULL },
	};
	static const char *const names[] = { "Board Temp", "NoAn Temp" };
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	struct severity *sev = severity_new();
	struct sensors *s;
	const struct sensors_item *it;
	const char *words[15];
	char tmp[15][16], unit[64];
	size_t i, k, n;

	repo_add(r, REC_CMPT);
	repo_add(r, REC_NOAN);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	s = sensors_new(ev, cn, c, sev);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		repo_reading(r, 0x3c, steps[i].rd);
		repo_reading(r, 0x3d, steps[i].rd);
		CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
		CHECK_EQ(sensors_count(s), 2);
		for (k = 0; k < 2; k++) {
			it = find(s, names[k]);
			CHECK(it != NULL);
			if (it == NULL)
				continue;
			CHECK(it->threshold && !it->analog);
			CHECK(!it->have_value);
			CHECK_EQ(it->note, SENSORS_NOTE_NONE);
			if (it->sev != steps[i].sev)
				printf("# %s, reading %s: %s\n", names[k],
				    steps[i].rd, sensor_sev_name(it->sev));
			CHECK_EQ(it->sev, steps[i].sev);
			n = sensors_events(it, words, tmp, 15);
			CHECK_EQ(n, steps[i].w1 != NULL ? 2 :
			    steps[i].w0 != NULL ? 1 : 0);
			if (n >= 1 && steps[i].w0 != NULL)
				CHECK_STR(words[0], steps[i].w0);
			if (n >= 2 && steps[i].w1 != NULL)
				CHECK_STR(words[1], steps[i].w1);
			sensors_unit(it, unit, sizeof(unit));
			CHECK_STR(unit, "");
			CHECK_EQ(it->thr_mask, 0);
		}
	}
	/* no thresholds to compare with: never asked for */
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 0);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 0);

	/* no comparison status in the answer: nothing to go by */
	repo_reading(r, 0x3c, "28 c0");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "Board Temp");
	CHECK(it != NULL && it->sev == SENSOR_SEV_UNAVAILABLE &&
	    it->note == SENSORS_NOTE_NO_STATUS);
	CHECK(it != NULL && sensors_events(it, words, tmp, 15) == 0);

	/* a threshold override applies to them as to analog sensors */
	CHECK_EQ(severity_parse_line(sev, "sensor \"Board*\" event 1 "
	    "offset 2 warning", unit, sizeof(unit)), 0);
	repo_reading(r, 0x3c, "00 c0 02");
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "Board Temp");
	CHECK(it != NULL && it->sev == SENSOR_SEV_WARNING);

	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/*
 * A reading the BMC refused is not "no answer", nor is a short one a
 * completion code (issue 8, errors that say the wrong thing): the note
 * names the completion code, or says what was short.
 */
static void
test_reading_errors(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	struct severity *sev = severity_new();
	struct sensors *s;
	const struct sensors_item *it;
	char note[160];

	repo_add(r, REC_CPU1);
	repo_add(r, REC_P12V);
	repo_reading(r, 0x01, "2d");		/* one byte: too short */
	r->rdcc[0x10] = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL && it->note == SENSORS_NOTE_BAD_ANSWER &&
	    it->sev == SENSOR_SEV_UNAVAILABLE);
	if (it != NULL) {
		sensors_note_text(it, note, sizeof(note));
		CHECK_STR(note, "Get Sensor Reading: response too short (1 "
		    "byte, need 2)");
	}
	it = find(s, "P12V");
	CHECK(it != NULL && it->note == SENSORS_NOTE_CCODE &&
	    it->sev == SENSOR_SEV_UNAVAILABLE);
	if (it != NULL) {
		sensors_note_text(it, note, sizeof(note));
		CHECK_STR(note, "Get Sensor Reading: completion code CBh: "
		    "Requested sensor, data, or record not present");
	}
	/* the others read as their name */
	repo_reading(r, 0x01, "2d c0 00");
	r->rdcc[0x10] = 0;
	repo_reading(r, 0x10, "c8 80 00");	/* scanning disabled */
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "P12V");
	CHECK(it != NULL);
	if (it != NULL) {
		sensors_note_text(it, note, sizeof(note));
		CHECK_STR(note, "scanning disabled");
	}
	it = find(s, "CPU1 Temp");
	CHECK(it != NULL);
	if (it != NULL) {
		sensors_note_text(it, note, sizeof(note));
		CHECK_STR(note, "");
	}
	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/*
 * A non-linear (70h) sensor with three readable thresholds (LC, UNC,
 * UC) whose factors differ per raw value: each threshold converts with
 * Get Sensor Reading Factors asked for its own raw value (section 35.5),
 * y = (M * x + B * 10^K1) * 10^K2 (section 36.3, linear once the factors
 * are known):
 *	LC  raw 0x20 = 32:  M 2, B 10,  K1 0, K2 -1: (64 + 10) / 10   =  7.4
 *	UNC raw 0x90 = 144: M 3, B -20, K1 1, K2 -1: (432 - 200) / 10 = 23.2
 *	UC  raw 0xc0 = 192: M 4, B 5,   K1 1, K2 -1: (768 + 50) / 10  = 81.8
 * readings (their own factors requests):
 *	0xa0 = 160: M 3, B -20, K1 1, K2 -1: (480 - 200) / 10 = 28.0 (UNC)
 *	0x8f = 143: M 1, B 86, K1 0, K2 -1: (143 + 86) / 10 = 22.9, 0.3
 *	    under UNC: within its hysteresis of 2 counts, worth what UNC's
 *	    factors say, 2 * |M 3| * 10^-1 = 0.6 (not the reading's 0.2)
 *	0x10 = 16:  M 2, B 10, K1 0, K2 -1: (32 + 10) / 10 = 4.2 (LC)
 *	0xd0 = 208: M 4, B 5, K1 1, K2 -1: (832 + 50) / 10 = 88.2 (UNC, UC)
 */
/* number 62h, threshold access readable (caps 44h), readable mask 1Ah,
 * unsigned, Watts, linearization 70h, hysteresis +2/-2 counts */
#define REC_NLT "4000 51 01 2e 20 00 62 15 01 7f 44 0b 01 0000 0000 1a00" \
	"00 06 00 70 000000000000 00 00 00 00 ff 00 000000000000 02 02 0000" \
	"00 c3 4e4c54"

static void
test_nonlinear_thresholds(void)
{
	static const uint8_t m_rd[] = { 0x62 };
	static const uint8_t m_20[] = { 0x62, 0x20 }, m_90[] = { 0x62, 0x90 },
	    m_c0[] = { 0x62, 0xc0 }, m_a0[] = { 0x62, 0xa0 },
	    m_8f[] = { 0x62, 0x8f }, m_10[] = { 0x62, 0x10 },
	    m_d0[] = { 0x62, 0xd0 };
	/* mask, LNC, LC, LNR, UNC, UC, UNR */
	static const uint8_t thr[] = { 0x1a, 0x00, 0x20, 0x00, 0x90, 0xc0,
	    0x00 };
	/* next reading, M LS, M MS|tol, B LS, B MS|acc, acc|dir, K2|K1 */
	static const uint8_t f_20[] = { 0x40, 0x02, 0x00, 0x0a, 0x00, 0x00,
	    0xf0 };
	/* B = -20: 10-bit two's complement 3ECh */
	static const uint8_t f_90[] = { 0xb0, 0x03, 0x00, 0xec, 0xc0, 0x00,
	    0xf1 };
	static const uint8_t f_c0[] = { 0xff, 0x04, 0x00, 0x05, 0x00, 0x00,
	    0xf1 };
	static const uint8_t f_a0[] = { 0xb0, 0x03, 0x00, 0xec, 0xc0, 0x00,
	    0xf1 };
	static const uint8_t f_8f[] = { 0x90, 0x01, 0x00, 0x56, 0x00, 0x00,
	    0xf0 };
	static const uint8_t f_10[] = { 0x20, 0x02, 0x00, 0x0a, 0x00, 0x00,
	    0xf0 };
	static const uint8_t f_d0[] = { 0xe0, 0x04, 0x00, 0x05, 0x00, 0x00,
	    0xf1 };
	uint8_t rd[3] = { 0xa0, 0xc0, 0x08 };	/* 28.0, UNC asserted */
	struct fake_rule rules[] = {
		{ IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_READING, m_rd, 1,
		    IPMI_OK, 0, rd, sizeof(rd), 0 },
		{ IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_THRESHOLDS, m_rd,
		    1, IPMI_OK, 0, thr, sizeof(thr), 0 },
#define FR(m, f) { IPMI_NETFN_SENSOR_EVENT, \
		    IPMI_CMD_GET_SENSOR_READING_FACTORS, m, 2, IPMI_OK, 0, f, \
		    sizeof(f), 0 }
		FR(m_20, f_20), FR(m_90, f_90), FR(m_c0, f_c0), FR(m_a0, f_a0),
		FR(m_8f, f_8f), FR(m_10, f_10), FR(m_d0, f_d0),
#undef FR
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, sizeof(rules) / sizeof(rules[0]));
	struct conn *cn = conn_new(ev, tr);
	struct sdr_cache *c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	struct severity *sev = severity_new();
	struct sensors *s;
	struct sdr_image im;
	const struct sensors_item *it;
	const char *words[15];
	char tmp[15][16];
	uint8_t b[128];
	int n;

	memset(&im, 0, sizeof(im));
	n = harness_hex(REC_NLT, b, sizeof(b));
	CHECK(n > 0 && sdr_image_set(&im, b, (size_t)n) == 0);
	sdr_cache_use_image(c, &im);
	s = sensors_new(ev, cn, c, sev);

	/* cold: Get Sensor Thresholds, one factors request per readable
	 * threshold (3), the reading and its factors */
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(sensors_count(s), 1);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_THRESHOLDS), 1);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 3 + 1);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING), 1);
	CHECK_EQ(sensors_stats(s)->factors, 4);
	it = find(s, "NLT");
	CHECK(it != NULL);
	if (it == NULL)
		goto out;
	CHECK_EQ(it->thr_mask, 0x1a);
	CHECK(fabs(it->thr[SDR_THR_LC] - 7.4) < 1e-9);
	CHECK(fabs(it->thr[SDR_THR_UNC] - 23.2) < 1e-9);
	CHECK(fabs(it->thr[SDR_THR_UC] - 81.8) < 1e-9);
	CHECK(it->have_value && fabs(it->value - 28.0) < 1e-9);
	CHECK_EQ(it->cmp_bits, 1u << SDR_THR_UNC);
	CHECK(!it->mismatch && it->sev == SENSOR_SEV_WARNING);
	CHECK(sensors_events(it, words, tmp, 15) == 1 &&
	    strcmp(words[0], "Upper Non-critical going high") == 0);

	/* warm: the reading only; thresholds and their factors cached */
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_THRESHOLDS), 1);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 4);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING), 2);
	it = find(s, "NLT");
	CHECK(it != NULL && it->thr_mask == 0x1a &&
	    fabs(it->thr[SDR_THR_UNC] - 23.2) < 1e-9 &&
	    it->sev == SENSOR_SEV_WARNING && !it->mismatch);

	/* the cross-check works now: the BMC says nothing at 28.0 */
	rd[2] = 0x00;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "NLT");
	CHECK(it != NULL && it->mismatch && it->sev == SENSOR_SEV_OK);

	/* 22.9, UNC still asserted: within hysteresis (0.6), no mismatch */
	rd[0] = 0x8f;
	rd[2] = 0x08;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "NLT");
	CHECK(it != NULL && fabs(it->value - 22.9) < 1e-9 &&
	    it->cmp_bits == 0 && !it->mismatch &&
	    it->sev == SENSOR_SEV_WARNING);

	/* 4.2 at or below LC (7.4): critical */
	rd[0] = 0x10;
	rd[2] = 0x02;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "NLT");
	CHECK(it != NULL && fabs(it->value - 4.2) < 1e-9 &&
	    it->cmp_bits == (1u << SDR_THR_LC) && !it->mismatch &&
	    it->sev == SENSOR_SEV_CRITICAL);

	/* 88.2 beyond UC (81.8) and UNC: critical */
	rd[0] = 0xd0;
	rd[2] = 0x18;
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	it = find(s, "NLT");
	CHECK(it != NULL && fabs(it->value - 88.2) < 1e-9 &&
	    it->cmp_bits == (1u << SDR_THR_UNC | 1u << SDR_THR_UC) &&
	    !it->mismatch && it->sev == SENSOR_SEV_CRITICAL);
	/* still no threshold request since the cold sweep: 4 + one
	 * factors request per new reading range (8Fh, 10h, D0h) */
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_THRESHOLDS), 1);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 7);
out:
	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/* the BMC stops answering in the middle of the thresholds' factors: the
 * one not answered is asked on the next sweep, the others are not */
static void
test_nonlinear_thresholds_timeout(void)
{
	static const uint8_t m_rd[] = { 0x62 };
	static const uint8_t m_20[] = { 0x62, 0x20 }, m_90[] = { 0x62, 0x90 },
	    m_c0[] = { 0x62, 0xc0 }, m_a0[] = { 0x62, 0xa0 };
	static const uint8_t thr[] = { 0x1a, 0x00, 0x20, 0x00, 0x90, 0xc0,
	    0x00 };
	static const uint8_t f_20[] = { 0x40, 0x02, 0x00, 0x0a, 0x00, 0x00,
	    0xf0 };
	static const uint8_t f_90[] = { 0xb0, 0x03, 0x00, 0xec, 0xc0, 0x00,
	    0xf1 };
	static const uint8_t f_c0[] = { 0xff, 0x04, 0x00, 0x05, 0x00, 0x00,
	    0xf1 };
	static const uint8_t rd[] = { 0xa0, 0xc0, 0x08 };
	struct fake_rule rules[] = {
		{ IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_READING, m_rd, 1,
		    IPMI_OK, 0, rd, sizeof(rd), 0 },
		{ IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_THRESHOLDS, m_rd,
		    1, IPMI_OK, 0, thr, sizeof(thr), 0 },
		{ IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_READING_FACTORS,
		    m_90, 2, IPMI_E_TIMEOUT, 0, NULL, 0, 1 },
#define FR(m, f) { IPMI_NETFN_SENSOR_EVENT, \
		    IPMI_CMD_GET_SENSOR_READING_FACTORS, m, 2, IPMI_OK, 0, f, \
		    sizeof(f), 0 }
		FR(m_20, f_20), FR(m_90, f_90), FR(m_c0, f_c0), FR(m_a0, f_90),
#undef FR
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, sizeof(rules) / sizeof(rules[0]));
	struct conn *cn = conn_new(ev, tr);
	struct sdr_cache *c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	struct severity *sev = severity_new();
	struct sensors *s;
	struct sdr_image im;
	const struct sensors_item *it;
	uint8_t b[128];
	int n;

	memset(&im, 0, sizeof(im));
	n = harness_hex(REC_NLT, b, sizeof(b));
	CHECK(n > 0 && sdr_image_set(&im, b, (size_t)n) == 0);
	sdr_cache_use_image(c, &im);
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_E_TRANSPORT);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 2);	/* 20h, 90h */
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_THRESHOLDS), 1);
	/* 90h again, C0h, the reading A0h */
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 2 + 3);
	it = find(s, "NLT");
	CHECK(it != NULL && it->thr_mask == 0x1a &&
	    fabs(it->thr[SDR_THR_LC] - 7.4) < 1e-9 &&
	    fabs(it->thr[SDR_THR_UNC] - 23.2) < 1e-9 &&
	    fabs(it->thr[SDR_THR_UC] - 81.8) < 1e-9 &&
	    it->sev == SENSOR_SEV_WARNING && !it->mismatch);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(fake_count(tr, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS), 5);
	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/*
 * The thresholds' factors are kept beside the SDR cache with the
 * thresholds: a new process with a valid cache asks for neither.  The
 * scripted BMC's factors: M 2 below 80h (next: 80h), M 4 from there
 * (next: FFh), K2 -1.  LNC 20h and LC 30h share a range: one request.
 */
/* number 63h, thresholds readable (LNC, LC, UNC), from the SDR:
 * UNC 90h, LC 30h, LNC 20h; hysteresis 1 */
#define REC_NLD "4100 51 01 2e 20 00 63 15 01 7f 44 0b 01 0000 0000 0b00" \
	"00 06 00 70 000000000000 00 00 00 00 ff 00 000090003020 01 01 0000" \
	"00 c3 4e4c44"

static void
test_nonlinear_thresholds_disk(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	struct severity *sev = severity_new();
	struct sensors *s;
	const struct sensors_item *it;

	mktmp();
	repo_add(r, REC_NLD);
	repo_reading(r, 0x63, "50 c0 00");	/* 0x50 * 0.2 = 16.0 */
	/* Get Sensor Thresholds: mask, LNC, LC, LNR, UNC, UC, UNR */
	memcpy(r->thr[0x63], "\x0b\x20\x30\x00\x90\x00\x00", 7);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 1);
	/* 20h (covering 30h up to 80h), 90h; the reading 50h */
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 2 + 1);
	it = find(s, "NLD");
	/* 0x20 * 0.2 = 6.4, 0x30 * 0.2 = 9.6, 0x90 * 0.4 = 57.6 */
	CHECK(it != NULL && it->thr_mask == 0x0b &&
	    fabs(it->thr[SDR_THR_LNC] - 6.4) < 1e-9 &&
	    fabs(it->thr[SDR_THR_LC] - 9.6) < 1e-9 &&
	    fabs(it->thr[SDR_THR_UNC] - 57.6) < 1e-9);
	CHECK(it != NULL && fabs(it->value - 16.0) < 1e-9 &&
	    it->sev == SENSOR_SEV_OK && !it->mismatch);
	sensors_free(s);
	sdr_cache_free(c);

	/* a new process: nothing but the check, the reading and its
	 * factors */
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 1);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_READING_FACTORS], 3 + 1);
	CHECK_EQ(sensors_stats(s)->thresholds, 0);
	CHECK_EQ(sensors_stats(s)->factors, 1);
	it = find(s, "NLD");
	CHECK(it != NULL && it->thr_mask == 0x0b &&
	    fabs(it->thr[SDR_THR_LC] - 9.6) < 1e-9 &&
	    fabs(it->thr[SDR_THR_UNC] - 57.6) < 1e-9 &&
	    it->sev == SENSOR_SEV_OK && !it->mismatch);
	sensors_free(s);
	sdr_cache_free(c);

	/* the repository changes: thresholds and their factors again */
	r->add_ts++;
	c = sdr_cache_new(ev, cn, NULL, tmpdir, "peer:1");
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(r->count[0][IPMI_CMD_GET_SENSOR_THRESHOLDS], 2);
	CHECK_EQ(sensors_stats(s)->factors, 2 + 1);
	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
	rmtmp();
}

static void
test_exclude(void)
{
	struct ev *ev = ev_new();
	struct repo *r = repo_new();
	struct conn *cn;
	struct sdr_cache *c;
	struct severity *sev = severity_new();
	struct sensors *s;
	char err[256];

	fill(r);
	repo_reading(r, 0x01, "5a c0 08");
	repo_reading(r, 0x33, "00 c0 09 00");
	CHECK(severity_parse_line(sev, "exclude P12V", err, sizeof(err)) == 0);
	CHECK(severity_parse_line(sev, "sensor \"PS1 *\" offset 3 warning",
	    err, sizeof(err)) == 0);
	CHECK(severity_parse_line(sev, "sensor #1 event 1 offset 7 "
	    "nonrecoverable", err, sizeof(err)) == 0);
	cn = conn_new(ev, &r->tr);
	c = sdr_cache_new(ev, cn, NULL, NULL, NULL);
	s = sensors_new(ev, cn, c, sev);
	CHECK_EQ(run_sweep(ev, s), SENSORS_OK);
	CHECK_EQ(sensors_count(s), 2);
	CHECK(find(s, "P12V") == NULL);
	CHECK(find(s, "PS1 Status") != NULL &&
	    find(s, "PS1 Status")->sev == SENSOR_SEV_WARNING);
	CHECK(find(s, "CPU1 Temp") != NULL &&
	    find(s, "CPU1 Temp")->sev == SENSOR_SEV_NONRECOVERABLE);
	sensors_free(s);
	sdr_cache_free(c);
	severity_free(sev);
	conn_free(cn);
	ev_free(ev);
}

/* two BMCs swept at the same time on one event loop, as the daemon
 * will: neither waits for the other, each gets its own answers */
static void
test_two_bmcs(void)
{
	struct ev *ev = ev_new();
	struct repo *r1 = repo_new(), *r2 = repo_new();
	struct conn *c1, *c2;
	struct sdr_cache *s1, *s2;
	struct severity *sev = severity_new();
	struct sensors *w1, *w2;
	struct waitf a, b;
	int turns = 0;

	fill(r1);
	repo_add(r2, REC_CPU1);
	repo_add(r2, REC_DIMM);
	repo_reading(r1, 0x01, "2d c0 00");
	repo_reading(r2, 0x01, "60 c0 38");	/* 96 C: UNC, UC, UNR bits */
	r2->max_read = 16;
	c1 = conn_new(ev, &r1->tr);
	c2 = conn_new(ev, &r2->tr);
	s1 = sdr_cache_new(ev, c1, NULL, NULL, NULL);
	s2 = sdr_cache_new(ev, c2, NULL, NULL, NULL);
	w1 = sensors_new(ev, c1, s1, sev);
	w2 = sensors_new(ev, c2, s2, sev);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	CHECK(sensors_sweep(w1, sweep_done, &a) == 0);
	CHECK(sensors_sweep(w2, sweep_done, &b) == 0);
	CHECK(sensors_sweep(w1, sweep_done, &a) == -1);	/* busy */
	while ((!a.done || !b.done) && turns++ < 100000)
		(void)ev_run_once(ev, 10);
	CHECK(a.done && b.done);
	CHECK_EQ(a.err, SENSORS_OK);
	CHECK_EQ(b.err, SENSORS_OK);
	CHECK_EQ(sensors_count(w1), 3);
	CHECK_EQ(sensors_count(w2), 4);
	CHECK(find(w1, "CPU1 Temp") != NULL &&
	    fabs(find(w1, "CPU1 Temp")->value - 45) < 1e-9);
	CHECK(find(w2, "CPU1 Temp") != NULL &&
	    find(w2, "CPU1 Temp")->sev == SENSOR_SEV_NONRECOVERABLE);
	/* 64, 48, 32, 24 refused by the 16-byte BMC */
	CHECK_EQ(sdr_cache_stats(s2)->shrinks, 4);
	CHECK_EQ(sdr_cache_stats(s1)->shrinks, 2);
	sensors_free(w1);
	sensors_free(w2);
	sdr_cache_free(s1);
	sdr_cache_free(s2);
	severity_free(sev);
	conn_free(c1);
	conn_free(c2);
	ev_free(ev);
}

/* the records of test_sweep_window and test_sweep_lead */
static void
fill_window(struct repo *r)
{
	fill(r);
	repo_add(r, REC_SAT);
	repo_add(r, REC_NL);
	repo_add(r, REC_DIMM);
	repo_reading(r, 0x01, "5a c0 08");
	memcpy(r->thr[0x01], "\x3f\x05\x03\x01\x50\x5f\x64", 7);
	repo_reading(r, 0x10, "c8 c0 00");
	memcpy(r->thr[0x10], "\x3f\xbe\xb4\xaa\xd2\xdc\xe6", 7);
	repo_reading(r, 0x33, "00 c0 09 00");
	repo_reading(r, 0x60, "54 c0 00");
	repo_reading(r, 0x61, "90 c0");
	repo_reading(r, 0x70, "00 c0 00 00");
	repo_reading(r, 0x71, "00 e0 00 00");
	repo_reading(r, 0x72, "00 80 00 00");
}

/* The same repository read one request at a time (1) and with a window
 * of 4 (4), side by side: test_sweep_window, test_sweep_lead. */
struct wpair {
	struct repo		*r1, *r4;
	struct conn		*c1, *c4;
	struct sdr_cache	*s1, *s4;
	struct severity		*sev;
	struct sensors		*w1, *w4;
};

static void
wpair_init(struct wpair *p, struct ev *ev)
{
	p->r1 = repo_new();
	p->r4 = repo_new();
	fill_window(p->r1);
	fill_window(p->r4);
	p->r4->window = 4;
	p->sev = severity_new();
	p->c1 = conn_new(ev, &p->r1->tr);
	p->c4 = conn_new(ev, &p->r4->tr);
	p->s1 = sdr_cache_new(ev, p->c1, NULL, NULL, NULL);
	p->s4 = sdr_cache_new(ev, p->c4, NULL, NULL, NULL);
	p->w1 = sensors_new(ev, p->c1, p->s1, p->sev);
	p->w4 = sensors_new(ev, p->c4, p->s4, p->sev);
}

static void
wpair_free(struct wpair *p)
{
	sensors_free(p->w1);
	sensors_free(p->w4);
	sdr_cache_free(p->s1);
	sdr_cache_free(p->s4);
	severity_free(p->sev);
	conn_free(p->c1);
	conn_free(p->c4);
}

/* both sides hold the same list with the same readings and states */
static void
wpair_same(const struct wpair *p)
{
	const struct sensors_item *a, *b;
	size_t i;

	CHECK_EQ(sensors_count(p->w1), sensors_count(p->w4));
	for (i = 0; i < sensors_count(p->w1) && i < sensors_count(p->w4);
	    i++) {
		a = sensors_get(p->w1, i);
		b = sensors_get(p->w4, i);
		CHECK_STR(a->name, b->name);
		CHECK_EQ(a->have_value, b->have_value);
		CHECK(a->value == b->value);
		CHECK_EQ(a->sev, b->sev);
		CHECK_EQ(a->note, b->note);
		CHECK_EQ(a->states, b->states);
	}
}

/*
 * Readings several at a time (a transport with a window of 4 answering
 * each batch in reverse order): every item ends exactly as in a sweep
 * one request at a time, with the same requests; a BMC that stops
 * answering ends the sweep once what is in flight came back, asking
 * nothing more.
 */
static void
test_sweep_window(void)
{
	struct ev *ev = ev_new();
	struct wpair p;
	struct repo *r1, *r4;
	struct sensors *w1, *w4;
	const struct sensors_item *a;
	unsigned k, before;
	size_t i;

	wpair_init(&p, ev);
	r1 = p.r1;
	r4 = p.r4;
	w1 = p.w1;
	w4 = p.w4;
	r4->reverse = 1;
	for (k = 0; k < 3; k++) {
		if (k == 1) {	/* the non-linear one moves: factors again */
			repo_reading(r1, 0x61, "10 c0");
			repo_reading(r4, 0x61, "10 c0");
		}
		CHECK_EQ(run_sweep(ev, w1), SENSORS_OK);
		CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
		CHECK_EQ(sensors_count(w4), 8);
		wpair_same(&p);
	}
	a = find(w4, "CPU1 Temp");
	CHECK(a != NULL && a->have_value && fabs(a->value - 90) < 1e-9);
	a = find(w4, "PNL");
	CHECK(a != NULL && fabs(a->value - 0x10 * 0.2) < 1e-9);
	for (k = 0; k < 256; k++) {
		CHECK_EQ(r1->count[0][k], r4->count[0][k]);
		CHECK_EQ(r1->count[1][k], r4->count[1][k]);
	}
	CHECK_EQ(r4->count[0][IPMI_CMD_GET_SENSOR_READING], 3 * 8);
	CHECK_EQ(r4->max_inflight, 4);
	CHECK_EQ(r1->max_inflight, 0);

	/* the warm sweeps sent 3 readings beside the repository check */
	CHECK_EQ(r4->ahead, 2 * 3);
	CHECK_EQ(r1->ahead, 0);

	before = r4->count[0][IPMI_CMD_GET_SENSOR_READING];
	r4->dead_readings = 1;
	CHECK_EQ(run_sweep(ev, w4), SENSORS_E_TRANSPORT);
	/* the 3 beside the check (answered before it, held, taken when it
	 * confirms the list): the two direct failures among them end the
	 * sweep, nothing more is asked */
	CHECK_EQ(r4->count[0][IPMI_CMD_GET_SENSOR_READING] - before, 3);
	for (i = 0; i < sensors_count(w4); i++)
		CHECK(!sensors_get(w4, i)->have_value);
	CHECK(!sensors_busy(w4));
	CHECK(conn_idle(p.c4));
	r4->dead_readings = 0;
	CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
	a = find(w4, "CPU1 Temp");
	CHECK(a != NULL && a->have_value);

	wpair_free(&p);
	ev_free(ev);
}

/*
 * The readings that go beside the repository check (a warm sweep, a
 * window of 4): when the repository changed, what they answered is
 * dropped, whether it came before the check's answer (held) or after,
 * and the sweep reads the new list whole, ending as a sweep one at a
 * time does; a check that fails ends the sweep once they are back.
 */
static void
test_sweep_lead(void)
{
	struct ev *ev = ev_new();
	struct wpair p;
	struct repo *r1, *r4;
	struct sensors *w1, *w4;
	const struct sensors_item *a;
	static const char *const added[] = { REC_CMPT, REC_NOAN };
	unsigned k, before, b1, n;

	wpair_init(&p, ev);
	r1 = p.r1;
	r4 = p.r4;
	w1 = p.w1;
	w4 = p.w4;
	CHECK_EQ(run_sweep(ev, w1), SENSORS_OK);
	CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
	CHECK_EQ(r4->ahead, 0);		/* cold: the list comes first */
	n = (unsigned)sensors_count(w4);
	for (k = 0; k < 2; k++) {
		/* k 0: the check answered first; 1: last (held answers) */
		r4->reverse = (int)k;
		repo_add(r1, added[k]);
		repo_add(r4, added[k]);
		repo_reading(r1, (uint8_t)(0x3c + k), "28 c0 00 00");
		repo_reading(r4, (uint8_t)(0x3c + k), "28 c0 00 00");
		r1->add_ts += 0x100;
		r4->add_ts += 0x100;
		before = r4->count[0][IPMI_CMD_GET_SENSOR_READING];
		b1 = r1->count[0][IPMI_CMD_GET_SENSOR_READING];
		CHECK_EQ(run_sweep(ev, w1), SENSORS_OK);
		CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
		n++;
		CHECK_EQ(sensors_count(w4), n);
		CHECK_EQ(sensors_count(w1), n);
		/* 3 ahead of the check, all dropped, then every sensor */
		CHECK_EQ(r4->ahead, 3 + 6 * k);
		CHECK_EQ(r4->count[0][IPMI_CMD_GET_SENSOR_READING] - before,
		    3 + r1->count[0][IPMI_CMD_GET_SENSOR_READING] - b1);
		wpair_same(&p);
		/* unchanged again: warm, one reading a sensor */
		before = r4->count[0][IPMI_CMD_GET_SENSOR_READING];
		b1 = r1->count[0][IPMI_CMD_GET_SENSOR_READING];
		CHECK_EQ(run_sweep(ev, w1), SENSORS_OK);
		CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
		CHECK_EQ(r4->count[0][IPMI_CMD_GET_SENSOR_READING] - before,
		    r1->count[0][IPMI_CMD_GET_SENSOR_READING] - b1);
		CHECK_EQ(r4->ahead, 6 + 6 * k);
		CHECK(!sensors_busy(w4));
		CHECK(conn_idle(p.c4));
	}
	a = find(w4, "Board Temp");
	CHECK(a != NULL && a->note == SENSORS_NOTE_NONE);
	a = find(w4, "NoAn Temp");
	CHECK(a != NULL);

	/* the check fails (the BMC is gone) with readings out: answered
	 * before it (held) or after it (dropped as they come) */
	for (k = 0; k < 2; k++) {
		r4->reverse = (int)k;
		r4->dead = 1;
		CHECK_EQ(run_sweep(ev, w4), SENSORS_E_TRANSPORT);
		CHECK(!sensors_busy(w4));
		CHECK(conn_idle(p.c4));
		r4->dead = 0;
		CHECK_EQ(run_sweep(ev, w4), SENSORS_OK);
		a = find(w4, "CPU1 Temp");
		CHECK(a != NULL && a->have_value);
	}

	wpair_free(&p);
	ev_free(ev);
}

int
main(void)
{
	log_init("test_sensors", 1, 0);
	RUN(test_walk);
	RUN(test_walk_changes_logged_once);
	RUN(test_walk_cancelled);
	RUN(test_walk_small_reads);
	RUN(test_device_sdrs);
	RUN(test_transport_error);
	RUN(test_disk);
	RUN(test_disk_async);
	RUN(test_image_file);
	RUN(test_sweep);
	RUN(test_compact_threshold);
	RUN(test_reading_errors);
	RUN(test_nonlinear_thresholds);
	RUN(test_nonlinear_thresholds_timeout);
	RUN(test_nonlinear_thresholds_disk);
	RUN(test_exclude);
	RUN(test_two_bmcs);
	RUN(test_sweep_window);
	RUN(test_sweep_lead);
	return harness_end();
}
