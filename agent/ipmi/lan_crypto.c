/*
 * The cryptography of IPMI LAN sessions, on OpenSSL 3.0 EVP.  This is
 * the only file in bmcwatch that includes OpenSSL.  See lan_crypto.h.
 *
 * Decisions where the IPMI v2.0 specification is ambiguous:
 *
 * - K_n (section 13.32): the constant is the byte n repeated 20 times
 *   for every authentication algorithm, SHA-256 included.  The spec
 *   talks of repeating it "up to the HMAC block size", but ipmitool
 *   (lanplus_generate_k1/k2) and FreeIPMI (IPMI_KEY_CONSTANT_LENGTH)
 *   both use 20 bytes, and BMCs interoperate with them.  K_n is as long
 *   as the digest: 20 (SHA1), 16 (MD5), 32 (SHA-256); AES-CBC-128 uses
 *   the first 16 bytes of K2.
 *
 * - MD5-128 integrity (section 13.28.4): the "key" is the user's
 *   password, zero-padded to 20 bytes (the IPMI v2.0 password length),
 *   and AuthCode = MD5(pw20 | data | pw20), as FreeIPMI computes it.
 *   Passwords longer than 20 bytes are rejected.
 *
 * - The SIK key (K_g, or K_uid when K_g is null) is used exactly as the
 *   caller gives it: callers pass the 20-byte zero-padded password, as
 *   ipmitool does.
 */
#include <sys/types.h>

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "lan_crypto.h"

#define LCR_PW20	20	/* IPMI v2.0 password length */
#define LCR_PW16	16	/* IPMI v1.5 password length */
#define LCR_UNAME_MAX	16	/* user name length, RAKP message 1 */
#define LCR_KN_CONST	20	/* length of the K_n constant */

/* table 22-20; conf 0xff marks the xRC4 suites we don't do */
#define LCR_CONF_XRC4	0xff
static const struct lcr_suite lcr_suites[] = {
	/* 0 */ { LCR_AUTH_NONE, LCR_INTEG_NONE, LCR_CONF_NONE },
	/* 1 */ { LCR_AUTH_HMAC_SHA1, LCR_INTEG_NONE, LCR_CONF_NONE },
	/* 2 */ { LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96, LCR_CONF_NONE },
	/* 3 */ { LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96,
		    LCR_CONF_AES_CBC_128 },
	/* 4 */ { LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96, LCR_CONF_XRC4 },
	/* 5 */ { LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96, LCR_CONF_XRC4 },
	/* 6 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_NONE, LCR_CONF_NONE },
	/* 7 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128, LCR_CONF_NONE },
	/* 8 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128,
		    LCR_CONF_AES_CBC_128 },
	/* 9 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128, LCR_CONF_XRC4 },
	/* 10 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128, LCR_CONF_XRC4 },
	/* 11 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128, LCR_CONF_NONE },
	/* 12 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128,
		    LCR_CONF_AES_CBC_128 },
	/* 13 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128, LCR_CONF_XRC4 },
	/* 14 */ { LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128, LCR_CONF_XRC4 },
	/* 15 */ { LCR_AUTH_HMAC_SHA256, LCR_INTEG_NONE, LCR_CONF_NONE },
	/* 16 */ { LCR_AUTH_HMAC_SHA256, LCR_INTEG_HMAC_SHA256_128,
		    LCR_CONF_NONE },
	/* 17 */ { LCR_AUTH_HMAC_SHA256, LCR_INTEG_HMAC_SHA256_128,
		    LCR_CONF_AES_CBC_128 },
};

/* a non-NULL pointer for empty keys and data: OpenSSL treats NULL
 * keys specially */
static const uint8_t lcr_empty[1];

static const EVP_MD *lcr_md(uint8_t);
static int lcr_aes_cbc(int, const uint8_t *, const uint8_t *,
    const uint8_t *, size_t, uint8_t *);

/*
 * The algorithms, fetched once (bench/results.md: OpenSSL 3 looks an
 * algorithm up by name, with locks and property matching, at every
 * one-shot HMAC() and at every context init given a legacy EVP_sha1()
 * style object: the larger part of the instructions of a warm sweep).
 * An HMAC context per digest is kept with its digest set; each MAC
 * duplicates it and sets the key.  Kept for the life of the process;
 * NULL where a fetch failed (then the one-shot path as before).
 */
#define LCR_NALG	3	/* SHA1, MD5, SHA256 */
static pthread_once_t	 lcr_once = PTHREAD_ONCE_INIT;
static EVP_MD		*lcr_mds[LCR_NALG];
static EVP_MAC_CTX	*lcr_hmacs[LCR_NALG];
static EVP_CIPHER	*lcr_aes;

static void
lcr_fetch(void)
{
	static const char *const names[LCR_NALG] = { "SHA1", "MD5",
	    "SHA256" };
	OSSL_PARAM p[2];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx;
	int i;

	for (i = 0; i < LCR_NALG; i++) {
		lcr_mds[i] = EVP_MD_fetch(NULL, names[i], NULL);
		if (mac == NULL || (ctx = EVP_MAC_CTX_new(mac)) == NULL)
			continue;
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		    (char *)(uintptr_t)names[i], 0);
		p[1] = OSSL_PARAM_construct_end();
		if (EVP_MAC_CTX_set_params(ctx, p) == 1)
			lcr_hmacs[i] = ctx;
		else
			EVP_MAC_CTX_free(ctx);
	}
	EVP_MAC_free(mac);	/* the contexts hold their own reference */
	lcr_aes = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
}

/* index into lcr_mds / lcr_hmacs, -1 for none */
static int
lcr_alg_idx(uint8_t auth_alg)
{
	(void)pthread_once(&lcr_once, lcr_fetch);
	switch (auth_alg) {
	case LCR_AUTH_HMAC_SHA1:
		return 0;
	case LCR_AUTH_HMAC_MD5:
		return 1;
	case LCR_AUTH_HMAC_SHA256:
		return 2;
	default:
		return -1;
	}
}

/* MD5, fetched */
static const EVP_MD *
lcr_md5(void)
{
	int i = lcr_alg_idx(LCR_AUTH_HMAC_MD5);

	return lcr_mds[i] != NULL ? lcr_mds[i] : EVP_md5();
}

int
lcr_suite(int id, struct lcr_suite *s)
{
	if (s == NULL || id < 0 ||
	    (size_t)id >= sizeof(lcr_suites) / sizeof(lcr_suites[0]))
		return -1;
	if (lcr_suites[id].conf == LCR_CONF_XRC4)
		return -1;
	*s = lcr_suites[id];
	return 0;
}

static const EVP_MD *
lcr_md(uint8_t auth_alg)
{
	int i = lcr_alg_idx(auth_alg);

	if (i >= 0 && lcr_mds[i] != NULL)
		return lcr_mds[i];
	switch (auth_alg) {
	case LCR_AUTH_HMAC_SHA1:
		return EVP_sha1();
	case LCR_AUTH_HMAC_MD5:
		return EVP_md5();
	case LCR_AUTH_HMAC_SHA256:
		return EVP_sha256();
	default:
		return NULL;
	}
}

size_t
lcr_auth_len(uint8_t auth_alg)
{
	switch (auth_alg) {
	case LCR_AUTH_HMAC_SHA1:
		return 20;
	case LCR_AUTH_HMAC_MD5:
		return 16;
	case LCR_AUTH_HMAC_SHA256:
		return 32;
	default:
		return 0;
	}
}

int
lcr_hmac(uint8_t auth_alg, const uint8_t *key, size_t keylen,
    const uint8_t *data, size_t len, uint8_t *out, size_t *outlen)
{
	const EVP_MD *md;
	unsigned int mdlen = 0;
	EVP_MAC_CTX *ctx;
	size_t ml = 0;
	int i;

	if ((md = lcr_md(auth_alg)) == NULL || out == NULL ||
	    (key == NULL && keylen > 0) || (data == NULL && len > 0) ||
	    keylen > INT_MAX)
		return -1;
	if (key == NULL || keylen == 0)
		key = lcr_empty;
	if (data == NULL || len == 0)
		data = lcr_empty;
	i = lcr_alg_idx(auth_alg);
	if (lcr_hmacs[i] != NULL) {
		if ((ctx = EVP_MAC_CTX_dup(lcr_hmacs[i])) == NULL)
			return -1;
		if (EVP_MAC_init(ctx, key, keylen, NULL) != 1 ||
		    EVP_MAC_update(ctx, data, len) != 1 ||
		    EVP_MAC_final(ctx, out, &ml, lcr_auth_len(auth_alg)) !=
		    1) {
			EVP_MAC_CTX_free(ctx);
			return -1;
		}
		EVP_MAC_CTX_free(ctx);
		mdlen = (unsigned int)ml;
	} else if (HMAC(md, key, (int)keylen, data, len, out, &mdlen) ==
	    NULL)
		return -1;
	if (mdlen != lcr_auth_len(auth_alg)) {
		OPENSSL_cleanse(out, mdlen);
		return -1;
	}
	if (outlen != NULL)
		*outlen = mdlen;
	return 0;
}

size_t
lcr_integ_len(uint8_t integ_alg)
{
	switch (integ_alg) {
	case LCR_INTEG_HMAC_SHA1_96:
		return 12;
	case LCR_INTEG_HMAC_MD5_128:
	case LCR_INTEG_MD5_128:
	case LCR_INTEG_HMAC_SHA256_128:
		return 16;
	default:
		return 0;
	}
}

/*
 * Integrity NONE has no AuthCode and fails here, like unknown
 * algorithms: callers check lcr_integ_len() first.
 */
int
lcr_integ(uint8_t integ_alg, const uint8_t *k1, size_t k1len,
    const uint8_t *data, size_t len, uint8_t *out)
{
	uint8_t mac[LCR_MAX_MAC], pw[LCR_PW20];
	EVP_MD_CTX *ctx = NULL;
	uint8_t auth;
	size_t n;
	int rv = -1;

	if (out == NULL || (data == NULL && len > 0) ||
	    (k1 == NULL && k1len > 0) ||
	    (n = lcr_integ_len(integ_alg)) == 0)
		return -1;
	if (data == NULL)
		data = lcr_empty;
	memset(mac, 0, sizeof(mac));
	memset(pw, 0, sizeof(pw));

	switch (integ_alg) {
	case LCR_INTEG_HMAC_SHA1_96:
		auth = LCR_AUTH_HMAC_SHA1;
		break;
	case LCR_INTEG_HMAC_MD5_128:
		auth = LCR_AUTH_HMAC_MD5;
		break;
	case LCR_INTEG_HMAC_SHA256_128:
		auth = LCR_AUTH_HMAC_SHA256;
		break;
	case LCR_INTEG_MD5_128:
		/* MD5(pw20 | data | pw20), section 13.28.4 */
		if (k1len > sizeof(pw))
			goto done;
		if (k1len > 0)
			memcpy(pw, k1, k1len);
		if ((ctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestInit_ex(ctx, lcr_md5(), NULL) != 1 ||
		    EVP_DigestUpdate(ctx, pw, sizeof(pw)) != 1 ||
		    EVP_DigestUpdate(ctx, data, len) != 1 ||
		    EVP_DigestUpdate(ctx, pw, sizeof(pw)) != 1 ||
		    EVP_DigestFinal_ex(ctx, mac, NULL) != 1)
			goto done;
		memcpy(out, mac, n);
		rv = 0;
		goto done;
	default:
		goto done;
	}
	if (lcr_hmac(auth, k1, k1len, data, len, mac, NULL) != 0)
		goto done;
	memcpy(out, mac, n);
	rv = 0;
done:
	EVP_MD_CTX_free(ctx);
	OPENSSL_cleanse(mac, sizeof(mac));
	OPENSSL_cleanse(pw, sizeof(pw));
	return rv;
}

static int
lcr_aes_cbc(int enc, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, rv = -1;

	if (key == NULL || iv == NULL || len % LCR_AES_BLOCK != 0 ||
	    len > (size_t)INT_MAX - LCR_AES_BLOCK)
		return -1;
	if (len == 0)
		return 0;
	if (in == NULL || out == NULL)
		return -1;
	(void)pthread_once(&lcr_once, lcr_fetch);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex(ctx, lcr_aes != NULL ? lcr_aes :
	    EVP_aes_128_cbc(), NULL, key, iv, enc) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    outl < 0 || (size_t)outl != len ||
	    EVP_CipherFinal_ex(ctx, out + outl, &finl) != 1 || finl != 0)
		goto done;
	rv = 0;
done:
	EVP_CIPHER_CTX_free(ctx);
	return rv;
}

int
lcr_aes_cbc_encrypt(const uint8_t key[16], const uint8_t iv[16],
    const uint8_t *in, size_t len, uint8_t *out)
{
	return lcr_aes_cbc(1, key, iv, in, len, out);
}

int
lcr_aes_cbc_decrypt(const uint8_t key[16], const uint8_t iv[16],
    const uint8_t *in, size_t len, uint8_t *out)
{
	return lcr_aes_cbc(0, key, iv, in, len, out);
}

int
lcr_md5_authcode(const uint8_t pw[16], uint32_t session_id,
    const uint8_t *data, size_t len, uint32_t session_seq,
    uint8_t out[16])
{
	EVP_MD_CTX *ctx = NULL;
	uint8_t sid[4], seq[4];
	unsigned int mdlen = 0;
	int rv = -1;

	if (pw == NULL || out == NULL || (data == NULL && len > 0))
		return -1;
	if (data == NULL)
		data = lcr_empty;
	sid[0] = (uint8_t)session_id;
	sid[1] = (uint8_t)(session_id >> 8);
	sid[2] = (uint8_t)(session_id >> 16);
	sid[3] = (uint8_t)(session_id >> 24);
	seq[0] = (uint8_t)session_seq;
	seq[1] = (uint8_t)(session_seq >> 8);
	seq[2] = (uint8_t)(session_seq >> 16);
	seq[3] = (uint8_t)(session_seq >> 24);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, lcr_md5(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, pw, LCR_PW16) != 1 ||
	    EVP_DigestUpdate(ctx, sid, sizeof(sid)) != 1 ||
	    EVP_DigestUpdate(ctx, data, len) != 1 ||
	    EVP_DigestUpdate(ctx, seq, sizeof(seq)) != 1 ||
	    EVP_DigestUpdate(ctx, pw, LCR_PW16) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &mdlen) != 1 || mdlen != 16)
		goto done;
	rv = 0;
done:
	EVP_MD_CTX_free(ctx);
	return rv;
}

int
lcr_sik(uint8_t auth_alg, const uint8_t *kg, size_t kglen,
    const uint8_t rm[16], const uint8_t rc[16], uint8_t role,
    const char *user, size_t ulen, uint8_t *sik)
{
	uint8_t buf[16 + 16 + 1 + 1 + LCR_UNAME_MAX];
	size_t n = 0;
	int rv;

	if (rm == NULL || rc == NULL || sik == NULL ||
	    ulen > LCR_UNAME_MAX || (user == NULL && ulen > 0) ||
	    lcr_auth_len(auth_alg) == 0)
		return -1;
	memcpy(buf + n, rm, 16);
	n += 16;
	memcpy(buf + n, rc, 16);
	n += 16;
	buf[n++] = role;
	buf[n++] = (uint8_t)ulen;
	if (ulen > 0)
		memcpy(buf + n, user, ulen);
	n += ulen;
	rv = lcr_hmac(auth_alg, kg, kglen, buf, n, sik, NULL);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rv;
}

int
lcr_kn(uint8_t auth_alg, const uint8_t *sik, uint8_t n, uint8_t *kn)
{
	uint8_t c[LCR_KN_CONST];
	size_t len;

	if (sik == NULL || kn == NULL ||
	    (len = lcr_auth_len(auth_alg)) == 0)
		return -1;
	memset(c, n, sizeof(c));
	return lcr_hmac(auth_alg, sik, len, c, sizeof(c), kn, NULL);
}

/*
 * Random bytes from OpenSSL's DRBG, drawn LCR_RAND_POOL at a time: one
 * RAND_bytes call costs about as much as the rest of a packet (its
 * locks and DRBG bookkeeping), and every encrypted packet needs a fresh
 * 16-byte IV.  Per thread, wiped as handed out, refilled in a process
 * other than the one that filled it (a fork must not repeat IVs).
 */
#define LCR_RAND_POOL	512
static _Thread_local uint8_t	lcr_pool[LCR_RAND_POOL];
static _Thread_local size_t	lcr_pool_left;
static _Thread_local pid_t	lcr_pool_pid;

int
lcr_random(uint8_t *buf, size_t len)
{
	size_t off;

	if (len == 0)
		return 0;
	if (buf == NULL || len > INT_MAX)
		return -1;
	if (len > LCR_RAND_POOL / 4)
		return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
	if (lcr_pool_left < len || lcr_pool_pid != getpid()) {
		OPENSSL_cleanse(lcr_pool, sizeof(lcr_pool));
		lcr_pool_left = 0;
		if (RAND_bytes(lcr_pool, (int)sizeof(lcr_pool)) != 1)
			return -1;
		lcr_pool_left = sizeof(lcr_pool);
		lcr_pool_pid = getpid();
	}
	off = sizeof(lcr_pool) - lcr_pool_left;
	memcpy(buf, lcr_pool + off, len);
	OPENSSL_cleanse(lcr_pool + off, len);
	lcr_pool_left -= len;
	return 0;
}

int
lcr_memcmp(const void *a, const void *b, size_t len)
{
	if (len == 0)
		return 0;
	return CRYPTO_memcmp(a, b, len) != 0;
}

void
lcr_cleanse(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}
