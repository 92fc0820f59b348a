//! softqat device layer — the acceleration driver framework (ADF) of software
//! endpoints.
//!
//! An [`Endpoint`] is one software QAT physical function: its class geometry
//! (banks of ring pairs, engines), a state machine, engine threads that act as
//! the firmware, and a [`DmaRegistry`] through which every buffer a descriptor
//! names is translated and bounds-checked.
//!
//! The data path, as on hardware:
//!
//! ```text
//! sal:    build RequestDesc → ring slot (tail++) → doorbell if engines sleep
//! device: engine claims the slot → translate buffers → engine computes → response slot
//! sal:    poll response slots (or wait on the notification fd) → callback
//! ```
//!
//! Ring slots hold fixed-size plain-old-data descriptors ([`desc`]); rings live
//! in a [`ring::RingMemory`] that can be process memory (embedded mode) or shared
//! memory (managed mode) without change.
//!
//! What to build from a configuration — endpoints, and the instances of every
//! service of each internal section with their ring pairs — is planned in
//! [`plan`], which the SAL (embedded mode) and `softqatd` share, as they share
//! the managed-mode protocol ([`proto`]).
//!
//! Unsafe code lives in five small modules, each stating its invariants:
//! [`ring`] (the shared ring memory), [`dma`] (turning translated addresses into
//! slices), [`notify`] (eventfd system calls), [`ipc`] (memfd mappings, fd
//! passing and peer credentials, for managed mode) and [`limits`] (one
//! `getrlimit` call, to name the limit an exhausted resource hit).

pub mod debugfs;
pub mod desc;
pub mod dma;
pub mod endpoint;
pub mod error;
pub mod firmware;
pub mod ipc;
pub mod limits;
pub mod notify;
pub mod plan;
pub mod proto;
pub mod ras;
pub mod ring;
pub mod state;
pub mod usdm;

pub use desc::{BufferDesc, RequestDesc, ResponseDesc, ServiceId};
pub use dma::{DmaRegistry, Iova, OwnerId};
pub use endpoint::{Endpoint, EndpointEvent, EndpointOptions, EventListener, RingHandle};
pub use error::DeviceError;
pub use ras::{Fault, HeartbeatStats, HeartbeatStatus, RasErrors, RasPolicy};
pub use state::DeviceState;
