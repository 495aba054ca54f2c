/*
 * Application NetFn command codecs, IPMI v2.0 chapters 20 and 22.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd_app.h"

void
app_devid_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
}

enum ipmi_err
app_devid_decode(const uint8_t *p, size_t len, struct app_devid *d)
{
	struct rbuf r;
	uint8_t b;

	memset(d, 0, sizeof(*d));
	rb_init(&r, p, len);
	d->device_id = rd_u8(&r);
	b = rd_u8(&r);
	d->device_rev = b & 0x0f;
	d->provides_sdrs = (b & 0x80) != 0;
	b = rd_u8(&r);
	d->available = b >> 7;
	d->fw_major = b & 0x7f;
	d->fw_minor = rd_u8(&r);
	d->ipmi_version = rd_u8(&r);
	d->support = rd_u8(&r);
	d->manufacturer = rd_le24(&r) & 0x0fffff;
	d->product = rd_le16(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	/* auxiliary firmware revision is optional (4 bytes if present) */
	if (rd_left(&r) >= 4) {
		d->has_aux = 1;
		rd_bytes(&r, d->aux, 4);
	}
	return IPMI_OK;
}

const char *
app_devid_support_name(unsigned bit)
{
	static const char *const n[8] = {
		"Sensor Device", "SDR Repository Device", "SEL Device",
		"FRU Inventory Device", "IPMB Event Receiver",
		"IPMB Event Generator", "Bridge", "Chassis Device"
	};

	return bit < 8 ? n[bit] : "";
}

void
app_guid_req(struct ipmi_req *q, int system)
{
	ipmi_req_init(q, IPMI_NETFN_APP, system ? IPMI_CMD_GET_SYSTEM_GUID :
	    IPMI_CMD_GET_DEVICE_GUID, NULL, 0);
}

enum ipmi_err
app_guid_decode(const uint8_t *p, size_t len, uint8_t guid[16])
{
	struct rbuf r;

	rb_init(&r, p, len);
	rd_bytes(&r, guid, 16);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
app_guid_format(const uint8_t g[16], char out[37])
{
	/*
	 * SMBIOS / RFC 4122 text, as ipmitool and dmidecode print it: the
	 * time_low, time_mid and time_hi fields are little-endian on the
	 * wire, clock_seq and node are in wire order.  (Section 20.8 says
	 * the whole GUID is least significant byte first; BMCs disagree,
	 * which is why JSON output also carries the raw bytes.)
	 */
	(void)snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
	    g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

int
app_guid_parse(const char *s, uint8_t g[16])
{
	/* the wire position of each text byte, app_guid_format's order */
	static const uint8_t pos[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10,
	    11, 12, 13, 14, 15 };
	size_t k = 0;
	int hi = -1, d;

	for (; *s != '\0'; s++) {
		if (*s == '-')
			continue;
		d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' &&
		    *s <= 'f' ? *s - 'a' + 10 : *s >= 'A' && *s <= 'F' ?
		    *s - 'A' + 10 : -1;
		if (d < 0 || k == 16)
			return -1;
		if (hi < 0)
			hi = d;
		else {
			g[pos[k++]] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	return k == 16 && hi < 0 ? 0 : -1;
}

void
app_authcap_req(struct ipmi_req *q, uint8_t priv, int v20)
{
	uint8_t d[2];

	d[0] = 0x0e | (v20 ? 0x80 : 0);	/* this channel */
	d[1] = priv & 0x0f;
	ipmi_req_init(q, IPMI_NETFN_APP,
	    IPMI_CMD_GET_CHANNEL_AUTH_CAPABILITIES, d, sizeof(d));
}

enum ipmi_err
app_authcap_decode(const uint8_t *p, size_t len, struct app_authcap *a)
{
	struct rbuf r;
	uint8_t b;

	memset(a, 0, sizeof(*a));
	rb_init(&r, p, len);
	a->channel = rd_u8(&r);
	b = rd_u8(&r);
	a->v20 = (b & 0x80) != 0;
	a->authtypes = b & 0x3f;
	b = rd_u8(&r);
	a->kg_set = (b & 0x20) != 0;
	a->per_msg_auth_off = (b & 0x10) != 0;
	a->user_auth_off = (b & 0x08) != 0;
	a->non_null_users = (b & 0x04) != 0;
	a->null_users = (b & 0x02) != 0;
	a->anon_login = (b & 0x01) != 0;
	b = rd_u8(&r);
	if (a->v20) {
		a->ipmi15 = (b & 0x01) != 0;
		a->ipmi20 = (b & 0x02) != 0;
	} else
		a->ipmi15 = 1;
	a->oem_iana = rd_le24(&r);
	a->oem_aux = rd_u8(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
app_challenge_req(struct ipmi_req *q, uint8_t authtype, const char *user)
{
	uint8_t d[17];
	size_t n = strnlen(user, 16);

	memset(d, 0, sizeof(d));
	d[0] = authtype;
	memcpy(d + 1, user, n);
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_GET_SESSION_CHALLENGE, d,
	    sizeof(d));
}

enum ipmi_err
app_challenge_decode(const uint8_t *p, size_t len, struct app_challenge *c)
{
	struct rbuf r;

	rb_init(&r, p, len);
	c->temp_sid = rd_le32(&r);
	rd_bytes(&r, c->challenge, 16);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
app_activate_req(struct ipmi_req *q, uint8_t authtype, uint8_t priv,
    const uint8_t challenge[16], uint32_t seq)
{
	uint8_t d[22];
	struct wbuf w;

	wb_init(&w, d, sizeof(d));
	wr_u8(&w, authtype);
	wr_u8(&w, priv);
	wr_bytes(&w, challenge, 16);
	wr_le32(&w, seq);
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_ACTIVATE_SESSION, d, w.len);
}

enum ipmi_err
app_activate_decode(const uint8_t *p, size_t len, struct app_activate *a)
{
	struct rbuf r;

	rb_init(&r, p, len);
	a->authtype = rd_u8(&r) & 0x0f;
	a->sid = rd_le32(&r);
	a->initial_inbound_seq = rd_le32(&r);
	a->max_priv = rd_u8(&r) & 0x0f;
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
app_setpriv_req(struct ipmi_req *q, uint8_t priv)
{
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL,
	    &priv, 1);
}

void
app_close_req(struct ipmi_req *q, uint32_t sid)
{
	uint8_t d[4];
	struct wbuf w;

	wb_init(&w, d, sizeof(d));
	wr_le32(&w, sid);
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, d, w.len);
}

void
app_suites_req(struct ipmi_req *q, uint8_t channel, uint8_t index)
{
	uint8_t d[3];

	d[0] = channel & 0x0f;
	d[1] = 0x00;			/* payload type: IPMI */
	d[2] = 0x80 | (index & 0x3f);	/* list algorithms by suite */
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_GET_CHANNEL_CIPHER_SUITES,
	    d, sizeof(d));
}

/*
 * Records, section 22.15.2: C0h id auth integ... conf... (standard) or
 * C1h id IANA(3) algorithms (OEM).  Algorithm bytes carry a tag in the
 * top two bits (00 auth, 01 integrity, 10 confidentiality).
 */
int
app_suites_parse(const uint8_t *p, size_t len, uint8_t *ids, int max)
{
	struct rbuf r;
	int n = 0;

	rb_init(&r, p, len);
	while (rd_left(&r) > 0 && n < max) {
		uint8_t start = rd_u8(&r), id;

		if (start != 0xc0 && start != 0xc1)
			continue;
		id = rd_u8(&r);
		if (r.err)
			break;
		if (start == 0xc1)
			rd_skip(&r, 3);
		else
			ids[n++] = id;
		while (rd_peek(&r) >= 0 && (rd_peek(&r) & 0xc0) != 0xc0)
			rd_skip(&r, 1);
	}
	return n;
}
