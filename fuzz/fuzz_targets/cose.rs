//! COSE_Sign1 parsing (tagged and untagged) and every accessor of a parsed message.
#![no_main]

use healthpass::Limits;
use healthpass::cose::CoseMessage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for require_tag in [true, false] {
        if let Ok(message) = CoseMessage::decode(data, require_tag, &Limits::DEFAULT) {
            let _ = message.protected_alg();
            let _ = message.unprotected_alg();
            let _ = message.protected_kid();
            let _ = message.unprotected_kid();
            let _ = message.signed_bytes();
            let _ = message.signature();
            let _ = message.payload();
        }
    }
});
