#!/bin/bash
# bmcwatchd's webhooks: an HTTPS receiver trusted through ca-file (a CA
# made here with openssl), Basic credentials from a 0600 file (never in
# argv or the log), a receiver certificate for another host refused, and
# SIGHUP changing an endpoint's URL.  The events come from a redfish
# target on the DMTF mockup; the checks are in
# tests/redfish/test_webhook2.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/redfish/test_webhook2.py "$B" "$(dirname "$B")/bmcwatchd" tls
