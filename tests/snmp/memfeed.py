#!/usr/bin/env python3
"""Feed bmcwatch-snmp (the SNMP subagent) the watch stream of a fleet,
without a daemon or sims, and report its memory:

  memfeed.py [--agentx SOCKET] [--then CMD] [--sel N] SUBAGENT SNAPSHOT
             TARGETS ROUNDS DIR [WRAPPER...]

SNAPSHOT is one target's snapshot message (wire.h: "T NAME" and its
rows), e.g. tests/snmp/snapshot-big.txt, captured from bmcwatchd's
`watch` stream on a sim of ~120 sensors (tests/sim/mkbig.py).  Each
round sends it once per target (the target's name changed to bmcNNN,
the sensor readings changed by the round and the target, as every sweep
changes them), in frames as bmcwatchd sends them (ctl.h: "ok LEN\\n" +
payload), then waits until the subagent has read and filed all of it
(nothing left in the socket, the process asleep) and prints one line:

  round R targets N rss KIB hwm KIB anon KIB

VmRSS, VmHWM and the anonymous pages (heap and mappings) from /proc.
--sel N adds N rows of bmcwSelEntryTable to every snapshot (the
daemon sends up to 256, bmcwSelRecentMax, once a SEL has that many
entries), as mibrows.c writes them, a new entry every round.
The subagent's AgentX socket is SOCKET (a test snmpd's), or DIR/agentx
where nobody listens: its tables are filled all the same.  CMD (sh -c)
runs after the last round while the subagent still serves.  WRAPPER
(e.g. valgrind --tool=massif ...) runs the subagent.  Exits 1 if the
subagent dies or stays busy for 120 s.
"""
import fcntl
import os
import re
import socket
import struct
import subprocess
import sys
import termios
import time

SIOCOUTQ = termios.TIOCOUTQ


def status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def anon(pid):
    n = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Anonymous:"):
                n += int(line.split()[1])
    return n


def cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        w = f.read().rsplit(")", 1)[1].split()
    return w[0], int(w[11]) + int(w[12])


def idle(s, pid, deadline):
    """the subagent has read everything and sleeps (twice in a row,
    its CPU time unchanged)"""
    last = None
    while time.time() < deadline:
        q = struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCOUTQ,
                                           b"\0\0\0\0"))[0]
        st, t = cpu(pid)
        if q == 0 and st == "S":
            if last == t:
                return True
            last = t
        else:
            last = None
        time.sleep(0.05)
    return False


def hexs(t):
    return t.encode().hex().encode()


def sel_row(seq):
    """a bmcwSelEntryTable row (mibrows.c mr_sel_entries): entry seq,
    an Upper Critical assertion of CPU1 Temp"""
    rid = seq & 0xffff
    raw = bytes([rid & 0xff, rid >> 8, 2]) + \
        (1700000000 + seq).to_bytes(4, "little") + \
        bytes([0x20, 0, 4, 1, 1, 0x01, 0x59, 0x5f, 0x55])
    return (b"R 5 %d\n" % seq +
            b"c 2 u %d\nc 3 u 2\nc 4 u %d\nc 5 u %d\nc 6 u 32\n"
            % (rid, 1700000000 + seq, 1700000001 + seq) +
            b"c 7 u 1\nc 8 u 1\nc 9 i 32769\nc 10 s " + hexs("CPU1 Temp") +
            b"\nc 11 u 1\nc 12 u 9\nc 13 i 1\nc 14 i 3\nc 15 s " +
            hexs("Upper Critical going high") +
            b"\nc 16 i 2\nc 17 s " + raw.hex().encode() + b"\n")


def main():
    args = sys.argv[1:]
    agentx = then = None
    nsel = 0
    while args and args[0] in ("--agentx", "--then", "--sel"):
        if args[0] == "--agentx":
            agentx = args[1]
        elif args[0] == "--then":
            then = args[1]
        else:
            nsel = int(args[1])
        args = args[2:]
    sub, snap, n, rounds, d = args[:5]
    wrap = args[5:]
    n, rounds = int(n), int(rounds)
    base = open(snap, "rb").read()
    m = re.match(rb"T (\S+)\n", base)
    if m is None:
        sys.exit("memfeed: %s: no 'T NAME' line" % snap)
    oldhex = m.group(1).hex().encode()
    a, b = socket.socketpair()
    env = dict(os.environ, MIBS="")
    p = subprocess.Popen(wrap + [sub, "-s", str(b.fileno()), "-x",
                                 agentx or os.path.join(d, "agentx"), "-i",
                                 os.path.join(d, "index"), "-T", "1"],
                         pass_fds=[b.fileno()], env=env,
                         stderr=open(os.path.join(d, "subagent.log"),
                                     "ab"))
    b.close()
    a.settimeout(120)
    got = b""
    while not got.endswith(b"\n"):
        c = a.recv(64)
        if not c:
            sys.exit("memfeed: the subagent closed the socket")
        got += c
    # its process (under a wrapper: the wrapper's child or itself)
    pid = p.pid
    # a value cell of a sensor row ("c 15 i V"): changed by the round
    val = re.compile(rb"^(R 3 \d+\n(?:c .*\n)*?c 15 i )(-?\d+)", re.M)
    for r in range(rounds):
        for k in range(n):
            name = b"bmc%03d" % k
            msg = base.replace(b"T " + m.group(1) + b"\n",
                               b"T " + name + b"\n", 1)
            msg = msg.replace(b" s " + oldhex + b"\n",
                              b" s " + name.hex().encode() + b"\n")
            msg = val.sub(lambda x: x.group(1) +
                          str(int(x.group(2)) + (k + r) % 7).encode(),
                          msg)
            msg += b"".join(sel_row(r + i) for i in range(nsel))
            a.sendall(b"ok %d\n" % len(msg) + msg)
        if not idle(a, pid, time.time() + 120):
            p.kill()
            sys.exit("memfeed: the subagent did not file round %d" % r)
        if p.poll() is not None:
            sys.exit("memfeed: the subagent died")
        print("round %d targets %d rss %d hwm %d anon %d"
              % (r + 1, n, status(pid, "VmRSS"), status(pid, "VmHWM"),
                 anon(pid)), flush=True)
    if then is not None:
        rc = subprocess.call(["sh", "-c", then])
        if rc != 0:
            sys.exit("memfeed: %s: exit %d" % (then, rc))
    a.close()
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.terminate()
        p.wait()


main()
