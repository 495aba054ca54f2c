/* Unit tests for the chassis codecs (agent/ipmi/cmd_chassis.c) and the
 * chassis policy (agent/bmc/chassis.c) on the scripted transport. */
#include <stdint.h>

#include "harness.h"
#include "chassis.h"
#include "cmd_chassis.h"
#include "conn.h"
#include "ev.h"
#include "fake.h"

static void
test_status_sim(void)
{
	/* ipmi_sim 2.0.33, power on: three bytes, no front-panel byte */
	uint8_t b[8];
	struct chassis_status s;
	int n = harness_hex("01 00 00", b, sizeof(b));

	CHECK_EQ(chassis_status_decode(b, (size_t)n, &s), IPMI_OK);
	CHECK_EQ(s.power_on, 1);
	CHECK_EQ(s.overload, 0);
	CHECK_EQ(s.restore_policy, CHASSIS_RESTORE_ALWAYS_OFF);
	CHECK_STR(chassis_restore_name(s.restore_policy), "always-off");
	CHECK_EQ(s.has_buttons, 0);
	CHECK_EQ(s.identify_supported, 0);
	CHECK_EQ(s.raw_len, 3);
	/* too short */
	CHECK_EQ(chassis_status_decode(b, 2, &s), IPMI_E_LENGTH);
	CHECK_EQ(chassis_status_decode(b, 0, &s), IPMI_E_LENGTH);
}

static void
test_status_all_bits(void)
{
	uint8_t b[8];
	struct chassis_status s;
	/* byte 1: on, overload, interlock, main fault, control fault,
	 * restore "previous" (01b << 5); byte 2: every last event;
	 * byte 3: intrusion, lockout, drive, fan, identify supported and
	 * indefinite on (10b << 4); byte 4: all allowed, reset disabled */
	int n = harness_hex("3f 1f 6f f2", b, sizeof(b));

	CHECK_EQ(chassis_status_decode(b, (size_t)n, &s), IPMI_OK);
	CHECK_EQ(s.power_on, 1);
	CHECK_EQ(s.overload, 1);
	CHECK_EQ(s.interlock, 1);
	CHECK_EQ(s.main_fault, 1);
	CHECK_EQ(s.control_fault, 1);
	CHECK_EQ(s.restore_policy, CHASSIS_RESTORE_PREVIOUS);
	CHECK_EQ(s.last_ac_failed, 1);
	CHECK_EQ(s.last_overload, 1);
	CHECK_EQ(s.last_interlock, 1);
	CHECK_EQ(s.last_fault, 1);
	CHECK_EQ(s.last_command, 1);
	CHECK_EQ(s.intrusion, 1);
	CHECK_EQ(s.lockout, 1);
	CHECK_EQ(s.drive_fault, 1);
	CHECK_EQ(s.fan_fault, 1);
	CHECK_EQ(s.identify_supported, 1);
	CHECK_EQ(s.identify_state, CHASSIS_IDENTIFY_ON);
	CHECK_STR(chassis_identify_name(s.identify_state), "indefinite on");
	CHECK_EQ(s.has_buttons, 1);
	CHECK_EQ(s.sleep_disable_allowed, 1);
	CHECK_EQ(s.diag_disable_allowed, 1);
	CHECK_EQ(s.reset_disable_allowed, 1);
	CHECK_EQ(s.power_disable_allowed, 1);
	CHECK_EQ(s.sleep_disabled, 0);
	CHECK_EQ(s.diag_disabled, 0);
	CHECK_EQ(s.reset_disabled, 1);
	CHECK_EQ(s.power_disabled, 0);
	CHECK_MEM(s.raw, b, 4);

	/* identify bits without bit 6 mean nothing */
	n = harness_hex("00 00 20", b, sizeof(b));
	CHECK_EQ(chassis_status_decode(b, (size_t)n, &s), IPMI_OK);
	CHECK_EQ(s.identify_supported, 0);
	CHECK_EQ(s.identify_state, 0);
	/* restore policy 11b and power off */
	n = harness_hex("60 10 40", b, sizeof(b));
	CHECK_EQ(chassis_status_decode(b, (size_t)n, &s), IPMI_OK);
	CHECK_EQ(s.power_on, 0);
	CHECK_STR(chassis_restore_name(s.restore_policy), "unknown");
	CHECK_EQ(s.last_command, 1);
	CHECK_EQ(s.last_ac_failed, 0);
	CHECK_STR(chassis_identify_name(s.identify_state), "off");
}

static void
test_control(void)
{
	struct ipmi_req q;

	chassis_control_req(&q, CHASSIS_CTL_POWER_CYCLE);
	CHECK_EQ(q.netfn, IPMI_NETFN_CHASSIS);
	CHECK_EQ(q.cmd, IPMI_CMD_CHASSIS_CONTROL);
	CHECK_EQ(q.len, 1);
	CHECK_EQ(q.data[0], 2);
	CHECK_EQ(chassis_control_parse("on"), CHASSIS_CTL_POWER_UP);
	CHECK_EQ(chassis_control_parse("off"), CHASSIS_CTL_POWER_DOWN);
	CHECK_EQ(chassis_control_parse("soft"), CHASSIS_CTL_SOFT_SHUTDOWN);
	CHECK_EQ(chassis_control_parse("cycle"), CHASSIS_CTL_POWER_CYCLE);
	CHECK_EQ(chassis_control_parse("reset"), CHASSIS_CTL_HARD_RESET);
	CHECK_EQ(chassis_control_parse("diag"), CHASSIS_CTL_DIAG_INTERRUPT);
	CHECK_EQ(chassis_control_parse("status"), -1);
	CHECK_EQ(chassis_control_parse(""), -1);
	CHECK_STR(chassis_control_name(CHASSIS_CTL_POWER_UP), "Up/On");
	CHECK_STR(chassis_control_name(CHASSIS_CTL_POWER_DOWN), "Down/Off");
	CHECK_STR(chassis_control_name(9), "Unknown");
}

static void
test_identify(void)
{
	struct ipmi_req q;

	chassis_identify_req(&q, -1, 0);	/* BMC default */
	CHECK_EQ(q.cmd, IPMI_CMD_CHASSIS_IDENTIFY);
	CHECK_EQ(q.len, 0);
	chassis_identify_req(&q, 5, 0);
	CHECK_EQ(q.len, 1);
	CHECK_EQ(q.data[0], 5);
	chassis_identify_req(&q, 0, 0);		/* off */
	CHECK_EQ(q.len, 1);
	CHECK_EQ(q.data[0], 0);
	chassis_identify_req(&q, 0, 1);		/* force on */
	CHECK_EQ(q.len, 2);
	CHECK_MEM(q.data, "\x00\x01", 2);
	chassis_identify_req(&q, 300, 0);	/* clamped */
	CHECK_EQ(q.data[0], 255);
}

static void
test_restart_poh(void)
{
	uint8_t b[8];
	struct chassis_restart rc;
	struct chassis_poh h;
	int n = harness_hex("f4 01", b, sizeof(b));

	CHECK_EQ(chassis_restart_decode(b, (size_t)n, &rc), IPMI_OK);
	CHECK_EQ(rc.cause, 4);
	CHECK_STR(chassis_restart_name(rc.cause), "watchdog expired");
	CHECK_EQ(rc.has_channel, 1);
	CHECK_EQ(rc.channel, 1);
	CHECK_EQ(chassis_restart_decode(b, 1, &rc), IPMI_OK);
	CHECK_EQ(rc.has_channel, 0);
	CHECK_EQ(chassis_restart_decode(b, 0, &rc), IPMI_E_LENGTH);
	CHECK_STR(chassis_restart_name(0), "unknown");
	CHECK_STR(chassis_restart_name(11), "power-up via RTC wakeup");
	CHECK_STR(chassis_restart_name(12), "invalid");

	n = harness_hex("3c 10 27 00 00", b, sizeof(b));
	CHECK_EQ(chassis_poh_decode(b, (size_t)n, &h), IPMI_OK);
	CHECK_EQ(h.minutes_per_count, 60);
	CHECK_EQ(h.count, 10000);
	CHECK_EQ(chassis_poh_minutes(&h), 600000);
	CHECK_EQ(chassis_poh_decode(b, 4, &h), IPMI_E_LENGTH);
}

static void
test_bootopt(void)
{
	uint8_t b[40];
	struct chassis_bootopt o;
	struct chassis_bootflags f;
	struct ipmi_req q;
	/* ipmi_sim: version 1, parameter 5 valid, data 00 08 00 00 00 */
	int n = harness_hex("01 05 00 08 00 00 00", b, sizeof(b));

	chassis_bootopt_req(&q, CHASSIS_BOOTPARAM_FLAGS, 0, 0);
	CHECK_EQ(q.cmd, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS);
	CHECK_EQ(q.len, 3);
	CHECK_MEM(q.data, "\x05\x00\x00", 3);
	CHECK_EQ(chassis_bootopt_decode(b, (size_t)n, &o), IPMI_OK);
	CHECK_EQ(o.version, 1);
	CHECK_EQ(o.param, 5);
	CHECK_EQ(o.locked, 0);
	CHECK_EQ(o.len, 5);
	CHECK_EQ(chassis_bootflags_decode(&o, &f), IPMI_OK);
	CHECK_EQ(f.valid, 0);
	CHECK_EQ(f.device, 2);
	CHECK_STR(chassis_bootdev_name(f.device),
	    "Force Boot from default Hard-Drive");
	CHECK_STR(chassis_bootdev_key(f.device), "disk");

	/* valid, persistent, EFI, PXE, verbose, console redirect on,
	 * BIOS mux 2, instance 3 */
	n = harness_hex("01 85 e0 04 42 0a 03", b, sizeof(b));
	CHECK_EQ(chassis_bootopt_decode(b, (size_t)n, &o), IPMI_OK);
	CHECK_EQ(o.locked, 1);
	CHECK_EQ(chassis_bootflags_decode(&o, &f), IPMI_OK);
	CHECK_EQ(f.valid, 1);
	CHECK_EQ(f.persistent, 1);
	CHECK_EQ(f.efi, 1);
	CHECK_EQ(f.device, 1);
	CHECK_STR(chassis_bootdev_key(f.device), "pxe");
	CHECK_EQ(f.verbosity, 2);
	CHECK_EQ(f.console_redirect, 2);
	CHECK_EQ(f.bios_shared, 1);
	CHECK_EQ(f.bios_mux, 2);
	CHECK_EQ(f.instance, 3);
	CHECK_STR(chassis_bootdev_name(0xa), "Reserved");

	/* three data bytes are enough; two are not */
	n = harness_hex("01 05 80 3c 00", b, sizeof(b));
	CHECK_EQ(chassis_bootopt_decode(b, (size_t)n, &o), IPMI_OK);
	CHECK_EQ(chassis_bootflags_decode(&o, &f), IPMI_OK);
	CHECK_EQ(f.device, 0xf);
	CHECK_EQ(chassis_bootopt_decode(b, 4, &o), IPMI_OK);
	CHECK_EQ(chassis_bootflags_decode(&o, &f), IPMI_E_LENGTH);
	CHECK_EQ(chassis_bootopt_decode(b, 1, &o), IPMI_E_LENGTH);
	/* another parameter is not boot flags */
	n = harness_hex("01 04 00 00", b, sizeof(b));
	CHECK_EQ(chassis_bootopt_decode(b, (size_t)n, &o), IPMI_OK);
	CHECK_EQ(chassis_bootflags_decode(&o, &f), IPMI_E_PROTO);
	/* long parameter data is cut at the buffer, not overrun */
	CHECK_EQ(chassis_bootopt_decode(b, sizeof(b), &o), IPMI_OK);
	CHECK_EQ(o.len, sizeof(o.data));
}

static void
test_policy(void)
{
	CHECK_EQ(chassis_priv_ok(IPMI_PRIV_USER), -1);
	CHECK_EQ(chassis_priv_ok(IPMI_PRIV_CALLBACK), -1);
	CHECK_EQ(chassis_priv_ok(IPMI_PRIV_OPERATOR), 0);
	CHECK_EQ(chassis_priv_ok(IPMI_PRIV_ADMIN), 0);
	CHECK_EQ(chassis_classify(0, IPMI_CMD_GET_POH_COUNTER, 0xc1),
	    CHASSIS_ITEM_UNSUPPORTED);
	CHECK_EQ(chassis_classify(1, IPMI_CMD_GET_POH_COUNTER, 0x80),
	    CHASSIS_ITEM_CCODE);
	CHECK_EQ(chassis_classify(1, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS, 0x80),
	    CHASSIS_ITEM_UNSUPPORTED);
	CHECK_EQ(chassis_classify(0, IPMI_CMD_GET_SYSTEM_RESTART_CAUSE, 0xd4),
	    CHASSIS_ITEM_CCODE);
	CHECK_EQ(chassis_classify(0, 1, 0), CHASSIS_ITEM_OK);
	CHECK_STR(chassis_item_name(CHASSIS_ITEM_UNSUPPORTED),
	    "not supported");
}

static void
query_done(struct chassis_query *q, void *arg)
{
	(void)q;
	(*(int *)arg)++;
}

static void
run_until(struct ev *ev, int *flag)
{
	int i;

	for (i = 0; i < 1000 && !*flag; i++)
		(void)ev_run_once(ev, 100);
}

static void
test_query(void)
{
	static const uint8_t st[] = { 0x21, 0x10, 0x00 };
	static const uint8_t poh[] = { 0x01, 0x64, 0x00, 0x00, 0x00 };
	static const uint8_t boot[] = { 0x01, 0x05, 0x80, 0x04, 0x00 };
	struct fake_rule rules[] = {
		{ 0, IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, IPMI_OK, 0, st,
		    sizeof(st), 0 },
		{ 0, IPMI_CMD_GET_SYSTEM_RESTART_CAUSE, NULL, 0, IPMI_OK, 0xc1,
		    NULL, 0, 0 },
		{ 0, IPMI_CMD_GET_POH_COUNTER, NULL, 0, IPMI_OK, 0, poh,
		    sizeof(poh), 0 },
		{ 0, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS, NULL, 0, IPMI_OK, 0,
		    boot, sizeof(boot), 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct chassis_query q;
	int done = 0;

	q.what = CHASSIS_Q_ALL;
	CHECK_EQ(chassis_query_start(&q, c, query_done, &done), 0);
	CHECK_EQ(done, 0);	/* never from inside start */
	run_until(ev, &done);
	CHECK_EQ(done, 1);
	CHECK_EQ(q.err, IPMI_OK);
	CHECK_EQ(q.snap.status_state, CHASSIS_ITEM_OK);
	CHECK_EQ(q.snap.status.power_on, 1);
	CHECK_EQ(q.snap.status.restore_policy, CHASSIS_RESTORE_PREVIOUS);
	CHECK_EQ(q.snap.status.last_command, 1);
	CHECK_EQ(q.snap.restart_state, CHASSIS_ITEM_UNSUPPORTED);
	CHECK_EQ(q.snap.restart_ccode, 0xc1);
	CHECK_EQ(q.snap.poh_state, CHASSIS_ITEM_OK);
	CHECK_EQ(chassis_poh_minutes(&q.snap.poh), 100);
	CHECK_EQ(q.snap.boot_state, CHASSIS_ITEM_OK);
	CHECK_EQ(q.snap.boot.valid, 1);
	CHECK_EQ(q.snap.boot.device, 1);
	CHECK_EQ(fake_count(tr, FAKE_ANY, FAKE_ANY), 4);

	/* status only */
	done = 0;
	q.what = 0;
	CHECK_EQ(chassis_query_start(&q, c, query_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(done, 1);
	CHECK_EQ(q.snap.restart_state, CHASSIS_ITEM_NONE);
	CHECK_EQ(fake_count(tr, FAKE_ANY, FAKE_ANY), 5);
	conn_free(c);
	ev_free(ev);
}

static void
test_query_failures(void)
{
	static const uint8_t shortst[] = { 0x01 };
	struct fake_rule rules[] = {
		{ 0, IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, IPMI_E_TIMEOUT, 0,
		    NULL, 0, 1 },
		{ 0, IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, IPMI_OK, 0xd4,
		    NULL, 0, 1 },
		{ 0, IPMI_CMD_GET_CHASSIS_STATUS, NULL, 0, IPMI_OK, 0,
		    shortst, 1, 1 },
		{ 0, IPMI_CMD_GET_POH_COUNTER, NULL, 0, IPMI_OK, 0, shortst,
		    1, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct chassis_query q;
	int done = 0;

	q.what = CHASSIS_Q_ALL;
	CHECK_EQ(chassis_query_start(&q, c, query_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(q.err, IPMI_E_TIMEOUT);
	/* a completion code on the status stops the query */
	done = 0;
	CHECK_EQ(chassis_query_start(&q, c, query_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(q.err, IPMI_OK);
	CHECK_EQ(q.snap.status_state, CHASSIS_ITEM_CCODE);
	CHECK_EQ(q.snap.status_ccode, 0xd4);
	CHECK_EQ(fake_count(tr, FAKE_ANY, FAKE_ANY), 2);
	/* short answers are "bad", not fatal; unmatched ones are C1h */
	done = 0;
	q.what = CHASSIS_Q_RESTART | CHASSIS_Q_POH;
	CHECK_EQ(chassis_query_start(&q, c, query_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(q.snap.status_state, CHASSIS_ITEM_BAD);
	CHECK_EQ(q.snap.restart_state, CHASSIS_ITEM_UNSUPPORTED);
	CHECK_EQ(q.snap.poh_state, CHASSIS_ITEM_BAD);
	conn_free(c);
	ev_free(ev);
}

int
main(void)
{
	RUN(test_status_sim);
	RUN(test_status_all_bits);
	RUN(test_control);
	RUN(test_identify);
	RUN(test_restart_poh);
	RUN(test_bootopt);
	RUN(test_policy);
	RUN(test_query);
	RUN(test_query_failures);
	return harness_end();
}
