/*
 * A spec-conforming BMC watchdog for OpenIPMI's ipmi_sim 2.0.33, loaded
 * with `loadlib` (ipmi_lan(5)); test-bed code, not part of bmcwatch.
 *
 * The stock watchdog (lanserv/bmc_app.c) is wrong in ways a client
 * cannot work around: Get Watchdog Timer answers 6 data bytes (no
 * present countdown) and never sets "running"; Set answers junk after
 * the completion code and refuses actions without a system-interface
 * peer; a "no action" timer never counts down; and Reset does not
 * restart a countdown that is already pending, so a timer reset every
 * 2 s still fires 10 s after it was first started.  This module
 * replaces Reset, Set and Get Watchdog Timer (IPMI v2.0 sections
 * 27.5-27.7) with handlers that follow the spec.  On expiry it sets
 * the Watchdog 2 sensor's offset for the action (SEL event
 * "Watchdog 2 | Hard reset | Asserted" and so on, as the stock code
 * would), sets the expiration flag of the timer use, and performs the
 * action through the chassis control program given as the module's
 * option string (PROG set reset 1 / set power 0 / set power 0 then 1),
 * and through the system-interface peer when one is connected.
 *
 *	loadlib "/path/wdt_plugin.so" "/bin/sh /path/chassis.sh RUNDIR"
 *
 * Build: cc -shared -fPIC -o wdt_plugin.so wdt_plugin.c (libopenipmi-dev)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <OpenIPMI/ipmi_err.h>
#include <OpenIPMI/ipmi_msgbits.h>
#include <OpenIPMI/lanserv.h>
#include <OpenIPMI/mcserv.h>
#include <OpenIPMI/serv.h>

#define WDT_SENSOR	0x00	/* "Watchdog", tests/sim/bmc.emu */
#define WDT_LUN		0

static struct {
	sys_data_t	*sys;
	lmc_data_t	*mc;
	ipmi_timer_t	*timer;
	char		 prog[512];
	int		 initialized;
	int		 running;
	int		 pre_done;
	unsigned char	 use;		/* byte 1 of Set, bits 7 and 2:0 */
	unsigned char	 actions;	/* byte 2 */
	unsigned char	 pretimeout;	/* seconds */
	unsigned char	 expired;	/* flags */
	unsigned int	 initial;	/* 100 ms */
	struct timeval	 expiry;	/* monotonic, when running */
} W;

static long
ms_until(const struct timeval *t)
{
	struct timeval now;

	W.sys->get_monotonic_time(W.sys, &now);
	return (t->tv_sec - now.tv_sec) * 1000 +
	    (t->tv_usec - now.tv_usec) / 1000;
}

static void
arm_timer(long ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	W.sys->stop_timer(W.timer);	/* the stock code forgets this */
	W.sys->start_timer(W.timer, &tv);
}

static void
chassis(const char *what)
{
	char cmd[700];

	if (W.prog[0] == '\0')
		return;
	(void)snprintf(cmd, sizeof(cmd), "%s set %s", W.prog, what);
	/* the sim's chassis command line, as ipmi_sim's own chassis
	 * control runs it: the test's script, no outside input */
	/* NOLINTNEXTLINE(cert-env33-c) */
	if (system(cmd) != 0)
		W.sys->log(W.sys, OS_ERROR, NULL, "wdt_plugin: '%s' failed",
		    cmd);
}

static channel_t *
peer(void)
{
	channel_t **cs = W.sys->mc_get_channelset(W.mc);

	return cs != NULL ? cs[15] : NULL;
}

static void
sensor_event(unsigned int offset)
{
	unsigned int b;

	/* clear earlier offsets quietly so that this one is a new
	 * assertion (and a new SEL entry) */
	for (b = 0; b <= 8; b++)
		if (b != offset)
			(void)ipmi_mc_sensor_set_bit(W.mc, WDT_LUN, WDT_SENSOR,
			    b, 0, 0);
	(void)ipmi_mc_sensor_set_bit(W.mc, WDT_LUN, WDT_SENSOR, offset, 0, 0);
	(void)ipmi_mc_sensor_set_bit(W.mc, WDT_LUN, WDT_SENSOR, offset, 1, 1);
}

static void
expire(void *cb_data)
{
	unsigned int action = W.actions & 0x07, pre = (W.actions >> 4) & 7;
	channel_t *ch;

	(void)cb_data;
	if (!W.running)
		return;
	if (pre != 0 && !W.pre_done && W.pretimeout > 0) {
		/* the pre-timeout interrupt: offset 8, "timer interrupt" */
		W.pre_done = 1;
		sensor_event(8);
		arm_timer(ms_until(&W.expiry));
		return;
	}
	W.running = 0;
	W.expired |= (unsigned char)(1u << (W.use & 0x07));
	/* offsets 0-3: timer expired, hard reset, power down, cycle */
	sensor_event(action <= 3 ? action : 0);
	ch = peer();
	switch (action) {
	case 1:
		chassis("reset 1");
		if (ch != NULL && ch->hw_op != NULL && HW_OP_CAN_RESET(ch))
			ch->hw_op(ch, HW_OP_RESET);
		break;
	case 2:
		chassis("power 0");
		if (ch != NULL && ch->hw_op != NULL && HW_OP_CAN_POWER(ch))
			ch->hw_op(ch, HW_OP_POWEROFF);
		break;
	case 3:
		chassis("power 0");
		chassis("power 1");
		if (ch != NULL && ch->hw_op != NULL && HW_OP_CAN_POWER(ch))
			ch->hw_op(ch, HW_OP_POWEROFF);
		break;
	default:
		break;
	}
}

/* start (or restart) the countdown from the initial value */
static void
restart(void)
{
	long ms = (long)W.initial * 100, first = ms;
	unsigned int pre = (W.actions >> 4) & 7;

	W.sys->get_monotonic_time(W.sys, &W.expiry);
	W.expiry.tv_sec += ms / 1000;
	W.expiry.tv_usec += (ms % 1000) * 1000;
	if (W.expiry.tv_usec >= 1000000) {
		W.expiry.tv_usec -= 1000000;
		W.expiry.tv_sec++;
	}
	W.pre_done = 0;
	if (pre != 0 && W.pretimeout > 0)
		first -= (long)W.pretimeout * 1000;
	W.running = 1;
	arm_timer(first);
}

static void
h_reset(lmc_data_t *mc, msg_t *msg, unsigned char *rdata,
    unsigned int *rdata_len, void *cb_data)
{
	(void)msg;
	(void)cb_data;
	W.mc = mc;
	if (!W.initialized) {
		rdata[0] = 0x80;	/* 27.5: not initialised */
		*rdata_len = 1;
		return;
	}
	restart();
	rdata[0] = 0;
	*rdata_len = 1;
}

static void
h_set(lmc_data_t *mc, msg_t *msg, unsigned char *rdata,
    unsigned int *rdata_len, void *cb_data)
{
	unsigned int use, action, pre;

	(void)cb_data;
	W.mc = mc;
	if (msg->len < 6) {
		rdata[0] = IPMI_REQUEST_DATA_LENGTH_INVALID_CC;
		*rdata_len = 1;
		return;
	}
	use = msg->data[0] & 0x07;
	action = msg->data[1] & 0x07;
	pre = (msg->data[1] >> 4) & 0x07;
	if (use == 0 || use > 5 || action > 3 || pre > 3 ||
	    (pre != 0 && msg->data[2] * 10u > (unsigned)(msg->data[4] |
	    msg->data[5] << 8))) {
		rdata[0] = IPMI_INVALID_DATA_FIELD_CC;
		*rdata_len = 1;
		return;
	}
	W.use = msg->data[0] & 0x87;
	W.actions = msg->data[1] & 0x77;
	W.pretimeout = msg->data[2];
	W.expired &= (unsigned char)~msg->data[3];
	W.initial = msg->data[4] | (unsigned)msg->data[5] << 8;
	W.initialized = 1;
	if (W.running && (msg->data[0] & 0x40))
		restart();		/* v2.0: don't stop; new countdown */
	else {
		W.running = 0;
		W.sys->stop_timer(W.timer);
	}
	rdata[0] = 0;
	*rdata_len = 1;
}

static void
h_get(lmc_data_t *mc, msg_t *msg, unsigned char *rdata,
    unsigned int *rdata_len, void *cb_data)
{
	long left = 0;

	(void)msg;
	(void)cb_data;
	W.mc = mc;
	if (W.running) {
		left = (ms_until(&W.expiry) + 50) / 100;
		if (left < 0)
			left = 0;
	}
	rdata[0] = 0;
	rdata[1] = (unsigned char)(W.use | (W.running ? 0x40 : 0));
	rdata[2] = W.actions;
	rdata[3] = W.pretimeout;
	rdata[4] = W.expired;
	rdata[5] = W.initial & 0xff;
	rdata[6] = (W.initial >> 8) & 0xff;
	rdata[7] = (unsigned char)(left & 0xff);
	rdata[8] = (unsigned char)((left >> 8) & 0xff);
	*rdata_len = 9;
}

int ipmi_sim_module_print_version(sys_data_t *, char *);
int ipmi_sim_module_init(sys_data_t *, const char *);

int
ipmi_sim_module_print_version(sys_data_t *sys, char *options)
{
	(void)sys;
	(void)options;
	printf("bmcwatch test watchdog plugin 1.0\n");
	return 0;
}

int
ipmi_sim_module_init(sys_data_t *sys, const char *options)
{
	int rv;

	memset(&W, 0, sizeof(W));
	W.sys = sys;
	W.mc = sys->mc;
	if (options != NULL)
		(void)snprintf(W.prog, sizeof(W.prog), "%s", options);
	if ((rv = sys->alloc_timer(sys, expire, NULL, &W.timer)) != 0)
		return rv;
	if ((rv = ipmi_emu_register_cmd_handler(IPMI_APP_NETFN,
	    IPMI_RESET_WATCHDOG_TIMER_CMD, h_reset, NULL)) != 0 ||
	    (rv = ipmi_emu_register_cmd_handler(IPMI_APP_NETFN,
	    IPMI_SET_WATCHDOG_TIMER_CMD, h_set, NULL)) != 0 ||
	    (rv = ipmi_emu_register_cmd_handler(IPMI_APP_NETFN,
	    IPMI_GET_WATCHDOG_TIMER_CMD, h_get, NULL)) != 0)
		return rv;
	return 0;
}
