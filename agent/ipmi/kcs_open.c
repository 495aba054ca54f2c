/*
 * The `open' transport: the Linux OpenIPMI driver (ipmi_msghandler,
 * ipmi_devintf, ipmi_si) through /dev/ipmi0.
 *
 * Two ways to get the device.  The daemon opens the node as root
 * (kcs_open_device) before it drops privileges and hands the fd in
 * (cfg.fd): the transport keeps that fd for its whole life and never
 * opens a node, which it could not do any more; an error fails the
 * request only.  The CLI (cfg.fd -1) opens the node lazily, by the
 * first request, and again after an I/O error, and reports a missing
 * driver as "/dev/ipmi0: open: ...".
 *
 * Every request is one IPMICTL_SEND_COMMAND with a msgid of its own; the
 * answer is matched on that msgid.  Event messages (once asked for with
 * ipmi_tr_set_event_cb: IPMICTL_SET_GETS_EVENTS_CMD, the driver then
 * reads the BMC's Event Message Buffer when the BMC flags it) arrive as
 * IPMI_ASYNC_EVENT_RECV_TYPE and go to the owner's callback; anything
 * else read from the device is counted as dropped.  The driver runs its
 * own timers, but ours bound each attempt (cfg.timeout_ms) and resend up
 * to cfg.retries times.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * <linux/ipmi.h> and our ipmi.h both define struct ipmi_req: the kernel's
 * is renamed for this file, and the one ioctl that takes it is wrapped
 * while the rename is in effect (the ioctl number encodes its size).
 */
#define ipmi_req	kernel_ipmi_req
#include <linux/ipmi.h>

static int
kcs_ioctl_send(int fd, struct kernel_ipmi_req *kreq)
{
	return ioctl(fd, IPMICTL_SEND_COMMAND, kreq);
}
#undef ipmi_req

#include "transport.h"

#define KCS_MAX_RECV	8	/* messages read per readable call */

static const char *const kcs_probe[] = {
	"/dev/ipmi0",
	"/dev/ipmi/0",
	"/dev/ipmidev/0",
};

struct kcs_open {
	struct ipmi_tr	 tr;		/* first: we are cast from it */
	long		 nextid;	/* msgid of the next request */
	long		 msgid;		/* msgid in flight */
	int		 inflight;
	unsigned	 sends;		/* attempts for the request in flight */
	/*
	 * A handed-in fd (cfg.fd >= 0) lives in dev until free.  After a
	 * device error tr.fd is set to -1 (the owner stops polling an fd
	 * that may keep failing) and back to dev by the next request.
	 */
	int		 handed;
	int		 dev;
	int		 events_on;	/* the owner wants event messages */
};

static enum ipmi_err	kcs_start(struct ipmi_tr *, uint64_t);
static void		kcs_readable(struct ipmi_tr *, uint64_t);
static void		kcs_timeout(struct ipmi_tr *, uint64_t);
static void		kcs_close(struct ipmi_tr *, uint64_t);
static void		kcs_free(struct ipmi_tr *);
static enum ipmi_err	kcs_events(struct ipmi_tr *, int);

static const struct ipmi_tr_ops kcs_ops = {
	.name = "open",
	.start = kcs_start,
	.readable = kcs_readable,
	.timeout = kcs_timeout,
	.close = kcs_close,
	.free = kcs_free,
	.events = kcs_events,
};

/*
 * Major number of the ipmidev character device from /proc/devices, or -1
 * when ipmi_devintf is not loaded.
 */
static int
ipmidev_major(void)
{
	char line[128], *end;
	FILE *fp;
	int major = -1;
	long m;

	if ((fp = fopen("/proc/devices", "re")) == NULL)
		return -1;
	/* "NNN name\n" lines (the number right-aligned) */
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "Block", 5) == 0)
			break;
		errno = 0;
		m = strtol(line, &end, 10);
		if (end != line && errno == 0 && m >= 0 && m <= INT_MAX &&
		    *end == ' ' && strcmp(end + 1, "ipmidev\n") == 0) {
			major = (int)m;
			break;
		}
	}
	fclose(fp);
	return major;
}

/*
 * Why `path' could not be opened (errno e), in words a person can act on:
 * "<strerror>: <what to do>" in msg.  The error class is returned.
 */
static enum ipmi_err
kcs_explain(const char *path, int e, char *msg, size_t len)
{
	struct stat st;
	int major;

	switch (e) {
	case ENOENT:
		major = ipmidev_major();
		if (major < 0) {
			(void)snprintf(msg, len, "%s: the IPMI driver is not "
			    "loaded; run: modprobe ipmi_msghandler "
			    "ipmi_devintf ipmi_si", strerror(e));
		} else if (stat("/sys/class/ipmi/ipmi0", &st) == 0) {
			(void)snprintf(msg, len, "%s: the IPMI driver is "
			    "loaded (ipmidev major %d) but the device node is "
			    "missing; run: mknod /dev/ipmi0 c %d 0",
			    strerror(e), major, major);
		} else {
			(void)snprintf(msg, len, "%s: ipmi_devintf is loaded "
			    "(major %d) but no interface: run: modprobe "
			    "ipmi_si (no BMC?); then, if the node is missing: "
			    "mknod /dev/ipmi0 c %d 0", strerror(e), major,
			    major);
		}
		return IPMI_E_NODEVICE;
	case EACCES:
	case EPERM:
		(void)snprintf(msg, len, "%s: needs root, or read-write "
		    "access to %s (a udev rule for group ipmi)", strerror(e),
		    path);
		return IPMI_E_NODEVICE;
	case ENXIO:
	case ENODEV:
		(void)snprintf(msg, len, "%s: no IPMI interface behind the "
		    "node; run: modprobe ipmi_si (no BMC?)", strerror(e));
		return IPMI_E_NODEVICE;
	default:
		(void)snprintf(msg, len, "%s", strerror(e));
		return IPMI_E_IO;
	}
}

/*
 * Open device, or without one the first of kcs_probe that exists.  The
 * fd, or -1 with the reason in msg and its class in *err; *path is the
 * node opened or tried.
 */
static int
kcs_open_node(const char *device, const char **path, char *msg, size_t len,
    enum ipmi_err *err)
{
	const int flags = O_RDWR | O_NONBLOCK | O_CLOEXEC;
	size_t i;
	int fd;

	if (device != NULL && device[0] != '\0') {
		*path = device;
		if ((fd = open(device, flags)) < 0)
			*err = kcs_explain(device, errno, msg, len);
		return fd;
	}
	for (i = 0; i < sizeof(kcs_probe) / sizeof(kcs_probe[0]); i++) {
		*path = kcs_probe[i];
		if ((fd = open(kcs_probe[i], flags)) >= 0)
			return fd;
		if (errno != ENOENT) {
			*err = kcs_explain(kcs_probe[i], errno, msg, len);
			return -1;
		}
	}
	*path = kcs_probe[0];
	*err = kcs_explain(kcs_probe[0], ENOENT, msg, len);
	return -1;
}

/* ask the driver for event messages on fd (on) or stop them */
static int
kcs_gets_events(int fd, int on)
{
	int v = on ? 1 : 0;

	return ioctl(fd, IPMICTL_SET_GETS_EVENTS_CMD, &v);
}

int
kcs_open_device(const char *device, char *err, size_t errlen)
{
	const char *path;
	char msg[300];
	enum ipmi_err e;
	unsigned addr;
	int fd;

	if ((fd = kcs_open_node(device, &path, msg, sizeof(msg), &e)) < 0) {
		(void)snprintf(err, errlen, "%s: open: %s", path, msg);
		return -1;
	}
	/* a harmless question only the IPMI driver answers: a wrong path
	 * in the configuration is caught now, not at the first poll */
	if (ioctl(fd, IPMICTL_GET_MY_ADDRESS_CMD, &addr) < 0) {
		(void)snprintf(err, errlen, "%s: not an IPMI device node "
		    "(%s)", path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	return fd;
}

static enum ipmi_err
kcs_open_dev(struct ipmi_tr *tr)
{
	struct kcs_open *k = (struct kcs_open *)tr;
	const char *path;
	char msg[300];
	enum ipmi_err e = IPMI_E_IO;
	int fd;

	fd = kcs_open_node(tr->cfg.device, &path, msg, sizeof(msg), &e);
	if (tr->cfg.device[0] == '\0')
		(void)snprintf(tr->peer, sizeof(tr->peer), "%s", path);
	if (fd < 0) {
		ipmi_tr_seterr(tr, "open", "%s", msg);
		return e;
	}
	k->dev = tr->fd = fd;
	/* a new fd has no event registration yet */
	if (k->events_on && kcs_gets_events(fd, 1) < 0) {
		ipmi_tr_seterr(tr, "events", "%s", strerror(errno));
		return IPMI_E_IO;
	}
	return IPMI_OK;
}

/* After a device error: a node we opened is closed (the next request
 * re-opens it); a handed-in fd is kept but not polled until then. */
static void
kcs_close_dev(struct ipmi_tr *tr)
{
	struct kcs_open *k = (struct kcs_open *)tr;

	if (!k->handed && k->dev >= 0)
		(void)close(k->dev);
	if (!k->handed)
		k->dev = -1;
	tr->fd = -1;
}

/* One IPMICTL_SEND_COMMAND of the request in flight. */
static enum ipmi_err
kcs_send(struct kcs_open *k, uint64_t now)
{
	struct ipmi_tr *tr = &k->tr;
	const struct ipmi_req *req = ipmi_tr_cur(tr);
	struct ipmi_system_interface_addr si;
	struct ipmi_ipmb_addr ipmb;
	struct kernel_ipmi_req kreq;
	unsigned char data[IPMI_MAX_DATA];
	int e;

	if (req == NULL)
		return IPMI_E_PROTO;
	if (req->len > sizeof(data)) {
		ipmi_tr_seterr(tr, "send", "request data too long (%u bytes)",
		    (unsigned)req->len);
		return IPMI_E_LENGTH;
	}
	memcpy(data, req->data, req->len);
	memset(&kreq, 0, sizeof(kreq));
	if (req->bridged) {
		memset(&ipmb, 0, sizeof(ipmb));
		ipmb.addr_type = IPMI_IPMB_ADDR_TYPE;
		ipmb.channel = req->target_chan;
		ipmb.slave_addr = req->target_addr;
		ipmb.lun = req->lun & 3;
		kreq.addr = (unsigned char *)&ipmb;
		kreq.addr_len = sizeof(ipmb);
	} else {
		memset(&si, 0, sizeof(si));
		si.addr_type = IPMI_SYSTEM_INTERFACE_ADDR_TYPE;
		si.channel = IPMI_BMC_CHANNEL;
		si.lun = req->lun & 3;
		kreq.addr = (unsigned char *)&si;
		kreq.addr_len = sizeof(si);
	}
	kreq.msgid = k->msgid;
	kreq.msg.netfn = req->netfn;
	kreq.msg.cmd = req->cmd;
	kreq.msg.data = data;
	kreq.msg.data_len = req->len;

	if (kcs_ioctl_send(tr->fd, &kreq) < 0) {
		e = errno;
		switch (e) {
		case EMSGSIZE:
			ipmi_tr_seterr(tr, "send", "%s: %u data bytes are too "
			    "many for the driver", strerror(e),
			    (unsigned)req->len);
			return IPMI_E_LENGTH;
		case EINVAL:
			/* the driver refused the address or command; the
			 * device itself is fine */
			if (req->bridged)
				ipmi_tr_seterr(tr, "send", "%s: the driver "
				    "refused channel %u address 0x%02x",
				    strerror(e), req->target_chan,
				    req->target_addr);
			else
				ipmi_tr_seterr(tr, "send", "%s: the driver "
				    "refused NetFn 0x%02x Cmd 0x%02x",
				    strerror(e), req->netfn, req->cmd);
			return IPMI_E_IO;
		case ENOMEM:
		case EBUSY:
		case EAGAIN:
			ipmi_tr_seterr(tr, "send", "%s", strerror(e));
			return IPMI_E_IO;
		default:
			/* the interface may be gone: a node of ours is
			 * re-opened next time, a handed-in fd kept */
			ipmi_tr_seterr(tr, "send", "%s", strerror(e));
			kcs_close_dev(tr);
			return (e == ENODEV || e == ENXIO) ?
			    IPMI_E_NODEVICE : IPMI_E_IO;
		}
	}
	tr->stats.packets_out++;
	k->sends++;
	tr->deadline = now + tr->cfg.timeout_ms;
	return IPMI_OK;
}

/* Finish the request in flight; the transport is ready for the next. */
static void
kcs_finish(struct kcs_open *k, enum ipmi_err err, uint64_t now)
{
	k->inflight = 0;
	k->sends = 0;
	k->tr.deadline = 0;
	ipmi_tr_complete(&k->tr, err, now);
}

static enum ipmi_err
kcs_start(struct ipmi_tr *tr, uint64_t now)
{
	struct kcs_open *k = (struct kcs_open *)tr;
	enum ipmi_err err;

	k->inflight = 0;
	k->sends = 0;
	tr->deadline = 0;
	if (k->handed)
		tr->fd = k->dev;	/* never a node of our own */
	else if (tr->fd < 0 && (err = kcs_open_dev(tr)) != IPMI_OK)
		return err;
	/* msgid is a long: unique for the life of the transport */
	k->msgid = ++k->nextid;
	if ((err = kcs_send(k, now)) != IPMI_OK) {
		tr->deadline = 0;
		return err;
	}
	k->inflight = 1;
	return IPMI_OK;
}

/* Take a received message for the request in flight. */
static void
kcs_accept(struct kcs_open *k, const struct ipmi_recv *r,
    const unsigned char *buf, int truncated, uint64_t now)
{
	struct ipmi_tr *tr = &k->tr;
	struct ipmi_rsp *rsp = &tr->rsp;
	size_t n = r->msg.data_len;

	if (truncated || n > 1 + (size_t)IPMI_MAX_DATA) {
		ipmi_tr_seterr(tr, "receive", "response longer than %d bytes",
		    IPMI_MAX_DATA);
		kcs_finish(k, IPMI_E_LENGTH, now);
		return;
	}
	if (n == 0) {
		ipmi_tr_seterr(tr, "receive", "empty response (no completion "
		    "code)");
		kcs_finish(k, IPMI_E_LENGTH, now);
		return;
	}
	memset(rsp, 0, sizeof(*rsp));
	rsp->netfn = r->msg.netfn;
	rsp->cmd = r->msg.cmd;
	rsp->ccode = buf[0];
	rsp->len = (uint16_t)(n - 1);
	memcpy(rsp->data, buf + 1, n - 1);
	kcs_finish(k, IPMI_OK, now);
}

static void
kcs_readable(struct ipmi_tr *tr, uint64_t now)
{
	struct kcs_open *k = (struct kcs_open *)tr;
	unsigned char buf[1 + IPMI_MAX_DATA];
	struct ipmi_addr addr;
	struct ipmi_recv r;
	int i, truncated, e;

	for (i = 0; i < KCS_MAX_RECV && tr->fd >= 0; i++) {
		memset(&r, 0, sizeof(r));
		r.addr = (unsigned char *)&addr;
		r.addr_len = sizeof(addr);
		r.msg.data = buf;
		r.msg.data_len = sizeof(buf);
		truncated = 0;
		if (ioctl(tr->fd, IPMICTL_RECEIVE_MSG_TRUNC, &r) < 0) {
			e = errno;
			if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
				return;
			if (e != EMSGSIZE) {
				ipmi_tr_seterr(tr, "receive", "%s",
				    strerror(e));
				kcs_close_dev(tr);
				if (k->inflight)
					kcs_finish(k, IPMI_E_IO, now);
				return;
			}
			truncated = 1;	/* the driver cut it to buf */
		}
		tr->stats.packets_in++;
		if (r.recv_type == IPMI_ASYNC_EVENT_RECV_TYPE) {
			/* the driver passes the 16 bytes of Read Event
			 * Message Buffer's answer, completion code removed */
			if (!truncated && r.msg.data_len == 16)
				ipmi_tr_event(tr, buf, 16);
			else
				tr->stats.dropped++;
			continue;
		}
		if (!k->inflight || r.recv_type != IPMI_RESPONSE_RECV_TYPE ||
		    r.msgid != k->msgid) {
			/* late answer to a timed-out request, a command
			 * addressed to us... */
			tr->stats.dropped++;
			continue;
		}
		kcs_accept(k, &r, buf, truncated, now);
	}
}

static void
kcs_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct kcs_open *k = (struct kcs_open *)tr;
	enum ipmi_err err;

	if (!k->inflight) {
		tr->deadline = 0;
		return;
	}
	if (k->sends > tr->cfg.retries) {
		ipmi_tr_seterr(tr, "receive", "no response in %u ms "
		    "(%u attempts)", tr->cfg.timeout_ms, k->sends);
		kcs_finish(k, IPMI_E_TIMEOUT, now);
		return;
	}
	/* same msgid: a late answer to the first attempt is just as good */
	if ((err = kcs_send(k, now)) != IPMI_OK) {
		kcs_finish(k, err, now);
		return;
	}
	tr->stats.retransmits++;
}

static void
kcs_close(struct ipmi_tr *tr, uint64_t now)
{
	struct kcs_open *k = (struct kcs_open *)tr;

	(void)now;
	k->inflight = 0;
	k->sends = 0;
	kcs_close_dev(tr);
	ipmi_tr_closed(tr);
}

static void
kcs_free(struct ipmi_tr *tr)
{
	struct kcs_open *k = (struct kcs_open *)tr;

	k->handed = 0;		/* ours to close now */
	kcs_close_dev(tr);
	ipmi_tr_base_fini(tr);
	free(tr);
}

static enum ipmi_err
kcs_events(struct ipmi_tr *tr, int on)
{
	struct kcs_open *k = (struct kcs_open *)tr;
	enum ipmi_err e;

	if (k->dev < 0) {
		if (!on)
			return IPMI_OK;
		/* the CLI's lazy node: open it now, events and all */
		k->events_on = 1;
		if ((e = kcs_open_dev(tr)) != IPMI_OK) {
			k->events_on = 0;
			kcs_close_dev(tr);
		}
		return e;
	}
	if (kcs_gets_events(k->dev, on) < 0) {
		ipmi_tr_seterr(tr, "events", "%s", strerror(errno));
		return IPMI_E_IO;
	}
	k->events_on = on;
	/* a muted handed-in fd is polled again for the events */
	tr->fd = k->dev;
	return IPMI_OK;
}

struct ipmi_tr *
kcs_open_new(const struct ipmi_tr_cfg *cfg, char *err, size_t errlen)
{
	struct kcs_open *k;

	if (cfg->device[0] != '\0' &&
	    memchr(cfg->device, '\0', sizeof(cfg->device)) == NULL) {
		snprintf(err, errlen, "device path too long");
		/* a handed-in fd is ours even when we fail */
		if (cfg->fd >= 0)
			(void)close(cfg->fd);
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ipmi_tr_base_init(&k->tr, &kcs_ops, cfg);
	k->tr.cipher = -1;
	k->dev = -1;
	if (cfg->fd >= 0) {
		k->handed = 1;
		k->dev = k->tr.fd = cfg->fd;
	}
	return &k->tr;
}
