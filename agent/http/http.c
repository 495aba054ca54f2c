/*
 * libcurl's multi-socket interface on the ev loop (see http.h).  The
 * facts used: curl tells which sockets to watch, and for what, through
 * CURLMOPT_SOCKETFUNCTION (CURL_POLL_REMOVE when a socket is no longer
 * watched, also from inside curl_multi_cleanup); it asks for one
 * non-repeating timer through CURLMOPT_TIMERFUNCTION (-1: delete it);
 * both are answered with curl_multi_socket_action from the loop, after
 * which finished transfers are read with curl_multi_info_read.  libcurl
 * must not be called from inside those two callbacks, so they only
 * touch the loop's registrations.
 */
#include <curl/curl.h>

#include <ctype.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "xmem.h"

struct http_sock {
	struct http	*h;
	struct ev_fd	*w;
};

struct http_xfer {
	struct http_xfer *next, *prev;
	struct http	*h;
	CURL		*easy;
	struct curl_slist *hdrs;
	http_done_fn	*done;
	void		*arg;
	char		 url[HTTP_URL_MAX];
	char		 method[8];
	char		*out;		/* request body copy + NUL, wiped */
	size_t		 out_len;
	char		*buf;		/* response body */
	size_t		 len, cap;
	int		 too_big;
	char		 location[HTTP_HEADER_MAX];
	char		 token[HTTP_HEADER_MAX];
	char		 ctype[128];
	char		 errbuf[CURL_ERROR_SIZE];
	char		 error[HTTP_ERR_MAX];
	uint64_t	 t0;
};

struct http {
	struct ev	*ev;
	CURLM		*multi;
	struct ev_timer	*timer;
	struct http_cfg	 cfg;
	char		*ca_file;
	struct http_xfer *xfers;
	size_t		 n;
	struct http_stats stats;
};

/*
 * libcurl is loaded when the first client is made (http_new), not linked:
 * dlopen of its SONAME, the few functions used resolved into the sym_
 * pointers below (what systemd does for its optional libraries).  A
 * daemon with no Redfish target and no webhook never maps libcurl and
 * the 30 libraries it pulls in (TLS, Kerberos, LDAP, SSH, IDN ...):
 * about 4 MiB of its 11 MiB resident (bench/results.md).  Why not a
 * child process speaking HTTP for us: the multi handle already lives on
 * our loop (no second loop, no IPC protocol to write, fuzz and keep in
 * step with http.h), and a child would still cost those 4 MiB as soon
 * as one Redfish target or webhook exists.  The types and constants
 * still come from <curl/curl.h> at build time, and each pointer has the
 * type of the function it replaces, so a call is checked as before.
 *
 * Once loaded it stays loaded (curl_global_cleanup is not called: it is
 * not safe while another thread may use libcurl, and the daemon can get
 * a new Redfish target at any reload).  A failed load is tried again by
 * the next http_new: installing the library and reloading is enough.
 * The package must depend on the library by name (debian/control), as
 * dpkg-shlibdeps does not see a dlopen.
 */
#define HTTP_CURL_SONAME	"libcurl.so.4"
#define HTTP_CURL_SYMS(X)						\
	X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init)	\
	X(curl_easy_setopt) X(curl_easy_strerror) X(curl_global_init)	\
	X(curl_multi_add_handle) X(curl_multi_assign)			\
	X(curl_multi_cleanup) X(curl_multi_info_read)			\
	X(curl_multi_init) X(curl_multi_remove_handle)			\
	X(curl_multi_setopt) X(curl_multi_socket_action)		\
	X(curl_slist_append) X(curl_slist_free_all) X(curl_version)	\
	X(curl_version_info)
#define HTTP_SYM_DECL(f)	static __typeof__(f) *sym_##f;
HTTP_CURL_SYMS(HTTP_SYM_DECL)
#undef HTTP_SYM_DECL

static int	http_inited;	/* loaded and curl_global_init done */

static int
http_load(char *err, size_t errlen)
{
	const char *missing = NULL, *why;
	void *lib;

	if (http_inited)
		return 0;
	if ((lib = dlopen(HTTP_CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		(void)snprintf(err, errlen, "cannot load %s (the HTTP client "
		    "of Redfish and webhooks; Debian package libcurl4): %s",
		    HTTP_CURL_SONAME, why != NULL ? why : "dlopen failed");
		return -1;
	}
	/* the cast from dlsym's void *: POSIX guarantees it works */
#define HTTP_SYM_LOAD(f)						\
	if (missing == NULL &&						\
	    (sym_##f = (__typeof__(sym_##f))dlsym(lib, #f)) == NULL)	\
		missing = #f;
	HTTP_CURL_SYMS(HTTP_SYM_LOAD)
#undef HTTP_SYM_LOAD
	if (missing != NULL) {
		(void)snprintf(err, errlen, "cannot load %s (the HTTP client "
		    "of Redfish and webhooks): it has no %s: not libcurl 4, "
		    "or too old", HTTP_CURL_SONAME, missing);
		(void)dlclose(lib);
		return -1;
	}
	if (sym_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		(void)snprintf(err, errlen, "%s: curl_global_init failed",
		    HTTP_CURL_SONAME);
		(void)dlclose(lib);
		return -1;
	}
	http_inited = 1;
	return 0;
}

const char *
http_strerror(enum http_err e)
{
	switch (e) {
	case HTTP_OK:
		return "ok";
	case HTTP_E_CONNECT:
		return "connect";
	case HTTP_E_TLS:
		return "tls";
	case HTTP_E_TIMEOUT:
		return "timeout";
	case HTTP_E_TOO_BIG:
		return "too big";
	case HTTP_E_PROTOCOL:
		return "protocol";
	case HTTP_E_OTHER:
		break;
	}
	return "other";
}

const char *
http_version(void)
{
	if (!http_inited)
		return HTTP_CURL_SONAME " (not loaded: no HTTP client yet)";
	return sym_curl_version();
}

/* ---- loop glue ---- */

static void	http_check(struct http *);

static void
http_on_fd(int fd, unsigned events, void *arg)
{
	struct http_sock *hs = arg;
	struct http *h = hs->h;	/* hs may be freed by the action */
	int flags = 0, running;

	if (events & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	(void)sym_curl_multi_socket_action(h->multi, fd, flags, &running);
	http_check(h);
}

static int64_t
http_on_timer(void *arg)
{
	struct http *h = arg;
	int running;

	(void)sym_curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	http_check(h);
	/* curl re-arms through http_curl_timer when it needs to */
	return EV_STOP;
}

static int
http_curl_socket(CURL *easy, curl_socket_t s, int what, void *userp,
    void *sockp)
{
	struct http *h = userp;
	struct http_sock *hs = sockp;
	unsigned evs = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			ev_fd_del(h->ev, hs->w);
			free(hs);
		}
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		evs |= EV_READ;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		evs |= EV_WRITE;
	if (hs == NULL) {
		hs = xcalloc(1, sizeof(*hs));
		hs->h = h;
		hs->w = ev_fd_add(h->ev, s, evs, http_on_fd, hs);
		if (sym_curl_multi_assign(h->multi, s, hs) != CURLM_OK) {
			ev_fd_del(h->ev, hs->w);
			free(hs);
			return -1;
		}
	} else
		ev_fd_events(h->ev, hs->w, evs);
	return 0;
}

static int
http_curl_timer(CURLM *m, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)m;
	ev_timer_set(h->ev, h->timer, timeout_ms < 0 ? -1 :
	    (int64_t)timeout_ms);
	return 0;
}

/* ---- transfers ---- */

static void
http_xfer_unlink(struct http *h, struct http_xfer *x)
{
	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		h->xfers = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	x->next = x->prev = NULL;
	h->n--;
}

static void
http_xfer_free(struct http_xfer *x)
{
	if (x->easy != NULL)
		sym_curl_easy_cleanup(x->easy);
	sym_curl_slist_free_all(x->hdrs);
	if (x->out != NULL)
		freezero(x->out, x->out_len + 1);
	free(x->buf);
	explicit_bzero(x->token, sizeof(x->token));
	free(x);
}

static size_t
http_on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct http_xfer *x = arg;
	size_t len = sz * n, max = x->h->cfg.body_max, cap;

	if (len > max || x->len > max - len) {
		x->too_big = 1;
		return 0;	/* CURLE_WRITE_ERROR */
	}
	if (x->len + len + 1 > x->cap) {
		cap = x->cap ? x->cap : 4096;
		while (cap < x->len + len + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		x->buf = xreallocarray(x->buf, cap, 1);
		x->cap = cap;
	}
	memcpy(x->buf + x->len, p, len);
	x->len += len;
	return len;
}

/* copy the value of "Name: value\r\n" (read through rb, past the colon)
 * into out, without surrounding blanks; -1 if it does not fit or holds
 * a control character */
static int
http_header_value(struct rbuf *rb, char *out, size_t outlen)
{
	size_t n = 0;
	int c;

	while ((c = rd_peek(rb)) == ' ' || c == '\t')
		(void)rd_u8(rb);
	while ((c = rd_peek(rb)) >= 0 && c != '\r' && c != '\n') {
		(void)rd_u8(rb);
		if (c < 0x20 && c != '\t')
			return -1;
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
	return 0;
}

static size_t
http_on_header(char *p, size_t sz, size_t n, void *arg)
{
	static const struct {
		const char	*name;
		size_t		 off;
		size_t		 len;
	} keep[] = {
		{ "location", offsetof(struct http_xfer, location),
		    sizeof(((struct http_xfer *)0)->location) },
		{ "x-auth-token", offsetof(struct http_xfer, token),
		    sizeof(((struct http_xfer *)0)->token) },
		{ "content-type", offsetof(struct http_xfer, ctype),
		    sizeof(((struct http_xfer *)0)->ctype) },
	};
	struct http_xfer *x = arg;
	struct rbuf rb;
	char name[32];
	size_t len = sz * n, k = 0, i;
	int c;

	rb_init(&rb, p, len);
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* a new answer (after 1xx): forget the former's headers */
		x->location[0] = x->token[0] = x->ctype[0] = '\0';
		return len;
	}
	while ((c = rd_peek(&rb)) >= 0 && c != ':' && k + 1 < sizeof(name)) {
		(void)rd_u8(&rb);
		name[k++] = (char)tolower((unsigned char)c);
	}
	name[k] = '\0';
	if (rd_peek(&rb) != ':')
		return len;
	(void)rd_u8(&rb);
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		char *dst = (char *)x + keep[i].off;

		if (strcmp(name, keep[i].name) != 0)
			continue;
		/* one that does not fit is not kept: a missing token
		 * or Location is then what the caller reports */
		if (http_header_value(&rb, dst, keep[i].len) != 0)
			dst[0] = '\0';
	}
	return len;
}

static int
http_url_ok(const char *url)
{
	const unsigned char *p;

	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		return 0;
	if (strlen(url) >= HTTP_URL_MAX)
		return 0;
	for (p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	return 1;
}

static void
http_size_text(char *out, size_t len, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		(void)snprintf(out, len, "%zu MiB", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		(void)snprintf(out, len, "%zu KiB", n / 1024);
	else
		(void)snprintf(out, len, "%zu bytes", n);
}

static enum http_err
http_classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_E_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_E_TIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_E_TOO_BIG;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
		return HTTP_E_TLS;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_E_PROTOCOL;
	default:
		return HTTP_E_OTHER;
	}
}

/* rsp->err and the error text of a finished transfer */
static void
http_outcome(struct http_xfer *x, CURLcode rc, struct http_rsp *rsp)
{
	char size[32];
	const char *why;

	rsp->err = http_classify(rc);
	if (rc == CURLE_WRITE_ERROR && x->too_big)
		rsp->err = HTTP_E_TOO_BIG;
	x->error[0] = '\0';
	if (rsp->err == HTTP_E_TOO_BIG) {
		http_size_text(size, sizeof(size), x->h->cfg.body_max);
		(void)snprintf(x->error, sizeof(x->error),
		    "%s: response body over %s", x->url, size);
	} else if (rsp->err == HTTP_E_TIMEOUT)
		(void)snprintf(x->error, sizeof(x->error),
		    "%s: timed out after %u ms (%zu bytes of the answer "
		    "received)", x->url, x->h->cfg.timeout_ms, x->len);
	else if (rsp->err != HTTP_OK) {
		why = x->errbuf[0] != '\0' ? x->errbuf :
		    sym_curl_easy_strerror(rc);
		(void)snprintf(x->error, sizeof(x->error), "%s: %s", x->url,
		    why);
	}
	rsp->error = x->error;
}

static void
http_finish(struct http *h, struct http_xfer *x, CURLcode rc)
{
	struct http_rsp rsp;
	long status = 0, conns = 0;

	memset(&rsp, 0, sizeof(rsp));
	(void)sym_curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	(void)sym_curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &conns);
	h->stats.completed++;
	h->stats.connects += conns > 0 ? (uint64_t)conns : 0;
	h->stats.bytes_in += x->len;
	http_outcome(x, rc, &rsp);
	if (rsp.err != HTTP_OK)
		h->stats.failed++;
	if (x->buf == NULL) {
		x->buf = xmalloc(1);
		x->cap = 1;
	}
	x->buf[x->len] = '\0';
	rsp.status = status;
	rsp.url = x->url;
	rsp.method = x->method;
	rsp.body = x->buf;
	rsp.body_len = x->len;
	rsp.location = x->location[0] != '\0' ? x->location : NULL;
	rsp.auth_token = x->token[0] != '\0' ? x->token : NULL;
	rsp.content_type = x->ctype[0] != '\0' ? x->ctype : NULL;
	rsp.elapsed_ms = ev_now() - x->t0;
	x->done(x->arg, &rsp);
	http_xfer_free(x);
}

/* hand every finished transfer to its owner */
static void
http_check(struct http *h)
{
	struct http_xfer *x;
	CURLMsg *m;
	CURLcode rc;
	char *priv;
	int left;

	while ((m = sym_curl_multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		rc = m->data.result;
		priv = NULL;
		(void)sym_curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		    &priv);
		x = (struct http_xfer *)(void *)priv;
		if (x == NULL)
			continue;
		(void)sym_curl_multi_remove_handle(h->multi, x->easy);
		http_xfer_unlink(h, x);
		http_finish(h, x, rc);
	}
}

struct http *
http_new(struct ev *ev, const struct http_cfg *cfg, char *err,
    size_t errlen)
{
	const curl_version_info_data *vi;
	struct http *h;
	long conns;

	if (http_load(err, errlen) != 0)
		return NULL;
	vi = sym_curl_version_info(CURLVERSION_NOW);
	if (vi == NULL || !(vi->features & CURL_VERSION_ASYNCHDNS)) {
		/* the blocking resolver would stall the loop on every new
		 * connection to a name */
		(void)snprintf(err, errlen, "libcurl %s has no threaded "
		    "resolver (feature AsynchDNS): name lookups would block "
		    "the event loop; install a libcurl built with it "
		    "(Debian's libcurl4 is)", vi != NULL ? vi->version : "?");
		return NULL;
	}
	if (!(vi->features & CURL_VERSION_SSL)) {
		(void)snprintf(err, errlen, "libcurl %s has no TLS support",
		    vi->version);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->ev = ev;
	if (cfg != NULL)
		h->cfg = *cfg;
	if (h->cfg.timeout_ms == 0)
		h->cfg.timeout_ms = HTTP_TIMEOUT_MS;
	if (h->cfg.connect_timeout_ms == 0 ||
	    h->cfg.connect_timeout_ms > h->cfg.timeout_ms)
		h->cfg.connect_timeout_ms = h->cfg.timeout_ms;
	if (h->cfg.body_max == 0)
		h->cfg.body_max = HTTP_BODY_MAX;
	if (h->cfg.max_conns == 0)
		h->cfg.max_conns = HTTP_MAX_CONNS;
	if (h->cfg.ca_file != NULL)
		h->ca_file = xstrdup(h->cfg.ca_file);
	h->cfg.ca_file = h->ca_file;
	if ((h->multi = sym_curl_multi_init()) == NULL) {
		(void)snprintf(err, errlen, "libcurl: curl_multi_init failed");
		free(h->ca_file);
		free(h);
		return NULL;
	}
	h->timer = ev_timer_add(ev, -1, http_on_timer, h);
	conns = (long)h->cfg.max_conns;
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION,
	    http_curl_socket);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION,
	    http_curl_timer);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_NOTHING);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    conns);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    conns);
	(void)sym_curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, conns);
	return h;
}

void
http_free(struct http *h)
{
	struct http_xfer *x;

	if (h == NULL)
		return;
	while ((x = h->xfers) != NULL) {
		/* the list's head has no prev (http_submit), so the unlink
		 * moves h->xfers on: x is never read again once freed */
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		(void)sym_curl_multi_remove_handle(h->multi, x->easy);
		http_xfer_unlink(h, x);
		http_xfer_free(x);
	}
	/* closes the cached connections, calling http_curl_socket with
	 * CURL_POLL_REMOVE: h is still whole here */
	(void)sym_curl_multi_cleanup(h->multi);
	ev_timer_del(h->ev, h->timer);
	free(h->ca_file);
	free(h);
}

static int
http_setup(struct http *h, struct http_xfer *x, const struct http_req *r,
    char *err, size_t errlen)
{
	CURL *e = x->easy;
	char line[HTTP_HEADER_MAX + 32];
	size_t i;

	(void)sym_curl_easy_setopt(e, CURLOPT_URL, x->url);
	(void)sym_curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)x);
	(void)sym_curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	(void)sym_curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	(void)sym_curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_data);
	(void)sym_curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	(void)sym_curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
	(void)sym_curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	(void)sym_curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    (long)h->cfg.timeout_ms);
	(void)sym_curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)h->cfg.connect_timeout_ms);
	(void)sym_curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->cfg.body_max);
	/* never follow a redirect, never speak anything but http(s) */
	(void)sym_curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (sym_curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    "http,https") != CURLE_OK ||
	    sym_curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR,
	    "http,https") != CURLE_OK) {
		(void)snprintf(err, errlen, "%s: libcurl cannot restrict "
		    "protocols (CURLOPT_PROTOCOLS_STR needs 7.85)", x->url);
		return -1;
	}
	/* a BMC on a management network: no proxy from the environment */
	(void)sym_curl_easy_setopt(e, CURLOPT_PROXY, "");
	(void)sym_curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1);
	(void)sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER,
	    h->cfg.insecure ? 0L : 1L);
	(void)sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST,
	    h->cfg.insecure ? 0L : 2L);
	if (h->ca_file != NULL)
		(void)sym_curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
	x->hdrs = sym_curl_slist_append(x->hdrs, "Accept: application/json");
	x->hdrs = sym_curl_slist_append(x->hdrs, "OData-Version: 4.0");
	x->hdrs = sym_curl_slist_append(x->hdrs, "Expect:");
	if (r->auth_token != NULL) {
		if (snprintf(line, sizeof(line), "X-Auth-Token: %s",
		    r->auth_token) >= (int)sizeof(line)) {
			(void)snprintf(err, errlen, "%s: session token too "
			    "long", x->url);
			return -1;
		}
		x->hdrs = sym_curl_slist_append(x->hdrs, line);
		explicit_bzero(line, sizeof(line));
	}
	for (i = 0; i < r->nheaders; i++) {
		if (strpbrk(r->headers[i], "\r\n") != NULL ||
		    strchr(r->headers[i], ':') == NULL) {
			(void)snprintf(err, errlen, "%s: header %zu is not one "
			    "\"Name: value\" line", x->url, i);
			return -1;
		}
		x->hdrs = sym_curl_slist_append(x->hdrs, r->headers[i]);
	}
	if (r->user != NULL) {
		(void)sym_curl_easy_setopt(e, CURLOPT_HTTPAUTH,
		    (long)CURLAUTH_BASIC);
		(void)sym_curl_easy_setopt(e, CURLOPT_USERNAME, r->user);
		(void)sym_curl_easy_setopt(e, CURLOPT_PASSWORD,
		    r->password != NULL ? r->password : "");
	}
	if (strcmp(x->method, "GET") == 0)
		(void)sym_curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else {
		if (strcmp(x->method, "POST") == 0)
			(void)sym_curl_easy_setopt(e, CURLOPT_POST, 1L);
		else
			(void)sym_curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
			    x->method);
		if (x->out != NULL) {
			if (r->content_type != NULL && snprintf(line,
			    sizeof(line), "Content-Type: %s",
			    r->content_type) < (int)sizeof(line))
				x->hdrs = sym_curl_slist_append(x->hdrs, line);
			else
				x->hdrs = sym_curl_slist_append(x->hdrs,
				    "Content-Type: application/json");
			(void)sym_curl_easy_setopt(e, CURLOPT_POSTFIELDS,
			    x->out);
			(void)sym_curl_easy_setopt(e,
			    CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)x->out_len);
		} else if (strcmp(x->method, "POST") == 0) {
			(void)sym_curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
			(void)sym_curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
			    0L);
		}
	}
	if (x->hdrs == NULL) {
		(void)snprintf(err, errlen, "%s: out of memory", x->url);
		return -1;
	}
	(void)sym_curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	return 0;
}

struct http_xfer *
http_submit(struct http *h, const struct http_req *r, http_done_fn *done,
    void *arg, char *err, size_t errlen)
{
	static const char *const methods[] = {
		"GET", "POST", "PATCH", "DELETE"
	};
	struct http_xfer *x;
	size_t i;

	if (r->url == NULL || !http_url_ok(r->url)) {
		(void)snprintf(err, errlen, "%.*s: not an http(s) URL",
		    HTTP_URL_MAX, r->url != NULL ? r->url : "(null)");
		return NULL;
	}
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (r->method != NULL && strcmp(r->method, methods[i]) == 0)
			break;
	if (i == sizeof(methods) / sizeof(methods[0])) {
		(void)snprintf(err, errlen, "%s: method %s not supported",
		    r->url, r->method != NULL ? r->method : "(null)");
		return NULL;
	}
	x = xcalloc(1, sizeof(*x));
	x->h = h;
	x->done = done;
	x->arg = arg;
	(void)snprintf(x->url, sizeof(x->url), "%s", r->url);
	(void)snprintf(x->method, sizeof(x->method), "%s", methods[i]);
	if (r->body != NULL) {
		x->out = xmalloc(r->body_len + 1);
		memcpy(x->out, r->body, r->body_len);
		x->out[r->body_len] = '\0';
		x->out_len = r->body_len;
	}
	if ((x->easy = sym_curl_easy_init()) == NULL) {
		(void)snprintf(err, errlen, "%s: curl_easy_init failed",
		    x->url);
		http_xfer_free(x);
		return NULL;
	}
	if (http_setup(h, x, r, err, errlen) != 0) {
		http_xfer_free(x);
		return NULL;
	}
	x->t0 = ev_now();
	x->next = h->xfers;
	if (h->xfers != NULL)
		h->xfers->prev = x;
	h->xfers = x;
	h->n++;
	/* curl asks for its timer from inside: the transfer starts on the
	 * loop's next turn */
	if (sym_curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		http_xfer_unlink(h, x);
		(void)snprintf(err, errlen, "%s: curl_multi_add_handle failed",
		    x->url);
		http_xfer_free(x);
		return NULL;
	}
	h->stats.requests++;
	return x;
}

void
http_cancel(struct http *h, struct http_xfer *x)
{
	if (x == NULL)
		return;
	(void)sym_curl_multi_remove_handle(h->multi, x->easy);
	http_xfer_unlink(h, x);
	http_xfer_free(x);
}

size_t
http_pending(const struct http *h)
{
	return h->n;
}

const struct http_stats *
http_stats(const struct http *h)
{
	return &h->stats;
}
