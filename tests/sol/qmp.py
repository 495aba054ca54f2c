#!/usr/bin/env python3
"""A QMP client for tests: run one command on a QEMU monitor socket.

    qmp.py SOCKET COMMAND [JSON-ARGUMENTS]

Prints the "return" value as JSON; exit 1 on an error reply or when the
socket does not answer within 10 s.  Examples: qmp.py S cont,
qmp.py S query-chardev, qmp.py S quit.
"""
import json
import socket
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(sys.argv[1])
    f = s.makefile("rwb", buffering=0)

    def reply():
        while True:
            line = f.readline()
            if not line:
                raise OSError("QMP socket closed")
            m = json.loads(line)
            if "return" in m or "error" in m:
                return m

    json.loads(f.readline())			# the greeting
    f.write(b'{"execute": "qmp_capabilities"}\n')
    reply()
    cmd = {"execute": sys.argv[2]}
    if len(sys.argv) > 3:
        cmd["arguments"] = json.loads(sys.argv[3])
    f.write(json.dumps(cmd).encode() + b"\n")
    try:
        m = reply()
    except OSError:
        if sys.argv[2] == "quit":
            return 0
        raise
    if "error" in m:
        print(json.dumps(m["error"]), file=sys.stderr)
        return 1
    print(json.dumps(m["return"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
