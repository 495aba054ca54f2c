/*
 * The `open' transport without a BMC: what the owner sees when there is
 * no device, a node that is not an IPMI device, and a close with work
 * queued.  The real path (ioctls against ipmi_si) is tested in a QEMU
 * guest by tests/inband/test-inband.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "transport.h"

struct result {
	int		calls;
	enum ipmi_err	err;
	int		rsp_null;
};

static void
on_done(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct result *r = arg;

	r->calls++;
	r->err = err;
	r->rsp_null = rsp == NULL;
}

static struct ipmi_tr *
make(const char *device)
{
	struct ipmi_tr_cfg cfg;
	char err[256];

	memset(&cfg, 0, sizeof(cfg));
	cfg.iface = IPMI_IFACE_OPEN;
	snprintf(cfg.device, sizeof(cfg.device), "%s", device);
	return ipmi_tr_new(&cfg, err, sizeof(err));
}

/* Run the owner's loop until idle, at most a few turns: nothing here
 * ever waits for the device. */
static void
drive(struct ipmi_tr *tr, uint64_t now)
{
	int i;

	for (i = 0; i < 8 && !ipmi_tr_idle(tr); i++) {
		if (ipmi_tr_deadline(tr) != 0 && ipmi_tr_deadline(tr) <= now)
			ipmi_tr_timeout(tr, now);
	}
}

static void
test_no_device(void)
{
	struct ipmi_tr *tr = make("/nonexistent/bmcwatch-ipmi0");
	struct ipmi_req req;
	struct result r = { 0, IPMI_OK, 0 };
	const char *e;

	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	CHECK_STR(ipmi_tr_peer(tr), "/nonexistent/bmcwatch-ipmi0");
	CHECK_EQ(ipmi_tr_fd(tr), -1);
	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, &r, 100), 0);
	CHECK_EQ(r.calls, 0);		/* never from inside submit */
	drive(tr, 100);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_E_NODEVICE);
	CHECK(r.rsp_null);
	CHECK_EQ(ipmi_err_class(r.err), IPMI_CLASS_TRANSPORT);
	e = ipmi_tr_error(tr);
	CHECK(strncmp(e, "open: No such file or directory: ", 33) == 0);
	/* which advice depends on the host's driver state */
	CHECK(strstr(e, "modprobe ipmi_msghandler ipmi_devintf ipmi_si") !=
	    NULL || strstr(e, "mknod /dev/ipmi0 c ") != NULL ||
	    strstr(e, "modprobe ipmi_si") != NULL);
	CHECK_EQ(ipmi_tr_fd(tr), -1);
	CHECK_EQ(ipmi_tr_stats(tr)->packets_out, 0);
	ipmi_tr_free(tr);
}

static void
test_not_ipmi(void)
{
	struct ipmi_tr *tr = make("/dev/null");
	struct ipmi_req req;
	struct result r = { 0, IPMI_OK, 0 };

	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, &r, 5), 0);
	drive(tr, 5);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_E_IO);
	CHECK(strncmp(ipmi_tr_error(tr), "send: ", 6) == 0);
	CHECK_EQ(ipmi_tr_fd(tr), -1);	/* closed, reopened next time */
	CHECK_EQ(ipmi_tr_deadline(tr), 0);
	ipmi_tr_free(tr);
}

static void
test_close_queued(void)
{
	struct ipmi_tr *tr = make("/nonexistent/bmcwatch-ipmi0");
	struct ipmi_req req;
	struct result r1 = { 0, IPMI_OK, 0 }, r2 = { 0, IPMI_OK, 0 };

	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, &r1, 1), 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, &r2, 1), 0);
	ipmi_tr_close(tr, 1);
	CHECK_EQ(r1.calls, 1);
	CHECK_EQ(r1.err, IPMI_E_CLOSED);
	CHECK_EQ(r2.calls, 1);
	CHECK_EQ(r2.err, IPMI_E_CLOSED);
	CHECK(ipmi_tr_idle(tr));
	CHECK_EQ(ipmi_tr_deadline(tr), 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, &r1, 2), -1);
	ipmi_tr_free(tr);
}

static void
test_long_path(void)
{
	struct ipmi_tr_cfg cfg;
	char err[64] = "";

	memset(&cfg, 0, sizeof(cfg));
	cfg.iface = IPMI_IFACE_OPEN;
	memset(cfg.device, 'x', sizeof(cfg.device));
	CHECK(ipmi_tr_new(&cfg, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
}

int
main(void)
{
	RUN(test_no_device);
	RUN(test_not_ipmi);
	RUN(test_close_queued);
	RUN(test_long_path);
	return harness_end();
}
