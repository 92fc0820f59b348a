//! QAT's probabilistic prime test, `cpaCyPrimeTest`: any combination of a
//! GCD test against small primes, a base-2 Fermat test, up to
//! [`MAX_MR_ROUNDS`] Miller-Rabin rounds with witnesses the caller supplies,
//! and a strong Lucas test, run in that order (cheapest first) until one
//! finds the candidate composite.
//!
//! The candidate must be odd, non-zero and at most [`MAX_CANDIDATE_BITS`]
//! long. The Miller-Rabin witnesses come as one flat buffer of
//! `rounds × max(64, x)` bytes, `x` the candidate's length in bytes (leading
//! zeros of its buffer not counted): one big-endian number per round, each
//! with `1 < a < candidate - 1`.
//!
//! The Fermat and Miller-Rabin exponentiations take the constant-time path
//! (a candidate may become a secret RSA prime); the control flow after them
//! is not constant time, as a composite candidate is discarded anyway.

use std::sync::OnceLock;

use super::bn::{Bn, BnCtx};
use super::{AsymError, AsymResult};

/// The most Miller-Rabin rounds one test takes.
pub const MAX_MR_ROUNDS: u32 = 50;

/// The longest candidate, in bits (shorter candidates are padded by QAT to
/// the next of 512, 768, 1024, 1536, 2048, 3072 or 4096 bits).
pub const MAX_CANDIDATE_BITS: usize = 4096;

/// The shortest slot of one Miller-Rabin witness, in bytes.
pub const MR_MIN_SLOT_BYTES: usize = 64;

/// The GCD test divides by the odd primes below this bound (over 1400 of
/// them, in line with the "~1400 small primes" QAT's DSA P generation names).
const SMALL_PRIME_BOUND: u32 = 12_000;

/// The odd primes below [`SMALL_PRIME_BOUND`], by a sieve.
fn small_primes() -> &'static [u32] {
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let n = SMALL_PRIME_BOUND as usize;
        let mut composite = vec![false; n];
        let mut out = vec![];
        for i in 3..n {
            if !composite[i] && i % 2 == 1 {
                out.push(i as u32);
                for j in (i * i..n).step_by(2 * i) {
                    composite[j] = true;
                }
            }
        }
        out
    })
}

/// The product of [`small_primes`], built once.
fn small_prime_product() -> AsymResult<&'static Bn> {
    static PRODUCT: OnceLock<Bn> = OnceLock::new();
    if let Some(p) = PRODUCT.get() {
        return Ok(p);
    }
    let mut ctx = BnCtx::new()?;
    let mut acc = Bn::from_u64(1)?;
    for chunk in small_primes().chunks(4) {
        // Four primes below 2^14 fit in a u64: fewer big multiplications.
        let w = chunk.iter().fold(1u64, |a, &p| a * u64::from(p));
        acc = ctx.mul(&acc, &Bn::from_u64(w)?)?;
    }
    Ok(PRODUCT.get_or_init(|| acc))
}

/// The GCD test: whether `n` has no odd prime factor below
/// [`SMALL_PRIME_BOUND`] (a small prime itself passes).
pub(crate) fn gcd_test(n: &Bn, ctx: &mut BnCtx) -> AsymResult<bool> {
    if n.bits() <= 32 {
        let v = n.low_u64() as u32;
        if small_primes().binary_search(&v).is_ok() {
            return Ok(true);
        }
    }
    let product = small_prime_product()?;
    // aws-lc's gcd is constant time and so costs the longer operand's length
    // each step: reduce the ~17000-bit product by a shorter candidate first.
    let product = if n.bits() < product.bits() {
        ctx.nnmod(product, n)?
    } else {
        product.try_clone()?
    };
    Ok(ctx.gcd(n, &product)?.is_one())
}

/// The Fermat test to base 2: `2^(n-1) ≡ 1 (mod n)`, for odd `n > 2`.
fn fermat(n: &Bn, ctx: &mut BnCtx) -> AsymResult<bool> {
    let mont = ctx.mont(n)?;
    let r = ctx.mod_exp_secret(&Bn::from_u64(2)?, &n.sub_word(1)?, n, &mont)?;
    Ok(r.is_one())
}

/// One Miller-Rabin round with witness `a` (`1 < a < n - 1`).
fn miller_rabin(n: &Bn, a: &Bn, ctx: &mut BnCtx) -> AsymResult<bool> {
    let n1 = n.sub_word(1)?;
    let mut s = 0;
    while !n1.bit(s) {
        s += 1;
    }
    let d = n1.shr(s)?;
    let mont = ctx.mont(n)?;
    let mut x = ctx.mod_exp_secret(a, &d, n, &mont)?;
    if x.is_one() || x == n1 {
        return Ok(true);
    }
    for _ in 1..s {
        x = ctx.mod_mul(&x, &x, n)?;
        if x == n1 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The Jacobi symbol `(a / m)` of small numbers, `m` odd and positive.
fn jacobi_small(mut a: u64, mut m: u64) -> i32 {
    let mut t = 1;
    a %= m;
    while a != 0 {
        while a.is_multiple_of(2) {
            a /= 2;
            if m % 8 == 3 || m % 8 == 5 {
                t = -t;
            }
        }
        std::mem::swap(&mut a, &mut m);
        if a % 4 == 3 && m % 4 == 3 {
            t = -t;
        }
        a %= m;
    }
    if m == 1 {
        t
    } else {
        0
    }
}

/// The Jacobi symbol `(D / n)` for a small odd `D` and odd `n`, by quadratic
/// reciprocity: only `n mod 4` and `n mod |D|` are needed.
fn jacobi(d: i64, n: &Bn, ctx: &mut BnCtx) -> AsymResult<i32> {
    let ad = d.unsigned_abs();
    let n_mod_4 = n.low_u64() % 4;
    let (_, r) = ctx.div_rem(n, &Bn::from_u64(ad)?)?;
    let mut j = jacobi_small(r.low_u64(), ad);
    // (|D| / n) = (n / |D|), negated when both are 3 mod 4.
    if ad % 4 == 3 && n_mod_4 == 3 {
        j = -j;
    }
    // (-1 / n) = -1 when n ≡ 3 (mod 4).
    if d < 0 && n_mod_4 == 3 {
        j = -j;
    }
    Ok(j)
}

/// `v mod n` for a small signed `v`.
fn small_mod(v: i64, n: &Bn, ctx: &mut BnCtx) -> AsymResult<Bn> {
    let r = ctx.nnmod(&Bn::from_u64(v.unsigned_abs())?, n)?;
    if v >= 0 || r.is_zero() {
        Ok(r)
    } else {
        n.sub(&r)
    }
}

/// `x / 2 mod n` for odd `n` and `x < n`.
fn half(x: Bn, n: &Bn) -> AsymResult<Bn> {
    if x.is_odd() {
        x.add(n)?.shr(1)
    } else {
        x.shr(1)
    }
}

/// How many Selfridge candidates for `D` are tried before the candidate is
/// checked for being a square (for which no `D` exists).
const SQUARE_CHECK_AFTER: u32 = 8;

/// The strong Lucas probable-prime test with Selfridge's parameters
/// (method A, as in Baillie-PSW): `D` the first of 5, -7, 9, -11, … with
/// Jacobi symbol `(D / n) = -1`, `P = 1`, `Q = (1 - D) / 4`; with
/// `n + 1 = d·2^s`, `n` passes if `U_d ≡ 0` or `V_(d·2^r) ≡ 0` for some
/// `0 ≤ r < s`. For odd `n > 1`.
fn strong_lucas(n: &Bn, ctx: &mut BnCtx) -> AsymResult<bool> {
    let mut d: i64 = 5;
    let mut tries = 0;
    loop {
        let j = jacobi(d, n, ctx)?;
        if j == -1 {
            break;
        }
        if j == 0 && Bn::from_u64(d.unsigned_abs())? != *n {
            // |D| shares a factor with n and is not n itself.
            return Ok(false);
        }
        tries += 1;
        if tries == SQUARE_CHECK_AFTER && ctx.is_square(n)? {
            return Ok(false);
        }
        // Past this every non-square has met its D; the bound only stops an
        // allocation failure inside the square check from looping forever.
        if tries > 100_000 {
            return Err(AsymError::NoMemory);
        }
        d = if d > 0 { -(d + 2) } else { -d + 2 };
    }
    let q = (1 - d) / 4;
    let dm = small_mod(d, n, ctx)?;
    let qm = small_mod(q, n, ctx)?;

    let n1 = n.add_word(1)?;
    let mut s = 0;
    while !n1.bit(s) {
        s += 1;
    }
    let k = n1.shr(s)?;
    // U_1 = 1, V_1 = P = 1, Q^1; then walk k's bits below its top one.
    let mut u = Bn::from_u64(1)?;
    let mut v = Bn::from_u64(1)?;
    let mut qk = qm.try_clone()?;
    for i in (0..k.bits() - 1).rev() {
        // Doubling: U_2j = U_j·V_j, V_2j = V_j² - 2·Q^j, Q^2j.
        u = ctx.mod_mul(&u, &v, n)?;
        let vv = ctx.mod_mul(&v, &v, n)?;
        let two_qk = ctx.mod_add(&qk, &qk, n)?;
        v = ctx.mod_sub(&vv, &two_qk, n)?;
        qk = ctx.mod_mul(&qk, &qk, n)?;
        if k.bit(i) {
            // Step: U_j+1 = (P·U_j + V_j)/2, V_j+1 = (D·U_j + P·V_j)/2, Q^j+1.
            let nu = half(ctx.mod_add(&u, &v, n)?, n)?;
            let du = ctx.mod_mul(&dm, &u, n)?;
            let nv = half(ctx.mod_add(&du, &v, n)?, n)?;
            u = nu;
            v = nv;
            qk = ctx.mod_mul(&qk, &qm, n)?;
        }
    }
    if u.is_zero() || v.is_zero() {
        return Ok(true);
    }
    for _ in 1..s {
        let vv = ctx.mod_mul(&v, &v, n)?;
        let two_qk = ctx.mod_add(&qk, &qk, n)?;
        v = ctx.mod_sub(&vv, &two_qk, n)?;
        if v.is_zero() {
            return Ok(true);
        }
        qk = ctx.mod_mul(&qk, &qk, n)?;
    }
    Ok(false)
}

/// Runs the requested tests on `candidate` as `cpaCyPrimeTest` does:
/// `Ok(true)` when every requested test passes (probably prime), `Ok(false)`
/// as soon as one finds it composite.
///
/// `mr_random` holds `mr_rounds` witnesses as the module doc describes.
/// Refused (`InvalidParam`): an even, zero or over-long candidate, no test
/// requested, more than [`MAX_MR_ROUNDS`] rounds, a witness buffer of the
/// wrong length or a witness outside `1 < a < candidate - 1`. The candidate
/// 1 is not prime.
pub fn prime_test(
    candidate: &[u8],
    gcd: bool,
    fermat: bool,
    mr_rounds: u32,
    mr_random: &[u8],
    lucas: bool,
) -> AsymResult<bool> {
    let n = Bn::from_be(candidate)?;
    if n.is_zero() {
        return Err(AsymError::InvalidParam(
            "the prime candidate must not be zero",
        ));
    }
    if !n.is_odd() {
        return Err(AsymError::InvalidParam("the prime candidate must be odd"));
    }
    if n.bits() > MAX_CANDIDATE_BITS {
        return Err(AsymError::InvalidParam(
            "the prime candidate is longer than 4096 bits",
        ));
    }
    if !(gcd || fermat || mr_rounds > 0 || lucas) {
        return Err(AsymError::InvalidParam("no prime test was requested"));
    }
    if mr_rounds > MAX_MR_ROUNDS {
        return Err(AsymError::InvalidParam(
            "more than 50 Miller-Rabin rounds were requested",
        ));
    }
    let slot = MR_MIN_SLOT_BYTES.max(n.byte_len());
    let mut witnesses = vec![];
    if mr_rounds > 0 {
        if mr_random.len() != mr_rounds as usize * slot {
            return Err(AsymError::InvalidParam(
                "the Miller-Rabin random input must be rounds × max(64, candidate bytes) long",
            ));
        }
        let n1 = n.sub_word(1)?;
        for w in mr_random.chunks(slot) {
            let a = Bn::from_be(w)?;
            if a.bits() <= 1 || a >= n1 {
                return Err(AsymError::InvalidParam(
                    "each Miller-Rabin witness must lie in 1 < a < candidate - 1",
                ));
            }
            witnesses.push(a);
        }
    }
    if n.is_one() {
        return Ok(false);
    }
    let mut ctx = BnCtx::new()?;
    if gcd && !gcd_test(&n, &mut ctx)? {
        return Ok(false);
    }
    if fermat && !self::fermat(&n, &mut ctx)? {
        return Ok(false);
    }
    for a in &witnesses {
        if !miller_rabin(&n, a, &mut ctx)? {
            return Ok(false);
        }
    }
    if lucas && !strong_lucas(&n, &mut ctx)? {
        return Ok(false);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lucas_only(v: u64) -> bool {
        prime_test(&v.to_be_bytes(), false, false, 0, &[], true).unwrap()
    }

    fn is_prime_u64(v: u64) -> bool {
        v >= 2
            && (2..)
                .take_while(|d| d * d <= v)
                .all(|d| !v.is_multiple_of(d))
    }

    #[test]
    fn small_primes_table() {
        let p = small_primes();
        let expected: Vec<u32> = (3..SMALL_PRIME_BOUND)
            .filter(|&v| is_prime_u64(v.into()))
            .collect();
        assert_eq!(p, expected.as_slice());
        assert!(p.len() > 1400);
    }

    #[test]
    fn each_test_agrees_with_trial_division_below_5000() {
        let mut ctx = BnCtx::new().unwrap();
        for v in (3u64..5000).step_by(2) {
            let prime = is_prime_u64(v);
            let b = v.to_be_bytes();
            // Lucas and GCD are exact in this range (no strong Lucas
            // pseudoprime below 5459; every composite has a factor < 71).
            assert_eq!(lucas_only(v), prime, "lucas {v}");
            assert_eq!(
                prime_test(&b, true, false, 0, &[], false).unwrap(),
                prime,
                "gcd {v}"
            );
            if prime {
                assert!(
                    prime_test(&b, false, true, 0, &[], false).unwrap(),
                    "fermat {v}"
                );
                assert!(fermat(&Bn::from_u64(v).unwrap(), &mut ctx).unwrap());
            }
        }
        // Base-2 Fermat pseudoprimes pass Fermat; 341 is not a strong
        // pseudoprime to base 2, 2047 is.
        for v in [341u64, 561, 645, 1105, 1387, 2047] {
            assert!(prime_test(&v.to_be_bytes(), false, true, 0, &[], false).unwrap());
        }
        let mut w = vec![0u8; 64];
        w[63] = 2;
        assert!(!prime_test(&341u64.to_be_bytes(), false, false, 1, &w, false).unwrap());
        assert!(prime_test(&2047u64.to_be_bytes(), false, false, 1, &w, false).unwrap());
        // The smallest strong Lucas pseudoprimes (OEIS A217255).
        for v in [
            5459u64, 5777, 10877, 16109, 18971, 22499, 24569, 25199, 40309, 58519,
        ] {
            assert!(lucas_only(v), "{v}");
        }
        for v in [5461u64, 5779, 10879] {
            assert_eq!(lucas_only(v), is_prime_u64(v), "{v}");
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        let bad = |c: &[u8], r: u32, w: &[u8]| {
            matches!(
                prime_test(c, true, false, r, w, false),
                Err(AsymError::InvalidParam(_))
            )
        };
        assert!(bad(&[], 0, &[]));
        assert!(bad(&[10], 0, &[]));
        assert!(bad(&vec![0xff; 513], 0, &[]));
        assert!(bad(&[101], 51, &vec![2; 51 * 64]));
        assert!(bad(&[101], 1, &[2; 63]));
        let mut w = [0u8; 64];
        w[63] = 1;
        assert!(bad(&[101], 1, &w));
        w[63] = 100;
        assert!(bad(&[101], 1, &w));
        w[63] = 99;
        assert!(!bad(&[101], 1, &w));
        assert!(matches!(
            prime_test(&[101], false, false, 0, &[], false),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(!prime_test(&[1], true, true, 0, &[], true).unwrap());
    }
}
