/*
 * Sensor severity: built-in table and config overrides (severity.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtext.h"
#include "lex.h"
#include "severity.h"
#include "xmem.h"

/*
 * The built-in table: one character per offset, O ok, W warning, C
 * critical, N nonrecoverable; offsets past the string are ok.  Values
 * follow FreeIPMI's freeipmi_interpret_sensor.conf defaults, except that
 * entity/device absence is ok and non-recoverable transitions are
 * nonrecoverable.
 */
static const char *const sev_specific[0x2d] = {
	[0x05] = "CCCCCCC",		/* Physical Security */
	[0x06] = "CCCCCC",		/* Platform Security */
	[0x07] = "CCCCCCCOCCWCW",	/* Processor */
	[0x08] = "OCCCCCCW",		/* Power Supply */
	[0x09] = "OOWWCCCC",		/* Power Unit */
	[0x0c] = "WCCCCWOCOWC",		/* Memory */
	[0x0d] = "OCCOOCCOC",		/* Drive Slot */
	[0x0f] = "CCO",			/* System Firmware Progress */
	[0x10] = "CCOCCWC",		/* Event Logging Disabled */
	[0x11] = "WWWWWWWW",		/* Watchdog 1 */
	[0x12] = "WOCOOW",		/* System Event */
	[0x13] = "CCCWCCCWCCCW",	/* Critical Interrupt */
	[0x14] = "OOOWW",		/* Button/Switch */
	[0x19] = "CC",			/* Chip Set */
	[0x1b] = "OC",			/* Cable/Interconnect */
	[0x1d] = "OOOOOOOO",		/* System Boot Initiated */
	[0x1e] = "CCCCW",		/* Boot Error */
	[0x1f] = "OOOOOOWOOWC",		/* OS Boot */
	[0x20] = "CCOOOC",		/* OS Stop/Shutdown */
	[0x21] = "CWOOOOWWWO",		/* Slot/Connector */
	/* System ACPI Power State: 0Eh "Unknown" is critical (the BMC
	 * cannot tell whether the host is up: nothing vouches for it;
	 * FreeIPMI says Critical too); 0Dh is not defined in table 42-3
	 * (FreeIPMI's "Unspecified" there is its own) and, like every
	 * reserved offset, ok */
	[0x22] = "OOOOOOOOOOOOOOC",
	[0x23] = "WCCCOOOOW",		/* Watchdog 2 */
	[0x24] = "OOOO",		/* Platform Alert */
	[0x25] = "OOC",			/* Entity Presence: absent is ok */
	[0x27] = "CO",			/* LAN */
	[0x28] = "CCCCCC",		/* Management Subsystem Health */
	[0x29] = "WCO",			/* Battery */
	[0x2a] = "OOWC",		/* Session Audit */
	[0x2b] = "WWCCCCOO",		/* Version Change */
	[0x2c] = "CCWWOWWC",		/* FRU State */
};

/* event/reading types 01h-0Ch */
static const char *const sev_generic[0x0d] = {
	[0x01] = "WWCCNNWWCCNN",	/* threshold offsets */
	[0x02] = "OOO",
	[0x03] = "OW",
	[0x04] = "OW",
	[0x05] = "OC",
	[0x06] = "OC",
	[0x07] = "OWCNWCNWO",
	[0x08] = "OO",			/* device absent is ok */
	[0x09] = "WO",
	[0x0a] = "OWWWWWCWC",
	[0x0b] = "OCWCCCWW",
	[0x0c] = "OOOO",
};

/* generic types whose meaning depends on the sensor type */
static const struct {
	uint8_t		 sensor_type;
	uint8_t		 event_type;
	const char	*sev;
} sev_generic_by_type[] = {
	{ 0x07, 0x03, "OC" },		/* Processor state asserted */
	{ 0x0c, 0x03, "OC" },		/* Memory */
	{ 0x0d, 0x03, "WO" },		/* Drive Slot: deasserted is bad */
	{ 0x0d, 0x04, "OC" },		/* Drive predictive failure */
	{ 0x14, 0x03, "OO" },		/* Button */
	{ 0x15, 0x03, "OC" },		/* Module/Board */
	{ 0x1e, 0x03, "OC" },		/* Boot Error */
	{ 0x20, 0x03, "OC" },		/* OS Critical Stop */
	{ 0x24, 0x03, "OC" },		/* Platform Alert */
};

#define RULE_TYPE	0
#define RULE_SENSOR	1
#define RULE_EXCLUDE	2
#define EVT_ANY		0x100

struct sev_rule {
	int		 kind;
	int		 sensor_type;	/* RULE_TYPE */
	char		*pattern;	/* RULE_SENSOR / RULE_EXCLUDE */
	int		 number;	/* #N pattern, else -1 */
	unsigned	 event_type;	/* or EVT_ANY */
	uint8_t		 offset;
	enum sensor_sev	 level;
};

struct severity {
	struct sev_rule	*rules;
	size_t		 n;
};

static enum sensor_sev
sev_char(const char *s, uint8_t offset)
{
	size_t len;

	if (s == NULL)
		return SENSOR_SEV_OK;
	len = strlen(s);
	if (offset >= len)
		return SENSOR_SEV_OK;
	switch (s[offset]) {
	case 'W':
		return SENSOR_SEV_WARNING;
	case 'C':
		return SENSOR_SEV_CRITICAL;
	case 'N':
		return SENSOR_SEV_NONRECOVERABLE;
	default:
		return SENSOR_SEV_OK;
	}
}

enum sensor_sev
severity_builtin(uint8_t sensor_type, uint8_t event_type, uint8_t offset)
{
	size_t i;

	if (event_type == 0x6f)
		return sensor_type < sizeof(sev_specific) /
		    sizeof(sev_specific[0]) ?
		    sev_char(sev_specific[sensor_type], offset) :
		    SENSOR_SEV_OK;
	if (event_type == 0 || event_type >= sizeof(sev_generic) /
	    sizeof(sev_generic[0]))
		return SENSOR_SEV_OK;	/* OEM types: no opinion */
	for (i = 0; i < sizeof(sev_generic_by_type) /
	    sizeof(sev_generic_by_type[0]); i++)
		if (sev_generic_by_type[i].sensor_type == sensor_type &&
		    sev_generic_by_type[i].event_type == event_type)
			return sev_char(sev_generic_by_type[i].sev, offset);
	return sev_char(sev_generic[event_type], offset);
}

struct severity *
severity_new(void)
{
	return xcalloc(1, sizeof(struct severity));
}

static void
sev_rules_free(struct sev_rule *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].pattern);
	free(r);
}

void
severity_free(struct severity *s)
{
	if (s == NULL)
		return;
	sev_rules_free(s->rules, s->n);
	free(s);
}

static int
sev_match(const struct sev_rule *r, const char *name, uint8_t number)
{
	if (r->number >= 0)
		return r->number == number;
	return fnmatch(r->pattern, name, 0) == 0;
}

int
severity_excluded(const struct severity *s, const char *name, uint8_t number)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->rules[i].kind == RULE_EXCLUDE &&
		    sev_match(&s->rules[i], name, number))
			return 1;
	return 0;
}

enum sensor_sev
severity_offset(const struct severity *s, const char *name, uint8_t number,
    uint8_t sensor_type, uint8_t event_type, uint8_t offset)
{
	const struct sev_rule *type_hit = NULL, *sensor_hit = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct sev_rule *r = &s->rules[i];

		if (r->kind == RULE_EXCLUDE || r->offset != offset ||
		    (r->event_type != EVT_ANY && r->event_type != event_type))
			continue;
		if (r->kind == RULE_TYPE && r->sensor_type == sensor_type)
			type_hit = r;
		else if (r->kind == RULE_SENSOR && sev_match(r, name, number))
			sensor_hit = r;
	}
	if (sensor_hit != NULL)
		return sensor_hit->level;
	if (type_hit != NULL)
		return type_hit->level;
	return severity_builtin(sensor_type, event_type, offset);
}

enum sensor_sev
severity_threshold(const struct severity *s, const char *name,
    uint8_t number, uint8_t sensor_type, uint8_t bits)
{
	/* comparison bit -> "going" offset of table 42-2: LNC going low (0),
	 * LC going low (2), LNR going low (4), UNC going high (7), UC going
	 * high (9), UNR going high (11) */
	static const uint8_t off[SDR_THR_N] = { 0, 2, 4, 7, 9, 11 };
	enum sensor_sev worst = SENSOR_SEV_OK, v;
	int i;

	for (i = 0; i < SDR_THR_N; i++) {
		if (!(bits & (1u << i)))
			continue;
		v = severity_offset(s, name, number, sensor_type, 0x01,
		    off[i]);
		if (v > worst)
			worst = v;
	}
	return worst;
}

/* ---- config ---- */

#define SEV_MAXTOK	12

/* split a line into words with the shared tokenizer: "..." groups, '#'
 * starts a comment except "#N" (a sensor number) after the first word.
 * -1 on an unterminated quote or too many words.  The words live in lx
 * until lex_fini(). */
static int
sev_tokens(struct lex *lx, const char *line, const char **tok, int max)
{
	struct lex_tok t;
	int n = 0;

	lex_init(lx, line, strlen(line), LEX_HASHWORD);
	while (lex_next(lx, &t) != LEX_EOF) {
		if (t.type != LEX_WORD && t.type != LEX_STRING)
			return -1;
		if (n == max)
			return -1;
		tok[n++] = t.s;
	}
	return n;
}

static int
sev_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno != 0 || *end != '\0' || *v > max ? -1 : 0;
}

static int
sev_pattern(struct sev_rule *r, const char *p, char *err, size_t errlen)
{
	unsigned long v;

	r->number = -1;
	if (p[0] == '#') {
		if (sev_uint(p + 1, 255, &v) != 0) {
			(void)snprintf(err, errlen, "bad sensor number '%s'",
			    p);
			return -1;
		}
		r->number = (int)v;
	}
	if (*p == '\0') {
		(void)snprintf(err, errlen, "empty pattern");
		return -1;
	}
	r->pattern = xstrdup(p);
	return 0;
}

typedef int	sev_kw_fn(struct sev_rule *, const char **, int, char *,
	    size_t);

static int
sev_kw_exclude(struct sev_rule *r, const char **tok, int n, char *err,
    size_t errlen)
{
	if (n != 2) {
		(void)snprintf(err, errlen, "usage: exclude PATTERN");
		return -1;
	}
	r->kind = RULE_EXCLUDE;
	return sev_pattern(r, tok[1], err, errlen);
}

/* [event EVT] offset N LEVEL, from tok[i] */
static int
sev_tail(struct sev_rule *r, const char **tok, int i, int n, char *err,
    size_t errlen)
{
	unsigned long v;

	if (i + 1 < n && strcmp(tok[i], "event") == 0) {
		if (sev_uint(tok[i + 1], 0xff, &v) != 0) {
			(void)snprintf(err, errlen, "bad event/reading type "
			    "'%s'", tok[i + 1]);
			return -1;
		}
		r->event_type = (unsigned)v;
		i += 2;
	}
	if (n - i != 3 || strcmp(tok[i], "offset") != 0) {
		(void)snprintf(err, errlen, "expected 'offset N LEVEL'");
		return -1;
	}
	if (sev_uint(tok[i + 1], 14, &v) != 0) {
		(void)snprintf(err, errlen, "bad offset '%s' (0-14)",
		    tok[i + 1]);
		return -1;
	}
	r->offset = (uint8_t)v;
	if (sensor_sev_parse(tok[i + 2], &r->level) != 0 ||
	    r->level == SENSOR_SEV_UNAVAILABLE) {
		(void)snprintf(err, errlen, "bad level '%s' (ok, warning, "
		    "critical, nonrecoverable)", tok[i + 2]);
		return -1;
	}
	return 0;
}

static int
sev_kw_sensor(struct sev_rule *r, const char **tok, int n, char *err,
    size_t errlen)
{
	if (n < 5) {
		(void)snprintf(err, errlen, "usage: sensor PATTERN [event EVT] "
		    "offset N LEVEL");
		return -1;
	}
	r->kind = RULE_SENSOR;
	r->event_type = EVT_ANY;
	if (sev_pattern(r, tok[1], err, errlen) != 0)
		return -1;
	return sev_tail(r, tok, 2, n, err, errlen);
}

static int
sev_kw_type(struct sev_rule *r, const char **tok, int n, char *err,
    size_t errlen)
{
	unsigned long v;
	int t;

	if (n < 5) {
		(void)snprintf(err, errlen, "usage: type TYPE [event EVT] "
		    "offset N LEVEL");
		return -1;
	}
	r->kind = RULE_TYPE;
	r->number = -1;
	r->event_type = 0x6f;
	if (sev_uint(tok[1], 0xff, &v) == 0)
		t = (int)v;
	else if ((t = evtext_sensor_type_parse(tok[1])) < 0) {
		(void)snprintf(err, errlen, "unknown sensor type '%s'", tok[1]);
		return -1;
	}
	r->sensor_type = t;
	return sev_tail(r, tok, 2, n, err, errlen);
}

/* sorted, for bsearch (style rule 30) */
static const struct sev_kw {
	const char	*name;
	sev_kw_fn	*fn;
} sev_kws[] = {
	{ "exclude", sev_kw_exclude },
	{ "sensor", sev_kw_sensor },
	{ "type", sev_kw_type },
};

static int
sev_kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct sev_kw *)e)->name);
}

/* parse one line into *r; 0 rule, 1 blank, -1 error */
static int
sev_line(struct sev_rule *r, const char *line, char *err, size_t errlen)
{
	const char *tok[SEV_MAXTOK];
	const struct sev_kw *kw;
	struct lex lx;
	int n, rc = -1;

	memset(r, 0, sizeof(*r));
	r->number = -1;
	if (strnlen(line, 1024) >= 1024) {
		(void)snprintf(err, errlen, "line too long");
		return -1;
	}
	if ((n = sev_tokens(&lx, line, tok, SEV_MAXTOK)) < 0) {
		(void)snprintf(err, errlen, "unterminated quote or too many "
		    "words");
		goto done;
	}
	if (n == 0) {
		rc = 1;
		goto done;
	}
	kw = bsearch(tok[0], sev_kws, sizeof(sev_kws) / sizeof(sev_kws[0]),
	    sizeof(sev_kws[0]), sev_kw_cmp);
	if (kw == NULL) {
		(void)snprintf(err, errlen, "unknown keyword '%s'", tok[0]);
		goto done;
	}
	if (kw->fn(r, tok, n, err, errlen) != 0) {
		free(r->pattern);
		r->pattern = NULL;
		goto done;
	}
	rc = 0;
done:
	lex_fini(&lx);
	return rc;
}

static void
sev_add(struct severity *s, struct sev_rule *r)
{
	s->rules = xreallocarray(s->rules, s->n + 1, sizeof(*s->rules));
	s->rules[s->n++] = *r;
}

int
severity_parse_line(struct severity *s, const char *line, char *err,
    size_t errlen)
{
	struct sev_rule r;
	int k;

	if (s->n >= SEVERITY_MAX_RULES) {
		(void)snprintf(err, errlen, "more than %d rules",
		    SEVERITY_MAX_RULES);
		return -1;
	}
	if ((k = sev_line(&r, line, err, errlen)) < 0)
		return -1;
	if (k == 0)
		sev_add(s, &r);
	return 0;
}

int
severity_load(struct severity *s, const char *path, char *err, size_t errlen)
{
	struct severity tmp;
	struct sev_rule r;
	char line[1024], msg[256];
	unsigned lineno = 0;
	FILE *f;
	int k;

	if ((f = fopen(path, "re")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	memset(&tmp, 0, sizeof(tmp));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			(void)snprintf(err, errlen, "%s:%u: line too long",
			    path, lineno);
			goto fail;
		}
		if ((k = sev_line(&r, line, msg, sizeof(msg))) < 0) {
			(void)snprintf(err, errlen, "%s:%u: %s", path, lineno,
			    msg);
			goto fail;
		}
		if (k == 1)
			continue;
		if (s->n + tmp.n >= SEVERITY_MAX_RULES) {
			free(r.pattern);
			(void)snprintf(err, errlen, "%s:%u: more than %d rules",
			    path, lineno, SEVERITY_MAX_RULES);
			goto fail;
		}
		sev_add(&tmp, &r);
	}
	if (ferror(f)) {
		(void)snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	(void)fclose(f);
	/* all or nothing: append the new rules */
	if (tmp.n > 0) {
		s->rules = xreallocarray(s->rules, s->n + tmp.n,
		    sizeof(*s->rules));
		memcpy(s->rules + s->n, tmp.rules, tmp.n * sizeof(*tmp.rules));
		s->n += tmp.n;
	}
	free(tmp.rules);
	return 0;
fail:
	(void)fclose(f);
	sev_rules_free(tmp.rules, tmp.n);
	return -1;
}
