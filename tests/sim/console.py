#!/usr/bin/env python3
"""A client of ipmi_sim's command console (ipmi_sim_cmd(5)).

    console.py PORT CMD     one command: prints what the sim answered,
                            exits 1 if it answered an error ("**")

sim_cmd (lib.sh) runs it; tests/integration/sel_console.py uses the
Console class for long runs of commands over one connection.

The console's output is a stream, not a dialogue: a command's answer can
come after the prompt that follows it, in the same read or a later one.
So prompts are noted wherever they fall in the stream, never looked for
only at the end of what was read, and every wait is bounded.
"""
import socket
import sys
import time


class Console:
    def __init__(self, port, on_line):
        """Connect (the console takes one client at a time: retry for
        30 s); on_line(text) gets every complete line the sim prints,
        without prompt, echo included."""
        deadline = time.monotonic() + 30
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port),
                                                  timeout=2)
                break
            except ConnectionRefusedError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.s.settimeout(1)
        self.on_line = on_line
        self.partial = ""
        self.prompted = False

    def read(self):
        """Whatever the sim sends within a second; False at EOF."""
        try:
            d = self.s.recv(4096)
        except socket.timeout:
            return True
        if not d:
            return False
        text = self.partial + d.decode("latin-1").replace("\r", "")
        lines = text.split("\n")
        self.partial = lines.pop()
        for l in lines:
            self.on_line(self.unprompt(l).strip())
        self.unprompt(self.partial)
        return True

    def unprompt(self, l):
        """The line without the prompt it starts with (noted as seen);
        telnet option bytes and control characters before it do not
        count."""
        i = 0
        while i < len(l) and (l[i] < " " or l[i] >= "\x7f"):
            i += 1
        if l.startswith("> ", i):
            self.prompted = True
            return l[i + 2:]
        return l

    def send(self, cmd):
        """One command; a prompt seen before it does not answer it."""
        self.partial = self.unprompt(self.partial)
        self.prompted = False
        self.s.sendall(cmd.encode() + b"\n")

    def until(self, cond, seconds, what):
        deadline = time.monotonic() + seconds
        while not cond():
            if time.monotonic() > deadline:
                sys.exit("console.py: no %s from the sim in %d s"
                         % (what, seconds))
            if not self.read():
                sys.exit("console.py: the sim closed the console")

    def prompt(self, seconds, what):
        self.until(lambda: self.prompted, seconds, what)


def main():
    port, cmd = int(sys.argv[1]), sys.argv[2].strip()
    if cmd == "quit":
        sys.exit("console.py: refusing to send quit (it kills the "
                 "simulator)")
    out = []
    c = Console(port, out.append)
    c.prompt(30, "prompt")
    del out[:]
    c.send(cmd)
    c.prompt(30, "prompt after " + cmd)
    # an empty command: what the sim still had to say about CMD comes
    # before its prompt
    c.send("")
    c.prompt(30, "prompt after an empty command")
    c.s.close()
    out = [l for l in out if l]
    if out and out[0] == cmd:
        out = out[1:]
    if out:
        print("\n".join(out))
    sys.exit(1 if any(l.startswith("**") for l in out) else 0)


if __name__ == "__main__":
    main()
