/*
 * IPMI core: messages, NetFn/command constants named after the IPMI v2.0
 * specification, completion codes, and the error taxonomy.
 *
 * Three failure classes are kept apart everywhere (see ipmi_err_class()):
 *   transport  - timeout, I/O error, session lost, handshake refused
 *   protocol   - bad length, checksum, auth code, sequence, malformed data
 *   ccode      - the BMC answered with a completion code other than 00h;
 *                that is *not* an enum ipmi_err: it stays in ipmi_rsp.ccode.
 * This header is pure: no I/O, no clock, no globals.
 */
#ifndef IPMI_H
#define IPMI_H

#include <stddef.h>
#include <stdint.h>

/* Maximum IPMI message data we ever carry (request or response data,
 * excluding netfn/cmd/ccode).  IPMI 2.0 LAN payloads fit easily. */
#define IPMI_MAX_DATA		256

/* Network function codes, IPMI v2.0 section 5.1, table 5-1 (requests). */
#define IPMI_NETFN_CHASSIS	0x00
#define IPMI_NETFN_BRIDGE	0x02
#define IPMI_NETFN_SENSOR_EVENT	0x04
#define IPMI_NETFN_APP		0x06
#define IPMI_NETFN_FIRMWARE	0x08
#define IPMI_NETFN_STORAGE	0x0a
#define IPMI_NETFN_TRANSPORT	0x0c
#define IPMI_NETFN_GROUP_EXT	0x2c
#define IPMI_NETFN_OEM_GROUP	0x2e

/* App commands, section 20-22 and appendix G. */
#define IPMI_CMD_GET_DEVICE_ID			0x01
#define IPMI_CMD_COLD_RESET			0x02
#define IPMI_CMD_WARM_RESET			0x03
#define IPMI_CMD_GET_SELF_TEST_RESULTS		0x04
#define IPMI_CMD_GET_DEVICE_GUID		0x08
#define IPMI_CMD_RESET_WATCHDOG_TIMER		0x22
#define IPMI_CMD_SET_WATCHDOG_TIMER		0x24
#define IPMI_CMD_GET_WATCHDOG_TIMER		0x25
#define IPMI_CMD_GET_SYSTEM_GUID		0x37
#define IPMI_CMD_GET_CHANNEL_CIPHER_SUITES	0x54
#define IPMI_CMD_GET_CHANNEL_AUTH_CAPABILITIES	0x38
#define IPMI_CMD_GET_SESSION_CHALLENGE		0x39
#define IPMI_CMD_ACTIVATE_SESSION		0x3a
#define IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL	0x3b
#define IPMI_CMD_CLOSE_SESSION			0x3c
#define IPMI_CMD_SEND_MESSAGE			0x34
#define IPMI_CMD_GET_MESSAGE			0x33
/* RMCP+ payload commands, section 24 */
#define IPMI_CMD_ACTIVATE_PAYLOAD		0x48
#define IPMI_CMD_DEACTIVATE_PAYLOAD		0x49
#define IPMI_CMD_GET_PAYLOAD_ACTIVATION_STATUS	0x4a
#define IPMI_CMD_GET_PAYLOAD_INSTANCE_INFO	0x4b

/* Transport commands, section 26 (Serial over LAN configuration). */
#define IPMI_CMD_SET_SOL_CONFIG			0x21
#define IPMI_CMD_GET_SOL_CONFIG			0x22

/* Chassis commands, section 28. */
#define IPMI_CMD_GET_CHASSIS_CAPABILITIES	0x00
#define IPMI_CMD_GET_CHASSIS_STATUS		0x01
#define IPMI_CMD_CHASSIS_CONTROL		0x02
#define IPMI_CMD_CHASSIS_IDENTIFY		0x04
#define IPMI_CMD_SET_POWER_RESTORE_POLICY	0x06
#define IPMI_CMD_GET_SYSTEM_RESTART_CAUSE	0x07
#define IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS	0x09
#define IPMI_CMD_GET_POH_COUNTER		0x0f

/* Sensor/event commands, sections 29, 35. */
#define IPMI_CMD_GET_DEVICE_SDR_INFO		0x20
#define IPMI_CMD_GET_DEVICE_SDR			0x21
#define IPMI_CMD_RESERVE_DEVICE_SDR_REPOSITORY	0x22
#define IPMI_CMD_GET_SENSOR_READING_FACTORS	0x23
#define IPMI_CMD_GET_SENSOR_HYSTERESIS		0x25
#define IPMI_CMD_GET_SENSOR_THRESHOLDS		0x27
#define IPMI_CMD_GET_SENSOR_EVENT_ENABLE	0x29
#define IPMI_CMD_GET_SENSOR_READING		0x2d

/* Storage commands, sections 31 (SEL) and 33 (SDR). */
#define IPMI_CMD_GET_SDR_REPOSITORY_INFO	0x20
#define IPMI_CMD_RESERVE_SDR_REPOSITORY		0x22
#define IPMI_CMD_GET_SDR			0x23
#define IPMI_CMD_GET_SEL_INFO			0x40
#define IPMI_CMD_GET_SEL_ALLOCATION_INFO	0x41
#define IPMI_CMD_RESERVE_SEL			0x42
#define IPMI_CMD_GET_SEL_ENTRY			0x43
#define IPMI_CMD_ADD_SEL_ENTRY			0x44
#define IPMI_CMD_DELETE_SEL_ENTRY		0x46
#define IPMI_CMD_CLEAR_SEL			0x47
#define IPMI_CMD_GET_SEL_TIME			0x48
#define IPMI_CMD_SET_SEL_TIME			0x49

/* Completion codes, section 5.2, table 5-2. */
#define IPMI_CC_OK				0x00
#define IPMI_CC_NODE_BUSY			0xc0
#define IPMI_CC_INVALID_COMMAND			0xc1
#define IPMI_CC_INVALID_COMMAND_FOR_LUN		0xc2
#define IPMI_CC_TIMEOUT				0xc3
#define IPMI_CC_OUT_OF_SPACE			0xc4
#define IPMI_CC_RESERVATION_CANCELLED		0xc5
#define IPMI_CC_REQUEST_DATA_TRUNCATED		0xc6
#define IPMI_CC_REQUEST_DATA_LENGTH_INVALID	0xc7
#define IPMI_CC_REQUEST_DATA_FIELD_LENGTH_EXCEEDED 0xc8
#define IPMI_CC_PARAMETER_OUT_OF_RANGE		0xc9
#define IPMI_CC_CANNOT_RETURN_REQUESTED_BYTES	0xca
#define IPMI_CC_REQUESTED_DATA_NOT_PRESENT	0xcb
#define IPMI_CC_INVALID_DATA_FIELD		0xcc
#define IPMI_CC_COMMAND_ILLEGAL_FOR_SENSOR	0xcd
#define IPMI_CC_RESPONSE_NOT_PROVIDED		0xce
#define IPMI_CC_DUPLICATED_REQUEST		0xcf
#define IPMI_CC_SDR_IN_UPDATE_MODE		0xd0
#define IPMI_CC_FIRMWARE_UPDATE_MODE		0xd1
#define IPMI_CC_BMC_INIT_IN_PROGRESS		0xd2
#define IPMI_CC_DESTINATION_UNAVAILABLE		0xd3
#define IPMI_CC_INSUFFICIENT_PRIVILEGE		0xd4
#define IPMI_CC_NOT_SUPPORTED_IN_PRESENT_STATE	0xd5
#define IPMI_CC_SUBFUNCTION_DISABLED		0xd6
#define IPMI_CC_UNSPECIFIED_ERROR		0xff

/* Privilege levels, section 6.8. */
#define IPMI_PRIV_CALLBACK	1
#define IPMI_PRIV_USER		2
#define IPMI_PRIV_OPERATOR	3
#define IPMI_PRIV_ADMIN		4
#define IPMI_PRIV_OEM		5

/* Well-known addresses, section 5.4 and IPMB spec. */
#define IPMI_BMC_SLAVE_ADDR	0x20
#define IPMI_REMOTE_SWID	0x81	/* rqSA used by remote console software */
#define IPMI_SYSTEM_CHANNEL	0x0f
#define IPMI_IPMB_CHANNEL	0x00

enum ipmi_err {
	IPMI_OK = 0,
	/* transport */
	IPMI_E_TIMEOUT,		/* no answer within the retry budget */
	IPMI_E_IO,		/* socket / device error (errno in detail) */
	IPMI_E_SESSION,		/* session lost or closed by the BMC */
	IPMI_E_AUTH,		/* authentication refused or failed */
	IPMI_E_UNSUPPORTED,	/* BMC lacks what we need (auth type, suite) */
	IPMI_E_NODEVICE,	/* no local IPMI device */
	IPMI_E_BUSY,		/* request queue full */
	IPMI_E_CLOSED,		/* transport closed by us */
	/* protocol */
	IPMI_E_LENGTH,		/* packet or field length wrong */
	IPMI_E_CHECKSUM,	/* IPMB/LAN message checksum wrong */
	IPMI_E_AUTHCODE,	/* per-message auth code / ICV wrong */
	IPMI_E_SEQUENCE,	/* sequence number out of window */
	IPMI_E_PROTO,		/* anything else malformed */
	IPMI_E__MAX
};

enum ipmi_err_class {
	IPMI_CLASS_NONE,
	IPMI_CLASS_TRANSPORT,
	IPMI_CLASS_PROTOCOL
};

/*
 * A request.  For a bridged request set bridged = 1 and the target
 * channel/address/LUN (IPMB, section 6.13); transports encapsulate it
 * (Send Message over LAN, ipmi_ipmb_addr on the OpenIPMI driver).
 */
struct ipmi_req {
	uint8_t		netfn;
	uint8_t		cmd;
	uint8_t		lun;
	uint8_t		bridged;
	uint8_t		target_chan;
	uint8_t		target_addr;
	uint16_t	len;
	uint8_t		data[IPMI_MAX_DATA];
};

/* A response: ccode is the completion code, data follows it. */
struct ipmi_rsp {
	uint8_t		netfn;
	uint8_t		cmd;
	uint8_t		ccode;
	uint16_t	len;
	uint8_t		data[IPMI_MAX_DATA];
};

/* msg.c */
enum ipmi_err_class ipmi_err_class(enum ipmi_err);
const char	*ipmi_strerror(enum ipmi_err);
/* Spec name of a completion code; generic text for OEM/unknown ones.
 * Command-specific codes (80h-BEh) need netfn/cmd context. */
const char	*ipmi_ccode_name(uint8_t netfn, uint8_t cmd, uint8_t ccode);
/*
 * The one way a completion code is written, wherever one is shown:
 * "completion code C1h: Invalid command" (the spec's "C1h" and name;
 * command-specific codes named for netfn/cmd, request or response
 * netfn).  Fills buf (IPMI_CCODE_TEXT_MAX is always enough) and
 * returns it.
 */
#define IPMI_CCODE_TEXT_MAX	128
const char	*ipmi_ccode_fmt(char *buf, size_t len, uint8_t netfn,
		    uint8_t cmd, uint8_t ccode);
/* "response too short (3 bytes, need 14)"; need 0: no minimum given */
const char	*ipmi_short_fmt(char *buf, size_t len, size_t got,
		    size_t need);
/*
 * Why a response could not be used: its completion code when not 00h
 * (ipmi_ccode_fmt), else that it is too short for the need bytes its
 * decoder wants, else "malformed response (N bytes)".  For the callers
 * that test "ccode != 00h || decode failed" in one go.
 */
const char	*ipmi_rsp_errfmt(char *buf, size_t len,
		    const struct ipmi_rsp *, size_t need);
uint8_t		 ipmi_csum(const uint8_t *, size_t);
const char	*ipmi_priv_name(uint8_t);
int		 ipmi_priv_parse(const char *, uint8_t *);
/* iana.c: vendor name of an IANA enterprise number, NULL if unknown */
const char	*ipmi_iana_name(uint32_t);
void		 ipmi_req_init(struct ipmi_req *, uint8_t netfn, uint8_t cmd,
		    const void *data, size_t len);
/*
 * Get SEL Entry (31.5) and Get [Device] SDR (33.12, 35.3) share one
 * request layout: reservation ID, record ID (both le16), offset into the
 * record, bytes to read (FFh: the entire record).
 */
void		 ipmi_rec_get_req(struct ipmi_req *, uint8_t netfn,
		    uint8_t cmd, uint16_t res, uint16_t id, uint8_t offset,
		    uint8_t count);

/*
 * IPMB / LAN message framing, section 13.8 (LAN) and IPMB spec: the same
 * layout is used inside RMCP sessions and inside Send Message.
 *   request:  rsSA netFn/rsLUN chk1 rqSA rqSeq/rqLUN cmd data... chk2
 *   response: rqSA netFn/rqLUN chk1 rsSA rqSeq/rsLUN cmd cc data... chk2
 * ipmi_msg_encode returns bytes written or -1 if cap is too small.
 */
int		 ipmi_msg_encode(uint8_t *out, size_t cap, uint8_t rs_sa,
		    uint8_t rq_sa, uint8_t rq_seq, const struct ipmi_req *);

struct ipmi_msg_hdr {
	uint8_t		rq_sa;
	uint8_t		netfn;		/* response netfn (odd) */
	uint8_t		rq_lun;
	uint8_t		rs_sa;
	uint8_t		rq_seq;
	uint8_t		rs_lun;
	uint8_t		cmd;
};
/* Decode a response message; validates both checksums.  0 or
 * IPMI_E_LENGTH / IPMI_E_CHECKSUM. */
enum ipmi_err	 ipmi_msg_decode_rsp(const uint8_t *, size_t,
		    struct ipmi_msg_hdr *, struct ipmi_rsp *);

/*
 * Bridging over a LAN session with Send Message, sections 6.12.3 and
 * 22.7.  ipmi_bridge_req builds the Send Message request (App 34h):
 * byte 1 = tracking 01b ("track request") | inner->target_chan, then
 * the IPMB request to inner->target_addr / inner->lun with rqSA = the
 * BMC (20h: the BMC is the requester on the bus) and rqSeq = rq_seq,
 * the outer request's own rqSeq (as ipmitool does).  0, or -1 if the
 * inner request does not fit.
 *
 * ipmi_bridge_rsp classifies a decoded response message (h, rsp) that
 * arrived while such a request with rqSeq rq_seq is in flight:
 *   OTHER     not an answer to it (drop)
 *   ACCEPTED  Send Message answered 00h without data: the bridged
 *             response follows in its own message
 *   DONE      *out holds the final answer: Send Message's own non-zero
 *             completion code, the IPMB response embedded in the Send
 *             Message response data (some BMCs), or the separate
 *             response (ipmi_sim: rqSA 20h, rsSA = the target, rqSeq =
 *             the outer rqSeq, the target's netFn/cmd/cc/data)
 *   BAD       it is the answer but the embedded message is malformed:
 *             *err is the protocol error
 */
enum ipmi_bridge_st {
	IPMI_BRIDGE_OTHER,
	IPMI_BRIDGE_ACCEPTED,
	IPMI_BRIDGE_DONE,
	IPMI_BRIDGE_BAD
};
int		 ipmi_bridge_req(struct ipmi_req *outer, uint8_t rq_seq,
		    const struct ipmi_req *inner);
enum ipmi_bridge_st ipmi_bridge_rsp(const struct ipmi_msg_hdr *,
		    const struct ipmi_rsp *, const struct ipmi_req *inner,
		    uint8_t rq_seq, struct ipmi_rsp *out, enum ipmi_err *err);

#endif
