/*
 * System Event Log: command codecs (IPMI v2.0 chapter 31) and SEL record
 * decoding (section 32).  Pure: no I/O, clock, logging or globals.
 *
 * Texts that belong to the sensor model (sensor type names, offset texts,
 * the severity table, sensor names and reading conversion from the SDR)
 * are not here: sel_describe() asks for them through struct sel_names,
 * which the caller fills from evtext.c and the SDR cache.  Every member
 * may be NULL; the record is then described with numbers.
 */
#ifndef SEL_H
#define SEL_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"

#define SEL_RECORD_LEN		16
#define SEL_ID_FIRST		0x0000
#define SEL_ID_LAST		0xffff
/* Timestamps up to this value count seconds since the BMC's own
 * initialisation, not since 1970 (section 37.1). */
#define SEL_TS_PREINIT_MAX	0x20000000u
#define SEL_TS_UNSPECIFIED	0xffffffffu

/* Record types, section 32 and table 32-1. */
#define SEL_TYPE_SYSTEM		0x02
#define SEL_TYPE_OEM_TS_MIN	0xc0	/* C0h-DFh: OEM timestamped */
#define SEL_TYPE_OEM_TS_MAX	0xdf
#define SEL_TYPE_OEM_MIN	0xe0	/* E0h-FFh: OEM non-timestamped */
/* Linux ipmi_msghandler writes the panic string into F0h records
 * (drivers/char/ipmi/ipmi_msghandler.c, send_panic_events). */
#define SEL_TYPE_LINUX_PANIC	0xf0

/* Event/reading type codes, table 42-1. */
#define SEL_EVT_THRESHOLD	0x01
#define SEL_EVT_GENERIC_MIN	0x02
#define SEL_EVT_GENERIC_MAX	0x0c
#define SEL_EVT_SEVERITY	0x07	/* generic "severity" states */
#define SEL_EVT_SENSOR_SPECIFIC	0x6f

/* Sensor types used here, table 42-3. */
#define SEL_ST_WATCHDOG2	0x23
#define SEL_ST_OS_STOP		0x20
#define SEL_ST_EVENT_LOG	0x10

/* Get SEL Info operation support bits (byte 14), section 31.2. */
#define SEL_OP_ALLOC_INFO	0x01
#define SEL_OP_RESERVE		0x02
#define SEL_OP_PARTIAL_ADD	0x04
#define SEL_OP_DELETE		0x08
#define SEL_OP_OVERFLOW		0x80

/* Clear SEL, section 31.9. */
#define SEL_CLEAR_INITIATE	0xaa
#define SEL_CLEAR_GET_STATUS	0x00
#define SEL_ERASE_IN_PROGRESS	0x00
#define SEL_ERASE_COMPLETED	0x01

/* Response data lengths the decoders below need (after the completion
 * code): for "response too short (N bytes, need M)". */
#define SEL_INFO_RSP_LEN	14
#define SEL_RESERVE_RSP_LEN	2
#define SEL_GET_RSP_LEN		(2 + SEL_RECORD_LEN)
#define SEL_DELETE_RSP_LEN	2
#define SEL_CLEAR_RSP_LEN	1

/* Get SEL Info response, section 31.2, table 31-2. */
struct sel_info {
	uint8_t		version;	/* BCD, 51h = 1.5 */
	uint16_t	entries;
	uint16_t	free_bytes;	/* FFFFh: 65535 or more */
	uint32_t	last_add;	/* FFFFFFFFh: never */
	uint32_t	last_erase;
	uint8_t		ops;		/* SEL_OP_* */
};
void		 sel_info_req(struct ipmi_req *);
enum ipmi_err	 sel_info_decode(const uint8_t *, size_t, struct sel_info *);

/* Sanity flags for a Get SEL Info answer (sel_info_check). */
#define SEL_SANE_OK		0x00
#define SEL_SANE_ALWAYS_FULL	0x01	/* free 0 with few entries */
#define SEL_SANE_OVER_16BIT	0x02	/* entries x 16 + free > 64 KiB:
					 * free space field wrapped */
#define SEL_SANE_BAD_VERSION	0x04	/* not 51h (1.5) or 02h */
#define SEL_SANE_NO_RESERVE	0x08	/* Reserve SEL not supported */
/*
 * Check an answer for the inconsistencies BMCs are known for.  Returns
 * SEL_SANE_* flags.  *used_pct gets the percentage used (0-100), or -1
 * when it cannot be told (free space unknown or inconsistent).
 */
unsigned	 sel_info_check(const struct sel_info *, int *used_pct);

/* Get SEL Allocation Info response, section 31.3. */
struct sel_alloc {
	uint16_t	units;		/* possible allocation units */
	uint16_t	unit_size;	/* bytes */
	uint16_t	free_units;
	uint16_t	largest_free;
	uint8_t		max_record_units;
};
void		 sel_alloc_req(struct ipmi_req *);
enum ipmi_err	 sel_alloc_decode(const uint8_t *, size_t, struct sel_alloc *);

/* Cross-check Get SEL Info against the allocation: SEL_SANE_ALLOC when
 * free units x unit size and the free bytes disagree by more than one
 * unit (16-bit wrap, or a BMC that counts differently). */
#define SEL_SANE_ALLOC		0x10
unsigned	 sel_alloc_check(const struct sel_info *,
		    const struct sel_alloc *);

/* Reserve SEL, section 31.4 */
void		 sel_reserve_req(struct ipmi_req *);
enum ipmi_err	 sel_reserve_decode(const uint8_t *, size_t, uint16_t *resid);

/* Get SEL Entry, section 31.5: the whole record (offset 0, FFh bytes).
 * A reservation of 0 is allowed for whole-record reads. */
void		 sel_get_req(struct ipmi_req *, uint16_t resid, uint16_t id);
/* next record ID and the 16 record bytes */
enum ipmi_err	 sel_get_decode(const uint8_t *, size_t, uint16_t *next,
		    uint8_t rec[SEL_RECORD_LEN]);

/* Delete SEL Entry, section 31.8: reservation required; ID 0000h is
 * the first entry, FFFFh the last.  Answers the ID deleted. */
void		 sel_delete_req(struct ipmi_req *, uint16_t resid, uint16_t id);
enum ipmi_err	 sel_delete_decode(const uint8_t *, size_t, uint16_t *id);

/* Clear SEL, section 31.9: initiate (SEL_CLEAR_INITIATE) or get status */
void		 sel_clear_req(struct ipmi_req *, uint16_t resid, uint8_t op);
/* erase progress: SEL_ERASE_IN_PROGRESS or SEL_ERASE_COMPLETED */
enum ipmi_err	 sel_clear_decode(const uint8_t *, size_t, uint8_t *progress);

/* Get / Set SEL Time, sections 31.10, 31.11 */
void		 sel_time_get_req(struct ipmi_req *);
enum ipmi_err	 sel_time_get_decode(const uint8_t *, size_t, uint32_t *);
void		 sel_time_set_req(struct ipmi_req *, uint32_t);

enum sel_kind {
	SEL_KIND_SYSTEM,	/* 02h (and other < C0h types, as 02h) */
	SEL_KIND_OEM_TS,	/* C0h-DFh */
	SEL_KIND_OEM		/* E0h-FFh */
};

/* ED1 bits 7:6 / 5:4 usage of event data 2 and 3, table 29-6 */
#define SEL_ED_UNSPEC		0
#define SEL_ED_TRIGGER		1	/* threshold: reading / threshold;
					 * discrete ED2: severity [7:4]
					 * and previous state [3:0] */
#define SEL_ED_OEM		2
#define SEL_ED_SPECIFIC		3	/* sensor-specific extension */

/* A decoded SEL record, section 32.1 - 32.3. */
struct sel_rec {
	uint16_t	id;
	uint8_t		type;		/* record type byte */
	enum sel_kind	kind;
	uint8_t		has_ts;
	uint8_t		preinit;	/* timestamp <= SEL_TS_PREINIT_MAX */
	uint32_t	ts;
	/* system event records */
	uint16_t	gen_id;		/* generator ID, table 32-1 */
	uint8_t		evm_rev;
	uint8_t		sensor_type;
	uint8_t		sensor_num;
	uint8_t		deassert;	/* event dir bit 7 */
	uint8_t		event_type;	/* bits 6:0 */
	uint8_t		ed[3];
	uint8_t		offset;		/* ED1 bits 3:0 */
	uint8_t		ed2_use;	/* SEL_ED_* (ED1 bits 7:6) */
	uint8_t		ed3_use;	/* SEL_ED_* (ED1 bits 5:4) */
	/* OEM timestamped: manufacturer ID and 6 OEM bytes */
	uint32_t	manufacturer;
	/* OEM bytes: 6 (timestamped) or 13 (non-timestamped) */
	uint8_t		oem[13];
	uint8_t		oem_len;
	uint8_t		raw[SEL_RECORD_LEN];
};

/* Decode 16 record bytes.  IPMI_E_LENGTH if fewer than 16. */
enum ipmi_err	 sel_rec_decode(const uint8_t *, size_t, struct sel_rec *);

/* "system", "oem-timestamped", "oem" */
const char	*sel_kind_name(enum sel_kind);

/* Severity, the same scale as sensors. */
enum sel_sev {
	SEL_SEV_INFO,		/* informational, deassertion, OEM */
	SEL_SEV_WARNING,
	SEL_SEV_CRITICAL
};
const char	*sel_sev_name(enum sel_sev);	/* "info" ... */

/*
 * Where sel_describe() gets the texts owned by the sensor model.  Any
 * member may be NULL.  The function pointers are given arg.
 */
struct sel_names {
	/* "Temperature", ... (table 42-3) or NULL if unknown */
	const char	*(*type_name)(uint8_t sensor_type);
	/* offset text for event_type/sensor_type (tables 42-2, 42-3) */
	const char	*(*offset_text)(uint8_t event_type,
			    uint8_t sensor_type, uint8_t offset);
	/* severity (enum sel_sev) of an asserted offset of that sensor,
	 * -1 to use sel.c's default: the severity the BMC gives in event
	 * data 2 of a discrete event, else a guess by type */
	int		 (*severity)(void *arg, uint16_t gen_id,
			    uint8_t sensor_num, uint8_t event_type,
			    uint8_t sensor_type, uint8_t offset);
	/* sensor name from the SDR by owner (generator ID) and number */
	const char	*(*sensor_name)(void *arg, uint16_t gen_id,
			    uint8_t sensor_num);
	/* convert a raw threshold reading of that sensor; 0 on success
	 * with the value and the unit ("degrees C", "RPM") */
	int		 (*reading)(void *arg, uint16_t gen_id,
			    uint8_t sensor_num, uint8_t raw, double *value,
			    const char **unit);
	void		*arg;
};

#define SEL_TEXT_MAX	256
#define SEL_NAME_MAX	64

/* Everything a listing prints about one record. */
struct sel_desc {
	char		sensor[SEL_NAME_MAX];	/* "" if unknown */
	char		type_name[SEL_NAME_MAX];
	char		event[SEL_TEXT_MAX];
	const char	*direction;	/* "asserted" / "deasserted" / NULL */
	enum sel_sev	sev;
	uint8_t		has_reading;	/* threshold ED2/ED3 converted */
	double		reading;
	double		threshold;
	uint8_t		has_threshold;
	uint8_t		panic;		/* a Linux kernel panic record */
};

/*
 * Describe a decoded record: sensor name, event text, severity.  The
 * event text is the offset's words, then what event data 2 and 3 add:
 * "; reading 96.00 degrees C; threshold 85.00 degrees C" (threshold),
 * "; previous state: Presence detected; severity: Transition to
 * Critical from less severe" (discrete, ED1 [7:6] = 01b; an unspecified
 * Fh half is left out), watchdog 2 timer use and interrupt, OEM bytes.
 */
void		 sel_describe(const struct sel_rec *, const struct sel_names *,
		    struct sel_desc *);

/* Watchdog 2 event data 2: interrupt type and timer use, table 42-3 */
const char	*sel_wdt2_intr_name(uint8_t);
const char	*sel_wdt2_use_name(uint8_t);

/*
 * Time text: "2026-11-24T06:17:05Z", "pre-init +123s" or "unspecified".
 * Pure: formats the given number, never reads the clock.
 */
void		 sel_time_format(const struct sel_rec *, char *, size_t);

#endif
