//! The shared store and log suite on the embedded SQLite store.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use std::path::PathBuf;

use healthpass_log::store::sqlite::SqliteStore;
use rusqlite::{Connection, params};
use tempfile::TempDir;

struct Sqlite {
    _dir: TempDir,
    path: PathBuf,
}

fn make(_name: &str) -> Sqlite {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.sqlite");
    Sqlite { _dir: dir, path }
}

impl suite::Harness for Sqlite {
    type S = SqliteStore;
    fn open(&self) -> SqliteStore {
        SqliteStore::open(&self.path).unwrap()
    }
    fn replace(&self, index: u64, data: &[u8]) {
        let conn = Connection::open(&self.path).unwrap();
        assert_eq!(
            conn.execute("UPDATE entries SET data = ?1 WHERE idx = ?2", params![data, index as i64]).unwrap(),
            1
        );
    }
    fn truncate(&self, size: u64) {
        let conn = Connection::open(&self.path).unwrap();
        conn.execute("DELETE FROM entries WHERE idx >= ?1", params![size as i64]).unwrap();
    }
}

store_suite!(allow(unused_attributes), make);

#[test]
fn wal_and_full_sync_are_in_force() {
    let h = make("pragmas");
    let store = suite::Harness::open(&h);
    assert_eq!(store.synchronous().unwrap(), 2);
    let conn = Connection::open(&h.path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}
