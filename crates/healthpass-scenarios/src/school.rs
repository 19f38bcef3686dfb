//! School codes: a student's daily code from daily self-reports, and a teacher's summary.
//!
//! Students report their temperature and any symptoms every day of the reporting window, the
//! 14 days before and the 14 days after the start of term. A student's code for a day is green
//! (`normal_reports`) only when every day of the window up to that day has a report and every
//! report is normal (below the fever threshold, no symptoms); a missing day gives yellow
//! (`incomplete_reports`), an abnormal report yellow with `fever_at_check` or
//! `self_reported_symptoms`. The code is a student credential (kind 2, with school and class),
//! valid until the last second of the school's local day (`23:59:59` in the term's IANA
//! [`Term::time_zone`], such as `Asia/Hong_Kong`; UTC when none is set); which day a code is
//! "for" is the local day of its issuing time. A school's key is scoped to student codes in the
//! trust list (`"kinds": ["student"]`), so it cannot sign anything else.
//!
//! A teacher's [`ClassSummary`] takes the day's verified codes and the class list, and says who
//! is missing a code for the day and who is not green.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use healthpass::claims::TemperatureCheck;
use healthpass::time::saturating_after;
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Error, Evidence, Reason, Result, Subject, SubjectId};
use healthpass_i18n::messages::Arg;
use healthpass_i18n::zone::Zone;
use healthpass_i18n::{Lang, text, words};

/// Days of self-reports before and after the start of term.
pub const WINDOW_DAYS: i64 = 14;
/// A report at or above this temperature, in tenths of a °C, is a fever.
pub const FEVER_DECICELSIUS: u16 = 373;
/// The most daily reports a report file may hold (a year and a day).
pub const MAX_REPORTS: usize = 366;
/// The most students a class list may hold.
pub const MAX_ROSTER: usize = 200;

fn school_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "school", detail: detail.into() }
}

/// One day's self-report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailyReport {
    /// The day reported on.
    pub date: NaiveDate,
    /// The temperature, in tenths of a °C.
    pub decicelsius: u16,
    /// Whether any symptom was reported (cough, sore throat, loss of smell...).
    pub symptoms: bool,
}

/// Reads a student's self-report file: a JSON array of [`DailyReport`]s
/// (`[{"date": "2026-08-18", "decicelsius": 365, "symptoms": false}, ...]`), in any order.
///
/// # Errors
/// [`Error::Scenario`] (step `school`) for malformed JSON, more than [`MAX_REPORTS`] reports,
/// or two reports for the same day.
pub fn reports_from_json(json: &[u8]) -> Result<Vec<DailyReport>> {
    let mut reports: Vec<DailyReport> =
        serde_json::from_slice(json).map_err(|e| school_error(format!("report file: {e}")))?;
    if reports.len() > MAX_REPORTS {
        return Err(school_error(format!("a report file holds at most {MAX_REPORTS} reports")));
    }
    reports.sort_by_key(|r| r.date);
    if let Some(pair) = reports.windows(2).find(|w| matches!(w, [a, b] if a.date == b.date)) {
        let day = pair.first().map(|r| r.date.to_string()).unwrap_or_default();
        return Err(school_error(format!("two reports for {day}")));
    }
    Ok(reports)
}

/// Reads a class list: a JSON array of [`Pupil`]s (`[{"name": "Chan Siu Ming", "id": "0b0b..."}]`).
///
/// # Errors
/// [`Error::Scenario`] (step `school`) for malformed JSON, more than [`MAX_ROSTER`] students,
/// or two students with the same id.
pub fn roster_from_json(json: &[u8]) -> Result<Vec<Pupil>> {
    let roster: Vec<Pupil> = serde_json::from_slice(json).map_err(|e| school_error(format!("class list: {e}")))?;
    if roster.len() > MAX_ROSTER {
        return Err(school_error(format!("a class list holds at most {MAX_ROSTER} students")));
    }
    for (i, pupil) in roster.iter().enumerate() {
        if roster.iter().skip(i + 1).any(|other| other.id == pupil.id) {
            return Err(school_error(format!("the class list holds the id {} twice", pupil.id)));
        }
    }
    Ok(roster)
}

/// A school term's reporting window and the school's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The school's issuer id (its trust-list entry's `issuer`).
    pub issuer: String,
    /// The school's id or name.
    pub school: String,
    /// The first day of term.
    pub starts: NaiveDate,
    /// The school's IANA time zone (`Asia/Hong_Kong`): report days and the end of a student's
    /// daily code are local days there. Absent: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl Term {
    /// The term's zone ([`Term::time_zone`], UTC when absent).
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `time zone`) for a name that is not an IANA zone.
    pub fn zone(&self) -> Result<Zone> {
        self.time_zone.as_deref().map_or_else(|| Ok(Zone::utc()), Zone::parse)
    }

    /// The first and last day of the reporting window.
    pub fn window(&self) -> (NaiveDate, NaiveDate) {
        let span = TimeDelta::days(WINDOW_DAYS);
        (
            self.starts.checked_sub_signed(span).unwrap_or(NaiveDate::MIN),
            self.starts.checked_add_signed(span).unwrap_or(NaiveDate::MAX),
        )
    }

    /// The colour and reasons of a student's code for `day`, from their reports.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `school`) for a day before the reporting window opens.
    pub fn assess(&self, reports: &[DailyReport], day: NaiveDate) -> Result<(Colour, Vec<Reason>)> {
        let (first, last) = self.window();
        if day < first {
            return Err(school_error(format!("the reporting window opens on {first}")));
        }
        let until = day.min(last);
        let mut reasons = Vec::new();
        let required = first.iter_days().take_while(|d| *d <= until);
        let missing = required.filter(|d| !reports.iter().any(|r| r.date == *d)).count();
        let counted = || reports.iter().filter(|r| r.date >= first && r.date <= until);
        if missing > 0 {
            reasons.push(Reason::IncompleteReports);
        }
        if counted().any(|r| r.decicelsius >= FEVER_DECICELSIUS) {
            reasons.push(Reason::FeverAtCheck);
        }
        if counted().any(|r| r.symptoms) {
            reasons.push(Reason::SelfReportedSymptoms);
        }
        if reasons.is_empty() {
            Ok((Colour::Green, vec![Reason::NormalReports]))
        } else {
            Ok((Colour::Yellow, reasons))
        }
    }

    /// A student's daily code claims for the local day of `now` in the term's zone: the colour
    /// of [`Term::assess`], the latest report's temperature (taken as read at 07:00 local) as
    /// evidence (never after `now`), valid until the last second of that local day.
    ///
    /// # Errors
    /// Those of [`Term::assess`] and [`Term::zone`].
    pub fn student_claims(
        &self,
        class: &str,
        credential_id: CredentialId,
        subject: Subject,
        reports: &[DailyReport],
        now: DateTime<Utc>,
    ) -> Result<Claims> {
        let zone = self.zone()?;
        let day = zone.date_of(now);
        let (colour, reasons) = self.assess(reports, day)?;
        let now_second = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let latest = reports.iter().filter(|r| r.date <= day).max_by_key(|r| r.date);
        let temperatures = latest
            .map(|r| TemperatureCheck {
                decicelsius: r.decicelsius,
                // Never after the code is issued: a code issued before 07:00 carries no future evidence.
                at: saturating_after(zone.start_of(r.date), TimeDelta::hours(7)).min(now_second),
                place: None,
            })
            .into_iter()
            .collect();
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let end_of_day = zone.last_second_of(day);
        Ok(Claims {
            issuer: self.issuer.clone(),
            credential_id,
            issued_at: now,
            not_before: now,
            expires_at: end_of_day.max(saturating_after(now, TimeDelta::seconds(1))),
            colour,
            reasons,
            kind: CredentialKind::Student { school: self.school.clone(), class: class.to_string() },
            subject,
            holder: None,
            evidence: Evidence { temperatures, ..Evidence::default() },
        })
    }
}

/// One student on a class list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pupil {
    /// The name the teacher knows.
    pub name: String,
    /// The pseudonymous id their codes carry.
    pub id: SubjectId,
}

/// A teacher's view of the day: who showed a green code, who did not, who is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClassSummary {
    /// Students with a green code for the day.
    pub green: Vec<String>,
    /// Students whose code for the day is not green, with its colour and reasons.
    pub not_green: Vec<(String, Colour, Vec<Reason>)>,
    /// Students with no code for the day (none scanned, or only one for another day).
    pub missing: Vec<String>,
    /// Verified codes of someone not on this class list, or of another school or class.
    pub not_in_class: usize,
}

impl ClassSummary {
    /// Builds the summary from the day's codes, each already verified (by a [`healthpass::Verifier`]
    /// or a checkpoint whose trust list scopes the school's key to student codes).
    /// Days are UTC days; [`ClassSummary::of_in`] reads them in the school's zone.
    pub fn of(school: &str, class: &str, roster: &[Pupil], codes: &[Claims], day: NaiveDate) -> Self {
        Self::of_in(school, class, roster, codes, day, &Zone::utc())
    }

    /// [`ClassSummary::of`] with `day` a local day in `zone`: a code is for the day on which it
    /// was issued, in that zone.
    pub fn of_in(school: &str, class: &str, roster: &[Pupil], codes: &[Claims], day: NaiveDate, zone: &Zone) -> Self {
        let mut out = ClassSummary::default();
        let in_class = |c: &Claims| matches!(&c.kind, CredentialKind::Student { school: s, class: k } if s == school && k == class);
        out.not_in_class =
            codes.iter().filter(|c| !in_class(c) || !roster.iter().any(|p| p.id == c.subject.id)).count();
        for pupil in roster {
            let today = codes
                .iter()
                .filter(|c| in_class(c) && c.subject.id == pupil.id && zone.date_of(c.issued_at) == day)
                .max_by_key(|c| c.issued_at);
            match today {
                None => out.missing.push(pupil.name.clone()),
                Some(c) if c.colour == Colour::Green => out.green.push(pupil.name.clone()),
                Some(c) => out.not_green.push((pupil.name.clone(), c.colour, c.reasons.clone())),
            }
        }
        out
    }
}

impl ClassSummary {
    /// The summary in `lang`, one line per student who is not green or is missing.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(text(lang, "summary-green", &[("count", Arg::from(self.green.len()))]));
        for (name, colour, reasons) in &self.not_green {
            let args = [
                ("name", Arg::from(name.as_str())),
                ("colour", Arg::from(words::colour(lang, *colour))),
                ("reasons", Arg::from(words::reasons(lang, reasons))),
            ];
            line(text(lang, "summary-not-green", &args));
        }
        for name in &self.missing {
            line(text(lang, "summary-missing", &[("name", Arg::from(name.as_str()))]));
        }
        if self.not_in_class > 0 {
            line(text(lang, "summary-others", &[("count", Arg::from(self.not_in_class))]));
        }
        out
    }
}

impl std::fmt::Display for ClassSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}
