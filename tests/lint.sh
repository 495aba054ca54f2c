#!/bin/sh
# make lint: banned functions, cppcheck, clang-tidy on the whole tree
# (tests/tidy.sh), and clang-format drift.
# Banned (curl/dropbear habit): sprintf strcpy strcat strtok atoi gets,
# and strtol/strtoul without an errno/end check is left to review.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0
SRC=$(find agent plugins tests/unit tests/fuzz -name '*.[ch]' 2>/dev/null)
# shellcheck disable=SC2086
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' $SRC |
    grep -v '^\S*:[0-9]*:\s*\*' | grep -v 'snprintf\|vsnprintf'; then
	echo "lint: banned function used (above)"
	rc=1
fi
# only lan_crypto.c may include OpenSSL
# shellcheck disable=SC2086
if grep -rln '#include <openssl/' agent plugins 2>/dev/null | grep -v '^agent/ipmi/lan_crypto.c$'; then
	echo "lint: OpenSSL included outside agent/ipmi/lan_crypto.c (above)"
	rc=1
fi
# only the SNMP subagent (agent/snmp/) includes net-snmp
# shellcheck disable=SC2086
if grep -rln '#include <net-snmp/' agent plugins 2>/dev/null | grep -v '^agent/snmp/'; then
	echo "lint: net-snmp included outside agent/snmp/ (above)"
	rc=1
fi
# libcurl only in agent/http/ (http.c: the multi handle on the loop), the
# JSON library only in agent/http/rfjson.c (agent/daemon/DESIGN.md)
# shellcheck disable=SC2086
if grep -rlnE '#[[:space:]]*include[[:space:]]*[<"]curl/' agent plugins tests/unit \
    tests/fuzz tests/redfish 2>/dev/null | grep -v '^agent/http/'; then
	echo "lint: libcurl included outside agent/http/ (above)"
	rc=1
fi
if grep -rlnE '#[[:space:]]*include[[:space:]]*[<"]jansson' agent plugins tests/unit \
    tests/fuzz tests/redfish 2>/dev/null | grep -v '^agent/http/rfjson.c$'; then
	echo "lint: jansson included outside agent/http/rfjson.c (above)"
	rc=1
fi
# json_ is jansson's namespace (its archive exports json_null,
# json_string ...): our JSON writer is jsonw_ (agent/util/jsonw.c)
if grep -rnE '^json_[a-z_]*[[:space:]]*\(' agent plugins tests/redfish; then
	echo "lint: a json_ function defined (above): that prefix is" \
	    "jansson's; the writer is jsonw_"
	rc=1
fi
# libcurl runs on the ev loop only: no blocking transfer, no loop of its own
if grep -rnE '\bcurl_(easy_perform|multi_perform|multi_wait|multi_poll)[[:space:]]*\(' \
    agent; then
	echo "lint: a blocking libcurl call (above): drive the multi handle" \
	    "from ev (agent/http/http.c)"
	rc=1
fi
# codecs in agent/ipmi never log or touch the clock
if grep -nE '\b(syslog|log_warn|log_info|clock_gettime|time\()' \
    agent/ipmi/*.c; then
	echo "lint: agent/ipmi must not log or read the clock (above)"
	rc=1
fi
# what blocks by nature has one home each (agent/daemon/DESIGN.md): name
# resolution in lan_udp.c (run on the dns worker), threads in work.c
if grep -rn '\bgetaddrinfo[[:space:]]*(' agent | grep -v '^agent/ipmi/lan_udp.c:'; then
	echo "lint: getaddrinfo outside agent/ipmi/lan_udp.c (above)"
	rc=1
fi
if grep -rn '\bpthread_create[[:space:]]*(' agent | grep -v '^agent/util/work.c:'; then
	echo "lint: a thread started outside agent/util/work.c (above)"
	rc=1
fi
# completion codes are written one way, by ipmi_ccode_fmt() in
# agent/ipmi/msg.c ("completion code C1h: Invalid command"): no format
# string elsewhere spells one out, and the bare name is only for JSON
# shellcheck disable=SC2046
if grep -nE 'completion code[^"]*%|completion code 0x' \
    $(find agent -name '*.c' ! -path agent/ipmi/msg.c); then
	echo "lint: a completion code formatted by hand (above):" \
	    "use ipmi_ccode_fmt()"
	rc=1
fi
# shellcheck disable=SC2046
if grep -n 'ipmi_ccode_name(' $(find agent -name '*.c' \
    ! -path agent/ipmi/msg.c ! -path agent/cli/cli_raw.c); then
	echo "lint: ipmi_ccode_name() outside msg.c and raw's JSON (above):" \
	    "use ipmi_ccode_fmt()"
	rc=1
fi
# secrets and integrity codes are compared in constant time, by
# lcr_memcmp() (CRYPTO_memcmp, agent/ipmi/lan_crypto.c): no memcmp,
# strcmp or bcmp on a MAC, ICV, auth code, digest, token or password
# (a compare with a string literal, an option name, is no secret)
# shellcheck disable=SC2046
if grep -niE '\b(memcmp|bcmp|strn?cmp|strcasecmp)[[:space:]]*\(.*(mac|icv|authcode|auth_code|trailer|hmac|digest|token|passw|secret|sik|kuid)' \
    $(find agent plugins -name '*.c') |
    grep -vE 'cmp[[:space:]]*\([^,]*,[[:space:]]*"[^"]*"[[:space:]]*\)'; then
	echo "lint: a secret or integrity code compared with memcmp/strcmp" \
	    "(above): use lcr_memcmp(), constant-time"
	rc=1
fi
# wait_for retries a command: a $(...) in its arguments is expanded once,
# before the first try, and the wait then retries a frozen value (062
# waited 150 s on "test 1 -ge 2").  Put the substitution in a function.
if find tests -name '*.sh' ! -path tests/lint.sh -exec awk '
    /\\$/ { sub(/\\$/, ""); buf = buf $0; next }
    { line = buf $0; buf = ""
      if (match(line, /wait_for[a-z_]*[ \t]+[^ \t]+[ \t]+/)) {
	rest = substr(line, RSTART + RLENGTH)
	if (rest !~ /^(bash|sh|python3) -c/ && rest ~ /\$\([^(]/)
		print FILENAME ":" FNR ": " line
      } }' {} + | grep .; then
	echo "lint: wait_for with a \$(...) in its arguments (above): it is" \
	    "expanded once; wait on a function that runs it"
	rc=1
fi
if command -v cppcheck >/dev/null; then
	# shellcheck disable=SC2086
	cppcheck -q --error-exitcode=1 --std=c11 --inline-suppr \
	    --enable=warning,portability --suppress=missingIncludeSystem --suppress=funcArgOrderDifferent \
	    -Iagent -Iagent/util -Iagent/ipmi -Iagent/bmc -Iagent/http \
	    $(find agent -name '*.c') || rc=1
fi
# clang-tidy (.clang-tidy) on every C file of the tree, kept at zero
# findings: what tests/tidy.sum does not vouch for is analysed, and two
# files it does, at random (tests/tidy.sh --check says why and how);
# LINT_TIDY=0 skips it
if command -v clang-tidy >/dev/null && [ "${LINT_TIDY:-1}" = 1 ]; then
	if sh tests/tidy.sh --check >"${TMPDIR:-/tmp}/lint-tidy.$$" 2>&1; then
		grep '^tidy: [0-9]* \(findings\|files\)' \
		    "${TMPDIR:-/tmp}/lint-tidy.$$"
	else
		cat "${TMPDIR:-/tmp}/lint-tidy.$$"
		rc=1
	fi
	rm -f "${TMPDIR:-/tmp}/lint-tidy.$$"
fi
if command -v clang-format >/dev/null && [ "${LINT_FORMAT:-1}" = 1 ]; then
	n=0
	for f in $(find agent -name '*.[ch]'); do
		if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
			n=$((n + 1))
			[ "${LINT_VERBOSE:-0}" = 1 ] && echo "format: $f"
		fi
	done
	# clang-format 14 cannot express KNF's tab-aligned declarations
	# (struct members, prototypes), which we keep for readability:
	# drift is reported, and fails only with LINT_FORMAT_STRICT=1.
	if [ "$n" -gt 0 ]; then
		echo "lint: $n files differ from .clang-format" \
		    "(LINT_VERBOSE=1 lists them)"
		[ "${LINT_FORMAT_STRICT:-0}" = 1 ] && rc=1
	fi
fi
[ "$rc" -eq 0 ] && echo "lint: clean"
exit "$rc"
