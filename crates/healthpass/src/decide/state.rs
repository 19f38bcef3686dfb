//! The scanner state kept between runs: the newest signed time seen and, per list signer, the
//! highest list sequence seen, so that neither a wound-back clock nor an older list is accepted
//! after a restart.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fs::{Mode, read_bounded, write_atomic};
use crate::trust::keyset::KeyFingerprint;
use crate::{Error, Result};

/// The version a state file carries; a file of another version is refused.
const VERSION: u32 = 1;

/// The highest sequence seen of one signer's revocation lists for one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSequence {
    /// The fingerprint of the key that signed the lists (64 hex digits in JSON).
    pub signer: KeyFingerprint,
    /// The issuer the lists cover; absent for lists covering every issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The highest sequence seen.
    pub sequence: u64,
}

/// What a checkpoint must remember between runs (`docs/TRUST.md`, scanner state): the newest
/// signed time seen (the clock guard) and the highest sequence seen of the trust list and of
/// each signer's revocation lists (so that an older list is refused as `list_rollback`).
///
/// [`crate::decide::Checkpoint::state`] exports it and [`crate::decide::Checkpoint::restore_state`] restores
/// it; [`ScannerState::read_file`] and [`ScannerState::write_file`] keep it in one JSON file,
/// read with a bound and written atomically.
///
/// ```
/// use healthpass::decide::ScannerState;
///
/// let state = ScannerState::from_json(br#"{ "version": 1, "trust_list_sequence": 6 }"#)?;
/// assert_eq!(state.trust_list_sequence, Some(6));
/// assert_eq!(ScannerState::from_json(b"yesterday").unwrap_err().code(), "scanner_state");
/// # Ok::<(), healthpass::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScannerState {
    /// The format version: 1.
    pub version: u32,
    /// The newest signed time seen (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_signed_time: Option<DateTime<Utc>>,
    /// The highest trust-list sequence seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_list_sequence: Option<u64>,
    /// The highest sequence seen per revocation-list signer and scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revocation_lists: Vec<ListSequence>,
}

impl Default for ScannerState {
    fn default() -> Self {
        ScannerState {
            version: VERSION,
            newest_signed_time: None,
            trust_list_sequence: None,
            revocation_lists: Vec::new(),
        }
    }
}

impl ScannerState {
    /// The largest state file read.
    pub const MAX_BYTES: usize = 1024 * 1024;
    /// The most revocation-list signers a state holds.
    pub const MAX_SIGNERS: usize = 4096;

    /// Reads a state from JSON. A text holding only an RFC 3339 time (the clock-state file of
    /// earlier versions) is read as the newest signed time.
    ///
    /// # Errors
    /// [`Error::TooLarge`] over [`Self::MAX_BYTES`]; [`Error::ScannerState`] for anything else
    /// that is not a well-formed state of version 1 (never silently an empty state).
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > Self::MAX_BYTES {
            return Err(Error::TooLarge { what: "scanner state", limit: Self::MAX_BYTES });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8 text"))?;
        if let Ok(time) = DateTime::parse_from_rfc3339(text.trim()) {
            return Ok(ScannerState { newest_signed_time: Some(time.with_timezone(&Utc)), ..Self::default() });
        }
        let state: ScannerState =
            serde_json::from_str(text).map_err(|e| bad(format!("not a scanner state (JSON: {e})")))?;
        state.validate()?;
        Ok(state)
    }

    /// The state as pretty JSON, ending in a newline.
    ///
    /// # Errors
    /// [`Error::ScannerState`] if the state breaks its own rules.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        self.validate()?;
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| bad(e.to_string()))?;
        json.push(b'\n');
        Ok(json)
    }

    /// Reads a state file, refusing one over [`Self::MAX_BYTES`] before reading it.
    ///
    /// # Errors
    /// [`Error::Io`], and those of [`ScannerState::from_json`].
    pub fn read_file(path: &Path) -> Result<Self> {
        Self::from_json(&read_bounded(path, Self::MAX_BYTES, "scanner state")?)
    }

    /// Writes the state file atomically: it is either wholly replaced or left as it was.
    ///
    /// # Errors
    /// Those of [`ScannerState::to_json`] and [`write_atomic`].
    pub fn write_file(&self, path: &Path) -> Result<()> {
        write_atomic(path, &self.to_json()?, Mode::Public)
    }

    /// The highest sequence seen of `signer`'s revocation lists for `issuer`.
    pub fn revocation_sequence(&self, signer: &KeyFingerprint, issuer: Option<&str>) -> Option<u64> {
        self.revocation_lists.iter().find(|l| l.signer == *signer && l.issuer.as_deref() == issuer).map(|l| l.sequence)
    }

    /// Records a revocation list's sequence, keeping the highest per signer and scope.
    pub fn record_revocation(&mut self, signer: KeyFingerprint, issuer: Option<&str>, sequence: u64) {
        match self.revocation_lists.iter_mut().find(|l| l.signer == signer && l.issuer.as_deref() == issuer) {
            Some(held) => held.sequence = held.sequence.max(sequence),
            None => self.revocation_lists.push(ListSequence { signer, issuer: issuer.map(str::to_owned), sequence }),
        }
    }

    /// Records a trust list's sequence, keeping the highest.
    pub fn record_trust_list(&mut self, sequence: u64) {
        self.trust_list_sequence = Some(self.trust_list_sequence.map_or(sequence, |held| held.max(sequence)));
    }

    /// Records a signed time, keeping the newest.
    pub fn record_time(&mut self, signed_time: DateTime<Utc>) {
        self.newest_signed_time = Some(self.newest_signed_time.map_or(signed_time, |held| held.max(signed_time)));
    }

    fn validate(&self) -> Result<()> {
        if self.version != VERSION {
            return Err(bad(format!("version {} (this build reads version {VERSION})", self.version)));
        }
        if self.revocation_lists.len() > Self::MAX_SIGNERS {
            return Err(Error::TooLarge { what: "scanner state signers", limit: Self::MAX_SIGNERS });
        }
        for (i, list) in self.revocation_lists.iter().enumerate() {
            let earlier = self.revocation_lists.iter().take(i);
            if earlier.into_iter().any(|l| l.signer == list.signer && l.issuer == list.issuer) {
                return Err(bad(format!("signer {} is listed twice for one scope", list.signer)));
            }
        }
        Ok(())
    }
}

fn bad(detail: impl Into<String>) -> Error {
    Error::ScannerState(detail.into())
}
