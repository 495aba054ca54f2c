#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lan_udp.h"

/* a non-blocking UDP socket connected to sa, or -1 with errno set */
static int
lan_udp_connect(const struct sockaddr *sa, socklen_t len)
{
	int fd, e;

	fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -1;
	if (connect(fd, sa, len) != 0) {
		e = errno;
		(void)close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
lan_udp_resolve(const char *host, unsigned port, struct sockaddr_storage *ss,
    socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char serv[16];
	int fd, e, saved = EAFNOSUPPORT;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	(void)snprintf(serv, sizeof(serv), "%u", port);
	if ((e = getaddrinfo(host, serv, &hints, &res)) != 0) {
		(void)snprintf(err, errlen, "resolve %s: %s", host,
		    gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(*ss))
			continue;
		/* a UDP connect sends nothing: it only tells whether this
		 * host can reach the address family and route */
		if ((fd = lan_udp_connect(ai->ai_addr, ai->ai_addrlen)) < 0) {
			saved = errno;
			continue;
		}
		(void)close(fd);
		memset(ss, 0, sizeof(*ss));
		memcpy(ss, ai->ai_addr, ai->ai_addrlen);
		*len = ai->ai_addrlen;
		freeaddrinfo(res);
		return 0;
	}
	freeaddrinfo(res);
	(void)snprintf(err, errlen, "socket: %s", strerror(saved));
	return -1;
}

int
lan_udp_open(const char *host, unsigned port,
    const struct sockaddr_storage *addr, socklen_t addrlen, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (addrlen == 0) {
		if (lan_udp_resolve(host, port, &ss, &len, err, errlen) != 0)
			return -1;
		addr = &ss;
		addrlen = len;
	}
	if (addrlen > sizeof(*addr) || (addr->ss_family != AF_INET &&
	    addr->ss_family != AF_INET6)) {
		(void)snprintf(err, errlen, "socket: not an IPv4 or IPv6 "
		    "address");
		return -1;
	}
	if ((fd = lan_udp_connect((const struct sockaddr *)addr, addrlen)) <
	    0)
		(void)snprintf(err, errlen, "socket: %s", strerror(errno));
	return fd;
}

int
lan_udp_send(int fd, const void *p, size_t len)
{
	ssize_t n;

	do
		n = send(fd, p, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

ssize_t
lan_udp_recv(int fd, void *p, size_t cap)
{
	ssize_t n;

	do
		n = recv(fd, p, cap, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	if ((size_t)n > cap)
		return (ssize_t)cap + 1;
	return n;
}
