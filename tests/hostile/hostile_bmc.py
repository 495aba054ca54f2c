#!/usr/bin/env python3
"""A hostile IPMI 2.0 BMC on loopback, for tests of bmcwatchd.

    hostile_bmc.py serve --port-file F --password-file PW [--sdr SDR.BIN]
                   [--user admin] [--sel N] [--log FILE]
    hostile_bmc.py ctl CTLPORT COMMAND [ARG...]

`serve` answers IPMI LAN on 127.0.0.1 (a free port) and listens for
control datagrams on a second port; F gets "PORT CTLPORT".  It opens
RMCP+ sessions by the book (IPMI v2.0 section 13: Get Channel
Authentication Capabilities, Get Channel Cipher Suites, Open Session,
RAKP 1-4 with HMAC-SHA1 or HMAC-SHA256, integrity HMAC-SHA1-96 or
HMAC-SHA256-128, AES-CBC-128: cipher suites 1, 2, 3, 15, 16 and 17), keeps a
small BMC behind them (Device ID, GUIDs, an SDR repository loaded from
SDR.BIN -- raw records as `sdrcomp -r` writes them --, sensor readings,
a SEL with reservations, clear and delete, chassis status; without
--sdr the repository holds one Management Controller Device Locator
record), and
misbehaves on command.  Control commands (one datagram each, answered
with one datagram "ok ..." or "err ..."):

  mode NAME [ARG]   how in-session answers go from now on:
    good            by the book
    truncate        cut short at a random length (alternating: inside the
                    session header, inside the payload, one byte short)
    oversize        the answer followed by up to 60000 junk bytes, or
                    with a payload length field larger than the datagram
    wrongsid        another session id (the AuthCode right for it)
    replay          the previous answer datagram again, byte for byte
                    (a sequence number already used), then this one
    outwindow       first a copy with completion code FFh under a
                    sequence number 20 behind the highest sent (out of
                    the window; AuthCode right), then the right answer
    badicv          the last AuthCode byte flipped
    badpad          integrity pad bytes not FFh / pad length wrong /
                    AES pad bytes wrong (in turn), AuthCode right
    cc XX [CMD]     every command (Close Session excepted), or only the
                    command CMD (hex: 2d Get Sensor Reading), answered
                    with completion code XXh and no data
    late SECS       every answer sent SECS seconds later (default 3)
    wrongreq        the answer to another request: rqSeq off by one, or
                    another command byte (in turn), otherwise right
    sdrchange       every Get SDR Repository Info and every Get SDR
                    bump the repository's addition timestamp; every Get
                    SDR also swaps the record set (one record fewer,
                    sensor names changed) and cancels the reservation
    selvanish       every Get SEL Info adds 4 entries; every Get SEL
                    Entry deletes the entry its "next" field names (read
                    next, it is gone: CBh), and every other one deletes
                    the entry asked for first
    silence         nothing answered at all (session set-up included)
    flood           every answer preceded by 200 junk datagrams (random
                    bytes, forged RMCP+ under the live session id), and
                    500 unsolicited datagrams a second to the last peer
    rakp2bad        RAKP 2's key exchange code wrong
    rakp4bad        RAKP 4's integrity check value wrong
    downgrade       Open Session answered with algorithms "none"
  seladd N          add N SEL entries (system event records)
  chassis XX XX XX [XX]   Get Chassis Status answers these bytes from now
                    on (IPMI v2.0 section 28.2: current power state,
                    last power event, misc. chassis state, front panel);
                    default 01 00 00 00
  sol NAME [XX]     how Serial over LAN goes from the next Activate
                    Payload on (IPMI v2.0 sections 15, 24; instance 1,
                    payload on the session's own port, every console
                    packet acknowledged by the book unless NAME says
                    otherwise).  The console's bytes (soldata) are sent
                    in packets of 1-200 characters, each resent every
                    0.3 s until acknowledged, what a partial acceptance
                    left under the next sequence number; once all are
                    acknowledged the BMC sends "SOL deactivating" (the
                    console ends; its instance is free again):
    good            as said
    stay            no end: the instance stays active (SIGTERM ends the
                    console, whose Deactivate Payload is answered FFh
                    with text data)
    status          the data packets carry the status bits in turn:
                    break, transmit overrun, character transfer
                    unavailable (and available again)
    oversize        packets of 256-430 characters (more than an accepted
                    count can acknowledge), and before every third one
                    a SOL payload too large for any IPMI LAN datagram
                    (600-1400 bytes of text)
    truncate        before every packet, SOL payloads of 0-3 bytes
                    (shorter than the header) and text under sequence
                    number 0 (a packet that may carry no characters)
    nak             every keystroke packet NACKed, nothing accepted, 30
                    more NACKs for random sequence numbers after each
                    (a storm); ends once the data is out and 12 NACKs
                    answered keystrokes
    taken           once the data is out, Get Payload Instance Info
                    names another session (ID 4A325B1Bh: the bytes of
                    ESC [ 2 J) as the instance's holder
    silence         once the data is out, nothing is answered (as mode
                    silence)
    cc XX           Activate Payload answered with completion code XXh
                    and text as data
    busy            Activate Payload answered 80h (active on another
                    session), Get Payload Instance Info naming session
                    4A325B1Bh, its payload info bytes text
    port            Activate Payload answered, the payload on another
                    UDP port (the session's + 1)
    short           Activate Payload answered with 5 bytes of text
    cfgcc XX        Get SOL Configuration Parameters answered with
                    completion code XXh and text; the rest as good
                  "text" here is HOSTILE below: escape sequences (CSI,
                  OSC, a terminal reset), C1 controls, DEL, NUL, 0xff and
                  the word HOSTILE, which a console may never show as
                  its own.
  soldata FILE      the console's bytes from now on (at most 1 MB)
  stats             answer with the counters as JSON

Standard library plus python3-cryptography (AES).  Test code: bounded
buffers, no state grows without a cap (sessions <= 64, SEL <= 2000).
"""

import argparse
import hashlib
import heapq
import hmac
import json
import os
import random
import select
import socket
import struct
import sys
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MODES = ("good", "truncate", "oversize", "wrongsid", "replay", "outwindow",
         "badicv", "badpad", "cc", "late", "wrongreq", "sdrchange",
         "selvanish", "silence", "flood", "rakp2bad", "rakp4bad",
         "downgrade")

# table 22-20: suite id -> (auth, integrity, confidentiality)
SUITES = {1: (1, 0, 0), 2: (1, 1, 0), 3: (1, 1, 1),
          15: (3, 0, 0), 16: (3, 4, 0), 17: (3, 4, 1)}
ALG2SUITE = {v: k for k, v in SUITES.items()}

DEVID = bytes([0x20, 0x81, 0x02, 0x45, 0x02, 0xbf, 0x57, 0x01, 0x00,
               0x34, 0x12, 0x11, 0x22, 0x33, 0x44])
GUID = bytes(range(0x40, 0x50))
SEL_MAX = 2000
SESS_MAX = 64
SOL_MODES = ("good", "stay", "status", "oversize", "truncate", "nak",
             "taken", "silence", "cc", "busy", "port", "short", "cfgcc")
SOL_DATA_MAX = 1 << 20
# what a hostile BMC writes where a console might show text: escape
# sequences, C1 controls, DEL, NUL, 0xff and a word to look for
HOSTILE = (b"\x1b]0;HOSTILE title\x07\x1b[2J\x1b[31mHOSTILE\x9b1m\x9d2;x"
           b"\x9c\x90q\x7f\x00\x1bc\x08\x0e\xff\r\n")
# a session ID whose bytes are ESC [ 2 J
EVIL_SID = 0x4a325b1b


def csum(b):
    return (-sum(b)) & 0xff


def hmac_auth(auth, key, data):
    h = hashlib.sha1 if auth == 1 else hashlib.sha256
    return hmac.new(key, data, h).digest()


def hlen(auth):
    return 20 if auth == 1 else 32


def icvlen(integ):
    return 12 if integ == 1 else 16 if integ == 4 else 0


class Sess:
    def __init__(self):
        self.state = "opened"
        self.auth = self.integ = self.conf = 0
        self.msid = self.csid = 0
        self.tag = 0
        self.rm = self.rc = b""
        self.role = 0
        self.user = b""
        self.sik = self.k1 = self.k2 = b""
        self.out_seq = 0
        self.in_seq = 0
        self.last_pkt = None
        self.peer = None


class Sol:
    """Serial over LAN, the BMC's side (IPMI v2.0 sections 15.9-15.14,
    24.1-24.5, 26.3): one payload instance, one packet outstanding each
    way, misbehaving as `mode' says (see `sol' above)."""

    RETRY_S = 0.3

    def __init__(self, bmc):
        self.bmc = bmc
        self.mode = "good"
        self.arg = None
        self.data = b""
        self.holder = None		# the Sess whose instance 1 is active
        self.addr = None
        self.c = {"activations": 0, "pkts_out": 0, "retransmits": 0,
                  "acks_in": 0, "partial_in": 0, "keys_in": 0,
                  "nacks_out": 0, "junk_out": 0, "deactivating_out": 0,
                  "bad_in": 0}
        self.reset()

    def reset(self):
        self.rng = random.Random(14)	# the same packets every run
        self.pos = 0			# data[:pos] acknowledged
        self.seq = 0
        self.out = None			# [seq, bytes, tries, sent at]
        self.nacks = 0
        self.turn = 0
        self.done = False		# all data acknowledged

    def set_mode(self, mode, arg):
        """From now on; an instance active is forgotten."""
        self.mode = mode
        self.arg = arg
        self.holder = None
        self.reset()

    def closed(self, s):
        if self.holder is s:
            self.holder = None

    # ---- commands --------------------------------------------------
    def config(self, d):
        """Get SOL Configuration Parameters (26.3): SOL Retry, 3 times
        every 100 ms; the rest unsupported (80h)."""
        if self.mode == "cfgcc":
            return self.arg if self.arg is not None else 0xd5, HOSTILE
        if len(d) >= 2 and d[1] & 0x7f == 4:
            return 0, bytes([0x11, 0x03, 10])
        return 0x80, b""

    def command(self, s, cmd, d):
        if len(d) < 2 or d[0] != 0x01:
            return 0xcc, b""
        inst = d[1] & 0x0f
        if cmd == 0x48:			# Activate Payload
            return self.activate(s, inst)
        if cmd == 0x49:			# Deactivate Payload
            if self.mode == "stay" and self.holder is s:
                self.holder = None
                return 0xff, HOSTILE
            if self.holder is None or inst != 1:
                return 0x80, b""
            self.holder = None
            return 0, b""
        if cmd == 0x4a:			# Get Payload Activation Status
            on = self.holder is not None
            return 0, bytes([0x01, 0x01 if on else 0x00, 0x00])
        # Get Payload Instance Info
        if self.mode == "busy":
            return 0, struct.pack("<I", EVIL_SID) + HOSTILE[:8]
        if self.holder is None or inst != 1:
            return 0, bytes(12)
        sid = self.holder.csid
        if self.mode == "taken" and self.done:
            sid = EVIL_SID
        return 0, struct.pack("<I", sid) + bytes([1]) + bytes(7)

    def activate(self, s, inst):
        if inst != 1:
            return 0x82, b""
        if self.mode == "cc":
            return self.arg if self.arg is not None else 0x81, HOSTILE
        if self.mode == "busy":
            return 0x80, HOSTILE
        if self.mode == "short":
            return 0, HOSTILE[:5]
        self.c["activations"] += 1
        port = self.bmc.sock.getsockname()[1]
        if self.mode == "port":
            # given back at once by the console: never active here
            return 0, struct.pack("<IHHHH", 0, 0x68, 0x104, port + 1,
                                  0xffff)
        self.reset()
        self.holder = s
        self.addr = s.peer
        inbound = 0x14 if self.mode == "nak" else 0x68
        return 0, struct.pack("<IHHHH", 0, inbound, 0x104, port, 0xffff)

    # ---- payloads --------------------------------------------------
    def send(self, pkt):
        s = self.holder
        if s is None or s.csid not in self.bmc.sessions:
            self.holder = None
            return
        self.bmc.send(self.bmc.wrap(s, 0x01, pkt), self.addr)

    def on_payload(self, s, addr, body):
        """A SOL payload from the console."""
        if s is not self.holder or len(body) < 4:
            self.c["bad_in"] += 1
            return
        self.addr = addr
        seq, ack, acc = body[0] & 0x0f, body[1] & 0x0f, body[2]
        data = body[4:]
        if ack and self.out is not None and ack == self.out[0]:
            self.c["acks_in"] += 1
            n = min(acc, len(self.out[1]))
            if n < len(self.out[1]):
                self.c["partial_in"] += 1
            self.pos += n
            self.out = None
            if self.pos >= len(self.data):
                self.done = True
        if seq == 0 or not data:
            return
        self.c["keys_in"] += len(data)
        if self.mode == "nak":
            self.nak(seq)
            return
        self.send(bytes([0, seq, len(data) & 0xff, 0]))

    def nak(self, seq):
        self.nacks += 1
        self.c["nacks_out"] += 1
        self.send(bytes([0, seq, 0, 0x40]))
        for _ in range(30):		# the storm
            self.c["nacks_out"] += 1
            self.send(bytes([0, self.rng.randint(1, 15), 0, 0x40]))

    def junk(self):
        """What may never reach the console's user (truncate, oversize)."""
        if self.mode == "truncate":
            for n in range(4):
                self.c["junk_out"] += 1
                self.send(bytes([0x1b, 0x9b, 0x10][:n]))
            self.c["junk_out"] += 1
            self.send(bytes([0, 0, 0, 0]) + HOSTILE)
        elif self.mode == "oversize" and self.turn % 3 == 0:
            self.c["junk_out"] += 1
            n = self.rng.randint(600, 1400)
            self.send(bytes([self.seq % 15 + 1, 0, 0, 0]) +
                      (HOSTILE * 40)[:n])

    def status(self):
        if self.mode != "status":
            return 0
        return (0x04, 0x08, 0x20, 0x00, 0x2c, 0x00)[self.turn % 6]

    def tick(self, now):
        if self.holder is None:
            return
        if self.holder.csid not in self.bmc.sessions:
            self.holder = None
            return
        if self.out is not None:
            if now - self.out[3] >= self.RETRY_S:
                self.out[2] += 1
                self.out[3] = now
                self.c["retransmits"] += 1
                self.send(self.out[4])
            return
        if self.pos < len(self.data):
            if self.mode == "oversize":
                n = self.rng.randint(256, 430)
            else:
                n = self.rng.randint(1, 200)
            self.junk()
            self.seq = self.seq % 15 + 1
            chunk = self.data[self.pos:self.pos + n]
            pkt = bytes([self.seq, 0, 0, self.status()]) + chunk
            self.turn += 1
            self.out = [self.seq, chunk, 1, now, pkt]
            self.c["pkts_out"] += 1
            self.send(pkt)
            return
        self.done = True
        if self.mode in ("stay", "taken"):
            return
        if self.mode == "silence":
            self.bmc.mode = "silence"
            self.holder = None
            return
        if self.mode == "nak" and self.nacks < 12:
            return
        # all out: "SOL deactivating" (the instance is free again)
        self.c["deactivating_out"] += 1
        self.send(bytes([0, 0, 0, 0x10]))
        self.holder = None


class BMC:
    def __init__(self, args):
        self.user = args.user.encode()
        pw = open(args.password_file, "rb").read().split(b"\n")[0]
        self.pw = pw[:20].ljust(20, b"\0")
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.ctl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.ctl.bind(("127.0.0.1", 0))
        self.ctl.setblocking(False)
        self.mode = "good"
        self.arg = None
        self.only = None
        self.turn = 0
        self.chassis = bytes([0x01, 0x00, 0x00, 0x00])
        self.sessions = {}
        self.next_sid = 0x7a000001
        self.later = []			# (time, n, packet, addr)
        self.later_n = 0
        self.last_peer = None
        self.res_sdr = 1
        self.res_sel = 1
        self.sdr_add_ts = 0x60000000
        self.sdr_alt = False
        self.sdr_a = self.load_sdr(args.sdr)
        self.sdr_b = self.alter_sdr(self.sdr_a)
        self.sel = []			# [(recid, 16 bytes)]
        self.sel_next = 1
        self.sel_add_ts = self.sel_erase_ts = 0x60000000
        self.c = {"pkts": 0, "bytes_in": 0, "sent": 0, "reqs": 0,
                  "sessions": 0, "opens": 0, "closes": 0, "bad_in": 0,
                  "misbehaved": 0, "rakp3_bad": 0, "sel_deleted": 0,
                  "sel_clears": 0, "sdr_reads": 0, "sel_reads": 0,
                  "sensor_reads": 0, "flood_sent": 0, "late_sent": 0}
        self.add_sel(args.sel)
        self.log = open(args.log, "a") if args.log else None
        self.flood_t = 0.0
        self.sol = Sol(self)

    # ---- model -------------------------------------------------------
    @staticmethod
    def load_sdr(path):
        if path is None:
            # one MC Device Locator (section 43.9), ID "hostile"
            body = bytes([0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                          0x00, 0x00, 0xc7]) + b"hostile"
            return [bytes([0x01, 0x00, 0x51, 0x12, len(body)]) + body]
        raw = open(path, "rb").read()
        recs, p, rid = [], 0, 1
        while p + 5 <= len(raw):
            n = 5 + raw[p + 4]
            r = bytearray(raw[p:p + n])
            if len(r) != n:
                break
            r[0:2] = struct.pack("<H", rid)
            recs.append(bytes(r))
            rid += 1
            p += n
        if not recs:
            sys.exit("hostile_bmc: no SDR records in %s" % path)
        return recs

    @staticmethod
    def alter_sdr(recs):
        out = []
        for r in recs[:-1] if len(recs) > 1 else recs:
            r = bytearray(r)
            if r[3] in (0x01, 0x02) and len(r) > 20:
                r[-1] = ord("X")	# last ID string byte
            out.append(bytes(r))
        return out

    def sdr(self):
        return self.sdr_b if self.sdr_alt else self.sdr_a

    def add_sel(self, n):
        for _ in range(n):
            if len(self.sel) >= SEL_MAX:
                break
            rid = self.sel_next
            self.sel_next = self.sel_next + 1 if self.sel_next < 0xfffd \
                else 1
            self.sel_add_ts += 1
            body = struct.pack("<HBIHBBBBBBB", rid, 0x02, self.sel_add_ts,
                               0x0020, 0x04, 0x01, 0x01, 0x01,
                               0x57, rid & 0xff, 0x60)
            self.sel.append((rid, body))

    # ---- output ------------------------------------------------------
    def send(self, pkt, addr, delay=0.0):
        if delay > 0:
            self.later_n += 1
            heapq.heappush(self.later,
                           (time.monotonic() + delay, self.later_n, pkt,
                            addr))
            return
        try:
            self.sock.sendto(pkt, addr)
            self.c["sent"] += 1
        except OSError:
            pass

    def wrap(self, s, ptype, msg, sid=None, seq=None, bad=""):
        """An RMCP+ packet (13.8, 13.28, 13.29) in session s (or none)."""
        hdr = bytearray(b"\x06\x00\xff\x07\x06")
        insess = s is not None and s.state == "active"
        flags = ptype
        if insess and s.conf == 1:
            flags |= 0x80
            pad = (16 - (len(msg) + 1) % 16) % 16
            plain = bytearray(msg + bytes(range(1, pad + 1)) + bytes([pad]))
            if "aespad" in bad and pad > 0:
                plain[len(msg)] ^= 0x40
            elif "aespad" in bad:
                plain = bytearray(msg + bytes(range(1, 16)) + bytes([15])
                                  + bytes(16))
                plain[-1] = 31		# pad length > 15
            iv = os.urandom(16)
            enc = Cipher(algorithms.AES(s.k2[:16]), modes.CBC(iv)).encryptor()
            body = iv + enc.update(bytes(plain)) + enc.finalize()
        else:
            body = bytes(msg)
        if insess and s.integ:
            flags |= 0x40
        if sid is None:
            sid = s.msid if insess else 0
        if seq is None:
            if insess:
                s.out_seq = (s.out_seq + 1) & 0xffffffff or 1
                seq = s.out_seq
            else:
                seq = 0
        hdr += bytes([flags]) + struct.pack("<IIH", sid, seq, len(body))
        pkt = hdr + body
        if insess and s.integ:
            pad = 0
            while (len(pkt) - 4 + pad + 2) % 4:
                pad += 1
            padb = bytes([0xff]) * pad
            padlen = pad
            if "intpad" in bad:
                if pad > 0:
                    padb = bytes([0x00]) * pad
                else:
                    padlen = 3
            pkt += padb + bytes([padlen, 0x07])
            a = 1 if s.integ == 1 else 3
            mac = hmac_auth(a, s.k1, bytes(pkt[4:]))[:icvlen(s.integ)]
            if "icv" in bad:
                mac = mac[:-1] + bytes([mac[-1] ^ 1])
            pkt += mac
        return bytes(pkt)

    @staticmethod
    def rspmsg(req, cc, data=b"", seq_off=0, cmd=None):
        """IPMI response message for the request fields req."""
        netfn, rqseqlun, c = req
        m = bytearray([0x81, ((netfn | 1) << 2) & 0xff])
        m.append(csum(m))
        body = bytearray([0x20, ((rqseqlun & 0xfc) + (seq_off << 2)) & 0xff
                          | (rqseqlun & 3),
                          c if cmd is None else cmd, cc]) + data
        return bytes(m + body + bytes([csum(body)]))

    # ---- input -------------------------------------------------------
    def on_packet(self, pkt, addr):
        self.c["pkts"] += 1
        self.c["bytes_in"] += len(pkt)
        self.last_peer = addr
        if self.mode == "silence":
            return
        if len(pkt) < 5 or pkt[:4] != b"\x06\x00\xff\x07":
            self.c["bad_in"] += 1
            return
        if pkt[4] == 0x00:
            self.authcap(pkt, addr)
            return
        if pkt[4] != 0x06 or len(pkt) < 16:
            self.c["bad_in"] += 1
            return
        ptype = pkt[5] & 0x3f
        sid, seq, plen = struct.unpack("<IIH", pkt[6:16])
        if sid != 0:
            self.in_session(pkt, addr, sid, seq, plen)
            return
        body = pkt[16:16 + plen]
        if len(body) != plen:
            self.c["bad_in"] += 1
            return
        if ptype == 0x00:
            self.cipher_suites(body, addr)
        elif ptype == 0x10:
            self.open_session(body, addr)
        elif ptype == 0x12:
            self.rakp1(body, addr)
        elif ptype == 0x14:
            self.rakp3(body, addr)
        else:
            self.c["bad_in"] += 1

    @staticmethod
    def reqmsg(m):
        if len(m) < 7 or m[0] != 0x20 or sum(m[:3]) & 0xff or \
                sum(m[3:]) & 0xff:
            return None
        return (m[1] >> 2, m[4], m[5], bytes(m[6:-1]))

    def authcap(self, pkt, addr):
        if len(pkt) < 14 or len(pkt) != 14 + pkt[13]:
            self.c["bad_in"] += 1
            return
        q = self.reqmsg(pkt[14:])
        if q is None or q[0] != 0x06 or q[2] != 0x38:
            self.c["bad_in"] += 1
            return
        d = bytes([0x01, 0x80 | 0x16, 0x04, 0x03, 0, 0, 0, 0])
        m = self.rspmsg((q[0], q[1], q[2]), 0, d)
        self.send(bytes(pkt[:4]) + bytes(9) + bytes([len(m)]) + m, addr)

    def cipher_suites(self, body, addr):
        q = self.reqmsg(body)
        if q is None or q[0] != 0x06 or q[2] != 0x54 or len(q[3]) != 3:
            self.c["bad_in"] += 1
            return
        lst = b""
        for sid in (3, 17):
            a, i, c = SUITES[sid]
            lst += bytes([0xc0, sid, a, 0x40 | i, 0x80 | c])
        off = (q[3][2] & 0x3f) * 16
        m = self.rspmsg((q[0], q[1], q[2]), 0,
                        bytes([0x01]) + lst[off:off + 16])
        self.send(self.wrap(None, 0x00, m), addr)

    def open_session(self, p, addr):
        if len(p) != 32:
            self.c["bad_in"] += 1
            return
        self.c["opens"] += 1
        auth, integ, conf = p[12], p[20], p[28]
        r = bytearray(36)
        r[0] = p[0]
        r[4:8] = p[4:8]
        if (auth, integ, conf) not in ALG2SUITE:
            r[1] = 0x11
            self.send(self.wrap(None, 0x11, bytes(r[:8])), addr)
            return
        s = Sess()
        s.auth, s.integ, s.conf = auth, integ, conf
        s.msid = struct.unpack("<I", p[4:8])[0]
        s.csid = self.next_sid
        s.peer = addr
        self.next_sid += 1
        if len(self.sessions) >= SESS_MAX:
            del self.sessions[min(self.sessions)]
        self.sessions[s.csid] = s
        r[2] = 0x04
        r[8:12] = struct.pack("<I", s.csid)
        alg = (auth, integ, conf)
        if self.mode == "downgrade":
            alg = (0, 0, 0)
            self.c["misbehaved"] += 1
        for i in range(3):
            r[12 + 8 * i] = i
            r[15 + 8 * i] = 8
            r[16 + 8 * i] = alg[i]
        self.send(self.wrap(None, 0x11, bytes(r)), addr)

    def role_user(self, s):
        return bytes([s.role, len(s.user)]) + s.user

    def rakp1(self, p, addr):
        if len(p) < 28 or len(p) != 28 + p[27] or p[27] > 16:
            self.c["bad_in"] += 1
            return
        s = self.sessions.get(struct.unpack("<I", p[4:8])[0])
        if s is None or s.state != "opened":
            self.c["bad_in"] += 1
            return
        s.tag = p[0]
        s.rm = bytes(p[8:24])
        s.role = p[24]
        s.user = bytes(p[28:28 + p[27]])
        r = bytearray(8)
        r[0] = s.tag
        r[4:8] = struct.pack("<I", s.msid)
        if s.user != self.user:
            r[1] = 0x0d
            self.send(self.wrap(None, 0x13, bytes(r)), addr)
            return
        s.rc = os.urandom(16)
        s.sik = hmac_auth(s.auth, self.pw,
                          s.rm + s.rc + self.role_user(s))
        s.k1 = hmac_auth(s.auth, s.sik, bytes([1]) * 20)
        s.k2 = hmac_auth(s.auth, s.sik, bytes([2]) * 20)
        code = hmac_auth(s.auth, self.pw,
                         struct.pack("<II", s.msid, s.csid) + s.rm + s.rc +
                         GUID + self.role_user(s))
        if self.mode == "rakp2bad":
            code = code[:-1] + bytes([code[-1] ^ 0x20])
            self.c["misbehaved"] += 1
        s.state = "rakp2"
        self.send(self.wrap(None, 0x13, bytes(r) + s.rc + GUID + code), addr)

    def rakp3(self, p, addr):
        if len(p) < 8:
            self.c["bad_in"] += 1
            return
        s = self.sessions.get(struct.unpack("<I", p[4:8])[0])
        if s is None or s.state != "rakp2" or p[0] != s.tag:
            self.c["bad_in"] += 1
            return
        r = bytearray(8)
        r[0] = s.tag
        r[4:8] = struct.pack("<I", s.msid)
        want = hmac_auth(s.auth, self.pw, s.rc +
                         struct.pack("<I", s.msid) + self.role_user(s))
        if p[1] != 0 or not hmac.compare_digest(want, bytes(p[8:])):
            self.c["rakp3_bad"] += 1
            r[1] = 0x0f
            s.state = "dead"
            self.send(self.wrap(None, 0x15, bytes(r)), addr)
            return
        icv = hmac_auth(s.auth, s.sik, s.rm + struct.pack("<I", s.csid) +
                        GUID)[:12 if s.auth == 1 else 16]
        if self.mode == "rakp4bad":
            icv = icv[:-1] + bytes([icv[-1] ^ 0x20])
            self.c["misbehaved"] += 1
        s.state = "active"
        self.c["sessions"] += 1
        self.send(self.wrap(None, 0x15, bytes(r) + icv), addr)

    def in_session(self, pkt, addr, sid, seq, plen):
        s = self.sessions.get(sid)
        if s is None or s.state != "active":
            self.c["bad_in"] += 1
            return
        end = 16 + plen
        if end > len(pkt):
            self.c["bad_in"] += 1
            return
        if s.integ:
            il = icvlen(s.integ)
            if len(pkt) < end + 2 + il:
                self.c["bad_in"] += 1
                return
            a = 1 if s.integ == 1 else 3
            mac = hmac_auth(a, s.k1, bytes(pkt[4:len(pkt) - il]))[:il]
            if not hmac.compare_digest(mac, bytes(pkt[len(pkt) - il:])):
                self.c["bad_in"] += 1
                return
        body = bytes(pkt[16:end])
        if pkt[5] & 0x80:
            if s.conf != 1 or len(body) < 32 or len(body) % 16:
                self.c["bad_in"] += 1
                return
            dec = Cipher(algorithms.AES(s.k2[:16]),
                         modes.CBC(body[:16])).decryptor()
            plain = dec.update(body[16:]) + dec.finalize()
            pad = plain[-1]
            if pad > 15:
                self.c["bad_in"] += 1
                return
            body = plain[:len(plain) - pad - 1]
        s.in_seq = seq
        if pkt[5] & 0x3f == 0x01:
            self.sol.on_payload(s, addr, body)
            return
        q = self.reqmsg(body)
        if q is None:
            self.c["bad_in"] += 1
            return
        self.c["reqs"] += 1
        self.answer(s, addr, q)

    # ---- the BMC's answers ---------------------------------------------
    def command(self, s, q):
        """(cc, data) for request q = (netfn, rqseqlun, cmd, data)."""
        netfn, _, cmd, d = q
        if netfn == 0x06 and cmd in (0x48, 0x49, 0x4a, 0x4b):
            return self.sol.command(s, cmd, d)
        if netfn == 0x0c and cmd == 0x22:
            return self.sol.config(d)
        if netfn == 0x06:
            if cmd == 0x01:
                return 0, DEVID
            if cmd in (0x08, 0x37):
                return 0, GUID
            if cmd == 0x3b:
                return 0, bytes([d[0] & 0x0f if d else 4])
            if cmd == 0x3c:
                return 0, b""
            if cmd == 0x25:		# Get Watchdog Timer: stopped
                return 0, bytes([0x04, 0x00, 0x00, 0x00, 0x64, 0x00,
                                 0x64, 0x00])
        elif netfn == 0x00 and cmd == 0x01:
            return 0, self.chassis
        elif netfn == 0x04 and cmd == 0x2d:
            self.c["sensor_reads"] += 1
            return 0, bytes([0x40, 0xc0, 0x00, 0x80])
        elif netfn == 0x0a:
            return self.storage(cmd, d)
        return 0xc1, b""

    def storage(self, cmd, d):
        if cmd == 0x20:			# Get SDR Repository Info
            if self.mode == "sdrchange":
                self.c["misbehaved"] += 1
                self.sdr_add_ts += 1
            return 0, struct.pack("<BHHIIB", 0x51, len(self.sdr()), 0xffff,
                                  self.sdr_add_ts, 0x60000000, 0x02)
        if cmd == 0x22:			# Reserve SDR Repository
            self.res_sdr = (self.res_sdr + 1) & 0xffff or 1
            return 0, struct.pack("<H", self.res_sdr)
        if cmd == 0x23:			# Get SDR
            if len(d) != 6:
                return 0xc7, b""
            res, rid, off, cnt = struct.unpack("<HHBB", d)
            self.c["sdr_reads"] += 1
            if off > 0 and res != self.res_sdr:
                return 0xc5, b""
            recs = self.sdr()
            i = 0 if rid == 0 else rid - 1
            if rid == 0xffff:
                i = len(recs) - 1
            if i >= len(recs):
                return 0xcb, b""
            nxt = i + 2 if i + 1 < len(recs) else 0xffff
            data = struct.pack("<H", nxt) + recs[i][off:off + min(cnt, 33)]
            if self.mode == "sdrchange":
                self.c["misbehaved"] += 1
                self.sdr_add_ts += 1
                self.sdr_alt = not self.sdr_alt
                self.res_sdr = (self.res_sdr + 1) & 0xffff or 1
            return 0, data
        if cmd == 0x40:			# Get SEL Info
            if self.mode == "selvanish":
                self.add_sel(4)
            return 0, struct.pack("<BHHIIB", 0x51, len(self.sel),
                                  (SEL_MAX - len(self.sel)) * 16 & 0xffff,
                                  self.sel_add_ts, self.sel_erase_ts, 0x0a)
        if cmd == 0x42:			# Reserve SEL
            self.res_sel = (self.res_sel + 1) & 0xffff or 1
            return 0, struct.pack("<H", self.res_sel)
        if cmd == 0x43:			# Get SEL Entry
            if len(d) != 6:
                return 0xc7, b""
            res, rid, off, cnt = struct.unpack("<HHBB", d)
            self.c["sel_reads"] += 1
            if off > 0 and res != self.res_sel:
                return 0xc5, b""
            if not self.sel:
                return 0xcb, b""
            ids = [e[0] for e in self.sel]
            if rid == 0:
                i = 0
            elif rid == 0xffff:
                i = len(ids) - 1
            elif rid in ids:
                i = ids.index(rid)
            else:
                return 0xcb, b""
            if self.mode == "selvanish":
                self.turn += 1
                self.c["misbehaved"] += 1
                if self.turn % 2 == 0:
                    del self.sel[i]
                    self.c["sel_deleted"] += 1
                    return 0xcb, b""
                if i + 1 < len(self.sel):
                    del self.sel[i + 1]
                    self.c["sel_deleted"] += 1
            nxt = self.sel[i + 1][0] if i + 1 < len(self.sel) else 0xffff
            body = self.sel[i][1]
            n = 16 if cnt == 0xff else cnt
            return 0, struct.pack("<H", nxt) + body[off:off + n]
        if cmd == 0x46:			# Delete SEL Entry
            if len(d) != 4:
                return 0xc7, b""
            rid = struct.unpack("<H", d[2:4])[0]
            for k, e in enumerate(self.sel):
                if e[0] == rid:
                    del self.sel[k]
                    return 0, struct.pack("<H", rid)
            return 0xcb, b""
        if cmd == 0x47:			# Clear SEL
            if len(d) != 6 or d[2:5] != b"CLR":
                return 0xcc, b""
            if struct.unpack("<H", d[:2])[0] != self.res_sel:
                return 0xc5, b""
            if d[5] == 0xaa:
                self.sel = []
                self.sel_erase_ts += 1
                self.c["sel_clears"] += 1
            return 0, bytes([0x01])
        if cmd == 0x48:			# Get SEL Time
            return 0, struct.pack("<I", int(time.time()))
        if cmd == 0x49:
            return 0, b""
        return 0xc1, b""

    def answer(self, s, addr, q):
        netfn, rqseqlun, cmd, _ = q
        m = self.mode
        cc, data = self.command(s, q)
        if m == "cc" and cmd != 0x3c and (self.only is None or
                                          cmd == self.only):
            cc, data = self.arg, b""
            self.c["misbehaved"] += 1
        seq_off, rcmd = 0, None
        if m == "wrongreq" and cmd != 0x3c:
            self.turn += 1
            self.c["misbehaved"] += 1
            if self.turn % 2:
                seq_off = 1
            else:
                rcmd = cmd ^ 0x01
        msg = self.rspmsg((netfn, rqseqlun, cmd), cc, data, seq_off, rcmd)
        if cmd == 0x3c:
            self.c["closes"] += 1
            self.sol.closed(s)
            pkt = self.wrap(s, 0, msg)
            self.sessions.pop(s.csid, None)
            self.send(pkt, addr)
            return
        bad, sid, seq, delay = "", None, None, 0.0
        if m == "badicv":
            bad = "icv"
        elif m == "badpad":
            self.turn += 1
            bad = ("intpad", "intpad", "aespad")[self.turn % 3]
            if bad == "aespad" and s.conf != 1:
                bad = "intpad"
        elif m == "wrongsid":
            sid = s.msid ^ 0x00010000
        elif m == "outwindow" and s.out_seq >= 2:
            fm = self.rspmsg((netfn, rqseqlun, cmd), 0xff)
            self.send(self.wrap(s, 0, fm, seq=(s.out_seq - 20) &
                                0xffffffff), addr)
        elif m == "late":
            delay = float(self.arg or 3)
        if m in ("badicv", "badpad", "wrongsid", "outwindow", "late"):
            self.c["misbehaved"] += 1
        pkt = self.wrap(s, 0, msg, sid=sid, seq=seq, bad=bad)
        if m == "replay":
            self.c["misbehaved"] += 1
            if s.last_pkt is not None:
                self.send(s.last_pkt, addr)
        s.last_pkt = pkt
        if m == "truncate":
            self.c["misbehaved"] += 1
            self.turn += 1
            k = self.turn % 3
            cut = random.randint(1, 15) if k == 0 else \
                random.randint(17, max(17, len(pkt) - 2)) if k == 1 else \
                len(pkt) - 1
            pkt = pkt[:cut]
        elif m == "oversize":
            self.c["misbehaved"] += 1
            self.turn += 1
            if self.turn % 2:
                pkt = pkt + os.urandom(random.randint(1000, 60000))
            else:
                pkt = pkt[:14] + b"\xff\xff" + pkt[16:]
        elif m == "flood":
            self.c["misbehaved"] += 1
            self.flood(s, addr, 200)
        self.send(pkt, addr, delay)

    def flood(self, s, addr, n):
        for k in range(n):
            if k % 2 and s is not None:
                junk = bytes(b"\x06\x00\xff\x07\x06") + \
                    bytes([random.choice((0x00, 0x40, 0xc0))]) + \
                    struct.pack("<II", s.msid, random.getrandbits(32)) + \
                    os.urandom(random.randint(2, 200))
            else:
                junk = os.urandom(random.randint(1, 1400))
            try:
                self.sock.sendto(junk, addr)
                self.c["flood_sent"] += 1
            except OSError:
                pass

    # ---- control -----------------------------------------------------
    def control(self, data, addr):
        w = data.decode(errors="replace").split()
        rsp = "ok"
        if not w:
            rsp = "err empty"
        elif w[0] == "mode" and len(w) >= 2 and w[1] in MODES:
            self.mode = w[1]
            self.turn = 0
            self.arg = None
            self.only = None
            if w[1] == "cc":
                self.arg = int(w[2], 16) if len(w) > 2 else 0xc0
                self.only = int(w[3], 16) if len(w) > 3 else None
            elif w[1] == "late":
                self.arg = float(w[2]) if len(w) > 2 else 3.0
            if self.log:
                self.log.write("mode %s\n" % " ".join(w[1:]))
                self.log.flush()
            rsp = "ok mode %s" % self.mode
        elif w[0] == "seladd" and len(w) == 2:
            self.add_sel(int(w[1]))
            rsp = "ok %d" % len(self.sel)
        elif w[0] == "chassis" and len(w) in (4, 5):
            try:
                self.chassis = bytes(int(x, 16) & 0xff for x in w[1:])
                rsp = "ok chassis %s" % self.chassis.hex()
            except ValueError:
                rsp = "err chassis: hex bytes"
        elif w[0] == "sol" and len(w) >= 2 and w[1] in SOL_MODES:
            try:
                self.sol.set_mode(w[1], int(w[2], 16) & 0xff
                                  if len(w) > 2 else None)
                rsp = "ok sol %s" % " ".join(w[1:])
            except ValueError:
                rsp = "err sol %s: a hex completion code" % w[1]
        elif w[0] == "soldata" and len(w) == 2:
            try:
                with open(w[1], "rb") as f:
                    self.sol.data = f.read(SOL_DATA_MAX)
                rsp = "ok soldata %d" % len(self.sol.data)
            except OSError as e:
                rsp = "err soldata: %s" % e
        elif w[0] == "stats":
            c = dict(self.c)
            c.update(("sol_" + k, v) for k, v in self.sol.c.items())
            c["sol_mode"] = self.sol.mode
            c["mode"] = self.mode
            c["sel_entries"] = len(self.sel)
            c["live_sessions"] = sum(1 for x in self.sessions.values()
                                     if x.state == "active")
            rsp = json.dumps(c)
        else:
            rsp = "err unknown command: %s" % " ".join(w)
        try:
            self.ctl.sendto(rsp.encode(), addr)
        except OSError:
            pass

    def run(self, port_file):
        tmp = port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d %d\n" % (self.sock.getsockname()[1],
                                 self.ctl.getsockname()[1]))
        os.rename(tmp, port_file)
        while True:
            now = time.monotonic()
            to = 1.0
            if self.later:
                to = max(0.0, min(to, self.later[0][0] - now))
            if self.mode == "flood":
                to = min(to, 0.02)
            if self.sol.holder is not None:
                to = min(to, 0.05)
            r, _, _ = select.select([self.sock, self.ctl], [], [], to)
            if self.ctl in r:
                try:
                    data, addr = self.ctl.recvfrom(2048)
                    self.control(data, addr)
                except OSError:
                    pass
            if self.sock in r:
                for _ in range(256):
                    try:
                        data, addr = self.sock.recvfrom(65535)
                    except OSError:
                        break
                    self.on_packet(data, addr)
            now = time.monotonic()
            if self.mode != "silence":
                self.sol.tick(now)
            while self.later and self.later[0][0] <= now:
                _, _, pkt, addr = heapq.heappop(self.later)
                self.c["late_sent"] += 1
                self.send(pkt, addr)
            if self.mode == "flood" and self.last_peer is not None and \
                    now - self.flood_t >= 0.02:
                self.flood_t = now
                s = next((x for x in self.sessions.values()
                          if x.state == "active"), None)
                self.flood(s, self.last_peer, 10)


def ctl_main(argv):
    if len(argv) < 2:
        sys.exit("usage: hostile_bmc.py ctl CTLPORT COMMAND [ARG...]")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    msg = " ".join(argv[1:]).encode()
    for _ in range(5):
        s.sendto(msg, ("127.0.0.1", int(argv[0])))
        try:
            data = s.recv(65535).decode()
        except socket.timeout:
            continue
        print(data)
        sys.exit(0 if data.startswith("ok") or data.startswith("{") else 1)
    sys.exit("hostile_bmc: no answer on control port %s" % argv[0])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "ctl":
        ctl_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["serve"])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--sdr")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--sel", type=int, default=20)
    ap.add_argument("--log")
    a = ap.parse_args()
    bmc = BMC(a)
    try:
        bmc.run(a.port_file)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
