/*
 * Monitoring Plugins conventions (np.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np.h"
#include "xmem.h"

const char *
np_state_name(enum np_state s)
{
	switch (s) {
	case NP_OK:
		return "OK";
	case NP_WARNING:
		return "WARNING";
	case NP_CRITICAL:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

enum np_state
np_worst(enum np_state a, enum np_state b)
{
	static const int rank[] = { 0, 2, 3, 1 };	/* OK W C U */

	return rank[a & 3] >= rank[b & 3] ? a : b;
}

/* a decimal number of the range grammar: [-+]digits[.digits] (or
 * .digits); the end of it in *end */
static int
np_number(const char *s, double *v, const char **end)
{
	const char *p = s;
	double x = 0, scale = 1;
	int neg = 0, digits = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		x = x * 10 + (*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			scale /= 10;
			x += (*p - '0') * scale;
		}
	}
	if (digits == 0 || digits > 30)
		return -1;
	*v = neg ? -x : x;
	*end = p;
	return 0;
}

int
np_range_parse(const char *s, struct np_range *r, char *err, size_t errlen)
{
	const char *p = s, *colon, *e;

	memset(r, 0, sizeof(*r));
	if (*p == '@') {
		r->inside = 1;
		p++;
	}
	if (*p == '\0') {
		(void)snprintf(err, errlen, "'%s': empty range", s);
		return -1;
	}
	if ((colon = strchr(p, ':')) == NULL) {
		/* "10": 0..10 */
		if (np_number(p, &r->end, &e) != 0 || *e != '\0') {
			(void)snprintf(err, errlen, "'%s': not a number or "
			    "a range (10, 10:, ~:10, 10:20, @10:20)", s);
			return -1;
		}
		r->start = 0;
	} else {
		if (p[0] == '~' && p + 1 == colon)
			r->start_inf = 1;
		else if (np_number(p, &r->start, &e) != 0 || e != colon) {
			(void)snprintf(err, errlen, "'%s': bad start (a number "
			    "or ~)", s);
			return -1;
		}
		if (colon[1] == '\0')
			r->end_inf = 1;
		else if (np_number(colon + 1, &r->end, &e) != 0 ||
		    *e != '\0') {
			(void)snprintf(err, errlen, "'%s': bad end (a number, "
			    "or nothing for infinity)", s);
			return -1;
		}
	}
	if (!r->start_inf && !r->end_inf && r->start > r->end) {
		(void)snprintf(err, errlen, "'%s': start is greater than end",
		    s);
		return -1;
	}
	return 0;
}

int
np_range_alert(const struct np_range *r, double v)
{
	int in = (r->start_inf || v >= r->start) && (r->end_inf ||
	    v <= r->end);

	return r->inside ? in : !in;
}

void
np_num(double v, int decimals, char *out, size_t len)
{
	size_t n;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!isfinite(v))
		v = 0;
	(void)snprintf(out, len, "%.*f", decimals, v);
	n = strlen(out);
	if (strchr(out, '.') != NULL) {
		while (n > 0 && out[n - 1] == '0')
			out[--n] = '\0';
		if (n > 0 && out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (strcmp(out, "-0") == 0)
		(void)snprintf(out, len, "0");
}

void
np_range_str(const struct np_range *r, char *out, size_t len)
{
	char a[48], b[48];

	np_num(r->start, 6, a, sizeof(a));
	np_num(r->end, 6, b, sizeof(b));
	if (!r->start_inf && !r->end_inf && r->start == 0 && !r->inside)
		(void)snprintf(out, len, "%s", b);
	else
		(void)snprintf(out, len, "%s%s:%s", r->inside ? "@" : "",
		    r->start_inf ? "~" : a, r->end_inf ? "" : b);
}

void
np_perf(FILE *f, const char *label, double v, int decimals, const char *uom,
    const char *warn, const char *crit, const double *min, const double *max)
{
	char num[48];
	const char *p;

	if (ftell(f) > 0)
		fputc(' ', f);
	fputc('\'', f);
	for (p = label; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("''", f);
		else if (*p == '=')
			fputc('_', f);
		else if ((unsigned char)*p < 0x20)
			fputc(' ', f);
		else
			fputc(*p, f);
	}
	np_num(v, decimals, num, sizeof(num));
	fprintf(f, "'=%s%s;%s;%s;", num, uom != NULL ? uom : "",
	    warn != NULL ? warn : "", crit != NULL ? crit : "");
	if (min != NULL) {
		np_num(*min, decimals, num, sizeof(num));
		fputs(num, f);
	}
	fputc(';', f);
	if (max != NULL) {
		np_num(*max, decimals, num, sizeof(num));
		fputs(num, f);
	}
}

void
np_out_init(struct np_out *o)
{
	memset(o, 0, sizeof(*o));
	o->state = NP_OK;
	if ((o->lng = open_memstream(&o->lngbuf, &o->lnglen)) == NULL ||
	    (o->perf = open_memstream(&o->perfbuf, &o->perflen)) == NULL) {
		fputs("UNKNOWN - out of memory\n", stdout);
		exit(NP_UNKNOWN);
	}
}

void
np_out_summary(struct np_out *o, const char *fmt, ...)
{
	va_list ap;
	char buf[2048];

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(o->summary);
	o->summary = xstrdup(buf);
}

int
np_out_finish(struct np_out *o, const char *label)
{
	char *p;

	(void)fclose(o->lng);
	(void)fclose(o->perf);
	/* the status line is one line: no '|' (it starts perfdata) */
	for (p = o->summary; p != NULL && *p != '\0'; p++)
		if (*p == '\n' || *p == '|')
			*p = *p == '|' ? '/' : ' ';
	for (p = o->lngbuf; p != NULL && *p != '\0'; p++)
		if (*p == '|')
			*p = '/';
	printf("%s %s - %s", label, np_state_name(o->state),
	    o->summary != NULL ? o->summary : "");
	if (o->perflen > 0)
		printf(" | %s", o->perfbuf);
	printf("\n");
	if (o->lnglen > 0)
		fputs(o->lngbuf, stdout);
	(void)fflush(stdout);
	free(o->summary);
	free(o->lngbuf);
	free(o->perfbuf);
	return (int)o->state;
}
