//! What a verifier trusts: plain key sets, signed trust lists (which keys may sign which kinds,
//! colours and regions, for how long) and signed revocation lists (`docs/TRUST.md`).
//!
//! Both lists travel in the same signed envelope (`envelope`): a COSE_Sign1 by an anchor or an
//! issuer, with a sequence number against rollback and a next-update time against staleness.

pub(crate) mod entry;
pub(crate) mod envelope;
pub(crate) mod keyset;
pub(crate) mod list;
pub(crate) mod revocation;

pub use entry::{KeyAlgorithm, KindName, Scope, TrustEntry, claim_regions};
pub use keyset::{KeyFingerprint, KeySet, TrustedKey};
pub use list::{TRUST_LIST_MARKER, TrustList};
pub use revocation::{CredentialHash, REVOCATION_LIST_MARKER, RevocationList, RevokedKey};
