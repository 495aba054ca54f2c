#include <math.h>
#include <stdio.h>

#include "jsonw.h"

void
jsonw_init(struct jsonw *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
}

static void
jsonw_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		size_t run;
		int n, i;

		/* what needs no escape goes out in one write, not a putc
		 * (and a FILE lock) per byte: the socket's answers are
		 * mostly this (bench-profile.sh) */
		for (run = 0; p[run] >= 0x20 && p[run] < 0x80 &&
		    p[run] != '"' && p[run] != '\\'; run++)
			;
		if (run > 0) {
			fwrite(p, 1, run, f);
			p += run;
			continue;
		}
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else {
			/* pass valid UTF-8 sequences, replace the rest */
			n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
			    (c & 0xf8) == 0xf0 ? 3 : -1;
			for (i = 1; n > 0 && i <= n; i++)
				if ((p[i] & 0xc0) != 0x80)
					n = -1;
			if (n < 0) {
				fputs("\\ufffd", f);
			} else {
				fwrite(p, 1, (size_t)n + 1, f);
				p += n;
			}
		}
		p++;
	}
	fputc('"', f);
}

static void
jsonw_key(struct jsonw *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		fputc(',', j->f);
	if (key != NULL) {
		jsonw_string(j->f, key);
		fputc(':', j->f);
	}
}

static void
jsonw_open(struct jsonw *j, const char *key, int c)
{
	jsonw_key(j, key);
	fputc(c, j->f);
	if (j->depth < JSONW_MAX_DEPTH - 1)
		j->count[++j->depth] = 0;
}

void
jsonw_obj_begin(struct jsonw *j, const char *key)
{
	jsonw_open(j, key, '{');
}

void
jsonw_arr_begin(struct jsonw *j, const char *key)
{
	jsonw_open(j, key, '[');
}

void
jsonw_obj_end(struct jsonw *j)
{
	fputc('}', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
jsonw_arr_end(struct jsonw *j)
{
	fputc(']', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
jsonw_str(struct jsonw *j, const char *key, const char *v)
{
	jsonw_key(j, key);
	if (v == NULL)
		fputs("null", j->f);
	else
		jsonw_string(j->f, v);
}

void
jsonw_int(struct jsonw *j, const char *key, long long v)
{
	char buf[24];
	size_t i = sizeof(buf);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v :
	    (unsigned long long)v;

	jsonw_key(j, key);
	/* by hand: exact, and a tenth of fprintf's instructions */
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		buf[--i] = '-';
	fwrite(buf + i, 1, sizeof(buf) - i, j->f);
}

void
jsonw_num(struct jsonw *j, const char *key, double v, int decimals)
{
	jsonw_key(j, key);
	if (isnan(v) || isinf(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", decimals, v);
}

void
jsonw_bool(struct jsonw *j, const char *key, int v)
{
	jsonw_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
jsonw_null(struct jsonw *j, const char *key)
{
	jsonw_key(j, key);
	fputs("null", j->f);
}

void
jsonw_hex(struct jsonw *j, const char *key, const uint8_t *p, size_t n)
{
	size_t i;

	jsonw_key(j, key);
	fputc('"', j->f);
	for (i = 0; i < n; i++)
		fprintf(j->f, "%02x", p[i]);
	fputc('"', j->f);
}

void
jsonw_end(struct jsonw *j)
{
	fputc('\n', j->f);
}
