/*
 * Seed capture for the session fuzzers (not built by the Makefile;
 * mkcorpus.sh compiles it against build/libbmcwatch.a):
 *
 *	capture lanplus|lan SELECTOR PORT OUTFILE
 *
 * Runs the same transport, requests and fake clock as fuzz_*_session.c
 * (session.h) against a live BMC on 127.0.0.1:PORT, feeding it the
 * datagrams the BMC sends back, and writes them to OUTFILE in the fuzz
 * input format.  Because session.h makes the "random" numbers
 * deterministic, the file replays through the fuzz target along the
 * very same path: handshake, requests, Close Session; it checks that by
 * running the file through fz_run() and comparing the number of
 * requests answered.  Exit 0 once the requests are done, the session
 * closed and the replay agrees; 1 on errors (the partial file is kept);
 * 2 on usage errors.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

#define WAIT_MS		3000	/* real time for one answer */

static int
put_rec(FILE *f, uint16_t hdr, const uint8_t *p, size_t len)
{
	uint8_t h[2];

	h[0] = (uint8_t)(hdr & 0xff);
	h[1] = (uint8_t)(hdr >> 8);
	if (fwrite(h, 1, 2, f) != 2 || fwrite(p, 1, len, f) != len)
		return -1;
	return 0;
}

/* Run a captured file through the fuzz driver: requests answered. */
static int
replay(enum ipmi_iface iface, const char *path)
{
	static uint8_t buf[64 * 1024];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	(void)fclose(f);
	return fz_run(iface, buf, n);
}

int
main(int argc, char *argv[])
{
	struct fz_sess s;
	struct pollfd pfd;
	enum ipmi_iface iface;
	uint8_t pkt[FZ_PKT_MAX], sel;
	char err[256], *end;
	unsigned long v, port;
	uint16_t flag = 0;
	ssize_t n;
	int closing = 0, rc = 1, replayed;
	FILE *f;

	if (argc != 5)
		goto usage;
	if (strcmp(argv[1], "lanplus") == 0)
		iface = IPMI_IFACE_LANPLUS;
	else if (strcmp(argv[1], "lan") == 0)
		iface = IPMI_IFACE_LAN;
	else
		goto usage;
	v = strtoul(argv[2], &end, 0);
	if (*argv[2] == '\0' || *end != '\0' || v > 0xff)
		goto usage;
	sel = (uint8_t)v;
	port = strtoul(argv[3], &end, 10);
	if (*argv[3] == '\0' || *end != '\0' || port == 0 || port > 0xffff)
		goto usage;
	if ((f = fopen(argv[4], "wb")) == NULL) {
		(void)fprintf(stderr, "capture: %s: %s\n", argv[4],
		    strerror(errno));
		return 1;
	}
	if (fz_open(&s, iface, sel, (uint16_t)port, err, sizeof(err)) != 0) {
		(void)fprintf(stderr, "capture: %s\n", err);
		(void)fclose(f);
		return 1;
	}
	(void)fputc(sel, f);
	for (;;) {
		if (s.done >= FZ_NREQ && !closing) {
			ipmi_tr_close(s.tr, s.now);
			closing = 1;
			flag = FZ_REC_CLOSE;
		}
		if (closing && ipmi_tr_deadline(s.tr) == 0) {
			rc = 0;
			break;
		}
		pfd.fd = ipmi_tr_fd(s.tr);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, WAIT_MS) <= 0) {
			(void)fprintf(stderr, "capture: no answer within %d ms "
			    "(%s)\n", WAIT_MS, ipmi_tr_error(s.tr));
			break;
		}
		n = recv(pfd.fd, pkt, sizeof(pkt), 0);
		if (n < 0) {
			(void)fprintf(stderr, "capture: recv: %s\n",
			    strerror(errno));
			break;
		}
		if (put_rec(f, (uint16_t)((size_t)n | flag), pkt,
		    (size_t)n) != 0) {
			(void)fprintf(stderr, "capture: write error\n");
			break;
		}
		fz_feed(&s, flag, pkt, (size_t)n);
		flag = 0;
	}
	(void)fprintf(stderr, "capture: %s selector 0x%02x: %u/%u requests "
	    "answered, %llu sessions, last error: %s\n", argv[1], sel, s.ok,
	    s.done, (unsigned long long)ipmi_tr_stats(s.tr)->sessions,
	    ipmi_tr_error(s.tr));
	fz_finish(&s);
	if (fclose(f) != 0)
		rc = 1;
	if (rc == 0 && (replayed = replay(iface, argv[4])) != (int)s.ok) {
		(void)fprintf(stderr, "capture: %s replays with %d requests "
		    "answered, not %u\n", argv[4], replayed, s.ok);
		rc = 1;
	}
	return rc;
usage:
	(void)fprintf(stderr, "usage: capture lanplus|lan SELECTOR PORT "
	    "OUTFILE\n");
	return 2;
}
