/*
 * Fuzz the sensor command decoders and the reading conversion
 * (agent/ipmi/sensor.c): every input is decoded as the response data of
 * Get Sensor Reading, Get Sensor Thresholds, Get Sensor Hysteresis and
 * Get Sensor Reading Factors, and its first bytes drive a synthetic full
 * SDR (format, linearization, M, B, K1, K2) whose conversion of the
 * reading must be a number or a clean refusal.  Seeds: answers of
 * ipmi_sim 2.0.33 (sim-*) and edge cases (edge-*).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sensor.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct sensor_reading r;
	struct sensor_thresholds t;
	struct sensor_hysteresis h;
	struct sdr_factors f;
	struct sdr_rec s;
	uint8_t next;
	double v, thr[SDR_THR_N];
	int i;

	if (sensor_reading_decode(p, len, &r) == IPMI_OK) {
		fuzz_must(len >= 2);
		fuzz_must(r.nstates == (len >= 4 ? 2 : len == 3 ? 1 : 0));
		fuzz_must(r.states < 0x8000);
		fuzz_must(sensor_thr_level((uint8_t)r.states) <=
		    SENSOR_SEV_NONRECOVERABLE);
	} else
		fuzz_must(len < 2);
	if (sensor_thresholds_decode(p, len, &t) == IPMI_OK)
		fuzz_must(len >= 7 && t.readable <= 0x3f);
	else
		fuzz_must(len < 7 && t.readable == 0);
	if (sensor_hysteresis_decode(p, len, &h) == IPMI_OK)
		fuzz_must(len >= 2);
	memset(&s, 0, sizeof(s));
	s.type = SDR_TYPE_FULL;
	if (sensor_factors_decode(p, len, &next, &f) == IPMI_OK) {
		fuzz_must(len >= 7);
		fuzz_must(f.k1 >= -8 && f.k1 <= 7 && f.k2 >= -8 && f.k2 <= 7);
		s.f = f;
	}
	if (len >= 9) {
		s.format = p[7] & 0x03;
		s.linearization = p[8] & 0x7f;
	}
	for (i = 0; i < 256; i += 5)
		if (sensor_convert(&s, NULL, (uint8_t)i, &v) == 0)
			fuzz_must(v == v);
	for (i = 0; i < SDR_THR_N; i++)
		thr[i] = i < (int)len ? p[i] : 0;
	(void)sensor_thr_compare(len ? p[0] : 0, thr, len > 1 ? p[1] : 0);
	fuzz_must(sensor_decimals(&s, NULL) <= 6);
	return 0;
}
