//! A real process appending to a store is killed with SIGKILL mid-stream, twice: every
//! acknowledged entry is there after restart, the tree did not fork (the acknowledged roots are
//! the reopened tree's roots), and the next checkpoint is consistent with the last one signed.
//! On SQLite always; on PostgreSQL with `--features postgres` and `HEALTHPASS_TEST_POSTGRES`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use data_encoding::BASE64;
use healthpass_log::store::Store;
use healthpass_log::store::sqlite::SqliteStore;
use healthpass_log::{Log, check_extension};

const CHILD_ENV: &str = "HEALTHPASS_LOG_CRASH_CHILD";

/// The child: appends batches forever, printing each acknowledged size and root.
fn child_loop<S: Store + std::fmt::Debug>(store: S) {
    let mut log = Log::open(store, suite::signer()).unwrap();
    let mut out = std::io::stdout();
    for round in 0u64.. {
        let start = log.size();
        let at = log.append(&suite::entries(start..start + 50)).unwrap();
        if round % 3 == 0 {
            log.checkpoint().unwrap();
        }
        writeln!(out, "ack {} {}", at.size, BASE64.encode(&log.root_at(at.size).unwrap())).unwrap();
        out.flush().unwrap();
    }
}

/// Runs the child as this test binary again (`test` is this test's name), kills it after some
/// acknowledgements, and checks the reopened store; twice.
fn kill_and_check<S: Store + std::fmt::Debug>(test: &str, target: &str, open: impl Fn() -> S) {
    let mut acked: Vec<(u64, String)> = Vec::new();
    for run in 0..2 {
        let mut proc = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", test, "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = proc.stdout.take().unwrap();
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let Some(rest) = line.strip_prefix("ack ") else { continue };
            let (size, root) = rest.split_once(' ').unwrap();
            acked.push((size.parse().unwrap(), root.to_owned()));
            seen += 1;
            if seen == 40 + run * 7 {
                proc.kill().unwrap(); // SIGKILL
                break;
            }
        }
        proc.wait().unwrap();
        assert!(seen >= 40, "the child stopped early");

        // Restart: everything acknowledged is there, with the roots that were acknowledged.
        let mut log = Log::open(open(), suite::signer()).unwrap();
        let (last_size, _) = acked.last().unwrap();
        assert!(log.size() >= *last_size, "run {run}: {} < {last_size}", log.size());
        for (size, root) in &acked {
            assert_eq!(&BASE64.encode(&log.root_at(*size).unwrap()), root, "root at {size} changed");
        }
        // The next checkpoint extends the last one signed before the kill.
        let before = log.latest_checkpoint().unwrap().clone();
        log.append(&suite::entries(log.size()..log.size() + 1)).unwrap();
        let after = log.checkpoint().unwrap();
        check_extension(&before, &after, &log.consistency_proof(before.size(), after.size()).unwrap()).unwrap();
    }
}

#[test]
fn sqlite_acknowledged_appends_survive_sigkill() {
    if let Ok(target) = std::env::var(CHILD_ENV) {
        child_loop(SqliteStore::open(target.as_ref()).unwrap());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite");
    kill_and_check("sqlite_acknowledged_appends_survive_sigkill", path.to_str().unwrap(), || {
        SqliteStore::open(&path).unwrap()
    });
}

#[cfg(feature = "postgres")]
#[test]
#[cfg_attr(
    not(healthpass_pg_tests),
    ignore = "PostgreSQL skipped: set HEALTHPASS_TEST_POSTGRES to a connection string"
)]
fn postgres_acknowledged_appends_survive_sigkill() {
    use healthpass_log::store::postgres::PostgresStore;
    let url = std::env::var("HEALTHPASS_TEST_POSTGRES").unwrap();
    if let Ok(name) = std::env::var(CHILD_ENV) {
        child_loop(PostgresStore::open(&url, &name).unwrap());
        return;
    }
    let name = format!("t{}_crash", std::process::id());
    PostgresStore::open(&url, &name).unwrap().drop_tables().unwrap();
    kill_and_check("postgres_acknowledged_appends_survive_sigkill", &name, || {
        PostgresStore::open(&url, &name).unwrap()
    });
    PostgresStore::open(&url, &name).unwrap().drop_tables().unwrap();
}
