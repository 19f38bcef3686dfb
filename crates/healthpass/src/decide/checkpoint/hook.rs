//! The policy's business rules at the checkpoint: the [`ClaimsCheck`] an outer crate installs.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::Checkpoint;
use crate::Claims;
use crate::decide::rules_hook::POLICY_RULE_OPEN;
use crate::decide::{ClaimsCheck, Finding};

impl Checkpoint {
    /// Installs the check of the policy's business rules (`rules`), such as
    /// `healthpass_interop::policy_rules::PolicyRuleCheck`; it replaces any check held. Every
    /// native code whose signature verifies is then also judged by it, after the policy.
    pub fn set_claims_check(&mut self, check: Arc<dyn ClaimsCheck>) {
        self.claims_check = Some(check);
    }

    /// The refusals of the policy's business rules for a native code: none when the policy
    /// names no rules; `rule_open` when it names rules and no check is installed (a rule never
    /// asked is not a rule passed).
    pub(super) fn business_rules(&self, claims: &Claims, now: DateTime<Utc>) -> Vec<Finding> {
        let Some(rules) = &self.policy.rules else {
            return Vec::new();
        };
        match &self.claims_check {
            Some(check) => check.check(claims, now),
            None => vec![Finding::new(
                POLICY_RULE_OPEN,
                format!(
                    "the policy names the business rules of {} but no rule engine is installed at this checkpoint",
                    rules.arrival
                ),
            )],
        }
    }
}
