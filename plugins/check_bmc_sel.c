/*
 * check_bmc_sel: the BMC's System Event Log as bmcwatchd keeps it.
 * Alarms on open problems: asserted events without their deassertion,
 * not acknowledged (bmcwatch sel ack), and younger than --max-age; the
 * worst event severity picks WARNING or CRITICAL.  The SEL's fullness
 * against -w/-c ranges on the percentage used; an overflowed SEL (events
 * lost) is WARNING.  A problem that went away clears on its own: no
 * "clear the log by hand" to get green again.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"

#define LABEL		"BMC SEL"
#define SUMMARY_ITEMS	3

static const char usage[] =
"Usage: check_bmc_sel [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [--max-age SECONDS] [-w RANGE] [-c RANGE] [--info-warning]\n"
"  [-t SECONDS] [--stale-critical] [-v]\n"
"\n"
"Open problems (asserted, not deasserted, not acknowledged) decide the\n"
"state by their severity; the SEL's use by -w/-c.\n"
"      --max-age SECONDS  ignore open problems older than this (by the\n"
"                         BMC's timestamp; 0, the default: none is too\n"
"                         old)\n"
"  -w, --warning RANGE    WARNING when the percentage used is outside\n"
"                         RANGE (e.g. 80 or ~:80)\n"
"  -c, --critical RANGE   the same for CRITICAL\n"
"      --info-warning     open problems of severity info are WARNING\n"
"                         (default: listed, but OK)\n";

enum {
	OPT_MAX_AGE = 1000,
	OPT_INFO_WARNING
};

/* seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ", or -1 */
static long long
iso_time(const char *s)
{
	struct tm tm;
	const char *e;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (e == NULL || *e != '\0')
		return -1;
	return (long long)timegm(&tm);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "max-age", required_argument, NULL, OPT_MAX_AGE },
		{ "warning", required_argument, NULL, 'w' },
		{ "critical", required_argument, NULL, 'c' },
		{ "info-warning", no_argument, NULL, OPT_INFO_WARNING },
		{ NULL, 0, NULL, 0 }
	};
	struct psrc_opts o;
	struct psrc src;
	struct np_out out;
	struct np_range wr, cr;
	struct pjson *info = NULL, *open = NULL;
	const struct pjson *list;
	char err[160], ws[64] = "", cs[64] = "", items[1024] = "";
	unsigned long max_age = 0;
	int ch, have_w = 0, have_c = 0, info_warning = 0;
	size_t i, nopen = 0, nold = 0, nshown = 0;
	double pct = -1, entries, free_b, zero = 0, hundred = 100;
	long long now = (long long)time(NULL);

	psrc_opts_init(&o, LABEL);
	while ((ch = psrc_getopt(&o, argc, argv, "w:c:", longopts,
	    "check_bmc_sel", usage)) != -1) {
		switch (ch) {
		case OPT_MAX_AGE:
			max_age = psrc_uint(&o, "--max-age", optarg, 0,
			    10UL * 365 * 86400);
			break;
		case 'w':
			if (np_range_parse(optarg, &wr, err, sizeof(err)) != 0)
				psrc_die(&o, "-w: %s", err);
			np_range_str(&wr, ws, sizeof(ws));
			have_w = 1;
			break;
		case 'c':
			if (np_range_parse(optarg, &cr, err, sizeof(err)) != 0)
				psrc_die(&o, "-c: %s", err);
			np_range_str(&cr, cs, sizeof(cs));
			have_c = 1;
			break;
		case OPT_INFO_WARNING:
			info_warning = 1;
			break;
		}
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_SEL_INFO, &out, &info) != 0 ||
	    psrc_fetch(&src, PSRC_SEL_OPEN, &out, &open) != 0)
		goto done;
	list = pjson_get(open, "entries");
	if (list == NULL || list->type != PJSON_ARR) {
		out.state = NP_UNKNOWN;
		np_out_summary(&out, "the answer has no entry list");
		goto done;
	}
	/* open problems, newest last */
	for (i = 0; i < pjson_len(list); i++) {
		const struct pjson *e = pjson_at(list, i);
		const char *sev = pjson_str(e, "severity", "info");
		const char *sensor = pjson_str(e, "sensor", NULL);
		const char *ts = pjson_str(e, "timestamp", NULL);
		long long t = iso_time(ts);
		enum np_state st = NP_OK;
		char line[400];
		size_t off;

		if (pjson_bool(e, "acknowledged", 0))
			continue;
		if (max_age > 0 && t >= 0 && now - t > (long long)max_age) {
			nold++;
			continue;
		}
		nopen++;
		if (strcmp(sev, "critical") == 0)
			st = NP_CRITICAL;
		else if (strcmp(sev, "warning") == 0 || info_warning)
			st = NP_WARNING;
		out.state = np_worst(out.state, st);
		(void)snprintf(line, sizeof(line), "#%d %s%s%s (%s, %s)",
		    (int)pjson_num(e, "record_id", 0), sensor ? sensor : "",
		    sensor ? ": " : "", pjson_str(e, "event", "?"),
		    sev, ts != NULL ? ts : "no timestamp");
		fprintf(out.lng, "%s: %s\n", np_state_name(st), line);
		if (nshown < SUMMARY_ITEMS) {
			off = strlen(items);
			(void)snprintf(items + off, sizeof(items) - off,
			    "%s%s", nshown ? ", " : "", line);
			nshown++;
		}
	}
	entries = pjson_num(info, "entries", 0);
	free_b = pjson_num(info, "free_bytes", 0);
	if (pjson_has_num(info, "percent_used", &pct)) {
		if (have_c && np_range_alert(&cr, pct))
			out.state = np_worst(out.state, NP_CRITICAL);
		else if (have_w && np_range_alert(&wr, pct))
			out.state = np_worst(out.state, NP_WARNING);
	}
	if (pjson_bool(info, "overflow", 0)) {
		out.state = np_worst(out.state, NP_WARNING);
		fprintf(out.lng, "WARNING: the SEL overflowed: events were "
		    "lost\n");
	}
	{
		char use[96];

		if (pct >= 0)
			(void)snprintf(use, sizeof(use), "SEL %.0f%% used "
			    "(%.0f entries)", pct, entries);
		else
			(void)snprintf(use, sizeof(use), "%.0f entries",
			    entries);
		if (nopen == 0)
			np_out_summary(&out, "no open problems%s; %s%s",
			    nold ? " (older ones ignored)" : "", use,
			    pjson_bool(info, "overflow", 0) ?
			    "; overflow" : "");
		else
			np_out_summary(&out, "%zu open problem%s: %s%s; %s%s",
			    nopen, nopen == 1 ? "" : "s", items,
			    nopen > nshown ? ", ..." : "", use,
			    pjson_bool(info, "overflow", 0) ?
			    "; overflow" : "");
	}
	if (o.verbose)
		fprintf(out.lng, "SEL: %.0f entries, %.0f bytes free, last "
		    "added %s\n", entries, free_b, pjson_str(info, "last_add",
		    "never"));
	np_perf(out.perf, "entries", entries, 0, NULL, NULL, NULL, &zero,
	    NULL);
	np_perf(out.perf, "open", (double)nopen, 0, NULL, NULL, NULL, &zero,
	    NULL);
	if (pct >= 0)
		np_perf(out.perf, "used", pct, 0, "%", ws, cs, &zero,
		    &hundred);
	np_perf(out.perf, "free", free_b, 0, "B", NULL, NULL, &zero, NULL);
done:
	pjson_free(info);
	pjson_free(open);
	psrc_close(&src);
	return np_out_finish(&out, LABEL);
}
