/*
 * check_bmc_sensors: the BMC's sensors as bmcwatchd last read them.
 * Each sensor's state is the daemon's severity (agent/bmc/severity.c:
 * the BMC's threshold comparison and discrete offsets through the
 * severity table), unless -w/-c ranges override it for analog sensors.
 * Perfdata: every analog sensor, warn/crit from the BMC's non-critical
 * and critical thresholds (or the -w/-c ranges).
 */
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"
#include "xmem.h"

#define LABEL		"BMC SENSORS"
#define PATTERNS_MAX	64
#define SUMMARY_ITEMS	5

static const char usage[] =
"Usage: check_bmc_sensors [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [-T TYPE]... [-X TYPE]... [-n GLOB]... [-x GLOB]...\n"
"  [-w [GLOB=]RANGE]... [-c [GLOB=]RANGE]... [--ignore-entity-absent]\n"
"  [--extended-units] [-t SECONDS] [--stale-critical] [-v]\n"
"\n"
"The sensors' states as the daemon judged them (its severity table),\n"
"worst first.  Filters:\n"
"  -T, --type TYPE        only sensors of this type (Temperature, Fan,\n"
"                         Voltage, Current, \"Power Supply\" ...; repeat)\n"
"  -X, --exclude-type TYPE   leave this type out (repeat)\n"
"  -n, --name GLOB        only sensors whose name matches (repeat)\n"
"  -x, --exclude GLOB     leave these out (repeat)\n"
"  -w, --warning [GLOB=]RANGE   a WARNING range for the analog sensors\n"
"                         matching GLOB (all of them without GLOB=); it\n"
"                         replaces the daemon's verdict and the perfdata\n"
"                         warn of those sensors.  RANGE: 10, 10:, ~:10,\n"
"                         10:20, @10:20 (Monitoring Plugins syntax)\n"
"  -c, --critical [GLOB=]RANGE  the same for CRITICAL\n"
"      --ignore-entity-absent   skip sensors whose reading the BMC marks\n"
"                         unavailable (an absent CPU, PSU, DIMM ...)\n"
"      --extended-units   perfdata units C, V, A, W (Icinga 2 knows\n"
"                         them; the plain guidelines allow none)\n";

struct override {
	const char	*glob;		/* NULL: every sensor */
	struct np_range	 r;
	char		 text[64];
};

struct cfg {
	const char	*types[PATTERNS_MAX];
	size_t		 ntypes;
	const char	*xtypes[PATTERNS_MAX];
	size_t		 nxtypes;
	const char	*names[PATTERNS_MAX];
	size_t		 nnames;
	const char	*xnames[PATTERNS_MAX];
	size_t		 nxnames;
	struct override	 warn[PATTERNS_MAX];
	size_t		 nwarn;
	struct override	 crit[PATTERNS_MAX];
	size_t		 ncrit;
	int		 ignore_absent;
	int		 ext_units;
};

enum {
	OPT_IGNORE_ABSENT = 1000,
	OPT_EXT_UNITS
};

static void
add_pattern(const struct psrc_opts *o, const char **v, size_t *n,
    const char *opt, const char *arg)
{
	if (*n == PATTERNS_MAX)
		psrc_die(o, "%s: more than %d given", opt, PATTERNS_MAX);
	v[(*n)++] = arg;
}

static void
add_override(const struct psrc_opts *o, struct override *v, size_t *n,
    const char *opt, char *arg)
{
	char err[160], *eq = strrchr(arg, '=');
	struct override *ov;

	if (*n == PATTERNS_MAX)
		psrc_die(o, "%s: more than %d given", opt, PATTERNS_MAX);
	ov = &v[(*n)++];
	ov->glob = NULL;
	if (eq != NULL) {
		*eq = '\0';
		ov->glob = arg;
		arg = eq + 1;
	}
	if (np_range_parse(arg, &ov->r, err, sizeof(err)) != 0)
		psrc_die(o, "%s: %s", opt, err);
	np_range_str(&ov->r, ov->text, sizeof(ov->text));
}

static int
match_any(const char *const *pat, size_t n, const char *s, int casefold)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (casefold ? strcasecmp(pat[i], s) == 0 :
		    fnmatch(pat[i], s, 0) == 0)
			return 1;
	return 0;
}

/* the last override matching the sensor, or NULL */
static const struct override *
find_override(const struct override *v, size_t n, const char *name)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (v[i].glob == NULL || fnmatch(v[i].glob, name, 0) == 0)
			return &v[i];
	return NULL;
}

/* the unit in text ("C", "RPM", "V") and in perfdata (NULL or an
 * allowed UOM) */
static void
units(const char *unit, int ext, const char **text, const char **uom)
{
	static const struct {
		const char *bmc, *text, *uom;
	} tab[] = {
		{ "degrees C", "C", "C" },
		{ "degrees F", "F", NULL },
		{ "Volts", "V", "V" },
		{ "Amps", "A", "A" },
		{ "Watts", "W", "W" },
		{ "RPM", "RPM", NULL },
		{ "percent", "%", "%" },
	};
	size_t i;

	*text = unit != NULL ? unit : "";
	*uom = NULL;
	for (i = 0; unit != NULL && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(unit, tab[i].bmc) == 0) {
			*text = tab[i].text;
			/* % is in the plain guidelines; the rest Icinga 2's */
			if (tab[i].uom != NULL && (ext ||
			    strcmp(tab[i].uom, "%") == 0))
				*uom = tab[i].uom;
		}
}

static enum np_state
sev_state(const char *sev)
{
	if (strcmp(sev, "ok") == 0)
		return NP_OK;
	if (strcmp(sev, "warning") == 0)
		return NP_WARNING;
	if (strcmp(sev, "critical") == 0 || strcmp(sev, "nonrecoverable") == 0)
		return NP_CRITICAL;
	return NP_UNKNOWN;
}

/* "lnc..unc" style perfdata range from two thresholds, NULL-able */
static void
thr_range(const struct pjson *thr, const char *lo, const char *hi,
    int decimals, char *out, size_t len)
{
	double l, h;
	int hl = pjson_has_num(thr, lo, &l), hh = pjson_has_num(thr, hi, &h);
	char a[48], b[48];

	np_num(l, decimals, a, sizeof(a));
	np_num(h, decimals, b, sizeof(b));
	if (hl && hh)
		(void)snprintf(out, len, "%s:%s", a, b);
	else if (hl)
		(void)snprintf(out, len, "%s:", a);
	else if (hh)
		(void)snprintf(out, len, "~:%s", b);
	else
		out[0] = '\0';
}

/* the threshold the reading is past, worst first: "(lc 700)" */
static void
crossed(const struct pjson *thr, double v, int decimals, char *out,
    size_t len)
{
	static const char *const lo[] = { "lnr", "lc", "lnc" };
	static const char *const hi[] = { "unr", "uc", "unc" };
	char num[48];
	double t;
	size_t i;

	out[0] = '\0';
	for (i = 0; i < 3; i++) {
		if (pjson_has_num(thr, lo[i], &t) && v <= t) {
			np_num(t, decimals, num, sizeof(num));
			(void)snprintf(out, len, " (%s %s)", lo[i], num);
			return;
		}
		if (pjson_has_num(thr, hi[i], &t) && v >= t) {
			np_num(t, decimals, num, sizeof(num));
			(void)snprintf(out, len, " (%s %s)", hi[i], num);
			return;
		}
	}
}

struct tally {
	size_t	 n[4];
	FILE	*items[4];		/* summary text per state */
	char	*buf[4];
	size_t	 len[4];
};

static int
check(const struct cfg *cfg, const struct psrc_opts *o, struct pjson *doc,
    struct np_out *out)
{
	const struct pjson *list = pjson_get(doc, "sensors");
	struct tally t;
	size_t i, shown = 0, k;
	static const enum np_state order[] = { NP_CRITICAL, NP_WARNING,
	    NP_UNKNOWN };
	static const char *const word[] = { "ok", "warning", "critical",
	    "unknown" };
	FILE *sum;
	char *sumbuf = NULL;
	size_t sumlen = 0;

	if (list == NULL || list->type != PJSON_ARR) {
		out->state = NP_UNKNOWN;
		np_out_summary(out, "the answer has no sensor list");
		return -1;
	}
	memset(&t, 0, sizeof(t));
	for (k = 0; k < 4; k++)
		t.items[k] = open_memstream(&t.buf[k], &t.len[k]);
	for (i = 0; i < pjson_len(list); i++) {
		const struct pjson *s = pjson_at(list, i), *thr;
		const char *name = pjson_str(s, "name", "?");
		const char *type = pjson_str(s, "type", "");
		const char *sev = pjson_str(s, "state", "unavailable");
		const char *note = pjson_str(s, "note", NULL);
		const char *utext, *uom;
		const struct override *w, *c;
		const struct pjson *ev;
		enum np_state st;
		char why[160], wr[128], cr[128], line[512];
		double v = 0;
		int have, dec, analog;
		size_t e;

		if (cfg->ntypes && !match_any(cfg->types, cfg->ntypes, type, 1))
			continue;
		if (match_any(cfg->xtypes, cfg->nxtypes, type, 1))
			continue;
		if (cfg->nnames && !match_any(cfg->names, cfg->nnames, name, 0))
			continue;
		if (match_any(cfg->xnames, cfg->nxnames, name, 0))
			continue;
		have = pjson_has_num(s, "reading", &v);
		analog = have && pjson_get(s, "unit") != NULL &&
		    pjson_get(s, "unit")->type == PJSON_STR;
		if (cfg->ignore_absent && !have && note != NULL &&
		    strcmp(note, "reading unavailable") == 0)
			continue;
		thr = pjson_get(s, "thresholds");
		/* np_num drops trailing zeros: 6 shows what the daemon
		 * wrote (it rounds to the sensor's resolution) */
		dec = 6;
		units(pjson_str(s, "unit", NULL), cfg->ext_units, &utext, &uom);
		st = sev_state(sev);
		why[0] = '\0';
		w = analog ? find_override(cfg->warn, cfg->nwarn, name) : NULL;
		c = analog ? find_override(cfg->crit, cfg->ncrit, name) : NULL;
		if (w != NULL || c != NULL) {
			st = NP_OK;
			if (c != NULL && np_range_alert(&c->r, v)) {
				st = NP_CRITICAL;
				(void)snprintf(why, sizeof(why), " (-c %s)",
				    c->text);
			} else if (w != NULL && np_range_alert(&w->r, v)) {
				st = NP_WARNING;
				(void)snprintf(why, sizeof(why), " (-w %s)",
				    w->text);
			}
		} else if (analog)
			crossed(thr, v, dec, why, sizeof(why));
		/* the item in words */
		if (analog) {
			char num[48];

			np_num(v, dec, num, sizeof(num));
			(void)snprintf(line, sizeof(line), "%s %s%s%s%s", name,
			    num, utext[0] ? " " : "", utext, why);
		} else {
			size_t off;

			(void)snprintf(line, sizeof(line), "%s", name);
			ev = pjson_get(s, "events");
			for (e = 0; e < pjson_len(ev); e++) {
				const struct pjson *x = pjson_at(ev, e);

				off = strlen(line);
				if (x->type == PJSON_STR)
					(void)snprintf(line + off,
					    sizeof(line) - off, "%s%s",
					    e ? ", " : ": ", x->str);
			}
			if (note != NULL) {
				off = strlen(line);
				(void)snprintf(line + off, sizeof(line) - off,
				    " (%s)", note);
			}
		}
		t.n[st]++;
		if (st != NP_OK && t.n[st] <= SUMMARY_ITEMS)
			fprintf(t.items[st], "%s%s", t.n[st] > 1 ? ", " : "",
			    line);
		if (st != NP_OK || o->verbose)
			fprintf(out->lng, "%s: %s\n", np_state_name(st), line);
		out->state = np_worst(out->state, st);
		shown++;
		/* perfdata: analog sensors */
		if (!analog)
			continue;
		if (w != NULL)
			(void)snprintf(wr, sizeof(wr), "%s", w->text);
		else
			thr_range(thr, "lnc", "unc", dec, wr, sizeof(wr));
		if (c != NULL)
			(void)snprintf(cr, sizeof(cr), "%s", c->text);
		else
			thr_range(thr, "lc", "uc", dec, cr, sizeof(cr));
		np_perf(out->perf, name, v, dec, uom, wr, cr, NULL, NULL);
	}
	if (shown == 0) {
		out->state = NP_UNKNOWN;
		np_out_summary(out, "no sensor matches the filters (%zu "
		    "sensors)", pjson_len(list));
		goto done;
	}
	if ((sum = open_memstream(&sumbuf, &sumlen)) == NULL)
		goto done;
	if (out->state == NP_OK)
		fprintf(sum, "%zu sensors ok", shown);
	for (k = 0; k < 3; k++) {
		enum np_state st = order[k];

		(void)fflush(t.items[st]);
		if (t.n[st] == 0)
			continue;
		if (ftell(sum) > 0)
			fprintf(sum, "; ");
		if (st == out->state)
			fprintf(sum, "%zu of %zu sensors %s: %s%s", t.n[st],
			    shown, word[st], t.buf[st], t.n[st] >
			    SUMMARY_ITEMS ? ", ..." : "");
		else
			fprintf(sum, "%zu %s: %s%s", t.n[st], word[st],
			    t.buf[st], t.n[st] > SUMMARY_ITEMS ? ", ..." : "");
	}
	(void)fclose(sum);
	np_out_summary(out, "%s", sumbuf);
	free(sumbuf);
done:
	for (k = 0; k < 4; k++) {
		(void)fclose(t.items[k]);
		free(t.buf[k]);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "type", required_argument, NULL, 'T' },
		{ "exclude-type", required_argument, NULL, 'X' },
		{ "name", required_argument, NULL, 'n' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "warning", required_argument, NULL, 'w' },
		{ "critical", required_argument, NULL, 'c' },
		{ "ignore-entity-absent", no_argument, NULL,
		    OPT_IGNORE_ABSENT },
		{ "extended-units", no_argument, NULL, OPT_EXT_UNITS },
		{ NULL, 0, NULL, 0 }
	};
	struct psrc_opts o;
	struct cfg *cfg = xcalloc(1, sizeof(*cfg));
	struct psrc src;
	struct np_out out;
	struct pjson *doc = NULL;
	int ch;

	psrc_opts_init(&o, LABEL);
	while ((ch = psrc_getopt(&o, argc, argv, "T:X:n:x:w:c:", longopts,
	    "check_bmc_sensors", usage)) != -1) {
		switch (ch) {
		case 'T':
			add_pattern(&o, cfg->types, &cfg->ntypes, "-T", optarg);
			break;
		case 'X':
			add_pattern(&o, cfg->xtypes, &cfg->nxtypes, "-X",
			    optarg);
			break;
		case 'n':
			add_pattern(&o, cfg->names, &cfg->nnames, "-n", optarg);
			break;
		case 'x':
			add_pattern(&o, cfg->xnames, &cfg->nxnames, "-x",
			    optarg);
			break;
		case 'w':
			add_override(&o, cfg->warn, &cfg->nwarn, "-w", optarg);
			break;
		case 'c':
			add_override(&o, cfg->crit, &cfg->ncrit, "-c", optarg);
			break;
		case OPT_IGNORE_ABSENT:
			cfg->ignore_absent = 1;
			break;
		case OPT_EXT_UNITS:
			cfg->ext_units = 1;
			break;
		}
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_SENSORS, &out, &doc) == 0)
		(void)check(cfg, &o, doc, &out);
	pjson_free(doc);
	psrc_close(&src);
	free(cfg);
	return np_out_finish(&out, LABEL);
}
