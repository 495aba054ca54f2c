/*
 * IPMI Platform Event Trap (PET) encoding: a SEL system event record as
 * the SNMP trap of the IPMI Platform Event Trap Format Specification
 * v1.0 (Intel, HP, NEC, Dell, 1998), which BMCs send on their own (PEF
 * alerts) and PET receivers (FreeIPMI's ipmi-pet, vendor consoles)
 * decode.  Pure: no I/O, clock, logging or globals.
 *
 * The trap is SNMPv1 enterpriseSpecific(6) from enterprise
 * 1.3.6.1.4.1.3183.1.1 (wired for management, "PET v1.0"), its specific
 * trap number the event's class (below), and one variable binding,
 * 1.3.6.1.4.1.3183.1.1.1, an OCTET STRING of PET_VARBIND_LEN bytes,
 * multi-byte fields most significant byte first:
 *
 *	 0-15	GUID (the system GUID, bytes as Get System GUID answers)
 *	16-17	sequence number / cookie: here the SEL record ID
 *	18-21	local timestamp: seconds since 1998-01-01 00:00, 0 unspecified
 *	22-23	UTC offset in minutes, FFFFh unspecified
 *	24	trap source type (20h: IPMI)
 *	25	event source type (20h: IPMI)
 *	26	event severity (PET_SEV_*)
 *	27	sensor device (the generator's slave address / software ID)
 *	28	sensor number
 *	29	entity, 30 entity instance (00h unspecified)
 *	31-38	event data: event data 1-3 of the record, then 00h
 *	39	language code (19h: English)
 *	40-43	manufacturer ID (IANA), 44-45 system ID (product ID)
 *	46	OEM custom fields: C1h, the end-of-fields marker alone
 */
#ifndef PET_H
#define PET_H

#include <stdint.h>

#include "sel.h"

#define PET_VARBIND_LEN		47
/* seconds from 1970-01-01 to PET's epoch, 1998-01-01 00:00 */
#define PET_EPOCH		883612800u
#define PET_UTC_UNSPECIFIED	0xffffu
#define PET_SOURCE_IPMI		0x20
#define PET_LANG_ENGLISH	0x19
#define PET_OEM_END		0xc1

/* Event severity (byte 26), as the spec's table numbers them */
#define PET_SEV_UNSPECIFIED	0x00
#define PET_SEV_MONITOR		0x01
#define PET_SEV_INFORMATION	0x02
#define PET_SEV_OK		0x04
#define PET_SEV_NON_CRITICAL	0x08
#define PET_SEV_CRITICAL	0x10
#define PET_SEV_NON_RECOVERABLE	0x20

/* What the record does not carry: the system's and the sensor's */
struct pet_source {
	uint8_t		 guid[16];	/* all zero when unknown */
	uint32_t	 manufacturer;	/* Get Device ID, IANA */
	uint16_t	 product;
	uint8_t		 entity_id;	/* the sensor's SDR; 0 unknown */
	uint8_t		 entity_instance;
	enum sel_sev	 sev;		/* the entry's severity (sel.h) */
};

/*
 * The specific trap number of a system event record: sensor type in
 * bits 23-16, event/reading type in bits 15-8, the direction in bit 7
 * (1: deassertion) and the event offset in bits 3-0.
 */
uint32_t	 pet_specific(const struct sel_rec *);
/* the PET severity of a record of severity sev (pet.c says how) */
uint8_t		 pet_severity(const struct sel_rec *, enum sel_sev);
/*
 * The variable binding of a system event record into out.  0, or -1
 * for other records (OEM records have no PET form: no trap).
 */
int		 pet_encode(const struct sel_rec *, const struct pet_source *,
		    uint8_t out[PET_VARBIND_LEN]);

#endif
