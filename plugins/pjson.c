/*
 * The plugins' JSON reader (pjson.h): RFC 8259 values, strict (no
 * trailing commas, no comments, no bare words but true/false/null).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pjson.h"
#include "xmem.h"

struct pjson_ctx {
	struct rbuf	 rb;
	size_t		 nodes;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static void
pjson_fail(struct pjson_ctx *c, const char *what)
{
	if (c->failed)
		return;
	c->failed = 1;
	(void)snprintf(c->err, c->errlen, "JSON: %s at byte %zu", what,
	    c->rb.off);
}

struct pjson *
pjson_new(enum pjson_type t)
{
	struct pjson *v = xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

struct pjson *
pjson_new_num(double x)
{
	struct pjson *v = pjson_new(PJSON_NUM);

	v->num = x;
	return v;
}

struct pjson *
pjson_new_bool(int b)
{
	struct pjson *v = pjson_new(PJSON_BOOL);

	v->num = b != 0;
	return v;
}

struct pjson *
pjson_new_str(const char *s)
{
	struct pjson *v = pjson_new(PJSON_STR);

	v->str = xstrdup(s);
	return v;
}

struct pjson *
pjson_add(struct pjson *p, const char *key, struct pjson *kid)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
		p->kids = xreallocarray(p->kids, p->cap, sizeof(*p->kids));
	}
	free(kid->key);
	kid->key = key != NULL ? xstrdup(key) : NULL;
	p->kids[p->n++] = kid;
	return kid;
}

void
pjson_free(struct pjson *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++)
		pjson_free(v->kids[i]);
	free(v->kids);
	free(v->str);
	free(v->key);
	free(v);
}

static void
pjson_blank(struct pjson_ctx *c)
{
	int b;

	while ((b = rd_peek(&c->rb)) == ' ' || b == '\t' || b == '\n' ||
	    b == '\r')
		(void)rd_u8(&c->rb);
}

/* one byte of UTF-8 output into a growing string */
static void
pjson_put(char **s, size_t *len, size_t *cap, char b)
{
	if (*len + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*s = xreallocarray(*s, *cap, 1);
	}
	(*s)[(*len)++] = b;
	(*s)[*len] = '\0';
}

static int
pjson_hex4(struct pjson_ctx *c, unsigned *u)
{
	int i, b;

	*u = 0;
	for (i = 0; i < 4; i++) {
		b = rd_peek(&c->rb);
		(void)rd_u8(&c->rb);
		if (b >= '0' && b <= '9')
			*u = *u * 16 + (unsigned)(b - '0');
		else if (b >= 'a' && b <= 'f')
			*u = *u * 16 + (unsigned)(b - 'a' + 10);
		else if (b >= 'A' && b <= 'F')
			*u = *u * 16 + (unsigned)(b - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* a string after its opening quote; malloc'ed */
static char *
pjson_string(struct pjson_ctx *c)
{
	char *s = NULL;
	size_t len = 0, cap = 0;
	unsigned u, lo;
	int b;

	pjson_put(&s, &len, &cap, 'x');
	len = 0;
	s[0] = '\0';
	for (;;) {
		if ((b = rd_peek(&c->rb)) < 0) {
			pjson_fail(c, "unterminated string");
			break;
		}
		(void)rd_u8(&c->rb);
		if (b == '"')
			return s;
		if (b < 0x20) {
			pjson_fail(c, "control character in a string");
			break;
		}
		if (b != '\\') {
			pjson_put(&s, &len, &cap, (char)b);
			continue;
		}
		b = rd_peek(&c->rb);
		(void)rd_u8(&c->rb);
		switch (b) {
		case '"': case '\\': case '/':
			pjson_put(&s, &len, &cap, (char)b);
			continue;
		case 'b':
			pjson_put(&s, &len, &cap, '\b');
			continue;
		case 'f':
			pjson_put(&s, &len, &cap, '\f');
			continue;
		case 'n':
			pjson_put(&s, &len, &cap, '\n');
			continue;
		case 'r':
			pjson_put(&s, &len, &cap, '\r');
			continue;
		case 't':
			pjson_put(&s, &len, &cap, '\t');
			continue;
		case 'u':
			break;
		default:
			pjson_fail(c, "bad escape in a string");
			goto fail;
		}
		if (pjson_hex4(c, &u) != 0) {
			pjson_fail(c, "bad \\u escape");
			break;
		}
		if (u >= 0xd800 && u <= 0xdbff) {
			if (rd_peek(&c->rb) != '\\')
				goto surrogate;
			(void)rd_u8(&c->rb);
			if (rd_peek(&c->rb) != 'u')
				goto surrogate;
			(void)rd_u8(&c->rb);
			if (pjson_hex4(c, &lo) != 0 || lo < 0xdc00 ||
			    lo > 0xdfff)
				goto surrogate;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		} else if (u >= 0xdc00 && u <= 0xdfff)
			goto surrogate;
		if (u < 0x80)
			pjson_put(&s, &len, &cap, (char)u);
		else if (u < 0x800) {
			pjson_put(&s, &len, &cap, (char)(0xc0 | (u >> 6)));
			pjson_put(&s, &len, &cap, (char)(0x80 | (u & 0x3f)));
		} else if (u < 0x10000) {
			pjson_put(&s, &len, &cap, (char)(0xe0 | (u >> 12)));
			pjson_put(&s, &len, &cap,
			    (char)(0x80 | ((u >> 6) & 0x3f)));
			pjson_put(&s, &len, &cap, (char)(0x80 | (u & 0x3f)));
		} else {
			pjson_put(&s, &len, &cap, (char)(0xf0 | (u >> 18)));
			pjson_put(&s, &len, &cap,
			    (char)(0x80 | ((u >> 12) & 0x3f)));
			pjson_put(&s, &len, &cap,
			    (char)(0x80 | ((u >> 6) & 0x3f)));
			pjson_put(&s, &len, &cap, (char)(0x80 | (u & 0x3f)));
		}
		continue;
surrogate:
		pjson_fail(c, "unpaired surrogate in \\u escape");
		break;
	}
fail:
	free(s);
	return NULL;
}

static int
pjson_digits(struct pjson_ctx *c, char *buf, size_t *n, size_t cap)
{
	int b, k = 0;

	while ((b = rd_peek(&c->rb)) >= '0' && b <= '9') {
		if (*n + 1 < cap)
			buf[(*n)++] = (char)b;
		(void)rd_u8(&c->rb);
		k++;
	}
	return k;
}

static struct pjson *
pjson_number(struct pjson_ctx *c)
{
	char buf[64];
	size_t n = 0;
	int b;
	char *end;
	struct pjson *v;

	if (rd_peek(&c->rb) == '-') {
		buf[n++] = '-';
		(void)rd_u8(&c->rb);
	}
	b = rd_peek(&c->rb);
	if (b == '0') {
		buf[n++] = '0';
		(void)rd_u8(&c->rb);
	} else if (pjson_digits(c, buf, &n, sizeof(buf)) == 0)
		goto bad;
	if (rd_peek(&c->rb) == '.') {
		buf[n++] = '.';
		(void)rd_u8(&c->rb);
		if (pjson_digits(c, buf, &n, sizeof(buf)) == 0)
			goto bad;
	}
	b = rd_peek(&c->rb);
	if (b == 'e' || b == 'E') {
		if (n + 1 < sizeof(buf))
			buf[n++] = 'e';
		(void)rd_u8(&c->rb);
		b = rd_peek(&c->rb);
		if (b == '+' || b == '-') {
			if (n + 1 < sizeof(buf))
				buf[n++] = (char)b;
			(void)rd_u8(&c->rb);
		}
		if (pjson_digits(c, buf, &n, sizeof(buf)) == 0)
			goto bad;
	}
	if (n + 1 >= sizeof(buf)) {
		pjson_fail(c, "number too long");
		return NULL;
	}
	buf[n] = '\0';
	v = pjson_new(PJSON_NUM);
	v->num = strtod(buf, &end);
	return v;
bad:
	pjson_fail(c, "bad number");
	return NULL;
}

static int
pjson_word(struct pjson_ctx *c, const char *w)
{
	size_t n = strlen(w);
	const uint8_t *p = rd_ptr(&c->rb, n);

	return p != NULL && memcmp(p, w, n) == 0 ? 0 : -1;
}

static struct pjson *
pjson_value(struct pjson_ctx *c, int depth)
{
	struct pjson *v = NULL, *kid;
	char *key;
	int b;

	if (++c->nodes > PJSON_NODES_MAX) {
		pjson_fail(c, "too many values");
		return NULL;
	}
	if (depth > PJSON_DEPTH_MAX) {
		pjson_fail(c, "nested too deep");
		return NULL;
	}
	pjson_blank(c);
	b = rd_peek(&c->rb);
	switch (b) {
	case '{':
	case '[':
		(void)rd_u8(&c->rb);
		v = pjson_new(b == '{' ? PJSON_OBJ : PJSON_ARR);
		pjson_blank(c);
		if (rd_peek(&c->rb) == (b == '{' ? '}' : ']')) {
			(void)rd_u8(&c->rb);
			return v;
		}
		for (;;) {
			key = NULL;
			if (b == '{') {
				pjson_blank(c);
				if (rd_peek(&c->rb) != '"') {
					pjson_fail(c, "expected a member name");
					goto fail;
				}
				(void)rd_u8(&c->rb);
				if ((key = pjson_string(c)) == NULL)
					goto fail;
				pjson_blank(c);
				if (rd_peek(&c->rb) != ':') {
					free(key);
					pjson_fail(c, "expected ':'");
					goto fail;
				}
				(void)rd_u8(&c->rb);
			}
			if ((kid = pjson_value(c, depth + 1)) == NULL) {
				free(key);
				goto fail;
			}
			pjson_add(v, key, kid);
			free(key);
			pjson_blank(c);
			if (rd_peek(&c->rb) == ',') {
				(void)rd_u8(&c->rb);
				continue;
			}
			if (rd_peek(&c->rb) == (b == '{' ? '}' : ']')) {
				(void)rd_u8(&c->rb);
				return v;
			}
			pjson_fail(c, b == '{' ? "expected ',' or '}'" :
			    "expected ',' or ']'");
			goto fail;
		}
	case '"':
		(void)rd_u8(&c->rb);
		v = pjson_new(PJSON_STR);
		if ((v->str = pjson_string(c)) == NULL)
			goto fail;
		return v;
	case 't':
	case 'f':
		if (pjson_word(c, b == 't' ? "true" : "false") != 0)
			break;
		v = pjson_new(PJSON_BOOL);
		v->num = b == 't';
		return v;
	case 'n':
		if (pjson_word(c, "null") != 0)
			break;
		return pjson_new(PJSON_NULL);
	default:
		if (b == '-' || (b >= '0' && b <= '9'))
			return pjson_number(c);
		break;
	}
	pjson_fail(c, b < 0 ? "unexpected end" : "unexpected character");
	return NULL;
fail:
	pjson_free(v);
	return NULL;
}

struct pjson *
pjson_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct pjson_ctx c;
	struct pjson *v;

	memset(&c, 0, sizeof(c));
	rb_init(&c.rb, buf, len);
	c.err = err;
	c.errlen = errlen;
	v = pjson_value(&c, 0);
	if (v != NULL) {
		pjson_blank(&c);
		if (rd_left(&c.rb) != 0) {
			pjson_fail(&c, "trailing bytes after the value");
			pjson_free(v);
			return NULL;
		}
	}
	return v;
}

const struct pjson *
pjson_get(const struct pjson *v, const char *key)
{
	size_t i;

	if (v == NULL || v->type != PJSON_OBJ)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (v->kids[i]->key != NULL &&
		    strcmp(v->kids[i]->key, key) == 0)
			return v->kids[i];
	return NULL;
}

const struct pjson *
pjson_at(const struct pjson *v, size_t i)
{
	if (v == NULL || (v->type != PJSON_ARR && v->type != PJSON_OBJ) ||
	    i >= v->n)
		return NULL;
	return v->kids[i];
}

size_t
pjson_len(const struct pjson *v)
{
	return v != NULL && (v->type == PJSON_ARR || v->type == PJSON_OBJ) ?
	    v->n : 0;
}

const char *
pjson_str(const struct pjson *v, const char *key, const char *def)
{
	const struct pjson *m = pjson_get(v, key);

	return m != NULL && m->type == PJSON_STR ? m->str : def;
}

double
pjson_num(const struct pjson *v, const char *key, double def)
{
	const struct pjson *m = pjson_get(v, key);

	return m != NULL && m->type == PJSON_NUM ? m->num : def;
}

int
pjson_has_num(const struct pjson *v, const char *key, double *x)
{
	const struct pjson *m = pjson_get(v, key);

	if (m == NULL || m->type != PJSON_NUM)
		return 0;
	*x = m->num;
	return 1;
}

int
pjson_bool(const struct pjson *v, const char *key, int def)
{
	const struct pjson *m = pjson_get(v, key);

	return m != NULL && m->type == PJSON_BOOL ? (int)m->num : def;
}
