//! Big numbers through aws-lc's BIGNUM: the public-key engine's one piece of
//! FFI, wrapped once so the algorithms above it are safe code.
//!
//! # Unsafe
//! Invariants, held by every function here:
//! - A [`Bn`], [`BnCtx`] or [`Mont`] owns a non-null aws-lc object allocated
//!   by its `*_new` function and frees it exactly once in `Drop`; numbers
//!   are wiped on free (`BN_clear_free`) because some hold secrets.
//! - Objects are used by one thread at a time: mutation takes `&mut self`,
//!   and aws-lc's const operations on a BIGNUM or BN_MONT_CTX do not mutate
//!   it, so shared `&` use from several threads is sound (`Sync`).
//! - Every byte pointer passed to aws-lc comes from a live Rust slice with
//!   its exact length; aws-lc writes only within it.
//! - Every aws-lc return value is checked; a failure becomes an
//!   [`AsymError`], never a panic.
#![allow(unsafe_code)]

use std::cmp::Ordering;
use std::ptr::NonNull;

use aws_lc_sys as sys;

use super::{AsymError, AsymResult};

/// An owned big number (non-negative in everything this engine does).
pub struct Bn(NonNull<sys::BIGNUM>);

// SAFETY: a BIGNUM has no thread affinity; see the module invariants.
unsafe impl Send for Bn {}
unsafe impl Sync for Bn {}

impl Drop for Bn {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::BN_clear_free(self.0.as_ptr()) }
    }
}

fn ok(r: std::os::raw::c_int) -> AsymResult<()> {
    if r == 1 {
        Ok(())
    } else {
        // aws-lc's arithmetic fails only on allocation or on arguments the
        // callers here rule out first (zero or even moduli).
        Err(AsymError::NoMemory)
    }
}

impl Bn {
    /// Zero.
    pub fn new() -> AsymResult<Bn> {
        // SAFETY: plain allocation; checked.
        NonNull::new(unsafe { sys::BN_new() })
            .map(Bn)
            .ok_or(AsymError::NoMemory)
    }

    /// The number whose big-endian bytes are `bytes` (empty is zero).
    pub fn from_be(bytes: &[u8]) -> AsymResult<Bn> {
        let n = Bn::new()?;
        // SAFETY: `bytes` is a live slice; `n` is owned.
        let r = unsafe { sys::BN_bin2bn(bytes.as_ptr(), bytes.len(), n.0.as_ptr()) };
        if r.is_null() {
            return Err(AsymError::NoMemory);
        }
        Ok(n)
    }

    /// The number `v`.
    pub fn from_u64(v: u64) -> AsymResult<Bn> {
        let n = Bn::new()?;
        // SAFETY: `n` is owned.
        ok(unsafe { sys::BN_set_word(n.0.as_ptr(), v as sys::BN_ULONG) })?;
        Ok(n)
    }

    /// A copy.
    pub fn try_clone(&self) -> AsymResult<Bn> {
        // SAFETY: `self` is live; the result is checked.
        NonNull::new(unsafe { sys::BN_dup(self.0.as_ptr()) })
            .map(Bn)
            .ok_or(AsymError::NoMemory)
    }

    /// Writes the number big-endian into all of `out`, left-padded with
    /// zeros; `what` names the output when it does not fit.
    pub fn write_be(&self, out: &mut [u8], what: &'static str) -> AsymResult<()> {
        // SAFETY: `out` is a live slice of its length; `self` is live.
        let r = unsafe { sys::BN_bn2bin_padded(out.as_mut_ptr(), out.len(), self.0.as_ptr()) };
        if r == 1 {
            Ok(())
        } else {
            Err(AsymError::InvalidParam(what))
        }
    }

    /// The minimal big-endian bytes (empty for zero).
    pub fn to_be_vec(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.byte_len()];
        // The length was just taken from the number: it fits.
        let _ = self.write_be(&mut v, "");
        v
    }

    /// Significant bits.
    pub fn bits(&self) -> usize {
        // SAFETY: `self` is live.
        unsafe { sys::BN_num_bits(self.0.as_ptr()) as usize }
    }

    /// Significant bytes.
    pub fn byte_len(&self) -> usize {
        // SAFETY: `self` is live.
        unsafe { sys::BN_num_bytes(self.0.as_ptr()) as usize }
    }

    /// Whether the number is zero.
    pub fn is_zero(&self) -> bool {
        // SAFETY: `self` is live.
        unsafe { sys::BN_is_zero(self.0.as_ptr()) == 1 }
    }

    /// Whether the number is one.
    pub fn is_one(&self) -> bool {
        // SAFETY: `self` is live.
        unsafe { sys::BN_is_one(self.0.as_ptr()) == 1 }
    }

    /// Whether the number is odd.
    pub fn is_odd(&self) -> bool {
        // SAFETY: `self` is live.
        unsafe { sys::BN_is_odd(self.0.as_ptr()) == 1 }
    }

    /// Whether bit `n` (0 = least significant) is set.
    pub fn bit(&self, n: usize) -> bool {
        // SAFETY: `self` is live.
        unsafe { sys::BN_is_bit_set(self.0.as_ptr(), n as std::os::raw::c_int) == 1 }
    }

    /// The low 64 bits.
    pub fn low_u64(&self) -> u64 {
        let mut b = [0u8; 8];
        let n = self.to_be_vec();
        let k = n.len().min(8);
        b[8 - k..].copy_from_slice(&n[n.len() - k..]);
        u64::from_be_bytes(b)
    }

    /// `self + other`.
    pub fn add(&self, other: &Bn) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live; `r` owned.
        ok(unsafe { sys::BN_add(r.0.as_ptr(), self.0.as_ptr(), other.0.as_ptr()) })?;
        Ok(r)
    }

    /// `self - other` (may be negative; callers compare first).
    pub fn sub(&self, other: &Bn) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live; `r` owned.
        ok(unsafe { sys::BN_sub(r.0.as_ptr(), self.0.as_ptr(), other.0.as_ptr()) })?;
        Ok(r)
    }

    /// `self + w`.
    pub fn add_word(&self, w: u64) -> AsymResult<Bn> {
        let r = self.try_clone()?;
        // SAFETY: `r` owned.
        ok(unsafe { sys::BN_add_word(r.0.as_ptr(), w as sys::BN_ULONG) })?;
        Ok(r)
    }

    /// `self - w` (callers make sure `self >= w`).
    pub fn sub_word(&self, w: u64) -> AsymResult<Bn> {
        let r = self.try_clone()?;
        // SAFETY: `r` owned.
        ok(unsafe { sys::BN_sub_word(r.0.as_ptr(), w as sys::BN_ULONG) })?;
        Ok(r)
    }

    /// `self >> n`.
    pub fn shr(&self, n: usize) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live; `r` owned.
        ok(unsafe { sys::BN_rshift(r.0.as_ptr(), self.0.as_ptr(), n as std::os::raw::c_int) })?;
        Ok(r)
    }

    /// The same number stored at the width of the modulus `m` (a fixed
    /// number of words whatever its value), for the constant-time
    /// exponentiations that take their exponent's width as its length.
    /// `self` must be below `m` (a larger value gives a wrong number, not
    /// UB); `m` non-zero.
    pub fn at_width_of(&self, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let zero = Bn::new()?;
        let r = Bn::new()?;
        // SAFETY: all live; BN_mod_add_quick writes `self + 0 mod m` at
        // m's width (constant time for reduced operands).
        ok(unsafe { sys::BN_mod_add_quick(r.0.as_ptr(), self.ptr(), zero.ptr(), m.ptr()) })?;
        Ok(r)
    }

    pub(crate) fn ptr(&self) -> *const sys::BIGNUM {
        self.0.as_ptr()
    }

    /// For aws-lc calls that write the number (the EC wrapper's outputs).
    pub(crate) fn ptr_mut(&mut self) -> *mut sys::BIGNUM {
        self.0.as_ptr()
    }
}

/// Comparison is variable time: for range checks of public values and of
/// inputs against public moduli.
impl Ord for Bn {
    fn cmp(&self, other: &Bn) -> Ordering {
        // SAFETY: both live.
        unsafe { sys::BN_cmp(self.0.as_ptr(), other.0.as_ptr()) }.cmp(&0)
    }
}

impl PartialOrd for Bn {
    fn partial_cmp(&self, other: &Bn) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Bn {
    fn eq(&self, other: &Bn) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Bn {}

impl std::fmt::Debug for Bn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Numbers may be secrets: only their size is printed.
        write!(f, "Bn({} bits)", self.bits())
    }
}

/// A modulus prepared for Montgomery arithmetic (odd moduli only).
pub struct Mont(NonNull<sys::BN_MONT_CTX>);

// SAFETY: a BN_MONT_CTX is read-only after creation; see the invariants.
unsafe impl Send for Mont {}
unsafe impl Sync for Mont {}

impl Drop for Mont {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::BN_MONT_CTX_free(self.0.as_ptr()) }
    }
}

/// Scratch space for aws-lc's arithmetic, and the operations that need it.
/// One per request (or per engine thread): not shared.
pub struct BnCtx(NonNull<sys::BN_CTX>);

// SAFETY: used through `&mut self` only.
unsafe impl Send for BnCtx {}

impl Drop for BnCtx {
    fn drop(&mut self) {
        // SAFETY: owned, non-null, freed once.
        unsafe { sys::BN_CTX_free(self.0.as_ptr()) }
    }
}

fn need_modulus(m: &Bn) -> AsymResult<()> {
    if m.is_zero() {
        return Err(AsymError::InvalidParam("the modulus is zero"));
    }
    Ok(())
}

fn need_odd(m: &Bn) -> AsymResult<()> {
    need_modulus(m)?;
    if !m.is_odd() {
        return Err(AsymError::InvalidParam("the modulus must be odd"));
    }
    Ok(())
}

impl BnCtx {
    /// A fresh context.
    pub fn new() -> AsymResult<BnCtx> {
        // SAFETY: plain allocation; checked.
        NonNull::new(unsafe { sys::BN_CTX_new() })
            .map(BnCtx)
            .ok_or(AsymError::NoMemory)
    }

    pub(crate) fn p(&mut self) -> *mut sys::BN_CTX {
        self.0.as_ptr()
    }

    /// Montgomery form of the odd modulus `m`, for constant-time use: its
    /// set-up does not branch on `m`'s value beyond its width.
    pub fn mont(&mut self, m: &Bn) -> AsymResult<Mont> {
        need_odd(m)?;
        // SAFETY: `m` live, odd and non-zero; result checked.
        NonNull::new(unsafe { sys::BN_MONT_CTX_new_consttime(m.ptr(), self.p()) })
            .map(Mont)
            .ok_or(AsymError::NoMemory)
    }

    /// `a mod m`, in `[0, m)`.
    pub fn nnmod(&mut self, a: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero.
        ok(unsafe { sys::BN_nnmod(r.0.as_ptr(), a.ptr(), m.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `a * b` (no reduction).
    pub fn mul(&mut self, a: &Bn, b: &Bn) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live.
        ok(unsafe { sys::BN_mul(r.0.as_ptr(), a.ptr(), b.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `(a, b)`: quotient and remainder of `num / div`.
    pub fn div_rem(&mut self, num: &Bn, div: &Bn) -> AsymResult<(Bn, Bn)> {
        need_modulus(div)?;
        let (q, r) = (Bn::new()?, Bn::new()?);
        // SAFETY: all live; `div` non-zero.
        ok(unsafe { sys::BN_div(q.0.as_ptr(), r.0.as_ptr(), num.ptr(), div.ptr(), self.p()) })?;
        Ok((q, r))
    }

    /// `a * b mod m`.
    pub fn mod_mul(&mut self, a: &Bn, b: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero.
        ok(unsafe { sys::BN_mod_mul(r.0.as_ptr(), a.ptr(), b.ptr(), m.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `a + b mod m`.
    pub fn mod_add(&mut self, a: &Bn, b: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero.
        ok(unsafe { sys::BN_mod_add(r.0.as_ptr(), a.ptr(), b.ptr(), m.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `a - b mod m`, in `[0, m)`.
    pub fn mod_sub(&mut self, a: &Bn, b: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero.
        ok(unsafe { sys::BN_mod_sub(r.0.as_ptr(), a.ptr(), b.ptr(), m.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `base ^ exp mod m` for public exponents (variable time); any
    /// non-zero modulus, odd or even.
    pub fn mod_exp_public(&mut self, base: &Bn, exp: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero. BN_mod_exp picks Montgomery for
        // odd moduli and a generic ladder for even ones.
        ok(unsafe { sys::BN_mod_exp(r.0.as_ptr(), base.ptr(), exp.ptr(), m.ptr(), self.p()) })?;
        Ok(r)
    }

    /// `base ^ exp mod m` in constant time for a secret `exp` (and base),
    /// with `mont` prepared from the odd modulus `m`. `base` must be
    /// reduced (`< m`).
    pub fn mod_exp_secret(&mut self, base: &Bn, exp: &Bn, m: &Bn, mont: &Mont) -> AsymResult<Bn> {
        need_odd(m)?;
        if base >= m {
            return Err(AsymError::InvalidParam(
                "the base must be less than the modulus",
            ));
        }
        let r = Bn::new()?;
        // SAFETY: all live; `m` odd; `mont` was built from `m` by the
        // caller's contract (a mismatched one gives a wrong number, not UB).
        ok(unsafe {
            sys::BN_mod_exp_mont_consttime(
                r.0.as_ptr(),
                base.ptr(),
                exp.ptr(),
                m.ptr(),
                self.p(),
                mont.0.as_ptr(),
            )
        })?;
        Ok(r)
    }

    /// Two constant-time exponentiations at once, `(a1 ^ e1 mod m1,
    /// a2 ^ e2 mod m2)`, for secret exponents and bases (RSA's CRT halves):
    /// aws-lc runs them interleaved with AVX-512 IFMA when the CPU has it and
    /// both moduli are 1024, 1536 or 2048 bits with bases and exponents at
    /// the moduli's width (see [`Bn::at_width_of`]), and otherwise one after
    /// the other through the same constant-time code as
    /// [`mod_exp_secret`](Self::mod_exp_secret). Bases must be reduced;
    /// `mont1`, `mont2` prepared from `m1`, `m2`.
    #[allow(clippy::too_many_arguments)]
    pub fn mod_exp_secret_x2(
        &mut self,
        (a1, e1, m1, mont1): (&Bn, &Bn, &Bn, &Mont),
        (a2, e2, m2, mont2): (&Bn, &Bn, &Bn, &Mont),
    ) -> AsymResult<(Bn, Bn)> {
        need_odd(m1)?;
        need_odd(m2)?;
        if a1 >= m1 || a2 >= m2 {
            return Err(AsymError::InvalidParam(
                "the base must be less than the modulus",
            ));
        }
        let (r1, r2) = (Bn::new()?, Bn::new()?);
        // SAFETY: all live; moduli odd and bases reduced as checked; each
        // `mont` built from its modulus by the caller's contract (a
        // mismatched one gives a wrong number, not UB). aws-lc widens the
        // outputs itself.
        ok(unsafe {
            sys::BN_mod_exp_mont_consttime_x2(
                r1.0.as_ptr(),
                a1.ptr(),
                e1.ptr(),
                m1.ptr(),
                mont1.0.as_ptr(),
                r2.0.as_ptr(),
                a2.ptr(),
                e2.ptr(),
                m2.ptr(),
                mont2.0.as_ptr(),
                self.p(),
            )
        })?;
        Ok((r1, r2))
    }

    /// `a` in Montgomery form, `a·R mod m` (constant time); `a` reduced,
    /// `mont` prepared from `m`.
    pub fn to_mont(&mut self, a: &Bn, mont: &Mont) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live; the caller keeps `a < m` (a larger value gives a
        // wrong number, not UB).
        ok(unsafe { sys::BN_to_montgomery(r.0.as_ptr(), a.ptr(), mont.0.as_ptr(), self.p()) })?;
        Ok(r)
    }

    /// `a · b_mont · R⁻¹ mod m` (constant time): `a · b mod m` when `b_mont`
    /// is `b` in Montgomery form ([`to_mont`](Self::to_mont)). Both reduced.
    pub fn mont_mul(&mut self, a: &Bn, b_mont: &Bn, mont: &Mont) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live; reduced operands by the caller's contract.
        ok(unsafe {
            sys::BN_mod_mul_montgomery(
                r.0.as_ptr(),
                a.ptr(),
                b_mont.ptr(),
                mont.0.as_ptr(),
                self.p(),
            )
        })?;
        Ok(r)
    }

    /// The inverse of `a` modulo `m` (variable time: for public values).
    /// `Failed` when there is none.
    pub fn mod_inverse_public(&mut self, a: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; `m` non-zero; the result is checked.
        let p = unsafe { sys::BN_mod_inverse(r.0.as_ptr(), a.ptr(), m.ptr(), self.p()) };
        if p.is_null() {
            // aws-lc leaves an error on its thread queue; clear it so a later
            // call does not report it.
            // SAFETY: no arguments.
            unsafe { sys::ERR_clear_error() };
            return Err(AsymError::Failed(
                "the number has no inverse for this modulus",
            ));
        }
        Ok(r)
    }

    /// The inverse of a secret `a` modulo the odd prime `p`, in constant
    /// time: `a ^ (p - 2) mod p`. `Failed` for `a ≡ 0`.
    pub fn mod_inverse_prime(&mut self, a: &Bn, p: &Bn, mont: &Mont) -> AsymResult<Bn> {
        let a = self.nnmod(a, p)?;
        if a.is_zero() {
            return Err(AsymError::Failed("zero has no inverse"));
        }
        let e = p.sub_word(2)?;
        self.mod_exp_secret(&a, &e, p, mont)
    }

    /// `a mod m` in constant time for a secret `a`, with `mont` prepared from
    /// the odd modulus `m`: leaving and re-entering the Montgomery domain
    /// (`a·R⁻¹`, then `·R`) reduces without a data-dependent division.
    /// `a` must be below `m·R` (R = 2^(64·limbs of m)), which holds when it
    /// is at most about twice as long as `m`; a longer `a` is refused.
    pub fn reduce_secret(&mut self, a: &Bn, m: &Bn, mont: &Mont) -> AsymResult<Bn> {
        need_odd(m)?;
        // a < m·R ⟺ ⌊a / R⌋ < m. Shorter than bits(m) - 1 + R_bits settles it
        // on lengths alone; only an `a` of the boundary length is compared.
        let r_bits = 64 * m.bits().div_ceil(64);
        let fits = match a.bits().cmp(&(m.bits() - 1 + r_bits)) {
            Ordering::Less => true,
            Ordering::Greater => a.bits() <= m.bits() + r_bits && a.shr(r_bits)? < *m,
            Ordering::Equal => true,
        };
        if !fits {
            return Err(AsymError::InvalidParam(
                "the number is too long to reduce by this modulus",
            ));
        }
        let t = Bn::new()?;
        // SAFETY: all live; `a < m·R` as checked; `mont` built from `m`.
        ok(unsafe { sys::BN_from_montgomery(t.0.as_ptr(), a.ptr(), mont.0.as_ptr(), self.p()) })?;
        let r = Bn::new()?;
        // SAFETY: all live; `t < m` as BN_from_montgomery returns it reduced.
        ok(unsafe { sys::BN_to_montgomery(r.0.as_ptr(), t.ptr(), mont.0.as_ptr(), self.p()) })?;
        Ok(r)
    }

    /// `a * b mod m` through Montgomery multiplication, for secret factors:
    /// `a` and `b` must be reduced (`< m`), `mont` prepared from `m`.
    pub fn mod_mul_secret(&mut self, a: &Bn, b: &Bn, mont: &Mont) -> AsymResult<Bn> {
        let am = Bn::new()?;
        // SAFETY: all live; the caller keeps `a < m` (a larger value gives a
        // wrong number, not UB: aws-lc bounds its writes by `r`'s own size).
        ok(unsafe { sys::BN_to_montgomery(am.0.as_ptr(), a.ptr(), mont.0.as_ptr(), self.p()) })?;
        let r = Bn::new()?;
        // SAFETY: as above; (a·R)·b·R⁻¹ = a·b mod m.
        ok(unsafe {
            sys::BN_mod_mul_montgomery(r.0.as_ptr(), am.ptr(), b.ptr(), mont.0.as_ptr(), self.p())
        })?;
        Ok(r)
    }

    /// `a + b mod m` in constant time; `a` and `b` must be reduced (`< m`).
    pub fn mod_add_secret(&mut self, a: &Bn, b: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; BN_mod_add_quick is aws-lc's constant-time
        // modular addition of reduced operands.
        ok(unsafe { sys::BN_mod_add_quick(r.0.as_ptr(), a.ptr(), b.ptr(), m.ptr()) })?;
        Ok(r)
    }

    /// `a - b mod m` in constant time; `a` and `b` must be reduced (`< m`).
    pub fn mod_sub_secret(&mut self, a: &Bn, b: &Bn, m: &Bn) -> AsymResult<Bn> {
        need_modulus(m)?;
        let r = Bn::new()?;
        // SAFETY: all live; BN_mod_sub_quick is aws-lc's constant-time
        // modular subtraction of reduced operands.
        ok(unsafe { sys::BN_mod_sub_quick(r.0.as_ptr(), a.ptr(), b.ptr(), m.ptr()) })?;
        Ok(r)
    }

    /// Whether `a` is a perfect square (variable time: public values). An
    /// allocation failure inside aws-lc reads as "not a square" (BN_sqrt
    /// reports both the same way); callers bound any search that relies on it.
    pub fn is_square(&mut self, a: &Bn) -> AsymResult<bool> {
        let r = Bn::new()?;
        // SAFETY: all live.
        let found = unsafe { sys::BN_sqrt(r.0.as_ptr(), a.ptr(), self.p()) } == 1;
        if !found {
            // SAFETY: no arguments; the failure left an entry on the queue.
            unsafe { sys::ERR_clear_error() };
            return Ok(false);
        }
        // A found root is checked, so a true answer is never wrong.
        Ok(self.mul(&r, &r)? == *a)
    }

    /// The greatest common divisor.
    pub fn gcd(&mut self, a: &Bn, b: &Bn) -> AsymResult<Bn> {
        let r = Bn::new()?;
        // SAFETY: all live.
        ok(unsafe { sys::BN_gcd(r.0.as_ptr(), a.ptr(), b.ptr(), self.p()) })?;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u64) -> Bn {
        Bn::from_u64(v).unwrap()
    }

    #[test]
    fn bytes_round_trip_with_padding() {
        let x = Bn::from_be(&[0, 0, 1, 2, 3]).unwrap();
        assert_eq!(x.to_be_vec(), vec![1, 2, 3]);
        let mut out = [9u8; 6];
        x.write_be(&mut out, "out").unwrap();
        assert_eq!(out, [0, 0, 0, 1, 2, 3]);
        let mut small = [0u8; 2];
        assert_eq!(
            x.write_be(&mut small, "small"),
            Err(AsymError::InvalidParam("small"))
        );
        assert!(Bn::from_be(&[]).unwrap().is_zero());
    }

    #[test]
    fn arithmetic_matches_u128() {
        let mut ctx = BnCtx::new().unwrap();
        let m = 1_000_000_007u64;
        assert_eq!(
            ctx.mod_exp_public(&n(3), &n(200), &n(m)).unwrap().low_u64(),
            {
                let mut r = 1u128;
                for _ in 0..200 {
                    r = r * 3 % m as u128;
                }
                r as u64
            }
        );
        let mont = ctx.mont(&n(m)).unwrap();
        assert_eq!(
            ctx.mod_exp_secret(&n(5), &n(12345), &n(m), &mont)
                .unwrap()
                .low_u64(),
            ctx.mod_exp_public(&n(5), &n(12345), &n(m))
                .unwrap()
                .low_u64()
        );
        let inv = ctx.mod_inverse_prime(&n(12345), &n(m), &mont).unwrap();
        assert_eq!(ctx.mod_mul(&inv, &n(12345), &n(m)).unwrap().low_u64(), 1);
        assert_eq!(
            ctx.mod_inverse_public(&n(12345), &n(m)).unwrap().low_u64(),
            inv.low_u64()
        );
        assert!(matches!(
            ctx.mod_inverse_public(&n(6), &n(9)),
            Err(AsymError::Failed(_))
        ));
        assert_eq!(ctx.gcd(&n(84), &n(36)).unwrap().low_u64(), 12);
        assert_eq!(ctx.mod_sub(&n(3), &n(5), &n(7)).unwrap().low_u64(), 5);
        // An even modulus works for the public exponentiation.
        assert_eq!(
            ctx.mod_exp_public(&n(3), &n(4), &n(10)).unwrap().low_u64(),
            1
        );
    }

    #[test]
    fn bad_moduli_are_refused() {
        let mut ctx = BnCtx::new().unwrap();
        assert!(matches!(ctx.mont(&n(0)), Err(AsymError::InvalidParam(_))));
        assert!(matches!(ctx.mont(&n(10)), Err(AsymError::InvalidParam(_))));
        assert!(matches!(
            ctx.nnmod(&n(1), &n(0)),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            ctx.mod_exp_public(&n(1), &n(1), &n(0)),
            Err(AsymError::InvalidParam(_))
        ));
        let mont = ctx.mont(&n(7)).unwrap();
        assert!(matches!(
            ctx.mod_exp_secret(&n(9), &n(1), &n(7), &mont),
            Err(AsymError::InvalidParam(_))
        ));
    }
}
