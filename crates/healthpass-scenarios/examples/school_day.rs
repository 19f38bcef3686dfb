//! A school morning: students' daily codes from their self-reports, signed by the school's own
//! key (which the trust list scopes to student codes), scanned at the gate, and the teacher's
//! summary of who is missing or not green.
//!
//! Run with `cargo run --example school_day`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use healthpass::decide::{Checkpoint, Policy};
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, CredentialId, Issuer, Limits, SigningKey, Subject, SubjectId};
use healthpass_scenarios::school::{ClassSummary, DailyReport, Pupil, Term};

fn reports(
    from: NaiveDate,
    until: NaiveDate,
    skip: Option<NaiveDate>,
    fever_on: Option<NaiveDate>,
) -> Vec<DailyReport> {
    from.iter_days()
        .take_while(|d| *d <= until)
        .filter(|d| Some(*d) != skip)
        .map(|date| DailyReport { date, decicelsius: if Some(date) == fever_on { 381 } else { 365 }, symptoms: false })
        .collect()
}

/// What the day produced: the teacher's summary, and the refusal codes of a personal code the
/// school's key tried to sign.
pub struct Day {
    /// The teacher's summary.
    pub summary: ClassSummary,
    /// Why the gate refused a personal code signed with the school's key.
    pub misuse_refusals: Vec<&'static str>,
}

/// Runs the morning of `now` (a day within the reporting window of a term starting 2026-09-01).
pub fn run(now: DateTime<Utc>) -> healthpass::Result<Day> {
    let anchor = SigningKey::from_seed(&[1; 32]);
    let school_key = SigningKey::from_seed(&[2; 32]);
    let mut list = TrustList::new(1, now - TimeDelta::days(1), now + TimeDelta::days(7));
    let mut entry = TrustEntry::ed25519(
        &school_key.public_key(),
        "HK-PUI-CHING",
        "HK",
        now - TimeDelta::days(60),
        TimeDelta::days(365),
    );
    entry.scope = Scope { kinds: Some(vec![KindName::Student]), ..Scope::default() };
    list.entries.push(entry);
    let signed = list.sign(&anchor, &Limits::DEFAULT)?;
    let mut gate = Checkpoint::new(vec![anchor.public_key()], &signed, Policy::permissive())?;
    let keys = list.to_key_set(now);
    let verifier = healthpass::Verifier::new(keys);

    let term = Term {
        issuer: "HK-PUI-CHING".into(),
        school: "Pui Ching".into(),
        time_zone: Some("Asia/Hong_Kong".into()),
        starts: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
    };
    let (first, _) = term.window();
    let zone = term.zone()?;
    let today = zone.date_of(now);
    let roster = vec![
        Pupil { name: "Chan Siu Ming".into(), id: SubjectId([11; 16]) },
        Pupil { name: "Lee Ka Ling".into(), id: SubjectId([12; 16]) },
        Pupil { name: "Wong Tsz Wai".into(), id: SubjectId([13; 16]) },
        Pupil { name: "Ho Wing Yan".into(), id: SubjectId([14; 16]) },
    ];
    let days = [
        reports(first, today, None, None),                             // complete and normal
        reports(first, today, Some(today - TimeDelta::days(3)), None), // missed a day
        Vec::new(),                                                    // Wai: no code shown at all
        reports(first, today, None, Some(today - TimeDelta::days(1))), // a fever yesterday
    ];
    let issuer = Issuer::new(school_key);
    let mut scanned: Vec<Claims> = Vec::new();
    for (i, (pupil, reports)) in roster.iter().zip(&days).enumerate() {
        if reports.is_empty() {
            continue;
        }
        let subject = Subject { id: pupil.id, name: None, birth_date: None, document: None };
        let claims = term.student_claims("3B", CredentialId([i as u8; 16]), subject, reports, now)?;
        let code = issuer.issue(&claims)?;
        let verdict = gate.check(&code, now + TimeDelta::minutes(5));
        if verdict.summary.is_some() && verdict.refusals.is_empty() {
            scanned.push(verifier.verify(&code, now + TimeDelta::minutes(5))?.into_inner());
        }
    }
    let summary = ClassSummary::of_in("Pui Ching", "3B", &roster, &scanned, today, &zone);

    // The school's key cannot sign a personal health code: the gate refuses it as out of scope.
    let mut personal = Claims::example(now);
    personal.issuer = "HK-PUI-CHING".into();
    let forged = issuer.issue(&personal)?;
    let misuse_refusals = gate.check(&forged, now + TimeDelta::minutes(5)).refusal_codes();
    Ok(Day { summary, misuse_refusals })
}

fn main() {
    let now = Utc.with_ymd_and_hms(2026, 9, 3, 7, 30, 0).single().unwrap_or_default();
    match run(now) {
        Ok(day) => {
            println!("class 3B, {}:", now.format("%Y-%m-%d"));
            print!("{}", day.summary);
            println!("a personal code signed with the school's key: refused ({})", day.misuse_refusals.join(", "));
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
