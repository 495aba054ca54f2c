#!/bin/bash
# bmcwatchd against a hostile webhook receiver (a redirect, a 50 MB
# body, an endless body, a trickle slower than the timeout, then
# behaving): each a failure naming the URL, the redirect never followed,
# every event delivered afterwards, RSS bounded (plain build only, as
# 780: ASan's quarantine grows it), the failures logged
# once, no token in the log, argv or socket; the webhook's queue and
# sent files 0600; a Redfish target over HTTPS without ca-file refusing
# a certificate from an unknown CA by default (SECURITY.md).  The checks
# are in tests/hostile/webhook_hostile.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/hostile/webhook_hostile.py "$B" "$(dirname "$B")/bmcwatchd"
