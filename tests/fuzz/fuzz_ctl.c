/*
 * Fuzz the control socket's request parser and frame reader
 * (agent/daemon/ctl.c): ctl_parse() on the input as one request line,
 * and line by line as a client would send them; ctl_frame_header() on
 * the input as an answer.  Whatever parses must hold together: a known
 * verb, a valid target name or none, keys within their bounds, a
 * record ID in 1..FFFEh, an action exactly when an allow bit is needed.
 * A refusal must say something.  The stream frames of `sol'
 * (ctl_sframe_header) likewise, both sides' kinds.  Seeds: every verb
 * and key, and the
 * edges of the bounds (tests/fuzz/corpus/ctl/).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_chassis.h"
#include "ctl.h"
#include "fuzz.h"
#include "store/store.h"

static void
one(const char *p, size_t len)
{
	struct ctl_req r;
	char err[512];
	size_t i, tl;

	err[0] = '\0';
	if (ctl_parse(p, len, &r, err, sizeof(err)) != 0) {
		fuzz_must(err[0] != '\0' && strlen(err) < sizeof(err));
		return;
	}
	fuzz_must(len <= CTL_LINE_MAX);
	fuzz_must(r.verb <= CTL_SOL);
	if (r.verb == CTL_SOL)
		fuzz_must(r.sol_replay <= STORE_CONSOLE_RING && (r.sol_input == 0 ||
		    r.sol_input == 1));
	else
		fuzz_must(r.sol_replay == 0 && r.sol_input == 0);
	tl = strlen(r.target);
	fuzz_must(tl <= CTL_NAME_MAX);
	if (tl > 0)
		fuzz_must(r.target[0] != '.');
	for (i = 0; i < tl; i++)
		fuzz_must(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", r.target[i]) != NULL);
	fuzz_must(r.json == 0 || r.json == 1);
	fuzz_must(r.verbose == 0 || r.verbose == 1);
	fuzz_must(r.last <= 65536);
	if (r.last > 0 || r.open_only)
		fuzz_must(r.verb == CTL_SEL_LIST);
	if (r.verb == CTL_SEL_ACK)
		fuzz_must(r.sel_id >= 1 && r.sel_id <= 0xfffe);
	if (r.verb == CTL_CHASSIS_POWER)
		fuzz_must(r.power <= CHASSIS_CTL_MAX);
	if (r.verb == CTL_CHASSIS_IDENTIFY)
		fuzz_must(r.identify_s >= -1 && r.identify_s <= 255);
	fuzz_must(ctl_is_action(&r) == (ctl_allow_bit(&r) != 0));
	fuzz_must(strcmp(ctl_verb_name(r.verb), "?") != 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nl;
	size_t off = 0, plen, hlen;
	int code, r;

	one(p, size);
	while (off < size && (nl = memchr(p + off, '\n', size - off)) != NULL) {
		one(p + off, (size_t)(nl - (p + off)));
		off = (size_t)(nl - p) + 1;
	}
	r = ctl_frame_header(p, size, &code, &plen, &hlen);
	fuzz_must(r >= -1 && r <= 1);
	if (r == 1)
		fuzz_must(hlen <= size && hlen <= 40 && code >= 0 && code <= 255 &&
		    data[hlen - 1] == '\n');
	/* stream frames, one after another as a reader takes them */
	off = 0;
	while (off < size) {
		enum ctl_sframe t;
		char h[40];

		r = ctl_sframe_header(p + off, size - off, &t, &code, &plen,
		    &hlen);
		fuzz_must(r >= -1 && r <= 1);
		if (r != 1)
			break;
		fuzz_must(hlen <= 40 && hlen <= size - off && p[off + hlen - 1] ==
		    '\n' && plen <= CTL_SFRAME_MAX && t <= CTL_SF_BREAK);
		fuzz_must((t == CTL_SF_ERR) == (code != 0) && code <= 255);
		fuzz_must(t != CTL_SF_BREAK || plen == 0);
		/* what the writer puts there reads back the same */
		fuzz_must(ctl_sframe_put(h, sizeof(h), t, code, plen) == hlen &&
		    memcmp(h, p + off, hlen) == 0);
		if (plen > size - off - hlen)
			break;
		off += hlen + plen;
	}
	return 0;
}
