//! The [`Log`]: appends decision entries in batches, keeps the Merkle tree, signs checkpoints
//! with the log key, serves proofs and tiles, and refuses a store that was tampered with or
//! truncated. [`check_extension`] and [`check_same_view`] are the auditor's and holder's checks
//! between two checkpoints.

use crate::checkpoint::{Checkpoint, CheckpointBody, CheckpointVerifier};
use crate::cosignature::WitnessPolicy;
use crate::entry::DecisionEntry;
use crate::error::{Error, Result};
use crate::hash::{Hash, leaf_hash};
use crate::limits::MAX_BATCH;

/// Entries read per store call while a log opens (about 13 MB of entries).
const OPEN_CHUNK: u64 = 65_536;
use crate::note::{NoteSigner, VerifierKey};
use crate::proof::verify_consistency;
use crate::store::Store;
use crate::tiles::{TileId, TileKind, encode_bundle, tile_data};
use crate::tlog_proof::TlogProof;
use crate::tree::{MerkleTree, PerfectNodes, consistency_proof, inclusion_proof, root_at};

/// Where a batch landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// Index of the batch's first entry.
    pub first_index: u64,
    /// The tree size after the batch.
    pub size: u64,
}

/// A transparency log over a [`Store`].
///
/// ```
/// use healthpass_log::{Log, store::memory::MemoryStore, note::NoteSigner};
/// # use healthpass_log::{entry::*, commitment::*};
/// # let entry = DecisionEntry { issuer: "issuer.example".into(), key_fingerprint: [1; 32],
/// #     actor: Actor::Rule("rule-7".into()), colour: Colour::Yellow, reasons: vec!["fever".into()],
/// #     time: 1_700_000_000, credential_id_hash: credential_id_hash(b"c1"), scheme: Scheme::HmacSha256,
/// #     subject_commitment: [2; 32], evidence_commitment: [3; 32] };
/// let signer = NoteSigner::new("log.example/health", &[9; 32])?;
/// let mut log = Log::open(MemoryStore::new(), signer)?;
/// let at = log.append(&[entry.clone()])?;
/// let checkpoint = log.checkpoint()?;
/// let proof = log.inclusion_proof(at.first_index, checkpoint.size())?;
/// healthpass_log::proof::verify_inclusion(
///     at.first_index, checkpoint.size(), &Log::<MemoryStore>::leaf_hash_of(&entry)?, &proof, checkpoint.root())?;
/// # Ok::<(), healthpass_log::Error>(())
/// ```
#[derive(Debug)]
pub struct Log<S: Store> {
    store: S,
    tree: MerkleTree,
    signer: NoteSigner,
    latest: Option<Checkpoint>,
}

impl<S: Store> Log<S> {
    /// Opens a log: reads every stored entry, checks that each decodes, rebuilds the tree, and
    /// checks the latest stored checkpoint against it. The log's origin is the signer's name.
    ///
    /// # Errors
    /// [`Error::Truncated`] when the store holds fewer entries than the latest checkpoint;
    /// [`Error::Tampered`] when an entry does not decode or the entries do not hash to the
    /// checkpoint's root, or the checkpoint's signature fails; [`Error::MissingSignature`]
    /// when the stored checkpoint was signed by another key; [`Error::Store`] on a backend error.
    pub fn open(mut store: S, signer: NoteSigner) -> Result<Self> {
        let size = store.size()?;
        let mut tree = MerkleTree::new();
        let mut start = 0u64;
        while start < size {
            let end = size.min(start.saturating_add(OPEN_CHUNK));
            for (offset, data) in store.read_range(start, end)?.iter().enumerate() {
                let index = start + offset as u64;
                DecisionEntry::decode(data)
                    .map_err(|e| Error::Tampered(format!("entry {index} does not decode: {e}")))?;
                tree.push(leaf_hash(data));
            }
            start = end;
        }
        let mut log = Self { store, tree, signer, latest: None };
        if let Some(note) = log.store.latest_checkpoint()? {
            let verifier = CheckpointVerifier::new(log.signer.name(), log.signer.verifier(), WitnessPolicy::none());
            let checkpoint = verifier.verify(&note, 0).map_err(|e| match e {
                Error::BadSignature(who) => Error::Tampered(format!("stored checkpoint's signature by {who} fails")),
                other => other,
            })?;
            log.check_own(&checkpoint)?;
            log.latest = Some(checkpoint);
        }
        Ok(log)
    }

    /// The leaf hash of an entry as this log computes it.
    ///
    /// # Errors
    /// [`Error::EntryField`] for an entry that does not encode.
    pub fn leaf_hash_of(entry: &DecisionEntry) -> Result<Hash> {
        Ok(leaf_hash(&entry.encode()?))
    }

    fn check_own(&self, checkpoint: &Checkpoint) -> Result<()> {
        let size = self.tree.size();
        if checkpoint.size() > size {
            return Err(Error::Truncated { stored: size, signed: checkpoint.size() });
        }
        if root_at(&self.tree, checkpoint.size())? != *checkpoint.root() {
            return Err(Error::Tampered(format!(
                "stored entries do not hash to the signed root at size {}",
                checkpoint.size()
            )));
        }
        Ok(())
    }

    /// Appends a batch of entries durably; returns where it landed. Either the whole batch is
    /// stored and in the tree, or none of it.
    ///
    /// # Errors
    /// [`Error::EntryField`] for an entry that does not encode (nothing is appended);
    /// [`Error::TooLarge`] past [`MAX_BATCH`]; [`Error::Store`] when the store refuses.
    pub fn append(&mut self, entries: &[DecisionEntry]) -> Result<Appended> {
        if entries.len() > MAX_BATCH {
            return Err(Error::TooLarge { what: "append batch", limit: MAX_BATCH });
        }
        let encoded = entries.iter().map(DecisionEntry::encode).collect::<Result<Vec<_>>>()?;
        let first_index = self.tree.size();
        for data in &encoded {
            self.tree.push(leaf_hash(data));
        }
        match self.store.append(first_index, &encoded) {
            Ok(size) if size == self.tree.size() => Ok(Appended { first_index, size }),
            Ok(size) => {
                self.tree.truncate(first_index);
                Err(Error::Store(format!("store reports size {size} after append, tree has more")))
            }
            Err(e) => {
                self.tree.truncate(first_index);
                Err(e)
            }
        }
    }

    /// Reads entries that reached the store without passing through this `Log` (another
    /// writer, or a commit whose acknowledgement was lost) into the tree; returns the new size.
    ///
    /// # Errors
    /// [`Error::Truncated`] when the store now holds fewer entries than the tree;
    /// [`Error::Tampered`] for an entry that does not decode; [`Error::Store`].
    pub fn resync(&mut self) -> Result<u64> {
        let size = self.store.size()?;
        let mut start = self.tree.size();
        if size < start {
            return Err(Error::Truncated { stored: size, signed: start });
        }
        while start < size {
            let end = size.min(start.saturating_add(OPEN_CHUNK));
            let chunk = self.store.read_range(start, end)?;
            let mut hashes = Vec::with_capacity(chunk.len());
            for (offset, data) in chunk.iter().enumerate() {
                let index = start + offset as u64;
                DecisionEntry::decode(data)
                    .map_err(|e| Error::Tampered(format!("entry {index} does not decode: {e}")))?;
                hashes.push(leaf_hash(data));
            }
            for hash in hashes {
                self.tree.push(hash);
            }
            start = end;
        }
        Ok(size)
    }

    /// Signs and records a checkpoint of the current tree.
    ///
    /// # Errors
    /// [`Error::Store`] when it cannot be recorded.
    pub fn checkpoint(&mut self) -> Result<Checkpoint> {
        let body = CheckpointBody {
            origin: self.signer.name().to_owned(),
            size: self.tree.size(),
            root: self.tree.root(),
            extensions: Vec::new(),
        };
        let note = body.sign(&self.signer)?;
        self.store.put_checkpoint(body.size, &note.to_text())?;
        let checkpoint = Checkpoint::from_signed(body, note);
        self.latest = Some(checkpoint.clone());
        Ok(checkpoint)
    }

    /// The latest signed checkpoint.
    #[must_use]
    pub fn latest_checkpoint(&self) -> Option<&Checkpoint> {
        self.latest.as_ref()
    }

    /// The log's origin (its key name).
    #[must_use]
    pub fn origin(&self) -> &str {
        self.signer.name()
    }

    /// The verifier key to publish for this log.
    #[must_use]
    pub fn verifier_key(&self) -> VerifierKey {
        self.signer.verifier()
    }

    /// The number of entries.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.tree.size()
    }

    /// The root hash at `size`.
    ///
    /// # Errors
    /// [`Error::ProofRequest`] when `size` exceeds the log.
    pub fn root_at(&self, size: u64) -> Result<Hash> {
        root_at(&self.tree, size)
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries.
    ///
    /// # Errors
    /// [`Error::ProofRequest`] when `index >= size` or `size` exceeds the log.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>> {
        inclusion_proof(&self.tree, index, size)
    }

    /// A C2SP tlog-proof of entry `index` against the latest checkpoint (whose note text,
    /// with any cosignatures added since, is `checkpoint_note`, or the log's own if `None`).
    ///
    /// # Errors
    /// [`Error::ProofRequest`] when there is no checkpoint yet or it does not cover `index`.
    pub fn tlog_proof(&self, index: u64, checkpoint_note: Option<&str>) -> Result<TlogProof> {
        let latest = self.latest.as_ref().ok_or(Error::ProofRequest("no checkpoint signed yet"))?;
        let path = inclusion_proof(&self.tree, index, latest.size())?;
        let checkpoint = checkpoint_note.map_or_else(|| latest.to_note_text(), str::to_owned);
        Ok(TlogProof { extra: None, index, path, checkpoint })
    }

    /// The consistency proof from `size1` to `size2`.
    ///
    /// # Errors
    /// [`Error::ProofRequest`] unless `0 < size1 <= size2 <= size`.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>> {
        consistency_proof(&self.tree, size1, size2)
    }

    /// The entries `[start, end)` as stored (encoded).
    ///
    /// # Errors
    /// [`Error::Store`] for a range outside the log.
    pub fn entries(&mut self, start: u64, end: u64) -> Result<Vec<Vec<u8>>> {
        self.store.read_range(start, end)
    }

    /// The bytes of a tile (hashes from the tree, entry bundles from the store).
    ///
    /// # Errors
    /// [`Error::Tile`] or [`Error::ProofRequest`] for a tile outside the log.
    pub fn tile(&mut self, tile: &TileId) -> Result<Vec<u8>> {
        match tile.kind {
            TileKind::Hashes(_) => tile_data(&self.tree, tile),
            TileKind::Entries => {
                let start = tile.index.checked_mul(256).ok_or(Error::Tile("tile index too large"))?;
                let end = start.saturating_add(u64::from(tile.width));
                if end > self.tree.size() {
                    return Err(Error::Tile("entry bundle beyond the log"));
                }
                encode_bundle(&self.store.read_range(start, end)?)
            }
        }
    }

    /// Compares a checkpoint seen elsewhere (from a witness, a holder, a gossip peer) with this
    /// log's tree.
    ///
    /// # Errors
    /// [`Error::Origin`] for another log; [`Error::Inconsistent`] when it is ahead of this log;
    /// [`Error::SplitView`] when its root is not this log's root at its size.
    pub fn check_checkpoint(&self, other: &Checkpoint) -> Result<()> {
        if other.origin() != self.origin() {
            return Err(Error::Origin);
        }
        if other.size() > self.tree.size() {
            return Err(Error::Inconsistent(format!(
                "checkpoint of size {} is ahead of the log's {}",
                other.size(),
                self.tree.size()
            )));
        }
        if root_at(&self.tree, other.size())? != *other.root() {
            return Err(Error::SplitView { size: other.size() });
        }
        Ok(())
    }

    /// The underlying store.
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }
}

/// Checks that two verified checkpoints of one log show the same view: same size means the
/// same root.
///
/// # Errors
/// [`Error::Origin`] for two logs; [`Error::SplitView`] for equal sizes with different roots.
pub fn check_same_view(a: &Checkpoint, b: &Checkpoint) -> Result<()> {
    if a.origin() != b.origin() {
        return Err(Error::Origin);
    }
    if a.size() == b.size() && a.root() != b.root() {
        return Err(Error::SplitView { size: a.size() });
    }
    Ok(())
}

/// Checks that `newer` extends `older` with a consistency proof (what an auditor does between
/// the checkpoints it follows).
///
/// # Errors
/// [`Error::SplitView`] for equal sizes with different roots; [`Error::Inconsistent`] when
/// `newer` is smaller or the proof fails; [`Error::Origin`] for two logs.
pub fn check_extension<P: AsRef<[u8]>>(older: &Checkpoint, newer: &Checkpoint, proof: &[P]) -> Result<()> {
    check_same_view(older, newer)?;
    if newer.size() < older.size() {
        return Err(Error::Inconsistent(format!("size went back from {} to {}", older.size(), newer.size())));
    }
    if older.size() == 0 {
        return Ok(());
    }
    verify_consistency(older.size(), newer.size(), older.root(), newer.root(), proof)
        .map_err(|e| Error::Inconsistent(e.to_string()))
}
