//! ZUC, 128-EEA3 (confidentiality) and 128-EIA3 (integrity).
//!
//! Written from the ETSI/SAGE specifications "Specification of the 3GPP
//! Confidentiality and Integrity Algorithms 128-EEA3 & 128-EIA3":
//! Document 2, "ZUC Specification" (version 1.6), for the keystream generator
//! [`Zuc`], and Document 1, "128-EEA3 and 128-EIA3 Specification", for
//! [`eea3`] and [`eia3`]. Known answers from Document 3 ("Implementor's Test
//! Data") are checked in `tests/zuc_vectors.rs`.
//!
//! Conventions (as in the specifications): key, IV and data are bit strings
//! stored most significant bit first — bit 0 of a message is the top bit of
//! its first byte — and keystream words are taken big-endian. Lengths are in
//! **bits**. `data` may be longer than the `bit_len` bits it carries; bytes
//! after them are never read or written. EEA3 changes only the first
//! `bit_len` bits: the unused low bits of the last byte (when `bit_len` is
//! not a multiple of 8) are left exactly as they were, so that a ciphertext
//! decrypts back to the caller's buffer bit for bit.
//!
//! # Timing behaviour
//!
//! The nonlinear function F uses the S-boxes S0 and S1 as two 256-byte
//! lookup tables indexed by secret state (eight lookups per keystream word),
//! as the specification's reference implementation does. The table addresses
//! therefore depend on the key and IV: on a machine whose cache is shared
//! with an attacker, the access pattern (which 64-byte lines of the 512 bytes
//! of tables are touched) can leak through cache timing. There is no other
//! secret-dependent branch or memory access: the LFSR's arithmetic modulo
//! 2^31−1 is branch-free, EEA3's cost depends only on `bit_len`, and EIA3
//! selects keystream words with masks, not branches, on the message bits.
//! Neither function's run time depends on the data's contents.
//!
//! Every call is allocation-free: the keystream is produced word by word as
//! the data is processed.

/// The 15-bit constants d0..d15 of the key loading (Document 2, §3.5).
const D: [u32; 16] = [
    0x44D7, 0x26BC, 0x626B, 0x135E, 0x5789, 0x35E2, 0x7135, 0x09AF, 0x4D78, 0x2F13, 0x6BC4, 0x1AF1,
    0x5E26, 0x3C4D, 0x789A, 0x47AC,
];

/// S-box S0 (Document 2, §3.4.1, table 3.1).
const S0: [u8; 256] = [
    0x3E, 0x72, 0x5B, 0x47, 0xCA, 0xE0, 0x00, 0x33, 0x04, 0xD1, 0x54, 0x98, 0x09, 0xB9, 0x6D, 0xCB,
    0x7B, 0x1B, 0xF9, 0x32, 0xAF, 0x9D, 0x6A, 0xA5, 0xB8, 0x2D, 0xFC, 0x1D, 0x08, 0x53, 0x03, 0x90,
    0x4D, 0x4E, 0x84, 0x99, 0xE4, 0xCE, 0xD9, 0x91, 0xDD, 0xB6, 0x85, 0x48, 0x8B, 0x29, 0x6E, 0xAC,
    0xCD, 0xC1, 0xF8, 0x1E, 0x73, 0x43, 0x69, 0xC6, 0xB5, 0xBD, 0xFD, 0x39, 0x63, 0x20, 0xD4, 0x38,
    0x76, 0x7D, 0xB2, 0xA7, 0xCF, 0xED, 0x57, 0xC5, 0xF3, 0x2C, 0xBB, 0x14, 0x21, 0x06, 0x55, 0x9B,
    0xE3, 0xEF, 0x5E, 0x31, 0x4F, 0x7F, 0x5A, 0xA4, 0x0D, 0x82, 0x51, 0x49, 0x5F, 0xBA, 0x58, 0x1C,
    0x4A, 0x16, 0xD5, 0x17, 0xA8, 0x92, 0x24, 0x1F, 0x8C, 0xFF, 0xD8, 0xAE, 0x2E, 0x01, 0xD3, 0xAD,
    0x3B, 0x4B, 0xDA, 0x46, 0xEB, 0xC9, 0xDE, 0x9A, 0x8F, 0x87, 0xD7, 0x3A, 0x80, 0x6F, 0x2F, 0xC8,
    0xB1, 0xB4, 0x37, 0xF7, 0x0A, 0x22, 0x13, 0x28, 0x7C, 0xCC, 0x3C, 0x89, 0xC7, 0xC3, 0x96, 0x56,
    0x07, 0xBF, 0x7E, 0xF0, 0x0B, 0x2B, 0x97, 0x52, 0x35, 0x41, 0x79, 0x61, 0xA6, 0x4C, 0x10, 0xFE,
    0xBC, 0x26, 0x95, 0x88, 0x8A, 0xB0, 0xA3, 0xFB, 0xC0, 0x18, 0x94, 0xF2, 0xE1, 0xE5, 0xE9, 0x5D,
    0xD0, 0xDC, 0x11, 0x66, 0x64, 0x5C, 0xEC, 0x59, 0x42, 0x75, 0x12, 0xF5, 0x74, 0x9C, 0xAA, 0x23,
    0x0E, 0x86, 0xAB, 0xBE, 0x2A, 0x02, 0xE7, 0x67, 0xE6, 0x44, 0xA2, 0x6C, 0xC2, 0x93, 0x9F, 0xF1,
    0xF6, 0xFA, 0x36, 0xD2, 0x50, 0x68, 0x9E, 0x62, 0x71, 0x15, 0x3D, 0xD6, 0x40, 0xC4, 0xE2, 0x0F,
    0x8E, 0x83, 0x77, 0x6B, 0x25, 0x05, 0x3F, 0x0C, 0x30, 0xEA, 0x70, 0xB7, 0xA1, 0xE8, 0xA9, 0x65,
    0x8D, 0x27, 0x1A, 0xDB, 0x81, 0xB3, 0xA0, 0xF4, 0x45, 0x7A, 0x19, 0xDF, 0xEE, 0x78, 0x34, 0x60,
];

/// S-box S1 (Document 2, §3.4.1, table 3.2).
const S1: [u8; 256] = [
    0x55, 0xC2, 0x63, 0x71, 0x3B, 0xC8, 0x47, 0x86, 0x9F, 0x3C, 0xDA, 0x5B, 0x29, 0xAA, 0xFD, 0x77,
    0x8C, 0xC5, 0x94, 0x0C, 0xA6, 0x1A, 0x13, 0x00, 0xE3, 0xA8, 0x16, 0x72, 0x40, 0xF9, 0xF8, 0x42,
    0x44, 0x26, 0x68, 0x96, 0x81, 0xD9, 0x45, 0x3E, 0x10, 0x76, 0xC6, 0xA7, 0x8B, 0x39, 0x43, 0xE1,
    0x3A, 0xB5, 0x56, 0x2A, 0xC0, 0x6D, 0xB3, 0x05, 0x22, 0x66, 0xBF, 0xDC, 0x0B, 0xFA, 0x62, 0x48,
    0xDD, 0x20, 0x11, 0x06, 0x36, 0xC9, 0xC1, 0xCF, 0xF6, 0x27, 0x52, 0xBB, 0x69, 0xF5, 0xD4, 0x87,
    0x7F, 0x84, 0x4C, 0xD2, 0x9C, 0x57, 0xA4, 0xBC, 0x4F, 0x9A, 0xDF, 0xFE, 0xD6, 0x8D, 0x7A, 0xEB,
    0x2B, 0x53, 0xD8, 0x5C, 0xA1, 0x14, 0x17, 0xFB, 0x23, 0xD5, 0x7D, 0x30, 0x67, 0x73, 0x08, 0x09,
    0xEE, 0xB7, 0x70, 0x3F, 0x61, 0xB2, 0x19, 0x8E, 0x4E, 0xE5, 0x4B, 0x93, 0x8F, 0x5D, 0xDB, 0xA9,
    0xAD, 0xF1, 0xAE, 0x2E, 0xCB, 0x0D, 0xFC, 0xF4, 0x2D, 0x46, 0x6E, 0x1D, 0x97, 0xE8, 0xD1, 0xE9,
    0x4D, 0x37, 0xA5, 0x75, 0x5E, 0x83, 0x9E, 0xAB, 0x82, 0x9D, 0xB9, 0x1C, 0xE0, 0xCD, 0x49, 0x89,
    0x01, 0xB6, 0xBD, 0x58, 0x24, 0xA2, 0x5F, 0x38, 0x78, 0x99, 0x15, 0x90, 0x50, 0xB8, 0x95, 0xE4,
    0xD0, 0x91, 0xC7, 0xCE, 0xED, 0x0F, 0xB4, 0x6F, 0xA0, 0xCC, 0xF0, 0x02, 0x4A, 0x79, 0xC3, 0xDE,
    0xA3, 0xEF, 0xEA, 0x51, 0xE6, 0x6B, 0x18, 0xEC, 0x1B, 0x2C, 0x80, 0xF7, 0x74, 0xE7, 0xFF, 0x21,
    0x5A, 0x6A, 0x54, 0x1E, 0x41, 0x31, 0x92, 0x35, 0xC4, 0x33, 0x07, 0x0A, 0xBA, 0x7E, 0x0E, 0x34,
    0x88, 0xB1, 0x98, 0x7C, 0xF3, 0x3D, 0x60, 0x6C, 0x7B, 0xCA, 0xD3, 0x1F, 0x32, 0x65, 0x04, 0x28,
    0x64, 0xBE, 0x85, 0x9B, 0x2F, 0x59, 0x8A, 0xD7, 0xB0, 0x25, 0xAC, 0xAF, 0x12, 0x03, 0xE2, 0xF2,
];

/// 2^31 − 1, the LFSR's modulus.
const M31: u32 = 0x7FFF_FFFF;

use super::{check_range, confidentiality_iv, need_bytes, xor_keeping_tail, WirelessError};

/// The ZUC keystream generator (Document 2): an LFSR of sixteen 31-bit cells
/// over GF(2^31−1) and the finite state machine's two 32-bit registers.
///
/// [`Zuc::new`] runs the key loading, the 32 initialisation rounds and the
/// first working round whose output is discarded; [`Zuc::next_word`] then
/// returns z1, z2, … .
#[derive(Clone)]
pub struct Zuc {
    /// The LFSR cells s0..s15 (each in 1..=2^31−1 once running).
    s: [u32; 16],
    /// FSM register R1.
    r1: u32,
    /// FSM register R2.
    r2: u32,
}

impl std::fmt::Debug for Zuc {
    // The state is key material: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Zuc { .. }")
    }
}

/// a + b mod 2^31−1, for a, b < 2^31 (branch-free).
#[inline(always)]
fn add_m31(a: u32, b: u32) -> u32 {
    let c = a + b;
    (c & M31) + (c >> 31)
}

/// x · 2^k mod 2^31−1: a rotation of the 31-bit x.
#[inline(always)]
fn mul_pow2_m31(x: u32, k: u32) -> u32 {
    ((x << k) | (x >> (31 - k))) & M31
}

/// The linear transform L1 (Document 2, §3.4.2).
#[inline(always)]
fn l1(x: u32) -> u32 {
    x ^ x.rotate_left(2) ^ x.rotate_left(10) ^ x.rotate_left(18) ^ x.rotate_left(24)
}

/// The linear transform L2 (Document 2, §3.4.2).
#[inline(always)]
fn l2(x: u32) -> u32 {
    x ^ x.rotate_left(8) ^ x.rotate_left(14) ^ x.rotate_left(22) ^ x.rotate_left(30)
}

/// The 32-bit S-box S = (S0, S1, S0, S1).
#[inline(always)]
fn sbox(x: u32) -> u32 {
    (u32::from(S0[(x >> 24) as usize]) << 24)
        | (u32::from(S1[((x >> 16) & 0xFF) as usize]) << 16)
        | (u32::from(S0[((x >> 8) & 0xFF) as usize]) << 8)
        | u32::from(S1[(x & 0xFF) as usize])
}

impl Zuc {
    /// Load `key` and `iv` (Document 2, §3.5: s_i = k_i ‖ d_i ‖ iv_i), run the
    /// initialisation stage and the first, discarded, working round (§3.6).
    pub fn new(key: &[u8; 16], iv: &[u8; 16]) -> Zuc {
        let mut s = [0u32; 16];
        for (i, cell) in s.iter_mut().enumerate() {
            *cell = (u32::from(key[i]) << 23) | (D[i] << 8) | u32::from(iv[i]);
        }
        let mut z = Zuc { s, r1: 0, r2: 0 };
        for _ in 0..32 {
            let (x0, x1, x2, _) = z.bit_reorganisation();
            let w = z.f(x0, x1, x2);
            z.lfsr_step(w >> 1);
        }
        // Working stage, first round: F's output is discarded.
        let (x0, x1, x2, _) = z.bit_reorganisation();
        z.f(x0, x1, x2);
        z.lfsr_step(0);
        z
    }

    /// The next 32-bit keystream word.
    #[inline]
    pub fn next_word(&mut self) -> u32 {
        let (x0, x1, x2, x3) = self.bit_reorganisation();
        let z = self.f(x0, x1, x2) ^ x3;
        self.lfsr_step(0);
        z
    }

    /// The bit reorganisation (§3.3): X0..X3 from the high (bits 30..15) and
    /// low (bits 15..0) halves of s15, s14, s11, s9, s7, s5, s2, s0.
    #[inline(always)]
    fn bit_reorganisation(&self) -> (u32, u32, u32, u32) {
        let s = &self.s;
        let x0 = ((s[15] & 0x7FFF_8000) << 1) | (s[14] & 0xFFFF);
        let x1 = ((s[11] & 0xFFFF) << 16) | (s[9] >> 15);
        let x2 = ((s[7] & 0xFFFF) << 16) | (s[5] >> 15);
        let x3 = ((s[2] & 0xFFFF) << 16) | (s[0] >> 15);
        (x0, x1, x2, x3)
    }

    /// The nonlinear function F (§3.4): returns W and updates R1, R2.
    #[inline(always)]
    fn f(&mut self, x0: u32, x1: u32, x2: u32) -> u32 {
        let w = (x0 ^ self.r1).wrapping_add(self.r2);
        let w1 = self.r1.wrapping_add(x1);
        let w2 = self.r2 ^ x2;
        self.r1 = sbox(l1((w1 << 16) | (w2 >> 16)));
        self.r2 = sbox(l2((w2 << 16) | (w1 >> 16)));
        w
    }

    /// One LFSR step (§3.2). `u` is W >> 1 in the initialisation mode and 0
    /// in the working mode, where adding 0 is the identity, so one function
    /// serves both: s16 = 2^15·s15 + 2^17·s13 + 2^21·s10 + 2^20·s4 +
    /// (1 + 2^8)·s0 (+ u) mod 2^31−1, with 0 replaced by 2^31−1.
    #[inline(always)]
    fn lfsr_step(&mut self, u: u32) {
        let s = &self.s;
        let mut v = s[0];
        v = add_m31(v, mul_pow2_m31(s[0], 8));
        v = add_m31(v, mul_pow2_m31(s[4], 20));
        v = add_m31(v, mul_pow2_m31(s[10], 21));
        v = add_m31(v, mul_pow2_m31(s[13], 17));
        v = add_m31(v, mul_pow2_m31(s[15], 15));
        v = add_m31(v, u);
        // "If s16 = 0, set s16 = 2^31−1" (branch-free).
        let is_zero = u32::from(v == 0);
        v |= is_zero.wrapping_neg() & M31;
        self.s.copy_within(1..16, 0);
        self.s[15] = v;
    }
}

/// The largest LENGTH the specifications allow (a 32-bit field).
const MAX_BITS: u64 = u32::MAX as u64;

/// Check BEARER, DIRECTION and LENGTH against their fields' widths.
fn check_params(bearer: u8, direction: u8) -> Result<(), WirelessError> {
    check_range("BEARER", u64::from(bearer), 0x1F)?;
    check_range("DIRECTION", u64::from(direction), 1)
}

/// Bytes that `bit_len` bits occupy, checked against the 32-bit LENGTH field
/// and the buffer.
fn byte_len(bit_len: u64, have: usize) -> Result<usize, WirelessError> {
    check_range("LENGTH", bit_len, MAX_BITS)?;
    need_bytes(bit_len, have)
}

/// The 128-EIA3 IV (Document 1, §4.3): COUNT ‖ BEARER ‖ 0…0, then the same
/// with DIRECTION XORed into the top bits of bytes 8 and 14.
fn eia3_iv_from(count: u32, bearer: u8, direction: u8) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..4].copy_from_slice(&count.to_be_bytes());
    iv[4] = bearer << 3;
    let (lo, hi) = iv.split_at_mut(8);
    hi.copy_from_slice(lo);
    iv[8] ^= direction << 7;
    iv[14] ^= direction << 7;
    iv
}

/// 128-EEA3 (Document 1, §3): encrypt or decrypt (the same operation) the
/// first `bit_len` bits of `data` in place, with confidentiality key `key`,
/// the 32-bit COUNT, the 5-bit BEARER and the 1-bit DIRECTION.
///
/// The unused low bits of the last byte and any bytes after it are left
/// unchanged. Errors: [`WirelessError::ShortBuffer`] if `data` is shorter
/// than `bit_len` needs, [`WirelessError::OutOfRange`] for a BEARER above 31,
/// a DIRECTION above 1 or a `bit_len` above 2^32−1; `data` is then untouched.
pub fn eea3(
    key: &[u8; 16],
    count: u32,
    bearer: u8,
    direction: u8,
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    check_params(bearer, direction)?;
    eea3_iv(
        key,
        &confidentiality_iv(count, bearer, direction),
        data,
        bit_len,
    )
}

/// 128-EEA3 with the 16-byte IV as QAT takes it for
/// `CPA_CY_SYM_CIPHER_ZUC_EEA3`: otherwise as [`eea3`].
///
/// Where the layout comes from: intel/qatlib's `cpa_cy_sym.h` lists
/// `CPA_CY_SYM_CIPHER_ZUC_EEA3` ("ZUC algorithm in EEA3 mode") without
/// describing `pIv` for it; qatlib's cipher request checks (next to
/// `LacCipher_SessionSetupDataCheck`) require `ivLenInBytes ==
/// ICP_QAT_HW_ZUC_3G_EEA3_IV_SZ` (16) and hand `pIv` to the hardware as is,
/// which loads the 16 bytes as ZUC's initial vector. So the IV is the one of
/// Document 1, §3.3 — COUNT (4 bytes, big-endian), BEARER << 3 | DIRECTION
/// << 2, three zero bytes, then those 8 bytes again — built by the caller.
/// DPDK's QAT test vectors (`app/test/test_cryptodev_zuc_test_vectors.h`)
/// give the IVs of the EEA3 test sets in exactly this form. The bytes are
/// used as given, not checked for that structure (neither does QAT).
pub fn eea3_iv(
    key: &[u8; 16],
    iv: &[u8; 16],
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    let nbytes = byte_len(bit_len, data.len())?;
    xor_keeping_tail(&mut data[..nbytes], bit_len, |data| {
        let mut z = Zuc::new(key, iv);
        let mut chunks = data.chunks_exact_mut(4);
        for c in &mut chunks {
            let k = z.next_word().to_be_bytes();
            c[0] ^= k[0];
            c[1] ^= k[1];
            c[2] ^= k[2];
            c[3] ^= k[3];
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            let k = z.next_word().to_be_bytes();
            for (b, k) in tail.iter_mut().zip(k) {
                *b ^= k;
            }
        }
    });
    Ok(())
}

/// The XOR of the keystream words z_(32j+b) for the bits b of message word
/// `m` that are 1, (k_j, k_(j+1)) = (`w0`, `w1`). Masks, not branches, select
/// the words, so the time taken does not depend on the message.
#[inline(always)]
fn absorb(m: u32, w0: u32, w1: u32) -> u32 {
    let window = (u64::from(w0) << 32) | u64::from(w1);
    let mut acc = 0u32;
    for b in 0..32 {
        let mask = ((m >> (31 - b)) & 1).wrapping_neg();
        acc ^= mask & ((window >> (32 - b)) as u32);
    }
    acc
}

/// 128-EIA3 (Document 1, §4): the 32-bit MAC of the first `bit_len` bits of
/// `data` under integrity key `key`, with the 32-bit COUNT, the 5-bit BEARER
/// and the 1-bit DIRECTION. The MAC is returned big-endian (its first byte
/// holds MAC bits 0..7).
///
/// Bits of `data` after the first `bit_len` are ignored. Errors as for
/// [`eea3`].
pub fn eia3(
    key: &[u8; 16],
    count: u32,
    bearer: u8,
    direction: u8,
    data: &[u8],
    bit_len: u64,
) -> Result<[u8; 4], WirelessError> {
    check_params(bearer, direction)?;
    eia3_iv(key, &eia3_iv_from(count, bearer, direction), data, bit_len)
}

/// 128-EIA3 with the 16-byte IV as QAT takes it for
/// `CPA_CY_SYM_HASH_ZUC_EIA3`: otherwise as [`eia3`].
///
/// Where the layout comes from: for ZUC EIA3, intel/qatlib's hash session
/// setup check says "For ZUC EIA3 hash aad field contains IV - it
/// needs to be 16 bytes long" (`aadLenInBytes == 16`); the IV travels in
/// `pAdditionalAuthData` and is loaded into ZUC as is. It is the IV of
/// Document 1, §4.3 — COUNT (4 bytes, big-endian), BEARER << 3, three zero
/// bytes, then those 8 bytes again with DIRECTION << 7 XORed into bytes 8
/// and 14 — built by the caller; DPDK's QAT test vectors give the EIA3 test
/// sets' IVs in this form. The bytes are used as given.
pub fn eia3_iv(
    key: &[u8; 16],
    iv: &[u8; 16],
    data: &[u8],
    bit_len: u64,
) -> Result<[u8; 4], WirelessError> {
    let nbytes = byte_len(bit_len, data.len())?;
    let data = &data[..nbytes];
    let mut z = Zuc::new(key, iv);

    // T ^= z_i for every message bit i that is 1, where z_i is the keystream
    // word starting at keystream bit i: for message word j and bit b of it,
    // z_(32j+b) is bits b..b+31 of the 64-bit window (k_j ‖ k_(j+1)).
    let mut t = 0u32;
    let mut prev = 0u32; // k_(j−1), for z_LENGTH when LENGTH is not word-aligned
    let mut w0 = z.next_word();
    let mut w1 = z.next_word();
    let full_bits = bit_len - bit_len % 32;
    let mut chunks = data.chunks_exact(4);
    let mut words_done = 0u64;
    for c in &mut chunks {
        if words_done * 32 >= full_bits {
            break;
        }
        let m = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        t ^= absorb(m, w0, w1);
        prev = w0;
        w0 = w1;
        w1 = z.next_word();
        words_done += 1;
    }
    let rem = (bit_len % 32) as u32;
    if rem != 0 {
        // The last, partial word: its bytes (at most 4, maybe fewer in
        // `data`), with the bits past LENGTH cleared.
        let start = (words_done * 4) as usize;
        let mut word = [0u8; 4];
        for (d, s) in word.iter_mut().zip(&data[start..]) {
            *d = *s;
        }
        let m = u32::from_be_bytes(word) & !(u32::MAX >> rem);
        t ^= absorb(m, w0, w1);
        prev = w0;
        w0 = w1;
        w1 = z.next_word();
    }
    // Now w0 = k_L', w1 = k_(L'+1) with L' = ceil(LENGTH / 32) words, and
    // prev = k_(L'−1). z_LENGTH starts at bit LENGTH mod 32 of k_(LENGTH/32).
    let z_len = if rem == 0 {
        w0
    } else {
        (prev << rem) | (w0 >> (32 - rem))
    };
    // MAC = T ⊕ z_LENGTH ⊕ z_(32(L−1)), L = ceil(LENGTH/32) + 2: the last
    // keystream word, k_(L'+1).
    Ok((t ^ z_len ^ w1).to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_loading_matches_document_3_set_4() {
        // The LFSR after key loading for ZUC test set 4 (Document 3), before
        // any round: s_i = k_i || d_i || iv_i.
        let key: [u8; 16] = [
            0x4d, 0x32, 0x0b, 0xfa, 0xd4, 0xc2, 0x85, 0xbf, 0xd6, 0xb8, 0xbd, 0x00, 0xf3, 0x9d,
            0x8b, 0x41,
        ];
        let iv: [u8; 16] = [
            0x52, 0x95, 0x9d, 0xab, 0xa0, 0xbf, 0x17, 0x6e, 0xce, 0x2d, 0xc3, 0x15, 0x04, 0x9e,
            0xb5, 0x74,
        ];
        let loaded: Vec<u32> = (0..16)
            .map(|i| (u32::from(key[i]) << 23) | (D[i] << 8) | u32::from(iv[i]))
            .collect();
        assert_eq!(
            loaded,
            [
                0x26c4d752, 0x1926bc95, 0x05e26b9d, 0x7d135eab, 0x6a5789a0, 0x6135e2bf, 0x42f13517,
                0x5f89af6e, 0x6b4d78ce, 0x5c2f132d, 0x5eebc4c3, 0x001af115, 0x79de2604, 0x4ebc4d9e,
                0x45f89ab5, 0x20c7ac74
            ]
        );
    }

    #[test]
    fn feedback_never_yields_zero() {
        // 0 and 2^31−1 both stand for zero mod 2^31−1; the LFSR holds the
        // latter. An all-zero-key, all-zero-IV state exercises small cells.
        let mut z = Zuc::new(&[0; 16], &[0; 16]);
        for _ in 0..1000 {
            z.next_word();
            assert!(z.s.iter().all(|&c| c != 0 && c <= M31));
        }
    }
}
