/*
 * Privileges of bmcwatchd.  Started as root, it does what needs root
 * first (config and secrets read, /dev/ipmi* opened, the control socket
 * bound, state and archive directories made the user's), then
 * priv_drop() becomes the configured user for good: supplementary
 * groups, gid and uid set, every capability dropped (bounding, ambient,
 * permitted, effective), no_new_privs, not dumpable, and the result
 * checked in /proc/self/status.  It refuses (-1) rather than go on as
 * root.  Started as another user (the tests), nothing is dropped.
 *
 * Device nodes: priv_device() opens a node once (kcs_open_device) and
 * keeps that fd for the life of the process; each caller gets a dup of
 * it, so a target restarted by SIGHUP after the drop still has its
 * /dev/ipmi0 without being root.
 */
#ifndef PRIV_H
#define PRIV_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define PRIV_DEVICES_MAX	16

/* effective uid 0 */
int	 priv_root(void);
/*
 * Create dir (mode 0750) if missing; as root make it uid:gid's (it must
 * be a directory, not a symbolic link).  Not root: it must exist or be
 * creatable, nothing is chowned.  0, or -1 with "PATH: reason".
 */
int	 priv_mkdir(const char *path, uid_t, gid_t, char *err, size_t errlen);
/*
 * An fd (O_CLOEXEC, non-blocking) for the IPMI device node path (NULL or
 * "": probe the usual ones), owned by the caller: a dup of the node
 * opened the first time.  -1 with kcs_open_device's message in err.
 */
int	 priv_device(const char *path, char *err, size_t errlen);
/* close the kept device fds (at exit) */
void	 priv_devices_close(void);
/*
 * Become uid:gid with no capability, for good (see above).  0; or -1
 * with the reason (uid 0 asked, a call failing, the check failing).
 * Not root: does nothing, returns 1.
 */
int	 priv_drop(uid_t, gid_t, char *err, size_t errlen);
/*
 * The hex value of the "KEY:" line of a /proc/PID/status text (len
 * bytes).  0, or -1 if absent or malformed.  Pure.
 */
int	 priv_status_hex(const char *status, size_t len, const char *key,
	    uint64_t *v);
/* check /proc/self/status: CapEff, CapPrm and CapAmb 0, and the real,
 * effective and saved ids uid:gid.  0 or -1 with the reason. */
int	 priv_verify(uid_t, gid_t, char *err, size_t errlen);

#endif
