/* Unit tests for the watchdog codecs (agent/ipmi/cmd_wdt.c) and the
 * watchdog policy (agent/bmc/watchdog.c): validation, owner detection
 * on a fake /proc and /sys, and the state machines on the scripted
 * transport. */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "cmd_wdt.h"
#include "conn.h"
#include "ev.h"
#include "fake.h"
#include "watchdog.h"

static void
test_get_full(void)
{
	uint8_t b[16];
	struct wdt_timer t;
	/* SMS/OS running, SMI pre-timeout, power cycle, 5 s, SMS/OS
	 * expired, 10.0 s initial, 5.0 s left */
	int n = harness_hex("44 13 05 10 64 00 32 00", b, sizeof(b));

	CHECK_EQ(wdt_get_decode(b, (size_t)n, &t), IPMI_OK);
	CHECK_EQ(t.use, WDT_USE_SMS_OS);
	CHECK_EQ(t.running, 1);
	CHECK_EQ(t.dont_log, 0);
	CHECK_EQ(t.pre_int, WDT_PRE_SMI);
	CHECK_EQ(t.action, WDT_ACTION_POWER_CYCLE);
	CHECK_EQ(t.pretimeout, 5);
	CHECK_EQ(t.expired, WDT_EXP_SMS_OS);
	CHECK_EQ(t.initial, 100);
	CHECK_EQ(t.has_present, 1);
	CHECK_EQ(t.present, 50);
	CHECK_EQ(t.quirks, 0);
	CHECK_EQ(t.raw_len, 8);
	CHECK_STR(wdt_use_name(t.use), "SMS/OS");
	CHECK_STR(wdt_action_name(t.action), "Power Cycle");
	CHECK_STR(wdt_pre_name(t.pre_int), "SMI");

	/* don't log, stopped, OS load, NMI, hard reset; reserved flag bits
	 * (0 and 6-7) are masked */
	n = harness_hex("83 21 0a ff 58 02 00 00", b, sizeof(b));
	CHECK_EQ(wdt_get_decode(b, (size_t)n, &t), IPMI_OK);
	CHECK_EQ(t.dont_log, 1);
	CHECK_EQ(t.running, 0);
	CHECK_EQ(t.use, WDT_USE_OS_LOAD);
	CHECK_EQ(t.pre_int, WDT_PRE_NMI);
	CHECK_EQ(t.action, WDT_ACTION_RESET);
	CHECK_EQ(t.expired, WDT_EXP_ALL);
	CHECK_EQ(t.initial, 600);
	CHECK_STR(wdt_pre_name(t.pre_int), "NMI/Diagnostic");
	/* one byte too many: decoded, flagged */
	n = harness_hex("44 01 00 00 64 00 32 00 99", b, sizeof(b));
	CHECK_EQ(wdt_get_decode(b, (size_t)n, &t), IPMI_OK);
	CHECK_EQ(t.present, 50);
	CHECK(t.quirks & WDT_QUIRK_LONG_GET);
}

static void
test_get_sim_short(void)
{
	/* ipmi_sim 2.0.33: six bytes, no present countdown */
	uint8_t b[8];
	struct wdt_timer t;
	int n = harness_hex("04 01 00 00 64 00", b, sizeof(b));

	CHECK_EQ(wdt_get_decode(b, (size_t)n, &t), IPMI_OK);
	CHECK_EQ(t.has_present, 0);
	CHECK_EQ(t.present, 0);
	CHECK(t.quirks & WDT_QUIRK_SHORT_GET);
	CHECK_EQ(t.initial, 100);
	CHECK_EQ(t.use, WDT_USE_SMS_OS);
	/* seven bytes: still no present countdown */
	CHECK_EQ(wdt_get_decode(b, 7, &t), IPMI_OK);
	CHECK_EQ(t.has_present, 0);
	CHECK_EQ(wdt_get_decode(b, 5, &t), IPMI_E_LENGTH);
	CHECK_EQ(wdt_get_decode(b, 0, &t), IPMI_E_LENGTH);
	CHECK_STR(wdt_use_name(0), "Reserved");
}

static void
test_set_reset(void)
{
	struct wdt_set s;
	struct ipmi_req q;
	struct wdt_timer t;
	uint8_t junk[34];
	uint32_t quirks = 0;

	memset(&s, 0, sizeof(s));
	s.use = WDT_USE_SMS_OS;
	s.dont_log = 1;
	s.action = WDT_ACTION_POWER_CYCLE;
	s.pre_int = WDT_PRE_NMI;
	s.pretimeout = 3;
	s.clear = 0xff;		/* reserved bits are not sent */
	s.initial = 100;
	wdt_set_req(&q, &s);
	CHECK_EQ(q.netfn, IPMI_NETFN_APP);
	CHECK_EQ(q.cmd, IPMI_CMD_SET_WATCHDOG_TIMER);
	CHECK_EQ(q.len, 6);
	CHECK_MEM(q.data, "\x84\x23\x03\x3e\x64\x00", 6);
	s.dont_log = 0;
	s.dont_stop = 1;
	s.initial = 0x1234;
	wdt_set_req(&q, &s);
	CHECK_MEM(q.data, "\x44\x23\x03\x3e\x34\x12", 6);

	CHECK_EQ(wdt_set_decode(NULL, 0, &quirks), IPMI_OK);
	CHECK_EQ(quirks, 0);
	memset(junk, 0xa5, sizeof(junk));	/* ipmi_sim's 34 bytes */
	CHECK_EQ(wdt_set_decode(junk, sizeof(junk), &quirks), IPMI_OK);
	CHECK(quirks & WDT_QUIRK_SET_JUNK);

	wdt_reset_req(&q);
	CHECK_EQ(q.cmd, IPMI_CMD_RESET_WATCHDOG_TIMER);
	CHECK_EQ(q.len, 0);
	wdt_get_req(&q);
	CHECK_EQ(q.cmd, IPMI_CMD_GET_WATCHDOG_TIMER);
	CHECK_EQ(q.len, 0);

	/* re-arm what Get said */
	memset(&t, 0, sizeof(t));
	t.use = WDT_USE_OS_LOAD;
	t.running = 1;
	t.action = WDT_ACTION_RESET;
	t.pretimeout = 2;
	t.pre_int = WDT_PRE_MSG;
	t.initial = 300;
	t.expired = WDT_EXP_ALL;
	wdt_set_from_timer(&s, &t);
	CHECK_EQ(s.use, WDT_USE_OS_LOAD);
	CHECK_EQ(s.dont_stop, 1);
	CHECK_EQ(s.clear, 0);
	CHECK_EQ(s.initial, 300);
	CHECK_EQ(s.pre_int, WDT_PRE_MSG);
}

static void
test_names(void)
{
	CHECK_EQ(wdt_use_parse("sms-os"), WDT_USE_SMS_OS);
	CHECK_EQ(wdt_use_parse("os-load"), WDT_USE_OS_LOAD);
	CHECK_EQ(wdt_use_parse("bios-frb2"), WDT_USE_FRB2);
	CHECK_EQ(wdt_use_parse("bios-post"), WDT_USE_POST);
	CHECK_EQ(wdt_use_parse("oem"), WDT_USE_OEM);
	CHECK_EQ(wdt_use_parse("frb2"), WDT_USE_FRB2);
	CHECK_EQ(wdt_use_parse("reserved"), -1);
	CHECK_EQ(wdt_use_parse("x"), -1);
	CHECK_EQ(wdt_action_parse("reset"), WDT_ACTION_RESET);
	CHECK_EQ(wdt_action_parse("power-off"), WDT_ACTION_POWER_DOWN);
	CHECK_EQ(wdt_action_parse("poweroff"), WDT_ACTION_POWER_DOWN);
	CHECK_EQ(wdt_action_parse("power-cycle"), WDT_ACTION_POWER_CYCLE);
	CHECK_EQ(wdt_action_parse("none"), WDT_ACTION_NONE);
	CHECK_EQ(wdt_action_parse("reserved"), -1);
	CHECK_EQ(wdt_pre_parse("nmi"), WDT_PRE_NMI);
	CHECK_EQ(wdt_pre_parse("smi"), WDT_PRE_SMI);
	CHECK_EQ(wdt_pre_parse("msg"), WDT_PRE_MSG);
	CHECK_EQ(wdt_pre_parse("none"), WDT_PRE_NONE);
	CHECK_EQ(wdt_pre_parse("nmi "), -1);
	CHECK_STR(wdt_action_key(WDT_ACTION_POWER_CYCLE), "power-cycle");
	CHECK_STR(wdt_use_key(WDT_USE_SMS_OS), "sms-os");
	CHECK_STR(wdt_action_name(7), "Reserved");
}

static void
test_validate(void)
{
	struct watchdog_cfg c;
	struct wdt_set s;
	char err[400];

	watchdog_cfg_default(&c);
	c.timeout_ms = 10000;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);	/* no hb */
	/* the seed's trap: 10 s timeout kicked every 10 s */
	c.interval_ms = 10000;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "not comfortably inside") != NULL);
	CHECK(strstr(err, "at most 5.0 s") != NULL);
	CHECK(strstr(err, "at least 20.0 s") != NULL);
	c.interval_ms = 5000;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);
	c.interval_ms = 5100;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK_EQ(watchdog_max_interval(&c), 5000);
	/* short timeouts: the 2 s margin decides */
	c.timeout_ms = 3000;
	CHECK_EQ(watchdog_max_interval(&c), 1000);
	c.interval_ms = 1000;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);
	c.interval_ms = 1100;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "at most 1.0 s") != NULL);
	CHECK(strstr(err, "at least 3.1 s") != NULL);
	c.timeout_ms = 2000;
	CHECK_EQ(watchdog_max_interval(&c), 0);
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "no interval is") != NULL);
	/* the pre-timeout interrupt comes first: it counts */
	c.timeout_ms = 10000;
	c.pretimeout_s = 5;
	c.pre_int = WDT_PRE_NMI;
	c.interval_ms = 3000;
	CHECK_EQ(watchdog_max_interval(&c), 2500);
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "less the pre-timeout") != NULL);
	c.interval_ms = 2500;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);
	/* pre-timeout must be shorter than the timeout */
	c.interval_ms = 0;
	c.pretimeout_s = 10;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "must be shorter than the timeout") != NULL);
	CHECK(strstr(err, "at most 9 s") != NULL);
	c.pretimeout_s = 9;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);
	c.pretimeout_s = 256;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	/* countdown range */
	c.pretimeout_s = 0;
	c.timeout_ms = 50;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "out of range") != NULL);
	c.timeout_ms = 6553600;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	c.timeout_ms = 6553500;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), 0);
	c.timeout_ms = 10000;
	c.use = 0;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);
	c.use = WDT_USE_SMS_OS;
	c.action = 4;
	CHECK_EQ(watchdog_validate(&c, err, sizeof(err)), -1);

	/* the Set it programs */
	watchdog_cfg_default(&c);
	c.timeout_ms = 10049;
	c.action = WDT_ACTION_POWER_CYCLE;
	watchdog_cfg_to_set(&c, &s);
	CHECK_EQ(s.initial, 100);
	CHECK_EQ(s.use, WDT_USE_SMS_OS);
	CHECK_EQ(s.clear, WDT_EXP_ALL);
	CHECK_EQ(s.dont_stop, 0);
	CHECK_EQ(s.action, WDT_ACTION_POWER_CYCLE);
}

/* build a fake root in a temp dir */
static char *
mkroot(char *tmpl)
{
	return mkdtemp(tmpl);
}

static void
put(const char *root, const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	(void)snprintf(p, sizeof(p), "%s%s", root, rel);
	if ((f = fopen(p, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
mkd(const char *root, const char *rel)
{
	char p[512];

	(void)snprintf(p, sizeof(p), "%s%s", root, rel);
	(void)mkdir(p, 0755);
}

static void
lnk(const char *root, const char *rel, const char *target)
{
	char p[512];

	(void)snprintf(p, sizeof(p), "%s%s", root, rel);
	(void)symlink(target, p);
}

static void
rmtree(const char *root)
{
	harness_rmtree(root);
}

static void
test_owner_local(void)
{
	char t1[] = "/tmp/test_wdt.XXXXXX", *r;
	struct watchdog_owner o;
	char txt[200];

	if ((r = mkroot(t1)) == NULL) {
		CHECK(0);
		return;
	}
	/* nothing there */
	CHECK_EQ(watchdog_owner_local(r, &o), 0);
	CHECK_EQ(o.resets, -1);
	mkd(r, "/proc");
	mkd(r, "/sys");
	mkd(r, "/sys/module");
	put(r, "/proc/modules", "ipmi_si 81920 0 - Live 0x0\n"
	    "ipmi_watchdog_x 1 0 - Live 0x0\n");
	mkd(r, "/proc/100");
	mkd(r, "/proc/100/fd");
	lnk(r, "/proc/100/fd/0", "/dev/null");
	lnk(r, "/proc/100/fd/1", "/dev/watchdogs");	/* not a watchdog */
	mkd(r, "/proc/self");
	CHECK_EQ(watchdog_owner_local(r, &o), 0);
	watchdog_owner_text(&o, txt, sizeof(txt));
	CHECK_STR(txt, "no other owner found");

	/* the module, by /proc/modules */
	put(r, "/proc/modules", "ipmi_si 81920 0 - Live 0x0\n"
	    "ipmi_watchdog 32768 0 - Live 0x0\n");
	CHECK_EQ(watchdog_owner_local(r, &o), 1);
	CHECK_EQ(o.module, 1);
	CHECK_EQ(o.dev_open, 0);
	watchdog_owner_text(&o, txt, sizeof(txt));
	CHECK(strstr(txt, "ipmi_watchdog kernel module") != NULL);
	/* the module, by /sys/module */
	put(r, "/proc/modules", "");
	mkd(r, "/sys/module/ipmi_watchdog");
	CHECK_EQ(watchdog_owner_local(r, &o), 1);
	CHECK_EQ(o.module, 1);
	rmtree(r);

	/* /dev/watchdog0 held open by pid 4242 */
	{
		char t2[] = "/tmp/test_wdt.XXXXXX";

		if ((r = mkroot(t2)) == NULL) {
			CHECK(0);
			return;
		}
		mkd(r, "/proc");
		mkd(r, "/proc/4242");
		mkd(r, "/proc/4242/fd");
		lnk(r, "/proc/4242/fd/3", "/dev/watchdog0");
		put(r, "/proc/4242/comm", "watchdogd\n");
		CHECK_EQ(watchdog_owner_local(r, &o), 1);
		CHECK_EQ(o.module, 0);
		CHECK_EQ(o.dev_open, 1);
		CHECK_EQ(o.pid, 4242);
		CHECK_STR(o.comm, "watchdogd");
		CHECK_STR(o.dev, "/dev/watchdog0");
		watchdog_owner_text(&o, txt, sizeof(txt));
		CHECK_STR(txt, "/dev/watchdog0 is held open by pid 4242 "
		    "(watchdogd)");
		/* everything found is said */
		mkd(r, "/sys");
		mkd(r, "/sys/module");
		mkd(r, "/sys/module/ipmi_watchdog");
		CHECK_EQ(watchdog_owner_local(r, &o), 1);
		o.resets = 1;
		watchdog_owner_text(&o, txt, sizeof(txt));
		CHECK_STR(txt, "/dev/watchdog0 is held open by pid 4242 "
		    "(watchdogd); the ipmi_watchdog kernel module is loaded "
		    "(it owns the BMC watchdog); the countdown is being reset "
		    "by someone else");
		rmtree(r);
	}
}

static void
test_owner_countdown(void)
{
	struct wdt_timer a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.running = b.running = 1;
	a.has_present = b.has_present = 1;
	a.present = 100;
	b.present = 85;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	b.present = 87;		/* within the slack */
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	b.present = 99;		/* fell 0.1 s in 1.5 s: reset meanwhile */
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 1);
	b.present = 100;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 1);
	b.present = 120;	/* went up */
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 100), 1);
	b.running = 0;		/* stopped: nobody drives it */
	b.present = 0;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	b.running = 1;
	b.present = 100;
	a.running = 0;		/* started in between */
	a.present = 0;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 1);
	/* QEMU ipmi-bmc-sim: no running bit, the countdown tells */
	a.running = b.running = 0;
	a.present = 100;
	b.present = 85;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	b.present = 97;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 1);
	b.present = 100;	/* frozen: a stopped timer */
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	a.running = b.running = 1;
	a.has_present = 0;	/* ipmi_sim: cannot tell */
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), -1);
	b.running = 0;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 0);
	a.running = 0;
	b.running = 1;
	CHECK_EQ(watchdog_owner_countdown(&a, &b, 1500), 1);
}

static void
op_done(struct watchdog_op *op, void *arg)
{
	(void)op;
	(*(int *)arg)++;
}

static void
run_until(struct ev *ev, int *flag)
{
	int i;

	for (i = 0; i < 1000 && !*flag; i++)
		(void)ev_run_once(ev, 100);
}

/* stopped: present countdown 0 (as QEMU's BMC and most firmware) */
static const uint8_t get_stopped[] = { 0x04, 0x03, 0x00, 0x00, 0x64, 0x00,
	0x00, 0x00 };
static const uint8_t get_running[] = { 0x44, 0x03, 0x00, 0x00, 0x64, 0x00,
	0x60, 0x00 };

static void
test_op_arm(void)
{
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_stopped, sizeof(get_stopped), 1 },
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_running, sizeof(get_running), 0 },
		/* exactly the Set we expect: SMS/OS, power cycle, 10 s,
		 * clear all flags */
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER,
		    (const uint8_t *)"\x04\x03\x00\x3e\x64\x00", 6, IPMI_OK,
		    0, NULL, 0, 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0xcc,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 5);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_op op;
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 10000;
	op.cfg.action = WDT_ACTION_POWER_CYCLE;
	op.owner_wait_ms = 50;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	CHECK_EQ(done, 0);
	run_until(ev, &done);
	CHECK_EQ(done, 1);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(op.before.running, 0);
	CHECK_EQ(op.timer.running, 1);
	CHECK_EQ(op.owner.resets, 0);
	/* stopped at first: no second Get needed */
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_GET_WATCHDOG_TIMER), 2);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 1);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER), 1);
	watchdog_op_cancel(&op);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_arm_owner(void)
{
	struct fake_rule rules[] = {
		/* running, and still at 9.6 s 50 ms later: somebody resets
		 * it (a real countdown would go down, but 50 ms is under
		 * the slack, so make the second one higher) */
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_running, sizeof(get_running), 1 },
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    (const uint8_t *)"\x44\x03\x00\x00\x64\x00\x64\x00", 8,
		    0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_op op;
	struct watchdog_owner local;
	char msg[400];
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 10000;
	op.owner_wait_ms = 50;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_E_OWNER);
	CHECK_EQ(op.owner.resets, 1);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 0);
	watchdog_op_errtext(&op, msg, sizeof(msg));
	CHECK(strstr(msg, "reset by someone else") != NULL);
	CHECK(strstr(msg, "--force") != NULL);

	/* forced: takes over */
	done = 0;
	op.force = 1;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 1);

	/* a local owner (the kernel driver) refuses without asking twice */
	memset(&local, 0, sizeof(local));
	local.module = 1;
	local.resets = -1;
	done = 0;
	op.force = 0;
	op.owner_wait_ms = 0;
	op.local = &local;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_E_OWNER);
	CHECK_EQ(op.owner.module, 1);
	watchdog_op_errtext(&op, msg, sizeof(msg));
	CHECK(strstr(msg, "ipmi_watchdog") != NULL);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 1);
	watchdog_op_cancel(&op);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_sim_quirks(void)
{
	/* ipmi_sim 2.0.33: short Get, 34 junk bytes after Set's ccode,
	 * "running" never set */
	static const uint8_t shortget[] = { 0x04, 0x03, 0x00, 0x00, 0x64,
		0x00 };
	uint8_t junk[34];
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    shortget, sizeof(shortget), 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    junk, sizeof(junk), 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 3);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_op op;
	int done = 0;

	memset(junk, 0x5a, sizeof(junk));
	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 10000;
	op.owner_wait_ms = 50;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK(op.quirks & WDT_QUIRK_SHORT_GET);
	CHECK(op.quirks & WDT_QUIRK_SET_JUNK);
	watchdog_op_cancel(&op);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_qemu_quirk(void)
{
	/* QEMU 7.2 ipmi-bmc-sim: after Set + Reset the use byte lacks the
	 * running bit, but the present countdown runs */
	static const uint8_t qrun[] = { 0x04, 0x01, 0x00, 0x00, 0x64, 0x00,
		0x63, 0x00 };
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_stopped, sizeof(get_stopped), 1 },
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    qrun, sizeof(qrun), 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct conn *c = conn_new(ev, fake_new(rules, 4));
	struct watchdog_op op;
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 10000;
	op.owner_wait_ms = 50;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK(op.quirks & WDT_QUIRK_NO_RUNNING_BIT);
	watchdog_op_cancel(&op);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_not_running(void)
{
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_stopped, sizeof(get_stopped), 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct conn *c = conn_new(ev, fake_new(rules, 3));
	struct watchdog_op op;
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_ARM;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 10000;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_E_NOT_RUNNING);
	watchdog_op_cancel(&op);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_kick(void)
{
	struct fake_rule rules[] = {
		/* first Reset: 80h, never initialised */
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0x80,
		    NULL, 0, 1 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 2 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0xc0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER,
		    (const uint8_t *)"\x04\x01\x00\x3e\x2c\x01", 6, IPMI_OK,
		    0, NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_op op;
	char msg[400];
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_KICK;
	watchdog_cfg_default(&op.cfg);
	op.cfg.timeout_ms = 30000;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(op.reinit, 1);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 1);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER), 2);
	/* a plain kick */
	done = 0;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(op.reinit, 0);
	/* another completion code is an error */
	done = 0;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_E_CCODE);
	CHECK_EQ(op.ccode, 0xc0);
	watchdog_op_errtext(&op, msg, sizeof(msg));
	CHECK(strstr(msg, "Reset Watchdog Timer: completion code C0h") !=
	    NULL);
	conn_free(c);
	ev_free(ev);
}

static void
test_op_stop_get(void)
{
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_running, sizeof(get_running), 0 },
		/* same use and countdown, no action, stop, no clearing */
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER,
		    (const uint8_t *)"\x04\x00\x00\x00\x64\x00", 6, IPMI_OK,
		    0, NULL, 0, 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0xcc,
		    NULL, 0, 0 },
		{ 6, FAKE_ANY, NULL, 0, IPMI_E_TIMEOUT, 0, NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_op op;
	int done = 0;

	memset(&op, 0, sizeof(op));
	op.kind = WATCHDOG_OP_STOP;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_SET_WATCHDOG_TIMER), 1);
	done = 0;
	op.kind = WATCHDOG_OP_GET;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_OK);
	CHECK_EQ(op.timer.present, 0x60);
	/* transport failure */
	done = 0;
	op.kind = WATCHDOG_OP_KICK;
	CHECK_EQ(watchdog_op_start(&op, ev, c, op_done, &done), 0);
	run_until(ev, &done);
	CHECK_EQ(op.err, WATCHDOG_E_TRANSPORT);
	CHECK_EQ(op.ierr, IPMI_E_TIMEOUT);
	conn_free(c);
	ev_free(ev);
}

struct hbseen {
	int	arms, kicks, stops, errors;
};

static void
hb_event(struct watchdog_hb *hb, const struct watchdog_op *op, void *arg)
{
	struct hbseen *s = arg;

	(void)hb;
	if (op->err != WATCHDOG_OK)
		s->errors++;
	else if (op->kind == WATCHDOG_OP_ARM)
		s->arms++;
	else if (op->kind == WATCHDOG_OP_KICK)
		s->kicks++;
	else if (op->kind == WATCHDOG_OP_STOP)
		s->stops++;
}

static void
test_heartbeat(void)
{
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_stopped, sizeof(get_stopped), 1 },
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_running, sizeof(get_running), 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_hb hb;
	struct hbseen s;
	char err[400];
	uint64_t t0, end, el;
	int i;

	memset(&hb, 0, sizeof(hb));
	memset(&s, 0, sizeof(s));
	watchdog_cfg_default(&hb.cfg);
	hb.cfg.timeout_ms = 10000;
	hb.cfg.interval_ms = 10000;	/* the trap: refused */
	CHECK_EQ(watchdog_hb_start(&hb, ev, c, hb_event, &s, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "at most 5.0 s") != NULL);
	hb.cfg.timeout_ms = 3000;
	hb.cfg.interval_ms = 100;
	CHECK_EQ(watchdog_hb_start(&hb, ev, c, hb_event, &s, err,
	    sizeof(err)), 0);
	/* three kicks, however slow the machine (10 s is 100 intervals) */
	t0 = ev_now();
	end = t0 + 10000;
	while (s.kicks < 3 && ev_now() < end)
		(void)ev_run_once(ev, 50);
	el = ev_now() - t0;
	CHECK_EQ(s.arms, 1);
	CHECK_EQ(hb.armed, 1);
	CHECK_EQ(s.kicks, 3);
	/* each turn comes an interval after the last one ran: never more
	 * kicks than the time taken allows */
	CHECK(el >= 300);
	CHECK_EQ(hb.kicks, (uint64_t)s.kicks);
	CHECK_EQ(s.errors, 0);
	watchdog_hb_stop(&hb);
	for (i = 0; i < 100 && s.stops == 0; i++)
		(void)ev_run_once(ev, 50);
	CHECK_EQ(s.stops, 1);
	i = (int)fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER);
	/* no more kicks after the stop */
	end = ev_now() + 250;
	while (ev_now() < end)
		(void)ev_run_once(ev, 50);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER), i);
	watchdog_hb_free(&hb);
	conn_free(c);
	ev_free(ev);
}

/* the gate withholds kicks while it says no, and only kicks */
static int
hb_gate(struct watchdog_hb *hb, void *arg)
{
	int *open = arg;

	(void)hb;
	return *open;
}

static void
test_heartbeat_gate(void)
{
	struct fake_rule rules[] = {
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_stopped, sizeof(get_stopped), 1 },
		{ 6, IPMI_CMD_GET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    get_running, sizeof(get_running), 0 },
		{ 6, IPMI_CMD_SET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
		{ 6, IPMI_CMD_RESET_WATCHDOG_TIMER, NULL, 0, IPMI_OK, 0,
		    NULL, 0, 0 },
	};
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 4);
	struct conn *c = conn_new(ev, tr);
	struct watchdog_hb hb;
	struct hbseen s;
	char err[400];
	uint64_t end;
	unsigned k;
	int open = 0, i;

	memset(&hb, 0, sizeof(hb));
	memset(&s, 0, sizeof(s));
	watchdog_cfg_default(&hb.cfg);
	hb.cfg.timeout_ms = 3000;
	hb.cfg.interval_ms = 100;
	hb.gate = hb_gate;
	hb.gate_arg = &open;
	CHECK_EQ(watchdog_hb_start(&hb, ev, c, hb_event, &s, err,
	    sizeof(err)), 0);
	end = ev_now() + 550;
	while (ev_now() < end)
		(void)ev_run_once(ev, 50);
	/* armed (the gate is not asked for that), never kicked */
	CHECK_EQ(s.arms, 1);
	CHECK_EQ(s.kicks, 0);
	CHECK_EQ(fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER), 1);
	CHECK(hb.withheld >= 3 && hb.withheld <= 6);
	/* the gate opens: kicks resume */
	open = 1;
	k = fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER);
	end = ev_now() + 350;
	while (ev_now() < end)
		(void)ev_run_once(ev, 50);
	CHECK(s.kicks >= 2);
	CHECK(fake_count(tr, 6, IPMI_CMD_RESET_WATCHDOG_TIMER) > k);
	/* a stop is never withheld */
	open = 0;
	watchdog_hb_stop(&hb);
	for (i = 0; i < 100 && s.stops == 0; i++)
		(void)ev_run_once(ev, 50);
	CHECK_EQ(s.stops, 1);
	watchdog_hb_free(&hb);
	conn_free(c);
	ev_free(ev);
}

int
main(void)
{
	RUN(test_get_full);
	RUN(test_get_sim_short);
	RUN(test_set_reset);
	RUN(test_names);
	RUN(test_validate);
	RUN(test_owner_local);
	RUN(test_owner_countdown);
	RUN(test_op_arm);
	RUN(test_op_arm_owner);
	RUN(test_op_sim_quirks);
	RUN(test_op_qemu_quirk);
	RUN(test_op_not_running);
	RUN(test_op_kick);
	RUN(test_op_stop_get);
	RUN(test_heartbeat);
	RUN(test_heartbeat_gate);
	return harness_end();
}
