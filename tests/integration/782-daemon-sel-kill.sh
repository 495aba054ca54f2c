#!/bin/bash
# bmcwatchd SIGKILLed again and again while it archives and clears the
# SEL of a simulated BMC with a 16-entry SEL (cleared at 50 %), then
# restarted: in the end every entry the sim ever got is in the archive
# exactly once.  The kills are placed by progress, not by the clock:
# after the archive grew by a random 0..3 lines since this start (0:
# as soon as the socket answers, before the first pass ends), or once
# the first SEL pass (archive, then clear past 8 entries) was counted.  Entries are added while the daemon is
# down (ipmi_sim keeps a SEL reservation across additions: an entry
# added in the one round trip before Clear SEL would be lost by any
# reader, see agent/bmc/selmon.c "the residual window" and 420).
# DAEMON_KILL_ITER iterations (default 15).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

ITER=${DAEMON_KILL_ITER:-15}
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
E=$W/emu
mkdir -p "$E"
sed 's/^sel_enable 0x20 [0-9]* /sel_enable 0x20 16 /' "$SIM_DIR/bmc.emu" \
    >"$E/small.emu"
cp "$SIM_DIR/bmc.sdrs" "$E/small.sdrs"
sim_as a "$E/small.emu" || { not_ok "sim a"; exit 1; }
A=$W/archive/sel-a.log
: >"$W/added.txt"
serial=0
add() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		serial=$((serial + 1))
		printf 'sel_add 0x20 0xe2 0x%02x 0x%02x 1 2 3 4 5 6 7 8 9 10 11\n' \
		    $((serial & 255)) $((serial >> 8))
		_i=$((_i + 1))
	done | python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" \
	    >>"$W/added.txt"
}
added() { grep -c '^added' "$W/added.txt"; }
lines() { if [ -f "$A" ]; then wc -l <"$A"; else echo 0; fi; }
lines_ge() { [ "$(lines)" -ge "$1" ]; }
passes_ge() { _c=$(d_health a sel_passes) && [ "$_c" -ge "$1" ]; }

d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 5  sel-interval 1
	chassis-interval 5  timeout 1  retries 1  sel-clear-at 50' \
    >>"$W/d.conf"

kills=0 byclear=0
for i in $(seq 1 "$ITER"); do
	n=$((RANDOM % 6 + 3))
	add "$n"
	l0=$(lines)
	t0=$(now_ms)
	d_start "$W/d.conf" || { not_ok "start $i"; break; }
	case $((RANDOM % 5)) in
	0)	;;					# at once
	4)	wait_for 30 passes_ge 1 && byclear=$((byclear + 1)) ;;
	*)	wait_for 30 lines_ge $((l0 + RANDOM % 3 + 1)) ;;
	esac
	kill -KILL "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=
	kills=$((kills + 1))
	echo "# kill $i after $(( $(now_ms) - t0 )) ms, archive $(lines) lines"
	# a torn last line is the daemon's to repair at its next start
done
echo "# $kills kills ($byclear after a whole pass), $(added) entries added"
check "more entries added than the SEL holds" test "$(added)" -gt 16

# the last start runs to the end: everything archived, SEL cleared
d_start "$W/d.conf" || { not_ok "final start"; exit 1; }
n_added=$(added)
check "every added entry archived in the end" \
    wait_for 60 lines_ge "$n_added"
check "the daemon cleared the SEL at least once" \
    test "$(grep -c 'cleared' "$W/d.log")" -ge 1
d_stop
check_eq "archive lines = entries added" "$(lines)" "$(added)"
check_eq "no archive line twice" \
    "$(awk -F'\t' '{print $7}' "$A" | sort | uniq -d | wc -l)" 0
if python3 - "$A" "$W/added.txt" <<'PY'; then
import sys
ids = []
for line in open(sys.argv[1]):
    raw = line.rstrip("\n").split("\t")[6]
    ids.append(int(raw[0:2], 16) | int(raw[2:4], 16) << 8)
added = set(int(l.split()[1]) for l in open(sys.argv[2])
            if l.startswith("added"))
got = set(ids)
print("# missing record ids:", sorted(added - got)[:20],
      "extra:", sorted(got - added)[:20], "twice:", len(ids) - len(got))
sys.exit(0 if got == added and len(ids) == len(got) else 1)
PY
	ok "every record id once, none missing"
else
	not_ok "every record id once, none missing"
fi
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish
