/*
 * The shapes of the SEL model (see shape_sel.h): sel info, sel list and
 * sel watch, JSON and text.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shape_sel.h"

/* a Get SEL Info time: "never", "pre-init +Ns" or ISO 8601 UTC */
static void
shape_sel_ts(uint32_t ts, char *out, size_t len)
{
	struct tm tm;
	time_t t = (time_t)ts;

	if (ts == SEL_TS_UNSPECIFIED || ts == 0)
		(void)snprintf(out, len, "never");
	else if (ts <= SEL_TS_PREINIT_MAX)
		(void)snprintf(out, len, "pre-init +%lus", (unsigned long)ts);
	else if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "%lu", (unsigned long)ts);
}

/* the sanity flags in words, "; " between them, "" for none */
static void
shape_sel_sane(unsigned f, char *out, size_t len)
{
	static const struct {
		unsigned	 flag;
		const char	*text;
	} tab[] = {
		{ SEL_SANE_ALWAYS_FULL,
		    "reports no free space with few entries" },
		{ SEL_SANE_OVER_16BIT, "free space field overflowed" },
		{ SEL_SANE_BAD_VERSION, "unknown SEL version" },
		{ SEL_SANE_ALLOC,
		    "free space disagrees with the allocation info" },
		{ SEL_SANE_NO_RESERVE, "no Reserve SEL" },
	};
	size_t i, n;

	out[0] = '\0';
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!(f & tab[i].flag))
			continue;
		n = strlen(out);
		(void)snprintf(out + n, len - n, "%s%s", n > 0 ? "; " : "",
		    tab[i].text);
	}
}

/* what info and text share: the checks and the times in words */
struct shape_sel_info_words {
	int	 pct;
	char	 add[40];
	char	 erase[40];
	char	 now[40];
	char	 sane[200];
};

static void
shape_sel_info_words(const struct sel_info *i, const struct sel_alloc *a,
    int64_t sel_time, struct shape_sel_info_words *w)
{
	unsigned f;

	f = sel_info_check(i, &w->pct);
	if (a != NULL)
		f |= sel_alloc_check(i, a);
	shape_sel_sane(f, w->sane, sizeof(w->sane));
	shape_sel_ts(i->last_add, w->add, sizeof(w->add));
	shape_sel_ts(i->last_erase, w->erase, sizeof(w->erase));
	shape_sel_ts(sel_time >= 0 ? (uint32_t)sel_time : 0, w->now,
	    sizeof(w->now));
}

void
shape_sel_info(struct jsonw *j, const struct sel_info *i,
    const struct sel_alloc *a, int64_t sel_time)
{
	struct shape_sel_info_words w;
	char ver[16];

	shape_sel_info_words(i, a, sel_time, &w);
	(void)snprintf(ver, sizeof(ver), "%x.%x", i->version & 0x0f,
	    i->version >> 4);
	jsonw_str(j, "version", ver);
	jsonw_int(j, "entries", i->entries);
	jsonw_int(j, "free_bytes", i->free_bytes);
	if (w.pct >= 0)
		jsonw_int(j, "percent_used", w.pct);
	else
		jsonw_null(j, "percent_used");
	jsonw_str(j, "last_add", i->last_add == SEL_TS_UNSPECIFIED ? NULL :
	    w.add);
	jsonw_str(j, "last_erase", w.erase);
	jsonw_bool(j, "overflow", (i->ops & SEL_OP_OVERFLOW) != 0);
	jsonw_bool(j, "supports_delete", (i->ops & SEL_OP_DELETE) != 0);
	jsonw_bool(j, "supports_partial_add",
	    (i->ops & SEL_OP_PARTIAL_ADD) != 0);
	jsonw_bool(j, "supports_reserve", (i->ops & SEL_OP_RESERVE) != 0);
	jsonw_bool(j, "supports_allocation_info",
	    (i->ops & SEL_OP_ALLOC_INFO) != 0);
	if (a != NULL) {
		jsonw_obj_begin(j, "allocation");
		jsonw_int(j, "units", a->units);
		jsonw_int(j, "unit_size", a->unit_size);
		jsonw_int(j, "free_units", a->free_units);
		jsonw_int(j, "largest_free", a->largest_free);
		jsonw_int(j, "max_record_units", a->max_record_units);
		jsonw_obj_end(j);
	}
	jsonw_str(j, "sel_time", sel_time >= 0 ? w.now : NULL);
	jsonw_str(j, "warnings", w.sane[0] ? w.sane : NULL);
}

void
shape_sel_info_text(FILE *f, const struct sel_info *i,
    const struct sel_alloc *a, int64_t sel_time)
{
	struct shape_sel_info_words w;

	shape_sel_info_words(i, a, sel_time, &w);
	fprintf(f, "Version            : %x.%x\n", i->version & 0x0f,
	    i->version >> 4);
	fprintf(f, "Entries            : %u\n", i->entries);
	fprintf(f, "Free Space         : %u bytes%s\n", i->free_bytes,
	    i->free_bytes == 0xffff ? " or more" : "");
	if (w.pct >= 0)
		fprintf(f, "Percent Used       : %d%%\n", w.pct);
	else
		fprintf(f, "Percent Used       : unknown\n");
	fprintf(f, "Last Add Time      : %s\n", w.add);
	fprintf(f, "Last Erase Time    : %s\n", w.erase);
	fprintf(f, "Overflow           : %s\n", i->ops & SEL_OP_OVERFLOW ?
	    "yes (events were dropped)" : "no");
	fprintf(f, "Supported Commands :%s%s%s%s\n",
	    i->ops & SEL_OP_DELETE ? " Delete" : "",
	    i->ops & SEL_OP_PARTIAL_ADD ? " Partial-Add" : "",
	    i->ops & SEL_OP_RESERVE ? " Reserve" : "",
	    i->ops & SEL_OP_ALLOC_INFO ? " Allocation-Info" : "");
	if (a != NULL)
		fprintf(f, "Allocation Units   : %u of %u bytes, %u free, "
		    "largest free block %u\n", a->units, a->unit_size,
		    a->free_units, a->largest_free);
	if (sel_time >= 0)
		fprintf(f, "SEL Time           : %s\n", w.now);
	if (w.sane[0])
		fprintf(f, "Warnings           : %s\n", w.sane);
}

unsigned long
shape_rf_sel_entries(const struct shape_rf_sel *r)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < r->nsvcs && i < SHAPE_RF_LOG_SERVICES; i++)
		n += r->svc[i].entries;
	return n;
}

int
shape_rf_sel_pct(const struct shape_rf_sel *r)
{
	unsigned long max = 0;
	size_t i;

	for (i = 0; i < r->nsvcs && i < SHAPE_RF_LOG_SERVICES; i++) {
		if (r->svc[i].max_records <= 0)
			return -1;
		max += (unsigned long)r->svc[i].max_records;
	}
	return max > 0 ? (int)(shape_rf_sel_entries(r) * 100 / max) : -1;
}

static void
shape_rf_last_add(const struct shape_rf_sel *r, char *out, size_t len)
{
	struct sel_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.has_ts = 1;
	rec.ts = r->last_add;
	sel_time_format(&rec, out, len);
}

void
shape_rf_sel_info(struct jsonw *j, const struct shape_rf_sel *r)
{
	char ts[40];
	size_t i;
	int pct = shape_rf_sel_pct(r);

	shape_rf_last_add(r, ts, sizeof(ts));
	jsonw_null(j, "version");
	jsonw_int(j, "entries", (long long)shape_rf_sel_entries(r));
	jsonw_null(j, "free_bytes");
	if (pct >= 0)
		jsonw_int(j, "percent_used", pct);
	else
		jsonw_null(j, "percent_used");
	jsonw_str(j, "last_add", r->has_last_add ? ts : NULL);
	jsonw_null(j, "last_erase");
	jsonw_null(j, "overflow");
	jsonw_null(j, "supports_delete");
	jsonw_null(j, "supports_partial_add");
	jsonw_null(j, "supports_reserve");
	jsonw_null(j, "supports_allocation_info");
	jsonw_null(j, "sel_time");
	jsonw_str(j, "warnings", NULL);
	jsonw_arr_begin(j, "log_services");
	for (i = 0; i < r->nsvcs && i < SHAPE_RF_LOG_SERVICES; i++) {
		const struct shape_rf_log_svc *s = &r->svc[i];

		jsonw_obj_begin(j, NULL);
		jsonw_str(j, "path", s->path);
		jsonw_str(j, "owner", s->manager ? "manager" : "system");
		jsonw_int(j, "entries", s->entries);
		if (s->max_records >= 0)
			jsonw_int(j, "max_records", s->max_records);
		else
			jsonw_null(j, "max_records");
		jsonw_str(j, "overwrite_policy", s->overwrite[0] ?
		    s->overwrite : NULL);
		jsonw_bool(j, "clear_supported", s->clear_supported);
		jsonw_bool(j, "truncated", s->truncated);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
}

void
shape_rf_sel_info_text(FILE *f, const struct shape_rf_sel *r)
{
	size_t i;

	fprintf(f, "Entries          : %lu\n", shape_rf_sel_entries(r));
	for (i = 0; i < r->nsvcs && i < SHAPE_RF_LOG_SERVICES; i++) {
		const struct shape_rf_log_svc *s = &r->svc[i];

		fprintf(f, "Log Service      : %s (%s, %u entries, %s%s)\n",
		    s->path, s->manager ? "manager" : "system", s->entries,
		    s->overwrite[0] ? s->overwrite : "overwrite policy not "
		    "said", s->clear_supported ? ", ClearLog" : "");
	}
}

void
shape_sel_entry(struct jsonw *j, const struct sel_rec *r,
    const struct sel_desc *d, int open, int acked)
{
	char tm[40];

	jsonw_int(j, "record_id", r->id);
	sel_time_format(r, tm, sizeof(tm));
	if (r->has_ts && !r->preinit && r->ts != SEL_TS_UNSPECIFIED)
		jsonw_str(j, "timestamp", tm);
	else
		jsonw_null(j, "timestamp");
	if (r->has_ts && r->preinit)
		jsonw_int(j, "preinit_seconds", r->ts);
	jsonw_str(j, "type", sel_kind_name(r->kind));
	jsonw_int(j, "record_type", r->type);
	jsonw_str(j, "sensor", d->sensor[0] ? d->sensor : NULL);
	if (r->kind == SEL_KIND_SYSTEM) {
		jsonw_int(j, "generator_id", r->gen_id);
		jsonw_int(j, "sensor_type", r->sensor_type);
		jsonw_str(j, "sensor_type_name", d->type_name);
		jsonw_int(j, "sensor_number", r->sensor_num);
		jsonw_int(j, "event_type", r->event_type);
		jsonw_int(j, "offset", r->offset);
		jsonw_str(j, "direction", d->direction);
		jsonw_hex(j, "event_data", r->ed, 3);
	} else {
		jsonw_null(j, "generator_id");
		jsonw_null(j, "sensor_type");
		jsonw_null(j, "sensor_type_name");
		jsonw_null(j, "sensor_number");
		jsonw_null(j, "event_type");
		jsonw_null(j, "offset");
		jsonw_null(j, "direction");
		jsonw_null(j, "event_data");
		if (r->kind == SEL_KIND_OEM_TS)
			jsonw_int(j, "manufacturer_id", r->manufacturer);
	}
	if (d->has_reading)
		jsonw_num(j, "reading", d->reading, 2);
	if (d->has_threshold)
		jsonw_num(j, "threshold", d->threshold, 2);
	jsonw_str(j, "event", d->event);
	jsonw_str(j, "severity", sel_sev_name(d->sev));
	jsonw_bool(j, "kernel_panic", d->panic);
	if (open >= 0)
		jsonw_bool(j, "open", open);
	if (acked >= 0)
		jsonw_bool(j, "acknowledged", acked);
	jsonw_hex(j, "raw", r->raw, SEL_RECORD_LEN);
}

/* entry i passes the filter */
static int
shape_sel_pick(const uint8_t *open, const uint8_t *acked, unsigned flags,
    size_t i)
{
	if (!(flags & SHAPE_SEL_OPEN_ONLY))
		return 1;
	return open != NULL && open[i] && (acked == NULL || !acked[i]);
}

/* the first index of the newest `last' entries that pass the filter */
static size_t
shape_sel_from(const uint8_t *open, const uint8_t *acked, size_t n,
    unsigned flags, size_t last)
{
	size_t i, shown = 0;

	if (last == 0)
		return 0;
	for (i = n; i-- > 0;)
		if (shape_sel_pick(open, acked, flags, i) &&
		    ++shown == last)
			return i;
	return 0;
}

void
shape_sel_entries(struct jsonw *j, const struct sel_rec *r,
    const struct sel_desc *d, const uint8_t *open, const uint8_t *acked,
    size_t n, unsigned flags, size_t last)
{
	size_t i;

	jsonw_arr_begin(j, "entries");
	for (i = shape_sel_from(open, acked, n, flags, last); i < n; i++) {
		if (!shape_sel_pick(open, acked, flags, i))
			continue;
		jsonw_obj_begin(j, NULL);
		shape_sel_entry(j, &r[i], &d[i], open != NULL && open[i],
		    acked != NULL && acked[i]);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
}

void
shape_sel_entries_text(FILE *f, const struct sel_rec *r,
    const struct sel_desc *d, const uint8_t *open, const uint8_t *acked,
    size_t n, unsigned flags, size_t last)
{
	char tm[40];
	size_t i;
	int o, a;

	for (i = shape_sel_from(open, acked, n, flags, last); i < n; i++) {
		if (!shape_sel_pick(open, acked, flags, i))
			continue;
		sel_time_format(&r[i], tm, sizeof(tm));
		if (r[i].kind != SEL_KIND_SYSTEM) {
			fprintf(f, "%6u | %-20s | %-20s | %-18s | %-10s | %s | "
			    "%s\n", r[i].id, tm, "-", sel_kind_name(r[i].kind),
			    "-", d[i].event, sel_sev_name(d[i].sev));
			continue;
		}
		o = open != NULL && open[i];
		a = acked != NULL && acked[i];
		fprintf(f, "%6u | %-20s | %-20s | %-18s | %-10s | %s | %s%s\n",
		    r[i].id, tm, d[i].sensor[0] ? d[i].sensor : "-",
		    d[i].type_name, d[i].direction, d[i].event,
		    sel_sev_name(d[i].sev), o ? (a ? " | open, acknowledged" :
		    " | open") : "");
	}
}

void
shape_sel_event_text(FILE *f, const struct sel_rec *r,
    const struct sel_desc *d)
{
	char tm[40], sensor[16];

	sel_time_format(r, tm, sizeof(tm));
	if (r->kind == SEL_KIND_SYSTEM)
		(void)snprintf(sensor, sizeof(sensor), "sensor 0x%02x",
		    r->sensor_num);
	else
		(void)snprintf(sensor, sizeof(sensor), "-");
	fprintf(f, "%6u | %-20s | %-12s | %-18s | %-10s | %s | %s\n", r->id,
	    tm, sensor, r->kind == SEL_KIND_SYSTEM ? d->type_name :
	    sel_kind_name(r->kind), d->direction ? d->direction : "-",
	    d->event, sel_sev_name(d->sev));
}
