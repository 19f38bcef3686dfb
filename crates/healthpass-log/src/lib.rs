//! A transparency log of health-code decisions.
//!
//! Every colour decision an issuer makes is appended as a [`entry::DecisionEntry`] to an
//! append-only Merkle tree (RFC 9162 hashing, [`hash`], [`tree`], [`proof`]), whose state is
//! published as signed C2SP checkpoints ([`note`], [`checkpoint`]), served as C2SP tiles
//! ([`tiles`]) and cosigned by witnesses ([`cosignature`]). Holders find and prove their own
//! entries with inclusion proofs; auditors check with consistency proofs that the log never
//! rewrote its past. Entries hold salted commitments only ([`commitment`]), never health data
//! or names, so deleting the salts (crypto-shredding) leaves a tree that stays verifiable and
//! entries that reveal nothing. Storage is behind [`store::Store`]: SQLite embedded, or
//! PostgreSQL with the `postgres` feature.
//!
//! Around the log: [`group::GroupLog`] shares one log between threads with group commit;
//! [`export`] writes the log as static tlog-tiles files; [`monitor::Monitor`] and
//! [`monitor::Witness`] follow a log and refuse forks and rollbacks; [`tlog_proof`] and
//! [`holder::verify_history`] give a holder offline proofs of their own decisions; [`subtree`]
//! proves subtrees. With the `issuer` feature, `issuer::LoggedIssuer` issues `healthpass` codes
//! through the log (each entry durable before its code is returned) and `issuer::AddRequest`
//! is the signed body issuers send to `healthpass log serve`. Formats and the privacy model:
//! `docs/LOG.md`.
//!
//! The library never reads a clock or the network: times and fetched tiles are inputs.
//!
//! ```
//! use healthpass_log::checkpoint::CheckpointVerifier;
//! use healthpass_log::commitment::{HolderSecret, Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment};
//! use healthpass_log::cosignature::{Cosigner, WitnessPolicy};
//! use healthpass_log::entry::{Actor, Colour, DecisionEntry};
//! use healthpass_log::note::NoteSigner;
//! use healthpass_log::proof::verify_inclusion;
//! use healthpass_log::store::sqlite::SqliteStore;
//! use healthpass_log::Log;
//!
//! // The issuer commits to the holder's pseudonym with a fresh salt, and logs the decision.
//! let salt = Salt::generate()?;
//! let entry = DecisionEntry {
//!     issuer: "cdc.example/district-7".into(),
//!     key_fingerprint: [0x11; 32],
//!     actor: Actor::Officer("officer-0042".into()),
//!     colour: Colour::Yellow,
//!     reasons: vec!["travel.risk-area".into()],
//!     time: 1_655_000_000,
//!     credential_id_hash: credential_id_hash(b"credential-123"),
//!     scheme: Scheme::HmacSha256,
//!     subject_commitment: subject_commitment(Scheme::HmacSha256, &salt, b"holder pseudonym"),
//!     evidence_commitment: evidence_commitment(Scheme::HmacSha256, &salt, b"digest of the evidence"),
//! };
//! # let dir = tempfile::tempdir().map_err(|e| healthpass_log::Error::Store(e.to_string()))?;
//! let store = SqliteStore::open(&dir.path().join("log.sqlite"))?;
//! let mut log = Log::open(store, NoteSigner::new("log.example/health", &[9; 32])?)?;
//! let at = log.append(&[entry])?; // durable before it returns
//! let checkpoint = log.checkpoint()?;
//!
//! // A witness cosigns; the holder trusts the checkpoint only with 1 of its 1 witnesses.
//! let witness = Cosigner::new("witness.example", &[3; 32])?;
//! let mut note = checkpoint.note().clone();
//! note.push_signature(witness.cosign(note.text_unverified(), 1_655_000_100)?);
//! let policy = WitnessPolicy::new(vec![witness.verifier()], 1, 300)?;
//! let verifier = CheckpointVerifier::new("log.example/health", log.verifier_key(), policy);
//! let trusted = verifier.verify(&note.to_text(), 1_655_000_100)?;
//!
//! // The holder reads the entry, sees it is about them, and checks its inclusion.
//! let bytes = log.entries(at.first_index, at.first_index + 1)?.remove(0);
//! let read = DecisionEntry::decode(&bytes)?;
//! assert!(HolderSecret::new(b"holder pseudonym", vec![salt]).is_about_me(&read));
//! let proof = log.inclusion_proof(at.first_index, trusted.size())?;
//! verify_inclusion(at.first_index, trusted.size(), &healthpass_log::hash::leaf_hash(&bytes), &proof, trusted.root())?;
//! # Ok::<(), healthpass_log::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod checkpoint;
pub mod commitment;
pub mod cosignature;
pub mod entry;
pub mod error;
pub mod export;
pub mod group;
pub mod hash;
pub mod holder;
#[cfg(feature = "issuer")]
pub mod issuer;
pub mod limits;
mod log;
pub mod monitor;
pub mod note;
pub mod proof;
pub mod store;
pub mod subtree;
pub mod tiles;
pub mod tlog_proof;
pub mod tree;

pub use error::{Error, Result};
pub use log::{Appended, Log, check_extension, check_same_view};
