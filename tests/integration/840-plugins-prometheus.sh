#!/bin/bash
# bmcwatchd's Prometheus textfile (prometheus-textfile) on the simulated
# BMC:
#   - written after the first sweep; promtool check metrics parses it
#     (its only lint finding is the _count suffix of
#     ipmi_sel_entries_count, a name kept for ipmi_exporter's
#     dashboards); a strict parser of the exposition format agrees;
#   - ipmi_exporter's names and labels (id, name, type for generic
#     sensors) plus target; values equal the daemon's own answer
#     (bmcwatch -S sensors --json), sensor by sensor;
#   - the sim changed: the next sweep's file shows FAN3's new value and
#     state 2; SEL entries counted;
#   - replaced atomically: a reader looping over it meanwhile never sees
#     a partial file, and no temporary file is left;
#   - the BMC gone: ipmi_up{collector="ipmi"} 0 and no stale values;
#   - SIGHUP to a new path: written there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a"
trap '[ -n "${READER:-}" ] && kill "$READER" 2>/dev/null; d_cleanup' EXIT
command -v promtool >/dev/null 2>&1 || skip_all "promtool not installed (Debian: prometheus)"
sim_as a || { not_ok "sim a"; exit 1; }
mkdir -p "$W/tf"
[ "$(id -u)" = 0 ] && chown "$D_USER" "$W/tf"
P=$W/tf/bmcwatch.prom
d_conf "$W/d.conf" "prometheus-textfile \"$P\""
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 0.5  retries 1  unreachable-after 2
	backoff-max 2' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
# written once the first sweep is in (a file from before it holds the
# chassis and SEL alone)
check "the textfile is written, sensors in it" wait_for 20 grep -q \
    '^ipmi_temperature_celsius{' "$P"

# promtool: parse errors exit 1; lint findings exit 3 with one line each
promtool_ok() {
	promtool check metrics <"$1" >"$W/promtool.out" 2>&1
	_rc=$?
	[ "$_rc" = 0 ] && return 0
	[ "$_rc" = 3 ] || return 1
	! grep -v '^ipmi_sel_entries_count non-histogram and non-summary metrics should not have "_count" suffix$' \
	    "$W/promtool.out" | grep -q .
}
cp "$P" "$W/snap.prom"
if promtool_ok "$W/snap.prom"; then
	ok "promtool check metrics: parses, no lint finding but _count"
else
	not_ok "promtool check metrics"
	show_file "$W/promtool.out"
fi
cat >"$W/strict.py" <<'PY'
import math, re, sys
# the text exposition format, strictly: HELP/TYPE before the samples of
# a family, families contiguous, names and labels well-formed, values
# floats (NaN allowed), no duplicate series
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
text = open(sys.argv[1]).read()
assert text.endswith("\n"), "no final newline"
seen_fam, cur, series = set(), None, set()
out = {}
for n, line in enumerate(text.split("\n")[:-1], 1):
    if line.startswith("# HELP "):
        m = re.match(r"^# HELP (%s) .+$" % NAME, line)
        assert m, "line %d: bad HELP" % n
        assert m.group(1) not in seen_fam, "line %d: family %s again" % (n, m.group(1))
        cur = m.group(1)
        seen_fam.add(cur)
        continue
    if line.startswith("# TYPE "):
        m = re.match(r"^# TYPE (%s) (gauge|counter|untyped)$" % NAME, line)
        assert m and m.group(1) == cur, "line %d: TYPE not after its HELP" % n
        continue
    assert not line.startswith("#"), "line %d: stray comment" % n
    m = re.match(r"^(%s)\{(.*)\} (\S+)$" % NAME, line)
    assert m, "line %d: bad sample %r" % (n, line)
    assert m.group(1) == cur, "line %d: sample of %s outside its family %s" % (n, m.group(1), cur)
    labels, rest = {}, m.group(2)
    while rest:
        lm = re.match(LABEL + "(,|$)", rest)
        assert lm, "line %d: bad labels %r" % (n, rest)
        assert lm.group(1) not in labels, "line %d: label twice" % n
        labels[lm.group(1)] = lm.group(2).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        rest = rest[lm.end():]
    v = m.group(3)
    assert v == "NaN" or re.match(r"^-?[0-9]+(\.[0-9]+)?$", v), "line %d: bad value %r" % (n, v)
    key = (m.group(1), tuple(sorted(labels.items())))
    assert key not in series, "line %d: duplicate series" % n
    series.add(key)
    assert "target" in labels, "line %d: no target label" % n
    out.setdefault(m.group(1), {})[labels.get("name", labels.get("collector", ""))] = (labels, float(v))
import json
json.dump(out, open(sys.argv[2], "w"))
PY
if python3 "$W/strict.py" "$W/snap.prom" "$W/snap.json" 2>"$W/strict.err"; then
	ok "a strict exposition-format parser agrees"
else
	not_ok "strict parser"
	show_file "$W/strict.err"
fi
# names and labels, values against the daemon's own answer
d_ask --target a --json sensors >"$W/sensors.json"
if python3 - "$W/snap.json" "$W/sensors.json" >"$W/cmp.out" 2>&1 <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))["sensors"]
fam = {"degrees C": "ipmi_temperature_celsius", "RPM": "ipmi_fan_speed_rpm",
       "Volts": "ipmi_voltage_volts", "Amps": "ipmi_current_amperes",
       "Watts": "ipmi_power_watts"}
state = {"ok": 0, "warning": 1, "critical": 2, "nonrecoverable": 2}
n = 0
for x in s:
    f = fam.get(x["unit"], "ipmi_sensor_value") if x["reading_type"] == "threshold" and x["unit"] else "ipmi_sensor_value"
    labels, v = m[f][x["name"]]
    assert labels["id"] == str(x["record_id"]), (x["name"], labels)
    assert labels["target"] == "a"
    if f == "ipmi_sensor_value":
        assert labels["type"] == x["type"], (x["name"], labels)
    if x["reading"] is None:
        assert v != v, (x["name"], v)      # NaN
    else:
        assert abs(v - x["reading"]) < 1e-9, (x["name"], v, x["reading"])
    sf = f.replace("_celsius", "_state").replace("_rpm", "_state").replace("_volts", "_state").replace("_amperes", "_state").replace("_watts", "_state").replace("_value", "_state")
    sv = m[sf][x["name"]][1]
    if x["state"] in state:
        assert sv == state[x["state"]], (x["name"], sv)
    n += 1
for k in ("ipmi_sel_entries_count", "ipmi_sel_free_space_bytes", "ipmi_chassis_power_state",
          "ipmi_up", "ipmi_bmc_info", "ipmi_scrape_duration_seconds"):
    assert k in m, k
assert m["ipmi_chassis_power_state"][""][1] == 1
assert {c: m["ipmi_up"][c][1] for c in ("ipmi", "chassis", "sel", "bmc")} == {"ipmi": 1, "chassis": 1, "sel": 1, "bmc": 1}
print(n)
PY
then ok "every sensor ($(cat "$W/cmp.out")) in ipmi_exporter's family with id/name/type/target, value and state as the daemon answers"
else
	not_ok "metrics against the daemon's answer"
	show_file "$W/cmp.out"
fi

# a reader meanwhile: every read is a whole file
python3 - "$P" "$W/reader.out" <<'PY' &
import sys, time
bad = n = 0
end = time.time() + 6
while time.time() < end:
    try:
        t = open(sys.argv[1]).read()
    except FileNotFoundError:
        bad += 1
        continue
    n += 1
    if not t.endswith("\n") or "bmcwatch_sel_open_problems" not in t:
        bad += 1
open(sys.argv[2], "w").write("%d %d\n" % (n, bad))
PY
READER=$!

# the sim changed: FAN3 600 RPM (below lc 700), a SEL entry or two
sim_use a
sim_set_value 0x0a 6 >/dev/null
fan3() { grep -q '^ipmi_fan_speed_rpm{id="10",name="FAN3",target="a"} 600$' "$P" &&
    grep -q '^ipmi_fan_speed_state{id="10",name="FAN3",target="a"} 2$' "$P"; }
check "FAN3 600 RPM, state 2, in the file" wait_for 15 fan3
sel_n() { grep -Eq '^ipmi_sel_entries_count\{target="a"\} [1-9]' "$P"; }
check "its SEL events counted" wait_for 15 sel_n
wait "$READER"
READER=
read -r reads bad <"$W/reader.out"
check "a reader looping meanwhile never saw a partial file ($reads reads, $bad bad)" \
    test "$bad" = 0 -a "$reads" -gt 10
# (a sweep may be writing one this instant: left means never renamed)
only_prom() { [ "$(ls "$W/tf")" = bmcwatch.prom ]; }
check "no temporary file left" wait_for 10 only_prom
cp "$P" "$W/snap2.prom"
check "still parses" promtool_ok "$W/snap2.prom"

# the BMC gone
sim_stop_as a
down() { grep -q '^ipmi_up{collector="ipmi",target="a"} 0$' "$P"; }
check "BMC stopped: ipmi_up{collector=\"ipmi\"} 0" wait_for 20 down
check "and no stale sensor values" test "$(grep -c '^ipmi_fan_speed_rpm' "$P")" = 0
cp "$P" "$W/snap3.prom"
check "still parses" promtool_ok "$W/snap3.prom"

# SIGHUP: a new path
sed -i "s|prometheus-textfile \".*\"|prometheus-textfile \"$W/tf/other.prom\"|" "$W/d.conf"
kill -HUP "$DPID"
check "SIGHUP: written at the new path" wait_for 15 test -s "$W/tf/other.prom"
check "the daemon still runs" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish
