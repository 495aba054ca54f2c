/*
 * The plugins' shared code: the Monitoring Plugins range syntax in
 * every form (10, 10:, ~:10, 10:20, @10:20, negatives and fractions,
 * and what is refused), alerts on both sides of each edge, perfdata
 * items (label quoting and escaping, numbers, empty fields), the state
 * order, the JSON reader (plugins/pjson.c) on the daemon's shapes and
 * on broken input, the socket source's requests, and the SNMP
 * credentials files (-C, --v3-file): every key, and each refusal naming
 * FILE:LINE without echoing a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "np.h"
#include "pjson.h"
#include "psrc.h"

static int
parse(const char *s, struct np_range *r)
{
	char err[160];

	return np_range_parse(s, r, err, sizeof(err));
}

/* alert(range, v) through the parser */
static int
alert(const char *s, double v)
{
	struct np_range r;

	if (parse(s, &r) != 0)
		return -1;
	return np_range_alert(&r, v);
}

static void
test_range_plain(void)
{
	/* "10": outside 0..10 */
	CHECK_EQ(alert("10", -0.1), 1);
	CHECK_EQ(alert("10", 0), 0);
	CHECK_EQ(alert("10", 5), 0);
	CHECK_EQ(alert("10", 10), 0);
	CHECK_EQ(alert("10", 10.01), 1);
	CHECK_EQ(alert("0", 0), 0);
	CHECK_EQ(alert("0", 1), 1);
}

static void
test_range_start_only(void)
{
	/* "10:": outside 10..inf, i.e. below 10 */
	CHECK_EQ(alert("10:", 9.99), 1);
	CHECK_EQ(alert("10:", 10), 0);
	CHECK_EQ(alert("10:", 1e12), 0);
	CHECK_EQ(alert("-5:", -5.5), 1);
	CHECK_EQ(alert("-5:", -5), 0);
}

static void
test_range_tilde(void)
{
	/* "~:10": outside -inf..10, i.e. above 10 */
	CHECK_EQ(alert("~:10", -1e12), 0);
	CHECK_EQ(alert("~:10", 10), 0);
	CHECK_EQ(alert("~:10", 10.5), 1);
	CHECK_EQ(alert("~:", 5), 0);	/* -inf..inf: never */
}

static void
test_range_both(void)
{
	CHECK_EQ(alert("10:20", 9), 1);
	CHECK_EQ(alert("10:20", 10), 0);
	CHECK_EQ(alert("10:20", 15), 0);
	CHECK_EQ(alert("10:20", 20), 0);
	CHECK_EQ(alert("10:20", 21), 1);
	CHECK_EQ(alert("-20:-10", -15), 0);
	CHECK_EQ(alert("-20:-10", -9), 1);
	CHECK_EQ(alert("1.5:2.25", 2.25), 0);
	CHECK_EQ(alert("1.5:2.25", 2.26), 1);
	CHECK_EQ(alert("10:10", 10), 0);
	CHECK_EQ(alert("10:10", 10.1), 1);
}

static void
test_range_inside(void)
{
	/* "@10:20": alert inside 10..20, inclusive */
	CHECK_EQ(alert("@10:20", 9.9), 0);
	CHECK_EQ(alert("@10:20", 10), 1);
	CHECK_EQ(alert("@10:20", 20), 1);
	CHECK_EQ(alert("@10:20", 20.1), 0);
	CHECK_EQ(alert("@10", 0), 1);
	CHECK_EQ(alert("@10", -1), 0);
	CHECK_EQ(alert("@~:10", -50), 1);
	CHECK_EQ(alert("@~:10", 11), 0);
	CHECK_EQ(alert("@10:", 11), 1);
	CHECK_EQ(alert("@10:", 9), 0);
}

static void
test_range_refused(void)
{
	static const char *const bad[] = {
		"", "@", ":", "abc", "10:abc", "20:10", "1e3", "0x10",
		"10::20", "~10", "10:~", "~", "--1", "1.2.3", " 10", "10 ",
		"@@10", "nan", "inf", "+", ".", "10:20:30",
	};
	struct np_range r;
	char err[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (np_range_parse(bad[i], &r, err, sizeof(err)) == 0)
			printf("# accepted '%s'\n", bad[i]);
		CHECK(np_range_parse(bad[i], &r, err, sizeof(err)) == -1);
		/* the message names what was given */
		CHECK(strchr(err, '\'') != NULL);
	}
	CHECK(parse("+5", &r) == 0 && r.end == 5);
	CHECK(parse(".5", &r) == 0 && r.end == 0.5);
}

static void
test_range_str(void)
{
	static const char *const same[] = {
		"10", "10:", "~:10", "10:20", "@10:20", "-5:-1", "1.25:",
		"@~:0.5", "@0:10",
	};
	struct np_range r;
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		CHECK(parse(same[i], &r) == 0);
		np_range_str(&r, out, sizeof(out));
		CHECK_STR(out, same[i]);
	}
	CHECK(parse("0:10", &r) == 0);
	np_range_str(&r, out, sizeof(out));
	CHECK_STR(out, "10");	/* the same range, the short way */
}

static void
test_perf(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	double zero = 0, max = 100;

	np_perf(f, "CPU1 Temp", 45, 6, NULL, "5:85", "3:95", NULL, NULL);
	np_perf(f, "it's=odd", 1.5, 6, "C", NULL, NULL, &zero, &max);
	np_perf(f, "used", 12.3456, 2, "%", "~:80", "~:90", &zero, &max);
	np_perf(f, "neg", -0.0001, 2, NULL, NULL, NULL, NULL, NULL);
	(void)fclose(f);
	CHECK_STR(buf, "'CPU1 Temp'=45;5:85;3:95;; "
	    "'it''s_odd'=1.5C;;;0;100 "
	    "'used'=12.35%;~:80;~:90;0;100 "
	    "'neg'=0;;;;");
	free(buf);
}

static void
test_num(void)
{
	char out[48];

	np_num(12.0, 2, out, sizeof(out));
	CHECK_STR(out, "12");
	np_num(13.26, 6, out, sizeof(out));
	CHECK_STR(out, "13.26");
	np_num(-35, 0, out, sizeof(out));
	CHECK_STR(out, "-35");
	np_num(1e300 * 1e300, 2, out, sizeof(out));	/* inf: a number */
	CHECK_STR(out, "0");
}

static void
test_worst(void)
{
	CHECK_EQ(np_worst(NP_OK, NP_WARNING), NP_WARNING);
	CHECK_EQ(np_worst(NP_WARNING, NP_UNKNOWN), NP_WARNING);
	CHECK_EQ(np_worst(NP_UNKNOWN, NP_OK), NP_UNKNOWN);
	CHECK_EQ(np_worst(NP_CRITICAL, NP_UNKNOWN), NP_CRITICAL);
	CHECK_EQ(np_worst(NP_WARNING, NP_CRITICAL), NP_CRITICAL);
	CHECK_STR(np_state_name(NP_CRITICAL), "CRITICAL");
	CHECK_STR(np_state_name((enum np_state)7), "UNKNOWN");
}

static void
test_pjson(void)
{
	static const char doc[] =
	    "{\"sensors\":[{\"name\":\"FAN3\",\"reading\":700,\"unit\":"
	    "\"RPM\",\"state\":\"critical\",\"events\":[],\"thresholds\":"
	    "{\"lc\":700.00,\"lnc\":1000},\"note\":null},{\"name\":\"a\\\""
	    "\\u00e9\\ud83d\\ude00\",\"reading\":-1.5e2}],\"stale\":false,"
	    "\"age_s\":1.6}";
	char err[160];
	struct pjson *v = pjson_parse(doc, strlen(doc), err, sizeof(err));
	const struct pjson *l, *s;
	double x = 0;

	CHECK(v != NULL);
	if (v == NULL)
		return;
	l = pjson_get(v, "sensors");
	CHECK_EQ(pjson_len(l), 2);
	s = pjson_at(l, 0);
	CHECK_STR(pjson_str(s, "name", NULL), "FAN3");
	CHECK(pjson_num(s, "reading", 0) == 700);
	CHECK(pjson_has_num(pjson_get(s, "thresholds"), "lc", &x) && x == 700);
	CHECK(!pjson_has_num(pjson_get(s, "thresholds"), "uc", &x));
	CHECK(pjson_get(s, "note")->type == PJSON_NULL);
	CHECK(pjson_str(s, "note", "def") != NULL);
	CHECK_STR(pjson_str(pjson_at(l, 1), "name", NULL),
	    "a\"\xc3\xa9\xf0\x9f\x98\x80");
	CHECK(pjson_num(pjson_at(l, 1), "reading", 0) == -150);
	CHECK_EQ(pjson_bool(v, "stale", 1), 0);
	CHECK(pjson_at(l, 2) == NULL);
	CHECK(pjson_get(l, "x") == NULL);
	pjson_free(v);
}

static void
test_pjson_refused(void)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "[1 2]", "{,}",
		"nul", "tru", "01", "-", "1.", ".5", "1e", "\"\\x\"",
		"\"\\ud800\"", "\"a", "\"\x01\"", "{} x", "[\"\\u12\"]",
		"{\"a\":1,}", "'a'", "NaN",
	};
	char err[160], deep[200];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pjson *v;

		err[0] = '\0';
		v = pjson_parse(bad[i], strlen(bad[i]), err, sizeof(err));
		if (v != NULL)
			printf("# accepted '%s'\n", bad[i]);
		CHECK(v == NULL);
		pjson_free(v);
		CHECK(strstr(err, "at byte") != NULL);
	}
	/* nested past the bound */
	memset(deep, '[', sizeof(deep));
	CHECK(pjson_parse(deep, sizeof(deep), err, sizeof(err)) == NULL);
	CHECK(strstr(err, "deep") != NULL);
}

static void
test_request(void)
{
	char req[128];

	CHECK_EQ(psrc_request(PSRC_SENSORS, NULL, req, sizeof(req)), 0);
	CHECK_STR(req, "sensors format=json");
	CHECK_EQ(psrc_request(PSRC_SEL_OPEN, "db7", req, sizeof(req)), 0);
	CHECK_STR(req, "sel list open=1 format=json target=db7");
	CHECK_EQ(psrc_request(PSRC_CHASSIS, "x", req, 10), -1);
}

/* psrc_cred_parse of a C string; the error in err */
static int
cred(const char *s, int v3, struct psrc_cred *c, char *err, size_t len)
{
	return psrc_cred_parse(s, strlen(s), v3, "F", c, err, len);
}

static void
test_cred(void)
{
	struct psrc_cred c;
	char err[200];
	size_t i;
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "F: no user= line" },
		{ "user=u\nauth=SHA\n", "F: auth= and authpass= go together" },
		{ "user=u\nauthpass=12345678\n",
		    "F: auth= and authpass= go together" },
		{ "user=u\npriv=AES\nprivpass=12345678\n",
		    "F: priv= needs privpass= and auth=" },
		{ "user=u\nauth=SHA\nauthpass=12345678\npriv=AES\n",
		    "F: priv= needs privpass= and auth=" },
		{ "user=u\nauth=SHA3\n",
		    "F:2: auth: 'SHA3' is not MD5, SHA, SHA-256 or SHA-512" },
		{ "user=u\npriv=3DES\n", "F:2: priv: '3DES' is not DES or AES" },
		{ "# c\n\nuser=u\nauthpass=short77\n",
		    "F:4: authpass: 8 to 255 printable characters" },
		{ "user=u\ncommunity=public\n",
		    "F:2: unknown key 'community' (user, auth, authpass, priv, "
		    "privpass)" },
		{ "user\n", "F:1: expected key=value" },
		{ "user=\n", "F:1: user: 1 to 63 printable characters" },
		{ "user=a\tb\n", "F:1: user: 1 to 63 printable characters" },
	};

	/* v2c: the first line, CR LF or not, nothing else looked at */
	CHECK_EQ(cred("public\r\nsecond\n", 0, &c, err, sizeof(err)), 0);
	CHECK_EQ(c.version, 2);
	CHECK_STR(c.community, "public");
	CHECK_EQ(cred("s3cr=t", 0, &c, err, sizeof(err)), 0);
	CHECK_STR(c.community, "s3cr=t");
	CHECK_EQ(cred("", 0, &c, err, sizeof(err)), -1);
	CHECK_STR(err, "F: empty: the first line is the community");
	CHECK_EQ(cred("\nx\n", 0, &c, err, sizeof(err)), -1);
	CHECK_STR(err, "F:1: the community must be 1 to 255 printable "
	    "characters");
	CHECK_EQ(psrc_cred_parse("a\0b", 3, 0, "F", &c, err, sizeof(err)),
	    -1);
	CHECK_STR(err, "F:1: a NUL byte");

	/* v3: every key, comments, blanks, blanks before a key */
	CHECK_EQ(cred("# monitoring\n\n  user=nagios\nauth=sha-256\n"
	    "authpass=auth pass 1\npriv=AES\nprivpass=priv pass 1\n", 1, &c,
	    err, sizeof(err)), 0);
	CHECK_EQ(c.version, 3);
	CHECK_STR(c.user, "nagios");
	CHECK_EQ(c.auth, SNMPGET_AUTH_SHA256);
	CHECK_STR(c.authpass, "auth pass 1");
	CHECK_EQ(c.priv, SNMPGET_PRIV_AES);
	CHECK_STR(c.privpass, "priv pass 1");
	CHECK_EQ(cred("user=u\nauth=MD5\nauthpass=12345678", 1, &c, err,
	    sizeof(err)), 0);
	CHECK_EQ(c.auth, SNMPGET_AUTH_MD5);
	CHECK_EQ(c.priv, SNMPGET_PRIV_NONE);
	CHECK_EQ(cred("user=u\n", 1, &c, err, sizeof(err)), 0);
	CHECK_EQ(c.auth, SNMPGET_AUTH_NONE);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_EQ(cred(bad[i].text, 1, &c, err, sizeof(err)), -1);
		CHECK_STR(err, bad[i].why);
		/* refused: nothing half-filled is left */
		CHECK(c.user[0] == '\0' && c.authpass[0] == '\0');
	}
	/* the secret is never in the message */
	CHECK_EQ(cred("user=u\nauth=SHA\nauthpass=hunter2\n", 1, &c, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "hunter2") == NULL);
}

int
main(void)
{
	RUN(test_range_plain);
	RUN(test_range_start_only);
	RUN(test_range_tilde);
	RUN(test_range_both);
	RUN(test_range_inside);
	RUN(test_range_refused);
	RUN(test_range_str);
	RUN(test_perf);
	RUN(test_num);
	RUN(test_worst);
	RUN(test_pjson);
	RUN(test_pjson_refused);
	RUN(test_request);
	RUN(test_cred);
	return harness_end();
}
