/*
 * The tokenizer of every configuration grammar in the tree: the sensor
 * severity rules (agent/bmc/severity.c) and bmcwatchd.conf
 * (agent/daemon/conf.c).  Pure: it reads a caller's buffer and touches
 * no file, clock or log.
 *
 * Tokens:
 *	WORD	a run of bytes up to blank space (space, tab, CR, LF) and,
 *		with LEX_BRACES, up to '{' or '}'.  A '"' inside a word is
 *		part of it.
 *	STRING	"..." without its quotes.  It may not span lines: a line
 *		end or the end of input before the closing quote is an
 *		error ("unterminated quoted string", reported at the line
 *		of the opening quote).  With LEX_ESCAPES, \" stands for "
 *		and \\ for \; any other backslash is kept as it is (so
 *		regular expressions such as "\." need no doubling).
 *	LBRACE, RBRACE	'{' and '}' (LEX_BRACES only; else word bytes).
 *	NEWLINE	the end of a line (LEX_NEWLINES only; else blank space).
 *	EOF	the end of input; its line is that of the last byte.
 *	ERROR	with a message in lex_tok.s; every later call returns the
 *		same error.  A NUL byte in the input is an error.
 *
 * '#' at the start of a token begins a comment up to the end of the
 * line.  With LEX_HASHWORD (the severity grammar's "#N" sensor numbers)
 * a '#' followed by a non-blank byte begins a word instead, unless it
 * is the first token of its line.
 *
 * Token text lives in the lexer (one arena sized from the input, no
 * allocation per token) and stays valid until lex_fini(), so a parser
 * may hold a keyword and all its arguments at once.
 */
#ifndef LEX_H
#define LEX_H

#include <stddef.h>

#define LEX_NEWLINES	0x01	/* return NEWLINE tokens */
#define LEX_BRACES	0x02	/* '{' and '}' are tokens of their own */
#define LEX_ESCAPES	0x04	/* \" and \\ inside quoted strings */
#define LEX_HASHWORD	0x08	/* "#N" after a line's first token is a
				 * word, not a comment */

enum lex_type {
	LEX_EOF,
	LEX_WORD,
	LEX_STRING,
	LEX_LBRACE,
	LEX_RBRACE,
	LEX_NEWLINE,
	LEX_ERROR
};

struct lex_tok {
	enum lex_type	 type;
	unsigned	 line;	/* 1-based line where the token starts */
	const char	*s;	/* WORD, STRING: the text (NUL-terminated,
				 * owned by the lexer); ERROR: the message;
				 * others: "{", "}", "" */
	size_t		 len;	/* bytes of s */
};

/* Everything is private; the struct is public so callers can keep it
 * on the stack. */
struct lex {
	const char	*p;
	size_t		 len;
	size_t		 off;
	unsigned	 line;
	unsigned	 flags;
	unsigned	 ntok_line;	/* tokens so far on this line */
	char		*arena;
	size_t		 acap;
	size_t		 aoff;
	int		 failed;
	int		 peeked;
	struct lex_tok	 peek;
	char		 err[64];
};

/* Tokenize len bytes of buf (borrowed; must outlive the lexer). */
void		 lex_init(struct lex *, const char *buf, size_t len,
		    unsigned flags);
/* Free the token text; every token of this lexer becomes invalid. */
void		 lex_fini(struct lex *);
/* The next token, in *t; returns its type. */
enum lex_type	 lex_next(struct lex *, struct lex_tok *t);
/* The token lex_next would return, without consuming it. */
enum lex_type	 lex_peek(struct lex *, struct lex_tok *t);
/* A token for error messages: "end of file", "\"{\"", "end of line",
 * or the text quoted ("\"foo\""); written to buf, which is returned. */
const char	*lex_describe(const struct lex_tok *, char *buf, size_t len);

#endif
