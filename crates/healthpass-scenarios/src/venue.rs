//! Venue codes: a place's own signed credential, printed at its entrance.
//!
//! A venue code is a native code of kind *venue* (venue id, name, region) that also carries the
//! acceptance [`Policy`] the venue applies: as an officer decision in its evidence whose basis is
//! `policy:` followed by the policy's compact JSON (`docs/SCENARIOS.md` §5). Its colour is green
//! with the reason `officer_decision`: the registering officer approved the venue and its policy.
//!
//! A scanner app first verifies the poster's code at a [`Checkpoint`] (the venue authority's key
//! is scoped to venue credentials in the trust list), so a fake poster with a laxer policy is
//! refused; then checks each visitor's code against that venue's policy ([`VenueScanner`]).
//! The holder's app keeps a [`CheckIns`] record of the venues it entered, locally only: nothing
//! is sent anywhere.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use healthpass::claims::OfficerDecision;
use healthpass::decide::{Checkpoint, Policy, Verdict};
use healthpass::fs::{Mode, read_bounded, write_atomic};
use healthpass::keys::PublicKey;
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Error, Evidence, Reason, Result, Subject, SubjectId};

/// The prefix of the officer decision's basis that carries a venue's policy.
pub const POLICY_BASIS_PREFIX: &str = "policy:";
/// The longest check-in file read.
pub const MAX_CHECKINS_BYTES: usize = 1024 * 1024;
/// The most check-ins kept; the oldest go first.
pub const MAX_CHECKINS: usize = 1_000;

fn venue_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "venue", detail: detail.into() }
}

/// A verified venue: who it is and the policy it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Venue {
    /// The venue id (a place code).
    pub venue_id: String,
    /// The venue's name.
    pub name: Option<String>,
    /// The venue's region.
    pub region: Option<String>,
    /// The issuing authority.
    pub issuer: String,
    /// The policy visitors' codes must meet.
    pub policy: Policy,
}

impl Venue {
    /// The venue credential's claims: kind venue, green, reason `officer_decision`, the policy
    /// in the decision's basis, valid for `valid_days` from `now`.
    ///
    /// # Errors
    /// [`Error::Policy`] for a policy that fails [`Policy::validate`]; [`Error::Scenario`]
    /// (step `venue`) for a policy whose JSON exceeds the 1,024-byte text limit;
    /// [`Error::TimeOutOfRange`] when `now` plus the validity is past the last representable time.
    pub fn claims(
        &self,
        officer: &str,
        credential_id: CredentialId,
        now: DateTime<Utc>,
        valid_days: u32,
    ) -> Result<Claims> {
        self.policy.validate()?;
        let json = serde_json::to_string(&self.policy).map_err(|e| venue_error(e.to_string()))?;
        let basis = format!("{POLICY_BASIS_PREFIX}{json}");
        if basis.len() > healthpass::Limits::DEFAULT.max_text_string_len {
            return Err(venue_error("the policy is too long to print on a venue code"));
        }
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let days = valid_days.clamp(1, 3660);
        let expires_at = healthpass::time::after(
            now,
            TimeDelta::days(i64::from(days)),
            &format!("a venue code valid for {days} days"),
        )?;
        Ok(Claims {
            issuer: self.issuer.clone(),
            credential_id,
            issued_at: now,
            not_before: now,
            expires_at,
            colour: Colour::Green,
            reasons: vec![Reason::OfficerDecision],
            kind: CredentialKind::Venue {
                venue_id: self.venue_id.clone(),
                name: self.name.clone(),
                region: self.region.clone(),
            },
            subject: Subject {
                id: SubjectId::derive(b"venue", healthpass::claims::DocumentKind::Other, &self.venue_id),
                name: None,
                birth_date: None,
                document: None,
            },
            holder: None,
            evidence: Evidence {
                decisions: vec![OfficerDecision { officer: officer.to_string(), at: now, basis }],
                ..Evidence::default()
            },
        })
    }

    /// Reads a venue from claims whose signature was verified.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `venue`) if the claims are not a venue credential or carry no
    /// policy; the errors of [`Policy::from_json`] for a malformed policy.
    pub fn from_claims(claims: &Claims) -> Result<Self> {
        let CredentialKind::Venue { venue_id, name, region } = &claims.kind else {
            return Err(venue_error("this is not a venue code"));
        };
        let mut policies = claims.evidence.decisions.iter().filter_map(|d| d.basis.strip_prefix(POLICY_BASIS_PREFIX));
        let (Some(json), None) = (policies.next(), policies.next()) else {
            return Err(venue_error("a venue code must carry exactly one policy"));
        };
        Ok(Venue {
            venue_id: venue_id.clone(),
            name: name.clone(),
            region: region.clone(),
            issuer: claims.issuer.clone(),
            policy: Policy::from_json(json)?,
        })
    }
}

/// A scanner at an entrance: verifies the venue's poster, then each visitor against its policy.
#[derive(Debug)]
pub struct VenueScanner {
    anchors: Vec<PublicKey>,
    trust_list: Vec<u8>,
    posters: Checkpoint,
    visitors: BTreeMap<String, Governing>,
}

/// The poster that governs a venue: the newest scanned, by issue time.
#[derive(Debug)]
struct Governing {
    issued_at: DateTime<Utc>,
    policy: Policy,
    checkpoint: Checkpoint,
}

impl VenueScanner {
    /// A scanner trusting `anchors` and the signed `trust_list`.
    ///
    /// # Errors
    /// Those of [`Checkpoint::new`].
    pub fn new(anchors: Vec<PublicKey>, trust_list: &[u8]) -> Result<Self> {
        let posters = Checkpoint::new(anchors.clone(), trust_list, poster_policy())?;
        Ok(VenueScanner { anchors, trust_list: trust_list.to_vec(), posters, visitors: BTreeMap::new() })
    }

    /// Verifies a venue's poster code at `now`: authentic under the trust list (whose scope
    /// should limit the key to venue credentials), not revoked, valid, of kind venue, with a
    /// policy. Then the scanner is ready to check visitors against that policy.
    ///
    /// The newest poster of a venue (by issue time) governs: a newer poster replaces the policy
    /// visitors are checked against; an older one (or another of the same second with a
    /// different policy) is refused, so an old, looser poster cannot bring back its policy.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `venue`) with every refusal of the checkpoint, the errors of
    /// [`Venue::from_claims`], and [`Error::PosterSuperseded`] for a poster older than the one held.
    pub fn enter_venue(&mut self, poster: &str, now: DateTime<Utc>) -> Result<Venue> {
        let verdict = self.posters.check(poster, now);
        if !verdict.accepted() {
            return Err(venue_error(format!("the venue code is refused: {}", verdict.refusal_codes().join(", "))));
        }
        // The checkpoint verified the signature, scope and times; read the claims it accepted.
        let code = healthpass::UnverifiedCode::parse(poster, &healthpass::Limits::DEFAULT)?;
        let claims = code.claims_unverified(&healthpass::Limits::DEFAULT)?;
        let venue = Venue::from_claims(&claims)?;
        self.govern(&venue, claims.issued_at)?;
        Ok(venue)
    }

    /// Makes `venue`'s policy govern its visitors unless a newer poster already does.
    fn govern(&mut self, venue: &Venue, issued_at: DateTime<Utc>) -> Result<()> {
        let held = self.visitors.get(&venue.venue_id);
        if let Some(held) = held {
            let same = issued_at == held.issued_at && held.policy == venue.policy;
            if same {
                return Ok(());
            }
            if issued_at <= held.issued_at {
                return Err(Error::PosterSuperseded(venue.venue_id.clone()));
            }
        }
        let mut checkpoint = Checkpoint::new(self.anchors.clone(), &self.trust_list, venue.policy.clone())?;
        if let Some(held) = held {
            checkpoint = checkpoint.with_clock(*held.checkpoint.clock());
        }
        let governing = Governing { issued_at, policy: venue.policy.clone(), checkpoint };
        self.visitors.insert(venue.venue_id.clone(), governing);
        Ok(())
    }

    /// Checks a visitor's code against the policy of the newest poster of `venue`'s id entered
    /// with [`VenueScanner::enter_venue`]. A venue not entered yet gives a refusal.
    pub fn check_visitor(&mut self, venue: &Venue, code: &str, now: DateTime<Utc>) -> Verdict {
        match self.visitors.get_mut(&venue.venue_id) {
            Some(governing) => governing.checkpoint.check(code, now),
            None => Verdict::refused(vec![venue_error("scan the venue's code first").into()], Vec::new()),
        }
    }
}

/// The policy a scanner applies to venue posters: green venue credentials only.
pub fn poster_policy() -> Policy {
    {
        let mut policy = Policy::permissive();
        policy.accept_colours = vec![Colour::Green];
        policy.accept_kinds = Some(vec![healthpass::trust::KindName::Venue]);
        policy
    }
}

/// One check-in, kept on the holder's device only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The venue id.
    pub venue_id: String,
    /// The venue's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The holder's local record of venues entered, for contact tracing if they are asked; written
/// atomically with mode 0600, and never sent by this library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIns {
    /// The check-ins, oldest first.
    pub entries: Vec<CheckIn>,
}

impl CheckIns {
    /// Reads the record; a missing file is an empty record.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::TooLarge`] for a file that cannot be read within
    /// [`MAX_CHECKINS_BYTES`]; [`Error::Scenario`] (step `venue`) for malformed JSON.
    pub fn read(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(CheckIns::default());
        }
        let bytes = read_bounded(path, MAX_CHECKINS_BYTES, "check-in file")?;
        let mut read: CheckIns = serde_json::from_slice(&bytes).map_err(|e| venue_error(format!("check-ins: {e}")))?;
        read.trim();
        Ok(read)
    }

    /// Writes the record atomically, readable by its owner only.
    ///
    /// # Errors
    /// [`Error::Io`] if the write fails.
    pub fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(|e| venue_error(e.to_string()))?;
        write_atomic(path, json.as_bytes(), Mode::Secret)
    }

    /// Records entering `venue` at `now`, and forgets check-ins older than `keep_days`.
    pub fn record(&mut self, venue: &Venue, now: DateTime<Utc>, keep_days: u32) {
        self.entries.push(CheckIn { venue_id: venue.venue_id.clone(), name: venue.name.clone(), at: now });
        if let Some(cutoff) = now.checked_sub_signed(TimeDelta::days(i64::from(keep_days))) {
            self.entries.retain(|c| c.at >= cutoff);
        }
        self.trim();
    }

    fn trim(&mut self) {
        let excess = self.entries.len().saturating_sub(MAX_CHECKINS);
        self.entries.drain(..excess);
    }
}
