//! Storage of log entries and checkpoints behind one trait, with an embedded SQLite store,
//! an in-memory store for tests, and (feature `postgres`) a PostgreSQL store.
//!
//! A store keeps the entries (leaf data) in order and the signed checkpoints. It does not keep
//! the tree: the [`crate::Log`] rebuilds it from the entries when it opens, which is also when
//! it checks the entries against the latest signed checkpoint.

use crate::error::{Error, Result};
use crate::limits::{MAX_BATCH, MAX_READ_RANGE};

pub mod memory;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod sqlite;

/// Durable, append-only storage for one log.
///
/// Implementations must make an append durable (committed to stable storage) before
/// returning, and must refuse an append whose `expected_size` is not the stored size, so two
/// writers can never fork the log.
pub trait Store {
    /// Appends `entries` at indices `expected_size..`, durably, in one transaction; returns the
    /// new size.
    ///
    /// # Errors
    /// [`Error::Store`] when the store's size is not `expected_size`, or on a backend failure
    /// (then nothing was appended); [`Error::TooLarge`] past [`MAX_BATCH`].
    fn append(&mut self, expected_size: u64, entries: &[Vec<u8>]) -> Result<u64>;

    /// The number of stored entries.
    ///
    /// # Errors
    /// [`Error::Store`] on a backend failure.
    fn size(&mut self) -> Result<u64>;

    /// The entries `[start, end)`.
    ///
    /// # Errors
    /// [`Error::Store`] for a range past the end, or a gap in the stored indices;
    /// [`Error::TooLarge`] for more than [`MAX_READ_RANGE`] entries.
    fn read_range(&mut self, start: u64, end: u64) -> Result<Vec<Vec<u8>>>;

    /// Records a signed checkpoint (note text) for `size`.
    ///
    /// # Errors
    /// [`Error::Store`] on a backend failure.
    fn put_checkpoint(&mut self, size: u64, note: &str) -> Result<()>;

    /// The most recently recorded checkpoint, if any.
    ///
    /// # Errors
    /// [`Error::Store`] on a backend failure.
    fn latest_checkpoint(&mut self) -> Result<Option<String>>;
}

/// Checks a batch before it reaches a backend.
pub(crate) fn check_batch(entries: &[Vec<u8>]) -> Result<()> {
    if entries.len() > MAX_BATCH {
        return Err(Error::TooLarge { what: "append batch", limit: MAX_BATCH });
    }
    Ok(())
}

/// Checks a read range against the stored size and the read limit.
pub(crate) fn check_range(start: u64, end: u64, size: u64) -> Result<()> {
    if start > end || end > size {
        return Err(Error::Store(format!("range {start}..{end} outside the {size} stored entries")));
    }
    if end - start > MAX_READ_RANGE {
        return Err(Error::TooLarge { what: "read range", limit: MAX_READ_RANGE as usize });
    }
    Ok(())
}

pub(crate) fn size_mismatch(expected: u64, actual: u64) -> Error {
    Error::Store(format!("append expected {expected} stored entries, found {actual} (another writer?)"))
}
