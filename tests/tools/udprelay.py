#!/usr/bin/env python3
"""UDP relay between IPMI LAN clients and a BMC (ipmi_sim), for tests.

    udprelay.py --listen 127.0.0.1:0 --target 127.0.0.1:PORT
                [--delay-ms N] [--drop-first N] [--drop-every N]
                [--drop-dir both|to_bmc|from_bmc] [--dump DIR]
                [--blackhole FILE] [--port-file FILE] [--stats-file FILE]
                [--log-times FILE]

Clients send to the listen address; each client address gets its own
socket towards the target, so answers go back to the client that asked
and several clients can share one relay.

  --delay-ms N     forward every datagram N ms after it arrived; other
                   traffic keeps flowing meanwhile (timer queue + select).
                   "Arrived" is when the kernel received it (SO_TIMESTAMPNS
                   where there is one), so the relay's own time to get to
                   it is not added on top of the delay.
  --drop-first N   drop the first N datagrams
  --drop-every N   drop every Nth datagram (the Nth, 2Nth, ...)
                   Both count the datagrams of the directions --drop-dir
                   names (default both), in arrival order.
  --dump DIR       write every datagram received as DIR/NNNN-to_bmc.bin or
                   DIR/NNNN-from_bmc.bin (NNNN counts all datagrams from
                   0000, dropped ones included)
  --blackhole F    while the file F exists, the BMC is gone: every
                   datagram towards it is dropped (counted in to_bmc and
                   dropped) and its arrival time (epoch seconds, with
                   decimals) appended as a line to F.times
  --port-file F    write the bound listen port (decimal, newline) to F once
                   ready
  --stats-file F   write {"to_bmc": N, "from_bmc": N, "dropped": N,
                   "open_session": N, "session_ok": N} to F after every
                   datagram and on SIGTERM/SIGINT (to_bmc and from_bmc
                   count datagrams received from each side, dropped ones
                   included; open_session counts RMCP+ Open Session
                   Requests sent to the BMC, retransmissions included;
                   session_ok the RAKP Message 4s the BMC answered with
                   status 0, i.e. RMCP+ sessions it established); files
                   are replaced atomically; the file is written once
                   per batch of datagrams handled together, before the
                   relay waits again (so a count is there before any
                   answer it caused can come back)
  --log-times F    one line per datagram to F: direction, its arrival
                   (kernel timestamp, epoch seconds), when it was
                   forwarded (or "dropped"), and its length; to measure
                   the relay's own latency beside the delay asked for

SIGTERM or SIGINT writes the stats and exits 0.  Standard library only.
"""

import argparse
import heapq
import itertools
import json
import os
import select
import signal
import socket
import struct
import sys
import time


class Stop(Exception):
    pass


def parse_addr(text):
    """HOST:PORT or [V6HOST]:PORT -> (host, port)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


def resolve(addr):
    infos = socket.getaddrinfo(addr[0], addr[1], 0, socket.SOCK_DGRAM)
    if not infos:
        raise OSError("cannot resolve %s:%d" % addr)
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


# SO_TIMESTAMPNS: the kernel's receive time of each datagram (Linux;
# the socket module does not name it everywhere)
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS",
                         35 if sys.platform.startswith("linux") else None)


def want_timestamps(sock):
    if SO_TIMESTAMPNS is None:
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    except OSError:
        return False
    return True


def arrival(ancdata):
    """The kernel timestamp (epoch seconds) in recvmsg's ancdata, or
    the time now if there is none."""
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            if len(data) >= 16:
                sec, nsec = struct.unpack("qq", data[:16])
            else:
                sec, nsec = struct.unpack("ii", data[:8])
            return sec + nsec / 1e9
    return time.time()


def write_atomic(path, text):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


class Relay:
    def __init__(self, args):
        self.args = args
        lfam, laddr = resolve(args.listen)
        self.tfam, self.taddr = resolve(args.target)
        self.lsock = socket.socket(lfam, socket.SOCK_DGRAM)
        self.lsock.bind(laddr)
        self.lsock.setblocking(False)
        self.stamped = want_timestamps(self.lsock)
        self.cmsg = socket.CMSG_SPACE(16) if self.stamped else 0
        self.stats_dirty = False
        self.clock_off = time.time() - time.monotonic()
        self.last_due = {}      # (socket, address) -> its latest due
        self.log = open(args.log_times, "w") if args.log_times else None
        self.up = {}            # client address -> socket towards target
        self.client_of = {}     # that socket -> client address
        self.timers = []        # heap of (due, n, sock, data, addr)
        self.tick = itertools.count()
        self.stats = {"to_bmc": 0, "from_bmc": 0, "dropped": 0,
                      "open_session": 0, "session_ok": 0}
        self.seen = 0           # datagrams counted for dropping
        self.dumped = 0

    def port(self):
        return self.lsock.getsockname()[1]

    def write_stats(self):
        if self.args.stats_file:
            write_atomic(self.args.stats_file, json.dumps(self.stats) + "\n")

    def upstream(self, client):
        s = self.up.get(client)
        if s is None:
            s = socket.socket(self.tfam, socket.SOCK_DGRAM)
            s.connect(self.taddr)
            s.setblocking(False)
            if self.stamped:
                want_timestamps(s)
            self.up[client] = s
            self.client_of[s] = client
        return s

    def drop(self, direction):
        a = self.args
        if a.drop_dir != "both" and a.drop_dir != direction:
            return False
        self.seen += 1
        if self.seen <= a.drop_first:
            return True
        return a.drop_every > 0 and self.seen % a.drop_every == 0

    def dump(self, direction, data):
        if self.args.dump:
            name = "%04d-%s.bin" % (self.dumped, direction)
            with open(os.path.join(self.args.dump, name), "wb") as f:
                f.write(data)
        self.dumped += 1

    def send(self, sock, data, addr, log=None):
        if log is not None:
            self.log.write("%s %.6f %.6f %d\n" % (log[0], log[1],
                                                  time.time(), len(data)))
        try:
            if addr is None:
                sock.send(data)
            else:
                sock.sendto(data, addr)
        except OSError:
            pass        # ICMP errors from an earlier datagram, full buffers

    def count_session(self, direction, data):
        # RMCP (06 00 ff 07), then the RMCP+ session header: auth type
        # 06, payload type; the payload starts at byte 16 (IPMI v2.0
        # 13.6, 13.17-13.23): message tag, status code
        if len(data) < 6 or data[0] != 0x06 or data[3] != 0x07 or \
                data[4] != 0x06:
            return
        ptype = data[5] & 0x3f
        if direction == "to_bmc" and ptype == 0x10:
            self.stats["open_session"] += 1
        elif direction == "from_bmc" and ptype == 0x15 and \
                len(data) >= 18 and data[17] == 0:
            self.stats["session_ok"] += 1

    def gone(self, direction):
        bh = self.args.blackhole
        if not bh or direction != "to_bmc" or not os.path.exists(bh):
            return False
        with open(bh + ".times", "a") as f:
            f.write("%.3f\n" % time.time())
        return True

    def received(self, direction, sock, data, addr, at):
        self.stats[direction] += 1
        self.stats_dirty = True
        self.count_session(direction, data)
        self.dump(direction, data)
        log = (direction, at) if self.log is not None else None
        if self.gone(direction) or self.drop(direction):
            self.stats["dropped"] += 1
            if log is not None:
                self.log.write("%s %.6f dropped %d\n" % (direction, at,
                                                         len(data)))
        elif self.args.delay_ms > 0:
            # due delay_ms after the kernel had it, on the monotonic
            # clock (one fixed offset: timestamps in arrival order give
            # dues in that order): the time it waited for us is part of
            # the delay.  Never later than delay_ms from now (a clock
            # step), never before an earlier datagram of the same flow
            # (the relay delays, it does not reorder).
            delay = self.args.delay_ms / 1000.0
            due = min(at - self.clock_off + delay, time.monotonic() + delay)
            flow = (sock.fileno(), addr)
            due = max(due, self.last_due.get(flow, 0.0))
            self.last_due[flow] = due
            heapq.heappush(self.timers, (due, next(self.tick), sock, data,
                                         addr, log))
        else:
            self.send(sock, data, addr, log)

    def recv_one(self, s):
        """One datagram from s: (data, addr, arrival), or None when
        there is none left (or an ICMP error stood in its place)."""
        try:
            if self.stamped:
                data, anc, _, addr = s.recvmsg(65535, self.cmsg)
                return data, addr, arrival(anc)
            data, addr = s.recvfrom(65535)
            return data, addr, time.time()
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False    # ICMP port unreachable and the like

    def forward_due(self):
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            _, _, sock, data, addr, log = heapq.heappop(self.timers)
            self.send(sock, data, addr, log)

    def run(self):
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            socks = [self.lsock] + list(self.client_of)
            readable, _, _ = select.select(socks, [], [], timeout)
            for s in readable:
                # everything queued on it, not one datagram a wakeup
                for _ in range(256):
                    got = self.recv_one(s)
                    if got is None:
                        break
                    if got is False:
                        continue
                    data, addr, at = got
                    if s is self.lsock:
                        self.received("to_bmc", self.upstream(addr), data,
                                      None, at)
                    else:
                        self.received("from_bmc", self.lsock, data,
                                      self.client_of[s], at)
            # the counts first: nothing forwarded from here on can
            # make a client look at them before they are written
            if self.stats_dirty:
                self.write_stats()
                self.stats_dirty = False
            self.forward_due()


def main():
    p = argparse.ArgumentParser(description="UDP relay for IPMI LAN tests")
    p.add_argument("--listen", type=parse_addr, default=("127.0.0.1", 0))
    p.add_argument("--target", type=parse_addr, required=True)
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--drop-first", type=int, default=0)
    p.add_argument("--drop-every", type=int, default=0)
    p.add_argument("--drop-dir", choices=("both", "to_bmc", "from_bmc"),
                   default="both")
    p.add_argument("--dump")
    p.add_argument("--blackhole")
    p.add_argument("--port-file")
    p.add_argument("--stats-file")
    p.add_argument("--log-times")
    args = p.parse_args()
    if args.delay_ms < 0 or args.drop_first < 0 or args.drop_every < 0:
        p.error("negative counts")
    if args.dump:
        os.makedirs(args.dump, exist_ok=True)

    def stop(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    relay = Relay(args)
    try:
        relay.write_stats()
        if args.port_file:
            write_atomic(args.port_file, "%d\n" % relay.port())
        relay.run()
    except Stop:
        pass
    relay.write_stats()
    if relay.log is not None:
        relay.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
