//! Salted commitments to the subject's pseudonym and to the evidence, the credential id hash,
//! and the holder's check "is this entry about me".
//!
//! A commitment is `HMAC-SHA256(key = salt, domain || 0x00 || value)` (scheme 1, the default)
//! or `SHA-256(domain || 0x00 || salt || value)` (scheme 2), with a 32-byte random salt. The
//! issuer keeps the salt (and gives it to the holder with the code); deleting the salts
//! (crypto-shredding) leaves commitments that reveal nothing, while the tree stays verifiable.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::entry::DecisionEntry;
use crate::error::{Error, Result};

const SUBJECT_DOMAIN: &[u8] = b"healthpass-log/v1/subject";
const EVIDENCE_DOMAIN: &[u8] = b"healthpass-log/v1/evidence";
const CREDENTIAL_DOMAIN: &[u8] = b"healthpass-log/v1/credential-id";

/// How a commitment is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scheme {
    /// `HMAC-SHA256(salt, domain || 0x00 || value)`.
    #[default]
    HmacSha256 = 1,
    /// `SHA-256(domain || 0x00 || salt || value)`.
    Sha256 = 2,
}

impl Scheme {
    pub(crate) fn from_u8(b: u8) -> Option<Self> {
        match b {
            1 => Some(Self::HmacSha256),
            2 => Some(Self::Sha256),
            _ => None,
        }
    }
}

/// A 32-byte commitment salt; zeroized on drop, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Salt(Zeroizing<[u8; 32]>);

impl core::fmt::Debug for Salt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Salt(..)")
    }
}

impl Salt {
    /// A salt from its bytes.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh random salt.
    ///
    /// # Errors
    /// [`Error::Random`] when the operating system has no randomness.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| Error::Random)?;
        Ok(Self(bytes))
    }

    /// The salt's bytes (to store or hand to the holder).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

fn commit(scheme: Scheme, salt: &Salt, domain: &[u8], value: &[u8]) -> [u8; 32] {
    match scheme {
        Scheme::HmacSha256 => {
            // HMAC accepts keys of any length, so this never fails; fall back to scheme 2's
            // construction rather than panic if it ever did.
            match <Hmac<Sha256> as KeyInit>::new_from_slice(salt.as_bytes()) {
                Ok(mut mac) => {
                    mac.update(domain);
                    mac.update(&[0]);
                    mac.update(value);
                    mac.finalize().into_bytes().into()
                }
                Err(_) => commit(Scheme::Sha256, salt, domain, value),
            }
        }
        Scheme::Sha256 => {
            let mut h = Sha256::new();
            h.update(domain);
            h.update([0]);
            h.update(salt.as_bytes());
            h.update(value);
            h.finalize().into()
        }
    }
}

/// The commitment to a subject's pseudonym.
///
/// ```
/// use healthpass_log::commitment::{Salt, Scheme, subject_commitment};
/// let salt = Salt::from_bytes([7; 32]);
/// let a = subject_commitment(Scheme::HmacSha256, &salt, b"pseudonym-1");
/// assert_ne!(a, subject_commitment(Scheme::HmacSha256, &salt, b"pseudonym-2"));
/// assert_ne!(a, subject_commitment(Scheme::HmacSha256, &Salt::from_bytes([8; 32]), b"pseudonym-1"));
/// ```
#[must_use]
pub fn subject_commitment(scheme: Scheme, salt: &Salt, pseudonym: &[u8]) -> [u8; 32] {
    commit(scheme, salt, SUBJECT_DOMAIN, pseudonym)
}

/// The commitment to the evidence behind a decision (for example a test result's digest).
#[must_use]
pub fn evidence_commitment(scheme: Scheme, salt: &Salt, evidence: &[u8]) -> [u8; 32] {
    commit(scheme, salt, EVIDENCE_DOMAIN, evidence)
}

/// The credential id hash logged for a code: `SHA-256("healthpass-log/v1/credential-id" || 0x00 || id)`.
/// A scanner that exports the hashes it saw lets an auditor find codes that were never logged.
#[must_use]
pub fn credential_id_hash(credential_id: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CREDENTIAL_DOMAIN);
    h.update([0]);
    h.update(credential_id);
    h.finalize().into()
}

/// What a holder keeps to find the entries about them: their pseudonym and the salts issuers
/// gave them with their codes.
#[derive(Debug, Clone)]
pub struct HolderSecret {
    pseudonym: Zeroizing<Vec<u8>>,
    salts: Vec<Salt>,
}

impl HolderSecret {
    /// A holder secret from the pseudonym and the salts received.
    #[must_use]
    pub fn new(pseudonym: &[u8], salts: Vec<Salt>) -> Self {
        Self { pseudonym: Zeroizing::new(pseudonym.to_vec()), salts }
    }

    /// True when the entry's subject commitment is this holder's under one of the salts.
    #[must_use]
    pub fn is_about_me(&self, entry: &DecisionEntry) -> bool {
        self.salts
            .iter()
            .any(|salt| subject_commitment(entry.scheme, salt, &self.pseudonym) == entry.subject_commitment)
    }
}
