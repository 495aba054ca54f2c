/*
 * Serial over LAN codecs (see cmd_sol.h).  Pure: no I/O, clock, logging
 * or globals; every received byte is read through struct rbuf.
 */
#include <string.h>

#include "buf.h"
#include "cmd_sol.h"

/* ---- the SOL payload ---- */

int
sol_pkt_encode(uint8_t *out, size_t cap, const struct sol_pkt *p)
{
	struct wbuf w;

	if (p->seq > SOL_SEQ_MAX || p->ack_seq > SOL_SEQ_MAX ||
	    p->len > SOL_DATA_MAX || (p->len > 0 && p->data == NULL))
		return -1;
	wb_init(&w, out, cap);
	wr_u8(&w, p->seq);
	wr_u8(&w, p->ack_seq);
	wr_u8(&w, p->accepted);
	wr_u8(&w, p->op & 0x7f);	/* bit 7 is reserved */
	if (p->len > 0)
		wr_bytes(&w, p->data, p->len);
	return w.err ? -1 : (int)w.len;
}

enum ipmi_err
sol_pkt_decode(const uint8_t *in, size_t len, struct sol_pkt *p)
{
	struct rbuf r;

	memset(p, 0, sizeof(*p));
	rb_init(&r, in, len);
	p->seq = rd_u8(&r) & 0x0f;
	p->ack_seq = rd_u8(&r) & 0x0f;
	p->accepted = rd_u8(&r);
	p->op = rd_u8(&r) & 0x7f;
	if (r.err) {
		memset(p, 0, sizeof(*p));
		return IPMI_E_LENGTH;
	}
	p->len = rd_left(&r);
	p->data = p->len > 0 ? rd_ptr(&r, p->len) : NULL;
	return IPMI_OK;
}

int
sol_pkt_data_ok(const struct sol_pkt *p)
{
	return p->seq != 0 && p->len > 0;
}

uint8_t
sol_seq_next(uint8_t seq)
{
	return (uint8_t)(seq >= SOL_SEQ_MAX ? 1 : seq + 1);
}

/* ---- payload commands ---- */

void
sol_activate_req(struct ipmi_req *req, uint8_t instance, uint8_t aux)
{
	uint8_t d[6] = { SOL_PAYLOAD_TYPE, 0, 0, 0, 0, 0 };

	d[1] = instance & 0x0f;
	d[2] = aux & 0xee;	/* bits 0 and 4 are reserved */
	ipmi_req_init(req, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_PAYLOAD, d,
	    sizeof(d));
}

enum ipmi_err
sol_activate_decode(const uint8_t *in, size_t len, struct sol_activate *a)
{
	struct rbuf r;

	memset(a, 0, sizeof(*a));
	rb_init(&r, in, len);
	a->aux = rd_le32(&r);
	a->inbound = rd_le16(&r);
	a->outbound = rd_le16(&r);
	a->port = rd_le16(&r);
	a->vlan = rd_le16(&r);
	if (r.err) {
		memset(a, 0, sizeof(*a));
		return IPMI_E_LENGTH;
	}
	return IPMI_OK;
}

size_t
sol_inbound_chars(uint16_t inbound, int *bogus)
{
	*bogus = inbound < SOL_HDR_LEN + 1 || inbound > SOL_PKT_MAX;
	return *bogus ? SOL_DATA_MAX : (size_t)inbound - SOL_HDR_LEN;
}

void
sol_deactivate_req(struct ipmi_req *req, uint8_t instance)
{
	uint8_t d[6] = { SOL_PAYLOAD_TYPE, 0, 0, 0, 0, 0 };

	d[1] = instance & 0x0f;
	ipmi_req_init(req, IPMI_NETFN_APP, IPMI_CMD_DEACTIVATE_PAYLOAD, d,
	    sizeof(d));
}

void
sol_status_req(struct ipmi_req *req)
{
	uint8_t d[1] = { SOL_PAYLOAD_TYPE };

	ipmi_req_init(req, IPMI_NETFN_APP,
	    IPMI_CMD_GET_PAYLOAD_ACTIVATION_STATUS, d, sizeof(d));
}

enum ipmi_err
sol_status_decode(const uint8_t *in, size_t len, struct sol_status *s)
{
	struct rbuf r;

	memset(s, 0, sizeof(*s));
	rb_init(&r, in, len);
	s->capacity = rd_u8(&r) & 0x0f;
	s->active = rd_le16(&r);
	if (r.err) {
		memset(s, 0, sizeof(*s));
		return IPMI_E_LENGTH;
	}
	/* instance 16 does not exist: payload instances are 1..15 */
	s->active &= 0x7fff;
	return IPMI_OK;
}

void
sol_instance_req(struct ipmi_req *req, uint8_t instance)
{
	uint8_t d[2] = { SOL_PAYLOAD_TYPE, 0 };

	d[1] = instance & 0x0f;
	ipmi_req_init(req, IPMI_NETFN_APP, IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO,
	    d, sizeof(d));
}

enum ipmi_err
sol_instance_decode(const uint8_t *in, size_t len, struct sol_instance *i)
{
	struct rbuf r;

	memset(i, 0, sizeof(*i));
	rb_init(&r, in, len);
	i->sid = rd_le32(&r);
	rd_bytes(&r, i->info, sizeof(i->info));
	if (r.err) {
		memset(i, 0, sizeof(*i));
		return IPMI_E_LENGTH;
	}
	return IPMI_OK;
}

/* ---- configuration parameters ---- */

static const char *const sol_param_names[SOL_PARAM_COUNT] = {
	[SOL_PARAM_SET_IN_PROGRESS] = "Set In Progress",
	[SOL_PARAM_ENABLE] = "SOL Enable",
	[SOL_PARAM_AUTH] = "SOL Authentication",
	[SOL_PARAM_ACCUMULATE] =
	    "Character Accumulate Interval & Send Threshold",
	[SOL_PARAM_RETRY] = "SOL Retry",
	[SOL_PARAM_BAUD_NV] = "SOL non-volatile bit rate",
	[SOL_PARAM_BAUD] = "SOL volatile bit rate",
	[SOL_PARAM_CHANNEL] = "SOL Payload Channel",
	[SOL_PARAM_PORT] = "SOL Payload Port Number",
};

const char *
sol_param_name(uint8_t param)
{
	return param < SOL_PARAM_COUNT ? sol_param_names[param] : "Unknown";
}

void
sol_config_get_req(struct ipmi_req *req, uint8_t channel, uint8_t param)
{
	uint8_t d[4] = { 0, 0, 0, 0 };

	d[0] = channel & 0x0f;
	d[1] = param & 0x7f;
	ipmi_req_init(req, IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_SOL_CONFIG, d,
	    sizeof(d));
}

enum ipmi_err
sol_config_decode(uint8_t param, const uint8_t *in, size_t len,
    struct sol_config *c)
{
	struct rbuf r;
	uint8_t b, b2;

	if (param >= SOL_PARAM_COUNT)
		return IPMI_E_PROTO;
	rb_init(&r, in, len);
	c->rev = rd_u8(&r);
	b = rd_u8(&r);
	switch (param) {
	case SOL_PARAM_SET_IN_PROGRESS:
		c->set_state = b & 0x03;
		break;
	case SOL_PARAM_ENABLE:
		c->enabled = b & 0x01;
		break;
	case SOL_PARAM_AUTH:
		c->force_encrypt = (b >> 7) & 1;
		c->force_auth = (b >> 6) & 1;
		c->priv = b & 0x0f;
		break;
	case SOL_PARAM_ACCUMULATE:
		b2 = rd_u8(&r);
		if (r.err)
			break;
		c->accum_ms = 5u * b;
		c->send_threshold = b2;
		break;
	case SOL_PARAM_RETRY:
		b2 = rd_u8(&r);
		if (r.err)
			break;
		c->retry_count = b & 0x07;
		c->retry_ms = 10u * b2;
		break;
	case SOL_PARAM_BAUD_NV:
		c->baud_nv = b & 0x0f;
		break;
	case SOL_PARAM_BAUD:
		c->baud = b & 0x0f;
		break;
	case SOL_PARAM_CHANNEL:
		c->channel = b & 0x0f;
		break;
	case SOL_PARAM_PORT:
		b2 = rd_u8(&r);
		if (r.err)
			break;
		c->port = (uint16_t)(b | b2 << 8);
		break;
	}
	if (r.err)
		return IPMI_E_LENGTH;
	c->have |= (uint16_t)(1u << param);
	return IPMI_OK;
}

int
sol_config_set_req(struct ipmi_req *req, uint8_t channel, uint8_t param,
    const struct sol_config *c)
{
	uint8_t d[4];
	size_t n = 3;

	d[0] = channel & 0x0f;
	d[1] = param;
	switch (param) {
	case SOL_PARAM_SET_IN_PROGRESS:
		if (c->set_state > SOL_SET_COMMIT)
			return -1;
		d[2] = c->set_state;
		break;
	case SOL_PARAM_ENABLE:
		d[2] = c->enabled ? 1 : 0;
		break;
	case SOL_PARAM_AUTH:
		if (c->priv > 0x0f)
			return -1;
		d[2] = (uint8_t)((c->force_encrypt ? 0x80 : 0) |
		    (c->force_auth ? 0x40 : 0) | c->priv);
		break;
	case SOL_PARAM_ACCUMULATE:
		/* 1-based 5 ms steps: 00h is reserved */
		if (c->accum_ms < 5 || c->accum_ms > 5 * 255 ||
		    c->accum_ms % 5 != 0)
			return -1;
		d[2] = (uint8_t)(c->accum_ms / 5);
		d[3] = c->send_threshold;
		n = 4;
		break;
	case SOL_PARAM_RETRY:
		if (c->retry_count > 7 || c->retry_ms > 10 * 255 ||
		    c->retry_ms % 10 != 0)
			return -1;
		d[2] = c->retry_count;
		d[3] = (uint8_t)(c->retry_ms / 10);
		n = 4;
		break;
	case SOL_PARAM_BAUD_NV:
	case SOL_PARAM_BAUD:
		d[2] = param == SOL_PARAM_BAUD ? c->baud : c->baud_nv;
		if (sol_baud_name(d[2]) == NULL)
			return -1;
		break;
	case SOL_PARAM_PORT:
		d[2] = (uint8_t)(c->port & 0xff);
		d[3] = (uint8_t)(c->port >> 8);
		n = 4;
		break;
	default:	/* 7 (payload channel) is read-only */
		return -1;
	}
	ipmi_req_init(req, IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_SOL_CONFIG, d,
	    n);
	return 0;
}

static const struct {
	uint8_t		 code;
	unsigned long	 bps;
	const char	*name;
} sol_bauds[] = {
	{ SOL_BAUD_SERIAL, 0, "serial" },
	{ SOL_BAUD_9600, 9600, "9600" },
	{ SOL_BAUD_19200, 19200, "19200" },
	{ SOL_BAUD_38400, 38400, "38400" },
	{ SOL_BAUD_57600, 57600, "57600" },
	{ SOL_BAUD_115200, 115200, "115200" },
};

const char *
sol_baud_name(uint8_t code)
{
	size_t i;

	for (i = 0; i < sizeof(sol_bauds) / sizeof(sol_bauds[0]); i++)
		if (sol_bauds[i].code == code)
			return sol_bauds[i].name;
	return NULL;
}

int
sol_baud_code(unsigned long bps, uint8_t *code)
{
	size_t i;

	for (i = 1; i < sizeof(sol_bauds) / sizeof(sol_bauds[0]); i++)
		if (sol_bauds[i].bps == bps) {
			*code = sol_bauds[i].code;
			return 0;
		}
	return -1;
}

const char *
sol_set_state_name(uint8_t s)
{
	switch (s) {
	case SOL_SET_COMPLETE:
		return "set-complete";
	case SOL_SET_IN_PROGRESS:
		return "set-in-progress";
	case SOL_SET_COMMIT:
		return "commit-write";
	default:
		return "reserved";
	}
}
