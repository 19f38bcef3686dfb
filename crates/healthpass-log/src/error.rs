//! The one public error type of the crate.

use thiserror::Error;

/// Everything that can go wrong in this crate. Each variant names the step that failed.
///
/// Messages never echo entry contents beyond sizes, indices and key names.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A hash was not 32 bytes long.
    #[error("{what}: a hash must be 32 bytes, got {len}")]
    HashLength {
        /// Which hash.
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// A Merkle proof was refused; `reason` says which check failed.
    #[error("{kind} proof refused: {reason}")]
    Proof {
        /// `inclusion` or `consistency`.
        kind: &'static str,
        /// The failed check.
        reason: &'static str,
    },
    /// A proof was asked for sizes or indices the tree cannot answer.
    #[error("no proof: {0}")]
    ProofRequest(&'static str),
    /// Input is larger than a limit allows.
    #[error("{what} is too large (limit {limit})")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A signed note is malformed.
    #[error("signed note: {0}")]
    Note(&'static str),
    /// A verifier key (vkey) or signer key string is malformed.
    #[error("verifier key: {0}")]
    VerifierKey(&'static str),
    /// A checkpoint body is malformed.
    #[error("checkpoint: {0}")]
    Checkpoint(&'static str),
    /// The note carries no verified signature from the required key.
    #[error("no valid signature by {0}")]
    MissingSignature(String),
    /// A signature by a known key failed to verify.
    #[error("bad signature by {0}")]
    BadSignature(String),
    /// Fewer witnesses than the policy requires cosigned the checkpoint.
    #[error("witness quorum not met: {valid} of {required} required cosignatures")]
    Quorum {
        /// Cosignatures that verified.
        valid: usize,
        /// Cosignatures required.
        required: usize,
    },
    /// The checkpoint names another log.
    #[error("checkpoint origin does not match the log's")]
    Origin,
    /// A tile path or tile contents are malformed.
    #[error("tile: {0}")]
    Tile(&'static str),
    /// A decision entry is malformed; `at` is the byte offset where decoding failed.
    #[error("decision entry at byte {at}: {reason}")]
    Entry {
        /// Byte offset.
        at: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A field of a new decision entry is invalid.
    #[error("decision entry field {field}: {reason}")]
    EntryField {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The storage backend failed (I/O, SQL); the text is the backend's message.
    #[error("store: {0}")]
    Store(String),
    /// A stored entry does not hash to what the tree or a checkpoint says.
    #[error("tampered log: {0}")]
    Tampered(String),
    /// The store holds fewer entries than a checkpoint already signed for it.
    #[error("truncated log: store holds {stored} entries, checkpoint signed for {signed}")]
    Truncated {
        /// Entries in the store.
        stored: u64,
        /// Size of the latest signed checkpoint.
        signed: u64,
    },
    /// Two checkpoints of the same size carry different roots.
    #[error("split view: two checkpoints of size {size} with different roots")]
    SplitView {
        /// The tree size of both checkpoints.
        size: u64,
    },
    /// A newer checkpoint does not extend an older one.
    #[error("inconsistent checkpoints: {0}")]
    Inconsistent(String),
    /// A random number could not be drawn from the operating system.
    #[error("random source unavailable")]
    Random,
}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;
