//! The native pipeline from the outside: issue → text/QR → verify, and every refusal the core
//! issue lists, each with its own error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use coset::{Header, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::transport::{deflate, encode_base45};
use healthpass::{Claims, Error, Issuer, KeySet, Limits, SigningKey, UnverifiedCode, Verifier};
use healthpass_qr as qr;
use healthpass_qr::Qr;
use healthpass_qr::VerifyImage;

use healthpass_testkit::cose as support;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn verifier() -> Verifier {
    Verifier::new([SigningKey::demo().public_key()].into_iter().collect::<KeySet>())
}

fn code() -> String {
    Issuer::new(SigningKey::demo()).issue(&Claims::example(now())).unwrap()
}

/// A COSE_Sign1 over `payload` with the given headers, signed by `key`, as `HP1:` text.
fn forge(protected: Header, unprotected: Header, payload: Vec<u8>, key: &SigningKey, compress: bool) -> String {
    let cose = support::sign1(protected, unprotected, payload, key);
    let body = if compress { deflate(&cose) } else { cose };
    format!("HP1:{}", encode_base45(&body))
}

fn eddsa_header(key: &SigningKey) -> Header {
    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().into_bytes()).build()
}

#[test]
fn an_issued_code_verifies_and_gives_back_its_claims() {
    let verified = verifier().verify(&code(), now()).unwrap();
    assert_eq!(*verified, Claims::example(now()));
    assert_eq!(verified.kid(), &SigningKey::demo().kid());
}

#[test]
fn both_body_forms_verify() {
    let key = SigningKey::demo();
    let payload = Claims::example(now()).to_cbor();
    for compress in [false, true] {
        let text = forge(eddsa_header(&key), Header::default(), payload.clone(), &key, compress);
        assert!(verifier().verify(&text, now()).is_ok(), "compress = {compress}");
    }
}

#[test]
fn an_issued_png_scans_back_and_verifies() {
    let text = code();
    let png = Qr::encode(&text).unwrap().to_png(4).unwrap();
    let results = verifier().verify_image(&png, now()).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(*results[0].as_ref().unwrap().clone(), Claims::example(now()));
}

#[test]
fn a_jpeg_photo_of_a_code_scans() {
    let text = code();
    let image = Qr::encode(&text).unwrap().to_image(5);
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    assert_eq!(qr::scan(&jpeg, &Limits::DEFAULT).unwrap(), vec![Ok(text)]);
}

#[test]
fn wrong_prefix() {
    let text = code().replacen("HP1:", "HC1:", 1);
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::Prefix { expected: "HP1:" });
}

#[test]
fn invalid_base45() {
    let bad_char = format!("{}a", code());
    assert_eq!(
        verifier().verify(&bad_char, now()).unwrap_err(),
        Error::Base45("a character outside the base45 alphabet")
    );
    assert_eq!(
        verifier().verify("HP1:GGW", now()).unwrap_err(),
        Error::Base45("a three-character group is above 65535")
    );
}

#[test]
fn a_zlib_bomb_stops_at_the_cap() {
    let bomb = deflate(&vec![0u8; 8 * 1024 * 1024]);
    let text = format!("HP1:{}", encode_base45(&bomb));
    let limits = Limits::DEFAULT;
    assert!(text.len() > limits.max_text_len, "an 8 MiB bomb does not even fit in a QR code");
    let roomy = Limits { max_text_len: 1 << 20, ..limits };
    assert_eq!(
        verifier().with_limits(roomy).verify(&text, now()).unwrap_err(),
        Error::TooLarge { what: "decompressed body", limit: limits.max_decompressed_len }
    );
    // A bomb small enough to fit the text limit is stopped at the decompression cap too.
    let small_bomb = deflate(&vec![0u8; 200 * 1024]);
    let text = format!("HP1:{}", encode_base45(&small_bomb));
    assert!(text.len() <= limits.max_text_len);
    assert!(matches!(verifier().verify(&text, now()), Err(Error::TooLarge { what: "decompressed body", .. })));
}

#[test]
fn trailing_bytes_after_the_cose_message() {
    let mut cose = healthpass::Issuer::new(SigningKey::demo()).issue_cose(&Claims::example(now())).unwrap();
    cose.push(0x00);
    let text = format!("HP1:{}", encode_base45(&cose));
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::TrailingBytes { step: "COSE_Sign1" });
}

#[test]
fn duplicate_map_keys_in_the_protected_header() {
    let key = SigningKey::demo();
    // A protected header {1: -8, 1: -8, 4: kid}, written by hand: coset's builder would not write a duplicate.
    let mut raw = vec![0xd2, 0x84, 0x4f, 0xa3, 0x01, 0x27, 0x01, 0x27, 0x04, 0x48];
    raw.extend_from_slice(&key.kid().into_bytes());
    raw.extend_from_slice(&[0xa0, 0x41, 0x00, 0x58, 0x40]);
    raw.extend_from_slice(&[0u8; 64]);
    let text = format!("HP1:{}", encode_base45(&raw));
    let err = UnverifiedCode::parse(&text, &Limits::DEFAULT).unwrap_err();
    assert!(matches!(err, Error::DuplicateKey { .. }), "{err:?}");
}

#[test]
fn an_unknown_kid() {
    let stranger = SigningKey::from_seed(&[42; 32]);
    let text = Issuer::new(SigningKey::from_seed(&[42; 32])).issue(&Claims::example(now())).unwrap();
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::UnknownKid(stranger.kid().to_string()));
}

#[test]
fn alg_in_the_unprotected_header_only() {
    let key = SigningKey::demo();
    let protected = HeaderBuilder::new().key_id(key.kid().into_bytes()).build();
    let unprotected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build();
    let text = forge(protected, unprotected, Claims::example(now()).to_cbor(), &key, false);
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::MissingAlg { in_unprotected: true });
}

#[test]
fn another_algorithm_is_refused() {
    let key = SigningKey::demo();
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(key.kid().into_bytes()).build();
    let text = forge(protected, Header::default(), Claims::example(now()).to_cbor(), &key, false);
    assert!(matches!(verifier().verify(&text, now()), Err(Error::UnsupportedAlg(_))));
}

#[test]
fn a_tampered_payload() {
    let key = SigningKey::demo();
    let mut claims = Claims::example(now());
    let honest = forge(eddsa_header(&key), Header::default(), claims.to_cbor(), &key, false);
    // Re-sign nothing: swap the payload of the honest message for a red one.
    let honest_cose = healthpass::transport::decode_base45(honest.strip_prefix("HP1:").unwrap()).unwrap();
    let mut sign1 = coset::CoseSign1::from_tagged_slice(&honest_cose).unwrap();
    claims.colour = healthpass::Colour::Red;
    sign1.payload = Some(claims.to_cbor());
    let text = format!("HP1:{}", encode_base45(&sign1.to_tagged_vec().unwrap()));
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::BadSignature);
}

#[test]
fn a_signature_by_another_key_under_our_kid() {
    let key = SigningKey::demo();
    let impostor = SigningKey::from_seed(&[1; 32]);
    let text = forge(eddsa_header(&key), Header::default(), Claims::example(now()).to_cbor(), &impostor, false);
    assert_eq!(verifier().verify(&text, now()).unwrap_err(), Error::BadSignature);
}

#[test]
fn several_keys_may_share_a_kid() {
    let key = SigningKey::demo();
    let other = SigningKey::from_seed(&[5; 32]);
    let mut keys = KeySet::new();
    keys.insert_under(key.kid(), healthpass::trust::TrustedKey { key: other.public_key(), issuer: None });
    keys.add(key.public_key());
    assert_eq!(keys.get(&key.kid()).len(), 2);
    assert!(Verifier::new(keys).verify(&code(), now()).is_ok());
}

#[test]
fn expired_and_not_yet_valid() {
    let claims = Claims::example(now());
    let text = code();
    let skew = Verifier::DEFAULT_SKEW;
    assert!(verifier().verify(&text, claims.expires_at + skew).is_ok(), "the skew is allowed");
    assert!(matches!(
        verifier().verify(&text, claims.expires_at + skew + TimeDelta::seconds(1)),
        Err(Error::Expired(_))
    ));
    let mut later = Claims::example(now());
    later.not_before = now() + TimeDelta::hours(2);
    let text = Issuer::new(SigningKey::demo()).issue(&later).unwrap();
    assert!(matches!(verifier().verify(&text, now()), Err(Error::NotYetValid(_))));
    assert!(verifier().verify(&text, now() + TimeDelta::hours(2)).is_ok());
    assert!(matches!(
        verifier().with_skew(TimeDelta::zero()).verify(&code(), now() - TimeDelta::seconds(1)),
        Err(Error::IssuedInFuture(_))
    ));
}

#[test]
fn an_issuer_bound_key_refuses_other_issuers() {
    let key = SigningKey::demo();
    let mut keys = KeySet::new();
    keys.insert(healthpass::trust::TrustedKey { key: key.public_key(), issuer: Some("HK-DH".into()) });
    assert_eq!(Verifier::new(keys).verify(&code(), now()).unwrap_err(), Error::IssuerMismatch);
}

#[test]
fn an_image_with_no_code() {
    let blank = image::GrayImage::from_pixel(200, 120, image::Luma([255]));
    let mut png = Vec::new();
    blank.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    assert_eq!(verifier().verify_image(&png, now()).unwrap_err(), Error::NoCode);
    assert!(matches!(qr::scan(b"not an image", &Limits::DEFAULT), Err(Error::Image(_))));
}

#[test]
fn the_typical_code_is_small() {
    let text = code();
    let base45 = text.len() - healthpass::PREFIX.len();
    assert!(base45 <= 260, "{base45} base45 characters");
    assert!(Qr::encode(&text).unwrap().version() <= 9);
}
