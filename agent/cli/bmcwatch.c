/*
 * bmcwatch: the command-line tool.  Global options follow ipmitool's
 * letters; the command runs the same event loop as the daemon until its
 * requests are done.  Exit codes: 0 success, 1 error completion code,
 * 2 usage/config error or standard output not written, 3 transport or
 * authentication failure.
 */
#include <sys/prctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "lan_crypto.h"
#include "xmem.h"

static const struct cli_cmd cli_cmds[] = {
	{ "info", cli_info, "info" },
	{ "raw", cli_raw, "raw [--repeat N] NETFN CMD [DATA ...]" },
	{ "chassis", cli_chassis, "chassis status|power ACTION|identify "
	    "[S|force|off]|restart-cause|poh|bootdev" },
	{ "watchdog", cli_watchdog, "watchdog get|set --timeout S ...|reset|"
	    "clear|off|heartbeat ..." },
	{ "sensors", cli_sensors, "sensors [-v] [--type T] [--name PATTERN] "
	    "[--sdr-file F] [--sdr-cache DIR]" },
	{ "sdr", cli_sdr, "sdr info|list|dump FILE [--sdr-cache DIR]" },
	{ "sel", cli_selwatch, "sel info|list [--last N] [--open]|clear "
	    "[--force]|archive [--archive F] [--state F] [--clear-at PCT]|ack "
	    "ID|watch [--for S] [--count N]" },
	/* Serial over LAN (cli_sol.c) */
	{ "sol", cli_sol, "sol activate [--takeover] [--escape-char C] "
	    "[--instance N]|deactivate [--instance N]|info [--channel N]" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: bmcwatch [-I open|lan|lanplus] [-H host] [-p port] "
	    "[-U user]\n"
	    "                [-E | -f password-file] [-C suite|auto] "
	    "[-L user|operator|admin]\n"
	    "                [-k kg-file] [-t timeout-s] [-R retries] "
	    "[-A md5|password|none]\n"
	    "                [-d N | --device PATH] [--allow-none] "
	    "[--target-chan N --target-addr A]\n"
	    "                [--max-outstanding N] [--json] [--stats] [-v] "
	    "COMMAND ...\n"
	    "       bmcwatch -I redfish -H host[:port]|URL -U user "
	    "-f password-file|-E\n"
	    "                [--ca-file F] [--insecure] [-t timeout-s] "
	    "[--json] [--stats] COMMAND ...\n"
	    "       bmcwatch -S SOCKET [--target NAME] [--json] [-t timeout-s] "
	    "COMMAND ...\n"
	    "commands:\n");
	for (i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(f, "    %s\n", cli_cmds[i].usage);
	fprintf(f, "commands answered by bmcwatchd (-S):\n"
	    "    sensors [-v] | info | targets | chassis status | watchdog get "
	    "| sel info | sel list [--last N] [--open]\n"
	    "    chassis power ACTION | chassis identify [S|force|off] | "
	    "sel clear | sel ack ID\n"
	    "commands over -I redfish:\n"
	    "    info | sensors [-v] [--type T] [--name PATTERN] | "
	    "chassis status | chassis power ACTION\n"
	    "    watchdog get | sel info | sel list [--last N] | sel clear "
	    "[--force]\n");
}

void
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bmcwatch: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* hex byte: "0x1f", "1f", "1F"; decimal is not accepted (as ipmitool
 * raw, every byte is hex) */
int
cli_parse_byte(const char *s, uint8_t *v)
{
	char *end;
	unsigned long n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (*s == '\0' || strlen(s) > 2)
		return -1;
	errno = 0;
	n = strtoul(s, &end, 16);
	if (errno != 0 || *end != '\0' || n > 0xff)
		return -1;
	*v = (uint8_t)n;
	return 0;
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *v)
{
	char *end;
	unsigned long n;

	if (*s == '\0' || *s == '-')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

/* seconds, possibly fractional ("0.5"), to ms */
static int
parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(d > 0.0) || d > 3600.0)
		return -1;
	*ms = (unsigned)(d * 1000.0 + 0.5);
	return *ms == 0 ? -1 : 0;
}

/*
 * Read a secret from a file: refused if group or world may read it.
 * The first line, without its newline; at most max bytes.
 */
static int
read_secret(const char *path, const char *what, uint8_t *out, size_t max,
    uint8_t *outlen)
{
	struct stat st;
	char buf[128];
	ssize_t n;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		fprintf(stderr, "bmcwatch: %s file %s: %s\n", what, path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "bmcwatch: %s file %s: not a regular file\n",
		    what, path);
		(void)close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr, "bmcwatch: %s file %s: readable by group or "
		    "others (mode %03o): chmod 600 it\n", what, path,
		    (unsigned)(st.st_mode & 0777));
		(void)close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n < 0) {
		fprintf(stderr, "bmcwatch: %s file %s: %s\n", what, path,
		    strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	if (len > max) {
		fprintf(stderr, "bmcwatch: %s file %s: longer than %zu "
		    "bytes\n", what, path, max);
		lcr_cleanse(buf, sizeof(buf));
		return -1;
	}
	memcpy(out, buf, len);
	*outlen = (uint8_t)len;
	lcr_cleanse(buf, sizeof(buf));
	return 0;
}

/* K_g from a file: text, or "0x" followed by up to 40 hex digits */
static int
read_kg(struct ipmi_tr_cfg *cfg, const char *path)
{
	uint8_t raw[IPMI_KG_MAX * 2 + 2], len = 0;
	size_t i;

	if (read_secret(path, "K_g", raw, sizeof(raw), &len) != 0)
		return -1;
	if (len >= 2 && raw[0] == '0' && (raw[1] == 'x' || raw[1] == 'X')) {
		if ((len - 2) % 2 != 0 || (len - 2) / 2 > IPMI_KG_MAX)
			goto bad;
		for (i = 0; i < (size_t)(len - 2) / 2; i++) {
			char h[3] = { (char)raw[2 + 2 * i],
			    (char)raw[3 + 2 * i], 0 };

			if (cli_parse_byte(h, &cfg->kg[i]) != 0)
				goto bad;
		}
		cfg->kglen = (uint8_t)((len - 2) / 2);
	} else {
		if (len > IPMI_KG_MAX)
			goto bad;
		memcpy(cfg->kg, raw, len);
		cfg->kglen = len;
	}
	lcr_cleanse(raw, sizeof(raw));
	return 0;
bad:
	lcr_cleanse(raw, sizeof(raw));
	fprintf(stderr, "bmcwatch: K_g file %s: not a key of at most 20 "
	    "bytes (text, or 0x and 40 hex digits)\n", path);
	return -1;
}

int
cli_connect(struct cli *c)
{
	struct ipmi_tr *tr;
	char err[256];

	if (c->conn != NULL)
		return CLI_OK;
	tr = ipmi_tr_new(&c->cfg, err, sizeof(err));
	/* the transport holds its own copy now */
	lcr_cleanse(c->cfg.password, sizeof(c->cfg.password));
	lcr_cleanse(c->cfg.kg, sizeof(c->cfg.kg));
	if (tr == NULL) {
		if (c->cfg.iface == IPMI_IFACE_OPEN)
			fprintf(stderr, "bmcwatch: %s\n", err);
		else
			fprintf(stderr, "bmcwatch: %s:%u: %s\n", c->cfg.host,
			    c->cfg.port, err);
		return CLI_ETRANSPORT;
	}
	c->conn = conn_new(c->ev, tr);
	return CLI_OK;
}

int
cli_call(struct cli *c, struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	enum ipmi_err e;
	struct ipmi_tr *tr;

	if (cli_connect(c) != CLI_OK)
		return -CLI_ETRANSPORT;
	if (c->bridged) {
		req->bridged = 1;
		req->target_chan = c->target_chan;
		req->target_addr = c->target_addr;
	}
	tr = conn_tr(c->conn);
	e = conn_call(c->conn, req, rsp);
	if (e == IPMI_OK)
		return 0;
	if (strcmp(ipmi_tr_error(tr), "no error") == 0)
		fprintf(stderr, "bmcwatch: %s: %s\n", ipmi_tr_peer(tr),
		    ipmi_strerror(e));
	else
		fprintf(stderr, "bmcwatch: %s: %s\n", ipmi_tr_peer(tr),
		    ipmi_tr_error(tr));
	return -CLI_ETRANSPORT;
}

int
cli_call_ok(struct cli *c, struct ipmi_req *req, struct ipmi_rsp *rsp,
    const char *what)
{
	int r;

	if ((r = cli_call(c, req, rsp)) != 0)
		return r;
	if (rsp->ccode != IPMI_CC_OK)
		return -cli_ccode_error(c, req, rsp, what);
	return 0;
}

int
cli_ccode_error(struct cli *c, const struct ipmi_req *req,
    const struct ipmi_rsp *rsp, const char *what)
{
	char cc[IPMI_CCODE_TEXT_MAX];
	/* the command that answered: Send Message's own code (a bridged
	 * request that never reached its target) is named for it; a
	 * response netfn is odd, so a transport that left it 0 shows */
	const uint8_t netfn = (rsp->netfn & 1) ? rsp->netfn : req->netfn;
	const uint8_t cmd = (rsp->netfn & 1) ? rsp->cmd : req->cmd;

	fprintf(stderr, "bmcwatch: %s: %s: %s\n",
	    ipmi_tr_peer(conn_tr(c->conn)), what, ipmi_ccode_fmt(cc,
	    sizeof(cc), netfn, cmd, rsp->ccode));
	return CLI_ECCODE;
}

int
cli_short_error(struct cli *c, const char *what, unsigned len,
    unsigned need)
{
	char buf[64];

	fprintf(stderr, "bmcwatch: %s: %s: %s\n",
	    ipmi_tr_peer(conn_tr(c->conn)), what, ipmi_short_fmt(buf,
	    sizeof(buf), len, need));
	return CLI_ETRANSPORT;
}

enum {
	OPT_JSON = 256,
	OPT_STATS,
	OPT_DEVICE,
	OPT_ALLOW_NONE,
	OPT_TCHAN,
	OPT_TADDR,
	OPT_TARGET,
	OPT_CA_FILE,
	OPT_INSECURE,
	OPT_MAXOUT,
	OPT_HELP
};

static const struct option longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "allow-none", no_argument, NULL, OPT_ALLOW_NONE },
	{ "target-chan", required_argument, NULL, OPT_TCHAN },
	{ "target-addr", required_argument, NULL, OPT_TADDR },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "ca-file", required_argument, NULL, OPT_CA_FILE },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "max-outstanding", required_argument, NULL, OPT_MAXOUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

/*
 * -I redfish: -H host[:port] or a URL, -U user (a Redfish account, any
 * length the service takes), the password from -f FILE or -E
 * (IPMI_PASSWORD) as for IPMI, -t the seconds allowed per request.
 * The IPMI-only options are refused rather than ignored.
 */
static int
parse_redfish(struct cli *c, const char *pwfile, int use_env,
    unsigned total_ms)
{
	uint8_t len = 0;
	char *pw;

	if (c->rf_host == NULL || c->rf_host[0] == '\0') {
		cli_usage_error("-H", "the redfish interface needs a host or "
		    "URL");
		return -1;
	}
	if (c->cfg.port != 0) {
		cli_usage_error("-p", "give the port in -H (host:port or "
		    "https://host:port) for -I redfish");
		return -1;
	}
	if (c->cfg.kglen != 0 || c->bridged || c->cfg.allow_none ||
	    c->cfg.device[0] != '\0') {
		cli_usage_error("-I redfish", "-k, -d, --device, --allow-none "
		    "and --target-addr are IPMI options");
		return -1;
	}
	if (c->rf_user == NULL || c->rf_user[0] == '\0') {
		cli_usage_error("-U", "the redfish interface needs a user");
		return -1;
	}
	if (strlen(c->rf_user) > CLI_RF_USER_MAX) {
		cli_usage_error("-U", "user name longer than %d characters",
		    CLI_RF_USER_MAX);
		return -1;
	}
	if (pwfile != NULL && use_env) {
		cli_usage_error("-E", "give the password with -E or -f, not "
		    "both");
		return -1;
	}
	if (pwfile == NULL && !use_env) {
		cli_usage_error("-f", "the redfish interface needs a password "
		    "(-f FILE or -E)");
		return -1;
	}
	if (pwfile != NULL) {
		if (read_secret(pwfile, "password", (uint8_t *)c->rf_password,
		    sizeof(c->rf_password) - 1, &len) != 0)
			return -1;
		c->rf_password[len] = '\0';
	} else {
		if ((pw = getenv("IPMI_PASSWORD")) == NULL) {
			cli_usage_error("-E", "IPMI_PASSWORD is not set");
			return -1;
		}
		if (strlen(pw) >= sizeof(c->rf_password)) {
			cli_usage_error("-E", "IPMI_PASSWORD is longer than "
			    "%zu bytes", sizeof(c->rf_password) - 1);
			return -1;
		}
		(void)snprintf(c->rf_password, sizeof(c->rf_password), "%s",
		    pw);
		lcr_cleanse(pw, strlen(pw));
		(void)unsetenv("IPMI_PASSWORD");
	}
	c->rf_timeout_ms = total_ms != 0 ? total_ms : 10000;
	return 0;
}

/* 0, -1 on a usage error (said), 1 when --help was printed */
static int
parse_opts(struct cli *c, int argc, char **argv)
{
	struct ipmi_tr_cfg *cfg = &c->cfg;
	const char *pwfile = NULL, *kgfile = NULL;
	unsigned long v;
	unsigned total_ms = 0;
	int ch, use_env = 0, have_iface = 0;
	unsigned long retries = 3;
	char *pw;

	while ((ch = getopt_long(argc, argv, "+I:H:p:U:Ef:C:L:k:t:R:A:d:vP:hS:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'I':
			have_iface = 1;
			if (strcmp(optarg, "open") == 0)
				cfg->iface = IPMI_IFACE_OPEN;
			else if (strcmp(optarg, "lan") == 0)
				cfg->iface = IPMI_IFACE_LAN;
			else if (strcmp(optarg, "lanplus") == 0)
				cfg->iface = IPMI_IFACE_LANPLUS;
			else if (strcmp(optarg, "redfish") == 0)
				c->redfish = 1;
			else {
				cli_usage_error("-I", "unknown interface '%s' "
				    "(open, lan, lanplus, redfish)", optarg);
				return -1;
			}
			break;
		case 'H':
			c->rf_host = optarg;
			if (strlen(optarg) >= sizeof(cfg->host)) {
				cli_usage_error("-H", "host name too long");
				return -1;
			}
			(void)snprintf(cfg->host, sizeof(cfg->host), "%s",
			    optarg);
			break;
		case 'p':
			if (parse_uint(optarg, 1, 65535, &v) != 0) {
				cli_usage_error("-p", "bad port '%s'", optarg);
				return -1;
			}
			cfg->port = (uint16_t)v;
			break;
		case 'U':
			c->rf_user = optarg;
			if (strlen(optarg) > 16 && !c->redfish) {
				cli_usage_error("-U", "user name longer than "
				    "16 characters");
				return -1;
			}
			(void)snprintf(cfg->user, sizeof(cfg->user), "%s",
			    optarg);
			break;
		case 'E':
			use_env = 1;
			break;
		case 'f':
			pwfile = optarg;
			break;
		case 'P':
			cli_usage_error("-P", "passwords on the command line "
			    "are visible to every user: use -f FILE or -E");
			return -1;
		case 'C':
			if (strcmp(optarg, "auto") == 0)
				cfg->cipher = IPMI_CIPHER_AUTO;
			else if (parse_uint(optarg, 0, 17, &v) == 0)
				cfg->cipher = (int)v;
			else {
				cli_usage_error("-C", "bad cipher suite '%s' "
				    "(0-17 or auto)", optarg);
				return -1;
			}
			break;
		case 'L':
			if (ipmi_priv_parse(optarg, &cfg->priv) != 0 ||
			    cfg->priv < IPMI_PRIV_USER ||
			    cfg->priv > IPMI_PRIV_ADMIN) {
				cli_usage_error("-L", "bad privilege level "
				    "'%s' (user, operator, admin)", optarg);
				return -1;
			}
			break;
		case 'k':
			kgfile = optarg;
			break;
		case 't':
			if (parse_seconds(optarg, &total_ms) != 0) {
				cli_usage_error("-t", "bad timeout '%s' "
				    "(seconds)", optarg);
				return -1;
			}
			break;
		case 'R':
			if (parse_uint(optarg, 0, 10, &retries) != 0) {
				cli_usage_error("-R", "bad retry count '%s' "
				    "(0-10)", optarg);
				return -1;
			}
			break;
		case 'A':
			if (strcasecmp(optarg, "md5") == 0)
				cfg->authtype = IPMI_AUTH_MD5;
			else if (strcasecmp(optarg, "password") == 0)
				cfg->authtype = IPMI_AUTH_STRAIGHT;
			else if (strcasecmp(optarg, "none") == 0)
				cfg->authtype = IPMI_AUTH_NONE;
			else {
				cli_usage_error("-A", "bad authentication type "
				    "'%s' (md5, password, none)", optarg);
				return -1;
			}
			break;
		case 'd':
			if (parse_uint(optarg, 0, 255, &v) != 0) {
				cli_usage_error("-d", "bad device number '%s'",
				    optarg);
				return -1;
			}
			(void)snprintf(cfg->device, sizeof(cfg->device),
			    "/dev/ipmi%lu", v);
			break;
		case OPT_DEVICE:
			if (strlen(optarg) >= sizeof(cfg->device)) {
				cli_usage_error("--device", "path too long");
				return -1;
			}
			(void)snprintf(cfg->device, sizeof(cfg->device), "%s",
			    optarg);
			break;
		case OPT_CA_FILE:
			c->ca_file = optarg;
			break;
		case OPT_INSECURE:
			c->insecure = 1;
			break;
		case OPT_ALLOW_NONE:
			cfg->allow_none = 1;
			break;
		case OPT_MAXOUT:
			if (parse_uint(optarg, 1, IPMI_TR_WINDOW_MAX, &v) != 0) {
				cli_usage_error("--max-outstanding", "bad count "
				    "'%s' (1-%d)", optarg, IPMI_TR_WINDOW_MAX);
				return -1;
			}
			cfg->max_outstanding = (unsigned)v;
			break;
		case OPT_TCHAN:
			if (parse_uint(optarg, 0, 15, &v) != 0) {
				cli_usage_error("--target-chan", "bad channel "
				    "'%s'", optarg);
				return -1;
			}
			c->target_chan = (uint8_t)v;
			break;
		case OPT_TADDR:
			if (parse_uint(optarg, 0, 255, &v) != 0) {
				cli_usage_error("--target-addr", "bad address "
				    "'%s'", optarg);
				return -1;
			}
			c->target_addr = (uint8_t)v;
			c->bridged = 1;
			break;
		case 'v':
			c->verbose++;
			break;
		case 'S':
			c->sock = optarg;
			break;
		case OPT_TARGET:
			c->target = optarg;
			break;
		case OPT_JSON:
			c->json = 1;
			break;
		case OPT_STATS:
			c->stats = 1;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (c->sock != NULL) {
		/* the daemon talks to the BMCs: no BMC options here */
		if (have_iface || cfg->host[0] || pwfile != NULL || use_env ||
		    kgfile != NULL) {
			cli_usage_error("-S", "the daemon reaches the BMCs: "
			    "-S takes no -I, -H, -f, -E or -k");
			return -1;
		}
		c->sock_timeout_ms = total_ms;
		return 0;
	}
	if (c->target != NULL) {
		cli_usage_error("--target", "names a target of bmcwatchd: "
		    "give -S SOCKET");
		return -1;
	}
	if (c->redfish) {
		if (kgfile != NULL) {
			cli_usage_error("-k", "K_g is an IPMI key: not for -I "
			    "redfish");
			return -1;
		}
		return parse_redfish(c, pwfile, use_env, total_ms);
	}
	if (c->ca_file != NULL || c->insecure) {
		cli_usage_error(c->ca_file != NULL ? "--ca-file" :
		    "--insecure", "only for -I redfish");
		return -1;
	}
	if (!have_iface)
		cfg->iface = cfg->host[0] ? IPMI_IFACE_LANPLUS :
		    IPMI_IFACE_OPEN;
	if (cfg->iface != IPMI_IFACE_OPEN && cfg->host[0] == '\0') {
		cli_usage_error("-H", "the %s interface needs a host",
		    cfg->iface == IPMI_IFACE_LAN ? "lan" : "lanplus");
		return -1;
	}
	cfg->retries = (unsigned)retries;
	if (cfg->max_outstanding == 0)
		cfg->max_outstanding = IPMI_TR_WINDOW_DEFAULT;
	if (total_ms == 0)
		total_ms = 4000;
	/* -t bounds one request, retransmissions included */
	cfg->timeout_ms = total_ms / (cfg->retries + 1);
	if (cfg->timeout_ms == 0)
		cfg->timeout_ms = 1;
	/* refused before anything is sent: a configuration error */
	if (cfg->iface == IPMI_IFACE_LANPLUS && cfg->cipher == 0 &&
	    !cfg->allow_none) {
		cli_usage_error("-C", "cipher suite 0 has no authentication: "
		    "refused unless --allow-none is given");
		return -1;
	}
	if (cfg->iface == IPMI_IFACE_LAN && cfg->authtype == IPMI_AUTH_NONE &&
	    !cfg->allow_none) {
		cli_usage_error("-A", "authentication type none is refused "
		    "unless --allow-none is given");
		return -1;
	}
	if (pwfile != NULL && use_env) {
		cli_usage_error("-E", "give the password with -E or -f, not "
		    "both");
		return -1;
	}
	if (pwfile != NULL && read_secret(pwfile, "password", cfg->password,
	    IPMI_PASSWORD_MAX, &cfg->pwlen) != 0)
		return -1;
	if (use_env) {
		if ((pw = getenv("IPMI_PASSWORD")) == NULL) {
			cli_usage_error("-E", "IPMI_PASSWORD is not set");
			return -1;
		}
		if (strlen(pw) > IPMI_PASSWORD_MAX) {
			cli_usage_error("-E", "IPMI_PASSWORD is longer than %d "
			    "bytes", IPMI_PASSWORD_MAX);
			return -1;
		}
		cfg->pwlen = (uint8_t)strlen(pw);
		memcpy(cfg->password, pw, cfg->pwlen);
		/* not inherited by anything we might run */
		lcr_cleanse(pw, cfg->pwlen);
		(void)unsetenv("IPMI_PASSWORD");
	}
	if (kgfile != NULL && read_kg(cfg, kgfile) != 0)
		return -1;
	return 0;
}

/*
 * Every command's output goes to standard output, and all of it must
 * have been written: a write error (a full disk, /dev/full, a closed
 * pipe) fails the command, whatever it was, said here once for all of
 * them.  The exit status is 2 unless the command had already failed.
 */
static int
cli_stdout_close(int rc)
{
	int had = ferror(stdout), e;

	errno = 0;
	if (fclose(stdout) == 0 && !had)
		return rc;
	e = errno;
	if (e != 0)
		fprintf(stderr, "bmcwatch: write error: %s\n", strerror(e));
	else
		fprintf(stderr, "bmcwatch: write error on standard output\n");
	return rc == CLI_OK ? CLI_EUSAGE : rc;
}

int
main(int argc, char **argv)
{
	struct cli c;
	const struct cli_cmd *cmd = NULL;
	size_t i;
	int rc;

	/* secrets are read below: no core dump may carry them, and no
	 * other process of this user may ptrace us to read them */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&c, 0, sizeof(c));
	ipmi_tr_cfg_init(&c.cfg);
	c.cfg.cipher = 3;	/* as ipmitool 1.8.19; -C auto negotiates */
	c.cfg.authtype = -1;
	c.cfg.priv = IPMI_PRIV_ADMIN;
	if ((rc = parse_opts(&c, argc, argv)) != 0) {
		lcr_cleanse(&c.cfg, sizeof(c.cfg));
		/* 1: --help was printed */
		return rc > 0 ? cli_stdout_close(CLI_OK) : CLI_EUSAGE;
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_EUSAGE;
	}
	if (c.sock != NULL) {
		int k, o = optind;

		/* --json and --target may follow the command */
		for (k = optind; k < argc; k++) {
			if (strcmp(argv[k], "--json") == 0)
				c.json = 1;
			else if (strcmp(argv[k], "--target") == 0 &&
			    k + 1 < argc)
				c.target = argv[++k];
			else
				argv[o++] = argv[k];
		}
		argc = o;
		argv[argc] = NULL;
		return cli_stdout_close(cli_ctl(&c, argc - optind,
		    argv + optind));
	}
	if (c.redfish) {
		int k, o = optind;

		for (k = optind; k < argc; k++) {
			if (strcmp(argv[k], "--json") == 0)
				c.json = 1;
			else if (strcmp(argv[k], "--stats") == 0)
				c.stats = 1;
			else
				argv[o++] = argv[k];
		}
		argc = o;
		argv[argc] = NULL;
		jsonw_init(&c.js, stdout);
		c.ev = ev_new();
		rc = cli_redfish(&c, argc - optind, argv + optind);
		ev_free(c.ev);
		lcr_cleanse(c.rf_password, sizeof(c.rf_password));
		lcr_cleanse(&c.cfg, sizeof(c.cfg));
		return cli_stdout_close(rc);
	}
	for (i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		if (strcmp(argv[optind], cli_cmds[i].name) == 0)
			cmd = &cli_cmds[i];
	if (cmd == NULL) {
		cli_usage_error(argv[optind], "unknown command (try --help)");
		lcr_cleanse(&c.cfg, sizeof(c.cfg));
		return CLI_EUSAGE;
	}
	/* --json and --stats may also follow the command, as in
	 * "bmcwatch sensors --json" */
	{
		int k, o = optind + 1;

		for (k = optind + 1; k < argc; k++) {
			if (strcmp(argv[k], "--json") == 0)
				c.json = 1;
			else if (strcmp(argv[k], "--stats") == 0)
				c.stats = 1;
			else
				argv[o++] = argv[k];
		}
		argc = o;
		argv[argc] = NULL;
	}
	jsonw_init(&c.js, stdout);
	c.ev = ev_new();
	rc = cmd->fn(&c, argc - optind, argv + optind);
	if (c.conn != NULL) {
		const struct ipmi_tr_stats *st;

		conn_close(c.conn);
		conn_drain(c.conn);
		st = ipmi_tr_stats(conn_tr(c.conn));
		if (c.stats)
			fprintf(stderr, "bmcwatch: stats: requests=%llu "
			    "packets_out=%llu packets_in=%llu "
			    "retransmits=%llu sessions=%llu dropped=%llu "
			    "inflight_max=%llu reordered=%llu "
			    "window_fallbacks=%llu window_restores=%llu\n",
			    (unsigned long long)st->requests,
			    (unsigned long long)st->packets_out,
			    (unsigned long long)st->packets_in,
			    (unsigned long long)st->retransmits,
			    (unsigned long long)st->sessions,
			    (unsigned long long)st->dropped,
			    (unsigned long long)st->inflight_max,
			    (unsigned long long)st->reordered,
			    (unsigned long long)st->window_fallbacks,
			    (unsigned long long)st->window_restores);
		conn_free(c.conn);
	}
	ev_free(c.ev);
	lcr_cleanse(&c.cfg, sizeof(c.cfg));
	return cli_stdout_close(rc);
}
