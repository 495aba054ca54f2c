/*
 * A small streaming JSON writer: one document per struct json.  Keys are
 * given for object members and NULL inside arrays.  Strings are escaped
 * (control characters, quote, backslash; bytes >= 0x80 pass through,
 * invalid UTF-8 is replaced by U+FFFD so the output always parses).
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE	*f;
	int	 depth;
	int	 count[JSON_MAX_DEPTH];
};

void	json_init(struct json *, FILE *);
void	json_obj_begin(struct json *, const char *key);
void	json_obj_end(struct json *);
void	json_arr_begin(struct json *, const char *key);
void	json_arr_end(struct json *);
/* v == NULL writes null */
void	json_str(struct json *, const char *key, const char *v);
void	json_int(struct json *, const char *key, long long);
/* %.*g-free fixed decimals; NaN/inf write null */
void	json_num(struct json *, const char *key, double, int decimals);
void	json_bool(struct json *, const char *key, int);
void	json_null(struct json *, const char *key);
/* bytes as a lower-case hex string without separators */
void	json_hex(struct json *, const char *key, const uint8_t *, size_t);
/* end the document with a newline */
void	json_end(struct json *);

#endif
