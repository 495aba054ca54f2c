/*
 * Serial over LAN codecs (IPMI v2.0 chapters 15, 24 and 26): the SOL
 * payload (RMCP+ payload type 01h, section 15.9, tables 15-2 and 15-3),
 * Activate / Deactivate Payload, Get Payload Activation Status, Get
 * Payload Instance Info (24.1-24.5) and Get / Set SOL Configuration
 * Parameters (26.2, 26.3, table 26-5).  Pure: a request is built into
 * struct ipmi_req (or a payload into a caller's buffer), a response's
 * data (after the completion code) or a received payload decoded through
 * struct rbuf into a struct.  Decoders return IPMI_OK or IPMI_E_LENGTH.
 */
#ifndef CMD_SOL_H
#define CMD_SOL_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"

/* ---- the SOL payload, section 15.9 ---- */

#define SOL_HDR_LEN	4	/* seq, ack seq, accepted count, op/status */
#define SOL_SEQ_MAX	15	/* packet sequence numbers run 1..15 */
/* The accepted character count is one byte: no packet carries more
 * than 255 characters that can all be acknowledged. */
#define SOL_DATA_MAX	255
#define SOL_PKT_MAX	(SOL_HDR_LEN + SOL_DATA_MAX)

/* Byte 4, remote console to BMC: operation (table 15-2). */
#define SOL_OP_NACK		0x40	/* the packet acked is NACKed */
#define SOL_OP_RING		0x20	/* assert RI (ring / wake on ring) */
#define SOL_OP_BREAK		0x10	/* generate a break on the serial
					 * port (300 ms) */
#define SOL_OP_CTS_PAUSE	0x08	/* deassert CTS to the system: it
					 * pauses sending */
#define SOL_OP_DROP_DCD		0x04	/* deassert DCD/DSR */
#define SOL_OP_FLUSH_IN		0x02	/* drop what the BMC holds from us
					 * for the serial port */
#define SOL_OP_FLUSH_OUT	0x01	/* drop what it holds for us */
/* Byte 4, BMC to remote console: status (table 15-3). */
#define SOL_ST_NACK		0x40	/* the packet acked is NACKed: the
					 * BMC cannot take more now */
#define SOL_ST_UNAVAILABLE	0x20	/* character transfer unavailable */
#define SOL_ST_DEACTIVATING	0x10	/* SOL is being deactivated */
#define SOL_ST_OVERRUN		0x08	/* transmit overrun: characters
					 * from the system were dropped */
#define SOL_ST_BREAK		0x04	/* break detected on the system's
					 * serial output */

struct sol_pkt {
	uint8_t		 seq;		/* 1..15; 0: no character data
					 * (ack-only or status packet) */
	uint8_t		 ack_seq;	/* the packet acked / NACKed, 0: none */
	uint8_t		 accepted;	/* characters taken from ack_seq */
	uint8_t		 op;		/* SOL_OP_* or SOL_ST_* */
	const uint8_t	*data;		/* borrowed from the input */
	size_t		 len;
};

/* Encode: bytes written, or -1 if cap is too small, a sequence number
 * is past 15, or len is past SOL_DATA_MAX. */
int		 sol_pkt_encode(uint8_t *out, size_t cap,
		    const struct sol_pkt *);
/*
 * Decode a received payload.  The reserved high nibbles of the two
 * sequence bytes and bit 7 of the status are ignored.  Character data
 * of any length is returned as it is (also in a packet with sequence
 * number 0, which should carry none: sol_pkt_data_ok() says whether it
 * is usable).  IPMI_E_LENGTH below SOL_HDR_LEN bytes.
 */
enum ipmi_err	 sol_pkt_decode(const uint8_t *, size_t, struct sol_pkt *);
/* 1 when the packet carries character data a console may take: a
 * sequence number and at least one byte. */
int		 sol_pkt_data_ok(const struct sol_pkt *);
/* next sequence number after seq: 1..15, wrapping to 1 */
uint8_t		 sol_seq_next(uint8_t seq);

/* ---- Activate / Deactivate Payload, sections 24.1, 24.2 ---- */

#define SOL_PAYLOAD_TYPE	0x01	/* RMCP+ payload type, table 13-16 */
#define SOL_INSTANCE_MAX	15

/* Auxiliary request data byte 1 for SOL (table 24-2). */
#define SOL_ACT_ENCRYPT		0x80	/* payload encrypted */
#define SOL_ACT_AUTH		0x40	/* payload authenticated */
#define SOL_ACT_ALERTS_FAIL	0x00	/* serial/modem alerts fail while
					 * SOL is active */
#define SOL_ACT_ALERTS_DEFER	0x04	/* ... are deferred */
#define SOL_ACT_ALERTS_SUCCEED	0x08	/* ... succeed */
#define SOL_ACT_HANDSHAKE	0x02	/* CTS and DCD/DSR stay deasserted
					 * until the console's first packet
					 * (0: asserted at activation) */

void		 sol_activate_req(struct ipmi_req *, uint8_t instance,
		    uint8_t aux);
/* Response (12 data bytes).  The payload sizes are those of the whole
 * SOL payload, header included (so at most 259 for 255 characters). */
struct sol_activate {
	uint32_t	aux;		/* auxiliary response data */
	uint16_t	inbound;	/* largest payload to the BMC */
	uint16_t	outbound;	/* largest payload from the BMC */
	uint16_t	port;		/* UDP port of the payload */
	uint16_t	vlan;		/* FFFFh: no VLAN */
};
#define SOL_ACTIVATE_RSP_LEN	12
enum ipmi_err	 sol_activate_decode(const uint8_t *, size_t,
		    struct sol_activate *);
/*
 * Characters per packet to the BMC from its inbound payload size: the
 * size less the header, at most SOL_DATA_MAX.  A size that cannot be
 * right (below 5, or past 259: firmware that counts in other units or
 * swaps the bytes) gives SOL_DATA_MAX and *bogus 1; partial acceptance
 * covers a BMC that then takes less.
 */
size_t		 sol_inbound_chars(uint16_t inbound, int *bogus);
/* Completion codes of Activate Payload (table 24-2). */
#define SOL_CC_ACTIVE_ELSEWHERE	0x80	/* already active on another
					 * session */
#define SOL_CC_DISABLED		0x81
#define SOL_CC_LIMIT		0x82
#define SOL_CC_NEED_NO_ENCRYPT	0x83	/* cannot activate with encryption */
#define SOL_CC_NEED_ENCRYPT	0x84	/* ... without encryption */
/* Deactivate Payload: 80h payload already deactivated */
#define SOL_CC_ALREADY_INACTIVE	0x80

void		 sol_deactivate_req(struct ipmi_req *, uint8_t instance);

/* ---- Get Payload Activation Status / Instance Info, 24.4, 24.5 ---- */

void		 sol_status_req(struct ipmi_req *);
struct sol_status {
	uint8_t		capacity;	/* instances possible, 1..15 */
	uint16_t	active;		/* bit n-1: instance n active */
};
#define SOL_STATUS_RSP_LEN	3
enum ipmi_err	 sol_status_decode(const uint8_t *, size_t,
		    struct sol_status *);

void		 sol_instance_req(struct ipmi_req *, uint8_t instance);
struct sol_instance {
	uint32_t	sid;		/* the session that activated it, as
					 * the BMC numbers sessions; 0 when
					 * the instance is not active */
	uint8_t		info[8];	/* payload-specific (SOL: port) */
};
#define SOL_INSTANCE_RSP_LEN	12
enum ipmi_err	 sol_instance_decode(const uint8_t *, size_t,
		    struct sol_instance *);

/* ---- SOL Configuration Parameters, sections 26.2, 26.3 ---- */

/* Parameter selectors, table 26-5. */
#define SOL_PARAM_SET_IN_PROGRESS	0
#define SOL_PARAM_ENABLE		1
#define SOL_PARAM_AUTH			2	/* force encryption / auth,
						 * privilege */
#define SOL_PARAM_ACCUMULATE		3	/* interval, send threshold */
#define SOL_PARAM_RETRY			4	/* count, interval */
#define SOL_PARAM_BAUD_NV		5	/* non-volatile bit rate */
#define SOL_PARAM_BAUD			6	/* volatile bit rate */
#define SOL_PARAM_CHANNEL		7	/* payload channel (RO) */
#define SOL_PARAM_PORT			8	/* payload port */
#define SOL_PARAM_COUNT			9

#define SOL_CHANNEL_CURRENT		0x0e
#define SOL_CC_PARAM_UNSUPPORTED	0x80

/* Set in progress values (parameter 0, bits 1:0). */
#define SOL_SET_COMPLETE	0
#define SOL_SET_IN_PROGRESS	1
#define SOL_SET_COMMIT		2

/* Bit rate codes (parameters 5 and 6, bits 3:0); 0 = the setting of
 * IPMI over serial. */
#define SOL_BAUD_SERIAL		0x00
#define SOL_BAUD_9600		0x06
#define SOL_BAUD_19200		0x07
#define SOL_BAUD_38400		0x08
#define SOL_BAUD_57600		0x09
#define SOL_BAUD_115200		0x0a

/*
 * The parameters, one struct for all of them: `have' says which were
 * decoded (bit n: parameter n).  Times in ms as the spec's units give
 * them: the accumulate interval counts 5 ms (1-based), the retry
 * interval 10 ms.
 */
struct sol_config {
	uint16_t	have;
	uint8_t		rev;		/* parameter revision (11h) */
	uint8_t		set_state;	/* SOL_SET_* */
	uint8_t		enabled;
	uint8_t		force_encrypt;
	uint8_t		force_auth;
	uint8_t		priv;		/* IPMI_PRIV_*, least privilege
					 * for SOL */
	unsigned	accum_ms;	/* 5..1275 */
	uint8_t		send_threshold;	/* characters */
	uint8_t		retry_count;	/* 0..7 (0: no retries) */
	unsigned	retry_ms;	/* 0..2550 (0: back to back) */
	uint8_t		baud_nv;	/* SOL_BAUD_* */
	uint8_t		baud;		/* SOL_BAUD_* */
	uint8_t		channel;
	uint16_t	port;
};

void		 sol_config_get_req(struct ipmi_req *, uint8_t channel,
		    uint8_t param);
/* Decode the Get response data for param into cfg and set its bit in
 * cfg->have.  IPMI_E_LENGTH if too short; IPMI_E_PROTO for a parameter
 * this does not know. */
enum ipmi_err	 sol_config_decode(uint8_t param, const uint8_t *, size_t,
		    struct sol_config *);
/* Set request for param from cfg's fields.  0, or -1 for a parameter
 * that cannot be set (7, unknown) or a value out of range. */
int		 sol_config_set_req(struct ipmi_req *, uint8_t channel,
		    uint8_t param, const struct sol_config *);
/* "Enable", "Retry", ... (the spec's names), "Unknown" */
const char	*sol_param_name(uint8_t param);
/* "115200", "9600", ..., "serial" (the IPMI over serial setting), NULL
 * for a reserved code */
const char	*sol_baud_name(uint8_t code);
/* bits per second to a code: 0, or -1 if not a SOL rate */
int		 sol_baud_code(unsigned long bps, uint8_t *code);
/* "set-complete", "set-in-progress", "commit-write", "reserved" */
const char	*sol_set_state_name(uint8_t);

#endif
