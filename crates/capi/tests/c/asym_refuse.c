/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI test: what the public-key and key-generation calls refuse
   (NULL pointers, output buffers too small, values outside their enums,
   a compression instance handle) and their statistics (64-bit and the
   deprecated 32-bit structures, requests, completions, verify and test
   failures, refused requests left out of the completions).
   Usage: asym_refuse. */
#include <stdint.h>

#include <unistd.h>

#include "harness.h"
#include "cpa_dc.h"
#include "cpa_cy_dh.h"
#include "cpa_cy_dsa.h"
#include "cpa_cy_ec.h"
#include "cpa_cy_ecdh.h"
#include "cpa_cy_ecdsa.h"
#include "cpa_cy_ecsm2.h"
#include "cpa_cy_im.h"
#include "cpa_cy_key.h"
#include "cpa_cy_ln.h"
#include "cpa_cy_prime.h"
#include "cpa_cy_rsa.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

#define INVALID CPA_STATUS_INVALID_PARAM

static CpaInstanceHandle inst;

static CpaFlatBuffer bytes(const Cpa8U *v, Cpa32U n)
{
    CpaFlatBuffer b;
    b.pData = dma(n);
    memcpy(b.pData, v, n);
    b.dataLenInBytes = n;
    return b;
}

static CpaFlatBuffer zeros(Cpa32U n)
{
    CpaFlatBuffer b;
    b.pData = dma(n);
    memset(b.pData, 0, n);
    b.dataLenInBytes = n;
    return b;
}

static int calls;
static CpaStatus last_status;
static void cb_flat(void *tag, CpaStatus st, void *op, CpaFlatBuffer *out)
{
    calls++;
    last_status = st;
}

static void ln(void)
{
    static const Cpa8U m[] = {0x01, 0xf1}, b4[] = {4}, e13[] = {13};
    CpaCyLnModExpOpData op = {bytes(m, 2), bytes(b4, 1), bytes(e13, 1)};
    CpaFlatBuffer out = zeros(2), small = zeros(1), nodata = {2, NULL};
    CpaCyLnStats64 s0, s1;
    CpaCyLnStats s32;

    REQUIRE_OK(cpaCyLnStatsQuery64(inst, &s0));
    CHECK_OK(cpaCyLnModExp(inst, NULL, NULL, &op, &out));
    CHECK(out.pData[0] == 0x01 && out.pData[1] == 0xbd);
    /* Refused: NULL op data, NULL output, output too small, no pData, an
       empty modulus, a compression or made-up instance handle. */
    CHECK_STATUS(cpaCyLnModExp(inst, NULL, NULL, NULL, &out), INVALID);
    CHECK_STATUS(cpaCyLnModExp(inst, NULL, NULL, &op, NULL), INVALID);
    CHECK_STATUS(cpaCyLnModExp(inst, NULL, NULL, &op, &small), INVALID);
    CHECK_STATUS(cpaCyLnModExp(inst, NULL, NULL, &op, &nodata), INVALID);
    CpaCyLnModExpOpData empty = op;
    empty.modulus.dataLenInBytes = 0;
    CHECK_STATUS(cpaCyLnModExp(inst, NULL, NULL, &empty, &out), INVALID);
    Cpa16U ndc = 0;
    CHECK_OK(cpaDcGetNumInstances(&ndc));
    CHECK(ndc > 0); /* the SSL section has compression instances too */
    if (ndc > 0) {
        CpaInstanceHandle dc;
        REQUIRE_OK(cpaDcGetInstances(1, &dc));
        CHECK_STATUS(cpaCyLnModExp(dc, NULL, NULL, &op, &out), INVALID);
        CHECK_STATUS(cpaCyLnStatsQuery64(dc, &s1), INVALID);
    }
    static int not_a_handle;
    CHECK_STATUS(cpaCyLnModExp(&not_a_handle, NULL, NULL, &op, &out), INVALID);
    CHECK_STATUS(cpaCyLnStatsQuery64(inst, NULL), INVALID);

    /* No inverse: FAIL, counted as a completed error. */
    static const Cpa8U six[] = {6}, nine[] = {9};
    CpaCyLnModInvOpData inv = {bytes(six, 1), bytes(nine, 1)};
    CpaFlatBuffer o1 = zeros(1);
    CHECK_STATUS(cpaCyLnModInv(inst, NULL, NULL, &inv, &o1), CPA_STATUS_FAIL);

    /* Asynchronous: completes in a poll. */
    calls = 0;
    CHECK_OK(cpaCyLnModExp(inst, cb_flat, (void *)1, &op, &out));
    CHECK(calls == 0);
    /* Long enough for a loaded machine (a million polls, sleeping when idle). */
    for (int i = 0; i < 1000000 && !calls; i++)
        if (icp_sal_CyPollInstance(inst, 0) == CPA_STATUS_RETRY)
            usleep(20);
    CHECK(calls == 1 && last_status == CPA_STATUS_SUCCESS);

    REQUIRE_OK(cpaCyLnStatsQuery64(inst, &s1));
    CHECK(s1.numLnModExpRequests == s0.numLnModExpRequests + 2);
    CHECK(s1.numLnModExpCompleted == s0.numLnModExpCompleted + 2);
    CHECK(s1.numLnModExpCompletedErrors == s0.numLnModExpCompletedErrors);
    CHECK(s1.numLnModInvRequests == s0.numLnModInvRequests + 1);
    CHECK(s1.numLnModInvCompletedErrors == s0.numLnModInvCompletedErrors + 1);
    REQUIRE_OK(cpaCyLnStatsQuery(inst, &s32));
    CHECK(s32.numLnModExpCompleted == (Cpa32U)s1.numLnModExpCompleted);
    CHECK(s32.numLnModInvCompletedErrors == (Cpa32U)s1.numLnModInvCompletedErrors);
    ok("LN: results, refusals, async, statistics");
}

static void rsa(void)
{
    static const Cpa8U n[] = {0x01, 0xf1}, e[] = {5}, m[] = {4};
    CpaCyRsaPublicKey pub = {bytes(n, 2), bytes(e, 1)};
    CpaCyRsaEncryptOpData enc = {&pub, bytes(m, 1)};
    CpaFlatBuffer out = zeros(2);
    /* A 16-bit modulus: RSA takes 512 to 8192-bit moduli (a completed error). */
    CHECK_STATUS(cpaCyRsaEncrypt(inst, NULL, NULL, &enc, &out), INVALID);
    CpaCyRsaEncryptOpData nokey = {NULL, bytes(m, 1)};
    CHECK_STATUS(cpaCyRsaEncrypt(inst, NULL, NULL, &nokey, &out), INVALID);

    CpaCyRsaPrivateKey k;
    memset(&k, 0, sizeof k);
    k.version = CPA_CY_RSA_VERSION_TWO_PRIME;
    k.privateKeyRepType = CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1;
    k.privateKeyRep1.modulusN = bytes(n, 2);
    k.privateKeyRep1.privateExponentD = bytes(e, 1);
    CpaCyRsaDecryptOpData dec = {&k, bytes(m, 1)};
    k.version = 2;
    CHECK_STATUS(cpaCyRsaDecrypt(inst, NULL, NULL, &dec, &out), INVALID);
    k.version = CPA_CY_RSA_VERSION_TWO_PRIME;
    k.privateKeyRepType = 3;
    CHECK_STATUS(cpaCyRsaDecrypt(inst, NULL, NULL, &dec, &out), INVALID);
    k.privateKeyRepType = CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1;
    CHECK_STATUS(cpaCyRsaDpaDecrypt(inst, NULL, NULL, &dec, NULL, &out), INVALID);

    CpaCyRsaKeyGenOpData kg;
    memset(&kg, 0, sizeof kg);
    CpaCyRsaPublicKey kpub;
    memset(&kpub, 0, sizeof kpub);
    CHECK_STATUS(cpaCyRsaGenKey(inst, NULL, NULL, &kg, &k, &kpub), INVALID);
    CHECK_STATUS(cpaCyRsaGenKey(inst, NULL, NULL, NULL, &k, &kpub), INVALID);

    CpaCyRsaStats64 s;
    CpaCyRsaStats s32;
    REQUIRE_OK(cpaCyRsaQueryStats64(inst, &s));
    CHECK(s.numRsaEncryptRequests >= 1);
    CHECK(s.numRsaEncryptCompletedErrors >= 1);
    CHECK(s.numKptRsaDecryptRequests == 0);
    REQUIRE_OK(cpaCyRsaQueryStats(inst, &s32));
    CHECK(s32.numRsaEncryptCompletedErrors == (Cpa32U)s.numRsaEncryptCompletedErrors);
    ok("RSA: refusals, statistics");
}

static void ec(void)
{
    Cpa8U one = 1;
    CpaCyEcPointVerifyOpData v = {bytes(&one, 1), bytes(&one, 1), bytes(&one, 1),
                                  bytes(&one, 1), bytes(&one, 1), 7};
    CpaBoolean ok_ = CPA_FALSE;
    CHECK_STATUS(cpaCyEcPointVerify(inst, NULL, NULL, &v, &ok_), INVALID);
    v.fieldType = CPA_CY_EC_FIELD_TYPE_PRIME;
    CHECK_STATUS(cpaCyEcPointVerify(inst, NULL, NULL, &v, NULL), INVALID);

    CpaCyEcCurve c;
    memset(&c, 0, sizeof c);
    c.curveType = 9;
    CpaCyEcGenericPointVerifyOpData gv = {bytes(&one, 1), bytes(&one, 1), &c};
    CHECK_STATUS(cpaCyEcGenericPointVerify(inst, NULL, NULL, &gv, &ok_), INVALID);
    gv.pCurve = NULL;
    CHECK_STATUS(cpaCyEcGenericPointVerify(inst, NULL, NULL, &gv, &ok_), INVALID);
    /* A binary field: not supported by softqat. */
    static const Cpa8U p7[] = {7};
    c.curveType = CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_BINARY;
    c.parameters.weierstrassParameters.fieldType = CPA_CY_EC_FIELD_TYPE_BINARY;
    c.parameters.weierstrassParameters.p = bytes(p7, 1);
    c.parameters.weierstrassParameters.a = bytes(&one, 1);
    c.parameters.weierstrassParameters.b = bytes(&one, 1);
    gv.pCurve = &c;
    CHECK_STATUS(cpaCyEcGenericPointVerify(inst, NULL, NULL, &gv, &ok_), CPA_STATUS_UNSUPPORTED);

    CpaCyEcMontEdwdsPointMultiplyOpData med;
    memset(&med, 0, sizeof med);
    med.curveType = 9;
    med.generator = CPA_TRUE;
    med.k = zeros(32);
    CpaFlatBuffer x = zeros(32), y = zeros(32), x16 = zeros(16);
    CHECK_STATUS(cpaCyEcMontEdwdsPointMultiply(inst, NULL, NULL, &med, &ok_, &x, &y), INVALID);
    med.curveType = CPA_CY_EC_MONTEDWDS_CURVE25519_TYPE;
    med.k.pData[31] = 9;
    CHECK_STATUS(cpaCyEcMontEdwdsPointMultiply(inst, NULL, NULL, &med, &ok_, &x16, &y), INVALID);
    CHECK_STATUS(cpaCyEcMontEdwdsPointMultiply(inst, NULL, NULL, &med, NULL, &x, &y), INVALID);
    CHECK_OK(cpaCyEcMontEdwdsPointMultiply(inst, NULL, NULL, &med, &ok_, &x, &y));
    CHECK(ok_ == CPA_TRUE);

    CpaCyEcStats64 s;
    REQUIRE_OK(cpaCyEcQueryStats64(inst, &s));
    CHECK(s.numEcPointMultiplyCompleted >= 1);
    CpaCyEcdhStats64 sd;
    REQUIRE_OK(cpaCyEcdhQueryStats64(inst, &sd));
    CpaCyEcdsaStats64 se;
    REQUIRE_OK(cpaCyEcdsaQueryStats64(inst, &se));
    CHECK(se.numKptEcdsaSignRSRequests == 0);
    CpaCyEcsm2Stats64 s2;
    REQUIRE_OK(cpaCyEcsm2QueryStats64(inst, &s2));
    CHECK_STATUS(cpaCyEcsm2QueryStats64(inst, NULL), INVALID);

    CpaCyEcsm2GeneratorMultiplyOpData gm = {bytes(&one, 1), 5};
    CHECK_STATUS(cpaCyEcsm2GeneratorMultiply(inst, NULL, NULL, &gm, &ok_, &x, &y), INVALID);
    CpaCyEcsm2KeyExPhase1OpData k1 = {bytes(&one, 1), CPA_CY_EC_FIELD_TYPE_PRIME};
    CHECK_STATUS(cpaCyEcsm2KeyExPhase1(inst, NULL, NULL, &k1, NULL), INVALID);
    ok("EC: refusals, statistics");
}

static void prime_and_dsa(void)
{
    static const Cpa8U composite[] = {0x00, 0xdd}; /* 221 = 13 * 17 */
    CpaCyPrimeTestOpData p;
    memset(&p, 0, sizeof p);
    p.primeCandidate = bytes(composite, 2);
    p.performFermatTest = CPA_TRUE;
    CpaCyPrimeStats64 s0, s1;
    CpaCyPrimeStats s32;
    REQUIRE_OK(cpaCyPrimeQueryStats64(inst, &s0));
    CpaBoolean passed = CPA_TRUE;
    CHECK_OK(cpaCyPrimeTest(inst, NULL, NULL, &p, &passed));
    CHECK(passed == CPA_FALSE);
    CHECK_STATUS(cpaCyPrimeTest(inst, NULL, NULL, &p, NULL), INVALID);
    REQUIRE_OK(cpaCyPrimeQueryStats64(inst, &s1));
    CHECK(s1.numPrimeTestFailures == s0.numPrimeTestFailures + 1);
    CHECK(s1.numPrimeTestCompleted == s0.numPrimeTestCompleted + 1);
    REQUIRE_OK(cpaCyPrimeQueryStats(inst, &s32));
    CHECK(s32.numPrimeTestFailures == (Cpa32U)s1.numPrimeTestFailures);

    CpaCyDsaVerifyOpData v;
    memset(&v, 0, sizeof v);
    CpaBoolean vs;
    CHECK_STATUS(cpaCyDsaVerify(inst, NULL, NULL, &v, &vs), INVALID);
    CpaCyDsaStats64 d;
    CpaCyDsaStats d32;
    REQUIRE_OK(cpaCyDsaQueryStats64(inst, &d));
    REQUIRE_OK(cpaCyDsaQueryStats(inst, &d32));
    CHECK(d32.numDsaVerifyRequests == (Cpa32U)d.numDsaVerifyRequests);
    CpaCyDhStats64 h;
    CpaCyDhStats h32;
    REQUIRE_OK(cpaCyDhQueryStats64(inst, &h));
    REQUIRE_OK(cpaCyDhQueryStats(inst, &h32));
    CpaCyDhPhase1KeyGenOpData dh;
    memset(&dh, 0, sizeof dh);
    CpaFlatBuffer out = zeros(8);
    CHECK_STATUS(cpaCyDhKeyGenPhase1(inst, NULL, NULL, &dh, &out), INVALID);
    ok("prime, DSA, DH: refusals, statistics");
}

static void keygen(void)
{
    static const Cpa8U secret[48] = {1}, seed[64] = {2};
    CpaCyKeyGenTlsOpData t;
    memset(&t, 0, sizeof t);
    t.tlsOp = CPA_CY_KEY_TLS_OP_MASTER_SECRET_DERIVE;
    t.secret = bytes(secret, 48);
    t.seed = bytes(seed, 64);
    t.generatedKeyLenInBytes = 48;
    CpaFlatBuffer out = zeros(48), small = zeros(47);
    CHECK_OK(cpaCyKeyGenTls2(inst, NULL, NULL, &t, CPA_CY_SYM_HASH_SHA256, &out));
    CHECK_STATUS(cpaCyKeyGenTls2(inst, NULL, NULL, &t, CPA_CY_SYM_HASH_SHA256, &small), INVALID);
    CHECK_STATUS(cpaCyKeyGenTls2(inst, NULL, NULL, &t, 99, &out), INVALID);
    t.tlsOp = 9;
    CHECK_STATUS(cpaCyKeyGenTls(inst, NULL, NULL, &t, &out), INVALID);

    CpaCyKeyGenSslOpData ssl;
    memset(&ssl, 0, sizeof ssl);
    ssl.sslOp = 7;
    CHECK_STATUS(cpaCyKeyGenSsl(inst, NULL, NULL, &ssl, &out), INVALID);

    CpaCyKeyGenHKDFOpData *hk = dma(sizeof *hk);
    memset(hk, 0, sizeof *hk);
    hk->hkdfKeyOp = CPA_CY_HKDF_KEY_EXTRACT;
    hk->secretLen = 32;
    CpaFlatBuffer h32 = zeros(32);
    CHECK_OK(cpaCyKeyGenTls3(inst, NULL, NULL, hk, CPA_CY_HKDF_TLS_AES_128_GCM_SHA256, &h32));
    CHECK_STATUS(cpaCyKeyGenTls3(inst, NULL, NULL, hk, 9, &h32), INVALID);
    CHECK_STATUS(cpaCyKeyGenTls3(inst, NULL, NULL, hk, CPA_CY_HKDF_TLS_AES_256_GCM_SHA384, &h32),
                 INVALID); /* 48 bytes needed */
    hk->secretLen = 81;
    CHECK_STATUS(cpaCyKeyGenTls3(inst, NULL, NULL, hk, CPA_CY_HKDF_TLS_AES_128_GCM_SHA256, &h32),
                 INVALID);
    hk->secretLen = 32;
    hk->hkdfKeyOp = 3;
    CHECK_STATUS(cpaCyKeyGenTls3(inst, NULL, NULL, hk, CPA_CY_HKDF_TLS_AES_128_GCM_SHA256, &h32),
                 INVALID);

    CpaCyKeyGenMgfOpDataExt m;
    memset(&m, 0, sizeof m);
    m.baseOpData.seedBuffer = bytes(seed, 16);
    m.baseOpData.maskLenInBytes = 32;
    m.hashAlgorithm = 77;
    CHECK_STATUS(cpaCyKeyGenMgfExt(inst, NULL, NULL, &m, &out), INVALID);
    CHECK_OK(cpaCyKeyGenMgf(inst, NULL, NULL, &m.baseOpData, &out));
    CHECK_STATUS(cpaCyKeyGenMgf(inst, NULL, NULL, NULL, &out), INVALID);

    CpaCyKeyGenStats64 s;
    CpaCyKeyGenStats s32;
    REQUIRE_OK(cpaCyKeyGenQueryStats64(inst, &s));
    CHECK(s.numTlsKeyGenCompleted >= 2);
    CHECK(s.numMgfKeyGenCompleted >= 1);
    REQUIRE_OK(cpaCyKeyGenQueryStats(inst, &s32));
    CHECK(s32.numTlsKeyGenCompleted == (Cpa32U)s.numTlsKeyGenCompleted);
    ok("key generation: refusals, statistics");
}

int main(void)
{
    /* The harness's file helpers are not needed here. */
    (void)fill_text;
    (void)write_file;
    REQUIRE_OK(icp_sal_userStart("SSL"));
    REQUIRE_OK(cpaGetInstances(CPA_ACC_SVC_TYPE_CRYPTO_ASYM, 1, &inst));
    REQUIRE_OK(cpaCyStartInstance(inst));
    CpaCyCapabilitiesInfo cap;
    REQUIRE_OK(cpaCyQueryCapabilities(inst, &cap));
    CHECK(cap.rsaSupported && cap.lnSupported && cap.ecdsaSupported && cap.keySupported);
    ln();
    rsa();
    ec();
    prime_and_dsa();
    keygen();
    CHECK_OK(cpaCyStopInstance(inst));
    CHECK_OK(icp_sal_userStop());
    return finish();
}
