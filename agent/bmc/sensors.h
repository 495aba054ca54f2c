/*
 * The sensor sweep of one BMC: a non-blocking state machine on struct
 * conn.  A sweep refreshes the SDR cache (one repository check when
 * nothing changed), reads thresholds once per SDR change (Get Sensor
 * Thresholds where the SDR says they are readable, else the SDR's
 * values; kept beside the SDR cache on disk; hysteresis from the SDR),
 * then sends one Get Sensor Reading per sensor, to the sensor's owner
 * and LUN (bridged over IPMB when the owner is not the BMC).
 * Non-linear sensors (70h-7Fh) get their factors from Get Sensor Reading
 * Factors, cached per reading range.  Their M, B, K1, K2 depend on the
 * raw value (sections 35.5, 36.3), so each readable threshold is
 * converted with factors asked for its own raw value: one Get Sensor
 * Reading Factors per threshold (fewer when the range the BMC gives
 * covers another threshold), read with the thresholds, once per SDR
 * change, and kept with them (in memory and beside the SDR cache), so a
 * warm sweep asks nothing more.  A threshold whose factors the BMC
 * refuses is not shown or compared.
 *
 * State: threshold sensors (event/reading type 01h, in a full or a
 * compact record) from the BMC's comparison bits (Get Sensor Reading
 * byte 4, section 35.14), cross-checked against the thresholds where an
 * analog full record gives values to compare; discrete sensors from
 * their asserted offsets; both through the severity table.  A threshold
 * sensor without an analog reading (a compact record, or a full one
 * whose format is "no analog reading") has no value, no thresholds and
 * no unit: its comparison bits alone give its state, and without them
 * it is "unavailable".  A sensor whose reading is
 * unavailable, scanning disabled, or that gave no answer is
 * "unavailable", never 0.  One that fails SENSORS_FAIL_SLOW times in a
 * row is then asked only every 2nd, 4th ... SENSORS_SLOW_MAX-th sweep.
 *
 * Event-only records (03h) have no reading and are not swept.
 */
#ifndef SENSORS_H
#define SENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "ev.h"
#include "sdr_cache.h"
#include "sensor.h"
#include "severity.h"

#define SENSORS_MAX		8192
#define SENSORS_FAIL_SLOW	3
#define SENSORS_SLOW_MAX	32

/* why a sensor has no reading this sweep */
enum sensors_note {
	SENSORS_NOTE_NONE = 0,
	SENSORS_NOTE_UNAVAILABLE,	/* "reading unavailable" bit */
	SENSORS_NOTE_SCAN_DISABLED,	/* "scanning disabled" */
	SENSORS_NOTE_NO_ANSWER,		/* timeout (a bridged request) */
	SENSORS_NOTE_CCODE,		/* an error completion code */
	SENSORS_NOTE_BAD_ANSWER,	/* an answer too short to read */
	SENSORS_NOTE_SLOW,		/* failing: not asked this sweep */
	SENSORS_NOTE_NOT_READABLE,	/* software owner, conversion fails */
	SENSORS_NOTE_NOT_READ,		/* sweep aborted before it */
	SENSORS_NOTE_NO_BRIDGE,		/* owner behind a bridge the
					 * transport cannot cross */
	SENSORS_NOTE_NO_STATUS		/* threshold sensor without an
					 * analog reading whose answer
					 * lacks the comparison status */
};
const char	*sensors_note_name(enum sensors_note);

struct sensors_item {
	char			 name[SDR_NAME_MAX];
	const struct sdr_rec	*rec;		/* in the cache image */
	uint16_t		 record_id;
	uint8_t			 number;
	uint8_t			 owner;
	uint8_t			 lun;
	uint8_t			 channel;
	uint8_t			 entity_id;
	uint8_t			 entity_instance;
	uint8_t			 sensor_type;
	uint8_t			 event_type;
	int			 threshold;	/* event/reading type 01h */
	int			 analog;	/* a value to convert: full
						 * record, analog format */

	/* thresholds, read once per SDR generation */
	uint8_t			 thr_mask;	/* readable, by SDR_THR_* */
	uint8_t			 thr_raw[SDR_THR_N];
	double			 thr[SDR_THR_N];
	uint8_t			 hyst_pos, hyst_neg;
	int			 thr_done;
	int			 thr_asked;	/* Get Sensor Thresholds sent */
	int			 thr_from_bmc;
	uint8_t			 thr_readable;	/* raw mask, before conversion */
	/* non-linear sensors: factors for each threshold's raw value */
	uint8_t			 thr_f_asked;	/* by SDR_THR_*: asked (or
						 * answered for by a range) */
	uint8_t			 thr_f_ok;	/* and valid in thr_f */
	struct sdr_factors	 thr_f[SDR_THR_N];

	/* the last reading */
	enum sensors_note	 note;
	int			 have_value;
	uint8_t			 raw;
	double			 value;
	int			 decimals;
	uint16_t		 states;	/* BMC's bits (threshold:
						 * comparison bits) */
	uint8_t			 nstates;
	uint8_t			 events_disabled;
	uint8_t			 cmp_bits;	/* our own comparison (analog
						 * threshold sensors) */
	int			 mismatch;	/* bits disagree with it */
	enum sensor_sev		 sev;
	uint8_t			 ccode;		/* of a failed reading */
	uint16_t		 rsp_len;	/* of a malformed one */

	/* failure tracking and non-linear factors */
	unsigned		 fails;
	unsigned		 skip;
	int			 nl_valid;
	uint8_t			 nl_lo, nl_hi;
	struct sdr_factors	 nl_f;
};

/* the note of one sensor in full: its name, or for a refused or
 * malformed reading what was wrong ("Get Sensor Reading: completion code
 * CBh: Requested sensor, data, or record not present"); "" for none */
void		 sensors_note_text(const struct sensors_item *, char *,
		    size_t);

/* requests issued by the sweep itself (SDR ones: sdr_cache_stats) */
struct sensors_stats {
	unsigned	 sweeps;
	unsigned	 reading;
	unsigned	 thresholds;
	unsigned	 hysteresis;
	unsigned	 factors;
};

enum sensors_err {
	SENSORS_OK = 0,
	SENSORS_E_SDR,		/* the SDR refresh failed (sdr_cache_detail) */
	SENSORS_E_TRANSPORT,	/* the BMC stopped answering */
	SENSORS_E_BUSY
};

typedef void	sensors_done_fn(void *arg, enum sensors_err);

struct sensors;

/* ev, conn, cache and sev are borrowed and must outlive the sweeper */
struct sensors	*sensors_new(struct ev *, struct conn *, struct sdr_cache *,
		    const struct severity *);
/* not while a sweep runs */
void		 sensors_free(struct sensors *);
/* use another severity table from now on (the daemon's SIGHUP: the
 * same file, loaded again); borrowed as sensors_new's */
void		 sensors_set_severity(struct sensors *,
		    const struct severity *);
int		 sensors_busy(const struct sensors *);
/* done is called exactly once, from the event loop.  0 or -1 (busy). */
int		 sensors_sweep(struct sensors *, sensors_done_fn *, void *);
/* The sensors of the last sweep; items (and their rec pointers into the
 * cache image) stay valid until the next sweep starts. */
size_t		 sensors_count(const struct sensors *);
const struct sensors_item *sensors_get(const struct sensors *, size_t);
const struct sensors_stats *sensors_stats(const struct sensors *);
const char	*sensors_detail(const struct sensors *);

/*
 * Asserted event words of a discrete sensor (or the threshold states
 * of a threshold sensor: "Upper Critical going high" ...), at most max;
 * returns the count.  Offsets without a word give "State N".
 */
size_t		 sensors_events(const struct sensors_item *,
		    const char **words, char (*tmp)[16], size_t max);
/* unit text of a sensor ("degrees C", "% RPM", "Watts per hour"); ""
 * for discrete sensors */
void		 sensors_unit(const struct sensors_item *, char *, size_t);

#endif
