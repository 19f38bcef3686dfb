//! Acceptance policies: what a venue or checkpoint accepts, declared in a JSON file.
//!
//! `docs/POLICY.md` documents every field with examples. A policy is evaluated over claims
//! whose signature has already been verified, and reads nothing but [`Claims`] fields, so the
//! same policy applies to native codes and to codes of other systems mapped into [`Claims`].

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::claims::{TestKind, TestOutcome};
use crate::decide::verdict::Finding;
use crate::trust::KindName;
use crate::verify::Verified;
use crate::{Claims, Colour, Error, Result};

/// The largest policy file read.
const MAX_POLICY_FILE: usize = 1024 * 1024;

/// Stable code: the code's colour is not accepted.
pub const POLICY_COLOUR: &str = "colour_not_accepted";
/// Stable code: the credential kind is not accepted.
pub const POLICY_KIND: &str = "kind_not_accepted";
/// Stable code: the issuer is neither an accepted issuer nor in an accepted region.
pub const POLICY_ISSUER: &str = "issuer_not_accepted";
/// Stable code: the issuer is denied.
pub const POLICY_ISSUER_DENIED: &str = "issuer_denied";
/// Stable code: the code holds no test of an accepted kind.
pub const POLICY_NO_TEST: &str = "no_negative_test";
/// Stable code: the latest test of an accepted kind is not negative.
pub const POLICY_TEST_NOT_NEGATIVE: &str = "test_not_negative";
/// Stable code: the latest negative test is older than the policy allows.
pub const POLICY_TEST_TOO_OLD: &str = "test_too_old";
/// Stable code: the code was issued longer ago than the policy allows.
pub const POLICY_CODE_TOO_OLD: &str = "code_too_old";
/// Stable code: fewer vaccination doses than the policy asks.
pub const POLICY_TOO_FEW_DOSES: &str = "too_few_doses";
/// Stable code: the code holds no temperature reading.
pub const POLICY_NO_TEMPERATURE: &str = "no_temperature";
/// Stable code: the latest temperature reading is above the ceiling.
pub const POLICY_TEMPERATURE: &str = "temperature_too_high";
/// Stable code: the policy requires logged codes (`require_logged`) and the log state the
/// checkpoint last synced holds no entry for this code's credential id.
pub const POLICY_NOT_LOGGED: &str = "not_logged";
/// Stable code: evidence is dated after the code's issue time or after now (beyond the skew).
pub const POLICY_EVIDENCE_IN_FUTURE: &str = "evidence_in_future";

/// The kinds a policy without `accept_kinds` accepts: credentials about a person. A venue
/// credential (a public poster) is accepted only by a policy that names `venue`.
pub const PERSON_KINDS: [KindName; 3] = [KindName::Personal, KindName::Student, KindName::CrossBorder];

/// A checkpoint's acceptance rules. Absent rules do not apply; present lists must not be empty.
///
/// ```
/// use healthpass::decide::Policy;
/// let policy = Policy::from_json(r#"{
///     "name": "Macau border",
///     "accept_colours": ["green"],
///     "accept_regions": ["MO", "CN", "HK"],
///     "negative_test_max_age_hours": 168
/// }"#)?;
/// assert_eq!(policy.negative_test_max_age_hours, Some(168));
/// let typo = Policy::from_json(r#"{ "accept_colours": ["green"], "colour": "red" }"#).unwrap_err();
/// assert_eq!(typo.code(), "policy");
/// # Ok::<(), healthpass::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// A name for displays and logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The colours accepted. Required.
    pub accept_colours: Vec<Colour>,
    /// The credential kinds accepted; absent: the person kinds ([`PERSON_KINDS`]). A venue
    /// credential is accepted only where `venue` is named here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_kinds: Option<Vec<KindName>>,
    /// Issuers accepted by exact id. With `accept_regions`, an issuer passes if either accepts
    /// it; with neither, every issuer the trust list trusts passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_issuers: Option<Vec<String>>,
    /// Regions whose issuers are accepted (mutual recognition): region `CN` accepts issuers
    /// `CN` and `CN-…` (such as `CN-GD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_regions: Option<Vec<String>>,
    /// Issuers refused even inside an accepted region.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_issuers: Vec<String>,
    /// Require the latest test (of `test_kinds`) to be negative and sampled at most this many
    /// hours before now (168 for a 7-day rule, 48 for a hospital).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_test_max_age_hours: Option<u32>,
    /// The test kinds that count for `negative_test_max_age_hours`; absent: any kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_kinds: Option<Vec<TestKind>>,
    /// Refuse a code issued more than this many hours before now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_code_age_hours: Option<u32>,
    /// Require a vaccination record with a dose number at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_vaccination_doses: Option<u8>,
    /// Require a temperature reading, the latest at most this, in tenths of a °C (373 = 37.3 °C).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_temperature_decicelsius: Option<u16>,
    /// Hours to keep accepting codes after a trust or revocation list's next update has
    /// passed. 0 (the default) refuses every code once a list is stale.
    #[serde(default)]
    pub stale_list_grace_hours: u32,
    /// Accept a code only when the decision log state the checkpoint last synced
    /// ([`crate::decide::Checkpoint::set_logged`]) holds its entry; refused `not_logged`
    /// otherwise, and every code is refused until a state is synced.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_logged: bool,
    /// CertLogic business rules the code must also pass (docs/POLICY.md, "Business rules"),
    /// applied by a layer above the core: a checkpoint needs a
    /// [`crate::decide::ClaimsCheck`] installed for them, and refuses every native code
    /// (`rule_open`) without one rather than pass codes the rules were never asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::decide::PolicyRules>,
    /// A PEM bundle of CSCA certificates (a relative path is read from the policy file's
    /// folder): an EU DCC is accepted only when its signer certificate (DSC) has a valid path to
    /// a CSCA of its own country (docs/INTEROP.md, "CSCA → DSC"; codes `csca_*`). Applied by the
    /// layer that holds the DSC (`verify --dcc-cert`); the core reads no X.509.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dcc_csca: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Policy {
    /// A policy with no rules beyond accepting every colour: every authentic, valid, in-scope,
    /// unrevoked code about a person is accepted, and the verdict shows its colour. For `verify`
    /// without a policy file, never for a venue. Like every policy without `accept_kinds`, it
    /// refuses venue credentials (`kind_not_accepted`).
    pub fn permissive() -> Self {
        Policy {
            name: Some("no policy: any authentic code".into()),
            accept_colours: Colour::ALL.to_vec(),
            accept_kinds: None,
            accept_issuers: None,
            accept_regions: None,
            deny_issuers: Vec::new(),
            negative_test_max_age_hours: None,
            test_kinds: None,
            max_code_age_hours: None,
            min_vaccination_doses: None,
            max_temperature_decicelsius: None,
            stale_list_grace_hours: 0,
            require_logged: false,
            rules: None,
            dcc_csca: None,
        }
    }

    /// Parses and validates a JSON policy. Unknown fields are refused.
    ///
    /// # Errors
    /// [`Error::Policy`] for malformed JSON, an unknown field or a contradictory rule.
    pub fn from_json(json: &str) -> Result<Self> {
        let policy: Policy = serde_json::from_str(json).map_err(|e| Error::Policy(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    /// Reads a JSON policy file (at most 1 MiB).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::TooLarge`], or those of [`Policy::from_json`].
    pub fn read_file(path: &Path) -> Result<Self> {
        let bytes = crate::fs::read_bounded(path, MAX_POLICY_FILE, "policy file")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::Policy("the file is not UTF-8 text".into()))?;
        Self::from_json(text)
    }

    /// The policy as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Refuses rules that no code could meet or that contradict each other: an empty list of
    /// accepted values, an issuer both accepted and denied, test kinds without a test rule, a
    /// zero age or dose count, and a temperature ceiling outside 34.0–45.0 °C (a ceiling
    /// written in degrees rather than tenths).
    ///
    /// # Errors
    /// [`Error::Policy`] naming the rule.
    pub fn validate(&self) -> Result<()> {
        let refuse = |why: &str| Err(Error::Policy(why.into()));
        if self.accept_colours.is_empty() {
            return refuse("accept_colours is empty: the policy would accept no code");
        }
        let empty = [
            ("accept_kinds", self.accept_kinds.as_ref().is_some_and(Vec::is_empty)),
            ("accept_issuers", self.accept_issuers.as_ref().is_some_and(Vec::is_empty)),
            ("accept_regions", self.accept_regions.as_ref().is_some_and(Vec::is_empty)),
            ("test_kinds", self.test_kinds.as_ref().is_some_and(Vec::is_empty)),
        ];
        if let Some((field, _)) = empty.iter().find(|(_, is_empty)| *is_empty) {
            return Err(Error::Policy(format!(
                "{field} is empty: leave it out to accept any, or name what is accepted"
            )));
        }
        if let Some(both) = self.deny_issuers.iter().find(|d| self.accept_issuers.iter().flatten().any(|a| a == *d)) {
            return Err(Error::Policy(format!("issuer {both} is both in accept_issuers and in deny_issuers")));
        }
        if self.test_kinds.is_some() && self.negative_test_max_age_hours.is_none() {
            return refuse("test_kinds is set but negative_test_max_age_hours is not: no rule uses the test kinds");
        }
        if self.negative_test_max_age_hours == Some(0) || self.max_code_age_hours == Some(0) {
            return refuse("a maximum age of 0 hours: no code could meet it");
        }
        if self.min_vaccination_doses == Some(0) {
            return refuse("min_vaccination_doses is 0: leave it out instead");
        }
        if self.max_temperature_decicelsius.is_some_and(|t| !(340..=450).contains(&t)) {
            return refuse("max_temperature_decicelsius must be in tenths of a degree, between 340 and 450");
        }
        if let Some(rules) = &self.rules {
            rules.validate()?;
        }
        if self.dcc_csca.as_ref().is_some_and(|path| path.trim().is_empty()) {
            return refuse("dcc_csca is empty: name the PEM bundle of CSCA certificates");
        }
        Ok(())
    }

    /// Every rule the verified claims fail at `now`; empty if the policy accepts them.
    pub fn evaluate(&self, claims: &Verified<Claims>, now: DateTime<Utc>) -> Vec<Finding> {
        self.evaluate_claims(claims, now)
    }

    /// The grace period after a list's next update.
    pub fn stale_list_grace(&self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.stale_list_grace_hours))
    }

    /// As [`Policy::evaluate`], for claims whose signature the caller (the checkpoint) has
    /// checked but that may have failed another check, so that every reason is listed.
    pub(crate) fn evaluate_claims(&self, claims: &Claims, now: DateTime<Utc>) -> Vec<Finding> {
        let mut out = Vec::new();
        if !self.accept_colours.contains(&claims.colour) {
            let accepted: Vec<_> = self.accept_colours.iter().map(|c| c.describe()).collect();
            out.push(Finding::new(
                POLICY_COLOUR,
                format!("the code is {}; this checkpoint accepts {}", claims.colour, accepted.join(", ")),
            ));
        }
        if !self.accepts_kind(KindName::of(&claims.kind)) {
            let kind = KindName::of(&claims.kind).as_str();
            out.push(Finding::new(POLICY_KIND, format!("{kind} credentials are not accepted here")));
        }
        // Judged against the code's issue time: a code issued after now is refused by the time
        // checks already (`issued_in_future`), and a verified code's issue time is at most now.
        if let Err(err) = claims.check_evidence_times(now.max(claims.issued_at), crate::verify::Verifier::DEFAULT_SKEW)
        {
            out.push(Finding::new(POLICY_EVIDENCE_IN_FUTURE, err.to_string()));
        }
        self.check_issuer(claims, &mut out);
        if let Some(hours) = self.negative_test_max_age_hours {
            self.check_test(claims, now, hours, &mut out);
        }
        if let Some(hours) = self.max_code_age_hours {
            if now.signed_duration_since(claims.issued_at) > TimeDelta::hours(i64::from(hours)) {
                out.push(Finding::new(
                    POLICY_CODE_TOO_OLD,
                    format!("the code was issued more than {hours} hours ago; get a fresh code"),
                ));
            }
        }
        if let Some(min) = self.min_vaccination_doses {
            let doses = claims.evidence.vaccinations.iter().map(|v| v.dose).max().unwrap_or(0);
            if doses < min {
                out.push(Finding::new(POLICY_TOO_FEW_DOSES, format!("at least {min} vaccination doses are required")));
            }
        }
        if let Some(ceiling) = self.max_temperature_decicelsius {
            let degrees = format!("{}.{} °C", ceiling / 10, ceiling % 10);
            match claims.evidence.temperatures.iter().max_by_key(|t| t.at) {
                None => out.push(Finding::new(POLICY_NO_TEMPERATURE, "the code holds no temperature reading")),
                Some(t) if t.decicelsius > ceiling => out.push(Finding::new(
                    POLICY_TEMPERATURE,
                    format!("the latest temperature reading is above {degrees}"),
                )),
                Some(_) => {}
            }
        }
        out
    }

    /// Whether the policy accepts credentials of this kind: those named in `accept_kinds`, or
    /// without it the person kinds only.
    pub fn accepts_kind(&self, kind: KindName) -> bool {
        match &self.accept_kinds {
            Some(kinds) => kinds.contains(&kind),
            None => PERSON_KINDS.contains(&kind),
        }
    }

    fn check_issuer(&self, claims: &Claims, out: &mut Vec<Finding>) {
        let issuer = claims.issuer.as_str();
        if self.deny_issuers.iter().any(|d| d == issuer) {
            out.push(Finding::new(POLICY_ISSUER_DENIED, format!("codes from {issuer} are refused here")));
            return;
        }
        if self.accept_issuers.is_none() && self.accept_regions.is_none() {
            return;
        }
        let by_id = self.accept_issuers.iter().flatten().any(|a| a == issuer);
        let by_region = self.accept_regions.iter().flatten().any(|r| region_contains(r, issuer));
        if !by_id && !by_region {
            out.push(Finding::new(POLICY_ISSUER, format!("codes from {issuer} are not recognised here")));
        }
    }

    fn check_test(&self, claims: &Claims, now: DateTime<Utc>, hours: u32, out: &mut Vec<Finding>) {
        let counts = |kind: &TestKind| self.test_kinds.as_ref().is_none_or(|kinds| kinds.contains(kind));
        let latest = claims.evidence.tests.iter().filter(|t| counts(&t.kind)).max_by_key(|t| t.sampled_at);
        let limit = if hours % 24 == 0 { format!("{} days", hours / 24) } else { format!("{hours} hours") };
        match latest {
            None => {
                out.push(Finding::new(POLICY_NO_TEST, format!("a negative test from the last {limit} is required")))
            }
            Some(t) if t.result != TestOutcome::Negative => {
                out.push(Finding::new(POLICY_TEST_NOT_NEGATIVE, "the latest test is not negative".to_string()))
            }
            Some(t) if now.signed_duration_since(t.sampled_at) > TimeDelta::hours(i64::from(hours)) => {
                out.push(Finding::new(POLICY_TEST_TOO_OLD, format!("the latest negative test is older than {limit}")))
            }
            Some(_) => {}
        }
    }
}

/// For claims verified outside the checkpoint (another system's code): the issuer they claim
/// must lie in the region of the trust-list entry whose key signed them, as it must equal the
/// entry's issuer. `None` when it does, or when the issuers differ (refused as such already).
pub(crate) fn issuer_outside_region(entry: &crate::trust::TrustEntry, claims: &Claims) -> Option<Error> {
    (entry.issuer == claims.issuer && !region_contains(&entry.region, &claims.issuer)).then_some(Error::IssuerMismatch)
}

/// Whether `region` (such as `CN`) contains `issuer` (`CN` itself, or `CN-GD`, `CN-GD-SZ`...).
pub fn region_contains(region: &str, issuer: &str) -> bool {
    issuer == region || issuer.strip_prefix(region).is_some_and(|rest| rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_match_on_whole_segments() {
        assert!(region_contains("CN", "CN"));
        assert!(region_contains("CN", "CN-GD"));
        assert!(!region_contains("CN", "CNX"));
        assert!(!region_contains("CN-GD", "CN"));
    }
}
