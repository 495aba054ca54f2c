/*
 * bmcwatchd configuration: the grammar of bmcwatch.conf(5) parsed into a
 * struct conf, validated as a whole, or refused with one error
 * "FILE:LINE: message" and nothing of it returned.
 *
 * Use:
 *	struct conf *c;
 *	char err[CONF_ERR_MAX];
 *
 *	if (conf_load(path, &c, err, sizeof(err)) != 0)
 *		-> print err; -n exits 1; SIGHUP keeps the old conf
 *
 * Reload (SIGHUP): load a new conf; on failure keep the old one.  On
 * success, for every target of the new conf, conf_target_find() its
 * namesake in the old one: if conf_target_equal() says it is the same,
 * its sessions, pollers and watchdog keep running, but must be pointed
 * at the new struct conf_target (and its severity table) before the old
 * conf is freed; targets that changed are restarted, new ones started,
 * missing ones stopped.
 *
 * conf_load() reads what the file names: included files, secrets
 * (password, K_g, webhook tokens), severity files, and looks the users
 * and groups up.  conf_parse_buf() without CONF_LOAD_FILES does none of
 * that: it touches no file and no user database (the fuzzer and the
 * grammar tests), leaves secrets empty and severity NULL, and skips
 * include lines after checking their syntax.
 *
 * Units: times are kept in ms where a fraction is allowed (TIME in the
 * man page), in whole seconds (_s) elsewhere.  Every default below is
 * the one bmcwatch.conf(5) documents.
 */
#ifndef CONF_H
#define CONF_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "severity.h"
#include "transport.h"
#include "watchdog.h"

/* every default path, in one place (bmcwatch.conf(5) FILES) */
#ifndef CONF_DEFAULT_FILE
#define CONF_DEFAULT_FILE	"/etc/bmcwatch/bmcwatchd.conf"
#endif
#define CONF_DEFAULT_SOCKET	"/run/bmcwatch/bmcwatch.sock"
#define CONF_DEFAULT_STATE_DIR	"/var/lib/bmcwatch"
#define CONF_DEFAULT_ARCHIVE_DIR "/var/log/bmcwatch"
#define CONF_DEFAULT_USER	"_bmcwatch"
#define CONF_DEFAULT_AGENTX	"/var/agentx/master"
#define CONF_DEFAULT_PIDFILE	"/run/bmcwatch/bmcwatchd.pid"

/* caps */
#define CONF_ERR_MAX		512	/* enough for any error */
#define CONF_FILE_MAX		(1024 * 1024)	/* bytes of one file */
#define CONF_INCLUDE_DEPTH	8	/* nested includes */
#define CONF_FILES_MAX		4096	/* files in one load */
#define CONF_TARGETS_MAX	4096
#define CONF_WEBHOOKS_MAX	64
#define CONF_CHECKS_MAX		16	/* health checks per watchdog */
#define CONF_PATTERNS_MAX	32	/* SOL patterns per target */
#define CONF_PATTERN_LEN	256	/* bytes of one SOL pattern */
#define CONF_NAME_MAX		64	/* target and webhook names */
#define CONF_SECRET_FILE_MAX	4096	/* bytes of a secret file */

/* where something was written; file is owned by the struct conf */
struct conf_loc {
	const char	*file;
	unsigned	 line;
};

enum conf_iface {
	CONF_IFACE_OPEN,	/* /dev/ipmi0 */
	CONF_IFACE_LAN,		/* IPMI 1.5 */
	CONF_IFACE_LANPLUS,	/* IPMI 2.0 RMCP+ */
	CONF_IFACE_REDFISH	/* (used by the Redfish subsystem) */
};

enum conf_level {
	CONF_LEVEL_INFO,
	CONF_LEVEL_WARNING,
	CONF_LEVEL_CRITICAL
};

/* target "allow": what the control socket and SNMP may do */
#define CONF_ALLOW_POWER	0x01
#define CONF_ALLOW_IDENTIFY	0x02
#define CONF_ALLOW_SEL_CLEAR	0x04
#define CONF_ALLOW_SEL_ACK	0x08

/* webhook "events" */
#define CONF_EV_SENSOR		0x001
#define CONF_EV_SEL		0x002
#define CONF_EV_SEL_CLEARED	0x004
#define CONF_EV_SEL_CLEAR_FAILED 0x008
#define CONF_EV_POWER		0x010
#define CONF_EV_WATCHDOG	0x020
#define CONF_EV_HEARTBEAT	0x040
#define CONF_EV_UNREACHABLE	0x080
#define CONF_EV_RECOVERED	0x100
#define CONF_EV_CONSOLE		0x200
#define CONF_EV_ALL		0x3ff

enum conf_overflow {
	CONF_OVERFLOW_DROP_OLDEST,
	CONF_OVERFLOW_DROP_NEWEST
};

/* The bytes of a secret file (its one trailing newline removed), with a
 * NUL after them.  p is NULL when nothing was read.  Wiped on free. */
struct conf_secret {
	uint8_t		*p;
	size_t		 len;
};

enum conf_check_kind {
	CONF_CHECK_FILE,	/* exists [and modified within max_age_s] */
	CONF_CHECK_PID,		/* names a running process */
	CONF_CHECK_COMMAND	/* exits 0 within timeout_ms */
};

struct conf_check {
	enum conf_check_kind kind;
	char		*path;
	unsigned	 max_age_s;	/* FILE: 0 = existence only */
	unsigned	 timeout_ms;	/* COMMAND: default 5000 */
	struct conf_loc	 loc;
};

/* watchdog { }: the health-gated heartbeat */
struct conf_watchdog {
	int		 enabled;	/* a watchdog block was given */
	/* timeout_ms, interval_ms, action, pretimeout_s, pre_int, use;
	 * passed watchdog_validate() */
	struct watchdog_cfg cfg;
	int		 nowayout;	/* leave it running on exit: no */
	int		 force;		/* take over from another owner: no */
	unsigned	 grace_s;	/* checks may fail after start: 0 */
	struct conf_check *checks;	/* all must pass for a kick */
	size_t		 nchecks;
	struct conf_loc	 loc;
};

/* sol { }: the serial console (daemon/console.c) */
struct conf_sol {
	int		 enabled;	/* a sol block was given */
	int		 log;		/* yes */
	int		 input;		/* no */
	int		 timestamps;	/* yes */
	int		 takeover;	/* no */
	char		**patterns;	/* POSIX EREs, compile-checked */
	size_t		 npatterns;
	struct conf_loc	 loc;
};

struct conf_target {
	char		*name;		/* [A-Za-z0-9._-], no leading dot */
	struct conf_loc	 loc;		/* of "target" */
	enum conf_iface	 iface;		/* default: lanplus with a host,
					 * else open */
	/* connection */
	char		*device;	/* open: NULL = probe the usual nodes */
	char		*host;		/* as written (redfish: maybe a URL) */
	char		*hostname;	/* the host part alone */
	unsigned	 port;		/* 623; redfish 443 (https) or 80 */
	int		 https;		/* redfish: 1 unless http:// */
	char		*username;
	char		*password_file;
	struct conf_secret password;
	char		*kg_file;	/* lanplus */
	struct conf_secret kg;		/* decoded bytes */
	int		 cipher;	/* 3; IPMI_CIPHER_AUTO for auto */
	unsigned	 priv;		/* IPMI_PRIV_OPERATOR */
	int		 authtype;	/* lan: IPMI_AUTH_MD5 */
	int		 allow_none;	/* no */
	int		 allow_plaintext; /* no */
	unsigned	 timeout_ms;	/* 4000: one request, retries
					 * included (as bmcwatch -t) */
	unsigned	 retries;	/* 3 */
	unsigned	 keepalive_s;	/* 0 = none */
	uint32_t	 workarounds;	/* IPMI_WA_* */
	char		*ca_file;	/* redfish */
	int		 insecure;	/* redfish: no */
	/* polling */
	unsigned	 sensor_interval_s;	/* 30 */
	unsigned	 sel_interval_s;	/* 60 */
	unsigned	 chassis_interval_s;	/* 30 */
	unsigned	 max_outstanding;	/* IPMI_TR_WINDOW_DEFAULT (lanplus
						 * requests in flight) */
	unsigned	 unreachable_after;	/* 3 failed polls */
	unsigned	 backoff_max_s;		/* 300 */
	int		 in_band_events;	/* open: yes */
	/* SEL */
	unsigned	 sel_clear_at;		/* 75 %, 0 = never */
	unsigned	 sel_clear_free;	/* 0 = off */
	unsigned	 sel_nearly_full;	/* 90 %, 0 = off */
	int		 sel_delete_entries;	/* no */
	char		*severity_file;		/* NULL: built-in table */
	const struct severity *severity;	/* loaded (owned by the
						 * conf), or NULL */
	unsigned	 allow;			/* CONF_ALLOW_*: none */
	struct conf_sol	 sol;
	struct conf_watchdog watchdog;
};

/* webhook "NAME" { } (used by the webhook subsystem) */
struct conf_webhook {
	char		*name;
	struct conf_loc	 loc;
	char		*url;
	int		 https;
	unsigned	 events;	/* CONF_EV_*: all */
	enum conf_level	 min_severity;	/* warning */
	char		*bearer_token_file;
	struct conf_secret bearer_token;
	char		*basic_auth_file;
	struct conf_secret basic_auth;	/* "user:password" */
	char		*hmac_secret_file;
	struct conf_secret hmac_secret;
	unsigned	 timeout_ms;	/* 5000 */
	unsigned	 queue_max;	/* 1000 */
	enum conf_overflow overflow;	/* drop-oldest */
	char		*ca_file;
	int		 insecure;	/* no */
	int		 allow_plaintext; /* no */
};

struct conf {
	char		*path;		/* the file loaded */
	char		*socket;
	char		*socket_group;	/* NULL: the daemon's group */
	unsigned	 socket_mode;	/* 0660 */
	char		*state_dir;
	char		*archive_dir;
	char		*user;
	char		*group;		/* NULL: the user's primary group */
	char		*pidfile;	/* written with -D */
	char		*agentx_socket;	/* (used by the SNMP subsystem) */
	int		 snmp;		/* no */
	int		 snmp_pet_traps; /* no */
	unsigned	 snmp_sel_trap_rate; /* 10 a minute per target */
	char		*prometheus_textfile; /* NULL: none */
	int		 log_facility;	/* LOG_DAEMON */
	int		 sel_syslog;	/* no */
	int		 sel_syslog_facility; /* LOG_LOCAL4, as ipmievd */
	enum conf_level	 sel_syslog_severity; /* info */
	unsigned	 max_clients;	/* 32 */
	/* looked up by conf_load(); (uid_t)-1 / (gid_t)-1 otherwise */
	uid_t		 uid;
	gid_t		 gid;		/* group, else user's primary */
	gid_t		 socket_gid;	/* socket-group, else gid */

	struct conf_target *targets;	/* in file order */
	size_t		 ntargets;
	struct conf_webhook *webhooks;
	size_t		 nwebhooks;

	/* private */
	char		**files;
	size_t		 nfiles;
	struct severity	**sevs;		/* one per severity file */
	char		**sevpaths;
	size_t		 nsevs;
};

/* conf_parse_buf flags */
#define CONF_LOAD_FILES	0x01	/* follow includes, read secrets and
				 * severity files, look users up */

/*
 * Load path and everything it names (CONF_LOAD_FILES).  0 and *out (free
 * with conf_free), or -1 with err = "FILE:LINE: message" (or "FILE:
 * message" when no line applies) and *out untouched.
 */
int		 conf_load(const char *path, struct conf **out, char *err,
		    size_t errlen);
/*
 * Parse len bytes of buf as the file name (used in errors and as the
 * base of relative includes).  flags: 0 = pure (no file, no user
 * database), or CONF_LOAD_FILES.  As conf_load otherwise.
 */
int		 conf_parse_buf(const char *name, const char *buf, size_t len,
		    unsigned flags, struct conf **out, char *err,
		    size_t errlen);
/* wipes the secrets; NULL is a no-op */
void		 conf_free(struct conf *);

/* the target called name, or NULL */
const struct conf_target *conf_target_find(const struct conf *,
		    const char *name);
/*
 * 1 if a and b configure the same thing: every setting, the secrets'
 * bytes and the severity file's path compared; where they were written
 * (loc) and the loaded severity table are not.  0 otherwise.
 */
int		 conf_target_equal(const struct conf_target *,
		    const struct conf_target *);
int		 conf_webhook_equal(const struct conf_webhook *,
		    const struct conf_webhook *);
/*
 * The transport configuration of an IPMI target, for ipmi_tr_new():
 * timeout_ms per attempt (the request's budget over retries + 1), the
 * password and K_g copied in (the caller wipes cfg after ipmi_tr_new,
 * as transport.h asks).  0, or -1 for a redfish target.
 */
int		 conf_target_trcfg(const struct conf_target *,
		    struct ipmi_tr_cfg *);

const char	*conf_iface_name(enum conf_iface);
const char	*conf_level_name(enum conf_level);

/*
 * The keyword tables, for tests and documentation checks: the i-th
 * keyword (in sorted order) of a context, or NULL past the end.
 */
enum conf_ctx {
	CONF_CTX_GLOBAL,
	CONF_CTX_TARGET,	/* also "defaults" */
	CONF_CTX_WATCHDOG,
	CONF_CTX_SOL,
	CONF_CTX_WEBHOOK
};
const char	*conf_keyword(enum conf_ctx, size_t i);

#endif
