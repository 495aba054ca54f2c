/*
 * A scripted transport for unit tests of code that drives a BMC: each
 * request is answered from a table of rules, first match wins.  A rule
 * can answer with a completion code and data, time out, or fail the
 * request with any enum ipmi_err.  Answers arrive on the next
 * ipmi_tr_timeout() call, as a real transport's would: never from
 * inside ipmi_tr_submit().
 */
#ifndef FAKE_H
#define FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "transport.h"

#define FAKE_ANY	0x100	/* matches any netfn / cmd */

struct fake_rule {
	unsigned	 netfn;		/* request netfn or FAKE_ANY */
	unsigned	 cmd;		/* or FAKE_ANY */
	const uint8_t	*match;		/* request data prefix, NULL: any */
	size_t		 match_len;
	enum ipmi_err	 err;		/* non-zero: fail with this */
	uint8_t		 ccode;
	const uint8_t	*data;
	size_t		 len;
	unsigned	 times;		/* 0: unlimited, else uses left */
};

/* rules is borrowed and must outlive the transport (times is counted
 * down in place).  A request no rule matches gets ccode C1h. */
struct ipmi_tr	*fake_new(struct fake_rule *rules, size_t n);
/* requests seen for netfn/cmd (FAKE_ANY counts all) */
unsigned	 fake_count(const struct ipmi_tr *, unsigned netfn,
		    unsigned cmd);
/* the data of the n-th request seen (0-based), NULL past the end */
const struct ipmi_req *fake_req(const struct ipmi_tr *, unsigned n);

/*
 * Payloads (Serial over LAN) for code that uses ipmi_tr_send_payload
 * and ipmi_tr_set_payload_cb: the fake then plays an RMCP+ session with
 * the BMC's session id sid (0: none open, sends fail with
 * IPMI_E_SESSION), UDP port port and cipher suite cipher.  Sent
 * payloads are kept (the newest FAKE_PAYLOADS) for the test to read;
 * received ones are whatever the test hands in.
 */
#define FAKE_PAYLOADS	512
void		 fake_set_session(struct ipmi_tr *, uint32_t sid, uint16_t port,
		    int cipher);
unsigned	 fake_payloads(const struct ipmi_tr *);
/* the n-th payload sent, NULL past the end or no longer kept */
const uint8_t	*fake_payload(const struct ipmi_tr *, unsigned n, size_t *len);
/* deliver one as if received: 0, or -1 if nobody listens for ptype */
int		 fake_payload_in(struct ipmi_tr *, uint8_t ptype,
		    const uint8_t *, size_t);
/* the session ends: the payload owner is told, the session id is 0 */
void		 fake_session_end(struct ipmi_tr *);

#endif
