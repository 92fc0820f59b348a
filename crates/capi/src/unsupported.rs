//! The qatlib exports softqat does not implement. Each is exported, so a
//! program linked with `-z now` loads, and returns `CPA_STATUS_UNSUPPORTED`
//! (saying why on stderr) — what qatlib itself returns for most of them.
//!
//! Arguments are not read, so none are declared: in the C calling
//! conventions softqat builds for (x86-64 and AArch64 System V), arguments
//! travel in registers or in the caller's own stack frame, which the caller
//! also cleans up, so a definition that reads none of them may omit them.
//! Each function still returns the type its header declares (`CpaStatus`).

use crate::ffi::{Error, Status};

/// Says why and returns UNSUPPORTED.
fn refuse(function: &str, why: &str) -> Status {
    let e = Error::unsupported(why.to_string());
    crate::ffi::report(function, &e);
    e.status.code()
}

/// Defines unsupported functions, each group with its reason.
macro_rules! unsupported {
    ($($why:literal => [$($name:ident),+ $(,)?];)+) => {
        $($(
            #[doc = concat!("`", stringify!($name), "`: ", $why)]
            #[no_mangle]
            pub extern "C" fn $name() -> Status {
                refuse(stringify!($name), $why)
            }
        )+)+
    };
}

unsupported! {
    "instances are created by icp_sal_userStart from the configuration; qatlib does not \
     support allocating them either" => [cpaAllocInstance, cpaFreeInstance];
    "interrupt (event) response mode and coalescing are not supported: instances are polled \
     (IsPolled = 1) or epoll (IsPolled = 2)" => [
        cpaInstanceGetResponseMode, cpaInstanceSetResponseMode,
        cpaInstanceGetRxInterruptMetaData, cpaInstanceSetIntCoalescingTimer,
    ];
    "the rate-limiting API of cpa_rl.h is not supported (qatlib stubs it too): configure SLAs \
     with sla_mgr" => [
        cpaDeleteRlSla, cpaDisableRateLimiting, cpaEnableRateLimiting, cpaGetDevRlPropSlaCir,
        cpaGetDevRlPropSlaPir, cpaGetDevRlPropertiesHandle, cpaGetInstanceRlSlaCir,
        cpaGetInstanceRlSlaPir, cpaGetRlSla, cpaRlGetQpHandles, cpaRlGetQpNumHandles,
        cpaRlPropGetNumInterfaces, cpaSetRlSla,
    ];
    "choosing the LZ4 output format is not supported by softqat endpoints: LZ4 sessions \
     produce frame data blocks, framed by cpaDcGenerateHeader and cpaDcGenerateFooter" => [
        cpaDcSetLZ4OutputFormat,
    ];
    "dynamic instances are not supported (qatlib returns UNSUPPORTED too)" => [
        icp_sal_userCyFreeInstances, icp_sal_userCyGetAvailableNumDynInstances,
        icp_sal_userCyGetAvailableNumDynInstancesByDevPkg,
        icp_sal_userCyGetAvailableNumDynInstancesByPkgAccel, icp_sal_userCyInstancesAlloc,
        icp_sal_userCyInstancesAllocByDevPkg, icp_sal_userCyInstancesAllocByPkgAccel,
        icp_sal_userDcFreeInstances, icp_sal_userDcGetAvailableNumDynInstances,
        icp_sal_userDcGetAvailableNumDynInstancesByDevPkg, icp_sal_userDcInstancesAlloc,
        icp_sal_userDcInstancesAllocByDevPkg,
    ];
    "physical-function queries are for hosts with QAT hardware" => [
        icp_sal_get_num_pfs, icp_sal_get_pf_info,
    ];
    "IOMMU mapping is not needed: softqat's DMA addresses are virtual addresses" => [
        icp_sal_iommu_map, icp_sal_iommu_unmap,
    ];
    "KPT (key protection technology) needs hardware key storage; softqat has none" => [
        cpaCyKptDeleteKey, cpaCyKptEcdsaSignRS, cpaCyKptLoadKey, cpaCyKptQueryDeviceCredentials,
        cpaCyKptQueryIssuingKeys, cpaCyKptRsaDecrypt,
    ];
    "the DRBG and NRBG APIs are not supported (qatlib stubs them too)" => [
        cpaCyDrbgGen, cpaCyDrbgInitSession, cpaCyDrbgQueryStats64, cpaCyDrbgRemoveSession,
        cpaCyDrbgReseed, cpaCyDrbgSessionGetSize, cpaCyNrbgGetEntropy,
    ];
}

/// `icp_sal_iommu_get_remap_size(size)`: the size itself (nothing is
/// remapped).
#[no_mangle]
pub extern "C" fn icp_sal_iommu_get_remap_size(size: usize) -> usize {
    size
}
