#!/bin/bash
# bmcwatchd's webhooks: queue-max with drop-newest while the receiver is
# down (the oldest kept, the drop counted and logged), and an event whose
# append to the queue file fails is still sent.  The events come from a
# redfish target on the DMTF mockup; the checks are in
# tests/redfish/test_webhook2.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/redfish/test_webhook2.py "$B" "$(dirname "$B")/bmcwatchd" queue
