//! The store and log test suite that every store passes, written once over a [`Harness`].

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_log::checkpoint::{CheckpointBody, CheckpointVerifier};
use healthpass_log::commitment::{Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment};
use healthpass_log::cosignature::WitnessPolicy;
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::note::NoteSigner;
use healthpass_log::proof::verify_inclusion;
use healthpass_log::store::Store;
use healthpass_log::tiles::{TileId, TileKind, decode_bundle};
use healthpass_log::{Error, Log, check_extension, check_same_view};

/// Opens a store for one test, repeatedly, and breaks it behind the log's back.
pub trait Harness {
    type S: Store + std::fmt::Debug;
    /// Opens (or reopens) the same store.
    fn open(&self) -> Self::S;
    /// Overwrites the stored bytes of entry `index`.
    fn replace(&self, index: u64, data: &[u8]);
    /// Deletes every entry from `size` on.
    fn truncate(&self, size: u64);
}

pub const ORIGIN: &str = "log.example/health";

pub fn signer() -> NoteSigner {
    NoteSigner::new(ORIGIN, &[42; 32]).unwrap()
}

pub fn entry(i: u64) -> DecisionEntry {
    let salt = Salt::from_bytes([(i % 251) as u8; 32]);
    DecisionEntry {
        issuer: "issuer.example/henan".into(),
        key_fingerprint: [7; 32],
        actor: if i % 2 == 0 { Actor::Officer(format!("officer-{}", i % 17)) } else { Actor::Rule("rule-12".into()) },
        colour: [Colour::Green, Colour::Yellow, Colour::Orange, Colour::Red][(i % 4) as usize],
        reasons: vec!["contact".into(), format!("r{}", i % 5)],
        time: 1_650_000_000 + i,
        credential_id_hash: credential_id_hash(&i.to_be_bytes()),
        scheme: Scheme::HmacSha256,
        subject_commitment: subject_commitment(Scheme::HmacSha256, &salt, format!("holder-{i}").as_bytes()),
        evidence_commitment: evidence_commitment(Scheme::HmacSha256, &salt, b"evidence"),
    }
}

pub fn entries(range: std::ops::Range<u64>) -> Vec<DecisionEntry> {
    range.map(entry).collect()
}

pub fn store_basics<H: Harness>(h: &H) {
    let mut s = h.open();
    assert_eq!(s.size().unwrap(), 0);
    assert_eq!(s.latest_checkpoint().unwrap(), None);
    let batch: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 10]).collect();
    assert_eq!(s.append(0, &batch).unwrap(), 3);
    // A writer that believes the store is smaller (or larger) is refused, and nothing is written.
    assert!(matches!(s.append(2, &batch), Err(Error::Store(_))));
    assert!(matches!(s.append(4, &batch), Err(Error::Store(_))));
    assert_eq!(s.size().unwrap(), 3);
    assert_eq!(s.append(3, &[]).unwrap(), 3);
    assert_eq!(s.read_range(0, 3).unwrap(), batch);
    assert_eq!(s.read_range(1, 2).unwrap(), vec![vec![1u8; 10]]);
    assert!(s.read_range(3, 3).unwrap().is_empty());
    assert!(s.read_range(2, 4).is_err());
    assert!(s.read_range(2, 1).is_err());
    assert!(s.read_range(0, u64::MAX).is_err());
    s.put_checkpoint(3, "first\n").unwrap();
    s.put_checkpoint(3, "second\n").unwrap();
    drop(s);
    // Everything acknowledged is there after reopening.
    let mut s = h.open();
    assert_eq!(s.size().unwrap(), 3);
    assert_eq!(s.read_range(0, 3).unwrap(), batch);
    assert_eq!(s.latest_checkpoint().unwrap().as_deref(), Some("second\n"));
    // A second handle on the same store appending at a stale size is refused: no fork.
    let mut other = h.open();
    assert_eq!(s.append(3, &batch).unwrap(), 6);
    assert!(other.append(3, &batch).is_err());
    assert_eq!(other.size().unwrap(), 6);
}

pub fn log_append_prove_reopen<H: Harness>(h: &H) {
    let mut log = Log::open(h.open(), signer()).unwrap();
    assert_eq!(log.size(), 0);
    let a = log.append(&entries(0..100)).unwrap();
    assert_eq!((a.first_index, a.size), (0, 100));
    let first = log.checkpoint().unwrap();
    let b = log.append(&entries(100..1000)).unwrap();
    assert_eq!((b.first_index, b.size), (100, 1000));
    let second = log.checkpoint().unwrap();

    // A client verifies the served checkpoint and the proofs.
    let verifier = CheckpointVerifier::new(ORIGIN, log.verifier_key(), WitnessPolicy::none());
    let cp = verifier.verify(&second.to_note_text(), 0).unwrap();
    assert_eq!(cp.size(), 1000);
    for index in [0u64, 1, 99, 100, 555, 999] {
        let proof = log.inclusion_proof(index, cp.size()).unwrap();
        let leaf = Log::<H::S>::leaf_hash_of(&entry(index)).unwrap();
        verify_inclusion(index, cp.size(), &leaf, &proof, cp.root()).unwrap();
    }
    let proof = log.consistency_proof(first.size(), second.size()).unwrap();
    check_extension(&first, &second, &proof).unwrap();
    assert!(matches!(check_extension(&second, &first, &proof), Err(Error::Inconsistent(_))));

    // Tiles: the level-0 tile 3 holds leaf hashes 768..1000, the bundle their entries.
    let tile = log.tile(&TileId { kind: TileKind::Hashes(0), index: 3, width: 232 }).unwrap();
    assert_eq!(&tile[..32], &Log::<H::S>::leaf_hash_of(&entry(768)).unwrap());
    let bundle = log.tile(&TileId { kind: TileKind::Entries, index: 3, width: 232 }).unwrap();
    let decoded = decode_bundle(&bundle, 232).unwrap();
    assert_eq!(DecisionEntry::decode(&decoded[0]).unwrap(), entry(768));
    assert!(log.tile(&TileId { kind: TileKind::Entries, index: 3, width: 233 }).is_err());
    let root = log.root_at(1000).unwrap();
    drop(log);

    // Reopened: same tree, same latest checkpoint, appends continue.
    let mut log = Log::open(h.open(), signer()).unwrap();
    assert_eq!(log.size(), 1000);
    assert_eq!(log.root_at(1000).unwrap(), root);
    assert_eq!(log.latest_checkpoint().unwrap().size(), 1000);
    log.append(&entries(1000..1001)).unwrap();
    let third = log.checkpoint().unwrap();
    check_extension(&second, &third, &log.consistency_proof(1000, 1001).unwrap()).unwrap();
    assert_eq!(DecisionEntry::decode(&log.entries(1000, 1001).unwrap()[0]).unwrap(), entry(1000));
}

pub fn two_writers_never_fork_and_resync<H: Harness>(h: &H) {
    let mut a = Log::open(h.open(), signer()).unwrap();
    let mut b = Log::open(h.open(), signer()).unwrap();
    a.append(&entries(0..10)).unwrap();
    // B still believes the log is empty: its append is refused, and its tree is unchanged.
    assert!(matches!(b.append(&entries(100..105)), Err(Error::Store(_))));
    assert_eq!(b.size(), 0);
    assert_eq!(b.resync().unwrap(), 10);
    assert_eq!(b.root_at(10).unwrap(), a.root_at(10).unwrap());
    let at = b.append(&entries(10..15)).unwrap();
    assert_eq!((at.first_index, at.size), (10, 15));
    assert_eq!(a.resync().unwrap(), 15);
    assert_eq!(a.root_at(15).unwrap(), b.root_at(15).unwrap());
}

pub fn invalid_entries_append_nothing<H: Harness>(h: &H) {
    let mut log = Log::open(h.open(), signer()).unwrap();
    let mut batch = entries(0..5);
    batch[3].reasons = vec!["UPPER".into()];
    assert!(matches!(log.append(&batch), Err(Error::EntryField { .. })));
    assert_eq!(log.size(), 0);
    assert_eq!(h.open().size().unwrap(), 0);
}

pub fn tampered_entry_is_detected<H: Harness>(h: &H) {
    let mut log = Log::open(h.open(), signer()).unwrap();
    log.append(&entries(0..50)).unwrap();
    log.checkpoint().unwrap();
    drop(log);
    // Green turned red, still a well-formed entry: the signed root no longer matches.
    let mut changed = entry(20);
    changed.colour = Colour::Red;
    h.replace(20, &changed.encode().unwrap());
    let err = Log::open(h.open(), signer()).unwrap_err();
    assert!(matches!(&err, Error::Tampered(m) if m.contains("signed root")), "{err}");
    // Bytes that are not an entry at all.
    h.replace(20, b"garbage");
    let err = Log::open(h.open(), signer()).unwrap_err();
    assert!(matches!(&err, Error::Tampered(m) if m.contains("entry 20")), "{err}");
}

pub fn truncated_store_is_detected<H: Harness>(h: &H) {
    let mut log = Log::open(h.open(), signer()).unwrap();
    log.append(&entries(0..40)).unwrap();
    log.checkpoint().unwrap();
    drop(log);
    h.truncate(31);
    let err = Log::open(h.open(), signer()).unwrap_err();
    assert_eq!(err, Error::Truncated { stored: 31, signed: 40 });
}

pub fn wrong_key_checkpoint_is_detected<H: Harness>(h: &H) {
    let mut log = Log::open(h.open(), signer()).unwrap();
    log.append(&entries(0..10)).unwrap();
    let real = log.checkpoint().unwrap();
    drop(log);
    // Someone records a checkpoint for the same origin signed by another key.
    let impostor = NoteSigner::new(ORIGIN, &[13; 32]).unwrap();
    let body = CheckpointBody { origin: ORIGIN.into(), size: 10, root: *real.root(), extensions: vec![] };
    let forged = body.sign(&impostor).unwrap().to_text();
    h.open().put_checkpoint(10, &forged).unwrap();
    let err = Log::open(h.open(), signer()).unwrap_err();
    assert!(matches!(&err, Error::MissingSignature(who) if who == ORIGIN), "{err}");
    // A client with the log's key refuses it too.
    let verifier = CheckpointVerifier::new(ORIGIN, signer().verifier(), WitnessPolicy::none());
    assert!(matches!(verifier.verify(&forged, 0), Err(Error::MissingSignature(_))));
    // A checkpoint whose signature was damaged is reported as tampering.
    let mut damaged = real.to_note_text();
    damaged = damaged.replacen("\n10\n", "\n9\n", 1);
    h.open().put_checkpoint(10, &damaged).unwrap();
    let err = Log::open(h.open(), signer()).unwrap_err();
    assert!(matches!(&err, Error::Tampered(m) if m.contains("signature")), "{err}");
}

pub fn split_view_is_detected<H: Harness>(h: &H, other: &H) {
    // The same log key, two stores that received different entries: two checkpoints of size 8.
    let mut honest = Log::open(h.open(), signer()).unwrap();
    honest.append(&entries(0..8)).unwrap();
    let a = honest.checkpoint().unwrap();
    let mut forked = Log::open(other.open(), signer()).unwrap();
    let mut fork_entries = entries(0..8);
    fork_entries[6].colour = Colour::Red;
    fork_entries[6].reasons.clear();
    forked.append(&fork_entries).unwrap();
    let b = forked.checkpoint().unwrap();
    let verifier = CheckpointVerifier::new(ORIGIN, signer().verifier(), WitnessPolicy::none());
    let a = verifier.verify(&a.to_note_text(), 0).unwrap();
    let b = verifier.verify(&b.to_note_text(), 0).unwrap();
    assert_eq!(check_same_view(&a, &b).unwrap_err(), Error::SplitView { size: 8 });
    assert_eq!(honest.check_checkpoint(&b).unwrap_err(), Error::SplitView { size: 8 });
    honest.check_checkpoint(&a).unwrap();
    // Even with a consistency "proof", equal sizes with different roots are a split view.
    assert_eq!(check_extension(&a, &b, &Vec::<Vec<u8>>::new()).unwrap_err(), Error::SplitView { size: 8 });
    // A later checkpoint of the fork does not extend the honest one.
    forked.append(&entries(8..12)).unwrap();
    let c = forked.checkpoint().unwrap();
    let proof = forked.consistency_proof(8, 12).unwrap();
    assert!(matches!(check_extension(&a, &c, &proof), Err(Error::Inconsistent(_))));
    assert!(matches!(honest.check_checkpoint(&c), Err(Error::Inconsistent(_))));
}

/// Runs every suite function for a store, given a harness factory taking a test name.
#[macro_export]
macro_rules! store_suite {
    ($attr:meta, $make:expr) => {
        #[test]
        #[$attr]
        fn store_basics() {
            suite::store_basics(&$make("basics"));
        }
        #[test]
        #[$attr]
        fn log_append_prove_reopen() {
            suite::log_append_prove_reopen(&$make("prove"));
        }
        #[test]
        #[$attr]
        fn two_writers_never_fork_and_resync() {
            suite::two_writers_never_fork_and_resync(&$make("writers"));
        }
        #[test]
        #[$attr]
        fn invalid_entries_append_nothing() {
            suite::invalid_entries_append_nothing(&$make("invalid"));
        }
        #[test]
        #[$attr]
        fn tampered_entry_is_detected() {
            suite::tampered_entry_is_detected(&$make("tamper"));
        }
        #[test]
        #[$attr]
        fn truncated_store_is_detected() {
            suite::truncated_store_is_detected(&$make("truncate"));
        }
        #[test]
        #[$attr]
        fn wrong_key_checkpoint_is_detected() {
            suite::wrong_key_checkpoint_is_detected(&$make("wrongkey"));
        }
        #[test]
        #[$attr]
        fn split_view_is_detected() {
            suite::split_view_is_detected(&$make("split_a"), &$make("split_b"));
        }
    };
}
