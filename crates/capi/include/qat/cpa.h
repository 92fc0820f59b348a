/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: top-level CPA API (status codes, buffers, instance info and
   instance management). API facts from qatlib 26.08's public headers;
   written for softqat. */

#ifndef CPA_QAT_H
#define CPA_QAT_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_types.h"

/* CPA API version implemented: 5.9 (qatlib 26.08). */
#define CPA_API_VERSION_NUM_MAJOR (5)
#define CPA_API_VERSION_NUM_MINOR (9)

/* True when the API version is >= major.minor. */
#define CPA_API_VERSION_AT_LEAST(major, minor)                                 \
    (CPA_API_VERSION_NUM_MAJOR > major ||                                      \
     (CPA_API_VERSION_NUM_MAJOR == major &&                                    \
      CPA_API_VERSION_NUM_MINOR >= minor))

/* True when the API version is < major.minor. */
#define CPA_API_VERSION_LESS_THAN(major, minor)                                \
    (CPA_API_VERSION_NUM_MAJOR < major ||                                      \
     (CPA_API_VERSION_NUM_MAJOR == major &&                                    \
      CPA_API_VERSION_NUM_MINOR < minor))

/* Opaque handle of a service instance. */
typedef void *CpaInstanceHandle;

/* Handle value usable where only one instance exists. */
#define CPA_INSTANCE_HANDLE_SINGLE ((CpaInstanceHandle)0)

/* Physical (DMA/IO) address. In softqat it is the address registered
   with softqat's usdm, not a CPU physical address. */
typedef Cpa64U CpaPhysicalAddr;

/* Callback translating a virtual address to a CpaPhysicalAddr. */
typedef CpaPhysicalAddr (*CpaVirtualToPhysical)(void *pVirtualAddr);

/* One contiguous buffer: length in bytes and virtual address. */
typedef struct
{
    Cpa32U dataLenInBytes;
    Cpa8U *pData;
} CpaFlatBuffer;

/* Scatter-gather list of flat buffers. pPrivateMetaData is caller memory
   sized by the service's BufferListGetMetaSize function. */
typedef struct
{
    Cpa32U numBuffers;
    CpaFlatBuffer *pBuffers;
    void *pUserData;
    void *pPrivateMetaData;
} CpaBufferList;

/* Flat buffer addressed by physical address (data-plane APIs). */
typedef struct
{
    Cpa32U dataLenInBytes;
    Cpa32U reserved;
    CpaPhysicalAddr bufferPhysAddr;
} CpaPhysFlatBuffer;

/* Scatter-gather list of physical flat buffers (data-plane APIs). */
typedef struct
{
    Cpa64U reserved0;
    Cpa32U numBuffers;
    Cpa32U reserved1;
    CpaPhysFlatBuffer flatBuffers[];
} CpaPhysBufferList;

/* Parameters of a programmable (CRC64-style) CRC. */
typedef struct
{
    Cpa64U polynomial;
    Cpa64U initialValue;
    CpaBoolean reflectIn;
    CpaBoolean reflectOut;
    Cpa64U xorOut;
} CpaCrcControlData;

/* Length value meaning "this address is a CpaPhysBufferList". */
#define CPA_DP_BUFLIST ((Cpa32U)0xFFFFFFFF)

/* Return status of every API function. */
typedef Cpa32S CpaStatus;

#define CPA_STATUS_SUCCESS (0)
#define CPA_STATUS_FAIL (-1)
#define CPA_STATUS_RETRY (-2)
#define CPA_STATUS_RESOURCE (-3)
#define CPA_STATUS_INVALID_PARAM (-4)
#define CPA_STATUS_FATAL (-5)
#define CPA_STATUS_UNSUPPORTED (-6)
#define CPA_STATUS_RESTARTING (-7)

/* Maximum length of a cpaXxGetStatusText string. */
#define CPA_STATUS_MAX_STR_LENGTH_IN_BYTES (255)

/* Generic status strings (prefixes of the status text). */
#define CPA_STATUS_STR_SUCCESS ("Operation was successful:")
#define CPA_STATUS_STR_FAIL ("General or unspecified error occurred:")
#define CPA_STATUS_STR_RETRY ("Recoverable error occurred:")
#define CPA_STATUS_STR_RESOURCE ("Required resource unavailable:")
#define CPA_STATUS_STR_INVALID_PARAM ("Invalid parameter supplied:")
#define CPA_STATUS_STR_FATAL ("Fatal error has occurred:")
#define CPA_STATUS_STR_UNSUPPORTED ("Operation not supported:")

/* Deprecated instance type; use CpaAccelerationServiceType. */
typedef enum
{
    CPA_INSTANCE_TYPE_CRYPTO = 0,
    CPA_INSTANCE_TYPE_DATA_COMPRESSION,
    CPA_INSTANCE_TYPE_RAID,
    CPA_INSTANCE_TYPE_XML,
    CPA_INSTANCE_TYPE_REGEX
} CpaInstanceType CPA_DEPRECATED;

/* Service provided by an instance. */
typedef enum
{
    CPA_ACC_SVC_TYPE_CRYPTO = CPA_INSTANCE_TYPE_CRYPTO,
    CPA_ACC_SVC_TYPE_DATA_COMPRESSION = CPA_INSTANCE_TYPE_DATA_COMPRESSION,
    CPA_ACC_SVC_TYPE_PATTERN_MATCH = CPA_INSTANCE_TYPE_REGEX,
    CPA_ACC_SVC_TYPE_RAID = CPA_INSTANCE_TYPE_RAID,
    CPA_ACC_SVC_TYPE_XML = CPA_INSTANCE_TYPE_XML,
    CPA_ACC_SVC_TYPE_VIDEO_ANALYTICS = 4,
    CPA_ACC_SVC_TYPE_CRYPTO_ASYM = 5,
    CPA_ACC_SVC_TYPE_CRYPTO_SYM = 6,
    CPA_ACC_SVC_TYPE_DATA_DECOMPRESSION = 7
} CpaAccelerationServiceType;

/* Deprecated instance state; use CpaOperationalState. */
typedef enum
{
    CPA_INSTANCE_STATE_INITIALISED = 0,
    CPA_INSTANCE_STATE_SHUTDOWN
} CpaInstanceState CPA_DEPRECATED;

/* Whether an instance is usable. */
typedef enum
{
    CPA_OPER_STATE_DOWN = 0,
    CPA_OPER_STATE_UP
} CpaOperationalState;

#define CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES 64
#define CPA_INSTANCE_MAX_ID_SIZE_IN_BYTES 128
#define CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES 64

/* Deprecated instance description; use CpaInstanceInfo2. */
typedef struct
{
    CpaInstanceType type;
    CpaInstanceState state;
    Cpa8U name[CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES];
    Cpa8U version[CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES];
} CpaInstanceInfo CPA_DEPRECATED;

/* Location of an instance: package (device), accelerator, engine, bus. */
typedef struct
{
    Cpa16U packageId;
    Cpa16U acceleratorId;
    Cpa16U executionEngineId;
    Cpa16U busAddress;
    Cpa32U kptAcHandle;
} CpaPhysicalInstanceId;

/* Instance description returned by cpaCyInstanceGetInfo2 and
   cpaDcInstanceGetInfo2. */
typedef struct
{
    CpaAccelerationServiceType accelerationServiceType;
#define CPA_INST_VENDOR_NAME_SIZE CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES
    Cpa8U vendorName[CPA_INST_VENDOR_NAME_SIZE];
#define CPA_INST_PART_NAME_SIZE CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES
    Cpa8U partName[CPA_INST_PART_NAME_SIZE];
#define CPA_INST_SW_VERSION_SIZE CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES
    Cpa8U swVersion[CPA_INST_SW_VERSION_SIZE];
#define CPA_INST_NAME_SIZE CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES
    Cpa8U instName[CPA_INST_NAME_SIZE];
#define CPA_INST_ID_SIZE CPA_INSTANCE_MAX_ID_SIZE_IN_BYTES
    Cpa8U instID[CPA_INST_ID_SIZE];
    CpaPhysicalInstanceId physInstId;
#define CPA_MAX_CORES 4096
    CPA_BITMAP(coreAffinity, CPA_MAX_CORES);
    Cpa32U nodeAffinity;
    CpaOperationalState operState;
    CpaBoolean requiresPhysicallyContiguousMemory;
    CpaBoolean isPolled;
    CpaBoolean isOffloaded;
} CpaInstanceInfo2;

/* Events passed to an instance notification callback. */
typedef enum
{
    CPA_INSTANCE_EVENT_RESTARTING = 0,
    CPA_INSTANCE_EVENT_RESTARTED,
    CPA_INSTANCE_EVENT_FATAL_ERROR
} CpaInstanceEvent;

/* Number of instances of a service. */
CpaStatus cpaGetNumInstances(
    const CpaAccelerationServiceType accelerationServiceType,
    Cpa16U *pNumInstances);

/* Fill an array with the handles of a service's instances. */
CpaStatus cpaGetInstances(
    const CpaAccelerationServiceType accelerationServiceType,
    Cpa16U numInstances,
    CpaInstanceHandle *cpaInstances);

/* How the application learns that responses are ready. */
typedef enum
{
    CPA_INST_RX_NOTIFY_NONE = 1,
    CPA_INST_RX_NOTIFY_BY_EVENT = 2
} CpaInstanceResponseMode;

/* Choose polling or event notification for an instance. */
CpaStatus cpaInstanceSetResponseMode(
    const CpaInstanceHandle instanceHandle,
    const CpaAccelerationServiceType accelerationServiceType,
    const CpaInstanceResponseMode responseMode);

/* Read the configured response mode. */
CpaStatus cpaInstanceGetResponseMode(
    const CpaInstanceHandle instanceHandle,
    const CpaAccelerationServiceType accelerationServiceType,
    CpaInstanceResponseMode *pResponseMode);

/* Policy for cpaAllocInstance. */
typedef enum
{
    CPA_INST_ALLOC_NONE = 0,
    CPA_INST_ALLOC_PREFER_EXISTING,
    CPA_INST_ALLOC_PREFER_NEW,
} CpaInstanceAllocPolicy;

/* Allocate an instance dynamically (CPA_STATUS_UNSUPPORTED, as in qatlib). */
CpaStatus cpaAllocInstance(const CpaAccelerationServiceType serviceType,
                           const CpaInstanceAllocPolicy policy,
                           CpaInstanceHandle *pInstanceHandle);

/* Free a dynamically allocated instance (CPA_STATUS_UNSUPPORTED). */
CpaStatus cpaFreeInstance(CpaInstanceHandle instanceHandle);

/* Interrupt-coalescing settings of an instance's response ring. */
typedef struct
{
    Cpa32U coalescingTimerInNs;
    Cpa32U coalescingTimerMaxInNs;
    Cpa32U coalescingTimerGranularityInNs;
    Cpa32U reserved1;
    Cpa64U reserved2;
} CpaRxInterruptMetaData;

/* Read the interrupt-coalescing settings. */
CpaStatus cpaInstanceGetRxInterruptMetaData(
    const CpaInstanceHandle instanceHandle,
    const CpaAccelerationServiceType accelerationServiceType,
    CpaRxInterruptMetaData *pInterruptData);

/* Set the interrupt-coalescing timer (0 disables coalescing). */
CpaStatus cpaInstanceSetIntCoalescingTimer(
    const CpaInstanceHandle instanceHandle,
    const CpaAccelerationServiceType accelerationServiceType,
    const Cpa32U coalescingTimerInNs);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_QAT_H */
