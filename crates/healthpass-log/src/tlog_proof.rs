//! C2SP `tlog-proof` (`c2sp.org/tlog-proof@v1`): a self-contained, offline-verifiable proof
//! that an entry is in the log — index, inclusion proof and the (cosigned) checkpoint in one
//! text, which a holder can keep beside their code.
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! [extra <base64>]
//! index <decimal>
//! <base64 hash>            (zero or more, leaf's sibling first)
//!
//! <signed checkpoint, verbatim>
//! ```

use data_encoding::BASE64;

use crate::checkpoint::{Checkpoint, CheckpointVerifier};
use crate::error::{Error, Result};
use crate::hash::Hash;
use crate::limits::MAX_NOTE_BYTES;
use crate::note::decode_base64;
use crate::proof::{MAX_PROOF_LEN, verify_inclusion};

const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// The largest extra data accepted, in bytes.
pub const MAX_EXTRA_BYTES: usize = 1024;

/// A parsed tlog-proof; nothing in it is trusted until [`TlogProof::verify`] succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data.
    pub extra: Option<Vec<u8>>,
    /// The entry's index.
    pub index: u64,
    /// The inclusion proof.
    pub path: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

fn bad(reason: &'static str) -> Error {
    Error::Proof { kind: "tlog-proof", reason }
}

impl TlogProof {
    /// Parses a tlog-proof strictly.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past the note limit plus 64 hashes; [`Error::Proof`] naming the
    /// malformed line.
    pub fn parse(text: &str) -> Result<Self> {
        let limit = MAX_NOTE_BYTES + MAX_EXTRA_BYTES * 2 + MAX_PROOF_LEN * 45 + 64;
        if text.len() > limit {
            return Err(Error::TooLarge { what: "tlog-proof", limit });
        }
        let (head, checkpoint) = text.split_once("\n\n").ok_or_else(|| bad("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        if lines.next() != Some(HEADER) {
            return Err(bad("first line is not c2sp.org/tlog-proof@v1"));
        }
        let mut line = lines.next().ok_or_else(|| bad("no index line"))?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            if b64.len() > MAX_EXTRA_BYTES.div_ceil(3) * 4 {
                return Err(Error::TooLarge { what: "tlog-proof extra data", limit: MAX_EXTRA_BYTES });
            }
            extra = Some(decode_base64(b64).ok_or_else(|| bad("extra is not canonical base64"))?);
            line = lines.next().ok_or_else(|| bad("no index line"))?;
        }
        let index = line.strip_prefix("index ").ok_or_else(|| bad("no index line"))?;
        let canonical = !index.is_empty()
            && index.len() <= 20
            && index.bytes().all(|b| b.is_ascii_digit())
            && (index == "0" || !index.starts_with('0'));
        if !canonical {
            return Err(bad("index is not a decimal without leading zeroes"));
        }
        let index = index.parse().map_err(|_| bad("index does not fit 64 bits"))?;
        let mut path = Vec::new();
        for line in lines {
            if path.len() >= MAX_PROOF_LEN {
                return Err(bad("more than 64 proof hashes"));
            }
            let bytes = decode_base64(line).ok_or_else(|| bad("proof line is not canonical base64"))?;
            let hash = Hash::try_from(bytes.as_slice()).map_err(|_| bad("proof line is not 32 bytes"))?;
            path.push(hash);
        }
        Ok(Self { extra, index, path, checkpoint: checkpoint.to_owned() })
    }

    /// The proof as text.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER}\n");
        if let Some(extra) = &self.extra {
            out.push_str(&format!("extra {}\n", BASE64.encode(extra)));
        }
        out.push_str(&format!("index {}\n", self.index));
        for hash in &self.path {
            out.push_str(&BASE64.encode(hash));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint);
        out
    }

    /// Verifies the checkpoint (log key, origin, witness quorum) and the inclusion of the leaf
    /// whose hash is `leaf_hash`; returns the verified checkpoint.
    ///
    /// # Errors
    /// The checkpoint verifier's errors; [`Error::Proof`] when the inclusion proof fails.
    pub fn verify(&self, leaf_hash: &Hash, verifier: &CheckpointVerifier, now: u64) -> Result<Checkpoint> {
        let checkpoint = verifier.verify(&self.checkpoint, now)?;
        verify_inclusion(self.index, checkpoint.size(), leaf_hash, &self.path, checkpoint.root())?;
        Ok(checkpoint)
    }
}
