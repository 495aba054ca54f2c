/*
 * Unit tests for the daemon's serial console (agent/daemon/console.c)
 * on a model BMC: the scripted transport (agent/ipmi/fake.c) playing an
 * RMCP+ session, with the SOL payloads handed in by the test as a BMC
 * sends them (IPMI v2.0 section 15.9: a new sequence number per packet,
 * the same packet again until its characters are accepted), a real
 * event loop, the "io" work inline, a real control socket for clients
 * and a real log file in a temporary archive-dir:
 *  - the log holds the console's bytes exactly (binary, CR, long lines,
 *    with and without timestamps), markers on lines of their own;
 *  - clients attach (with a replay from the ring) and detach while the
 *    console flows, each getting an unbroken run, the log nothing less;
 *  - patterns match lines cut across packets, once a line, long lines
 *    on what they have; at most CONSOLE_EV_BURST events a minute, the
 *    rest counted as suppressed, the next minute counted again;
 *  - another user's instance is not taken (takeover no), the instance of
 *    our own earlier session is taken back at once;
 *  - a disk that refuses the log (RLIMIT_FSIZE: EFBIG, as a full disk
 *    refuses with ENOSPC) holds the output back: nothing is lost or
 *    written twice, past the buffer the BMC's characters are left
 *    unacknowledged, and once the disk takes it the log is whole.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "cmd_sol.h"
#include "conn.h"
#include "console.h"
#include "ctl.h"
#include "fake.h"
#include "fileio.h"
#include "log.h"
#include "store/store.h"
#include "work.h"

#define BMC_SID		0x00000402u
#define BMC_SID2	0x00000403u
#define OTHER_SID	0x00000182u

/* ---- the model BMC ---- */

struct bmc {
	struct ev	*ev;
	struct work	*io;
	struct store	*store;
	struct store_target *st;
	struct ipmi_tr	*tr;		/* owned by conn */
	struct conn	*conn;
	struct console	*con;
	struct fake_rule rules[8];
	uint8_t		 act[12];	/* Activate Payload answer */
	uint8_t		 inst[12];	/* Get Payload Instance Info */
	uint8_t		 seq;		/* of the packet being sent */
	unsigned	 seen;		/* our payloads looked at */
	char		 dir[64];
	char		 path[128];	/* the console log */
};

static uint64_t fake_clock_ms = 1000000;

static uint64_t
bmc_clock(void)
{
	return fake_clock_ms;
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Get Payload Instance Info (table 24-6): the holder's session id */
static void
bmc_holder(struct bmc *b, uint32_t sid)
{
	memset(b->inst, 0, sizeof(b->inst));
	le32(b->inst, sid);
	b->inst[4] = 1;
}

/* run the loop until cond(b) or about ms milliseconds */
static int
spin(struct bmc *b, int (*cond)(struct bmc *), int ms)
{
	int i;

	for (i = 0; i < ms / 5; i++) {
		if (cond != NULL && cond(b))
			return 1;
		(void)ev_run_once(b->ev, 5);
	}
	return cond != NULL && cond(b);
}

static int
is_connected(struct bmc *b)
{
	return b->st->console.connected;
}

static int
no_jobs(struct bmc *b)
{
	return work_pending(b->io) == 0;
}

/*
 * A console on a session with the sim's answers: Activate Payload
 * (instance 1, 255-byte payloads, port 623), the instance ours.
 * Rule 0 is spare, matching nothing, for a test to arm.
 */
static void
bmc_new(struct bmc *b, const struct conf_sol *sol)
{
	struct console_env env;
	static const uint8_t act[12] = { 0, 0, 0, 0, 0xff, 0, 0xff, 0,
	    0x6f, 0x02, 0xff, 0xff };
	struct fake_rule *r = b->rules;

	memset(b, 0, sizeof(*b));
	memcpy(b->act, act, sizeof(act));
	bmc_holder(b, BMC_SID);
	r[0].netfn = 0xfe;	/* spare */
	r[0].cmd = 0xfe;
	r[1].netfn = IPMI_NETFN_TRANSPORT;
	r[1].cmd = IPMI_CMD_GET_SOL_CONFIG;
	r[1].ccode = 0x80;	/* as ipmi_sim: SOL Retry unsupported */
	r[2].netfn = IPMI_NETFN_APP;
	r[2].cmd = IPMI_CMD_ACTIVATE_PAYLOAD;
	r[2].data = b->act;
	r[2].len = sizeof(b->act);
	r[3].netfn = IPMI_NETFN_APP;
	r[3].cmd = IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO;
	r[3].data = b->inst;
	r[3].len = sizeof(b->inst);
	r[4].netfn = IPMI_NETFN_APP;
	r[4].cmd = IPMI_CMD_DEACTIVATE_PAYLOAD;
	b->ev = ev_new();
	b->io = work_new(b->ev, 0);
	b->store = store_new();
	b->st = store_target_add(b->store, "db7");
	(void)snprintf(b->dir, sizeof(b->dir), "/tmp/test_console.XXXXXX");
	CHECK(mkdtemp(b->dir) != NULL);
	(void)snprintf(b->path, sizeof(b->path), "%s/console/db7.log",
	    b->dir);
	b->tr = fake_new(b->rules, 5);
	fake_set_session(b->tr, BMC_SID, 623, 3);
	b->conn = conn_new(b->ev, b->tr);
	memset(&env, 0, sizeof(env));
	env.ev = b->ev;
	env.io = b->io;
	env.store = b->store;
	env.st = b->st;
	env.name = "db7";
	env.archive_dir = b->dir;
	env.backoff_max_s = 4;
	env.clock = bmc_clock;
	b->con = console_new(&env, sol);
	b->seq = 1;
}

/* the console stopped and its log written; the file's bytes */
static size_t
bmc_stop_read(struct bmc *b, uint8_t *out, size_t cap)
{
	int fd;
	ssize_t n;

	console_stop(b->con);
	(void)spin(b, no_jobs, 3000);
	fd = open(b->path, O_RDONLY);
	CHECK(fd >= 0);
	if (fd < 0)
		return 0;
	n = fileio_read_all(fd, out, cap);
	(void)close(fd);
	CHECK(n >= 0);
	return n > 0 ? (size_t)n : 0;
}

static void
bmc_free(struct bmc *b)
{
	char p[160];

	console_free(b->con);
	(void)spin(b, no_jobs, 3000);
	work_free(b->io);
	conn_free(b->conn);
	store_free(b->store);
	ev_free(b->ev);
	(void)unlink(b->path);
	(void)snprintf(p, sizeof(p), "%s/console", b->dir);
	(void)rmdir(p);
	(void)rmdir(b->dir);
}

/*
 * Send one packet of console data with the current sequence number:
 * the characters the console accepted (from its acknowledgement, 0 when
 * it sent none).  All of them: the next number; else the same packet
 * is sent again later, as a BMC does.
 */
static size_t
bmc_send(struct bmc *b, const void *data, size_t len)
{
	uint8_t pkt[300];
	struct sol_pkt k;
	const uint8_t *p;
	size_t n, acc = 0;
	int enc;

	memset(&k, 0, sizeof(k));
	k.seq = b->seq;
	k.data = data;
	k.len = len;
	enc = sol_pkt_encode(pkt, sizeof(pkt), &k);
	CHECK(enc > 0);
	if (enc <= 0)
		return 0;
	CHECK_EQ(fake_payload_in(b->tr, SOL_PAYLOAD_TYPE, pkt, (size_t)enc),
	    0);
	while ((p = fake_payload(b->tr, b->seen, &n)) != NULL) {
		b->seen++;
		if (sol_pkt_decode(p, n, &k) == IPMI_OK && k.ack_seq == b->seq)
			acc = k.accepted;
	}
	if (acc == len)
		b->seq = sol_seq_next(b->seq);
	(void)ev_run_once(b->ev, 0);
	return acc;
}

/* all of data, in packets of at most step bytes; 0 if all was taken */
static int
bmc_send_all(struct bmc *b, const uint8_t *data, size_t len, size_t step)
{
	size_t off = 0, n;

	while (off < len) {
		n = len - off < step ? len - off : step;
		if (bmc_send(b, data + off, n) != n)
			return -1;
		off += n;
	}
	return 0;
}

/*
 * The console bytes of a log written with `timestamps no': marker lines
 * ("TIME # bmcwatch: TEXT\n", TIME 24 characters) taken out (with the
 * newline a " [newline added]" one put before it), their texts appended
 * to marks (one a line).
 */
static size_t
log_data(const uint8_t *log, size_t len, uint8_t *out, char *marks,
    size_t mcap)
{
	size_t i = 0, o = 0, e, ml = 0;

	marks[0] = '\0';
	while (i < len) {
		const uint8_t *nl = memchr(log + i, '\n', len - i);

		e = nl != NULL ? (size_t)(nl - log) + 1 : len;
		if (e - i > 36 && log[i + 23] == 'Z' &&
		    memcmp(log + i + 24, " # bmcwatch: ", 13) == 0) {
			int n = snprintf(marks + ml, mcap - ml, "%.*s",
			    (int)(e - i - 37), (const char *)log + i + 37);

			if (n > 0 && (size_t)n < mcap - ml)
				ml += (size_t)n;
			if (e - i > 53 && memcmp(log + e - 17,
			    " [newline added]", 16) == 0 && o > 0)
				o--;
		} else {
			memcpy(out + o, log + i, e - i);
			o += e - i;
		}
		i = e;
	}
	return o;
}

static void
sol_init(struct conf_sol *sol, char **pats, size_t n)
{
	memset(sol, 0, sizeof(*sol));
	sol->enabled = 1;
	sol->log = 1;
	sol->patterns = pats;
	sol->npatterns = n;
}

/* console-like bytes: lines of text, CR LF, escapes, a NUL, 0xff */
static void
fill(uint8_t *p, size_t len, unsigned seed)
{
	size_t i;
	int n;

	for (i = 0; i < len; ) {
		char line[80];

		n = snprintf(line, sizeof(line), "[%8u.%06u] line %zu\x1b[0m"
		    "\t%c\xff%c\r\n", seed, (unsigned)i, i, 0, 'a' +
		    (int)(i % 26));
		if (n < 0)
			break;
		if ((size_t)n > len - i)
			n = (int)(len - i);
		memcpy(p + i, line, (size_t)n);
		i += (size_t)n;
	}
}

/* ---- the tests ---- */

static void
test_log_exact(void)
{
	static uint8_t sent[20000], log[60000], data[60000];
	static char never[] = "never matches this";
	char marks[4096], dir[200], *pats[] = { never };
	struct conf_sol sol;
	struct stat sb;
	struct bmc b;
	size_t n;
	mode_t um;

	sol_init(&sol, pats, 1);
	sol.timestamps = 0;
	um = umask(022);	/* the modes below are the daemon's own */
	bmc_new(&b, &sol);
	CHECK_STR(b.st->console.state, "starting");
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	CHECK_EQ(b.st->console.connects, 1);
	CHECK(strncmp(b.st->console.state, "connected (session 0x00000402)",
	    30) == 0);
	fill(sent, sizeof(sent), 1);
	sent[sizeof(sent) - 1] = 'x';
	/* packets of odd sizes, a line without its end at the stop */
	CHECK_EQ(bmc_send_all(&b, sent, sizeof(sent) - 7, 177), 0);
	CHECK_EQ(bmc_send_all(&b, sent + sizeof(sent) - 7, 7, 3), 0);
	CHECK_EQ(b.st->console.bytes, sizeof(sent));
	n = bmc_stop_read(&b, log, sizeof(log));
	n = log_data(log, n, data, marks, sizeof(marks));
	CHECK_EQ(n, sizeof(sent));
	CHECK(memcmp(data, sent, sizeof(sent)) == 0);
	CHECK(strstr(marks, "logging started\n") == marks);
	CHECK(strstr(marks, "\nconnected: SOL payload instance 1, BMC session "
	    "0x00000402\n") != NULL);
	CHECK(strstr(marks, "\ndisconnected: bmcwatchd stops watching this "
	    "target [newline added]\nlogging stopped\n") != NULL);
	CHECK_EQ(b.st->console.gaps, 0);
	/* a console log is no one else's to read (SECURITY.md, SOL):
	 * the file 0640, its directory 0750, both the daemon's */
	CHECK(stat(b.path, &sb) == 0 && (sb.st_mode & 07777) == 0640 &&
	    sb.st_uid == geteuid());
	(void)snprintf(dir, sizeof(dir), "%s/console", b.dir);
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 07777) == 0750);
	(void)umask(um);
	bmc_free(&b);
}

/* with timestamps: every console line starts with "TIME | " */
static void
test_log_timestamps(void)
{
	static const char sent[] = "one\r\ntwo\r\n\r\nthree";
	static uint8_t log[4096];
	struct conf_sol sol;
	struct bmc b;
	char want[64], *p, *e;
	size_t n, got = 0;

	sol_init(&sol, NULL, 0);
	sol.timestamps = 1;
	bmc_new(&b, &sol);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	CHECK_EQ(bmc_send(&b, sent, 4), 4);
	CHECK_EQ(bmc_send(&b, sent + 4, sizeof(sent) - 5), sizeof(sent) - 5);
	n = bmc_stop_read(&b, log, sizeof(log) - 1);
	log[n] = '\0';
	/* each line: 24 characters of time, then " | " or " # " */
	for (p = (char *)log; *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		CHECK(e - p >= 27 && p[4] == '-' && p[10] == 'T' &&
		    p[19] == '.' && p[23] == 'Z');
		if (e - p >= 27 && memcmp(p + 24, " | ", 3) == 0) {
			memcpy(want + got, p + 27, (size_t)(e - p - 27));
			got += (size_t)(e - p - 27);
			if (*e == '\n')
				want[got++] = '\n';
		} else
			CHECK(e - p >= 27 && memcmp(p + 24, " # bmcwatch: ", 13) ==
			    0);
		if (*e == '\0')
			break;
	}
	/* the cut line "three" then the stop's marker after an added
	 * newline */
	CHECK_EQ(got, sizeof(sent));
	CHECK(memcmp(want, "one\r\ntwo\r\n\r\nthree\n", sizeof(sent)) == 0);
	CHECK(strstr((char *)log, "| three\n") != NULL);
	CHECK(strstr((char *)log, "target [newline added]\n") != NULL);
	bmc_free(&b);
}

/* ---- clients through the control socket ---- */

static struct bmc *cur;

static int
on_stream(void *arg, const char *target, struct ctl_stream *s, char *err,
    size_t errlen)
{
	(void)arg;
	if (strcmp(target, "db7") != 0) {
		(void)snprintf(err, errlen, "%s: no", target);
		return CTL_EUSAGE;
	}
	return console_attach(cur->con, s, err, errlen);
}

static int
client(const char *path, const char *req)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	(void)snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* what a client has read so far: the answer, then the data frames'
 * bytes (notes and anything else counted apart) */
struct reader {
	int		 fd;
	char		 raw[1 << 17];
	size_t		 rlen;
	uint8_t		 data[1 << 17];
	size_t		 dlen;
	int		 answered;
	char		 answer[512];
	unsigned	 notes;
};

static void
reader_pump(struct bmc *b, struct reader *r)
{
	enum ctl_sframe t;
	size_t plen, hlen;
	ssize_t n;
	int code, k;

	(void)ev_run_once(b->ev, 2);
	while ((n = read(r->fd, r->raw + r->rlen, sizeof(r->raw) -
	    r->rlen)) > 0)
		r->rlen += (size_t)n;
	for (;;) {
		if (!r->answered) {
			size_t len;

			/* the answer's frame: "ok LEN\n", then LEN bytes */
			k = ctl_frame_header(r->raw, r->rlen, &code, &len,
			    &hlen);
			CHECK(k >= 0);
			if (k <= 0 || r->rlen < hlen + len)
				return;
			CHECK_EQ(code, 0);
			(void)snprintf(r->answer, sizeof(r->answer), "%.*s",
			    (int)len, r->raw + hlen);
			plen = len;
			r->answered = 1;
		} else {
			k = ctl_sframe_header(r->raw, r->rlen, &t, &code,
			    &plen, &hlen);
			CHECK(k >= 0);
			if (k <= 0 || r->rlen < hlen + plen)
				return;
			if (t == CTL_SF_DATA) {
				memcpy(r->data + r->dlen, r->raw + hlen, plen);
				r->dlen += plen;
			} else
				r->notes++;
		}
		memmove(r->raw, r->raw + hlen + plen, r->rlen - hlen - plen);
		r->rlen -= hlen + plen;
	}
}

static void
test_clients(void)
{
	static uint8_t sent[30000], log[80000], data[80000];
	static struct reader ra, rb;
	char marks[4096], path[160], err[200];
	struct conf_sol sol;
	struct ctl_cfg cfg;
	struct ctl *ctl;
	struct bmc b;
	size_t n;
	int lfd, i;

	sol_init(&sol, NULL, 0);
	bmc_new(&b, &sol);
	cur = &b;
	(void)snprintf(path, sizeof(path), "%s/ctl.sock", b.dir);
	lfd = ctl_listen(path, 0600, (gid_t)-1, err, sizeof(err));
	CHECK(lfd >= 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = path;
	cfg.group = (gid_t)-1;
	cfg.max_clients = 4;
	cfg.stream = on_stream;
	ctl = ctl_new(b.ev, b.store, lfd, &cfg);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	fill(sent, sizeof(sent), 2);
	CHECK_EQ(bmc_send_all(&b, sent, 10000, 200), 0);

	/* A attaches with a replay of 100 bytes: those, then the flow */
	memset(&ra, 0, sizeof(ra));
	ra.fd = client(path, "sol replay 100 target=db7\n");
	for (i = 0; i < 200 && (!ra.answered || ra.dlen < 100); i++)
		reader_pump(&b, &ra);
	CHECK(strstr(ra.answer, "db7: console connected (session "
	    "0x00000402); input off: attached read-only") == ra.answer);
	CHECK_EQ(ra.dlen, 100);
	CHECK(memcmp(ra.data, sent + 10000 - 100, 100) == 0);
	CHECK_EQ(b.st->console.clients, 1);
	CHECK_EQ(bmc_send_all(&b, sent + 10000, 5000, 150), 0);
	/* B attaches without a replay: from here on */
	memset(&rb, 0, sizeof(rb));
	rb.fd = client(path, "sol target=db7\n");
	for (i = 0; i < 200 && !rb.answered; i++)
		reader_pump(&b, &rb);
	CHECK(rb.answered);
	CHECK_EQ(b.st->console.clients, 2);
	CHECK_EQ(bmc_send_all(&b, sent + 15000, 5000, 99), 0);
	for (i = 0; i < 200 && ra.dlen < 10100; i++)
		reader_pump(&b, &ra);
	/* A detaches mid-flow */
	(void)close(ra.fd);
	CHECK_EQ(bmc_send_all(&b, sent + 20000, 3000, 250), 0);
	for (i = 0; i < 200 && b.st->console.clients != 1; i++)
		(void)ev_run_once(b.ev, 5);
	CHECK_EQ(b.st->console.clients, 1);
	CHECK_EQ(bmc_send_all(&b, sent + 23000, 7000, 201), 0);
	for (i = 0; i < 400 && rb.dlen < 15000; i++)
		reader_pump(&b, &rb);
	CHECK_EQ(ra.dlen, 10100);
	CHECK(memcmp(ra.data + 100, sent + 10000, 10000) == 0);
	CHECK_EQ(rb.dlen, 15000);
	CHECK(memcmp(rb.data, sent + 15000, 15000) == 0);
	CHECK_EQ(rb.notes, 0);
	/* the log has all of it, whoever came and went */
	n = bmc_stop_read(&b, log, sizeof(log));
	n = log_data(log, n, data, marks, sizeof(marks));
	CHECK_EQ(n, sizeof(sent));
	CHECK(memcmp(data, sent, sizeof(sent)) == 0);
	/* the stop ends B's stream with an error frame */
	for (i = 0; i < 100 && rb.notes == 0; i++)
		reader_pump(&b, &rb);
	CHECK_EQ(rb.notes, 1);
	CHECK(rb.rlen == 0);
	(void)close(rb.fd);
	ctl_free(ctl);
	bmc_free(&b);
}

/* ---- patterns ---- */

static void
test_patterns(void)
{
	static char p1[] = "Kernel panic - not syncing", p2[] = "BUG: |Oops: ",
	    p3[] = "^LONG";
	char *pats[] = { p1, p2, p3 };
	static char longl[CONSOLE_LINE_MAX + 100];
	char line[80];
	struct conf_sol sol;
	struct bmc b;
	int i;

	sol_init(&sol, pats, 3);
	bmc_new(&b, &sol);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	/* one line cut in three packets, across the 4-bit sequence wrap */
	b.seq = 15;
	CHECK_EQ(bmc_send(&b, "[ 1.0] Kernel pa", 16), 16);
	CHECK_EQ(b.st->console.events, 0);
	CHECK_EQ(bmc_send(&b, "nic - not sync", 14), 14);
	CHECK_EQ(b.seq, 2);
	CHECK_EQ(bmc_send(&b, "ing: sysrq\r", 11), 11);
	CHECK_EQ(b.st->console.events, 0);	/* the line is not over */
	CHECK_EQ(bmc_send(&b, "\n", 1), 1);
	CHECK_EQ(b.st->console.events, 1);
	CHECK_STR(b.st->console.event_rule, "Kernel panic - not syncing");
	CHECK_STR(b.st->console.event_text,
	    "[ 1.0] Kernel panic - not syncing: sysrq");
	/* two patterns on one line: one event, the first pattern's;
	 * control characters shown as '.' */
	CHECK_EQ(bmc_send(&b, "Oops: \x1b BUG: x\r\n", 16), 16);
	CHECK_EQ(b.st->console.events, 2);
	CHECK_STR(b.st->console.event_rule, "BUG: |Oops: ");
	CHECK_STR(b.st->console.event_text, "Oops: . BUG: x");
	/* a match split between lines is none */
	CHECK_EQ(bmc_send(&b, "Oop\ns: \n", 8), 8);
	CHECK_EQ(b.st->console.events, 2);
	/* a line past CONSOLE_LINE_MAX: matched on its first bytes, once */
	memset(longl, 'x', sizeof(longl));
	memcpy(longl, "LONG", 4);
	longl[sizeof(longl) - 1] = '\n';
	for (i = 0; i < (int)sizeof(longl); i += 200)
		CHECK(bmc_send(&b, longl + i, sizeof(longl) - (size_t)i < 200 ?
		    sizeof(longl) - (size_t)i : 200) > 0);
	CHECK_EQ(b.st->console.events, 3);
	CHECK_STR(b.st->console.event_rule, "^LONG");
	CHECK_EQ(strlen(b.st->console.event_text) >= 100, 1);
	/* ... and its tail does not start a line of its own */
	CHECK_EQ(bmc_send(&b, "LONG again\n", 11), 11);
	CHECK_EQ(b.st->console.events, 4);

	/* the rate: CONSOLE_EV_BURST a minute, the rest counted */
	for (i = 0; i < CONSOLE_EV_BURST + 5; i++) {
		int n = snprintf(line, sizeof(line), "Oops: %d\r\n", i);

		CHECK_EQ(bmc_send(&b, line, (size_t)n), (size_t)n);
		fake_clock_ms += 1000;
	}
	/* 4 of the minute's went before (at the same fake time) */
	CHECK_EQ(b.st->console.events, 4 + CONSOLE_EV_BURST - 4);
	CHECK_EQ(b.st->console.events_suppressed, 4 + 5);
	CHECK_STR(b.st->console.event_text, "Oops: 5");
	/* a minute after the window opened: counted again */
	fake_clock_ms += 60000;
	CHECK_EQ(bmc_send(&b, "BUG: late\r\n", 11), 11);
	CHECK_EQ(b.st->console.events, CONSOLE_EV_BURST + 1);
	CHECK_STR(b.st->console.event_text, "BUG: late");
	CHECK_EQ(b.st->console.events_suppressed, 9);
	bmc_free(&b);
}

/* ---- takeover ---- */

static int
activations(struct bmc *b)
{
	return (int)fake_count(b->tr, IPMI_NETFN_APP,
	    IPMI_CMD_ACTIVATE_PAYLOAD);
}

static int
two_activations(struct bmc *b)
{
	return activations(b) >= 2;
}

static int
is_waiting(struct bmc *b)
{
	return strncmp(b->st->console.state, "waiting: ", 9) == 0;
}

static void
test_takeover(void)
{
	static uint8_t log[8192], data[8192];
	char marks[4096];
	struct conf_sol sol;
	struct bmc b;
	size_t n;

	/* another user holds the instance, takeover no: left alone,
	 * tried again with backoff */
	sol_init(&sol, NULL, 0);
	bmc_new(&b, &sol);
	b.rules[0].netfn = IPMI_NETFN_APP;
	b.rules[0].cmd = IPMI_CMD_ACTIVATE_PAYLOAD;
	b.rules[0].ccode = 0x80;
	bmc_holder(&b, OTHER_SID);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_waiting, 3000));
	CHECK(strstr(b.st->console.state, "another session (BMC session ID "
	    "0x00000182)") != NULL);
	CHECK(spin(&b, two_activations, 3000));
	CHECK_EQ(fake_count(b.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 0);
	CHECK(!b.st->console.connected);
	/* the other user leaves: ours on the next try */
	b.rules[0].netfn = 0xfe;
	bmc_holder(&b, BMC_SID);
	CHECK(spin(&b, is_connected, 5000));
	CHECK_EQ(fake_count(b.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 0);
	CHECK_EQ(bmc_send(&b, "first\r\n", 7), 7);

	/*
	 * Our session dies and the transport opens another (BMC_SID2),
	 * while the BMC still keeps the instance on the old one: taken
	 * back at once (Deactivate, Activate), though takeover is no.
	 */
	fake_session_end(b.tr);
	CHECK(spin(&b, is_waiting, 3000) || !is_connected(&b));
	fake_set_session(b.tr, BMC_SID2, 623, 3);
	b.rules[0].netfn = IPMI_NETFN_APP;
	b.rules[0].times = 2;	/* 80h to us, and to us taking it back */
	bmc_holder(&b, BMC_SID);	/* the old session's */
	CHECK(spin(&b, is_connected, 6000));
	bmc_holder(&b, BMC_SID2);
	CHECK_EQ(fake_count(b.tr, IPMI_NETFN_APP,
	    IPMI_CMD_DEACTIVATE_PAYLOAD), 1);
	CHECK_EQ(b.st->console.connects, 2);
	b.seq = 1;
	b.seen = fake_payloads(b.tr);
	CHECK_EQ(bmc_send(&b, "second\r\n", 8), 8);
	n = bmc_stop_read(&b, log, sizeof(log));
	n = log_data(log, n, data, marks, sizeof(marks));
	CHECK_EQ(n, 15);
	CHECK(memcmp(data, "first\r\nsecond\r\n", 15) == 0);
	CHECK(strstr(marks, "connected: SOL payload instance 1, BMC session "
	    "0x00000403, taken over from another session\n") != NULL);
	CHECK(strstr(marks, "\ngap: ") != NULL);
	CHECK_EQ(b.st->console.gaps, 1);
	bmc_free(&b);
}

/* ---- the disk refuses the log ---- */

static int
is_failing(struct bmc *b)
{
	return b->st->console.log_failing;
}

static int
not_failing_empty(struct bmc *b)
{
	return !b->st->console.log_failing &&
	    b->st->console.log_waiting == 0;
}

static void
test_disk_full(void)
{
	static uint8_t sent[CONSOLE_BUF_MAX + 200000];
	static uint8_t log[CONSOLE_BUF_MAX + 300000];
	static uint8_t data[CONSOLE_BUF_MAX + 300000];
	char marks[8192];
	struct conf_sol sol;
	struct rlimit old, lim;
	struct stat sb;
	struct bmc b;
	size_t off = 0, n, got;
	int i, refused = 0;

	(void)signal(SIGXFSZ, SIG_IGN);
	CHECK_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
	sol_init(&sol, NULL, 0);
	bmc_new(&b, &sol);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	fill(sent, sizeof(sent), 3);
	CHECK_EQ(bmc_send_all(&b, sent, 3000, 200), 0);
	off = 3000;
	/* on disk before the limit */
	for (i = 0; i < 300 && (stat(b.path, &sb) != 0 || sb.st_size < 3000);
	    i++)
		(void)ev_run_once(b.ev, 10);
	CHECK(stat(b.path, &sb) == 0 && sb.st_size >= 3000);
	/* the file may grow by 100 bytes more: a write of more fails in
	 * the middle (EFBIG), and is cut back */
	lim = old;
	lim.rlim_cur = (rlim_t)sb.st_size + 100;
	CHECK_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
	CHECK_EQ(bmc_send_all(&b, sent + off, 70000, 250), 0);
	off += 70000;
	CHECK(spin(&b, is_failing, 3000));
	CHECK(strstr(b.st->console.log_error, "db7.log: write: File too "
	    "large") != NULL);
	CHECK(stat(b.path, &sb) == 0 && (rlim_t)sb.st_size <= lim.rlim_cur -
	    100);
	/* the BMC goes on sending: taken while the buffer has room, then
	 * left unacknowledged (never dropped) */
	while (off < sizeof(sent)) {
		n = sizeof(sent) - off < 250 ? sizeof(sent) - off : 250;
		got = bmc_send(&b, sent + off, n);
		if (got < n) {
			off += got;
			refused++;
			break;
		}
		off += n;
	}
	CHECK_EQ(refused, 1);
	CHECK(off > CONSOLE_BUF_MAX - 20000 && off < CONSOLE_BUF_MAX + 3000);
	CHECK(b.st->console.log_waiting >= CONSOLE_BUF_MAX - 20000);
	/* the same packet again: still not all taken */
	CHECK(bmc_send(&b, sent + off - got, n) < n);
	/* the disk takes it again: all that was held, in order */
	CHECK_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
	CHECK(spin(&b, not_failing_empty, 5000));
	/* the rest of the packet, then the remainder */
	CHECK_EQ(bmc_send(&b, sent + off - got, n), n);
	off += n - got;
	CHECK_EQ(bmc_send_all(&b, sent + off, sizeof(sent) - off, 240), 0);
	n = bmc_stop_read(&b, log, sizeof(log));
	n = log_data(log, n, data, marks, sizeof(marks));
	CHECK_EQ(n, sizeof(sent));
	CHECK(memcmp(data, sent, sizeof(sent)) == 0);
	CHECK(strstr(marks, "\nheld: the disk refused the log for ") != NULL);
	CHECK(strstr(marks, "(write: File too large); the console output of "
	    "that time was kept and is above") != NULL);
	CHECK(strstr(marks, "\nheld: the BMC was kept waiting ") != NULL);
	CHECK(strstr(marks, "gap") == NULL);
	CHECK_EQ(b.st->console.gaps, 0);
	CHECK(!b.st->console.log_failing);
	bmc_free(&b);
}

/*
 * A symbolic link where the log goes (planted by whoever can write the
 * directory) is not followed: the log is refused by name, nothing is
 * written through the link (O_NOFOLLOW), the console is still read.
 */
static void
test_log_symlink(void)
{
	char dir[200], other[220];
	struct conf_sol sol;
	struct stat sb;
	struct bmc b;

	sol_init(&sol, NULL, 0);
	bmc_new(&b, &sol);
	(void)snprintf(dir, sizeof(dir), "%s/console", b.dir);
	(void)snprintf(other, sizeof(other), "%s/other", b.dir);
	CHECK_EQ(mkdir(dir, 0750), 0);
	CHECK_EQ(symlink(other, b.path), 0);
	console_set_conn(b.con, b.conn);
	CHECK(spin(&b, is_connected, 3000));
	CHECK_EQ(bmc_send(&b, "hostile\r\n", 9), 9);
	CHECK(spin(&b, is_failing, 3000));
	CHECK(strstr(b.st->console.log_error, "db7.log: open: Too many "
	    "levels of symbolic links") != NULL);
	CHECK(lstat(other, &sb) != 0 && errno == ENOENT);
	CHECK_EQ(b.st->console.bytes, 9);
	console_stop(b.con);
	(void)spin(&b, no_jobs, 3000);
	bmc_free(&b);
}

int
main(void)
{
	(void)signal(SIGPIPE, SIG_IGN);
	log_init("test_console", 1, 0);
	RUN(test_log_exact);
	RUN(test_log_timestamps);
	RUN(test_clients);
	RUN(test_patterns);
	RUN(test_takeover);
	RUN(test_disk_full);
	RUN(test_log_symlink);
	return harness_end();
}
