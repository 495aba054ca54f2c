/*
 * The SDR repository of one BMC, kept in memory and on disk, checked with
 * a single Get SDR Repository Info per refresh.
 *
 * A refresh is a non-blocking state machine on struct conn: identity
 * (Get Device ID + Device GUID, only when the cache key is not known
 * yet), one repository check, and when the repository changed, a walk
 * with Reserve SDR Repository and partial Get SDR reads of at most the
 * size the BMC accepts (shrunk on CAh/C3h/C7h/C8h, re-reserved on C5h).
 * BMCs that have no SDR repository but provide Device SDRs are read with
 * the Device SDR commands (section 35) instead.
 *
 * On disk (dir != NULL): DIR/sdr-KEY.cache, KEY from the BMC's GUID (or
 * Device ID + manufacturer + product without one), holding the
 * repository's addition/erase timestamps, record count, the learned read
 * size and the raw records, with magic, version, length and CRC-32.  A
 * file failing any check is ignored with a warning and rebuilt.  Writes
 * go tmp + fsync + rename + directory fsync.  DIR/peer-PEER remembers
 * which KEY answered at a given address so a warm start needs no
 * identity requests.
 *
 * Given an io work instance (work.h), every write runs on its worker,
 * from a private copy of the bytes: the loop never waits for the disk,
 * and the image in memory is usable as soon as the refresh reports.  A
 * failed write is logged (log_fail: first failure, then a summary; the
 * recovery once) and the cache file is written again after the next
 * refresh.  Without one (NULL) writes happen in place, as the CLI wants.
 */
#ifndef SDR_CACHE_H
#define SDR_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "ev.h"
#include "sdr.h"

struct work;

#define SDR_CACHE_MAX_RECORDS	4096
#define SDR_CACHE_MAX_BYTES	(1024 * 1024)
#define SDR_CACHE_KEY_MAX	64

/* Concatenated raw records and their decoded form. */
struct sdr_image {
	uint8_t		*raw;
	size_t		 len;
	struct sdr_rec	*recs;
	size_t		 n;
};
/* Parse raw records (copied); 0, or -1 if a record is truncated or the
 * caps are exceeded.  Records that fail to decode are kept with only
 * their header fields. */
int		 sdr_image_set(struct sdr_image *, const uint8_t *, size_t);
void		 sdr_image_clear(struct sdr_image *);
/* A raw image file (as `bmcwatch sdr dump` / `ipmitool sdr dump`
 * write).  0 or -1 with err filled. */
int		 sdr_image_load(struct sdr_image *, const char *path, char *err,
		    size_t errlen);
int		 sdr_image_save(const struct sdr_image *, const char *path,
		    char *err, size_t errlen);

enum sdr_cache_err {
	SDR_CACHE_OK = 0,
	SDR_CACHE_E_TRANSPORT,	/* timeout, session lost ... */
	SDR_CACHE_E_CCODE,	/* the BMC refused a command */
	SDR_CACHE_E_PROTO,	/* short or inconsistent answers */
	SDR_CACHE_E_LIMIT,	/* more records or bytes than the caps */
	SDR_CACHE_E_BUSY	/* a refresh is already running */
};
const char	*sdr_cache_strerror(enum sdr_cache_err);

/* Requests issued, by command. */
struct sdr_cache_stats {
	unsigned	 devid;
	unsigned	 guid;
	unsigned	 info;		/* repository / device SDR info */
	unsigned	 reserve;
	unsigned	 get_sdr;	/* Get SDR / Get Device SDR */
	unsigned	 walks;
	unsigned	 shrinks;
	unsigned	 rereserves;
	unsigned	 disk_loads;
	unsigned	 disk_rejects;	/* corrupt, truncated or stale */
	unsigned	 disk_writes;	/* files written (cache, alias, aux) */
	unsigned	 disk_write_errors;
	unsigned	 device_mode;	/* 1: Device SDR commands in use */
	unsigned	 prefetch_unused; /* Get SDRs sent ahead, not used */
};

typedef void	sdr_cache_done_fn(void *arg, enum sdr_cache_err);

struct sdr_cache;

/*
 * conn, ev and io are borrowed.  io: the work instance the disk writes
 * run on (NULL: in place).  dir NULL keeps the cache in memory only;
 * peer names the BMC's address for the peer alias file (NULL: none).
 */
struct sdr_cache *sdr_cache_new(struct ev *, struct conn *, struct work *io,
		    const char *dir, const char *peer);
/* Must not be called while a refresh is running (sdr_cache_busy).
 * Writes still on the io worker complete; free io after the caches. */
void		 sdr_cache_free(struct sdr_cache *);
/* the target name that log lines about this cache start with (the
 * daemon's; NULL, the default: none) */
void		 sdr_cache_set_target(struct sdr_cache *, const char *);
int		 sdr_cache_busy(const struct sdr_cache *);

/* Use a fixed image (e.g. --sdr-file) and never read SDRs from the BMC:
 * refreshes complete at once.  The image is moved in (src is left
 * empty). */
void		 sdr_cache_use_image(struct sdr_cache *, struct sdr_image *src);

/*
 * Validate and if needed rebuild.  done is called exactly once from the
 * event loop, never from inside sdr_cache_refresh.  Returns 0, or -1
 * (SDR_CACHE_E_BUSY) when a refresh is already running.
 */
int		 sdr_cache_refresh(struct sdr_cache *, sdr_cache_done_fn *,
		    void *arg);

/* The image (owned by the cache): valid until the next refresh that
 * changes it (sdr_cache_generation tells) or sdr_cache_free. */
const struct sdr_image *sdr_cache_image(const struct sdr_cache *);
/* changes whenever the image's content changes */
uint32_t	 sdr_cache_generation(const struct sdr_cache *);
/* the last failure in words ("Get SDR 0x0012: completion code CBh ...") */
const char	*sdr_cache_detail(const struct sdr_cache *);
const struct sdr_cache_stats *sdr_cache_stats(const struct sdr_cache *);
/* the cache key ("guid-..." or "dev-..."), "" before it is known */
const char	*sdr_cache_key(const struct sdr_cache *);
/* the repository info of the last check */
const struct sdr_repo_info *sdr_cache_info(const struct sdr_cache *);
/*
 * A blob kept beside the cache file, tied to the same key and repository
 * timestamps (the sweep keeps the thresholds it read there), so it is
 * dropped with the image whenever the repository changes.  tag is a
 * short [a-z] word.  save: 0 (written, or queued on io), or -1 (no
 * directory, write error, queue full; logged); load: a malloc'ed copy
 * and its length, or NULL if absent or stale.
 */
int		 sdr_cache_aux_save(struct sdr_cache *, const char *tag,
		    const uint8_t *, size_t);
uint8_t		*sdr_cache_aux_load(struct sdr_cache *, const char *tag,
		    size_t *len);
/* the default cache directory: $BMCWATCH_CACHE_DIR, else
 * /var/cache/bmcwatch as root, else $XDG_CACHE_HOME/bmcwatch or
 * ~/.cache/bmcwatch.  0, or -1 if none can be formed. */
int		 sdr_cache_default_dir(char *, size_t);

#endif
