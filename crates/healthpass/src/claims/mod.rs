//! The status-claim model: what a code says about its holder, and why.
//!
//! [`Claims`] is the whole content of a code. Its serde form (JSON) is what issuer backends and
//! the CLI read and print; [`Claims::to_cbor`] and [`Claims::from_cbor`] give the compact form with
//! small integer keys that travels inside the signed CWT (see `docs/FORMAT.md`).

mod cbor;
mod decode;
mod keys;
mod timeline;

pub use keys::STATUS_CLAIM_KEY;
mod registry;

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub use registry::{Colour, DeclarationCategory, DocumentKind, Reason, Relation, TestKind, TestOutcome};

use crate::{Error, Result};

/// Everything a code says: who issued it, for how long, the colour, why, and the evidence.
///
/// Times travel as whole seconds since the Unix epoch: sub-second parts are dropped at issuance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// The issuing region or authority (CWT `iss`), such as `CN-GD` or `HK-DH`.
    pub issuer: String,
    /// A random id of this credential (CWT `cti`), the handle for revocation.
    pub credential_id: CredentialId,
    /// When the code was issued (CWT `iat`).
    pub issued_at: DateTime<Utc>,
    /// The code is not valid before this time (CWT `nbf`).
    pub not_before: DateTime<Utc>,
    /// The code is not valid after this time (CWT `exp`).
    pub expires_at: DateTime<Utc>,
    /// The colour that decides entry.
    pub colour: Colour,
    /// Why the code has its colour; never empty.
    pub reasons: Vec<Reason>,
    /// What kind of credential this is.
    pub kind: CredentialKind,
    /// Whom the code is about.
    pub subject: Subject,
    /// Who carries the code, when that is someone else (a family member, a carer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<Holder>,
    /// The facts behind the colour.
    #[serde(default, skip_serializing_if = "Evidence::is_empty")]
    pub evidence: Evidence,
}

/// What a credential is for. The kind decides which keys may sign it (trust-list scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CredentialKind {
    /// A person's own health code.
    Personal,
    /// A student's daily code.
    Student {
        /// The school's id or name.
        school: String,
        /// The class within the school.
        class: String,
    },
    /// A code for crossing a border or checkpoint.
    CrossBorder {
        /// The declaration category.
        category: DeclarationCategory,
    },
    /// A place's own credential, printed at its entrance.
    Venue {
        /// The venue's id (a place code).
        venue_id: String,
        /// The venue's name, as shown to visitors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The region the venue is in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
}

impl CredentialKind {
    /// The kind's registry code (see `docs/FORMAT.md`).
    pub fn code(&self) -> u8 {
        match self {
            CredentialKind::Personal => 1,
            CredentialKind::Student { .. } => 2,
            CredentialKind::CrossBorder { .. } => 3,
            CredentialKind::Venue { .. } => 4,
        }
    }
}

/// The person a code is about, identified by a pseudonym rather than a document number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// A keyed hash of the identity-document number ([`SubjectId::derive`]).
    pub id: SubjectId,
    /// The name, when the issuer chooses to print it; verifiers show it masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// The kind of document the pseudonym was derived from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentKind>,
}

/// The person carrying someone else's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// How the holder is related to the subject.
    pub relation: Relation,
    /// The holder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The holder's own pseudonymous id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SubjectId>,
}

/// The facts behind a colour; each list may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Evidence {
    /// Test results.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<TestResult>,
    /// Vaccinations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vaccinations: Vec<Vaccination>,
    /// Temperature checks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub temperatures: Vec<TemperatureCheck>,
    /// Regions visited, with dates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub travel: Vec<TravelRecord>,
    /// The region of residence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residency: Option<String>,
    /// Manual decisions by authorised officers, each with who decided and on what basis.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<OfficerDecision>,
    /// The verified code this one was converted from (reason `converted_code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<SourceCode>,
}

/// The code a converted code was issued from: its format, its issuing region and a hash of its
/// text, so that the conversion can be audited against the source without carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCode {
    /// The source's format, by its prefix without the colon: `HP1`, `HC1`, `NZCP`, `SHC`.
    pub format: String,
    /// The source's issuer or region (its CWT `iss` or country), such as `DE` or `MO`.
    pub region: String,
    /// SHA-256 of the source code's text exactly as scanned (UTF-8); hex in JSON.
    pub hash: SourceHash,
}

/// A SHA-256 digest of a source code's text; hex in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceHash(pub [u8; 32]);

impl SourceHash {
    /// The SHA-256 of `text`'s UTF-8 bytes.
    pub fn of(text: &str) -> Self {
        use sha2::Digest;
        SourceHash(Sha256::digest(text.as_bytes()).into())
    }
}

impl TryFrom<String> for SourceHash {
    type Error = String;
    fn try_from(text: String) -> std::result::Result<Self, String> {
        let hash = crate::hex::decode_array(&text).ok_or_else(|| "SourceHash must be 64 hex digits".to_string())?;
        Ok(SourceHash(hash))
    }
}

impl From<SourceHash> for String {
    fn from(hash: SourceHash) -> String {
        crate::hex::encode(&hash.0)
    }
}

impl std::fmt::Display for SourceHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

impl Evidence {
    /// Whether there is no evidence at all.
    pub fn is_empty(&self) -> bool {
        self == &Evidence::default()
    }
}

/// One test result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestResult {
    /// The kind of test.
    pub kind: TestKind,
    /// Its result.
    pub result: TestOutcome,
    /// When the sample was taken.
    pub sampled_at: DateTime<Utc>,
    /// The testing facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
}

/// One vaccination: dose `dose` of a series of `doses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vaccination {
    /// The product (a value-set code or name).
    pub product: String,
    /// Which dose this is, from 1.
    pub dose: u8,
    /// How many doses the series has.
    pub doses: u8,
    /// The day it was given.
    pub date: NaiveDate,
}

/// One temperature check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemperatureCheck {
    /// The reading, in tenths of a degree Celsius (366 = 36.6 °C).
    pub decicelsius: u16,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// Where it was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A stay in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelRecord {
    /// The region (ISO 3166-1 or 3166-2 code).
    pub region: String,
    /// First day there.
    pub from: NaiveDate,
    /// Last day there, when the stay has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

/// A manual decision by an authorised officer, recorded so that it can be audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerDecision {
    /// The officer's id.
    pub officer: String,
    /// When the decision was made.
    pub at: DateTime<Utc>,
    /// The stated basis of the decision.
    pub basis: String,
}

/// A random 16-byte credential id (CWT `cti`); hex in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CredentialId(pub [u8; 16]);

impl CredentialId {
    /// Draws a fresh id from the operating system's random source.
    ///
    /// # Errors
    /// [`Error::Random`] if the random source fails.
    pub fn random() -> Result<Self> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| Error::Random)?;
        Ok(CredentialId(id))
    }
}

/// A pseudonymous subject id: 16 bytes of HMAC-SHA-256; hex in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SubjectId(pub [u8; 16]);

impl SubjectId {
    /// Derives the pseudonym of an identity-document number under the issuer's secret key.
    ///
    /// The number is normalised first (ASCII letters upper-cased; spaces and hyphens removed),
    /// then `HMAC-SHA-256(key, kind code ‖ normalised number)` is truncated to 16 bytes. Without the
    /// key nobody can link the pseudonym back to the document, nor test a guessed number.
    pub fn derive(key: &[u8], document: DocumentKind, number: &str) -> Self {
        let normalised: String =
            number.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        mac.update(&[document as u8]);
        mac.update(normalised.as_bytes());
        let tag = mac.finalize().into_bytes();
        let mut id = [0u8; 16];
        id.copy_from_slice(tag.get(..16).unwrap_or(&[0; 16]));
        SubjectId(id)
    }
}

macro_rules! hex_id {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> std::result::Result<Self, String> {
                let id = crate::hex::decode_array(&text)
                    .ok_or_else(|| format!("{} must be 32 hex digits", stringify!($name)))?;
                Ok($name(id))
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                crate::hex::encode(&id.0)
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&crate::hex::encode(&self.0))
            }
        }
    };
}
hex_id!(CredentialId);
hex_id!(SubjectId);

impl Claims {
    /// Checks the rules that CBOR alone cannot: a non-empty issuer and reason list, a validity
    /// window that ends after it starts, doses within their series, and text lengths.
    ///
    /// The issuer calls this before signing and the verifier after decoding, so both sides
    /// agree on what a well-formed code is.
    ///
    /// # Errors
    /// [`Error::Claims`] naming the rule broken.
    pub fn validate(&self, max_text: usize) -> Result<()> {
        if self.issuer.is_empty() {
            return Err(Error::claims("issuer must not be empty"));
        }
        if self.reasons.is_empty() {
            return Err(Error::claims("a code must give at least one reason for its colour"));
        }
        for (i, reason) in self.reasons.iter().enumerate() {
            if self.reasons.iter().skip(i + 1).any(|r| r == reason) {
                return Err(Error::claims("a reason must not be given twice"));
            }
        }
        if !self.dates().all(in_year_range) {
            return Err(Error::claims("times and dates must lie in the years 0001 to 9999"));
        }
        if self.expires_at <= self.not_before {
            return Err(Error::claims("expires_at must be after not_before"));
        }
        for v in &self.evidence.vaccinations {
            if v.dose == 0 || v.dose > v.doses {
                return Err(Error::claims("a vaccination dose must be between 1 and the series' doses"));
            }
        }
        for t in &self.evidence.travel {
            if t.until.is_some_and(|until| until < t.from) {
                return Err(Error::claims("a travel record must not end before it starts"));
            }
        }
        for text in self.texts() {
            if text.len() > max_text {
                return Err(Error::TooLarge { what: "claim text", limit: max_text });
            }
        }
        Ok(())
    }

    /// The day of every time and date the claims carry.
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let e = &self.evidence;
        [self.issued_at, self.not_before, self.expires_at]
            .into_iter()
            .chain(e.tests.iter().map(|t| t.sampled_at))
            .chain(e.temperatures.iter().map(|t| t.at))
            .chain(e.decisions.iter().map(|d| d.at))
            .map(|t| t.date_naive())
            .chain(self.subject.birth_date)
            .chain(e.vaccinations.iter().map(|v| v.date))
            .chain(e.travel.iter().flat_map(|t| std::iter::once(t.from).chain(t.until)))
    }

    /// Every text string the claims carry.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        let kind: Vec<&str> = match &self.kind {
            CredentialKind::Personal | CredentialKind::CrossBorder { .. } => vec![],
            CredentialKind::Student { school, class } => vec![school, class],
            CredentialKind::Venue { venue_id, name, region } => {
                [Some(venue_id), name.as_ref(), region.as_ref()].into_iter().flatten().map(String::as_str).collect()
            }
        };
        let e = &self.evidence;
        std::iter::once(self.issuer.as_str())
            .chain(kind)
            .chain(self.subject.name.as_deref())
            .chain(self.holder.as_ref().and_then(|h| h.name.as_deref()))
            .chain(e.tests.iter().filter_map(|t| t.facility.as_deref()))
            .chain(e.vaccinations.iter().map(|v| v.product.as_str()))
            .chain(e.temperatures.iter().filter_map(|t| t.place.as_deref()))
            .chain(e.travel.iter().map(|t| t.region.as_str()))
            .chain(e.residency.as_deref())
            .chain(e.decisions.iter().flat_map(|d| [d.officer.as_str(), d.basis.as_str()]))
            .chain(e.converted_from.iter().flat_map(|c| [c.format.as_str(), c.region.as_str()]))
    }
}

/// Whether a date lies in the years 0001 to 9999, the range every time and date must keep.
pub(crate) fn in_year_range(date: NaiveDate) -> bool {
    (1..=9999).contains(&chrono::Datelike::year(&date))
}

#[cfg(test)]
mod tests;

impl Claims {
    /// A typical code for demos, tests and benchmarks: green because of one negative nucleic-acid
    /// test sampled a day before `now`, a pseudonymous subject, valid for 24 hours from `now`
    /// (times that would pass the first or last representable time stop there).
    pub fn example(now: DateTime<Utc>) -> Claims {
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        Claims {
            issuer: "CN-GD".into(),
            credential_id: CredentialId([0x5a; 16]),
            issued_at: now,
            not_before: now,
            expires_at: crate::time::saturating_after(now, chrono::TimeDelta::hours(24)),
            colour: Colour::Green,
            reasons: vec![Reason::NegativeTest],
            kind: CredentialKind::Personal,
            subject: Subject {
                id: SubjectId::derive(b"demo pseudonym key", DocumentKind::NationalId, "440100199001011234"),
                name: None,
                birth_date: None,
                document: Some(DocumentKind::NationalId),
            },
            holder: None,
            evidence: Evidence {
                tests: vec![TestResult {
                    kind: TestKind::NucleicAcid,
                    result: TestOutcome::Negative,
                    sampled_at: now.checked_sub_signed(chrono::TimeDelta::hours(24)).unwrap_or(now),
                    facility: None,
                }],
                ..Evidence::default()
            },
        }
    }
}
