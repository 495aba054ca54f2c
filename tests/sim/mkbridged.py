#!/usr/bin/env python3
"""Write the sim config with a satellite controller: tests/sim/bmc.{sdrs,
emu} plus a controller at IPMB 0x30 owning two temperature sensors, one
on LUN 0 ("SAT Temp", 0x05) and one on LUN 1 ("SAT LUN1 Temp", 0x06),
whose SDRs sit in the BMC's repository.  Reading them takes bridging
with the owner's LUN.

    mkbridged.py OUTDIR

Writes OUTDIR/br.sdrs and OUTDIR/br.emu; start it with
sim_start OUTDIR/br.emu (tests/sim/lib.sh).
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1]
sdrs = open(os.path.join(here, "bmc.sdrs")).read()
emu = open(os.path.join(here, "bmc.emu")).read()
# the CPU1 Temp record is the template
t = re.search(r"sdr type 1\n(.*?)endsdr\n", sdrs, re.S).group(0)
r1 = (t.replace("sensor_owner_id\t0x20", "sensor_owner_id\t0x30")
       .replace("sensor_number\t0x01", "sensor_number\t0x05")
       .replace('"CPU1 Temp"', '"SAT Temp"')
       .replace("entity_instance\t1", "entity_instance\t9"))
r2 = (r1.replace("sensor_owner_lun\t0", "sensor_owner_lun\t1")
        .replace("sensor_number\t0x05", "sensor_number\t0x06")
        .replace('"SAT Temp"', '"SAT LUN1 Temp"'))
open(os.path.join(out, "br.sdrs"), "w").write(sdrs + "\n" + r1 + "\n" + r2)
emu = emu.replace("\nmc_enable 0x20", "\nmc_enable 0x20\n"
    "mc_add 0x30 0x02 no-device-sdrs 0x01 0x01 0x00 0x01 0x7ed9 0x0b58\n"
    "sensor_add 0x30 0 0x05 0x01 0x01\n"
    "sensor_set_value 0x30 0 0x05 0x33 0\n"
    "sensor_add 0x30 1 0x06 0x01 0x01\n"
    "sensor_set_value 0x30 1 0x06 0x5a 0\n"
    "mc_enable 0x30")
open(os.path.join(out, "br.emu"), "w").write(emu)
