//! The verdict a checkpoint shows: accepted or refused, the colour, a minimal summary, and
//! every failed rule with a stable code and a sentence.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::mask::mask_name;
use crate::trust::KindName;
use crate::{Claims, Colour, Error};

/// One failed rule (or one warning): a stable machine code and a sentence for people.
///
/// Codes are stable: those of [`Error::code`] for verification failures, and the `POLICY_*`
/// codes of [`crate::decide::policy`] for policy rules (listed in `docs/POLICY.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code, such as `expired`, `out_of_scope` or `test_too_old`.
    pub code: &'static str,
    /// A sentence for the person at the checkpoint.
    pub message: String,
}

impl Finding {
    /// A finding with this code and sentence.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Finding { code, message: message.into() }
    }
}

impl From<Error> for Finding {
    fn from(err: Error) -> Self {
        Finding { code: err.code(), message: err.to_string() }
    }
}

impl From<&Error> for Finding {
    fn from(err: &Error) -> Self {
        Finding { code: err.code(), message: err.to_string() }
    }
}

/// What a checkpoint screen shows of an authentic code: no more than it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The colour.
    pub colour: Colour,
    /// The issuing authority.
    pub issuer: String,
    /// The kind of credential.
    pub kind: KindName,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
    /// The subject's name, masked ([`mask_name`]), when the code carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Summary {
    /// The summary of claims whose signature has been checked.
    pub fn of(claims: &Claims) -> Self {
        Summary {
            colour: claims.colour,
            issuer: claims.issuer.clone(),
            kind: KindName::of(&claims.kind),
            valid_from: claims.not_before,
            valid_until: claims.expires_at,
            name: claims.subject.name.as_deref().map(mask_name),
        }
    }
}

/// A checkpoint's whole decision about one code.
///
/// A refused code lists **every** failed rule, not only the first. Only when the code's
/// signature verified under a trusted key are the colour and summary filled in: an unverified
/// code shows nothing of what it claims.
///
/// Whether it is accepted is not stored but derived: [`Verdict::accepted`] holds exactly when
/// there is no refusal, so no verdict can say "accepted" beside a reason to refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The colour of an authentic code.
    pub colour: Option<Colour>,
    /// What to show of an authentic code.
    pub summary: Option<Summary>,
    /// Every failed rule; the code is accepted exactly when there is none.
    pub refusals: Vec<Finding>,
    /// Things the operator should know that do not refuse the code (a list past its next
    /// update but within the policy's grace period).
    pub warnings: Vec<Finding>,
}

impl Verdict {
    /// A refusal with no authentic code to show (it could not be read or verified).
    pub fn refused(refusals: Vec<Finding>, warnings: Vec<Finding>) -> Self {
        Verdict { colour: None, summary: None, refusals, warnings }
    }

    /// Whether the code is accepted: authentic, in scope, valid now, not revoked, and meeting
    /// every rule of the policy; that is, no rule refused it.
    pub fn accepted(&self) -> bool {
        self.refusals.is_empty()
    }

    /// The codes of every refusal, in order.
    pub fn refusal_codes(&self) -> Vec<&'static str> {
        self.refusals.iter().map(|f| f.code).collect()
    }
}

/// The JSON form (docs/TRUST.md): `accepted` is written from the refusals.
impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Verdict", 5)?;
        out.serialize_field("accepted", &self.accepted())?;
        out.serialize_field("colour", &self.colour)?;
        out.serialize_field("summary", &self.summary)?;
        out.serialize_field("refusals", &self.refusals)?;
        out.serialize_field("warnings", &self.warnings)?;
        out.end()
    }
}

impl std::fmt::Display for Verdict {
    /// One line: `ACCEPTED`/`REFUSED`, the colour and summary when known, then every reason.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.accepted() { "ACCEPTED" } else { "REFUSED" })?;
        if let Some(s) = &self.summary {
            write!(
                f,
                " {} {} code from {}, valid until {}",
                s.colour.describe().to_uppercase(),
                s.kind.as_str(),
                s.issuer,
                s.valid_until.format("%Y-%m-%d %H:%M UTC")
            )?;
            if let Some(name) = &s.name {
                write!(f, ", {name}")?;
            }
        }
        for finding in &self.refusals {
            write!(f, "; [{}] {}", finding.code, finding.message)?;
        }
        for finding in &self.warnings {
            write!(f, "; warning [{}] {}", finding.code, finding.message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_masks_the_name_by_its_script() {
        let mut claims = Claims::example(chrono::DateTime::UNIX_EPOCH);
        claims.subject.name = Some("陈小明".into());
        assert_eq!(Summary::of(&claims).name.as_deref(), Some("陈*明"));
    }
}
