/*
 * check_bmc_chassis: Get Chassis Status as bmcwatchd last read it:
 * the power state against the expected one, power, cooling and drive
 * faults, intrusion, power overload and interlock.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np.h"
#include "pjson.h"
#include "psrc.h"

#define LABEL	"BMC CHASSIS"

static const char usage[] =
"Usage: check_bmc_chassis [-S SOCKET | -H HOST ...] [--target NAME]\n"
"  [--power on|off|any] [--power-mismatch warning|critical]\n"
"  [--intrusion ok|warning|critical]\n"
"  [-t SECONDS] [--stale-critical] [-v]\n"
"\n"
"CRITICAL: the system power is not the expected one (--power, default\n"
"on), a main power or power control fault, a cooling/fan fault, a drive\n"
"fault, a power overload.  WARNING: the power interlock is active, the\n"
"chassis was opened (--intrusion changes that state).\n"
"      --power-mismatch STATE  the state when the power is not the\n"
"                         expected one (default critical)\n";

enum {
	OPT_POWER = 1000,
	OPT_INTRUSION,
	OPT_MISMATCH
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PSRC_LONGOPTS,
		{ "power", required_argument, NULL, OPT_POWER },
		{ "intrusion", required_argument, NULL, OPT_INTRUSION },
		{ "power-mismatch", required_argument, NULL, OPT_MISMATCH },
		{ NULL, 0, NULL, 0 }
	};
	static const struct {
		const char	*key;
		const char	*words;
		enum np_state	 st;
	} flags[] = {
		{ "main_power_fault", "main power fault", NP_CRITICAL },
		{ "power_control_fault", "power control fault", NP_CRITICAL },
		{ "power_overload", "power overload", NP_CRITICAL },
		{ "cooling_fan_fault", "cooling/fan fault", NP_CRITICAL },
		{ "drive_fault", "drive fault", NP_CRITICAL },
		{ "power_interlock", "power interlock active", NP_WARNING },
		{ "chassis_intrusion", "chassis intrusion", NP_WARNING },
	};
	struct psrc_opts o;
	struct psrc src;
	struct np_out out;
	struct pjson *doc = NULL;
	const char *expect = "on", *power;
	enum np_state intrusion = NP_WARNING, mismatch = NP_CRITICAL;
	char faults[512] = "";
	size_t i, off;
	int ch, nfault = 0;
	double zero = 0, one = 1;

	psrc_opts_init(&o, LABEL);
	while ((ch = psrc_getopt(&o, argc, argv, "", longopts,
	    "check_bmc_chassis", usage)) != -1) {
		switch (ch) {
		case OPT_POWER:
			if (strcmp(optarg, "on") != 0 && strcmp(optarg,
			    "off") != 0 && strcmp(optarg, "any") != 0)
				psrc_die(&o, "--power: '%s': on, off or any",
				    optarg);
			expect = optarg;
			break;
		case OPT_INTRUSION:
			if (strcmp(optarg, "ok") == 0)
				intrusion = NP_OK;
			else if (strcmp(optarg, "warning") == 0)
				intrusion = NP_WARNING;
			else if (strcmp(optarg, "critical") == 0)
				intrusion = NP_CRITICAL;
			else
				psrc_die(&o, "--intrusion: '%s': ok, warning "
				    "or critical", optarg);
			break;
		case OPT_MISMATCH:
			if (strcmp(optarg, "warning") == 0)
				mismatch = NP_WARNING;
			else if (strcmp(optarg, "critical") == 0)
				mismatch = NP_CRITICAL;
			else
				psrc_die(&o, "--power-mismatch: '%s': warning "
				    "or critical", optarg);
			break;
		}
	}
	psrc_open(&src, &o);
	np_out_init(&out);
	if (psrc_fetch(&src, PSRC_CHASSIS, &out, &doc) != 0)
		goto done;
	power = pjson_str(doc, "system_power", NULL);
	if (power == NULL) {
		out.state = NP_UNKNOWN;
		np_out_summary(&out, "the answer has no system power state");
		goto done;
	}
	if (strcmp(expect, "any") != 0 && strcmp(power, expect) != 0) {
		out.state = mismatch;
		fprintf(out.lng, "%s: system power is %s, expected %s\n",
		    np_state_name(mismatch), power, expect);
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		enum np_state st = flags[i].st;

		if (!pjson_bool(doc, flags[i].key, 0)) {
			if (o.verbose)
				fprintf(out.lng, "OK: no %s\n", flags[i].words);
			continue;
		}
		if (strcmp(flags[i].key, "chassis_intrusion") == 0)
			st = intrusion;
		out.state = np_worst(out.state, st);
		fprintf(out.lng, "%s: %s\n", np_state_name(st), flags[i].words);
		off = strlen(faults);
		(void)snprintf(faults + off, sizeof(faults) - off, "%s%s",
		    nfault++ ? ", " : "", flags[i].words);
	}
	/* the front panel lockout is no fault: said, never alarmed */
	if (pjson_bool(doc, "front_panel_lockout", 0))
		fprintf(out.lng, "OK: front panel lockout active\n");
	np_out_summary(&out, "system power %s%s%s%s%s", power,
	    strcmp(expect, "any") != 0 && strcmp(power, expect) != 0 ?
	    " (expected " : "", strcmp(expect, "any") != 0 &&
	    strcmp(power, expect) != 0 ? expect : "",
	    strcmp(expect, "any") != 0 && strcmp(power, expect) != 0 ?
	    ")" : "", nfault ? "; " : "; no faults");
	if (nfault) {
		char *s = NULL;

		/* append the faults to the summary */
		if (asprintf(&s, "%s%s", out.summary, faults) > 0) {
			np_out_summary(&out, "%s", s);
			free(s);
		}
	}
	np_perf(out.perf, "power", strcmp(power, "on") == 0, 0, NULL, NULL,
	    NULL, &zero, &one);
	np_perf(out.perf, "faults", nfault, 0, NULL, NULL, NULL, &zero,
	    NULL);
done:
	pjson_free(doc);
	psrc_close(&src);
	return np_out_finish(&out, LABEL);
}
