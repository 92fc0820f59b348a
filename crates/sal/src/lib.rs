//! softqat service access layer (SAL): the library applications use.
//!
//! It mirrors the CPA API of Intel QAT — instances, sessions, compression
//! requests (synchronous and asynchronous), polling of instances and banks,
//! epoll file descriptors, the data-plane API, statistics and error
//! simulation — as an idiomatic Rust API. The C ABI (`libqat.so.4`) is built on
//! this API, call for call.
//!
//! ```
//! use softqat_sal::{DcOpData, DcSessionSetup, FlushFlag, Qat};
//!
//! // icp_sal_userStart("SSL"): embedded endpoints from the configuration found.
//! let qat = Qat::start("SSL")?;
//! let inst = &qat.dc_instances()[0];
//! inst.start()?;                                   // cpaDcStartInstance
//! let session = inst.init_session(&DcSessionSetup::default())?; // no callback: synchronous
//! let data = b"hello hello hello hello".repeat(100);
//! let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
//! let r = inst.compress(&session, &data, &mut out, &DcOpData::new(FlushFlag::Final))?;
//! assert_eq!(r.consumed as usize, data.len());
//! let mut back = vec![0u8; data.len()];
//! let d = inst.decompress(&session, &out[..r.produced as usize], &mut back,
//!                         &DcOpData::new(FlushFlag::Final))?;
//! assert_eq!(&back[..d.produced as usize], &data[..]);
//! # Ok::<(), softqat_sal::Error>(())
//! ```
//!
//! Layout: [`runtime`] (user start/stop, sections), [`instance`] (the
//! instance core every service is built on: ring, polling, epoll,
//! notification callbacks, synchronous waiting, state checks), [`dc`] (the
//! compression service: sessions, op data, results, statistics, its instance
//! and data-plane API), [`dma`] (DMA-able buffers and buffer lists),
//! [`simulate`] (error simulation), and [`poll_device_events`] (device
//! events reach the notification callbacks when the application polls for
//! them, as with qatlib's `icp_sal_poll_device_events`).
#![deny(missing_docs)]
// One unsafe call: the embedded device set's passthrough memory map
// (`runtime.rs`), whose contract this crate's request paths keep.
#![deny(unsafe_code)]

pub mod asym;
pub mod dc;
pub mod dma;
pub mod error;
mod events;
mod info;
pub mod instance;
pub mod link;
pub mod managed;
pub mod runtime;
pub mod simulate;
pub mod sym;

pub use asym::instance::AsymStats;
pub use asym::{
    AsymCallback, AsymCompletion, AsymFunction, AsymOp, AsymRejected, AsymResults, CyCapabilities,
    DhStats, DsaStats, EcStats, EcdhStats, EcdsaStats, KeyGenStats, LnStats, PrimeStats,
    RsaPrivateKey, RsaStats, Sm2Stats,
};
pub use dc::chain::{
    ChainRejected, DcChainCompletion, DcChainHashSetup, DcChainOpData, DcChainOperation,
    DcChainSession, DcChainSetup,
};
pub use dc::dict::{DcDictionary, DictSettings, DictType};
pub use dc::dp::{DpCompletion, DpExtras, DpOp, PartialRead};
pub use dc::foreign::ForeignCallback;
pub use dc::instance::{DcInstance, Rejected};
pub use dc::ns::DcNsSetup;
pub use dc::{
    deflate_compress_bound, lz4_compress_bound, lz4s_compress_bound, zstd_compress_bound, AsbRatio,
    AsbThreshold, AutoSelectBest, ChecksumType, CompType, CrcControlData, CrcData, DcCapabilities,
    DcCompletion, DcOpData, DcResults, DcSession, DcSessionSetup, DcSessionUpdate, DcStats,
    FlushFlag, HuffType, IntegrityCheck, IntegrityCrcSize, Lz4BlockMaxSize, MinMatch,
    SessionDirection, SessionState, WindowSize,
};
pub use dc::{ns_generate_footer, ns_generate_header};
pub use dma::{BufferList, DmaBuf};
pub use error::{CpaStatus, Error, Result};
pub use events::{pending_device_events, poll_device_events};
pub use instance::{InstanceEvent, InstanceInfo, PollingMode};
pub use link::EndpointLink;
pub use runtime::{Mode, Qat, StartOptions};
pub use simulate::{dc_simulate_error, get_dc_error};
pub use softqat_cpa::DcStatus;
pub use softqat_device::desc::{BufferDesc, SglEntry};
pub use softqat_device::plan::ConfigSource;
pub use softqat_device::Iova;
pub use softqat_device::{Fault, HeartbeatStatus, RasPolicy};
pub use sym::dp::{SymDpCompletion, SymDpOp};
pub use sym::foreign::{ForeignSymOp, ForeignWords, SymForeignCallback};
pub use sym::instance::CyInstance;
pub use sym::{
    CipherSetup, HashSetup, NestedSetup, SymCapabilities, SymCompletion, SymData, SymOpData,
    SymRejected, SymRequest, SymResults, SymSession, SymSessionSetup, SymSessionUpdate, SymStats,
};
