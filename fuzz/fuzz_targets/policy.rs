//! Acceptance policies (JSON): parsing never panics, and a policy that parses survives
//! serialising and parsing again.
#![no_main]

use healthpass::decide::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = Policy::from_json(text) {
        let json = serde_json::to_string(&policy).expect("a policy serialises");
        assert_eq!(Policy::from_json(&json), Ok(policy));
    }
});
