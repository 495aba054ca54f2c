/*
 * bmcwatch watchdog: get (as `ipmitool mc watchdog get`), set (arm and
 * start), reset, off, and heartbeat (the daemon's heartbeat, run for a
 * while from the command line).  The work is done by bmc/watchdog.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_wdt.h"
#include "shape.h"
#include "watchdog.h"

/* gap between the two Gets that tell whether someone else resets a
 * running countdown */
#define OWNER_WAIT_MS	1500

static void
wd_onsig(int sig, void *arg)
{
	int *signalled = arg;

	(void)sig;
	*signalled = 1;
}

/* seconds, decimals allowed, to ms; [min_ms, max_ms] */
static int
parse_secs(const char *s, unsigned min_ms, unsigned max_ms, unsigned *ms)
{
	char *end;
	double d;

	if (*s == '\0' || *s == '-')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0' || d != d || d < 0 || d > 1e7)
		return -1;
	*ms = (unsigned)(d * 1000.0 + 0.5);
	return *ms < min_ms || *ms > max_ms ? -1 : 0;
}

static void
timer_json(struct cli *c, const struct wdt_timer *t)
{
	jsonw_obj_begin(&c->js, NULL);
	shape_wdt_json(&c->js, t);
	jsonw_obj_end(&c->js);
	jsonw_end(&c->js);
}

/* one Get through cli_call (which also opens the connection) */
static int
get_timer(struct cli *c, struct wdt_timer *t)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	int r;

	memset(t, 0, sizeof(*t));	/* defined on every return */
	wdt_get_req(&req);
	if ((r = cli_call_ok(c, &req, &rsp, "Get Watchdog Timer")) != 0)
		return -r;
	if (wdt_get_decode(rsp.data, rsp.len, t) != IPMI_OK)
		return cli_short_error(c, "Get Watchdog Timer", rsp.len, 6);
	if ((t->quirks & WDT_QUIRK_SHORT_GET) && c->verbose)
		fprintf(stderr, "bmcwatch: note: Get Watchdog Timer answered "
		    "%u bytes: no present countdown (quirk short-get)\n",
		    rsp.len);
	return CLI_OK;
}

static void
op_done(struct watchdog_op *op, void *arg)
{
	(void)op;
	*(volatile int *)arg = 1;
}

/* run op to completion; an exit code, with the error printed */
static int
run_op(struct cli *c, struct watchdog_op *op, const char *what)
{
	volatile int done = 0;
	char msg[400];

	if (watchdog_op_start(op, c->ev, c->conn, op_done,
	    (void *)(uintptr_t)&done) != 0) {
		fprintf(stderr, "bmcwatch: %s: request queue full\n", what);
		return CLI_ETRANSPORT;
	}
	while (!done)
		if (ev_run_once(c->ev, -1) != 0)
			return CLI_ETRANSPORT;
	if (op->err == WATCHDOG_OK)
		return CLI_OK;
	if (op->err == WATCHDOG_E_TRANSPORT) {
		fprintf(stderr, "bmcwatch: %s: %s: %s\n",
		    ipmi_tr_peer(conn_tr(c->conn)), op->step,
		    strcmp(ipmi_tr_error(conn_tr(c->conn)), "no error") == 0 ?
		    ipmi_strerror(op->ierr) : ipmi_tr_error(conn_tr(c->conn)));
		return CLI_ETRANSPORT;
	}
	watchdog_op_errtext(op, msg, sizeof(msg));
	fprintf(stderr, "bmcwatch: %s: %s: %s\n",
	    ipmi_tr_peer(conn_tr(c->conn)), what, msg);
	if (op->err == WATCHDOG_E_CCODE &&
	    op->ccode == IPMI_CC_INVALID_DATA_FIELD &&
	    op->cfg.action != WDT_ACTION_NONE)
		fprintf(stderr, "bmcwatch: (a BMC answers CCh when it cannot "
		    "perform the action, e.g. ipmi_sim without a system "
		    "interface peer)\n");
	return op->err == WATCHDOG_E_CCODE ? CLI_ECCODE :
	    op->err == WATCHDOG_E_OWNER ? CLI_EUSAGE : CLI_ETRANSPORT;
}

static int
wd_get(struct cli *c, int argc, char **argv)
{
	struct wdt_timer t;
	int r;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("watchdog get", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((r = get_timer(c, &t)) != CLI_OK)
		return r;
	if (c->json)
		timer_json(c, &t);
	else
		shape_wdt_text(stdout, &t);
	return CLI_OK;
}

struct wd_opts {
	struct watchdog_cfg cfg;
	int		 have_timeout;
	int		 force;
	unsigned	 for_ms;
	int		 keep;
};

static int
wd_parse(const char *cmd, int argc, char **argv, struct wd_opts *o,
    int heartbeat)
{
	unsigned ms;
	int i, v;

	memset(o, 0, sizeof(*o));
	watchdog_cfg_default(&o->cfg);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] :
		    NULL;

		if (strcmp(a, "--no-log") == 0) {
			o->cfg.dont_log = 1;
			continue;
		}
		if (strcmp(a, "--force") == 0) {
			o->force = 1;
			continue;
		}
		if (heartbeat && strcmp(a, "--keep") == 0) {
			o->keep = 1;
			continue;
		}
		if (strcmp(a, "--no-clear") == 0) {
			o->cfg.clear = 0;
			continue;
		}
		if (val == NULL) {
			cli_usage_error(cmd, "unknown option or missing value: "
			    "'%s'", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--timeout") == 0) {
			if (parse_secs(val, 100, WDT_COUNTDOWN_MAX * 100u,
			    &ms) != 0) {
				cli_usage_error(cmd, "bad --timeout '%s' "
				    "(0.1-6553.5 seconds)", val);
				return -1;
			}
			o->cfg.timeout_ms = ms;
			o->have_timeout = 1;
		} else if (strcmp(a, "--pretimeout") == 0) {
			if (parse_secs(val, 0, 255000, &ms) != 0 ||
			    ms % 1000 != 0) {
				cli_usage_error(cmd, "bad --pretimeout '%s' "
				    "(whole seconds, 0-255)", val);
				return -1;
			}
			o->cfg.pretimeout_s = ms / 1000;
		} else if (strcmp(a, "--action") == 0) {
			if ((v = wdt_action_parse(val)) < 0) {
				cli_usage_error(cmd, "bad --action '%s' "
				    "(reset, power-off, power-cycle, none)",
				    val);
				return -1;
			}
			o->cfg.action = (uint8_t)v;
		} else if (strcmp(a, "--pre-interrupt") == 0) {
			if ((v = wdt_pre_parse(val)) < 0) {
				cli_usage_error(cmd, "bad --pre-interrupt '%s' "
				    "(nmi, smi, msg, none)", val);
				return -1;
			}
			o->cfg.pre_int = (uint8_t)v;
		} else if (strcmp(a, "--use") == 0) {
			if ((v = wdt_use_parse(val)) < 0) {
				cli_usage_error(cmd, "bad --use '%s' (sms-os, "
				    "os-load, bios-frb2, bios-post, oem)", val);
				return -1;
			}
			o->cfg.use = (uint8_t)v;
		} else if (strcmp(a, "--interval") == 0) {
			if (parse_secs(val, 100, 3600000, &ms) != 0) {
				cli_usage_error(cmd, "bad --interval '%s' "
				    "(seconds)", val);
				return -1;
			}
			o->cfg.interval_ms = ms;
		} else if (heartbeat && strcmp(a, "--for") == 0) {
			if (parse_secs(val, 100, 86400000, &ms) != 0) {
				cli_usage_error(cmd, "bad --for '%s' "
				    "(seconds)", val);
				return -1;
			}
			o->for_ms = ms;
		} else {
			cli_usage_error(cmd, "unknown option '%s'", a);
			return -1;
		}
	}
	if (!o->have_timeout) {
		cli_usage_error(cmd, "--timeout SECONDS is required; options: "
		    "--timeout S [--pretimeout S] [--action reset|power-off|"
		    "power-cycle|none] [--pre-interrupt nmi|smi|msg|none] "
		    "[--use sms-os|os-load|bios-frb2|bios-post|oem] [--no-log] "
		    "[--no-clear] [--force]%s", heartbeat ? " --interval S "
		    "[--for S] [--keep]" : "");
		return -1;
	}
	if (heartbeat && o->cfg.interval_ms == 0) {
		cli_usage_error(cmd, "--interval SECONDS is required");
		return -1;
	}
	return 0;
}

/* in-band only: the ipmi_watchdog driver or a /dev/watchdog user */
static const struct watchdog_owner *
local_owner(struct cli *c, struct watchdog_owner *o)
{
	if (c->cfg.iface != IPMI_IFACE_OPEN)
		return NULL;
	(void)watchdog_owner_local(getenv("BMCWATCH_ROOT"), o);
	return o;
}

static int
wd_set(struct cli *c, int argc, char **argv)
{
	struct wd_opts o;
	struct watchdog_op op;
	struct watchdog_owner own;
	struct wdt_timer t;
	char err[400];
	int r;

	if (wd_parse("watchdog set", argc, argv, &o, 0) != 0)
		return CLI_EUSAGE;
	if (watchdog_validate(&o.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: watchdog set: %s\n", err);
		return CLI_EUSAGE;
	}
	if ((r = get_timer(c, &t)) != CLI_OK)
		return r;
	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	op.cfg = o.cfg;
	op.force = o.force;
	op.owner_wait_ms = OWNER_WAIT_MS;
	op.local = local_owner(c, &own);
	r = run_op(c, &op, "watchdog set");
	watchdog_op_cancel(&op);
	if (r != CLI_OK)
		return r;
	if (c->json) {
		timer_json(c, &op.timer);
		return CLI_OK;
	}
	printf("Watchdog Timer set and started: %.1f s, action %s, "
	    "pre-timeout %s %u s, use %s\n", op.cfg.timeout_ms / 1000.0,
	    wdt_action_name(op.cfg.action), wdt_pre_name(op.cfg.pre_int),
	    op.cfg.pretimeout_s, wdt_use_name(op.cfg.use));
	if (op.owner.dev_open || op.owner.module || op.owner.resets == 1) {
		watchdog_owner_text(&op.owner, err, sizeof(err));
		printf("warning: taken over although %s (--force)\n", err);
	}
	return CLI_OK;
}

/*
 * watchdog reset [--timeout S [set options]]: with the set options, a
 * BMC that answers 80h (never set since it started, section 27.5) is
 * set first and reset again, as the daemon's heartbeat does.
 */
static int
wd_reset(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct watchdog_op op;
	struct wd_opts o;
	struct wdt_timer t;
	char err[400], cc[IPMI_CCODE_TEXT_MAX];
	int r, reinit = 0;

	if (argc > 1) {
		if (wd_parse("watchdog reset", argc, argv, &o, 0) != 0)
			return CLI_EUSAGE;
		if (watchdog_validate(&o.cfg, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcwatch: watchdog reset: %s\n", err);
			return CLI_EUSAGE;
		}
		if ((r = get_timer(c, &t)) != CLI_OK)
			return r;
		memset(&op, 0, sizeof(op));
		op.kind = WATCHDOG_OP_KICK;
		op.cfg = o.cfg;
		if ((r = run_op(c, &op, "watchdog reset")) != CLI_OK)
			return r;
		reinit = op.reinit;
		goto done;
	}
	wdt_reset_req(&req);
	if ((r = cli_call(c, &req, &rsp)) != 0)
		return -r;
	if (rsp.ccode == WDT_CC_NOT_INITIALISED) {
		fprintf(stderr, "bmcwatch: %s: Reset Watchdog Timer: %s: the "
		    "watchdog was never set since the BMC started; run "
		    "`bmcwatch watchdog set --timeout S` first, or give reset "
		    "the set options\n", ipmi_tr_peer(conn_tr(c->conn)),
		    ipmi_ccode_fmt(cc, sizeof(cc), req.netfn, req.cmd,
		    rsp.ccode));
		return CLI_ECCODE;
	}
	if (rsp.ccode != IPMI_CC_OK)
		return cli_ccode_error(c, &req, &rsp, "Reset Watchdog Timer");
done:
	if (!c->json)
		printf("Watchdog Timer reset%s\n", reinit ? " (it was not "
		    "initialised: set first, then reset)" : "");
	else {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "reset", 1);
		jsonw_bool(&c->js, "set_first", reinit);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	}
	return CLI_OK;
}

/* watchdog clear: clear the expiration flags, leaving the timer as it
 * is (Set with "don't stop" and the current settings) */
static int
wd_clear(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct wdt_timer t;
	struct wdt_set s;
	uint32_t quirks = 0;
	uint8_t was;
	int r;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("watchdog clear", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((r = get_timer(c, &t)) != CLI_OK)
		return r;
	was = t.expired;
	if (was != 0) {
		wdt_set_from_timer(&s, &t);
		s.clear = WDT_EXP_ALL;
		wdt_set_req(&req, &s);
		if ((r = cli_call_ok(c, &req, &rsp, "Set Watchdog Timer")) != 0)
			return -r;
		(void)wdt_set_decode(rsp.data, rsp.len, &quirks);
	}
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_int(&c->js, "cleared_flags_raw", was);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("Timer Expiration Flags cleared (were 0x%02x)\n", was);
	return CLI_OK;
}

static int
wd_off(struct cli *c, int argc, char **argv)
{
	struct watchdog_op op;
	struct wdt_timer t;
	int r;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("watchdog off", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((r = get_timer(c, &t)) != CLI_OK)
		return r;
	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_STOP;
	if ((r = run_op(c, &op, "watchdog off")) != CLI_OK)
		return r;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "stopped", 1);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("Watchdog Timer stopped\n");
	return CLI_OK;
}

struct hb_state {
	struct cli	*c;
	int		 stopped;
	int		 fatal;
	int		 rc;
};

static void
hb_event(struct watchdog_hb *hb, const struct watchdog_op *op, void *arg)
{
	struct hb_state *s = arg;
	char msg[400], cc[IPMI_CCODE_TEXT_MAX];

	if (op->err != WATCHDOG_OK) {
		watchdog_op_errtext(op, msg, sizeof(msg));
		fprintf(stderr, "bmcwatch: watchdog heartbeat: %s\n", msg);
		if (op->kind == WATCHDOG_OP_ARM) {
			/* refusing to take over, or cannot arm: give up */
			s->fatal = 1;
			s->rc = op->err == WATCHDOG_E_OWNER ? CLI_EUSAGE :
			    op->err == WATCHDOG_E_CCODE ? CLI_ECCODE :
			    CLI_ETRANSPORT;
		}
	}
	switch (op->kind) {
	case WATCHDOG_OP_ARM:
		if (op->err == WATCHDOG_OK && s->c->verbose)
			fprintf(stderr, "bmcwatch: watchdog armed: %.1f s, "
			    "kicking every %.1f s\n",
			    hb->cfg.timeout_ms / 1000.0,
			    hb->cfg.interval_ms / 1000.0);
		break;
	case WATCHDOG_OP_KICK:
		if (op->reinit)
			fprintf(stderr, "bmcwatch: watchdog was not "
			    "initialised (%s): set it again\n",
			    ipmi_ccode_fmt(cc, sizeof(cc), IPMI_NETFN_APP,
			    IPMI_CMD_RESET_WATCHDOG_TIMER,
			    WDT_CC_NOT_INITIALISED));
		break;
	case WATCHDOG_OP_STOP:
		s->stopped = 1;
		break;
	default:
		break;
	}
}

/* the --for time is up */
static int64_t
hb_end(void *arg)
{
	int *ended = arg;

	*ended = 1;
	return EV_STOP;
}

static int
wd_heartbeat(struct cli *c, int argc, char **argv)
{
	struct wd_opts o;
	struct watchdog_hb hb;
	struct watchdog_owner own;
	struct hb_state s;
	struct wdt_timer t;
	struct ev_timer *end_t = NULL;
	char err[400];
	int r, signalled = 0, ended = 0;

	if (wd_parse("watchdog heartbeat", argc, argv, &o, 1) != 0)
		return CLI_EUSAGE;
	memset(&hb, 0, sizeof(hb));
	hb.cfg = o.cfg;
	if (watchdog_validate(&hb.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: watchdog heartbeat: %s\n", err);
		return CLI_EUSAGE;
	}
	if ((r = get_timer(c, &t)) != CLI_OK)
		return r;
	hb.force = o.force;
	hb.owner_wait_ms = OWNER_WAIT_MS;
	hb.local = local_owner(c, &own);
	memset(&s, 0, sizeof(s));
	s.c = c;
	if (ev_signal(c->ev, SIGINT, wd_onsig, &signalled) != 0 ||
	    ev_signal(c->ev, SIGTERM, wd_onsig, &signalled) != 0) {
		fprintf(stderr, "bmcwatch: watchdog heartbeat: signals: %s\n",
		    strerror(errno));
		return CLI_EUSAGE;
	}
	if (watchdog_hb_start(&hb, c->ev, c->conn, hb_event, &s, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: watchdog heartbeat: %s\n", err);
		return CLI_EUSAGE;
	}
	/* signals and the end time wake the loop themselves */
	if (o.for_ms)
		end_t = ev_timer_add(c->ev, o.for_ms, hb_end, &ended);
	while (!s.fatal && !signalled && !ended)
		if (ev_run_once(c->ev, -1) != 0)
			break;
	if (!s.fatal && !o.keep) {
		watchdog_hb_stop(&hb);
		while (!s.stopped)
			if (ev_run_once(c->ev, -1) != 0)
				break;
	} else
		watchdog_hb_pause(&hb);
	/* hb lives on this stack: let what it has in flight finish */
	while (hb.op.active)
		if (ev_run_once(c->ev, -1) != 0)
			break;
	if (o.keep && !s.fatal)
		fprintf(stderr, "bmcwatch: watchdog left running (--keep): "
		    "it fires in %.1f s unless reset\n",
		    hb.cfg.timeout_ms / 1000.0);
	ev_timer_del(c->ev, end_t);
	r = s.fatal ? s.rc : CLI_OK;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_int(&c->js, "kicks", (long long)hb.kicks);
		jsonw_int(&c->js, "failures", (long long)hb.failures);
		jsonw_bool(&c->js, "stopped", s.stopped);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("Watchdog heartbeat: %llu resets, %llu failures%s\n",
		    (unsigned long long)hb.kicks,
		    (unsigned long long)hb.failures,
		    s.stopped ? ", timer stopped" : "");
	watchdog_hb_free(&hb);
	if (r == CLI_OK && hb.failures > 0)
		r = CLI_ECCODE;
	return r;
}

int
cli_watchdog(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cli *, int, char **);
	} sub[] = {
		{ "get", wd_get },
		{ "set", wd_set },
		{ "reset", wd_reset },
		{ "clear", wd_clear },
		{ "off", wd_off },
		{ "heartbeat", wd_heartbeat },
	};
	size_t i;

	if (argc < 2) {
		cli_usage_error("watchdog", "need a subcommand: get, set, "
		    "reset, clear, off, heartbeat");
		return CLI_EUSAGE;
	}
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].fn(c, argc - 1, argv + 1);
	cli_usage_error("watchdog", "unknown subcommand '%s' (get, set, "
	    "reset, clear, off, heartbeat)", argv[1]);
	return CLI_EUSAGE;
}
