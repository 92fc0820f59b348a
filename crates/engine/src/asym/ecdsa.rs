//! ECDSA as QAT's `cpa_cy_ecdsa.h` computes it (ANSI X9.62 section 7.3 and
//! 7.4): signing with the caller's per-message secret k and the message
//! digest m already computed, on any prime-field curve the caller
//! describes (base point G of prime order n).
//!
//! - `r = x([k]G) mod n`, `s = k⁻¹ (e + d·r) mod n`.
//! - m is taken as the integer e it spells, reduced mod n: QAT leaves the
//!   X9.62 conversion of a digest longer than n (its leftmost bits) to the
//!   caller, whose operand width otherwise only widens the operation —
//!   [`truncate_digest`] does that conversion for callers that need it.
//! - r = 0 or s = 0 is QAT's "output invalid" (status success, sign status
//!   false): `Ok(false)` with zeroed outputs, so the caller retries with
//!   another k.
//! - As qatlib checks: n and the field prime odd, 0 < k < n, 0 < d < n,
//!   G not (0, 0) and its coordinates below the prime, outputs at least as
//!   wide as n; for verify 0 < r, s < n (else `InvalidParam`). A public key
//!   off the curve fails the verification (`Ok(false)`).
//!
//! Secrets (k, d) go through constant-time code only: `[k]G` by aws-lc's
//! named groups or the ladder of `ec_generic`, and `k⁻¹`, `d·r` as
//! fixed-width Montgomery residues.

use super::bn::{Bn, BnCtx};
use std::sync::OnceLock;

use zeroize::Zeroize;

use super::ec::{check_width, ct_is_zero, minimal, named_params, recognise, FieldType, PrimeCurve};
use super::ec_generic::{with_width, write_right_aligned, Zn};
use super::ec_sys::{ecdsa_sign_with_k, Group, Named, Point};
use super::{AsymError, AsymResult};

/// `CpaCyEcdsaSignROpData`.
#[derive(Debug, Clone, Copy)]
pub struct SignR<'a> {
    /// x of the base point G.
    pub xg: &'a [u8],
    /// y of G.
    pub yg: &'a [u8],
    /// The prime order of G.
    pub n: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// The per-message secret, 0 < k < n.
    pub k: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// `CpaCyEcdsaSignSOpData`.
#[derive(Debug, Clone, Copy)]
pub struct SignS<'a> {
    /// The message digest.
    pub m: &'a [u8],
    /// The private key, 0 < d < n.
    pub d: &'a [u8],
    /// The signature's r, 0 < r < n.
    pub r: &'a [u8],
    /// The per-message secret, 0 < k < n.
    pub k: &'a [u8],
    /// The prime order of G.
    pub n: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// `CpaCyEcdsaSignRSOpData`.
#[derive(Debug, Clone, Copy)]
pub struct SignRs<'a> {
    /// x of the base point G.
    pub xg: &'a [u8],
    /// y of G.
    pub yg: &'a [u8],
    /// The prime order of G.
    pub n: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// The per-message secret, 0 < k < n.
    pub k: &'a [u8],
    /// The message digest.
    pub m: &'a [u8],
    /// The private key, 0 < d < n.
    pub d: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// `CpaCyEcdsaVerifyOpData`.
#[derive(Debug, Clone, Copy)]
pub struct Verify<'a> {
    /// x of the base point G.
    pub xg: &'a [u8],
    /// y of G.
    pub yg: &'a [u8],
    /// The prime order of G.
    pub n: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// The message digest.
    pub m: &'a [u8],
    /// The signature's r, 0 < r < n.
    pub r: &'a [u8],
    /// The signature's s, 0 < s < n.
    pub s: &'a [u8],
    /// x of the public key.
    pub xp: &'a [u8],
    /// y of the public key.
    pub yp: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// The X9.62 conversion of a digest to an integer for an order `n`: its
/// leftmost `bits(n)` bits (the digest itself when it is not longer).
pub fn truncate_digest(digest: &[u8], n: &[u8]) -> Vec<u8> {
    let bits = Bn::from_be(n).map(|n| n.bits()).unwrap_or(0);
    if digest.len() * 8 <= bits {
        return digest.to_vec();
    }
    let bytes = bits.div_ceil(8);
    let shift = bytes * 8 - bits;
    let head = &digest[..bytes];
    if shift == 0 {
        return head.to_vec();
    }
    let mut out = vec![0u8; bytes];
    let mut carry = 0u8;
    for (o, &b) in out.iter_mut().zip(head) {
        *o = (b >> shift) | carry;
        carry = b << (8 - shift);
    }
    out
}

/// Checks n (odd, non-zero, at most 576 bits) and the output sizes.
fn order(n: &[u8], outs: &[usize]) -> AsymResult<Bn> {
    check_width(n, "n is wider than 576 bits")?;
    let nb = Bn::from_be(n)?;
    if nb.is_zero() || !nb.is_odd() {
        return Err(AsymError::InvalidParam(
            "the order n must be odd and non-zero",
        ));
    }
    if outs.iter().any(|&len| len < nb.byte_len()) {
        return Err(AsymError::InvalidParam("an output is shorter than n"));
    }
    Ok(nb)
}

/// Checks `0 < v < n` (for secrets the zero test reads every byte; the
/// range verdict is the only branch).
fn in_range(v: &[u8], n: &Bn, zero: &'static str, big: &'static str) -> AsymResult<()> {
    check_width(v, big)?;
    if ct_is_zero(v) {
        return Err(AsymError::InvalidParam(zero));
    }
    if &Bn::from_be(v)? >= n {
        return Err(AsymError::InvalidParam(big));
    }
    Ok(())
}

fn field_type_prime(t: FieldType) -> AsymResult<()> {
    if t == FieldType::Binary {
        return Err(AsymError::InvalidParam(super::ec::BINARY_UNSUPPORTED));
    }
    Ok(())
}

/// The curve and its base point G, checked.
fn curve_and_base(
    field_type: FieldType,
    q: &[u8],
    a: &[u8],
    b: &[u8],
    xg: &[u8],
    yg: &[u8],
    ctx: &mut BnCtx,
) -> AsymResult<(PrimeCurve, Bn, Bn)> {
    let curve = PrimeCurve::new(field_type, q, a, b, ctx)?;
    let (gx, gy) = (Bn::from_be(xg)?, Bn::from_be(yg)?);
    if gx.is_zero() && gy.is_zero() {
        return Err(AsymError::InvalidParam("the base point is (0, 0)"));
    }
    if !curve.contains(&gx, &gy, ctx)? {
        return Err(AsymError::InvalidParam(
            "the base point is not on the curve (or a coordinate is not below q)",
        ));
    }
    Ok((curve, gx, gy))
}

/// `x([k]G) mod n`, `None` when it is zero (or `[k]G` is at infinity).
fn compute_r(
    curve: &PrimeCurve,
    gx: &Bn,
    gy: &Bn,
    n: &Bn,
    k: &[u8],
    ctx: &mut BnCtx,
) -> AsymResult<Option<Bn>> {
    let is_generator = matches!(curve.generator(ctx)?, Some((x, y)) if &x == gx && &y == gy);
    let kg = if is_generator {
        curve.mul_generator(k, ctx)?.flatten()
    } else {
        curve.mul(k, gx, gy, ctx)?
    };
    let Some(kg) = kg else {
        return Ok(None);
    };
    let r = ctx.nnmod(&Bn::from_be(&kg.x)?, n)?;
    Ok((!r.is_zero()).then_some(r))
}

/// `k⁻¹ (e + d·r) mod n` in fixed-width residues: big-endian, `None` for
/// zero. `e` is public and already reduced; `k`, `d` are secret.
fn compute_s<const L: usize>(
    n: &[u8],
    k: &[u8],
    e: &[u8],
    d: &[u8],
    r: &[u8],
) -> AsymResult<Option<Vec<u8>>> {
    let zn = Zn::<L>::new(n).ok_or(WIDE)?;
    compute_s_in(&zn, k, e, d, r)
}

const WIDE: AsymError = AsymError::InvalidParam("an ECDSA operand is wider than n");

/// [`compute_s`] with the residue ring of n already set up.
fn compute_s_in<const L: usize>(
    zn: &Zn<L>,
    k: &[u8],
    e: &[u8],
    d: &[u8],
    r: &[u8],
) -> AsymResult<Option<Vec<u8>>> {
    let (k, e, d, r) = (
        zn.elem(k).ok_or(WIDE)?,
        zn.elem(e).ok_or(WIDE)?,
        zn.elem(d).ok_or(WIDE)?,
        zn.elem(r).ok_or(WIDE)?,
    );
    // k is in (0, n) with n prime, so it has an inverse.
    let kinv = zn
        .invert(&k)
        .ok_or(AsymError::Failed("k has no inverse modulo n"))?;
    let s = kinv * (e + d * r);
    Ok((!zn.is_zero(&s)).then(|| zn.bytes(&s)))
}

/// The residue ring of a named curve's order, set up once.
fn named_zn<const L: usize>(
    cell: &'static OnceLock<Zn<L>>,
    c: Named,
) -> AsymResult<&'static Zn<L>> {
    if let Some(z) = cell.get() {
        return Ok(z);
    }
    let z = Zn::<L>::new(&named_params(c)?.n).ok_or(WIDE)?;
    Ok(cell.get_or_init(|| z))
}

/// [`compute_s`] for any odd n, with the ring set up once for the orders
/// of the NIST curves.
fn compute_s_any(n: &Bn, k: &[u8], e: &[u8], d: &[u8], r: &[u8]) -> AsymResult<Option<Vec<u8>>> {
    static P256_N: OnceLock<Zn<4>> = OnceLock::new();
    static P384_N: OnceLock<Zn<6>> = OnceLock::new();
    static P521_N: OnceLock<Zn<9>> = OnceLock::new();
    let nb = n.to_be_vec();
    let named = Named::ALL
        .into_iter()
        .find(|&c| named_params(c).is_ok_and(|t| t.n == nb));
    match named {
        Some(c @ Named::P256) => compute_s_in(named_zn(&P256_N, c)?, k, e, d, r),
        Some(c @ Named::P384) => compute_s_in(named_zn(&P384_N, c)?, k, e, d, r),
        Some(c @ Named::P521) => compute_s_in(named_zn(&P521_N, c)?, k, e, d, r),
        None => with_width!(n.bits(), compute_s(&nb, k, e, d, r)),
    }
}

fn sign_s_checked(op: &SignS<'_>, n: &Bn, ctx: &mut BnCtx) -> AsymResult<Option<Bn>> {
    in_range(op.k, n, "k is zero", "k is not below n")?;
    in_range(op.d, n, "d is zero", "d is not below n")?;
    in_range(op.r, n, "r is zero", "r is not below n")?;
    check_width(op.m, "m is wider than 576 bits")?;
    let e = ctx.nnmod(&Bn::from_be(op.m)?, n)?.to_be_vec();
    let s = compute_s_any(n, op.k, &e, op.d, op.r)?;
    s.map(|s| Bn::from_be(&s)).transpose()
}

/// The NIST curve whose field, coefficients, generator and order these are
/// (all public; compared as bytes), for the direct path through aws-lc's
/// named group with no curve checks to make.
fn named_with_generator(
    q: &[u8],
    a: &[u8],
    b: &[u8],
    xg: &[u8],
    yg: &[u8],
    n: &[u8],
) -> Option<Named> {
    let c = recognise(q, a, b)?;
    let t = named_params(c).ok()?;
    (minimal(xg) == t.gx && minimal(yg) == t.gy && minimal(n) == t.n).then_some(c)
}

/// `x([k]G) mod n` on a named curve with its own generator and order n;
/// `None` when it is zero.
fn named_r(c: Named, n: &Bn, k: &[u8], ctx: &mut BnCtx) -> AsymResult<Option<Bn>> {
    let g = Group::named(c)?;
    let kg = Point::mul(&g, Some(&Bn::from_be(k)?), None, ctx)?;
    let Some((x, _)) = kg.affine(&g, ctx)? else {
        return Ok(None);
    };
    let r = ctx.nnmod(&x, n)?;
    Ok((!r.is_zero()).then_some(r))
}

/// The whole signature by aws-lc's ECDSA on P-256 or P-384 (orders of
/// whole bytes, so its digest conversion is QAT's `m mod n` whenever m is
/// no longer than n). `None` when that does not apply or aws-lc declines
/// (r or s zero): the caller signs the general way, which reports those.
fn sign_named(c: Named, n: &Bn, op: &SignRs<'_>) -> AsymResult<Option<(Bn, Bn)>> {
    if c == Named::P521 {
        return Ok(None);
    }
    let width = n.byte_len();
    let m = minimal(op.m);
    if m.len() > width {
        return Ok(None);
    }
    // k and m right-aligned in the order's width (k without branching on
    // its value: it was checked to be below n).
    let mut k = [0u8; 48];
    let mut digest = [0u8; 48];
    write_right_aligned(op.k, &mut k[..width], "k is not below n")
        .map_err(AsymError::InvalidParam)?;
    digest[width - m.len()..width].copy_from_slice(m);
    let d = Bn::from_be(op.d)?;
    let r = ecdsa_sign_with_k(c, &d, &k[..width], &digest[..width]);
    k.zeroize();
    r
}

/// Writes (r, s), or zeros and `Ok(false)` for none.
fn write_rs(rs: Option<(Bn, Bn)>, r_out: &mut [u8], s_out: &mut [u8]) -> AsymResult<bool> {
    match rs {
        Some((r, s)) => {
            r.write_be(r_out, "r does not fit its output")?;
            s.write_be(s_out, "s does not fit its output")?;
            Ok(true)
        }
        None => {
            r_out.fill(0);
            s_out.fill(0);
            Ok(false)
        }
    }
}

/// `cpaCyEcdsaSignR`: writes r into `r_out` (at least as wide as n).
/// `Ok(false)` and zeros when r = 0.
pub fn sign_r(op: &SignR<'_>, r_out: &mut [u8]) -> AsymResult<bool> {
    field_type_prime(op.field_type)?;
    let n = order(op.n, &[r_out.len()])?;
    in_range(op.k, &n, "k is zero", "k is not below n")?;
    let mut ctx = BnCtx::new()?;
    let r = match named_with_generator(op.q, op.a, op.b, op.xg, op.yg, op.n) {
        Some(c) => named_r(c, &n, op.k, &mut ctx)?,
        None => {
            let (curve, gx, gy) =
                curve_and_base(op.field_type, op.q, op.a, op.b, op.xg, op.yg, &mut ctx)?;
            compute_r(&curve, &gx, &gy, &n, op.k, &mut ctx)?
        }
    };
    match r {
        Some(r) => r
            .write_be(r_out, "r does not fit its output")
            .map(|()| true),
        None => {
            r_out.fill(0);
            Ok(false)
        }
    }
}

/// `cpaCyEcdsaSignS`: writes s into `s_out` (at least as wide as n).
/// `Ok(false)` and zeros when s = 0.
pub fn sign_s(op: &SignS<'_>, s_out: &mut [u8]) -> AsymResult<bool> {
    field_type_prime(op.field_type)?;
    let n = order(op.n, &[s_out.len()])?;
    let mut ctx = BnCtx::new()?;
    match sign_s_checked(op, &n, &mut ctx)? {
        Some(s) => s
            .write_be(s_out, "s does not fit its output")
            .map(|()| true),
        None => {
            s_out.fill(0);
            Ok(false)
        }
    }
}

/// `cpaCyEcdsaSignRS`: writes r and s (each at least as wide as n).
/// `Ok(false)` and zeros when r = 0 or s = 0.
pub fn sign_rs(op: &SignRs<'_>, r_out: &mut [u8], s_out: &mut [u8]) -> AsymResult<bool> {
    field_type_prime(op.field_type)?;
    let n = order(op.n, &[r_out.len(), s_out.len()])?;
    in_range(op.k, &n, "k is zero", "k is not below n")?;
    in_range(op.d, &n, "d is zero", "d is not below n")?;
    let named = named_with_generator(op.q, op.a, op.b, op.xg, op.yg, op.n);
    if let Some(c) = named {
        if let Some(rs) = sign_named(c, &n, op)? {
            return write_rs(Some(rs), r_out, s_out);
        }
    }
    let mut ctx = BnCtx::new()?;
    let r = match named {
        // A NIST curve with its generator: nothing to check, [k]G straight
        // from aws-lc's named group.
        Some(c) => named_r(c, &n, op.k, &mut ctx)?,
        None => {
            let (curve, gx, gy) =
                curve_and_base(op.field_type, op.q, op.a, op.b, op.xg, op.yg, &mut ctx)?;
            compute_r(&curve, &gx, &gy, &n, op.k, &mut ctx)?
        }
    };
    let rs = match r {
        Some(r) => {
            // k and d were checked above; r is in (0, n) by construction.
            check_width(op.m, "m is wider than 576 bits")?;
            let e = ctx.nnmod(&Bn::from_be(op.m)?, &n)?.to_be_vec();
            compute_s_any(&n, op.k, &e, op.d, &r.to_be_vec())?
                .map(|s| Bn::from_be(&s))
                .transpose()?
                .map(|s| (r, s))
        }
        None => None,
    };
    write_rs(rs, r_out, s_out)
}

/// `cpaCyEcdsaVerify`: whether (r, s) signs m for the public key
/// (xp, yp). Everything here is public, so it runs in variable time.
pub fn verify(op: &Verify<'_>) -> AsymResult<bool> {
    field_type_prime(op.field_type)?;
    let n = order(op.n, &[])?;
    in_range(op.r, &n, "r is zero", "r is not below n")?;
    in_range(op.s, &n, "s is zero", "s is not below n")?;
    check_width(op.m, "m is wider than 576 bits")?;
    let mut ctx = BnCtx::new()?;
    let (curve, gx, gy) = curve_and_base(op.field_type, op.q, op.a, op.b, op.xg, op.yg, &mut ctx)?;
    let (px, py) = (Bn::from_be(op.xp)?, Bn::from_be(op.yp)?);
    if !curve.contains(&px, &py, &mut ctx)? {
        return Ok(false);
    }
    let (r, s) = (Bn::from_be(op.r)?, Bn::from_be(op.s)?);
    let e = ctx.nnmod(&Bn::from_be(op.m)?, &n)?;
    let w = ctx.mod_inverse_public(&s, &n)?;
    let u1 = ctx.mod_mul(&e, &w, &n)?.to_be_vec();
    let u2 = ctx.mod_mul(&r, &w, &n)?.to_be_vec();
    let term = |u: &[u8], x: &Bn, y: &Bn, ctx: &mut BnCtx| -> AsymResult<Option<(Bn, Bn)>> {
        if u.is_empty() {
            return Ok(None);
        }
        match curve.mul(u, x, y, ctx)? {
            Some(pt) => Ok(Some((Bn::from_be(&pt.x)?, Bn::from_be(&pt.y)?))),
            None => Ok(None),
        }
    };
    let t1 = term(&u1, &gx, &gy, &mut ctx)?;
    let t2 = term(&u2, &px, &py, &mut ctx)?;
    let Some((x, _)) = curve.add_public(t1, t2, &mut ctx)? else {
        return Ok(false);
    };
    Ok(ctx.nnmod(&x, &n)? == r)
}
