/* Sensor type, offset and unit words (IPMI v2.0 tables 42-2, 42-3,
 * 43-15). */
#include <stdio.h>
#include <string.h>

#include "evtext.h"
#include "harness.h"

static void
test_types(void)
{
	CHECK_STR(evtext_sensor_type(0x01), "Temperature");
	CHECK_STR(evtext_sensor_type(0x08), "Power Supply");
	CHECK_STR(evtext_sensor_type(0x2c), "FRU State");
	CHECK_STR(evtext_sensor_type(0x2d), "Unknown");
	CHECK_STR(evtext_sensor_type(0xc0), "OEM reserved");
	CHECK_EQ(evtext_sensor_type_parse("power_supply"), 8);
	CHECK_EQ(evtext_sensor_type_parse("Drive Slot"), 0x0d);
	CHECK_EQ(evtext_sensor_type_parse("TEMPERATURE"), 1);
	CHECK_EQ(evtext_sensor_type_parse("nope"), -1);
	CHECK_EQ(evtext_sensor_type_parse("Temperatur"), -1);
}

static void
test_offsets(void)
{
	/* the examples */
	CHECK_STR(evtext_offset(0x6f, 0x07, 7), "Presence detected");
	CHECK_STR(evtext_offset(0x6f, 0x08, 3), "Power Supply AC lost");
	CHECK_STR(evtext_offset(0x0b, 0x08, 0), "Fully Redundant");
	CHECK_STR(evtext_offset(0x6f, 0x05, 0), "General Chassis intrusion");
	/* threshold and generic */
	CHECK_STR(evtext_offset(0x01, 0x01, 9), "Upper Critical going high");
	CHECK(evtext_offset(0x01, 0x01, 12) == NULL);
	CHECK_STR(evtext_offset(0x03, 0x04, 1), "State Asserted");
	CHECK_STR(evtext_offset(0x08, 0x15, 1), "Device Present");
	CHECK_STR(evtext_offset(0x0c, 0, 3), "D3 Power State");
	CHECK(evtext_offset(0x0c, 0, 4) == NULL);
	/* sensor-specific by type, gaps and bounds */
	CHECK_STR(evtext_offset(0x6f, 0x0d, 1), "Drive Fault");
	CHECK_STR(evtext_offset(0x6f, 0x23, 8), "Timer interrupt");
	CHECK(evtext_offset(0x6f, 0x23, 4) == NULL);
	CHECK_STR(evtext_offset(0x6f, 0x2c, 7), "Communication lost");
	CHECK_STR(evtext_offset(0x6f, 0x10, 4), "Log full");
	CHECK(evtext_offset(0x6f, 0x01, 0) == NULL);
	CHECK(evtext_offset(0x6f, 0x2d, 0) == NULL);
	CHECK(evtext_offset(0x6f, 0xc0, 0) == NULL);
	CHECK(evtext_offset(0x6f, 0x08, 15) == NULL);
	CHECK(evtext_offset(0x70, 0x08, 0) == NULL);
	CHECK(evtext_offset(0x00, 0x08, 0) == NULL);
	/* table 42-3 puts "Unknown" at 0Eh and leaves 0Dh undefined */
	CHECK(evtext_offset(0x6f, 0x22, 13) == NULL);
	CHECK_STR(evtext_offset(0x6f, 0x22, 14), "Unknown");
}

/*
 * Every table of IPMI v2.0 table 42-3 (sensor-specific offsets, sensor
 * types 00h-2Ch, with the errata additions) and 42-2 (generic types
 * 01h-0Ch), offset by offset: which offsets are defined (a bit per
 * offset), and the words of the first and the last.  Texts are the
 * short forms ipmitool 1.8.19 prints where it has the offset; ipmitool
 * lacks 10h/06h, 2Ah (all) and 2Bh 01h-07h, and puts ED2-dependent words
 * ("Unknown Error") on 0Fh: there the spec's words, shortened.
 */
static const struct evtab {
	uint8_t		 evt, type;
	uint16_t	 defined;
	const char	*first, *last;
} evtabs[] = {
	{ 0x6f, 0x00, 0x0000, NULL, NULL },	/* reserved */
	{ 0x6f, 0x01, 0x0000, NULL, NULL },	/* temperature ... */
	{ 0x6f, 0x02, 0x0000, NULL, NULL },
	{ 0x6f, 0x03, 0x0000, NULL, NULL },
	{ 0x6f, 0x04, 0x0000, NULL, NULL },
	{ 0x6f, 0x05, 0x007f, "General Chassis intrusion",
	    "FAN area intrusion" },
	{ 0x6f, 0x06, 0x003f, "Front Panel Lockout violation attempted",
	    "Out-of-band access password violation" },
	{ 0x6f, 0x07, 0x1fff, "IERR", "Correctable machine check error" },
	{ 0x6f, 0x08, 0x00ff, "Presence detected", "Power Supply Inactive" },
	{ 0x6f, 0x09, 0x00ff, "Power off/down", "Predictive failure" },
	{ 0x6f, 0x0a, 0x0000, NULL, NULL },	/* cooling device */
	{ 0x6f, 0x0b, 0x0000, NULL, NULL },	/* other units */
	{ 0x6f, 0x0c, 0x07ff, "Correctable ECC", "Critical Overtemperature" },
	{ 0x6f, 0x0d, 0x01ff, "Drive Present", "Rebuild Aborted" },
	{ 0x6f, 0x0e, 0x0000, NULL, NULL },	/* POST memory resize */
	{ 0x6f, 0x0f, 0x0007, "System Firmware Error",
	    "System Firmware Progress" },
	{ 0x6f, 0x10, 0x007f, "Correctable memory error logging disabled",
	    "Correctable Machine Check Error Logging Disabled" },
	{ 0x6f, 0x11, 0x00ff, "BIOS Reset", "OS pre-timeout Interrupt" },
	{ 0x6f, 0x12, 0x003f, "System Reconfigured", "Timestamp Clock Sync" },
	{ 0x6f, 0x13, 0x0fff, "NMI/Diag Interrupt", "Bus Degraded" },
	{ 0x6f, 0x14, 0x001f, "Power Button pressed",
	    "FRU Service request button" },
	{ 0x6f, 0x15, 0x0000, NULL, NULL },	/* module/board */
	{ 0x6f, 0x16, 0x0000, NULL, NULL },
	{ 0x6f, 0x17, 0x0000, NULL, NULL },
	{ 0x6f, 0x18, 0x0000, NULL, NULL },
	{ 0x6f, 0x19, 0x0003, "Soft Power Control Failure", "Thermal Trip" },
	{ 0x6f, 0x1a, 0x0000, NULL, NULL },
	{ 0x6f, 0x1b, 0x0003, "Connected", "Config Error" },
	{ 0x6f, 0x1c, 0x0000, NULL, NULL },	/* terminator */
	{ 0x6f, 0x1d, 0x00ff, "Initiated by power up", "System Restart" },
	{ 0x6f, 0x1e, 0x001f, "No bootable media",
	    "Timeout waiting for selection" },
	{ 0x6f, 0x1f, 0x07ff, "A: boot completed", "Installation failed" },
	{ 0x6f, 0x20, 0x003f, "Error during system startup",
	    "Agent not responding" },
	{ 0x6f, 0x21, 0x03ff, "Fault Status", "Spare Device" },
	/* 00h-0Ch and 0Eh: 0Dh is not defined */
	{ 0x6f, 0x22, 0x5fff, "S0/G0: working", "Unknown" },
	/* 04h-07h reserved */
	{ 0x6f, 0x23, 0x010f, "Timer expired", "Timer interrupt" },
	{ 0x6f, 0x24, 0x000f, "Platform generated page",
	    "Platform generated SNMP trap, OEM format" },
	{ 0x6f, 0x25, 0x0007, "Present", "Disabled" },
	{ 0x6f, 0x26, 0x0000, NULL, NULL },	/* monitor ASIC/IC */
	{ 0x6f, 0x27, 0x0003, "Heartbeat Lost", "Heartbeat" },
	{ 0x6f, 0x28, 0x003f, "Sensor access degraded or unavailable",
	    "FRU failure" },
	{ 0x6f, 0x29, 0x0007, "Low", "Presence Detected" },
	{ 0x6f, 0x2a, 0x000f, "Session Activated", "Invalid password disable" },
	{ 0x6f, 0x2b, 0x00ff, "Hardware change detected",
	    "Firmware or software change success" },
	{ 0x6f, 0x2c, 0x00ff, "Not Installed", "Communication lost" },
	{ 0x6f, 0x2d, 0x0000, NULL, NULL },	/* past the table */
	{ 0x6f, 0xc0, 0x0000, NULL, NULL },	/* OEM */
	/* table 42-2 */
	{ 0x01, 0x01, 0x0fff, "Lower Non-critical going low",
	    "Upper Non-recoverable going high" },
	{ 0x02, 0x00, 0x0007, "Transition to Idle", "Transition to Busy" },
	{ 0x03, 0x00, 0x0003, "State Deasserted", "State Asserted" },
	{ 0x04, 0x00, 0x0003, "Predictive Failure Deasserted",
	    "Predictive Failure Asserted" },
	{ 0x05, 0x00, 0x0003, "Limit Not Exceeded", "Limit Exceeded" },
	{ 0x06, 0x00, 0x0003, "Performance Met", "Performance Lags" },
	{ 0x07, 0x00, 0x01ff, "Transition to OK", "Informational" },
	{ 0x08, 0x00, 0x0003, "Device Absent", "Device Present" },
	{ 0x09, 0x00, 0x0003, "Device Disabled", "Device Enabled" },
	{ 0x0a, 0x00, 0x01ff, "Transition to Running", "Install Error" },
	{ 0x0b, 0x00, 0x00ff, "Fully Redundant",
	    "Redundancy Degraded from Non-Redundant" },
	{ 0x0c, 0x00, 0x000f, "D0 Power State", "D3 Power State" },
	{ 0x00, 0x00, 0x0000, NULL, NULL },	/* unspecified */
	{ 0x0d, 0x00, 0x0000, NULL, NULL },	/* reserved */
	{ 0x70, 0x00, 0x0000, NULL, NULL },	/* OEM */
};

static void
test_offset_tables(void)
{
	size_t i;
	unsigned o, lo, hi;
	uint16_t got;

	for (i = 0; i < sizeof(evtabs) / sizeof(evtabs[0]); i++) {
		const struct evtab *t = &evtabs[i];

		got = 0;
		lo = hi = 15;
		for (o = 0; o < 15; o++)
			if (evtext_offset(t->evt, t->type, (uint8_t)o) !=
			    NULL) {
				got |= (uint16_t)(1u << o);
				if (lo == 15)
					lo = o;
				hi = o;
			}
		if (got != t->defined)
			printf("# event type %02Xh sensor type %02Xh: offsets "
			    "%04x, expected %04x\n", t->evt, t->type, got,
			    t->defined);
		CHECK_EQ(got, t->defined);
		/* 15 and up are never defined */
		CHECK(evtext_offset(t->evt, t->type, 15) == NULL);
		if (t->first == NULL || lo == 15)
			continue;
		CHECK_STR(evtext_offset(t->evt, t->type, (uint8_t)lo),
		    t->first);
		CHECK_STR(evtext_offset(t->evt, t->type, (uint8_t)hi),
		    t->last);
	}
	/* the generic tables do not depend on the sensor type */
	CHECK_STR(evtext_offset(0x07, 0x22, 3),
	    "Transition to Non-recoverable from less severe");
	CHECK_STR(evtext_offset(0x0b, 0x08, 1), "Redundancy Lost");
	/* tricky ones inside the tables */
	CHECK_STR(evtext_offset(0x6f, 0x10, 2), "Log area reset/cleared");
	CHECK_STR(evtext_offset(0x6f, 0x10, 4), "Log full");
	CHECK_STR(evtext_offset(0x6f, 0x22, 12), "Legacy OFF state");
	CHECK_STR(evtext_offset(0x6f, 0x20, 1), "Run-time critical stop");
	CHECK_STR(evtext_offset(0x6f, 0x0c, 5),
	    "Correctable ECC logging limit reached");
	CHECK_STR(evtext_offset(0x6f, 0x2b, 6), "Hardware change success");
	CHECK_STR(evtext_offset(0x01, 0x01, 6), "Upper Non-critical going low");
}

/* every sensor type with sensor-specific offsets has offset texts that
 * are non-empty and unique within the type */
static void
test_offsets_complete(void)
{
	static const uint8_t types[] = { 0x05, 0x06, 0x07, 0x08, 0x09, 0x0c,
	    0x0d, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x19, 0x1b, 0x1d, 0x1e,
	    0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x27, 0x28, 0x29, 0x2a,
	    0x2b, 0x2c };
	size_t i;
	unsigned o, p;

	for (i = 0; i < sizeof(types); i++) {
		CHECK(evtext_offset(0x6f, types[i], 0) != NULL);
		for (o = 0; o < 15; o++) {
			const char *a = evtext_offset(0x6f, types[i], (uint8_t)o);

			if (a == NULL)
				continue;
			CHECK(a[0] != '\0');
			for (p = o + 1; p < 15; p++) {
				const char *b = evtext_offset(0x6f, types[i],
				    (uint8_t)p);

				CHECK(b == NULL || strcmp(a, b) != 0);
			}
		}
	}
}

static void
test_units(void)
{
	CHECK_STR(evtext_unit(1), "degrees C");
	CHECK_STR(evtext_unit(4), "Volts");
	CHECK_STR(evtext_unit(5), "Amps");
	CHECK_STR(evtext_unit(6), "Watts");
	CHECK_STR(evtext_unit(17), "CFM");
	CHECK_STR(evtext_unit(18), "RPM");
	CHECK_STR(evtext_unit(92), "grams");
	CHECK(evtext_unit(93) == NULL);
	CHECK_STR(evtext_rate(0), "");
	CHECK_STR(evtext_rate(3), "per second");
	CHECK(evtext_rate(7) == NULL);
}

int
main(void)
{
	RUN(test_types);
	RUN(test_offsets);
	RUN(test_offsets_complete);
	RUN(test_offset_tables);
	RUN(test_units);
	return harness_end();
}
