/*
 * Fuzz Serial over LAN: every input is decoded by each codec of
 * cmd_sol.c (the SOL payload, Activate Payload, activation status,
 * instance info, every configuration parameter), whose results must stay
 * inside their fields and the input; then it drives a solsess
 * (agent/bmc/solsess.c) on the scripted transport with a fake clock:
 *
 *	byte 0		bit 0 takeover, bits 1-2 how Activate Payload is
 *			answered (as ipmi_sim did / 80h / 8 bytes / another
 *			port), bit 3 the probe finds another session, bit 4
 *			the owner takes at most 3 bytes at a time
 *	then records	op, length, that many bytes:
 *			op % 8: 0 a payload from the BMC, 1 the clock moves
 *			on (first byte x 20 ms) and what is due runs, 2
 *			keystrokes, 3 break, 4 CTS pause toggled, 5 the
 *			session ends, 6 close, 7 a payload built from the
 *			bytes (seq, ack, count, status, data)
 *
 * Checks: console bytes delivered never exceed the character data
 * received; every payload sent decodes, numbers 1..15 or 0, at most the
 * BMC's inbound size of characters; the keystroke buffer stays bounded;
 * an ended session has nothing due.  Seeds (corpus/sol/): payloads and
 * answers ipmi_sim 2.0.33 sent (tests/sol/solcap.c), and edge cases;
 * tests/sol/mkcorpus.sh writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_sol.h"
#include "fake.h"
#include "fuzz.h"
#include "solsess.h"

#define FZ_RECS		256

static void
fz_codecs(const uint8_t *p, size_t len)
{
	struct sol_pkt k;
	struct sol_activate a;
	struct sol_status st;
	struct sol_instance in;
	struct sol_config c;
	uint8_t out[SOL_PKT_MAX], param;
	int bogus, n;

	if (sol_pkt_decode(p, len, &k) == IPMI_OK) {
		fuzz_must(len >= SOL_HDR_LEN);
		fuzz_must(k.seq <= 15 && k.ack_seq <= 15 && k.op <= 0x7f);
		fuzz_must(k.len == len - SOL_HDR_LEN);
		fuzz_must(k.len == 0 || k.data == p + SOL_HDR_LEN);
		if (k.len <= SOL_DATA_MAX) {
			n = sol_pkt_encode(out, sizeof(out), &k);
			fuzz_must(n == (int)len);
			fuzz_must(out[2] == p[2] && memcmp(out + 4, p + 4,
			    k.len) == 0);
		}
	} else
		fuzz_must(len < SOL_HDR_LEN);
	if (sol_activate_decode(p, len, &a) == IPMI_OK) {
		fuzz_must(len >= SOL_ACTIVATE_RSP_LEN);
		n = (int)sol_inbound_chars(a.inbound, &bogus);
		fuzz_must(n >= 1 && n <= SOL_DATA_MAX);
		fuzz_must(bogus || n == a.inbound - SOL_HDR_LEN);
	} else
		fuzz_must(len < SOL_ACTIVATE_RSP_LEN);
	if (sol_status_decode(p, len, &st) == IPMI_OK)
		fuzz_must(st.capacity <= 15 && st.active <= 0x7fff);
	if (sol_instance_decode(p, len, &in) == IPMI_OK)
		fuzz_must(len >= SOL_INSTANCE_RSP_LEN);
	memset(&c, 0, sizeof(c));
	for (param = 0; param <= SOL_PARAM_COUNT; param++)
		if (sol_config_decode(param, p, len, &c) == IPMI_OK)
			fuzz_must(param < SOL_PARAM_COUNT && len >= 2 &&
			    (c.have >> param & 1));
	fuzz_must(c.retry_count <= 7 && c.retry_ms <= 2550 && c.accum_ms <= 1275);
	fuzz_must(c.set_state <= 3 && c.priv <= 15 && c.baud <= 15);
	(void)sol_baud_name(c.baud);
	(void)sol_set_state_name(c.set_state);
}

struct fz {
	struct ipmi_tr	*tr;
	struct solsess	*s;
	uint64_t	 now;
	size_t		 take_max;
	uint64_t	 got;		/* console bytes delivered */
	uint64_t	 offered;	/* character data received */
	unsigned	 checked;	/* payloads sent, checked */
};

static size_t
fz_out(void *arg, const uint8_t *p, size_t n)
{
	struct fz *f = arg;

	(void)p;
	if (f->take_max != 0 && n > f->take_max)
		n = f->take_max;
	f->got += n;
	return n;
}

static void
fz_ev(void *arg, enum solsess_ev e)
{
	(void)arg;
	(void)e;
}

static void
fz_in(struct fz *f, const uint8_t *p, size_t n)
{
	struct sol_pkt k;

	if (sol_pkt_decode(p, n, &k) == IPMI_OK && sol_pkt_data_ok(&k))
		f->offered += k.len;
	(void)fake_payload_in(f->tr, SOL_PAYLOAD_TYPE, p, n);
}

static void
fz_check(struct fz *f)
{
	const uint8_t *p;
	size_t len;
	struct sol_pkt k;

	while ((p = fake_payload(f->tr, f->checked, &len)) != NULL) {
		f->checked++;
		fuzz_must(sol_pkt_decode(p, len, &k) == IPMI_OK);
		fuzz_must(k.seq <= 15 && k.ack_seq <= 15);
		fuzz_must(k.seq != 0 || k.len == 0);
		fuzz_must(k.len <= solsess_chars_in(f->s));
		fuzz_must((k.op & ~(SOL_OP_BREAK | SOL_OP_CTS_PAUSE)) == 0);
	}
	fuzz_must(f->got <= f->offered);
	fuzz_must(solsess_pending(f->s) <= SOLSESS_DEF_INPUT);
	if (solsess_state(f->s) == SOLSESS_ENDED)
		fuzz_must(solsess_deadline(f->s) == 0);
}

/* run what is due up to now */
static void
fz_run(struct fz *f)
{
	int guard = 64;

	while (guard-- > 0) {
		uint64_t a = ipmi_tr_deadline(f->tr), b =
		    solsess_deadline(f->s);

		if ((a == 0 || a > f->now) && (b == 0 || b > f->now))
			break;
		if (a != 0 && a <= f->now)
			ipmi_tr_timeout(f->tr, f->now);
		if (b != 0 && b <= f->now)
			solsess_timeout(f->s, f->now);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* ipmi_sim's answers (tests/sol/solcap.c) */
	static const uint8_t act[12] = { 0, 0, 0, 0, 0x20, 0, 0, 0x40,
	    0xf3, 0x8b, 0xff, 0xff };
	static const uint8_t act_port[12] = { 0, 0, 0, 0, 0x20, 0, 0, 0x40,
	    0x6f, 0x02, 0xff, 0xff };
	static const uint8_t inst[12] = { 0x02, 0x04, 0, 0, 1 };
	static const uint8_t other[12] = { 0x82, 0x01, 0, 0, 1 };
	struct fake_rule rules[8];
	struct solsess_cfg cfg;
	struct fz f;
	size_t off = 1, n = 0, len;
	uint8_t flags, op, act_cc = 0;
	const uint8_t *act_d = act;
	size_t act_len = sizeof(act);
	int paused = 0, recs;

	fz_codecs(data, size);
	if (size < 1)
		return 0;
	flags = data[0];
	memset(&f, 0, sizeof(f));
	memset(rules, 0, sizeof(rules));
	switch ((flags >> 1) & 3) {
	case 1:
		act_cc = 0x80;
		break;
	case 2:
		act_len = 8;
		break;
	case 3:
		act_d = act_port;
		break;
	}
	rules[n].netfn = IPMI_NETFN_TRANSPORT;
	rules[n].cmd = IPMI_CMD_GET_SOL_CONFIG;
	rules[n++].ccode = 0x80;
	rules[n].netfn = IPMI_NETFN_APP;
	rules[n].cmd = IPMI_CMD_ACTIVATE_PAYLOAD;
	rules[n].ccode = act_cc;
	rules[n].data = act_d;
	rules[n].len = act_len;
	rules[n++].times = act_cc ? 1 : 0;
	rules[n].netfn = IPMI_NETFN_APP;
	rules[n].cmd = IPMI_CMD_ACTIVATE_PAYLOAD;
	rules[n].data = act;
	rules[n++].len = sizeof(act);
	rules[n].netfn = IPMI_NETFN_APP;
	rules[n].cmd = IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO;
	rules[n].data = inst;
	rules[n].len = sizeof(inst);
	rules[n++].times = (flags & 0x08) ? 2 : 0;
	rules[n].netfn = IPMI_NETFN_APP;
	rules[n].cmd = IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO;
	rules[n].data = other;
	rules[n++].len = sizeof(other);
	rules[n].netfn = IPMI_NETFN_APP;
	rules[n++].cmd = IPMI_CMD_DEACTIVATE_PAYLOAD;

	f.tr = fake_new(rules, n);
	fake_set_session(f.tr, 0x402, 35827, 3);
	f.now = 1000;
	f.take_max = (flags & 0x10) ? 3 : 0;
	solsess_cfg_init(&cfg);
	cfg.takeover = flags & 1;
	cfg.probe_ms = 3000;
	f.s = solsess_new(f.tr, &cfg, fz_out, fz_ev, &f);
	(void)solsess_start(f.s, f.now);
	fz_run(&f);
	for (recs = 0; recs < FZ_RECS && size - off >= 2; recs++) {
		op = data[off] % 8;
		len = data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		switch (op) {
		case 0:
			fz_in(&f, data + off, len);
			break;
		case 1:
			f.now += (uint64_t)20 * (len > 0 ? data[off] : 1);
			break;
		case 2:
			(void)solsess_write(f.s, data + off, len, f.now);
			break;
		case 3:
			solsess_send_break(f.s, f.now);
			break;
		case 4:
			paused = !paused;
			solsess_pause(f.s, paused, f.now);
			break;
		case 5:
			fake_session_end(f.tr);
			break;
		case 6:
			solsess_close(f.s, f.now);
			break;
		case 7:
			if (len >= 4) {
				struct sol_pkt k;
				uint8_t b[SOL_PKT_MAX];
				int m;

				memset(&k, 0, sizeof(k));
				k.seq = data[off] & 0x0f;
				k.ack_seq = data[off + 1] & 0x0f;
				k.accepted = data[off + 2];
				k.op = data[off + 3] & 0x7f;
				k.data = data + off + 4;
				k.len = len - 4;
				if ((m = sol_pkt_encode(b, sizeof(b), &k)) > 0)
					fz_in(&f, b, (size_t)m);
			}
			break;
		}
		off += len;
		fz_run(&f);
		fz_check(&f);
	}
	/* run down what is left, bounded */
	for (recs = 0; recs < 32; recs++) {
		uint64_t a = ipmi_tr_deadline(f.tr), b = solsess_deadline(f.s),
		    d = a;

		if (b != 0 && (d == 0 || b < d))
			d = b;
		if (d == 0)
			break;
		if (d > f.now)
			f.now = d;
		fz_run(&f);
		fz_check(&f);
	}
	solsess_free(f.s);
	ipmi_tr_close(f.tr, f.now);
	ipmi_tr_free(f.tr);
	return 0;
}
