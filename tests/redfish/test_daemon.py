#!/usr/bin/env python3
"""bmcwatchd with an `interface redfish` target: the DMTF mockup served by
tests/redfish/server.py on 127.0.0.1 over HTTPS with a CA made here.  The
socket's sensors, chassis status and info equal `bmcwatch -I redfish`'s
(plus target, age_s, stale); one session for the target's life, deleted
at SIGHUP removal and at SIGTERM; a frozen service (SIGSTOP) makes it
unreachable after its failed polls and SIGCONT brings it back with no
restart; chassis power only when `allow power`; `insecure` is logged.

    python3 tests/redfish/test_daemon.py BMCWATCH BMCWATCHD
"""
import json
import os
import pwd
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_redfish as T  # noqa: E402

BMCWATCH = sys.argv[1]
BMCWATCHD = sys.argv[2]
DUSER = "nobody"


class Daemon:
    def __init__(self, w, conf):
        self.w = w
        self.conf = os.path.join(w, "d.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.log = os.path.join(w, "d.log")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        self.proc = subprocess.Popen([BMCWATCHD, "-d", "-vvv", "-f",
                                      self.conf], stdout=open(self.log, "a"),
                                     stderr=subprocess.STDOUT, env=env)
        T.wait_for(lambda: self.ask("targets")[0] == 0 or
                   self.proc.poll() is not None, 30, "the daemon's socket")

    def ask(self, *args):
        p = subprocess.run([BMCWATCH, "-S", os.path.join(self.w, "ctl.sock")]
                           + list(args), capture_output=True, text=True,
                           timeout=60)
        return p.returncode, p.stdout, p.stderr

    def target(self, name):
        rc, out, _ = self.ask("--json", "targets")
        if rc != 0:
            return None
        for t in json.loads(out)["targets"]:
            if t["name"] == name:
                return t
        return None

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def logtext(self):
        with open(self.log) as f:
            return f.read()


def conf(w, srv, ca, extra="", name="rf1", more=""):
    return """socket "%(w)s/ctl.sock"
state-dir "%(w)s/state"
archive-dir "%(w)s/archive"
user "%(u)s"
target "%(n)s" {
	interface redfish  host "%(url)s"
	username "admin"  password-file "%(w)s/pw"  ca-file "%(ca)s"
	sensor-interval 3  chassis-interval 3  sel-interval 3
	timeout 2  unreachable-after 2  backoff-max 4
	%(extra)s
}
%(more)s""" % {"w": w, "u": DUSER, "n": name, "url": srv.url, "ca": ca,
               "extra": extra, "more": more}


def direct(srv, ca, *cmd):
    p = subprocess.run([BMCWATCH, "-I", "redfish", "-H", srv.url, "-U",
                        "admin", "-f", srv.pwfile, "--ca-file", ca, "--json"]
                       + list(cmd), capture_output=True, text=True,
                       timeout=60)
    return json.loads(p.stdout) if p.returncode == 0 else None


def strip(d):
    return {k: v for k, v in d.items() if k not in ("target", "age_s",
                                                     "stale")}


def sessions(srv):
    log = srv.log()
    made = [x["body"]["session"] for x in log
            if x["method"] == "POST" and x["status"] == 201]
    gone = [x["path"] for x in log if x["method"] == "DELETE" and
            x["status"] == 204 and x["body"].get("own")]
    return made, gone


def daemon_dir(tmp, files):
    """tmp/w, the daemon's directory (0755, its user's when run as root),
    with each (name, text) of files written there 0600, the user's too"""
    w = os.path.join(tmp, "w")
    os.makedirs(w)
    os.chmod(w, 0o755)
    uid = pwd.getpwnam(DUSER).pw_uid if os.getuid() == 0 else -1
    for name, data in files:
        p = os.path.join(w, name)
        with open(p, "w") as f:
            f.write(data)
        os.chmod(p, 0o600)
        if uid >= 0:
            os.chown(p, uid, -1)
    if uid >= 0:
        os.chown(w, uid, -1)
    return w


def main():
    tmp = tempfile.mkdtemp(prefix="rfd.")
    os.chmod(tmp, 0o755)
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    ca, srvcert, _ = T.make_tls(tmp)
    os.chmod(os.path.dirname(ca), 0o755)
    os.chmod(ca, 0o644)
    w = daemon_dir(tmp, (("pw", T.PASSWORD + "\n"),))
    srv = T.Server(tmp, "main", tls=srvcert)
    d = None
    try:
        d = Daemon(w, conf(w, srv, ca))
        up = T.wait_for(lambda: (d.target("rf1") or {}).get("state") ==
                        "up" and (d.target("rf1") or {}).get("sweeps", 0)
                        > 0 and d.target("rf1")["chassis_polls"] > 0, 60,
                        "rf1 up with a sweep and a chassis poll")
        t = d.target("rf1")
        T.ok(up and t["interface"] == "redfish" and
             t["peer"] == srv.url and t["sensors"] ==
             len(T.expected_sensors()),
             "targets: rf1 up over redfish, every sensor of the mockup",
             json.dumps(t))
        archf = os.path.join(w, "archive", "sel-rf1.log")
        nent = len(T.expected_entries(T.mockup_logs()))

        def archived():
            if not os.path.exists(archf):
                return []
            return open(archf).read().splitlines()
        try:
            T.wait_for(lambda: len(archived()) >= nent and
                       os.path.exists(os.path.join(w, "state",
                                                   "rf-rf1.cursor")),
                       60, "the log entries archived")
        except RuntimeError:
            pass
        T.ok(len(archived()) == nent and
             all("\trf1\t" in x for x in archived()) and
             d.target("rf1")["sel_archived"] == nent,
             "every log entry archived once to sel-rf1.log, then the "
             "cursor saved", "\n".join(archived()))
        for cmd in (["sensors", "-v"], ["chassis", "status"], ["info"]):
            rc, out, err = d.ask("--target", "rf1", "--json", *cmd)
            got = json.loads(out) if rc == 0 else None
            want = direct(srv, ca, *cmd)
            T.ok(got is not None and want is not None and
                 strip(got) == want and got["target"] == "rf1",
                 "socket %s: the direct -I redfish JSON plus target"
                 % " ".join(cmd),
                 err + "\nsocket %s\ndirect %s" % (out[:800],
                                                    json.dumps(want)[:800]))
        made, gone = sessions(srv)
        # the direct commands made and deleted theirs; the daemon one
        T.ok(len(made) - len(gone) == 1,
             "one session held by the daemon for the target",
             "made %s deleted %s" % (made, gone))
        rc, out, err = d.ask("--target", "rf1", "chassis", "power", "off")
        T.ok(rc == 1 and "allow" in err and
             not [x for x in srv.log() if "Reset" in x["path"]],
             "chassis power off refused without allow power, nothing "
             "posted", out + err)

        # a frozen service: no answers, unreachable, then back
        srv.proc.send_signal(signal.SIGSTOP)
        try:
            gone_down = T.wait_for(
                lambda: (d.target("rf1") or {}).get("state") ==
                "unreachable", 90, "rf1 unreachable")
        except RuntimeError:
            gone_down = False
        t = d.target("rf1") or {}
        T.ok(gone_down and "timed out" in (t.get("last_error") or ""),
             "service frozen: rf1 unreachable after its failed polls, the "
             "timeout said", json.dumps(t))
        T.ok(d.proc.poll() is None and d.ask("--target", "rf1", "--json",
                                             "sensors")[0] == 0,
             "while frozen the socket still answers from the store")
        srv.proc.send_signal(signal.SIGCONT)
        try:
            back = T.wait_for(lambda: (d.target("rf1") or {}).get(
                "state") == "up", 90, "rf1 back")
        except RuntimeError:
            back = False
        T.ok(back, "SIGCONT: rf1 recovers without a restart",
             json.dumps(d.target("rf1")))
        made, gone = sessions(srv)
        T.ok(len(made) - len(gone) == 1,
             "after the outage still one session held (the probes made "
             "no second client)", "made %s deleted %s" % (made, gone))
        T.ok(len(archived()) == nent,
             "no log entry archived twice across the outage")
        T.ok("rf1: target: unreachable" in d.logtext() and
             "reachable again" in d.logtext(),
             "both transitions logged")

        # SIGHUP: allow power, insecure (logged), then remove the target
        srv.reset_log()
        with open(d.conf, "w") as f:
            f.write(conf(w, srv, ca, extra="allow power\n\tinsecure yes"))
        d.hup()
        T.wait_for(lambda: "insecure yes" in d.logtext(), 30,
                   "the reload")
        T.ok("certificate verification is off" in d.logtext(),
             "insecure yes: said in the log at the start")
        T.wait_for(lambda: (d.target("rf1") or {}).get("state") == "up",
                   60, "rf1 up again")
        rc, out, err = d.ask("--target", "rf1", "--json", "chassis",
                             "power", "off")
        posts = [x for x in srv.log() if "ComputerSystem.Reset" in
                 x["path"]]
        T.ok(rc == 0 and json.loads(out)["reset_type"] == "ForceOff" and
             len(posts) == 1 and posts[0]["body"] == {"ResetType":
                                                      "ForceOff"},
             "allow power: chassis power off is one Reset ForceOff",
             out + err + json.dumps(posts))
        with open(d.conf, "w") as f:
            f.write(conf(w, srv, ca, name="other"))
        srv.reset_log()
        d.hup()
        T.wait_for(lambda: d.target("rf1") is None, 30, "rf1 removed")
        T.wait_for(lambda: [x for x in srv.log() if x["method"] ==
                            "DELETE"], 30, "the session's DELETE")
        dels = [x for x in srv.log() if x["method"] == "DELETE"]
        T.ok(len(dels) >= 1 and all(x["status"] == 204 for x in dels),
             "SIGHUP removal: the removed target's session deleted",
             json.dumps(srv.log()))
        T.wait_for(lambda: (d.target("other") or {}).get("state") ==
                   "up", 60, "other up")
        rc = d.stop()
        d = None
        made, gone = sessions(srv)
        # (the log restarted before the removal: rf1's DELETE is in it,
        # its POST not)
        T.ok(rc == 0 and made and set(made) <= set(gone),
             "SIGTERM: exit 0, every session made is deleted",
             "rc %s made %s deleted %s" % (rc, made, gone))
        log = open(os.path.join(w, "d.log")).read()
        T.ok(T.PASSWORD not in log, "no password in the daemon's log")
        T.ok(not T.sanitizer_report(log),
             "no sanitizer report in the daemon's log")
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        if d is not None:
            d.stop()
        T.stop_servers(srv)
    return T.finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
