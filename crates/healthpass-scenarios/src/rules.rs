//! Colour rules at issuance: a declarative rule set turns evidence into a colour, the reason
//! codes behind it, how long that colour holds, and what would turn it green.
//!
//! The rules, in order (`docs/SCENARIOS.md` §1):
//!
//! 1. A positive test → **red** (`positive_test`, and `in_quarantine` while the quarantine
//!    period runs). Red turns green only once the quarantine period after the latest positive
//!    sample has passed **and** the tests sampled after it include `release_negative_tests`
//!    consecutive negatives, each at least `release_test_gap_hours` after the one counted before
//!    (an inconclusive test breaks the streak). The green code then gives
//!    `quarantine_completed` and `negative_test`.
//! 2. A close contact → `contact_colour` (yellow, or orange) for `contact_days` after the contact.
//! 3. A stay in one of `risk_areas` → `risk_area_colour` for `risk_area_days` after the last day.
//! 4. A temperature at or above `fever_decicelsius` → yellow until a negative test sampled after
//!    that reading.
//! 5. Otherwise green, because of a negative test at most `green_test_max_age_hours` old, or else
//!    a vaccination; with neither, no colour is issued (an error says so).
//!
//! Days are local days in the rule set's IANA `time_zone` (default `UTC`): a quarantine of
//! `quarantine_days` ends at local midnight that many days after the day of the positive
//! sample; a risk-area period at local midnight `risk_area_days` after the last day there; a
//! vaccination counts from its (local) date. Hours (test ages, gaps, a contact period counted
//! from its instant, the longest validity) are hours, whatever the zone.
//!
//! The worst colour wins and every reason that applies is recorded. A code never outlives its
//! colour: its validity ends when the colour could next change (the end of a contact period,
//! for example), or after `code_valid_hours`, whichever is first. Time is a parameter.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use healthpass::claims::{TestKind, TestOutcome, TestResult};
//! use healthpass_scenarios::rules::{Facts, RuleSet};
//! use healthpass::{Colour, Reason};
//!
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
//! let mut facts = Facts::default();
//! facts.evidence.tests.push(TestResult {
//!     kind: TestKind::NucleicAcid,
//!     result: TestOutcome::Positive,
//!     sampled_at: now - TimeDelta::days(3),
//!     facility: None,
//! });
//! let assessment = RuleSet::default().evaluate(&facts, now)?;
//! assert_eq!(assessment.colour, Colour::Red);
//! assert_eq!(assessment.reasons, vec![Reason::PositiveTest, Reason::InQuarantine]);
//! # Ok::<(), healthpass::Error>(())
//! ```

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use healthpass::claims::{TestOutcome, TestResult};
use healthpass::decide::policy::region_contains;
use healthpass::time::saturating_after;
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Error, Evidence, Reason, Result, Subject};
use healthpass_i18n::Lang;
use healthpass_i18n::zone::Zone;

pub use crate::explain::{Explanation, Step, describe_evidence};

/// The largest number of days any period of a rule set may last.
const MAX_DAYS: u32 = 366;

/// A declarative colour rule set. Its JSON form names every field; absent fields take the
/// defaults of [`RuleSet::default`] (shown in `docs/SCENARIOS.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSet {
    /// The colour of a close contact: yellow (default) or orange.
    pub contact_colour: Colour,
    /// How many days a close contact keeps that colour (default 14).
    pub contact_days: u32,
    /// The colour of a stay in a risk area: yellow (default) or orange.
    pub risk_area_colour: Colour,
    /// How many days after the last day in a risk area the colour holds (default 14).
    pub risk_area_days: u32,
    /// The designated risk areas (region codes; `CN-GD` also covers `CN-GD-SZ`). Default none.
    pub risk_areas: Vec<String>,
    /// A reading at or above this, in tenths of a °C, is a fever (default 373 = 37.3 °C).
    pub fever_decicelsius: u16,
    /// Days of quarantine after the latest positive sample (default 14).
    pub quarantine_days: u32,
    /// Consecutive negative tests needed to leave red (default 2).
    pub release_negative_tests: u8,
    /// Hours at least between the negative tests that count (default 24).
    pub release_test_gap_hours: u32,
    /// A negative test supports a green code for this many hours after sampling (default 168).
    pub green_test_max_age_hours: u32,
    /// The longest validity of an issued code, in hours (default 24).
    pub code_valid_hours: u32,
    /// The issuer's IANA time zone (`Asia/Hong_Kong`), in which days are counted (default `UTC`).
    pub time_zone: String,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            contact_colour: Colour::Yellow,
            contact_days: 14,
            risk_area_colour: Colour::Yellow,
            risk_area_days: 14,
            risk_areas: Vec::new(),
            fever_decicelsius: 373,
            quarantine_days: 14,
            release_negative_tests: 2,
            release_test_gap_hours: 24,
            green_test_max_age_hours: 168,
            code_valid_hours: 24,
            time_zone: "UTC".into(),
        }
    }
}

/// What the issuer knows about a person when it issues: the evidence that goes into the code,
/// and a close contact (known from contact tracing; the code records only the reason).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Facts {
    /// Tests, vaccinations, temperature readings and stays.
    pub evidence: Evidence,
    /// When the person was last in close contact with a confirmed case, if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub close_contact_at: Option<DateTime<Utc>>,
}

/// The outcome of the rules: the colour, why, until when it holds, and what would turn it green.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The colour.
    pub colour: Colour,
    /// Every reason that applies, never empty.
    pub reasons: Vec<Reason>,
    /// The code's validity ends here: the colour could change then, or the longest validity ends.
    pub valid_until: DateTime<Utc>,
    /// Plain-language steps that would turn the colour green (English, times in the rule
    /// set's zone); empty for green.
    pub to_green: Vec<String>,
    /// The same steps as data, to word in any language ([`Step::text`]).
    pub steps: Vec<Step>,
}

impl Assessment {
    fn push(&mut self, step: Step, zone: &Zone) {
        self.to_green.push(step.text(Lang::En, zone));
        self.steps.push(step);
    }
}

fn rules_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "rules", detail: detail.into() }
}

fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

fn hours(n: u32) -> TimeDelta {
    TimeDelta::hours(i64::from(n))
}

/// `day` plus `n` days, saturating at the last date.
fn plus_days(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX)
}

impl RuleSet {
    /// Reads a rule set from JSON and checks it ([`RuleSet::validate`]).
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `rules`) for malformed JSON, an unknown field or a broken rule.
    pub fn from_json(json: &str) -> Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| rules_error(format!("rule set JSON: {e}")))?;
        if !value.is_object() {
            return Err(rules_error("a rule set must be a JSON object"));
        }
        let rules: RuleSet = serde_json::from_value(value).map_err(|e| rules_error(format!("rule set JSON: {e}")))?;
        rules.validate()?;
        Ok(rules)
    }

    /// The rule set as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the rule set: contact and risk-area colours are yellow or orange; every period is
    /// 1 to 366 days (quarantine may be 0); at least one negative test releases from red; the
    /// fever threshold lies between 35.0 and 42.0 °C; validities are 1 hour to 366 days.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `rules`) naming the broken rule.
    pub fn validate(&self) -> Result<()> {
        for (what, colour) in [("contact_colour", self.contact_colour), ("risk_area_colour", self.risk_area_colour)] {
            if !matches!(colour, Colour::Yellow | Colour::Orange) {
                return Err(rules_error(format!("{what} must be yellow or orange")));
            }
        }
        for (what, n) in [("contact_days", self.contact_days), ("risk_area_days", self.risk_area_days)] {
            if n == 0 || n > MAX_DAYS {
                return Err(rules_error(format!("{what} must be 1 to {MAX_DAYS}")));
            }
        }
        if self.quarantine_days > MAX_DAYS {
            return Err(rules_error(format!("quarantine_days must be 0 to {MAX_DAYS}")));
        }
        if self.release_negative_tests == 0 {
            return Err(rules_error("release_negative_tests must be at least 1"));
        }
        if !(350..=420).contains(&self.fever_decicelsius) {
            return Err(rules_error("fever_decicelsius must be 350 to 420 (35.0 to 42.0 °C)"));
        }
        for (what, n) in [
            ("release_test_gap_hours", self.release_test_gap_hours),
            ("green_test_max_age_hours", self.green_test_max_age_hours),
            ("code_valid_hours", self.code_valid_hours),
        ] {
            if n == 0 || n > MAX_DAYS * 24 {
                return Err(rules_error(format!("{what} must be 1 to {}", MAX_DAYS * 24)));
            }
        }
        if self.risk_areas.iter().any(String::is_empty) {
            return Err(rules_error("a risk area must not be empty"));
        }
        Zone::parse(&self.time_zone).map_err(|_| {
            rules_error(format!("time_zone {:?} is not an IANA time zone (such as Asia/Hong_Kong)", self.time_zone))
        })?;
        Ok(())
    }

    /// The zone days are counted in (UTC for a name that fails [`RuleSet::validate`]).
    pub fn zone(&self) -> Zone {
        Zone::parse(&self.time_zone).unwrap_or_default()
    }

    /// Applies the rules to `facts` at `now` (only what happened at or before `now` counts).
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `rules`) for a rule set that fails [`RuleSet::validate`], or
    /// evidence that supports no colour (green needs a recent negative test or a vaccination).
    pub fn evaluate(&self, facts: &Facts, now: DateTime<Utc>) -> Result<Assessment> {
        self.validate()?;
        let mut out = Assessment {
            colour: Colour::Green,
            reasons: Vec::new(),
            valid_until: saturating_after(now, hours(self.code_valid_hours)),
            to_green: Vec::new(),
            steps: Vec::new(),
        };
        let mut tests: Vec<&TestResult> = facts.evidence.tests.iter().filter(|t| t.sampled_at <= now).collect();
        tests.sort_by_key(|t| t.sampled_at);
        let latest_positive = tests.iter().rev().find(|t| t.result == TestOutcome::Positive).map(|t| t.sampled_at);
        if let Some(positive) = latest_positive {
            if self.positive(&tests, positive, now, &mut out) {
                return Ok(out);
            }
        }
        self.contact(facts.close_contact_at, now, &mut out);
        self.risk_areas(&facts.evidence, now, &mut out);
        self.fever(&facts.evidence, &tests, now, &mut out);
        if out.colour == Colour::Green && !out.reasons.contains(&Reason::NegativeTest) {
            let max_age = hours(self.green_test_max_age_hours);
            let recent = tests
                .iter()
                .rev()
                .find(|t| t.result == TestOutcome::Negative && now.signed_duration_since(t.sampled_at) <= max_age);
            if let Some(test) = recent {
                out.reasons.push(Reason::NegativeTest);
                out.valid_until = out.valid_until.min(saturating_after(test.sampled_at, max_age));
            } else if facts.evidence.vaccinations.iter().any(|v| v.date <= self.zone().date_of(now)) {
                out.reasons.push(Reason::Vaccinated);
            } else {
                return Err(rules_error(format!(
                    "no colour can be issued: green needs a negative test from the last {} hours or a vaccination",
                    self.green_test_max_age_hours
                )));
            }
        }
        Ok(out)
    }

    /// Red after a positive test, unless released; returns whether the code is red.
    fn positive(
        &self,
        tests: &[&TestResult],
        positive: DateTime<Utc>,
        now: DateTime<Utc>,
        out: &mut Assessment,
    ) -> bool {
        let zone = self.zone();
        let quarantine_end = zone.start_of(plus_days(zone.date_of(positive), self.quarantine_days));
        let negatives = self.release_streak(tests.iter().copied().filter(|t| t.sampled_at > positive));
        let needed = usize::from(self.release_negative_tests);
        if now >= quarantine_end && negatives >= needed {
            out.reasons.extend([Reason::QuarantineCompleted, Reason::NegativeTest]);
            return false;
        }
        out.colour = Colour::Red;
        out.reasons.push(Reason::PositiveTest);
        if now < quarantine_end {
            out.reasons.push(Reason::InQuarantine);
            out.valid_until = out.valid_until.min(quarantine_end);
            out.push(Step::WaitQuarantine { until: quarantine_end }, &zone);
        }
        if negatives < needed {
            let step = Step::NegativeTests {
                needed: self.release_negative_tests,
                hours: self.release_test_gap_hours,
                so_far: negatives,
            };
            out.push(step, &zone);
        }
        true
    }

    /// The length of the current streak of negative tests, counting a negative only when it was
    /// sampled at least the release gap after the last one counted; an inconclusive or positive
    /// test starts the streak again.
    fn release_streak<'a>(&self, after: impl Iterator<Item = &'a TestResult>) -> usize {
        let gap = hours(self.release_test_gap_hours);
        let (mut count, mut last): (usize, Option<DateTime<Utc>>) = (0, None);
        for test in after {
            match test.result {
                TestOutcome::Negative => {
                    if last.is_none_or(|last| test.sampled_at.signed_duration_since(last) >= gap) {
                        count += 1;
                        last = Some(test.sampled_at);
                    }
                }
                TestOutcome::Positive | TestOutcome::Inconclusive => {
                    count = 0;
                    last = None;
                }
            }
        }
        count
    }

    fn contact(&self, contact: Option<DateTime<Utc>>, now: DateTime<Utc>, out: &mut Assessment) {
        let Some(contact) = contact.filter(|c| *c <= now) else { return };
        let end = saturating_after(contact, days(self.contact_days));
        if now < end {
            out.colour = out.colour.max(self.contact_colour);
            out.reasons.push(Reason::CloseContact);
            out.valid_until = out.valid_until.min(end);
            out.push(Step::WaitContact { until: end, days: self.contact_days }, &self.zone());
        }
    }

    fn risk_areas(&self, evidence: &Evidence, now: DateTime<Utc>, out: &mut Assessment) {
        let zone = self.zone();
        let today = zone.date_of(now);
        let last_day = evidence
            .travel
            .iter()
            .filter(|t| t.from <= today && self.risk_areas.iter().any(|area| region_contains(area, &t.region)))
            .map(|t| t.until.unwrap_or(today).min(today))
            .max();
        let Some(last_day) = last_day else { return };
        let end = zone.end_of(plus_days(last_day, self.risk_area_days));
        if now < end {
            out.colour = out.colour.max(self.risk_area_colour);
            out.reasons.push(Reason::RiskAreaVisit);
            out.valid_until = out.valid_until.min(end);
            out.push(Step::WaitRiskArea { until: end, days: self.risk_area_days }, &zone);
        }
    }

    fn fever(&self, evidence: &Evidence, tests: &[&TestResult], now: DateTime<Utc>, out: &mut Assessment) {
        let latest = evidence.temperatures.iter().filter(|t| t.at <= now).max_by_key(|t| t.at);
        let Some(reading) = latest.filter(|t| t.decicelsius >= self.fever_decicelsius) else { return };
        let cleared = tests.iter().any(|t| t.result == TestOutcome::Negative && t.sampled_at > reading.at);
        if !cleared {
            out.colour = out.colour.max(Colour::Yellow);
            out.reasons.push(Reason::FeverAtCheck);
            out.push(Step::NegativeAfterFever { reading: reading.at }, &self.zone());
        }
    }

    /// Evaluates the rules and builds the claims to sign: the colour, reasons and validity of
    /// the [`Assessment`], the facts' evidence, and a personal kind.
    ///
    /// # Errors
    /// Those of [`RuleSet::evaluate`].
    pub fn claims(
        &self,
        issuer: &str,
        credential_id: CredentialId,
        subject: Subject,
        facts: &Facts,
        now: DateTime<Utc>,
    ) -> Result<Claims> {
        let assessment = self.evaluate(facts, now)?;
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        Ok(Claims {
            issuer: issuer.to_string(),
            credential_id,
            issued_at: now,
            not_before: now,
            expires_at: assessment.valid_until.max(saturating_after(now, TimeDelta::seconds(1))),
            colour: assessment.colour,
            reasons: assessment.reasons,
            kind: CredentialKind::Personal,
            subject,
            holder: None,
            evidence: facts.evidence.clone(),
        })
    }

    /// Explains a code in plain words: why it has its colour (each reason and the evidence
    /// behind it) and what would turn it green, by these rules at `now` ([`Explanation`];
    /// `crate::explain` words it in any language and zone).
    ///
    /// The code does not carry the time of a close contact, so for one the explanation points
    /// to the code's own end of validity, which the issuer set to the end of the contact period.
    pub fn explain(&self, claims: &Claims, now: DateTime<Utc>) -> Explanation {
        crate::explain::explain(self, claims, now)
    }
}
