/*
 * Reading JSON documents: the only user of the JSON library (jansson,
 * Debian's libjansson-dev; tests/lint.sh keeps <jansson.h> in
 * rfjson.c).  jansson because its ownership is documented reference
 * counting (one json_decref frees a document), its parser reports line
 * and column, and it rejects what we ask it to (duplicate keys, NUL in
 * strings, trailing bytes).  Callers see opaque values borrowed from the
 * document, typed accessors that never fail open, and nothing of
 * jansson.
 *
 * Bounds: a body longer than RFJSON_BODY_MAX is refused before parsing,
 * and so is one nested deeper than RFJSON_DEPTH_MAX (counted by a scan
 * of the bytes first, jansson's own limit being 2048).  The root must be
 * an object (every Redfish resource is one).
 */
#ifndef RFJSON_H
#define RFJSON_H

#include <stddef.h>

#define RFJSON_BODY_MAX		(4u * 1024 * 1024)
#define RFJSON_DEPTH_MAX	32

enum rfjson_type {
	RFJSON_ABSENT = 0,	/* a member that is not there */
	RFJSON_NULL,
	RFJSON_BOOL,
	RFJSON_NUMBER,
	RFJSON_STRING,
	RFJSON_ARRAY,
	RFJSON_OBJECT
};
/* "absent", "null", "a boolean", "a number", "a string", "an array",
 * "an object": for "expected a number, got a string" */
const char	*rfjson_type_name(enum rfjson_type);

struct rfjson;		/* a parsed document, owns its values */
struct rfjson_v;	/* a value in a document, borrowed from it */

/*
 * Parse len bytes.  0 with *out set (free with rfjson_free), or -1 with
 * err set: "body of N bytes over the 4 MiB limit", "nested deeper than
 * 32 levels (line 3, column 40)", "malformed JSON: line 1, column 17:
 * '}' expected near end of file", "not a JSON object but an array".
 */
int		 rfjson_parse(const char *, size_t, struct rfjson **out,
		    char *err, size_t errlen);
void		 rfjson_free(struct rfjson *);
const struct rfjson_v *rfjson_root(const struct rfjson *);

/* the type of v; RFJSON_ABSENT for NULL */
enum rfjson_type rfjson_type(const struct rfjson_v *);
/* member key of an object; NULL if obj is not an object or lacks it */
const struct rfjson_v *rfjson_get(const struct rfjson_v *obj,
		    const char *key);
/* element count of an array, member count of an object, 0 otherwise */
size_t		 rfjson_len(const struct rfjson_v *);
/* element i of an array, NULL if not an array or out of range */
const struct rfjson_v *rfjson_at(const struct rfjson_v *arr, size_t i);
/* the string (no NUL inside: refused by the parser), NULL if v is not
 * a string */
const char	*rfjson_str(const struct rfjson_v *);
/* 0 with the value of a number (finite), -1 if v is not one */
int		 rfjson_num(const struct rfjson_v *, double *);
/* 0 with 0/1 of a boolean, -1 if v is not one */
int		 rfjson_bool(const struct rfjson_v *, int *);

#endif
