//! base45: decoding never panics, and the decoder accepts only canonical text, so a text that
//! decodes re-encodes to itself; any bytes survive encode → decode.
#![no_main]

use healthpass::transport::{decode_base45, encode_base45};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bytes) = decode_base45(text) {
            assert_eq!(encode_base45(&bytes), text, "a decodable text must be canonical");
        }
    }
    assert_eq!(decode_base45(&encode_base45(data)).ok().as_deref(), Some(data));
});
