//! The SMART Health Cards examples: all four verify, example 03 is revoked by the issuer's CRL.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use healthpass::{Colour, Error, Reason};
use healthpass_conformance::{SHC_EXAMPLE_ISSUER, run_shc};
use healthpass_interop::shc::{ShcIssuer, ShcVerifier, to_claims};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/shc/examples")
}

fn pinned() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).unwrap()
}

fn json(path: PathBuf) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn issuer(with_crl: bool) -> ShcIssuer {
    let known = dir().join("issuer/.well-known");
    let mut issuer = ShcIssuer::from_jwks(SHC_EXAMPLE_ISSUER, &json(known.join("jwks.json"))).unwrap();
    if with_crl {
        issuer.add_crl(&json(known.join("crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"))).unwrap();
    }
    issuer
}

fn qr(example: &str, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            std::fs::read_to_string(dir().join(format!("example-{example}-f-qr-code-numeric-value-{i}.txt")))
                .unwrap()
                .trim()
                .to_owned()
        })
        .collect()
}

#[test]
fn all_four_examples_verify_and_03_is_revoked() {
    let report = run_shc(&dir(), None, Some(pinned())).unwrap();
    println!("{}", report.to_text());
    assert_eq!(report.cases.len(), 4);
    assert_eq!(report.failed(), 0);
    let outcomes: Vec<_> = report.cases.iter().map(|c| c.actual.as_str()).collect();
    assert_eq!(outcomes, ["valid", "valid", "valid", "revoked"]);
    assert!(report.cases[2].name.contains("3 QR"));
}

#[test]
fn revocation_comes_from_the_crl() {
    let without = ShcVerifier::new([issuer(false)]);
    assert!(without.verify(&qr("03", 1), pinned()).is_ok());
    let with = ShcVerifier::new([issuer(true)]);
    assert_eq!(
        with.verify(&qr("03", 1), pinned()).unwrap_err(),
        Error::Revoked("the issuer has revoked this credential (revocation id vwAjHdarZuc)".into())
    );
}

#[test]
fn chunks_in_any_order_and_fractional_nbf() {
    let verifier = ShcVerifier::new([issuer(true)]);
    let mut chunks = qr("02", 3);
    chunks.reverse();
    let card = verifier.verify(&chunks, pinned()).unwrap();
    assert!(card.not_before.fract() > 0.0);
    // One millisecond before the fractional nbf the card is not yet valid.
    let nbf_ms = (card.not_before * 1000.0).round() as i64;
    let before = DateTime::from_timestamp_millis(nbf_ms - 1).unwrap();
    assert!(matches!(verifier.verify(&chunks, before), Err(Error::NotYetValid(_))));
    assert!(
        matches!(verifier.verify(&chunks[..2], pinned()), Err(Error::Foreign { step: "chunks", detail, .. }) if detail == "a chunk is missing")
    );
    // A lab panel verifies but carries no health status to map.
    assert!(matches!(to_claims(&card), Err(Error::Foreign { step: "claims", .. })));
}

#[test]
fn a_vaccination_card_maps_to_the_common_claims() {
    let verifier = ShcVerifier::new([issuer(true)]);
    let code = verifier.verify_claims(&qr("00", 1), pinned()).unwrap();
    assert_eq!(code.claims.colour, Colour::Green);
    assert_eq!(code.claims.reasons, vec![Reason::Vaccinated]);
    assert_eq!(code.claims.evidence.vaccinations.len(), 3);
    assert_eq!(code.claims.subject.name.as_deref(), Some("John B. Anyperson"));
    assert_eq!(code.claims.kid().as_bytes(), b"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
}

#[test]
fn tampering_and_untrusted_issuers_are_refused() {
    let verifier = ShcVerifier::new([issuer(true)]);
    let mut text = qr("00", 1).remove(0);
    // Change one digit pair inside the signature part (the text's end).
    let at = text.len() - 10;
    let flipped = if &text[at..at + 2] == "10" { "11" } else { "10" };
    text.replace_range(at..at + 2, flipped);
    assert_eq!(verifier.verify(&[text], pinned()).unwrap_err(), Error::BadSignature);
    let stranger =
        ShcIssuer::from_jwks("https://example.org/issuer", &json(dir().join("issuer/.well-known/jwks.json")));
    let other = ShcVerifier::new([stranger.unwrap()]);
    assert!(matches!(other.verify(&qr("00", 1), pinned()), Err(Error::UntrustedIssuer(_))));
    let hostile = [
        ("", "prefix", ""),
        ("shc:/", "foreign", "chunks"),
        ("shc:/1", "foreign", "numeric"),
        ("shc:/99", "foreign", "numeric"),
        ("shc:/1/2/3/4", "foreign", "chunks"),
        ("shc:/x/y/56", "foreign", "chunks"),
    ];
    for (text, code, step) in hostile {
        let err = verifier.verify(&[text], pinned()).unwrap_err();
        assert_eq!(err.code(), code, "{text}: {err}");
        if let Error::Foreign { step: got, .. } = err {
            assert_eq!(got, step, "{text}");
        }
    }
}
