#!/bin/sh
# snmpd "pass" program for the snmpd configuration tests: a stand-in for
# bmcwatchd in a subtree.  Every GET answers INTEGER 42, GETNEXT answers
# nothing, and every SET is appended to LOG and accepted.
#	pass OID /bin/sh tests/mib/pass.sh LOG
log=$1
shift
case $1 in
-g)	printf '%s\ninteger\n42\n' "$2" ;;
-s)	echo "$*" >>"$log" ;;
esac
exit 0
