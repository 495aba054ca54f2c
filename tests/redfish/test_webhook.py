#!/usr/bin/env python3
"""bmcwatchd's event webhooks against a receiver on 127.0.0.1 that this
test runs: it answers the first requests with a 500, with an answer
slower than the webhook's timeout and with garbage, is then down for a
while, and counts and checks every delivery (bearer token, HMAC-SHA256
signature over the body, the document's members).  The events come from
an `interface redfish` target on the DMTF mockup (tests/redfish/
server.py): its log entries (sel) and an outage of the service
(SIGSTOP: unreachable, then SIGCONT: recovered).  In between the daemon
is SIGKILLed with events queued and restarted: every event arrives at
least once, in order, a duplicate carries the same idempotency key, and
the queue depth shows in `targets --json`.

    python3 tests/redfish/test_webhook.py BMCWATCH BMCWATCHD
"""
import hashlib
import hmac
import json
import os
import pwd
import shutil
import signal
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_redfish as T  # noqa: E402
import test_daemon as D  # noqa: E402
import whrx  # noqa: E402

TOKEN = "wh-token-42"
SECRET = b"wh-hmac-secret-9"


def conf(w, srv, rx_port, extra=""):
    return D.conf(w, srv, None, extra="allow-plaintext yes", more="""webhook "rx" {
	url "http://127.0.0.1:%d/hook"  allow-plaintext yes
	min-severity info  timeout 2
	bearer-token-file "%s/token"  hmac-secret-file "%s/secret"
	%s
}
""" % (rx_port, w, w, extra)).replace('  ca-file "None"', "")


def test_overflow(tmp, srv, entries):
    """queue-max 2, drop-oldest, the receiver not there yet: of the log's
    entries the newest two arrive, the drop is counted and logged"""
    w = os.path.join(tmp, "w2")
    os.makedirs(w)
    os.chmod(w, 0o755)
    for name in ("pw", "token", "secret"):
        shutil.copy(os.path.join(tmp, "w", name), os.path.join(w, name))
        os.chmod(os.path.join(w, name), 0o600)
        if os.getuid() == 0:
            os.chown(os.path.join(w, name), pwd.getpwnam(D.DUSER).pw_uid,
                     -1)
    if os.getuid() == 0:
        os.chown(w, pwd.getpwnam(D.DUSER).pw_uid, -1)
    rx = whrx.Receiver()
    rx.down()               # its port, nobody listening yet
    d = D.Daemon(w, conf(w, srv, rx.port, "queue-max 2  overflow "
                         "drop-oldest"))
    try:
        T.wait_for(lambda: (json.loads(d.ask("--json", "targets")[1])
                            ["webhooks"] or [{}])[0].get("dropped", 0) >=
                   len(entries) - 2, 60, "the drop")
        wh = json.loads(d.ask("--json", "targets")[1])["webhooks"][0]
        T.ok(wh["queued"] == 2 and wh["dropped"] == len(entries) - 2 and
             wh["queue_max"] == 2,
             "queue-max 2: two queued, the rest dropped and counted",
             json.dumps(wh))
        T.ok("queue full (2 events): the oldest event dropped" in
             d.logtext(), "the drop is logged")
        rx.up()
        T.wait_for(lambda: len(rx.docs()) >= 2, 60, "two deliveries")
        got = [(x["kind"], str(x["details"]["record_id"]))
               for x in rx.docs()]
        T.ok(got == [("sel", e["id"]) for e in entries[-2:]] and
             rx.docs()[-1]["details"]["event"] == entries[-1]["event"],
             "drop-oldest: the two newest events arrive", json.dumps(
                 rx.docs())[:1000])
    finally:
        d.stop()
        try:
            rx.down()
        except Exception:
            pass


def main():
    tmp = tempfile.mkdtemp(prefix="rfwh.")
    os.chmod(tmp, 0o755)
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    w = D.daemon_dir(tmp, (("pw", T.PASSWORD + "\n"), ("token", TOKEN + "\n"),
                       ("secret", SECRET.decode() + "\n")))
    srv = T.Server(tmp, "main")
    rx = whrx.Receiver()
    rx.plan = ["500", "slow", "garbage"]
    entries = T.expected_entries(T.mockup_logs())
    d = None
    try:
        d = D.Daemon(w, conf(w, srv, rx.port))
        # the log entries: sel events, through 500, slow and garbage
        try:
            T.wait_for(lambda: len([x for x in rx.docs() if x["kind"]
                                    == "sel"]) >= len(entries), 90,
                       "the sel events delivered")
        except RuntimeError:
            pass
        reqs = rx.all()
        sel = [x for x in rx.docs() if x["kind"] == "sel"]
        T.ok(len(sel) == len(entries),
             "every log entry of the mockup arrives as a sel event "
             "(%d)" % len(entries), json.dumps(sel)[:1500])
        T.ok([r["mode"] for r in reqs[:3]] == ["500", "slow", "garbage"]
             and len(reqs) >= 4,
             "the receiver's first answers were a 500, a slow one and "
             "garbage", str([r["mode"] for r in reqs]))
        first_key = json.loads(reqs[0]["body"])["idempotency_key"]
        T.ok(all(json.loads(r["body"])["idempotency_key"] == first_key
                 for r in reqs[:4]) and
             all(r["headers"].get("Idempotency-Key") == first_key
                 for r in reqs[:4]),
             "the failed attempts and the success carry one idempotency "
             "key (body and header)",
             str([json.loads(r["body"])["idempotency_key"]
                  for r in reqs[:4]]))
        T.ok([x["severity"] for x in sel] == [e["severity"] for e in entries]
             and all(x["details"]["event"] == e["event"] for x, e in
                     zip(sel, entries) if not e["is_sel"]),
             "sel events in the log's order, each with its severity",
             json.dumps([(x["details"], x["severity"]) for x in sel])[:1500])
        bad = []
        for r in reqs:
            h = r["headers"]
            want = "sha256=" + hmac.new(SECRET, r["body"],
                                        hashlib.sha256).hexdigest()
            if (h.get("X-Bmcwatch-Signature") != want or
                    h.get("Authorization") != "Bearer " + TOKEN or
                    h.get("Content-Type") != "application/json" or
                    h.get("X-Bmcwatch-Event") !=
                    json.loads(r["body"])["kind"]):
                bad.append(h)
        T.ok(not bad, "every request: the HMAC-SHA256 signature verifies, "
             "the bearer token and kind headers are right",
             json.dumps(bad)[:1500])
        doc = sel[0]
        T.ok(set(doc) == {"idempotency_key", "target", "time", "kind",
                          "severity", "text", "details"} and
             doc["target"] == "rf1" and doc["time"].endswith("Z"),
             "the document: key, target, time (UTC), kind, severity, "
             "text, details", json.dumps(doc))

        # the receiver down; an outage of the service makes events
        n_before = len(rx.all())
        rx.down()
        srv.proc.send_signal(signal.SIGSTOP)
        T.wait_for(lambda: (d.target("rf1") or {}).get("state") ==
                   "unreachable", 90, "rf1 unreachable")
        srv.proc.send_signal(signal.SIGCONT)
        T.wait_for(lambda: (d.target("rf1") or {}).get("state") == "up",
                   90, "rf1 back")
        qf = os.path.join(w, "state", "webhook-rx.queue")

        def queued_on_disk():
            if not os.path.exists(qf):
                return []
            return [json.loads(x.split(" ", 1)[1]) for x in
                    open(qf).read().splitlines() if x]

        T.wait_for(lambda: [x["kind"] for x in queued_on_disk()] ==
                   ["unreachable", "recovered"], 30,
                   "both events in the queue file")
        rc, out, err = d.ask("--json", "targets")
        whs = json.loads(out)["webhooks"] if rc == 0 else []
        T.ok(len(whs) == 1 and whs[0]["name"] == "rx" and
             whs[0]["queued"] == 2 and whs[0]["failures"] >= 3,
             "targets --json: the webhook's queue depth (2) and failures",
             out + err)
        keys = [x["idempotency_key"] for x in queued_on_disk()]
        # SIGKILL with the events queued, fsynced, not delivered
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(30)
        d = None
        d = D.Daemon(w, conf(w, srv, rx.port))
        T.wait_for(lambda: (d.target("rf1") or {}).get("sel_passes", 0)
                   > 0, 60, "a log pass after the restart")
        rx.up()
        try:
            T.wait_for(lambda: [x["kind"] for x in rx.docs()][-2:] ==
                       ["unreachable", "recovered"], 90,
                       "the queued events after the restart")
        except RuntimeError:
            pass
        got = rx.docs()
        late = [x for x in got if x["kind"] in ("unreachable",
                                                "recovered")]
        T.ok([x["kind"] for x in late] == ["unreachable", "recovered"] and
             [x["idempotency_key"] for x in late] == keys,
             "after SIGKILL and restart the queued events arrive, in "
             "order, with their keys", json.dumps(late))
        T.ok(len([x for x in got if x["kind"] == "sel"]) == len(entries),
             "the restart sends no log entry twice (the log cursor was "
             "saved)", json.dumps([x["kind"] for x in got]))
        T.ok(len(rx.all()) > n_before, "deliveries resumed once the "
             "receiver was up")
        T.wait_for(lambda: (d.target("rf1") is not None and
                            json.loads(d.ask("--json", "targets")[1])
                            ["webhooks"][0]["queued"] == 0), 30,
                   "the queue empty")
        T.wait_for(lambda: not queued_on_disk(), 30,
                   "the queue file emptied")
        T.ok(True, "the queue empties, in memory and on disk")
        rc = d.stop()
        d = None
        log = open(os.path.join(w, "d.log")).read()
        T.ok(rc == 0 and TOKEN not in log and SECRET.decode() not in log,
             "clean stop; neither the token nor the secret in the log")
        T.ok(not T.sanitizer_report(log),
             "no sanitizer report in the daemon's log")
        test_overflow(tmp, srv, entries)
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        if d is not None:
            d.stop()
        T.stop_servers(srv)
        try:
            rx.down()
        except Exception:
            pass
    return T.finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
