/*
 * Application NetFn command codecs (IPMI v2.0 chapters 20 and 22):
 * device identity and session management.  Pure: a request is built
 * into struct ipmi_req, a response's data (after the completion code)
 * decoded into a struct.  Decoders return IPMI_OK or IPMI_E_LENGTH.
 */
#ifndef CMD_APP_H
#define CMD_APP_H

#include <stdint.h>

#include "ipmi.h"

/* Get Device ID, section 20.1 */
struct app_devid {
	uint8_t		device_id;
	uint8_t		device_rev;
	uint8_t		provides_sdrs;
	uint8_t		available;	/* 0: normal operation */
	uint8_t		fw_major;
	uint8_t		fw_minor;	/* BCD */
	uint8_t		ipmi_version;	/* BCD, 0x51 = 1.5, 0x02 = 2.0 */
	uint8_t		support;	/* additional device support bits */
	uint32_t	manufacturer;	/* IANA, 20 bits */
	uint16_t	product;
	uint8_t		has_aux;
	uint8_t		aux[4];
};
void		 app_devid_req(struct ipmi_req *);
/* response data Get Device ID needs: 11 bytes, then 4 optional */
#define APP_DEVID_RSP_LEN	11
enum ipmi_err	 app_devid_decode(const uint8_t *, size_t, struct app_devid *);
/* names of the additional device support bits 0..7 */
const char	*app_devid_support_name(unsigned bit);

/* Get Device GUID / Get System GUID, sections 20.8, 22.14 */
void		 app_guid_req(struct ipmi_req *, int system);
enum ipmi_err	 app_guid_decode(const uint8_t *, size_t, uint8_t guid[16]);
/* text as ipmitool and dmidecode print it (SMBIOS byte order) */
void		 app_guid_format(const uint8_t guid[16], char out[37]);
/* its inverse: the 16 wire bytes of that text (or of any 32 hex digits
 * with dashes anywhere); 0, or -1 if it is not such text */
int		 app_guid_parse(const char *, uint8_t guid[16]);

/* Get Channel Authentication Capabilities, section 22.13 */
struct app_authcap {
	uint8_t		channel;
	uint8_t		v20;		/* IPMI 2.0 extended data present */
	uint8_t		authtypes;	/* bit n: auth type n supported */
	uint8_t		kg_set;		/* K_g is not the default */
	uint8_t		per_msg_auth_off;
	uint8_t		user_auth_off;
	uint8_t		non_null_users;
	uint8_t		null_users;
	uint8_t		anon_login;
	uint8_t		ipmi15;		/* channel supports IPMI 1.5 */
	uint8_t		ipmi20;		/* channel supports IPMI 2.0 */
	uint32_t	oem_iana;
	uint8_t		oem_aux;
};
void		 app_authcap_req(struct ipmi_req *, uint8_t priv, int v20);
enum ipmi_err	 app_authcap_decode(const uint8_t *, size_t,
		    struct app_authcap *);

/* Get Session Challenge, section 22.16 */
void		 app_challenge_req(struct ipmi_req *, uint8_t authtype,
		    const char *user);
struct app_challenge {
	uint32_t	temp_sid;
	uint8_t		challenge[16];
};
enum ipmi_err	 app_challenge_decode(const uint8_t *, size_t,
		    struct app_challenge *);

/* Activate Session, section 22.17 */
void		 app_activate_req(struct ipmi_req *, uint8_t authtype,
		    uint8_t priv, const uint8_t challenge[16],
		    uint32_t initial_outbound_seq);
struct app_activate {
	uint8_t		authtype;
	uint32_t	sid;
	uint32_t	initial_inbound_seq;
	uint8_t		max_priv;
};
enum ipmi_err	 app_activate_decode(const uint8_t *, size_t,
		    struct app_activate *);

/* Set Session Privilege Level, section 22.18 */
void		 app_setpriv_req(struct ipmi_req *, uint8_t priv);
/* Close Session, section 22.19 */
void		 app_close_req(struct ipmi_req *, uint32_t sid);

/* Get Channel Cipher Suites, section 22.15: one 16-byte chunk per
 * request (list index 0..63); records are accumulated by the caller. */
void		 app_suites_req(struct ipmi_req *, uint8_t channel,
		    uint8_t index);
/* Parse the accumulated algorithm records into cipher suite IDs.
 * Returns the number of ids stored (at most max). */
int		 app_suites_parse(const uint8_t *, size_t, uint8_t *ids,
		    int max);

#endif
