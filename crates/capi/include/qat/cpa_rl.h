/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: rate-limiting (SLA) API. qatlib implements all of it as
   stubs returning CPA_STATUS_UNSUPPORTED; so does softqat.
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_RL_H
#define CPA_RL_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa.h"

/* Detail of a CPA_STATUS_FAIL from a rate-limiting call. */
typedef enum
{
    CPA_STATUS_RL_FAIL = -1,
    CPA_STATUS_RL_FAIL_IO = -2,
    CPA_STATUS_RL_NOT_ENABLED = -3,
    CPA_STATUS_RL_INVALID_CIR_PIR = -4,
    CPA_STATUS_RL_SLA_NOT_CONFIGURED = -5,
} CpaRlError;

/* Handle of one queue pair that can carry an SLA. */
typedef void *CpaRlQpHandle;

/* Handle of a device's rate-limiting properties for one service. */
typedef void *CpaRlPropertiesHandle;

/* SLA of a queue pair: committed and peak rate (Mbps for sym/dc,
   Kops for asym). */
typedef struct
{
    CpaAccelerationServiceType svcType;
    Cpa32U cir;
    Cpa32U pir;
} CpaUserSla;

/* Properties handle of device devIdx for service svcType. */
CpaStatus cpaGetDevRlPropertiesHandle(Cpa16U devIdx,
                                      const CpaAccelerationServiceType svcType,
                                      CpaRlPropertiesHandle *handle,
                                      CpaRlError *rlError);

/* Total and unassigned SLA interfaces. */
CpaStatus cpaRlPropGetNumInterfaces(const CpaRlPropertiesHandle handle,
                                    Cpa32U *totalSlaInterfaces,
                                    Cpa32U *remSlaInterfaces,
                                    CpaRlError *rlError);

/* Total and remaining CIR. */
CpaStatus cpaGetDevRlPropSlaCir(const CpaRlPropertiesHandle handle,
                                Cpa32U *totalCir,
                                Cpa32U *remCir,
                                CpaRlError *rlError);

/* Total and assigned PIR. */
CpaStatus cpaGetDevRlPropSlaPir(const CpaRlPropertiesHandle handle,
                                Cpa32U *totalPir,
                                Cpa32U *totalAssignedPir,
                                CpaRlError *rlError);

/* PIR of an instance. */
CpaStatus cpaGetInstanceRlSlaPir(const CpaInstanceHandle handle,
                                 Cpa32U *pirSetting,
                                 CpaRlError *rlError);

/* CIR of an instance. */
CpaStatus cpaGetInstanceRlSlaCir(const CpaInstanceHandle handle,
                                 Cpa32U *cirSetting,
                                 CpaRlError *rlError);

/* Number of queue-pair handles of a device for a service. */
CpaStatus cpaRlGetQpNumHandles(Cpa32U devIdx,
                               CpaAccelerationServiceType svcType,
                               Cpa8U *numHandles,
                               CpaRlError *rlError);

/* Fill an array with the queue-pair handles. */
CpaStatus cpaRlGetQpHandles(Cpa32U devIdx,
                            CpaAccelerationServiceType svcType,
                            CpaRlQpHandle *handles,
                            CpaRlError *rlError);

/* Set the SLA of a queue pair. */
CpaStatus cpaSetRlSla(CpaRlQpHandle handle,
                      CpaUserSla *sla,
                      CpaRlError *rlError);

/* Remove the SLA of a queue pair. */
CpaStatus cpaDeleteRlSla(CpaRlQpHandle handle, CpaRlError *rlStatus);

/* Read the SLA of a queue pair. */
CpaStatus cpaGetRlSla(const CpaRlQpHandle handle,
                      CpaUserSla *sla,
                      CpaRlError *rlError);

/* Turn rate limiting on for device devIdx. */
CpaStatus cpaEnableRateLimiting(Cpa32U devIdx, CpaRlError *rlError);

/* Turn rate limiting off for device devIdx. */
CpaStatus cpaDisableRateLimiting(Cpa32U devIdx, CpaRlError *rlError);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_RL_H */
