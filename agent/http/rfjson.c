/*
 * jansson behind rfjson.h.  A struct rfjson_v is a json_t seen through
 * an opaque type, so accessors cost nothing and the values stay owned
 * by the document's one reference.
 */
#include <jansson.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfjson.h"
#include "xmem.h"

struct rfjson {
	json_t	*root;
};

static const json_t *
rfjson_j(const struct rfjson_v *v)
{
	return (const json_t *)(const void *)v;
}

static const struct rfjson_v *
rfjson_w(const json_t *j)
{
	return (const struct rfjson_v *)(const void *)j;
}

const char *
rfjson_type_name(enum rfjson_type t)
{
	switch (t) {
	case RFJSON_ABSENT:
		return "absent";
	case RFJSON_NULL:
		return "null";
	case RFJSON_BOOL:
		return "a boolean";
	case RFJSON_NUMBER:
		return "a number";
	case RFJSON_STRING:
		return "a string";
	case RFJSON_ARRAY:
		return "an array";
	case RFJSON_OBJECT:
		return "an object";
	}
	return "unknown";
}

/*
 * Deepest nesting of the bytes, outside strings; stops (returning
 * max + 1 and the place) as soon as max is passed.  Malformed input is
 * left to the parser.
 */
static int
rfjson_depth(const char *p, size_t len, int max, size_t *line, size_t *col)
{
	size_t i, l = 1, c = 0;
	int d = 0, in_str = 0, esc = 0;

	for (i = 0; i < len; i++) {
		char ch = p[i];

		c++;
		if (ch == '\n') {
			l++;
			c = 0;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1;
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		if (ch == '"')
			in_str = 1;
		else if (ch == '{' || ch == '[') {
			if (++d > max) {
				*line = l;
				*col = c;
				return d;
			}
		} else if ((ch == '}' || ch == ']') && d > 0)
			d--;
	}
	return 0;
}

int
rfjson_parse(const char *buf, size_t len, struct rfjson **out, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *root;
	size_t line = 0, col = 0;

	*out = NULL;
	if (len > RFJSON_BODY_MAX) {
		(void)snprintf(err, errlen, "body of %zu bytes over the %u "
		    "MiB limit", len, RFJSON_BODY_MAX / (1024 * 1024));
		return -1;
	}
	if (rfjson_depth(buf, len, RFJSON_DEPTH_MAX, &line, &col) != 0) {
		(void)snprintf(err, errlen, "nested deeper than %d levels "
		    "(line %zu, column %zu)", RFJSON_DEPTH_MAX, line, col);
		return -1;
	}
	/* numbers as doubles: an integer past 64 bits is a reading like
	 * any other, not a parse error; NUL inside strings and duplicate
	 * keys refused (which one would count?) */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_INT_AS_REAL, &je);
	if (root == NULL) {
		(void)snprintf(err, errlen, "malformed JSON: line %d, column "
		    "%d: %s", je.line, je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		(void)snprintf(err, errlen, "not a JSON object but %s",
		    rfjson_type_name(rfjson_type(rfjson_w(root))));
		json_decref(root);
		return -1;
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->root = root;
	return 0;
}

void
rfjson_free(struct rfjson *d)
{
	if (d == NULL)
		return;
	json_decref(d->root);
	free(d);
}

const struct rfjson_v *
rfjson_root(const struct rfjson *d)
{
	return d != NULL ? rfjson_w(d->root) : NULL;
}

enum rfjson_type
rfjson_type(const struct rfjson_v *v)
{
	const json_t *j = rfjson_j(v);

	if (j == NULL)
		return RFJSON_ABSENT;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return RFJSON_OBJECT;
	case JSON_ARRAY:
		return RFJSON_ARRAY;
	case JSON_STRING:
		return RFJSON_STRING;
	case JSON_INTEGER:
	case JSON_REAL:
		return RFJSON_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE:
		return RFJSON_BOOL;
	case JSON_NULL:
		return RFJSON_NULL;
	}
	return RFJSON_NULL;
}

const struct rfjson_v *
rfjson_get(const struct rfjson_v *obj, const char *key)
{
	const json_t *j = rfjson_j(obj);

	if (j == NULL || !json_is_object(j))
		return NULL;
	/* json_object_get takes a non-const object but does not change
	 * it */
	return rfjson_w(json_object_get((json_t *)(uintptr_t)j, key));
}

size_t
rfjson_len(const struct rfjson_v *v)
{
	const json_t *j = rfjson_j(v);

	if (j == NULL)
		return 0;
	if (json_is_array(j))
		return json_array_size(j);
	if (json_is_object(j))
		return json_object_size(j);
	return 0;
}

const struct rfjson_v *
rfjson_at(const struct rfjson_v *arr, size_t i)
{
	const json_t *j = rfjson_j(arr);

	if (j == NULL || !json_is_array(j))
		return NULL;
	return rfjson_w(json_array_get(j, i));
}

const char *
rfjson_str(const struct rfjson_v *v)
{
	const json_t *j = rfjson_j(v);

	return j != NULL && json_is_string(j) ? json_string_value(j) : NULL;
}

int
rfjson_num(const struct rfjson_v *v, double *out)
{
	const json_t *j = rfjson_j(v);
	double d;

	if (j == NULL || !json_is_number(j))
		return -1;
	d = json_number_value(j);
	if (!isfinite(d))
		return -1;
	*out = d;
	return 0;
}

int
rfjson_bool(const struct rfjson_v *v, int *out)
{
	const json_t *j = rfjson_j(v);

	if (j == NULL || !json_is_boolean(j))
		return -1;
	*out = json_is_true(j);
	return 0;
}
