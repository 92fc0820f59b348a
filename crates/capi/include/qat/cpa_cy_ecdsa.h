/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: ECDSA signing with a caller-given k, and verification. API
   facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_CY_ECDSA_H_
#define CPA_CY_ECDSA_H_

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_ec.h"

/* Inputs of cpaCyEcdsaSignR: generator (xg, yg), order n, modulus q,
   a, b, nonce k and field type. */
typedef struct
{
    CpaFlatBuffer xg;
    CpaFlatBuffer yg;
    CpaFlatBuffer n;
    CpaFlatBuffer q;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer k;
    CpaCyEcFieldType fieldType;
} CpaCyEcdsaSignROpData;

/* Inputs of cpaCyEcdsaSignS: digest m, private key d, r, nonce k,
   order n and field type. */
typedef struct
{
    CpaFlatBuffer m;
    CpaFlatBuffer d;
    CpaFlatBuffer r;
    CpaFlatBuffer k;
    CpaFlatBuffer n;
    CpaCyEcFieldType fieldType;
} CpaCyEcdsaSignSOpData;

/* Inputs of cpaCyEcdsaSignRS and cpaCyEcdsaDpaSignRS: curve and
   generator, nonce k, digest m and private key d. */
typedef struct
{
    CpaFlatBuffer xg;
    CpaFlatBuffer yg;
    CpaFlatBuffer n;
    CpaFlatBuffer q;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer k;
    CpaFlatBuffer m;
    CpaFlatBuffer d;
    CpaCyEcFieldType fieldType;
} CpaCyEcdsaSignRSOpData;

/* Inputs of cpaCyEcdsaVerify: curve and generator, digest m, signature
   (r, s) and public key (xp, yp). */
typedef struct
{
    CpaFlatBuffer xg;
    CpaFlatBuffer yg;
    CpaFlatBuffer n;
    CpaFlatBuffer q;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer m;
    CpaFlatBuffer r;
    CpaFlatBuffer s;
    CpaFlatBuffer xp;
    CpaFlatBuffer yp;
    CpaCyEcFieldType fieldType;
} CpaCyEcdsaVerifyOpData;

/* Per-instance ECDSA counters. softqat has no KPT: the numKpt* fields
   stay 0. */
typedef struct
{
    Cpa64U numEcdsaSignRRequests;
    Cpa64U numEcdsaSignRRequestErrors;
    Cpa64U numEcdsaSignRCompleted;
    Cpa64U numEcdsaSignRCompletedErrors;
    Cpa64U numEcdsaSignRCompletedOutputInvalid;
    Cpa64U numEcdsaSignSRequests;
    Cpa64U numEcdsaSignSRequestErrors;
    Cpa64U numEcdsaSignSCompleted;
    Cpa64U numEcdsaSignSCompletedErrors;
    Cpa64U numEcdsaSignSCompletedOutputInvalid;
    Cpa64U numEcdsaSignRSRequests;
    Cpa64U numEcdsaSignRSRequestErrors;
    Cpa64U numEcdsaSignRSCompleted;
    Cpa64U numEcdsaSignRSCompletedErrors;
    Cpa64U numEcdsaSignRSCompletedOutputInvalid;
    Cpa64U numEcdsaVerifyRequests;
    Cpa64U numEcdsaVerifyRequestErrors;
    Cpa64U numEcdsaVerifyCompleted;
    Cpa64U numEcdsaVerifyCompletedErrors;
    Cpa64U numEcdsaVerifyCompletedOutputInvalid;
    Cpa64U numKptEcdsaSignRSCompletedOutputInvalid;
    Cpa64U numKptEcdsaSignRSCompleted;
    Cpa64U numKptEcdsaSignRSRequests;
    Cpa64U numKptEcdsaSignRSRequestErrors;
    Cpa64U numKptEcdsaSignRSCompletedErrors;
} CpaCyEcdsaStats64;

/* Callback of cpaCyEcdsaSignR and cpaCyEcdsaSignS (one output). */
typedef void (*CpaCyEcdsaGenSignCbFunc)(void *pCallbackTag,
                                        CpaStatus status,
                                        void *pOpData,
                                        CpaBoolean multiplyStatus,
                                        CpaFlatBuffer *pOut);

/* Callback of cpaCyEcdsaSignRS and cpaCyEcdsaDpaSignRS. */
typedef void (*CpaCyEcdsaSignRSCbFunc)(void *pCallbackTag,
                                       CpaStatus status,
                                       void *pOpData,
                                       CpaBoolean multiplyStatus,
                                       CpaFlatBuffer *pR,
                                       CpaFlatBuffer *pS);

/* Callback of cpaCyEcdsaVerify. */
typedef void (*CpaCyEcdsaVerifyCbFunc)(void *pCallbackTag,
                                       CpaStatus status,
                                       void *pOpData,
                                       CpaBoolean verifyStatus);

/* r = x(k * G) mod n. A NULL callback makes every call in this header
   synchronous. */
CpaStatus cpaCyEcdsaSignR(const CpaInstanceHandle instanceHandle,
                          const CpaCyEcdsaGenSignCbFunc pCb,
                          void *pCallbackTag,
                          const CpaCyEcdsaSignROpData *pOpData,
                          CpaBoolean *pSignStatus,
                          CpaFlatBuffer *pR);

/* s = k^-1 (m + d r) mod n. */
CpaStatus cpaCyEcdsaSignS(const CpaInstanceHandle instanceHandle,
                          const CpaCyEcdsaGenSignCbFunc pCb,
                          void *pCallbackTag,
                          const CpaCyEcdsaSignSOpData *pOpData,
                          CpaBoolean *pSignStatus,
                          CpaFlatBuffer *pS);

/* r and s in one call. */
CpaStatus cpaCyEcdsaSignRS(const CpaInstanceHandle instanceHandle,
                           const CpaCyEcdsaSignRSCbFunc pCb,
                           void *pCallbackTag,
                           const CpaCyEcdsaSignRSOpData *pOpData,
                           CpaBoolean *pSignStatus,
                           CpaFlatBuffer *pR,
                           CpaFlatBuffer *pS);

/* r and s with side-channel (DPA) countermeasures, using pRandom or
   library randomness (createRandomData); same result as SignRS. */
CpaStatus cpaCyEcdsaDpaSignRS(const CpaInstanceHandle instanceHandle,
                              const CpaCyEcdsaSignRSCbFunc pCb,
                              void *pCallbackTag,
                              const CpaCyEcdsaSignRSOpData *pOpData,
                              const CpaFlatBuffer *pRandom,
                              const CpaBoolean createRandomData,
                              CpaBoolean *pSignStatus,
                              CpaFlatBuffer *pR,
                              CpaFlatBuffer *pS);

/* Check signature (r, s) over digest m against public key (xp, yp). */
CpaStatus cpaCyEcdsaVerify(const CpaInstanceHandle instanceHandle,
                           const CpaCyEcdsaVerifyCbFunc pCb,
                           void *pCallbackTag,
                           const CpaCyEcdsaVerifyOpData *pOpData,
                           CpaBoolean *pVerifyStatus);

/* Read the instance's ECDSA counters. */
CpaStatus cpaCyEcdsaQueryStats64(const CpaInstanceHandle instanceHandle,
                                 CpaCyEcdsaStats64 *pEcdsaStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_ECDSA_H_ */
