//! Group commit: many threads append one decision each, and their appends share durable
//! commits. An issuer's request handler calls [`GroupLog::append`] and gets the entry's index
//! back only once the batch holding it is on disk; while one batch commits, the next gathers.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::checkpoint::Checkpoint;
use crate::entry::DecisionEntry;
use crate::error::{Error, Result};
use crate::limits::MAX_BATCH;
use crate::log::Log;
use crate::store::Store;

#[derive(Default)]
struct Queue {
    pending: Vec<(u64, DecisionEntry)>,
    next_ticket: u64,
    committing: bool,
    done: HashMap<u64, Result<u64>>,
}

/// A [`Log`] shared between threads, with group commit.
pub struct GroupLog<S: Store> {
    log: Mutex<Log<S>>,
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl<S: Store> core::fmt::Debug for GroupLog<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupLog").finish_non_exhaustive()
    }
}

fn poisoned<T>(_: T) -> Error {
    Error::Store("a thread panicked while holding the log".into())
}

impl<S: Store> GroupLog<S> {
    /// Shares `log` between threads.
    pub fn new(log: Log<S>) -> Self {
        Self { log: Mutex::new(log), queue: Mutex::new(Queue::default()), wake: Condvar::new() }
    }

    /// Appends one entry and returns its index once it is durably stored. Concurrent calls are
    /// committed together, up to [`MAX_BATCH`] entries per commit.
    ///
    /// # Errors
    /// [`Error::EntryField`] for an invalid entry (checked before it joins a batch, so it fails
    /// alone); the store's error when the batch holding the entry could not be committed.
    pub fn append(&self, entry: DecisionEntry) -> Result<u64> {
        entry.validate()?;
        let mut queue = self.queue.lock().map_err(poisoned)?;
        let ticket = queue.next_ticket;
        queue.next_ticket = queue.next_ticket.wrapping_add(1);
        queue.pending.push((ticket, entry));
        loop {
            if let Some(result) = queue.done.remove(&ticket) {
                return result;
            }
            if queue.committing {
                queue = self.wake.wait(queue).map_err(poisoned)?;
                continue;
            }
            // Lead: take what has gathered, commit it without holding the queue.
            queue.committing = true;
            let take = queue.pending.len().min(MAX_BATCH);
            let batch: Vec<(u64, DecisionEntry)> = queue.pending.drain(..take).collect();
            drop(queue);
            let outcome = self.commit(&batch);
            queue = self.queue.lock().map_err(poisoned)?;
            for (i, (t, _)) in batch.iter().enumerate() {
                let result = outcome.as_ref().map(|first| first.saturating_add(i as u64)).map_err(Clone::clone);
                queue.done.insert(*t, result);
            }
            queue.committing = false;
            self.wake.notify_all();
        }
    }

    fn commit(&self, batch: &[(u64, DecisionEntry)]) -> Result<u64> {
        let entries: Vec<DecisionEntry> = batch.iter().map(|(_, e)| e.clone()).collect();
        let mut log = self.log.lock().map_err(poisoned)?;
        Ok(log.append(&entries)?.first_index)
    }

    /// Locks the log, for checkpoints, proofs and tiles.
    ///
    /// # Errors
    /// [`Error::Store`] when a thread panicked while holding it.
    pub fn lock(&self) -> Result<MutexGuard<'_, Log<S>>> {
        self.log.lock().map_err(poisoned)
    }

    /// Signs a checkpoint of everything committed so far.
    ///
    /// # Errors
    /// As [`Log::checkpoint`].
    pub fn checkpoint(&self) -> Result<Checkpoint> {
        self.lock()?.checkpoint()
    }
}
