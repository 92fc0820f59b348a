/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: symmetric crypto data-plane API (asynchronous, polled, physical
   addresses, enqueue then submit). API facts from qatlib 26.08's public
   headers; written for softqat. */

#ifndef CPA_CY_SYM_DP_H
#define CPA_CY_SYM_DP_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"
#include "cpa_cy_sym.h"

/* Caller-allocated data-plane session memory, sized by
   cpaCySymDpSessionCtxGetSize and set up by cpaCySymDpInitSession. */
typedef void *CpaCySymDpSessionCtx;

/* One data-plane request, in caller memory (8-byte aligned, physically
   contiguous). Buffers are CpaPhysicalAddr values; a length of
   CPA_DP_BUFLIST means the address is that of a CpaPhysBufferList. In
   softqat the addresses are those handed out by softqat's usdm. Reserved
   fields must be 0. */
typedef struct
{
    Cpa64U reserved0;
    Cpa32U cryptoStartSrcOffsetInBytes;
    Cpa32U messageLenToCipherInBytes;
    CpaPhysicalAddr iv;
    Cpa64U reserved1;
    Cpa32U hashStartSrcOffsetInBytes;
    Cpa32U messageLenToHashInBytes;
    CpaPhysicalAddr additionalAuthData;
    CpaPhysicalAddr digestResult;
    CpaInstanceHandle instanceHandle;
    CpaCySymDpSessionCtx sessionCtx;
    Cpa32U ivLenInBytes;
    CpaPhysicalAddr srcBuffer;
    Cpa32U srcBufferLen;
    CpaPhysicalAddr dstBuffer;
    Cpa32U dstBufferLen;
    CpaPhysicalAddr thisPhys;
    Cpa8U *pIv;
    Cpa8U *pAdditionalAuthData;
    void *pCallbackTag;
} CpaCySymDpOpData;

/* Completion callback of the data-plane API, one per instance. */
typedef void (*CpaCySymDpCbFunc)(CpaCySymDpOpData *pOpData,
                                 CpaStatus status,
                                 CpaBoolean verifyResult);

/* Registers (or replaces) the instance's data-plane completion callback. */
CpaStatus cpaCySymDpRegCbFunc(const CpaInstanceHandle instanceHandle,
                              const CpaCySymDpCbFunc pSymNewCb);

/* Data-plane session memory size that fits every possible setup. */
CpaStatus cpaCySymDpSessionCtxGetSize(
    const CpaInstanceHandle instanceHandle,
    const CpaCySymSessionSetupData *pSessionSetupData,
    Cpa32U *pSessionCtxSizeInBytes);

/* Data-plane session memory size for this particular setup. */
CpaStatus cpaCySymDpSessionCtxGetDynamicSize(
    const CpaInstanceHandle instanceHandle,
    const CpaCySymSessionSetupData *pSessionSetupData,
    Cpa32U *pSessionCtxSizeInBytes);

/* Sets up a data-plane session in sessionCtx. */
CpaStatus cpaCySymDpInitSession(
    CpaInstanceHandle instanceHandle,
    const CpaCySymSessionSetupData *pSessionSetupData,
    CpaCySymDpSessionCtx sessionCtx);

/* Tears a data-plane session down; fails while requests are in flight. */
CpaStatus cpaCySymDpRemoveSession(const CpaInstanceHandle instanceHandle,
                                  CpaCySymDpSessionCtx sessionCtx);

/* Enqueues one request; performOpNow also submits everything enqueued. */
CpaStatus cpaCySymDpEnqueueOp(CpaCySymDpOpData *pOpData,
                              const CpaBoolean performOpNow);

/* Enqueues numberRequests requests; performOpNow also submits them. */
CpaStatus cpaCySymDpEnqueueOpBatch(const Cpa32U numberRequests,
                                   CpaCySymDpOpData *pOpData[],
                                   const CpaBoolean performOpNow);

/* Submits every request enqueued on the instance. */
CpaStatus cpaCySymDpPerformOpNow(CpaInstanceHandle instanceHandle);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_SYM_DP_H */
