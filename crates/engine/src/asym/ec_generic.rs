//! Constant-time arithmetic for curves aws-lc cannot take: scalar
//! multiplication on any short Weierstrass curve y² = x³ + ax + b over
//! GF(p) whose order is not known (QAT's point multiply gives no order),
//! and the secret scalar arithmetic modulo a group order n (ECDSA's s,
//! SM2's s and key-exchange t).
//!
//! Written by hand because no crate takes an arbitrary curve at run time:
//! field elements are crypto-bigint's fixed-width Montgomery residues with
//! a run-time modulus (constant time by construction), points are
//! projective, and additions use the complete formulas of Renes, Costello
//! and Batina (2016, algorithm 1, any `a`). The scalar multiply is a
//! Montgomery ladder over every bit of the fixed-width scalar — the same
//! number of iterations, additions and conditional swaps whatever its value.
//!
//! The complete formulas have no exceptional inputs on curves of odd order;
//! on even-order curves the only exceptional sums are those whose operands
//! differ by a point of order two. In the ladder the operands always differ
//! by the input point, so an input of order two (y = 0, public) is handled
//! apart, without the ladder.

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use crypto_bigint::{Integer, Limb, Uint, Word};

/// Widest number handled: QAT's 576-bit limit for EC operands.
pub(crate) const MAX_BITS: usize = 576;

/// Calls `$f::<L>(args)` with the limb count `L` that holds `$bits` bits.
macro_rules! with_width {
    ($bits:expr, $($f:ident)::+ ( $($arg:expr),* $(,)? )) => {
        match $bits {
            0..=256 => $($f)::+::<4>($($arg),*),
            257..=384 => $($f)::+::<6>($($arg),*),
            385..=512 => $($f)::+::<8>($($arg),*),
            _ => $($f)::+::<9>($($arg),*),
        }
    };
}
pub(crate) use with_width;

/// The number whose big-endian bytes are `bytes`, or `None` when it does not
/// fit `L` limbs. Constant time in the value: every byte is read the same
/// way, and only the final too-wide verdict branches.
pub(crate) fn uint_from_be<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let cap = L * Limb::BYTES;
    let split = bytes.len().saturating_sub(cap);
    let (head, tail) = bytes.split_at(split);
    let overflow = head.iter().fold(0u8, |acc, &b| acc | b);
    let mut words = [0 as Word; L];
    for (i, &byte) in tail.iter().rev().enumerate() {
        words[i / Limb::BYTES] |= Word::from(byte) << (8 * (i % Limb::BYTES));
    }
    if overflow != 0 {
        return None;
    }
    Some(Uint::from_words(words))
}

/// The `L * Limb::BYTES` big-endian bytes of `x`.
pub(crate) fn uint_to_be<const L: usize>(x: &Uint<L>) -> Vec<u8> {
    let mut out = vec![0u8; L * Limb::BYTES];
    for (i, w) in x.as_words().iter().enumerate() {
        let at = (L - 1 - i) * Limb::BYTES;
        out[at..at + Limb::BYTES].copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// Writes the big-endian `value` right-aligned into all of `out`; the
/// leading bytes that do not fit must be zero (checked without branching
/// on the value until the verdict). `what` names the output.
pub(crate) fn write_right_aligned(
    value: &[u8],
    out: &mut [u8],
    what: &'static str,
) -> Result<(), &'static str> {
    if out.len() >= value.len() {
        let pad = out.len() - value.len();
        out[..pad].fill(0);
        out[pad..].copy_from_slice(value);
        return Ok(());
    }
    let cut = value.len() - out.len();
    if value[..cut].iter().fold(0u8, |acc, &b| acc | b) != 0 {
        return Err(what);
    }
    out.copy_from_slice(&value[cut..]);
    Ok(())
}

type Fe<const L: usize> = DynResidue<L>;

/// A projective point (X : Y : Z); Z = 0 is the point at infinity.
#[derive(Clone, Copy)]
struct Proj<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

impl<const L: usize> Proj<L> {
    fn swap(a: &mut Self, b: &mut Self, c: Choice) {
        Fe::conditional_swap(&mut a.x, &mut b.x, c);
        Fe::conditional_swap(&mut a.y, &mut b.y, c);
        Fe::conditional_swap(&mut a.z, &mut b.z, c);
    }

    fn select(a: &Self, b: &Self, c: Choice) -> Self {
        Proj {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
        }
    }
}

/// A curve y² = x³ + ax + b over GF(p), p odd, in `L` limbs.
struct Curve<const L: usize> {
    params: DynResidueParams<L>,
    a: Fe<L>,
    b3: Fe<L>,
}

impl<const L: usize> Curve<L> {
    fn new(p: &Uint<L>, a: &Uint<L>, b: &Uint<L>) -> Curve<L> {
        let params = DynResidueParams::new(p);
        let b = Fe::new(b, params);
        Curve {
            params,
            a: Fe::new(a, params),
            b3: b + b + b,
        }
    }

    fn infinity(&self) -> Proj<L> {
        Proj {
            x: Fe::zero(self.params),
            y: Fe::one(self.params),
            z: Fe::zero(self.params),
        }
    }

    /// P + Q for any P, Q (complete formulas, see the module notes).
    // Kept in the paper's three-address form so it can be checked against
    // algorithm 1 line by line.
    #[allow(clippy::assign_op_pattern)]
    fn add(&self, p: &Proj<L>, q: &Proj<L>) -> Proj<L> {
        let (a, b3) = (self.a, self.b3);
        let mut t0 = p.x * q.x;
        let mut t1 = p.y * q.y;
        let mut t2 = p.z * q.z;
        let mut t3 = (p.x + p.y) * (q.x + q.y);
        let mut t4 = t0 + t1;
        t3 = t3 - t4; // X1Y2 + X2Y1
        t4 = (p.x + p.z) * (q.x + q.z);
        let mut t5 = t0 + t2;
        t4 = t4 - t5; // X1Z2 + X2Z1
        t5 = (p.y + p.z) * (q.y + q.z);
        let mut x3 = t1 + t2;
        t5 = t5 - x3; // Y1Z2 + Y2Z1
        let mut z3 = a * t4;
        x3 = b3 * t2;
        z3 = x3 + z3;
        x3 = t1 - z3;
        z3 = t1 + z3;
        let mut y3 = x3 * z3;
        t1 = t0 + t0;
        t1 = t1 + t0;
        t2 = a * t2;
        t4 = b3 * t4;
        t1 = t1 + t2;
        t2 = t0 - t2;
        t2 = a * t2;
        t4 = t4 + t2;
        t0 = t1 * t4;
        y3 = y3 + t0;
        t0 = t5 * t4;
        x3 = t3 * x3;
        x3 = x3 - t0;
        t0 = t3 * t1;
        z3 = t5 * z3;
        z3 = z3 + t0;
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// [k]P by a Montgomery ladder over all `64 * L` bits of `k`.
    fn ladder(&self, k: &Uint<L>, p: &Proj<L>) -> Proj<L> {
        let mut r0 = self.infinity();
        let mut r1 = *p;
        for i in (0..L * Limb::BITS).rev() {
            let bit = Choice::from(k.bit(i));
            Proj::swap(&mut r0, &mut r1, bit);
            r1 = self.add(&r0, &r1);
            r0 = self.add(&r0, &r0);
            Proj::swap(&mut r0, &mut r1, bit);
        }
        r0
    }

    /// Affine coordinates, `None` at infinity. The inversion is constant
    /// time; only the infinity verdict (a documented output) branches.
    fn to_affine(&self, p: &Proj<L>) -> Option<(Uint<L>, Uint<L>)> {
        let (zinv, invertible) = p.z.invert();
        if !bool::from(invertible) {
            return None;
        }
        Some(((p.x * zinv).retrieve(), (p.y * zinv).retrieve()))
    }
}

/// Big-endian affine coordinates (x, y).
pub(crate) type AffineBytes = (Vec<u8>, Vec<u8>);

/// `[k]P` on y² = x³ + ax + b over GF(p) (all public values reduced below
/// the odd `p`, `P = (x, y)` on the curve, checked by the caller), as
/// big-endian coordinates `L * 8` bytes wide, or `None` at infinity.
/// `Err` when `k` is wider than `L` limbs.
pub(crate) fn mul<const L: usize>(
    p: &[u8],
    a: &[u8],
    b: &[u8],
    k: &[u8],
    x: &[u8],
    y: &[u8],
) -> Result<Option<AffineBytes>, &'static str> {
    const WIDE: &str = "a curve parameter is wider than the field arithmetic";
    let u = |v: &[u8]| uint_from_be::<L>(v).ok_or(WIDE);
    let (pu, au, bu, xu, yu) = (u(p)?, u(a)?, u(b)?, u(x)?, u(y)?);
    let ku = uint_from_be::<L>(k).ok_or("k is wider than the curve's field")?;
    let curve = Curve::new(&pu, &au, &bu);
    let point = Proj {
        x: Fe::new(&xu, curve.params),
        y: Fe::new(&yu, curve.params),
        z: Fe::one(curve.params),
    };
    let r = if !bool::from(yu.ct_eq(&Uint::ZERO)) {
        curve.ladder(&ku, &point)
    } else {
        // A point of order two (public): [k]P is P for odd k, else infinity.
        Proj::select(&curve.infinity(), &point, Choice::from(ku.bit(0)))
    };
    Ok(curve
        .to_affine(&r)
        .map(|(x, y)| (uint_to_be(&x), uint_to_be(&y))))
}

/// The integers modulo an odd `n` (a group order), for secret scalars.
pub(crate) struct Zn<const L: usize>(DynResidueParams<L>);

/// An element of [`Zn`].
pub(crate) type Scalar<const L: usize> = DynResidue<L>;

impl<const L: usize> Zn<L> {
    /// `None` when `n` is even or wider than `L` limbs.
    pub(crate) fn new(n: &[u8]) -> Option<Zn<L>> {
        let n = uint_from_be::<L>(n)?;
        if !bool::from(n.is_odd()) {
            return None;
        }
        Some(Zn(DynResidueParams::new(&n)))
    }

    /// `v mod n` (constant time); `None` when `v` is wider than `L` limbs.
    pub(crate) fn elem(&self, v: &[u8]) -> Option<Scalar<L>> {
        Some(DynResidue::new(&uint_from_be::<L>(v)?, self.0))
    }

    /// The element `2^w + (v mod 2^w)` (SM2's x̄), `w < 64 * L`.
    pub(crate) fn x_bar(&self, v: &[u8], w: usize) -> Option<Scalar<L>> {
        let v = uint_from_be::<L>(v)?;
        let mask = Uint::<L>::ONE.shl_vartime(w).wrapping_sub(&Uint::ONE);
        let x = v.bitand(&mask).bitor(&Uint::ONE.shl_vartime(w));
        Some(DynResidue::new(&x, self.0))
    }

    /// The inverse, `None` for zero (constant time until that verdict).
    pub(crate) fn invert(&self, v: &Scalar<L>) -> Option<Scalar<L>> {
        let (inv, ok) = v.invert();
        bool::from(ok).then_some(inv)
    }

    /// The big-endian bytes of the element's value in `[0, n)`.
    pub(crate) fn bytes(&self, v: &Scalar<L>) -> Vec<u8> {
        uint_to_be(&v.retrieve())
    }

    /// Whether the element is zero (a public verdict on an output).
    pub(crate) fn is_zero(&self, v: &Scalar<L>) -> bool {
        bool::from(v.retrieve().ct_eq(&Uint::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_overflow() {
        let v = uint_from_be::<4>(&[0, 0, 1, 2]).unwrap();
        assert_eq!(&uint_to_be(&v)[30..], &[1, 2]);
        assert!(uint_from_be::<1>(&[1, 0, 0, 0, 0, 0, 0, 0, 0]).is_none());
        assert!(uint_from_be::<1>(&[0, 0, 0, 0, 0, 0, 0, 0, 7]).is_some());
        let mut out = [9u8; 3];
        write_right_aligned(&[0, 0, 1, 2], &mut out, "o").unwrap();
        assert_eq!(out, [0, 1, 2]);
        assert_eq!(
            write_right_aligned(&[1, 0, 0], &mut out[..2], "o"),
            Err("o")
        );
    }

    #[test]
    fn small_curve_matches_naive_affine_arithmetic() {
        // y² = x³ + 2x + 3 over GF(97): every multiple of (3, 6) by the
        // ladder equals repeated affine addition.
        let p = 97i64;
        let (a, b) = (2i64, 3i64);
        let inv = |v: i64| (1..p).find(|i| (v.rem_euclid(p) * i) % p == 1).unwrap();
        let add = |q: Option<(i64, i64)>, r: Option<(i64, i64)>| -> Option<(i64, i64)> {
            let (Some((x1, y1)), Some((x2, y2))) = (q, r) else {
                return q.or(r);
            };
            if x1 == x2 && (y1 + y2) % p == 0 {
                return None;
            }
            let l = if x1 == x2 {
                (3 * x1 * x1 + a).rem_euclid(p) * inv(2 * y1) % p
            } else {
                (y2 - y1).rem_euclid(p) * inv(x2 - x1) % p
            };
            let x3 = (l * l - x1 - x2).rem_euclid(p);
            Some((x3, (l * (x1 - x3) - y1).rem_euclid(p)))
        };
        let g = Some((3i64, 6i64));
        assert_eq!((27 + 6 + b) % p, (6 * 6) % p, "(3, 6) is on the curve");
        let mut acc = None;
        for k in 0u8..120 {
            let got = mul::<1>(&[97], &[2], &[3], &[k], &[3], &[6]).unwrap();
            let want = acc.map(|(x, y): (i64, i64)| (vec![x as u8], vec![y as u8]));
            let got = got.map(|(x, y)| (vec![x[7]], vec![y[7]]));
            assert_eq!(got, want, "k = {k}");
            acc = add(acc, g);
        }
    }
}
