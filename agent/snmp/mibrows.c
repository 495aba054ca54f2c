/*
 * Store -> MIB rows and notifications (mibrows.h).  Column numbers and
 * enumerations come from oids.h, whose names 600-mib-lint checks
 * against mibs/BMCWATCH-MIB.txt; ENTITY-MIB (RFC 6933) and
 * ENTITY-SENSOR-MIB (RFC 3433) numbers are named below.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "evtext.h"
#include "cmd_app.h"
#include "pet.h"
#include "store/store.h"
#include "snmp/mibrows.h"
#include "snmp/oids.h"
#include "snmp/wire.h"

/* ENTITY-MIB entPhysicalEntry columns, PhysicalClass */
#define ENT_DESCR		2
#define ENT_VENDOR_TYPE		3
#define ENT_CONTAINED_IN	4
#define ENT_CLASS		5
#define ENT_PARENT_REL_POS	6
#define ENT_NAME		7
#define ENT_HARDWARE_REV	8
#define ENT_FIRMWARE_REV	9
#define ENT_SOFTWARE_REV	10
#define ENT_SERIAL_NUM		11
#define ENT_MFG_NAME		12
#define ENT_MODEL_NAME		13
#define ENT_ALIAS		14
#define ENT_ASSET_ID		15
#define ENT_IS_FRU		16
#define ENT_CLASS_OTHER		1
#define ENT_CLASS_CHASSIS	3
#define ENT_CLASS_CONTAINER	5
#define ENT_CLASS_POWER_SUPPLY	6
#define ENT_CLASS_FAN		7
#define ENT_CLASS_SENSOR	8
#define ENT_CLASS_MODULE	9
#define ENT_CLASS_CPU		12
/* ENTITY-SENSOR-MIB entPhySensorEntry columns and values */
#define ENTS_TYPE		1
#define ENTS_SCALE		2
#define ENTS_PRECISION		3
#define ENTS_VALUE		4
#define ENTS_OPER_STATUS	5
#define ENTS_UNITS_DISPLAY	6
#define ENTS_VALUE_TIMESTAMP	7
#define ENTS_VALUE_UPDATE_RATE	8
#define ENTS_TYPE_OTHER		1
#define ENTS_TYPE_VOLTS_DC	4
#define ENTS_TYPE_AMPERES	5
#define ENTS_TYPE_WATTS		6
#define ENTS_TYPE_HERTZ		7
#define ENTS_TYPE_CELSIUS	8
#define ENTS_TYPE_RPM		10
#define ENTS_SCALE_UNITS	9
#define ENTS_OPER_OK		1
#define ENTS_OPER_UNAVAILABLE	2
/* SNMPv2-TC TruthValue */
#define TV_TRUE			1
#define TV_FALSE		2
/* IPMI sensor unit type codes (IPMI v2.0 table 43-15) */
#define IPMI_UNIT_DEG_C		1
#define IPMI_UNIT_VOLTS		4
#define IPMI_UNIT_AMPS		5
#define IPMI_UNIT_WATTS		6
#define IPMI_UNIT_RPM		18
#define IPMI_UNIT_HZ		19

#define C32(v)	((uint64_t)(v) & 0xffffffffu)

static void
mr_str(FILE *f, unsigned col, const char *s)
{
	wire_put_str(f, "c", col, s);
}

static void
mr_int(FILE *f, unsigned col, int64_t v)
{
	wire_put_num(f, "c", col, WIRE_INT, v);
}

static void
mr_u(FILE *f, unsigned col, char type, uint64_t v)
{
	wire_put_u64(f, "c", col, type, type == WIRE_COUNTER64 ? v :
	    type == WIRE_COUNTER ? C32(v) : (v > 0xffffffffu ? 0xffffffffu :
	    v));
}

static uint64_t
mr_secs(int64_t wall_ms)
{
	return wall_ms > 0 ? (uint64_t)(wall_ms / 1000) : 0;
}

static int
mr_truth(int v)
{
	return v ? TV_TRUE : TV_FALSE;
}

/* BITS: bit n is bit 7 - n % 8 of byte n / 8 (RFC 2578 7.1.4) */
static void
mr_bits(FILE *f, const char *pfx, unsigned col, uint32_t mask, unsigned nbits)
{
	uint8_t b[4] = { 0, 0, 0, 0 };
	unsigned n;

	for (n = 0; n < nbits && n < 32; n++)
		if (mask & (1u << n))
			b[n / 8] |= (uint8_t)(0x80u >> (n % 8));
	wire_put_bytes(f, pfx, col, b, (nbits + 7) / 8);
}

/* "xxxxxxxx-xxxx-..." as 16 bytes, or nothing */
static void
mr_guid(FILE *f, unsigned col, int have, const char *text)
{
	uint8_t g[16];
	size_t i, k = 0;
	int hi = -1, d;

	for (i = 0; have && text[i] != '\0' && k < sizeof(g); i++) {
		char c = text[i];

		if (c == '-')
			continue;
		d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			break;
		if (hi < 0)
			hi = d;
		else {
			g[k++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	wire_put_bytes(f, "c", col, g, have && k == sizeof(g) ? k : 0);
}

int
mibrows_ent_sensor_type(uint8_t unit_base)
{
	switch (unit_base) {
	case IPMI_UNIT_DEG_C:
		return ENTS_TYPE_CELSIUS;
	case IPMI_UNIT_VOLTS:
		return ENTS_TYPE_VOLTS_DC;	/* IPMI says not which */
	case IPMI_UNIT_AMPS:
		return ENTS_TYPE_AMPERES;
	case IPMI_UNIT_WATTS:
		return ENTS_TYPE_WATTS;
	case IPMI_UNIT_RPM:
		return ENTS_TYPE_RPM;
	case IPMI_UNIT_HZ:
		return ENTS_TYPE_HERTZ;
	default:
		return ENTS_TYPE_OTHER;
	}
}

int32_t
mibrows_scaled(double v, int decimals)
{
	double x = v;
	int i;

	for (i = 0; i < decimals; i++)
		x *= 10;
	for (i = 0; i > decimals; i--)
		x /= 10;
	x = round(x);
	if (!(x >= -1e9))	/* also NaN */
		return x != x ? 0 : -1000000000;
	if (x > 1e9)
		return 1000000000;
	return (int32_t)x;
}

static int
mr_iface(const char *s)
{
	if (strcmp(s, "open") == 0)
		return BMCW_TARGET_INTERFACE_OPEN;
	if (strcmp(s, "lan") == 0)
		return BMCW_TARGET_INTERFACE_LAN;
	if (strcmp(s, "redfish") == 0)
		return BMCW_TARGET_INTERFACE_REDFISH;
	return BMCW_TARGET_INTERFACE_LANPLUS;
}

static int
mr_note(enum sensors_note n)
{
	switch (n) {
	case SENSORS_NOTE_NONE:
		return BMCW_READING_NOTE_NONE;
	case SENSORS_NOTE_UNAVAILABLE:
	case SENSORS_NOTE_NO_STATUS:
		return BMCW_READING_NOTE_READING_UNAVAILABLE;
	case SENSORS_NOTE_SCAN_DISABLED:
		return BMCW_READING_NOTE_SCANNING_DISABLED;
	case SENSORS_NOTE_SLOW:
		return BMCW_READING_NOTE_SKIPPED_FAILING;
	case SENSORS_NOTE_NOT_READABLE:
		return BMCW_READING_NOTE_NOT_READABLE;
	case SENSORS_NOTE_NOT_READ:
		return BMCW_READING_NOTE_NOT_READ;
	case SENSORS_NOTE_NO_BRIDGE:
		return BMCW_READING_NOTE_NO_BRIDGE;
	default:
		return BMCW_READING_NOTE_NO_ANSWER;
	}
}

static uint32_t
mr_key(const struct sensors_item *it)
{
	return BMCW_SENSOR_KEY_OF(it->channel & 0x0f, it->owner, it->lun & 3,
	    it->number);
}

/* the words of a sensor's state, joined */
static void
mr_states_text(const struct sensors_item *it, char *out, size_t len)
{
	const char *words[16];
	char tmp[16][16];
	size_t n, k, off = 0;
	int w;

	out[0] = '\0';
	n = sensors_events(it, words, tmp, 16);
	for (k = 0; k < n && off < len; k++) {
		w = snprintf(out + off, len - off, "%s%s", k ? ", " : "",
		    words[k]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

static int
mr_worst(const struct store_target *t)
{
	enum sensor_sev w = SENSOR_SEV_OK;
	size_t i;

	for (i = 0; i < t->nsensors; i++)
		if (t->sensors[i].it.sev != SENSOR_SEV_UNAVAILABLE &&
		    t->sensors[i].it.sev > w)
			w = t->sensors[i].it.sev;
	return (int)w + 1;
}

static void
mr_target_row(FILE *f, const struct store_target *t)
{
	const struct app_devid *d = &t->ident.d;
	const char *m;
	char buf[64];
	int64_t rc;

	fprintf(f, "R %u 0\n", WIRE_TAB_TARGET);
	mr_str(f, BMCW_TARGET_NAME, t->name);
	mr_int(f, BMCW_TARGET_INTERFACE, mr_iface(t->iface));
	mr_str(f, BMCW_TARGET_ADDRESS, t->health.peer);
	mr_guid(f, BMCW_TARGET_SYSTEM_GUID, t->have_ident &&
	    t->ident.have_sysguid, t->ident.sysguid);
	mr_guid(f, BMCW_TARGET_DEVICE_GUID, t->have_ident &&
	    t->ident.have_devguid, t->ident.devguid);
	mr_u(f, BMCW_TARGET_MANUFACTURER_ID, WIRE_UNSIGNED, t->have_ident ?
	    d->manufacturer : 0);
	m = t->have_ident ? ipmi_iana_name(d->manufacturer) : NULL;
	mr_str(f, BMCW_TARGET_MANUFACTURER, m != NULL ? m : "");
	mr_u(f, BMCW_TARGET_PRODUCT_ID, WIRE_UNSIGNED, t->have_ident ?
	    d->product : 0);
	buf[0] = '\0';
	if (t->have_ident)
		(void)snprintf(buf, sizeof(buf), "%u.%02x", d->fw_major,
		    d->fw_minor);
	mr_str(f, BMCW_TARGET_FIRMWARE, buf);
	buf[0] = '\0';
	if (t->have_ident)
		(void)snprintf(buf, sizeof(buf), "%x.%x",
		    d->ipmi_version & 0x0f, d->ipmi_version >> 4);
	mr_str(f, BMCW_TARGET_IPMI_VERSION, buf);
	mr_int(f, BMCW_TARGET_REACHABLE, mr_truth(t->health.state ==
	    STORE_T_UP));
	mr_u(f, BMCW_TARGET_LAST_SUCCESS, WIRE_UNSIGNED,
	    mr_secs(t->health.last_success.when.wall_ms));
	rc = t->ev_wall_ms[STORE_EV_UNREACHABLE];
	if (t->ev_wall_ms[STORE_EV_RECOVERED] > rc)
		rc = t->ev_wall_ms[STORE_EV_RECOVERED];
	mr_u(f, BMCW_TARGET_LAST_REACH_CHANGE, WIRE_UNSIGNED, mr_secs(rc));
	mr_u(f, BMCW_TARGET_UNREACHABLE_EVENTS, WIRE_COUNTER,
	    t->ev_count[STORE_EV_UNREACHABLE]);
	mr_u(f, BMCW_TARGET_CONSECUTIVE_ERRORS, WIRE_GAUGE,
	    t->health.consecutive_errors);
	mr_str(f, BMCW_TARGET_LAST_ERROR, t->health.last_error);
	mr_u(f, BMCW_TARGET_REQUESTS, WIRE_COUNTER64, t->health.tr.requests);
	mr_u(f, BMCW_TARGET_REQUEST_ERRORS, WIRE_COUNTER,
	    t->health.req_errors);
	mr_u(f, BMCW_TARGET_RETRIES, WIRE_COUNTER, t->health.tr.retransmits);
	mr_u(f, BMCW_TARGET_CCODE_ERRORS, WIRE_COUNTER,
	    t->health.ccode_errors);
	mr_u(f, BMCW_TARGET_SESSION_OPENS, WIRE_COUNTER, t->health.tr.sessions);
	mr_u(f, BMCW_TARGET_SWEEP_DURATION, WIRE_GAUGE, t->health.sweep_ms);
	mr_u(f, BMCW_TARGET_SWEEP_INTERVAL, WIRE_UNSIGNED,
	    t->sensor_interval_s ? t->sensor_interval_s : 1);
	mr_u(f, BMCW_TARGET_SWEEPS, WIRE_COUNTER, t->health.sweeps);
	mr_u(f, BMCW_TARGET_SENSOR_COUNT, WIRE_GAUGE, t->nsensors);
	mr_int(f, BMCW_TARGET_WORST_STATE, mr_worst(t));
	mr_u(f, BMCW_TARGET_STATE_CHANGES, WIRE_COUNTER,
	    t->ev_count[STORE_EV_SENSOR]);
	mr_u(f, BMCW_TARGET_LAST_STATE_CHANGE, WIRE_UNSIGNED,
	    mr_secs(t->ev_wall_ms[STORE_EV_SENSOR]));
	mr_u(f, BMCW_TARGET_SDR_LAST_CHANGE, WIRE_UNSIGNED,
	    mr_secs(t->sdr_change_wall_ms));
	wire_put_num(f, "c", BMCW_TARGET_ENT_PHYS_INDEX, WIRE_ENT,
	    BMCW_CHASSIS_KEY);
}

static void
mr_sensor_rows(FILE *f, const struct store_target *t)
{
	const struct store_sensor *s;
	const struct sensors_item *it;
	char unit[64], text[256], val[40];
	size_t i;
	uint32_t key;
	int k, dec;

	for (i = 0; i < t->nsensors; i++) {
		s = &t->sensors[i];
		it = &s->it;
		key = mr_key(it);
		dec = it->decimals;
		if (dec < -8)
			dec = -8;
		if (dec > 9)
			dec = 9;
		sensors_unit(it, unit, sizeof(unit));
		if (!(it->threshold && it->analog))
			unit[0] = '\0';
		val[0] = '\0';
		if (it->have_value)
			(void)snprintf(val, sizeof(val), "%.*f", it->decimals,
			    it->value);
		fprintf(f, "R %u %u\n", WIRE_TAB_SENSOR, (unsigned)key);
		mr_str(f, BMCW_SENSOR_TARGET_NAME, t->name);
		mr_str(f, BMCW_SENSOR_NAME, it->name);
		mr_u(f, BMCW_SENSOR_NUMBER, WIRE_UNSIGNED, it->number);
		mr_u(f, BMCW_SENSOR_OWNER, WIRE_UNSIGNED, it->owner);
		mr_u(f, BMCW_SENSOR_LUN, WIRE_UNSIGNED, it->lun & 3);
		mr_u(f, BMCW_SENSOR_CHANNEL, WIRE_UNSIGNED, it->channel & 15);
		mr_u(f, BMCW_SENSOR_RECORD_ID, WIRE_UNSIGNED, it->record_id);
		mr_u(f, BMCW_SENSOR_TYPE, WIRE_UNSIGNED, it->sensor_type);
		mr_str(f, BMCW_SENSOR_TYPE_TEXT,
		    evtext_sensor_type(it->sensor_type));
		mr_u(f, BMCW_SENSOR_EVENT_TYPE, WIRE_UNSIGNED, it->event_type);
		mr_u(f, BMCW_SENSOR_ENTITY_ID, WIRE_UNSIGNED, it->entity_id);
		mr_u(f, BMCW_SENSOR_ENTITY_INSTANCE, WIRE_UNSIGNED,
		    it->entity_instance);
		mr_int(f, BMCW_SENSOR_KIND, it->threshold ?
		    BMCW_SENSOR_KIND_THRESHOLD : BMCW_SENSOR_KIND_DISCRETE);
		mr_int(f, BMCW_SENSOR_VALUE, it->have_value ?
		    mibrows_scaled(it->value, dec) : 0);
		mr_int(f, BMCW_SENSOR_PRECISION, dec);
		mr_str(f, BMCW_SENSOR_VALUE_TEXT, val);
		mr_str(f, BMCW_SENSOR_UNITS, unit);
		mr_int(f, BMCW_SENSOR_STATE, (int)it->sev + 1);
		mr_int(f, BMCW_SENSOR_PREV_STATE, (int)s->prev_sev + 1);
		mr_int(f, BMCW_SENSOR_NOTE, mr_note(it->note));
		mr_bits(f, "c", BMCW_SENSOR_THR_VALID, it->threshold &&
		    it->analog ? it->thr_mask : 0, SDR_THR_N);
		for (k = 0; k < SDR_THR_N; k++) {
			static const unsigned col[SDR_THR_N] = {
				[SDR_THR_LNC] = BMCW_SENSOR_THR_LNC,
				[SDR_THR_LC] = BMCW_SENSOR_THR_LC,
				[SDR_THR_LNR] = BMCW_SENSOR_THR_LNR,
				[SDR_THR_UNC] = BMCW_SENSOR_THR_UNC,
				[SDR_THR_UC] = BMCW_SENSOR_THR_UC,
				[SDR_THR_UNR] = BMCW_SENSOR_THR_UNR,
			};

			mr_int(f, col[k], it->threshold && it->analog &&
			    (it->thr_mask & (1u << k)) ?
			    mibrows_scaled(it->thr[k], dec) : 0);
		}
		mr_bits(f, "c", BMCW_SENSOR_THR_CROSSED, it->threshold &&
		    it->note == SENSORS_NOTE_NONE ? it->states & 0x3f : 0,
		    SDR_THR_N);
		mr_bits(f, "c", BMCW_SENSOR_STATES, !it->threshold &&
		    it->note == SENSORS_NOTE_NONE ? it->states & 0x7fff : 0,
		    15);
		mr_states_text(it, text, sizeof(text));
		mr_str(f, BMCW_SENSOR_STATES_TEXT, text);
		mr_u(f, BMCW_SENSOR_STATE_CHANGES, WIRE_COUNTER, s->changes);
		mr_u(f, BMCW_SENSOR_LAST_CHANGE, WIRE_UNSIGNED,
		    mr_secs(s->change_wall_ms));
		mr_u(f, BMCW_SENSOR_LAST_READ, WIRE_UNSIGNED, it->have_value ?
		    mr_secs(t->sensors_t.when.wall_ms) : 0);
		wire_put_num(f, "c", BMCW_SENSOR_ENT_PHYS_INDEX, WIRE_ENT, key);
	}
}

/*
 * The entity a sensor's SDR record names (IPMI entity ID and instance)
 * gets a row of its own in ENTITY-MIB, inside the target's chassis, under
 * the key of a container row (mibs/README.md: sensor number FFh): owner
 * byte = entity ID, channel and LUN = instance (0..63).  0: no row of its
 * own (unspecified, the system chassis itself, an instance above 63):
 * the sensor is in the chassis row.
 */
static uint32_t
mr_entity_key(uint8_t id, uint8_t instance)
{
	unsigned inst = instance & 0x7f;

	if (id == 0x00 || id == 0x17 || inst > 63)
		return 0;
	return BMCW_SENSOR_KEY_OF(inst >> 2, id, inst & 3, 0xff);
}

/* PhysicalClass of an IPMI entity ID (table 43-13) */
static int
mr_entity_class(uint8_t id)
{
	switch (id) {
	case 0x03:	/* processor */
	case 0x41:
		return ENT_CLASS_CPU;
	case 0x0a:	/* power supply, power unit, power module */
	case 0x13:
	case 0x14:
		return ENT_CLASS_POWER_SUPPLY;
	case 0x1d:	/* fan, cooling unit */
	case 0x1e:
		return ENT_CLASS_FAN;
	case 0x04:	/* disk and device bays, sub-chassis */
	case 0x05:
	case 0x18:
	case 0x1a:
	case 0x1b:
	case 0x1c:
		return ENT_CLASS_CONTAINER;
	case 0x07:	/* boards, memory, add-in cards, modules */
	case 0x08:
	case 0x09:
	case 0x0b:
	case 0x0c:
	case 0x0d:
	case 0x0e:
	case 0x0f:
	case 0x10:
	case 0x11:
	case 0x12:
	case 0x15:
	case 0x16:
	case 0x19:
	case 0x20:
	case 0x2b:
	case 0x2c:
	case 0x2d:
	case 0x42:
		return ENT_CLASS_MODULE;
	default:
		return ENT_CLASS_OTHER;
	}
}

static void
mr_ent_empty(FILE *f)
{
	static const unsigned cols[] = { ENT_HARDWARE_REV, ENT_FIRMWARE_REV,
	    ENT_SOFTWARE_REV, ENT_SERIAL_NUM, ENT_MFG_NAME, ENT_MODEL_NAME,
	    ENT_ALIAS, ENT_ASSET_ID };
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		mr_str(f, cols[i], "");
}

/* ENTITY-MIB: the chassis, the SDR's entities, a row per sensor;
 * ENTITY-SENSOR-MIB: the analog threshold sensors */
static void
mr_entity_rows(FILE *f, const struct store_target *t)
{
	const struct sensors_item *it;
	char descr[256], unit[64];
	const char *m;
	size_t i, k;
	uint32_t ek;
	int dec;

	m = t->have_ident ? ipmi_iana_name(t->ident.d.manufacturer) : NULL;
	fprintf(f, "R %u %u\n", WIRE_TAB_ENT, (unsigned)BMCW_CHASSIS_KEY);
	(void)snprintf(descr, sizeof(descr), "bmcwatch target %s", t->name);
	mr_str(f, ENT_DESCR, descr);
	fprintf(f, "c %u o 0.0\n", (unsigned)ENT_VENDOR_TYPE);
	mr_int(f, ENT_CONTAINED_IN, 0);
	mr_int(f, ENT_CLASS, ENT_CLASS_CHASSIS);
	mr_int(f, ENT_PARENT_REL_POS, -1);
	mr_str(f, ENT_NAME, t->name);
	mr_str(f, ENT_HARDWARE_REV, "");
	descr[0] = '\0';
	if (t->have_ident)
		(void)snprintf(descr, sizeof(descr), "%u.%02x",
		    t->ident.d.fw_major, t->ident.d.fw_minor);
	mr_str(f, ENT_FIRMWARE_REV, descr);
	mr_str(f, ENT_SOFTWARE_REV, "");
	mr_str(f, ENT_SERIAL_NUM, "");
	mr_str(f, ENT_MFG_NAME, m != NULL ? m : "");
	descr[0] = '\0';
	if (t->have_ident)
		(void)snprintf(descr, sizeof(descr), "product %u",
		    t->ident.d.product);
	mr_str(f, ENT_MODEL_NAME, descr);
	mr_str(f, ENT_ALIAS, "");
	mr_str(f, ENT_ASSET_ID, "");
	mr_int(f, ENT_IS_FRU, TV_FALSE);

	/* each entity once: the first sensor naming it brings it */
	for (i = 0; i < t->nsensors; i++) {
		it = &t->sensors[i].it;
		if ((ek = mr_entity_key(it->entity_id,
		    it->entity_instance)) == 0)
			continue;
		for (k = 0; k < i; k++)
			if (mr_entity_key(t->sensors[k].it.entity_id,
			    t->sensors[k].it.entity_instance) == ek)
				break;
		if (k < i)
			continue;
		(void)snprintf(descr, sizeof(descr), "%s %u",
		    evtext_entity(it->entity_id),
		    (unsigned)(it->entity_instance & 0x7f));
		fprintf(f, "R %u %u\n", WIRE_TAB_ENT, (unsigned)ek);
		mr_str(f, ENT_DESCR, descr);
		fprintf(f, "c %u o 0.0\n", (unsigned)ENT_VENDOR_TYPE);
		wire_put_num(f, "c", ENT_CONTAINED_IN, WIRE_ENT,
		    BMCW_CHASSIS_KEY);
		mr_int(f, ENT_CLASS, mr_entity_class(it->entity_id));
		mr_int(f, ENT_PARENT_REL_POS, it->entity_instance & 0x7f);
		mr_str(f, ENT_NAME, descr);
		mr_ent_empty(f);
		mr_int(f, ENT_IS_FRU, TV_FALSE);
	}

	for (i = 0; i < t->nsensors; i++) {
		it = &t->sensors[i].it;
		ek = mr_entity_key(it->entity_id, it->entity_instance);
		fprintf(f, "R %u %u\n", WIRE_TAB_ENT, (unsigned)mr_key(it));
		(void)snprintf(descr, sizeof(descr), "%s sensor %s",
		    evtext_sensor_type(it->sensor_type), it->name);
		mr_str(f, ENT_DESCR, descr);
		fprintf(f, "c %u o 0.0\n", (unsigned)ENT_VENDOR_TYPE);
		wire_put_num(f, "c", ENT_CONTAINED_IN, WIRE_ENT,
		    ek != 0 ? ek : BMCW_CHASSIS_KEY);
		mr_int(f, ENT_CLASS, ENT_CLASS_SENSOR);
		mr_int(f, ENT_PARENT_REL_POS, it->number);
		mr_str(f, ENT_NAME, it->name);
		mr_ent_empty(f);
		mr_int(f, ENT_IS_FRU, TV_FALSE);
	}
	for (i = 0; i < t->nsensors; i++) {
		it = &t->sensors[i].it;
		if (!(it->threshold && it->analog) || it->rec == NULL)
			continue;
		dec = it->decimals < -8 ? -8 : it->decimals > 9 ? 9 :
		    it->decimals;
		sensors_unit(it, unit, sizeof(unit));
		fprintf(f, "R %u %u\n", WIRE_TAB_ENT_SENSOR,
		    (unsigned)mr_key(it));
		mr_int(f, ENTS_TYPE, mibrows_ent_sensor_type(
		    it->rec->unit_base));
		mr_int(f, ENTS_SCALE, ENTS_SCALE_UNITS);
		mr_int(f, ENTS_PRECISION, dec);
		mr_int(f, ENTS_VALUE, it->have_value ?
		    mibrows_scaled(it->value, dec) : 0);
		mr_int(f, ENTS_OPER_STATUS, it->have_value ? ENTS_OPER_OK :
		    ENTS_OPER_UNAVAILABLE);
		mr_str(f, ENTS_UNITS_DISPLAY, unit);
		wire_put_num(f, "c", ENTS_VALUE_TIMESTAMP, WIRE_WALL,
		    t->sensors_t.when.wall_ms > 0 ?
		    t->sensors_t.when.wall_ms : 0);
		mr_u(f, ENTS_VALUE_UPDATE_RATE, WIRE_UNSIGNED,
		    (uint64_t)t->sensor_interval_s * 1000);
	}
}

static void
mr_sel_row(FILE *f, const struct store_target *t)
{
	const struct sel_info *si = &t->sel_info;

	fprintf(f, "R %u 0\n", WIRE_TAB_SEL_INFO);
	mr_u(f, BMCW_SEL_ENTRIES, WIRE_GAUGE, t->have_sel ? si->entries : 0);
	mr_u(f, BMCW_SEL_FREE_BYTES, WIRE_GAUGE, t->have_sel ?
	    si->free_bytes : 0);
	mr_int(f, BMCW_SEL_USED_PERCENT, t->have_sel ? t->sel_used_pct : -1);
	mr_int(f, BMCW_SEL_OVERFLOW, mr_truth(t->have_sel &&
	    (si->ops & 0x80)));
	mr_u(f, BMCW_SEL_LAST_ADD_TIME, WIRE_UNSIGNED, t->have_sel ?
	    si->last_add : 0);
	mr_u(f, BMCW_SEL_LAST_ERASE_TIME, WIRE_UNSIGNED, t->have_sel ?
	    si->last_erase : 0);
	mr_u(f, BMCW_SEL_LAST_READ, WIRE_UNSIGNED,
	    mr_secs(t->sel_t.when.wall_ms));
	mr_u(f, BMCW_SEL_LAST_SEQUENCE, WIRE_UNSIGNED, t->sel_seq);
	mr_u(f, BMCW_SEL_ARCHIVED, WIRE_COUNTER, t->sel_archived);
	mr_int(f, BMCW_SEL_CLEAR_AT, t->sel_clear_at);
	mr_u(f, BMCW_SEL_LAST_CLEAR, WIRE_UNSIGNED,
	    mr_secs(t->sel_clear_t.when.wall_ms));
	mr_u(f, BMCW_SEL_LAST_CLEAR_COUNT, WIRE_GAUGE,
	    t->sel_last_clear_count);
	mr_u(f, BMCW_SEL_CLEARS, WIRE_COUNTER, t->sel_clears);
	mr_u(f, BMCW_SEL_CLEAR_FAILURES, WIRE_COUNTER, t->sel_clear_failures);
	mr_str(f, BMCW_SEL_LAST_CLEAR_ERROR, t->sel_clear_error);
	mr_u(f, BMCW_SEL_FOREIGN_CLEARS, WIRE_COUNTER, t->sel_foreign_clears);
	mr_u(f, BMCW_SEL_OPEN_PROBLEMS, WIRE_GAUGE, t->nopen);
	mr_int(f, BMCW_SEL_NEARLY_FULL_AT, t->sel_nearly_full_at);
	mr_u(f, BMCW_SEL_NEARLY_FULL_EVENTS, WIRE_COUNTER,
	    t->ev_count[STORE_EV_SEL_NEARLY_FULL]);
	/* filled in by the subagent, which rate-limits selEntryAdded */
	mr_u(f, BMCW_SEL_NOTIFY_SUPPRESSED, WIRE_COUNTER, 0);
}

static uint32_t
mr_power_event(const struct chassis_status *c)
{
	uint32_t b = 0;

	if (c->last_ac_failed)
		b |= 1u << BMCW_CHASSIS_LAST_POWER_EVENT_AC_FAILED;
	if (c->last_overload)
		b |= 1u << BMCW_CHASSIS_LAST_POWER_EVENT_OVERLOAD;
	if (c->last_interlock)
		b |= 1u << BMCW_CHASSIS_LAST_POWER_EVENT_INTERLOCK;
	if (c->last_fault)
		b |= 1u << BMCW_CHASSIS_LAST_POWER_EVENT_FAULT;
	if (c->last_command)
		b |= 1u << BMCW_CHASSIS_LAST_POWER_EVENT_COMMAND;
	return b;
}

static void
mr_chassis_row(FILE *f, const struct store_target *t)
{
	const struct chassis_status *c = &t->chassis;
	int id;

	if (!t->have_chassis)
		return;
	fprintf(f, "R %u 0\n", WIRE_TAB_CHASSIS);
	mr_int(f, BMCW_CHASSIS_POWER, c->power_on ? BMCW_CHASSIS_POWER_ON :
	    BMCW_CHASSIS_POWER_OFF);
	mr_int(f, BMCW_CHASSIS_POWER_OVERLOAD, mr_truth(c->overload));
	mr_int(f, BMCW_CHASSIS_POWER_INTERLOCK, mr_truth(c->interlock));
	mr_int(f, BMCW_CHASSIS_MAIN_POWER_FAULT, mr_truth(c->main_fault));
	mr_int(f, BMCW_CHASSIS_POWER_CTL_FAULT, mr_truth(c->control_fault));
	mr_int(f, BMCW_CHASSIS_RESTORE_POLICY, c->restore_policy <=
	    CHASSIS_RESTORE_UNKNOWN ? c->restore_policy + 1 :
	    BMCW_CHASSIS_RESTORE_POLICY_UNKNOWN);
	mr_bits(f, "c", BMCW_CHASSIS_LAST_POWER_EVENT, mr_power_event(c), 5);
	mr_int(f, BMCW_CHASSIS_INTRUSION, mr_truth(c->intrusion));
	mr_int(f, BMCW_CHASSIS_PANEL_LOCKOUT, mr_truth(c->lockout));
	mr_int(f, BMCW_CHASSIS_DRIVE_FAULT, mr_truth(c->drive_fault));
	mr_int(f, BMCW_CHASSIS_FAN_FAULT, mr_truth(c->fan_fault));
	mr_int(f, BMCW_CHASSIS_IDENTIFY_SUPPORTED,
	    mr_truth(c->identify_supported));
	id = !c->identify_supported ? BMCW_CHASSIS_IDENTIFY_STATE_UNKNOWN :
	    c->identify_state + 1;
	mr_int(f, BMCW_CHASSIS_IDENTIFY_STATE, id);
	mr_int(f, BMCW_CHASSIS_PANEL_BUTTONS, mr_truth(c->has_buttons));
	mr_bits(f, "c", BMCW_CHASSIS_PANEL_DISABLE_ALLOWED,
	    (c->sleep_disable_allowed ? 1u : 0) |
	    (c->diag_disable_allowed ? 2u : 0) |
	    (c->reset_disable_allowed ? 4u : 0) |
	    (c->power_disable_allowed ? 8u : 0), 4);
	mr_bits(f, "c", BMCW_CHASSIS_PANEL_DISABLED,
	    (c->sleep_disabled ? 1u : 0) | (c->diag_disabled ? 2u : 0) |
	    (c->reset_disabled ? 4u : 0) | (c->power_disabled ? 8u : 0), 4);
	wire_put_bytes(f, "c", BMCW_CHASSIS_STATUS_RAW, c->raw,
	    c->raw_len <= sizeof(c->raw) ? c->raw_len : 0);
	/* asked once a minute (daemon/target.c); unsupported: -1, "" */
	mr_int(f, BMCW_CHASSIS_RESTART_CAUSE, t->have_chassis_x ?
	    t->chassis_restart : -1);
	mr_str(f, BMCW_CHASSIS_RESTART_CAUSE_TEXT, t->have_chassis_x ?
	    t->chassis_restart_text : "");
	mr_int(f, BMCW_CHASSIS_POWER_ON_MINUTES, t->have_chassis_x ?
	    t->chassis_poh_min : -1);
	mr_str(f, BMCW_CHASSIS_BOOT_DEVICE, t->have_chassis_x ?
	    t->chassis_bootdev : "");
	mr_u(f, BMCW_CHASSIS_POWER_CHANGES, WIRE_COUNTER,
	    t->ev_count[STORE_EV_POWER]);
	mr_u(f, BMCW_CHASSIS_LAST_POWER_CHANGE, WIRE_UNSIGNED,
	    mr_secs(t->ev_wall_ms[STORE_EV_POWER]));
	mr_u(f, BMCW_CHASSIS_LAST_UPDATE, WIRE_UNSIGNED,
	    mr_secs(t->chassis_t.when.wall_ms));
}

static int
mr_hb_state(const struct store_hb *hb)
{
	if (!hb->enabled)
		return BMCW_WATCHDOG_HEARTBEAT_DISABLED;
	if (hb->refused)
		return BMCW_WATCHDOG_HEARTBEAT_CONFLICT;
	if (!hb->armed)
		return BMCW_WATCHDOG_HEARTBEAT_ARMING;
	if (hb->failing[0] != '\0')
		return BMCW_WATCHDOG_HEARTBEAT_FAILING;
	return BMCW_WATCHDOG_HEARTBEAT_RUNNING;
}

static void
mr_wdt_row(FILE *f, const struct store_target *t)
{
	const struct wdt_timer *w = &t->wdt;

	if (!t->have_wdt && !t->hb.enabled)
		return;
	fprintf(f, "R %u 0\n", WIRE_TAB_WATCHDOG);
	mr_int(f, BMCW_WATCHDOG_USE, w->use >= 1 && w->use <= 5 ? w->use :
	    BMCW_WATCHDOG_USE_RESERVED);
	mr_int(f, BMCW_WATCHDOG_ACTION, w->action <= 3 ? w->action + 1 :
	    BMCW_WATCHDOG_ACTION_RESERVED);
	mr_int(f, BMCW_WATCHDOG_PRE_TIMEOUT_INT, w->pre_int <= 3 ?
	    w->pre_int + 1 : BMCW_WATCHDOG_PRE_TIMEOUT_INT_RESERVED);
	mr_u(f, BMCW_WATCHDOG_PRE_TIMEOUT, WIRE_UNSIGNED, w->pretimeout);
	mr_u(f, BMCW_WATCHDOG_INITIAL_COUNT, WIRE_UNSIGNED,
	    (uint64_t)w->initial * 100);
	mr_int(f, BMCW_WATCHDOG_PRESENT_COUNT, t->have_wdt && w->has_present ?
	    (int64_t)w->present * 100 : -1);
	mr_int(f, BMCW_WATCHDOG_RUNNING, mr_truth(w->running));
	mr_int(f, BMCW_WATCHDOG_DONT_LOG, mr_truth(w->dont_log));
	mr_bits(f, "c", BMCW_WATCHDOG_EXPIRED_FLAGS, w->expired & WDT_EXP_ALL,
	    6);
	mr_u(f, BMCW_WATCHDOG_EXPIRIES, WIRE_COUNTER,
	    t->ev_count[STORE_EV_WATCHDOG]);
	mr_u(f, BMCW_WATCHDOG_LAST_EXPIRY, WIRE_UNSIGNED,
	    mr_secs(t->ev_wall_ms[STORE_EV_WATCHDOG]));
	mr_int(f, BMCW_WATCHDOG_HEARTBEAT, mr_hb_state(&t->hb));
	mr_u(f, BMCW_WATCHDOG_HB_INTERVAL, WIRE_UNSIGNED, t->hb.enabled ?
	    t->hb.interval_ms : 0);
	mr_u(f, BMCW_WATCHDOG_LAST_RESET, WIRE_UNSIGNED,
	    t->hb.kicks > 0 ? mr_secs(t->hb.stamp.when.wall_ms) : 0);
	mr_u(f, BMCW_WATCHDOG_RESETS, WIRE_COUNTER, t->hb.kicks);
	mr_u(f, BMCW_WATCHDOG_RESET_FAILURES, WIRE_COUNTER, t->hb.failures);
	mr_u(f, BMCW_WATCHDOG_HB_STOPS, WIRE_COUNTER,
	    t->ev_count[STORE_EV_HEARTBEAT]);
	mr_u(f, BMCW_WATCHDOG_HB_LAST_CHANGE, WIRE_UNSIGNED,
	    mr_secs(t->ev_wall_ms[STORE_EV_HEARTBEAT]));
	mr_str(f, BMCW_WATCHDOG_FAILING_CHECK, t->hb.failing);
	mr_str(f, BMCW_WATCHDOG_LAST_ERROR, t->hb.state);
	mr_u(f, BMCW_WATCHDOG_LAST_UPDATE, WIRE_UNSIGNED,
	    mr_secs(t->wdt_t.when.wall_ms));
}

/* a DisplayString of at most max octets: control characters and bytes
 * above 7Eh become spaces */
static void
mr_display(FILE *f, const char *pfx, unsigned col, const char *s,
    size_t max)
{
	char buf[STORE_TEXT_MAX + 1];
	size_t i;

	for (i = 0; i < max && i < sizeof(buf) - 1 && s[i] != '\0'; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : ' ';
	buf[i] = '\0';
	wire_put_str(f, pfx, col, buf);
}

/* bmcwControlTable: what the configuration allows (the subagent keeps
 * the rest of the row: the lock, the actions it accepted) */
static void
mr_control_row(FILE *f, const struct store_target *t)
{
	fprintf(f, "R %u 0\n", WIRE_TAB_CONTROL);
	mr_bits(f, "c", BMCW_CONTROL_ALLOWED,
	    (t->allow & CONF_ALLOW_POWER ?
	    1u << BMCW_CONTROL_ALLOWED_POWER : 0) |
	    (t->allow & CONF_ALLOW_IDENTIFY ?
	    1u << BMCW_CONTROL_ALLOWED_IDENTIFY : 0) |
	    (t->allow & CONF_ALLOW_SEL_CLEAR ?
	    1u << BMCW_CONTROL_ALLOWED_SEL_CLEAR : 0), 3);
}

/* bmcwConsoleTable: a row for a target with a sol block */
static void
mr_console_row(FILE *f, const struct store_target *t)
{
	const struct store_console *c = &t->console;

	if (!c->enabled)
		return;
	fprintf(f, "R %u 0\n", WIRE_TAB_CONSOLE);
	mr_int(f, BMCW_CONSOLE_LOGGING, mr_truth(c->logging));
	mr_int(f, BMCW_CONSOLE_CONNECTED, mr_truth(c->connected));
	mr_u(f, BMCW_CONSOLE_LAST_CONN_CHANGE, WIRE_UNSIGNED,
	    mr_secs(c->conn_t.when.wall_ms));
	mr_u(f, BMCW_CONSOLE_BYTES, WIRE_COUNTER64, c->bytes);
	mr_u(f, BMCW_CONSOLE_EVENTS, WIRE_COUNTER, c->events);
	mr_u(f, BMCW_CONSOLE_LAST_EVENT_TIME, WIRE_UNSIGNED,
	    mr_secs(c->event_t.when.wall_ms));
	mr_display(f, "c", BMCW_CONSOLE_LAST_EVENT_RULE, c->event_rule, 64);
	mr_display(f, "c", BMCW_CONSOLE_LAST_EVENT_TEXT, c->event_text, 255);
	mr_display(f, "c", BMCW_CONSOLE_STATE, c->state, 255);
	mr_u(f, BMCW_CONSOLE_GAPS, WIRE_COUNTER, c->gaps);
	mr_int(f, BMCW_CONSOLE_LOG_FAILING, mr_truth(c->log_failing));
	mr_display(f, "c", BMCW_CONSOLE_LOG_ERROR, c->log_error, 255);
}

/* the sensor key of a system event record's generator, -1 for others */
static int64_t
mr_sel_key(const struct sel_rec *r)
{
	if (r->kind != SEL_KIND_SYSTEM)
		return -1;
	return BMCW_SENSOR_KEY_OF((r->gen_id >> 12) & 0x0f, r->gen_id & 0xff,
	    (r->gen_id >> 8) & 3, r->sensor_num);
}

static int
mr_sel_sev(enum sel_sev s)
{
	return s == SEL_SEV_CRITICAL ? BMCW_SEL_SEVERITY_CRITICAL :
	    s == SEL_SEV_WARNING ? BMCW_SEL_SEVERITY_WARNING :
	    BMCW_SEL_SEVERITY_INFO;
}

static int
mr_sel_open(const struct store_target *t, const struct store_sel_entry *e)
{
	size_t i;

	for (i = 0; i < t->nopen; i++)
		if (memcmp(t->open[i].rec.raw, e->rec.raw, SEL_RECORD_LEN) == 0)
			return 1;
	return 0;
}

/* bmcwSelEntryTable (the recent ring) and bmcwSelProblemTable */
static void
mr_sel_entries(FILE *f, const struct store_target *t)
{
	const struct store_sel_entry *e;
	size_t i;

	for (i = 0; (e = store_sel_recent(t, i)) != NULL; i++) {
		if (e->seq == 0)
			continue;
		fprintf(f, "R %u %u\n", WIRE_TAB_SEL_ENTRY, (unsigned)e->seq);
		mr_u(f, BMCW_SEL_ENTRY_RECORD_ID, WIRE_UNSIGNED, e->rec.id);
		mr_u(f, BMCW_SEL_ENTRY_RECORD_TYPE, WIRE_UNSIGNED, e->rec.type);
		mr_u(f, BMCW_SEL_ENTRY_TIMESTAMP, WIRE_UNSIGNED,
		    e->rec.has_ts ? e->rec.ts : 0);
		mr_u(f, BMCW_SEL_ENTRY_READ_TIME, WIRE_UNSIGNED,
		    mr_secs(e->when.wall_ms));
		mr_u(f, BMCW_SEL_ENTRY_GENERATOR_ID, WIRE_UNSIGNED,
		    e->rec.kind == SEL_KIND_SYSTEM ? e->rec.gen_id : 0);
		mr_u(f, BMCW_SEL_ENTRY_SENSOR_TYPE, WIRE_UNSIGNED,
		    e->rec.sensor_type);
		mr_u(f, BMCW_SEL_ENTRY_SENSOR_NUMBER, WIRE_UNSIGNED,
		    e->rec.sensor_num);
		mr_int(f, BMCW_SEL_ENTRY_SENSOR_KEY, mr_sel_key(&e->rec));
		mr_str(f, BMCW_SEL_ENTRY_SENSOR_NAME, e->desc.sensor);
		mr_u(f, BMCW_SEL_ENTRY_EVENT_TYPE, WIRE_UNSIGNED,
		    e->rec.event_type & 0x7f);
		mr_u(f, BMCW_SEL_ENTRY_OFFSET, WIRE_UNSIGNED,
		    e->rec.offset & 0x0f);
		mr_int(f, BMCW_SEL_ENTRY_DIRECTION, e->rec.deassert ?
		    BMCW_SEL_ENTRY_DIRECTION_DEASSERTION :
		    BMCW_SEL_ENTRY_DIRECTION_ASSERTION);
		mr_int(f, BMCW_SEL_ENTRY_SEVERITY, mr_sel_sev(e->desc.sev));
		mr_str(f, BMCW_SEL_ENTRY_TEXT, e->desc.event);
		mr_int(f, BMCW_SEL_ENTRY_OPEN, mr_truth(mr_sel_open(t, e)));
		wire_put_bytes(f, "c", BMCW_SEL_ENTRY_RAW, e->rec.raw,
		    SEL_RECORD_LEN);
	}
	for (i = 0; i < t->nopen; i++) {
		e = &t->open[i];
		if (e->seq == 0)
			continue;
		fprintf(f, "R %u %u\n", WIRE_TAB_SEL_PROBLEM, (unsigned)e->seq);
		mr_u(f, BMCW_SEL_PROBLEM_TIMESTAMP, WIRE_UNSIGNED,
		    e->rec.has_ts ? e->rec.ts : 0);
		mr_int(f, BMCW_SEL_PROBLEM_SENSOR_KEY, mr_sel_key(&e->rec));
		mr_str(f, BMCW_SEL_PROBLEM_SENSOR_NAME, e->desc.sensor);
		mr_int(f, BMCW_SEL_PROBLEM_SEVERITY, mr_sel_sev(e->desc.sev));
		mr_str(f, BMCW_SEL_PROBLEM_TEXT, e->desc.event);
		mr_int(f, BMCW_SEL_PROBLEM_ACKED, mr_truth(e->acked));
		wire_put_bytes(f, "c", BMCW_SEL_PROBLEM_RAW, e->rec.raw,
		    SEL_RECORD_LEN);
	}
}

void
mibrows_target(FILE *f, const struct store_target *t)
{
	fprintf(f, "T %s\n", t->name);
	mr_target_row(f, t);
	mr_sensor_rows(f, t);
	mr_sel_row(f, t);
	mr_sel_entries(f, t);
	mr_chassis_row(f, t);
	mr_wdt_row(f, t);
	mr_control_row(f, t);
	mr_console_row(f, t);
	mr_entity_rows(f, t);
}

uint64_t
mibrows_sig(const struct store_target *t)
{
	uint64_t h = 1469598103934665603ull;
	uint64_t v[] = {
		t->ident_t.gen, t->sensors_t.gen, t->sensors_t.when.mono_ms,
		t->sel_t.gen, t->sel_t.when.mono_ms, t->chassis_t.gen,
		t->chassis_t.when.mono_ms, t->wdt_t.gen, t->hb.stamp.gen,
		t->hb.kicks, t->sel_clear_t.gen, t->sel_archived,
		t->sel_clear_failures, t->nopen, t->chassis_x_t.gen,
		t->sdr_change_wall_ms, t->sel_foreign_clears,
		t->health.req_errors, t->health.ccode_errors, t->allow,
		(uint64_t)t->console.enabled, (uint64_t)t->console.logging,
		(uint64_t)t->console.connected, t->console.conn_t.gen,
		t->console.events,	/* bytes: with the next sweep */
		t->console.gaps, (uint64_t)t->console.log_failing,
		t->health.last_success.gen, t->health.last_failure.gen,
		(uint64_t)t->health.state, t->health.consecutive_errors,
		t->health.sweeps, t->nsensors,
	};
	size_t i, k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (k = 0; k < 8; k++) {
			h ^= (v[i] >> (8 * k)) & 0xff;
			h *= 1099511628211ull;
		}
	for (i = 0; i < STORE_EV_N; i++)
		h = (h ^ t->ev_count[i]) * 1099511628211ull;
	/* the console's words change without a count */
	for (i = 0; t->console.state[i] != '\0'; i++)
		h = (h ^ (uint8_t)t->console.state[i]) * 1099511628211ull;
	for (i = 0; t->console.log_error[i] != '\0'; i++)
		h = (h ^ (uint8_t)t->console.log_error[i]) * 1099511628211ull;
	return h;
}

void
mibrows_webhook(FILE *f, const struct store_webhook *w)
{
	fprintf(f, "W %s\nR %u 0\n", w->name, WIRE_TAB_WEBHOOK);
	mr_str(f, BMCW_WEBHOOK_NAME, w->name);
	mr_u(f, BMCW_WEBHOOK_QUEUE_DEPTH, WIRE_GAUGE, w->queued);
	mr_u(f, BMCW_WEBHOOK_DELIVERED, WIRE_COUNTER, w->delivered);
	mr_u(f, BMCW_WEBHOOK_FAILED, WIRE_COUNTER, w->failures);
	mr_u(f, BMCW_WEBHOOK_DROPPED, WIRE_COUNTER, w->dropped);
	mr_u(f, BMCW_WEBHOOK_LAST_DELIVERY, WIRE_UNSIGNED,
	    mr_secs(w->last_delivery_wall_ms));
	mr_display(f, "c", BMCW_WEBHOOK_LAST_ERROR, w->last_error, 255);
}

uint64_t
mibrows_webhook_sig(const struct store_webhook *w)
{
	uint64_t h = 1469598103934665603ull;
	uint64_t v[] = { w->queued, w->delivered, w->failures, w->dropped,
	    (uint64_t)w->last_delivery_wall_ms };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = (h ^ v[i]) * 1099511628211ull;
	for (i = 0; w->last_error[i] != '\0'; i++)
		h = (h ^ (uint8_t)w->last_error[i]) * 1099511628211ull;
	return h;
}

void
mibrows_general(FILE *f)
{
	wire_put_u64(f, "G", 4, WIRE_UNSIGNED, STORE_SEL_RECENT);
}

/* ---- notifications ------------------------------------------------------ */

static void
mr_vb_str(FILE *f, unsigned tab, uint32_t sub, unsigned col, const char *s)
{
	char p[32];

	(void)snprintf(p, sizeof(p), "v %u %u", tab, (unsigned)sub);
	wire_put_str(f, p, col, s);
}

static void
mr_vb_num(FILE *f, unsigned tab, uint32_t sub, unsigned col, char type,
    int64_t v)
{
	char p[32];

	(void)snprintf(p, sizeof(p), "v %u %u", tab, (unsigned)sub);
	if (type == WIRE_INT)
		wire_put_num(f, p, col, type, v);
	else
		wire_put_u64(f, p, col, type, type == WIRE_COUNTER ?
		    C32(v) : (uint64_t)v);
}

int
mibrows_event(FILE *f, const struct store_event *e)
{
	const struct store_target *t = e->t;
	const struct sensors_item *it;
	char unit[64], text[256], p[32];
	uint32_t key;
	int n, dec;

	switch (e->kind) {
	case STORE_EV_SENSOR:
		if (e->sensor == NULL)
			return 0;
		n = 1;
		break;
	case STORE_EV_SEL:
		if (e->sel == NULL)
			return 0;
		n = 2;
		break;
	case STORE_EV_SEL_CLEARED:
		n = 4;
		break;
	case STORE_EV_SEL_CLEAR_FAILED:
		n = 5;
		break;
	case STORE_EV_SEL_NEARLY_FULL:
		n = 3;
		break;
	case STORE_EV_POWER:
		if (!t->have_chassis)
			return 0;
		n = 6;
		break;
	case STORE_EV_WATCHDOG:
		n = 7;
		break;
	case STORE_EV_HEARTBEAT:
		if (e->level == 0)	/* resumed: no notification */
			return 0;
		n = 8;
		break;
	case STORE_EV_UNREACHABLE:
		n = 9;
		break;
	case STORE_EV_RECOVERED:
		n = 10;
		break;
	case STORE_EV_CONSOLE:
		if (!t->console.enabled)
			return 0;
		n = 11;
		break;
	default:
		return 0;
	}
	fprintf(f, "N %d %s\n", n, t->name);
	mr_vb_str(f, WIRE_TAB_TARGET, 0, BMCW_TARGET_NAME, t->name);
	switch (e->kind) {
	case STORE_EV_SENSOR:
		it = &e->sensor->it;
		key = mr_key(it);
		dec = it->decimals < -8 ? -8 : it->decimals > 9 ? 9 :
		    it->decimals;
		sensors_unit(it, unit, sizeof(unit));
		if (!(it->threshold && it->analog))
			unit[0] = '\0';
		mr_vb_str(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_NAME, it->name);
		mr_vb_num(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_STATE, WIRE_INT,
		    (int)it->sev + 1);
		mr_vb_num(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_PREV_STATE,
		    WIRE_INT, (int)e->was + 1);
		mr_vb_num(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_VALUE, WIRE_INT,
		    it->have_value ? mibrows_scaled(it->value, dec) : 0);
		mr_vb_num(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_PRECISION,
		    WIRE_INT, dec);
		mr_vb_str(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_UNITS, unit);
		mr_states_text(it, text, sizeof(text));
		mr_vb_str(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_STATES_TEXT,
		    text);
		mr_vb_num(f, WIRE_TAB_SENSOR, key, BMCW_SENSOR_STATE_CHANGES,
		    WIRE_COUNTER, (int64_t)e->sensor->changes);
		break;
	case STORE_EV_SEL:
		key = e->sel->seq;
		(void)snprintf(p, sizeof(p), "v %u %u", WIRE_TAB_SEL_ENTRY,
		    (unsigned)key);
		wire_put_u64(f, p, BMCW_SEL_ENTRY_RECORD_ID, WIRE_UNSIGNED,
		    e->sel->rec.id);
		wire_put_num(f, p, BMCW_SEL_ENTRY_SEVERITY, WIRE_INT,
		    mr_sel_sev(e->sel->desc.sev));
		wire_put_str(f, p, BMCW_SEL_ENTRY_SENSOR_NAME,
		    e->sel->desc.sensor);
		wire_put_str(f, p, BMCW_SEL_ENTRY_TEXT, e->sel->desc.event);
		/* bmcwSelNotifySuppressed: added by the subagent */
		break;
	case STORE_EV_SEL_CLEARED:
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_LAST_CLEAR_COUNT,
		    WIRE_GAUGE, t->sel_last_clear_count);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_ARCHIVED,
		    WIRE_COUNTER, (int64_t)t->sel_archived);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_CLEARS,
		    WIRE_COUNTER, (int64_t)t->sel_clears);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_LAST_CLEAR,
		    WIRE_UNSIGNED, (int64_t)mr_secs(
		    t->sel_clear_t.when.wall_ms));
		break;
	case STORE_EV_SEL_NEARLY_FULL:
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_USED_PERCENT,
		    WIRE_INT, t->sel_used_pct);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_ENTRIES,
		    WIRE_GAUGE, t->sel_info.entries);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_FREE_BYTES,
		    WIRE_GAUGE, t->sel_info.free_bytes);
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_NEARLY_FULL_AT,
		    WIRE_INT, t->sel_nearly_full_at);
		break;
	case STORE_EV_SEL_CLEAR_FAILED:
		mr_vb_num(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_CLEAR_FAILURES,
		    WIRE_COUNTER, (int64_t)t->sel_clear_failures);
		mr_vb_str(f, WIRE_TAB_SEL_INFO, 0, BMCW_SEL_LAST_CLEAR_ERROR,
		    t->sel_clear_error);
		break;
	case STORE_EV_POWER:
		mr_vb_num(f, WIRE_TAB_CHASSIS, 0, BMCW_CHASSIS_POWER, WIRE_INT,
		    t->chassis.power_on ? BMCW_CHASSIS_POWER_ON :
		    BMCW_CHASSIS_POWER_OFF);
		(void)snprintf(p, sizeof(p), "v %u 0", WIRE_TAB_CHASSIS);
		mr_bits(f, p, BMCW_CHASSIS_LAST_POWER_EVENT,
		    mr_power_event(&t->chassis), 5);
		mr_vb_num(f, WIRE_TAB_CHASSIS, 0, BMCW_CHASSIS_POWER_CHANGES,
		    WIRE_COUNTER, (int64_t)t->ev_count[STORE_EV_POWER]);
		break;
	case STORE_EV_WATCHDOG:
		mr_vb_num(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_USE, WIRE_INT,
		    t->wdt.use >= 1 && t->wdt.use <= 5 ? t->wdt.use :
		    BMCW_WATCHDOG_USE_RESERVED);
		mr_vb_num(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_ACTION,
		    WIRE_INT, t->wdt.action <= 3 ? t->wdt.action + 1 :
		    BMCW_WATCHDOG_ACTION_RESERVED);
		mr_vb_num(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_EXPIRIES,
		    WIRE_COUNTER, (int64_t)t->ev_count[STORE_EV_WATCHDOG]);
		break;
	case STORE_EV_HEARTBEAT:
		mr_vb_num(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_HEARTBEAT,
		    WIRE_INT, BMCW_WATCHDOG_HEARTBEAT_STOPPED);
		mr_vb_str(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_FAILING_CHECK,
		    t->hb.failing);
		mr_vb_str(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_LAST_ERROR,
		    e->text != NULL ? e->text : "");
		mr_vb_num(f, WIRE_TAB_WATCHDOG, 0, BMCW_WATCHDOG_HB_STOPS,
		    WIRE_COUNTER, (int64_t)t->ev_count[STORE_EV_HEARTBEAT]);
		break;
	case STORE_EV_UNREACHABLE:
		mr_vb_num(f, WIRE_TAB_TARGET, 0, BMCW_TARGET_LAST_SUCCESS,
		    WIRE_UNSIGNED, (int64_t)mr_secs(
		    t->health.last_success.when.wall_ms));
		mr_vb_num(f, WIRE_TAB_TARGET, 0,
		    BMCW_TARGET_CONSECUTIVE_ERRORS, WIRE_GAUGE,
		    t->health.consecutive_errors);
		mr_vb_str(f, WIRE_TAB_TARGET, 0, BMCW_TARGET_LAST_ERROR,
		    t->health.last_error);
		mr_vb_num(f, WIRE_TAB_TARGET, 0,
		    BMCW_TARGET_UNREACHABLE_EVENTS, WIRE_COUNTER,
		    (int64_t)t->ev_count[STORE_EV_UNREACHABLE]);
		break;
	case STORE_EV_CONSOLE:
		(void)snprintf(p, sizeof(p), "v %u 0", WIRE_TAB_CONSOLE);
		mr_display(f, p, BMCW_CONSOLE_LAST_EVENT_RULE,
		    e->rule != NULL ? e->rule : t->console.event_rule, 64);
		mr_display(f, p, BMCW_CONSOLE_LAST_EVENT_TEXT,
		    e->text != NULL ? e->text : t->console.event_text, 255);
		mr_vb_num(f, WIRE_TAB_CONSOLE, 0, BMCW_CONSOLE_EVENTS,
		    WIRE_COUNTER, (int64_t)t->console.events);
		break;
	case STORE_EV_RECOVERED:
		mr_vb_num(f, WIRE_TAB_TARGET, 0,
		    BMCW_TARGET_LAST_REACH_CHANGE, WIRE_UNSIGNED,
		    (int64_t)mr_secs(t->ev_wall_ms[STORE_EV_RECOVERED]));
		mr_vb_num(f, WIRE_TAB_TARGET, 0,
		    BMCW_TARGET_UNREACHABLE_EVENTS, WIRE_COUNTER,
		    (int64_t)t->ev_count[STORE_EV_UNREACHABLE]);
		break;
	default:
		break;
	}
	return 1;
}

/*
 * The PET trap of a new SEL entry: its system GUID and Get Device ID's
 * manufacturer and product from the target, the entity from the SDR of
 * the sensor that logged it (the generator's owner, LUN and number),
 * the severity as bmcwSelEntrySeverity has it.
 */
int
mibrows_pet(FILE *f, const struct store_event *e)
{
	const struct store_target *t = e->t;
	const struct sel_rec *r;
	const struct sensors_item *it;
	struct pet_source src;
	uint8_t vb[PET_VARBIND_LEN];
	char p[32];
	size_t i;

	if (e->kind != STORE_EV_SEL || e->sel == NULL)
		return 0;
	r = &e->sel->rec;
	memset(&src, 0, sizeof(src));
	if (t->have_ident) {
		if (t->ident.have_sysguid &&
		    app_guid_parse(t->ident.sysguid, src.guid) != 0)
			memset(src.guid, 0, sizeof(src.guid));
		src.manufacturer = t->ident.d.manufacturer;
		src.product = t->ident.d.product;
	}
	for (i = 0; i < t->nsensors; i++) {
		it = &t->sensors[i].it;
		if (it->owner == (r->gen_id & 0xff) && (it->lun & 3) ==
		    ((r->gen_id >> 8) & 3) && it->number == r->sensor_num) {
			src.entity_id = it->entity_id;
			src.entity_instance = it->entity_instance;
			break;
		}
	}
	src.sev = e->sel->desc.sev;
	if (pet_encode(r, &src, vb) != 0)
		return 0;
	fprintf(f, "N %u %s\n", WIRE_NOTIFY_PET, t->name);
	(void)snprintf(p, sizeof(p), "v %u %u", WIRE_TAB_SEL_ENTRY,
	    (unsigned)e->sel->seq);
	wire_put_u64(f, p, WIRE_PET_SPECIFIC, WIRE_UNSIGNED, pet_specific(r));
	wire_put_bytes(f, p, WIRE_PET_VARBIND, vb, sizeof(vb));
	return 1;
}
