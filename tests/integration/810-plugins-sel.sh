#!/bin/bash
# check_bmc_sel against bmcwatchd on a sim with a 40-entry SEL, changed
# at runtime:
#   - an empty SEL: OK; CPU1 Temp past upper non-critical: WARNING naming
#     the event; past upper critical: CRITICAL; back (the deassertions):
#     OK again by itself, nobody clears the log;
#   - --max-age: an open problem older than it no longer counts;
#   - sel ack through the socket closes a problem for the check;
#   - fullness: -w/-c on the percentage used; a full SEL (overflow) is
#     WARNING without any threshold;
#   - the BMC gone: UNKNOWN (stale); no daemon: UNKNOWN;
#   - every output follows the guidelines (perfdata.py).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
sed 's/^sel_enable 0x20 [0-9]* /sel_enable 0x20 40 /' "$SIM_DIR/bmc.emu" \
    >"$W/small.emu"
cp "$SIM_DIR/bmc.sdrs" "$W/small.sdrs"
sim_as a "$W/small.emu" || { not_ok "sim a"; exit 1; }
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 1
	chassis-interval 2  timeout 1  retries 1  unreachable-after 3
	backoff-max 4  allow sel-ack  sel-clear-at 0' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up

p_state "empty SEL" 0 '^BMC SEL OK - no open problems; SEL 0% used \(0 entries\) \|' \
    check_bmc_sel
check "perfdata: entries, open, used, free" \
    grep -Eq "\| 'entries'=0;;;0; 'open'=0;;;0; 'used'=0%;;;0;100 'free'=[0-9]+B;;;0;$" \
    "$W/p.out"

sim_use a
sim_set_value 0x01 90 1 >/dev/null	# past upper non-critical (85)
p_state "CPU1 Temp 90" 1 \
    '^BMC SEL WARNING - 1 open problem: #1 CPU1 Temp: Upper Non-critical going high; reading 90.00 degrees C; threshold 85.00 degrees C \(warning, [0-9T:Z-]+\); SEL [0-9]+% used \(1 entries\)' \
    check_bmc_sel
sim_set_value 0x01 97 1 >/dev/null	# past upper critical (95)
p_state "CPU1 Temp 97" 2 '^BMC SEL CRITICAL - 2 open problems: #1 CPU1 Temp: .*#2 CPU1 Temp: Upper Critical going high' \
    check_bmc_sel
check_eq "long output: both, by state" "$(tail -n +2 "$W/p.out" | cut -d: -f1 | tr '\n' ,)" \
    "WARNING,CRITICAL,"
check "perfdata: 2 open" grep -q "'open'=2;;;0;" "$W/p.out"
p_state "--info-warning changes nothing here" 2 '^BMC SEL CRITICAL' \
    check_bmc_sel --info-warning
sim_set_value 0x01 45 1 >/dev/null	# back: both deasserted
p_state "back: the deassertions close them" 0 \
    '^BMC SEL OK - no open problems; SEL 10% used \(4 entries\)' check_bmc_sel

# --max-age: the same problem again, then too old to count
sim_set_value 0x01 97 1 >/dev/null
p_state "CPU1 Temp 97 again" 2 '^BMC SEL CRITICAL - 2 open problems' check_bmc_sel
p_state "--max-age 2: old problems ignored (waited for, bounded)" 0 \
    '^BMC SEL OK - no open problems \(older ones ignored\)' check_bmc_sel --max-age 2
p_state "--max-age 3600: still counted" 2 '^BMC SEL CRITICAL' check_bmc_sel \
    --max-age 3600
# sel ack: both open ones, by their record IDs from the check's output
for id in $(grep -o '#[0-9]*' "$W/p.out" | tr -d '#' | sort -u); do
	d_ask --target a sel ack "$id" >/dev/null 2>&1 ||
	    not_ok "sel ack $id"
done
p_state "acknowledged: OK" 0 '^BMC SEL OK - no open problems' check_bmc_sel
sim_set_value 0x01 45 1 >/dev/null
eight() { plug check_bmc_sel; grep -q '(8 entries)' "$W/p.out"; }
check "the deassertions read: 8 entries" wait_for 30 eight

# fullness: OEM entries (informational) up to 30 of 40
add() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		SERIAL=$((${SERIAL:-0} + 1))
		printf 'sel_add 0x20 0xe1 0x%02x 0x%02x 1 2 3 4 5 6 7 8 9 10 11\n' \
		    $((SERIAL & 255)) $((SERIAL >> 8))
		_i=$((_i + 1))
	done >"$W/cmds"
	python3 "$TESTS_DIR/integration/sel_console.py" "$SIM_CONSOLE" \
	    <"$W/cmds" >>"$W/added.txt"
}
add 22
p_state "30 of 40 entries, -w 50 (outside 0..50)" 1 \
    '^BMC SEL WARNING - no open problems; SEL 75% used \(30 entries\)' \
    check_bmc_sel -w 50 -c 90
check "the ranges in the perfdata" grep -q "'used'=75%;50;90;0;100" "$W/p.out"
p_state "-c 70" 2 '^BMC SEL CRITICAL - .*SEL 75% used' check_bmc_sel -w 50 -c 70
p_state "no thresholds: OK" 0 '^BMC SEL OK - no open problems; SEL 75% used' check_bmc_sel
add 12
p_state "full: overflow is WARNING" 1 '^BMC SEL WARNING - no open problems; SEL 100% used \(40 entries\); overflow' \
    check_bmc_sel
check "the long output says events were lost" \
    grep -q '^WARNING: the SEL overflowed: events were lost' "$W/p.out"

sim_stop_as a
p_state "BMC stopped: stale, UNKNOWN" 3 '^BMC SEL UNKNOWN - a: data stale' check_bmc_sel
d_stop
p_state "no daemon: UNKNOWN" 3 '^BMC SEL UNKNOWN - .*is bmcwatchd running' check_bmc_sel
check "no sanitizer report" d_san_clean
finish
