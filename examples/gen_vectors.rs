//! Regenerates `test-vectors/healthpass/`: one JSON file per case, positive and negative, with
//! the keys, the clock, the claims, the exact text and the expected outcome.
//!
//! Everything is deterministic (fixed keys, ids and times; Ed25519 signatures are deterministic),
//! so CI reruns this and fails if a byte changes: `cargo run --example gen_vectors`.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use coset::{CoseSign1, CoseSign1Builder, Header, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::claims::*;
use healthpass::fs::{Mode, write_atomic};
use healthpass::transport::{decode_base45, deflate, encode_base45};
use healthpass::{Claims, Issuer, KeySet, SigningKey, Verifier};
use serde_json::{Value, json};

const DIR: &str = "test-vectors/healthpass";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
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

struct Case {
    name: &'static str,
    description: &'static str,
    /// The seed of the key that signed it (kept even for forgeries, to show which key it was).
    seed: [u8; 32],
    /// The keys the verifier trusts.
    trusted: Vec<[u8; 32]>,
    now: DateTime<Utc>,
    /// Claims the text was issued from by a conforming issuer (None for hand-made messages).
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
            .map(|seed| {
                let public = SigningKey::from_seed(seed).public_key();
                json!({ "public_key": hex::encode(public.to_bytes()), "kid": public.kid().to_string() })
            })
            .collect();
        // Check the expectation against the library before writing it down.
        let keys: KeySet = self.trusted.iter().map(|s| SigningKey::from_seed(s).public_key()).collect();
        let outcome = Verifier::new(keys).verify(&self.text, self.now);
        match (&outcome, self.error) {
            (Ok(v), None) if self.claims.as_ref().is_none_or(|c| **v == *c) => {}
            (Err(e), Some(code)) if e.code() == code => {}
            _ => return Err(format!("{}: expected {:?}, the library says {outcome:?}", self.name, self.error).into()),
        }
        let body = self.text.strip_prefix("HP1:").and_then(|b| decode_base45(b).ok());
        // The signed COSE bytes a conforming issuer must produce for these claims (zlib output
        // may differ between implementations; these bytes may not).
        let cose = match (&self.claims, self.reference) {
            (Some(claims), true) => {
                Some(hex::encode(Issuer::new(SigningKey::from_seed(&self.seed)).issue_cose(claims)?))
            }
            _ => None,
        };
        Ok(json!({
            "description": self.description,
            "signing_key": { "seed": hex::encode(self.seed), "public_key": hex::encode(key.public_key().to_bytes()), "kid": key.kid().to_string() },
            "trusted_keys": trusted,
            "now": self.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "skew_seconds": 300,
            "claims": self.claims,
            "text": self.text,
            "body_hex": body.map(hex::encode),
            "issuer_cose_hex": cose,
            "expected": match self.error {
                None => json!({ "valid": true }),
                Some(code) => json!({ "valid": false, "error": code }),
            },
        }))
    }
}

const ISSUER_SEED: [u8; 32] = [0x11; 32];
const OTHER_SEED: [u8; 32] = [0x22; 32];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn issue(claims: &Claims) -> String {
    Issuer::new(SigningKey::from_seed(&ISSUER_SEED)).issue(claims).unwrap()
}

fn forge(protected: Header, unprotected: Header, payload: Vec<u8>, seed: &[u8; 32], compress: bool) -> String {
    let key = SigningKey::from_seed(seed);
    let cose = CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .payload(payload)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .unwrap();
    format!("HP1:{}", encode_base45(&if compress { deflate(&cose) } else { cose }))
}

fn eddsa(seed: &[u8; 32]) -> Header {
    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(SigningKey::from_seed(seed).kid().0).build()
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

fn cases() -> Vec<Case> {
    let now = t0();
    let typical = Claims::example(now);
    let text = issue(&typical);
    let positive = |name, description, claims: Claims| Case {
        name,
        description,
        seed: ISSUER_SEED,
        trusted: vec![ISSUER_SEED],
        now: now + TimeDelta::minutes(30),
        text: issue(&claims),
        claims: Some(claims),
        error: None,
        reference: true,
    };
    let negative = |name, description, text: String, error| Case {
        name,
        description,
        seed: ISSUER_SEED,
        trusted: vec![ISSUER_SEED],
        now: now + TimeDelta::minutes(30),
        claims: None,
        text,
        error: Some(error),
        reference: false,
    };
    let body = Issuer::new(SigningKey::from_seed(&ISSUER_SEED)).issue_cose(&typical).unwrap();
    let payload = typical.to_cbor();
    let mut tampered = CoseSign1::from_tagged_slice(&body).unwrap();
    tampered.payload = Some(Claims { colour: Colour::Red, ..typical.clone() }.to_cbor());
    let mut trailing = body.clone();
    trailing.push(0x00);
    let mut dup = vec![0xd2, 0x84, 0x4f, 0xa3, 0x01, 0x27, 0x01, 0x27, 0x04, 0x48];
    dup.extend_from_slice(&SigningKey::from_seed(&ISSUER_SEED).kid().0);
    dup.extend_from_slice(&[0xa0, 0x41, 0xa0, 0x58, 0x40]);
    dup.extend_from_slice(&[0u8; 64]);
    let later = Claims { not_before: now + TimeDelta::hours(6), ..typical.clone() };
    vec![
        positive(
            "typical-green",
            "A typical green code: one negative nucleic-acid test, pseudonymous subject.",
            typical.clone(),
        ),
        positive("student-daily", "A student's daily code with a normal temperature report.", school(now)),
        positive(
            "proxy-red-quarantine",
            "A red code of an elderly person carried by her child, with travel history.",
            proxy_red(now),
        ),
        positive(
            "not-before-later-than-issued",
            "nbf differs from iat, so nbf is present.",
            Claims { not_before: now + TimeDelta::minutes(10), ..typical.clone() },
        ),
        Case {
            claims: Some(typical.clone()),
            ..negative(
                "uncompressed-body",
                "The same claims sent without zlib: verifiers accept both forms.",
                forge(eddsa(&ISSUER_SEED), Header::default(), payload.clone(), &ISSUER_SEED, false),
                "",
            )
        }
        .valid(),
        Case {
            claims: Some(typical.clone()),
            ..negative(
                "compressed-body",
                "The same claims forced through zlib although it is longer.",
                forge(eddsa(&ISSUER_SEED), Header::default(), payload.clone(), &ISSUER_SEED, true),
                "",
            )
        }
        .valid(),
        Case {
            trusted: vec![OTHER_SEED, ISSUER_SEED],
            claims: Some(typical.clone()),
            reference: true,
            ..negative(
                "two-trusted-keys",
                "The verifier trusts two keys; the code's kid picks the right one.",
                text.clone(),
                "",
            )
        }
        .valid(),
        negative("wrong-prefix", "HC1: is the EU DCC prefix, not ours.", text.replacen("HP1:", "HC1:", 1), "prefix"),
        negative(
            "base45-bad-character",
            "A lower-case letter is outside the base45 alphabet.",
            format!("{text}a"),
            "base45",
        ),
        negative("base45-triplet-over-65535", "GGW decodes to 65536 + ..., above 16 bits.", "HP1:GGW".into(), "base45"),
        negative(
            "zlib-bomb",
            "A zlib stream inflating to 1 MiB of zeros, over the 64 KiB cap.",
            format!("HP1:{}", encode_base45(&deflate(&vec![0; 1 << 20]))),
            "too_large",
        ),
        negative(
            "trailing-bytes",
            "One byte after the COSE_Sign1 message.",
            format!("HP1:{}", encode_base45(&trailing)),
            "trailing_bytes",
        ),
        negative(
            "duplicate-protected-key",
            "The protected header holds alg twice.",
            format!("HP1:{}", encode_base45(&dup)),
            "duplicate_key",
        ),
        negative(
            "unknown-kid",
            "Signed by a key the verifier does not trust.",
            forge(eddsa(&OTHER_SEED), Header::default(), payload.clone(), &OTHER_SEED, false),
            "unknown_kid",
        ),
        negative(
            "alg-unprotected-only",
            "alg only in the unprotected header, where it is not signed.",
            forge(
                HeaderBuilder::new().key_id(SigningKey::from_seed(&ISSUER_SEED).kid().0).build(),
                HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build(),
                payload.clone(),
                &ISSUER_SEED,
                false,
            ),
            "missing_alg",
        ),
        negative(
            "alg-es256",
            "An ES256 header on an Ed25519 kid.",
            forge(
                HeaderBuilder::new()
                    .algorithm(iana::Algorithm::ES256)
                    .key_id(SigningKey::from_seed(&ISSUER_SEED).kid().0)
                    .build(),
                Header::default(),
                payload.clone(),
                &ISSUER_SEED,
                false,
            ),
            "unsupported_alg",
        ),
        negative(
            "tampered-payload",
            "The payload of a valid code swapped for a red one; the signature is the original.",
            format!("HP1:{}", encode_base45(&tampered.to_tagged_vec().unwrap())),
            "bad_signature",
        ),
        negative(
            "signed-by-impostor",
            "Our kid in the header, but signed by another key.",
            forge(eddsa(&ISSUER_SEED), Header::default(), payload.clone(), &OTHER_SEED, false),
            "bad_signature",
        ),
        Case {
            now: typical.expires_at + TimeDelta::minutes(6),
            ..negative("expired", "Checked 6 minutes after expiry: past the 5-minute skew.", text.clone(), "expired")
        },
        Case {
            now: now + TimeDelta::hours(1),
            ..negative(
                "not-yet-valid",
                "nbf is 6 hours after issuance; checked after 1 hour.",
                issue(&later),
                "not_yet_valid",
            )
        },
        Case {
            now: now - TimeDelta::minutes(10),
            ..negative(
                "issued-in-future",
                "Checked 10 minutes before iat: past the 5-minute skew.",
                text.clone(),
                "issued_in_future",
            )
        },
    ]
}

impl Case {
    fn valid(mut self) -> Case {
        self.error = None;
        self
    }
}
