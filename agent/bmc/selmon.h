/*
 * SEL monitor: the incremental reader and the archive-then-clear pass,
 * as a state machine on a struct conn (never blocks, never sleeps; the
 * erase-status poll is a timer).  The CLI (`bmcwatch sel archive`) and
 * the daemon run the same code: selmon_start() + the event loop, or
 * selmon_run() for sequential callers.  It is the one SEL walker: `sel
 * list' and `sel ack' read the SEL with a SELMON_LIST pass.
 *
 * A pass: Get SEL Info; nothing new costs that one request.  Otherwise
 * Get SEL Entry from the persistent cursor, following next-record IDs;
 * every new entry is appended to the archive and fsynced, then the
 * state is saved.  With clearing enabled and the SEL past its threshold:
 * Reserve SEL, verify that nothing arrived since (Get SEL Info and the
 * last entry), Clear SEL, poll the erase status, verify with Get SEL
 * Info.  See selmon.c for why no entry is ever lost or duplicated.
 */
#ifndef SELMON_H
#define SELMON_H

#include <stdint.h>

#include "conn.h"
#include "ev.h"
#include "sdr_cache.h"
#include "sel.h"
#include "severity.h"
#include "store/archive.h"
#include "work.h"

/* caps */
#define SELMON_MAX_READS	8192u	/* Get SEL Entry per pass */
#define SELMON_BATCH		256u	/* entries per archive append */
#define SELMON_SEEN_GEN		8192u	/* identities per half of the
					 * seen set (2 halves) */

struct selmon_cfg {
	const char		*bmc;		/* name in the archive */
	/*
	 * Who answers: the BMC's identity as the caller found it (the SDR
	 * cache key: "guid-..." from its Device or System GUID, else
	 * "dev-..." from Device ID, manufacturer and product followed by
	 * "@ADDRESS"), kept in the state.  A different one is a different
	 * SEL (see selmon.c).  NULL: unknown, nothing is compared and the
	 * cursor entry is always checked byte for byte.
	 */
	const char		*identity;
	const char		*state_path;	/* NULL: no state file */
	/* NULL: nothing is archived, and so nothing read moves the
	 * cursor (only archived entries ever do).  Held (archive_hold)
	 * by a write in flight, so the caller may archive_free it after
	 * selmon_free at any time. */
	struct archive		*archive;
	const char		*archive_path;	/* read back on start-up */
	/*
	 * Where the disk is touched (state load and save, archive
	 * read-back, append + fsync): a work instance (agent/util/work.h;
	 * the daemon's "io", one thread) so a slow disk never stalls the
	 * loop, or NULL: inline, synchronously (the CLI).  While a job is
	 * in flight the pass waits for it: nothing is sent that depends
	 * on it.  Free the selmon before work_free(io) (a selmon freed with
	 * a job in flight is detached: the job ends on its own).
	 */
	struct work		*io;
	int			 clear_at;	/* clear at this % used, 0 off */
	unsigned		 clear_free;	/* or below this many free
						 * entries, 0 off */
	unsigned		 erase_poll_ms;	/* default 100 */
	unsigned		 erase_poll_max; /* default 50 polls */
	unsigned		 max_rounds;	/* clear attempts, default 5 */
	/*
	 * Instead of Clear SEL, delete the archived entries one by one
	 * (Delete SEL Entry, oldest first, each checked against the
	 * archive): two requests per entry, but no entry that arrives
	 * meanwhile can be lost, even on BMCs whose reservations survive
	 * additions (ipmi_sim).  See the residual window in selmon.c.
	 */
	int			 delete_entries;
	const struct sel_names	*names;
	/* called for every new entry, after it is archived (never
	 * without an archive) */
	void			(*on_entry)(void *, const struct sel_rec *,
				    const struct sel_desc *);
	/* SELMON_LIST: called for every entry read, oldest first */
	void			(*on_list)(void *, const struct sel_rec *,
				    const struct sel_desc *);
	void			*arg;
	/* requests bridged over IPMB to this controller (bmcwatch
	 * --target-chan/--target-addr) */
	int			 bridged;
	uint8_t			 target_chan;
	uint8_t			 target_addr;
};

/* what a pass should do */
#define SELMON_READ		0	/* read and archive new entries */
#define SELMON_CLEAR		1	/* ... then clear past threshold */
#define SELMON_CLEAR_NOW	2	/* ... then clear (threshold 0) */
#define SELMON_CLEAR_FORCE	3	/* clear even with no archive:
					 * unarchived entries are lost
					 * (without an archive nothing is
					 * read, and the state only moves
					 * once the clear is done) */
/*
 * Read the whole SEL, first entry to last, and hand each to
 * cfg.on_list (described with cfg.names): the one SEL walker of `sel
 * list' and `sel ack'.  Nothing is archived, no file is read or
 * written, nothing of the state moves: the pass is Get SEL Info, then
 * Get SEL Entry along the next-record IDs, at most SELMON_LIST_MAX.
 * An entry that vanishes mid-walk (CBh), an erase in progress (81h) are
 * errors (SELMON_E_CCODE) like any other completion code; a SEL emptied
 * before its first entry is read lists nothing.
 */
#define SELMON_LIST		4
#define SELMON_LIST_MAX		65536u	/* Get SEL Entry per listing */

enum selmon_err {
	SELMON_OK = 0,
	SELMON_E_TRANSPORT,	/* no answer / session lost */
	SELMON_E_CCODE,		/* unexpected completion code */
	SELMON_E_PROTO,		/* short or inconsistent answer */
	SELMON_E_ARCHIVE,	/* archive not written: nothing cleared */
	SELMON_E_STATE,		/* state file not written */
	SELMON_E_BUSY,		/* erase in progress, or a pass running */
	SELMON_E_ERASE_TIMEOUT,	/* erase never completed */
	SELMON_E_RACE,		/* entries kept arriving: not cleared */
	SELMON_E_UNARCHIVED	/* would lose entries not archived */
};

struct selmon_result {
	enum selmon_err	 err;
	char		 msg[320];	/* the error, or a notice */
	struct sel_info	 info;		/* the last Get SEL Info */
	int		 used_pct;	/* -1: unknown */
	unsigned	 sane;		/* SEL_SANE_* */
	unsigned	 new_entries;	/* archived this pass */
	unsigned	 skipped;	/* read again, already archived */
	unsigned	 cleared;	/* 1: the SEL was cleared */
	unsigned	 cleared_entries;
	unsigned	 requests;
	uint8_t		 overflow;	/* seen this pass (info.ops tells
					 * whether it still is) */
	uint8_t		 oob_clear;	/* cleared by someone else */
	uint8_t		 archive_only;	/* clear due, but never clearing:
					 * no Clear SEL or a wrapping SEL */
	uint8_t		 archive_only_new; /* first time found out */
	uint8_t		 maybe_lost;	/* an addition raced the clear */
	uint8_t		 new_bmc;	/* another BMC than the state's
					 * answered: its SEL read as new
					 * (note says which; said once) */
	uint8_t		 new_generation; /* the SEL started over */
	char		 note[512];	/* a notice besides msg, or "" */
};

typedef void	selmon_done_fn(void *, const struct selmon_result *);

struct selmon;

/* cfg (and the strings it points to) is borrowed */
struct selmon	*selmon_new(struct ev *, struct conn *,
		    const struct selmon_cfg *);
void		 selmon_free(struct selmon *);
/* The BMC's identity from now on (cfg.identity's, copied; NULL:
 * unknown), for a caller that learns it after selmon_new (the daemon,
 * from the SDR cache).  -1 while a pass runs. */
int		 selmon_set_identity(struct selmon *, const char *);
/* Start a pass; done is called once at its end, from the loop.  -1 if
 * a pass is already running. */
int		 selmon_start(struct selmon *, int mode, selmon_done_fn *,
		    void *);
/* Sequential callers: start a pass and run the loop until it ends. */
void		 selmon_run(struct selmon *, int mode, struct selmon_result *);
const char	*selmon_strerror(enum selmon_err);
/*
 * Entries archived from this BMC in total, as its state file keeps the
 * count (0 before the state is loaded).  From inside on_entry: the
 * count before the batch that entry is in, so the k-th entry of a batch
 * (1, 2 ...) is entry number selmon_archived() + k of this BMC, a
 * number that survives restarts.
 */
uint64_t	 selmon_archived(const struct selmon *);

/*
 * Open problems (pairing, section 29.7): an assertion above "info" is
 * open until a later deassertion of the same generator, sensor number,
 * event type and offset.  Only the latest assertion of such a key can be
 * open.  Sets open[i] (0/1) for each of the n records, oldest first, and
 * returns the number open.
 */
size_t		 selmon_open_problems(const struct sel_rec *,
		    const struct sel_desc *, size_t n, uint8_t *open);

/*
 * The sensor model behind sel_describe(): sensor type and offset words
 * from evtext.c, sensor names and threshold conversion from an SDR
 * image (matched by generator ID = owner ID + LUN, and sensor number),
 * severities from the sensors' table.  sdr and sev are borrowed and may
 * be NULL (numbers and built-in severities then).
 */
struct selmon_names {
	struct sel_names	 names;
	const struct sdr_image	*sdr;
	const struct severity	*sev;
	char			 name[SDR_NAME_MAX];
};
void		 selmon_names_init(struct selmon_names *,
		    const struct sdr_image *, const struct severity *);

#endif
