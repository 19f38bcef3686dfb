//! The unverified readers of NZ COVID Passes and SMART Health Cards (`nzcp::decode_unverified`,
//! `shc::decode_unverified`), which `healthpass decode` prints: they read the published examples,
//! a split card from its chunks, and refuse hostile input with the error of the step that failed,
//! within the limits, never panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};

use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use data_encoding::BASE64URL_NOPAD as URL_SAFE_NO_PAD;
use healthpass::{Error, Limits};
use healthpass_interop::{nzcp, shc};
use proptest::prelude::*;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

fn nzcp_case(index: usize) -> String {
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("nzcp/nzcp-examples.json")).unwrap()).unwrap();
    file["cases"][index]["payload"].as_str().unwrap().to_owned()
}

fn shc_qr(example: &str, index: usize) -> String {
    let file = format!("shc/examples/example-{example}-f-qr-code-numeric-value-{index}.txt");
    std::fs::read_to_string(vectors().join(file)).unwrap().trim().to_owned()
}

/// Text as SHC numeric mode: two digits a character, its code minus 45.
fn numeric(text: &str) -> String {
    text.bytes().map(|b| format!("{:02}", b - 45)).collect()
}

/// An NZCP text around a COSE_Sign1 with this payload (not signed: nothing is checked).
fn nzcp_around(payload: Vec<u8>, tagged: bool) -> String {
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(b"key-1".to_vec()).build();
    let sign1 = CoseSign1Builder::new().protected(protected).payload(payload).signature(vec![0; 64]).build();
    let bytes = if tagged { sign1.to_tagged_vec().unwrap() } else { sign1.to_vec().unwrap() };
    format!("NZCP:/1/{}", data_encoding::BASE32_NOPAD.encode(&bytes))
}

#[test]
fn nzcp_passes_are_read_unverified() {
    let pass = nzcp::decode_unverified(&nzcp_case(0), &Limits::DEFAULT).unwrap();
    assert_eq!(pass.kid, "key-1");
    assert_eq!(pass.cwt["1"], "did:web:nzcp.covid19.health.nz");
    assert_eq!(pass.cwt["vc"]["credentialSubject"]["givenName"], "Jack");
    // A pass whose signature was modified reads the same: nothing is verified.
    let bad = nzcp::decode_unverified(&nzcp_case(3), &Limits::DEFAULT).unwrap();
    assert_eq!(bad.cwt["1"], pass.cwt["1"]);
}

#[test]
fn hostile_nzcp_text_fails_at_its_step() {
    let l = Limits::DEFAULT;
    let step = |text: &str| match nzcp::decode_unverified(text, &l) {
        Err(Error::Foreign { format: "NZCP", step, .. }) => step.to_owned(),
        other => format!("{other:?}"),
    };
    assert_eq!(step("NZCP:/2/ABC"), "prefix");
    assert_eq!(step("NZCP:/1/!!"), "base32");
    assert_eq!(nzcp::decode_unverified("HC1:ABC", &l).unwrap_err().code(), "prefix");
    let long = format!("NZCP:/1/{}", "A".repeat(l.max_text_len));
    assert_eq!(nzcp::decode_unverified(&long, &l).unwrap_err().code(), "too_large");
    // Claims that are not a map, trailing bytes and deep nesting: refused, not read.
    assert_eq!(step(&nzcp_around(vec![0x01], true)), "CWT");
    assert_eq!(nzcp::decode_unverified(&nzcp_around(vec![0xa0, 0x00], true), &l).unwrap_err().code(), "trailing_bytes");
    let mut deep = vec![0x81; 40];
    deep.push(0xa0);
    assert_eq!(nzcp::decode_unverified(&nzcp_around(deep, true), &l).unwrap_err().code(), "cbor");
    // Untagged is read (a reader for people), the verifier is what insists on tag 18.
    assert!(nzcp::decode_unverified(&nzcp_around(vec![0xa1, 0x01, 0x61, 0x78], false), &l).is_ok());
}

#[test]
fn shc_cards_are_read_unverified_whole_or_from_chunks() {
    let l = Limits::DEFAULT;
    let card = shc::decode_unverified(&[shc_qr("00", 0)], &l).unwrap();
    assert_eq!(card.header["alg"], "ES256");
    assert_eq!(card.payload["iss"], "https://spec.smarthealth.cards/examples/issuer");
    let chunks = [shc_qr("02", 2), shc_qr("02", 0), shc_qr("02", 1)];
    let split = shc::decode_unverified(&chunks, &l).unwrap();
    let expected: serde_json::Value = serde_json::from_slice(
        &std::fs::read(vectors().join("shc/examples/example-02-c-jws-payload-minified.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(split.payload, expected, "the chunks in any order give the card's payload");
    let missing = shc::decode_unverified(&chunks[..2], &l).unwrap_err();
    assert_eq!(shc::chunk_refusal_code(&missing), Some("shc_chunk_missing"));
    // The chunks joined are one text the reader reads as the chunks.
    let joined = shc::join_chunks(&chunks, &l).unwrap();
    assert_eq!(shc::decode_unverified(&[joined], &l).unwrap(), split);
}

#[test]
fn hostile_shc_text_fails_at_its_step() {
    let l = Limits::DEFAULT;
    let step = |text: &str| match shc::decode_unverified(&[text], &l) {
        Err(Error::Foreign { format: "SHC", step, .. }) => step.to_owned(),
        Err(other) => other.code().to_owned(),
        Ok(_) => "ok".to_owned(),
    };
    assert_eq!(step("shc:/123"), "numeric");
    assert_eq!(step(&format!("shc:/{}", numeric("a.b"))), "JWS");
    assert_eq!(step(&format!("shc:/{}", numeric("a.b.c.d"))), "JWS");
    let header = URL_SAFE_NO_PAD.encode(br#"{"zip":"DEF","alg":"ES256","kid":"k"}"#);
    assert_eq!(step(&format!("shc:/{}", numeric(&format!("{header}.AAAA.sig")))), "decompress");
    // A payload that inflates past the limit stops at the limit.
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflater.write_all(&vec![b' '; 4 * l.max_decompressed_len]).unwrap();
    let bomb = URL_SAFE_NO_PAD.encode(&deflater.finish().unwrap());
    assert_eq!(step(&format!("shc:/{}", numeric(&format!("{header}.{bomb}.sig")))), "too_large");
    // A payload that inflates to something other than JSON.
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflater.write_all(b"not json").unwrap();
    let text = URL_SAFE_NO_PAD.encode(&deflater.finish().unwrap());
    assert_eq!(step(&format!("shc:/{}", numeric(&format!("{header}.{text}.sig")))), "payload");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_readers_never_panic(tail in "[0-9A-Z/]{0,300}") {
        let _ = nzcp::decode_unverified(&format!("NZCP:/1/{tail}"), &Limits::DEFAULT);
        let _ = shc::decode_unverified(&[format!("shc:/{tail}")], &Limits::DEFAULT);
    }
}
