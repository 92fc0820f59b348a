/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: SM2 (GB/T 32918) primitives on the SM2 curve: point and
   generator multiplication, point check, sign/verify, the encryption and
   key exchange point steps. API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_CY_ECSM2_H_
#define CPA_CY_ECSM2_H_

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_ec.h"

/* Inputs of cpaCyEcsm2Encrypt: nonce k and recipient public key. */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer xP;
    CpaFlatBuffer yP;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2EncryptOpData;

/* Inputs of cpaCyEcsm2Decrypt: private key d and point C1 = (x1, y1). */
typedef struct
{
    CpaFlatBuffer d;
    CpaFlatBuffer x1;
    CpaFlatBuffer y1;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2DecryptOpData;

/* Inputs of cpaCyEcsm2PointMultiply: scalar k and point (x, y). */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer x;
    CpaFlatBuffer y;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2PointMultiplyOpData;

/* Inputs of cpaCyEcsm2GeneratorMultiply: scalar k. */
typedef struct
{
    CpaFlatBuffer k;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2GeneratorMultiplyOpData;

/* Inputs of cpaCyEcsm2PointVerify: point (x, y). */
typedef struct
{
    CpaFlatBuffer x;
    CpaFlatBuffer y;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2PointVerifyOpData;

/* Inputs of cpaCyEcsm2Sign: nonce k, digest e and private key d. */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer e;
    CpaFlatBuffer d;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2SignOpData;

/* Inputs of cpaCyEcsm2Verify: digest e, signature (r, s) and public
   key (xP, yP). */
typedef struct
{
    CpaFlatBuffer e;
    CpaFlatBuffer r;
    CpaFlatBuffer s;
    CpaFlatBuffer xP;
    CpaFlatBuffer yP;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2VerifyOpData;

/* Inputs of cpaCyEcsm2KeyExPhase1: ephemeral scalar r. */
typedef struct
{
    CpaFlatBuffer r;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2KeyExPhase1OpData;

/* Inputs of cpaCyEcsm2KeyExPhase2: our r and d, the peer's x1, our
   phase-1 point (x2, y2) and the peer's public key (xP, yP). */
typedef struct
{
    CpaFlatBuffer r;
    CpaFlatBuffer d;
    CpaFlatBuffer x1;
    CpaFlatBuffer x2;
    CpaFlatBuffer y2;
    CpaFlatBuffer xP;
    CpaFlatBuffer yP;
    CpaCyEcFieldType fieldType;
} CpaCyEcsm2KeyExPhase2OpData;

/* Outputs of cpaCyEcsm2Encrypt: k*G = (x1, y1) and k*P = (x2, y2). */
typedef struct
{
    CpaFlatBuffer x1;
    CpaFlatBuffer y1;
    CpaFlatBuffer x2;
    CpaFlatBuffer y2;
} CpaCyEcsm2EncryptOutputData;

/* Output of cpaCyEcsm2Decrypt: d*C1 = (x2, y2). */
typedef struct
{
    CpaFlatBuffer x2;
    CpaFlatBuffer y2;
} CpaCyEcsm2DecryptOutputData;

/* Output point of either key exchange phase. */
typedef struct
{
    CpaFlatBuffer x;
    CpaFlatBuffer y;
} CpaCyEcsm2KeyExOutputData;

/* Per-instance SM2 counters, five per operation. */
typedef struct
{
    Cpa64U numEcsm2PointMultiplyRequests;
    Cpa64U numEcsm2PointMultiplyRequestErrors;
    Cpa64U numEcsm2PointMultiplyCompleted;
    Cpa64U numEcsm2PointMultiplyCompletedError;
    Cpa64U numEcsm2PointMultiplyCompletedOutputInvalid;

    Cpa64U numEcsm2GeneratorMultiplyRequests;
    Cpa64U numEcsm2GeneratorMultiplyRequestErrors;
    Cpa64U numEcsm2GeneratorMultiplyCompleted;
    Cpa64U numEcsm2GeneratorMultiplyCompletedError;
    Cpa64U numEcsm2GeneratorMultiplyCompletedOutputInvalid;

    Cpa64U numEcsm2PointVerifyRequests;
    Cpa64U numEcsm2PointVerifyRequestErrors;
    Cpa64U numEcsm2PointVerifyCompleted;
    Cpa64U numEcsm2PointVerifyCompletedError;
    Cpa64U numEcsm2PointVerifyCompletedOutputInvalid;

    Cpa64U numEcsm2SignRequests;
    Cpa64U numEcsm2SignRequestErrors;
    Cpa64U numEcsm2SignCompleted;
    Cpa64U numEcsm2SignCompletedError;
    Cpa64U numEcsm2SignCompletedOutputInvalid;

    Cpa64U numEcsm2VerifyRequests;
    Cpa64U numEcsm2VerifyRequestErrors;
    Cpa64U numEcsm2VerifyCompleted;
    Cpa64U numEcsm2VerifyCompletedError;
    Cpa64U numEcsm2VerifyCompletedOutputInvalid;

    Cpa64U numEcsm2EncryptRequests;
    Cpa64U numEcsm2EncryptRequestErrors;
    Cpa64U numEcsm2EncryptCompleted;
    Cpa64U numEcsm2EncryptCompletedError;
    Cpa64U numEcsm2EncryptCompletedOutputInvalid;

    Cpa64U numEcsm2DecryptRequests;
    Cpa64U numEcsm2DecryptRequestErrors;
    Cpa64U numEcsm2DecryptCompleted;
    Cpa64U numEcsm2DecryptCompletedError;
    Cpa64U numEcsm2DecryptCompletedOutputInvalid;

    Cpa64U numEcsm2KeyExPhase1Requests;
    Cpa64U numEcsm2KeyExPhase1RequestErrors;
    Cpa64U numEcsm2KeyExPhase1Completed;
    Cpa64U numEcsm2KeyExPhase1CompletedError;
    Cpa64U numEcsm2KeyExPhase1CompletedOutputInvalid;

    Cpa64U numEcsm2KeyExPhase2Requests;
    Cpa64U numEcsm2KeyExPhase2RequestErrors;
    Cpa64U numEcsm2KeyExPhase2Completed;
    Cpa64U numEcsm2KeyExPhase2CompletedError;
    Cpa64U numEcsm2KeyExPhase2CompletedOutputInvalid;
} CpaCyEcsm2Stats64;

/* Callback of cpaCyEcsm2Sign. */
typedef void (*CpaCyEcsm2SignCbFunc)(void *pCallbackTag,
                                     CpaStatus status,
                                     void *pOpData,
                                     CpaBoolean pass,
                                     CpaFlatBuffer *pR,
                                     CpaFlatBuffer *pS);

/* Callback of cpaCyEcsm2Verify. */
typedef void (*CpaCyEcsm2VerifyCbFunc)(void *pCallbackTag,
                                       CpaStatus status,
                                       void *pOpData,
                                       CpaBoolean verifyStatus);

/* (xk, yk) = k * (x, y) on the SM2 curve. A NULL callback makes every
   call in this header synchronous. */
CpaStatus cpaCyEcsm2PointMultiply(const CpaInstanceHandle instanceHandle,
                                  const CpaCyEcPointMultiplyCbFunc pCb,
                                  void *pCallbackTag,
                                  const CpaCyEcsm2PointMultiplyOpData *pOpData,
                                  CpaBoolean *pMultiplyStatus,
                                  CpaFlatBuffer *pXk,
                                  CpaFlatBuffer *pYk);

/* (xk, yk) = k * G on the SM2 curve. */
CpaStatus cpaCyEcsm2GeneratorMultiply(
    const CpaInstanceHandle instanceHandle,
    const CpaCyEcPointMultiplyCbFunc pCb,
    void *pCallbackTag,
    const CpaCyEcsm2GeneratorMultiplyOpData *pOpData,
    CpaBoolean *pMultiplyStatus,
    CpaFlatBuffer *pXk,
    CpaFlatBuffer *pYk);

/* Is (x, y) a point of the SM2 curve. */
CpaStatus cpaCyEcsm2PointVerify(const CpaInstanceHandle instanceHandle,
                                const CpaCyEcPointVerifyCbFunc pCb,
                                void *pCallbackTag,
                                const CpaCyEcsm2PointVerifyOpData *pOpData,
                                CpaBoolean *pVerifyStatus);

/* SM2 signature (r, s) of digest e with nonce k and key d. */
CpaStatus cpaCyEcsm2Sign(const CpaInstanceHandle instanceHandle,
                         const CpaCyEcsm2SignCbFunc pCb,
                         void *pCallbackTag,
                         const CpaCyEcsm2SignOpData *pOpData,
                         CpaBoolean *pSignStatus,
                         CpaFlatBuffer *pR,
                         CpaFlatBuffer *pS);

/* Check an SM2 signature. */
CpaStatus cpaCyEcsm2Verify(const CpaInstanceHandle instanceHandle,
                           const CpaCyEcsm2VerifyCbFunc pCb,
                           void *pCallbackTag,
                           const CpaCyEcsm2VerifyOpData *pOpData,
                           CpaBoolean *pVerifyStatus);

/* Point step of SM2 encryption (C1 and k*P); the KDF and hashing stay
   with the caller. */
CpaStatus cpaCyEcsm2Encrypt(const CpaInstanceHandle instanceHandle,
                            const CpaCyGenFlatBufCbFunc pCb,
                            void *pCallbackTag,
                            const CpaCyEcsm2EncryptOpData *pOpData,
                            CpaCyEcsm2EncryptOutputData *pOutputData);

/* Point step of SM2 decryption (d * C1). */
CpaStatus cpaCyEcsm2Decrypt(const CpaInstanceHandle instanceHandle,
                            const CpaCyGenFlatBufCbFunc pCb,
                            void *pCallbackTag,
                            const CpaCyEcsm2DecryptOpData *pOpData,
                            CpaCyEcsm2DecryptOutputData *pOutputData);

/* Key exchange phase 1: R = r * G. */
CpaStatus cpaCyEcsm2KeyExPhase1(const CpaInstanceHandle instanceHandle,
                                const CpaCyGenFlatBufCbFunc pCb,
                                void *pCallbackTag,
                                const CpaCyEcsm2KeyExPhase1OpData *pOpData,
                                CpaCyEcsm2KeyExOutputData *pOutputData);

/* Key exchange phase 2: the shared point from both parties' values. */
CpaStatus cpaCyEcsm2KeyExPhase2(const CpaInstanceHandle instanceHandle,
                                const CpaCyGenFlatBufCbFunc pCb,
                                void *pCallbackTag,
                                const CpaCyEcsm2KeyExPhase2OpData *pOpData,
                                CpaCyEcsm2KeyExOutputData *pOutputData);

/* Read the instance's SM2 counters. */
CpaStatus cpaCyEcsm2QueryStats64(const CpaInstanceHandle instanceHandle,
                                 CpaCyEcsm2Stats64 *pEcsm2Stats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_ECSM2_H_ */
