//! NZ COVID Pass (`NZCP:/1/`) text → verdict. The issuer of `test-vectors/nzcp/did.json` is
//! trusted, so inputs that decode reach the signature step: a pass that verifies must be
//! signed by that issuer's one key and carry valid claims; the unverified reader (`decode`)
//! reads every pass that verifies, and the same issuer; nothing panics.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use healthpass::Limits;
use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier, decode_unverified};
use libfuzzer_sys::fuzz_target;

const DID_DOCUMENT: &str = include_str!("../../test-vectors/nzcp/did.json");
const ISSUER: &str = "did:web:nzcp.covid19.health.nz";

static TRUST: LazyLock<(NzcpVerifier, DateTime<Utc>)> = LazyLock::new(|| {
    let did: serde_json::Value = serde_json::from_str(DID_DOCUMENT).expect("DID document");
    let verifier = NzcpVerifier::new([NzcpIssuer::from_did_document(&did).expect("issuer")]);
    // Inside the examples' validity window.
    (verifier, Utc.with_ymd_and_hms(2021, 11, 3, 0, 0, 0).single().expect("time"))
});

fuzz_target!(|data: &[u8]| {
    let (verifier, now) = &*TRUST;
    let text = String::from_utf8_lossy(data);
    let unverified = decode_unverified(&text, &Limits::DEFAULT);
    if let Ok(code) = verifier.verify(&text, *now) {
        let read = unverified.as_ref().expect("a pass that verifies reads unverified");
        assert_eq!(read.cwt["1"], ISSUER);
        assert_eq!(code.claims.kid().as_bytes(), b"key-1");
        assert_eq!(code.claims.issuer, ISSUER);
        assert!(code.claims.validate(Limits::DEFAULT.max_text_string_len).is_ok());
        let subject = code.nzcp().expect("an NZCP carries its subject");
        assert_eq!(code.claims.subject.birth_date, Some(subject.dob));
        // The pass is valid at `now` and at no time outside its own window.
        assert!(code.claims.not_before <= *now && *now <= code.claims.expires_at);
    }
});
