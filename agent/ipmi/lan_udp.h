/*
 * The UDP socket both LAN transports use: connected, non-blocking,
 * close-on-exec.
 *
 * Name resolution blocks (getaddrinfo may wait for a dead DNS server),
 * so it is a step of its own: the daemon runs lan_udp_resolve() on its
 * "dns" worker (work.h) and hands the address to the transport
 * (ipmi_tr_cfg.addr), whose lan_udp_open() then never blocks.  The CLI
 * lets lan_udp_open() resolve the name itself.
 */
#ifndef LAN_UDP_H
#define LAN_UDP_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>

/*
 * Resolve host, port (blocking; thread-safe, no logging).  The first
 * address that a UDP socket can be connected to (an IPv6 answer on a
 * host without IPv6 is skipped) goes to *ss and *len.  0, or -1 with
 * "resolve HOST: why" or "socket: why" in err.
 */
int	lan_udp_resolve(const char *host, unsigned port,
	    struct sockaddr_storage *ss, socklen_t *len, char *err,
	    size_t errlen);
/*
 * The connected socket.  addrlen > 0: to addr (never blocks); 0: to
 * host, port through lan_udp_resolve() (blocks).  The fd, or -1 with a
 * message in err.
 */
int	lan_udp_open(const char *host, unsigned port,
	    const struct sockaddr_storage *addr, socklen_t addrlen, char *err,
	    size_t errlen);
/* 0 sent; -1 failed (errno set) */
int	lan_udp_send(int fd, const void *, size_t);
/* bytes read, 0 if nothing pending, -1 on error (errno set).  A
 * datagram longer than cap is truncated and reported as cap + 1. */
ssize_t	lan_udp_recv(int fd, void *, size_t cap);

#endif
