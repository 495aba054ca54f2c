#!/usr/bin/env python3
"""bmcwatchd's webhooks, what tests/redfish/test_webhook.py leaves out.
The events are the log entries of an `interface redfish` target on the
DMTF mockup (tests/redfish/server.py); more are added at run time
through the server's /_test/add.

  tls    an HTTPS receiver whose certificate a CA made here signs
         (ca-file): every event arrives, with Basic credentials from a
         0600 file that appear neither in the daemon's argv nor in its
         log; a second endpoint whose receiver's certificate names
         another host is refused (the reason in targets --json), nothing
         delivered; SIGHUP changing the first endpoint's URL to another
         receiver: later events go there and not to the old one, the
         removed endpoint leaves targets.
  queue  queue-max 2 with drop-newest and the receiver down: the two
         oldest events kept, the newer dropped, counted and logged; they
         arrive once it is up.  Then the queue file made unwritable (a
         directory in its place): an event whose append fails is still
         sent, and the failure is logged.

    python3 tests/redfish/test_webhook2.py BMCWATCH BMCWATCHD tls|queue
"""
import base64
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_redfish as T  # noqa: E402
import test_daemon as D  # noqa: E402
import whrx  # noqa: E402

MODE = sys.argv[3] if len(sys.argv) > 3 else "tls"
WHUSER, WHPASS = "hookuser", "wh-basic-pw-31"
# the only Authorization the receivers accept
BASIC = "Basic " + base64.b64encode(
    ("%s:%s" % (WHUSER, WHPASS)).encode()).decode()
MGRL = "/redfish/v1/Managers/BMC/LogServices/Log"


def entry(i, msg):
    return T.log_entry(MGRL, i, "2016-01-01T00:00:%02d+00:00" % i, msg)


def add(srv, *entries):
    T.add_entries(srv, entries)


def hook(name, url, w, extra=""):
    return """webhook "%s" {
	url "%s"  min-severity info  timeout 2
	basic-auth-file "%s/basic"
	%s
}
""" % (name, url, w, extra)


def conf(w, srv, hooks):
    return D.conf(w, srv, None, extra="allow-plaintext yes",
                  more="".join(hooks)).replace('  ca-file "None"', "")


def webhooks(d):
    rc, out, _ = d.ask("--json", "targets")
    return {x["name"]: x for x in json.loads(out)["webhooks"]} \
        if rc == 0 else {}


def sel_msgs(docs):
    return [x["details"]["event"] for x in docs if x["kind"] == "sel"]


def test_tls(tmp, w, srv, nsel):
    ca, srvcert, othercert = T.make_tls(tmp)
    os.chmod(os.path.dirname(ca), 0o755)
    os.chmod(ca, 0o644)
    rx = whrx.Receiver(srvcert, auth=BASIC)
    bad = whrx.Receiver(othercert, auth=BASIC)
    rx2 = whrx.Receiver(auth=BASIC)
    d = None
    try:
        d = D.Daemon(w, conf(w, srv, [
            hook("rx", "https://127.0.0.1:%d/hook" % rx.port, w,
                 'ca-file "%s"' % ca),
            hook("badname", "https://127.0.0.1:%d/hook" % bad.port, w,
                 'ca-file "%s"' % ca)]))
        try:
            T.wait_for(lambda: len(sel_msgs(rx.docs())) >= nsel and
                       webhooks(d).get("badname", {}).get("failures", 0)
                       >= 1, 60, "deliveries")
        except RuntimeError:
            pass
        reqs = rx.all()
        T.ok(len(sel_msgs(rx.docs())) == nsel and reqs and
             all(r["ok"] for r in reqs),
             "https receiver with ca-file: every event (%d) arrives, each "
             "with the Basic credentials of basic-auth-file" % nsel,
             json.dumps([(r["ok"], r["headers"].get("Authorization"))
                         for r in reqs]))
        wb = webhooks(d).get("badname", {})
        T.ok(wb.get("delivered") == 0 and wb.get("failures", 0) >= 1 and
             "certificate" in wb.get("last_error", "") and
             not bad.all(),
             "a receiver whose certificate names another host: refused, "
             "nothing delivered, the reason in targets --json",
             json.dumps(wb))
        with open("/proc/%d/cmdline" % d.proc.pid, "rb") as f:
            argv = f.read().decode(errors="replace")
        T.ok(WHPASS not in argv and WHPASS not in d.logtext(),
             "the Basic password is in neither the daemon's argv nor its "
             "log", argv)

        # SIGHUP: rx moves to another receiver, badname goes
        with open(d.conf, "w") as f:
            f.write(conf(w, srv, [hook(
                "rx", "http://127.0.0.1:%d/hook" % rx2.port, w,
                "allow-plaintext yes")]))
        d.hup()
        T.wait_for(lambda: "rx: changed: restarting" in d.logtext() and
                   "badname" not in webhooks(d), 30, "the reload")
        n_old = len(rx.all())
        add(srv, entry(2, "after the reload"))
        try:
            T.wait_for(lambda: "after the reload" in sel_msgs(rx2.docs()),
                       60, "the event at the new URL")
        except RuntimeError:
            pass
        T.ok(sel_msgs(rx2.docs()) == ["after the reload"] and
             len(rx.all()) == n_old and
             set(webhooks(d)) == {"rx"},
             "SIGHUP with a new URL: the next event goes there only; the "
             "removed endpoint leaves targets",
             json.dumps([sel_msgs(rx2.docs()), len(rx.all()), n_old,
                         list(webhooks(d))]))
        return d
    finally:
        for r in (rx, bad, rx2):
            try:
                r.down()
            except Exception:
                pass
        if d is not None:
            d.stop()


def test_queue(tmp, w, srv, nsel, entries):
    rx = whrx.Receiver(auth=BASIC)
    rx.down()           # its port, nobody listening yet
    d = None
    try:
        d = D.Daemon(w, conf(w, srv, [hook(
            "rx", "http://127.0.0.1:%d/hook" % rx.port, w,
            "allow-plaintext yes  queue-max 2  overflow drop-newest")]))
        T.wait_for(lambda: webhooks(d).get("rx", {}).get("dropped", 0) >=
                   nsel - 2, 60, "the drop")
        wh = webhooks(d)["rx"]
        T.ok(wh["queued"] == 2 and wh["dropped"] == nsel - 2,
             "queue-max 2, drop-newest: two queued, the newer dropped and "
             "counted", json.dumps(wh))
        T.ok("the newest event dropped (drop-newest" in d.logtext(),
             "the drop is logged")
        rx.up()
        T.wait_for(lambda: len(rx.docs()) >= 2 and
                   webhooks(d)["rx"]["queued"] == 0, 60, "the deliveries")
        got = [(x["details"]["record_id"], x["details"]["sensor_type"])
               for x in rx.docs() if x["kind"] == "sel"]
        want = [(int(e["id"]), e.get("sensor_type")) for e in entries]
        T.ok(len(got) == 2 and [g[0] for g in got] ==
             [x[0] for x in want[:2]] and
             entries[2]["message"] not in json.dumps(rx.docs()),
             "drop-newest: the two oldest events arrive, in order; the "
             "newest never", json.dumps([got, want, entries[2]]))

        # the queue file unwritable: the event is sent all the same
        qf = os.path.join(w, "state", "webhook-rx.queue")
        T.wait_for(lambda: os.path.exists(qf) and
                   os.path.getsize(qf) == 0, 30, "the queue file emptied")
        os.unlink(qf)
        os.mkdir(qf)
        add(srv, entry(2, "append failed"))
        try:
            T.wait_for(lambda: "append failed" in sel_msgs(rx.docs()), 60,
                       "the event whose append failed")
        except RuntimeError:
            pass
        T.ok("append failed" in sel_msgs(rx.docs()) and
             "webhook-rx.queue: Is a directory (the event is sent all "
             "the same" in d.logtext(),
             "an event whose append to the queue file fails is still "
             "sent, and the failure logged",
             json.dumps(sel_msgs(rx.docs())) + d.logtext()[-2000:])
        T.ok(d.proc.poll() is None, "the daemon is still running")
        os.rmdir(qf)
        return d
    finally:
        try:
            rx.down()
        except Exception:
            pass
        if d is not None:
            d.stop()


def main():
    tmp = tempfile.mkdtemp(prefix="rfwh2.")
    os.chmod(tmp, 0o755)
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    w = D.daemon_dir(tmp, (("pw", T.PASSWORD + "\n"),
                       ("basic", "%s:%s\n" % (WHUSER, WHPASS))))
    srv = T.Server(tmp, "main")
    entries = T.expected_entries(T.mockup_logs())
    try:
        if MODE == "tls":
            test_tls(tmp, w, srv, len(entries))
        else:
            test_queue(tmp, w, srv, len(entries), entries)
        log = open(os.path.join(w, "d.log")).read()
        T.ok(not T.sanitizer_report(log),
             "no sanitizer report in the daemon's log")
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        T.stop_servers(srv)
    return T.finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
