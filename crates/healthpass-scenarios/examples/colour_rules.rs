//! Colour rules at issuance: one person's evidence over three weeks, a code issued from the
//! rules at each step, and the plain-words explanation a person would read.
//!
//! Run with `cargo run --example colour_rules`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::claims::{TemperatureCheck, TestKind, TestOutcome, TestResult};
use healthpass::{Colour, CredentialId, Issuer, KeySet, SigningKey, Subject, SubjectId, Verifier};
use healthpass_scenarios::rules::{Facts, RuleSet};

fn test(result: TestOutcome, sampled_at: DateTime<Utc>) -> TestResult {
    TestResult { kind: TestKind::NucleicAcid, result, sampled_at, facility: Some("Lab 7".into()) }
}

/// Runs the story, returning the colour issued at each step (the test checks them) and
/// writing what a person would read to `out`.
pub fn run(out: &mut String) -> Result<Vec<Colour>, healthpass::Error> {
    let start = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).single().unwrap_or_default();
    let rules = RuleSet { contact_colour: Colour::Orange, ..RuleSet::default() };
    let key = SigningKey::demo();
    let issuer = Issuer::new(SigningKey::demo());
    let verifier = Verifier::new([key.public_key()].into_iter().collect::<KeySet>());
    let subject =
        Subject { id: SubjectId([1; 16]), name: Some("Chan Tai Man".into()), birth_date: None, document: None };
    let mut facts = Facts::default();
    let mut colours = Vec::new();

    let mut step = |label: &str, facts: &Facts, now: DateTime<Utc>, out: &mut String| {
        let claims = rules.claims("HK-DH", CredentialId([7; 16]), subject.clone(), facts, now)?;
        let text = issuer.issue(&claims)?;
        let verified = verifier.verify(&text, now)?;
        out.push_str(&format!("== {label} ({})\n{}\n", now.format("%Y-%m-%d"), rules.explain(&verified, now)));
        colours.push(verified.colour);
        Ok::<(), healthpass::Error>(())
    };

    facts.evidence.tests.push(test(TestOutcome::Negative, start - TimeDelta::hours(20)));
    step("a routine negative test", &facts, start, out)?;
    facts.close_contact_at = Some(start + TimeDelta::days(1));
    step("contact tracing finds a close contact", &facts, start + TimeDelta::days(2), out)?;
    facts.evidence.tests.push(test(TestOutcome::Positive, start + TimeDelta::days(3)));
    step("a positive test", &facts, start + TimeDelta::days(3) + TimeDelta::hours(6), out)?;
    facts.evidence.tests.push(test(TestOutcome::Negative, start + TimeDelta::days(16)));
    step("quarantine over, one negative test", &facts, start + TimeDelta::days(17) + TimeDelta::hours(1), out)?;
    facts.evidence.tests.push(test(TestOutcome::Negative, start + TimeDelta::days(17)));
    step("a second negative test a day later", &facts, start + TimeDelta::days(17) + TimeDelta::hours(2), out)?;
    facts.evidence.temperatures.push(TemperatureCheck {
        decicelsius: 381,
        at: start + TimeDelta::days(18),
        place: Some("MTR Central".into()),
    });
    step("a fever at a station check", &facts, start + TimeDelta::days(18) + TimeDelta::hours(1), out)?;
    facts.evidence.tests.push(test(TestOutcome::Negative, start + TimeDelta::days(18) + TimeDelta::hours(3)));
    step("a negative test after the fever", &facts, start + TimeDelta::days(18) + TimeDelta::hours(9), out)?;
    Ok(colours)
}

fn main() {
    let mut out = String::new();
    match run(&mut out) {
        Ok(colours) => {
            print!("{out}");
            let names: Vec<_> = colours.iter().map(|c| c.describe()).collect();
            println!("colours issued: {}", names.join(" → "));
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
