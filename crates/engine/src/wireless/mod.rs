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

/// Applies `xor` (a keystream XOR) to the `ceil(bit_len / 8)` bytes of `data`
/// that hold the message, then restores the unused low-order bits of the last
/// byte: the output changes the first `bit_len` bits only, so a ciphertext
/// decrypts back to the caller's buffer bit for bit. `data` is already cut
/// to those bytes.
pub(crate) fn xor_keeping_tail(data: &mut [u8], bit_len: u64, xor: impl FnOnce(&mut [u8])) {
    let rem = (bit_len % 8) as u32;
    let kept = match data.last() {
        Some(&b) if rem != 0 => Some((b, 0xFFu8 >> rem)),
        _ => None,
    };
    xor(data);
    if let (Some((orig, unused)), Some(last)) = (kept, data.last_mut()) {
        *last = (*last & !unused) | (orig & unused);
    }
}

/// The confidentiality IV of all three algorithms' f8 functions (TS 35.201
/// §3.3 register A for KASUMI, Document 1 §3 for UEA2 and 128-EEA3): COUNT
/// (big-endian) ‖ BEARER << 3 | DIRECTION << 2 ‖ three zero bytes, and those
/// 8 bytes again. BEARER keeps its low 5 bits and DIRECTION its low bit.
pub(crate) fn confidentiality_iv(count: u32, bearer: u8, direction: u8) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..4].copy_from_slice(&count.to_be_bytes());
    iv[4] = ((bearer & 0x1F) << 3) | ((direction & 1) << 2);
    let (lo, hi) = iv.split_at_mut(8);
    hi.copy_from_slice(lo);
    iv
}
