//! Attacks on the verifier, each a named test asserting the exact error it must give.
//!
//! Every hostile message is built here with coset and ciborium and, unless the attack is on the
//! signature itself, correctly signed by a trusted key: the fault under test is the only one.
//! Attacks on trust lists, revocation, policies and the interop formats (HC1, NZCP, SHC) belong
//! with those features; see FUZZING.md for what is still to be added.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ciborium::Value;
use coset::{
    Algorithm, CborSerializable, CoseSign1, CoseSign1Builder, Header, HeaderBuilder, TaggedCborSerializable, iana,
};
use healthpass::keys::Kid;
use healthpass::transport::{deflate, encode_base45};
use healthpass::trust::TrustedKey;
use healthpass::{Claims, Error, Issuer, KeySet, Limits, PublicKey, SigningKey, Verifier};
use healthpass_qr as qr;
use healthpass_qr::Qr;
use image::{GrayImage, Luma};

use healthpass_testkit::cose as support;
use support::{png_claiming, sign1};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn demo() -> SigningKey {
    SigningKey::demo()
}

fn other() -> SigningKey {
    SigningKey::from_seed(&[0x42; 32])
}

fn verifier() -> Verifier {
    Verifier::new([demo().public_key()].into_iter().collect::<KeySet>())
}

fn payload() -> Vec<u8> {
    Claims::example(now()).to_cbor()
}

fn eddsa(key: &SigningKey) -> Header {
    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().into_bytes()).build()
}

/// A tagged COSE_Sign1 built from raw protected-header bytes (which coset would re-encode),
/// correctly signed over exactly those bytes.
fn sign1_raw(protected: &[u8], unprotected: Value, payload: &[u8], key: &SigningKey) -> Vec<u8> {
    let tbs = cbor(&Value::Array(vec![
        Value::Text("Signature1".into()),
        Value::Bytes(protected.to_vec()),
        Value::Bytes(vec![]),
        Value::Bytes(payload.to_vec()),
    ]));
    let signature = key.sign(&tbs).to_vec();
    cbor(&Value::Tag(
        18,
        Box::new(Value::Array(vec![
            Value::Bytes(protected.to_vec()),
            unprotected,
            Value::Bytes(payload.to_vec()),
            Value::Bytes(signature),
        ])),
    ))
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).unwrap();
    out
}

fn protected_bytes(key: &SigningKey) -> Vec<u8> {
    eddsa(key).to_vec().unwrap()
}

/// `HP1:` text of a body sent as it is (a COSE_Sign1 starts with 0xd2, a zlib stream with 0x78).
fn text(body: &[u8]) -> String {
    format!("HP1:{}", encode_base45(body))
}

fn verify(body: &[u8]) -> Error {
    verifier().verify(&text(body), now()).unwrap_err()
}

/// The example claims as a CBOR map value, to be edited.
fn cwt_value() -> Vec<(Value, Value)> {
    match ciborium::de::from_reader::<Value, _>(payload().as_slice()).unwrap() {
        Value::Map(entries) => entries,
        other => panic!("the CWT is a map, not {other:?}"),
    }
}

fn set(entries: &mut Vec<(Value, Value)>, key: i64, value: Value) {
    match entries.iter_mut().find(|(k, _)| *k == Value::Integer(key.into())) {
        Some(entry) => entry.1 = value,
        None => entries.push((Value::Integer(key.into()), value)),
    }
}

/// A correctly signed code whose CWT is `entries`.
fn signed_cwt(entries: Vec<(Value, Value)>) -> Vec<u8> {
    sign1(eddsa(&demo()), Header::default(), cbor(&Value::Map(entries)), &demo())
}

fn with_times(iat: i64, nbf: Option<i64>, exp: i64) -> Vec<u8> {
    let mut cwt = cwt_value();
    set(&mut cwt, 6, Value::Integer(iat.into()));
    set(&mut cwt, 4, Value::Integer(exp.into()));
    if let Some(nbf) = nbf {
        set(&mut cwt, 5, Value::Integer(nbf.into()));
    }
    signed_cwt(cwt)
}

// ---------------------------------------------------------------------------------------------
// Algorithm confusion

#[test]
fn alg_none_no_alg_in_the_protected_header() {
    let protected = HeaderBuilder::new().key_id(demo().kid().into_bytes()).build();
    assert_eq!(
        verify(&sign1(protected, Header::default(), payload(), &demo())),
        Error::MissingAlg { in_unprotected: false }
    );
}

#[test]
fn alg_none_spelled_out_as_text() {
    let protected = Header { alg: Some(Algorithm::Text("none".into())), ..eddsa(&demo()) };
    assert_eq!(
        verify(&sign1(protected, Header::default(), payload(), &demo())),
        Error::UnsupportedAlg(r#"alg "none""#.into())
    );
}

#[test]
fn alg_only_in_the_unprotected_header() {
    let protected = HeaderBuilder::new().key_id(demo().kid().into_bytes()).build();
    let unprotected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build();
    assert_eq!(verify(&sign1(protected, unprotected, payload(), &demo())), Error::MissingAlg { in_unprotected: true });
}

#[test]
fn an_eddsa_unprotected_alg_does_not_override_the_protected_one() {
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(demo().kid().into_bytes()).build();
    let unprotected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build();
    assert_eq!(verify(&sign1(protected, unprotected, payload(), &demo())), Error::UnsupportedAlg("alg -7".into()));
}

#[test]
fn es256_header_on_an_ed25519_kid() {
    // The Ed25519 signature is genuine; only the header's algorithm lies.
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(demo().kid().into_bytes()).build();
    assert_eq!(
        verify(&sign1(protected, Header::default(), payload(), &demo())),
        Error::UnsupportedAlg("alg -7".into())
    );
}

#[test]
fn an_unknown_algorithm() {
    for (alg, named) in [
        (Algorithm::PrivateUse(-65_600), "alg -65600"),
        (Algorithm::Text("Ed448-but-not-really".into()), r#"alg "Ed448-but-not-really""#),
    ] {
        let protected = Header { alg: Some(alg.clone()), ..eddsa(&demo()) };
        assert_eq!(
            verify(&sign1(protected, Header::default(), payload(), &demo())),
            Error::UnsupportedAlg(named.into())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Key ids: spoofing and collisions

#[test]
fn a_kid_naming_a_key_that_did_not_sign() {
    // Signed by another key, under the trusted key's kid.
    assert_eq!(verify(&sign1(eddsa(&demo()), Header::default(), payload(), &other())), Error::BadSignature);
}

#[test]
fn a_kid_no_trusted_key_has() {
    assert_eq!(
        verify(&sign1(eddsa(&other()), Header::default(), payload(), &other())),
        Error::UnknownKid(other().kid().to_string())
    );
}

#[test]
fn no_kid_or_a_kid_only_in_the_unprotected_header() {
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build();
    assert_eq!(verify(&sign1(protected.clone(), Header::default(), payload(), &demo())), Error::MissingKid);
    let unprotected = HeaderBuilder::new().key_id(demo().kid().into_bytes()).build();
    assert_eq!(verify(&sign1(protected, unprotected, payload(), &demo())), Error::MissingKid);
}

#[test]
fn two_keys_sharing_a_kid_are_both_tried() {
    let shared = Kid::new(b"shared".as_slice()).unwrap();
    let header = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(shared.as_bytes().to_vec()).build();
    for order in [[demo(), other()], [other(), demo()]] {
        let mut keys = KeySet::new();
        for key in &order {
            keys.insert_under(shared.clone(), TrustedKey { key: key.public_key(), issuer: None });
        }
        let verifier = Verifier::new(keys);
        for signer in &order {
            let body = sign1(header.clone(), Header::default(), payload(), signer);
            let verified = verifier.verify(&text(&body), now()).unwrap();
            assert_eq!(*verified, Claims::example(now()));
            assert_eq!(verified.kid(), &shared);
        }
        let stranger = SigningKey::from_seed(&[7; 32]);
        let body = sign1(header.clone(), Header::default(), payload(), &stranger);
        assert_eq!(verifier.verify(&text(&body), now()).unwrap_err(), Error::BadSignature);
    }
}

#[test]
fn a_kid_collision_cannot_borrow_another_keys_issuer() {
    // Two keys share a kid; each is bound to its own issuer. A code signed by the HK key that
    // claims the CN issuer is refused, although the CN key is under the same kid.
    let shared = Kid::new(b"shared".as_slice()).unwrap();
    let mut keys = KeySet::new();
    keys.insert_under(shared.clone(), TrustedKey { key: demo().public_key(), issuer: Some("CN-GD".into()) });
    keys.insert_under(shared.clone(), TrustedKey { key: other().public_key(), issuer: Some("HK-DH".into()) });
    let header = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(shared.into_bytes()).build();
    let forged = sign1(header.clone(), Header::default(), payload(), &other());
    assert_eq!(Verifier::new(keys.clone()).verify(&text(&forged), now()).unwrap_err(), Error::IssuerMismatch);
    let genuine = sign1(header, Header::default(), payload(), &demo());
    assert!(Verifier::new(keys).verify(&text(&genuine), now()).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Ed25519 malleability and weak keys (verify_strict)

/// ℓ, the order of the Ed25519 base point, little-endian.
const ELL: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

#[test]
fn a_non_canonical_signature_s_plus_ell() {
    let mut message =
        CoseSign1::from_tagged_slice(&sign1(eddsa(&demo()), Header::default(), payload(), &demo())).unwrap();
    // S' = S + ℓ is the same scalar mod ℓ: a lax verifier accepts it, a strict one must not.
    let mut carry = 0u16;
    for (s, l) in message.signature[32..].iter_mut().zip(ELL) {
        let sum = u16::from(*s) + u16::from(l) + carry;
        *s = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    assert_eq!(verify(&message.to_tagged_vec().unwrap()), Error::BadSignature);
}

/// The identity point: a public key of order 1, under which (R = identity, S = 0) satisfies the
/// plain verification equation for every message.
const IDENTITY: [u8; 32] = {
    let mut p = [0u8; 32];
    p[0] = 1;
    p
};

#[test]
fn a_small_order_key_with_a_small_order_r_is_refused() {
    // Such a key is refused when it is loaded, so no verifier can ever hold it...
    assert!(matches!(PublicKey::from_bytes(&IDENTITY), Err(Error::Key(_))));
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(healthpass::Kid::of_ed25519(&IDENTITY).into_bytes())
        .build();
    let mut signature = IDENTITY.to_vec();
    signature.extend([0u8; 32]);
    let message = CoseSign1Builder::new().protected(protected).payload(payload()).signature(signature.clone()).build();
    // ...and the forgery it would allow is real: the lax check of the same library accepts it,
    let lax = ed25519_dalek::VerifyingKey::from_bytes(&IDENTITY).unwrap();
    let sig = ed25519_dalek::Signature::from_slice(&signature).unwrap();
    assert!(lax.verify_strict(&message.tbs_data(&[]), &sig).is_err());
    assert!(ed25519_dalek::Verifier::verify(&lax, &message.tbs_data(&[]), &sig).is_ok());
    // while a verifier that trusts only real keys refuses it by its kid.
    let body = message.to_tagged_vec().unwrap();
    assert!(matches!(verify(&body), Error::UnknownKid(_)));
}

#[test]
fn a_small_order_r_under_a_normal_key() {
    // R replaced by points of order 1, 2 and 4; S kept.
    let order_2 = {
        let mut p = [0xff; 32];
        p[0] = 0xec;
        p[31] = 0x7f;
        p
    };
    let order_4 = [0u8; 32];
    let mut message =
        CoseSign1::from_tagged_slice(&sign1(eddsa(&demo()), Header::default(), payload(), &demo())).unwrap();
    for r in [IDENTITY, order_2, order_4] {
        message.signature[..32].copy_from_slice(&r);
        assert_eq!(verify(&message.clone().to_tagged_vec().unwrap()), Error::BadSignature);
    }
}

#[test]
fn a_signature_of_the_wrong_length() {
    let mut message =
        CoseSign1::from_tagged_slice(&sign1(eddsa(&demo()), Header::default(), payload(), &demo())).unwrap();
    for len in [0, 63, 65, 128] {
        message.signature.resize(len, 0);
        assert_eq!(verify(&message.clone().to_tagged_vec().unwrap()), Error::BadSignature);
    }
}

// ---------------------------------------------------------------------------------------------
// Trailing bytes

#[test]
fn trailing_bytes_after_the_cose_message() {
    let mut body = sign1(eddsa(&demo()), Header::default(), payload(), &demo());
    body.push(0x00);
    assert_eq!(verify(&body), Error::TrailingBytes { step: "COSE_Sign1" });
}

#[test]
fn trailing_bytes_after_the_zlib_stream() {
    let mut body = deflate(&sign1(eddsa(&demo()), Header::default(), payload(), &demo()));
    body.extend(b"extra");
    assert_eq!(verify(&body), Error::TrailingBytes { step: "zlib" });
}

#[test]
fn trailing_bytes_inside_the_protected_header() {
    let mut protected = protected_bytes(&demo());
    protected.push(0x00);
    let body = sign1_raw(&protected, Value::Map(vec![]), &payload(), &demo());
    assert_eq!(verify(&body), Error::TrailingBytes { step: "protected header" });
}

#[test]
fn trailing_bytes_after_the_signed_cwt() {
    let mut cwt = payload();
    cwt.push(0x00);
    assert_eq!(verify(&sign1(eddsa(&demo()), Header::default(), cwt, &demo())), Error::TrailingBytes { step: "CWT" });
}

#[test]
fn a_valid_code_with_bytes_appended_to_the_text() {
    // A code whose body has an even number of bytes, so that its base45 ends on a whole group.
    // (The issuer's name is lengthened a character at a time until the body is even.)
    let code = (0..4)
        .map(|extra| {
            let mut claims = Claims::example(now());
            claims.issuer.push_str(&"X".repeat(extra));
            Issuer::new(demo()).issue(&claims).unwrap()
        })
        .find(|code| (code.len() - 4) % 3 == 0)
        .unwrap();
    assert!(verifier().verify(&code, now()).is_ok());
    // A whole base45 group decodes to two bytes after the COSE message, a pair to one; a lone
    // character, a lower-case letter or a newline is not base45 at all.
    let cases = [
        ("000", Error::TrailingBytes { step: "COSE_Sign1" }),
        ("00", Error::TrailingBytes { step: "COSE_Sign1" }),
        ("0", Error::Base45("the length leaves a single character")),
        ("a", Error::Base45("a character outside the base45 alphabet")),
        ("\n", Error::Base45("a character outside the base45 alphabet")),
        (" ", Error::Base45("the length leaves a single character")),
    ];
    for (suffix, expected) in cases {
        assert_eq!(verifier().verify(&format!("{code}{suffix}"), now()).unwrap_err(), expected, "suffix {suffix:?}");
    }
    // The same holds for an uncompressed body.
    let mut body = sign1(eddsa(&demo()), Header::default(), payload(), &demo());
    if body.len() % 2 == 1 {
        body =
            sign1(eddsa(&demo()), HeaderBuilder::new().key_id(vec![]).build(), [payload(), vec![]].concat(), &demo());
    }
    let plain = text(&body);
    assert!(verifier().verify(&plain, now()).is_ok());
    if body.len() % 2 == 0 {
        assert_eq!(
            verifier().verify(&format!("{plain}000"), now()).unwrap_err(),
            Error::TrailingBytes { step: "COSE_Sign1" }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Duplicate map keys

#[test]
fn duplicate_keys_in_the_protected_header() {
    // {1: -8, 1: -8, 4: kid}: alg twice, correctly signed.
    let mut protected = vec![0xa3, 0x01, 0x27, 0x01, 0x27, 0x04, 0x48];
    protected.extend(demo().kid().into_bytes());
    let body = sign1_raw(&protected, Value::Map(vec![]), &payload(), &demo());
    assert_eq!(verify(&body), Error::DuplicateKey { step: "protected header" });
    // alg twice with different values: the one a lax parser keeps last must not win either.
    let mut protected = vec![0xa3, 0x01, 0x26, 0x01, 0x27, 0x04, 0x48];
    protected.extend(demo().kid().into_bytes());
    let body = sign1_raw(&protected, Value::Map(vec![]), &payload(), &demo());
    assert_eq!(verify(&body), Error::DuplicateKey { step: "protected header" });
}

#[test]
fn duplicate_keys_in_the_unprotected_header() {
    let unprotected = Value::Map(vec![
        (Value::Integer(4.into()), Value::Bytes(demo().kid().into_bytes())),
        (Value::Integer(4.into()), Value::Bytes(other().kid().into_bytes())),
    ]);
    let body = sign1_raw(&protected_bytes(&demo()), unprotected, &payload(), &demo());
    assert_eq!(verify(&body), Error::DuplicateKey { step: "COSE_Sign1" });
}

#[test]
fn duplicate_keys_in_the_cwt() {
    let mut cwt = cwt_value();
    cwt.push((Value::Integer(1.into()), Value::Text("HK-DH".into())));
    assert_eq!(verify(&signed_cwt(cwt)), Error::DuplicateKey { step: "CWT" });
}

#[test]
fn duplicate_keys_in_the_status_claims() {
    let mut cwt = cwt_value();
    let status = cwt.iter_mut().find(|(k, _)| *k == Value::Integer((-65_537).into())).unwrap();
    let Value::Map(entries) = &mut status.1 else { panic!("status claims are a map") };
    entries.push((Value::Integer(1.into()), Value::Integer(4.into()))); // colour again: red
    assert_eq!(verify(&signed_cwt(cwt)), Error::DuplicateKey { step: "CWT" });
}

// ---------------------------------------------------------------------------------------------
// Unexpected CBOR tags

#[test]
fn a_cose_sign1_tag_around_another_tag() {
    let inner = sign1(eddsa(&demo()), Header::default(), payload(), &demo());
    let mut body = vec![0xd2];
    body.extend(inner);
    assert!(matches!(verify(&body), Error::Cbor { step: "COSE_Sign1", .. }));
}

#[test]
fn other_outer_tags_are_not_a_body() {
    let untagged = CoseSign1::from_tagged_slice(&sign1(eddsa(&demo()), Header::default(), payload(), &demo()))
        .unwrap()
        .to_vec()
        .unwrap();
    // COSE_Sign (98) and the self-described-CBOR tag (55799) in front of the message.
    for (prefix, first) in [(&[0xd8, 0x62][..], 0xd8), (&[0xd9, 0xd9, 0xf7][..], 0xd9)] {
        assert_eq!(verify(&[prefix, &untagged].concat()), Error::Body(first));
    }
    assert_eq!(verify(&untagged), Error::Body(0x84));
}

#[test]
fn tags_inside_the_signed_cwt() {
    // The whole CWT in its own tag 61.
    let tagged_cwt = cbor(&Value::Tag(61, Box::new(Value::Map(cwt_value()))));
    assert!(matches!(verify(&sign1(eddsa(&demo()), Header::default(), tagged_cwt, &demo())), Error::Claims(_)));
    // exp as an epoch-time tag (1).
    let mut cwt = cwt_value();
    set(&mut cwt, 4, Value::Tag(1, Box::new(Value::Integer(now().timestamp().into()))));
    assert!(matches!(verify(&signed_cwt(cwt)), Error::Claims(_)));
    // The colour as a tagged integer.
    let mut cwt = cwt_value();
    let status = cwt.iter_mut().find(|(k, _)| *k == Value::Integer((-65_537).into())).unwrap();
    let Value::Map(entries) = &mut status.1 else { panic!("status claims are a map") };
    entries[0].1 = Value::Tag(2, Box::new(Value::Integer(1.into())));
    assert_eq!(verify(&signed_cwt(cwt)), Error::Claims("colour must be an unsigned integer".into()));
}

#[test]
fn a_tagged_protected_header() {
    let body = cbor(&Value::Tag(
        18,
        Box::new(Value::Array(vec![
            Value::Tag(24, Box::new(Value::Bytes(protected_bytes(&demo())))),
            Value::Map(vec![]),
            Value::Bytes(payload()),
            Value::Bytes(vec![0; 64]),
        ])),
    ));
    assert!(matches!(verify(&body), Error::Cbor { step: "COSE_Sign1", .. }));
}

// ---------------------------------------------------------------------------------------------
// Indefinite lengths: refused everywhere (FORMAT.md §4 asks issuers for definite lengths, and no
// published code of any supported format uses them).

#[test]
fn an_indefinite_length_cose_array() {
    let body = sign1(eddsa(&demo()), Header::default(), payload(), &demo());
    assert_eq!(body[1], 0x84);
    let mut indefinite = vec![0xd2, 0x9f];
    indefinite.extend(&body[2..]);
    indefinite.push(0xff);
    assert_eq!(verify(&indefinite), Error::Cbor { step: "COSE_Sign1", detail: "indefinite length at byte 1".into() });
}

#[test]
fn an_indefinite_length_map_in_the_signed_cwt() {
    let cwt = payload();
    assert_eq!(cwt[0] & 0xe0, 0xa0);
    let mut indefinite = vec![0xbf];
    indefinite.extend(&cwt[1..]);
    indefinite.push(0xff);
    assert_eq!(
        verify(&sign1(eddsa(&demo()), Header::default(), indefinite, &demo())),
        Error::Cbor { step: "CWT", detail: "indefinite length at byte 0".into() }
    );
}

#[test]
fn an_indefinite_length_protected_header() {
    let protected = protected_bytes(&demo());
    let mut indefinite = vec![0xbf];
    indefinite.extend(&protected[1..]);
    indefinite.push(0xff);
    let body = sign1_raw(&indefinite, Value::Map(vec![]), &payload(), &demo());
    assert_eq!(verify(&body), Error::Cbor { step: "protected header", detail: "indefinite length at byte 0".into() });
}

#[test]
fn an_indefinite_length_string_in_the_claims() {
    // iss as (_ "CN", "-GD"), correctly signed.
    let mut cwt = cwt_value();
    set(&mut cwt, 1, Value::Text("@@".into()));
    let mut bytes = cbor(&Value::Map(cwt));
    let at = bytes.windows(3).position(|w| w == [0x62, b'@', b'@']).unwrap();
    bytes.splice(at..at + 3, [0x7f, 0x62, b'C', b'N', 0x63, b'-', b'G', b'D', 0xff]);
    assert_eq!(
        verify(&sign1(eddsa(&demo()), Header::default(), bytes, &demo())),
        Error::Cbor { step: "CWT", detail: format!("indefinite length at byte {at}") }
    );
}

// ---------------------------------------------------------------------------------------------
// Times that overflow

#[test]
fn exp_of_u64_max() {
    let mut cwt = cwt_value();
    set(&mut cwt, 4, Value::Integer(u64::MAX.into()));
    assert!(matches!(verify(&signed_cwt(cwt)), Error::Claims(_)));
}

#[test]
fn times_beyond_the_calendar() {
    let t = now().timestamp();
    assert_eq!(
        verify(&with_times(t, None, i64::MAX)),
        Error::Claims("exp is out of range (years 0001 to 9999)".into())
    );
    assert_eq!(
        verify(&with_times(i64::MIN, None, t)),
        Error::Claims("iat is out of range (years 0001 to 9999)".into())
    );
    assert_eq!(
        verify(&with_times(t, Some(i64::MIN + 1), t + 60)),
        Error::Claims("nbf is out of range (years 0001 to 9999)".into())
    );
}

#[test]
fn negative_times() {
    // Before 1970 is representable: such a code is simply long expired.
    let body = with_times(-86_400 * 2, None, -86_400);
    assert_eq!(verify(&body), Error::Expired("1969-12-31T00:00:00+00:00".into()));
    // An expiry before the start is refused as a claim, whatever the clock.
    assert_eq!(
        verify(&with_times(now().timestamp(), None, -1)),
        Error::Claims("expires_at must be after not_before".into())
    );
}

#[test]
fn evidence_times_and_dates_that_overflow() {
    type Entries = Vec<(Value, Value)>;
    let edit = |f: &dyn Fn(&mut Entries)| {
        let mut cwt = cwt_value();
        let status = cwt.iter_mut().find(|(k, _)| *k == Value::Integer((-65_537).into())).unwrap();
        let Value::Map(entries) = &mut status.1 else { panic!("status claims are a map") };
        f(entries);
        verify(&signed_cwt(cwt))
    };
    let subject_birth = |days: Value| {
        move |entries: &mut Entries| {
            let subject = entries.iter_mut().find(|(k, _)| *k == Value::Integer(4.into())).unwrap();
            let Value::Map(fields) = &mut subject.1 else { panic!("subject is a map") };
            fields.push((Value::Integer(3.into()), days.clone()));
        }
    };
    assert_eq!(
        edit(&subject_birth(Value::Integer(i64::MAX.into()))),
        Error::Claims("birth date is out of range (years 0001 to 9999)".into())
    );
    assert_eq!(
        edit(&subject_birth(Value::Integer(u64::MAX.into()))),
        Error::Claims("birth date must be an integer in the 64-bit signed range".into())
    );
    let test_time = |secs: Value| {
        move |entries: &mut Entries| {
            let evidence = entries.iter_mut().find(|(k, _)| *k == Value::Integer(6.into())).unwrap();
            let Value::Map(lists) = &mut evidence.1 else { panic!("evidence is a map") };
            let Value::Array(tests) = &mut lists[0].1 else { panic!("tests are an array") };
            let Value::Map(test) = &mut tests[0] else { panic!("a test is a map") };
            test.iter_mut().find(|(k, _)| *k == Value::Integer(3.into())).unwrap().1 = secs.clone();
        }
    };
    assert_eq!(
        edit(&test_time(Value::Integer(i64::MIN.into()))),
        Error::Claims("sample time is out of range (years 0001 to 9999)".into())
    );
    assert_eq!(
        edit(&test_time(Value::Integer(u64::MAX.into()))),
        Error::Claims("sample time must be an integer in the 64-bit signed range".into())
    );
}

#[test]
fn fractional_times_are_refused() {
    let mut cwt = cwt_value();
    set(&mut cwt, 4, Value::Float(now().timestamp() as f64 + 0.5));
    assert_eq!(verify(&signed_cwt(cwt)), Error::Claims("exp must be an integer in the 64-bit signed range".into()));
}

#[test]
fn a_clock_at_the_ends_of_time() {
    let code = Issuer::new(demo()).issue(&Claims::example(now())).unwrap();
    assert!(matches!(verifier().verify(&code, DateTime::<Utc>::MAX_UTC), Err(Error::Expired(_))));
    assert!(matches!(verifier().verify(&code, DateTime::<Utc>::MIN_UTC), Err(Error::IssuedInFuture(_))));
}

// ---------------------------------------------------------------------------------------------
// Clock-skew abuse

#[test]
fn the_skew_boundary_is_exact() {
    let t = now().timestamp();
    let skew = Verifier::DEFAULT_SKEW.num_seconds();
    // Expired exactly `skew` ago: still accepted; one second more: refused.
    assert!(verifier().verify(&text(&with_times(t - 3600, None, t - skew)), now()).is_ok());
    assert!(matches!(verify(&with_times(t - 3600, None, t - skew - 1)), Error::Expired(_)));
    assert!(verifier().verify(&text(&with_times(t + skew, None, t + 3600)), now()).is_ok());
    assert!(matches!(verify(&with_times(t + skew + 1, None, t + 3600)), Error::IssuedInFuture(_)));
    assert!(matches!(verify(&with_times(t - 60, Some(t + skew + 1), t + 3600)), Error::NotYetValid(_)));
}

#[test]
fn a_negative_skew_counts_as_zero() {
    let t = now().timestamp();
    let strict = verifier().with_skew(TimeDelta::hours(-1));
    // It neither widens nor inverts the window: a code valid now stays valid...
    assert!(strict.verify(&text(&with_times(t - 60, None, t + 60)), now()).is_ok());
    // exp == iat is no validity window at all: refused by the claim rules, whatever the skew.
    assert!(matches!(strict.verify(&text(&with_times(t, None, t)), now()), Err(Error::Claims(_))));
    // The boundaries hold at zero: expiring now and issued now are both still valid.
    assert!(strict.verify(&text(&with_times(t - 60, None, t)), now()).is_ok());
    assert!(strict.verify(&text(&with_times(t, None, t + 60)), now()).is_ok());
    // ...and one second past expiry is refused.
    assert!(matches!(strict.verify(&text(&with_times(t - 60, None, t - 1)), now()), Err(Error::Expired(_))));
    assert!(matches!(strict.verify(&text(&with_times(t + 1, None, t + 60)), now()), Err(Error::IssuedInFuture(_))));
}

#[test]
fn a_skew_too_large_to_apply_fails_closed() {
    let t = now().timestamp();
    for skew in [TimeDelta::MAX, TimeDelta::MIN] {
        let lax = verifier().with_skew(skew);
        // now ± skew leaves chrono's range: no overflow, and no skew at all rather than infinite.
        assert!(matches!(lax.verify(&text(&with_times(t - 60, None, t - 1)), now()), Err(Error::Expired(_))));
        assert!(matches!(lax.verify(&text(&with_times(t + 1, None, t + 60)), now()), Err(Error::IssuedInFuture(_))));
        assert!(lax.verify(&text(&with_times(t - 60, None, t + 60)), now()).is_ok());
    }
}

// ---------------------------------------------------------------------------------------------
// Bombs and oversized input

#[test]
fn a_zlib_bomb() {
    // 4 MiB of zeros compresses to about 4 KiB: it fits a code, and inflating stops at 64 KiB.
    let bomb = deflate(&vec![0u8; 4 << 20]);
    let code = text(&bomb);
    assert!(code.len() <= Limits::DEFAULT.max_text_len);
    assert_eq!(
        verifier().verify(&code, now()).unwrap_err(),
        Error::TooLarge { what: "decompressed body", limit: Limits::DEFAULT.max_decompressed_len }
    );
}

#[test]
fn text_longer_than_any_qr_code() {
    let code = format!("HP1:{}", "0".repeat(Limits::DEFAULT.max_text_len));
    assert_eq!(
        verifier().verify(&code, now()).unwrap_err(),
        Error::TooLarge { what: "code text", limit: Limits::DEFAULT.max_text_len }
    );
}

#[test]
fn base45_triplets_over_65535() {
    // "GGW" = 16 + 16·45 + 32·2025 = 65536, the first value past 16 bits; ":::" is the largest.
    for group in ["GGW", ":::"] {
        assert_eq!(
            verifier().verify(&format!("HP1:{group}"), now()).unwrap_err(),
            Error::Base45("a three-character group is above 65535")
        );
    }
    assert_eq!(
        verifier().verify("HP1:::", now()).unwrap_err(),
        Error::Base45("a final two-character group is above 255")
    );
}

#[test]
fn a_cbor_array_claiming_billions_of_items() {
    // [COSE_Sign1 tag] + an array header claiming 2^32 - 1 items, and nothing else.
    assert_eq!(
        verify(&[0xd2, 0x9a, 0xff, 0xff, 0xff, 0xff]),
        Error::TooLarge { what: "CBOR collection", limit: Limits::DEFAULT.max_cbor_items }
    );
}

#[test]
fn a_byte_string_claiming_exabytes() {
    assert_eq!(
        verify(&[0xd2, 0x84, 0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Error::Cbor { step: "COSE_Sign1", detail: "a string at byte 2 is longer than the input".into() }
    );
}

#[test]
fn cbor_nested_past_the_limit_in_the_protected_header() {
    // {1: -8, 4: kid, -65536: [[[...]]]} nested 20 deep, correctly signed.
    let mut deep = Value::Integer(0.into());
    for _ in 0..20 {
        deep = Value::Array(vec![deep]);
    }
    let protected = cbor(&Value::Map(vec![
        (Value::Integer(1.into()), Value::Integer((-8).into())),
        (Value::Integer(4.into()), Value::Bytes(demo().kid().into_bytes())),
        (Value::Integer((-65_536).into()), deep),
    ]));
    let body = sign1_raw(&protected, Value::Map(vec![]), &payload(), &demo());
    assert_eq!(verify(&body), Error::Cbor { step: "protected header", detail: "nested too deeply".into() });
}

// ---------------------------------------------------------------------------------------------
// Images

#[test]
fn a_png_header_claiming_100000_by_100000() {
    assert_eq!(
        qr::scan(&png_claiming(100_000, 100_000), &Limits::DEFAULT).unwrap_err(),
        Error::TooLarge { what: "image side (pixels)", limit: 12_000 }
    );
    // Nothing but the signature and the header: refused too, before any pixel.
    let header_only = &png_claiming(100_000, 100_000)[..8 + 25];
    assert!(matches!(qr::scan(header_only, &Limits::DEFAULT), Err(Error::Image(_) | Error::TooLarge { .. })));
    // Within the side limit but over the pixel count.
    assert_eq!(
        qr::scan(&png_claiming(11_000, 11_000), &Limits::DEFAULT).unwrap_err(),
        Error::TooLarge { what: "image (pixels)", limit: 50_000_000 }
    );
}

#[test]
fn a_jpeg_header_claiming_65535_by_65535() {
    // SOI, a baseline SOF0 for one 65535×65535 component, EOI.
    let jpeg = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9];
    let err = qr::scan(&jpeg, &Limits::DEFAULT).unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { what: "image side (pixels)", .. } | Error::Image(_)),
        "a huge JPEG must be refused before decoding: {err:?}"
    );
}

#[test]
fn a_zero_size_image() {
    for (w, h) in [(0, 0), (0, 10), (10, 0)] {
        assert!(matches!(qr::scan(&png_claiming(w, h), &Limits::DEFAULT), Err(Error::Image(_))), "{w}x{h}");
        // Straight into the scanner too: rqrr itself indexes out of bounds on such an image.
        assert_eq!(
            qr::scan_image(&GrayImage::new(w, h), &Limits::DEFAULT).unwrap_err(),
            Error::Image("the image is empty (zero width or height)".into()),
            "{w}x{h}"
        );
    }
    assert!(matches!(qr::scan(&[], &Limits::DEFAULT), Err(Error::Image(_))));
}

#[test]
fn tiny_and_degenerate_images_do_not_upset_the_scanner() {
    for (w, h) in [(1, 1), (1, 500), (500, 1), (2, 2), (21, 21)] {
        for fill in [0u8, 255] {
            let image = GrayImage::from_pixel(w, h, Luma([fill]));
            assert_eq!(qr::scan_image(&image, &Limits::DEFAULT).unwrap_err(), Error::NoCode, "{w}x{h} {fill}");
        }
    }
}

/// Several QR codes side by side on one white image.
fn several(texts: &[&str]) -> GrayImage {
    let codes: Vec<GrayImage> = texts.iter().map(|t| Qr::encode(t).unwrap().to_image(3)).collect();
    let width = codes.iter().map(GrayImage::width).sum::<u32>();
    let height = codes.iter().map(GrayImage::height).max().unwrap();
    let mut image = GrayImage::from_pixel(width, height, Luma([255]));
    let mut x = 0;
    for code in &codes {
        image::imageops::replace(&mut image, code, i64::from(x), 0);
        x += code.width();
    }
    image
}

#[test]
fn an_image_with_several_codes_reports_every_one() {
    let valid = Issuer::new(demo()).issue(&Claims::example(now())).unwrap();
    let expired = Issuer::new(demo()).issue(&Claims::example(now() - TimeDelta::days(3))).unwrap();
    let image = several(&[&valid, "NOT A HEALTH CODE", &expired]);
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let results = verifier().verify_image(&png, now()).unwrap();
    assert_eq!(results.len(), 3, "every code is reported");
    let mut outcomes: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => format!("ok {}", v.issued_at),
            Err(e) => e.code().to_string(),
        })
        .collect();
    outcomes.sort();
    assert_eq!(outcomes, ["expired".into(), format!("ok {}", Claims::example(now()).issued_at), "prefix".into()]);
    // Past the per-image limit, only that many are decoded.
    let limits = Limits { max_codes_per_image: 2, ..Limits::DEFAULT };
    assert_eq!(qr::scan_image(&image, &limits).unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Batch verification must agree with single verification

/// A signature by the demo key whose R carries a torsion component of order 2: `R = [r]B + T`,
/// `S = r + H(R‖A‖M)·a`. Only the key's holder can make one. A cofactorless check refuses it,
/// and a cofactorless batch with random weights `z` accepted it whenever `z` was even (about half
/// the time). Codes are checked by the cofactored rule (docs/FORMAT.md §3), single and batch
/// alike, which accepts it every time.
fn mixed_order_r_code(round: u8) -> String {
    use curve25519_dalek::{EdwardsPoint, Scalar, constants::EIGHT_TORSION, scalar::clamp_integer};
    use sha2::{Digest, Sha256, Sha512};
    let seed: [u8; 32] = Sha256::digest(b"healthpass demo key: not for production").into();
    assert_eq!(SigningKey::from_seed(&seed).kid(), demo().kid());
    let a = Scalar::from_bytes_mod_order(clamp_integer(Sha512::digest(seed)[..32].try_into().unwrap()));
    let mut message = CoseSign1Builder::new().protected(eddsa(&demo())).payload(payload()).build();
    let tbs = message.tbs_data(&[]);
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::digest([round; 8]).into());
    let big_r = (EdwardsPoint::mul_base(&r) + EIGHT_TORSION[4]).compress().to_bytes();
    let hram = Sha512::new().chain_update(big_r).chain_update(demo().public_key().to_bytes()).chain_update(&tbs);
    let s = r + Scalar::from_bytes_mod_order_wide(&hram.finalize().into()) * a;
    message.signature = [big_r, s.to_bytes()].concat();
    text(&message.to_tagged_vec().unwrap())
}

#[test]
fn batch_verification_gives_a_mixed_order_r_the_verdict_single_verification_gives() {
    let good = Issuer::new(demo()).issue(&Claims::example(now())).unwrap();
    for round in 0..16 {
        let code = mixed_order_r_code(round);
        let single = verifier().verify(&code, now());
        assert!(single.is_ok(), "round {round}: the cofactored rule accepts the key holder's torsion");
        let batch = verifier().verify_batch(&[&code, &good], now());
        assert_eq!(batch[0], single, "round {round}");
    }
}

// ---------------------------------------------------------------------------------------------
// Scanner work

/// `side` × `side` white pixels tiled with QR finder patterns of `scale` pixels a module.
fn tiled_with_finder_patterns(side: u32, scale: u32) -> GrayImage {
    const FINDER: [&str; 7] = ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111"];
    let tile = 9 * scale;
    GrayImage::from_fn(side, side, |x, y| {
        let (tx, ty) = ((x % tile) / scale, (y % tile) / scale);
        let dark = tx < 7 && ty < 7 && FINDER[ty as usize].as_bytes()[tx as usize] == b'1';
        Luma([if dark { 0 } else { 255 }])
    })
}

#[test]
fn an_image_tiled_with_finder_patterns_is_refused_at_once() {
    // Unchecked, rqrr spent 107 s on this 600 × 600 image (more than 2 minutes at 1200 × 1200):
    // it copies the whole image for every candidate pair of finder patterns. rxing spent 1.5 s a
    // call on it (3.5 s at 900 × 900), once for the image and once for each cleaned-up copy.
    let image = tiled_with_finder_patterns(600, 2);
    let started = std::time::Instant::now();
    assert_eq!(
        qr::scan_image(&image, &Limits::DEFAULT).unwrap_err(),
        Error::TooLarge { what: "QR finder-pattern candidates in the image", limit: 16 * 12 }
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "took {:?}", started.elapsed());
    // With room for one code only, a much smaller tiling is refused too.
    let limits = Limits { max_codes_per_image: 1, ..Limits::DEFAULT };
    assert_eq!(
        qr::scan_image(&tiled_with_finder_patterns(200, 2), &limits).unwrap_err(),
        Error::TooLarge { what: "QR finder-pattern candidates in the image", limit: 12 }
    );
}

// ---------------------------------------------------------------------------------------------
// Trust lists, revocation and scope, through the checkpoint (fixtures shared with the trust tests)

use healthpass_qr::VerifyImage;
use healthpass_testkit::trust as trust_support;

mod trust {
    use super::trust_support::*;
    use super::{eddsa, sign1, text};
    use chrono::TimeDelta;
    use coset::{Header, HeaderBuilder, iana};
    use healthpass::decide::{Checkpoint, Policy};
    use healthpass::trust::{KeyAlgorithm, RevocationList};
    use healthpass::{CredentialKind, Error, Limits};

    fn checkpoint() -> Checkpoint {
        Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), Policy::permissive()).unwrap()
    }

    #[test]
    fn a_trust_list_replayed_at_an_older_sequence() {
        let mut cp = checkpoint();
        assert_eq!(
            cp.update_trust_list(&signed_trust_list(4)).unwrap_err(),
            Error::ListRollback { what: "trust list", held: 5, got: 4 }
        );
        assert_eq!(cp.trust_list().sequence, 5);
    }

    #[test]
    fn an_expired_trust_list() {
        // Past the list's next update (7 days), a code still within its own validity is refused.
        let mut long = claims(40);
        long.expires_at = t0() + TimeDelta::days(30);
        let code = issue(office(), &long);
        assert!(checkpoint().check(&code, t0()).accepted());
        assert_eq!(checkpoint().check(&code, t0() + TimeDelta::days(8)).refusal_codes(), vec!["stale_list"]);
    }

    #[test]
    fn a_revoked_key() {
        let code = issue(office(), &claims(41));
        let mut cp = checkpoint();
        let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
        list.revoke_key(office().kid(), t0() - TimeDelta::hours(1));
        cp.add_revocation_list(&list.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap();
        let verdict = cp.check(&code, t0());
        assert_eq!(verdict.refusal_codes(), vec!["revoked"]);
        assert!(!verdict.accepted());
        // A code dated before the revocation time still passes: one the key really signed then,
        // or one its thief backdated. Hence SECURITY.md: revoke from when the key was last safe.
        let mut earlier = claims(45);
        earlier.issued_at = t0() - TimeDelta::hours(2);
        earlier.not_before = earlier.issued_at;
        assert!(cp.check(&issue(office(), &earlier), t0()).accepted());
    }

    #[test]
    fn a_key_signing_outside_its_scope() {
        // The school's key may sign student codes only; a personal code from it is refused
        // although its signature is good.
        let mut personal = claims(42);
        personal.issuer = "CN-GD-SCHOOL-7".into();
        let verdict = checkpoint().check(&issue(school(), &personal), t0());
        assert_eq!(verdict.refusal_codes(), vec!["out_of_scope"]);
        let mut student = claims(43);
        student.issuer = "CN-GD-SCHOOL-7".into();
        student.kind = CredentialKind::Student { school: "7".into(), class: "1".into() };
        assert!(checkpoint().check(&issue(school(), &student), t0()).accepted());
    }

    #[test]
    fn an_rsa_key_offered_for_an_ec_kid() {
        // The list fixes the office's kid to an ES256 key; a code naming that kid with an RSA
        // algorithm (PS256) in its protected header is refused for its algorithm.
        let mut list = trust_list(5);
        list.entries.retain(|e| e.kid != office().kid());
        let mut ec = entry(&office(), "CN-GD", Default::default());
        ec.algorithm = KeyAlgorithm::Es256;
        ec.public_key = vec![0x30, 0x03, 0x02, 0x01, 0x00];
        list.entries.push(ec);
        let mut cp = Checkpoint::new(
            vec![anchor().public_key()],
            &list.sign(&anchor(), &Limits::DEFAULT).unwrap(),
            Policy::permissive(),
        )
        .unwrap();
        let protected =
            HeaderBuilder::new().algorithm(iana::Algorithm::PS256).key_id(office().kid().into_bytes()).build();
        let payload = claims(44).to_cbor();
        let rsa = text(&sign1(protected, Header::default(), payload.clone(), &office()));
        let verdict = cp.check(&rsa, t0());
        assert_eq!(verdict.refusal_codes(), vec!["unsupported_alg"]);
        assert_eq!(verdict.colour, None);
        // And the Ed25519 signature the office really made does not pass under the EC entry.
        let eddsa_code = text(&sign1(eddsa(&office()), Header::default(), payload, &office()));
        assert_eq!(cp.check(&eddsa_code, t0()).refusal_codes(), vec!["unsupported_alg"]);
    }
}
