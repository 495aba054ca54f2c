#!/bin/bash
# bmcwatchd's log pass over Redfish against the DMTF mockup served on
# 127.0.0.1 (tests/redfish/server.py): ClearLog by sel-clear-at only once
# every entry of the log is archived (one arriving between listings
# included), never on a WrapsWhenFull log; the socket's sel info (as
# bmcwatch -I redfish's), sel list, sel ack, sel clear, and chassis
# identify refused by name.  The checks are in
# tests/redfish/test_daemon_sel.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/redfish/test_daemon_sel.py "$B" "$(dirname "$B")/bmcwatchd"
