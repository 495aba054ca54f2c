#!/usr/bin/env python3
"""A Redfish service for the tests: the DMTF public-rackmount1 mockup
(tests/redfish/mockup/, BSD-3-Clause, see its LICENSE.md) served on
127.0.0.1 over HTTP or HTTPS, with what a real BMC adds to static files:

  sessions     POST SessionService/Sessions {"UserName","Password"}:
               201, X-Auth-Token, Location; DELETE with the token: 204;
               wrong password: 401.  --no-sessions answers the POST 405
               (the client then sends Basic).
  auth         every resource but the service root needs a session token
               or Basic credentials: 401 otherwise.
  $expand      $expand=.($levels=1) / *($levels=1): a collection's
               Members are the whole resources (advertised by the
               mockup's root; --no-expand removes it from the root and
               ignores the query).
  paging       LogEntry collections in pages of --page-size, with
               Members@odata.nextLink ($skip=N).
  actions      LogService.ClearLog (empties that log) and
               ComputerSystem.Reset (ResetType checked against the
               allowed values): 204.
  overlay      --overlay FILE: {"/redfish/v1/...": {...}} merged into
               (or creating) resources: watchdog, intrusion, SEL-format
               entries, a log that may be cleared.
  faults       --faults FILE, read at every request: {"/redfish/v1/...":
               MODE}: malformed, truncated, oversized (Content-Length over
               the cap), oversized-stream (no length), slow (a byte a
               second), wrongtype (numbers as strings, Members not an
               array), 500, redirect (302 to /redfish/v1/Elsewhere),
               deep (nested 100 levels), html; "hold" (a GET, or the
               login on the Sessions collection) answers only once the
               file FAULTS.release exists, after a "held" log line;
               "/_test/expire": PATH drops
               every session just before PATH is answered, once (the
               client must log in again).
  PATCH        IndicatorLED (Lit, Blinking, Off) and
               LocationIndicatorActive (a boolean) of a system or chassis
               that has them: 204; anything else 400.
  test hooks   POST /_test/add (no auth) {"entries": [LogEntry, ...],
               "after_get": [LogEntry, ...]}: the entries are added to
               the log their @odata.id names now, the after_get ones
               right after the next GET of that log's Entries is
               answered (an entry arriving between two listings).
               --clear-snapshot FILE: a ClearLog's log line carries
               FILE's content as it was then ("snapshot": the archive
               the client wrote before clearing).
  log          --log FILE: one JSON line per request (method, path,
               query, auth: token|basic|none, status, body of actions;
               never a password), flushed before the answer is sent.
  tokens       --tokens FILE: every X-Auth-Token issued, one a line,
               written before the answer is sent (for the tests that
               check the client never reveals one).

The port is chosen by the kernel (bind to port 0) and written to
--port-file once the server listens.
"""
import argparse
import base64
import copy
import json
import os
import secrets
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class State:
    def __init__(self, args):
        self.args = args
        self.user = args.user
        with open(args.password_file) as f:
            self.password = f.read().strip("\r\n")
        self.docs = {}
        self.sessions = {}     # token -> session id
        self.next_session = 1
        self.after_get = {}    # Entries path -> entries to add
        self.load()

    def load(self):
        root = self.args.mockup
        for d, _, files in os.walk(root):
            if "index.json" not in files:
                continue
            rel = os.path.relpath(d, root)
            path = "/redfish/v1" + ("" if rel == "." else "/" + rel)
            with open(os.path.join(d, "index.json")) as f:
                self.docs[path.rstrip("/")] = json.load(f)
        if self.args.overlay:
            with open(self.args.overlay) as f:
                for path, patch in json.load(f).items():
                    path = path.rstrip("/")
                    merge(self.docs.setdefault(path, {}), patch)
        if self.args.no_expand:
            pf = self.docs["/redfish/v1"].get("ProtocolFeaturesSupported",
                                              {})
            pf.pop("ExpandQuery", None)
        for path, doc in self.docs.items():
            # real paging below, not the mockup's dangling nextLink
            if doc.get("@odata.type", "").startswith(
                    "#LogEntryCollection"):
                doc.pop("@odata.nextLink", None)
                doc.pop("Members@odata.nextLink", None)

    def faults(self):
        if not self.args.faults or not os.path.exists(self.args.faults):
            return {}
        with open(self.args.faults) as f:
            return json.load(f)


def merge(dst, patch):
    """patch into dst; the value "__delete__" removes a member"""
    for k, v in patch.items():
        if v == "__delete__":
            dst.pop(k, None)
        elif isinstance(v, dict) and isinstance(dst.get(k), dict):
            merge(dst[k], v)
        else:
            dst[k] = copy.deepcopy(v)


def add_entry(st, e):
    """e into the Entries collection its @odata.id is in (caller holds
    LOCK)"""
    eid = e["@odata.id"].rstrip("/")
    coll = eid.rsplit("/", 1)[0]
    st.docs.setdefault(coll, {"@odata.id": coll, "@odata.type":
                              "#LogEntryCollection.LogEntryCollection",
                              "Members": []})["Members"].append(
        copy.deepcopy(e))
    st.docs[eid] = copy.deepcopy(e)


def wrongtype(doc):
    """numbers become strings, Members a string: what the schema
    forbids, shaped as the client would meet it"""
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k == "Members":
                out[k] = "not an array"
            else:
                out[k] = wrongtype(v)
        return out
    if isinstance(doc, list):
        return [wrongtype(v) for v in doc]
    if isinstance(doc, bool) or doc is None:
        return doc
    if isinstance(doc, (int, float)):
        return "%s units" % doc
    return doc


def redfish_error(msg):
    return {"error": {"code": "Base.1.0.GeneralError", "message": msg,
                      "@Message.ExtendedInfo": [{"Message": msg}]}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rfmock/1"
    # headers and body go out in separate writes: without this, the
    # client's delayed ACK holds every answer back 40 ms
    disable_nagle_algorithm = True

    def log_message(self, fmt, *a):
        pass

    # -- plumbing --

    def record(self, status, auth, body=None):
        st = self.server.state
        if not st.args.log:
            return
        u = urllib.parse.urlsplit(self.path)
        line = {"method": self.command, "path": u.path, "query": u.query,
                "auth": auth, "status": status, "t": time.time()}
        if body is not None:
            line["body"] = body
        with LOCK:
            with open(st.args.log, "a") as f:
                f.write(json.dumps(line) + "\n")
                f.flush()

    def send_json(self, status, doc, auth, headers=None, logbody=None):
        body = json.dumps(doc, indent=1).encode()
        self.record(status, auth, logbody)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("OData-Version", "4.0")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_empty(self, status, auth, headers=None, logbody=None):
        self.record(status, auth, logbody)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def authed(self):
        st = self.server.state
        tok = self.headers.get("X-Auth-Token")
        if tok is not None:
            with LOCK:
                return "token" if tok in st.sessions else None
        h = self.headers.get("Authorization", "")
        if h.startswith("Basic "):
            try:
                u, p = base64.b64decode(h[6:]).decode().split(":", 1)
            except Exception:
                return None
            return "basic" if (u == st.user and p == st.password) else None
        return None

    def auth_kind(self):
        if self.headers.get("X-Auth-Token") is not None:
            return "token"
        if self.headers.get("Authorization", "").startswith("Basic "):
            return "basic"
        return "none"

    # -- faults --

    def hold(self):
        """answer only once the test says so: a "held" line in the log,
        then wait for FAULTS.release (30 s at most)"""
        st = self.server.state
        self.record(0, self.auth_kind(), {"held": True})
        rel = st.args.faults + ".release"
        end = time.monotonic() + 30
        while not os.path.exists(rel) and time.monotonic() < end:
            time.sleep(0.01)

    def fault(self, mode, doc, auth):
        self.record(200 if mode not in ("500", "redirect") else
                    int(mode) if mode == "500" else 302, auth,
                    {"fault": mode})
        if mode == "500":
            body = json.dumps(redfish_error("internal error")).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "/redfish/v1/Elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "malformed":
            body = b'{"Name": "broken", "Reading": , }'
        elif mode == "html":
            body = b"<html><body>Service Unavailable</body></html>"
        elif mode == "deep":
            body = b'{"a":' * 100 + b"1" + b"}" * 100
        elif mode == "wrongtype":
            body = json.dumps(wrongtype(doc)).encode()
        else:
            body = json.dumps(doc).encode()
        if mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if mode in ("oversized", "oversized-stream"):
            n = 5 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if mode == "oversized":
                self.send_header("Content-Length", str(n + 12))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b'{"Name": "')
                chunk = b"x" * 65536
                for _ in range(n // len(chunk)):
                    self.wfile.write(chunk)
                self.wfile.write(b'"}')
            except OSError:
                pass
            return
        if mode == "slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.close_connection = True
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # -- resources --

    def resource(self, path, query):
        st = self.server.state
        doc = st.docs.get(path)
        if doc is None:
            return None
        doc = copy.deepcopy(doc)
        q = urllib.parse.parse_qs(query)
        exp = q.get("$expand", [""])[0]
        members = doc.get("Members")
        if (exp and not st.args.no_expand and isinstance(members, list)):
            # a member the faults make wrong is wrong inline too
            bad = [p for p, m in st.faults().items() if m == "wrongtype"]
            out = []
            for m in members:
                mp = m.get("@odata.id", "").rstrip("/")
                md = copy.deepcopy(st.docs.get(mp, m))
                out.append(wrongtype(md) if mp in bad else md)
            doc["Members"] = out
        if (doc.get("@odata.type", "").startswith("#LogEntryCollection")
                and isinstance(doc.get("Members"), list)):
            skip = int(q.get("$skip", ["0"])[0] or 0)
            size = st.args.page_size
            all_m = doc["Members"]
            doc["Members"] = all_m[skip:skip + size]
            doc["Members@odata.count"] = len(all_m)
            if skip + size < len(all_m):
                doc["Members@odata.nextLink"] = "%s?$skip=%d" % (
                    path, skip + size)
        return doc

    def do_GET(self):
        st = self.server.state
        u = urllib.parse.urlsplit(self.path)
        path = u.path.rstrip("/")
        faults = st.faults()
        if faults.get("/_test/expire") == path:
            # the BMC forgets every session (timeout, reboot) just
            # before answering this path, once
            with LOCK:
                st.sessions.clear()
            faults.pop("/_test/expire")
            with open(st.args.faults, "w") as f:
                json.dump(faults, f)
        public = path in ("/redfish/v1", "/redfish")
        auth = self.authed()
        if not public and auth is None:
            self.send_json(401, redfish_error("authentication required"),
                           self.auth_kind(),
                           {"WWW-Authenticate": 'Basic realm="rfmock"'})
            return
        doc = self.resource(path, u.query)
        if faults.get(path) == "hold":
            self.hold()
            faults.pop(path)
        if path in faults:
            self.fault(faults[path], doc if doc is not None else {},
                       auth or "none")
            return
        if doc is None:
            self.send_json(404, redfish_error("no such resource"),
                           auth or "none")
            return
        self.send_json(200, doc, auth or "none")
        with LOCK:
            late = st.after_get.pop(path, None)
            for e in late or []:
                add_entry(st, e)

    def test_add(self, raw):
        st = self.server.state
        body = json.loads(raw)
        with LOCK:
            for e in body.get("entries", []):
                add_entry(st, e)
            for e in body.get("after_get", []):
                coll = e["@odata.id"].rstrip("/").rsplit("/", 1)[0]
                st.after_get.setdefault(coll, []).append(e)
        self.send_empty(204, "none", logbody=body)

    def do_POST(self):
        st = self.server.state
        u = urllib.parse.urlsplit(self.path)
        path = u.path.rstrip("/")
        raw = self.read_body()
        if path == "/_test/add":
            self.test_add(raw)
            return
        if path == "/redfish/v1/SessionService/Sessions":
            if st.faults().get(path) == "hold":
                self.hold()
            self.login(raw)
            return
        auth = self.authed()
        if auth is None:
            self.send_json(401, redfish_error("authentication required"),
                           self.auth_kind())
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.send_json(400, redfish_error("malformed JSON"), auth)
            return
        if path.endswith("/Actions/LogService.ClearLog"):
            svc = path[:-len("/Actions/LogService.ClearLog")]
            ent = st.docs.get(svc + "/Entries")
            if svc not in st.docs or ent is None:
                self.send_json(404, redfish_error("no such log"), auth)
                return
            with LOCK:
                ent["Members"] = []
            snap = st.args.clear_snapshot
            if snap:
                body = dict(body, snapshot=open(snap).read()
                            if os.path.exists(snap) else None)
            self.send_empty(204, auth, logbody=body)
            return
        if path.endswith("/Actions/ComputerSystem.Reset"):
            sysp = path[:-len("/Actions/ComputerSystem.Reset")]
            sysd = st.docs.get(sysp)
            if sysd is None:
                self.send_json(404, redfish_error("no such system"), auth)
                return
            allowed = sysd.get("Actions", {}).get(
                "#ComputerSystem.Reset", {}).get(
                "ResetType@Redfish.AllowableValues", [])
            if body.get("ResetType") not in allowed:
                self.send_json(400, redfish_error(
                    "ResetType %r not allowed" % body.get("ResetType")),
                    auth, logbody=body)
                return
            self.send_empty(204, auth, logbody=body)
            return
        self.send_json(405, redfish_error("not an action"), auth)

    def do_PATCH(self):
        st = self.server.state
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        raw = self.read_body()
        auth = self.authed()
        if auth is None:
            self.send_json(401, redfish_error("authentication required"),
                           self.auth_kind())
            return
        doc = st.docs.get(path)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.send_json(400, redfish_error("malformed JSON"), auth)
            return
        good = {"IndicatorLED": lambda v: v in ("Lit", "Blinking", "Off"),
                "LocationIndicatorActive": lambda v: isinstance(v, bool)}
        if doc is None or not body or any(
                k not in good or k not in doc or not good[k](v)
                for k, v in body.items()):
            self.send_json(400, redfish_error("property not writable"),
                           auth, logbody=body)
            return
        with LOCK:
            doc.update(body)
        self.send_empty(204, auth, logbody=body)

    def login(self, raw):
        st = self.server.state
        if st.args.no_sessions:
            self.send_json(405, redfish_error("sessions not supported"),
                           "none", logbody={"login": "unsupported"})
            return
        try:
            body = json.loads(raw)
            user, pw = body["UserName"], body["Password"]
        except (ValueError, KeyError, TypeError):
            self.send_json(400, redfish_error("UserName and Password"),
                           "none", logbody={"login": "malformed"})
            return
        if user != st.user or pw != st.password:
            self.send_json(401, redfish_error("invalid credentials"),
                           "none", logbody={"login": "refused",
                                            "user": user})
            return
        tok = secrets.token_hex(16)
        with LOCK:
            sid = "S%d" % st.next_session
            st.next_session += 1
            st.sessions[tok] = sid
            if st.args.tokens:
                with open(st.args.tokens, "a") as f:
                    f.write(tok + "\n")
        loc = "/redfish/v1/SessionService/Sessions/" + sid
        doc = {"@odata.id": loc, "@odata.type": "#Session.v1_6_0.Session",
               "Id": sid, "Name": "User Session", "UserName": user}
        self.send_json(201, doc, "none",
                       {"X-Auth-Token": tok, "Location": loc},
                       logbody={"login": "ok", "user": user,
                                "session": loc})

    def do_DELETE(self):
        st = self.server.state
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        tok = self.headers.get("X-Auth-Token")
        auth = self.authed()
        if auth is None:
            self.send_json(401, redfish_error("authentication required"),
                           self.auth_kind())
            return
        prefix = "/redfish/v1/SessionService/Sessions/"
        if path.startswith(prefix):
            sid = path[len(prefix):]
            with LOCK:
                found = [t for t, s in st.sessions.items() if s == sid]
                for t in found:
                    del st.sessions[t]
            if found:
                self.send_empty(204, auth, logbody={"session": path,
                                "own": tok in found})
                return
        self.send_json(404, redfish_error("no such session"), auth)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mockup", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--log")
    ap.add_argument("--tokens")
    ap.add_argument("--overlay")
    ap.add_argument("--faults")
    ap.add_argument("--page-size", type=int, default=50)
    ap.add_argument("--clear-snapshot")
    ap.add_argument("--no-sessions", action="store_true")
    ap.add_argument("--no-expand", action="store_true")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(args)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
