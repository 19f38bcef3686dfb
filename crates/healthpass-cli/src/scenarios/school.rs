//! `school issue` and `school summary`: a student's daily code from their self-reports, signed
//! with the school's key, and a teacher's view of the day's scanned codes against the class
//! list. Argument handling and printing only.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use clap::Subcommand;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::{Claims, CredentialId, Issuer, Limits, Subject, SubjectId, Verifier};
use healthpass_i18n::{Arg, Zone, words};
use healthpass_qr as qr;
use healthpass_scenarios::school::{ClassSummary, Term, reports_from_json, roster_from_json};

use crate::common::read_public_keys;
use crate::common::{Failure, KeyArg, load_keys, load_signing_key, read_file, read_input};

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
    /// The claims of one code text, or why it was refused.
    fn verify(&mut self, text: &str, now: DateTime<Utc>) -> Result<Claims, String> {
        match self {
            Gate::Checkpoint(checkpoint) => {
                let verdict = checkpoint.check(text, now);
                if !verdict.accepted() {
                    return Err(verdict.to_string());
                }
                let keys = checkpoint.trust_list().to_key_set(now);
                Verifier::new(keys).verify(text, now).map(|v| v.into_inner()).map_err(|e| e.to_string())
            }
            Gate::Keys(verifier) => verifier.verify(text, now).map(|v| v.into_inner()).map_err(|e| e.to_string()),
        }
    }
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
            let mut texts = Vec::new();
            for code in &codes {
                if code == "-" {
                    texts.extend(read_input("-")?.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
                } else {
                    texts.push(code.trim().to_string());
                }
            }
            let mut refused = Vec::new();
            for path in &image {
                match qr::scan(&read_file(path)?, &Limits::DEFAULT) {
                    Ok(found) => {
                        for text in found {
                            match text {
                                Ok(text) => texts.push(text),
                                Err(e) => refused.push(format!("{}: {e}", path.display())),
                            }
                        }
                    }
                    Err(e) => refused.push(format!("{}: {e}", path.display())),
                }
            }
            if texts.is_empty() && refused.is_empty() {
                return Err(Failure::Usage("give the day's codes, or --image FILE".into()));
            }
            let mut verified = Vec::new();
            for (i, text) in texts.iter().enumerate() {
                match gate.verify(text, now) {
                    Ok(claims) => verified.push(claims),
                    Err(why) => refused.push(format!("code {}: {why}", i + 1)),
                }
            }
            let summary = ClassSummary::of_in(&school, &class, &roster, &verified, day, &zone);
            if json {
                let out = serde_json::json!({ "summary": &summary, "refused": &refused });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                let lang = crate::locale::lang();
                let args = [
                    ("school", Arg::from(school.as_str())),
                    ("class", Arg::from(class.as_str())),
                    ("day", Arg::from(day.to_string())),
                ];
                println!("{}", healthpass_i18n::text(lang, "summary-heading", &args));
                print!("{}", summary.render(lang));
                for why in &refused {
                    println!("REFUSED {why}");
                }
            }
            let problems = summary.missing.len() + summary.not_green.len() + refused.len();
            if problems > 0 {
                return Err(Failure::Refused(format!(
                    "{} missing, {} not green, {} code(s) refused",
                    summary.missing.len(),
                    summary.not_green.len(),
                    refused.len()
                )));
            }
            Ok(())
        }
    }
}
