/*
 * A Serial over LAN session (IPMI v2.0 chapter 15) on an RMCP+
 * transport: activation of a SOL payload instance, the console's bytes
 * out exactly once and in order, keystrokes in with sequence numbers,
 * acknowledgements, retransmission and flow control, and the end of it.
 * Policy, not wire code: the packets are cmd_sol.c's, the session and
 * its crypto the transport's (ipmi_tr_send_payload /
 * ipmi_tr_set_payload_cb).
 *
 * The state machine is driven like a transport: every entry point takes
 * now (CLOCK_MONOTONIC ms) and solsess_timeout() is due at
 * solsess_deadline().  Unit tests and fuzzers drive it so with a fake
 * clock; on the event loop solsess_attach() makes it run itself (its own
 * timer, and conn's re-sync after it used the transport), and the owner
 * passes ev_now().
 *
 *   IDLE -> STARTING [-> TAKEOVER -> STARTING] -> ACTIVE -> CLOSING -> ENDED
 *
 * Starting: Get SOL Configuration Parameters (SOL Retry) unless the
 * retry timing is configured, then Activate Payload for the instance,
 * with encryption and authentication as the session's cipher suite
 * has them.  Completion code 80h (the BMC allows one SOL session, and
 * another session holds the instance) ends it with SOLSESS_END_BUSY,
 * naming the holder when Get Payload Instance Info tells; with
 * cfg.takeover the holder's instance is deactivated first (once) and
 * the activation tried again.  The BMC's payload UDP port must be the
 * session's (a second socket is not supported: SOLSESS_END_PORT, said
 * with both ports, after the instance was given back).
 *
 * Active: console bytes go to the output callback exactly once and in
 * order.  A packet the BMC sends again (same sequence number: our
 * acknowledgement was lost) gives only what is new in it, if anything
 * (a BMC may send more with a retransmission); every data packet is
 * acknowledged with the count of characters taken.  The output callback
 * may take fewer than offered: the rest is acknowledged as not taken
 * (partial acceptance), and the BMC sends it again.  Keystrokes
 * (solsess_write) are buffered, sent at most the BMC's inbound payload
 * size at a time, one packet outstanding, resent with the same sequence
 * number every retry interval up to the retry count; characters the BMC
 * took from a packet are dropped from the buffer, the rest is sent in
 * the next packet (partial acceptance); a NACK that took nothing holds
 * sending for a retry interval (the BMC is busy).  Unacknowledged after
 * the last retry, the packet's characters are given up
 * (SOLSESS_EV_INPUT_DROPPED) and the instance probed.  Every probe
 * interval Get Payload Instance Info checks that the instance is still
 * ours (some BMCs, ipmi_sim among them, end a session's SOL without a
 * word when another session deactivates it) and keeps the session busy.
 *
 * Ends: solsess_close() (Deactivate Payload, then SOLSESS_END_CLOSED),
 * the BMC's "SOL deactivating" status or a probe that finds the instance
 * inactive or held by another session (DEACTIVATED, TAKEN), the session
 * lost (SESSION), a request failing (TRANSPORT), or the refusals above.
 * An end is final: a new activation needs a new solsess.
 */
#ifndef SOLSESS_H
#define SOLSESS_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "ev.h"
#include "transport.h"

enum solsess_state {
	SOLSESS_IDLE,
	SOLSESS_STARTING,	/* Get SOL Retry / Activate Payload */
	SOLSESS_TAKEOVER,	/* deactivating another session's instance */
	SOLSESS_ACTIVE,
	SOLSESS_CLOSING,	/* Deactivate Payload */
	SOLSESS_ENDED
};

enum solsess_end {
	SOLSESS_END_NONE,
	SOLSESS_END_CLOSED,	/* solsess_close() */
	SOLSESS_END_BUSY,	/* 80h: another session holds the instance */
	SOLSESS_END_REFUSED,	/* another completion code (disabled, limit,
				 * encryption, privilege ...) */
	SOLSESS_END_PORT,	/* the BMC wants the payload on another port */
	SOLSESS_END_DEACTIVATED, /* the BMC ended it ("SOL deactivating",
				 * or the instance found inactive) */
	SOLSESS_END_TAKEN,	/* another session holds the instance now */
	SOLSESS_END_SESSION,	/* the RMCP+ session ended */
	SOLSESS_END_TRANSPORT,	/* a request failed (ierr) */
	SOLSESS_END_PROTO,	/* an answer that cannot be used */
	SOLSESS_END_UNSUPPORTED	/* the transport carries no payloads */
};

enum solsess_ev {
	SOLSESS_EV_ACTIVE,	/* activated: output flows, input is sent */
	SOLSESS_EV_ENDED,	/* solsess_end(), solsess_errtext() */
	SOLSESS_EV_BREAK,	/* the BMC saw a break from the system */
	SOLSESS_EV_OVERRUN,	/* the BMC dropped characters (overrun) */
	SOLSESS_EV_UNAVAILABLE,	/* character transfer (un)available:
				 * solsess_unavailable() */
	SOLSESS_EV_INPUT_DROPPED /* keystrokes given up: never acked */
};

/*
 * Console bytes, in order, each exactly once: return how many of them
 * were taken (the rest is offered again when the BMC sends it again).
 * Must not free the solsess.
 */
typedef size_t	solsess_out_fn(void *arg, const uint8_t *p, size_t n);
/* What happened (see enum solsess_ev).  Must not free the solsess: free
 * it from the loop once solsess_state() is SOLSESS_ENDED. */
typedef void	solsess_ev_fn(void *arg, enum solsess_ev);

struct solsess_cfg {
	uint8_t		 instance;	/* payload instance, default 1 */
	int		 takeover;	/* deactivate another session's
					 * instance to start ours */
	/* retransmission of our packets: 0 = the BMC's SOL Retry
	 * parameter, or 7 retries every 500 ms if it gives none */
	unsigned	 retry_count;	/* SOLSESS_RETRIES_NONE: none */
	unsigned	 retry_ms;
	unsigned	 probe_ms;	/* ownership probe, default 10000;
					 * SOLSESS_PROBE_NEVER: never */
	size_t		 input_max;	/* keystroke buffer, default 1024 */
};
#define SOLSESS_RETRIES_NONE	(~0u)
#define SOLSESS_PROBE_NEVER	(~0u)
#define SOLSESS_DEF_RETRIES	7
#define SOLSESS_DEF_RETRY_MS	500
#define SOLSESS_DEF_PROBE_MS	10000
#define SOLSESS_DEF_INPUT	1024
#define SOLSESS_MAX_INPUT	65536
void		 solsess_cfg_init(struct solsess_cfg *);

struct solsess_stats {
	uint64_t	 rx_packets;	/* SOL payloads received */
	uint64_t	 rx_bytes;	/* console bytes delivered */
	uint64_t	 rx_dups;	/* packets sent again by the BMC */
	uint64_t	 rx_dup_bytes;	/* ... bytes not delivered again */
	uint64_t	 rx_bad;	/* undecodable payloads */
	uint64_t	 tx_packets;	/* SOL payloads sent (all kinds) */
	uint64_t	 tx_bytes;	/* keystrokes the BMC took */
	uint64_t	 tx_retransmits;
	uint64_t	 tx_partial;	/* packets the BMC took in part */
	uint64_t	 tx_nacks;
	uint64_t	 tx_dropped;	/* keystrokes given up */
	uint64_t	 overruns;	/* BMC transmit overrun reports */
	uint64_t	 breaks;	/* breaks detected by the BMC */
	uint64_t	 probes;
};

struct solsess;

/*
 * A session on tr (an RMCP+ transport; it need not have a session open
 * yet: the first request sets one up).  out and ev are called with arg.
 * Nothing is sent before solsess_start().  tr is borrowed and must
 * outlive the solsess (free the solsess first).
 */
struct solsess	*solsess_new(struct ipmi_tr *tr, const struct solsess_cfg *,
		    solsess_out_fn *out, solsess_ev_fn *ev, void *arg);
/* Cancels what is in flight (its answer goes nowhere), stops listening
 * for payloads.  A still active instance is not deactivated: close
 * first.  NULL is a no-op. */
void		 solsess_free(struct solsess *);
/*
 * Run on the event loop: a timer of ev at solsess_deadline(), and
 * conn_sync(conn) after every step that used the transport.  conn must
 * own the transport given to solsess_new.  Call before solsess_start.
 */
void		 solsess_attach(struct solsess *, struct ev *, struct conn *);

/* Begin (see above).  0, or -1 when it cannot (the transport carries no
 * payloads: SOLSESS_END_UNSUPPORTED, the request queue is full). */
int		 solsess_start(struct solsess *, uint64_t now);
/* monotonic ms at which solsess_timeout is due; 0: none */
uint64_t	 solsess_deadline(const struct solsess *);
void		 solsess_timeout(struct solsess *, uint64_t now);

/* Queue keystrokes for the system's serial port: how many were taken
 * (the buffer holds cfg.input_max; 0 once ended).  Before activation
 * they wait for it. */
size_t		 solsess_write(struct solsess *, const uint8_t *, size_t,
		    uint64_t now);
/* free room in the keystroke buffer */
size_t		 solsess_write_room(const struct solsess *);
/* Generate a break on the system's serial port (with the next packet,
 * once: never repeated by a retransmission). */
void		 solsess_send_break(struct solsess *, uint64_t now);
/* CTS pause on/off: ask the BMC to deassert CTS, so that the system
 * holds its output while the owner cannot take more. */
void		 solsess_pause(struct solsess *, int on, uint64_t now);
/* Deactivate the instance and end (SOLSESS_END_CLOSED); before
 * activation, end once what is in flight is answered (and give back an
 * instance that was activated meanwhile). */
void		 solsess_close(struct solsess *, uint64_t now);

enum solsess_state solsess_state(const struct solsess *);
enum solsess_end solsess_end(const struct solsess *);
/* One line saying why it ended, for people: "SOL payload instance 1 is
 * active on another session (BMC session ID 0x00000182)", "the BMC is
 * deactivating SOL payload instance 1", "Activate Payload: completion
 * code 81h: Payload type is disabled", ...; "" while not ended or after
 * solsess_close(). */
const char	*solsess_errtext(const struct solsess *);
/* SOLSESS_END_REFUSED / BUSY: the completion code and the step */
uint8_t		 solsess_ccode(const struct solsess *);
/* SOLSESS_END_TRANSPORT: the transport's error */
enum ipmi_err	 solsess_ierr(const struct solsess *);
/* BUSY / TAKEN: the session ID holding the instance, 0 if unknown */
uint32_t	 solsess_holder(const struct solsess *);
/* character transfer unavailable (the BMC's status bit) */
int		 solsess_unavailable(const struct solsess *);
/* Once active: characters per packet to the BMC, its outbound size,
 * and whether its inbound size made no sense (then SOL_DATA_MAX). */
size_t		 solsess_chars_in(const struct solsess *);
uint16_t	 solsess_outbound(const struct solsess *);
int		 solsess_size_bogus(const struct solsess *);
/* the retry count and interval in use */
unsigned	 solsess_retries(const struct solsess *);
unsigned	 solsess_retry_ms(const struct solsess *);
/* keystrokes buffered or in flight */
size_t		 solsess_pending(const struct solsess *);
/* the instance was taken over from another session first */
int		 solsess_took_over(const struct solsess *);
const struct solsess_stats *solsess_stats(const struct solsess *);
const char	*solsess_state_name(enum solsess_state);

#endif
