/*
 * The `open' transport: the Linux OpenIPMI driver (ipmi_msghandler,
 * ipmi_devintf, ipmi_si) through /dev/ipmi0.
 *
 * The device node is opened lazily, by the first request (and again after
 * an I/O error), so that a daemon survives the driver being loaded late
 * and the CLI reports a missing driver as "/dev/ipmi0: open: ...".  Every
 * request is one IPMICTL_SEND_COMMAND with a msgid of its own; the answer
 * is matched on that msgid, anything else read from the device is counted
 * as dropped.  The driver runs its own timers, but ours bound each attempt
 * (cfg.timeout_ms) and resend up to cfg.retries times.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
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
};

static enum ipmi_err	kcs_start(struct ipmi_tr *, uint64_t);
static void		kcs_readable(struct ipmi_tr *, uint64_t);
static void		kcs_timeout(struct ipmi_tr *, uint64_t);
static void		kcs_close(struct ipmi_tr *, uint64_t);
static void		kcs_free(struct ipmi_tr *);

static const struct ipmi_tr_ops kcs_ops = {
	.name = "open",
	.start = kcs_start,
	.readable = kcs_readable,
	.timeout = kcs_timeout,
	.close = kcs_close,
	.free = kcs_free,
};

/*
 * Major number of the ipmidev character device from /proc/devices, or -1
 * when ipmi_devintf is not loaded.
 */
static int
ipmidev_major(void)
{
	char line[128], name[64];
	FILE *fp;
	int major = -1, m;

	if ((fp = fopen("/proc/devices", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "Block", 5) == 0)
			break;
		if (sscanf(line, "%d %63s", &m, name) == 2 &&
		    strcmp(name, "ipmidev") == 0) {
			major = m;
			break;
		}
	}
	fclose(fp);
	return major;
}

/* Explain why `path' could not be opened (errno e) in tr->err. */
static enum ipmi_err
kcs_open_error(struct ipmi_tr *tr, const char *path, int e)
{
	struct stat st;
	int major;

	switch (e) {
	case ENOENT:
		major = ipmidev_major();
		if (major < 0) {
			ipmi_tr_seterr(tr, "open", "%s: the IPMI driver is "
			    "not loaded; run: modprobe ipmi_msghandler "
			    "ipmi_devintf ipmi_si", strerror(e));
		} else if (stat("/sys/class/ipmi/ipmi0", &st) == 0) {
			ipmi_tr_seterr(tr, "open", "%s: the IPMI driver is "
			    "loaded (ipmidev major %d) but the device node is "
			    "missing; run: mknod /dev/ipmi0 c %d 0",
			    strerror(e), major, major);
		} else {
			ipmi_tr_seterr(tr, "open", "%s: ipmi_devintf is "
			    "loaded (major %d) but no interface: run: "
			    "modprobe ipmi_si (no BMC?); then, if the node is "
			    "missing: mknod /dev/ipmi0 c %d 0",
			    strerror(e), major, major);
		}
		return IPMI_E_NODEVICE;
	case EACCES:
	case EPERM:
		ipmi_tr_seterr(tr, "open", "%s: needs root, or read-write "
		    "access to %s (a udev rule for group ipmi)",
		    strerror(e), path);
		return IPMI_E_NODEVICE;
	case ENXIO:
	case ENODEV:
		ipmi_tr_seterr(tr, "open", "%s: no IPMI interface behind the "
		    "node; run: modprobe ipmi_si (no BMC?)", strerror(e));
		return IPMI_E_NODEVICE;
	default:
		ipmi_tr_seterr(tr, "open", "%s", strerror(e));
		return IPMI_E_IO;
	}
}

static enum ipmi_err
kcs_open_dev(struct ipmi_tr *tr)
{
	const int flags = O_RDWR | O_NONBLOCK | O_CLOEXEC;
	size_t i;
	int fd;

	if (tr->cfg.device[0] != '\0') {
		if ((fd = open(tr->cfg.device, flags)) < 0)
			return kcs_open_error(tr, tr->cfg.device, errno);
		tr->fd = fd;
		return IPMI_OK;
	}
	for (i = 0; i < sizeof(kcs_probe) / sizeof(kcs_probe[0]); i++) {
		if ((fd = open(kcs_probe[i], flags)) >= 0) {
			snprintf(tr->peer, sizeof(tr->peer), "%s",
			    kcs_probe[i]);
			tr->fd = fd;
			return IPMI_OK;
		}
		if (errno != ENOENT) {
			snprintf(tr->peer, sizeof(tr->peer), "%s",
			    kcs_probe[i]);
			return kcs_open_error(tr, kcs_probe[i], errno);
		}
	}
	snprintf(tr->peer, sizeof(tr->peer), "%s", kcs_probe[0]);
	return kcs_open_error(tr, kcs_probe[0], ENOENT);
}

static void
kcs_close_dev(struct ipmi_tr *tr)
{
	if (tr->fd >= 0) {
		(void)close(tr->fd);
		tr->fd = -1;
	}
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
			/* the interface may be gone: reopen next time */
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
	if (tr->fd < 0 && (err = kcs_open_dev(tr)) != IPMI_OK)
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
		if (!k->inflight || r.recv_type != IPMI_RESPONSE_RECV_TYPE ||
		    r.msgid != k->msgid) {
			/* late answer to a timed-out request, an event... */
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
	kcs_close_dev(tr);
	ipmi_tr_base_fini(tr);
	free(tr);
}

struct ipmi_tr *
kcs_open_new(const struct ipmi_tr_cfg *cfg, char *err, size_t errlen)
{
	struct kcs_open *k;

	if (cfg->device[0] != '\0' &&
	    memchr(cfg->device, '\0', sizeof(cfg->device)) == NULL) {
		snprintf(err, errlen, "device path too long");
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ipmi_tr_base_init(&k->tr, &kcs_ops, cfg);
	k->tr.cipher = -1;
	return &k->tr;
}
