//! The SAL's errors and their `CpaStatus` values.

use std::borrow::Cow;
use std::fmt;

/// `CpaStatus`: the status of an API call or of a completed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum CpaStatus {
    /// CPA_STATUS_SUCCESS.
    Success = 0,
    /// CPA_STATUS_FAIL.
    Fail = -1,
    /// CPA_STATUS_RETRY.
    Retry = -2,
    /// CPA_STATUS_RESOURCE.
    Resource = -3,
    /// CPA_STATUS_INVALID_PARAM.
    InvalidParam = -4,
    /// CPA_STATUS_FATAL.
    Fatal = -5,
    /// CPA_STATUS_UNSUPPORTED.
    Unsupported = -6,
    /// CPA_STATUS_RESTARTING.
    Restarting = -7,
}

impl CpaStatus {
    /// The numeric value.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The status with numeric value `code`; unknown values read as `Fail`.
    pub fn from_code(code: i32) -> CpaStatus {
        match code {
            0 => CpaStatus::Success,
            -2 => CpaStatus::Retry,
            -3 => CpaStatus::Resource,
            -4 => CpaStatus::InvalidParam,
            -5 => CpaStatus::Fatal,
            -6 => CpaStatus::Unsupported,
            -7 => CpaStatus::Restarting,
            _ => CpaStatus::Fail,
        }
    }

    /// The C name, e.g. `CPA_STATUS_RETRY`.
    pub fn name(self) -> &'static str {
        match self {
            CpaStatus::Success => "CPA_STATUS_SUCCESS",
            CpaStatus::Fail => "CPA_STATUS_FAIL",
            CpaStatus::Retry => "CPA_STATUS_RETRY",
            CpaStatus::Resource => "CPA_STATUS_RESOURCE",
            CpaStatus::InvalidParam => "CPA_STATUS_INVALID_PARAM",
            CpaStatus::Fatal => "CPA_STATUS_FATAL",
            CpaStatus::Unsupported => "CPA_STATUS_UNSUPPORTED",
            CpaStatus::Restarting => "CPA_STATUS_RESTARTING",
        }
    }
}

impl fmt::Display for CpaStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

/// An API call that did not succeed: its `CpaStatus` and what to do about it.
///
/// The message is a `Cow`: the errors a request can meet on the hot path
/// (RETRY for a full ring or an empty poll) carry static text, so refusing
/// a request allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct Error {
    /// The status a C caller would get.
    pub status: CpaStatus,
    /// What was wrong, in the caller's terms, and what to do.
    pub message: Cow<'static, str>,
}

impl Error {
    /// An error with `status` and `message`.
    pub fn new(status: CpaStatus, message: impl Into<Cow<'static, str>>) -> Error {
        Error {
            status,
            message: message.into(),
        }
    }

    /// CPA_STATUS_INVALID_PARAM.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(CpaStatus::InvalidParam, message)
    }

    /// CPA_STATUS_UNSUPPORTED.
    pub fn unsupported(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(CpaStatus::Unsupported, message)
    }

    /// CPA_STATUS_RETRY.
    pub fn retry(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(CpaStatus::Retry, message)
    }

    /// CPA_STATUS_FAIL.
    pub fn fail(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(CpaStatus::Fail, message)
    }

    /// CPA_STATUS_RESOURCE.
    pub fn resource(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(CpaStatus::Resource, message)
    }
}

/// Result of the SAL's API calls.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_match_cpa_h() {
        let all = [
            (CpaStatus::Success, 0),
            (CpaStatus::Fail, -1),
            (CpaStatus::Retry, -2),
            (CpaStatus::Resource, -3),
            (CpaStatus::InvalidParam, -4),
            (CpaStatus::Fatal, -5),
            (CpaStatus::Unsupported, -6),
            (CpaStatus::Restarting, -7),
        ];
        for (s, c) in all {
            assert_eq!(s.code(), c);
            assert_eq!(CpaStatus::from_code(c), s);
        }
        assert_eq!(CpaStatus::from_code(-99), CpaStatus::Fail);
    }
}
