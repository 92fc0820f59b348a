//! softqat-config: both QAT configuration worlds, checked the way the driver
//! checks them, with messages that say `file:line:` what is wrong and how to
//! fix it.
//!
//! - [`class`]: device classes as data (dh895xcc, c3xxx, c6xx, 4xxx/401xx/402xx,
//!   420xx): PCI ids and geometry, looked up by name or PCI id.
//! - Per-endpoint files in the out-of-tree format ([`parse_endpoint_file`],
//!   [`parse_endpoint_str`]): `[GENERAL]`, `[KERNEL]`, `[KERNEL_QAT]`, user
//!   sections such as `[SSL]`, and `[DYN]`. All errors of a file are
//!   collected ([`ConfigErrors`]); unknown keys are warnings naming the
//!   closest known key.
//! - The managed-mode file `/etc/sysconfig/qat` ([`ManagedConfig`]): `POLICY`
//!   and `ServicesEnabled`.
//! - The ring budget and placement ([`placement`] module docs): services →
//!   ring pairs per instance → instances per bank, epoll instances taking a
//!   bank each, PF→VF service subsets (Guide Table 15, [`check_vf_services`]),
//!   and the ring pair every instance uses.
//! - The whole machine ([`SystemConfig`]): a directory of endpoint files
//!   ([`SystemConfig::load_dir`]) or the built-in qatlib-style default
//!   ([`SystemConfig::builtin_default`]); the internal sections a process is
//!   given for a section name ([`SystemConfig::internal_sections`]); the
//!   facts `qat_service status` prints ([`SystemConfig::summary`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod class;
mod diag;
mod endpoint;
mod ini;
mod managed;
mod model;
pub mod placement;
mod services;
mod system;
pub mod text;

pub use class::{AsymFacts, DcFacts, DeviceClass, Generation, StatefulFacts, SymFacts};
pub use diag::{ConfigError, ConfigErrors, Diagnostic, Warning};
pub use endpoint::{
    file_kind, parse_endpoint_bytes, parse_endpoint_file, parse_endpoint_str,
    parse_endpoint_str_as, parse_file_name, FileKind,
};
pub use managed::ManagedConfig;
pub use model::{
    EndpointConfig, General, Instance, InstanceConfig, InstanceService, InterruptCoalescing,
    PlacedInstance, Polling, RingPlacement, SectionConfig, SectionKind, ServicesProfile,
    Statistics,
};
pub use services::{RingService, ServiceSet, Vocabulary};
pub use system::{check_vf_services, EndpointSummary, InternalSection, Source, SystemConfig};
