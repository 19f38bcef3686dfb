//! Bounded inflate: never more than the cap comes out, whatever goes in, and anything under the
//! cap survives deflate → inflate.
#![no_main]

use healthpass::Limits;
use healthpass::transport::{deflate, inflate_bounded, unwrap_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut limits = Limits::DEFAULT;
    limits.max_decompressed_len = 4096;
    if let Ok(out) = inflate_bounded(data, &limits) {
        assert!(out.len() <= limits.max_decompressed_len);
    }
    let _ = unwrap_body(data.to_vec(), &limits);
    let round = inflate_bounded(&deflate(data), &limits);
    if data.len() <= limits.max_decompressed_len {
        assert_eq!(round.ok().as_deref(), Some(data));
    } else {
        assert!(round.is_err());
    }
});
