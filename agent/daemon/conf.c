/*
 * bmcwatchd configuration (conf.h, bmcwatch.conf(5)).
 *
 * The file is a token stream (lex.c with braces and escapes): a keyword,
 * its fixed arguments, and for two keywords optional trailing modifiers
 * ("check-file PATH max-age N", "check-command PATH timeout T") that
 * bind greedily to the keyword before them.  Keywords live in sorted
 * tables searched with bsearch (style rule 30); an entry names its
 * parser, where its value goes, its bounds and the interfaces it
 * applies to, so the same table also copies (defaults), compares
 * (reload) and frees.
 *
 * A target block is parsed into a scratch struct, then merged: the
 * built-in defaults, overridden by those keywords of the defaults block
 * in effect that apply to the target's interface, overridden by the
 * target's own keywords.  Checks that need the whole target run on the
 * merged result; checks that need files (secrets, severity files, the
 * user database) run last, once the whole configuration has parsed, so
 * that "user" may come after the targets whose secrets it may own.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>	/* LOG_* facility numbers only: log.c logs */
#include <unistd.h>

#include "conf.h"
#include "fileio.h"
#include "lan_crypto.h"
#include "lex.h"
#include "log.h"
#include "xmem.h"

#define KW_MAX		48	/* keywords of one context: bits in set */
#define KW_REPEAT	0x01	/* may be given more than once */
#define BIT(k)		((uint64_t)1 << (k))

#define IF_OPEN		(1u << CONF_IFACE_OPEN)
#define IF_LAN		(1u << CONF_IFACE_LAN)
#define IF_LANPLUS	(1u << CONF_IFACE_LANPLUS)
#define IF_REDFISH	(1u << CONF_IFACE_REDFISH)
#define IF_IPMI		(IF_OPEN | IF_LAN | IF_LANPLUS)
#define IF_NET		(IF_LAN | IF_LANPLUS | IF_REDFISH)
#define IF_ALL		(IF_IPMI | IF_REDFISH)

#define SUN_PATH_MAX	107	/* sizeof(sun_path) - 1 */
#define HOST_MAX	255
#define URL_MAX		2048
#define IPMI_USER_MAX	16	/* section 22.28 */
#define REDFISH_PW_MAX	256
#define HMAC_MIN	16

/* how a keyword's value is stored, for copy, compare and free */
enum st {
	ST_NONE,	/* nothing in the object (blocks, include) */
	ST_UINT,	/* unsigned */
	ST_INT,		/* int (or an enum) */
	ST_U8,
	ST_U32,
	ST_STR,		/* char *, owned */
	ST_WDOG,	/* struct conf_watchdog */
	ST_SOL		/* struct conf_sol */
};

struct cenum {
	const char	*name;
	int		 v;
	int		 alias;		/* accepted, not listed */
};

struct cp;
struct kw;
typedef int	kw_fn(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);

struct kw {
	const char	*name;
	kw_fn		*fn;
	enum st		 st;
	size_t		 off;
	unsigned long	 min, max;	/* numbers; max = length for text */
	const struct cenum *en;
	unsigned	 ifaces;	/* target keywords: IF_* */
	unsigned	 flags;		/* KW_* */
};

struct ctx {
	const struct kw	*kws;
	size_t		 n;
};

/* which keywords a block gave, and where */
struct kwstate {
	uint64_t	 set;
	struct conf_loc	 loc[KW_MAX];
};

/* the parser */
struct cp {
	struct conf	*c;
	unsigned	 flags;
	char		*err;
	size_t		 errlen;
	struct lex	*lx;
	const char	*file;		/* interned */
	int		 depth;		/* include level of file */
	int		 first;		/* the keyword being parsed is new in
					 * its block (lists restart there) */
	struct kwstate	 gst;		/* global keywords */
	struct conf_target def;		/* the defaults in effect */
	struct kwstate	 defst;
	struct kwstate	*tst;		/* per target, merged */
	struct kwstate	*wst;		/* per webhook */
};

static const struct ctx ctx_global, ctx_target, ctx_watchdog, ctx_sol,
    ctx_webhook;

/* ---- errors ---- */

static int __attribute__((format(printf, 4, 0)))
cp_verr(struct cp *cp, const char *file, unsigned line, const char *fmt,
    va_list ap)
{
	int n;

	if (cp->errlen == 0)
		return -1;
	if (line > 0)
		n = snprintf(cp->err, cp->errlen, "%s:%u: ", file, line);
	else
		n = snprintf(cp->err, cp->errlen, "%s: ", file);
	if (n >= 0 && (size_t)n < cp->errlen)
		(void)vsnprintf(cp->err + n, cp->errlen - (size_t)n, fmt, ap);
	return -1;
}

/* "FILE:LINE: ..." in the file being parsed; line 0: "FILE: ..." */
static int __attribute__((format(printf, 3, 4)))
cp_err(struct cp *cp, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)cp_verr(cp, cp->file, line, fmt, ap);
	va_end(ap);
	return -1;
}

static int __attribute__((format(printf, 3, 4)))
cp_err_at(struct cp *cp, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)cp_verr(cp, loc->file, loc->line, fmt, ap);
	va_end(ap);
	return -1;
}

/* a token quoted for a message (control bytes masked, long text cut) */
#define DESC_MAX	80
static const char *
desc(const struct lex_tok *t, char *buf)
{
	return lex_describe(t, buf, DESC_MAX);
}

static const char *
desc_str(const char *s, char *buf)
{
	struct lex_tok t;

	t.type = LEX_STRING;
	t.line = 0;
	t.s = s;
	t.len = strlen(s);
	return lex_describe(&t, buf, DESC_MAX);
}

/* "2", "0.5", "6553.5": ms as seconds for messages */
static const char *
fmt_ms(unsigned ms, char *buf, size_t len)
{
	unsigned frac = ms % 1000;

	if (frac == 0)
		(void)snprintf(buf, len, "%u", ms / 1000);
	else if (frac % 100 == 0)
		(void)snprintf(buf, len, "%u.%u", ms / 1000, frac / 100);
	else if (frac % 10 == 0)
		(void)snprintf(buf, len, "%u.%02u", ms / 1000, frac / 10);
	else
		(void)snprintf(buf, len, "%u.%03u", ms / 1000, frac);
	return buf;
}

/* ---- value parsers (pure) ---- */

/* decimal, no sign, no base prefix */
static int
parse_ulong(const char *s, unsigned long *v)
{
	unsigned long n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (ULONG_MAX - (unsigned long)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	if (*s != '\0')
		return -1;
	*v = n;
	return 0;
}

/* seconds with at most three decimals, to ms; no strtod (no locale) */
static int
parse_ms(const char *s, unsigned long *ms)
{
	unsigned long whole = 0, frac = 0;
	int nd = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (unsigned long)(*s - '0');
		if (whole > 4000000)	/* keeps ms within 32 bits */
			return -1;
	}
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (nd == 3)
				return -1;
			frac = frac * 10 + (unsigned long)(*s - '0');
			nd++;
		}
	}
	if (*s != '\0')
		return -1;
	for (; nd < 3; nd++)
		frac *= 10;
	*ms = whole * 1000 + frac;
	return 0;
}

static int
enum_find(const struct cenum *en, const char *s, int *v)
{
	for (; en->name != NULL; en++)
		if (strcmp(en->name, s) == 0) {
			*v = en->v;
			return 0;
		}
	return -1;
}

static const char *
enum_name(const struct cenum *en, int v)
{
	for (; en->name != NULL; en++)
		if (en->v == v && !en->alias)
			return en->name;
	return "?";
}

/* "a, b or c" */
static const char *
enum_list(const struct cenum *en, char *buf, size_t len)
{
	size_t o = 0, n = 0, i, k;
	int w;

	for (i = 0; en[i].name != NULL; i++)
		n += !en[i].alias;
	buf[0] = '\0';
	for (i = 0, k = 0; en[i].name != NULL; i++) {
		if (en[i].alias)
			continue;
		w = snprintf(buf + o, len - o, "%s%s", k == 0 ? "" :
		    k + 1 == n ? " or " : ", ", en[i].name);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
		k++;
	}
	return buf;
}

/* ---- enumerations ---- */

static const struct cenum en_yesno[] = {
	{ "yes", 1, 0 }, { "no", 0, 0 }, { NULL, 0, 0 }
};

static const struct cenum en_iface[] = {
	{ "open", CONF_IFACE_OPEN, 0 },
	{ "lan", CONF_IFACE_LAN, 0 },
	{ "lanplus", CONF_IFACE_LANPLUS, 0 },
	{ "redfish", CONF_IFACE_REDFISH, 0 },
	{ NULL, 0, 0 }
};

static const struct cenum en_priv[] = {
	{ "user", IPMI_PRIV_USER, 0 },
	{ "operator", IPMI_PRIV_OPERATOR, 0 },
	{ "admin", IPMI_PRIV_ADMIN, 0 },
	{ "administrator", IPMI_PRIV_ADMIN, 1 },
	{ NULL, 0, 0 }
};

static const struct cenum en_auth[] = {
	{ "md5", IPMI_AUTH_MD5, 0 },
	{ "password", IPMI_AUTH_STRAIGHT, 0 },
	{ "none", IPMI_AUTH_NONE, 0 },
	{ "md2", IPMI_AUTH_MD2, 1 },	/* refused with a reason */
	{ NULL, 0, 0 }
};

static const struct cenum en_allow[] = {
	{ "power", CONF_ALLOW_POWER, 0 },
	{ "identify", CONF_ALLOW_IDENTIFY, 0 },
	{ "sel-clear", CONF_ALLOW_SEL_CLEAR, 0 },
	{ "sel-ack", CONF_ALLOW_SEL_ACK, 0 },
	{ "none", 0, 0 },
	{ NULL, 0, 0 }
};

static const struct cenum en_events[] = {
	{ "sensor", CONF_EV_SENSOR, 0 },
	{ "sel", CONF_EV_SEL, 0 },
	{ "sel-cleared", CONF_EV_SEL_CLEARED, 0 },
	{ "sel-clear-failed", CONF_EV_SEL_CLEAR_FAILED, 0 },
	{ "power", CONF_EV_POWER, 0 },
	{ "watchdog", CONF_EV_WATCHDOG, 0 },
	{ "heartbeat", CONF_EV_HEARTBEAT, 0 },
	{ "unreachable", CONF_EV_UNREACHABLE, 0 },
	{ "recovered", CONF_EV_RECOVERED, 0 },
	{ "console", CONF_EV_CONSOLE, 0 },
	{ "all", CONF_EV_ALL, 0 },
	{ NULL, 0, 0 }
};

static const struct cenum en_workaround[] = {
	{ "no-cipher-suites", IPMI_WA_NO_CIPHER_SUITES, 0 },
	{ NULL, 0, 0 }
};

static const struct cenum en_level[] = {
	{ "info", CONF_LEVEL_INFO, 0 },
	{ "warning", CONF_LEVEL_WARNING, 0 },
	{ "critical", CONF_LEVEL_CRITICAL, 0 },
	{ NULL, 0, 0 }
};


static const struct cenum en_overflow[] = {
	{ "drop-oldest", CONF_OVERFLOW_DROP_OLDEST, 0 },
	{ "drop-newest", CONF_OVERFLOW_DROP_NEWEST, 0 },
	{ NULL, 0, 0 }
};

/* the issue's spellings first; the CLI's (cmd_wdt.c) accepted too */
static const struct cenum en_wd_action[] = {
	{ "none", WDT_ACTION_NONE, 0 },
	{ "hard-reset", WDT_ACTION_RESET, 0 },
	{ "power-down", WDT_ACTION_POWER_DOWN, 0 },
	{ "power-cycle", WDT_ACTION_POWER_CYCLE, 0 },
	{ "reset", WDT_ACTION_RESET, 1 },
	{ "power-off", WDT_ACTION_POWER_DOWN, 1 },
	{ NULL, 0, 0 }
};

static const struct cenum en_wd_pre[] = {
	{ "none", WDT_PRE_NONE, 0 },
	{ "smi", WDT_PRE_SMI, 0 },
	{ "nmi", WDT_PRE_NMI, 0 },
	{ "msg", WDT_PRE_MSG, 0 },
	{ "msi", WDT_PRE_MSG, 1 },
	{ NULL, 0, 0 }
};

static const struct cenum en_wd_use[] = {
	{ "os", WDT_USE_SMS_OS, 0 },
	{ "os-load", WDT_USE_OS_LOAD, 0 },
	{ "bios-frb2", WDT_USE_FRB2, 0 },
	{ "bios-post", WDT_USE_POST, 0 },
	{ "oem", WDT_USE_OEM, 0 },
	{ "sms-os", WDT_USE_SMS_OS, 1 },
	{ NULL, 0, 0 }
};

/* ---- storage ---- */

static void *
fld(void *obj, const struct kw *kw)
{
	return (char *)obj + kw->off;
}

static const void *
cfld(const void *obj, const struct kw *kw)
{
	return (const char *)obj + kw->off;
}

static void
store_num(void *obj, const struct kw *kw, long v)
{
	void *p = fld(obj, kw);

	switch (kw->st) {
	case ST_UINT:
		*(unsigned *)p = (unsigned)v;
		break;
	case ST_INT:
		*(int *)p = (int)v;
		break;
	case ST_U8:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case ST_U32:
		*(uint32_t *)p = (uint32_t)v;
		break;
	default:
		abort();	/* a table entry with the wrong type */
	}
}

static unsigned long
load_num(const void *obj, const struct kw *kw)
{
	const void *p = cfld(obj, kw);

	switch (kw->st) {
	case ST_UINT:
		return *(const unsigned *)p;
	case ST_INT:
		return (unsigned long)*(const int *)p;
	case ST_U8:
		return *(const uint8_t *)p;
	case ST_U32:
		return *(const uint32_t *)p;
	default:
		abort();
	}
}

static void
store_str(void *obj, const struct kw *kw, const char *s)
{
	char **p = fld(obj, kw);

	free(*p);
	*p = s != NULL ? xstrdup(s) : NULL;
}

static void
secret_free(struct conf_secret *s)
{
	if (s->p != NULL)
		freezero(s->p, s->len + 1);
	s->p = NULL;
	s->len = 0;
}

static int
secret_equal(const struct conf_secret *a, const struct conf_secret *b)
{
	if (a->len != b->len || (a->p == NULL) != (b->p == NULL))
		return 0;
	return a->len == 0 || lcr_memcmp(a->p, b->p, a->len) == 0;
}

static int
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
wd_init(struct conf_watchdog *w)
{
	memset(w, 0, sizeof(*w));
	watchdog_cfg_default(&w->cfg);
}

static void
wd_free(struct conf_watchdog *w)
{
	size_t i;

	for (i = 0; i < w->nchecks; i++)
		free(w->checks[i].path);
	free(w->checks);
	w->checks = NULL;
	w->nchecks = 0;
}

static void
wd_copy(struct conf_watchdog *d, const struct conf_watchdog *s)
{
	size_t i;

	*d = *s;
	d->checks = NULL;
	if (s->nchecks == 0)
		return;
	d->checks = xreallocarray(NULL, s->nchecks, sizeof(*d->checks));
	for (i = 0; i < s->nchecks; i++) {
		d->checks[i] = s->checks[i];
		d->checks[i].path = xstrdup(s->checks[i].path);
	}
}

static int
wd_equal(const struct conf_watchdog *a, const struct conf_watchdog *b)
{
	const struct watchdog_cfg *x = &a->cfg, *y = &b->cfg;
	size_t i;

	if (a->enabled != b->enabled || x->timeout_ms != y->timeout_ms ||
	    x->pretimeout_s != y->pretimeout_s || x->action != y->action ||
	    x->pre_int != y->pre_int || x->use != y->use ||
	    x->dont_log != y->dont_log || x->clear != y->clear ||
	    x->interval_ms != y->interval_ms || a->nowayout != b->nowayout ||
	    a->force != b->force || a->grace_s != b->grace_s ||
	    a->nchecks != b->nchecks)
		return 0;
	for (i = 0; i < a->nchecks; i++)
		if (a->checks[i].kind != b->checks[i].kind ||
		    strcmp(a->checks[i].path, b->checks[i].path) != 0 ||
		    a->checks[i].max_age_s != b->checks[i].max_age_s ||
		    a->checks[i].timeout_ms != b->checks[i].timeout_ms)
			return 0;
	return 1;
}

static void
sol_init(struct conf_sol *s)
{
	memset(s, 0, sizeof(*s));
	s->log = 1;
	s->timestamps = 1;
}

static void
sol_free(struct conf_sol *s)
{
	size_t i;

	for (i = 0; i < s->npatterns; i++)
		free(s->patterns[i]);
	free(s->patterns);
	s->patterns = NULL;
	s->npatterns = 0;
}

static void
sol_copy(struct conf_sol *d, const struct conf_sol *s)
{
	size_t i;

	*d = *s;
	d->patterns = NULL;
	if (s->npatterns == 0)
		return;
	d->patterns = xreallocarray(NULL, s->npatterns, sizeof(char *));
	for (i = 0; i < s->npatterns; i++)
		d->patterns[i] = xstrdup(s->patterns[i]);
}

static int
sol_equal(const struct conf_sol *a, const struct conf_sol *b)
{
	size_t i;

	if (a->enabled != b->enabled || a->log != b->log ||
	    a->input != b->input || a->timestamps != b->timestamps ||
	    a->takeover != b->takeover || a->npatterns != b->npatterns)
		return 0;
	for (i = 0; i < a->npatterns; i++)
		if (strcmp(a->patterns[i], b->patterns[i]) != 0)
			return 0;
	return 1;
}

static void
fld_free(const struct kw *kw, void *obj)
{
	switch (kw->st) {
	case ST_STR:
		store_str(obj, kw, NULL);
		break;
	case ST_WDOG:
		wd_free(fld(obj, kw));
		break;
	case ST_SOL:
		sol_free(fld(obj, kw));
		break;
	default:
		break;
	}
}

static void
fld_copy(const struct kw *kw, void *dst, const void *src)
{
	switch (kw->st) {
	case ST_NONE:
		break;
	case ST_STR:
		store_str(dst, kw, *(char *const *)cfld(src, kw));
		break;
	case ST_WDOG:
		wd_free(fld(dst, kw));
		wd_copy(fld(dst, kw), cfld(src, kw));
		break;
	case ST_SOL:
		sol_free(fld(dst, kw));
		sol_copy(fld(dst, kw), cfld(src, kw));
		break;
	default:
		store_num(dst, kw, (long)load_num(src, kw));
		break;
	}
}

static int
fld_equal(const struct kw *kw, const void *a, const void *b)
{
	switch (kw->st) {
	case ST_NONE:
		return 1;
	case ST_STR:
		return str_equal(*(char *const *)cfld(a, kw),
		    *(char *const *)cfld(b, kw));
	case ST_WDOG:
		return wd_equal(cfld(a, kw), cfld(b, kw));
	case ST_SOL:
		return sol_equal(cfld(a, kw), cfld(b, kw));
	default:
		return load_num(a, kw) == load_num(b, kw);
	}
}

static void
fields_free(const struct ctx *ctx, void *obj)
{
	size_t i;

	for (i = 0; i < ctx->n; i++)
		fld_free(&ctx->kws[i], obj);
}

static void
tgt_init(struct conf_target *t)
{
	memset(t, 0, sizeof(*t));
	t->iface = CONF_IFACE_OPEN;
	t->cipher = 3;			/* as the CLI and ipmitool */
	t->priv = IPMI_PRIV_OPERATOR;	/* enough for all we do */
	t->authtype = IPMI_AUTH_MD5;
	t->timeout_ms = 4000;		/* the CLI's -t default */
	t->retries = 3;
	t->sensor_interval_s = 30;
	t->sel_interval_s = 60;
	t->chassis_interval_s = 30;
	t->max_outstanding = IPMI_TR_WINDOW_DEFAULT;
	t->unreachable_after = 3;
	t->backoff_max_s = 300;
	t->in_band_events = 1;
	t->sel_clear_at = 75;		/* as `bmcwatch sel archive` */
	t->sel_nearly_full = 90;
	sol_init(&t->sol);
	wd_init(&t->watchdog);
}

static void
tgt_free(struct conf_target *t)
{
	fields_free(&ctx_target, t);
	free(t->name);
	free(t->hostname);
	secret_free(&t->password);
	secret_free(&t->kg);
	t->name = t->hostname = NULL;
}

static void
hook_init(struct conf_webhook *h)
{
	memset(h, 0, sizeof(*h));
	h->events = CONF_EV_ALL;
	h->min_severity = CONF_LEVEL_WARNING;
	h->timeout_ms = 5000;
	h->queue_max = 1000;
	h->overflow = CONF_OVERFLOW_DROP_OLDEST;
}

static void
hook_free(struct conf_webhook *h)
{
	fields_free(&ctx_webhook, h);
	free(h->name);
	secret_free(&h->bearer_token);
	secret_free(&h->basic_auth);
	secret_free(&h->hmac_secret);
}

static struct conf *
conf_new(void)
{
	struct conf *c = xcalloc(1, sizeof(*c));

	c->socket = xstrdup(CONF_DEFAULT_SOCKET);
	c->socket_mode = 0660;
	c->state_dir = xstrdup(CONF_DEFAULT_STATE_DIR);
	c->archive_dir = xstrdup(CONF_DEFAULT_ARCHIVE_DIR);
	c->user = xstrdup(CONF_DEFAULT_USER);
	c->pidfile = xstrdup(CONF_DEFAULT_PIDFILE);
	c->agentx_socket = xstrdup(CONF_DEFAULT_AGENTX);
	c->snmp_sel_trap_rate = 10;
	c->log_facility = LOG_DAEMON;
	/* SEL lines on their own facility, apart from the daemon's own
	 * messages, and the one ipmitool's ipmievd uses, so rsyslog rules
	 * written for it route ours too */
	c->sel_syslog_facility = LOG_LOCAL4;
	c->sel_syslog_severity = CONF_LEVEL_INFO;
	c->max_clients = 32;
	c->uid = (uid_t)-1;
	c->gid = (gid_t)-1;
	c->socket_gid = (gid_t)-1;
	return c;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	fields_free(&ctx_global, c);
	for (i = 0; i < c->ntargets; i++)
		tgt_free(&c->targets[i]);
	free(c->targets);
	for (i = 0; i < c->nwebhooks; i++)
		hook_free(&c->webhooks[i]);
	free(c->webhooks);
	for (i = 0; i < c->nsevs; i++) {
		severity_free(c->sevs[i]);
		free(c->sevpaths[i]);
	}
	free(c->sevs);
	free(c->sevpaths);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->path);
	free(c);
}

/* ---- arguments ---- */

/* the next token as the value of key */
static int
cp_arg(struct cp *cp, const struct lex_tok *key, struct lex_tok *v)
{
	char d[DESC_MAX];

	switch (lex_next(cp->lx, v)) {
	case LEX_WORD:
	case LEX_STRING:
		return 0;
	case LEX_ERROR:
		return cp_err(cp, v->line, "%s", v->s);
	default:
		return cp_err(cp, key->line, "%s: missing value (found %s)",
		    key->s, desc(v, d));
	}
}

/* non-empty text of at most max bytes without control bytes */
static int
cp_text(struct cp *cp, const char *name, const struct lex_tok *v,
    size_t max)
{
	char d[DESC_MAX];
	size_t i;

	if (v->len == 0)
		return cp_err(cp, v->line, "%s: empty value", name);
	for (i = 0; i < v->len; i++)
		if ((unsigned char)v->s[i] < 0x20 || v->s[i] == 0x7f)
			return cp_err(cp, v->line, "%s: %s contains a control "
			    "character", name, desc(v, d));
	if (v->len > max)
		return cp_err(cp, v->line, "%s: %s is longer than %zu bytes",
		    name, desc(v, d), max);
	return 0;
}

static int
cp_abspath(struct cp *cp, const char *name, const struct lex_tok *v,
    size_t max)
{
	char d[DESC_MAX];

	if (cp_text(cp, name, v, max) != 0)
		return -1;
	if (v->s[0] != '/')
		return cp_err(cp, v->line, "%s: %s is not an absolute path",
		    name, desc(v, d));
	return 0;
}

static int
cp_lbrace(struct cp *cp, const struct lex_tok *key)
{
	struct lex_tok t;
	char d[DESC_MAX];

	switch (lex_next(cp->lx, &t)) {
	case LEX_LBRACE:
		return 0;
	case LEX_ERROR:
		return cp_err(cp, t.line, "%s", t.s);
	default:
		return cp_err(cp, t.type == LEX_EOF ? key->line : t.line,
		    "%s: expected \"{\", found %s", key->s, desc(&t, d));
	}
}

/* target and webhook names: usable as file names */
static int
cp_name(struct cp *cp, const char *what, const struct lex_tok *v)
{
	char d[DESC_MAX];
	size_t i;
	int ok = v->len > 0 && v->len <= CONF_NAME_MAX && v->s[0] != '.';

	for (i = 0; ok && i < v->len; i++) {
		char c = v->s[i];

		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
	}
	if (!ok)
		return cp_err(cp, v->line, "%s: %s is not a valid name (1 to "
		    "%d of A-Z a-z 0-9 . _ -, not starting with a dot: it "
		    "names files)", what, desc(v, d), CONF_NAME_MAX);
	return 0;
}

/* ---- generic keyword parsers ---- */

static int
kw_uint(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	unsigned long n;
	char d[DESC_MAX];

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	if (parse_ulong(v.s, &n) != 0)
		return cp_err(cp, v.line, "%s: %s is not a number", kw->name,
		    desc(&v, d));
	if (n < kw->min || n > kw->max)
		return cp_err(cp, v.line, "%s: %s out of range %lu..%lu",
		    kw->name, desc(&v, d), kw->min, kw->max);
	store_num(obj, kw, (long)n);
	return 0;
}

/* TIME: seconds with up to three decimals, stored in ms */
static int
kw_time(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	unsigned long ms;
	char d[DESC_MAX], a[24], b[24];

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	if (parse_ms(v.s, &ms) != 0)
		return cp_err(cp, v.line, "%s: %s is not a time in seconds "
		    "(such as 2 or 0.5)", kw->name, desc(&v, d));
	if (ms < kw->min || ms > kw->max)
		return cp_err(cp, v.line, "%s: %s out of range %s..%s seconds",
		    kw->name, desc(&v, d),
		    fmt_ms((unsigned)kw->min, a, sizeof(a)),
		    fmt_ms((unsigned)kw->max, b, sizeof(b)));
	store_num(obj, kw, (long)ms);
	return 0;
}

static int
kw_enum(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX], list[256];
	int n;

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	if (enum_find(kw->en, v.s, &n) != 0) {
		if (kw->en == en_yesno)
			return cp_err(cp, v.line, "%s: %s is not yes or no",
			    kw->name, desc(&v, d));
		return cp_err(cp, v.line, "%s: %s is not %s", kw->name,
		    desc(&v, d), enum_list(kw->en, list, sizeof(list)));
	}
	store_num(obj, kw, n);
	return 0;
}

/* a syslog facility, by the names log.c knows */
static int
kw_facility(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];
	int n;

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	if (log_facility_parse(v.s, &n) != 0)
		return cp_err(cp, v.line, "%s: %s is not daemon, user, "
		    "local0, local1, local2, local3, local4, local5, local6 "
		    "or local7", kw->name, desc(&v, d));
	store_num(obj, kw, n);
	return 0;
}

/* comma-separated names ORed together, over the lines of one block (the
 * first line replaces the default); "none" clears */
static int
kw_list(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX], item[64], list[256];
	const char *p, *e;
	unsigned long acc;
	int n, none = 0, items = 0;

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	acc = cp->first ? 0 : load_num(obj, kw);
	for (p = v.s;; p = e + 1) {
		e = p + strcspn(p, ",");
		if (e == p || (size_t)(e - p) >= sizeof(item))
			return cp_err(cp, v.line, "%s: %s has an empty or "
			    "unknown item (%s, comma-separated)", kw->name,
			    desc(&v, d), enum_list(kw->en, list,
			    sizeof(list)));
		memcpy(item, p, (size_t)(e - p));
		item[e - p] = '\0';
		if (enum_find(kw->en, item, &n) != 0)
			return cp_err(cp, v.line, "%s: %s is not %s", kw->name,
			    desc_str(item, d), enum_list(kw->en, list,
			    sizeof(list)));
		if (strcmp(item, "none") == 0)
			none = 1;
		acc |= (unsigned long)n;
		items++;
		if (*e == '\0')
			break;
	}
	if (none && items > 1)
		return cp_err(cp, v.line, "%s: \"none\" goes alone", kw->name);
	store_num(obj, kw, none ? 0 : (long)acc);
	return 0;
}

static int
kw_str(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;

	if (cp_arg(cp, key, &v) != 0 || cp_text(cp, kw->name, &v,
	    kw->max) != 0)
		return -1;
	store_str(obj, kw, v.s);
	return 0;
}

static int
kw_path(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;

	if (cp_arg(cp, key, &v) != 0 || cp_abspath(cp, kw->name, &v,
	    kw->max ? kw->max : PATH_MAX - 1) != 0)
		return -1;
	store_str(obj, kw, v.s);
	return 0;
}

/* ---- special keyword parsers ---- */

/* user and group names */
static int
kw_account(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];
	size_t i;

	if (cp_arg(cp, key, &v) != 0 || cp_text(cp, kw->name, &v, 32) != 0)
		return -1;
	for (i = 0; i < v.len; i++) {
		char c = v.s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    (c == '-' && i > 0) || (c == '$' && i + 1 == v.len)))
			return cp_err(cp, v.line, "%s: %s is not a user or "
			    "group name", kw->name, desc(&v, d));
	}
	store_str(obj, kw, v.s);
	return 0;
}

static int
kw_mode(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];
	unsigned long m = 0;
	size_t i;

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	for (i = 0; i < v.len && v.len <= 4; i++) {
		if (v.s[i] < '0' || v.s[i] > '7')
			break;
		m = m * 8 + (unsigned long)(v.s[i] - '0');
	}
	if (v.len == 0 || v.len > 4 || i < v.len || m > 0777)
		return cp_err(cp, v.line, "%s: %s is not an octal mode "
		    "(0000..0777)", kw->name, desc(&v, d));
	store_num(obj, kw, (long)m);
	return 0;
}

/* a Unix socket path, or Net-SNMP's tcp:HOST:PORT */
static int
kw_agentx(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];

	if (cp_arg(cp, key, &v) != 0 || cp_text(cp, kw->name, &v,
	    HOST_MAX) != 0)
		return -1;
	if (strncmp(v.s, "tcp:", 4) == 0 && v.len > 4)
		;
	else if (v.s[0] != '/')
		return cp_err(cp, v.line, "%s: %s is neither an absolute path "
		    "nor tcp:HOST:PORT", kw->name, desc(&v, d));
	else if (v.len > SUN_PATH_MAX)
		return cp_err(cp, v.line, "%s: %s is longer than %d bytes (the "
		    "limit of a Unix socket path)", kw->name, desc(&v, d),
		    SUN_PATH_MAX);
	store_str(obj, kw, v.s);
	return 0;
}

static int
kw_sockpath(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];

	if (cp_arg(cp, key, &v) != 0 || cp_abspath(cp, kw->name, &v,
	    PATH_MAX - 1) != 0)
		return -1;
	if (v.len > SUN_PATH_MAX)
		return cp_err(cp, v.line, "%s: %s is longer than %d bytes (the "
		    "limit of a Unix socket path)", kw->name, desc(&v, d),
		    SUN_PATH_MAX);
	store_str(obj, kw, v.s);
	return 0;
}

static int
kw_textfile(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char d[DESC_MAX];

	if (cp_arg(cp, key, &v) != 0 || cp_abspath(cp, kw->name, &v,
	    PATH_MAX - 1) != 0)
		return -1;
	if (v.len < 6 || strcmp(v.s + v.len - 5, ".prom") != 0)
		return cp_err(cp, v.line, "%s: %s does not end in \".prom\" "
		    "(node_exporter reads only those)", kw->name, desc(&v, d));
	store_str(obj, kw, v.s);
	return 0;
}

static int
kw_cipher(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	struct lcr_suite s;
	unsigned long n;
	char d[DESC_MAX];

	if (cp_arg(cp, key, &v) != 0)
		return -1;
	if (strcmp(v.s, "auto") == 0) {
		store_num(obj, kw, IPMI_CIPHER_AUTO);
		return 0;
	}
	if (parse_ulong(v.s, &n) != 0 || n > 17)
		return cp_err(cp, v.line, "%s: %s is not a cipher suite (0..17 "
		    "or auto)", kw->name, desc(&v, d));
	/* the transport's own list: lanplus_new() refuses the rest */
	if (lcr_suite((int)n, &s) != 0)
		return cp_err(cp, v.line, "%s: suite %lu is not supported "
		    "(0-3, 6-8, 11, 12, 15-17 or auto)", kw->name, n);
	store_num(obj, kw, (long)n);
	return 0;
}

/* "target" { ... }: see cp_target below */
static int	kw_target(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_webhook(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_defaults(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_include(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_watchdog(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_sol(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_check(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);
static int	kw_pattern(struct cp *, const struct kw *, void *,
		    const struct lex_tok *);

/* ---- keyword tables: sorted by name (bsearch) ---- */

#define G(f)	offsetof(struct conf, f)
#define T(f)	offsetof(struct conf_target, f)
#define W(f)	offsetof(struct conf_watchdog, f)
#define S(f)	offsetof(struct conf_sol, f)
#define H(f)	offsetof(struct conf_webhook, f)

static const struct kw kws_global[] = {
	{ "agentx-socket", kw_agentx, ST_STR, G(agentx_socket), 0, 0, NULL,
	    0, 0 },
	{ "archive-dir", kw_path, ST_STR, G(archive_dir), 0, 0, NULL, 0, 0 },
	{ "defaults", kw_defaults, ST_NONE, 0, 0, 0, NULL, 0, KW_REPEAT },
	{ "group", kw_account, ST_STR, G(group), 0, 0, NULL, 0, 0 },
	{ "include", kw_include, ST_NONE, 0, 0, 0, NULL, 0, KW_REPEAT },
	{ "log-facility", kw_facility, ST_INT, G(log_facility), 0, 0,
	    NULL, 0, 0 },
	{ "max-clients", kw_uint, ST_UINT, G(max_clients), 1, 1024, NULL,
	    0, 0 },
	{ "pidfile", kw_path, ST_STR, G(pidfile), 0, 0, NULL, 0, 0 },
	{ "prometheus-textfile", kw_textfile, ST_STR,
	    G(prometheus_textfile), 0, 0, NULL, 0, 0 },
	{ "sel-syslog", kw_enum, ST_INT, G(sel_syslog), 0, 0, en_yesno,
	    0, 0 },
	{ "sel-syslog-facility", kw_facility, ST_INT,
	    G(sel_syslog_facility), 0, 0, NULL, 0, 0 },
	{ "sel-syslog-severity", kw_enum, ST_INT, G(sel_syslog_severity),
	    0, 0, en_level, 0, 0 },
	{ "snmp", kw_enum, ST_INT, G(snmp), 0, 0, en_yesno, 0, 0 },
	{ "snmp-pet-traps", kw_enum, ST_INT, G(snmp_pet_traps), 0, 0,
	    en_yesno, 0, 0 },
	{ "snmp-sel-trap-rate", kw_uint, ST_UINT, G(snmp_sel_trap_rate), 0,
	    6000, NULL, 0, 0 },
	{ "socket", kw_sockpath, ST_STR, G(socket), 0, 0, NULL, 0, 0 },
	{ "socket-group", kw_account, ST_STR, G(socket_group), 0, 0, NULL,
	    0, 0 },
	{ "socket-mode", kw_mode, ST_UINT, G(socket_mode), 0, 0, NULL, 0, 0 },
	{ "state-dir", kw_path, ST_STR, G(state_dir), 0, 0, NULL, 0, 0 },
	{ "target", kw_target, ST_NONE, 0, 0, 0, NULL, 0, KW_REPEAT },
	{ "user", kw_account, ST_STR, G(user), 0, 0, NULL, 0, 0 },
	{ "webhook", kw_webhook, ST_NONE, 0, 0, 0, NULL, 0, KW_REPEAT },
};

static const struct kw kws_target[] = {
	{ "allow", kw_list, ST_UINT, T(allow), 0, 0, en_allow, IF_ALL,
	    KW_REPEAT },
	{ "allow-none", kw_enum, ST_INT, T(allow_none), 0, 0, en_yesno,
	    IF_LAN | IF_LANPLUS, 0 },
	{ "allow-plaintext", kw_enum, ST_INT, T(allow_plaintext), 0, 0,
	    en_yesno, IF_LAN | IF_REDFISH, 0 },
	{ "auth-type", kw_enum, ST_INT, T(authtype), 0, 0, en_auth, IF_LAN,
	    0 },
	{ "backoff-max", kw_uint, ST_UINT, T(backoff_max_s), 1, 86400, NULL,
	    IF_ALL, 0 },
	{ "ca-file", kw_path, ST_STR, T(ca_file), 0, 0, NULL, IF_REDFISH, 0 },
	{ "chassis-interval", kw_uint, ST_UINT, T(chassis_interval_s), 1,
	    86400, NULL, IF_ALL, 0 },
	{ "cipher-suite", kw_cipher, ST_INT, T(cipher), 0, 0, NULL,
	    IF_LANPLUS, 0 },
	{ "device", kw_path, ST_STR, T(device), 0, 127, NULL, IF_OPEN, 0 },
	{ "host", kw_str, ST_STR, T(host), 0, HOST_MAX + 16, NULL, IF_NET,
	    0 },
	{ "in-band-events", kw_enum, ST_INT, T(in_band_events), 0, 0,
	    en_yesno, IF_OPEN, 0 },
	{ "insecure", kw_enum, ST_INT, T(insecure), 0, 0, en_yesno,
	    IF_REDFISH, 0 },
	{ "interface", kw_enum, ST_INT, T(iface), 0, 0, en_iface, IF_ALL, 0 },
	{ "keepalive", kw_uint, ST_UINT, T(keepalive_s), 0, 3600, NULL,
	    IF_LAN | IF_LANPLUS, 0 },
	{ "kg-file", kw_path, ST_STR, T(kg_file), 0, 0, NULL, IF_LANPLUS, 0 },
	{ "max-outstanding", kw_uint, ST_UINT, T(max_outstanding), 1, 16,
	    NULL, IF_ALL, 0 },
	{ "password-file", kw_path, ST_STR, T(password_file), 0, 0, NULL,
	    IF_NET, 0 },
	{ "port", kw_uint, ST_UINT, T(port), 1, 65535, NULL, IF_NET, 0 },
	{ "privilege", kw_enum, ST_UINT, T(priv), 0, 0, en_priv,
	    IF_LAN | IF_LANPLUS, 0 },
	{ "retries", kw_uint, ST_UINT, T(retries), 0, 10, NULL, IF_ALL, 0 },
	{ "sel-clear-at", kw_uint, ST_UINT, T(sel_clear_at), 0, 100, NULL,
	    IF_ALL, 0 },
	{ "sel-clear-free", kw_uint, ST_UINT, T(sel_clear_free), 0, 65535,
	    NULL, IF_ALL, 0 },
	{ "sel-delete-entries", kw_enum, ST_INT, T(sel_delete_entries), 0,
	    0, en_yesno, IF_IPMI, 0 },
	{ "sel-interval", kw_uint, ST_UINT, T(sel_interval_s), 1, 86400,
	    NULL, IF_ALL, 0 },
	{ "sel-nearly-full", kw_uint, ST_UINT, T(sel_nearly_full), 0, 100,
	    NULL, IF_ALL, 0 },
	{ "sensor-interval", kw_uint, ST_UINT, T(sensor_interval_s), 1,
	    86400, NULL, IF_ALL, 0 },
	{ "severity-file", kw_path, ST_STR, T(severity_file), 0, 0, NULL,
	    IF_ALL, 0 },
	{ "sol", kw_sol, ST_SOL, T(sol), 0, 0, NULL, IF_LANPLUS, 0 },
	{ "timeout", kw_time, ST_UINT, T(timeout_ms), 100, 300000, NULL,
	    IF_ALL, 0 },
	{ "unreachable-after", kw_uint, ST_UINT, T(unreachable_after), 1,
	    100, NULL, IF_ALL, 0 },
	{ "username", kw_str, ST_STR, T(username), 0, 256, NULL, IF_NET, 0 },
	{ "watchdog", kw_watchdog, ST_WDOG, T(watchdog), 0, 0, NULL, IF_IPMI,
	    0 },
	{ "workaround", kw_list, ST_U32, T(workarounds), 0, 0, en_workaround,
	    IF_LANPLUS, KW_REPEAT },
};

static const struct kw kws_watchdog[] = {
	{ "action", kw_enum, ST_U8, W(cfg.action), 0, 0, en_wd_action, 0, 0 },
	{ "check-command", kw_check, ST_NONE, 0, CONF_CHECK_COMMAND, 0, NULL,
	    0, KW_REPEAT },
	{ "check-file", kw_check, ST_NONE, 0, CONF_CHECK_FILE, 0, NULL, 0,
	    KW_REPEAT },
	{ "check-pid", kw_check, ST_NONE, 0, CONF_CHECK_PID, 0, NULL, 0,
	    KW_REPEAT },
	{ "force", kw_enum, ST_INT, W(force), 0, 0, en_yesno, 0, 0 },
	{ "grace", kw_uint, ST_UINT, W(grace_s), 0, 86400, NULL, 0, 0 },
	{ "interval", kw_time, ST_UINT, W(cfg.interval_ms), 100, 3600000,
	    NULL, 0, 0 },
	{ "nowayout", kw_enum, ST_INT, W(nowayout), 0, 0, en_yesno, 0, 0 },
	{ "pre-interrupt", kw_enum, ST_U8, W(cfg.pre_int), 0, 0, en_wd_pre,
	    0, 0 },
	{ "pretimeout", kw_uint, ST_UINT, W(cfg.pretimeout_s), 0, 255, NULL,
	    0, 0 },
	{ "timeout", kw_time, ST_UINT, W(cfg.timeout_ms), 100,
	    WDT_COUNTDOWN_MAX * 100u, NULL, 0, 0 },
	{ "use", kw_enum, ST_U8, W(cfg.use), 0, 0, en_wd_use, 0, 0 },
};

static const struct kw kws_sol[] = {
	{ "input", kw_enum, ST_INT, S(input), 0, 0, en_yesno, 0, 0 },
	{ "log", kw_enum, ST_INT, S(log), 0, 0, en_yesno, 0, 0 },
	{ "pattern", kw_pattern, ST_NONE, 0, 0, CONF_PATTERN_LEN, NULL, 0,
	    KW_REPEAT },
	{ "takeover", kw_enum, ST_INT, S(takeover), 0, 0, en_yesno, 0, 0 },
	{ "timestamps", kw_enum, ST_INT, S(timestamps), 0, 0, en_yesno, 0,
	    0 },
};

static const struct kw kws_webhook[] = {
	{ "allow-plaintext", kw_enum, ST_INT, H(allow_plaintext), 0, 0,
	    en_yesno, 0, 0 },
	{ "basic-auth-file", kw_path, ST_STR, H(basic_auth_file), 0, 0, NULL,
	    0, 0 },
	{ "bearer-token-file", kw_path, ST_STR, H(bearer_token_file), 0, 0,
	    NULL, 0, 0 },
	{ "ca-file", kw_path, ST_STR, H(ca_file), 0, 0, NULL, 0, 0 },
	{ "events", kw_list, ST_UINT, H(events), 0, 0, en_events, 0,
	    KW_REPEAT },
	{ "hmac-secret-file", kw_path, ST_STR, H(hmac_secret_file), 0, 0,
	    NULL, 0, 0 },
	{ "insecure", kw_enum, ST_INT, H(insecure), 0, 0, en_yesno, 0, 0 },
	{ "min-severity", kw_enum, ST_INT, H(min_severity), 0, 0, en_level,
	    0, 0 },
	{ "overflow", kw_enum, ST_INT, H(overflow), 0, 0, en_overflow, 0,
	    0 },
	{ "queue-max", kw_uint, ST_UINT, H(queue_max), 1, 100000, NULL, 0,
	    0 },
	{ "timeout", kw_time, ST_UINT, H(timeout_ms), 100, 60000, NULL, 0,
	    0 },
	{ "url", kw_str, ST_STR, H(url), 0, URL_MAX, NULL, 0, 0 },
};

#define NKW(a)	(sizeof(a) / sizeof((a)[0]))

static const struct ctx ctx_global = { kws_global, NKW(kws_global) };
static const struct ctx ctx_target = { kws_target, NKW(kws_target) };
static const struct ctx ctx_watchdog = { kws_watchdog, NKW(kws_watchdog) };
static const struct ctx ctx_sol = { kws_sol, NKW(kws_sol) };
static const struct ctx ctx_webhook = { kws_webhook, NKW(kws_webhook) };

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct kw *)e)->name);
}

static const struct kw *
kw_find(const struct ctx *ctx, const char *name)
{
	return bsearch(name, ctx->kws, ctx->n, sizeof(ctx->kws[0]), kw_cmp);
}

/* index of a keyword known to exist (for locations and set bits) */
static size_t
ki(const struct ctx *ctx, const char *name)
{
	const struct kw *kw = kw_find(ctx, name);

	if (kw == NULL)
		abort();	/* a misspelled name in this file */
	return (size_t)(kw - ctx->kws);
}

const char *
conf_keyword(enum conf_ctx c, size_t i)
{
	static const struct ctx *const all[] = { &ctx_global, &ctx_target,
	    &ctx_watchdog, &ctx_sol, &ctx_webhook };

	if ((size_t)c >= NKW(all) || i >= all[c]->n)
		return NULL;
	return all[c]->kws[i].name;
}

/* ---- statements and blocks ---- */

static int
cp_stmt(struct cp *cp, const struct ctx *ctx, void *obj, struct kwstate *st,
    const struct lex_tok *key, const char *what)
{
	const struct kw *kw;
	const struct conf_loc *prev;
	char d[DESC_MAX];
	size_t k;

	if ((kw = kw_find(ctx, key->s)) == NULL) {
		if (what == NULL)
			return cp_err(cp, key->line, "unknown keyword %s at "
			    "top level", desc(key, d));
		return cp_err(cp, key->line, "unknown keyword %s in %s block",
		    desc(key, d), what);
	}
	k = (size_t)(kw - ctx->kws);
	if (!(kw->flags & KW_REPEAT) && (st->set & BIT(k))) {
		prev = &st->loc[k];
		if (prev->file == cp->file)
			return cp_err(cp, key->line, "%s: already given at "
			    "line %u", kw->name, prev->line);
		return cp_err(cp, key->line, "%s: already given at %s:%u",
		    kw->name, prev->file, prev->line);
	}
	cp->first = !(st->set & BIT(k));
	if (kw->fn(cp, kw, obj, key) != 0)
		return -1;
	st->set |= BIT(k);
	st->loc[k].file = cp->file;
	st->loc[k].line = key->line;
	return 0;
}

/* the statements of a block up to its "}" ("{" already read) */
static int
cp_block(struct cp *cp, const struct ctx *ctx, void *obj, struct kwstate *st,
    const char *what, unsigned line)
{
	struct lex_tok t;
	char d[DESC_MAX];

	for (;;) {
		switch (lex_next(cp->lx, &t)) {
		case LEX_RBRACE:
			return 0;
		case LEX_WORD:
			if (cp_stmt(cp, ctx, obj, st, &t, what) != 0)
				return -1;
			break;
		case LEX_EOF:
			return cp_err(cp, t.line, "end of file: block \"%s\" "
			    "opened at line %u is not closed", what, line);
		case LEX_ERROR:
			return cp_err(cp, t.line, "%s", t.s);
		default:
			return cp_err(cp, t.line, "expected a keyword or \"}\" "
			    "in %s block, found %s", what, desc(&t, d));
		}
	}
}

static int
cp_top(struct cp *cp)
{
	struct lex_tok t;
	char d[DESC_MAX];

	for (;;) {
		switch (lex_next(cp->lx, &t)) {
		case LEX_EOF:
			return 0;
		case LEX_WORD:
			if (cp_stmt(cp, &ctx_global, cp->c, &cp->gst, &t,
			    NULL) != 0)
				return -1;
			break;
		case LEX_ERROR:
			return cp_err(cp, t.line, "%s", t.s);
		case LEX_RBRACE:
			return cp_err(cp, t.line, "\"}\" without a block to "
			    "close");
		default:
			return cp_err(cp, t.line, "expected a keyword, found "
			    "%s", desc(&t, d));
		}
	}
}

static const char *
cp_intern(struct cp *cp, const char *name)
{
	struct conf *c = cp->c;

	if (c->nfiles >= CONF_FILES_MAX)
		return NULL;
	c->files = xreallocarray(c->files, c->nfiles + 1, sizeof(char *));
	c->files[c->nfiles] = xstrdup(name);
	return c->files[c->nfiles++];
}

static int
cp_file(struct cp *cp, const char *name, const char *buf, size_t len)
{
	const char *saved_file = cp->file, *file;
	struct lex *saved_lx = cp->lx;
	struct lex lx;
	int rc;

	if ((file = cp_intern(cp, name)) == NULL)
		return cp_err(cp, 0, "more than %d files", CONF_FILES_MAX);
	lex_init(&lx, buf, len, LEX_BRACES | LEX_ESCAPES);
	cp->lx = &lx;
	cp->file = file;
	rc = cp_top(cp);
	lex_fini(&lx);
	cp->lx = saved_lx;
	cp->file = saved_file;
	return rc;
}

/* ---- files ---- */

/* a whole regular file of at most CONF_FILE_MAX bytes; "PATH: why" */
static int
conf_read(const char *path, char **out, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;
	ssize_t n;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a regular file", path);
		(void)close(fd);
		return -1;
	}
	if (st.st_size > CONF_FILE_MAX) {
		(void)snprintf(err, errlen, "%s: larger than %d bytes", path,
		    CONF_FILE_MAX);
		(void)close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = fileio_read_all(fd, buf, (size_t)st.st_size + 1);
	(void)close(fd);
	if (n < 0 || n > st.st_size) {
		(void)snprintf(err, errlen, "%s: %s", path, n < 0 ?
		    strerror(errno) : "changed while being read");
		free(buf);
		return -1;
	}
	*out = buf;
	*len = (size_t)n;
	return 0;
}

static int
cp_include_file(struct cp *cp, const char *path, const struct lex_tok *key)
{
	struct conf_target saved;
	struct kwstate saved_st;
	char e[CONF_ERR_MAX], *buf;
	size_t len, k;
	int rc;

	if (conf_read(path, &buf, &len, e, sizeof(e)) != 0)
		return cp_err(cp, key->line, "include: %s", e);
	/* a defaults block applies to the rest of its file and to the
	 * files that file includes, not beyond: keep ours */
	tgt_init(&saved);
	for (k = 0; k < ctx_target.n; k++)
		if (cp->defst.set & BIT(k))
			fld_copy(&ctx_target.kws[k], &saved, &cp->def);
	saved_st = cp->defst;
	cp->depth++;
	rc = cp_file(cp, path, buf, len);
	cp->depth--;
	tgt_free(&cp->def);
	cp->def = saved;
	cp->defst = saved_st;
	free(buf);
	return rc;
}

/*
 * glob(3) reports directories it cannot read through a callback without
 * a context argument: the first such error, for the message.  A missing
 * directory is no error (nothing matches).
 */
static int	 glob_errno;
static char	 glob_epath[PATH_MAX];

static int
conf_glob_err(const char *path, int e)
{
	if (e == ENOENT)
		return 0;
	glob_errno = e;
	(void)snprintf(glob_epath, sizeof(glob_epath), "%s", path);
	return 1;
}

static int
kw_include(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct lex_tok v;
	char pat[PATH_MAX], d[DESC_MAX];
	const char *slash;
	glob_t g;
	size_t i;
	int r, n, rc = 0;

	if (cp_arg(cp, key, &v) != 0 || cp_text(cp, kw->name, &v,
	    PATH_MAX - 1) != 0)
		return -1;
	if (!(cp->flags & CONF_LOAD_FILES))
		return 0;
	if (cp->depth >= CONF_INCLUDE_DEPTH)
		return cp_err(cp, key->line, "include: nested more than %d "
		    "deep (does a file include itself?)", CONF_INCLUDE_DEPTH);
	/* relative to the directory of the including file */
	slash = strrchr(cp->file, '/');
	if (v.s[0] == '/' || slash == NULL)
		n = snprintf(pat, sizeof(pat), "%s", v.s);
	else
		n = snprintf(pat, sizeof(pat), "%.*s/%s",
		    (int)(slash - cp->file), cp->file, v.s);
	if (n < 0 || (size_t)n >= sizeof(pat))
		return cp_err(cp, v.line, "include: %s: path too long",
		    desc(&v, d));
	memset(&g, 0, sizeof(g));
	glob_errno = 0;
	r = glob(pat, 0, conf_glob_err, &g);
	if (r == GLOB_NOMATCH) {
		globfree(&g);
		return 0;	/* an empty or missing targets.d is fine */
	}
	if (r != 0) {
		globfree(&g);
		if (r == GLOB_ABORTED && glob_errno != 0)
			return cp_err(cp, v.line, "include: %s: %s",
			    desc_str(glob_epath, d), strerror(glob_errno));
		return cp_err(cp, v.line, "include: %s: %s", desc_str(pat, d),
		    r == GLOB_NOSPACE ? "out of memory" : "cannot be read");
	}
	for (i = 0; i < g.gl_pathc && rc == 0; i++)
		rc = cp_include_file(cp, g.gl_pathv[i], key);
	globfree(&g);
	return rc;
}

/* ---- watchdog { } ---- */

static int
kw_check(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf_watchdog *w = obj;
	struct conf_check c;
	struct lex_tok v, m, n;
	const char *mod;
	unsigned long x;
	char d[DESC_MAX];

	if (w->nchecks >= CONF_CHECKS_MAX)
		return cp_err(cp, key->line, "%s: more than %d health checks",
		    kw->name, CONF_CHECKS_MAX);
	if (cp_arg(cp, key, &v) != 0 || cp_abspath(cp, kw->name, &v,
	    PATH_MAX - 1) != 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.kind = (enum conf_check_kind)kw->min;
	c.loc.file = cp->file;
	c.loc.line = key->line;
	if (c.kind == CONF_CHECK_COMMAND)
		c.timeout_ms = 5000;
	/* an optional modifier binds to the check before it (greedy) */
	mod = c.kind == CONF_CHECK_FILE ? "max-age" :
	    c.kind == CONF_CHECK_COMMAND ? "timeout" : NULL;
	if (mod != NULL && lex_peek(cp->lx, &m) == LEX_WORD &&
	    strcmp(m.s, mod) == 0) {
		(void)lex_next(cp->lx, &m);
		if (cp_arg(cp, &m, &n) != 0)
			return -1;
		if (c.kind == CONF_CHECK_FILE) {
			if (parse_ulong(n.s, &x) != 0 || x < 1 || x > 86400)
				return cp_err(cp, n.line, "%s: max-age %s is "
				    "not a number of seconds in 1..86400",
				    kw->name, desc(&n, d));
			c.max_age_s = (unsigned)x;
		} else {
			if (parse_ms(n.s, &x) != 0 || x < 100 || x > 3600000)
				return cp_err(cp, n.line, "%s: timeout %s is "
				    "not a time in 0.1..3600 seconds",
				    kw->name, desc(&n, d));
			c.timeout_ms = (unsigned)x;
		}
	}
	c.path = xstrdup(v.s);
	w->checks = xreallocarray(w->checks, w->nchecks + 1,
	    sizeof(*w->checks));
	w->checks[w->nchecks++] = c;
	return 0;
}

/* the block's own checks, once it is complete */
static int
wd_check(struct cp *cp, struct conf_watchdog *w, const struct kwstate *ws,
    const struct lex_tok *key)
{
	struct watchdog_cfg noint;
	char e[400], a[24], b[24];
	size_t i, kt = ki(&ctx_watchdog, "timeout"),
	    kv = ki(&ctx_watchdog, "interval");

	if (!(ws->set & BIT(kt)))
		return cp_err(cp, key->line, "watchdog: no timeout given (a "
		    "\"timeout\" right after check-command PATH is the "
		    "command's)");
	if (!(ws->set & BIT(kv)))
		return cp_err(cp, key->line, "watchdog: no interval (the "
		    "heartbeat period) given");
	/* the countdown itself, then the heartbeat against it, each
	 * reported where it was written */
	noint = w->cfg;
	noint.interval_ms = 0;
	if (watchdog_validate(&noint, e, sizeof(e)) != 0)
		return cp_err_at(cp, &ws->loc[kt], "watchdog: %s", e);
	if (watchdog_validate(&w->cfg, e, sizeof(e)) != 0)
		return cp_err_at(cp, &ws->loc[kv], "watchdog: %s", e);
	for (i = 0; i < w->nchecks; i++)
		if (w->checks[i].kind == CONF_CHECK_COMMAND &&
		    w->checks[i].timeout_ms >= w->cfg.interval_ms)
			return cp_err_at(cp, &w->checks[i].loc,
			    "check-command: timeout %s s is not shorter than "
			    "the heartbeat interval %s s",
			    fmt_ms(w->checks[i].timeout_ms, a, sizeof(a)),
			    fmt_ms(w->cfg.interval_ms, b, sizeof(b)));
	return 0;
}

static int
kw_watchdog(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf_watchdog w, *dst = fld(obj, kw);
	struct kwstate ws;

	if (cp_lbrace(cp, key) != 0)
		return -1;
	wd_init(&w);
	memset(&ws, 0, sizeof(ws));
	if (cp_block(cp, &ctx_watchdog, &w, &ws, "watchdog", key->line) != 0 ||
	    wd_check(cp, &w, &ws, key) != 0) {
		wd_free(&w);
		return -1;
	}
	w.enabled = 1;
	w.loc.file = cp->file;
	w.loc.line = key->line;
	wd_free(dst);
	*dst = w;
	return 0;
}

/* ---- sol { } ---- */

/*
 * Bound what regcomp may build.  glibc copies the operand of every
 * repetition (a+ becomes aa*, a{3,5} five copies of a), and works out
 * the empty-string closure of every copy: a loop (* + {m,}) around
 * something that loops already ("a*+++", "((a*)+)+") takes seconds per
 * level, and "a++++..." doubles per '+'.  So: no loop over a loop (it
 * matches nothing a single one does not), at most PATTERN_NODES nodes
 * counted with glibc's copying, and no back-references, which make
 * matching itself exponential.  0, or -1 and why.
 */
#define PATTERN_NODES	2048
#define PATTERN_DEPTH	32

static unsigned long
pat_add(unsigned long a, unsigned long b)
{
	return a + b > PATTERN_NODES ? PATTERN_NODES + 1 : a + b;
}

static unsigned long
pat_mul(unsigned long a, unsigned long b)
{
	return b != 0 && a > (PATTERN_NODES + 1) / b ? PATTERN_NODES + 1 :
	    a * b > PATTERN_NODES ? PATTERN_NODES + 1 : a * b;
}

/* {m}, {m,} or {m,n} at p (p[1] is a digit): the copies glibc makes,
 * max(m, n, 1), whether it loops, and p moved to its last byte */
static unsigned long
pat_interval(const char **pp, int *loops)
{
	const char *p = *pp + 1;
	unsigned long m = 0, n;

	for (; *p >= '0' && *p <= '9'; p++)
		m = pat_add(pat_mul(m, 10), (unsigned long)(*p - '0'));
	n = m;
	*loops = 0;
	if (*p == ',') {
		p++;
		if (*p >= '0' && *p <= '9')
			for (n = 0; *p >= '0' && *p <= '9'; p++)
				n = pat_add(pat_mul(n, 10),
				    (unsigned long)(*p - '0'));
		else
			*loops = 1;
	}
	*pp = *p == '\0' ? p - 1 : p;
	n = n > m ? n : m;
	return n > 0 ? n : 1;
}

static int
pattern_cost(const char *p, const char **why)
{
	unsigned long outer[PATTERN_DEPTH], cur = 0, last = 0, n;
	int outer_loop[PATTERN_DEPTH], cur_loop = 0, last_loop = 0, loops;
	int depth = 0;

	*why = "repeats too much (each repetition copies what it repeats)";
	for (; *p != '\0'; p++) {
		loops = -1;	/* not a repetition */
		switch (*p) {
		case '(':
			if (depth == PATTERN_DEPTH) {
				*why = "groups nested too deep";
				return -1;
			}
			outer[depth] = cur;
			outer_loop[depth++] = cur_loop;
			cur = last = 0;
			cur_loop = last_loop = 0;
			continue;
		case ')':
			if (depth > 0) {
				last = cur + 1;
				last_loop = cur_loop;
				depth--;
				cur = pat_add(outer[depth], last);
				cur_loop = outer_loop[depth] || last_loop;
				break;
			}
			last = 1;	/* a literal ')' */
			last_loop = 0;
			cur = pat_add(cur, 1);
			break;
		case '|':
			last = 0;
			last_loop = 0;
			cur = pat_add(cur, 1);
			continue;
		case '*':
		case '+':
			loops = 1;
			n = *p == '+' ? 2 : 1;
			break;
		case '?':
			loops = 0;
			n = 1;
			break;
		case '{':
			if (p[1] >= '0' && p[1] <= '9') {
				n = pat_interval(&p, &loops);
				break;
			}
			last = 1;	/* a literal '{' */
			last_loop = 0;
			cur = pat_add(cur, 1);
			break;
		case '[':
			/* a bracket expression is one node: skip to its ']' */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p != '\0' && *p != ']')
				p++;
			if (*p == '\0')
				p--;
			last = 1;
			last_loop = 0;
			cur = pat_add(cur, 1);
			break;
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				*why = "back-references are not allowed";
				return -1;
			}
			if (p[1] != '\0')
				p++;
			/* FALLTHROUGH */
		default:
			last = 1;
			last_loop = 0;
			cur = pat_add(cur, 1);
			break;
		}
		if (loops >= 0) {
			if (loops && last_loop) {
				*why = "a loop (* + {m,}) over something that "
				    "loops already: drop the outer one";
				return -1;
			}
			/* n copies of the operand, and a node for the loop */
			cur = pat_add(cur, pat_add(pat_mul(last, n - 1), 1));
			last = pat_add(pat_mul(last, n), 1);
			last_loop = last_loop || loops;
			cur_loop = cur_loop || loops;
		}
		if (cur > PATTERN_NODES || last > PATTERN_NODES)
			return -1;
	}
	return 0;
}

static int
kw_pattern(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf_sol *s = obj;
	struct lex_tok v;
	regex_t re;
	const char *why;
	char d[DESC_MAX], e[128];
	int r;

	if (s->npatterns >= CONF_PATTERNS_MAX)
		return cp_err(cp, key->line, "pattern: more than %d patterns",
		    CONF_PATTERNS_MAX);
	if (cp_arg(cp, key, &v) != 0 || cp_text(cp, kw->name, &v,
	    kw->max) != 0)
		return -1;
	if (pattern_cost(v.s, &why) != 0)
		return cp_err(cp, v.line, "pattern: %s: %s", desc(&v, d), why);
	if ((r = regcomp(&re, v.s, REG_EXTENDED | REG_NOSUB)) != 0) {
		(void)regerror(r, &re, e, sizeof(e));
		regfree(&re);
		return cp_err(cp, v.line, "pattern: %s: %s", desc(&v, d), e);
	}
	regfree(&re);
	s->patterns = xreallocarray(s->patterns, s->npatterns + 1,
	    sizeof(char *));
	s->patterns[s->npatterns++] = xstrdup(v.s);
	return 0;
}

static int
kw_sol(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf_sol s, *dst = fld(obj, kw);
	struct kwstate ss;

	if (cp_lbrace(cp, key) != 0)
		return -1;
	sol_init(&s);
	memset(&ss, 0, sizeof(ss));
	if (cp_block(cp, &ctx_sol, &s, &ss, "sol", key->line) != 0) {
		sol_free(&s);
		return -1;
	}
	s.enabled = 1;
	s.loc.file = cp->file;
	s.loc.line = key->line;
	sol_free(dst);
	*dst = s;
	return 0;
}

/* ---- targets ---- */

static int
kw_defaults(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf_target d;
	struct kwstate ds;

	if (cp_lbrace(cp, key) != 0)
		return -1;
	tgt_init(&d);
	memset(&ds, 0, sizeof(ds));
	if (cp_block(cp, &ctx_target, &d, &ds, "defaults", key->line) != 0) {
		tgt_free(&d);
		return -1;
	}
	/* replaces the defaults block before it */
	tgt_free(&cp->def);
	cp->def = d;
	cp->defst = ds;
	return 0;
}

/* the host keyword: a name or address, or for redfish a base URL */
static int
tgt_host(struct cp *cp, struct conf_target *t, const struct kwstate *st)
{
	const struct conf_loc *hl = &st->loc[ki(&ctx_target, "host")];
	const char *h = t->host, *p = h, *end, *colon, *hs, *he, *ps = NULL;
	size_t kp = ki(&ctx_target, "port");
	unsigned long port = 0;
	char d[DESC_MAX];
	int scheme = strstr(h, "://") != NULL;

	if (strpbrk(h, " \t") != NULL)
		return cp_err_at(cp, hl, "host: %s is not a host name, "
		    "address or URL", desc_str(h, d));
	/* said without quoting the value: it may hold a password */
	if (strchr(h, '@') != NULL)
		return cp_err_at(cp, hl, "host: no user@ (nor user:password@) "
		    "in a host: use username and password-file");
	if (t->iface != CONF_IFACE_REDFISH) {
		if (h[0] == '[')
			return cp_err_at(cp, hl, "host: %s: write an IPv6 "
			    "address without brackets", desc_str(h, d));
		if (scheme)
			return cp_err_at(cp, hl, "host: %s is a URL; only "
			    "redfish targets take one", desc_str(h, d));
		if ((colon = strchr(h, ':')) != NULL &&
		    strchr(colon + 1, ':') == NULL)
			return cp_err_at(cp, hl, "host: %s: give the port with "
			    "the port keyword", desc_str(h, d));
		if (strlen(h) > HOST_MAX || strchr(h, '/') != NULL)
			return cp_err_at(cp, hl, "host: %s is not a host name "
			    "or address", desc_str(h, d));
		t->hostname = xstrdup(h);
		if (!(st->set & BIT(kp)))
			t->port = 623;
		return 0;
	}
	t->https = 1;
	if (strncmp(h, "https://", 8) == 0)
		p = h + 8;
	else if (strncmp(h, "http://", 7) == 0) {
		p = h + 7;
		t->https = 0;
	} else if (scheme)
		return cp_err_at(cp, hl, "host: %s: only https:// and http:// "
		    "URLs", desc_str(h, d));
	end = p + strcspn(p, "/");
	if (*end == '/' && end[1] != '\0')
		return cp_err_at(cp, hl, "host: %s has a path: give the BMC's "
		    "address alone (https://HOST[:PORT])", desc_str(h, d));
	hs = p;
	he = end;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL || (rb + 1 != end && rb[1] != ':'))
			return cp_err_at(cp, hl, "host: %s: bad [IPv6] "
			    "address", desc_str(h, d));
		hs = p + 1;
		he = rb;
		if (rb + 1 != end)
			ps = rb + 2;
	} else if ((colon = memchr(p, ':', (size_t)(end - p))) != NULL) {
		if (memchr(colon + 1, ':', (size_t)(end - colon - 1)) != NULL) {
			if (scheme)
				return cp_err_at(cp, hl, "host: %s: put an "
				    "IPv6 address in brackets", desc_str(h, d));
		} else {
			he = colon;
			ps = colon + 1;
		}
	}
	if (ps != NULL) {
		char num[8];
		size_t n = (size_t)(end - ps);

		if (n == 0 || n >= sizeof(num))
			return cp_err_at(cp, hl, "host: %s: bad port",
			    desc_str(h, d));
		memcpy(num, ps, n);
		num[n] = '\0';
		if (parse_ulong(num, &port) != 0 || port < 1 || port > 65535)
			return cp_err_at(cp, hl, "host: %s: bad port",
			    desc_str(h, d));
		if (st->set & BIT(kp))
			return cp_err_at(cp, &st->loc[kp], "port: given twice "
			    "(host %s has one)", desc_str(h, d));
		t->port = (unsigned)port;
	} else if (!(st->set & BIT(kp)))
		t->port = t->https ? 443 : 80;
	if (he == hs || (size_t)(he - hs) > HOST_MAX)
		return cp_err_at(cp, hl, "host: %s: no host name",
		    desc_str(h, d));
	t->hostname = xmalloc((size_t)(he - hs) + 1);
	memcpy(t->hostname, hs, (size_t)(he - hs));
	t->hostname[he - hs] = '\0';
	if (!t->https && t->password_file != NULL && !t->allow_plaintext)
		return cp_err_at(cp, hl, "host: %s would send the password in "
		    "clear (http): use https, or set allow-plaintext yes",
		    desc_str(h, d));
	return 0;
}

/* a request with its retries must end before the next poll starts
 * (style rule 22): timeout <= the shortest period */
static int
tgt_timing(struct cp *cp, const struct conf_target *t,
    const struct kwstate *st)
{
	static const char *const ivname[] = { "sensor-interval",
	    "sel-interval", "chassis-interval" };
	unsigned iv[3], min_ms = UINT_MAX, per;
	size_t kt = ki(&ctx_target, "timeout"), i, which = 3;
	char a[24], b[24];

	per = t->timeout_ms / (t->retries + 1);
	if (per < 100)
		return cp_err_at(cp, &st->loc[(st->set & BIT(kt)) ? kt :
		    ki(&ctx_target, "retries")], "timeout: %s s over %u "
		    "attempts (retries %u) leaves %u ms per attempt; give "
		    "each at least 100 ms", fmt_ms(t->timeout_ms, a,
		    sizeof(a)), t->retries + 1, t->retries, per);
	iv[0] = t->sensor_interval_s;
	iv[1] = t->sel_interval_s;
	iv[2] = t->chassis_interval_s;
	for (i = 0; i < 3; i++)
		if (iv[i] * 1000 < min_ms) {
			min_ms = iv[i] * 1000;
			which = i;
		}
	if (t->watchdog.enabled && t->watchdog.cfg.interval_ms < min_ms) {
		min_ms = t->watchdog.cfg.interval_ms;
		which = 3;
	}
	if (t->timeout_ms <= min_ms)
		return 0;
	if (st->set & BIT(kt))
		return cp_err_at(cp, &st->loc[kt], "timeout: %s s (a request "
		    "with its retries) is longer than %s %s s: a request must "
		    "end before the next one is due", fmt_ms(t->timeout_ms, a,
		    sizeof(a)), which < 3 ? ivname[which] :
		    "the watchdog interval", fmt_ms(min_ms, b, sizeof(b)));
	return cp_err_at(cp, which < 3 ?
	    &st->loc[ki(&ctx_target, ivname[which])] : &t->watchdog.loc,
	    "%s: %s s is shorter than the request timeout %s s (the "
	    "default; a request with its retries): lower timeout too",
	    which < 3 ? ivname[which] : "watchdog: interval",
	    fmt_ms(min_ms, b, sizeof(b)), fmt_ms(t->timeout_ms, a,
	    sizeof(a)));
}

/* the checks of a merged target that need no file */
static int
tgt_check(struct cp *cp, struct conf_target *t, const struct kwstate *st)
{
	const char *need = NULL, *ifn = conf_iface_name(t->iface);
	size_t ka = ki(&ctx_target, "auth-type");
	char d[DESC_MAX];

	if (t->iface == CONF_IFACE_LAN || t->iface == CONF_IFACE_LANPLUS) {
		if (t->host == NULL)
			need = "host";
		else if (t->username == NULL)
			need = "username";
		else if (t->password_file == NULL)
			need = "password-file";
	} else if (t->iface == CONF_IFACE_REDFISH && t->host == NULL)
		need = "host";
	if (need != NULL)
		return cp_err_at(cp, &t->loc, "target \"%s\": interface %s "
		    "needs %s", t->name, ifn, need);
	if (t->iface == CONF_IFACE_REDFISH &&
	    (t->username == NULL) != (t->password_file == NULL))
		return cp_err_at(cp, &t->loc, "target \"%s\": give username "
		    "and password-file together", t->name);
	if (t->host != NULL && tgt_host(cp, t, st) != 0)
		return -1;
	if (t->username != NULL && t->iface != CONF_IFACE_REDFISH &&
	    strlen(t->username) > IPMI_USER_MAX)
		return cp_err_at(cp, &st->loc[ki(&ctx_target, "username")],
		    "username: %s is longer than %d bytes (the IPMI limit)",
		    desc_str(t->username, d), IPMI_USER_MAX);
	/* as the CLI: no session without authentication unless asked */
	if (t->iface == CONF_IFACE_LANPLUS && t->cipher == 0 && !t->allow_none)
		return cp_err_at(cp, &st->loc[ki(&ctx_target, "cipher-suite")],
		    "cipher-suite: 0 has no authentication: refused unless "
		    "allow-none yes");
	if (t->iface == CONF_IFACE_LAN) {
		if (t->authtype == IPMI_AUTH_MD2)
			return cp_err_at(cp, &st->loc[ka], "auth-type: md2 is "
			    "not supported (md5, or password)");
		if (t->authtype == IPMI_AUTH_NONE && !t->allow_none)
			return cp_err_at(cp, &st->loc[ka], "auth-type: none "
			    "checks no password: refused unless allow-none "
			    "yes");
		if (t->authtype == IPMI_AUTH_STRAIGHT && !t->allow_plaintext)
			return cp_err_at(cp, &st->loc[ka], "auth-type: "
			    "password sends the password in clear: refused "
			    "unless allow-plaintext yes");
	}
	return tgt_timing(cp, t, st);
}

/*
 * The target as configured: built-in defaults, then the defaults
 * block's keywords that apply to its interface, then its own.
 */
static int
tgt_merge(struct cp *cp, const struct conf_target *t, const struct kwstate *ts,
    struct conf_target *out, struct kwstate *os)
{
	const struct kw *kw;
	size_t k, kif = ki(&ctx_target, "interface"),
	    khost = ki(&ctx_target, "host");
	enum conf_iface iface;
	const char *why = "";

	if (ts->set & BIT(kif))
		iface = t->iface;
	else if (cp->defst.set & BIT(kif))
		iface = cp->def.iface;
	else {
		iface = (ts->set | cp->defst.set) & BIT(khost) ?
		    CONF_IFACE_LANPLUS : CONF_IFACE_OPEN;
		why = iface == CONF_IFACE_LANPLUS ? "; no interface given, "
		    "and with a host it is lanplus" : "; no interface given, "
		    "and without a host it is open";
	}
	for (k = 0; k < ctx_target.n; k++) {
		kw = &ctx_target.kws[k];
		if ((ts->set & BIT(k)) && !(kw->ifaces & (1u << iface)))
			return cp_err_at(cp, &ts->loc[k], "%s: not valid for "
			    "interface %s (target \"%s\"%s)", kw->name,
			    conf_iface_name(iface), t->name, why);
	}
	memset(os, 0, sizeof(*os));
	for (k = 0; k < ctx_target.n; k++) {
		kw = &ctx_target.kws[k];
		if (ts->set & BIT(k)) {
			fld_copy(kw, out, t);
			os->loc[k] = ts->loc[k];
		} else if ((cp->defst.set & BIT(k)) &&
		    (kw->ifaces & (1u << iface))) {
			fld_copy(kw, out, &cp->def);
			os->loc[k] = cp->defst.loc[k];
		} else
			continue;
		os->set |= BIT(k);
	}
	out->iface = iface;
	return 0;
}

static int
kw_target(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf *c = cp->c;
	const struct conf_target *old;
	struct conf_target t, fin;
	struct kwstate ts, fs;
	struct lex_tok v;
	int rc;

	if (cp_arg(cp, key, &v) != 0 || cp_name(cp, "target", &v) != 0)
		return -1;
	if ((old = conf_target_find(c, v.s)) != NULL)
		return cp_err(cp, v.line, "target \"%s\": already defined at "
		    "%s:%u", v.s, old->loc.file, old->loc.line);
	if (c->ntargets >= CONF_TARGETS_MAX)
		return cp_err(cp, key->line, "more than %d targets",
		    CONF_TARGETS_MAX);
	if (cp_lbrace(cp, key) != 0)
		return -1;
	tgt_init(&t);
	t.name = xstrdup(v.s);
	memset(&ts, 0, sizeof(ts));
	memset(&fs, 0, sizeof(fs));	/* tgt_merge fills it */
	tgt_init(&fin);
	fin.name = xstrdup(v.s);
	fin.loc.file = cp->file;
	fin.loc.line = key->line;
	rc = cp_block(cp, &ctx_target, &t, &ts, "target", key->line);
	if (rc == 0)
		rc = tgt_merge(cp, &t, &ts, &fin, &fs);
	if (rc == 0)
		rc = tgt_check(cp, &fin, &fs);
	tgt_free(&t);
	if (rc != 0) {
		tgt_free(&fin);
		return -1;
	}
	c->targets = xreallocarray(c->targets, c->ntargets + 1,
	    sizeof(*c->targets));
	cp->tst = xreallocarray(cp->tst, c->ntargets + 1, sizeof(*cp->tst));
	c->targets[c->ntargets] = fin;
	cp->tst[c->ntargets] = fs;
	c->ntargets++;
	return 0;
}

/* ---- webhooks ---- */

static int
hook_check(struct cp *cp, struct conf_webhook *h, const struct kwstate *hs)
{
	size_t ku = ki(&ctx_webhook, "url"),
	    kb = ki(&ctx_webhook, "bearer-token-file"),
	    ka = ki(&ctx_webhook, "basic-auth-file");
	const char *p;
	char d[DESC_MAX];

	if (h->url == NULL)
		return cp_err_at(cp, &h->loc, "webhook \"%s\": no url given",
		    h->name);
	if (strncmp(h->url, "https://", 8) == 0) {
		h->https = 1;
		p = h->url + 8;
	} else if (strncmp(h->url, "http://", 7) == 0)
		p = h->url + 7;
	else
		return cp_err_at(cp, &hs->loc[ku], "url: %s is not an https:// "
		    "or http:// URL", desc_str(h->url, d));
	if (*p == '\0' || *p == '/' || *p == ':' || strpbrk(p, " \t") != NULL)
		return cp_err_at(cp, &hs->loc[ku], "url: %s has no host",
		    desc_str(h->url, d));
	/* said without quoting the value: it may hold a password */
	if (memchr(p, '@', strcspn(p, "/?#")) != NULL)
		return cp_err_at(cp, &hs->loc[ku], "url: no user@ (nor "
		    "user:password@) in the URL: use basic-auth-file");
	if (h->bearer_token_file != NULL && h->basic_auth_file != NULL) {
		const struct conf_loc *l = hs->loc[kb].line > hs->loc[ka].line ?
		    &hs->loc[kb] : &hs->loc[ka];

		return cp_err_at(cp, l, "webhook \"%s\": bearer-token-file "
		    "and basic-auth-file exclude each other", h->name);
	}
	if (!h->https && !h->allow_plaintext &&
	    (h->bearer_token_file != NULL || h->basic_auth_file != NULL))
		return cp_err_at(cp, &hs->loc[ku], "url: %s would send the "
		    "credentials in clear (http): use https, or set "
		    "allow-plaintext yes", desc_str(h->url, d));
	return 0;
}

static int
kw_webhook(struct cp *cp, const struct kw *kw, void *obj,
    const struct lex_tok *key)
{
	struct conf *c = cp->c;
	struct conf_webhook h;
	struct kwstate hs;
	struct lex_tok v;
	size_t i;

	if (cp_arg(cp, key, &v) != 0 || cp_name(cp, "webhook", &v) != 0)
		return -1;
	for (i = 0; i < c->nwebhooks; i++)
		if (strcmp(c->webhooks[i].name, v.s) == 0)
			return cp_err(cp, v.line, "webhook \"%s\": already "
			    "defined at %s:%u", v.s, c->webhooks[i].loc.file,
			    c->webhooks[i].loc.line);
	if (c->nwebhooks >= CONF_WEBHOOKS_MAX)
		return cp_err(cp, key->line, "more than %d webhooks",
		    CONF_WEBHOOKS_MAX);
	if (cp_lbrace(cp, key) != 0)
		return -1;
	hook_init(&h);
	h.name = xstrdup(v.s);
	h.loc.file = cp->file;
	h.loc.line = key->line;
	memset(&hs, 0, sizeof(hs));
	if (cp_block(cp, &ctx_webhook, &h, &hs, "webhook", key->line) != 0 ||
	    hook_check(cp, &h, &hs) != 0) {
		hook_free(&h);
		return -1;
	}
	c->webhooks = xreallocarray(c->webhooks, c->nwebhooks + 1,
	    sizeof(*c->webhooks));
	cp->wst = xreallocarray(cp->wst, c->nwebhooks + 1, sizeof(*cp->wst));
	c->webhooks[c->nwebhooks] = h;
	cp->wst[c->nwebhooks] = hs;
	c->nwebhooks++;
	return 0;
}

/* ---- what the configuration names: users, secrets, files ---- */

enum secret_kind {
	SEC_BYTES,	/* anything but CR/LF (IPMI passwords, K_g) */
	SEC_TEXT,	/* no control bytes */
	SEC_TOKEN,	/* visible ASCII, for an HTTP header */
	SEC_USERPASS	/* SEC_TEXT with "user:" in front */
};

/*
 * Read a secret file: a regular file (not a symlink), no group or other
 * permission bits, owned by root, the daemon user or the euid we run
 * as, one line.  Errors name the file, never its content.
 */
static int
cp_secret(struct cp *cp, const struct conf_loc *loc, const char *kwname,
    const char *path, size_t max, enum secret_kind kind,
    struct conf_secret *out)
{
	struct stat st;
	unsigned char buf[CONF_SECRET_FILE_MAX + 1];
	ssize_t n;
	size_t len, i;
	const char *why = NULL;
	char d[DESC_MAX];
	int fd;

	desc_str(path, d);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY);
	if (fd < 0)
		return cp_err_at(cp, loc, "%s: %s: %s", kwname, d,
		    errno == ELOOP ? "is a symbolic link: name the file "
		    "itself" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return cp_err_at(cp, loc, "%s: %s: not a regular file",
		    kwname, d);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		(void)close(fd);
		return cp_err_at(cp, loc, "%s: %s: mode %04o lets group or "
		    "others at it: chmod 600 (or 400) it", kwname, d,
		    (unsigned)(st.st_mode & 07777));
	}
	if (st.st_uid != 0 && st.st_uid != geteuid() &&
	    (cp->c->uid == (uid_t)-1 || st.st_uid != cp->c->uid)) {
		(void)close(fd);
		return cp_err_at(cp, loc, "%s: %s: owned by uid %lu: must be "
		    "root or the daemon user (%s)", kwname, d,
		    (unsigned long)st.st_uid, cp->c->user);
	}
	n = fileio_read_all(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n < 0)
		return cp_err_at(cp, loc, "%s: %s: %s", kwname, d,
		    strerror(errno));
	len = (size_t)n;
	if (len > CONF_SECRET_FILE_MAX)
		why = "larger than the file limit";
	if (why == NULL && len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	for (i = 0; why == NULL && i < len; i++) {
		if (buf[i] == '\n' || buf[i] == '\r')
			why = "has more than one line";
		else if (kind != SEC_BYTES && (buf[i] < 0x20 ||
		    buf[i] == 0x7f))
			why = "contains a control character";
		else if (kind == SEC_TOKEN && (buf[i] == ' ' ||
		    buf[i] > 0x7e))
			why = "contains a byte a token may not have";
	}
	if (why == NULL && len == 0)
		why = "is empty";
	if (why == NULL && kind == SEC_USERPASS &&
	    (buf[0] == ':' || memchr(buf, ':', len) == NULL))
		why = "is not \"user:password\"";
	if (why != NULL) {
		explicit_bzero(buf, sizeof(buf));
		return cp_err_at(cp, loc, "%s: %s: %s", kwname, d, why);
	}
	if (len > max) {
		explicit_bzero(buf, sizeof(buf));
		return cp_err_at(cp, loc, "%s: %s: %zu bytes, more than the "
		    "%zu allowed here", kwname, d, len, max);
	}
	secret_free(out);
	out->p = xmalloc(len + 1);
	memcpy(out->p, buf, len);
	out->p[len] = '\0';
	out->len = len;
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* K_g: text of up to 20 bytes, or "0x" and up to 40 hex digits (as
 * bmcwatch -k) */
static int
cp_kg(struct cp *cp, const struct conf_loc *loc, struct conf_target *t)
{
	struct conf_secret raw = { NULL, 0 };
	uint8_t key[IPMI_KG_MAX];
	size_t i, n;
	int hi, lo, ok = 1;
	char d[DESC_MAX];

	if (cp_secret(cp, loc, "kg-file", t->kg_file, 2 + 2 * IPMI_KG_MAX,
	    SEC_BYTES, &raw) != 0)
		return -1;
	if (raw.len >= 2 && raw.p[0] == '0' &&
	    (raw.p[1] == 'x' || raw.p[1] == 'X')) {
		n = (raw.len - 2) / 2;
		ok = (raw.len - 2) % 2 == 0 && n > 0 && n <= IPMI_KG_MAX;
		for (i = 0; ok && i < n; i++) {
			hi = hexval(raw.p[2 + 2 * i]);
			lo = hexval(raw.p[3 + 2 * i]);
			if ((ok = hi >= 0 && lo >= 0))
				key[i] = (uint8_t)(hi << 4 | lo);
		}
	} else {
		n = raw.len;
		ok = n <= IPMI_KG_MAX;
		if (ok)
			memcpy(key, raw.p, n);
	}
	secret_free(&raw);
	if (!ok) {
		explicit_bzero(key, sizeof(key));
		return cp_err_at(cp, loc, "kg-file: %s: not a key of at most "
		    "%d bytes (text, or 0x and up to %d hex digits)",
		    desc_str(t->kg_file, d), IPMI_KG_MAX, 2 * IPMI_KG_MAX);
	}
	secret_free(&t->kg);
	t->kg.p = xmalloc(n + 1);
	memcpy(t->kg.p, key, n);
	t->kg.p[n] = '\0';
	t->kg.len = n;
	explicit_bzero(key, sizeof(key));
	return 0;
}

/* loaded once per path, shared by the targets naming it */
static int
cp_severity(struct cp *cp, struct conf_target *t, const struct conf_loc *loc)
{
	struct conf *c = cp->c;
	struct severity *s;
	struct stat st;
	char e[CONF_ERR_MAX], d[DESC_MAX];
	size_t i;

	for (i = 0; i < c->nsevs; i++)
		if (strcmp(c->sevpaths[i], t->severity_file) == 0) {
			t->severity = c->sevs[i];
			return 0;
		}
	desc_str(t->severity_file, d);
	if (stat(t->severity_file, &st) != 0)
		return cp_err_at(cp, loc, "severity-file: %s: %s", d,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cp_err_at(cp, loc, "severity-file: %s: not a regular "
		    "file", d);
	s = severity_new();
	if (severity_load(s, t->severity_file, e, sizeof(e)) != 0) {
		severity_free(s);
		/* the severity file's own FILE:LINE first */
		(void)snprintf(cp->err, cp->errlen, "%s (severity-file of "
		    "target \"%s\", %s:%u)", e, t->name, loc->file, loc->line);
		return -1;
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	c->sevs = xreallocarray(c->sevs, c->nsevs + 1, sizeof(*c->sevs));
	c->sevpaths = xreallocarray(c->sevpaths, c->nsevs + 1,
	    sizeof(*c->sevpaths));
	c->sevs[c->nsevs] = s;
	c->sevpaths[c->nsevs] = xstrdup(t->severity_file);
	c->nsevs++;
	t->severity = s;
	return 0;
}

static int
cp_regular(struct cp *cp, const struct conf_loc *loc, const char *kwname,
    const char *path, int exec)
{
	struct stat st;
	char d[DESC_MAX];

	desc_str(path, d);
	if (stat(path, &st) != 0)
		return cp_err_at(cp, loc, "%s: %s: %s", kwname, d,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cp_err_at(cp, loc, "%s: %s: not a regular file", kwname,
		    d);
	if (exec && access(path, X_OK) != 0)
		return cp_err_at(cp, loc, "%s: %s: not executable", kwname, d);
	return 0;
}

static int
cp_target_files(struct cp *cp, struct conf_target *t,
    const struct kwstate *st)
{
	size_t max, i;

	if (t->password_file != NULL && t->iface != CONF_IFACE_OPEN) {
		/* IPMI 1.5 keys 16 bytes, RMCP+ 20 (transport.h) */
		max = t->iface == CONF_IFACE_LAN ? 16 :
		    t->iface == CONF_IFACE_LANPLUS ? IPMI_PASSWORD_MAX :
		    REDFISH_PW_MAX;
		if (cp_secret(cp, &st->loc[ki(&ctx_target, "password-file")],
		    "password-file", t->password_file, max,
		    t->iface == CONF_IFACE_REDFISH ? SEC_TEXT : SEC_BYTES,
		    &t->password) != 0)
			return -1;
	}
	if (t->kg_file != NULL && t->iface == CONF_IFACE_LANPLUS &&
	    cp_kg(cp, &st->loc[ki(&ctx_target, "kg-file")], t) != 0)
		return -1;
	if (t->severity_file != NULL && cp_severity(cp, t,
	    &st->loc[ki(&ctx_target, "severity-file")]) != 0)
		return -1;
	if (t->ca_file != NULL && t->iface == CONF_IFACE_REDFISH &&
	    cp_regular(cp, &st->loc[ki(&ctx_target, "ca-file")], "ca-file",
	    t->ca_file, 0) != 0)
		return -1;
	for (i = 0; i < t->watchdog.nchecks; i++)
		if (t->watchdog.checks[i].kind == CONF_CHECK_COMMAND &&
		    cp_regular(cp, &t->watchdog.checks[i].loc,
		    "check-command", t->watchdog.checks[i].path, 1) != 0)
			return -1;
	return 0;
}

static int
cp_hook_files(struct cp *cp, struct conf_webhook *h, const struct kwstate *hs)
{
	if (h->bearer_token_file != NULL && cp_secret(cp,
	    &hs->loc[ki(&ctx_webhook, "bearer-token-file")],
	    "bearer-token-file", h->bearer_token_file, CONF_SECRET_FILE_MAX,
	    SEC_TOKEN, &h->bearer_token) != 0)
		return -1;
	if (h->basic_auth_file != NULL && cp_secret(cp,
	    &hs->loc[ki(&ctx_webhook, "basic-auth-file")], "basic-auth-file",
	    h->basic_auth_file, 512, SEC_USERPASS, &h->basic_auth) != 0)
		return -1;
	if (h->hmac_secret_file != NULL) {
		const struct conf_loc *l =
		    &hs->loc[ki(&ctx_webhook, "hmac-secret-file")];
		char d[DESC_MAX];

		if (cp_secret(cp, l, "hmac-secret-file", h->hmac_secret_file,
		    1024, SEC_BYTES, &h->hmac_secret) != 0)
			return -1;
		if (h->hmac_secret.len < HMAC_MIN)
			return cp_err_at(cp, l, "hmac-secret-file: %s: shorter "
			    "than %d bytes", desc_str(h->hmac_secret_file, d),
			    HMAC_MIN);
	}
	if (h->ca_file != NULL && cp_regular(cp,
	    &hs->loc[ki(&ctx_webhook, "ca-file")], "ca-file", h->ca_file,
	    0) != 0)
		return -1;
	return 0;
}

/* getpwnam_r/getgrnam_r with a buffer grown until it fits */
static int
cp_lookup(const char *name, int group, uid_t *uid, gid_t *gid, int *err)
{
	struct passwd pw, *pr = NULL;
	struct group gr, *gp = NULL;
	size_t cap = 1024;
	char *buf;
	int r;

	for (;;) {
		buf = xmalloc(cap);
		if (group)
			r = getgrnam_r(name, &gr, buf, cap, &gp);
		else
			r = getpwnam_r(name, &pw, buf, cap, &pr);
		if (r != ERANGE || cap >= 1024 * 1024)
			break;
		free(buf);
		cap *= 4;
	}
	free(buf);
	*err = r;
	if (group) {
		if (gp == NULL)
			return -1;
		*gid = gr.gr_gid;
	} else {
		if (pr == NULL)
			return -1;
		*uid = pw.pw_uid;
		*gid = pw.pw_gid;
	}
	return 0;
}

static int
cp_accounts(struct cp *cp)
{
	struct conf *c = cp->c;
	size_t ku = ki(&ctx_global, "user"), kg = ki(&ctx_global, "group"),
	    ks = ki(&ctx_global, "socket-group");
	uid_t uid;
	gid_t gid;
	int e;

	if (cp_lookup(c->user, 0, &uid, &gid, &e) != 0) {
		if (cp->gst.set & BIT(ku))
			return cp_err_at(cp, &cp->gst.loc[ku], "user: \"%s\": "
			    "%s", c->user, e ? strerror(e) : "no such user");
		return cp_err(cp, 0, "user \"%s\" (the default): %s: create "
		    "it, or set user", c->user, e ? strerror(e) :
		    "no such user");
	}
	c->uid = uid;
	c->gid = gid;
	if (c->group != NULL) {
		if (cp_lookup(c->group, 1, &uid, &gid, &e) != 0)
			return cp_err_at(cp, &cp->gst.loc[kg], "group: \"%s\": "
			    "%s", c->group, e ? strerror(e) : "no such group");
		c->gid = gid;
	}
	c->socket_gid = c->gid;
	if (c->socket_group != NULL) {
		if (cp_lookup(c->socket_group, 1, &uid, &gid, &e) != 0)
			return cp_err_at(cp, &cp->gst.loc[ks], "socket-group: "
			    "\"%s\": %s", c->socket_group, e ? strerror(e) :
			    "no such group");
		c->socket_gid = gid;
	}
	return 0;
}

static int
cp_files(struct cp *cp)
{
	struct conf *c = cp->c;
	size_t i;

	if (cp_accounts(cp) != 0)
		return -1;
	for (i = 0; i < c->ntargets; i++)
		if (cp_target_files(cp, &c->targets[i], &cp->tst[i]) != 0)
			return -1;
	for (i = 0; i < c->nwebhooks; i++)
		if (cp_hook_files(cp, &c->webhooks[i], &cp->wst[i]) != 0)
			return -1;
	return 0;
}

/* ---- API ---- */

int
conf_parse_buf(const char *name, const char *buf, size_t len,
    unsigned flags, struct conf **out, char *err, size_t errlen)
{
	struct cp cp;
	int rc;

	memset(&cp, 0, sizeof(cp));
	cp.c = conf_new();
	cp.c->path = xstrdup(name);
	cp.flags = flags;
	cp.err = err;
	cp.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	tgt_init(&cp.def);
	rc = cp_file(&cp, name, buf, len);
	cp.file = cp.c->nfiles > 0 ? cp.c->files[0] : name;
	if (rc == 0 && (flags & CONF_LOAD_FILES))
		rc = cp_files(&cp);
	tgt_free(&cp.def);
	free(cp.tst);
	free(cp.wst);
	if (rc != 0) {
		conf_free(cp.c);
		return -1;
	}
	*out = cp.c;
	return 0;
}

int
conf_load(const char *path, struct conf **out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (conf_read(path, &buf, &len, err, errlen) != 0)
		return -1;
	rc = conf_parse_buf(path, buf, len, CONF_LOAD_FILES, out, err,
	    errlen);
	free(buf);
	return rc;
}

const struct conf_target *
conf_target_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

int
conf_target_equal(const struct conf_target *a, const struct conf_target *b)
{
	size_t k;

	if (strcmp(a->name, b->name) != 0 || a->iface != b->iface ||
	    !str_equal(a->hostname, b->hostname) || a->https != b->https ||
	    a->port != b->port || !secret_equal(&a->password, &b->password) ||
	    !secret_equal(&a->kg, &b->kg))
		return 0;
	for (k = 0; k < ctx_target.n; k++)
		if (!fld_equal(&ctx_target.kws[k], a, b))
			return 0;
	return 1;
}

int
conf_webhook_equal(const struct conf_webhook *a, const struct conf_webhook *b)
{
	size_t k;

	if (strcmp(a->name, b->name) != 0 || a->https != b->https ||
	    !secret_equal(&a->bearer_token, &b->bearer_token) ||
	    !secret_equal(&a->basic_auth, &b->basic_auth) ||
	    !secret_equal(&a->hmac_secret, &b->hmac_secret))
		return 0;
	for (k = 0; k < ctx_webhook.n; k++)
		if (!fld_equal(&ctx_webhook.kws[k], a, b))
			return 0;
	return 1;
}

int
conf_target_trcfg(const struct conf_target *t, struct ipmi_tr_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	switch (t->iface) {
	case CONF_IFACE_OPEN:
		cfg->iface = IPMI_IFACE_OPEN;
		if (t->device != NULL)
			(void)snprintf(cfg->device, sizeof(cfg->device), "%s",
			    t->device);
		break;
	case CONF_IFACE_LAN:
	case CONF_IFACE_LANPLUS:
		cfg->iface = t->iface == CONF_IFACE_LAN ? IPMI_IFACE_LAN :
		    IPMI_IFACE_LANPLUS;
		(void)snprintf(cfg->host, sizeof(cfg->host), "%s",
		    t->hostname != NULL ? t->hostname : "");
		cfg->port = (uint16_t)t->port;
		(void)snprintf(cfg->user, sizeof(cfg->user), "%s",
		    t->username != NULL ? t->username : "");
		if (t->password.p != NULL &&
		    t->password.len <= sizeof(cfg->password)) {
			memcpy(cfg->password, t->password.p, t->password.len);
			cfg->pwlen = (uint8_t)t->password.len;
		}
		if (t->kg.p != NULL && t->kg.len <= sizeof(cfg->kg)) {
			memcpy(cfg->kg, t->kg.p, t->kg.len);
			cfg->kglen = (uint8_t)t->kg.len;
		}
		cfg->cipher = t->cipher;
		cfg->priv = (uint8_t)t->priv;
		cfg->authtype = t->iface == CONF_IFACE_LAN ? t->authtype : -1;
		cfg->keepalive_ms = t->keepalive_s * 1000;
		cfg->allow_none = (unsigned)t->allow_none;
		cfg->workarounds = t->workarounds;
		break;
	default:
		return -1;
	}
	cfg->retries = t->retries;
	cfg->max_outstanding = t->max_outstanding;
	cfg->timeout_ms = t->timeout_ms / (t->retries + 1);
	return 0;
}

const char *
conf_iface_name(enum conf_iface i)
{
	return enum_name(en_iface, (int)i);
}

const char *
conf_level_name(enum conf_level l)
{
	return enum_name(en_level, (int)l);
}
