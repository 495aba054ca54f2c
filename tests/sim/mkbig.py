#!/usr/bin/env python3
"""Write a bigger sim config: tests/sim/bmc.{sdrs,emu} plus N extra
temperature sensors (full SDRs, numbers 0x80 up, "Temp 001" ...), for
benchmarks that want >= 120 sensors.

    mkbig.py OUTDIR [N]      (default N = 90: 125 sensors in all)

Writes OUTDIR/big.sdrs and OUTDIR/big.emu; start it with
sim_start OUTDIR/big.emu (tests/sim/lib.sh).
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 90
if n > 120:
    sys.exit("at most 120 extra sensors (numbers 0x80-0xf7)")
sdrs = open(os.path.join(here, "bmc.sdrs")).read()
emu = open(os.path.join(here, "bmc.emu")).read()

# the CPU1 Temp record is the template
m = re.search(r"sdr type 1\n(.*?)endsdr\n", sdrs, re.S)
tmpl = m.group(0)
extra_sdrs = []
extra_emu = []
for i in range(n):
    num = 0x80 + i
    rec = tmpl.replace("sensor_number\t0x01", "sensor_number\t0x%02x" % num)
    rec = rec.replace("entity_instance\t1", "entity_instance\t%d" % (i % 60 + 3))
    rec = rec.replace('id_string\t"CPU1 Temp"', 'id_string\t"Temp %03d"' % (i + 1))
    extra_sdrs.append("# 0x%02x Temp %03d\n%s" % (num, i + 1, rec))
    extra_emu.append("sensor_add 0x20 0 0x%02x 0x01 0x01\n"
                     "sensor_set_value 0x20 0 0x%02x 0x%02x 0\n" %
                     (num, num, 30 + i % 40))
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "big.sdrs"), "w") as f:
    f.write(sdrs.rstrip("\n") + "\n\n" + "\n".join(extra_sdrs))
emu = emu.replace("\nmc_enable 0x20", "\n" + "".join(extra_emu) + "mc_enable 0x20")
with open(os.path.join(out, "big.emu"), "w") as f:
    f.write(emu)
