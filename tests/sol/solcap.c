/*
 * Capture what ipmi_sim answers and sends around a SOL session, for the
 * unit tests' fixtures and the fuzz seeds (not built by the Makefile;
 * tests/sol/mkcorpus.sh compiles it against build/libbmcwatch.a):
 *
 *	solcap PORT PASSWORD-FILE OUT
 *
 * As admin with cipher suite 3 on 127.0.0.1:PORT: Get SOL Configuration
 * Parameters 0-8, Get Payload Activation Status and Instance Info, then
 * a solsess that types "hello\r" and waits for three console packets,
 * then the status and instance info while active (and Activate Payload
 * refused), the close, and a raw Activate, Deactivate (twice) and an
 * Activate of instance 2.  OUT
 * gets one line per thing seen:
 *	rsp LABEL CC DATA	a response (hex)
 *	in HEX			a SOL payload from the BMC (decrypted)
 *	out HEX			a SOL payload to the BMC
 * The payloads are tapped at the transport (its payload callback and
 * its payload_send op are wrapped).  Exit 0 when all of it was seen.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_sol.h"
#include "conn.h"
#include "ev.h"
#include "solsess.h"
#include "transport.h"

static FILE *out;
static ipmi_payload_fn *orig_fn;
static void *orig_arg;
static struct ipmi_tr_ops tap_ops;
static const struct ipmi_tr_ops *orig_ops;
static int npackets;
static int ended;

static void
hex(const char *tag, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(out, "%s ", tag);
	for (i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
	if (n == 0)
		fprintf(out, "-");
	fprintf(out, "\n");
}

static void
tap_in(void *arg, uint8_t ptype, const uint8_t *p, size_t n)
{
	struct sol_pkt k;

	if (p != NULL) {
		hex("in", p, n);
		if (sol_pkt_decode(p, n, &k) == IPMI_OK && sol_pkt_data_ok(&k))
			npackets++;
	}
	orig_fn(orig_arg, ptype, p, n);
}

static enum ipmi_err
tap_send(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p, size_t n,
    uint64_t now)
{
	hex("out", p, n);
	return orig_ops->payload_send(tr, ptype, p, n, now);
}

static size_t
on_out(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	return n;
}

static void
on_ev(void *arg, enum solsess_ev e)
{
	(void)arg;
	if (e == SOLSESS_EV_ENDED)
		ended = 1;
}

static int
call(struct conn *c, struct ipmi_req *req, const char *label)
{
	struct ipmi_rsp rsp;
	char tag[64];

	if (conn_call(c, req, &rsp) != IPMI_OK) {
		fprintf(stderr, "solcap: %s: %s\n", label,
		    ipmi_tr_error(conn_tr(c)));
		return -1;
	}
	(void)snprintf(tag, sizeof(tag), "rsp %s %02x", label, rsp.ccode);
	hex(tag, rsp.data, rsp.len);
	return 0;
}

static void
run_until(struct ev *ev, int (*cond)(void), unsigned ms)
{
	uint64_t end = ev_now() + ms;

	while (!cond() && ev_now() < end)
		(void)ev_run_once(ev, 50);
}

static int
three_packets(void)
{
	return npackets >= 3 || ended;
}

static int
is_ended(void)
{
	return ended;
}

int
main(int argc, char **argv)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_req req;
	struct ipmi_tr *tr;
	struct solsess_cfg sc;
	struct solsess *s;
	struct conn *c;
	struct ev *ev;
	char err[256], label[32];
	ssize_t n;
	int fd, p;

	if (argc != 4) {
		fprintf(stderr, "usage: solcap PORT PASSWORD-FILE OUT\n");
		return 2;
	}
	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_LANPLUS;
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.1");
	cfg.port = (uint16_t)strtoul(argv[1], NULL, 10);
	(void)snprintf(cfg.user, sizeof(cfg.user), "admin");
	if ((fd = open(argv[2], O_RDONLY)) < 0 ||
	    (n = read(fd, cfg.password, sizeof(cfg.password))) <= 0)
		return 1;
	(void)close(fd);
	cfg.pwlen = (uint8_t)n;
	cfg.cipher = 3;
	cfg.priv = IPMI_PRIV_ADMIN;
	cfg.timeout_ms = 1000;
	cfg.retries = 2;
	if ((out = fopen(argv[3], "w")) == NULL)
		return 1;
	if ((tr = ipmi_tr_new(&cfg, err, sizeof(err))) == NULL) {
		fprintf(stderr, "solcap: %s\n", err);
		return 1;
	}
	orig_ops = tr->ops;
	tap_ops = *tr->ops;
	tap_ops.payload_send = tap_send;
	tr->ops = &tap_ops;
	ev = ev_new();
	c = conn_new(ev, tr);
	for (p = 0; p < SOL_PARAM_COUNT; p++) {
		(void)snprintf(label, sizeof(label), "getcfg-%d", p);
		sol_config_get_req(&req, SOL_CHANNEL_CURRENT, (uint8_t)p);
		if (call(c, &req, label) != 0)
			return 1;
	}
	sol_status_req(&req);
	if (call(c, &req, "status-idle") != 0)
		return 1;
	sol_instance_req(&req, 1);
	if (call(c, &req, "instance-idle") != 0)
		return 1;
	solsess_cfg_init(&sc);
	sc.probe_ms = SOLSESS_PROBE_NEVER;
	s = solsess_new(tr, &sc, on_out, on_ev, NULL);
	solsess_attach(s, ev, c);
	if (solsess_start(s, ev_now()) != 0)
		return 1;
	orig_fn = tr->payload_fn;
	orig_arg = tr->payload_arg;
	tr->payload_fn = tap_in;
	tr->payload_arg = NULL;
	(void)solsess_write(s, (const uint8_t *)"hello\r", 6, ev_now());
	run_until(ev, three_packets, 8000);
	if (solsess_state(s) != SOLSESS_ACTIVE || npackets < 3) {
		fprintf(stderr, "solcap: %s, %d packets: %s\n",
		    solsess_state_name(solsess_state(s)), npackets,
		    solsess_errtext(s));
		return 1;
	}
	sol_status_req(&req);
	if (call(c, &req, "status-active") != 0)
		return 1;
	sol_instance_req(&req, 1);
	if (call(c, &req, "instance-active") != 0)
		return 1;
	sol_activate_req(&req, 1, SOL_ACT_ENCRYPT | SOL_ACT_AUTH |
	    SOL_ACT_ALERTS_DEFER | SOL_ACT_HANDSHAKE);
	if (call(c, &req, "activate-busy") != 0)
		return 1;
	fprintf(out, "sid %08x port %u\n", ipmi_tr_session_id(tr),
	    ipmi_tr_port(tr));
	solsess_close(s, ev_now());
	run_until(ev, is_ended, 5000);
	fprintf(out, "end %d\n", (int)solsess_end(s));
	solsess_free(s);
	/* the answers around an activation of our own, raw */
	sol_activate_req(&req, 1, SOL_ACT_ENCRYPT | SOL_ACT_AUTH |
	    SOL_ACT_ALERTS_DEFER | SOL_ACT_HANDSHAKE);
	if (call(c, &req, "activate") != 0)
		return 1;
	sol_deactivate_req(&req, 1);
	if (call(c, &req, "deactivate") != 0 ||
	    call(c, &req, "deactivate-again") != 0)
		return 1;
	sol_activate_req(&req, 2, 0);
	if (call(c, &req, "activate-instance2") != 0)
		return 1;
	conn_close(c);
	conn_drain(c);
	conn_free(c);
	ev_free(ev);
	return fclose(out) == 0 && ended ? 0 : 1;
}
