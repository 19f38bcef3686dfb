//! Runs published country rule tests, as `healthpass rules test DIR` will:
//! `cargo run --example rules_test -- ../../test-vectors/dcc-rules`. Exits 1 if a test failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: rules_test DIR");
        std::process::exit(2);
    };
    match healthpass_certlogic::run_rule_tests(std::path::Path::new(&dir)) {
        Ok(report) => {
            print!("{}", report.to_text());
            std::process::exit(i32::from(report.failed() > 0));
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
