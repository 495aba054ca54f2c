/* The shared tokenizer (agent/util/lex.c): words, quoted strings,
 * braces, comments, newlines, line numbers and errors; and, against a
 * copy of the tokenizer severity.c had before, identical splitting of
 * severity rule lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lex.h"

/* "W:text S:text { } N E:msg" for every token, up to EOF (not shown) */
static void
dump(const char *in, size_t len, unsigned flags, char *out, size_t cap,
    int with_lines)
{
	struct lex lx;
	struct lex_tok t;
	size_t o = 0;
	int k;

	out[0] = '\0';
	lex_init(&lx, in, len, flags);
	for (;;) {
		const char *kind;
		enum lex_type ty = lex_next(&lx, &t);

		if (ty == LEX_EOF)
			break;
		switch (ty) {
		case LEX_WORD:
			kind = "W:";
			break;
		case LEX_STRING:
			kind = "S:";
			break;
		case LEX_NEWLINE:
			kind = "N";
			break;
		case LEX_ERROR:
			kind = "E:";
			break;
		default:
			kind = "";
			break;
		}
		if (with_lines)
			k = snprintf(out + o, cap - o, "%s%u:%s%s", o ? " " :
			    "", t.line, kind, t.s);
		else
			k = snprintf(out + o, cap - o, "%s%s%s", o ? " " : "",
			    kind, t.s);
		if (k < 0 || (size_t)k >= cap - o)
			break;
		o += (size_t)k;
		if (ty == LEX_ERROR)
			break;
	}
	lex_fini(&lx);
}

#define CONF (LEX_BRACES | LEX_ESCAPES)

static void
check_dump(const char *in, unsigned flags, const char *want)
{
	char got[1024];

	dump(in, strlen(in), flags, got, sizeof(got), 0);
	CHECK_STR(got, want);
}

static void
test_words_strings(void)
{
	check_dump("", CONF, "");
	check_dump("   \t\r\n\n", CONF, "");
	check_dump("socket \"/run/x.sock\"", CONF, "W:socket S:/run/x.sock");
	check_dump("a\tb\r\nc", CONF, "W:a W:b W:c");
	/* an empty string is a token */
	check_dump("x \"\"", CONF, "W:x S:");
	/* quotes inside a word belong to it; a word may follow a string */
	check_dump("ab\"c\" \"d\"e", CONF, "W:ab\"c\" S:d W:e");
	/* escapes: \" and \\ only, others kept */
	check_dump("p \"a\\\"b\\\\c\\.d\\n\"", CONF, "W:p S:a\"b\\c\\.d\\n");
	/* without LEX_ESCAPES the first quote ends the string */
	check_dump("p \"a\\\"b\"", LEX_BRACES, "W:p S:a\\ W:b\"");
	/* bytes >= 0x80 are word bytes */
	check_dump("host \xc3\xa9t\xc3\xa9", CONF,
	    "W:host W:\xc3\xa9t\xc3\xa9");
}

static void
test_braces(void)
{
	check_dump("target \"db7\" {\n\thost x }", CONF,
	    "W:target S:db7 { W:host W:x }");
	/* braces end words */
	check_dump("watchdog{timeout 60}", CONF,
	    "W:watchdog { W:timeout W:60 }");
	check_dump("{}{", CONF, "{ } {");
	/* inside a string they are text */
	check_dump("\"{a}\"", CONF, "S:{a}");
	/* without LEX_BRACES they are word bytes */
	check_dump("a{b }", 0, "W:a{b W:}");
}

static void
test_comments(void)
{
	check_dump("# only\n", CONF, "");
	check_dump("a # b c\nd", CONF, "W:a W:d");
	check_dump("a #b\nc", CONF, "W:a W:c");
	check_dump("a{#}\n}", CONF, "W:a { }");
	/* '#' inside a word or a string is text */
	check_dump("a#b \"#c\"", CONF, "W:a#b S:#c");
	/* LEX_HASHWORD: "#N" after the first word is a word... */
	check_dump("exclude #0x40", LEX_HASHWORD, "W:exclude W:#0x40");
	/* ...a lone '#' is still a comment, and so is "#x" first */
	check_dump("exclude x # note", LEX_HASHWORD, "W:exclude W:x");
	check_dump("#x y", LEX_HASHWORD, "");
	check_dump("exclude #", LEX_HASHWORD, "W:exclude");
	/* the count restarts on each line */
	check_dump("a\n#b c\nd #e", LEX_HASHWORD, "W:a W:d W:#e");
}

static void
test_newlines_lines(void)
{
	char got[1024];
	const char *in = "a b\n\n  c # x\n\"d\"\n}";

	dump(in, strlen(in), CONF | LEX_NEWLINES, got, sizeof(got), 1);
	CHECK_STR(got, "1:W:a 1:W:b 1:N 2:N 3:W:c 3:N 4:S:d 4:N 5:}");
	dump(in, strlen(in), CONF, got, sizeof(got), 1);
	CHECK_STR(got, "1:W:a 1:W:b 3:W:c 4:S:d 5:}");
}

static void
test_eof_line(void)
{
	struct lex lx;
	struct lex_tok t;

	/* EOF is on the last line, whether or not it ends in a newline */
	lex_init(&lx, "a\nb\n", 4, CONF);
	CHECK_EQ(lex_next(&lx, &t), LEX_WORD);
	CHECK_EQ(lex_next(&lx, &t), LEX_WORD);
	CHECK_EQ(lex_next(&lx, &t), LEX_EOF);
	CHECK_EQ(t.line, 2);
	/* and stays there */
	CHECK_EQ(lex_next(&lx, &t), LEX_EOF);
	CHECK_EQ(t.line, 2);
	lex_fini(&lx);
	lex_init(&lx, "a\nb", 3, CONF);
	(void)lex_next(&lx, &t);
	(void)lex_next(&lx, &t);
	CHECK_EQ(lex_next(&lx, &t), LEX_EOF);
	CHECK_EQ(t.line, 2);
	lex_fini(&lx);
	lex_init(&lx, "", 0, CONF);
	CHECK_EQ(lex_next(&lx, &t), LEX_EOF);
	CHECK_EQ(t.line, 1);
	lex_fini(&lx);
}

static void
test_errors(void)
{
	char got[256];
	struct lex lx;
	struct lex_tok t;

	check_dump("a \"bc", CONF, "W:a E:unterminated quoted string");
	/* a string may not span lines; the error names the opening line */
	dump("x\n\"ab\ncd\"", 9, CONF, got, sizeof(got), 1);
	CHECK_STR(got, "1:W:x 2:E:unterminated quoted string");
	/* a backslash before the end is no escape of the end */
	check_dump("\"ab\\", CONF, "E:unterminated quoted string");
	dump("a\0b", 3, CONF, got, sizeof(got), 0);
	CHECK_STR(got, "E:NUL byte in input");
	dump("a \0", 3, CONF, got, sizeof(got), 0);
	CHECK_STR(got, "W:a E:NUL byte in input");
	dump("a #\0", 4, CONF, got, sizeof(got), 0);
	CHECK_STR(got, "W:a E:NUL byte in input");
	dump("\"a\0\"", 4, CONF, got, sizeof(got), 0);
	CHECK_STR(got, "E:NUL byte in input");
	/* sticky */
	lex_init(&lx, "\"x", 2, CONF);
	CHECK_EQ(lex_next(&lx, &t), LEX_ERROR);
	CHECK_EQ(lex_next(&lx, &t), LEX_ERROR);
	CHECK_STR(t.s, "unterminated quoted string");
	lex_fini(&lx);
}

static void
test_peek(void)
{
	struct lex lx;
	struct lex_tok t, u;

	lex_init(&lx, "a \"b\" {", 7, CONF);
	CHECK_EQ(lex_peek(&lx, &t), LEX_WORD);
	CHECK_STR(t.s, "a");
	CHECK_EQ(lex_peek(&lx, &t), LEX_WORD);
	CHECK_EQ(lex_next(&lx, &t), LEX_WORD);
	CHECK_STR(t.s, "a");
	CHECK_EQ(lex_peek(&lx, &u), LEX_STRING);
	CHECK_EQ(lex_next(&lx, &u), LEX_STRING);
	CHECK_EQ(lex_next(&lx, &u), LEX_LBRACE);
	/* earlier tokens stay valid until lex_fini */
	CHECK_STR(t.s, "a");
	CHECK_EQ(lex_next(&lx, &u), LEX_EOF);
	lex_fini(&lx);
}

static void
test_describe(void)
{
	struct lex_tok t;
	char buf[32];

	t.type = LEX_EOF;
	CHECK_STR(lex_describe(&t, buf, sizeof(buf)), "end of file");
	t.type = LEX_WORD;
	t.s = "ab\x1b[0m";
	t.len = strlen(t.s);
	CHECK_STR(lex_describe(&t, buf, sizeof(buf)), "\"ab?[0m\"");
	t.s = "0123456789012345678901234567890123456789";
	t.len = strlen(t.s);
	CHECK_STR(lex_describe(&t, buf, sizeof(buf)),
	    "\"0123456789012345678901234...\"");
	t.type = LEX_RBRACE;
	t.s = "}";
	t.len = 1;
	CHECK_STR(lex_describe(&t, buf, sizeof(buf)), "\"}\"");
}

/*
 * severity.c's tokenizer before it moved to lex.c, kept here verbatim
 * as the reference the conversion must match.
 */
static int
ref_sev_tokens(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0')
			return n;
		if (*p == '#' && (n == 0 || p[1] == '\0' || p[1] == ' ' ||
		    p[1] == '\t' || p[1] == '\r' || p[1] == '\n'))
			return n;
		if (n == max)
			return -1;
		if (*p == '"') {
			tok[n++] = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			if (*p != '"')
				return -1;
			*p++ = '\0';
			continue;
		}
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* what severity.c now does with lex.c */
static int
new_sev_tokens(struct lex *lx, const char *line, const char **tok, int max)
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
same_split(const char *line)
{
	char copy[128], *rtok[12];
	const char *ntok[12];
	struct lex lx;
	int rn, nn, i, same;

	(void)snprintf(copy, sizeof(copy), "%s", line);
	rn = ref_sev_tokens(copy, rtok, 12);
	nn = new_sev_tokens(&lx, line, ntok, 12);
	same = rn == nn;
	for (i = 0; same && i < rn; i++)
		same = strcmp(rtok[i], ntok[i]) == 0;
	lex_fini(&lx);
	if (!same)
		printf("# split differs for \"%s\": %d vs %d\n", line, rn, nn);
	return same;
}

static void
test_severity_equivalence(void)
{
	/*
	 * The bytes that matter to either tokenizer, and some that don't.
	 * A line has no '\n' but maybe its last byte: severity_load()
	 * reads lines with fgets, the fuzzer splits at '\n', and
	 * severity.h promises one line (the old tokenizer let a quoted
	 * string run past a '\n' inside; the shared one says
	 * "unterminated", which no severity input can reach).
	 */
	static const char alpha[] = " \t\r\"#{}\\ax0";
	static const char *fixed[] = {
		"type Power_Supply offset 0 warning",
		"type \"Entity Presence\" offset 1 critical  # absent",
		"sensor #0x37 offset 1 warning",
		"exclude #0x40", "exclude #", "#exclude x", "  # x",
		"sensor \"open offset 1 ok", "a b c d e f g h i j k l m",
		"a b c d e f g h i j k l", "\"a\"\"b\"#c", "a\"b\" c",
		"x #\t", "x #\r\n", "\"\"", "\"a\n", "a \"b\n",
	};
	unsigned seed = 12345, i, k, bad = 0;
	char line[40];

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		bad += !same_split(fixed[i]);
	/* 200000 random lines of up to 39 bytes: a fixed seed, so a
	 * failure reproduces */
	for (i = 0; i < 200000 && bad < 5; i++) {
		unsigned len;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(line);
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			line[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		line[len] = '\0';
		if (len > 0 && (seed >> 8) % 3 == 0)
			line[len - 1] = '\n';
		bad += !same_split(line);
	}
	CHECK_EQ(bad, 0);
}

int
main(void)
{
	RUN(test_words_strings);
	RUN(test_braces);
	RUN(test_comments);
	RUN(test_newlines_lines);
	RUN(test_eof_line);
	RUN(test_errors);
	RUN(test_peek);
	RUN(test_describe);
	RUN(test_severity_equivalence);
	return harness_end();
}
