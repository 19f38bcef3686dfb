//! Where the CLI keeps a decision log: a SQLite file (the embedded default), or PostgreSQL
//! given as a URL (`postgres://user:password@host:port/database#name`, feature `postgres`, on
//! by default). The part after `#` names the log (its tables `<name>_entries` and
//! `<name>_checkpoints`; default `healthpass_log`); the rest goes to the `postgres` crate, which
//! parses the URL. Every `--log` of `issue`, `log`, `history` and `audit` takes either form.

use std::path::Path;

use healthpass_log::store::Store;
use healthpass_log::store::sqlite::SqliteStore;

use crate::common::Failure;

/// The log name used when a PostgreSQL URL has no `#name`.
#[cfg(feature = "postgres")]
const DEFAULT_NAME: &str = "healthpass_log";

/// A log's store, whichever kind `--log` named.
pub(crate) enum LogStore {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// Two PostgreSQL tables.
    #[cfg(feature = "postgres")]
    Postgres(Box<healthpass_log::store::postgres::PostgresStore>),
}

/// Whether `--log` names a PostgreSQL database rather than a file.
pub(crate) fn is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// `spec` without its password, for messages.
pub(crate) fn shown(spec: &str) -> String {
    if !is_postgres(spec) {
        return spec.to_owned();
    }
    let (scheme, rest) = spec.split_once("://").unwrap_or((spec, ""));
    let (authority, tail) = rest.split_once('/').map_or((rest, String::new()), |(a, t)| (a, format!("/{t}")));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{tail}")
}

impl LogStore {
    /// Opens the log named by `spec`. With `create`, a missing SQLite file or missing tables are
    /// created (`log init`); without it, a log that was never initialised (no file, or no signed
    /// checkpoint in PostgreSQL) is refused with a hint.
    pub(crate) fn open(spec: &str, create: bool) -> Result<Self, Failure> {
        if is_postgres(spec) {
            return Self::open_postgres(spec, create);
        }
        let path = Path::new(spec);
        if !create && !path.exists() {
            return Err(Failure::Usage(format!("{spec}: no such log (run healthpass log init)")));
        }
        SqliteStore::open(path).map(LogStore::Sqlite).map_err(|e| Failure::Usage(format!("{spec}: {e}")))
    }

    #[cfg(feature = "postgres")]
    fn open_postgres(spec: &str, create: bool) -> Result<Self, Failure> {
        let (url, name) = spec.split_once('#').unwrap_or((spec, DEFAULT_NAME));
        let mut store = healthpass_log::store::postgres::PostgresStore::open(url, name)
            .map_err(|e| Failure::Usage(format!("{}: {e}", shown(spec))))?;
        if !create {
            let signed = store.latest_checkpoint().map_err(|e| Failure::Usage(format!("{}: {e}", shown(spec))))?;
            if signed.is_none() {
                return Err(Failure::Usage(format!("{}: no such log (run healthpass log init)", shown(spec))));
            }
        }
        Ok(LogStore::Postgres(Box::new(store)))
    }

    #[cfg(not(feature = "postgres"))]
    fn open_postgres(spec: &str, _create: bool) -> Result<Self, Failure> {
        Err(Failure::Usage(format!("{}: this healthpass was built without PostgreSQL (feature postgres)", shown(spec))))
    }
}

impl Store for LogStore {
    fn append(&mut self, expected_size: u64, entries: &[Vec<u8>]) -> healthpass_log::Result<u64> {
        match self {
            LogStore::Sqlite(s) => s.append(expected_size, entries),
            #[cfg(feature = "postgres")]
            LogStore::Postgres(s) => s.append(expected_size, entries),
        }
    }

    fn size(&mut self) -> healthpass_log::Result<u64> {
        match self {
            LogStore::Sqlite(s) => s.size(),
            #[cfg(feature = "postgres")]
            LogStore::Postgres(s) => s.size(),
        }
    }

    fn read_range(&mut self, start: u64, end: u64) -> healthpass_log::Result<Vec<Vec<u8>>> {
        match self {
            LogStore::Sqlite(s) => s.read_range(start, end),
            #[cfg(feature = "postgres")]
            LogStore::Postgres(s) => s.read_range(start, end),
        }
    }

    fn put_checkpoint(&mut self, size: u64, note: &str) -> healthpass_log::Result<()> {
        match self {
            LogStore::Sqlite(s) => s.put_checkpoint(size, note),
            #[cfg(feature = "postgres")]
            LogStore::Postgres(s) => s.put_checkpoint(size, note),
        }
    }

    fn latest_checkpoint(&mut self) -> healthpass_log::Result<Option<String>> {
        match self {
            LogStore::Sqlite(s) => s.latest_checkpoint(),
            #[cfg(feature = "postgres")]
            LogStore::Postgres(s) => s.latest_checkpoint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(shown("postgres://u:secret@127.0.0.1:5432/db#log"), "postgres://127.0.0.1:5432/db#log");
        assert_eq!(shown("postgresql://u:p@h"), "postgresql://h");
        assert_eq!(shown("log.db"), "log.db");
        assert!(is_postgres("postgresql://h/db") && !is_postgres("post.db"));
    }
}
