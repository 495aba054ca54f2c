/*
 * A small streaming JSON writer: one document per struct jsonw.  Keys are
 * given for object members and NULL inside arrays.  Strings are escaped
 * (control characters, quote, backslash; bytes >= 0x80 pass through,
 * invalid UTF-8 is replaced by U+FFFD so the output always parses).
 */
#ifndef JSONW_H
#define JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH	16

struct jsonw {
	FILE	*f;
	int	 depth;
	int	 count[JSONW_MAX_DEPTH];
};

void	jsonw_init(struct jsonw *, FILE *);
void	jsonw_obj_begin(struct jsonw *, const char *key);
void	jsonw_obj_end(struct jsonw *);
void	jsonw_arr_begin(struct jsonw *, const char *key);
void	jsonw_arr_end(struct jsonw *);
/* v == NULL writes null */
void	jsonw_str(struct jsonw *, const char *key, const char *v);
void	jsonw_int(struct jsonw *, const char *key, long long);
/* %.*g-free fixed decimals; NaN/inf write null */
void	jsonw_num(struct jsonw *, const char *key, double, int decimals);
void	jsonw_bool(struct jsonw *, const char *key, int);
void	jsonw_null(struct jsonw *, const char *key);
/* bytes as a lower-case hex string without separators */
void	jsonw_hex(struct jsonw *, const char *key, const uint8_t *, size_t);
/* end the document with a newline */
void	jsonw_end(struct jsonw *);

#endif
