/* The JSON writer (agent/util/jsonw.c): string escapes around runs of
 * plain bytes (written in one piece), UTF-8 passed or replaced, integers
 * formatted by hand (the extremes), numbers and nesting. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "jsonw.h"

/* the document jsonw writes for one string value */
static char *
str_doc(const char *v)
{
	struct jsonw j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jsonw_init(&j, f);
	jsonw_obj_begin(&j, NULL);
	jsonw_str(&j, "k", v);
	jsonw_obj_end(&j);
	fclose(f);
	return buf;
}

static void
test_strings(void)
{
	static const struct {
		const char *in, *out;
	} c[] = {
		{ "", "{\"k\":\"\"}" },
		{ "plain text 123", "{\"k\":\"plain text 123\"}" },
		{ "a\"b\\c", "{\"k\":\"a\\\"b\\\\c\"}" },
		{ "\"", "{\"k\":\"\\\"\"}" },
		{ "tab\there\nend\x01", "{\"k\":\"tab\\u0009here\\u000aend\\u0001\"}" },
		{ "caf\xc3\xa9 ok", "{\"k\":\"caf\xc3\xa9 ok\"}" },
		{ "\xe2\x82\xac", "{\"k\":\"\xe2\x82\xac\"}" },
		{ "bad \xc3 byte", "{\"k\":\"bad \\ufffd byte\"}" },
		{ "\xff", "{\"k\":\"\\ufffd\"}" },
		{ "x\x7f", "{\"k\":\"x\x7f\"}" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *d = str_doc(c[i].in);

		CHECK_STR(d, c[i].out);
		free(d);
	}
	{
		char *d = str_doc(NULL);

		CHECK_STR(d, "{\"k\":null}");
		free(d);
	}
}

static void
test_numbers(void)
{
	struct jsonw j;
	char *buf = NULL, want[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jsonw_init(&j, f);
	jsonw_arr_begin(&j, NULL);
	jsonw_int(&j, NULL, 0);
	jsonw_int(&j, NULL, 7);
	jsonw_int(&j, NULL, -42);
	jsonw_int(&j, NULL, LLONG_MAX);
	jsonw_int(&j, NULL, LLONG_MIN);
	jsonw_num(&j, NULL, 45.0, 0);
	jsonw_num(&j, NULL, -1.25, 2);
	jsonw_num(&j, NULL, 0.0 / 0.0, 1);
	jsonw_bool(&j, NULL, 1);
	jsonw_null(&j, NULL);
	jsonw_arr_end(&j);
	jsonw_end(&j);
	fclose(f);
	(void)snprintf(want, sizeof(want), "[0,7,-42,%lld,%lld,45,-1.25,null,"
	    "true,null]\n", LLONG_MAX, LLONG_MIN);
	CHECK_STR(buf, want);
	free(buf);
}

int
main(void)
{
	RUN(test_strings);
	RUN(test_numbers);
	return harness_end();
}
