//! 3GPP wireless algorithms: KASUMI, SNOW 3G, ZUC — confidentiality
//! (F8/UEA2/EEA3) and integrity (F9/UIA2/EIA3), bit-exact to the ETSI/SAGE
//! specifications.

pub mod kasumi;
pub mod snow3g;
pub mod zuc;

/// Why a wireless request was refused. Nothing in these modules panics on
/// input: a refused call leaves its buffer untouched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WirelessError {
    /// `data` holds fewer bytes than `bit_len` bits need.
    #[error("buffer too short: {need} bytes needed for the length in bits, {have} given")]
    ShortBuffer {
        /// Bytes needed: `bit_len` rounded up to whole bytes.
        need: u64,
        /// Bytes in the buffer given.
        have: u64,
    },
    /// A parameter outside the range its specification gives it (BEARER is
    /// 5 bits, DIRECTION 1 bit, LENGTH 32 bits for ZUC).
    #[error("{field} = {value} is out of range (at most {max})")]
    OutOfRange {
        /// The parameter's name in the specification.
        field: &'static str,
        /// The value given.
        value: u64,
        /// The largest value allowed.
        max: u64,
    },
}

/// Bytes `bit_len` bits need, or the refusal if `have` is fewer.
pub(crate) fn need_bytes(bit_len: u64, have: usize) -> Result<usize, WirelessError> {
    let need = bit_len.div_ceil(8);
    match usize::try_from(need) {
        Ok(n) if n <= have => Ok(n),
        _ => Err(WirelessError::ShortBuffer {
            need,
            have: have as u64,
        }),
    }
}

/// Refuses a parameter above `max`.
pub(crate) fn check_range(field: &'static str, value: u64, max: u64) -> Result<(), WirelessError> {
    if value > max {
        return Err(WirelessError::OutOfRange { field, value, max });
    }
    Ok(())
}
