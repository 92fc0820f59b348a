/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: deterministic random bit generation (NIST SP 800-90) API.
   qatlib 26.08 and softqat offer no DRBG: every function returns
   CPA_STATUS_UNSUPPORTED. API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_CY_DRBG_H
#define CPA_CY_DRBG_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Security strength of a DRBG session: 112, 128, 192 or 256 bits. */
typedef enum
{
    CPA_CY_RBG_SEC_STRENGTH_112 = 1,
    CPA_CY_RBG_SEC_STRENGTH_128,
    CPA_CY_RBG_SEC_STRENGTH_192,
    CPA_CY_RBG_SEC_STRENGTH_256
} CpaCyDrbgSecStrength;

/* Setup of a DRBG session (instantiation). */
typedef struct
{
    CpaCyDrbgSecStrength secStrength;
    CpaBoolean predictionResistanceRequired;
    CpaFlatBuffer personalizationString;
} CpaCyDrbgSessionSetupData;

/* Caller-allocated DRBG session memory (the SP 800-90 state handle). */
typedef void *CpaCyDrbgSessionHandle;

/* Input of cpaCyDrbgGen. */
typedef struct
{
    CpaCyDrbgSessionHandle sessionHandle;
    Cpa32U lengthInBytes;
    CpaCyDrbgSecStrength secStrength;
    CpaBoolean predictionResistanceRequired;
    CpaFlatBuffer additionalInput;
} CpaCyDrbgGenOpData;

/* Input of cpaCyDrbgReseed. */
typedef struct
{
    CpaCyDrbgSessionHandle sessionHandle;
    CpaFlatBuffer additionalInput;
} CpaCyDrbgReseedOpData;

/* DRBG statistics, 64-bit counters. */
typedef struct
{
    Cpa64U numSessionsInitialized;
    Cpa64U numSessionsRemoved;
    Cpa64U numSessionErrors;
    Cpa64U numGenRequests;
    Cpa64U numGenRequestErrors;
    Cpa64U numGenCompleted;
    Cpa64U numGenCompletedErrors;
    Cpa64U numReseedRequests;
    Cpa64U numReseedRequestErrors;
    Cpa64U numReseedCompleted;
    Cpa64U numReseedCompletedErrors;
} CpaCyDrbgStats64;

/* Size of the memory a DRBG session needs. */
CpaStatus cpaCyDrbgSessionGetSize(const CpaInstanceHandle instanceHandle,
                                  const CpaCyDrbgSessionSetupData *pSetupData,
                                  Cpa32U *pSize);

/* Instantiates a DRBG session; returns the seed length in *pSeedLen. */
CpaStatus cpaCyDrbgInitSession(const CpaInstanceHandle instanceHandle,
                               const CpaCyGenFlatBufCbFunc pGenCb,
                               const CpaCyGenericCbFunc pReseedCb,
                               const CpaCyDrbgSessionSetupData *pSetupData,
                               CpaCyDrbgSessionHandle sessionHandle,
                               Cpa32U *pSeedLen);

/* Reseeds a DRBG session. */
CpaStatus cpaCyDrbgReseed(const CpaInstanceHandle instanceHandle,
                          void *pCallbackTag,
                          CpaCyDrbgReseedOpData *pOpData);

/* Generates pseudorandom bits into pPseudoRandomBits. */
CpaStatus cpaCyDrbgGen(const CpaInstanceHandle instanceHandle,
                       void *pCallbackTag,
                       CpaCyDrbgGenOpData *pOpData,
                       CpaFlatBuffer *pPseudoRandomBits);

/* Uninstantiates a DRBG session. */
CpaStatus cpaCyDrbgRemoveSession(const CpaInstanceHandle instanceHandle,
                                 CpaCyDrbgSessionHandle sessionHandle);

/* DRBG statistics of an instance. */
CpaStatus cpaCyDrbgQueryStats64(const CpaInstanceHandle instanceHandle,
                                CpaCyDrbgStats64 *pStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_DRBG_H */
