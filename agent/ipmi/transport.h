/*
 * One interface for every way of reaching a BMC: the OpenIPMI driver
 * (kcs_open.c), IPMI 2.0 RMCP+ (lanplus.c) and IPMI 1.5 LAN (lan15.c).
 *
 * A transport is a non-blocking state machine.  Its owner (the CLI, or the
 * daemon's poller for many BMCs) polls ipmi_tr_fd() for POLLIN and calls
 * ipmi_tr_readable(); it calls ipmi_tr_timeout() once the monotonic clock
 * reaches ipmi_tr_deadline().  Nothing here blocks or sleeps, reads the
 * clock (callers pass now in ms of CLOCK_MONOTONIC) or logs: failures are
 * reported through the done callback and ipmi_tr_error().
 *
 * Requests are queued (IPMI_TR_QUEUE deep) and sent one at a time, or
 * (lanplus, max_outstanding > 1) up to max_outstanding at once in the
 * open session, each with its own rqSeq and retransmission timer and
 * answered in whatever order the answers arrive (ipmi_tr_window()).  A
 * session transport opens its session on the first request, re-opens it
 * after a session loss, keeps it alive while idle, and closes it on
 * ipmi_tr_close().
 */
#ifndef IPMI_TRANSPORT_H
#define IPMI_TRANSPORT_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"

#define IPMI_TR_QUEUE		32
#define IPMI_TR_WINDOW_MAX	16	/* max_outstanding at most */
/* what the CLI and bmcwatchd ask for unless told otherwise (bench/results.md
 * has the measurement behind it) */
#define IPMI_TR_WINDOW_DEFAULT	8
#define IPMI_PASSWORD_MAX	20	/* RMCP+ passwords: 20 bytes */
#define IPMI_KG_MAX		20

enum ipmi_iface {
	IPMI_IFACE_OPEN,
	IPMI_IFACE_LAN,		/* IPMI 1.5 */
	IPMI_IFACE_LANPLUS	/* IPMI 2.0 RMCP+ */
};

/* Authentication types for IPMI 1.5, section 13.6. */
#define IPMI_AUTH_NONE		0
#define IPMI_AUTH_MD2		1
#define IPMI_AUTH_MD5		2
#define IPMI_AUTH_STRAIGHT	4
#define IPMI_AUTH_OEM		5
#define IPMI_AUTH_RMCPP		6

#define IPMI_CIPHER_AUTO	(-1)

/*
 * Configuration of one transport.  Strings are copied by ipmi_tr_new();
 * password and kg are copied too and wiped from the transport on free.
 * The caller wipes its own copy.  Start from ipmi_tr_cfg_init(): a
 * zeroed struct would hand in fd 0.
 */
struct ipmi_tr_cfg {
	enum ipmi_iface	 iface;
	char		 host[256];	/* LAN: host name or address */
	uint16_t	 port;		/* LAN: default 623 */
	char		 device[128];	/* open: "" = probe the usual nodes */
	char		 user[17];	/* 16 chars max, section 22.28 */
	uint8_t		 password[IPMI_PASSWORD_MAX];
	uint8_t		 pwlen;
	uint8_t		 kg[IPMI_KG_MAX];
	uint8_t		 kglen;		/* 0: no K_g (use the password key) */
	int		 cipher;	/* 0..17 or IPMI_CIPHER_AUTO */
	uint8_t		 priv;		/* IPMI_PRIV_*, default ADMIN */
	int		 authtype;	/* lan: -1 = best offered */
	unsigned	 timeout_ms;	/* per attempt, default 1000 */
	unsigned	 retries;	/* retransmissions per request, default 3 */
	unsigned	 keepalive_ms;	/* idle keepalive period, 0 = none */
	/*
	 * lanplus: requests in flight at once in the open session, 1 to
	 * IPMI_TR_WINDOW_MAX (0 = 1).  Bridged requests and session setup
	 * always go one at a time.  The transport falls back to 1 once
	 * the BMC leaves an answer out (a retransmission was needed) or
	 * answers out of order while more than one was in flight, and
	 * opens the window again after 512 requests in a row answered at
	 * the first try.  lan and open: always 1.
	 */
	unsigned	 max_outstanding;
	unsigned	 allow_none;	/* permit suite 0 / auth type NONE */
	uint32_t	 workarounds;	/* IPMI_WA_* */
	/*
	 * open: >= 0 is an already-open device node (kcs_open_device(),
	 * called by the privileged parent before it drops root).  The
	 * transport owns it from ipmi_tr_new() on, also when that fails,
	 * and closes it in ipmi_tr_free(); it never opens or re-opens a
	 * node: after an error the request fails and the fd is kept.
	 * -1: open `device' (or probe the usual nodes) on the first
	 * request and re-open after errors, as the CLI does.
	 */
	int		 fd;
	/*
	 * LAN: the BMC's address, resolved beforehand (lan_udp_resolve()
	 * on a worker), so that ipmi_tr_new() never blocks; host then only
	 * names the peer.  addrlen 0: ipmi_tr_new() resolves host itself,
	 * which may block (the CLI only).
	 */
	struct sockaddr_storage addr;
	socklen_t	 addrlen;
};

/* Every field 0 (each transport's default), but fd = -1 (none handed
 * in) and addrlen = 0 (resolve host). */
void		 ipmi_tr_cfg_init(struct ipmi_tr_cfg *);

/*
 * Vendor quirks, each named after what it works around.
 */
#define IPMI_WA_NO_CIPHER_SUITES	0x0001	/* Get Channel Cipher Suites
						 * never answered outside a
						 * session: OpenIPMI ipmi_sim
						 * 2.0.33 */

typedef void	ipmi_done_fn(void *arg, enum ipmi_err err,
		    const struct ipmi_rsp *rsp);
/* An event message from the BMC: rec is the 16-byte SEL record (record
 * ID, type, then the event as Get SEL Entry returns it, section 31.6). */
typedef void	ipmi_event_fn(void *arg, const uint8_t *rec, size_t len);
/*
 * A payload of another type than IPMI messages arrived in the session
 * (Serial over LAN, payload type 01h, section 15.9): data is the payload
 * as the BMC sent it, already authenticated and decrypted.  data NULL
 * (len 0): the session it belongs to ended (lost, closed, or failed to
 * open again); whatever was activated in it is gone.
 */
typedef void	ipmi_payload_fn(void *arg, uint8_t ptype, const uint8_t *data,
		    size_t len);

struct ipmi_tr_stats {
	uint64_t	requests;	/* user requests completed */
	uint64_t	packets_out;	/* every datagram/ioctl sent, incl.
					 * session setup and retransmits */
	uint64_t	packets_in;	/* every datagram/message received */
	uint64_t	retransmits;
	uint64_t	sessions;	/* sessions opened */
	uint64_t	dropped;	/* received and discarded (bad auth,
					 * stale sequence, garbage) */
	uint64_t	events;		/* event messages delivered */
	uint64_t	payloads_out;	/* payload datagrams sent (SOL) */
	uint64_t	payloads_in;	/* payloads delivered to the owner */
	uint64_t	inflight_max;	/* most requests in flight at once */
	uint64_t	reordered;	/* answers that overtook an older
					 * request in flight */
	uint64_t	window_fallbacks; /* times the window fell to 1 */
	uint64_t	window_restores; /* times it was opened again */
};

struct ipmi_tr;

struct ipmi_tr	*ipmi_tr_new(const struct ipmi_tr_cfg *, char *err,
		    size_t errlen);
void		 ipmi_tr_free(struct ipmi_tr *);

/*
 * Queue a request.  done is called exactly once, from inside a later
 * ipmi_tr_readable/ipmi_tr_timeout/ipmi_tr_close call (never from
 * ipmi_tr_submit itself), with err == IPMI_OK and the response (whose
 * ccode may be non-zero) or with an error and rsp == NULL.
 * Returns 0, or -1 if the queue is full or the transport closed.
 */
int		 ipmi_tr_submit(struct ipmi_tr *, const struct ipmi_req *,
		    ipmi_done_fn *, void *arg, uint64_t now);

/* Requests the transport keeps in flight at once right now: 1, or (lanplus)
 * max_outstanding until it fell back to 1.  A caller with many independent
 * requests (the sensor sweep) keeps this many submitted. */
unsigned	 ipmi_tr_window(const struct ipmi_tr *);

/* fd to poll for input, or -1 when there is none right now. */
int		 ipmi_tr_fd(const struct ipmi_tr *);
/* monotonic ms at which ipmi_tr_timeout must be called; 0 = none. */
uint64_t	 ipmi_tr_deadline(const struct ipmi_tr *);
void		 ipmi_tr_readable(struct ipmi_tr *, uint64_t now);
void		 ipmi_tr_timeout(struct ipmi_tr *, uint64_t now);

/* Feed one datagram as if received (tests, fuzzers).  -1 if the
 * transport has no packet input. */
int		 ipmi_tr_input(struct ipmi_tr *, const uint8_t *, size_t,
		    uint64_t now);

/*
 * Receive the BMC's event messages as they arrive, without polling the
 * SEL: fn is called from inside ipmi_tr_readable() for each one (it may
 * submit requests; it must not free the transport).  Requests and their
 * answers are matched as before.  Only `open' has them (the driver reads
 * the BMC's Event Message Buffer, as ipmievd's open mode does; a device
 * opened lazily is opened now).  fn NULL stops them.
 * IPMI_OK; IPMI_E_UNSUPPORTED for a transport without events; or the
 * device error (ipmi_tr_error() says which).
 */
enum ipmi_err	 ipmi_tr_set_event_cb(struct ipmi_tr *, ipmi_event_fn *,
		    void *arg);

/*
 * Payloads beside IPMI messages in an RMCP+ session (IPMI v2.0 section
 * 13.27: payload type 01h, Serial over LAN), for a payload activated
 * with Activate Payload; only lanplus has them (IPMI_E_UNSUPPORTED
 * elsewhere).  They travel in the session like IPMI messages, with the
 * session's integrity and confidentiality algorithms, but the transport
 * neither retransmits nor matches them: the payload protocol does.
 *
 * ipmi_tr_set_payload_cb: fn is called from inside ipmi_tr_readable()
 * (or ipmi_tr_input) for each payload of type ptype received in the open
 * session, and once with data NULL when that session ends (it may submit
 * requests or send payloads; it must not free the transport).  While a
 * callback is set the idle session is kept alive (keepalive_ms, or every
 * IPMI_TR_PAYLOAD_KEEPALIVE_MS when that is 0).  fn NULL stops them.
 * One payload type at a time.
 *
 * ipmi_tr_send_payload: wrap one payload (at most IPMI_TR_PAYLOAD_MAX
 * bytes) into a session packet and send it now.  Never queued, never
 * calls back.  IPMI_OK; IPMI_E_SESSION when no session is open (set one
 * up with a request first); IPMI_E_LENGTH; IPMI_E_IO (ipmi_tr_error()).
 */
#define IPMI_TR_PAYLOAD_MAX		300
#define IPMI_TR_PAYLOAD_KEEPALIVE_MS	15000
enum ipmi_err	 ipmi_tr_set_payload_cb(struct ipmi_tr *, uint8_t ptype,
		    ipmi_payload_fn *, void *arg);
enum ipmi_err	 ipmi_tr_send_payload(struct ipmi_tr *, uint8_t ptype,
		    const uint8_t *, size_t, uint64_t now);
/* The BMC's id of the open session (what Get Payload Instance Info
 * names as a payload's owner), 0 when none is open. */
uint32_t	 ipmi_tr_session_id(const struct ipmi_tr *);
/* LAN: the BMC's UDP port the transport talks to; 0 for `open'. */
uint16_t	 ipmi_tr_port(const struct ipmi_tr *);

/* Start a graceful close (Close Session); pending requests fail with
 * IPMI_E_CLOSED.  ipmi_tr_idle() turns true once it is done. */
void		 ipmi_tr_close(struct ipmi_tr *, uint64_t now);
/* true when nothing is queued or in flight and no close is pending */
int		 ipmi_tr_idle(const struct ipmi_tr *);

/* Last transport/protocol failure: the step ("RAKP2", "Open Session",
 * "Get Session Challenge", "open /dev/ipmi0" ...) and a message. */
const char	*ipmi_tr_error(const struct ipmi_tr *);
const char	*ipmi_tr_peer(const struct ipmi_tr *);	/* "host:port" */
const struct ipmi_tr_stats *ipmi_tr_stats(const struct ipmi_tr *);
/* Negotiated details, for info and tests: cipher suite, auth type,
 * privilege, session id (0 for none). */
int		 ipmi_tr_cipher(const struct ipmi_tr *);
uint8_t		 ipmi_tr_authtype(const struct ipmi_tr *);

/* ---- below: for transport implementations only ---- */

struct ipmi_tr_ops {
	const char	*name;
	/* Called when a request is at the head of the queue and the
	 * transport said it is ready (or needs to open first): start
	 * sending tr->cur.  Return 0 or an ipmi_err that fails it. */
	enum ipmi_err	(*start)(struct ipmi_tr *, uint64_t now);
	void		(*readable)(struct ipmi_tr *, uint64_t now);
	void		(*timeout)(struct ipmi_tr *, uint64_t now);
	/* begin closing; call ipmi_tr_closed() when done */
	void		(*close)(struct ipmi_tr *, uint64_t now);
	void		(*free)(struct ipmi_tr *);
	/* handle one received datagram (LAN transports; NULL otherwise):
	 * what readable() does per packet, open to tests and fuzzers */
	void		(*input)(struct ipmi_tr *, const uint8_t *, size_t,
			    uint64_t now);
	/* start (on != 0) or stop event messages (NULL: none) */
	enum ipmi_err	(*events)(struct ipmi_tr *, int on);
	/* send one payload in the open session (NULL: no payloads) */
	enum ipmi_err	(*payload_send)(struct ipmi_tr *, uint8_t ptype,
			    const uint8_t *, size_t, uint64_t now);
	/* (NULL: always) may q[head] start now?  A transport with
	 * requests of its own in flight (ipmi_tr_take) says no while its
	 * window is full; start then runs once it says yes */
	int		(*ready)(const struct ipmi_tr *);
	/* (NULL: 1) the window ipmi_tr_window() reports */
	unsigned	(*window)(const struct ipmi_tr *);
};

struct ipmi_tr_pending {
	struct ipmi_req	 req;
	ipmi_done_fn	*done;
	void		*arg;
};

/* Each implementation embeds this as its first member. */
struct ipmi_tr {
	const struct ipmi_tr_ops *ops;
	struct ipmi_tr_cfg	 cfg;
	int			 fd;
	uint64_t		 deadline;
	int			 busy;		/* q[head] is in flight */
	unsigned		 inflight;	/* taken (ipmi_tr_take), not
						 * finished yet */
	int			 closing;
	int			 closed;
	unsigned		 head, count;
	struct ipmi_tr_pending	 q[IPMI_TR_QUEUE];
	struct ipmi_rsp		 rsp;		/* filled by the transport */
	struct ipmi_tr_stats	 stats;
	int			 cipher;
	uint8_t			 authtype;
	ipmi_event_fn		*event_fn;
	void			*event_arg;
	ipmi_payload_fn		*payload_fn;
	void			*payload_arg;
	uint8_t			 payload_type;
	uint32_t		 sid;		/* the BMC's session id */
	char			 peer[300];
	char			 err[256];
};

/* The request in flight (q[head]), or NULL. */
const struct ipmi_req *ipmi_tr_cur(const struct ipmi_tr *);
/* Finish the request in flight: with tr->rsp on IPMI_OK. */
void		 ipmi_tr_complete(struct ipmi_tr *, enum ipmi_err,
		    uint64_t now);
/*
 * A transport with several requests in flight: from inside ops->start
 * (tr->busy set for q[head]), move q[head] out of the queue into p, a
 * slot of its own; busy is cleared and inflight counted.  It later
 * finishes p exactly once with ipmi_tr_finish (rsp on IPMI_OK).
 */
void		 ipmi_tr_take(struct ipmi_tr *, struct ipmi_tr_pending *p);
void		 ipmi_tr_finish(struct ipmi_tr *, struct ipmi_tr_pending *p,
		    enum ipmi_err, const struct ipmi_rsp *);
/* Fail every queued request (session could not be opened). */
void		 ipmi_tr_fail_all(struct ipmi_tr *, enum ipmi_err);
/* Hand one received event message to the owner (if it asked). */
void		 ipmi_tr_event(struct ipmi_tr *, const uint8_t *, size_t);
/* Hand one received payload to the owner: 0, or -1 when nobody asked
 * for ptype (the caller counts it dropped). */
int		 ipmi_tr_payload(struct ipmi_tr *, uint8_t ptype,
		    const uint8_t *, size_t);
/* The session ended: tell the payload owner (if any) once. */
void		 ipmi_tr_payload_ended(struct ipmi_tr *);
/* The graceful close finished. */
void		 ipmi_tr_closed(struct ipmi_tr *);
/* Record "step: message" as the last error (printf-style). */
void		 ipmi_tr_seterr(struct ipmi_tr *, const char *step,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 ipmi_tr_base_init(struct ipmi_tr *, const struct ipmi_tr_ops *,
		    const struct ipmi_tr_cfg *);
/* wipe secrets in the base */
void		 ipmi_tr_base_fini(struct ipmi_tr *);

/* Constructors, one per transport file. */
struct ipmi_tr	*kcs_open_new(const struct ipmi_tr_cfg *, char *, size_t);
/*
 * Open an IPMI device node for cfg.fd, as root before dropping
 * privileges: path, or NULL/"" to probe /dev/ipmi0, /dev/ipmi/0 and
 * /dev/ipmidev/0.  Checks that the driver answers on it.  The fd
 * (O_NONBLOCK, O_CLOEXEC), or -1 with "PATH: open: <strerror>: <what to
 * do>" (the words the CLI prints) or "PATH: not an IPMI device node
 * (<strerror>)" in err.
 */
int		 kcs_open_device(const char *path, char *err, size_t errlen);
struct ipmi_tr	*lanplus_new(const struct ipmi_tr_cfg *, char *, size_t);
struct ipmi_tr	*lan15_new(const struct ipmi_tr_cfg *, char *, size_t);

#endif
