//! Point multiply and point verify on prime-field Weierstrass curves
//! y² = x³ + ax + b, as QAT's EC service describes them (`cpa_cy_ec.h`:
//! the generic calls on a `CpaCyEcCurve`, and the older calls whose op data
//! carries the curve, with the field prime named `q` and no group order),
//! and ECDH's point multiply (`cpa_cy_ecdh.h`).
//!
//! Two back ends, chosen by the curve's public parameters:
//! - when (p, a, b) are those of NIST P-256, P-384 or P-521, aws-lc's
//!   named group (constant time);
//! - any other prime curve up to 512 bits goes through the hand-written
//!   constant-time Montgomery ladder of `ec_generic` (no order is given,
//!   so aws-lc's custom groups, which need one, cannot be used). As in
//!   QAT, wider curves must be P-521.
//!
//! Results: a product at infinity is QAT's "output invalid" (status
//! success, multiply status false): `Ok(false)` with zeroed outputs.
//! Binary-field curves are refused with [`BINARY_UNSUPPORTED`] — the
//! service reports CPA_STATUS_UNSUPPORTED for them.
//!
//! Secrets: `k` goes only into constant-time multiplies; the checks made
//! on it (non-zero, fits the field) decide only whether it is refused.

use std::sync::OnceLock;

use super::bn::{Bn, BnCtx};
use super::ec_generic::{self, with_width};
pub use super::ec_sys::Named as NistCurve;
use super::ec_sys::{Group, Named, Point};
use super::{AsymError, AsymResult};

/// `CpaCyEcFieldType`: the field a curve is defined over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// GF(p), p prime.
    Prime = 1,
    /// GF(2^m): not supported here.
    Binary = 2,
}

/// `CpaCyEcCurveType`: the curve families of the generic calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveType {
    /// Weierstrass over a prime field.
    WeierstrassPrime = 1,
    /// Weierstrass over a binary field: not supported here.
    WeierstrassBinary = 2,
    /// Koblitz over a binary field: not supported here.
    WeierstrassKoblitzBinary = 3,
}

impl FieldType {
    /// The field type with CPA value `v` (`CpaCyEcFieldType`).
    pub fn from_cpa(v: u32) -> Option<FieldType> {
        [FieldType::Prime, FieldType::Binary]
            .into_iter()
            .find(|f| *f as u32 == v)
    }
}

impl CurveType {
    /// The curve type with CPA value `v` (`CpaCyEcCurveType`).
    pub fn from_cpa(v: u32) -> Option<CurveType> {
        [
            CurveType::WeierstrassPrime,
            CurveType::WeierstrassBinary,
            CurveType::WeierstrassKoblitzBinary,
        ]
        .into_iter()
        .find(|c| *c as u32 == v)
    }
}

/// The refusal of a binary-field curve.
pub const BINARY_UNSUPPORTED: &str =
    "binary-field curves are not supported (the service reports CPA_STATUS_UNSUPPORTED)";

/// `CpaCyEcCurveParametersWeierstrass`: y² = x³ + ax + b over GF(p) with
/// cofactor h (an empty `h` means 1, as QAT's NULL cofactor does).
#[derive(Debug, Clone, Copy)]
pub struct WeierstrassParameters<'a> {
    /// Prime or binary field.
    pub field_type: FieldType,
    /// The field prime.
    pub p: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// Cofactor (empty: 1).
    pub h: &'a [u8],
}

/// `CpaCyEcCurve`: a curve type and its parameters.
#[derive(Debug, Clone, Copy)]
pub struct Curve<'a> {
    /// The family; only [`CurveType::WeierstrassPrime`] is supported.
    pub curve_type: CurveType,
    /// The curve.
    pub parameters: WeierstrassParameters<'a>,
}

/// `CpaCyEcGenericPointMultiplyOpData`: `[k]P`, or `[k]G` for a NIST curve
/// when `generator` is set (then `xp`, `yp` are ignored).
#[derive(Debug, Clone, Copy)]
pub struct GenericPointMultiply<'a> {
    /// The secret scalar, non-zero.
    pub k: &'a [u8],
    /// x of P.
    pub xp: &'a [u8],
    /// y of P.
    pub yp: &'a [u8],
    /// The curve.
    pub curve: &'a Curve<'a>,
    /// Multiply the curve's generator instead of P (NIST curves only).
    pub generator: bool,
}

/// `CpaCyEcGenericPointVerifyOpData`: is (x, y) on the curve?
#[derive(Debug, Clone, Copy)]
pub struct GenericPointVerify<'a> {
    /// x of the candidate.
    pub xp: &'a [u8],
    /// y of the candidate.
    pub yp: &'a [u8],
    /// The curve.
    pub curve: &'a Curve<'a>,
}

/// `CpaCyEcPointMultiplyOpData` (the older call): `[h·k](xg, yg)`.
#[derive(Debug, Clone, Copy)]
pub struct PointMultiply<'a> {
    /// The secret scalar, non-zero.
    pub k: &'a [u8],
    /// x of the point.
    pub xg: &'a [u8],
    /// y of the point.
    pub yg: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Cofactor (empty: 1).
    pub h: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// `CpaCyEcPointVerifyOpData` (the older call).
#[derive(Debug, Clone, Copy)]
pub struct PointVerify<'a> {
    /// x of the candidate.
    pub xq: &'a [u8],
    /// y of the candidate.
    pub yq: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
}

/// `CpaCyEcdhPointMultiplyOpData`: the ECDH shared point `[h·k](xg, yg)`,
/// with the peer's point checked first when `point_verify` is set.
#[derive(Debug, Clone, Copy)]
pub struct EcdhPointMultiply<'a> {
    /// The private scalar, non-zero.
    pub k: &'a [u8],
    /// x of the peer's point.
    pub xg: &'a [u8],
    /// y of the peer's point.
    pub yg: &'a [u8],
    /// Coefficient a.
    pub a: &'a [u8],
    /// Coefficient b.
    pub b: &'a [u8],
    /// The field prime.
    pub q: &'a [u8],
    /// Cofactor (empty: 1).
    pub h: &'a [u8],
    /// Prime or binary field.
    pub field_type: FieldType,
    /// Verify the point is on the curve before multiplying.
    pub point_verify: bool,
}

/// A curve's affine point, coordinates as wide as the field prime.
pub(crate) struct Affine {
    pub(crate) x: Vec<u8>,
    pub(crate) y: Vec<u8>,
}

/// A validated prime-field curve and the back end that computes on it.
pub(crate) struct PrimeCurve {
    pub(crate) p: Bn,
    pub(crate) a: Bn,
    pub(crate) b: Bn,
    pub(crate) named: Option<Named>,
    pub(crate) field_bytes: usize,
}

/// A NIST curve's public parameters as minimal big-endian bytes (no
/// leading zeros), read once from aws-lc: recognising a caller's curve is
/// then a byte comparison.
pub(crate) struct NamedParams {
    pub(crate) p: Vec<u8>,
    pub(crate) a: Vec<u8>,
    pub(crate) b: Vec<u8>,
    pub(crate) gx: Vec<u8>,
    pub(crate) gy: Vec<u8>,
    pub(crate) n: Vec<u8>,
}

fn read_named(c: Named) -> AsymResult<NamedParams> {
    let mut ctx = BnCtx::new()?;
    let g = Group::named(c)?;
    let (p, a, b) = g.curve(&mut ctx)?;
    let (gx, gy) = g.generator(&mut ctx)?;
    let n = g.order()?;
    Ok(NamedParams {
        p: p.to_be_vec(),
        a: a.to_be_vec(),
        b: b.to_be_vec(),
        gx: gx.to_be_vec(),
        gy: gy.to_be_vec(),
        n: n.to_be_vec(),
    })
}

/// The parameters of the named curve `c`, read from aws-lc on first use.
pub(crate) fn named_params(c: Named) -> AsymResult<&'static NamedParams> {
    static TABLE: [OnceLock<NamedParams>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let cell = &TABLE[c as usize];
    if let Some(t) = cell.get() {
        return Ok(t);
    }
    // A failed read (allocation) is not stored: the next call retries.
    let t = read_named(c)?;
    Ok(cell.get_or_init(|| t))
}

/// A NIST curve's parameters as a QAT caller passes them: every number
/// as long as the field (p, a, b, the generator) or the order (n), with
/// leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NistCurveParams {
    /// The field prime p (`q` in the older calls).
    pub p: Vec<u8>,
    /// Coefficient a.
    pub a: Vec<u8>,
    /// Coefficient b.
    pub b: Vec<u8>,
    /// The order n of the generator.
    pub n: Vec<u8>,
    /// x of the generator.
    pub gx: Vec<u8>,
    /// y of the generator.
    pub gy: Vec<u8>,
}

/// The parameters of NIST curve `c` (read from aws-lc), padded as
/// [`NistCurveParams`] says: what a caller puts in `CpaCyEcdsaSignRSOpData`
/// and the other EC op data.
pub fn nist_curve(c: NistCurve) -> AsymResult<NistCurveParams> {
    let t = named_params(c)?;
    let width = t.p.len();
    let pad = |v: &[u8], w: usize| {
        let mut out = vec![0u8; w.saturating_sub(v.len())];
        out.extend_from_slice(v);
        out
    };
    Ok(NistCurveParams {
        p: t.p.clone(),
        a: pad(&t.a, width),
        b: pad(&t.b, width),
        n: pad(&t.n, t.n.len()),
        gx: pad(&t.gx, width),
        gy: pad(&t.gy, width),
    })
}

/// `v` without its leading zero bytes.
pub(crate) fn minimal(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    &v[start..]
}

/// The NIST curve with field prime `p` and coefficients `a`, `b` (public
/// big-endian numbers, leading zeros allowed), if it is one.
pub(crate) fn recognise(p: &[u8], a: &[u8], b: &[u8]) -> Option<Named> {
    let (p, a, b) = (minimal(p), minimal(a), minimal(b));
    Named::ALL
        .into_iter()
        .find(|&c| named_params(c).is_ok_and(|t| t.p == p && t.a == a && t.b == b))
}

/// Whether all bytes are zero, reading every byte (for secrets).
pub(crate) fn ct_is_zero(v: &[u8]) -> bool {
    v.iter().fold(0u8, |acc, &b| acc | b) == 0
}

/// Refuses an operand wider than QAT's 576-bit EC limit.
pub(crate) fn check_width(v: &[u8], what: &'static str) -> AsymResult<()> {
    if Bn::from_be(v)?.bits() > ec_generic::MAX_BITS {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(())
}

impl PrimeCurve {
    /// Checks the field type and parameters: p odd and > 3, at most 576
    /// bits and, past 512 bits, P-521 (as QAT's 9-quadword path demands);
    /// a and b below p; the curve not singular.
    pub(crate) fn new(
        field_type: FieldType,
        p: &[u8],
        a: &[u8],
        b: &[u8],
        ctx: &mut BnCtx,
    ) -> AsymResult<PrimeCurve> {
        if field_type == FieldType::Binary {
            return Err(AsymError::InvalidParam(BINARY_UNSUPPORTED));
        }
        check_width(p, "the field prime is wider than 576 bits")?;
        let p = Bn::from_be(p)?;
        if p.bits() < 3 || !p.is_odd() {
            return Err(AsymError::InvalidParam(
                "the field prime must be odd and greater than 3",
            ));
        }
        let (a, b) = (Bn::from_be(a)?, Bn::from_be(b)?);
        if a >= p || b >= p {
            return Err(AsymError::InvalidParam(
                "the curve coefficients must be below the field prime",
            ));
        }
        // 4a³ + 27b² ≠ 0: a singular cubic is no elliptic curve.
        let a2 = ctx.mod_mul(&a, &a, &p)?;
        let a3 = ctx.mod_mul(&a2, &a, &p)?;
        let b2 = ctx.mod_mul(&b, &b, &p)?;
        let a3x4 = ctx.mod_mul(&Bn::from_u64(4)?, &a3, &p)?;
        let b2x27 = ctx.mod_mul(&Bn::from_u64(27)?, &b2, &p)?;
        let disc = ctx.mod_add(&a3x4, &b2x27, &p)?;
        if disc.is_zero() {
            return Err(AsymError::InvalidParam("the curve is singular"));
        }
        let named = recognise(&p.to_be_vec(), &a.to_be_vec(), &b.to_be_vec());
        if p.bits() > 512 && named.is_none() {
            return Err(AsymError::InvalidParam(
                "curves over fields wider than 512 bits must be NIST P-521",
            ));
        }
        let field_bytes = p.byte_len();
        Ok(PrimeCurve {
            p,
            a,
            b,
            named,
            field_bytes,
        })
    }

    /// Whether (x, y) is a finite point of the curve with coordinates
    /// below p; (0, 0) counts as the point at infinity, so not.
    pub(crate) fn contains(&self, x: &Bn, y: &Bn, ctx: &mut BnCtx) -> AsymResult<bool> {
        if x >= &self.p || y >= &self.p || (x.is_zero() && y.is_zero()) {
            return Ok(false);
        }
        let p = &self.p;
        let y2 = ctx.mod_mul(y, y, p)?;
        let x2 = ctx.mod_mul(x, x, p)?;
        let x3 = ctx.mod_mul(&x2, x, p)?;
        let ax = ctx.mod_mul(&self.a, x, p)?;
        let sum = ctx.mod_add(&x3, &ax, p)?;
        let rhs = ctx.mod_add(&sum, &self.b, p)?;
        Ok(y2 == rhs)
    }

    fn affine_from_bn(&self, x: &Bn, y: &Bn) -> AsymResult<Affine> {
        let mut ax = vec![0u8; self.field_bytes];
        let mut ay = vec![0u8; self.field_bytes];
        x.write_be(&mut ax, "x")?;
        y.write_be(&mut ay, "y")?;
        Ok(Affine { x: ax, y: ay })
    }

    fn affine_from_wide(&self, x: &[u8], y: &[u8]) -> Affine {
        // The ladder's coordinates are below p: their extra leading bytes
        // are zero.
        Affine {
            x: x[x.len() - self.field_bytes..].to_vec(),
            y: y[y.len() - self.field_bytes..].to_vec(),
        }
    }

    /// `[k]P` for a point P = (x, y) already checked to be on the curve;
    /// `None` at infinity. `k` non-zero is the caller's check.
    pub(crate) fn mul(
        &self,
        k: &[u8],
        x: &Bn,
        y: &Bn,
        ctx: &mut BnCtx,
    ) -> AsymResult<Option<Affine>> {
        if let Some(c) = self.named {
            let g = Group::named(c)?;
            let mut pt = Point::new(&g)?;
            pt.set_affine(&g, x, y, ctx)?;
            let r = Point::mul(&g, None, Some((&pt, &Bn::from_be(k)?)), ctx)?;
            return match r.affine(&g, ctx)? {
                Some((rx, ry)) => self.affine_from_bn(&rx, &ry).map(Some),
                None => Ok(None),
            };
        }
        let (p, a, b) = (self.p.to_be_vec(), self.a.to_be_vec(), self.b.to_be_vec());
        let (xb, yb) = (x.to_be_vec(), y.to_be_vec());
        let bits = self.p.bits().max(8 * k.len().min(ec_generic::MAX_BITS / 8));
        let r = with_width!(bits, ec_generic::mul(&p, &a, &b, k, &xb, &yb))
            .map_err(AsymError::InvalidParam)?;
        Ok(r.map(|(rx, ry)| self.affine_from_wide(&rx, &ry)))
    }

    /// `[k]G` for a NIST curve's generator (`None` for other curves).
    pub(crate) fn mul_generator(
        &self,
        k: &[u8],
        ctx: &mut BnCtx,
    ) -> AsymResult<Option<Option<Affine>>> {
        let Some(c) = self.named else {
            return Ok(None);
        };
        let g = Group::named(c)?;
        let r = Point::mul(&g, Some(&Bn::from_be(k)?), None, ctx)?;
        match r.affine(&g, ctx)? {
            Some((rx, ry)) => Ok(Some(Some(self.affine_from_bn(&rx, &ry)?))),
            None => Ok(Some(None)),
        }
    }

    /// The named curve's generator, if this is one.
    pub(crate) fn generator(&self, _ctx: &mut BnCtx) -> AsymResult<Option<(Bn, Bn)>> {
        match self.named {
            Some(c) => {
                let t = named_params(c)?;
                Ok(Some((Bn::from_be(&t.gx)?, Bn::from_be(&t.gy)?)))
            }
            None => Ok(None),
        }
    }

    /// `P + Q` of public affine points (`None` is infinity), variable time.
    pub(crate) fn add_public(
        &self,
        p1: Option<(Bn, Bn)>,
        p2: Option<(Bn, Bn)>,
        ctx: &mut BnCtx,
    ) -> AsymResult<Option<(Bn, Bn)>> {
        let (Some((x1, y1)), Some((x2, y2))) = (&p1, &p2) else {
            return Ok(p1.or(p2));
        };
        let p = &self.p;
        let l = if x1 == x2 {
            if ctx.mod_add(y1, y2, p)?.is_zero() {
                return Ok(None);
            }
            // (3x² + a) / 2y
            let xx = ctx.mod_mul(x1, x1, p)?;
            let xx3 = ctx.mod_mul(&Bn::from_u64(3)?, &xx, p)?;
            let num = ctx.mod_add(&xx3, &self.a, p)?;
            let den = ctx.mod_add(y1, y1, p)?;
            let inv = ctx.mod_inverse_public(&den, p)?;
            ctx.mod_mul(&num, &inv, p)?
        } else {
            let num = ctx.mod_sub(y2, y1, p)?;
            let den = ctx.mod_sub(x2, x1, p)?;
            let inv = ctx.mod_inverse_public(&den, p)?;
            ctx.mod_mul(&num, &inv, p)?
        };
        let ll = ctx.mod_mul(&l, &l, p)?;
        let ll_x1 = ctx.mod_sub(&ll, x1, p)?;
        let x3 = ctx.mod_sub(&ll_x1, x2, p)?;
        let dx = ctx.mod_sub(x1, &x3, p)?;
        let ldx = ctx.mod_mul(&l, &dx, p)?;
        let y3 = ctx.mod_sub(&ldx, y1, p)?;
        Ok(Some((x3, y3)))
    }
}

/// The multiply shared by the three point-multiply calls: checks, the
/// cofactor, then `[k]`. `Ok(None)` is a product at infinity (or, with
/// `off_curve`, a point off the curve).
fn multiply_point(
    curve: &PrimeCurve,
    k: &[u8],
    x: &[u8],
    y: &[u8],
    h: &[u8],
    off_curve: Option<()>,
    ctx: &mut BnCtx,
) -> AsymResult<Option<Affine>> {
    check_width(k, "k is wider than 576 bits")?;
    if ct_is_zero(k) {
        return Err(AsymError::InvalidParam("k is zero"));
    }
    let (x, y) = (Bn::from_be(x)?, Bn::from_be(y)?);
    if !curve.contains(&x, &y, ctx)? {
        // ECDH with point verification reports an off-curve point as an
        // invalid output; everywhere else it is an invalid parameter.
        return match off_curve {
            Some(()) => Ok(None),
            None => Err(AsymError::InvalidParam("the point is not on the curve")),
        };
    }
    let h = if h.is_empty() {
        Bn::from_u64(1)?
    } else {
        Bn::from_be(h)?
    };
    if h.is_zero() {
        return Err(AsymError::InvalidParam("the cofactor is zero"));
    }
    let (x, y) = if h.is_one() {
        (x, y)
    } else {
        // The cofactor is public: [h]P first, then the secret [k].
        match curve.mul(&h.to_be_vec(), &x, &y, ctx)? {
            Some(q) => (Bn::from_be(&q.x)?, Bn::from_be(&q.y)?),
            None => return Ok(None),
        }
    };
    curve.mul(k, &x, &y, ctx)
}

/// Writes a product into the caller's outputs: `Ok(true)` with the
/// coordinates, or `Ok(false)` and zeros for the point at infinity.
pub(crate) fn write_point(
    r: Option<Affine>,
    field_bytes: usize,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    if out_x.len() < field_bytes || out_y.len() < field_bytes {
        return Err(AsymError::InvalidParam(
            "an output coordinate is shorter than the field prime",
        ));
    }
    match r {
        Some(pt) => {
            ec_generic::write_right_aligned(&pt.x, out_x, "x").map_err(AsymError::InvalidParam)?;
            ec_generic::write_right_aligned(&pt.y, out_y, "y").map_err(AsymError::InvalidParam)?;
            Ok(true)
        }
        None => {
            out_x.fill(0);
            out_y.fill(0);
            Ok(false)
        }
    }
}

fn prime_params<'a>(curve: &'a Curve<'a>) -> AsymResult<&'a WeierstrassParameters<'a>> {
    if curve.curve_type != CurveType::WeierstrassPrime {
        return Err(AsymError::InvalidParam(BINARY_UNSUPPORTED));
    }
    Ok(&curve.parameters)
}

/// `cpaCyEcGenericPointMultiply`: writes `[h·k]P` (or `[k]G` for a NIST
/// curve with `generator`) into `out_x`, `out_y` (each at least as wide as
/// p). `Ok(false)` when the product is the point at infinity.
pub fn generic_point_multiply(
    op: &GenericPointMultiply<'_>,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    let w = prime_params(op.curve)?;
    let mut ctx = BnCtx::new()?;
    let curve = PrimeCurve::new(w.field_type, w.p, w.a, w.b, &mut ctx)?;
    let r = if op.generator {
        check_width(op.k, "k is wider than 576 bits")?;
        if ct_is_zero(op.k) {
            return Err(AsymError::InvalidParam("k is zero"));
        }
        curve
            .mul_generator(op.k, &mut ctx)?
            .ok_or(AsymError::InvalidParam(
                "a generator is known only for the NIST curves P-256, P-384 and P-521",
            ))?
    } else {
        multiply_point(&curve, op.k, op.xp, op.yp, w.h, None, &mut ctx)?
    };
    write_point(r, curve.field_bytes, out_x, out_y)
}

/// `cpaCyEcGenericPointVerify`: whether (x, y) is a point of the curve
/// (coordinates below p, not the point at infinity).
pub fn generic_point_verify(op: &GenericPointVerify<'_>) -> AsymResult<bool> {
    let w = prime_params(op.curve)?;
    point_verify(&PointVerify {
        xq: op.xp,
        yq: op.yp,
        q: w.p,
        a: w.a,
        b: w.b,
        field_type: w.field_type,
    })
}

/// `cpaCyEcPointMultiply`: writes `[h·k](xg, yg)`; `Ok(false)` at infinity.
pub fn point_multiply(
    op: &PointMultiply<'_>,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    let mut ctx = BnCtx::new()?;
    let curve = PrimeCurve::new(op.field_type, op.q, op.a, op.b, &mut ctx)?;
    let r = multiply_point(&curve, op.k, op.xg, op.yg, op.h, None, &mut ctx)?;
    write_point(r, curve.field_bytes, out_x, out_y)
}

/// `cpaCyEcPointVerify`: whether (xq, yq) is a point of the curve.
pub fn point_verify(op: &PointVerify<'_>) -> AsymResult<bool> {
    let mut ctx = BnCtx::new()?;
    let curve = PrimeCurve::new(op.field_type, op.q, op.a, op.b, &mut ctx)?;
    check_width(op.xq, "x is wider than 576 bits")?;
    check_width(op.yq, "y is wider than 576 bits")?;
    curve.contains(&Bn::from_be(op.xq)?, &Bn::from_be(op.yq)?, &mut ctx)
}

/// `cpaCyEcdhPointMultiply`: writes the shared point `[h·k](xg, yg)`.
/// `Ok(false)` (QAT's multiply status false) when the product is the point
/// at infinity or, with `point_verify`, when the peer's point is not on the
/// curve; without `point_verify` an off-curve point is `InvalidParam`
/// (it is never multiplied).
pub fn ecdh_point_multiply(
    op: &EcdhPointMultiply<'_>,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    let mut ctx = BnCtx::new()?;
    let curve = PrimeCurve::new(op.field_type, op.q, op.a, op.b, &mut ctx)?;
    let off = op.point_verify.then_some(());
    let r = multiply_point(&curve, op.k, op.xg, op.yg, op.h, off, &mut ctx)?;
    write_point(r, curve.field_bytes, out_x, out_y)
}
