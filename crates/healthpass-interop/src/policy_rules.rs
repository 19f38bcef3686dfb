//! A checkpoint policy's CertLogic business rules (the policy field `rules`), applied to native
//! codes and to EU DCCs alike, so a region judges both by the same rules.
//!
//! - A **native** code's verified [`Claims`] are shown to a rule through the native mapping of
//!   `healthpass_certlogic::native` (docs/POLICY.md, "Business rules"): DCC-shaped `v`, `t`,
//!   `dob`, and the native model under `hp`. [`PolicyRuleCheck`] is the core's
//!   [`ClaimsCheck`], installed with `Checkpoint::set_claims_check`.
//! - A **DCC** is shown as itself: its `hcert` payload and its CWT times
//!   ([`PolicyRuleCheck::judge_dcc`]), as the gateway's rules expect.
//!
//! The rule engine is `healthpass-certlogic`; this module only builds the rule's data and turns
//! the verdicts into the policy's refusal codes `rule_failed` and `rule_open`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use healthpass::decide::rules_hook::{POLICY_RULE_FAILED, POLICY_RULE_OPEN};
use healthpass::decide::{ClaimsCheck, Finding, PolicyRules};
use healthpass::{Claims, Error, Result};
use healthpass_certlogic::{
    CertificateType, External, Overall, RuleQuery, RuleSet, RuleVerdict, native_external, native_payload, overall,
};
use serde_json::Value;

/// The largest value-sets file read.
const MAX_VALUE_SETS_FILE: usize = 8 << 20;

/// The rules a policy names, loaded: the rule set, its value sets, the country (and region) of
/// arrival, and the language of the rules' descriptions.
#[derive(Debug)]
pub struct PolicyRuleCheck {
    set: RuleSet,
    /// The external parameter as JSON with the value sets, built once (building it costs more
    /// than a country's rules: BENCHMARKS.md); each code only overwrites its own fields.
    external: Mutex<Value>,
    arrival: String,
    region: Option<String>,
    lang: String,
}

fn policy_error(what: &str, err: impl std::fmt::Display) -> Error {
    Error::Policy(format!("rules: {what}: {err}"))
}

impl PolicyRuleCheck {
    /// Loads the rules a policy names; relative paths are read from `base` (the policy file's
    /// folder). Rules that do not load are kept as problems and give an open verdict wherever
    /// they might have applied (`RuleSet::evaluate`).
    ///
    /// # Errors
    /// [`Error::Policy`] naming the folder (that cannot be read, or holds no `rule.json`) or the
    /// value-sets file that could not be read.
    pub fn load(rules: &PolicyRules, base: &Path) -> Result<Self> {
        rules.validate()?;
        let dir = base.join(&rules.dir);
        let set = RuleSet::load(&dir).map_err(|e| policy_error(&dir.display().to_string(), e))?;
        if set.rules.is_empty() && set.problems.is_empty() {
            // A policy naming rules that are not there would check nothing: a misconfiguration.
            return Err(policy_error(&dir.display().to_string(), "no rule (rule.json) found"));
        }
        let value_sets_file = rules.value_sets.as_ref().map(|f| base.join(f));
        let default_file = dir.join("valuesets/valueSets.json");
        let file = value_sets_file.or_else(|| default_file.is_file().then_some(default_file));
        let value_sets = match file {
            Some(file) => {
                let bytes = healthpass::fs::read_bounded(&file, MAX_VALUE_SETS_FILE, "value sets file")?;
                External::parse_value_sets(&bytes, &Default::default())
                    .map_err(|e| policy_error(&file.display().to_string(), e))?
            }
            None => BTreeMap::new(),
        };
        let arrival = rules.arrival.to_ascii_uppercase();
        let external =
            External { value_sets, country_code: arrival.clone(), region: rules.region.clone(), ..External::default() };
        Ok(PolicyRuleCheck {
            set,
            external: Mutex::new(external.to_json()),
            arrival,
            region: rules.region.clone(),
            lang: "en".into(),
        })
    }

    /// The same rules, with descriptions in `lang` where a rule carries it (else English).
    pub fn with_lang(mut self, lang: &str) -> Self {
        lang.clone_into(&mut self.lang);
        self
    }

    /// Rules that did not load (each gives an open verdict where it may apply).
    pub fn problems(&self) -> usize {
        self.set.problems.len()
    }

    fn base_external(&self, now: DateTime<Utc>) -> External {
        External {
            validation_clock: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            country_code: self.arrival.clone(),
            region: self.region.clone(),
            ..External::default()
        }
    }

    fn evaluate(&self, payload: &Value, external: &External, now: DateTime<Utc>) -> Vec<RuleVerdict> {
        let query = RuleQuery {
            arrival_country: self.arrival.clone(),
            arrival_region: self.region.clone(),
            issuing_country: external.issuer_country_code.clone(),
            // A native code without vaccination or test (a colour alone) meets General rules only.
            certificate_type: CertificateType::of_payload(payload).unwrap_or(CertificateType::General),
            validation_clock_ms: now.timestamp_millis(),
        };
        // The held JSON with this code's fields (clock, times, issuer, kid) written over it.
        let mut held = self.external.lock().unwrap_or_else(PoisonError::into_inner);
        if let (Value::Object(target), Value::Object(fields)) = (&mut *held, external.to_json()) {
            for (key, value) in fields.into_iter().filter(|(key, _)| key != "valueSets") {
                target.insert(key, value);
            }
        }
        self.set.evaluate(&query, payload, &held, &self.lang)
    }

    /// Every rule verdict for a verified native code at `now`, through the native mapping.
    ///
    /// # Errors
    /// [`Error::Policy`] when the claims cannot be mapped (they always can when they verified).
    pub fn judge_native(&self, claims: &Claims, now: DateTime<Utc>) -> Result<Vec<RuleVerdict>> {
        let json = serde_json::to_value(claims).map_err(|e| policy_error("claims", e))?;
        let payload = native_payload(&json).map_err(|e| policy_error("native mapping", e))?;
        let external =
            native_external(&json, &self.base_external(now)).map_err(|e| policy_error("native mapping", e))?;
        Ok(self.evaluate(&payload, &external, now))
    }

    /// Every rule verdict for a verified DCC at `now`: its `hcert` payload (JSON), its issuing
    /// country, CWT `iat` / `exp` and kid (base64), as the gateway's rules read them.
    pub fn judge_dcc(
        &self,
        payload: &Value,
        issuer_country: &str,
        times: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        kid_base64: Option<String>,
        now: DateTime<Utc>,
    ) -> Vec<RuleVerdict> {
        let text = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
        let external = External {
            iat: text(times.0),
            exp: text(times.1),
            issuer_country_code: issuer_country.to_owned(),
            kid: kid_base64,
            ..self.base_external(now)
        };
        self.evaluate(payload, &external, now)
    }

    /// The policy's refusal for these verdicts: `rule_failed` naming the failed rules,
    /// `rule_open` naming the undecided ones, or none when every rule passed (or none applied).
    pub fn refusal(&self, verdicts: &[RuleVerdict]) -> Option<Finding> {
        let named = |keep: fn(&RuleVerdict) -> bool| {
            verdicts.iter().filter(|v| keep(v)).map(|v| v.identifier.as_str()).collect::<Vec<_>>().join(", ")
        };
        match overall(verdicts) {
            Overall::Passed => None,
            Overall::Failed => Some(Finding::new(
                POLICY_RULE_FAILED,
                format!("refused by the rules of {}: {}", self.arrival, named(|v| v.outcome.is_failed())),
            )),
            Overall::Open => Some(Finding::new(
                POLICY_RULE_OPEN,
                format!("a rule of {} could not be decided: {}", self.arrival, named(|v| v.outcome.is_open())),
            )),
        }
    }
}

impl ClaimsCheck for PolicyRuleCheck {
    fn check(&self, claims: &Claims, now: DateTime<Utc>) -> Vec<Finding> {
        match self.judge_native(claims, now) {
            Ok(verdicts) => self.refusal(&verdicts).into_iter().collect(),
            Err(e) => vec![Finding::new(POLICY_RULE_OPEN, e.to_string())],
        }
    }
}
