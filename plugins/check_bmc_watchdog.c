/*
 * check_bmc_watchdog: the BMC watchdog timer and bmcwatchd's heartbeat.
 * OK when the timer is armed as the daemon's watchdog block says (or,
 * without one, as --expect says), the last reset is younger than twice
 * its interval, the timer has not expired since the daemon started (the
 * daemon counts each expiry it sees: a new expiration flag, or the timer
 * stopped at zero), and no health check holds the resets back.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"

#define LABEL	"BMC WATCHDOG"

static const char usage[] =
"Usage: check_bmc_watchdog [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [--expect armed|stopped|any] [-t SECONDS] [--stale-critical] [-v]\n"
"\n"
"CRITICAL: the heartbeat stopped (no reset for twice its interval), a\n"
"health check holds the resets back (the BMC will act), the timer has\n"
"expired since the daemon started (a restart of the daemon, after\n"
"`bmcwatch watchdog clear', makes it OK), or it runs while --expect stopped\n"
"or is stopped while the daemon's watchdog block (or --expect armed)\n"
"wants it armed.  WARNING: the daemon refused to take over a watchdog\n"
"owned by something else.\n"
"      --expect STATE     without a watchdog block in the daemon's\n"
"                         configuration: armed, stopped or any (default)\n";

/* the targets entry of the target the watchdog answer names */
static const struct pjson *
find_target(const struct pjson *targets, const char *name)
{
	const struct pjson *l = pjson_get(targets, "targets");
	size_t i;

	for (i = 0; i < pjson_len(l); i++)
		if (strcmp(pjson_str(pjson_at(l, i), "name", ""), name) == 0)
			return pjson_at(l, i);
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "expect", required_argument, NULL, 1000 },
		{ NULL, 0, NULL, 0 }
	};
	struct psrc_opts o;
	struct psrc src;
	struct np_out out;
	struct pjson *wdt = NULL, *targets = NULL;
	const struct pjson *t, *hb, *flags;
	const char *expect = "any", *hbstate = NULL;
	char words[600] = "";
	size_t i, off;
	int running;
	double age = -1, interval = 0, zero = 0, nexp;

	psrc_opts_init(&o, LABEL);
	while (psrc_getopt(&o, argc, argv, "", longopts,
	    "check_bmc_watchdog", usage) != -1) {
		/* its one option: --expect */
		if (strcmp(optarg, "armed") != 0 && strcmp(optarg,
		    "stopped") != 0 && strcmp(optarg, "any") != 0)
			psrc_die(&o, "--expect: '%s': armed, stopped or any",
			    optarg);
		expect = optarg;
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_WATCHDOG, &out, &wdt) != 0 ||
	    psrc_fetch(&src, PSRC_TARGETS, &out, &targets) != 0)
		goto done;
	running = pjson_bool(wdt, "running", 0);
	t = find_target(targets, pjson_str(wdt, "target", ""));
	hb = pjson_get(t, "heartbeat");
	if (hb != NULL && hb->type != PJSON_OBJ)
		hb = NULL;
	/* the timer */
	(void)snprintf(words, sizeof(words), "timer %s (%s, action %s)",
	    running ? "running" : "stopped", pjson_str(wdt, "timer_use_text",
	    "?"), pjson_str(wdt, "action_text", "?"));
	/* an expiry since the daemon started (it counts each one it
	 * sees); flags left from before are only reported */
	flags = pjson_get(wdt, "expiration_flags");
	nexp = pjson_num(wdt, "expiries", 0);
	if (nexp > 0) {
		out.state = NP_CRITICAL;
		fprintf(out.lng, "CRITICAL: the timer expired %.0f time%s "
		    "since the daemon started, last at %s (expiration "
		    "flags: ", nexp, nexp == 1 ? "" : "s",
		    pjson_str(wdt, "last_expiry", "?"));
		off = strlen(words);
		(void)snprintf(words + off, sizeof(words) - off,
		    "; expired since the daemon started");
	} else if (pjson_len(flags) > 0)
		fprintf(out.lng, "OK: no expiry since the daemon started "
		    "(expiration flags from before: ");
	if (nexp > 0 || pjson_len(flags) > 0) {
		for (i = 0; i < pjson_len(flags); i++) {
			const struct pjson *f = pjson_at(flags, i);

			fprintf(out.lng, "%s%s", i ? ", " : "",
			    f->type == PJSON_STR ? f->str : "?");
		}
		fprintf(out.lng, "%s)\n", pjson_len(flags) ? "" : "none");
	}
	if (hb != NULL) {
		hbstate = pjson_str(hb, "state", "");
		age = pjson_num(hb, "age_s", -1);
		interval = pjson_num(hb, "interval_s", 0);
		off = strlen(words);
		(void)snprintf(words + off, sizeof(words) - off,
		    "; heartbeat: %s", hbstate);
		if (pjson_bool(hb, "refused", 0)) {
			out.state = np_worst(out.state, NP_WARNING);
			fprintf(out.lng, "WARNING: heartbeat refused: %s\n",
			    hbstate);
		} else if (!pjson_bool(hb, "armed", 0)) {
			out.state = np_worst(out.state, NP_CRITICAL);
			fprintf(out.lng, "CRITICAL: the daemon's heartbeat is "
			    "not armed: %s\n", hbstate);
		} else if (pjson_str(hb, "failing_check", NULL) != NULL ||
		    strncmp(hbstate, "withholding", 11) == 0) {
			out.state = np_worst(out.state, NP_CRITICAL);
			fprintf(out.lng, "CRITICAL: %s%s%s\n", hbstate,
			    pjson_str(hb, "failing_check", NULL) ? "; failing "
			    "check: " : "", pjson_str(hb, "failing_check", ""));
		} else if (interval > 0 && age > 2 * interval) {
			out.state = np_worst(out.state, NP_CRITICAL);
			fprintf(out.lng, "CRITICAL: no reset for %.1f s (every "
			    "%.1f s)\n", age, interval);
			off = strlen(words);
			(void)snprintf(words + off, sizeof(words) - off,
			    "; no reset for %.1f s", age);
		}
		if (!running && pjson_bool(hb, "armed", 0)) {
			out.state = np_worst(out.state, NP_CRITICAL);
			fprintf(out.lng, "CRITICAL: heartbeat armed but the "
			    "timer is not running\n");
		}
	} else if (strcmp(expect, "armed") == 0 && !running) {
		out.state = np_worst(out.state, NP_CRITICAL);
		fprintf(out.lng, "CRITICAL: the timer is not running "
		    "(--expect armed)\n");
	} else if (strcmp(expect, "stopped") == 0 && running) {
		out.state = np_worst(out.state, NP_CRITICAL);
		fprintf(out.lng, "CRITICAL: the timer runs (--expect "
		    "stopped)\n");
	}
	np_out_summary(&out, "%s", words);
	if (pjson_has_num(wdt, "present_countdown_s", &zero))
		np_perf(out.perf, "countdown", zero, 1, "s", NULL, NULL, NULL,
		    NULL);
	zero = 0;
	if (hb != NULL && age >= 0) {
		char w[48], c[48];

		np_num(2 * interval, 1, c, sizeof(c));
		np_num(interval, 1, w, sizeof(w));
		np_perf(out.perf, "heartbeat_age", age, 1, "s", interval > 0 ?
		    w : NULL, interval > 0 ? c : NULL, &zero, NULL);
		np_perf(out.perf, "kicks", pjson_num(hb, "kicks", 0), 0, "c",
		    NULL, NULL, NULL, NULL);
		np_perf(out.perf, "failures", pjson_num(hb, "failures", 0), 0,
		    "c", NULL, NULL, NULL, NULL);
	}
done:
	pjson_free(wdt);
	pjson_free(targets);
	psrc_close(&src);
	return np_out_finish(&out, LABEL);
}
