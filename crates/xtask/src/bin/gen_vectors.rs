//! Regenerates `test-vectors/healthpass/`: one JSON file per case, positive and negative, with
//! the keys, the clock, the claims, the exact text and the expected outcome.
//!
//! Everything is deterministic (fixed keys, ids and times; Ed25519 signatures are deterministic),
//! so CI reruns this and fails if a byte changes: `cargo run --example gen_vectors`.
//! `tests/vectors.rs` checks every expectation against the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use ciborium::Value as Cbor;
use coset::{CoseSign1, CoseSign1Builder, Header, HeaderBuilder, TaggedCborSerializable, iana};
use flate2::{Compression, write::ZlibEncoder};
use healthpass::claims::*;
use healthpass::decide::Policy;
use healthpass::fs::{Mode, write_atomic};
use healthpass::transport::{decode_base45, deflate, encode_base45};
use healthpass::{Claims, Issuer, SigningKey, Verifier};
use healthpass_scenarios::border::Converter;
use serde_json::{Value, json};

const DIR: &str = "test-vectors/healthpass";
const ISSUER_SEED: [u8; 32] = [0x11; 32];
const OTHER_SEED: [u8; 32] = [0x22; 32];
/// The order ℓ of the Ed25519 base point, little-endian.
const ELL: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(DIR);
    std::fs::create_dir_all(&dir)?;
    for old in std::fs::read_dir(&dir)? {
        let path = old?.path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::remove_file(path)?;
        }
    }
    let cases = cases();
    for (i, case) in cases.iter().enumerate() {
        let json = serde_json::to_string_pretty(&case.to_json()?)? + "\n";
        write_atomic(&dir.join(format!("{:03}-{}.json", i + 1, case.name)), json.as_bytes(), Mode::Public)?;
    }
    println!("wrote {} vectors to {DIR}", cases.len());
    Ok(())
}

/// A key the verifier trusts: raw public key bytes, optionally bound to one issuer.
#[derive(Clone)]
struct Trusted {
    public: [u8; 32],
    issuer: Option<&'static str>,
}

fn trusted(seed: &[u8; 32]) -> Trusted {
    Trusted { public: SigningKey::from_seed(seed).public_key().to_bytes(), issuer: None }
}

#[derive(Clone)]
struct Case {
    name: &'static str,
    description: &'static str,
    /// The seed of the key that signed it (kept even for forgeries, to show which key it was).
    seed: [u8; 32],
    trusted: Vec<Trusted>,
    now: DateTime<Utc>,
    /// The claims a valid code carries (None for refused codes).
    claims: Option<Claims>,
    text: String,
    /// `None`: valid. `Some(code)`: refused with that error code (`Error::code`).
    error: Option<&'static str>,
    /// Whether the text is exactly what a conforming issuer makes of the claims.
    reference: bool,
}

impl Case {
    fn to_json(&self) -> Result<Value, Box<dyn std::error::Error>> {
        let key = SigningKey::from_seed(&self.seed);
        let trusted: Vec<Value> = self
            .trusted
            .iter()
            .map(|t| json!({ "public_key": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&t.public)), "kid": healthpass::Kid::of_ed25519(&t.public).to_string(), "issuer": t.issuer }))
            .collect();
        let body = self.text.strip_prefix("HP1:").and_then(|b| decode_base45(b).ok());
        // The signed COSE bytes a conforming issuer must produce for these claims (zlib output
        // may differ between implementations; these bytes may not).
        let cose = match (&self.claims, self.reference) {
            (Some(claims), true) => Some(
                data_encoding::HEXLOWER
                    .encode(AsRef::<[u8]>::as_ref(&Issuer::new(SigningKey::from_seed(&self.seed)).issue_cose(claims)?)),
            ),
            _ => None,
        };
        Ok(json!({
            "description": self.description,
            "signing_key": { "seed": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&self.seed)), "public_key": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&key.public_key().to_bytes())), "kid": key.kid().to_string() },
            "trusted_keys": trusted,
            "now": self.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "skew_seconds": Verifier::DEFAULT_SKEW.num_seconds(),
            "claims": self.claims,
            "text": self.text,
            "body_hex": body.map(|b| data_encoding::HEXLOWER.encode(&b)),
            "issuer_cose_hex": cose,
            "expected": match self.error {
                None => json!({ "valid": true }),
                Some(code) => json!({ "valid": false, "error": code }),
            },
        }))
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn issue(claims: &Claims) -> String {
    Issuer::new(SigningKey::from_seed(&ISSUER_SEED)).issue(claims).unwrap()
}

fn text(body: &[u8]) -> String {
    format!("HP1:{}", encode_base45(body))
}

fn sign(protected: Header, unprotected: Header, payload: Vec<u8>, seed: &[u8; 32]) -> CoseSign1 {
    let key = SigningKey::from_seed(seed);
    CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .payload(payload)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
}

fn forge(protected: Header, payload: Vec<u8>, seed: &[u8; 32]) -> String {
    text(&sign(protected, Header::default(), payload, seed).to_tagged_vec().unwrap())
}

fn eddsa(seed: &[u8; 32]) -> Header {
    HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(SigningKey::from_seed(seed).kid().into_bytes())
        .build()
}

/// A tagged COSE_Sign1 with the header maps `protected` and `unprotected` written as given
/// (so a header value may have any type), signed by `seed` over the typical payload.
fn raw_headers(
    protected: Vec<(Cbor, Cbor)>,
    unprotected: Vec<(Cbor, Cbor)>,
    payload: &[u8],
    seed: &[u8; 32],
) -> String {
    let protected = cbor(&Cbor::Map(protected));
    let sig_structure = Cbor::Array(vec![
        "Signature1".into(),
        Cbor::Bytes(protected.clone()),
        Cbor::Bytes(Vec::new()),
        Cbor::Bytes(payload.to_vec()),
    ]);
    let signature = SigningKey::from_seed(seed).sign(&cbor(&sig_structure)).to_vec();
    let message = Cbor::Array(vec![
        Cbor::Bytes(protected),
        Cbor::Map(unprotected),
        Cbor::Bytes(payload.to_vec()),
        Cbor::Bytes(signature),
    ]);
    text(&cbor(&Cbor::Tag(18, Box::new(message))))
}

/// The typical claims with `count` identical temperature readings and no test: nothing but
/// repeated structure for zlib to find, and under 24 bytes of text.
fn temperature_readings(now: DateTime<Utc>, count: usize) -> Claims {
    Claims {
        credential_id: CredentialId([0x99; 16]),
        reasons: vec![Reason::NormalReports],
        evidence: Evidence {
            temperatures: vec![
                TemperatureCheck { decicelsius: 366, at: now - TimeDelta::hours(1), place: None };
                count
            ],
            ..Evidence::default()
        },
        ..Claims::example(now)
    }
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).unwrap();
    out
}

/// The typical payload with its status map changed by `edit`, signed by the issuer.
fn edited_status(now: DateTime<Utc>, edit: impl FnOnce(&mut Vec<(Cbor, Cbor)>)) -> String {
    let mut cwt: Cbor = ciborium::de::from_reader(Claims::example(now).to_cbor().as_slice()).unwrap();
    let Cbor::Map(entries) = &mut cwt else { unreachable!() };
    let Some((_, Cbor::Map(status))) = entries.last_mut() else { unreachable!() };
    edit(status);
    forge(eddsa(&ISSUER_SEED), cbor(&cwt), &ISSUER_SEED)
}

fn school(now: DateTime<Utc>) -> Claims {
    Claims {
        issuer: "MO-DSEDJ".into(),
        credential_id: CredentialId([0x33; 16]),
        kind: CredentialKind::Student { school: "Escola Primaria Oficial".into(), class: "P3-A".into() },
        reasons: vec![Reason::NormalReports],
        evidence: Evidence {
            temperatures: vec![TemperatureCheck { decicelsius: 365, at: now - TimeDelta::hours(1), place: None }],
            ..Evidence::default()
        },
        ..Claims::example(now)
    }
}

fn proxy_red(now: DateTime<Utc>) -> Claims {
    Claims {
        issuer: "HK-DH".into(),
        credential_id: CredentialId([0x44; 16]),
        colour: Colour::Red,
        reasons: vec![Reason::PositiveTest, Reason::InQuarantine],
        not_before: now,
        expires_at: now + TimeDelta::days(14),
        subject: Subject {
            id: SubjectId([0x55; 16]),
            name: Some("LEUNG Mei Ling".into()),
            birth_date: NaiveDate::from_ymd_opt(1941, 5, 4),
            document: Some(DocumentKind::NationalId),
        },
        holder: Some(Holder { relation: Relation::Child, name: Some("LEUNG Ka Wai".into()), id: None }),
        evidence: Evidence {
            tests: vec![TestResult {
                kind: TestKind::Antigen,
                result: TestOutcome::Positive,
                sampled_at: now - TimeDelta::hours(5),
                facility: Some("Community Testing Centre 12".into()),
            }],
            travel: vec![TravelRecord {
                region: "CN-GD".into(),
                from: NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
                until: NaiveDate::from_ymd_opt(2026, 11, 15),
            }],
            residency: Some("HK".into()),
            ..Evidence::default()
        },
        ..Claims::example(now)
    }
}

fn vaccinated_border(now: DateTime<Utc>) -> Claims {
    Claims {
        issuer: "MO-SSM".into(),
        credential_id: CredentialId([0x66; 16]),
        reasons: vec![Reason::Vaccinated, Reason::NegativeTest],
        kind: CredentialKind::CrossBorder { category: DeclarationCategory::TruckDriver },
        evidence: Evidence {
            vaccinations: vec![
                Vaccination {
                    product: "EU/1/20/1528".into(),
                    dose: 1,
                    doses: 2,
                    date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                },
                Vaccination {
                    product: "EU/1/20/1528".into(),
                    dose: 2,
                    doses: 2,
                    date: NaiveDate::from_ymd_opt(2026, 9, 29).unwrap(),
                },
            ],
            ..Claims::example(now).evidence
        },
        ..Claims::example(now)
    }
}

fn venue_officer(now: DateTime<Utc>) -> Claims {
    Claims {
        issuer: "CN-GD-GZ".into(),
        credential_id: CredentialId([0x77; 16]),
        colour: Colour::Yellow,
        reasons: vec![Reason::OfficerDecision, Reason::FeverAtCheck],
        kind: CredentialKind::Venue {
            venue_id: "GZ-TH-00042".into(),
            name: Some("Tianhe Market".into()),
            region: None,
        },
        evidence: Evidence {
            temperatures: vec![TemperatureCheck {
                decicelsius: 381,
                at: now - TimeDelta::minutes(20),
                place: Some("gate 2".into()),
            }],
            decisions: vec![OfficerDecision {
                officer: "GZ-0815".into(),
                at: now - TimeDelta::minutes(10),
                basis: "fever at the market gate".into(),
            }],
            ..Evidence::default()
        },
        ..Claims::example(now)
    }
}

/// A cross-border code that a Macau checkpoint converted, 20 minutes after issue, from the
/// typical code `source_text` (vector 001): evidence key 7 names its format, region and hash.
fn converted(now: DateTime<Utc>, source_text: &str) -> Claims {
    let at = now + TimeDelta::minutes(20);
    let keys = [SigningKey::from_seed(&ISSUER_SEED).public_key()].into_iter().collect();
    let source = Verifier::new(keys).verify(source_text, at).unwrap();
    let converter = Converter {
        issuer: "MO-SSM".into(),
        policy: Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#).unwrap(),
        category: DeclarationCategory::Individual,
        valid_hours: 12,
    };
    converter.convert(source_text, "HP1", &source, CredentialId([0x88; 16]), at).unwrap()
}

fn cases() -> Vec<Case> {
    let now = t0();
    let checked = now + TimeDelta::minutes(30);
    let typical = Claims::example(now);
    let typical_text = issue(&typical);
    let valid = |name, description, claims: Claims| Case {
        name,
        description,
        seed: ISSUER_SEED,
        trusted: vec![trusted(&ISSUER_SEED)],
        now: checked,
        text: issue(&claims),
        claims: Some(claims),
        error: None,
        reference: true,
    };
    let refused = |name, description, text: String, error| Case {
        name,
        description,
        seed: ISSUER_SEED,
        trusted: vec![trusted(&ISSUER_SEED)],
        now: checked,
        claims: None,
        text,
        error: Some(error),
        reference: false,
    };
    let also_valid = |name, description, text: String| Case {
        claims: Some(typical.clone()),
        error: None,
        ..refused(name, description, text, "")
    };
    let cose = Issuer::new(SigningKey::from_seed(&ISSUER_SEED)).issue_cose(&typical).unwrap();
    let payload = typical.to_cbor();
    let signed = CoseSign1::from_tagged_slice(&cose).unwrap();
    let with_signature = |signature: Vec<u8>| text(&CoseSign1 { signature, ..signed.clone() }.to_tagged_vec().unwrap());
    let stored = {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::none());
        std::io::Write::write_all(&mut encoder, &cose).unwrap();
        encoder.finish().unwrap()
    };
    let mut tampered = signed.clone();
    tampered.payload = Some(Claims { colour: Colour::Red, ..typical.clone() }.to_cbor());
    let mut trailing = cose.clone();
    trailing.push(0x00);
    let mut zlib_trailing = deflate(&cose);
    zlib_trailing.push(0x00);
    let mut zlib_corrupt = deflate(&cose);
    let last = zlib_corrupt.len() - 1;
    zlib_corrupt[last] ^= 0xff;
    let mut dup = vec![0xd2, 0x84, 0x4f, 0xa3, 0x01, 0x27, 0x01, 0x27, 0x04, 0x48];
    dup.extend_from_slice(&SigningKey::from_seed(&ISSUER_SEED).kid().into_bytes());
    dup.extend_from_slice(&[0xa0, 0x41, 0xa0, 0x58, 0x40]);
    dup.extend_from_slice(&[0u8; 64]);
    let kid = SigningKey::from_seed(&ISSUER_SEED).kid().into_bytes();
    // S + ℓ: the same signature with a non-canonical S; lenient verifiers reduce it and accept.
    let s_plus_ell = {
        let mut sig = signed.signature.clone();
        let mut carry = 0u16;
        for (byte, add) in sig[32..].iter_mut().zip(ELL) {
            let sum = u16::from(*byte) + u16::from(add) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
        sig
    };
    // The weak key (the identity point) with R = identity and S = 0 satisfies the lenient equation.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak_signature = {
        let mut sig = vec![0u8; 64];
        sig[0] = 1;
        sig
    };
    let weak_text = text(
        &CoseSign1 {
            protected: coset::ProtectedHeader {
                original_data: None,
                header: HeaderBuilder::new()
                    .algorithm(iana::Algorithm::EdDSA)
                    .key_id(healthpass::Kid::of_ed25519(&identity).into_bytes())
                    .build(),
            },
            signature: weak_signature,
            ..signed.clone()
        }
        .to_tagged_vec()
        .unwrap(),
    );
    // The unprotected header {99: [[...[1]...]]}: the map is at depth 3, the value at 4, and the
    // integer inside 13 arrays at depth 17.
    let nested = {
        let mut deep = Cbor::from(1);
        for _ in 0..13 {
            deep = Cbor::Array(vec![deep]);
        }
        let unprotected = HeaderBuilder::new().value(99, deep).build();
        text(&sign(eddsa(&ISSUER_SEED), unprotected, payload.clone(), &ISSUER_SEED).to_tagged_vec().unwrap())
    };
    let later = Claims { not_before: now + TimeDelta::hours(6), ..typical.clone() };
    let skew = Verifier::DEFAULT_SKEW;
    let untagged = {
        let mut bytes = cose.clone();
        bytes.remove(0);
        bytes
    };
    // The header parameters of the typical code, for headers written by hand.
    let alg: (Cbor, Cbor) = (1.into(), (-8).into());
    let kid_bytes: (Cbor, Cbor) = (4.into(), Cbor::Bytes(kid.clone()));
    let kid_hex = Cbor::Text(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&&kid)));
    let three_items = {
        // The array of four without its signature (58 40 and 64 bytes): a well-formed array of 3.
        let mut bytes = cose[..cose.len() - 66].to_vec();
        bytes[1] = 0x83;
        bytes
    };

    vec![
        valid(
            "typical-green",
            "A typical green code: one negative nucleic-acid test, pseudonymous subject.",
            typical.clone(),
        ),
        valid("student-daily", "A student's daily code with a normal temperature report.", school(now)),
        valid(
            "proxy-red-quarantine",
            "A red code of an elderly person carried by her child, with travel history.",
            proxy_red(now),
        ),
        valid(
            "not-before-later-than-issued",
            "nbf differs from iat, so nbf is present.",
            Claims { not_before: now + TimeDelta::minutes(10), ..typical.clone() },
        ),
        valid(
            "cross-border-vaccinated",
            "A truck driver's cross-border code: two vaccinations and a test.",
            vaccinated_border(now),
        ),
        valid(
            "venue-officer-decision",
            "A yellow code from an officer's recorded decision after a fever at a venue.",
            venue_officer(now),
        ),
        also_valid(
            "uncompressed-body",
            "The typical code's COSE bytes without zlib: verifiers accept both forms.",
            text(&cose),
        ),
        also_valid(
            "stored-zlib-body",
            "The typical code in a zlib stream with stored (uncompressed) blocks, longer than the COSE bytes: a conforming issuer would not send it, but verifiers accept it.",
            text(&stored),
        ),
        Case {
            trusted: vec![trusted(&OTHER_SEED), trusted(&ISSUER_SEED)],
            reference: true,
            ..also_valid(
                "two-trusted-keys",
                "The verifier trusts two keys; the code's kid picks the right one.",
                typical_text.clone(),
            )
        },
        Case {
            trusted: vec![
                Trusted { issuer: Some("HK-DH"), ..trusted(&ISSUER_SEED) },
                Trusted { issuer: Some("CN-GD"), ..trusted(&ISSUER_SEED) },
            ],
            ..also_valid(
                "issuer-bound-keys",
                "The same key trusted twice, bound to two issuers: one binding matches iss.",
                typical_text.clone(),
            )
        },
        Case {
            now: typical.expires_at + skew,
            ..also_valid("expiry-within-skew", "Checked exactly at exp + 300 s: still valid.", typical_text.clone())
        },
        refused(
            "wrong-prefix",
            "HC1: is the EU DCC prefix, not ours.",
            typical_text.replacen("HP1:", "HC1:", 1),
            "prefix",
        ),
        refused(
            "text-too-long",
            "7,090 characters: one more than any QR code holds.",
            format!("HP1:{}", "0".repeat(7086)),
            "too_large",
        ),
        refused(
            "base45-bad-character",
            "A lower-case letter is outside the base45 alphabet.",
            format!("{typical_text}a"),
            "base45",
        ),
        refused("base45-triplet-over-65535", "GGW decodes to 65536 + ..., above 16 bits.", "HP1:GGW".into(), "base45"),
        refused(
            "base45-single-character-left",
            "A length of 3n + 1 characters: whole groups, then one character.",
            format!("HP1:{}0", encode_base45(&cose[..cose.len() / 2 * 2])),
            "base45",
        ),
        refused(
            "base45-final-pair-over-255",
            "A final pair :: = 2024, above one byte.",
            format!("HP1:{}::", encode_base45(&cose[..cose.len() - 1])),
            "base45",
        ),
        refused("body-empty", "Nothing after the prefix.", "HP1:".into(), "cbor"),
        refused("body-untagged", "The COSE_Sign1 array without tag 18: first byte 0x84.", text(&untagged), "body"),
        refused(
            "zlib-bomb",
            "A zlib stream inflating to 1 MiB of zeros, over the 64 KiB cap.",
            text(&deflate(&vec![0; 1 << 20])),
            "too_large",
        ),
        refused("zlib-bad-checksum", "The zlib stream's Adler-32 is wrong.", text(&zlib_corrupt), "decompress"),
        refused(
            "zlib-trailing-bytes",
            "One byte after the end of the zlib stream.",
            text(&zlib_trailing),
            "trailing_bytes",
        ),
        refused("trailing-bytes", "One byte after the COSE_Sign1 message.", text(&trailing), "trailing_bytes"),
        refused("cose-three-items", "A tagged COSE_Sign1 array of 3 items: no signature.", text(&three_items), "cbor"),
        refused("duplicate-protected-key", "The protected header holds alg twice.", text(&dup), "duplicate_key"),
        refused(
            "missing-kid",
            "A protected header with alg only.",
            forge(HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build(), payload.clone(), &ISSUER_SEED),
            "missing_kid",
        ),
        refused(
            "unknown-kid",
            "Signed by a key the verifier does not trust.",
            forge(eddsa(&OTHER_SEED), payload.clone(), &OTHER_SEED),
            "unknown_kid",
        ),
        refused(
            "alg-unprotected-only",
            "alg only in the unprotected header, where it is not signed.",
            text(
                &sign(
                    HeaderBuilder::new().key_id(kid.clone()).build(),
                    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build(),
                    payload.clone(),
                    &ISSUER_SEED,
                )
                .to_tagged_vec()
                .unwrap(),
            ),
            "missing_alg",
        ),
        refused(
            "alg-es256",
            "An ES256 header on an Ed25519 kid.",
            forge(
                HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(kid.clone()).build(),
                payload.clone(),
                &ISSUER_SEED,
            ),
            "unsupported_alg",
        ),
        refused(
            "tampered-payload",
            "The payload of a valid code swapped for a red one; the signature is the original.",
            text(&tampered.to_tagged_vec().unwrap()),
            "bad_signature",
        ),
        refused(
            "signed-by-impostor",
            "Our kid in the header, but signed by another key.",
            forge(eddsa(&ISSUER_SEED), payload.clone(), &OTHER_SEED),
            "bad_signature",
        ),
        refused(
            "signature-s-plus-ell",
            "A valid signature with ℓ added to S: non-canonical, refused by strict verification.",
            with_signature(s_plus_ell),
            "bad_signature",
        ),
        refused(
            "signature-63-bytes",
            "A signature one byte short.",
            with_signature(signed.signature[..63].to_vec()),
            "bad_signature",
        ),
        Case {
            trusted: vec![Trusted { public: identity, issuer: None }],
            ..refused(
                "weak-key-identity",
                "The trusted key is the identity point (small order), R is the identity and S = 0: lenient verifiers accept any message. The key itself is refused when loaded.",
                weak_text,
                "key",
            )
        },
        Case {
            trusted: vec![Trusted { issuer: Some("HK-DH"), ..trusted(&ISSUER_SEED) }],
            ..refused(
                "issuer-mismatch",
                "The key is bound to HK-DH; the code says CN-GD.",
                typical_text.clone(),
                "issuer_mismatch",
            )
        },
        refused(
            "claims-unknown-colour",
            "A signed payload with colour code 9.",
            edited_status(now, |s| s[0].1 = Cbor::from(9)),
            "claims",
        ),
        refused(
            "claims-repeated-reason",
            "A signed payload giving the same reason twice.",
            edited_status(now, |s| s[1].1 = Cbor::Array(vec![1.into(), 1.into()])),
            "claims",
        ),
        refused(
            "claims-unknown-key",
            "A signed payload whose status map has key 99.",
            edited_status(now, |s| s.push((Cbor::from(99), Cbor::Null))),
            "claims",
        ),
        refused(
            "claims-cwt-tag-61",
            "A signed payload wrapped in the CWT tag 61.",
            forge(
                eddsa(&ISSUER_SEED),
                cbor(&Cbor::Tag(61, Box::new(ciborium::de::from_reader(payload.as_slice()).unwrap()))),
                &ISSUER_SEED,
            ),
            "claims",
        ),
        refused(
            "claims-text-over-1024",
            "A signed payload with a 1,025-byte facility name.",
            edited_status(now, |s| {
                s[3].1 = Cbor::Map(vec![(
                    1.into(),
                    Cbor::Array(vec![Cbor::Map(vec![
                        (1.into(), 1.into()),
                        (2.into(), 1.into()),
                        (3.into(), 1_795_334_400.into()),
                        (4.into(), "x".repeat(1025).into()),
                    ])]),
                )])
            }),
            "too_large",
        ),
        refused(
            "cbor-513-items",
            "A signed payload whose reasons array has 513 items.",
            edited_status(now, |s| s[1].1 = Cbor::Array(vec![1.into(); 513])),
            "too_large",
        ),
        refused("cbor-depth-17", "An unprotected header holding an item at depth 17.", nested.clone(), "cbor"),
        Case {
            now: typical.expires_at + skew + TimeDelta::seconds(1),
            ..refused("expired", "Checked 1 s past exp + 300 s.", typical_text.clone(), "expired")
        },
        Case {
            now: now + TimeDelta::hours(1),
            ..refused(
                "not-yet-valid",
                "nbf is 6 hours after issuance; checked after 1 hour.",
                issue(&later),
                "not_yet_valid",
            )
        },
        Case {
            now: now - TimeDelta::minutes(10),
            ..refused(
                "issued-in-future",
                "Checked 10 minutes before iat: past the 5-minute skew.",
                typical_text.clone(),
                "issued_in_future",
            )
        },
        valid(
            "converted-from-another-region",
            "A cross-border code converted from vector 001's code: evidence key 7 holds its format (HP1), region (CN-GD) and the SHA-256 of its text.",
            converted(now, &typical_text),
        ),
        refused(
            "protected-kid-text",
            "The protected header's kid is a text string (the kid's hex digits), not a byte string: a header parameter of the wrong type.",
            raw_headers(vec![alg.clone(), (4.into(), kid_hex.clone())], vec![], &payload, &ISSUER_SEED),
            "cbor",
        ),
        refused(
            "protected-alg-bytes",
            "The protected header's alg is the byte string h'27' (the encoding of -8), not an integer or text: a header parameter of the wrong type, refused before alg is looked at.",
            raw_headers(vec![(1.into(), Cbor::Bytes(vec![0x27])), kid_bytes.clone()], vec![], &payload, &ISSUER_SEED),
            "cbor",
        ),
        refused(
            "protected-content-type-bytes",
            "The protected header holds a content type (label 3) that is a byte string, not an unsigned integer or text.",
            raw_headers(
                vec![alg.clone(), (3.into(), Cbor::Bytes(vec![0x3d])), kid_bytes.clone()],
                vec![],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "protected-iv-text",
            "The protected header holds an IV (label 5) that is a text string, not a byte string.",
            raw_headers(
                vec![alg.clone(), kid_bytes.clone(), (5.into(), "0123456789ab".into())],
                vec![],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "unprotected-kid-text",
            "A valid protected header; the unprotected header's kid is a text string. Verifiers do not use its values, but its parameters must have their types.",
            raw_headers(
                vec![alg.clone(), kid_bytes.clone()],
                vec![(4.into(), kid_hex.clone())],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "unprotected-alg-bytes",
            "A valid protected header; the unprotected header's alg is the byte string h'27'.",
            raw_headers(
                vec![alg.clone(), kid_bytes.clone()],
                vec![(1.into(), Cbor::Bytes(vec![0x27]))],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "unprotected-content-type-bytes",
            "A valid protected header; the unprotected header's content type (label 3) is a byte string.",
            raw_headers(
                vec![alg.clone(), kid_bytes.clone()],
                vec![(3.into(), Cbor::Bytes(vec![0x3d]))],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "unprotected-iv-text",
            "A valid protected header; the unprotected header's IV (label 5) is a text string.",
            raw_headers(
                vec![alg.clone(), kid_bytes.clone()],
                vec![(5.into(), "0123456789ab".into())],
                &payload,
                &ISSUER_SEED,
            ),
            "cbor",
        ),
        refused(
            "text-not-ascii",
            "Vector 001's text followed by 3,500 × 'é': 3,761 characters but 7,261 bytes of UTF-8. The length limit applies to ASCII text only, so this is refused as base45 (a character outside the alphabet), not as too large, whether characters or bytes are counted.",
            format!("{typical_text}{}", "é".repeat(3_500)),
            "base45",
        ),
        valid(
            "temperature-readings-512",
            "512 identical temperature readings (the most one array holds) and under 24 bytes of text: 5,795 COSE bytes, 8,697 characters as they are, 327 through zlib. The issuer tries zlib for a repeated evidence list and the code fits.",
            temperature_readings(now, 512),
        ),
    ]
}
