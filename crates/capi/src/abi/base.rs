//! `cpa.h`: buffers, instance information, handles.

use std::ffi::c_void;

use crate::ffi::CpaBoolean;

/// `CpaInstanceHandle`.
pub type CpaInstanceHandle = *mut c_void;

/// `CpaPhysicalAddr`.
pub type CpaPhysicalAddr = u64;

/// `CPA_DP_BUFLIST`: a data-plane buffer length meaning "the address is a
/// `CpaPhysBufferList`".
pub const CPA_DP_BUFLIST: u32 = 0xFFFF_FFFF;

/// `CpaFlatBuffer`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaFlatBuffer {
    /// `dataLenInBytes`.
    pub data_len_in_bytes: u32,
    /// `pData`.
    pub p_data: *mut u8,
}

/// `CpaBufferList`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaBufferList {
    /// `numBuffers`.
    pub num_buffers: u32,
    /// `pBuffers`.
    pub p_buffers: *mut CpaFlatBuffer,
    /// `pUserData`.
    pub p_user_data: *mut c_void,
    /// `pPrivateMetaData`: caller memory of the size
    /// `cpaDcBufferListGetMetaSize` returns, where the library writes the
    /// list's descriptor table.
    pub p_private_meta_data: *mut c_void,
}

/// `CpaPhysFlatBuffer`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaPhysFlatBuffer {
    /// `dataLenInBytes`.
    pub data_len_in_bytes: u32,
    /// `reserved`.
    pub reserved: u32,
    /// `bufferPhysAddr`.
    pub buffer_phys_addr: CpaPhysicalAddr,
}

/// `CpaPhysBufferList` (its `flatBuffers` array follows the header).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaPhysBufferList {
    /// `reserved0`.
    pub reserved0: u64,
    /// `numBuffers`.
    pub num_buffers: u32,
    /// `reserved1`.
    pub reserved1: u32,
    /// `flatBuffers[]`.
    pub flat_buffers: [CpaPhysFlatBuffer; 0],
}

/// `CpaPhysicalInstanceId`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaPhysicalInstanceId {
    /// `packageId`.
    pub package_id: u16,
    /// `acceleratorId`.
    pub accelerator_id: u16,
    /// `executionEngineId`.
    pub execution_engine_id: u16,
    /// `busAddress`.
    pub bus_address: u16,
    /// `kptAcHandle`.
    pub kpt_ac_handle: u32,
}

/// `CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES`.
pub const CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES: usize = 64;
/// `CPA_INSTANCE_MAX_ID_SIZE_IN_BYTES`.
pub const CPA_INSTANCE_MAX_ID_SIZE_IN_BYTES: usize = 128;
/// `CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES`.
pub const CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES: usize = 64;
/// `CPA_MAX_CORES`: bits of the `coreAffinity` bitmap.
pub const CPA_MAX_CORES: usize = 4096;

/// `CPA_OPER_STATE_DOWN`.
pub const CPA_OPER_STATE_DOWN: u32 = 0;
/// `CPA_OPER_STATE_UP`.
pub const CPA_OPER_STATE_UP: u32 = 1;

/// `CpaInstanceInfo2`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaInstanceInfo2 {
    /// `accelerationServiceType` (`CpaAccelerationServiceType`).
    pub acceleration_service_type: u32,
    /// `vendorName`.
    pub vendor_name: [u8; CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES],
    /// `partName`.
    pub part_name: [u8; CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES],
    /// `swVersion`.
    pub sw_version: [u8; CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES],
    /// `instName`.
    pub inst_name: [u8; CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES],
    /// `instID`.
    pub inst_id: [u8; CPA_INSTANCE_MAX_ID_SIZE_IN_BYTES],
    /// `physInstId`.
    pub phys_inst_id: CpaPhysicalInstanceId,
    /// `coreAffinity` (`CPA_BITMAP(coreAffinity, CPA_MAX_CORES)`).
    pub core_affinity: [u32; CPA_MAX_CORES / 32],
    /// `nodeAffinity`.
    pub node_affinity: u32,
    /// `operState` (`CpaOperationalState`).
    pub oper_state: u32,
    /// `requiresPhysicallyContiguousMemory`.
    pub requires_physically_contiguous_memory: CpaBoolean,
    /// `isPolled`.
    pub is_polled: CpaBoolean,
    /// `isOffloaded`.
    pub is_offloaded: CpaBoolean,
}

/// `CpaInstanceEvent` notification callback: `CpaDcInstanceNotificationCbFunc`
/// / `CpaCyInstanceNotificationCbFunc` (`instanceHandle, pCallbackTag, event`).
pub type CpaInstanceNotificationCbFunc =
    Option<unsafe extern "C" fn(CpaInstanceHandle, *mut c_void, u32)>;

/// `CpaInstanceInfo` (deprecated).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaInstanceInfo {
    /// `type` (`CpaInstanceType`: CRYPTO 0, DATA_COMPRESSION 1).
    pub type_: u32,
    /// `state` (`CpaInstanceState`: INITIALISED 0, SHUTDOWN 1).
    pub state: u32,
    /// `name`.
    pub name: [u8; CPA_INSTANCE_MAX_NAME_SIZE_IN_BYTES],
    /// `version`.
    pub version: [u8; CPA_INSTANCE_MAX_VERSION_SIZE_IN_BYTES],
}

/// `CpaCrcControlData` (`cpa.h`): the parameters of a programmable CRC64.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCrcControlData {
    /// `polynomial`.
    pub polynomial: u64,
    /// `initialValue`.
    pub initial_value: u64,
    /// `reflectIn`.
    pub reflect_in: crate::ffi::CpaBoolean,
    /// `reflectOut`.
    pub reflect_out: crate::ffi::CpaBoolean,
    /// `xorOut`.
    pub xor_out: u64,
}
