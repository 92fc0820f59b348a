//! Ciphers of QAT's symmetric service (`CpaCySymCipherAlgorithm` minus AEAD and
//! the wireless algorithms, which live in [`crate::wireless`]).
//!
//! A [`CipherSession`] holds the expanded key schedule, made once — what QAT keeps
//! in its content descriptor. Requests ([`CipherSession::apply`],
//! [`CipherSession::apply_to`]) allocate nothing and never panic on input: wrong
//! key, IV or data lengths are [`CipherError`]s that say what to do.
//!
//! IV conventions follow `cpa_cy_sym.h`:
//! - CBC, F8: the IV, one block long. ECB, ARC4, NULL: no IV (an empty slice).
//! - CTR (AES, SM4, 3DES): the whole initial counter block, incremented as one
//!   big-endian integer of the block's width (NIST SP 800-38A).
//! - AES-XTS: the 128-bit tweak `i` of IEEE Std 1619-2007 (encrypted with Key2
//!   by the engine); the data unit is the whole request (at least one block;
//!   a partial last block uses ciphertext stealing). Key = Key1 ‖ Key2.
//! - AES-F8: key = encryption key ‖ key mask (RFC 3711 §4.1.2; the mask already
//!   padded with 0x55 bytes to the key's length), IV one block.
//! - ChaCha20 (RFC 8439): a 12-byte nonce, block counter starting at 1 as in the
//!   ChaCha20-Poly1305 construction QAT's CHACHA serves; or 16 bytes =
//!   32-bit little-endian initial counter ‖ 12-byte nonce, to choose the counter.
//! - 3DES: 24-byte keys K1 ‖ K2 ‖ K3 (EDE); two-key 3DES is given as K1 ‖ K2 ‖ K1.

use ::cipher::consts::{U16, U8};
use ::cipher::generic_array::GenericArray;
use ::cipher::inout::InOutBuf;
use ::cipher::{
    BlockCipher, BlockDecrypt, BlockDecryptMut, BlockEncrypt, BlockEncryptMut, BlockSizeUser,
    InnerIvInit, KeyInit, KeyIvInit, StreamCipher, StreamCipherSeek,
};
use aes::{Aes128, Aes192, Aes256};
use des::{Des, TdesEde3};
use sm4::Sm4;
use thiserror::Error;
use xts_mode::Xts128;

/// The cipher algorithms (QAT's `CpaCySymCipherAlgorithm`, minus AEAD and wireless).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CipherAlgorithm {
    /// No cipher: data passes unchanged.
    Null,
    /// ARC4 (RC4) stream cipher, 1..=256-byte keys.
    Arc4,
    /// AES in ECB mode, 16/24/32-byte keys.
    AesEcb,
    /// AES in CBC mode, 16/24/32-byte keys.
    AesCbc,
    /// AES in CTR mode, 16/24/32-byte keys.
    AesCtr,
    /// AES-XTS (IEEE 1619), 32-byte (AES-128) or 64-byte (AES-256) keys Key1 ‖ Key2.
    AesXts,
    /// AES in F8 mode (RFC 3711), key ‖ key mask: 32, 48 or 64 bytes.
    AesF8,
    /// DES in ECB mode, 8-byte keys.
    DesEcb,
    /// DES in CBC mode, 8-byte keys.
    DesCbc,
    /// Triple DES (EDE) in ECB mode, 24-byte keys.
    TripleDesEcb,
    /// Triple DES (EDE) in CBC mode, 24-byte keys.
    TripleDesCbc,
    /// Triple DES (EDE) in CTR mode (64-bit counter block), 24-byte keys.
    TripleDesCtr,
    /// ChaCha20 (RFC 8439), 32-byte keys.
    Chacha20,
    /// SM4 in ECB mode, 16-byte keys.
    Sm4Ecb,
    /// SM4 in CBC mode, 16-byte keys.
    Sm4Cbc,
    /// SM4 in CTR mode, 16-byte keys.
    Sm4Ctr,
}

impl CipherAlgorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [CipherAlgorithm; 16] = [
        Self::Null,
        Self::Arc4,
        Self::AesEcb,
        Self::AesCbc,
        Self::AesCtr,
        Self::AesXts,
        Self::AesF8,
        Self::DesEcb,
        Self::DesCbc,
        Self::TripleDesEcb,
        Self::TripleDesCbc,
        Self::TripleDesCtr,
        Self::Chacha20,
        Self::Sm4Ecb,
        Self::Sm4Cbc,
        Self::Sm4Ctr,
    ];

    /// The key lengths in bytes this algorithm accepts.
    pub fn key_lengths(self) -> &'static [usize] {
        match self {
            Self::Null => &[0],
            Self::Arc4 => &ARC4_KEY_LENGTHS,
            Self::AesEcb | Self::AesCbc | Self::AesCtr => &[16, 24, 32],
            Self::AesXts => &[32, 64],
            Self::AesF8 => &[32, 48, 64],
            Self::DesEcb | Self::DesCbc => &[8],
            Self::TripleDesEcb | Self::TripleDesCbc | Self::TripleDesCtr => &[24],
            Self::Chacha20 => &[32],
            Self::Sm4Ecb | Self::Sm4Cbc | Self::Sm4Ctr => &[16],
        }
    }

    /// The IV lengths in bytes this algorithm accepts (the first is the usual one).
    pub fn iv_lengths(self) -> &'static [usize] {
        match self {
            Self::Null | Self::Arc4 | Self::AesEcb | Self::DesEcb | Self::TripleDesEcb => &[0],
            Self::Sm4Ecb => &[0],
            Self::AesCbc | Self::AesCtr | Self::AesXts | Self::AesF8 => &[16],
            Self::Sm4Cbc | Self::Sm4Ctr => &[16],
            Self::DesCbc | Self::TripleDesCbc | Self::TripleDesCtr => &[8],
            Self::Chacha20 => &[12, 16],
        }
    }

    /// The block length in bytes (1 for stream ciphers and NULL).
    pub fn block_len(self) -> usize {
        match self {
            Self::AesEcb | Self::AesCbc | Self::AesCtr | Self::AesXts | Self::AesF8 => 16,
            Self::Sm4Ecb | Self::Sm4Cbc | Self::Sm4Ctr => 16,
            Self::DesEcb | Self::DesCbc | Self::TripleDesEcb | Self::TripleDesCbc => 8,
            Self::TripleDesCtr => 8,
            Self::Null | Self::Arc4 | Self::Chacha20 => 1,
        }
    }

    /// Whether request data must be a whole number of blocks (ECB and CBC).
    pub fn needs_block_multiple(self) -> bool {
        matches!(
            self,
            Self::AesEcb
                | Self::AesCbc
                | Self::DesEcb
                | Self::DesCbc
                | Self::TripleDesEcb
                | Self::TripleDesCbc
                | Self::Sm4Ecb
                | Self::Sm4Cbc
        )
    }

    /// Whether partial packets ([`CipherStream`]) are allowed: ECB, CBC, ARC4 and NULL.
    /// CTR, XTS, F8 and ChaCha20 take whole messages only (QAT gen4 refuses partials
    /// for them).
    pub fn supports_partials(self) -> bool {
        self.needs_block_multiple() || matches!(self, Self::Arc4 | Self::Null)
    }
}

const ARC4_KEY_LENGTHS: [usize; 256] = {
    let mut a = [0usize; 256];
    let mut i = 0;
    while i < 256 {
        a[i] = i + 1;
        i += 1;
    }
    a
};

/// Cipher direction. Stream modes (CTR, F8, ARC4, ChaCha20, NULL) do the same
/// operation both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Encrypt.
    Encrypt,
    /// Decrypt.
    Decrypt,
}

/// Why a cipher session or request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CipherError {
    /// The key has a length the algorithm does not take.
    #[error("{alg:?}: a key of {got} bytes is not accepted; give a key of one of these lengths (bytes): {allowed:?}")]
    BadKeyLength {
        /// The algorithm.
        alg: CipherAlgorithm,
        /// The length given.
        got: usize,
        /// The lengths accepted.
        allowed: &'static [usize],
    },
    /// The IV has a length the algorithm does not take.
    #[error("{alg:?}: an IV of {got} bytes is not accepted; give an IV of one of these lengths (bytes): {allowed:?}")]
    BadIvLength {
        /// The algorithm.
        alg: CipherAlgorithm,
        /// The length given.
        got: usize,
        /// The lengths accepted.
        allowed: &'static [usize],
    },
    /// A block mode was given data that is not a whole number of blocks.
    #[error("{alg:?}: {len} bytes is not a multiple of the {block}-byte block; pad the data to a block multiple (or use a CTR/stream mode)")]
    NotBlockMultiple {
        /// The algorithm.
        alg: CipherAlgorithm,
        /// The data length given.
        len: usize,
        /// The block length.
        block: usize,
    },
    /// AES-XTS was given less than one block.
    #[error("{alg:?}: {len} bytes is shorter than the {min}-byte minimum data unit; give at least one full block")]
    TooShort {
        /// The algorithm.
        alg: CipherAlgorithm,
        /// The data length given.
        len: usize,
        /// The minimum length.
        min: usize,
    },
    /// Out-of-place source and destination differ in length.
    #[error(
        "source of {src} bytes and destination of {dst} bytes differ; give buffers of equal length"
    )]
    LengthMismatch {
        /// Source length.
        src: usize,
        /// Destination length.
        dst: usize,
    },
    /// Partial packets were asked of a mode that takes whole messages only.
    #[error("{alg:?} does not support partial packets; send the whole message in one request")]
    PartialsNotSupported {
        /// The algorithm.
        alg: CipherAlgorithm,
    },
    /// The request would run the keystream past its counter's end.
    #[error("{alg:?}: the request runs past the end of the keystream (counter overflow); use a fresh IV or a shorter request")]
    KeystreamExhausted {
        /// The algorithm.
        alg: CipherAlgorithm,
    },
}

/// A 64- or 128-bit block cipher key schedule, for ECB and CBC.
#[derive(Clone)]
enum BlockKey {
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
    Des(Des),
    Tdes(TdesEde3),
    Sm4(Sm4),
}

/// An AES key schedule of any size (CTR, F8).
#[derive(Clone)]
enum AesKey {
    K128(Aes128),
    K192(Aes192),
    K256(Aes256),
}

/// CTR-mode key schedules.
// The schedules live once per session; boxing them would add an indirection per request.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum CtrKey {
    Aes(AesKey),
    Sm4(Sm4),
    Tdes(TdesEde3),
}

// The schedules live once per session; boxing them would add an indirection per request.
#[allow(clippy::large_enum_variant)]
enum XtsKey {
    K128(Xts128<Aes128>),
    K256(Xts128<Aes256>),
}

// The schedules live once per session; boxing them would add an indirection per request.
#[allow(clippy::large_enum_variant)]
enum Keys {
    Null,
    Arc4(Box<[u8; 256]>),
    Ecb(BlockKey),
    Cbc(BlockKey),
    Ctr(CtrKey),
    Xts(Box<XtsKey>),
    F8 { enc: AesKey, masked: AesKey },
    Chacha(chacha20::Key),
}

/// A cipher session: the expanded key schedule, made once (what QAT keeps in its content descriptor).
pub struct CipherSession {
    alg: CipherAlgorithm,
    dir: Direction,
    keys: Keys,
}

impl std::fmt::Debug for CipherSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CipherSession")
            .field("alg", &self.alg)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn aes_key(key: &[u8]) -> Option<AesKey> {
    Some(match key.len() {
        16 => AesKey::K128(Aes128::new_from_slice(key).ok()?),
        24 => AesKey::K192(Aes192::new_from_slice(key).ok()?),
        32 => AesKey::K256(Aes256::new_from_slice(key).ok()?),
        _ => return None,
    })
}

fn block_key(alg: CipherAlgorithm, key: &[u8]) -> Option<BlockKey> {
    use CipherAlgorithm as A;
    Some(match alg {
        A::AesEcb | A::AesCbc => match aes_key(key)? {
            AesKey::K128(c) => BlockKey::Aes128(c),
            AesKey::K192(c) => BlockKey::Aes192(c),
            AesKey::K256(c) => BlockKey::Aes256(c),
        },
        A::DesEcb | A::DesCbc => BlockKey::Des(Des::new_from_slice(key).ok()?),
        A::TripleDesEcb | A::TripleDesCbc => BlockKey::Tdes(TdesEde3::new_from_slice(key).ok()?),
        A::Sm4Ecb | A::Sm4Cbc => BlockKey::Sm4(Sm4::new_from_slice(key).ok()?),
        _ => return None,
    })
}

fn arc4_schedule(key: &[u8]) -> Box<[u8; 256]> {
    let mut s = Box::new([0u8; 256]);
    for (i, v) in s.iter_mut().enumerate() {
        *v = i as u8;
    }
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    s
}

/// Dispatches over the concrete block cipher of a [`BlockKey`].
macro_rules! with_block {
    ($k:expr, $c:ident => $body:expr) => {
        match $k {
            BlockKey::Aes128($c) => $body,
            BlockKey::Aes192($c) => $body,
            BlockKey::Aes256($c) => $body,
            BlockKey::Des($c) => $body,
            BlockKey::Tdes($c) => $body,
            BlockKey::Sm4($c) => $body,
        }
    };
}

/// CTR over a concrete cipher and counter flavour (whole-block big-endian counter).
macro_rules! ctr_apply {
    ($alg:expr, $c:expr, $flavor:ty, $iv:expr, $data:expr) => {{
        let core =
            ctr::CtrCore::<_, $flavor>::inner_iv_slice_init($c.clone(), $iv).map_err(|_| {
                CipherError::BadIvLength {
                    alg: $alg,
                    got: $iv.len(),
                    allowed: $alg.iv_lengths(),
                }
            })?;
        ::cipher::StreamCipherCoreWrapper::from_core(core)
            .try_apply_keystream($data)
            .map_err(|_| CipherError::KeystreamExhausted { alg: $alg })?
    }};
}

impl CipherSession {
    /// Expands `key` for `alg` in direction `dir`.
    pub fn new(alg: CipherAlgorithm, key: &[u8], dir: Direction) -> Result<Self, CipherError> {
        use CipherAlgorithm as A;
        let bad = || CipherError::BadKeyLength {
            alg,
            got: key.len(),
            allowed: alg.key_lengths(),
        };
        if !alg.key_lengths().contains(&key.len()) {
            return Err(bad());
        }
        let keys = match alg {
            A::Null => Keys::Null,
            A::Arc4 => Keys::Arc4(arc4_schedule(key)),
            A::AesEcb | A::DesEcb | A::TripleDesEcb | A::Sm4Ecb => {
                Keys::Ecb(block_key(alg, key).ok_or_else(bad)?)
            }
            A::AesCbc | A::DesCbc | A::TripleDesCbc | A::Sm4Cbc => {
                Keys::Cbc(block_key(alg, key).ok_or_else(bad)?)
            }
            A::AesCtr => Keys::Ctr(CtrKey::Aes(aes_key(key).ok_or_else(bad)?)),
            A::Sm4Ctr => Keys::Ctr(CtrKey::Sm4(Sm4::new_from_slice(key).map_err(|_| bad())?)),
            A::TripleDesCtr => Keys::Ctr(CtrKey::Tdes(
                TdesEde3::new_from_slice(key).map_err(|_| bad())?,
            )),
            A::AesXts => {
                let (k1, k2) = key.split_at(key.len() / 2);
                Keys::Xts(Box::new(match k1.len() {
                    16 => XtsKey::K128(Xts128::new(
                        Aes128::new_from_slice(k1).map_err(|_| bad())?,
                        Aes128::new_from_slice(k2).map_err(|_| bad())?,
                    )),
                    _ => XtsKey::K256(Xts128::new(
                        Aes256::new_from_slice(k1).map_err(|_| bad())?,
                        Aes256::new_from_slice(k2).map_err(|_| bad())?,
                    )),
                }))
            }
            A::AesF8 => {
                let (k, mask) = key.split_at(key.len() / 2);
                let mut masked = [0u8; 32];
                for ((m, a), b) in masked.iter_mut().zip(k).zip(mask) {
                    *m = a ^ b;
                }
                Keys::F8 {
                    enc: aes_key(k).ok_or_else(bad)?,
                    masked: aes_key(&masked[..k.len()]).ok_or_else(bad)?,
                }
            }
            A::Chacha20 => Keys::Chacha(*chacha20::Key::from_slice(key)),
        };
        Ok(Self { alg, dir, keys })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> CipherAlgorithm {
        self.alg
    }

    /// The direction.
    pub fn direction(&self) -> Direction {
        self.dir
    }

    /// The usual IV length in bytes (0 when the mode takes none).
    pub fn iv_len(&self) -> usize {
        self.alg.iv_lengths()[0]
    }

    /// The block length in bytes (1 for stream ciphers).
    pub fn block_len(&self) -> usize {
        self.alg.block_len()
    }

    fn check_iv(&self, iv: &[u8]) -> Result<(), CipherError> {
        if self.alg.iv_lengths().contains(&iv.len()) {
            Ok(())
        } else {
            Err(CipherError::BadIvLength {
                alg: self.alg,
                got: iv.len(),
                allowed: self.alg.iv_lengths(),
            })
        }
    }

    fn check_len(&self, len: usize) -> Result<(), CipherError> {
        let block = self.alg.block_len();
        // `%` rather than `is_multiple_of`: the workspace MSRV is 1.80.
        #[allow(clippy::manual_is_multiple_of)]
        let partial = len % block != 0;
        if self.alg.needs_block_multiple() && partial {
            return Err(CipherError::NotBlockMultiple {
                alg: self.alg,
                len,
                block,
            });
        }
        if self.alg == CipherAlgorithm::AesXts && len < 16 {
            return Err(CipherError::TooShort {
                alg: self.alg,
                len,
                min: 16,
            });
        }
        Ok(())
    }

    /// In place over `data` with `iv`; block modes need a length multiple of the block (else error);
    /// CTR/stream modes any length; AES-XTS at least one block.
    pub fn apply(&self, iv: &[u8], data: &mut [u8]) -> Result<(), CipherError> {
        self.check_iv(iv)?;
        self.check_len(data.len())?;
        let enc = self.dir == Direction::Encrypt;
        let alg = self.alg;
        match &self.keys {
            Keys::Null => {}
            Keys::Arc4(s) => {
                let mut st = Arc4State { s: **s, i: 0, j: 0 };
                st.apply(data);
            }
            Keys::Ecb(k) => with_block!(k, c => ecb(c, enc, data)),
            Keys::Cbc(k) => with_block!(k, c => cbc(c, enc, iv, data)),
            Keys::Ctr(k) => match k {
                CtrKey::Aes(AesKey::K128(c)) => {
                    ctr_apply!(alg, c, ctr::flavors::Ctr128BE, iv, data)
                }
                CtrKey::Aes(AesKey::K192(c)) => {
                    ctr_apply!(alg, c, ctr::flavors::Ctr128BE, iv, data)
                }
                CtrKey::Aes(AesKey::K256(c)) => {
                    ctr_apply!(alg, c, ctr::flavors::Ctr128BE, iv, data)
                }
                CtrKey::Sm4(c) => ctr_apply!(alg, c, ctr::flavors::Ctr128BE, iv, data),
                CtrKey::Tdes(c) => ctr_apply!(alg, c, ctr::flavors::Ctr64BE, iv, data),
            },
            Keys::Xts(x) => {
                let mut tweak = [0u8; 16];
                tweak.copy_from_slice(iv);
                match (&**x, enc) {
                    (XtsKey::K128(x), true) => x.encrypt_sector(data, tweak),
                    (XtsKey::K128(x), false) => x.decrypt_sector(data, tweak),
                    (XtsKey::K256(x), true) => x.encrypt_sector(data, tweak),
                    (XtsKey::K256(x), false) => x.decrypt_sector(data, tweak),
                }
            }
            Keys::F8 { enc, masked } => match (enc, masked) {
                (AesKey::K128(e), AesKey::K128(m)) => f8(e, m, iv, data),
                (AesKey::K192(e), AesKey::K192(m)) => f8(e, m, iv, data),
                (AesKey::K256(e), AesKey::K256(m)) => f8(e, m, iv, data),
                // Both schedules come from halves of one key: the sizes always agree.
                _ => {}
            },
            Keys::Chacha(key) => {
                let (counter, nonce) = if iv.len() == 16 {
                    let mut c = [0u8; 4];
                    c.copy_from_slice(&iv[..4]);
                    (u32::from_le_bytes(c), &iv[4..])
                } else {
                    (1, iv)
                };
                let mut c = chacha20::ChaCha20::new(key, chacha20::Nonce::from_slice(nonce));
                c.try_seek(u64::from(counter) * 64)
                    .map_err(|_| CipherError::KeystreamExhausted { alg })?;
                c.try_apply_keystream(data)
                    .map_err(|_| CipherError::KeystreamExhausted { alg })?;
            }
        }
        Ok(())
    }

    /// Out of place (src and dst of equal length).
    pub fn apply_to(&self, iv: &[u8], src: &[u8], dst: &mut [u8]) -> Result<(), CipherError> {
        if src.len() != dst.len() {
            return Err(CipherError::LengthMismatch {
                src: src.len(),
                dst: dst.len(),
            });
        }
        self.check_iv(iv)?;
        self.check_len(src.len())?;
        dst.copy_from_slice(src);
        self.apply(iv, dst)
    }

    /// Starts a partial-packet sequence (ECB, CBC, ARC4, NULL) with `iv`.
    pub fn begin(&self, iv: &[u8]) -> Result<CipherStream<'_>, CipherError> {
        if !self.alg.supports_partials() {
            return Err(CipherError::PartialsNotSupported { alg: self.alg });
        }
        self.check_iv(iv)?;
        let mut chain = [0u8; 16];
        chain[..iv.len()].copy_from_slice(iv);
        let arc4 = match &self.keys {
            Keys::Arc4(s) => Some(Arc4State { s: **s, i: 0, j: 0 }),
            _ => None,
        };
        Ok(CipherStream {
            session: self,
            chain,
            arc4,
        })
    }
}

fn ecb<C: BlockEncrypt + BlockDecrypt>(c: &C, enc: bool, data: &mut [u8]) {
    let (blocks, _tail) = InOutBuf::from(data).into_chunks::<C::BlockSize>();
    if enc {
        c.encrypt_blocks_inout(blocks);
    } else {
        c.decrypt_blocks_inout(blocks);
    }
}

fn cbc<C>(c: &C, enc: bool, iv: &[u8], data: &mut [u8])
where
    C: BlockEncryptMut + BlockDecryptMut + BlockCipher + Clone,
{
    let (blocks, _tail) = InOutBuf::from(data).into_chunks::<C::BlockSize>();
    let iv = GenericArray::from_slice(iv);
    if enc {
        cbc::Encryptor::<C>::inner_iv_init(c.clone(), iv).encrypt_blocks_inout_mut(blocks);
    } else {
        cbc::Decryptor::<C>::inner_iv_init(c.clone(), iv).decrypt_blocks_inout_mut(blocks);
    }
}

/// AES-F8 (RFC 3711 §4.1.2.2): IV' = E(k_e ⊕ m, IV); S(-1) = 0;
/// S(j) = E(k_e, IV' ⊕ j ⊕ S(j-1)); the data is XORed with S(0) ‖ S(1) ‖ ….
fn f8<C: BlockEncrypt + BlockSizeUser<BlockSize = U16>>(
    enc: &C,
    masked: &C,
    iv: &[u8],
    data: &mut [u8],
) {
    let mut iv_prime = GenericArray::<u8, U16>::clone_from_slice(iv);
    masked.encrypt_block(&mut iv_prime);
    let mut s = GenericArray::<u8, U16>::default();
    for (j, chunk) in data.chunks_mut(16).enumerate() {
        let jb = (j as u128).to_be_bytes();
        for ((x, a), b) in s.iter_mut().zip(iv_prime.iter()).zip(jb.iter()) {
            *x ^= a ^ b;
        }
        enc.encrypt_block(&mut s);
        for (d, k) in chunk.iter_mut().zip(s.iter()) {
            *d ^= k;
        }
    }
}

#[derive(Clone)]
struct Arc4State {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Arc4State {
    fn apply(&mut self, data: &mut [u8]) {
        let (mut i, mut j) = (self.i, self.j);
        let s = &mut self.s;
        for d in data {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            let k = s[s[i as usize].wrapping_add(s[j as usize]) as usize];
            *d ^= k;
        }
        self.i = i;
        self.j = j;
    }
}

/// A partial-packet sequence: carries the chaining value (CBC) or keystream
/// position (ARC4) across [`CipherStream::update`] calls, so that the pieces
/// give what one [`CipherSession::apply`] over their concatenation gives.
pub struct CipherStream<'a> {
    session: &'a CipherSession,
    chain: [u8; 16],
    arc4: Option<Arc4State>,
}

impl std::fmt::Debug for CipherStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CipherStream")
            .field("session", self.session)
            .finish_non_exhaustive()
    }
}

/// A [`CipherStream`]'s position kept between partial packets without the
/// session borrowed: the firmware stores it with the session's other state
/// and [`CipherSession::resume`]s it for the next packet.
#[derive(Clone)]
pub struct CipherResume {
    chain: [u8; 16],
    arc4: Option<Arc4State>,
}

impl std::fmt::Debug for CipherResume {
    // The chaining value and the ARC4 state are secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CipherResume").finish_non_exhaustive()
    }
}

impl CipherSession {
    /// Continues a partial-packet sequence from where `saved` left it.
    pub fn resume(&self, saved: CipherResume) -> CipherStream<'_> {
        CipherStream {
            session: self,
            chain: saved.chain,
            arc4: saved.arc4,
        }
    }
}

impl CipherStream<'_> {
    /// Ends this borrow of the session, keeping the position for
    /// [`CipherSession::resume`].
    pub fn into_resume(self) -> CipherResume {
        CipherResume {
            chain: self.chain,
            arc4: self.arc4,
        }
    }

    /// The current chaining value (CBC: the last ciphertext block; what QAT writes
    /// back to `pIv` after a partial). Empty for modes without an IV.
    pub fn iv(&self) -> &[u8] {
        &self.chain[..self.session.iv_len()]
    }

    /// Processes the next piece in place (block-multiple pieces for block modes).
    pub fn update(&mut self, data: &mut [u8]) -> Result<(), CipherError> {
        let s = self.session;
        s.check_len(data.len())?;
        if let Some(st) = self.arc4.as_mut() {
            st.apply(data);
            return Ok(());
        }
        let iv_len = s.iv_len();
        if iv_len == 0 {
            return s.apply(&[], data);
        }
        if data.is_empty() {
            return Ok(());
        }
        let last = data.len() - iv_len..;
        let mut next = [0u8; 16];
        if s.dir == Direction::Decrypt {
            next[..iv_len].copy_from_slice(&data[last.clone()]);
        }
        s.apply(&self.chain[..iv_len], data)?;
        if s.dir == Direction::Encrypt {
            next[..iv_len].copy_from_slice(&data[last]);
        }
        self.chain = next;
        Ok(())
    }
}

// Compile-time checks that the block sizes are the ones the IV table assumes.
const _: () = {
    fn _sizes() {
        fn b16<C: BlockSizeUser<BlockSize = U16>>() {}
        fn b8<C: BlockSizeUser<BlockSize = U8>>() {}
        b16::<Aes128>();
        b16::<Sm4>();
        b8::<Des>();
        b8::<TdesEde3>();
    }
};
