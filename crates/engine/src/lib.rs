//! softqat engine: the "firmware" of the software endpoints.
//!
//! Pure compute on byte slices — no threads, no I/O, no knowledge of rings or
//! descriptors. The device layer calls into this crate from its engine threads;
//! the benchmarks call it directly to measure the ceiling the layers above are
//! held against.
//!
//! Layout:
//! - [`status`]: the `CpaDcReqStatus` codes a compression request can end with
//!   (declared in `softqat-cpa`, re-exported).
//! - [`checksum`]: CRC32, Adler32 and xxHash32, seeded so they carry across requests.
//! - [`deflate`]: the deflate compressor (search depth, static/dynamic Huffman,
//!   flush control) and the decompressor that classifies invalid streams.
//! - [`lz4`]: the LZ4 block codec and frame format.
//! - [`lz4s`]: LZ4S, the sequence format QAT emits for zstd post-processing.
//! - [`zstd`]: zstd frames encoded from LZ4S sequences (what the QAT zstd
//!   plugin does with LZ4S).
//! - [`framing`]: gzip, zlib and LZ4 frame headers and footers.
//! - [`dc`]: one compression-service request end to end — codec, checksum,
//!   auto-select-best, compress-and-verify (and recover), overflow rules.
//! - [`kernels`]: the variant of the hot loops a CPU runs (portable, or
//!   compiled for AVX2/BMI2), chosen at run time.
//! - [`scratch`]: per-engine scratch that grows fallibly with the request
//!   (a request the memory limit refuses ends with [`scratch::NoScratch`],
//!   never an abort) and gives back what an oversized request took.
//! - [`wireless`]: the 3GPP wireless algorithms of the symmetric service
//!   (KASUMI f8/f9, SNOW 3G UEA2/UIA2, ZUC 128-EEA3/EIA3), bit lengths and all.
//! - [`sym`]: the symmetric-crypto engine — hashes (plain, HMAC, nested) with
//!   resumable state for partial packets; ciphers (NULL, ARC4, AES
//!   ECB/CBC/CTR/XTS/F8, DES, 3DES, ChaCha20, SM4); AEAD (AES-GCM, AES-CCM,
//!   ChaCha20-Poly1305); MACs (AES-XCBC, AES-CMAC, AES-CBC-MAC, AES-GMAC, Poly1305).
// The exceptions, each with its invariants: the aws-lc FFI of `asym`, the
// pointer accesses of the deflate decoder's fast loop
// (`deflate::inflate::fast`), and the calls into loops compiled for CPU
// features the CPU was found to have (`kernels`).
#![deny(unsafe_code)]

pub mod asym;
pub mod checksum;
pub mod dc;
pub mod deflate;
pub mod framing;
pub mod kernels;
pub mod lz4;
pub mod lz4s;
pub mod scratch;
pub mod status;
pub mod sym;
pub mod wireless;
pub mod zstd;

pub use status::DcStatus;
