/*
 * check_bmc_agent: bmcwatchd itself: it answers, every target (or the
 * one --target names) is reachable, and its sensor data are fresh.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"

#define LABEL	"BMC AGENT"

static const char usage[] =
"Usage: check_bmc_agent [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [--max-age SECONDS] [-t SECONDS] [--stale-critical] [-v]\n"
"\n"
"OK when the daemon answers and every target is up with its last\n"
"success younger than --max-age (default 300 s).  CRITICAL: a target is\n"
"unreachable; WARNING: a target not reached yet (starting, resolving),\n"
"or its last success older than --max-age.  No daemon: UNKNOWN\n"
"(CRITICAL with --stale-critical).\n"
"      --max-age SECONDS  the oldest acceptable last success\n";

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "max-age", required_argument, NULL, 1000 },
		{ NULL, 0, NULL, 0 }
	};
	struct psrc_opts o;
	struct psrc src;
	struct np_out out;
	struct pjson *doc = NULL;
	const struct pjson *l;
	unsigned long max_age = 300;
	size_t i, n = 0, nup = 0, off;
	char bad[1024] = "";
	double zero = 0;

	psrc_opts_init(&o, LABEL);
	while (psrc_getopt(&o, argc, argv, "", longopts,
	    "check_bmc_agent", usage) != -1) {
		/* its one option: --max-age */
		max_age = psrc_uint(&o, "--max-age", optarg, 1, 86400 * 30);
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_TARGETS, &out, &doc) != 0) {
		/* no daemon is this check's CRITICAL with --stale-critical,
		 * as psrc_fetch says; a refused --target is UNKNOWN */
		goto done;
	}
	l = pjson_get(doc, "targets");
	for (i = 0; i < pjson_len(l); i++) {
		const struct pjson *t = pjson_at(l, i);
		const char *name = pjson_str(t, "name", "?");
		const char *state = pjson_str(t, "state", "?");
		const char *err = pjson_str(t, "last_error", NULL);
		double age = -1;
		enum np_state st = NP_OK;
		char line[400];

		n++;
		(void)pjson_has_num(t, "last_success_age_s", &age);
		if (strcmp(state, "unreachable") == 0)
			st = NP_CRITICAL;
		else if (strcmp(state, "up") != 0 || age < 0 ||
		    age > (double)max_age)
			st = NP_WARNING;
		else
			nup++;
		if (age >= 0)
			(void)snprintf(line, sizeof(line), "%s %s, last "
			    "success %.1f s ago%s%s", name, state, age,
			    err ? ": " : "", err ? err : "");
		else
			(void)snprintf(line, sizeof(line), "%s %s, never "
			    "reached%s%s", name, state, err ? ": " : "",
			    err ? err : "");
		if (st != NP_OK || o.verbose)
			fprintf(out.lng, "%s: %s\n", np_state_name(st), line);
		if (st != NP_OK) {
			off = strlen(bad);
			(void)snprintf(bad + off, sizeof(bad) - off, "%s%s",
			    off ? ", " : ": ", line);
		}
		out.state = np_worst(out.state, st);
	}
	if (n == 0) {
		out.state = NP_UNKNOWN;
		np_out_summary(&out, "bmcwatchd watches no target%s%s",
		    o.target ? " named " : "", o.target ? o.target : "");
		goto done;
	}
	np_out_summary(&out, "bmcwatchd: %zu of %zu target%s up%s", nup, n,
	    n == 1 ? "" : "s", bad);
	np_perf(out.perf, "targets", (double)n, 0, NULL, NULL, NULL, &zero,
	    NULL);
	np_perf(out.perf, "up", (double)nup, 0, NULL, NULL, NULL, &zero,
	    NULL);
done:
	pjson_free(doc);
	psrc_close(&src);
	return np_out_finish(&out, LABEL);
}
