//! Raw two-prime RSA as QAT's `cpaCyRsaEncrypt`, `cpaCyRsaDecrypt` and
//! `cpaCyRsaGenKey` define it: the encryption/verification primitive
//! `m^e mod n`, the decryption/signature primitive with a private key in
//! representation 1 (`n`, `d`) or 2 (`p`, `q`, `dP`, `dQ`, `qInv`, CRT), and
//! the derivation of both representations from two caller-chosen primes. No
//! padding: that is the caller's.
//!
//! The operation size is the modulus's length in bytes (leading zero bytes
//! of the buffer not counted); it must be one of [`MODULUS_BYTES`]. The
//! input must lie in `0 < x < n` (qatlib's checks refuse zero as well as
//! anything at or above the modulus), and the output slice must hold at
//! least the operation size; the result is written left-padded over all of
//! it.
//!
//! Private-key work is constant time: exponentiations go through
//! [`BnCtx::mod_exp_secret`], the CRT recombination (Garner) through the
//! Montgomery-domain reduction, multiplication and the constant-time
//! modular subtraction of [`bn`](super::bn). Key generation is the
//! exception, see [`keygen`].

use std::cell::RefCell;
use std::thread::LocalKey;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use super::bn::{Bn, BnCtx, Mont};
use super::{AsymError, AsymResult};

/// Modulus lengths in bytes QAT's RSA accepts: 512, 1024, 1536, 2048, 3072,
/// 4096 and 8192 bits (512 and 1536 only in legacy builds; which sizes are
/// allowed is the caller's policy).
pub const MODULUS_BYTES: [usize; 7] = [64, 128, 192, 256, 384, 512, 1024];

/// Modulus lengths in bytes `cpaCyRsaGenKey` accepts ({p, q, n} of
/// {256, 256, 512} up to {2048, 2048, 4096} bits); `p` and `q` each have
/// half of it.
pub const KEYGEN_MODULUS_BYTES: [usize; 6] = [64, 128, 192, 256, 384, 512];

/// Where [`keygen`] writes the key: the modulus and private exponent of
/// representation 1, and optionally the CRT values of representation 2
/// (whose `p` and `q` are the caller's inputs, not copied).
pub struct KeyGenOut<'a> {
    /// The modulus `n = p·q`; at least the modulus length.
    pub n: &'a mut [u8],
    /// The private exponent `d = e⁻¹ mod λ(n)`; at least the modulus length.
    pub d: &'a mut [u8],
    /// Representation 2's exponents and coefficient, if wanted.
    pub crt: Option<CrtOut<'a>>,
}

/// The CRT values of a representation-2 key, each at least half the modulus
/// length.
pub struct CrtOut<'a> {
    /// `dP = d mod (p - 1)`.
    pub dp: &'a mut [u8],
    /// `dQ = d mod (q - 1)`.
    pub dq: &'a mut [u8],
    /// `qInv = q⁻¹ mod p`.
    pub qinv: &'a mut [u8],
}

/// The modulus as a number and its operation size in bytes.
fn modulus(n: &[u8]) -> AsymResult<(Bn, usize)> {
    let n = Bn::from_be(n)?;
    let k = n.byte_len();
    if !MODULUS_BYTES.contains(&k) {
        return Err(AsymError::InvalidParam(
            "the RSA modulus must be 512, 1024, 1536, 2048, 3072, 4096 or 8192 bits long",
        ));
    }
    if !n.is_odd() {
        return Err(AsymError::InvalidParam("the RSA modulus must be odd"));
    }
    Ok((n, k))
}

/// The input as a number, checked to lie in `0 < x < n`.
fn message(input: &[u8], n: &Bn) -> AsymResult<Bn> {
    let x = Bn::from_be(input)?;
    if x.is_zero() {
        return Err(AsymError::InvalidParam("the RSA input must not be zero"));
    }
    if x >= *n {
        return Err(AsymError::InvalidParam(
            "the RSA input must be less than the modulus",
        ));
    }
    Ok(x)
}

fn output_fits(out: &[u8], k: usize) -> AsymResult<()> {
    if out.len() < k {
        return Err(AsymError::InvalidParam(
            "the RSA output must hold at least the modulus length",
        ));
    }
    Ok(())
}

/// The RSA encryption (or verification) primitive: `out = input^e mod n`.
///
/// `e` must be odd and no longer than the modulus.
pub fn encrypt(n: &[u8], e: &[u8], input: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let (n, k) = modulus(n)?;
    let e = Bn::from_be(e)?;
    if !e.is_odd() {
        return Err(AsymError::InvalidParam(
            "the RSA public exponent must be odd (and not zero)",
        ));
    }
    if e.byte_len() > k {
        return Err(AsymError::InvalidParam(
            "the RSA public exponent is longer than the modulus",
        ));
    }
    let m = message(input, &n)?;
    output_fits(out, k)?;
    let mut ctx = BnCtx::new()?;
    let c = ctx.mod_exp_public(&m, &e, &n)?;
    c.write_be(out, "the RSA output")
}

/// The RSA decryption (or signature) primitive with a representation-1 key:
/// `out = input^d mod n`, in constant time in `d`.
///
/// The prepared key (the Montgomery form of `n`) is kept in a small
/// per-thread cache, so a key sent again skips its set-up (see
/// [`KeyCache`]).
pub fn decrypt(n: &[u8], d: &[u8], input: &[u8], out: &mut [u8]) -> AsymResult<()> {
    with_prepared(
        &RAW_KEYS,
        &[n, d],
        |ctx| RawKey::new(n, d, ctx),
        |key, ctx| key.decrypt(input, out, ctx),
    )
}

/// A representation-1 key, checked and prepared.
struct RawKey {
    n: Bn,
    k: usize,
    d: Bn,
    mont_n: Mont,
}

impl RawKey {
    fn new(n: &[u8], d: &[u8], ctx: &mut BnCtx) -> AsymResult<RawKey> {
        let (n, k) = modulus(n)?;
        let d = Bn::from_be(d)?;
        if d.is_zero() {
            return Err(AsymError::InvalidParam(
                "the RSA private exponent must not be zero",
            ));
        }
        if d.byte_len() > k {
            return Err(AsymError::InvalidParam(
                "the RSA private exponent is longer than the modulus",
            ));
        }
        let mont_n = ctx.mont(&n)?;
        Ok(RawKey { n, k, d, mont_n })
    }

    fn decrypt(&self, input: &[u8], out: &mut [u8], ctx: &mut BnCtx) -> AsymResult<()> {
        let c = message(input, &self.n)?;
        output_fits(out, self.k)?;
        let m = ctx.mod_exp_secret(&c, &self.d, &self.n, &self.mont_n)?;
        m.write_be(out, "the RSA output")
    }
}

/// A CRT prime: odd, above one, at most `half` bytes long.
fn crt_prime(v: &[u8], what: &'static str) -> AsymResult<Bn> {
    let p = Bn::from_be(v)?;
    if !p.is_odd() || p.is_one() {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(p)
}

/// A CRT exponent or coefficient: non-zero, below its prime.
fn crt_value(v: &[u8], below: &Bn, what: &'static str) -> AsymResult<Bn> {
    let x = Bn::from_be(v)?;
    // Range checks of key material: a refusal reveals only that the key is
    // malformed, which the caller knows.
    if x.is_zero() || x >= *below {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(x)
}

/// The RSA decryption (or signature) primitive with a representation-2 key:
/// `m1 = c^dP mod p`, `m2 = c^dQ mod q`, `h = qInv·(m1 - m2) mod p`,
/// `out = m2 + h·q` (Garner), all in constant time in the key.
///
/// The modulus `n = p·q` has twice the length of the longer prime, one of
/// [`MODULUS_BYTES`]; `dP`, `dQ` and `qInv` must be reduced (non-zero and
/// below `p - 1`, `q - 1` and `p`).
///
/// The prepared key (Montgomery forms of `p` and `q`, the exponents at the
/// primes' width, `qInv` in Montgomery form) is kept in a small per-thread
/// cache, so a key sent again skips its set-up (see [`KeyCache`]). The two
/// half exponentiations run together (aws-lc's AVX-512 IFMA code where the
/// CPU and sizes allow).
pub fn decrypt_crt(
    p: &[u8],
    q: &[u8],
    dp: &[u8],
    dq: &[u8],
    qinv: &[u8],
    input: &[u8],
    out: &mut [u8],
) -> AsymResult<()> {
    with_prepared(
        &CRT_KEYS,
        &[p, q, dp, dq, qinv],
        |ctx| CrtKey::new(p, q, dp, dq, qinv, ctx),
        |key, ctx| key.decrypt(input, out, ctx),
    )
}

/// A representation-2 key, checked and prepared.
struct CrtKey {
    p: Bn,
    q: Bn,
    n: Bn,
    k: usize,
    mont_p: Mont,
    mont_q: Mont,
    /// dP and dQ stored at the width of p and q.
    dp: Bn,
    dq: Bn,
    /// qInv·R mod p.
    qinv_mont: Bn,
}

impl CrtKey {
    fn new(
        p: &[u8],
        q: &[u8],
        dp: &[u8],
        dq: &[u8],
        qinv: &[u8],
        ctx: &mut BnCtx,
    ) -> AsymResult<CrtKey> {
        let p = crt_prime(p, "the RSA prime p must be odd and above one")?;
        let q = crt_prime(q, "the RSA prime q must be odd and above one")?;
        let k = 2 * p.byte_len().max(q.byte_len());
        if !MODULUS_BYTES.contains(&k) {
            return Err(AsymError::InvalidParam(
                "the RSA primes must be half of a 512..8192-bit modulus long",
            ));
        }
        let p1 = p.sub_word(1)?;
        let q1 = q.sub_word(1)?;
        let dp = crt_value(dp, &p1, "dP must be non-zero and less than p - 1")?;
        let dq = crt_value(dq, &q1, "dQ must be non-zero and less than q - 1")?;
        let qinv = crt_value(qinv, &p, "qInv must be non-zero and less than p")?;
        let n = ctx.mul(&p, &q)?;
        let mont_p = ctx.mont(&p)?;
        let mont_q = ctx.mont(&q)?;
        let qinv_mont = ctx.to_mont(&qinv, &mont_p)?;
        Ok(CrtKey {
            dp: dp.at_width_of(&p)?,
            dq: dq.at_width_of(&q)?,
            p,
            q,
            n,
            k,
            mont_p,
            mont_q,
            qinv_mont,
        })
    }

    fn decrypt(&self, input: &[u8], out: &mut [u8], ctx: &mut BnCtx) -> AsymResult<()> {
        let (p, q) = (&self.p, &self.q);
        let c = message(input, &self.n)?;
        output_fits(out, self.k)?;
        let cp = ctx.reduce_secret(&c, p, &self.mont_p)?;
        let cq = ctx.reduce_secret(&c, q, &self.mont_q)?;
        let (m1, m2) = ctx.mod_exp_secret_x2(
            (&cp, &self.dp, p, &self.mont_p),
            (&cq, &self.dq, q, &self.mont_q),
        )?;
        // m2 < q, which may exceed p: bring it below p before subtracting.
        let m2p = ctx.reduce_secret(&m2, p, &self.mont_p)?;
        let diff = ctx.mod_sub_secret(&m1, &m2p, p)?;
        let h = ctx.mont_mul(&diff, &self.qinv_mont, &self.mont_p)?;
        let m = ctx.mul(&h, q)?.add(&m2)?;
        m.write_be(out, "the RSA output")
    }
}

/// How many prepared keys each thread keeps per representation.
const CACHED_KEYS: usize = 4;

/// A small per-thread cache of prepared private keys: QAT's callers send
/// the same key with every request, and preparing one (the Montgomery
/// constants of its moduli) costs as much as a good part of the
/// exponentiation.
///
/// An entry is found by comparing the caller's key bytes with each stored
/// copy in constant time (every entry is compared in full; only the found /
/// not found verdict branches, which tells no more than the time a cache
/// miss takes). The copies are wiped when an entry is dropped, and the
/// numbers with `BN_clear_free`. A key that fails its checks is not
/// stored; a stored key passed them, so a hit gives the same answer as a
/// fresh preparation would. The least recently used entry goes first.
struct KeyCache<T> {
    entries: Vec<(KeyBytes, T)>,
    ctx: Option<BnCtx>,
}

impl<T> KeyCache<T> {
    const fn new() -> KeyCache<T> {
        KeyCache {
            entries: Vec::new(),
            ctx: None,
        }
    }
}

/// The key's parts as the caller passed them, each part's length kept so
/// that differently split bytes do not match.
struct KeyBytes {
    bytes: Zeroizing<Vec<u8>>,
    lens: Vec<usize>,
}

impl KeyBytes {
    fn new(parts: &[&[u8]]) -> KeyBytes {
        KeyBytes {
            bytes: Zeroizing::new(parts.concat()),
            lens: parts.iter().map(|p| p.len()).collect(),
        }
    }

    /// Whether these are `parts`: the lengths (public) first, then every
    /// byte in constant time.
    fn matches(&self, parts: &[&[u8]]) -> Choice {
        if self.lens.len() != parts.len() || self.lens.iter().zip(parts).any(|(l, p)| *l != p.len())
        {
            return Choice::from(0);
        }
        let mut eq = Choice::from(1);
        let mut at = 0;
        for part in parts {
            eq &= self.bytes[at..at + part.len()].ct_eq(part);
            at += part.len();
        }
        eq
    }
}

thread_local! {
    static RAW_KEYS: RefCell<KeyCache<RawKey>> = const { RefCell::new(KeyCache::new()) };
    static CRT_KEYS: RefCell<KeyCache<CrtKey>> = const { RefCell::new(KeyCache::new()) };
}

/// Runs `run` on the prepared key for `parts`, taken from this thread's
/// `cache` or made by `build` (and stored). Without the cache (a thread
/// being torn down) the key is prepared for this call only.
fn with_prepared<T, R>(
    cache: &'static LocalKey<RefCell<KeyCache<T>>>,
    parts: &[&[u8]],
    build: impl FnOnce(&mut BnCtx) -> AsymResult<T>,
    run: impl FnOnce(&T, &mut BnCtx) -> AsymResult<R>,
) -> AsymResult<R> {
    let mut build = Some(build);
    let mut run = Some(run);
    let cached = cache.try_with(|cell| {
        let mut guard = cell.try_borrow_mut().ok()?;
        let KeyCache { entries, ctx } = &mut *guard;
        Some((|| {
            let ctx = match ctx {
                Some(ctx) => ctx,
                None => ctx.insert(BnCtx::new()?),
            };
            let mut found = None;
            for (i, (bytes, _)) in entries.iter().enumerate() {
                let hit = bytes.matches(parts);
                // Every entry is compared; the first hit is kept.
                if bool::from(hit) && found.is_none() {
                    found = Some(i);
                }
            }
            match found {
                Some(i) => entries[..=i].rotate_right(1),
                None => {
                    let build = build.take().ok_or(AsymError::Failed("key preparation"))?;
                    let key = build(ctx)?;
                    if entries.len() == CACHED_KEYS {
                        entries.pop();
                    }
                    entries.insert(0, (KeyBytes::new(parts), key));
                }
            }
            let run = run.take().ok_or(AsymError::Failed("key use"))?;
            run(&entries[0].1, ctx)
        })())
    });
    if let Ok(Some(r)) = cached {
        return r;
    }
    let (Some(build), Some(run)) = (build.take(), run.take()) else {
        return Err(AsymError::Failed("the key cache failed"));
    };
    let mut ctx = BnCtx::new()?;
    let key = build(&mut ctx)?;
    run(&key, &mut ctx)
}

/// Derives an RSA key from the primes `p`, `q` and the public exponent `e`,
/// as `cpaCyRsaGenKey` does: `n = p·q`, `d = e⁻¹ mod λ(n)` with
/// `λ(n) = lcm(p - 1, q - 1)` (PKCS #1 v2.1, which the header follows), and
/// for representation 2 `dP`, `dQ` and `qInv`.
///
/// `p` and `q` must be odd, distinct and each half of one of
/// [`KEYGEN_MODULUS_BYTES`] long; `e` must be odd, above one and coprime to
/// `λ(n)`. The primes are not tested for primality (that is
/// `cpaCyPrimeTest`'s job).
///
/// Unlike the other private-key paths this one is not constant time: aws-lc
/// offers no public constant-time inverse modulo the even `λ(n)`, and key
/// generation runs once per key, not per message.
pub fn keygen(p: &[u8], q: &[u8], e: &[u8], out: &mut KeyGenOut<'_>) -> AsymResult<()> {
    let p = crt_prime(p, "the RSA prime p must be odd and above one")?;
    let q = crt_prime(q, "the RSA prime q must be odd and above one")?;
    let half = p.byte_len();
    if q.byte_len() != half || !KEYGEN_MODULUS_BYTES.contains(&(2 * half)) {
        return Err(AsymError::InvalidParam(
            "the RSA primes must both be 256, 512, 768, 1024, 1536 or 2048 bits long",
        ));
    }
    if p == q {
        return Err(AsymError::InvalidParam("the RSA primes must differ"));
    }
    let e = Bn::from_be(e)?;
    if !e.is_odd() || e.is_one() {
        return Err(AsymError::InvalidParam(
            "the RSA public exponent must be odd and above one",
        ));
    }
    let k = 2 * half;
    if out.n.len() < k || out.d.len() < k {
        return Err(AsymError::InvalidParam(
            "the RSA key outputs n and d must hold the modulus length",
        ));
    }
    if let Some(crt) = &out.crt {
        if crt.dp.len() < half || crt.dq.len() < half || crt.qinv.len() < half {
            return Err(AsymError::InvalidParam(
                "the RSA CRT outputs must hold half the modulus length",
            ));
        }
    }
    let mut ctx = BnCtx::new()?;
    let n = ctx.mul(&p, &q)?;
    if n.byte_len() != k {
        return Err(AsymError::InvalidParam(
            "the RSA primes' product is shorter than the modulus length",
        ));
    }
    let p1 = p.sub_word(1)?;
    let q1 = q.sub_word(1)?;
    let g = ctx.gcd(&p1, &q1)?;
    let phi = ctx.mul(&p1, &q1)?;
    let (lambda, _) = ctx.div_rem(&phi, &g)?;
    if e >= lambda {
        return Err(AsymError::InvalidParam(
            "the RSA public exponent must be less than lcm(p - 1, q - 1)",
        ));
    }
    let d = ctx.mod_inverse_public(&e, &lambda).map_err(|_| {
        AsymError::InvalidParam("the RSA public exponent is not coprime to lcm(p - 1, q - 1)")
    })?;
    n.write_be(out.n, "the RSA modulus output")?;
    d.write_be(out.d, "the RSA private exponent output")?;
    if let Some(crt) = &mut out.crt {
        let dp = ctx.nnmod(&d, &p1)?;
        let dq = ctx.nnmod(&d, &q1)?;
        let mont_p = ctx.mont(&p)?;
        let qinv = ctx.mod_inverse_prime(&q, &p, &mont_p)?;
        dp.write_be(crt.dp, "the RSA dP output")?;
        dq.write_be(crt.dq, "the RSA dQ output")?;
        qinv.write_be(crt.qinv, "the RSA qInv output")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // A toy key would fail the size rules; these tests check the rules
    // themselves. Full keys are exercised in tests/asym_rsa.rs.
    #[test]
    fn sizes_and_ranges_are_refused() {
        let mut out = [0u8; 128];
        let mut n = vec![0xffu8; 128];
        assert!(matches!(
            encrypt(&n[1..], &[3], &[2], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        n[127] = 0xfe;
        assert!(matches!(
            encrypt(&n, &[3], &[2], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        n[127] = 0xff;
        assert!(matches!(
            encrypt(&n, &[4], &[2], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            encrypt(&n, &[3], &[0], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            encrypt(&n, &[3], &n, &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            encrypt(&n, &[3], &[2], &mut out[1..]),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            decrypt(&n, &[], &[2], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        // Leading zero bytes do not count towards the size.
        let mut padded = vec![0u8; 3];
        padded.extend_from_slice(&n);
        let mut wide = [0xaau8; 130];
        encrypt(&padded, &[3], &[2], &mut wide).unwrap();
        assert_eq!(wide[..129], [0u8; 129]);
        assert_eq!(wide[129], 8);
    }
}
