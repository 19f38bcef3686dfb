//! A rule file: any bytes parse to a rule or an error; a parsed rule evaluates on its own JSON
//! as payload (a verdict, never a panic).
#![no_main]

use healthpass_certlogic::Rule;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    if let Ok(rule) = Rule::parse(data) {
        let payload = serde_json::from_slice::<Value>(data).unwrap_or(Value::Null);
        let external = json!({"validationClock": "2022-01-01T00:00:00Z", "valueSets": {}});
        let verdict = rule.evaluate(&payload, &external, "en");
        let _ = verdict.outcome;
        let _ = rule.gateway_issues();
    }
});
