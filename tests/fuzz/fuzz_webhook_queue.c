/*
 * Fuzz the webhook queue file reader (agent/daemon/webhook.c,
 * webhook_queue_parse): whatever a crash or a disk left in
 * STATE_DIR/webhook-NAME.queue, every line handed back lies inside the
 * input, starts with '{', and the sequence numbers rise.  Seeds: queue
 * files as the daemon writes them, one cut by a crash, one rewritten.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "webhook.h"

struct st {
	const uint8_t	*base;
	size_t		 len;
	uint64_t	 last;
	uint64_t	 sent;
};

static void
line(void *arg, uint64_t seq, const char *doc, size_t len)
{
	struct st *s = arg;

	if ((const uint8_t *)doc < s->base ||
	    (const uint8_t *)doc + len > s->base + s->len || len == 0 ||
	    doc[0] != '{' || seq <= s->last || seq <= s->sent ||
	    memchr(doc, '\n', len) != NULL)
		abort();
	s->last = seq;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct st s;
	uint64_t max;

	memset(&s, 0, sizeof(s));
	s.base = data;
	s.len = size;
	s.sent = size > 0 ? data[0] % 4 : 0;
	(void)webhook_queue_parse(data, size, s.sent, &max, line, &s);
	if (max < s.last || max < s.sent)
		abort();
	return 0;
}
