/*
 * Fuzz the bmcwatchd configuration parser (agent/daemon/conf.c) through
 * conf_parse_buf() without CONF_LOAD_FILES: no file, include or user
 * database is touched.  Every refusal must be one "fuzz.conf:LINE: ..."
 * message; whatever is accepted must hold together: names valid and
 * unique, values within their documented bounds, the watchdog accepted
 * by watchdog_validate(), each target equal to itself, and a transport
 * configuration for every IPMI target.  Seeds: the example,
 * etc/bmcwatchd.conf and edge cases (blocks, escapes, defaults, URLs).
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

static void
check_target(const struct conf *c, const struct conf_target *t)
{
	struct ipmi_tr_cfg cfg;
	char err[400];
	size_t i, n;

	fuzz_must(t->name != NULL && t->name[0] != '\0' && t->name[0] != '.');
	fuzz_must(strlen(t->name) <= CONF_NAME_MAX);
	fuzz_must(conf_target_find(c, t->name) == t);
	fuzz_must(conf_target_equal(t, t));
	fuzz_must(t->iface <= CONF_IFACE_REDFISH);
	fuzz_must(t->sensor_interval_s >= 1 && t->sensor_interval_s <= 86400);
	fuzz_must(t->sel_interval_s >= 1 && t->chassis_interval_s >= 1);
	fuzz_must(t->sel_clear_at <= 100 && t->retries <= 10);
	fuzz_must(t->max_outstanding >= 1 && t->max_outstanding <= 16);
	/* a request with its retries fits the shortest period */
	fuzz_must(t->timeout_ms <= t->sensor_interval_s * 1000u);
	fuzz_must(t->timeout_ms / (t->retries + 1) >= 100);
	fuzz_must(t->password.p == NULL && t->severity == NULL);
	if (t->iface != CONF_IFACE_OPEN && t->iface != CONF_IFACE_REDFISH)
		fuzz_must(t->host != NULL && t->username != NULL &&
		    t->password_file != NULL);
	if (t->host != NULL)
		fuzz_must(t->hostname != NULL && t->port >= 1 && t->port <= 65535);
	if (t->watchdog.enabled) {
		fuzz_must(watchdog_validate(&t->watchdog.cfg, err,
		    sizeof(err)) == 0);
		fuzz_must(t->watchdog.nchecks <= CONF_CHECKS_MAX);
		for (i = 0; i < t->watchdog.nchecks; i++)
			fuzz_must(t->watchdog.checks[i].path[0] == '/');
	}
	fuzz_must(t->sol.npatterns <= CONF_PATTERNS_MAX);
	n = conf_target_trcfg(t, &cfg) == 0;
	fuzz_must(n == (t->iface != CONF_IFACE_REDFISH));
	if (n)
		fuzz_must(cfg.timeout_ms >= 100 && cfg.retries == t->retries);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	size_t i, j;

	err[0] = '\0';
	if (conf_parse_buf("fuzz.conf", (const char *)p, len, 0, &c, err,
	    sizeof(err)) != 0) {
		/* one message, always with a line */
		fuzz_must(c == NULL);
		fuzz_must(memchr(err, '\0', sizeof(err)) != NULL);
		fuzz_must(strncmp(err, "fuzz.conf:", 10) == 0);
		fuzz_must(err[10] >= '1' && err[10] <= '9');
		return 0;
	}
	fuzz_must(c != NULL);
	fuzz_must(c->socket != NULL && c->socket[0] == '/');
	fuzz_must(c->socket_mode <= 0777 && c->max_clients >= 1);
	for (i = 0; i < c->ntargets; i++)
		check_target(c, &c->targets[i]);
	for (i = 0; i < c->nwebhooks; i++) {
		fuzz_must(c->webhooks[i].url != NULL);
		fuzz_must(conf_webhook_equal(&c->webhooks[i], &c->webhooks[i]));
		for (j = 0; j < i; j++)
			fuzz_must(strcmp(c->webhooks[i].name,
			    c->webhooks[j].name) != 0);
	}
	conf_free(c);
	return 0;
}
