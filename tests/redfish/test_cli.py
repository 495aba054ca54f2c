#!/usr/bin/env python3
"""bmcwatch -I redfish against the DMTF public-rackmount1 mockup served by
tests/redfish/server.py on 127.0.0.1 (HTTPS with a CA made here): the
CLI's JSON has the members of the IPMI shapes, with the values the
mockup's JSON says and null for what Redfish lacks; the session is
deleted at exit; passwords only from a 0600 file or IPMI_PASSWORD; exit
codes 1, 2, 3 as over IPMI.  Expectations come from the mockup files
(tests/redfish/test_redfish.py's helpers), never from an earlier run.

    python3 tests/redfish/test_cli.py BMCWATCH
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_redfish as T  # noqa: E402

BMCWATCH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    T.ROOT, "build", "bmcwatch")
# the IPMI shapes' keys (agent/bmc/shape.c) that Redfish cannot tell
SHORT = {"lower_non_critical": "lnc", "lower_critical": "lc",
         "lower_non_recoverable": "lnr", "upper_non_critical": "unc",
         "upper_critical": "uc", "upper_non_recoverable": "unr"}
SENSOR_KEYS = {"name", "number", "owner", "lun", "record_id", "type",
               "entity", "reading", "unit", "reading_type", "state",
               "state_bits", "events", "thresholds", "note"}
VERBOSE_KEYS = {"thresholds_settable", "hysteresis_positive",
                "hysteresis_negative", "state_mismatch"}
CHASSIS_KEYS = {"system_power", "power_overload", "power_interlock",
                "main_power_fault", "power_control_fault",
                "power_restore_policy", "last_power_event",
                "chassis_intrusion", "front_panel_lockout", "drive_fault",
                "cooling_fan_fault", "identify_supported", "identify_state",
                "front_panel", "health", "raw"}
WDT_KEYS = {"timer_use", "timer_use_text", "running", "logging", "action",
            "action_text", "pretimeout_interrupt", "pretimeout_interval_s",
            "expiration_flags", "expiration_flags_raw",
            "initial_countdown_s", "present_countdown_s", "quirks", "raw"}
INFO_KEYS = {"device_id", "device_revision", "firmware_revision",
             "ipmi_version", "manufacturer_id", "manufacturer_name",
             "product_id", "device_available", "provides_device_sdrs",
             "additional_device_support", "aux_firmware_rev",
             "device_guid", "system_guid", "device_id_raw", "redfish"}


def bmcwatch(srv, *cmd, extra=(), pwfile=None, env=None, url=None,
             pw_args=None):
    args = [BMCWATCH, "-I", "redfish", "-H", url or srv.url, "-U", "admin"]
    args += pw_args if pw_args is not None else ["-f", pwfile or srv.pwfile]
    args += list(extra) + list(cmd)
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True,
                       timeout=T.RUN_TIMEOUT, env=env)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def jdoc(out):
    try:
        return json.loads(out)
    except ValueError:
        return None


def test_sensors(srv, tls):
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "--json", "sensors", "-v", extra=tls)
    d = jdoc(out)
    if not T.ok(rc == 0 and d is not None, "sensors --json -v: exit 0",
                err + out[:500]):
        return
    got = d["sensors"]
    exp = T.expected_sensors()
    for e in exp:
        e["thresholds"] = {SHORT[k]: v for k, v in e["thresholds"].items()}
    T.ok(not T.compare_sensors(got, exp),
         "sensors: every sensor of the mockup with the reading, unit, "
         "health and thresholds its JSON says",
         "\n".join(T.compare_sensors(got, exp)))
    T.ok(all(set(s) == SENSOR_KEYS | VERBOSE_KEYS for s in got),
         "sensors: the members of the IPMI shape, no more, no fewer",
         json.dumps(got[0]))
    T.ok(all(s["owner"] is None and s["lun"] is None and
             s["record_id"] is None and s["thresholds_settable"] is None
             and s["hysteresis_positive"] is None for s in got),
         "sensors: SDR-only fields (owner, lun, record_id, settable "
         "thresholds, hysteresis) are null", json.dumps(got[0]))
    T.sessions_closed(srv, "cli sensors")
    rc, out, err, _ = bmcwatch(srv, "sensors", "--name", "CPU*",
                               extra=tls)
    lines = [x for x in out.splitlines() if x.strip()]
    names = [e["name"] for e in exp if e["name"].startswith("CPU")]
    T.ok(rc == 0 and len(lines) == len(names) and
         all(x.split("|")[0].strip() in names for x in lines),
         "sensors --name CPU*: text, the CPU sensors only", out + err)


def test_chassis(srv, tls):
    sysd = T.doc("/redfish/v1/Systems/437XR1138R2")
    rc, out, err, _ = bmcwatch(srv, "chassis", "status", "--json",
                               extra=tls)
    c = jdoc(out)
    if not T.ok(rc == 0 and c is not None, "chassis status --json: exit 0",
                err):
        return
    T.ok(set(c) == CHASSIS_KEYS, "chassis status: the IPMI shape's members",
         json.dumps(c))
    T.ok(c["system_power"] == ("on" if sysd["PowerState"] == "On" else
                               "off") and
         c["health"] == T.HEALTH[sysd["Status"]["HealthRollup"]] and
         c["power_overload"] is None and c["chassis_intrusion"] is None and
         c["raw"] is None and c["last_power_event"] is None,
         "chassis status: power and health from the system, the rest null",
         json.dumps(c))
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "chassis", "power", "off", "--json",
                               extra=tls)
    posts = [x for x in srv.log() if "ComputerSystem.Reset" in x["path"]]
    T.ok(rc == 0 and jdoc(out) == {"chassis_power_control": "off",
                                   "reset_type": "ForceOff"} and
         len(posts) == 1 and posts[0]["body"] == {"ResetType": "ForceOff"},
         "chassis power off: one ComputerSystem.Reset ForceOff",
         out + err + json.dumps(posts))
    T.sessions_closed(srv, "cli chassis power")
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "chassis", "power", "cycle", extra=tls)
    T.ok(rc == 1 and "not offered" in err and
         not [x for x in srv.log() if "Reset" in x["path"]],
         "chassis power cycle: PowerCycle not allowed by the system: exit "
         "1, nothing posted", err)
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "chassis", "identify", "force",
                               "--json", extra=tls)
    rc2, out2, _, _ = bmcwatch(srv, "chassis", "status", "--json",
                               extra=tls)
    patches = [(x["path"], x["body"], x["status"]) for x in srv.log()
               if x["method"] == "PATCH"]
    T.ok(rc == 0 and jdoc(out) == {"identify": "indefinite"} and
         patches == [("/redfish/v1/Systems/437XR1138R2",
                      {"IndicatorLED": "Lit"}, 204)] and
         (jdoc(out2) or {}).get("identify_state") == "indefinite on",
         "chassis identify force: the system's IndicatorLED PATCHed to "
         "Lit, chassis status then says indefinite on",
         out + err + out2 + json.dumps(patches))
    rc, out, err, _ = bmcwatch(srv, "chassis", "identify", "off", "--json",
                               extra=tls)
    patches = [x["body"] for x in srv.log() if x["method"] == "PATCH"]
    T.ok(rc == 0 and jdoc(out) == {"identify_seconds": 0} and
         patches[-1:] == [{"IndicatorLED": "Off"}],
         "chassis identify off: IndicatorLED Off", out + err)
    rc, out, err, _ = bmcwatch(srv, "chassis", "identify", "10", extra=tls)
    T.ok(rc == 2 and "no Redfish equivalent" in err and
         len([x for x in srv.log() if x["method"] == "PATCH"]) == 2,
         "chassis identify 10: a usage error (no timed identify in "
         "Redfish), nothing sent", err)


def test_info(srv, tls):
    rc, out, err, _ = bmcwatch(srv, "info", "--json", extra=tls)
    i = jdoc(out)
    if not T.ok(rc == 0 and i is not None, "info --json: exit 0", err):
        return
    mgr = T.doc("/redfish/v1/Managers/BMC")
    sysd = T.doc("/redfish/v1/Systems/437XR1138R2")
    root = T.doc("/redfish/v1")
    T.ok(set(i) == INFO_KEYS and i["device_id"] is None and
         i["ipmi_version"] is None and i["device_id_raw"] is None,
         "info: the IPMI shape's members, the Device ID ones null",
         json.dumps(i))
    T.ok(i["firmware_revision"] == mgr["FirmwareVersion"] and
         i["device_guid"] == mgr["UUID"] and
         i["system_guid"] == sysd["UUID"] and
         i["manufacturer_name"] == sysd["Manufacturer"] and
         i["redfish"]["version"] == root["RedfishVersion"] and
         i["redfish"]["system_serial"] == sysd["SerialNumber"],
         "info: firmware, GUIDs, manufacturer, version from the mockup",
         json.dumps(i))


def test_watchdog(srv, tls, tmp):
    rc, out, err, _ = bmcwatch(srv, "watchdog", "get", extra=tls)
    T.ok(rc == 1 and "no HostWatchdogTimer" in err and srv.url in err,
         "watchdog get: the mockup has no HostWatchdogTimer: exit 1, the "
         "URL named", err)
    rc, out, err, _ = bmcwatch(srv, "watchdog", "set", "--timeout", "5",
                               extra=tls)
    T.ok(rc == 2 and "read-only" in err,
         "watchdog set over redfish: a usage error (read-only)", err)
    ov = T.Server(tmp, "cli-wdt", overlay={
        "/redfish/v1/Systems/437XR1138R2": {
            "HostWatchdogTimer": {"FunctionEnabled": True,
                                  "TimeoutAction": "PowerCycle",
                                  "WarningAction": "None",
                                  "Status": {"State": "Enabled"}}}})
    try:
        rc, out, err, _ = bmcwatch(ov, "watchdog", "get", "--json")
        w = jdoc(out)
        T.ok(rc == 0 and w is not None and set(w) == WDT_KEYS and
             w["running"] is True and w["action"] == "power-cycle" and
             w["timer_use"] is None and w["initial_countdown_s"] is None
             and w["raw"] is None,
             "watchdog get (overlay): running, PowerCycle; use, countdown "
             "and raw null", out + err)
    finally:
        ov.stop()


def test_sel(srv, tls):
    exp = T.expected_entries(T.mockup_logs())
    rc, out, err, _ = bmcwatch(srv, "sel", "list", "--json", extra=tls)
    d = jdoc(out)
    if not T.ok(rc == 0 and d is not None, "sel list --json: exit 0", err):
        return
    got = d["entries"]
    T.ok(len(got) == len(exp) and
         [g["severity"] for g in got] == [e["severity"] for e in exp],
         "sel list: every log entry of the system and manager logs, with "
         "its severity", json.dumps(got)[:1500])
    nonsel = [(g, e) for g, e in zip(got, exp) if not e["is_sel"]]
    T.ok(all(g["event"] == e["event"] for g, e in nonsel),
         "sel list: a non-SEL entry's Message is its event text",
         json.dumps(nonsel)[:1500])
    rc, out, err, _ = bmcwatch(srv, "sel", "list", "--last", "1", "--json",
                               extra=tls)
    d1 = jdoc(out)
    T.ok(rc == 0 and d1 is not None and len(d1["entries"]) == 1 and
         d1["entries"][0] == got[-1],
         "sel list --last 1: the newest only", out + err)
    rc, out, err, _ = bmcwatch(srv, "sel", "info", "--json", extra=tls)
    i = jdoc(out)
    T.ok(rc == 0 and i is not None and i["entries"] == len(exp) and
         i["version"] is None and i["free_bytes"] is None and
         len(i["log_services"]) == 2 and
         all(s["overwrite_policy"] == "WrapsWhenFull" and
             not s["clear_supported"] for s in i["log_services"]),
         "sel info: the count, IPMI-only members null, both log services "
         "WrapsWhenFull (never cleared)", out + err)
    T.ok(not [x for x in srv.log() if "ClearLog" in x["path"]],
         "sel info/list: no ClearLog")


def test_sel_archive(tmp):
    mgr = "/redfish/v1/Managers/BMC/LogServices/Log"
    sysl = "/redfish/v1/Systems/437XR1138R2/LogServices/Log1"
    srv = T.Server(tmp, "cli-archive", overlay={
        mgr: {"OverWritePolicy": "NeverOverWrites", "MaxNumberOfRecords": 2},
        sysl: {"MaxNumberOfRecords": 2}},
        clear_snapshot=os.path.join(tmp, "cli-archive", "sel.log"))
    arch = os.path.join(srv.dir, "sel.log")
    state = os.path.join(srv.dir, "cursor")
    extra = ["--archive", arch, "--state", state, "--bmc", "rf-bmc"]
    exp = T.expected_entries(T.mockup_logs())
    try:
        rc, out, err, _ = bmcwatch(srv, "sel", "archive", "--json", *extra)
        d = jdoc(out)
        lines = open(arch).read().splitlines() if os.path.exists(arch) \
            else []
        T.ok(rc == 0 and d is not None and d["archived"] == len(exp) and
             len(lines) == len(exp) and d["cleared"] == 0 and
             all("\trf-bmc\t" in x for x in lines) and
             not [x for x in srv.log() if "ClearLog" in x["path"]],
             "sel archive: every entry appended to the archive, nothing "
             "cleared without --clear-at", out + err + "\n".join(lines))
        srv.reset_log()
        rc, out, err, _ = bmcwatch(srv, "sel", "archive", "--json",
                                   "--clear-at", "50", *extra)
        d = jdoc(out)
        posts = [x for x in srv.log() if "ClearLog" in x["path"]]
        res = {x["path"]: x["result"] for x in d["log_services"]} if d \
            else {}
        T.ok(rc == 0 and d["archived"] == 0 and
             len(open(arch).read().splitlines()) == len(exp),
             "sel archive again: the cursor says nothing is new",
             out + err)
        T.ok(len(posts) == 1 and posts[0]["path"].startswith(mgr) and
             res.get(mgr) == "cleared" and "WrapsWhenFull" in
             res.get(sysl, ""),
             "--clear-at 50: the full NeverOverWrites log cleared (one "
             "ClearLog), the WrapsWhenFull one never", out + err +
             json.dumps(posts))
        # two new entries fill it; a third arrives right after the
        # first listing: archived before the ClearLog, not lost to it
        srv.reset_log()
        T.add_entries(srv, [T.log_entry(mgr, 1, "2016-01-01T00:00:01Z",
                                        "cli one"),
                            T.log_entry(mgr, 2, "2016-01-01T00:00:02Z",
                                        "cli two")],
                      [T.log_entry(mgr, 3, "2016-01-01T00:00:03Z",
                                   "cli between")])
        rc, out, err, _ = bmcwatch(srv, "sel", "archive", "--json",
                                   "--clear-at", "50", *extra)
        d = jdoc(out)
        posts = [x for x in srv.log() if "ClearLog" in x["path"]]
        snap = posts[0]["body"].get("snapshot") or "" if posts else ""
        T.ok(rc == 0 and d["archived"] == 3 and len(posts) == 1 and
             all(m in snap for m in ("cli one", "cli two", "cli between")),
             "--clear-at: listed again until nothing is new; the ClearLog "
             "only once all three entries (one arriving between listings) "
             "are in the archive", out + err + json.dumps(posts))
    finally:
        srv.stop()


def test_auth(srv, tls, tmp):
    bad = os.path.join(tmp, "cli-badpw")
    with open(bad, "w") as f:
        f.write("not-the-password\n")
    os.chmod(bad, 0o600)
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "sensors", extra=tls, pwfile=bad)
    T.ok(rc == 3 and "authentication failed" in err and
         "/SessionService/Sessions" in err and out == "",
         "wrong password: exit 3, a clear message naming the URL", err)
    loose = os.path.join(tmp, "cli-loosepw")
    shutil.copy(srv.pwfile, loose)
    os.chmod(loose, 0o644)
    rc, out, err, _ = bmcwatch(srv, "info", extra=tls, pwfile=loose)
    T.ok(rc == 2 and "chmod 600" in err,
         "a password file others may read: refused, exit 2", err)
    rc, out, err, _ = bmcwatch(srv, "info", extra=tls,
                               pw_args=["-P", T.PASSWORD])
    T.ok(rc == 2 and "-f FILE or -E" in err,
         "-P (a password in argv): refused, exit 2", err)
    env = dict(os.environ, IPMI_PASSWORD=T.PASSWORD)
    rc, out, err, _ = bmcwatch(srv, "info", "--json", extra=tls,
                               pw_args=["-E"], env=env)
    T.ok(rc == 0 and jdoc(out) is not None,
         "-E: the password from IPMI_PASSWORD", err)
    rc, out, err, _ = bmcwatch(srv, "info", extra=tls, pw_args=[])
    T.ok(rc == 2 and "needs a password" in err,
         "no password given: exit 2, said", err)


def test_tls(srv, tls):
    rc, out, err, _ = bmcwatch(srv, "info")
    T.ok(rc == 3 and "SSL certificate problem" in err and srv.url in err,
         "TLS: a certificate from an unknown CA is refused (exit 3, URL "
         "named)", err)
    rc, out, err, _ = bmcwatch(srv, "info", extra=["--insecure"])
    T.ok(rc == 0 and "verification is off" in err,
         "TLS: --insecure accepts it, and says so", err)


def test_stats_faults(srv, tls):
    srv.reset_log()
    rc, out, err, _ = bmcwatch(srv, "sensors", "--stats", extra=tls)
    log = srv.log()
    line = [x for x in err.splitlines() if "stats:" in x]
    fields = dict(kv.split("=") for kv in line[0].split("stats: ")[1]
                  .split()) if line else {}
    T.ok(rc == 0 and fields.get("requests") == str(len(log)) and
         fields.get("sessions") == "1" and
         fields.get("sessions_deleted") == "1",
         "--stats: the request count is the server's, one session made "
         "and deleted", err + " server saw %d" % len(log))
    path = "/redfish/v1/Chassis/1U/Sensors"
    for mode, code, words in (("malformed", 3, "malformed JSON"),
                              ("truncated", 3, ""),
                              ("500", 1, "HTTP 500"),
                              ("slow", 3, "")):
        srv.faults({path: mode})
        srv.reset_log()
        rc, out, err, el = bmcwatch(srv, "sensors", extra=tls + ["-t", "3"])
        T.ok(rc == code and words in err and srv.url + path in err,
             "fault %s on the Sensors collection: exit %d, the URL named"
             % (mode, code), "exit %d: %s" % (rc, err))
        if mode == "slow":
            T.ok(el < 30, "fault slow: over in %.1f s (-t 3)" % el)
        T.sessions_closed(srv, "cli fault " + mode)
    srv.faults({})


def main():
    if not os.access(BMCWATCH, os.X_OK):
        print("not ok - %s: not built" % BMCWATCH)
        return 1
    tmp = tempfile.mkdtemp(prefix="rfcli.")
    with open(os.path.join(tmp, "pw"), "w") as f:
        f.write(T.PASSWORD + "\n")
    os.chmod(os.path.join(tmp, "pw"), 0o600)
    ca, srvcert, _ = T.make_tls(tmp)
    tls = ["--ca-file", ca]
    srv = T.Server(tmp, "main", tls=srvcert)
    try:
        test_sensors(srv, tls)
        test_chassis(srv, tls)
        test_info(srv, tls)
        test_watchdog(srv, tls, tmp)
        test_sel(srv, tls)
        test_sel_archive(tmp)
        test_auth(srv, tls, tmp)
        test_tls(srv, tls)
        test_stats_faults(srv, tls)
    except Exception as e:
        T.ok(False, "the test ran to its end", repr(e))
    finally:
        T.stop_servers(srv)
    return T.finish(tmp)


if __name__ == "__main__":
    sys.exit(main())
