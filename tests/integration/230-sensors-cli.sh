#!/bin/bash
# bmcwatch sensors / sdr command line (issue 3): filters, -v thresholds,
# the severity config (override, exclusion, file:line errors), exit
# codes, sdr info / list.
. "$(dirname "$0")/lib.sh"
sim_start || exit 1
trap sim_stop EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache

bw sensors --type Fan >"$W/fan.out"
check_eq "--type Fan: 5 fans + PS Fan Fail" "$(cut -d'|' -f1 "$W/fan.out" | tr -s ' ' | tr '\n' ',')" \
    "FAN1 ,FAN2 ,FAN3 ,FAN4 ,FAN5 ,PS Fan Fail ,"
check_eq "--type 0x02 (Voltage) count" "$(bw sensors --type 0x02 | wc -l)" 5
check_eq "--name 'CPU? Temp'" "$(bw sensors --name 'CPU? Temp' | cut -c1-9 | tr '\n' ,)" \
    "CPU1 Temp,CPU2 Temp,"
check "-v shows thresholds" sh -c "'$BMCWATCH' -I lanplus -H $SIM_HOST -p $SIM_PORT -U admin -f '$(sim_pwfile admin)' -C 3 sensors -v --name P12V | grep -q 'lnr=10.20 lc=10.80 lnc=11.40 unc=12.60 uc=13.20 unr=13.80'"
check_eq "json type filter" "$(bw sensors --json --type Power_Supply | python3 -c 'import json,sys; print(sorted(s["name"] for s in json.load(sys.stdin)["sensors"]))')" \
    "['PS Redundancy', 'PS1 Status', 'PS2 Status']"
bw sensors --type nosuchtype >/dev/null 2>&1
check_eq "unknown type: exit 2" "$?" 2

cat >"$W/sev.conf" <<'CONF'
# the riser is optional here; a PS1 presence alone is worth a warning
exclude "Riser Present"
sensor "PS1 Status" offset 0 warning
sensor #0x02 event 0x01 offset 7 critical
CONF
sim_set_value 0x02 90 >/dev/null
bw sensors --json --severity-config "$W/sev.conf" >"$W/sev.json" 2>"$W/sev.err" || cat "$W/sev.err"
check_eq "excluded sensor gone" \
    "$(json_get "$W/sev.json" 'len([s for s in d["sensors"] if s["name"] == "Riser Present"])')" 0
check_eq "override by name" \
    "$(json_get "$W/sev.json" '[s["state"] for s in d["sensors"] if s["name"] == "PS1 Status"][0]')" warning
check_eq "override by number (UNC made critical)" \
    "$(json_get "$W/sev.json" '[s["state"] for s in d["sensors"] if s["name"] == "CPU2 Temp"][0]')" critical
printf 'exclude FAN1\nsensor x offset 99 ok\n' >"$W/bad.conf"
bw sensors --severity-config "$W/bad.conf" >/dev/null 2>"$W/bad.err"
check_eq "bad config: exit 2" "$?" 2
check "bad config: file:line: message" grep -q "bad.conf:2: bad offset '99'" "$W/bad.err"

"$BMCWATCH" -I lanplus -H 127.0.0.1 -p 9 -U admin -f "$(sim_pwfile admin)" \
    -C 3 -t 0.5 -R 0 sensors --no-sdr-cache >/dev/null 2>&1
check_eq "no BMC: exit 3" "$?" 3

bw sdr info --json >"$W/info.json"
check_eq "sdr info: record count as ipmitool" \
    "$(json_get "$W/info.json" 'd["records"]')" \
    "$(sim_ipmitool sdr info | sed -n 's/^Record Count *: //p')"
bw sdr list >"$W/list.out"
check "sdr list: event-only record" grep -q "event-only *| Session Audit" "$W/list.out"
check "sdr list: FRU locator" grep -q "fru-locator *| Mainboard FRU" "$W/list.out"
check "sdr list: MC locator" grep -q "mc-locator *| BMC" "$W/list.out"
check_eq "sdr list: one line per record" "$(wc -l <"$W/list.out")" \
    "$(json_get "$W/info.json" 'd["records"]')"
# offline: an image file needs no BMC at all
bw sdr dump "$W/img.bin" >/dev/null
"$BMCWATCH" sdr list --sdr-file "$W/img.bin" >"$W/offline.out" 2>&1
check_eq "offline sdr list: exit 0" "$?" 0
check_eq "offline sdr list: same records" "$(cat "$W/offline.out")" \
    "$(cat "$W/list.out")"
finish
