#!/usr/bin/env python3
"""bmcwatchd against a hostile webhook receiver, and the Redfish and
webhook claims of SECURITY.md that no other test proves (784):

  - the receiver answers, in turn: a 302 redirect to another path of
    its own, a 2xx with a body far over the 64 KiB cap (Content-Length
    50 MB), the same without a length (streamed until the daemon hangs
    up), and a 200 whose body trickles a byte every 0.3 s (slower than
    the webhook's 2 s timeout), then behaves.  Each is a failure named
    with the URL in targets --json (HTTP 302 / body over the cap /
    timeout); the redirect is never followed; every event still arrives
    once the receiver behaves; the daemon's RSS does not grow by the
    bodies offered (bounded: 20 MB); the failures are logged once per
    episode, not per attempt; no token in the log, argv or the socket;
  - the queue and sent files of a webhook are 0600 and the daemon's;
  - a Redfish target over HTTPS with no ca-file and a certificate from
    an unknown CA is refused by default (certificate verification on),
    the reason named in targets --json and the log, no login sent.

The events are the log entries of an `interface redfish` target on the
DMTF mockup (tests/redfish/server.py), as in 860-862.

    python3 tests/hostile/webhook_hostile.py BMCWATCH BMCWATCHD
"""
import json
import os
import pwd
import stat
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "redfish"))
import test_redfish as T  # noqa: E402
import test_daemon as D  # noqa: E402

TOKEN = "wh-hostile-token-77"
PLAN = ["redirect", "huge", "huge-stream", "trickle"]


class Hostile:
    """POST /hook answered as the plan says, then 204; every request
    recorded (path, mode, whether the body was read whole)"""

    def __init__(self):
        self.lock = threading.Lock()
        self.plan = list(PLAN)
        self.reqs = []
        rx = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def send_quiet(self, data):
                try:
                    self.wfile.write(data)
                    self.wfile.flush()
                    return True
                except OSError:
                    return False

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                with rx.lock:
                    mode = "ok"
                    if self.path == "/hook" and rx.plan:
                        mode = rx.plan.pop(0)
                    rec = {"path": self.path, "mode": mode,
                           "body": body, "t": time.monotonic(),
                           "auth": self.headers.get("Authorization"),
                           "sent": 0, "dur": None}
                    rx.reqs.append(rec)
                self.close_connection = True
                if mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif mode in ("huge", "huge-stream"):
                    self.send_response(200)
                    if mode == "huge":
                        self.send_header("Content-Length", str(50 << 20))
                    self.end_headers()
                    chunk = b"x" * 65536
                    for _ in range(800):        # 50 MB at most
                        if not self.send_quiet(chunk):
                            break
                        rec["sent"] += len(chunk)
                    rec["dur"] = time.monotonic() - rec["t"]
                elif mode == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    for _ in range(100):
                        if not self.send_quiet(b"y"):
                            break
                        rec["sent"] += 1
                        time.sleep(0.3)
                    rec["dur"] = time.monotonic() - rec["t"]
                else:
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def all(self):
        with self.lock:
            return list(self.reqs)

    def down(self):
        self.srv.shutdown()
        self.srv.server_close()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def webhooks(d):
    rc, out, _ = d.ask("--json", "targets")
    return {x["name"]: x for x in json.loads(out)["webhooks"]} \
        if rc == 0 else {}


def main():
    tmp = tempfile.mkdtemp(prefix="whhostile.")
    os.chmod(tmp, 0o755)
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    ca, srvcert, _ = T.make_tls(tmp)
    w = D.daemon_dir(tmp, (("pw", T.PASSWORD + "\n"), ("token", TOKEN + "\n")))
    srv = tls = rx = d = None
    try:
        srv = T.Server(tmp, "main")
        tls = T.Server(tmp, "https", tls=srvcert)
        rx = Hostile()
        entries = T.expected_entries(T.mockup_logs())
        nsel = len(entries)
        hook = """webhook "rx" {
	url "http://127.0.0.1:%d/hook"  min-severity info  timeout 2
	allow-plaintext yes  bearer-token-file "%s/token"
}
""" % (rx.port, w)
        # the HTTPS target: no ca-file, so the system's CAs, which do
        # not know the one made here
        untrusted = """target "untrusted" {
	interface redfish  host "%s"
	username "admin"  password-file "%s/pw"
	sensor-interval 3  chassis-interval 3  sel-interval 3
	timeout 2  unreachable-after 2  backoff-max 4
}
""" % (tls.url, w)
        conf = D.conf(w, srv, None, extra="allow-plaintext yes",
                      more=untrusted + hook).replace('  ca-file "None"', "")
        d = D.Daemon(w, conf)
        T.ok(d.proc.poll() is None, "the daemon runs")
        # the first event comes to the receiver: its RSS from then on
        T.wait_for(lambda: len(rx.all()) >= 1 or d.proc.poll() is not
                   None, 60, "the first delivery attempt")
        rss0 = rss_kb(d.proc.pid)
        errors = set()

        def progress():
            wh = webhooks(d).get("rx", {})
            if wh.get("last_error"):
                errors.add(wh["last_error"])
            got = [r for r in rx.all() if r["mode"] == "ok" and
                   r["path"] == "/hook"]
            return len(got) >= nsel and wh.get("queued") == 0
        try:
            T.wait_for(progress, 120, "every event delivered")
        except RuntimeError:
            pass
        reqs = rx.all()
        modes = [r["mode"] for r in reqs if r["path"] == "/hook"]
        T.ok(modes[:4] == PLAN,
             "the receiver answered a redirect, a 50 MB body, an endless "
             "body and a trickle, in turn", json.dumps(modes))
        T.ok(not [r for r in reqs if r["path"] != "/hook"],
             "the 302 is not followed: nothing asked at its Location",
             json.dumps([r["path"] for r in reqs]))
        docs = [json.loads(r["body"]) for r in reqs
                if r["mode"] == "ok" and r["path"] == "/hook"]
        sel = [x for x in docs if x["kind"] == "sel"]
        ids = sorted(x["details"]["record_id"] for x in sel)
        want = sorted(int(e["id"]) for e in entries)
        T.ok(ids == want, "after the hostile answers every event arrives "
             "(%d), once" % nsel, json.dumps([ids, want]))
        wh = webhooks(d).get("rx", {})
        T.ok(wh.get("delivered", 0) >= nsel and wh.get("failures", 0) >= 4,
             "targets --json: the deliveries and at least 4 failures "
             "counted", json.dumps(wh))
        url = "http://127.0.0.1:%d/hook" % rx.port
        log = d.logtext()
        # each failure, by the URL: in the socket while it lasted (caught
        # if polled then) and in the log (its first line at least)
        T.ok(any(url in e and "HTTP 302" in e for e in errors | {log}),
             "the redirect: a failure naming the URL and HTTP 302",
             json.dumps(sorted(errors)))
        T.ok(any(url in e and "over 64 KiB" in e for e in errors) or
             ("over 64 KiB" in log and url in log),
             "the huge bodies: refused past the 64 KiB cap, the URL named",
             json.dumps(sorted(errors)) + log[-3000:])
        by = {r["mode"]: r for r in reqs}
        T.ok(all(by.get(m, {}).get("dur") is not None and
                 by[m]["sent"] < 16 << 20 for m in ("huge", "huge-stream")),
             "... the daemon hung up on them: under 16 MB of the 50 "
             "taken", json.dumps([(m, by.get(m, {}).get("sent"))
                                  for m in ("huge", "huge-stream")]))
        tr = by.get("trickle", {})
        T.ok(tr.get("dur") is not None and tr["sent"] < 100 and
             tr["dur"] < 15,
             "the trickle (a byte every 0.3 s): the daemon hung up at its "
             "2 s timeout (after %s s, %s bytes), not at the end of the "
             "30 s body" % (tr.get("dur") and round(tr["dur"], 1),
                            tr.get("sent")))
        T.ok(not wh.get("last_error", "x"),
             "recovered: last_error empty again", json.dumps(wh))
        rss1 = rss_kb(d.proc.pid)
        if "/san/" in D.BMCWATCHD:
            # as 780: ASan's quarantine grows RSS by design; leaks are
            # checked at exit (the sanitizer report below)
            print("# ASan build: RSS not bounded here (%d -> %d kB)" %
                  (rss0, rss1))
        else:
            T.ok(rss1 - rss0 < 20 * 1024,
                 "RSS does not take the bodies offered: %d -> %d kB" %
                 (rss0, rss1))
        fails = [ln for ln in log.splitlines() if "webhook" in ln and
                 "(event kept, retried with backoff)" in ln]
        T.ok(1 <= len(fails) <= 2,
             "the failures logged once for the episode (%d line(s)), "
             "not once per attempt" % len(fails), "\n".join(fails))
        with open("/proc/%d/cmdline" % d.proc.pid, "rb") as f:
            argv = f.read().decode(errors="replace")
        rc, out, _ = d.ask("--json", "targets")
        T.ok(TOKEN not in log and TOKEN not in argv and TOKEN not in out,
             "the bearer token is in neither the log, argv nor the socket")
        T.ok(all(r["auth"] == "Bearer " + TOKEN for r in reqs),
             "... and went with every request")
        for suf in (".queue", ".sent"):
            p = os.path.join(w, "state", "webhook-rx" + suf)
            try:
                sb = os.stat(p)
                T.ok(stat.S_IMODE(sb.st_mode) == 0o600 and
                     sb.st_uid == d_uid(),
                     "the webhook's %s file is 0600, the daemon's" % suf,
                     "%o uid %d" % (stat.S_IMODE(sb.st_mode), sb.st_uid))
            except OSError as e:
                T.ok(False, "the webhook's %s file exists" % suf, repr(e))

        # Redfish: certificate verification is the default
        try:
            T.wait_for(lambda: "certificate" in
                       ((d.target("untrusted") or {}).get("last_error")
                        or ""), 60, "the untrusted target's error")
        except RuntimeError:
            pass
        t = d.target("untrusted") or {}
        T.ok(t.get("state") != "up" and "SSL certificate problem" in
             (t.get("last_error") or "") and tls.url in t["last_error"],
             "Redfish over HTTPS without ca-file, a certificate from an "
             "unknown CA: refused by default, the reason and URL named",
             json.dumps(t))
        T.ok(not [x for x in tls.log() if x["method"] == "POST"],
             "... and no login (no password) sent to it",
             json.dumps(tls.log()))
        T.ok("SSL certificate problem" in d.logtext(),
             "... and said in the log")
        T.ok(d.proc.poll() is None, "the daemon is still running")
        rc = d.stop()
        d = None
        log = open(os.path.join(w, "d.log")).read()
        T.ok(rc == 0 and T.PASSWORD not in log,
             "clean stop; no Redfish password in the log")
        T.ok(not T.sanitizer_report(log),
             "no sanitizer report in the daemon's log")
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        if d is not None:
            d.stop()
        if rx is not None:
            rx.down()
        T.stop_servers(srv, tls)
    return T.finish(tmp)


def d_uid():
    return pwd.getpwnam(D.DUSER).pw_uid if os.getuid() == 0 else \
        os.getuid()


if __name__ == "__main__":
    sys.exit(main())
