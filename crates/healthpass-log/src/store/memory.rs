//! An in-memory store, for tests and benchmarks of the tree alone. Not durable.

use super::{Store, check_batch, check_range, size_mismatch};
use crate::error::Result;

/// Entries and checkpoints in memory.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    entries: Vec<Vec<u8>>,
    checkpoints: Vec<(u64, String)>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    fn append(&mut self, expected_size: u64, entries: &[Vec<u8>]) -> Result<u64> {
        check_batch(entries)?;
        let size = self.entries.len() as u64;
        if size != expected_size {
            return Err(size_mismatch(expected_size, size));
        }
        self.entries.extend_from_slice(entries);
        Ok(self.entries.len() as u64)
    }

    fn size(&mut self) -> Result<u64> {
        Ok(self.entries.len() as u64)
    }

    fn read_range(&mut self, start: u64, end: u64) -> Result<Vec<Vec<u8>>> {
        check_range(start, end, self.entries.len() as u64)?;
        // check_range bounded both ends by the length, which fits usize.
        let (start, end) = (start as usize, end as usize);
        Ok(self.entries.get(start..end).map(<[Vec<u8>]>::to_vec).unwrap_or_default())
    }

    fn put_checkpoint(&mut self, size: u64, note: &str) -> Result<()> {
        self.checkpoints.push((size, note.to_owned()));
        Ok(())
    }

    fn latest_checkpoint(&mut self) -> Result<Option<String>> {
        Ok(self.checkpoints.last().map(|(_, note)| note.clone()))
    }
}
