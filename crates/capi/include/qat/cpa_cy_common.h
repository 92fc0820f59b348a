/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: items shared by the symmetric and asymmetric crypto APIs
   (version macros, priority, generic callbacks, instance discovery and
   information). API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef CPA_CY_COMMON_H
#define CPA_CY_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa.h"

/* Crypto API version; deprecated aliases of the CPA API version (5.x). */
#define CPA_CY_API_VERSION_NUM_MAJOR (CPA_API_VERSION_NUM_MAJOR)
#define CPA_CY_API_VERSION_NUM_MINOR (CPA_API_VERSION_NUM_MINOR)

/* True when the crypto API version is >= major.minor. */
#define CPA_CY_API_VERSION_AT_LEAST(major, minor)                              \
    (CPA_CY_API_VERSION_NUM_MAJOR > major ||                                   \
     (CPA_CY_API_VERSION_NUM_MAJOR == major &&                                 \
      CPA_CY_API_VERSION_NUM_MINOR >= minor))

/* True when the crypto API version is < major.minor. */
#define CPA_CY_API_VERSION_LESS_THAN(major, minor)                             \
    (CPA_CY_API_VERSION_NUM_MAJOR < major ||                                   \
     (CPA_CY_API_VERSION_NUM_MAJOR == major &&                                 \
      CPA_CY_API_VERSION_NUM_MINOR < minor))

/* Request priority (of a symmetric session). */
typedef enum
{
    CPA_CY_PRIORITY_NORMAL = 1,
    CPA_CY_PRIORITY_HIGH
} CpaCyPriority;

/* Completion callback carrying only the op data (for example DRBG reseed). */
typedef void (*CpaCyGenericCbFunc)(void *pCallbackTag,
                                   CpaStatus status,
                                   void *pOpData);

/* Completion callback that also returns the output flat buffer. */
typedef void (*CpaCyGenFlatBufCbFunc)(void *pCallbackTag,
                                      CpaStatus status,
                                      void *pOpdata,
                                      CpaFlatBuffer *pOut);

/* Bytes the caller must allocate for CpaBufferList.pPrivateMetaData of a
   list of numBuffers buffers used with a crypto instance. */
CpaStatus cpaCyBufferListGetMetaSize(const CpaInstanceHandle instanceHandle,
                                     Cpa32U numBuffers,
                                     Cpa32U *pSizeInBytes);

/* Writes a NUL-terminated text for errStatus into pStatusText, which must
   hold CPA_STATUS_MAX_STR_LENGTH_IN_BYTES bytes. */
CpaStatus cpaCyGetStatusText(const CpaInstanceHandle instanceHandle,
                             CpaStatus errStatus,
                             Cpa8S *pStatusText);

/* Number of crypto instances available to this process. */
CpaStatus cpaCyGetNumInstances(Cpa16U *pNumInstances);

/* Fills cyInstances with numInstances crypto instance handles. */
CpaStatus cpaCyGetInstances(Cpa16U numInstances,
                            CpaInstanceHandle *cyInstances);

/* Old-style instance information (deprecated; use cpaCyInstanceGetInfo2). */
CpaStatus CPA_DEPRECATED
cpaCyInstanceGetInfo(const CpaInstanceHandle instanceHandle,
                     CpaInstanceInfo *pInstanceInfo);

/* Instance information: service type, names, affinity, state. */
CpaStatus cpaCyInstanceGetInfo2(const CpaInstanceHandle instanceHandle,
                                CpaInstanceInfo2 *pInstanceInfo2);

/* Callback told of instance events (restarting, restarted, fatal error). */
typedef void (*CpaCyInstanceNotificationCbFunc)(
    const CpaInstanceHandle instanceHandle,
    void *pCallbackTag,
    const CpaInstanceEvent instanceEvent);

/* Registers the instance event callback of a crypto instance. */
CpaStatus cpaCyInstanceSetNotificationCb(
    const CpaInstanceHandle instanceHandle,
    const CpaCyInstanceNotificationCbFunc pInstanceNotificationCb,
    void *pCallbackTag);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_COMMON_H */
