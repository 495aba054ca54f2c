#!/usr/bin/env python3
"""The Redfish client against the DMTF public-rackmount1 mockup served by
tests/redfish/server.py on 127.0.0.1, driven through tests/redfish/rfdrive
(the client on one ev loop).  Every expectation is computed here from the
mockup's JSON files (and the overlays this file writes), never copied from
an earlier run.  Prints "ok - ..." / "not ok - ..." lines for tests/run.

    python3 tests/redfish/test_redfish.py [RFDRIVE]
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MOCK = os.path.join(HERE, "mockup", "public-rackmount1")
SERVER = os.path.join(HERE, "server.py")
RFDRIVE = (sys.argv[1] if len(sys.argv) > 1 else
           os.environ.get("RFDRIVE", os.path.join(ROOT, "build", "tests",
                                                  "rfdrive")))
# generous: the tests must pass under ASan on a loaded machine
RUN_TIMEOUT = 120
PASSWORD = "rf-pw-7"
FAILS = 0


def ok(cond, name, detail=""):
    global FAILS
    if cond:
        print("ok - %s" % name)
    else:
        FAILS += 1
        print("not ok - %s" % name)
        for line in str(detail).splitlines()[:30]:
            print("# " + line)
    sys.stdout.flush()
    return cond


SAN_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
             "runtime error:")


def sanitizer_report(log):
    """does a daemon's log hold an ASan, LSan or UBSan report?"""
    return any(m in log for m in SAN_MARKS)


def stop_servers(*servers):
    """stop each server that was started (None: not), resumed first in
    case a test left it SIGSTOPped"""
    for srv in servers:
        if srv is None:
            continue
        try:
            srv.proc.send_signal(signal.SIGCONT)
        except ProcessLookupError:
            pass
        srv.stop()


def finish(tmp):
    """the run's end: its directory removed, or kept and named when a
    check failed; the exit status"""
    if FAILS == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("# kept %s" % tmp)
    print("# %d failed" % FAILS)
    return 1 if FAILS else 0


def doc(path):
    """a mockup resource by its @odata.id"""
    rel = path.replace("/redfish/v1", "", 1).strip("/")
    with open(os.path.join(MOCK, rel, "index.json")) as f:
        return json.load(f)


def wait_for(cond, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


class Server:
    def __init__(self, tmp, name, tls=None, **opts):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.pwfile = os.path.join(tmp, "pw")
        self.logf = os.path.join(self.dir, "requests.log")
        self.faultf = os.path.join(self.dir, "faults.json")
        portf = os.path.join(self.dir, "port")
        args = [sys.executable, SERVER, "--mockup", MOCK, "--port-file",
                portf, "--user", "admin", "--password-file", self.pwfile,
                "--log", self.logf, "--faults", self.faultf]
        if tls:
            args += ["--cert", tls[0], "--key", tls[1]]
        if opts.get("overlay") is not None:
            ov = os.path.join(self.dir, "overlay.json")
            with open(ov, "w") as f:
                json.dump(opts["overlay"], f)
            args += ["--overlay", ov]
        if opts.get("page_size"):
            args += ["--page-size", str(opts["page_size"])]
        if opts.get("no_sessions"):
            args.append("--no-sessions")
        if opts.get("no_expand"):
            args.append("--no-expand")
        if opts.get("clear_snapshot"):
            args += ["--clear-snapshot", opts["clear_snapshot"]]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(
                                         self.dir, "server.err"), "w"))
        wait_for(lambda: os.path.exists(portf) or
                 self.proc.poll() is not None, 20, "the server's port")
        if self.proc.poll() is not None:
            raise RuntimeError("server.py exited: " + open(os.path.join(
                self.dir, "server.err")).read())
        with open(portf) as f:
            self.port = int(f.read())
        scheme = "https" if tls else "http"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)

    def faults(self, f):
        with open(self.faultf, "w") as fh:
            json.dump(f, fh)

    def log(self):
        if not os.path.exists(self.logf):
            return []
        with open(self.logf) as f:
            return [json.loads(x) for x in f if x.strip()]

    def reset_log(self):
        open(self.logf, "w").close()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def rfdrive(srv, *cmds, extra=(), pwfile=None, url=None):
    args = [RFDRIVE, "-u", "admin", "-p", pwfile or srv.pwfile]
    args += list(extra) + [url or srv.url] + list(cmds)
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True,
                       timeout=RUN_TIMEOUT)
    el = time.monotonic() - t0
    docs = []
    for line in p.stdout.splitlines():
        if line.strip():
            docs.append(json.loads(line))
    return p.returncode, docs, p.stderr, el


def log_entry(log, i, created, msg):
    """a LogEntry (EntryType Event, Warning) for the log service log"""
    return {"@odata.id": "%s/Entries/%s" % (log, i),
            "@odata.type": "#LogEntry.v1_14_0.LogEntry", "Id": str(i),
            "Name": "Log Entry %s" % i, "EntryType": "Event",
            "Severity": "Warning", "Created": created, "Message": msg}


def add_entries(srv, entries=(), after_get=()):
    """server.py's /_test/add: entries now, after_get ones right after
    the next GET of their log's Entries is answered"""
    import urllib.request
    req = urllib.request.Request(
        "http://127.0.0.1:%d/_test/add" % srv.port,
        data=json.dumps({"entries": list(entries),
                         "after_get": list(after_get)}).encode(),
        method="POST")
    urllib.request.urlopen(req, timeout=10).read()


# ---- expectations from the mockup ----

# ReadingUnits to the IPMI unit text and factor the mapping documents
UNITS = {"Cel": ("degrees C", 1), "V": ("Volts", 1), "A": ("Amps", 1),
         "W": ("Watts", 1), "%": ("% unspecified", 1),
         "Percent": ("% unspecified", 1), "RPM": ("RPM", 1),
         "Hz": ("Hz", 1), "kW.h": ("Watts*hour", 1000)}
HEALTH = {"OK": "ok", "Warning": "warning", "Critical": "critical"}
THR = {"LowerCaution": "lower_non_critical",
       "LowerCritical": "lower_critical",
       "LowerFatal": "lower_non_recoverable",
       "UpperCaution": "upper_non_critical",
       "UpperCritical": "upper_critical",
       "UpperFatal": "upper_non_recoverable"}
LEGACY_THR = {"LowerThresholdNonCritical": "lower_non_critical",
              "LowerThresholdCritical": "lower_critical",
              "LowerThresholdFatal": "lower_non_recoverable",
              "UpperThresholdNonCritical": "upper_non_critical",
              "UpperThresholdCritical": "upper_critical",
              "UpperThresholdFatal": "upper_non_recoverable"}


# the unit a ReadingType implies when ReadingUnits is left out
TYPE_UNITS = {"Current": "A", "Voltage": "V", "Power": "W",
              "Frequency": "Hz", "EnergykWh": "kW.h", "Percent": "%",
              "Temperature": "Cel"}


def expect_item(name, reading, units, status, thr, discrete_ok=False):
    """a sensor as the mapping documents it: analog with its unit and
    thresholds, unavailable without a reading (a Power.v1 supply without
    a wattage: its Health alone)"""
    st = status or {}
    unit, factor = UNITS[units] if units else ("unspecified", 1)
    e = {"name": name, "reading": None, "unit": unit,
         "state": "unavailable",
         "thresholds": {k: v * factor for k, v in thr.items()}}
    if st.get("State") in ("Absent", "Disabled"):
        return e
    if reading is None:
        if discrete_ok and st.get("Health") in HEALTH:
            e.update(state=HEALTH[st["Health"]], unit=None, thresholds={})
        return e
    e["reading"] = reading * factor
    e["state"] = HEALTH.get(st.get("Health"), "ok")
    return e


def expected_sensors():
    out = []
    for m in doc("/redfish/v1/Chassis/1U/Sensors")["Members"]:
        d = doc(m["@odata.id"])
        thr = {THR[k]: v["Reading"]
               for k, v in (d.get("Thresholds") or {}).items()
               if k in THR and v.get("Reading") is not None}
        units = d.get("ReadingUnits") or TYPE_UNITS.get(
            d.get("ReadingType"))
        out.append(expect_item(d["Name"], d.get("Reading"), units,
                               d.get("Status"), thr))
    return out


def expected_legacy():
    th = doc("/redfish/v1/Chassis/1U/Thermal")
    pw = doc("/redfish/v1/Chassis/1U/Power")
    out = []

    def legacy_thr(m):
        return {LEGACY_THR[k]: v for k, v in m.items()
                if k in LEGACY_THR and v is not None}

    for m in th.get("Temperatures", []):
        out.append(expect_item(m["Name"], m.get("ReadingCelsius"), "Cel",
                               m.get("Status"), legacy_thr(m)))
    for m in th.get("Fans", []):
        out.append(expect_item(m["Name"], m.get("Reading"),
                               m.get("ReadingUnits"), m.get("Status"),
                               legacy_thr(m)))
    for m in pw.get("Voltages", []):
        out.append(expect_item(m["Name"], m.get("ReadingVolts"), "V",
                               m.get("Status"), legacy_thr(m)))
    for m in pw.get("PowerSupplies", []):
        out.append(expect_item(m["Name"], m.get("LastPowerOutputWatts"),
                               "W", m.get("Status"), {}, True))
    for m in pw.get("PowerControl", []):
        out.append(expect_item(m["Name"], m.get("PowerConsumedWatts"), "W",
                               m.get("Status"), {}, True))
    return out


def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def compare_sensors(got, exp):
    diffs = []
    if [g["name"] for g in got] != [e["name"] for e in exp]:
        diffs.append("names: got %s\nexpected %s" % (
            [g["name"] for g in got], [e["name"] for e in exp]))
        return diffs
    for g, e in zip(got, exp):
        if not close(g["reading"], e["reading"]):
            diffs.append("%s: reading %r, expected %r" % (
                e["name"], g["reading"], e["reading"]))
        if g["unit"] != e["unit"]:
            diffs.append("%s: unit %r, expected %r" % (
                e["name"], g["unit"], e["unit"]))
        if g["state"] != e["state"]:
            diffs.append("%s: state %r, expected %r" % (
                e["name"], g["state"], e["state"]))
        if set(g["thresholds"]) != set(e["thresholds"]) or not all(
                close(g["thresholds"][k], e["thresholds"][k])
                for k in e["thresholds"]):
            diffs.append("%s: thresholds %r, expected %r" % (
                e["name"], g["thresholds"], e["thresholds"]))
    return diffs


SEV = {"Critical": "critical", "Warning": "warning", "OK": "info"}
# LogEntry SensorType and EntryCode words met in these tests, as IPMI
# tables 42-3 and 42-2 number them
LOG_TYPES = {"Temperature": 1, "Voltage": 2, "Fan": 4}
ENTRY_CODES = {"Upper Critical - going high": (0x01, 0x9),
               "Lower Critical - going low": (0x01, 0x2)}


def expected_entries(services):
    """services: [(service path, [entry dicts])], in listing order"""
    out = []
    for path, members in services:
        def key(m):
            c = m.get("Created")
            return (c is not None, c or "", int(m["Id"]))
        for m in sorted(members, key=key):
            e = {"service": path, "id": m["Id"],
                 "created": m.get("Created", ""),
                 "is_sel": m.get("EntryType") == "SEL",
                 "severity": SEV.get(m.get("Severity"), "info"),
                 "message": m.get("Message", "")}
            if e["is_sel"]:
                e["sensor_type"] = LOG_TYPES[m["SensorType"]]
                e["sensor_num"] = m.get("SensorNumber", 0)
                mid = m.get("MessageId", "")
                if len(mid) == 10 and mid[:2].lower() == "0x":
                    b = bytes.fromhex(mid[2:])
                    e["event_type"] = b[0] & 0x7f
                    e["deassert"] = bool(b[0] & 0x80)
                    e["offset"] = b[1] & 0x0f
                else:
                    et, off = ENTRY_CODES[m["EntryCode"]]
                    e["event_type"], e["offset"] = et, off
                    e["deassert"] = False
            else:
                e["event"] = m.get("Message", "")
            out.append(e)
    return out


def compare_entries(got, exp):
    diffs = []
    if len(got) != len(exp):
        return ["%d entries, expected %d:\n%s" % (len(got), len(exp),
                                                  json.dumps(got))]
    for g, e in zip(got, exp):
        for k, v in e.items():
            if g.get(k) != v:
                diffs.append("entry %s/%s: %s = %r, expected %r" % (
                    e["service"], e["id"], k, g.get(k), v))
    return diffs


def mockup_logs(overlay_members=None):
    sysp = "/redfish/v1/Systems/437XR1138R2/LogServices/Log1"
    mgrp = "/redfish/v1/Managers/BMC/LogServices/Log"
    mgr = overlay_members if overlay_members is not None else \
        doc(mgrp + "/Entries")["Members"]
    return [(sysp, doc(sysp + "/Entries")["Members"]), (mgrp, mgr)]


# ---- the tests ----

def sessions_closed(srv, name):
    """every session created was deleted, by its own token"""
    log = srv.log()
    made = [x["body"]["session"] for x in log
            if x["method"] == "POST" and x["status"] == 201]
    gone = [x["path"] for x in log
            if x["method"] == "DELETE" and x["status"] == 204 and
            x["body"].get("own")]
    ok(made and sorted(made) == sorted(gone),
       "%s: every session created is deleted at exit" % name,
       "created %s, deleted %s" % (made, gone))


def test_sensors(srv, tls_args):
    srv.reset_log()
    rc, docs, err, _ = rfdrive(srv, "sensors", "stats", extra=tls_args)
    if not ok(rc == 0 and len(docs) == 2, "sensors over https: exit 0",
              err):
        return
    diffs = compare_sensors(docs[0]["sensors"], expected_sensors())
    ok(not diffs, "sensors: every sensor of Chassis/1U/Sensors with the "
       "reading, unit, health and thresholds its JSON says",
       "\n".join(diffs))
    log = srv.log()
    member_gets = [x for x in log if x["method"] == "GET" and
                   x["path"].startswith("/redfish/v1/Chassis/1U/Sensors/")]
    coll = [x for x in log if x["path"] == "/redfish/v1/Chassis/1U/Sensors"]
    ok(len(coll) == 1 and "$expand" in coll[0]["query"] and
       not member_gets and docs[1]["expanded"] == 1,
       "sensors: the collection read once with $expand, no member GETs",
       json.dumps(coll) + " member GETs: %d" % len(member_gets))
    ok(docs[1]["gets"] + docs[1]["posts"] + docs[1]["deletes"] ==
       docs[1]["requests"] and docs[1]["requests"] ==
       len(log) - 1 and docs[1]["sessions"] == 1,
       "stats: the request counts are the server's (less the closing "
       "DELETE)", "stats %s, server saw %d" % (docs[1], len(log)))
    ok(all(x["auth"] == "token" for x in log
           if x["path"] not in ("/redfish/v1/",
                                "/redfish/v1/SessionService/Sessions")),
       "every request after the login carries the session token")
    sessions_closed(srv, "sensors")
    ok(not [x for x in log if x["method"] == "POST" and "Actions" in
            x["path"]], "no ClearLog or Reset unless asked")


def test_sensors_no_expand(tmp):
    srv = Server(tmp, "noexpand", no_expand=True)
    try:
        rc, docs, err, _ = rfdrive(srv, "sensors", "stats")
        if not ok(rc == 0, "sensors without $expand: exit 0", err):
            return
        diffs = compare_sensors(docs[0]["sensors"], expected_sensors())
        ok(not diffs, "sensors without $expand: the same model",
           "\n".join(diffs))
        n = len(doc("/redfish/v1/Chassis/1U/Sensors")["Members"])
        gets = [x for x in srv.log() if x["method"] == "GET" and
                x["path"].startswith("/redfish/v1/Chassis/1U/Sensors/")]
        ok(len(gets) == n and docs[1]["expanded"] == 0 and
           all("$expand" not in x["query"] for x in srv.log()),
           "sensors without $expand: one GET per member (%d)" % n,
           "%d GETs" % len(gets))
        ok(docs[1]["requests"] > n and 1 <= docs[1]["connects"] <= 2,
           "keep-alive: %d requests over at most 2 connections" %
           docs[1]["requests"], json.dumps(docs[1]))
    finally:
        srv.stop()


def test_legacy(tmp):
    srv = Server(tmp, "legacy", overlay={
        "/redfish/v1/Chassis/1U": {"Sensors": "__delete__"}})
    try:
        rc, docs, err, _ = rfdrive(srv, "sensors")
        if not ok(rc == 0, "older service (no Sensors): exit 0", err):
            return
        diffs = compare_sensors(docs[0]["sensors"], expected_legacy())
        ok(not diffs, "older service: Thermal (Temperatures, Fans) and "
           "Power (Voltages, PowerSupplies, PowerControl) as its JSON says",
           "\n".join(diffs))
    finally:
        srv.stop()


def test_chassis_info(srv, tls_args):
    rc, docs, err, _ = rfdrive(srv, "chassis", "info", "watchdog",
                               extra=tls_args)
    sysd = doc("/redfish/v1/Systems/437XR1138R2")
    if not ok(rc == 1 and len(docs) == 2,
              "chassis, info; watchdog: unsupported (the mockup has no "
              "HostWatchdogTimer): exit 1", err):
        return
    ok("no HostWatchdogTimer" in err and "/Systems/437XR1138R2" in err,
       "watchdog: the message names the system", err)
    c = docs[0]
    ok(c["system_power"] == ("on" if sysd["PowerState"] == "On" else "off")
       and c["health"] == HEALTH[sysd["Status"]["HealthRollup"]] and
       c["chassis_intrusion"] is None and
       c["power_restore_policy"] is None and c["main_power_fault"] is None,
       "chassis: power and health from Systems/{id}; what Redfish lacks "
       "is null", json.dumps(c))
    boot = sysd["Boot"]
    ok(c["boot"] == {"valid": True, "persistent": False,
                     "boot_type": "efi" if boot["BootSourceOverrideMode"]
                     == "UEFI" else "legacy", "boot_device": "pxe"} and
       boot["BootSourceOverrideTarget"] == "Pxe" and
       boot["BootSourceOverrideEnabled"] == "Once",
       "chassis: the boot override as the IPMI boot flags",
       json.dumps(c["boot"]))
    mgr = doc("/redfish/v1/Managers/BMC")
    root = doc("/redfish/v1")
    i = docs[1]
    ok(i["manager_firmware"] == mgr["FirmwareVersion"] and
       i["manager_uuid"] == mgr["UUID"] and
       i["system_uuid"] == sysd["UUID"] and
       i["redfish_version"] == root["RedfishVersion"] and
       i["system_serial"] == sysd["SerialNumber"],
       "info: manager, system and service identity", json.dumps(i))


def test_overlay_chassis(tmp):
    srv = Server(tmp, "chassis", overlay={
        "/redfish/v1/Systems/437XR1138R2": {
            "PowerState": "Off", "PowerRestorePolicy": "AlwaysOn",
            "Status": {"HealthRollup": "Warning"},
            "HostWatchdogTimer": {"FunctionEnabled": True,
                                  "TimeoutAction": "PowerCycle",
                                  "WarningAction": "DiagnosticInterrupt",
                                  "Status": {"State": "Enabled"}}},
        "/redfish/v1/Chassis/1U": {
            "PhysicalSecurity": {"IntrusionSensor": "HardwareIntrusion"}}})
    try:
        rc, docs, err, _ = rfdrive(srv, "chassis", "watchdog")
        if not ok(rc == 0, "chassis and watchdog (overlay): exit 0", err):
            return
        c, w = docs
        ok(c["system_power"] == "off" and c["health"] == "warning" and
           c["chassis_intrusion"] is True and
           c["power_restore_policy"] == "always-on",
           "chassis: PowerState Off, HealthRollup Warning, "
           "HardwareIntrusion, AlwaysOn", json.dumps(c))
        ok(w["running"] is True and w["action"] == "power-cycle" and
           w["pretimeout_interrupt"] == "nmi",
           "watchdog: HostWatchdogTimer read into the timer (enabled, "
           "PowerCycle, DiagnosticInterrupt)", json.dumps(w))
        ok(not [x for x in srv.log() if x["method"] in ("POST", "PATCH")
                and x["path"] != "/redfish/v1/SessionService/Sessions"],
           "watchdog is read-only: nothing but GETs and the login")
    finally:
        srv.stop()


SEL_ENTRY = {
    "@odata.id": "/redfish/v1/Managers/BMC/LogServices/Log/Entries/2",
    "@odata.type": "#LogEntry.v1_14_0.LogEntry", "Id": "2",
    "Name": "Log Entry 2", "EntryType": "SEL", "Severity": "OK",
    "Created": "2012-03-08T01:02:03+06:00", "SensorType": "Fan",
    "SensorNumber": 48, "MessageId": "0x81521020",
    "Message": "Fan 3 back above its lower critical threshold"}
NO_DATE = {
    "@odata.id": "/redfish/v1/Managers/BMC/LogServices/Log/Entries/3",
    "@odata.type": "#LogEntry.v1_14_0.LogEntry", "Id": "3",
    "Name": "Log Entry 3", "EntryType": "Event", "Severity": "Warning",
    "Message": "an entry without a date"}


def test_logs(tmp):
    mgr = doc("/redfish/v1/Managers/BMC/LogServices/Log/Entries")["Members"]
    members = mgr + [SEL_ENTRY, NO_DATE]
    srv = Server(tmp, "logs", page_size=1, overlay={
        "/redfish/v1/Managers/BMC/LogServices/Log/Entries": {
            "Members": members},
        "/redfish/v1/Managers/BMC/LogServices/Log": {
            "OverWritePolicy": "NeverOverWrites"}})
    cur = os.path.join(srv.dir, "cursor")
    try:
        rc, docs, err, _ = rfdrive(srv, "logs", extra=["--cursor", cur])
        if not ok(rc == 0, "logs: exit 0", err):
            return
        exp = expected_entries(mockup_logs(members))
        diffs = compare_entries(docs[0]["entries"], exp)
        ok(not diffs, "logs: every entry of the system's and the manager's "
           "log services, SEL codes kept (EntryCode, MessageId 0xNNaabbcc)",
           "\n".join(diffs))
        pages = [x for x in srv.log() if "$skip" in x["query"]]
        ok(len(pages) >= 3, "logs: pages followed by nextLink (page size "
           "1)", "%d page requests" % len(pages))
        svcs = {s["path"]: s for s in docs[0]["services"]}
        ok(svcs["/redfish/v1/Systems/437XR1138R2/LogServices/Log1"]["wraps"]
           and not svcs["/redfish/v1/Managers/BMC/LogServices/Log"]
           ["wraps"], "logs: OverWritePolicy read per service",
           json.dumps(docs[0]["services"]))
        rc, docs, err, _ = rfdrive(srv, "logs", extra=["--cursor", cur])
        ok(rc == 0 and docs[0]["entries"] == [],
           "logs: incremental: nothing new after the cursor", err +
           json.dumps(docs))
        # the Wraps log: never cleared
        srv.reset_log()
        rc, docs, err, _ = rfdrive(
            srv, "clear", "/redfish/v1/Systems/437XR1138R2/LogServices/Log1")
        ok(rc == 1 and "WrapsWhenFull" in err and not [
            x for x in srv.log() if "ClearLog" in x["path"]],
           "ClearLog refused on a WrapsWhenFull log: nothing posted", err)
        rc, docs, err, _ = rfdrive(
            srv, "clear", "/redfish/v1/Managers/BMC/LogServices/Log",
            "logs")
        posts = [x for x in srv.log() if "ClearLog" in x["path"]]
        ok(rc == 0 and len(posts) == 1 and posts[0]["status"] == 204 and
           posts[0]["auth"] == "token",
           "ClearLog posted once when asked, on a NeverOverWrites log", err +
           json.dumps(posts))
        left = [e for e in docs[1]["entries"] if e["service"] ==
                "/redfish/v1/Managers/BMC/LogServices/Log"]
        ok(not left, "the cleared log lists no entry", json.dumps(left))
        sessions_closed(srv, "logs")
    finally:
        srv.stop()
    # a later service with one more entry: only it is new
    newer = dict(SEL_ENTRY, Id="4", Created="2030-01-01T00:00:00Z",
                 MessageId="0x01591020")
    newer["@odata.id"] = newer["@odata.id"][:-1] + "4"
    srv = Server(tmp, "logs2", overlay={
        "/redfish/v1/Managers/BMC/LogServices/Log/Entries": {
            "Members": members + [newer]}})
    try:
        rc, docs, err, _ = rfdrive(srv, "logs", extra=["--cursor", cur])
        ok(rc == 0 and [e["id"] for e in docs[0]["entries"]] == ["4"],
           "logs: incremental by Created and Id: only the newer entry",
           err + json.dumps(docs))
    finally:
        srv.stop()


def test_reset(srv, tls_args):
    srv.reset_log()
    allowed = doc("/redfish/v1/Systems/437XR1138R2")["Actions"][
        "#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"]
    rc, docs, err, _ = rfdrive(srv, "reset", "ForceOff", extra=tls_args)
    posts = [x for x in srv.log() if "ComputerSystem.Reset" in x["path"]]
    ok(rc == 0 and len(posts) == 1 and
       posts[0]["body"] == {"ResetType": "ForceOff"} and
       posts[0]["status"] == 204,
       "reset ForceOff: one ComputerSystem.Reset POST", err +
       json.dumps(posts))
    srv.reset_log()
    rc, docs, err, _ = rfdrive(srv, "reset", "PowerCycle", extra=tls_args)
    ok("PowerCycle" not in allowed and rc == 1 and "not offered" in err and
       not [x for x in srv.log() if "Reset" in x["path"]],
       "reset PowerCycle: not in the allowed values, nothing posted", err)


def test_auth(srv, tls_args, tmp):
    bad = os.path.join(tmp, "badpw")
    with open(bad, "w") as f:
        f.write("not-the-password\n")
    srv.reset_log()
    rc, docs, err, _ = rfdrive(srv, "sensors", extra=tls_args, pwfile=bad)
    log = srv.log()
    ok(rc == 3 and "HTTP 401" in err and "wrong user name or password" in err
       and "/SessionService/Sessions" in err,
       "wrong password: exit 3, the URL and 401 said", err)
    ok(len(log) == 2 and log[1]["status"] == 401,
       "wrong password: nothing asked after the refused login",
       json.dumps(log))


def test_basic(tmp):
    srv = Server(tmp, "basic", no_sessions=True)
    try:
        rc, docs, err, _ = rfdrive(srv, "sensors", "stats")
        log = srv.log()
        ok(rc == 0 and docs[1]["auth"] == "basic" and
           docs[1]["sessions"] == 0 and
           all(x["auth"] == "basic" for x in log[2:]) and
           not [x for x in log if x["method"] == "DELETE"],
           "no sessions (405): Basic on every request, nothing to delete",
           err + json.dumps(docs[1:]))
        diffs = compare_sensors(docs[0]["sensors"], expected_sensors())
        ok(not diffs, "Basic: the same sensors", "\n".join(diffs))
    finally:
        srv.stop()


def test_relogin(tmp):
    srv = Server(tmp, "relogin")
    srv.faults({"/_test/expire": "/redfish/v1/Chassis/1U"})
    try:
        rc, docs, err, _ = rfdrive(srv, "sensors", "stats")
        log = srv.log()
        logins = [x for x in log if x["method"] == "POST" and
                  x["status"] == 201]
        ok(rc == 0 and docs[1]["relogins"] == 1 and len(logins) == 2 and
           [x["status"] for x in log if x["path"] ==
            "/redfish/v1/Chassis/1U"] == [401, 200],
           "a session lost on the BMC: one new login, the request asked "
           "again", err + json.dumps(log, indent=0)[:3000])
        diffs = compare_sensors(docs[0]["sensors"], expected_sensors())
        ok(not diffs, "after the re-login: the same sensors",
           "\n".join(diffs))
        dels = [x for x in log if x["method"] == "DELETE"]
        ok(len(dels) == 1 and dels[0]["path"] == logins[1]["body"][
            "session"] and dels[0]["status"] == 204,
           "the new session is the one deleted at exit", json.dumps(dels))
        # lost while four operations have requests out: whatever comes
        # back 401, and whenever, one new session serves them all
        srv.reset_log()
        srv.faults({"/_test/expire":
                    "/redfish/v1/Systems/437XR1138R2/LogServices"})
        rc, docs, err, _ = rfdrive(srv, "together", "stats")
        log = srv.log()
        logins = [x for x in log if x["method"] == "POST" and
                  x["status"] == 201]
        st = docs[-1] if docs else {}
        ok(rc == 0 and st.get("relogins") == 1 and len(logins) == 2 and
           len([x for x in log if x["status"] == 401]) >= 1,
           "a session lost under four operations: exactly one new login",
           err + json.dumps(st))
        dels = [x for x in log if x["method"] == "DELETE"]
        ok(len(dels) == 1 and logins and dels[0]["path"] ==
           logins[-1]["body"]["session"],
           "... and that session is deleted at exit", json.dumps(dels))
    finally:
        srv.stop()


def test_tls(srv, tls_args, wrong):
    rc, docs, err, _ = rfdrive(srv, "info")
    ok(rc == 3 and "SSL certificate problem" in err and
       srv.url + "/redfish/v1/" in err,
       "TLS: a certificate from an unknown CA is refused (exit 3, URL "
       "named)", err)
    rc, docs, err, _ = rfdrive(srv, "info", extra=["--insecure"])
    ok(rc == 0 and docs[0]["system_uuid"], "TLS: --insecure accepts it",
       err)
    rc, docs, err, _ = rfdrive(wrong, "info", extra=tls_args)
    ok(rc == 3 and ("subject name" in err or "does not match" in err),
       "TLS: a certificate for another name is refused even from the "
       "trusted CA", err)


def test_together(srv, tls_args):
    """four operations at once: one connection setup, one session"""
    srv.reset_log()
    rc, docs, err, _ = rfdrive(srv, "together", "stats", extra=tls_args)
    if not ok(rc == 0 and len(docs) == 5,
              "sensors, chassis, info and logs at once: exit 0", err):
        return
    log = srv.log()
    ok(docs[4]["sessions"] == 1 and len([x for x in log if x["path"] ==
                                         "/redfish/v1/"]) == 1,
       "at once: one service root read, one session for all four",
       json.dumps(docs[4]))
    diffs = compare_sensors(docs[0]["sensors"], expected_sensors())
    diffs += compare_entries(docs[3]["entries"],
                             expected_entries(mockup_logs()))
    ok(not diffs and docs[1]["system_power"] == "on" and
       docs[2]["manager_id"] == "BMC",
       "at once: each result as when run alone", "\n".join(diffs))
    sessions_closed(srv, "together")


def test_abandon(srv, tls_args):
    """closed in the middle: whatever was in flight, the session goes.
    The server holds one answer until told; rfdrive closes when told;
    nothing here depends on timing"""
    import select
    sess = "/redfish/v1/SessionService/Sessions"
    for what, path in (("while the login is answered", sess),
                       ("while a GET is in flight",
                        "/redfish/v1/Chassis/1U/Sensors")):
        release = srv.faultf + ".release"
        if os.path.exists(release):
            os.unlink(release)
        srv.faults({path: "hold"})
        srv.reset_log()
        p = subprocess.Popen([RFDRIVE, "-u", "admin", "-p", srv.pwfile] +
                             tls_args + [srv.url, "abandon"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: any(x.get("body", {}).get("held") and
                                 x["path"] == path for x in srv.log()),
                     RUN_TIMEOUT, "the held request")
            p.stdin.write("close\n")
            p.stdin.flush()
            r, _, _ = select.select([p.stdout], [], [], RUN_TIMEOUT)
            first = p.stdout.readline() if r else ""
            open(release, "w").close()
            # the rest through the same buffered reader: readline may
            # have taken the next line too, which communicate() (raw
            # reads of the descriptor) would never see
            p.wait(timeout=RUN_TIMEOUT)
            out, err = p.stdout.read(), p.stderr.read()
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        docs = [json.loads(x) for x in (first + out).splitlines()
                if x.strip()]
        ok(p.returncode == 0 and docs == [{"closing": True},
                                          {"closed": True, "detail": ""}],
           "closed %s: exit 0, the sweep abandoned" % what,
           "exit %s: %s %s" % (p.returncode, err, json.dumps(docs)))
        sessions_closed(srv, "closed " + what)
    srv.faults({})


def test_refused(srv):
    """a port held (bound, not listening) so nobody else answers on it"""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    try:
        url = "http://127.0.0.1:%d" % port
        rc, docs, err, el = rfdrive(srv, "sensors", url=url,
                                    extra=["--timeout", "2000"])
        ok(rc == 3 and url + "/redfish/v1/" in err and
           "Couldn't connect" in err,
           "nothing listening: exit 3, the URL and the reason said", err)
    finally:
        s.close()


FAULTS = [
    # mode, exit code, words in the message
    ("malformed", 1, "malformed JSON: line 1"),
    ("html", 1, "malformed JSON"),
    ("deep", 1, "nested deeper than 32 levels"),
    ("wrongtype", 1, "Members: expected an array, got a string"),
    ("500", 1, "HTTP 500"),
    ("redirect", 1, "HTTP 302 redirect to /redfish/v1/Elsewhere not "
     "followed"),
    ("truncated", 3, "transfer closed"),
    ("oversized", 3, "response body over 4 MiB"),
    ("oversized-stream", 3, "response body over 4 MiB"),
    ("slow", 3, "timed out after 3000 ms"),
]


def test_faults(srv, tls_args):
    path = "/redfish/v1/Chassis/1U/Sensors"
    for mode, code, words in FAULTS:
        srv.faults({path: mode})
        srv.reset_log()
        rc, docs, err, el = rfdrive(srv, "sensors", extra=tls_args +
                                    ["--timeout", "3000"])
        ok(rc == code and words in err and srv.url + path in err,
           "fault %s on the Sensors collection: exit %d, \"%s\", the URL "
           "named" % (mode, code, words), "exit %d: %s" % (rc, err))
        if mode == "slow":
            # one byte a second: the 3 s budget ends it, not the body
            ok(el < 30, "fault slow: over in %.1f s, not the body's "
               "length in seconds" % el)
        if mode == "redirect":
            ok(not [x for x in srv.log() if "Elsewhere" in x["path"]],
               "fault redirect: the Location was not requested")
        sessions_closed(srv, "fault " + mode)
    srv.faults({"/redfish/v1/Chassis/1U/Sensors/CPU1Temp": "wrongtype"})
    for how, extra in (("inline ($expand)", []),
                       ("fetched alone", ["--no-expand"])):
        rc, docs, err, _ = rfdrive(srv, "sensors", extra=tls_args + extra)
        bad = [s for s in docs[0]["sensors"] if s["note"] ==
               "malformed resource"] if docs else []
        ok(rc == 0 and len(bad) == 1 and bad[0]["state"] == "unavailable"
           and "CPU1Temp" in docs[0]["detail"] and
           "Reading: expected a number, got a string" in docs[0]["detail"],
           "fault wrongtype on one sensor, %s: that sensor marked "
           "malformed and named, the sweep goes on" % how,
           err + json.dumps(docs)[:2000])
    srv.faults({})


def make_tls(tmp):
    d = os.path.join(tmp, "tls")
    os.makedirs(d)

    def ossl(*a):
        subprocess.run(["openssl"] + list(a), cwd=d, check=True,
                       capture_output=True)

    ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
         "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=rf-test-ca")
    for name, san in (("srv", "IP:127.0.0.1"),
                      ("other", "DNS:other.invalid")):
        ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout",
             name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write("subjectAltName=%s\n" % san)
        ossl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
             "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".pem",
             "-days", "2", "-extfile", name + ".ext")
    j = lambda n: os.path.join(d, n)
    return j("ca.pem"), (j("srv.pem"), j("srv.key")), \
        (j("other.pem"), j("other.key"))


def main():
    if not os.access(RFDRIVE, os.X_OK):
        print("not ok - %s: not built (make tests)" % RFDRIVE)
        return 1
    if shutil.which("openssl") is None:
        print("not ok - openssl CLI missing (tests/deps.sh)")
        return 1
    tmp = tempfile.mkdtemp(prefix="rftest.")
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    ca, srvcert, othercert = make_tls(tmp)
    tls_args = ["--ca-file", ca]
    main_srv = Server(tmp, "main", tls=srvcert)
    wrong = Server(tmp, "wrongname", tls=othercert)
    try:
        test_sensors(main_srv, tls_args)
        test_chassis_info(main_srv, tls_args)
        test_together(main_srv, tls_args)
        test_reset(main_srv, tls_args)
        test_auth(main_srv, tls_args, tmp)
        test_tls(main_srv, tls_args, wrong)
        test_faults(main_srv, tls_args)
        test_refused(main_srv)
        test_abandon(main_srv, tls_args)
        test_sensors_no_expand(tmp)
        test_legacy(tmp)
        test_overlay_chassis(tmp)
        test_logs(tmp)
        test_basic(tmp)
        test_relogin(tmp)
    finally:
        main_srv.stop()
        wrong.stop()
        rc = finish(tmp)
    return rc


if __name__ == "__main__":
    sys.exit(main())
