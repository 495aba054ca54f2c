/*
 * bmcwatch sel watch: print the BMC's event messages as they arrive,
 * through the OpenIPMI driver (the `open' interface), without reading
 * the SEL: the way the daemon learns of a new SEL entry within a second
 * instead of at its next sel-interval poll.  The other `sel' commands
 * are cli_sel.c's; this file only adds `watch' in front of them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sel.h"
#include "selmon.h"
#include "shape_sel.h"

#define WATCH_MAX_S	(366UL * 24 * 3600)

struct watch {
	struct cli	*c;
	/* type and event names from the spec's tables; no SDR is read
	 * (no request at all), so sensors go by number */
	struct selmon_names names;
	uint64_t	 t0;		/* monotonic ms at start */
	unsigned long	 seen;
	unsigned long	 max;		/* 0: no limit */
	volatile int	 stop;
};

/* one object per line (a stream, read line by line): the keys of sel
 * list that one message carries (open and acknowledged belong to the
 * SEL as a whole), plus when it came */
static void
watch_print_json(const struct sel_rec *r, const struct sel_desc *d,
    uint64_t ms)
{
	struct jsonw j;

	jsonw_init(&j, stdout);
	jsonw_obj_begin(&j, NULL);
	shape_sel_entry(&j, r, d, -1, -1);
	jsonw_int(&j, "received_ms", (long long)ms);
	jsonw_obj_end(&j);
	jsonw_end(&j);
}

static void
watch_on_event(void *arg, const uint8_t *rec, size_t len)
{
	struct watch *w = arg;
	struct sel_rec r;
	struct sel_desc d;
	uint64_t ms = ev_now() - w->t0;

	if (sel_rec_decode(rec, len, &r) != IPMI_OK) {
		fprintf(stderr, "bmcwatch: %s: event message of %zu bytes "
		    "ignored (not a SEL record)\n",
		    ipmi_tr_peer(conn_tr(w->c->conn)), len);
		return;
	}
	sel_describe(&r, &w->names.names, &d);
	if (w->c->json)
		watch_print_json(&r, &d, ms);
	else
		shape_sel_event_text(stdout, &r, &d);
	(void)fflush(stdout);
	w->seen++;
	if (w->max > 0 && w->seen >= w->max)
		w->stop = 1;
}

static int64_t
watch_on_end(void *arg)
{
	struct watch *w = arg;

	w->stop = 1;
	return EV_STOP;
}

static void
watch_on_signal(int signo, void *arg)
{
	struct watch *w = arg;

	(void)signo;
	w->stop = 1;
}

static int
watch_parse(const char *opt, const char *s, unsigned long max,
    unsigned long *v)
{
	char *end;

	errno = 0;
	if (s == NULL || *s == '\0' || *s == '-' ||
	    (*v = strtoul(s, &end, 10), errno != 0) || *end != '\0' ||
	    *v == 0 || *v > max) {
		cli_usage_error("sel watch", "%s wants a number from 1 to %lu",
		    opt, max);
		return -1;
	}
	return 0;
}

static int
cli_sel_watch(struct cli *c, int argc, char **argv)
{
	struct watch w;
	struct ev_timer *t = NULL;
	unsigned long secs = 0;
	int i, rc;

	memset(&w, 0, sizeof(w));
	w.c = c;
	selmon_names_init(&w.names, NULL, NULL);
	for (i = 2; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--for") == 0) {
			if (watch_parse("--for", val, WATCH_MAX_S, &secs) != 0)
				return CLI_EUSAGE;
			i++;
		} else if (strcmp(argv[i], "--count") == 0) {
			if (watch_parse("--count", val, 1000000, &w.max) != 0)
				return CLI_EUSAGE;
			i++;
		} else {
			cli_usage_error("sel watch", "unknown option '%s' "
			    "(--for SECONDS, --count N)", argv[i]);
			return CLI_EUSAGE;
		}
	}
	if (c->cfg.iface != IPMI_IFACE_OPEN) {
		cli_usage_error("sel watch", "event messages come only "
		    "through the open interface (-I open, as root on the "
		    "server); over LAN, use sel list");
		return CLI_EUSAGE;
	}
	if ((rc = cli_connect(c)) != CLI_OK)
		return rc;
	if (conn_set_event_cb(c->conn, watch_on_event, &w) != IPMI_OK) {
		fprintf(stderr, "bmcwatch: %s: %s\n",
		    ipmi_tr_peer(conn_tr(c->conn)),
		    ipmi_tr_error(conn_tr(c->conn)));
		return CLI_ETRANSPORT;
	}
	if (ev_signal(c->ev, SIGINT, watch_on_signal, &w) != 0 ||
	    ev_signal(c->ev, SIGTERM, watch_on_signal, &w) != 0) {
		fprintf(stderr, "bmcwatch: signals: %s\n", strerror(errno));
		return CLI_EUSAGE;
	}
	w.t0 = ev_now();
	if (secs > 0)
		t = ev_timer_add(c->ev, (int64_t)secs * 1000, watch_on_end, &w);
	fprintf(stderr, "bmcwatch: %s: waiting for event messages\n",
	    ipmi_tr_peer(conn_tr(c->conn)));
	while (!w.stop)
		if (ev_run_once(c->ev, -1) != 0)
			break;
	ev_timer_del(c->ev, t);
	(void)conn_set_event_cb(c->conn, NULL, NULL);
	return CLI_OK;
}

int
cli_selwatch(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "watch") == 0)
		return cli_sel_watch(c, argc, argv);
	return cli_sel(c, argc, argv);
}
