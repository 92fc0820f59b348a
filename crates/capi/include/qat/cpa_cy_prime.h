/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: probabilistic primality test (GCD, Fermat, Miller-Rabin with
   caller witnesses, Lucas). API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_CY_PRIME_H
#define CPA_CY_PRIME_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Inputs of cpaCyPrimeTest: the candidate, which tests to run, the number
   of Miller-Rabin rounds (at most 50) and their random witnesses, each
   max(64, len(candidate)) bytes. */
typedef struct
{
    CpaFlatBuffer primeCandidate;
    CpaBoolean performGcdTest;
    CpaBoolean performFermatTest;
    Cpa32U numMillerRabinRounds;
    CpaFlatBuffer millerRabinRandomInput;
    CpaBoolean performLucasTest;
} CpaCyPrimeTestOpData;

/* Deprecated 32-bit prime test counters; use CpaCyPrimeStats64. */
typedef struct
{
    Cpa32U numPrimeTestRequests;
    Cpa32U numPrimeTestRequestErrors;
    Cpa32U numPrimeTestCompleted;
    Cpa32U numPrimeTestCompletedErrors;
    Cpa32U numPrimeTestFailures;
} CpaCyPrimeStats CPA_DEPRECATED;

/* Per-instance prime test counters. */
typedef struct
{
    Cpa64U numPrimeTestRequests;
    Cpa64U numPrimeTestRequestErrors;
    Cpa64U numPrimeTestCompleted;
    Cpa64U numPrimeTestCompletedErrors;
    Cpa64U numPrimeTestFailures;
} CpaCyPrimeStats64;

/* Callback of cpaCyPrimeTest; testPassed means "probably prime". */
typedef void (*CpaCyPrimeTestCbFunc)(void *pCallbackTag,
                                     CpaStatus status,
                                     void *pOpData,
                                     CpaBoolean testPassed);

/* Run the requested tests on the candidate. A NULL callback makes the
   call synchronous. */
CpaStatus cpaCyPrimeTest(const CpaInstanceHandle instanceHandle,
                         const CpaCyPrimeTestCbFunc pCb,
                         void *pCallbackTag,
                         const CpaCyPrimeTestOpData *pOpData,
                         CpaBoolean *pTestPassed);

/* Deprecated: 32-bit prime test counters. */
CpaStatus CPA_DEPRECATED
cpaCyPrimeQueryStats(const CpaInstanceHandle instanceHandle,
                     CpaCyPrimeStats *pPrimeStats);

/* Read the instance's prime test counters. */
CpaStatus cpaCyPrimeQueryStats64(const CpaInstanceHandle instanceHandle,
                                 CpaCyPrimeStats64 *pPrimeStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_PRIME_H */
