//! Errors of the device layer.

use crate::state::DeviceState;

/// What went wrong in the device layer, in terms its caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The endpoint is not up.
    #[error("endpoint {endpoint} is {state}: bring it up first (softqat up qat_dev{endpoint})")]
    NotUp {
        /// Endpoint number.
        endpoint: u32,
        /// Its current state.
        state: DeviceState,
    },
    /// A state change that the state machine does not allow.
    #[error("endpoint {endpoint}: cannot go from {from} to {to}")]
    BadTransition {
        /// Endpoint number.
        endpoint: u32,
        /// Current state.
        from: DeviceState,
        /// Requested state.
        to: DeviceState,
    },
    /// A bank or ring pair outside the endpoint's geometry.
    #[error("endpoint {endpoint} has no ring pair {ring_pair} in bank {bank} (the class has {banks} banks of {pairs} ring pairs)")]
    NoSuchRing {
        /// Endpoint number.
        endpoint: u32,
        /// Requested bank.
        bank: u32,
        /// Requested ring pair within the bank.
        ring_pair: u32,
        /// Banks of the class.
        banks: u32,
        /// Ring pairs per bank of the class.
        pairs: u32,
    },
    /// The ring pair is already in use by another instance.
    #[error("endpoint {endpoint}: ring pair {ring_pair} of bank {bank} is already in use")]
    RingInUse {
        /// Endpoint number.
        endpoint: u32,
        /// Bank.
        bank: u32,
        /// Ring pair within the bank.
        ring_pair: u32,
    },
    /// A ring size that is not a power of two in 64..=65536.
    #[error("ring size {0} is not allowed: use a power of two from 64 to 65536")]
    BadRingSize(u32),
    /// Memory for rings could not be allocated.
    #[error("cannot allocate {0} bytes of ring memory")]
    NoMemory(usize),
    /// An operating-system call failed.
    #[error("{what}: {source}")]
    Os {
        /// What was being done.
        what: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl DeviceError {
    pub(crate) fn os(what: &'static str) -> DeviceError {
        DeviceError::Os {
            what,
            source: std::io::Error::last_os_error(),
        }
    }
}
