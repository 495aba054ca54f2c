/*
 * The SEL archive: one line per SEL entry, appended (O_APPEND) and
 * fsynced before anything may be cleared; optionally a JSON-lines twin
 * and a copy to syslog.  Rotated by logrotate: the CLI reopens the
 * files on every append, the daemon on archive_reopen() (SIGHUP), so a
 * rotation never loses a line.
 *
 * Text line (tab-separated, tabs and newlines in texts become spaces):
 *	TIME BMC ID SENSOR EVENT SEVERITY RAW GEN
 * TIME is ISO 8601 UTC, "pre-init +Ns" or "none"; ID is 0xNNNN; RAW the
 * 16 record bytes as 32 lower-case hex digits; GEN the tag of the SEL
 * generation the entry was read from (8 hex digits; see bmc/selmon.c),
 * absent on lines written before generations (tag 0).  RAW (record ID,
 * timestamp and content) is the entry's identity within a generation:
 * archive_tail() reads RAW and GEN back to skip entries archived before
 * a crash.  A batch is written
 * to the JSON-lines file first and to the text archive second; entries
 * a crash left in the JSON file alone are not written there again.
 */
#ifndef ARCHIVE_H
#define ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "sel.h"

/* the tail read back on start-up: at most this many bytes per file */
#define ARCHIVE_TAIL_MAX	(4u * 1024 * 1024)
/* a line longer than this is not ours */
#define ARCHIVE_LINE_MAX	1024

struct archive_cfg {
	const char	*path;		/* text archive, required */
	const char	*json_path;	/* JSON lines, NULL: none */
	int		 use_syslog;	/* also syslog each entry */
	int		 facility;	/* LOG_LOCAL0 ..., with use_syslog */
	int		 reopen_each;	/* open/close around every append */
};

struct archive_entry {
	const char		*bmc;
	const struct sel_rec	*rec;
	const struct sel_desc	*desc;
	uint32_t		 gen;	/* SEL generation tag, 0: none */
};

struct archive;

/*
 * The cfg strings are copied.  Never fails: files are opened on first
 * append.  The archive is held by its creator; a write job running off
 * the loop holds it too (archive_hold), so archive_free only drops a
 * hold and the last one closes the files.  archive_new, _hold and _free
 * run on the loop thread.
 */
struct archive	*archive_new(const struct archive_cfg *);
struct archive	*archive_hold(struct archive *);
void		 archive_free(struct archive *);

/*
 * Append n entries to every configured file, then fsync them.  Returns
 * 0 only when all lines are written and synced; -1 with the reason
 * ("PATH: No space left on device") in err otherwise.  Each file is
 * written under flock(LOCK_EX), so several bmcwatch processes may share
 * an archive; a torn last line left by a crash is cut off first.
 * archive_append = archive_write, then archive_log.  archive_write
 * touches nothing but the archive and its files (no log): it may run on
 * a worker thread (agent/util/work.c), one write at a time per archive;
 * archive_log, the syslog copy of each entry, runs on the loop.
 */
int		 archive_append(struct archive *, const struct archive_entry *,
		    size_t n, char *err, size_t errlen);
int		 archive_write(struct archive *, const struct archive_entry *,
		    size_t n, char *err, size_t errlen);
void		 archive_log(const struct archive *,
		    const struct archive_entry *, size_t n);
/* close the files before the next write, which opens them again
 * (SIGHUP, after logrotate); any thread, any time */
void		 archive_reopen(struct archive *);

/* Format one text line (without the newline) into buf. */
void		 archive_format(const struct archive_entry *, char *buf,
		    size_t len);

/* Parse one line (without its newline): 0 with raw and gen (0 for an
 * untagged line) filled if it is an entry of bmc, -1 otherwise.  Pure. */
int		 archive_parse(const char *line, size_t len, const char *bmc,
		    uint8_t raw[SEL_RECORD_LEN], uint32_t *gen);

/*
 * Read back the identities (raw record bytes and generation tags) of
 * the last entries of bmc: the rotated file PATH.1 first, then PATH,
 * oldest first, at most ARCHIVE_TAIL_MAX bytes of each.  cb is called
 * once per line.  Returns the number of lines seen, or -1 if PATH
 * exists but cannot be read.
 */
typedef void	archive_tail_fn(void *, const uint8_t raw[SEL_RECORD_LEN],
		    uint32_t gen);
int		 archive_tail(const char *path, const char *bmc,
		    archive_tail_fn *cb, void *arg);

#endif
