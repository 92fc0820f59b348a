//! The typed constructors of [`AsymOp`], one per CPA call, sizing the
//! outputs as the CPA API defines them (an RSA result is as long as the
//! modulus, a DSA signature half as long as q, …). The numbers are flat
//! big-endian byte strings; the engine checks their values.

use softqat_cpa::sym::HashAlgorithm;
use softqat_device::desc::{
    ASYM_HKDF_LABEL_HEADER, ASYM_PRIME_FERMAT, ASYM_PRIME_GCD, ASYM_PRIME_LUCAS,
    ASYM_RSA_KEY_REP1_ONLY,
};
pub use softqat_engine::asym::ec::{
    nist_curve, Curve as EcCurve, CurveType as EcCurveType, EcdhPointMultiply,
    FieldType as EcFieldType, GenericPointMultiply, GenericPointVerify, NistCurve, NistCurveParams,
    PointMultiply as EcPointMultiply, PointVerify as EcPointVerify, WeierstrassParameters,
};
pub use softqat_engine::asym::ecdsa::{
    SignR as EcdsaSignR, SignRs as EcdsaSignRs, SignS as EcdsaSignS, Verify as EcdsaVerify,
};
pub use softqat_engine::asym::keygen::{
    HkdfLabel, HkdfOp, SslOp, Tls13Suite, TlsOp, SUBLABEL_FINISHED, SUBLABEL_IV, SUBLABEL_KEY,
    SUBLABEL_RESUMPTION,
};
pub use softqat_engine::asym::montedwds::MontEdwdsCurve;
pub use softqat_engine::asym::sm2;

use super::{AsymFunction as F, AsymOp};
use crate::error::{Error, Result};

/// An RSA private key (`CpaCyRsaPrivateKey`).
#[derive(Clone, Copy, Debug)]
pub enum RsaPrivateKey<'a> {
    /// Representation 1: modulus n and private exponent d.
    Rep1 {
        /// `modulusN`.
        n: &'a [u8],
        /// `privateExponentD`.
        d: &'a [u8],
    },
    /// Representation 2 (CRT).
    Rep2 {
        /// `prime1P`.
        p: &'a [u8],
        /// `prime2Q`.
        q: &'a [u8],
        /// `exponent1Dp`.
        dp: &'a [u8],
        /// `exponent2Dq`.
        dq: &'a [u8],
        /// `coefficientQInv`.
        qinv: &'a [u8],
    },
}

impl AsymOp {
    /// `cpaCyRsaEncrypt`: `m^e mod n`, as long as `n`.
    pub fn rsa_encrypt(n: &[u8], e: &[u8], m: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::RsaEncrypt, &[n, e, m], &[n.len()], [0; 4])
    }

    /// `cpaCyRsaDecrypt`: `c^d mod n` with either representation, as long
    /// as the modulus.
    pub fn rsa_decrypt(key: &RsaPrivateKey<'_>, c: &[u8]) -> Result<AsymOp> {
        match *key {
            RsaPrivateKey::Rep1 { n, d } => {
                AsymOp::new(F::RsaDecrypt, &[n, d, c], &[n.len()], [0; 4])
            }
            RsaPrivateKey::Rep2 { p, q, dp, dq, qinv } => AsymOp::new(
                F::RsaDecryptCrt,
                &[p, q, dp, dq, qinv, c],
                &[2 * p.len().max(q.len())],
                [0; 4],
            ),
        }
    }

    /// `cpaCyRsaGenKey` from the caller's primes: outputs n, d, dP, dQ,
    /// qInv (the last three zero when `rep1_only`).
    pub fn rsa_keygen(p: &[u8], q: &[u8], e: &[u8], rep1_only: bool) -> Result<AsymOp> {
        let half = p.len().max(q.len());
        let flags = if rep1_only { ASYM_RSA_KEY_REP1_ONLY } else { 0 };
        AsymOp::new(
            F::RsaKeyGen,
            &[p, q, e],
            &[2 * half, 2 * half, half, half, half],
            [flags, 0, 0, 0],
        )
    }

    /// `cpaCyLnModExp`: `base^exponent mod modulus`, as long as the modulus.
    pub fn ln_mod_exp(modulus: &[u8], base: &[u8], exponent: &[u8]) -> Result<AsymOp> {
        AsymOp::new(
            F::LnModExp,
            &[modulus, base, exponent],
            &[modulus.len()],
            [0; 4],
        )
    }

    /// `cpaCyLnModInv`: `A⁻¹ mod B`, as long as B.
    pub fn ln_mod_inv(a: &[u8], b: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::LnModInv, &[a, b], &[b.len()], [0; 4])
    }

    /// `cpaCyPrimeTest`: the outcome says whether every requested test
    /// passed. `mr_random` holds one witness per Miller-Rabin round.
    pub fn prime_test(
        candidate: &[u8],
        gcd: bool,
        fermat: bool,
        mr_rounds: u32,
        mr_random: &[u8],
        lucas: bool,
    ) -> Result<AsymOp> {
        let flags = if gcd { ASYM_PRIME_GCD } else { 0 }
            | if fermat { ASYM_PRIME_FERMAT } else { 0 }
            | if lucas { ASYM_PRIME_LUCAS } else { 0 };
        AsymOp::new(
            F::PrimeTest,
            &[candidate, mr_random],
            &[],
            [flags, mr_rounds, 0, 0],
        )
    }

    /// `cpaCyDhKeyGenPhase1`: `g^x mod p`, as long as p.
    pub fn dh_phase1(p: &[u8], g: &[u8], x: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DhPhase1, &[p, g, x], &[p.len()], [0; 4])
    }

    /// `cpaCyDhKeyGenPhase2Secret`: `peer^x mod p`, as long as p.
    pub fn dh_phase2(p: &[u8], peer: &[u8], x: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DhPhase2, &[p, peer, x], &[p.len()], [0; 4])
    }

    /// `cpaCyDsaGenPParam`.
    pub fn dsa_gen_p(x: &[u8], q: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DsaGenP, &[x, q], &[x.len()], [0; 4])
    }

    /// `cpaCyDsaGenGParam`.
    pub fn dsa_gen_g(p: &[u8], q: &[u8], h: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DsaGenG, &[p, q, h], &[p.len()], [0; 4])
    }

    /// `cpaCyDsaGenYParam`.
    pub fn dsa_gen_y(p: &[u8], g: &[u8], x: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DsaGenY, &[p, g, x], &[p.len()], [0; 4])
    }

    /// `cpaCyDsaSignR`.
    pub fn dsa_sign_r(p: &[u8], q: &[u8], g: &[u8], k: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DsaSignR, &[p, q, g, k], &[q.len()], [0; 4])
    }

    /// `cpaCyDsaSignS`; `z` is the message digest.
    pub fn dsa_sign_s(q: &[u8], x: &[u8], k: &[u8], r: &[u8], z: &[u8]) -> Result<AsymOp> {
        AsymOp::new(F::DsaSignS, &[q, x, k, r, z], &[q.len()], [0; 4])
    }

    /// `cpaCyDsaSignRS`.
    pub fn dsa_sign_rs(
        p: &[u8],
        q: &[u8],
        g: &[u8],
        x: &[u8],
        k: &[u8],
        z: &[u8],
    ) -> Result<AsymOp> {
        AsymOp::new(
            F::DsaSignRS,
            &[p, q, g, x, k, z],
            &[q.len(), q.len()],
            [0; 4],
        )
    }

    /// `cpaCyDsaVerify`.
    #[allow(clippy::too_many_arguments)]
    pub fn dsa_verify(
        p: &[u8],
        q: &[u8],
        g: &[u8],
        y: &[u8],
        z: &[u8],
        r: &[u8],
        s: &[u8],
    ) -> Result<AsymOp> {
        AsymOp::new(F::DsaVerify, &[p, q, g, y, z, r, s], &[], [0; 4])
    }

    /// `cpaCyEcMontEdwdsPointMultiply`: `[k]P`, or `[k]G` with `generator`
    /// (x and y then unused). Numbers are 32 bytes for the 25519 curves and
    /// 64 (56 significant) for the 448 ones; the Montgomery curves give x
    /// only.
    pub fn ec_mont_edwds_point_multiply(
        curve: MontEdwdsCurve,
        generator: bool,
        k: &[u8],
        x: &[u8],
        y: &[u8],
    ) -> Result<AsymOp> {
        let n = curve.buffer_len();
        AsymOp::new(
            F::EcMontEdwdsPointMultiply,
            &[k, x, y],
            &[n, n],
            [curve as u32, u32::from(generator), 0, 0],
        )
    }

    /// `cpaCyKeyGenSsl`: `len` bytes of SSL 3.0 key material.
    pub fn key_gen_ssl(
        op: SslOp,
        secret: &[u8],
        seed: &[u8],
        user_label: &[u8],
        len: usize,
    ) -> Result<AsymOp> {
        AsymOp::new(
            F::KeyGenSsl,
            &[secret, seed, user_label],
            &[len],
            [op as u32, 0, 0, 0],
        )
    }

    /// `cpaCyKeyGenTls`: `len` bytes of the TLS 1.0/1.1 PRF.
    pub fn key_gen_tls(
        op: TlsOp,
        secret: &[u8],
        seed: &[u8],
        user_label: &[u8],
        len: usize,
    ) -> Result<AsymOp> {
        AsymOp::new(
            F::KeyGenTls,
            &[secret, seed, user_label],
            &[len],
            [op as u32, 0, 0, 0],
        )
    }

    /// `cpaCyKeyGenTls2`: `len` bytes of the TLS 1.2 PRF with `hash`.
    pub fn key_gen_tls2(
        op: TlsOp,
        hash: HashAlgorithm,
        secret: &[u8],
        seed: &[u8],
        user_label: &[u8],
        len: usize,
    ) -> Result<AsymOp> {
        AsymOp::new(
            F::KeyGenTls2,
            &[secret, seed, user_label],
            &[len],
            [op as u32, u32::from(hash.value()), 0, 0],
        )
    }

    /// `cpaCyKeyGenTls3`: HKDF for TLS 1.3; the output is as long as
    /// `op`, `suite` and `labels` make it (PRK, then each label's output and
    /// sublabels).
    pub fn key_gen_tls3(
        op: HkdfOp,
        suite: Tls13Suite,
        secret: &[u8],
        seed: &[u8],
        info: &[u8],
        labels: &[HkdfLabel<'_>],
    ) -> Result<AsymOp> {
        let mut blob = Vec::new();
        for l in labels {
            let len = u8::try_from(l.label.len())
                .map_err(|_| Error::invalid("an HKDF label is longer than 255 bytes"))?;
            blob.extend_from_slice(&[l.sublabels, len]);
            blob.extend_from_slice(l.label);
        }
        debug_assert_eq!(ASYM_HKDF_LABEL_HEADER, 2);
        let out = softqat_engine::asym::keygen::hkdf_output_len(op, suite, labels);
        AsymOp::new(
            F::KeyGenTls3,
            &[secret, seed, info, &blob],
            &[out],
            [op as u32, suite as u32, 0, 0],
        )
    }

    /// `cpaCyKeyGenMgf`: an MGF1 mask of `len` bytes with SHA-1.
    pub fn key_gen_mgf(seed: &[u8], len: usize) -> Result<AsymOp> {
        AsymOp::new(F::KeyGenMgf, &[seed], &[len], [0; 4])
    }

    /// `cpaCyKeyGenMgfExt`: an MGF1 mask of `len` bytes with `hash`.
    pub fn key_gen_mgf_ext(seed: &[u8], hash: HashAlgorithm, len: usize) -> Result<AsymOp> {
        AsymOp::new(
            F::KeyGenMgfExt,
            &[seed],
            &[len],
            [u32::from(hash.value()), 0, 0, 0],
        )
    }

    /// `cpaCyEcPointMultiply`: `[k]G` as (x, y), each as long as q.
    pub fn ec_point_multiply(op: &EcPointMultiply<'_>) -> Result<AsymOp> {
        let n = op.q.len();
        AsymOp::new(
            F::EcPointMultiply,
            &[op.k, op.xg, op.yg, op.a, op.b, op.q, op.h],
            &[n, n],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcPointVerify`.
    pub fn ec_point_verify(op: &EcPointVerify<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::EcPointVerify,
            &[op.xq, op.yq, op.q, op.a, op.b],
            &[],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    fn generic_curve<'a>(curve: &EcCurve<'a>) -> [&'a [u8]; 4] {
        let c = &curve.parameters;
        [c.p, c.a, c.b, c.h]
    }

    /// `cpaCyEcGenericPointMultiply`: (x, y), each as long as p.
    pub fn ec_generic_point_multiply(op: &GenericPointMultiply<'_>) -> Result<AsymOp> {
        let [p, a, b, h] = Self::generic_curve(op.curve);
        AsymOp::new(
            F::EcGenericPointMultiply,
            &[op.k, op.xp, op.yp, p, a, b, h],
            &[p.len(), p.len()],
            [
                op.curve.curve_type as u32,
                op.curve.parameters.field_type as u32,
                u32::from(op.generator),
                0,
            ],
        )
    }

    /// `cpaCyEcGenericPointVerify`.
    pub fn ec_generic_point_verify(op: &GenericPointVerify<'_>) -> Result<AsymOp> {
        let [p, a, b, h] = Self::generic_curve(op.curve);
        AsymOp::new(
            F::EcGenericPointVerify,
            &[op.xp, op.yp, p, a, b, h],
            &[],
            [
                op.curve.curve_type as u32,
                op.curve.parameters.field_type as u32,
                0,
                0,
            ],
        )
    }

    /// `cpaCyEcdsaSignR`: r, as long as n.
    pub fn ecdsa_sign_r(op: &EcdsaSignR<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::EcdsaSignR,
            &[op.xg, op.yg, op.n, op.q, op.a, op.b, op.k],
            &[op.n.len()],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcdsaSignS`: s, as long as n.
    pub fn ecdsa_sign_s(op: &EcdsaSignS<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::EcdsaSignS,
            &[op.m, op.d, op.r, op.k, op.n],
            &[op.n.len()],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcdsaSignRS`: r and s, each as long as n; the outcome is false
    /// when r or s came out zero (sign again with another k).
    pub fn ecdsa_sign_rs(op: &EcdsaSignRs<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::EcdsaSignRS,
            &[op.xg, op.yg, op.n, op.q, op.a, op.b, op.k, op.m, op.d],
            &[op.n.len(), op.n.len()],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcdsaVerify`: the outcome says whether the signature holds.
    pub fn ecdsa_verify(op: &EcdsaVerify<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::EcdsaVerify,
            &[
                op.xg, op.yg, op.n, op.q, op.a, op.b, op.m, op.r, op.s, op.xp, op.yp,
            ],
            &[],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcdhPointMultiply`: (x, y), each as long as q; the outcome is
    /// false when the peer's point failed the requested verification.
    pub fn ecdh_point_multiply(op: &EcdhPointMultiply<'_>) -> Result<AsymOp> {
        let n = op.q.len();
        AsymOp::new(
            F::EcdhPointMultiply,
            &[op.k, op.xg, op.yg, op.a, op.b, op.q, op.h],
            &[n, n],
            [op.field_type as u32, u32::from(op.point_verify), 0, 0],
        )
    }

    /// `cpaCyEcsm2PointMultiply`.
    pub fn sm2_point_multiply(op: &sm2::PointMultiply<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2PointMultiply,
            &[op.k, op.x, op.y],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2GeneratorMultiply`.
    pub fn sm2_generator_multiply(op: &sm2::GeneratorMultiply<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2GeneratorMultiply,
            &[op.k],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2PointVerify`.
    pub fn sm2_point_verify(op: &sm2::PointVerify<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2PointVerify,
            &[op.x, op.y],
            &[],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2Sign`: r and s.
    pub fn sm2_sign(op: &sm2::Sign<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2Sign,
            &[op.k, op.e, op.d],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2Verify`.
    pub fn sm2_verify(op: &sm2::Verify<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2Verify,
            &[op.e, op.r, op.s, op.xp, op.yp],
            &[],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2Encrypt`: x1, y1, x2, y2.
    pub fn sm2_encrypt(op: &sm2::Encrypt<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2Encrypt,
            &[op.k, op.xp, op.yp],
            &[sm2::SIZE; 4],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2Decrypt`: x2, y2.
    pub fn sm2_decrypt(op: &sm2::Decrypt<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2Decrypt,
            &[op.d, op.x1, op.y1],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2KeyExPhase1`: the point R = [r]G.
    pub fn sm2_key_ex_phase1(op: &sm2::KeyExPhase1<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2KeyExPhase1,
            &[op.r],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }

    /// `cpaCyEcsm2KeyExPhase2`: the shared point U.
    pub fn sm2_key_ex_phase2(op: &sm2::KeyExPhase2<'_>) -> Result<AsymOp> {
        AsymOp::new(
            F::Sm2KeyExPhase2,
            &[op.r, op.d, op.x1, op.x2, op.y2, op.xp, op.yp],
            &[sm2::SIZE, sm2::SIZE],
            [op.field_type as u32, 0, 0, 0],
        )
    }
}
