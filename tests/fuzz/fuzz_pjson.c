/*
 * Fuzz the plugins' JSON reader (plugins/pjson.c), which reads the
 * daemon's answers, and the range parser (plugins/np.c) on the same
 * bytes.  What parses must hold together: every container's children
 * are there, strings are NUL-terminated, members have names, and the
 * depth bound holds.  A refusal must say where.  The same bytes as an
 * SNMP credentials file (psrc_cred_parse, -C and --v3-file): accepted,
 * every field is a bounded string and v3 has a user; refused, a
 * message and nothing left behind.  Seeds: the daemon's answers
 * (sensors, sel, chassis, watchdog, targets), broken ones and
 * credentials files (tests/fuzz/corpus/pjson/).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "np.h"
#include "pjson.h"
#include "psrc.h"

static void
walk(const struct pjson *v, int depth, int in_obj)
{
	size_t i;

	fuzz_must(depth <= PJSON_DEPTH_MAX + 1);
	fuzz_must(!in_obj || v->key != NULL);
	if (v->type == PJSON_STR)
		fuzz_must(v->str != NULL && strlen(v->str) < (size_t)1 << 30);
	if (v->type == PJSON_ARR || v->type == PJSON_OBJ) {
		fuzz_must(pjson_len(v) == v->n);
		for (i = 0; i < v->n; i++) {
			fuzz_must(pjson_at(v, i) == v->kids[i]);
			walk(v->kids[i], depth + 1, v->type == PJSON_OBJ);
			if (v->type == PJSON_OBJ)
				fuzz_must(pjson_get(v, v->kids[i]->key) != NULL);
		}
		fuzz_must(pjson_at(v, v->n) == NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char err[160], s[64];
	struct pjson *v;
	struct np_range r;
	struct psrc_cred c;
	int v3;

	err[0] = '\0';
	v = pjson_parse((const char *)data, len, err, sizeof(err));
	if (v != NULL)
		walk(v, 0, 0);
	else
		fuzz_must(strstr(err, "at byte") != NULL);
	pjson_free(v);
	for (v3 = 0; v3 < 2; v3++) {
		err[0] = '\0';
		if (psrc_cred_parse((const char *)data, len, v3, "f", &c, err,
		    sizeof(err)) == 0) {
			fuzz_must(strlen(c.community) < sizeof(c.community));
			fuzz_must(strlen(c.user) < sizeof(c.user));
			fuzz_must(strlen(c.authpass) < sizeof(c.authpass));
			fuzz_must(strlen(c.privpass) < sizeof(c.privpass));
			fuzz_must(v3 ? c.user[0] != '\0' : c.community[0] != '\0');
		} else
			fuzz_must(strncmp(err, "f:", 2) == 0 && c.user[0] == '\0');
	}
	if (len < sizeof(s)) {
		memcpy(s, data, len);
		s[len] = '\0';
		if (np_range_parse(s, &r, err, sizeof(err)) == 0) {
			fuzz_must(r.start_inf || r.end_inf || r.start <= r.end);
			(void)np_range_alert(&r, 0);
		}
	}
	return 0;
}
