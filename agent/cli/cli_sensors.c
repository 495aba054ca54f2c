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
#include "shape.h"

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

static void
print_text(const struct sensors_opts *o, const struct sensors *s)
{
	size_t i;

	for (i = 0; i < sensors_count(s); i++) {
		const struct sensors_item *it = sensors_get(s, i);

		if (sensors_selected(o, it))
			shape_sensor_text(stdout, it, o->verbose);
	}
}

static void
print_json(struct cli *c, const struct sensors_opts *o,
    const struct sensors *s)
{
	struct jsonw *j = &c->js;
	size_t i;

	jsonw_obj_begin(j, NULL);
	jsonw_arr_begin(j, "sensors");
	for (i = 0; i < sensors_count(s); i++) {
		const struct sensors_item *it = sensors_get(s, i);

		if (sensors_selected(o, it))
			shape_sensor_json(j, it, o->verbose);
	}
	jsonw_arr_end(j);
	jsonw_obj_end(j);
	jsonw_end(j);
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
	    "cache_loads=%u cache_rejects=%u walks=%u device_sdrs=%u "
	    "sdr_unused=%u\n", sweep,
	    b->devid - a->devid, b->guid - a->guid, b->info - a->info,
	    b->reserve - a->reserve, b->get_sdr - a->get_sdr,
	    y->reading - x->reading, y->thresholds - x->thresholds,
	    y->hysteresis - x->hysteresis, y->factors - x->factors,
	    b->disk_loads - a->disk_loads, b->disk_rejects - a->disk_rejects,
	    b->walks - a->walks, b->device_mode,
	    b->prefetch_unused - a->prefetch_unused);
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
