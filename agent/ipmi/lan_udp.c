#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lan_udp.h"

int
lan_udp_open(const char *host, unsigned port, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char serv[16];
	int fd = -1, e, saved = 0;

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
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved = errno;
		(void)close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		(void)snprintf(err, errlen, "socket: %s", strerror(saved));
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
