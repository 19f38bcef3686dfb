//! DCC revocation in the checkpoint's decision (`RevocationStore::check_at_checkpoint`), and a
//! policy's CertLogic rules installed at a checkpoint for native codes (`PolicyRuleCheck`), on a
//! published DE DCC whose signer key the checkpoint's trust list holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::decide::{Checkpoint, Policy};
use healthpass::trust::{KeyAlgorithm, Scope, TrustEntry, TrustList};
use healthpass::{Limits, SigningKey};
use healthpass_interop::crypto::SignerCertificate;
use healthpass_interop::dcc::{DccVerifier, UnverifiedDcc};
use healthpass_interop::dcc_revocation::{BloomFilter, RevocationHashes, RevocationLimits, RevocationStore};
use healthpass_interop::{ForeignKeys, dcc_kid};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn at() -> DateTime<Utc> {
    "2021-11-01T10:00:00Z".parse().unwrap()
}

/// The published DE vaccination DCC, its signer certificate (DER), a checkpoint trusting that
/// key for DE under `policy`, and the verified claims.
fn setup(policy: Policy) -> (Checkpoint, UnverifiedDcc, healthpass::Verified<healthpass::Claims>) {
    let vector: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc/DE/2DCode/raw/1.json")).unwrap()).unwrap();
    let der = data_encoding::BASE64
        .decode(vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap().split_whitespace().collect::<String>().as_bytes())
        .unwrap();
    let certificate = SignerCertificate::from_der(&der).unwrap();
    let anchor = SigningKey::from_seed(&[1; 32]);
    let mut list = TrustList::new(1, at() - TimeDelta::hours(1), at() + TimeDelta::days(7));
    list.entries.push(TrustEntry {
        kid: dcc_kid(&der),
        algorithm: KeyAlgorithm::Es256,
        public_key: certificate.spki_der.clone(),
        issuer: "DE".into(),
        region: "DE".into(),
        valid_from: certificate.info.not_before,
        valid_until: certificate.info.not_after,
        scope: Scope::default(),
    });
    let signed = list.sign(&anchor, &Limits::DEFAULT).unwrap();
    let checkpoint = Checkpoint::new(vec![anchor.public_key()], &signed, policy).unwrap();
    let mut keys = ForeignKeys::new();
    keys.insert_x509_der(&der).unwrap();
    let text = vector["PREFIX"].as_str().unwrap();
    let verified = DccVerifier::new(keys).verify(text, at()).unwrap().claims;
    (checkpoint, UnverifiedDcc::parse(text, &Limits::DEFAULT).unwrap(), verified)
}

#[test]
fn a_revoked_dcc_is_refused_in_the_checkpoints_verdict() {
    let (mut checkpoint, code, verified) = setup(Policy::permissive());
    let hashes = RevocationHashes::of(&code, &Limits::DEFAULT).unwrap();
    let kid = code.kid().unwrap().as_bytes().to_vec();
    let mut store = RevocationStore::new();
    store.insert_hashes(&kid, healthpass_interop::dcc_revocation::HashType::Uci, &[[7; 16]]).unwrap();
    let verdict = store.check_at_checkpoint(&mut checkpoint, &code, &verified, at()).unwrap();
    assert!(verdict.accepted(), "{verdict}");
    // A filter's "maybe" alone: a warning, not a refusal.
    let mut filter = BloomFilter::new(4, 0.01, &RevocationLimits::DEFAULT).unwrap();
    filter.add(&hashes.signature);
    store.insert_filter(
        &kid,
        healthpass_interop::dcc_revocation::HashType::Signature,
        hashes.signature[0],
        hashes.signature[1],
        filter,
    );
    let verdict = store.check_at_checkpoint(&mut checkpoint, &code, &verified, at()).unwrap();
    assert!(verdict.accepted(), "{verdict}");
    assert_eq!(verdict.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), ["possibly_revoked_unconfirmed"]);
    // The exact entry: revoked, beside whatever else the checkpoint found.
    store.insert_hashes(&kid, healthpass_interop::dcc_revocation::HashType::Signature, &[hashes.signature]).unwrap();
    let verdict = store.check_at_checkpoint(&mut checkpoint, &code, &verified, at()).unwrap();
    assert_eq!(verdict.refusal_codes(), vec!["revoked"]);
    let verdict = store.check_at_checkpoint(&mut checkpoint, &code, &verified, at() + TimeDelta::days(400)).unwrap();
    assert!(verdict.refusal_codes().contains(&"revoked"), "{verdict}");
    assert!(verdict.refusal_codes().len() > 1, "the checkpoint's own refusals stay: {verdict}");
}

#[test]
fn a_policys_rules_judge_native_codes_at_a_checkpoint() {
    use healthpass_interop::policy_rules::PolicyRuleCheck;
    use healthpass_testkit::trust::{anchor, claims, issue, office, signed_trust_list, t0};
    let dir = std::env::temp_dir().join(format!("healthpass-policy-rules-cp-{}", std::process::id()));
    let folder = dir.join("CN/GR-CN-0001");
    std::fs::create_dir_all(&folder).unwrap();
    let rule = serde_json::json!({
        "Identifier": "GR-CN-0001", "Type": "Acceptance", "Country": "CN", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0", "CertificateType": "General",
        "Description": [{"lang": "en", "desc": "Green codes only."}],
        "ValidFrom": "2020-01-01T00:00:00Z", "ValidTo": "2099-01-01T00:00:00Z", "AffectedFields": ["hp.colour"],
        "Logic": {"===": [{"var": "payload.hp.colour"}, "green"]}
    });
    std::fs::write(folder.join("rule.json"), rule.to_string()).unwrap();
    let policy = Policy::from_json(
        &serde_json::json!({"accept_colours": ["green", "yellow"], "rules": {"dir": dir, "arrival": "CN"}}).to_string(),
    )
    .unwrap();
    let check = PolicyRuleCheck::load(policy.rules.as_ref().unwrap(), Path::new("/")).unwrap();
    let mut checkpoint = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), policy).unwrap();
    checkpoint.set_claims_check(std::sync::Arc::new(check));
    assert!(checkpoint.check(&issue(office(), &claims(1)), t0()).accepted());
    let mut yellow = claims(2);
    yellow.colour = healthpass::Colour::Yellow;
    let verdict = checkpoint.check(&issue(office(), &yellow), t0());
    assert_eq!(verdict.refusal_codes(), vec!["rule_failed"]);
    assert!(verdict.refusals[0].message.contains("GR-CN-0001"), "{verdict}");
}

#[test]
fn each_code_sees_its_own_external_fields_through_the_held_value_sets() {
    use healthpass_interop::policy_rules::PolicyRuleCheck;
    let dir = std::env::temp_dir().join(format!("healthpass-policy-rules-external-{}", std::process::id()));
    let folder = dir.join("XX/GR-XX-0001");
    std::fs::create_dir_all(&folder).unwrap();
    let rule = serde_json::json!({
        "Identifier": "GR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0", "CertificateType": "General",
        "Description": [{"lang": "en", "desc": "Issued in DE, judged in 2021, value sets held."}],
        "ValidFrom": "2020-01-01T00:00:00Z", "ValidTo": "2099-01-01T00:00:00Z", "AffectedFields": [],
        "Logic": {"and": [
            {"===": [{"var": "external.issuerCountryCode"}, "DE"]},
            {"before": [{"plusTime": [{"var": "external.validationClock"}, 0, "day"]}, {"plusTime": ["2022-01-01", 0, "day"]}]},
            {"in": ["EU/1/20/1528", {"var": "external.valueSets.vaccines-covid-19-names"}]}
        ]}
    });
    std::fs::write(folder.join("rule.json"), rule.to_string()).unwrap();
    let rules = healthpass::decide::PolicyRules {
        dir: dir.to_str().unwrap().into(),
        arrival: "XX".into(),
        region: None,
        value_sets: Some(root().join("test-vectors/dcc-rules/valuesets/valueSets.json").to_str().unwrap().into()),
    };
    let check = PolicyRuleCheck::load(&rules, Path::new("/")).unwrap();
    let payload = serde_json::json!({"ver": "1.3.0"});
    let judge =
        |country: &str, now: DateTime<Utc>| check.refusal(&check.judge_dcc(&payload, country, (None, None), None, now));
    assert_eq!(judge("DE", at()), None);
    assert_eq!(judge("FR", at()).unwrap().code, "rule_failed");
    assert_eq!(judge("DE", at()), None, "the previous code's country does not stay");
    assert_eq!(judge("DE", at() + TimeDelta::days(400)).unwrap().code, "rule_failed");
    assert_eq!(judge("DE", at()), None, "nor its clock");
}
