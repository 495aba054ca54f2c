/*
 * Fuzz the chassis and watchdog codecs (cmd_chassis.c, cmd_wdt.c): every
 * input is decoded as the response data of each Chassis NetFn command
 * and of Get / Set Watchdog Timer, and decoded values must stay inside
 * their fields and the input.  Seeds: answers of ipmi_sim 2.0.33 (sim-*,
 * including its short Get Watchdog Timer and its junk after Set), of
 * QEMU 7.2's ipmi-bmc-sim (qemu-*: no "running" bit), of the test bed's
 * watchdog plugin (plugin-*) and hand-made edge cases (edge-*).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_chassis.h"
#include "cmd_wdt.h"
#include "fuzz.h"

static void
fz_chassis(const uint8_t *p, size_t len)
{
	struct chassis_status s;
	struct chassis_restart rc;
	struct chassis_poh h;
	struct chassis_bootopt o;
	struct chassis_bootflags f;

	if (chassis_status_decode(p, len, &s) == IPMI_OK) {
		fuzz_must(len >= 3);
		fuzz_must(s.raw_len == (len >= 4 ? 4 : 3));
		fuzz_must(s.restore_policy <= 3 && s.identify_state <= 3);
		fuzz_must(s.has_buttons == (len >= 4));
		fuzz_must(chassis_restore_name(s.restore_policy) != NULL);
		fuzz_must(chassis_identify_name(s.identify_state) != NULL);
		fuzz_must(memcmp(s.raw, p, s.raw_len) == 0);
	} else
		fuzz_must(len < 3);
	if (chassis_restart_decode(p, len, &rc) == IPMI_OK) {
		fuzz_must(rc.cause <= 15 && rc.channel <= 15);
		fuzz_must(chassis_restart_name(rc.cause) != NULL);
	} else
		fuzz_must(len < 1);
	if (chassis_poh_decode(p, len, &h) == IPMI_OK)
		fuzz_must(chassis_poh_minutes(&h) <= (uint64_t)UINT32_MAX * 255);
	else
		fuzz_must(len < 5);
	if (chassis_bootopt_decode(p, len, &o) == IPMI_OK) {
		fuzz_must(len >= 2);
		fuzz_must(o.len <= sizeof(o.data) && o.len <= len - 2);
		fuzz_must(o.param <= 0x7f && o.version <= 15);
		if (chassis_bootflags_decode(&o, &f) == IPMI_OK) {
			fuzz_must(o.param == CHASSIS_BOOTPARAM_FLAGS && o.len >= 3);
			fuzz_must(f.device <= 15 && f.instance <= 31);
			fuzz_must(chassis_bootdev_name(f.device) != NULL);
			fuzz_must(chassis_bootdev_key(f.device) != NULL);
		}
	}
	(void)chassis_control_parse(len > 0 && p[len - 1] == 0 ?
	    (const char *)p : "");
	(void)chassis_control_name(len > 0 ? p[0] : 0);
}

static void
fz_wdt(const uint8_t *p, size_t len)
{
	struct wdt_timer t;
	struct wdt_set s;
	struct ipmi_req q;
	uint32_t quirks = 0;

	if (wdt_get_decode(p, len, &t) == IPMI_OK) {
		fuzz_must(len >= 6);
		fuzz_must(t.has_present == (len >= 8));
		fuzz_must(!!(t.quirks & WDT_QUIRK_SHORT_GET) == (len < 8));
		fuzz_must(!!(t.quirks & WDT_QUIRK_LONG_GET) == (len > 8));
		fuzz_must((t.expired & ~WDT_EXP_ALL) == 0);
		fuzz_must(t.raw_len <= sizeof(t.raw) && t.raw_len <= len);
		fuzz_must(wdt_use_name(t.use) != NULL);
		fuzz_must(wdt_action_name(t.action) != NULL);
		fuzz_must(wdt_pre_name(t.pre_int) != NULL);
		/* what Get says, Set must be able to say back */
		wdt_set_from_timer(&s, &t);
		wdt_set_req(&q, &s);
		fuzz_must(q.len == 6);
		fuzz_must((q.data[0] & 0x07) == t.use);
		fuzz_must((q.data[1] & 0x07) == t.action);
		fuzz_must(q.data[2] == t.pretimeout);
		fuzz_must((uint16_t)(q.data[4] | q.data[5] << 8) == t.initial);
	} else
		fuzz_must(len < 6);
	fuzz_must(wdt_set_decode(p, len, &quirks) == IPMI_OK);
	fuzz_must(!!(quirks & WDT_QUIRK_SET_JUNK) == (len > 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_chassis(data, size);
	fz_wdt(data, size);
	return 0;
}
