/*
 * Fuzz the SDR decoder (agent/ipmi/sdr.c) and the image splitter the
 * cache uses: every input is taken as one record, as an image of
 * concatenated records, and as an ID string; decoded names stay
 * NUL-terminated inside their buffers, shared instances inside their
 * limits, and sdr_image_set() agrees with sdr_next() on the count.
 * Seeds: records compiled by sdrcomp from tests/sim/bmc.sdrs (8-bit
 * and 6-bit packed names: sim-*) and hand-made edge cases (edge-*).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sdr.h"
#include "sdr_cache.h"
#include "sensor.h"

static void
fz_record(const uint8_t *p, size_t len)
{
	struct sdr_rec s;
	char name[SDR_NAME_MAX];
	unsigned i;
	double v;

	if (sdr_decode(p, len, &s) != IPMI_OK)
		return;
	fuzz_must(len >= SDR_HDR_LEN && len >= (size_t)SDR_HDR_LEN + s.len);
	fuzz_must(memchr(s.name, '\0', sizeof(s.name)) != NULL);
	fuzz_must(s.share_count >= 1 && s.share_count <= 15);
	fuzz_must(s.format <= 3 && s.owner_lun <= 3);
	fuzz_must(s.f.m >= -512 && s.f.m <= 511 && s.f.b >= -512 && s.f.b <= 511);
	fuzz_must(s.f.k1 >= -8 && s.f.k1 <= 7 && s.f.k2 >= -8 && s.f.k2 <= 7);
	for (i = 0; i < s.share_count; i++) {
		sdr_share_name(&s, i, name, sizeof(name));
		fuzz_must(memchr(name, '\0', sizeof(name)) != NULL);
		(void)sdr_share_number(&s, i);
		(void)sdr_share_instance(&s, i);
	}
	/* conversion of every raw value and the thresholds */
	for (i = 0; i < 256; i += 17)
		if (sensor_convert(&s, NULL, (uint8_t)i, &v) == 0)
			fuzz_must(v == v);	/* not NaN */
	(void)sensor_decimals(&s, NULL);
	(void)sensor_hyst_value(&s, NULL, s.hyst_pos);
}

static void
fz_image(const uint8_t *p, size_t len)
{
	struct sdr_image im;
	struct rbuf r;
	const uint8_t *rec;
	size_t n, cnt = 0, total = 0;
	int k;

	rb_init(&r, p, len);
	while ((k = sdr_next(&r, &rec, &n)) == 1) {
		fuzz_must(n >= SDR_HDR_LEN && rec >= p && rec + n <= p + len);
		cnt++;
		total += n;
		fz_record(rec, n);
	}
	memset(&im, 0, sizeof(im));
	if (sdr_image_set(&im, p, len) == 0) {
		fuzz_must(k == 0 && im.n == cnt && total == len && im.len == len);
		sdr_image_clear(&im);
	} else
		fuzz_must(k < 0 || cnt > SDR_CACHE_MAX_RECORDS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	char out[40];
	size_t n;

	fz_record(p, len);
	fz_image(p, len);
	if (len > 0) {
		n = sdr_id_decode(p[0], p + 1, len - 1, out, sizeof(out));
		fuzz_must(n < sizeof(out) && out[n] == '\0');
	}
	return 0;
}
