/*
 * Name resolution apart from the transports: lan_udp_resolve, and the
 * daemon's way of using it, on a "dns" work instance, so that a
 * resolver that hangs never stalls the loop.
 *
 * getaddrinfo is interposed (this executable's definition comes first):
 * it notes the thread each call runs on, can be held on a pipe like a
 * dead DNS server, answers "bmc.invalid" with EAI_NONAME itself (no
 * network), and passes every other name to the C library's.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dlfcn.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "harness.h"
#include "lan_udp.h"
#include "transport.h"
#include "work.h"

#define BOUND_MS	20000

static pthread_t loop_thread;

static struct {
	int	 calls;
	int	 on_loop;	/* calls made on the loop thread */
	int	 hold_fd;	/* >= 0: read a byte before answering */
} gai;

typedef int	gai_fn(const char *, const char *, const struct addrinfo *,
		    struct addrinfo **);

int
getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	static gai_fn *real;
	char ch;

	gai.calls++;
	if (pthread_equal(pthread_self(), loop_thread))
		gai.on_loop++;
	if (gai.hold_fd >= 0)
		(void)read(gai.hold_fd, &ch, 1);
	if (node != NULL && strcmp(node, "bmc.invalid") == 0)
		return EAI_NONAME;
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
	return real(node, service, hints, res);
}

static void
test_resolve(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t len = 0;
	char err[256] = "";

	CHECK_EQ(lan_udp_resolve("127.0.0.1", 6230, &ss, &len, err,
	    sizeof(err)), 0);
	CHECK_EQ(len, sizeof(struct sockaddr_in));
	CHECK_EQ(sin->sin_family, AF_INET);
	CHECK_EQ(ntohs(sin->sin_port), 6230);
	CHECK_EQ(ntohl(sin->sin_addr.s_addr), INADDR_LOOPBACK);
	/* the CLI's words for a name that does not resolve */
	CHECK_EQ(lan_udp_resolve("bmc.invalid", 623, &ss, &len, err,
	    sizeof(err)), -1);
	CHECK_STR(err, "resolve bmc.invalid: Name or service not known");
}

/* the CLI's way is unchanged: the constructor resolves, with the same
 * message */
static void
test_cli_resolves(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	char err[256] = "";
	int before = gai.calls;

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_LAN;
	cfg.authtype = -1;
	(void)snprintf(cfg.host, sizeof(cfg.host), "bmc.invalid");
	CHECK(ipmi_tr_new(&cfg, err, sizeof(err)) == NULL);
	CHECK_STR(err, "resolve bmc.invalid: Name or service not known");
	CHECK_EQ(gai.calls, before + 1);
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.1");
	tr = ipmi_tr_new(&cfg, err, sizeof(err));
	CHECK(tr != NULL);
	CHECK(ipmi_tr_fd(tr) >= 0);
	CHECK_EQ(gai.calls, before + 2);
	ipmi_tr_free(tr);
}

/* ---- the daemon's way ---- */

struct resolve_job {
	char			 host[64];
	unsigned		 port;
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 rc;
	char			 err[256];
	/* on the loop, in done */
	int			 done;
	struct ipmi_tr		*tr;
	char			 trerr[256];
	int			 gai_after_new;
};

static void
resolve_run(void *arg)
{
	struct resolve_job *j = arg;

	j->rc = lan_udp_resolve(j->host, j->port, &j->ss, &j->len, j->err,
	    sizeof(j->err));
}

static void
resolve_done(void *arg)
{
	struct resolve_job *j = arg;
	struct ipmi_tr_cfg cfg;
	int before = gai.calls;

	j->done = 1;
	if (j->rc != 0)
		return;
	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_LANPLUS;
	cfg.cipher = 3;
	(void)snprintf(cfg.host, sizeof(cfg.host), "%s", j->host);
	cfg.port = (uint16_t)j->port;
	cfg.addr = j->ss;
	cfg.addrlen = j->len;
	j->tr = ipmi_tr_new(&cfg, j->trerr, sizeof(j->trerr));
	j->gai_after_new = gai.calls - before;
}

struct beat {
	int	 fires;
	int	 release_fd;
	int	 released_at;
};

static int64_t
beat(void *arg)
{
	struct beat *b = arg;

	if (++b->fires == 5) {
		CHECK_EQ(write(b->release_fd, "x", 1), 1);
		b->released_at = b->fires;
	}
	return 1;
}

/*
 * "localhost" resolved on a worker while the resolver hangs: the loop
 * timer keeps firing (5 times, then it lets the resolver answer); the
 * transport is then built on the loop from the address, without a
 * single getaddrinfo call there.
 */
static void
test_resolve_off_loop(void)
{
	struct ev *ev = ev_new();
	struct work *dns = work_new(ev, 1);
	struct resolve_job j;
	struct beat b;
	struct ev_timer *t;
	uint64_t end;
	int p[2];

	CHECK(dns != NULL);
	CHECK_EQ(pipe(p), 0);
	memset(&j, 0, sizeof(j));
	memset(&b, 0, sizeof(b));
	(void)snprintf(j.host, sizeof(j.host), "localhost");
	j.port = 623;
	b.release_fd = p[1];
	gai.calls = gai.on_loop = 0;
	gai.hold_fd = p[0];
	CHECK_EQ(work_submit(dns, resolve_run, resolve_done, &j), 0);
	t = ev_timer_add(ev, 1, beat, &b);
	end = ev_now() + BOUND_MS;
	while (!j.done && ev_now() < end)
		(void)ev_run_once(ev, 100);
	gai.hold_fd = -1;
	CHECK_EQ(j.done, 1);
	CHECK_EQ(b.released_at, 5);	/* the loop ran while it hung */
	CHECK_EQ(j.rc, 0);
	CHECK_EQ(gai.calls, 1);
	CHECK_EQ(gai.on_loop, 0);
	CHECK(j.tr != NULL);
	CHECK_EQ(j.gai_after_new, 0);
	if (j.tr != NULL)
		CHECK(ipmi_tr_fd(j.tr) >= 0);
	CHECK(j.len == sizeof(struct sockaddr_in) ||
	    j.len == sizeof(struct sockaddr_in6));
	ipmi_tr_free(j.tr);
	ev_timer_del(ev, t);
	work_free(dns);
	ev_free(ev);
	(void)close(p[0]);
	(void)close(p[1]);
}

int
main(void)
{
	loop_thread = pthread_self();
	gai.hold_fd = -1;
	RUN(test_resolve);
	RUN(test_cli_resolves);
	RUN(test_resolve_off_loop);
	return harness_end();
}
