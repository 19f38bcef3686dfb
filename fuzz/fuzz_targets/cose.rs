//! COSE_Sign1 parsing (tagged and untagged) and every accessor of a parsed message; where the
//! plain (tree-free) readers answer, they agree with the general paths, for the bytes as a
//! COSE_Sign1 and as a DCC CWT.
#![no_main]

use healthpass::Limits;
use healthpass::cose::{CoseMessage, plain_path_agrees};
use healthpass_interop::dcc::plain_payload_agrees;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    assert!(plain_payload_agrees(data, &Limits::DEFAULT), "the plain CWT reader disagrees with serde");
    for require_tag in [true, false] {
        assert!(plain_path_agrees(data, require_tag, &Limits::DEFAULT), "the plain COSE reader disagrees");
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
