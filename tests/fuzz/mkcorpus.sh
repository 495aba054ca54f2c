#!/bin/sh
# Regenerate the seed corpora of the fuzz targets from a live ipmi_sim:
#
#	sh tests/fuzz/mkcorpus.sh	(from the repository root, after make)
#
# corpus/rmcp/       datagrams the sim sent to build/bmcwatch, captured by
#                    tests/tools/udprelay.py --dump: Get Channel Auth Caps,
#                    Open Session, RAKP2, RAKP4 and in-session responses
#                    for suites 0-3 and 1.5 sessions (NONE, PASSWORD, MD5),
#                    plus edge-* hand-made cases
# corpus/ipmimsg/    the IPMI messages inside those datagrams that are not
#                    encrypted, plus edge-* cases
# corpus/lanplus_session/, corpus/lan15_session/
#                    whole handshakes in the session fuzzers' input format
#                    (see session.h), made by capture.c against the sim with
#                    the fuzzers' deterministic RAND_bytes: they replay into
#                    an open session for every suite, not only 0 / NONE.
#                    Suites 15-17 are refused by the sim (no SHA-256), which
#                    is a path worth a seed too.  Plus variants: truncated,
#                    a timeout in the middle, a duplicated (replayed) answer.
#
# Files this script made earlier (sim-*, edge-*, cap-*) are replaced; others
# (crash-* inputs added by hand) are kept.  The output is checked in: the
# RAKP random numbers of build/bmcwatch make every run's datagrams differ.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
C=$ROOT/tests/fuzz/corpus
[ -x build/bmcwatch ] && [ -f build/libbmcwatch.a ] || {
	echo "mkcorpus: run make first" >&2
	exit 1
}
mkdir -p build/fuzz
${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wmissing-prototypes -Wno-unused-parameter -O1 -g \
	-Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc \
	-o build/fuzz/capture tests/fuzz/capture.c build/libbmcwatch.a \
	-lcrypto -lm

SIM_DIR=$ROOT/tests/sim
. "$SIM_DIR/lib.sh"
# sim_start sets the SEL time with ipmitool; that does not matter to packet
# captures, so a failure there must not stop us
sim_ipmitool() {
	if [ $# -ge 3 ] && [ "$1 $2 $3" = "sel time set" ]; then
		sim_ipmitool_as admin "$@" || true
		return 0
	fi
	sim_ipmitool_as admin "$@"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcorpus.XXXXXX")
RELAY_PID=
cleanup() {
	if [ -n "$RELAY_PID" ]; then
		kill -TERM "$RELAY_PID" 2>/dev/null || true
		wait "$RELAY_PID" 2>/dev/null || true
	fi
	sim_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

n=0
until sim_start; do
	n=$((n + 1))
	[ "$n" -lt 3 ] || {
		echo "mkcorpus: cannot start ipmi_sim" >&2
		exit 1
	}
done
PW=$(sim_pwfile admin)

# ---- datagrams through the relay ----
mkdir -p "$WORK/dump"
python3 tests/tools/udprelay.py --listen 127.0.0.1:0 \
	--target "127.0.0.1:$SIM_PORT" --dump "$WORK/dump" \
	--port-file "$WORK/port" --stats-file "$WORK/stats" &
RELAY_PID=$!
n=0
while [ ! -s "$WORK/port" ]; do
	n=$((n + 1))
	[ "$n" -lt 100 ] || {
		echo "mkcorpus: relay did not start" >&2
		exit 1
	}
	sleep 0.05
done
RPORT=$(cat "$WORK/port")

# one client run; its datagrams are moved to $WORK/runs/NAME.  With
# EXPECT "fail" the run must fail (a refusal from the BMC), else succeed.
capture_run() {
	_name=$1 _expect=$2
	shift 2
	if build/bmcwatch -H 127.0.0.1 -p "$RPORT" -f "$PW" -t 1 -R 0 \
		"$@" >/dev/null 2>"$WORK/err"; then
		_rc=ok
	else
		_rc=fail
	fi
	if [ "$_rc" != "$_expect" ]; then
		echo "mkcorpus: bmcwatch $*: $_rc, expected $_expect" >&2
		cat "$WORK/err" >&2
		exit 1
	fi
	sleep 0.1	# the relay dumps as it forwards: let it catch up
	mkdir -p "$WORK/runs/$_name"
	for _f in "$WORK"/dump/*.bin; do
		[ -f "$_f" ] && mv "$_f" "$WORK/runs/$_name/"
	done
	return 0
}
for s in 0 1 2 3; do
	capture_run "lanplus-c$s" ok -I lanplus -U admin -C "$s" \
		--allow-none info
done
capture_run lan-none ok -I lan -U admin -A none --allow-none info
capture_run lan-password ok -I lan -U admin -A password info
capture_run lan-md5 ok -I lan -U admin -A md5 info
# refusals: unknown user (RAKP2 status, 1.5 challenge completion code),
# privilege above the user's limit (Set Session Privilege Level)
capture_run lanplus-nouser fail -I lanplus -U nosuch -C 3 raw 6 1
capture_run lan-nouser fail -I lan -U nosuch -A md5 raw 6 1
capture_run lanplus-priv fail -I lanplus -U user -L admin -C 3 raw 6 1

# ---- session handshakes in fuzz input format ----
mkdir -p "$WORK/sess/lanplus_session" "$WORK/sess/lan15_session"
# lanplus selectors index 0 1 2 3 6 11 15 16 17; 0x20: privilege USER
for sel in 0 1 2 3 4 5 6 7 8 0x23; do
	build/fuzz/capture lanplus "$sel" "$SIM_PORT" \
		"$WORK/sess/lanplus_session/cap-$sel.bin"
done
# lan selectors: best offered (MD5), NONE, MD5, PASSWORD
for sel in 0 1 2 3 0x21; do
	build/fuzz/capture lan "$sel" "$SIM_PORT" \
		"$WORK/sess/lan15_session/cap-$sel.bin"
done

# ---- install ----
mkdir -p "$C/rmcp" "$C/ipmimsg" "$C/lanplus_session" "$C/lan15_session"
rm -f "$C"/*/sim-* "$C"/*/edge-* "$C"/*/cap-*
python3 - "$WORK" "$C" <<'PYEOF'
import hashlib, os, struct, sys

work, corpus = sys.argv[1], sys.argv[2]
seen = {}


def put(target, name, data):
    """write corpus/target/name unless the same bytes are there already"""
    h = hashlib.sha1(data).hexdigest()
    if h in seen.setdefault(target, set()):
        return
    seen[target].add(h)
    base, i = name[:-4], 1
    while os.path.exists(os.path.join(corpus, target, name)):
        i += 1
        name = "%s-%d.bin" % (base, i)
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)


def ipmi_msg(d):
    """the IPMI message inside an RMCP datagram, None if not visible"""
    if len(d) < 5 or d[0] != 6 or d[3] & 0x1f != 7:
        return None
    auth = d[4] & 0x0f
    if auth != 6:
        off = 13 + (16 if auth else 0)
        if len(d) < off + 1:
            return None
        return d[off + 1:off + 1 + d[off]]
    if len(d) < 16 or d[5] & 0xbf != 0:  # IPMI payload, not encrypted
        return None
    plen = struct.unpack_from("<H", d, 14)[0]
    return d[16:16 + plen]


PTYPES = {0x00: "ipmi", 0x11: "open", 0x13: "rakp2", 0x15: "rakp4"}
CMDS = {(6, 0x01): "devid", (6, 0x08): "devguid", (6, 0x37): "sysguid",
        (6, 0x38): "authcap", (6, 0x39): "challenge", (6, 0x3a): "activate",
        (6, 0x3b): "setpriv", (6, 0x3c): "close"}


def label(d):
    """what a datagram is: kind (one seed of each is enough) and name"""
    auth = d[4] & 0x0f if len(d) > 4 else 0
    m = ipmi_msg(d)
    if m and len(m) >= 7:
        netfn, cmd = m[1] >> 2, m[5]
        name = CMDS.get((netfn & ~1, cmd), "cmd%02x-%02x" % (netfn, cmd))
        if m[6] != 0:
            name += "-cc%02x" % m[6]
        if name in ("authcap", "challenge", "activate") or m[6] != 0:
            return (auth, netfn, cmd, m[6], len(m),
                    m[7:-1] if name == "authcap" else b""), name
        # in-session answers: one per session type is plenty here
        return (auth, d[5] if auth == 6 else 0, "session"), name
    if auth == 6 and len(d) > 5:
        name = PTYPES.get(d[5] & 0x3f, "pt%02x" % (d[5] & 0x3f))
        if d[5] & 0x80:
            name += "-enc"
        return (auth, d[5], len(d)), name
    return (auth, len(d)), "other"


kinds = {"rmcp": set(), "ipmimsg": set()}
runs = os.path.join(work, "runs")
for run in sorted(os.listdir(runs)):
    for f in sorted(os.listdir(os.path.join(runs, run))):
        if not f.endswith("from_bmc.bin"):
            continue
        d = open(os.path.join(runs, run, f), "rb").read()
        k, name = label(d)
        if k not in kinds["rmcp"]:
            kinds["rmcp"].add(k)
            put("rmcp", "sim-%s-%s.bin" % (run, name), d)
        m = ipmi_msg(d)
        km = m and len(m) >= 7 and (m[1] >> 2, m[5], m[6], len(m),
                                    m[7:-1] if m[5] == 0x38 else b"")
        if km and km not in kinds["ipmimsg"]:
            kinds["ipmimsg"].add(km)
            put("ipmimsg", "sim-%s-%s.bin" % (run, name), m)


for target in ("lanplus_session", "lan15_session"):
    d = os.path.join(work, "sess", target)
    for f in sorted(os.listdir(d)):
        put(target, f, open(os.path.join(d, f), "rb").read())


def records(data):
    off, out = 1, []
    while len(data) - off >= 2:
        hdr = struct.unpack_from("<H", data, off)[0]
        n = hdr & 0x3fff
        out.append((hdr, data[off + 2:off + 2 + n]))
        off += 2 + n
    return data[0], out


def join(sel, recs):
    return bytes([sel]) + b"".join(struct.pack("<H", h) + p
                                   for h, p in recs)


# session variants from the suite 3 / MD5 captures
for target, base in (("lanplus_session", "cap-3.bin"),
                     ("lan15_session", "cap-2.bin")):
    path = os.path.join(corpus, target, base)
    if not os.path.exists(path):
        continue
    sel, recs = records(open(path, "rb").read())
    if len(recs) < 4:
        continue
    put(target, "edge-truncated.bin", join(sel, recs[:3]))
    # the third answer comes late: retransmit first, then the answer
    late = list(recs)
    late[2] = (late[2][0] | 0x8000, late[2][1])
    put(target, "edge-late.bin", join(sel, late))
    # an answer delivered twice: the copy must be dropped
    put(target, "edge-replayed.bin",
        join(sel, recs[:5] + [recs[4]] + recs[5:]))
    # the last packet cut short
    half = recs[-1][1][:len(recs[-1][1]) // 2]
    put(target, "edge-short-last.bin", join(sel, recs[:-1] + [(len(half),
                                                                half)]))

# rmcp edge cases
rmcp = [
    ("edge-empty.bin", b""),
    ("edge-rmcp-only.bin", bytes([6, 0, 0xff, 7])),
    ("edge-asf-pong.bin", bytes([6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x40, 0,
                                 0, 0x10, 0, 0, 0x11, 0xbe, 0, 0, 0, 0,
                                 0x81, 0, 0, 0, 0, 0, 0, 0])),
    # 1.5, auth NONE, message length beyond the datagram
    ("edge-15-len.bin", bytes([6, 0, 0xff, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                               40, 0x81, 0x1c, 0x63])),
    # 1.5 MD5 with its auth code cut off
    ("edge-15-md5-short.bin", bytes([6, 0, 0xff, 7, 2, 1, 0, 0, 0, 1, 0,
                                     0, 0]) + bytes(10)),
    # RMCP+ payload length beyond the datagram
    ("edge-20-len.bin", bytes([6, 0, 0xff, 7, 6, 0x11, 0, 0, 0, 0, 0, 0, 0,
                               0, 0x24, 0]) + bytes(8)),
    # RMCP+ OEM payload (IANA + payload id)
    ("edge-20-oem.bin", bytes([6, 0, 0xff, 7, 6, 0x02, 0xa2, 0x02, 0, 0,
                               1, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0xaa,
                               0xbb])),
    # authenticated, bad integrity pad, then a wrong next header
    ("edge-20-badpad.bin", bytes([6, 0, 0xff, 7, 6, 0x40, 1, 0, 0, 0, 2, 0,
                                  0, 0, 1, 0, 0x55, 0xfe, 0xff, 2, 7]) +
     bytes(12)),
    ("edge-20-nexthdr.bin", bytes([6, 0, 0xff, 7, 6, 0x40, 1, 0, 0, 0, 2, 0,
                                   0, 0, 2, 0, 0x55, 0x66, 0, 6]) + bytes(16)),
    # Open Session Response with an error status only, and cut short
    ("edge-open-status.bin", bytes([6, 0, 0xff, 7, 6, 0x11, 0, 0, 0, 0, 0, 0,
                                    0, 0, 2, 0, 1, 0x11])),
    ("edge-open-short.bin", bytes([6, 0, 0xff, 7, 6, 0x11, 0, 0, 0, 0, 0, 0,
                                   0, 0, 10, 0, 1, 0, 4, 0, 1, 2, 3, 4, 5,
                                   6])),
    # RAKP2 without GUID, RAKP4 status 0x0f
    ("edge-rakp2-short.bin", bytes([6, 0, 0xff, 7, 6, 0x13, 0, 0, 0, 0, 0, 0,
                                    0, 0, 12, 0, 2, 0, 0, 0, 1, 2, 3, 4]) +
     bytes(4)),
    ("edge-rakp4-status.bin", bytes([6, 0, 0xff, 7, 6, 0x15, 0, 0, 0, 0, 0, 0,
                                     0, 0, 8, 0, 3, 0x0f, 0, 0, 1, 2, 3,
                                     4])),
    # sequence window input: window 8, a replay and an old number
    ("edge-seqwin.bin", bytes([8]) + struct.pack("<6I", 100, 101, 99, 101,
                                                 90, 0xffffffff)),
]
for name, data in rmcp:
    put("rmcp", name, data)


def lanmsg(netfn, cmd, data, seq=5):
    """a response message with good checksums"""
    hdr = bytes([0x81, netfn << 2])
    body = bytes([0x20, seq << 2, cmd]) + data
    return (hdr + bytes([(-sum(hdr)) & 0xff]) + body +
            bytes([(-sum(body)) & 0xff]))


suites = bytes([0x0e, 0xc0, 0, 0, 0x40, 0x80, 0xc0, 3, 1, 0x41, 0x81,
                0xc1, 0x22, 0xb0, 0x9e, 0x03])
ipmimsg = [
    ("edge-short.bin", lanmsg(6, 1, b"")[:7]),
    ("edge-cc-only.bin", lanmsg(6, 1, b"\xc1")),
    ("edge-bad-chk1.bin", b"\x81\x1c\x00" + lanmsg(6, 1, b"\x00")[3:]),
    ("edge-bad-chk2.bin", lanmsg(6, 1, b"\x00\x20")[:-1] + b"\x00"),
    ("edge-devid-short.bin", lanmsg(6, 1, b"\x00\x20\x01\x02")),
    ("edge-devid-aux.bin", lanmsg(6, 1, bytes([0, 0x20, 0x81, 2, 0x51, 0x02,
                                               0xbf, 0x57, 0x0b, 0, 1, 0, 1,
                                               2, 3, 4]))),
    ("edge-authcap-v15.bin", lanmsg(6, 0x38, bytes([0, 1, 0x17, 0x04, 0, 0,
                                                    0, 0, 0]))),
    ("edge-authcap-oem.bin", lanmsg(6, 0x38, bytes([0, 1, 0x97, 0x1c, 0x03,
                                                    0xa2, 0x02, 0, 7]))),
    ("edge-challenge-short.bin", lanmsg(6, 0x39, bytes([0, 1, 2, 3, 4]))),
    ("edge-activate.bin", lanmsg(6, 0x3a, bytes([0, 2, 1, 0, 0, 0, 5, 0, 0,
                                                 0, 4]))),
    ("edge-guid.bin", lanmsg(6, 0x37, bytes([0]) + bytes(range(16)))),
    ("edge-suites.bin", lanmsg(6, 0x54, bytes([0]) + suites)),
    ("edge-suites-raw.bin", suites[1:] + b"\xc0"),
    ("edge-long.bin", lanmsg(6, 1, bytes(300))),
]
for name, data in ipmimsg:
    put("ipmimsg", name, data)

for target in sorted(seen):
    print("mkcorpus: %s: %d files" % (target, len(seen[target])))
PYEOF
