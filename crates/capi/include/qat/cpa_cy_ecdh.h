/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: elliptic-curve Diffie-Hellman point multiplication. API facts
   from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_CY_ECDH_H_
#define CPA_CY_ECDH_H_

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_ec.h"

/* Inputs of cpaCyEcdhPointMultiply: private scalar k, peer point
   (xg, yg), curve a, b, modulus q, cofactor h, field type, and whether to
   check the point is on the curve first. */
typedef struct
{
    CpaFlatBuffer k;
    CpaFlatBuffer xg;
    CpaFlatBuffer yg;
    CpaFlatBuffer a;
    CpaFlatBuffer b;
    CpaFlatBuffer q;
    CpaFlatBuffer h;
    CpaCyEcFieldType fieldType;
    CpaBoolean pointVerify;
} CpaCyEcdhPointMultiplyOpData;

/* Per-instance ECDH counters. */
typedef struct
{
    Cpa64U numEcdhPointMultiplyRequests;
    Cpa64U numEcdhPointMultiplyRequestErrors;
    Cpa64U numEcdhPointMultiplyCompleted;
    Cpa64U numEcdhPointMultiplyCompletedError;
    Cpa64U numEcdhRequestCompletedOutputInvalid;
} CpaCyEcdhStats64;

/* Callback of cpaCyEcdhPointMultiply. */
typedef void (*CpaCyEcdhPointMultiplyCbFunc)(void *pCallbackTag,
                                             CpaStatus status,
                                             void *pOpData,
                                             CpaBoolean multiplyStatus,
                                             CpaFlatBuffer *pXk,
                                             CpaFlatBuffer *pYk);

/* Shared point (xk, yk) = k * (xg, yg), optionally verifying the peer
   point. A NULL callback makes the call synchronous. */
CpaStatus cpaCyEcdhPointMultiply(const CpaInstanceHandle instanceHandle,
                                 const CpaCyEcdhPointMultiplyCbFunc pCb,
                                 void *pCallbackTag,
                                 const CpaCyEcdhPointMultiplyOpData *pOpData,
                                 CpaBoolean *pMultiplyStatus,
                                 CpaFlatBuffer *pXk,
                                 CpaFlatBuffer *pYk);

/* Read the instance's ECDH counters. */
CpaStatus cpaCyEcdhQueryStats64(const CpaInstanceHandle instanceHandle,
                                CpaCyEcdhStats64 *pEcdhStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_ECDH_H_ */
