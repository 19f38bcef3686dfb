//! A policy that names business rules (`rules`): the checkpoint applies them through the
//! `ClaimsCheck` an outer crate installs, to native codes whose signature verified, and refuses
//! (`rule_open`) when none is installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use healthpass::decide::{Checkpoint, ClaimsCheck, Finding, Policy};
use healthpass::{Claims, Colour};
use healthpass_testkit::trust::*;

/// A stand-in rule engine: refuses every code that is not green.
#[derive(Debug)]
struct GreenOnly;

impl ClaimsCheck for GreenOnly {
    fn check(&self, claims: &Claims, _now: DateTime<Utc>) -> Vec<Finding> {
        (claims.colour != Colour::Green).then(|| Finding::new("rule_failed", "not green")).into_iter().collect()
    }
}

fn checkpoint(policy: &str) -> Checkpoint {
    Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), Policy::from_json(policy).unwrap()).unwrap()
}

const WITH_RULES: &str = r#"{ "accept_colours": ["green", "yellow"], "rules": { "dir": "rules", "arrival": "CN" } }"#;

#[test]
fn the_installed_check_judges_native_codes_after_the_policy() {
    let mut cp = checkpoint(WITH_RULES);
    cp.set_claims_check(Arc::new(GreenOnly));
    let green = issue(office(), &claims(1));
    assert!(cp.check(&green, t0()).accepted());
    let mut yellow = claims(2);
    yellow.colour = Colour::Yellow;
    let verdict = cp.check(&issue(office(), &yellow), t0());
    assert_eq!(verdict.refusal_codes(), vec!["rule_failed"]);
    // A code that does not verify never reaches the rules.
    let forged = issue(healthpass::SigningKey::from_seed(&[9; 32]), &yellow);
    assert!(!cp.check(&forged, t0()).refusal_codes().contains(&"rule_failed"));
}

#[test]
fn rules_named_without_an_engine_refuse_rather_than_pass() {
    let mut cp = checkpoint(WITH_RULES);
    assert_eq!(cp.check(&issue(office(), &claims(1)), t0()).refusal_codes(), vec!["rule_open"]);
    // Without rules in the policy, the check installed is not asked.
    let mut plain = checkpoint(r#"{ "accept_colours": ["green", "yellow"] }"#);
    plain.set_claims_check(Arc::new(GreenOnly));
    let mut yellow = claims(3);
    yellow.colour = Colour::Yellow;
    assert!(plain.check(&issue(office(), &yellow), t0()).accepted());
}

#[test]
fn a_policy_naming_rules_is_checked_at_load() {
    for bad in [
        r#"{ "accept_colours": ["green"], "rules": { "dir": "", "arrival": "CN" } }"#,
        r#"{ "accept_colours": ["green"], "rules": { "dir": "r", "arrival": "China" } }"#,
        r#"{ "accept_colours": ["green"], "rules": { "dir": "r", "arrival": "CN", "country": "CN" } }"#,
    ] {
        assert_eq!(Policy::from_json(bad).unwrap_err().code(), "policy", "{bad}");
    }
    let policy = Policy::from_json(WITH_RULES).unwrap();
    assert_eq!(Policy::from_json(&policy.to_json()).unwrap(), policy);
}
