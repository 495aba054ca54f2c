/*
 * IPMI message codecs: checksums, IPMB/LAN framing, completion code and
 * error names.  Pure: no I/O, clock or globals (the tables are const).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "ipmi.h"

static const char *const err_names[IPMI_E__MAX] = {
	[IPMI_OK] = "success",
	[IPMI_E_TIMEOUT] = "no response (timeout)",
	[IPMI_E_IO] = "I/O error",
	[IPMI_E_SESSION] = "session lost",
	[IPMI_E_AUTH] = "authentication failed",
	[IPMI_E_UNSUPPORTED] = "not supported by the BMC",
	[IPMI_E_NODEVICE] = "no IPMI device",
	[IPMI_E_BUSY] = "request queue full",
	[IPMI_E_CLOSED] = "transport closed",
	[IPMI_E_LENGTH] = "bad length",
	[IPMI_E_CHECKSUM] = "bad checksum",
	[IPMI_E_AUTHCODE] = "bad authentication code",
	[IPMI_E_SEQUENCE] = "sequence number out of window",
	[IPMI_E_PROTO] = "malformed message",
};

const char *
ipmi_strerror(enum ipmi_err e)
{
	if ((unsigned)e >= IPMI_E__MAX)
		return "unknown error";
	return err_names[e];
}

enum ipmi_err_class
ipmi_err_class(enum ipmi_err e)
{
	if (e == IPMI_OK)
		return IPMI_CLASS_NONE;
	if (e >= IPMI_E_LENGTH)
		return IPMI_CLASS_PROTOCOL;
	return IPMI_CLASS_TRANSPORT;
}

/* Generic completion codes, IPMI v2.0 table 5-2. */
static const struct {
	uint8_t		 cc;
	const char	*name;
} cc_generic[] = {
	{ 0x00, "Command completed normally" },
	{ 0xc0, "Node busy" },
	{ 0xc1, "Invalid command" },
	{ 0xc2, "Command invalid for given LUN" },
	{ 0xc3, "Timeout while processing command" },
	{ 0xc4, "Out of space" },
	{ 0xc5, "Reservation canceled or invalid reservation ID" },
	{ 0xc6, "Request data truncated" },
	{ 0xc7, "Request data length invalid" },
	{ 0xc8, "Request data field length limit exceeded" },
	{ 0xc9, "Parameter out of range" },
	{ 0xca, "Cannot return number of requested data bytes" },
	{ 0xcb, "Requested sensor, data, or record not present" },
	{ 0xcc, "Invalid data field in request" },
	{ 0xcd, "Command illegal for specified sensor or record type" },
	{ 0xce, "Command response could not be provided" },
	{ 0xcf, "Cannot execute duplicated request" },
	{ 0xd0, "SDR repository in update mode" },
	{ 0xd1, "Device in firmware update mode" },
	{ 0xd2, "BMC initialization in progress" },
	{ 0xd3, "Destination unavailable" },
	{ 0xd4, "Insufficient privilege level" },
	{ 0xd5, "Command not supported in present state" },
	{ 0xd6, "Command sub-function disabled or unavailable" },
	{ 0xff, "Unspecified error" },
};

/* Command-specific completion codes (80h-BEh) we name, from the
 * command tables of the spec chapters cited. */
static const struct {
	uint8_t		 netfn, cmd, cc;
	const char	*name;
} cc_specific[] = {
	/* 27.5 Reset Watchdog Timer */
	{ IPMI_NETFN_APP, IPMI_CMD_RESET_WATCHDOG_TIMER, 0x80,
	    "Attempt to start un-initialized watchdog" },
	/* 22.15 Get Session Challenge */
	{ IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE, 0x81,
	    "Invalid user name" },
	{ IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE, 0x82,
	    "Null user name (User 1) not enabled" },
	/* 22.17 Activate Session */
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x81,
	    "No session slot available" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x82,
	    "No slot available for given user" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x83,
	    "No slot available to support user due to privilege limit" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x84,
	    "Session sequence number out of range" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x85,
	    "Invalid session ID in request" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, 0x86,
	    "Requested maximum privilege level exceeds user/channel limit" },
	/* 22.18 Set Session Privilege Level */
	{ IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL, 0x80,
	    "Requested level not available for this user" },
	{ IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL, 0x81,
	    "Requested level exceeds channel and/or user privilege limit" },
	{ IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL, 0x82,
	    "Cannot disable user level authentication" },
	/* 22.19 Close Session */
	{ IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, 0x87,
	    "Invalid session ID in request" },
	{ IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, 0x88,
	    "Invalid session handle in request" },
	/* 22.7 Send Message */
	{ IPMI_NETFN_APP, IPMI_CMD_SEND_MESSAGE, 0x80,
	    "Invalid session handle" },
	{ IPMI_NETFN_APP, IPMI_CMD_SEND_MESSAGE, 0x81, "Lost arbitration" },
	{ IPMI_NETFN_APP, IPMI_CMD_SEND_MESSAGE, 0x82, "Bus error" },
	{ IPMI_NETFN_APP, IPMI_CMD_SEND_MESSAGE, 0x83, "NAK on write" },
	/* 31.2 Get SEL Info, 31.5 Get SEL Entry, 31.6 Add SEL Entry,
	 * 31.9 Clear SEL */
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_INFO, 0x81,
	    "Cannot execute command, SEL erase in progress" },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_ENTRY, 0x81,
	    "Cannot execute command, SEL erase in progress" },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_ADD_SEL_ENTRY, 0x80,
	    "Operation not supported for this record type" },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_ADD_SEL_ENTRY, 0x81,
	    "Cannot execute command, SEL erase in progress" },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_CLEAR_SEL, 0x81,
	    "Cannot execute command, SEL erase in progress" },
	/* 31.8 Delete SEL Entry */
	{ IPMI_NETFN_STORAGE, IPMI_CMD_DELETE_SEL_ENTRY, 0x80,
	    "Operation not supported for this record type" },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_DELETE_SEL_ENTRY, 0x81,
	    "Cannot execute command, SEL erase in progress" },
	/* 28.11 Get System Boot Options */
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS, 0x80,
	    "Parameter not supported" },
	/* 24.1 Activate Payload, 24.2 Deactivate Payload */
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x80,
	    "Payload already active on another session" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x81,
	    "Payload type is disabled" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x82,
	    "Payload activation limit reached" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x83,
	    "Cannot activate payload with encryption" },
	{ IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, 0x84,
	    "Cannot activate payload without encryption" },
	{ IPMI_NETFN_APP, IPMI_CMD_DEACTIVATE_PAYLOAD, 0x80,
	    "Payload already deactivated" },
	{ IPMI_NETFN_APP, IPMI_CMD_DEACTIVATE_PAYLOAD, 0x81,
	    "Payload type is disabled" },
	/* 26.2 Set / 26.3 Get SOL Configuration Parameters */
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_SOL_CONFIG, 0x80,
	    "Parameter not supported" },
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_SOL_CONFIG, 0x81,
	    "Attempt to set the 'set in progress' value when not in the "
	    "'set complete' state" },
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_SOL_CONFIG, 0x82,
	    "Attempt to write read-only parameter" },
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_SOL_CONFIG, 0x80,
	    "Parameter not supported" },
	/* 35.9 Get Sensor Thresholds etc. use generic codes only */
};

const char *
ipmi_ccode_name(uint8_t netfn, uint8_t cmd, uint8_t cc)
{
	size_t i;

	netfn &= ~1;	/* response netfn -> request netfn */
	for (i = 0; i < sizeof(cc_specific) / sizeof(cc_specific[0]); i++)
		if (cc_specific[i].netfn == netfn &&
		    cc_specific[i].cmd == cmd && cc_specific[i].cc == cc)
			return cc_specific[i].name;
	for (i = 0; i < sizeof(cc_generic) / sizeof(cc_generic[0]); i++)
		if (cc_generic[i].cc == cc)
			return cc_generic[i].name;
	if (cc >= 0x01 && cc <= 0x7e)
		return "Device specific (OEM) completion code";
	if (cc >= 0x80 && cc <= 0xbe)
		return "Command-specific completion code";
	return "Unknown completion code";
}

const char *
ipmi_ccode_fmt(char *buf, size_t len, uint8_t netfn, uint8_t cmd, uint8_t cc)
{
	(void)snprintf(buf, len, "completion code %02Xh: %s", cc,
	    ipmi_ccode_name(netfn, cmd, cc));
	return buf;
}

const char *
ipmi_short_fmt(char *buf, size_t len, size_t got, size_t need)
{
	if (need > 0)
		(void)snprintf(buf, len, "response too short (%zu byte%s, "
		    "need %zu)", got, got == 1 ? "" : "s", need);
	else
		(void)snprintf(buf, len, "response too short (%zu byte%s)",
		    got, got == 1 ? "" : "s");
	return buf;
}

const char *
ipmi_rsp_errfmt(char *buf, size_t len, const struct ipmi_rsp *rsp,
    size_t need)
{
	if (rsp->ccode != IPMI_CC_OK)
		return ipmi_ccode_fmt(buf, len, rsp->netfn, rsp->cmd,
		    rsp->ccode);
	if (rsp->len < need)
		return ipmi_short_fmt(buf, len, rsp->len, need);
	(void)snprintf(buf, len, "malformed response (%u bytes)", rsp->len);
	return buf;
}

/* 2's complement checksum: the bytes plus the checksum sum to 0. */
uint8_t
ipmi_csum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s += *p++;
	return (uint8_t)-s;
}

static const char *const priv_names[] = {
	NULL, "callback", "user", "operator", "admin", "oem"
};

const char *
ipmi_priv_name(uint8_t priv)
{
	if (priv >= 1 && priv <= 5)
		return priv_names[priv];
	return "unknown";
}

int
ipmi_priv_parse(const char *s, uint8_t *priv)
{
	uint8_t i;

	if (strcasecmp(s, "administrator") == 0) {
		*priv = IPMI_PRIV_ADMIN;
		return 0;
	}
	for (i = 1; i <= 5; i++)
		if (strcasecmp(s, priv_names[i]) == 0) {
			*priv = i;
			return 0;
		}
	return -1;
}

void
ipmi_req_init(struct ipmi_req *req, uint8_t netfn, uint8_t cmd,
    const void *data, size_t len)
{
	memset(req, 0, sizeof(*req));
	req->netfn = netfn;
	req->cmd = cmd;
	if (len > IPMI_MAX_DATA)
		len = IPMI_MAX_DATA;
	req->len = (uint16_t)len;
	if (len > 0)
		memcpy(req->data, data, len);
}

void
ipmi_rec_get_req(struct ipmi_req *req, uint8_t netfn, uint8_t cmd,
    uint16_t res, uint16_t id, uint8_t offset, uint8_t count)
{
	uint8_t d[6];
	struct wbuf w;

	wb_init(&w, d, sizeof(d));
	wr_le16(&w, res);
	wr_le16(&w, id);
	wr_u8(&w, offset);
	wr_u8(&w, count);
	ipmi_req_init(req, netfn, cmd, d, w.len);
}

int
ipmi_msg_encode(uint8_t *out, size_t cap, uint8_t rs_sa, uint8_t rq_sa,
    uint8_t rq_seq, const struct ipmi_req *req)
{
	struct wbuf w;
	size_t start2;

	wb_init(&w, out, cap);
	wr_u8(&w, rs_sa);
	wr_u8(&w, (uint8_t)(req->netfn << 2 | (req->lun & 3)));
	wr_u8(&w, ipmi_csum(out, w.err ? 0 : 2));
	start2 = w.len;
	wr_u8(&w, rq_sa);
	wr_u8(&w, (uint8_t)(rq_seq << 2));	/* rqLUN 0 */
	wr_u8(&w, req->cmd);
	wr_bytes(&w, req->data, req->len);
	if (w.err)
		return -1;
	wr_u8(&w, ipmi_csum(out + start2, w.len - start2));
	return w.err ? -1 : (int)w.len;
}

enum ipmi_err
ipmi_msg_decode_rsp(const uint8_t *p, size_t len, struct ipmi_msg_hdr *h,
    struct ipmi_rsp *rsp)
{
	struct rbuf r;
	uint8_t b;
	size_t dlen;

	/* 3 header bytes + rsSA, rqSeq, cmd, cc + chk2 */
	if (len < 8)
		return IPMI_E_LENGTH;
	if (ipmi_csum(p, 2) != p[2] || ipmi_csum(p + 3, len - 4) != p[len - 1])
		return IPMI_E_CHECKSUM;
	rb_init(&r, p, len - 1);
	h->rq_sa = rd_u8(&r);
	b = rd_u8(&r);
	h->netfn = b >> 2;
	h->rq_lun = b & 3;
	rd_skip(&r, 1);
	h->rs_sa = rd_u8(&r);
	b = rd_u8(&r);
	h->rq_seq = b >> 2;
	h->rs_lun = b & 3;
	h->cmd = rd_u8(&r);
	memset(rsp, 0, sizeof(*rsp));
	rsp->netfn = h->netfn;
	rsp->cmd = h->cmd;
	rsp->ccode = rd_u8(&r);
	dlen = rd_left(&r);
	if (r.err || dlen > IPMI_MAX_DATA)
		return IPMI_E_LENGTH;
	rd_bytes(&r, rsp->data, dlen);
	rsp->len = (uint16_t)dlen;
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

int
ipmi_bridge_req(struct ipmi_req *outer, uint8_t rq_seq,
    const struct ipmi_req *inner)
{
	int n;

	memset(outer, 0, sizeof(*outer));
	outer->netfn = IPMI_NETFN_APP;
	outer->cmd = IPMI_CMD_SEND_MESSAGE;
	/* tracking 01b: the BMC routes the response back to us */
	outer->data[0] = (uint8_t)(0x40 | (inner->target_chan & 0x0f));
	n = ipmi_msg_encode(outer->data + 1, sizeof(outer->data) - 1,
	    inner->target_addr, IPMI_BMC_SLAVE_ADDR, rq_seq & 0x3f, inner);
	if (n < 0)
		return -1;
	outer->len = (uint16_t)(n + 1);
	return 0;
}

/* the inner response (h, rsp) answers inner with rqSeq rq_seq */
static int
bridge_is_inner(const struct ipmi_msg_hdr *h, const struct ipmi_req *inner,
    uint8_t rq_seq)
{
	return h->rq_seq == rq_seq && h->netfn == (inner->netfn | 1) &&
	    h->cmd == inner->cmd &&
	    (h->rs_sa == inner->target_addr ||
	    h->rs_sa == IPMI_BMC_SLAVE_ADDR);
}

enum ipmi_bridge_st
ipmi_bridge_rsp(const struct ipmi_msg_hdr *h, const struct ipmi_rsp *rsp,
    const struct ipmi_req *inner, uint8_t rq_seq, struct ipmi_rsp *out,
    enum ipmi_err *err)
{
	struct ipmi_msg_hdr ih;
	enum ipmi_err e;

	*err = IPMI_OK;
	if (h->rq_seq != rq_seq)
		return IPMI_BRIDGE_OTHER;
	if (h->netfn == (IPMI_NETFN_APP | 1) &&
	    h->cmd == IPMI_CMD_SEND_MESSAGE &&
	    !(inner->netfn == IPMI_NETFN_APP &&
	    inner->cmd == IPMI_CMD_SEND_MESSAGE)) {
		/* Send Message's own answer comes from the BMC */
		if (h->rs_sa != IPMI_BMC_SLAVE_ADDR)
			return IPMI_BRIDGE_OTHER;
		if (rsp->ccode != IPMI_CC_OK) {
			*out = *rsp;
			return IPMI_BRIDGE_DONE;
		}
		if (rsp->len == 0)
			return IPMI_BRIDGE_ACCEPTED;
		/* the IPMB response in the data */
		if ((e = ipmi_msg_decode_rsp(rsp->data, rsp->len, &ih,
		    out)) != IPMI_OK) {
			*err = e;
			return IPMI_BRIDGE_BAD;
		}
		if (!bridge_is_inner(&ih, inner, rq_seq)) {
			*err = IPMI_E_PROTO;
			return IPMI_BRIDGE_BAD;
		}
		return IPMI_BRIDGE_DONE;
	}
	if (!bridge_is_inner(h, inner, rq_seq))
		return IPMI_BRIDGE_OTHER;
	*out = *rsp;
	return IPMI_BRIDGE_DONE;
}
