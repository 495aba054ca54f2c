/*
 * BMC Watchdog Timer command codecs, IPMI v2.0 sections 27.5-27.7.
 */
#include <string.h>

#include "buf.h"
#include "cmd_wdt.h"

void
wdt_get_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_GET_WATCHDOG_TIMER, NULL,
	    0);
}

/*
 * Table 27-7: use, actions, pre-timeout, expiration flags, initial
 * countdown (le16), present countdown (le16).  ipmi_sim 2.0.33 stops
 * after the initial countdown: decode what is there and say so.
 */
enum ipmi_err
wdt_get_decode(const uint8_t *p, size_t len, struct wdt_timer *t)
{
	struct rbuf r;
	uint8_t b;

	memset(t, 0, sizeof(*t));
	rb_init(&r, p, len);
	b = rd_u8(&r);
	t->dont_log = (b & 0x80) != 0;
	t->running = (b & 0x40) != 0;
	t->use = b & 0x07;
	b = rd_u8(&r);
	t->pre_int = (b >> 4) & 0x07;
	t->action = b & 0x07;
	t->pretimeout = rd_u8(&r);
	t->expired = rd_u8(&r) & WDT_EXP_ALL;
	t->initial = rd_le16(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	if (rd_left(&r) >= 2) {
		t->present = rd_le16(&r);
		t->has_present = 1;
		if (rd_left(&r) > 0)
			t->quirks |= WDT_QUIRK_LONG_GET;
	} else
		t->quirks |= WDT_QUIRK_SHORT_GET;
	t->raw_len = (uint8_t)(len < sizeof(t->raw) ? len : sizeof(t->raw));
	memcpy(t->raw, p, t->raw_len);
	return IPMI_OK;
}

void
wdt_set_req(struct ipmi_req *q, const struct wdt_set *s)
{
	uint8_t d[6];
	struct wbuf w;

	wb_init(&w, d, sizeof(d));
	wr_u8(&w, (uint8_t)((s->dont_log ? 0x80 : 0) |
	    (s->dont_stop ? 0x40 : 0) | (s->use & 0x07)));
	wr_u8(&w, (uint8_t)(((s->pre_int & 0x07) << 4) | (s->action & 0x07)));
	wr_u8(&w, s->pretimeout);
	wr_u8(&w, s->clear & WDT_EXP_ALL);
	wr_le16(&w, s->initial);
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_SET_WATCHDOG_TIMER, d,
	    w.len);
}

enum ipmi_err
wdt_set_decode(const uint8_t *p, size_t len, uint32_t *quirks)
{
	(void)p;
	if (len > 0)
		*quirks |= WDT_QUIRK_SET_JUNK;
	return IPMI_OK;
}

void
wdt_set_from_timer(struct wdt_set *s, const struct wdt_timer *t)
{
	memset(s, 0, sizeof(*s));
	s->use = t->use;
	s->dont_log = t->dont_log;
	s->dont_stop = t->running;
	s->action = t->action;
	s->pre_int = t->pre_int;
	s->pretimeout = t->pretimeout;
	s->initial = t->initial;
}

void
wdt_reset_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_APP, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL,
	    0);
}

static const char *const wdt_uses[8][2] = {
	{ "reserved", "Reserved" },
	{ "bios-frb2", "BIOS FRB2" },
	{ "bios-post", "BIOS/POST" },
	{ "os-load", "OS Load" },
	{ "sms-os", "SMS/OS" },
	{ "oem", "OEM" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
};

static const char *const wdt_actions[8][2] = {
	{ "none", "No action" },
	{ "reset", "Hard Reset" },
	{ "power-off", "Power Down" },
	{ "power-cycle", "Power Cycle" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
};

static const char *const wdt_pres[8][2] = {
	{ "none", "None" },
	{ "smi", "SMI" },
	{ "nmi", "NMI/Diagnostic" },
	{ "msg", "Messaging" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
	{ "reserved", "Reserved" },
};

const char *
wdt_use_name(uint8_t v)
{
	return wdt_uses[v & 7][1];
}

const char *
wdt_action_name(uint8_t v)
{
	return wdt_actions[v & 7][1];
}

const char *
wdt_pre_name(uint8_t v)
{
	return wdt_pres[v & 7][1];
}

const char *
wdt_use_key(uint8_t v)
{
	return wdt_uses[v & 7][0];
}

const char *
wdt_action_key(uint8_t v)
{
	return wdt_actions[v & 7][0];
}

const char *
wdt_pre_key(uint8_t v)
{
	return wdt_pres[v & 7][0];
}

static int
wdt_parse(const char *const tab[8][2], int max, const char *s)
{
	int i;

	for (i = 0; i <= max; i++)
		if (strcmp(tab[i][0], s) == 0 && strcmp(s, "reserved") != 0)
			return i;
	return -1;
}

int
wdt_use_parse(const char *s)
{
	/* ipmitool's spellings too */
	if (strcmp(s, "frb2") == 0)
		return WDT_USE_FRB2;
	if (strcmp(s, "post") == 0)
		return WDT_USE_POST;
	if (strcmp(s, "osload") == 0)
		return WDT_USE_OS_LOAD;
	if (strcmp(s, "sms") == 0)
		return WDT_USE_SMS_OS;
	return wdt_parse(wdt_uses, WDT_USE_OEM, s);
}

int
wdt_action_parse(const char *s)
{
	if (strcmp(s, "poweroff") == 0 || strcmp(s, "power-down") == 0)
		return WDT_ACTION_POWER_DOWN;
	if (strcmp(s, "cycle") == 0)
		return WDT_ACTION_POWER_CYCLE;
	return wdt_parse(wdt_actions, WDT_ACTION_POWER_CYCLE, s);
}

int
wdt_pre_parse(const char *s)
{
	return wdt_parse(wdt_pres, WDT_PRE_MSG, s);
}
