//! A holder's history: the entries about them, each proven in a witnessed checkpoint.
//!
//! A holder keeps, with every code, the entry bytes and a tlog-proof (the issuer returns both).
//! [`verify_history`] checks each one — the entry decodes, it is about this holder, and it is
//! in a checkpoint the holder's policy trusts — and returns the decisions in time order: the
//! evidence behind "why did my code change colour?".

use crate::checkpoint::CheckpointVerifier;
use crate::commitment::HolderSecret;
use crate::entry::DecisionEntry;
use crate::error::{Error, Result};
use crate::hash::leaf_hash;
use crate::tlog_proof::TlogProof;

/// One verified decision about the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// The entry's index in the log.
    pub index: u64,
    /// The decision.
    pub entry: DecisionEntry,
    /// The size of the checkpoint that proves it.
    pub checkpoint_size: u64,
    /// The witnesses that cosigned that checkpoint.
    pub witnesses: Vec<String>,
}

/// Verifies a holder's kept entries and proofs; returns them sorted by decision time, then
/// index.
///
/// # Errors
/// [`Error::Entry`] for bytes that are not an entry; [`Error::EntryField`] (field `subject`)
/// for an entry that is not about this holder; the proof's and checkpoint's errors otherwise.
pub fn verify_history(
    holder: &HolderSecret,
    kept: &[(Vec<u8>, TlogProof)],
    verifier: &CheckpointVerifier,
    now: u64,
) -> Result<Vec<HistoryItem>> {
    let mut items = Vec::with_capacity(kept.len());
    for (bytes, proof) in kept {
        let entry = DecisionEntry::decode(bytes)?;
        if !holder.is_about_me(&entry) {
            return Err(Error::EntryField { field: "subject", reason: "the entry is not about this holder" });
        }
        let checkpoint = proof.verify(&leaf_hash(bytes), verifier, now)?;
        items.push(HistoryItem {
            index: proof.index,
            entry,
            checkpoint_size: checkpoint.size(),
            witnesses: checkpoint.cosigners().iter().map(|(name, _)| name.clone()).collect(),
        });
    }
    items.sort_by_key(|item| (item.entry.time, item.index));
    Ok(items)
}
