//! Diffie-Hellman as QAT's `cpaCyDhKeyGenPhase1` and
//! `cpaCyDhKeyGenPhase2Secret` define it (PKCS #3): the local public value
//! `g^x mod p` and the shared secret `y^x mod p`, both constant time in the
//! private value `x`.
//!
//! `p` must be odd and one of [`PRIME_BITS`] long; outputs must hold at
//! least `p`'s length in bytes and are written left-padded over all of it.

use super::bn::{Bn, BnCtx};
use super::{AsymError, AsymResult};

/// Bit lengths of the prime `p` QAT's DH accepts (the RFC 2409, 4306 and
/// 3526 groups except 6144 bits).
pub const PRIME_BITS: [usize; 7] = [768, 1024, 1536, 2048, 3072, 4096, 8192];

fn prime(p: &[u8]) -> AsymResult<Bn> {
    let p = Bn::from_be(p)?;
    if !PRIME_BITS.contains(&p.bits()) {
        return Err(AsymError::InvalidParam(
            "the DH prime must be 768, 1024, 1536, 2048, 3072, 4096 or 8192 bits long",
        ));
    }
    if !p.is_odd() {
        return Err(AsymError::InvalidParam("the DH prime must be odd"));
    }
    Ok(p)
}

/// The private value, checked to lie in `0 < x < p - 1` (a range check of
/// a secret: a refusal tells only that the caller's value is malformed).
fn private_value(x: &[u8], p1: &Bn) -> AsymResult<Bn> {
    let x = Bn::from_be(x)?;
    if x.is_zero() || x >= *p1 {
        return Err(AsymError::InvalidParam(
            "the DH private value must lie in 0 < x < p - 1",
        ));
    }
    Ok(x)
}

fn exp(p: &Bn, base: &Bn, x: &Bn, out: &mut [u8]) -> AsymResult<()> {
    if out.len() < p.byte_len() {
        return Err(AsymError::InvalidParam(
            "the DH output must hold at least the prime's length",
        ));
    }
    let mut ctx = BnCtx::new()?;
    let mont = ctx.mont(p)?;
    ctx.mod_exp_secret(base, x, p, &mont)?
        .write_be(out, "the DH output")
}

/// Phase 1: the local public value `out = g^x mod p`, for `0 < g < p` and
/// `0 < x < p - 1`.
pub fn phase1(p: &[u8], g: &[u8], x: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let p = prime(p)?;
    let g = Bn::from_be(g)?;
    if g.is_zero() || g >= p {
        return Err(AsymError::InvalidParam("the DH base must lie in 0 < g < p"));
    }
    let x = private_value(x, &p.sub_word(1)?)?;
    exp(&p, &g, &x, out)
}

/// Phase 2: the shared secret `out = y^x mod p` from the peer's public value
/// `y`, which must lie in `1 < y < p - 1` (0, 1 and p - 1 would force the
/// secret into {0, 1, p - 1}).
pub fn phase2(p: &[u8], peer_public: &[u8], x: &[u8], out: &mut [u8]) -> AsymResult<()> {
    let p = prime(p)?;
    let p1 = p.sub_word(1)?;
    let y = Bn::from_be(peer_public)?;
    if y.bits() <= 1 || y >= p1 {
        return Err(AsymError::InvalidParam(
            "the peer's DH public value must lie in 1 < y < p - 1",
        ));
    }
    let x = private_value(x, &p1)?;
    exp(&p, &y, &x, out)
}
