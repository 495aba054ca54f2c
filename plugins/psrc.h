/*
 * Where a check_bmc_* plugin gets its data: a source answers "items"
 * (sensors, SEL info, open SEL problems, chassis status, watchdog,
 * targets) as JSON trees in the shapes of the daemon's control socket
 * (agent/bmc/shape.c, shape_sel.c, ctl.c's targets), so every check is
 * written once against those shapes.
 *
 *	socket	(default) bmcwatchd's control socket, -S PATH: no root, no
 *		BMC session; the answers come from the daemon's memory.
 *	snmp	-H HOST: BMCWATCH-MIB over SNMP (plugins/psrc_snmp.c),
 *		read by the client in agent/snmp/snmpget.c (the only
 *		net-snmp code a plugin links); a plugin built without
 *		them says so (UNKNOWN).
 *
 * Also the options every plugin shares, and the failure rules of the
 * guidelines: no daemon, an unreachable BMC or stale data are UNKNOWN
 * with the reason, CRITICAL with --stale-critical.
 */
#ifndef PSRC_H
#define PSRC_H

#include <stddef.h>

#include "np.h"
#include "pjson.h"
#include "snmp/snmpget.h"

#ifndef BMCWATCH_VERSION
#define BMCWATCH_VERSION	"0.1"
#endif
#define PSRC_TIMEOUT_S		10
#define PSRC_SOCKET		"/run/bmcwatch/bmcwatch.sock"

enum psrc_item {
	PSRC_SENSORS,		/* {"sensors": [...]} */
	PSRC_SEL_INFO,		/* shape_sel_info */
	PSRC_SEL_OPEN,		/* {"entries": [...]} open problems */
	PSRC_CHASSIS,		/* shape_chassis_json */
	PSRC_WATCHDOG,		/* shape_wdt_json */
	PSRC_TARGETS		/* {"targets": [...]} */
};

/* why an item could not be had */
enum psrc_err {
	PSRC_OK = 0,
	PSRC_ENODAEMON,		/* no daemon / agent answering */
	PSRC_EUNAVAIL,		/* BMC unreachable or not read yet */
	PSRC_EUSAGE,		/* a bad request (unknown target ...) */
	PSRC_EPROTO		/* an answer we cannot read */
};

struct psrc_opts {
	const char	*label;		/* "BMC SENSORS" */
	const char	*sock;		/* -S */
	const char	*host;		/* -H: SNMP */
	unsigned	 port;		/* -p: SNMP port (161) */
	const char	*community_file;	/* -C FILE: v2c */
	const char	*v3_file;	/* --v3-file FILE: user, auth, priv */
	const char	*target;	/* --target */
	unsigned	 timeout_s;	/* -t */
	int		 verbose;	/* -v */
	int		 stale_critical;
};

struct psrc;

struct psrc_ops {
	const char	*name;
	enum psrc_err	(*get)(struct psrc *, enum psrc_item,
			    struct pjson **, char *err, size_t errlen);
	void		(*close)(struct psrc *);
};

struct psrc {
	const struct psrc_ops *ops;
	struct psrc_opts o;
	void		*priv;
};

/* the SNMP source, when linked in (plugins/psrc_snmp.c): its ops, and
 * its set-up (the credentials read): 0, or -1 with the reason */
extern const struct psrc_ops psrc_snmp_ops __attribute__((weak));
int		 psrc_snmp_init(struct psrc *, char *err, size_t errlen)
		    __attribute__((weak));

/*
 * SNMP credentials, from a file (never from argv):
 *	-C FILE		v2c: the community is the first line
 *	--v3-file FILE	v3: "key=value" lines, '#' comments, blank lines:
 *			user=NAME (required), auth=MD5|SHA|SHA-256|SHA-512,
 *			authpass=..., priv=DES|AES, privpass=...
 *			(auth needs authpass, priv needs auth and privpass;
 *			passphrases at least 8 characters)
 */
#define PSRC_CRED_FILE_MAX	4096
struct psrc_cred {
	int		 version;	/* 2 or 3 */
	char		 community[256];
	char		 user[64];
	enum snmpget_auth auth;
	char		 authpass[256];
	enum snmpget_priv priv;
	char		 privpass[256];
};

/* buf (len bytes, the contents of file) into c: 0, or -1 with
 * "FILE:LINE: reason" in err (never a secret) */
int		 psrc_cred_parse(const char *buf, size_t len, int v3,
		    const char *file, struct psrc_cred *c, char *err,
		    size_t errlen);
/* the same from the file (at most PSRC_CRED_FILE_MAX bytes) */
int		 psrc_cred_read(const char *path, int v3, struct psrc_cred *,
		    char *err, size_t errlen);

/*
 * Common options for getopt_long: the short ones are PSRC_SHORTOPTS,
 * the long ones PSRC_LONGOPTS (a plugin's own use values from 1000).
 * psrc_opt() handles one; 1 if it was common, 0 if not, and exits
 * UNKNOWN (3) on a bad value.
 */
#define PSRC_SHORTOPTS	"S:H:p:C:t:vhV"
#define PSRC_OPT_TARGET		900
#define PSRC_OPT_STALE_CRIT	901
#define PSRC_OPT_V3FILE		902
#define PSRC_LONGOPTS \
	{ "socket", required_argument, NULL, 'S' }, \
	{ "hostname", required_argument, NULL, 'H' }, \
	{ "port", required_argument, NULL, 'p' }, \
	{ "community-file", required_argument, NULL, 'C' }, \
	{ "v3-file", required_argument, NULL, PSRC_OPT_V3FILE }, \
	{ "timeout", required_argument, NULL, 't' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ "target", required_argument, NULL, PSRC_OPT_TARGET }, \
	{ "stale-critical", no_argument, NULL, PSRC_OPT_STALE_CRIT }

struct option;
void		 psrc_opts_init(struct psrc_opts *, const char *label);
int		 psrc_opt(struct psrc_opts *, int c, const char *arg,
		    const char *prog, const char *usage);
/* the option loop of a plugin: the next of its own options (own: its
 * short ones, after PSRC_SHORTOPTS; longopts: PSRC_LONGOPTS and its
 * own), its argument in optarg, the common ones taken by psrc_opt on the
 * way; -1 at the end, psrc_die on a bad option or an operand */
int		 psrc_getopt(struct psrc_opts *, int argc, char **argv,
		    const char *own, const struct option *longopts,
		    const char *prog, const char *usage);
/* the help text of the common options */
extern const char psrc_common_help[];
/* UNKNOWN "LABEL UNKNOWN - msg" and exit 3 (usage and option errors) */
void		 psrc_die(const struct psrc_opts *, const char *, ...)
		    __attribute__((format(printf, 2, 3), noreturn));
/* a number option in [min, max]: the value, or psrc_die */
unsigned long	 psrc_uint(const struct psrc_opts *, const char *opt,
		    const char *arg, unsigned long min, unsigned long max);

/* the source the options name (socket or SNMP), the -t alarm armed;
 * psrc_die when it cannot be had */
void		 psrc_open(struct psrc *, const struct psrc_opts *);
void		 psrc_close(struct psrc *);

/*
 * The item, in *doc (the caller frees it): 0.  On failure, or when the
 * answer says "stale", the state and the reason are put into out
 * (UNKNOWN, or CRITICAL with --stale-critical where the guidelines allow
 * it) and -1 is returned.
 */
int		 psrc_fetch(struct psrc *, enum psrc_item, struct np_out *,
		    struct pjson **doc);

/* the socket source's request for an item (tests) */
int		 psrc_request(enum psrc_item, const char *target, char *out,
		    size_t len);

#endif
