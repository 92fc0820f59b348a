/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: RSA primitives (key generation from caller primes, encrypt,
   decrypt). API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef CPA_CY_RSA_H
#define CPA_CY_RSA_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* PKCS #1 version of a key; only two-prime keys exist. */
typedef enum
{
    CPA_CY_RSA_VERSION_TWO_PRIME = 1
} CpaCyRsaVersion;

/* Public key (n, e). Numbers are big-endian byte strings. */
typedef struct
{
    CpaFlatBuffer modulusN;
    CpaFlatBuffer publicExponentE;
} CpaCyRsaPublicKey;

/* Private key, representation 1: (n, d). */
typedef struct
{
    CpaFlatBuffer modulusN;
    CpaFlatBuffer privateExponentD;
} CpaCyRsaPrivateKeyRep1;

/* Private key, representation 2 (CRT): p, q, dP, dQ, qInv. */
typedef struct
{
    CpaFlatBuffer prime1P;
    CpaFlatBuffer prime2Q;
    CpaFlatBuffer exponent1Dp;
    CpaFlatBuffer exponent2Dq;
    CpaFlatBuffer coefficientQInv;
} CpaCyRsaPrivateKeyRep2;

/* Extra inputs of cpaCyRsaDpaDecrypt (blinded decryption): p, q, e and
   caller randomness, or createRandomData to have the library draw it. */
typedef struct
{
    CpaFlatBuffer *pRsaPrimeP;
    CpaFlatBuffer *pRsaPrimeQ;
    CpaFlatBuffer *pRsaPublicE;
    CpaFlatBuffer *pRandom;
    CpaBoolean createRandomData;
} CpaCyRsaDpaOpData;

/* Which private key representation a key (or key generation) uses. */
typedef enum
{
    CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1 = 1,
    CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2
} CpaCyRsaPrivateKeyRepType;

/* Private key: version, the representation in use and both
   representations (only the selected one is read). */
typedef struct
{
    CpaCyRsaVersion version;
    CpaCyRsaPrivateKeyRepType privateKeyRepType;
    CpaCyRsaPrivateKeyRep1 privateKeyRep1;
    CpaCyRsaPrivateKeyRep2 privateKeyRep2;
} CpaCyRsaPrivateKey;

/* Inputs of cpaCyRsaGenKey: the caller's primes p and q, the modulus
   length, the wanted representation and e. */
typedef struct
{
    CpaFlatBuffer prime1P;
    CpaFlatBuffer prime2Q;
    Cpa32U modulusLenInBytes;
    CpaCyRsaVersion version;
    CpaCyRsaPrivateKeyRepType privateKeyRepType;
    CpaFlatBuffer publicExponentE;
} CpaCyRsaKeyGenOpData;

/* Inputs of cpaCyRsaEncrypt (also the verify primitive). */
typedef struct
{
    CpaCyRsaPublicKey *pPublicKey;
    CpaFlatBuffer inputData;
} CpaCyRsaEncryptOpData;

/* Inputs of cpaCyRsaDecrypt (also the sign primitive). */
typedef struct
{
    CpaCyRsaPrivateKey *pRecipientPrivateKey;
    CpaFlatBuffer inputData;
} CpaCyRsaDecryptOpData;

/* Deprecated 32-bit RSA counters; use CpaCyRsaStats64. */
typedef struct
{
    Cpa32U numRsaKeyGenRequests;
    Cpa32U numRsaKeyGenRequestErrors;
    Cpa32U numRsaKeyGenCompleted;
    Cpa32U numRsaKeyGenCompletedErrors;
    Cpa32U numRsaEncryptRequests;
    Cpa32U numRsaEncryptRequestErrors;
    Cpa32U numRsaEncryptCompleted;
    Cpa32U numRsaEncryptCompletedErrors;
    Cpa32U numRsaDecryptRequests;
    Cpa32U numRsaDecryptRequestErrors;
    Cpa32U numRsaDecryptCompleted;
    Cpa32U numRsaDecryptCompletedErrors;
} CpaCyRsaStats CPA_DEPRECATED;

/* Per-instance RSA counters. softqat has no KPT: the numKpt* fields
   stay 0. */
typedef struct
{
    Cpa64U numRsaKeyGenRequests;
    Cpa64U numRsaKeyGenRequestErrors;
    Cpa64U numRsaKeyGenCompleted;
    Cpa64U numRsaKeyGenCompletedErrors;
    Cpa64U numRsaEncryptRequests;
    Cpa64U numRsaEncryptRequestErrors;
    Cpa64U numRsaEncryptCompleted;
    Cpa64U numRsaEncryptCompletedErrors;
    Cpa64U numRsaDecryptRequests;
    Cpa64U numRsaDecryptRequestErrors;
    Cpa64U numRsaDecryptCompleted;
    Cpa64U numRsaDecryptCompletedErrors;
    Cpa64U numKptRsaDecryptRequests;
    Cpa64U numKptRsaDecryptRequestErrors;
    Cpa64U numKptRsaDecryptCompleted;
    Cpa64U numKptRsaDecryptCompletedErrors;
} CpaCyRsaStats64;

/* Completion callback of cpaCyRsaGenKey. */
typedef void (*CpaCyRsaKeyGenCbFunc)(void *pCallbackTag,
                                     CpaStatus status,
                                     void *pKeyGenOpData,
                                     CpaCyRsaPrivateKey *pPrivateKey,
                                     CpaCyRsaPublicKey *pPublicKey);

/* Derive an RSA key pair from the caller's primes. A NULL callback makes
   every call in this header synchronous. */
CpaStatus cpaCyRsaGenKey(const CpaInstanceHandle instanceHandle,
                         const CpaCyRsaKeyGenCbFunc pRsaKeyGenCb,
                         void *pCallbackTag,
                         const CpaCyRsaKeyGenOpData *pKeyGenOpData,
                         CpaCyRsaPrivateKey *pPrivateKey,
                         CpaCyRsaPublicKey *pPublicKey);

/* out = input^e mod n. */
CpaStatus cpaCyRsaEncrypt(const CpaInstanceHandle instanceHandle,
                          const CpaCyGenFlatBufCbFunc pRsaEncryptCb,
                          void *pCallbackTag,
                          const CpaCyRsaEncryptOpData *pEncryptOpData,
                          CpaFlatBuffer *pOutputData);

/* out = input^d mod n, with either private key representation. */
CpaStatus cpaCyRsaDecrypt(const CpaInstanceHandle instanceHandle,
                          const CpaCyGenFlatBufCbFunc pRsaDecryptCb,
                          void *pCallbackTag,
                          const CpaCyRsaDecryptOpData *pDecryptOpData,
                          CpaFlatBuffer *pOutputData);

/* Decrypt with side-channel (DPA) countermeasures; same result as
   cpaCyRsaDecrypt. */
CpaStatus cpaCyRsaDpaDecrypt(const CpaInstanceHandle instanceHandle,
                             const CpaCyGenFlatBufCbFunc pRsaDecryptCb,
                             void *pCallbackTag,
                             const CpaCyRsaDecryptOpData *pDecryptOpData,
                             const CpaCyRsaDpaOpData *pDpaOpData,
                             CpaFlatBuffer *pOutputData);

/* Deprecated: 32-bit RSA counters. */
CpaStatus CPA_DEPRECATED
cpaCyRsaQueryStats(const CpaInstanceHandle instanceHandle,
                   CpaCyRsaStats *pRsaStats);

/* Read the instance's RSA counters. */
CpaStatus cpaCyRsaQueryStats64(const CpaInstanceHandle instanceHandle,
                               CpaCyRsaStats64 *pRsaStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_RSA_H */
