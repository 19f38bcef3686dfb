//! Batch verification gives, code by code, exactly what single verification gives.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{TimeDelta, TimeZone, Utc};
use healthpass::trust::TrustedKey;
use healthpass::{Claims, CredentialId, Issuer, KeySet, SigningKey, Verifier};

#[test]
fn a_batch_agrees_with_single_verification_code_by_code() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let issuers: Vec<SigningKey> = (1..=3u8).map(|i| SigningKey::from_seed(&[i; 32])).collect();
    let mut keys: KeySet = issuers.iter().map(SigningKey::public_key).collect();
    // A fourth key shares the first key's kid: codes under that kid take the single path.
    keys.insert_under(issuers[0].kid(), TrustedKey { key: SigningKey::from_seed(&[9; 32]).public_key(), issuer: None });
    let verifier = Verifier::new(keys);
    let mut texts: Vec<String> = (0..70u8)
        .map(|i| {
            let claims = Claims { credential_id: CredentialId([i; 16]), ..Claims::example(now) };
            Issuer::new(SigningKey::from_seed(&[1 + i % 3; 32])).issue(&claims).unwrap()
        })
        .collect();
    // Spoil a few: a forged signature, an expired code, garbage, an unknown issuer.
    let impostor = Issuer::new(SigningKey::from_seed(&[7; 32])).issue(&Claims::example(now)).unwrap();
    texts[5] = impostor;
    texts[17] = {
        let mut c = Claims::example(now - TimeDelta::days(3));
        c.credential_id = CredentialId([0xee; 16]);
        Issuer::new(SigningKey::from_seed(&[2; 32])).issue(&c).unwrap()
    };
    texts[33] = "HP1:garbage".into();
    // Swap the signature bytes of two valid codes of the same issuer: both must fail alone.
    let tampered = {
        let body = healthpass::transport::decode_base45(texts[40].strip_prefix("HP1:").unwrap()).unwrap();
        let mut cose = healthpass::transport::unwrap_body(body, &healthpass::Limits::DEFAULT).unwrap();
        let last = cose.len() - 1;
        cose[last] ^= 1;
        format!("HP1:{}", healthpass::transport::encode_base45(&cose))
    };
    texts[40] = tampered;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let batch = verifier.verify_batch(&refs, now);
    assert_eq!(batch.len(), texts.len());
    let mut refused = 0;
    for (i, text) in texts.iter().enumerate() {
        let single = verifier.verify(text, now);
        assert_eq!(batch[i].as_ref().map(|v| &**v), single.as_ref().map(|v| &**v), "code {i}");
        refused += usize::from(single.is_err());
    }
    assert_eq!(refused, 4);
    assert!(matches!(batch[40], Err(healthpass::Error::BadSignature)));
    assert!(matches!(batch[17], Err(healthpass::Error::Expired(_))));
}

// ---------------------------------------------------------------------------------------------
// The signature rule: the same verdict single and batch on every input (docs/FORMAT.md §3)

use healthpass::{Error, PublicKey};
use healthpass_testkit::ed25519 as ed25519_support;
use healthpass_testkit::ed25519::{Kind, mixing_verifier, speccheck_cases, text_of, verdict};
use proptest::prelude::*;

#[test]
fn the_speccheck_cases_get_the_same_verdict_from_verify_and_verify_batch() {
    let now = ed25519_support::now();
    let honest = Issuer::new(SigningKey::from_seed(&[3; 32])).issue(&Claims::example(now)).unwrap();
    for case in speccheck_cases() {
        let key = match PublicKey::from_bytes(&case.key) {
            Ok(key) => key,
            Err(e) => {
                assert_eq!(Err(e.code()), case.expected, "case {}", case.name);
                continue;
            }
        };
        let keys: KeySet = [key, SigningKey::from_seed(&[3; 32]).public_key()].into_iter().collect();
        let verifier = Verifier::new(keys);
        let single = verifier.verify(&case.text, now);
        assert_eq!(single.as_ref().map(|_| ()).map_err(Error::code), case.expected, "case {}", case.name);
        for texts in [vec![case.text.as_str()], vec![honest.as_str(), case.text.as_str(), honest.as_str()]] {
            let batch = verifier.verify_batch(&texts, now);
            let position = texts.iter().position(|t| *t == case.text).unwrap();
            assert_eq!(batch[position], single, "case {}: batch of {}", case.name, texts.len());
            assert!(batch.iter().enumerate().all(|(i, r)| i == position || r.is_ok()), "case {}", case.name);
        }
    }
}

fn any_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        3 => (0..3u8).prop_map(Kind::Good),
        2 => (1..8usize).prop_map(Kind::TorsionR),
        1 => (0..8usize).prop_map(Kind::MixedKey),
        1 => Just(Kind::NonCanonicalS),
        1 => (0..8usize).prop_map(Kind::SmallR),
        1 => (0..200u8).prop_map(Kind::FlippedS),
        1 => Just(Kind::Expired),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_batch_gives_each_code_exactly_its_single_verdict(kinds in proptest::collection::vec(any_kind(), 1..40)) {
        let verifier = mixing_verifier();
        let now = ed25519_support::now();
        let codes: Vec<(String, &str)> =
            kinds.iter().enumerate().map(|(i, kind)| text_of(*kind, i as u32)).collect();
        let texts: Vec<&str> = codes.iter().map(|(t, _)| t.as_str()).collect();
        let batch = verifier.verify_batch(&texts, now);
        prop_assert_eq!(batch.len(), texts.len());
        for (i, ((text, expected), kind)) in codes.iter().zip(&kinds).enumerate() {
            let single = verifier.verify(text, now);
            prop_assert_eq!(&batch[i], &single, "code {} ({:?})", i, kind);
            prop_assert_eq!(verdict(&single), *expected, "code {} ({:?})", i, kind);
        }
    }
}
