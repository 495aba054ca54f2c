#!/bin/bash
# bmcwatch -I redfish against the DMTF public-rackmount1 mockup served on
# 127.0.0.1 over HTTPS with a CA made here (tests/redfish/server.py):
# sensors, chassis status and power, info, watchdog get, sel info and
# list with the IPMI shapes' members and the mockup's values (null for
# what Redfish lacks), the session deleted at exit, passwords from a
# 0600 file or IPMI_PASSWORD only, wrong password and certificates exit
# 3, faults named by URL.  The checks are in tests/redfish/test_cli.py.
cd "$(dirname "$0")/../.." || exit 2
exec python3 tests/redfish/test_cli.py "${BMCWATCH:-${BUILD:-build}/bmcwatch}"
