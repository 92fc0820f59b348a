/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: SAL compression error-injection helpers.
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef ICP_SAL_H
#define ICP_SAL_H

/* qatlib's header relies on the includer for the CPA types; softqat's
   includes cpa.h itself. */
#include "cpa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Make the next numErrors compression requests fail with dcError
   (a CpaDcReqStatus value); 0 stops, 0xFF injects always. */
CpaStatus icp_sal_dc_simulate_error(Cpa8U numErrors, Cpa8S dcError);

/* Number of requests that failed with dcError. */
Cpa64U icp_sal_get_dc_error(Cpa8S dcError);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ICP_SAL_H */
