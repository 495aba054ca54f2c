/*
 * Unit tests for Serial over LAN: the codecs (agent/ipmi/cmd_sol.c)
 * against the layouts of IPMI v2.0 tables 15-2, 15-3, 24-2..24-5 and
 * 26-5, and against bytes ipmi_sim 2.0.33 answered and sent
 * (tests/sol/solcap.c, suite 3, captured 2026-12-03); and the session
 * state machine (agent/bmc/solsess.c) on the scripted transport with a
 * fake clock: activation, refusal and takeover, output exactly once
 * (the BMC's retransmissions, also the longer ones ipmi_sim sends),
 * keystrokes with retransmission after loss, partial acceptance, NACK,
 * break, CTS pause, the BMC's status bits, the ownership probe, the
 * session's end and the close.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "cmd_sol.h"
#include "fake.h"
#include "solsess.h"

/* ---- what ipmi_sim 2.0.33 said (tests/sol/solcap.c) ---- */

/* Activate Payload, instance 1, port 35827 (8BF3h) */
static const char sim_activate[] = "00000000 2000 0040 f38b ffff";
/* Get Payload Activation Status, idle and active */
static const char sim_status_idle[] = "010000";
static const char sim_status_active[] = "010100";
/* Get Payload Instance Info, idle and active (session 00000402h) */
static const char sim_inst_idle[] = "00000000 01 00000000000000";
static const char sim_inst_active[] = "02040000 01 00000000000000";
#define SIM_SID		0x00000402u
#define SIM_PORT	35827
/* SOL payloads: its acknowledgement of our "hello\r" (seq 1, 6 taken),
 * console data with sequence number 0Dh, our acknowledgement */
static const char sim_ack_hello[] = "00010600";
static const char sim_data_0d[] = "0d000000 6c696e6520313435330d0a";
static const char our_hello[] = "01000000 68656c6c6f0d";
static const char our_ack_0d[] = "000d0b00";

static size_t
hx(const char *s, uint8_t *b, size_t cap)
{
	int n = harness_hex(s, b, cap);

	return n < 0 ? 0 : (size_t)n;
}

/* ---- codecs ---- */

static void
test_pkt_layout(void)
{
	uint8_t b[300], d[255];
	struct sol_pkt k;
	size_t n;

	/* table 15-2: seq, ack seq, accepted count, operation, data */
	memset(&k, 0, sizeof(k));
	k.seq = 3;
	k.ack_seq = 15;
	k.accepted = 200;
	k.op = SOL_OP_BREAK | SOL_OP_CTS_PAUSE;
	k.data = (const uint8_t *)"ab";
	k.len = 2;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), 6);
	CHECK_MEM(b, "\x03\x0f\xc8\x18" "ab", 6);
	/* reserved bit 7 never goes out */
	k.op = 0xff;
	k.len = 0;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), 4);
	CHECK_EQ(b[3], 0x7f);
	/* sequence numbers are four bits, data at most 255 */
	k.seq = 16;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), -1);
	k.seq = 1;
	k.ack_seq = 16;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), -1);
	k.ack_seq = 0;
	memset(d, 'x', sizeof(d));
	k.data = d;
	k.len = 255;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), 259);
	k.len = 256;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), -1);
	k.len = 255;
	CHECK_EQ(sol_pkt_encode(b, 258, &k), -1);
	k.len = 1;
	k.data = NULL;
	CHECK_EQ(sol_pkt_encode(b, sizeof(b), &k), -1);

	/* the captured ones decode as the spec says */
	n = hx(sim_data_0d, b, sizeof(b));
	CHECK_EQ(sol_pkt_decode(b, n, &k), IPMI_OK);
	CHECK_EQ(k.seq, 0x0d);
	CHECK_EQ(k.ack_seq, 0);
	CHECK_EQ(k.op, 0);
	CHECK_EQ(k.len, 11);
	CHECK_MEM(k.data, "line 1453\r\n", 11);
	CHECK(sol_pkt_data_ok(&k));
	n = hx(sim_ack_hello, b, sizeof(b));
	CHECK_EQ(sol_pkt_decode(b, n, &k), IPMI_OK);
	CHECK_EQ(k.seq, 0);
	CHECK_EQ(k.ack_seq, 1);
	CHECK_EQ(k.accepted, 6);
	CHECK_EQ(k.len, 0);
	CHECK(k.data == NULL);
	CHECK(!sol_pkt_data_ok(&k));
	/* table 15-3 status bits; reserved nibbles and bit 7 ignored */
	n = hx("f5 f7 09 fc 41", b, sizeof(b));
	CHECK_EQ(sol_pkt_decode(b, n, &k), IPMI_OK);
	CHECK_EQ(k.seq, 5);
	CHECK_EQ(k.ack_seq, 7);
	CHECK_EQ(k.accepted, 9);
	CHECK_EQ(k.op, SOL_ST_NACK | SOL_ST_UNAVAILABLE | SOL_ST_DEACTIVATING |
	    SOL_ST_OVERRUN | SOL_ST_BREAK);
	/* data under sequence number 0 is not usable */
	n = hx("00 00 00 00 41", b, sizeof(b));
	CHECK_EQ(sol_pkt_decode(b, n, &k), IPMI_OK);
	CHECK_EQ(k.len, 1);
	CHECK(!sol_pkt_data_ok(&k));
	/* short */
	CHECK_EQ(sol_pkt_decode(b, 3, &k), IPMI_E_LENGTH);
	CHECK_EQ(k.seq, 0);
	CHECK_EQ(sol_pkt_decode(NULL, 0, &k), IPMI_E_LENGTH);
	/* sequence numbers 1..15, never 0 */
	CHECK_EQ(sol_seq_next(0), 1);
	CHECK_EQ(sol_seq_next(1), 2);
	CHECK_EQ(sol_seq_next(14), 15);
	CHECK_EQ(sol_seq_next(15), 1);
}

static void
test_payload_commands(void)
{
	struct ipmi_req q;
	struct sol_activate a;
	struct sol_status st;
	struct sol_instance in;
	uint8_t b[32];
	size_t n;
	int bogus;

	/* what ipmitool sends with suite 3: encrypted, authenticated,
	 * alerts deferred, startup handshake: C6h */
	sol_activate_req(&q, 1, SOL_ACT_ENCRYPT | SOL_ACT_AUTH |
	    SOL_ACT_ALERTS_DEFER | SOL_ACT_HANDSHAKE);
	CHECK_EQ(q.netfn, IPMI_NETFN_APP);
	CHECK_EQ(q.cmd, 0x48);
	CHECK_EQ(q.len, 6);
	CHECK_MEM(q.data, "\x01\x01\xc6\x00\x00\x00", 6);
	/* reserved bits 0 and 4 of the auxiliary byte, instance nibble */
	sol_activate_req(&q, 0x12, 0xff);
	CHECK_MEM(q.data, "\x01\x02\xee\x00\x00\x00", 6);
	sol_deactivate_req(&q, 1);
	CHECK_EQ(q.cmd, 0x49);
	CHECK_MEM(q.data, "\x01\x01\x00\x00\x00\x00", 6);
	CHECK_EQ(q.len, 6);
	sol_status_req(&q);
	CHECK_EQ(q.cmd, 0x4a);
	CHECK_EQ(q.len, 1);
	CHECK_EQ(q.data[0], 1);
	sol_instance_req(&q, 3);
	CHECK_EQ(q.cmd, 0x4b);
	CHECK_EQ(q.len, 2);
	CHECK_MEM(q.data, "\x01\x03", 2);

	n = hx(sim_activate, b, sizeof(b));
	CHECK_EQ(n, SOL_ACTIVATE_RSP_LEN);
	CHECK_EQ(sol_activate_decode(b, n, &a), IPMI_OK);
	CHECK_EQ(a.aux, 0);
	CHECK_EQ(a.inbound, 32);	/* its 32-byte buffer */
	CHECK_EQ(a.outbound, 16384);
	CHECK_EQ(a.port, SIM_PORT);
	CHECK_EQ(a.vlan, 0xffff);
	CHECK_EQ(sol_activate_decode(b, n - 1, &a), IPMI_E_LENGTH);
	CHECK_EQ(a.port, 0);
	/* sizes include the 4-byte header */
	CHECK_EQ(sol_inbound_chars(32, &bogus), 28);
	CHECK_EQ(bogus, 0);
	CHECK_EQ(sol_inbound_chars(259, &bogus), 255);
	CHECK_EQ(bogus, 0);
	CHECK_EQ(sol_inbound_chars(5, &bogus), 1);
	CHECK_EQ(bogus, 0);
	CHECK_EQ(sol_inbound_chars(4, &bogus), 255);
	CHECK_EQ(bogus, 1);
	CHECK_EQ(sol_inbound_chars(0x400, &bogus), 255);
	CHECK_EQ(bogus, 1);
	CHECK_EQ(sol_inbound_chars(0x2000, &bogus), 255);	/* swapped 32 */
	CHECK_EQ(bogus, 1);

	n = hx(sim_status_idle, b, sizeof(b));
	CHECK_EQ(sol_status_decode(b, n, &st), IPMI_OK);
	CHECK_EQ(st.capacity, 1);
	CHECK_EQ(st.active, 0);
	n = hx(sim_status_active, b, sizeof(b));
	CHECK_EQ(sol_status_decode(b, n, &st), IPMI_OK);
	CHECK_EQ(st.active, 1);
	n = hx("ff ff ff", b, sizeof(b));
	CHECK_EQ(sol_status_decode(b, n, &st), IPMI_OK);
	CHECK_EQ(st.capacity, 15);
	CHECK_EQ(st.active, 0x7fff);	/* there is no instance 16 */
	CHECK_EQ(sol_status_decode(b, 2, &st), IPMI_E_LENGTH);

	n = hx(sim_inst_active, b, sizeof(b));
	CHECK_EQ(sol_instance_decode(b, n, &in), IPMI_OK);
	CHECK_EQ(in.sid, SIM_SID);
	CHECK_EQ(in.info[0], 1);
	n = hx(sim_inst_idle, b, sizeof(b));
	CHECK_EQ(sol_instance_decode(b, n, &in), IPMI_OK);
	CHECK_EQ(in.sid, 0);
	CHECK_EQ(sol_instance_decode(b, n - 1, &in), IPMI_E_LENGTH);

	/* the completion codes of table 24-2 by name, one formatter */
	{
		char cc[IPMI_CCODE_TEXT_MAX];

		CHECK_STR(ipmi_ccode_fmt(cc, sizeof(cc), IPMI_NETFN_APP,
		    0x48, 0x80), "completion code 80h: Payload already "
		    "active on another session");
		CHECK_STR(ipmi_ccode_fmt(cc, sizeof(cc), IPMI_NETFN_APP | 1,
		    0x48, 0x84), "completion code 84h: Cannot activate "
		    "payload without encryption");
		CHECK_STR(ipmi_ccode_fmt(cc, sizeof(cc), IPMI_NETFN_APP,
		    0x49, 0x80), "completion code 80h: Payload already "
		    "deactivated");
		CHECK_STR(ipmi_ccode_fmt(cc, sizeof(cc),
		    IPMI_NETFN_TRANSPORT, 0x22, 0x80), "completion code 80h: "
		    "Parameter not supported");
	}
}

static void
test_config(void)
{
	struct sol_config c;
	struct ipmi_req q;
	uint8_t b[8], code = 0;
	size_t n;

	sol_config_get_req(&q, SOL_CHANNEL_CURRENT, SOL_PARAM_RETRY);
	CHECK_EQ(q.netfn, IPMI_NETFN_TRANSPORT);
	CHECK_EQ(q.cmd, 0x22);
	CHECK_EQ(q.len, 4);
	CHECK_MEM(q.data, "\x0e\x04\x00\x00", 4);

	/* ipmi_sim's: revision 11h, then the value */
	memset(&c, 0, sizeof(c));
	n = hx("1100", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_SET_IN_PROGRESS, b, n, &c),
	    IPMI_OK);
	CHECK_EQ(c.rev, 0x11);
	CHECK_EQ(c.set_state, SOL_SET_COMPLETE);
	n = hx("1101", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_ENABLE, b, n, &c), IPMI_OK);
	CHECK_EQ(c.enabled, 1);
	n = hx("1100", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_BAUD, b, n, &c), IPMI_OK);
	CHECK_EQ(c.baud, SOL_BAUD_SERIAL);
	CHECK_EQ(c.have, 0x0043);
	CHECK_STR(sol_baud_name(c.baud), "serial");

	/* table 26-5 layouts */
	n = hx("11 c4", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_AUTH, b, n, &c), IPMI_OK);
	CHECK_EQ(c.force_encrypt, 1);
	CHECK_EQ(c.force_auth, 1);
	CHECK_EQ(c.priv, IPMI_PRIV_ADMIN);
	n = hx("11 0c 60", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_ACCUMULATE, b, n, &c), IPMI_OK);
	CHECK_EQ(c.accum_ms, 60);	/* 12 x 5 ms */
	CHECK_EQ(c.send_threshold, 0x60);
	n = hx("11 fb 32", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_RETRY, b, n, &c), IPMI_OK);
	CHECK_EQ(c.retry_count, 3);	/* bits 2:0 */
	CHECK_EQ(c.retry_ms, 500);	/* 50 x 10 ms */
	n = hx("11 fa", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_BAUD_NV, b, n, &c), IPMI_OK);
	CHECK_EQ(c.baud_nv, SOL_BAUD_115200);
	CHECK_STR(sol_baud_name(c.baud_nv), "115200");
	n = hx("11 01", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_CHANNEL, b, n, &c), IPMI_OK);
	CHECK_EQ(c.channel, 1);
	n = hx("11 6f 02", b, sizeof(b));
	CHECK_EQ(sol_config_decode(SOL_PARAM_PORT, b, n, &c), IPMI_OK);
	CHECK_EQ(c.port, 623);
	CHECK_EQ(c.have, 0x01ff);
	/* short answers, one byte short each */
	CHECK_EQ(sol_config_decode(SOL_PARAM_RETRY, b, 2, &c), IPMI_E_LENGTH);
	CHECK_EQ(sol_config_decode(SOL_PARAM_PORT, b, 2, &c), IPMI_E_LENGTH);
	CHECK_EQ(sol_config_decode(SOL_PARAM_ENABLE, b, 1, &c), IPMI_E_LENGTH);
	CHECK_EQ(sol_config_decode(9, b, 3, &c), IPMI_E_PROTO);

	/* Set requests from the same fields */
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_RETRY, &c), 0);
	CHECK_EQ(q.cmd, 0x21);
	CHECK_EQ(q.len, 4);
	CHECK_MEM(q.data, "\x01\x04\x03\x32", 4);
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_AUTH, &c), 0);
	CHECK_MEM(q.data, "\x01\x02\xc4", 3);
	CHECK_EQ(q.len, 3);
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_ACCUMULATE, &c), 0);
	CHECK_MEM(q.data, "\x01\x03\x0c\x60", 4);
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_BAUD, &c), 0);
	CHECK_MEM(q.data, "\x01\x06\x00", 3);
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_PORT, &c), 0);
	CHECK_MEM(q.data, "\x01\x08\x6f\x02", 4);
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_CHANNEL, &c), -1);
	c.retry_ms = 505;
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_RETRY, &c), -1);
	c.retry_ms = 500;
	c.retry_count = 8;
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_RETRY, &c), -1);
	c.accum_ms = 0;
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_ACCUMULATE, &c), -1);
	c.baud = 3;
	CHECK_EQ(sol_config_set_req(&q, 1, SOL_PARAM_BAUD, &c), -1);

	CHECK_EQ(sol_baud_code(115200, &code), 0);
	CHECK_EQ(code, SOL_BAUD_115200);
	CHECK_EQ(sol_baud_code(9600, &code), 0);
	CHECK_EQ(code, 6);
	CHECK_EQ(sol_baud_code(4800, &code), -1);
	CHECK_EQ(sol_baud_code(0, &code), -1);
	CHECK(sol_baud_name(5) == NULL);
	CHECK_STR(sol_param_name(SOL_PARAM_RETRY), "SOL Retry");
	CHECK_STR(sol_param_name(99), "Unknown");
	CHECK_STR(sol_set_state_name(2), "commit-write");
}

/* ---- the state machine ---- */

#define FX_RULES	16
#define FX_GOT		8192
#define FX_EVS		32

struct fx {
	struct ipmi_tr	*tr;
	struct solsess	*s;
	uint64_t	 now;
	struct fake_rule rules[FX_RULES];
	size_t		 nrules;
	uint8_t		 act[16], inst[16], other[16], status[4];
	size_t		 act_len;
	uint8_t		 got[FX_GOT];
	size_t		 ngot;
	size_t		 take_max;	/* per call; 0: all */
	enum solsess_ev	 evs[FX_EVS];
	unsigned	 nevs;
	unsigned	 seen;		/* payloads already looked at */
};

static size_t
fx_out(void *arg, const uint8_t *p, size_t n)
{
	struct fx *f = arg;

	if (f->take_max != 0 && n > f->take_max)
		n = f->take_max;
	if (n > FX_GOT - f->ngot)
		n = FX_GOT - f->ngot;
	memcpy(f->got + f->ngot, p, n);
	f->ngot += n;
	return n;
}

static void
fx_ev(void *arg, enum solsess_ev e)
{
	struct fx *f = arg;

	if (f->nevs < FX_EVS)
		f->evs[f->nevs++] = e;
}

static unsigned
fx_count_ev(const struct fx *f, enum solsess_ev e)
{
	unsigned i, n = 0;

	for (i = 0; i < f->nevs; i++)
		n += f->evs[i] == e;
	return n;
}

static void
fx_rule(struct fx *f, unsigned netfn, unsigned cmd, uint8_t cc,
    const uint8_t *d, size_t len, unsigned times)
{
	struct fake_rule *r = &f->rules[f->nrules++];

	memset(r, 0, sizeof(*r));
	r->netfn = netfn;
	r->cmd = cmd;
	r->ccode = cc;
	r->data = d;
	r->len = len;
	r->times = times;
}

/* The rules of ipmi_sim: SOL Retry unsupported, activation as it
 * answered, the instance ours, deactivation fine. */
static void
fx_sim_rules(struct fx *f)
{
	f->act_len = hx(sim_activate, f->act, sizeof(f->act));
	(void)hx(sim_inst_active, f->inst, sizeof(f->inst));
	fx_rule(f, IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_SOL_CONFIG, 0x80, NULL,
	    0, 0);
}

static void
fx_common_rules(struct fx *f)
{
	fx_rule(f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, f->act,
	    f->act_len, 0);
	fx_rule(f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    f->inst, 12, 0);
	fx_rule(f, IPMI_NETFN_APP, IPMI_CMD_DEACTIVATE_PAYLOAD, 0, NULL, 0,
	    0);
}

static void
fx_new(struct fx *f, const struct solsess_cfg *cfg)
{
	f->tr = fake_new(f->rules, f->nrules);
	fake_set_session(f->tr, SIM_SID, SIM_PORT, 3);
	f->now = 1000;
	f->s = solsess_new(f->tr, cfg, fx_out, fx_ev, f);
}

static void
fx_free(struct fx *f)
{
	solsess_free(f->s);
	ipmi_tr_close(f->tr, f->now);
	ipmi_tr_free(f->tr);
}

/* Run both state machines with the fake clock until now reaches limit
 * or nothing is due. */
static void
fx_run(struct fx *f, uint64_t limit)
{
	int guard = 10000;

	while (guard-- > 0) {
		uint64_t a = ipmi_tr_deadline(f->tr);
		uint64_t b = solsess_deadline(f->s), d = 0;

		if (a != 0)
			d = a;
		if (b != 0 && (d == 0 || b < d))
			d = b;
		if (d == 0 || d > limit)
			break;
		if (d > f->now)
			f->now = d;
		if (a != 0 && a <= f->now)
			ipmi_tr_timeout(f->tr, f->now);
		if (b != 0 && b <= f->now)
			solsess_timeout(f->s, f->now);
	}
	CHECK(guard > 0);
	if (f->now < limit)
		f->now = limit;
}

/* requests seen so far, and whether the last was netfn/cmd */
static const struct ipmi_req *
fx_last_req(const struct fx *f)
{
	unsigned n = fake_count(f->tr, FAKE_ANY, FAKE_ANY);

	return n > 0 ? fake_req(f->tr, n - 1) : NULL;
}

/* the next payload sent that the test has not looked at yet */
static int
fx_next(struct fx *f, struct sol_pkt *k)
{
	const uint8_t *p;
	static const uint8_t none[SOL_PKT_MAX];	/* no payload: zeros */
	size_t len;
	int rc = -1;

	memset(k, 0, sizeof(*k));
	if ((p = fake_payload(f->tr, f->seen, &len)) != NULL) {
		f->seen++;
		rc = sol_pkt_decode(p, len, k) == IPMI_OK ? 0 : -1;
	}
	/* a check of the data fails on a missing packet, never crashes */
	if (k->data == NULL)
		k->data = none;
	return rc;
}

static void
fx_skip_all(struct fx *f)
{
	f->seen = fake_payloads(f->tr);
}

static void
fx_in(struct fx *f, const char *hex)
{
	uint8_t b[300];
	size_t n = hx(hex, b, sizeof(b));

	CHECK_EQ(fake_payload_in(f->tr, SOL_PAYLOAD_TYPE, b, n), 0);
}

static void
fx_in_pkt(struct fx *f, uint8_t seq, uint8_t ack, uint8_t acc, uint8_t st,
    const char *data)
{
	uint8_t b[300];
	struct sol_pkt k;
	int n;

	memset(&k, 0, sizeof(k));
	k.seq = seq;
	k.ack_seq = ack;
	k.accepted = acc;
	k.op = st;
	k.data = (const uint8_t *)data;
	k.len = data ? strlen(data) : 0;
	n = sol_pkt_encode(b, sizeof(b), &k);
	CHECK(n > 0);
	CHECK_EQ(fake_payload_in(f->tr, SOL_PAYLOAD_TYPE, b, (size_t)n), 0);
}

/* a session against the sim's answers, active, payloads looked at */
static void
fx_active(struct fx *f, const struct solsess_cfg *cfg)
{
	fx_sim_rules(f);
	fx_common_rules(f);
	fx_new(f, cfg);
	CHECK_EQ(solsess_start(f->s, f->now), 0);
	fx_run(f, f->now + 100);
	CHECK_EQ(solsess_state(f->s), SOLSESS_ACTIVE);
	fx_skip_all(f);
}

static void
test_sm_activate(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	const struct ipmi_req *q;
	struct sol_pkt k;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_sim_rules(&f);
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_state(f.s), SOLSESS_IDLE);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	CHECK_EQ(solsess_state(f.s), SOLSESS_STARTING);
	/* keystrokes before activation wait for it */
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"hello\r", 6, f.now), 6);
	CHECK_EQ(fake_payloads(f.tr), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ACTIVE), 1);
	/* SOL Retry first, then Activate Payload as ipmitool sends it for
	 * suite 3, then the first ownership probe */
	q = fake_req(f.tr, 0);
	CHECK(q != NULL && q->cmd == IPMI_CMD_GET_SOL_CONFIG &&
	    q->data[1] == SOL_PARAM_RETRY);
	q = fake_req(f.tr, 1);
	CHECK(q != NULL && q->cmd == IPMI_CMD_ACTIVATE_PAYLOAD);
	if (q != NULL)
		CHECK_MEM(q->data, "\x01\x01\xc6\x00\x00\x00", 6);
	q = fake_req(f.tr, 2);
	CHECK(q != NULL && q->cmd == IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO);
	CHECK_EQ(fake_count(f.tr, FAKE_ANY, FAKE_ANY), 3);
	/* the sim's sizes: 28 characters a packet; no SOL Retry: ours */
	CHECK_EQ(solsess_chars_in(f.s), 28);
	CHECK_EQ(solsess_outbound(f.s), 16384);
	CHECK_EQ(solsess_size_bogus(f.s), 0);
	CHECK_EQ(solsess_retries(f.s), SOLSESS_DEF_RETRIES);
	CHECK_EQ(solsess_retry_ms(f.s), SOLSESS_DEF_RETRY_MS);
	/* the keystrokes went out at once, as our capture shows */
	CHECK_EQ(fake_payloads(f.tr), 1);
	{
		uint8_t exp[16];
		size_t len, n = hx(our_hello, exp, sizeof(exp));
		const uint8_t *p = fake_payload(f.tr, 0, &len);

		CHECK(p != NULL && len == n);
		if (p != NULL && len == n)
			CHECK_MEM(p, exp, n);
	}
	/* its ACK takes them */
	fx_in(&f, sim_ack_hello);
	CHECK_EQ(solsess_pending(f.s), 0);
	CHECK_EQ(solsess_stats(f.s)->tx_bytes, 6);
	CHECK_EQ(solsess_deadline(f.s) > f.now + 1000, 1);	/* only the
								 * probe */
	/* console data: delivered, acknowledged with its count */
	f.seen = 1;
	fx_in(&f, sim_data_0d);
	CHECK_EQ(f.ngot, 11);
	CHECK_MEM(f.got, "line 1453\r\n", 11);
	CHECK_EQ(fx_next(&f, &k), 0);
	{
		uint8_t exp[4];
		size_t len;
		const uint8_t *p = fake_payload(f.tr, 1, &len);

		(void)hx(our_ack_0d, exp, sizeof(exp));
		CHECK(p != NULL && len == 4);
		if (p != NULL && len == 4)
			CHECK_MEM(p, exp, 4);
	}
	/* the probe every probe interval, the instance still ours */
	fx_run(&f, f.now + 3 * (uint64_t)SOLSESS_DEF_PROBE_MS + 10);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO), 4);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	/* close: Deactivate Payload, then the end */
	solsess_close(f.s, f.now);
	CHECK_EQ(solsess_state(f.s), SOLSESS_CLOSING);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ENDED);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_CLOSED);
	CHECK_STR(solsess_errtext(f.s), "");
	q = fx_last_req(&f);
	CHECK(q != NULL && q->cmd == IPMI_CMD_DEACTIVATE_PAYLOAD);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ENDED), 1);
	/* ended: nothing taken any more */
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"x", 1, f.now), 0);
	fx_free(&f);
}

static void
test_sm_output_once(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	struct sol_pkt k;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_active(&f, &cfg);
	fx_in_pkt(&f, 4, 0, 0, 0, "abc");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.ack_seq == 4 && k.accepted == 3);
	/* our ACK was lost: the same packet again is acknowledged again,
	 * not delivered again */
	fx_in_pkt(&f, 4, 0, 0, 0, "abc");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.ack_seq == 4 && k.accepted == 3);
	CHECK_EQ(f.ngot, 3);
	/* ipmi_sim sends a retransmission with what it got since: only
	 * the new tail is delivered, all of it acknowledged */
	fx_in_pkt(&f, 4, 0, 0, 0, "abcdef");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 4 && k.accepted == 6);
	CHECK_EQ(f.ngot, 6);
	CHECK_MEM(f.got, "abcdef", 6);
	/* a new number: all of it, also the same bytes */
	fx_in_pkt(&f, 5, 0, 0, 0, "abc");
	CHECK_EQ(f.ngot, 9);
	CHECK_MEM(f.got + 6, "abc", 3);
	/* a shorter copy of the last one brings nothing */
	fx_in_pkt(&f, 5, 0, 0, 0, "ab");
	CHECK_EQ(f.ngot, 9);
	CHECK_EQ(solsess_stats(f.s)->rx_dups, 3);
	CHECK_EQ(solsess_stats(f.s)->rx_dup_bytes, 3 + 3 + 2);
	/* no data under number 0; status-only packets deliver nothing */
	fx_in(&f, "00 00 00 00 41 42");
	fx_in_pkt(&f, 0, 0, 0, 0, NULL);
	CHECK_EQ(f.ngot, 9);
	/* garbage is counted, never delivered */
	fx_in(&f, "0601");
	CHECK_EQ(solsess_stats(f.s)->rx_bad, 1);
	CHECK_EQ(f.ngot, 9);
	CHECK_EQ(solsess_stats(f.s)->rx_bytes, 9);
	fx_free(&f);
}

static void
test_sm_output_partial(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	struct sol_pkt k;
	char big[304];

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_active(&f, &cfg);
	/* the owner takes 4 of 10: acknowledged as 4 */
	f.take_max = 4;
	fx_in_pkt(&f, 7, 0, 0, 0, "0123456789");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 7 && k.accepted == 4);
	CHECK_EQ(f.ngot, 4);
	/* OpenBMC sends the same packet again: the rest, in order */
	f.take_max = 0;
	fx_in_pkt(&f, 7, 0, 0, 0, "0123456789");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 7 && k.accepted == 10);
	CHECK_EQ(f.ngot, 10);
	CHECK_MEM(f.got, "0123456789", 10);
	/* nothing taken at all: no acknowledgement, the BMC sends it
	 * again after its retry interval */
	f.take_max = 0;
	memset(&f.got, 0, sizeof(f.got));
	f.ngot = FX_GOT;	/* full */
	fx_in_pkt(&f, 8, 0, 0, 0, "xyz");
	CHECK_EQ(fx_next(&f, &k), -1);
	f.ngot = 0;
	fx_in_pkt(&f, 8, 0, 0, 0, "xyz");
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 8 && k.accepted == 3);
	CHECK_EQ(f.ngot, 3);
	CHECK_MEM(f.got, "xyz", 3);
	/* more than a count can acknowledge: 255 taken, acked as such */
	memset(big, 'q', sizeof(big));
	big[0] = 9;
	big[1] = big[2] = big[3] = 0;
	CHECK_EQ(fake_payload_in(f.tr, SOL_PAYLOAD_TYPE, (uint8_t *)big,
	    sizeof(big)), 0);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 9 && k.accepted == 255);
	CHECK_EQ(f.ngot, 3 + 255);
	fx_free(&f);
}

static void
test_sm_retransmit(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	struct sol_pkt k;
	unsigned i;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.retry_count = 3;
	cfg.retry_ms = 200;
	cfg.probe_ms = SOLSESS_PROBE_NEVER;
	fx_active(&f, &cfg);
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"ls\r", 3, f.now), 3);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 1 && k.len == 3);
	CHECK_MEM(k.data, "ls\r", 3);
	/* lost: not before the retry interval ... */
	fx_run(&f, f.now + 199);
	CHECK_EQ(fx_next(&f, &k), -1);
	/* ... then the same packet, same number, once per interval */
	for (i = 0; i < 3; i++) {
		fx_run(&f, f.now + 1 + (i ? 199 : 0));
		CHECK_EQ(fx_next(&f, &k), 0);
		CHECK(k.seq == 1 && k.len == 3 && k.ack_seq == 0);
		CHECK_MEM(k.data, "ls\r", 3);
	}
	CHECK_EQ(solsess_stats(f.s)->tx_retransmits, 3);
	/* the third retry lost too: given up after one more interval,
	 * said, and the instance probed at once */
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_INPUT_DROPPED), 0);
	fx_run(&f, f.now + 200);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_INPUT_DROPPED), 1);
	CHECK_EQ(solsess_stats(f.s)->tx_dropped, 3);
	CHECK_EQ(solsess_pending(f.s), 0);
	CHECK_EQ(fx_next(&f, &k), -1);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);

	/* a retransmission that gets through: the ACK ends the retries
	 * and the next keystrokes take the next number */
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"a", 1, f.now), 1);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK_EQ(k.seq, 2);
	fx_run(&f, f.now + 200);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK_EQ(k.seq, 2);
	fx_in_pkt(&f, 0, 2, 1, 0, NULL);
	fx_run(&f, f.now + 1000);
	CHECK_EQ(fx_next(&f, &k), -1);
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"b", 1, f.now), 1);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK_EQ(k.seq, 3);
	/* an ACK for another number is not ours */
	fx_in_pkt(&f, 0, 2, 1, 0, NULL);
	CHECK_EQ(solsess_pending(f.s), 1);
	fx_in_pkt(&f, 0, 3, 1, 0, NULL);
	CHECK_EQ(solsess_pending(f.s), 0);
	/* numbers wrap from 15 to 1, never 0 */
	for (i = 4; i <= 17; i++) {
		CHECK_EQ(solsess_write(f.s, (const uint8_t *)"c", 1, f.now),
		    1);
		CHECK_EQ(fx_next(&f, &k), 0);
		CHECK_EQ(k.seq, i > 15 ? i - 15 : i);
		fx_in_pkt(&f, 0, k.seq, 1, 0, NULL);
	}
	CHECK_EQ(solsess_stats(f.s)->tx_bytes, 2 + 14);
	fx_free(&f);
}

static void
test_sm_partial_nack(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	struct sol_pkt k;
	const char *text = "0123456789abcdefghijklmnopqrstuvwxyz!";	/* 37 */

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.retry_count = 2;
	cfg.retry_ms = 300;
	cfg.probe_ms = SOLSESS_PROBE_NEVER;
	fx_active(&f, &cfg);
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)text, 37, f.now), 37);
	/* the sim's inbound size: 28 characters a packet */
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 1 && k.len == 28);
	CHECK_MEM(k.data, text, 28);
	/* it takes 10: the rest goes at once, under the next number (the
	 * sim takes nothing from a number it already took from) */
	fx_in_pkt(&f, 0, 1, 10, 0, NULL);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 2 && k.len == 27);
	CHECK_MEM(k.data, text + 10, 27);
	CHECK_EQ(solsess_stats(f.s)->tx_partial, 1);
	/* NACK after taking 20 (its buffer full): the rest at once */
	fx_in_pkt(&f, 0, 2, 20, SOL_ST_NACK, NULL);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 3 && k.len == 7);
	CHECK_MEM(k.data, text + 30, 7);
	/* NACK that took nothing: busy, a retry interval's pause */
	fx_in_pkt(&f, 0, 3, 0, SOL_ST_NACK, NULL);
	CHECK_EQ(fx_next(&f, &k), -1);
	CHECK_EQ(solsess_deadline(f.s), f.now + 300);
	fx_run(&f, f.now + 299);
	CHECK_EQ(fx_next(&f, &k), -1);
	fx_run(&f, f.now + 1);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 4 && k.len == 7);
	CHECK_MEM(k.data, text + 30, 7);
	CHECK_EQ(solsess_stats(f.s)->tx_nacks, 2);
	/* an ACK counting more than the packet held is held to it */
	fx_in_pkt(&f, 0, 4, 200, 0, NULL);
	CHECK_EQ(solsess_pending(f.s), 0);
	CHECK_EQ(solsess_stats(f.s)->tx_bytes, 37);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_INPUT_DROPPED), 0);
	/* a BMC that NACKs everything: after the retries' worth, the
	 * packet's characters are given up and said */
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"zz", 2, f.now), 2);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK_EQ(k.seq, 5);
	fx_in_pkt(&f, 0, 5, 0, SOL_ST_NACK, NULL);
	fx_run(&f, f.now + 300);
	CHECK_EQ(fx_next(&f, &k), 0);
	fx_in_pkt(&f, 0, k.seq, 0, SOL_ST_NACK, NULL);
	fx_run(&f, f.now + 300);
	CHECK_EQ(fx_next(&f, &k), 0);
	fx_in_pkt(&f, 0, k.seq, 0, SOL_ST_NACK, NULL);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_INPUT_DROPPED), 1);
	CHECK_EQ(solsess_stats(f.s)->tx_dropped, 2);
	CHECK_EQ(solsess_pending(f.s), 0);
	/* the keystroke buffer is bounded */
	{
		uint8_t lots[SOLSESS_DEF_INPUT + 100];

		memset(lots, 'k', sizeof(lots));
		CHECK_EQ(solsess_write(f.s, lots, sizeof(lots), f.now),
		    SOLSESS_DEF_INPUT);
		CHECK_EQ(solsess_write_room(f.s), 0);
		CHECK_EQ(solsess_write(f.s, lots, 1, f.now), 0);
	}
	fx_free(&f);
}

static void
test_sm_break_pause(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	struct sol_pkt k;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.retry_ms = 100;
	cfg.probe_ms = SOLSESS_PROBE_NEVER;
	fx_active(&f, &cfg);
	/* nothing pending: a status packet carries it, needing no ACK */
	solsess_send_break(f.s, f.now);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.len == 0 && k.op == SOL_OP_BREAK);
	fx_run(&f, f.now + 1000);
	CHECK_EQ(fx_next(&f, &k), -1);		/* once */
	/* with a keystroke outstanding: on the next packet only, never on
	 * a retransmission */
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"x", 1, f.now), 1);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 1 && k.op == 0);
	solsess_send_break(f.s, f.now);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.op == SOL_OP_BREAK);
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"y", 1, f.now), 1);
	solsess_send_break(f.s, f.now);
	CHECK_EQ(fx_next(&f, &k), 0);		/* x still out: status */
	CHECK(k.seq == 0 && k.op == SOL_OP_BREAK);
	fx_run(&f, f.now + 100);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 1 && k.op == 0 && k.len == 1);
	/* CTS pause: said at once, then on every packet until lifted */
	solsess_pause(f.s, 1, f.now);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.op == SOL_OP_CTS_PAUSE);
	solsess_pause(f.s, 1, f.now);
	CHECK_EQ(fx_next(&f, &k), -1);		/* no change, no packet */
	fx_in_pkt(&f, 0, 1, 1, 0, NULL);	/* x taken: y goes */
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 2 && k.op == SOL_OP_CTS_PAUSE && k.len == 1);
	fx_run(&f, f.now + 100);		/* its retransmission too */
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 2 && k.op == SOL_OP_CTS_PAUSE);
	fx_in_pkt(&f, 3, 0, 0, 0, "out");	/* an ACK of ours too */
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.ack_seq == 3 && k.op == SOL_OP_CTS_PAUSE);
	solsess_pause(f.s, 0, f.now);
	CHECK_EQ(fx_next(&f, &k), 0);
	CHECK(k.seq == 0 && k.op == 0);
	fx_free(&f);
}

static void
test_sm_status_bits(void)
{
	struct fx f;
	struct solsess_cfg cfg;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.probe_ms = SOLSESS_PROBE_NEVER;
	fx_active(&f, &cfg);
	fx_in_pkt(&f, 1, 0, 0, SOL_ST_OVERRUN | SOL_ST_BREAK, "a");
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_OVERRUN), 1);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_BREAK), 1);
	/* its retransmission is not a second overrun or break */
	fx_in_pkt(&f, 1, 0, 0, SOL_ST_OVERRUN | SOL_ST_BREAK, "a");
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_OVERRUN), 1);
	CHECK_EQ(solsess_stats(f.s)->overruns, 1);
	CHECK_EQ(solsess_stats(f.s)->breaks, 1);
	fx_in_pkt(&f, 0, 0, 0, SOL_ST_UNAVAILABLE, NULL);
	CHECK_EQ(solsess_unavailable(f.s), 1);
	fx_in_pkt(&f, 0, 0, 0, SOL_ST_UNAVAILABLE, NULL);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_UNAVAILABLE), 1);
	fx_in_pkt(&f, 2, 0, 0, 0, "b");
	CHECK_EQ(solsess_unavailable(f.s), 0);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_UNAVAILABLE), 2);
	CHECK_EQ(f.ngot, 2);
	/* SOL deactivating: the end, without a Deactivate of ours */
	fx_in_pkt(&f, 0, 0, 0, SOL_ST_DEACTIVATING, NULL);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ENDED);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_DEACTIVATED);
	CHECK(strstr(solsess_errtext(f.s), "deactivating") != NULL);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 0);
	/* and nobody listens any more */
	CHECK_EQ(fake_payload_in(f.tr, SOL_PAYLOAD_TYPE,
	    (const uint8_t *)"\x03\x00\x00\x00z", 5), -1);
	CHECK_EQ(f.ngot, 2);
	fx_free(&f);
}

static void
test_sm_busy(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	static const uint8_t holder[12] = { 0x82, 0x01, 0, 0, 1 };

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x80, NULL, 0,
	    0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    holder, 12, 0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ENDED);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_BUSY);
	CHECK_EQ(solsess_ccode(f.s), 0x80);
	CHECK_EQ(solsess_holder(f.s), 0x182);
	CHECK_STR(solsess_errtext(f.s), "SOL payload instance 1 is active "
	    "on another session (BMC session ID 0x00000182)");
	/* without --takeover nothing is deactivated */
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 0);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ACTIVE), 0);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ENDED), 1);
	fx_free(&f);
}

static void
test_sm_takeover(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	static const uint8_t holder[12] = { 0x82, 0x01, 0, 0, 1 };
	const struct ipmi_req *q;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.takeover = 1;
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x80, NULL, 0,
	    1);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    holder, 12, 1);
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	CHECK_EQ(solsess_took_over(f.s), 1);
	/* Retry, Activate (80h), who, Deactivate, Activate, probe */
	q = fake_req(f.tr, 3);
	CHECK(q != NULL && q->cmd == IPMI_CMD_DEACTIVATE_PAYLOAD);
	if (q != NULL)
		CHECK_MEM(q->data, "\x01\x01", 2);
	q = fake_req(f.tr, 4);
	CHECK(q != NULL && q->cmd == IPMI_CMD_ACTIVATE_PAYLOAD);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD),
	    2);
	fx_free(&f);

	/* taken back at once by the other: given up, not a loop */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x80, NULL, 0,
	    0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    holder, 12, 0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_DEACTIVATE_PAYLOAD, 0, NULL, 0,
	    0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_BUSY);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD),
	    2);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 1);
	CHECK(strstr(solsess_errtext(f.s), "again after taking it over") !=
	    NULL);
	fx_free(&f);
}

static void
test_sm_refused(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	static const uint8_t retry[3] = { 0x11, 0x03, 0x14 };

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	/* a BMC with SOL Retry: 3 retries of 200 ms are used */
	fx_rule(&f, IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_SOL_CONFIG, 0, retry,
	    3, 0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x81, NULL, 0,
	    0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_REFUSED);
	CHECK_STR(solsess_errtext(f.s), "Activate Payload: completion code "
	    "81h: Payload type is disabled");
	CHECK_EQ(solsess_retries(f.s), 3);
	CHECK_EQ(solsess_retry_ms(f.s), 200);
	fx_free(&f);

	/* the activation fails in the transport */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, NULL, 0, 0);
	f.rules[f.nrules - 1].err = IPMI_E_TIMEOUT;
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_TRANSPORT);
	CHECK_EQ(solsess_ierr(f.s), IPMI_E_TIMEOUT);
	CHECK(strncmp(solsess_errtext(f.s), "Activate Payload: ", 18) == 0);
	fx_free(&f);

	/* a transport without payloads (IPMI 1.5): said, nothing sent */
	{
		struct ipmi_tr_cfg tc;
		char err[128];

		memset(&f, 0, sizeof(f));
		ipmi_tr_cfg_init(&tc);
		tc.iface = IPMI_IFACE_LAN;
		(void)snprintf(tc.host, sizeof(tc.host), "127.0.0.1");
		tc.port = 9;
		tc.authtype = -1;
		f.tr = ipmi_tr_new(&tc, err, sizeof(err));
		CHECK(f.tr != NULL);
		if (f.tr == NULL)
			return;
		f.s = solsess_new(f.tr, &cfg, fx_out, fx_ev, &f);
		CHECK_EQ(solsess_start(f.s, 1000), -1);
		CHECK_EQ(solsess_end(f.s), SOLSESS_END_UNSUPPORTED);
		CHECK_STR(solsess_errtext(f.s), "Serial over LAN needs an "
		    "IPMI 2.0 RMCP+ session (-I lanplus)");
		CHECK_EQ(ipmi_tr_stats(f.tr)->packets_out, 0);
		CHECK_EQ(ipmi_tr_send_payload(f.tr, 1, (const uint8_t *)"x",
		    1, 1000), IPMI_E_UNSUPPORTED);
		fx_free(&f);
	}
}

static void
test_sm_port(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	const struct ipmi_req *q;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_sim_rules(&f);
	f.act[8] = 0x6f;		/* port 623 */
	f.act[9] = 0x02;
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	ipmi_tr_timeout(f.tr, f.now);		/* SOL Retry goes */
	ipmi_tr_timeout(f.tr, f.now);		/* Activate goes */
	ipmi_tr_timeout(f.tr, f.now);		/* answered: giving back */
	CHECK_EQ(solsess_state(f.s), SOLSESS_CLOSING);
	/* console bytes meanwhile are not shown: it never was ours */
	fx_in_pkt(&f, 1, 0, 0, 0, "secret");
	CHECK_EQ(f.ngot, 0);
	CHECK_EQ(fake_payloads(f.tr), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_PORT);
	CHECK_STR(solsess_errtext(f.s), "the BMC wants the SOL payload on UDP "
	    "port 623, not on the session's port 35827: a second socket is "
	    "not supported");
	/* the instance it activated was given back */
	q = fx_last_req(&f);
	CHECK(q != NULL && q->cmd == IPMI_CMD_DEACTIVATE_PAYLOAD);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ACTIVE), 0);
	fx_free(&f);

	/* the port byte-swapped (firmware writing it big-endian) is
	 * taken, as ipmitool does */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	f.act[8] = 0x8b;
	f.act[9] = 0xf3;
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	fx_free(&f);

	/* a short answer: given back, said */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_common_rules(&f);
	f.act_len = 8;
	f.rules[1].len = 8;
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_PROTO);
	CHECK_STR(solsess_errtext(f.s), "Activate Payload: response too short "
	    "(8 bytes, need 12)");
	q = fx_last_req(&f);
	CHECK(q != NULL && q->cmd == IPMI_CMD_DEACTIVATE_PAYLOAD);
	fx_free(&f);
}

static void
test_sm_probe(void)
{
	struct fx f;
	struct solsess_cfg cfg;
	static const uint8_t other[12] = { 0x82, 0x01, 0, 0, 1 };
	static const uint8_t idle[12] = { 0, 0, 0, 0, 1 };
	static const uint8_t st_idle[3] = { 1, 0, 0 };
	static const uint8_t st_act[3] = { 1, 1, 0 };

	/* taken over silently (ipmi_sim): the probe finds the holder */
	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	cfg.probe_ms = 5000;
	fx_sim_rules(&f);
	(void)hx(sim_activate, f.act, sizeof(f.act));
	(void)hx(sim_inst_active, f.inst, sizeof(f.inst));
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, f.act, 12,
	    0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    f.inst, 12, 2);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    other, 12, 0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	fx_run(&f, f.now + 5000);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	fx_run(&f, f.now + 5000);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_TAKEN);
	CHECK_EQ(solsess_holder(f.s), 0x182);
	CHECK_STR(solsess_errtext(f.s), "SOL payload instance 1 was taken "
	    "over by another session (BMC session ID 0x00000182)");
	fx_free(&f);

	/* deactivated: the instance inactive */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, f.act, 12,
	    0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    f.inst, 12, 1);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    idle, 12, 0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	fx_run(&f, f.now + 5000);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_DEACTIVATED);
	fx_free(&f);

	/* a BMC that names sessions otherwise: the first probe (right
	 * after our activation) shows it, the status does from then on */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, f.act, 12,
	    0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO, 0,
	    other, 12, 0);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_ACTIVATION_STATUS, 0,
	    st_act, 3, 2);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_ACTIVATION_STATUS, 0,
	    st_idle, 3, 0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	fx_run(&f, f.now + 10000);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	fx_run(&f, f.now + 5000);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_DEACTIVATED);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO), 1);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP,
	    IPMI_CMD_GET_PAYLOAD_ACTIVATION_STATUS), 3);
	fx_free(&f);

	/* a BMC with neither command (C1h): no probe, no end */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_rule(&f, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0, f.act, 12,
	    0);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	fx_run(&f, f.now + 60000);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ACTIVE);
	CHECK_EQ(fake_count(f.tr, FAKE_ANY, FAKE_ANY), 4);
	CHECK_EQ(solsess_stats(f.s)->probes, 2);
	fx_free(&f);
}

static void
test_sm_session_end(void)
{
	struct fx f;
	struct solsess_cfg cfg;

	memset(&f, 0, sizeof(f));
	solsess_cfg_init(&cfg);
	fx_active(&f, &cfg);
	CHECK_EQ(solsess_write(f.s, (const uint8_t *)"x", 1, f.now), 1);
	fake_session_end(f.tr);
	CHECK_EQ(solsess_state(f.s), SOLSESS_ENDED);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_SESSION);
	CHECK(strncmp(solsess_errtext(f.s), "the RMCP+ session ended", 23) ==
	    0);
	CHECK_EQ(solsess_deadline(f.s), 0);
	fx_run(&f, f.now + 60000);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ENDED), 1);
	fx_free(&f);

	/* the session ends while we deactivate: closed all the same */
	memset(&f, 0, sizeof(f));
	fx_active(&f, &cfg);
	solsess_close(f.s, f.now);
	fake_session_end(f.tr);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_CLOSED);
	fx_free(&f);

	/* close before the activation: none is sent */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	solsess_close(f.s, f.now);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_CLOSED);
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD),
	    0);
	fx_free(&f);

	/* close while the activation is in flight: what it activated is
	 * given back */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	ipmi_tr_timeout(f.tr, f.now);		/* SOL Retry goes */
	ipmi_tr_timeout(f.tr, f.now);		/* answered; Activate goes */
	CHECK_EQ(fake_count(f.tr, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD),
	    1);
	solsess_close(f.s, f.now);
	fx_run(&f, f.now + 100);
	CHECK_EQ(solsess_end(f.s), SOLSESS_END_CLOSED);
	CHECK_EQ(fx_count_ev(&f, SOLSESS_EV_ACTIVE), 0);
	{
		const struct ipmi_req *q = fx_last_req(&f);

		CHECK(q != NULL && q->cmd == IPMI_CMD_DEACTIVATE_PAYLOAD);
	}
	fx_free(&f);

	/* freed with a request in flight: its answer goes nowhere */
	memset(&f, 0, sizeof(f));
	fx_sim_rules(&f);
	fx_common_rules(&f);
	fx_new(&f, &cfg);
	CHECK_EQ(solsess_start(f.s, f.now), 0);
	solsess_free(f.s);
	f.s = NULL;
	ipmi_tr_timeout(f.tr, f.now + 1);
	CHECK_EQ(fake_payload_in(f.tr, SOL_PAYLOAD_TYPE,
	    (const uint8_t *)"\x01\x00\x00\x00z", 5), -1);
	fx_free(&f);
}

int
main(void)
{
	RUN(test_pkt_layout);
	RUN(test_payload_commands);
	RUN(test_config);
	RUN(test_sm_activate);
	RUN(test_sm_output_once);
	RUN(test_sm_output_partial);
	RUN(test_sm_retransmit);
	RUN(test_sm_partial_nack);
	RUN(test_sm_break_pause);
	RUN(test_sm_status_bits);
	RUN(test_sm_busy);
	RUN(test_sm_takeover);
	RUN(test_sm_refused);
	RUN(test_sm_port);
	RUN(test_sm_probe);
	RUN(test_sm_session_end);
	return harness_end();
}
