//! `school issue` and `school summary`: a student's daily code from their self-reports, signed
//! with the school's key, and a teacher's view of the day's scanned codes against the class
//! list. Argument handling and printing only.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use clap::Subcommand;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::{Claims, CredentialId, Issuer, Subject, SubjectId, Verifier};
use healthpass_i18n::{Arg, Zone, words};
use healthpass_scenarios::school::{ClassSummary, Term, reports_from_json, roster_from_json};

use crate::common::read_public_keys;
use crate::common::{Failure, KeyArg, load_keys, load_signing_key, read_file};
use crate::inputs::{self, Item};
use crate::report::{Report, Source};

/// School commands.
#[derive(Subcommand)]
pub(crate) enum SchoolCommand {
    /// Issue a student's daily code from their self-report file: green only with a complete,
    /// normal report streak (docs/SCENARIOS.md §4). Sign with the school's own key.
    Issue {
        /// The student's self-reports: a JSON array of `{"date", "decicelsius", "symptoms"}`.
        #[arg(long)]
        reports: PathBuf,
        /// The school's issuer id (its trust-list entry's `issuer`).
        #[arg(long)]
        issuer: String,
        /// The school's name or id, as codes and class lists name it.
        #[arg(long)]
        school: String,
        /// The first day of term (YYYY-MM-DD); reports are due from 14 days before.
        #[arg(long)]
        term_starts: NaiveDate,
        /// The school's IANA time zone (Asia/Hong_Kong): report days and the code's end are
        /// local days there. Default UTC.
        #[arg(long)]
        time_zone: Option<String>,
        /// The student's class.
        #[arg(long)]
        class: String,
        /// The student's pseudonymous id (32 hex digits, as on the class list).
        #[arg(long, value_parser = parse_subject_id)]
        student_id: SubjectId,
        /// The student's name, if it should be on the code (scanners show it masked).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        key: KeyArg,
        /// Issue for the day of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Also write the QR code as PNG.
        #[arg(long)]
        png: Option<PathBuf>,
    },
    /// A teacher's summary of the day: verify the scanned codes, then list who on the class
    /// list showed a green code, who did not, and who is missing. Exit 0 when the whole class
    /// is green, 1 when someone is missing or not green or a code was refused.
    Summary {
        /// Scanned code texts (`-` reads one code a line from standard input).
        codes: Vec<String>,
        /// Images holding codes (repeatable).
        #[arg(long)]
        image: Vec<PathBuf>,
        /// The class list: a JSON array of `{"name", "id"}`.
        #[arg(long)]
        roster: PathBuf,
        /// The school, as the codes name it.
        #[arg(long)]
        school: String,
        /// The class.
        #[arg(long)]
        class: String,
        /// The day summarised (YYYY-MM-DD); default: the day of --at.
        #[arg(long)]
        day: Option<NaiveDate>,
        /// The school's IANA time zone (Asia/Hong_Kong), in which codes' days are read. Default UTC.
        #[arg(long)]
        time_zone: Option<String>,
        /// PEM files of trusted public keys (repeatable).
        #[arg(long, conflicts_with = "trust")]
        keys: Vec<PathBuf>,
        /// Trust the built-in demo key.
        #[arg(long, conflicts_with = "trust")]
        demo_key: bool,
        /// Decide with a signed trust list (its scope keeps the school's key to student codes).
        #[arg(long, requires = "anchor")]
        trust: Option<PathBuf>,
        /// The pinned trust anchor's public key (SPKI PEM; repeatable).
        #[arg(long)]
        anchor: Vec<PathBuf>,
        /// Verify as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_subject_id(text: &str) -> Result<SubjectId, String> {
    SubjectId::try_from(text.to_string())
}

/// The verifier of `school summary`: a trust list and anchors, or plain keys.
enum Gate {
    Checkpoint(Box<Checkpoint>),
    Keys(Verifier),
}

impl Gate {
    /// The verdict on one code text, and its claims when it was accepted.
    fn verify(&mut self, source: Source, text: &str, now: DateTime<Utc>) -> (Report, Option<Claims>) {
        match self {
            Gate::Checkpoint(checkpoint) => {
                let verdict = checkpoint.check(text, now);
                let report = Report::from_verdict(source, text, &verdict);
                if !verdict.accepted() {
                    return (report, None);
                }
                let keys = checkpoint.trust_list().to_key_set(now);
                match Verifier::new(keys).verify(text, now) {
                    Ok(verified) => (report, Some(verified.into_inner())),
                    Err(e) => (Report::error(report.source, text, &e), None),
                }
            }
            Gate::Keys(verifier) => match verifier.verify(text, now) {
                Ok(verified) => {
                    (Report::from_verified(source, text, &verified, Vec::new()), Some(verified.into_inner()))
                }
                Err(e) => (Report::error(source, text, &e), None),
            },
        }
    }
}

/// The class summary as the last JSON line of `school summary --json`: names, and for codes
/// that are not green an object each (docs/verdict.schema.json, `class_summary`).
fn summary_json(summary: &ClassSummary, school: &str, class: &str, day: NaiveDate, refused: usize) -> String {
    let not_green: Vec<_> = summary
        .not_green
        .iter()
        .map(|(name, colour, reasons)| serde_json::json!({ "name": name, "colour": colour, "reasons": reasons }))
        .collect();
    let out = serde_json::json!({
        "version": crate::report::VERSION,
        "class_summary": {
            "school": school,
            "class": class,
            "day": day,
            "green": summary.green,
            "not_green": not_green,
            "missing": summary.missing,
            "not_in_class": summary.not_in_class,
            "refused": refused,
        }
    });
    out.to_string()
}

pub(crate) fn run(command: SchoolCommand) -> Result<(), Failure> {
    match command {
        SchoolCommand::Issue {
            reports,
            issuer,
            school,
            term_starts,
            time_zone,
            class,
            student_id,
            name,
            key,
            at,
            png,
        } => {
            let signing = load_signing_key(&key)?;
            let reports = reports_from_json(&read_file(&reports)?)?;
            let term = Term { issuer, school, starts: term_starts, time_zone };
            let zone = term.zone()?;
            let subject = Subject { id: student_id, name, birth_date: None, document: None };
            let now = at.unwrap_or_else(Utc::now);
            let claims = term.student_claims(&class, CredentialId::random()?, subject, &reports, now)?;
            let code = Issuer::new(signing).issue(&claims)?;
            let lang = crate::locale::lang();
            let args = [
                ("colour", Arg::from(words::colour_loud(lang, claims.colour))),
                ("day", Arg::from(zone.date_of(now).to_string())),
                ("class", Arg::from(class.as_str())),
                ("until", Arg::from(crate::locale::zone_or(&zone).format(claims.expires_at))),
                ("reasons", Arg::from(words::reasons(lang, &claims.reasons))),
            ];
            eprintln!("{}", healthpass_i18n::text(lang, "school-issued", &args));
            println!("{code}");
            crate::common::render(&code, png.as_deref(), None, false)
        }
        SchoolCommand::Summary {
            codes,
            image,
            roster,
            school,
            class,
            day,
            time_zone,
            keys,
            demo_key,
            trust,
            anchor,
            at,
            json,
        } => {
            let roster = roster_from_json(&read_file(&roster)?)?;
            let now = at.unwrap_or_else(Utc::now);
            let zone = time_zone.as_deref().map_or_else(|| Ok(Zone::utc()), Zone::parse)?;
            let day = day.unwrap_or_else(|| zone.date_of(now));
            let mut gate = match &trust {
                Some(list) => Gate::Checkpoint(Box::new(Checkpoint::new(
                    read_public_keys(&anchor)?,
                    &read_file(list)?,
                    Policy::permissive(),
                )?)),
                None => Gate::Keys(Verifier::new(load_keys(&keys, demo_key)?).with_skew(TimeDelta::minutes(5))),
            };
            let mut items = Vec::new();
            for (i, code) in codes.iter().enumerate() {
                if code == "-" {
                    items.extend(inputs::code_argument(code)?);
                } else {
                    items.push(Item::Text(Source::at("argument", Some(i + 1)), code.trim().to_owned()));
                }
            }
            items.extend(inputs::scan_all(&image)?);
            if items.is_empty() {
                return Err(Failure::Usage("give the day's codes, or --image FILE".into()));
            }
            let mut reports = Vec::new();
            let mut verified = Vec::new();
            for item in items {
                match item {
                    Item::Text(source, text) => {
                        let (report, claims) = gate.verify(source, &text, now);
                        reports.push(report);
                        verified.extend(claims);
                    }
                    Item::Done(report) => reports.push(report),
                }
            }
            let refused: Vec<&Report> = reports.iter().filter(|r| !r.accepted()).collect();
            let summary = ClassSummary::of_in(&school, &class, &roster, &verified, day, &zone);
            if json {
                for report in &reports {
                    println!("{}", report.to_json_line());
                }
                println!("{}", summary_json(&summary, &school, &class, day, refused.len()));
            } else {
                let lang = crate::locale::lang();
                let args = [
                    ("school", Arg::from(school.as_str())),
                    ("class", Arg::from(class.as_str())),
                    ("day", Arg::from(day.to_string())),
                ];
                println!("{}", healthpass_i18n::text(lang, "summary-heading", &args));
                print!("{}", summary.render(lang));
                for report in &refused {
                    println!("{report}");
                }
            }
            let problems = summary.missing.len() + summary.not_green.len() + refused.len();
            if problems > 0 {
                let args = [
                    ("missing", Arg::from(summary.missing.len())),
                    ("not_green", Arg::from(summary.not_green.len())),
                    ("count", Arg::from(refused.len())),
                ];
                return Err(Failure::Refused(healthpass_i18n::text(crate::locale::lang(), "school-problems", &args)));
            }
            Ok(())
        }
    }
}
