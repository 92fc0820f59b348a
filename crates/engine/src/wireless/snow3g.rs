//! SNOW 3G and the 3GPP algorithms built on it: UEA2 (f8, confidentiality)
//! and UIA2 (f9, integrity).
//!
//! Written from the ETSI/SAGE "Specification of the 3GPP Confidentiality and
//! Integrity Algorithms UEA2 & UIA2": Document 2 (SNOW 3G Specification) for
//! the generator — the LFSR of sixteen 32-bit words over GF(2^32) with `MULα`
//! and `DIVα`, the FSM with R1–R3 and the S-boxes S1 and S2, 32 rounds of
//! initialisation mode then keystream mode — and Document 1 (UEA2 and UIA2
//! Specifications) for f8 and f9.
//!
//! # Word and byte order
//!
//! [`Snow3g::new`] takes the key and IV as Document 2 names them: the first
//! four octets are `k0` (resp. `IV0`), loaded most significant octet first,
//! then `k1`, `k2`, `k3`. This is the order of the keystream test sets of
//! Document 3 (Implementors' Test Data, §3). Document 1 loads the 128-bit
//! keys CK and IK the other way round (`k3 = CK[0..31]`, …, `k0 = CK[96..127]`)
//! and builds the IV words from COUNT, BEARER, DIRECTION and FRESH; [`uea2`],
//! [`uia2`], [`uea2_iv`] and [`uia2_iv`] take keys as 16 octets in Document 1
//! order and do the mapping.
//!
//! # Timing behaviour
//!
//! S1 and S2 are evaluated as table lookups (four 256-entry `u32` tables per
//! S-box, S-box and MixColumn folded together), and `MULα`/`DIVα` as one
//! 256-entry table each, as the reference implementations do. The table
//! indices are bytes of the secret generator state, so the memory addresses
//! touched depend on the key and IV: on a machine with shared caches an
//! attacker measuring cache timing can in principle learn about the state.
//! The amount of work per call depends only on the lengths, never on the data
//! or the key. The GF(2^64) multiplications of UIA2 use integer
//! multiplications with the operands split into parts whose bits are five apart ("holes"), no
//! tables and no branches on data, so they are constant-time wherever the
//! CPU's 64×64→128 multiply is (all current x86-64 and AArch64 cores).
//!
//! Every function here is allocation-free and never panics on input.

use super::{confidentiality_iv, need_bytes, xor_keeping_tail, WirelessError};

// ---------------------------------------------------------------------------
// Tables, computed at compile time from their definitions in Document 2.

/// `MULx(V, c)` of Document 2 §3.1.1: multiply the byte `v` by `x` modulo the
/// polynomial whose low byte is `c`.
const fn mulx(v: u8, c: u8) -> u8 {
    if v & 0x80 != 0 {
        (v << 1) ^ c
    } else {
        v << 1
    }
}

/// Multiplication in GF(2^8) modulo `x^8 + poly` (poly given by its low byte).
const fn gf8_mul(mut a: u8, mut b: u8, poly: u8) -> u8 {
    let mut r = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = mulx(a, poly);
        b >>= 1;
    }
    r
}

/// The Rijndael S-box SR (Document 2 §3.3.1): inversion in GF(2^8) modulo
/// `x^8 + x^4 + x^3 + x + 1`, then the affine map.
const fn sr_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        // x^254 = x^-1 (and 0 -> 0).
        let mut inv = 1u8;
        let mut k = 0;
        while k < 254 {
            inv = gf8_mul(inv, x as u8, 0x1B);
            k += 1;
        }
        if x == 0 {
            inv = 0;
        }
        let b = inv;
        t[x] = b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4) ^ 0x63;
        x += 1;
    }
    t
}

/// The S-box SQ (Document 2 §3.3.2), from the Dickson polynomial
/// `g49(x) = x + x^9 + x^13 + x^15 + x^33 + x^41 + x^45 + x^47 + x^49` in
/// GF(2^8) modulo `x^8 + x^6 + x^5 + x^3 + 1`, plus the constant `0x25`.
const fn sq_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        let mut p = x as u8; // x^1
        let mut acc = 0u8;
        let mut e = 1;
        while e <= 49 {
            if e == 1
                || e == 9
                || e == 13
                || e == 15
                || e == 33
                || e == 41
                || e == 45
                || e == 47
                || e == 49
            {
                acc ^= p;
            }
            p = gf8_mul(p, x as u8, 0x69);
            e += 1;
        }
        t[x] = acc ^ 0x25;
        x += 1;
    }
    t
}

/// The four column tables of an S-box followed by MixColumn with reduction
/// byte `c` (S1: SR and 0x1B; S2: SQ and 0x69). `tables[k][b]` is the
/// contribution of input byte `w_k` (w0 most significant) to `r0 ‖ r1 ‖ r2 ‖ r3`.
const fn sbox_tables(sbox: &[u8; 256], c: u8) -> [[u32; 256]; 4] {
    let mut t = [[0u32; 256]; 4];
    let mut x = 0usize;
    while x < 256 {
        let s1 = sbox[x] as u32;
        let s2 = mulx(sbox[x], c) as u32;
        let s3 = s2 ^ s1;
        // r0 = 2·w0 + 1·w1 + 1·w2 + 3·w3
        // r1 = 3·w0 + 2·w1 + 1·w2 + 1·w3
        // r2 = 1·w0 + 3·w1 + 2·w2 + 1·w3
        // r3 = 1·w0 + 1·w1 + 3·w2 + 2·w3
        t[0][x] = (s2 << 24) | (s3 << 16) | (s1 << 8) | s1;
        t[1][x] = (s1 << 24) | (s2 << 16) | (s3 << 8) | s1;
        t[2][x] = (s1 << 24) | (s1 << 16) | (s2 << 8) | s3;
        t[3][x] = (s3 << 24) | (s1 << 16) | (s1 << 8) | s2;
        x += 1;
    }
    t
}

/// `MULα` and `DIVα` (Document 2 §3.4.2, §3.4.3) as 256-entry tables:
/// `MULα(c) = MULxPOW(c,23) ‖ MULxPOW(c,245) ‖ MULxPOW(c,48) ‖ MULxPOW(c,239)`,
/// `DIVα(c) = MULxPOW(c,16) ‖ MULxPOW(c,39) ‖ MULxPOW(c,6) ‖ MULxPOW(c,64)`,
/// all with reduction byte 0xA9.
const fn alpha_tables() -> ([u32; 256], [u32; 256]) {
    let mut mul = [0u32; 256];
    let mut div = [0u32; 256];
    let mut c = 0usize;
    while c < 256 {
        let mut p = [0u8; 246];
        let mut v = c as u8;
        let mut i = 0;
        while i < 246 {
            p[i] = v;
            v = mulx(v, 0xA9);
            i += 1;
        }
        mul[c] = ((p[23] as u32) << 24)
            | ((p[245] as u32) << 16)
            | ((p[48] as u32) << 8)
            | p[239] as u32;
        div[c] =
            ((p[16] as u32) << 24) | ((p[39] as u32) << 16) | ((p[6] as u32) << 8) | p[64] as u32;
        c += 1;
    }
    (mul, div)
}

const SR: [u8; 256] = sr_table();
const SQ: [u8; 256] = sq_table();
static S1_T: [[u32; 256]; 4] = sbox_tables(&SR, 0x1B);
static S2_T: [[u32; 256]; 4] = sbox_tables(&SQ, 0x69);
const ALPHA: ([u32; 256], [u32; 256]) = alpha_tables();
static MUL_ALPHA: [u32; 256] = ALPHA.0;
static DIV_ALPHA: [u32; 256] = ALPHA.1;

#[inline(always)]
fn sbox(t: &[[u32; 256]; 4], w: u32) -> u32 {
    t[0][(w >> 24) as usize]
        ^ t[1][((w >> 16) & 0xFF) as usize]
        ^ t[2][((w >> 8) & 0xFF) as usize]
        ^ t[3][(w & 0xFF) as usize]
}

// ---------------------------------------------------------------------------
// The generator.

/// The SNOW 3G keystream generator (Document 2): LFSR `s0..s15`, FSM `R1..R3`.
#[derive(Clone)]
pub struct Snow3g {
    /// The LFSR as a ring: `s_j` is `lfsr[(head + j) & 15]`.
    lfsr: [u32; 16],
    head: usize,
    r1: u32,
    r2: u32,
    r3: u32,
}

impl core::fmt::Debug for Snow3g {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The state is key material: never print it.
        f.write_str("Snow3g { .. }")
    }
}

impl Snow3g {
    /// Initialised from a 128-bit key and the 128-bit IV as the spec's words
    /// (IV0..IV3).
    ///
    /// `key` is `k0 ‖ k1 ‖ k2 ‖ k3` and `iv` is `IV0 ‖ IV1 ‖ IV2 ‖ IV3`, each
    /// word most significant octet first — the order in which Document 3
    /// prints its SNOW 3G test sets. Runs the 32 rounds of initialisation mode
    /// and the one discarded round of keystream mode; the next call of
    /// [`next_word`](Self::next_word) returns `z1`.
    pub fn new(key: &[u8; 16], iv: &[u8; 16]) -> Snow3g {
        Self::from_words(be_words(key), be_words(iv))
    }

    /// Initialisation (Document 2 §4.1) from `k = [k0, k1, k2, k3]` and
    /// `iv = [IV0, IV1, IV2, IV3]`.
    fn from_words(k: [u32; 4], iv: [u32; 4]) -> Snow3g {
        const ONE: u32 = 0xFFFF_FFFF;
        let lfsr = [
            k[0] ^ ONE,
            k[1] ^ ONE,
            k[2] ^ ONE,
            k[3] ^ ONE,
            k[0],
            k[1],
            k[2],
            k[3],
            k[0] ^ ONE,
            k[1] ^ ONE ^ iv[3],
            k[2] ^ ONE ^ iv[2],
            k[3] ^ ONE,
            k[0] ^ iv[1],
            k[1],
            k[2],
            k[3] ^ iv[0],
        ];
        let mut g = Snow3g {
            lfsr,
            head: 0,
            r1: 0,
            r2: 0,
            r3: 0,
        };
        for _ in 0..32 {
            let f = g.clock_fsm();
            g.clock_lfsr(f);
        }
        // Keystream mode: the first FSM output is discarded.
        g.clock_fsm();
        g.clock_lfsr(0);
        g
    }

    #[inline(always)]
    fn s(&self, j: usize) -> u32 {
        self.lfsr[(self.head + j) & 15]
    }

    /// Clocks the FSM (Document 2 §3.4.6) and returns its output word F.
    #[inline(always)]
    fn clock_fsm(&mut self) -> u32 {
        let f = self.s(15).wrapping_add(self.r1) ^ self.r2;
        let r = self.r2.wrapping_add(self.r3 ^ self.s(5));
        self.r3 = sbox(&S2_T, self.r2);
        self.r2 = sbox(&S1_T, self.r1);
        self.r1 = r;
        f
    }

    /// Clocks the LFSR (Document 2 §3.4.4 with `f = F`, §3.4.5 with `f = 0`).
    #[inline(always)]
    fn clock_lfsr(&mut self, f: u32) {
        let s0 = self.s(0);
        let s11 = self.s(11);
        let v = (s0 << 8)
            ^ MUL_ALPHA[(s0 >> 24) as usize]
            ^ self.s(2)
            ^ (s11 >> 8)
            ^ DIV_ALPHA[(s11 & 0xFF) as usize]
            ^ f;
        // The old s0's slot becomes s15.
        self.lfsr[self.head & 15] = v;
        self.head = (self.head + 1) & 15;
    }

    /// Returns the next keystream word `z_t` (Document 2 §4.2).
    #[inline]
    pub fn next_word(&mut self) -> u32 {
        let z = self.clock_fsm() ^ self.s(0);
        self.clock_lfsr(0);
        z
    }

    /// XORs the keystream, each word most significant octet first, into `data`.
    fn xor_keystream(&mut self, data: &mut [u8]) {
        let mut chunks = data.chunks_exact_mut(4);
        for c in &mut chunks {
            let z = self.next_word().to_be_bytes();
            c[0] ^= z[0];
            c[1] ^= z[1];
            c[2] ^= z[2];
            c[3] ^= z[3];
        }
        let rest = chunks.into_remainder();
        if !rest.is_empty() {
            let z = self.next_word().to_be_bytes();
            for (d, k) in rest.iter_mut().zip(z) {
                *d ^= k;
            }
        }
    }
}

fn be_words(b: &[u8; 16]) -> [u32; 4] {
    [
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
        u32::from_be_bytes([b[12], b[13], b[14], b[15]]),
    ]
}

/// The generator keyed by a Document 1 key (`k3` first) and a 16-octet IV in
/// the Document 1 / QAT layout `IV3 ‖ IV2 ‖ IV1 ‖ IV0`.
fn keyed_doc1(key: &[u8; 16], iv: &[u8; 16]) -> Snow3g {
    let k = be_words(key);
    let v = be_words(iv);
    Snow3g::from_words([k[3], k[2], k[1], k[0]], [v[3], v[2], v[1], v[0]])
}

// ---------------------------------------------------------------------------
// UEA2 (f8).

/// UEA2 (f8, Document 1 §3): encrypts or decrypts the first `bit_len` bits of
/// `data` in place with the confidentiality key `key` (CK, octets in order).
///
/// `bearer` is the 5-bit BEARER and `direction` the 1-bit DIRECTION; higher
/// bits are ignored. `data` must hold at least `ceil(bit_len / 8)` octets;
/// octets past those are not touched, and neither are the unused low-order
/// bits of the last octet when `bit_len` is not a multiple of 8.
pub fn uea2(
    key: &[u8; 16],
    count: u32,
    bearer: u8,
    direction: u8,
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    uea2_iv(
        key,
        &confidentiality_iv(count, bearer, direction),
        data,
        bit_len,
    )
}

/// UEA2 with the 16-byte IV as QAT takes it for `CPA_CY_SYM_CIPHER_SNOW3G_UEA2`.
///
/// Where the layout comes from: intel/qatlib `quickassist/include/lac/cpa_cy_sym.h`
/// (`CpaCySymOpData.pIv`: "for SNOW3G in UEA2 mode, this is the
/// Initialization Vector (IV) value", `ivLenInBytes` 16) takes the 128-bit IV
/// of Document 1 §3.4 as 16 octets, most significant first:
/// `IV3 ‖ IV2 ‖ IV1 ‖ IV0` = `COUNT-C ‖ BEARER‖DIRECTION‖0…0 ‖ COUNT-C ‖
/// BEARER‖DIRECTION‖0…0` (e.g. COUNT-C 0x72A4F20F, BEARER 0x0C, DIRECTION 1 is
/// `72 A4 F2 0F 64 00 00 00 72 A4 F2 0F 64 00 00 00`, as in DPDK's
/// `test_cryptodev_snow3g_test_vectors.h`, which drives the QAT PMD with
/// these IVs unchanged). Bits and lengths as for [`uea2`].
pub fn uea2_iv(
    key: &[u8; 16],
    iv: &[u8; 16],
    data: &mut [u8],
    bit_len: u64,
) -> Result<(), WirelessError> {
    let n = need_bytes(bit_len, data.len())?;
    xor_keeping_tail(&mut data[..n], bit_len, |d| {
        keyed_doc1(key, iv).xor_keystream(d)
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// UIA2 (f9).

/// The QAT UIA2 IV for COUNT-I, FRESH and DIRECTION: `IV3 ‖ IV2 ‖ IV1 ‖ IV0`
/// with `IV3 = COUNT-I`, `IV2 = FRESH`, `IV1 = COUNT-I` with DIRECTION added
/// to its first bit, `IV0 = FRESH` with DIRECTION added to its bit 16
/// (Document 1 §4.4).
fn uia2_iv_bytes(count: u32, fresh: u32, direction: u8) -> [u8; 16] {
    let d = u32::from(direction & 1);
    let mut iv = [0u8; 16];
    iv[0..4].copy_from_slice(&count.to_be_bytes());
    iv[4..8].copy_from_slice(&fresh.to_be_bytes());
    iv[8..12].copy_from_slice(&(count ^ (d << 31)).to_be_bytes());
    iv[12..16].copy_from_slice(&(fresh ^ (d << 15)).to_be_bytes());
    iv
}

/// Masks selecting every fifth bit, from bit `k`, of a 64-bit word.
const fn spread_masks() -> [u64; 5] {
    let mut m = [0u64; 5];
    let mut i = 0;
    while i < 64 {
        m[i % 5] |= 1u64 << i;
        i += 1;
    }
    m
}

/// The same over 128 bits.
const fn spread_masks128() -> [u128; 5] {
    let mut m = [0u128; 5];
    let mut i = 0;
    while i < 128 {
        m[i % 5] |= 1u128 << i;
        i += 1;
    }
    m
}

const M64: [u64; 5] = spread_masks();
const M128: [u128; 5] = spread_masks128();

/// Carry-less 64×64→128 multiplication without tables or data-dependent
/// branches: each operand is split into five parts whose bits are five apart,
/// so a part has at most 13 bits set and the integer products' carries
/// (sums ≤ 13 < 2^5) never reach the next bit of the same class.
#[inline(always)]
fn clmul(a: u64, b: u64) -> u128 {
    let a = [a & M64[0], a & M64[1], a & M64[2], a & M64[3], a & M64[4]];
    let b = [b & M64[0], b & M64[1], b & M64[2], b & M64[3], b & M64[4]];
    let mut r = 0u128;
    for (k, mask) in M128.iter().enumerate() {
        let mut z = 0u128;
        for (i, &ai) in a.iter().enumerate() {
            z ^= u128::from(ai) * u128::from(b[(k + 5 - i) % 5]);
        }
        r |= z & mask;
    }
    r
}

/// `MUL64(V, P, 0x1B)` of Document 1 §4.3: multiplication in GF(2^64) modulo
/// `x^64 + x^4 + x^3 + x + 1`.
#[inline(always)]
fn gf64_mul(v: u64, p: u64) -> u64 {
    let prod = clmul(v, p);
    let lo = prod as u64;
    let hi = (prod >> 64) as u64;
    // hi·x^64 = hi·(x^4 + x^3 + x + 1); fold the bits that spill past x^63 once more.
    let spill = (hi >> 60) ^ (hi >> 61) ^ (hi >> 63);
    let hi = hi ^ spill;
    lo ^ hi ^ (hi << 1) ^ (hi << 3) ^ (hi << 4)
}

/// UIA2 (f9, Document 1 §4): the 32-bit MAC-I of the first `bit_len` bits of
/// `data` under the integrity key `key` (IK, octets in order), most
/// significant octet first.
///
/// `direction` is the 1-bit DIRECTION; higher bits are ignored. `data` must
/// hold at least `ceil(bit_len / 8)` octets; bits past `bit_len` are not part
/// of the message, whatever their value.
pub fn uia2(
    key: &[u8; 16],
    count: u32,
    fresh: u32,
    direction: u8,
    data: &[u8],
    bit_len: u64,
) -> Result<[u8; 4], WirelessError> {
    uia2_iv(key, &uia2_iv_bytes(count, fresh, direction), data, bit_len)
}

/// UIA2 with the 16-byte IV as QAT takes it for `CPA_CY_SYM_HASH_SNOW3G_UIA2`.
///
/// Where the layout comes from: intel/qatlib `quickassist/include/lac/cpa_cy_sym.h`
/// (`CpaCySymOpData.pAdditionalAuthData` points "to the IV for SNOW3G
/// authentication", whose length `aadLenInBytes` "should be 16") takes the
/// 128-bit IV of Document 1 §4.4 as 16 octets, most significant first:
/// `IV3 ‖ IV2 ‖ IV1 ‖ IV0` = `COUNT-I ‖ FRESH ‖ COUNT-I ⊕ DIRECTION·2^31 ‖
/// FRESH ⊕ DIRECTION·2^15` (e.g. `14 79 3E 41 03 97 E8 FD 94 79 3E 41 03 97
/// 68 FD` for COUNT-I 0x14793E41, FRESH 0x0397E8FD, DIRECTION 1, as in DPDK's
/// `test_cryptodev_snow3g_test_vectors.h`). Lengths as for [`uia2`].
pub fn uia2_iv(
    key: &[u8; 16],
    iv: &[u8; 16],
    data: &[u8],
    bit_len: u64,
) -> Result<[u8; 4], WirelessError> {
    let n = need_bytes(bit_len, data.len())?;
    let data = &data[..n];
    let mut g = keyed_doc1(key, iv);
    let z1 = g.next_word();
    let z2 = g.next_word();
    let z3 = g.next_word();
    let z4 = g.next_word();
    let z5 = g.next_word();
    let p = (u64::from(z1) << 32) | u64::from(z2);
    let q = (u64::from(z3) << 32) | u64::from(z4);

    let mut eval = 0u64;
    // Whole 64-bit blocks M0.., then the partial block (zero-padded, with the
    // bits past bit_len cleared) if bit_len is not a multiple of 64.
    let whole = usize::try_from(bit_len / 64)
        .unwrap_or(usize::MAX)
        .min(n / 8);
    let (body, tail) = data.split_at(whole * 8);
    for b in body.chunks_exact(8) {
        let m = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        eval = gf64_mul(eval ^ m, p);
    }
    let used = (bit_len % 64) as u32;
    if used != 0 {
        let mut buf = [0u8; 8];
        let t = tail.len().min(8);
        buf[..t].copy_from_slice(&tail[..t]);
        let m = u64::from_be_bytes(buf) & (!0u64 << (64 - used));
        eval = gf64_mul(eval ^ m, p);
    }
    eval ^= bit_len;
    eval = gf64_mul(eval, q);
    let mac = ((eval >> 32) as u32) ^ z5;
    Ok(mac.to_be_bytes())
}
