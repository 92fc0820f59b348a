/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: Data Compression chaining API (compression chained with
   symmetric crypto in one request). Anonymous unions as in qatlib (a
   GNU C / C11 feature). API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_DC_CHAIN_H
#define CPA_DC_CHAIN_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_dc.h"
#include "cpa_cy_sym.h"

/* Chain kinds; the value is also the bit in dcChainCapInfo. Each entry
   names its sub-operations in order (2, or 3 for the last). */
typedef enum
{
    CPA_DC_CHAIN_COMPRESS_THEN_HASH = 0,
    CPA_DC_CHAIN_COMPRESS_THEN_ENCRYPT = 1,
    CPA_DC_CHAIN_COMPRESS_THEN_HASH_ENCRYPT = 2,
    CPA_DC_CHAIN_COMPRESS_THEN_ENCRYPT_HASH = 3,
    CPA_DC_CHAIN_COMPRESS_THEN_AEAD = 4,
    CPA_DC_CHAIN_HASH_THEN_COMPRESS = 5,
    CPA_DC_CHAIN_HASH_VERIFY_THEN_DECOMPRESS = 6,
    CPA_DC_CHAIN_DECRYPT_THEN_DECOMPRESS = 7,
    CPA_DC_CHAIN_HASH_VERIFY_DECRYPT_THEN_DECOMPRESS = 8,
    CPA_DC_CHAIN_DECRYPT_HASH_VERIFY_THEN_DECOMPRESS = 9,
    CPA_DC_CHAIN_AEAD_THEN_DECOMPRESS = 10,
    CPA_DC_CHAIN_DECOMPRESS_THEN_HASH_VERIFY = 11,
    CPA_DC_CHAIN_COMPRESS_THEN_AEAD_THEN_HASH = 12,
} CpaDcChainOperations;

/* Whether a chain entry is a (de)compression or a symmetric crypto step. */
typedef enum
{
    CPA_DC_CHAIN_COMPRESS_DECOMPRESS = 0,
    CPA_DC_CHAIN_SYMMETRIC_CRYPTO
} CpaDcChainSessionType;

/* Setup of one step of a chaining session. */
typedef struct
{
    CpaDcChainSessionType sessType;
    union {
        CpaDcSessionSetupData *pDcSetupData;
        CpaCySymSessionSetupData *pCySetupData;
    };
} CpaDcChainSessionSetupData;

/* Operation data of one step (cpaDcChainPerformOp). */
typedef struct
{
    CpaDcChainSessionType opType;
    union {
        CpaDcOpData *pDcOp;
        CpaCySymOpData *pCySymOp;
    };
} CpaDcChainOpData;

/* Operation data of one step (cpaDcChainPerformOp2). */
typedef struct
{
    CpaDcChainSessionType opType;
    union {
        CpaDcOpData2 *pDcOp2;
        CpaCySymOpData2 *pCySymOp2;
    };
} CpaDcChainSubOpData2;

/* Result of a chained request. */
typedef struct
{
    CpaDcReqStatus dcStatus;
    CpaStatus cyStatus;
    CpaBoolean verifyResult;
    Cpa32U produced;
    Cpa32U consumed;
    Cpa32U crc32;
    Cpa32U adler32;
} CpaDcChainRqResults;

/* Result of cpaDcChainPerformOp2, with integrity CRCs. */
typedef struct
{
    CpaDcChainRqResults chainRqResults;
    Cpa64U ctxCrc64;
    Cpa64U iDcCrc64;
    Cpa64U oDcCrc64;
    Cpa64U storedCrc64;
    CpaBoolean reserved1;
    CpaStatus chainStatus;
} CpaDcChainRqVResults;

/* Request description for cpaDcChainPerformOp2 (passed by value). */
typedef struct
{
    CpaBoolean testIntegrity;
    CpaDcChainOperations operation;
    Cpa8U numOpDatas;
    CpaDcChainSubOpData2 *pChainOpData;
} CpaDcChainOpData2;

/* Size of chaining session memory. */
CpaStatus cpaDcChainGetSessionSize(CpaInstanceHandle dcInstance,
                                   CpaDcChainOperations operation,
                                   Cpa8U numSessions,
                                   CpaDcChainSessionSetupData *pSessionData,
                                   Cpa32U *pSessionSize);

/* Initialise a chaining session in caller memory. */
CpaStatus cpaDcChainInitSession(CpaInstanceHandle dcInstance,
                                CpaDcSessionHandle pSessionHandle,
                                CpaDcChainOperations operation,
                                Cpa8U numSessions,
                                CpaDcChainSessionSetupData *pSessionData,
                                CpaDcCallbackFn callbackFn);

/* Set the programmable CRC of a chaining session. */
CpaStatus cpaDcChainSetCrcControlData(CpaInstanceHandle dcInstance,
                                      CpaDcSessionHandle pSessionHandle,
                                      CpaCrcControlData *pCrcControlData);

/* Reset a chaining session. */
CpaStatus cpaDcChainResetSession(const CpaInstanceHandle dcInstance,
                                 CpaDcSessionHandle pSessionHandle);

/* Tear down a chaining session. */
CpaStatus cpaDcChainRemoveSession(const CpaInstanceHandle dcInstance,
                                  CpaDcSessionHandle pSessionHandle);

/* Run a chained request. */
CpaStatus cpaDcChainPerformOp(CpaInstanceHandle dcInstance,
                              CpaDcSessionHandle pSessionHandle,
                              CpaBufferList *pSrcBuff,
                              CpaBufferList *pDestBuff,
                              CpaDcChainOperations operation,
                              Cpa8U numOpData,
                              CpaDcChainOpData *pChainOpData,
                              CpaDcChainRqResults *pResults,
                              void *callbackTag);

/* Run a chained request with integrity checking. */
CpaStatus cpaDcChainPerformOp2(CpaInstanceHandle dcInstance,
                               CpaDcSessionHandle pSessionHandle,
                               CpaBufferList *pSrcBuff,
                               CpaBufferList *pDestBuff,
                               CpaBufferList *pInterBuff,
                               CpaDcChainOpData2 opData,
                               CpaDcChainRqVResults *pResults,
                               void *callbackTag);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_DC_CHAIN_H */
