//! The PostgreSQL store (feature `postgres`), for a region's issuers appending thousands of
//! decisions a second. One log per table pair `<name>_entries` / `<name>_checkpoints`.
//!
//! A batch is one transaction inserting every entry with `unnest`, committed with PostgreSQL's
//! default `synchronous_commit = on`, so an append is durable before it is acknowledged. The
//! primary key on the index makes a second writer's append at the same size fail instead of
//! forking the log.

use postgres::{Client, NoTls};

use super::{Store, check_batch, check_range, size_mismatch};
use crate::error::{Error, Result};

fn db(e: &postgres::Error) -> Error {
    Error::Store(format!("postgres: {e}"))
}

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Store("index past 2^63".into()))
}

/// A log stored in two PostgreSQL tables.
pub struct PostgresStore {
    client: Client,
    entries: String,
    checkpoints: String,
}

impl core::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PostgresStore").field("entries", &self.entries).finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url` (a libpq connection string such as
    /// `host=127.0.0.1 user=postgres dbname=healthpass`) and creates the log's tables if needed.
    /// `name` is 1 to 40 characters of `[a-z0-9_]` starting with a letter.
    ///
    /// # Errors
    /// [`Error::Store`] for a bad name, a failed connection or failed schema creation.
    pub fn open(url: &str, name: &str) -> Result<Self> {
        let valid = !name.is_empty()
            && name.len() <= 40
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(Error::Store("postgres: log name must be [a-z][a-z0-9_]{0,39}".into()));
        }
        let mut client = Client::connect(url, NoTls).map_err(|e| db(&e))?;
        let entries = format!("{name}_entries");
        let checkpoints = format!("{name}_checkpoints");
        client
            .batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS {entries} (idx BIGINT PRIMARY KEY, data BYTEA NOT NULL);
                 CREATE TABLE IF NOT EXISTS {checkpoints} (id BIGSERIAL PRIMARY KEY, size BIGINT NOT NULL, note TEXT NOT NULL);"
            ))
            .map_err(|e| db(&e))?;
        Ok(Self { client, entries, checkpoints })
    }

    /// Drops the log's tables (for tests).
    ///
    /// # Errors
    /// [`Error::Store`] on a backend failure.
    pub fn drop_tables(mut self) -> Result<()> {
        let sql = format!("DROP TABLE IF EXISTS {}; DROP TABLE IF EXISTS {};", self.entries, self.checkpoints);
        self.client.batch_execute(&sql).map_err(|e| db(&e))
    }

    /// The table holding the entries (for tests that tamper with it).
    #[must_use]
    pub fn entries_table(&self) -> &str {
        &self.entries
    }

    fn stored_size(client: &mut impl postgres::GenericClient, table: &str) -> Result<u64> {
        let row = client.query_one(&format!("SELECT max(idx) FROM {table}"), &[]).map_err(|e| db(&e))?;
        let max: Option<i64> = row.try_get(0).map_err(|e| db(&e))?;
        Ok(max.map_or(0, |m| u64::try_from(m).unwrap_or(0).saturating_add(1)))
    }
}

impl Store for PostgresStore {
    fn append(&mut self, expected_size: u64, entries: &[Vec<u8>]) -> Result<u64> {
        check_batch(entries)?;
        let mut tx = self.client.transaction().map_err(|e| db(&e))?;
        let size = Self::stored_size(&mut tx, &self.entries)?;
        if size != expected_size {
            return Err(size_mismatch(expected_size, size));
        }
        let mut indices = Vec::with_capacity(entries.len());
        for i in 0..entries.len() as u64 {
            indices.push(to_i64(size.saturating_add(i))?);
        }
        let sql = format!("INSERT INTO {} (idx, data) SELECT * FROM unnest($1::BIGINT[], $2::BYTEA[])", self.entries);
        tx.execute(&sql, &[&indices, &entries]).map_err(|e| db(&e))?;
        tx.commit().map_err(|e| db(&e))?;
        Ok(size.saturating_add(entries.len() as u64))
    }

    fn size(&mut self) -> Result<u64> {
        Self::stored_size(&mut self.client, &self.entries)
    }

    fn read_range(&mut self, start: u64, end: u64) -> Result<Vec<Vec<u8>>> {
        let size = Self::stored_size(&mut self.client, &self.entries)?;
        check_range(start, end, size)?;
        let sql = format!("SELECT idx, data FROM {} WHERE idx >= $1 AND idx < $2 ORDER BY idx", self.entries);
        let rows = self.client.query(&sql, &[&to_i64(start)?, &to_i64(end)?]).map_err(|e| db(&e))?;
        let mut out = Vec::with_capacity(rows.len());
        let mut expect = start;
        for row in rows {
            let idx: i64 = row.try_get(0).map_err(|e| db(&e))?;
            if u64::try_from(idx).ok() != Some(expect) {
                return Err(Error::Store(format!("entry {expect} is missing from the store")));
            }
            out.push(row.try_get(1).map_err(|e| db(&e))?);
            expect += 1;
        }
        if expect != end {
            return Err(Error::Store(format!("entry {expect} is missing from the store")));
        }
        Ok(out)
    }

    fn put_checkpoint(&mut self, size: u64, note: &str) -> Result<()> {
        let sql = format!("INSERT INTO {} (size, note) VALUES ($1, $2)", self.checkpoints);
        self.client.execute(&sql, &[&to_i64(size)?, &note]).map_err(|e| db(&e))?;
        Ok(())
    }

    fn latest_checkpoint(&mut self) -> Result<Option<String>> {
        let sql = format!("SELECT note FROM {} ORDER BY id DESC LIMIT 1", self.checkpoints);
        let row = self.client.query_opt(&sql, &[]).map_err(|e| db(&e))?;
        row.map(|r| r.try_get(0).map_err(|e| db(&e))).transpose()
    }
}
