/*
 * Unit tests for the control socket (agent/daemon/ctl.c): the request
 * parser on every verb and key and on bad input; frames both ways;
 * answers from a store (shapes, target, age and staleness, errors);
 * and the server on a real Unix socket in a temporary directory, driven
 * by the event loop: several requests per connection, the bounds
 * (request size, requests per connection, clients), actions refused or
 * handed over and answered later, a client gone before its answer;
 * streams (sol): the verb, stream frames both ways, a stream taken by
 * the daemon, keystrokes and breaks in, a bad frame, a reader that does
 * not read dropped, an end said.
 */
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
#include "cmd_chassis.h"
#include "conf.h"
#include "ctl.h"
#include "ev.h"
#include "store/store.h"

static int
parse(const char *line, struct ctl_req *r, char *err)
{
	return ctl_parse(line, strlen(line), r, err, 256);
}

static void
test_parse_verbs(void)
{
	struct ctl_req r;
	char err[256];

	CHECK_EQ(parse("sensors", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SENSORS);
	CHECK_STR(r.target, "");
	CHECK_EQ(r.json, 0);
	CHECK_EQ(parse("sensors target=db7 format=json verbose=1", &r, err),
	    0);
	CHECK_STR(r.target, "db7");
	CHECK_EQ(r.json, 1);
	CHECK_EQ(r.verbose, 1);
	CHECK_EQ(parse("info", &r, err), 0);
	CHECK_EQ(r.verb, CTL_INFO);
	CHECK_EQ(parse("targets format=text", &r, err), 0);
	CHECK_EQ(r.verb, CTL_TARGETS);
	CHECK_EQ(parse("chassis status", &r, err), 0);
	CHECK_EQ(r.verb, CTL_CHASSIS_STATUS);
	CHECK_EQ(parse("watchdog get target=a.b_c-1", &r, err), 0);
	CHECK_EQ(r.verb, CTL_WATCHDOG_GET);
	CHECK_STR(r.target, "a.b_c-1");
	CHECK_EQ(parse("sel info", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SEL_INFO);
	CHECK_EQ(parse("sel list last=5 open=1", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SEL_LIST);
	CHECK_EQ(r.last, 5);
	CHECK_EQ(r.open_only, 1);
	CHECK_EQ(parse("sel clear target=x", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SEL_CLEAR);
	CHECK_EQ(parse("sel ack 0x1f", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SEL_ACK);
	CHECK_EQ(r.sel_id, 0x1f);
	CHECK_EQ(parse("sel ack 65534", &r, err), 0);
	CHECK_EQ(r.sel_id, 65534);
	CHECK_EQ(parse("chassis power cycle", &r, err), 0);
	CHECK_EQ(r.verb, CTL_CHASSIS_POWER);
	CHECK_EQ(r.power, CHASSIS_CTL_POWER_CYCLE);
	CHECK_EQ(parse("chassis power off target=db7", &r, err), 0);
	CHECK_EQ(r.power, CHASSIS_CTL_POWER_DOWN);
	CHECK_EQ(parse("chassis identify", &r, err), 0);
	CHECK_EQ(r.verb, CTL_CHASSIS_IDENTIFY);
	CHECK_EQ(r.identify_s, -1);
	CHECK_EQ(parse("chassis identify 30", &r, err), 0);
	CHECK_EQ(r.identify_s, 30);
	CHECK_EQ(parse("chassis identify force", &r, err), 0);
	CHECK_EQ(r.identify_force, 1);
	CHECK_EQ(parse("chassis identify off target=z", &r, err), 0);
	CHECK_EQ(r.identify_s, 0);
	CHECK_STR(r.target, "z");
	/* spaces and tabs, a trailing CR */
	CHECK_EQ(parse("  sensors \t target=q  \r", &r, err), 0);
	CHECK_STR(r.target, "q");
	/* actions and their allow bits */
	CHECK_EQ(parse("sensors", &r, err), 0);
	CHECK(!ctl_is_action(&r));
	CHECK_EQ(ctl_allow_bit(&r), 0);
	CHECK_EQ(parse("chassis power on", &r, err), 0);
	CHECK(ctl_is_action(&r));
	CHECK_EQ(ctl_allow_bit(&r), CONF_ALLOW_POWER);
	CHECK_EQ(parse("chassis identify", &r, err), 0);
	CHECK_EQ(ctl_allow_bit(&r), CONF_ALLOW_IDENTIFY);
	CHECK_EQ(parse("sel clear", &r, err), 0);
	CHECK_EQ(ctl_allow_bit(&r), CONF_ALLOW_SEL_CLEAR);
	CHECK_EQ(parse("sel ack 1", &r, err), 0);
	CHECK_EQ(ctl_allow_bit(&r), CONF_ALLOW_SEL_ACK);
	CHECK_STR(ctl_verb_name(CTL_SEL_LIST), "sel list");
}

/* bad input: refused with a message naming the problem */
static void
test_parse_bad(void)
{
	static const struct {
		const char	*line;
		const char	*says;
	} bad[] = {
		{ "", "empty" },
		{ "   ", "empty" },
		{ "frobnicate", "unknown request 'frobnicate'" },
		{ "target=x sensors", "starts with its verb" },
		{ "sensors extra", "unexpected word 'extra'" },
		{ "sensors color=red", "unknown key 'color'" },
		{ "sensors target=a target=b", "target given twice" },
		{ "sensors target=", "bad target name" },
		{ "sensors target=.hidden", "bad target name" },
		{ "sensors target=a/b", "bad target name" },
		{ "sensors target=0123456789012345678901234567890123456789"
		    "01234567890123456789012345", "bad target name" },
		{ "sensors format=xml", "bad format 'xml'" },
		{ "sensors verbose=2", "bad verbose" },
		{ "sensors last=3", "last= is for sel list" },
		{ "sensors open=1", "open= is for sel list" },
		{ "sel list last=0", "bad last" },
		{ "sel list last=65537", "bad last" },
		{ "sel list last=1x", "bad last" },
		{ "sel", "sel: info, list, clear or ack" },
		{ "sel ack", "needs a record ID" },
		{ "sel ack 0", "needs a record ID" },
		{ "sel ack 65535", "needs a record ID" },
		{ "sel ack 0xg", "needs a record ID" },
		{ "sel ack target=x", "needs a record ID" },
		{ "chassis", "chassis: status" },
		{ "chassis power", "chassis power: on, off" },
		{ "chassis power explode", "unknown action 'explode'" },
		{ "chassis identify 256", "bad interval '256'" },
		{ "chassis identify soon", "bad interval 'soon'" },
		{ "watchdog set", "only 'watchdog get'" },
		{ "sensors a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 j=10 k=11 l=12 "
		    "m=13 n=14 o=15 p=16", "more than 16 words" },
	};
	struct ctl_req r;
	char err[256], line[2048];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i].line, &r, err) != -1 ||
		    strstr(err, bad[i].says) == NULL) {
			printf("# '%s': got '%s', want '%s'\n", bad[i].line,
			    err, bad[i].says);
			CHECK(0);
		}
	}
	/* control bytes and non-ASCII */
	CHECK_EQ(ctl_parse("sen\x01sors", 8, &r, err, sizeof(err)), -1);
	CHECK(strstr(err, "0x01") != NULL);
	CHECK_EQ(ctl_parse("sensors\0", 8, &r, err, sizeof(err)), -1);
	CHECK_EQ(ctl_parse("s\xc3\xa9nsors", 9, &r, err, sizeof(err)), -1);
	/* the size bound */
	memset(line, ' ', sizeof(line));
	/* line is counted (ctl_parse takes a length), not a C string:
	 * no NUL is wanted after the verb, spaces follow it */
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
	memcpy(line, "sensors", 7);
	CHECK_EQ(ctl_parse(line, CTL_LINE_MAX, &r, err, sizeof(err)), 0);
	CHECK_EQ(ctl_parse(line, CTL_LINE_MAX + 1, &r, err, sizeof(err)), -1);
	CHECK(strstr(err, "longer than 1024") != NULL);
}

static void
test_frames(void)
{
	char buf[64];
	size_t n, plen, hlen;
	int code;

	n = ctl_frame(buf, sizeof(buf), 0, "hello", 5);
	CHECK_EQ(n, 10);
	CHECK_MEM(buf, "ok 5\nhello", 10);
	CHECK_EQ(ctl_frame_header(buf, n, &code, &plen, &hlen), 1);
	CHECK_EQ(code, 0);
	CHECK_EQ(plen, 5);
	CHECK_EQ(hlen, 5);
	n = ctl_frame(buf, sizeof(buf), 3, "gone", 4);
	CHECK_MEM(buf, "err 3 4\ngone", 12);
	CHECK_EQ(ctl_frame_header(buf, n, &code, &plen, &hlen), 1);
	CHECK_EQ(code, 3);
	CHECK_EQ(plen, 4);
	CHECK_EQ(hlen, 8);
	/* too small a buffer */
	CHECK_EQ(ctl_frame(buf, 8, 0, "hello", 5), 0);
	/* partial headers want more, garbage is refused */
	CHECK_EQ(ctl_frame_header("ok 12", 5, &code, &plen, &hlen), 0);
	CHECK_EQ(ctl_frame_header("", 0, &code, &plen, &hlen), 0);
	CHECK_EQ(ctl_frame_header("OK 1\nx", 6, &code, &plen, &hlen), -1);
	CHECK_EQ(ctl_frame_header("ok \n", 4, &code, &plen, &hlen), -1);
	CHECK_EQ(ctl_frame_header("ok 1x\n", 6, &code, &plen, &hlen), -1);
	CHECK_EQ(ctl_frame_header("err 0 1\n", 8, &code, &plen, &hlen), -1);
	CHECK_EQ(ctl_frame_header("err 256 1\n", 10, &code, &plen, &hlen),
	    -1);
	CHECK_EQ(ctl_frame_header("err x 1\n", 8, &code, &plen, &hlen), -1);
	CHECK_EQ(ctl_frame_header("ok 1234567890123\n", 17, &code, &plen,
	    &hlen), -1);
	CHECK_EQ(ctl_frame_header("ok 00000000000000000000000000000000000000"
	    "0000", 44, &code, &plen, &hlen), -1);
}

static struct store_when
at(uint64_t ms)
{
	struct store_when w;

	w.mono_ms = ms;
	w.wall_ms = 1700000000000LL + (int64_t)ms;
	return w;
}

static struct store *
fixture(void)
{
	struct store *s = store_new();
	struct store_target *t = store_target_add(s, "db7");
	struct sensors_item it;
	struct sdr_rec rec;
	struct chassis_status cs;
	struct store_when w = at(10000);

	store_target_config(t, 10, 60, 30, CONF_ALLOW_POWER |
	    CONF_ALLOW_SEL_CLEAR, "lanplus");
	memset(&it, 0, sizeof(it));
	memset(&rec, 0, sizeof(rec));
	(void)snprintf(it.name, sizeof(it.name), "CPU1 Temp");
	it.rec = &rec;
	it.number = 1;
	it.threshold = 1;
	it.have_value = 1;
	it.value = 45;
	store_set_sensor_items(s, t, &it, 1, &w);
	memset(&cs, 0, sizeof(cs));
	cs.power_on = 1;
	cs.raw_len = 3;
	store_set_chassis(s, t, &cs, &w);
	(void)store_target_add(s, "local");
	return s;
}

static void
test_answers(void)
{
	struct store *s = fixture();
	struct ctl_req r;
	char err[256], *out;
	size_t len;

	/* the CLI's shape plus target, age_s, stale */
	CHECK_EQ(parse("sensors target=db7 format=json", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 12500, &out, &len), 0);
	CHECK(out != NULL && len == strlen(out));
	if (out == NULL)
		return;
	CHECK(strncmp(out, "{\"sensors\":[{\"name\":\"CPU1 Temp\"", 31) == 0);
	CHECK(strstr(out, "\"target\":\"db7\",\"age_s\":2.5,"
	    "\"stale\":false}\n") != NULL);
	free(out);
	/* stale past twice the interval */
	CHECK_EQ(ctl_answer(s, &r, 30001, &out, &len), 0);
	CHECK(strstr(out, "\"age_s\":20.0,\"stale\":true") != NULL);
	free(out);
	/* text: the CLI's lines, and a stale note */
	CHECK_EQ(parse("sensors target=db7", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 30001, &out, &len), 0);
	CHECK(strncmp(out, "CPU1 Temp        | 45", 21) == 0);
	CHECK(strstr(out, "# db7: stale: read 20.0 s ago (every 10 s)") !=
	    NULL);
	free(out);
	CHECK_EQ(parse("chassis status target=db7 format=json", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), 0);
	CHECK(strncmp(out, "{\"system_power\":\"on\"", 20) == 0);
	CHECK(strstr(out, "\"target\":\"db7\",\"age_s\":0.0,\"stale\":false") !=
	    NULL);
	free(out);
	/* never read: code 3 and why */
	CHECK_EQ(parse("watchdog get target=db7", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), CTL_EUNAVAIL);
	CHECK_STR(out, "db7: watchdog not read yet (starting)");
	free(out);
	CHECK_EQ(parse("sensors target=local", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), CTL_EUNAVAIL);
	free(out);
	/* which target */
	CHECK_EQ(parse("sensors target=nope", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), CTL_EUSAGE);
	CHECK_STR(out, "no target 'nope' (db7, local)");
	free(out);
	CHECK_EQ(parse("sensors", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), CTL_EUSAGE);
	CHECK(strstr(out, "several targets: name one with --target "
	    "(db7, local)") != NULL);
	free(out);
	/* every target with its health */
	CHECK_EQ(parse("targets format=json", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), 0);
	CHECK(strncmp(out, "{\"targets\":[{\"name\":\"db7\",\"interface\":"
	    "\"lanplus\"", 38) == 0);
	CHECK(strstr(out, "{\"name\":\"local\"") != NULL);
	CHECK(strstr(out, "\"consecutive_errors\":0") != NULL);
	free(out);
	CHECK_EQ(parse("targets target=nope", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), CTL_EUSAGE);
	free(out);
	/* one target: named or not */
	store_target_del(s, store_target_find(s, "local"));
	CHECK_EQ(parse("sensors format=json", &r, err), 0);
	CHECK_EQ(ctl_answer(s, &r, 10000, &out, &len), 0);
	free(out);
	store_free(s);
}

/* ---- the server ---- */

struct act {
	struct ctl_action *a;
	int		 calls;
	char		 target[CTL_NAME_MAX + 1];
};

static int
on_action(void *arg, const char *target, struct ctl_action *a, char *err,
    size_t errlen)
{
	struct act *x = arg;

	x->calls++;
	(void)snprintf(x->target, sizeof(x->target), "%s", target);
	if (ctl_action_req(a)->verb == CTL_SEL_CLEAR) {
		(void)snprintf(err, errlen, "%s: sel clear: busy", target);
		return CTL_EREFUSED;
	}
	x->a = a;
	return 0;
}

static int
client(const char *path)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	(void)snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		return -1;
	return fd;
}

/* run the loop until fd has n frames (or EOF); returns the bytes */
static size_t
collect(struct ev *ev, int fd, char *buf, size_t cap, int frames,
    int *eof)
{
	size_t len = 0, off;
	int got, i, code;
	size_t plen, hlen;

	*eof = 0;
	for (i = 0; i < (frames > 0 ? 400 : 40); i++) {
		ssize_t n;

		(void)ev_run_once(ev, 5);
		n = read(fd, buf + len, cap - len - 1);
		if (n == 0) {
			*eof = 1;
			break;
		}
		if (n > 0)
			len += (size_t)n;
		for (off = 0, got = 0; off < len; got++) {
			if (ctl_frame_header(buf + off, len - off, &code,
			    &plen, &hlen) != 1 || off + hlen + plen > len)
				break;
			off += hlen + plen;
		}
		if (got >= frames && frames > 0)
			break;
	}
	buf[len] = '\0';
	return len;
}

static void
test_server(void)
{
	char dir[] = "/tmp/test_ctl.XXXXXX", path[128], err[256];
	static char buf[1 << 20];
	struct ev *ev = ev_new();
	struct store *s = fixture();
	struct ctl_cfg cfg;
	struct act x;
	struct ctl *ctl;
	struct stat st;
	size_t n;
	int lfd, fd, fd2, eof, i;

	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	lfd = ctl_listen(path, 0660, (gid_t)-1, err, sizeof(err));
	CHECK(lfd >= 0);
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (st.st_mode & 0777) == 0660);
	/* a live socket is not taken over, nor a file */
	CHECK_EQ(ctl_listen(path, 0660, (gid_t)-1, err, sizeof(err)), -1);
	CHECK(strstr(err, "in use") != NULL);
	memset(&x, 0, sizeof(x));
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = path;
	cfg.group = (gid_t)-1;
	cfg.max_clients = 2;
	cfg.action = on_action;
	cfg.arg = &x;
	ctl = ctl_new(ev, s, lfd, &cfg);

	/* two requests in one write, two answers in order */
	fd = client(path);
	CHECK(fd >= 0);
	CHECK(write(fd, "targets\nsensors target=db7 format=json\n", 39) ==
	    39);
	n = collect(ev, fd, buf, sizeof(buf), 2, &eof);
	CHECK(strncmp(buf, "ok ", 3) == 0);
	CHECK(strstr(buf, "db7              | lanplus") != NULL);
	CHECK(strstr(buf, "{\"sensors\":[") != NULL);
	CHECK(n > 0 && !eof);
	/* a bad request: err 2 with the reason, the connection stays */
	CHECK(write(fd, "frob\n", 5) == 5);
	(void)collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(strncmp(buf, "err 2 ", 6) == 0);
	CHECK(strstr(buf, "unknown request 'frob'") != NULL);
	CHECK(!eof);
	/* an action the target does not allow */
	CHECK(write(fd, "chassis identify target=db7\n", 28) == 28);
	(void)collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(strstr(buf, "err 1 ") == buf);
	CHECK(strstr(buf, "refused: not allowed") != NULL);
	CHECK_EQ(x.calls, 0);
	/* an allowed one (we are root or the daemon's user): handed over,
	 * answered later; what comes behind waits for it */
	CHECK(write(fd, "chassis power off target=db7\ntargets\n", 37) == 37);
	n = collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK_EQ(n, 0);
	CHECK_EQ(x.calls, 1);
	CHECK_STR(x.target, "db7");
	CHECK(x.a != NULL);
	if (x.a != NULL) {
		CHECK_EQ(ctl_action_req(x.a)->power, CHASSIS_CTL_POWER_DOWN);
		ctl_action_done(x.a, 0, "Chassis Power Control: Down/Off\n");
		x.a = NULL;
	}
	(void)collect(ev, fd, buf, sizeof(buf), 2, &eof);
	CHECK(strncmp(buf, "ok 32\nChassis Power Control: Down/Off\nok ", 41) ==
	    0);
	/* the action function's own refusal */
	CHECK(write(fd, "sel clear target=db7\n", 21) == 21);
	(void)collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(strstr(buf, "err 1 ") == buf);
	CHECK(strstr(buf, "db7: sel clear: busy") != NULL);
	CHECK_EQ(x.calls, 2);
	CHECK_EQ(ctl_clients(ctl), 1);

	/* max-clients 2: the third is told and closed */
	fd2 = client(path);
	CHECK(fd2 >= 0);
	(void)collect(ev, fd2, buf, sizeof(buf), 0, &eof);
	i = client(path);
	(void)collect(ev, i, buf, sizeof(buf), 1, &eof);
	CHECK(strncmp(buf, "err 3 ", 6) == 0 && strstr(buf, "busy") != NULL);
	(void)close(i);
	(void)close(fd2);
	(void)collect(ev, fd, buf, sizeof(buf), 0, &eof);
	CHECK_EQ(ctl_clients(ctl), 1);

	/* a client gone before its action's answer */
	fd2 = client(path);
	CHECK(write(fd2, "chassis power on target=db7\n", 28) == 28);
	(void)collect(ev, fd2, buf, sizeof(buf), 1, &eof);
	CHECK(x.a != NULL);
	(void)close(fd2);
	for (i = 0; i < 20; i++)
		(void)ev_run_once(ev, 5);
	if (x.a != NULL)
		ctl_action_done(x.a, 0, "into nothing");
	x.a = NULL;

	/* a request longer than 1024 bytes: err 2, then closed */
	memset(buf, 'a', 2000);
	CHECK(write(fd, buf, 2000) == 2000);
	(void)collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(strstr(buf, "err 2 ") == buf);
	CHECK(strstr(buf, "longer than 1024 bytes") != NULL);
	(void)collect(ev, fd, buf, sizeof(buf), 0, &eof);
	CHECK(eof);
	(void)close(fd);

	/* requests per connection are bounded */
	fd = client(path);
	for (i = 0; i < CTL_REQUESTS_MAX + 1; i++)
		CHECK(write(fd, "info target=db7\n", 16) == 16);
	(void)collect(ev, fd, buf, sizeof(buf), CTL_REQUESTS_MAX + 1, &eof);
	CHECK(strstr(buf, "too many requests on one connection") != NULL);
	(void)collect(ev, fd, buf, sizeof(buf), 0, &eof);
	CHECK(eof);
	(void)close(fd);

	/* a client that half-closes gets its answer, then EOF */
	fd = client(path);
	CHECK(write(fd, "targets\n", 8) == 8);
	(void)shutdown(fd, SHUT_WR);
	(void)collect(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(strncmp(buf, "ok ", 3) == 0);
	(void)collect(ev, fd, buf, sizeof(buf), 0, &eof);
	CHECK(eof);
	(void)close(fd);

	ctl_free(ctl);
	CHECK(stat(path, &st) != 0 && errno == ENOENT);
	/* a file where the socket should be */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	(void)close(fd);
	CHECK_EQ(ctl_listen(path, 0660, (gid_t)-1, err, sizeof(err)), -1);
	CHECK(strstr(err, "not a socket") != NULL);
	(void)unlink(path);
	(void)rmdir(dir);
	store_free(s);
	ev_free(ev);
}

/* ---- streams ---- */

/* write all of a string */
static int
wr(int fd, const char *p)
{
	return write(fd, p, strlen(p)) == (ssize_t)strlen(p);
}

static void
test_sol_parse(void)
{
	struct ctl_req r;
	char err[256];

	CHECK_EQ(parse("sol input replay 100 target=db7", &r, err), 0);
	CHECK_EQ(r.verb, CTL_SOL);
	CHECK_EQ(r.sol_input, 1);
	CHECK_EQ(r.sol_replay, 100);
	CHECK_STR(r.target, "db7");
	CHECK(!ctl_is_action(&r));
	CHECK_EQ(ctl_allow_bit(&r), 0);
	CHECK_STR(ctl_verb_name(r.verb), "sol");
	CHECK_EQ(parse("sol", &r, err), 0);
	CHECK_EQ(r.sol_input, 0);
	CHECK_EQ(r.sol_replay, 0);
	CHECK_EQ(parse("sol replay 65536", &r, err), 0);
	CHECK_EQ(parse("sol replay 65537", &r, err), -1);
	CHECK(strstr(err, "sol: [input] [replay BYTES (0-65536)]") != NULL);
	CHECK_EQ(parse("sol input input", &r, err), -1);
	CHECK_EQ(parse("sol replay", &r, err), -1);
	CHECK_EQ(parse("sol please", &r, err), -1);
	CHECK_EQ(parse("sensors input", &r, err), -1);
}

static void
test_sframes(void)
{
	static const char *const bad[] = { "data 012\n", "break 1\n",
	    "err 0 1\n", "err 256 1\n", "key -1\n", "data 65537\n",
	    "data\n", "data 1 \n", "nope 1\n", "ok 1 2\n", "data 1x\n" };
	enum ctl_sframe t;
	char h[40];
	size_t plen, hlen, i;
	int code;

	CHECK_EQ(ctl_sframe_header("data 12\nabc", 11, &t, &code, &plen,
	    &hlen), 1);
	CHECK(t == CTL_SF_DATA && plen == 12 && hlen == 8 && code == 0);
	CHECK_EQ(ctl_sframe_header("err 3 7\nbye", 11, &t, &code, &plen,
	    &hlen), 1);
	CHECK(t == CTL_SF_ERR && code == 3 && plen == 7 && hlen == 8);
	CHECK_EQ(ctl_sframe_header("break 0\n", 8, &t, &code, &plen, &hlen),
	    1);
	CHECK(t == CTL_SF_BREAK && plen == 0);
	CHECK_EQ(ctl_sframe_header("note 4", 6, &t, &code, &plen, &hlen), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(ctl_sframe_header(bad[i], strlen(bad[i]), &t, &code,
		    &plen, &hlen), -1);
	CHECK_EQ(ctl_sframe_put(h, sizeof(h), CTL_SF_KEY, 0, 512), 8);
	CHECK(memcmp(h, "key 512\n", 8) == 0);
	CHECK_EQ(ctl_sframe_put(h, sizeof(h), CTL_SF_ERR, 3, 0), 8);
	CHECK(memcmp(h, "err 3 0\n", 8) == 0);
	CHECK_EQ(ctl_sframe_put(h, 4, CTL_SF_DATA, 0, 100), 0);
}

struct strm {
	struct ctl_stream *s;
	int		 accepts;
	int		 keys;
	int		 breaks;
	int		 gone;
	char		 got[64];
};

static void
strm_input(void *arg, struct ctl_stream *s, enum ctl_sframe t,
    const uint8_t *p, size_t n)
{
	struct strm *x = arg;

	(void)s;
	if (t == CTL_SF_BREAK)
		x->breaks++;
	else {
		x->keys++;
		(void)snprintf(x->got, sizeof(x->got), "%.*s", (int)n,
		    (const char *)p);
	}
}

static void
strm_gone(void *arg, struct ctl_stream *s)
{
	struct strm *x = arg;

	(void)s;
	x->gone++;
	x->s = NULL;
}

static const struct ctl_stream_ops strm_ops = { strm_input, strm_gone };

static int
on_stream(void *arg, const char *target, struct ctl_stream *s, char *err,
    size_t errlen)
{
	struct strm *x = arg;

	if (strcmp(target, "db7") != 0) {
		(void)snprintf(err, errlen, "%s: no", target);
		return CTL_EUSAGE;
	}
	x->accepts++;
	x->s = s;
	ctl_stream_accept(s, &strm_ops, x, "attached\n");
	return 0;
}

/* run the loop until fd gave want bytes (or EOF, or a bound) */
static size_t
drain(struct ev *ev, int fd, char *buf, size_t cap, size_t want, int *eof)
{
	size_t len = 0;
	int i;

	*eof = 0;
	for (i = 0; i < 400 && len < want; i++) {
		ssize_t n;

		(void)ev_run_once(ev, 5);
		n = read(fd, buf + len, cap - len - 1);
		if (n == 0) {
			*eof = 1;
			break;
		}
		if (n > 0)
			len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

static void
test_streams(void)
{
	char dir[] = "/tmp/test_ctl.XXXXXX", path[128], err[256];
	static char buf[1 << 20], big[60000];
	struct ev *ev = ev_new();
	struct store *s = fixture();
	struct ctl_cfg cfg;
	struct strm x;
	struct ctl *ctl;
	int lfd, fd, eof, i, rc = 0;
	size_t n;

	store_console_config(store_target_find(s, "db7"), 1, 1, 1);
	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	lfd = ctl_listen(path, 0600, (gid_t)-1, err, sizeof(err));
	CHECK(lfd >= 0);
	memset(&x, 0, sizeof(x));
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = path;
	cfg.group = (gid_t)-1;
	cfg.max_clients = 4;
	cfg.stream = on_stream;
	cfg.arg = &x;
	ctl = ctl_new(ev, s, lfd, &cfg);

	/* a target without a console: refused, the connection stays */
	fd = client(path);
	CHECK(wr(fd, "sol target=local\n"));
	(void)drain(ev, fd, buf, sizeof(buf), 10, &eof);
	CHECK(strncmp(buf, "err 2 ", 6) == 0);
	CHECK(strstr(buf, "local: sol: no console") != NULL);
	CHECK_EQ(x.accepts, 0);
	/* taken: the answer, data out, keys and a break in (also behind
	 * the request in the same write) */
	CHECK(wr(fd, "sol input target=db7\nkey 2\nhi"));
	(void)drain(ev, fd, buf, sizeof(buf), 14, &eof);
	CHECK_STR(buf, "ok 9\nattached\n");
	CHECK_EQ(x.accepts, 1);
	CHECK(x.s != NULL && ctl_stream_req(x.s)->sol_input == 1);
	CHECK(x.s != NULL && ctl_stream_privileged(x.s));
	CHECK_EQ(x.keys, 1);
	CHECK_STR(x.got, "hi");
	if (x.s != NULL)
		CHECK_EQ(ctl_stream_send(x.s, CTL_SF_DATA, "abc", 3), 0);
	(void)drain(ev, fd, buf, sizeof(buf), 9, &eof);
	CHECK_STR(buf, "data 3\nabc");
	CHECK(wr(fd, "break 0\nkey 1\n"));
	(void)drain(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK_EQ(x.breaks, 1);
	CHECK(wr(fd, "Z"));
	(void)drain(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK_EQ(x.keys, 2);
	CHECK_STR(x.got, "Z");
	/* not stream frames: dropped, gone told */
	CHECK(wr(fd, "sensors\n"));
	n = drain(ev, fd, buf, sizeof(buf), 1, &eof);
	CHECK(eof && n == 0);
	CHECK_EQ(x.gone, 1);
	CHECK_EQ(ctl_clients(ctl), 0);
	(void)close(fd);

	/* a reader that does not read: dropped at the bound, not told */
	fd = client(path);
	CHECK(wr(fd, "sol target=db7\n"));
	(void)drain(ev, fd, buf, sizeof(buf), 14, &eof);
	CHECK(x.s != NULL);
	memset(big, 'x', sizeof(big));
	for (i = 0; i < 1000 && x.s != NULL; i++) {
		rc = ctl_stream_send(x.s, CTL_SF_DATA, big, sizeof(big));
		if (rc != 0)
			break;
		(void)ev_run_once(ev, 0);
	}
	CHECK_EQ(rc, -1);
	CHECK(i * sizeof(big) <= (size_t)4 * 1024 * 1024);
	CHECK_EQ(x.gone, 1);
	CHECK_EQ(ctl_clients(ctl), 0);
	(void)close(fd);

	/* the daemon ends it: an err frame, then the close; not told */
	fd = client(path);
	CHECK(wr(fd, "sol target=db7\n"));
	(void)drain(ev, fd, buf, sizeof(buf), 14, &eof);
	CHECK(x.s != NULL);
	if (x.s != NULL)
		ctl_stream_end(x.s, CTL_EUNAVAIL, "db7: stopping");
	(void)drain(ev, fd, buf, sizeof(buf), 1000, &eof);
	CHECK_STR(buf, "err 3 13\ndb7: stopping");
	CHECK(eof);
	CHECK_EQ(x.gone, 1);
	(void)close(fd);

	/* gone told when the client closes */
	fd = client(path);
	CHECK(wr(fd, "sol target=db7\n"));
	(void)drain(ev, fd, buf, sizeof(buf), 14, &eof);
	(void)close(fd);
	for (i = 0; i < 100 && x.gone < 2; i++)
		(void)ev_run_once(ev, 5);
	CHECK_EQ(x.gone, 2);
	ctl_free(ctl);
	store_free(s);
	ev_free(ev);
	(void)rmdir(dir);
}

int
main(void)
{
	/* writes to a connection the server closed fail, not kill */
	(void)signal(SIGPIPE, SIG_IGN);
	RUN(test_parse_verbs);
	RUN(test_parse_bad);
	RUN(test_frames);
	RUN(test_answers);
	RUN(test_server);
	RUN(test_sol_parse);
	RUN(test_sframes);
	RUN(test_streams);
	return harness_end();
}
