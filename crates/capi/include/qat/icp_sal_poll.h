/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: polling of instance response rings and event file descriptors.
   A quota of 0 drains everything; CPA_STATUS_RETRY means nothing was
   pending. API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef ICP_SAL_POLL_H
#define ICP_SAL_POLL_H

/* qatlib's header relies on the includer for the CPA types; softqat's
   includes cpa.h itself. */
#include "cpa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Poll both rings of a crypto instance and run the callbacks. */
CpaStatus icp_sal_CyPollInstance(CpaInstanceHandle instanceHandle,
                                 Cpa32U response_quota);

/* Poll only the symmetric response ring of a crypto instance. */
CpaStatus icp_sal_CyPollSymRing(CpaInstanceHandle instanceHandle,
                                Cpa32U response_quota);

/* Poll only the asymmetric response ring of a crypto instance. */
CpaStatus icp_sal_CyPollAsymRing(CpaInstanceHandle instanceHandle,
                                 Cpa32U response_quota);

/* Poll a crypto instance used with the symmetric DP API. */
CpaStatus icp_sal_CyPollDpInstance(const CpaInstanceHandle instanceHandle,
                                   const Cpa32U response_quota);

/* Poll a compression instance. */
CpaStatus icp_sal_DcPollInstance(CpaInstanceHandle instanceHandle,
                                 Cpa32U response_quota);

/* Poll a compression instance used with the DC DP API. */
CpaStatus icp_sal_DcPollDpInstance(CpaInstanceHandle dcInstance,
                                   Cpa32U responseQuota);

/* Poll every ring of one bank (ring pair) of device accelId. */
CpaStatus icp_sal_pollBank(Cpa32U accelId,
                           Cpa32U bank_number,
                           Cpa32U response_quota);

/* Poll every bank of device accelId. */
CpaStatus icp_sal_pollAllBanks(Cpa32U accelId, Cpa32U response_quota);

/* File descriptor that becomes readable when a compression instance in
   event mode (CPA_INST_RX_NOTIFY_BY_EVENT) has responses. */
CpaStatus icp_sal_DcGetFileDescriptor(CpaInstanceHandle instanceHandle,
                                      int *fd);

/* Same for a crypto instance. */
CpaStatus icp_sal_CyGetFileDescriptor(CpaInstanceHandle instanceHandle,
                                      int *fd);

/* Give back a compression instance's file descriptor. */
CpaStatus icp_sal_DcPutFileDescriptor(CpaInstanceHandle instanceHandle, int fd);

/* Give back a crypto instance's file descriptor. */
CpaStatus icp_sal_CyPutFileDescriptor(CpaInstanceHandle instanceHandle, int fd);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ICP_SAL_POLL_H */
