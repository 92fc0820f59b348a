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
    /// A reset was asked for while one is still running (a reset storm).
    #[error("qat_dev{endpoint} is being reset already: wait until the reset completes (check_device returns success again) before asking for another")]
    ResetInProgress {
        /// Endpoint number.
        endpoint: u32,
    },
    /// A fault that cannot be injected into this endpoint as it is.
    #[error("qat_dev{endpoint}: cannot inject {fault}: {why}")]
    BadFault {
        /// Endpoint number.
        endpoint: u32,
        /// The fault asked for.
        fault: crate::ras::Fault,
        /// Why, and what to do.
        why: String,
    },
    /// A ring size that is not a power of two in 64..=65536.
    #[error("ring size {0} is not allowed: use a power of two from 64 to 65536")]
    BadRingSize(u32),
    /// Memory for rings could not be allocated.
    #[error("cannot allocate {0} bytes of ring memory: the machine's memory or the process's address-space limit (`ulimit -v`) is exhausted")]
    NoMemory(usize),
    /// Not enough of a resource the process is limited in (memory under
    /// `ulimit -v`, descriptors, threads): the message names the limit and
    /// the fix.
    #[error("{0}")]
    Exhausted(String),
    /// An allocation larger than one buffer may be.
    #[error("{len} bytes is more than one DMA buffer may hold ({max} bytes): split the data into smaller buffers")]
    TooLarge {
        /// Bytes asked for.
        len: usize,
        /// The most one buffer may hold.
        max: usize,
    },
    /// An operating-system call failed. When it failed because a resource
    /// ran out (descriptors, memory, threads), the message names the limit
    /// and the fix ([`crate::limits`]).
    #[error("{what}: {source}{}", crate::limits::suffix(what, source))]
    Os {
        /// What was being done.
        what: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl DeviceError {
    /// True when the error is an exhausted resource (descriptors, memory,
    /// threads): its message then names the limit and the fix.
    pub fn is_exhaustion(&self) -> bool {
        match self {
            DeviceError::Os { what, source } => {
                crate::limits::explain(source, crate::limits::need_of(what)).is_some()
            }
            DeviceError::NoMemory(_) | DeviceError::Exhausted(_) => true,
            _ => false,
        }
    }

    pub(crate) fn os(what: &'static str) -> DeviceError {
        DeviceError::Os {
            what,
            source: std::io::Error::last_os_error(),
        }
    }
}
