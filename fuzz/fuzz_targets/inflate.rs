//! Bounded inflate: never more than the cap comes out, whatever goes in, and anything under the
//! cap survives deflate → inflate. The oracle deflates at the fastest level: inflate's property
//! is the same whatever the level (the issuer's best-level `deflate` is covered by `roundtrip`),
//! and the best level cost most of each execution.
#![no_main]

use healthpass::Limits;
use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use healthpass::transport::{inflate_bounded, unwrap_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut limits = Limits::DEFAULT;
    limits.max_decompressed_len = 4096;
    if let Ok(out) = inflate_bounded(data, &limits) {
        assert!(out.len() <= limits.max_decompressed_len);
    }
    let _ = unwrap_body(data.to_vec(), &limits);
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() + 16), Compression::fast());
    let deflated = encoder.write_all(data).and_then(|()| encoder.finish());
    let round = inflate_bounded(&deflated.expect("deflate into a Vec"), &limits);
    if data.len() <= limits.max_decompressed_len {
        assert_eq!(round.ok().as_deref(), Some(data));
    } else {
        assert!(round.is_err());
    }
});
