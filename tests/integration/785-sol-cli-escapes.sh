#!/bin/bash
# `bmcwatch -S SOCKET sol TARGET` never lets text that is not its own
# write escape sequences to the user's terminal through its messages
# (SECURITY.md, SOL): a control socket that speaks the daemon's stream
# framing with escapes in every frame (tests/hostile/ctl_sol_frames.py)
# is attached to;
#   - the console's bytes (a data frame: CSI, OSC, NUL, 0xff, CR LF) are
#     written to stdout exactly, as any serial console client does;
#   - everything on stderr (the answer, the notice, the error that ends
#     it) is printable ASCII and newlines only: each byte of the frame
#     text outside that shown as '.', the text still readable;
#   - the error's code is the exit code (3), the request line is the
#     one the daemon expects.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"	# wait_for

W=$(mktemp -d "${TMPDIR:-/tmp}/t785.XXXXXX") || exit 1
FPID=
cleanup() {
	if [ -n "$FPID" ]; then
		kill -TERM "$FPID" 2>/dev/null
		wait "$FPID" 2>/dev/null
	fi
	[ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT

# the console's bytes: colours, a window title, NUL, 0xff, CR LF
printf 'login: \033[31mred\033[0m \033]0;title\007 \000\377\r\n' >"$W/data"
python3 "$TESTS_DIR/hostile/ctl_sol_frames.py" "$W/ctl.sock" "$W/data" \
    "$W/req" 2>"$W/fake.err" &
FPID=$!
sock_up() { test -S "$W/ctl.sock"; }
check "the fake daemon listens" wait_for 20 sock_up

"$BMCWATCH" -S "$W/ctl.sock" sol t1 --read-only </dev/null \
    >"$W/out" 2>"$W/err"
check_eq "the error frame's code is the exit code" "$?" 3
wait "$FPID"
FPID=
check_eq "the request: read-only, the target named" "$(cat "$W/req")" \
    "sol replay 0 target=t1"
check "the console's bytes reach stdout exactly" cmp "$W/data" "$W/out"
echo "# stderr:"
sed 's/^/#   | /' "$W/err"
bad=$(LC_ALL=C tr -d '\040-\176\n' <"$W/err" | wc -c)
check_eq "stderr: printable ASCII and newlines only" "$bad" 0
check "the answer is shown, masked" \
    grep -qxF 'bmcwatch: attached to t1.[2J.]0;owned. C1 .31m U+009B ..31m.' \
    "$W/err"
check "the notice is shown, masked" \
    grep -qxF '[bmcwatch: console .[?1049h note... end]' "$W/err"
check "the error is shown, masked" grep -qxF 'bmcwatch: gone .[2J.c' "$W/err"
check "the escape help" grep -qxF 'bmcwatch: ~? for help, ~. to detach' \
    "$W/err"
check "four lines on stderr" test "$(wc -l <"$W/err")" = 4
finish
