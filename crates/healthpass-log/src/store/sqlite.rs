//! The embedded default store: one SQLite file (the bundled build, no setup) in WAL mode with
//! `synchronous=FULL`, so an append is on disk before it is acknowledged.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{Store, check_batch, check_range, size_mismatch};
use crate::error::{Error, Result};

fn db(e: &rusqlite::Error) -> Error {
    Error::Store(format!("sqlite: {e}"))
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (id INTEGER PRIMARY KEY AUTOINCREMENT, size INTEGER NOT NULL, note TEXT NOT NULL);
";

/// A log stored in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`, in WAL mode with `synchronous=FULL`.
    ///
    /// # Errors
    /// [`Error::Store`] when the file cannot be opened or the pragmas or schema fail.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|e| db(&e))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(|e| db(&e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Store(format!("sqlite: journal mode is {mode}, not WAL")));
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;").map_err(|e| db(&e))?;
        // A second handle waits for a writer's commit instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| db(&e))?;
        conn.execute_batch(SCHEMA).map_err(|e| db(&e))?;
        Ok(Self { conn })
    }

    /// The `synchronous` setting in force (2 = FULL), for tests and diagnostics.
    ///
    /// # Errors
    /// [`Error::Store`] on a backend failure.
    pub fn synchronous(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).map_err(|e| db(&e))
    }

    fn stored_size(conn: &Connection) -> Result<u64> {
        let max: Option<i64> =
            conn.query_row("SELECT max(idx) FROM entries", [], |r| r.get(0)).optional().map_err(|e| db(&e))?.flatten();
        Ok(max.map_or(0, |m| u64::try_from(m).unwrap_or(0).saturating_add(1)))
    }
}

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Store("index past 2^63".into()))
}

impl Store for SqliteStore {
    fn append(&mut self, expected_size: u64, entries: &[Vec<u8>]) -> Result<u64> {
        check_batch(entries)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db(&e))?;
        let size = Self::stored_size(&tx)?;
        if size != expected_size {
            return Err(size_mismatch(expected_size, size));
        }
        {
            let mut stmt = tx.prepare_cached("INSERT INTO entries (idx, data) VALUES (?1, ?2)").map_err(|e| db(&e))?;
            for (i, entry) in entries.iter().enumerate() {
                let idx = to_i64(size.saturating_add(i as u64))?;
                stmt.execute(params![idx, entry]).map_err(|e| db(&e))?;
            }
        }
        tx.commit().map_err(|e| db(&e))?;
        Ok(size.saturating_add(entries.len() as u64))
    }

    fn size(&mut self) -> Result<u64> {
        Self::stored_size(&self.conn)
    }

    fn read_range(&mut self, start: u64, end: u64) -> Result<Vec<Vec<u8>>> {
        let size = Self::stored_size(&self.conn)?;
        check_range(start, end, size)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx")
            .map_err(|e| db(&e))?;
        let rows = stmt
            .query_map(params![to_i64(start)?, to_i64(end)?], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
            .map_err(|e| db(&e))?;
        let mut out = Vec::with_capacity(usize::try_from(end - start).unwrap_or(0));
        let mut expect = start;
        for row in rows {
            let (idx, data) = row.map_err(|e| db(&e))?;
            if u64::try_from(idx).ok() != Some(expect) {
                return Err(Error::Store(format!("entry {expect} is missing from the store")));
            }
            out.push(data);
            expect += 1;
        }
        if expect != end {
            return Err(Error::Store(format!("entry {expect} is missing from the store")));
        }
        Ok(out)
    }

    fn put_checkpoint(&mut self, size: u64, note: &str) -> Result<()> {
        self.conn
            .execute("INSERT INTO checkpoints (size, note) VALUES (?1, ?2)", params![to_i64(size)?, note])
            .map_err(|e| db(&e))?;
        Ok(())
    }

    fn latest_checkpoint(&mut self) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT note FROM checkpoints ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .optional()
            .map_err(|e| db(&e))
    }
}
