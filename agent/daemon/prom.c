/*
 * The Prometheus textfile (prom.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "evtext.h"
#include "fileio.h"
#include "ipmi.h"
#include "log.h"
#include "prom.h"
#include "sensors.h"
#include "store/store.h"
#include "work.h"
#include "xmem.h"

struct prom_job {
	struct prom	*p;	/* NULL: the export went away meanwhile */
	char		*path;
	char		*tmp;
	char		*buf;
	size_t		 len;
	int		 rc;
	char		 err[512];
};

struct prom {
	struct ev	*ev;
	struct store	*store;
	struct work	*io;
	char		*path;
	char		*tmp;
	struct ev_timer	*tick;
	uint64_t	 sig;		/* what the last write showed */
	struct prom_job	*busy;		/* a write in flight */
	struct log_limit lim;
};

/* ---- rendering ---------------------------------------------------------- */

enum prom_kind {
	PK_TEMP,
	PK_FAN,
	PK_VOLT,
	PK_CURRENT,
	PK_POWER,
	PK_GENERIC,
	PK_N
};

static const struct {
	const char	*value, *state, *vhelp, *shelp;
} prom_fam[PK_N] = {
	{ "ipmi_temperature_celsius", "ipmi_temperature_state",
	    "Temperature reading in degree Celsius.",
	    "Reported state of a temperature sensor (0=nominal, 1=warning, "
	    "2=critical)." },
	{ "ipmi_fan_speed_rpm", "ipmi_fan_speed_state",
	    "Fan speed in rotations per minute.",
	    "Reported state of a fan speed sensor (0=nominal, 1=warning, "
	    "2=critical)." },
	{ "ipmi_voltage_volts", "ipmi_voltage_state",
	    "Voltage reading in Volts.",
	    "Reported state of a voltage sensor (0=nominal, 1=warning, "
	    "2=critical)." },
	{ "ipmi_current_amperes", "ipmi_current_state",
	    "Current reading in Amperes.",
	    "Reported state of a current sensor (0=nominal, 1=warning, "
	    "2=critical)." },
	{ "ipmi_power_watts", "ipmi_power_state",
	    "Power reading in Watts.",
	    "Reported state of a power sensor (0=nominal, 1=warning, "
	    "2=critical)." },
	{ "ipmi_sensor_value", "ipmi_sensor_state",
	    "Generic data read from an IPMI sensor of unknown type, relying "
	    "on labels for context.",
	    "Indicates the severity of the state reported by an IPMI sensor "
	    "(0=nominal, 1=warning, 2=critical)." },
};

/* the ipmi_exporter family of a sensor: by its unit, as the exporter
 * does (FreeIPMI's units) */
static enum prom_kind
prom_kind(const struct sensors_item *it)
{
	char unit[64];

	if (!it->threshold || !it->analog)
		return PK_GENERIC;
	sensors_unit(it, unit, sizeof(unit));
	if (strcmp(unit, "degrees C") == 0)
		return PK_TEMP;
	if (strcmp(unit, "RPM") == 0)
		return PK_FAN;
	if (strcmp(unit, "Volts") == 0)
		return PK_VOLT;
	if (strcmp(unit, "Amps") == 0)
		return PK_CURRENT;
	if (strcmp(unit, "Watts") == 0)
		return PK_POWER;
	return PK_GENERIC;
}

/* a label value, escaped as the exposition format wants */
static void
prom_label(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%s=\"", key);
	for (; *v != '\0'; v++) {
		if (*v == '\\')
			fputs("\\\\", f);
		else if (*v == '"')
			fputs("\\\"", f);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void
prom_head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
prom_value(FILE *f, double v, int decimals)
{
	if (isnan(v))
		fputs(" NaN\n", f);
	else
		fprintf(f, " %.*f\n", decimals < 0 ? 0 : decimals > 9 ? 9 :
		    decimals, v);
}

static double
prom_sev(enum sensor_sev s)
{
	switch (s) {
	case SENSOR_SEV_OK:
		return 0;
	case SENSOR_SEV_WARNING:
		return 1;
	case SENSOR_SEV_CRITICAL:
	case SENSOR_SEV_NONRECOVERABLE:
		return 2;
	default:
		return NAN;
	}
}

static void
prom_sensor_labels(FILE *f, const struct store_target *t,
    const struct sensors_item *it, enum prom_kind k)
{
	char id[16];

	(void)snprintf(id, sizeof(id), "%u", (unsigned)it->record_id);
	fputc('{', f);
	prom_label(f, "id", id);
	fputc(',', f);
	prom_label(f, "name", it->name);
	if (k == PK_GENERIC) {
		fputc(',', f);
		prom_label(f, "type", evtext_sensor_type(it->sensor_type));
	}
	fputc(',', f);
	prom_label(f, "target", t->name);
	fputc('}', f);
}

/* the sensors of every target (not stale ones) in one family */
static void
prom_sensors(FILE *f, const struct store *s, uint64_t now, enum prom_kind k,
    int state)
{
	size_t i, j;
	int head = 0;

	for (i = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);

		if (store_stale(&t->sensors_t, t->sensor_interval_s, now))
			continue;
		for (j = 0; j < t->nsensors; j++) {
			const struct sensors_item *it = &t->sensors[j].it;

			if (prom_kind(it) != k)
				continue;
			if (!head) {
				prom_head(f, state ? prom_fam[k].state :
				    prom_fam[k].value, state ?
				    prom_fam[k].shelp : prom_fam[k].vhelp);
				head = 1;
			}
			fputs(state ? prom_fam[k].state : prom_fam[k].value, f);
			prom_sensor_labels(f, t, it, k);
			if (state)
				prom_value(f, prom_sev(it->sev), 0);
			else
				prom_value(f, it->have_value ? it->value : NAN,
				    it->decimals);
		}
	}
}

static void
prom_target_only(FILE *f, const struct store_target *t, const char *name)
{
	fputs(name, f);
	fputc('{', f);
	prom_label(f, "target", t->name);
	fputc('}', f);
}

void
prom_render(FILE *f, const struct store *s, uint64_t now)
{
	static const char *const coll[] = { "ipmi", "chassis", "sel", "bmc" };
	size_t i, c;
	int k;

	prom_head(f, "ipmi_up", "'1' if a scrape of the IPMI device was "
	    "successful, '0' otherwise.");
	for (i = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);

		for (c = 0; c < sizeof(coll) / sizeof(coll[0]); c++) {
			int up;

			if (c == 0)
				up = !store_stale(&t->sensors_t,
				    t->sensor_interval_s, now);
			else if (c == 1)
				up = t->have_chassis && !store_stale(
				    &t->chassis_t, t->chassis_interval_s, now);
			else if (c == 2)
				up = t->have_sel && !store_stale(&t->sel_t,
				    t->sel_interval_s, now);
			else
				up = t->have_ident &&
				    t->health.state == STORE_T_UP;
			fputs("ipmi_up{", f);
			prom_label(f, "collector", coll[c]);
			fputc(',', f);
			prom_label(f, "target", t->name);
			fprintf(f, "} %d\n", up);
		}
	}
	prom_head(f, "ipmi_scrape_duration_seconds", "Returns how long the "
	    "scrape took to complete in seconds.");
	for (i = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);

		prom_target_only(f, t, "ipmi_scrape_duration_seconds");
		prom_value(f, t->health.sweep_ms / 1000.0, 3);
	}
	for (i = 0, k = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);
		const char *mn;
		char fw[16], mid[96];

		if (!t->have_ident)
			continue;
		if (!k++)
			prom_head(f, "ipmi_bmc_info", "Constant metric with "
			    "value '1' providing details about the BMC.");
		(void)snprintf(fw, sizeof(fw), "%u.%02x",
		    (unsigned)t->ident.d.fw_major,
		    (unsigned)t->ident.d.fw_minor);
		mn = ipmi_iana_name(t->ident.d.manufacturer);
		if (mn != NULL)
			(void)snprintf(mid, sizeof(mid), "%s (%u)", mn,
			    (unsigned)t->ident.d.manufacturer);
		else
			(void)snprintf(mid, sizeof(mid), "%u",
			    (unsigned)t->ident.d.manufacturer);
		fputs("ipmi_bmc_info{", f);
		prom_label(f, "firmware_revision", fw);
		fputc(',', f);
		prom_label(f, "manufacturer_id", mid);
		fputc(',', f);
		prom_label(f, "system_firmware_version", "N/A");
		fputc(',', f);
		prom_label(f, "target", t->name);
		fputs("} 1\n", f);
	}
	for (k = 0; k < PK_N; k++) {
		prom_sensors(f, s, now, (enum prom_kind)k, 0);
		prom_sensors(f, s, now, (enum prom_kind)k, 1);
	}
	for (c = 0; c < 3; c++) {
		static const char *const name[] = { "ipmi_sel_entries_count",
		    "ipmi_sel_free_space_bytes", "ipmi_chassis_power_state" };
		static const char *const help[] = {
		    "Current number of log entries in the SEL.",
		    "Current free space remaining for new SEL entries.",
		    "Current power state (1=on, 0=off)." };

		for (i = 0, k = 0; i < store_ntargets(s); i++) {
			const struct store_target *t = store_target_at(s, i);
			double v;

			if (c < 2 && (!t->have_sel || store_stale(&t->sel_t,
			    t->sel_interval_s, now)))
				continue;
			if (c == 2 && (!t->have_chassis || store_stale(
			    &t->chassis_t, t->chassis_interval_s, now)))
				continue;
			if (!k++)
				prom_head(f, name[c], help[c]);
			v = c == 0 ? t->sel_info.entries : c == 1 ?
			    t->sel_info.free_bytes : t->chassis.power_on != 0;
			prom_target_only(f, t, name[c]);
			prom_value(f, v, 0);
		}
	}
	/* ours: the open SEL problems the plugins alarm on */
	for (i = 0, k = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);

		if (!t->have_sel)
			continue;
		if (!k++)
			prom_head(f, "bmcwatch_sel_open_problems", "SEL events "
			    "asserted, not deasserted and not acknowledged.");
		prom_target_only(f, t, "bmcwatch_sel_open_problems");
		prom_value(f, (double)t->nopen, 0);
	}
}

/* ---- writing ------------------------------------------------------------ */

/* what the file would show changed: every item's read time and
 * generation, and each target's state */
static uint64_t
prom_signature(const struct store *s, uint64_t now)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

#define PROM_MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
	for (i = 0; i < store_ntargets(s); i++) {
		const struct store_target *t = store_target_at(s, i);

		PROM_MIX(t->sensors_t.when.mono_ms);
		PROM_MIX(t->sensors_t.gen);
		PROM_MIX(t->sel_t.when.mono_ms);
		PROM_MIX(t->sel_t.gen);
		PROM_MIX(t->chassis_t.when.mono_ms);
		PROM_MIX(t->ident_t.gen);
		PROM_MIX(t->health.state);
		PROM_MIX(t->nopen);
		PROM_MIX(store_stale(&t->sensors_t, t->sensor_interval_s,
		    now));
		PROM_MIX(store_stale(&t->sel_t, t->sel_interval_s, now));
		PROM_MIX(store_stale(&t->chassis_t, t->chassis_interval_s,
		    now));
	}
#undef PROM_MIX
	return h;
}

static void
prom_run(void *arg)
{
	struct prom_job *j = arg;

	j->rc = fileio_replace(j->path, j->tmp, j->buf, j->len, 0644, j->err,
	    sizeof(j->err));
}

static void
prom_done(void *arg)
{
	struct prom_job *j = arg;

	if (j->p != NULL) {
		j->p->busy = NULL;
		if (j->rc != 0)
			(void)log_fail(&j->p->lim, ev_now(), LOG_ERR, NULL,
			    "prometheus", "%s", j->err);
		else
			log_recover(&j->p->lim, NULL, "prometheus",
			    "textfile written");
	}
	free(j->path);
	free(j->tmp);
	free(j->buf);
	free(j);
}

static int64_t
prom_tick(void *arg)
{
	struct prom *p = arg;
	struct prom_job *j;
	uint64_t now = ev_now(), sig = prom_signature(p->store, now);
	FILE *f;

	/* one write at a time, and none while nothing changed (an item
	 * turning stale is a change) */
	if (p->busy != NULL || sig == p->sig)
		return PROM_TICK_MS;
	j = xcalloc(1, sizeof(*j));
	j->p = p;
	j->path = xstrdup(p->path);
	j->tmp = xstrdup(p->tmp);
	if ((f = open_memstream(&j->buf, &j->len)) == NULL)
		fatal("prometheus", "open_memstream");
	prom_render(f, p->store, now);
	if (fclose(f) != 0)
		fatal("prometheus", "render");
	if (work_submit(p->io, prom_run, prom_done, j) != 0) {
		/* the disk is far behind: try again next tick */
		j->p = NULL;
		prom_done(j);
		return PROM_TICK_MS;
	}
	p->busy = j;
	p->sig = sig;
	return PROM_TICK_MS;
}

struct prom *
prom_new(struct ev *ev, struct store *s, struct work *io, const char *path)
{
	struct prom *p;
	size_t n;

	if (path == NULL)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->ev = ev;
	p->store = s;
	p->io = io;
	p->path = xstrdup(path);
	/* node_exporter reads *.prom only: the tmp name is not one */
	n = strlen(path) + 8;
	p->tmp = xmalloc(n);
	(void)snprintf(p->tmp, n, "%s.tmp", path);
	p->sig = ~prom_signature(s, ev_now());
	p->tick = ev_timer_add(ev, 0, prom_tick, p);
	log_info("prometheus", "textfile %s, rewritten after every sweep",
	    path);
	return p;
}

struct prom *
prom_reconf(struct prom *p, struct ev *ev, struct store *s, struct work *io,
    const char *path)
{
	if (p != NULL && path != NULL && strcmp(p->path, path) == 0)
		return p;
	prom_free(p);
	return prom_new(ev, s, io, path);
}

void
prom_free(struct prom *p)
{
	if (p == NULL)
		return;
	ev_timer_del(p->ev, p->tick);
	/* a write in flight reports into nothing */
	if (p->busy != NULL)
		p->busy->p = NULL;
	free(p->path);
	free(p->tmp);
	free(p);
}
