//! Turns the PostgreSQL CLI tests (tests/cli_log_postgres.rs) on when `HEALTHPASS_TEST_POSTGRES`
//! holds a connection string; without it they are compiled as ignored, with the reason shown by
//! `cargo test` (tools/postgres-test.sh sets it).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(healthpass_pg_tests)");
    println!("cargo::rerun-if-env-changed=HEALTHPASS_TEST_POSTGRES");
    if std::env::var("HEALTHPASS_TEST_POSTGRES").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=healthpass_pg_tests");
    }
}
