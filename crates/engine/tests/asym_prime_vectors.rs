//! The prime test (`softqat_engine::asym::prime`) on Wycheproof's primality vectors
//! (`data/asym/wycheproof_primality_subset.txt`): composites built to fool Fermat, fixed-base
//! Miller-Rabin and other libraries must fail the strong Lucas test on its own and the full
//! GCD + Fermat + Miller-Rabin (base 2) + Lucas chain; even and zero candidates are refused.

mod common;
use common::{field, hex, records};

use softqat_engine::asym::{prime, AsymError};

#[test]
fn wycheproof_primality_subset() {
    let text = include_str!("data/asym/wycheproof_primality_subset.txt");
    let recs = records(text);
    assert_eq!(recs.len(), 32);
    for r in &recs {
        let id = field(r, "tcId");
        let v = hex(field(r, "value"));
        let significant = v.iter().skip_while(|&&b| b == 0).count();
        let slot = significant.max(64);
        let mut w = vec![0u8; slot];
        w[slot - 1] = 2;
        match field(r, "expect") {
            "refused" => assert!(matches!(
                prime::prime_test(&v, true, false, 0, &[], false),
                Err(AsymError::InvalidParam(_))
            )),
            "notprime" => assert!(!prime::prime_test(&v, true, true, 0, &[], true).unwrap()),
            "composite" => {
                assert!(
                    !prime::prime_test(&v, false, false, 0, &[], true).unwrap(),
                    "{id} lucas"
                );
                let rounds = u32::from(v.len() > 1 || v[0] > 3);
                let wit = if rounds == 1 { &w[..] } else { &[][..] };
                assert!(
                    !prime::prime_test(&v, true, true, rounds, wit, true).unwrap(),
                    "{id} all"
                );
            }
            other => panic!("{id}: unknown expectation {other}"),
        }
    }
}
