/*
 * bmcwatch chassis: status (as `ipmitool chassis status`), power
 * control, identify, restart cause, power-on hours and boot device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chassis.h"
#include "cli.h"
#include "cmd_chassis.h"
#include "shape.h"

static int
get_status(struct cli *c, struct chassis_status *s)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	int r;

	memset(s, 0, sizeof(*s));	/* defined on every return */
	chassis_status_req(&req);
	if ((r = cli_call_ok(c, &req, &rsp, "Get Chassis Status")) != 0)
		return -r;
	if (chassis_status_decode(rsp.data, rsp.len, s) != IPMI_OK)
		return cli_short_error(c, "Get Chassis Status", rsp.len, 3);
	return CLI_OK;
}

static int
chassis_status(struct cli *c, int argc, char **argv)
{
	struct chassis_status s;
	int r;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("chassis status", "takes no arguments");
		return CLI_EUSAGE;
	}
	if ((r = get_status(c, &s)) != CLI_OK)
		return r;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		shape_chassis_json(&c->js, &s, 0, -1);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		shape_chassis_text(stdout, &s, 0, -1);
	return CLI_OK;
}

/*
 * Control and identify need an operator session.  Over the system
 * interface there is no session (the driver is all-powerful), so the
 * check is for LAN only.
 */
static int
need_operator(struct cli *c, const char *what)
{
	if (c->cfg.iface == IPMI_IFACE_OPEN ||
	    chassis_priv_ok(c->cfg.priv) == 0)
		return 0;
	fprintf(stderr, "bmcwatch: %s: refused: needs the operator "
	    "privilege, but the session is at %s level (-L %s); use -L "
	    "operator or -L admin with an account allowed that level\n",
	    what, ipmi_priv_name(c->cfg.priv), ipmi_priv_name(c->cfg.priv));
	return -1;
}

/* a control-type request: D4h gets a clear message */
static int
control_call(struct cli *c, struct ipmi_req *req, struct ipmi_rsp *rsp,
    const char *what)
{
	char cc[IPMI_CCODE_TEXT_MAX];
	int r;

	if ((r = cli_call(c, req, rsp)) != 0)
		return -r;
	if (rsp->ccode == IPMI_CC_INSUFFICIENT_PRIVILEGE) {
		fprintf(stderr, "bmcwatch: %s: %s: refused by the BMC: %s; "
		    "this needs an operator or administrator session (-L "
		    "operator with an account allowed that level)\n",
		    ipmi_tr_peer(conn_tr(c->conn)), what, ipmi_ccode_fmt(cc,
		    sizeof(cc), req->netfn, req->cmd, rsp->ccode));
		return CLI_ECCODE;
	}
	if (rsp->ccode != IPMI_CC_OK)
		return cli_ccode_error(c, req, rsp, what);
	return CLI_OK;
}

static int
chassis_power(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct chassis_status s;
	int ctl, r;

	if (argc != 2) {
		cli_usage_error("chassis power", "need one of on, off, soft, "
		    "cycle, reset, diag, status");
		return CLI_EUSAGE;
	}
	if (strcmp(argv[1], "status") == 0) {
		if ((r = get_status(c, &s)) != CLI_OK)
			return r;
		if (c->json) {
			jsonw_obj_begin(&c->js, NULL);
			jsonw_str(&c->js, "system_power", s.power_on ? "on" :
			    "off");
			jsonw_obj_end(&c->js);
			jsonw_end(&c->js);
		} else
			printf("Chassis Power is %s\n", s.power_on ? "on" :
			    "off");
		return CLI_OK;
	}
	if ((ctl = chassis_control_parse(argv[1])) < 0) {
		cli_usage_error("chassis power", "unknown action '%s' (on, "
		    "off, soft, cycle, reset, diag, status)", argv[1]);
		return CLI_EUSAGE;
	}
	if (need_operator(c, "chassis power") != 0)
		return CLI_EUSAGE;
	chassis_control_req(&req, (uint8_t)ctl);
	if ((r = control_call(c, &req, &rsp, "Chassis Control")) != CLI_OK)
		return r;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_str(&c->js, "chassis_power_control", argv[1]);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("Chassis Power Control: %s\n",
		    chassis_control_name((uint8_t)ctl));
	return CLI_OK;
}

static int
chassis_identify(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	int interval = -1, force = 0, r;
	char *end;
	long v;

	if (argc > 2) {
		cli_usage_error("chassis identify", "usage: chassis identify "
		    "[SECONDS|force|off]");
		return CLI_EUSAGE;
	}
	if (argc == 2) {
		if (strcmp(argv[1], "force") == 0) {
			force = 1;
			interval = 0;
		} else if (strcmp(argv[1], "off") == 0)
			interval = 0;
		else {
			errno = 0;
			v = strtol(argv[1], &end, 10);
			if (errno != 0 || *end != '\0' || end == argv[1] ||
			    v < 0 || v > 255) {
				cli_usage_error("chassis identify", "bad "
				    "interval '%s' (0-255 seconds, force or "
				    "off)", argv[1]);
				return CLI_EUSAGE;
			}
			interval = (int)v;
		}
	}
	if (need_operator(c, "chassis identify") != 0)
		return CLI_EUSAGE;
	chassis_identify_req(&req, interval, force);
	if ((r = control_call(c, &req, &rsp, "Chassis Identify")) != CLI_OK) {
		if (force && r == CLI_ECCODE)
			fprintf(stderr, "bmcwatch: the chassis may not support "
			    "Force Identify On\n");
		return r;
	}
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		if (force)
			jsonw_str(&c->js, "identify", "indefinite");
		else if (interval < 0)
			jsonw_int(&c->js, "identify_seconds", 15);
		else
			jsonw_int(&c->js, "identify_seconds", interval);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
		return CLI_OK;
	}
	printf("Chassis identify interval: ");
	if (force)
		printf("indefinite\n");
	else if (interval < 0)
		printf("default (15 seconds)\n");
	else if (interval == 0)
		printf("off\n");
	else
		printf("%d seconds\n", interval);
	return CLI_OK;
}

/*
 * An optional command: C1h and friends are "not supported" (exit 0),
 * other completion codes an error.  Returns CLI_OK with *supported set,
 * or an exit code.
 */
static int
optional_call(struct cli *c, struct ipmi_req *req, struct ipmi_rsp *rsp,
    const char *what, int *supported)
{
	enum chassis_item st;
	int r;

	*supported = 0;
	if ((r = cli_call(c, req, rsp)) != 0)
		return -r;
	st = chassis_classify(req->netfn, req->cmd, rsp->ccode);
	if (st == CHASSIS_ITEM_UNSUPPORTED)
		return CLI_OK;
	if (st != CHASSIS_ITEM_OK)
		return cli_ccode_error(c, req, rsp, what);
	*supported = 1;
	return CLI_OK;
}

static void
unsupported(struct cli *c, const char *label)
{
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "supported", 0);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("%s: not supported\n", label);
}

static int
chassis_restart(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct chassis_restart rc;
	int r, sup;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("chassis restart-cause", "takes no arguments");
		return CLI_EUSAGE;
	}
	chassis_restart_req(&req);
	if ((r = optional_call(c, &req, &rsp, "Get System Restart Cause",
	    &sup)) != CLI_OK)
		return r;
	if (!sup) {
		unsupported(c, "System restart cause");
		return CLI_OK;
	}
	if (chassis_restart_decode(rsp.data, rsp.len, &rc) != IPMI_OK)
		return cli_short_error(c, "Get System Restart Cause", rsp.len,
		    1);
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "supported", 1);
		jsonw_int(&c->js, "restart_cause_code", rc.cause);
		jsonw_str(&c->js, "restart_cause",
		    chassis_restart_name(rc.cause));
		if (rc.has_channel)
			jsonw_int(&c->js, "channel", rc.channel);
		else
			jsonw_null(&c->js, "channel");
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("System restart cause: %s\n",
		    chassis_restart_name(rc.cause));
	return CLI_OK;
}

static int
chassis_poh(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct chassis_poh h;
	uint64_t m, days, hours;
	int r, sup;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("chassis poh", "takes no arguments");
		return CLI_EUSAGE;
	}
	chassis_poh_req(&req);
	if ((r = optional_call(c, &req, &rsp, "Get POH Counter", &sup)) !=
	    CLI_OK)
		return r;
	if (!sup) {
		unsupported(c, "POH Counter");
		return CLI_OK;
	}
	if (chassis_poh_decode(rsp.data, rsp.len, &h) != IPMI_OK)
		return cli_short_error(c, "Get POH Counter", rsp.len, 5);
	m = chassis_poh_minutes(&h);
	days = m / 1440;
	hours = (m % 1440) / 60;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "supported", 1);
		jsonw_int(&c->js, "minutes_per_count", h.minutes_per_count);
		jsonw_int(&c->js, "count", h.count);
		jsonw_int(&c->js, "power_on_minutes", (long long)m);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else if (h.minutes_per_count < 60)
		printf("POH Counter  : %llu days, %llu hours, %llu minutes\n",
		    (unsigned long long)days, (unsigned long long)hours,
		    (unsigned long long)(m % 60));
	else
		printf("POH Counter  : %llu days, %llu hours\n",
		    (unsigned long long)days, (unsigned long long)hours);
	return CLI_OK;
}

static int
chassis_bootdev(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct chassis_bootopt bo;
	struct chassis_bootflags f;
	int r, sup;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("chassis bootdev", "takes no arguments (it "
		    "reads the boot device)");
		return CLI_EUSAGE;
	}
	chassis_bootopt_req(&req, CHASSIS_BOOTPARAM_FLAGS, 0, 0);
	if ((r = optional_call(c, &req, &rsp, "Get System Boot Options",
	    &sup)) != CLI_OK)
		return r;
	if (!sup) {
		unsupported(c, "Boot Device Selector");
		return CLI_OK;
	}
	/* version and parameter, then 3 bytes of boot flags at least */
	if (chassis_bootopt_decode(rsp.data, rsp.len, &bo) != IPMI_OK)
		return cli_short_error(c, "Get System Boot Options", rsp.len,
		    2);
	if (bo.param != CHASSIS_BOOTPARAM_FLAGS) {
		fprintf(stderr, "bmcwatch: %s: Get System Boot Options: "
		    "answered for parameter %u, not the boot flags (%u)\n",
		    ipmi_tr_peer(conn_tr(c->conn)), (unsigned)bo.param,
		    (unsigned)CHASSIS_BOOTPARAM_FLAGS);
		return CLI_ETRANSPORT;
	}
	if (chassis_bootflags_decode(&bo, &f) != IPMI_OK)
		return cli_short_error(c, "Get System Boot Options", rsp.len,
		    5);
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_bool(&c->js, "supported", 1);
		jsonw_bool(&c->js, "valid", f.valid);
		jsonw_bool(&c->js, "persistent", f.persistent);
		jsonw_str(&c->js, "boot_type", f.efi ? "efi" : "legacy");
		jsonw_str(&c->js, "boot_device", chassis_bootdev_key(f.device));
		jsonw_str(&c->js, "boot_device_text",
		    chassis_bootdev_name(f.device));
		jsonw_int(&c->js, "boot_device_selector", f.device);
		jsonw_int(&c->js, "instance", f.instance);
		jsonw_hex(&c->js, "raw", bo.data, bo.len);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
		return CLI_OK;
	}
	printf("Boot Flags Valid     : %s\n", f.valid ? "yes" : "no");
	printf("Boot Flags Apply To  : %s\n", f.persistent ?
	    "all future boots" : "next boot only");
	printf("Boot Type            : %s\n", f.efi ? "EFI" : "Legacy");
	printf("Boot Device Selector : %s\n", chassis_bootdev_name(f.device));
	if (f.instance != 0)
		printf("Device Instance      : %u\n", f.instance);
	return CLI_OK;
}

int
cli_chassis(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cli *, int, char **);
	} sub[] = {
		{ "status", chassis_status },
		{ "power", chassis_power },
		{ "identify", chassis_identify },
		{ "restart-cause", chassis_restart },
		{ "restart_cause", chassis_restart },
		{ "poh", chassis_poh },
		{ "bootdev", chassis_bootdev },
	};
	size_t i;

	if (argc < 2) {
		cli_usage_error("chassis", "need a subcommand: status, power, "
		    "identify, restart-cause, poh, bootdev");
		return CLI_EUSAGE;
	}
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (strcmp(argv[1], sub[i].name) == 0)
			return sub[i].fn(c, argc - 1, argv + 1);
	cli_usage_error("chassis", "unknown subcommand '%s' (status, power, "
	    "identify, restart-cause, poh, bootdev)", argv[1]);
	return CLI_EUSAGE;
}
