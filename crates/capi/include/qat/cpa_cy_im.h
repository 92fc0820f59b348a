/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: crypto instance management (start, stop, capabilities, address
   translation). API facts from qatlib 26.08's public headers; written for
   softqat. */

#ifndef CPA_CY_IM_H_
#define CPA_CY_IM_H_

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Starts a crypto instance; required before any other call on it. */
CpaStatus cpaCyStartInstance(CpaInstanceHandle instanceHandle);

/* Stops a crypto instance; callbacks of requests still in flight are not
   called. */
CpaStatus cpaCyStopInstance(CpaInstanceHandle instanceHandle);

/* Which crypto sub-APIs an instance offers (one CpaBoolean each, in this
   order). In softqat drbg, nrbg, rand and kpt are always CPA_FALSE. */
typedef struct
{
    CpaBoolean symSupported;
    CpaBoolean symDpSupported;
    CpaBoolean dhSupported;
    CpaBoolean dsaSupported;
    CpaBoolean rsaSupported;
    CpaBoolean ecSupported;
    CpaBoolean ecdhSupported;
    CpaBoolean ecdsaSupported;
    CpaBoolean keySupported;
    CpaBoolean lnSupported;
    CpaBoolean primeSupported;
    CpaBoolean drbgSupported;
    CpaBoolean nrbgSupported;
    CpaBoolean randSupported;
    CpaBoolean kptSupported;
    CpaBoolean hkdfSupported;
    CpaBoolean extAlgchainSupported;
    CpaBoolean ecEdMontSupported;
    CpaBoolean ecSm2Supported;
} CpaCyCapabilitiesInfo;

/* Fills pCapInfo with the capabilities of the instance. */
CpaStatus cpaCyQueryCapabilities(const CpaInstanceHandle instanceHandle,
                                 CpaCyCapabilitiesInfo *pCapInfo);

/* Sets the virtual-to-physical translation the instance uses (default: the
   usdm library's qaeVirtToPhysNUMA). */
CpaStatus cpaCySetAddressTranslation(const CpaInstanceHandle instanceHandle,
                                     CpaVirtualToPhysical virtual2Physical);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_IM_H_ */
