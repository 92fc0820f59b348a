/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: user-space process start/stop, device checks, PF info and
   the deprecated dynamic-instance calls (which return
   CPA_STATUS_UNSUPPORTED, as in qatlib). API facts from qatlib 26.08's
   public headers; written for softqat. */

#ifndef ICP_SAL_USER_H
#define ICP_SAL_USER_H

#include "icp_sal.h"
#include "cpa_dc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Attach this process to the library; the name is only length-checked. */
CpaStatus icp_sal_userStart(const char *pProcessName);

/* Old wrapper of icp_sal_userStart; limitDevAccess is ignored. */
CpaStatus icp_sal_userStartMultiProcess(const char *pProcessName,
                                        CpaBoolean limitDevAccess);

/* Detach this process (reference counted with the start calls). */
CpaStatus icp_sal_userStop(void);

#ifndef ICP_DC_ONLY
/* Deprecated dynamic crypto instance count. */
CpaStatus icp_sal_userCyGetAvailableNumDynInstances(Cpa32U *pNumCyInstances);
#endif

/* Deprecated dynamic compression instance count. */
CpaStatus icp_sal_userDcGetAvailableNumDynInstances(Cpa32U *pNumDcInstances);

#ifndef ICP_DC_ONLY
/* Deprecated dynamic crypto instance count on one package. */
CpaStatus icp_sal_userCyGetAvailableNumDynInstancesByDevPkg(
    Cpa32U *pNumCyInstances,
    Cpa32U devPkgID);

/* Deprecated dynamic crypto instance count on one package/accelerator. */
CpaStatus icp_sal_userCyGetAvailableNumDynInstancesByPkgAccel(
    Cpa32U *pNumCyInstances,
    Cpa32U devPkgID,
    Cpa32U accelerator_number);
#endif

/* Deprecated dynamic compression instance count on one package. */
CpaStatus icp_sal_userDcGetAvailableNumDynInstancesByDevPkg(
    Cpa32U *pNumDcInstances,
    Cpa32U devPkgID);

#ifndef ICP_DC_ONLY
/* Deprecated dynamic crypto instance allocation. */
CpaStatus icp_sal_userCyInstancesAlloc(Cpa32U numCyInstances,
                                       CpaInstanceHandle *pCyInstances);

/* Deprecated dynamic crypto instance allocation on one package. */
CpaStatus icp_sal_userCyInstancesAllocByDevPkg(Cpa32U numCyInstances,
                                               CpaInstanceHandle *pCyInstances,
                                               Cpa32U devPkgID);

/* Deprecated dynamic crypto instance allocation on package/accelerator. */
CpaStatus icp_sal_userCyInstancesAllocByPkgAccel(
    Cpa32U numCyInstances,
    CpaInstanceHandle *pCyInstances,
    Cpa32U devPkgID,
    Cpa32U accelerator_number);

/* Deprecated release of dynamic crypto instances. */
CpaStatus icp_sal_userCyFreeInstances(Cpa32U numCyInstances,
                                      CpaInstanceHandle *pCyInstances);
#endif

/* Deprecated dynamic compression instance allocation. */
CpaStatus icp_sal_userDcInstancesAlloc(Cpa32U numDcInstances,
                                       CpaInstanceHandle *pDcInstances);

/* Deprecated dynamic compression instance allocation on one package. */
CpaStatus icp_sal_userDcInstancesAllocByDevPkg(Cpa32U numDcInstances,
                                               CpaInstanceHandle *pDcInstances,
                                               Cpa32U devPkgID);

/* Deprecated release of dynamic compression instances. */
CpaStatus icp_sal_userDcFreeInstances(Cpa32U numDcInstances,
                                      CpaInstanceHandle *pDcInstances);

/* Pick up devices started since icp_sal_userStart. */
CpaStatus icp_sal_find_new_devices(void);

/* Deliver pending device events (restart etc.) to the callbacks. */
CpaStatus icp_sal_poll_device_events(void);

/* Heartbeat check of one device (packageId). */
CpaStatus icp_sal_check_device(Cpa32U packageId);

/* Heartbeat check of every device. */
CpaStatus icp_sal_check_all_devices(void);

/* Make the next heartbeat check of a device fail. */
CpaStatus icp_sal_heartbeat_simulate_failure(Cpa32U packageId);

/* Length of CpaPfInfo.device_gen without its terminating NUL. */
#define CPA_DEVICE_GEN_LEN 16

/* One physical function as reported by icp_sal_get_pf_info. */
typedef struct
{
    Cpa32U pkg_id;
    Cpa16U domain;
    Cpa16U bdf;
    char device_gen[CPA_DEVICE_GEN_LEN + 1];
} CpaPfInfo;

/* Number of physical functions in the system. */
CpaStatus icp_sal_get_num_pfs(Cpa16U *pNumPFs);

/* Fill an array of icp_sal_get_num_pfs entries. */
CpaStatus icp_sal_get_pf_info(CpaPfInfo *pPf_info);

/* PF-VF messaging stubs: declared by qatlib but not exported by
   libqat.so.4 (nor by softqat). */
CpaStatus icp_sal_userSendMsgToVf(Cpa32U accelId, Cpa32U vfNum, Cpa32U message);
CpaStatus icp_sal_userSendMsgToPf(Cpa32U accelId, Cpa32U message);
CpaStatus icp_sal_userGetMsgFromVf(Cpa32U accelId,
                                   Cpa32U vfNum,
                                   Cpa32U *message,
                                   Cpa32U *messageCounter);
CpaStatus icp_sal_userGetMsgFromPf(Cpa32U accelId,
                                   Cpa32U *message,
                                   Cpa32U *messageCounter);
CpaStatus icp_sal_userGetPfVfcommsStatus(CpaBoolean *unreadMessage);

/* Reset device accelId. */
CpaStatus icp_sal_reset_device(Cpa32U accelId);

/* CPA_TRUE when at least one device is usable. */
CpaBoolean icp_sal_userIsQatAvailable(void);

/* Inject compress-and-verify errors on a session. */
CpaStatus icp_sal_cnv_simulate_error(CpaInstanceHandle dcInstance,
                                     CpaDcSessionHandle pSessionHandle);

/* Inject compress-and-verify errors on no-session requests. */
CpaStatus icp_sal_ns_cnv_simulate_error(CpaInstanceHandle dcInstance);

/* Stop the no-session error injection. */
CpaStatus icp_sal_ns_cnv_reset_error(CpaInstanceHandle dcInstance);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ICP_SAL_USER_H */
