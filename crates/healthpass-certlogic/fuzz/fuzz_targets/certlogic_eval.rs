//! CertLogic: any expression and data (two JSON documents separated by a NUL byte) validate,
//! compile, compile leniently and evaluate without panicking; the validator and the compiler
//! agree on what is valid.
#![no_main]

use healthpass_certlogic::{Expression, Limits, validate};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let (Some(expr), data) = (parts.next(), parts.next().unwrap_or(b"null")) else { return };
    let (Ok(expr), Ok(data)) = (serde_json::from_slice::<Value>(expr), serde_json::from_slice::<Value>(data)) else {
        return;
    };
    let issues = validate(&expr);
    let compiled = Expression::compile(&expr);
    assert_eq!(issues.is_empty(), compiled.is_ok(), "validator and compiler disagree");
    if let Ok(compiled) = compiled {
        let _ = compiled.evaluate(&data);
        let _ = compiled.evaluate_rule_data(&data, &data);
    }
    if let Ok((lenient, _)) = Expression::compile_lenient(&expr, &Limits::default()) {
        let _ = lenient.evaluate(&data);
    }
});
