/*
 * Redfish resources to the IPMI-shaped model (see rfmap.h).  Schemas:
 * DMTF DSP8010 Sensor.v1, Thermal.v1, Power.v1, ComputerSystem.v1,
 * Chassis.v1, Manager.v1, LogService.v1, LogEntry.v1; the IPMI tables
 * are those of IPMI v2.0 rev 1.1: 42-3 (sensor types), 43-13 (entity
 * IDs), 43-15 (unit codes), 42-2 (generic offsets), 28-14 (boot device
 * selector), 27-6 (watchdog actions).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "evtext.h"
#include "rfmap.h"
#include "sensor.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- small typed getters: absent and null are "not there" ---- */

static int
rf_str(const struct rfjson_v *obj, const char *key, const char **out,
    char *err, size_t errlen)
{
	const struct rfjson_v *v = rfjson_get(obj, key);
	enum rfjson_type t = rfjson_type(v);

	*out = NULL;
	if (t == RFJSON_ABSENT || t == RFJSON_NULL)
		return 0;
	if (t != RFJSON_STRING) {
		(void)snprintf(err, errlen, "%s: expected a string, got %s",
		    key, rfjson_type_name(t));
		return -1;
	}
	*out = rfjson_str(v);
	return 0;
}

static int
rf_num(const struct rfjson_v *obj, const char *key, double *out, int *have,
    char *err, size_t errlen)
{
	const struct rfjson_v *v = rfjson_get(obj, key);
	enum rfjson_type t = rfjson_type(v);

	*have = 0;
	if (t == RFJSON_ABSENT || t == RFJSON_NULL)
		return 0;
	if (rfjson_num(v, out) != 0) {
		(void)snprintf(err, errlen, "%s: expected a number, got %s",
		    key, rfjson_type_name(t));
		return -1;
	}
	*have = 1;
	return 0;
}

/* an object member, or NULL when absent or null; -1 if another type */
static int
rf_obj(const struct rfjson_v *obj, const char *key,
    const struct rfjson_v **out, char *err, size_t errlen)
{
	const struct rfjson_v *v = rfjson_get(obj, key);
	enum rfjson_type t = rfjson_type(v);

	*out = NULL;
	if (t == RFJSON_ABSENT || t == RFJSON_NULL)
		return 0;
	if (t != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "%s: expected an object, got %s",
		    key, rfjson_type_name(t));
		return -1;
	}
	*out = v;
	return 0;
}

/* prefix err with "what: " (what is a property path) */
static void
rf_prefix(char *err, size_t errlen, const char *what)
{
	char tmp[512];

	(void)snprintf(tmp, sizeof(tmp), "%s", err);
	(void)snprintf(err, errlen, "%s: %s", what, tmp);
}

/* copy text from a BMC, control characters made visible */
static void
rf_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	if (len == 0)
		return;
	if (src == NULL)
		src = "";
	for (i = 0; src[i] != '\0' && i + 1 < len; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || src[i] == 0x7f) ?
		    '.' : src[i];
	dst[i] = '\0';
}

static int
rf_word(const char *s, const char *const *words, size_t n)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- paths ---- */

int
rfmap_path(const char *s, char *out, size_t outlen)
{
	size_t i;

	if (s == NULL || s[0] != '/' || outlen == 0)
		return -1;
	for (i = 0; s[i] != '\0' && s[i] != '#'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("\"\\<>`{}|^", c))
			return -1;
		if (i + 1 >= outlen)
			return -1;
		out[i] = (char)c;
	}
	out[i] = '\0';
	/* no "//host" authority, no climbing above the root */
	if (i >= 2 && out[1] == '/')
		return -1;
	return strstr(out, "/../") != NULL ? -1 : 0;
}

int
rfmap_link(const struct rfjson_v *obj, const char *name, char *out,
    size_t outlen, char *err, size_t errlen)
{
	const struct rfjson_v *l;
	const char *id;

	if (rf_obj(obj, name, &l, err, errlen) != 0)
		return -1;
	if (l == NULL) {
		(void)snprintf(err, errlen, "%s: absent", name);
		return -1;
	}
	if (rf_str(l, "@odata.id", &id, err, errlen) != 0) {
		rf_prefix(err, errlen, name);
		return -1;
	}
	if (id == NULL || rfmap_path(id, out, outlen) != 0) {
		(void)snprintf(err, errlen, "%s: @odata.id %s", name,
		    id == NULL ? "absent" : "is not a path we follow");
		return -1;
	}
	return 0;
}

void
rfmap_root_default(struct rfmap_root *r)
{
	memset(r, 0, sizeof(*r));
	(void)snprintf(r->systems, sizeof(r->systems), "/redfish/v1/Systems");
	(void)snprintf(r->chassis, sizeof(r->chassis), "/redfish/v1/Chassis");
	(void)snprintf(r->managers, sizeof(r->managers),
	    "/redfish/v1/Managers");
	(void)snprintf(r->sessions, sizeof(r->sessions),
	    "/redfish/v1/SessionService/Sessions");
}

int
rfmap_root(const struct rfjson_v *doc, struct rfmap_root *r, char *err,
    size_t errlen)
{
	const struct rfjson_v *pf, *eq, *links;
	const char *s;
	char tmp[REDFISH_PATH_MAX];
	int b;

	rfmap_root_default(r);
	if (rf_str(doc, "RedfishVersion", &s, err, errlen) != 0)
		return -1;
	rf_copy(r->version, sizeof(r->version), s);
	if (rf_str(doc, "UUID", &s, err, errlen) != 0)
		return -1;
	rf_copy(r->uuid, sizeof(r->uuid), s);
	/* each collection link is optional: the defaults stand */
	if (rfjson_get(doc, "Systems") != NULL &&
	    rfmap_link(doc, "Systems", r->systems, sizeof(r->systems), err,
	    errlen) != 0)
		return -1;
	if (rfjson_get(doc, "Chassis") != NULL &&
	    rfmap_link(doc, "Chassis", r->chassis, sizeof(r->chassis), err,
	    errlen) != 0)
		return -1;
	if (rfjson_get(doc, "Managers") != NULL &&
	    rfmap_link(doc, "Managers", r->managers, sizeof(r->managers), err,
	    errlen) != 0)
		return -1;
	if (rf_obj(doc, "Links", &links, err, errlen) != 0)
		return -1;
	if (links != NULL && rfjson_get(links, "Sessions") != NULL) {
		if (rfmap_link(links, "Sessions", tmp, sizeof(tmp), err,
		    errlen) != 0) {
			rf_prefix(err, errlen, "Links");
			return -1;
		}
		(void)snprintf(r->sessions, sizeof(r->sessions), "%s", tmp);
	}
	if (rf_obj(doc, "ProtocolFeaturesSupported", &pf, err, errlen) != 0)
		return -1;
	if (pf == NULL)
		return 0;
	if (rf_obj(pf, "ExpandQuery", &eq, err, errlen) != 0) {
		rf_prefix(err, errlen, "ProtocolFeaturesSupported");
		return -1;
	}
	if (eq == NULL)
		return 0;
	if (rfjson_bool(rfjson_get(eq, "Levels"), &b) == 0 && b)
		r->expand_levels = 1;
	if (rfjson_bool(rfjson_get(eq, "NoLinks"), &b) == 0 && b)
		r->expand = RFMAP_EXPAND_DOT;
	else if (rfjson_bool(rfjson_get(eq, "ExpandAll"), &b) == 0 && b)
		r->expand = RFMAP_EXPAND_ALL;
	return 0;
}

int
rfmap_members(const struct rfjson_v *coll, char (*paths)[REDFISH_PATH_MAX],
    const struct rfjson_v **members, size_t max, size_t *n, size_t *total,
    char *err, size_t errlen)
{
	const struct rfjson_v *arr = rfjson_get(coll, "Members"), *m;
	const char *id;
	char what[32];
	size_t i, cnt;

	*n = 0;
	*total = 0;
	if (rfjson_type(arr) != RFJSON_ARRAY) {
		(void)snprintf(err, errlen, "Members: expected an array, "
		    "got %s", rfjson_type_name(rfjson_type(arr)));
		return -1;
	}
	cnt = rfjson_len(arr);
	*total = cnt;
	for (i = 0; i < cnt; i++) {
		m = rfjson_at(arr, i);
		(void)snprintf(what, sizeof(what), "Members[%zu]", i);
		if (rfjson_type(m) != RFJSON_OBJECT) {
			(void)snprintf(err, errlen, "%s: expected an object, "
			    "got %s", what, rfjson_type_name(rfjson_type(m)));
			return -1;
		}
		if (rf_str(m, "@odata.id", &id, err, errlen) != 0) {
			rf_prefix(err, errlen, what);
			return -1;
		}
		if (*n >= max)
			continue;
		if (id == NULL || rfmap_path(id, paths[*n],
		    REDFISH_PATH_MAX) != 0) {
			(void)snprintf(err, errlen, "%s: @odata.id %s", what,
			    id == NULL ? "absent" : "is not a path we follow");
			return -1;
		}
		if (members != NULL)
			members[*n] = m;
		(*n)++;
	}
	return 0;
}

int
rfmap_expanded(const struct rfjson_v *m)
{
	return rfjson_type(m) == RFJSON_OBJECT && rfjson_len(m) > 1;
}

int
rfmap_next_link(const struct rfjson_v *coll, char *next, size_t len,
    char *err, size_t errlen)
{
	const char *s;

	if (rf_str(coll, "Members@odata.nextLink", &s, err, errlen) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if (rfmap_path(s, next, len) != 0) {
		(void)snprintf(err, errlen, "Members@odata.nextLink: not a "
		    "path we follow");
		return -1;
	}
	return 1;
}

/* ---- sensors ---- */

struct rf_unit {
	const char	*ucum;
	uint8_t		 base, mod, mod_use, rate, pct;
	double		 factor;
};

/* ReadingUnits as Redfish writes them (UCUM) to table 43-15 */
static const struct rf_unit rf_units[] = {
	{ "%", 0, 0, 0, 0, 1, 1 },
	{ "A", 5, 0, 0, 0, 0, 1 },
	{ "A.h", 5, 24, 2, 0, 0, 1 },
	{ "By", 70, 0, 0, 0, 0, 1 },
	{ "Cel", 1, 0, 0, 0, 0, 1 },
	{ "GiBy", 73, 0, 0, 0, 0, 1 },
	{ "Hz", 19, 0, 0, 0, 0, 1 },
	{ "J", 7, 0, 0, 0, 0, 1 },
	{ "K", 3, 0, 0, 0, 0, 1 },
	{ "KiBy", 71, 0, 0, 0, 0, 1 },
	{ "L", 37, 0, 0, 0, 0, 1 },
	{ "L/min", 37, 0, 0, 4, 0, 1 },
	{ "L/s", 37, 0, 0, 3, 0, 1 },
	{ "MiBy", 72, 0, 0, 0, 0, 1 },
	{ "N", 16, 0, 0, 0, 0, 1 },
	{ "Pa", 14, 0, 0, 0, 0, 0.001 },
	{ "Percent", 0, 0, 0, 0, 1, 1 },	/* Thermal.v1 Fans */
	{ "RPM", 18, 0, 0, 0, 0, 1 },		/* Thermal.v1 Fans */
	{ "V", 4, 0, 0, 0, 0, 1 },
	{ "V.A", 9, 0, 0, 0, 0, 1 },
	{ "W", 6, 0, 0, 0, 0, 1 },
	{ "W.h", 6, 24, 2, 0, 0, 1 },
	{ "[degF]", 2, 0, 0, 0, 0, 1 },
	{ "[ft_i]3/min", 17, 0, 0, 0, 0, 1 },
	{ "[ppm]", 58, 0, 0, 0, 0, 1 },
	{ "[psi]", 15, 0, 0, 0, 0, 1 },
	{ "cd", 13, 0, 0, 0, 0, 1 },
	{ "cm", 33, 0, 0, 0, 0, 1 },
	{ "d", 25, 0, 0, 0, 0, 1 },
	{ "dB", 60, 0, 0, 0, 0, 1 },
	{ "g", 92, 0, 0, 0, 0, 1 },
	{ "h", 24, 0, 0, 0, 0, 1 },
	{ "kJ", 7, 0, 0, 0, 0, 1000 },
	{ "kPa", 14, 0, 0, 0, 0, 1 },
	{ "kV.A", 9, 0, 0, 0, 0, 1000 },
	{ "kW", 6, 0, 0, 0, 0, 1000 },
	{ "kW.h", 6, 24, 2, 0, 0, 1000 },
	{ "kg", 92, 0, 0, 0, 0, 1000 },
	{ "lm", 11, 0, 0, 0, 0, 1 },
	{ "lx", 12, 0, 0, 0, 0, 1 },
	{ "m", 34, 0, 0, 0, 0, 1 },
	{ "m3/min", 36, 0, 0, 4, 0, 1 },
	{ "mA", 5, 0, 0, 0, 0, 0.001 },
	{ "mV", 4, 0, 0, 0, 0, 0.001 },
	{ "mW", 6, 0, 0, 0, 0, 0.001 },
	{ "min", 23, 0, 0, 0, 0, 1 },
	{ "mm", 32, 0, 0, 0, 0, 1 },
	{ "ms", 21, 0, 0, 0, 0, 1 },
	{ "s", 22, 0, 0, 0, 0, 1 },
	{ "us", 20, 0, 0, 0, 0, 1 },
	{ "{rev}/min", 18, 0, 0, 0, 0, 1 },
};

int
rfmap_unit(const char *u, struct sensors_item *it, double *factor)
{
	size_t i;

	*factor = 1;
	it->unit_base = it->unit_mod = it->unit_mod_use = 0;
	it->unit_rate = it->unit_pct = 0;
	if (u == NULL)
		return -1;
	for (i = 0; i < NELEM(rf_units); i++) {
		if (strcmp(u, rf_units[i].ucum) != 0)
			continue;
		it->unit_base = rf_units[i].base;
		it->unit_mod = rf_units[i].mod;
		it->unit_mod_use = rf_units[i].mod_use;
		it->unit_rate = rf_units[i].rate;
		it->unit_pct = rf_units[i].pct;
		*factor = rf_units[i].factor;
		return 0;
	}
	return -1;
}

/* the unit a ReadingType implies (Sensor.v1: ReadingUnits "shall" be
 * that of the type), for a sensor that leaves ReadingUnits out */
static const char *
rf_type_unit(const char *rt)
{
	static const struct {
		const char	*type;
		const char	*unit;
	} tu[] = {
		{ "AirFlow", "[ft_i]3/min" }, { "ChargeAh", "A.h" },
		{ "Current", "A" }, { "EnergyJoules", "J" },
		{ "EnergykWh", "kW.h" }, { "EnergyWh", "W.h" },
		{ "Frequency", "Hz" }, { "Humidity", "%" },
		{ "LiquidFlow", "L/s" }, { "LiquidFlowLPM", "L/min" },
		{ "Percent", "%" }, { "Power", "W" }, { "PressurePa", "Pa" },
		{ "PressurekPaGauge", "kPa" }, { "Rotational", "RPM" },
		{ "Temperature", "Cel" }, { "Voltage", "V" },
	};
	size_t i;

	for (i = 0; rt != NULL && i < NELEM(tu); i++)
		if (strcmp(rt, tu[i].type) == 0)
			return tu[i].unit;
	return NULL;
}

/* sensor types used (table 42-3) */
#define ST_TEMP		0x01
#define ST_VOLT		0x02
#define ST_CURRENT	0x03
#define ST_FAN		0x04
#define ST_PSU		0x08
#define ST_OTHER	0x0b
#define ST_BATTERY	0x29

static int
rf_has_fan(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0'; i++)
		if (strncasecmp(s + i, "fan", 3) == 0)
			return 1;
	return 0;
}

uint8_t
rfmap_sensor_type(const char *rt, const char *units, const char *ctx,
    const char *name)
{
	static const struct {
		const char	*word;
		uint8_t		 type;
	} types[] = {
		{ "Temperature", ST_TEMP }, { "Voltage", ST_VOLT },
		{ "Current", ST_CURRENT }, { "Rotational", ST_FAN },
		{ "AirFlow", ST_FAN }, { "AirFlowCMM", ST_FAN },
		{ "Power", ST_PSU }, { "ChargeAh", ST_BATTERY },
	}, by_unit[] = {
		{ "Cel", ST_TEMP }, { "[degF]", ST_TEMP }, { "K", ST_TEMP },
		{ "V", ST_VOLT }, { "mV", ST_VOLT }, { "A", ST_CURRENT },
		{ "mA", ST_CURRENT }, { "RPM", ST_FAN }, { "{rev}/min", ST_FAN },
		{ "[ft_i]3/min", ST_FAN }, { "W", ST_PSU }, { "kW", ST_PSU },
		{ "mW", ST_PSU },
	};
	size_t i;
	int pct = (rt != NULL && strcmp(rt, "Percent") == 0) ||
	    (rt == NULL && units != NULL && (strcmp(units, "%") == 0 ||
	    strcmp(units, "Percent") == 0));

	if (pct) {
		if ((ctx != NULL && strcmp(ctx, "Fan") == 0) ||
		    rf_has_fan(name))
			return ST_FAN;
		if (ctx != NULL && strcmp(ctx, "Battery") == 0)
			return ST_BATTERY;
		if (ctx != NULL && strcmp(ctx, "PowerSupply") == 0)
			return ST_PSU;
		return ST_OTHER;
	}
	for (i = 0; rt != NULL && i < NELEM(types); i++)
		if (strcmp(rt, types[i].word) == 0)
			return types[i].type;
	if (rt != NULL)
		return ST_OTHER;
	for (i = 0; units != NULL && i < NELEM(by_unit); i++)
		if (strcmp(units, by_unit[i].word) == 0)
			return by_unit[i].type;
	return ST_OTHER;
}

/* PhysicalContext to an entity ID, table 43-13; 0 if none fits */
static uint8_t
rf_entity(const char *ctx)
{
	static const struct {
		const char	*word;
		uint8_t		 id;
	} ents[] = {
		{ "Backplane", 0x0f }, { "Battery", 0x28 }, { "CPU", 0x03 },
		{ "CPUSubsystem", 0x03 }, { "Chassis", 0x17 },
		{ "Fan", 0x1d }, { "Intake", 0x37 }, { "Memory", 0x20 },
		{ "MemorySubsystem", 0x20 }, { "PowerSupply", 0x0a },
		{ "Room", 0x27 }, { "StorageDevice", 0x04 },
		{ "SystemBoard", 0x07 }, { "VoltageRegulator", 0x14 },
	};
	size_t i;

	for (i = 0; ctx != NULL && i < NELEM(ents); i++)
		if (strcmp(ctx, ents[i].word) == 0)
			return ents[i].id;
	return 0;
}

int
rfmap_health(const char *h, enum sensor_sev *out)
{
	if (h == NULL)
		return -1;
	if (strcmp(h, "OK") == 0)
		*out = SENSOR_SEV_OK;
	else if (strcmp(h, "Warning") == 0)
		*out = SENSOR_SEV_WARNING;
	else if (strcmp(h, "Critical") == 0)
		*out = SENSOR_SEV_CRITICAL;
	else
		return -1;
	return 0;
}

/* decimals that show v as given (a BMC's JSON number), at most 3 */
static int
rf_decimals(double v)
{
	double s;
	int d;

	if (fabs(v) > 1e12)
		return 0;
	for (d = 0, s = v; d < 3; d++) {
		if (fabs(s - nearbyint(s)) < 1e-6 * fmax(1.0, fabs(s)))
			return d;
		s *= 10;
	}
	return 3;
}

static void
rf_item_init(struct sensors_item *it, const char *name)
{
	memset(it, 0, sizeof(*it));
	rf_copy(it->name, sizeof(it->name), name);
	it->missing = SENSORS_NA_NUMBER | SENSORS_NA_OWNER |
	    SENSORS_NA_ENTITY | SENSORS_NA_HYST | SENSORS_NA_SETTABLE;
	it->sev = SENSOR_SEV_UNAVAILABLE;
	it->note = SENSORS_NOTE_NOT_READ;
}

static void
rf_item_bad(struct sensors_item *it)
{
	it->note = SENSORS_NOTE_MALFORMED;
	it->sev = SENSOR_SEV_UNAVAILABLE;
	it->have_value = 0;
	it->threshold = it->analog = 0;
	it->thr_mask = 0;
}

static void
rf_item_context(struct sensors_item *it, const char *ctx)
{
	uint8_t e = rf_entity(ctx);

	if (e != 0) {
		it->entity_id = e;
		it->missing &= (uint8_t)~SENSORS_NA_ENTITY;
	}
}

/*
 * State, value and severity.  Every Redfish sensor is a threshold-based
 * analog one (unit and thresholds shown even without a reading), except
 * a Power.v1 power supply or control without a wattage (discrete_ok): it
 * is then a discrete sensor whose state is its Health.  Status.State
 * says whether there is a reading at all; Health is the service's
 * verdict and wins, refined to non-recoverable when a Fatal threshold is
 * crossed; without Health the thresholds decide.
 */
static void
rf_item_state(struct sensors_item *it, const char *state, const char *health,
    int have, double v, double factor, int discrete_ok)
{
	enum sensor_sev h, lvl;
	int has_h = rfmap_health(health, &h) == 0;
	int k, dec;

	it->threshold = it->analog = 1;
	it->event_type = SDR_EVT_THRESHOLD;
	dec = have ? rf_decimals(v) : 0;
	for (k = 0; k < SDR_THR_N; k++)
		if (it->thr_mask & (1u << k)) {
			int d = rf_decimals(it->thr[k]);

			if (d > dec)
				dec = d;
			it->thr[k] *= factor;
			/* a threshold past what a double holds is no
			 * threshold */
			if (!isfinite(it->thr[k]))
				it->thr_mask &= (uint8_t)~(1u << k);
		}
	/* a factor of 1000 (kW.h as W*h) needs fewer decimals, 0.001 more */
	if (factor >= 1000)
		dec = dec > 3 ? dec - 3 : 0;
	else if (factor <= 0.001)
		dec += 3;
	it->decimals = dec;
	if (state != NULL && strcmp(state, "Absent") == 0) {
		it->note = SENSORS_NOTE_ABSENT;
		return;
	}
	if (state != NULL && (strcmp(state, "Disabled") == 0 ||
	    strcmp(state, "StandbyOffline") == 0 ||
	    strcmp(state, "UnavailableOffline") == 0)) {
		it->note = SENSORS_NOTE_DISABLED;
		return;
	}
	if (!have) {
		if (discrete_ok && has_h) {
			it->threshold = it->analog = 0;
			it->event_type = 0;
			it->thr_mask = 0;
			it->sev = h;
			it->note = SENSORS_NOTE_NONE;
		} else
			it->note = SENSORS_NOTE_UNAVAILABLE;
		return;
	}
	if (!isfinite(v * factor)) {
		it->note = SENSORS_NOTE_MALFORMED;
		return;
	}
	it->have_value = 1;
	it->value = v * factor;
	it->cmp_bits = sensor_thr_compare(it->value, it->thr, it->thr_mask);
	lvl = sensor_thr_level(it->cmp_bits);
	it->note = SENSORS_NOTE_NONE;
	if (!has_h) {
		it->sev = lvl;
		return;
	}
	it->sev = h;
	if (h == SENSOR_SEV_CRITICAL && lvl == SENSOR_SEV_NONRECOVERABLE)
		it->sev = lvl;
	if (it->thr_mask != 0)
		it->mismatch = h != (lvl == SENSOR_SEV_NONRECOVERABLE ?
		    SENSOR_SEV_CRITICAL : lvl);
}

static int
rf_status(const struct rfjson_v *doc, const char **state,
    const char **health, char *err, size_t errlen)
{
	const struct rfjson_v *st;

	*state = *health = NULL;
	if (rf_obj(doc, "Status", &st, err, errlen) != 0)
		return -1;
	if (st == NULL)
		return 0;
	if (rf_str(st, "State", state, err, errlen) != 0 ||
	    rf_str(st, "Health", health, err, errlen) != 0) {
		rf_prefix(err, errlen, "Status");
		return -1;
	}
	return 0;
}

/* Sensor.v1 Thresholds, by SDR_THR_* */
static const char *const rf_thr_keys[SDR_THR_N] = {
	"LowerCaution", "LowerCritical", "LowerFatal",
	"UpperCaution", "UpperCritical", "UpperFatal"
};
/* Thermal.v1 / Power.v1 members, by SDR_THR_* */
static const char *const rf_thr_legacy[SDR_THR_N] = {
	"LowerThresholdNonCritical", "LowerThresholdCritical",
	"LowerThresholdFatal", "UpperThresholdNonCritical",
	"UpperThresholdCritical", "UpperThresholdFatal"
};

static int
rf_thresholds(const struct rfjson_v *doc, struct sensors_item *it,
    char *err, size_t errlen)
{
	const struct rfjson_v *thr, *t;
	char what[64];
	double v;
	int k, have;

	if (rf_obj(doc, "Thresholds", &thr, err, errlen) != 0)
		return -1;
	for (k = 0; thr != NULL && k < SDR_THR_N; k++) {
		(void)snprintf(what, sizeof(what), "Thresholds.%s",
		    rf_thr_keys[k]);
		if (rf_obj(thr, rf_thr_keys[k], &t, err, errlen) != 0) {
			rf_prefix(err, errlen, "Thresholds");
			return -1;
		}
		if (t == NULL)
			continue;
		if (rf_num(t, "Reading", &v, &have, err, errlen) != 0) {
			rf_prefix(err, errlen, what);
			return -1;
		}
		if (have) {
			it->thr[k] = v;
			it->thr_mask |= (uint8_t)(1u << k);
		}
	}
	return 0;
}

int
rfmap_sensor(const struct rfjson_v *doc, struct sensors_item *it, char *err,
    size_t errlen)
{
	const char *name = NULL, *id = NULL, *units, *rt, *ctx, *state,
	    *health;
	double v = 0, factor;
	int have;

	(void)rf_str(doc, "Id", &id, err, errlen);
	if (rf_str(doc, "Name", &name, err, errlen) != 0)
		name = NULL;
	rf_item_init(it, name != NULL ? name : id);
	err[0] = '\0';
	if (rf_num(doc, "Reading", &v, &have, err, errlen) != 0 ||
	    rf_str(doc, "ReadingUnits", &units, err, errlen) != 0 ||
	    rf_str(doc, "ReadingType", &rt, err, errlen) != 0 ||
	    rf_str(doc, "PhysicalContext", &ctx, err, errlen) != 0 ||
	    rf_status(doc, &state, &health, err, errlen) != 0 ||
	    rf_thresholds(doc, it, err, errlen) != 0 ||
	    (name == NULL && rfjson_get(doc, "Name") != NULL &&
	    rf_str(doc, "Name", &name, err, errlen) != 0)) {
		rf_item_bad(it);
		return -1;
	}
	if (units == NULL)
		units = rf_type_unit(rt);
	(void)rfmap_unit(units, it, &factor);
	it->sensor_type = rfmap_sensor_type(rt, units, ctx, it->name);
	rf_item_context(it, ctx);
	rf_item_state(it, state, health, have, v, factor, 0);
	return 0;
}

/* one member of a Thermal.v1 / Power.v1 array */
struct rf_legacy {
	const char	*array;		/* "Temperatures" ... */
	const char	*reading;	/* "ReadingCelsius" ... */
	const char	*units;		/* fixed unit, or NULL: ReadingUnits */
	uint8_t		 type;
	int		 thresholds;
};

static int
rf_legacy_member(const struct rfjson_v *m, const struct rf_legacy *l,
    struct sensors_item *it, char *err, size_t errlen)
{
	const char *name = NULL, *units = l->units, *ctx, *state, *health;
	double v = 0, num, factor;
	int have, hnum, k;

	if (rf_str(m, "Name", &name, err, errlen) != 0)
		name = NULL;
	rf_item_init(it, name);
	it->sensor_type = l->type;
	if (rfjson_type(m) != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "expected an object, got %s",
		    rfjson_type_name(rfjson_type(m)));
		rf_item_bad(it);
		return -1;
	}
	if (rf_str(m, "Name", &name, err, errlen) != 0 ||
	    rf_num(m, l->reading, &v, &have, err, errlen) != 0 ||
	    (units == NULL &&
	    rf_str(m, "ReadingUnits", &units, err, errlen) != 0) ||
	    rf_str(m, "PhysicalContext", &ctx, err, errlen) != 0 ||
	    rf_status(m, &state, &health, err, errlen) != 0 ||
	    rf_num(m, "SensorNumber", &num, &hnum, err, errlen) != 0) {
		rf_item_bad(it);
		return -1;
	}
	for (k = 0; l->thresholds && k < SDR_THR_N; k++) {
		double t;
		int ht;

		if (rf_num(m, rf_thr_legacy[k], &t, &ht, err, errlen) != 0) {
			rf_item_bad(it);
			return -1;
		}
		if (ht) {
			it->thr[k] = t;
			it->thr_mask |= (uint8_t)(1u << k);
		}
	}
	if (hnum && num >= 0 && num <= 255 && num == floor(num)) {
		it->number = (uint8_t)num;
		it->missing &= (uint8_t)~SENSORS_NA_NUMBER;
	}
	(void)rfmap_unit(units, it, &factor);
	if (l->type == ST_FAN || l->type == ST_PSU)
		it->entity_id = l->type == ST_FAN ? 0x1d : 0x0a;
	if (it->entity_id != 0)
		it->missing &= (uint8_t)~SENSORS_NA_ENTITY;
	rf_item_context(it, ctx);
	rf_item_state(it, state, health, have, v, factor, l->type == ST_PSU);
	return 0;
}

static size_t
rf_legacy(const struct rfjson_v *doc, const struct rf_legacy *ls, size_t nls,
    struct sensors_item *out, size_t max, char *err, size_t errlen)
{
	const struct rfjson_v *arr;
	char e[256], what[64];
	size_t i, j, n = 0;

	err[0] = '\0';
	for (j = 0; j < nls; j++) {
		arr = rfjson_get(doc, ls[j].array);
		if (rfjson_type(arr) == RFJSON_ABSENT ||
		    rfjson_type(arr) == RFJSON_NULL)
			continue;
		if (rfjson_type(arr) != RFJSON_ARRAY) {
			if (err[0] == '\0')
				(void)snprintf(err, errlen, "%s: expected an "
				    "array, got %s", ls[j].array,
				    rfjson_type_name(rfjson_type(arr)));
			continue;
		}
		for (i = 0; i < rfjson_len(arr) && n < max; i++) {
			if (rf_legacy_member(rfjson_at(arr, i), &ls[j],
			    &out[n], e, sizeof(e)) != 0) {
				if (out[n].name[0] == '\0')
					(void)snprintf(out[n].name,
					    sizeof(out[n].name), "%s[%zu]",
					    ls[j].array, i);
				if (err[0] == '\0') {
					(void)snprintf(what, sizeof(what),
					    "%s[%zu]", ls[j].array, i);
					(void)snprintf(err, errlen, "%s: %s",
					    what, e);
				}
			}
			n++;
		}
	}
	return n;
}

size_t
rfmap_thermal(const struct rfjson_v *doc, struct sensors_item *out,
    size_t max, char *err, size_t errlen)
{
	static const struct rf_legacy ls[] = {
		{ "Temperatures", "ReadingCelsius", "Cel", ST_TEMP, 1 },
		{ "Fans", "Reading", NULL, ST_FAN, 1 },
	};

	return rf_legacy(doc, ls, NELEM(ls), out, max, err, errlen);
}

size_t
rfmap_power(const struct rfjson_v *doc, struct sensors_item *out,
    size_t max, char *err, size_t errlen)
{
	static const struct rf_legacy ls[] = {
		{ "Voltages", "ReadingVolts", "V", ST_VOLT, 1 },
		{ "PowerSupplies", "LastPowerOutputWatts", "W", ST_PSU, 0 },
		{ "PowerControl", "PowerConsumedWatts", "W", ST_PSU, 0 },
	};

	return rf_legacy(doc, ls, NELEM(ls), out, max, err, errlen);
}

/* ---- chassis, watchdog, actions, info ---- */

static int
rf_power_state(const char *s, struct chassis_snapshot *snap, char *err,
    size_t errlen)
{
	static const char *const words[] = {
		"Off", "On", "PoweringOn", "PoweringOff", "Paused"
	};
	int w = rf_word(s, words, NELEM(words));

	if (s == NULL)
		return 0;
	if (w < 0) {
		(void)snprintf(err, errlen, "PowerState: unknown value "
		    "\"%.32s\"", s);
		return -1;
	}
	/* anything but Off has (some) power applied */
	snap->status.power_on = w != 0;
	snap->status_state = CHASSIS_ITEM_OK;
	return 0;
}

/* Boot.BootSourceOverrideTarget to the selector of table 28-14 */
static int
rf_bootdev(const char *t)
{
	static const struct {
		const char	*word;
		uint8_t		 sel;
	} devs[] = {
		{ "None", 0x0 }, { "Pxe", 0x1 }, { "Hdd", 0x2 },
		{ "Diags", 0x4 }, { "Cd", 0x5 }, { "BiosSetup", 0x6 },
		{ "RemoteDrive", 0xb }, { "Usb", 0xf }, { "Floppy", 0xf },
	};
	size_t i;

	for (i = 0; t != NULL && i < NELEM(devs); i++)
		if (strcmp(t, devs[i].word) == 0)
			return devs[i].sel;
	return -1;
}

static int
rf_boot(const struct rfjson_v *sys, struct chassis_snapshot *snap,
    char *err, size_t errlen)
{
	const struct rfjson_v *b;
	const char *en, *tgt, *mode;
	int dev;

	if (rf_obj(sys, "Boot", &b, err, errlen) != 0)
		return -1;
	if (b == NULL)
		return 0;
	if (rf_str(b, "BootSourceOverrideEnabled", &en, err, errlen) != 0 ||
	    rf_str(b, "BootSourceOverrideTarget", &tgt, err, errlen) != 0 ||
	    rf_str(b, "BootSourceOverrideMode", &mode, err, errlen) != 0) {
		rf_prefix(err, errlen, "Boot");
		return -1;
	}
	if ((dev = rf_bootdev(tgt)) < 0)
		return 0;	/* UefiTarget, SDCard ...: no IPMI selector */
	snap->boot_state = CHASSIS_ITEM_OK;
	snap->boot.device = (uint8_t)dev;
	snap->boot.valid = en != NULL && strcmp(en, "Disabled") != 0 &&
	    dev != 0;
	snap->boot.persistent = en != NULL && strcmp(en, "Continuous") == 0;
	snap->boot.efi = mode != NULL && strcmp(mode, "UEFI") == 0;
	return 0;
}

int
rfmap_system_chassis(const struct rfjson_v *sys,
    struct chassis_snapshot *snap, char *err, size_t errlen)
{
	static const char *const restore[] = {
		"AlwaysOff", "LastState", "AlwaysOn"
	};
	const struct rfjson_v *st;
	const char *ps, *h, *led, *pol;
	enum sensor_sev sev;
	int on, w;

	memset(snap, 0, sizeof(*snap));
	snap->status_state = CHASSIS_ITEM_NONE;
	snap->restart_state = CHASSIS_ITEM_UNSUPPORTED;
	snap->poh_state = CHASSIS_ITEM_UNSUPPORTED;
	snap->boot_state = CHASSIS_ITEM_UNSUPPORTED;
	snap->missing = CHASSIS_NA_OVERLOAD | CHASSIS_NA_INTERLOCK |
	    CHASSIS_NA_MAIN_FAULT | CHASSIS_NA_CONTROL_FAULT |
	    CHASSIS_NA_RESTORE | CHASSIS_NA_LAST_EVENT |
	    CHASSIS_NA_INTRUSION | CHASSIS_NA_LOCKOUT |
	    CHASSIS_NA_DRIVE_FAULT | CHASSIS_NA_FAN_FAULT |
	    CHASSIS_NA_IDENTIFY | CHASSIS_NA_BOOT_FLAGS | CHASSIS_NA_RAW;
	snap->status.restore_policy = CHASSIS_RESTORE_UNKNOWN;
	if (sys == NULL)
		return 0;
	if (rfjson_type(sys) != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "expected an object");
		return -1;
	}
	if (rf_str(sys, "PowerState", &ps, err, errlen) != 0 ||
	    rf_power_state(ps, snap, err, errlen) != 0)
		return -1;
	if (rf_obj(sys, "Status", &st, err, errlen) != 0)
		return -1;
	h = NULL;
	if (st != NULL && (rf_str(st, "HealthRollup", &h, err, errlen) != 0 ||
	    (h == NULL && rf_str(st, "Health", &h, err, errlen) != 0))) {
		rf_prefix(err, errlen, "Status");
		return -1;
	}
	if (rfmap_health(h, &sev) == 0) {
		snap->has_health = 1;
		snap->health = (uint8_t)sev;
	}
	if (rfjson_bool(rfjson_get(sys, "LocationIndicatorActive"), &on) ==
	    0) {
		snap->status.identify_supported = 1;
		snap->status.identify_state = on ? CHASSIS_IDENTIFY_ON :
		    CHASSIS_IDENTIFY_OFF;
		snap->missing &= ~(uint32_t)CHASSIS_NA_IDENTIFY;
	} else {
		if (rf_str(sys, "IndicatorLED", &led, err, errlen) != 0)
			return -1;
		if (led != NULL && (strcmp(led, "Lit") == 0 ||
		    strcmp(led, "Blinking") == 0 ||
		    strcmp(led, "Off") == 0)) {
			snap->status.identify_supported = 1;
			snap->status.identify_state = led[0] == 'O' ?
			    CHASSIS_IDENTIFY_OFF : led[0] == 'L' ?
			    CHASSIS_IDENTIFY_ON : CHASSIS_IDENTIFY_TIMED;
			snap->missing &= ~(uint32_t)CHASSIS_NA_IDENTIFY;
		}
	}
	if (rf_str(sys, "PowerRestorePolicy", &pol, err, errlen) != 0)
		return -1;
	if ((w = rf_word(pol, restore, NELEM(restore))) >= 0) {
		/* CHASSIS_RESTORE_ALWAYS_OFF, _PREVIOUS, _ALWAYS_ON */
		snap->status.restore_policy = (uint8_t)w;
		snap->missing &= ~(uint32_t)CHASSIS_NA_RESTORE;
	}
	return rf_boot(sys, snap, err, errlen);
}

int
rfmap_chassis_doc(const struct rfjson_v *ch, struct chassis_snapshot *snap,
    char *err, size_t errlen)
{
	const struct rfjson_v *sec;
	const char *s, *ps;

	if (rfjson_type(ch) != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "expected an object");
		return -1;
	}
	if (snap->status_state != CHASSIS_ITEM_OK) {
		if (rf_str(ch, "PowerState", &ps, err, errlen) != 0 ||
		    rf_power_state(ps, snap, err, errlen) != 0)
			return -1;
	}
	if (rf_obj(ch, "PhysicalSecurity", &sec, err, errlen) != 0)
		return -1;
	if (sec == NULL)
		return 0;
	if (rf_str(sec, "IntrusionSensor", &s, err, errlen) != 0) {
		rf_prefix(err, errlen, "PhysicalSecurity");
		return -1;
	}
	if (s == NULL)
		return 0;
	if (strcmp(s, "Normal") == 0)
		snap->status.intrusion = 0;
	else if (strcmp(s, "HardwareIntrusion") == 0 ||
	    strcmp(s, "TamperingDetected") == 0)
		snap->status.intrusion = 1;
	else {
		(void)snprintf(err, errlen, "PhysicalSecurity.IntrusionSensor: "
		    "unknown value \"%.32s\"", s);
		return -1;
	}
	snap->missing &= ~(uint32_t)CHASSIS_NA_INTRUSION;
	return 0;
}

int
rfmap_system_chassis_link(const struct rfjson_v *sys, char *out,
    size_t outlen)
{
	const struct rfjson_v *links = rfjson_get(sys, "Links");
	const struct rfjson_v *arr = rfjson_get(links, "Chassis");
	const char *id = rfjson_str(rfjson_get(rfjson_at(arr, 0),
	    "@odata.id"));

	return id != NULL && rfmap_path(id, out, outlen) == 0 ? 1 : 0;
}

int
rfmap_watchdog(const struct rfjson_v *sys, struct wdt_timer *t, char *err,
    size_t errlen)
{
	static const char *const timeout[] = {	/* WDT_ACTION_* */
		"None", "ResetSystem", "PowerDown", "PowerCycle"
	};
	static const char *const warning[] = {	/* WDT_PRE_* */
		"None", "SMI", "DiagnosticInterrupt", "MessagingInterrupt"
	};
	const struct rfjson_v *w;
	const char *ta, *wa;
	int on, a, p;

	memset(t, 0, sizeof(*t));
	t->missing = WDT_NA_USE | WDT_NA_LOGGING | WDT_NA_PRETIMEOUT |
	    WDT_NA_EXPIRED | WDT_NA_COUNTDOWN | WDT_NA_RAW;
	if (rf_obj(sys, "HostWatchdogTimer", &w, err, errlen) != 0)
		return -1;
	if (w == NULL)
		return 1;
	if (rfjson_bool(rfjson_get(w, "FunctionEnabled"), &on) != 0) {
		(void)snprintf(err, errlen, "HostWatchdogTimer.FunctionEnabled:"
		    " expected a boolean, got %s", rfjson_type_name(
		    rfjson_type(rfjson_get(w, "FunctionEnabled"))));
		return -1;
	}
	if (rf_str(w, "TimeoutAction", &ta, err, errlen) != 0 ||
	    rf_str(w, "WarningAction", &wa, err, errlen) != 0) {
		rf_prefix(err, errlen, "HostWatchdogTimer");
		return -1;
	}
	a = ta != NULL ? rf_word(ta, timeout, NELEM(timeout)) : 0;
	p = wa != NULL ? rf_word(wa, warning, NELEM(warning)) : 0;
	if (a < 0 || p < 0) {
		(void)snprintf(err, errlen, "HostWatchdogTimer.%s: value "
		    "\"%.32s\" has no IPMI equivalent", a < 0 ?
		    "TimeoutAction" : "WarningAction", a < 0 ? ta : wa);
		return -1;
	}
	t->running = (uint8_t)on;
	t->action = (uint8_t)a;
	t->pre_int = (uint8_t)p;
	return 0;
}

int
rfmap_reset_action(const struct rfjson_v *sys, char *target, size_t tlen,
    char *allowed, size_t alen, char *err, size_t errlen)
{
	const struct rfjson_v *acts, *r, *arr;
	const char *t, *v;
	size_t i, o = 0;

	target[0] = allowed[0] = '\0';
	if (rf_obj(sys, "Actions", &acts, err, errlen) != 0)
		return -1;
	if (acts == NULL || rf_obj(acts, "#ComputerSystem.Reset", &r, err,
	    errlen) != 0 || r == NULL)
		return acts == NULL || r == NULL ? 1 : -1;
	if (rf_str(r, "target", &t, err, errlen) != 0 || t == NULL ||
	    rfmap_path(t, target, tlen) != 0) {
		(void)snprintf(err, errlen, "Actions.#ComputerSystem.Reset."
		    "target: %s", t == NULL ? "absent" :
		    "not a path we follow");
		return -1;
	}
	arr = rfjson_get(r, "ResetType@Redfish.AllowableValues");
	for (i = 0; i < rfjson_len(arr) && rfjson_type(arr) == RFJSON_ARRAY;
	    i++) {
		if ((v = rfjson_str(rfjson_at(arr, i))) == NULL)
			continue;
		if (o + strlen(v) + 3 >= alen)
			break;
		o += (size_t)snprintf(allowed + o, alen - o, "%s%s",
		    o ? ", " : "", v);
	}
	return 0;
}

int
rfmap_reset_allowed(const char *allowed, const char *type)
{
	size_t n = strlen(type);
	const char *p = allowed;

	if (allowed[0] == '\0')
		return 1;
	while (*p != '\0') {
		if (strncmp(p, type, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) == NULL)
			break;
		p += 2;
	}
	return 0;
}

void
rfmap_info(const struct rfjson_v *mgr, const struct rfjson_v *sys,
    struct redfish_info *in)
{
	if (mgr != NULL) {
		rf_copy(in->manager_id, sizeof(in->manager_id),
		    rfjson_str(rfjson_get(mgr, "Id")));
		rf_copy(in->manager_type, sizeof(in->manager_type),
		    rfjson_str(rfjson_get(mgr, "ManagerType")));
		rf_copy(in->manager_model, sizeof(in->manager_model),
		    rfjson_str(rfjson_get(mgr, "Model")));
		rf_copy(in->manager_firmware, sizeof(in->manager_firmware),
		    rfjson_str(rfjson_get(mgr, "FirmwareVersion")));
		rf_copy(in->manager_uuid, sizeof(in->manager_uuid),
		    rfjson_str(rfjson_get(mgr, "UUID")));
	}
	if (sys != NULL) {
		rf_copy(in->system_id, sizeof(in->system_id),
		    rfjson_str(rfjson_get(sys, "Id")));
		rf_copy(in->system_manufacturer,
		    sizeof(in->system_manufacturer),
		    rfjson_str(rfjson_get(sys, "Manufacturer")));
		rf_copy(in->system_model, sizeof(in->system_model),
		    rfjson_str(rfjson_get(sys, "Model")));
		rf_copy(in->system_serial, sizeof(in->system_serial),
		    rfjson_str(rfjson_get(sys, "SerialNumber")));
		rf_copy(in->system_uuid, sizeof(in->system_uuid),
		    rfjson_str(rfjson_get(sys, "UUID")));
		rf_copy(in->bios_version, sizeof(in->bios_version),
		    rfjson_str(rfjson_get(sys, "BiosVersion")));
	}
}

void
rfmap_error_text(const struct rfjson_v *doc, char *out, size_t len)
{
	const struct rfjson_v *e = rfjson_get(doc, "error");
	const char *m = rfjson_str(rfjson_get(rfjson_at(rfjson_get(e,
	    "@Message.ExtendedInfo"), 0), "Message"));

	if (m == NULL)
		m = rfjson_str(rfjson_get(e, "message"));
	rf_copy(out, len, m);
}

/* ---- logs ---- */

int
rfmap_log_service(const struct rfjson_v *doc, struct redfish_log_service *s,
    char *err, size_t errlen)
{
	const struct rfjson_v *acts, *cl;
	const char *id, *name, *pol, *self, *t;
	double max;
	int have;

	memset(s, 0, sizeof(*s));
	s->max_records = -1;
	if (rfjson_type(doc) != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "expected an object");
		return -1;
	}
	if (rf_str(doc, "@odata.id", &self, err, errlen) != 0 ||
	    rf_str(doc, "Id", &id, err, errlen) != 0 ||
	    rf_str(doc, "Name", &name, err, errlen) != 0 ||
	    rf_str(doc, "OverWritePolicy", &pol, err, errlen) != 0 ||
	    rf_num(doc, "MaxNumberOfRecords", &max, &have, err, errlen) != 0)
		return -1;
	if (self == NULL || rfmap_path(self, s->path, sizeof(s->path)) != 0) {
		(void)snprintf(err, errlen, "@odata.id: %s", self == NULL ?
		    "absent" : "not a path we follow");
		return -1;
	}
	rf_copy(s->id, sizeof(s->id), id);
	rf_copy(s->name, sizeof(s->name), name);
	rf_copy(s->overwrite, sizeof(s->overwrite), pol);
	s->wraps = pol != NULL && strcmp(pol, "WrapsWhenFull") == 0;
	if (have && max >= 0 && max < 1e9)
		s->max_records = (long)max;
	if (rfjson_get(doc, "Entries") != NULL &&
	    rfmap_link(doc, "Entries", s->entries, sizeof(s->entries), err,
	    errlen) != 0)
		return -1;
	if (rf_obj(doc, "Actions", &acts, err, errlen) != 0)
		return -1;
	if (acts == NULL)
		return 0;
	if (rf_obj(acts, "#LogService.ClearLog", &cl, err, errlen) != 0) {
		rf_prefix(err, errlen, "Actions");
		return -1;
	}
	if (cl == NULL)
		return 0;
	if (rf_str(cl, "target", &t, err, errlen) != 0 || t == NULL ||
	    rfmap_path(t, s->clear_target, sizeof(s->clear_target)) != 0) {
		(void)snprintf(err, errlen, "Actions.#LogService.ClearLog."
		    "target: %s", t == NULL ? "absent" :
		    "not a path we follow");
		s->clear_target[0] = '\0';
		return -1;
	}
	return 0;
}

static int64_t
rf_days(int64_t y, unsigned m, unsigned d)
{
	/* days since 1970-01-01 of a proleptic Gregorian date */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n decimal digits at *p into *v */
static int
rf_digits(const char **p, int n, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + (unsigned)((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

int
rfmap_time(const char *s, int64_t *out)
{
	static const unsigned mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
	const char *p = s;
	int sign = 0;

	if (s == NULL || rf_digits(&p, 4, &y) != 0 || *p++ != '-' ||
	    rf_digits(&p, 2, &mo) != 0 || *p++ != '-' ||
	    rf_digits(&p, 2, &d) != 0 || (*p != 'T' && *p != 't' &&
	    *p != ' '))
		return -1;
	p++;
	if (rf_digits(&p, 2, &h) != 0 || *p++ != ':' ||
	    rf_digits(&p, 2, &mi) != 0 || *p++ != ':' ||
	    rf_digits(&p, 2, &sec) != 0)
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (rf_digits(&p, 2, &oh) != 0 || *p++ != ':' ||
		    rf_digits(&p, 2, &om) != 0 || oh > 23 || om > 59)
			return -1;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	*out = rf_days(y, mo, d) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + sec -
	    sign * (int64_t)(oh * 3600 + om * 60);
	return 0;
}

/* an all-digit Id (at most 18 digits) as a number, or -1 */
static int64_t
rf_id_num(const char *id)
{
	int64_t v = 0;
	size_t i;

	if (id == NULL || id[0] == '\0' || strlen(id) > 18)
		return -1;
	for (i = 0; id[i] != '\0'; i++) {
		if (!isdigit((unsigned char)id[i]))
			return -1;
		v = v * 10 + (id[i] - '0');
	}
	return v;
}

int
rfmap_entry_cmp(int has_a, int64_t a, const char *ida, int has_b, int64_t b,
    const char *idb)
{
	int64_t na, nb;

	if (has_a != has_b)
		return has_a ? 1 : -1;
	if (has_a && a != b)
		return a < b ? -1 : 1;
	na = rf_id_num(ida);
	nb = rf_id_num(idb);
	if (na >= 0 && nb >= 0)
		return na < nb ? -1 : na > nb;
	return strcmp(ida != NULL ? ida : "", idb != NULL ? idb : "");
}

/* LogEntry.v1 SensorType names, in the order of table 42-3 from 01h */
static const char *const rf_log_types[] = {
	"Temperature", "Voltage", "Current", "Fan",
	"Physical Chassis Security", "Platform Security Violation Attempt",
	"Processor", "Power Supply / Converter", "PowerUnit",
	"CoolingDevice", "Other Units-based Sensor", "Memory",
	"Drive Slot/Bay", "POST Memory Resize", "System Firmware Progress",
	"Event Logging Disabled", NULL /* 11h Watchdog 1 */, "System Event",
	"Critical Interrupt", "Button/Switch", "Module/Board",
	"Microcontroller/Coprocessor", "Add-in Card", "Chassis", "ChipSet",
	"Other FRU", "Cable/Interconnect", "Terminator",
	"SystemBoot/Restart", "Boot Error", "BaseOSBoot/InstallationStatus",
	"OS Stop/Shutdown", "Slot/Connector", "System ACPI PowerState",
	"Watchdog", "Platform Alert", "Entity Presence", "Monitor ASIC/IC",
	"LAN", "Management Subsystem Health", "Battery", "Session Audit",
	"Version Change", "FRUState",
};

int
rfmap_log_sensor_type(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < NELEM(rf_log_types); i++)
		if (rf_log_types[i] != NULL && strcmp(s, rf_log_types[i]) == 0)
			return (int)i + 1;
	return -1;
}

/* LogEntry.v1 EntryCode to event/reading type and offset (tables 42-1,
 * 42-2); "Assert"/"Deassert" say only the direction of a
 * sensor-specific event */
static const struct {
	const char	*code;
	uint8_t		 type;
	uint8_t		 offset;
} rf_codes[] = {
	{ "Lower Non-critical - going low", 0x01, 0x0 },
	{ "Lower Non-critical - going high", 0x01, 0x1 },
	{ "Lower Critical - going low", 0x01, 0x2 },
	{ "Lower Critical - going high", 0x01, 0x3 },
	{ "Lower Non-recoverable - going low", 0x01, 0x4 },
	{ "Lower Non-recoverable - going high", 0x01, 0x5 },
	{ "Upper Non-critical - going low", 0x01, 0x6 },
	{ "Upper Non-critical - going high", 0x01, 0x7 },
	{ "Upper Critical - going low", 0x01, 0x8 },
	{ "Upper Critical - going high", 0x01, 0x9 },
	{ "Upper Non-recoverable - going low", 0x01, 0xa },
	{ "Upper Non-recoverable - going high", 0x01, 0xb },
	{ "Transition to Idle", 0x02, 0x0 },
	{ "Transition to Active", 0x02, 0x1 },
	{ "Transition to Busy", 0x02, 0x2 },
	{ "State Deasserted", 0x03, 0x0 },
	{ "State Asserted", 0x03, 0x1 },
	{ "Predictive Failure deasserted", 0x04, 0x0 },
	{ "Predictive Failure asserted", 0x04, 0x1 },
	{ "Limit Not Exceeded", 0x05, 0x0 },
	{ "Limit Exceeded", 0x05, 0x1 },
	{ "Performance Met", 0x06, 0x0 },
	{ "Performance Lags", 0x06, 0x1 },
	{ "Transition to OK", 0x07, 0x0 },
	{ "Transition to Non-Critical from OK", 0x07, 0x1 },
	{ "Transition to Critical from less severe", 0x07, 0x2 },
	{ "Transition to Non-recoverable from less severe", 0x07, 0x3 },
	{ "Transition to Non-Critical from more severe", 0x07, 0x4 },
	{ "Transition to Critical from Non-recoverable", 0x07, 0x5 },
	{ "Transition to Non-recoverable", 0x07, 0x6 },
	{ "Monitor", 0x07, 0x7 },
	{ "Informational", 0x07, 0x8 },
	{ "Device Removed / Device Absent", 0x08, 0x0 },
	{ "Device Inserted / Device Present", 0x08, 0x1 },
	{ "Device Disabled", 0x09, 0x0 },
	{ "Device Enabled", 0x09, 0x1 },
	{ "Transition to Running", 0x0a, 0x0 },
	{ "Transition to In Test", 0x0a, 0x1 },
	{ "Transition to Power Off", 0x0a, 0x2 },
	{ "Transition to On Line", 0x0a, 0x3 },
	{ "Transition to Off Line", 0x0a, 0x4 },
	{ "Transition to Off Duty", 0x0a, 0x5 },
	{ "Transition to Degraded", 0x0a, 0x6 },
	{ "Transition to Power Save", 0x0a, 0x7 },
	{ "Install Error", 0x0a, 0x8 },
	{ "Fully Redundant", 0x0b, 0x0 },
	{ "Redundancy Lost", 0x0b, 0x1 },
	{ "Redundancy Degraded", 0x0b, 0x2 },
	{ "Non-redundant:Sufficient Resources from Redundant", 0x0b, 0x3 },
	{ "Non-redundant:Sufficient Resources from Insufficient Resources",
	    0x0b, 0x4 },
	{ "Non-redundant:Insufficient Resources", 0x0b, 0x5 },
	{ "Redundancy Degraded from Fully Redundant", 0x0b, 0x6 },
	{ "Redundancy Degraded from Non-redundant", 0x0b, 0x7 },
	{ "D0 Power State", 0x0c, 0x0 },
	{ "D1 Power State", 0x0c, 0x1 },
	{ "D2 Power State", 0x0c, 0x2 },
	{ "D3 Power State", 0x0c, 0x3 },
	{ "Assert", 0x6f, 0x0 },
	{ "Deassert", 0xef, 0x0 },	/* 80h: the deassertion bit */
};

/* "0xNNaabbcc" (MessageId of a SEL entry): 1 with the 4 bytes */
static int
rf_sel_message_id(const char *s, uint8_t b[4])
{
	unsigned i, v;

	if (s == NULL || (strncmp(s, "0x", 2) != 0 &&
	    strncmp(s, "0X", 2) != 0) || strlen(s) != 10)
		return 0;
	for (i = 0; i < 8; i++)
		if (!isxdigit((unsigned char)s[2 + i]))
			return 0;
	for (i = 0; i < 4; i++) {
		char two[3] = { s[2 + 2 * i], s[3 + 2 * i], '\0' };

		v = (unsigned)strtoul(two, NULL, 16);
		b[i] = (uint8_t)v;
	}
	return 1;
}

/* "0x0020" (GeneratorId) as a number, -1 if not one */
static long
rf_hex16(const char *s)
{
	char *end;
	unsigned long v;

	if (s == NULL || (strncmp(s, "0x", 2) != 0 &&
	    strncmp(s, "0X", 2) != 0) || !isxdigit((unsigned char)s[2]))
		return -1;
	v = strtoul(s + 2, &end, 16);
	return *end == '\0' && v <= 0xffff ? (long)v : -1;
}

static const struct sel_names rf_sel_names = {
	evtext_sensor_type, evtext_offset, NULL, NULL, NULL, NULL
};

static enum sel_sev
rf_log_sev(const char *s, enum sel_sev dflt)
{
	if (s == NULL)
		return dflt;
	if (strcmp(s, "Critical") == 0)
		return SEL_SEV_CRITICAL;
	if (strcmp(s, "Warning") == 0)
		return SEL_SEV_WARNING;
	if (strcmp(s, "OK") == 0)
		return SEL_SEV_INFO;
	return dflt;
}

int
rfmap_log_entry(const struct rfjson_v *doc, struct redfish_log_entry *e,
    char *err, size_t errlen)
{
	const char *id, *created, *type, *sev, *msg, *mid, *stype, *code,
	    *gen;
	uint8_t raw[SEL_RECORD_LEN], ev[4] = { 0, 0xff, 0xff, 0xff };
	struct wbuf wb;
	double num;
	int64_t nid, ts;
	int hnum, st;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (rfjson_type(doc) != RFJSON_OBJECT) {
		(void)snprintf(err, errlen, "expected an object, got %s",
		    rfjson_type_name(rfjson_type(doc)));
		return -1;
	}
	if (rf_str(doc, "Id", &id, err, errlen) != 0 ||
	    rf_str(doc, "Created", &created, err, errlen) != 0 ||
	    rf_str(doc, "EntryType", &type, err, errlen) != 0 ||
	    rf_str(doc, "Severity", &sev, err, errlen) != 0 ||
	    rf_str(doc, "Message", &msg, err, errlen) != 0 ||
	    rf_str(doc, "MessageId", &mid, err, errlen) != 0 ||
	    rf_str(doc, "SensorType", &stype, err, errlen) != 0 ||
	    rf_str(doc, "EntryCode", &code, err, errlen) != 0 ||
	    rf_str(doc, "GeneratorId", &gen, err, errlen) != 0 ||
	    rf_num(doc, "SensorNumber", &num, &hnum, err, errlen) != 0)
		return -1;
	if (id == NULL || id[0] == '\0') {
		(void)snprintf(err, errlen, "Id: absent");
		return -1;
	}
	rf_copy(e->id, sizeof(e->id), id);
	rf_copy(e->created, sizeof(e->created), created);
	if (created != NULL && rfmap_time(created, &ts) == 0) {
		e->has_created = 1;
		e->created_s = ts;
	}
	rf_copy(e->severity, sizeof(e->severity), sev);
	rf_copy(e->message_id, sizeof(e->message_id), mid);
	rf_copy(e->message, sizeof(e->message), msg);
	e->is_sel = type != NULL && strcmp(type, "SEL") == 0;

	/* the 16 bytes of the record this entry stands for, section 32.1 */
	nid = rf_id_num(id);
	wb_init(&wb, raw, sizeof(raw));
	wr_le16(&wb, nid > 0 && nid < 0xffff ? (uint16_t)nid : 0);
	wr_u8(&wb, e->is_sel ? SEL_TYPE_SYSTEM : SEL_TYPE_OEM_TS_MIN);
	wr_le32(&wb, e->has_created && e->created_s >= 0 &&
	    e->created_s < (int64_t)SEL_TS_UNSPECIFIED ?
	    (uint32_t)e->created_s : SEL_TS_UNSPECIFIED);
	if (e->is_sel) {
		long g = rf_hex16(gen);

		st = rfmap_log_sensor_type(stype);
		if (!rf_sel_message_id(mid, ev)) {
			for (i = 0; code != NULL && i < NELEM(rf_codes); i++)
				if (strcmp(code, rf_codes[i].code) == 0) {
					ev[0] = rf_codes[i].type;
					ev[1] = rf_codes[i].offset;
					break;
				}
			/* event data 2 and 3 unspecified (ED1 [7:4] 0) */
		}
		wr_le16(&wb, g >= 0 ? (uint16_t)g : 0x0020);
		wr_u8(&wb, 0x04);	/* EvM Rev, IPMI 2.0 */
		wr_u8(&wb, st > 0 ? (uint8_t)st : 0);
		wr_u8(&wb, hnum && num >= 0 && num <= 255 ? (uint8_t)num : 0);
		wr_bytes(&wb, ev, 4);
	} else
		wr_fill(&wb, 0, 9);	/* manufacturer 0, no OEM bytes */
	if (wb.err || sel_rec_decode(raw, sizeof(raw), &e->rec) != IPMI_OK) {
		(void)snprintf(err, errlen, "cannot build the record");
		return -1;
	}
	if (e->is_sel) {
		sel_describe(&e->rec, &rf_sel_names, &e->desc);
		e->desc.sev = rf_log_sev(sev, e->desc.sev);
	} else {
		memset(&e->desc, 0, sizeof(e->desc));
		rf_copy(e->desc.event, sizeof(e->desc.event),
		    msg != NULL ? msg : mid != NULL ? mid : "");
		rf_copy(e->desc.type_name, sizeof(e->desc.type_name), stype);
		e->desc.sev = rf_log_sev(sev, SEL_SEV_INFO);
	}
	return 0;
}
