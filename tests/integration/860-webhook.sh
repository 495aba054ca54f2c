#!/bin/bash
# bmcwatchd's event webhooks against a receiver on 127.0.0.1 that fails
# its first requests (500, slower than the timeout, garbage) and is down
# for a while, with the daemon SIGKILLed and restarted in between: every
# event arrives at least once, in order, duplicates with the same
# idempotency key, signatures and bearer token verify, the queue depth
# shows in targets --json.  The events come from a redfish target on the
# DMTF mockup.  The checks are in tests/redfish/test_webhook.py.
cd "$(dirname "$0")/../.." || exit 2
B=${BMCWATCH:-${BUILD:-build}/bmcwatch}
exec python3 tests/redfish/test_webhook.py "$B" "$(dirname "$B")/bmcwatchd"
