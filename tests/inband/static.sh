#!/bin/sh
# Is each FILE a statically linked ELF program (one that runs in a guest
# with no libc)?  Reads the ELF headers with readelf (binutils, which gcc
# pulls in) rather than guessing from file(1)'s wording.
#
#	tests/inband/static.sh FILE...
#
# Exit 0 when every FILE is; otherwise 1, with one line on stderr per
# FILE that is not, saying why: missing, not an ELF file, asks for a
# program interpreter (dynamically linked), or needs shared libraries.
# Exit 2 if readelf itself is missing.
set -u
command -v readelf >/dev/null 2>&1 || {
	echo "static.sh: readelf not found (apt-get install binutils)" >&2
	exit 2
}
rc=0
for f; do
	if [ ! -f "$f" ]; then
		echo "$f: no such file" >&2
		rc=1
		continue
	fi
	if ! readelf -hW "$f" >/dev/null 2>&1; then
		echo "$f: not an ELF file" >&2
		rc=1
		continue
	fi
	# PT_INTERP: the kernel hands the program to ld.so first
	interp=$(readelf -lW "$f" 2>/dev/null |
	    sed -n 's/.*Requesting program interpreter: \([^]]*\)].*/\1/p')
	if [ -n "$interp" ]; then
		echo "$f: dynamically linked (program interpreter $interp)" >&2
		rc=1
		continue
	fi
	# a static-pie has a dynamic section, but needs no library
	needed=$(readelf -dW "$f" 2>/dev/null |
	    sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	if [ -n "$needed" ]; then
		echo "$f: needs shared libraries: $needed" >&2
		rc=1
	fi
done
exit $rc
