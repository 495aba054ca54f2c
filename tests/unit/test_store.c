/*
 * Unit tests for the daemon's store (agent/store/store.c): copies that
 * own their SDR record, ages and staleness on a driven clock, the
 * events each update emits (and only those), the SEL ring and the open
 * problems paired with selmon's rule, the console's ring and events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "selmon.h"
#include "store/store.h"

struct evlog {
	int		 n;
	enum store_ev_kind kinds[64];
	int		 levels[64];
	char		 texts[64][STORE_TEXT_MAX];
	size_t		 burst_n[64];
	size_t		 burst_i[64];
	const struct store_target *t;
};

static void
on_event(const struct store_event *e, void *arg)
{
	struct evlog *l = arg;

	if (l->n >= 64)
		return;
	l->kinds[l->n] = e->kind;
	l->levels[l->n] = e->level;
	(void)snprintf(l->texts[l->n], sizeof(l->texts[0]), "%s", e->text);
	l->burst_n[l->n] = e->burst_n;
	l->burst_i[l->n] = e->burst_i;
	l->t = e->t;
	l->n++;
}

static struct store_when
at(uint64_t mono_ms)
{
	struct store_when w;

	w.mono_ms = mono_ms;
	w.wall_ms = 1700000000000LL + (int64_t)mono_ms;
	return w;
}

static void
sensor(struct sensors_item *it, struct sdr_rec *r, const char *name,
    uint8_t num, enum sensor_sev sev)
{
	memset(it, 0, sizeof(*it));
	memset(r, 0, sizeof(*r));
	(void)snprintf(it->name, sizeof(it->name), "%s", name);
	(void)snprintf(r->name, sizeof(r->name), "%s", name);
	r->number = num;
	r->id = num;
	it->rec = r;
	it->number = num;
	it->record_id = num;
	it->owner = 0x20;
	it->sev = sev;
	it->have_value = 1;
	it->raw = 40;
	it->value = 40.0;
}

static void
test_targets(void)
{
	struct store *s = store_new();
	struct store_target *a, *b;

	a = store_target_add(s, "a");
	b = store_target_add(s, "b");
	CHECK(a != NULL && b != NULL);
	CHECK(store_target_add(s, "a") == NULL);
	CHECK_EQ(store_ntargets(s), 2);
	CHECK(store_target_at(s, 0) == a);
	CHECK(store_target_at(s, 1) == b);
	CHECK(store_target_at(s, 2) == NULL);
	CHECK(store_target_find(s, "b") == b);
	CHECK(store_target_find(s, "c") == NULL);
	CHECK_STR(store_state_name(a->health.state), "starting");
	store_target_del(s, a);
	CHECK_EQ(store_ntargets(s), 1);
	CHECK(store_target_at(s, 0) == b);
	CHECK(store_target_find(s, "a") == NULL);
	store_free(s);
	store_free(NULL);
}

static void
test_ages(void)
{
	struct store_stamp st;

	memset(&st, 0, sizeof(st));
	CHECK(store_stale(&st, 10, 5000));	/* never read */
	CHECK_EQ(store_age_ms(&st, 5000), 0);
	st.when = at(1000);
	CHECK_EQ(store_age_ms(&st, 1000), 0);
	CHECK_EQ(store_age_ms(&st, 4500), 3500);
	CHECK(!store_stale(&st, 10, 1000));
	CHECK(!store_stale(&st, 10, 21000));	/* exactly 2 x interval */
	CHECK(store_stale(&st, 10, 21001));
	CHECK(store_stale(&st, 1, 3001));
	CHECK_EQ(store_age_ms(&st, 500), 0);	/* clock before: 0 */
}

static void
test_sensors(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db7");
	struct sensors_item it[3];
	struct sdr_rec r[3];
	struct evlog l;
	struct store_when w;
	uint64_t g;

	memset(&l, 0, sizeof(l));
	CHECK_EQ(store_subscribe(s, on_event, &l), 0);
	sensor(&it[0], &r[0], "CPU1 Temp", 1, SENSOR_SEV_OK);
	sensor(&it[1], &r[1], "FAN1", 2, SENSOR_SEV_OK);
	w = at(1000);
	store_set_sensor_items(s, t, it, 2, &w);
	CHECK_EQ(t->nsensors, 2);
	CHECK_EQ(l.n, 0);		/* the first picture is no change */
	/* copies that own their record */
	CHECK(t->sensors[0].it.rec == &t->sensors[0].rec);
	CHECK(t->sensors[1].it.rec != &r[1]);
	memset(&r[0], 0xee, sizeof(r[0]));
	CHECK_EQ(t->sensors[0].rec.number, 1);
	CHECK_STR(t->sensors[0].rec.name, "CPU1 Temp");
	CHECK_EQ(t->sensors_t.when.mono_ms, 1000);
	CHECK_EQ(t->sensors_t.when.wall_ms, 1700000001000LL);
	g = t->sensors_t.gen;
	CHECK(g > 0);

	/* same readings: read again, no change, no event */
	sensor(&it[0], &r[0], "CPU1 Temp", 1, SENSOR_SEV_OK);
	w = at(2000);
	store_set_sensor_items(s, t, it, 2, &w);
	CHECK_EQ(t->sensors_t.gen, g);
	CHECK_EQ(t->sensors_t.when.mono_ms, 2000);
	CHECK_EQ(l.n, 0);

	/* FAN1 goes critical: one event, naming it and what it was */
	it[1].sev = SENSOR_SEV_CRITICAL;
	it[1].raw = 2;
	w = at(3000);
	store_set_sensor_items(s, t, it, 2, &w);
	CHECK(t->sensors_t.gen > g);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_SENSOR);
	CHECK_EQ(l.levels[0], 2);
	CHECK_STR(l.texts[0], "sensor FAN1: critical (was ok)");
	CHECK(l.t == t);

	/* a new sensor appears: no event for it, the rest compared */
	sensor(&it[2], &r[2], "PSU1", 3, SENSOR_SEV_WARNING);
	w = at(4000);
	store_set_sensor_items(s, t, it, 3, &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(t->nsensors, 3);

	/* an empty sweep frees the items */
	store_set_sensor_items(s, t, NULL, 0, &w);
	CHECK_EQ(t->nsensors, 0);
	CHECK(t->sensors == NULL);
	store_unsubscribe(s, on_event, &l);
	store_free(s);
}

/* a sweep that changes many sensors at once: each event says how many
 * came with it and which it is (the daemon logs a few and a count) */
static void
test_sensor_burst(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db7");
	struct sensors_item it[8];
	struct sdr_rec r[8];
	struct evlog l;
	struct store_when w;
	char name[16];
	int i;

	memset(&l, 0, sizeof(l));
	CHECK_EQ(store_subscribe(s, on_event, &l), 0);
	for (i = 0; i < 8; i++) {
		(void)snprintf(name, sizeof(name), "S%d", i);
		sensor(&it[i], &r[i], name, (uint8_t)(i + 1), SENSOR_SEV_OK);
	}
	w = at(1000);
	store_set_sensor_items(s, t, it, 8, &w);
	CHECK_EQ(l.n, 0);
	/* every reading refused: all unavailable in one update */
	for (i = 0; i < 8; i++)
		it[i].sev = SENSOR_SEV_UNAVAILABLE;
	w = at(2000);
	store_set_sensor_items(s, t, it, 8, &w);
	CHECK_EQ(l.n, 8);
	for (i = 0; i < 8; i++) {
		CHECK_EQ(l.burst_n[i], 8);
		CHECK_EQ(l.burst_i[i], (size_t)i);
	}
	/* one back: a burst of one */
	it[3].sev = SENSOR_SEV_OK;
	w = at(3000);
	store_set_sensor_items(s, t, it, 8, &w);
	CHECK_EQ(l.n, 9);
	CHECK_EQ(l.burst_n[8], 1);
	CHECK_EQ(l.burst_i[8], 0);
	CHECK_STR(l.texts[8], "sensor S3: ok (was unavailable)");
	store_unsubscribe(s, on_event, &l);
	store_free(s);
}

static void
rec_make(struct sel_rec *r, struct sel_desc *d, uint16_t id,
    uint8_t sensor_num, int deassert, int critical)
{
	uint8_t raw[SEL_RECORD_LEN] = { 0 };
	struct sel_names names;

	raw[0] = (uint8_t)id;
	raw[1] = (uint8_t)(id >> 8);
	raw[2] = 0x02;			/* system event */
	raw[3] = 0x00;
	raw[4] = 0x00;
	raw[5] = 0x50;
	raw[6] = 0x65;			/* a timestamp */
	raw[7] = 0x20;			/* generator: BMC */
	raw[8] = 0x00;
	raw[9] = 0x04;			/* EvM rev */
	raw[10] = 0x01;			/* temperature */
	raw[11] = sensor_num;
	raw[12] = (uint8_t)((deassert ? 0x80 : 0) | 0x01);	/* threshold */
	raw[13] = critical ? 0x09 : 0x07;	/* upper critical/nc going hi */
	raw[14] = 0xff;
	raw[15] = 0xff;
	CHECK_EQ(sel_rec_decode(raw, sizeof(raw), r), IPMI_OK);
	memset(&names, 0, sizeof(names));
	sel_describe(r, &names, d);
}

static void
test_sel(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db7");
	struct sel_rec r;
	struct sel_desc d;
	struct sel_info in;
	struct evlog l;
	struct store_when w = at(5000);
	unsigned i;

	memset(&l, 0, sizeof(l));
	(void)store_subscribe(s, on_event, &l);
	memset(&in, 0, sizeof(in));
	in.entries = 3;
	store_set_sel_info(s, t, &in, 1, &w);
	CHECK(t->have_sel);
	CHECK_EQ(t->sel_used_pct, 1);
	CHECK_EQ(t->sel_t.when.mono_ms, 5000);

	/* an assertion opens a problem, its deassertion closes it */
	rec_make(&r, &d, 1, 0x01, 0, 1);
	store_sel_add(s, t, &r, &d, &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_SEL);
	CHECK_EQ(l.levels[0], d.sev == SEL_SEV_CRITICAL ? 2 :
	    d.sev == SEL_SEV_WARNING ? 1 : 0);
	CHECK(strstr(l.texts[0], "SEL 0x0001: ") == l.texts[0]);
	CHECK_EQ(t->nrecent, 1);
	CHECK_EQ(t->nopen, d.sev != SEL_SEV_INFO ? 1 : 0);
	rec_make(&r, &d, 2, 0x02, 0, 1);
	store_sel_add(s, t, &r, &d, &w);
	CHECK_EQ(t->nopen, 2);
	rec_make(&r, &d, 3, 0x01, 1, 1);	/* sensor 1 deasserted */
	store_sel_add(s, t, &r, &d, &w);
	CHECK_EQ(t->nopen, 1);
	CHECK_EQ(t->open[0].rec.id, 2);
	CHECK_EQ(t->sel_archived, 3);
	CHECK_EQ(store_sel_recent(t, 0)->rec.id, 1);
	CHECK_EQ(store_sel_recent(t, 2)->rec.id, 3);
	CHECK(store_sel_recent(t, 3) == NULL);

	/* ack takes an entry out of the open problems */
	CHECK_EQ(store_sel_ack(s, t, t->open[0].rec.raw), 1);
	CHECK_EQ(t->nopen, 0);
	CHECK_EQ(store_sel_recent(t, 1)->acked, 1);
	CHECK_EQ(store_sel_recent(t, 0)->acked, 0);
	CHECK_EQ(store_sel_ack(s, t, r.raw), 0);

	/* the ring keeps the newest STORE_SEL_RECENT, oldest first */
	for (i = 0; i < STORE_SEL_RECENT + 10; i++) {
		rec_make(&r, &d, (uint16_t)(10 + i), 0x03, (int)(i & 1), 0);
		store_sel_add(s, t, &r, &d, &w);
	}
	CHECK_EQ(t->nrecent, STORE_SEL_RECENT);
	CHECK_EQ(store_sel_recent(t, 0)->rec.id, 20);
	CHECK_EQ(store_sel_recent(t, STORE_SEL_RECENT - 1)->rec.id,
	    10 + STORE_SEL_RECENT + 9);
	CHECK(t->nopen <= 1);

	/* cleared and clear failures */
	l.n = 0;
	store_sel_cleared(s, t, 42, &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_SEL_CLEARED);
	CHECK_STR(l.texts[0], "SEL cleared: 42 entries, every one archived");
	CHECK_EQ(t->sel_clears, 1);
	store_sel_clear_failed(s, t, "Clear SEL: completion code C1h", &w);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.kinds[1], STORE_EV_SEL_CLEAR_FAILED);
	CHECK_EQ(t->sel_clear_failures, 1);
	CHECK_STR(t->sel_clear_error, "Clear SEL: completion code C1h");
	store_free(s);
}

static void
test_open_cap(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "x");
	struct sel_rec r;
	struct sel_desc d;
	struct store_when w = at(1);
	unsigned i;

	/* more open problems than the cap: the oldest are counted out */
	for (i = 0; i < STORE_SEL_OPEN_MAX + 5; i++) {
		rec_make(&r, &d, (uint16_t)(i + 1), (uint8_t)i, 0, 1);
		r.gen_id = (uint16_t)(0x20 + 2 * (i / 256));
		store_sel_add(s, t, &r, &d, &w);
	}
	if (d.sev != SEL_SEV_INFO) {
		CHECK_EQ(t->nopen, STORE_SEL_OPEN_MAX);
		CHECK_EQ(t->open_dropped, 5);
		CHECK_EQ(t->open[0].rec.id, 6);
	}
	store_free(s);
}

static void
test_chassis_wdt(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "c");
	struct chassis_status c;
	struct wdt_timer wt;
	struct evlog l;
	struct store_when w = at(100);
	uint64_t g;

	memset(&l, 0, sizeof(l));
	(void)store_subscribe(s, on_event, &l);
	memset(&c, 0, sizeof(c));
	c.power_on = 1;
	store_set_chassis(s, t, &c, &w);
	CHECK_EQ(l.n, 0);
	g = t->chassis_t.gen;
	store_set_chassis(s, t, &c, &w);
	CHECK_EQ(t->chassis_t.gen, g);
	c.power_on = 0;
	store_set_chassis(s, t, &c, &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_POWER);
	CHECK_STR(l.texts[0], "system power off");

	memset(&wt, 0, sizeof(wt));
	wt.running = 1;
	wt.present = 100;
	store_set_wdt(s, t, &wt, &w);
	g = t->wdt_t.gen;
	wt.present = 90;		/* counting down is no change */
	store_set_wdt(s, t, &wt, &w);
	CHECK_EQ(t->wdt_t.gen, g);
	CHECK_EQ(l.n, 1);
	wt.expired = WDT_EXP_SMS_OS;
	wt.running = 0;
	store_set_wdt(s, t, &wt, &w);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.kinds[1], STORE_EV_WATCHDOG);
	CHECK_EQ(l.levels[1], 2);
	store_set_wdt(s, t, &wt, &w);	/* the same flag: once */
	CHECK_EQ(l.n, 2);
	/* the flag left set, the timer runs and expires again: it stopped
	 * at zero with its use's flag set, so counted although no flag is
	 * new; stopped by hand (countdown left) it is not */
	wt.use = WDT_USE_SMS_OS;
	wt.has_present = 1;
	wt.running = 1;
	wt.present = 50;
	store_set_wdt(s, t, &wt, &w);
	wt.running = 0;
	wt.present = 0;
	store_set_wdt(s, t, &wt, &w);
	CHECK_EQ(l.n, 3);
	CHECK_EQ(l.kinds[2], STORE_EV_WATCHDOG);
	CHECK_EQ(t->ev_count[STORE_EV_WATCHDOG], 2);
	wt.running = 1;
	wt.present = 50;
	store_set_wdt(s, t, &wt, &w);
	wt.running = 0;
	wt.present = 30;
	store_set_wdt(s, t, &wt, &w);
	CHECK_EQ(l.n, 3);
	store_free(s);
}

static void
test_health(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "h");
	struct store_hb hb;
	struct evlog l;
	struct store_when w = at(1000);

	memset(&l, 0, sizeof(l));
	(void)store_subscribe(s, on_event, &l);
	store_set_state(s, t, STORE_T_UP, "up", &w);
	CHECK_EQ(l.n, 0);
	store_run_failed(t, "Get SEL Info: no response after 4 tries", &w);
	store_run_failed(t, "again", &w);
	CHECK_EQ(t->health.consecutive_errors, 2);
	CHECK_STR(t->health.last_error, "again");
	w = at(9000);
	store_set_state(s, t, STORE_T_UNREACHABLE, "no answer", &w);
	store_set_state(s, t, STORE_T_UNREACHABLE, "no answer", &w);
	CHECK_EQ(l.n, 1);		/* a transition, once */
	CHECK_EQ(l.kinds[0], STORE_EV_UNREACHABLE);
	CHECK_EQ(t->health.unreachable_since_mono, 9000);
	store_run_ok(t, &w);
	CHECK_EQ(t->health.consecutive_errors, 0);
	/* an error answer is shown, and counts for no unreachability */
	store_run_refused(t, "Get SEL Info: completion code C0h: Node busy",
	    &w);
	CHECK_EQ(t->health.consecutive_errors, 0);
	CHECK_STR(t->health.last_error,
	    "Get SEL Info: completion code C0h: Node busy");
	store_set_state(s, t, STORE_T_UP, "back", &w);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.kinds[1], STORE_EV_RECOVERED);
	CHECK_EQ(t->health.unreachable_since_mono, 0);
	/* resolving -> up is no recovery */
	store_set_state(s, t, STORE_T_RESOLVING, "", &w);
	store_set_state(s, t, STORE_T_UP, "", &w);
	CHECK_EQ(l.n, 2);

	/* the heartbeat: events when kicking starts or stops */
	memset(&hb, 0, sizeof(hb));
	hb.enabled = 1;
	(void)snprintf(hb.state, sizeof(hb.state), "arming");
	store_set_hb(s, t, &hb, &w);
	CHECK_EQ(l.n, 2);
	hb.armed = 1;
	(void)snprintf(hb.state, sizeof(hb.state), "kicking");
	store_set_hb(s, t, &hb, &w);
	CHECK_EQ(l.n, 3);
	CHECK_EQ(l.kinds[2], STORE_EV_HEARTBEAT);
	CHECK_EQ(l.levels[2], 0);
	hb.kicks = 5;
	store_set_hb(s, t, &hb, &w);
	CHECK_EQ(l.n, 3);		/* counting is no event */
	hb.refused = 1;
	(void)snprintf(hb.state, sizeof(hb.state), "refused: someone "
	    "else resets the countdown");
	store_set_hb(s, t, &hb, &w);
	CHECK_EQ(l.n, 4);
	CHECK_EQ(l.levels[3], 2);
	CHECK_STR(l.texts[3], "refused: someone else resets the countdown");
	store_free(s);
}

static void
test_subscribers(void)
{
	struct store *s = store_new();
	struct evlog l[17];
	int i;

	memset(l, 0, sizeof(l));
	for (i = 0; i < 16; i++)
		CHECK_EQ(store_subscribe(s, on_event, &l[i]), 0);
	CHECK_EQ(store_subscribe(s, on_event, &l[16]), -1);
	store_unsubscribe(s, on_event, &l[3]);
	CHECK_EQ(store_subscribe(s, on_event, &l[16]), 0);
	store_free(s);
}

/* the console: a ring of the newest bytes read back by stream offset,
 * connected changes counted, events emitted with their pattern */
static void
test_console(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "c1");
	struct store_when w = at(1000);
	struct evlog l;
	static uint8_t big[STORE_CONSOLE_RING + 1000], out[STORE_CONSOLE_RING];
	uint8_t b[16];
	size_t i;

	memset(&l, 0, sizeof(l));
	CHECK_EQ(store_subscribe(s, on_event, &l), 0);
	/* no sol block: no ring, nothing kept */
	store_console_data(t, (const uint8_t *)"x", 1);
	CHECK_EQ(t->console.bytes, 0);
	CHECK_EQ(store_console_read(t, 0, b, sizeof(b)), -1);
	store_console_config(t, 1, 1, 0);
	CHECK(t->console.enabled && t->console.logging && !t->console.input);
	store_console_data(t, (const uint8_t *)"hello ", 6);
	store_console_data(t, (const uint8_t *)"world", 5);
	CHECK_EQ(t->console.bytes, 11);
	CHECK_EQ(store_console_read(t, 0, b, sizeof(b)), 11);
	CHECK_MEM(b, "hello world", 11);
	CHECK_EQ(store_console_read(t, 6, b, 3), 3);
	CHECK_MEM(b, "wor", 3);
	CHECK_EQ(store_console_read(t, 11, b, sizeof(b)), 0);
	CHECK_EQ(store_console_read(t, 12, b, sizeof(b)), -1);
	/* more than the ring: the oldest go, offsets stay the stream's */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	store_console_data(t, big, sizeof(big));
	CHECK_EQ(t->console.bytes, 11 + sizeof(big));
	CHECK_EQ(store_console_read(t, 11, b, sizeof(b)), -1);
	CHECK_EQ(store_console_read(t, 11 + 1000, out, sizeof(out)),
	    STORE_CONSOLE_RING);
	CHECK_MEM(out, big + 1000, (size_t)STORE_CONSOLE_RING);
	/* a read across the wrap point */
	store_console_data(t, (const uint8_t *)"tail", 4);
	CHECK_EQ(store_console_read(t, t->console.bytes - 10, b, 10), 10);
	CHECK_MEM(b, big + sizeof(big) - 6, 6);
	CHECK_MEM(b + 6, "tail", 4);
	CHECK_EQ(l.n, 0);
	/* connected: counted once per change */
	store_console_state(t, 1, "connected", &w);
	store_console_state(t, 1, "connected", &w);
	CHECK_EQ(t->console.connects, 1);
	store_console_state(t, 0, "waiting", &w);
	store_console_state(t, 1, "connected", &w);
	CHECK_EQ(t->console.connects, 2);
	CHECK_STR(t->console.state, "connected");
	CHECK_EQ(l.n, 0);
	/* an event: kept as the last, emitted critical with its rule */
	store_console_event(s, t, "Kernel panic", "Kernel panic - not "
	    "syncing: x", &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_CONSOLE);
	CHECK_EQ(l.levels[0], 2);
	CHECK_STR(l.texts[0], "Kernel panic - not syncing: x");
	CHECK_STR(t->console.event_rule, "Kernel panic");
	CHECK_EQ(t->console.events, 1);
	CHECK_STR(store_ev_name(STORE_EV_CONSOLE), "console");
	store_free(s);
}

/* SDR changes, foreign clears, the nearly-full edge, chassis extras */
static void
test_mib_facts(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "mf");
	struct sel_info in;
	struct chassis_snapshot c;
	struct evlog l;
	struct store_when w = at(1000), w2 = at(9000);

	memset(&l, 0, sizeof(l));
	(void)store_subscribe(s, on_event, &l);
	/* the first generation is a change, the same one is not */
	store_set_sdr_gen(t, 7, &w);
	CHECK_EQ(t->sdr_change_wall_ms, w.wall_ms);
	store_set_sdr_gen(t, 7, &w2);
	CHECK_EQ(t->sdr_change_wall_ms, w.wall_ms);
	store_set_sdr_gen(t, 8, &w2);
	CHECK_EQ(t->sdr_change_wall_ms, w2.wall_ms);

	/* nearly full at 50: once on the way up, again after a fall */
	store_target_sel_config(t, 75, 50);
	memset(&in, 0, sizeof(in));
	in.entries = 10;
	in.last_erase = 100;
	store_set_sel_info(s, t, &in, 10, &w);
	CHECK_EQ(l.n, 0);
	in.entries = 60;
	store_set_sel_info(s, t, &in, 60, &w);
	store_set_sel_info(s, t, &in, 61, &w);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.kinds[0], STORE_EV_SEL_NEARLY_FULL);
	CHECK_EQ(t->ev_count[STORE_EV_SEL_NEARLY_FULL], 1);
	CHECK_STR(store_ev_name(STORE_EV_SEL_NEARLY_FULL), "sel-nearly-full");
	/* our clear: the erase time moves, not foreign */
	store_sel_clear_ours(t);
	store_sel_cleared(s, t, 60, &w);
	CHECK_EQ(t->sel_last_clear_count, 60);
	in.entries = 0;
	in.last_erase = 200;
	store_set_sel_info(s, t, &in, 0, &w);
	CHECK_EQ(t->sel_foreign_clears, 0);
	/* someone else's */
	in.last_erase = 300;
	store_set_sel_info(s, t, &in, 0, &w);
	CHECK_EQ(t->sel_foreign_clears, 1);
	/* armed again below: a second edge */
	in.entries = 55;
	store_set_sel_info(s, t, &in, 55, &w);
	CHECK_EQ(t->ev_count[STORE_EV_SEL_NEARLY_FULL], 2);
	/* 0: off */
	store_target_sel_config(t, 75, 0);
	store_set_sel_info(s, t, &in, 1, &w);
	store_set_sel_info(s, t, &in, 99, &w);
	CHECK_EQ(t->ev_count[STORE_EV_SEL_NEARLY_FULL], 2);

	/* chassis extras: unsupported items read -1 / "" */
	memset(&c, 0, sizeof(c));
	c.restart_state = CHASSIS_ITEM_UNSUPPORTED;
	c.poh_state = CHASSIS_ITEM_OK;
	c.poh.minutes_per_count = 60;
	c.poh.count = 3;
	c.boot_state = CHASSIS_ITEM_OK;
	c.boot.device = 1;		/* PXE */
	store_set_chassis_extra(t, &c, &w);
	CHECK(t->have_chassis_x);
	CHECK_EQ(t->chassis_restart, -1);
	CHECK_STR(t->chassis_restart_text, "");
	CHECK_EQ(t->chassis_poh_min, 180);
	CHECK_STR(t->chassis_bootdev, chassis_bootdev_key(1));
	store_free(s);
}

int
main(void)
{
	RUN(test_targets);
	RUN(test_mib_facts);
	RUN(test_ages);
	RUN(test_sensors);
	RUN(test_sensor_burst);
	RUN(test_sel);
	RUN(test_open_cap);
	RUN(test_chassis_wdt);
	RUN(test_health);
	RUN(test_subscribers);
	RUN(test_console);
	return harness_end();
}
