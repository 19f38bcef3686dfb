//! Cross-border conversion: a checkpoint turns a verified code of another region or system into
//! a native one, under a policy, recording where it came from (evidence key 7, reason
//! `converted_code`).

use chrono::{DateTime, TimeDelta, Utc};

use healthpass::claims::{DeclarationCategory, SourceCode, SourceHash};
use healthpass::decide::policy::POLICY_KIND;
use healthpass::decide::{Finding, Policy};
use healthpass::{Claims, CredentialId, CredentialKind, Error, Reason, Result, Verified};

/// Converts verified foreign or other-region codes into native cross-border codes.
#[derive(Debug, Clone)]
pub struct Converter {
    /// The issuer id of the converted codes.
    pub issuer: String,
    /// The policy the source must meet (for example `negative_test_max_age_hours: 168`).
    pub policy: Policy,
    /// The declaration category of the converted codes.
    pub category: DeclarationCategory,
    /// The longest validity of a converted code, in hours; never beyond the source's.
    pub valid_hours: u32,
}

impl Converter {
    /// Converts `source` (verified from `source_text`, of `format` such as `HC1` or `HP1`) at `now`.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `conversion`) listing every policy refusal (a venue code is
    /// always refused, `kind_not_accepted`), or for a source that has expired; [`Error::Claims`] if the result breaks the claim model.
    pub fn convert(
        &self,
        source_text: &str,
        format: &str,
        source: &Verified<Claims>,
        credential_id: CredentialId,
        now: DateTime<Utc>,
    ) -> Result<Claims> {
        let mut refusals = self.policy.evaluate(source, now);
        if matches!(source.kind, CredentialKind::Venue { .. }) && refusals.iter().all(|f| f.code != POLICY_KIND) {
            // A venue's poster says nothing about a person: never converted, whatever the policy names.
            refusals.push(Finding::new(POLICY_KIND, "a venue code cannot be converted into a person's code"));
        }
        if !refusals.is_empty() {
            let why: Vec<_> = refusals.iter().map(|f| format!("[{}] {}", f.code, f.message)).collect();
            return Err(Error::Scenario { step: "conversion", detail: format!("refused: {}", why.join("; ")) });
        }
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        // A validity past the last representable time is no bound: the source's expiry governs.
        let longest = healthpass::time::saturating_after(now, TimeDelta::hours(i64::from(self.valid_hours.max(1))));
        let expires_at = source.expires_at.min(longest);
        if expires_at <= now {
            return Err(Error::Scenario { step: "conversion", detail: "the source code has expired".into() });
        }
        let mut reasons = vec![Reason::ConvertedCode];
        reasons.extend(source.reasons.iter().copied().filter(|r| *r != Reason::ConvertedCode));
        let mut evidence = source.evidence.clone();
        evidence.converted_from = Some(SourceCode {
            format: format.to_string(),
            region: source.issuer.clone(),
            hash: SourceHash::of(source_text),
        });
        let claims = Claims {
            issuer: self.issuer.clone(),
            credential_id,
            issued_at: now,
            not_before: now,
            expires_at,
            colour: source.colour,
            reasons,
            kind: CredentialKind::CrossBorder { category: self.category },
            subject: source.subject.clone(),
            holder: source.holder.clone(),
            evidence,
        };
        claims.validate(healthpass::Limits::DEFAULT.max_text_string_len)?;
        Ok(claims)
    }
}
