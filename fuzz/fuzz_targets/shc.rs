//! SMART Health Cards (`shc:/`) numeric text → verdict, one code or the chunks of a split card
//! (one per line of the input). The example issuer of `test-vectors/shc` is trusted, with its
//! CRL, so inputs that reassemble and decode reach the signature step: a card that verifies
//! must be signed by that issuer's key; reassembly does not depend on the chunks' order; the
//! chunks joined into one text assemble to the same JWS; the unverified reader reads every card
//! that verifies; nothing panics.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use healthpass::Limits;
use healthpass_conformance::SHC_EXAMPLE_ISSUER;
use healthpass_interop::shc::{ShcIssuer, ShcVerifier, assemble, decode_unverified, group_chunks, join_chunks};
use libfuzzer_sys::fuzz_target;

const JWKS: &str = include_str!("../../test-vectors/shc/examples/issuer/.well-known/jwks.json");
const CRL: &str = include_str!(
    "../../test-vectors/shc/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"
);

struct Trust {
    verifier: ShcVerifier,
    kids: Vec<String>,
    now: DateTime<Utc>,
}

static TRUST: LazyLock<Trust> = LazyLock::new(|| {
    let jwks: serde_json::Value = serde_json::from_str(JWKS).expect("JWKS");
    let mut issuer = ShcIssuer::from_jwks(SHC_EXAMPLE_ISSUER, &jwks).expect("issuer");
    issuer.add_crl(&serde_json::from_str(CRL).expect("CRL")).expect("CRL");
    let kids =
        jwks["keys"].as_array().expect("keys").iter().filter_map(|k| k["kid"].as_str().map(str::to_owned)).collect();
    let now = Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).single().expect("time");
    Trust { verifier: ShcVerifier::new([issuer]), kids, now }
});

fuzz_target!(|data: &[u8]| {
    let trust = &*TRUST;
    let limits = Limits::DEFAULT;
    let text = String::from_utf8_lossy(data);
    let chunks: Vec<&str> = text.split('\n').collect();
    let joined = assemble(&chunks, &limits);
    let mut reversed = chunks.clone();
    reversed.reverse();
    if let Ok(jws) = &joined {
        assert_eq!(assemble(&reversed, &limits).as_ref(), Ok(jws));
    } else {
        assert!(assemble(&reversed, &limits).is_err());
    }
    match (&joined, join_chunks(&chunks, &limits)) {
        (Ok(jws), Ok(whole)) => assert_eq!(assemble(&[whole], &limits).as_ref(), Ok(jws)),
        (Ok(_), Err(e)) => panic!("assembled but not joined: {e}"),
        (Err(_), _) => {}
    }
    let cards = group_chunks(&chunks);
    assert!(cards.iter().flatten().all(|&i| i < chunks.len()));
    let unverified = decode_unverified(&chunks, &limits);
    if let Ok(card) = trust.verifier.verify(&chunks, trust.now) {
        assert!(unverified.is_ok(), "a card that verifies reads unverified");
        let kid = String::from_utf8_lossy(card.kid().as_bytes()).into_owned();
        assert!(trust.kids.contains(&kid), "verified under {kid}");
        assert_eq!(card.issuer, SHC_EXAMPLE_ISSUER);
        assert!(joined.is_ok());
        if let Ok(code) = trust.verifier.verify_claims(&chunks, trust.now) {
            assert_eq!(code.claims.kid(), card.kid());
            assert!(code.claims.validate(limits.max_text_string_len).is_ok());
        }
    }
    // The JWS path directly (a `.smart-health-card` file's content).
    let _ = trust.verifier.verify_jws(&text, trust.now);
});
