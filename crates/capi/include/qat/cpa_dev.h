/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: CPA device API (device count and per-device information).
   API facts from qatlib 26.08's public headers; written for softqat. */

#ifndef CPA_DEV_H
#define CPA_DEV_H

#ifdef __cplusplus
extern "C" {
#endif

#include "cpa.h"

/* Properties of one (emulated) QAT endpoint. bdf packs bus<15:8>,
   device<7:3> and function<2:0>. */
typedef struct
{
    Cpa32U sku;
    Cpa16U bdf;
    Cpa32U deviceId;
    Cpa32U numaNode;
    CpaBoolean isVf;
    CpaBoolean dcEnabled;
    CpaBoolean cySymEnabled;
    CpaBoolean cyAsymEnabled;
    CpaBoolean inlineEnabled;
    Cpa32U deviceMemorySizeAvailable;
} CpaDeviceInfo;

/* Number of devices visible to this process. */
CpaStatus cpaGetNumDevices(Cpa16U *numDevices);

/* Information about device number `device` (0 .. count-1). */
CpaStatus cpaGetDeviceInfo(Cpa16U device, CpaDeviceInfo *deviceInfo);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPA_DEV_H */
