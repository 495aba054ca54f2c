#!/bin/bash
# bmcwatchd with an `interface redfish` target against the DMTF mockup
# served on 127.0.0.1 over HTTPS (tests/redfish/server.py): the socket's
# answers equal bmcwatch -I redfish's, one session for the target's life
# (deleted at SIGHUP removal and SIGTERM), a frozen service makes it
# unreachable and SIGCONT brings it back, power only with allow power,
# insecure logged.  The checks are in tests/redfish/test_daemon.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/redfish/test_daemon.py "$B" "$(dirname "$B")/bmcwatchd"
