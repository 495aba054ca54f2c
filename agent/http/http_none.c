/*
 * http.h for a build without libcurl (make NO_CURL=1): the static
 * programs of the in-band QEMU guest, which a static libcurl (Kerberos,
 * IDN, HTTP/2 and their archives) cannot be linked into.  Every client
 * is refused at http_new with a message saying so, so `bmcwatch -I
 * redfish' and bmcwatchd's Redfish targets and webhooks fail loudly in
 * such a build; IPMI is unaffected.
 */
#include <stddef.h>
#include <stdio.h>

#include "http.h"

struct http	*
http_new(struct ev *ev, const struct http_cfg *cfg, char *err, size_t errlen)
{
	(void)ev;
	(void)cfg;
	(void)snprintf(err, errlen, "HTTP is not part of this build "
	    "(built with NO_CURL=1): no Redfish, no webhooks");
	return NULL;
}

void
http_free(struct http *h)
{
	(void)h;
}

struct http_xfer *
http_submit(struct http *h, const struct http_req *req, http_done_fn *fn,
    void *arg, char *err, size_t errlen)
{
	(void)h;
	(void)req;
	(void)fn;
	(void)arg;
	(void)snprintf(err, errlen, "HTTP is not part of this build");
	return NULL;
}

void
http_cancel(struct http *h, struct http_xfer *x)
{
	(void)h;
	(void)x;
}

size_t
http_pending(const struct http *h)
{
	(void)h;
	return 0;
}

const struct http_stats *
http_stats(const struct http *h)
{
	static const struct http_stats none;

	(void)h;
	return &none;
}

const char *
http_version(void)
{
	return "none (NO_CURL=1)";
}
