/*
 * The bmcwatch command-line tool: global options, the connection, and
 * one function per command (cli_<command>.c).
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "conn.h"
#include "ev.h"
#include "jsonw.h"
#include "transport.h"

/* exit codes, the CLI contract */
#define CLI_OK		0
#define CLI_ECCODE	1	/* the BMC answered with an error ccode */
#define CLI_EUSAGE	2	/* usage or configuration error */
#define CLI_ETRANSPORT	3	/* transport or authentication failure */

struct cli {
	struct ipmi_tr_cfg cfg;
	int		 json;
	int		 verbose;
	int		 stats;
	int		 bridged;
	uint8_t		 target_chan;
	uint8_t		 target_addr;
	struct ev	*ev;
	struct conn	*conn;		/* opened on first use */
	struct jsonw	 js;
	/* -S: ask bmcwatchd through its control socket instead */
	const char	*sock;
	const char	*target;	/* --target NAME */
	unsigned	 sock_timeout_ms; /* -t, else CLI_CTL_TIMEOUT_MS */
	/* -I redfish (cli_redfish.c) */
	int		 redfish;
	const char	*rf_host;	/* -H: host[:port] or a URL */
	const char	*rf_user;	/* -U */
	char		 rf_password[128]; /* -f / -E, wiped at exit */
	const char	*ca_file;	/* --ca-file */
	int		 insecure;	/* --insecure */
	unsigned	 rf_timeout_ms;	/* -t, per request */
};
#define CLI_RF_USER_MAX	64

struct cli_cmd {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*usage;
};

/* bmcwatch.c */
/* Create the transport and its connection (nothing is sent yet).
 * CLI_OK, or CLI_ETRANSPORT with the reason printed. */
int	cli_connect(struct cli *);
/* Send one request and wait.  On a transport failure prints the one
 * line "peer: step: message" and returns -CLI_ETRANSPORT; returns 0
 * with rsp filled otherwise (rsp->ccode may be non-zero). */
int	cli_call(struct cli *, struct ipmi_req *, struct ipmi_rsp *);
/* cli_call plus: a non-zero ccode is printed with its name naming
 * what (e.g. "Get Device ID") and turned into -CLI_ECCODE. */
int	cli_call_ok(struct cli *, struct ipmi_req *, struct ipmi_rsp *,
	    const char *what);
/* Print "peer: what: completion code C1h: Invalid command" for rsp's
 * non-zero ccode (ipmi_ccode_fmt, named for the command that answered);
 * returns CLI_ECCODE. */
int	cli_ccode_error(struct cli *, const struct ipmi_req *,
	    const struct ipmi_rsp *, const char *what);
/* Print "peer: what: response too short (len bytes[, need n])" (need 0:
 * not said); returns CLI_ETRANSPORT. */
int	cli_short_error(struct cli *, const char *what, unsigned len,
	    unsigned need);
void	cli_usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	cli_parse_byte(const char *, uint8_t *);

/* cli_ctl.c: the command line given to bmcwatch -S (argv[0] is the
 * command) as a control socket request; prints the answer */
#define CLI_CTL_TIMEOUT_MS	60000
int	cli_ctl(struct cli *, int, char **);
/* cli_redfish.c: every command of -I redfish */
int	cli_redfish(struct cli *, int, char **);
/* cli_info.c */
int	cli_info(struct cli *, int, char **);
/* cli_raw.c */
int	cli_raw(struct cli *, int, char **);
/* cli_chassis.c */
int	cli_chassis(struct cli *, int, char **);
/* cli_watchdog.c */
int	cli_watchdog(struct cli *, int, char **);
/* cli_sensors.c, cli_sdr.c */
int	cli_sensors(struct cli *, int, char **);
int	cli_sdr(struct cli *, int, char **);
/* cli_sel.c */
int	cli_sel(struct cli *, int, char **);
/* cli_selwatch.c: `sel watch', the rest to cli_sel */
int	cli_selwatch(struct cli *, int, char **);
/* cli_sol.c: Serial over LAN */
int	cli_sol(struct cli *, int, char **);
/* -S SOCKET sol TARGET: attach to bmcwatchd's console session */
int	cli_sol_attach(struct cli *, int, char **);

#endif
