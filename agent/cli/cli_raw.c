/* bmcwatch raw NETFN CMD [DATA ...]: hex in, hex out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cli_raw(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	uint8_t netfn, cmd, data[IPMI_MAX_DATA];
	unsigned long repeat = 1, k;
	char *end, what[40];
	int i, r;

	/* --repeat N: the same request N times over the held session
	 * (for benchmarks); the last answer is printed */
	if (argc >= 3 && strcmp(argv[1], "--repeat") == 0) {
		errno = 0;
		repeat = strtoul(argv[2], &end, 10);
		if (errno != 0 || *end != '\0' || repeat < 1 ||
		    repeat > 1000000) {
			cli_usage_error("raw", "bad --repeat count '%s'",
			    argv[2]);
			return CLI_EUSAGE;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 3) {
		cli_usage_error("raw", "need NETFN and CMD");
		return CLI_EUSAGE;
	}
	if (argc - 3 > IPMI_MAX_DATA) {
		cli_usage_error("raw", "too many data bytes (max %d)",
		    IPMI_MAX_DATA);
		return CLI_EUSAGE;
	}
	if (cli_parse_byte(argv[1], &netfn) != 0 || netfn > 0x3f) {
		cli_usage_error("raw", "bad NETFN '%s' (hex 00-3f)", argv[1]);
		return CLI_EUSAGE;
	}
	if (cli_parse_byte(argv[2], &cmd) != 0) {
		cli_usage_error("raw", "bad CMD '%s' (hex 00-ff)", argv[2]);
		return CLI_EUSAGE;
	}
	for (i = 3; i < argc; i++)
		if (cli_parse_byte(argv[i], &data[i - 3]) != 0) {
			cli_usage_error("raw", "bad data byte %d '%s' "
			    "(hex 00-ff)", i - 2, argv[i]);
			return CLI_EUSAGE;
		}
	for (k = 0; k < repeat; k++) {
		ipmi_req_init(&req, netfn, cmd, data, (size_t)(argc - 3));
		if ((r = cli_call(c, &req, &rsp)) != 0)
			return -r;
	}
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_int(&c->js, "netfn", netfn);
		jsonw_int(&c->js, "cmd", cmd);
		jsonw_int(&c->js, "ccode", rsp.ccode);
		jsonw_str(&c->js, "ccode_name",
		    ipmi_ccode_name(rsp.netfn, rsp.cmd, rsp.ccode));
		jsonw_hex(&c->js, "data", rsp.data, rsp.len);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else if (rsp.ccode == IPMI_CC_OK) {
		for (i = 0; i < rsp.len; i++)
			printf("%s%02x", i % 16 == 0 ? (i ? "\n " : " ") : " ",
			    rsp.data[i]);
		printf("\n");
	}
	if (rsp.ccode != IPMI_CC_OK) {
		(void)snprintf(what, sizeof(what),
		    "raw NetFn 0x%02x Cmd 0x%02x", netfn, cmd);
		return cli_ccode_error(c, &req, &rsp, what);
	}
	return CLI_OK;
}
