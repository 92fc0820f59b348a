//! The SAL's errors and their `CpaStatus` values.

use std::borrow::Cow;

/// `CpaStatus`, declared once in [`softqat_cpa`]; every [`Error`] carries one.
pub use softqat_cpa::CpaStatus;

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
