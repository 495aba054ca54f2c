/*
 * Event webhooks (bmcwatch.conf(5) `webhook NAME { }`): the store's
 * events, each as one JSON document, POSTed to every endpoint that wants
 * its kind at its severity, in order per endpoint, never lost to an
 * outage of the endpoint or a restart of the daemon.
 *
 * Per endpoint: a bounded queue (queue-size events; overflow by its
 * policy, drop-oldest or drop-newest, counted and logged).  An event is
 * appended to STATE_DIR/webhook-NAME.queue and fsynced (on the "io"
 * worker) before it is sent; the sequence number of the last one
 * delivered goes to STATE_DIR/webhook-NAME.sent (tmp + fsync + rename),
 * and the queue file is emptied once everything in it was delivered.
 * At start the queue file is read back (on the worker) and what was not
 * delivered is sent first.  One request in flight per endpoint; a
 * failure (no answer, or a status not 2xx) is retried with exponential
 * backoff and jitter (0.5-1 s, 1-2 s, ... up to 30-60 s), the event
 * staying at the head: delivery is at least once, in order, and a
 * duplicate carries the same "idempotency_key" (also the Idempotency-Key
 * header).  Nothing here blocks the loop: HTTP is agent/http/http.c on
 * the same ev, the disk is the io worker's.
 *
 * The document: {"idempotency_key", "target", "time" (UTC, ISO 8601),
 * "kind" (sensor, sel, sel-cleared, sel-clear-failed, power, watchdog,
 * heartbeat, unreachable, recovered), "severity" (info, warning,
 * critical), "text", "details" {...}}.  Headers: Content-Type
 * application/json, Idempotency-Key, X-Bmcwatch-Event (the kind),
 * Authorization (Bearer TOKEN or Basic, from their 0600 files), and with
 * an hmac-secret-file X-Bmcwatch-Signature: sha256=HEX, the HMAC-SHA256
 * of the body.
 *
 * Each endpoint's state is published to the store (store_set_webhook):
 * `bmcwatch -S ... targets --json` shows the queue depth.
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ev.h"

struct store;
struct work;
struct webhook_set;

/* ev, io and store borrowed; c's webhooks are borrowed until the next
 * webhook_reload.  Subscribes to the store's events. */
struct webhook_set *webhook_new(struct ev *, struct work *io,
		    struct store *, const struct conf *c);
/* SIGHUP: endpoints unchanged (conf_webhook_equal) keep their queue and
 * connection and take the new conf's settings; removed ones are
 * dropped (their queue file stays), new ones started */
void		 webhook_reload(struct webhook_set *, const struct conf *c);
/* a request in flight is abandoned (the event stays in the queue file
 * and is sent at the next start); jobs queued on io finish first (the
 * caller frees io after this).  NULL is a no-op. */
void		 webhook_free(struct webhook_set *);

/*
 * The queue file's lines "SEQ DOCUMENT\n" (pure; the fuzzer's target):
 * fn(arg, seq, doc, len) for each well-formed line whose SEQ is above
 * sent, in file order.  A line cut short (no newline: a crash in the
 * middle of an append), not of that form (DOCUMENT starts with '{'), or
 * whose SEQ is not above the line before (written again after a
 * rewrite) is skipped and counted: the count is returned.  *maxseq gets
 * the largest SEQ seen, or sent.
 */
typedef void	webhook_line_fn(void *arg, uint64_t seq, const char *doc,
		    size_t len);
size_t		 webhook_queue_parse(const void *, size_t, uint64_t sent,
		    uint64_t *maxseq, webhook_line_fn *, void *);

/*
 * The sent file (STATE_DIR/webhook-NAME.sent, "SEQ\n": the last event
 * delivered) as read back (pure; the fuzzer's target): 0 and *seq, or
 * -1 for anything else (then every queued event is sent again).
 */
int		 webhook_sent_parse(const void *, size_t, uint64_t *seq);

#endif
