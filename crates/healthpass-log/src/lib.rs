//! A transparency log of health-code decisions.
//!
//! Every colour decision an issuer makes is appended as a [`entry::DecisionEntry`] to an
//! append-only Merkle tree (RFC 9162 hashing), whose state is published as signed C2SP
//! checkpoints, served as C2SP tiles and cosigned by witnesses. Holders check their own
//! entries with inclusion proofs; auditors check that the log never rewrote its past with
//! consistency proofs. Entries hold salted commitments only, never health data or names.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;
pub mod hash;
pub mod proof;
pub mod tree;

pub use error::{Error, Result};
pub mod checkpoint;
pub mod commitment;
pub mod cosignature;
pub mod entry;
pub mod limits;
mod log;
pub mod note;
pub mod store;
pub mod tiles;

pub use log::{Appended, Log, check_extension, check_same_view};
