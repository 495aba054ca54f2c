/*
 * Dropping root for good (see priv.h): the order is chrony's and
 * OpenNTPD's.  While still root: capability bounding set emptied (needs
 * CAP_SETPCAP), supplementary groups replaced, then gid, then uid (all
 * three of each).  A process whose uids all become non-zero loses its
 * permitted and effective capabilities (capabilities(7)); they are
 * cleared once more with capset(2) and the ambient set, and the result
 * is read back from /proc/self/status rather than assumed.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "priv.h"
#include "transport.h"
#include "xmem.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT			47
#define PR_CAP_AMBIENT_CLEAR_ALL	4
#endif

static struct {
	char	*path;
	int	 fd;
} priv_devs[PRIV_DEVICES_MAX];
static size_t priv_ndevs;

int
priv_root(void)
{
	return geteuid() == 0;
}

int
priv_mkdir(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0750) != 0 && errno != EEXIST) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) != 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a directory", path);
		return -1;
	}
	if (priv_root() && uid != (uid_t)-1 && (st.st_uid != uid ||
	    st.st_gid != gid) && chown(path, uid, gid) != 0) {
		(void)snprintf(err, errlen, "%s: chown: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
priv_device(const char *path, char *err, size_t errlen)
{
	const char *key = path != NULL ? path : "";
	size_t i;
	int fd;

	for (i = 0; i < priv_ndevs; i++)
		if (strcmp(priv_devs[i].path, key) == 0)
			goto dup;
	if (priv_ndevs >= PRIV_DEVICES_MAX) {
		(void)snprintf(err, errlen, "%s: more than %d device nodes",
		    *key ? key : "/dev/ipmi0", PRIV_DEVICES_MAX);
		return -1;
	}
	if ((fd = kcs_open_device(*key ? key : NULL, err, errlen)) < 0)
		return -1;
	priv_devs[priv_ndevs].path = xstrdup(key);
	priv_devs[priv_ndevs].fd = fd;
	i = priv_ndevs++;
dup:
	if ((fd = fcntl(priv_devs[i].fd, F_DUPFD_CLOEXEC, 3)) < 0) {
		(void)snprintf(err, errlen, "%s: dup: %s", *key ? key :
		    "/dev/ipmi0", strerror(errno));
		return -1;
	}
	return fd;
}

void
priv_devices_close(void)
{
	size_t i;

	for (i = 0; i < priv_ndevs; i++) {
		(void)close(priv_devs[i].fd);
		free(priv_devs[i].path);
	}
	priv_ndevs = 0;
}

int
priv_status_hex(const char *s, size_t len, const char *key, uint64_t *v)
{
	size_t kl = strlen(key), i = 0, k;
	uint64_t n;
	int digits;

	while (i < len) {
		size_t eol = i;

		while (eol < len && s[eol] != '\n')
			eol++;
		if (eol - i > kl && memcmp(s + i, key, kl) == 0 &&
		    s[i + kl] == ':') {
			k = i + kl + 1;
			while (k < eol && (s[k] == ' ' || s[k] == '\t'))
				k++;
			n = 0;
			digits = 0;
			for (; k < eol; k++, digits++) {
				char c = s[k];
				int d = c >= '0' && c <= '9' ? c - '0' :
				    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

				if (d < 0 || digits >= 16)
					return -1;
				n = n << 4 | (uint64_t)d;
			}
			if (digits == 0)
				return -1;
			*v = n;
			return 0;
		}
		i = eol + 1;
	}
	return -1;
}

/* "Uid:\tR\tE\tS\tFS": the first three all equal to want */
static int
priv_status_ids(const char *s, size_t len, const char *key, unsigned long want)
{
	size_t kl = strlen(key), i = 0;

	while (i < len) {
		size_t eol = i;

		while (eol < len && s[eol] != '\n')
			eol++;
		if (eol - i > kl && memcmp(s + i, key, kl) == 0 &&
		    s[i + kl] == ':') {
			char line[128], *p, *end;
			int k;

			if (eol - i >= sizeof(line))
				return -1;
			memcpy(line, s + i + kl + 1, eol - i - kl - 1);
			line[eol - i - kl - 1] = '\0';
			p = line;
			for (k = 0; k < 3; k++) {
				unsigned long v;

				errno = 0;
				v = strtoul(p, &end, 10);
				if (errno != 0 || end == p || v != want)
					return -1;
				p = end;
			}
			return 0;
		}
		i = eol + 1;
	}
	return -1;
}

int
priv_verify(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	static const char *const caps[] = { "CapEff", "CapPrm", "CapAmb" };
	char buf[8192];
	ssize_t n;
	uint64_t v;
	size_t i;
	int fd;

	if ((fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)) < 0) {
		(void)snprintf(err, errlen, "/proc/self/status: %s",
		    strerror(errno));
		return -1;
	}
	n = fileio_read_all(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0) {
		(void)snprintf(err, errlen, "/proc/self/status: cannot read");
		return -1;
	}
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (priv_status_hex(buf, (size_t)n, caps[i], &v) != 0) {
			/* CapAmb is missing before Linux 4.3: nothing to
			 * clear there */
			if (i == 2)
				continue;
			(void)snprintf(err, errlen, "/proc/self/status: no "
			    "%s line", caps[i]);
			return -1;
		}
		if (v != 0) {
			(void)snprintf(err, errlen, "%s is %016llx, not 0",
			    caps[i], (unsigned long long)v);
			return -1;
		}
	}
	if (priv_status_ids(buf, (size_t)n, "Uid", (unsigned long)uid) != 0 ||
	    priv_status_ids(buf, (size_t)n, "Gid", (unsigned long)gid) != 0) {
		(void)snprintf(err, errlen, "/proc/self/status: ids are not "
		    "%lu:%lu", (unsigned long)uid, (unsigned long)gid);
		return -1;
	}
	return 0;
}

int
priv_drop(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
	uid_t r, e, s;
	int c;

	if (!priv_root())
		return 1;
	if (uid == 0 || uid == (uid_t)-1 || gid == (gid_t)-1) {
		(void)snprintf(err, errlen, "refusing to run as root: the "
		    "configured user is uid %ld", (long)uid);
		return -1;
	}
	(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* the bounding set: nothing can be regained through exec */
	for (c = 0; c <= 63; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
			(void)snprintf(err, errlen, "PR_CAPBSET_DROP %d: %s",
			    c, strerror(errno));
			return -1;
		}
	if (setgroups(1, &gid) != 0) {
		(void)snprintf(err, errlen, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) != 0) {
		(void)snprintf(err, errlen, "setresgid %lu: %s",
		    (unsigned long)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) != 0) {
		(void)snprintf(err, errlen, "setresuid %lu: %s",
		    (unsigned long)uid, strerror(errno));
		return -1;
	}
	if (getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid) {
		(void)snprintf(err, errlen, "still uid %lu after setresuid",
		    (unsigned long)e);
		return -1;
	}
	/* regaining root must fail now */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		(void)snprintf(err, errlen, "root could be regained after "
		    "setresuid");
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	if (syscall(SYS_capset, &hdr, data) != 0) {
		(void)snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		(void)snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	/* checked before the process turns undumpable: some kernels then
	 * make its /proc files root's, unreadable to it (Linux 6.1) */
	if (priv_verify(uid, gid, err, errlen) != 0)
		return -1;
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return 0;
}
