//! Attacks on the interop formats (EU DCC `HC1:`, NZ COVID Pass, SMART Health Cards), each a
//! named test asserting the error it must give. The codes are the real ones of `test-vectors/`,
//! re-encoded with one thing changed, and verified under the keys that signed them.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use coset::{CborSerializable, CoseSign1, TaggedCborSerializable, iana};
use data_encoding::{BASE64, BASE64URL_NOPAD, HEXLOWER, HEXLOWER_PERMISSIVE};
use healthpass::transport::{deflate, encode_base45};
use healthpass::{Error, Limits};
use healthpass_conformance::SHC_EXAMPLE_ISSUER;
use healthpass_interop::dcc::DccVerifier;
use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier};
use healthpass_interop::shc::{ShcIssuer, ShcVerifier};
use healthpass_interop::{ForeignKey, ForeignKeys};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors")
}

fn json(path: PathBuf) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A checked cap: the default limit on decompressed bytes, which every bomb below must hit.
const CAP: usize = Limits::DEFAULT.max_decompressed_len;

/// A zlib stream of `n` zero bytes: about a thousandth of `n`.
fn zeros_zlib(n: usize) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0; n]).unwrap();
    encoder.finish().unwrap()
}

mod dcc {
    use super::*;

    /// A DCC test file: its COSE message, a verifier trusting its signer certificate alone, and
    /// its validation clock.
    pub(super) fn case(file: &str) -> (CoseSign1, DccVerifier, DateTime<Utc>) {
        let vector = json(vectors().join("dcc").join(file));
        let certificate = BASE64.decode(vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes()).unwrap();
        let key = ForeignKey::from_x509_der(&certificate).unwrap();
        let cose = HEXLOWER_PERMISSIVE.decode(vector["COSE"].as_str().unwrap().as_bytes()).unwrap();
        let message = CoseSign1::from_tagged_slice(&cose).or_else(|_| CoseSign1::from_slice(&cose)).unwrap();
        let clock = DateTime::parse_from_rfc3339(vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
        (message, DccVerifier::new([key].into_iter().collect::<ForeignKeys>()), clock.with_timezone(&Utc))
    }

    /// `HC1:` text of a COSE message: tagged, zlib, base45.
    pub(super) fn text(message: CoseSign1) -> String {
        format!("HC1:{}", encode_base45(&deflate(&message.to_tagged_vec().unwrap())))
    }

    /// The message with its protected header changed (and re-encoded).
    pub(super) fn protected(mut message: CoseSign1, change: impl FnOnce(&mut coset::Header)) -> CoseSign1 {
        change(&mut message.protected.header);
        message.protected.original_data = None;
        message
    }

    /// AT 1 (P-256, ES256) and common CO1 (RSA 2048, PS256).
    pub(super) const EC: &str = "AT/2DCode/raw/1.json";
    pub(super) const RSA: &str = "common/2DCode/raw/CO1.json";
}

#[test]
fn the_dcc_helpers_give_back_codes_that_verify() {
    for file in [dcc::EC, dcc::RSA] {
        let (message, verifier, now) = dcc::case(file);
        assert!(verifier.verify(&dcc::text(message), now).is_ok(), "{file}");
    }
}

#[test]
fn a_dcc_with_an_es256_header_on_an_rsa_kid() {
    let (message, verifier, now) = dcc::case(dcc::RSA);
    let forged = dcc::protected(message, |h| h.alg = Some(coset::Algorithm::Assigned(iana::Algorithm::ES256)));
    assert_eq!(
        verifier.verify(&dcc::text(forged), now).unwrap_err(),
        Error::UnsupportedAlg("ES256 with a key for PS256".into())
    );
}

#[test]
fn a_dcc_with_a_ps256_header_on_an_ec_kid() {
    let (message, verifier, now) = dcc::case(dcc::EC);
    let forged = dcc::protected(message, |h| h.alg = Some(coset::Algorithm::Assigned(iana::Algorithm::PS256)));
    assert_eq!(
        verifier.verify(&dcc::text(forged), now).unwrap_err(),
        Error::UnsupportedAlg("PS256 with a key for ES256".into())
    );
}

#[test]
fn a_dcc_with_an_algorithm_that_is_neither_es256_nor_ps256() {
    let (message, verifier, now) = dcc::case(dcc::EC);
    // EdDSA is healthpass's own algorithm, never a DCC's; HS256 would make a public key a secret.
    for alg in [iana::Algorithm::EdDSA, iana::Algorithm::HMAC_256_256, iana::Algorithm::ES384] {
        let forged = dcc::protected(message.clone(), |h| h.alg = Some(coset::Algorithm::Assigned(alg)));
        assert!(matches!(verifier.verify(&dcc::text(forged), now), Err(Error::UnsupportedAlg(_))), "{alg:?}");
    }
}

#[test]
fn a_dcc_with_no_alg_in_either_header() {
    let (message, verifier, now) = dcc::case(dcc::EC);
    let forged = dcc::protected(message, |h| h.alg = None);
    assert_eq!(verifier.verify(&dcc::text(forged), now).unwrap_err(), Error::MissingAlg { in_unprotected: false });
}

#[test]
fn an_unprotected_alg_never_overrides_the_protected_one() {
    // The unprotected header is not signed: anyone can add an alg there. The protected ES256
    // stays in force and the code still verifies.
    let (mut message, verifier, now) = dcc::case(dcc::EC);
    message.unprotected.alg = Some(coset::Algorithm::Assigned(iana::Algorithm::PS256));
    assert!(verifier.verify(&dcc::text(message), now).is_ok());
}

#[test]
fn alg_only_in_the_unprotected_header_cannot_switch_the_key_type() {
    // The DCC allows alg in the unprotected header when the protected one has none; it must
    // still fit the key the kid selects.
    let (message, verifier, now) = dcc::case(dcc::EC);
    let mut forged = dcc::protected(message, |h| h.alg = None);
    forged.unprotected.alg = Some(coset::Algorithm::Assigned(iana::Algorithm::PS256));
    assert_eq!(
        verifier.verify(&dcc::text(forged), now).unwrap_err(),
        Error::UnsupportedAlg("PS256 with a key for ES256".into())
    );
}

#[test]
fn a_wrong_protected_kid_is_not_overridden_by_the_unprotected_one() {
    let (message, verifier, now) = dcc::case(dcc::EC);
    let right = message.protected.header.key_id.clone();
    let mut forged = dcc::protected(message, |h| h.key_id = vec![0; 8]);
    forged.unprotected.key_id = right;
    assert_eq!(verifier.verify(&dcc::text(forged), now).unwrap_err(), Error::UnknownKid("0000000000000000".into()));
}

#[test]
fn a_dcc_signed_by_another_countrys_key_under_this_kid() {
    // The RSA code's signature, offered under the EC certificate's kid.
    let (ec, verifier, now) = dcc::case(dcc::EC);
    let (rsa, _, _) = dcc::case(dcc::RSA);
    let forged = dcc::protected(rsa, |h| h.key_id = ec.protected.header.key_id.clone());
    assert_eq!(
        verifier.verify(&dcc::text(forged), now).unwrap_err(),
        Error::UnsupportedAlg("PS256 with a key for ES256".into())
    );
}

#[test]
fn a_dcc_zlib_bomb_stops_at_the_cap() {
    // 4 MiB of zeros in 4 KiB of zlib: the text fits the length limit, the body does not.
    let bomb = zeros_zlib(4 << 20);
    let text = format!("HC1:{}", encode_base45(&bomb));
    assert!(text.len() <= Limits::DEFAULT.max_text_len, "{}", text.len());
    let (_, verifier, now) = dcc::case(dcc::EC);
    assert_eq!(verifier.verify(&text, now).unwrap_err(), Error::TooLarge { what: "decompressed body", limit: CAP });
}

#[test]
fn a_dcc_with_bytes_after_its_cose_message() {
    let (message, verifier, now) = dcc::case(dcc::EC);
    let mut cose = message.to_tagged_vec().unwrap();
    cose.push(0);
    let text = format!("HC1:{}", encode_base45(&deflate(&cose)));
    assert!(matches!(verifier.verify(&text, now), Err(Error::TrailingBytes { .. })));
}

mod nzcp {
    use super::*;

    pub(super) fn verifier() -> NzcpVerifier {
        NzcpVerifier::new([NzcpIssuer::from_did_document(&json(vectors().join("nzcp/did.json"))).unwrap()])
    }

    pub(super) fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2021, 11, 3, 0, 0, 0).unwrap()
    }

    /// The valid example pass.
    pub(super) fn valid() -> String {
        let spec = json(vectors().join("nzcp/nzcp-examples.json"));
        let case = spec["cases"].as_array().unwrap().iter().find(|c| c["name"] == "valid").unwrap();
        case["payload"].as_str().unwrap().to_owned()
    }

    /// The valid pass with its COSE message changed.
    pub(super) fn changed(change: impl FnOnce(&mut CoseSign1)) -> String {
        let text = valid();
        let data = text.strip_prefix("NZCP:/1/").unwrap();
        let bytes = data_encoding::BASE32_NOPAD.decode(data.as_bytes()).unwrap();
        let mut message = CoseSign1::from_tagged_slice(&bytes).unwrap();
        let before = message.protected.header.clone();
        change(&mut message);
        if message.protected.header != before {
            message.protected.original_data = None;
        }
        format!("NZCP:/1/{}", data_encoding::BASE32_NOPAD.encode(&message.to_tagged_vec().unwrap()))
    }

    pub(super) fn base32_error() -> Error {
        Error::Foreign { format: "NZCP", step: "base32", detail: "not RFC 4648 base32 without padding".into() }
    }
}

#[test]
fn the_nzcp_helpers_give_back_a_pass_that_verifies() {
    assert!(nzcp::verifier().verify(&nzcp::changed(|_| {}), nzcp::now()).is_ok());
}

#[test]
fn nzcp_in_lowercase_base32() {
    let text = nzcp::valid();
    let lower = format!("NZCP:/1/{}", text.strip_prefix("NZCP:/1/").unwrap().to_lowercase());
    assert_eq!(nzcp::verifier().verify(&lower, nzcp::now()).unwrap_err(), nzcp::base32_error());
}

#[test]
fn nzcp_with_base32_padding() {
    let padded = format!("{}====", nzcp::valid());
    assert_eq!(nzcp::verifier().verify(&padded, nzcp::now()).unwrap_err(), nzcp::base32_error());
}

#[test]
fn nzcp_with_characters_outside_base32() {
    // 0, 1, 8 and 9 are not in RFC 4648's alphabet.
    let text = nzcp::valid().replacen('A', "1", 1);
    assert_eq!(nzcp::verifier().verify(&text, nzcp::now()).unwrap_err(), nzcp::base32_error());
}

#[test]
fn nzcp_of_another_version() {
    let text = nzcp::valid().replacen("NZCP:/1/", "NZCP:/2/", 1);
    assert_eq!(
        nzcp::verifier().verify(&text, nzcp::now()).unwrap_err(),
        Error::Foreign { format: "NZCP", step: "prefix", detail: "only version 1 is supported".into() }
    );
}

#[test]
fn nzcp_with_alg_only_in_the_unprotected_header() {
    let text = nzcp::changed(|m| {
        m.unprotected.alg = m.protected.header.alg.take();
    });
    assert_eq!(nzcp::verifier().verify(&text, nzcp::now()).unwrap_err(), Error::MissingAlg { in_unprotected: true });
}

#[test]
fn nzcp_with_a_ps256_header() {
    let text = nzcp::changed(|m| m.protected.header.alg = Some(coset::Algorithm::Assigned(iana::Algorithm::PS256)));
    assert!(matches!(nzcp::verifier().verify(&text, nzcp::now()), Err(Error::UnsupportedAlg(_))));
}

#[test]
fn nzcp_with_its_kid_only_in_the_unprotected_header() {
    let text = nzcp::changed(|m| m.unprotected.key_id = std::mem::take(&mut m.protected.header.key_id));
    assert_eq!(nzcp::verifier().verify(&text, nzcp::now()).unwrap_err(), Error::MissingKid);
}

mod shc {
    use super::*;

    pub(super) fn verifier() -> ShcVerifier {
        let known = vectors().join("shc/examples/issuer/.well-known");
        ShcVerifier::new([ShcIssuer::from_jwks(SHC_EXAMPLE_ISSUER, &json(known.join("jwks.json"))).unwrap()])
    }

    pub(super) fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).unwrap()
    }

    pub(super) fn chunks(example: &str, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| {
                let file = format!("shc/examples/example-{example}-f-qr-code-numeric-value-{i}.txt");
                std::fs::read_to_string(vectors().join(file)).unwrap().trim().to_owned()
            })
            .collect()
    }

    /// Example 00's compact JWS.
    pub(super) fn original() -> String {
        std::fs::read_to_string(vectors().join("shc/examples/example-00-d-jws.txt")).unwrap().trim().to_owned()
    }

    /// Example 00's compact JWS, split into header (to change and re-encode), payload and
    /// signature.
    pub(super) fn jws() -> (serde_json::Value, String, String) {
        let text = original();
        let parts: Vec<&str> = text.split('.').collect();
        let header = serde_json::from_slice(&BASE64URL_NOPAD.decode(parts[0].as_bytes()).unwrap()).unwrap();
        (header, parts[1].to_owned(), parts[2].to_owned())
    }

    pub(super) fn join(header: &serde_json::Value, payload: &str, signature: &str) -> String {
        format!("{}.{payload}.{signature}", BASE64URL_NOPAD.encode(header.to_string().as_bytes()))
    }

    pub(super) fn chunk_error(detail: &str) -> Error {
        Error::Foreign { format: "SHC", step: "chunks", detail: detail.into() }
    }
}

#[test]
fn the_shc_helpers_give_back_a_card_that_verifies() {
    assert!(shc::verifier().verify_jws(&shc::original(), shc::now()).is_ok());
    assert!(shc::verifier().verify(&shc::chunks("02", 3), shc::now()).is_ok());
}

#[test]
fn shc_with_a_huge_chunk_count() {
    let verifier = shc::verifier();
    for text in ["shc:/1/99999999999999999999/5676", "shc:/1/17/5676", "shc:/1/0/5676", "shc:/0/3/5676"] {
        let detail = if text.starts_with("shc:/0") { "bad chunk index" } else { "bad chunk count" };
        assert_eq!(verifier.verify(&[text], shc::now()).unwrap_err(), shc::chunk_error(detail), "{text}");
    }
}

#[test]
fn shc_chunks_that_disagree_on_their_count() {
    let mut chunks = shc::chunks("02", 3);
    chunks[1] = chunks[1].replacen("shc:/2/3/", "shc:/2/4/", 1);
    assert_eq!(
        shc::verifier().verify(&chunks, shc::now()).unwrap_err(),
        shc::chunk_error("the chunks disagree on their count")
    );
}

#[test]
fn shc_chunk_index_past_the_count() {
    let mut chunks = shc::chunks("02", 3);
    chunks[2] = chunks[2].replacen("shc:/3/3/", "shc:/4/3/", 1);
    assert_eq!(
        shc::verifier().verify(&chunks, shc::now()).unwrap_err(),
        shc::chunk_error("the chunks disagree on their count")
    );
}

#[test]
fn shc_a_repeated_chunk() {
    let mut chunks = shc::chunks("02", 3);
    chunks[2] = chunks[0].clone();
    assert_eq!(shc::verifier().verify(&chunks, shc::now()).unwrap_err(), shc::chunk_error("a chunk is repeated"));
}

#[test]
fn shc_a_missing_chunk() {
    let chunks = shc::chunks("02", 3);
    assert_eq!(
        shc::verifier().verify(&[&chunks[0], &chunks[2]], shc::now()).unwrap_err(),
        shc::chunk_error("a chunk is missing")
    );
}

#[test]
fn shc_a_single_code_mixed_with_chunks() {
    let mut chunks = shc::chunks("02", 3);
    chunks.push(shc::chunks("00", 1).remove(0));
    assert_eq!(
        shc::verifier().verify(&chunks, shc::now()).unwrap_err(),
        shc::chunk_error("the chunks disagree on their count")
    );
}

#[test]
fn shc_more_chunks_than_a_card_may_have() {
    let texts = vec!["shc:/5676"; 17];
    assert_eq!(
        shc::verifier().verify(&texts, shc::now()).unwrap_err(),
        Error::TooLarge { what: "SHC chunks", limit: 16 }
    );
}

#[test]
fn shc_digit_pairs_above_77() {
    assert_eq!(
        shc::verifier().verify(&["shc:/5678"], shc::now()).unwrap_err(),
        Error::Foreign { format: "SHC", step: "numeric", detail: "a digit pair is above 77".into() }
    );
}

#[test]
fn shc_alg_none_in_the_jws_header() {
    let (mut header, payload, _) = shc::jws();
    for alg in ["none", "HS256", "RS256", "ES384"] {
        header["alg"] = alg.into();
        let jws = shc::join(&header, &payload, "");
        assert_eq!(shc::verifier().verify_jws(&jws, shc::now()).unwrap_err(), Error::UnsupportedAlg(alg.into()));
    }
}

#[test]
fn shc_with_no_alg_in_the_jws_header() {
    let (mut header, payload, signature) = shc::jws();
    header.as_object_mut().unwrap().remove("alg");
    assert_eq!(
        shc::verifier().verify_jws(&shc::join(&header, &payload, &signature), shc::now()).unwrap_err(),
        Error::MissingAlg { in_unprotected: false }
    );
}

#[test]
fn shc_with_an_empty_signature() {
    let (header, payload, _) = shc::jws();
    assert_eq!(
        shc::verifier().verify_jws(&shc::join(&header, &payload, ""), shc::now()).unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn shc_with_a_kid_the_issuer_does_not_publish() {
    let (mut header, payload, signature) = shc::jws();
    header["kid"] = "not-a-published-kid".into();
    assert_eq!(
        shc::verifier().verify_jws(&shc::join(&header, &payload, &signature), shc::now()).unwrap_err(),
        Error::UnknownKid(HEXLOWER.encode(b"not-a-published-kid"))
    );
}

#[test]
fn shc_deflate_bomb_stops_at_the_cap() {
    // Raw DEFLATE (no zlib header) of 4 MiB of zeros, as the JWS payload.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0; 4 << 20]).unwrap();
    let bomb = BASE64URL_NOPAD.encode(&encoder.finish().unwrap());
    let (header, _, signature) = shc::jws();
    assert_eq!(
        shc::verifier().verify_jws(&shc::join(&header, &bomb, &signature), shc::now()).unwrap_err(),
        Error::TooLarge { what: "decompressed body", limit: CAP }
    );
}
