//! Elliptic-curve groups and points through aws-lc's EC_GROUP / EC_POINT:
//! the named NIST curves (constant-time, formally verified code for P-256
//! and P-384) and custom prime-order curves with a known generator and
//! order (aws-lc's generic constant-time Montgomery-form code), wrapped once
//! so the algorithms above are safe code.
//!
//! # Unsafe
//! Invariants, held by every function here (as in [`super::bn`]):
//! - A [`Group`] or [`Point`] owns a non-null aws-lc object allocated by its
//!   `*_new*` function and frees it exactly once in `Drop` (for a named
//!   group aws-lc's free is a no-op on its static object).
//! - A [`Point`] is only used with the group it was created for: the point
//!   borrows the group (`Point<'g>`), and every call passes that group.
//! - Groups are not mutated after construction, so `&Group` may be shared;
//!   points are mutated through `&mut self` only.
//! - Every aws-lc return value is checked; a failure becomes an
//!   [`AsymError`], never a panic, and aws-lc's thread error queue is cleared
//!   so a later call does not report it.
#![allow(unsafe_code)]

use std::marker::PhantomData;
use std::ptr::NonNull;

use aws_lc_sys as sys;

use super::bn::{Bn, BnCtx};
use super::{AsymError, AsymResult};

/// The NIST prime curves aws-lc has built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// P-256 (secp256r1).
    P256,
    /// P-384 (secp384r1).
    P384,
    /// P-521 (secp521r1).
    P521,
}

impl Named {
    /// Every named curve, for matching a caller's parameters.
    pub const ALL: [Named; 3] = [Named::P256, Named::P384, Named::P521];

    fn nid(self) -> std::os::raw::c_int {
        match self {
            Named::P256 => sys::NID_X9_62_prime256v1,
            Named::P384 => sys::NID_secp384r1,
            Named::P521 => sys::NID_secp521r1,
        }
    }
}

fn clear_errors() {
    // SAFETY: no arguments; touches only this thread's error queue.
    unsafe { sys::ERR_clear_error() }
}

fn check(r: std::os::raw::c_int, err: AsymError) -> AsymResult<()> {
    if r == 1 {
        Ok(())
    } else {
        clear_errors();
        Err(err)
    }
}

/// An elliptic-curve group y² = x³ + ax + b over GF(p) with its generator.
pub(crate) struct Group(NonNull<sys::EC_GROUP>);

impl Drop for Group {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::EC_GROUP_free(self.0.as_ptr()) }
    }
}

impl Group {
    /// A NIST curve.
    pub(crate) fn named(curve: Named) -> AsymResult<Group> {
        // SAFETY: plain constructor; checked.
        NonNull::new(unsafe { sys::EC_GROUP_new_by_curve_name(curve.nid()) })
            .map(Group)
            .ok_or_else(|| {
                clear_errors();
                AsymError::NoMemory
            })
    }

    /// A custom curve with generator `(gx, gy)` of prime order `n`: aws-lc
    /// takes only cofactor 1 and `p < 2n`, an odd `p` of at most 521 bits,
    /// and a generator on the curve; anything else is `InvalidParam`.
    pub(crate) fn custom(
        p: &Bn,
        a: &Bn,
        b: &Bn,
        gx: &Bn,
        gy: &Bn,
        n: &Bn,
        ctx: &mut BnCtx,
    ) -> AsymResult<Group> {
        // SAFETY: all numbers live; the result is checked.
        let g = NonNull::new(unsafe {
            sys::EC_GROUP_new_curve_GFp(p.ptr(), a.ptr(), b.ptr(), ctx.p())
        })
        .map(Group)
        .ok_or_else(|| {
            clear_errors();
            AsymError::InvalidParam("aws-lc refused the curve parameters")
        })?;
        let mut gen = Point::new(&g)?;
        gen.set_affine(&g, gx, gy, ctx)
            .map_err(|_| AsymError::InvalidParam("the generator is not on the curve"))?;
        let one = Bn::from_u64(1)?;
        // SAFETY: `gen` was created for `g`, which has no generator yet.
        let r = unsafe {
            sys::EC_GROUP_set_generator(g.0.as_ptr(), gen.0.as_ptr(), n.ptr(), one.ptr())
        };
        check(
            r,
            AsymError::InvalidParam(
                "aws-lc refused the order (it takes prime orders n with p < 2n)",
            ),
        )?;
        drop(gen);
        Ok(g)
    }

    /// `(p, a, b)`.
    pub(crate) fn curve(&self, ctx: &mut BnCtx) -> AsymResult<(Bn, Bn, Bn)> {
        let (mut p, mut a, mut b) = (Bn::new()?, Bn::new()?, Bn::new()?);
        // SAFETY: all live; outputs owned.
        let r = unsafe {
            sys::EC_GROUP_get_curve_GFp(
                self.0.as_ptr(),
                p.ptr_mut(),
                a.ptr_mut(),
                b.ptr_mut(),
                ctx.p(),
            )
        };
        check(r, AsymError::NoMemory)?;
        Ok((p, a, b))
    }

    /// The order of the generator.
    pub(crate) fn order(&self) -> AsymResult<Bn> {
        // SAFETY: `self` is live; the order is owned by the group and only
        // read here (copied below).
        let n = unsafe { sys::EC_GROUP_get0_order(self.0.as_ptr()) };
        if n.is_null() {
            return Err(AsymError::Failed("the group has no order"));
        }
        let mut r = Bn::new()?;
        // SAFETY: `n` belongs to `self`; `r` owned; the result is checked.
        if unsafe { sys::BN_copy(r.ptr_mut(), n) }.is_null() {
            return Err(AsymError::NoMemory);
        }
        Ok(r)
    }

    /// The generator's affine coordinates.
    pub(crate) fn generator(&self, ctx: &mut BnCtx) -> AsymResult<(Bn, Bn)> {
        // SAFETY: `self` is live; the point is owned by the group and only
        // read here.
        let g = unsafe { sys::EC_GROUP_get0_generator(self.0.as_ptr()) };
        if g.is_null() {
            return Err(AsymError::Failed("the group has no generator"));
        }
        let (mut x, mut y) = (Bn::new()?, Bn::new()?);
        // SAFETY: `g` belongs to `self`; outputs owned.
        let r = unsafe {
            sys::EC_POINT_get_affine_coordinates_GFp(
                self.0.as_ptr(),
                g,
                x.ptr_mut(),
                y.ptr_mut(),
                ctx.p(),
            )
        };
        check(r, AsymError::NoMemory)?;
        Ok((x, y))
    }
}

/// A point of one [`Group`].
pub(crate) struct Point<'g>(NonNull<sys::EC_POINT>, PhantomData<&'g Group>);

impl Drop for Point<'_> {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::EC_POINT_free(self.0.as_ptr()) }
    }
}

impl<'g> Point<'g> {
    /// The point at infinity of `group`.
    pub(crate) fn new(group: &'g Group) -> AsymResult<Point<'g>> {
        // SAFETY: `group` live; checked.
        NonNull::new(unsafe { sys::EC_POINT_new(group.0.as_ptr()) })
            .map(|p| Point(p, PhantomData))
            .ok_or(AsymError::NoMemory)
    }

    /// Sets the affine coordinates; `InvalidParam` when `(x, y)` is not on
    /// the curve (or a coordinate is not below p).
    pub(crate) fn set_affine(
        &mut self,
        group: &Group,
        x: &Bn,
        y: &Bn,
        ctx: &mut BnCtx,
    ) -> AsymResult<()> {
        // SAFETY: point made for `group`; numbers live. aws-lc checks the
        // point is on the curve and refuses it otherwise.
        let r = unsafe {
            sys::EC_POINT_set_affine_coordinates_GFp(
                group.0.as_ptr(),
                self.0.as_ptr(),
                x.ptr(),
                y.ptr(),
                ctx.p(),
            )
        };
        check(r, AsymError::InvalidParam("the point is not on the curve"))
    }

    /// The affine coordinates, or `None` for the point at infinity.
    pub(crate) fn affine(&self, group: &Group, ctx: &mut BnCtx) -> AsymResult<Option<(Bn, Bn)>> {
        // SAFETY: point made for `group`.
        if unsafe { sys::EC_POINT_is_at_infinity(group.0.as_ptr(), self.0.as_ptr()) } == 1 {
            return Ok(None);
        }
        let (mut x, mut y) = (Bn::new()?, Bn::new()?);
        // SAFETY: point made for `group`; outputs owned.
        let r = unsafe {
            sys::EC_POINT_get_affine_coordinates_GFp(
                group.0.as_ptr(),
                self.0.as_ptr(),
                x.ptr_mut(),
                y.ptr_mut(),
                ctx.p(),
            )
        };
        check(r, AsymError::NoMemory)?;
        Ok(Some((x, y)))
    }

    /// `[g_scalar]G + [p_scalar]P` (either term may be absent). aws-lc runs
    /// each single-scalar product in constant time; a scalar not below the
    /// order is first reduced by it.
    pub(crate) fn mul(
        group: &'g Group,
        g_scalar: Option<&Bn>,
        p: Option<(&Point<'g>, &Bn)>,
        ctx: &mut BnCtx,
    ) -> AsymResult<Point<'g>> {
        let r = Point::new(group)?;
        let g = g_scalar.map_or(std::ptr::null(), |s| s.ptr());
        let (q, m) = p.map_or((std::ptr::null(), std::ptr::null()), |(pt, s)| {
            (pt.0.as_ptr() as *const sys::EC_POINT, s.ptr())
        });
        // SAFETY: all points made for `group`; a null scalar with its null
        // point is aws-lc's documented "term absent".
        let ok = unsafe { sys::EC_POINT_mul(group.0.as_ptr(), r.0.as_ptr(), g, q, m, ctx.p()) };
        check(ok, AsymError::NoMemory)?;
        Ok(r)
    }

    /// `self + other`.
    pub(crate) fn add(
        &self,
        group: &'g Group,
        other: &Point<'g>,
        ctx: &mut BnCtx,
    ) -> AsymResult<Point<'g>> {
        let r = Point::new(group)?;
        // SAFETY: all points made for `group`.
        let ok = unsafe {
            sys::EC_POINT_add(
                group.0.as_ptr(),
                r.0.as_ptr(),
                self.0.as_ptr(),
                other.0.as_ptr(),
                ctx.p(),
            )
        };
        check(ok, AsymError::NoMemory)?;
        Ok(r)
    }
}

/// An `EC_KEY` owned for one call.
struct EcKey(NonNull<sys::EC_KEY>);

impl Drop for EcKey {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once (aws-lc wipes the private key).
        unsafe { sys::EC_KEY_free(self.0.as_ptr()) }
    }
}

/// An `ECDSA_SIG` owned for one call.
struct EcdsaSig(NonNull<sys::ECDSA_SIG>);

impl Drop for EcdsaSig {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::ECDSA_SIG_free(self.0.as_ptr()) }
    }
}

/// Copies an aws-lc-owned number.
fn copy_bn(v: *const sys::BIGNUM) -> AsymResult<Bn> {
    if v.is_null() {
        return Err(AsymError::Failed("aws-lc returned no number"));
    }
    let mut r = Bn::new()?;
    // SAFETY: `v` is live (owned by an object the caller holds); `r` owned.
    if unsafe { sys::BN_copy(r.ptr_mut(), v) }.is_null() {
        clear_errors();
        return Err(AsymError::NoMemory);
    }
    Ok(r)
}

/// ECDSA's (r, s) on the named curve `c` with the private key `d` and the
/// caller's per-message secret `k` (big-endian, exactly as long as the
/// order), over `digest` (which aws-lc converts as X9.62 does: its leftmost
/// bits, reduced once), by aws-lc's own constant-time signing code.
///
/// aws-lc exports this entry point for known-answer tests (hence its name:
/// a fixed k reused leaks d); QAT's ECDSA is exactly signing with the
/// caller's k, whose freshness is the caller's job. `None` when aws-lc
/// refuses (r or s zero, k or d out of range): the caller then computes
/// the answer the general way.
pub(crate) fn ecdsa_sign_with_k(
    c: Named,
    d: &Bn,
    k: &[u8],
    digest: &[u8],
) -> AsymResult<Option<(Bn, Bn)>> {
    // SAFETY: plain constructor; checked.
    let key = NonNull::new(unsafe { sys::EC_KEY_new_by_curve_name(c.nid()) })
        .map(EcKey)
        .ok_or_else(|| {
            clear_errors();
            AsymError::NoMemory
        })?;
    // SAFETY: `key` and `d` live; aws-lc copies the number.
    if unsafe { sys::EC_KEY_set_private_key(key.0.as_ptr(), d.ptr()) } != 1 {
        clear_errors();
        return Ok(None);
    }
    // SAFETY: `digest` and `k` are live slices of their lengths; `key` live
    // and holds its private key; the result is checked and owned.
    let sig = unsafe {
        sys::ECDSA_sign_with_nonce_and_leak_private_key_for_testing(
            digest.as_ptr(),
            digest.len(),
            key.0.as_ptr(),
            k.as_ptr(),
            k.len(),
        )
    };
    let Some(sig) = NonNull::new(sig).map(EcdsaSig) else {
        clear_errors();
        return Ok(None);
    };
    let (mut r, mut s) = (std::ptr::null(), std::ptr::null());
    // SAFETY: `sig` live; the two pointers are set to numbers it owns,
    // copied before it is freed.
    unsafe { sys::ECDSA_SIG_get0(sig.0.as_ptr(), &mut r, &mut s) };
    Ok(Some((copy_bn(r)?, copy_bn(s)?)))
}
