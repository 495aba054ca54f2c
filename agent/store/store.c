/*
 * The daemon's in-memory store (see store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "selmon.h"
#include "store/store.h"
#include "xmem.h"

#define STORE_SUBS_MAX	16

struct store_sub {
	store_event_fn	*fn;
	void		*arg;
};

struct store {
	struct store_target **t;
	size_t		 n;
	struct store_sub subs[STORE_SUBS_MAX];
	size_t		 nsubs;
	struct store_webhook *wh;
	size_t		 nwh;
};

void
store_now(struct store_when *w)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	w->mono_ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec /
	    1000000;
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	w->wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t
store_age_ms(const struct store_stamp *s, uint64_t now)
{
	if (s->when.mono_ms == 0 || now < s->when.mono_ms)
		return 0;
	return now - s->when.mono_ms;
}

int
store_stale(const struct store_stamp *s, unsigned interval_s, uint64_t now)
{
	if (s->when.mono_ms == 0)
		return 1;
	return store_age_ms(s, now) > 2ull * interval_s * 1000;
}

const char *
store_state_name(enum store_state s)
{
	switch (s) {
	case STORE_T_STARTING:
		return "starting";
	case STORE_T_RESOLVING:
		return "resolving";
	case STORE_T_UP:
		return "up";
	case STORE_T_UNREACHABLE:
		return "unreachable";
	case STORE_T_STOPPING:
		return "stopping";
	}
	return "?";
}

const char *
store_ev_name(enum store_ev_kind k)
{
	static const char *const names[] = {
		[STORE_EV_SENSOR] = "sensor",
		[STORE_EV_SEL] = "sel",
		[STORE_EV_SEL_CLEARED] = "sel-cleared",
		[STORE_EV_SEL_CLEAR_FAILED] = "sel-clear-failed",
		[STORE_EV_POWER] = "power",
		[STORE_EV_WATCHDOG] = "watchdog",
		[STORE_EV_HEARTBEAT] = "heartbeat",
		[STORE_EV_UNREACHABLE] = "unreachable",
		[STORE_EV_RECOVERED] = "recovered",
		[STORE_EV_CONSOLE] = "console",
		[STORE_EV_SEL_NEARLY_FULL] = "sel-nearly-full",
	};

	if ((size_t)k < sizeof(names) / sizeof(names[0]) && names[k])
		return names[k];
	return "?";
}

static void
store_stamp_set(struct store_stamp *s, const struct store_when *w,
    int changed)
{
	s->when = *w;
	if (changed || s->gen == 0)
		s->gen++;
}

static void
store_emit(struct store *s, const struct store_event *e)
{
	struct store_target *t = (struct store_target *)(uintptr_t)e->t;
	struct store_when now;
	size_t i;

	/* counted before the subscribers look */
	if ((unsigned)e->kind < STORE_EV_N) {
		store_now(&now);
		t->ev_count[e->kind]++;
		t->ev_wall_ms[e->kind] = now.wall_ms;
	}
	for (i = 0; i < s->nsubs; i++)
		s->subs[i].fn(e, s->subs[i].arg);
}

static void
store_emit_simple(struct store *s, const struct store_target *t,
    enum store_ev_kind k, int level, const char *text)
{
	struct store_event e;

	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.t = t;
	e.level = level;
	e.text = text;
	store_emit(s, &e);
}

struct store *
store_new(void)
{
	return xcalloc(1, sizeof(struct store));
}

static void
store_target_free(struct store_target *t)
{
	free(t->sensors);
	free(t->recent);
	free(t->open);
	free(t->console.ring);
	free(t);
}

void
store_free(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		store_target_free(s->t[i]);
	free(s->t);
	free(s->wh);
	free(s);
}

void
store_set_webhook(struct store *s, const struct store_webhook *w)
{
	struct store_when now;
	int64_t last;
	size_t i;

	store_now(&now);
	for (i = 0; i < s->nwh; i++)
		if (strcmp(s->wh[i].name, w->name) == 0) {
			last = w->delivered > s->wh[i].delivered ?
			    now.wall_ms : s->wh[i].last_delivery_wall_ms;
			s->wh[i] = *w;
			s->wh[i].last_delivery_wall_ms = last;
			return;
		}
	s->wh = xreallocarray(s->wh, s->nwh + 1, sizeof(*s->wh));
	s->wh[s->nwh] = *w;
	s->wh[s->nwh++].last_delivery_wall_ms = w->delivered > 0 ?
	    now.wall_ms : 0;
}

void
store_del_webhook(struct store *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nwh; i++)
		if (strcmp(s->wh[i].name, name) == 0) {
			memmove(&s->wh[i], &s->wh[i + 1],
			    (s->nwh - i - 1) * sizeof(s->wh[0]));
			s->nwh--;
			return;
		}
}

size_t
store_nwebhooks(const struct store *s)
{
	return s->nwh;
}

const struct store_webhook *
store_webhook_at(const struct store *s, size_t i)
{
	return i < s->nwh ? &s->wh[i] : NULL;
}

int
store_subscribe(struct store *s, store_event_fn *fn, void *arg)
{
	if (s->nsubs >= STORE_SUBS_MAX)
		return -1;
	s->subs[s->nsubs].fn = fn;
	s->subs[s->nsubs].arg = arg;
	s->nsubs++;
	return 0;
}

void
store_unsubscribe(struct store *s, store_event_fn *fn, void *arg)
{
	size_t i;

	for (i = 0; i < s->nsubs; i++)
		if (s->subs[i].fn == fn && s->subs[i].arg == arg) {
			memmove(&s->subs[i], &s->subs[i + 1],
			    (s->nsubs - i - 1) * sizeof(s->subs[0]));
			s->nsubs--;
			return;
		}
}

struct store_target *
store_target_find(struct store *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i]->name, name) == 0)
			return s->t[i];
	return NULL;
}

struct store_target *
store_target_add(struct store *s, const char *name)
{
	struct store_target *t;

	if (store_target_find(s, name) != NULL)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	(void)snprintf(t->name, sizeof(t->name), "%s", name);
	t->sel_used_pct = -1;
	t->recent = xcalloc(STORE_SEL_RECENT, sizeof(*t->recent));
	t->health.state = STORE_T_STARTING;
	t->chassis_health = -1;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	s->t = xreallocarray(s->t, s->n + 1, sizeof(*s->t));
	s->t[s->n++] = t;
	return t;
}

void
store_target_del(struct store *s, struct store_target *t)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->t[i] == t) {
			/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
			memmove(&s->t[i], &s->t[i + 1], sizeof(s->t[0]) *
			    (s->n - i - 1));
			s->n--;
			store_target_free(t);
			return;
		}
}

size_t
store_ntargets(const struct store *s)
{
	return s->n;
}

const struct store_target *
store_target_at(const struct store *s, size_t i)
{
	return i < s->n ? s->t[i] : NULL;
}

void
store_target_config(struct store_target *t, unsigned sensor_s,
    unsigned sel_s, unsigned chassis_s, unsigned allow, const char *iface)
{
	t->sensor_interval_s = sensor_s;
	t->sel_interval_s = sel_s;
	t->chassis_interval_s = chassis_s;
	t->allow = allow;
	(void)snprintf(t->iface, sizeof(t->iface), "%s", iface);
}

/*
 * Value compares, not memcmp of the structs: their padding and the bytes
 * after a string's NUL are not part of the value.  d is decoded from raw
 * by a pure decoder, so equal raw bytes mean an equal d.
 */
static int
store_ident_same(const struct shape_info *a, const struct shape_info *b)
{
	return a->rawlen == b->rawlen && a->rawlen <= sizeof(a->raw) &&
	    memcmp(a->raw, b->raw, a->rawlen) == 0 &&
	    a->have_devguid == b->have_devguid &&
	    a->have_sysguid == b->have_sysguid &&
	    strcmp(a->devguid, b->devguid) == 0 &&
	    strcmp(a->sysguid, b->sysguid) == 0 && a->redfish == b->redfish &&
	    strcmp(a->rf_version, b->rf_version) == 0 &&
	    strcmp(a->rf_service_uuid, b->rf_service_uuid) == 0 &&
	    strcmp(a->rf_firmware, b->rf_firmware) == 0 &&
	    strcmp(a->rf_manager_model, b->rf_manager_model) == 0 &&
	    strcmp(a->rf_manufacturer, b->rf_manufacturer) == 0 &&
	    strcmp(a->rf_model, b->rf_model) == 0 &&
	    strcmp(a->rf_serial, b->rf_serial) == 0 &&
	    strcmp(a->rf_bios, b->rf_bios) == 0;
}

static int
store_sel_info_same(const struct sel_info *a, const struct sel_info *b)
{
	return a->version == b->version && a->entries == b->entries &&
	    a->free_bytes == b->free_bytes && a->last_add == b->last_add &&
	    a->last_erase == b->last_erase && a->ops == b->ops;
}

void
store_set_ident(struct store *s, struct store_target *t,
    const struct shape_info *in, const struct store_when *w)
{
	int changed = !t->have_ident || !store_ident_same(&t->ident, in);

	(void)s;
	t->ident = *in;
	t->have_ident = 1;
	store_stamp_set(&t->ident_t, w, changed);
}

/* the level of a sensor state for events */
static int
store_sensor_level(enum sensor_sev v)
{
	switch (v) {
	case SENSOR_SEV_OK:
		return 0;
	case SENSOR_SEV_WARNING:
	case SENSOR_SEV_UNAVAILABLE:
		return 1;
	default:
		return 2;
	}
}

static const struct store_sensor *
store_sensor_match(const struct store_sensor *old, size_t n, size_t hint,
    const struct sensors_item *it)
{
	size_t i;

#define STORE_SAME(o) ((o)->it.record_id == it->record_id && \
	    (o)->it.number == it->number && (o)->it.owner == it->owner && \
	    strcmp((o)->it.name, it->name) == 0)
	if (hint < n && STORE_SAME(&old[hint]))
		return &old[hint];
	for (i = 0; i < n; i++)
		if (STORE_SAME(&old[i]))
			return &old[i];
#undef STORE_SAME
	return NULL;
}

void
store_set_sensor_items(struct store *s, struct store_target *t,
    const struct sensors_item *items, size_t n, const struct store_when *w)
{
	struct store_sensor *old = t->sensors, *nw;
	size_t nold = t->nsensors, i, burst_n = 0, burst_i = 0;
	int changed = n != nold;
	char text[STORE_TEXT_MAX];

	nw = n > 0 ? xcalloc(n, sizeof(*nw)) : NULL;
	for (i = 0; i < n; i++) {
		nw[i].it = items[i];
		if (items[i].rec != NULL) {
			nw[i].rec = *items[i].rec;
			nw[i].it.rec = &nw[i].rec;
		} else
			nw[i].it.rec = NULL;
	}
	t->sensors = nw;
	t->nsensors = n;
	/* what a sensor's history says, carried over */
	for (i = 0; i < n; i++) {
		const struct store_sensor *o = store_sensor_match(old, nold, i,
		    &nw[i].it);

		if (o == NULL) {
			nw[i].prev_sev = nw[i].it.sev;
			continue;
		}
		nw[i].prev_sev = o->prev_sev;
		nw[i].changes = o->changes;
		nw[i].change_wall_ms = o->change_wall_ms;
		if (o->it.sev != nw[i].it.sev) {
			nw[i].prev_sev = o->it.sev;
			nw[i].changes++;
			nw[i].change_wall_ms = w->wall_ms;
		}
	}
	for (i = 0; i < n && !changed; i++) {
		const struct store_sensor *o = store_sensor_match(old, nold, i,
		    &nw[i].it);

		changed = o == NULL || o->it.sev != nw[i].it.sev ||
		    o->it.have_value != nw[i].it.have_value ||
		    o->it.raw != nw[i].it.raw ||
		    o->it.states != nw[i].it.states ||
		    o->it.note != nw[i].it.note;
	}
	store_stamp_set(&t->sensors_t, w, changed);
	/* events once the store holds the new picture, each knowing how
	 * many came with it (a BMC refusing every reading turns them all
	 * unavailable at once: the log says that in a few lines) */
	for (i = 0; i < n; i++) {
		const struct store_sensor *o = store_sensor_match(old, nold, i,
		    &nw[i].it);

		if (o != NULL && o->it.sev != nw[i].it.sev)
			burst_n++;
	}
	for (i = 0; i < n; i++) {
		const struct store_sensor *o = store_sensor_match(old, nold, i,
		    &nw[i].it);
		struct store_event e;

		if (o == NULL || o->it.sev == nw[i].it.sev)
			continue;
		(void)snprintf(text, sizeof(text), "sensor %s: %s (was %s)",
		    nw[i].it.name, sensor_sev_name(nw[i].it.sev),
		    sensor_sev_name(o->it.sev));
		memset(&e, 0, sizeof(e));
		e.kind = STORE_EV_SENSOR;
		e.t = t;
		e.level = store_sensor_level(nw[i].it.sev);
		e.text = text;
		e.sensor = &nw[i];
		e.was = o->it.sev;
		e.burst_n = burst_n;
		e.burst_i = burst_i++;
		store_emit(s, &e);
	}
	free(old);
}

void
store_set_sensors(struct store *s, struct store_target *t,
    const struct sensors *sw, const struct store_when *w)
{
	size_t n = sensors_count(sw), i;
	struct sensors_item *items = n > 0 ? xcalloc(n, sizeof(*items)) :
	    NULL;

	for (i = 0; i < n; i++)
		items[i] = *sensors_get(sw, i);
	store_set_sensor_items(s, t, items, n, w);
	free(items);
}

void
store_set_sel_info(struct store *s, struct store_target *t,
    const struct sel_info *in, int used_pct, const struct store_when *w)
{
	int changed = !t->have_sel || !store_sel_info_same(&t->sel_info, in) ||
	    t->sel_used_pct != used_pct;

	char text[STORE_TEXT_MAX];

	/* the erase time moved: our clear, or someone else's */
	if (t->have_sel && in->last_erase != t->sel_info.last_erase) {
		if (t->sel_erase_ours)
			t->sel_erase_ours = 0;
		else
			t->sel_foreign_clears++;
	}
	t->sel_info = *in;
	t->sel_used_pct = used_pct;
	t->have_sel = 1;
	store_stamp_set(&t->sel_t, w, changed);
	if (t->sel_nearly_full_at == 0 || used_pct < 0)
		return;
	if ((unsigned)used_pct < t->sel_nearly_full_at)
		t->sel_nearly_full_armed = 1;
	else if (t->sel_nearly_full_armed) {
		t->sel_nearly_full_armed = 0;
		(void)snprintf(text, sizeof(text), "SEL %d%% full (nearly "
		    "full at %u%%): %u entries, %u bytes free", used_pct,
		    t->sel_nearly_full_at, (unsigned)in->entries,
		    (unsigned)in->free_bytes);
		store_emit_simple(s, t, STORE_EV_SEL_NEARLY_FULL, 1, text);
	}
}

void
store_set_rf_sel(struct store *s, struct store_target *t,
    const struct shape_rf_sel *r, const struct store_when *w)
{
	struct sel_info in;
	unsigned long n = shape_rf_sel_entries(r);
	int changed = !t->have_rf_sel || memcmp(&t->rf_sel, r,
	    sizeof(*r)) != 0;

	memset(&in, 0, sizeof(in));
	in.entries = n > 0xffff ? 0xffff : (uint16_t)n;
	in.last_add = r->has_last_add ? r->last_add : SEL_TS_UNSPECIFIED;
	in.last_erase = SEL_TS_UNSPECIFIED;
	t->rf_sel = *r;
	t->have_rf_sel = 1;
	if (changed)
		store_set_sel_info(s, t, &in, shape_rf_sel_pct(r), w);
	else
		store_stamp_set(&t->sel_t, w, 0);
}

const struct store_sel_entry *
store_sel_recent(const struct store_target *t, size_t i)
{
	if (i >= t->nrecent)
		return NULL;
	return &t->recent[(t->recent_head + i) % STORE_SEL_RECENT];
}

/* re-pair the open problems with a new entry appended: the one rule of
 * selmon_open_problems over what was open plus the newcomer */
static void
store_open_update(struct store_target *t, const struct store_sel_entry *ne)
{
	size_t n = t->nopen + 1, i, k;
	struct sel_rec *recs = xcalloc(n, sizeof(*recs));
	struct sel_desc *descs = xcalloc(n, sizeof(*descs));
	uint8_t *open = xcalloc(n, 1);
	struct store_sel_entry *all = xcalloc(n, sizeof(*all));

	for (i = 0; i < t->nopen; i++)
		all[i] = t->open[i];
	all[n - 1] = *ne;
	for (i = 0; i < n; i++) {
		recs[i] = all[i].rec;
		descs[i] = all[i].desc;
	}
	(void)selmon_open_problems(recs, descs, n, open);
	for (i = k = 0; i < n; i++)
		if (open[i])
			all[k++] = all[i];
	if (k > STORE_SEL_OPEN_MAX) {
		t->open_dropped += k - STORE_SEL_OPEN_MAX;
		memmove(all, all + (k - STORE_SEL_OPEN_MAX),
		    STORE_SEL_OPEN_MAX * sizeof(*all));
		k = STORE_SEL_OPEN_MAX;
	}
	free(t->open);
	t->open = all;
	t->nopen = k;
	free(recs);
	free(descs);
	free(open);
}

void
store_sel_add(struct store *s, struct store_target *t,
    const struct sel_rec *rec, const struct sel_desc *desc,
    const struct store_when *w)
{
	struct store_sel_entry *e;
	struct store_event ev;
	char text[2 * SEL_NAME_MAX + SEL_TEXT_MAX + 32];

	if (t->nrecent < STORE_SEL_RECENT)
		e = &t->recent[(t->recent_head + t->nrecent++) %
		    STORE_SEL_RECENT];
	else {
		e = &t->recent[t->recent_head];
		t->recent_head = (t->recent_head + 1) % STORE_SEL_RECENT;
	}
	e->rec = *rec;
	e->desc = *desc;
	e->when = *w;
	e->acked = 0;
	e->seq = ++t->sel_seq;
	t->sel_archived++;
	store_open_update(t, e);
	store_stamp_set(&t->sel_t, w, 1);
	(void)snprintf(text, sizeof(text), "SEL 0x%04x: %s%s%s: %s",
	    rec->id, desc->sensor[0] ? desc->sensor : desc->type_name,
	    desc->direction ? " " : "", desc->direction ? desc->direction :
	    "", desc->event);
	memset(&ev, 0, sizeof(ev));
	ev.kind = STORE_EV_SEL;
	ev.t = t;
	ev.level = desc->sev == SEL_SEV_CRITICAL ? 2 :
	    desc->sev == SEL_SEV_WARNING ? 1 : 0;
	ev.text = text;
	ev.sel = e;
	store_emit(s, &ev);
}

int
store_sel_ack(struct store *s, struct store_target *t,
    const uint8_t raw[SEL_RECORD_LEN])
{
	size_t i;

	(void)s;
	for (i = 0; i < t->nrecent; i++) {
		struct store_sel_entry *e = &t->recent[(t->recent_head + i) %
		    STORE_SEL_RECENT];

		if (memcmp(e->rec.raw, raw, SEL_RECORD_LEN) == 0)
			e->acked = 1;
	}
	for (i = 0; i < t->nopen; i++)
		if (memcmp(t->open[i].rec.raw, raw, SEL_RECORD_LEN) == 0) {
			memmove(&t->open[i], &t->open[i + 1],
			    (t->nopen - i - 1) * sizeof(t->open[0]));
			t->nopen--;
			t->sel_t.gen++;
			return 1;
		}
	return 0;
}

void
store_sel_cleared(struct store *s, struct store_target *t, unsigned entries,
    const struct store_when *w)
{
	char text[STORE_TEXT_MAX];

	t->sel_clears++;
	t->sel_last_clear_count = entries;
	store_stamp_set(&t->sel_clear_t, w, 1);
	t->sel_clear_error[0] = '\0';
	(void)snprintf(text, sizeof(text), "SEL cleared: %u entries, every "
	    "one archived", entries);
	store_emit_simple(s, t, STORE_EV_SEL_CLEARED, 0, text);
}

void
store_sel_clear_failed(struct store *s, struct store_target *t,
    const char *why, const struct store_when *w)
{
	char text[STORE_TEXT_MAX];

	(void)w;
	t->sel_clear_failures++;
	(void)snprintf(t->sel_clear_error, sizeof(t->sel_clear_error), "%s",
	    why);
	(void)snprintf(text, sizeof(text), "SEL not cleared: %s", why);
	store_emit_simple(s, t, STORE_EV_SEL_CLEAR_FAILED, 1, text);
}

void
store_set_chassis(struct store *s, struct store_target *t,
    const struct chassis_status *c, const struct store_when *w)
{
	int had = t->have_chassis, was = t->chassis.power_on;
	int changed = !had || memcmp(&t->chassis, c, sizeof(*c)) != 0;
	char text[64];

	t->chassis = *c;
	t->have_chassis = 1;
	store_stamp_set(&t->chassis_t, w, changed);
	if (had && was != c->power_on) {
		(void)snprintf(text, sizeof(text), "system power %s",
		    c->power_on ? "on" : "off");
		store_emit_simple(s, t, STORE_EV_POWER, c->power_on ? 0 : 1,
		    text);
	}
}

void
store_set_chassis_snap(struct store *s, struct store_target *t,
    const struct chassis_snapshot *snap, const struct store_when *w)
{
	int health = snap->has_health ? snap->health : -1;

	if (t->have_chassis && (t->chassis_na != snap->missing ||
	    t->chassis_health != health))
		t->chassis_t.gen++;
	t->chassis_na = snap->missing;
	t->chassis_health = health;
	store_set_chassis(s, t, &snap->status, w);
}

void
store_set_wdt(struct store *s, struct store_target *t,
    const struct wdt_timer *tm, const struct store_when *w)
{
	int had = t->have_wdt;
	uint8_t was = had ? t->wdt.expired : 0;
	/* the present countdown moves all the time: not a change */
	int changed = !had || t->wdt.use != tm->use || t->wdt.running !=
	    tm->running || t->wdt.action != tm->action || t->wdt.expired !=
	    tm->expired || t->wdt.initial != tm->initial;
	char text[128];

	/* an expiry since the last poll: a new expiration flag, or (its
	 * flag still set from an earlier one) the timer that ran is now
	 * stopped at a zero countdown.  Flags already set at the first
	 * poll are from before the daemon started: not counted. */
	int again = had && t->wdt.running && !tm->running &&
	    tm->has_present && tm->present == 0 && tm->use <= 7 &&
	    (tm->expired & (1u << tm->use)) != 0;

	t->wdt = *tm;
	t->have_wdt = 1;
	store_stamp_set(&t->wdt_t, w, changed);
	if (had && ((tm->expired & ~was) != 0 || again)) {
		(void)snprintf(text, sizeof(text), "watchdog expired (%s, "
		    "action %s)", wdt_use_name(tm->use),
		    wdt_action_name(tm->action));
		store_emit_simple(s, t, STORE_EV_WATCHDOG, 2, text);
	}
}

static int
store_hb_kicking(const struct store_hb *h)
{
	return h->enabled && h->armed && !h->refused;
}

void
store_set_hb(struct store *s, struct store_target *t,
    const struct store_hb *h, const struct store_when *w)
{
	int was = store_hb_kicking(&t->hb), now = store_hb_kicking(h);
	int changed = was != now || strcmp(t->hb.state, h->state) != 0 ||
	    strcmp(t->hb.failing, h->failing) != 0;
	struct store_stamp st = t->hb.stamp;

	t->hb = *h;
	t->hb.stamp = st;
	store_stamp_set(&t->hb.stamp, w, changed);
	if (changed && (was != now || h->refused))
		store_emit_simple(s, t, STORE_EV_HEARTBEAT, now ? 0 : 2,
		    h->state);
}

void
store_set_state(struct store *s, struct store_target *t,
    enum store_state st, const char *why, const struct store_when *w)
{
	enum store_state was = t->health.state;

	if (was == st)
		return;
	t->health.state = st;
	if (st == STORE_T_UNREACHABLE) {
		t->health.unreachable_since_mono = w->mono_ms;
		store_emit_simple(s, t, STORE_EV_UNREACHABLE, 2, why);
	} else if (was == STORE_T_UNREACHABLE && st == STORE_T_UP) {
		t->health.unreachable_since_mono = 0;
		store_emit_simple(s, t, STORE_EV_RECOVERED, 0, why);
	}
}

void
store_run_ok(struct store_target *t, const struct store_when *w)
{
	t->health.consecutive_errors = 0;
	store_stamp_set(&t->health.last_success, w, 1);
}

void
store_run_failed(struct store_target *t, const char *why,
    const struct store_when *w)
{
	t->health.consecutive_errors++;
	(void)snprintf(t->health.last_error, sizeof(t->health.last_error),
	    "%s", why);
	store_stamp_set(&t->health.last_failure, w, 1);
}

void
store_run_refused(struct store_target *t, const char *why,
    const struct store_when *w)
{
	(void)snprintf(t->health.last_error, sizeof(t->health.last_error),
	    "%s", why);
	store_stamp_set(&t->health.last_failure, w, 1);
}

/* ---- the console ---------------------------------------------------- */

void
store_console_config(struct store_target *t, int enabled, int logging,
    int input)
{
	t->console.enabled = enabled;
	t->console.logging = logging;
	t->console.input = input;
	if (enabled && t->console.ring == NULL)
		t->console.ring = xmalloc(STORE_CONSOLE_RING);
}

void
store_console_state(struct store_target *t, int connected,
    const char *state, const struct store_when *w)
{
	struct store_console *c = &t->console;

	if (connected && !c->connected)
		c->connects++;
	if (connected != c->connected || c->conn_t.when.mono_ms == 0)
		store_stamp_set(&c->conn_t, w, 1);
	c->connected = connected;
	(void)snprintf(c->state, sizeof(c->state), "%s", state);
}

void
store_console_data(struct store_target *t, const uint8_t *p, size_t n)
{
	struct store_console *c = &t->console;
	size_t at, k;

	if (c->ring == NULL)
		return;
	/* only the last STORE_CONSOLE_RING bytes can stay */
	if (n > STORE_CONSOLE_RING) {
		c->bytes += n - STORE_CONSOLE_RING;
		p += n - STORE_CONSOLE_RING;
		n = STORE_CONSOLE_RING;
	}
	while (n > 0) {
		at = (size_t)(c->bytes % STORE_CONSOLE_RING);
		k = STORE_CONSOLE_RING - at < n ? STORE_CONSOLE_RING - at : n;
		memcpy(c->ring + at, p, k);
		c->bytes += k;
		p += k;
		n -= k;
	}
}

long
store_console_read(const struct store_target *t, uint64_t off, uint8_t *out,
    size_t cap)
{
	const struct store_console *c = &t->console;
	size_t at, k, done = 0;

	if (c->ring == NULL || off > c->bytes || (c->bytes >
	    STORE_CONSOLE_RING && off < c->bytes - STORE_CONSOLE_RING))
		return -1;
	while (done < cap && off < c->bytes) {
		at = (size_t)(off % STORE_CONSOLE_RING);
		k = STORE_CONSOLE_RING - at;
		if (k > c->bytes - off)
			k = (size_t)(c->bytes - off);
		if (k > cap - done)
			k = cap - done;
		memcpy(out + done, c->ring + at, k);
		done += k;
		off += k;
	}
	return (long)done;
}

void
store_console_log(struct store_target *t, uint64_t waiting,
    const char *error)
{
	struct store_console *c = &t->console;

	c->log_waiting = waiting;
	c->log_failing = error != NULL;
	if (error != NULL)
		(void)snprintf(c->log_error, sizeof(c->log_error), "%s",
		    error);
}

void
store_console_event(struct store *s, struct store_target *t,
    const char *rule, const char *line, const struct store_when *w)
{
	struct store_console *c = &t->console;
	struct store_event e;

	c->events++;
	store_stamp_set(&c->event_t, w, 1);
	(void)snprintf(c->event_rule, sizeof(c->event_rule), "%s", rule);
	(void)snprintf(c->event_text, sizeof(c->event_text), "%s", line);
	memset(&e, 0, sizeof(e));
	e.kind = STORE_EV_CONSOLE;
	e.t = t;
	e.level = 2;
	e.text = c->event_text;
	e.rule = c->event_rule;
	store_emit(s, &e);
}

/* ---- SDR, SEL and chassis facts for the MIB ----------------------------- */

void
store_set_sdr_gen(struct store_target *t, uint32_t gen,
    const struct store_when *w)
{
	if (t->sdr_change_wall_ms != 0 && gen == t->sdr_gen)
		return;
	t->sdr_gen = gen;
	t->sdr_change_wall_ms = w->wall_ms > 0 ? w->wall_ms : 1;
}

void
store_target_sel_config(struct store_target *t, unsigned clear_at,
    unsigned nearly_full_at)
{
	t->sel_clear_at = clear_at;
	if (nearly_full_at != t->sel_nearly_full_at)
		t->sel_nearly_full_armed = 1;
	t->sel_nearly_full_at = nearly_full_at;
}

void
store_sel_clear_ours(struct store_target *t)
{
	t->sel_erase_ours = 1;
}

void
store_set_chassis_extra(struct store_target *t,
    const struct chassis_snapshot *c, const struct store_when *w)
{
	int restart = -1, changed;
	int64_t poh = -1;
	const char *rtext = "", *boot = "";
	uint64_t m;

	if (c->restart_state == CHASSIS_ITEM_OK) {
		restart = c->restart.cause & 0x0f;
		rtext = chassis_restart_name(c->restart.cause);
	}
	if (c->poh_state == CHASSIS_ITEM_OK) {
		m = chassis_poh_minutes(&c->poh);
		poh = m > INT32_MAX ? INT32_MAX : (int64_t)m;
	}
	if (c->boot_state == CHASSIS_ITEM_OK)
		boot = chassis_bootdev_key(c->boot.device);
	changed = !t->have_chassis_x || restart != t->chassis_restart ||
	    poh != t->chassis_poh_min ||
	    strcmp(rtext, t->chassis_restart_text) != 0 ||
	    strcmp(boot, t->chassis_bootdev) != 0;
	t->have_chassis_x = 1;
	t->chassis_restart = restart;
	(void)snprintf(t->chassis_restart_text,
	    sizeof(t->chassis_restart_text), "%s", rtext);
	t->chassis_poh_min = poh;
	(void)snprintf(t->chassis_bootdev, sizeof(t->chassis_bootdev), "%s",
	    boot);
	store_stamp_set(&t->chassis_x_t, w, changed);
}
