/*
 * bmcwatch sdr: the SDR repository.
 *	sdr info		Get SDR Repository Info
 *	sdr list		decoded records (from the cache when valid)
 *	sdr dump FILE		raw image (ipmitool `sdr dump` format), for
 *				--sdr-file and offline analysis
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_sdr.h"
#include "evtext.h"
#include "sdr.h"

int
cli_sdr_opt(const char *cmd, int argc, char **argv, int *i,
    struct cli_sdr_opts *o)
{
	const char *a = argv[*i];

	if (strcmp(a, "--sdr-cache") == 0 || strcmp(a, "--sdr-file") == 0) {
		if (*i + 1 >= argc) {
			cli_usage_error(cmd, "%s needs an argument", a);
			return -1;
		}
		if (strcmp(a, "--sdr-cache") == 0)
			o->cache_dir = argv[++*i];
		else
			o->sdr_file = argv[++*i];
		return 1;
	}
	if (strcmp(a, "--no-sdr-cache") == 0) {
		o->no_cache = 1;
		return 1;
	}
	return 0;
}

int
cli_sdr_connect(struct cli *c)
{
	if (c->conn == NULL && c->bridged) {
		cli_usage_error("sensors", "--target-addr is not supported "
		    "here: sensors are addressed by their SDR owner");
		return CLI_EUSAGE;
	}
	return cli_connect(c);
}

struct sdr_cache *
cli_sdr_cache(struct cli *c, const struct cli_sdr_opts *o, int *rc)
{
	return cli_sdr_cache_conn(c, o, 1, rc);
}

struct sdr_cache *
cli_sdr_cache_conn(struct cli *c, const struct cli_sdr_opts *o,
    int need_conn, int *rc)
{
	struct sdr_cache *sc;
	char dir[4096], peer[400], err[512];
	const char *d = NULL;

	if (o->sdr_file != NULL) {
		struct sdr_image im;

		memset(&im, 0, sizeof(im));
		if (sdr_image_load(&im, o->sdr_file, err, sizeof(err)) != 0) {
			fprintf(stderr, "bmcwatch: --sdr-file %s\n", err);
			*rc = CLI_EUSAGE;
			return NULL;
		}
		if (need_conn && (*rc = cli_sdr_connect(c)) != CLI_OK) {
			sdr_image_clear(&im);
			return NULL;
		}
		*rc = CLI_OK;
		/* a fixed image never reaches the connection */
		sc = sdr_cache_new(c->ev, c->conn, NULL, NULL, NULL);
		sdr_cache_use_image(sc, &im);
		return sc;
	}
	if (!o->no_cache) {
		if (o->cache_dir != NULL)
			d = o->cache_dir;
		else if (sdr_cache_default_dir(dir, sizeof(dir)) == 0)
			d = dir;
	}
	if ((*rc = cli_sdr_connect(c)) != CLI_OK)
		return NULL;
	if (c->cfg.iface == IPMI_IFACE_OPEN)
		(void)snprintf(peer, sizeof(peer), "open-%s",
		    c->cfg.device[0] ? c->cfg.device : "default");
	else
		(void)snprintf(peer, sizeof(peer), "%s-%s-%u",
		    c->cfg.iface == IPMI_IFACE_LAN ? "lan" : "lanplus",
		    c->cfg.host, c->cfg.port ? (unsigned)c->cfg.port : 623u);
	*rc = CLI_OK;
	return sdr_cache_new(c->ev, c->conn, NULL, d, peer);
}

void
cli_sdr_wait(struct cli *c, volatile int *done)
{
	while (!*done)
		if (ev_run_once(c->ev, -1) != 0)
			break;
}

/* ---- the command ---- */

struct sdr_wait {
	volatile int		done;
	enum sdr_cache_err	err;
};

static void
sdr_done(void *arg, enum sdr_cache_err e)
{
	struct sdr_wait *w = arg;

	w->err = e;
	w->done = 1;
}

static int
sdr_refresh(struct cli *c, struct sdr_cache *sc)
{
	struct sdr_wait w;

	memset(&w, 0, sizeof(w));
	if (sdr_cache_refresh(sc, sdr_done, &w) != 0) {
		/* not a transport failure: say so, exit 1 as any other
		 * request that could not be done now */
		fprintf(stderr, "bmcwatch: %s: SDR repository: %s\n",
		    c->conn ? ipmi_tr_peer(conn_tr(c->conn)) : "-",
		    sdr_cache_strerror(SDR_CACHE_E_BUSY));
		return CLI_ECCODE;
	}
	cli_sdr_wait(c, &w.done);
	if (w.err == SDR_CACHE_OK)
		return CLI_OK;
	fprintf(stderr, "bmcwatch: %s: SDR repository: %s\n",
	    c->conn ? ipmi_tr_peer(conn_tr(c->conn)) : "-",
	    sdr_cache_detail(sc));
	return w.err == SDR_CACHE_E_TRANSPORT ? CLI_ETRANSPORT : CLI_ECCODE;
}

static void
sdr_ts(uint32_t ts, char *out, size_t len)
{
	time_t t = (time_t)ts;
	struct tm tm;

	if (ts == 0xffffffffu || ts == 0)
		(void)snprintf(out, len, "unspecified");
	else if (ts < 0x20000000u)
		(void)snprintf(out, len, "pre-init %us", ts);
	else if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "%u", ts);
}

static int
sdr_info(struct cli *c)
{
	struct ipmi_req q;
	struct ipmi_rsp rsp;
	struct sdr_repo_info i;
	char a[40], e[40];
	int r;

	sdr_info_req(&q);
	if ((r = cli_call_ok(c, &q, &rsp, "Get SDR Repository Info")) != 0)
		return -r;
	if (sdr_info_decode(rsp.data, rsp.len, &i) != IPMI_OK) {
		fprintf(stderr, "bmcwatch: Get SDR Repository Info: answer too "
		    "short (%u bytes)\n", rsp.len);
		return CLI_ETRANSPORT;
	}
	sdr_ts(i.add_ts, a, sizeof(a));
	sdr_ts(i.erase_ts, e, sizeof(e));
	if (c->json) {
		struct jsonw *j = &c->js;

		jsonw_obj_begin(j, NULL);
		jsonw_int(j, "version", i.version);
		jsonw_int(j, "records", i.count);
		jsonw_int(j, "free_bytes", i.free);
		jsonw_int(j, "last_addition", i.add_ts);
		jsonw_int(j, "last_erase", i.erase_ts);
		jsonw_int(j, "operations", i.ops);
		jsonw_bool(j, "overflow", (i.ops & SDR_OPS_OVERFLOW) != 0);
		jsonw_bool(j, "reserve_supported",
		    (i.ops & SDR_OPS_RESERVE) != 0);
		jsonw_obj_end(j);
		jsonw_end(j);
		return CLI_OK;
	}
	printf("SDR Version         : %x.%x\n", i.version & 0x0f,
	    i.version >> 4);
	printf("Records             : %u\n", i.count);
	printf("Free Space          : %u bytes\n", i.free);
	printf("Last Addition       : %s (0x%08x)\n", a, i.add_ts);
	printf("Last Erase          : %s (0x%08x)\n", e, i.erase_ts);
	printf("Overflow            : %s\n", i.ops & SDR_OPS_OVERFLOW ? "yes" :
	    "no");
	printf("Reserve Supported   : %s\n", i.ops & SDR_OPS_RESERVE ? "yes" :
	    "no");
	return CLI_OK;
}

static const char *
sdr_type_name(uint8_t t)
{
	switch (t) {
	case SDR_TYPE_FULL:
		return "full";
	case SDR_TYPE_COMPACT:
		return "compact";
	case SDR_TYPE_EVENT_ONLY:
		return "event-only";
	case SDR_TYPE_FRU_LOCATOR:
		return "fru-locator";
	case SDR_TYPE_MC_LOCATOR:
		return "mc-locator";
	default:
		return "other";
	}
}

static void
sdr_list(struct cli *c, const struct sdr_image *im)
{
	size_t i;

	if (c->json) {
		struct jsonw *j = &c->js;
		char ent[16];

		jsonw_obj_begin(j, NULL);
		jsonw_arr_begin(j, "records");
		for (i = 0; i < im->n; i++) {
			const struct sdr_rec *r = &im->recs[i];

			jsonw_obj_begin(j, NULL);
			jsonw_int(j, "record_id", r->id);
			jsonw_int(j, "record_type", r->type);
			jsonw_str(j, "kind", sdr_type_name(r->type));
			jsonw_str(j, "name", r->name);
			if (sdr_is_sensor(r)) {
				jsonw_int(j, "number", r->number);
				jsonw_int(j, "owner", r->owner_id);
				jsonw_int(j, "lun", r->owner_lun);
				jsonw_str(j, "type",
				    evtext_sensor_type(r->sensor_type));
				jsonw_int(j, "event_type", r->event_type);
				jsonw_int(j, "share_count", r->share_count);
			}
			(void)snprintf(ent, sizeof(ent), "%u.%u",
			    (unsigned)r->entity_id,
			    (unsigned)(r->entity_instance & 0x7f));
			jsonw_str(j, "entity", ent);
			jsonw_obj_end(j);
		}
		jsonw_arr_end(j);
		jsonw_obj_end(j);
		jsonw_end(j);
		return;
	}
	for (i = 0; i < im->n; i++) {
		const struct sdr_rec *r = &im->recs[i];

		printf("%04x | %-11s | %-16s", r->id, sdr_type_name(r->type),
		    r->name);
		if (sdr_is_sensor(r))
			printf(" | #%02x | %u.%u | %s", (unsigned)r->number,
			    (unsigned)r->entity_id,
			    (unsigned)(r->entity_instance & 0x7f),
			    evtext_sensor_type(r->sensor_type));
		else if (r->type == SDR_TYPE_FRU_LOCATOR ||
		    r->type == SDR_TYPE_MC_LOCATOR)
			printf(" | @%02x | %u.%u |", (unsigned)r->dev_addr,
			    (unsigned)r->entity_id,
			    (unsigned)(r->entity_instance & 0x7f));
		printf("\n");
	}
}

int
cli_sdr(struct cli *c, int argc, char **argv)
{
	struct cli_sdr_opts o;
	struct sdr_cache *sc = NULL;
	const char *sub, *file = NULL;
	char err[512];
	int i, rc, k;

	memset(&o, 0, sizeof(o));
	if (argc < 2) {
		cli_usage_error("sdr", "info|list|dump FILE");
		return CLI_EUSAGE;
	}
	sub = argv[1];
	for (i = 2; i < argc; i++) {
		if ((k = cli_sdr_opt("sdr", argc, argv, &i, &o)) < 0)
			return CLI_EUSAGE;
		if (k == 1)
			continue;
		if (strcmp(sub, "dump") == 0 && file == NULL &&
		    argv[i][0] != '-') {
			file = argv[i];
			continue;
		}
		cli_usage_error("sdr", "unexpected argument '%s'", argv[i]);
		return CLI_EUSAGE;
	}
	if (strcmp(sub, "info") == 0)
		return sdr_info(c);
	if (strcmp(sub, "dump") == 0 && file == NULL) {
		cli_usage_error("sdr", "dump needs a FILE");
		return CLI_EUSAGE;
	}
	if (strcmp(sub, "dump") != 0 && strcmp(sub, "list") != 0) {
		cli_usage_error("sdr", "unknown subcommand '%s' (info, list, "
		    "dump)", sub);
		return CLI_EUSAGE;
	}
	if ((sc = cli_sdr_cache_conn(c, &o, 0, &rc)) == NULL)
		return rc;
	if ((rc = sdr_refresh(c, sc)) != CLI_OK)
		goto done;
	if (strcmp(sub, "list") == 0)
		sdr_list(c, sdr_cache_image(sc));
	else if (sdr_image_save(sdr_cache_image(sc), file, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: sdr dump: %s\n", err);
		rc = CLI_EUSAGE;
	} else if (!c->json)
		printf("Dumped %zu records (%zu bytes) to %s\n",
		    sdr_cache_image(sc)->n, sdr_cache_image(sc)->len, file);
done:
	if (c->stats) {
		const struct sdr_cache_stats *st = sdr_cache_stats(sc);

		fprintf(stderr, "bmcwatch: sdr stats: get_device_id=%u "
		    "get_guid=%u sdr_info=%u reserve_sdr=%u get_sdr=%u "
		    "walks=%u shrinks=%u cache_loads=%u cache_rejects=%u "
		    "rereserves=%u sdr_unused=%u\n",
		    st->devid, st->guid, st->info, st->reserve, st->get_sdr,
		    st->walks, st->shrinks, st->disk_loads, st->disk_rejects,
		    st->rereserves, st->prefetch_unused);
	}
	sdr_cache_free(sc);
	return rc;
}
