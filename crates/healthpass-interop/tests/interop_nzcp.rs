//! The NZ COVID Pass examples, under a clock pinned inside the examples' valid window.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use healthpass::{Colour, Error, Reason};
use healthpass_conformance::run_nzcp;
use healthpass_interop::Format;
use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier};

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/nzcp"))
}

fn pinned() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 11, 3, 0, 0, 0).unwrap()
}

fn verifier() -> NzcpVerifier {
    let did: serde_json::Value = serde_json::from_slice(&std::fs::read(dir().join("did.json")).unwrap()).unwrap();
    NzcpVerifier::new([NzcpIssuer::from_did_document(&did).unwrap()])
}

fn payload(name: &str) -> String {
    let spec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("nzcp-examples.json")).unwrap()).unwrap();
    let case = spec["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
    case["payload"].as_str().unwrap().to_owned()
}

#[test]
fn every_example_gives_its_documented_result() {
    let report = run_nzcp(&dir().join("nzcp-examples.json"), Some(pinned())).unwrap();
    println!("{}", report.to_text());
    assert_eq!(report.cases.len(), 8);
    assert_eq!(report.failed(), 0);
    let actual = |name: &str| report.cases.iter().find(|c| c.name == name).unwrap().actual.clone();
    assert_eq!(actual("valid"), "valid");
    assert_eq!(actual("bad-public-key"), "bad_signature");
    assert_eq!(actual("public-key-not-found"), "unknown_kid");
    assert_eq!(actual("expired"), "expired");
    assert_eq!(actual("not-active"), "not_yet_valid");
    assert_eq!(actual("revoked-public-key-unreferenced"), "untrusted_issuer");
}

#[test]
fn the_valid_pass_maps_to_the_common_claims() {
    let code = verifier().verify(&payload("valid"), pinned()).unwrap();
    assert_eq!(code.format(), Format::Nzcp);
    assert_eq!(code.claims.colour, Colour::Green);
    assert_eq!(code.claims.reasons, vec![Reason::Vaccinated]);
    assert_eq!(code.claims.issuer, "did:web:nzcp.covid19.health.nz");
    assert_eq!(code.claims.subject.name.as_deref(), Some("Jack Sparrow"));
    assert_eq!(code.claims.kid().as_bytes(), b"key-1");
    assert_eq!(code.nzcp().unwrap().dob.to_string(), "1960-04-16");
}

#[test]
fn the_clock_decides_the_not_active_pass() {
    let later = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    assert!(matches!(verifier().verify(&payload("not-active"), pinned()), Err(Error::NotYetValid(_))));
    assert!(verifier().verify(&payload("not-active"), later).is_ok());
}

#[test]
fn hostile_text_is_refused_without_panicking() {
    let v = verifier();
    let hostile = [
        ("", "prefix", ""),
        ("NZCP:/", "foreign", "prefix"),
        ("NZCP:/2/AAAA", "foreign", "prefix"),
        ("NZCP:/1/", "cbor", ""),
        ("NZCP:/1/!!!!", "foreign", "base32"),
        ("NZCP:/1/2KCE", "foreign", "base32"),
        ("HC1:ABC", "prefix", ""),
    ];
    for (text, code, step) in hostile {
        let err = v.verify(text, pinned()).unwrap_err();
        assert_eq!(err.code(), code, "{text}: {err}");
        if let Error::Foreign { step: got, .. } = err {
            assert_eq!(got, step, "{text}");
        }
    }
}

#[test]
fn one_entry_point_dispatches_by_prefix() {
    use healthpass_interop::ForeignVerifier;
    let only_nzcp = ForeignVerifier { nzcp: Some(verifier()), ..ForeignVerifier::default() };
    assert_eq!(only_nzcp.verify(&payload("valid"), pinned()).unwrap().format(), Format::Nzcp);
    assert!(matches!(only_nzcp.verify("HC1:NCF", pinned()), Err(Error::Foreign { step: "trust", .. })));
    assert!(matches!(only_nzcp.verify("XYZ", pinned()), Err(Error::Prefix { .. })));
}
