/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: Data Compression data-plane API: asynchronous, polled,
   physically addressed requests (poll with icp_sal_DcPollDpInstance).
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_DC_DP_H
#define CPA_DC_DP_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_dc.h"

/* Region of the decompressed stream to deliver (partial read). */
typedef struct
{
    Cpa32U bufferOffset;
    Cpa32U dataOffset;
    Cpa32U length;
} CpaDcDpPartialReadData;

/* One DP request; lives in DMA-able memory, 8-byte aligned, thisPhys is
   its own IO address. Buffer lengths of CPA_DP_BUFLIST mean the address
   is a CpaPhysBufferList. pSetupData is set only for no-session use. */
typedef struct
{
    Cpa64U reserved0;
    Cpa32U bufferLenToCompress;
    Cpa32U bufferLenForData;
    Cpa64U reserved1;
    Cpa64U reserved2;
    Cpa64U reserved3;
    CpaDcRqResults results;
    CpaInstanceHandle dcInstance;
    CpaDcSessionHandle pSessionHandle;
    CpaPhysicalAddr srcBuffer;
    Cpa32U srcBufferLen;
    CpaPhysicalAddr destBuffer;
    Cpa32U destBufferLen;
    CpaDcSessionDir sessDirection;
    CpaBoolean compressAndVerify;
    CpaBoolean compressAndVerifyAndRecover;
    CpaStatus responseStatus;
    CpaPhysicalAddr thisPhys;
    void *pCallbackTag;
    CpaDcNsSetupData *pSetupData;
} CpaDcDpOpData;

/* Completion callback, one per request, run from the poll call. */
typedef void (*CpaDcDpCallbackFn)(CpaDcDpOpData *pOpData);

/* Size of DP session memory. */
CpaStatus cpaDcDpGetSessionSize(CpaInstanceHandle dcInstance,
                                CpaDcSessionSetupData *pSessionData,
                                Cpa32U *pSessionSize);

/* Initialise a (stateless) DP session in caller memory. */
CpaStatus cpaDcDpInitSession(CpaInstanceHandle dcInstance,
                             CpaDcSessionHandle pSessionHandle,
                             CpaDcSessionSetupData *pSessionData);

/* Change level or Huffman type of a DP session. */
CpaStatus cpaDcDpUpdateSession(const CpaInstanceHandle dcInstance,
                               CpaDcSessionHandle pSessionHandle,
                               CpaDcSessionUpdateData *pSessionUpdateData);

/* Tear down a DP session. */
CpaStatus cpaDcDpRemoveSession(const CpaInstanceHandle dcInstance,
                               CpaDcSessionHandle pSessionHandle);

/* Register the instance's DP completion callback. */
CpaStatus cpaDcDpRegCbFunc(const CpaInstanceHandle dcInstance,
                           const CpaDcDpCallbackFn pNewCb);

/* Queue one request; submit now if performOpNow. */
CpaStatus cpaDcDpEnqueueOp(CpaDcDpOpData *pOpData,
                           const CpaBoolean performOpNow);

/* Queue one decompression request with a partial-read region. */
CpaStatus cpaDcDpEnqueueOpWithPartRead(CpaDcDpOpData *pOpData,
                                       CpaDcDpPartialReadData *pPartReadData,
                                       const CpaBoolean performOpNow);

/* Queue one compression request that zero-fills the rest of the output
   (4 KB aligned). */
CpaStatus cpaDcDpEnqueueOpWithZeroPad(CpaDcDpOpData *pOpData,
                                      const CpaBoolean performOpNow);

/* Queue several requests. */
CpaStatus cpaDcDpEnqueueOpBatch(const Cpa32U numberRequests,
                                CpaDcDpOpData *pOpData[],
                                const CpaBoolean performOpNow);

/* Queue several partial-read decompression requests. */
CpaStatus cpaDcDpEnqueueOpWithPartReadBatch(
    const Cpa32U numberRequests,
    CpaDcDpOpData *pOpData[],
    CpaDcDpPartialReadData *pPartReadData[],
    const CpaBoolean performOpNow);

/* Queue several zero-padded compression requests. */
CpaStatus cpaDcDpEnqueueOpWithZeroPadBatch(const Cpa32U numberRequests,
                                           CpaDcDpOpData *pOpData[],
                                           const CpaBoolean performOpNow);

/* Submit everything queued on the instance. */
CpaStatus cpaDcDpPerformOpNow(CpaInstanceHandle dcInstance);

/* Whether the instance supports partial reads. */
CpaStatus cpaDcDpIsPartReadSupported(const CpaInstanceHandle instanceHandle,
                                     CpaBoolean *pFlag);

/* Whether the instance supports zero padding. */
CpaStatus cpaDcDpIsZeroPadSupported(const CpaInstanceHandle instanceHandle,
                                    CpaBoolean *pFlag);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_DC_DP_H */
