//! Rules of the decision code that mutation testing (MUTANTS.md) found no test pinning: each test
//! is named for the rule and fails with the mutant that survived it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use chrono::TimeDelta;
use healthpass::Error;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::verify::Verifier;
use trust_support::*;

fn checkpoint(policy: Policy) -> Checkpoint {
    Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), policy).unwrap()
}

/// The clock guard's skew is the skew the checkpoint allows a code's own times (TRUST.md step
/// 4): a code issued within it ahead of the scanner's clock is accepted, one second beyond it is
/// `issued_in_future`. (Survivor: `ClockGuard::skew` returning zero.)
#[test]
fn the_checkpoint_allows_the_clock_skew_for_a_code_issued_ahead_of_its_clock() {
    let skew = Verifier::DEFAULT_SKEW;
    let mut cp = checkpoint(Policy::permissive());
    let mut ahead = claims(1);
    ahead.issued_at = t0() + skew;
    ahead.not_before = ahead.issued_at;
    let verdict = cp.check(&issue(office(), &ahead), t0());
    assert!(verdict.accepted(), "{verdict}");
    let mut beyond = claims(2);
    beyond.issued_at = t0() + skew + TimeDelta::seconds(1);
    beyond.not_before = beyond.issued_at;
    let verdict = cp.check(&issue(office(), &beyond), t0());
    assert_eq!(verdict.refusal_codes(), vec!["issued_in_future", "not_yet_valid"]);
}

/// A policy file is read up to 1 MiB (POLICY.md, `Policy::read_file`) and refused one byte
/// beyond, before parsing. (Survivors: `1024 * 1024` made `1024 + 1024` or `1024 / 1024`.)
#[test]
fn a_policy_file_is_read_up_to_one_mebibyte_and_refused_beyond() {
    let dir = std::env::temp_dir().join(format!("healthpass-policy-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = r#"{ "accept_colours": ["green"] }"#;
    let padded = |len: usize| format!("{json}{}", " ".repeat(len - json.len()));
    let at_limit = dir.join("at-limit.json");
    std::fs::write(&at_limit, padded(1024 * 1024)).unwrap();
    assert_eq!(Policy::read_file(&at_limit).unwrap().accept_colours.len(), 1);
    let over = dir.join("over.json");
    std::fs::write(&over, padded(1024 * 1024 + 1)).unwrap();
    assert_eq!(Policy::read_file(&over).unwrap_err(), Error::TooLarge { what: "policy file", limit: 1024 * 1024 });
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `Policy::evaluate` (the public entry for a caller that verified a code itself) lists every
/// rule the claims fail, and nothing for claims it accepts. (Survivor: `evaluate` returning no
/// findings; the checkpoint's own path did not reach it.)
#[test]
fn policy_evaluate_lists_every_failed_rule_of_verified_claims() {
    let verifier = Verifier::new([office().public_key()].into_iter().collect());
    let verified = verifier.verify(&issue(office(), &claims(4)), t0()).unwrap();
    let strict = Policy::from_json(r#"{ "accept_colours": ["yellow"], "max_code_age_hours": 1 }"#).unwrap();
    let codes: Vec<_> = strict.evaluate(&verified, t0() + TimeDelta::hours(2)).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["colour_not_accepted", "code_too_old"]);
    let green = Policy::from_json(r#"{ "accept_colours": ["green"], "max_code_age_hours": 1 }"#).unwrap();
    assert!(green.evaluate(&verified, t0()).is_empty());
}

/// `max_code_age_hours`: a code issued exactly that many hours ago is accepted, one second older
/// is `code_too_old` (POLICY.md: "at most this many hours ago"). (Survivor: `>` made `>=`.)
#[test]
fn max_code_age_includes_its_boundary() {
    let mut cp = checkpoint(Policy::from_json(r#"{ "accept_colours": ["green"], "max_code_age_hours": 2 }"#).unwrap());
    let text = issue(office(), &claims(5));
    let verdict = cp.check(&text, t0() + TimeDelta::hours(2));
    assert!(verdict.accepted(), "{verdict}");
    let verdict = cp.check(&text, t0() + TimeDelta::hours(2) + TimeDelta::seconds(1));
    assert_eq!(verdict.refusal_codes(), vec!["code_too_old"]);
}

/// `accept_issuers` accepts by exact id: the named issuer passes, any other is
/// `issuer_not_accepted` (POLICY.md). (Survivor: the id comparison inverted.)
#[test]
fn accept_issuers_accepts_exactly_the_named_issuers() {
    let text = issue(office(), &claims(6));
    let named = Policy::from_json(r#"{ "accept_colours": ["green"], "accept_issuers": ["CN-GD"] }"#).unwrap();
    let verdict = checkpoint(named).check(&text, t0());
    assert!(verdict.accepted(), "{verdict}");
    let other = Policy::from_json(r#"{ "accept_colours": ["green"], "accept_issuers": ["CN-GD-SZ"] }"#).unwrap();
    assert_eq!(checkpoint(other).check(&text, t0()).refusal_codes(), vec!["issuer_not_accepted"]);
}

/// `negative_test_max_age_hours`: a negative test sampled exactly that many hours ago counts,
/// one second older is `test_too_old` (POLICY.md: "at most this many hours ago"). (Survivor:
/// `>` made `>=`.)
#[test]
fn negative_test_max_age_includes_its_boundary() {
    let policy = r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 48 }"#;
    let mut cp = checkpoint(Policy::from_json(policy).unwrap());
    let code = claims(7);
    let sampled = code.evidence.tests.iter().map(|t| t.sampled_at).max().unwrap();
    let text = issue(office(), &code);
    let verdict = cp.check(&text, sampled + TimeDelta::hours(48));
    assert!(verdict.accepted(), "{verdict}");
    let verdict = cp.check(&text, sampled + TimeDelta::hours(48) + TimeDelta::seconds(1));
    assert_eq!(verdict.refusal_codes(), vec!["test_too_old"]);
}

/// A policy written back to JSON (the CLI's `policy` output, a venue's published policy) leaves
/// out `require_logged` when it is off, so a policy file from before the log reads the same, and
/// keeps it when it is on. (Survivors: `is_false` returning `true`, `false`, or its negation
/// deleted.)
#[test]
fn require_logged_is_written_only_when_set() {
    let off = Policy::from_json(r#"{ "accept_colours": ["green"] }"#).unwrap();
    let json = serde_json::to_string(&off).unwrap();
    assert!(!json.contains("require_logged"), "{json}");
    assert_eq!(Policy::from_json(&json).unwrap(), off);
    let on = Policy::from_json(r#"{ "accept_colours": ["green"], "require_logged": true }"#).unwrap();
    assert!(on.require_logged);
    let json = serde_json::to_string(&on).unwrap();
    assert!(json.contains(r#""require_logged":true"#), "{json}");
    assert_eq!(Policy::from_json(&json).unwrap(), on);
}

/// Claims verified outside the checkpoint (`check_verified`, the path of foreign codes) must
/// name an issuer inside the region of the trust-list entry whose key verified them
/// (TRUST.md step 2): an entry for `HK-DH` listed in region `CN-GD` makes its codes
/// `issuer_mismatch`, one for `CN-GD-SZ` in the same region is accepted. (Survivors:
/// `issuer_outside_region` returning `None`, its `==` inverted.)
#[test]
fn check_verified_refuses_an_issuer_outside_its_entrys_region() {
    use healthpass::trust::Scope;
    let key = || healthpass::SigningKey::from_seed(&[9; 32]);
    for (issuer, accepted) in [("HK-DH", false), ("CN-GD-SZ", true)] {
        let mut list = trust_list(5);
        list.entries.push(entry(&key(), issuer, Scope::default()));
        let signed = list.sign(&anchor(), &healthpass::Limits::DEFAULT).unwrap();
        let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed, Policy::permissive()).unwrap();
        let mut code = claims(8);
        code.issuer = issuer.into();
        let verified = Verifier::new([key().public_key()].into_iter().collect()).verify(&issue(key(), &code), t0());
        let verdict = cp.check_verified(&verified.unwrap(), t0());
        if accepted {
            assert!(verdict.accepted(), "{issuer}: {verdict}");
        } else {
            assert_eq!(verdict.refusal_codes(), vec!["issuer_mismatch"], "{issuer}");
        }
    }
}

/// A trust list carries each key's algorithm as its RFC 9053 identifier: EdDSA -8, ES256 -7,
/// PS256 -37, and no other. (Survivors: PS256's sign deleted in `cose_id`, its arm deleted in
/// `from_cose_id`: a PS256 entry would be written as 37 and never read back.)
#[test]
fn key_algorithms_carry_their_rfc_9053_identifiers() {
    use healthpass::trust::KeyAlgorithm;
    for (algorithm, id) in [(KeyAlgorithm::Ed25519, -8), (KeyAlgorithm::Es256, -7), (KeyAlgorithm::Ps256, -37)] {
        assert_eq!(algorithm.cose_id(), id, "{algorithm:?}");
        assert_eq!(KeyAlgorithm::from_cose_id(id), Some(algorithm));
    }
    for id in [8, 7, 37, -35, -36, -38, -257, 0] {
        assert_eq!(KeyAlgorithm::from_cose_id(id), None, "{id}");
    }
}

/// A key scoped to regions may sign venue posters only for venues in those regions (TRUST.md
/// "Scope"): a poster naming its venue's region `HK` under a key scoped to `CN-GD` is
/// `out_of_scope`, one naming `CN-GD` is accepted. (Survivor: the venue arm deleted from
/// `claim_regions`, so a poster's region was never checked.)
#[test]
fn a_keys_regions_bind_the_region_a_venue_poster_names() {
    use healthpass::trust::Scope;
    use healthpass_scenarios::venue::Venue;
    let key = || healthpass::SigningKey::from_seed(&[11; 32]);
    let mut list = trust_list(5);
    let scope = Scope { regions: Some(vec!["CN-GD".into()]), ..Scope::default() };
    list.entries.push(entry(&key(), "CN-GD", scope));
    let signed = list.sign(&anchor(), &healthpass::Limits::DEFAULT).unwrap();
    let venues = Policy::from_json(r#"{ "accept_colours": ["green"], "accept_kinds": ["venue"] }"#).unwrap();
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed, venues).unwrap();
    for (region, accepted) in [("CN-GD", true), ("HK", false)] {
        let venue = Venue {
            venue_id: "GZ-TH-LIB-01".into(),
            name: None,
            region: Some(region.into()),
            issuer: "CN-GD".into(),
            policy: Policy::permissive(),
        };
        let mut poster = venue.claims("registrar-7", healthpass::CredentialId([0x78; 16]), t0(), 30).unwrap();
        poster.evidence.residency = None;
        let verdict = cp.check(&issue(key(), &poster), t0());
        if accepted {
            assert!(verdict.accepted(), "{region}: {verdict}");
        } else {
            assert_eq!(verdict.refusal_codes(), vec!["out_of_scope"], "{region}");
            assert!(verdict.refusals[0].message.contains("HK"), "{verdict}");
        }
    }
}

/// `KeySet::is_empty` says whether any key is trusted: true for a new set, false once a key is
/// added. (Survivors: `is_empty` returning `true` or `false` always.)
#[test]
fn a_key_set_is_empty_until_a_key_is_added() {
    let mut keys = healthpass::KeySet::new();
    assert!(keys.is_empty());
    keys.add(office().public_key());
    assert!(!keys.is_empty());
}
