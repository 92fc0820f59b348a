//! The SM2 primitives of QAT's `cpa_cy_ecsm2.h`, on the SM2 curve of
//! GB/T 32918.5 (the header follows draft-shen-sm2-ecdsa-02): point and
//! generator multiply, point verify, the signature's steps A4–A7 and
//! verification's B5–B7 (the digest e, hashed with Z, is the caller's),
//! encryption's steps A2–A4 and decryption's B1–B3 (the points only; the
//! KDF, XOR and hash are the caller's), and the key exchange's step A2/B2
//! (phase 1) and A4–A7/B3–B6 (phase 2).
//!
//! The curve goes to aws-lc as a custom group with its generator and
//! order (cofactor 1), whose scalar multiplies are constant time; the
//! secret scalar arithmetic (s, the key exchange's t) uses the fixed-width
//! residues of `ec_generic`.
//!
//! Statuses: a product at infinity from point or generator multiply, and
//! r = 0, r + k = n or s = 0 from sign, are "output invalid" (`Ok(false)`,
//! zeroed outputs). Encrypt, decrypt and the key exchange have no such
//! flag in QAT (their callbacks carry a status only): there a point at
//! infinity is `Failed`. Scalars must satisfy 0 < v < n
//! (`InvalidParam`), points given as inputs must be on the curve
//! (`InvalidParam`), and every output at least 32 bytes.

use super::bn::{Bn, BnCtx};
use super::ec::{ct_is_zero, FieldType, BINARY_UNSUPPORTED};
use super::ec_generic::{write_right_aligned, Zn};
use super::ec_sys::{Group, Point};
use super::{AsymError, AsymResult};

/// The SM2 curve (GB/T 32918.5): field prime p.
const P: &str = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF";
/// Coefficient a.
const A: &str = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC";
/// Coefficient b.
const B: &str = "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93";
/// Order n of the generator.
const N: &str = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";
/// Generator x.
const GX: &str = "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7";
/// Generator y.
const GY: &str = "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0";

/// Bytes of a coordinate or scalar of the SM2 curve.
pub const SIZE: usize = 32;

/// The key exchange's w = ⌈⌈log2 n⌉ / 2⌉ − 1 for the 256-bit n.
const W: usize = 127;

fn unhex(s: &str) -> [u8; SIZE] {
    let mut out = [0u8; SIZE];
    for (i, o) in out.iter_mut().enumerate() {
        // The constants above are 64 hex digits: this cannot fail.
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or(0);
    }
    out
}

/// `CpaCyEcsm2PointMultiplyOpData`: `[k](x, y)`.
#[derive(Debug, Clone, Copy)]
pub struct PointMultiply<'a> {
    /// The secret scalar, 0 < k < n.
    pub k: &'a [u8],
    /// x of the point.
    pub x: &'a [u8],
    /// y of the point.
    pub y: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2GeneratorMultiplyOpData`: `[k]G`.
#[derive(Debug, Clone, Copy)]
pub struct GeneratorMultiply<'a> {
    /// The secret scalar, 0 < k < n.
    pub k: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2PointVerifyOpData`.
#[derive(Debug, Clone, Copy)]
pub struct PointVerify<'a> {
    /// x of the candidate.
    pub x: &'a [u8],
    /// y of the candidate.
    pub y: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2SignOpData`.
#[derive(Debug, Clone, Copy)]
pub struct Sign<'a> {
    /// The per-message secret, 0 < k < n.
    pub k: &'a [u8],
    /// The digest e = H(Z ‖ M).
    pub e: &'a [u8],
    /// The private key, 0 < d < n − 1.
    pub d: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2VerifyOpData`.
#[derive(Debug, Clone, Copy)]
pub struct Verify<'a> {
    /// The digest e = H(Z ‖ M).
    pub e: &'a [u8],
    /// The signature's r.
    pub r: &'a [u8],
    /// The signature's s.
    pub s: &'a [u8],
    /// x of the public key.
    pub xp: &'a [u8],
    /// y of the public key.
    pub yp: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2EncryptOpData`.
#[derive(Debug, Clone, Copy)]
pub struct Encrypt<'a> {
    /// The per-message secret, 0 < k < n.
    pub k: &'a [u8],
    /// x of the recipient's public key P_B.
    pub xp: &'a [u8],
    /// y of P_B.
    pub yp: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2EncryptOutputData`: C1 = (x1, y1) = [k]G and
/// (x2, y2) = [k]P_B.
#[derive(Debug)]
pub struct EncryptOutput<'a> {
    /// x of [k]G.
    pub x1: &'a mut [u8],
    /// y of [k]G.
    pub y1: &'a mut [u8],
    /// x of [k]P_B.
    pub x2: &'a mut [u8],
    /// y of [k]P_B.
    pub y2: &'a mut [u8],
}

/// `CpaCyEcsm2DecryptOpData`.
#[derive(Debug, Clone, Copy)]
pub struct Decrypt<'a> {
    /// The private key, 0 < d < n.
    pub d: &'a [u8],
    /// x of C1.
    pub x1: &'a [u8],
    /// y of C1.
    pub y1: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2DecryptOutputData`: (x2, y2) = [d]C1.
#[derive(Debug)]
pub struct DecryptOutput<'a> {
    /// x of [d]C1.
    pub x2: &'a mut [u8],
    /// y of [d]C1.
    pub y2: &'a mut [u8],
}

/// `CpaCyEcsm2KeyExPhase1OpData`: the ephemeral point R = [r]G.
#[derive(Debug, Clone, Copy)]
pub struct KeyExPhase1<'a> {
    /// The ephemeral secret, 0 < r < n.
    pub r: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2KeyExPhase2OpData`, for either side: with its own ephemeral
/// secret r (whose phase-1 point has x = `x1`) and private key d, the
/// peer's ephemeral point (`x2`, `y2`) and public key (`xp`, `yp`), the
/// shared point U = [h·t](P + [x̄2]R_peer), t = (d + x̄1·r) mod n.
#[derive(Debug, Clone, Copy)]
pub struct KeyExPhase2<'a> {
    /// Own ephemeral secret, 0 < r < n.
    pub r: &'a [u8],
    /// Own private key, 0 < d < n.
    pub d: &'a [u8],
    /// x of own phase-1 point [r]G.
    pub x1: &'a [u8],
    /// x of the peer's phase-1 point.
    pub x2: &'a [u8],
    /// y of the peer's phase-1 point.
    pub y2: &'a [u8],
    /// x of the peer's public key.
    pub xp: &'a [u8],
    /// y of the peer's public key.
    pub yp: &'a [u8],
    /// Must be [`FieldType::Prime`].
    pub field_type: FieldType,
}

/// `CpaCyEcsm2KeyExOutputData`: a point.
#[derive(Debug)]
pub struct KeyExOutput<'a> {
    /// x of the point.
    pub x: &'a mut [u8],
    /// y of the point.
    pub y: &'a mut [u8],
}

/// The curve as an aws-lc group, with scratch space.
struct Sm2 {
    group: Group,
    ctx: BnCtx,
    n: Bn,
}

type Affine = (Bn, Bn);

impl Sm2 {
    fn new(field_type: FieldType) -> AsymResult<Sm2> {
        if field_type == FieldType::Binary {
            return Err(AsymError::InvalidParam(BINARY_UNSUPPORTED));
        }
        let mut ctx = BnCtx::new()?;
        let bn = |s: &str| Bn::from_be(&unhex(s));
        let n = bn(N)?;
        let group = Group::custom(&bn(P)?, &bn(A)?, &bn(B)?, &bn(GX)?, &bn(GY)?, &n, &mut ctx)?;
        Ok(Sm2 { group, ctx, n })
    }

    /// Checks 0 < v < n.
    fn scalar(&self, v: &[u8], zero: &'static str, big: &'static str) -> AsymResult<Bn> {
        if ct_is_zero(v) {
            return Err(AsymError::InvalidParam(zero));
        }
        let b = Bn::from_be(v)?;
        if b >= self.n {
            return Err(AsymError::InvalidParam(big));
        }
        Ok(b)
    }

    /// `[g]G + [s]P`, `None` at infinity.
    fn mul(
        &mut self,
        g: Option<&Bn>,
        p: Option<(&[u8], &[u8], &Bn)>,
    ) -> AsymResult<Option<Affine>> {
        let pt = match p {
            Some((x, y, _)) => Some(point(&self.group, &mut self.ctx, x, y)?),
            None => None,
        };
        let term = pt.as_ref().zip(p.map(|(_, _, s)| s));
        let r = Point::mul(&self.group, g, term, &mut self.ctx)?;
        r.affine(&self.group, &mut self.ctx)
    }

    fn zn(&self) -> AsymResult<Zn<4>> {
        Zn::<4>::new(&self.n.to_be_vec()).ok_or(AsymError::Failed("the SM2 order is not odd"))
    }
}

/// The point (x, y) of `group`; `InvalidParam` when off the curve.
fn point<'g>(group: &'g Group, ctx: &mut BnCtx, x: &[u8], y: &[u8]) -> AsymResult<Point<'g>> {
    let (x, y) = (Bn::from_be(x)?, Bn::from_be(y)?);
    let mut pt = Point::new(group)?;
    pt.set_affine(group, &x, &y, ctx)?;
    Ok(pt)
}

fn write(v: &Bn, out: &mut [u8], what: &'static str) -> AsymResult<()> {
    if out.len() < SIZE {
        return Err(AsymError::InvalidParam(what));
    }
    let mut wide = [0u8; SIZE];
    v.write_be(&mut wide, what)?;
    write_right_aligned(&wide, out, what).map_err(AsymError::InvalidParam)
}

fn write_point(pt: &Affine, x: &mut [u8], y: &mut [u8]) -> AsymResult<()> {
    write(&pt.0, x, "the x output is shorter than 32 bytes")?;
    write(&pt.1, y, "the y output is shorter than 32 bytes")
}

fn write_or_invalid(pt: Option<Affine>, x: &mut [u8], y: &mut [u8]) -> AsymResult<bool> {
    if x.len() < SIZE || y.len() < SIZE {
        return Err(AsymError::InvalidParam(
            "an output is shorter than 32 bytes",
        ));
    }
    match pt {
        Some(pt) => write_point(&pt, x, y).map(|()| true),
        None => {
            x.fill(0);
            y.fill(0);
            Ok(false)
        }
    }
}

const INFINITY: AsymError = AsymError::Failed("the product is the point at infinity");

/// `cpaCyEcsm2PointMultiply`: `[k](x, y)`; `Ok(false)` at infinity.
pub fn point_multiply(
    op: &PointMultiply<'_>,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    let mut c = Sm2::new(op.field_type)?;
    let k = c.scalar(op.k, "k is zero", "k is not below n")?;
    let r = c.mul(None, Some((op.x, op.y, &k)))?;
    write_or_invalid(r, out_x, out_y)
}

/// `cpaCyEcsm2GeneratorMultiply`: `[k]G`; `Ok(false)` at infinity.
pub fn generator_multiply(
    op: &GeneratorMultiply<'_>,
    out_x: &mut [u8],
    out_y: &mut [u8],
) -> AsymResult<bool> {
    let mut c = Sm2::new(op.field_type)?;
    let k = c.scalar(op.k, "k is zero", "k is not below n")?;
    let r = c.mul(Some(&k), None)?;
    write_or_invalid(r, out_x, out_y)
}

/// `cpaCyEcsm2PointVerify`: whether (x, y) is a point of the SM2 curve.
pub fn point_verify(op: &PointVerify<'_>) -> AsymResult<bool> {
    let mut c = Sm2::new(op.field_type)?;
    let found = point(&c.group, &mut c.ctx, op.x, op.y).map(|_| ());
    match found {
        Ok(()) => Ok(true),
        Err(AsymError::InvalidParam(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `cpaCyEcsm2Sign` (steps A4–A7): writes r and s; `Ok(false)` and zeros
/// when r = 0, r + k = n or s = 0 (retry with another k).
pub fn sign(op: &Sign<'_>, r_out: &mut [u8], s_out: &mut [u8]) -> AsymResult<bool> {
    if r_out.len() < SIZE || s_out.len() < SIZE {
        return Err(AsymError::InvalidParam(
            "an output is shorter than 32 bytes",
        ));
    }
    let mut c = Sm2::new(op.field_type)?;
    let k = c.scalar(op.k, "k is zero", "k is not below n")?;
    c.scalar(op.d, "d is zero", "d is not below n")?;
    let zn = c.zn()?;
    const WIDE: AsymError = AsymError::InvalidParam("e is wider than 256 bits");
    let Some((x1, _)) = c.mul(Some(&k), None)? else {
        return Err(INFINITY);
    };
    let e = zn.elem(op.e).ok_or(WIDE)?;
    let (ks, ds) = (zn.elem(op.k).ok_or(WIDE)?, zn.elem(op.d).ok_or(WIDE)?);
    let r = e + zn.elem(&x1.to_be_vec()).ok_or(WIDE)?;
    let one = zn.elem(&[1]).ok_or(WIDE)?;
    let inv = zn
        .invert(&(one + ds))
        .ok_or(AsymError::InvalidParam("d must be below n - 1"))?;
    let s = inv * (ks - r * ds);
    // Verdicts on the outputs only: r = 0, r + k = n, s = 0.
    if zn.is_zero(&r) || zn.is_zero(&(r + ks)) || zn.is_zero(&s) {
        r_out.fill(0);
        s_out.fill(0);
        return Ok(false);
    }
    write(&Bn::from_be(&zn.bytes(&r))?, r_out, "r")?;
    write(&Bn::from_be(&zn.bytes(&s))?, s_out, "s")?;
    Ok(true)
}

/// `cpaCyEcsm2Verify` (steps B5–B7, with B1–B2's range checks): whether
/// (r, s) signs e for the public key. A signature out of range or a key
/// off the curve fails the verification.
pub fn verify(op: &Verify<'_>) -> AsymResult<bool> {
    let mut c = Sm2::new(op.field_type)?;
    let in_range = |v: &[u8], c: &Sm2| -> AsymResult<Option<Bn>> {
        let b = Bn::from_be(v)?;
        Ok((!b.is_zero() && b < c.n).then_some(b))
    };
    let (Some(r), Some(s)) = (in_range(op.r, &c)?, in_range(op.s, &c)?) else {
        return Ok(false);
    };
    let n = c.n.try_clone()?;
    let t = c.ctx.mod_add(&r, &s, &n)?;
    if t.is_zero() {
        return Ok(false);
    }
    let sum = match c.mul(Some(&s), Some((op.xp, op.yp, &t))) {
        Ok(v) => v,
        Err(AsymError::InvalidParam(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    let Some((x1, _)) = sum else {
        return Ok(false);
    };
    let e = Bn::from_be(op.e)?;
    Ok(c.ctx.mod_add(&e, &x1, &n)? == r)
}

/// `cpaCyEcsm2Encrypt` (steps A2–A4): C1 = [k]G and (x2, y2) = [k]P_B.
pub fn encrypt(op: &Encrypt<'_>, out: &mut EncryptOutput<'_>) -> AsymResult<()> {
    let mut c = Sm2::new(op.field_type)?;
    let k = c.scalar(op.k, "k is zero", "k is not below n")?;
    let c1 = c.mul(Some(&k), None)?.ok_or(INFINITY)?;
    let kp = c.mul(None, Some((op.xp, op.yp, &k)))?.ok_or(INFINITY)?;
    write_point(&c1, out.x1, out.y1)?;
    write_point(&kp, out.x2, out.y2)
}

/// `cpaCyEcsm2Decrypt` (steps B1–B3): (x2, y2) = [d]C1, C1 on the curve.
pub fn decrypt(op: &Decrypt<'_>, out: &mut DecryptOutput<'_>) -> AsymResult<()> {
    let mut c = Sm2::new(op.field_type)?;
    let d = c.scalar(op.d, "d is zero", "d is not below n")?;
    let p = c.mul(None, Some((op.x1, op.y1, &d)))?.ok_or(INFINITY)?;
    write_point(&p, out.x2, out.y2)
}

/// `cpaCyEcsm2KeyExPhase1` (step A2/B2): R = [r]G.
pub fn key_exchange_phase1(op: &KeyExPhase1<'_>, out: &mut KeyExOutput<'_>) -> AsymResult<()> {
    let mut c = Sm2::new(op.field_type)?;
    let r = c.scalar(op.r, "r is zero", "r is not below n")?;
    let p = c.mul(Some(&r), None)?.ok_or(INFINITY)?;
    write_point(&p, out.x, out.y)
}

/// `cpaCyEcsm2KeyExPhase2` (steps A4–A7 / B3–B6): the shared point
/// U = [t](P_peer + [x̄2]R_peer) with t = (d + x̄1·r) mod n (cofactor 1).
/// The peer's point off the curve is `InvalidParam`; U at infinity is
/// `Failed`.
pub fn key_exchange_phase2(op: &KeyExPhase2<'_>, out: &mut KeyExOutput<'_>) -> AsymResult<()> {
    const WIDE: AsymError = AsymError::InvalidParam("an operand is wider than 256 bits");
    let mut c = Sm2::new(op.field_type)?;
    c.scalar(op.r, "r is zero", "r is not below n")?;
    c.scalar(op.d, "d is zero", "d is not below n")?;
    let zn = c.zn()?;
    let x1 = zn.x_bar(op.x1, W).ok_or(WIDE)?;
    let t = zn.elem(op.d).ok_or(WIDE)? + x1 * zn.elem(op.r).ok_or(WIDE)?;
    let x2 = Bn::from_be(&zn.bytes(&zn.x_bar(op.x2, W).ok_or(WIDE)?))?;
    // P + [x̄2]R is public; only the final [t] is secret.
    let xr = c.mul(None, Some((op.x2, op.y2, &x2)))?;
    let q = {
        let pk = point(&c.group, &mut c.ctx, op.xp, op.yp)?;
        let sum = match xr {
            Some((x, y)) => {
                let mut p = Point::new(&c.group)?;
                p.set_affine(&c.group, &x, &y, &mut c.ctx)?;
                pk.add(&c.group, &p, &mut c.ctx)?
            }
            None => pk,
        };
        sum.affine(&c.group, &mut c.ctx)?.ok_or(INFINITY)?
    };
    let (qx, qy) = (q.0.to_be_vec(), q.1.to_be_vec());
    let t = Bn::from_be(&zn.bytes(&t))?;
    let u = c.mul(None, Some((&qx, &qy, &t)))?.ok_or(INFINITY)?;
    write_point(&u, out.x, out.y)
}
