/* SPDX-License-Identifier: BSD-3-Clause */
/* softqat: every exported function of the "base" header family (cpa.h,
   cpa_dev.h, cpa_dc.h, cpa_dc_dp.h, cpa_dc_chain.h, cpa_dc_capabilities.h,
   cpa_rl.h, icp_sal.h, icp_sal_poll.h, icp_sal_user.h, icp_sal_versions.h,
   icp_sal_congestion_mgmt.h, qae_mem.h), by address. Compiled against
   softqat's include/qat and linked with -Wl,-z,now against libqat.so and
   libusdm.so, it proves each name resolves at load time; it prints the
   count and calls nothing.

   Left out on purpose: the five PF-VF message functions of icp_sal_user.h
   (icp_sal_userSendMsgToVf, icp_sal_userSendMsgToPf,
   icp_sal_userGetMsgFromVf, icp_sal_userGetMsgFromPf,
   icp_sal_userGetPfVfcommsStatus), which qatlib declares but does not
   export.

   cc -std=c99 -Wall -Werror -I<include/qat> protos_base.c -L<lib> -lqat
      -lusdm -Wl,-z,now */

#include <stdio.h>

#include "cpa.h"
#include "cpa_dev.h"
#include "cpa_dc.h"
#include "cpa_dc_dp.h"
#include "cpa_dc_chain.h"
#include "cpa_dc_capabilities.h"
#include "cpa_rl.h"
#include "icp_sal.h"
#include "icp_sal_poll.h"
#include "icp_sal_user.h"
#include "icp_sal_versions.h"
#include "icp_sal_congestion_mgmt.h"
#include "qae_mem.h"

typedef void (*AnyFn)(void);

struct Entry
{
    const char *name;
    AnyFn fn;
};

#define E(f) { #f, (AnyFn)f }

static const struct Entry entries[] = {
    /* cpa.h */
    E(cpaGetNumInstances),
    E(cpaGetInstances),
    E(cpaInstanceSetResponseMode),
    E(cpaInstanceGetResponseMode),
    E(cpaAllocInstance),
    E(cpaFreeInstance),
    E(cpaInstanceGetRxInterruptMetaData),
    E(cpaInstanceSetIntCoalescingTimer),
    /* cpa_dev.h */
    E(cpaGetNumDevices),
    E(cpaGetDeviceInfo),
    /* cpa_dc.h */
    E(cpaDcQueryCapabilities),
    E(cpaDcInitSession),
    E(cpaDcSetCrcControlData),
    E(cpaDcSetLZ4OutputFormat),
    E(cpaDcResetSession),
    E(cpaDcResetXXHashState),
    E(cpaDcUpdateSession),
    E(cpaDcRemoveSession),
    E(cpaDcSetAsbThreshold),
    E(cpaDcSetAsbRatio),
    E(cpaDcDeflateCompressBound),
    E(cpaDcLZ4CompressBound),
    E(cpaDcLZ4SCompressBound),
    E(cpaDcCompressData),
    E(cpaDcCompressData2),
    E(cpaDcNsCompressData),
    E(cpaDcCompressDataWithDict),
    E(cpaDcDecompressData),
    E(cpaDcDecompressData2),
    E(cpaDcNsDecompressData),
    E(cpaDcDecompressDataWithDict),
    E(cpaDcGenerateHeader),
    E(cpaDcGenerateFooter),
    E(cpaDcNsGenerateHeader),
    E(cpaDcNsGenerateFooter),
    E(cpaDcGetStats),
    E(cpaDcGetNumInstances),
    E(cpaDcGetInstances),
    E(cpaDcGetNumIntermediateBuffers),
    E(cpaDcStartInstance),
    E(cpaDcStopInstance),
    E(cpaDcInstanceGetInfo2),
    E(cpaDcInstanceSetNotificationCb),
    E(cpaDcGetSessionSize),
    E(cpaDcBufferListGetMetaSize),
    E(cpaDcGetMetaSizeForSrcBuffWithDict),
    E(cpaDcGetStatusText),
    E(cpaDcSetAddressTranslation),
    E(cpaDcZstdCompressBound),
    /* cpa_dc_dp.h */
    E(cpaDcDpGetSessionSize),
    E(cpaDcDpInitSession),
    E(cpaDcDpUpdateSession),
    E(cpaDcDpRemoveSession),
    E(cpaDcDpRegCbFunc),
    E(cpaDcDpEnqueueOp),
    E(cpaDcDpEnqueueOpWithPartRead),
    E(cpaDcDpEnqueueOpWithZeroPad),
    E(cpaDcDpEnqueueOpBatch),
    E(cpaDcDpEnqueueOpWithPartReadBatch),
    E(cpaDcDpEnqueueOpWithZeroPadBatch),
    E(cpaDcDpPerformOpNow),
    E(cpaDcDpIsPartReadSupported),
    E(cpaDcDpIsZeroPadSupported),
    /* cpa_dc_chain.h */
    E(cpaDcChainGetSessionSize),
    E(cpaDcChainInitSession),
    E(cpaDcChainSetCrcControlData),
    E(cpaDcChainResetSession),
    E(cpaDcChainRemoveSession),
    E(cpaDcChainPerformOp),
    E(cpaDcChainPerformOp2),
    /* cpa_dc_capabilities.h */
    E(cpaDcQueryCapabilityByType),
    /* cpa_rl.h */
    E(cpaGetDevRlPropertiesHandle),
    E(cpaRlPropGetNumInterfaces),
    E(cpaGetDevRlPropSlaCir),
    E(cpaGetDevRlPropSlaPir),
    E(cpaGetInstanceRlSlaPir),
    E(cpaGetInstanceRlSlaCir),
    E(cpaRlGetQpNumHandles),
    E(cpaRlGetQpHandles),
    E(cpaSetRlSla),
    E(cpaDeleteRlSla),
    E(cpaGetRlSla),
    E(cpaEnableRateLimiting),
    E(cpaDisableRateLimiting),
    /* icp_sal.h */
    E(icp_sal_dc_simulate_error),
    E(icp_sal_get_dc_error),
    /* icp_sal_poll.h */
    E(icp_sal_CyPollInstance),
    E(icp_sal_CyPollSymRing),
    E(icp_sal_CyPollAsymRing),
    E(icp_sal_CyPollDpInstance),
    E(icp_sal_DcPollInstance),
    E(icp_sal_DcPollDpInstance),
    E(icp_sal_pollBank),
    E(icp_sal_pollAllBanks),
    E(icp_sal_DcGetFileDescriptor),
    E(icp_sal_CyGetFileDescriptor),
    E(icp_sal_DcPutFileDescriptor),
    E(icp_sal_CyPutFileDescriptor),
    /* icp_sal_user.h */
    E(icp_sal_userStart),
    E(icp_sal_userStartMultiProcess),
    E(icp_sal_userStop),
    E(icp_sal_userCyGetAvailableNumDynInstances),
    E(icp_sal_userDcGetAvailableNumDynInstances),
    E(icp_sal_userCyGetAvailableNumDynInstancesByDevPkg),
    E(icp_sal_userCyGetAvailableNumDynInstancesByPkgAccel),
    E(icp_sal_userDcGetAvailableNumDynInstancesByDevPkg),
    E(icp_sal_userCyInstancesAlloc),
    E(icp_sal_userCyInstancesAllocByDevPkg),
    E(icp_sal_userCyInstancesAllocByPkgAccel),
    E(icp_sal_userCyFreeInstances),
    E(icp_sal_userDcInstancesAlloc),
    E(icp_sal_userDcInstancesAllocByDevPkg),
    E(icp_sal_userDcFreeInstances),
    E(icp_sal_find_new_devices),
    E(icp_sal_poll_device_events),
    E(icp_sal_check_device),
    E(icp_sal_check_all_devices),
    E(icp_sal_heartbeat_simulate_failure),
    E(icp_sal_get_num_pfs),
    E(icp_sal_get_pf_info),
    E(icp_sal_reset_device),
    E(icp_sal_userIsQatAvailable),
    E(icp_sal_cnv_simulate_error),
    E(icp_sal_ns_cnv_simulate_error),
    E(icp_sal_ns_cnv_reset_error),
    /* icp_sal_versions.h */
    E(icp_sal_getDevVersionInfo),
    /* icp_sal_congestion_mgmt.h */
    E(icp_sal_SymGetInflightRequests),
    E(icp_sal_AsymGetInflightRequests),
    E(icp_sal_dp_SymGetInflightRequests),
    /* qae_mem.h */
    E(qaeMemAlloc),
    E(qaeMemFree),
    E(qaeMemAllocNUMA),
    E(qaeMemFreeNUMA),
    E(qaeMemFreeNonZeroNUMA),
    E(qaeVirtToPhysNUMA),
    E(qaePhysToVirtNUMA),
    E(qaeRegisterDevice),
    E(qaeUnregisterDevice),
    E(qaeMemMapContiguousIova),
    E(qaeMemUnmapContiguousIova),
    E(qaeAtFork),
    E(qaeMemInit),
    E(qaeMemDestroy),
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
    printf("base family: %zu functions, %zu missing\n", n, missing);
    return missing == 0 ? 0 : 1;
}
