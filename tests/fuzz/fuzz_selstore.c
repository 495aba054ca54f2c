/*
 * Fuzz the parsers of the SEL store files (agent/store/): the state file
 * (state_parse) and archive lines read back on start-up (archive_parse),
 * with and without the generation tag.  Whatever parses must format back
 * to the same thing: state_format then state_parse gives the same
 * struct; an archive line made by archive_format from any 16 bytes and
 * tag parses back to those bytes and that tag.  Seeds: state files and
 * archive lines written by bmcwatch (sim-*; the -v1 ones by versions
 * before identities and generations) and hand-made damage (edge-*).
 */
#include <stdlib.h>
#include <string.h>

#include "store/archive.h"
#include "store/state.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_sel st, st2;
	struct archive_entry e;
	struct sel_rec rec;
	struct sel_desc d;
	char buf[STATE_FILE_MAX], err[128], line[ARCHIVE_LINE_MAX];
	uint8_t raw[SEL_RECORD_LEN], pad[SEL_RECORD_LEN];
	uint32_t gen, g;
	size_t i, start, n;

	if (state_parse((const char *)data, size, &st, err, sizeof(err)) == 0) {
		n = state_format(&st, buf, sizeof(buf));
		fuzz_must(n < sizeof(buf));
		fuzz_must(state_parse(buf, n, &st2, err, sizeof(err)) == 0);
		fuzz_must(state_sel_same(&st, &st2));
	} else
		fuzz_must(memchr(err, '\0', sizeof(err)) != NULL);
	/* every line, as this BMC's and as another's */
	for (start = i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (archive_parse((const char *)data + start, i - start,
		    "127.0.0.1", raw, &gen) == 0)
			fuzz_must(i - start > 2 * SEL_RECORD_LEN);
		(void)archive_parse((const char *)data + start, i - start,
		    "", raw, &gen);
		start = i + 1;
	}
	/* any 16 bytes and tag (the next 4): format, parse back */
	memset(pad, 0, sizeof(pad));
	memcpy(pad, data, size < sizeof(pad) ? size : sizeof(pad));
	fuzz_must(sel_rec_decode(pad, sizeof(pad), &rec) == IPMI_OK);
	sel_describe(&rec, NULL, &d);
	for (g = 0, i = sizeof(pad); i < sizeof(pad) + 4 && i < size; i++)
		g = g << 8 | data[i];
	e.bmc = "bmc\t1";	/* cleaned into "bmc 1" */
	e.rec = &rec;
	e.desc = &d;
	e.gen = g;
	archive_format(&e, line, sizeof(line));
	fuzz_must(archive_parse(line, strlen(line), "bmc 1", raw, &gen) == 0);
	fuzz_must(memcmp(raw, pad, sizeof(pad)) == 0);
	fuzz_must(gen == g);
	return 0;
}
