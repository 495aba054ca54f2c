/*
 * Sources and common options of the plugins (psrc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_client.h"
#include "fileio.h"
#include "psrc.h"

const char psrc_common_help[] =
"Source (default: the local daemon's control socket):\n"
"  -S, --socket PATH      bmcwatchd's control socket\n"
"                         (default " PSRC_SOCKET ")\n"
"  -H, --hostname HOST    ask HOST's bmcwatch SNMP agent (BMCWATCH-MIB)\n"
"  -p, --port PORT        its SNMP port (161)\n"
"  -C, --community-file F SNMP v2c: the community is the first line of F\n"
"      --v3-file F        SNMP v3: F holds user=, auth=MD5|SHA|SHA-256|\n"
"                         SHA-512, authpass=, priv=DES|AES, privpass=\n"
"                         lines\n"
"      --target NAME      the BMC of a daemon watching several\n"
"Common:\n"
"  -t, --timeout SECONDS  UNKNOWN after this long (default 10)\n"
"      --stale-critical   stale data, an unreachable BMC or no daemon\n"
"                         are CRITICAL instead of UNKNOWN\n"
"  -v, --verbose          long output lists every item, not only the\n"
"                         ones that are not OK\n"
"  -h, --help             this text;  -V, --version  the version\n";

static const char *psrc_alarm_label = "BMC";
static unsigned psrc_alarm_s;

void
psrc_die(const struct psrc_opts *o, const char *fmt, ...)
{
	va_list ap;

	printf("%s UNKNOWN - ", o->label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	(void)fflush(stdout);
	exit(NP_UNKNOWN);
}

void
psrc_opts_init(struct psrc_opts *o, const char *label)
{
	memset(o, 0, sizeof(*o));
	o->label = label;
	o->sock = PSRC_SOCKET;
	o->timeout_s = PSRC_TIMEOUT_S;
}

unsigned long
psrc_uint(const struct psrc_opts *o, const char *opt, const char *arg,
    unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max)
		psrc_die(o, "%s: '%s' is not a whole number from %lu to %lu",
		    opt, arg, min, max);
	return v;
}

int
psrc_opt(struct psrc_opts *o, int c, const char *arg, const char *prog,
    const char *usage)
{
	switch (c) {
	case 'S':
		o->sock = arg;
		return 1;
	case 'H':
		o->host = arg;
		return 1;
	case 'p':
		o->port = (unsigned)psrc_uint(o, "-p", arg, 1, 65535);
		return 1;
	case 'C':
		o->community_file = arg;
		return 1;
	case PSRC_OPT_V3FILE:
		o->v3_file = arg;
		return 1;
	case 't':
		o->timeout_s = (unsigned)psrc_uint(o, "-t", arg, 1, 3600);
		return 1;
	case 'v':
		o->verbose++;
		return 1;
	case PSRC_OPT_TARGET:
		if (strlen(arg) == 0 || strlen(arg) > CTL_NAME_MAX ||
		    strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789._-") != strlen(arg))
			psrc_die(o, "--target: '%s' is not a target name "
			    "([A-Za-z0-9._-], at most %d)", arg, CTL_NAME_MAX);
		o->target = arg;
		return 1;
	case PSRC_OPT_STALE_CRIT:
		o->stale_critical = 1;
		return 1;
	case 'h':
		printf("%s (bmcwatch %s)\n%s\n%s", prog, BMCWATCH_VERSION,
		    usage, psrc_common_help);
		exit(NP_OK);
	case 'V':
		printf("%s (bmcwatch %s)\n", prog, BMCWATCH_VERSION);
		exit(NP_OK);
	case '?':
		psrc_die(o, "bad usage; see %s --help", prog);
	default:
		return 0;
	}
}

int
psrc_getopt(struct psrc_opts *o, int argc, char **argv, const char *own,
    const struct option *longopts, const char *prog, const char *usage)
{
	char sopts[64];
	int c;

	(void)snprintf(sopts, sizeof(sopts), "%s%s", PSRC_SHORTOPTS, own);
	while ((c = getopt_long(argc, argv, sopts, longopts, NULL)) != -1)
		if (!psrc_opt(o, c, optarg, prog, usage))
			return c;
	if (optind != argc)
		psrc_die(o, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* SIGALRM: the whole check ran out of time */
static void
psrc_alarm(int sig)
{
	char buf[160];
	int n;

	(void)sig;
	n = snprintf(buf, sizeof(buf), "%s UNKNOWN - timed out after %u s\n",
	    psrc_alarm_label, psrc_alarm_s);
	if (n > 0)
		(void)write(STDOUT_FILENO, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
	_exit(NP_UNKNOWN);
}

int
psrc_request(enum psrc_item it, const char *target, char *out, size_t len)
{
	static const char *const verb[] = {
		[PSRC_SENSORS] = "sensors",
		[PSRC_SEL_INFO] = "sel info",
		[PSRC_SEL_OPEN] = "sel list open=1",
		[PSRC_CHASSIS] = "chassis status",
		[PSRC_WATCHDOG] = "watchdog get",
		[PSRC_TARGETS] = "targets"
	};
	int n;

	if ((unsigned)it >= sizeof(verb) / sizeof(verb[0]))
		return -1;
	n = snprintf(out, len, "%s format=json%s%s", verb[it],
	    target != NULL ? " target=" : "", target != NULL ? target : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ---- the socket source ------------------------------------------------ */

static enum psrc_err
psrc_sock_get(struct psrc *s, enum psrc_item it, struct pjson **doc,
    char *err, size_t errlen)
{
	char req[CTL_LINE_MAX + 1], cerr[512];
	char *buf = NULL;
	size_t len = 0;
	int code = 0;
	enum ctl_client_err e;

	*doc = NULL;
	if (psrc_request(it, s->o.target, req, sizeof(req)) != 0) {
		(void)snprintf(err, errlen, "request too long");
		return PSRC_EUSAGE;
	}
	e = ctl_client_ask(s->o.sock, req, s->o.timeout_s * 1000u, &code,
	    &buf, &len, cerr, sizeof(cerr));
	switch (e) {
	case CTL_CLIENT_OK:
		break;
	case CTL_CLIENT_CONNECT:
	case CTL_CLIENT_TIMEOUT:
		(void)snprintf(err, errlen, "%s", cerr);
		return PSRC_ENODAEMON;
	case CTL_CLIENT_USAGE:
		(void)snprintf(err, errlen, "%s", cerr);
		return PSRC_EUSAGE;
	default:
		(void)snprintf(err, errlen, "%s", cerr);
		return PSRC_EPROTO;
	}
	if (code != 0) {
		/* the daemon's words, one line */
		while (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		(void)snprintf(err, errlen, "%s", buf);
		free(buf);
		return code == CTL_EUNAVAIL ? PSRC_EUNAVAIL : PSRC_EUSAGE;
	}
	*doc = pjson_parse(buf, len, cerr, sizeof(cerr));
	free(buf);
	if (*doc == NULL || (*doc)->type != PJSON_OBJ) {
		(void)snprintf(err, errlen, "%s: %s", s->o.sock, *doc == NULL ?
		    cerr : "JSON: not an object");
		pjson_free(*doc);
		*doc = NULL;
		return PSRC_EPROTO;
	}
	return PSRC_OK;
}

static void
psrc_sock_close(struct psrc *s)
{
	(void)s;
}

static const struct psrc_ops psrc_sock_ops = {
	"socket", psrc_sock_get, psrc_sock_close
};

void
psrc_open(struct psrc *s, const struct psrc_opts *o)
{
	struct sigaction sa;
	char err[600];

	memset(s, 0, sizeof(*s));
	s->o = *o;
	psrc_alarm_label = o->label;
	psrc_alarm_s = o->timeout_s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = psrc_alarm;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, NULL);
	/* the sources' own deadline is -t; the alarm a second later is the
	 * backstop for whatever else could hang */
	(void)alarm(o->timeout_s + 1);
	if (o->host == NULL) {
		s->ops = &psrc_sock_ops;
		return;
	}
	if (&psrc_snmp_ops == NULL || psrc_snmp_init == NULL)
		psrc_die(o, "-H %s: remote mode (SNMP) is not built into this "
		    "plugin (needs plugins/psrc_snmp.c and net-snmp)",
		    o->host);
	if (o->community_file == NULL && o->v3_file == NULL)
		psrc_die(o, "-H %s: give -C COMMUNITY-FILE (v2c) or --v3-file "
		    "FILE (v3)", o->host);
	if (o->community_file != NULL && o->v3_file != NULL)
		psrc_die(o, "-H %s: -C and --v3-file: give one of them",
		    o->host);
	s->ops = &psrc_snmp_ops;
	if (psrc_snmp_init(s, err, sizeof(err)) != 0) {
		psrc_close(s);
		psrc_die(o, "-H %s: %s", o->host, err);
	}
}

void
psrc_close(struct psrc *s)
{
	if (s->ops != NULL)
		s->ops->close(s);
	s->ops = NULL;
}

int
psrc_fetch(struct psrc *s, enum psrc_item it, struct np_out *out,
    struct pjson **doc)
{
	char err[600];
	enum psrc_err e;
	double age;

	e = s->ops->get(s, it, doc, err, sizeof(err));
	if (e == PSRC_OK) {
		if (!pjson_bool(*doc, "stale", 0))
			return 0;
		age = pjson_num(*doc, "age_s", -1);
		out->state = s->o.stale_critical ? NP_CRITICAL : NP_UNKNOWN;
		np_out_summary(out, "%s: data stale: read %.1f s ago",
		    pjson_str(*doc, "target", "?"), age);
		pjson_free(*doc);
		*doc = NULL;
		return -1;
	}
	out->state = (e == PSRC_ENODAEMON || e == PSRC_EUNAVAIL) &&
	    s->o.stale_critical ? NP_CRITICAL : NP_UNKNOWN;
	np_out_summary(out, "%s", err);
	return -1;
}

/* ---- SNMP credentials ------------------------------------------------- */

static int
psrc_cred_set(char *dst, size_t dstlen, const char *v, size_t n)
{
	size_t i;

	if (n == 0 || n >= dstlen)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -1;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

int
psrc_cred_parse(const char *buf, size_t len, int v3, const char *file,
    struct psrc_cred *c, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int auth;
		int val;
	} alg[] = {
		{ "MD5", 1, SNMPGET_AUTH_MD5 },
		{ "SHA", 1, SNMPGET_AUTH_SHA },
		{ "SHA1", 1, SNMPGET_AUTH_SHA },
		{ "SHA-256", 1, SNMPGET_AUTH_SHA256 },
		{ "SHA-512", 1, SNMPGET_AUTH_SHA512 },
		{ "DES", 0, SNMPGET_PRIV_DES },
		{ "AES", 0, SNMPGET_PRIV_AES },
		{ "AES128", 0, SNMPGET_PRIV_AES },
	};
	size_t pos = 0, line = 0, n, k, i;
	int have_auth = 0, have_priv = 0;

	memset(c, 0, sizeof(*c));
	c->version = v3 ? 3 : 2;
	while (pos < len) {
		const char *l = buf + pos, *eq;
		const char *nl = memchr(l, '\n', len - pos);

		n = nl != NULL ? (size_t)(nl - l) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (memchr(l, '\0', n) != NULL) {
			(void)snprintf(err, errlen, "%s:%zu: a NUL byte", file,
			    line);
			goto fail;
		}
		if (!v3) {
			if (psrc_cred_set(c->community, sizeof(c->community),
			    l, n) != 0) {
				(void)snprintf(err, errlen, "%s:%zu: the "
				    "community must be 1 to %zu printable "
				    "characters", file, line,
				    sizeof(c->community) - 1);
				goto fail;
			}
			return 0;
		}
		while (n > 0 && (l[0] == ' ' || l[0] == '\t')) {
			l++;
			n--;
		}
		if (n == 0 || l[0] == '#')
			continue;
		eq = memchr(l, '=', n);
		if (eq == NULL) {
			(void)snprintf(err, errlen, "%s:%zu: expected "
			    "key=value", file, line);
			goto fail;
		}
		k = (size_t)(eq - l);
		eq++;
		n -= k + 1;
#define KEY(s)	(k == sizeof(s) - 1 && memcmp(l, s, k) == 0)
		if (KEY("user")) {
			if (psrc_cred_set(c->user, sizeof(c->user), eq, n)) {
				(void)snprintf(err, errlen, "%s:%zu: user: 1 "
				    "to %zu printable characters", file, line,
				    sizeof(c->user) - 1);
				goto fail;
			}
		} else if (KEY("authpass") || KEY("privpass")) {
			char *d = KEY("authpass") ? c->authpass : c->privpass;

			if (n < 8 || psrc_cred_set(d, sizeof(c->authpass), eq,
			    n)) {
				(void)snprintf(err, errlen, "%s:%zu: %.*s: 8 "
				    "to %zu printable characters", file, line,
				    (int)k, l, sizeof(c->authpass) - 1);
				goto fail;
			}
		} else if (KEY("auth") || KEY("priv")) {
			int isauth = KEY("auth");

			for (i = 0; i < sizeof(alg) / sizeof(alg[0]); i++)
				if (alg[i].auth == isauth &&
				    strlen(alg[i].name) == n &&
				    strncasecmp(alg[i].name, eq, n) == 0)
					break;
			if (i == sizeof(alg) / sizeof(alg[0])) {
				(void)snprintf(err, errlen, "%s:%zu: %s: '%.*s'"
				    " is not %s", file, line, isauth ? "auth" :
				    "priv", (int)(n > 32 ? 32 : n), eq, isauth ?
				    "MD5, SHA, SHA-256 or SHA-512" :
				    "DES or AES");
				goto fail;
			}
			if (isauth) {
				c->auth = (enum snmpget_auth)alg[i].val;
				have_auth = 1;
			} else {
				c->priv = (enum snmpget_priv)alg[i].val;
				have_priv = 1;
			}
		} else {
			(void)snprintf(err, errlen, "%s:%zu: unknown key "
			    "'%.*s' (user, auth, authpass, priv, privpass)",
			    file, line, (int)(k > 32 ? 32 : k), l);
			goto fail;
		}
#undef KEY
	}
	if (!v3) {
		(void)snprintf(err, errlen, "%s: empty: the first line is the "
		    "community", file);
		goto fail;
	}
	if (c->user[0] == '\0') {
		(void)snprintf(err, errlen, "%s: no user= line", file);
		goto fail;
	}
	if (have_auth != (c->authpass[0] != '\0')) {
		(void)snprintf(err, errlen, "%s: auth= and authpass= go "
		    "together", file);
		goto fail;
	}
	if (have_priv != (c->privpass[0] != '\0') || (have_priv &&
	    !have_auth)) {
		(void)snprintf(err, errlen, "%s: priv= needs privpass= and "
		    "auth=", file);
		goto fail;
	}
	return 0;
fail:
	explicit_bzero(c, sizeof(*c));
	return -1;
}

int
psrc_cred_read(const char *path, int v3, struct psrc_cred *c, char *err,
    size_t errlen)
{
	char buf[PSRC_CRED_FILE_MAX + 1];
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fileio_read_all(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((size_t)n > PSRC_CRED_FILE_MAX) {
		explicit_bzero(buf, sizeof(buf));
		(void)snprintf(err, errlen, "%s: longer than %d bytes", path,
		    PSRC_CRED_FILE_MAX);
		return -1;
	}
	rc = psrc_cred_parse(buf, (size_t)n, v3, path, c, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}
