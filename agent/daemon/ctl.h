/*
 * The control socket of bmcwatchd (DESIGN.md, "Control socket
 * protocol"): a Unix stream socket whose clients (bmcwatch -S, the check
 * plugins, the SNMP child) send one-line requests and read framed
 * answers, built from the store alone, so an answer never waits on a
 * BMC.  Actions (power, identify, SEL clear and ack) are handed to the
 * daemon through ctl_action_fn and answered when they are done; they are
 * refused unless the target allows them and the peer (SO_PEERCRED) is
 * root, the daemon's own user, or a member of the socket's group.
 *
 * Request: at most CTL_LINE_MAX bytes, then '\n'; words separated by
 * spaces: VERB [SUB ...] [key=value ...]
 *
 *	sensors | info | targets | chassis status | watchdog get |
 *	sel info | sel list			(reads)
 *	watch					(a stream, below)
 *	chassis power on|off|soft|cycle|reset|diag
 *	chassis identify [SECONDS|force|off]
 *	sel clear | sel ack ID			(actions)
 *	keys: target=NAME format=json|text verbose=0|1 last=N open=0|1
 *
 * Answer: "ok LEN\n" and LEN bytes, or "err CODE LEN\n" and a message of
 * LEN bytes; CODE is the exit code bmcwatch gives it (1 refused or a
 * completion code, 2 usage, 3 unreachable or not read yet).
 *
 * Bounds: CTL_LINE_MAX bytes a request, CTL_REQUESTS_MAX requests a
 * connection, max-clients connections, CTL_OUT_MAX bytes of unread
 * answers (a client that does not read is dropped, never waited for),
 * CTL_IDLE_MS without a request or without reading.
 */
#ifndef CTL_H
#define CTL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "ev.h"

struct store;

#define CTL_LINE_MAX		1024
#define CTL_REQUESTS_MAX	256
#define CTL_OUT_MAX		(16u * 1024 * 1024)
#define CTL_IDLE_MS		30000
#define CTL_NAME_MAX		64

/* exit codes of answers (the CLI's) */
#define CTL_EREFUSED		1
#define CTL_EUSAGE		2
#define CTL_EUNAVAIL		3

enum ctl_verb {
	CTL_SENSORS,
	CTL_INFO,
	CTL_TARGETS,
	CTL_CHASSIS_STATUS,
	CTL_WATCHDOG_GET,
	CTL_SEL_INFO,
	CTL_SEL_LIST,
	CTL_WATCH,		/* the stream (below) */
	/* actions */
	CTL_CHASSIS_POWER,
	CTL_CHASSIS_IDENTIFY,
	CTL_SEL_CLEAR,
	CTL_SEL_ACK,
	/* streams (see "Streams" below) */
	CTL_SOL
};

struct ctl_req {
	enum ctl_verb	 verb;
	char		 target[CTL_NAME_MAX + 1];	/* "": not given */
	int		 json;
	int		 verbose;
	unsigned	 last;		/* sel list: newest N, 0 all */
	int		 open_only;	/* sel list: open problems */
	uint8_t		 power;		/* CHASSIS_CTL_* */
	int		 identify_s;	/* -1: the BMC's default (15 s) */
	int		 identify_force;
	uint16_t	 sel_id;	/* sel ack */
	/* sol: keystrokes asked for, console bytes to replay */
	int		 sol_input;
	unsigned	 sol_replay;
	/* watch pet: IPMI PET traps in the stream too (snmp-pet-traps) */
	int		 watch_pet;
};

/*
 * Parse one request line (len bytes, no newline; not NUL-terminated).
 * 0, or -1 with a message for the client in err.  Pure.
 */
int		 ctl_parse(const char *line, size_t len, struct ctl_req *,
		    char *err, size_t errlen);
/* 1 for actions */
int		 ctl_is_action(const struct ctl_req *);
/* the CONF_ALLOW_* bit an action needs (0 for reads) */
unsigned	 ctl_allow_bit(const struct ctl_req *);
/* the words of a verb: "chassis power", "sel list" ... */
const char	*ctl_verb_name(enum ctl_verb);

/*
 * Frame an answer into buf (cap bytes): "ok LEN\n" + payload, or
 * "err CODE LEN\n" + payload (code != 0).  The frame's length, or 0 if
 * it does not fit.  Pure.
 */
size_t		 ctl_frame(char *buf, size_t cap, int code, const char *,
		    size_t len);
/*
 * Parse a frame header at the start of buf (len bytes): 1 with *code,
 * *payload_len and *hdr_len set; 0 if more bytes are needed; -1 if it is
 * not a frame header.  Pure (the client side, and fuzzed); defined in
 * ctl_client.c, so that a client links none of the server.
 */
int		 ctl_frame_header(const char *buf, size_t len, int *code,
		    size_t *payload_len, size_t *hdr_len);

/*
 * An action in flight.  The daemon gets it from ctl_action_fn and must
 * call ctl_action_done() exactly once (also when the target goes away),
 * after which it must not touch it.
 */
struct ctl_action;
const struct ctl_req *ctl_action_req(const struct ctl_action *);
/* code 0: done, text is the answer; else the error code and message */
void		 ctl_action_done(struct ctl_action *, int code,
		    const char *text);
/*
 * Start an action on the named target (checked to exist and to allow
 * it).  0 when started; otherwise an exit code with err filled, and the
 * action is not the daemon's.
 */
typedef int	 ctl_action_fn(void *arg, const char *target,
		    struct ctl_action *, char *err, size_t errlen);

/*
 * Bind path (a stale socket left by a dead daemon is replaced; a live
 * one is an error), mode, group gid ((gid_t)-1: unchanged): done as root
 * before the privileges go.  The listening fd, or -1 with the reason.
 */
int		 ctl_listen(const char *path, unsigned mode, gid_t gid,
		    char *err, size_t errlen);

/* ---- Streams: a connection that stays open after its request ----
 *
 * sol [input] [replay N] target=NAME
 *	attach to the target's serial console (daemon/console.c): the
 *	answer "ok LEN\n" says how (a line of text), then the daemon sends
 *	frames until either side closes:
 *	    data LEN\n + console bytes, in order, none twice
 *	    note LEN\n + a line for the user (connected, disconnected ...)
 *	    err CODE LEN\n + why it ends (then the daemon closes)
 *	and the client may send
 *	    key LEN\n + keystrokes (with input, when allowed)
 *	    break 0\n  a serial break
 *	input needs the target's `input yes' and a privileged peer (as
 *	actions); refused, the client is attached read-only and told so.
 *	replay N: the last N console bytes the daemon kept first (at most
 *	STORE_CONSOLE_RING).  A client that lets CTL_STREAM_OUT_MAX bytes
 *	pile up is dropped, never waited for; idle streams are not.
 */
#define CTL_STREAM_OUT_MAX	(256u * 1024)
#define CTL_SFRAME_MAX		65536	/* payload of one stream frame */

enum ctl_sframe {
	CTL_SF_OK,
	CTL_SF_ERR,
	CTL_SF_DATA,
	CTL_SF_NOTE,
	CTL_SF_KEY,
	CTL_SF_BREAK
};
/*
 * Parse a stream frame header ("data 12\n", "err 3 40\n" ...) at the
 * start of buf: 1 with *type, *code (ERR), *plen and *hlen; 0 if more
 * bytes are needed; -1 if it is none (or longer than CTL_SFRAME_MAX).
 * Pure (both sides, and fuzzed).
 */
int		 ctl_sframe_header(const char *buf, size_t len,
		    enum ctl_sframe *type, int *code, size_t *plen,
		    size_t *hlen);
/* "data 12\n": the header of a frame of type with plen bytes, into buf
 * (at least 32 bytes): its length */
size_t		 ctl_sframe_put(char *buf, size_t cap, enum ctl_sframe,
		    int code, size_t plen);

struct ctl_stream;
struct ctl_stream_ops {
	/* keystrokes (CTL_SF_KEY) or a break (CTL_SF_BREAK, n 0) */
	void	(*input)(void *arg, struct ctl_stream *, enum ctl_sframe,
		    const uint8_t *, size_t n);
	/* the client is gone (closed, broke the protocol, the socket
	 * stopping): forget the stream, which is freed after this */
	void	(*gone)(void *arg, struct ctl_stream *);
};
/*
 * A stream request for the named target (checked to exist): take it
 * with ctl_stream_accept (0), or refuse (an exit code, err filled).
 */
typedef int	 ctl_stream_fn(void *arg, const char *target,
		    struct ctl_stream *, char *err, size_t errlen);
/* in ctl_stream_fn: text is the answer ("ok"); ops run from now on */
void		 ctl_stream_accept(struct ctl_stream *,
		    const struct ctl_stream_ops *, void *arg,
		    const char *text);
const struct ctl_req *ctl_stream_req(const struct ctl_stream *);
/* the peer is root, the daemon's user or in the socket's group */
int		 ctl_stream_privileged(const struct ctl_stream *);
long		 ctl_stream_uid(const struct ctl_stream *);
long		 ctl_stream_pid(const struct ctl_stream *);
/* bytes queued for the client, not written yet */
size_t		 ctl_stream_queued(const struct ctl_stream *);
/*
 * Queue a frame.  0; or -1 when the client let CTL_STREAM_OUT_MAX pile
 * up: it is dropped at once (logged), gone is NOT called, and the
 * stream must be forgotten.
 */
int		 ctl_stream_send(struct ctl_stream *, enum ctl_sframe,
		    const void *, size_t);
/* a last "err CODE" frame, then the connection closes once written;
 * gone is not called: forget the stream */
void		 ctl_stream_end(struct ctl_stream *, int code, const char *);

struct ctl_cfg {
	const char	*path;		/* removed by ctl_free */
	gid_t		 group;		/* privileged group, (gid_t)-1 none */
	unsigned	 max_clients;
	ctl_action_fn	*action;
	void		*arg;
	ctl_stream_fn	*stream;	/* NULL: no streams */
};

struct ctl;

/* fd from ctl_listen (owned from now on); ev and store borrowed */
struct ctl	*ctl_new(struct ev *, struct store *, int fd,
		    const struct ctl_cfg *);
/* new max-clients (SIGHUP) */
void		 ctl_set_max_clients(struct ctl *, unsigned);
/* connections open now */
size_t		 ctl_clients(const struct ctl *);
/* closes every client (their actions become orphans, answered into
 * nothing), the socket, and removes its path.  NULL is a no-op. */
void		 ctl_free(struct ctl *);

/*
 * The `watch` stream (the SNMP subagent's connection).  After "watch"
 * the connection carries frames "ok LEN\n" + a message of
 * agent/snmp/wire.h, and nothing it sends is read any more: first the
 * general scalars, then a snapshot of every target (its MIB rows), a new
 * snapshot whenever a target changed, "target gone" messages, and a
 * notification message for each store event that has one.  The daemon
 * never waits for the reader: a frame is only built when less than
 * CTL_WATCH_SOFT bytes are unread, so a slow reader gets only the newest
 * snapshot of each target (coalesced); notifications queue up to
 * CTL_WATCH_EVQ, the oldest dropped beyond (counted, logged).  "watch
 * pet" adds a PET trap message (wire.h: N 0) after each new SEL entry's
 * notification.
 */
#define CTL_WATCH_SOFT		(256u * 1024)
#define CTL_WATCH_EVQ		256
#define CTL_WATCH_TICK_MS	500
/*
 * A connected stream socket (a socketpair end to a child the daemon
 * started) served like an accepted client; privileged: may act.  fd is
 * owned from now on.  0, or -1 if max-clients are connected (fd closed).
 */
int		 ctl_adopt(struct ctl *, int fd, pid_t pid, int privileged);
/* notifications dropped so far by watch streams */
uint64_t	 ctl_watch_dropped(const struct ctl *);

/*
 * The answer to a read request from the store, as the socket gives it:
 * 0 with the payload in *out (malloc'ed, *len bytes), or an error code
 * with the message in *out.  now is CLOCK_MONOTONIC ms.  Used by the
 * server and by tests.
 */
int		 ctl_answer(struct store *, const struct ctl_req *,
		    uint64_t now, char **out, size_t *len);

#endif
