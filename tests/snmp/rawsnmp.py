#!/usr/bin/env python3
"""Timed SNMPv2c requests from one process, for tests/bench-snmp.sh:
raw BER over one UDP socket, so no process start and no MIB loading
is timed, only request -> snmpd -> (AgentX subagent) -> answer.

  rawsnmp.py walks PORT RUNS ROUTE...
      ROUTE is NAME=OID[,OID...][@MAX]: a GETNEXT walk of each OID's
      subtree (stopping at its end); with @MAX the walk of the first
      OID goes on past its subtree until MAX values (stopping only at
      endOfMibView; the trees in SKIP, env, comma-separated, are
      stepped over uncounted), so two routes can be compared on the
      same number of values.  The routes
      are walked in turn, RUNS rounds (interleaved: a load change hits
      every route of a round alike).  Prints per round and route:
      "ROUND NAME VALUES MS P10 P50", P10 and P50 the 10th and 50th
      percentile of one GETNEXT's time in ms (the low ones are the
      requests no other process delayed).
  rawsnmp.py gets PORT N OID...
      N rounds of one GET of each OID in turn; prints per OID
      "OID answered errors p50 p99 max" (ms).
"""
import os
import socket
import struct
import sys
import time


def _len(n):
    if n < 128:
        return bytes([n])
    if n < 256:
        return bytes([0x81, n])
    return bytes([0x82]) + struct.pack(">H", n)


def tlv(t, b):
    return bytes([t]) + _len(len(b)) + b


def enc_oid(o):
    p = [int(x) for x in o.strip(".").split(".")]
    out = bytes([40 * p[0] + p[1]])
    for v in p[2:]:
        s = [v & 0x7F]
        v >>= 7
        while v:
            s.insert(0, 0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(s)
    return out


def dec_oid(b):
    p = [b[0] // 40, b[0] % 40]
    v = 0
    for c in b[1:]:
        v = (v << 7) | (c & 0x7F)
        if not c & 0x80:
            p.append(v)
            v = 0
    return "." + ".".join(str(x) for x in p)


def integer(v):
    return tlv(0x02, v.to_bytes(4, "big", signed=True))


def rd(b, i):
    """(tag, value bytes, next index) of the TLV at b[i]"""
    t = b[i]
    n = b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return t, b[i:i + n], i + n


class Client:
    def __init__(self, port):
        self.addr = ("127.0.0.1", port)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(30)   # pass_persist runs ipmitool first
        self.reqid = 0

    def ask(self, pdu_tag, oid):
        """(error-status, oid, value tag) of the first varbind"""
        self.reqid += 1
        vb = tlv(0x30, tlv(0x06, enc_oid(oid)) + b"\x05\x00")
        pdu = tlv(pdu_tag, integer(self.reqid) + integer(0) + integer(0) +
                  tlv(0x30, vb))
        self.s.sendto(tlv(0x30, integer(1) + tlv(0x04, b"public") + pdu),
                      self.addr)
        while True:
            r = self.s.recv(65536)
            _, msg, _ = rd(r, 0)
            _, _, i = rd(msg, 0)          # version
            _, _, i = rd(msg, i)          # community
            _, pdu, _ = rd(msg, i)
            _, rid, j = rd(pdu, 0)
            if int.from_bytes(rid, "big", signed=True) != self.reqid:
                continue                  # a late answer to a retry
            _, err, j = rd(pdu, j)
            _, _, j = rd(pdu, j)          # error-index
            _, vbl, _ = rd(pdu, j)
            _, vb, _ = rd(vbl, 0)
            _, o, k = rd(vb, 0)
            vt, _, _ = rd(vb, k)
            return int.from_bytes(err, "big"), dec_oid(o), vt


def under(oid, tree):
    return oid == tree or oid.startswith(tree + ".")


def after(tree):
    """the first OID past tree's subtree"""
    p = tree.split(".")
    p[-1] = str(int(p[-1]) + 1)
    return ".".join(p)


def walk(c, oids, limit, skip, lat):
    n = 0
    for k, tree in enumerate(oids):
        cur = tree
        while True:
            t0 = time.perf_counter()
            err, cur, vt = c.ask(0xA1, cur)
            lat.append(time.perf_counter() - t0)
            if err or vt in (0x80, 0x81, 0x82):
                break
            if limit is None or k > 0:
                if not under(cur, tree):
                    break
            else:
                sk = [s for s in skip if under(cur, s)]
                if sk:
                    cur = after(sk[0])
                    continue
            n += 1
            if limit is not None and k == 0 and n >= limit:
                break
    return n


def walks(port, runs, routes):
    c = Client(port)
    skip = [s for s in os.environ.get("SKIP", "").split(",") if s]
    plan = []
    for r in routes:
        name, spec = r.split("=", 1)
        limit = None
        if "@" in spec:
            spec, lim = spec.split("@")
            limit = int(lim)
        plan.append((name, spec.split(","), limit))
    for rnd in range(runs):
        for name, oids, limit in plan:
            lat = []
            t0 = time.perf_counter()
            n = walk(c, oids, limit, skip, lat)
            ms = (time.perf_counter() - t0) * 1000
            lat.sort()
            print("%d %s %d %.3f %.4f %.4f" % (
                rnd, name, n, ms, lat[len(lat) // 10] * 1000,
                lat[len(lat) // 2] * 1000), flush=True)


def gets(port, n, oids):
    c = Client(port)
    c.s.settimeout(2)
    lat = {o: [] for o in oids}
    bad = {o: 0 for o in oids}
    for _ in range(n):
        for o in oids:
            t0 = time.perf_counter()
            try:
                err, got, vt = c.ask(0xA0, o)
                lat[o].append((time.perf_counter() - t0) * 1000)
                if err or got != o or vt in (0x80, 0x81, 0x82):
                    bad[o] += 1
            except socket.timeout:
                bad[o] += 1
    for o in oids:
        v = sorted(lat[o])

        def pct(p):
            return v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")
        print("%s %d %d %.3f %.3f %.3f" % (o, len(v), bad[o], pct(0.5),
                                           pct(0.99), v[-1] if v else 0))


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "walks":
        walks(port, int(sys.argv[3]), sys.argv[4:])
    elif cmd == "gets":
        gets(port, int(sys.argv[3]), sys.argv[4:])
    else:
        sys.exit("usage: rawsnmp.py walks|gets PORT ...")


if __name__ == "__main__":
    main()
