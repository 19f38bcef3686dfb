//! Issuance with and without the log, in the same run (issue #18: issuance with logging
//! ≤ 1.5 × issuance without). The same threads issue codes from the same claims, first with a
//! plain `healthpass::Issuer`, then through a `LoggedIssuer` appending to a `GroupLog` over a
//! SQLite file (durable before each code is returned, commits shared by the requests in
//! flight); the rounds alternate and the best of each is reported.
//!
//! Run: `cargo bench -p healthpass-log --features issuer --bench issue`
//! (`ISSUE_BENCH_THREADS`, default 256: the requests in flight; `ISSUE_BENCH_SECS`, default 4).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use healthpass::{Claims, CredentialId, Issuer, SigningKey};
use healthpass_log::Log;
use healthpass_log::group::GroupLog;
use healthpass_log::issuer::LoggedIssuer;
use healthpass_log::note::NoteSigner;
use healthpass_log::store::sqlite::SqliteStore;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn claims(thread: u64, i: u64) -> Claims {
    let mut claims = Claims::example(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&thread.to_be_bytes());
    id[8..].copy_from_slice(&i.to_be_bytes());
    claims.credential_id = CredentialId(id);
    claims
}

/// Codes a second from `threads` threads, each making its issuer with `make(thread)` and then
/// issuing with it for `secs`.
fn throughput<F: FnMut(u64) -> usize>(threads: u64, secs: u64, make: impl Fn(u64) -> F + Sync) -> f64 {
    let stop = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (stop, done, make) = (&stop, &done, &make);
            s.spawn(move || {
                let mut issue = make(t);
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    assert!(issue(i) > 0);
                    i += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(Duration::from_secs(secs));
        stop.store(true, Ordering::Relaxed);
    });
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let threads = env("ISSUE_BENCH_THREADS", 256);
    let secs = env("ISSUE_BENCH_SECS", 4);
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("issue.sqlite")).unwrap();
    let log = Log::open(store, NoteSigner::new("bench.example/log", &[1; 32]).unwrap()).unwrap();
    let group = GroupLog::new(log);
    let key = || SigningKey::from_seed(&[4; 32]);

    let plain = |t: u64| {
        let issuer = Issuer::new(key());
        move |i: u64| issuer.issue(&claims(t, i)).unwrap().len()
    };
    let logged = |t: u64| {
        let mut issuer = LoggedIssuer::new(key(), &group);
        move |i: u64| issuer.issue(&claims(t, i)).unwrap().text.len()
    };
    let (mut best_plain, mut best_logged) = (0f64, 0f64);
    for round in 1..=3 {
        let p = throughput(threads, secs, plain);
        let l = throughput(threads, secs, logged);
        println!("round {round}: without the log {p:.0} codes/s, through the log {l:.0} codes/s");
        best_plain = best_plain.max(p);
        best_logged = best_logged.max(l);
    }
    let one = throughput(1, secs, logged);
    let entries = group.checkpoint().unwrap().size();
    println!("issuance without the log, {threads} threads: {best_plain:.0} codes/s");
    println!("issuance through the log (GroupLog, SQLite, durable), {threads} threads: {best_logged:.0} codes/s");
    println!("issuance through the log, 1 thread (one durable commit a code): {one:.0} codes/s");
    println!("ratio without / with: {:.2} (target ≤ 1.5); {entries} entries logged", best_plain / best_logged);
}
