//! Checksums a compression request can carry: CRC32, Adler-32 and xxHash32,
//! and the programmable CRC64 of the integrity CRCs ([`Crc64`]).
//!
//! Every function takes a seed so a checksum can be carried from one stateless
//! request to the next ("stateful lite": the application passes the previous
//! `results.checksum` back in). The seeds follow zlib's conventions, which is
//! what QAT applications expect:
//!
//! - [`crc32`]: the seed is the previous CRC (0 to start), like zlib's
//!   `crc32(crc, buf, len)`; `crc32(crc32(0, a), b) == crc32(0, a‖b)`.
//! - [`adler32`]: the seed is the previous Adler-32 (1 to start), like zlib's
//!   `adler32(adler, buf, len)`; chaining works the same way.
//! - [`xxhash32`]: the seed is the xxHash32 *seed* (not a previous digest):
//!   xxHash cannot be resumed from a digest, so a hash over several requests
//!   needs the streaming [`Xxh32State`] (LZ4 frame content checksums).
//!
//! The work is done by crc32fast, simd-adler32 and xxhash-rust (all pure Rust;
//! the crate benchmarks show them >20x faster than deflate).

/// CRC-32 (ISO-HDLC, the gzip/zlib polynomial 0xEDB88320 reflected), continuing
/// from `seed` (the CRC of the data before `data`; 0 to start).
pub fn crc32(seed: u32, data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new_with_initial(seed);
    h.update(data);
    h.finalize()
}

/// Adler-32 (RFC 1950), continuing from `seed` (the Adler-32 of the data before
/// `data`; 1 to start).
pub fn adler32(seed: u32, data: &[u8]) -> u32 {
    let mut h = simd_adler32::Adler32::from_checksum(seed);
    h.write(data);
    h.finish()
}

/// xxHash32 of `data` with `seed` (0 for LZ4 frame checksums).
pub fn xxhash32(seed: u32, data: &[u8]) -> u32 {
    xxhash_rust::xxh32::xxh32(data, seed)
}

/// xxHash64 of `data` with `seed` (0 for zstd content checksums, which
/// keep its low 32 bits).
pub fn xxhash64(seed: u64, data: &[u8]) -> u64 {
    xxhash_rust::xxh64::xxh64(data, seed)
}

/// CRC-32 of A‖B from the CRC-32 of A, the CRC-32 of B and |B|: lets
/// independent requests (each checksummed from the start value) be joined
/// into one stream's checksum without serialising them.
pub fn crc32_combine(crc_a: u32, crc_b: u32, len_b: u64) -> u32 {
    let mut h = crc32fast::Hasher::new_with_initial_len(crc_a, 0);
    h.combine(&crc32fast::Hasher::new_with_initial_len(crc_b, len_b));
    h.finalize()
}

/// Adler-32 of A‖B from the Adler-32 of A, the Adler-32 of B and |B|:
/// a = a1 + a2 − 1 and b = b1 + b2 + |B|·(a1 − 1), modulo 65521.
pub fn adler32_combine(adler_a: u32, adler_b: u32, len_b: u64) -> u32 {
    const BASE: u64 = 65521;
    let (a1, b1) = (u64::from(adler_a & 0xffff), u64::from(adler_a >> 16));
    let (a2, b2) = (u64::from(adler_b & 0xffff), u64::from(adler_b >> 16));
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (b1 + b2 + (len_b % BASE) * ((a1 + BASE - 1) % BASE)) % BASE;
    ((b << 16) | a) as u32
}

/// Streaming xxHash32: the LZ4 frame content checksum covers the whole
/// decompressed content, which arrives block by block (or request by request).
#[derive(Clone)]
pub struct Xxh32State {
    inner: xxhash_rust::xxh32::Xxh32,
}

impl Xxh32State {
    /// A fresh hash with `seed` (the LZ4 frame format uses seed 0).
    pub fn new(seed: u32) -> Self {
        Xxh32State {
            inner: xxhash_rust::xxh32::Xxh32::new(seed),
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The hash of everything fed so far (the state can keep going afterwards).
    pub fn digest(&self) -> u32 {
        self.inner.digest()
    }
}

impl std::fmt::Debug for Xxh32State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Xxh32State {{ digest: {:#010x} }}", self.digest())
    }
}

/// The parameters of a CRC-64 in the Rocksoft model of the CRC catalogue,
/// field for field QAT's `CpaCrcControlData` (polynomial, initial value,
/// input and output reflection, final XOR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Crc64Params {
    /// Generator polynomial, normal form (the x^64 term implicit).
    pub poly: u64,
    /// Register start value, unreflected (as the catalogue gives it).
    pub init: u64,
    /// Each input byte is reflected before it enters the register.
    pub reflect_in: bool,
    /// The final register is reflected before the XOR.
    pub reflect_out: bool,
    /// XORed into the result last.
    pub xor_out: u64,
}

impl Crc64Params {
    /// CRC-64/ECMA-182: the integrity CRC64 QAT computes until a session is
    /// given other parameters (qatlib's default polynomial 0x42F0E1EBA9EA3693,
    /// initial value 0, no reflection, no final XOR).
    pub const ECMA_182: Crc64Params = Crc64Params {
        poly: 0x42F0_E1EB_A9EA_3693,
        init: 0,
        reflect_in: false,
        reflect_out: false,
        xor_out: 0,
    };
}

impl Default for Crc64Params {
    fn default() -> Self {
        Crc64Params::ECMA_182
    }
}

/// A CRC-64 with any polynomial, initial value, reflection and final XOR
/// (the Rocksoft parameter model of the CRC catalogue), table-driven: the
/// engine of QAT's programmable integrity CRC64 (`CpaCrcControlData`).
/// Building one fills a 2 KiB table; computing allocates nothing.
///
/// Data in several pieces (the segments of a scatter-gather list) goes
/// through [`Crc64::start`], [`Crc64::update`] and [`Crc64::finish`]; the
/// register between pieces is opaque (reflected when input is).
#[derive(Clone)]
pub struct Crc64 {
    table: [u64; 256],
    params: Crc64Params,
}

impl Crc64 {
    /// The CRC with generator `poly` (normal form, x^64 implicit), register
    /// start value `init`, input reflection `reflect_in`, output reflection
    /// `reflect_out` and final XOR `xor_out`.
    pub fn new(poly: u64, init: u64, reflect_in: bool, reflect_out: bool, xor_out: u64) -> Self {
        Crc64::with_params(Crc64Params {
            poly,
            init,
            reflect_in,
            reflect_out,
            xor_out,
        })
    }

    /// The CRC with parameters `params`.
    pub fn with_params(params: Crc64Params) -> Self {
        let mut table = [0u64; 256];
        let poly = params.poly;
        let rpoly = poly.reverse_bits();
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c;
            if params.reflect_in {
                c = i as u64;
                for _ in 0..8 {
                    c = if c & 1 != 0 { (c >> 1) ^ rpoly } else { c >> 1 };
                }
            } else {
                c = (i as u64) << 56;
                for _ in 0..8 {
                    c = if c >> 63 != 0 {
                        (c << 1) ^ poly
                    } else {
                        c << 1
                    };
                }
            }
            *slot = c;
        }
        Crc64 { table, params }
    }

    /// The parameters this CRC was built with.
    pub fn params(&self) -> &Crc64Params {
        &self.params
    }

    /// The register before any data.
    pub fn start(&self) -> u64 {
        if self.params.reflect_in {
            // A reflected register processes reflected bytes LSB first.
            self.params.init.reverse_bits()
        } else {
            self.params.init
        }
    }

    /// The register after `data` more bytes.
    pub fn update(&self, mut crc: u64, data: &[u8]) -> u64 {
        if self.params.reflect_in {
            for &b in data {
                crc = self.table[((crc ^ u64::from(b)) & 0xff) as usize] ^ (crc >> 8);
            }
        } else {
            for &b in data {
                crc = self.table[(((crc >> 56) ^ u64::from(b)) & 0xff) as usize] ^ (crc << 8);
            }
        }
        crc
    }

    /// The CRC value of a register.
    pub fn finish(&self, crc: u64) -> u64 {
        // A reflected register holds the reflected CRC: it is already the
        // reflected output, and must be turned back for an unreflected one.
        let reflect = self.params.reflect_in != self.params.reflect_out;
        let crc = if reflect { crc.reverse_bits() } else { crc };
        crc ^ self.params.xor_out
    }

    /// The CRC of `data`.
    pub fn checksum(&self, data: &[u8]) -> u64 {
        self.finish(self.update(self.start(), data))
    }
}

impl std::fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crc64")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn combined_checksums_equal_the_checksum_of_the_whole() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for split in [0, 1, 65521, 70_000, 100_000] {
            let (a, b) = data.split_at(split);
            let n = b.len() as u64;
            assert_eq!(crc32_combine(crc32(0, a), crc32(0, b), n), crc32(0, &data));
            assert_eq!(
                adler32_combine(adler32(1, a), adler32(1, b), n),
                adler32(1, &data)
            );
        }
    }
    use super::*;

    /// The standard check input of the CRC catalogue (and of RFC 1950's Adler-32
    /// examples in common test suites).
    const CHECK: &[u8] = b"123456789";

    #[test]
    fn crc32_known_answers() {
        // CRC-32/ISO-HDLC "check" value from the CRC catalogue.
        assert_eq!(crc32(0, CHECK), 0xCBF4_3926);
        assert_eq!(crc32(0, b""), 0);
        assert_eq!(
            crc32(0x1234_5678, b""),
            0x1234_5678,
            "empty input keeps the seed"
        );
        // "The quick brown fox jumps over the lazy dog" is a widely published vector.
        assert_eq!(
            crc32(0, b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn adler32_known_answers() {
        assert_eq!(adler32(1, CHECK), 0x091E_01DE);
        assert_eq!(adler32(1, b""), 1);
        // RFC 1950 example often quoted: "Wikipedia" -> 0x11E60398.
        assert_eq!(adler32(1, b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn chaining_matches_one_shot() {
        let data: Vec<u8> = (0..100_000u32)
            .map(|i| i.wrapping_mul(2_654_435_761) as u8)
            .collect();
        for split in [0, 1, 7, 4096, 65_537, 99_999, 100_000] {
            let (a, b) = data.split_at(split);
            assert_eq!(
                crc32(crc32(0, a), b),
                crc32(0, &data),
                "crc32 split {split}"
            );
            assert_eq!(
                adler32(adler32(1, a), b),
                adler32(1, &data),
                "adler32 split {split}"
            );
            let mut st = Xxh32State::new(0);
            st.update(a);
            st.update(b);
            assert_eq!(st.digest(), xxhash32(0, &data), "xxh32 split {split}");
        }
    }

    /// Parameters and check values (CRC of "123456789") from the reveng CRC
    /// catalogue (Greg Cook, "Catalogue of parametrised CRC algorithms",
    /// section CRC-64): (name, poly, init, refin, refout, xorout, check).
    const CRC64_CATALOGUE: &[(&str, u64, u64, bool, bool, u64, u64)] = &[
        (
            "CRC-64/ECMA-182",
            0x42F0_E1EB_A9EA_3693,
            0,
            false,
            false,
            0,
            0x6C40_DF5F_0B49_7347,
        ),
        (
            "CRC-64/XZ",
            0x42F0_E1EB_A9EA_3693,
            u64::MAX,
            true,
            true,
            u64::MAX,
            0x995D_C9BB_DF19_39FA,
        ),
        (
            "CRC-64/GO-ISO",
            0x1B,
            u64::MAX,
            true,
            true,
            u64::MAX,
            0xB909_56C7_75A4_1001,
        ),
        (
            "CRC-64/WE",
            0x42F0_E1EB_A9EA_3693,
            u64::MAX,
            false,
            false,
            u64::MAX,
            0x62EC_59E3_F1A4_F00A,
        ),
    ];

    #[test]
    fn crc64_catalogue_check_values() {
        for &(name, poly, init, refin, refout, xorout, check) in CRC64_CATALOGUE {
            let c = Crc64::new(poly, init, refin, refout, xorout);
            assert_eq!(c.checksum(CHECK), check, "{name}");
            // The empty input gives init (reflected when refout) ^ xorout.
            let empty = if refout { init.reverse_bits() } else { init };
            assert_eq!(c.checksum(b""), empty ^ xorout, "{name} of nothing");
        }
    }

    #[test]
    fn crc64_in_pieces_equals_crc64_of_the_whole() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 253) as u8).collect();
        for &(name, poly, init, refin, refout, xorout, _) in CRC64_CATALOGUE {
            let c = Crc64::new(poly, init, refin, refout, xorout);
            for split in [0, 1, 4095, 10_000] {
                let (a, b) = data.split_at(split);
                let reg = c.update(c.update(c.start(), a), b);
                assert_eq!(c.finish(reg), c.checksum(&data), "{name} split {split}");
            }
        }
        assert_eq!(Crc64Params::default(), Crc64Params::ECMA_182);
    }
}
