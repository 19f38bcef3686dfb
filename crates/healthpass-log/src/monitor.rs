//! Following a log: a [`Monitor`] (what an auditor or a holder's app runs) and a [`Witness`]
//! (what cosigns checkpoints). Both keep the last checkpoint they trusted and accept a new one
//! only when it provably extends it, so a log that forks or rolls back is caught.

use crate::checkpoint::{Checkpoint, CheckpointVerifier};
use crate::cosignature::Cosigner;
use crate::error::{Error, Result};
use crate::hash::{Hash, leaf_hash};
use crate::log::{check_extension, check_same_view};
use crate::note::{Note, NoteSignature};
use crate::proof::verify_inclusion;
use crate::tiles::{TILE_WIDTH, TileFetcher, TileId, TileKind, TileReader, decode_bundle};
use crate::tree::{consistency_proof, inclusion_proof, root_at};

/// Follows one log through its tiles, checking each new checkpoint against the last.
#[derive(Debug, Clone)]
pub struct Monitor {
    verifier: CheckpointVerifier,
    latest: Option<Checkpoint>,
}

impl Monitor {
    /// A monitor trusting checkpoints that `verifier` accepts, starting from `trusted` (or
    /// from the first checkpoint it sees).
    #[must_use]
    pub fn new(verifier: CheckpointVerifier, trusted: Option<Checkpoint>) -> Self {
        Self { verifier, latest: trusted }
    }

    /// The last checkpoint accepted.
    #[must_use]
    pub fn latest(&self) -> Option<&Checkpoint> {
        self.latest.as_ref()
    }

    /// Verifies a newly fetched checkpoint, checks with tiles that it extends the last one
    /// (and that the tiles hash to its root), and makes it the latest. Returns the size the
    /// monitor had before, so the caller can read the new entries.
    ///
    /// # Errors
    /// The verifier's errors; [`Error::SplitView`] or [`Error::Inconsistent`] when the log
    /// forked or went back; [`Error::Tile`] when the tiles do not hash to the root.
    pub fn update<F: TileFetcher>(&mut self, note: &str, now: u64, fetcher: F) -> Result<u64> {
        let new = self.verifier.verify(note, now)?;
        let reader = TileReader::new(fetcher, new.size());
        if root_at(&reader, new.size())? != *new.root() {
            return Err(Error::Tile("tiles do not hash to the checkpoint's root"));
        }
        let previous = self.latest.as_ref().map_or(0, Checkpoint::size);
        if let Some(old) = &self.latest {
            check_same_view(old, &new)?;
            if new.size() < old.size() {
                return Err(Error::Inconsistent(format!("size went back from {} to {}", old.size(), new.size())));
            }
            if old.size() > 0 && new.size() > old.size() {
                let proof = consistency_proof(&reader, old.size(), new.size())?;
                check_extension(old, &new, &proof)?;
            }
        }
        self.latest = Some(new);
        Ok(previous)
    }

    /// Reads entries `[start, end)` of the latest checkpoint from entry bundles, checking each
    /// one's inclusion against the checkpoint's root.
    ///
    /// # Errors
    /// [`Error::ProofRequest`] without a checkpoint or past its size; [`Error::Tile`] for a
    /// malformed bundle; [`Error::Proof`] for an entry that is not in the tree.
    pub fn entries<F: TileFetcher>(&self, fetcher: F, start: u64, end: u64) -> Result<Vec<Vec<u8>>> {
        let checkpoint = self.latest.as_ref().ok_or(Error::ProofRequest("no checkpoint yet"))?;
        let size = checkpoint.size();
        if start > end || end > size {
            return Err(Error::ProofRequest("range outside the checkpoint"));
        }
        let reader = TileReader::new(fetcher, size);
        let mut out = Vec::new();
        let mut index = start;
        while index < end {
            let tile = index / TILE_WIDTH;
            let width = (size - tile * TILE_WIDTH).min(TILE_WIDTH) as u16;
            let bundle =
                decode_bundle(&reader_fetch(&reader, TileId { kind: TileKind::Entries, index: tile, width })?, width)?;
            let stop = end.min((tile + 1) * TILE_WIDTH);
            for i in index..stop {
                let offset = usize::try_from(i - tile * TILE_WIDTH).map_err(|_| Error::Tile("offset"))?;
                let data = bundle.get(offset).ok_or(Error::Tile("entry bundle too short"))?;
                let proof = inclusion_proof(&reader, i, size)?;
                verify_inclusion(i, size, &leaf_hash(data), &proof, checkpoint.root())?;
                out.push(data.clone());
            }
            index = stop;
        }
        Ok(out)
    }
}

fn reader_fetch<F: TileFetcher>(reader: &TileReader<F>, id: TileId) -> Result<Vec<u8>> {
    reader.fetcher().fetch(&id)
}

/// A witness for one log: cosigns a checkpoint only when it is consistent with the largest one
/// it cosigned before (C2SP `tlog-witness` semantics, without the HTTP).
#[derive(Debug, Clone)]
pub struct Witness {
    cosigner: Cosigner,
    verifier: CheckpointVerifier,
    latest: Option<Checkpoint>,
}

impl Witness {
    /// A witness signing with `cosigner` for the log that `verifier` checks (its policy should
    /// require no witnesses).
    #[must_use]
    pub fn new(cosigner: Cosigner, verifier: CheckpointVerifier) -> Self {
        Self { cosigner, verifier, latest: None }
    }

    /// Checks a checkpoint and the consistency proof from the witness's last one, then cosigns
    /// it at `now`. The first checkpoint is trusted on first use.
    ///
    /// # Errors
    /// The verifier's errors; [`Error::SplitView`] or [`Error::Inconsistent`] for a checkpoint
    /// that does not extend the last one cosigned (nothing is signed).
    pub fn cosign(&mut self, note: &str, proof: &[Hash], now: u64) -> Result<NoteSignature> {
        let new = self.verifier.verify(note, now)?;
        if let Some(old) = &self.latest {
            check_extension(old, &new, proof)?;
        }
        let parsed = Note::parse(note)?;
        let signature = self.cosigner.cosign(parsed.text_unverified(), now)?;
        self.latest = Some(new);
        Ok(signature)
    }

    /// The last checkpoint cosigned.
    #[must_use]
    pub fn latest(&self) -> Option<&Checkpoint> {
        self.latest.as_ref()
    }
}
