//! Explaining codes to their holder, in the holder's language and time zone: why a code has
//! its colour, the evidence behind it, what would turn it green ([`explain`]), and, given
//! several codes of one person, what changed between them ([`changes`]: "why did my code
//! change colour?").
//!
//! The words come from the message files of `healthpass-i18n` (Fluent); this module only
//! chooses which message says what, and fills in the values. Times are shown in the zone
//! given, with their offset.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use healthpass::{Claims, Colour, Error, Evidence, Reason, Result};
use healthpass_i18n::messages::Arg;
use healthpass_i18n::{Lang, Zone, text, words};

use crate::rules::{Facts, RuleSet};

/// The most codes [`changes`] compares.
pub const MAX_CODES: usize = 31;

/// One thing that would turn a code green.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Wait until the quarantine period ends.
    WaitQuarantine {
        /// When it ends.
        until: DateTime<Utc>,
    },
    /// Have consecutive negative tests after the positive one.
    NegativeTests {
        /// How many are needed.
        needed: u8,
        /// Hours at least between them.
        hours: u32,
        /// How many count so far.
        so_far: usize,
    },
    /// Wait until the close-contact period ends.
    WaitContact {
        /// When it ends.
        until: DateTime<Utc>,
        /// Its length in days.
        days: u32,
    },
    /// Wait until the risk-area period ends.
    WaitRiskArea {
        /// When it ends.
        until: DateTime<Utc>,
        /// Its length in days.
        days: u32,
    },
    /// Have a negative test sampled after a fever reading.
    NegativeAfterFever {
        /// When the fever was read.
        reading: DateTime<Utc>,
    },
    /// Wait until this code ends; a new one can then be green.
    WaitCodeEnd {
        /// When it ends.
        until: DateTime<Utc>,
    },
    /// Send every daily health report, with normal readings.
    SendReports,
    /// Have a negative test and report no symptoms.
    NegativeNoSymptoms,
    /// Ask the issuer.
    AskIssuer,
}

impl Step {
    /// The step in words, in `lang`, times in `zone`.
    pub fn text(&self, lang: Lang, zone: &Zone) -> String {
        let at = |t: &DateTime<Utc>| Arg::from(zone.format(*t));
        match self {
            Step::WaitQuarantine { until } => text(lang, "step-wait-quarantine", &[("until", at(until))]),
            Step::NegativeTests { needed, hours, so_far } => text(
                lang,
                "step-negative-tests",
                &[
                    ("needed", Arg::from(u32::from(*needed))),
                    ("hours", Arg::from(*hours)),
                    ("count", Arg::from(*so_far)),
                ],
            ),
            Step::WaitContact { until, days } => {
                text(lang, "step-wait-contact", &[("until", at(until)), ("days", Arg::from(*days))])
            }
            Step::WaitRiskArea { until, days } => {
                text(lang, "step-wait-risk-area", &[("until", at(until)), ("days", Arg::from(*days))])
            }
            Step::NegativeAfterFever { reading } => text(lang, "step-negative-after-fever", &[("at", at(reading))]),
            Step::WaitCodeEnd { until } => text(lang, "step-wait-code-end", &[("until", at(until))]),
            Step::SendReports => text(lang, "step-send-reports", &[]),
            Step::NegativeNoSymptoms => text(lang, "step-negative-no-symptoms", &[]),
            Step::AskIssuer => text(lang, "step-ask-issuer", &[]),
        }
    }
}

/// A plain-language explanation of a code's colour ([`RuleSet::explain`]). Its text fields are
/// English with UTC times; [`Explanation::render`] words it in any language and zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The colour.
    pub colour: Colour,
    /// Each reason the code gives, in plain words.
    pub because: Vec<String>,
    /// The evidence the code carries, one line per fact.
    pub evidence: Vec<String>,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
    /// What would turn the code green; empty for a green code.
    pub to_green: Vec<String>,
    /// The reason codes.
    pub reasons: Vec<Reason>,
    /// What would turn the code green, as data.
    pub steps: Vec<Step>,
    /// The evidence, as data.
    #[serde(skip)]
    pub facts: Evidence,
}

/// Explains `claims` by `rules` at `now` (see [`RuleSet::explain`]).
pub fn explain(rules: &RuleSet, claims: &Claims, now: DateTime<Utc>) -> Explanation {
    let facts = Facts { evidence: claims.evidence.clone(), close_contact_at: None };
    let mut steps = match rules.evaluate(&facts, now) {
        Ok(a) if a.colour != Colour::Green => a.steps,
        _ => Vec::new(),
    };
    if claims.colour != Colour::Green {
        let waits = |r: Reason| claims.reasons.contains(&r);
        if waits(Reason::CloseContact) || (waits(Reason::RiskAreaVisit) && steps.is_empty()) {
            steps.push(Step::WaitCodeEnd { until: claims.expires_at });
        }
        if waits(Reason::IncompleteReports) {
            steps.push(Step::SendReports);
        }
        let tested = steps.iter().any(|s| matches!(s, Step::NegativeTests { .. } | Step::NegativeAfterFever { .. }));
        if waits(Reason::SelfReportedSymptoms) && !tested {
            steps.push(Step::NegativeNoSymptoms);
        }
        if steps.is_empty() {
            steps.push(Step::AskIssuer);
        }
    }
    let utc = Zone::utc();
    Explanation {
        colour: claims.colour,
        because: claims.reasons.iter().map(|r| r.describe().to_string()).collect(),
        evidence: describe_evidence(&claims.evidence),
        valid_from: claims.not_before,
        valid_until: claims.expires_at,
        to_green: steps.iter().map(|s| s.text(Lang::En, &utc)).collect(),
        reasons: claims.reasons.clone(),
        steps,
        facts: claims.evidence.clone(),
    }
}

impl Explanation {
    /// The explanation in `lang`, times in `zone` with their offset: one line each for the
    /// colour and validity, then the reasons, the evidence and what would turn it green.
    pub fn render(&self, lang: Lang, zone: &Zone) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(text(lang, "explain-colour", &[("colour", Arg::from(words::colour_loud(lang, self.colour)))]));
        let (from, until) = (zone.format(self.valid_from), zone.format(self.valid_until));
        line(text(lang, "explain-valid", &[("from", Arg::from(from)), ("until", Arg::from(until))]));
        line(text(lang, "explain-why", &[]));
        for reason in &self.reasons {
            line(format!("  - {}", words::reason(lang, *reason)));
        }
        let evidence = describe_evidence_in(&self.facts, lang, zone);
        if !evidence.is_empty() {
            line(text(lang, "explain-evidence", &[]));
            for fact in evidence {
                line(format!("  - {fact}"));
            }
        }
        if self.steps.is_empty() {
            line(text(lang, "explain-nothing-needed", &[]));
        } else {
            line(text(lang, "explain-to-green", &[]));
            for step in &self.steps {
                line(format!("  - {}", step.text(lang, zone)));
            }
        }
        out
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En, &Zone::utc()))
    }
}

/// One plain-language line per fact in the evidence (English, UTC).
pub fn describe_evidence(e: &Evidence) -> Vec<String> {
    describe_evidence_in(e, Lang::En, &Zone::utc())
}

/// One line per fact in the evidence, in `lang`, times in `zone`.
pub fn describe_evidence_in(e: &Evidence, lang: Lang, zone: &Zone) -> Vec<String> {
    let mut out = Vec::new();
    let at = |t: DateTime<Utc>| Arg::from(zone.format(t));
    for t in &e.tests {
        let kind = Arg::from(words::test_kind(lang, t.kind));
        let result = Arg::from(words::test_outcome(lang, t.result));
        out.push(text(lang, "evidence-test", &[("kind", kind), ("result", result), ("at", at(t.sampled_at))]));
    }
    for v in &e.vaccinations {
        let args = [
            ("product", Arg::from(v.product.as_str())),
            ("dose", Arg::from(u32::from(v.dose))),
            ("doses", Arg::from(u32::from(v.doses))),
            ("date", Arg::from(v.date.to_string())),
        ];
        out.push(text(lang, "evidence-vaccination", &args));
    }
    for t in &e.temperatures {
        let celsius = Arg::from(format!("{}.{}", t.decicelsius / 10, t.decicelsius % 10));
        out.push(text(lang, "evidence-temperature", &[("celsius", celsius), ("at", at(t.at))]));
    }
    for t in &e.travel {
        let (region, from) = (Arg::from(t.region.as_str()), Arg::from(t.from.to_string()));
        match t.until {
            Some(until) => out.push(text(
                lang,
                "evidence-stay-until",
                &[("region", region), ("from", from), ("until", Arg::from(until.to_string()))],
            )),
            None => out.push(text(lang, "evidence-stay-since", &[("region", region), ("from", from)])),
        }
    }
    if let Some(r) = &e.residency {
        out.push(text(lang, "evidence-resident", &[("region", Arg::from(r.as_str()))]));
    }
    for d in &e.decisions {
        let args =
            [("officer", Arg::from(d.officer.as_str())), ("at", at(d.at)), ("basis", Arg::from(d.basis.as_str()))];
        out.push(text(lang, "evidence-decision", &args));
    }
    out
}

/// "Why did my code change colour?": several codes of one person (for example yesterday's and
/// today's), oldest first by issuing time, and what changed between each and the next (the
/// colour, the reason codes and the evidence that differ), then what would turn the latest
/// green by `rules` at `now`; in `lang`, dates in `zone`.
///
/// # Errors
/// [`Error::Scenario`] (step `explain`) for no codes, more than [`MAX_CODES`], or codes of
/// different people (different subject ids).
pub fn changes(rules: &RuleSet, codes: &[Claims], now: DateTime<Utc>, lang: Lang, zone: &Zone) -> Result<String> {
    let fail = |detail: String| Error::Scenario { step: "explain", detail };
    if codes.is_empty() || codes.len() > MAX_CODES {
        return Err(fail(format!("give 1 to {MAX_CODES} codes of one person")));
    }
    let mut sorted: Vec<&Claims> = codes.iter().collect();
    sorted.sort_by_key(|c| c.issued_at);
    let first = sorted.first().map(|c| c.subject.id);
    if sorted.iter().any(|c| Some(c.subject.id) != first) {
        return Err(fail(text(lang, "change-not-same-person", &[])));
    }
    let mut out = String::new();
    for pair in sorted.windows(2) {
        let [before, after] = pair else { continue };
        out.push_str(&describe_change(before, after, lang, zone));
    }
    if let Some(latest) = sorted.last() {
        out.push_str(&explain(rules, latest, now).render(lang, zone));
    }
    Ok(out)
}

fn describe_change(before: &Claims, after: &Claims, lang: Lang, zone: &Zone) -> String {
    let mut lines = Vec::new();
    let heading =
        [("before", Arg::from(zone.format(before.issued_at))), ("after", Arg::from(zone.format(after.issued_at)))];
    lines.push(text(lang, "change-heading", &heading));
    let colour = |c: Colour| Arg::from(words::colour_loud(lang, c));
    let mut changed = false;
    if before.colour == after.colour {
        lines.push(format!("  - {}", text(lang, "change-same-colour", &[("colour", colour(after.colour))])));
    } else {
        changed = true;
        let args = [("from", colour(before.colour)), ("to", colour(after.colour))];
        lines.push(format!("  - {}", text(lang, "change-colour", &args)));
    }
    for (id, from, to) in [
        ("change-reason-added", &before.reasons, &after.reasons),
        ("change-reason-removed", &after.reasons, &before.reasons),
    ] {
        for reason in to.iter().filter(|r| !from.contains(r)) {
            changed = true;
            lines.push(format!("  - {}", text(lang, id, &[("reason", Arg::from(words::reason(lang, *reason)))])));
        }
    }
    let (old, new) =
        (describe_evidence_in(&before.evidence, lang, zone), describe_evidence_in(&after.evidence, lang, zone));
    for (id, from, to) in [("change-evidence-added", &old, &new), ("change-evidence-removed", &new, &old)] {
        for fact in to.iter().filter(|f| !from.contains(f)) {
            changed = true;
            lines.push(format!("  - {}", text(lang, id, &[("fact", Arg::from(fact.as_str()))])));
        }
    }
    if !changed {
        lines.push(format!("  - {}", text(lang, "change-nothing", &[])));
    }
    lines.push(String::new());
    lines.join("\n")
}
