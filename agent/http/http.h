/*
 * HTTP(S) requests on the event loop: libcurl's multi interface driven
 * by ev (its sockets watched with ev_fd_*, its one timer an ev timer,
 * curl_multi_socket_action called from those callbacks).  No transfer
 * blocks, and there is no second loop.  This file pair is the only
 * libcurl user (tests/lint.sh); callers see none of its types.  libcurl
 * is loaded at the first http_new, not linked: a program that makes no
 * client never maps it.
 *
 * One struct http per peer: its multi handle keeps the connection cache,
 * so HTTP/1.1 keep-alive connections are reused by later requests, and
 * at most cfg.max_conns connections are open to the host at once (more
 * requests queue inside curl).  Name resolution is libcurl's threaded
 * resolver, which never blocks the loop: http_new refuses a libcurl
 * built without it (no AsynchDNS feature).
 *
 * What every request gets, whatever the caller asks: redirects are not
 * followed (a 3xx is an answer like any other, Location included), only
 * http and https are spoken, the response body is capped (the transfer
 * is aborted past cfg.body_max), the whole transfer is bounded by
 * cfg.timeout_ms, TLS peers are verified (against cfg.ca_file, or the
 * system store) unless cfg.insecure.
 *
 * Contract:
 * - done is called exactly once per http_submit that returned non-NULL,
 *   from the loop (an fd or timer handler), never from inside
 *   http_submit; unless the transfer is cancelled (http_cancel,
 *   http_free), then never.
 * - done may submit and cancel requests; it must not free the http.
 * - rsp and everything it points to are valid only during done.
 * - Error texts name the URL: "https://h:443/redfish/v1/Chassis: SSL
 *   certificate problem: unable to get local issuer certificate",
 *   "...: response body over 4 MiB", "...: timed out after 5000 ms".
 * - Secrets: a request body and password are copied and wiped when the
 *   transfer ends (libcurl keeps its own copy of a Basic password until
 *   the transfer's handle is cleaned up, which it does not wipe).
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "ev.h"

#define HTTP_BODY_MAX		(4u * 1024 * 1024)	/* default cap */
#define HTTP_TIMEOUT_MS		10000u			/* default */
#define HTTP_MAX_CONNS		2u			/* default */
#define HTTP_URL_MAX		1024
#define HTTP_HEADER_MAX		1024	/* Location, X-Auth-Token kept */
#define HTTP_ERR_MAX		(HTTP_URL_MAX + 512)

struct http_cfg {
	const char	*ca_file;	/* PEM CAs to trust, NULL: system */
	int		 insecure;	/* skip peer and host verification */
	unsigned	 timeout_ms;	/* whole transfer, 0: default */
	unsigned	 connect_timeout_ms; /* 0: the transfer timeout */
	size_t		 body_max;	/* response body cap, 0: default */
	unsigned	 max_conns;	/* to the host at once, 0: default */
};

enum http_err {
	HTTP_OK = 0,		/* an answer came, whatever its status */
	HTTP_E_CONNECT,		/* resolve, refused, unreachable */
	HTTP_E_TLS,		/* handshake or certificate */
	HTTP_E_TIMEOUT,
	HTTP_E_TOO_BIG,		/* body over the cap */
	HTTP_E_PROTOCOL,	/* malformed or truncated answer, closed */
	HTTP_E_OTHER
};
/* "connect", "tls", "timeout", "too big", "protocol", "other" */
const char	*http_strerror(enum http_err);

struct http_req {
	const char	*method;	/* "GET", "POST", "PATCH", "DELETE" */
	const char	*url;		/* http:// or https:// */
	const void	*body;		/* POST/PATCH: JSON, copied */
	size_t		 body_len;
	const char	*auth_token;	/* sent as X-Auth-Token, or NULL */
	const char	*user;		/* Basic auth, or NULL */
	const char	*password;
	/* more header lines "Name: value" (no CR or LF: refused), or
	 * NULL; copied */
	const char *const *headers;
	size_t		 nheaders;
	/* the Content-Type of body (NULL: application/json) */
	const char	*content_type;
};

struct http_rsp {
	enum http_err	 err;
	long		 status;	/* 0 without an answer */
	const char	*url;
	const char	*method;
	const char	*body;		/* NUL-terminated, body_len bytes */
	size_t		 body_len;
	const char	*location;	/* Location header, or NULL */
	const char	*auth_token;	/* X-Auth-Token header, or NULL */
	const char	*content_type;	/* or NULL */
	uint64_t	 elapsed_ms;
	const char	*error;		/* "URL: what" unless HTTP_OK */
};

typedef void	http_done_fn(void *arg, const struct http_rsp *);

struct http_stats {
	uint64_t	 requests;	/* submitted */
	uint64_t	 completed;	/* done called, any outcome */
	uint64_t	 failed;	/* err != HTTP_OK */
	uint64_t	 connects;	/* new connections (TCP, TLS) */
	uint64_t	 bytes_in;	/* response bodies */
};

struct http;
struct http_xfer;

/* ev is borrowed and must outlive the http.  The first call loads
 * libcurl (libcurl.so.4, dlopen: see http.c); NULL with a message in err
 * naming the library if it cannot be loaded, and for a libcurl without a
 * threaded resolver or an init failure. */
struct http	*http_new(struct ev *, const struct http_cfg *, char *err,
		    size_t errlen);
/* Cancel every transfer (no done is called) and close the connections.
 * Not from inside a done callback.  NULL is a no-op. */
void		 http_free(struct http *);
/* Start a request.  NULL (and err set) if it cannot be started: a URL
 * that is too long or not http(s), an unknown method. */
struct http_xfer *http_submit(struct http *, const struct http_req *,
		    http_done_fn *, void *arg, char *err, size_t errlen);
/* Abandon a transfer whose done has not run; done is never called. */
void		 http_cancel(struct http *, struct http_xfer *);
/* transfers submitted whose done has not run */
size_t		 http_pending(const struct http *);
const struct http_stats *http_stats(const struct http *);
/* "libcurl/7.88.1 OpenSSL/3.0.x ..." for logs */
const char	*http_version(void);

#endif
