/*
 * check_bmc_console: the serial consoles bmcwatchd logs (a target's sol
 * block): a console event (a pattern such as "Kernel panic" matched a
 * line) younger than --max-age, the console not connected, its log not
 * written.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"

#define LABEL	"BMC CONSOLE"

static const char usage[] =
"Usage: check_bmc_console [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [--max-age SECONDS] [--disconnected-ok] [-t SECONDS]\n"
"  [--stale-critical] [-v]\n"
"\n"
"The serial consoles (SOL) bmcwatchd logs.  CRITICAL: a console event\n"
"(a line matched one of the target's patterns) younger than --max-age\n"
"(default 3600 s): its pattern and line are shown.  WARNING: a console\n"
"is not connected (unless --disconnected-ok), or the disk refuses its\n"
"log.  Targets without a sol block are not counted; none at all is\n"
"UNKNOWN.  No daemon: UNKNOWN (CRITICAL with --stale-critical).\n"
"      --max-age SECONDS   how long a console event stays CRITICAL\n"
"      --disconnected-ok   a console not connected is no warning\n";

/* one target's console: its state, and a line for the output */
static enum np_state
console_check(const struct pjson *t, const struct pjson *c,
    unsigned long max_age, int disc_ok, char *line, size_t len)
{
	const char *name = pjson_str(t, "name", "?");
	double age = -1;

	if (pjson_has_num(c, "last_event_age_s", &age) && age >= 0 &&
	    age <= (double)max_age) {
		(void)snprintf(line, len, "%s: console event %.0f s ago, "
		    "pattern \"%s\": %s", name, age,
		    pjson_str(c, "last_event_rule", "?"),
		    pjson_str(c, "last_event_text", ""));
		return NP_CRITICAL;
	}
	if (pjson_bool(c, "log_failing", 0)) {
		(void)snprintf(line, len, "%s: the console log is not written: "
		    "%s", name, pjson_str(c, "log_error", "?"));
		return NP_WARNING;
	}
	if (!pjson_bool(c, "connected", 0)) {
		(void)snprintf(line, len, "%s: console not connected: %s",
		    name, pjson_str(c, "state", "?"));
		return disc_ok ? NP_OK : NP_WARNING;
	}
	(void)snprintf(line, len, "%s: console %s", name,
	    pjson_str(c, "state", "connected"));
	return NP_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "max-age", required_argument, NULL, 1000 },
		{ "disconnected-ok", no_argument, NULL, 1001 },
		{ NULL, 0, NULL, 0 }
	};
	struct psrc_opts o;
	struct psrc src;
	struct np_out out;
	struct pjson *doc = NULL;
	const struct pjson *l;
	unsigned long max_age = 3600;
	size_t i, n = 0, nev = 0, off;
	char bad[1024] = "", label[200];
	int ch, disc_ok = 0;
	double zero = 0;

	psrc_opts_init(&o, LABEL);
	while ((ch = psrc_getopt(&o, argc, argv, "", longopts,
	    "check_bmc_console", usage)) != -1) {
		if (ch == 1000)
			max_age = psrc_uint(&o, "--max-age", optarg, 1,
			    86400 * 365);
		else	/* 1001 */
			disc_ok = 1;
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_TARGETS, &out, &doc) != 0)
		goto done;
	l = pjson_get(doc, "targets");
	for (i = 0; i < pjson_len(l); i++) {
		const struct pjson *t = pjson_at(l, i);
		const struct pjson *c = pjson_get(t, "console");
		enum np_state st;
		char line[600];

		if (c == NULL || pjson_get(c, "connected") == NULL)
			continue;	/* no sol block (null) */
		n++;
		st = console_check(t, c, max_age, disc_ok, line, sizeof(line));
		nev += st == NP_CRITICAL;
		if (st != NP_OK || o.verbose)
			fprintf(out.lng, "%s: %s\n", np_state_name(st), line);
		if (st != NP_OK) {
			off = strlen(bad);
			(void)snprintf(bad + off, sizeof(bad) - off, "%s%s",
			    off ? "; " : ": ", line);
		}
		out.state = np_worst(out.state, st);
		(void)snprintf(label, sizeof(label), "%s events",
		    pjson_str(t, "name", "?"));
		np_perf(out.perf, label, pjson_num(c, "events", 0), 0, "c",
		    NULL, NULL, &zero, NULL);
		(void)snprintf(label, sizeof(label), "%s gaps",
		    pjson_str(t, "name", "?"));
		np_perf(out.perf, label, pjson_num(c, "gaps", 0), 0, "c",
		    NULL, NULL, &zero, NULL);
	}
	if (n == 0) {
		out.state = NP_UNKNOWN;
		np_out_summary(&out, "no console logged by bmcwatchd%s%s (a "
		    "sol block in the target)", o.target ? " for " : "",
		    o.target ? o.target : "");
		goto done;
	}
	np_out_summary(&out, "%zu console%s, %zu with a recent event%s", n,
	    n == 1 ? "" : "s", nev, bad);
done:
	pjson_free(doc);
	psrc_close(&src);
	return np_out_finish(&out, LABEL);
}
