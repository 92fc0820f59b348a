//! QAT's large-number service: `cpaCyLnModExp` (`base^exponent mod
//! modulus`) and `cpaCyLnModInv` (`A⁻¹ mod B`).
//!
//! Every number may be up to [`MAX_BITS`] long. The output must hold at
//! least the modulus's length in bytes and is written left-padded over all of
//! it.

use super::bn::{Bn, BnCtx};
use super::{AsymError, AsymResult};

/// The longest number the large-number service takes, in bits.
pub const MAX_BITS: usize = 8192;

fn number(v: &[u8], what: &'static str) -> AsymResult<Bn> {
    let x = Bn::from_be(v)?;
    if x.bits() > MAX_BITS {
        return Err(AsymError::InvalidParam(what));
    }
    Ok(x)
}

/// `out = base^exponent mod modulus`.
///
/// The modulus must be non-zero; a base at or above it is reduced first
/// (the header allows any base below 2^8192). An odd modulus takes the
/// constant-time path (the exponent may be a secret); an even one the
/// variable-time one, as aws-lc's Montgomery arithmetic needs an odd modulus.
pub fn mod_exp(modulus: &[u8], base: &[u8], exponent: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let m = number(modulus, "the modulus is longer than 8192 bits")?;
    let b = number(base, "the base is longer than 8192 bits")?;
    let e = number(exponent, "the exponent is longer than 8192 bits")?;
    if m.is_zero() {
        return Err(AsymError::InvalidParam("the modulus must not be zero"));
    }
    if out.len() < m.byte_len() {
        return Err(AsymError::InvalidParam(
            "the result must hold at least the modulus length",
        ));
    }
    let mut ctx = BnCtx::new()?;
    let r = if m.is_one() {
        // Everything is 0 mod 1; Montgomery set-up wants a modulus above one.
        Bn::new()?
    } else if m.is_odd() {
        let mont = ctx.mont(&m)?;
        let b = if b.bits() < m.bits() + 64 * m.bits().div_ceil(64) {
            ctx.reduce_secret(&b, &m, &mont)?
        } else {
            ctx.nnmod(&b, &m)?
        };
        ctx.mod_exp_secret(&b, &e, &m, &mont)?
    } else {
        ctx.mod_exp_public(&b, &e, &m)?
    };
    r.write_be(out, "the result")
}

/// `out = A⁻¹ mod B`: `B` is the modulus.
///
/// Neither may be zero and they may not both be even; `Failed` when `A`
/// and `B` are not coprime (there is no inverse). `A` may exceed `B`. The
/// inversion is variable time: the header does not mark either as secret.
pub fn mod_inv(a: &[u8], b: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let a = number(a, "A is longer than 8192 bits")?;
    let b = number(b, "B is longer than 8192 bits")?;
    if a.is_zero() {
        return Err(AsymError::InvalidParam("A must not be zero"));
    }
    if b.is_zero() {
        return Err(AsymError::InvalidParam("B (the modulus) must not be zero"));
    }
    if !a.is_odd() && !b.is_odd() {
        return Err(AsymError::InvalidParam("A and B must not both be even"));
    }
    if out.len() < b.byte_len() {
        return Err(AsymError::InvalidParam(
            "the result must hold at least the modulus length",
        ));
    }
    let mut ctx = BnCtx::new()?;
    let r = if b.is_one() {
        Bn::new()?
    } else {
        let a = ctx.nnmod(&a, &b)?;
        ctx.mod_inverse_public(&a, &b)?
    };
    r.write_be(out, "the result")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(m: &[u8], b: &[u8], e: &[u8], n: usize) -> AsymResult<Vec<u8>> {
        let mut out = vec![0xaa; n];
        mod_exp(m, b, e, &mut out).map(|()| out)
    }

    #[test]
    fn small_cases() {
        // 4^13 mod 497 = 445 (odd modulus), 3^5 mod 10 = 3 (even modulus).
        assert_eq!(exp(&[0x01, 0xf1], &[4], &[13], 2).unwrap(), [0x01, 0xbd]);
        assert_eq!(exp(&[10], &[3], &[5], 1).unwrap(), [3]);
        // A base above the modulus is reduced: 1000 ≡ 3 (mod 997).
        assert_eq!(exp(&[0x03, 0xe5], &[0x03, 0xe8], &[2], 2).unwrap(), [0, 9]);
        assert_eq!(exp(&[1], &[5], &[5], 1).unwrap(), [0]);
        assert_eq!(exp(&[7], &[5], &[], 1).unwrap(), [1]);
        assert!(matches!(
            exp(&[0], &[5], &[5], 1),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            exp(&[1, 0], &[5], &[5], 1),
            Err(AsymError::InvalidParam(_))
        ));
        let mut out = [0u8; 1];
        mod_inv(&[3], &[7], &mut out).unwrap();
        assert_eq!(out, [5]);
        mod_inv(&[10], &[7], &mut out).unwrap();
        assert_eq!(out, [5]);
        // Even B with odd A is allowed: 3⁻¹ mod 8 = 3.
        mod_inv(&[3], &[8], &mut out).unwrap();
        assert_eq!(out, [3]);
        assert!(matches!(
            mod_inv(&[2], &[8], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            mod_inv(&[3], &[9], &mut out),
            Err(AsymError::Failed(_))
        ));
        assert!(matches!(
            mod_inv(&[0], &[9], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            mod_inv(&[3], &[0], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        let too_long = vec![1u8; 1025];
        assert!(matches!(
            exp(&too_long, &[2], &[2], 1025),
            Err(AsymError::InvalidParam(_))
        ));
    }
}
