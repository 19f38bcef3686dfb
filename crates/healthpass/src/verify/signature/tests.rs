//! The 12 edge cases of "Taming the many EdDSAs" (test-vectors/ed25519-speccheck), byte for byte,
//! against the rule of docs/FORMAT.md §3: the single and the batch equation agree on each.

use super::*;
use crate::{Error, PublicKey};

/// What the rule decides for each case, in the order of cases.json, and why.
const EXPECTED: [(&str, Result<(), &str>); 12] = [
    ("0: small A and small R, S = 0", Err("key")),
    ("1: small A, mixed R", Err("key")),
    ("2: mixed A, small R", Err("bad_signature")),
    ("3: mixed A, mixed R, both equations hold", Ok(())),
    ("4: mixed A, mixed R, only the cofactored equation holds", Ok(())),
    ("5: mixed A, prime-order R, cofactored without pre-reduction", Ok(())),
    ("6: S > ℓ", Err("bad_signature")),
    ("7: S ≫ ℓ", Err("bad_signature")),
    ("8: non-canonical R, reduced for the hash", Err("bad_signature")),
    ("9: non-canonical R, not reduced for the hash", Err("bad_signature")),
    ("10: non-canonical A, reduced for the hash", Err("key")),
    ("11: non-canonical A, not reduced for the hash", Err("key")),
];

struct Case {
    message: Vec<u8>,
    key: [u8; 32],
    signature: Vec<u8>,
}

fn cases() -> Vec<Case> {
    let json: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../../../../../test-vectors/ed25519-speccheck/cases.json")).unwrap();
    json.iter()
        .map(|c| Case {
            message: data_encoding::HEXLOWER_PERMISSIVE.decode(c["message"].as_str().unwrap().as_bytes()).unwrap(),
            key: data_encoding::HEXLOWER_PERMISSIVE
                .decode(c["pub_key"].as_str().unwrap().as_bytes())
                .unwrap()
                .try_into()
                .unwrap(),
            signature: data_encoding::HEXLOWER_PERMISSIVE.decode(c["signature"].as_str().unwrap().as_bytes()).unwrap(),
        })
        .collect()
}

fn single(key: &PublicKey, case: &Case) -> std::result::Result<(), &'static str> {
    key.verify_cofactored(&case.message, &case.signature).map_err(|e| e.code())
}

/// The case checked in a batch of its own and in a batch with an honest signature beside it.
fn batch(key: &PublicKey, case: &Case) -> std::result::Result<(), &'static str> {
    let honest = crate::SigningKey::from_seed(&[5; 32]);
    let Some(prepared) = prepare(&key.to_bytes(), &case.message, &case.signature) else {
        return Err(Error::BadSignature.code());
    };
    let good = prepare(&honest.public_key().to_bytes(), b"m", &honest.sign(b"m")).unwrap();
    let keys = [key.point(), honest.public_key().point()];
    let alone = all_hold(&[(0, prepared)], &keys).unwrap();
    let mixed = all_hold(&[(1, good), (0, prepared)], &keys).unwrap();
    assert_eq!(alone, mixed);
    if alone { Ok(()) } else { Err(Error::BadSignature.code()) }
}

#[test]
fn the_speccheck_cases_get_the_same_verdict_single_and_batch() {
    let cases = cases();
    assert_eq!(cases.len(), EXPECTED.len());
    for (case, (name, expected)) in cases.iter().zip(EXPECTED) {
        let got = match PublicKey::from_bytes(&case.key) {
            Err(e) => Err(e.code()),
            Ok(key) => {
                let single = single(&key, case);
                assert_eq!(single, batch(&key, case), "case {name}: single and batch differ");
                single
            }
        };
        assert_eq!(got, expected, "case {name}");
    }
}

#[test]
fn the_cofactored_rule_accepts_what_the_cofactorless_one_refuses_only_for_torsion() {
    // Case 4 holds only with the cofactor: `verify_strict` (cofactorless) refuses it.
    let case = &cases()[4];
    let key = PublicKey::from_bytes(&case.key).unwrap();
    assert_eq!(key.verify_strict(&case.message, &case.signature).unwrap_err().code(), "bad_signature");
    assert_eq!(key.verify_cofactored(&case.message, &case.signature), Ok(()));
}

#[test]
fn a_y_at_or_above_p_is_not_canonical() {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    assert!(!y_is_canonical(&p));
    p[0] = 0xec;
    assert!(y_is_canonical(&p));
    p[31] = 0xff; // the sign bit is not part of y
    assert!(y_is_canonical(&p));
    p[0] = 0xee;
    assert!(!y_is_canonical(&p));
}
