/*
 * bmcwatch sensors [-v] [--type T] [--name PATTERN] [--sdr-file FILE]
 *     [--sdr-cache DIR | --no-sdr-cache] [--severity-config FILE]
 *     [--sweeps N]
 * One line per sensor: name | reading | unit | state | events; -v adds
 * thresholds and hysteresis.  --json: {"sensors": [...]}.  --sweeps N
 * runs N sweeps on one session (the daemon's warm path) and prints the
 * last; --stats prints the requests of each sweep by command.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_sdr.h"
#include "evtext.h"
#include "sensors.h"
#include "severity.h"

#define SENSORS_WORDS_MAX	15

struct sensors_opts {
	int		 verbose;
	int		 type;		/* -1: any */
	const char	*name;
	const char	*sevfile;
	unsigned long	 sweeps;
};

struct sweep_wait {
	volatile int		done;
	enum sensors_err	err;
};

static void
sweep_done(void *arg, enum sensors_err e)
{
	struct sweep_wait *w = arg;

	w->err = e;
	w->done = 1;
}

static int
sensors_selected(const struct sensors_opts *o, const struct sensors_item *it)
{
	if (o->type >= 0 && it->sensor_type != o->type)
		return 0;
	if (o->name != NULL && fnmatch(o->name, it->name, 0) != 0)
		return 0;
	return 1;
}

static const char *const thr_keys[SDR_THR_N] = {
	"lnc", "lc", "lnr", "unc", "uc", "unr"
};

static void
print_text(const struct sensors_opts *o, const struct sensors *s)
{
	static const int order[SDR_THR_N] = { SDR_THR_LNR, SDR_THR_LC,
	    SDR_THR_LNC, SDR_THR_UNC, SDR_THR_UC, SDR_THR_UNR };
	const char *words[SENSORS_WORDS_MAX];
	char tmp[SENSORS_WORDS_MAX][16], unit[64], reading[32], note[160];
	size_t i, n, k;
	int t;

	for (i = 0; i < sensors_count(s); i++) {
		const struct sensors_item *it = sensors_get(s, i);

		if (!sensors_selected(o, it))
			continue;
		sensors_unit(it, unit, sizeof(unit));
		if (it->have_value)
			(void)snprintf(reading, sizeof(reading), "%.*f",
			    it->decimals, it->value);
		else if (!it->threshold && it->note == SENSORS_NOTE_NONE)
			(void)snprintf(reading, sizeof(reading), "discrete");
		else
			(void)snprintf(reading, sizeof(reading), "na");
		printf("%-16s | %-10s | %-10s | %-14s |", it->name, reading,
		    unit, sensor_sev_name(it->sev));
		n = sensors_events(it, words, tmp, SENSORS_WORDS_MAX);
		for (k = 0; k < n; k++)
			printf("%s %s", k ? "," : "", words[k]);
		if (it->note != SENSORS_NOTE_NONE) {
			sensors_note_text(it, note, sizeof(note));
			printf(" (%s)", note);
		}
		else if (it->events_disabled)
			printf(" (event messages disabled)");
		if (o->verbose && it->threshold && it->analog) {
			printf(" |");
			for (k = 0; k < SDR_THR_N; k++) {
				t = order[k];
				if (it->thr_mask & (1u << t))
					printf(" %s=%.*f", thr_keys[t],
					    it->decimals, it->thr[t]);
			}
			printf(" hyst=+%u/-%u", it->hyst_pos, it->hyst_neg);
			if (it->mismatch)
				printf(" (BMC state differs from thresholds)");
		}
		printf("\n");
	}
}

static void
print_json(struct cli *c, const struct sensors_opts *o,
    const struct sensors *s)
{
	struct json *j = &c->js;
	const char *words[SENSORS_WORDS_MAX];
	char tmp[SENSORS_WORDS_MAX][16], unit[64], ent[16], note[160];
	size_t i, n, k;

	json_obj_begin(j, NULL);
	json_arr_begin(j, "sensors");
	for (i = 0; i < sensors_count(s); i++) {
		const struct sensors_item *it = sensors_get(s, i);

		if (!sensors_selected(o, it))
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "name", it->name);
		json_int(j, "number", it->number);
		json_int(j, "owner", it->owner);
		json_int(j, "lun", it->lun);
		json_int(j, "record_id", it->record_id);
		json_str(j, "type", evtext_sensor_type(it->sensor_type));
		(void)snprintf(ent, sizeof(ent), "%u.%u",
		    (unsigned)it->entity_id,
		    (unsigned)(it->entity_instance & 0x7f));
		json_str(j, "entity", ent);
		if (it->have_value)
			json_num(j, "reading", it->value, it->decimals);
		else
			json_null(j, "reading");
		sensors_unit(it, unit, sizeof(unit));
		if (it->threshold && it->analog)
			json_str(j, "unit", unit);
		else
			json_null(j, "unit");
		/* how state and events read: comparison status or
		 * discrete offsets (event/reading type 01h or not) */
		json_str(j, "reading_type", it->threshold ? "threshold" :
		    "discrete");
		json_str(j, "state", sensor_sev_name(it->sev));
		/* the BMC's state bits (offsets 0-14; threshold sensors:
		 * comparison status), null without a reading */
		if (it->note == SENSORS_NOTE_NONE && it->nstates > 0)
			json_int(j, "state_bits", it->states);
		else
			json_null(j, "state_bits");
		json_arr_begin(j, "events");
		n = sensors_events(it, words, tmp, SENSORS_WORDS_MAX);
		for (k = 0; k < n; k++)
			json_str(j, NULL, words[k]);
		json_arr_end(j);
		json_obj_begin(j, "thresholds");
		for (k = 0; k < SDR_THR_N; k++)
			if (it->threshold && it->analog &&
			    (it->thr_mask & (1u << k)))
				json_num(j, thr_keys[k], it->thr[k],
				    it->decimals);
		json_obj_end(j);
		if (it->note != SENSORS_NOTE_NONE) {
			sensors_note_text(it, note, sizeof(note));
			json_str(j, "note", note);
		}
		else if (it->events_disabled)
			json_str(j, "note", "event messages disabled");
		else
			json_null(j, "note");
		if (o->verbose && it->threshold && it->analog) {
			json_arr_begin(j, "thresholds_settable");
			for (k = 0; k < SDR_THR_N; k++)
				if (SDR_THR_ACCESS(it->rec) == SDR_THRACC_SETTABLE &&
				    (SDR_THR_SETTABLE(it->rec) & (1u << k)))
					json_str(j, NULL, thr_keys[k]);
			json_arr_end(j);
			json_int(j, "hysteresis_positive", it->hyst_pos);
			json_int(j, "hysteresis_negative", it->hyst_neg);
			json_bool(j, "state_mismatch", it->mismatch);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_end(j);
}

static void
print_stats(unsigned sweep, const struct sdr_cache_stats *a,
    const struct sdr_cache_stats *b, const struct sensors_stats *x,
    const struct sensors_stats *y)
{
	fprintf(stderr, "bmcwatch: sweep %u stats: get_device_id=%u "
	    "get_guid=%u sdr_info=%u reserve_sdr=%u get_sdr=%u "
	    "get_sensor_reading=%u get_sensor_thresholds=%u "
	    "get_sensor_hysteresis=%u get_reading_factors=%u "
	    "cache_loads=%u cache_rejects=%u walks=%u device_sdrs=%u\n", sweep,
	    b->devid - a->devid, b->guid - a->guid, b->info - a->info,
	    b->reserve - a->reserve, b->get_sdr - a->get_sdr,
	    y->reading - x->reading, y->thresholds - x->thresholds,
	    y->hysteresis - x->hysteresis, y->factors - x->factors,
	    b->disk_loads - a->disk_loads, b->disk_rejects - a->disk_rejects,
	    b->walks - a->walks, b->device_mode);
}

int
cli_sensors(struct cli *c, int argc, char **argv)
{
	struct cli_sdr_opts so;
	struct sensors_opts o;
	struct sdr_cache *sc = NULL;
	struct severity *sev = NULL;
	struct sensors *s = NULL;
	struct sweep_wait w;
	char err[512], *end;
	int i, k, rc = CLI_OK;
	unsigned n;

	memset(&so, 0, sizeof(so));
	memset(&o, 0, sizeof(o));
	o.type = -1;
	o.sweeps = 1;
	o.verbose = c->verbose;
	for (i = 1; i < argc; i++) {
		if ((k = cli_sdr_opt("sensors", argc, argv, &i, &so)) < 0)
			return CLI_EUSAGE;
		if (k == 1)
			continue;
		if (strcmp(argv[i], "-v") == 0) {
			o.verbose++;
			continue;
		}
		if (i + 1 >= argc) {
			cli_usage_error("sensors", "unknown option '%s'",
			    argv[i]);
			return CLI_EUSAGE;
		}
		if (strcmp(argv[i], "--type") == 0) {
			const char *t = argv[++i];
			unsigned long v;

			v = strtoul(t, &end, 0);
			if (*t >= '0' && *t <= '9' && *end == '\0' && v <= 255)
				o.type = (int)v;
			else if ((o.type = evtext_sensor_type_parse(t)) < 0) {
				cli_usage_error("sensors", "unknown sensor "
				    "type '%s'", t);
				return CLI_EUSAGE;
			}
		} else if (strcmp(argv[i], "--name") == 0)
			o.name = argv[++i];
		else if (strcmp(argv[i], "--severity-config") == 0)
			o.sevfile = argv[++i];
		else if (strcmp(argv[i], "--sweeps") == 0) {
			const char *t = argv[++i];

			o.sweeps = strtoul(t, &end, 10);
			if (*t < '0' || *t > '9' || *end != '\0' ||
			    o.sweeps < 1 || o.sweeps > 1000) {
				cli_usage_error("sensors", "bad --sweeps '%s' "
				    "(1-1000)", t);
				return CLI_EUSAGE;
			}
		} else {
			cli_usage_error("sensors", "unknown option '%s'",
			    argv[i]);
			return CLI_EUSAGE;
		}
	}
	sev = severity_new();
	if (o.sevfile != NULL && severity_load(sev, o.sevfile, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		severity_free(sev);
		return CLI_EUSAGE;
	}
	if ((sc = cli_sdr_cache(c, &so, &rc)) == NULL) {
		severity_free(sev);
		return rc;
	}
	s = sensors_new(c->ev, c->conn, sc, sev);
	for (n = 1; n <= o.sweeps; n++) {
		struct sdr_cache_stats a = *sdr_cache_stats(sc);
		struct sensors_stats x = *sensors_stats(s);

		memset(&w, 0, sizeof(w));
		(void)sensors_sweep(s, sweep_done, &w);
		cli_sdr_wait(c, &w.done);
		if (c->stats)
			print_stats(n, &a, sdr_cache_stats(sc), &x,
			    sensors_stats(s));
		if (w.err != SENSORS_OK) {
			fprintf(stderr, "bmcwatch: %s: sensors: %s\n",
			    ipmi_tr_peer(conn_tr(c->conn)), sensors_detail(s));
			rc = w.err == SENSORS_E_TRANSPORT ? CLI_ETRANSPORT :
			    CLI_ECCODE;
			break;
		}
	}
	if (rc == CLI_OK) {
		if (c->json)
			print_json(c, &o, s);
		else
			print_text(&o, s);
	}
	sensors_free(s);
	sdr_cache_free(sc);
	severity_free(sev);
	return rc;
}
