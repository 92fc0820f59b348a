//! DSA's modular arithmetic as QAT's `cpaCyDsa*` calls define it (FIPS
//! 186-3): the P and G steps of domain-parameter generation, the public key
//! `y`, the signature halves `r` and `s` with the caller's nonce `k`, and
//! verification. Hashing, random numbers and robust primality tests are the
//! caller's (the header leaves them to the other services).
//!
//! `p` is `L` bits and `q` `N` bits long, `(L, N)` one of [`LN_SIZES`]. The
//! digest comes as `z`, already cut to its leftmost `min(N, outlen)` bits
//! by the caller. Outputs must hold at least `L/8` (p, g, y) or `N/8`
//! (r, s) bytes and are written left-padded over all of them. The calls with
//! a protocol status return it as `Ok(bool)`.
//!
//! Private values (`x`, `k`) are used in constant time: exponentiations by
//! `k` and `x` through [`BnCtx::mod_exp_secret`], `k⁻¹` through
//! [`BnCtx::mod_inverse_prime`], and `s`'s products and sum in the
//! Montgomery domain of `q`.

use super::bn::{Bn, BnCtx};
use super::prime::gcd_test;
use super::{AsymError, AsymResult};

/// The `(L, N)` bit lengths of `(p, q)` QAT's DSA accepts (FIPS 186-2 and
/// FIPS 186-3).
pub const LN_SIZES: [(usize, usize); 4] = [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

fn n_supported(n: usize) -> bool {
    LN_SIZES.iter().any(|&(_, v)| v == n)
}

/// `q`, checked to be odd and of a supported length.
fn group_q(q: &[u8]) -> AsymResult<Bn> {
    let q = Bn::from_be(q)?;
    if !n_supported(q.bits()) || !q.is_odd() {
        return Err(AsymError::InvalidParam(
            "the DSA q must be odd and 160, 224 or 256 bits long",
        ));
    }
    Ok(q)
}

/// `p` and `q`, checked to be odd and of a supported `(L, N)`.
fn group_pq(p: &[u8], q: &[u8]) -> AsymResult<(Bn, Bn)> {
    let q = group_q(q)?;
    let p = Bn::from_be(p)?;
    if !LN_SIZES.contains(&(p.bits(), q.bits())) || !p.is_odd() {
        return Err(AsymError::InvalidParam(
            "the DSA p must be odd and (L, N) one of (1024, 160), (2048, 224), (2048, 256), (3072, 256)",
        ));
    }
    Ok((p, q))
}

/// `g`, checked to lie in `1 < g < p`.
fn group_g(g: &[u8], p: &Bn) -> AsymResult<Bn> {
    let g = Bn::from_be(g)?;
    if g.bits() <= 1 || g >= *p {
        return Err(AsymError::InvalidParam("the DSA g must lie in 1 < g < p"));
    }
    Ok(g)
}

/// A secret `x` or `k`, checked to lie in `0 < v < q` (a range check of a
/// secret: a refusal tells only that the caller's value is malformed).
fn secret_below(v: &[u8], q: &Bn, what: &'static str) -> AsymResult<Bn> {
    let v = Bn::from_be(v)?;
    if v.is_zero() || v >= *q {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(v)
}

/// The digest value `z`, at most `N` bits, reduced mod `q`.
fn digest(z: &[u8], q: &Bn, ctx: &mut BnCtx) -> AsymResult<Bn> {
    let z = Bn::from_be(z)?;
    if z.bits() > q.bits() {
        return Err(AsymError::InvalidParam(
            "the DSA digest z must be cut to at most N bits",
        ));
    }
    ctx.nnmod(&z, q)
}

fn fits(out: &[u8], bits: usize, what: &'static str) -> AsymResult<()> {
    if out.len() < bits.div_ceil(8) {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(())
}

/// P generation (FIPS 186-3 A.1.1.2 steps 11.4, 11.5 and the GCD part of
/// 11.7): `c = X mod 2q`, `p = X - (c - 1)`.
///
/// `X` must satisfy `2^(L-1) ≤ X < 2^L`. Returns `false` when `p` is below
/// `2^(L-1)` (then `p` is written as zero) or has a prime factor below the
/// GCD test's bound; `true` means `p` is in range and still needs a robust
/// primality test.
pub fn gen_p(x: &[u8], q: &[u8], p_out: &mut [u8]) -> AsymResult<bool> {
    let q = group_q(q)?;
    let xv = Bn::from_be(x)?;
    let l = xv.bits();
    if !LN_SIZES.contains(&(l, q.bits())) {
        return Err(AsymError::InvalidParam(
            "the DSA X must be L bits long, (L, N) a supported pair",
        ));
    }
    fits(p_out, l, "the DSA p output must hold L bits")?;
    let mut ctx = BnCtx::new()?;
    let two_q = q.add(&q)?;
    let c = ctx.nnmod(&xv, &two_q)?;
    // p = X - c + 1 ≥ 1 as c ≤ X.
    let p = xv.sub(&c)?.add_word(1)?;
    if p.bits() < l {
        Bn::new()?.write_be(p_out, "the DSA p output")?;
        return Ok(false);
    }
    let passes = gcd_test(&p, &mut ctx)?;
    p.write_be(p_out, "the DSA p output")?;
    Ok(passes)
}

/// G generation (FIPS 186-3 A.2.1 steps 1, 3 and the check of 4):
/// `g = h^((p-1)/q) mod p`, for `1 < h < p - 1` and `q` dividing `p - 1`.
/// Returns `false` when `g = 1` (another `h` is needed).
pub fn gen_g(p: &[u8], q: &[u8], h: &[u8], g_out: &mut [u8]) -> AsymResult<bool> {
    let (p, q) = group_pq(p, q)?;
    let p1 = p.sub_word(1)?;
    let h = Bn::from_be(h)?;
    if h.bits() <= 1 || h >= p1 {
        return Err(AsymError::InvalidParam(
            "the DSA h must lie in 1 < h < p - 1",
        ));
    }
    fits(g_out, p.bits(), "the DSA g output must hold L bits")?;
    let mut ctx = BnCtx::new()?;
    let (e, rem) = ctx.div_rem(&p1, &q)?;
    if !rem.is_zero() {
        return Err(AsymError::InvalidParam("the DSA q must divide p - 1"));
    }
    let g = ctx.mod_exp_public(&h, &e, &p)?;
    g.write_be(g_out, "the DSA g output")?;
    Ok(!g.is_one())
}

/// Y generation (FIPS 186-3 4.1): `y = g^x mod p`, constant time in `x`.
/// `1 < g < p`, `0 < x < p` (the call does not see `q`, so `x < q` is the
/// caller's).
pub fn gen_y(p: &[u8], g: &[u8], x: &[u8], y_out: &mut [u8]) -> AsymResult<()> {
    let p = Bn::from_be(p)?;
    if !LN_SIZES.iter().any(|&(l, _)| l == p.bits()) || !p.is_odd() {
        return Err(AsymError::InvalidParam(
            "the DSA p must be odd and 1024, 2048 or 3072 bits long",
        ));
    }
    let g = group_g(g, &p)?;
    let x = secret_below(x, &p, "the DSA x must lie in 0 < x < p")?;
    fits(y_out, p.bits(), "the DSA y output must hold L bits")?;
    let mut ctx = BnCtx::new()?;
    let mont = ctx.mont(&p)?;
    ctx.mod_exp_secret(&g, &x, &p, &mont)?
        .write_be(y_out, "the DSA y output")
}

/// `r = (g^k mod p) mod q` on checked numbers.
fn r_of(p: &Bn, q: &Bn, g: &Bn, k: &Bn, ctx: &mut BnCtx) -> AsymResult<Bn> {
    let mont = ctx.mont(p)?;
    let t = ctx.mod_exp_secret(g, k, p, &mont)?;
    ctx.nnmod(&t, q)
}

/// `s = k⁻¹·(z + x·r) mod q` on checked numbers, constant time in `x`, `k`.
fn s_of(q: &Bn, x: &Bn, k: &Bn, r: &Bn, z: &Bn, ctx: &mut BnCtx) -> AsymResult<Bn> {
    let mont = ctx.mont(q)?;
    let kinv = ctx.mod_inverse_prime(k, q, &mont)?;
    let xr = ctx.mod_mul_secret(x, r, &mont)?;
    let sum = ctx.mod_add_secret(z, &xr, q)?;
    ctx.mod_mul_secret(&kinv, &sum, &mont)
}

/// Signature half `r = (g^k mod p) mod q` (FIPS 186-3 4.6), for `0 < k < q`.
/// Returns `false` when `r = 0` (another `k` is needed).
pub fn sign_r(p: &[u8], q: &[u8], g: &[u8], k: &[u8], r_out: &mut [u8]) -> AsymResult<bool> {
    let (p, q) = group_pq(p, q)?;
    let g = group_g(g, &p)?;
    let k = secret_below(k, &q, "the DSA k must lie in 0 < k < q")?;
    fits(r_out, q.bits(), "the DSA r output must hold N bits")?;
    let mut ctx = BnCtx::new()?;
    let r = r_of(&p, &q, &g, &k, &mut ctx)?;
    r.write_be(r_out, "the DSA r output")?;
    Ok(!r.is_zero())
}

/// Signature half `s = k⁻¹·(z + x·r) mod q` (FIPS 186-3 4.6), for
/// `0 < x, k, r < q`. Returns `false` when `s = 0` (another `k` is needed).
pub fn sign_s(
    q: &[u8],
    x: &[u8],
    k: &[u8],
    r: &[u8],
    z: &[u8],
    s_out: &mut [u8],
) -> AsymResult<bool> {
    let q = group_q(q)?;
    let x = secret_below(x, &q, "the DSA x must lie in 0 < x < q")?;
    let k = secret_below(k, &q, "the DSA k must lie in 0 < k < q")?;
    let r = Bn::from_be(r)?;
    if r.is_zero() || r >= q {
        return Err(AsymError::InvalidParam("the DSA r must lie in 0 < r < q"));
    }
    fits(s_out, q.bits(), "the DSA s output must hold N bits")?;
    let mut ctx = BnCtx::new()?;
    let z = digest(z, &q, &mut ctx)?;
    let s = s_of(&q, &x, &k, &r, &z, &mut ctx)?;
    s.write_be(s_out, "the DSA s output")?;
    Ok(!s.is_zero())
}

/// Both signature halves at once; `false` when `r` or `s` is 0.
#[allow(clippy::too_many_arguments)] // QAT's op data, flattened.
pub fn sign_rs(
    p: &[u8],
    q: &[u8],
    g: &[u8],
    x: &[u8],
    k: &[u8],
    z: &[u8],
    r_out: &mut [u8],
    s_out: &mut [u8],
) -> AsymResult<bool> {
    let (p, q) = group_pq(p, q)?;
    let g = group_g(g, &p)?;
    let x = secret_below(x, &q, "the DSA x must lie in 0 < x < q")?;
    let k = secret_below(k, &q, "the DSA k must lie in 0 < k < q")?;
    fits(r_out, q.bits(), "the DSA r output must hold N bits")?;
    fits(s_out, q.bits(), "the DSA s output must hold N bits")?;
    let mut ctx = BnCtx::new()?;
    let z = digest(z, &q, &mut ctx)?;
    let r = r_of(&p, &q, &g, &k, &mut ctx)?;
    let s = s_of(&q, &x, &k, &r, &z, &mut ctx)?;
    r.write_be(r_out, "the DSA r output")?;
    s.write_be(s_out, "the DSA s output")?;
    Ok(!r.is_zero() && !s.is_zero())
}

/// Verification (FIPS 186-3 4.7): `w = s⁻¹ mod q`, `u1 = z·w`, `u2 = r·w`,
/// `v = (g^u1·y^u2 mod p) mod q`; the signature holds when `v = r`.
///
/// A signature with `r` or `s` outside `(0, q)` is `Ok(false)`; malformed
/// domain parameters or a public key outside `1 < y < p` are refused.
#[allow(clippy::too_many_arguments)] // QAT's op data, flattened.
pub fn verify(
    p: &[u8],
    q: &[u8],
    g: &[u8],
    y: &[u8],
    z: &[u8],
    r: &[u8],
    s: &[u8],
) -> AsymResult<bool> {
    let (p, q) = group_pq(p, q)?;
    let g = group_g(g, &p)?;
    let y = Bn::from_be(y)?;
    if y.bits() <= 1 || y >= p {
        return Err(AsymError::InvalidParam("the DSA y must lie in 1 < y < p"));
    }
    let mut ctx = BnCtx::new()?;
    let z = digest(z, &q, &mut ctx)?;
    let r = Bn::from_be(r)?;
    let s = Bn::from_be(s)?;
    if r.is_zero() || r >= q || s.is_zero() || s >= q {
        return Ok(false);
    }
    let w = ctx.mod_inverse_public(&s, &q)?;
    let u1 = ctx.mod_mul(&z, &w, &q)?;
    let u2 = ctx.mod_mul(&r, &w, &q)?;
    let a = ctx.mod_exp_public(&g, &u1, &p)?;
    let b = ctx.mod_exp_public(&y, &u2, &p)?;
    let ab = ctx.mod_mul(&a, &b, &p)?;
    let v = ctx.nnmod(&ab, &q)?;
    Ok(v == r)
}
