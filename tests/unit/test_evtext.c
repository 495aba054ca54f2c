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
	CHECK_STR(evtext_offset(0x6f, 0x22, 13), "Unknown");
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
	RUN(test_units);
	return harness_end();
}
