/*
 * RMCP, IPMI 1.5 and IPMI 2.0 (RMCP+) packet framing, and the RMCP+
 * session-setup payloads (Open Session, RAKP 1-4).  Pure codecs: bytes
 * in, struct out; no I/O, clock, crypto or globals.  The session code
 * (lan15.c, lanplus.c) computes and checks auth codes and encryption.
 * References: IPMI v2.0 sections 13.1-13.8 (RMCP, session headers),
 * 13.17-13.23 (Open Session, RAKP messages), 13.28 (integrity trailer).
 */
#ifndef LAN_RMCP_H
#define LAN_RMCP_H

#include <stddef.h>
#include <stdint.h>

#include "ipmi.h"

#define RMCP_VERSION_1		0x06
#define RMCP_SEQ_NOACK		0xff
#define RMCP_CLASS_ASF		0x06
#define RMCP_CLASS_IPMI		0x07

/* RMCP+ payload types, table 13-16 */
#define RMCPP_PT_IPMI		0x00
#define RMCPP_PT_SOL		0x01
#define RMCPP_PT_OEM		0x02
#define RMCPP_PT_OPEN_REQ	0x10
#define RMCPP_PT_OPEN_RSP	0x11
#define RMCPP_PT_RAKP1		0x12
#define RMCPP_PT_RAKP2		0x13
#define RMCPP_PT_RAKP3		0x14
#define RMCPP_PT_RAKP4		0x15
#define RMCPP_ENCRYPTED		0x80
#define RMCPP_AUTHENTICATED	0x40

#define LAN_PKT_MAX		512	/* every packet we send or accept */
#define LAN15_AUTHCODE_LEN	16
#define RMCPP_NEXT_HEADER	0x07

/* A received packet, decoded without verification. */
struct lan_pkt {
	uint8_t		 rmcp_class;
	uint8_t		 authtype;	/* 6 = RMCP+ */
	/* IPMI 1.5 */
	const uint8_t	*authcode15;	/* 16 bytes, NULL for auth NONE */
	/* RMCP+ */
	uint8_t		 ptype;		/* payload type, flags stripped */
	uint8_t		 encrypted;
	uint8_t		 authenticated;
	uint32_t	 sid;
	uint32_t	 seq;
	const uint8_t	*payload;
	size_t		 plen;
	/* RMCP+ integrity: bytes [integ_off, integ_off + integ_len) of
	 * the packet are covered by the auth code at trailer. */
	size_t		 integ_off;
	size_t		 integ_len;
	const uint8_t	*trailer;
	size_t		 trailer_len;
};

/*
 * Decode any RMCP packet.  For an authenticated RMCP+ packet the
 * trailer is expected to be icv_len bytes long (0 when the session has
 * no integrity algorithm yet).  Returns IPMI_OK, IPMI_E_LENGTH or
 * IPMI_E_PROTO.
 */
enum ipmi_err	 lan_decode(const uint8_t *, size_t, size_t icv_len,
		    struct lan_pkt *);

/* IPMI 1.5 session packet.  authcode is NULL for auth type NONE.
 * Returns bytes written or -1. */
int		 lan15_encode(uint8_t *out, size_t cap, uint8_t authtype,
		    uint32_t seq, uint32_t sid, const uint8_t *authcode,
		    const uint8_t *msg, size_t mlen);

/*
 * RMCP+ packet.  When icv_len > 0 the integrity pad, pad length and
 * next header are written and icv_len zero bytes are reserved at
 * *icv_off, to be filled with the auth code over [4, *icv_off).
 * Returns bytes written or -1.
 */
int		 lan20_encode(uint8_t *out, size_t cap, uint8_t ptype,
		    uint32_t sid, uint32_t seq, const uint8_t *payload,
		    size_t plen, size_t icv_len, size_t *icv_off);

/* Open Session Request/Response, sections 13.17, 13.18 */
struct rmcpp_open_req {
	uint8_t		tag;
	uint8_t		priv;		/* 0: highest the BMC allows */
	uint32_t	console_sid;
	uint8_t		auth, integ, conf;
};
struct rmcpp_open_rsp {
	uint8_t		tag;
	uint8_t		status;		/* RMCP+ status code, table 13-15 */
	uint8_t		priv;
	uint32_t	console_sid;
	uint32_t	bmc_sid;
	uint8_t		auth, integ, conf;
};
int		 rmcpp_open_req_encode(uint8_t *, size_t,
		    const struct rmcpp_open_req *);
enum ipmi_err	 rmcpp_open_rsp_decode(const uint8_t *, size_t,
		    struct rmcpp_open_rsp *);

/* RAKP messages 1-4, sections 13.20-13.23 */
struct rmcpp_rakp2 {
	uint8_t		 tag;
	uint8_t		 status;
	uint32_t	 console_sid;
	uint8_t		 rc[16];
	uint8_t		 guid[16];
	const uint8_t	*authcode;
	size_t		 authcode_len;
};
struct rmcpp_rakp4 {
	uint8_t		 tag;
	uint8_t		 status;
	uint32_t	 console_sid;
	const uint8_t	*icv;
	size_t		 icv_len;
};
int		 rmcpp_rakp1_encode(uint8_t *, size_t, uint8_t tag,
		    uint32_t bmc_sid, const uint8_t rm[16], uint8_t role,
		    const char *user, size_t ulen);
enum ipmi_err	 rmcpp_rakp2_decode(const uint8_t *, size_t,
		    struct rmcpp_rakp2 *);
int		 rmcpp_rakp3_encode(uint8_t *, size_t, uint8_t tag,
		    uint8_t status, uint32_t bmc_sid, const uint8_t *authcode,
		    size_t alen);
enum ipmi_err	 rmcpp_rakp4_decode(const uint8_t *, size_t,
		    struct rmcpp_rakp4 *);
/* RMCP+ status codes, table 13-15 */
const char	*rmcpp_status_name(uint8_t);

/*
 * Sliding window for inbound session sequence numbers (section 6.12.13
 * and 13.13): accept a number not seen before and no more than 'window'
 * behind the highest seen; reject replays.
 */
struct lan_seqwin {
	uint32_t	high;
	uint32_t	seen;	/* bit i: high - i was seen */
	int		init;
};
int		 lan_seqwin_check(struct lan_seqwin *, uint32_t seq,
		    uint32_t window);

#endif
