/*
 * Fuzz the webhook sent file as read back from
 * STATE_DIR/webhook-NAME.sent (agent/daemon/webhook.c,
 * webhook_sent_parse): "SEQ\n" as the daemon writes it, and nothing
 * else, is accepted; what is accepted prints back to the same bytes (one
 * spelling but for leading zeros, which the daemon never writes and
 * which are read as the number), and a refused input leaves *seq
 * alone.  Seeds: a sent file the daemon wrote (daemon-*: 791's, after
 * delivering to tests/redfish/whrx.py) and edge cases (edge-*: empty, no
 * newline, 2^64 - 1 and 2^64 (over the reader's bound, 2^64 - 7), a
 * sign, spaces, CR LF, two lines, NUL).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "webhook.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char back[32];
	uint64_t seq = 12345;
	size_t z = 0;
	int n;

	if (webhook_sent_parse(data, size, &seq) != 0) {
		fuzz_must(seq == 12345);	/* untouched */
		return 0;
	}
	fuzz_must(size >= 2 && data[size - 1] == '\n');
	while (z + 2 < size && data[z] == '0')
		z++;		/* leading zeros */
	n = snprintf(back, sizeof(back), "%" PRIu64 "\n", seq);
	fuzz_must(n > 0 && (size_t)n == size - z && memcmp(back, data + z,
	    size - z) == 0);
	return 0;
}
