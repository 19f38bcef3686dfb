//! One entry of a trust list: a key, the algorithm it is fixed to, its validity and the scope
//! (kinds, colours, regions) of the codes it may sign, as `docs/TRUST.md` encodes it.

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use serde::{Deserialize, Serialize};

use crate::cbor::MapBuilder;
use crate::keys::{Kid, PublicKey};
use crate::trust::envelope::{self, ListFields, hex_serde, list_error};
use crate::{Claims, Colour, CredentialKind, Error, Limits, Result};

/// The largest public key an entry may carry (an RSA-4096 SPKI is about 550 bytes).
const MAX_PUBLIC_KEY_LEN: usize = 2_048;
/// The longest key id an entry may carry.
const MAX_KID_LEN: usize = 64;
const ENTRY: &str = "trust list entry";

/// The signature algorithm a trusted key is fixed to; a code must name the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyAlgorithm {
    /// EdDSA with Ed25519 (COSE -8); the key is the 32 raw bytes. Native codes.
    Ed25519,
    /// ECDSA P-256 with SHA-256 (COSE -7); the key is SubjectPublicKeyInfo DER.
    Es256,
    /// RSASSA-PSS with SHA-256 (COSE -37); the key is SubjectPublicKeyInfo DER.
    Ps256,
}

impl KeyAlgorithm {
    /// The COSE algorithm identifier (RFC 9053).
    pub fn cose_id(self) -> i64 {
        match self {
            KeyAlgorithm::Ed25519 => -8,
            KeyAlgorithm::Es256 => -7,
            KeyAlgorithm::Ps256 => -37,
        }
    }

    /// The algorithm with this COSE identifier, if it is one a trust list may hold.
    pub fn from_cose_id(id: i64) -> Option<Self> {
        match id {
            -8 => Some(KeyAlgorithm::Ed25519),
            -7 => Some(KeyAlgorithm::Es256),
            -37 => Some(KeyAlgorithm::Ps256),
            _ => None,
        }
    }
}

/// The name of a credential kind, without its details: what a key's scope and a policy list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    /// [`CredentialKind::Personal`].
    Personal,
    /// [`CredentialKind::Student`].
    Student,
    /// [`CredentialKind::CrossBorder`].
    CrossBorder,
    /// [`CredentialKind::Venue`].
    Venue,
}

impl KindName {
    /// The name of a kind.
    pub fn of(kind: &CredentialKind) -> Self {
        match kind {
            CredentialKind::Personal => KindName::Personal,
            CredentialKind::Student { .. } => KindName::Student,
            CredentialKind::CrossBorder { .. } => KindName::CrossBorder,
            CredentialKind::Venue { .. } => KindName::Venue,
        }
    }

    /// The kind's registry code, as [`CredentialKind::code`].
    pub fn code(self) -> u8 {
        match self {
            KindName::Personal => 1,
            KindName::Student => 2,
            KindName::CrossBorder => 3,
            KindName::Venue => 4,
        }
    }

    /// The name with this registry code.
    pub fn from_code(code: u64) -> Option<Self> {
        [KindName::Personal, KindName::Student, KindName::CrossBorder, KindName::Venue]
            .into_iter()
            .find(|k| u64::from(k.code()) == code)
    }

    /// The snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            KindName::Personal => "personal",
            KindName::Student => "student",
            KindName::CrossBorder => "cross_border",
            KindName::Venue => "venue",
        }
    }
}

/// What a key may sign. `None` means "any"; a present list must not be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scope {
    /// The credential kinds the key may sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kinds: Option<Vec<KindName>>,
    /// The colours the key may sign. Only a health authority's key should list red.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colours: Option<Vec<Colour>>,
    /// The regions a code signed by this key may name (a venue's region, the holder's residency).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<String>>,
    /// Whether the key may sign revocation lists for its own issuer's codes.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub revocation: bool,
}

impl Scope {
    /// Every way `claims` falls outside this scope, each as an [`Error::OutOfScope`]; empty
    /// if the key may sign them.
    pub fn violations(&self, claims: &Claims) -> Vec<Error> {
        let mut out = Vec::new();
        let kind = KindName::of(&claims.kind);
        if self.kinds.as_ref().is_some_and(|kinds| !kinds.contains(&kind)) {
            out.push(Error::OutOfScope(format!("{} credentials", kind.as_str())));
        }
        if self.colours.as_ref().is_some_and(|colours| !colours.contains(&claims.colour)) {
            out.push(Error::OutOfScope(format!("{} codes", claims.colour.describe())));
        }
        if let Some(regions) = &self.regions {
            for region in claim_regions(claims) {
                if !regions.iter().any(|r| r == region) {
                    out.push(Error::OutOfScope(format!("codes naming region {region}")));
                }
            }
        }
        out
    }
}

/// The regions a code names: a venue's region and the holder's region of residency.
pub fn claim_regions(claims: &Claims) -> Vec<&str> {
    let venue = match &claims.kind {
        CredentialKind::Venue { region, .. } => region.as_deref(),
        _ => None,
    };
    venue.into_iter().chain(claims.evidence.residency.as_deref()).collect()
}

/// One trusted key with its issuer, region, validity and scope. Several entries may share a kid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustEntry {
    /// The key id codes name the key by (hex in JSON). For Ed25519 it must be the derived kid.
    #[serde(serialize_with = "hex_serde::kid_to_hex", deserialize_with = "hex_serde::kid_from_hex")]
    pub kid: Kid,
    /// The algorithm the key is fixed to.
    pub algorithm: KeyAlgorithm,
    /// The key: 32 raw bytes for Ed25519, SubjectPublicKeyInfo DER otherwise (hex in JSON).
    #[serde(serialize_with = "hex_serde::bytes_to_hex", deserialize_with = "hex_serde::bytes_from_hex")]
    pub public_key: Vec<u8>,
    /// The issuer id codes signed by this key must carry (CWT `iss`).
    pub issuer: String,
    /// The region of the issuing authority (ISO 3166-1 or 3166-2 code).
    pub region: String,
    /// The key signs codes issued from this time ...
    pub valid_from: DateTime<Utc>,
    /// ... until this time (inclusive). Rotation overlaps the old and new keys' windows.
    pub valid_until: DateTime<Utc>,
    /// What the key may sign.
    #[serde(default)]
    pub scope: Scope,
}

impl TrustEntry {
    /// An entry for a native Ed25519 key, valid for `validity` from `valid_from`, any scope.
    pub fn ed25519(
        key: &PublicKey,
        issuer: &str,
        region: &str,
        valid_from: DateTime<Utc>,
        validity: TimeDelta,
    ) -> Self {
        TrustEntry {
            kid: key.kid(),
            algorithm: KeyAlgorithm::Ed25519,
            public_key: key.to_bytes().to_vec(),
            issuer: issuer.into(),
            region: region.into(),
            valid_from,
            valid_until: valid_from.checked_add_signed(validity).unwrap_or(valid_from),
            scope: Scope::default(),
        }
    }

    /// The Ed25519 key, if this entry holds one.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlg`] for an entry of another algorithm; [`Error::Key`] for bytes
    /// that are not an Ed25519 point (never the case for a list that passed validation).
    pub fn ed25519_key(&self) -> Result<PublicKey> {
        if self.algorithm != KeyAlgorithm::Ed25519 {
            return Err(Error::UnsupportedAlg(format!("{:?} (the entry's key is not Ed25519)", self.algorithm)));
        }
        let bytes: [u8; 32] =
            self.public_key.as_slice().try_into().map_err(|_| Error::Key("an Ed25519 key has 32 bytes".into()))?;
        PublicKey::from_bytes(&bytes)
    }

    /// Whether the key may sign a code issued at `at` (`valid_from ≤ at ≤ valid_until`).
    pub fn is_valid_at(&self, at: DateTime<Utc>) -> bool {
        self.valid_from <= at && at <= self.valid_until
    }

    /// Checks the entry's own rules: a kid of 1 to 64 bytes, a well-formed key of its algorithm
    /// (for Ed25519 a valid point whose derived kid is the entry's kid), a non-empty issuer and
    /// region, a validity window that ends after it starts, and no empty scope list.
    ///
    /// # Errors
    /// [`Error::List`] naming the rule broken, or [`Error::TooLarge`] for an over-long text.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        let bad = |detail: &str| Err(list_error(ENTRY, format!("kid {}: {detail}", self.kid)));
        if self.kid.as_bytes().len() > MAX_KID_LEN {
            return bad("the kid must have 1 to 64 bytes");
        }
        match self.algorithm {
            KeyAlgorithm::Ed25519 => {
                let Ok(key) = self.ed25519_key() else {
                    return bad("the Ed25519 key is not 32 bytes of a valid curve point");
                };
                if key.kid() != self.kid {
                    return bad("the kid is not the Ed25519 key's kid (first 8 bytes of its SHA-256)");
                }
            }
            KeyAlgorithm::Es256 | KeyAlgorithm::Ps256 => {
                if !is_der_sequence(&self.public_key) {
                    return bad("the key is not a DER SubjectPublicKeyInfo of at most 2048 bytes");
                }
            }
        }
        for text in [&self.issuer, &self.region] {
            if text.is_empty() {
                return bad("issuer and region must not be empty");
            }
            if text.len() > limits.max_text_string_len {
                return Err(Error::TooLarge { what: "list text", limit: limits.max_text_string_len });
            }
        }
        if self.valid_until <= self.valid_from {
            return bad("valid_until must be after valid_from");
        }
        let s = &self.scope;
        if s.kinds.as_ref().is_some_and(Vec::is_empty)
            || s.colours.as_ref().is_some_and(Vec::is_empty)
            || s.regions.as_ref().is_some_and(Vec::is_empty)
        {
            return bad("a scope list is empty: leave it out to allow any, or name what is allowed");
        }
        if s.regions.iter().flatten().any(|r| r.is_empty() || r.len() > limits.max_text_string_len) {
            return bad("a scope region is empty or too long");
        }
        Ok(())
    }

    pub(super) fn to_value(&self) -> Value {
        let scope = MapBuilder::default()
            .opt(1, self.scope.kinds.as_ref().map(|k| Value::Array(k.iter().map(|k| k.code().into()).collect())))
            .opt(2, self.scope.colours.as_ref().map(|c| Value::Array(c.iter().map(|c| c.code().into()).collect())))
            .opt(3, self.scope.regions.as_ref().map(|r| Value::Array(r.iter().map(|r| r.as_str().into()).collect())))
            .opt(4, self.scope.revocation.then_some(true))
            .build();
        MapBuilder::default()
            .put(1, self.kid.as_bytes().to_vec())
            .put(2, self.algorithm.cose_id())
            .put(3, self.public_key.clone())
            .put(4, self.issuer.as_str())
            .put(5, self.region.as_str())
            .put(6, self.valid_from.timestamp())
            .put(7, self.valid_until.timestamp())
            .put(8, scope)
            .build()
    }

    pub(super) fn from_value(value: Value, limits: &Limits) -> Result<Self> {
        let mut f = ListFields::new(value, ENTRY)?;
        let kid =
            Kid::new(f.bytes(1, "kid")?).ok_or_else(|| list_error(ENTRY, "kid : the kid must have 1 to 64 bytes"))?;
        let alg = f.need(2, "algorithm")?;
        let algorithm = alg
            .as_integer()
            .and_then(|i| i64::try_from(i).ok())
            .and_then(KeyAlgorithm::from_cose_id)
            .ok_or_else(|| list_error(ENTRY, "unknown algorithm"))?;
        let public_key = f.bytes(3, "public key")?;
        if public_key.len() > MAX_PUBLIC_KEY_LEN {
            return Err(Error::TooLarge { what: "trust list public key", limit: MAX_PUBLIC_KEY_LEN });
        }
        let issuer = f.text(4, "issuer", limits)?;
        let region = f.text(5, "region", limits)?;
        let valid_from = f.time(6, "valid_from")?;
        let valid_until = f.time(7, "valid_until")?;
        let scope = scope_from_value(f.need(8, "scope")?, limits)?;
        f.finish()?;
        let entry = TrustEntry { kid, algorithm, public_key, issuer, region, valid_from, valid_until, scope };
        entry.validate(limits)?;
        Ok(entry)
    }
}

fn scope_from_value(value: Value, limits: &Limits) -> Result<Scope> {
    let mut f = ListFields::new(value, ENTRY)?;
    let code = |v: &Value| v.as_integer().and_then(|i| u64::try_from(i).ok());
    let kinds = f
        .array(1, "scope kinds")?
        .map(|items| {
            items
                .iter()
                .map(|v| code(v).and_then(KindName::from_code).ok_or_else(|| list_error(ENTRY, "unknown scope kind")))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    let colours = f
        .array(2, "scope colours")?
        .map(|items| {
            items
                .iter()
                .map(|v| code(v).and_then(Colour::from_code).ok_or_else(|| list_error(ENTRY, "unknown scope colour")))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    let regions = f
        .array(3, "scope regions")?
        .map(|items| {
            items.into_iter().map(|v| envelope::value_to_text(v, ENTRY, "scope region", limits)).collect::<Result<_>>()
        })
        .transpose()?;
    let revocation = match f.take(4) {
        None => false,
        Some(Value::Bool(true)) => true,
        Some(_) => return Err(list_error(ENTRY, "scope revocation must be `true` or left out")),
    };
    f.finish()?;
    Ok(Scope { kinds, colours, regions, revocation })
}

/// Whether `bytes` is exactly one DER SEQUENCE (the outer shape of a SubjectPublicKeyInfo).
pub(super) fn is_der_sequence(bytes: &[u8]) -> bool {
    if bytes.len() > MAX_PUBLIC_KEY_LEN {
        return false;
    }
    let (Some(0x30), Some(&first)) = (bytes.first().copied(), bytes.get(1)) else {
        return false;
    };
    let (header, len) = match first {
        0..=0x7f => (2, usize::from(first)),
        0x81 => (3, bytes.get(2).map_or(0, |&b| usize::from(b))),
        0x82 => (
            4,
            match (bytes.get(2), bytes.get(3)) {
                (Some(&hi), Some(&lo)) => usize::from(hi) << 8 | usize::from(lo),
                _ => return false,
            },
        ),
        _ => return false,
    };
    len > 0 && header + len == bytes.len()
}
