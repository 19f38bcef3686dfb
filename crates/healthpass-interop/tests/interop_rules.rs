//! What another system's code may claim: a DCC's country is its signer certificate's, its
//! certificate was valid when it was signed, its evidence is not from the future; an SHC's `exp`
//! holds. Each test names the rule and asserts the error code it must give.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::decide::Policy;
use healthpass::transport::{deflate, encode_base45};
use healthpass_interop::dcc::DccVerifier;
use healthpass_interop::shc::{ShcIssuer, ShcVerifier};
use healthpass_interop::{ForeignKey, ForeignKeys, SignerCertificate, dcc_kid};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};

/// A test signer certificate (P-256, subject `C=PL`) and its PKCS#8 key, made with openssl.
const PL_CERTIFICATE: &[u8] = include_bytes!("data/dcc-signer-pl.der");
const PL_KEY: &[u8] = include_bytes!("data/dcc-signer-pl.pk8");

fn certificate() -> SignerCertificate {
    SignerCertificate::from_der(PL_CERTIFICATE).unwrap()
}

/// A time inside the certificate's validity.
fn t0() -> DateTime<Utc> {
    certificate().info.not_before + TimeDelta::days(30)
}

/// A negative NAAT test taken in `country`, sampled at `sampled`, as the DCC payload.
fn test_entry(country: &str, sampled: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "ver": "1.3.0",
        "nam": {"fn": "Kowalska", "fnt": "KOWALSKA", "gn": "Anna", "gnt": "ANNA"},
        "dob": "1990-01-01",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "nm": "PCR", "sc": sampled.to_rfc3339(),
               "tr": "260415000", "tc": "Lab", "co": country, "is": "Ministry of Health", "ci": "URN:UVCI:01:PL:T1"}]
    })
}

/// `HC1:` text of a DCC with this `iss` (or none), `iat`, `exp` and payload, signed by the PL key.
fn dcc(iss: Option<&str>, iat: DateTime<Utc>, exp: DateTime<Utc>, payload: &serde_json::Value) -> String {
    let mut claims = vec![
        (Value::from(4), Value::from(exp.timestamp())),
        (Value::from(6), Value::from(iat.timestamp())),
        (Value::from(-260), Value::Map(vec![(Value::from(1), Value::serialized(payload).unwrap())])),
    ];
    if let Some(iss) = iss {
        claims.insert(0, (Value::from(1), Value::from(iss)));
    }
    let mut cwt = Vec::new();
    ciborium::into_writer(&Value::Map(claims), &mut cwt).unwrap();
    let rng = SystemRandom::new();
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, PL_KEY, &rng).unwrap();
    let protected =
        HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(dcc_kid(PL_CERTIFICATE).into_bytes()).build();
    let cose = CoseSign1Builder::new()
        .protected(protected)
        .payload(cwt)
        .create_signature(&[], |tbs| key.sign(&rng, tbs).unwrap().as_ref().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap();
    format!("HC1:{}", encode_base45(&deflate(&cose)))
}

fn verifier() -> DccVerifier {
    DccVerifier::new([ForeignKey::from_x509_der(PL_CERTIFICATE).unwrap()].into_iter().collect::<ForeignKeys>())
}

/// A negative test sampled a day before `t0`, valid for 30 days from `t0`.
fn negative(iss: Option<&str>, country: &str) -> String {
    dcc(iss, t0(), t0() + TimeDelta::days(30), &test_entry(country, t0() - TimeDelta::days(1)))
}

#[test]
fn the_signer_certificate_names_its_country() {
    assert_eq!(certificate().info.country.as_deref(), Some("PL"));
}

#[test]
fn dcc_issuer_country_must_be_the_signer_certificates_country() {
    let now = t0() + TimeDelta::hours(1);
    // The attack: iss says DE, the certificate is from PL.
    let err = verifier().verify(&negative(Some("DE"), "PL"), now).unwrap_err();
    assert_eq!(err.code(), "issuer_country_mismatch", "{err}");
    // Without iss, the code is from the signer's country, wherever the test was taken: a test
    // taken in DE under a PL certificate is a PL code, and never a DE one.
    let code = verifier().verify(&negative(None, "DE"), now).unwrap();
    assert_eq!(code.claims.issuer, "PL");
    // The signer's own country passes.
    let code = verifier().verify(&negative(Some("PL"), "PL"), now).unwrap();
    assert_eq!(code.claims.issuer, "PL");
}

#[test]
fn dcc_iss_that_is_no_country_code_claims_the_signers_country() {
    let now = t0() + TimeDelta::hours(1);
    // An iss naming a region inside DE is no country code: it cannot borrow DE's recognition.
    let code = verifier().verify(&negative(Some("DE-BY"), "PL"), now).unwrap();
    assert_eq!(code.claims.issuer, "PL");
    let code = verifier().verify(&negative(Some("DE-BY"), "DE"), now).unwrap();
    assert_eq!(code.claims.issuer, "PL");
}

#[test]
fn policies_judge_the_verified_dcc_country() {
    let now = t0() + TimeDelta::hours(1);
    let code = verifier().verify(&negative(Some("PL"), "PL"), now).unwrap();
    let germany = Policy::from_json(r#"{ "accept_colours": ["green"], "accept_regions": ["DE"] }"#).unwrap();
    let codes: Vec<_> = germany.evaluate(&code.claims, now).into_iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["issuer_not_accepted"]);
}

#[test]
fn dcc_signed_after_its_certificates_not_after_is_refused() {
    let not_after = certificate().info.not_after;
    let payload = test_entry("PL", not_after - TimeDelta::days(1));
    let exp = not_after + TimeDelta::days(1);
    // Signed at the last second of the certificate: accepted.
    let at_end = dcc(Some("PL"), not_after, exp, &payload);
    assert!(verifier().verify(&at_end, not_after).is_ok());
    // One second later: refused, naming the certificate's end.
    let late = dcc(Some("PL"), not_after + TimeDelta::seconds(1), exp, &payload);
    let err = verifier().verify(&late, not_after + TimeDelta::seconds(1)).unwrap_err();
    assert_eq!(err.code(), "expired");
    assert!(err.to_string().contains("signer certificate"), "{err}");
}

#[test]
fn dcc_evidence_from_the_future_is_refused() {
    let now = t0() + TimeDelta::hours(1);
    let future = chrono::DateTime::parse_from_rfc3339("2099-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
    let code = dcc(Some("PL"), t0(), t0() + TimeDelta::days(30), &test_entry("PL", future));
    let err = verifier().verify(&code, now).unwrap_err();
    assert_eq!(err.code(), "evidence_in_future", "{err}");
    // Sampled after the DCC was signed (but before now): refused too.
    let after_iat = dcc(Some("PL"), t0(), t0() + TimeDelta::days(30), &test_entry("PL", t0() + TimeDelta::minutes(30)));
    assert_eq!(verifier().verify(&after_iat, now).unwrap_err().code(), "evidence_in_future");
}

#[test]
fn conversion_refuses_evidence_from_the_future() {
    // A verifier with a day of skew lets a test sampled an hour after iat through; the
    // conversion's policy (default skew) refuses it with its own rule code.
    let now = t0() + TimeDelta::hours(2);
    let text = dcc(Some("PL"), t0(), t0() + TimeDelta::days(30), &test_entry("PL", t0() + TimeDelta::hours(1)));
    let lenient = verifier().with_skew(TimeDelta::days(1));
    let source = lenient.verify(&text, now).unwrap();
    let converter = healthpass_scenarios::border::Converter {
        issuer: "CN-GD".into(),
        policy: Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#).unwrap(),
        category: healthpass::claims::DeclarationCategory::Individual,
        valid_hours: 24,
    };
    let err = converter.convert(&text, "HC1", &source.claims, healthpass::CredentialId([1; 16]), now).unwrap_err();
    assert_eq!(err.code(), "scenario");
    assert!(err.to_string().contains("[evidence_in_future]"), "{err}");
}

mod shc {
    use super::*;

    fn verifier() -> ShcVerifier {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/shc/examples");
        let jwks: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root.join("issuer/.well-known/jwks.json")).unwrap()).unwrap();
        let issuer = ShcIssuer::from_jwks(healthpass_conformance::SHC_EXAMPLE_ISSUER, &jwks).unwrap();
        ShcVerifier::new([issuer])
    }

    /// Example 03, the one card with an `exp` (1718986764.657).
    fn card() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/shc/examples");
        std::fs::read_to_string(root.join("example-03-d-jws.txt")).unwrap().trim().to_owned()
    }

    #[test]
    fn shc_exp_is_checked() {
        let exp = DateTime::from_timestamp_millis(1_718_986_764_657).unwrap();
        let valid = verifier().verify_jws(&card(), exp - TimeDelta::seconds(1)).unwrap();
        assert_eq!(valid.expires_at, Some(1_718_986_764.657));
        let err = verifier().verify_jws(&card(), exp + TimeDelta::milliseconds(1)).unwrap_err();
        assert_eq!(err.code(), "expired", "{err}");
        let err = verifier().verify_jws(&card(), exp + TimeDelta::days(365)).unwrap_err();
        assert_eq!(err.code(), "expired", "{err}");
    }
}

/// Every published DCC that is expected to verify claims its signer certificate's country
/// (Georgia's, whose `iss` names the ministry rather than a country, through the certificate).
#[test]
fn published_dccs_claim_their_signers_country() {
    use healthpass_interop::dcc::{UnverifiedDcc, check_issuer_country, claimed_country};
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc"), &mut paths);
    let limits = healthpass::Limits::DEFAULT;
    let (mut bound, mut by_entry) = (0, 0);
    for path in paths {
        let Ok(case) = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&path).unwrap()) else { continue };
        let (Some(certificate), Some(text)) = (case["TESTCTX"]["CERTIFICATE"].as_str(), case["PREFIX"].as_str()) else {
            continue;
        };
        if case["EXPECTEDRESULTS"]["EXPECTEDVERIFY"] != serde_json::Value::Bool(true) {
            continue;
        }
        let Ok(der) = data_encoding::BASE64.decode(certificate.as_bytes()) else { continue };
        let Ok(signer) = SignerCertificate::from_der(&der) else { continue };
        let Ok((cwt, payload)) = UnverifiedDcc::parse(text, &limits).and_then(|c| c.payload_unverified(&limits)) else {
            continue;
        };
        let claimed = claimed_country(&cwt, &payload, Some(&signer.info)).unwrap();
        assert_eq!(check_issuer_country(Some(&signer.info), &claimed), Ok(()), "{}", path.display());
        if signer.info.country.is_some() {
            bound += 1;
            by_entry += usize::from(cwt.issuer.as_deref() != Some(claimed.as_str()));
        }
    }
    assert!(bound >= 300, "{bound} published codes with a certificate country");
    assert!(by_entry >= 3, "{by_entry} codes whose iss is no country code");
}

/// A checkpoint whose trust list holds the PL signer's key (as a bare SPKI entry) under
/// `issuer` and `region`, and a DCC verifier with that key unbound (no certificate country).
fn dcc_checkpoint(issuer: &str, region: &str) -> (healthpass::decide::Checkpoint, DccVerifier) {
    use healthpass::decide::Checkpoint;
    use healthpass::trust::{KeyAlgorithm, Scope, TrustEntry, TrustList};
    let anchor = healthpass::SigningKey::from_seed(&[1; 32]);
    let spki = certificate().spki_der;
    let mut list = TrustList::new(1, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(7));
    list.entries.push(TrustEntry {
        kid: dcc_kid(PL_CERTIFICATE),
        algorithm: KeyAlgorithm::Es256,
        public_key: spki.clone(),
        issuer: issuer.into(),
        region: region.into(),
        valid_from: certificate().info.not_before,
        valid_until: certificate().info.not_after,
        scope: Scope::default(),
    });
    let signed = list.sign(&anchor, &healthpass::Limits::DEFAULT).unwrap();
    let checkpoint = Checkpoint::new(vec![anchor.public_key()], &signed, Policy::permissive()).unwrap();
    let mut keys = ForeignKeys::new();
    keys.insert_spki(dcc_kid(PL_CERTIFICATE), Some(healthpass_interop::ForeignAlg::Es256), &spki).unwrap();
    (checkpoint, DccVerifier::new(keys))
}

#[test]
fn dcc_country_is_bound_to_the_trust_entry_at_the_checkpoint() {
    let now = t0() + TimeDelta::hours(1);
    let (mut checkpoint, verifier) = dcc_checkpoint("PL", "PL");
    // The bare key binds no country, so the DCC verifies; the checkpoint's entry refuses it.
    let claims_de = verifier.verify(&negative(Some("DE"), "DE"), now).unwrap().claims;
    assert_eq!(checkpoint.check_verified(&claims_de, now).refusal_codes(), vec!["issuer_mismatch"]);
    let claims_pl = verifier.verify(&negative(Some("PL"), "PL"), now).unwrap().claims;
    assert!(checkpoint.check_verified(&claims_pl, now).accepted());
    // An entry whose issuer lies outside its own region binds nothing it can vouch for.
    let (mut inconsistent, verifier) = dcc_checkpoint("DE", "PL");
    let claims_de = verifier.verify(&negative(Some("DE"), "DE"), now).unwrap().claims;
    assert_eq!(inconsistent.check_verified(&claims_de, now).refusal_codes(), vec!["issuer_mismatch"]);
}
