/* Unit tests for the generic request queue (transport.c), the event-loop
 * glue (bmc/conn.c) and the scripted transport (fake.c). */
#include <stdint.h>

#include "harness.h"
#include "conn.h"
#include "ev.h"
#include "fake.h"

struct seen {
	int		 calls;
	enum ipmi_err	 err;
	uint8_t		 ccode;
	uint8_t		 first;
};

static void
done(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct seen *s = arg;

	s->calls++;
	s->err = err;
	if (rsp != NULL) {
		s->ccode = rsp->ccode;
		s->first = rsp->len ? rsp->data[0] : 0;
	}
}

static void
test_queue_order_and_no_reentry(void)
{
	static const uint8_t a[] = { 0x11 }, b[] = { 0x22 };
	struct fake_rule rules[] = {
		{ 6, 1, NULL, 0, IPMI_OK, 0, a, 1, 1 },
		{ 6, 1, NULL, 0, IPMI_OK, 0, b, 1, 0 },
		{ 0, 1, NULL, 0, IPMI_E_TIMEOUT, 0, NULL, 0, 0 },
	};
	struct ipmi_tr *tr = fake_new(rules, 3);
	struct ipmi_req q;
	struct seen s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, s4 = { 0 };

	ipmi_req_init(&q, 6, 1, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &q, done, &s1, 10), 0);
	CHECK_EQ(ipmi_tr_submit(tr, &q, done, &s2, 10), 0);
	ipmi_req_init(&q, 0, 1, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &q, done, &s3, 10), 0);
	ipmi_req_init(&q, 0x0a, 0x40, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &q, done, &s4, 10), 0);
	/* nothing completes inside submit */
	CHECK_EQ(s1.calls, 0);
	CHECK(ipmi_tr_deadline(tr) != 0);
	while (ipmi_tr_deadline(tr) != 0)
		ipmi_tr_timeout(tr, 20);
	CHECK_EQ(s1.calls, 1);
	CHECK_EQ(s1.first, 0x11);
	CHECK_EQ(s2.first, 0x22);	/* the first rule was used up */
	CHECK_EQ(s3.err, IPMI_E_TIMEOUT);
	CHECK_EQ(s4.err, IPMI_OK);
	CHECK_EQ(s4.ccode, IPMI_CC_INVALID_COMMAND);
	CHECK_EQ(fake_count(tr, 6, 1), 2);
	CHECK_EQ(fake_count(tr, FAKE_ANY, FAKE_ANY), 4);
	CHECK(ipmi_tr_idle(tr));
	ipmi_tr_free(tr);
}

static void
test_queue_full_and_close(void)
{
	struct ipmi_tr *tr = fake_new(NULL, 0);
	struct ipmi_req q;
	struct seen s = { 0 };
	int i, ok = 0;

	ipmi_req_init(&q, 6, 1, NULL, 0);
	for (i = 0; i < IPMI_TR_QUEUE + 5; i++)
		if (ipmi_tr_submit(tr, &q, done, &s, 1) == 0)
			ok++;
	CHECK_EQ(ok, IPMI_TR_QUEUE);
	/* close fails everything queued, once each */
	ipmi_tr_close(tr, 2);
	CHECK_EQ(s.calls, IPMI_TR_QUEUE);
	CHECK_EQ(s.err, IPMI_E_CLOSED);
	CHECK(ipmi_tr_idle(tr));
	CHECK_EQ(ipmi_tr_submit(tr, &q, done, &s, 3), -1);
	ipmi_tr_free(tr);
}

static void
test_conn_call(void)
{
	static const uint8_t a[] = { 0x20, 0x01 };
	struct fake_rule rules[] = {
		{ 6, 1, NULL, 0, IPMI_OK, 0, a, 2, 0 },
	};
	struct ev *ev = ev_new();
	struct conn *c = conn_new(ev, fake_new(rules, 1));
	struct ipmi_req q;
	struct ipmi_rsp rsp;

	ipmi_req_init(&q, 6, 1, NULL, 0);
	CHECK_EQ(conn_call(c, &q, &rsp), IPMI_OK);
	CHECK_EQ(rsp.len, 2);
	CHECK_EQ(rsp.data[0], 0x20);
	ipmi_req_init(&q, 6, 2, NULL, 0);
	CHECK_EQ(conn_call(c, &q, &rsp), IPMI_OK);
	CHECK_EQ(rsp.ccode, IPMI_CC_INVALID_COMMAND);
	conn_close(c);
	conn_drain(c);
	CHECK(conn_idle(c));
	conn_free(c);
	ev_free(ev);
}

static int64_t
tick(void *arg)
{
	int *n = arg;

	return ++*n < 3 ? 1 : EV_STOP;
}

static void
test_ev_timer(void)
{
	struct ev *ev = ev_new();
	volatile int done_flag = 0;
	int n = 0;

	(void)ev_timer_add(ev, 0, tick, &n);
	CHECK_EQ(ev_run(ev, &done_flag), 0);	/* ends: nothing armed */
	CHECK_EQ(n, 3);
	ev_free(ev);
}

int
main(void)
{
	RUN(test_queue_order_and_no_reentry);
	RUN(test_queue_full_and_close);
	RUN(test_conn_call);
	RUN(test_ev_timer);
	return harness_end();
}
