/*
 * Sensor Data Records, IPMI v2.0 chapter 43, and the SDR Repository /
 * Device SDR commands (sections 33 and 35.2-35.4).  Pure codecs: bytes
 * in, structs out; no I/O, clock, logging or globals.
 *
 * Decoded record types: 01h full sensor, 02h compact sensor, 03h
 * event-only, 11h FRU device locator, 12h management controller device
 * locator.  Every other type (e.g. C0h OEM) decodes its header only and
 * is kept raw by the callers.
 */
#ifndef SDR_H
#define SDR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ipmi.h"

/* record types, section 43 */
#define SDR_TYPE_FULL		0x01
#define SDR_TYPE_COMPACT	0x02
#define SDR_TYPE_EVENT_ONLY	0x03
#define SDR_TYPE_FRU_LOCATOR	0x11
#define SDR_TYPE_MC_LOCATOR	0x12
#define SDR_TYPE_OEM		0xc0

#define SDR_HDR_LEN		5	/* id(2) version type length */
#define SDR_REC_MAX		(SDR_HDR_LEN + 255)
#define SDR_NAME_MAX		64	/* decoded ID string + modifier */

/* record id of the first record / after the last one */
#define SDR_ID_FIRST		0x0000
#define SDR_ID_LAST		0xffff

/* sensor units 1 [7:6], analog data format, section 43.1 byte 21 */
#define SDR_FMT_UNSIGNED	0
#define SDR_FMT_1S		1
#define SDR_FMT_2S		2
#define SDR_FMT_NONE		3	/* no analog reading */

/* linearization, section 43.1 byte 24 */
#define SDR_LIN_LINEAR		0x00
#define SDR_LIN_LN		0x01
#define SDR_LIN_LOG10		0x02
#define SDR_LIN_LOG2		0x03
#define SDR_LIN_E		0x04
#define SDR_LIN_EXP10		0x05
#define SDR_LIN_EXP2		0x06
#define SDR_LIN_INVERSE		0x07	/* 1/x */
#define SDR_LIN_SQR		0x08
#define SDR_LIN_CUBE		0x09
#define SDR_LIN_SQRT		0x0a
#define SDR_LIN_CBRT		0x0b	/* cube root */
#define SDR_LIN_NONLINEAR	0x70	/* 70h-7Fh: Get Sensor Reading Factors */

/* event/reading type codes, section 42.1 */
#define SDR_EVT_THRESHOLD	0x01
#define SDR_EVT_SPECIFIC	0x6f

/* threshold index: bit n of the readable/settable masks and of Get
 * Sensor Thresholds, section 35.9 */
#define SDR_THR_LNC		0
#define SDR_THR_LC		1
#define SDR_THR_LNR		2
#define SDR_THR_UNC		3
#define SDR_THR_UC		4
#define SDR_THR_UNR		5
#define SDR_THR_N		6

/* sensor capabilities [3:2], threshold access support */
#define SDR_THRACC_NONE		0
#define SDR_THRACC_READABLE	1
#define SDR_THRACC_SETTABLE	2
#define SDR_THRACC_FIXED	3

/* Conversion factors: SDR bytes 25-30, or Get Sensor Reading Factors.
 * M and B are signed 10-bit, K1 (B exponent) and K2 (R exponent)
 * signed 4-bit, section 36.3. */
struct sdr_factors {
	int16_t		m;
	int16_t		b;
	int8_t		k1;
	int8_t		k2;
	uint8_t		tolerance;	/* ignored for conversion */
	uint16_t	accuracy;
	uint8_t		accuracy_exp;
	uint8_t		direction;
};

/* read the 6 factor bytes (SDR bytes 25-30 layout) from a cursor */
void		 sdr_factors_decode(struct rbuf *, struct sdr_factors *);

struct sdr_rec {
	uint16_t	id;
	uint8_t		version;
	uint8_t		type;
	uint8_t		len;		/* body length (after the header) */

	/* sensor records (01h, 02h, 03h) */
	uint8_t		owner_id;	/* [7:1] address, [0] 1 = software id */
	uint8_t		owner_lun;	/* [1:0] */
	uint8_t		channel;	/* [7:4] of the owner LUN byte */
	uint8_t		number;
	uint8_t		entity_id;
	uint8_t		entity_instance;
	uint8_t		init;
	uint8_t		caps;
	uint8_t		sensor_type;
	uint8_t		event_type;
	uint16_t	assert_mask;
	uint16_t	deassert_mask;
	uint16_t	reading_mask;
	uint8_t		format;		/* SDR_FMT_* */
	uint8_t		rate;		/* units 1 [5:3] */
	uint8_t		mod_use;	/* units 1 [2:1]: 0 none, 1 /, 2 * */
	uint8_t		percentage;
	uint8_t		unit_base;
	uint8_t		unit_mod;
	uint8_t		linearization;	/* [6:0] */
	struct sdr_factors f;
	uint8_t		analog_flags;
	uint8_t		nominal;
	uint8_t		normal_max;
	uint8_t		normal_min;
	uint8_t		sensor_max;
	uint8_t		sensor_min;
	uint8_t		thr[SDR_THR_N];	/* raw, by SDR_THR_* (full only) */
	uint8_t		hyst_pos;
	uint8_t		hyst_neg;
	/* sharing (02h, 03h), section 43.2 bytes 24-25 */
	uint8_t		share_count;	/* 1 = not shared */
	uint8_t		share_alpha;	/* modifier type: 0 numeric, 1 alpha */
	uint8_t		share_offset;
	uint8_t		share_entity_inc; /* entity instance increments */

	/* locators (11h, 12h) */
	uint8_t		dev_addr;	/* device access / slave address */
	uint8_t		fru_id;		/* 11h: FRU device id or address */
	uint8_t		logical;	/* 11h: logical FRU device */
	uint8_t		access_lun;
	uint8_t		bus;
	uint8_t		dev_type;
	uint8_t		dev_type_mod;
	uint8_t		dev_caps;	/* 12h: device capabilities */
	uint8_t		power_flags;	/* 12h: byte 8 */

	uint8_t		oem;
	uint8_t		id_code;	/* ID string type/length byte */
	char		name[SDR_NAME_MAX];
};

/* threshold access support and the readable/settable masks (only
 * meaningful for threshold sensors, event type 01h) */
#define SDR_THR_ACCESS(r)	(((r)->caps >> 2) & 0x03)
#define SDR_HYST_SUPPORT(r)	(((r)->caps >> 4) & 0x03)
#define SDR_THR_READABLE(r)	((uint8_t)((r)->reading_mask & 0x3f))
#define SDR_THR_SETTABLE(r)	((uint8_t)(((r)->reading_mask >> 8) & 0x3f))

/*
 * Decode one record (header + body, as read from the repository).
 * IPMI_OK, IPMI_E_LENGTH if the record or its fixed fields are short.
 * Unknown types decode only the header and return IPMI_OK.
 */
enum ipmi_err	 sdr_decode(const uint8_t *, size_t, struct sdr_rec *);

/* true for types 01h-03h */
int		 sdr_is_sensor(const struct sdr_rec *);

/*
 * Split an image of concatenated records: returns 1 with *rec and *len set
 * to the next whole record, 0 at the clean end, -1 on a truncated
 * record.  The cursor owns no memory; *rec points into it.
 */
int		 sdr_next(struct rbuf *, const uint8_t **rec, size_t *len);

/*
 * Decode an ID string (type/length byte, whose [4:0] counts characters,
 * and the n bytes that follow) into text, section 43.15: 8-bit
 * ASCII/Latin-1, 6-bit packed ASCII, BCD plus; Unicode is treated as
 * 8-bit.  Non-printable bytes become '.'.  Always
 * NUL-terminates out.  Returns the text length.
 */
size_t		 sdr_id_decode(uint8_t code, const uint8_t *, size_t,
		    char *out, size_t outlen);

/*
 * Name of instance idx (0 .. share_count-1) of a sensor record, with the
 * ID string instance modifier for shared records (section 43.2 byte
 * 24-25: numeric "Name1", alpha "NameA" .. "NameZ", "NameBA" ...).
 */
void		 sdr_share_name(const struct sdr_rec *, unsigned idx,
		    char *out, size_t outlen);
uint8_t		 sdr_share_number(const struct sdr_rec *, unsigned idx);
uint8_t		 sdr_share_instance(const struct sdr_rec *, unsigned idx);

/* ---- SDR Repository commands, section 33 ---- */

/* Response data lengths the decoders below need (after the completion
 * code), for "response too short (N bytes, need M)"; Get SDR needs the
 * next record ID and at least one byte of the record. */
#define SDR_INFO_RSP_LEN	14
#define SDR_DEV_INFO_RSP_LEN	2
#define SDR_RESERVE_RSP_LEN	2
#define SDR_GET_RSP_MIN		3

/* Get SDR Repository Info, section 33.9 */
struct sdr_repo_info {
	uint8_t		version;
	uint16_t	count;
	uint16_t	free;
	uint32_t	add_ts;		/* most recent addition */
	uint32_t	erase_ts;	/* most recent erase */
	uint8_t		ops;		/* operation support */
};
#define SDR_OPS_RESERVE		0x02
#define SDR_OPS_OVERFLOW	0x80
void		 sdr_info_req(struct ipmi_req *);
enum ipmi_err	 sdr_info_decode(const uint8_t *, size_t,
		    struct sdr_repo_info *);

/* Reserve SDR Repository (33.11) / Reserve Device SDR Repository
 * (35.4); device != 0 selects the Device SDR command. */
void		 sdr_reserve_req(struct ipmi_req *, int device);
enum ipmi_err	 sdr_reserve_decode(const uint8_t *, size_t, uint16_t *);

/* Get SDR (33.12) / Get Device SDR (35.3): read count bytes at offset
 * of record id under reservation res. */
void		 sdr_get_req(struct ipmi_req *, int device, uint16_t res,
		    uint16_t id, uint8_t offset, uint8_t count);
/* next record id and the returned bytes (borrowed from the input) */
enum ipmi_err	 sdr_get_decode(const uint8_t *, size_t, uint16_t *next,
		    const uint8_t **data, size_t *len);

/* Get Device SDR Info, section 35.2 */
struct sdr_dev_info {
	uint8_t		count;
	uint8_t		flags;		/* [7] dynamic, [3:0] LUNs */
	uint32_t	change;		/* population change indicator */
	uint8_t		has_change;
};
void		 sdr_dev_info_req(struct ipmi_req *, int records);
enum ipmi_err	 sdr_dev_info_decode(const uint8_t *, size_t,
		    struct sdr_dev_info *);

#endif
