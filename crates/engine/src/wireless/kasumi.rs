//! KASUMI (3GPP TS 35.202) and its modes f8 (confidentiality, UEA1) and f9
//! (integrity, UIA1) of 3GPP TS 35.201.
//!
//! - [`Kasumi`]: the 64-bit block cipher with its 128-bit key expanded once.
//! - [`KasumiF8`] / [`f8`] / [`f8_iv`]: the keystream generator, applied in
//!   place to the first `bit_len` bits of a buffer.
//! - [`KasumiF9`] / [`f9`]: the 32-bit MAC-I over `bit_len` bits of a message.
//!
//! Bit order is the specifications': bit 0 of a bit string is the most
//! significant bit of its first byte, and 64-bit values (the KASUMI block,
//! the f8 register A, the f9 blocks) are read and written big-endian.
//!
//! Side channels: S7 and S9 are not table lookups. They are evaluated from the
//! boolean equations that define them in TS 35.202 (their algebraic normal
//! form: degree 3 for S7, degree 2 for S9) with shifts, ANDs and XORs only, so
//! no memory address and no branch depends on the key or the data. The unit
//! tests check the equations exhaustively against the tables of TS 35.202.
//! Two FI evaluations that do not depend on each other (the first two of each
//! FO) run together in two 16-bit lanes of one `u64`.
//!
//! Unused bits: when `bit_len` is not a multiple of 8, the bits of the last
//! byte after bit `bit_len - 1` are set to zero in the f8 output (the rule of
//! the TS 35.201 reference code, "zero last bits of data in case its length is
//! not byte-aligned"); bytes after the last one touched are left alone. f9
//! ignores message bits after `bit_len`.
//!
//! Every call is allocation-free. A buffer shorter than `bit_len` needs, a
//! BEARER over 5 bits or a DIRECTION over 1 bit is refused with a
//! [`WirelessError`], never a panic.

use super::{check_range, confidentiality_iv, need_bytes, WirelessError};

/// The key modifier of f8, KM = 0x55…55 (TS 35.201 §3.3).
const KM_F8: u16 = 0x5555;
/// The key modifier of f9, KM = 0xAA…AA (TS 35.201 §4.3).
const KM_F9: u16 = 0xAAAA;

/// One in bit 0 of each of the four 16-bit lanes.
const LANE: u64 = 0x0001_0001_0001_0001;
/// The low 7 bits of each lane.
const LANE7: u64 = 0x7f * LANE;
/// The low 9 bits of each lane.
const LANE9: u64 = 0x1ff * LANE;
/// The low 16 bits of each lane of a two-lane `u32` word in a `u64`.
const LANE16: u64 = 0xffff;

/// S7 evaluated from its algebraic normal form (TS 35.202 §4.5.2/§4.5.3 gate
/// equations), on every 16-bit lane of `x` at once: input bits x0..x6 are the low
/// 7 bits of a lane (x0 the least significant), output likewise. No table, no
/// branch: the same instructions run whatever the input.
#[inline(always)]
fn s7(x: u64) -> u64 {
    let x0 = x & LANE;
    let x1 = (x >> 1) & LANE;
    let x2 = (x >> 2) & LANE;
    let x3 = (x >> 3) & LANE;
    let x4 = (x >> 4) & LANE;
    let x5 = (x >> 5) & LANE;
    let x6 = (x >> 6) & LANE;
    let y0 = x4
        ^ x5
        ^ x6
        ^ (x1 & x3)
        ^ (x2 & x5)
        ^ (x0 & x6)
        ^ (x1 & x6)
        ^ (x3 & x6)
        ^ (x0 & x1 & x4)
        ^ (x3 & x4 & x5)
        ^ (x2 & x4 & x6)
        ^ (x1 & x5 & x6)
        ^ (x4 & x5 & x6);
    let y1 = LANE
        ^ x5
        ^ x6
        ^ (x0 & x1)
        ^ (x0 & x4)
        ^ (x2 & x4)
        ^ (x3 & x6)
        ^ (x1 & x2 & x5)
        ^ (x0 & x3 & x5)
        ^ (x0 & x2 & x6)
        ^ (x4 & x5 & x6);
    let y2 = LANE
        ^ x0
        ^ (x0 & x3)
        ^ (x2 & x3)
        ^ (x1 & x5)
        ^ (x0 & x6)
        ^ (x2 & x6)
        ^ (x4 & x6)
        ^ (x1 & x2 & x4)
        ^ (x0 & x3 & x4)
        ^ (x0 & x2 & x5)
        ^ (x0 & x1 & x6);
    let y3 = x1
        ^ (x1 & x4)
        ^ (x3 & x4)
        ^ (x0 & x5)
        ^ (x2 & x6)
        ^ (x0 & x1 & x2)
        ^ (x0 & x1 & x5)
        ^ (x2 & x3 & x5)
        ^ (x1 & x4 & x5)
        ^ (x1 & x3 & x6);
    let y4 = LANE
        ^ x3
        ^ (x0 & x2)
        ^ (x1 & x3)
        ^ (x1 & x4)
        ^ (x0 & x5)
        ^ (x1 & x6)
        ^ (x3 & x6)
        ^ (x5 & x6)
        ^ (x0 & x1 & x4)
        ^ (x2 & x3 & x4)
        ^ (x1 & x3 & x5)
        ^ (x0 & x4 & x5)
        ^ (x0 & x3 & x6);
    let y5 = LANE
        ^ x2
        ^ (x0 & x2)
        ^ (x0 & x3)
        ^ (x0 & x5)
        ^ (x2 & x5)
        ^ (x4 & x5)
        ^ (x1 & x6)
        ^ (x1 & x2 & x3)
        ^ (x0 & x2 & x4)
        ^ (x1 & x2 & x6)
        ^ (x0 & x3 & x6)
        ^ (x3 & x4 & x6)
        ^ (x2 & x5 & x6);
    let y6 = x6
        ^ (x1 & x2)
        ^ (x0 & x4)
        ^ (x1 & x5)
        ^ (x3 & x5)
        ^ (x0 & x1 & x3)
        ^ (x0 & x1 & x6)
        ^ (x2 & x3 & x6)
        ^ (x1 & x4 & x6)
        ^ (x0 & x5 & x6);
    y0 | (y1 << 1) | (y2 << 2) | (y3 << 3) | (y4 << 4) | (y5 << 5) | (y6 << 6)
}

/// S9 evaluated from its algebraic normal form (TS 35.202 §4.5.2/§4.5.3 gate
/// equations), on every 16-bit lane of `x` at once: input bits x0..x8 are the low
/// 9 bits of a lane (x0 the least significant), output likewise. No table, no
/// branch: the same instructions run whatever the input.
#[inline(always)]
fn s9(x: u64) -> u64 {
    let x0 = x & LANE;
    let x1 = (x >> 1) & LANE;
    let x2 = (x >> 2) & LANE;
    let x3 = (x >> 3) & LANE;
    let x4 = (x >> 4) & LANE;
    let x5 = (x >> 5) & LANE;
    let x6 = (x >> 6) & LANE;
    let x7 = (x >> 7) & LANE;
    let x8 = (x >> 8) & LANE;
    let y0 = LANE
        ^ x3
        ^ (x0 & x2)
        ^ (x2 & x5)
        ^ (x5 & x6)
        ^ (x0 & x7)
        ^ (x1 & x7)
        ^ (x2 & x7)
        ^ (x4 & x8)
        ^ (x5 & x8)
        ^ (x7 & x8);
    let y1 = LANE
        ^ x1
        ^ x6
        ^ (x0 & x1)
        ^ (x2 & x3)
        ^ (x0 & x4)
        ^ (x1 & x4)
        ^ (x0 & x5)
        ^ (x3 & x5)
        ^ (x1 & x7)
        ^ (x2 & x7)
        ^ (x5 & x8);
    let y2 = LANE
        ^ x1
        ^ x8
        ^ (x0 & x3)
        ^ (x3 & x4)
        ^ (x0 & x5)
        ^ (x2 & x6)
        ^ (x3 & x6)
        ^ (x5 & x6)
        ^ (x4 & x7)
        ^ (x5 & x7)
        ^ (x6 & x7)
        ^ (x0 & x8);
    let y3 = x0
        ^ x5
        ^ (x1 & x2)
        ^ (x0 & x3)
        ^ (x2 & x4)
        ^ (x0 & x6)
        ^ (x1 & x6)
        ^ (x4 & x7)
        ^ (x0 & x8)
        ^ (x1 & x8)
        ^ (x7 & x8);
    let y4 = x4
        ^ (x0 & x1)
        ^ (x1 & x3)
        ^ (x0 & x5)
        ^ (x3 & x6)
        ^ (x0 & x7)
        ^ (x6 & x7)
        ^ (x1 & x8)
        ^ (x2 & x8)
        ^ (x3 & x8);
    let y5 = LANE
        ^ x2
        ^ (x1 & x4)
        ^ (x4 & x5)
        ^ (x0 & x6)
        ^ (x1 & x6)
        ^ (x3 & x7)
        ^ (x4 & x7)
        ^ (x6 & x7)
        ^ (x5 & x8)
        ^ (x6 & x8)
        ^ (x7 & x8);
    let y6 = x0
        ^ x7
        ^ (x2 & x3)
        ^ (x1 & x5)
        ^ (x2 & x5)
        ^ (x4 & x5)
        ^ (x3 & x6)
        ^ (x4 & x6)
        ^ (x5 & x6)
        ^ (x1 & x8)
        ^ (x3 & x8)
        ^ (x5 & x8)
        ^ (x7 & x8);
    let y7 = LANE
        ^ x3
        ^ x8
        ^ (x0 & x1)
        ^ (x0 & x2)
        ^ (x1 & x2)
        ^ (x0 & x3)
        ^ (x2 & x3)
        ^ (x4 & x5)
        ^ (x2 & x6)
        ^ (x3 & x6)
        ^ (x2 & x7)
        ^ (x5 & x7);
    let y8 = x2
        ^ x7
        ^ (x0 & x1)
        ^ (x1 & x2)
        ^ (x3 & x4)
        ^ (x1 & x5)
        ^ (x2 & x5)
        ^ (x1 & x6)
        ^ (x4 & x6)
        ^ (x2 & x8)
        ^ (x3 & x8);
    y0 | (y1 << 1)
        | (y2 << 2)
        | (y3 << 3)
        | (y4 << 4)
        | (y5 << 5)
        | (y6 << 6)
        | (y7 << 7)
        | (y8 << 8)
}

/// FI (TS 35.202 §4.4), on every 16-bit lane of `x` with the subkey in the
/// same lane of `ki`: the 9-bit and 7-bit halves go through S9, S7, S9, S7.
#[inline(always)]
fn fi(x: u64, ki: u64) -> u64 {
    let l0 = (x >> 7) & LANE9;
    let r0 = x & LANE7;
    let ki1 = (ki >> 9) & LANE7;
    let ki2 = ki & LANE9;
    // S9 of the left half and S7 of the right half do not depend on each
    // other; neither do the second S9 and S7.
    let r1 = s9(l0) ^ r0;
    let l2 = r1 ^ ki2;
    let r2 = s7(r0) ^ (r1 & LANE7) ^ ki1;
    let r3 = s9(l2) ^ r2;
    let l4 = s7(r2) ^ (r3 & LANE7);
    (l4 << 9) | r3
}

/// ROL of a 16-bit value by `n` bits.
#[inline(always)]
fn rol16(x: u16, n: u32) -> u16 {
    x.rotate_left(n)
}

/// The subkeys of one round (TS 35.202 §4.6), the FI pair of the first two
/// FO stages packed in lanes 0 and 1.
#[derive(Clone, Copy, Default)]
struct RoundKey {
    kl1: u16,
    kl2: u16,
    ko1: u16,
    ko2: u16,
    ko3: u16,
    /// KI_{i,1} in lane 0, KI_{i,2} in lane 1.
    ki12: u64,
    ki3: u64,
}

/// KASUMI with its key schedule expanded (TS 35.202).
#[derive(Clone)]
pub struct Kasumi {
    rounds: [RoundKey; 8],
}

impl core::fmt::Debug for Kasumi {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The schedule is key material: never printed.
        f.write_str("Kasumi { .. }")
    }
}

impl Kasumi {
    /// Expands the 128-bit key `key` (K1 = its first two bytes, big-endian).
    pub fn new(key: &[u8; 16]) -> Kasumi {
        Kasumi::with_modifier(key, 0)
    }

    /// The schedule of `key ⊕ (modifier repeated over 128 bits)`.
    fn with_modifier(key: &[u8; 16], modifier: u16) -> Kasumi {
        const C: [u16; 8] = [
            0x0123, 0x4567, 0x89AB, 0xCDEF, 0xFEDC, 0xBA98, 0x7654, 0x3210,
        ];
        let mut k = [0u16; 8];
        for (j, kj) in k.iter_mut().enumerate() {
            *kj = u16::from_be_bytes([key[2 * j], key[2 * j + 1]]) ^ modifier;
        }
        let mut kp = [0u16; 8];
        for j in 0..8 {
            kp[j] = k[j] ^ C[j];
        }
        let mut rounds = [RoundKey::default(); 8];
        for (i, rk) in rounds.iter_mut().enumerate() {
            let ki1 = kp[(i + 4) % 8];
            let ki2 = kp[(i + 3) % 8];
            *rk = RoundKey {
                kl1: rol16(k[i], 1),
                kl2: kp[(i + 2) % 8],
                ko1: rol16(k[(i + 1) % 8], 5),
                ko2: rol16(k[(i + 5) % 8], 8),
                ko3: rol16(k[(i + 6) % 8], 13),
                ki12: u64::from(ki1) | (u64::from(ki2) << 16),
                ki3: u64::from(kp[(i + 7) % 8]),
            };
        }
        Kasumi { rounds }
    }

    /// FO (TS 35.202 §4.3): three FI stages; the first two are independent
    /// and run in two lanes at once.
    #[inline(always)]
    fn fo(rk: &RoundKey, x: u32) -> u32 {
        let l0 = (x >> 16) as u16;
        let r0 = x as u16;
        let pair = u64::from(l0 ^ rk.ko1) | (u64::from(r0 ^ rk.ko2) << 16);
        let f = fi(pair, rk.ki12);
        // R1 = FI(L0 ⊕ KO1, KI1) ⊕ R0; L1 = R0.
        let r1 = (f & LANE16) as u16 ^ r0;
        // R2 = FI(L1 ⊕ KO2, KI2) ⊕ R1; L2 = R1.
        let r2 = ((f >> 16) & LANE16) as u16 ^ r1;
        // R3 = FI(L2 ⊕ KO3, KI3) ⊕ R2; L3 = R2.
        let r3 = (fi(u64::from(r1 ^ rk.ko3), rk.ki3) & LANE16) as u16 ^ r2;
        (u32::from(r2) << 16) | u32::from(r3)
    }

    /// FL (TS 35.202 §4.2).
    #[inline(always)]
    fn fl(rk: &RoundKey, x: u32) -> u32 {
        let l = (x >> 16) as u16;
        let r = x as u16;
        let r = r ^ rol16(l & rk.kl1, 1);
        let l = l ^ rol16(r | rk.kl2, 1);
        (u32::from(l) << 16) | u32::from(r)
    }

    /// Encrypts one 64-bit block held as a big-endian `u64`.
    #[inline]
    pub fn encrypt_u64(&self, block: u64) -> u64 {
        let mut left = (block >> 32) as u32;
        let mut right = block as u32;
        for pair in self.rounds.chunks_exact(2) {
            // Odd round: FO(FL(·)); even round: FL(FO(·)).
            right ^= Self::fo(&pair[0], Self::fl(&pair[0], left));
            left ^= Self::fl(&pair[1], Self::fo(&pair[1], right));
        }
        (u64::from(left) << 32) | u64::from(right)
    }

    /// Encrypts one 8-byte block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 8]) {
        *block = self.encrypt_u64(u64::from_be_bytes(*block)).to_be_bytes();
    }
}

fn check_direction(direction: u8) -> Result<(), WirelessError> {
    check_range("DIRECTION", u64::from(direction), 1)
}

/// The f8 register A = COUNT || BEARER || DIRECTION || 0…0 (TS 35.201 §3.3),
/// as a big-endian 64-bit value: the 8-byte IV of [`f8_iv`].
pub fn f8_iv_layout(count: u32, bearer: u8, direction: u8) -> Result<[u8; 8], WirelessError> {
    check_range("BEARER", u64::from(bearer), 31)?;
    check_direction(direction)?;
    let iv = confidentiality_iv(count, bearer, direction);
    let mut a = [0u8; 8];
    a.copy_from_slice(&iv[..8]);
    Ok(a)
}

/// KASUMI f8 (TS 35.201 §3) with its two key schedules, CK and CK ⊕ KM,
/// expanded once for a session.
#[derive(Clone, Debug)]
pub struct KasumiF8 {
    ck: Kasumi,
    ck_km: Kasumi,
}

impl KasumiF8 {
    /// Expands the confidentiality key CK.
    pub fn new(key: &[u8; 16]) -> KasumiF8 {
        KasumiF8 {
            ck: Kasumi::new(key),
            ck_km: Kasumi::with_modifier(key, KM_F8),
        }
    }

    /// Encrypts or decrypts (the same operation) the first `bit_len` bits of
    /// `data` in place with COUNT-C, BEARER (5 bits) and DIRECTION (1 bit).
    /// The unused low bits of the last byte come out zero.
    pub fn apply(
        &self,
        count: u32,
        bearer: u8,
        direction: u8,
        data: &mut [u8],
        bit_len: u64,
    ) -> Result<(), WirelessError> {
        let iv = f8_iv_layout(count, bearer, direction)?;
        self.apply_iv(&iv, data, bit_len)
    }

    /// As [`KasumiF8::apply`], with the register A given as the 8-byte IV
    /// (see [`f8_iv`] for the layout). The IV's 64 bits are used as they are.
    pub fn apply_iv(
        &self,
        iv: &[u8; 8],
        data: &mut [u8],
        bit_len: u64,
    ) -> Result<(), WirelessError> {
        let n = need_bytes(bit_len, data.len())?;
        let data = &mut data[..n];
        // A = KASUMI[A]_{CK ⊕ KM}; KSB_0 = 0;
        // KSB_n = KASUMI[A ⊕ BLKCNT ⊕ KSB_{n-1}]_CK with BLKCNT = n - 1.
        let a = self.ck_km.encrypt_u64(u64::from_be_bytes(*iv));
        let mut ksb = 0u64;
        let mut blkcnt = 0u64;
        let mut chunks = data.chunks_exact_mut(8);
        for chunk in &mut chunks {
            ksb = self.ck.encrypt_u64(a ^ blkcnt ^ ksb);
            blkcnt = blkcnt.wrapping_add(1);
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            chunk.copy_from_slice(&(u64::from_be_bytes(word) ^ ksb).to_be_bytes());
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            ksb = self.ck.encrypt_u64(a ^ blkcnt ^ ksb);
            for (byte, k) in tail.iter_mut().zip(ksb.to_be_bytes()) {
                *byte ^= k;
            }
        }
        let last_bits = (bit_len % 8) as u32;
        if last_bits != 0 {
            if let Some(last) = data.last_mut() {
                *last &= 0xffu8 << (8 - last_bits);
            }
        }
        Ok(())
    }
}

/// KASUMI f9 (TS 35.201 §4) with its two key schedules, IK and IK ⊕ KM,
/// expanded once for a session.
#[derive(Clone, Debug)]
pub struct KasumiF9 {
    ik: Kasumi,
    ik_km: Kasumi,
}

impl KasumiF9 {
    /// Expands the integrity key IK.
    pub fn new(key: &[u8; 16]) -> KasumiF9 {
        KasumiF9 {
            ik: Kasumi::new(key),
            ik_km: Kasumi::with_modifier(key, KM_F9),
        }
    }

    /// MAC-I over the first `bit_len` bits of `data` with COUNT-I, FRESH and
    /// DIRECTION (1 bit). The padded string is
    /// COUNT || FRESH || MESSAGE || DIRECTION || 1 || 0…0 in 64-bit blocks.
    pub fn mac(
        &self,
        count: u32,
        fresh: u32,
        direction: u8,
        data: &[u8],
        bit_len: u64,
    ) -> Result<[u8; 4], WirelessError> {
        check_direction(direction)?;
        let n = need_bytes(bit_len, data.len())?;
        let data = &data[..n];
        // A = KASUMI[A ⊕ PS_i]_IK; B = B ⊕ A; over every block of PS.
        let mut a = self
            .ik
            .encrypt_u64((u64::from(count) << 32) | u64::from(fresh));
        let mut b = a;
        let full = (bit_len / 64) as usize;
        let (blocks, rest) = data.split_at(full * 8);
        for chunk in blocks.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            a = self.ik.encrypt_u64(a ^ u64::from_be_bytes(word));
            b ^= a;
        }
        // The last 0..=63 message bits, then DIRECTION and the 1 bit, in a
        // 128-bit window: one more block, or two when r >= 63.
        let r = (bit_len % 64) as u32;
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        let bits = if r == 0 {
            0
        } else {
            u64::from_be_bytes(word) & (u64::MAX << (64 - r))
        };
        let tail =
            (u128::from(bits) << 64) | (u128::from(direction) << (127 - r)) | (1u128 << (126 - r));
        a = self.ik.encrypt_u64(a ^ (tail >> 64) as u64);
        b ^= a;
        if r >= 63 {
            a = self.ik.encrypt_u64(a ^ tail as u64);
            b ^= a;
        }
        // MAC-I: the left 32 bits of KASUMI[B]_{IK ⊕ KM}.
        let b = self.ik_km.encrypt_u64(b);
        Ok(((b >> 32) as u32).to_be_bytes())
    }
}

/// KASUMI f8 in place over the first `bit_len` bits of `data`
/// (`data.len() >= ceil(bit_len / 8)`, else [`WirelessError::ShortBuffer`]).
/// Encryption and decryption are the same operation.
pub fn f8(
    key: &[u8; 16],
    count: u32,
    bearer: u8,
    direction: u8,
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    KasumiF8::new(key).apply(count, bearer, direction, data, bit_len)
}

/// KASUMI f8 with a QAT-style 8-byte IV.
///
/// QAT's `cpa_cy_sym.h` (intel/qatlib, `quickassist/include/lac/cpa_cy_sym.h`)
/// documents `CPA_CY_SYM_CIPHER_KASUMI_F8` only as "Kasumi algorithm in F8
/// mode", and `pIv`/`ivLenInBytes` as "the Initialization Vector (IV) value",
/// whose length "must be the same as the block length of the cipher" — 8
/// bytes. The layout of those 8 bytes is the f8 register A of TS 35.201 §3.3:
/// COUNT (4 bytes, big-endian) || BEARER << 3 | DIRECTION << 2 || 0, 0, 0, as
/// built by [`f8_iv_layout`] (and as DPDK's QAT test vectors carry it). The IV
/// is used as it is: bits the layout leaves zero are not checked.
pub fn f8_iv(
    key: &[u8; 16],
    iv: &[u8; 8],
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    KasumiF8::new(key).apply_iv(iv, data, bit_len)
}

/// KASUMI f9: the 32-bit MAC-I over the first `bit_len` bits of `data`
/// (`data.len() >= ceil(bit_len / 8)`, else [`WirelessError::ShortBuffer`]).
pub fn f9(
    key: &[u8; 16],
    count: u32,
    fresh: u32,
    direction: u8,
    data: &[u8],
    bit_len: u64,
) -> Result<[u8; 4], WirelessError> {
    KasumiF9::new(key).mac(count, fresh, direction, data, bit_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The S-box tables of TS 35.202 §4.5, to check the equations against.
    const S7_TABLE: [u16; 128] = [
        54, 50, 62, 56, 22, 34, 94, 96, 38, 6, 63, 93, 2, 18, 123, 33, 55, 113, 39, 114, 21, 67,
        65, 12, 47, 73, 46, 27, 25, 111, 124, 81, 53, 9, 121, 79, 52, 60, 58, 48, 101, 127, 40,
        120, 104, 70, 71, 43, 20, 122, 72, 61, 23, 109, 13, 100, 77, 1, 16, 7, 82, 10, 105, 98,
        117, 116, 76, 11, 89, 106, 0, 125, 118, 99, 86, 69, 30, 57, 126, 87, 112, 51, 17, 5, 95,
        14, 90, 84, 91, 8, 35, 103, 32, 97, 28, 66, 102, 31, 26, 45, 75, 4, 85, 92, 37, 74, 80, 49,
        68, 29, 115, 44, 64, 107, 108, 24, 110, 83, 36, 78, 42, 19, 15, 41, 88, 119, 59, 3,
    ];
    const S9_TABLE: [u16; 512] = [
        167, 239, 161, 379, 391, 334, 9, 338, 38, 226, 48, 358, 452, 385, 90, 397, 183, 253, 147,
        331, 415, 340, 51, 362, 306, 500, 262, 82, 216, 159, 356, 177, 175, 241, 489, 37, 206, 17,
        0, 333, 44, 254, 378, 58, 143, 220, 81, 400, 95, 3, 315, 245, 54, 235, 218, 405, 472, 264,
        172, 494, 371, 290, 399, 76, 165, 197, 395, 121, 257, 480, 423, 212, 240, 28, 462, 176,
        406, 507, 288, 223, 501, 407, 249, 265, 89, 186, 221, 428, 164, 74, 440, 196, 458, 421,
        350, 163, 232, 158, 134, 354, 13, 250, 491, 142, 191, 69, 193, 425, 152, 227, 366, 135,
        344, 300, 276, 242, 437, 320, 113, 278, 11, 243, 87, 317, 36, 93, 496, 27, 487, 446, 482,
        41, 68, 156, 457, 131, 326, 403, 339, 20, 39, 115, 442, 124, 475, 384, 508, 53, 112, 170,
        479, 151, 126, 169, 73, 268, 279, 321, 168, 364, 363, 292, 46, 499, 393, 327, 324, 24, 456,
        267, 157, 460, 488, 426, 309, 229, 439, 506, 208, 271, 349, 401, 434, 236, 16, 209, 359,
        52, 56, 120, 199, 277, 465, 416, 252, 287, 246, 6, 83, 305, 420, 345, 153, 502, 65, 61,
        244, 282, 173, 222, 418, 67, 386, 368, 261, 101, 476, 291, 195, 430, 49, 79, 166, 330, 280,
        383, 373, 128, 382, 408, 155, 495, 367, 388, 274, 107, 459, 417, 62, 454, 132, 225, 203,
        316, 234, 14, 301, 91, 503, 286, 424, 211, 347, 307, 140, 374, 35, 103, 125, 427, 19, 214,
        453, 146, 498, 314, 444, 230, 256, 329, 198, 285, 50, 116, 78, 410, 10, 205, 510, 171, 231,
        45, 139, 467, 29, 86, 505, 32, 72, 26, 342, 150, 313, 490, 431, 238, 411, 325, 149, 473,
        40, 119, 174, 355, 185, 233, 389, 71, 448, 273, 372, 55, 110, 178, 322, 12, 469, 392, 369,
        190, 1, 109, 375, 137, 181, 88, 75, 308, 260, 484, 98, 272, 370, 275, 412, 111, 336, 318,
        4, 504, 492, 259, 304, 77, 337, 435, 21, 357, 303, 332, 483, 18, 47, 85, 25, 497, 474, 289,
        100, 269, 296, 478, 270, 106, 31, 104, 433, 84, 414, 486, 394, 96, 99, 154, 511, 148, 413,
        361, 409, 255, 162, 215, 302, 201, 266, 351, 343, 144, 441, 365, 108, 298, 251, 34, 182,
        509, 138, 210, 335, 133, 311, 352, 328, 141, 396, 346, 123, 319, 450, 281, 429, 228, 443,
        481, 92, 404, 485, 422, 248, 297, 23, 213, 130, 466, 22, 217, 283, 70, 294, 360, 419, 127,
        312, 377, 7, 468, 194, 2, 117, 295, 463, 258, 224, 447, 247, 187, 80, 398, 284, 353, 105,
        390, 299, 471, 470, 184, 57, 200, 348, 63, 204, 188, 33, 451, 97, 30, 310, 219, 94, 160,
        129, 493, 64, 179, 263, 102, 189, 207, 114, 402, 438, 477, 387, 122, 192, 42, 381, 5, 145,
        118, 180, 449, 293, 323, 136, 380, 43, 66, 60, 455, 341, 445, 202, 432, 8, 237, 15, 376,
        436, 464, 59, 461,
    ];

    #[test]
    fn s7_equations_match_the_table() {
        for x in 0..128u64 {
            // All four lanes at once, each with a different input.
            let xs = [x, (x + 1) % 128, (x + 50) % 128, 127 - x];
            let packed = xs[0] | xs[1] << 16 | xs[2] << 32 | xs[3] << 48;
            let y = s7(packed);
            for (lane, &xi) in xs.iter().enumerate() {
                assert_eq!(
                    (y >> (16 * lane)) & 0xffff,
                    u64::from(S7_TABLE[xi as usize]),
                    "S7[{xi}]"
                );
            }
        }
    }

    #[test]
    fn s9_equations_match_the_table() {
        for x in 0..512u64 {
            let xs = [x, (x + 1) % 512, (x + 200) % 512, 511 - x];
            let packed = xs[0] | xs[1] << 16 | xs[2] << 32 | xs[3] << 48;
            let y = s9(packed);
            for (lane, &xi) in xs.iter().enumerate() {
                assert_eq!(
                    (y >> (16 * lane)) & 0xffff,
                    u64::from(S9_TABLE[xi as usize]),
                    "S9[{xi}]"
                );
            }
        }
    }

    #[test]
    fn refusals() {
        let key = [0u8; 16];
        let mut buf = [0u8; 3];
        assert_eq!(
            f8(&key, 0, 0, 0, &mut buf, 25),
            Err(WirelessError::ShortBuffer { need: 4, have: 3 })
        );
        assert_eq!(
            f8(&key, 0, 32, 0, &mut buf, 8),
            Err(WirelessError::OutOfRange {
                field: "BEARER",
                value: 32,
                max: 31
            })
        );
        assert_eq!(
            f8(&key, 0, 0, 2, &mut buf, 8),
            Err(WirelessError::OutOfRange {
                field: "DIRECTION",
                value: 2,
                max: 1
            })
        );
        assert_eq!(
            f9(&key, 0, 0, 2, &buf, 8),
            Err(WirelessError::OutOfRange {
                field: "DIRECTION",
                value: 2,
                max: 1
            })
        );
        assert_eq!(
            f9(&key, 0, 0, 0, &buf, u64::MAX),
            Err(WirelessError::ShortBuffer {
                need: u64::MAX.div_ceil(8),
                have: 3
            })
        );
    }
}
