/*
 * bmcwatch -S SOCKET [--target NAME] [--json] COMMAND ...: ask bmcwatchd
 * instead of a BMC.  The command line becomes one control socket
 * request (ctl.h), the answer is printed as it comes: the same output as
 * the direct command, from the daemon's memory.  Exit status: the
 * answer's code (0; 1 refused or a completion code; 2 usage; 3 the BMC
 * unreachable, not read yet, or the daemon not answering).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"
#include "ctl_client.h"

/* append " word" to the request; -1 if it would not fit */
static int
ctl_add(char *req, size_t cap, const char *w)
{
	size_t l = strlen(req), n = strlen(w);

	if (l + n + 2 > cap)
		return -1;
	if (l > 0)
		req[l++] = ' ';
	memcpy(req + l, w, n + 1);
	return 0;
}

/* the request line for argv; 0, or -1 (usage said) */
static int
ctl_request(struct cli *c, int argc, char **argv, char *req, size_t cap)
{
	int i, rc = 0;
	char kv[CTL_NAME_MAX + 16];

	req[0] = '\0';
	for (i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		/* the direct command's options, as request keys */
		if (strcmp(a, "-v") == 0)
			rc = ctl_add(req, cap, "verbose=1");
		else if (strcmp(a, "--open") == 0)
			rc = ctl_add(req, cap, "open=1");
		else if (strcmp(a, "--last") == 0 && i + 1 < argc) {
			(void)snprintf(kv, sizeof(kv), "last=%.20s", argv[++i]);
			rc = ctl_add(req, cap, kv);
		} else if (a[0] == '-' && a[1] != '\0' && strcmp(argv[0],
		    "chassis") != 0) {
			cli_usage_error(argv[0], "option '%s' is not answered "
			    "by the daemon (-S)", a);
			return -1;
		} else if (strchr(a, '=') != NULL || strchr(a, ' ') != NULL) {
			cli_usage_error(argv[0], "bad word '%s'", a);
			return -1;
		} else
			rc = ctl_add(req, cap, a);
	}
	if (rc == 0 && c->target != NULL) {
		if (strlen(c->target) > CTL_NAME_MAX) {
			cli_usage_error("--target", "name longer than %d",
			    CTL_NAME_MAX);
			return -1;
		}
		(void)snprintf(kv, sizeof(kv), "target=%s", c->target);
		rc = ctl_add(req, cap, kv);
	}
	if (rc == 0 && c->json)
		rc = ctl_add(req, cap, "format=json");
	if (rc != 0) {
		cli_usage_error(argv[0], "request longer than %d bytes",
		    CTL_LINE_MAX);
		return -1;
	}
	return 0;
}

int
cli_ctl(struct cli *c, int argc, char **argv)
{
	char req[CTL_LINE_MAX + 1], err[512];
	char *buf = NULL;
	size_t plen = 0;
	int code = 0;

	if (argc > 0 && strcmp(argv[0], "sol") == 0)
		return cli_sol_attach(c, argc, argv);
	if (ctl_request(c, argc, argv, req, sizeof(req)) != 0)
		return CLI_EUSAGE;
	switch (ctl_client_ask(c->sock, req, c->sock_timeout_ms ?
	    c->sock_timeout_ms : CLI_CTL_TIMEOUT_MS, &code, &buf, &plen, err,
	    sizeof(err))) {
	case CTL_CLIENT_OK:
		break;
	case CTL_CLIENT_USAGE:
		cli_usage_error("-S", "%s", err);
		return CLI_EUSAGE;
	default:
		fprintf(stderr, "bmcwatch: %s\n", err);
		return CLI_ETRANSPORT;
	}
	if (code == 0) {
		if (plen > 0)
			(void)fwrite(buf, 1, plen, stdout);
	} else {
		fprintf(stderr, "bmcwatch: %.*s%s", (int)plen, buf,
		    plen > 0 && buf[plen - 1] == '\n' ? "" : "\n");
	}
	free(buf);
	return code;
}
