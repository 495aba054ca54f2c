#!/usr/bin/env python3
"""A control socket that answers `bmcwatch -S SOCKET sol TARGET` as a
hostile or broken bmcwatchd might: every frame's text (the answer, a
notice, the error that ends it) full of terminal escape sequences and
control bytes, and console bytes (a data frame) with escapes too.

    ctl_sol_frames.py SOCKET DATAFILE REQFILE

Listens on SOCKET (a Unix stream socket), takes one client, writes the
request line it got to REQFILE, then sends, in agent/daemon/ctl.h's
stream framing ("ok N\\n", "data N\\n", "note N\\n", "err CODE N\\n",
each followed by N bytes):
  ok    text with CSI, OSC (window title) and C1 (raw and UTF-8) escapes
  data  DATAFILE's bytes (the console's: they must reach stdout as is)
  note  text with the alternate screen's escape, DEL and backspace
  err 3 text with a clear-screen escape: the session ends, exit code 3
and exits once the client has closed (bounded: 20 s).
"""
import os
import socket
import sys

ESC = b"\x1b"
OK_TEXT = (b"attached to t1" + ESC + b"[2J" + ESC + b"]0;owned\x07 C1 \x9b31m"
           b" U+009B \xc2\x9b31m\r\n")
NOTE_TEXT = b"console " + ESC + b"[?1049h note\x7f\x08\x00 end"
ERR_TEXT = b"gone " + ESC + b"[2J" + ESC + b"c\n"


def frame(word, payload, code=None):
    head = word if code is None else "%s %d" % (word, code)
    return ("%s %d\n" % (head, len(payload))).encode() + payload


def main():
    path, datafile, reqfile = sys.argv[1:4]
    with open(datafile, "rb") as f:
        data = f.read()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + ".new")
    srv.listen(1)
    os.rename(path + ".new", path)  # there only once it listens
    srv.settimeout(20)
    c, _ = srv.accept()
    c.settimeout(20)
    req = b""
    while not req.endswith(b"\n") and len(req) < 1024:
        b = c.recv(1024)
        if not b:
            break
        req += b
    with open(reqfile, "wb") as f:
        f.write(req)
    c.sendall(frame("ok", OK_TEXT) + frame("data", data) +
              frame("note", NOTE_TEXT) + frame("err", ERR_TEXT, 3))
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
    c.close()
    srv.close()


if __name__ == "__main__":
    main()
