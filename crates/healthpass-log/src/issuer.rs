//! Issuing through the log (feature `issuer`): a [`LoggedIssuer`] signs a `healthpass` code,
//! appends the [`DecisionEntry`] describing it, durably, and only then hands the code out.
//!
//! The entry holds the code's credential id hash, salted commitments to the subject's
//! pseudonym and to a digest of the evidence (a fresh [`Salt`] per code, returned to the
//! caller for the holder and for the issuer's salt table), the signing key's fingerprint, the
//! officer of the code's latest recorded decision (or the automated rule's id), the colour and
//! the reason codes. An issuer whose log cannot append does not issue: the error names the
//! step that failed.
//!
//! Also here: the `POST /add` request body an issuer sends to `healthpass log serve`
//! ([`AddRequest`]), signed with the issuer's code-signing key.

use healthpass::trust::KeyFingerprint;
use healthpass::{Claims, Issuer, PublicKey, SigningKey};
use sha2::{Digest, Sha256};

use crate::commitment::{Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment};
use crate::entry::{Actor, Colour, DecisionEntry};
use crate::error::Error;
use crate::group::GroupLog;
use crate::limits::{MAX_BATCH, MAX_ENTRY_BYTES};
use crate::log::Log;
use crate::store::Store;

/// The step of logged issuance that failed.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The claims could not be signed into a code.
    #[error("issuing: signing the code: {0}")]
    Sign(#[from] healthpass::Error),
    /// The claims could not be turned into a decision entry (an officer id or a reason that
    /// the entry format refuses, a time before 1970, no randomness for the salt).
    #[error("issuing: building the decision entry: {0}")]
    Entry(Error),
    /// The log did not append the entry: the code was not issued.
    #[error("issuing: appending to the log (the code was not issued): {0}")]
    Append(Error),
}

/// Where a [`LoggedIssuer`] appends: anything that stores one entry durably and says at which
/// index.
pub trait DecisionSink {
    /// Appends `entry`, returning its index once it is durable.
    ///
    /// # Errors
    /// Whatever the log fails with; nothing is appended then.
    fn append_entry(&mut self, entry: &DecisionEntry) -> crate::Result<u64>;
}

impl<S: Store> DecisionSink for Log<S> {
    fn append_entry(&mut self, entry: &DecisionEntry) -> crate::Result<u64> {
        Ok(self.append(core::slice::from_ref(entry))?.first_index)
    }
}

impl<S: Store> DecisionSink for &GroupLog<S> {
    fn append_entry(&mut self, entry: &DecisionEntry) -> crate::Result<u64> {
        self.append(entry.clone())
    }
}

/// A store appended to directly, without the log's signing key: what an issuer sharing the
/// log's database runs. The log operator signs checkpoints over what was appended.
#[derive(Debug)]
pub struct StoreSink<S: Store>(
    /// The store appended to.
    pub S,
);

impl<S: Store> DecisionSink for StoreSink<S> {
    fn append_entry(&mut self, entry: &DecisionEntry) -> crate::Result<u64> {
        let encoded = entry.encode()?;
        let size = self.0.size()?;
        self.0.append(size, &[encoded])?;
        Ok(size)
    }
}

/// A code issued through the log.
#[derive(Debug)]
pub struct LoggedCode {
    /// The code's `HP1:` text.
    pub text: String,
    /// The entry's index in the log.
    pub index: u64,
    /// The entry appended.
    pub entry: DecisionEntry,
    /// Its encoding (the Merkle leaf).
    pub entry_bytes: Vec<u8>,
    /// The fresh salt of the entry's commitments: for the holder (to find and prove the entry)
    /// and for the issuer's salt table (deleted to crypto-shred).
    pub salt: Salt,
}

/// An [`Issuer`] that logs every code before returning it.
#[derive(Debug)]
pub struct LoggedIssuer<L: DecisionSink> {
    issuer: Issuer,
    key_fingerprint: [u8; 32],
    rule: String,
    scheme: Scheme,
    sink: L,
}

impl<L: DecisionSink> LoggedIssuer<L> {
    /// An issuer signing with `key` and appending to `sink`; codes without an officer decision
    /// are logged as decided by the automated rule `automated`.
    pub fn new(key: SigningKey, sink: L) -> Self {
        let key_fingerprint = KeyFingerprint::of_ed25519(&key.public_key()).0;
        Self { issuer: Issuer::new(key), key_fingerprint, rule: "automated".into(), scheme: Scheme::default(), sink }
    }

    /// The same issuer naming another automated rule for codes without an officer decision.
    #[must_use]
    pub fn with_rule(mut self, rule: &str) -> Self {
        rule.clone_into(&mut self.rule);
        self
    }

    /// The fingerprint written into every entry (SHA-256 of the raw Ed25519 public key).
    #[must_use]
    pub fn key_fingerprint(&self) -> [u8; 32] {
        self.key_fingerprint
    }

    /// The sink appended to.
    pub fn sink_mut(&mut self) -> &mut L {
        &mut self.sink
    }

    /// Signs `claims`, appends their decision entry durably, and returns the code.
    ///
    /// # Errors
    /// [`IssueError`] naming the step: signing, building the entry, or appending (then no code
    /// is returned).
    pub fn issue(&mut self, claims: &Claims) -> Result<LoggedCode, IssueError> {
        let text = self.issuer.issue(claims)?;
        let salt = Salt::generate().map_err(IssueError::Entry)?;
        let entry =
            decision_entry(claims, self.key_fingerprint, &self.rule, self.scheme, &salt).map_err(IssueError::Entry)?;
        let entry_bytes = entry.encode().map_err(IssueError::Entry)?;
        let index = self.sink.append_entry(&entry).map_err(IssueError::Append)?;
        Ok(LoggedCode { text, index, entry, entry_bytes, salt })
    }
}

/// The decision entry of `claims`, committed with `salt`.
///
/// # Errors
/// [`Error::EntryField`] when a field does not fit the entry format.
pub fn decision_entry(
    claims: &Claims,
    key_fingerprint: [u8; 32],
    rule: &str,
    scheme: Scheme,
    salt: &Salt,
) -> crate::Result<DecisionEntry> {
    let actor = match claims.evidence.decisions.iter().max_by_key(|d| d.at) {
        Some(decision) => Actor::Officer(decision.officer.clone()),
        None => Actor::Rule(rule.to_owned()),
    };
    let colour = match claims.colour {
        healthpass::Colour::Green => Colour::Green,
        healthpass::Colour::Yellow => Colour::Yellow,
        healthpass::Colour::Orange => Colour::Orange,
        healthpass::Colour::Red => Colour::Red,
    };
    let reasons = claims
        .reasons
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(serde_json::Value::String(name)) => Ok(name),
            _ => Err(Error::EntryField { field: "reasons", reason: "a reason has no name" }),
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let time = u64::try_from(claims.issued_at.timestamp())
        .map_err(|_| Error::EntryField { field: "time", reason: "before 1970" })?;
    let evidence = serde_json::to_vec(&claims.evidence)
        .map_err(|_| Error::EntryField { field: "evidence", reason: "does not serialise" })?;
    let mut entry = DecisionEntry {
        issuer: claims.issuer.clone(),
        key_fingerprint,
        actor,
        colour,
        reasons,
        time,
        credential_id_hash: credential_id_hash(&claims.credential_id.0),
        scheme,
        subject_commitment: subject_commitment(scheme, salt, &claims.subject.id.0),
        evidence_commitment: evidence_commitment(scheme, salt, &Sha256::digest(&evidence)),
    };
    entry.normalise();
    entry.validate()?;
    Ok(entry)
}

const ADD_DOMAIN: &[u8] = b"healthpass-log/v1/add\0";
/// The largest `POST /add` body a server reads: a full batch is not needed per request.
pub const MAX_ADD_BODY: usize = 1 << 20;

/// A batch of entries an issuer asks a log server to append, signed with its code-signing key.
///
/// Body: the key's 32-byte fingerprint, the 64-byte Ed25519 signature over
/// `"healthpass-log/v1/add" 0x00 ‖ bundle`, then the bundle (each entry as a big-endian `u16`
/// length and its bytes, as in tlog-tiles entry bundles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRequest {
    /// The fingerprint of the key that signed (and of every entry's `key_fingerprint`).
    pub key_fingerprint: [u8; 32],
    /// The entries, encoded.
    pub entries: Vec<Vec<u8>>,
    signature: [u8; 64],
    bundle: Vec<u8>,
}

impl AddRequest {
    /// Signs `entries` with `key`.
    ///
    /// # Errors
    /// Entry encoding errors; [`Error::TooLarge`] past [`MAX_BATCH`] entries or
    /// [`MAX_ADD_BODY`] bytes.
    pub fn sign(key: &SigningKey, entries: &[DecisionEntry]) -> crate::Result<Vec<u8>> {
        if entries.len() > MAX_BATCH {
            return Err(Error::TooLarge { what: "add batch", limit: MAX_BATCH });
        }
        let encoded = entries.iter().map(DecisionEntry::encode).collect::<crate::Result<Vec<_>>>()?;
        let bundle = crate::tiles::encode_bundle(&encoded)?;
        let mut message = ADD_DOMAIN.to_vec();
        message.extend_from_slice(&bundle);
        let mut body = KeyFingerprint::of_ed25519(&key.public_key()).0.to_vec();
        body.extend_from_slice(&key.sign(&message));
        body.extend_from_slice(&bundle);
        if body.len() > MAX_ADD_BODY {
            return Err(Error::TooLarge { what: "add request", limit: MAX_ADD_BODY });
        }
        Ok(body)
    }

    /// Parses a request body (without checking the signature).
    ///
    /// # Errors
    /// [`Error::TooLarge`] past [`MAX_ADD_BODY`]; [`Error::Entry`] for a truncated body or
    /// bundle.
    pub fn parse(body: &[u8]) -> crate::Result<Self> {
        if body.len() > MAX_ADD_BODY {
            return Err(Error::TooLarge { what: "add request", limit: MAX_ADD_BODY });
        }
        let short = Error::Entry { at: 0, reason: "add request truncated" };
        let (key_fingerprint, rest) = body.split_first_chunk::<32>().ok_or(short)?;
        let (signature, bundle) =
            rest.split_first_chunk::<64>().ok_or(Error::Entry { at: 32, reason: "add request truncated" })?;
        let mut entries = Vec::new();
        let mut tail = bundle;
        while !tail.is_empty() {
            let at = 96 + (bundle.len() - tail.len());
            let truncated = Error::Entry { at, reason: "add bundle truncated" };
            let (len, after) = tail.split_first_chunk::<2>().ok_or(truncated)?;
            let len = usize::from(u16::from_be_bytes(*len));
            if len > MAX_ENTRY_BYTES {
                return Err(Error::TooLarge { what: "bundled entry", limit: MAX_ENTRY_BYTES });
            }
            let entry = after.get(..len).ok_or(Error::Entry { at, reason: "add bundle truncated" })?;
            entries.push(entry.to_vec());
            tail = after.get(len..).unwrap_or(&[]);
            if entries.len() > MAX_BATCH {
                return Err(Error::TooLarge { what: "add batch", limit: MAX_BATCH });
            }
        }
        Ok(Self { key_fingerprint: *key_fingerprint, entries, signature: *signature, bundle: bundle.to_vec() })
    }

    /// Checks the signature with the issuer key among `keys` whose fingerprint the request
    /// names, decodes every entry and checks that each names that key's fingerprint.
    ///
    /// # Errors
    /// [`Error::BadSignature`] for an unknown key or a signature that fails;
    /// [`Error::EntryField`] for an entry of another key; entry decoding errors.
    pub fn verify(&self, keys: &[PublicKey]) -> crate::Result<Vec<DecisionEntry>> {
        let fingerprint = hex_short(&self.key_fingerprint);
        let key = keys
            .iter()
            .find(|k| KeyFingerprint::of_ed25519(k).0 == self.key_fingerprint)
            .ok_or_else(|| Error::BadSignature(format!("unknown issuer key {fingerprint}")))?;
        let mut message = ADD_DOMAIN.to_vec();
        message.extend_from_slice(&self.bundle);
        key.verify_strict(&message, &self.signature)
            .map_err(|_| Error::BadSignature(format!("issuer key {fingerprint}")))?;
        let entries = self.entries.iter().map(|e| DecisionEntry::decode(e)).collect::<crate::Result<Vec<_>>>()?;
        if entries.iter().any(|e| e.key_fingerprint != self.key_fingerprint) {
            return Err(Error::EntryField {
                field: "key_fingerprint",
                reason: "an entry names another key than the one that signed the request",
            });
        }
        Ok(entries)
    }
}

fn hex_short(bytes: &[u8; 32]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
