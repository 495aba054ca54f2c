/*
 * The shared configuration tokenizer (lex.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "xmem.h"

void
lex_init(struct lex *lx, const char *buf, size_t len, unsigned flags)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = buf;
	lx->len = len;
	lx->line = 1;
	lx->flags = flags;
	/*
	 * A word of n source bytes takes n + 1 arena bytes, a quoted
	 * string of n source bytes (quotes included) at most n - 1, and
	 * tokens do not overlap: 2 * len + 1 always suffices.
	 */
	lx->acap = 2 * len + 1;
	lx->arena = xmalloc(lx->acap);
}

void
lex_fini(struct lex *lx)
{
	free(lx->arena);
	lx->arena = NULL;
	lx->acap = lx->aoff = 0;
}

static int
lex_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static enum lex_type
lex_fail(struct lex *lx, struct lex_tok *t, unsigned line, const char *msg)
{
	lx->failed = 1;
	(void)snprintf(lx->err, sizeof(lx->err), "%s", msg);
	t->type = LEX_ERROR;
	t->line = line;
	t->s = lx->err;
	t->len = strlen(lx->err);
	return LEX_ERROR;
}

static void
lex_simple(struct lex_tok *t, enum lex_type type, unsigned line,
    const char *s)
{
	t->type = type;
	t->line = line;
	t->s = s;
	t->len = strlen(s);
}

/* the line of the last byte of input, for EOF */
static unsigned
lex_last_line(const struct lex *lx)
{
	if (lx->len > 0 && lx->p[lx->len - 1] == '\n' && lx->line > 1)
		return lx->line - 1;
	return lx->line;
}

static enum lex_type
lex_scan(struct lex *lx, struct lex_tok *t)
{
	const char *p = lx->p;
	char *out;
	unsigned line;
	char c;

	if (lx->failed) {
		t->type = LEX_ERROR;
		t->line = lx->line;
		t->s = lx->err;
		t->len = strlen(lx->err);
		return LEX_ERROR;
	}
	for (;;) {
		if (lx->off >= lx->len) {
			lex_simple(t, LEX_EOF, lex_last_line(lx), "");
			return LEX_EOF;
		}
		c = p[lx->off];
		if (c == '\0')
			return lex_fail(lx, t, lx->line, "NUL byte in input");
		if (c == '\n') {
			line = lx->line++;
			lx->off++;
			lx->ntok_line = 0;
			if (lx->flags & LEX_NEWLINES) {
				lex_simple(t, LEX_NEWLINE, line, "");
				return LEX_NEWLINE;
			}
			continue;
		}
		if (lex_blank(c)) {
			lx->off++;
			continue;
		}
		if (c == '#' && (!(lx->flags & LEX_HASHWORD) ||
		    lx->ntok_line == 0 || lx->off + 1 >= lx->len ||
		    lex_blank(p[lx->off + 1]) || p[lx->off + 1] == '\0')) {
			/* a comment: up to the newline, which is kept */
			while (lx->off < lx->len && p[lx->off] != '\n') {
				if (p[lx->off] == '\0')
					return lex_fail(lx, t, lx->line,
					    "NUL byte in input");
				lx->off++;
			}
			continue;
		}
		break;
	}
	lx->ntok_line++;
	line = lx->line;
	if ((lx->flags & LEX_BRACES) && (c == '{' || c == '}')) {
		lx->off++;
		if (c == '{')
			lex_simple(t, LEX_LBRACE, line, "{");
		else
			lex_simple(t, LEX_RBRACE, line, "}");
		return t->type;
	}
	out = lx->arena + lx->aoff;
	t->s = out;
	t->line = line;
	if (c == '"') {
		lx->off++;
		for (;;) {
			if (lx->off >= lx->len || p[lx->off] == '\n')
				return lex_fail(lx, t, line,
				    "unterminated quoted string");
			c = p[lx->off];
			if (c == '\0')
				return lex_fail(lx, t, line,
				    "NUL byte in input");
			if (c == '"')
				break;
			if (c == '\\' && (lx->flags & LEX_ESCAPES) &&
			    lx->off + 1 < lx->len &&
			    (p[lx->off + 1] == '"' || p[lx->off + 1] == '\\')) {
				lx->off++;
				c = p[lx->off];
			}
			*out++ = c;
			lx->off++;
		}
		lx->off++;	/* the closing quote */
		t->type = LEX_STRING;
	} else {
		while (lx->off < lx->len) {
			c = p[lx->off];
			if (lex_blank(c) || ((lx->flags & LEX_BRACES) &&
			    (c == '{' || c == '}')))
				break;
			if (c == '\0')
				return lex_fail(lx, t, lx->line,
				    "NUL byte in input");
			*out++ = c;
			lx->off++;
		}
		t->type = LEX_WORD;
	}
	*out++ = '\0';
	t->len = (size_t)(out - t->s) - 1;
	lx->aoff = (size_t)(out - lx->arena);
	return t->type;
}

enum lex_type
lex_next(struct lex *lx, struct lex_tok *t)
{
	if (lx->peeked) {
		lx->peeked = 0;
		*t = lx->peek;
		return t->type;
	}
	return lex_scan(lx, t);
}

enum lex_type
lex_peek(struct lex *lx, struct lex_tok *t)
{
	if (!lx->peeked) {
		(void)lex_scan(lx, &lx->peek);
		lx->peeked = 1;
	}
	*t = lx->peek;
	return t->type;
}

const char *
lex_describe(const struct lex_tok *t, char *buf, size_t len)
{
	size_t i, o = 0, max;

	switch (t->type) {
	case LEX_EOF:
		(void)snprintf(buf, len, "end of file");
		return buf;
	case LEX_NEWLINE:
		(void)snprintf(buf, len, "end of line");
		return buf;
	case LEX_ERROR:
		(void)snprintf(buf, len, "%s", t->s);
		return buf;
	default:
		break;
	}
	if (len < 8) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	/* "text", control bytes shown as '?', long text cut with "..." */
	max = len - 6;
	buf[o++] = '"';
	for (i = 0; i < t->len && o < max; i++) {
		unsigned char c = (unsigned char)t->s[i];

		buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (i < t->len) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}
