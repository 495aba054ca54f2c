/*
 * A small JSON reader for the plugins: the daemon's answers (the shapes
 * of agent/bmc/shape.c) become a tree that the checks walk.  Outside
 * input: read through struct rbuf, bounded depth (PJSON_DEPTH_MAX),
 * bounded size (the caller's buffer), no recursion past the depth, and
 * a message naming the byte offset on any error.  Also builds trees
 * (pjson_new_*), so a source that is not the socket (SNMP) can give the
 * checks the same shape.
 */
#ifndef PJSON_H
#define PJSON_H

#include <stddef.h>

#define PJSON_DEPTH_MAX	32
#define PJSON_NODES_MAX	(1u << 20)

enum pjson_type {
	PJSON_NULL,
	PJSON_BOOL,
	PJSON_NUM,
	PJSON_STR,
	PJSON_ARR,
	PJSON_OBJ
};

struct pjson {
	enum pjson_type	 type;
	double		 num;	/* NUM; BOOL: 0 or 1 */
	char		*str;	/* STR (NUL-terminated; a \u0000 ends it) */
	char		*key;	/* a member's name, inside an OBJ */
	struct pjson	**kids;	/* ARR, OBJ */
	size_t		 n;
	size_t		 cap;
};

/* the tree of len bytes (one value, blanks around it); NULL with the
 * reason in err */
struct pjson	*pjson_parse(const char *, size_t len, char *err,
		    size_t errlen);
void		 pjson_free(struct pjson *);

/* a member of an object (NULL if v is not an object or lacks it) */
const struct pjson *pjson_get(const struct pjson *, const char *key);
/* the i-th element of an array or object, NULL past the end */
const struct pjson *pjson_at(const struct pjson *, size_t);
size_t		 pjson_len(const struct pjson *);
/* typed members: the value, or def when absent or of another type */
const char	*pjson_str(const struct pjson *, const char *key,
		    const char *def);
double		 pjson_num(const struct pjson *, const char *key, double def);
/* 1 with *v set if the member is a number */
int		 pjson_has_num(const struct pjson *, const char *key,
		    double *v);
int		 pjson_bool(const struct pjson *, const char *key, int def);

/* builders: a new node (owned by the caller, or by its parent once
 * added); pjson_add takes kid (key copied; NULL inside arrays) */
struct pjson	*pjson_new(enum pjson_type);
struct pjson	*pjson_new_num(double);
struct pjson	*pjson_new_bool(int);
struct pjson	*pjson_new_str(const char *);
struct pjson	*pjson_add(struct pjson *parent, const char *key,
		    struct pjson *kid);

#endif
