/* bmcwatch info: Get Device ID and the GUIDs, as `ipmitool mc info`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_app.h"
#include "shape.h"

/* Get a GUID; 0 with guid set, 1 if the BMC does not support it,
 * or a negative CLI error. */
static int
info_guid(struct cli *c, int sys, uint8_t guid[16])
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	int r;

	app_guid_req(&req, sys);
	if ((r = cli_call(c, &req, &rsp)) != 0)
		return r;
	if (rsp.ccode != IPMI_CC_OK ||
	    app_guid_decode(rsp.data, rsp.len, guid) != IPMI_OK)
		return 1;
	return 0;
}

int
cli_info(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct shape_info in;
	uint8_t g[16];
	int r;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("info", "takes no arguments");
		return CLI_EUSAGE;
	}
	app_devid_req(&req);
	if ((r = cli_call_ok(c, &req, &rsp, "Get Device ID")) != 0)
		return -r;
	memset(&in, 0, sizeof(in));
	if (app_devid_decode(rsp.data, rsp.len, &in.d) != IPMI_OK)
		return cli_short_error(c, "Get Device ID", rsp.len,
		    APP_DEVID_RSP_LEN);
	/* info_guid answers into its own buffer: rsp stays Get Device ID */
	if ((r = info_guid(c, 0, g)) < 0)
		return -r;
	if ((in.have_devguid = r == 0))
		app_guid_format(g, in.devguid);
	if ((r = info_guid(c, 1, g)) < 0)
		return -r;
	if ((in.have_sysguid = r == 0))
		app_guid_format(g, in.sysguid);
	in.rawlen = rsp.len < sizeof(in.raw) ? rsp.len : sizeof(in.raw);
	memcpy(in.raw, rsp.data, in.rawlen);
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		shape_info_json(&c->js, &in);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		shape_info_text(stdout, &in);
	return CLI_OK;
}
