/*
 * The SNMP side of the daemon without snmpd: agent/snmp/mibrows.c (the
 * store as MIB rows and notifications: what the subagent's handlers
 * answer from) parsed back with wire_parse, against a fixture store; and
 * the control socket's `watch` stream (ctl.c): snapshots, notifications,
 * and a reader that does not read: coalesced and bounded.
 */
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "ev.h"
#include "harness.h"
#include "store/store.h"
#include "snmp/mibrows.h"
#include "snmp/oids.h"
#include "snmp/wire.h"

static struct store_when
at(uint64_t ms)
{
	struct store_when w;

	w.mono_ms = ms;
	w.wall_ms = 1700000000000LL + (int64_t)ms;
	return w;
}

/* an analog threshold sensor in volts (IPMI unit 4) and a discrete one */
static void
fixture_sensors(struct sensors_item *it, struct sdr_rec *r, size_t n,
    double volts, enum sensor_sev sev)
{
	size_t i;

	memset(it, 0, n * sizeof(*it));
	memset(r, 0, n * sizeof(*r));
	for (i = 0; i < n; i++) {
		it[i].rec = &r[i];
		it[i].owner = 0x20;
		it[i].number = (uint8_t)(i + 1);
		it[i].record_id = (uint16_t)(i + 1);
		r[i].number = it[i].number;
		r[i].id = it[i].record_id;
		if (i == 1) {
			(void)snprintf(it[i].name, sizeof(it[i].name),
			    "PS1 Status");
			it[i].sensor_type = 0x08;
			it[i].event_type = 0x6f;
			it[i].states = 0x0001;
			it[i].nstates = 1;
			continue;
		}
		(void)snprintf(it[i].name, sizeof(it[i].name), "P1V5 %zu", i);
		it[i].sensor_type = 0x02;
		it[i].event_type = 0x01;
		it[i].threshold = 1;
		it[i].analog = 1;
		r[i].unit_base = 4;
		it[i].unit_base = 4;	/* the item carries its unit */
		it[i].entity_id = 0x0a;		/* power supply 1 */
		it[i].entity_instance = 1;
		it[i].have_value = 1;
		it[i].value = volts;
		it[i].decimals = 3;
		it[i].sev = sev;
		it[i].thr_mask = 1u << SDR_THR_UC;
		it[i].thr[SDR_THR_UC] = 1.8;
	}
	(void)snprintf(r[1].name, sizeof(r[1].name), "%s", it[1].name);
}

static struct store *
fixture(struct store_target **tp)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db7");
	struct sensors_item it[2];
	struct sdr_rec r[2];
	struct store_when w = at(1000);

	store_target_config(t, 10, 30, 30, 0, "lanplus");
	fixture_sensors(it, r, 2, 1.512, SENSOR_SEV_OK);
	store_set_sensor_items(s, t, it, 2, &w);
	*tp = t;
	return s;
}

/* what wire_row_col fills (its strings point into the row) */
static struct wire_val tv;

static const struct wire_row *
row(const struct wire_msg *m, unsigned tab, uint32_t sub)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		if (m->rows[i].tab == tab && m->rows[i].sub == sub)
			return &m->rows[i];
	return NULL;
}

static int64_t
ival(const struct wire_row *r, unsigned col)
{
	const struct wire_val *v = r != NULL ? wire_row_col(r, col, &tv) :
	    NULL;

	return v == NULL ? -999999 : v->type == WIRE_INT || v->type ==
	    WIRE_ENT || v->type == WIRE_WALL ? v->i : (int64_t)v->u;
}

static const char *
sval(const struct wire_row *r, unsigned col)
{
	const struct wire_val *v = r != NULL ? wire_row_col(r, col, &tv) :
	    NULL;

	return v == NULL || v->type != WIRE_STRING ? "(none)" :
	    v->s != NULL ? (const char *)v->s : "";
}

static int
parse(const char *buf, size_t len, struct wire_msg *m)
{
	char err[256];

	if (wire_parse(buf, len, m, err, sizeof(err)) != 0) {
		printf("# wire_parse: %s\n", err);
		return -1;
	}
	return 0;
}

static void
test_scaled(void)
{
	CHECK_EQ(mibrows_scaled(1.512, 3), 1512);
	CHECK_EQ(mibrows_scaled(45.5, 1), 455);
	CHECK_EQ(mibrows_scaled(-35, 0), -35);
	CHECK_EQ(mibrows_scaled(12300, -2), 123);
	CHECK_EQ(mibrows_scaled(1e12, 0), 1000000000);
	CHECK_EQ(mibrows_scaled(-1e12, 0), -1000000000);
	CHECK_EQ(mibrows_scaled(NAN, 2), 0);
	CHECK_EQ(mibrows_ent_sensor_type(1), 8);	/* celsius */
	CHECK_EQ(mibrows_ent_sensor_type(4), 4);	/* voltsDC */
	CHECK_EQ(mibrows_ent_sensor_type(18), 10);	/* rpm */
	CHECK_EQ(mibrows_ent_sensor_type(19), 7);	/* hertz */
	CHECK_EQ(mibrows_ent_sensor_type(6), 6);	/* watts */
	CHECK_EQ(mibrows_ent_sensor_type(5), 5);	/* amperes */
	CHECK_EQ(mibrows_ent_sensor_type(17), 1);	/* CFM: other */
}

static void
test_snapshot(void)
{
	struct store_target *t;
	struct store *s = fixture(&t);
	struct wire_msg m;
	const struct wire_row *r;
	const struct wire_val *v;
	char *buf = NULL;
	size_t len = 0, i;
	uint32_t k1 = BMCW_SENSOR_KEY_OF(0, 0x20, 0, 1);
	uint32_t k2 = BMCW_SENSOR_KEY_OF(0, 0x20, 0, 2);
	FILE *f = open_memstream(&buf, &len);

	mibrows_target(f, t);
	CHECK(fclose(f) == 0);
	CHECK(parse(buf, len, &m) == 0);
	CHECK_EQ(m.kind, WIRE_SNAPSHOT);
	CHECK_STR(m.name, "db7");
	/* the target row */
	r = row(&m, WIRE_TAB_TARGET, 0);
	CHECK(r != NULL);
	CHECK_STR(sval(r, BMCW_TARGET_NAME), "db7");
	CHECK_EQ(ival(r, BMCW_TARGET_INTERFACE), BMCW_TARGET_INTERFACE_LANPLUS);
	CHECK_EQ(ival(r, BMCW_TARGET_SENSOR_COUNT), 2);
	CHECK_EQ(ival(r, BMCW_TARGET_SWEEP_INTERVAL), 10);
	CHECK_EQ(ival(r, BMCW_TARGET_ENT_PHYS_INDEX), BMCW_CHASSIS_KEY);
	CHECK_EQ(wire_row_col(r, BMCW_TARGET_ENT_PHYS_INDEX, &tv)->type,
	    WIRE_ENT);
	/* every column of the table, and only those */
	for (i = BMCW_TARGET_TABLE_MIN_COL; i <= BMCW_TARGET_TABLE_MAX_COL;
	    i++)
		CHECK(wire_row_col(r, (unsigned)i, &tv) != NULL);
	CHECK_EQ(r->nv, BMCW_TARGET_TABLE_MAX_COL - BMCW_TARGET_TABLE_MIN_COL
	    + 1);
	/* the analog sensor: 1.512 V is 1512 with precision 3 */
	r = row(&m, WIRE_TAB_SENSOR, k1);
	CHECK(r != NULL);
	CHECK_EQ(r != NULL ? r->nv : 0, BMCW_SENSOR_TABLE_MAX_COL -
	    BMCW_SENSOR_TABLE_MIN_COL + 1);
	CHECK_STR(sval(r, BMCW_SENSOR_NAME), "P1V5 0");
	CHECK_EQ(ival(r, BMCW_SENSOR_VALUE), 1512);
	CHECK_EQ(ival(r, BMCW_SENSOR_PRECISION), 3);
	CHECK_STR(sval(r, BMCW_SENSOR_VALUE_TEXT), "1.512");
	CHECK_STR(sval(r, BMCW_SENSOR_UNITS), "Volts");
	CHECK_EQ(ival(r, BMCW_SENSOR_STATE), BMCW_SENSOR_HEALTH_OK);
	CHECK_EQ(ival(r, BMCW_SENSOR_KIND), BMCW_SENSOR_KIND_THRESHOLD);
	CHECK_EQ(ival(r, BMCW_SENSOR_THR_UC), 1800);
	CHECK_EQ(ival(r, BMCW_SENSOR_THR_LNC), 0);
	/* BITS: upperCritical is bit 4: 0x08 in the first octet */
	v = r != NULL ? wire_row_col(r, BMCW_SENSOR_THR_VALID, &tv) : NULL;
	CHECK(v != NULL && v->slen == 1 && v->s[0] == 0x08);
	CHECK_EQ(ival(r, BMCW_SENSOR_ENT_PHYS_INDEX), k1);
	CHECK_EQ(ival(r, BMCW_SENSOR_LAST_READ), 1700000001);
	/* the discrete one: no value, no unit, state bit 0 */
	r = row(&m, WIRE_TAB_SENSOR, k2);
	CHECK(r != NULL);
	CHECK_EQ(ival(r, BMCW_SENSOR_KIND), BMCW_SENSOR_KIND_DISCRETE);
	CHECK_STR(sval(r, BMCW_SENSOR_VALUE_TEXT), "");
	CHECK_STR(sval(r, BMCW_SENSOR_UNITS), "");
	v = r != NULL ? wire_row_col(r, BMCW_SENSOR_STATES, &tv) : NULL;
	CHECK(v != NULL && v->slen == 2 && v->s[0] == 0x80 && v->s[1] == 0);
	/* ENTITY-MIB: the chassis, the power supply in it, the volts
	 * sensor in that, the other sensor (no entity) in the chassis */
	r = row(&m, WIRE_TAB_ENT, BMCW_CHASSIS_KEY);
	CHECK_EQ(ival(r, 5), 3);		/* chassis */
	CHECK_STR(sval(r, 7), "db7");
	r = row(&m, WIRE_TAB_ENT, BMCW_SENSOR_KEY_OF(0, 0x0a, 1, 0xff));
	CHECK_EQ(ival(r, 5), 6);		/* powerSupply */
	CHECK_STR(sval(r, 7), "Power Supply 1");
	CHECK_EQ(ival(r, 4), BMCW_CHASSIS_KEY);
	r = row(&m, WIRE_TAB_ENT, k1);
	CHECK_EQ(ival(r, 4), BMCW_SENSOR_KEY_OF(0, 0x0a, 1, 0xff));
	r = row(&m, WIRE_TAB_ENT, k2);
	CHECK_EQ(ival(r, 5), 8);		/* sensor */
	CHECK_STR(sval(r, 7), "PS1 Status");
	CHECK_EQ(ival(r, 4), BMCW_CHASSIS_KEY);
	CHECK_EQ(r != NULL ? wire_row_col(r, 4, &tv)->type : 0, WIRE_ENT);
	v = r != NULL ? wire_row_col(r, 3, &tv) : NULL;
	CHECK(v != NULL && v->type == WIRE_OID && v->oidlen == 2);
	/* ENTITY-SENSOR-MIB: the analog one only */
	r = row(&m, WIRE_TAB_ENT_SENSOR, k1);
	CHECK_EQ(ival(r, 1), 4);		/* voltsDC */
	CHECK_EQ(ival(r, 2), 9);		/* units */
	CHECK_EQ(ival(r, 3), 3);
	CHECK_EQ(ival(r, 4), 1512);
	CHECK_EQ(ival(r, 5), 1);		/* ok */
	CHECK_STR(sval(r, 6), "Volts");
	CHECK_EQ(ival(r, 7), 1700000001000LL);
	CHECK_EQ(ival(r, 8), 10000);
	CHECK(row(&m, WIRE_TAB_ENT_SENSOR, k2) == NULL);
	/* no chassis or watchdog read: no rows */
	CHECK(row(&m, WIRE_TAB_CHASSIS, 0) == NULL);
	CHECK(row(&m, WIRE_TAB_WATCHDOG, 0) == NULL);
	CHECK(row(&m, WIRE_TAB_SEL_INFO, 0) != NULL);
	wire_msg_free(&m);
	free(buf);
	store_free(s);
}

struct evcap {
	char	*buf;
	size_t	 len;
	int	 have;
};

static void
on_event(const struct store_event *e, void *arg)
{
	struct evcap *c = arg;
	FILE *f;

	free(c->buf);
	c->buf = NULL;
	f = open_memstream(&c->buf, &c->len);
	c->have = mibrows_event(f, e);
	(void)fclose(f);
}

static void
test_notifications(void)
{
	struct store_target *t;
	struct store *s = fixture(&t);
	struct sensors_item it[2];
	struct sdr_rec r[2];
	struct store_when w = at(2000);
	struct store_hb hb;
	struct evcap c;
	struct wire_msg m;
	uint32_t k1 = BMCW_SENSOR_KEY_OF(0, 0x20, 0, 1);
	size_t i;
	int seen = 0;

	memset(&c, 0, sizeof(c));
	CHECK(store_subscribe(s, on_event, &c) == 0);
	fixture_sensors(it, r, 2, 1.95, SENSOR_SEV_CRITICAL);
	store_set_sensor_items(s, t, it, 2, &w);
	CHECK(c.have);
	CHECK(parse(c.buf, c.len, &m) == 0);
	CHECK_EQ(m.kind, WIRE_NOTIFY);
	CHECK_EQ(m.notify, 1);			/* bmcwSensorStateChange */
	CHECK_STR(m.name, "db7");
	for (i = 0; i < m.nvbs; i++) {
		if (m.vbs[i].tab != WIRE_TAB_SENSOR)
			continue;
		CHECK_EQ(m.vbs[i].sub, k1);
		if (m.vbs[i].v.col == BMCW_SENSOR_STATE) {
			seen |= 1;
			CHECK_EQ(m.vbs[i].v.i, 3);
		}
		if (m.vbs[i].v.col == BMCW_SENSOR_PREV_STATE) {
			seen |= 2;
			CHECK_EQ(m.vbs[i].v.i, 1);
		}
		if (m.vbs[i].v.col == BMCW_SENSOR_VALUE) {
			seen |= 4;
			CHECK_EQ(m.vbs[i].v.i, 1950);
		}
		if (m.vbs[i].v.col == BMCW_SENSOR_STATE_CHANGES) {
			seen |= 8;
			CHECK_EQ(m.vbs[i].v.u, 1);
		}
	}
	CHECK_EQ(seen, 15);
	wire_msg_free(&m);
	/* the store counts what it notified */
	CHECK_EQ(t->ev_count[STORE_EV_SENSOR], 1);
	CHECK_EQ(t->sensors[0].changes, 1);
	CHECK_EQ(t->sensors[0].prev_sev, SENSOR_SEV_OK);
	/* a heartbeat that resumes has no notification; one that stops
	 * has bmcwWatchdogHeartbeatStopped */
	memset(&hb, 0, sizeof(hb));
	hb.enabled = 1;
	hb.armed = 1;
	store_set_hb(s, t, &hb, &w);
	c.have = -1;
	hb.armed = 0;
	(void)snprintf(hb.failing, sizeof(hb.failing), "check-file /x: "
	    "missing");
	store_set_hb(s, t, &hb, &w);
	CHECK_EQ(c.have, 1);
	if (c.have == 1) {
		CHECK(parse(c.buf, c.len, &m) == 0);
		CHECK_EQ(m.notify, 8);
		for (i = 0; i < m.nvbs; i++)
			if (m.vbs[i].v.col == BMCW_WATCHDOG_FAILING_CHECK)
				CHECK_STR((const char *)m.vbs[i].v.s,
				    "check-file /x: missing");
		wire_msg_free(&m);
	}
	store_set_state(s, t, STORE_T_UNREACHABLE, "timeout", &w);
	CHECK_EQ(c.have, 1);
	CHECK(parse(c.buf, c.len, &m) == 0);
	CHECK_EQ(m.notify, 9);			/* bmcwBmcUnreachable */
	wire_msg_free(&m);
	free(c.buf);
	store_free(s);
}

/* the watch stream, through a socketpair adopted by the server */
/* frames of the stream: snapshots (and how many hold want), notifications */
static const char *want;
static int nwant;

static size_t
drain(struct ev *ev, int fd, int *nsnap, int *nnotify, int rounds)
{
	static char buf[1 << 16];
	static char *acc;
	static size_t alen;
	size_t total = 0, plen, hlen;
	int code, i;
	ssize_t n;

	for (i = 0; i < rounds; i++) {
		(void)ev_run_once(ev, 2);
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			acc = realloc(acc, alen + (size_t)n);
			memcpy(acc + alen, buf, (size_t)n);
			alen += (size_t)n;
			total += (size_t)n;
		}
		while (alen > 0 && ctl_frame_header(acc, alen, &code,
		    &plen, &hlen) == 1 && alen - hlen >= plen) {
			if (plen > 0 && acc[hlen] == 'T') {
				(*nsnap)++;
				if (want != NULL && memmem(acc + hlen, plen,
				    want, strlen(want)) != NULL)
					nwant++;
			}
			if (plen > 0 && acc[hlen] == 'N')
				(*nnotify)++;
			memmove(acc, acc + hlen + plen, alen - hlen - plen);
			alen -= hlen + plen;
		}
	}
	return total;
}

static void
test_watch(void)
{
	char dir[] = "/tmp/test_mibrows.XXXXXX", path[128], err[256];
	struct ev *ev = ev_new();
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "big");
	static struct sensors_item it[1200];
	static struct sdr_rec r[1200];
	struct ctl_cfg cfg;
	struct ctl *ctl;
	struct store_when w;
	int sv[2], lfd, snaps = 0, notes = 0, i;
	size_t j;

	store_target_config(t, 1, 30, 30, 0, "lanplus");
	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	lfd = ctl_listen(path, 0660, (gid_t)-1, err, sizeof(err));
	CHECK(lfd >= 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = path;
	cfg.group = (gid_t)-1;
	cfg.max_clients = 4;
	ctl = ctl_new(ev, s, lfd, &cfg);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sv) == 0);
	CHECK(ctl_adopt(ctl, sv[0], getpid(), 1) == 0);
	CHECK(write(sv[1], "watch\n", 6) == 6);
	/* 1200 sensors: a snapshot is some 800 kB */
	fixture_sensors(it, r, 1200, 1.0, SENSOR_SEV_OK);
	for (j = 0; j < 1200; j++) {
		it[j].number = (uint8_t)j;
		it[j].lun = (uint8_t)((j >> 8) & 3);
	}
	w = at(100);
	store_set_sensor_items(s, t, it, 1200, &w);
	(void)drain(ev, sv[1], &snaps, &notes, 200);
	CHECK_EQ(snaps, 1);
	/* 50 sweeps while the reader reads nothing: the daemon never
	 * blocks and keeps at most the newest snapshot queued */
	for (i = 0; i < 50; i++) {
		w = at(200 + (uint64_t)i * 10);
		it[0].value = 1.0 + i;
		store_set_sensor_items(s, t, it, 1200, &w);
		(void)ev_run_once(ev, 0);
		(void)ev_run_once(ev, 0);
	}
	snaps = 0;
	want = "c 17 s 35302e303030\n";	/* value text "50.000" */
	(void)drain(ev, sv[1], &snaps, &notes, 400);
	printf("# 50 sweeps unread: %d snapshots delivered\n", snaps);
	CHECK(snaps >= 1 && snaps <= 4);
	CHECK_EQ(nwant, 1);		/* the newest, once */
	want = NULL;
	/* notifications: bounded queue, the oldest dropped */
	for (i = 0; i < 2 * CTL_WATCH_EVQ + 50; i++) {
		w = at(5000 + (uint64_t)i * 10);
		it[0].sev = i % 2 ? SENSOR_SEV_OK : SENSOR_SEV_CRITICAL;
		store_set_sensor_items(s, t, it, 1200, &w);
	}
	notes = 0;
	(void)drain(ev, sv[1], &snaps, &notes, 400);
	printf("# %d state changes unread: %d notifications delivered, "
	    "%llu dropped\n", 2 * CTL_WATCH_EVQ + 50, notes,
	    (unsigned long long)ctl_watch_dropped(ctl));
	CHECK(notes <= CTL_WATCH_EVQ + 8);
	CHECK(ctl_watch_dropped(ctl) > 0);
	CHECK_EQ((unsigned long long)notes + ctl_watch_dropped(ctl),
	    2 * CTL_WATCH_EVQ + 50);
	/* the target goes: "X big" */
	store_target_del(s, t);
	{
		char b[64];
		ssize_t n;

		for (i = 0; i < 100; i++) {
			(void)ev_run_once(ev, 10);
			if ((n = read(sv[1], b, sizeof(b) - 1)) > 0) {
				b[n] = '\0';
				CHECK(strstr(b, "X big") != NULL);
				break;
			}
		}
		CHECK(i < 100);
	}
	(void)close(sv[1]);
	ctl_free(ctl);
	store_free(s);
	ev_free(ev);
	(void)rmdir(dir);
}

/* bmcwControlAllowed, the console row, a webhook's message */
static void
test_control_console_webhook(void)
{
	struct store_target *t;
	struct store *s = fixture(&t);
	struct store_webhook wh;
	struct store_when w;
	struct wire_msg m;
	const struct wire_row *r;
	const struct wire_val *v;
	char *buf = NULL, text[400];
	size_t len = 0;
	uint64_t sig;
	FILE *f;

	store_target_config(t, 10, 10, 10, CONF_ALLOW_POWER |
	    CONF_ALLOW_SEL_CLEAR, "lanplus");
	store_console_config(t, 1, 1, 0);
	w.mono_ms = 5;
	w.wall_ms = 1700000005000LL;
	store_console_state(t, 1, "connected", &w);
	store_console_data(t, (const uint8_t *)"abc", 3);
	/* a line longer than the MIB's 255, with a control character */
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	text[3] = '\t';
	store_console_event(s, t, "panic", text, &w);
	f = open_memstream(&buf, &len);
	mibrows_target(f, t);
	CHECK(fclose(f) == 0);
	CHECK(parse(buf, len, &m) == 0);
	r = row(&m, WIRE_TAB_CONTROL, 0);
	v = r != NULL ? wire_row_col(r, BMCW_CONTROL_ALLOWED, &tv) : NULL;
	/* power(0) and selClear(2): 1010 0000 */
	CHECK(v != NULL && v->slen == 1 && v->s[0] == 0xa0);
	r = row(&m, WIRE_TAB_CONSOLE, 0);
	CHECK(r != NULL);
	CHECK_EQ(ival(r, BMCW_CONSOLE_LOGGING), 1);
	CHECK_EQ(ival(r, BMCW_CONSOLE_CONNECTED), 1);
	CHECK_EQ(ival(r, BMCW_CONSOLE_LAST_CONN_CHANGE), 1700000005);
	CHECK_EQ(ival(r, BMCW_CONSOLE_EVENTS), 1);
	CHECK_STR(sval(r, BMCW_CONSOLE_LAST_EVENT_RULE), "panic");
	v = r != NULL ? wire_row_col(r, BMCW_CONSOLE_LAST_EVENT_TEXT, &tv) :
	    NULL;
	CHECK(v != NULL && v->slen == 255 && v->s[3] == ' ');
	v = r != NULL ? wire_row_col(r, BMCW_CONSOLE_BYTES, &tv) : NULL;
	CHECK(v != NULL && v->type == WIRE_COUNTER64 && v->u == 3);
	CHECK_STR(sval(r, BMCW_CONSOLE_STATE), "connected");
	CHECK_EQ(ival(r, BMCW_CONSOLE_GAPS), 0);
	CHECK_EQ(ival(r, BMCW_CONSOLE_LOG_FAILING), 2);
	CHECK_STR(sval(r, BMCW_CONSOLE_LOG_ERROR), "");
	wire_msg_free(&m);
	free(buf);
	buf = NULL;

	/* the disk refusing the log, a gap, new words: in the row, and
	 * each changes the signature (the row is sent again) */
	sig = mibrows_sig(t);
	store_console_state(t, 0, "waiting: no answer", &w);
	CHECK(mibrows_sig(t) != sig);
	sig = mibrows_sig(t);
	store_console_log(t, 7, "console.log: No space left on device");
	CHECK(mibrows_sig(t) != sig);
	sig = mibrows_sig(t);
	t->console.gaps++;
	CHECK(mibrows_sig(t) != sig);
	f = open_memstream(&buf, &len);
	mibrows_target(f, t);
	CHECK(fclose(f) == 0);
	CHECK(parse(buf, len, &m) == 0);
	r = row(&m, WIRE_TAB_CONSOLE, 0);
	CHECK(r != NULL);
	CHECK_EQ(ival(r, BMCW_CONSOLE_CONNECTED), 2);
	CHECK_STR(sval(r, BMCW_CONSOLE_STATE), "waiting: no answer");
	CHECK_EQ(ival(r, BMCW_CONSOLE_GAPS), 1);
	CHECK_EQ(ival(r, BMCW_CONSOLE_LOG_FAILING), 1);
	CHECK_STR(sval(r, BMCW_CONSOLE_LOG_ERROR),
	    "console.log: No space left on device");
	wire_msg_free(&m);
	free(buf);
	buf = NULL;

	memset(&wh, 0, sizeof(wh));
	(void)snprintf(wh.name, sizeof(wh.name), "rx");
	wh.queued = 2;
	wh.delivered = 7;
	wh.failures = 1;
	(void)snprintf(wh.last_error, sizeof(wh.last_error), "HTTP 500");
	store_set_webhook(s, &wh);
	f = open_memstream(&buf, &len);
	mibrows_webhook(f, store_webhook_at(s, 0));
	CHECK(fclose(f) == 0);
	CHECK(parse(buf, len, &m) == 0);
	CHECK_EQ(m.kind, WIRE_WEBHOOK);
	CHECK_STR(m.name, "rx");
	r = row(&m, WIRE_TAB_WEBHOOK, 0);
	CHECK_STR(sval(r, BMCW_WEBHOOK_NAME), "rx");
	CHECK_EQ(ival(r, BMCW_WEBHOOK_QUEUE_DEPTH), 2);
	CHECK_EQ(ival(r, BMCW_WEBHOOK_DELIVERED), 7);
	CHECK_EQ(ival(r, BMCW_WEBHOOK_FAILED), 1);
	CHECK_STR(sval(r, BMCW_WEBHOOK_LAST_ERROR), "HTTP 500");
	/* delivered grew: the store stamped it */
	CHECK(ival(r, BMCW_WEBHOOK_LAST_DELIVERY) > 1700000000);
	wire_msg_free(&m);
	free(buf);
	store_free(s);
}

/*
 * The subagent's rows as wire_parse keeps them (wire.h: 8-byte cells and
 * what they point at in the row's one allocation): every type reads back
 * exactly, by column and by index, strings with their NUL; a row whose
 * strings outgrow the parse's 4 kB stack scratch (here 6 x 1000 bytes)
 * and a row after it; a cell between G lines; a bad line leaves
 * nothing.
 */
static void
test_wire_rows(void)
{
	static char msg[32768];
	struct wire_msg m;
	struct wire_val v;
	const struct wire_row *r;
	char err[256], big[1001], *p;
	size_t len = 0, k, i;
	int64_t wall = 1700000000123LL;

#define PUT(...)	len += (size_t)snprintf(msg + len, sizeof(msg) - len, \
			    __VA_ARGS__)
	PUT("T t1\nR %u 7\n", WIRE_TAB_SENSOR);
	PUT("c 9 s -\nc 4 i -2147483648\nc 5 u 4294967295\n");
	PUT("G 4 u 256\n");
	PUT("c 6 C 18446744073709551615\nc 7 w %lld\n", (long long)wall);
	PUT("c 8 o 1.3.6.1.4.1.4294967295\nc 3 e 4194303\nc 2 s 6869\n");
	PUT("R %u 8\n", WIRE_TAB_SENSOR);
	for (k = 0; k < 6; k++) {
		PUT("c %zu s ", 10 + k);
		for (i = 0; i < 1000; i++)
			PUT("%02x", (unsigned)('a' + (i + k) % 26));
		PUT("\n");
	}
	PUT("c 20 o 0.0\nc 21 n 5\n");
	PUT("R %u 9\nc 2 g 1\n", WIRE_TAB_SENSOR);
#undef PUT
	CHECK(len < sizeof(msg) - 1);
	CHECK_EQ(wire_parse(msg, len, &m, err, sizeof(err)), 0);
	CHECK_EQ(m.nrows, 3);
	CHECK_EQ(m.ngen, 1);
	r = row(&m, WIRE_TAB_SENSOR, 7);
	CHECK(r != NULL && r->nv == 8);
	if (r == NULL || r->nv != 8)
		goto done;
	CHECK(wire_row_col(r, 2, &v) != NULL && v.type == WIRE_STRING &&
	    v.slen == 2 && memcmp(v.s, "hi", 3) == 0);
	CHECK(wire_row_col(r, 3, &v) != NULL && v.type == WIRE_ENT &&
	    v.i == 4194303);
	CHECK(wire_row_col(r, 4, &v) != NULL && v.i == INT32_MIN);
	CHECK(wire_row_col(r, 5, &v) != NULL && v.u == UINT32_MAX);
	CHECK(wire_row_col(r, 6, &v) != NULL && v.u == UINT64_MAX);
	CHECK(wire_row_col(r, 7, &v) != NULL && v.i == wall);
	CHECK(wire_row_col(r, 8, &v) != NULL && v.oidlen == 7 &&
	    v.oid[0] == 1 && v.oid[6] == 4294967295u);
	CHECK(wire_row_col(r, 9, &v) != NULL && v.type == WIRE_STRING &&
	    v.s == NULL && v.slen == 0);
	CHECK(wire_row_col(r, 1, &v) == NULL && wire_row_col(r, 10, &v) ==
	    NULL);
	for (k = 0; k < r->nv; k++)
		CHECK_EQ(wire_row_val(r, k, &v)->col, k + 2);
	r = row(&m, WIRE_TAB_SENSOR, 8);
	CHECK(r != NULL && r->nv == 8);
	for (k = 0; r != NULL && k < 6; k++) {
		for (i = 0; i < 1000; i++)
			big[i] = (char)('a' + (i + k) % 26);
		big[1000] = '\0';
		CHECK(wire_row_col(r, (unsigned)(10 + k), &v) != NULL &&
		    v.slen == 1000 && memcmp(v.s, big, 1001) == 0);
	}
	CHECK(r != NULL && wire_row_col(r, 20, &v) != NULL &&
	    v.oidlen == 2 && v.oid[0] == 0 && v.oid[1] == 0);
	CHECK(r != NULL && wire_row_col(r, 21, &v) != NULL && v.u == 5);
	r = row(&m, WIRE_TAB_SENSOR, 9);
	CHECK(r != NULL && wire_row_col(r, 2, &v) != NULL && v.u == 1);
done:
	wire_msg_free(&m);
	CHECK(m.rows == NULL && m.nrows == 0);
	/* a bad string in the big row's last cell (past the stack
	 * scratch): nothing kept, the line named */
	p = strstr(msg, "c 15 s ");
	CHECK(p != NULL);
	if (p != NULL)
		p[7 + 1500] = 'z';
	CHECK_EQ(wire_parse(msg, len, &m, err, sizeof(err)), -1);
	CHECK(m.nrows == 0 && m.rows == NULL);
	CHECK_STR(err, "line 18: string: not hex");
}

int
main(void)
{
	RUN(test_scaled);
	RUN(test_snapshot);
	RUN(test_notifications);
	RUN(test_watch);
	RUN(test_control_console_webhook);
	RUN(test_wire_rows);
	return harness_end();
}
