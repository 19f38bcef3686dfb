//! Batch verification gives, code by code, exactly what single verification gives.

use chrono::{TimeDelta, TimeZone, Utc};
use healthpass::verify::TrustedKey;
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
