//! The claims CBOR (`Claims::from_cbor`): never panics, and whatever it accepts re-encodes to
//! bytes that decode to the same claims.
#![no_main]

use healthpass::{Claims, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(claims) = Claims::from_cbor(data, &Limits::DEFAULT) {
        let again = Claims::from_cbor(&claims.to_cbor(), &Limits::DEFAULT);
        assert_eq!(again.as_ref(), Ok(&claims));
    }
});
