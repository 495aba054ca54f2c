/* bmcwatch info: Get Device ID and the GUIDs, as `ipmitool mc info`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_app.h"

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

static void
info_text(const struct app_devid *d, const char *devguid,
    const char *sysguid)
{
	const char *mname = ipmi_iana_name(d->manufacturer);
	unsigned i;

	printf("Device ID                 : %u\n", d->device_id);
	printf("Device Revision           : %u\n", d->device_rev);
	printf("Firmware Revision         : %u.%02x\n", d->fw_major,
	    d->fw_minor);
	printf("IPMI Version              : %x.%x\n", d->ipmi_version & 0x0f,
	    d->ipmi_version >> 4);
	printf("Manufacturer ID           : %u\n", d->manufacturer);
	if (mname)
		printf("Manufacturer Name         : %s\n", mname);
	else
		printf("Manufacturer Name         : Unknown (0x%X)\n",
		    d->manufacturer);
	printf("Product ID                : %u (0x%04x)\n", d->product,
	    d->product);
	printf("Device Available          : %s\n", d->available ? "no" :
	    "yes");
	printf("Provides Device SDRs      : %s\n", d->provides_sdrs ? "yes" :
	    "no");
	printf("Additional Device Support :\n");
	for (i = 0; i < 8; i++)
		if (d->support & (1u << i))
			printf("    %s\n", app_devid_support_name(i));
	if (d->has_aux) {
		printf("Aux Firmware Rev Info     : \n");
		for (i = 0; i < 4; i++)
			printf("    0x%02x\n", d->aux[i]);
	}
	printf("Device GUID               : %s\n", devguid ? devguid :
	    "not supported");
	printf("System GUID               : %s\n", sysguid ? sysguid :
	    "not supported");
}

static void
info_json(struct cli *c, const struct app_devid *d,
    const struct ipmi_rsp *rsp, const char *devguid, const char *sysguid)
{
	struct json *j = &c->js;
	char buf[16];
	unsigned i;

	json_obj_begin(j, NULL);
	json_int(j, "device_id", d->device_id);
	json_int(j, "device_revision", d->device_rev);
	(void)snprintf(buf, sizeof(buf), "%u.%02x", d->fw_major, d->fw_minor);
	json_str(j, "firmware_revision", buf);
	(void)snprintf(buf, sizeof(buf), "%x.%x", d->ipmi_version & 0x0f,
	    d->ipmi_version >> 4);
	json_str(j, "ipmi_version", buf);
	json_int(j, "manufacturer_id", d->manufacturer);
	json_str(j, "manufacturer_name", ipmi_iana_name(d->manufacturer));
	json_int(j, "product_id", d->product);
	json_bool(j, "device_available", !d->available);
	json_bool(j, "provides_device_sdrs", d->provides_sdrs);
	json_arr_begin(j, "additional_device_support");
	for (i = 0; i < 8; i++)
		if (d->support & (1u << i))
			json_str(j, NULL, app_devid_support_name(i));
	json_arr_end(j);
	if (d->has_aux)
		json_hex(j, "aux_firmware_rev", d->aux, 4);
	else
		json_null(j, "aux_firmware_rev");
	json_str(j, "device_guid", devguid);
	json_str(j, "system_guid", sysguid);
	json_hex(j, "device_id_raw", rsp->data, rsp->len);
	json_obj_end(j);
	json_end(j);
}

int
cli_info(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct app_devid d;
	uint8_t g[16];
	char devguid[37], sysguid[37];
	int r, have_dev, have_sys;

	(void)argv;
	if (argc != 1) {
		cli_usage_error("info", "takes no arguments");
		return CLI_EUSAGE;
	}
	app_devid_req(&req);
	if ((r = cli_call_ok(c, &req, &rsp, "Get Device ID")) != 0)
		return -r;
	if (app_devid_decode(rsp.data, rsp.len, &d) != IPMI_OK)
		return cli_short_error(c, "Get Device ID", rsp.len,
		    APP_DEVID_RSP_LEN);
	/* info_guid answers into its own buffer: rsp stays Get Device ID */
	if ((r = info_guid(c, 0, g)) < 0)
		return -r;
	if ((have_dev = r == 0))
		app_guid_format(g, devguid);
	if ((r = info_guid(c, 1, g)) < 0)
		return -r;
	if ((have_sys = r == 0))
		app_guid_format(g, sysguid);
	if (c->json)
		info_json(c, &d, &rsp, have_dev ? devguid : NULL,
		    have_sys ? sysguid : NULL);
	else
		info_text(&d, have_dev ? devguid : NULL,
		    have_sys ? sysguid : NULL);
	return CLI_OK;
}
