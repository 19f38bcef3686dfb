//! The whole text → verdict path: any input gives `Ok` or an `Err`, never a panic, and a
//! verified code is one the trusted key really signed.
#![no_main]

use chrono::{TimeZone, Utc};
use healthpass::{KeySet, Limits, SigningKey, UnverifiedCode, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let key = SigningKey::demo();
    let verifier = Verifier::new([key.public_key()].into_iter().collect::<KeySet>());
    // The seeds are issued at this time (see examples/fuzz_seeds.rs).
    let Some(now) = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single() else { return };
    if let Ok(verified) = verifier.verify(&text, now) {
        // Only the demo key is trusted: whatever verified must name it and carry valid claims.
        assert_eq!(*verified.kid(), key.kid());
        assert!(verified.validate(Limits::DEFAULT.max_text_string_len).is_ok());
    }
    // The unverified path reaches the claims decoder even when the signature is broken.
    if let Ok(code) = UnverifiedCode::parse(&text, &Limits::DEFAULT) {
        let _ = code.kid();
        let _ = code.claims_unverified(&Limits::DEFAULT);
    }
});
