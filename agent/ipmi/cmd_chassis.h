/*
 * Chassis NetFn command codecs (IPMI v2.0 chapter 28): status, control,
 * identify, restart cause, power-on hours and the boot-device option.
 * Pure: requests are built into struct ipmi_req, response data (after the
 * completion code) decoded into structs.  Decoders return IPMI_OK or
 * IPMI_E_LENGTH; no I/O, clock, logging or globals.
 */
#ifndef CMD_CHASSIS_H
#define CMD_CHASSIS_H

#include <stdint.h>

#include "ipmi.h"

/* Get Chassis Status, section 28.2, table 28-3. */
#define CHASSIS_RESTORE_ALWAYS_OFF	0
#define CHASSIS_RESTORE_PREVIOUS	1
#define CHASSIS_RESTORE_ALWAYS_ON	2
#define CHASSIS_RESTORE_UNKNOWN		3

#define CHASSIS_IDENTIFY_OFF		0
#define CHASSIS_IDENTIFY_TIMED		1	/* temporary (timed) on */
#define CHASSIS_IDENTIFY_ON		2	/* indefinite on */
#define CHASSIS_IDENTIFY_RESERVED	3

struct chassis_status {
	/* byte 1: current power state */
	uint8_t		power_on;
	uint8_t		overload;
	uint8_t		interlock;
	uint8_t		main_fault;
	uint8_t		control_fault;
	uint8_t		restore_policy;		/* CHASSIS_RESTORE_* */
	/* byte 2: last power event */
	uint8_t		last_ac_failed;
	uint8_t		last_overload;
	uint8_t		last_interlock;
	uint8_t		last_fault;
	uint8_t		last_command;		/* on via IPMI command */
	/* byte 3: misc chassis state */
	uint8_t		intrusion;
	uint8_t		lockout;		/* front-panel lockout */
	uint8_t		drive_fault;
	uint8_t		fan_fault;
	uint8_t		identify_supported;	/* bit 6: state below valid */
	uint8_t		identify_state;		/* CHASSIS_IDENTIFY_* */
	/* byte 4 (optional): front-panel button capabilities/state */
	uint8_t		has_buttons;
	uint8_t		sleep_disable_allowed;
	uint8_t		diag_disable_allowed;
	uint8_t		reset_disable_allowed;
	uint8_t		power_disable_allowed;
	uint8_t		sleep_disabled;
	uint8_t		diag_disabled;
	uint8_t		reset_disabled;
	uint8_t		power_disabled;
	uint8_t		raw[4];
	uint8_t		raw_len;
};
void		 chassis_status_req(struct ipmi_req *);
enum ipmi_err	 chassis_status_decode(const uint8_t *, size_t,
		    struct chassis_status *);
/* "always-off", "previous", "always-on", "unknown" (ipmitool's words) */
const char	*chassis_restore_name(uint8_t);
/* "off", "temporary on", "indefinite on", "reserved" */
const char	*chassis_identify_name(uint8_t);

/* Chassis Control, section 28.3, table 28-4. */
#define CHASSIS_CTL_POWER_DOWN		0
#define CHASSIS_CTL_POWER_UP		1
#define CHASSIS_CTL_POWER_CYCLE		2
#define CHASSIS_CTL_HARD_RESET		3
#define CHASSIS_CTL_DIAG_INTERRUPT	4
#define CHASSIS_CTL_SOFT_SHUTDOWN	5	/* ACPI overtemp emulation */
#define CHASSIS_CTL_MAX			5
void		 chassis_control_req(struct ipmi_req *, uint8_t ctl);
/* "on", "off", "soft", "cycle", "reset", "diag" -> CHASSIS_CTL_*;
 * -1 if unknown */
int		 chassis_control_parse(const char *);
/* ipmitool's names: "Down/Off", "Up/On", "Cycle", "Reset", "Diag",
 * "Soft" */
const char	*chassis_control_name(uint8_t);

/* Chassis Identify, section 28.5: interval < 0 sends no data (BMC
 * default, 15 s); force != 0 adds the Force Identify On byte. */
void		 chassis_identify_req(struct ipmi_req *, int interval,
		    int force);

/* Get System Restart Cause, section 28.11, table 28-11. */
struct chassis_restart {
	uint8_t		cause;		/* 0..11, see name */
	uint8_t		has_channel;
	uint8_t		channel;
};
void		 chassis_restart_req(struct ipmi_req *);
enum ipmi_err	 chassis_restart_decode(const uint8_t *, size_t,
		    struct chassis_restart *);
/* ipmitool's text for 0-9, the spec's for 10-11, "invalid" beyond */
const char	*chassis_restart_name(uint8_t);

/* Get POH Counter, section 28.14. */
struct chassis_poh {
	uint8_t		minutes_per_count;
	uint32_t	count;
};
void		 chassis_poh_req(struct ipmi_req *);
enum ipmi_err	 chassis_poh_decode(const uint8_t *, size_t,
		    struct chassis_poh *);
/* total minutes powered on (count x minutes per count) */
uint64_t	 chassis_poh_minutes(const struct chassis_poh *);

/* Get System Boot Options, section 28.13, table 28-14. */
#define CHASSIS_BOOTPARAM_FLAGS		5
/* completion code 80h: parameter not supported */
#define CHASSIS_CC_BOOTPARAM_UNSUPPORTED 0x80
struct chassis_bootopt {
	uint8_t		version;	/* parameter version, 1 */
	uint8_t		param;		/* selector, bits 6:0 */
	uint8_t		locked;		/* bit 7: marked invalid/locked */
	uint8_t		len;		/* parameter data length */
	uint8_t		data[32];	/* first bytes of parameter data */
};
void		 chassis_bootopt_req(struct ipmi_req *, uint8_t param,
		    uint8_t set, uint8_t block);
enum ipmi_err	 chassis_bootopt_decode(const uint8_t *, size_t,
		    struct chassis_bootopt *);

/* Boot flags, parameter 5, table 28-14 (5 data bytes). */
struct chassis_bootflags {
	uint8_t		valid;		/* data 1 bit 7 */
	uint8_t		persistent;	/* bit 6: all future boots */
	uint8_t		efi;		/* bit 5: EFI boot type */
	uint8_t		cmos_clear;	/* data 2 bit 7 */
	uint8_t		lock_keyboard;
	uint8_t		device;		/* data 2 bits 5:2 */
	uint8_t		screen_blank;
	uint8_t		lock_reset;
	uint8_t		lock_power;	/* data 3 bit 7 */
	uint8_t		verbosity;	/* bits 6:5 */
	uint8_t		progress_traps;
	uint8_t		password_bypass;
	uint8_t		lock_sleep;
	uint8_t		console_redirect; /* bits 1:0 */
	uint8_t		bios_shared;	/* data 4 bit 3 */
	uint8_t		bios_mux;	/* bits 2:0 */
	uint8_t		instance;	/* data 5 bits 4:0 */
};
enum ipmi_err	 chassis_bootflags_decode(const struct chassis_bootopt *,
		    struct chassis_bootflags *);
/* boot device selector text ("No override", "Force PXE", ...) */
const char	*chassis_bootdev_name(uint8_t);
/* short key for JSON ("none", "pxe", "disk", ...) */
const char	*chassis_bootdev_key(uint8_t);

#endif
