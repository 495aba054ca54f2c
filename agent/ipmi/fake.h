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

#endif
