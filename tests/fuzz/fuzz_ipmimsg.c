/*
 * Fuzz the IPMI message framing (msg.c) and the App NetFn response
 * decoders (cmd_app.c).  The input is decoded as a LAN/IPMB response
 * message; the response data it carries (or, failing that, the raw
 * input) goes through every App decoder.  Seeds: the IPMI messages
 * inside the datagrams ipmi_sim sent (mkcorpus.sh) and a few edge cases.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_app.h"
#include "ipmi.h"
#include "fuzz.h"

static void
fz_app(const uint8_t *p, size_t len)
{
	struct app_devid d;
	struct app_authcap a;
	struct app_challenge c;
	struct app_activate v;
	uint8_t guid[16], ids[64];
	char text[37];
	int n;

	if (app_devid_decode(p, len, &d) == IPMI_OK)
		(void)app_devid_support_name(d.support & 7);
	(void)app_authcap_decode(p, len, &a);
	(void)app_challenge_decode(p, len, &c);
	(void)app_activate_decode(p, len, &v);
	if (app_guid_decode(p, len, guid) == IPMI_OK) {
		app_guid_format(guid, text);
		if (strlen(text) != 36)
			abort();
	}
	n = app_suites_parse(p, len, ids, (int)sizeof(ids));
	if (n < 0 || n > (int)sizeof(ids))
		abort();
	/* a short id buffer must not be overrun either */
	n = app_suites_parse(p, len, ids, 1);
	if (n < 0 || n > 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipmi_msg_hdr h;
	struct ipmi_rsp rsp;

	if (ipmi_msg_decode_rsp(data, size, &h, &rsp) == IPMI_OK) {
		if (rsp.len > IPMI_MAX_DATA || rsp.len != size - 8)
			abort();
		(void)ipmi_ccode_name(rsp.netfn, rsp.cmd, rsp.ccode);
		fz_app(rsp.data, rsp.len);
	} else
		(void)ipmi_csum(data, size);
	fz_app(data, size);
	return 0;
}
