/*
 * webhook.c's queue file reader (webhook_queue_parse): the lines a
 * restart sends again, what a crash or a rewrite leaves behind skipped;
 * the sent file's reader (webhook_sent_parse).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "webhook.h"

struct got {
	uint64_t	 seq[16];
	char		 doc[16][64];
	size_t		 n;
};

static void
collect(void *arg, uint64_t seq, const char *doc, size_t len)
{
	struct got *g = arg;

	if (g->n >= 16 || len >= sizeof(g->doc[0]))
		return;
	g->seq[g->n] = seq;
	memcpy(g->doc[g->n], doc, len);
	g->doc[g->n][len] = '\0';
	g->n++;
}

static size_t
parse(const char *s, uint64_t sent, uint64_t *max, struct got *g)
{
	memset(g, 0, sizeof(*g));
	return webhook_queue_parse(s, strlen(s), sent, max, collect, g);
}

static void
test_lines(void)
{
	struct got g;
	uint64_t max;
	size_t sk;

	sk = parse("1 {\"a\":1}\n2 {\"b\":2}\n3 {\"c\":3}\n", 1, &max, &g);
	CHECK_EQ(sk, 0);
	CHECK_EQ(g.n, 2);
	CHECK_EQ(g.seq[0], 2);
	CHECK_STR(g.doc[0], "{\"b\":2}");
	CHECK_STR(g.doc[1], "{\"c\":3}");
	CHECK_EQ(max, 3);
	/* nothing: the sent number stays the maximum */
	sk = parse("", 41, &max, &g);
	CHECK_EQ(sk, 0);
	CHECK_EQ(g.n, 0);
	CHECK_EQ(max, 41);
}

static void
test_crash_and_rewrite(void)
{
	struct got g;
	uint64_t max;
	size_t sk;

	/* the last append cut by a crash: no newline */
	sk = parse("5 {\"a\":1}\n6 {\"b\"", 0, &max, &g);
	CHECK_EQ(sk, 1);
	CHECK_EQ(g.n, 1);
	CHECK_EQ(max, 5);
	/* a rewrite then an append of one it had: once */
	sk = parse("7 {}\n8 {}\n8 {}\n9 {}\n", 0, &max, &g);
	CHECK_EQ(sk, 1);
	CHECK_EQ(g.n, 3);
	CHECK_EQ(g.seq[2], 9);
	/* garbage lines */
	sk = parse("x {}\n10{}\n11 []\n\n12 {}\n18446744073709551616 {}\n",
	    0, &max, &g);
	CHECK_EQ(sk, 5);
	CHECK_EQ(g.n, 1);
	CHECK_EQ(g.seq[0], 12);
	CHECK_EQ(max, 12);
}

/* the sent file: "SEQ\n" as the daemon writes it, nothing else */
static void
test_sent_file(void)
{
	static const char *const bad[] = { "", "\n", "12", "12 \n",
	    " 12\n", "+12\n", "-1\n", "12\r\n", "12\n13\n", "1x\n",
	    "18446744073709551610\n", "18446744073709551616\n" };
	uint64_t seq = 0;
	size_t i;

	CHECK_EQ(webhook_sent_parse("41\n", 3, &seq), 0);
	CHECK_EQ(seq, 41);
	/* the reader's bound (that of the queue's lines): 2^64 - 7 */
	CHECK_EQ(webhook_sent_parse("18446744073709551609\n", 21, &seq), 0);
	CHECK(seq == UINT64_MAX - 6);
	CHECK_EQ(webhook_sent_parse("0\n", 2, &seq), 0);
	CHECK_EQ(seq, 0);
	CHECK_EQ(webhook_sent_parse("5\0\n", 3, &seq), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		seq = 7;
		CHECK_EQ(webhook_sent_parse(bad[i], strlen(bad[i]), &seq), -1);
		CHECK_EQ(seq, 7);
	}
}

int
main(void)
{
	RUN(test_lines);
	RUN(test_crash_and_rewrite);
	RUN(test_sent_file);
	return harness_end();
}
