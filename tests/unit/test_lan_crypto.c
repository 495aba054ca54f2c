/*
 * Unit tests for agent/ipmi/lan_crypto.c.  Published vectors (RFC 2202,
 * RFC 4231, NIST SP 800-38A) are typed in from the documents; the IPMI
 * vectors were computed independently with Python 3 hmac/hashlib, and
 * the one-liner that produced each is next to the expected value.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "lan_crypto.h"

static const char hi_there[] = "Hi There";
static const char jefe_key[] = "Jefe";
static const char jefe_data[] = "what do ya want for nothing?";
static const char big_key_data[] =
    "Test Using Larger Than Block-Size Key - Hash Key First";

/* one HMAC vector: key is keylen bytes of keybyte, or keystr if set */
struct hvec {
	const char	*keystr;
	uint8_t		 keybyte;
	size_t		 keylen;
	const char	*datastr;
	uint8_t		 databyte;
	size_t		 datalen;
	const char	*hex;
};

static void
check_hvecs(uint8_t alg, const struct hvec *v, size_t nv)
{
	uint8_t key[200], data[100], exp[LCR_MAX_MAC], out[LCR_MAX_MAC];
	size_t i, keylen, datalen, outlen;
	int n;

	for (i = 0; i < nv; i++) {
		if (v[i].keystr != NULL) {
			keylen = strlen(v[i].keystr);
			memcpy(key, v[i].keystr, keylen);
		} else {
			keylen = v[i].keylen;
			memset(key, v[i].keybyte, keylen);
		}
		if (v[i].datastr != NULL) {
			datalen = strlen(v[i].datastr);
			memcpy(data, v[i].datastr, datalen);
		} else {
			datalen = v[i].datalen;
			memset(data, v[i].databyte, datalen);
		}
		n = harness_hex(v[i].hex, exp, sizeof(exp));
		CHECK_EQ(n, lcr_auth_len(alg));
		memset(out, 0, sizeof(out));
		outlen = 0;
		CHECK_EQ(lcr_hmac(alg, key, keylen, data, datalen, out,
		    &outlen), 0);
		CHECK_EQ(outlen, lcr_auth_len(alg));
		CHECK_MEM(out, exp, (size_t)n);
	}
}

/* RFC 2202 section 3, HMAC-SHA1 test cases 1, 2, 3 and 6 */
static void
test_hmac_sha1_rfc2202(void)
{
	static const struct hvec v[] = {
		{ NULL, 0x0b, 20, hi_there, 0, 0,
		  "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ jefe_key, 0, 0, jefe_data, 0, 0,
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ NULL, 0xaa, 20, NULL, 0xdd, 50,
		  "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
		{ NULL, 0xaa, 80, big_key_data, 0, 0,
		  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	};

	CHECK_EQ(lcr_auth_len(LCR_AUTH_HMAC_SHA1), 20);
	check_hvecs(LCR_AUTH_HMAC_SHA1, v, sizeof(v) / sizeof(v[0]));
}

/* RFC 2202 section 2, HMAC-MD5 test cases 1, 2, 3 and 6 */
static void
test_hmac_md5_rfc2202(void)
{
	static const struct hvec v[] = {
		{ NULL, 0x0b, 16, hi_there, 0, 0,
		  "9294727a3638bb1c13f48ef8158bfc9d" },
		{ jefe_key, 0, 0, jefe_data, 0, 0,
		  "750c783e6ab0b503eaa86e310a5db738" },
		{ NULL, 0xaa, 16, NULL, 0xdd, 50,
		  "56be34521d144c88dbb8c733f0e8b3f6" },
		{ NULL, 0xaa, 80, big_key_data, 0, 0,
		  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
	};

	CHECK_EQ(lcr_auth_len(LCR_AUTH_HMAC_MD5), 16);
	check_hvecs(LCR_AUTH_HMAC_MD5, v, sizeof(v) / sizeof(v[0]));
}

/* RFC 4231 section 4, HMAC-SHA-256 test cases 1, 2, 3 and 6 (6: a
 * 131-byte key, longer than the 64-byte block) */
static void
test_hmac_sha256_rfc4231(void)
{
	static const struct hvec v[] = {
		{ NULL, 0x0b, 20, hi_there, 0, 0,
		  "b0344c61d8db38535ca8afceaf0bf12b"
		  "881dc200c9833da726e9376c2e32cff7" },
		{ jefe_key, 0, 0, jefe_data, 0, 0,
		  "5bdcc146bf60754e6a042426089575c7"
		  "5a003f089d2739839dec58b964ec3843" },
		{ NULL, 0xaa, 20, NULL, 0xdd, 50,
		  "773ea91e36800e46854db8ebd09181a7"
		  "2959098b3ef8c122d9635514ced565fe" },
		{ NULL, 0xaa, 131, big_key_data, 0, 0,
		  "60e431591ee0b67f0d8a26aacbf5b77f"
		  "8e0bc6213728c5140546040f0ee37f54" },
	};

	CHECK_EQ(lcr_auth_len(LCR_AUTH_HMAC_SHA256), 32);
	check_hvecs(LCR_AUTH_HMAC_SHA256, v, sizeof(v) / sizeof(v[0]));
}

static void
test_hmac_bad(void)
{
	uint8_t key[4] = { 1, 2, 3, 4 }, out[LCR_MAX_MAC];
	size_t outlen = 99;

	CHECK_EQ(lcr_auth_len(LCR_AUTH_NONE), 0);
	CHECK_EQ(lcr_auth_len(0x7f), 0);
	CHECK_EQ(lcr_hmac(LCR_AUTH_NONE, key, 4, key, 4, out, &outlen), -1);
	CHECK_EQ(lcr_hmac(0x7f, key, 4, key, 4, out, &outlen), -1);
	CHECK_EQ(lcr_hmac(LCR_AUTH_HMAC_SHA1, NULL, 4, key, 4, out,
	    &outlen), -1);
	CHECK_EQ(lcr_hmac(LCR_AUTH_HMAC_SHA1, key, 4, NULL, 4, out,
	    &outlen), -1);
	CHECK_EQ(outlen, 99);
	/* empty key and data are legal:
	 * python3 -c "import hmac;print(hmac.new(b'',b'','sha1').hexdigest())"
	 */
	{
		uint8_t exp[20];

		CHECK_EQ(harness_hex("fbdb1d1b18aa6c08324b7d64b71fb76370690e1d",
		    exp, sizeof(exp)), 20);
		CHECK_EQ(lcr_hmac(LCR_AUTH_HMAC_SHA1, NULL, 0, NULL, 0, out,
		    &outlen), 0);
		CHECK_EQ(outlen, 20);
		CHECK_MEM(out, exp, 20);
	}
}

/* lcr_integ for the HMAC algorithms is the leading bytes of the full
 * HMAC keyed with K1 */
static void
test_integ_truncation(void)
{
	static const struct {
		uint8_t	integ, auth;
		size_t	len;
	} t[] = {
		{ LCR_INTEG_HMAC_SHA1_96, LCR_AUTH_HMAC_SHA1, 12 },
		{ LCR_INTEG_HMAC_MD5_128, LCR_AUTH_HMAC_MD5, 16 },
		{ LCR_INTEG_HMAC_SHA256_128, LCR_AUTH_HMAC_SHA256, 16 },
	};
	uint8_t k1[32], data[61], full[LCR_MAX_MAC], out[LCR_MAX_MAC + 1];
	size_t i, klen, outlen;

	for (i = 0; i < sizeof(k1); i++)
		k1[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		klen = lcr_auth_len(t[i].auth);
		CHECK_EQ(lcr_integ_len(t[i].integ), t[i].len);
		CHECK_EQ(lcr_hmac(t[i].auth, k1, klen, data, sizeof(data),
		    full, &outlen), 0);
		CHECK_EQ(outlen, klen);
		memset(out, 0x5a, sizeof(out));
		CHECK_EQ(lcr_integ(t[i].integ, k1, klen, data, sizeof(data),
		    out), 0);
		CHECK_MEM(out, full, t[i].len);
		/* nothing written past the truncated length */
		CHECK_EQ(out[t[i].len], 0x5a);
	}
	/* RFC 2202 HMAC-SHA1 case 2 truncated to 96 bits */
	{
		uint8_t exp[12];

		CHECK_EQ(harness_hex("effcdf6ae5eb2fa2d27416d5",
		    exp, sizeof(exp)), 12);
		CHECK_EQ(lcr_integ(LCR_INTEG_HMAC_SHA1_96,
		    (const uint8_t *)jefe_key, strlen(jefe_key),
		    (const uint8_t *)jefe_data, strlen(jefe_data), out), 0);
		CHECK_MEM(out, exp, 12);
	}
	/* RFC 4231 case 2 truncated to 128 bits */
	{
		uint8_t exp[16];

		CHECK_EQ(harness_hex("5bdcc146bf60754e6a042426089575c7",
		    exp, sizeof(exp)), 16);
		CHECK_EQ(lcr_integ(LCR_INTEG_HMAC_SHA256_128,
		    (const uint8_t *)jefe_key, strlen(jefe_key),
		    (const uint8_t *)jefe_data, strlen(jefe_data), out), 0);
		CHECK_MEM(out, exp, 16);
	}
	CHECK_EQ(lcr_integ_len(LCR_INTEG_NONE), 0);
	CHECK_EQ(lcr_integ_len(0x3f), 0);
	CHECK_EQ(lcr_integ(LCR_INTEG_NONE, k1, 20, data, 4, out), -1);
	CHECK_EQ(lcr_integ(0x3f, k1, 20, data, 4, out), -1);
}

/* MD5-128 (section 13.28.4): MD5(pw20 | data | pw20), the password
 * zero-padded to 20 bytes */
static void
test_integ_md5_128(void)
{
	static const char pw[] = "password";
	uint8_t data[64], exp[16], out[16], longpw[21];
	int n;

	n = harness_hex("06c0a1b2c3d40500000008002018c88104017aff0207",
	    data, sizeof(data));
	CHECK_EQ(n, 22);
	/* python3 -c "import hashlib;pw=b'password'.ljust(20,b'\0');
	 *   print(hashlib.md5(pw+bytes.fromhex(
	 *   '06c0a1b2c3d40500000008002018c88104017aff0207')+pw).hexdigest())"
	 */
	CHECK_EQ(harness_hex("bf136c578764c3d70372a876baf06a1d", exp,
	    sizeof(exp)), 16);
	CHECK_EQ(lcr_integ_len(LCR_INTEG_MD5_128), 16);
	CHECK_EQ(lcr_integ(LCR_INTEG_MD5_128, (const uint8_t *)pw,
	    strlen(pw), data, (size_t)n, out), 0);
	CHECK_MEM(out, exp, 16);
	/* the same password already padded gives the same code */
	{
		uint8_t pw20[20];

		memset(pw20, 0, sizeof(pw20));
		(void)snprintf((char *)pw20, sizeof(pw20), "%s", pw);
		memset(out, 0, sizeof(out));
		CHECK_EQ(lcr_integ(LCR_INTEG_MD5_128, pw20, sizeof(pw20),
		    data, (size_t)n, out), 0);
		CHECK_MEM(out, exp, 16);
	}
	/* passwords are at most 20 bytes */
	memset(longpw, 'x', sizeof(longpw));
	CHECK_EQ(lcr_integ(LCR_INTEG_MD5_128, longpw, sizeof(longpw),
	    data, (size_t)n, out), -1);
}

/* NIST SP 800-38A appendix F.2.1 / F.2.2, CBC-AES128 */
static const char nist_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char nist_iv[] = "000102030405060708090a0b0c0d0e0f";
static const char nist_pt[] =
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710";
static const char nist_ct[] =
    "7649abac8119b246cee98e9b12e9197d"
    "5086cb9b507219ee95db113a917678b2"
    "73bed6b8e3c1743b7116e69e22229516"
    "3ff1caa1681fac09120eca307586e1a7";

static void
test_aes_cbc_encrypt_nist(void)
{
	uint8_t key[16], iv[16], pt[64], ct[64], out[64];

	CHECK_EQ(harness_hex(nist_key, key, sizeof(key)), 16);
	CHECK_EQ(harness_hex(nist_iv, iv, sizeof(iv)), 16);
	CHECK_EQ(harness_hex(nist_pt, pt, sizeof(pt)), 64);
	CHECK_EQ(harness_hex(nist_ct, ct, sizeof(ct)), 64);
	memset(out, 0, sizeof(out));
	CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, pt, sizeof(pt), out), 0);
	CHECK_MEM(out, ct, 64);
	/* in place */
	memcpy(out, pt, sizeof(out));
	CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, out, sizeof(out), out), 0);
	CHECK_MEM(out, ct, 64);
	/* one block at a time, chaining the IV by hand */
	CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, pt, 16, out), 0);
	CHECK_EQ(lcr_aes_cbc_encrypt(key, ct, pt + 16, 16, out + 16), 0);
	CHECK_EQ(lcr_aes_cbc_encrypt(key, ct + 16, pt + 32, 16, out + 32), 0);
	CHECK_EQ(lcr_aes_cbc_encrypt(key, ct + 32, pt + 48, 16, out + 48), 0);
	CHECK_MEM(out, ct, 64);
}

static void
test_aes_cbc_decrypt_nist(void)
{
	uint8_t key[16], iv[16], pt[64], ct[64], out[64];

	CHECK_EQ(harness_hex(nist_key, key, sizeof(key)), 16);
	CHECK_EQ(harness_hex(nist_iv, iv, sizeof(iv)), 16);
	CHECK_EQ(harness_hex(nist_pt, pt, sizeof(pt)), 64);
	CHECK_EQ(harness_hex(nist_ct, ct, sizeof(ct)), 64);
	memset(out, 0, sizeof(out));
	CHECK_EQ(lcr_aes_cbc_decrypt(key, iv, ct, sizeof(ct), out), 0);
	CHECK_MEM(out, pt, 64);
	memcpy(out, ct, sizeof(out));
	CHECK_EQ(lcr_aes_cbc_decrypt(key, iv, out, sizeof(out), out), 0);
	CHECK_MEM(out, pt, 64);
	/* the last block alone, with the previous ciphertext as IV */
	CHECK_EQ(lcr_aes_cbc_decrypt(key, ct + 32, ct + 48, 16, out), 0);
	CHECK_MEM(out, pt + 48, 16);
}

static void
test_aes_cbc_lengths(void)
{
	uint8_t key[16], iv[16], buf[48], out[48];
	static const size_t bad[] = { 1, 15, 17, 31, 33, 47 };
	size_t i;

	memset(key, 0x11, sizeof(key));
	memset(iv, 0x22, sizeof(iv));
	memset(buf, 0x33, sizeof(buf));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0x77, sizeof(out));
		CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, buf, bad[i], out), -1);
		CHECK_EQ(lcr_aes_cbc_decrypt(key, iv, buf, bad[i], out), -1);
		CHECK_EQ(out[0], 0x77);
	}
	/* zero length is a multiple of 16: nothing to do */
	CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, buf, 0, out), 0);
	CHECK_EQ(lcr_aes_cbc_decrypt(key, iv, buf, 0, out), 0);
	/* round trip */
	CHECK_EQ(lcr_aes_cbc_encrypt(key, iv, buf, 48, out), 0);
	CHECK(memcmp(out, buf, 48) != 0);
	CHECK_EQ(lcr_aes_cbc_decrypt(key, iv, out, 48, out), 0);
	CHECK_MEM(out, buf, 48);
}

/* IPMI 1.5 MD5 AuthCode, section 22.17.1 */
static void
test_md5_authcode(void)
{
	uint8_t pw[16], data[7], exp[16], out[16];

	memset(pw, 0, sizeof(pw));
	(void)snprintf((char *)pw, sizeof(pw), "password");
	CHECK_EQ(harness_hex("2018c881040199", data, sizeof(data)), 7);
	/* python3 -c "import hashlib,struct;pw=b'password'.ljust(16,b'\0');
	 *   print(hashlib.md5(pw+struct.pack('<I',0x12345678)+
	 *   bytes.fromhex('2018c881040199')+struct.pack('<I',10)+pw)
	 *   .hexdigest())"
	 */
	CHECK_EQ(harness_hex("ecb906a9ddb44f97883b3b01fe7057f7", exp,
	    sizeof(exp)), 16);
	CHECK_EQ(lcr_md5_authcode(pw, 0x12345678, data, sizeof(data), 10,
	    out), 0);
	CHECK_MEM(out, exp, 16);
	/* byte order matters: swapping the session id changes the code */
	CHECK_EQ(lcr_md5_authcode(pw, 0x78563412, data, sizeof(data), 10,
	    out), 0);
	CHECK(memcmp(out, exp, 16) != 0);
}

/*
 * SIK, K1, K2 (sections 13.31, 13.32) for Rm = 00..0f, Rc = 10..1f,
 * RoleM = 0x14 (administrator, name-only lookup), user "admin", and
 * Kuid = "password" zero-padded to 20 bytes.  For each H in sha1, md5,
 * sha256:
 * python3 -c "import hmac;kg=b'password'.ljust(20,b'\0');
 *   m=bytes(range(16))+bytes(range(16,32))+bytes([0x14,5])+b'admin';
 *   s=hmac.new(kg,m,'H').digest();print(s.hex(),
 *   hmac.new(s,b'\x01'*20,'H').hexdigest(),
 *   hmac.new(s,b'\x02'*20,'H').hexdigest())"
 * (the K_n constant is 20 bytes for SHA-256 too, as in ipmitool and
 * FreeIPMI)
 */
static void
test_sik_kn(void)
{
	static const struct {
		uint8_t		 alg;
		const char	*sik, *k1, *k2;
	} v[] = {
		{ LCR_AUTH_HMAC_SHA1,
		  "122c77c4b11ccd93251cbae6c34a9cb6310da154",
		  "e4472be78f9a81fa68297aab696a7be8c97fc9f8",
		  "2b6552012a2517cb3b5713901d757a6efc7d8301" },
		{ LCR_AUTH_HMAC_MD5,
		  "f5aecc7e7958555f1a0cff5b39dbdb36",
		  "1a850f03ec7c1413d660cf08648e0be2",
		  "a9861046f4b96cf599fad35133e1445c" },
		{ LCR_AUTH_HMAC_SHA256,
		  "e5935f7199865ad961063477b0662684"
		  "e2ce9b1da8f2b8d41c5ce127d37e9bcf",
		  "dc4fe73d075306f6897115dd63257385"
		  "e845c10404fa1d73991790c6a101bec2",
		  "2a4f969ea6dfa83066f36674fdc2fea2"
		  "89fa1a21da90303e9b5269b54ec5adb5" },
	};
	uint8_t kg[20], rm[16], rc[16], exp[LCR_MAX_MAC];
	uint8_t sik[LCR_MAX_MAC], k[LCR_MAX_MAC];
	size_t i, len;

	memset(kg, 0, sizeof(kg));
	(void)snprintf((char *)kg, sizeof(kg), "password");
	for (i = 0; i < 16; i++) {
		rm[i] = (uint8_t)i;
		rc[i] = (uint8_t)(16 + i);
	}
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		len = lcr_auth_len(v[i].alg);
		CHECK_EQ(lcr_sik(v[i].alg, kg, sizeof(kg), rm, rc, 0x14,
		    "admin", 5, sik), 0);
		CHECK_EQ(harness_hex(v[i].sik, exp, sizeof(exp)), len);
		CHECK_MEM(sik, exp, len);
		CHECK_EQ(lcr_kn(v[i].alg, sik, 1, k), 0);
		CHECK_EQ(harness_hex(v[i].k1, exp, sizeof(exp)), len);
		CHECK_MEM(k, exp, len);
		CHECK_EQ(lcr_kn(v[i].alg, sik, 2, k), 0);
		CHECK_EQ(harness_hex(v[i].k2, exp, sizeof(exp)), len);
		CHECK_MEM(k, exp, len);
	}
	/* rejects: no auth algorithm, user names over 16 bytes */
	CHECK_EQ(lcr_sik(LCR_AUTH_NONE, kg, sizeof(kg), rm, rc, 0x14,
	    "admin", 5, sik), -1);
	CHECK_EQ(lcr_sik(LCR_AUTH_HMAC_SHA1, kg, sizeof(kg), rm, rc, 0x14,
	    "abcdefghijklmnopq", 17, sik), -1);
	CHECK_EQ(lcr_sik(LCR_AUTH_HMAC_SHA1, kg, sizeof(kg), rm, rc, 0x14,
	    NULL, 0, sik), 0);
	CHECK_EQ(lcr_kn(LCR_AUTH_NONE, sik, 1, k), -1);
}

static void
test_suite_table(void)
{
	/* table 22-20; -1 marks the xRC4 suites we don't do */
	static const int exp[18][4] = {
		{ 0, LCR_AUTH_NONE, LCR_INTEG_NONE, LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_SHA1, LCR_INTEG_NONE, LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96,
		  LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_SHA1, LCR_INTEG_HMAC_SHA1_96,
		  LCR_CONF_AES_CBC_128 },
		{ -1, 0, 0, 0 },
		{ -1, 0, 0, 0 },
		{ 0, LCR_AUTH_HMAC_MD5, LCR_INTEG_NONE, LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128,
		  LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_MD5, LCR_INTEG_HMAC_MD5_128,
		  LCR_CONF_AES_CBC_128 },
		{ -1, 0, 0, 0 },
		{ -1, 0, 0, 0 },
		{ 0, LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128, LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_MD5, LCR_INTEG_MD5_128,
		  LCR_CONF_AES_CBC_128 },
		{ -1, 0, 0, 0 },
		{ -1, 0, 0, 0 },
		{ 0, LCR_AUTH_HMAC_SHA256, LCR_INTEG_NONE, LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_SHA256, LCR_INTEG_HMAC_SHA256_128,
		  LCR_CONF_NONE },
		{ 0, LCR_AUTH_HMAC_SHA256, LCR_INTEG_HMAC_SHA256_128,
		  LCR_CONF_AES_CBC_128 },
	};
	struct lcr_suite s;
	int id;

	for (id = 0; id < 18; id++) {
		memset(&s, 0xee, sizeof(s));
		CHECK_EQ(lcr_suite(id, &s), exp[id][0]);
		if (exp[id][0] != 0)
			continue;
		CHECK_EQ(s.auth, exp[id][1]);
		CHECK_EQ(s.integ, exp[id][2]);
		CHECK_EQ(s.conf, exp[id][3]);
	}
	CHECK_EQ(lcr_suite(-1, &s), -1);
	CHECK_EQ(lcr_suite(18, &s), -1);
	CHECK_EQ(lcr_suite(255, &s), -1);
	CHECK_EQ(lcr_suite(3, NULL), -1);
}

static void
test_memcmp(void)
{
	uint8_t a[32], b[32];

	memset(a, 0x42, sizeof(a));
	memcpy(b, a, sizeof(b));
	CHECK_EQ(lcr_memcmp(a, b, sizeof(a)), 0);
	CHECK_EQ(lcr_memcmp(a, b, 0), 0);
	b[31] ^= 0x01;
	CHECK(lcr_memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ(lcr_memcmp(a, b, 31), 0);
	b[31] = a[31];
	b[0] ^= 0x80;
	CHECK(lcr_memcmp(a, b, sizeof(a)) != 0);
	CHECK(lcr_memcmp(a, b, 1) != 0);
}

static void
test_random_cleanse(void)
{
	uint8_t a[32], b[32], z[32];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(z, 0, sizeof(z));
	CHECK_EQ(lcr_random(a, sizeof(a)), 0);
	CHECK_EQ(lcr_random(b, sizeof(b)), 0);
	CHECK_EQ(lcr_random(NULL, 0), 0);
	/* 2^-256 chance of a false failure */
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK(memcmp(a, z, sizeof(a)) != 0);
	lcr_cleanse(a, sizeof(a));
	CHECK_MEM(a, z, sizeof(a));
	lcr_cleanse(NULL, 0);
}

int
main(void)
{
	RUN(test_hmac_sha1_rfc2202);
	RUN(test_hmac_md5_rfc2202);
	RUN(test_hmac_sha256_rfc4231);
	RUN(test_hmac_bad);
	RUN(test_integ_truncation);
	RUN(test_integ_md5_128);
	RUN(test_aes_cbc_encrypt_nist);
	RUN(test_aes_cbc_decrypt_nist);
	RUN(test_aes_cbc_lengths);
	RUN(test_md5_authcode);
	RUN(test_sik_kn);
	RUN(test_suite_table);
	RUN(test_memcmp);
	RUN(test_random_cleanse);
	return harness_end();
}
