//! Bad input for trust lists, revocation lists and policies: each refused with a clear error,
//! never half-loaded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use ciborium::Value;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::trust::{
    CredentialHash, KeyAlgorithm, REVOCATION_LIST_MARKER, RevocationList, TRUST_LIST_MARKER, TrustList,
};
use healthpass::{CredentialId, Error, Limits};
use trust_support::*;

fn int(i: i64) -> Value {
    Value::Integer(i.into())
}

fn map(entries: Vec<(i64, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (int(k), v)).collect())
}

fn raw_entry(public_key: Vec<u8>, kid: Vec<u8>) -> Value {
    map(vec![
        (1, Value::Bytes(kid)),
        (2, int(-8)),
        (3, Value::Bytes(public_key)),
        (4, Value::Text("CN-GD".into())),
        (5, Value::Text("CN-GD".into())),
        (6, int(t0().timestamp() - 86_400)),
        (7, int(t0().timestamp() + 86_400)),
        (8, map(vec![])),
    ])
}

fn raw_list(entries: Vec<Value>) -> Value {
    map(vec![
        (0, Value::Text(TRUST_LIST_MARKER.into())),
        (1, int(9)),
        (2, int(t0().timestamp())),
        (3, int(t0().timestamp() + 86_400)),
        (4, Value::Array(entries)),
    ])
}

fn decode(bytes: &[u8]) -> Result<TrustList, Error> {
    TrustList::decode_signed(bytes, &[anchor().public_key()], &Limits::DEFAULT)
}

#[test]
fn a_good_list_round_trips_and_a_raw_one_matches_the_documented_format() {
    assert_eq!(decode(&signed_trust_list(5)).unwrap(), trust_list(5));
    let key = office().public_key();
    let raw = sign_raw(&raw_list(vec![raw_entry(key.to_bytes().to_vec(), key.kid().into_bytes())]), &anchor());
    let list = decode(&raw).unwrap();
    assert_eq!(list.sequence, 9);
    assert_eq!(list.entries[0].algorithm, KeyAlgorithm::Ed25519);
    assert_eq!(list.entries[0].ed25519_key().unwrap(), key);
}

#[test]
fn a_bad_signature_is_refused() {
    let mut bytes = signed_trust_list(5);
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(decode(&bytes).unwrap_err(), Error::BadSignature);
}

#[test]
fn a_list_signed_by_an_unknown_anchor_is_refused() {
    let bytes = trust_list(5).sign(&office(), &Limits::DEFAULT).unwrap();
    assert_eq!(decode(&bytes).unwrap_err(), Error::UnknownAnchor(office().kid().to_string()));
}

#[test]
fn a_lower_sequence_is_refused() {
    let held = trust_list(5);
    let err = held.check_update(&decode(&signed_trust_list(3)).unwrap()).unwrap_err();
    assert_eq!(err, Error::ListRollback { what: "trust list", held: 5, got: 3 });
    assert!(err.to_string().contains("sequence 3 is lower than 5"));
}

#[test]
fn every_truncation_of_a_list_is_refused() {
    let bytes = signed_trust_list(5);
    for len in 0..bytes.len() {
        // Every cut leaves the COSE_Sign1 (or an item in it) short of its declared length.
        let err = decode(&bytes[..len]).unwrap_err();
        assert_eq!(err.code(), "cbor", "{len}: {err}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(decode(&longer).unwrap_err(), Error::TrailingBytes { step: "COSE_Sign1" });
}

#[test]
fn a_malformed_key_entry_refuses_the_whole_list() {
    let good = office().public_key();
    let good_entry = raw_entry(good.to_bytes().to_vec(), good.kid().into_bytes());
    let cases = [
        ("31-byte key", raw_entry(vec![7; 31], good.kid().into_bytes())),
        ("kid of another key", raw_entry(good.to_bytes().to_vec(), vec![1; 8])),
        ("empty kid", raw_entry(good.to_bytes().to_vec(), vec![])),
    ];
    for (what, bad) in cases {
        let bytes = sign_raw(&raw_list(vec![good_entry.clone(), bad]), &anchor());
        let err = decode(&bytes).unwrap_err();
        assert_eq!(err.code(), "list", "{what}: {err}");
        assert!(err.to_string().starts_with("trust list entry: kid"), "{what}: {err}");
    }
    // A P-256 entry must hold a DER SubjectPublicKeyInfo.
    let Value::Map(mut fields) = raw_entry(vec![0x04; 65], vec![1; 8]) else { unreachable!() };
    fields[1].1 = int(-7);
    let err = decode(&sign_raw(&raw_list(vec![Value::Map(fields)]), &anchor())).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("SubjectPublicKeyInfo"), "{err}");
}

#[test]
fn unknown_keys_wrong_markers_and_bad_times_are_refused() {
    let Value::Map(mut fields) = raw_list(vec![]) else { unreachable!() };
    fields.push((int(99), Value::Null));
    let err = decode(&sign_raw(&Value::Map(fields), &anchor())).unwrap_err();
    assert_eq!(err, Error::List { what: "trust list", detail: "unknown key 99".into() });

    let Value::Map(mut fields) = raw_list(vec![]) else { unreachable!() };
    fields[0].1 = Value::Text(REVOCATION_LIST_MARKER.into());
    let err = decode(&sign_raw(&Value::Map(fields), &anchor())).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("format marker"), "{err}");

    let Value::Map(mut fields) = raw_list(vec![]) else { unreachable!() };
    fields[3].1 = int(t0().timestamp() - 1);
    let err = decode(&sign_raw(&Value::Map(fields), &anchor())).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("next_update"), "{err}");
}

#[test]
fn a_failed_update_leaves_the_checkpoint_as_it_was() {
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), Policy::permissive()).unwrap();
    let mut bad = signed_trust_list(6);
    let at = bad.len() - 10;
    bad[at] ^= 0x40;
    assert_eq!(cp.update_trust_list(&bad).unwrap_err(), Error::BadSignature);
    assert_eq!(cp.update_trust_list(&bad[..bad.len() / 2]).unwrap_err().code(), "cbor");
    assert_eq!(cp.trust_list(), &trust_list(5));
}

#[test]
fn oversized_lists_are_refused_before_decoding() {
    let mut limits = Limits::DEFAULT;
    limits.max_list_bytes = 64;
    let err = TrustList::decode_signed(&signed_trust_list(5), &[anchor().public_key()], &limits).unwrap_err();
    assert_eq!(err, Error::TooLarge { what: "trust list", limit: 64 });
    let mut limits = Limits::DEFAULT;
    limits.max_trust_entries = 2;
    let err = TrustList::decode_signed(&signed_trust_list(5), &[anchor().public_key()], &limits).unwrap_err();
    assert_eq!(err.code(), "too_large");
}

fn raw_revocations(hashes: Vec<u8>) -> Vec<u8> {
    sign_raw(
        &map(vec![
            (0, Value::Text(REVOCATION_LIST_MARKER.into())),
            (1, int(1)),
            (2, int(t0().timestamp())),
            (3, int(t0().timestamp() + 86_400)),
            (5, Value::Bytes(hashes)),
        ]),
        &anchor(),
    )
}

#[test]
fn revocation_lists_must_hold_whole_sorted_hashes() {
    let trust = trust_list(5);
    let decode =
        |bytes: &[u8]| RevocationList::decode_signed(bytes, &[anchor().public_key()], &trust, &Limits::DEFAULT);
    let a = CredentialHash::of(&CredentialId([1; 16])).0;
    let b = CredentialHash::of(&CredentialId([2; 16])).0;
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let list = decode(&raw_revocations([lo, hi].concat())).unwrap();
    assert!(list.contains(&CredentialHash(lo)) && list.contains(&CredentialHash(hi)));
    assert!(!list.contains(&CredentialHash::of(&CredentialId([3; 16]))));
    let unsorted = decode(&raw_revocations([hi, lo].concat())).unwrap_err();
    assert_eq!(unsorted.code(), "list", "{unsorted}");
    assert!(unsorted.to_string().contains("ascending"), "{unsorted}");
    let duplicate = decode(&raw_revocations([lo, lo].concat())).unwrap_err();
    assert_eq!(duplicate.code(), "list", "{duplicate}");
    assert!(duplicate.to_string().contains("ascending"), "{duplicate}");
    let ragged = decode(&raw_revocations(vec![0; 17])).unwrap_err();
    assert_eq!(ragged.code(), "list", "{ragged}");
    assert!(ragged.to_string().contains("16-byte"), "{ragged}");
    let mut limits = Limits::DEFAULT;
    limits.max_revoked_credentials = 1;
    let err =
        RevocationList::decode_signed(&raw_revocations([lo, hi].concat()), &[anchor().public_key()], &trust, &limits)
            .unwrap_err();
    assert_eq!(err, Error::TooLarge { what: "revoked credentials", limit: 1 });
    // A trust list is not a revocation list.
    let err = decode(&signed_trust_list(5)).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("format marker"), "{err}");
}

#[test]
fn policies_with_unknown_fields_or_contradictions_are_refused() {
    let cases = [
        (r#"{ "accept_colours": ["green"], "max_age": 3 }"#, "unknown field `max_age`"),
        (r#"{ "accept_colours": [] }"#, "accept no code"),
        (r#"{ "accept_colours": ["green"], "accept_regions": [] }"#, "accept_regions is empty"),
        (r#"{ "accept_colours": ["green"], "accept_issuers": ["CN-GD"], "deny_issuers": ["CN-GD"] }"#, "both"),
        (r#"{ "accept_colours": ["green"], "test_kinds": ["antigen"] }"#, "no rule uses"),
        (r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 0 }"#, "0 hours"),
        (r#"{ "accept_colours": ["green"], "max_temperature_decicelsius": 37 }"#, "tenths"),
        (r#"{ "accept_colours": ["purple"] }"#, "unknown variant"),
        (r#"{ "accept_colours": ["green"] "#, "EOF"),
        (r#"{ }"#, "missing field `accept_colours`"),
    ];
    for (json, why) in cases {
        let err = Policy::from_json(json).unwrap_err();
        assert_eq!(err.code(), "policy", "{json}");
        assert!(err.to_string().contains(why), "{json}: {err}");
    }
    let ok = Policy::from_json(r#"{ "accept_colours": ["green", "yellow"], "stale_list_grace_hours": 24 }"#).unwrap();
    assert_eq!(Policy::from_json(&ok.to_json()).unwrap(), ok);
}

fn json_blocks(markdown: &str) -> Vec<&str> {
    markdown.split("```json").skip(1).map(|block| block.split("```").next().unwrap()).collect()
}

#[test]
fn the_documented_examples_load_and_the_documented_contradiction_does_not() {
    let blocks = json_blocks(include_str!("../../../docs/POLICY.md"));
    let (refused, examples) = blocks.split_last().unwrap();
    assert!(examples.len() >= 4);
    for json in examples {
        Policy::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
    let err = Policy::from_json(refused).unwrap_err();
    assert_eq!(err.code(), "policy", "{err}");
    assert!(err.to_string().contains("both"), "{err}");
    let drafts = json_blocks(include_str!("../../../docs/TRUST.md"));
    let draft: TrustList = serde_json::from_str(drafts[0]).unwrap();
    draft.validate(&Limits::DEFAULT).unwrap();
    assert_eq!(draft.entries[0].scope.colours.as_ref().unwrap().len(), 3);
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_are_refused_as_lists(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let anchors = [anchor().public_key()];
            // Random bytes never get past the envelope: no signature verifies, no payload is read.
            let envelope = |code: &str| {
                matches!(
                    code,
                    "cbor" | "trailing_bytes" | "duplicate_key" | "too_large" | "unsupported_alg" | "missing_alg"
                        | "missing_kid" | "unknown_anchor" | "bad_signature"
                )
            };
            let err = TrustList::decode_signed(&bytes, &anchors, &Limits::DEFAULT).unwrap_err();
            prop_assert!(envelope(err.code()), "{}", err);
            let err = TrustList::decode_unverified(&bytes, &Limits::DEFAULT).unwrap_err();
            prop_assert!(envelope(err.code()) || err.code() == "list", "{}", err);
            let err = RevocationList::decode_signed(&bytes, &anchors, &trust_list(1), &Limits::DEFAULT).unwrap_err();
            prop_assert!(envelope(err.code()), "{}", err);
        }

        #[test]
        fn corrupted_lists_are_refused_or_identical(at in 0usize..4096, bit in 0u8..8) {
            let mut bytes = signed_trust_list(5);
            // d2 84 4d <13-byte protected header> a0 59 <length: 2 bytes> <payload> 58 40 <signature>
            prop_assert_eq!(&bytes[16..18], &[0xa0, 0x59]);
            let signed_content = 20..bytes.len() - 66;
            let signature = bytes.len() - 64..bytes.len();
            let at = at % bytes.len();
            bytes[at] ^= 1 << bit;
            // A flipped bit either breaks the list or (in a byte the signature does not cover,
            // which a tagged COSE_Sign1 with an empty unprotected map does not have) changes nothing.
            match decode(&bytes) {
                Ok(list) => prop_assert_eq!(list, trust_list(5)),
                // Inside the payload or the signature only the signature check can notice.
                Err(err) if signed_content.contains(&at) || signature.contains(&at) => {
                    prop_assert_eq!(err, Error::BadSignature)
                }
                // In the framing or the protected header: the structure, the header or the signer.
                Err(err) => prop_assert!(
                    matches!(
                        err.code(),
                        "cbor" | "trailing_bytes" | "unsupported_alg" | "missing_alg" | "missing_kid" | "unknown_anchor"
                            | "bad_signature" | "duplicate_key"
                    ),
                    "{at}: {err}"
                ),
            }
        }

        #[test]
        fn arbitrary_text_is_refused_as_a_policy_or_loads_consistently(text in ".{0,200}") {
            if let Ok(policy) = Policy::from_json(&text) {
                prop_assert!(policy.validate().is_ok());
            }
        }
    }
}

#[test]
fn check_update_refuses_a_list_for_another_issuer() {
    let t = t0();
    let mut held = RevocationList::new(1, t, t + chrono::TimeDelta::days(1));
    held.issuer = Some("CN-GD".into());
    let mut offered = RevocationList::new(2, t, t + chrono::TimeDelta::days(1));
    for other in [Some("HK-DH".to_string()), None] {
        offered.issuer = other;
        assert_eq!(held.check_update(&offered).unwrap_err().code(), "list");
    }
    offered.issuer = Some("CN-GD".into());
    held.check_update(&offered).unwrap();
}
