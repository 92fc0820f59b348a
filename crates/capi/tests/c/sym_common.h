/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat C ABI tests: what the symmetric test programs share — buffer
   lists, hex in and out, session setup helpers. */
#ifndef SOFTQAT_TEST_SYM_COMMON_H
#define SOFTQAT_TEST_SYM_COMMON_H

#include "harness.h"
#include "cpa_cy_im.h"
#include "cpa_cy_sym.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"

/* Not every program uses every helper. */
#define SYM_HELPER static __attribute__((unused))

static CpaInstanceHandle inst;

/* A list of one buffer over `data` (metadata from the crypto instance). */
SYM_HELPER CpaBufferList *one_buffer(Cpa8U *data, Cpa32U len)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = 1;
    l->pBuffers = dma(sizeof(CpaFlatBuffer));
    l->pBuffers[0].pData = data;
    l->pBuffers[0].dataLenInBytes = len;
    Cpa32U meta = 0;
    CHECK_OK(cpaCyBufferListGetMetaSize(inst, 1, &meta));
    l->pPrivateMetaData = dma(meta);
    return l;
}

/* A list over `data` cut into `n` uneven pieces. */
SYM_HELPER CpaBufferList *pieces(Cpa8U *data, Cpa32U len, Cpa32U n)
{
    CpaBufferList *l = dma(sizeof(CpaBufferList));
    l->numBuffers = n;
    l->pBuffers = dma(n * sizeof(CpaFlatBuffer));
    Cpa32U at = 0;
    for (Cpa32U i = 0; i < n; i++) {
        Cpa32U part = (i + 1 == n) ? len - at : (len / n) + (i * 37) % 101 - 50;
        l->pBuffers[i].pData = data + at;
        l->pBuffers[i].dataLenInBytes = part;
        at += part;
    }
    Cpa32U meta = 0;
    CHECK_OK(cpaCyBufferListGetMetaSize(inst, n, &meta));
    l->pPrivateMetaData = dma(meta);
    return l;
}

SYM_HELPER void free_list(CpaBufferList *l)
{
    void *p = l->pPrivateMetaData;
    qaeMemFreeNUMA(&p);
    p = l->pBuffers;
    qaeMemFreeNUMA(&p);
    p = l;
    qaeMemFreeNUMA(&p);
}

SYM_HELPER int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses hex ("-" is empty) into `out`; the byte count. */
SYM_HELPER size_t unhex(const char *s, Cpa8U *out)
{
    if (strcmp(s, "-") == 0)
        return 0;
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++)
        out[i] = (Cpa8U)(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
    return n;
}

SYM_HELPER void put_hex(FILE *f, const Cpa8U *p, size_t n)
{
    if (n == 0)
        fputs("-", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

/* One named output line for the Rust side: `name hex`. */
SYM_HELPER void put_named(FILE *f, const char *name, const Cpa8U *p, size_t n)
{
    fprintf(f, "%s ", name);
    put_hex(f, p, n);
    fputc('\n', f);
}

SYM_HELPER void setup_cipher(CpaCySymSessionSetupData *sd, CpaCySymCipherAlgorithm alg,
                         Cpa8U *key, Cpa32U klen, CpaCySymCipherDirection dir)
{
    memset(sd, 0, sizeof *sd);
    sd->sessionPriority = CPA_CY_PRIORITY_NORMAL;
    sd->symOperation = CPA_CY_SYM_OP_CIPHER;
    sd->cipherSetupData.cipherAlgorithm = alg;
    sd->cipherSetupData.pCipherKey = key;
    sd->cipherSetupData.cipherKeyLenInBytes = klen;
    sd->cipherSetupData.cipherDirection = dir;
}

SYM_HELPER void setup_hash(CpaCySymSessionSetupData *sd, CpaCySymHashAlgorithm alg,
                       CpaCySymHashMode mode, Cpa32U dlen, Cpa8U *key, Cpa32U klen)
{
    memset(sd, 0, sizeof *sd);
    sd->sessionPriority = CPA_CY_PRIORITY_NORMAL;
    sd->symOperation = CPA_CY_SYM_OP_HASH;
    sd->hashSetupData.hashAlgorithm = alg;
    sd->hashSetupData.hashMode = mode;
    sd->hashSetupData.digestResultLenInBytes = dlen;
    sd->hashSetupData.authModeSetupData.authKey = key;
    sd->hashSetupData.authModeSetupData.authKeyLenInBytes = klen;
}

/* An authenticated cipher as QAT sets it up: a chain of the cipher with its
   own hash, cipher first when encrypting, hash first when decrypting. */
SYM_HELPER void setup_aead(CpaCySymSessionSetupData *sd, CpaCySymCipherAlgorithm alg,
                       Cpa8U *key, Cpa32U klen, CpaCySymCipherDirection dir, Cpa32U tag,
                       Cpa32U aad)
{
    memset(sd, 0, sizeof *sd);
    sd->sessionPriority = CPA_CY_PRIORITY_HIGH;
    sd->symOperation = CPA_CY_SYM_OP_ALGORITHM_CHAINING;
    sd->cipherSetupData.cipherAlgorithm = alg;
    sd->cipherSetupData.pCipherKey = key;
    sd->cipherSetupData.cipherKeyLenInBytes = klen;
    sd->cipherSetupData.cipherDirection = dir;
    sd->hashSetupData.hashAlgorithm =
        alg == CPA_CY_SYM_CIPHER_AES_CCM ? CPA_CY_SYM_HASH_AES_CCM : CPA_CY_SYM_HASH_AES_GCM;
    sd->hashSetupData.hashMode = CPA_CY_SYM_HASH_MODE_AUTH;
    sd->hashSetupData.digestResultLenInBytes = tag;
    sd->hashSetupData.authModeSetupData.aadLenInBytes = aad;
    sd->algChainOrder = dir == CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT
                            ? CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH
                            : CPA_CY_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER;
    sd->digestIsAppended = CPA_TRUE;
    sd->verifyDigest = dir == CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT ? CPA_TRUE : CPA_FALSE;
}

SYM_HELPER CpaCySymSessionCtx new_session(CpaCySymSessionSetupData *sd, CpaCySymCbFunc cb)
{
    Cpa32U size = 0, dyn = 0;
    CHECK_OK(cpaCySymSessionCtxGetSize(inst, sd, &size));
    CHECK_OK(cpaCySymSessionCtxGetDynamicSize(inst, sd, &dyn));
    CHECK(size > 0 && dyn > 0 && dyn <= size);
    CpaCySymSessionCtx s = dma(size);
    REQUIRE_OK(cpaCySymInitSession(inst, cb, sd, s));
    return s;
}

SYM_HELPER void drop_session(CpaCySymSessionCtx s)
{
    CHECK_OK(cpaCySymRemoveSession(inst, s));
    qaeMemFreeNUMA(&s);
}

/* The first crypto instance with symmetric service, started. */
SYM_HELPER void start_crypto(void)
{
    (void)write_file; /* harness.h's, unused by these programs */
    REQUIRE_OK(icp_sal_userStart("SSL"));
    Cpa16U n = 0;
    REQUIRE_OK(cpaGetNumInstances(CPA_ACC_SVC_TYPE_CRYPTO_SYM, &n));
    CHECK(n >= 1);
    CpaInstanceHandle hs[64];
    REQUIRE_OK(cpaGetInstances(CPA_ACC_SVC_TYPE_CRYPTO_SYM, n, hs));
    inst = hs[0];
    REQUIRE_OK(cpaCyStartInstance(inst));
    CHECK_OK(cpaCySetAddressTranslation(inst, qaeVirtToPhysNUMA));
}

#endif
