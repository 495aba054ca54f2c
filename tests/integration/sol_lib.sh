# Helpers for the daemon's console tests (920, 950), sourced after lib.sh
# and daemon_lib.sh (d_setup done: $W):
#   sol_peer_start      tests/sol/serial_peer.py as the server's serial
#                       port: it echoes, sends the files put in its script
#                       dir $S on demand (paced), keeps every byte it sent
#                       in $W/tx.bin and got in $W/rx.bin; sets PEER_PID and
#                       SIM_SOL (for sim_start); 1 if it did not come up
#   sol_peer_stop       stop it
#   conlog OUT LOG...   the logs' console bytes (in order) to OUT, their
#                       markers on stdout (tests/sol/conlog.py)
#   log_is_tx LOG...    the logs' console bytes = all the port sent
#   log_vs_tx LOG...    where not, as a comment line
#   send_file FILE      the port sends FILE; 0 once it is sent
#   mkpayload FILE SEED KB   console-like lines, binary and long ones
#   accepts, accepts_ge N    connections the sim made to the port
S=$W/script
PEER_PID=
NSEND=0

sol_peer_start() {
	mkdir -p "$S"
	python3 "$TESTS_DIR/sol/serial_peer.py" --port-file "$W/peer.port" \
	    --echo --rx "$W/rx.bin" --tx "$W/tx.bin" --script "$S" \
	    --rate 60000 --for 900 &
	PEER_PID=$!
	wait_for 5 test -s "$W/peer.port" || return 1
	: >"$W/rx.bin"
	: >"$W/tx.bin"
	# shellcheck disable=SC2034 # read by sim_start
	SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
}

sol_peer_stop() {
	[ -n "$PEER_PID" ] || return 0
	kill -TERM "$PEER_PID" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	PEER_PID=
}

conlog() {
	_cd=$1
	shift
	python3 "$TESTS_DIR/sol/conlog.py" --data "$_cd" "$@"
}

log_is_tx() {
	conlog "$W/data.bin" "$@" >"$W/marks.txt" || return 1
	cmp -s "$W/data.bin" "$W/tx.bin"
}

log_vs_tx() {
	conlog "$W/data.bin" "$@" >"$W/marks.txt"
	python3 - "$W/data.bin" "$W/tx.bin" <<'PY'
import sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
n = min(len(a), len(b))
i = next((k for k in range(n) if a[k] != b[k]), n)
print("# log %d console bytes, serial port sent %d; same for the first %d;"
      " log %r, sent %r" % (len(a), len(b), i, a[i:i + 30], b[i:i + 30]))
PY
}

send_file() {
	NSEND=$((NSEND + 1))
	cp "$1" "$S/tmp"
	mv "$S/tmp" "$S/send.$NSEND"
	wait_for 120 test -e "$S/sent.$NSEND"
}

mkpayload() {
	python3 - "$1" "$2" "$3" <<'PY'
import random, sys
r = random.Random(int(sys.argv[2]))
out = bytearray()
while len(out) < int(sys.argv[3]) * 1024:
    k = r.randrange(10)
    if k == 0:
        out += bytes(r.randrange(1, 255) for _ in range(r.randrange(1, 80)))
    elif k == 1:
        out += b"x" * r.randrange(600, 2000) + b"\r\n"
    elif k == 2:
        out += b"no carriage return %d\n" % r.randrange(10**6)
    else:
        out += b"[%8.3f] line %d\tof the console\r\n" % (
            r.random() * 100, r.randrange(10**6))
open(sys.argv[1], "wb").write(out)
PY
}

accepts() {
	cat "$S/accepts" 2>/dev/null || echo 0
}

accepts_ge() {
	[ "$(accepts)" -ge "$1" ]
}
