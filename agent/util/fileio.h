/*
 * Whole-file I/O: a bounded read-all, and durable writes: write-all,
 * directory fsync, and the tmp -> fsync -> rename -> directory fsync
 * replacement used for state and cache files (style rule 33).
 */
#ifndef FILEIO_H
#define FILEIO_H

#include <sys/types.h>

#include <stddef.h>

/*
 * Write all n bytes of p to fd, retrying on EINTR and short writes.
 * Returns 0, or -1 with errno set (ENOSPC if write(2) returned 0).
 */
int	fileio_write_all(int, const void *, size_t);

/*
 * Read from fd until end of file or until cap bytes are in buf,
 * retrying on EINTR and short reads.  Returns the byte count (cap means
 * "maybe more": callers that bound a file read cap = limit + 1), or -1
 * with errno set.
 */
ssize_t	fileio_read_all(int, void *, size_t);

/*
 * fsync the directory holding path ("." without a slash), so a new or
 * renamed name in it is durable.  Returns 0, or -1 with errno set.
 */
int	fileio_sync_dir(const char *);

/*
 * Replace path with the len bytes of p: write them to tmp (created with
 * mode, never through a symlink), fsync, close, rename tmp over path,
 * then fsync the directory (best effort).  On failure tmp is removed and
 * err holds "<file>: <reason>"; returns 0 or -1.
 */
int	fileio_replace(const char *path, const char *tmp, const void *p,
	    size_t len, mode_t mode, char *err, size_t errlen);

#endif
