/* Sensor command codecs and reading conversion (IPMI v2.0 36.3). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "sensor.h"

#define NEAR(a, b)	(fabs((a) - (b)) < 1e-9)

static struct sdr_rec
mk(int16_t m, int16_t b, int8_t k1, int8_t k2, uint8_t fmt, uint8_t lin)
{
	struct sdr_rec s;

	memset(&s, 0, sizeof(s));
	s.type = SDR_TYPE_FULL;
	s.event_type = SDR_EVT_THRESHOLD;
	s.f.m = m;
	s.f.b = b;
	s.f.k1 = k1;
	s.f.k2 = k2;
	s.format = fmt;
	s.linearization = lin;
	return s;
}

static double
conv(const struct sdr_rec *s, uint8_t raw)
{
	double v = NAN;

	if (sensor_convert(s, NULL, raw, &v) != 0)
		return NAN;
	return v;
}

/* the sim's sensors: each conversion the test bed exercises */
static void
test_convert_sim(void)
{
	struct sdr_rec s;

	s = mk(1, 0, 0, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 0x2d), 45.0));
	s = mk(1, -40, 0, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 92), 52.0));
	CHECK(NEAR(conv(&s, 0), -40.0));
	s = mk(1, 0, 0, 0, SDR_FMT_2S, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 0xdd), -35.0));
	CHECK(NEAR(conv(&s, 0x80), -128.0));
	CHECK(NEAR(conv(&s, 0x7f), 127.0));
	s = mk(1, 0, 0, 2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 79), 7900.0));
	s = mk(6, 0, 0, -2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 200), 12.0));
	s = mk(5, 10, 2, -3, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 160), 1.8));
	s = mk(1, 0, 0, -1, SDR_FMT_UNSIGNED, SDR_LIN_SQR);
	CHECK(NEAR(conv(&s, 80), 64.0));
}

static void
test_convert_formats(void)
{
	struct sdr_rec s;

	s = mk(1, 0, 0, 0, SDR_FMT_1S, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 0xf0), -15.0));
	CHECK(NEAR(conv(&s, 0xff), 0.0));
	CHECK(NEAR(conv(&s, 0x80), -127.0));
	CHECK(NEAR(conv(&s, 0x7f), 127.0));
	CHECK_EQ(sensor_raw_signed(SDR_FMT_1S, 0xfe), -1);
	CHECK_EQ(sensor_raw_signed(SDR_FMT_2S, 0xfe), -2);
	CHECK_EQ(sensor_raw_signed(SDR_FMT_UNSIGNED, 0xfe), 254);
	/* no analog reading */
	s = mk(1, 0, 0, 0, SDR_FMT_NONE, SDR_LIN_LINEAR);
	CHECK(isnan(conv(&s, 1)));
	s = mk(1, 0, 0, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	s.type = SDR_TYPE_COMPACT;
	CHECK(isnan(conv(&s, 1)));
	/* negative M, negative K1 */
	s = mk(-2, 5, -1, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 10), -19.5));
	/* extreme fields: M = -512, B = 511, K1 = 7, K2 = -8 */
	s = mk(-512, 511, 7, -8, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(conv(&s, 255), (-512.0 * 255 + 511e7) * 1e-8));
}

static void
test_convert_linearization(void)
{
	struct sdr_rec s;

	/* y before L is x * 0.1 */
	s = mk(1, 0, 0, -1, SDR_FMT_UNSIGNED, SDR_LIN_LN);
	CHECK(NEAR(conv(&s, 10), 0.0));
	CHECK(NEAR(conv(&s, 100), log(10.0)));
	CHECK(isnan(conv(&s, 0)));
	s.linearization = SDR_LIN_LOG10;
	CHECK(NEAR(conv(&s, 100), 1.0));
	s.linearization = SDR_LIN_LOG2;
	CHECK(NEAR(conv(&s, 80), 3.0));
	s.linearization = SDR_LIN_E;
	CHECK(NEAR(conv(&s, 10), exp(1.0)));
	s.linearization = SDR_LIN_EXP10;
	CHECK(NEAR(conv(&s, 20), 100.0));
	s.linearization = SDR_LIN_EXP2;
	CHECK(NEAR(conv(&s, 30), 8.0));
	s.linearization = SDR_LIN_INVERSE;
	CHECK(NEAR(conv(&s, 40), 0.25));
	CHECK(isnan(conv(&s, 0)));
	s.linearization = SDR_LIN_SQR;
	CHECK(NEAR(conv(&s, 30), 9.0));
	s.linearization = SDR_LIN_CUBE;
	CHECK(NEAR(conv(&s, 20), 8.0));
	s.linearization = SDR_LIN_SQRT;
	CHECK(NEAR(conv(&s, 90), 3.0));
	s.format = SDR_FMT_2S;
	CHECK(isnan(conv(&s, 0xf6)));
	s.format = SDR_FMT_UNSIGNED;
	s.linearization = SDR_LIN_CBRT;
	CHECK(NEAR(conv(&s, 80), 2.0));
	s.format = SDR_FMT_2S;
	CHECK(NEAR(conv(&s, 0xb0), -cbrt(8.0)));
	/* reserved linearization codes are refused */
	s.linearization = 0x0c;
	CHECK(isnan(conv(&s, 1)));
}

/* non-linear (70h): factors from Get Sensor Reading Factors */
static void
test_convert_nonlinear(void)
{
	struct sdr_rec s;
	struct sdr_factors f;
	uint8_t next;
	unsigned char b[16];
	int n;
	double v;

	s = mk(0, 0, 0, 0, SDR_FMT_UNSIGNED, SDR_LIN_NONLINEAR);
	CHECK(sensor_is_nonlinear(&s));
	s.linearization = 0x7f;
	CHECK(sensor_is_nonlinear(&s));
	/* next 0x40; M = 3, tol 0; B = -100 (0x39c), acc 0; K2 -1, K1 0 */
	n = harness_hex("40 03 00 9c c0 00 f0", b, sizeof(b));
	CHECK(sensor_factors_decode(b, (size_t)n, &next, &f) == IPMI_OK);
	CHECK_EQ(next, 0x40);
	CHECK_EQ(f.m, 3);
	CHECK_EQ(f.b, -100);
	CHECK_EQ(f.k2, -1);
	CHECK_EQ(f.k1, 0);
	CHECK(sensor_convert(&s, &f, 50, &v) == 0);
	CHECK(NEAR(v, 5.0));
	CHECK_EQ(sensor_decimals(&s, &f), 1);
	CHECK(sensor_factors_decode(b, (size_t)n - 1, &next, &f) ==
	    IPMI_E_LENGTH);
}

static void
test_decimals(void)
{
	struct sdr_rec s;

	s = mk(1, 0, 0, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 0);
	s = mk(6, 0, 0, -2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 2);
	s = mk(10, 0, 0, -2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 1);
	s = mk(5, 10, 2, -3, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 3);
	s = mk(1, 5, -3, 0, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 3);
	s = mk(1, 0, 0, 2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK_EQ(sensor_decimals(&s, NULL), 0);
	s = mk(1, 0, 0, -1, SDR_FMT_UNSIGNED, SDR_LIN_SQR);
	CHECK_EQ(sensor_decimals(&s, NULL), 3);
	s = mk(6, 0, 0, -2, SDR_FMT_UNSIGNED, SDR_LIN_LINEAR);
	CHECK(NEAR(sensor_hyst_value(&s, NULL, 2), 0.12));
}

static void
test_reading(void)
{
	struct ipmi_req q;
	struct sensor_reading r;
	unsigned char b[8];
	int n;

	sensor_reading_req(&q, 0x33);
	CHECK_EQ(q.netfn, IPMI_NETFN_SENSOR_EVENT);
	CHECK_EQ(q.cmd, 0x2d);
	CHECK_EQ(q.len, 1);
	CHECK_EQ(q.data[0], 0x33);
	/* threshold sensor at UNC+UC: bits 3, 4 */
	n = harness_hex("5d c0 18", b, sizeof(b));
	CHECK(sensor_reading_decode(b, (size_t)n, &r) == IPMI_OK);
	CHECK_EQ(r.raw, 0x5d);
	CHECK_EQ(r.events_enabled, 1);
	CHECK_EQ(r.scanning_enabled, 1);
	CHECK_EQ(r.unavailable, 0);
	CHECK_EQ(r.nstates, 1);
	CHECK_EQ(r.states, 0x18);
	CHECK_EQ(sensor_thr_level((uint8_t)r.states), SENSOR_SEV_CRITICAL);
	/* discrete, two state bytes, reading unavailable, scanning off */
	n = harness_hex("00 20 81 ff", b, sizeof(b));
	CHECK(sensor_reading_decode(b, (size_t)n, &r) == IPMI_OK);
	CHECK_EQ(r.events_enabled, 0);
	CHECK_EQ(r.scanning_enabled, 0);
	CHECK_EQ(r.unavailable, 1);
	CHECK_EQ(r.nstates, 2);
	CHECK_EQ(r.states, 0x7f81);
	/* only two bytes: no states */
	CHECK(sensor_reading_decode(b, 2, &r) == IPMI_OK);
	CHECK_EQ(r.nstates, 0);
	CHECK(sensor_reading_decode(b, 1, &r) == IPMI_E_LENGTH);
}

static void
test_thresholds(void)
{
	struct ipmi_req q;
	struct sensor_thresholds t;
	struct sensor_hysteresis h;
	unsigned char b[8];
	int n;

	sensor_thresholds_req(&q, 7);
	CHECK_EQ(q.cmd, 0x27);
	CHECK_EQ(q.data[0], 7);
	n = harness_hex("3f 05 03 01 55 5f 64", b, sizeof(b));
	CHECK(sensor_thresholds_decode(b, (size_t)n, &t) == IPMI_OK);
	CHECK_EQ(t.readable, 0x3f);
	CHECK_EQ(t.raw[SDR_THR_LNC], 5);
	CHECK_EQ(t.raw[SDR_THR_LC], 3);
	CHECK_EQ(t.raw[SDR_THR_LNR], 1);
	CHECK_EQ(t.raw[SDR_THR_UNC], 85);
	CHECK_EQ(t.raw[SDR_THR_UC], 95);
	CHECK_EQ(t.raw[SDR_THR_UNR], 100);
	CHECK(sensor_thresholds_decode(b, (size_t)n - 1, &t) ==
	    IPMI_E_LENGTH);
	CHECK_EQ(t.readable, 0);

	sensor_hysteresis_req(&q, 7);
	CHECK_EQ(q.cmd, 0x25);
	CHECK_EQ(q.len, 2);
	CHECK_EQ(q.data[1], 0xff);
	CHECK(sensor_hysteresis_decode((const uint8_t *)"\x02\x03", 2, &h) ==
	    IPMI_OK);
	CHECK_EQ(h.pos, 2);
	CHECK_EQ(h.neg, 3);
	CHECK(sensor_hysteresis_decode((const uint8_t *)"\x02", 1, &h) ==
	    IPMI_E_LENGTH);
}

static void
test_levels(void)
{
	double thr[SDR_THR_N] = { 5, 3, 1, 85, 95, 100 };

	CHECK_EQ(sensor_thr_level(0), SENSOR_SEV_OK);
	CHECK_EQ(sensor_thr_level(0x01), SENSOR_SEV_WARNING);
	CHECK_EQ(sensor_thr_level(0x08), SENSOR_SEV_WARNING);
	CHECK_EQ(sensor_thr_level(0x03), SENSOR_SEV_CRITICAL);
	CHECK_EQ(sensor_thr_level(0x38), SENSOR_SEV_NONRECOVERABLE);
	CHECK_EQ(sensor_thr_level(0x04), SENSOR_SEV_NONRECOVERABLE);
	CHECK_EQ(sensor_thr_compare(45, thr, 0x3f), 0);
	CHECK_EQ(sensor_thr_compare(85, thr, 0x3f), 0x08);
	CHECK_EQ(sensor_thr_compare(96, thr, 0x3f), 0x18);
	CHECK_EQ(sensor_thr_compare(96, thr, 0x08), 0x08);
	CHECK_EQ(sensor_thr_compare(0, thr, 0x3f), 0x07);
	CHECK_STR(sensor_sev_name(SENSOR_SEV_NONRECOVERABLE), "nonrecoverable");
	CHECK_STR(sensor_sev_name(SENSOR_SEV_UNAVAILABLE), "unavailable");
	{
		enum sensor_sev v;

		CHECK(sensor_sev_parse("Warning", &v) == 0 &&
		    v == SENSOR_SEV_WARNING);
		CHECK(sensor_sev_parse("nominal", &v) == 0 &&
		    v == SENSOR_SEV_OK);
		CHECK(sensor_sev_parse("bad", &v) == -1);
	}
}

int
main(void)
{
	RUN(test_convert_sim);
	RUN(test_convert_formats);
	RUN(test_convert_linearization);
	RUN(test_convert_nonlinear);
	RUN(test_decimals);
	RUN(test_reading);
	RUN(test_thresholds);
	RUN(test_levels);
	return harness_end();
}
