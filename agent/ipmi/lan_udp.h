/*
 * The UDP socket both LAN transports use: connected, non-blocking,
 * close-on-exec.  Name resolution happens once, at open (numeric
 * addresses never block; a host name is resolved when the transport is
 * created, before the event loop depends on it).
 */
#ifndef LAN_UDP_H
#define LAN_UDP_H

#include <stddef.h>
#include <sys/types.h>

/* Returns the fd or -1 with a message in err. */
int	lan_udp_open(const char *host, unsigned port, char *err,
	    size_t errlen);
/* 0 sent; -1 failed (errno set) */
int	lan_udp_send(int fd, const void *, size_t);
/* bytes read, 0 if nothing pending, -1 on error (errno set).  A
 * datagram longer than cap is truncated and reported as cap + 1. */
ssize_t	lan_udp_recv(int fd, void *, size_t cap);

#endif
