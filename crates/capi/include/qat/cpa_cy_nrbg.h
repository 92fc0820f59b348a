/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: non-deterministic random bit generation (entropy) API.
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_CY_NRBG_H
#define CPA_CY_NRBG_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa_cy_common.h"

/* Entropy request: number of bytes wanted (greater than zero). */
typedef struct
{
    Cpa32U lengthInBytes;
} CpaCyNrbgOpData;

/* Requests lengthInBytes bytes of entropy into pEntropy (synchronous when
   pCb is NULL). Like qatlib's, softqat's returns CPA_STATUS_UNSUPPORTED. */
CpaStatus cpaCyNrbgGetEntropy(const CpaInstanceHandle instanceHandle,
                              const CpaCyGenFlatBufCbFunc pCb,
                              void *pCallbackTag,
                              const CpaCyNrbgOpData *pOpData,
                              CpaFlatBuffer *pEntropy);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_CY_NRBG_H */
