//! The transport: how the SAL reaches an endpoint. One trait, two
//! implementations — embedded (the endpoint runs in this process, see
//! [`softqat_device::Endpoint`]) and managed (it runs in `softqatd`, see
//! [`crate::managed`]). Instances hold an `Arc<dyn EndpointLink>`; the data
//! path through it is the doorbell and the state word, neither of which makes
//! a system call unless an engine sleeps.

use softqat_device::endpoint::EndpointInfo;
use softqat_device::proto::Verb;
use softqat_device::{DeviceState, Endpoint, Fault, HeartbeatStatus, RasPolicy};

use crate::error::{Error, Result};

/// An endpoint as the SAL sees it, wherever it runs.
pub trait EndpointLink: Send + Sync {
    /// Identity facts (qat_devN, class, PCI address, services).
    fn info(&self) -> &EndpointInfo;

    /// Current state. A managed endpoint whose daemon went away is `Error`.
    fn state(&self) -> DeviceState;

    /// Whether requests are accepted.
    fn is_up(&self) -> bool {
        self.state() == DeviceState::Up
    }

    /// True if the endpoint can no longer answer: its daemon went away.
    /// Requests in flight then never complete.
    fn is_lost(&self) -> bool {
        false
    }

    /// Wakes the endpoint's engines after requests were published, if any
    /// sleeps (no system call otherwise).
    fn ring_doorbell(&self);

    /// Engine threads serving the endpoint.
    fn engine_threads(&self) -> usize;

    /// Per-engine (requests, responses) counters (debugfs `fw_counters`); a
    /// managed endpoint reports the daemon's totals as one entry.
    fn fw_counters(&self) -> Vec<(u64, u64)>;

    /// The `qat_service status` line.
    fn status_line(&self) -> String;

    /// True if the endpoint runs in `softqatd`.
    fn is_managed(&self) -> bool;

    /// Runs an `adf_ctl` verb on the endpoint. In managed mode this asks the
    /// daemon, which allows it to root and to its own user only.
    fn control(&self, verb: Verb) -> Result<()>;

    /// `adf_ctl up`.
    fn up(&self) -> Result<()> {
        self.control(Verb::Up)
    }

    /// `adf_ctl down`.
    fn down(&self) -> Result<()> {
        self.control(Verb::Down)
    }

    /// `adf_ctl restart`.
    fn restart(&self) -> Result<()> {
        self.control(Verb::Restart)
    }

    /// `adf_ctl reset`.
    fn reset(&self) -> Result<()> {
        self.control(Verb::Reset)
    }

    /// A heartbeat check (`icp_sal_check_device`): computed from the
    /// engines' counters as the kernel does; a failure runs the fatal-error
    /// path. Managed: the daemon checks its endpoint.
    fn check_heartbeat(&self) -> Result<HeartbeatStatus>;

    /// `icp_sal_reset_device`: starts a reset and returns at once; refused
    /// while one runs.
    fn reset_async(&self) -> Result<()>;

    /// Injects a fault (see [`Fault`]); managed: into the daemon's endpoint.
    fn inject(&self, fault: Fault) -> Result<()>;

    /// The RAS settings (automatic reset, its interval, heartbeat period).
    fn ras_policy(&self) -> Result<RasPolicy>;

    /// Changes the RAS settings. Embedded only: softqatd's endpoints take
    /// theirs from its configuration and options.
    fn set_ras_policy(&self, policy: RasPolicy) -> Result<()>;

    /// Reads a debug file (see [`softqat_device::debugfs`]).
    fn debug_read(&self, file: &str) -> Result<String>;

    /// Writes a debug file.
    fn debug_write(&self, file: &str, value: &str) -> Result<()>;

    /// Called when an instance on ring pair (`bank`, `ring_pair`) goes away.
    /// Embedded: the ring is removed. Managed: nothing (the daemon removes a
    /// section's rings when the section is put or the process exits).
    fn release_ring(&self, bank: u32, ring_pair: u32);
}

impl EndpointLink for Endpoint {
    fn info(&self) -> &EndpointInfo {
        Endpoint::info(self)
    }

    fn state(&self) -> DeviceState {
        Endpoint::state(self)
    }

    fn ring_doorbell(&self) {
        Endpoint::ring_doorbell(self)
    }

    fn engine_threads(&self) -> usize {
        Endpoint::engine_threads(self)
    }

    fn fw_counters(&self) -> Vec<(u64, u64)> {
        Endpoint::fw_counters(self)
    }

    fn status_line(&self) -> String {
        Endpoint::status_line(self)
    }

    fn is_managed(&self) -> bool {
        false
    }

    fn control(&self, verb: Verb) -> Result<()> {
        let r = match verb {
            Verb::Up => Endpoint::up(self),
            Verb::Down => Endpoint::down(self),
            Verb::Restart => Endpoint::restart(self),
            Verb::Reset => Endpoint::reset(self),
        };
        r.map_err(|e| Error::fail(e.to_string()))
    }

    fn release_ring(&self, bank: u32, ring_pair: u32) {
        self.remove_ring(bank, ring_pair);
    }

    fn check_heartbeat(&self) -> Result<HeartbeatStatus> {
        Ok(Endpoint::check_heartbeat(self))
    }

    fn reset_async(&self) -> Result<()> {
        Endpoint::reset_async(self).map_err(device_error)
    }

    fn inject(&self, fault: Fault) -> Result<()> {
        Endpoint::inject(self, fault).map_err(device_error)
    }

    fn ras_policy(&self) -> Result<RasPolicy> {
        Ok(Endpoint::ras_policy(self))
    }

    fn set_ras_policy(&self, policy: RasPolicy) -> Result<()> {
        Endpoint::set_ras_policy(self, policy);
        Ok(())
    }

    fn debug_read(&self, file: &str) -> Result<String> {
        softqat_device::debugfs::read(self, file).map_err(debugfs_error)
    }

    fn debug_write(&self, file: &str, value: &str) -> Result<()> {
        softqat_device::debugfs::write(self, file, value).map_err(debugfs_error)
    }
}

/// A device-layer refusal as the SAL reports it: a reset already running is
/// RETRY (ask again later), anything else FAIL; the message says what to do.
pub(crate) fn device_error(e: softqat_device::DeviceError) -> Error {
    match e {
        softqat_device::DeviceError::ResetInProgress { .. } => Error::retry(e.to_string()),
        other => Error::fail(other.to_string()),
    }
}

fn debugfs_error(e: softqat_device::debugfs::DebugFsError) -> Error {
    use softqat_device::debugfs::DebugFsError;
    match e {
        DebugFsError::Device(d) => device_error(d),
        DebugFsError::Invalid { .. } | DebugFsError::NoSuchFile(_) => Error::invalid(e.to_string()),
        DebugFsError::Permission { .. } => Error::fail(e.to_string()),
    }
}
