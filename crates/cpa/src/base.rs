//! `cpa.h`: the status of every call, instance events and service types.

cpa_enum! {
    /// `CpaStatus`: the status of an API call or of a completed request.
    ///
    /// In C a `Cpa32S` with `#define`d values; here an enum of those values.
    pub enum CpaStatus: i32 = "CpaStatus" {
        /// Success.
        Success = 0 => "CPA_STATUS_SUCCESS",
        /// General or unspecified error.
        Fail = -1 => "CPA_STATUS_FAIL",
        /// Recoverable error: try again (e.g. the request ring is full).
        Retry = -2 => "CPA_STATUS_RETRY",
        /// A resource that was requested is unavailable.
        Resource = -3 => "CPA_STATUS_RESOURCE",
        /// An invalid parameter was passed in.
        InvalidParam = -4 => "CPA_STATUS_INVALID_PARAM",
        /// A serious error: shut down and restart the component.
        Fatal = -5 => "CPA_STATUS_FATAL",
        /// Not supported, at least not with the parameters supplied.
        Unsupported = -6 => "CPA_STATUS_UNSUPPORTED",
        /// The implementation is restarting (e.g. a device reset): retry.
        Restarting = -7 => "CPA_STATUS_RESTARTING",
    }
}

impl CpaStatus {
    /// The numeric value (as [`CpaStatus::value`]).
    pub const fn code(self) -> i32 {
        self.value()
    }

    /// The status with numeric value `code`; values `cpa.h` does not define
    /// read as [`CpaStatus::Fail`]. Use [`CpaStatus::from_value`] to tell
    /// them apart.
    pub const fn from_code(code: i32) -> CpaStatus {
        match CpaStatus::from_value(code) {
            Some(s) => s,
            None => CpaStatus::Fail,
        }
    }
}

cpa_enum! {
    /// `CpaInstanceEvent`: what an instance's notification callback is told.
    pub enum InstanceEvent: u8 = "CpaInstanceEvent" {
        /// The instance is restarting (e.g. its device is about to be reset).
        Restarting = 0 => "CPA_INSTANCE_EVENT_RESTARTING",
        /// The instance has restarted and serves requests again.
        Restarted = 1 => "CPA_INSTANCE_EVENT_RESTARTED",
        /// An error was detected that requires the device to be reset.
        FatalError = 2 => "CPA_INSTANCE_EVENT_FATAL_ERROR",
    }
}

// Values from intel/qatlib `quickassist/include/cpa.h` (commit d40eb41):
// CRYPTO, DATA_COMPRESSION, PATTERN_MATCH, RAID and XML are set from the
// deprecated `CpaInstanceType` (CRYPTO 0, DATA_COMPRESSION 1, RAID 2, XML 3,
// REGEX 4); VIDEO_ANALYTICS, CRYPTO_ASYM and CRYPTO_SYM carry no initialiser,
// so they count on from XML: 4, 5, 6. VIDEO_ANALYTICS therefore equals
// PATTERN_MATCH in C, which a Rust enum cannot express as two variants; it is
// the constant `ServiceType::VIDEO_ANALYTICS` below.
cpa_enum! {
    /// `CpaAccelerationServiceType`: the service an instance provides.
    pub enum ServiceType: u32 = "CpaAccelerationServiceType" {
        /// Cryptography, symmetric and asymmetric.
        Crypto = 0 => "CPA_ACC_SVC_TYPE_CRYPTO",
        /// Data compression.
        DataCompression = 1 => "CPA_ACC_SVC_TYPE_DATA_COMPRESSION",
        /// Pattern match (`CPA_INSTANCE_TYPE_REGEX`). `CPA_ACC_SVC_TYPE_VIDEO_ANALYTICS`
        /// has the same value in `cpa.h`: see [`ServiceType::VIDEO_ANALYTICS`].
        PatternMatch = 4 => "CPA_ACC_SVC_TYPE_PATTERN_MATCH",
        /// RAID.
        Raid = 2 => "CPA_ACC_SVC_TYPE_RAID",
        /// XML.
        Xml = 3 => "CPA_ACC_SVC_TYPE_XML",
        /// Cryptography, asymmetric service only.
        CryptoAsym = 5 => "CPA_ACC_SVC_TYPE_CRYPTO_ASYM",
        /// Cryptography, symmetric service only.
        CryptoSym = 6 => "CPA_ACC_SVC_TYPE_CRYPTO_SYM",
    }
}

impl ServiceType {
    /// `CPA_ACC_SVC_TYPE_VIDEO_ANALYTICS`: in `cpa.h` it follows
    /// `CPA_ACC_SVC_TYPE_XML` (3) without an initialiser, so its value is 4,
    /// the value of `CPA_ACC_SVC_TYPE_PATTERN_MATCH`. The two cannot be told
    /// apart by value; this is the same [`ServiceType::PatternMatch`].
    pub const VIDEO_ANALYTICS: ServiceType = ServiceType::PatternMatch;
}
