//! Attacks on what a native code's claims may claim, and the policy rules that judge them: a
//! venue poster shown as a person's code, evidence from the future, an older venue poster, and
//! each policy rule's boundary. Each test names its rule and asserts the code it must give.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::claims::{TemperatureCheck, Vaccination};
use healthpass::decide::{Checkpoint, Policy};
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, CredentialId, KeySet, Limits, Reason, SigningKey, Verified, Verifier};
use healthpass_scenarios::venue::{Venue, VenueScanner};

use healthpass_testkit::trust as trust_support;
use trust_support::{anchor, authority, claims, issue, signed_trust_list, t0};

fn policy(json: &str) -> Policy {
    Policy::from_json(json).unwrap()
}

fn checkpoint(policy: Policy) -> Checkpoint {
    Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), policy).unwrap()
}

/// `claims` signed by the authority (any kind, any colour) and verified at `t0()` with `skew`.
fn verified(claims: &Claims, skew: TimeDelta) -> Verified<Claims> {
    let keys: KeySet = [authority().public_key()].into_iter().collect();
    Verifier::new(keys).with_skew(skew).verify(&issue(authority(), claims), t0()).unwrap()
}

fn codes(policy: &Policy, claims: &Verified<Claims>) -> Vec<&'static str> {
    policy.evaluate(claims, t0()).into_iter().map(|f| f.code).collect()
}

fn venue_poster(policy_json: &str, issued_at: DateTime<Utc>) -> Claims {
    let venue = Venue {
        venue_id: "GZ-TH-LIB-01".into(),
        name: Some("Tianhe Library".into()),
        region: Some("CN-GD".into()),
        issuer: "CN-GD".into(),
        policy: policy(policy_json),
    };
    venue.claims("registrar-7", CredentialId([0x77; 16]), issued_at, 3650).unwrap()
}

// ---- person checks accept person kinds only ----

#[test]
fn a_venue_poster_is_not_a_persons_code_without_accept_kinds() {
    let poster = issue(authority(), &venue_poster(r#"{ "accept_colours": ["green"] }"#, t0()));
    for policy in [policy(r#"{ "accept_colours": ["green"] }"#), Policy::permissive()] {
        let verdict = checkpoint(policy).check(&poster, t0());
        assert!(!verdict.accepted());
        assert_eq!(verdict.refusal_codes(), vec!["kind_not_accepted"], "{verdict}");
    }
    // Person kinds pass without accept_kinds; a policy naming venue accepts the poster.
    assert!(checkpoint(Policy::permissive()).check(&issue(authority(), &claims(1)), t0()).accepted());
    let venues = policy(r#"{ "accept_colours": ["green"], "accept_kinds": ["venue"] }"#);
    assert!(checkpoint(venues).check(&poster, t0()).accepted());
}

#[test]
fn a_venue_poster_is_never_converted_into_a_persons_code() {
    let poster = venue_poster(r#"{ "accept_colours": ["green"] }"#, t0());
    let source = verified(&poster, TimeDelta::minutes(5));
    // Even a conversion policy that names venues does not turn a poster into a person's code.
    let converter = healthpass_scenarios::border::Converter {
        issuer: "MO".into(),
        policy: policy(r#"{ "accept_colours": ["green"], "accept_kinds": ["venue"] }"#),
        category: healthpass::claims::DeclarationCategory::Individual,
        valid_hours: 24,
    };
    let err = converter.convert("HP1:poster", "HP1", &source, CredentialId([9; 16]), t0()).unwrap_err();
    assert_eq!(err.code(), "scenario");
    assert!(err.to_string().contains("[kind_not_accepted]"), "{err}");
}

#[test]
fn person_kinds_are_personal_student_and_cross_border() {
    let any = Policy::permissive();
    for kind in [KindName::Personal, KindName::Student, KindName::CrossBorder] {
        assert!(any.accepts_kind(kind), "{kind:?}");
    }
    assert!(!any.accepts_kind(KindName::Venue));
}

// ---- evidence is never from the future ----

#[test]
fn evidence_from_the_future_is_refused_at_verify() {
    let keys: KeySet = [authority().public_key()].into_iter().collect();
    let verifier = Verifier::new(keys).with_skew(TimeDelta::minutes(5));
    let mut future = claims(2);
    future.evidence.tests[0].sampled_at = "2099-01-01T00:00:00Z".parse().unwrap();
    let err = verifier.verify(&issue(authority(), &future), t0()).unwrap_err();
    assert_eq!(err.code(), "evidence_in_future");
    // The boundary: the code's issue time plus the skew is allowed, one second more is not.
    let mut edge = claims(3);
    edge.evidence.tests[0].sampled_at = t0() + TimeDelta::minutes(5);
    assert!(verifier.verify(&issue(authority(), &edge), t0() + TimeDelta::hours(1)).is_ok());
    edge.evidence.tests[0].sampled_at = t0() + TimeDelta::minutes(5) + TimeDelta::seconds(1);
    let err = verifier.verify(&issue(authority(), &edge), t0() + TimeDelta::hours(1)).unwrap_err();
    assert_eq!(err.code(), "evidence_in_future");
}

#[test]
fn evidence_from_the_future_is_refused_at_the_checkpoint() {
    let mut future = claims(4);
    future.evidence.tests[0].sampled_at = "2099-01-01T00:00:00Z".parse().unwrap();
    let rule = policy(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#);
    let verdict = checkpoint(rule).check(&issue(authority(), &future), t0());
    assert_eq!(verdict.refusal_codes(), vec!["evidence_in_future"], "{verdict}");
}

#[test]
fn evidence_from_the_future_is_refused_by_policies() {
    // A verifier with a day of skew lets a test sampled an hour after issue through; the policy
    // refuses it, although the test is "younger than 72 hours".
    let mut later = claims(5);
    later.evidence.tests[0].sampled_at = t0() + TimeDelta::hours(1);
    let rule = policy(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#);
    assert_eq!(codes(&rule, &verified(&later, TimeDelta::days(1))), vec!["evidence_in_future"]);
    // Vaccinations, temperatures and officer decisions are dated too.
    let mut vaccinated = claims(6);
    vaccinated.evidence.vaccinations.push(Vaccination {
        product: "EU/1/20/1528".into(),
        dose: 2,
        doses: 2,
        date: (t0() + TimeDelta::days(2)).date_naive(),
    });
    let doses = policy(r#"{ "accept_colours": ["green"], "min_vaccination_doses": 2 }"#);
    assert_eq!(codes(&doses, &verified(&vaccinated, TimeDelta::days(3))), vec!["evidence_in_future"]);
}

// ---- the newest venue poster governs ----

/// A trust list whose venue key may sign venue codes only, and the demo key personal codes.
fn venue_trust() -> Vec<u8> {
    let venues = SigningKey::from_seed(&[3; 32]);
    let mut list = TrustList::new(1, t0() - TimeDelta::days(40), t0() + TimeDelta::days(7));
    let mut entry =
        TrustEntry::ed25519(&venues.public_key(), "CN-GD", "CN-GD", t0() - TimeDelta::days(60), TimeDelta::days(365));
    entry.scope = Scope { kinds: Some(vec![KindName::Venue]), ..Scope::default() };
    let mut health = TrustEntry::ed25519(
        &SigningKey::demo().public_key(),
        "CN-GD",
        "CN-GD",
        t0() - TimeDelta::days(60),
        TimeDelta::days(365),
    );
    health.scope = Scope { kinds: Some(vec![KindName::Personal]), ..Scope::default() };
    list.entries.extend([entry, health]);
    list.sign(&anchor(), &Limits::DEFAULT).unwrap()
}

#[test]
fn the_newest_venue_poster_governs() {
    let venues = || SigningKey::from_seed(&[3; 32]);
    let loose = issue(venues(), &venue_poster(r#"{ "accept_colours": ["green", "red"] }"#, t0() - TimeDelta::days(30)));
    let strict = issue(venues(), &venue_poster(r#"{ "accept_colours": ["green"] }"#, t0() - TimeDelta::days(1)));
    let mut red = claims(7);
    red.colour = Colour::Red;
    red.reasons = vec![Reason::PositiveTest];
    let red = issue(SigningKey::demo(), &red);

    // The older poster first, then the newer: the newer one's policy refuses the red visitor.
    let mut scanner = VenueScanner::new(vec![anchor().public_key()], &venue_trust()).unwrap();
    let old = scanner.enter_venue(&loose, t0()).unwrap();
    assert!(scanner.check_visitor(&old, &red, t0()).accepted(), "the loose policy governs until replaced");
    let new = scanner.enter_venue(&strict, t0()).unwrap();
    assert_eq!(new.policy.accept_colours, vec![Colour::Green]);
    let verdict = scanner.check_visitor(&new, &red, t0());
    assert_eq!(verdict.refusal_codes(), vec!["colour_not_accepted"], "{verdict}");
    // The older poster after the newer one is refused, and the newer policy still governs.
    assert_eq!(scanner.enter_venue(&loose, t0()).unwrap_err().code(), "poster_superseded");
    assert_eq!(scanner.check_visitor(&old, &red, t0()).refusal_codes(), vec!["colour_not_accepted"]);
    // Scanning the governing poster again is fine.
    assert!(scanner.enter_venue(&strict, t0()).is_ok());
}

#[test]
fn an_older_venue_poster_after_a_newer_one_is_refused() {
    let venues = || SigningKey::from_seed(&[3; 32]);
    let loose = issue(venues(), &venue_poster(r#"{ "accept_colours": ["green", "red"] }"#, t0() - TimeDelta::days(30)));
    let strict = issue(venues(), &venue_poster(r#"{ "accept_colours": ["green"] }"#, t0() - TimeDelta::days(1)));
    let mut scanner = VenueScanner::new(vec![anchor().public_key()], &venue_trust()).unwrap();
    scanner.enter_venue(&strict, t0()).unwrap();
    let err = scanner.enter_venue(&loose, t0()).unwrap_err();
    assert_eq!(err.code(), "poster_superseded", "{err}");
}

// ---- policy rules and their boundaries ----

#[test]
fn deny_issuers_refuses_with_issuer_denied() {
    let code = verified(&claims(8), TimeDelta::minutes(5));
    let deny = policy(r#"{ "accept_colours": ["green"], "accept_regions": ["CN"], "deny_issuers": ["CN-GD"] }"#);
    assert_eq!(codes(&deny, &code), vec!["issuer_denied"]);
    let other = policy(r#"{ "accept_colours": ["green"], "accept_regions": ["CN"], "deny_issuers": ["CN-GZ"] }"#);
    assert!(codes(&other, &code).is_empty());
    let verdict = checkpoint(deny).check(&issue(authority(), &claims(8)), t0());
    assert_eq!(verdict.refusal_codes(), vec!["issuer_denied"], "{verdict}");
}

fn with_dose(dose: u8) -> Claims {
    let mut claims = claims(9);
    claims.reasons = vec![Reason::Vaccinated];
    let date = (t0() - TimeDelta::days(30)).date_naive();
    claims.evidence.vaccinations.push(Vaccination { product: "EU/1/20/1528".into(), dose, doses: 3, date });
    claims
}

#[test]
fn min_vaccination_doses_is_inclusive() {
    let two = policy(r#"{ "accept_colours": ["green"], "min_vaccination_doses": 2 }"#);
    assert!(codes(&two, &verified(&with_dose(2), TimeDelta::minutes(5))).is_empty());
    assert_eq!(codes(&two, &verified(&with_dose(1), TimeDelta::minutes(5))), vec!["too_few_doses"]);
}

fn with_temperature(decicelsius: u16) -> Claims {
    let mut claims = claims(10);
    claims.evidence.temperatures.push(TemperatureCheck { decicelsius, at: t0() - TimeDelta::hours(1), place: None });
    claims
}

#[test]
fn temperature_ceiling_is_inclusive() {
    let ceiling = policy(r#"{ "accept_colours": ["green"], "max_temperature_decicelsius": 373 }"#);
    assert!(codes(&ceiling, &verified(&with_temperature(373), TimeDelta::minutes(5))).is_empty());
    let above = codes(&ceiling, &verified(&with_temperature(374), TimeDelta::minutes(5)));
    assert_eq!(above, vec!["temperature_too_high"]);
}

#[test]
fn negative_test_max_age_is_inclusive() {
    let rule = policy(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#);
    let mut at_limit = claims(13);
    at_limit.evidence.tests[0].sampled_at = t0() - TimeDelta::hours(72);
    assert!(codes(&rule, &verified(&at_limit, TimeDelta::minutes(5))).is_empty());
    let mut past = claims(14);
    past.evidence.tests[0].sampled_at = t0() - TimeDelta::hours(72) - TimeDelta::seconds(1);
    assert_eq!(codes(&rule, &verified(&past, TimeDelta::minutes(5))), vec!["test_too_old"]);
}

// ---- the same rules from the command line ----

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-claims-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `healthpass verify CODE ARGS… --at t0()`; returns the exit code and stdout + stderr.
fn cli_verify(code: &str, args: &[&str]) -> (Option<i32>, String) {
    let at = t0().to_rfc3339();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args([&["verify", code][..], args, &["--at", &at][..]].concat())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[test]
fn cli_verify_refuses_a_venue_poster_as_a_persons_code() {
    let dir = temp_dir("kinds");
    let (trust, anchor_pub) = (dir.join("trust.cose"), dir.join("anchor.pub"));
    std::fs::write(&trust, signed_trust_list(1)).unwrap();
    std::fs::write(&anchor_pub, anchor().public_key().to_pem().unwrap()).unwrap();
    let files = ["--trust", trust.to_str().unwrap(), "--anchor", anchor_pub.to_str().unwrap()];
    let poster = issue(authority(), &venue_poster(r#"{ "accept_colours": ["green"] }"#, t0()));
    let (status, text) = cli_verify(&poster, &files);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("kind_not_accepted"), "{text}");
    let (status, text) = cli_verify(&issue(authority(), &claims(11)), &files);
    assert_eq!(status, Some(0), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_verify_refuses_evidence_from_the_future() {
    let dir = temp_dir("future");
    let keys = dir.join("authority.pub");
    std::fs::write(&keys, authority().public_key().to_pem().unwrap()).unwrap();
    let mut future = claims(12);
    future.evidence.tests[0].sampled_at = "2099-01-01T00:00:00Z".parse().unwrap();
    let (status, text) = cli_verify(&issue(authority(), &future), &["--keys", keys.to_str().unwrap(), "--json"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains(r#""code":"evidence_in_future""#), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
