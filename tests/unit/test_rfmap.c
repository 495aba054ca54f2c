/*
 * The Redfish mapping (agent/http/rfmap.c) and JSON reading
 * (agent/http/rfjson.c), pure: documents written here, each a case the
 * schema allows or a BMC gets wrong.  The whole mockup is the business
 * of tests/redfish/ (against a server); these pin the rules: threshold
 * names, Health against the thresholds, units and their factors, SEL
 * codes from MessageId and EntryCode, times, paths, base URLs, bounds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "redfish.h"
#include "rfjson.h"
#include "rfmap.h"

static struct rfjson *
parse(const char *s)
{
	struct rfjson *d = NULL;
	char err[512];

	if (rfjson_parse(s, strlen(s), &d, err, sizeof(err)) != 0) {
		printf("# parse: %s\n", err);
		return NULL;
	}
	return d;
}

static void
test_parse_errors(void)
{
	struct rfjson *d;
	char err[512], *big, deep[200];
	size_t i;

	CHECK(rfjson_parse("{\"a\": }", 7, &d, err, sizeof(err)) == -1);
	CHECK(strstr(err, "malformed JSON: line 1, column") != NULL);
	CHECK(rfjson_parse("[1, 2]", 6, &d, err, sizeof(err)) == -1);
	CHECK_STR(err, "not a JSON object but an array");
	CHECK(rfjson_parse("{\"a\": 1, \"a\": 2}", 16, &d, err,
	    sizeof(err)) == -1);
	CHECK(rfjson_parse("{\"a\": \"x\\u0000y\"}", 17, &d, err,
	    sizeof(err)) == -1);
	CHECK(rfjson_parse("{} trailing", 11, &d, err, sizeof(err)) == -1);
	/* 33 levels: refused before jansson sees it, with the place */
	for (i = 0; i < 33; i++)
		deep[i] = i == 0 ? '{' : '[';
	deep[33] = '\0';
	CHECK(rfjson_parse(deep, 33, &d, err, sizeof(err)) == -1);
	CHECK_STR(err, "nested deeper than 32 levels (line 1, column 33)");
	/* brackets inside strings are not nesting */
	d = parse("{\"s\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}");
	CHECK(d != NULL);
	rfjson_free(d);
	big = malloc(RFJSON_BODY_MAX + 2);
	memset(big, ' ', RFJSON_BODY_MAX + 1);
	big[0] = '{';
	big[(size_t)RFJSON_BODY_MAX] = '}';
	CHECK(rfjson_parse(big, RFJSON_BODY_MAX + 1, &d, err,
	    sizeof(err)) == -1);
	CHECK(strstr(err, "over the 4 MiB limit") != NULL);
	CHECK(rfjson_parse(big, (size_t)RFJSON_BODY_MAX, &d, err,
	    sizeof(err)) == -1);
	big[RFJSON_BODY_MAX - 1] = '}';
	CHECK(rfjson_parse(big, (size_t)RFJSON_BODY_MAX, &d, err,
	    sizeof(err)) == 0);
	rfjson_free(d);
	free(big);
}

static void
test_accessors(void)
{
	struct rfjson *d = parse("{\"n\": 5, \"big\": 123456789012345678901234,"
	    " \"s\": \"x\", \"b\": true, \"a\": [1, \"two\"], \"z\": null}");
	const struct rfjson_v *r = rfjson_root(d);
	double v;
	int b;

	CHECK(rfjson_num(rfjson_get(r, "n"), &v) == 0 && v == 5);
	CHECK(rfjson_num(rfjson_get(r, "big"), &v) == 0 && v > 1e23);
	CHECK(rfjson_num(rfjson_get(r, "s"), &v) == -1);
	CHECK_STR(rfjson_str(rfjson_get(r, "s")), "x");
	CHECK(rfjson_str(rfjson_get(r, "n")) == NULL);
	CHECK(rfjson_bool(rfjson_get(r, "b"), &b) == 0 && b == 1);
	CHECK_EQ(rfjson_len(rfjson_get(r, "a")), 2);
	CHECK(rfjson_at(rfjson_get(r, "a"), 2) == NULL);
	CHECK(rfjson_type(rfjson_get(r, "z")) == RFJSON_NULL);
	CHECK(rfjson_type(rfjson_get(r, "missing")) == RFJSON_ABSENT);
	CHECK(rfjson_get(rfjson_get(r, "n"), "x") == NULL);
	rfjson_free(d);
}

static void
test_sensor_thresholds(void)
{
	struct rfjson *d = parse("{\"Id\": \"T\", \"Name\": \"Inlet\", "
	    "\"Reading\": 96.5, \"ReadingUnits\": \"Cel\", "
	    "\"PhysicalContext\": \"Intake\", \"Status\": {\"State\": "
	    "\"Enabled\"}, \"Thresholds\": {\"LowerCaution\": {\"Reading\": 5},"
	    " \"LowerCritical\": {\"Reading\": 2}, \"LowerFatal\": {\"Reading\":"
	    " 0}, \"UpperCaution\": {\"Reading\": 80}, \"UpperCritical\": "
	    "{\"Reading\": 90}, \"UpperFatal\": {\"Reading\": 95.25}, "
	    "\"UpperCautionUser\": {\"Reading\": 1}}}");
	struct sensors_item it;
	char err[256], unit[64];

	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK_STR(it.name, "Inlet");
	CHECK(it.rec == NULL && it.threshold && it.analog && it.have_value);
	CHECK_EQ(it.thr_mask, 0x3f);
	CHECK(it.thr[SDR_THR_LNC] == 5 && it.thr[SDR_THR_LC] == 2 &&
	    it.thr[SDR_THR_LNR] == 0 && it.thr[SDR_THR_UNC] == 80 &&
	    it.thr[SDR_THR_UC] == 90 && it.thr[SDR_THR_UNR] == 95.25);
	/* no Health: the thresholds decide; Fatal = non-recoverable */
	CHECK_EQ(it.sev, SENSOR_SEV_NONRECOVERABLE);
	CHECK_EQ(it.decimals, 2);
	CHECK_EQ(it.sensor_type, 0x01);
	CHECK_EQ(it.entity_id, 0x37);
	CHECK(!(it.missing & SENSORS_NA_ENTITY));
	CHECK(it.missing & SENSORS_NA_NUMBER);
	sensors_unit(&it, unit, sizeof(unit));
	CHECK_STR(unit, "degrees C");
	rfjson_free(d);
}

static void
test_sensor_health(void)
{
	struct sensors_item it;
	struct rfjson *d;
	char err[256];

	/* Health is the service's word: OK below a crossed Caution is
	 * kept, and flagged as a mismatch */
	d = parse("{\"Name\": \"V\", \"Reading\": 13, \"ReadingType\": "
	    "\"Voltage\", \"Status\": {\"Health\": \"OK\"}, \"Thresholds\": "
	    "{\"UpperCaution\": {\"Reading\": 12.5}}}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK_EQ(it.sev, SENSOR_SEV_OK);
	CHECK(it.mismatch);
	CHECK_EQ(it.sensor_type, 0x02);
	rfjson_free(d);
	/* Critical past a Fatal threshold: non-recoverable */
	d = parse("{\"Name\": \"V\", \"Reading\": 16, \"ReadingUnits\": \"V\", "
	    "\"Status\": {\"Health\": \"Critical\"}, \"Thresholds\": "
	    "{\"UpperFatal\": {\"Reading\": 15}}}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK_EQ(it.sev, SENSOR_SEV_NONRECOVERABLE);
	CHECK(!it.mismatch);
	rfjson_free(d);
	/* Absent: no reading, unit and thresholds still known */
	d = parse("{\"Name\": \"PS2\", \"ReadingType\": \"Frequency\", "
	    "\"Status\": {\"State\": \"Absent\"}}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK_EQ(it.note, SENSORS_NOTE_ABSENT);
	CHECK_EQ(it.sev, SENSOR_SEV_UNAVAILABLE);
	CHECK(!it.have_value && it.analog && it.unit_base == 19);
	rfjson_free(d);
	/* a wrong type: marked, named, never a value */
	d = parse("{\"Name\": \"T\", \"Reading\": \"37 C\"}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == -1);
	CHECK_STR(err, "Reading: expected a number, got a string");
	CHECK_EQ(it.note, SENSORS_NOTE_MALFORMED);
	CHECK_STR(it.name, "T");
	CHECK(!it.have_value);
	rfjson_free(d);
	d = parse("{\"Name\": \"T\", \"Reading\": 1, \"Thresholds\": "
	    "{\"UpperFatal\": {\"Reading\": true}}}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == -1);
	CHECK_STR(err, "Thresholds.UpperFatal: Reading: expected a number, "
	    "got a boolean");
	rfjson_free(d);
	d = parse("{\"Name\": \"T\", \"Status\": \"OK\"}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == -1);
	CHECK_STR(err, "Status: expected an object, got a string");
	rfjson_free(d);
}

static void
test_units(void)
{
	struct sensors_item it;
	struct rfjson *d;
	char err[256], unit[64];
	double f;

	memset(&it, 0, sizeof(it));
	it.threshold = it.analog = 1;
	CHECK(rfmap_unit("kW.h", &it, &f) == 0 && f == 1000);
	sensors_unit(&it, unit, sizeof(unit));
	CHECK_STR(unit, "Watts*hour");
	CHECK(rfmap_unit("L/min", &it, &f) == 0 && f == 1);
	sensors_unit(&it, unit, sizeof(unit));
	CHECK_STR(unit, "liters per minute");
	CHECK(rfmap_unit("%", &it, &f) == 0);
	sensors_unit(&it, unit, sizeof(unit));
	CHECK_STR(unit, "% unspecified");
	CHECK(rfmap_unit("mV", &it, &f) == 0 && f == 0.001);
	CHECK(rfmap_unit("furlong", &it, &f) == -1 && f == 1 &&
	    it.unit_base == 0);
	/* factors apply to the thresholds, decimals follow */
	d = parse("{\"Name\": \"E\", \"Reading\": 7.855, \"ReadingUnits\": "
	    "\"kW.h\", \"Thresholds\": {\"UpperCaution\": {\"Reading\": 9}}}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK(fabs(it.value - 7855) < 1e-9 && it.thr[SDR_THR_UNC] == 9000);
	CHECK_EQ(it.decimals, 0);
	rfjson_free(d);
	/* a reading a double cannot hold once scaled is no reading */
	d = parse("{\"Name\": \"E\", \"Reading\": 1e306, \"ReadingUnits\": "
	    "\"kW\"}");
	CHECK(rfmap_sensor(rfjson_root(d), &it, err, sizeof(err)) == 0);
	CHECK(!it.have_value && it.note == SENSORS_NOTE_MALFORMED);
	rfjson_free(d);
	CHECK_EQ(rfmap_sensor_type("Percent", "%", "CPU", "CPU #1 Fan Speed"),
	    0x04);
	CHECK_EQ(rfmap_sensor_type("Percent", "%", "Battery", "Health"), 0x29);
	CHECK_EQ(rfmap_sensor_type(NULL, "Cel", NULL, NULL), 0x01);
	CHECK_EQ(rfmap_sensor_type(NULL, "A", NULL, NULL), 0x03);
	CHECK_EQ(rfmap_sensor_type("Power", "W", NULL, NULL), 0x08);
	CHECK_EQ(rfmap_sensor_type("EnergykWh", "kW.h", NULL, NULL), 0x0b);
	CHECK_EQ(rfmap_sensor_type("Rotational", "RPM", NULL, NULL), 0x04);
}

static void
test_legacy(void)
{
	struct rfjson *d = parse("{\"Temperatures\": [{\"Name\": \"CPU1\", "
	    "\"SensorNumber\": 5, \"ReadingCelsius\": 41, "
	    "\"UpperThresholdNonCritical\": 42, \"UpperThresholdFatal\": 48, "
	    "\"Status\": {\"State\": \"Enabled\", \"Health\": \"OK\"}}, 7], "
	    "\"Fans\": [{\"Name\": \"F\", \"Reading\": 2100, \"ReadingUnits\": "
	    "\"RPM\", \"LowerThresholdFatal\": 0}]}");
	struct rfjson *p = parse("{\"PowerSupplies\": [{\"Name\": \"PSU\", "
	    "\"Status\": {\"State\": \"Enabled\", \"Health\": \"Warning\"}}], "
	    "\"Voltages\": {\"Name\": \"x\"}}");
	struct sensors_item it[8];
	char err[256], unit[64];

	CHECK_EQ(rfmap_thermal(rfjson_root(d), it, 8, err, sizeof(err)), 3);
	CHECK_STR(err, "Temperatures[1]: expected an object, got a number");
	CHECK_STR(it[0].name, "CPU1");
	CHECK(it[0].number == 5 && !(it[0].missing & SENSORS_NA_NUMBER));
	CHECK(it[0].thr_mask == ((1u << SDR_THR_UNC) | (1u << SDR_THR_UNR)));
	CHECK_STR(it[1].name, "Temperatures[1]");
	CHECK_EQ(it[1].note, SENSORS_NOTE_MALFORMED);
	CHECK_EQ(it[2].sensor_type, 0x04);
	sensors_unit(&it[2], unit, sizeof(unit));
	CHECK_STR(unit, "RPM");
	/* a supply without a wattage: its Health as a discrete state */
	CHECK_EQ(rfmap_power(rfjson_root(p), it, 8, err, sizeof(err)), 1);
	CHECK_STR(err, "Voltages: expected an array, got an object");
	CHECK(!it[0].threshold && !it[0].analog &&
	    it[0].sev == SENSOR_SEV_WARNING && it[0].note == SENSORS_NOTE_NONE);
	rfjson_free(d);
	rfjson_free(p);
}

static void
test_time(void)
{
	int64_t t;

	CHECK(rfmap_time("1970-01-01T00:00:00Z", &t) == 0 && t == 0);
	CHECK(rfmap_time("2012-03-07T14:44:00Z", &t) == 0 &&
	    t == 1331131440);
	CHECK(rfmap_time("2015-03-13T04:14:33+06:00", &t) == 0 &&
	    t == 1426198473);
	CHECK(rfmap_time("2015-03-12T22:14:33.123-00:00", &t) == 0 &&
	    t == 1426198473);
	CHECK(rfmap_time("2024-02-29T12:00:00", &t) == 0);
	CHECK(rfmap_time("2023-02-29T12:00:00Z", &t) == 0); /* not checked */
	CHECK(rfmap_time("2024-13-01T00:00:00Z", &t) == -1);
	CHECK(rfmap_time("2024-01-01", &t) == -1);
	CHECK(rfmap_time("2024-01-01T00:00:00+5", &t) == -1);
	CHECK(rfmap_time("2024-01-01T00:00:00Zjunk", &t) == -1);
	CHECK(rfmap_time("", &t) == -1);
	CHECK(rfmap_entry_cmp(1, 5, "9", 1, 5, "10") < 0);
	CHECK(rfmap_entry_cmp(1, 6, "1", 1, 5, "10") > 0);
	CHECK(rfmap_entry_cmp(0, 0, "99", 1, 0, "1") < 0);
	CHECK(rfmap_entry_cmp(1, 5, "a", 1, 5, "b") < 0);
	CHECK(rfmap_entry_cmp(1, 5, "7", 1, 5, "7") == 0);
}

static void
test_log_entries(void)
{
	struct redfish_log_entry e;
	struct rfjson *d;
	char err[256];

	/* MessageId 0xNNaabbcc: dir/type, event data 1-3 */
	d = parse("{\"Id\": \"300\", \"EntryType\": \"SEL\", \"Created\": "
	    "\"2012-03-07T14:44:00Z\", \"SensorType\": \"Fan\", "
	    "\"SensorNumber\": 48, \"GeneratorId\": \"0x0041\", "
	    "\"MessageId\": \"0x81521020\"}");
	CHECK(rfmap_log_entry(rfjson_root(d), &e, err, sizeof(err)) == 0);
	CHECK(e.is_sel && e.rec.kind == SEL_KIND_SYSTEM);
	CHECK_EQ(e.rec.id, 300);
	CHECK_EQ(e.rec.ts, 1331131440);
	CHECK_EQ(e.rec.gen_id, 0x41);
	CHECK_EQ(e.rec.sensor_type, 0x04);
	CHECK_EQ(e.rec.sensor_num, 48);
	CHECK(e.rec.deassert && e.rec.event_type == 0x01);
	CHECK_EQ(e.rec.offset, 2);
	CHECK_EQ(e.rec.ed2_use, SEL_ED_TRIGGER);
	CHECK_STR(e.desc.type_name, "Fan");
	CHECK(strncmp(e.desc.event, "Lower Critical going low", 24) == 0);
	CHECK_EQ(e.desc.sev, SEL_SEV_INFO);	/* a deassertion */
	rfjson_free(d);
	/* EntryCode when MessageId is not in that form; Severity wins */
	d = parse("{\"Id\": \"1\", \"EntryType\": \"SEL\", \"Severity\": "
	    "\"Warning\", \"SensorType\": \"Temperature\", \"SensorNumber\": "
	    "1, \"EntryCode\": \"Upper Critical - going high\", \"MessageId\":"
	    " \"0x592A28\"}");
	CHECK(rfmap_log_entry(rfjson_root(d), &e, err, sizeof(err)) == 0);
	CHECK(e.rec.event_type == 0x01 && e.rec.offset == 9 &&
	    !e.rec.deassert && e.rec.sensor_type == 0x01);
	CHECK_EQ(e.desc.sev, SEL_SEV_WARNING);
	CHECK(!e.has_created && e.rec.ts == SEL_TS_UNSPECIFIED);
	rfjson_free(d);
	/* other entries: the Message, the Severity */
	d = parse("{\"Id\": \"ab-7\", \"EntryType\": \"Event\", \"Severity\": "
	    "\"Critical\", \"Message\": \"System May be Melting\", "
	    "\"Created\": \"2012-03-07T14:44:00+01:00\"}");
	CHECK(rfmap_log_entry(rfjson_root(d), &e, err, sizeof(err)) == 0);
	CHECK(!e.is_sel && e.rec.kind == SEL_KIND_OEM_TS && e.rec.id == 0);
	CHECK_STR(e.desc.event, "System May be Melting");
	CHECK_EQ(e.desc.sev, SEL_SEV_CRITICAL);
	CHECK_EQ(e.created_s, 1331131440 - 3600);
	rfjson_free(d);
	d = parse("{\"EntryType\": \"Event\"}");
	CHECK(rfmap_log_entry(rfjson_root(d), &e, err, sizeof(err)) == -1);
	CHECK_STR(err, "Id: absent");
	rfjson_free(d);
	d = parse("{\"Id\": 5}");
	CHECK(rfmap_log_entry(rfjson_root(d), &e, err, sizeof(err)) == -1);
	CHECK_STR(err, "Id: expected a string, got a number");
	rfjson_free(d);
}

static void
test_system(void)
{
	struct rfjson *d = parse("{\"PowerState\": \"On\", \"Status\": "
	    "{\"Health\": \"OK\", \"HealthRollup\": \"Critical\"}, "
	    "\"IndicatorLED\": \"Blinking\", \"PowerRestorePolicy\": "
	    "\"LastState\", \"Boot\": {\"BootSourceOverrideEnabled\": "
	    "\"Continuous\", \"BootSourceOverrideTarget\": \"Cd\"}, "
	    "\"HostWatchdogTimer\": {\"FunctionEnabled\": true, "
	    "\"TimeoutAction\": \"ResetSystem\"}, \"Links\": {\"Chassis\": "
	    "[{\"@odata.id\": \"/redfish/v1/Chassis/A\"}]}, \"Actions\": "
	    "{\"#ComputerSystem.Reset\": {\"target\": "
	    "\"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset\", "
	    "\"ResetType@Redfish.AllowableValues\": [\"On\", \"ForceOff\"]}}}");
	struct rfjson *bad = parse("{\"PowerState\": \"Sleeping\"}");
	struct rfjson *ch = parse("{\"PhysicalSecurity\": {\"IntrusionSensor\":"
	    " \"Normal\"}}");
	const struct rfjson_v *r = rfjson_root(d);
	struct chassis_snapshot s;
	struct wdt_timer t;
	char err[256], path[REDFISH_PATH_MAX], allowed[128];

	CHECK(rfmap_system_chassis(r, &s, err, sizeof(err)) == 0);
	CHECK(s.status_state == CHASSIS_ITEM_OK && s.status.power_on);
	CHECK(s.has_health && s.health == SENSOR_SEV_CRITICAL);
	CHECK_EQ(s.status.identify_state, CHASSIS_IDENTIFY_TIMED);
	CHECK_EQ(s.status.restore_policy, CHASSIS_RESTORE_PREVIOUS);
	CHECK(s.boot_state == CHASSIS_ITEM_OK && s.boot.device == 0x5 &&
	    s.boot.persistent && s.boot.valid && !s.boot.efi);
	CHECK(s.missing & CHASSIS_NA_INTRUSION);
	CHECK(!(s.missing & (CHASSIS_NA_RESTORE | CHASSIS_NA_IDENTIFY)));
	CHECK(s.restart_state == CHASSIS_ITEM_UNSUPPORTED &&
	    s.poh_state == CHASSIS_ITEM_UNSUPPORTED);
	CHECK(rfmap_chassis_doc(rfjson_root(ch), &s, err, sizeof(err)) == 0);
	CHECK(!(s.missing & CHASSIS_NA_INTRUSION) && !s.status.intrusion);
	CHECK(rfmap_system_chassis_link(r, path, sizeof(path)) == 1);
	CHECK_STR(path, "/redfish/v1/Chassis/A");
	CHECK(rfmap_watchdog(r, &t, err, sizeof(err)) == 0);
	CHECK(t.running && t.action == WDT_ACTION_RESET &&
	    t.pre_int == WDT_PRE_NONE);
	CHECK(t.missing & WDT_NA_COUNTDOWN);
	CHECK(rfmap_watchdog(rfjson_root(bad), &t, err, sizeof(err)) == 1);
	CHECK(rfmap_reset_action(r, path, sizeof(path), allowed,
	    sizeof(allowed), err, sizeof(err)) == 0);
	CHECK_STR(allowed, "On, ForceOff");
	CHECK(rfmap_reset_allowed(allowed, "ForceOff"));
	CHECK(rfmap_reset_allowed(allowed, "On"));
	CHECK(!rfmap_reset_allowed(allowed, "Force"));
	CHECK(!rfmap_reset_allowed(allowed, "PowerCycle"));
	CHECK(rfmap_reset_allowed("", "Anything"));
	CHECK(rfmap_system_chassis(rfjson_root(bad), &s, err,
	    sizeof(err)) == -1);
	CHECK_STR(err, "PowerState: unknown value \"Sleeping\"");
	rfjson_free(d);
	rfjson_free(bad);
	rfjson_free(ch);
}

static void
test_paths(void)
{
	struct rfjson *d = parse("{\"Members\": [{\"@odata.id\": "
	    "\"/redfish/v1/A\"}, {\"@odata.id\": \"/redfish/v1/B#/x\", "
	    "\"Reading\": 1}], \"Members@odata.nextLink\": "
	    "\"/redfish/v1/C?$skip=2\"}");
	struct rfjson *bad = parse("{\"Members\": [{\"@odata.id\": "
	    "\"https://elsewhere/redfish/v1/A\"}]}");
	char paths[4][REDFISH_PATH_MAX], out[64], err[256];
	const struct rfjson_v *mem[4];
	size_t n, total;

	CHECK(rfmap_members(rfjson_root(d), paths, mem, 4, &n, &total, err,
	    sizeof(err)) == 0);
	CHECK(n == 2 && total == 2);
	CHECK_STR(paths[1], "/redfish/v1/B");
	CHECK(!rfmap_expanded(mem[0]) && rfmap_expanded(mem[1]));
	CHECK(rfmap_next_link(rfjson_root(d), out, sizeof(out), err,
	    sizeof(err)) == 1);
	CHECK_STR(out, "/redfish/v1/C?$skip=2");
	CHECK(rfmap_members(rfjson_root(bad), paths, mem, 4, &n, &total, err,
	    sizeof(err)) == -1);
	CHECK_STR(err, "Members[0]: @odata.id is not a path we follow");
	CHECK(rfmap_path("//evil/x", out, sizeof(out)) == -1);
	CHECK(rfmap_path("/redfish/../../etc", out, sizeof(out)) == -1);
	CHECK(rfmap_path("/a b", out, sizeof(out)) == -1);
	CHECK(rfmap_path("/a\"b", out, sizeof(out)) == -1);
	CHECK(rfmap_path("redfish/v1", out, sizeof(out)) == -1);
	CHECK(rfmap_path("/redfish/v1/Systems/1", out, 8) == -1);
	rfjson_free(d);
	rfjson_free(bad);
}

static void
test_url_base(void)
{
	char out[300], err[256];

	CHECK(redfish_url_base("bmc1.example", out, sizeof(out), err,
	    sizeof(err)) == 0);
	CHECK_STR(out, "https://bmc1.example");
	CHECK(redfish_url_base("10.0.0.5:8443", out, sizeof(out), err,
	    sizeof(err)) == 0);
	CHECK_STR(out, "https://10.0.0.5:8443");
	CHECK(redfish_url_base("http://127.0.0.1:8000/", out, sizeof(out),
	    err, sizeof(err)) == 0);
	CHECK_STR(out, "http://127.0.0.1:8000");
	CHECK(redfish_url_base("[fe80::1]:443", out, sizeof(out), err,
	    sizeof(err)) == 0);
	CHECK_STR(out, "https://[fe80::1]:443");
	CHECK(redfish_url_base("ftp://x", out, sizeof(out), err,
	    sizeof(err)) == -1);
	CHECK(redfish_url_base("https://user@host", out, sizeof(out), err,
	    sizeof(err)) == -1);
	CHECK(redfish_url_base("https://host/redfish", out, sizeof(out), err,
	    sizeof(err)) == -1);
	CHECK(redfish_url_base("host:99999", out, sizeof(out), err,
	    sizeof(err)) == -1);
	CHECK(redfish_url_base("host:", out, sizeof(out), err,
	    sizeof(err)) == -1);
	CHECK(redfish_url_base("", out, sizeof(out), err, sizeof(err)) == -1);
	CHECK_STR(redfish_reset_type(CHASSIS_CTL_POWER_CYCLE), "PowerCycle");
	CHECK_STR(redfish_reset_type(CHASSIS_CTL_SOFT_SHUTDOWN),
	    "GracefulShutdown");
	CHECK(redfish_reset_type(99) == NULL);
}

/* the archive-then-clear policy of a log service (redfish_clear_due) */
static void
test_clear_due(void)
{
	struct redfish_log_service s;
	const char *why;

	memset(&s, 0, sizeof(s));
	(void)snprintf(s.clear_target, sizeof(s.clear_target), "/x/Actions/"
	    "LogService.ClearLog");
	s.max_records = 4;
	s.entries_read = 1;
	/* 25 %: below 50, at 25 */
	CHECK(redfish_clear_due(&s, 0, 50, 0, &why) == 0 && why == NULL);
	CHECK(redfish_clear_due(&s, 0, 25, 0, &why) == 1 && why == NULL);
	/* 3 left: below 4 free, not below 3 */
	CHECK(redfish_clear_due(&s, 0, 0, 4, &why) == 1);
	CHECK(redfish_clear_due(&s, 0, 0, 3, &why) == 0 && why == NULL);
	/* off: never by the policy; asked: yes */
	CHECK(redfish_clear_due(&s, 0, 0, 0, &why) == 0 && why == NULL);
	CHECK(redfish_clear_due(&s, 1, 0, 0, &why) == 1);
	/* empty: nothing to clear, even asked */
	s.entries_read = 0;
	CHECK(redfish_clear_due(&s, 1, 50, 0, &why) == 0 && why == NULL);
	/* no MaxNumberOfRecords: only when asked */
	s.entries_read = 3;
	s.max_records = -1;
	CHECK(redfish_clear_due(&s, 0, 1, 100, &why) == 0 && why == NULL);
	CHECK(redfish_clear_due(&s, 1, 0, 0, &why) == 1);
	/* due, but never: wrapping, no action, truncated (said why) */
	s.max_records = 4;
	s.wraps = 1;
	CHECK(redfish_clear_due(&s, 0, 50, 0, &why) == 0 && why != NULL &&
	    strstr(why, "WrapsWhenFull") != NULL);
	CHECK(redfish_clear_due(&s, 1, 0, 0, &why) == 0 && why != NULL);
	s.wraps = 0;
	s.clear_target[0] = '\0';
	CHECK(redfish_clear_due(&s, 0, 50, 0, &why) == 0 && why != NULL &&
	    strstr(why, "ClearLog") != NULL);
	(void)snprintf(s.clear_target, sizeof(s.clear_target), "/x");
	s.truncated = 1;
	CHECK(redfish_clear_due(&s, 0, 50, 0, &why) == 0 && why != NULL &&
	    strstr(why, "not archived") != NULL);
	/* the percentage of the shape: the sum over the sum */
	{
		struct shape_rf_sel r;

		memset(&r, 0, sizeof(r));
		r.nsvcs = 2;
		r.svc[0].entries = 1;
		r.svc[0].max_records = 4;
		r.svc[1].entries = 3;
		r.svc[1].max_records = 4;
		CHECK(shape_rf_sel_entries(&r) == 4);
		CHECK(shape_rf_sel_pct(&r) == 50);
		r.svc[1].max_records = -1;
		CHECK(shape_rf_sel_pct(&r) == -1);
	}
}

/* the log cursor read back from its file (redfish_cursor_load) */
static void
test_cursor_load(void)
{
	struct redfish_cursor c, out;
	unsigned char raw[sizeof(c) + 1];

	memset(&c, 0, sizeof(c));
	c.version = REDFISH_CURSOR_VERSION;
	c.n = 2;
	(void)snprintf(c.svc[0].path, sizeof(c.svc[0].path), "%s",
	    "/redfish/v1/Systems/1/LogServices/Log");
	c.svc[0].has_created = 1;
	c.svc[0].created_s = 1700000000;
	(void)snprintf(c.svc[0].id, sizeof(c.svc[0].id), "42");
	(void)snprintf(c.svc[1].path, sizeof(c.svc[1].path), "%s",
	    "/redfish/v1/Managers/BMC/LogServices/Log");
	memset(c.svc[5].id, 'x', 8);	/* past n: zeroed */
	memcpy(raw, &c, sizeof(c));
	CHECK_EQ(redfish_cursor_load(raw, sizeof(c), &out), 0);
	CHECK_EQ(out.n, 2);
	CHECK_STR(out.svc[0].id, "42");
	CHECK(out.svc[0].created_s == 1700000000);
	CHECK_STR(out.svc[1].path, "/redfish/v1/Managers/BMC/LogServices/Log");
	CHECK_EQ(out.svc[5].id[0], 0);
	/* cut, or a byte longer */
	CHECK_EQ(redfish_cursor_load(raw, sizeof(c) - 1, &out), -1);
	raw[sizeof(c)] = 0;
	CHECK_EQ(redfish_cursor_load(raw, sizeof(c) + 1, &out), -1);
	/* an id that does not end inside its field */
	memcpy(raw, &c, sizeof(c));
	memset(((struct redfish_cursor *)(void *)raw)->svc[1].id, '9',
	    sizeof(c.svc[1].id));
	CHECK_EQ(redfish_cursor_load(raw, sizeof(c), &out), -1);
	/* a path that does not either */
	memcpy(raw, &c, sizeof(c));
	memset(((struct redfish_cursor *)(void *)raw)->svc[0].path, 'A',
	    sizeof(c.svc[0].path));
	CHECK_EQ(redfish_cursor_load(raw, sizeof(c), &out), -1);
	/* more services than there is room for; another version */
	c.n = REDFISH_CURSOR_SERVICES + 1;
	CHECK_EQ(redfish_cursor_load(&c, sizeof(c), &out), -1);
	c.n = 2;
	c.version = REDFISH_CURSOR_VERSION + 1;
	CHECK_EQ(redfish_cursor_load(&c, sizeof(c), &out), -1);
}

int
main(void)
{
	RUN(test_parse_errors);
	RUN(test_accessors);
	RUN(test_sensor_thresholds);
	RUN(test_sensor_health);
	RUN(test_units);
	RUN(test_legacy);
	RUN(test_time);
	RUN(test_log_entries);
	RUN(test_system);
	RUN(test_paths);
	RUN(test_url_base);
	RUN(test_clear_due);
	RUN(test_cursor_load);
	return harness_end();
}
