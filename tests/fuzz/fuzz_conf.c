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
must(int cond)
{
	if (!cond)
		abort();
}

static void
check_target(const struct conf *c, const struct conf_target *t)
{
	struct ipmi_tr_cfg cfg;
	char err[400];
	size_t i, n;

	must(t->name != NULL && t->name[0] != '\0' && t->name[0] != '.');
	must(strlen(t->name) <= CONF_NAME_MAX);
	must(conf_target_find(c, t->name) == t);
	must(conf_target_equal(t, t));
	must(t->iface <= CONF_IFACE_REDFISH);
	must(t->sensor_interval_s >= 1 && t->sensor_interval_s <= 86400);
	must(t->sel_interval_s >= 1 && t->chassis_interval_s >= 1);
	must(t->sel_clear_at <= 100 && t->retries <= 10);
	must(t->max_outstanding >= 1 && t->max_outstanding <= 16);
	/* a request with its retries fits the shortest period */
	must(t->timeout_ms <= t->sensor_interval_s * 1000u);
	must(t->timeout_ms / (t->retries + 1) >= 100);
	must(t->password.p == NULL && t->severity == NULL);
	if (t->iface != CONF_IFACE_OPEN && t->iface != CONF_IFACE_REDFISH)
		must(t->host != NULL && t->username != NULL &&
		    t->password_file != NULL);
	if (t->host != NULL)
		must(t->hostname != NULL && t->port >= 1 && t->port <= 65535);
	if (t->watchdog.enabled) {
		must(watchdog_validate(&t->watchdog.cfg, err,
		    sizeof(err)) == 0);
		must(t->watchdog.nchecks <= CONF_CHECKS_MAX);
		for (i = 0; i < t->watchdog.nchecks; i++)
			must(t->watchdog.checks[i].path[0] == '/');
	}
	must(t->sol.npatterns <= CONF_PATTERNS_MAX);
	n = conf_target_trcfg(t, &cfg) == 0;
	must(n == (t->iface != CONF_IFACE_REDFISH));
	if (n)
		must(cfg.timeout_ms >= 100 && cfg.retries == t->retries);
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
		must(c == NULL);
		must(memchr(err, '\0', sizeof(err)) != NULL);
		must(strncmp(err, "fuzz.conf:", 10) == 0);
		must(err[10] >= '1' && err[10] <= '9');
		return 0;
	}
	must(c != NULL);
	must(c->socket != NULL && c->socket[0] == '/');
	must(c->socket_mode <= 0777 && c->max_clients >= 1);
	for (i = 0; i < c->ntargets; i++)
		check_target(c, &c->targets[i]);
	for (i = 0; i < c->nwebhooks; i++) {
		must(c->webhooks[i].url != NULL);
		must(conf_webhook_equal(&c->webhooks[i], &c->webhooks[i]));
		for (j = 0; j < i; j++)
			must(strcmp(c->webhooks[i].name,
			    c->webhooks[j].name) != 0);
	}
	conf_free(c);
	return 0;
}
