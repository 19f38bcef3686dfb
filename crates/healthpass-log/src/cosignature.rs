//! Witness cosignatures (`c2sp.org/tlog-cosignature`, Ed25519 `cosignature/v1`) and the k-of-n
//! policy under which a client trusts a checkpoint.
//!
//! A cosignature line is `— <witness> base64(key id || u64 timestamp || Ed25519 signature)`,
//! signing `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint text.

use ed25519_dalek::{Signer as _, SigningKey};

use crate::error::{Error, Result};
use crate::limits::MAX_WITNESSES;
use crate::note::{Note, NoteSignature, TYPE_COSIGNATURE, VerifierKey, check_key_name, check_text, key_id};

/// The largest timestamp a cosignature may carry (2^63 - 1).
pub const MAX_TIMESTAMP: u64 = i64::MAX as u64;

/// The message a witness signs for a checkpoint text at `timestamp`.
#[must_use]
pub fn cosigned_message(checkpoint_text: &str, timestamp: u64) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_text}")
}

/// A witness key that cosigns checkpoints. The secret zeroizes on drop.
#[derive(Clone)]
pub struct Cosigner {
    name: String,
    key: SigningKey,
}

impl core::fmt::Debug for Cosigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Cosigner").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Cosigner {
    /// A cosigner from its name and 32-byte Ed25519 seed.
    ///
    /// # Errors
    /// [`Error::Note`] for a bad key name.
    pub fn new(name: &str, seed: &[u8; 32]) -> Result<Self> {
        check_key_name(name)?;
        Ok(Self { name: name.to_owned(), key: SigningKey::from_bytes(seed) })
    }

    /// The verifier key (type 0x04) to put in a [`WitnessPolicy`].
    #[must_use]
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey::cosignature(&self.name, self.key.verifying_key())
    }

    /// Cosigns checkpoint text at `timestamp` (unix seconds). A real witness first checks that
    /// the checkpoint is consistent with the largest one it has seen for that log.
    ///
    /// # Errors
    /// [`Error::Note`] for text that is not note text; [`Error::Checkpoint`] for a timestamp
    /// past 2^63 - 1.
    pub fn cosign(&self, checkpoint_text: &str, timestamp: u64) -> Result<NoteSignature> {
        check_text(checkpoint_text)?;
        if timestamp > MAX_TIMESTAMP {
            return Err(Error::Checkpoint("cosignature timestamp past 2^63 - 1"));
        }
        let sig = self.key.sign(cosigned_message(checkpoint_text, timestamp).as_bytes());
        let mut bytes = timestamp.to_be_bytes().to_vec();
        bytes.extend_from_slice(&sig.to_bytes());
        Ok(NoteSignature {
            name: self.name.clone(),
            key_id: key_id(&self.name, TYPE_COSIGNATURE, self.key.verifying_key().as_bytes()),
            signature: bytes,
        })
    }
}

/// Which witnesses a client trusts, and how many of them must cosign: k of n.
#[derive(Debug, Clone, Default)]
pub struct WitnessPolicy {
    witnesses: Vec<VerifierKey>,
    threshold: usize,
    max_future_skew: u64,
}

impl WitnessPolicy {
    /// No witnesses required: the log's signature alone.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// `threshold` of `witnesses` (cosignature keys, type 0x04) must cosign. Cosignatures more
    /// than `max_future_skew` seconds in the future do not count.
    ///
    /// # Errors
    /// [`Error::VerifierKey`] when a key is not a cosignature key, two witnesses share a name, or
    /// the threshold is 0 or above the number of witnesses; [`Error::TooLarge`] past
    /// [`MAX_WITNESSES`].
    pub fn new(witnesses: Vec<VerifierKey>, threshold: usize, max_future_skew: u64) -> Result<Self> {
        if witnesses.len() > MAX_WITNESSES {
            return Err(Error::TooLarge { what: "witnesses", limit: MAX_WITNESSES });
        }
        if witnesses.iter().any(|w| w.sig_type() != TYPE_COSIGNATURE) {
            return Err(Error::VerifierKey("a witness key must be a cosignature (type 0x04) key"));
        }
        for (i, w) in witnesses.iter().enumerate() {
            if witnesses.iter().skip(i + 1).any(|o| o.name() == w.name()) {
                return Err(Error::VerifierKey("two witnesses share a name"));
            }
        }
        if threshold == 0 || threshold > witnesses.len() {
            return Err(Error::VerifierKey("threshold must be between 1 and the number of witnesses"));
        }
        Ok(Self { witnesses, threshold, max_future_skew })
    }

    /// The number of cosignatures required.
    #[must_use]
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// Checks the cosignatures on a note whose text is a checkpoint; returns the witnesses that
    /// cosigned with their timestamps.
    ///
    /// # Errors
    /// [`Error::BadSignature`] when a known witness's cosignature fails; [`Error::Quorum`] when
    /// fewer than the threshold of distinct witnesses cosigned.
    pub fn check(&self, note: &Note, now: u64) -> Result<Vec<(String, u64)>> {
        let mut cosigners: Vec<(String, u64)> = Vec::new();
        for sig in note.signatures() {
            let Some(key) = self.witnesses.iter().find(|k| k.matches(sig)) else { continue };
            let (ts, ed) =
                sig.signature.split_first_chunk::<8>().ok_or_else(|| Error::BadSignature(key.name().to_owned()))?;
            let timestamp = u64::from_be_bytes(*ts);
            if timestamp > MAX_TIMESTAMP {
                return Err(Error::BadSignature(key.name().to_owned()));
            }
            let msg = cosigned_message(note.text_unverified(), timestamp);
            key.verify_raw(msg.as_bytes(), ed)?;
            if timestamp > now.saturating_add(self.max_future_skew) {
                continue;
            }
            if !cosigners.iter().any(|(name, _)| name == key.name()) {
                cosigners.push((key.name().to_owned(), timestamp));
            }
        }
        if cosigners.len() < self.threshold {
            return Err(Error::Quorum { valid: cosigners.len(), required: self.threshold });
        }
        Ok(cosigners)
    }
}
