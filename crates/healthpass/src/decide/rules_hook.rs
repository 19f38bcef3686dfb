//! Business rules in a policy: where a policy names CertLogic rules ([`PolicyRules`]) and the
//! hook through which a layer above the core applies them at the checkpoint ([`ClaimsCheck`]).
//!
//! The core does not evaluate CertLogic (that is the `healthpass-certlogic` crate, which the core
//! must not depend on): it carries the rules' location in the policy and calls a [`ClaimsCheck`]
//! that an outer crate installs with [`crate::decide::Checkpoint::set_claims_check`]
//! (`healthpass_interop::policy_rules` is the one healthpass ships). docs/POLICY.md, "Business
//! rules", says what a rule sees of a native code.

use std::fmt::Debug;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::decide::verdict::Finding;
use crate::{Claims, Error, Result};

/// Stable code: a business rule of the policy failed.
pub const POLICY_RULE_FAILED: &str = "rule_failed";
/// Stable code: a business rule of the policy could not be decided (an error, a rule that did
/// not load, or a result that is not a boolean): not decided counts as not passed.
pub const POLICY_RULE_OPEN: &str = "rule_open";

/// The policy field `rules`: CertLogic business rules a code must also pass, as the DCC gateway
/// publishes them, selected for a country (and region) of arrival.
///
/// ```
/// use healthpass::decide::Policy;
/// let policy = Policy::from_json(r#"{ "accept_colours": ["green"],
///     "rules": { "dir": "rules/MO", "arrival": "MO" } }"#)?;
/// assert_eq!(policy.rules.as_ref().map(|r| r.arrival.as_str()), Some("MO"));
/// # Ok::<(), healthpass::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    /// The folder of rules (`<CC>/<RuleID>/rule.json`, found recursively); a relative path is
    /// read from the policy file's folder.
    pub dir: String,
    /// The country of arrival (ISO 3166-1 alpha-2) whose acceptance rules apply.
    pub arrival: String,
    /// The region of arrival, for rules that differ by region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The value sets rules read (the gateway's `valueSets.json`); default
    /// `DIR/valuesets/valueSets.json` when that file exists. Relative as `dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_sets: Option<String>,
}

impl PolicyRules {
    /// Refuses an empty folder name and a country of arrival that is not two letters.
    ///
    /// # Errors
    /// [`Error::Policy`] naming the field.
    pub fn validate(&self) -> Result<()> {
        if self.dir.trim().is_empty() {
            return Err(Error::Policy("rules.dir is empty: name the folder of rules".into()));
        }
        if self.arrival.len() != 2 || !self.arrival.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Policy("rules.arrival must be a two-letter country code (ISO 3166-1)".into()));
        }
        Ok(())
    }
}

/// A check of verified native claims that a layer above the core adds to a checkpoint's
/// decision, after the policy: its findings are refusals. The checkpoint calls it for native
/// codes ([`crate::decide::Checkpoint::check`]) whose signature verified; codes of other
/// systems ([`crate::decide::Checkpoint::check_verified`]) are judged by their caller, who holds
/// their own payload (a DCC's rules read the DCC, not its mapping into [`Claims`]).
pub trait ClaimsCheck: Debug + Send + Sync {
    /// Every refusal of these claims at `now`; empty if they pass.
    fn check(&self, claims: &Claims, now: DateTime<Utc>) -> Vec<Finding>;
}
