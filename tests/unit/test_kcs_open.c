/*
 * The `open' transport without a BMC.  Against real nodes: what the owner
 * sees when there is no device, a node that is not an IPMI device, and a
 * close with work queued.  Against a faked driver (the .c is included with
 * ioctl() renamed, style rule 35; the fake answers only for one temporary
 * file, recognised by its inode, and passes every other fd to the real
 * ioctl): a handed-in fd that is kept through errors and never re-opened,
 * kcs_open_device, and event messages interleaved with responses.  The
 * real path (ioctls against ipmi_si) is tested in a QEMU guest by
 * tests/inband/test-inband.sh and test-events-inband.sh.
 */
#define ioctl kcs_fake_ioctl
/* the source itself, its ioctl replaced: its static functions are what
 * is tested (bugprone-suspicious-include: on purpose) */
#include "kcs_open.c" /* NOLINT(bugprone-suspicious-include) */
#undef ioctl

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

int	kcs_fake_ioctl(int, unsigned long, ...);
/* the real one: <sys/ioctl.h> declared it under the fake's name */
int	ioctl(int, unsigned long, ...);

/* the number of IPMICTL_SEND_COMMAND, made with the kernel's struct */
#define ipmi_req kernel_ipmi_req
static const unsigned long fake_send_cmd = IPMICTL_SEND_COMMAND;
#undef ipmi_req

struct fake_msg {
	int		 type;		/* IPMI_*_RECV_TYPE */
	long		 msgid;
	uint8_t		 netfn, cmd;
	uint8_t		 data[64];
	unsigned	 len;
};

/* the faked driver */
static struct {
	char		 path[64];
	ino_t		 ino;		/* the "device" */
	int		 send_errno;	/* next sends fail with it */
	int		 recv_errno;	/* next receives fail with it */
	int		 answer;	/* queue a response to each send */
	int		 event_first;	/* ... after an event and garbage */
	int		 gets_events;	/* last SET_GETS_EVENTS value */
	unsigned	 sends;
	struct fake_msg	 q[16];
	unsigned	 head, n;
} fk;

static const uint8_t ev_rec[16] = { 0x42, 0x00, 0x02, 0x10, 0x20, 0x30,
    0x40, 0x20, 0x00, 0x04, 0x01, 0x01, 0x01, 0x57, 0x60, 0x61 };

static void
fake_push(int type, long msgid, uint8_t netfn, uint8_t cmd,
    const uint8_t *data, unsigned len)
{
	struct fake_msg *m;

	if (fk.n >= 16)
		abort();
	m = &fk.q[(fk.head + fk.n++) % 16];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->msgid = msgid;
	m->netfn = netfn;
	m->cmd = cmd;
	memcpy(m->data, data, len);
	m->len = len;
}

static int
fake_is_device(int fd)
{
	struct stat st;

	return fk.ino != 0 && fstat(fd, &st) == 0 && st.st_ino == fk.ino;
}

int
kcs_fake_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!fake_is_device(fd))
		return ioctl(fd, req, arg);
	if (req == fake_send_cmd) {
		const struct kernel_ipmi_req *k = arg;
		uint8_t rsp[4] = { 0x00, 0x20, 0x01, 0x02 };

		if (fk.send_errno != 0) {
			errno = fk.send_errno;
			return -1;
		}
		fk.sends++;
		if (fk.event_first) {
			fake_push(IPMI_ASYNC_EVENT_RECV_TYPE, 0, 0x07, 0x35,
			    ev_rec, 16);
			/* a short one: not an event record, dropped */
			fake_push(IPMI_ASYNC_EVENT_RECV_TYPE, 0, 0x07, 0x35,
			    ev_rec, 15);
		}
		if (fk.answer)
			fake_push(IPMI_RESPONSE_RECV_TYPE, k->msgid,
			    (uint8_t)(k->msg.netfn | 1), k->msg.cmd, rsp,
			    sizeof(rsp));
		return 0;
	}
	switch (req) {
	case IPMICTL_RECEIVE_MSG_TRUNC: {
		struct ipmi_recv *r = arg;
		struct fake_msg *m;
		unsigned n;

		if (fk.recv_errno != 0) {
			errno = fk.recv_errno;
			return -1;
		}
		if (fk.n == 0) {
			errno = EAGAIN;
			return -1;
		}
		m = &fk.q[fk.head];
		fk.head = (fk.head + 1) % 16;
		fk.n--;
		r->recv_type = m->type;
		r->msgid = m->msgid;
		r->msg.netfn = m->netfn;
		r->msg.cmd = m->cmd;
		n = m->len < r->msg.data_len ? m->len : r->msg.data_len;
		memcpy(r->msg.data, m->data, n);
		r->msg.data_len = (unsigned short)n;
		if (n < m->len) {
			errno = EMSGSIZE;
			return -1;
		}
		return 0;
	}
	case IPMICTL_SET_GETS_EVENTS_CMD:
		fk.gets_events = *(int *)arg;
		return 0;
	case IPMICTL_GET_MY_ADDRESS_CMD:
		*(unsigned *)arg = 0x20;
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

/* a fresh fake device (a temporary file); its path in fk.path */
static void
fake_setup(void)
{
	struct stat st;
	int fd;

	memset(&fk, 0, sizeof(fk));
	(void)snprintf(fk.path, sizeof(fk.path), "/tmp/kcs-fake.XXXXXX");
	if ((fd = mkstemp(fk.path)) < 0 || fstat(fd, &st) != 0)
		abort();
	fk.ino = st.st_ino;
	(void)close(fd);
	fk.answer = 1;
}

static void
fake_teardown(void)
{
	(void)unlink(fk.path);
	fk.ino = 0;
}

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

	ipmi_tr_cfg_init(&cfg);
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

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_OPEN;
	memset(cfg.device, 'x', sizeof(cfg.device));
	CHECK(ipmi_tr_new(&cfg, err, sizeof(err)) == NULL);
	CHECK(err[0] != '\0');
}

/* a transport on an fd handed in by "the privileged parent" */
static struct ipmi_tr *
make_handed(int fd)
{
	struct ipmi_tr_cfg cfg;
	char err[256];

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_OPEN;
	/* a node that does not exist: any attempt to (re)open fails */
	snprintf(cfg.device, sizeof(cfg.device), "/nonexistent/ipmi0");
	cfg.fd = fd;
	cfg.retries = 1;
	return ipmi_tr_new(&cfg, err, sizeof(err));
}

/* submit Get Device ID and run it: kick, then read (the fake answers at
 * once) */
static void
one_request(struct ipmi_tr *tr, struct result *r, uint64_t now)
{
	struct ipmi_req req;

	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, on_done, r, now), 0);
	ipmi_tr_timeout(tr, now);
	if (r->calls == 0)
		ipmi_tr_readable(tr, now);
}

static void
test_open_device(void)
{
	char err[512];
	int fd;

	fake_setup();
	fd = kcs_open_device("/nonexistent/bmcwatch-ipmi0", err, sizeof(err));
	CHECK_EQ(fd, -1);
	/* the transport's own words, after the path and the step */
	CHECK(strncmp(err, "/nonexistent/bmcwatch-ipmi0: open: No such file "
	    "or directory: ", 62) == 0);
	CHECK(strstr(err, "modprobe ipmi_msghandler ipmi_devintf ipmi_si") !=
	    NULL || strstr(err, "mknod /dev/ipmi0 c ") != NULL ||
	    strstr(err, "modprobe ipmi_si") != NULL);
	/* a node that opens but is no IPMI device: said now */
	CHECK_EQ(kcs_open_device("/dev/null", err, sizeof(err)), -1);
	CHECK_STR(err, "/dev/null: not an IPMI device node (Inappropriate "
	    "ioctl for device)");
	fd = kcs_open_device(fk.path, err, sizeof(err));
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
		(void)close(fd);
	}
	fake_teardown();
}

/* a handed-in fd: requests go through it, errors fail the request and
 * keep it, nothing is ever (re)opened, and free closes it */
static void
test_handed_fd(void)
{
	struct result r = { 0, IPMI_OK, 0 };
	struct ipmi_tr *tr;
	char err[256];
	int fd;

	fake_setup();
	fd = kcs_open_device(fk.path, err, sizeof(err));
	CHECK(fd >= 0);
	tr = make_handed(fd);
	CHECK(tr != NULL);
	if (tr == NULL || fd < 0)
		return;
	CHECK_STR(ipmi_tr_peer(tr), "/nonexistent/ipmi0");
	CHECK_EQ(ipmi_tr_fd(tr), fd);		/* polled from the start */
	one_request(tr, &r, 10);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_OK);
	CHECK_EQ(fk.sends, 1);

	/* the driver refuses a send with an error that would make the CLI
	 * re-open its node */
	fk.send_errno = EIO;
	r.calls = 0;
	one_request(tr, &r, 20);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_E_IO);
	CHECK_STR(ipmi_tr_error(tr), "send: Input/output error");
	CHECK_EQ(ipmi_tr_fd(tr), -1);	/* not polled until the next one */
	CHECK(fcntl(fd, F_GETFD) != -1);	/* but kept open */

	/* the next request uses the same fd: a re-open of the nonexistent
	 * node would have failed with IPMI_E_NODEVICE */
	fk.send_errno = 0;
	r.calls = 0;
	one_request(tr, &r, 30);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_OK);
	CHECK_EQ(ipmi_tr_fd(tr), fd);

	/* a receive error while a request is in flight: the same */
	fk.recv_errno = EIO;
	r.calls = 0;
	one_request(tr, &r, 40);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_E_IO);
	CHECK_STR(ipmi_tr_error(tr), "receive: Input/output error");
	CHECK(fcntl(fd, F_GETFD) != -1);
	fk.recv_errno = 0;
	fk.n = 0;			/* the answer nobody read */
	r.calls = 0;
	one_request(tr, &r, 50);
	CHECK_EQ(r.err, IPMI_OK);

	/* a close does not give the fd up either: only free does */
	ipmi_tr_close(tr, 60);
	CHECK(ipmi_tr_idle(tr));
	CHECK(fcntl(fd, F_GETFD) != -1);
	ipmi_tr_free(tr);
	errno = 0;
	CHECK_EQ(fcntl(fd, F_GETFD), -1);
	CHECK_EQ(errno, EBADF);
	fake_teardown();
}

/* ipmi_tr_new fails: the handed-in fd is closed all the same */
static void
test_handed_fd_owned_on_failure(void)
{
	struct ipmi_tr_cfg cfg;
	char err[64];
	int p[2];

	CHECK_EQ(pipe(p), 0);
	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_OPEN;
	memset(cfg.device, 'x', sizeof(cfg.device));
	cfg.fd = p[0];
	CHECK(ipmi_tr_new(&cfg, err, sizeof(err)) == NULL);
	errno = 0;
	CHECK_EQ(fcntl(p[0], F_GETFD), -1);
	CHECK_EQ(errno, EBADF);
	(void)close(p[1]);
}

struct evseen {
	int		 calls;
	uint8_t		 rec[16];
	size_t		 len;
	int		 req_done_first;	/* the response came first */
	struct result	*r;
};

static void
on_event(void *arg, const uint8_t *rec, size_t len)
{
	struct evseen *e = arg;

	e->calls++;
	e->len = len;
	memcpy(e->rec, rec, len < 16 ? len : 16);
	if (e->r != NULL && e->r->calls > 0)
		e->req_done_first = 1;
}

/* event messages: asked for from the driver, handed to the callback,
 * interleaved with a response that still finds its request */
static void
test_events(void)
{
	struct result r = { 0, IPMI_OK, 0 };
	struct evseen e;
	struct ipmi_tr *tr;
	char err[256];
	int fd;

	fake_setup();
	memset(&e, 0, sizeof(e));
	e.r = &r;
	fd = kcs_open_device(fk.path, err, sizeof(err));
	tr = make_handed(fd);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	CHECK_EQ(fk.gets_events, 0);
	CHECK_EQ(ipmi_tr_set_event_cb(tr, on_event, &e), IPMI_OK);
	CHECK_EQ(fk.gets_events, 1);

	/* the driver queues an event, a runt, then the answer */
	fk.event_first = 1;
	one_request(tr, &r, 10);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.err, IPMI_OK);
	CHECK_EQ(e.calls, 1);
	CHECK_EQ(e.len, 16);
	CHECK_MEM(e.rec, ev_rec, 16);
	CHECK_EQ(e.req_done_first, 0);	/* in the order the driver gave */
	CHECK_EQ(ipmi_tr_stats(tr)->events, 1);
	CHECK_EQ(ipmi_tr_stats(tr)->dropped, 1);	/* the runt */
	CHECK_EQ(ipmi_tr_stats(tr)->requests, 1);

	/* with nothing in flight */
	fake_push(IPMI_ASYNC_EVENT_RECV_TYPE, 0, 0x07, 0x35, ev_rec, 16);
	ipmi_tr_readable(tr, 20);
	CHECK_EQ(e.calls, 2);

	/* stopped: the driver is told, and a late one is dropped */
	CHECK_EQ(ipmi_tr_set_event_cb(tr, NULL, NULL), IPMI_OK);
	CHECK_EQ(fk.gets_events, 0);
	fake_push(IPMI_ASYNC_EVENT_RECV_TYPE, 0, 0x07, 0x35, ev_rec, 16);
	ipmi_tr_readable(tr, 30);
	CHECK_EQ(e.calls, 2);
	CHECK_EQ(ipmi_tr_stats(tr)->dropped, 2);
	ipmi_tr_free(tr);
	fake_teardown();
}

/* the CLI's lazy node is opened by the request for events, and its
 * failure is the usual one */
static void
test_events_lazy_open(void)
{
	struct ipmi_tr *tr;
	struct evseen e;

	memset(&e, 0, sizeof(e));
	tr = make("/nonexistent/bmcwatch-ipmi0");
	CHECK_EQ(ipmi_tr_set_event_cb(tr, on_event, &e), IPMI_E_NODEVICE);
	CHECK(strncmp(ipmi_tr_error(tr), "open: No such file or directory: ",
	    33) == 0);
	CHECK_EQ(ipmi_tr_fd(tr), -1);
	ipmi_tr_free(tr);

	fake_setup();
	tr = make(fk.path);
	CHECK_EQ(ipmi_tr_fd(tr), -1);
	CHECK_EQ(ipmi_tr_set_event_cb(tr, on_event, &e), IPMI_OK);
	CHECK(ipmi_tr_fd(tr) >= 0);		/* open, to be polled */
	CHECK_EQ(fk.gets_events, 1);
	fake_push(IPMI_ASYNC_EVENT_RECV_TYPE, 0, 0x07, 0x35, ev_rec, 16);
	ipmi_tr_readable(tr, 5);
	CHECK_EQ(e.calls, 1);
	ipmi_tr_free(tr);
	fake_teardown();
}

int
main(void)
{
	RUN(test_no_device);
	RUN(test_not_ipmi);
	RUN(test_close_queued);
	RUN(test_long_path);
	RUN(test_open_device);
	RUN(test_handed_fd);
	RUN(test_handed_fd_owned_on_failure);
	RUN(test_events);
	RUN(test_events_lazy_open);
	return harness_end();
}
