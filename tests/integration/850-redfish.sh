#!/bin/bash
# The Redfish client (agent/http/) against the DMTF public-rackmount1
# mockup served on 127.0.0.1 by tests/redfish/server.py, over HTTP and
# HTTPS with a CA made here: sensors, chassis, watchdog, info and logs
# as the mockup's JSON says, $expand, Thermal/Power on older services,
# sessions created once and deleted at exit, Basic when there are none,
# a lost session re-made, ClearLog and Reset only when asked (never on a
# WrapsWhenFull log), wrong password, certificates, and every fault mode
# (malformed, truncated, oversized, slow, wrong types, 500, redirect) an
# error naming the URL within the request timeout.  The checks and their
# expectations are in tests/redfish/test_redfish.py.
cd "$(dirname "$0")/../.." || exit 2
exec python3 tests/redfish/test_redfish.py "${BUILD:-build}/tests/rfdrive"
