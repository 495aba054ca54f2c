/*
 * The control socket (see ctl.h): request parser, answers from the
 * store, and the non-blocking server.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_chassis.h"
#include "conf.h"
#include "ctl.h"
#include "jsonw.h"
#include "log.h"
#include "shape.h"
#include "shape_sel.h"
#include "snmp/mibrows.h"
#include "store/store.h"
#include "xmem.h"

/* ---- the request parser ----------------------------------------------- */

#define CTL_WORDS_MAX	16

struct ctl_word {
	const char	*p;
	size_t		 len;
};

static int
ctl_weq(const struct ctl_word *w, const char *s)
{
	return strlen(s) == w->len && memcmp(w->p, s, w->len) == 0;
}

/* a decimal (or 0x hex with hex) number in [min, max] */
static int
ctl_wnum(const struct ctl_word *w, int hex, unsigned long min,
    unsigned long max, unsigned long *v)
{
	unsigned long n = 0;
	size_t i = 0;
	int base = 10, d;

	if (hex && w->len > 2 && w->p[0] == '0' &&
	    (w->p[1] == 'x' || w->p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= w->len || w->len - i > 10)
		return -1;
	for (; i < w->len; i++) {
		char c = w->p[i];

		d = c >= '0' && c <= '9' ? c - '0' : base == 16 && c >= 'a' &&
		    c <= 'f' ? c - 'a' + 10 : base == 16 && c >= 'A' &&
		    c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		n = n * (unsigned long)base + (unsigned long)d;
	}
	if (n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int
ctl_name_ok(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || len > CTL_NAME_MAX || p[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return 0;
	}
	return 1;
}

/* a word for a message: printable, cut */
static void
ctl_wtext(const struct ctl_word *w, char *out, size_t len)
{
	size_t i, n = w->len < 40 ? w->len : 40;

	for (i = 0; i < n && i + 1 < len; i++)
		out[i] = w->p[i] >= 0x20 && w->p[i] < 0x7f ? w->p[i] : '?';
	out[i] = '\0';
}

static int
ctl_bool(const struct ctl_word *v, int *out)
{
	if (ctl_weq(v, "1") || ctl_weq(v, "yes")) {
		*out = 1;
		return 0;
	}
	if (ctl_weq(v, "0") || ctl_weq(v, "no")) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* key=value; 0 or -1 with err */
static int
ctl_key(const struct ctl_word *w, struct ctl_req *r, unsigned *seen,
    char *err, size_t errlen)
{
	static const char *const keys[] = { "target", "format", "verbose",
	    "last", "open" };
	const char *eq = memchr(w->p, '=', w->len);
	struct ctl_word k, v;
	char kt[48], vt[48];
	unsigned long n;
	size_t i;

	k.p = w->p;
	k.len = (size_t)(eq - w->p);
	v.p = eq + 1;
	v.len = w->len - k.len - 1;
	ctl_wtext(&k, kt, sizeof(kt));
	ctl_wtext(&v, vt, sizeof(vt));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ctl_weq(&k, keys[i]))
			break;
	if (i == sizeof(keys) / sizeof(keys[0])) {
		(void)snprintf(err, errlen, "unknown key '%s' (target, format, "
		    "verbose, last, open)", kt);
		return -1;
	}
	if (*seen & (1u << i)) {
		(void)snprintf(err, errlen, "%s given twice", keys[i]);
		return -1;
	}
	*seen |= 1u << i;
	switch (i) {
	case 0:
		if (!ctl_name_ok(v.p, v.len)) {
			(void)snprintf(err, errlen, "bad target name '%s' (1-%d "
			    "of A-Z a-z 0-9 . _ -, no leading dot)", vt,
			    CTL_NAME_MAX);
			return -1;
		}
		memcpy(r->target, v.p, v.len);
		r->target[v.len] = '\0';
		return 0;
	case 1:
		if (ctl_weq(&v, "json"))
			r->json = 1;
		else if (ctl_weq(&v, "text"))
			r->json = 0;
		else {
			(void)snprintf(err, errlen, "bad format '%s' (json, "
			    "text)", vt);
			return -1;
		}
		return 0;
	case 2:
		if (ctl_bool(&v, &r->verbose) != 0) {
			(void)snprintf(err, errlen, "bad verbose '%s' (0, 1)",
			    vt);
			return -1;
		}
		return 0;
	case 3:
		if (r->verb != CTL_SEL_LIST) {
			(void)snprintf(err, errlen, "last= is for sel list");
			return -1;
		}
		if (ctl_wnum(&v, 0, 1, 65536, &n) != 0) {
			(void)snprintf(err, errlen, "bad last '%s' (1-65536)",
			    vt);
			return -1;
		}
		r->last = (unsigned)n;
		return 0;
	default:
		if (r->verb != CTL_SEL_LIST) {
			(void)snprintf(err, errlen, "open= is for sel list");
			return -1;
		}
		if (ctl_bool(&v, &r->open_only) != 0) {
			(void)snprintf(err, errlen, "bad open '%s' (0, 1)", vt);
			return -1;
		}
		return 0;
	}
}

static int	ctl_verb_sol(const struct ctl_word *, size_t, struct ctl_req *,
		    char *, size_t);

/* the verb and its positional words; returns how many words it took,
 * or -1 with err */
static int
ctl_verb(const struct ctl_word *w, size_t n, struct ctl_req *r, char *err,
    size_t errlen)
{
	char t[48];
	unsigned long v;
	int c;

	ctl_wtext(&w[0], t, sizeof(t));
	if (ctl_weq(&w[0], "sol"))
		return ctl_verb_sol(w, n, r, err, errlen);
	if (ctl_weq(&w[0], "sensors")) {
		r->verb = CTL_SENSORS;
		return 1;
	}
	if (ctl_weq(&w[0], "info")) {
		r->verb = CTL_INFO;
		return 1;
	}
	if (ctl_weq(&w[0], "targets")) {
		r->verb = CTL_TARGETS;
		return 1;
	}
	if (ctl_weq(&w[0], "watch")) {
		r->verb = CTL_WATCH;
		if (n >= 2 && ctl_weq(&w[1], "pet")) {
			r->watch_pet = 1;
			return 2;
		}
		return 1;
	}
	if (ctl_weq(&w[0], "watchdog")) {
		if (n >= 2 && ctl_weq(&w[1], "get")) {
			r->verb = CTL_WATCHDOG_GET;
			return 2;
		}
		(void)snprintf(err, errlen, "watchdog: only 'watchdog get' "
		    "is answered by the daemon");
		return -1;
	}
	if (ctl_weq(&w[0], "sel")) {
		if (n >= 2 && ctl_weq(&w[1], "info")) {
			r->verb = CTL_SEL_INFO;
			return 2;
		}
		if (n >= 2 && ctl_weq(&w[1], "list")) {
			r->verb = CTL_SEL_LIST;
			return 2;
		}
		if (n >= 2 && ctl_weq(&w[1], "clear")) {
			r->verb = CTL_SEL_CLEAR;
			return 2;
		}
		if (n >= 2 && ctl_weq(&w[1], "ack")) {
			r->verb = CTL_SEL_ACK;
			if (n < 3 || memchr(w[2].p, '=', w[2].len) != NULL ||
			    ctl_wnum(&w[2], 1, 1, 0xfffe, &v) != 0) {
				(void)snprintf(err, errlen, "sel ack: needs a "
				    "record ID (1-65534, decimal or 0x hex)");
				return -1;
			}
			r->sel_id = (uint16_t)v;
			return 3;
		}
		(void)snprintf(err, errlen, "sel: info, list, clear or ack ID");
		return -1;
	}
	if (ctl_weq(&w[0], "chassis")) {
		if (n >= 2 && ctl_weq(&w[1], "status")) {
			r->verb = CTL_CHASSIS_STATUS;
			return 2;
		}
		if (n >= 2 && ctl_weq(&w[1], "power")) {
			char a[16];

			r->verb = CTL_CHASSIS_POWER;
			if (n < 3 || w[2].len >= sizeof(a)) {
				(void)snprintf(err, errlen, "chassis power: on, "
				    "off, soft, cycle, reset or diag");
				return -1;
			}
			memcpy(a, w[2].p, w[2].len);
			a[w[2].len] = '\0';
			if ((c = chassis_control_parse(a)) < 0) {
				ctl_wtext(&w[2], t, sizeof(t));
				(void)snprintf(err, errlen, "chassis power: "
				    "unknown action '%s' (on, off, soft, "
				    "cycle, reset, diag)", t);
				return -1;
			}
			r->power = (uint8_t)c;
			return 3;
		}
		if (n >= 2 && ctl_weq(&w[1], "identify")) {
			r->verb = CTL_CHASSIS_IDENTIFY;
			r->identify_s = -1;
			if (n < 3 || memchr(w[2].p, '=', w[2].len) != NULL)
				return 2;
			if (ctl_weq(&w[2], "force")) {
				r->identify_force = 1;
				r->identify_s = 0;
			} else if (ctl_weq(&w[2], "off"))
				r->identify_s = 0;
			else if (ctl_wnum(&w[2], 0, 0, 255, &v) == 0)
				r->identify_s = (int)v;
			else {
				ctl_wtext(&w[2], t, sizeof(t));
				(void)snprintf(err, errlen, "chassis identify: "
				    "bad interval '%s' (0-255 seconds, force "
				    "or off)", t);
				return -1;
			}
			return 3;
		}
		(void)snprintf(err, errlen, "chassis: status, power ACTION or "
		    "identify [S|force|off]");
		return -1;
	}
	(void)snprintf(err, errlen, "unknown request '%s' (sensors, info, "
	    "targets, chassis, watchdog, sel, sol)", t);
	return -1;
}

int
ctl_parse(const char *line, size_t len, struct ctl_req *r, char *err,
    size_t errlen)
{
	struct ctl_word w[CTL_WORDS_MAX];
	size_t n = 0, i = 0, k;
	unsigned seen = 0;
	int used;

	memset(r, 0, sizeof(*r));
	r->identify_s = -1;
	if (len > CTL_LINE_MAX) {
		(void)snprintf(err, errlen, "request longer than %d bytes",
		    CTL_LINE_MAX);
		return -1;
	}
	/* a trailing CR (telnet, nc -C) is not part of the request */
	if (len > 0 && line[len - 1] == '\r')
		len--;
	while (i < len) {
		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		if (n == CTL_WORDS_MAX) {
			(void)snprintf(err, errlen, "more than %d words",
			    CTL_WORDS_MAX);
			return -1;
		}
		w[n].p = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			if ((unsigned char)line[i] < 0x20 ||
			    (unsigned char)line[i] >= 0x7f) {
				(void)snprintf(err, errlen, "byte 0x%02x at "
				    "offset %zu: requests are printable ASCII",
				    (unsigned char)line[i], i);
				return -1;
			}
			i++;
		}
		w[n].len = (size_t)(line + i - w[n].p);
		n++;
	}
	if (n == 0) {
		(void)snprintf(err, errlen, "empty request");
		return -1;
	}
	if (memchr(w[0].p, '=', w[0].len) != NULL) {
		(void)snprintf(err, errlen, "a request starts with its verb");
		return -1;
	}
	if ((used = ctl_verb(w, n, r, err, errlen)) < 0)
		return -1;
	for (k = (size_t)used; k < n; k++) {
		if (memchr(w[k].p, '=', w[k].len) == NULL) {
			char t[48];

			ctl_wtext(&w[k], t, sizeof(t));
			(void)snprintf(err, errlen, "%s: unexpected word '%s'",
			    ctl_verb_name(r->verb), t);
			return -1;
		}
		if (ctl_key(&w[k], r, &seen, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
ctl_is_action(const struct ctl_req *r)
{
	return r->verb >= CTL_CHASSIS_POWER && r->verb <= CTL_SEL_ACK;
}

unsigned
ctl_allow_bit(const struct ctl_req *r)
{
	switch (r->verb) {
	case CTL_CHASSIS_POWER:
		return CONF_ALLOW_POWER;
	case CTL_CHASSIS_IDENTIFY:
		return CONF_ALLOW_IDENTIFY;
	case CTL_SEL_CLEAR:
		return CONF_ALLOW_SEL_CLEAR;
	case CTL_SEL_ACK:
		return CONF_ALLOW_SEL_ACK;
	default:
		return 0;
	}
}

const char *
ctl_verb_name(enum ctl_verb v)
{
	static const char *const names[] = {
		[CTL_SENSORS] = "sensors",
		[CTL_INFO] = "info",
		[CTL_TARGETS] = "targets",
		[CTL_CHASSIS_STATUS] = "chassis status",
		[CTL_WATCHDOG_GET] = "watchdog get",
		[CTL_SEL_INFO] = "sel info",
		[CTL_SEL_LIST] = "sel list",
		[CTL_WATCH] = "watch",
		[CTL_CHASSIS_POWER] = "chassis power",
		[CTL_CHASSIS_IDENTIFY] = "chassis identify",
		[CTL_SEL_CLEAR] = "sel clear",
		[CTL_SEL_ACK] = "sel ack",
		[CTL_SOL] = "sol",
	};

	if ((size_t)v < sizeof(names) / sizeof(names[0]) && names[v])
		return names[v];
	return "?";
}

/* ---- frames ----------------------------------------------------------- */

size_t
ctl_frame(char *buf, size_t cap, int code, const char *p, size_t len)
{
	int h;

	if (code == 0)
		h = snprintf(buf, cap, "ok %zu\n", len);
	else
		h = snprintf(buf, cap, "err %d %zu\n", code, len);
	if (h < 0 || (size_t)h >= cap || cap - (size_t)h < len)
		return 0;
	memcpy(buf + h, p, len);
	return (size_t)h + len;
}

/* ---- answers from the store ------------------------------------------- */

struct ctl_out {
	FILE		*f;
	char		*buf;
	size_t		 len;
	struct jsonw	 j;
};

static void
ctl_out_open(struct ctl_out *o)
{
	o->buf = NULL;
	o->len = 0;
	if ((o->f = open_memstream(&o->buf, &o->len)) == NULL)
		fatal("ctl", "open_memstream");
	/* this thread's own stream: no lock per putc (bench-profile.sh) */
	(void)__fsetlocking(o->f, FSETLOCKING_BYCALLER);
	jsonw_init(&o->j, o->f);
}

static void
ctl_out_close(struct ctl_out *o, char **out, size_t *len)
{
	if (fclose(o->f) != 0)
		fatal("ctl", "answer");
	*out = o->buf;
	*len = o->len;
}

/* an error message as the answer */
static int
ctl_err(char **out, size_t *len, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
ctl_err(char **out, size_t *len, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	*out = xmalloc((size_t)n + 1);
	memcpy(*out, msg, (size_t)n + 1);
	*len = (size_t)n;
	return code;
}

static void
ctl_iso(int64_t wall_ms, char *out, size_t len)
{
	struct tm tm;
	time_t t = (time_t)(wall_ms / 1000);

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "%lld", (long long)(wall_ms / 1000));
}

/* the names of all targets, for "no target X (a, b)" */
static void
ctl_names(const struct store *s, char *out, size_t len)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < store_ntargets(s) && off + 1 < len; i++) {
		int n = snprintf(out + off, len - off, "%s%s", i ? ", " : "",
		    store_target_at(s, i)->name);

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

/* the target a request names, or the only one */
static int
ctl_find(struct store *s, const struct ctl_req *r,
    const struct store_target **t, char **out, size_t *len)
{
	char names[512];

	*t = NULL;	/* and never NULL when 0 is returned */
	ctl_names(s, names, sizeof(names));
	if (r->target[0] != '\0') {
		if ((*t = store_target_find(s, r->target)) != NULL)
			return 0;
		(void)ctl_err(out, len, CTL_EUSAGE, "no target '%s' (%s)",
		    r->target, names);
		return CTL_EUSAGE;
	}
	if (store_ntargets(s) == 1 && (*t = store_target_at(s, 0)) != NULL)
		return 0;
	/* the codes returned here, not ctl_err's: clang's analyzer does
	 * not follow a variadic call, and its callers rely on t */
	if (store_ntargets(s) == 0) {
		(void)ctl_err(out, len, CTL_EUNAVAIL, "no targets configured");
		return CTL_EUNAVAIL;
	}
	(void)ctl_err(out, len, CTL_EUSAGE, "%s: several targets: name one "
	    "with --target (%s)", ctl_verb_name(r->verb), names);
	return CTL_EUSAGE;
}

/* "not read yet": why, from the health */
static int
ctl_not_read(const struct store_target *t, const char *what, char **out,
    size_t *len)
{
	const struct store_health *h = &t->health;

	return ctl_err(out, len, CTL_EUNAVAIL, "%s: %s not read yet (%s%s%s)",
	    t->name, what, store_state_name(h->state),
	    h->last_error[0] ? ": " : "", h->last_error);
}

/* the members every item answer ends with */
static void
ctl_tail(struct jsonw *j, const struct store_target *t,
    const struct store_stamp *st, unsigned interval_s, uint64_t now)
{
	jsonw_str(j, "target", t->name);
	jsonw_num(j, "age_s", store_age_ms(st, now) / 1000.0, 1);
	jsonw_bool(j, "stale", store_stale(st, interval_s, now));
}

static void
ctl_text_tail(FILE *f, const struct store_target *t,
    const struct store_stamp *st, unsigned interval_s, uint64_t now)
{
	if (store_stale(st, interval_s, now))
		fprintf(f, "# %s: stale: read %.1f s ago (every %u s); "
		    "%s%s%s\n", t->name, store_age_ms(st, now) / 1000.0,
		    interval_s, store_state_name(t->health.state),
		    t->health.last_error[0] ? ": " : "",
		    t->health.last_error);
}

/* the console (sol block) of a target in `targets' (bmcwConsoleTable) */
static void
ctl_console_json(struct jsonw *j, const struct store_target *t, uint64_t now)
{
	const struct store_console *c = &t->console;
	char tm[40];

	if (!c->enabled) {
		jsonw_null(j, "console");
		return;
	}
	jsonw_obj_begin(j, "console");
	jsonw_bool(j, "logging", c->logging);
	jsonw_bool(j, "input", c->input);
	jsonw_bool(j, "connected", c->connected);
	jsonw_str(j, "state", c->state);
	if (c->conn_t.when.mono_ms != 0) {
		ctl_iso(c->conn_t.when.wall_ms, tm, sizeof(tm));
		jsonw_str(j, "last_change", tm);
	} else
		jsonw_null(j, "last_change");
	jsonw_int(j, "connects", (long long)c->connects);
	jsonw_int(j, "bytes", (long long)c->bytes);
	jsonw_int(j, "clients", (long long)c->clients);
	jsonw_int(j, "events", (long long)c->events);
	jsonw_int(j, "events_suppressed", (long long)c->events_suppressed);
	if (c->event_t.when.mono_ms != 0) {
		ctl_iso(c->event_t.when.wall_ms, tm, sizeof(tm));
		jsonw_str(j, "last_event", tm);
		jsonw_str(j, "last_event_rule", c->event_rule);
		jsonw_str(j, "last_event_text", c->event_text);
		/* for check_bmc_console: how long ago */
		jsonw_num(j, "last_event_age_s", store_age_ms(&c->event_t,
		    now) / 1000.0, 1);
	} else {
		jsonw_null(j, "last_event");
		jsonw_null(j, "last_event_age_s");
		jsonw_null(j, "last_event_rule");
		jsonw_null(j, "last_event_text");
	}
	jsonw_int(j, "gaps", (long long)c->gaps);
	jsonw_int(j, "log_waiting", (long long)c->log_waiting);
	jsonw_bool(j, "log_failing", c->log_failing);
	if (c->log_error[0] != '\0')
		jsonw_str(j, "log_error", c->log_error);
	else
		jsonw_null(j, "log_error");
	jsonw_obj_end(j);
}

static void
ctl_health_json(struct jsonw *j, const struct store_target *t, uint64_t now)
{
	const struct store_health *h = &t->health;
	char tm[40];

	jsonw_obj_begin(j, NULL);
	jsonw_str(j, "name", t->name);
	jsonw_str(j, "interface", t->iface);
	jsonw_str(j, "peer", h->peer[0] ? h->peer : NULL);
	jsonw_str(j, "state", store_state_name(h->state));
	jsonw_bool(j, "reachable", h->state == STORE_T_UP);
	if (h->last_success.when.mono_ms != 0) {
		ctl_iso(h->last_success.when.wall_ms, tm, sizeof(tm));
		jsonw_str(j, "last_success", tm);
		jsonw_num(j, "last_success_age_s",
		    store_age_ms(&h->last_success, now) / 1000.0, 1);
	} else {
		jsonw_null(j, "last_success");
		jsonw_null(j, "last_success_age_s");
	}
	jsonw_int(j, "consecutive_errors", h->consecutive_errors);
	jsonw_str(j, "last_error", h->last_error[0] ? h->last_error : NULL);
	if (h->unreachable_since_mono != 0 && now >= h->unreachable_since_mono)
		jsonw_num(j, "unreachable_for_s",
		    (now - h->unreachable_since_mono) / 1000.0, 1);
	else
		jsonw_null(j, "unreachable_for_s");
	jsonw_int(j, "sweep_ms", (long long)h->sweep_ms);
	jsonw_int(j, "sweeps", (long long)h->sweeps);
	jsonw_int(j, "sel_passes", (long long)h->sel_passes);
	jsonw_int(j, "chassis_polls", (long long)h->chassis_polls);
	jsonw_int(j, "skipped", (long long)h->skipped);
	jsonw_int(j, "probes", (long long)h->probes);
	jsonw_bool(j, "stuck", h->stuck);
	jsonw_obj_begin(j, "counters");
	jsonw_int(j, "requests", (long long)h->tr.requests);
	jsonw_int(j, "packets_out", (long long)h->tr.packets_out);
	jsonw_int(j, "packets_in", (long long)h->tr.packets_in);
	jsonw_int(j, "retransmits", (long long)h->tr.retransmits);
	jsonw_int(j, "sessions", (long long)h->tr.sessions);
	jsonw_int(j, "dropped", (long long)h->tr.dropped);
	jsonw_int(j, "events", (long long)h->tr.events);
	jsonw_int(j, "inflight_max", (long long)h->tr.inflight_max);
	jsonw_int(j, "reordered", (long long)h->tr.reordered);
	jsonw_int(j, "window_fallbacks", (long long)h->tr.window_fallbacks);
	jsonw_int(j, "window_restores", (long long)h->tr.window_restores);
	jsonw_obj_end(j);
	jsonw_int(j, "sensors", (long long)t->nsensors);
	jsonw_int(j, "sel_open", (long long)t->nopen);
	jsonw_int(j, "sel_archived", (long long)t->sel_archived);
	jsonw_int(j, "sel_clears", (long long)t->sel_clears);
	jsonw_int(j, "sel_clear_failures", (long long)t->sel_clear_failures);
	if (t->hb.enabled) {
		jsonw_obj_begin(j, "heartbeat");
		jsonw_bool(j, "armed", t->hb.armed);
		jsonw_bool(j, "refused", t->hb.refused);
		jsonw_int(j, "kicks", (long long)t->hb.kicks);
		jsonw_int(j, "failures", (long long)t->hb.failures);
		jsonw_int(j, "withheld", (long long)t->hb.withheld);
		jsonw_str(j, "state", t->hb.state);
		if (t->hb.failing[0] != '\0')
			jsonw_str(j, "failing_check", t->hb.failing);
		else
			jsonw_null(j, "failing_check");
		/* for check_bmc_watchdog: the last arm/reset (or its
		 * failure) against the interval */
		jsonw_num(j, "interval_s", t->hb.interval_ms / 1000.0, 1);
		jsonw_num(j, "age_s", store_age_ms(&t->hb.stamp, now) / 1000.0,
		    1);
		jsonw_obj_end(j);
	} else
		jsonw_null(j, "heartbeat");
	ctl_console_json(j, t, now);
	jsonw_obj_end(j);
}

/* the webhook endpoints' queues (agent/daemon/webhook.c) */
static void
ctl_webhooks_json(struct jsonw *j, const struct store *s)
{
	size_t i;

	jsonw_arr_begin(j, "webhooks");
	for (i = 0; i < store_nwebhooks(s); i++) {
		const struct store_webhook *w = store_webhook_at(s, i);

		jsonw_obj_begin(j, NULL);
		jsonw_str(j, "name", w->name);
		jsonw_int(j, "queued", (long long)w->queued);
		jsonw_int(j, "queue_max", (long long)w->queue_max);
		jsonw_int(j, "delivered", (long long)w->delivered);
		jsonw_int(j, "failures", (long long)w->failures);
		jsonw_int(j, "dropped", (long long)w->dropped);
		jsonw_int(j, "attempt", w->attempt);
		jsonw_str(j, "last_error", w->last_error[0] ? w->last_error :
		    NULL);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
}

static int
ctl_targets(struct store *s, const struct ctl_req *r, uint64_t now,
    char **out, size_t *len)
{
	struct ctl_out o;
	size_t i;

	ctl_out_open(&o);
	if (r->json) {
		jsonw_obj_begin(&o.j, NULL);
		jsonw_arr_begin(&o.j, "targets");
		for (i = 0; i < store_ntargets(s); i++) {
			const struct store_target *t = store_target_at(s, i);

			if (r->target[0] && strcmp(t->name, r->target) != 0)
				continue;
			ctl_health_json(&o.j, t, now);
		}
		jsonw_arr_end(&o.j);
		ctl_webhooks_json(&o.j, s);
		jsonw_obj_end(&o.j);
		jsonw_end(&o.j);
	} else {
		for (i = 0; i < store_ntargets(s); i++) {
			const struct store_target *t = store_target_at(s, i);
			const struct store_health *h = &t->health;
			char last[32];

			if (r->target[0] && strcmp(t->name, r->target) != 0)
				continue;
			if (h->last_success.when.mono_ms != 0)
				(void)snprintf(last, sizeof(last), "%.1f s ago",
				    store_age_ms(&h->last_success, now) /
				    1000.0);
			else
				(void)snprintf(last, sizeof(last), "never");
			fprintf(o.f, "%-16s | %-8s | %-11s | last success %s "
			    "| %u errors%s%s\n", t->name, t->iface,
			    store_state_name(h->state), last,
			    h->consecutive_errors, h->last_error[0] ?
			    " | " : "", h->last_error);
		}
		for (i = 0; !r->target[0] && i < store_nwebhooks(s); i++) {
			const struct store_webhook *w = store_webhook_at(s, i);

			fprintf(o.f, "webhook %-8s | queued %llu of %llu | "
			    "delivered %llu | failures %llu | dropped %llu%s%s"
			    "\n", w->name, (unsigned long long)w->queued,
			    (unsigned long long)w->queue_max,
			    (unsigned long long)w->delivered,
			    (unsigned long long)w->failures,
			    (unsigned long long)w->dropped,
			    w->last_error[0] ? " | " : "", w->last_error);
		}
	}
	ctl_out_close(&o, out, len);
	if (r->target[0] && store_target_find(s, r->target) == NULL) {
		free(*out);
		return ctl_find(s, r, &(const struct store_target *){ NULL },
		    out, len);
	}
	return 0;
}

/*
 * The SEL answers: the shapes of `bmcwatch sel info|list` (shape_sel.c)
 * over what the store keeps: the last Get SEL Info (no allocation, no
 * SEL clock: not polled) or a Redfish target's log services, the
 * newest STORE_SEL_RECENT entries with their open and acknowledged
 * flags, and, with open=1, every open problem the
 * store holds (older ones than the ring included).
 */
static int
ctl_sel(const struct store_target *t, const struct ctl_req *r, uint64_t now,
    char **out, size_t *len)
{
	struct sel_rec *rec = NULL;
	struct sel_desc *desc = NULL;
	uint8_t *open = NULL, *acked = NULL;
	struct ctl_out o;
	size_t i, j, n = 0;

	if (!t->have_sel)
		return ctl_not_read(t, "SEL", out, len);
	if (r->verb == CTL_SEL_LIST) {
		n = r->open_only ? t->nopen : t->nrecent;
		rec = xcalloc(n ? n : 1, sizeof(*rec));
		desc = xcalloc(n ? n : 1, sizeof(*desc));
		open = xcalloc(n ? n : 1, 1);
		acked = xcalloc(n ? n : 1, 1);
		for (i = 0; i < n; i++) {
			const struct store_sel_entry *e = r->open_only ?
			    &t->open[i] : store_sel_recent(t, i);

			rec[i] = e->rec;
			desc[i] = e->desc;
			acked[i] = e->acked;
			open[i] = r->open_only;
			for (j = 0; !r->open_only && j < t->nopen; j++)
				if (memcmp(t->open[j].rec.raw, e->rec.raw,
				    SEL_RECORD_LEN) == 0)
					open[i] = 1;
		}
	}
	ctl_out_open(&o);
	if (r->json) {
		jsonw_obj_begin(&o.j, NULL);
		if (r->verb == CTL_SEL_INFO && t->have_rf_sel)
			shape_rf_sel_info(&o.j, &t->rf_sel);
		else if (r->verb == CTL_SEL_INFO)
			shape_sel_info(&o.j, &t->sel_info, NULL, -1);
		else
			shape_sel_entries(&o.j, rec, desc, open, acked, n,
			    r->open_only ? SHAPE_SEL_OPEN_ONLY : 0, r->last);
		ctl_tail(&o.j, t, &t->sel_t, t->sel_interval_s, now);
		jsonw_obj_end(&o.j);
		jsonw_end(&o.j);
	} else {
		if (r->verb == CTL_SEL_INFO && t->have_rf_sel)
			shape_rf_sel_info_text(o.f, &t->rf_sel);
		else if (r->verb == CTL_SEL_INFO)
			shape_sel_info_text(o.f, &t->sel_info, NULL, -1);
		else
			shape_sel_entries_text(o.f, rec, desc, open, acked, n,
			    r->open_only ? SHAPE_SEL_OPEN_ONLY : 0, r->last);
		ctl_text_tail(o.f, t, &t->sel_t, t->sel_interval_s, now);
	}
	ctl_out_close(&o, out, len);
	free(rec);
	free(desc);
	free(open);
	free(acked);
	return 0;
}

int
ctl_answer(struct store *s, const struct ctl_req *r, uint64_t now,
    char **out, size_t *len)
{
	const struct store_target *t = NULL;
	struct ctl_out o;
	size_t i;
	int rc;

	*out = NULL;
	*len = 0;
	if (r->verb == CTL_TARGETS)
		return ctl_targets(s, r, now, out, len);
	if ((rc = ctl_find(s, r, &t, out, len)) != 0)
		return rc;
	switch (r->verb) {
	case CTL_SENSORS:
		if (t->sensors_t.when.mono_ms == 0)
			return ctl_not_read(t, "sensors", out, len);
		ctl_out_open(&o);
		if (r->json) {
			jsonw_obj_begin(&o.j, NULL);
			jsonw_arr_begin(&o.j, "sensors");
			for (i = 0; i < t->nsensors; i++)
				shape_sensor_json(&o.j, &t->sensors[i].it,
				    r->verbose);
			jsonw_arr_end(&o.j);
			ctl_tail(&o.j, t, &t->sensors_t, t->sensor_interval_s,
			    now);
			jsonw_obj_end(&o.j);
			jsonw_end(&o.j);
		} else {
			for (i = 0; i < t->nsensors; i++)
				shape_sensor_text(o.f, &t->sensors[i].it,
				    r->verbose);
			ctl_text_tail(o.f, t, &t->sensors_t,
			    t->sensor_interval_s, now);
		}
		ctl_out_close(&o, out, len);
		return 0;
	case CTL_INFO:
		if (!t->have_ident)
			return ctl_not_read(t, "identity", out, len);
		ctl_out_open(&o);
		if (r->json) {
			jsonw_obj_begin(&o.j, NULL);
			shape_info_json(&o.j, &t->ident);
			/* read at start and after each recovery */
			jsonw_str(&o.j, "target", t->name);
			jsonw_num(&o.j, "age_s", store_age_ms(&t->ident_t,
			    now) / 1000.0, 1);
			jsonw_bool(&o.j, "stale", t->health.state !=
			    STORE_T_UP);
			jsonw_obj_end(&o.j);
			jsonw_end(&o.j);
		} else
			shape_info_text(o.f, &t->ident);
		ctl_out_close(&o, out, len);
		return 0;
	case CTL_CHASSIS_STATUS:
		if (!t->have_chassis)
			return ctl_not_read(t, "chassis status", out, len);
		ctl_out_open(&o);
		if (r->json) {
			jsonw_obj_begin(&o.j, NULL);
			shape_chassis_json(&o.j, &t->chassis, t->chassis_na,
			    t->chassis_health);
			ctl_tail(&o.j, t, &t->chassis_t,
			    t->chassis_interval_s, now);
			jsonw_obj_end(&o.j);
			jsonw_end(&o.j);
		} else {
			shape_chassis_text(o.f, &t->chassis, t->chassis_na,
			    t->chassis_health);
			ctl_text_tail(o.f, t, &t->chassis_t,
			    t->chassis_interval_s, now);
		}
		ctl_out_close(&o, out, len);
		return 0;
	case CTL_WATCHDOG_GET:
		if (!t->have_wdt)
			return ctl_not_read(t, "watchdog", out, len);
		ctl_out_open(&o);
		if (r->json) {
			jsonw_obj_begin(&o.j, NULL);
			shape_wdt_json(&o.j, &t->wdt);
			/* expiries the daemon saw (store_set_wdt), for
			 * check_bmc_watchdog's "none since it started" */
			jsonw_int(&o.j, "expiries",
			    (long long)t->ev_count[STORE_EV_WATCHDOG]);
			if (t->ev_count[STORE_EV_WATCHDOG] > 0) {
				char tm[40];

				ctl_iso(t->ev_wall_ms[STORE_EV_WATCHDOG], tm,
				    sizeof(tm));
				jsonw_str(&o.j, "last_expiry", tm);
			} else
				jsonw_null(&o.j, "last_expiry");
			ctl_tail(&o.j, t, &t->wdt_t, t->chassis_interval_s,
			    now);
			jsonw_obj_end(&o.j);
			jsonw_end(&o.j);
		} else {
			shape_wdt_text(o.f, &t->wdt);
			ctl_text_tail(o.f, t, &t->wdt_t, t->chassis_interval_s,
			    now);
		}
		ctl_out_close(&o, out, len);
		return 0;
	case CTL_SEL_INFO:
	case CTL_SEL_LIST:
		return ctl_sel(t, r, now, out, len);
	default:
		return ctl_err(out, len, CTL_EUSAGE, "%s: an action, not a "
		    "read", ctl_verb_name(r->verb));
	}
}

/* ---- the server ------------------------------------------------------- */

struct ctl_client;

struct ctl_action {
	struct ctl_req	 req;
	struct ctl_client *client;	/* NULL: orphan (client gone) */
};

struct ctl_client {
	struct ctl_client *next;
	struct ctl	*ctl;
	int		 fd;
	struct ev_fd	*w;
	uid_t		 uid;
	gid_t		 gid;
	pid_t		 pid;
	int		 privileged;
	char		 in[CTL_LINE_MAX + 2];
	size_t		 inlen;
	char		*out;
	size_t		 outlen, outoff;
	unsigned	 requests;
	int		 eof;		/* peer closed its side */
	int		 closing;	/* close once the output is gone */
	uint64_t	 last_ms;	/* last request or write progress */
	struct ctl_action *action;	/* in flight */
	struct ctl_watch *watch;	/* a watch stream */
	struct ctl_stream *stream;	/* a stream request took it */
};

struct ctl {
	struct ev	*ev;
	struct store	*store;
	int		 fd;
	struct ev_fd	*w;
	struct ev_timer	*idle;
	char		*path;
	gid_t		 group;
	unsigned	 max_clients;
	ctl_action_fn	*action;
	void		*arg;
	ctl_stream_fn	*stream;
	struct ctl_client *clients;
	size_t		 nclients;
	/* watch streams */
	int		 subscribed;
	struct ev_timer	*wtick;
	uint64_t	 wdropped;
};

static void	ctl_client_io(int, unsigned, void *);
static void	ctl_client_input(struct ctl_client *);
static int	ctl_client_send(struct ctl_client *, int, const char *,
		    size_t);
static void	ctl_client_sync(struct ctl_client *);
static void	ctl_watch_free(struct ctl_watch *);
static int	ctl_watch_start(struct ctl_client *, int);
static void	ctl_watch_pump(struct ctl_client *);
static void	ctl_watch_event(const struct store_event *, void *);
static struct ctl_client *ctl_client_add(struct ctl *, int, uid_t, gid_t,
		    pid_t, int);
static int	ctl_client_live(const struct ctl *, const struct ctl_client *);
static void	ctl_stream_gone(struct ctl_client *);
static int	ctl_stream_request(struct ctl_client *, struct ctl_req *);
static void	ctl_stream_input(struct ctl_client *);

static void
ctl_client_free(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;
	struct ctl_client **pp;

	for (pp = &ctl->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ctl->nclients--;
	if (c->action != NULL)
		c->action->client = NULL;	/* answered into nothing */
	ctl_watch_free(c->watch);
	if (c->stream != NULL)
		ctl_stream_gone(c);
	ev_fd_del(ctl->ev, c->w);
	(void)close(c->fd);
	free(c->out);
	free(c);
}

/* what the fd is watched for now */
static void
ctl_client_sync(struct ctl_client *c)
{
	unsigned ev = 0;

	if (c->outoff < c->outlen)
		ev |= EV_WRITE;
	if (!c->eof && !c->closing && c->action == NULL)
		ev |= EV_READ;
	if (ev == 0 && c->action == NULL) {
		ctl_client_free(c);
		return;
	}
	ev_fd_events(c->ctl->ev, c->w, ev);
}

/* queue an answer; a client that let CTL_OUT_MAX pile up is dropped */
static int
ctl_client_send(struct ctl_client *c, int code, const char *p, size_t len)
{
	size_t need;

	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	need = len + 48;	/* the header: "err 255 " and 20 digits */
	if (c->outlen + need > CTL_OUT_MAX) {
		log_debug("ctl", "client pid %ld does not read: dropped",
		    (long)c->pid);
		return -1;
	}
	c->out = xreallocarray(c->out, c->outlen + need, 1);
	c->outlen += ctl_frame(c->out + c->outlen, need, code, p, len);
	return 0;
}

const struct ctl_req *
ctl_action_req(const struct ctl_action *a)
{
	return &a->req;
}

void
ctl_action_done(struct ctl_action *a, int code, const char *text)
{
	struct ctl_client *c = a->client;
	struct ctl *ctl;

	if (c != NULL) {
		c->action = NULL;
		c->last_ms = ev_now();
		if (ctl_client_send(c, code, text, strlen(text)) != 0) {
			free(a);
			ctl_client_free(c);
			return;
		}
		/* requests that came in behind it */
		ctl = c->ctl;
		ctl_client_input(c);
		if (ctl_client_live(ctl, c))
			ctl_client_sync(c);
	}
	free(a);
}

/* one request; -1 if the client was dropped */
static int
ctl_client_request(struct ctl_client *c, const char *line, size_t len)
{
	struct ctl *ctl = c->ctl;
	struct ctl_action *a;
	struct ctl_req r;
	const struct store_target *t;
	char err[512], *out = NULL;
	size_t olen = 0;
	int code;

	c->requests++;
	c->last_ms = ev_now();
	if (ctl_parse(line, len, &r, err, sizeof(err)) != 0)
		return ctl_client_send(c, CTL_EUSAGE, err, strlen(err));
	if (r.verb == CTL_WATCH)
		return ctl_watch_start(c, r.watch_pet);
	if (r.verb == CTL_SOL)
		return ctl_stream_request(c, &r);
	if (!ctl_is_action(&r)) {
		code = ctl_answer(ctl->store, &r, ev_now(), &out, &olen);
		code = ctl_client_send(c, code, out, olen);
		free(out);
		return code;
	}
	if (r.target[0] == '\0' && store_ntargets(ctl->store) == 1)
		(void)snprintf(r.target, sizeof(r.target), "%s",
		    store_target_at(ctl->store, 0)->name);
	if ((code = ctl_find(ctl->store, &r, &t, &out, &olen)) != 0) {
		code = ctl_client_send(c, code, out, olen);
		free(out);
		return code;
	}
	if (!(t->allow & ctl_allow_bit(&r))) {
		(void)snprintf(err, sizeof(err), "%s: %s: refused: not "
		    "allowed for this target (allow in bmcwatchd.conf)",
		    t->name, ctl_verb_name(r.verb));
		log_target(LOG_NOTICE, t->name, "ctl", "%s by uid %ld: "
		    "refused: not allowed", ctl_verb_name(r.verb),
		    (long)c->uid);
		return ctl_client_send(c, CTL_EREFUSED, err, strlen(err));
	}
	if (!c->privileged) {
		(void)snprintf(err, sizeof(err), "%s: %s: refused: uid %ld is "
		    "neither root nor in the socket's group", t->name,
		    ctl_verb_name(r.verb), (long)c->uid);
		log_target(LOG_NOTICE, t->name, "ctl", "%s by uid %ld: "
		    "refused: not privileged", ctl_verb_name(r.verb),
		    (long)c->uid);
		return ctl_client_send(c, CTL_EREFUSED, err, strlen(err));
	}
	if (ctl->action == NULL)
		return ctl_client_send(c, CTL_EREFUSED, "no actions", 10);
	a = xcalloc(1, sizeof(*a));
	a->req = r;
	a->client = c;
	c->action = a;
	log_target(LOG_INFO, t->name, "ctl", "%s by uid %ld (pid %ld)",
	    ctl_verb_name(r.verb), (long)c->uid, (long)c->pid);
	if ((code = ctl->action(ctl->arg, t->name, a, err,
	    sizeof(err))) != 0) {
		c->action = NULL;
		free(a);
		return ctl_client_send(c, code, err, strlen(err));
	}
	/* answered later (never from inside ctl->action): ctl_action_done */
	return 0;
}

/* c may have been freed: compared, never read */
static int
ctl_client_live(const struct ctl *ctl, const struct ctl_client *c)
{
	const struct ctl_client *x;

	for (x = ctl->clients; x != NULL; x = x->next)
		if (x == c)
			return 1;
	return 0;
}

/* handle the complete lines in the input buffer */
static void
ctl_client_input(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;
	char *nl;
	size_t l;

	if (c->watch != NULL) {		/* a stream reads nothing more */
		c->inlen = 0;
		return;
	}
	while (c->action == NULL && !c->closing && c->stream == NULL &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		l = (size_t)(nl - c->in);
		if (c->requests >= CTL_REQUESTS_MAX) {
			static const char m[] = "too many requests on one "
			    "connection";

			(void)ctl_client_send(c, CTL_EUSAGE, m, sizeof(m) - 1);
			c->closing = 1;
			return;
		}
		if (ctl_client_request(c, c->in, l) != 0) {
			ctl_client_free(c);
			return;
		}
		if (!ctl_client_live(ctl, c))
			return;
		memmove(c->in, nl + 1, c->inlen - l - 1);
		c->inlen -= l + 1;
	}
	if (c->stream != NULL) {
		/* what came behind the request is the stream's */
		ctl_stream_input(c);
		return;
	}
	if (c->action == NULL && !c->closing && c->inlen > CTL_LINE_MAX) {
		char m[64];

		(void)snprintf(m, sizeof(m), "request longer than %d bytes",
		    CTL_LINE_MAX);
		(void)ctl_client_send(c, CTL_EUSAGE, m, strlen(m));
		c->closing = 1;
	}
}

static void
ctl_client_io(int fd, unsigned events, void *arg)
{
	struct ctl_client *c = arg;
	struct ctl *ctl = c->ctl;
	ssize_t n;

	if (events & EV_WRITE) {
		n = write(fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ctl_client_free(c);
			return;
		}
		if (n > 0) {
			c->outoff += (size_t)n;
			c->last_ms = ev_now();
		}
		if (c->outoff == c->outlen) {
			c->outoff = c->outlen = 0;
			if (c->closing) {
				ctl_client_free(c);
				return;
			}
		}
		if (c->watch != NULL)
			ctl_watch_pump(c);
	}
	if ((events & EV_READ) && !c->eof && !c->closing && c->action == NULL) {
		n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		if (n == 0)
			c->eof = 1;
		else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ctl_client_free(c);
			return;
		} else if (n > 0) {
			c->inlen += (size_t)n;
			ctl_client_input(c);
			if (!ctl_client_live(ctl, c))
				return;
		}
	}
	if (c->eof && c->outoff == c->outlen && c->action == NULL) {
		ctl_client_free(c);
		return;
	}
	ctl_client_sync(c);
}

static int
ctl_peer_privileged(const struct ctl *ctl, int fd, uid_t uid, gid_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);
	size_t i;

	if (uid == 0 || uid == geteuid())
		return 1;
	if (ctl->group == (gid_t)-1)
		return 0;
	if (gid == ctl->group)
		return 1;
	/* supplementary groups as the kernel saw them at connect */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0)
		return 0;
	for (i = 0; i < len / sizeof(groups[0]); i++)
		if (groups[i] == ctl->group)
			return 1;
	return 0;
}

static void
ctl_accept(int lfd, unsigned events, void *arg)
{
	struct ctl *ctl = arg;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int fd;

	(void)events;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	if (ctl->nclients >= ctl->max_clients) {
		char m[128];
		size_t l;

		l = ctl_frame(m, sizeof(m), CTL_EUNAVAIL, "busy: too many "
		    "connections", 25);
		(void)send(fd, m, l, MSG_DONTWAIT | MSG_NOSIGNAL);
		(void)close(fd);
		log_debug("ctl", "connection refused: %zu clients",
		    ctl->nclients);
		return;
	}
	memset(&cr, 0, sizeof(cr));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
		(void)close(fd);
		return;
	}
	(void)ctl_client_add(ctl, fd, cr.uid, cr.gid, cr.pid,
	    ctl_peer_privileged(ctl, fd, cr.uid, cr.gid));
}

static struct ctl_client *
ctl_client_add(struct ctl *ctl, int fd, uid_t uid, gid_t gid, pid_t pid,
    int privileged)
{
	struct ctl_client *c;

	c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->fd = fd;
	c->uid = uid;
	c->gid = gid;
	c->pid = pid;
	c->privileged = privileged;
	c->last_ms = ev_now();
	c->w = ev_fd_add(ctl->ev, fd, EV_READ, ctl_client_io, c);
	c->next = ctl->clients;
	ctl->clients = c;
	ctl->nclients++;
	return c;
}

/* drop clients idle (no request, no reading) for CTL_IDLE_MS */
static int64_t
ctl_idle(void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *c, *next;
	uint64_t now = ev_now();

	for (c = ctl->clients; c != NULL; c = next) {
		next = c->next;
		if (c->action == NULL && c->watch == NULL &&
		    c->stream == NULL &&
		    now - c->last_ms > CTL_IDLE_MS)
			ctl_client_free(c);
	}
	return 1000;
}

int
ctl_listen(const char *path, unsigned mode, gid_t gid, char *err,
    size_t errlen)
{
	struct sockaddr_un a;
	struct stat st;
	int fd, t;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a.sun_path)) {
		(void)snprintf(err, errlen, "%s: longer than %zu bytes", path,
		    sizeof(a.sun_path) - 1);
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			(void)snprintf(err, errlen, "%s: exists and is not a "
			    "socket", path);
			return -1;
		}
		/* a daemon answering there: not ours to take */
		if ((t = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0) {
			if (connect(t, (struct sockaddr *)&a, sizeof(a)) == 0) {
				(void)close(t);
				(void)snprintf(err, errlen, "%s: in use (is "
				    "another bmcwatchd running?)", path);
				return -1;
			}
			(void)close(t);
		}
		(void)unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0) {
		(void)snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		(void)snprintf(err, errlen, "%s: bind: %s", path,
		    strerror(errno));
		(void)close(fd);
		return -1;
	}
	if (chmod(path, (mode_t)mode) != 0 || (gid != (gid_t)-1 &&
	    chown(path, (uid_t)-1, gid) != 0)) {
		(void)snprintf(err, errlen, "%s: %s: %s", path, gid !=
		    (gid_t)-1 ? "chmod/chown" : "chmod", strerror(errno));
		(void)unlink(path);
		(void)close(fd);
		return -1;
	}
	if (listen(fd, 16) != 0) {
		(void)snprintf(err, errlen, "%s: listen: %s", path,
		    strerror(errno));
		(void)unlink(path);
		(void)close(fd);
		return -1;
	}
	return fd;
}

struct ctl *
ctl_new(struct ev *ev, struct store *store, int fd, const struct ctl_cfg *cfg)
{
	struct ctl *ctl = xcalloc(1, sizeof(*ctl));

	ctl->ev = ev;
	ctl->store = store;
	ctl->fd = fd;
	ctl->path = cfg->path != NULL ? xstrdup(cfg->path) : NULL;
	ctl->group = cfg->group;
	ctl->max_clients = cfg->max_clients ? cfg->max_clients : 32;
	ctl->action = cfg->action;
	ctl->arg = cfg->arg;
	ctl->stream = cfg->stream;
	ctl->w = ev_fd_add(ev, fd, EV_READ, ctl_accept, ctl);
	ctl->idle = ev_timer_add(ev, 1000, ctl_idle, ctl);
	return ctl;
}

void
ctl_set_max_clients(struct ctl *ctl, unsigned n)
{
	ctl->max_clients = n ? n : 32;
}

size_t
ctl_clients(const struct ctl *ctl)
{
	return ctl->nclients;
}

void
ctl_free(struct ctl *ctl)
{
	if (ctl == NULL)
		return;
	while (ctl->clients != NULL)
		ctl_client_free(ctl->clients);
	if (ctl->subscribed)
		store_unsubscribe(ctl->store, ctl_watch_event, ctl);
	ev_timer_del(ctl->ev, ctl->wtick);
	ev_fd_del(ctl->ev, ctl->w);
	ev_timer_del(ctl->ev, ctl->idle);
	(void)close(ctl->fd);
	if (ctl->path != NULL && unlink(ctl->path) != 0 && errno != ENOENT)
		log_warn("ctl", "%s: cannot remove", ctl->path);
	free(ctl->path);
	free(ctl);
}

/* ---- the watch stream (the SNMP subagent) ------------------------------ */

struct ctl_wsent {
	char		 name[STORE_NAME_MAX + 1];
	uint64_t	 sig;
};

struct ctl_watch {
	char		*evq[CTL_WATCH_EVQ];	/* notification messages */
	size_t		 evlen[CTL_WATCH_EVQ];
	size_t		 evhead, nev;
	int		 general_sent;
	struct ctl_wsent *sent;		/* what the reader has, by target */
	size_t		 nsent;
	struct ctl_wsent *hsent;	/* ... by webhook */
	size_t		 nhsent;
	int		 pet;		/* "watch pet" */
};

static void
ctl_watch_free(struct ctl_watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nev; i++)
		free(w->evq[(w->evhead + i) % CTL_WATCH_EVQ]);
	free(w->sent);
	free(w->hsent);
	free(w);
}

static int64_t
ctl_watch_tick(void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *c, *next;

	for (c = ctl->clients; c != NULL; c = next) {
		next = c->next;
		if (c->watch != NULL)
			ctl_watch_pump(c);
	}
	return CTL_WATCH_TICK_MS;
}

static int
ctl_watch_start(struct ctl_client *c, int pet)
{
	struct ctl *ctl = c->ctl;

	if (!ctl->subscribed) {
		if (store_subscribe(ctl->store, ctl_watch_event, ctl) != 0) {
			static const char m[] = "watch: no subscriber slot "
			    "left in the store";

			return ctl_client_send(c, CTL_EUNAVAIL, m,
			    sizeof(m) - 1);
		}
		ctl->subscribed = 1;
	}
	if (ctl->wtick == NULL)
		ctl->wtick = ev_timer_add(ctl->ev, CTL_WATCH_TICK_MS,
		    ctl_watch_tick, ctl);
	c->watch = xcalloc(1, sizeof(*c->watch));
	c->watch->pet = pet;
	log_info("ctl", "watch stream to pid %ld%s", (long)c->pid,
	    pet ? " (with PET traps)" : "");
	ctl_watch_pump(c);
	return 0;
}

/* a message built into memory by fn */
static int
ctl_watch_send(struct ctl_client *c, char *buf, size_t len)
{
	int rc = ctl_client_send(c, 0, buf, len);

	free(buf);
	if (rc != 0)
		c->closing = 1;
	return rc;
}

static struct ctl_wsent *
ctl_watch_sent(struct ctl_watch *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nsent; i++)
		if (strcmp(w->sent[i].name, name) == 0)
			return &w->sent[i];
	return NULL;
}

/* the webhooks' rows (bmcwWebhookTable) as they change, and their
 * going; 1 if a message was queued */
static int
ctl_watch_webhooks(struct ctl_client *c)
{
	struct ctl_watch *w = c->watch;
	struct store *s = c->ctl->store;
	const struct store_webhook *wh;
	struct ctl_wsent *e;
	struct ctl_out o;
	char *buf;
	size_t i, k, n = store_nwebhooks(s), len;
	uint64_t sig;

	for (i = 0; i < n; i++) {
		wh = store_webhook_at(s, i);
		sig = mibrows_webhook_sig(wh);
		for (e = NULL, k = 0; k < w->nhsent && e == NULL; k++)
			if (strcmp(w->hsent[k].name, wh->name) == 0)
				e = &w->hsent[k];
		if (e != NULL && e->sig == sig)
			continue;
		if (e == NULL) {
			w->hsent = xreallocarray(w->hsent, w->nhsent + 1,
			    sizeof(*w->hsent));
			e = &w->hsent[w->nhsent++];
			(void)snprintf(e->name, sizeof(e->name), "%s",
			    wh->name);
		}
		e->sig = sig;
		ctl_out_open(&o);
		mibrows_webhook(o.f, wh);
		ctl_out_close(&o, &buf, &len);
		return ctl_watch_send(c, buf, len) == 0;
	}
	for (i = 0; i < w->nhsent; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(store_webhook_at(s, k)->name,
			    w->hsent[i].name) == 0)
				break;
		if (k < n)
			continue;
		ctl_out_open(&o);
		fprintf(o.f, "Y %s\n", w->hsent[i].name);
		ctl_out_close(&o, &buf, &len);
		w->hsent[i] = w->hsent[--w->nhsent];
		return ctl_watch_send(c, buf, len) == 0;
	}
	return 0;
}

/* the next message, if there is one; 1 if one was queued */
static int
ctl_watch_next(struct ctl_client *c)
{
	struct ctl_watch *w = c->watch;
	struct store *s = c->ctl->store;
	const struct store_target *t;
	struct ctl_wsent *e;
	struct ctl_out o;
	char *buf;
	size_t i, n, len;
	uint64_t sig;

	if (!w->general_sent) {
		w->general_sent = 1;
		ctl_out_open(&o);
		mibrows_general(o.f);
		ctl_out_close(&o, &buf, &len);
		return ctl_watch_send(c, buf, len) == 0;
	}
	if (w->nev > 0) {
		i = w->evhead;
		w->evhead = (w->evhead + 1) % CTL_WATCH_EVQ;
		w->nev--;
		return ctl_watch_send(c, w->evq[i], w->evlen[i]) == 0;
	}
	n = store_ntargets(s);
	for (i = 0; i < n; i++) {
		t = store_target_at(s, i);
		sig = mibrows_sig(t);
		e = ctl_watch_sent(w, t->name);
		if (e != NULL && e->sig == sig)
			continue;
		if (e == NULL) {
			w->sent = xreallocarray(w->sent, w->nsent + 1,
			    sizeof(*w->sent));
			e = &w->sent[w->nsent++];
			(void)snprintf(e->name, sizeof(e->name), "%s",
			    t->name);
		}
		e->sig = sig;
		ctl_out_open(&o);
		mibrows_target(o.f, t);
		ctl_out_close(&o, &buf, &len);
		return ctl_watch_send(c, buf, len) == 0;
	}
	for (i = 0; i < w->nsent; i++) {
		if (store_target_find(s, w->sent[i].name) != NULL)
			continue;
		ctl_out_open(&o);
		fprintf(o.f, "X %s\n", w->sent[i].name);
		ctl_out_close(&o, &buf, &len);
		w->sent[i] = w->sent[--w->nsent];
		return ctl_watch_send(c, buf, len) == 0;
	}
	return ctl_watch_webhooks(c);
}

/* queue messages while less than CTL_WATCH_SOFT bytes are unread */
static void
ctl_watch_pump(struct ctl_client *c)
{
	int sent = 0;

	while (!c->closing && c->outlen - c->outoff < CTL_WATCH_SOFT &&
	    ctl_watch_next(c))
		sent = 1;
	if (sent || c->closing)
		ctl_client_sync(c);
}

/* queue one notification message (buf, owned from now on) */
static void
ctl_watch_queue(struct ctl_client *c, char *buf, size_t len)
{
	struct ctl *ctl = c->ctl;
	struct ctl_watch *w = c->watch;
	size_t i;

	if (w->nev == CTL_WATCH_EVQ) {
		/* the oldest goes: the reader is far behind */
		free(w->evq[w->evhead]);
		w->evhead = (w->evhead + 1) % CTL_WATCH_EVQ;
		w->nev--;
		if (ctl->wdropped++ == 0)
			log_warnx("ctl", "watch stream to pid %ld does not "
			    "keep up: notifications dropped", (long)c->pid);
	}
	i = (w->evhead + w->nev) % CTL_WATCH_EVQ;
	w->evq[i] = buf;
	w->evlen[i] = len;
	w->nev++;
}

/* one message of event e rendered by fn onto c's queue: 1 if fn had one */
static int
ctl_watch_render(struct ctl_client *c, const struct store_event *e,
    int (*fn)(FILE *, const struct store_event *))
{
	struct ctl_out o;
	char *buf;
	size_t len;
	int have;

	ctl_out_open(&o);
	have = fn(o.f, e);
	ctl_out_close(&o, &buf, &len);
	if (!have) {
		free(buf);
		return 0;
	}
	ctl_watch_queue(c, buf, len);
	return 1;
}

static void
ctl_watch_event(const struct store_event *e, void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *c, *next;
	int queued;

	for (c = ctl->clients; c != NULL; c = next) {
		next = c->next;
		if (c->watch == NULL)
			continue;
		queued = ctl_watch_render(c, e, mibrows_event);
		if (c->watch->pet && e->kind == STORE_EV_SEL)
			queued |= ctl_watch_render(c, e, mibrows_pet);
		if (queued)
			ctl_watch_pump(c);
	}
}

int
ctl_adopt(struct ctl *ctl, int fd, pid_t pid, int privileged)
{
	if (ctl->nclients >= ctl->max_clients) {
		(void)close(fd);
		return -1;
	}
	(void)ctl_client_add(ctl, fd, geteuid(), getegid(), pid, privileged);
	return 0;
}

uint64_t
ctl_watch_dropped(const struct ctl *ctl)
{
	return ctl->wdropped;
}

/* ---- streams (ctl.h, "Streams") --------------------------------------- */

#define CTL_KEY_MAX	512	/* keystrokes in one frame from a client */

struct ctl_stream {
	struct ctl_client *c;
	const struct ctl_stream_ops *ops;	/* NULL: not told any more */
	void		*arg;
	struct ctl_req	 req;
};

static const char *const ctl_sframe_words[] = {
	[CTL_SF_OK] = "ok",
	[CTL_SF_ERR] = "err",
	[CTL_SF_DATA] = "data",
	[CTL_SF_NOTE] = "note",
	[CTL_SF_KEY] = "key",
	[CTL_SF_BREAK] = "break",
};
#define CTL_SFRAME_WORDS (sizeof(ctl_sframe_words) / \
			    sizeof(ctl_sframe_words[0]))

/* a decimal of at most digits digits at buf[*i], before end */
static int
ctl_sframe_num(const char *buf, size_t *i, size_t end, unsigned digits,
    unsigned long long *v)
{
	size_t start = *i;

	*v = 0;
	while (*i < end && buf[*i] >= '0' && buf[*i] <= '9') {
		if (*i - start >= digits)
			return -1;
		*v = *v * 10 + (unsigned long long)(buf[*i] - '0');
		(*i)++;
	}
	/* one spelling of each number: no leading zeros */
	if (*i > start + 1 && buf[start] == '0')
		return -1;
	return *i > start ? 0 : -1;
}

int
ctl_sframe_header(const char *buf, size_t len, enum ctl_sframe *type,
    int *code, size_t *plen, size_t *hlen)
{
	const char *nl = memchr(buf, '\n', len < 40 ? len : 40);
	unsigned long long n, cc = 0;
	size_t i, end, w, wl;

	if (nl == NULL)
		return len >= 40 ? -1 : 0;
	end = (size_t)(nl - buf);
	for (w = 0; w < CTL_SFRAME_WORDS; w++) {
		wl = strlen(ctl_sframe_words[w]);
		if (end > wl && memcmp(buf, ctl_sframe_words[w], wl) == 0 &&
		    buf[wl] == ' ')
			break;
	}
	if (w == CTL_SFRAME_WORDS)
		return -1;
	i = wl + 1;
	if (w == CTL_SF_ERR) {
		if (ctl_sframe_num(buf, &i, end, 3, &cc) != 0 || cc == 0 ||
		    cc > 255 || i >= end || buf[i] != ' ')
			return -1;
		i++;
	}
	if (ctl_sframe_num(buf, &i, end, 12, &n) != 0 || i != end ||
	    n > CTL_SFRAME_MAX || (w == CTL_SF_BREAK && n != 0))
		return -1;
	*type = (enum ctl_sframe)w;
	*code = (int)cc;
	*plen = (size_t)n;
	*hlen = end + 1;
	return 1;
}

size_t
ctl_sframe_put(char *buf, size_t cap, enum ctl_sframe type, int code,
    size_t plen)
{
	int h;

	if ((size_t)type >= CTL_SFRAME_WORDS)
		return 0;
	if (type == CTL_SF_ERR)
		h = snprintf(buf, cap, "err %d %zu\n", code, plen);
	else
		h = snprintf(buf, cap, "%s %zu\n", ctl_sframe_words[type],
		    plen);
	return h < 0 || (size_t)h >= cap ? 0 : (size_t)h;
}

/* sol [input] [replay N] */
static int
ctl_verb_sol(const struct ctl_word *w, size_t n, struct ctl_req *r,
    char *err, size_t errlen)
{
	unsigned long v;
	size_t i = 1;

	r->verb = CTL_SOL;
	while (i < n && memchr(w[i].p, '=', w[i].len) == NULL) {
		if (ctl_weq(&w[i], "input") && !r->sol_input) {
			r->sol_input = 1;
			i++;
		} else if (ctl_weq(&w[i], "replay") && i + 1 < n &&
		    ctl_wnum(&w[i + 1], 0, 0, STORE_CONSOLE_RING, &v) == 0) {
			r->sol_replay = (unsigned)v;
			i += 2;
		} else {
			(void)snprintf(err, errlen, "sol: [input] [replay "
			    "BYTES (0-%u)] target=NAME", STORE_CONSOLE_RING);
			return -1;
		}
	}
	return (int)i;
}

static void
ctl_stream_gone(struct ctl_client *c)
{
	struct ctl_stream *s = c->stream;

	c->stream = NULL;
	if (s->ops != NULL && s->ops->gone != NULL)
		s->ops->gone(s->arg, s);
	free(s);
}

static int
ctl_stream_request(struct ctl_client *c, struct ctl_req *r)
{
	struct ctl *ctl = c->ctl;
	const struct store_target *t;
	struct ctl_stream *s;
	char err[512], *out = NULL;
	size_t olen = 0;
	int code;

	if (r->target[0] == '\0' && store_ntargets(ctl->store) == 1)
		(void)snprintf(r->target, sizeof(r->target), "%s",
		    store_target_at(ctl->store, 0)->name);
	if ((code = ctl_find(ctl->store, r, &t, &out, &olen)) != 0) {
		code = ctl_client_send(c, code, out, olen);
		free(out);
		return code;
	}
	if (ctl->stream == NULL || !t->console.enabled) {
		(void)snprintf(err, sizeof(err), "%s: sol: no console: the "
		    "target has no sol block in bmcwatchd.conf", t->name);
		return ctl_client_send(c, CTL_EUSAGE, err, strlen(err));
	}
	s = xcalloc(1, sizeof(*s));
	s->c = c;
	s->req = *r;
	c->stream = s;
	if ((code = ctl->stream(ctl->arg, t->name, s, err,
	    sizeof(err))) != 0) {
		c->stream = NULL;
		free(s);
		return ctl_client_send(c, code, err, strlen(err));
	}
	return 0;
}

/* the client's frames: keystrokes and breaks */
static void
ctl_stream_input(struct ctl_client *c)
{
	struct ctl *ctl = c->ctl;
	enum ctl_sframe type;
	size_t plen, hl;
	int code, r;

	while (c->stream != NULL && c->inlen > 0) {
		r = ctl_sframe_header(c->in, c->inlen, &type, &code, &plen,
		    &hl);
		if (r == 0)
			return;
		if (r < 0 || (type != CTL_SF_KEY && type != CTL_SF_BREAK) ||
		    plen > CTL_KEY_MAX) {
			log_debug("ctl", "client pid %ld: not a key or break "
			    "frame: dropped", (long)c->pid);
			ctl_client_free(c);
			return;
		}
		if (c->inlen < hl + plen)
			return;
		if (c->stream->ops != NULL && c->stream->ops->input != NULL) {
			c->stream->ops->input(c->stream->arg, c->stream, type,
			    (const uint8_t *)c->in + hl, plen);
			if (!ctl_client_live(ctl, c))
				return;
		}
		memmove(c->in, c->in + hl + plen, c->inlen - hl - plen);
		c->inlen -= hl + plen;
	}
}

void
ctl_stream_accept(struct ctl_stream *s, const struct ctl_stream_ops *ops,
    void *arg, const char *text)
{
	s->ops = ops;
	s->arg = arg;
	(void)ctl_client_send(s->c, 0, text, strlen(text));
}

const struct ctl_req *
ctl_stream_req(const struct ctl_stream *s)
{
	return &s->req;
}

int
ctl_stream_privileged(const struct ctl_stream *s)
{
	return s->c->privileged;
}

long
ctl_stream_uid(const struct ctl_stream *s)
{
	return (long)s->c->uid;
}

long
ctl_stream_pid(const struct ctl_stream *s)
{
	return (long)s->c->pid;
}

size_t
ctl_stream_queued(const struct ctl_stream *s)
{
	return s->c->outlen - s->c->outoff;
}

int
ctl_stream_send(struct ctl_stream *s, enum ctl_sframe type, const void *p,
    size_t n)
{
	struct ctl_client *c = s->c;
	size_t h;

	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	if (c->outlen + n + 32 > CTL_STREAM_OUT_MAX) {
		log_debug("ctl", "client pid %ld does not read its stream: "
		    "dropped", (long)c->pid);
		s->ops = NULL;
		ctl_client_free(c);
		return -1;
	}
	c->out = xreallocarray(c->out, c->outlen + n + 32, 1);
	h = ctl_sframe_put(c->out + c->outlen, 32, type, 0, n);
	memcpy(c->out + c->outlen + h, p, n);
	c->outlen += h + n;
	ev_fd_events(c->ctl->ev, c->w, EV_WRITE | (!c->eof && !c->closing ?
	    EV_READ : 0));
	return 0;
}

void
ctl_stream_end(struct ctl_stream *s, int code, const char *msg)
{
	struct ctl_client *c = s->c;

	s->ops = NULL;
	(void)ctl_client_send(c, code, msg, strlen(msg));
	c->closing = 1;
	ctl_client_sync(c);
}
