/*
 * bmcwatchd configuration (agent/daemon/conf.c): the issue's example and
 * etc/bmcwatchd.conf parse; every keyword takes a good value and refuses
 * a bad one with exactly "FILE:LINE: message"; blocks, includes,
 * defaults, interface rules, secrets on real files in a temp dir
 * (modes, owners, symlinks), watchdog safety through watchdog_validate,
 * severity files, reload semantics and conf_target_equal.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "harness.h"
#include "conf.h"

#define SECRET	"Zq8-secret-Vx3"	/* must never show in an error */

static char tdir[PATH_MAX];
static char mainp[PATH_MAX + 16];	/* tdir/main.conf */
static char me[64];		/* the user we run as */

/* every error message seen, to check no secret ever appears */
static char seen[64 * 1024];
static size_t nseen;

static void
remember(const char *err)
{
	size_t n = strlen(err);

	if (nseen + n + 2 < sizeof(seen)) {
		memcpy(seen + nseen, err, n);
		seen[nseen + n] = '\n';
		nseen += n + 1;
		seen[nseen] = '\0';
	}
}

/* parse text (pure) as "t.conf"; 0 or -1 with err */
static int
parse(const char *text, struct conf **c, char *err, size_t errlen)
{
	int r = conf_parse_buf("t.conf", text, strlen(text), 0, c, err,
	    errlen);

	if (r != 0)
		remember(err);
	return r;
}

/* text must parse; returns the conf or NULL (and fails the check) */
static struct conf *
good(const char *text)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];

	if (parse(text, &c, err, sizeof(err)) != 0) {
		printf("# unexpected error: %s\n# in: %s\n", err, text);
		CHECK(0);
		return NULL;
	}
	return c;
}

/* text must be refused with exactly want (a trailing '*' matches any
 * tail), and must return no conf */
static void
bad(const char *text, const char *want)
{
	struct conf *c = (struct conf *)&c;	/* must stay untouched */
	char err[CONF_ERR_MAX];
	size_t n = strlen(want);
	int ok;

	if (parse(text, &c, err, sizeof(err)) == 0) {
		printf("# accepted, wanted: %s\n# in: %s\n", want, text);
		CHECK(0);
		conf_free(c);
		return;
	}
	CHECK(c == (struct conf *)&c);
	if (n > 0 && want[n - 1] == '*')
		ok = strncmp(err, want, n - 1) == 0;
	else
		ok = strcmp(err, want) == 0;
	if (!ok) {
		printf("# got:  %s\n# want: %s\n# in: %s\n", err, want, text);
		CHECK(0);
	}
}

static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *
fmt(const char *f, ...)
{
	static char buf[16][4096];
	static int i;
	va_list ap;

	i = (i + 1) % 16;
	va_start(ap, f);
	(void)vsnprintf(buf[i], sizeof(buf[i]), f, ap);
	va_end(ap);
	return buf[i];
}

/* ---- the issue's example ---- */

static const char issue_example[] =
    "socket \"/run/bmcwatch/bmcwatch.sock\"      # control socket; mode 0660\n"
    "socket-group \"bmcwatch\"\n"
    "state-dir \"/var/lib/bmcwatch\""
    "              # SDR caches, SEL cursors, queues\n"
    "archive-dir \"/var/log/bmcwatch\""
    "            # SEL archives, one file per target\n"
    "user \"_bmcwatch\""
    "                           # drop to this user after start\n"
    "agentx-socket \"/var/agentx/master\"         # used by the SNMP issue\n"
    "target \"local\" {\n"
    "        interface open"
    "                     # open | lan | lanplus (later: redfish)\n"
    "        device \"/dev/ipmi0\"\n"
    "        sensor-interval 10                 # seconds, per subsystem\n"
    "        sel-interval 60\n"
    "        chassis-interval 30\n"
    "        sel-clear-at 75"
    "                    # percent full; 0 = never clear\n"
    "        severity-file \"/etc/bmcwatch/sensors-severity.conf\"\n"
    "        watchdog { timeout 60  interval 10  action hard-reset"
    "  pretimeout 0\n"
    "                   check-file \"/run/app/alive\" max-age 30\n"
    "                   check-pid \"/run/app.pid\"\n"
    "                   check-command \"/usr/local/sbin/app-ok\" timeout 5\n"
    "                   grace 30 }\n"
    "}\n"
    "target \"db7\" {\n"
    "        interface lanplus  host \"db7-bmc.example.net\"  port 623\n"
    "        username \"monitor\"  password-file \"/etc/bmcwatch/db7.pw\"\n"
    "        cipher-suite 17  privilege operator  timeout 2  retries 3\n"
    "}\n";

static void
test_issue_example(void)
{
	struct conf *c = good(issue_example);
	const struct conf_target *t;
	const struct conf_watchdog *w;

	if (c == NULL)
		return;
	CHECK_STR(c->socket, "/run/bmcwatch/bmcwatch.sock");
	CHECK_STR(c->socket_group, "bmcwatch");
	CHECK_EQ(c->socket_mode, 0660);
	CHECK_STR(c->state_dir, "/var/lib/bmcwatch");
	CHECK_STR(c->archive_dir, "/var/log/bmcwatch");
	CHECK_STR(c->user, "_bmcwatch");
	CHECK_STR(c->agentx_socket, "/var/agentx/master");
	CHECK_EQ(c->ntargets, 2);
	/* pure parsing reads nothing */
	CHECK(c->uid == (uid_t)-1);
	t = conf_target_find(c, "local");
	CHECK(t != NULL);
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_OPEN);
		CHECK_STR(t->device, "/dev/ipmi0");
		CHECK_EQ(t->sensor_interval_s, 10);
		CHECK_EQ(t->sel_interval_s, 60);
		CHECK_EQ(t->chassis_interval_s, 30);
		CHECK_EQ(t->sel_clear_at, 75);
		CHECK_STR(t->severity_file,
		    "/etc/bmcwatch/sensors-severity.conf");
		CHECK(t->severity == NULL);
		CHECK_STR(t->loc.file, "t.conf");
		CHECK_EQ(t->loc.line, 7);
		w = &t->watchdog;
		CHECK(w->enabled);
		CHECK_EQ(w->cfg.timeout_ms, 60000);
		CHECK_EQ(w->cfg.interval_ms, 10000);
		CHECK_EQ(w->cfg.action, WDT_ACTION_RESET);
		CHECK_EQ(w->cfg.pretimeout_s, 0);
		CHECK_EQ(w->cfg.use, WDT_USE_SMS_OS);
		CHECK_EQ(w->grace_s, 30);
		CHECK_EQ(w->loc.line, 15);
		CHECK_EQ(w->nchecks, 3);
		if (w->nchecks == 3) {
			CHECK_EQ(w->checks[0].kind, CONF_CHECK_FILE);
			CHECK_STR(w->checks[0].path, "/run/app/alive");
			CHECK_EQ(w->checks[0].max_age_s, 30);
			CHECK_EQ(w->checks[0].loc.line, 16);
			CHECK_EQ(w->checks[1].kind, CONF_CHECK_PID);
			CHECK_STR(w->checks[1].path, "/run/app.pid");
			CHECK_EQ(w->checks[2].kind, CONF_CHECK_COMMAND);
			CHECK_STR(w->checks[2].path, "/usr/local/sbin/app-ok");
			/* "timeout 5" after the path is the command's */
			CHECK_EQ(w->checks[2].timeout_ms, 5000);
		}
	}
	t = conf_target_find(c, "db7");
	CHECK(t != NULL);
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_LANPLUS);
		CHECK_STR(t->host, "db7-bmc.example.net");
		CHECK_STR(t->hostname, "db7-bmc.example.net");
		CHECK_EQ(t->port, 623);
		CHECK_STR(t->username, "monitor");
		CHECK_STR(t->password_file, "/etc/bmcwatch/db7.pw");
		CHECK(t->password.p == NULL);
		CHECK_EQ(t->cipher, 17);
		CHECK_EQ(t->priv, IPMI_PRIV_OPERATOR);
		CHECK_EQ(t->timeout_ms, 2000);
		CHECK_EQ(t->retries, 3);
		CHECK(!t->watchdog.enabled);
		CHECK_EQ(t->loc.line, 21);
	}
	CHECK(conf_target_find(c, "nope") == NULL);
	conf_free(c);
}

static void
test_defaults(void)
{
	struct conf *c = good("target \"a\" { }\n"
	    "target \"b\" { host \"b-bmc\" username \"u\" "
	    "password-file \"/p\" }\n");
	const struct conf_target *t;

	if (c == NULL)
		return;
	/* every default path in one place: conf.h */
	CHECK_STR(c->socket, CONF_DEFAULT_SOCKET);
	CHECK_STR(c->state_dir, CONF_DEFAULT_STATE_DIR);
	CHECK_STR(c->archive_dir, CONF_DEFAULT_ARCHIVE_DIR);
	CHECK_STR(c->user, CONF_DEFAULT_USER);
	CHECK_STR(c->agentx_socket, CONF_DEFAULT_AGENTX);
	CHECK_STR(c->pidfile, CONF_DEFAULT_PIDFILE);
	CHECK_STR(CONF_DEFAULT_SOCKET, "/run/bmcwatch/bmcwatch.sock");
	CHECK_STR(CONF_DEFAULT_STATE_DIR, "/var/lib/bmcwatch");
	CHECK_STR(CONF_DEFAULT_ARCHIVE_DIR, "/var/log/bmcwatch");
	CHECK_STR(CONF_DEFAULT_USER, "_bmcwatch");
	CHECK_STR(CONF_DEFAULT_AGENTX, "/var/agentx/master");
	CHECK(c->socket_group == NULL && c->group == NULL);
	CHECK(c->prometheus_textfile == NULL);
	CHECK_EQ(c->socket_mode, 0660);
	CHECK_EQ(c->snmp, 0);
	CHECK_EQ(c->snmp_pet_traps, 0);
	CHECK_EQ(c->snmp_sel_trap_rate, 10);
	CHECK_EQ(c->log_facility, LOG_DAEMON);
	CHECK_EQ(c->sel_syslog, 0);
	CHECK_EQ(c->sel_syslog_facility, LOG_LOCAL4);
	CHECK_EQ(c->sel_syslog_severity, CONF_LEVEL_INFO);
	CHECK_EQ(c->max_clients, 32);
	CHECK_EQ(c->nwebhooks, 0);
	/* no interface: open without a host, lanplus with one */
	t = conf_target_find(c, "a");
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_OPEN);
		CHECK(t->device == NULL);
		CHECK_EQ(t->timeout_ms, 4000);
		CHECK_EQ(t->retries, 3);
		CHECK_EQ(t->sensor_interval_s, 30);
		CHECK_EQ(t->sel_interval_s, 60);
		CHECK_EQ(t->chassis_interval_s, 30);
		CHECK_EQ(t->sel_clear_at, 75);
		CHECK_EQ(t->sel_clear_free, 0);
		CHECK_EQ(t->sel_delete_entries, 0);
		CHECK_EQ(t->max_outstanding, IPMI_TR_WINDOW_DEFAULT);
		CHECK_EQ(t->unreachable_after, 3);
		CHECK_EQ(t->backoff_max_s, 300);
		CHECK_EQ(t->in_band_events, 1);
		CHECK_EQ(t->allow, 0);
		CHECK(!t->watchdog.enabled && !t->sol.enabled);
	}
	t = conf_target_find(c, "b");
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_LANPLUS);
		CHECK_EQ(t->port, 623);
		CHECK_EQ(t->cipher, 3);
		CHECK_EQ(t->priv, IPMI_PRIV_OPERATOR);
		CHECK_EQ(t->allow_none, 0);
		CHECK_EQ(t->keepalive_s, 0);
	}
	conf_free(c);
}

/* ---- every keyword: a good value and a bad one ---- */

/* where the keyword under test goes: always line 3 */
#define W_TOP	"# t\n\n%s\n"
#define W_OPEN	"target \"t\" {\n\tinterface open\n\t%s\n}\n"
#define W_LAN	"target \"t\" {\n\tinterface lan host \"h\" username \"u\" " \
		"password-file \"/p\"\n\t%s\n}\n"
#define W_PLUS	"target \"t\" {\n\tinterface lanplus host \"h\" " \
		"username \"u\" password-file \"/p\"\n\t%s\n}\n"
#define W_PLUS_NOIF "target \"t\" {\n\thost \"h\" username \"u\" " \
		"password-file \"/p\"\n\t%s\n}\n"
#define W_PLUS_NOPW "target \"t\" {\n\tinterface lanplus host \"h\" " \
		"username \"u\"\n\t%s\n}\n"
#define W_PLUS_NOUSER "target \"t\" {\n\tinterface lanplus host \"h\" " \
		"password-file \"/p\"\n\t%s\n}\n"
#define W_PLUS_NOHOST "target \"t\" {\n\tinterface lanplus username \"u\" " \
		"password-file \"/p\"\n\t%s\n}\n"
#define W_RF	"target \"t\" {\n\tinterface redfish host \"https://h\"\n" \
		"\t%s\n}\n"
#define W_WD	"target \"t\" {\n\twatchdog { timeout 60 interval 10\n" \
		"\t%s\n\t}\n}\n"
#define W_WD_NOT "target \"t\" {\n\twatchdog { interval 10\n\t%s\n\t}\n}\n"
#define W_WD_NOI "target \"t\" {\n\twatchdog { timeout 60\n\t%s\n\t}\n}\n"
#define W_SOL	"target \"t\" {\n\tinterface lanplus host \"h\" " \
		"username \"u\" password-file \"/p\" sol {\n\t%s\n\t}\n}\n"
#define W_HOOK	"webhook \"w\" {\n\turl \"https://hooks.example/x\"\n\t%s\n}\n"
#define W_HOOK_NOURL "webhook \"w\" {\n\n\t%s\n}\n"

#define L3	"t.conf:3: "

struct kwcase {
	enum conf_ctx	 ctx;
	const char	*kw;
	const char	*wrap;
	const char	*good;
	const char	*bad;
	const char	*want;		/* after "t.conf:3: " */
};

#define FAC_LIST "daemon, user, local0, local1, local2, local3, local4, " \
		"local5, local6 or local7"

static const struct kwcase kwcases[] = {
	/* global */
	{ CONF_CTX_GLOBAL, "agentx-socket", W_TOP,
	    "agentx-socket \"tcp:localhost:705\"", "agentx-socket relative",
	    "agentx-socket: \"relative\" is neither an absolute path nor "
	    "tcp:HOST:PORT" },
	{ CONF_CTX_GLOBAL, "archive-dir", W_TOP, "archive-dir \"/srv/a\"",
	    "archive-dir \"log\"", "archive-dir: \"log\" is not an absolute "
	    "path" },
	{ CONF_CTX_GLOBAL, "defaults", W_TOP, "defaults { retries 2 }",
	    "defaults retries 2", "defaults: expected \"{\", found "
	    "\"retries\"" },
	{ CONF_CTX_GLOBAL, "group", W_TOP, "group \"wheel\"", "group \"a b\"",
	    "group: \"a b\" is not a user or group name" },
	{ CONF_CTX_GLOBAL, "include", W_TOP, "include \"targets.d/*.conf\"",
	    "include \"\"", "include: empty value" },
	{ CONF_CTX_GLOBAL, "log-facility", W_TOP, "log-facility local3",
	    "log-facility kern", "log-facility: \"kern\" is not " FAC_LIST },
	{ CONF_CTX_GLOBAL, "max-clients", W_TOP, "max-clients 1024",
	    "max-clients 0", "max-clients: \"0\" out of range 1..1024" },
	{ CONF_CTX_GLOBAL, "pidfile", W_TOP, "pidfile \"/run/b.pid\"",
	    "pidfile \"\"", "pidfile: empty value" },
	{ CONF_CTX_GLOBAL, "prometheus-textfile", W_TOP,
	    "prometheus-textfile \"/var/lib/node/bmc.prom\"",
	    "prometheus-textfile \"/var/lib/node/bmc.txt\"",
	    "prometheus-textfile: \"/var/lib/node/bmc.txt\" does not end in "
	    "\".prom\" (node_exporter reads only those)" },
	{ CONF_CTX_GLOBAL, "sel-syslog", W_TOP, "sel-syslog yes",
	    "sel-syslog maybe", "sel-syslog: \"maybe\" is not yes or no" },
	{ CONF_CTX_GLOBAL, "sel-syslog-facility", W_TOP,
	    "sel-syslog-facility local7", "sel-syslog-facility local8",
	    "sel-syslog-facility: \"local8\" is not " FAC_LIST },
	{ CONF_CTX_GLOBAL, "sel-syslog-severity", W_TOP,
	    "sel-syslog-severity warning", "sel-syslog-severity debug",
	    "sel-syslog-severity: \"debug\" is not info, warning or "
	    "critical" },
	{ CONF_CTX_GLOBAL, "snmp", W_TOP, "snmp yes", "snmp 1",
	    "snmp: \"1\" is not yes or no" },
	{ CONF_CTX_GLOBAL, "snmp-pet-traps", W_TOP, "snmp-pet-traps yes",
	    "snmp-pet-traps on", "snmp-pet-traps: \"on\" is not yes or no" },
	{ CONF_CTX_GLOBAL, "snmp-sel-trap-rate", W_TOP,
	    "snmp-sel-trap-rate 0", "snmp-sel-trap-rate -1",
	    "snmp-sel-trap-rate: \"-1\" is not a number" },
	{ CONF_CTX_GLOBAL, "socket", W_TOP, "socket \"/tmp/b.sock\"",
	    "socket \"run/b.sock\"", "socket: \"run/b.sock\" is not an "
	    "absolute path" },
	{ CONF_CTX_GLOBAL, "socket-group", W_TOP, "socket-group \"adm\"",
	    "socket-group \"-x\"", "socket-group: \"-x\" is not a user or "
	    "group name" },
	{ CONF_CTX_GLOBAL, "socket-mode", W_TOP, "socket-mode 0600",
	    "socket-mode 0888", "socket-mode: \"0888\" is not an octal mode "
	    "(0000..0777)" },
	{ CONF_CTX_GLOBAL, "state-dir", W_TOP, "state-dir \"/srv/s\"",
	    "state-dir lib", "state-dir: \"lib\" is not an absolute path" },
	{ CONF_CTX_GLOBAL, "target", W_TOP, "target \"x.y_z-1\" { }",
	    "target \"a/b\" { }", "target: \"a/b\" is not a valid name (1 to "
	    "64 of A-Z a-z 0-9 . _ -, not starting with a dot: it names "
	    "files)" },
	{ CONF_CTX_GLOBAL, "user", W_TOP, "user \"nobody\"", "user \"a:b\"",
	    "user: \"a:b\" is not a user or group name" },
	{ CONF_CTX_GLOBAL, "webhook", W_TOP,
	    "webhook \"w\" { url \"https://h\" }",
	    "webhook \".w\" { url \"https://h\" }", "webhook: \".w\" is not a "
	    "valid name (1 to 64 of A-Z a-z 0-9 . _ -, not starting with a "
	    "dot: it names files)" },
	/* target */
	{ CONF_CTX_TARGET, "allow", W_PLUS, "allow power,identify",
	    "allow reboot", "allow: \"reboot\" is not power, identify, "
	    "sel-clear, sel-ack or none" },
	{ CONF_CTX_TARGET, "allow-none", W_PLUS, "allow-none yes",
	    "allow-none sure", "allow-none: \"sure\" is not yes or no" },
	{ CONF_CTX_TARGET, "allow-plaintext", W_LAN, "allow-plaintext yes",
	    "allow-plaintext 2", "allow-plaintext: \"2\" is not yes or no" },
	{ CONF_CTX_TARGET, "auth-type", W_LAN, "auth-type md5",
	    "auth-type sha1", "auth-type: \"sha1\" is not md5, password or "
	    "none" },
	{ CONF_CTX_TARGET, "backoff-max", W_PLUS, "backoff-max 86400",
	    "backoff-max 0", "backoff-max: \"0\" out of range 1..86400" },
	{ CONF_CTX_TARGET, "ca-file", W_RF, "ca-file \"/etc/ssl/bmc.pem\"",
	    "ca-file \"bmc.pem\"", "ca-file: \"bmc.pem\" is not an absolute "
	    "path" },
	{ CONF_CTX_TARGET, "chassis-interval", W_PLUS, "chassis-interval 5",
	    "chassis-interval 86401", "chassis-interval: \"86401\" out of "
	    "range 1..86400" },
	{ CONF_CTX_TARGET, "cipher-suite", W_PLUS, "cipher-suite auto",
	    "cipher-suite 4", "cipher-suite: suite 4 is not supported (0-3, "
	    "6-8, 11, 12, 15-17 or auto)" },
	{ CONF_CTX_TARGET, "device", W_OPEN, "device \"/dev/ipmi1\"",
	    "device \"ipmi0\"", "device: \"ipmi0\" is not an absolute path" },
	{ CONF_CTX_TARGET, "host", W_PLUS_NOHOST, "host \"10.0.0.7\"",
	    "host \"\"", "host: empty value" },
	{ CONF_CTX_TARGET, "in-band-events", W_OPEN, "in-band-events no",
	    "in-band-events always", "in-band-events: \"always\" is not yes "
	    "or no" },
	{ CONF_CTX_TARGET, "insecure", W_RF, "insecure yes",
	    "insecure perhaps", "insecure: \"perhaps\" is not yes or no" },
	{ CONF_CTX_TARGET, "interface", W_PLUS_NOIF, "interface lan",
	    "interface serial", "interface: \"serial\" is not open, lan, "
	    "lanplus or redfish" },
	{ CONF_CTX_TARGET, "keepalive", W_PLUS, "keepalive 30",
	    "keepalive 3601", "keepalive: \"3601\" out of range 0..3600" },
	{ CONF_CTX_TARGET, "kg-file", W_PLUS, "kg-file \"/etc/b/kg\"",
	    "kg-file \"kg\"", "kg-file: \"kg\" is not an absolute path" },
	{ CONF_CTX_TARGET, "max-outstanding", W_PLUS, "max-outstanding 16",
	    "max-outstanding 17", "max-outstanding: \"17\" out of range "
	    "1..16" },
	{ CONF_CTX_TARGET, "password-file", W_PLUS_NOPW,
	    "password-file \"/etc/b/pw\"", "password-file \"pw\"",
	    "password-file: \"pw\" is not an absolute path" },
	{ CONF_CTX_TARGET, "port", W_PLUS, "port 6230", "port 65536",
	    "port: \"65536\" out of range 1..65535" },
	{ CONF_CTX_TARGET, "privilege", W_PLUS, "privilege admin",
	    "privilege root", "privilege: \"root\" is not user, operator or "
	    "admin" },
	{ CONF_CTX_TARGET, "retries", W_PLUS, "retries 0", "retries 11",
	    "retries: \"11\" out of range 0..10" },
	{ CONF_CTX_TARGET, "sel-clear-at", W_PLUS, "sel-clear-at 0",
	    "sel-clear-at 101", "sel-clear-at: \"101\" out of range 0..100" },
	{ CONF_CTX_TARGET, "sel-nearly-full", W_PLUS, "sel-nearly-full 60",
	    "sel-nearly-full 101", "sel-nearly-full: \"101\" out of range "
	    "0..100" },
	{ CONF_CTX_TARGET, "sel-clear-free", W_PLUS, "sel-clear-free 64",
	    "sel-clear-free 65536", "sel-clear-free: \"65536\" out of range "
	    "0..65535" },
	{ CONF_CTX_TARGET, "sel-delete-entries", W_PLUS,
	    "sel-delete-entries yes", "sel-delete-entries 0",
	    "sel-delete-entries: \"0\" is not yes or no" },
	{ CONF_CTX_TARGET, "sel-interval", W_PLUS, "sel-interval 3600",
	    "sel-interval 0", "sel-interval: \"0\" out of range 1..86400" },
	{ CONF_CTX_TARGET, "sensor-interval", W_PLUS, "sensor-interval 10",
	    "sensor-interval 0", "sensor-interval: \"0\" out of range "
	    "1..86400" },
	{ CONF_CTX_TARGET, "severity-file", W_PLUS,
	    "severity-file \"/etc/b/sev.conf\"", "severity-file sev.conf",
	    "severity-file: \"sev.conf\" is not an absolute path" },
	{ CONF_CTX_TARGET, "sol", W_PLUS, "sol { log yes }", "sol { log }",
	    "log: missing value (found \"}\")" },
	{ CONF_CTX_TARGET, "timeout", W_PLUS, "timeout 0.5",
	    "timeout 0.0001", "timeout: \"0.0001\" is not a time in seconds "
	    "(such as 2 or 0.5)" },
	{ CONF_CTX_TARGET, "unreachable-after", W_PLUS,
	    "unreachable-after 100", "unreachable-after 0",
	    "unreachable-after: \"0\" out of range 1..100" },
	{ CONF_CTX_TARGET, "username", W_PLUS_NOUSER, "username \"ADMIN\"",
	    "username \"u\x01\"", "username: \"u?\" contains a control "
	    "character" },
	{ CONF_CTX_TARGET, "watchdog", W_OPEN,
	    "watchdog { timeout 60 interval 10 }", "watchdog { timeout 60 }",
	    "watchdog: no interval (the heartbeat period) given" },
	{ CONF_CTX_TARGET, "workaround", W_PLUS,
	    "workaround no-cipher-suites", "workaround slow-bmc",
	    "workaround: \"slow-bmc\" is not no-cipher-suites" },
	/* watchdog { } */
	{ CONF_CTX_WATCHDOG, "action", W_WD, "action power-cycle",
	    "action reboot", "action: \"reboot\" is not none, hard-reset, "
	    "power-down or power-cycle" },
	{ CONF_CTX_WATCHDOG, "check-command", W_WD,
	    "check-command \"/usr/bin/true\" timeout 2.5",
	    "check-command \"/usr/bin/true\" timeout 10",
	    "check-command: timeout 10 s is not shorter than the heartbeat "
	    "interval 10 s" },
	{ CONF_CTX_WATCHDOG, "check-file", W_WD,
	    "check-file \"/run/app/alive\" max-age 30",
	    "check-file \"/run/app/alive\" max-age 0",
	    "check-file: max-age \"0\" is not a number of seconds in "
	    "1..86400" },
	{ CONF_CTX_WATCHDOG, "check-pid", W_WD, "check-pid \"/run/a.pid\"",
	    "check-pid \"a.pid\"", "check-pid: \"a.pid\" is not an absolute "
	    "path" },
	{ CONF_CTX_WATCHDOG, "force", W_WD, "force yes", "force 1",
	    "force: \"1\" is not yes or no" },
	{ CONF_CTX_WATCHDOG, "grace", W_WD, "grace 120", "grace 86401",
	    "grace: \"86401\" out of range 0..86400" },
	{ CONF_CTX_WATCHDOG, "interval", W_WD_NOI, "interval 29.5",
	    "interval 3601", "interval: \"3601\" out of range 0.1..3600 "
	    "seconds" },
	{ CONF_CTX_WATCHDOG, "nowayout", W_WD, "nowayout yes",
	    "nowayout never", "nowayout: \"never\" is not yes or no" },
	{ CONF_CTX_WATCHDOG, "pre-interrupt", W_WD, "pre-interrupt nmi",
	    "pre-interrupt irq", "pre-interrupt: \"irq\" is not none, smi, "
	    "nmi or msg" },
	{ CONF_CTX_WATCHDOG, "pretimeout", W_WD, "pretimeout 10",
	    "pretimeout 256", "pretimeout: \"256\" out of range 0..255" },
	{ CONF_CTX_WATCHDOG, "timeout", W_WD_NOT, "timeout 6553.5",
	    "timeout 6554", "timeout: \"6554\" out of range 0.1..6553.5 "
	    "seconds" },
	{ CONF_CTX_WATCHDOG, "use", W_WD, "use bios-post", "use bios",
	    "use: \"bios\" is not os, os-load, bios-frb2, bios-post or oem" },
	/* sol { } */
	{ CONF_CTX_SOL, "input", W_SOL, "input yes", "input maybe",
	    "input: \"maybe\" is not yes or no" },
	{ CONF_CTX_SOL, "log", W_SOL, "log no", "log 2",
	    "log: \"2\" is not yes or no" },
	{ CONF_CTX_SOL, "pattern", W_SOL, "pattern \"Kernel panic|Oops\"",
	    "pattern \"(unclosed\"", "pattern: \"(unclosed\": *" },
	{ CONF_CTX_SOL, "takeover", W_SOL, "takeover yes", "takeover x",
	    "takeover: \"x\" is not yes or no" },
	{ CONF_CTX_SOL, "timestamps", W_SOL, "timestamps no",
	    "timestamps x", "timestamps: \"x\" is not yes or no" },
	/* webhook { } */
	{ CONF_CTX_WEBHOOK, "allow-plaintext", W_HOOK, "allow-plaintext yes",
	    "allow-plaintext x", "allow-plaintext: \"x\" is not yes or no" },
	{ CONF_CTX_WEBHOOK, "basic-auth-file", W_HOOK,
	    "basic-auth-file \"/etc/b/basic\"", "basic-auth-file \"b\"",
	    "basic-auth-file: \"b\" is not an absolute path" },
	{ CONF_CTX_WEBHOOK, "bearer-token-file", W_HOOK,
	    "bearer-token-file \"/etc/b/token\"", "bearer-token-file \"t\"",
	    "bearer-token-file: \"t\" is not an absolute path" },
	{ CONF_CTX_WEBHOOK, "ca-file", W_HOOK, "ca-file \"/etc/b/ca.pem\"",
	    "ca-file \"c\"", "ca-file: \"c\" is not an absolute path" },
	{ CONF_CTX_WEBHOOK, "events", W_HOOK, "events sel,power",
	    "events sel,,power", "events: \"sel,,power\" has an empty or "
	    "unknown item (sensor, sel, sel-cleared, sel-clear-failed, "
	    "power, watchdog, heartbeat, unreachable, recovered, console or "
	    "all, comma-separated)" },
	{ CONF_CTX_WEBHOOK, "hmac-secret-file", W_HOOK,
	    "hmac-secret-file \"/etc/b/hmac\"", "hmac-secret-file \"h\"",
	    "hmac-secret-file: \"h\" is not an absolute path" },
	{ CONF_CTX_WEBHOOK, "insecure", W_HOOK, "insecure yes",
	    "insecure x", "insecure: \"x\" is not yes or no" },
	{ CONF_CTX_WEBHOOK, "min-severity", W_HOOK, "min-severity critical",
	    "min-severity ok", "min-severity: \"ok\" is not info, warning or "
	    "critical" },
	{ CONF_CTX_WEBHOOK, "overflow", W_HOOK, "overflow drop-newest",
	    "overflow drop", "overflow: \"drop\" is not drop-oldest or "
	    "drop-newest" },
	{ CONF_CTX_WEBHOOK, "queue-max", W_HOOK, "queue-max 100000",
	    "queue-max 0", "queue-max: \"0\" out of range 1..100000" },
	{ CONF_CTX_WEBHOOK, "timeout", W_HOOK, "timeout 0.25",
	    "timeout 61", "timeout: \"61\" out of range 0.1..60 seconds" },
	{ CONF_CTX_WEBHOOK, "url", W_HOOK_NOURL,
	    "url \"http://127.0.0.1:9000/hook\"", "url \"ftp://h/x\"",
	    "url: \"ftp://h/x\" is not an https:// or http:// URL" },
};

/* wrap with its "%s" replaced by s (wrap is data, not a format) */
static char *
subst(const char *wrap, const char *s)
{
	const char *at = strstr(wrap, "%s");

	if (at == NULL)
		return fmt("%s", wrap);
	return fmt("%.*s%s%s", (int)(at - wrap), wrap, s, at + 2);
}

static void
test_keywords(void)
{
	size_t i, k;
	int ctx;
	struct conf *c;

	for (i = 0; i < sizeof(kwcases) / sizeof(kwcases[0]); i++) {
		const struct kwcase *kc = &kwcases[i];

		c = good(subst(kc->wrap, kc->good));
		conf_free(c);
		bad(subst(kc->wrap, kc->bad), fmt(L3 "%s", kc->want));
	}
	/* and the table covers every keyword of every context */
	for (ctx = CONF_CTX_GLOBAL; ctx <= CONF_CTX_WEBHOOK; ctx++)
		for (k = 0; conf_keyword((enum conf_ctx)ctx, k) != NULL; k++) {
			const char *kw = conf_keyword((enum conf_ctx)ctx, k);
			int found = 0;

			for (i = 0; i < sizeof(kwcases) / sizeof(kwcases[0]);
			    i++)
				found |= kwcases[i].ctx == (enum conf_ctx)ctx &&
				    strcmp(kwcases[i].kw, kw) == 0;
			if (!found)
				printf("# keyword %s (context %d) has no "
				    "case\n", kw, ctx);
			CHECK(found);
		}
}

/* the values the good cases set, read back */
static void
test_values(void)
{
	struct conf *c;
	const struct conf_target *t;

	c = good("socket-mode 640\nlog-facility local3\nsel-syslog yes\n"
	    "sel-syslog-severity critical\nsnmp yes\nmax-clients 7\n"
	    "agentx-socket \"tcp:localhost:705\"\n"
	    "target \"p\" { host \"h\" username \"u\" password-file \"/p\"\n"
	    "  allow power allow sel-ack,identify cipher-suite auto\n"
	    "  timeout 1.25 retries 1 keepalive 30 privilege user\n"
	    "  workaround no-cipher-suites\n"
	    "  sol { input yes pattern \"a\" pattern \"b\" } }\n"
	    "webhook \"w\" { url \"https://h/x\" events sel events power\n"
	    "  min-severity critical overflow drop-newest timeout 0.25 }\n");
	if (c == NULL)
		return;
	CHECK_EQ(c->socket_mode, 0640);
	CHECK_EQ(c->log_facility, LOG_LOCAL3);
	CHECK_EQ(c->sel_syslog, 1);
	CHECK_EQ(c->sel_syslog_severity, CONF_LEVEL_CRITICAL);
	CHECK_EQ(c->snmp, 1);
	CHECK_EQ(c->max_clients, 7);
	CHECK_STR(c->agentx_socket, "tcp:localhost:705");
	t = conf_target_find(c, "p");
	if (t != NULL) {
		/* repeated list keywords add up */
		CHECK_EQ(t->allow, CONF_ALLOW_POWER | CONF_ALLOW_SEL_ACK |
		    CONF_ALLOW_IDENTIFY);
		CHECK_EQ(t->cipher, IPMI_CIPHER_AUTO);
		CHECK_EQ(t->timeout_ms, 1250);
		CHECK_EQ(t->retries, 1);
		CHECK_EQ(t->keepalive_s, 30);
		CHECK_EQ(t->priv, IPMI_PRIV_USER);
		CHECK_EQ(t->workarounds, IPMI_WA_NO_CIPHER_SUITES);
		CHECK(t->sol.enabled);
		CHECK_EQ(t->sol.input, 1);
		CHECK_EQ(t->sol.log, 1);
		CHECK_EQ(t->sol.timestamps, 1);
		CHECK_EQ(t->sol.npatterns, 2);
	}
	CHECK_EQ(c->nwebhooks, 1);
	if (c->nwebhooks == 1) {
		const struct conf_webhook *h = &c->webhooks[0];

		/* the first "events" replaces the default "all" */
		CHECK_EQ(h->events, CONF_EV_SEL | CONF_EV_POWER);
		CHECK_EQ(h->min_severity, CONF_LEVEL_CRITICAL);
		CHECK_EQ(h->overflow, CONF_OVERFLOW_DROP_NEWEST);
		CHECK_EQ(h->timeout_ms, 250);
		CHECK_EQ(h->queue_max, 1000);
		CHECK_EQ(h->https, 1);
		CHECK_STR(h->url, "https://h/x");
	}
	conf_free(c);
	/* allow none clears; none goes alone */
	c = good("target \"o\" { allow power allow none }\n");
	if (c != NULL)
		CHECK_EQ(c->targets[0].allow, 0);
	conf_free(c);
	bad("target \"o\" {\n allow power,none }\n",
	    "t.conf:2: allow: \"none\" goes alone");
	/* the CLI's spellings of watchdog values are accepted too */
	c = good("target \"o\" { watchdog { timeout 60 interval 10 "
	    "action power-off pre-interrupt msi use sms-os } }\n");
	if (c != NULL) {
		CHECK_EQ(c->targets[0].watchdog.cfg.action,
		    WDT_ACTION_POWER_DOWN);
		CHECK_EQ(c->targets[0].watchdog.cfg.pre_int, WDT_PRE_MSG);
		CHECK_EQ(c->targets[0].watchdog.cfg.use, WDT_USE_SMS_OS);
	}
	conf_free(c);
}

/* ---- structure ---- */

static void
test_structure(void)
{
	struct conf *c;

	/* a token stream: several keywords on a line, blocks over lines */
	c = good("user \"nobody\" state-dir \"/s\"\narchive-dir\n\"/a\"\n"
	    "target\n\"x\"\n{\nsensor-interval\n15 }\n");
	if (c != NULL) {
		CHECK_STR(c->user, "nobody");
		CHECK_STR(c->archive_dir, "/a");
		CHECK_EQ(c->targets[0].sensor_interval_s, 15);
		CHECK_EQ(c->targets[0].loc.line, 4);
	}
	conf_free(c);
	/* an empty file is a configuration without targets */
	c = good("");
	if (c != NULL)
		CHECK_EQ(c->ntargets, 0);
	conf_free(c);
	bad("target \"a\" {\n\tretries 2\n\n",
	    "t.conf:3: end of file: block \"target\" opened at line 1 is not "
	    "closed");
	bad("user \"x\"\ntarget \"a\" {\n watchdog { timeout 60\n"
	    " interval 10\n}\n",
	    "t.conf:5: end of file: block \"target\" opened at line 2 is not "
	    "closed");
	bad("target \"a\" {\n watchdog { timeout 60\n interval 10\n",
	    "t.conf:3: end of file: block \"watchdog\" opened at line 2 is "
	    "not closed");
	bad("user \"x\"\n}\n", "t.conf:2: \"}\" without a block to close");
	bad("{ user \"x\" }\n", "t.conf:1: expected a keyword, found \"{\"");
	bad("\"user\" \"x\"\n", "t.conf:1: expected a keyword, found \"user\"");
	bad("target \"a\" {\n { }\n}\n", "t.conf:2: expected a keyword or "
	    "\"}\" in target block, found \"{\"");
	bad("target \"a\" host \"h\"\n", "t.conf:1: target: expected \"{\", "
	    "found \"host\"");
	bad("target \"a\"", "t.conf:1: target: expected \"{\", found end of "
	    "file");
	bad("target {\n}\n", "t.conf:1: target: missing value (found \"{\")");
	bad("usr \"x\"\n", "t.conf:1: unknown keyword \"usr\" at top level");
	bad("target \"a\" {\n socket \"/s\"\n}\n",
	    "t.conf:2: unknown keyword \"socket\" in target block");
	bad("defaults {\n webhook \"w\" {}\n}\n",
	    "t.conf:2: unknown keyword \"webhook\" in defaults block");
	bad("target \"a\" { watchdog { timeout 60 interval 10\n"
	    " max-age 30 } }\n",
	    "t.conf:2: unknown keyword \"max-age\" in watchdog block");
	bad("user \"x\"\nsocket \"/a\"\n\nsocket \"/b\"\n",
	    "t.conf:4: socket: already given at line 2");
	bad("target \"a\" {\n retries 1\n retries 2 }\n",
	    "t.conf:3: retries: already given at line 2");
	bad("max-clients", "t.conf:1: max-clients: missing value (found end "
	    "of file)");
	bad("user \"x\nstate-dir \"/s\"\n",
	    "t.conf:1: unterminated quoted string");
	bad("user \"x\"\n\n\"abc", "t.conf:3: unterminated quoted string");
	{
		static const char nul[] = "user \"x\"\nstate-dir \"/s\0\"\n";
		struct conf *n = NULL;
		char err[CONF_ERR_MAX];

		CHECK(conf_parse_buf("t.conf", nul, sizeof(nul) - 1, 0, &n,
		    err, sizeof(err)) == -1);
		CHECK_STR(err, "t.conf:2: NUL byte in input");
	}
	/* escapes in strings */
	c = good("target \"a\" { sensor-interval 5 }\n"
	    "state-dir \"/x \\\"q\\\" \\\\y\"\n");
	if (c != NULL)
		CHECK_STR(c->state_dir, "/x \"q\" \\y");
	conf_free(c);
	/* the greedy modifier: "timeout" right after check-command PATH is
	 * the command's; the watchdog's own may follow it */
	c = good("target \"a\" { watchdog {\n check-command \"/bin/true\" "
	    "timeout 2 timeout 60 interval 10 } }\n");
	if (c != NULL) {
		const struct conf_watchdog *w = &c->targets[0].watchdog;

		CHECK_EQ(w->cfg.timeout_ms, 60000);
		CHECK_EQ(w->nchecks, 1);
		if (w->nchecks == 1)
			CHECK_EQ(w->checks[0].timeout_ms, 2000);
	}
	conf_free(c);
	/* ... so this watchdog has no timeout of its own */
	bad("target \"a\" {\n watchdog { interval 10\n check-command "
	    "\"/bin/true\" timeout 60 } }\n",
	    "t.conf:2: watchdog: no timeout given (a \"timeout\" right after "
	    "check-command PATH is the command's)");
	/* a check-command with no modifier takes the 5 s default */
	c = good("target \"a\" { watchdog { timeout 60 interval 10 "
	    "check-command \"/bin/true\" } }\n");
	if (c != NULL && c->targets[0].watchdog.nchecks == 1)
		CHECK_EQ(c->targets[0].watchdog.checks[0].timeout_ms, 5000);
	conf_free(c);
	bad("target \"a\" { watchdog { timeout 60 interval 10\n"
	    "check-file \"/x\" max-age\n} }\n",
	    "t.conf:2: max-age: missing value (found \"}\")");
}

static void
test_limits(void)
{
	struct conf *c;
	char *buf, *p;
	size_t i, cap = (size_t)64 * 1024;

	buf = malloc(cap);
	if (buf == NULL)
		return;
	/* a socket path longer than sun_path holds; the message quotes
	 * its first 73 bytes */
	p = buf;
	p += snprintf(p, cap, "socket \"/");
	for (i = 0; i < 107; i++)
		*p++ = 's';
	(void)snprintf(p, cap - (size_t)(p - buf), "\"\n");
	{
		char want[256], *w = want;

		w += snprintf(w, sizeof(want), "t.conf:1: socket: \"/");
		for (i = 0; i < 72; i++)
			*w++ = 's';
		(void)snprintf(w, sizeof(want) - (size_t)(w - want), "...\" is "
		    "longer than 107 bytes (the limit of a Unix socket path)");
		bad(buf, want);
	}
	/* names: 64 bytes at most */
	{
		char name[80], want[256];

		memset(name, 'a', 65);
		name[65] = '\0';
		c = good(fmt("target \"%.64s\" { }\n", name));
		conf_free(c);
		(void)snprintf(want, sizeof(want), "t.conf:1: target: \"%s\" "
		    "is not a valid name*", name);
		bad(fmt("target \"%s\" { }\n", name), want);
	}
	/* health checks: 16 at most */
	p = buf;
	p += snprintf(p, cap, "target \"a\" { watchdog { timeout 60 "
	    "interval 10\n");
	for (i = 0; i < 17; i++)
		p += snprintf(p, cap - (size_t)(p - buf),
		    "check-pid \"/run/%zu.pid\"\n", i);
	(void)snprintf(p, cap - (size_t)(p - buf), "} }\n");
	bad(buf, "t.conf:18: check-pid: more than 16 health checks");
	/* SOL patterns: what regcomp would build is bounded */
	bad("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"(a{200}){200}{2}\" } }\n",
	    "t.conf:2: pattern: \"(a{200}){200}{2}\": repeats too much (each "
	    "repetition copies what it repeats)");
	bad("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"a{1,5000}\" } }\n",
	    "t.conf:2: pattern: \"a{1,5000}\": repeats too much (each "
	    "repetition copies what it repeats)");
	/* loops over loops: glibc's regcomp takes seconds to minutes for
	 * a dozen of them (the fuzzer found both) */
	bad("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"q*++++++++++\" } }\n",
	    "t.conf:2: pattern: \"q*++++++++++\": a loop (* + {m,}) over "
	    "something that loops already: drop the outer one");
	bad("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"x((a+)b{2,})*\" } }\n",
	    "t.conf:2: pattern: \"x((a+)b{2,})*\": a loop (* + {m,}) over "
	    "something that loops already: drop the outer one");
	bad("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"(a)\\1\" } }\n",
	    "t.conf:2: pattern: \"(a)\\1\": back-references are not "
	    "allowed");
	c = good("target \"a\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\nsol { pattern \"((ab)?c)+\" "
	    "pattern \"[0-9]{1,3}(\\.[0-9]{1,3}){3}\" pattern \"a{1,1000}\" "
	    "pattern \"x{2,}y{,3}[]{}]\" } }\n");
	if (c != NULL)
		CHECK_EQ(c->targets[0].sol.npatterns, 4);
	conf_free(c);
	/* duplicate target and webhook names */
	bad("target \"a\" { }\n\ntarget \"a\" { }\n",
	    "t.conf:3: target \"a\": already defined at t.conf:1");
	bad("webhook \"w\" { url \"https://h\" }\nwebhook \"w\" { url "
	    "\"https://h\" }\n",
	    "t.conf:2: webhook \"w\": already defined at t.conf:1");
	free(buf);
}

/* ---- interfaces, hosts, security rules, timing ---- */

static void
test_interfaces(void)
{
	struct conf *c;
	const struct conf_target *t;

	bad("target \"db7\" {\n interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\n device \"/dev/ipmi0\"\n}\n",
	    "t.conf:3: device: not valid for interface lanplus (target "
	    "\"db7\")");
	/* also when the keyword comes first */
	bad("target \"l\" {\n in-band-events no\n interface lan host \"h\" "
	    "username \"u\" password-file \"/p\" }\n",
	    "t.conf:2: in-band-events: not valid for interface lan (target "
	    "\"l\")");
	bad("target \"o\" {\n device \"/dev/ipmi0\"\n host \"h\" }\n",
	    "t.conf:2: device: not valid for interface lanplus (target \"o\"; "
	    "no interface given, and with a host it is lanplus)");
	bad("target \"o\" {\n sol { log yes } }\n",
	    "t.conf:2: sol: not valid for interface open (target \"o\"; no "
	    "interface given, and without a host it is open)");
	bad("target \"r\" {\n interface redfish host \"https://h\"\n "
	    "watchdog { timeout 60 interval 10 } }\n",
	    "t.conf:3: watchdog: not valid for interface redfish (target "
	    "\"r\")");
	bad("target \"p\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\n auth-type md5 }\n",
	    "t.conf:2: auth-type: not valid for interface lanplus (target "
	    "\"p\")");
	/* required keywords */
	bad("\ntarget \"p\" { interface lanplus host \"h\" username \"u\" }\n",
	    "t.conf:2: target \"p\": interface lanplus needs password-file");
	bad("target \"p\" { interface lan username \"u\" password-file "
	    "\"/p\" }\n", "t.conf:1: target \"p\": interface lan needs host");
	bad("target \"p\" { interface lanplus host \"h\" password-file "
	    "\"/p\" }\n",
	    "t.conf:1: target \"p\": interface lanplus needs username");
	bad("target \"r\" { interface redfish }\n",
	    "t.conf:1: target \"r\": interface redfish needs host");
	bad("target \"r\" { interface redfish host \"h\" username \"u\" }\n",
	    "t.conf:1: target \"r\": give username and password-file "
	    "together");
	/* security: as the CLI, nothing unauthenticated unless asked */
	bad("target \"p\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\"\n cipher-suite 0 }\n",
	    "t.conf:2: cipher-suite: 0 has no authentication: refused unless "
	    "allow-none yes");
	c = good("target \"p\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/p\" cipher-suite 0 allow-none yes }\n");
	conf_free(c);
	bad("target \"l\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\"\n\n auth-type none }\n",
	    "t.conf:3: auth-type: none checks no password: refused unless "
	    "allow-none yes");
	bad("target \"l\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\"\n auth-type password }\n",
	    "t.conf:2: auth-type: password sends the password in clear: "
	    "refused unless allow-plaintext yes");
	bad("target \"l\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\"\n auth-type md2 }\n",
	    "t.conf:2: auth-type: md2 is not supported (md5, or password)");
	c = good("target \"l\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\" auth-type password allow-plaintext yes }\n"
	    "target \"n\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\" auth-type none allow-none yes }\n");
	if (c != NULL) {
		CHECK_EQ(c->targets[0].authtype, IPMI_AUTH_STRAIGHT);
		CHECK_EQ(c->targets[1].authtype, IPMI_AUTH_NONE);
	}
	conf_free(c);
	bad("target \"p\" { interface lanplus host \"h\" password-file \"/p\"\n"
	    " username \"seventeen-chars-x\" }\n",
	    "t.conf:2: username: \"seventeen-chars-x\" is longer than 16 bytes "
	    "(the IPMI limit)");
	/* hosts */
	bad("target \"p\" { host \"h:623\"\n username \"u\" password-file "
	    "\"/p\" }\n",
	    "t.conf:1: host: \"h:623\": give the port with the port keyword");
	bad("target \"p\" {\n host \"https://h\" username \"u\" password-file "
	    "\"/p\" }\n",
	    "t.conf:2: host: \"https://h\" is a URL; only redfish targets "
	    "take one");
	c = good("target \"v6\" { host \"fe80::1\" username \"u\" "
	    "password-file \"/p\" }\n"
	    "target \"r1\" { interface redfish host \"https://bmc1:8443/\" }\n"
	    "target \"r2\" { interface redfish host \"bmc2\" port 444 }\n"
	    "target \"r3\" { interface redfish host \"http://[fd00::7]\" }\n"
	    "target \"r4\" { interface redfish host \"http://bmc4\" "
	    "username \"u\" password-file \"/p\" allow-plaintext yes }\n");
	if (c != NULL && c->ntargets == 5) {
		CHECK_STR(c->targets[0].hostname, "fe80::1");
		CHECK_EQ(c->targets[0].port, 623);
		CHECK_STR(c->targets[1].hostname, "bmc1");
		CHECK_EQ(c->targets[1].port, 8443);
		CHECK_EQ(c->targets[1].https, 1);
		CHECK_STR(c->targets[2].hostname, "bmc2");
		CHECK_EQ(c->targets[2].port, 444);
		CHECK_EQ(c->targets[2].https, 1);
		CHECK_STR(c->targets[3].hostname, "fd00::7");
		CHECK_EQ(c->targets[3].port, 80);
		CHECK_EQ(c->targets[3].https, 0);
		CHECK_EQ(c->targets[4].https, 0);
	}
	conf_free(c);
	bad("target \"r\" { interface redfish\n host \"https://h/redfish/v1\" "
	    "}\n", "t.conf:2: host: \"https://h/redfish/v1\" has a path: give "
	    "the BMC's address alone (https://HOST[:PORT])");
	bad("target \"r\" { interface redfish host \"https://h:99\"\n port 1 "
	    "}\n", "t.conf:2: port: given twice (host \"https://h:99\" has "
	    "one)");
	bad("target \"r\" { interface redfish host \"https://h:0\" }\n",
	    "t.conf:1: host: \"https://h:0\": bad port");
	bad("target \"r\" { interface redfish host \"ftp://h\" }\n",
	    "t.conf:1: host: \"ftp://h\": only https:// and http:// URLs");
	bad("target \"r\" { interface redfish host \"https://fe80::1\" }\n",
	    "t.conf:1: host: \"https://fe80::1\": put an IPv6 address in "
	    "brackets");
	bad("target \"r\" { interface redfish host \"http://h\"\n username "
	    "\"u\" password-file \"/p\" }\n",
	    "t.conf:1: host: \"http://h\" would send the password in clear "
	    "(http): use https, or set allow-plaintext yes");
	bad("webhook \"w\" {\n url \"http://h/x\"\n bearer-token-file "
	    "\"/t\" }\n", "t.conf:2: url: \"http://h/x\" would send the "
	    "credentials in clear (http): use https, or set allow-plaintext "
	    "yes");
	bad("webhook \"w\" { url \"https://h/x\"\n bearer-token-file \"/t\"\n"
	    " basic-auth-file \"/b\" }\n",
	    "t.conf:3: webhook \"w\": bearer-token-file and basic-auth-file "
	    "exclude each other");
	/* credentials in a URL: refused without repeating them */
	bad("target \"r\" { interface redfish\n host \"https://admin:"
	    SECRET "@h\" }\n", "t.conf:2: host: no user@ (nor "
	    "user:password@) in a host: use username and password-file");
	bad("webhook \"w\" {\n url \"https://u:" SECRET "@h/x\" }\n",
	    "t.conf:2: url: no user@ (nor user:password@) in the URL: use "
	    "basic-auth-file");
	c = good("webhook \"w\" { url \"https://h/x?to=ops@example\" }\n");
	conf_free(c);
	bad("target \"p\" { host \"[fe80::1]\" username \"u\" "
	    "password-file \"/p\" }\n", "t.conf:1: host: \"[fe80::1]\": "
	    "write an IPv6 address without brackets");
	bad("\nwebhook \"w\" { events all }\n",
	    "t.conf:2: webhook \"w\": no url given");
	(void)t;
}

static void
test_timing(void)
{
	struct conf *c;

	/* a request with its retries ends before the next poll */
	bad("target \"a\" {\n sensor-interval 10\n timeout 12 }\n",
	    "t.conf:3: timeout: 12 s (a request with its retries) is longer "
	    "than sensor-interval 10 s: a request must end before the next "
	    "one is due");
	bad("target \"a\" {\n\n chassis-interval 3 }\n",
	    "t.conf:3: chassis-interval: 3 s is shorter than the request "
	    "timeout 4 s (the default; a request with its retries): lower "
	    "timeout too");
	c = good("target \"a\" { chassis-interval 3 timeout 3 }\n");
	conf_free(c);
	bad("target \"a\" {\n timeout 9 watchdog {\n timeout 60 interval 8 "
	    "} }\n",
	    "t.conf:2: timeout: 9 s (a request with its retries) is longer "
	    "than the watchdog interval 8 s: a request must end before the "
	    "next one is due");
	bad("target \"a\" {\n timeout 0.3 retries 3 }\n",
	    "t.conf:2: timeout: 0.3 s over 4 attempts (retries 3) leaves 75 "
	    "ms per attempt; give each at least 100 ms");
	c = good("target \"a\" { timeout 0.4 retries 3 }\n");
	conf_free(c);
}

static void
test_watchdog_validate(void)
{
	struct watchdog_cfg w;
	char reason[400];

	/* the unsafe interval is refused with watchdog_validate's own
	 * reason, at the line of "interval" */
	watchdog_cfg_default(&w);
	w.timeout_ms = 60000;
	w.interval_ms = 40000;
	CHECK(watchdog_validate(&w, reason, sizeof(reason)) == -1);
	bad("target \"a\" {\n watchdog { timeout 60\n interval 40 } }\n",
	    fmt("t.conf:3: watchdog: %s", reason));
	/* with a pre-timeout interrupt the budget shrinks */
	w.interval_ms = 25000;
	w.pretimeout_s = 20;
	w.pre_int = WDT_PRE_NMI;
	CHECK(watchdog_validate(&w, reason, sizeof(reason)) == -1);
	bad("target \"a\" {\n watchdog { timeout 60 pretimeout 20\n "
	    "pre-interrupt nmi interval 25 } }\n",
	    fmt("t.conf:3: watchdog: %s", reason));
	/* a pre-timeout not shorter than the timeout: at "timeout" */
	watchdog_cfg_default(&w);
	w.timeout_ms = 10000;
	w.pretimeout_s = 10;
	CHECK(watchdog_validate(&w, reason, sizeof(reason)) == -1);
	bad("target \"a\" {\n watchdog {\n timeout 10\n pretimeout 10 "
	    "interval 2 } }\n", fmt("t.conf:3: watchdog: %s", reason));
	/* the safe ones pass */
	conf_free(good("target \"a\" { watchdog { timeout 60 interval 30 } "
	    "}\n"));
}

/* ---- defaults { } ---- */

static void
test_defaults_block(void)
{
	struct conf *c;
	const struct conf_target *t;

	c = good("target \"before\" { host \"b0\" username \"x\" "
	    "password-file \"/x\" }\n"
	    "defaults {\n"
	    "  interface lanplus username \"monitor\"\n"
	    "  password-file \"/etc/bmcwatch/fleet.pw\"\n"
	    "  sensor-interval 15 allow power cipher-suite 17\n"
	    "  device \"/dev/ipmi1\" in-band-events no\n"
	    "  watchdog { timeout 30 interval 5 }\n"
	    "}\n"
	    "target \"a\" { host \"a-bmc\" }\n"
	    "target \"b\" { host \"b-bmc\" sensor-interval 20 allow identify "
	    "username \"other\" }\n"
	    "target \"loc\" { interface open }\n"
	    "target \"nw\" { host \"c-bmc\" watchdog { timeout 120 "
	    "interval 20 } }\n"
	    "defaults { sel-interval 120 }\n"
	    "target \"c\" { host \"c\" username \"u\" "
	    "password-file \"/p\" }\n");
	if (c == NULL)
		return;
	/* before the block: built-in defaults */
	t = conf_target_find(c, "before");
	if (t != NULL) {
		CHECK_EQ(t->sensor_interval_s, 30);
		CHECK_EQ(t->cipher, 3);
		CHECK_STR(t->username, "x");
	}
	/* inherited */
	t = conf_target_find(c, "a");
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_LANPLUS);
		CHECK_STR(t->username, "monitor");
		CHECK_STR(t->password_file, "/etc/bmcwatch/fleet.pw");
		CHECK_EQ(t->sensor_interval_s, 15);
		CHECK_EQ(t->allow, CONF_ALLOW_POWER);
		CHECK_EQ(t->cipher, 17);
		CHECK(t->watchdog.enabled);
		CHECK_EQ(t->watchdog.cfg.timeout_ms, 30000);
		/* what does not apply to lanplus is not taken */
		CHECK(t->device == NULL);
		CHECK_EQ(t->in_band_events, 1);
	}
	/* overridden, lists replaced rather than merged */
	t = conf_target_find(c, "b");
	if (t != NULL) {
		CHECK_EQ(t->sensor_interval_s, 20);
		CHECK_EQ(t->allow, CONF_ALLOW_IDENTIFY);
		CHECK_STR(t->username, "other");
	}
	/* an open target takes what applies to open only */
	t = conf_target_find(c, "loc");
	if (t != NULL) {
		CHECK_EQ(t->iface, CONF_IFACE_OPEN);
		CHECK(t->username == NULL && t->password_file == NULL);
		CHECK_STR(t->device, "/dev/ipmi1");
		CHECK_EQ(t->in_band_events, 0);
		CHECK_EQ(t->cipher, 3);
		CHECK_EQ(t->sensor_interval_s, 15);
		CHECK(t->watchdog.enabled);
	}
	/* a target's watchdog block replaces the default one whole */
	t = conf_target_find(c, "nw");
	if (t != NULL)
		CHECK_EQ(t->watchdog.cfg.timeout_ms, 120000);
	/* a second defaults block replaces the first */
	t = conf_target_find(c, "c");
	if (t != NULL) {
		CHECK_EQ(t->sel_interval_s, 120);
		CHECK_EQ(t->sensor_interval_s, 30);
		CHECK_EQ(t->iface, CONF_IFACE_LANPLUS);
		CHECK_STR(t->username, "u");
	}
	conf_free(c);
	/* a bad value in defaults is reported where it is written */
	bad("defaults {\n sensor-interval 0 }\n",
	    "t.conf:2: sensor-interval: \"0\" out of range 1..86400");
	/* an inherited keyword's checks run on the target, and name the
	 * defaults line */
	bad("defaults {\n cipher-suite 0\n}\ntarget \"p\" { host \"h\" "
	    "username \"u\" password-file \"/p\" }\n",
	    "t.conf:2: cipher-suite: 0 has no authentication: refused unless "
	    "allow-none yes");
}

/* ---- conf_target_equal, trcfg ---- */

static const char eq_base[] =
    "target \"t\" {\n"
    "  interface lanplus host \"h\" username \"u\" password-file \"/p\"\n"
    "  %s\n"
    "}\n";

static void
test_equal(void)
{
	/* a change of each of these is a different target */
	static const char *const variants[] = {
		"port 624", "kg-file \"/k\"", "cipher-suite 17",
		"privilege admin", "allow-none yes", "timeout 2", "retries 2",
		"keepalive 20", "workaround no-cipher-suites",
		"sensor-interval 20", "sel-interval 30", "chassis-interval 20",
		"max-outstanding 2", "unreachable-after 4", "backoff-max 60",
		"sel-clear-at 50", "sel-clear-free 10",
		"sel-delete-entries yes", "severity-file \"/s\"",
		"allow sel-clear", "sol { log yes }", "sol { input yes }",
		"sol { pattern \"x\" }",
		"watchdog { timeout 60 interval 10 }",
		"watchdog { timeout 60 interval 10 grace 5 }",
		"watchdog { timeout 60 interval 10 check-pid \"/r\" }",
		"watchdog { timeout 60 interval 10 check-command \"/c\" "
		    "timeout 2 }",
		"watchdog { timeout 60 interval 10 check-command \"/c\" "
		    "timeout 3 }",
	};
	struct conf *a, *b, *m;
	size_t i, j;
	int same;

	a = good(fmt(eq_base, ""));
	/* the same target written elsewhere, in another order */
	m = good("user \"x\"\n\n\ntarget \"t\" { password-file \"/p\" "
	    "username \"u\"\n host \"h\"\n interface lanplus }\n");
	if (a == NULL || m == NULL) {
		conf_free(a);
		conf_free(m);
		return;
	}
	CHECK(conf_target_equal(&a->targets[0], &m->targets[0]));
	CHECK(a->targets[0].loc.line != m->targets[0].loc.line);
	conf_free(m);
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		b = good(fmt(eq_base, variants[i]));
		if (b == NULL)
			continue;
		same = conf_target_equal(&a->targets[0], &b->targets[0]);
		if (same)
			printf("# \"%s\" compares equal\n", variants[i]);
		CHECK(!same);
		CHECK(conf_target_equal(&b->targets[0], &b->targets[0]));
		/* and every variant differs from every other */
		for (j = 0; j < i; j++) {
			m = good(fmt(eq_base, variants[j]));
			if (m != NULL && conf_target_equal(&m->targets[0],
			    &b->targets[0])) {
				printf("# \"%s\" == \"%s\"\n", variants[i],
				    variants[j]);
				CHECK(0);
			}
			conf_free(m);
		}
		conf_free(b);
	}
	/* host, user, password file, interface */
	b = good("target \"t\" { interface lanplus host \"h2\" username \"u\" "
	    "password-file \"/p\" }\n");
	if (b != NULL)
		CHECK(!conf_target_equal(&a->targets[0], &b->targets[0]));
	conf_free(b);
	b = good("target \"t\" { interface lan host \"h\" username \"u\" "
	    "password-file \"/p\" }\n");
	if (b != NULL)
		CHECK(!conf_target_equal(&a->targets[0], &b->targets[0]));
	conf_free(b);
	b = good("target \"t\" { interface lanplus host \"h\" username \"v\" "
	    "password-file \"/p\" }\n");
	if (b != NULL)
		CHECK(!conf_target_equal(&a->targets[0], &b->targets[0]));
	conf_free(b);
	b = good("target \"t\" { interface lanplus host \"h\" username \"u\" "
	    "password-file \"/q\" }\n");
	if (b != NULL)
		CHECK(!conf_target_equal(&a->targets[0], &b->targets[0]));
	conf_free(b);
	conf_free(a);
	/* webhooks */
	a = good("webhook \"w\" { url \"https://h/x\" }\n");
	b = good("webhook \"w\" { url \"https://h/x\" min-severity info }\n");
	m = good("\n\nwebhook \"w\" {\n url \"https://h/x\" }\n");
	if (a != NULL && b != NULL && m != NULL) {
		CHECK(!conf_webhook_equal(&a->webhooks[0], &b->webhooks[0]));
		CHECK(conf_webhook_equal(&a->webhooks[0], &m->webhooks[0]));
	}
	conf_free(a);
	conf_free(b);
	conf_free(m);
}

static void
test_trcfg(void)
{
	struct conf *c;
	struct ipmi_tr_cfg cfg;

	c = good("target \"p\" { host \"bmc7\" port 6230 username \"admin\"\n"
	    " password-file \"/p\" cipher-suite 17 privilege admin\n"
	    " timeout 2 retries 3 keepalive 25 workaround no-cipher-suites }\n"
	    "target \"l\" { interface lan host \"bmc8\" username \"u\" "
	    "password-file \"/p\" }\n"
	    "target \"o\" { device \"/dev/ipmi3\" timeout 6 retries 2 }\n"
	    "target \"r\" { interface redfish host \"https://r\" }\n");
	if (c == NULL || c->ntargets != 4) {
		conf_free(c);
		return;
	}
	CHECK(conf_target_trcfg(&c->targets[0], &cfg) == 0);
	CHECK_EQ(cfg.iface, IPMI_IFACE_LANPLUS);
	CHECK_STR(cfg.host, "bmc7");
	CHECK_EQ(cfg.port, 6230);
	CHECK_STR(cfg.user, "admin");
	CHECK_EQ(cfg.cipher, 17);
	CHECK_EQ(cfg.priv, IPMI_PRIV_ADMIN);
	/* the request budget shared by the attempts, as bmcwatch -t */
	CHECK_EQ(cfg.timeout_ms, 500);
	CHECK_EQ(cfg.retries, 3);
	CHECK_EQ(cfg.keepalive_ms, 25000);
	CHECK_EQ(cfg.workarounds, IPMI_WA_NO_CIPHER_SUITES);
	CHECK_EQ(cfg.authtype, -1);
	CHECK_EQ(cfg.pwlen, 0);		/* pure parse: nothing read */
	CHECK(conf_target_trcfg(&c->targets[1], &cfg) == 0);
	CHECK_EQ(cfg.iface, IPMI_IFACE_LAN);
	CHECK_EQ(cfg.authtype, IPMI_AUTH_MD5);
	CHECK_EQ(cfg.port, 623);
	CHECK(conf_target_trcfg(&c->targets[2], &cfg) == 0);
	CHECK_EQ(cfg.iface, IPMI_IFACE_OPEN);
	CHECK_STR(cfg.device, "/dev/ipmi3");
	CHECK_EQ(cfg.timeout_ms, 2000);
	CHECK(conf_target_trcfg(&c->targets[3], &cfg) == -1);
	conf_free(c);
}

/* ---- real files: secrets, includes, severity files, users ---- */

static char *
path_in(const char *name)
{
	return fmt("%s/%s", tdir, name);
}

static void
put(const char *name, mode_t mode, const char *content, size_t len)
{
	const char *p = path_in(name);
	int fd;

	(void)unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, content, len) == (ssize_t)len);
	CHECK(fchmod(fd, mode) == 0);
	(void)close(fd);
}

static void
puts_file(const char *name, mode_t mode, const char *content)
{
	put(name, mode, content, strlen(content));
}

/* load the file "main.conf" of the temp dir */
static int
load_main(const char *text, struct conf **c, char *err, size_t errlen)
{
	int r;

	puts_file("main.conf", 0644, text);
	r = conf_load(mainp, c, err, errlen);
	if (r != 0)
		remember(err);
	return r;
}

static struct conf *
load_good(const char *text)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];

	if (load_main(text, &c, err, sizeof(err)) != 0) {
		printf("# unexpected error: %s\n", err);
		CHECK(0);
		return NULL;
	}
	return c;
}

static void
load_bad(const char *text, const char *want)
{
	struct conf *c = (struct conf *)&c;
	char err[CONF_ERR_MAX];
	size_t n = strlen(want);
	int ok;

	if (load_main(text, &c, err, sizeof(err)) == 0) {
		printf("# accepted, wanted: %s\n", want);
		CHECK(0);
		conf_free(c);
		return;
	}
	CHECK(c == (struct conf *)&c);
	ok = n > 0 && want[n - 1] == '*' ? strncmp(err, want, n - 1) == 0 :
	    strcmp(err, want) == 0;
	if (!ok) {
		printf("# got:  %s\n# want: %s\n", err, want);
		CHECK(0);
	}
}

/* a lanplus target whose password file is NAME, user = me */
static const char *
pw_conf(const char *name)
{
	return fmt("user \"%s\"\ntarget \"p\" {\n interface lanplus host "
	    "\"127.0.0.1\" username \"u\"\n password-file \"%s\"\n}\n", me,
	    path_in(name));
}

static void
test_secrets(void)
{
	struct conf *c;
	char pw[PATH_MAX];

	(void)snprintf(pw, sizeof(pw), "%s", path_in("pw"));
	/* mode 0600 and 0400: read, newline stripped */
	puts_file("pw", 0600, SECRET "\n");
	c = load_good(pw_conf("pw"));
	if (c != NULL) {
		const struct conf_target *t = &c->targets[0];
		struct ipmi_tr_cfg cfg;

		CHECK_EQ(t->password.len, strlen(SECRET));
		CHECK_MEM(t->password.p, SECRET, strlen(SECRET));
		CHECK(conf_target_trcfg(t, &cfg) == 0);
		CHECK_EQ(cfg.pwlen, strlen(SECRET));
		CHECK_MEM(cfg.password, SECRET, strlen(SECRET));
		CHECK(c->uid == geteuid());
	}
	conf_free(c);
	puts_file("pw", 0400, SECRET "\r\n");
	c = load_good(pw_conf("pw"));
	if (c != NULL)
		CHECK_EQ(c->targets[0].password.len, strlen(SECRET));
	conf_free(c);
	/* 0644, 0640, 0604 refused */
	puts_file("pw", 0644, SECRET "\n");
	load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": mode 0644 "
	    "lets group or others at it: chmod 600 (or 400) it",
	    mainp, pw));
	puts_file("pw", 0640, SECRET "\n");
	load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": mode 0640 "
	    "lets group or others at it: chmod 600 (or 400) it",
	    mainp, pw));
	puts_file("pw", 0604, SECRET "\n");
	load_bad(pw_conf("pw"), "*");
	/* a symbolic link, even to a good file */
	puts_file("pw", 0600, SECRET "\n");
	(void)unlink(path_in("pwlink"));
	CHECK(symlink(pw, path_in("pwlink")) == 0);
	load_bad(pw_conf("pwlink"), fmt("%s:4: password-file: \"%s\": is a "
	    "symbolic link: name the file itself", mainp,
	    path_in("pwlink")));
	/* missing, a directory */
	load_bad(pw_conf("nope"), fmt("%s:4: password-file: \"%s\": No such "
	    "file or directory", mainp, path_in("nope")));
	(void)mkdir(path_in("dir"), 0700);
	load_bad(pw_conf("dir"), fmt("%s:4: password-file: \"%s\": not a "
	    "regular file", mainp, path_in("dir")));
	/* too long for RMCP+ (20 bytes), two lines, empty */
	puts_file("pw", 0600, SECRET "-and-more\n");
	load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": 23 bytes, "
	    "more than the 20 allowed here", mainp, pw));
	puts_file("pw", 0600, SECRET "\nsecond line\n");
	load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": has more "
	    "than one line", mainp, pw));
	puts_file("pw", 0600, "\n");
	load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": is empty",
	    mainp, pw));
	/* IPMI 1.5: 16 bytes */
	puts_file("pw", 0600, "seventeen-bytes-x");
	load_bad(fmt("user \"%s\"\ntarget \"l\" { interface lan host \"h\" "
	    "username \"u\"\n password-file \"%s\" }\n", me, pw),
	    fmt("%s:3: password-file: \"%s\": 17 bytes, more than the 16 "
	    "allowed here", mainp, pw));
	/* owners: root, the daemon user or the euid; others refused */
	if (geteuid() == 0) {
		struct passwd *nb = getpwnam("nobody");

		puts_file("pw", 0600, SECRET "\n");
		CHECK(chown(pw, 4242, 4242) == 0);
		load_bad(pw_conf("pw"), fmt("%s:4: password-file: \"%s\": "
		    "owned by uid 4242: must be root or the daemon user (%s)",
		    mainp, pw, me));
		if (nb != NULL) {
			CHECK(chown(pw, nb->pw_uid, nb->pw_gid) == 0);
			c = load_good(fmt("user \"nobody\"\ntarget \"p\" {\n "
			    "interface lanplus host \"h\" username \"u\"\n "
			    "password-file \"%s\"\n}\n", pw));
			if (c != NULL) {
				CHECK(c->uid == nb->pw_uid);
				CHECK_EQ(c->targets[0].password.len,
				    strlen(SECRET));
			}
			conf_free(c);
		}
		CHECK(chown(pw, 0, 0) == 0);
	} else
		printf("# not root: the foreign-owner case is skipped\n");
	/* K_g: hex or text, and refused otherwise */
	puts_file("kg", 0600, "0x0102030405060708090a0b0c0d0e0f1011121314\n");
	c = load_good(fmt("user \"%s\"\ntarget \"p\" { host \"h\" username "
	    "\"u\" password-file \"%s\"\n kg-file \"%s\" }\n", me, pw,
	    path_in("kg")));
	if (c != NULL) {
		static const unsigned char k[20] = { 1, 2, 3, 4, 5, 6, 7, 8,
		    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
		struct ipmi_tr_cfg cfg;

		CHECK_EQ(c->targets[0].kg.len, 20);
		CHECK_MEM(c->targets[0].kg.p, k, 20);
		CHECK(conf_target_trcfg(&c->targets[0], &cfg) == 0);
		CHECK_EQ(cfg.kglen, 20);
		CHECK_MEM(cfg.kg, k, 20);
	}
	conf_free(c);
	puts_file("kg", 0600, "textkey");
	c = load_good(fmt("user \"%s\"\ntarget \"p\" { host \"h\" username "
	    "\"u\" password-file \"%s\"\n kg-file \"%s\" }\n", me, pw,
	    path_in("kg")));
	if (c != NULL)
		CHECK_EQ(c->targets[0].kg.len, 7);
	conf_free(c);
	puts_file("kg", 0600, "0x" SECRET "\n");
	load_bad(fmt("user \"%s\"\ntarget \"p\" { host \"h\" username \"u\" "
	    "password-file \"%s\"\n kg-file \"%s\" }\n", me, pw,
	    path_in("kg")), fmt("%s:3: kg-file: \"%s\": not a key of at most "
	    "20 bytes (text, or 0x and up to 40 hex digits)",
	    mainp, path_in("kg")));
	/* webhook secrets */
	puts_file("tok", 0600, "abc.def-ghi\n");
	puts_file("basic", 0600, "user:" SECRET "\n");
	puts_file("hmac", 0600, "0123456789abcdef" SECRET);
	c = load_good(fmt("user \"%s\"\nwebhook \"w\" { url \"https://h/x\"\n"
	    " bearer-token-file \"%s\" hmac-secret-file \"%s\" }\n"
	    "webhook \"v\" { url \"https://h/y\" basic-auth-file \"%s\" }\n",
	    me, path_in("tok"), path_in("hmac"), path_in("basic")));
	if (c != NULL && c->nwebhooks == 2) {
		CHECK_STR((const char *)c->webhooks[0].bearer_token.p,
		    "abc.def-ghi");
		CHECK_EQ(c->webhooks[0].hmac_secret.len, 16 + strlen(SECRET));
		CHECK_STR((const char *)c->webhooks[1].basic_auth.p,
		    "user:" SECRET);
	}
	conf_free(c);
	puts_file("tok", 0600, "abc def\n");
	load_bad(fmt("user \"%s\"\nwebhook \"w\" { url \"https://h/x\"\n"
	    " bearer-token-file \"%s\" }\n", me, path_in("tok")),
	    fmt("%s:3: bearer-token-file: \"%s\": contains a byte a token may "
	    "not have", mainp, path_in("tok")));
	puts_file("basic", 0600, SECRET "\n");
	load_bad(fmt("user \"%s\"\nwebhook \"w\" { url \"https://h/x\"\n"
	    " basic-auth-file \"%s\" }\n", me, path_in("basic")),
	    fmt("%s:3: basic-auth-file: \"%s\": is not \"user:password\"",
	    mainp, path_in("basic")));
	puts_file("hmac", 0600, "short\n");
	load_bad(fmt("user \"%s\"\nwebhook \"w\" { url \"https://h/x\"\n"
	    " hmac-secret-file \"%s\" }\n", me, path_in("hmac")),
	    fmt("%s:3: hmac-secret-file: \"%s\": shorter than 16 bytes",
	    mainp, path_in("hmac")));
	/* a password that changed is a changed target (reload) */
	{
		struct conf *a, *b;

		puts_file("pw", 0600, SECRET "\n");
		a = load_good(pw_conf("pw"));
		puts_file("pw", 0600, SECRET "2\n");
		b = load_good(pw_conf("pw"));
		if (a != NULL && b != NULL)
			CHECK(!conf_target_equal(&a->targets[0],
			    &b->targets[0]));
		conf_free(a);
		conf_free(b);
	}
}

static void
test_accounts_and_files(void)
{
	struct conf *c;

	load_bad("user \"no-such-user-bmcw\"\n",
	    fmt("%s:1: user: \"no-such-user-bmcw\": no such user",
	    mainp));
	load_bad(fmt("user \"%s\"\n\ngroup \"no-such-group-bmcw\"\n", me),
	    fmt("%s:3: group: \"no-such-group-bmcw\": no such group",
	    mainp));
	load_bad(fmt("user \"%s\"\nsocket-group \"no-such-group-bmcw\"\n", me),
	    fmt("%s:2: socket-group: \"no-such-group-bmcw\": no such group",
	    mainp));
	if (getpwnam(CONF_DEFAULT_USER) == NULL)
		load_bad("", fmt("%s: user \"" CONF_DEFAULT_USER "\" (the "
		    "default): no such user: create it, or set user",
		    mainp));
	c = load_good(fmt("user \"%s\"\ngroup \"root\"\n", me));
	if (c != NULL) {
		CHECK(c->gid == 0);
		CHECK(c->socket_gid == 0);
	}
	conf_free(c);
	/* check-command must be an executable file */
	puts_file("ok.sh", 0755, "#!/bin/sh\nexit 0\n");
	puts_file("noexec.sh", 0644, "#!/bin/sh\nexit 0\n");
	c = load_good(fmt("user \"%s\"\ntarget \"a\" { watchdog { timeout 60 "
	    "interval 10\n check-command \"%s\" } }\n", me, path_in("ok.sh")));
	conf_free(c);
	load_bad(fmt("user \"%s\"\ntarget \"a\" { watchdog { timeout 60 "
	    "interval 10\n check-command \"%s\" } }\n", me,
	    path_in("noexec.sh")), fmt("%s:3: check-command: \"%s\": not "
	    "executable", mainp, path_in("noexec.sh")));
	load_bad(fmt("user \"%s\"\ntarget \"r\" { interface redfish host "
	    "\"https://h\"\n ca-file \"%s\" }\n", me, path_in("nope.pem")),
	    fmt("%s:3: ca-file: \"%s\": No such file or directory",
	    mainp, path_in("nope.pem")));
	/* the main file itself */
	{
		char err[CONF_ERR_MAX];

		c = (struct conf *)&c;
		CHECK(conf_load(path_in("missing.conf"), &c, err,
		    sizeof(err)) == -1);
		CHECK_STR(err, fmt("%s: No such file or directory",
		    path_in("missing.conf")));
		CHECK(c == (struct conf *)&c);
		CHECK(conf_load(tdir, &c, err, sizeof(err)) == -1);
		CHECK_STR(err, fmt("%s: not a regular file", tdir));
	}
}

static void
test_severity_file(void)
{
	struct conf *c;

	puts_file("sev.conf", 0644, "exclude FAN1\ntype 8 offset 0 critical\n");
	c = load_good(fmt("user \"%s\"\ntarget \"a\" { severity-file \"%s\" }\n"
	    "target \"b\" { severity-file \"%s\" }\n", me,
	    path_in("sev.conf"), path_in("sev.conf")));
	if (c != NULL) {
		CHECK(c->targets[0].severity != NULL);
		/* loaded once, shared */
		CHECK(c->targets[0].severity == c->targets[1].severity);
		if (c->targets[0].severity != NULL)
			CHECK(severity_excluded(c->targets[0].severity,
			    "FAN1", 8));
	}
	conf_free(c);
	/* its errors carry its own FILE:LINE first */
	puts_file("sev.conf", 0644, "exclude FAN1\n\nsensor CPU* offset 7 "
	    "warnin\n");
	load_bad(fmt("user \"%s\"\n\ntarget \"a\" { severity-file \"%s\" }\n",
	    me, path_in("sev.conf")), fmt("%s:3: bad level 'warnin' (ok, "
	    "warning, critical, nonrecoverable) (severity-file of target "
	    "\"a\", %s:3)", path_in("sev.conf"), mainp));
	load_bad(fmt("user \"%s\"\ntarget \"a\" { severity-file \"%s\" }\n",
	    me, path_in("nosev.conf")), fmt("%s:2: severity-file: \"%s\": No "
	    "such file or directory", mainp,
	    path_in("nosev.conf")));
}

static void
test_include(void)
{
	struct conf *c;

	puts_file("pw", 0600, SECRET "\n");
	(void)mkdir(path_in("targets.d"), 0755);
	puts_file("targets.d/10-a.conf", 0644, "target \"a\" { host \"a\" }\n");
	/* its own defaults replace the includer's, for this file */
	puts_file("targets.d/20-b.conf", 0644, fmt(
	    "defaults { sensor-interval 45 username \"u\" "
	    "password-file \"%s\" }\n"
	    "target \"b\" { host \"b\" }\n", path_in("pw")));
	puts_file("targets.d/README", 0644, "not a config\n");
	/* relative to the including file; defaults flow in, not out */
	c = load_good(fmt("user \"%s\"\ndefaults { username \"u\" "
	    "password-file \"%s\" sel-interval 90 }\n"
	    "include \"targets.d/*.conf\"\ninclude \"empty.d/*.conf\"\n"
	    "target \"c\" { host \"c\" }\n", me, path_in("pw")));
	if (c != NULL && c->ntargets == 3) {
		CHECK_STR(c->targets[0].name, "a");
		CHECK_STR(c->targets[0].loc.file,
		    path_in("targets.d/10-a.conf"));
		CHECK_EQ(c->targets[0].sel_interval_s, 90);
		CHECK_STR(c->targets[1].name, "b");
		CHECK_EQ(c->targets[1].sensor_interval_s, 45);
		CHECK_EQ(c->targets[1].sel_interval_s, 60);
		CHECK_STR(c->targets[2].name, "c");
		CHECK_EQ(c->targets[2].sel_interval_s, 90);
		CHECK_EQ(c->targets[2].sensor_interval_s, 30);
		CHECK_EQ(c->targets[2].password.len, strlen(SECRET));
	} else
		CHECK(0);
	conf_free(c);
	/* errors name the included file and its line */
	puts_file("targets.d/20-b.conf", 0644, "\n\ntarget \"b\" {\n"
	    " sensor-interval 0 }\n");
	load_bad(fmt("user \"%s\"\ndefaults { username \"u\" password-file "
	    "\"%s\" }\ninclude \"targets.d/*.conf\"\n", me, path_in("pw")),
	    fmt("%s:4: sensor-interval: \"0\" out of range 1..86400",
	    path_in("targets.d/20-b.conf")));
	/* a duplicate across files says where the first one is */
	puts_file("targets.d/20-b.conf", 0644, "target \"a\" { }\n");
	load_bad(fmt("user \"%s\"\ndefaults { username \"u\" password-file "
	    "\"%s\" }\ninclude \"targets.d/*.conf\"\n", me, path_in("pw")),
	    fmt("%s:1: target \"a\": already defined at %s:1",
	    path_in("targets.d/20-b.conf"),
	    path_in("targets.d/10-a.conf")));
	/* a directory that cannot be read is an error, not an empty list
	 * (a symlink loop fails even for root) */
	(void)unlink(path_in("loop.d"));
	CHECK(symlink(path_in("loop.d"), path_in("loop.d")) == 0);
	load_bad(fmt("user \"%s\"\ninclude \"loop.d/*.conf\"\n", me),
	    fmt("%s:2: include: \"%s\": %s", mainp, path_in("loop.d"),
	    strerror(ELOOP)));
	if (geteuid() != 0) {
		(void)mkdir(path_in("closed.d"), 0755);
		puts_file("closed.d/x.conf", 0644, "target \"z\" { }\n");
		CHECK(chmod(path_in("closed.d"), 0) == 0);
		load_bad(fmt("user \"%s\"\ninclude \"closed.d/*.conf\"\n", me),
		    fmt("%s:2: include: \"%s\": Permission denied", mainp,
		    path_in("closed.d")));
		(void)chmod(path_in("closed.d"), 0755);
	} else
		printf("# root: the unreadable-directory case is skipped\n");
	/* a file including itself stops at the depth bound */
	puts_file("loop.conf", 0644, "\ninclude \"loop.conf\"\n");
	load_bad(fmt("user \"%s\"\ninclude \"loop.conf\"\n", me),
	    fmt("%s:2: include: nested more than %d deep (does a file "
	    "include itself?)", path_in("loop.conf"), CONF_INCLUDE_DEPTH));
	/* a block may not span files */
	puts_file("open.conf", 0644, "target \"x\" {\n");
	load_bad(fmt("user \"%s\"\ninclude \"open.conf\"\n}\n", me),
	    fmt("%s:1: end of file: block \"target\" opened at line 1 is not "
	    "closed", path_in("open.conf")));
	/* pure parsing skips includes */
	c = good("include \"/nonexistent/*.conf\"\n");
	if (c != NULL)
		CHECK_EQ(c->ntargets, 0);
	conf_free(c);
}

/*
 * SIGHUP: the daemon loads the new file and keeps the old conf on
 * error.  conf_load must leave its out pointer alone on failure, and a
 * later good load is independent of the first.
 */
static void
test_reload(void)
{
	struct conf *live = NULL, *next;
	char err[CONF_ERR_MAX];
	const struct conf_target *t;

	live = load_good(fmt("user \"%s\"\ntarget \"a\" { sensor-interval 10 "
	    "}\ntarget \"b\" { }\n", me));
	if (live == NULL)
		return;
	next = live;
	puts_file("main.conf", 0644, fmt("user \"%s\"\ntarget \"a\" { "
	    "sensor-interval 20 }\ntarget \"b\" {\n", me));
	CHECK(conf_load(mainp, &next, err, sizeof(err)) == -1);
	CHECK(next == live);
	CHECK_EQ(live->ntargets, 2);
	CHECK_EQ(live->targets[0].sensor_interval_s, 10);
	/* a good file: "a" changed, "b" did not, "c" is new */
	puts_file("main.conf", 0644, fmt("user \"%s\"\ntarget \"c\" { }\n"
	    "target \"b\" { }\ntarget \"a\" { sensor-interval 20 }\n", me));
	CHECK(conf_load(mainp, &next, err, sizeof(err)) == 0);
	CHECK(next != live);
	if (next != live) {
		t = conf_target_find(next, "a");
		CHECK(t != NULL && !conf_target_equal(conf_target_find(live,
		    "a"), t));
		t = conf_target_find(next, "b");
		CHECK(t != NULL && conf_target_equal(conf_target_find(live,
		    "b"), t));
		CHECK(conf_target_find(live, "c") == NULL);
		conf_free(live);
		live = next;
	}
	conf_free(live);
}

/* ---- the shipped example ---- */

/* in place: every "from" in buf (cap bytes) becomes "to" */
static void
replace_all(char *buf, size_t cap, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = strlen(buf);
	char *p = buf;

	while ((p = strstr(p, from)) != NULL) {
		if (n - fl + tl >= cap) {
			CHECK(0);
			return;
		}
		memmove(p + tl, p + fl, n - (size_t)(p - buf) - fl + 1);
		/* fills the gap: the NUL came along with the memmove */
		/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
		memcpy(p, to, tl);
		n = n - fl + tl;
		p += tl;
	}
}

static void
test_etc_example(void)
{
	FILE *f = fopen("etc/bmcwatchd.conf", "r");
	static char buf[256 * 1024], sev[64 * 1024];
	struct conf *c = NULL;
	char err[CONF_ERR_MAX], etc[PATH_MAX + 16];
	const struct conf_target *t;
	size_t n;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f);
	buf[n] = '\0';
	/* as it is: its paths point at /etc, so no file is read; the
	 * grammar, the values and every check that needs no file */
	if (conf_parse_buf("etc/bmcwatchd.conf", buf, n, 0, &c, err,
	    sizeof(err)) != 0) {
		printf("# %s\n", err);
		CHECK(0);
		return;
	}
	CHECK(c->ntargets >= 6);
	t = conf_target_find(c, "local");
	CHECK(t != NULL && t->watchdog.enabled && t->watchdog.nchecks == 3);
	t = conf_target_find(c, "r1-n01");
	CHECK(t != NULL && t->iface == CONF_IFACE_LANPLUS &&
	    t->sensor_interval_s == 60);
	CHECK(conf_target_find(c, "db7") != NULL);
	CHECK(conf_target_find(c, "rf1") != NULL);
	CHECK_EQ(c->nwebhooks, 1);
	conf_free(c);

	/* and with the files it names made under the temp dir, loaded as
	 * the daemon loads it: secrets, severity file, check command */
	(void)snprintf(etc, sizeof(etc), "%s/etc/bmcwatch/", tdir);
	replace_all(buf, sizeof(buf), "\"/etc/bmcwatch/", fmt("\"%s", etc));
	replace_all(buf, sizeof(buf), "\"/usr/local/sbin/",
	    fmt("\"%s/", tdir));
	replace_all(buf, sizeof(buf), "user \"_bmcwatch\"",
	    fmt("user \"%s\"", me));
	replace_all(buf, sizeof(buf), "socket-group \"bmcwatch\"",
	    "socket-group \"root\"");
	(void)mkdir(path_in("etc"), 0755);
	(void)mkdir(path_in("etc/bmcwatch"), 0755);
	f = fopen("etc/sensors-severity.conf", "r");
	CHECK(f != NULL);
	n = f != NULL ? fread(sev, 1, sizeof(sev) - 1, f) : 0;
	if (f != NULL)
		(void)fclose(f);
	sev[n] = '\0';
	puts_file("etc/bmcwatch/sensors-severity.conf", 0644, sev);
	puts_file("etc/bmcwatch/db7.pw", 0600, "db7-password\n");
	puts_file("etc/bmcwatch/old1.pw", 0600, "old1-password\n");
	puts_file("etc/bmcwatch/rf1.pw", 0400, "rf1-password\n");
	puts_file("etc/bmcwatch/fleet.pw", 0600, "fleet-password\n");
	puts_file("etc/bmcwatch/bmc-ca.pem", 0644, "-----BEGIN ...\n");
	puts_file("etc/bmcwatch/ops.token", 0600, "tok3n\n");
	puts_file("app-ok", 0755, "#!/bin/sh\nexit 0\n");
	puts_file("example.conf", 0644, buf);
	if (conf_load(path_in("example.conf"), &c, err, sizeof(err)) != 0) {
		printf("# %s\n", err);
		CHECK(0);
		return;
	}
	t = conf_target_find(c, "local");
	CHECK(t != NULL && t->severity != NULL);
	t = conf_target_find(c, "r1-n02");
	CHECK(t != NULL && t->password.len == strlen("fleet-password"));
	CHECK(c->webhooks[0].bearer_token.len == 5);
	conf_free(c);
}

/*
 * etc/bmcwatchd-local.conf, what make install and the Debian package put
 * in /etc: one target, the local BMC through the driver, no watchdog,
 * no action allowed, the package's user and socket group.  (Loaded with
 * its accounts by the installed bmcwatchd -n in tests/fresh/pkg.sh.)
 */
static void
test_etc_local(void)
{
	FILE *f = fopen("etc/bmcwatchd-local.conf", "r");
	static char buf[64 * 1024];
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	const struct conf_target *t;
	size_t n;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f);
	buf[n] = '\0';
	if (conf_parse_buf("etc/bmcwatchd-local.conf", buf, n, 0, &c, err,
	    sizeof(err)) != 0) {
		printf("# %s\n", err);
		CHECK(0);
		return;
	}
	CHECK_EQ(c->ntargets, 1);
	t = conf_target_find(c, "local");
	CHECK(t != NULL && t->iface == CONF_IFACE_OPEN);
	CHECK(t != NULL && !t->watchdog.enabled);
	CHECK(t != NULL && t->allow == 0);
	CHECK_EQ(c->nwebhooks, 0);
	CHECK_STR(c->user, "_bmcwatch");
	CHECK_STR(c->socket_group, "bmcwatch");
	CHECK_STR(c->state_dir, "/var/lib/bmcwatch");
	CHECK_STR(c->archive_dir, "/var/log/bmcwatch");
	conf_free(c);
}

/* every keyword in sorted tables and in the man page */
static void
test_tables_and_manual(void)
{
	FILE *f = fopen("agent/daemon/bmcwatch.conf.5", "r");
	static char man[256 * 1024];
	size_t n = 0, k;
	int ctx;

	if (f != NULL) {
		n = fread(man, 1, sizeof(man) - 1, f);
		(void)fclose(f);
	}
	man[n] = '\0';
	CHECK(n > 0);
	for (ctx = CONF_CTX_GLOBAL; ctx <= CONF_CTX_WEBHOOK; ctx++) {
		const char *prev = NULL, *kw;

		for (k = 0; (kw = conf_keyword((enum conf_ctx)ctx, k)) != NULL;
		    k++) {
			if (prev != NULL && strcmp(prev, kw) >= 0) {
				printf("# table %d: %s before %s\n", ctx, prev,
				    kw);
				CHECK(0);
			}
			prev = kw;
			if (strstr(man, fmt(".It Ic %s ", kw)) == NULL) {
				printf("# %s is not in bmcwatch.conf.5\n", kw);
				CHECK(0);
			}
		}
		CHECK(k > 0);
	}
	CHECK(conf_keyword(CONF_CTX_WEBHOOK + 1, 0) == NULL);
}

/* after everything: no error message ever held a secret */
static void
test_no_secret_in_errors(void)
{
	CHECK(nseen > 0);
	CHECK(strstr(seen, SECRET) == NULL);
	CHECK(strstr(seen, "Zq8") == NULL);
}

static void
cleanup(void)
{
	if (tdir[0] != '\0' && strncmp(tdir, "/tmp/", 5) == 0) {
		harness_rmtree(tdir);
	}
}

int
main(void)
{
	struct passwd *pw = getpwuid(geteuid());

	(void)snprintf(tdir, sizeof(tdir), "/tmp/bw-test-conf.XXXXXX");
	if (mkdtemp(tdir) == NULL || pw == NULL) {
		printf("not ok - setup: %s\n", strerror(errno));
		return 1;
	}
	(void)snprintf(me, sizeof(me), "%s", pw->pw_name);
	(void)snprintf(mainp, sizeof(mainp), "%s/main.conf", tdir);
	RUN(test_issue_example);
	RUN(test_defaults);
	RUN(test_keywords);
	RUN(test_values);
	RUN(test_structure);
	RUN(test_limits);
	RUN(test_interfaces);
	RUN(test_timing);
	RUN(test_watchdog_validate);
	RUN(test_defaults_block);
	RUN(test_equal);
	RUN(test_trcfg);
	RUN(test_secrets);
	RUN(test_accounts_and_files);
	RUN(test_severity_file);
	RUN(test_include);
	RUN(test_reload);
	RUN(test_etc_example);
	RUN(test_etc_local);
	RUN(test_tables_and_manual);
	RUN(test_no_secret_in_errors);
	cleanup();
	return harness_end();
}
