/*
 * Chassis NetFn command codecs, IPMI v2.0 chapter 28.
 */
#include <string.h>

#include "buf.h"
#include "cmd_chassis.h"

void
chassis_status_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
	    NULL, 0);
}

/* Section 28.2, table 28-3: three mandatory bytes, a fourth optional. */
enum ipmi_err
chassis_status_decode(const uint8_t *p, size_t len, struct chassis_status *s)
{
	struct rbuf r;
	uint8_t b;

	memset(s, 0, sizeof(*s));
	rb_init(&r, p, len);
	b = rd_u8(&r);
	s->raw[0] = b;
	s->power_on = (b & 0x01) != 0;
	s->overload = (b & 0x02) != 0;
	s->interlock = (b & 0x04) != 0;
	s->main_fault = (b & 0x08) != 0;
	s->control_fault = (b & 0x10) != 0;
	s->restore_policy = (b >> 5) & 0x03;
	b = rd_u8(&r);
	s->raw[1] = b;
	s->last_ac_failed = (b & 0x01) != 0;
	s->last_overload = (b & 0x02) != 0;
	s->last_interlock = (b & 0x04) != 0;
	s->last_fault = (b & 0x08) != 0;
	s->last_command = (b & 0x10) != 0;
	b = rd_u8(&r);
	s->raw[2] = b;
	s->intrusion = (b & 0x01) != 0;
	s->lockout = (b & 0x02) != 0;
	s->drive_fault = (b & 0x04) != 0;
	s->fan_fault = (b & 0x08) != 0;
	s->identify_supported = (b & 0x40) != 0;
	/* bits 5:4 are meaningful only when bit 6 says so */
	s->identify_state = s->identify_supported ? (b >> 4) & 0x03 : 0;
	if (r.err)
		return IPMI_E_LENGTH;
	s->raw_len = 3;
	if (rd_left(&r) >= 1) {
		b = rd_u8(&r);
		s->raw[3] = b;
		s->raw_len = 4;
		s->has_buttons = 1;
		s->sleep_disable_allowed = (b & 0x80) != 0;
		s->diag_disable_allowed = (b & 0x40) != 0;
		s->reset_disable_allowed = (b & 0x20) != 0;
		s->power_disable_allowed = (b & 0x10) != 0;
		s->sleep_disabled = (b & 0x08) != 0;
		s->diag_disabled = (b & 0x04) != 0;
		s->reset_disabled = (b & 0x02) != 0;
		s->power_disabled = (b & 0x01) != 0;
	}
	return IPMI_OK;
}

const char *
chassis_restore_name(uint8_t v)
{
	static const char *const n[4] = {
		"always-off", "previous", "always-on", "unknown"
	};

	return n[v & 3];
}

const char *
chassis_identify_name(uint8_t v)
{
	static const char *const n[4] = {
		"off", "temporary on", "indefinite on", "reserved"
	};

	return n[v & 3];
}

void
chassis_control_req(struct ipmi_req *q, uint8_t ctl)
{
	uint8_t d = ctl & 0x0f;

	ipmi_req_init(q, IPMI_NETFN_CHASSIS, IPMI_CMD_CHASSIS_CONTROL, &d, 1);
}

static const struct {
	const char	*arg;
	const char	*name;
} chassis_ctl[CHASSIS_CTL_MAX + 1] = {
	{ "off", "Down/Off" },
	{ "on", "Up/On" },
	{ "cycle", "Cycle" },
	{ "reset", "Reset" },
	{ "diag", "Diag" },
	{ "soft", "Soft" },
};

int
chassis_control_parse(const char *s)
{
	int i;

	for (i = 0; i <= CHASSIS_CTL_MAX; i++)
		if (strcmp(s, chassis_ctl[i].arg) == 0)
			return i;
	return -1;
}

const char *
chassis_control_name(uint8_t ctl)
{
	return ctl <= CHASSIS_CTL_MAX ? chassis_ctl[ctl].name : "Unknown";
}

void
chassis_identify_req(struct ipmi_req *q, int interval, int force)
{
	uint8_t d[2];
	size_t n = 0;

	if (interval >= 0 || force) {
		d[n++] = interval > 255 ? 255 : interval < 0 ? 0 :
		    (uint8_t)interval;
		if (force)
			d[n++] = 0x01;
	}
	ipmi_req_init(q, IPMI_NETFN_CHASSIS, IPMI_CMD_CHASSIS_IDENTIFY, d, n);
}

void
chassis_restart_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_CHASSIS,
	    IPMI_CMD_GET_SYSTEM_RESTART_CAUSE, NULL, 0);
}

/* Section 28.11: cause in bits 3:0, then the channel (IPMI 1.5 BMCs
 * may omit it). */
enum ipmi_err
chassis_restart_decode(const uint8_t *p, size_t len,
    struct chassis_restart *c)
{
	struct rbuf r;

	memset(c, 0, sizeof(*c));
	rb_init(&r, p, len);
	c->cause = rd_u8(&r) & 0x0f;
	if (r.err)
		return IPMI_E_LENGTH;
	if (rd_left(&r) >= 1) {
		c->has_channel = 1;
		c->channel = rd_u8(&r) & 0x0f;
	}
	return IPMI_OK;
}

const char *
chassis_restart_name(uint8_t v)
{
	static const char *const n[] = {
		"unknown",
		"chassis power control command",
		"reset via pushbutton",
		"power-up via pushbutton",
		"watchdog expired",
		"OEM",
		"power-up due to always-restore power policy",
		"power-up due to restore-previous power policy",
		"reset via PEF",
		"power-cycle via PEF",
		"soft reset",
		"power-up via RTC wakeup",
	};

	return v < sizeof(n) / sizeof(n[0]) ? n[v] : "invalid";
}

void
chassis_poh_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_POH_COUNTER, NULL,
	    0);
}

enum ipmi_err
chassis_poh_decode(const uint8_t *p, size_t len, struct chassis_poh *h)
{
	struct rbuf r;

	rb_init(&r, p, len);
	h->minutes_per_count = rd_u8(&r);
	h->count = rd_le32(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

uint64_t
chassis_poh_minutes(const struct chassis_poh *h)
{
	return (uint64_t)h->count * h->minutes_per_count;
}

void
chassis_bootopt_req(struct ipmi_req *q, uint8_t param, uint8_t set,
    uint8_t block)
{
	uint8_t d[3];

	d[0] = param & 0x7f;
	d[1] = set;
	d[2] = block;
	ipmi_req_init(q, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS,
	    d, sizeof(d));
}

enum ipmi_err
chassis_bootopt_decode(const uint8_t *p, size_t len,
    struct chassis_bootopt *o)
{
	struct rbuf r;
	size_t n;
	uint8_t b;

	memset(o, 0, sizeof(*o));
	rb_init(&r, p, len);
	o->version = rd_u8(&r) & 0x0f;
	b = rd_u8(&r);
	o->param = b & 0x7f;
	o->locked = (b & 0x80) != 0;
	if (r.err)
		return IPMI_E_LENGTH;
	n = rd_left(&r);
	if (n > sizeof(o->data))
		n = sizeof(o->data);
	rd_bytes(&r, o->data, n);
	o->len = (uint8_t)n;
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

enum ipmi_err
chassis_bootflags_decode(const struct chassis_bootopt *o,
    struct chassis_bootflags *f)
{
	struct rbuf r;
	uint8_t b;

	memset(f, 0, sizeof(*f));
	if (o->param != CHASSIS_BOOTPARAM_FLAGS)
		return IPMI_E_PROTO;
	rb_init(&r, o->data, o->len);
	b = rd_u8(&r);
	f->valid = (b & 0x80) != 0;
	f->persistent = (b & 0x40) != 0;
	f->efi = (b & 0x20) != 0;
	b = rd_u8(&r);
	f->cmos_clear = (b & 0x80) != 0;
	f->lock_keyboard = (b & 0x40) != 0;
	f->device = (b >> 2) & 0x0f;
	f->screen_blank = (b & 0x02) != 0;
	f->lock_reset = (b & 0x01) != 0;
	b = rd_u8(&r);
	f->lock_power = (b & 0x80) != 0;
	f->verbosity = (b >> 5) & 0x03;
	f->progress_traps = (b & 0x10) != 0;
	f->password_bypass = (b & 0x08) != 0;
	f->lock_sleep = (b & 0x04) != 0;
	f->console_redirect = b & 0x03;
	if (r.err)
		return IPMI_E_LENGTH;
	/* data 4 and 5 were added late; tolerate BMCs that stop at 3 */
	if (rd_left(&r) >= 1) {
		b = rd_u8(&r);
		f->bios_shared = (b & 0x08) != 0;
		f->bios_mux = b & 0x07;
	}
	if (rd_left(&r) >= 1)
		f->instance = rd_u8(&r) & 0x1f;
	return IPMI_OK;
}

struct chassis_bootdev {
	uint8_t		 sel;
	const char	*key;
	const char	*name;
};

static const struct chassis_bootdev chassis_bootdevs[] = {
	{ 0x0, "none", "No override" },
	{ 0x1, "pxe", "Force PXE" },
	{ 0x2, "disk", "Force Boot from default Hard-Drive" },
	{ 0x3, "safe", "Force Boot from default Hard-Drive, request "
	    "Safe-Mode" },
	{ 0x4, "diag", "Force Boot from Diagnostic Partition" },
	{ 0x5, "cdrom", "Force Boot from CD/DVD" },
	{ 0x6, "bios", "Force Boot into BIOS Setup" },
	{ 0x7, "remote-floppy", "Force Boot from remotely connected "
	    "Floppy/primary removable media" },
	{ 0x8, "remote-cdrom", "Force Boot from remotely connected CD/DVD" },
	{ 0x9, "remote-primary", "Force Boot from primary remote media" },
	{ 0xb, "remote-disk", "Force Boot from remotely connected "
	    "Hard-Drive" },
	{ 0xf, "floppy", "Force Boot from Floppy/primary removable media" },
};

static const struct chassis_bootdev *
chassis_bootdev_find(uint8_t sel)
{
	size_t i;

	for (i = 0; i < sizeof(chassis_bootdevs) / sizeof(chassis_bootdevs[0]);
	    i++)
		if (chassis_bootdevs[i].sel == sel)
			return &chassis_bootdevs[i];
	return NULL;
}

const char *
chassis_bootdev_name(uint8_t sel)
{
	const struct chassis_bootdev *d = chassis_bootdev_find(sel);

	return d != NULL ? d->name : "Reserved";
}

const char *
chassis_bootdev_key(uint8_t sel)
{
	const struct chassis_bootdev *d = chassis_bootdev_find(sel);

	return d != NULL ? d->key : "reserved";
}
