/*
 * bmcwatch sol activate|deactivate|info: Serial over LAN, as ipmitool's
 * `sol' commands.
 *
 * activate runs a solsess (agent/bmc/solsess.c) on the loop: console
 * bytes go to standard output, keystrokes from standard input to the
 * BMC.  With a terminal on standard input it is put in raw mode
 * (cfmakeraw) once the payload is active, and restored on every way
 * out: the escape `~.', the BMC or the session ending, a write error,
 * SIGTERM, SIGINT or SIGHUP (all taken by the loop through ev_signal, so
 * none of them kills the process before the restore; SIGPIPE is
 * ignored and shows as a write error).  Escapes are seen after a newline
 * (or at the start), as in ssh and ipmitool: `~.' quit, `~B' send a
 * break, `~~' a literal tilde, `~?' help.
 *
 * Output is written without blocking the loop: to a descriptor of its
 * own opened on the same terminal or pipe with O_NONBLOCK (stdout's own
 * file description is shared with the shell and keeps its flags), up to
 * a bound; past a high-water mark the BMC is asked to pause the system's
 * output (CTS pause), and past the bound characters are left unacked
 * for the BMC to send again.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "cli.h"
#include "cmd_sol.h"
#include "ctl.h"
#include "solsess.h"
#include "xmem.h"

#define SOLCLI_OUT_MAX		(1024 * 1024)	/* output buffer bound */
#define SOLCLI_OUT_HIGH		(64 * 1024)	/* CTS pause above */
#define SOLCLI_OUT_LOW		(16 * 1024)	/* ... resume below */
#define SOLCLI_PROBE_MS		2000
#define SOLCLI_FLUSH_MS		1000	/* last output after the end */
#define SOLCLI_READ_MAX		512
/* the notices a BMC's status bits cause: at most a burst a window, the
 * rest counted (a BMC toggling them on every packet would fill the
 * terminal) */
#define SOLCLI_NOTE_BURST	10
#define SOLCLI_NOTE_WINDOW_MS	10000

struct solatt;

struct solcli {
	struct cli	*c;
	struct solsess	*s;
	struct solatt	*att;		/* -S: the daemon's session instead */
	/* terminal */
	int		 tty;		/* stdin is a terminal */
	int		 raw;		/* and we made it raw */
	struct termios	 saved;
	/* input */
	struct ev_fd	*in_w;
	int		 in_eof;
	int		 at_bol;
	int		 esc_pending;
	int		 esc;		/* escape character, -1: none */
	/* output */
	int		 out_fd;
	int		 out_own;	/* out_fd is ours to close */
	struct ev_fd	*out_w;
	uint8_t		*obuf;
	size_t		 olen;
	int		 paused;
	int		 wr_errno;	/* a write failed: errno */
	/* how it goes */
	int		 active;
	int		 quit;		/* ~. or a signal */
	int		 signals;
	int		 closing;
	/* the BMC's notices (SOLCLI_NOTE_BURST a window) */
	uint64_t	 note_at;	/* the window's start */
	unsigned	 notes;		/* shown in it */
	unsigned long long note_hidden;	/* not shown, not yet said */
};

static void	solcli_sync(struct solcli *);
static size_t	solatt_put(struct solatt *, const uint8_t *, size_t);
static void	solatt_break(struct solatt *);
static size_t	solatt_room(const struct solatt *);

/* keystrokes to the session (direct) or to the daemon (-S) */
static void
solcli_put(struct solcli *sc, const uint8_t *p, size_t n)
{
	if (sc->s != NULL)
		(void)solsess_write(sc->s, p, n, ev_now());
	else
		(void)solatt_put(sc->att, p, n);
}

static size_t
solcli_room(const struct solcli *sc)
{
	return sc->s != NULL ? solsess_write_room(sc->s) :
	    solatt_room(sc->att);
}

/*
 * A notice on stderr: in raw mode lines need their carriage return.  A
 * direct session's notices name the BMC, as its other messages do (the
 * daemon's, with -S, come from one target and say so in its answer).
 */
static void
solcli_note(struct solcli *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
solcli_note(struct solcli *sc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s[bmcwatch: ", sc->raw ? "\r\n" : "");
	if (sc->s != NULL)
		fprintf(stderr, "%s: ", ipmi_tr_peer(conn_tr(sc->c->conn)));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "]%s", sc->raw ? "\r\n" : "\n");
	(void)fflush(stderr);
}

static void
solcli_raw(struct solcli *sc)
{
	struct termios t;

	if (!sc->tty || sc->raw)
		return;
	t = sc->saved;
	cfmakeraw(&t);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
		sc->raw = 1;
}

/* The one way back to the user's terminal settings. */
static void
solcli_restore(struct solcli *sc)
{
	if (!sc->raw)
		return;
	(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &sc->saved);
	sc->raw = 0;
}

/* ---- output ---- */

/* A descriptor for console bytes that never blocks the loop. */
static void
solcli_out_open(struct solcli *sc)
{
	struct stat st;
	int fd;

	sc->out_fd = STDOUT_FILENO;
	sc->out_own = 0;
	if (fstat(STDOUT_FILENO, &st) != 0 || S_ISREG(st.st_mode))
		return;		/* a file never blocks */
	/* a file description of our own: O_NONBLOCK on stdout's would
	 * also reach the shell that shares it (and stdin, on a tty) */
	fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd >= 0) {
		sc->out_fd = fd;
		sc->out_own = 1;
	}
}

static void
solcli_flush(struct solcli *sc)
{
	ssize_t n;

	while (sc->olen > 0 && sc->wr_errno == 0) {
		n = write(sc->out_fd, sc->obuf, sc->olen);
		if (n > 0) {
			memmove(sc->obuf, sc->obuf + n, sc->olen - (size_t)n);
			sc->olen -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		sc->wr_errno = n < 0 ? errno : EIO;
		sc->quit = 1;
	}
	if (sc->s == NULL)
		return;
	if (!sc->paused && sc->olen > SOLCLI_OUT_HIGH) {
		sc->paused = 1;
		solsess_pause(sc->s, 1, ev_now());
	} else if (sc->paused && sc->olen < SOLCLI_OUT_LOW) {
		sc->paused = 0;
		solsess_pause(sc->s, 0, ev_now());
	}
}

static size_t
solcli_on_output(void *arg, const uint8_t *p, size_t n)
{
	struct solcli *sc = arg;
	size_t room = SOLCLI_OUT_MAX - sc->olen;

	if (sc->wr_errno != 0)
		return n;	/* nowhere to go: ending anyway */
	if (n > room)
		n = room;	/* the rest comes again */
	memcpy(sc->obuf + sc->olen, p, n);
	sc->olen += n;
	solcli_flush(sc);
	return n;
}

/* ---- input ---- */

static void
solcli_help(struct solcli *sc)
{
	char e = (char)sc->esc;

	fprintf(stderr, "\r\nSupported escape sequences (after a newline):\r\n"
	    "  %c.  end the SOL session\r\n"
	    "  %cB  send a break to the server's serial port\r\n"
	    "  %c%c  send the escape character itself\r\n"
	    "  %c?  this help\r\n", e, e, e, e, e);
	(void)fflush(stderr);
}

/* Keystrokes through the escape filter into solsess. */
static void
solcli_keys(struct solcli *sc, const uint8_t *p, size_t n)
{
	uint8_t out[SOLCLI_READ_MAX * 2];
	size_t o = 0, i;

	for (i = 0; i < n && !sc->quit; i++) {
		uint8_t b = p[i];

		if (sc->esc_pending) {
			sc->esc_pending = 0;
			if (b == '.') {
				sc->quit = 1;
				break;
			}
			if (b == 'B') {
				/* what was typed before the break first */
				if (o > 0)
					solcli_put(sc, out, o);
				o = 0;
				if (sc->s != NULL)
					solsess_send_break(sc->s, ev_now());
				else
					solatt_break(sc->att);
				solcli_note(sc, "break sent");
				continue;
			}
			if (b == '?') {
				solcli_help(sc);
				continue;
			}
			out[o++] = (uint8_t)sc->esc;
			if (b == sc->esc) {
				sc->at_bol = 0;
				continue;
			}
		} else if (sc->at_bol && sc->esc >= 0 && b == sc->esc) {
			sc->esc_pending = 1;
			continue;
		}
		out[o++] = b;
		sc->at_bol = b == '\r' || b == '\n';
	}
	if (o > 0)
		solcli_put(sc, out, o);
}

static void
solcli_on_stdin(int fd, unsigned events, void *arg)
{
	struct solcli *sc = arg;
	uint8_t buf[SOLCLI_READ_MAX];
	size_t room = solcli_room(sc);
	ssize_t n;

	(void)events;
	/* an escape held over expands to two bytes: keep one spare */
	if (room < 2)
		return;
	if (room - 1 < sizeof(buf))
		room = room - 1;
	else
		room = sizeof(buf);
	n = read(fd, buf, room);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* a terminal that hangs up ends it; a pipe or file that
		 * ends only stops the keystrokes */
		sc->in_eof = 1;
		if (sc->tty)
			sc->quit = 1;
		return;
	}
	solcli_keys(sc, buf, (size_t)n);
}

static void
solcli_on_stdout(int fd, unsigned events, void *arg)
{
	(void)fd;
	(void)events;
	solcli_flush(arg);
}

/* Watch stdin while there is room for keystrokes, stdout while output
 * waits. */
static void
solcli_sync(struct solcli *sc)
{
	unsigned want;

	if (sc->in_w != NULL) {
		want = sc->active && !sc->in_eof && !sc->quit &&
		    solcli_room(sc) >= 2 ? EV_READ : 0;
		ev_fd_events(sc->c->ev, sc->in_w, want);
	}
	if (sc->out_w != NULL)
		ev_fd_events(sc->c->ev, sc->out_w, sc->olen > 0 &&
		    sc->wr_errno == 0 ? EV_WRITE : 0);
}

/* ---- the session's events ---- */

/* Say how many of the BMC's notices were not shown, if any. */
static void
solcli_note_hidden(struct solcli *sc)
{
	if (sc->note_hidden == 0)
		return;
	solcli_note(sc, "%llu more notices from the BMC not shown (at most "
	    "%d in %d s)", sc->note_hidden, SOLCLI_NOTE_BURST,
	    SOLCLI_NOTE_WINDOW_MS / 1000);
	sc->note_hidden = 0;
}

/* May a notice the BMC caused be shown now?  Else it is counted. */
static int
solcli_note_ok(struct solcli *sc)
{
	uint64_t now = ev_now();

	if (sc->note_at == 0 || now - sc->note_at >= SOLCLI_NOTE_WINDOW_MS) {
		solcli_note_hidden(sc);
		sc->note_at = now;
		sc->notes = 0;
	}
	if (sc->notes >= SOLCLI_NOTE_BURST) {
		sc->note_hidden++;
		return 0;
	}
	sc->notes++;
	return 1;
}

static void
solcli_on_event(void *arg, enum solsess_ev e)
{
	struct solcli *sc = arg;
	const struct solsess_stats *st = solsess_stats(sc->s);

	switch (e) {
	case SOLSESS_EV_ACTIVE:
		sc->active = 1;
		if (sc->esc >= 0)
			fprintf(stderr, "bmcwatch: %s: SOL payload instance "
			    "active%s (%c? for help, %c. to quit)\n",
			    ipmi_tr_peer(conn_tr(sc->c->conn)),
			    solsess_took_over(sc->s) ? ", taken over from "
			    "another session" : "", sc->esc, sc->esc);
		else
			fprintf(stderr, "bmcwatch: %s: SOL payload instance "
			    "active%s\n", ipmi_tr_peer(conn_tr(sc->c->conn)),
			    solsess_took_over(sc->s) ? ", taken over from "
			    "another session" : "");
		(void)fflush(stderr);
		solcli_raw(sc);
		break;
	case SOLSESS_EV_BREAK:
		if (solcli_note_ok(sc))
			solcli_note(sc, "the BMC saw a break from the server");
		break;
	case SOLSESS_EV_OVERRUN:
		if (solcli_note_ok(sc))
			solcli_note(sc, "the BMC lost console characters "
			    "(transmit overrun, %llu so far)",
			    (unsigned long long)st->overruns);
		break;
	case SOLSESS_EV_UNAVAILABLE:
		if (solcli_note_ok(sc))
			solcli_note(sc, "character transfer %s",
			    solsess_unavailable(sc->s) ? "unavailable (the "
			    "serial port is in use by something else)" :
			    "available again");
		break;
	case SOLSESS_EV_INPUT_DROPPED:
		if (solcli_note_ok(sc))
			solcli_note(sc, "keystrokes were not acknowledged by "
			    "the BMC and are lost (%llu bytes so far)",
			    (unsigned long long)st->tx_dropped);
		break;
	case SOLSESS_EV_ENDED:
		break;
	}
}

static void
solcli_on_signal(int signo, void *arg)
{
	struct solcli *sc = arg;

	(void)signo;
	sc->quit = 1;
	sc->signals++;
}

static int
solcli_parse_esc(const char *s, int *esc)
{
	if (strcmp(s, "none") == 0) {
		*esc = -1;
		return 0;
	}
	if (strlen(s) != 1 || (unsigned char)s[0] < 0x21 ||
	    (unsigned char)s[0] > 0x7e || s[0] == '.' || s[0] == 'B' ||
	    s[0] == '?')
		return -1;
	*esc = (unsigned char)s[0];
	return 0;
}

static int
solcli_parse_instance(const char *s, uint8_t *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > SOL_INSTANCE_MAX)
		return -1;
	*v = (uint8_t)n;
	return 0;
}

/* The exit code for how it ended, the message said. */
static int
solcli_result(struct solcli *sc)
{
	const char *peer = ipmi_tr_peer(conn_tr(sc->c->conn));
	enum solsess_end end = solsess_end(sc->s);

	if (sc->wr_errno != 0) {
		fprintf(stderr, "bmcwatch: write error: %s\n",
		    strerror(sc->wr_errno));
		return CLI_EUSAGE;
	}
	switch (end) {
	case SOLSESS_END_CLOSED:
	case SOLSESS_END_NONE:
		fprintf(stderr, "bmcwatch: %s: SOL session closed\n", peer);
		return CLI_OK;
	case SOLSESS_END_BUSY:
		fprintf(stderr, "bmcwatch: %s: %s: refused (--takeover "
		    "deactivates it)\n", peer, solsess_errtext(sc->s));
		return CLI_ECCODE;
	case SOLSESS_END_REFUSED:
	case SOLSESS_END_PORT:
	case SOLSESS_END_DEACTIVATED:
	case SOLSESS_END_TAKEN:
		fprintf(stderr, "bmcwatch: %s: %s\n", peer,
		    solsess_errtext(sc->s));
		return CLI_ECCODE;
	case SOLSESS_END_UNSUPPORTED:
		fprintf(stderr, "bmcwatch: %s: %s\n", peer,
		    solsess_errtext(sc->s));
		return CLI_EUSAGE;
	case SOLSESS_END_SESSION:
	case SOLSESS_END_TRANSPORT:
	case SOLSESS_END_PROTO:
		break;
	}
	fprintf(stderr, "bmcwatch: %s: %s\n", peer, solsess_errtext(sc->s));
	return CLI_ETRANSPORT;
}

/* What is still buffered after the end, for at most SOLCLI_FLUSH_MS. */
static void
solcli_drain(struct solcli *sc)
{
	uint64_t end = ev_now() + SOLCLI_FLUSH_MS, now;
	struct pollfd p;

	while (sc->olen > 0 && sc->wr_errno == 0 && (now = ev_now()) < end) {
		solcli_flush(sc);
		if (sc->olen == 0 || sc->wr_errno != 0)
			break;
		p.fd = sc->out_fd;
		p.events = POLLOUT;
		(void)poll(&p, 1, (int)(end - now));
	}
}

static void
solcli_stats(struct solcli *sc)
{
	const struct solsess_stats *st = solsess_stats(sc->s);

	fprintf(stderr, "bmcwatch: %s: sol stats: rx_packets=%llu "
	    "rx_bytes=%llu rx_dups=%llu rx_dup_bytes=%llu rx_bad=%llu "
	    "tx_packets=%llu "
	    "tx_bytes=%llu tx_retransmits=%llu tx_partial=%llu "
	    "tx_nacks=%llu tx_dropped=%llu probes=%llu chars_in=%zu "
	    "outbound=%u retries=%u retry_ms=%u\n",
	    ipmi_tr_peer(conn_tr(sc->c->conn)),
	    (unsigned long long)st->rx_packets,
	    (unsigned long long)st->rx_bytes,
	    (unsigned long long)st->rx_dups,
	    (unsigned long long)st->rx_dup_bytes,
	    (unsigned long long)st->rx_bad,
	    (unsigned long long)st->tx_packets,
	    (unsigned long long)st->tx_bytes,
	    (unsigned long long)st->tx_retransmits,
	    (unsigned long long)st->tx_partial,
	    (unsigned long long)st->tx_nacks,
	    (unsigned long long)st->tx_dropped,
	    (unsigned long long)st->probes, solsess_chars_in(sc->s),
	    solsess_outbound(sc->s), solsess_retries(sc->s),
	    solsess_retry_ms(sc->s));
}

static int
sol_activate(struct cli *c, int argc, char **argv)
{
	struct solcli sc;
	struct solsess_cfg cfg;
	int i, rc, sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t k;

	memset(&sc, 0, sizeof(sc));
	sc.c = c;
	sc.esc = '~';
	sc.at_bol = 1;
	sc.out_fd = -1;
	solsess_cfg_init(&cfg);
	cfg.probe_ms = SOLCLI_PROBE_MS;
	for (i = 2; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--takeover") == 0)
			cfg.takeover = 1;
		else if (strcmp(argv[i], "--escape-char") == 0 ||
		    strcmp(argv[i], "-e") == 0) {
			if (val == NULL ||
			    solcli_parse_esc(val, &sc.esc) != 0) {
				cli_usage_error("sol activate", "%s wants one "
				    "printable character other than '.', 'B' "
				    "and '?', or none", argv[i]);
				return CLI_EUSAGE;
			}
			i++;
		} else if (strcmp(argv[i], "--instance") == 0) {
			if (solcli_parse_instance(val, &cfg.instance) != 0) {
				cli_usage_error("sol activate", "--instance "
				    "wants a number from 1 to %d",
				    SOL_INSTANCE_MAX);
				return CLI_EUSAGE;
			}
			i++;
		} else {
			cli_usage_error("sol activate", "unknown option '%s' "
			    "(--takeover, --escape-char C, --instance N)",
			    argv[i]);
			return CLI_EUSAGE;
		}
	}
	if (c->cfg.iface != IPMI_IFACE_LANPLUS) {
		cli_usage_error("sol activate", "Serial over LAN needs an IPMI "
		    "2.0 RMCP+ session (-I lanplus)");
		return CLI_EUSAGE;
	}
	if (c->json) {
		cli_usage_error("sol activate", "--json does not apply: the "
		    "console is a byte stream");
		return CLI_EUSAGE;
	}
	if (c->bridged) {
		cli_usage_error("sol activate", "SOL is the BMC's own: no "
		    "--target-addr");
		return CLI_EUSAGE;
	}
	/* every way out below restores the terminal: the signals that
	 * would end us come through the loop instead */
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		if (ev_signal(c->ev, sigs[k], solcli_on_signal, &sc) != 0) {
			fprintf(stderr, "bmcwatch: signals: %s\n",
			    strerror(errno));
			return CLI_EUSAGE;
		}
	(void)signal(SIGPIPE, SIG_IGN);
	if ((rc = cli_connect(c)) != CLI_OK)
		return rc;
	sc.tty = isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &sc.saved) == 0;
	sc.obuf = xmalloc(SOLCLI_OUT_MAX);
	solcli_out_open(&sc);
	sc.s = solsess_new(conn_tr(c->conn), &cfg, solcli_on_output,
	    solcli_on_event, &sc);
	solsess_attach(sc.s, c->ev, c->conn);
	sc.in_w = ev_fd_add(c->ev, STDIN_FILENO, 0, solcli_on_stdin, &sc);
	sc.out_w = ev_fd_add(c->ev, sc.out_fd, 0, solcli_on_stdout, &sc);
	(void)solsess_start(sc.s, ev_now());
	while (solsess_state(sc.s) != SOLSESS_ENDED) {
		if (sc.quit && !sc.closing) {
			sc.closing = 1;
			solsess_close(sc.s, ev_now());
			continue;
		}
		/* a second signal while closing: out at once */
		if (sc.signals > 1)
			break;
		solcli_sync(&sc);
		if (ev_run_once(c->ev, -1) != 0)
			break;
	}
	solcli_drain(&sc);
	solcli_restore(&sc);
	solcli_note_hidden(&sc);
	if (c->stats)
		solcli_stats(&sc);
	rc = solsess_state(sc.s) == SOLSESS_ENDED ? solcli_result(&sc) :
	    CLI_OK;
	ev_fd_del(c->ev, sc.in_w);
	ev_fd_del(c->ev, sc.out_w);
	solsess_free(sc.s);
	if (sc.out_own)
		(void)close(sc.out_fd);
	free(sc.obuf);
	return rc;
}

static int
sol_deactivate(struct cli *c, int argc, char **argv)
{
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	uint8_t instance = 1;
	int i, r;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--instance") == 0 &&
		    solcli_parse_instance(i + 1 < argc ? argv[i + 1] : NULL,
		    &instance) == 0) {
			i++;
			continue;
		}
		cli_usage_error("sol deactivate", "unknown option '%s' "
		    "(--instance N, 1 to %d)", argv[i], SOL_INSTANCE_MAX);
		return CLI_EUSAGE;
	}
	sol_deactivate_req(&req, instance);
	if ((r = cli_call_ok(c, &req, &rsp, "Deactivate Payload")) != 0)
		return -r;
	if (c->json) {
		jsonw_obj_begin(&c->js, NULL);
		jsonw_int(&c->js, "instance", instance);
		jsonw_bool(&c->js, "deactivated", 1);
		jsonw_obj_end(&c->js);
		jsonw_end(&c->js);
	} else
		printf("SOL payload instance %u deactivated\n", instance);
	return CLI_OK;
}

/* ---- info ---- */

struct solinfo {
	struct sol_config cfg;
	int		 have_status;
	struct sol_status st;
	uint32_t	 holder[SOL_INSTANCE_MAX + 1];
};

static int
solinfo_have(const struct solinfo *in, uint8_t param)
{
	return (in->cfg.have >> param) & 1;
}

static void
solinfo_text(const struct solinfo *in)
{
	const struct sol_config *k = &in->cfg;
	const char *na = "not supported";
	unsigned i;

	printf("Set In Progress           : %s\n",
	    solinfo_have(in, SOL_PARAM_SET_IN_PROGRESS) ?
	    sol_set_state_name(k->set_state) : na);
	printf("Enabled                   : %s\n",
	    solinfo_have(in, SOL_PARAM_ENABLE) ? (k->enabled ? "yes" : "no") :
	    na);
	if (solinfo_have(in, SOL_PARAM_AUTH)) {
		printf("Force Encryption          : %s\n", k->force_encrypt ?
		    "yes" : "no");
		printf("Force Authentication      : %s\n", k->force_auth ?
		    "yes" : "no");
		printf("Privilege Level           : %s\n",
		    ipmi_priv_name(k->priv));
	} else {
		printf("Force Encryption          : %s\n", na);
		printf("Force Authentication      : %s\n", na);
		printf("Privilege Level           : %s\n", na);
	}
	if (solinfo_have(in, SOL_PARAM_ACCUMULATE)) {
		printf("Character Accumulate (ms) : %u\n", k->accum_ms);
		printf("Character Send Threshold  : %u\n", k->send_threshold);
	} else {
		printf("Character Accumulate (ms) : %s\n", na);
		printf("Character Send Threshold  : %s\n", na);
	}
	if (solinfo_have(in, SOL_PARAM_RETRY)) {
		printf("Retry Count               : %u\n", k->retry_count);
		printf("Retry Interval (ms)       : %u\n", k->retry_ms);
	} else {
		printf("Retry Count               : %s\n", na);
		printf("Retry Interval (ms)       : %s\n", na);
	}
	printf("Volatile Bit Rate         : %s\n",
	    !solinfo_have(in, SOL_PARAM_BAUD) ? na :
	    sol_baud_name(k->baud) ? sol_baud_name(k->baud) : "reserved");
	printf("Non-Volatile Bit Rate     : %s\n",
	    !solinfo_have(in, SOL_PARAM_BAUD_NV) ? na :
	    sol_baud_name(k->baud_nv) ? sol_baud_name(k->baud_nv) :
	    "reserved");
	if (solinfo_have(in, SOL_PARAM_CHANNEL))
		printf("Payload Channel           : %u\n", k->channel);
	else
		printf("Payload Channel           : %s\n", na);
	if (solinfo_have(in, SOL_PARAM_PORT))
		printf("Payload Port              : %u\n", k->port);
	else
		printf("Payload Port              : %s\n", na);
	if (!in->have_status) {
		printf("Payload Instances         : %s\n", na);
		return;
	}
	printf("Payload Instances         : %u\n", in->st.capacity);
	for (i = 1; i <= SOL_INSTANCE_MAX; i++) {
		if (!(in->st.active & (1u << (i - 1))))
			continue;
		if (in->holder[i] != 0)
			printf("Active Instance           : %u (BMC session "
			    "ID 0x%08x)\n", i, in->holder[i]);
		else
			printf("Active Instance           : %u\n", i);
	}
}

static void
solinfo_json(struct cli *c, const struct solinfo *in)
{
	const struct sol_config *k = &in->cfg;
	struct jsonw *j = &c->js;
	unsigned i;

	jsonw_obj_begin(j, NULL);
	if (solinfo_have(in, SOL_PARAM_SET_IN_PROGRESS))
		jsonw_str(j, "set_in_progress",
		    sol_set_state_name(k->set_state));
	else
		jsonw_null(j, "set_in_progress");
	if (solinfo_have(in, SOL_PARAM_ENABLE))
		jsonw_bool(j, "enabled", k->enabled);
	else
		jsonw_null(j, "enabled");
	if (solinfo_have(in, SOL_PARAM_AUTH)) {
		jsonw_bool(j, "force_encryption", k->force_encrypt);
		jsonw_bool(j, "force_authentication", k->force_auth);
		jsonw_str(j, "privilege", ipmi_priv_name(k->priv));
	} else {
		jsonw_null(j, "force_encryption");
		jsonw_null(j, "force_authentication");
		jsonw_null(j, "privilege");
	}
	if (solinfo_have(in, SOL_PARAM_ACCUMULATE)) {
		jsonw_int(j, "accumulate_ms", k->accum_ms);
		jsonw_int(j, "send_threshold", k->send_threshold);
	} else {
		jsonw_null(j, "accumulate_ms");
		jsonw_null(j, "send_threshold");
	}
	if (solinfo_have(in, SOL_PARAM_RETRY)) {
		jsonw_int(j, "retry_count", k->retry_count);
		jsonw_int(j, "retry_interval_ms", k->retry_ms);
	} else {
		jsonw_null(j, "retry_count");
		jsonw_null(j, "retry_interval_ms");
	}
	jsonw_str(j, "bit_rate", solinfo_have(in, SOL_PARAM_BAUD) ?
	    sol_baud_name(k->baud) : NULL);
	jsonw_str(j, "bit_rate_nonvolatile", solinfo_have(in,
	    SOL_PARAM_BAUD_NV) ? sol_baud_name(k->baud_nv) : NULL);
	if (solinfo_have(in, SOL_PARAM_CHANNEL))
		jsonw_int(j, "payload_channel", k->channel);
	else
		jsonw_null(j, "payload_channel");
	if (solinfo_have(in, SOL_PARAM_PORT))
		jsonw_int(j, "payload_port", k->port);
	else
		jsonw_null(j, "payload_port");
	if (in->have_status) {
		jsonw_int(j, "instances", in->st.capacity);
		jsonw_arr_begin(j, "active");
		for (i = 1; i <= SOL_INSTANCE_MAX; i++) {
			if (!(in->st.active & (1u << (i - 1))))
				continue;
			jsonw_obj_begin(j, NULL);
			jsonw_int(j, "instance", i);
			if (in->holder[i] != 0)
				jsonw_int(j, "session_id", in->holder[i]);
			else
				jsonw_null(j, "session_id");
			jsonw_obj_end(j);
		}
		jsonw_arr_end(j);
	} else {
		jsonw_null(j, "instances");
		jsonw_null(j, "active");
	}
	jsonw_obj_end(j);
	jsonw_end(j);
}

static int
sol_info(struct cli *c, int argc, char **argv)
{
	struct solinfo in;
	struct ipmi_req req;
	struct ipmi_rsp rsp;
	struct sol_instance si;
	uint8_t channel = SOL_CHANNEL_CURRENT, p;
	unsigned i;
	int r;

	for (i = 2; i < (unsigned)argc; i++) {
		if (strcmp(argv[i], "--channel") == 0 && i + 1 <
		    (unsigned)argc && cli_parse_byte(argv[i + 1],
		    &channel) == 0 && channel <= 0x0f) {
			i++;
			continue;
		}
		cli_usage_error("sol info", "unknown option '%s' (--channel "
		    "N, 0 to f hex)", argv[i]);
		return CLI_EUSAGE;
	}
	memset(&in, 0, sizeof(in));
	for (p = 0; p < SOL_PARAM_COUNT; p++) {
		sol_config_get_req(&req, channel, p);
		if ((r = cli_call(c, &req, &rsp)) != 0)
			return -r;
		if (rsp.ccode == SOL_CC_PARAM_UNSUPPORTED)
			continue;
		if (rsp.ccode != IPMI_CC_OK)
			return cli_ccode_error(c, &req, &rsp,
			    sol_param_name(p));
		if (sol_config_decode(p, rsp.data, rsp.len, &in.cfg) !=
		    IPMI_OK)
			return cli_short_error(c, sol_param_name(p), rsp.len,
			    p == SOL_PARAM_ACCUMULATE || p == SOL_PARAM_RETRY ||
			    p == SOL_PARAM_PORT ? 3 : 2);
	}
	sol_status_req(&req);
	if ((r = cli_call(c, &req, &rsp)) != 0)
		return -r;
	if (rsp.ccode == IPMI_CC_OK &&
	    sol_status_decode(rsp.data, rsp.len, &in.st) == IPMI_OK)
		in.have_status = 1;
	for (i = 1; in.have_status && i <= SOL_INSTANCE_MAX; i++) {
		if (!(in.st.active & (1u << (i - 1))))
			continue;
		sol_instance_req(&req, (uint8_t)i);
		if ((r = cli_call(c, &req, &rsp)) != 0)
			return -r;
		if (rsp.ccode == IPMI_CC_OK &&
		    sol_instance_decode(rsp.data, rsp.len, &si) == IPMI_OK)
			in.holder[i] = si.sid;
	}
	if (c->json)
		solinfo_json(c, &in);
	else
		solinfo_text(&in);
	return CLI_OK;
}

int
cli_sol(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "activate") == 0)
		return sol_activate(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "deactivate") == 0)
		return sol_deactivate(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "info") == 0)
		return sol_info(c, argc, argv);
	cli_usage_error("sol", "activate [--takeover] [--escape-char C] "
	    "[--instance N] | deactivate [--instance N] | info "
	    "[--channel N]");
	return CLI_EUSAGE;
}

/* ---- bmcwatch -S SOCKET sol TARGET: the daemon's session, shared ---- */

#define SOLATT_IN_MAX	(CTL_SFRAME_MAX + 64)
#define SOLATT_OUT_MAX	8192
#define SOLATT_KEY_MAX	512	/* keystrokes in one frame (ctl.c's cap) */
#define SOLATT_REPLAY_MAX 65536	/* the daemon keeps this much */

struct solatt {
	struct solcli	*sc;
	int		 fd;
	struct ev_fd	*w;
	char		*in;
	size_t		 inlen;
	char		 out[SOLATT_OUT_MAX];
	size_t		 outlen;
	int		 answered;	/* the "ok" frame came */
	int		 eof;
	int		 ended;
	int		 code;
};

static size_t
solatt_room(const struct solatt *a)
{
	size_t r;

	if (a == NULL || a->outlen + 32 >= SOLATT_OUT_MAX)
		return 0;
	r = SOLATT_OUT_MAX - a->outlen - 32;
	/* a frame header for every SOLATT_KEY_MAX bytes */
	return r - r / SOLATT_KEY_MAX * 16;
}

static size_t
solatt_put(struct solatt *a, const uint8_t *p, size_t n)
{
	size_t done = 0, k, h;

	while (done < n) {
		k = n - done < SOLATT_KEY_MAX ? n - done : SOLATT_KEY_MAX;
		if (a->outlen + k + 32 > SOLATT_OUT_MAX)
			break;
		h = ctl_sframe_put(a->out + a->outlen, 32, CTL_SF_KEY, 0, k);
		memcpy(a->out + a->outlen + h, p + done, k);
		a->outlen += h + k;
		done += k;
	}
	return done;
}

static void
solatt_break(struct solatt *a)
{
	if (a->outlen + 32 <= SOLATT_OUT_MAX)
		a->outlen += ctl_sframe_put(a->out + a->outlen, 32,
		    CTL_SF_BREAK, 0, 0);
}

static void
solatt_end(struct solatt *a, int code)
{
	a->ended = 1;
	a->code = code;
}

/*
 * A frame's text (the daemon's answer, error or notice) for our own
 * messages on the user's terminal: every byte but printable ASCII shown
 * as '.', so no escape sequence passes (console bytes, in data frames,
 * pass unchanged, as from any serial console); a trailing newline
 * dropped, the text cut at len - 1.
 */
static const char *
solatt_text(const char *p, size_t n, char *out, size_t len)
{
	size_t i;

	if (n > 0 && p[n - 1] == '\n')
		n--;
	for (i = 0; i < n && i + 1 < len; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.';
	out[i] = '\0';
	return out;
}

/* the daemon's frames; 0 when more bytes are needed */
static void
solatt_frames(struct solatt *a)
{
	struct solcli *sc = a->sc;
	enum ctl_sframe type;
	size_t plen, hl;
	int code, r;
	char text[512];

	while (!a->ended && a->inlen > 0) {
		r = ctl_sframe_header(a->in, a->inlen, &type, &code, &plen,
		    &hl);
		if (r < 0 || (r > 0 && !a->answered && type != CTL_SF_OK &&
		    type != CTL_SF_ERR) || (r > 0 && (type == CTL_SF_KEY ||
		    type == CTL_SF_BREAK || (type == CTL_SF_OK &&
		    a->answered)))) {
			solcli_note(sc, "%s: not a bmcwatchd console stream",
			    sc->c->sock);
			solatt_end(a, CLI_ETRANSPORT);
			return;
		}
		if (r == 0 || a->inlen < hl + plen)
			return;
		switch (type) {
		case CTL_SF_OK:
			a->answered = 1;
			fprintf(stderr, "bmcwatch: %s\n", solatt_text(a->in + hl,
			    plen, text, sizeof(text)));
			if (sc->esc >= 0)
				fprintf(stderr, "bmcwatch: %c? for help, %c. to "
				    "detach\n", sc->esc, sc->esc);
			(void)fflush(stderr);
			sc->active = 1;
			solcli_raw(sc);
			break;
		case CTL_SF_ERR:
			(void)solatt_text(a->in + hl, plen, text, sizeof(text));
			if (sc->raw)
				solcli_note(sc, "%s", text);
			else
				fprintf(stderr, "bmcwatch: %s\n", text);
			solatt_end(a, code);
			break;
		case CTL_SF_DATA:
			if (sc->olen + plen > SOLCLI_OUT_MAX)
				return;	/* when stdout took some */
			memcpy(sc->obuf + sc->olen, a->in + hl, plen);
			sc->olen += plen;
			solcli_flush(sc);
			break;
		default:	/* NOTE */
			solcli_note(sc, "%s", solatt_text(a->in + hl, plen,
			    text, sizeof(text)));
			break;
		}
		memmove(a->in, a->in + hl + plen, a->inlen - hl - plen);
		a->inlen -= hl + plen;
	}
}

static void
solatt_io(int fd, unsigned events, void *arg)
{
	struct solatt *a = arg;
	ssize_t n;

	if ((events & EV_WRITE) && a->outlen > 0) {
		n = send(fd, a->out, a->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			memmove(a->out, a->out + n, a->outlen - (size_t)n);
			a->outlen -= (size_t)n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			a->eof = 1;
			a->outlen = 0;
		}
	}
	if ((events & EV_READ) && !a->eof && a->inlen < SOLATT_IN_MAX) {
		n = read(fd, a->in + a->inlen, SOLATT_IN_MAX - a->inlen);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			a->eof = 1;
		else if (n > 0)
			a->inlen += (size_t)n;
	}
	solatt_frames(a);
	if (a->eof && !a->ended) {
		solcli_note(a->sc, "%s: the daemon closed the connection",
		    a->sc->c->sock);
		solatt_end(a, CLI_ETRANSPORT);
	}
}

static void
solatt_sync(struct solatt *a)
{
	unsigned want = 0;

	solatt_frames(a);
	if (!a->eof && a->inlen < SOLATT_IN_MAX &&
	    a->sc->olen + CTL_SFRAME_MAX <= SOLCLI_OUT_MAX)
		want |= EV_READ;
	if (a->outlen > 0)
		want |= EV_WRITE;
	ev_fd_events(a->sc->c->ev, a->w, want);
}

/* the request line, sent whole (it is short) before the loop */
static int
solatt_connect(struct cli *c, const char *req)
{
	struct sockaddr_un sa;
	size_t off = 0, len = strlen(req);
	struct pollfd p;
	ssize_t n;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(c->sock) >= sizeof(sa.sun_path)) {
		cli_usage_error("-S", "socket path too long");
		return -1;
	}
	memcpy(sa.sun_path, c->sock, strlen(c->sock));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "bmcwatch: %s: %s (is bmcwatchd running?)\n",
		    c->sock, strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	while (off < len) {
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, 5000) <= 0) {
			fprintf(stderr, "bmcwatch: %s: the daemon takes no "
			    "request\n", c->sock);
			(void)close(fd);
			return -1;
		}
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "bmcwatch: %s: %s\n", c->sock,
			    strerror(errno));
			(void)close(fd);
			return -1;
		}
		if (n > 0)
			off += (size_t)n;
	}
	return fd;
}

int
cli_sol_attach(struct cli *c, int argc, char **argv)
{
	struct solcli sc;
	struct solatt a;
	const char *target = c->target;
	char req[CTL_LINE_MAX];
	unsigned long replay = 0;
	int i, input = 1, sigs[] = { SIGINT, SIGTERM, SIGHUP }, rc;
	size_t k;
	char *end;

	memset(&sc, 0, sizeof(sc));
	memset(&a, 0, sizeof(a));
	sc.c = c;
	sc.esc = '~';
	sc.at_bol = 1;
	sc.out_fd = -1;
	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		/* argv[i] is not NULL for i < argc (C11 5.1.2.2.1) */
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		if (strcmp(argv[i], "--read-only") == 0)
			input = 0;
		else if (strcmp(argv[i], "--replay") == 0 && val != NULL &&
		    val[0] >= '0' && val[0] <= '9') {
			errno = 0;
			replay = strtoul(val, &end, 10);
			if (errno != 0 || *end != '\0' ||
			    replay > SOLATT_REPLAY_MAX) {
				cli_usage_error("sol", "--replay wants 0 to %u "
				    "bytes", SOLATT_REPLAY_MAX);
				return CLI_EUSAGE;
			}
			i++;
		} else if ((strcmp(argv[i], "--escape-char") == 0 ||
		    strcmp(argv[i], "-e") == 0) && val != NULL &&
		    solcli_parse_esc(val, &sc.esc) == 0)
			i++;
		else if (argv[i][0] != '-' && target == NULL)
			target = argv[i];
		else {
			cli_usage_error("sol", "with -S: sol TARGET "
			    "[--read-only] [--replay BYTES] [--escape-char C]"
			    " (bad or repeated '%s')", argv[i]);
			return CLI_EUSAGE;
		}
	}
	if (target != NULL && (strlen(target) > CTL_NAME_MAX ||
	    strchr(target, ' ') != NULL || strchr(target, '=') != NULL)) {
		cli_usage_error("sol", "bad target name '%s'", target);
		return CLI_EUSAGE;
	}
	(void)snprintf(req, sizeof(req), "sol%s replay %lu%s%s\n", input ?
	    " input" : "", replay, target ? " target=" : "",
	    target ? target : "");
	if ((c->ev = ev_new()) == NULL) {
		fprintf(stderr, "bmcwatch: event loop: %s\n", strerror(errno));
		return CLI_EUSAGE;
	}
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		if (ev_signal(c->ev, sigs[k], solcli_on_signal, &sc) != 0) {
			fprintf(stderr, "bmcwatch: signals: %s\n",
			    strerror(errno));
			ev_free(c->ev);
			c->ev = NULL;
			return CLI_EUSAGE;
		}
	(void)signal(SIGPIPE, SIG_IGN);
	if ((a.fd = solatt_connect(c, req)) < 0) {
		ev_free(c->ev);
		c->ev = NULL;
		return CLI_ETRANSPORT;
	}
	a.sc = &sc;
	a.code = CLI_OK;
	a.in = xmalloc(SOLATT_IN_MAX);
	sc.att = &a;
	sc.tty = isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &sc.saved) == 0;
	sc.obuf = xmalloc(SOLCLI_OUT_MAX);
	solcli_out_open(&sc);
	a.w = ev_fd_add(c->ev, a.fd, EV_READ, solatt_io, &a);
	sc.in_w = input ? ev_fd_add(c->ev, STDIN_FILENO, 0, solcli_on_stdin,
	    &sc) : NULL;
	sc.out_w = ev_fd_add(c->ev, sc.out_fd, 0, solcli_on_stdout, &sc);
	while (!a.ended && !sc.quit && sc.wr_errno == 0) {
		solcli_sync(&sc);
		solatt_sync(&a);
		if (ev_run_once(c->ev, -1) != 0)
			break;
	}
	solcli_drain(&sc);
	solcli_restore(&sc);
	rc = sc.wr_errno != 0 ? CLI_EUSAGE : a.ended ? a.code : CLI_OK;
	if (sc.wr_errno != 0)
		fprintf(stderr, "bmcwatch: write error: %s\n",
		    strerror(sc.wr_errno));
	else if (!a.ended)
		fprintf(stderr, "bmcwatch: detached\n");
	ev_fd_del(c->ev, a.w);
	ev_fd_del(c->ev, sc.in_w);
	ev_fd_del(c->ev, sc.out_w);
	(void)close(a.fd);
	if (sc.out_own)
		(void)close(sc.out_fd);
	free(sc.obuf);
	free(a.in);
	ev_free(c->ev);
	c->ev = NULL;
	return rc;
}
