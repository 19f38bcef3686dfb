//! A verdict per rule: passed, failed or open, with the rule's description in the reader's
//! language.

use serde_json::Value;

use crate::rule::{CertificateType, Rule, RuleType, Version};

/// The CertLogic specification version this engine implements; a rule whose `EngineVersion` is
/// newer is not run (its verdict is open).
pub const ENGINE_VERSION: (u64, u64, u64) = (1, 3, 3);

/// The outcome of one rule; in JSON `{"result": "passed"}`, `{"result": "open", "reason": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The logic evaluated to `true`.
    Passed,
    /// The logic evaluated to `false`.
    Failed,
    /// The rule could not decide: evaluation failed, the result was not a boolean, or the rule
    /// needs an engine or schema this verifier does not have.
    Open {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// Whether the rule passed.
    pub fn is_passed(&self) -> bool {
        *self == Outcome::Passed
    }

    /// Whether the rule failed.
    pub fn is_failed(&self) -> bool {
        *self == Outcome::Failed
    }

    /// Whether the rule is open.
    pub fn is_open(&self) -> bool {
        matches!(self, Outcome::Open { .. })
    }
}

/// One rule's verdict on one certificate. Its `Display` is one line for people:
/// `FAILED VR-DE-0004 1.0.0: <description>`, with the reason after an open verdict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleVerdict {
    /// The rule's identifier.
    pub identifier: String,
    /// The rule's version.
    pub version: String,
    /// Acceptance or invalidation.
    pub rule_type: RuleType,
    /// The country that set the rule.
    pub country: String,
    /// The certificate type the rule is for.
    pub certificate_type: CertificateType,
    /// The outcome.
    pub outcome: Outcome,
    /// The rule's description in the requested language, else English, else its first.
    pub description: String,
    /// The payload fields the rule reads.
    pub affected_fields: Vec<String>,
}

/// The combined verdict of several rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Every rule passed (or there was no rule).
    Passed,
    /// At least one rule failed.
    Failed,
    /// No rule failed, but at least one is open.
    Open,
}

/// Combines verdicts: failed if any failed, else open if any is open, else passed.
pub fn overall(verdicts: &[RuleVerdict]) -> Overall {
    if verdicts.iter().any(|v| v.outcome.is_failed()) {
        Overall::Failed
    } else if verdicts.iter().any(|v| v.outcome.is_open()) {
        Overall::Open
    } else {
        Overall::Passed
    }
}

impl std::fmt::Display for RuleVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (word, reason) = match &self.outcome {
            Outcome::Passed => ("PASSED", None),
            Outcome::Failed => ("FAILED", None),
            Outcome::Open { reason } => ("OPEN", Some(reason)),
        };
        write!(f, "{word} {} {}: {}", self.identifier, self.version, self.description)?;
        if let Some(reason) = reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

fn schema_mismatch(rule: &Version, payload: &Value) -> Option<String> {
    let Some(text) = payload.get("ver").and_then(Value::as_str) else {
        return Some("the payload has no schema version (ver)".to_owned());
    };
    let Ok(ver) = Version::parse(text, "ver") else {
        return Some("the payload's schema version (ver) is not major.minor.patch".to_owned());
    };
    if ver.numbers.0 != rule.numbers.0 || ver.numbers < rule.numbers {
        return Some(format!("the rule needs schema {}, the payload has {}", rule.text, ver.text));
    }
    None
}

impl Rule {
    /// Whether this engine can run the rule: engine `CERTLOGIC` and an `EngineVersion` no newer
    /// than [`ENGINE_VERSION`]; `Err` says why not.
    ///
    /// # Errors
    /// The reason the rule cannot be run, as text.
    pub fn check_engine(&self) -> Result<(), String> {
        if !self.engine.eq_ignore_ascii_case("CERTLOGIC") {
            return Err("the rule is for another engine than CertLogic".to_owned());
        }
        if self.engine_version.numbers > ENGINE_VERSION {
            return Err(format!("the rule needs CertLogic {}", self.engine_version.text));
        }
        Ok(())
    }

    /// The rule's outcome on a payload, without the engine and schema checks: `true` passes,
    /// `false` fails, an error or any other value is open.
    pub fn outcome_of_logic(&self, payload: &Value, external: &Value) -> Outcome {
        match self.logic.evaluate_rule(payload, external) {
            Ok(Some(true)) => Outcome::Passed,
            Ok(Some(false)) => Outcome::Failed,
            Ok(None) => Outcome::Open { reason: "the logic did not evaluate to a boolean".to_owned() },
            Err(e) => Outcome::Open { reason: e.to_string() },
        }
    }

    /// The rule's verdict on a DCC payload with the external parameter (as JSON, see
    /// [`External::to_json`](crate::External::to_json)), its description in `lang`.
    ///
    /// Open, without evaluating, when the engine cannot run the rule ([`Rule::check_engine`]) or
    /// the payload's schema version (`ver`) has another major version than the rule's
    /// `SchemaVersion` or is older than it.
    pub fn evaluate(&self, payload: &Value, external: &Value, lang: &str) -> RuleVerdict {
        let outcome = match self.check_engine() {
            Err(reason) => Outcome::Open { reason },
            Ok(()) => match schema_mismatch(&self.schema_version, payload) {
                Some(reason) => Outcome::Open { reason },
                None => self.outcome_of_logic(payload, external),
            },
        };
        RuleVerdict {
            identifier: self.identifier.clone(),
            version: self.version.text.clone(),
            rule_type: self.rule_type,
            country: self.country.clone(),
            certificate_type: self.certificate_type,
            outcome,
            description: self.description(lang).to_owned(),
            affected_fields: self.affected_fields.clone(),
        }
    }
}

/// Evaluates each rule on the payload (see [`Rule::evaluate`]).
pub fn evaluate_rules(rules: &[&Rule], payload: &Value, external: &Value, lang: &str) -> Vec<RuleVerdict> {
    rules.iter().map(|rule| rule.evaluate(payload, external, lang)).collect()
}
