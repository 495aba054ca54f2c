/*
 * bmcwatch -I redfish: the commands of a Redfish BMC, read by the client
 * in agent/http/redfish.c on the CLI's event loop and printed through
 * the same shapes as over IPMI (agent/bmc/shape.c, shape_sel.c), so the
 * JSON has the same members; what Redfish cannot tell is null.
 *
 *	info | sensors [-v] [--type T] [--name PATTERN] | chassis status |
 *	chassis power on|off|soft|cycle|reset|diag|status | watchdog get |
 *	sel info | sel list [--last N] | sel archive [--archive F]
 *	[--state F] [--clear-at PCT] [--bmc NAME]
 *
 * Exit codes as over IPMI: 1 the service answered but refused or lacks
 * it (an HTTP error status, no HostWatchdogTimer, a ResetType it does not
 * allow), 2 usage, 3 transport, TLS, authentication, or an answer that
 * is not the JSON the schema says (as a short IPMI answer is).  Errors
 * name the URL.  The session made is deleted before exit, whatever
 * happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evtext.h"
#include "fileio.h"
#include "redfish.h"
#include "selmon.h"
#include "shape.h"
#include "shape_sel.h"
#include "store/archive.h"
#include "xmem.h"

struct rf_cli {
	struct cli	*c;
	struct redfish	*rf;
	int		 done;
	enum redfish_err err;
};

static void
rf_done(void *arg, enum redfish_err e)
{
	struct rf_cli *r = arg;

	r->err = e;
	r->done = 1;
}

/* run the loop until the operation started is done; its error */
static enum redfish_err
rf_wait(struct rf_cli *r)
{
	while (!r->done)
		if (ev_run_once(r->c->ev, -1) != 0)
			break;
	return r->done ? r->err : REDFISH_E_HTTP;
}

static int
rf_exit(enum redfish_err e)
{
	switch (e) {
	case REDFISH_OK:
		return CLI_OK;
	case REDFISH_E_AUTH:
	case REDFISH_E_HTTP:
	case REDFISH_E_BODY:
		return CLI_ETRANSPORT;
	default:
		return CLI_ECCODE;
	}
}

/* "bmcwatch: URL...: what" (the detail names the URL) */
static int
rf_fail(struct rf_cli *r, const char *which, enum redfish_err e)
{
	const char *d = redfish_detail(r->rf, which);

	if (d == NULL || d[0] == '\0')
		d = redfish_detail(r->rf, NULL);
	if (e == REDFISH_E_AUTH)
		fprintf(stderr, "bmcwatch: %s: authentication failed (wrong "
		    "user or password, or no right to this): %s\n",
		    redfish_url(r->rf), d);
	else
		fprintf(stderr, "bmcwatch: %s\n", d != NULL && d[0] ? d :
		    redfish_strerror(e));
	return rf_exit(e);
}

/* start an operation (op returns 0 or -1) and wait for it */
#define RF_RUN(r, call)	((r)->done = 0, (call) != 0 ? REDFISH_E_BUSY : \
	rf_wait(r))

/* ---- sensors ------------------------------------------------------- */

static int
rf_sensors(struct rf_cli *r, int argc, char **argv)
{
	struct jsonw *j = &r->c->js;
	const char *name = NULL;
	enum redfish_err e;
	int verbose = r->c->verbose, type = -1, i;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
			char *end;
			const char *t = argv[++i];
			unsigned long v = strtoul(t, &end, 0);

			if (*t >= '0' && *t <= '9' && *end == '\0' && v <= 255)
				type = (int)v;
			else if ((type = evtext_sensor_type_parse(t)) < 0) {
				cli_usage_error("sensors", "unknown sensor "
				    "type '%s'", t);
				return CLI_EUSAGE;
			}
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else {
			cli_usage_error("sensors", "unknown argument '%s' "
			    "(over redfish: -v, --type T, --name PATTERN)",
			    argv[i]);
			return CLI_EUSAGE;
		}
	}
	if ((e = RF_RUN(r, redfish_sensors(r->rf, rf_done, r))) != REDFISH_OK)
		return rf_fail(r, "sensors", e);
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		jsonw_arr_begin(j, "sensors");
	}
	for (k = 0; k < redfish_sensors_count(r->rf); k++) {
		const struct sensors_item *it = redfish_sensor(r->rf, k);

		if (type >= 0 && it->sensor_type != type)
			continue;
		if (name != NULL && fnmatch(name, it->name, 0) != 0)
			continue;
		if (r->c->json)
			shape_sensor_json(j, it, verbose);
		else
			shape_sensor_text(stdout, it, verbose);
	}
	if (r->c->json) {
		jsonw_arr_end(j);
		jsonw_obj_end(j);
		jsonw_end(j);
	}
	/* a sensor resource skipped or malformed: said, not fatal */
	if (redfish_detail(r->rf, "sensors")[0] != '\0')
		fprintf(stderr, "bmcwatch: %s\n", redfish_detail(r->rf,
		    "sensors"));
	return CLI_OK;
}

/* ---- chassis ------------------------------------------------------- */

/*
 * chassis identify over Redfish: the system's LocationIndicatorActive
 * or IndicatorLED switched (redfish_identify); Redfish has no interval,
 * so only force (on) and off (or 0), in the IPMI side's shapes.
 */
static int
rf_identify(struct rf_cli *r, int argc, char **argv)
{
	struct jsonw *j = &r->c->js;
	enum redfish_err e;
	int on;

	if (argc != 3 || (strcmp(argv[2], "force") != 0 &&
	    strcmp(argv[2], "off") != 0 && strcmp(argv[2], "0") != 0)) {
		cli_usage_error("chassis identify", "over redfish: force or "
		    "off (a timed identify has no Redfish equivalent: "
		    "LocationIndicatorActive and IndicatorLED are on or off)");
		return CLI_EUSAGE;
	}
	on = strcmp(argv[2], "force") == 0;
	if ((e = RF_RUN(r, redfish_identify(r->rf, on, rf_done, r))) !=
	    REDFISH_OK)
		return rf_fail(r, "action", e);
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		if (on)
			jsonw_str(j, "identify", "indefinite");
		else
			jsonw_int(j, "identify_seconds", 0);
		jsonw_obj_end(j);
		jsonw_end(j);
	} else
		printf("Chassis identify interval: %s\n", on ? "indefinite" :
		    "off");
	return CLI_OK;
}

static int
rf_chassis(struct rf_cli *r, int argc, char **argv)
{
	const struct chassis_snapshot *s;
	struct jsonw *j = &r->c->js;
	enum redfish_err e;
	const char *type;
	int ctl;

	if (argc >= 2 && strcmp(argv[1], "identify") == 0)
		return rf_identify(r, argc, argv);
	if (argc < 2 || (strcmp(argv[1], "status") == 0 && argc != 2) ||
	    (strcmp(argv[1], "power") == 0 && argc != 3) ||
	    (strcmp(argv[1], "status") != 0 &&
	    strcmp(argv[1], "power") != 0)) {
		cli_usage_error("chassis", "over redfish: status, power "
		    "on|off|soft|cycle|reset|diag|status, or identify "
		    "force|off");
		return CLI_EUSAGE;
	}
	if (strcmp(argv[1], "power") == 0 && strcmp(argv[2], "status") != 0) {
		if ((ctl = chassis_control_parse(argv[2])) < 0 ||
		    (type = redfish_reset_type((uint8_t)ctl)) == NULL) {
			cli_usage_error("chassis power", "unknown action '%s' "
			    "(on, off, soft, cycle, reset, diag, status)",
			    argv[2]);
			return CLI_EUSAGE;
		}
		if ((e = RF_RUN(r, redfish_reset(r->rf, type, rf_done, r))) !=
		    REDFISH_OK)
			return rf_fail(r, "action", e);
		if (r->c->json) {
			jsonw_obj_begin(j, NULL);
			jsonw_str(j, "chassis_power_control", argv[2]);
			jsonw_str(j, "reset_type", type);
			jsonw_obj_end(j);
			jsonw_end(j);
		} else
			printf("Chassis Power Control: %s (ResetType %s)\n",
			    chassis_control_name((uint8_t)ctl), type);
		return CLI_OK;
	}
	if ((e = RF_RUN(r, redfish_chassis(r->rf, rf_done, r))) != REDFISH_OK)
		return rf_fail(r, "chassis", e);
	s = redfish_chassis_snapshot(r->rf);
	if (strcmp(argv[1], "power") == 0) {
		if (r->c->json) {
			jsonw_obj_begin(j, NULL);
			jsonw_str(j, "system_power", s->status.power_on ? "on" :
			    "off");
			jsonw_obj_end(j);
			jsonw_end(j);
		} else
			printf("Chassis Power is %s\n", s->status.power_on ?
			    "on" : "off");
		return CLI_OK;
	}
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		shape_chassis_json(j, &s->status, s->missing, s->has_health ?
		    s->health : -1);
		jsonw_obj_end(j);
		jsonw_end(j);
	} else
		shape_chassis_text(stdout, &s->status, s->missing,
		    s->has_health ? s->health : -1);
	return CLI_OK;
}

/* ---- watchdog get -------------------------------------------------- */

static int
rf_watchdog(struct rf_cli *r, int argc, char **argv)
{
	struct jsonw *j = &r->c->js;
	enum redfish_err e;

	if (argc != 2 || strcmp(argv[1], "get") != 0) {
		cli_usage_error("watchdog", "over redfish only get: the "
		    "HostWatchdogTimer is read-only here");
		return CLI_EUSAGE;
	}
	if ((e = RF_RUN(r, redfish_watchdog(r->rf, rf_done, r))) !=
	    REDFISH_OK)
		return rf_fail(r, "watchdog", e);
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		shape_wdt_json(j, redfish_watchdog_timer(r->rf));
		jsonw_obj_end(j);
		jsonw_end(j);
	} else
		shape_wdt_text(stdout, redfish_watchdog_timer(r->rf));
	return CLI_OK;
}

/* ---- info ---------------------------------------------------------- */

static int
rf_info(struct rf_cli *r, int argc, char **argv)
{
	struct shape_info si;
	struct jsonw *j = &r->c->js;
	enum redfish_err e;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("info", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((e = RF_RUN(r, redfish_info(r->rf, rf_done, r))) != REDFISH_OK)
		return rf_fail(r, "info", e);
	redfish_info_shape(redfish_info_get(r->rf), &si);
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		shape_info_json(j, &si);
		jsonw_obj_end(j);
		jsonw_end(j);
	} else
		shape_info_text(stdout, &si);
	return CLI_OK;
}

/* ---- sel ----------------------------------------------------------- */

/*
 * sel archive over Redfish: the entries after the cursor (--state,
 * default $BMCWATCH_STATE_DIR/redfish-BMC.cursor) appended to the
 * archive and fsynced, then the cursor saved (tmp + fsync + rename).
 * With --clear-at PCT or --clear-free N the daemon's policy
 * (redfish_clear_due): listed again until a listing finds nothing new
 * (at most RF_CLEAR_ROUNDS), then each log service due cleared with
 * LogService.ClearLog and dropped from the cursor (its Ids may start
 * over): never one whose OverWritePolicy is WrapsWhenFull, never before
 * its entries are on the disk.
 */
#define RF_CLEAR_ROUNDS	5

/* the cursor to the file; 0, or -1 said */
static int
rf_cursor_save(const char *state, const struct redfish_cursor *cur)
{
	char tmp[1100], err[512];

	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", state);
	if (fileio_replace(state, tmp, cur, sizeof(*cur), 0600, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: sel archive: %s (archived, nothing "
		    "cleared)\n", err);
		return -1;
	}
	return 0;
}

static int
rf_sel_archive(struct rf_cli *r, int argc, char **argv)
{
	struct archive_cfg acfg;
	struct archive *arch;
	struct archive_entry *ae = NULL;
	struct redfish_cursor cur, next;
	struct jsonw *j = &r->c->js;
	const char *bmc = r->c->rf_host, *state = NULL, *dir;
	char spath[1024], err[512];
	unsigned long clear_at = 0, clear_free = 0, v;
	enum redfish_err e;
	size_t i, n, k, total = 0;
	ssize_t got;
	char *end;
	unsigned round;
	int fd, have = 0, rc = CLI_OK, cleared = 0, settled = 0;

	memset(&acfg, 0, sizeof(acfg));
	acfg.path = "/var/log/bmcwatch/sel.log";
	for (i = 2; i < (size_t)argc; i++) {
		if (i + 1 >= (size_t)argc) {
			cli_usage_error("sel archive", "unknown option '%s' or "
			    "missing argument", argv[i]);
			return CLI_EUSAGE;
		}
		if (strcmp(argv[i], "--archive") == 0)
			acfg.path = argv[++i];
		else if (strcmp(argv[i], "--state") == 0)
			state = argv[++i];
		else if (strcmp(argv[i], "--bmc") == 0)
			bmc = argv[++i];
		else if (strcmp(argv[i], "--clear-at") == 0 ||
		    strcmp(argv[i], "--clear-free") == 0) {
			int at = argv[i][8] == 'a';

			v = strtoul(argv[++i], &end, 10);
			if (*argv[i] == '\0' || *end != '\0' ||
			    (at && v > 100) || v > 65535) {
				cli_usage_error("sel archive", "bad %s '%s' "
				    "(%s)", argv[i - 1], argv[i], at ? "0-100 "
				    "%, 0 = off" : "records, 0 = off");
				return CLI_EUSAGE;
			}
			if (at)
				clear_at = v;
			else
				clear_free = v;
		} else {
			cli_usage_error("sel archive", "unknown option '%s' "
			    "(over redfish: --archive, --state, --bmc, "
			    "--clear-at, --clear-free)", argv[i]);
			return CLI_EUSAGE;
		}
	}
	if (state == NULL) {
		if ((dir = getenv("BMCWATCH_STATE_DIR")) == NULL ||
		    *dir == '\0')
			dir = "/var/lib/bmcwatch";
		(void)snprintf(spath, sizeof(spath), "%s/redfish-", dir);
		k = strlen(spath);
		for (i = 0; bmc[i] != '\0' && k + 8 < sizeof(spath); i++)
			spath[k++] = (bmc[i] == '/' || bmc[i] == ':' ||
			    bmc[i] < 0x21) ? '_' : bmc[i];
		(void)snprintf(spath + k, sizeof(spath) - k, ".cursor");
		state = spath;
	}
	memset(&cur, 0, sizeof(cur));
	if ((fd = open(state, O_RDONLY | O_CLOEXEC)) >= 0) {
		got = fileio_read_all(fd, &cur, sizeof(cur));
		(void)close(fd);
		if (got != (ssize_t)sizeof(cur) ||
		    cur.version != REDFISH_CURSOR_VERSION ||
		    cur.n > REDFISH_CURSOR_SERVICES) {
			fprintf(stderr, "bmcwatch: sel archive: %s: not a "
			    "Redfish log cursor of this version\n", state);
			return CLI_EUSAGE;
		}
		have = 1;
	} else if (errno != ENOENT) {
		fprintf(stderr, "bmcwatch: sel archive: %s: %s\n", state,
		    strerror(errno));
		return CLI_EUSAGE;
	}
	/* a file size limit must fail the write, not kill us in it */
	(void)signal(SIGXFSZ, SIG_IGN);
	arch = archive_new(&acfg);
	for (round = 1; ; round++) {
		const char *why;

		if ((e = RF_RUN(r, redfish_logs(r->rf, have ? &cur : NULL,
		    rf_done, r))) != REDFISH_OK) {
			rc = rf_fail(r, "logs", e);
			goto done;
		}
		n = redfish_log_count(r->rf);
		free(ae);
		ae = xcalloc(n + 1, sizeof(*ae));
		for (i = 0; i < n; i++) {
			ae[i].bmc = bmc;
			ae[i].rec = &redfish_log_entry(r->rf, i)->rec;
			ae[i].desc = &redfish_log_entry(r->rf, i)->desc;
		}
		if (n > 0 && archive_append(arch, ae, n, err, sizeof(err)) !=
		    0) {
			fprintf(stderr, "bmcwatch: sel archive: %s (nothing "
			    "cleared, the cursor not moved)\n", err);
			rc = CLI_ECCODE;
			goto done;
		}
		total += n;
		redfish_logs_cursor(r->rf, have ? &cur : NULL, &next);
		next.version = REDFISH_CURSOR_VERSION;
		if (rf_cursor_save(state, &next) != 0) {
			rc = CLI_ECCODE;
			goto done;
		}
		cur = next;
		have = 1;
		if (n == 0) {
			settled = 1;	/* nothing new: what is there is
					 * archived */
			break;
		}
		if (clear_at == 0 && clear_free == 0)
			break;
		for (i = k = 0; i < redfish_log_service_count(r->rf); i++)
			k += (size_t)redfish_clear_due(redfish_log_service(
			    r->rf, i), 0, (unsigned)clear_at,
			    (unsigned)clear_free, &why);
		if (k == 0 || round >= RF_CLEAR_ROUNDS)
			break;
	}
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		jsonw_int(j, "archived", (long long)total);
		jsonw_str(j, "archive", acfg.path);
		jsonw_arr_begin(j, "log_services");
	} else
		printf("archived %zu entries to %s\n", total, acfg.path);
	for (i = 0; i < redfish_log_service_count(r->rf); i++) {
		const struct redfish_log_service *sv =
		    redfish_log_service(r->rf, i);
		char path[REDFISH_PATH_MAX];
		const char *what, *why;
		uint32_t c;
		int pct = sv->max_records > 0 ? (int)((uint64_t)sv->entries_read
		    * 100 / (uint64_t)sv->max_records) : -1;

		(void)snprintf(path, sizeof(path), "%s", sv->path);
		if (clear_at == 0 && clear_free == 0)
			what = "kept (no --clear-at or --clear-free)";
		else if (!redfish_clear_due(sv, 0, (unsigned)clear_at,
		    (unsigned)clear_free, &why))
			what = why != NULL ? why : pct < 0 ? "kept "
			    "(MaxNumberOfRecords not said)" : "kept (below the "
			    "threshold)";
		else if (!settled)
			what = "kept (entries kept arriving: listed "
			    "5 times)";
		else if ((e = RF_RUN(r, redfish_clear_log(r->rf, path,
		    rf_done, r))) == REDFISH_OK) {
			what = "cleared";
			cleared++;
			for (c = 0; c < cur.n; c++)
				if (strcmp(cur.svc[c].path, path) == 0) {
					memmove(&cur.svc[c], &cur.svc[c + 1],
					    (cur.n - c - 1) *
					    sizeof(cur.svc[0]));
					cur.n--;
					break;
				}
			if (rf_cursor_save(state, &cur) != 0)
				rc = CLI_ECCODE;
		} else {
			fprintf(stderr, "bmcwatch: sel archive: %s\n",
			    redfish_detail(r->rf, "action"));
			what = "clear failed";
			rc = rf_exit(e);
		}
		if (r->c->json) {
			jsonw_obj_begin(j, NULL);
			jsonw_str(j, "path", path);
			jsonw_int(j, "entries", sv->entries_read);
			if (pct >= 0)
				jsonw_int(j, "percent_used", pct);
			else
				jsonw_null(j, "percent_used");
			jsonw_str(j, "result", what);
			jsonw_obj_end(j);
		} else
			printf("%s: %u entries: %s\n", path, sv->entries_read,
			    what);
	}
	if (r->c->json) {
		jsonw_arr_end(j);
		jsonw_int(j, "cleared", cleared);
		jsonw_obj_end(j);
		jsonw_end(j);
	}
done:
	free(ae);
	archive_free(arch);
	return rc;
}

static int
rf_sel(struct rf_cli *r, int argc, char **argv)
{
	struct sel_rec *rec = NULL;
	struct sel_desc *desc = NULL;
	uint8_t *open = NULL;
	struct jsonw *j = &r->c->js;
	struct shape_rf_sel shp;
	enum redfish_err e;
	unsigned long last = 0;
	size_t i, n;
	char *end;
	int list;

	if (argc >= 2 && strcmp(argv[1], "archive") == 0)
		return rf_sel_archive(r, argc, argv);
	if (argc < 2 || (strcmp(argv[1], "info") != 0 &&
	    strcmp(argv[1], "list") != 0)) {
		cli_usage_error("sel", "over redfish: info, list [--last N], "
		    "archive [--archive F] [--state F] [--clear-at PCT]");
		return CLI_EUSAGE;
	}
	list = strcmp(argv[1], "list") == 0;
	for (i = 2; i < (size_t)argc; i++) {
		if (list && strcmp(argv[i], "--last") == 0 &&
		    i + 1 < (size_t)argc) {
			last = strtoul(argv[++i], &end, 10);
			if (*end != '\0' || last == 0 || last > 1000000) {
				cli_usage_error("sel list", "bad --last '%s'",
				    argv[i]);
				return CLI_EUSAGE;
			}
		} else {
			cli_usage_error(list ? "sel list" : "sel info",
			    "unknown argument '%s'", argv[i]);
			return CLI_EUSAGE;
		}
	}
	if ((e = RF_RUN(r, redfish_logs(r->rf, NULL, rf_done, r))) !=
	    REDFISH_OK)
		return rf_fail(r, "logs", e);
	if (!list) {
		if (r->c->json) {
			redfish_sel_shape(r->rf, &shp);
			jsonw_obj_begin(j, NULL);
			shape_rf_sel_info(j, &shp);
			jsonw_obj_end(j);
			jsonw_end(j);
		} else {
			redfish_sel_shape(r->rf, &shp);
			shape_rf_sel_info_text(stdout, &shp);
		}
		return CLI_OK;
	}
	n = redfish_log_count(r->rf);
	rec = xcalloc(n + 1, sizeof(*rec));
	desc = xcalloc(n + 1, sizeof(*desc));
	open = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		rec[i] = redfish_log_entry(r->rf, i)->rec;
		desc[i] = redfish_log_entry(r->rf, i)->desc;
	}
	(void)selmon_open_problems(rec, desc, n, open);
	if (r->c->json) {
		jsonw_obj_begin(j, NULL);
		shape_sel_entries(j, rec, desc, open, NULL, n, 0, last);
		jsonw_obj_end(j);
		jsonw_end(j);
	} else
		shape_sel_entries_text(stdout, rec, desc, open, NULL, n, 0,
		    last);
	free(rec);
	free(desc);
	free(open);
	return CLI_OK;
}

/* ---- the connection ------------------------------------------------ */

static void
rf_stats(const struct redfish *rf)
{
	const struct redfish_stats *s = redfish_stats(rf);

	fprintf(stderr, "bmcwatch: stats: requests=%llu gets=%llu posts=%llu "
	    "deletes=%llu failed=%llu sessions=%llu sessions_deleted=%llu "
	    "relogins=%llu expanded=%llu connects=%llu bytes_in=%llu "
	    "auth=%s\n", (unsigned long long)s->requests,
	    (unsigned long long)s->gets, (unsigned long long)s->posts,
	    (unsigned long long)s->deletes, (unsigned long long)s->failed,
	    (unsigned long long)s->sessions,
	    (unsigned long long)s->sessions_deleted,
	    (unsigned long long)s->relogins, (unsigned long long)s->expanded,
	    (unsigned long long)s->connects, (unsigned long long)s->bytes_in,
	    redfish_auth_mode(rf)[0] ? redfish_auth_mode(rf) : "none");
}

int
cli_redfish(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct rf_cli *, int, char **);
	} cmds[] = {
		{ "info", rf_info },
		{ "sensors", rf_sensors },
		{ "chassis", rf_chassis },
		{ "watchdog", rf_watchdog },
		{ "sel", rf_sel },
	};
	struct redfish_cfg cfg;
	struct rf_cli r;
	char url[512], err[REDFISH_ERR_MAX];
	size_t i;
	int rc = CLI_EUSAGE, (*fn)(struct rf_cli *, int, char **) = NULL;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			fn = cmds[i].fn;
	if (fn == NULL) {
		cli_usage_error(argv[0], "not a command over -I redfish "
		    "(info, sensors, chassis, watchdog, sel)");
		return CLI_EUSAGE;
	}
	if (redfish_url_base(c->rf_host, url, sizeof(url), err,
	    sizeof(err)) != 0) {
		cli_usage_error("-H", "%s", err);
		return CLI_EUSAGE;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = url;
	cfg.user = c->rf_user;
	cfg.password = c->rf_password;
	cfg.ca_file = c->ca_file;
	cfg.insecure = c->insecure;
	cfg.timeout_ms = c->rf_timeout_ms;
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.rf = redfish_new(c->ev, &cfg, err, sizeof(err));
	/* the client holds its own copy */
	explicit_bzero(c->rf_password, sizeof(c->rf_password));
	if (r.rf == NULL) {
		fprintf(stderr, "bmcwatch: %s: %s\n", url, err);
		return CLI_ETRANSPORT;
	}
	if (c->insecure && strncmp(url, "https:", 6) == 0)
		fprintf(stderr, "bmcwatch: %s: TLS certificate verification "
		    "is off (--insecure)\n", url);
	rc = fn(&r, argc, argv);
	/* the session must not outlive us: leaked sessions lock BMCs out */
	r.done = 0;
	redfish_close(r.rf, rf_done, &r);
	if (rf_wait(&r) != REDFISH_OK && rc == CLI_OK) {
		fprintf(stderr, "bmcwatch: %s: closing the session: %s\n",
		    url, redfish_detail(r.rf, NULL));
		rc = CLI_ETRANSPORT;
	}
	if (c->stats)
		rf_stats(r.rf);
	redfish_free(r.rf);
	return rc;
}
