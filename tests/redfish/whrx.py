"""A webhook receiver on 127.0.0.1 for the tests: one copy, used by
test_webhook.py, test_webhook2.py and (as a script) by 920.

Every POST is recorded with its headers, body, the mode it was answered
in and whether it was accepted ("ok").  It is accepted, and answered
204, when its plan step is "ok" (the default once `plan` is empty) and,
if `auth` is given, its Authorization header is exactly `auth`;
otherwise it is answered 401 (bad credentials) or as the plan says:
"500", "slow" (4 s, longer than the tests' webhook timeout, then 204)
or "garbage" (bytes that are not HTTP).  tls: (cert, key) or None.

As a script: whrx.py PORTFILE JSONL -- serves until killed, writes its
port to PORTFILE (atomically) and each accepted body to JSONL on one
line."""

import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, tls=None, port=0, auth=None, jsonl=None):
        self.lock = threading.Lock()
        self.reqs = []
        self.plan = []
        self.tls = tls
        self.port = port
        self.auth = auth
        self.jsonl = jsonl
        self.srv = None
        self.start()

    def start(self):
        rx = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                with rx.lock:
                    mode = rx.plan.pop(0) if rx.plan else "ok"
                    if rx.auth is not None and \
                       self.headers.get("Authorization") != rx.auth:
                        mode = "401"
                    rx.reqs.append({"headers": dict(self.headers),
                                    "body": body, "mode": mode,
                                    "ok": mode == "ok",
                                    "path": self.path})
                    if mode == "ok" and rx.jsonl:
                        with open(rx.jsonl, "ab") as f:
                            f.write(body.replace(b"\n", b" ") + b"\n")
                if mode == "slow":
                    time.sleep(4)
                if mode == "garbage":
                    self.wfile.write(b"\x00\xffnot http at all\r\n\r\n")
                    self.close_connection = True
                    return
                self.send_response({"500": 500, "401": 401}.get(mode, 204))
                self.send_header("Content-Length", "0")
                self.end_headers()

        srv = ThreadingHTTPServer(("127.0.0.1", self.port or 0), H)
        srv.daemon_threads = True
        if self.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self.tls)
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        self.port = srv.server_address[1]
        self.srv = srv
        threading.Thread(target=srv.serve_forever, daemon=True).start()

    def down(self):
        self.srv.shutdown()
        self.srv.server_close()

    def up(self, timeout=30):
        """listen again on the same port (it may linger a moment)"""
        end = time.monotonic() + timeout
        while True:
            try:
                self.start()
                return
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)

    def docs(self):
        """the accepted documents, in arrival order"""
        with self.lock:
            return [json.loads(r["body"]) for r in self.reqs if r["ok"]]

    def all(self):
        with self.lock:
            return list(self.reqs)


if __name__ == "__main__":
    rx = Receiver(jsonl=sys.argv[2])
    with open(sys.argv[1] + ".new", "w") as f:
        f.write("%d\n" % rx.port)
    os.rename(sys.argv[1] + ".new", sys.argv[1])
    threading.Event().wait()
