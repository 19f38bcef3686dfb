//! A monitor and a witness following a log through its tiles: they accept a log that grows and
//! catch one that forks, rolls back or serves wrong tiles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use std::cell::RefCell;

use healthpass_log::checkpoint::CheckpointVerifier;
use healthpass_log::cosignature::{Cosigner, WitnessPolicy};
use healthpass_log::entry::{Colour, DecisionEntry};
use healthpass_log::monitor::{Monitor, Witness};
use healthpass_log::store::memory::MemoryStore;
use healthpass_log::tiles::{TileFetcher, TileId};
use healthpass_log::{Error, Log, Result};

/// Serves a log's tiles, optionally damaging them.
struct Served<'a> {
    log: &'a RefCell<Log<MemoryStore>>,
    damage: bool,
}

impl TileFetcher for Served<'_> {
    fn fetch(&self, tile: &TileId) -> Result<Vec<u8>> {
        let mut bytes = self.log.borrow_mut().tile(tile)?;
        if self.damage {
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
        }
        Ok(bytes)
    }
}

fn serve(log: &RefCell<Log<MemoryStore>>) -> Served<'_> {
    Served { log, damage: false }
}

fn verifier() -> CheckpointVerifier {
    CheckpointVerifier::new(suite::ORIGIN, suite::signer().verifier(), WitnessPolicy::none())
}

fn new_log(n: u64) -> RefCell<Log<MemoryStore>> {
    let mut log = Log::open(MemoryStore::new(), suite::signer()).unwrap();
    log.append(&suite::entries(0..n)).unwrap();
    RefCell::new(log)
}

#[test]
fn monitor_follows_a_growing_log_and_reads_verified_entries() {
    let log = new_log(100);
    let cp1 = log.borrow_mut().checkpoint().unwrap().to_note_text();
    let mut monitor = Monitor::new(verifier(), None);
    assert_eq!(monitor.update(&cp1, 0, serve(&log)).unwrap(), 0);
    log.borrow_mut().append(&suite::entries(100..600)).unwrap();
    let cp2 = log.borrow_mut().checkpoint().unwrap().to_note_text();
    assert_eq!(monitor.update(&cp2, 0, serve(&log)).unwrap(), 100);
    assert_eq!(monitor.latest().unwrap().size(), 600);
    let read = monitor.entries(serve(&log), 100, 600).unwrap();
    assert_eq!(read.len(), 500);
    for (i, bytes) in read.iter().enumerate() {
        assert_eq!(DecisionEntry::decode(bytes).unwrap(), suite::entry(100 + i as u64));
    }
    // The same checkpoint again is fine; an older one is a rollback.
    monitor.update(&cp2, 0, serve(&log)).unwrap();
    assert!(matches!(monitor.update(&cp1, 0, serve(&log)), Err(Error::Inconsistent(_))));
    assert!(monitor.entries(serve(&log), 0, 601).is_err());
}

#[test]
fn monitor_catches_forks_and_bad_tiles() {
    let honest = new_log(300);
    let cp = honest.borrow_mut().checkpoint().unwrap().to_note_text();
    let mut monitor = Monitor::new(verifier(), None);
    monitor.update(&cp, 0, serve(&honest)).unwrap();

    // A fork signed by the same key: entry 250 turned red.
    let mut fork_entries = suite::entries(0..300);
    fork_entries[250].colour = Colour::Red;
    let forked = RefCell::new(Log::open(MemoryStore::new(), suite::signer()).unwrap());
    forked.borrow_mut().append(&fork_entries).unwrap();
    let same_size = forked.borrow_mut().checkpoint().unwrap().to_note_text();
    assert_eq!(monitor.update(&same_size, 0, serve(&forked)).unwrap_err(), Error::SplitView { size: 300 });
    forked.borrow_mut().append(&suite::entries(300..400)).unwrap();
    let larger = forked.borrow_mut().checkpoint().unwrap().to_note_text();
    assert!(matches!(monitor.update(&larger, 0, serve(&forked)), Err(Error::Inconsistent(_))));
    assert_eq!(monitor.latest().unwrap().size(), 300);

    // Damaged tiles do not hash to the root; damaged bundles do not prove inclusion.
    honest.borrow_mut().append(&suite::entries(300..310)).unwrap();
    let next = honest.borrow_mut().checkpoint().unwrap().to_note_text();
    assert!(matches!(monitor.update(&next, 0, Served { log: &honest, damage: true }), Err(Error::Tile(_))));
    monitor.update(&next, 0, serve(&honest)).unwrap();
    let err = monitor.entries(Served { log: &honest, damage: true }, 0, 10).unwrap_err();
    assert!(matches!(err, Error::Tile(_) | Error::Proof { .. } | Error::Entry { .. }), "{err}");
}

#[test]
fn witness_cosigns_only_consistent_checkpoints() {
    let log = new_log(50);
    let cosigner = Cosigner::new("witness.example", &[8; 32]).unwrap();
    let mut witness = Witness::new(cosigner.clone(), verifier());
    let cp1 = log.borrow_mut().checkpoint().unwrap();
    let sig = witness.cosign(&cp1.to_note_text(), &[], 1000).unwrap();

    // The cosignature satisfies a 1-of-1 policy.
    let mut note = cp1.note().clone();
    note.push_signature(sig);
    let policy = WitnessPolicy::new(vec![cosigner.verifier()], 1, 0).unwrap();
    let client = CheckpointVerifier::new(suite::ORIGIN, suite::signer().verifier(), policy);
    client.verify(&note.to_text(), 1000).unwrap();

    log.borrow_mut().append(&suite::entries(50..80)).unwrap();
    let cp2 = log.borrow_mut().checkpoint().unwrap();
    let proof = log.borrow().consistency_proof(50, 80).unwrap();
    // Without the proof, or with a wrong one, nothing is signed.
    assert!(matches!(witness.cosign(&cp2.to_note_text(), &[], 1001), Err(Error::Inconsistent(_))));
    assert!(witness.cosign(&cp2.to_note_text(), &proof[1..], 1001).is_err());
    witness.cosign(&cp2.to_note_text(), &proof, 1001).unwrap();
    assert_eq!(witness.latest().unwrap().size(), 80);
    // A rollback and a split view are refused.
    assert!(matches!(witness.cosign(&cp1.to_note_text(), &[], 1002), Err(Error::Inconsistent(_))));
    let mut fork_entries = suite::entries(0..80);
    fork_entries[3].reasons.clear();
    let mut forked = Log::open(MemoryStore::new(), suite::signer()).unwrap();
    forked.append(&fork_entries).unwrap();
    let split = forked.checkpoint().unwrap();
    assert_eq!(witness.cosign(&split.to_note_text(), &[], 1003).unwrap_err(), Error::SplitView { size: 80 });
}

#[test]
fn static_export_serves_a_monitor_from_files() {
    use healthpass_log::export::{DirFetcher, export_static};
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(70);
    assert!(export_static(&mut log.borrow_mut(), dir.path()).is_err(), "no checkpoint yet");
    log.borrow_mut().append(&suite::entries(70..600)).unwrap();
    log.borrow_mut().checkpoint().unwrap();
    let written = export_static(&mut log.borrow_mut(), dir.path()).unwrap();
    // Level 0: 2 full tiles and a partial of 88; level 1: a partial of 2; and the 3 bundles.
    assert_eq!(written, 7);
    assert!(dir.path().join("tile/0/001").exists() && dir.path().join("tile/0/002.p/88").exists());
    assert!(dir.path().join("tile/entries/002.p/88").exists());

    let files = DirFetcher::new(dir.path());
    let mut monitor = Monitor::new(verifier(), None);
    monitor.update(&files.checkpoint().unwrap(), 0, files.clone()).unwrap();
    let read = monitor.entries(files.clone(), 590, 600).unwrap();
    assert_eq!(DecisionEntry::decode(&read[9]).unwrap(), suite::entry(599));

    // Grown: full tiles already written are kept, the rest is added, the monitor follows.
    log.borrow_mut().append(&suite::entries(600..800)).unwrap();
    log.borrow_mut().checkpoint().unwrap();
    let written = export_static(&mut log.borrow_mut(), dir.path()).unwrap();
    // Level-0 tile 2 and bundle 2 become full; new partials: 0/003.p/32, entries/003.p/32, 1/000.p/3.
    assert_eq!(written, 5);
    assert!(dir.path().join("tile/1/000.p/3").exists());
    assert_eq!(monitor.update(&files.checkpoint().unwrap(), 0, files.clone()).unwrap(), 600);
}
