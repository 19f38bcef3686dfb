//! Loading every rule of a folder (the gateway's rules as a mirror or the test data lays them
//! out: any folder holding a `rule.json`), and judging a certificate with them.

use std::path::Path;

use serde_json::Value;

use crate::error::Result;
use crate::files::read_bounded;
use crate::limits::Limits;
use crate::rule::{CertificateType, Rule, RuleType};
use crate::ruletests::{find_rule_folders, relative};
use crate::select::{RuleQuery, select_rules};
use crate::verdict::{Outcome, RuleVerdict, evaluate_rules};

/// A rule file that did not load, with what could still be read of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// The file, relative to the folder loaded.
    pub path: String,
    /// Its `Identifier`, if readable.
    pub identifier: Option<String>,
    /// Its `Country`, if readable.
    pub country: Option<String>,
    /// Its `Type`, if readable.
    pub rule_type: Option<RuleType>,
    /// Its `CertificateType`, if readable.
    pub certificate_type: Option<CertificateType>,
    /// Why it did not load.
    pub reason: String,
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl RuleProblem {
    fn new(path: String, json: Option<&Value>, reason: String) -> Self {
        let text = |key: &str| json.and_then(|j| j.get(key)).and_then(Value::as_str).map(str::to_owned);
        RuleProblem {
            path,
            identifier: text("Identifier"),
            country: text("Country"),
            rule_type: text("Type").and_then(|t| match t.as_str() {
                "Acceptance" => Some(RuleType::Acceptance),
                "Invalidation" => Some(RuleType::Invalidation),
                _ => None,
            }),
            certificate_type: text("CertificateType").and_then(|t| match t.as_str() {
                "General" => Some(CertificateType::General),
                "Vaccination" => Some(CertificateType::Vaccination),
                "Test" => Some(CertificateType::Test),
                "Recovery" => Some(CertificateType::Recovery),
                _ => None,
            }),
            reason,
        }
    }

    /// Whether the rule might have applied to the query: anything not readable counts as
    /// matching, so an unloadable rule is never silently left out.
    pub fn may_apply(&self, query: &RuleQuery) -> bool {
        let country_is = |want: &str| self.country.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(want));
        let party = match self.rule_type {
            Some(RuleType::Acceptance) => country_is(&query.arrival_country),
            Some(RuleType::Invalidation) => country_is(&query.issuing_country),
            None => country_is(&query.arrival_country) || country_is(&query.issuing_country),
        };
        let kind = self.certificate_type.is_none_or(|t| t == CertificateType::General || t == query.certificate_type);
        party && kind
    }
}

/// The rules of a folder, and the rule files that could not be loaded.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Every rule that loaded, in path order.
    pub rules: Vec<Rule>,
    /// Each rule file that did not load.
    pub problems: Vec<RuleProblem>,
}

impl RuleSet {
    /// Loads every `rule.json` below `dir` under the default [`Limits`].
    ///
    /// ```
    /// # let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-rules/DE");
    /// let set = healthpass_certlogic::RuleSet::load(&dir)?;
    /// assert!(set.problems.is_empty());
    /// assert!(set.rules.iter().all(|rule| rule.country == "DE"));
    /// # Ok::<(), healthpass_certlogic::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) if the folder cannot be listed;
    /// [`Error::TooLarge`](crate::Error::TooLarge) past `max_rules`. A rule that does not load is
    /// listed in `problems`, not an error.
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with(dir, &Limits::default())
    }

    /// [`RuleSet::load`] under explicit limits.
    ///
    /// # Errors
    /// As [`RuleSet::load`].
    pub fn load_with(dir: &Path, limits: &Limits) -> Result<Self> {
        let mut folders = Vec::new();
        let mut notes = Vec::new();
        find_rule_folders(dir, 0, dir, limits, &mut folders, &mut notes)?;
        let mut set = RuleSet::default();
        for folder in folders {
            let path = folder.join("rule.json");
            let shown = relative(&path, dir);
            let text = match read_bounded(&path, limits) {
                Ok(text) => text,
                Err(e) => {
                    set.problems.push(RuleProblem::new(shown, None, e.to_string()));
                    continue;
                }
            };
            match Rule::parse_with(&text, limits) {
                Ok(rule) => set.rules.push(rule),
                Err(e) => {
                    let json = serde_json::from_slice::<Value>(&text).ok();
                    set.problems.push(RuleProblem::new(shown, json.as_ref(), e.to_string()));
                }
            }
        }
        Ok(set)
    }

    /// Judges a certificate: the verdicts of the rules [`select_rules`] picks for the query
    /// ([`Rule::evaluate`]), followed by an open verdict for every rule file that did not load
    /// and [may have applied](RuleProblem::may_apply) — a rule that cannot be read must not make
    /// a certificate pass by its absence.
    pub fn evaluate(&self, query: &RuleQuery, payload: &Value, external: &Value, lang: &str) -> Vec<RuleVerdict> {
        let selected = select_rules(&self.rules, query);
        let mut verdicts = evaluate_rules(&selected, payload, external, lang);
        for problem in self.problems.iter().filter(|p| p.may_apply(query)) {
            verdicts.push(RuleVerdict {
                identifier: problem.identifier.clone().unwrap_or_else(|| problem.path.clone()),
                version: String::new(),
                rule_type: problem.rule_type.unwrap_or(RuleType::Acceptance),
                country: problem.country.clone().unwrap_or_default(),
                certificate_type: problem.certificate_type.unwrap_or(CertificateType::General),
                outcome: Outcome::Open { reason: format!("the rule could not be loaded: {}", problem.reason) },
                description: String::new(),
                affected_fields: Vec::new(),
            });
        }
        verdicts
    }
}
