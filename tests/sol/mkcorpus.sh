#!/bin/sh
# Regenerate the seed corpus of fuzz_sol (tests/fuzz/corpus/sol/) from a
# live ipmi_sim with a serial peer behind its SOL:
#
#	sh tests/sol/mkcorpus.sh	(from the repository root, after make)
#
# tests/sol/solcap.c records what the sim answers and sends around a SOL
# session (see its header); from that:
#   sim-rsp-LABEL.bin  each response's data (codec seeds)
#   sim-in-N.bin       each SOL payload the sim sent (codec seeds)
#   sim-session*.bin   the session in fuzz_sol's input format: the
#                      payloads as they came, with the keystrokes between,
#                      for each way Activate Payload is answered
#   edge-*.bin         hand-made: duplicates, a longer retransmission,
#                      NACKs, status bits, loss and the clock, close
# and in tests/fuzz/corpus/lanplus_session/ (the session fuzzer listens
# for SOL payloads):
#   sol-payload-c0.bin the suite 0 handshake of cap-0.bin (made by
#                      tests/fuzz/mkcorpus.sh) with SOL payloads in the
#                      open session: one, a replay of it, one under
#                      another session id
# Files this script made earlier (sim-*, edge-*, sol-payload-*) are
# replaced; others (crash-* added by hand) are kept.  The output is
# checked in.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
C=$ROOT/tests/fuzz/corpus/sol
[ -f build/libbmcwatch.a ] || {
	echo "mkcorpus: run make first" >&2
	exit 1
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/solcorpus.XXXXXX")
PEER_PID=
cleanup() {
	[ -n "$PEER_PID" ] && kill -TERM "$PEER_PID" 2>/dev/null
	[ -n "$PEER_PID" ] && wait "$PEER_PID" 2>/dev/null
	sim_stop
	rm -rf "$WORK"
}
SIM_DIR=$ROOT/tests/sim
. "$SIM_DIR/lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM

${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wmissing-prototypes -Wno-unused-parameter -O1 -g \
	-Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc \
	-o "$WORK/solcap" tests/sol/solcap.c build/libbmcwatch.a \
	-lcrypto -lm -pthread

python3 tests/sol/serial_peer.py --port-file "$WORK/peer.port" \
	--tick-ms 150 --echo --for 120 &
PEER_PID=$!
n=0
until [ -s "$WORK/peer.port" ]; do
	n=$((n + 1))
	[ "$n" -lt 100 ] || { echo "mkcorpus: no serial peer" >&2; exit 1; }
	sleep 0.05
done
SIM_SOL="tcp:127.0.0.1:$(cat "$WORK/peer.port")"
sim_start
"$WORK/solcap" "$SIM_PORT" "$(sim_pwfile admin)" "$WORK/cap.txt"

mkdir -p "$C"
rm -f "$C"/sim-* "$C"/edge-*
python3 - "$WORK/cap.txt" "$C" <<'EOF'
import os, sys
cap, out = sys.argv[1], sys.argv[2]

def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def rec(op, data):
    assert len(data) < 256
    return bytes([op, len(data)]) + data

ins = []
for line in open(cap):
    w = line.split()
    if w[0] == "rsp":
        data = b"" if w[3] == "-" else bytes.fromhex(w[3])
        put("sim-rsp-%s.bin" % w[1], data)
    elif w[0] == "in":
        ins.append(bytes.fromhex(w[1]))
    elif w[0] == "out" and ins is not None:
        pass
for i, p in enumerate(ins):
    put("sim-in-%d.bin" % i, p)
# the session: keystrokes, then what the sim sent, the clock between
body = rec(2, b"hello\r")
for p in ins:
    body += rec(0, p) + rec(1, b"\x01")
body += rec(6, b"") + rec(1, b"\x05")
for flags in range(4):
    put("sim-session-%d.bin" % flags, bytes([flags << 1]) + body)
put("sim-session-takeover.bin", bytes([0x03]) + body)
put("sim-session-slow.bin", bytes([0x10]) + body)

def pkt(seq, ack, acc, st, data=b""):
    return bytes([seq, ack, acc, st]) + data

put("edge-dups.bin", b"\x00" + rec(1, b"\x01") +
    rec(0, pkt(4, 0, 0, 0, b"abc")) + rec(0, pkt(4, 0, 0, 0, b"abc")) +
    rec(0, pkt(4, 0, 0, 0, b"abcdef")) + rec(0, pkt(5, 0, 0, 0, b"ab")) +
    rec(0, pkt(5, 0, 0, 0, b"a")))
put("edge-retransmit.bin", b"\x00" + rec(1, b"\x01") + rec(2, b"ls\r") +
    rec(1, b"\x19") * 8 + rec(2, b"x") + rec(0, pkt(0, 2, 1, 0)))
put("edge-nack.bin", b"\x00" + rec(1, b"\x01") + rec(2, b"0123456789" * 4) +
    rec(0, pkt(0, 1, 10, 0)) + rec(0, pkt(0, 2, 5, 0x40)) +
    rec(0, pkt(0, 3, 0, 0x40)) + rec(1, b"\x19") +
    rec(0, pkt(0, 4, 200, 0)))
put("edge-status.bin", b"\x10" + rec(1, b"\x01") +
    rec(7, b"\x01\x00\x00\x0cabc") + rec(7, b"\x01\x00\x00\x0cabc") +
    rec(7, b"\x00\x00\x00\x20") + rec(3, b"") + rec(4, b"") +
    rec(2, b"q") + rec(4, b"") + rec(7, b"\x00\x00\x00\x10"))
put("edge-probe.bin", b"\x08" + rec(1, b"\x01") + rec(1, b"\xff") +
    rec(1, b"\xff"))
put("edge-session-end.bin", b"\x00" + rec(1, b"\x01") + rec(2, b"x") +
    rec(5, b"") + rec(2, b"y") + rec(1, b"\x40"))
put("edge-close-early.bin", b"\x00" + rec(6, b"") + rec(1, b"\x01"))
put("edge-short.bin", b"\x00" + rec(1, b"\x01") + rec(0, b"\x01\x02\x03"))
put("edge-big.bin", b"\x00" + rec(1, b"\x01") +
    rec(0, pkt(9, 0, 0, 0, b"q" * 250)))
EOF
python3 - tests/fuzz/corpus/lanplus_session <<'EOF'
import os, struct, sys
d = sys.argv[1]
raw = open(os.path.join(d, "cap-0.bin"), "rb").read()
recs, off = [], 1
while off + 2 <= len(raw):
    h = raw[off] | raw[off + 1] << 8
    n = h & 0x3fff
    recs.append((h, raw[off + 2:off + 2 + n]))
    off += 2 + n
# the console's session id, from the Open Session Response (type 11h)
sid = None
for h, p in recs:
    if len(p) > 16 + 8 and p[4] == 0x06 and p[5] == 0x11:
        sid = p[16 + 4:16 + 8]
assert sid is not None
def sol_pkt(sid, seq, payload):
    return (b"\x06\x00\xff\x07\x06\x01" + sid +
            struct.pack("<IH", seq, len(payload)) + payload)
sol = b"\x01\x00\x00\x00console"
extra = [sol_pkt(sid, 0x10, sol), sol_pkt(sid, 0x10, sol),
         sol_pkt(bytes(b ^ 1 for b in sid), 0x11, sol)]
# after the last answer in the open session, before the close
out = bytes([raw[0]])
for i, (h, p) in enumerate(recs):
    if i == len(recs) - 2:
        for e in extra:
            out += struct.pack("<H", len(e)) + e
    out += struct.pack("<H", h) + p
open(os.path.join(d, "sol-payload-c0.bin"), "wb").write(out)
EOF
ls "$C" | wc -l | sed 's/^/mkcorpus: seeds: /'
