//! Point multiplication on the RFC 7748 / RFC 8032 curves:
//! `cpaCyEcMontEdwdsPointMultiply` for Curve25519, Edwards25519, Curve448 and
//! Edwards448, by the generator or by a caller's point.
//!
//! # QAT's conventions (`cpa_cy_ec.h`, `CpaCyEcMontEdwdsPointMultiplyOpData`)
//! - Every buffer (k, x, y and both outputs) is a big-endian number of exactly
//!   [`MontEdwdsCurve::buffer_len`] bytes: 32 for the 25519 curves, 64 for the
//!   448 curves (a 448-bit number right-aligned, its top 8 bytes zero). RFC 7748
//!   and RFC 8032 encode little-endian, so an RFC vector is byte-reversed (and
//!   for 448 left-padded to 64 bytes) before it is passed here.
//! - Montgomery curves: the input and output are u-coordinates in `x`; `y` and
//!   `out_y` are not used (`out_y` is left untouched). "Scalar k always decoded
//!   by implementation": k is clamped as RFC 7748 §5 decodeScalar25519/448
//!   does (after the byte reversal), so the result is X25519/X448 of the
//!   reversed inputs. The u-coordinate is decoded as RFC 7748 says too: for
//!   X25519 its top bit is ignored, and a non-canonical u (≥ p) is taken modulo
//!   p. Every u is a point of the curve or its twist, so no u is refused;
//!   low-order inputs give u = 0.
//! - Edwards curves: "the implementation will not explicitly decode" k, so k is
//!   the plain integer (no clamping, no reduction): the output is the affine
//!   (x, y) of k·P exactly, also for points with a small-order component. The
//!   input point must be canonical (x, y < p) and on the curve, else
//!   [`AsymError::InvalidParam`]. The generators are RFC 8032's base points.
//!
//! # Constant time
//! k is secret. Curve25519 is aws-lc's X25519 (constant-time ladder, its
//! assembly where the CPU allows); Edwards25519 arithmetic is
//! curve25519-dalek's (constant-time scalar multiplication). The 448 curves have no
//! maintained Rust crate with the primitives this needs (a stable release with
//! affine coordinates and unreduced scalars), so they are written here: a
//! branch-free field in 8 limbs of 56 bits, the RFC 7748 ladder for Curve448,
//! and for Edwards448 a Montgomery ladder over all 512 bits of k with RFC 8032
//! §5.2.4's complete addition. The conversions of a secret result back to
//! affine coordinates (inversion, square root) use fixed exponents and masks.

use curve25519_dalek::constants::ED25519_BASEPOINT_TABLE;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::{awslc, AsymError, AsymResult};

/// The curve of a Montgomery/Edwards point multiplication
/// (`CpaCyEcMontEdwdsCurveType`, values as in `cpa_cy_ec.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum MontEdwdsCurve {
    /// Curve25519, Montgomery form (X25519), `CPA_CY_EC_MONTEDWDS_CURVE25519_TYPE`.
    Curve25519 = 1,
    /// Edwards25519 (the Ed25519 curve), `CPA_CY_EC_MONTEDWDS_ED25519_TYPE`.
    Ed25519 = 2,
    /// Curve448, Montgomery form (X448), `CPA_CY_EC_MONTEDWDS_CURVE448_TYPE`.
    Curve448 = 3,
    /// Edwards448 (the Ed448 curve), `CPA_CY_EC_MONTEDWDS_ED448_TYPE`.
    Ed448 = 4,
}

impl MontEdwdsCurve {
    /// The curve for a `CpaCyEcMontEdwdsCurveType` value.
    pub fn from_cpa(v: u32) -> Option<MontEdwdsCurve> {
        match v {
            1 => Some(MontEdwdsCurve::Curve25519),
            2 => Some(MontEdwdsCurve::Ed25519),
            3 => Some(MontEdwdsCurve::Curve448),
            4 => Some(MontEdwdsCurve::Ed448),
            _ => None,
        }
    }

    /// The size QAT requires of every buffer of this curve: 32 or 64 bytes.
    pub fn buffer_len(self) -> usize {
        match self {
            MontEdwdsCurve::Curve25519 | MontEdwdsCurve::Ed25519 => 32,
            MontEdwdsCurve::Curve448 | MontEdwdsCurve::Ed448 => 64,
        }
    }

    /// Whether the curve is in Montgomery form (u-coordinate only).
    pub fn is_montgomery(self) -> bool {
        matches!(self, MontEdwdsCurve::Curve25519 | MontEdwdsCurve::Curve448)
    }
}

/// `cpaCyEcMontEdwdsPointMultiply`: k·G (`generator`) or k·(x, y) on `curve`,
/// written big-endian into `out_x` (and `out_y` for the Edwards curves).
///
/// Sizes: `k` and `out_x` always, `x` unless `generator`, and for the Edwards
/// curves `out_y` always and `y` unless `generator`, must be exactly
/// [`MontEdwdsCurve::buffer_len`] bytes; inputs that are not used are not
/// looked at. See the module documentation for the encodings.
pub fn point_multiply(
    curve: MontEdwdsCurve,
    generator: bool,
    k: &[u8],
    x: &[u8],
    y: &[u8],
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<()> {
    let len = curve.buffer_len();
    let size = |b: usize, what: &'static str| {
        if b == len {
            Ok(())
        } else {
            Err(AsymError::InvalidParam(what))
        }
    };
    size(k.len(), "k must be 32 bytes (25519) or 64 bytes (448)")?;
    size(
        out_x.len(),
        "x output must be 32 bytes (25519) or 64 bytes (448)",
    )?;
    if !generator {
        size(x.len(), "x must be 32 bytes (25519) or 64 bytes (448)")?;
    }
    if !curve.is_montgomery() {
        size(
            out_y.len(),
            "y output must be 32 bytes (25519) or 64 bytes (448)",
        )?;
        if !generator {
            size(y.len(), "y must be 32 bytes (25519) or 64 bytes (448)")?;
        }
    }
    match curve {
        MontEdwdsCurve::Curve25519 => x25519(generator, k, x, out_x),
        MontEdwdsCurve::Ed25519 => ed25519(generator, k, x, y, out_x, out_y),
        MontEdwdsCurve::Curve448 => x448(generator, k, x, out_x),
        MontEdwdsCurve::Ed448 => ed448(generator, k, x, y, out_x, out_y),
    }
}

/// `N` bytes reversed: QAT's big-endian to RFC 7748's little-endian and back.
fn reversed<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut r = [0u8; N];
    for (d, s) in r.iter_mut().zip(b.iter().rev()) {
        *d = *s;
    }
    r
}

/// The low 56 bytes of a 64-byte 448-curve buffer, refusing a number that
/// needs more than 448 bits.
fn low56<'a>(b: &'a [u8], what: &'static str) -> AsymResult<&'a [u8]> {
    if b[..8].iter().any(|&v| v != 0) {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(&b[8..])
}

fn x25519(generator: bool, k: &[u8], u: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let k_le: [u8; 32] = reversed(k);
    // aws-lc's X25519 applies RFC 7748's decodeScalar25519, ignores bit 255
    // of u and reduces a u ≥ p.
    let r = if generator {
        awslc::x25519_base(&k_le)
    } else {
        awslc::x25519(&k_le, &reversed(u))?
    };
    out.copy_from_slice(&reversed::<32>(&r));
    Ok(())
}

fn ed25519(
    generator: bool,
    k: &[u8],
    x: &[u8],
    y: &[u8],
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<()> {
    let k_le: [u8; 32] = reversed(k);
    let q = if generator {
        // B has prime order ℓ, so reducing k modulo ℓ is exact.
        &Scalar::from_bytes_mod_order(k_le) * ED25519_BASEPOINT_TABLE
    } else {
        let p = ed25519_point(x, y)?;
        // P may have a component of order 8: k·P = (k >> 3)·(8P) + (k & 7)·P,
        // and 8P has order dividing ℓ, so k >> 3 may be reduced modulo ℓ.
        let mut hi = [0u8; 32];
        for i in 0..32 {
            let next = if i + 1 < 32 { k_le[i + 1] } else { 0 };
            hi[i] = (k_le[i] >> 3) | (next << 5);
        }
        let big = Scalar::from_bytes_mod_order(hi) * p.mul_by_cofactor();
        let small = small_multiple_25519(&p, k_le[0] & 7);
        big + small
    };
    let (qx, qy) = ed25519_affine(&q)?;
    out_x.copy_from_slice(&qx);
    out_y.copy_from_slice(&qy);
    Ok(())
}

/// `m`·P for a secret m in 0..8, by a constant-time scan of all eight.
fn small_multiple_25519(p: &EdwardsPoint, m: u8) -> EdwardsPoint {
    let mut acc = EdwardsPoint::default();
    let mut r = EdwardsPoint::default();
    for i in 0..8u8 {
        r.conditional_assign(&acc, i.ct_eq(&m));
        acc += p;
    }
    r
}

/// The Edwards25519 point with big-endian affine coordinates (x, y).
fn ed25519_point(x: &[u8], y: &[u8]) -> AsymResult<EdwardsPoint> {
    let fx = Fe25519::from_canonical_be(x).ok_or(AsymError::InvalidParam(
        "Ed25519 x is not below the field prime 2^255 - 19",
    ))?;
    let fy = Fe25519::from_canonical_be(y).ok_or(AsymError::InvalidParam(
        "Ed25519 y is not below the field prime 2^255 - 19",
    ))?;
    // -x² + y² = 1 + d·x²·y²
    let xx = fx.square();
    let yy = fy.square();
    let lhs = yy.sub(&xx);
    let rhs = Fe25519::ONE.add(&Fe25519::d().mul(&xx).mul(&yy));
    if !bool::from(lhs.ct_eq(&rhs)) {
        return Err(AsymError::InvalidParam("the point is not on Edwards25519"));
    }
    // On the curve, y and the parity of x select exactly (x, y).
    let mut enc: [u8; 32] = reversed(y);
    enc[31] |= (x[31] & 1) << 7;
    CompressedEdwardsY(enc)
        .decompress()
        .ok_or(AsymError::InvalidParam("the point is not on Edwards25519"))
}

/// The big-endian affine (x, y) of a point, x recovered from the compressed
/// form (y and the sign of x) as RFC 8032 §5.1.3 decodes, without branches.
fn ed25519_affine(q: &EdwardsPoint) -> AsymResult<([u8; 32], [u8; 32])> {
    let mut enc = q.compress().to_bytes();
    let sign = Choice::from(enc[31] >> 7);
    enc[31] &= 0x7f;
    let fy = Fe25519::from_le(&enc);
    let yy = fy.square();
    let u = yy.sub(&Fe25519::ONE);
    let v = Fe25519::d().mul(&yy).add(&Fe25519::ONE);
    // x = u·v³·(u·v⁷)^((p-5)/8)
    let v3 = v.square().mul(&v);
    let v7 = v3.square().mul(&v);
    let mut fx = u.mul(&v3).mul(&u.mul(&v7).pow_p58());
    let vxx = v.mul(&fx.square());
    let root = vxx.ct_eq(&u);
    let neg_root = vxx.ct_eq(&Fe25519::ZERO.sub(&u));
    if !bool::from(root | neg_root) {
        // A point from the group always has an x: not reachable.
        return Err(AsymError::Failed("Edwards25519 x recovery failed"));
    }
    let times_i = fx.mul(&Fe25519::sqrt_m1());
    fx = Fe25519::select(&fx, &times_i, neg_root);
    let negated = Fe25519::ZERO.sub(&fx);
    let wrong_sign = Choice::from(fx.to_le()[0] & 1) ^ sign;
    fx = Fe25519::select(&fx, &negated, wrong_sign);
    Ok((reversed(&fx.to_le()), reversed(&enc)))
}

fn x448(generator: bool, k: &[u8], u: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let mut k_le: [u8; 56] = reversed(low56(k, "Curve448 k is wider than 448 bits")?);
    // RFC 7748 decodeScalar448.
    k_le[0] &= 0xfc;
    k_le[55] |= 0x80;
    let u = if generator {
        Fe448::from_u64(5)
    } else {
        Fe448::from_le(&reversed::<56>(low56(
            u,
            "Curve448 u is wider than 448 bits",
        )?))
    };
    let r = x448_ladder(&k_le, &u);
    out[..8].fill(0);
    out[8..].copy_from_slice(&reversed::<56>(&r.to_le()));
    Ok(())
}

/// RFC 7748 §5's Montgomery ladder with a24 = 39081, all 448 bits.
fn x448_ladder(k_le: &[u8; 56], u: &Fe448) -> Fe448 {
    let a24 = Fe448::from_u64(39081);
    let x1 = *u;
    let (mut x2, mut z2, mut x3, mut z3) = (Fe448::ONE, Fe448::ZERO, x1, Fe448::ONE);
    let mut swap = Choice::from(0);
    for t in (0..448).rev() {
        let bit = Choice::from((k_le[t / 8] >> (t % 8)) & 1);
        swap ^= bit;
        Fe448::cswap(&mut x2, &mut x3, swap);
        Fe448::cswap(&mut z2, &mut z3, swap);
        swap = bit;
        let a = x2.add(&z2);
        let aa = a.square();
        let b = x2.sub(&z2);
        let bb = b.square();
        let e = aa.sub(&bb);
        let c = x3.add(&z3);
        let d = x3.sub(&z3);
        let da = d.mul(&a);
        let cb = c.mul(&b);
        x3 = da.add(&cb).square();
        z3 = x1.mul(&da.sub(&cb).square());
        x2 = aa.mul(&bb);
        z2 = e.mul(&aa.add(&a24.mul(&e)));
    }
    Fe448::cswap(&mut x2, &mut x3, swap);
    Fe448::cswap(&mut z2, &mut z3, swap);
    x2.mul(&z2.invert())
}

fn ed448(
    generator: bool,
    k: &[u8],
    x: &[u8],
    y: &[u8],
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<()> {
    let p = if generator {
        Ed448Point::base()
    } else {
        Ed448Point::from_affine_be(x, y)?
    };
    let q = p.mul_be(k);
    let (qx, qy) = q.to_affine();
    out_x[..8].fill(0);
    out_x[8..].copy_from_slice(&reversed::<56>(&qx.to_le()));
    out_y[..8].fill(0);
    out_y[8..].copy_from_slice(&reversed::<56>(&qy.to_le()));
    Ok(())
}

/// A projective point (X : Y : Z) of Edwards448, x² + y² = 1 + d·x²·y²
/// with d = -39081 (RFC 8032 §5.2).
#[derive(Clone, Copy)]
struct Ed448Point {
    x: Fe448,
    y: Fe448,
    z: Fe448,
}

impl Ed448Point {
    const IDENTITY: Ed448Point = Ed448Point {
        x: Fe448::ZERO,
        y: Fe448::ONE,
        z: Fe448::ONE,
    };

    /// RFC 8032 §5.2's base point B.
    fn base() -> Ed448Point {
        const BX: &str = "4f1970c66bed0ded221d15a622bf36da9e146570470f1767ea6de324a3d3a46412ae1af72ab66511433b80e18b00938e2626a82bc70cc05e";
        const BY: &str = "693f46716eb6bc248876203756c9c7624bea73736ca3984087789c1e05a0c2d73ad3ff1ce67c39c4fdbd132c4ed7c8ad9808795bf230fa14";
        Ed448Point {
            x: Fe448::from_hex(BX),
            y: Fe448::from_hex(BY),
            z: Fe448::ONE,
        }
    }

    /// The point with big-endian affine coordinates in 64-byte buffers.
    fn from_affine_be(x: &[u8], y: &[u8]) -> AsymResult<Ed448Point> {
        let not_reduced = "Ed448 x or y is not below the field prime 2^448 - 2^224 - 1";
        let fx = Fe448::from_canonical_be(low56(x, not_reduced)?)
            .ok_or(AsymError::InvalidParam(not_reduced))?;
        let fy = Fe448::from_canonical_be(low56(y, not_reduced)?)
            .ok_or(AsymError::InvalidParam(not_reduced))?;
        let xx = fx.square();
        let yy = fy.square();
        let lhs = xx.add(&yy);
        let rhs = Fe448::ONE.add(&Fe448::d().mul(&xx).mul(&yy));
        if !bool::from(lhs.ct_eq(&rhs)) {
            return Err(AsymError::InvalidParam("the point is not on Edwards448"));
        }
        Ok(Ed448Point {
            x: fx,
            y: fy,
            z: Fe448::ONE,
        })
    }

    /// RFC 8032 §5.2.4's addition, complete on Edwards448 (d is not a
    /// square), so it also doubles and handles the identity.
    fn add(&self, o: &Ed448Point) -> Ed448Point {
        let a = self.z.mul(&o.z);
        let b = a.square();
        let c = self.x.mul(&o.x);
        let d = self.y.mul(&o.y);
        let e = Fe448::d().mul(&c).mul(&d);
        let f = b.sub(&e);
        let g = b.add(&e);
        let h = self.x.add(&self.y).mul(&o.x.add(&o.y));
        Ed448Point {
            x: a.mul(&f).mul(&h.sub(&c).sub(&d)),
            y: a.mul(&g).mul(&d.sub(&c)),
            z: f.mul(&g),
        }
    }

    fn cswap(a: &mut Ed448Point, b: &mut Ed448Point, c: Choice) {
        Fe448::cswap(&mut a.x, &mut b.x, c);
        Fe448::cswap(&mut a.y, &mut b.y, c);
        Fe448::cswap(&mut a.z, &mut b.z, c);
    }

    /// k·self for a big-endian k of any length: a Montgomery ladder over
    /// every bit, the same work whatever k is.
    fn mul_be(&self, k: &[u8]) -> Ed448Point {
        let mut r0 = Ed448Point::IDENTITY;
        let mut r1 = *self;
        for byte in k {
            for i in (0..8).rev() {
                let bit = Choice::from((byte >> i) & 1);
                Ed448Point::cswap(&mut r0, &mut r1, bit);
                r1 = r0.add(&r1);
                r0 = r0.add(&r0);
                Ed448Point::cswap(&mut r0, &mut r1, bit);
            }
        }
        r0
    }

    fn to_affine(self) -> (Fe448, Fe448) {
        // Z is never zero: the addition law is complete.
        let zi = self.z.invert();
        (self.x.mul(&zi), self.y.mul(&zi))
    }
}

/// An element of GF(2^255 - 19) in 5 limbs of 51 bits, kept below 2^52 between
/// operations; reduced to canonical form only for encoding and comparison.
#[derive(Clone, Copy)]
struct Fe25519([u64; 5]);

const M51: u64 = (1 << 51) - 1;

impl Fe25519 {
    const ZERO: Fe25519 = Fe25519([0; 5]);
    const ONE: Fe25519 = Fe25519([1, 0, 0, 0, 0]);

    /// d = -121665/121666 of Edwards25519.
    fn d() -> Fe25519 {
        Fe25519::from_hex("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3")
    }

    /// A square root of -1: 2^((p-1)/4).
    fn sqrt_m1() -> Fe25519 {
        Fe25519::from_hex("2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0")
    }

    fn from_hex(h: &str) -> Fe25519 {
        let mut be = [0u8; 32];
        for (i, b) in be.iter_mut().enumerate() {
            *b = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
        Fe25519::from_le(&reversed::<32>(&be))
    }

    /// The element for 255 little-endian bits (bit 255 ignored).
    fn from_le(b: &[u8; 32]) -> Fe25519 {
        let w = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        Fe25519([
            w(0) & M51,
            (w(6) >> 3) & M51,
            (w(12) >> 6) & M51,
            (w(19) >> 1) & M51,
            (w(24) >> 12) & M51,
        ])
    }

    /// The element for a big-endian 32-byte number below p; None otherwise.
    fn from_canonical_be(b: &[u8]) -> Option<Fe25519> {
        let le: [u8; 32] = reversed(b);
        let f = Fe25519::from_le(&le);
        // Canonical iff bit 255 is clear and re-encoding gives the same bytes.
        (le[31] >> 7 == 0 && f.to_le() == le).then_some(f)
    }

    fn carry(mut l: [u64; 5]) -> Fe25519 {
        for i in 0..4 {
            l[i + 1] += l[i] >> 51;
            l[i] &= M51;
        }
        let c = l[4] >> 51;
        l[4] &= M51;
        l[0] += 19 * c;
        Fe25519(l)
    }

    fn add(&self, o: &Fe25519) -> Fe25519 {
        let mut l = self.0;
        for (a, b) in l.iter_mut().zip(o.0) {
            *a += b;
        }
        Fe25519::carry(l)
    }

    /// self - o, as self + 2p - o so no limb goes negative.
    fn sub(&self, o: &Fe25519) -> Fe25519 {
        let two_p = [2 * ((1 << 51) - 19), 2 * M51, 2 * M51, 2 * M51, 2 * M51];
        let mut l = [0u64; 5];
        for i in 0..5 {
            l[i] = self.0[i] + two_p[i] - o.0[i];
        }
        Fe25519::carry(l)
    }

    fn mul(&self, o: &Fe25519) -> Fe25519 {
        let a = self.0.map(u128::from);
        let b = o.0.map(u128::from);
        let mut c = [0u128; 9];
        for i in 0..5 {
            for j in 0..5 {
                c[i + j] += a[i] * b[j];
            }
        }
        // 2^255 = 19 (mod p).
        for k in (5..9).rev() {
            c[k - 5] += 19 * c[k];
        }
        let mut l = [0u128; 5];
        l.copy_from_slice(&c[..5]);
        // Two passes: the first carry out of 2^255 can be 2^66 at most.
        for _ in 0..2 {
            for i in 0..4 {
                l[i + 1] += l[i] >> 51;
                l[i] &= M51 as u128;
            }
            let top = l[4] >> 51;
            l[4] &= M51 as u128;
            l[0] += 19 * top;
        }
        Fe25519::carry(l.map(|v| v as u64))
    }

    fn square(&self) -> Fe25519 {
        self.mul(self)
    }

    /// self^((p-5)/8) = self^(2^252 - 3): every bit of the exponent set but bit 1.
    fn pow_p58(&self) -> Fe25519 {
        let mut r = Fe25519::ONE;
        for i in (0..252).rev() {
            r = r.square();
            if i != 1 {
                r = r.mul(self);
            }
        }
        r
    }

    /// Canonical little-endian bytes.
    fn to_le(self) -> [u8; 32] {
        let mut l = Fe25519::carry(Fe25519::carry(self.0).0).0;
        for i in 0..4 {
            l[i + 1] += l[i] >> 51;
            l[i] &= M51;
        }
        // Now below 2^255 + small: subtract p once if it fits.
        let p = [(1u64 << 51) - 19, M51, M51, M51, M51];
        let mut t = [0u64; 5];
        let mut carry: i128 = 0;
        for i in 0..5 {
            let d = l[i] as i128 - p[i] as i128 + carry;
            t[i] = (d & M51 as i128) as u64;
            carry = d >> 51;
        }
        let keep = (carry >> 127) as u64; // all ones when l < p
        for i in 0..5 {
            l[i] = (l[i] & keep) | (t[i] & !keep);
        }
        let mut out = [0u8; 32];
        let mut acc: u128 = 0;
        let mut bits = 0;
        let mut n = 0;
        for limb in l {
            acc |= u128::from(limb) << bits;
            bits += 51;
            while bits >= 8 && n < 32 {
                out[n] = acc as u8;
                acc >>= 8;
                bits -= 8;
                n += 1;
            }
        }
        if n < 32 {
            out[n] = acc as u8;
        }
        out
    }

    fn ct_eq(&self, o: &Fe25519) -> Choice {
        self.to_le().ct_eq(&o.to_le())
    }

    /// `b` where `c`, else `a`.
    fn select(a: &Fe25519, b: &Fe25519, c: Choice) -> Fe25519 {
        Fe25519(std::array::from_fn(|i| {
            u64::conditional_select(&a.0[i], &b.0[i], c)
        }))
    }
}

/// An element of GF(2^448 - 2^224 - 1) in 8 limbs of 56 bits, kept a little
/// above 2^56 at most between operations.
#[derive(Clone, Copy)]
struct Fe448([u64; 8]);

const M56: u64 = (1 << 56) - 1;

impl Fe448 {
    const ZERO: Fe448 = Fe448([0; 8]);
    const ONE: Fe448 = Fe448([1, 0, 0, 0, 0, 0, 0, 0]);

    /// d = -39081 of Edwards448.
    fn d() -> Fe448 {
        Fe448::ZERO.sub(&Fe448::from_u64(39081))
    }

    fn from_u64(v: u64) -> Fe448 {
        Fe448([v & M56, v >> 56, 0, 0, 0, 0, 0, 0])
    }

    fn from_hex(h: &str) -> Fe448 {
        let mut be = [0u8; 56];
        for (i, b) in be.iter_mut().enumerate() {
            *b = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
        Fe448::from_le(&reversed::<56>(&be))
    }

    /// The element for 448 little-endian bits (a value ≥ p is fine).
    fn from_le(b: &[u8; 56]) -> Fe448 {
        let mut l = [0u64; 8];
        for (i, limb) in l.iter_mut().enumerate() {
            let mut w = [0u8; 8];
            w[..7].copy_from_slice(&b[7 * i..7 * i + 7]);
            *limb = u64::from_le_bytes(w);
        }
        Fe448(l)
    }

    /// The element for a big-endian 56-byte number below p; None otherwise.
    fn from_canonical_be(b: &[u8]) -> Option<Fe448> {
        let le: [u8; 56] = reversed(b);
        let f = Fe448::from_le(&le);
        (f.to_le() == le).then_some(f)
    }

    /// One carry pass; the carry out of 2^448 comes back as 2^224 + 1.
    fn carry(mut l: [u64; 8]) -> Fe448 {
        for i in 0..7 {
            l[i + 1] += l[i] >> 56;
            l[i] &= M56;
        }
        let c = l[7] >> 56;
        l[7] &= M56;
        l[0] += c;
        l[4] += c;
        Fe448(l)
    }

    fn add(&self, o: &Fe448) -> Fe448 {
        let mut l = self.0;
        for (a, b) in l.iter_mut().zip(o.0) {
            *a += b;
        }
        Fe448::carry(l)
    }

    /// self - o, as self + 2p - o so no limb goes negative.
    fn sub(&self, o: &Fe448) -> Fe448 {
        Fe448::carry(std::array::from_fn(|i| {
            let two_p = if i == 4 { 2 * (M56 - 1) } else { 2 * M56 };
            self.0[i] + two_p - o.0[i]
        }))
    }

    fn mul(&self, o: &Fe448) -> Fe448 {
        let a = self.0.map(u128::from);
        let b = o.0.map(u128::from);
        let mut c = [0u128; 15];
        for i in 0..8 {
            for j in 0..8 {
                c[i + j] += a[i] * b[j];
            }
        }
        // 2^448 = 2^224 + 1 (mod p): limb k ≥ 8 folds into k - 4 and k - 8;
        // from the top down, so what lands at 8..11 is folded again.
        for k in (8..15).rev() {
            c[k - 4] += c[k];
            c[k - 8] += c[k];
        }
        let mut l = [0u128; 8];
        l.copy_from_slice(&c[..8]);
        for _ in 0..2 {
            for i in 0..7 {
                l[i + 1] += l[i] >> 56;
                l[i] &= M56 as u128;
            }
            let top = l[7] >> 56;
            l[7] &= M56 as u128;
            l[0] += top;
            l[4] += top;
        }
        Fe448::carry(l.map(|v| v as u64))
    }

    fn square(&self) -> Fe448 {
        self.mul(self)
    }

    /// self^(p-2) = self^-1 (0 for 0). The exponent 2^448 - 2^224 - 3 has
    /// every bit set but bits 1 and 224; it is public, so the work is fixed.
    fn invert(&self) -> Fe448 {
        let mut r = Fe448::ONE;
        for i in (0..448).rev() {
            r = r.square();
            if i != 1 && i != 224 {
                r = r.mul(self);
            }
        }
        r
    }

    /// Canonical little-endian bytes.
    fn to_le(self) -> [u8; 56] {
        let mut l = Fe448::carry(Fe448::carry(self.0).0).0;
        for i in 0..7 {
            l[i + 1] += l[i] >> 56;
            l[i] &= M56;
        }
        // Now l[0..7] < 2^56 and the value is below 2p: subtract p once if it fits.
        let mut t = [0u64; 8];
        let mut carry: i128 = 0;
        for i in 0..8 {
            let p = if i == 4 { M56 - 1 } else { M56 };
            let d = l[i] as i128 - p as i128 + carry;
            t[i] = (d & M56 as i128) as u64;
            carry = d >> 56;
        }
        let keep = (carry >> 127) as u64; // all ones when l < p
        let mut out = [0u8; 56];
        for i in 0..8 {
            let v = (l[i] & keep) | (t[i] & !keep);
            out[7 * i..7 * i + 7].copy_from_slice(&v.to_le_bytes()[..7]);
        }
        out
    }

    fn ct_eq(&self, o: &Fe448) -> Choice {
        self.to_le().ct_eq(&o.to_le())
    }

    fn cswap(a: &mut Fe448, b: &mut Fe448, c: Choice) {
        for i in 0..8 {
            u64::conditional_swap(&mut a.0[i], &mut b.0[i], c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fe448_inverse_and_encoding() {
        let a = Fe448::from_hex("4f1970c66bed0ded221d15a622bf36da9e146570470f1767ea6de324a3d3a46412ae1af72ab66511433b80e18b00938e2626a82bc70cc05e");
        let one = a.mul(&a.invert());
        assert_eq!(one.to_le(), Fe448::ONE.to_le());
        // p itself encodes as zero; p - 1 stays.
        let mut p_le = [0xffu8; 56];
        p_le[28] = 0xfe;
        assert_eq!(Fe448::from_le(&p_le).to_le(), [0u8; 56]);
        assert!(Fe448::from_canonical_be(&reversed::<56>(&p_le)).is_none());
        let minus_one = Fe448::ZERO.sub(&Fe448::ONE).to_le();
        let mut expect = p_le;
        expect[0] = 0xfe;
        assert_eq!(minus_one, expect);
    }

    #[test]
    fn fe25519_encoding() {
        let minus_one = Fe25519::ZERO.sub(&Fe25519::ONE).to_le();
        let mut expect = [0xffu8; 32];
        expect[0] = 0xec;
        expect[31] = 0x7f;
        assert_eq!(minus_one, expect);
        let i = Fe25519::sqrt_m1();
        assert_eq!(i.square().to_le(), minus_one);
        // p encodes as zero and is not canonical.
        let mut p_le = expect;
        p_le[0] = 0xed;
        assert_eq!(Fe25519::from_le(&p_le).to_le(), [0u8; 32]);
        assert!(Fe25519::from_canonical_be(&reversed::<32>(&p_le)).is_none());
    }

    #[test]
    fn ed448_base_point_is_on_the_curve() {
        let b = Ed448Point::base();
        let mut x = [0u8; 64];
        let mut y = [0u8; 64];
        x[8..].copy_from_slice(&reversed::<56>(&b.x.to_le()));
        y[8..].copy_from_slice(&reversed::<56>(&b.y.to_le()));
        assert!(Ed448Point::from_affine_be(&x, &y).is_ok());
        y[63] ^= 1;
        assert!(Ed448Point::from_affine_be(&x, &y).is_err());
    }
}
