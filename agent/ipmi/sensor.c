/*
 * Sensor command codecs (IPMI v2.0 chapter 35) and reading conversion
 * (section 36.3).
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "sensor.h"

static const char *const sensor_sev_names[] = {
	"ok", "warning", "critical", "nonrecoverable", "unavailable"
};

const char *
sensor_sev_name(enum sensor_sev s)
{
	if ((unsigned)s >= sizeof(sensor_sev_names) /
	    sizeof(sensor_sev_names[0]))
		return "unavailable";
	return sensor_sev_names[s];
}

int
sensor_sev_parse(const char *s, enum sensor_sev *out)
{
	unsigned i;

	for (i = 0; i < sizeof(sensor_sev_names) /
	    sizeof(sensor_sev_names[0]); i++)
		if (strcasecmp(s, sensor_sev_names[i]) == 0) {
			*out = (enum sensor_sev)i;
			return 0;
		}
	/* FreeIPMI's words, for configs written against it */
	if (strcasecmp(s, "nominal") == 0) {
		*out = SENSOR_SEV_OK;
		return 0;
	}
	return -1;
}

static void
sensor_req1(struct ipmi_req *q, uint8_t cmd, uint8_t number)
{
	ipmi_req_init(q, IPMI_NETFN_SENSOR_EVENT, cmd, &number, 1);
}

void
sensor_reading_req(struct ipmi_req *q, uint8_t number)
{
	sensor_req1(q, IPMI_CMD_GET_SENSOR_READING, number);
}

enum ipmi_err
sensor_reading_decode(const uint8_t *p, size_t len, struct sensor_reading *s)
{
	struct rbuf r;
	uint8_t b;

	memset(s, 0, sizeof(*s));
	rb_init(&r, p, len);
	s->raw = rd_u8(&r);
	b = rd_u8(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	s->events_enabled = (b >> 7) & 1;
	s->scanning_enabled = (b >> 6) & 1;
	s->unavailable = (b >> 5) & 1;
	/* bytes 3 and 4 are optional (some BMCs omit them) */
	if (rd_left(&r) >= 1) {
		s->states = rd_u8(&r);
		s->nstates = 1;
	}
	if (rd_left(&r) >= 1) {
		s->states |= (uint16_t)((rd_u8(&r) & 0x7f) << 8);
		s->nstates = 2;
	}
	return IPMI_OK;
}

void
sensor_thresholds_req(struct ipmi_req *q, uint8_t number)
{
	sensor_req1(q, IPMI_CMD_GET_SENSOR_THRESHOLDS, number);
}

enum ipmi_err
sensor_thresholds_decode(const uint8_t *p, size_t len,
    struct sensor_thresholds *t)
{
	struct rbuf r;

	memset(t, 0, sizeof(*t));
	rb_init(&r, p, len);
	t->readable = rd_u8(&r) & 0x3f;
	rd_bytes(&r, t->raw, SDR_THR_N);
	if (r.err) {
		memset(t, 0, sizeof(*t));
		return IPMI_E_LENGTH;
	}
	return IPMI_OK;
}

void
sensor_hysteresis_req(struct ipmi_req *q, uint8_t number)
{
	uint8_t d[2] = { number, 0xff };

	ipmi_req_init(q, IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_SENSOR_HYSTERESIS,
	    d, sizeof(d));
}

enum ipmi_err
sensor_hysteresis_decode(const uint8_t *p, size_t len,
    struct sensor_hysteresis *h)
{
	struct rbuf r;

	rb_init(&r, p, len);
	h->pos = rd_u8(&r);
	h->neg = rd_u8(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sensor_factors_req(struct ipmi_req *q, uint8_t number, uint8_t raw)
{
	uint8_t d[2] = { number, raw };

	ipmi_req_init(q, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING_FACTORS, d, sizeof(d));
}

enum ipmi_err
sensor_factors_decode(const uint8_t *p, size_t len, uint8_t *next,
    struct sdr_factors *f)
{
	struct rbuf r;

	memset(f, 0, sizeof(*f));
	rb_init(&r, p, len);
	*next = rd_u8(&r);
	sdr_factors_decode(&r, f);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

int
sensor_raw_signed(uint8_t format, uint8_t raw)
{
	switch (format) {
	case SDR_FMT_1S:
		/* 1's complement: FFh is -0 */
		return (raw & 0x80) ? -(int)((uint8_t)~raw & 0x7f) : raw;
	case SDR_FMT_2S:
		return (int8_t)raw;
	default:
		return raw;
	}
}

int
sensor_is_nonlinear(const struct sdr_rec *s)
{
	return s->type == SDR_TYPE_FULL &&
	    s->linearization >= SDR_LIN_NONLINEAR &&
	    s->linearization <= 0x7f;
}

int
sensor_convert(const struct sdr_rec *s, const struct sdr_factors *f,
    uint8_t raw, double *out)
{
	double x, y;

	if (s->type != SDR_TYPE_FULL || s->format == SDR_FMT_NONE)
		return -1;
	if (f == NULL)
		f = &s->f;
	x = sensor_raw_signed(s->format, raw);
	y = ((double)f->m * x + (double)f->b * pow(10.0, f->k1)) *
	    pow(10.0, f->k2);
	switch (s->linearization) {
	case SDR_LIN_LINEAR:
		break;
	case SDR_LIN_LN:
		if (y <= 0.0)
			return -1;
		y = log(y);
		break;
	case SDR_LIN_LOG10:
		if (y <= 0.0)
			return -1;
		y = log10(y);
		break;
	case SDR_LIN_LOG2:
		if (y <= 0.0)
			return -1;
		y = log2(y);
		break;
	case SDR_LIN_E:
		y = exp(y);
		break;
	case SDR_LIN_EXP10:
		y = pow(10.0, y);
		break;
	case SDR_LIN_EXP2:
		y = exp2(y);
		break;
	case SDR_LIN_INVERSE:
		if (y == 0.0)
			return -1;
		y = 1.0 / y;
		break;
	case SDR_LIN_SQR:
		y = y * y;
		break;
	case SDR_LIN_CUBE:
		y = y * y * y;
		break;
	case SDR_LIN_SQRT:
		if (y < 0.0)
			return -1;
		y = sqrt(y);
		break;
	case SDR_LIN_CBRT:
		y = cbrt(y);
		break;
	default:
		/* 70h-7Fh: linear with the factors given for this reading */
		if (!sensor_is_nonlinear(s))
			return -1;
		break;
	}
	if (!isfinite(y))
		return -1;
	*out = y;
	return 0;
}

/* decimals needed to print v * 10^e exactly */
static int
sensor_digits(int v, int e)
{
	if (v < 0)
		v = -v;
	while (v != 0 && v % 10 == 0) {
		v /= 10;
		e++;
	}
	return v == 0 || e >= 0 ? 0 : -e;
}

int
sensor_decimals(const struct sdr_rec *s, const struct sdr_factors *f)
{
	int d, db;

	if (f == NULL)
		f = &s->f;
	if (s->linearization != SDR_LIN_LINEAR && !sensor_is_nonlinear(s))
		return 3;
	/* resolution M * 10^K2, offset B * 10^(K1 + K2) */
	d = sensor_digits(f->m, f->k2);
	db = sensor_digits(f->b, f->k1 + f->k2);
	if (db > d)
		d = db;
	return d > 6 ? 6 : d;
}

double
sensor_hyst_value(const struct sdr_rec *s, const struct sdr_factors *f,
    uint8_t count)
{
	if (f == NULL)
		f = &s->f;
	if (s->linearization != SDR_LIN_LINEAR && !sensor_is_nonlinear(s))
		return 0.0;
	return fabs((double)f->m) * count * pow(10.0, f->k2);
}

enum sensor_sev
sensor_thr_level(uint8_t bits)
{
	if (bits & (1u << SDR_THR_UNR | 1u << SDR_THR_LNR))
		return SENSOR_SEV_NONRECOVERABLE;
	if (bits & (1u << SDR_THR_UC | 1u << SDR_THR_LC))
		return SENSOR_SEV_CRITICAL;
	if (bits & (1u << SDR_THR_UNC | 1u << SDR_THR_LNC))
		return SENSOR_SEV_WARNING;
	return SENSOR_SEV_OK;
}

uint8_t
sensor_thr_compare(double v, const double thr[SDR_THR_N], uint8_t mask)
{
	uint8_t bits = 0;
	int i;

	for (i = 0; i < SDR_THR_N; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (i <= SDR_THR_LNR ? v <= thr[i] : v >= thr[i])
			bits |= (uint8_t)(1u << i);
	}
	return bits;
}
