/*
 * Chassis policy: what the daemon and the CLI ask a BMC about its
 * chassis, and the rules for changing it.  A query is a non-blocking
 * state machine on struct conn (Get Chassis Status, then optionally
 * restart cause, POH counter and boot flags, each of which a BMC may
 * not support); control and identify are one request each, refused
 * before sending below the operator privilege.
 *
 * Operation state is caller-owned and must stay alive until its done
 * callback ran (and, if abandoned, until the transport is drained).
 */
#ifndef CHASSIS_H
#define CHASSIS_H

#include <stdint.h>

#include "cmd_chassis.h"
#include "conn.h"

/* Chassis Control and Chassis Identify need operator (IPMI v2.0
 * appendix G). */
#define CHASSIS_CTL_PRIV	IPMI_PRIV_OPERATOR
/* 0 if a session at priv may send control/identify, -1 otherwise */
int		 chassis_priv_ok(uint8_t priv);

/* state of one optional item */
enum chassis_item {
	CHASSIS_ITEM_NONE = 0,		/* not asked */
	CHASSIS_ITEM_OK,
	CHASSIS_ITEM_UNSUPPORTED,	/* C1h (or 80h for boot options) */
	CHASSIS_ITEM_CCODE,		/* another completion code */
	CHASSIS_ITEM_BAD		/* answer too short */
};
const char	*chassis_item_name(enum chassis_item);

/* what a query asks besides the status */
#define CHASSIS_Q_RESTART	0x01
#define CHASSIS_Q_POH		0x02
#define CHASSIS_Q_BOOTDEV	0x04
#define CHASSIS_Q_ALL		0x07

/*
 * Fields a backend cannot tell, by bit in chassis_snapshot.missing: 0
 * for IPMI, whose Get Chassis Status answer has them all.  A Redfish
 * service (agent/http/rfmap.c) gives power state, health, intrusion,
 * identify, restore policy and the boot override, not the rest; shapes
 * print null for what is missing.
 */
#define CHASSIS_NA_OVERLOAD	0x0001	/* status.overload */
#define CHASSIS_NA_INTERLOCK	0x0002	/* status.interlock */
#define CHASSIS_NA_MAIN_FAULT	0x0004	/* status.main_fault */
#define CHASSIS_NA_CONTROL_FAULT 0x0008	/* status.control_fault */
#define CHASSIS_NA_RESTORE	0x0010	/* status.restore_policy */
#define CHASSIS_NA_LAST_EVENT	0x0020	/* status.last_* */
#define CHASSIS_NA_INTRUSION	0x0040	/* status.intrusion */
#define CHASSIS_NA_LOCKOUT	0x0080	/* status.lockout */
#define CHASSIS_NA_DRIVE_FAULT	0x0100	/* status.drive_fault */
#define CHASSIS_NA_FAN_FAULT	0x0200	/* status.fan_fault */
#define CHASSIS_NA_IDENTIFY	0x0400	/* status.identify_* */
#define CHASSIS_NA_BOOT_FLAGS	0x0800	/* boot flags but valid,
					 * persistent, efi, device */
#define CHASSIS_NA_RAW		0x1000	/* status.raw: no IPMI answer */

struct chassis_snapshot {
	enum chassis_item	 status_state;
	uint8_t			 status_ccode;
	struct chassis_status	 status;
	enum chassis_item	 restart_state;
	uint8_t			 restart_ccode;
	struct chassis_restart	 restart;
	enum chassis_item	 poh_state;
	uint8_t			 poh_ccode;
	struct chassis_poh	 poh;
	enum chassis_item	 boot_state;
	uint8_t			 boot_ccode;
	struct chassis_bootflags boot;
	uint32_t		 missing;	/* CHASSIS_NA_* */
	/* Redfish only: the system's Status.HealthRollup (or Health) as
	 * an enum sensor_sev; IPMI has no such field (has_health 0) */
	uint8_t			 has_health;
	uint8_t			 health;
};
/* classify one response of an optional item: OK, UNSUPPORTED (C1h,
 * C2h, D5h... see .c), CCODE */
enum chassis_item chassis_classify(uint8_t netfn, uint8_t cmd,
		    uint8_t ccode);

struct chassis_query;
typedef void	chassis_query_fn(struct chassis_query *, void *arg);
struct chassis_query {
	/* in */
	unsigned	 what;		/* CHASSIS_Q_* */
	/* out: err != IPMI_OK is a transport failure; a completion code
	 * on the status itself leaves status_state CCODE */
	enum ipmi_err	 err;
	struct chassis_snapshot snap;
	/* private */
	struct conn	*conn;
	chassis_query_fn *done;
	void		*arg;
	int		 step;
	int		 active;
	struct ipmi_req	 req;
};
int		 chassis_query_start(struct chassis_query *, struct conn *,
		    chassis_query_fn *, void *);

#endif
