//! Evaluates CertLogic cases given as JSON lines `{ "expr": ..., "data": ... }` on stdin and
//! prints `{ "value": ... }` or `{ "error": "..." }` per line; a line `{ "validate": ... }` gets
//! `{ "issues": [{ "expr", "message" }] }`. The Rust side of the differential check against the
//! reference implementation (tools/differential/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::BufRead;

use healthpass_certlogic::{Expression, validate};
use serde_json::{Value, json};

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let case: Value = match serde_json::from_str(&line) {
            Ok(case) => case,
            Err(e) => {
                println!("{}", json!({ "error": format!("input: {e}") }));
                continue;
            }
        };
        if let Some(expr) = case.get("validate") {
            let issues: Vec<Value> =
                validate(expr).into_iter().map(|i| json!({ "expr": i.expr, "message": i.message })).collect();
            println!("{}", json!({ "issues": issues }));
            continue;
        }
        let out = match Expression::compile(&case["expr"]).and_then(|expr| expr.evaluate(&case["data"])) {
            Ok(value) => json!({ "value": value }),
            Err(e) => json!({ "error": e.to_string() }),
        };
        println!("{out}");
    }
}
