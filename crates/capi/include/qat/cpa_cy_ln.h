/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: large-number modular exponentiation and inversion. Numbers are
   big-endian byte strings of up to 8192 bits. API facts from qatlib
   26.08's public headers; written for softqat. */

#ifndef CPA_CY_LN_H
#define CPA_CY_LN_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Inputs of cpaCyLnModExp: modulus (non-zero), base and exponent. */
typedef struct
{
    CpaFlatBuffer modulus;
    CpaFlatBuffer base;
    CpaFlatBuffer exponent;
} CpaCyLnModExpOpData;

/* Inputs of cpaCyLnModInv: value A and modulus B (not both even). */
typedef struct
{
    CpaFlatBuffer A;
    CpaFlatBuffer B;
} CpaCyLnModInvOpData;

/* Deprecated 32-bit large-number counters; use CpaCyLnStats64. */
typedef struct
{
    Cpa32U numLnModExpRequests;
    Cpa32U numLnModExpRequestErrors;
    Cpa32U numLnModExpCompleted;
    Cpa32U numLnModExpCompletedErrors;
    Cpa32U numLnModInvRequests;
    Cpa32U numLnModInvRequestErrors;
    Cpa32U numLnModInvCompleted;
    Cpa32U numLnModInvCompletedErrors;
} CpaCyLnStats CPA_DEPRECATED;

/* Per-instance large-number counters. */
typedef struct
{
    Cpa64U numLnModExpRequests;
    Cpa64U numLnModExpRequestErrors;
    Cpa64U numLnModExpCompleted;
    Cpa64U numLnModExpCompletedErrors;
    Cpa64U numLnModInvRequests;
    Cpa64U numLnModInvRequestErrors;
    Cpa64U numLnModInvCompleted;
    Cpa64U numLnModInvCompletedErrors;
} CpaCyLnStats64;

/* result = base^exponent mod modulus. A NULL callback makes every call
   in this header synchronous. */
CpaStatus cpaCyLnModExp(const CpaInstanceHandle instanceHandle,
                        const CpaCyGenFlatBufCbFunc pLnModExpCb,
                        void *pCallbackTag,
                        const CpaCyLnModExpOpData *pLnModExpOpData,
                        CpaFlatBuffer *pResult);

/* result = A^-1 mod B. */
CpaStatus cpaCyLnModInv(const CpaInstanceHandle instanceHandle,
                        const CpaCyGenFlatBufCbFunc pLnModInvCb,
                        void *pCallbackTag,
                        const CpaCyLnModInvOpData *pLnModInvOpData,
                        CpaFlatBuffer *pResult);

/* Deprecated: 32-bit large-number counters. */
CpaStatus CPA_DEPRECATED
cpaCyLnStatsQuery(const CpaInstanceHandle instanceHandle,
                  CpaCyLnStats *pLnStats);

/* Read the instance's large-number counters. */
CpaStatus cpaCyLnStatsQuery64(const CpaInstanceHandle instanceHandle,
                              CpaCyLnStats64 *pLnStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_LN_H */
