/*
 * Sensor commands, IPMI v2.0 chapter 35, and analog reading conversion,
 * section 36.3.  Pure: requests are built into struct ipmi_req, response
 * data (after the completion code) decoded into structs; decoders return
 * IPMI_OK or IPMI_E_LENGTH.  No I/O, clock, logging or globals.
 */
#ifndef SENSOR_H
#define SENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"
#include "sdr.h"

/* Severity of a sensor state, lowest first; shared with bmc/severity.c
 * and bmc/sensors.c. */
enum sensor_sev {
	SENSOR_SEV_OK = 0,
	SENSOR_SEV_WARNING,
	SENSOR_SEV_CRITICAL,
	SENSOR_SEV_NONRECOVERABLE,
	SENSOR_SEV_UNAVAILABLE
};
/* "ok", "warning", "critical", "nonrecoverable", "unavailable" */
const char	*sensor_sev_name(enum sensor_sev);
int		 sensor_sev_parse(const char *, enum sensor_sev *);

/* Get Sensor Reading, section 35.14 */
struct sensor_reading {
	uint8_t		raw;
	uint8_t		events_enabled;		/* byte 2 [7] */
	uint8_t		scanning_enabled;	/* byte 2 [6] */
	uint8_t		unavailable;		/* byte 2 [5] */
	uint8_t		nstates;	/* state bytes present: 0, 1 or 2 */
	uint16_t	states;		/* byte 3 | byte 4 << 8 (bit 15 = 0) */
};
/* the reading and its flags; the state bytes are optional */
#define SENSOR_READING_RSP_MIN	2
void		 sensor_reading_req(struct ipmi_req *, uint8_t number);
enum ipmi_err	 sensor_reading_decode(const uint8_t *, size_t,
		    struct sensor_reading *);

/* Get Sensor Thresholds, section 35.9; raw values by SDR_THR_* */
struct sensor_thresholds {
	uint8_t		readable;	/* bit n = SDR_THR_n */
	uint8_t		raw[SDR_THR_N];
};
void		 sensor_thresholds_req(struct ipmi_req *, uint8_t number);
enum ipmi_err	 sensor_thresholds_decode(const uint8_t *, size_t,
		    struct sensor_thresholds *);

/* Get Sensor Hysteresis, section 35.7 (raw, in reading counts) */
struct sensor_hysteresis {
	uint8_t		pos;
	uint8_t		neg;
};
void		 sensor_hysteresis_req(struct ipmi_req *, uint8_t number);
enum ipmi_err	 sensor_hysteresis_decode(const uint8_t *, size_t,
		    struct sensor_hysteresis *);

/* Get Sensor Reading Factors, section 35.5: factors valid for raw
 * readings from raw up to (not including) next */
void		 sensor_factors_req(struct ipmi_req *, uint8_t number,
		    uint8_t raw);
enum ipmi_err	 sensor_factors_decode(const uint8_t *, size_t,
		    uint8_t *next, struct sdr_factors *);

/*
 * Raw reading to a value, section 36.3:
 *	y = L[(M * x + B * 10^K1) * 10^K2]
 * x taken as unsigned, 1's or 2's complement per the SDR format;
 * tolerance and accuracy are ignored.  f overrides the SDR's factors
 * (non-linear sensors, 70h-7Fh, whose factors come from Get Sensor
 * Reading Factors and which then convert linearly).  Returns 0, or -1
 * when the sensor has no analog reading or L is undefined at the point
 * (log of <= 0, 1/0, sqrt of < 0) or the linearization is unknown.
 */
int		 sensor_convert(const struct sdr_rec *,
		    const struct sdr_factors *f, uint8_t raw, double *out);
/* x as the signed value the SDR format says */
int		 sensor_raw_signed(uint8_t format, uint8_t raw);
/* true for non-linear sensors needing Get Sensor Reading Factors */
int		 sensor_is_nonlinear(const struct sdr_rec *);
/* decimals that show the SDR's resolution (0..6) */
int		 sensor_decimals(const struct sdr_rec *,
		    const struct sdr_factors *f);
/* a hysteresis in counts to a value in units (linear sensors; the
 * magnitude |M| * count * 10^K2, 0 for non-linear) */
double		 sensor_hyst_value(const struct sdr_rec *,
		    const struct sdr_factors *f, uint8_t count);

/* Threshold comparison status bits (Get Sensor Reading byte 3), bit n =
 * SDR_THR_n: the most severe level they show. */
enum sensor_sev	 sensor_thr_level(uint8_t bits);
/*
 * Compute the comparison bits ourselves from converted values: bit n
 * set when the reading is at or beyond threshold n (only for thresholds
 * in mask).  Used to cross-check what the BMC reports.
 */
uint8_t		 sensor_thr_compare(double value, const double thr[SDR_THR_N],
		    uint8_t mask);

#endif
