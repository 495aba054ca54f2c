/*
 * Fuzz the Redfish JSON mapping (agent/http/rfjson.c, rfmap.c): every
 * input is parsed as a response body and, when it parses, mapped as each
 * resource the client reads -- service root, collection, Sensor,
 * Thermal, Power, ComputerSystem, Chassis, Manager, LogService,
 * LogEntry, an error body -- and every mapped value must stay inside its
 * field: strings terminated within their arrays, severities and notes in
 * range, readings finite.  The input's first line is also tried as an
 * ISO 8601 time and a base URL.  Seeds: the DMTF public-rackmount1
 * mockup's resources (mock-*) and hand-made edge cases (edge-*: wrong
 * types, SEL MessageIds, deep nesting, duplicate keys, huge numbers).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rfjson.h"
#include "rfmap.h"

#define NITEMS	64

static void
must_str(const char *s, size_t len)
{
	fuzz_must(memchr(s, '\0', len) != NULL);
}

static void
check_item(const struct sensors_item *it)
{
	int k;

	must_str(it->name, sizeof(it->name));
	fuzz_must(it->rec == NULL);
	fuzz_must(it->sev <= SENSOR_SEV_UNAVAILABLE);
	fuzz_must(sensors_note_name(it->note) != NULL);
	fuzz_must(it->decimals >= 0 && it->decimals <= 6);
	if (it->have_value)
		fuzz_must(isfinite(it->value) && it->note == SENSORS_NOTE_NONE);
	else
		fuzz_must(it->note != SENSORS_NOTE_NONE || !it->threshold);
	for (k = 0; k < SDR_THR_N; k++)
		if (it->thr_mask & (1u << k))
			fuzz_must(isfinite(it->thr[k]));
	fuzz_must(it->thr_mask < (1u << SDR_THR_N));
}

static void
fz_doc(const struct rfjson_v *v)
{
	static struct sensors_item items[NITEMS];
	char (*paths)[REDFISH_PATH_MAX];
	const struct rfjson_v *mem[8];
	struct rfmap_root root;
	struct sensors_item it;
	struct chassis_snapshot snap;
	struct wdt_timer t;
	struct redfish_info info;
	struct redfish_log_service svc;
	struct redfish_log_entry e;
	char err[512], path[REDFISH_PATH_MAX], allowed[256];
	size_t n, total, i;

	if (rfmap_root(v, &root, err, sizeof(err)) == 0) {
		must_str(root.systems, sizeof(root.systems));
		fuzz_must(root.systems[0] == '/' && root.sessions[0] == '/');
		fuzz_must(root.expand <= RFMAP_EXPAND_ALL);
	}
	paths = calloc(8, sizeof(*paths));
	if (paths == NULL)
		return;
	if (rfmap_members(v, paths, mem, 8, &n, &total, err,
	    sizeof(err)) == 0) {
		fuzz_must(n <= 8 && n <= total);
		for (i = 0; i < n; i++) {
			fuzz_must(paths[i][0] == '/');
			fuzz_must(strstr(paths[i], "/../") == NULL);
			(void)rfmap_expanded(mem[i]);
		}
	} else
		must_str(err, sizeof(err));
	free(paths);
	if (rfmap_next_link(v, path, sizeof(path), err, sizeof(err)) == 1)
		fuzz_must(path[0] == '/');
	(void)rfmap_sensor(v, &it, err, sizeof(err));
	check_item(&it);
	n = rfmap_thermal(v, items, NITEMS, err, sizeof(err));
	fuzz_must(n <= NITEMS);
	for (i = 0; i < n; i++)
		check_item(&items[i]);
	n = rfmap_power(v, items, NITEMS, err, sizeof(err));
	fuzz_must(n <= NITEMS);
	for (i = 0; i < n; i++)
		check_item(&items[i]);
	if (rfmap_system_chassis(v, &snap, err, sizeof(err)) == 0) {
		fuzz_must(snap.status.power_on <= 1 && snap.status.restore_policy <=
		    CHASSIS_RESTORE_UNKNOWN);
		fuzz_must(snap.status.identify_state <= CHASSIS_IDENTIFY_ON);
		fuzz_must(!snap.has_health || snap.health <= SENSOR_SEV_CRITICAL);
		if (snap.boot_state == CHASSIS_ITEM_OK)
			fuzz_must(chassis_bootdev_name(snap.boot.device) != NULL);
	}
	(void)rfmap_system_chassis(NULL, &snap, NULL, 0);
	if (rfmap_chassis_doc(v, &snap, err, sizeof(err)) == 0)
		fuzz_must(snap.status.intrusion <= 1);
	(void)rfmap_system_chassis_link(v, path, sizeof(path));
	if (rfmap_watchdog(v, &t, err, sizeof(err)) == 0)
		fuzz_must(t.action <= WDT_ACTION_POWER_CYCLE &&
		    t.pre_int <= WDT_PRE_MSG && t.running <= 1);
	if (rfmap_reset_action(v, path, sizeof(path), allowed,
	    sizeof(allowed), err, sizeof(err)) == 0) {
		fuzz_must(path[0] == '/');
		must_str(allowed, sizeof(allowed));
		(void)rfmap_reset_allowed(allowed, "On");
		(void)rfmap_reset_allowed(allowed, "PowerCycle");
	}
	memset(&info, 0, sizeof(info));
	rfmap_info(v, v, &info);
	must_str(info.manager_firmware, sizeof(info.manager_firmware));
	must_str(info.system_uuid, sizeof(info.system_uuid));
	if (rfmap_log_service(v, &svc, err, sizeof(err)) == 0) {
		fuzz_must(svc.path[0] == '/');
		fuzz_must(svc.entries[0] == '\0' || svc.entries[0] == '/');
		fuzz_must(svc.clear_target[0] == '\0' || svc.clear_target[0] == '/');
	}
	if (rfmap_log_entry(v, &e, err, sizeof(err)) == 0) {
		fuzz_must(e.id[0] != '\0');
		must_str(e.desc.event, sizeof(e.desc.event));
		must_str(e.desc.type_name, sizeof(e.desc.type_name));
		must_str(e.message, sizeof(e.message));
		fuzz_must(e.desc.sev <= SEL_SEV_CRITICAL);
		fuzz_must(e.rec.kind == (e.is_sel ? SEL_KIND_SYSTEM :
		    SEL_KIND_OEM_TS));
		(void)rfmap_entry_cmp(e.has_created, e.created_s, e.id, 1, 0,
		    "1");
	}
	rfmap_error_text(v, err, sizeof(err));
	must_str(err, sizeof(err));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rfjson *d;
	char err[512], line[128], base[300];
	const uint8_t *nl;
	int64_t s;
	size_t n;

	if (rfjson_parse((const char *)data, size, &d, err,
	    sizeof(err)) == 0) {
		fuzz_must(rfjson_type(rfjson_root(d)) == RFJSON_OBJECT);
		fz_doc(rfjson_root(d));
		rfjson_free(d);
	} else
		fuzz_must(err[0] != '\0');
	nl = memchr(data, '\n', size);
	n = nl != NULL ? (size_t)(nl - data) : size;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	(void)rfmap_time(line, &s);
	(void)rfmap_path(line, base, sizeof(base));
	if (redfish_url_base(line, base, sizeof(base), err, sizeof(err)) == 0)
		fuzz_must(strncmp(base, "http", 4) == 0);
	return 0;
}
