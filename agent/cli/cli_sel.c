/*
 * bmcwatch sel info | list | clear | archive
 *
 *	sel info
 *	sel list [--last N] [--open] [--acks FILE] [SDR options]
 *	    [--severity-config FILE]
 *	sel ack --acks FILE ID...
 *	sel clear [--state FILE] [--force]
 *	sel archive [--archive FILE] [--state FILE] [--json-archive FILE]
 *	    [--clear-at PERCENT] [--clear-free N] [--no-clear]
 *	    [--delete-entries] [--bmc NAME]
 *	    [--syslog FACILITY] [SDR options] [--severity-config FILE]
 *
 * The archive defaults to /var/log/bmcwatch/sel.log, the state to
 * /var/lib/bmcwatch/sel-BMC.state (sel-BMC-PORT.state on a LAN port other
 * than 623; $BMCWATCH_STATE_DIR moves the directory).
 *
 * `sel archive` is one archive-then-clear pass (bmc/selmon.c), the same
 * code the daemon runs, usable from cron; `sel list` and `sel ack` read
 * the SEL with selmon too (SELMON_LIST: nothing archived or moved), and
 * print through the shapes of bmc/shape_sel.c.  --delete-entries deletes the
 * archived entries one by one instead of Clear SEL: slower, but safe on
 * BMCs whose reservations survive additions (see selmon.c).  The archive files are opened
 * and closed around every append, so logrotate can move them at any
 * time.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cli_sdr.h"
#include "log.h"
#include "sel.h"
#include "selmon.h"
#include "severity.h"
#include "shape_sel.h"
#include "store/archive.h"
#include "store/state.h"
#include "xmem.h"

#define SEL_ARCHIVE_DEFAULT	"/var/log/bmcwatch/sel.log"
#define SEL_STATE_DIR		"/var/lib/bmcwatch"

static int
sel_parse_ulong(const char *s, unsigned long min, unsigned long max,
    unsigned long *v)
{
	char *end;
	unsigned long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

/* a record ID: decimal or 0x hex, 0001h-FFFEh */
static int
sel_parse_id(const char *s, uint16_t *id)
{
	char *end;
	unsigned long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || n < 1 || n > 0xfffe)
		return -1;
	*id = (uint16_t)n;
	return 0;
}

/* ---- sel info ---- */

static int
sel_get_info(struct cli *c, struct sel_info *i)
{
	struct ipmi_req q;
	struct ipmi_rsp rsp;
	int r;

	memset(i, 0, sizeof(*i));	/* defined on every return */
	sel_info_req(&q);
	if ((r = cli_call_ok(c, &q, &rsp, "Get SEL Info")) != 0)
		return -r;
	if (sel_info_decode(rsp.data, rsp.len, i) != IPMI_OK)
		return cli_short_error(c, "Get SEL Info", rsp.len,
		    SEL_INFO_RSP_LEN);
	return CLI_OK;
}

static int
sel_cmd_info(struct cli *c, int argc, char **argv)
{
	struct sel_info i;
	struct sel_alloc a;
	struct ipmi_req q;
	struct ipmi_rsp rsp;
	uint32_t t = 0;
	int r, have_alloc = 0, have_time = 0;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("sel info", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((r = sel_get_info(c, &i)) != CLI_OK)
		return r;
	if (i.ops & SEL_OP_ALLOC_INFO) {
		sel_alloc_req(&q);
		if ((r = cli_call(c, &q, &rsp)) != 0)
			return -r;
		have_alloc = rsp.ccode == IPMI_CC_OK &&
		    sel_alloc_decode(rsp.data, rsp.len, &a) == IPMI_OK;
	}
	sel_time_get_req(&q);
	if ((r = cli_call(c, &q, &rsp)) != 0)
		return -r;
	have_time = rsp.ccode == IPMI_CC_OK &&
	    sel_time_get_decode(rsp.data, rsp.len, &t) == IPMI_OK;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		shape_sel_info(&c->js, &i, have_alloc ? &a : NULL,
		    have_time ? (int64_t)t : -1);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		shape_sel_info_text(stdout, &i, have_alloc ? &a : NULL,
		    have_time ? (int64_t)t : -1);
	return CLI_OK;
}

/* ---- the sensor model for descriptions ---- */

struct sel_model {
	struct sdr_cache	*sc;
	struct severity		*sev;
	struct selmon_names	 names;
};

struct sel_sdr_wait {
	volatile int		 done;
	enum sdr_cache_err	 err;
};

static void
sel_sdr_done(void *arg, enum sdr_cache_err e)
{
	struct sel_sdr_wait *w = arg;

	w->err = e;
	w->done = 1;
}

/*
 * SDR (for names and units) and the severity table.  A BMC whose SDR
 * cannot be read still gets its SEL listed, with numbers.
 */
static int
sel_model_open(struct cli *c, struct sel_model *m,
    const struct cli_sdr_opts *so, const char *sevfile)
{
	struct sel_sdr_wait w;
	char err[512];
	int rc;

	memset(m, 0, sizeof(*m));
	m->sev = severity_new();
	if (sevfile != NULL && severity_load(m->sev, sevfile, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		return CLI_EUSAGE;
	}
	if ((m->sc = cli_sdr_cache(c, so, &rc)) == NULL)
		return rc;
	memset(&w, 0, sizeof(w));
	if (sdr_cache_refresh(m->sc, sel_sdr_done, &w) == 0)
		cli_sdr_wait(c, &w.done);
	else	/* names not shown: said below */
		w.err = SDR_CACHE_E_BUSY;
	if (w.err != SDR_CACHE_OK) {
		if (w.err == SDR_CACHE_E_TRANSPORT) {
			fprintf(stderr, "bmcwatch: %s: SDR repository: %s\n",
			    ipmi_tr_peer(conn_tr(c->conn)),
			    sdr_cache_detail(m->sc));
			return CLI_ETRANSPORT;
		}
		if (c->verbose)
			fprintf(stderr, "bmcwatch: SDR repository: %s: "
			    "sensor names not shown\n",
			    w.err == SDR_CACHE_E_BUSY ?
			    sdr_cache_strerror(w.err) :
			    sdr_cache_detail(m->sc));
	}
	selmon_names_init(&m->names, w.err == SDR_CACHE_OK ?
	    sdr_cache_image(m->sc) : NULL, m->sev);
	return CLI_OK;
}

static void
sel_model_close(struct sel_model *m)
{
	if (m->sc != NULL)
		sdr_cache_free(m->sc);
	severity_free(m->sev);
}

/* ---- sel list ---- */

static const char *
sel_bmc_name(const struct cli *c)
{
	if (c->cfg.iface == IPMI_IFACE_OPEN)
		return "localhost";
	return c->cfg.host;
}

/* the SEL as read, oldest first, with its open problems and acks */
struct sel_list {
	struct sel_rec	*rec;
	struct sel_desc	*desc;
	uint8_t		*open;
	uint8_t		*acked;
	size_t		 n;
	size_t		 cap;
};

static void
sel_list_free(struct sel_list *l)
{
	free(l->rec);
	free(l->desc);
	free(l->open);
	free(l->acked);
	memset(l, 0, sizeof(*l));
}

static void
sel_list_add(struct sel_list *l, const struct sel_rec *r,
    const struct sel_desc *d)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->rec = xreallocarray(l->rec, l->cap, sizeof(*l->rec));
		l->desc = xreallocarray(l->desc, l->cap, sizeof(*l->desc));
	}
	l->rec[l->n] = *r;
	l->desc[l->n] = *d;
	l->n++;
}

static void
sel_list_on_entry(void *arg, const struct sel_rec *r,
    const struct sel_desc *d)
{
	sel_list_add(arg, r, d);
}

/*
 * Every entry, oldest first: a SELMON_LIST pass of the one SEL walker
 * (bmc/selmon.c): Get SEL Info, then Get SEL Entry along the chain.
 * Errors are said as for any other request.
 */
static int
sel_read_all(struct cli *c, const struct sel_names *names,
    struct sel_list *l)
{
	struct selmon_cfg cfg;
	struct selmon_result r;
	struct selmon *mon;
	struct ipmi_tr *tr;
	int rc;

	memset(l, 0, sizeof(*l));
	if ((rc = cli_connect(c)) != CLI_OK)
		return rc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.bmc = sel_bmc_name(c);
	cfg.names = names;
	cfg.on_list = sel_list_on_entry;
	cfg.arg = l;
	cfg.bridged = c->bridged;
	cfg.target_chan = c->target_chan;
	cfg.target_addr = c->target_addr;
	mon = selmon_new(c->ev, c->conn, &cfg);
	selmon_run(mon, SELMON_LIST, &r);
	selmon_free(mon);
	tr = conn_tr(c->conn);
	switch (r.err) {
	case SELMON_OK:
		return CLI_OK;
	case SELMON_E_TRANSPORT:
		/* what the transport knows, as cli_call says it */
		if (strcmp(ipmi_tr_error(tr), "no error") != 0)
			fprintf(stderr, "bmcwatch: %s: %s\n", ipmi_tr_peer(tr),
			    ipmi_tr_error(tr));
		else
			fprintf(stderr, "bmcwatch: %s\n", r.msg);
		return CLI_ETRANSPORT;
	case SELMON_E_PROTO:
		fprintf(stderr, "bmcwatch: %s: %s\n", ipmi_tr_peer(tr), r.msg);
		return CLI_ETRANSPORT;
	default:
		fprintf(stderr, "bmcwatch: %s: %s\n", ipmi_tr_peer(tr), r.msg);
		return CLI_ECCODE;
	}
}

/* open problems, and the acknowledged entries */
static int
sel_mark(struct sel_list *l, const char *acks)
{
	uint8_t (*ack)[SEL_RECORD_LEN] = NULL;
	char err[512];
	size_t i, k, nack = 0;
	int rc = 0;

	l->open = xcalloc(l->n ? l->n : 1, 1);
	l->acked = xcalloc(l->n ? l->n : 1, 1);
	(void)selmon_open_problems(l->rec, l->desc, l->n, l->open);
	if (acks != NULL) {
		if (state_acks_load(acks, &ack, &nack, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcwatch: --acks %s\n", err);
			rc = -1;
		}
		for (i = 0; i < l->n; i++)
			for (k = 0; k < nack; k++)
				if (memcmp(ack[k], l->rec[i].raw,
				    SEL_RECORD_LEN) == 0)
					l->acked[i] = 1;
	}
	free(ack);
	return rc;
}

static int
sel_cmd_list(struct cli *c, int argc, char **argv)
{
	struct cli_sdr_opts so;
	struct sel_model m;
	struct sel_list l;
	const char *sevfile = NULL, *acks = NULL;
	unsigned long last = 0;
	unsigned flags = 0;
	int k, r, rc = CLI_OK;

	memset(&so, 0, sizeof(so));
	memset(&m, 0, sizeof(m));
	memset(&l, 0, sizeof(l));
	for (k = 1; k < argc; k++) {
		if ((r = cli_sdr_opt("sel list", argc, argv, &k, &so)) < 0)
			return CLI_EUSAGE;
		if (r == 1)
			continue;
		if (strcmp(argv[k], "--open") == 0)
			flags |= SHAPE_SEL_OPEN_ONLY;
		else if (strcmp(argv[k], "--last") == 0 && k + 1 < argc) {
			if (sel_parse_ulong(argv[++k], 1, SELMON_LIST_MAX,
			    &last) != 0) {
				cli_usage_error("sel list", "bad --last '%s'",
				    argv[k]);
				return CLI_EUSAGE;
			}
		} else if (strcmp(argv[k], "--severity-config") == 0 &&
		    k + 1 < argc)
			sevfile = argv[++k];
		else if (strcmp(argv[k], "--acks") == 0 && k + 1 < argc)
			acks = argv[++k];
		else {
			cli_usage_error("sel list", "unknown option '%s'",
			    argv[k]);
			return CLI_EUSAGE;
		}
	}
	if ((rc = sel_model_open(c, &m, &so, sevfile)) != CLI_OK)
		goto done;
	if ((rc = sel_read_all(c, &m.names.names, &l)) != CLI_OK)
		goto done;
	if (sel_mark(&l, acks) != 0) {
		rc = CLI_EUSAGE;
		goto done;
	}
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		shape_sel_entries(&c->js, l.rec, l.desc, l.open, l.acked, l.n,
		    flags, last);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		shape_sel_entries_text(stdout, l.rec, l.desc, l.open, l.acked,
		    l.n, flags, last);
done:
	sel_list_free(&l);
	sel_model_close(&m);
	return rc;
}

/* sel ack --acks FILE ID...: acknowledge entries by record ID */
static int
sel_cmd_ack(struct cli *c, int argc, char **argv)
{
	struct sel_list l;
	const char *acks = NULL;
	uint16_t id;
	size_t i;
	char err[512];
	int k, rc, nids = 0, found;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--acks") == 0 && k + 1 < argc)
			acks = argv[++k];
		else if (sel_parse_id(argv[k], &id) == 0)
			nids++;
		else {
			cli_usage_error("sel ack", "bad record ID '%s'",
			    argv[k]);
			return CLI_EUSAGE;
		}
	}
	if (acks == NULL || nids == 0) {
		cli_usage_error("sel ack", "usage: sel ack --acks FILE ID...");
		return CLI_EUSAGE;
	}
	if ((rc = sel_read_all(c, NULL, &l)) != CLI_OK) {
		sel_list_free(&l);
		return rc;
	}
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--acks") == 0) {
			k++;
			continue;
		}
		(void)sel_parse_id(argv[k], &id);
		found = 0;
		for (i = 0; i < l.n && !found; i++)
			if (l.rec[i].id == id) {
				found = 1;
				if (state_ack_append(acks, l.rec[i].raw,
				    err, sizeof(err)) != 0) {
					fprintf(stderr, "bmcwatch: sel ack: "
					    "%s\n", err);
					sel_list_free(&l);
					return CLI_EUSAGE;
				}
			}
		if (!found) {
			fprintf(stderr, "bmcwatch: sel ack: no record %s in "
			    "the SEL\n", argv[k]);
			rc = CLI_ECCODE;
		}
	}
	sel_list_free(&l);
	return rc;
}

/* ---- sel clear / sel archive ---- */

static int
sel_exit(enum selmon_err e)
{
	switch (e) {
	case SELMON_OK:
		return CLI_OK;
	case SELMON_E_TRANSPORT:
		return CLI_ETRANSPORT;
	default:
		return CLI_ECCODE;
	}
}


/*
 * The default state file: one per BMC, by its name and, on a LAN port
 * other than 623, the port (two BMCs behind one address are two SELs),
 * made safe for a file name.
 */
static void
sel_state_path(const struct cli *c, const char *bmc, char *path, size_t len)
{
	const char *dir = getenv("BMCWATCH_STATE_DIR");
	char port[16] = "";
	size_t i;

	if (dir == NULL || *dir == '\0')
		dir = SEL_STATE_DIR;
	if (c->cfg.iface != IPMI_IFACE_OPEN && c->cfg.port != 0 &&
	    c->cfg.port != 623)
		(void)snprintf(port, sizeof(port), "-%u",
		    (unsigned)c->cfg.port);
	(void)snprintf(path, len, "%s/sel-%s%s.state", dir, bmc, port);
	for (i = strlen(dir) + 1; i < len && path[i] != '\0'; i++)
		if (path[i] == '/' || path[i] < 0x20)
			path[i] = '_';
}

/*
 * The BMC's identity for the SEL state (selmon_cfg.identity): the SDR
 * cache key (its GUID, or Device ID, manufacturer and product), and for
 * the latter the address, since two BMCs of one model are two SELs.
 * NULL when the key is not known (--sdr-file, no answer).
 */
static const char *
sel_identity(const struct cli *c, struct sdr_cache *sc, char *buf,
    size_t len)
{
	const char *key = sc != NULL ? sdr_cache_key(sc) : "";

	if (key[0] == '\0')
		return NULL;
	if (strncmp(key, "guid-", 5) == 0)
		(void)snprintf(buf, len, "%s", key);
	else
		(void)snprintf(buf, len, "%s@%s", key,
		    ipmi_tr_peer(conn_tr(c->conn)));
	return buf;
}

/*
 * Where a pass touches the disk: inline, or with BMCWATCH_SEL_IO=worker
 * on a work thread as the daemon does, so the tests run the kill loops
 * both ways.  NULL: inline (also if no thread can be had).
 */
static struct work *
sel_io(struct cli *c)
{
	const char *e = getenv("BMCWATCH_SEL_IO");

	if (e == NULL || strcmp(e, "worker") != 0)
		return NULL;
	return work_new(c->ev, 1);
}

static void
sel_report(struct cli *c, const char *what, const struct selmon_result *r)
{
	const char *peer = ipmi_tr_peer(conn_tr(c->conn));

	if (r->err != SELMON_OK) {
		fprintf(stderr, "bmcwatch: %s: %s: %s: %s\n", peer, what,
		    selmon_strerror(r->err), r->msg);
		return;
	}
	if (c->json) {
		struct jsonw *j = &c->js;

		jsonw_obj_begin(j, NULL);
		jsonw_int(j, "new_entries", r->new_entries);
		jsonw_int(j, "skipped", r->skipped);
		jsonw_bool(j, "cleared", r->cleared);
		jsonw_int(j, "cleared_entries", r->cleared_entries);
		jsonw_int(j, "entries", r->info.entries);
		if (r->used_pct >= 0)
			jsonw_int(j, "percent_used", r->used_pct);
		else
			jsonw_null(j, "percent_used");
		jsonw_bool(j, "overflow", r->overflow);
		jsonw_bool(j, "out_of_band_clear", r->oob_clear);
		jsonw_bool(j, "new_bmc", r->new_bmc);
		jsonw_bool(j, "new_generation", r->new_generation);
		jsonw_bool(j, "archive_only", r->archive_only);
		jsonw_bool(j, "maybe_lost", r->maybe_lost);
		jsonw_int(j, "requests", r->requests);
		jsonw_str(j, "message", r->msg[0] ? r->msg : NULL);
		jsonw_str(j, "note", r->note[0] ? r->note : NULL);
		jsonw_obj_end(j);
		jsonw_end(j);
		return;
	}
	if (r->oob_clear)
		printf("%s: the SEL was cleared by someone else since the "
		    "last pass\n", what);
	if (r->overflow)
		printf("%s: the SEL is full and has dropped events "
		    "(overflow)\n", what);
	printf("%s: %u new entries archived, %u already archived; SEL holds "
	    "%u entries", what, r->new_entries, r->skipped, r->info.entries);
	if (r->used_pct >= 0)
		printf(" (%d%% used)", r->used_pct);
	printf("\n");
	if (r->msg[0])
		printf("%s: %s\n", what, r->msg);
}

static int
sel_cmd_clear(struct cli *c, int argc, char **argv)
{
	struct selmon_cfg cfg;
	struct selmon_result r;
	struct selmon *mon;
	const char *state = NULL;
	int k, force = 0, rc;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--force") == 0)
			force = 1;
		else if (strcmp(argv[k], "--state") == 0 && k + 1 < argc)
			state = argv[++k];
		else {
			cli_usage_error("sel clear", "unknown option '%s'",
			    argv[k]);
			return CLI_EUSAGE;
		}
	}
	if (!force && state == NULL) {
		struct sel_info i;

		/* nothing tells us what is archived: only an empty SEL
		 * may be "cleared" without --force */
		if ((rc = sel_get_info(c, &i)) != CLI_OK)
			return rc;
		if (i.entries > 0) {
			fprintf(stderr, "bmcwatch: %s: sel clear: refusing "
			    "to clear %u entries that may not be archived: "
			    "run 'bmcwatch sel archive' (or give its --state "
			    "FILE), or add --force\n",
			    ipmi_tr_peer(conn_tr(c->conn)), i.entries);
			return CLI_ECCODE;
		}
		printf("sel clear: the SEL is empty\n");
		return CLI_OK;
	}
	if ((rc = cli_sdr_connect(c)) != CLI_OK)
		return rc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.bmc = sel_bmc_name(c);
	cfg.state_path = state;
	cfg.io = sel_io(c);
	mon = selmon_new(c->ev, c->conn, &cfg);
	selmon_run(mon, force ? SELMON_CLEAR_FORCE : SELMON_CLEAR_NOW, &r);
	selmon_free(mon);
	work_free(cfg.io);
	if (r.err == SELMON_E_UNARCHIVED) {
		fprintf(stderr, "bmcwatch: %s: sel clear: refusing: %s; run "
		    "'bmcwatch sel archive' first, or add --force\n",
		    ipmi_tr_peer(conn_tr(c->conn)), r.msg);
		return CLI_ECCODE;
	}
	if (r.err != SELMON_OK) {
		sel_report(c, "sel clear", &r);
		return sel_exit(r.err);
	}
	if (r.archive_only) {
		/* nothing was cleared: not a success */
		if (c->json)
			sel_report(c, "sel clear", &r);
		fprintf(stderr, "bmcwatch: %s: sel clear: not cleared: %s\n",
		    ipmi_tr_peer(conn_tr(c->conn)), r.msg);
		return CLI_ECCODE;
	}
	if (c->json)
		sel_report(c, "sel clear", &r);
	else if (r.cleared)
		printf("sel clear: cleared %u entries\n", r.cleared_entries);
	else if (r.msg[0])
		printf("sel clear: %s\n", r.msg);
	else
		printf("sel clear: the SEL is empty\n");
	return CLI_OK;
}

static int
sel_cmd_archive(struct cli *c, int argc, char **argv)
{
	struct cli_sdr_opts so;
	struct sel_model m;
	struct archive_cfg acfg;
	struct selmon_cfg cfg;
	struct selmon_result r;
	struct selmon *mon;
	struct archive *arch;
	const char *sevfile = NULL, *bmc = NULL;
	char spath[4096], ident[STATE_IDENTITY_MAX + 1];
	unsigned long v;
	int k, x, rc, mode = SELMON_CLEAR;

	memset(&so, 0, sizeof(so));
	memset(&acfg, 0, sizeof(acfg));
	memset(&cfg, 0, sizeof(cfg));
	cfg.clear_at = 75;
	acfg.reopen_each = 1;
	for (k = 1; k < argc; k++) {
		if ((x = cli_sdr_opt("sel archive", argc, argv, &k, &so)) < 0)
			return CLI_EUSAGE;
		if (x == 1)
			continue;
		if (strcmp(argv[k], "--no-clear") == 0) {
			mode = SELMON_READ;
			continue;
		}
		if (strcmp(argv[k], "--delete-entries") == 0) {
			cfg.delete_entries = 1;
			continue;
		}
		if (k + 1 >= argc) {
			cli_usage_error("sel archive", "unknown option '%s' "
			    "or missing argument", argv[k]);
			return CLI_EUSAGE;
		}
		if (strcmp(argv[k], "--archive") == 0)
			acfg.path = argv[++k];
		else if (strcmp(argv[k], "--json-archive") == 0)
			acfg.json_path = argv[++k];
		else if (strcmp(argv[k], "--state") == 0)
			cfg.state_path = argv[++k];
		else if (strcmp(argv[k], "--bmc") == 0)
			bmc = argv[++k];
		else if (strcmp(argv[k], "--severity-config") == 0)
			sevfile = argv[++k];
		else if (strcmp(argv[k], "--syslog") == 0) {
			if (log_facility_parse(argv[++k], &acfg.facility) != 0) {
				cli_usage_error("sel archive", "bad syslog "
				    "facility '%s' (daemon, user, local0-7)",
				    argv[k]);
				return CLI_EUSAGE;
			}
			acfg.use_syslog = 1;
		} else if (strcmp(argv[k], "--clear-at") == 0) {
			if (sel_parse_ulong(argv[++k], 0, 100, &v) != 0) {
				cli_usage_error("sel archive", "bad "
				    "--clear-at '%s' (0-100 %%, 0 = off)",
				    argv[k]);
				return CLI_EUSAGE;
			}
			cfg.clear_at = (int)v;
		} else if (strcmp(argv[k], "--clear-free") == 0) {
			if (sel_parse_ulong(argv[++k], 0, 65535, &v) != 0) {
				cli_usage_error("sel archive", "bad "
				    "--clear-free '%s' (entries)", argv[k]);
				return CLI_EUSAGE;
			}
			cfg.clear_free = (unsigned)v;
		} else {
			cli_usage_error("sel archive", "unknown option '%s'",
			    argv[k]);
			return CLI_EUSAGE;
		}
	}
	cfg.bmc = bmc != NULL ? bmc : sel_bmc_name(c);
	if (acfg.path == NULL)
		acfg.path = SEL_ARCHIVE_DEFAULT;
	if (cfg.state_path == NULL) {
		sel_state_path(c, cfg.bmc, spath, sizeof(spath));
		cfg.state_path = spath;
	}
	if (cfg.clear_at == 0 && cfg.clear_free == 0 && mode == SELMON_CLEAR)
		mode = SELMON_READ;
	if ((rc = sel_model_open(c, &m, &so, sevfile)) != CLI_OK) {
		sel_model_close(&m);
		return rc;
	}
	/* a file size limit must fail the write (EFBIG), as a full disk
	 * does, not kill us in the middle of it */
	(void)signal(SIGXFSZ, SIG_IGN);
	arch = archive_new(&acfg);
	cfg.archive = arch;
	cfg.archive_path = acfg.path;
	cfg.names = &m.names.names;
	/* who answers, found with the SDR cache (no request of its own) */
	cfg.identity = sel_identity(c, m.sc, ident, sizeof(ident));
	cfg.io = sel_io(c);
	mon = selmon_new(c->ev, c->conn, &cfg);
	selmon_run(mon, mode, &r);
	selmon_free(mon);
	work_free(cfg.io);
	archive_free(arch);
	sel_model_close(&m);
	sel_report(c, "sel archive", &r);
	if (r.err == SELMON_OK && r.archive_only_new)
		fprintf(stderr, "bmcwatch: %s: sel archive: %s\n",
		    ipmi_tr_peer(conn_tr(c->conn)), r.msg);
	if (r.new_bmc)
		fprintf(stderr, "bmcwatch: %s: sel archive: %s\n",
		    ipmi_tr_peer(conn_tr(c->conn)), r.note);
	if (acfg.use_syslog && r.new_bmc)
		syslog(acfg.facility | LOG_WARNING, "sel: %s: %s", cfg.bmc,
		    r.note);
	/* every clear is logged with its count, and failures too */
	if (acfg.use_syslog && (r.cleared || r.archive_only_new ||
	    r.err != SELMON_OK))
		log_record(acfg.facility, r.err != SELMON_OK ? LOG_ERR :
		    r.maybe_lost ? LOG_WARNING : LOG_NOTICE, cfg.bmc, "sel",
		    "%s%s%s", r.err != SELMON_OK ? selmon_strerror(r.err) : "",
		    r.err != SELMON_OK ? ": " : "", r.msg);
	return sel_exit(r.err);
}

int
cli_sel(struct cli *c, int argc, char **argv)
{
	if (argc < 2) {
		cli_usage_error("sel", "needs a subcommand: info, list, "
		    "clear, archive, ack");
		return CLI_EUSAGE;
	}
	if (strcmp(argv[1], "info") == 0)
		return sel_cmd_info(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return sel_cmd_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "clear") == 0)
		return sel_cmd_clear(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "archive") == 0)
		return sel_cmd_archive(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "ack") == 0)
		return sel_cmd_ack(c, argc - 1, argv + 1);
	cli_usage_error("sel", "unknown subcommand '%s' (info, list, clear, "
	    "archive, ack)", argv[1]);
	return CLI_EUSAGE;
}
