/* Unit tests for the SEL archive files (agent/store/archive.c): the
 * text and JSON-lines forms each hold an entry exactly once, also when
 * a crash fell between the two writes of a batch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "sel.h"
#include "store/archive.h"

static char tdir[64];

static int
count_lines(const char *path, const char *needle)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (needle == NULL || strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

/* a system event record with the given record id */
static void
mkrec(uint16_t id, struct sel_rec *r, struct sel_desc *d)
{
	uint8_t raw[16] = { 0, 0, 0x02, 0x10, 0x32, 0x54, 0x66, 0x20, 0x00,
	    0x04, 0x01, 0x02, 0x01, 0x57, 0x00, 0x00 };

	raw[0] = id & 0xff;
	raw[1] = id >> 8;
	CHECK_EQ(sel_rec_decode(raw, sizeof(raw), r), IPMI_OK);
	memset(d, 0, sizeof(*d));
	(void)snprintf(d->sensor, sizeof(d->sensor), "CPU2 Temp");
	(void)snprintf(d->event, sizeof(d->event), "Upper Critical going "
	    "high");
	d->sev = SEL_SEV_CRITICAL;
}

static void
test_json_after_crash_between_writes(void)
{
	struct archive_cfg cfg;
	struct archive *a;
	struct sel_rec r[3];
	struct sel_desc d[3];
	struct archive_entry e[3];
	char text[128], json[128], err[256];
	int i;

	(void)snprintf(text, sizeof(text), "%s/sel.log", tdir);
	(void)snprintf(json, sizeof(json), "%s/sel.jsonl", tdir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = text;
	cfg.json_path = json;
	cfg.reopen_each = 1;
	for (i = 0; i < 3; i++) {
		mkrec((uint16_t)(i + 1), &r[i], &d[i]);
		e[i].bmc = "bmc1";
		e[i].rec = &r[i];
		e[i].desc = &d[i];
		e[i].gen = 0x5be1f00d;
	}
	a = archive_new(&cfg);
	CHECK_EQ(archive_append(a, e, 2, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(text, NULL), 2);
	CHECK_EQ(count_lines(json, NULL), 2);
	/* a crash after the JSON write of the next batch, before its text
	 * write: the JSON file has entry 3, the text file has not */
	CHECK_EQ(archive_append(a, e + 2, 1, err, sizeof(err)), 0);
	CHECK_EQ(truncate(text, 0), 0);
	archive_free(a);
	/* the next pass is handed the entries the text archive lacks */
	a = archive_new(&cfg);
	CHECK_EQ(archive_append(a, e, 3, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(text, NULL), 3);
	CHECK_EQ(count_lines(json, NULL), 3);
	CHECK_EQ(count_lines(json, "\"record_id\":3,"), 1);
	/* the same raw bytes from another BMC are another entry */
	e[0].bmc = "bmc2";
	CHECK_EQ(archive_append(a, e, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(json, NULL), 4);
	CHECK_EQ(count_lines(json, "\"bmc\":\"bmc2\""), 1);
	/* ... and so are they in another generation of the SEL */
	e[0].bmc = "bmc1";
	e[0].gen = 0x0badcafe;
	CHECK_EQ(archive_append(a, e, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(json, NULL), 5);
	CHECK_EQ(count_lines(json, "\"generation\":\"0badcafe\""), 1);
	CHECK_EQ(count_lines(text, "\t0badcafe\n"), 1);
	/* lines written before generations (tag 0) carry no tag */
	e[1].gen = 0;
	CHECK_EQ(archive_append(a, e + 1, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(json, NULL), 6);
	CHECK_EQ(count_lines(json, "generation"), 5);
	archive_free(a);
	(void)unlink(text);
	(void)unlink(json);
}

/* a crash tore the very first line of a new archive: the fragment is
 * cut off like any torn last line, not kept as a foreign file's */
static void
test_torn_first_line(void)
{
	struct archive_cfg cfg;
	struct archive *a;
	struct sel_rec r;
	struct sel_desc d;
	struct archive_entry e;
	char text[128], err[256], line[1024];
	FILE *f;

	(void)snprintf(text, sizeof(text), "%s/first.log", tdir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = text;
	mkrec(1, &r, &d);
	e.bmc = "bmc1";
	e.rec = &r;
	e.desc = &d;
	archive_format(&e, line, sizeof(line));
	f = fopen(text, "w");
	if (f == NULL) {
		CHECK(f != NULL);
		return;
	}
	fputs("2026-11-24T06:17:05Z\tbmc1\t0x0001\tCPU", f);
	fclose(f);
	a = archive_new(&cfg);
	CHECK_EQ(archive_append(a, &e, 1, err, sizeof(err)), 0);
	archive_free(a);
	CHECK_EQ(count_lines(text, NULL), 1);
	CHECK_EQ(count_lines(text, line), 1);
	/* a file with a whole line of its own and no newline in the last
	 * line's reach is not ours: kept, our lines start on a new one */
	f = fopen(text, "w");
	if (f != NULL) {
		int i;

		for (i = 0; i < ARCHIVE_LINE_MAX + 100; i++)
			fputc('x', f);
		fclose(f);
	}
	a = archive_new(&cfg);
	CHECK_EQ(archive_append(a, &e, 1, err, sizeof(err)), 0);
	archive_free(a);
	CHECK_EQ(count_lines(text, NULL), 2);
	CHECK_EQ(count_lines(text, line), 1);
	(void)unlink(text);
}

/*
 * What the daemon leans on: the archive keeps its own copies of the
 * paths (a reloaded config frees its own), a write job holds it past
 * its owner's archive_free, and archive_reopen (SIGHUP after logrotate)
 * makes the next write open the path again instead of the moved file.
 */
static void
test_hold_copy_reopen(void)
{
	struct archive_cfg cfg;
	struct archive *a;
	struct sel_rec r;
	struct sel_desc d;
	struct archive_entry e;
	char text[128], rot[140], err[256];

	(void)snprintf(text, sizeof(text), "%s/held.log", tdir);
	(void)snprintf(rot, sizeof(rot), "%s.1", text);
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = text;		/* kept open between writes */
	mkrec(7, &r, &d);
	e.bmc = "bmc1";
	e.rec = &r;
	e.desc = &d;
	e.gen = 1;
	a = archive_new(&cfg);
	memset(text + strlen(tdir), 'x', 4);	/* the caller's copy moves */
	(void)snprintf(text, sizeof(text), "%s/held.log", tdir);
	CHECK(archive_hold(a) == a);
	archive_free(a);		/* the owner's hold */
	CHECK_EQ(archive_write(a, &e, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(text, NULL), 1);
	/* rotated: without a reopen the line goes to the moved file */
	CHECK_EQ(rename(text, rot), 0);
	CHECK_EQ(archive_write(a, &e, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(rot, NULL), 2);
	CHECK_EQ(count_lines(text, NULL), -1);
	archive_reopen(a);
	CHECK_EQ(archive_write(a, &e, 1, err, sizeof(err)), 0);
	CHECK_EQ(count_lines(text, NULL), 1);
	CHECK_EQ(count_lines(rot, NULL), 2);
	archive_free(a);		/* the job's: the last */
	(void)unlink(text);
	(void)unlink(rot);
}

int
main(void)
{
	(void)snprintf(tdir, sizeof(tdir), "/tmp/bw-archive.XXXXXX");
	if (mkdtemp(tdir) == NULL)
		return 1;
	RUN(test_json_after_crash_between_writes);
	RUN(test_torn_first_line);
	RUN(test_hold_copy_reopen);
	(void)rmdir(tdir);
	return harness_end();
}
