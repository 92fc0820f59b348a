/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: every function of the "sym" header family (cpa_cy_common.h,
   cpa_cy_im.h, cpa_cy_sym.h, cpa_cy_sym_dp.h, cpa_cy_key.h, cpa_cy_drbg.h,
   cpa_cy_nrbg.h, cpa_cy_kpt.h), by address. Compiled against softqat's
   include/qat and linked with -Wl,-z,now against libqat.so, it proves each
   declared name resolves at load time; it prints the count and calls
   nothing.

   cc -std=c99 -Wall -Werror -I<include/qat> protos_sym.c -L<lib> -lqat
      -Wl,-z,now */

#include <stdio.h>

#include "cpa.h"
#include "cpa_cy_common.h"
#include "cpa_cy_im.h"
#include "cpa_cy_sym.h"
#include "cpa_cy_sym_dp.h"
#include "cpa_cy_key.h"
#include "cpa_cy_drbg.h"
#include "cpa_cy_nrbg.h"
#include "cpa_cy_kpt.h"

typedef void (*AnyFn)(void);

struct Entry
{
    const char *name;
    AnyFn fn;
};

#define E(f) { #f, (AnyFn)f }

static const struct Entry entries[] = {
    /* cpa_cy_common.h */
    E(cpaCyBufferListGetMetaSize),
    E(cpaCyGetStatusText),
    E(cpaCyGetNumInstances),
    E(cpaCyGetInstances),
    E(cpaCyInstanceGetInfo),
    E(cpaCyInstanceGetInfo2),
    E(cpaCyInstanceSetNotificationCb),
    /* cpa_cy_im.h */
    E(cpaCyStartInstance),
    E(cpaCyStopInstance),
    E(cpaCyQueryCapabilities),
    E(cpaCySetAddressTranslation),
    /* cpa_cy_sym.h */
    E(cpaCySymSessionCtxGetSize),
    E(cpaCySymSessionCtxGetDynamicSize),
    E(cpaCySymInitSession),
    E(cpaCySymRemoveSession),
    E(cpaCySymUpdateSession),
    E(cpaCySymSessionInUse),
    E(cpaCySymPerformOp),
    E(cpaCySymQueryStats),
    E(cpaCySymQueryStats64),
    E(cpaCySymQueryCapabilities),
    /* cpa_cy_sym_dp.h */
    E(cpaCySymDpRegCbFunc),
    E(cpaCySymDpSessionCtxGetSize),
    E(cpaCySymDpSessionCtxGetDynamicSize),
    E(cpaCySymDpInitSession),
    E(cpaCySymDpRemoveSession),
    E(cpaCySymDpEnqueueOp),
    E(cpaCySymDpEnqueueOpBatch),
    E(cpaCySymDpPerformOpNow),
    /* cpa_cy_key.h */
    E(cpaCyKeyGenSsl),
    E(cpaCyKeyGenTls),
    E(cpaCyKeyGenTls2),
    E(cpaCyKeyGenTls3),
    E(cpaCyKeyGenMgf),
    E(cpaCyKeyGenMgfExt),
    E(cpaCyKeyGenQueryStats),
    E(cpaCyKeyGenQueryStats64),
    /* cpa_cy_drbg.h */
    E(cpaCyDrbgSessionGetSize),
    E(cpaCyDrbgInitSession),
    E(cpaCyDrbgReseed),
    E(cpaCyDrbgGen),
    E(cpaCyDrbgRemoveSession),
    E(cpaCyDrbgQueryStats64),
    /* cpa_cy_nrbg.h */
    E(cpaCyNrbgGetEntropy),
    /* cpa_cy_kpt.h */
    E(cpaCyKptQueryIssuingKeys),
    E(cpaCyKptQueryDeviceCredentials),
    E(cpaCyKptLoadKey),
    E(cpaCyKptDeleteKey),
    E(cpaCyKptRsaDecrypt),
    E(cpaCyKptEcdsaSignRS),
};

int main(void)
{
    size_t n = sizeof(entries) / sizeof(entries[0]);
    size_t i;
    size_t missing = 0;

    for (i = 0; i < n; i++)
    {
        if (entries[i].fn == NULL)
        {
            printf("missing %s\n", entries[i].name);
            missing++;
        }
    }
    printf("sym family: %zu functions, %zu missing\n", n, missing);
    return missing == 0 ? 0 : 1;
}
