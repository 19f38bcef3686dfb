//! Group commit: threads appending one entry each all get distinct indices, every acknowledged
//! entry is at its index, and an invalid entry fails alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use std::sync::Arc;

use healthpass_log::entry::DecisionEntry;
use healthpass_log::group::GroupLog;
use healthpass_log::store::sqlite::SqliteStore;
use healthpass_log::{Error, Log};

#[test]
fn concurrent_single_appends_share_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("group.sqlite");
    let log = Log::open(SqliteStore::open(&path).unwrap(), suite::signer()).unwrap();
    let group = Arc::new(GroupLog::new(log));
    let threads: Vec<_> = (0..8u64)
        .map(|t| {
            let group = Arc::clone(&group);
            std::thread::spawn(move || {
                let mut got = Vec::new();
                for i in 0..250u64 {
                    let n = t * 1000 + i;
                    got.push((group.append(suite::entry(n)).unwrap(), n));
                }
                // An invalid entry is refused without touching the others.
                let mut bad = suite::entry(t);
                bad.issuer = String::new();
                assert!(matches!(group.append(bad), Err(Error::EntryField { .. })));
                got
            })
        })
        .collect();
    let mut acked: Vec<(u64, u64)> = threads.into_iter().flat_map(|h| h.join().unwrap()).collect();
    acked.sort_unstable();
    assert_eq!(acked.len(), 2000);
    assert!(acked.windows(2).all(|w| w[0].0 + 1 == w[1].0), "indices are distinct and dense");
    let checkpoint = group.checkpoint().unwrap();
    assert_eq!(checkpoint.size(), 2000);
    drop(group);
    // After reopening, each acknowledged index holds the entry that was acknowledged there.
    let mut log = Log::open(SqliteStore::open(&path).unwrap(), suite::signer()).unwrap();
    let stored = log.entries(0, 2000).unwrap();
    for (index, n) in acked {
        assert_eq!(DecisionEntry::decode(&stored[index as usize]).unwrap(), suite::entry(n));
    }
}
