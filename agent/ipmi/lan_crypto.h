/*
 * The cryptography of IPMI LAN sessions.  lan_crypto.c is the only file
 * in bmcwatch that includes OpenSSL.  Pure functions: no I/O but the
 * random source, no globals.  All return 0 on success, -1 on failure.
 * References: IPMI v2.0 sections 13.28-13.32 (RAKP, SIK, K1/K2,
 * integrity and confidentiality algorithms), 22.17-22.18 (IPMI 1.5 MD5).
 */
#ifndef LAN_CRYPTO_H
#define LAN_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* RAKP authentication algorithms, table 13-17 */
#define LCR_AUTH_NONE		0x00
#define LCR_AUTH_HMAC_SHA1	0x01
#define LCR_AUTH_HMAC_MD5	0x02
#define LCR_AUTH_HMAC_SHA256	0x03
/* integrity algorithms, table 13-18 */
#define LCR_INTEG_NONE		0x00
#define LCR_INTEG_HMAC_SHA1_96	0x01
#define LCR_INTEG_HMAC_MD5_128	0x02
#define LCR_INTEG_MD5_128	0x03
#define LCR_INTEG_HMAC_SHA256_128 0x04
/* confidentiality algorithms, table 13-19 */
#define LCR_CONF_NONE		0x00
#define LCR_CONF_AES_CBC_128	0x01

#define LCR_MAX_MAC		32	/* SHA-256 */
#define LCR_AES_BLOCK		16

/* Which algorithms make up cipher suite id (table 22-20).  -1 if unknown. */
struct lcr_suite {
	uint8_t		auth;
	uint8_t		integ;
	uint8_t		conf;
};
int	lcr_suite(int id, struct lcr_suite *);

/* HMAC with the hash of a RAKP authentication algorithm (SHA1, MD5,
 * SHA256).  *outlen gets the full digest length (20, 16, 32). */
int	lcr_hmac(uint8_t auth_alg, const uint8_t *key, size_t keylen,
	    const uint8_t *data, size_t len, uint8_t *out, size_t *outlen);
/* digest length of an auth algorithm, 0 for NONE/unknown */
size_t	lcr_auth_len(uint8_t auth_alg);

/* Length of the truncated integrity code for an integrity algorithm
 * (12 for HMAC-SHA1-96, 16 for the MD5 ones and HMAC-SHA256-128). */
size_t	lcr_integ_len(uint8_t integ_alg);
/* Compute the AuthCode trailer over data with key K1 (or, for MD5-128,
 * the password: section 13.28.4).  out gets lcr_integ_len bytes. */
int	lcr_integ(uint8_t integ_alg, const uint8_t *k1, size_t k1len,
	    const uint8_t *data, size_t len, uint8_t *out);

/* AES-CBC-128 without padding (IPMI pads itself, section 13.29):
 * len must be a multiple of 16.  out may equal in. */
int	lcr_aes_cbc_encrypt(const uint8_t key[16], const uint8_t iv[16],
	    const uint8_t *in, size_t len, uint8_t *out);
int	lcr_aes_cbc_decrypt(const uint8_t key[16], const uint8_t iv[16],
	    const uint8_t *in, size_t len, uint8_t *out);

/* IPMI 1.5 MD5 auth code, section 22.17.1:
 * MD5(password16 | session id | data | session seq | password16) */
int	lcr_md5_authcode(const uint8_t pw[16], uint32_t session_id,
	    const uint8_t *data, size_t len, uint32_t session_seq,
	    uint8_t out[16]);

/* SIK = HMAC_Kg(Rm | Rc | RoleM | ULengthM | UNameM), section 13.31;
 * kg is the password when no K_g is set.  K_n = HMAC_SIK(n repeated
 * 20 times).  Outputs are lcr_auth_len(auth_alg) bytes. */
int	lcr_sik(uint8_t auth_alg, const uint8_t *kg, size_t kglen,
	    const uint8_t rm[16], const uint8_t rc[16], uint8_t role,
	    const char *user, size_t ulen, uint8_t *sik);
int	lcr_kn(uint8_t auth_alg, const uint8_t *sik, uint8_t n, uint8_t *kn);

int	lcr_random(uint8_t *, size_t);
/* constant-time compare; 0 if equal */
int	lcr_memcmp(const void *, const void *, size_t);
void	lcr_cleanse(void *, size_t);

#endif
