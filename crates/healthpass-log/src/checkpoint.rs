//! C2SP checkpoints (`c2sp.org/tlog-checkpoint`): the body (origin, tree size, root hash,
//! extension lines), signed by the log's Ed25519 note key, and their verification together
//! with witness cosignatures ([`crate::cosignature`]).

use data_encoding::BASE64;

use crate::cosignature::WitnessPolicy;
use crate::error::{Error, Result};
use crate::hash::Hash;
use crate::limits::MAX_EXTENSION_LINES;
use crate::note::{Note, NoteSigner, VerifierKey, check_text};

/// The text of a checkpoint, parsed but not yet trusted on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointBody {
    /// The log's identity, first line.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The root hash at that size.
    pub root: Hash,
    /// Opaque extension lines (non-empty each).
    pub extensions: Vec<String>,
}

impl CheckpointBody {
    /// Parses checkpoint text: at least three non-empty lines, each ending in a newline.
    ///
    /// ```
    /// use healthpass_log::checkpoint::CheckpointBody;
    /// let body = CheckpointBody::parse("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")?;
    /// assert_eq!(body.size, 5);
    /// # Ok::<(), healthpass_log::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the bad line: empty origin, a size that is not canonical
    /// decimal, a root that is not canonical base64 of 32 bytes, an empty extension line.
    pub fn parse(text: &str) -> Result<Self> {
        check_text(text).map_err(|_| Error::Checkpoint("text must end in a newline, without control characters"))?;
        let mut lines = text.split_terminator('\n');
        let origin = lines.next().filter(|l| !l.is_empty()).ok_or(Error::Checkpoint("empty origin line"))?;
        let size = parse_size(lines.next().ok_or(Error::Checkpoint("no tree size line"))?)?;
        let root = parse_root(lines.next().ok_or(Error::Checkpoint("no root hash line"))?)?;
        let mut extensions = Vec::new();
        for line in lines {
            if line.is_empty() {
                return Err(Error::Checkpoint("empty extension line"));
            }
            if extensions.len() >= MAX_EXTENSION_LINES {
                return Err(Error::TooLarge { what: "checkpoint extension lines", limit: MAX_EXTENSION_LINES });
            }
            extensions.push(line.to_owned());
        }
        Ok(Self { origin: origin.to_owned(), size, root, extensions })
    }

    /// The checkpoint text, each line ending in a newline.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{}\n{}\n", self.origin, self.size, BASE64.encode(&self.root));
        for ext in &self.extensions {
            out.push_str(ext);
            out.push('\n');
        }
        out
    }

    /// Signs the body with the log key, giving a signed note.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] when the body does not reparse to itself (for example an origin
    /// holding a newline).
    pub fn sign(&self, log_key: &NoteSigner) -> Result<Note> {
        let text = self.to_text();
        if Self::parse(&text)? != *self {
            return Err(Error::Checkpoint("body does not round-trip (newline in origin or extension?)"));
        }
        let sig = log_key.sign(&text)?;
        Note::new(&text, vec![sig])
    }
}

fn parse_size(line: &str) -> Result<u64> {
    let canonical = !line.is_empty()
        && line.len() <= 20
        && line.bytes().all(|b| b.is_ascii_digit())
        && (line == "0" || !line.starts_with('0'));
    if !canonical {
        return Err(Error::Checkpoint("tree size is not decimal without leading zeroes"));
    }
    line.parse().map_err(|_| Error::Checkpoint("tree size does not fit 64 bits"))
}

fn parse_root(line: &str) -> Result<Hash> {
    if line.len() != 44 {
        return Err(Error::Checkpoint("root hash is not base64 of 32 bytes"));
    }
    let bytes = BASE64.decode(line.as_bytes()).map_err(|_| Error::Checkpoint("root hash is not base64"))?;
    let root = Hash::try_from(bytes.as_slice()).map_err(|_| Error::Checkpoint("root hash is not 32 bytes"))?;
    if BASE64.encode(&root) != line {
        return Err(Error::Checkpoint("root hash is not canonical base64"));
    }
    Ok(root)
}

/// A checkpoint whose log signature (and witness quorum, if a policy asked for one) verified.
///
/// Only [`CheckpointVerifier::verify`] and the log that signs it construct one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    body: CheckpointBody,
    note: Note,
    cosigners: Vec<(String, u64)>,
}

impl Checkpoint {
    pub(crate) fn from_signed(body: CheckpointBody, note: Note) -> Self {
        Self { body, note, cosigners: Vec::new() }
    }

    /// The verified body.
    #[must_use]
    pub fn body(&self) -> &CheckpointBody {
        &self.body
    }

    /// The log origin.
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.body.origin
    }

    /// The tree size.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.body.size
    }

    /// The root hash.
    #[must_use]
    pub fn root(&self) -> &Hash {
        &self.body.root
    }

    /// Witnesses whose cosignature verified, with their timestamps (unix seconds).
    #[must_use]
    pub fn cosigners(&self) -> &[(String, u64)] {
        &self.cosigners
    }

    /// The signed note, as text to serve at `<prefix>/checkpoint`.
    #[must_use]
    pub fn to_note_text(&self) -> String {
        self.note.to_text()
    }

    /// The signed note.
    #[must_use]
    pub fn note(&self) -> &Note {
        &self.note
    }
}

/// Verifies checkpoints of one log: its origin, its key, and a witness policy.
#[derive(Debug, Clone)]
pub struct CheckpointVerifier {
    origin: String,
    log_key: VerifierKey,
    witnesses: WitnessPolicy,
}

impl CheckpointVerifier {
    /// A verifier for the log `origin` signed by `log_key` (an Ed25519 note key), trusting a
    /// checkpoint only when `witnesses` is satisfied ([`WitnessPolicy::none`] for none).
    #[must_use]
    pub fn new(origin: &str, log_key: VerifierKey, witnesses: WitnessPolicy) -> Self {
        Self { origin: origin.to_owned(), log_key, witnesses }
    }

    /// The log key.
    #[must_use]
    pub fn log_key(&self) -> &VerifierKey {
        &self.log_key
    }

    /// Parses and verifies a signed checkpoint: the log key's signature, the origin, and the
    /// witness quorum. Cosignatures dated after `now + policy skew` do not count.
    ///
    /// # Errors
    /// [`Error::Note`]/[`Error::TooLarge`] for a malformed note; [`Error::MissingSignature`]
    /// when the log key did not sign (for example a checkpoint signed by another key);
    /// [`Error::BadSignature`] for a failed known signature; [`Error::Checkpoint`] for a bad
    /// body; [`Error::Origin`] for another log; [`Error::Quorum`] for too few witnesses.
    pub fn verify(&self, signed_note: &str, now: u64) -> Result<Checkpoint> {
        let note = Note::parse(signed_note)?;
        let text = note.verify(core::slice::from_ref(&self.log_key))?;
        let body = CheckpointBody::parse(text)?;
        if body.origin != self.origin {
            return Err(Error::Origin);
        }
        let cosigners = self.witnesses.check(&note, now)?;
        Ok(Checkpoint { body, note, cosigners })
    }
}
