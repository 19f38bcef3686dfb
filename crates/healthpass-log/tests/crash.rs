//! A real process appending to the SQLite store is killed with SIGKILL mid-stream: every
//! acknowledged entry is there after restart, the tree did not fork (the acknowledged roots are
//! the reopened tree's roots), and the next checkpoint is consistent with the last one signed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use data_encoding::BASE64;
use healthpass_log::store::sqlite::SqliteStore;
use healthpass_log::{Log, check_extension};

const CHILD_ENV: &str = "HEALTHPASS_LOG_CRASH_CHILD";

/// The child: appends batches forever, printing each acknowledged size and root.
fn child(path: &str) {
    let mut log = Log::open(SqliteStore::open(path.as_ref()).unwrap(), suite::signer()).unwrap();
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

#[test]
fn acknowledged_appends_survive_sigkill() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(&path);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite");
    let mut acked: Vec<(u64, String)> = Vec::new();
    for run in 0..2 {
        let mut proc = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "acknowledged_appends_survive_sigkill", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
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

        // Restart: everything acknowledged is there, with the roots that were acknowledged.
        let mut log = Log::open(SqliteStore::open(&path).unwrap(), suite::signer()).unwrap();
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
