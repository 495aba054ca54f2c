/*
 * Fuzz the Redfish log cursor as read back from
 * STATE_DIR/rf-NAME.cursor (agent/http/redfish.c, redfish_cursor_load):
 * whatever a disk, a crash or another version left there, a cursor is
 * accepted only whole, of this version, with at most
 * REDFISH_CURSOR_SERVICES services, every path and id ending inside its
 * field and the unused services zeroed; what it accepts is used as the
 * log pass uses it (each service's (Created, Id) compared with every
 * other's by rfmap_entry_cmp, which must be antisymmetric) and reads
 * back the same.  Seeds: a cursor the daemon wrote against the DMTF
 * mockup (daemon-*: 791's, tests/redfish/server.py) and edge cases made
 * from it (edge-*: cut, a byte longer, unterminated path and id, 17
 * services, another version, has_created 2, dirty services past the
 * count, all 16 services with ids as numbers and not).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redfish.h"
#include "rfmap.h"

/* every byte of p[0..n) zero (padding included: the struct's bytes are
 * what the daemon writes to its file) */
static int
all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		if (*b++ != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redfish_cursor c, again;
	uint32_t i, j;
	int ab, ba;

	if (redfish_cursor_load(data, size, &c) != 0)
		return 0;
	fuzz_must(size == sizeof(c) && c.version == REDFISH_CURSOR_VERSION &&
	    c.n <= REDFISH_CURSOR_SERVICES);
	for (i = 0; i < REDFISH_CURSOR_SERVICES; i++) {
		const struct redfish_cursor_svc *s = &c.svc[i];

		if (i >= c.n) {
			fuzz_must(all_zero(s, sizeof(*s)));
			continue;
		}
		fuzz_must(strlen(s->path) < sizeof(s->path));
		fuzz_must(strlen(s->id) < sizeof(s->id));
		fuzz_must(s->has_created == 0 || s->has_created == 1);
		for (j = 0; j < c.n; j++) {
			const struct redfish_cursor_svc *t = &c.svc[j];

			ab = rfmap_entry_cmp(s->has_created, s->created_s,
			    s->id, t->has_created, t->created_s, t->id);
			ba = rfmap_entry_cmp(t->has_created, t->created_s,
			    t->id, s->has_created, s->created_s, s->id);
			fuzz_must((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0));
		}
	}
	/* what it accepted, written back as the daemon does, reads the same */
	fuzz_must(redfish_cursor_load(&c, sizeof(c), &again) == 0 &&
	    again.version == c.version && again.n == c.n);
	for (i = 0; i < c.n; i++)
		fuzz_must(strcmp(again.svc[i].path, c.svc[i].path) == 0 &&
		    strcmp(again.svc[i].id, c.svc[i].id) == 0 &&
		    again.svc[i].created_s == c.svc[i].created_s &&
		    again.svc[i].has_created == c.svc[i].has_created);
	return 0;
}
