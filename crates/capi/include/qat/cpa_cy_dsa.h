/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: DSA (FIPS 186) parameter generation, signing with a caller-given
   k, and verification. API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_CY_DSA_H
#define CPA_CY_DSA_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Inputs of cpaCyDsaGenPParam: candidate seed X and q. */
typedef struct
{
    CpaFlatBuffer X;
    CpaFlatBuffer Q;
} CpaCyDsaPParamGenOpData;

/* Inputs of cpaCyDsaGenGParam: p, q and h. */
typedef struct
{
    CpaFlatBuffer P;
    CpaFlatBuffer Q;
    CpaFlatBuffer H;
} CpaCyDsaGParamGenOpData;

/* Inputs of cpaCyDsaGenYParam: p, g and private key x. */
typedef struct
{
    CpaFlatBuffer P;
    CpaFlatBuffer G;
    CpaFlatBuffer X;
} CpaCyDsaYParamGenOpData;

/* Inputs of cpaCyDsaSignR: p, q, g and the per-signature secret k. */
typedef struct
{
    CpaFlatBuffer P;
    CpaFlatBuffer Q;
    CpaFlatBuffer G;
    CpaFlatBuffer K;
} CpaCyDsaRSignOpData;

/* Inputs of cpaCyDsaSignS: q, x, k, r and the message digest z. */
typedef struct
{
    CpaFlatBuffer Q;
    CpaFlatBuffer X;
    CpaFlatBuffer K;
    CpaFlatBuffer R;
    CpaFlatBuffer Z;
} CpaCyDsaSSignOpData;

/* Inputs of cpaCyDsaSignRS: p, q, g, x, k and digest z. */
typedef struct
{
    CpaFlatBuffer P;
    CpaFlatBuffer Q;
    CpaFlatBuffer G;
    CpaFlatBuffer X;
    CpaFlatBuffer K;
    CpaFlatBuffer Z;
} CpaCyDsaRSSignOpData;

/* Inputs of cpaCyDsaVerify: p, q, g, public key y, digest z, r and s. */
typedef struct
{
    CpaFlatBuffer P;
    CpaFlatBuffer Q;
    CpaFlatBuffer G;
    CpaFlatBuffer Y;
    CpaFlatBuffer Z;
    CpaFlatBuffer R;
    CpaFlatBuffer S;
} CpaCyDsaVerifyOpData;

/* Deprecated 32-bit DSA counters; use CpaCyDsaStats64. */
typedef struct
{
    Cpa32U numDsaPParamGenRequests;
    Cpa32U numDsaPParamGenRequestErrors;
    Cpa32U numDsaPParamGenCompleted;
    Cpa32U numDsaPParamGenCompletedErrors;
    Cpa32U numDsaGParamGenRequests;
    Cpa32U numDsaGParamGenRequestErrors;
    Cpa32U numDsaGParamGenCompleted;
    Cpa32U numDsaGParamGenCompletedErrors;
    Cpa32U numDsaYParamGenRequests;
    Cpa32U numDsaYParamGenRequestErrors;
    Cpa32U numDsaYParamGenCompleted;
    Cpa32U numDsaYParamGenCompletedErrors;
    Cpa32U numDsaRSignRequests;
    Cpa32U numDsaRSignRequestErrors;
    Cpa32U numDsaRSignCompleted;
    Cpa32U numDsaRSignCompletedErrors;
    Cpa32U numDsaSSignRequests;
    Cpa32U numDsaSSignRequestErrors;
    Cpa32U numDsaSSignCompleted;
    Cpa32U numDsaSSignCompletedErrors;
    Cpa32U numDsaRSSignRequests;
    Cpa32U numDsaRSSignRequestErrors;
    Cpa32U numDsaRSSignCompleted;
    Cpa32U numDsaRSSignCompletedErrors;
    Cpa32U numDsaVerifyRequests;
    Cpa32U numDsaVerifyRequestErrors;
    Cpa32U numDsaVerifyCompleted;
    Cpa32U numDsaVerifyCompletedErrors;
    Cpa32U numDsaVerifyFailures;
} CpaCyDsaStats CPA_DEPRECATED;

/* Per-instance DSA counters. */
typedef struct
{
    Cpa64U numDsaPParamGenRequests;
    Cpa64U numDsaPParamGenRequestErrors;
    Cpa64U numDsaPParamGenCompleted;
    Cpa64U numDsaPParamGenCompletedErrors;
    Cpa64U numDsaGParamGenRequests;
    Cpa64U numDsaGParamGenRequestErrors;
    Cpa64U numDsaGParamGenCompleted;
    Cpa64U numDsaGParamGenCompletedErrors;
    Cpa64U numDsaYParamGenRequests;
    Cpa64U numDsaYParamGenRequestErrors;
    Cpa64U numDsaYParamGenCompleted;
    Cpa64U numDsaYParamGenCompletedErrors;
    Cpa64U numDsaRSignRequests;
    Cpa64U numDsaRSignRequestErrors;
    Cpa64U numDsaRSignCompleted;
    Cpa64U numDsaRSignCompletedErrors;
    Cpa64U numDsaSSignRequests;
    Cpa64U numDsaSSignRequestErrors;
    Cpa64U numDsaSSignCompleted;
    Cpa64U numDsaSSignCompletedErrors;
    Cpa64U numDsaRSSignRequests;
    Cpa64U numDsaRSSignRequestErrors;
    Cpa64U numDsaRSSignCompleted;
    Cpa64U numDsaRSSignCompletedErrors;
    Cpa64U numDsaVerifyRequests;
    Cpa64U numDsaVerifyRequestErrors;
    Cpa64U numDsaVerifyCompleted;
    Cpa64U numDsaVerifyCompletedErrors;
    Cpa64U numDsaVerifyFailures;
} CpaCyDsaStats64;

/* Callback of the calls with one output (P, G, Y, R or S generation);
   protocolStatus tells whether the result is usable. */
typedef void (*CpaCyDsaGenCbFunc)(void *pCallbackTag,
                                  CpaStatus status,
                                  void *pOpData,
                                  CpaBoolean protocolStatus,
                                  CpaFlatBuffer *pOut);

/* Callback of cpaCyDsaSignRS. */
typedef void (*CpaCyDsaRSSignCbFunc)(void *pCallbackTag,
                                     CpaStatus status,
                                     void *pOpData,
                                     CpaBoolean protocolStatus,
                                     CpaFlatBuffer *pR,
                                     CpaFlatBuffer *pS);

/* Callback of cpaCyDsaVerify. */
typedef void (*CpaCyDsaVerifyCbFunc)(void *pCallbackTag,
                                     CpaStatus status,
                                     void *pOpData,
                                     CpaBoolean verifyStatus);

/* Derive a candidate p from X and q (FIPS 186-3 A.1.1.2). A NULL callback
   makes every call in this header synchronous. On a 4xxx-class endpoint
   softqat offers DSA only with SOFTQAT_LEGACY_ALGORITHMS=1. */
CpaStatus cpaCyDsaGenPParam(const CpaInstanceHandle instanceHandle,
                            const CpaCyDsaGenCbFunc pCb,
                            void *pCallbackTag,
                            const CpaCyDsaPParamGenOpData *pOpData,
                            CpaBoolean *pProtocolStatus,
                            CpaFlatBuffer *pP);

/* g = h^((p-1)/q) mod p; protocol status false when g == 1. */
CpaStatus cpaCyDsaGenGParam(const CpaInstanceHandle instanceHandle,
                            const CpaCyDsaGenCbFunc pCb,
                            void *pCallbackTag,
                            const CpaCyDsaGParamGenOpData *pOpData,
                            CpaBoolean *pProtocolStatus,
                            CpaFlatBuffer *pG);

/* Public key y = g^x mod p. */
CpaStatus cpaCyDsaGenYParam(const CpaInstanceHandle instanceHandle,
                            const CpaCyDsaGenCbFunc pCb,
                            void *pCallbackTag,
                            const CpaCyDsaYParamGenOpData *pOpData,
                            CpaBoolean *pProtocolStatus,
                            CpaFlatBuffer *pY);

/* r = (g^k mod p) mod q. */
CpaStatus cpaCyDsaSignR(const CpaInstanceHandle instanceHandle,
                        const CpaCyDsaGenCbFunc pCb,
                        void *pCallbackTag,
                        const CpaCyDsaRSignOpData *pOpData,
                        CpaBoolean *pProtocolStatus,
                        CpaFlatBuffer *pR);

/* s = k^-1 (z + x r) mod q. */
CpaStatus cpaCyDsaSignS(const CpaInstanceHandle instanceHandle,
                        const CpaCyDsaGenCbFunc pCb,
                        void *pCallbackTag,
                        const CpaCyDsaSSignOpData *pOpData,
                        CpaBoolean *pProtocolStatus,
                        CpaFlatBuffer *pS);

/* r and s in one call. */
CpaStatus cpaCyDsaSignRS(const CpaInstanceHandle instanceHandle,
                         const CpaCyDsaRSSignCbFunc pCb,
                         void *pCallbackTag,
                         const CpaCyDsaRSSignOpData *pOpData,
                         CpaBoolean *pProtocolStatus,
                         CpaFlatBuffer *pR,
                         CpaFlatBuffer *pS);

/* Verify (r, s) over digest z with public key y. */
CpaStatus cpaCyDsaVerify(const CpaInstanceHandle instanceHandle,
                         const CpaCyDsaVerifyCbFunc pCb,
                         void *pCallbackTag,
                         const CpaCyDsaVerifyOpData *pOpData,
                         CpaBoolean *pVerifyStatus);

/* Deprecated: 32-bit DSA counters. */
CpaStatus CPA_DEPRECATED
cpaCyDsaQueryStats(const CpaInstanceHandle instanceHandle,
                   CpaCyDsaStats *pDsaStats);

/* Read the instance's DSA counters. */
CpaStatus cpaCyDsaQueryStats64(const CpaInstanceHandle instanceHandle,
                               CpaCyDsaStats64 *pDsaStats);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_DSA_H */
