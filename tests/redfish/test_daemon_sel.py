#!/usr/bin/env python3
"""bmcwatchd's log pass over Redfish (target.c "the log pass") against
the DMTF mockup served by tests/redfish/server.py: the manager's log made
NeverOverWrites with room for 4 records, the system's left WrapsWhenFull
with room for 2 (so 100 % full), sel-clear-at 50.

  - below the threshold nothing is cleared; the wrapping log, though
    full, never is (and the log says why, once);
  - the socket's `sel info` equals `bmcwatch -I redfish sel info` (plus
    target, age_s, stale), `sel list` holds the entries read, `sel ack`
    acknowledges one, `chassis identify` is refused naming why;
  - entries added past the threshold, one more arriving right after the
    daemon's listing (the server adds it once that GET is answered): one
    ClearLog, posted only after every entry of that log is in the
    archive (the server snapshots the archive when the ClearLog comes);
    the entry that arrived between listings is archived, not lost;
  - after the clear the log's Ids start over: the new entry 1 is new;
  - `sel clear` on the socket clears the manager's log and says the
    wrapping one is kept; again, with nothing clearable, it is refused
    naming the WrapsWhenFull log;
  - every entry in the archive exactly once.

    python3 tests/redfish/test_daemon_sel.py BMCWATCH BMCWATCHD
"""
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_redfish as T  # noqa: E402
import test_daemon as D  # noqa: E402

SYSL = "/redfish/v1/Systems/437XR1138R2/LogServices/Log1"
MGRL = "/redfish/v1/Managers/BMC/LogServices/Log"


def entry(i, created, msg):
    return T.log_entry(MGRL, i, created, msg)


def add(srv, entries=(), after_get=()):
    T.add_entries(srv, entries, after_get)


def main():
    tmp = tempfile.mkdtemp(prefix="rfdsel.")
    os.chmod(tmp, 0o755)
    w = os.path.join(tmp, "w")
    os.makedirs(w)
    os.chmod(w, 0o755)
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    shutil.copy(os.path.join(tmp, "pw"), os.path.join(w, "pw"))
    if os.getuid() == 0:
        uid = pwd.getpwnam(D.DUSER).pw_uid
        os.chown(w, uid, -1)
        os.chown(os.path.join(w, "pw"), uid, -1)
    archf = os.path.join(w, "archive", "sel-rf1.log")
    srv = T.Server(tmp, "main", clear_snapshot=archf, overlay={
        MGRL: {"OverWritePolicy": "NeverOverWrites",
               "MaxNumberOfRecords": 4},
        SYSL: {"MaxNumberOfRecords": 2}})
    d = None

    def archived():
        if not os.path.exists(archf):
            return []
        return open(archf).read().splitlines()

    def clears():
        return [x for x in srv.log() if "ClearLog" in x["path"]]

    def passes():
        return (d.target("rf1") or {}).get("sel_passes", 0)

    try:
        d = D.Daemon(w, D.conf(w, srv, None, extra="allow-plaintext yes\n"
                               "\tsel-clear-at 50\n"
                               "\tallow sel-clear\n\tallow sel-ack\n\tallow identify")
                     .replace('  ca-file "None"', "")
                     .replace("sel-interval 3", "sel-interval 2"))
        mock = T.mockup_logs()
        n0 = sum(len(m) for _, m in mock)
        T.wait_for(lambda: len(archived()) >= n0 and passes() >= 1, 60,
                   "the first log pass")
        p = passes()
        T.wait_for(lambda: passes() >= p + 2, 60, "two more log passes")
        T.ok(len(archived()) == n0 and not clears(),
             "below sel-clear-at (1 of 4) and on the WrapsWhenFull log "
             "(2 of 2): nothing cleared, %d entries archived" % n0,
             json.dumps(clears()) + "\n".join(archived()))
        T.ok(d.logtext().count("%s (2 of 2 records): OverWritePolicy "
                               "WrapsWhenFull" % SYSL) == 1,
             "the full wrapping log: why it is never cleared, logged once",
             d.logtext()[-3000:])

        rc, out, err = d.ask("--target", "rf1", "--json", "sel", "info")
        got = json.loads(out) if rc == 0 else None
        p2 = subprocess.run(
            [D.BMCWATCH, "-I", "redfish", "-H", srv.url, "-U", "admin",
             "-f", srv.pwfile, "--json", "sel", "info"],
            capture_output=True, text=True, timeout=60)
        want = json.loads(p2.stdout) if p2.returncode == 0 else None
        T.ok(got is not None and want is not None and
             D.strip(got) == want and got["target"] == "rf1" and
             want["entries"] == n0,
             "socket sel info: bmcwatch -I redfish sel info's JSON plus "
             "target", err + p2.stderr + "\nsocket %s\ndirect %s" %
             (out, p2.stdout))
        rc, out, err = d.ask("--target", "rf1", "--json", "sel", "list")
        ents = json.loads(out)["entries"] if rc == 0 else []
        exp = T.expected_entries(mock)
        T.ok(len(ents) == n0 and sorted(e["event"] for e in ents if
                                        e["type"] != "system") ==
             sorted(e["event"] for e in exp if not e["is_sel"]),
             "socket sel list: the entries read", out + err)
        rc, out, err = d.ask("--target", "rf1", "sel", "ack", "2")
        rc2, out2, _ = d.ask("--target", "rf1", "--json", "sel", "list")
        acked = [e["record_id"] for e in json.loads(out2)["entries"]
                 if e.get("acknowledged")] if rc2 == 0 else None
        T.ok(rc == 0 and "0x0002 acknowledged" in out and acked == [2],
             "socket sel ack 2: acknowledged, shown in sel list",
             out + err + out2)
        srv.reset_log()
        rc, out, err = d.ask("--target", "rf1", "chassis", "identify")
        T.ok(rc != 0 and "no Redfish equivalent" in err and
             not [x for x in srv.log() if x["method"] == "PATCH"],
             "chassis identify (timed, 15 s): refused, saying Redfish has "
             "no equivalent; nothing sent", "rc %d %s%s" % (rc, out, err))
        rc, out, err = d.ask("--target", "rf1", "--json", "chassis",
                             "identify", "force")
        patches = [x for x in srv.log() if x["method"] == "PATCH"]
        T.ok(rc == 0 and json.loads(out) == {"identify": "indefinite"} and
             [(x["path"], x["body"], x["status"]) for x in patches] ==
             [("/redfish/v1/Systems/437XR1138R2", {"IndicatorLED": "Lit"},
               204)],
             "chassis identify force: the system's IndicatorLED PATCHed "
             "to Lit", out + err + json.dumps(patches))

        def ident():
            rc, out, _ = d.ask("--target", "rf1", "--json", "chassis",
                               "status")
            return json.loads(out).get("identify_state") if rc == 0 \
                else None
        try:
            T.wait_for(lambda: ident() == "indefinite on", 30,
                       "identify on")
        except RuntimeError:
            pass
        seen_on = ident()
        rc, out, err = d.ask("--target", "rf1", "chassis", "identify",
                             "off")
        patches = [x for x in srv.log() if x["method"] == "PATCH"]
        T.ok(rc == 0 and patches[-1]["body"] == {"IndicatorLED": "Off"}
             and seen_on == "indefinite on",
             "chassis identify off: IndicatorLED Off; the chassis status "
             "showed it on in between", "%s %s%s%s" % (seen_on, out, err,
                                                     json.dumps(patches)))

        # past the threshold, one more arriving between two listings
        e2 = entry(2, "2015-03-14T01:00:00+06:00", "second entry")
        e3 = entry(3, "2015-03-14T02:00:00+06:00", "third entry")
        e4 = entry(4, "2015-03-14T03:00:00+06:00", "arrived in between")
        add(srv, [e2, e3], [e4])
        T.wait_for(lambda: clears(), 60, "a ClearLog")
        try:
            T.wait_for(lambda: len(archived()) >= n0 + 3, 30,
                       "the archive")
        except RuntimeError:
            pass        # said below
        cl = clears()
        snap = cl[0]["body"].get("snapshot") or ""
        T.ok(len(cl) == 1 and cl[0]["path"] == MGRL +
             "/Actions/LogService.ClearLog" and cl[0]["status"] == 204,
             "3 of 4 (past 50 %): one ClearLog, on the manager's log",
             json.dumps(cl))
        T.ok(all(m in snap for m in ("second entry", "third entry",
                                     "arrived in between")) and
             all(m.get("Message", "") in snap for m in mock[1][1]),
             "when the ClearLog came, every entry of that log was in the "
             "archive (the one that arrived between listings included)",
             snap)
        t = d.target("rf1")
        T.ok(t["sel_clears"] == 1 and t["sel_archived"] == n0 + 3,
             "targets: one clear, every entry archived",
             json.dumps(t))
        T.ok("%s: 4 entries archived, then cleared" % MGRL in
             d.logtext(), "the clear is logged with its count")

        # the log starts over: Id 1 again, older than the cursor's
        p = passes()
        add(srv, [entry(1, "2015-03-13T00:00:00+06:00", "after the "
                        "clear")])
        T.wait_for(lambda: len(archived()) >= n0 + 4, 30,
                   "the entry after the clear")
        T.wait_for(lambda: passes() >= p + 2, 60, "two more passes")
        T.ok("after the clear" in archived()[-1] and len(clears()) == 1,
             "after a clear the log's Ids start over: its new entry 1 is "
             "archived (1 of 4: not cleared)", "\n".join(archived()))

        rc, out, err = d.ask("--target", "rf1", "--json", "sel", "clear")
        ans = json.loads(out) if rc == 0 else {}
        T.ok(rc == 0 and ans.get("cleared") is True and
             ans.get("cleared_entries") == 1 and SYSL in
             (ans.get("kept") or "") and len(clears()) == 2,
             "socket sel clear: the manager's log cleared (1 entry), the "
             "WrapsWhenFull one kept and named", out + err)
        rc, out, err = d.ask("--target", "rf1", "sel", "clear")
        T.ok(rc != 0 and "not cleared" in err and SYSL in err and
             "WrapsWhenFull" in err and len(clears()) == 2,
             "socket sel clear with nothing clearable: refused, naming "
             "the WrapsWhenFull log", "rc %d %s%s" % (rc, out, err))
        lines = archived()
        T.ok(len(lines) == len(set(lines)) == n0 + 4,
             "every entry in the archive exactly once", "\n".join(lines))
        rc = d.stop()
        d = None
        log = open(os.path.join(w, "d.log")).read()
        T.ok(rc == 0 and not T.sanitizer_report(log),
            "clean stop, no sanitizer report in the daemon's log")
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        if d is not None:
            d.stop()
        T.stop_servers(srv)
    return T.finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
