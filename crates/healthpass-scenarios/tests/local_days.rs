//! Rules that speak of days read them in the issuer's zone (issue #16): quarantine ends at
//! local midnight, risk-area days and vaccination dates are local dates, including where the
//! UTC date differs and on the nights Europe/Berlin's clocks change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use chrono::{DateTime, NaiveDate, Utc};
use healthpass::claims::{TestKind, TestOutcome, TestResult, TravelRecord, Vaccination};
use healthpass::{Colour, Reason};
use healthpass_i18n::{Lang, Zone};
use healthpass_scenarios::rules::{Facts, RuleSet};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn rules(zone: &str, extra: &str) -> RuleSet {
    RuleSet::from_json(&format!(r#"{{ "time_zone": "{zone}" {extra} }}"#)).unwrap()
}

fn test(result: TestOutcome, at: &str) -> TestResult {
    TestResult { kind: TestKind::NucleicAcid, result, sampled_at: utc(at), facility: None }
}

#[test]
fn quarantine_ends_at_local_midnight() {
    // Sampled 2026-09-01 07:00 in Hong Kong, which is still 2026-08-31 in UTC.
    let mut facts = Facts::default();
    facts.evidence.tests = vec![
        test(TestOutcome::Positive, "2026-09-01T07:00:00+08:00"),
        test(TestOutcome::Negative, "2026-09-10T09:00:00+08:00"),
        test(TestOutcome::Negative, "2026-09-12T09:00:00+08:00"),
    ];
    let hk = rules("Asia/Hong_Kong", r#", "quarantine_days": 14"#);
    let before = hk.evaluate(&facts, utc("2026-09-14T23:59:00+08:00")).unwrap();
    assert_eq!(before.colour, Colour::Red);
    assert_eq!(before.valid_until, utc("2026-09-15T00:00:00+08:00"), "the quarantine's end in Hong Kong");
    assert!(before.to_green.iter().any(|s| s.contains("2026-09-15 00:00 +08:00")), "{:?}", before.to_green);
    let after = hk.evaluate(&facts, utc("2026-09-15T00:00:00+08:00")).unwrap();
    assert_eq!((after.colour, after.reasons), (Colour::Green, vec![Reason::QuarantineCompleted, Reason::NegativeTest]));
    // Counted in UTC the sample's day is 2026-08-31: the same rules end a day earlier there.
    let in_utc = rules("UTC", r#", "quarantine_days": 14"#).evaluate(&facts, utc("2026-09-14T23:59:00+08:00")).unwrap();
    assert_eq!(in_utc.colour, Colour::Green);
}

#[test]
fn risk_area_days_and_vaccination_dates_are_local() {
    let mut facts = Facts::default();
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    facts.evidence.travel.push(TravelRecord {
        region: "CN-GD-SZ".into(),
        from: day("2026-09-01"),
        until: Some(day("2026-09-02")),
    });
    facts.evidence.vaccinations.push(Vaccination { product: "X".into(), dose: 2, doses: 2, date: day("2026-08-01") });
    let sh = rules("Asia/Shanghai", r#", "risk_areas": ["CN-GD"], "risk_area_days": 7"#);
    let end = utc("2026-09-10T00:00:00+08:00");
    let a = sh.evaluate(&facts, end - chrono::TimeDelta::seconds(1)).unwrap();
    assert_eq!((a.colour, a.valid_until), (Colour::Yellow, end));
    assert_eq!(sh.evaluate(&facts, end).unwrap().colour, Colour::Green);
    // A vaccination dated today (local) counts from local midnight, before the UTC day starts.
    let mut fresh = Facts::default();
    fresh.evidence.vaccinations.push(Vaccination { product: "X".into(), dose: 1, doses: 1, date: day("2026-09-01") });
    let morning = utc("2026-09-01T06:00:00+08:00");
    assert_eq!(sh.evaluate(&fresh, morning).unwrap().reasons, vec![Reason::Vaccinated]);
    assert!(rules("UTC", "").evaluate(&fresh, morning).is_err(), "in UTC it is still 2026-08-31");
}

#[test]
fn an_eu_checkpoint_in_berlin_counts_days_across_the_clock_change() {
    let berlin = rules("Europe/Berlin", r#", "quarantine_days": 5"#);
    let mut facts = Facts::default();
    // Positive on 2026-10-20 (CEST); five local days later is 2026-10-25, the night 03:00 CEST
    // becomes 02:00 CET: the quarantine ends at local midnight CET.
    facts.evidence.tests = vec![
        test(TestOutcome::Positive, "2026-10-20T10:00:00+02:00"),
        test(TestOutcome::Negative, "2026-10-22T10:00:00+02:00"),
        test(TestOutcome::Negative, "2026-10-23T11:00:00+02:00"),
    ];
    let a = berlin.evaluate(&facts, utc("2026-10-24T12:00:00+02:00")).unwrap();
    assert_eq!(a.valid_until, utc("2026-10-25T00:00:00+02:00"));
    let facts_spring = Facts {
        evidence: healthpass::Evidence {
            tests: vec![
                test(TestOutcome::Positive, "2026-03-24T10:00:00+01:00"),
                test(TestOutcome::Negative, "2026-03-25T10:00:00+01:00"),
                test(TestOutcome::Negative, "2026-03-26T11:00:00+01:00"),
            ],
            ..Default::default()
        },
        close_contact_at: None,
    };
    // Five local days after 2026-03-24 is 2026-03-29, the 23-hour day: midnight there is CET.
    let a = berlin.evaluate(&facts_spring, utc("2026-03-28T12:00:00+01:00")).unwrap();
    assert_eq!(a.valid_until, utc("2026-03-29T00:00:00+01:00"));
    assert_eq!(berlin.evaluate(&facts_spring, utc("2026-03-29T00:00:00+01:00")).unwrap().colour, Colour::Green);
    // Shown in Berlin time with the offset of the moment, in the holder's language.
    let step = &a.steps[0];
    assert_eq!(
        step.text(Lang::Pt, &Zone::parse("Europe/Berlin").unwrap()),
        "esperar pelo fim da quarentena em 2026-03-29 00:00 +01:00"
    );
    assert_eq!(step.text(Lang::En, &Zone::parse("Europe/Berlin").unwrap()), a.to_green[0]);
}

#[test]
fn a_bad_time_zone_is_refused_with_the_rule_named() {
    let err = RuleSet::from_json(r#"{ "time_zone": "Hong Kong" }"#).unwrap_err();
    assert!(err.to_string().contains("time_zone"), "{err}");
}
