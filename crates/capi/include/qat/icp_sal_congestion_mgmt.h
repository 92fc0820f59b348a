/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: in-flight request counters per instance (congestion
   management). API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef ICP_SAL_CONGESTION_MGMT_H
#define ICP_SAL_CONGESTION_MGMT_H

#include "icp_sal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Maximum and current in-flight requests of a symmetric instance. */
CpaStatus icp_sal_SymGetInflightRequests(CpaInstanceHandle instanceHandle,
                                         Cpa32U *maxInflightRequests,
                                         Cpa32U *numInflightRequests);

/* Maximum and current in-flight requests of an asymmetric instance. */
CpaStatus icp_sal_AsymGetInflightRequests(CpaInstanceHandle instanceHandle,
                                          Cpa32U *maxInflightRequests,
                                          Cpa32U *numInflightRequests);

/* Same as icp_sal_SymGetInflightRequests for the symmetric DP API. */
CpaStatus icp_sal_dp_SymGetInflightRequests(CpaInstanceHandle instanceHandle,
                                            Cpa32U *maxInflightRequests,
                                            Cpa32U *numInflightRequests);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ICP_SAL_CONGESTION_MGMT_H */
