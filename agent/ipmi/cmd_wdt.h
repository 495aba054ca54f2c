/*
 * BMC Watchdog Timer command codecs (IPMI v2.0 sections 27.5-27.7):
 * Reset, Set and Get Watchdog Timer.  Pure: no I/O, clock, logging or
 * globals.  Countdowns are in the spec's unit, 100 ms; the pre-timeout
 * interval is in seconds.
 */
#ifndef CMD_WDT_H
#define CMD_WDT_H

#include <stdint.h>

#include "ipmi.h"

/* Timer use, table 27-6 (bits 2:0 of byte 1). */
#define WDT_USE_FRB2		1	/* BIOS FRB2 */
#define WDT_USE_POST		2	/* BIOS/POST */
#define WDT_USE_OS_LOAD		3
#define WDT_USE_SMS_OS		4
#define WDT_USE_OEM		5

/* Timeout action (bits 2:0 of byte 2). */
#define WDT_ACTION_NONE		0
#define WDT_ACTION_RESET	1	/* hard reset */
#define WDT_ACTION_POWER_DOWN	2
#define WDT_ACTION_POWER_CYCLE	3

/* Pre-timeout interrupt (bits 6:4 of byte 2). */
#define WDT_PRE_NONE		0
#define WDT_PRE_SMI		1
#define WDT_PRE_NMI		2	/* NMI / diagnostic interrupt */
#define WDT_PRE_MSG		3	/* messaging interrupt */

/* Timer use expiration flags (byte 4 of Set, byte 5 of Get). */
#define WDT_EXP_FRB2		0x02
#define WDT_EXP_POST		0x04
#define WDT_EXP_OS_LOAD		0x08
#define WDT_EXP_SMS_OS		0x10
#define WDT_EXP_OEM		0x20
#define WDT_EXP_ALL		0x3e

/* Reset Watchdog Timer completion code 80h, section 27.5. */
#define WDT_CC_NOT_INITIALISED	0x80

/* Countdown limits: 16 bits of 100 ms. */
#define WDT_COUNTDOWN_MAX	0xffff

/*
 * Named quirks seen on real firmware, reported by the decoders in
 * ->quirks so callers can log them once.
 */
#define WDT_QUIRK_SHORT_GET	0x0001	/* Get answers 6 bytes: no present
					 * countdown (OpenIPMI ipmi_sim
					 * 2.0.33 lanserv) */
#define WDT_QUIRK_SET_JUNK	0x0002	/* Set answers with data after the
					 * completion code, which should be
					 * alone (ipmi_sim 2.0.33: 34 bytes) */
#define WDT_QUIRK_LONG_GET	0x0004	/* Get answers more than 8 bytes */
#define WDT_QUIRK_NO_RUNNING_BIT 0x0008	/* Get never sets "running" but the
					 * present countdown runs (QEMU 7.2
					 * ipmi-bmc-sim); seen by policy
					 * code, not by the decoder */

/*
 * Fields a backend cannot tell, by bit in wdt_timer.missing: 0 for IPMI
 * (Get Watchdog Timer has them all).  Redfish's HostWatchdogTimer says
 * whether the timer runs and what it does on timeout and before it, not
 * the rest; shapes print null for what is missing.
 */
#define WDT_NA_USE		0x01	/* use */
#define WDT_NA_LOGGING		0x02	/* dont_log */
#define WDT_NA_PRETIMEOUT	0x04	/* pretimeout (seconds) */
#define WDT_NA_EXPIRED		0x08	/* expired flags */
#define WDT_NA_COUNTDOWN	0x10	/* initial (present: has_present) */
#define WDT_NA_RAW		0x20	/* raw: no IPMI answer */

/* Get Watchdog Timer response, section 27.7, table 27-7. */
struct wdt_timer {
	uint8_t		use;		/* WDT_USE_* (raw bits 2:0) */
	uint8_t		dont_log;	/* bit 7 */
	uint8_t		running;	/* bit 6: timer is started */
	uint8_t		action;		/* WDT_ACTION_* (raw bits 2:0) */
	uint8_t		pre_int;	/* WDT_PRE_* (raw bits 6:4) */
	uint8_t		pretimeout;	/* seconds */
	uint8_t		expired;	/* WDT_EXP_* bits */
	uint16_t	initial;	/* 100 ms units */
	uint8_t		has_present;
	uint16_t	present;	/* 100 ms units */
	uint8_t		raw[8];
	uint8_t		raw_len;
	uint32_t	quirks;		/* WDT_QUIRK_* */
	uint32_t	missing;	/* WDT_NA_* */
};
void		 wdt_get_req(struct ipmi_req *);
/* IPMI_E_LENGTH below 6 bytes; 6 or 7 bytes decode with
 * WDT_QUIRK_SHORT_GET and has_present = 0. */
enum ipmi_err	 wdt_get_decode(const uint8_t *, size_t,
		    struct wdt_timer *);

/* Set Watchdog Timer request, section 27.6, table 27-6. */
struct wdt_set {
	uint8_t		use;		/* WDT_USE_* */
	uint8_t		dont_log;
	uint8_t		dont_stop;	/* bit 6 (v2.0): a running timer
					 * keeps running across the Set */
	uint8_t		action;		/* WDT_ACTION_* */
	uint8_t		pre_int;	/* WDT_PRE_* */
	uint8_t		pretimeout;	/* seconds */
	uint8_t		clear;		/* WDT_EXP_* flags to clear */
	uint16_t	initial;	/* 100 ms units */
};
void		 wdt_set_req(struct ipmi_req *, const struct wdt_set *);
/* Set carries no response data; extra bytes are tolerated and flagged
 * as WDT_QUIRK_SET_JUNK in *quirks.  Always IPMI_OK. */
enum ipmi_err	 wdt_set_decode(const uint8_t *, size_t, uint32_t *quirks);
/* The Set that re-arms exactly what Get reported (use, log, actions,
 * pre-timeout, countdown), keeping a running timer running. */
void		 wdt_set_from_timer(struct wdt_set *,
		    const struct wdt_timer *);

/* Reset Watchdog Timer, section 27.5. */
void		 wdt_reset_req(struct ipmi_req *);

/* ipmitool's names: "BIOS FRB2", "BIOS/POST", "OS Load", "SMS/OS",
 * "OEM", "Reserved" */
const char	*wdt_use_name(uint8_t);
/* "No action", "Hard Reset", "Power Down", "Power Cycle", "Reserved" */
const char	*wdt_action_name(uint8_t);
/* "None", "SMI", "NMI/Diagnostic", "Messaging", "Reserved" */
const char	*wdt_pre_name(uint8_t);
/* short keys for options and JSON */
const char	*wdt_use_key(uint8_t);		/* "sms-os", ... */
const char	*wdt_action_key(uint8_t);	/* "power-cycle", ... */
const char	*wdt_pre_key(uint8_t);		/* "nmi", ... */
/* parse the keys above; -1 if unknown */
int		 wdt_use_parse(const char *);
int		 wdt_action_parse(const char *);
int		 wdt_pre_parse(const char *);

#endif
