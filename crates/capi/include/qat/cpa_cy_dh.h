/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: Diffie-Hellman key agreement (PKCS #3 phases 1 and 2).
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_CY_DH_H
#define CPA_CY_DH_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Phase 1 inputs: prime p, base g and private value x (big-endian). */
typedef struct
{
    CpaFlatBuffer primeP;
    CpaFlatBuffer baseG;
    CpaFlatBuffer privateValueX;
} CpaCyDhPhase1KeyGenOpData;

/* Phase 2 inputs: prime p, the peer's public value and our x. */
typedef struct
{
    CpaFlatBuffer primeP;
    CpaFlatBuffer remoteOctetStringPV;
    CpaFlatBuffer privateValueX;
} CpaCyDhPhase2SecretKeyGenOpData;

/* Deprecated 32-bit DH counters; use CpaCyDhStats64. */
typedef struct
{
    Cpa32U numDhPhase1KeyGenRequests;
    Cpa32U numDhPhase1KeyGenRequestErrors;
    Cpa32U numDhPhase1KeyGenCompleted;
    Cpa32U numDhPhase1KeyGenCompletedErrors;
    Cpa32U numDhPhase2KeyGenRequests;
    Cpa32U numDhPhase2KeyGenRequestErrors;
    Cpa32U numDhPhase2KeyGenCompleted;
    Cpa32U numDhPhase2KeyGenCompletedErrors;
} CpaCyDhStats CPA_DEPRECATED;

/* Per-instance DH counters. */
typedef struct
{
    Cpa64U numDhPhase1KeyGenRequests;
    Cpa64U numDhPhase1KeyGenRequestErrors;
    Cpa64U numDhPhase1KeyGenCompleted;
    Cpa64U numDhPhase1KeyGenCompletedErrors;
    Cpa64U numDhPhase2KeyGenRequests;
    Cpa64U numDhPhase2KeyGenRequestErrors;
    Cpa64U numDhPhase2KeyGenCompleted;
    Cpa64U numDhPhase2KeyGenCompletedErrors;
} CpaCyDhStats64;

/* Phase 1: public value = g^x mod p. A NULL callback makes every call in
   this header synchronous. On a 4xxx-class endpoint softqat offers DH only
   with SOFTQAT_LEGACY_ALGORITHMS=1, as qatlib does for legacy builds. */
CpaStatus cpaCyDhKeyGenPhase1(
    const CpaInstanceHandle instanceHandle,
    const CpaCyGenFlatBufCbFunc pDhPhase1Cb,
    void *pCallbackTag,
    const CpaCyDhPhase1KeyGenOpData *pPhase1KeyGenData,
    CpaFlatBuffer *pLocalOctetStringPV);

/* Phase 2: shared secret = peerPV^x mod p. */
CpaStatus cpaCyDhKeyGenPhase2Secret(
    const CpaInstanceHandle instanceHandle,
    const CpaCyGenFlatBufCbFunc pDhPhase2Cb,
    void *pCallbackTag,
    const CpaCyDhPhase2SecretKeyGenOpData *pPhase2SecretKeyGenData,
    CpaFlatBuffer *pOctetStringSecretKey);

/* Deprecated: 32-bit DH counters. */
CpaStatus CPA_DEPRECATED
cpaCyDhQueryStats(const CpaInstanceHandle instanceHandle,
                  CpaCyDhStats *pDhStats);

/* Read the instance's DH counters. */
CpaStatus cpaCyDhQueryStats64(const CpaInstanceHandle instanceHandle,
                              CpaCyDhStats64 *pDhStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_DH_H */
