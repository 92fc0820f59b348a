//! The endpoint state machine: one enum, the allowed transitions in one place.

use std::fmt;

/// State of an endpoint, as `adf_ctl status` and sysfs `qat/state` report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DeviceState {
    /// Engines stopped; no requests accepted.
    Down = 0,
    /// Engines running; requests accepted.
    Up = 1,
    /// Being reset: in-flight requests are being failed, new ones get RESTARTING.
    Restarting = 2,
    /// A fatal error (heartbeat failure) with no automatic reset.
    Error = 3,
}

impl DeviceState {
    /// Whether the state machine allows going from `self` to `to`.
    ///
    /// down → up; up → down | restarting | error; restarting → up | down | error;
    /// error → restarting | down.
    pub fn can_go_to(self, to: DeviceState) -> bool {
        use DeviceState::*;
        matches!(
            (self, to),
            (Down, Up)
                | (Up, Down)
                | (Up, Restarting)
                | (Up, Error)
                | (Restarting, Up)
                | (Restarting, Down)
                | (Restarting, Error)
                | (Error, Restarting)
                | (Error, Down)
        )
    }

    /// From the state word of the endpoint page (unknown values: down).
    pub fn from_u8(v: u8) -> DeviceState {
        match v {
            1 => DeviceState::Up,
            2 => DeviceState::Restarting,
            3 => DeviceState::Error,
            _ => DeviceState::Down,
        }
    }

    /// The word `qat_service status` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Down => "down",
            DeviceState::Up => "up",
            DeviceState::Restarting => "restarting",
            DeviceState::Error => "error",
        }
    }
}

impl fmt::Display for DeviceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::DeviceState::*;
    use super::*;

    #[test]
    fn transitions() {
        assert!(Down.can_go_to(Up));
        assert!(!Down.can_go_to(Restarting));
        assert!(!Down.can_go_to(Down));
        assert!(Up.can_go_to(Down));
        assert!(Up.can_go_to(Restarting));
        assert!(Restarting.can_go_to(Up));
        assert!(!Error.can_go_to(Up));
        for s in [Down, Up, Restarting, Error] {
            assert_eq!(DeviceState::from_u8(s as u8), s);
        }
    }
}
