//! Every parser of untrusted input, chosen by the first byte: an error or a value, never a
//! panic, and what parses re-encodes to exactly the input (one encoding per value).
#![no_main]

use healthpass_log::checkpoint::CheckpointBody;
use healthpass_log::entry::DecisionEntry;
use healthpass_log::note::{Note, NoteSigner, VerifierKey};
use healthpass_log::tiles::{TileId, decode_bundle, encode_bundle};
use healthpass_log::tlog_proof::TlogProof;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let text = std::str::from_utf8(rest).ok();
    match which % 7 {
        0 => {
            if let Ok(entry) = DecisionEntry::decode(rest) {
                assert_eq!(entry.encode().expect("a decoded entry encodes"), rest);
            }
        }
        1 => {
            if let Some(Ok(note)) = text.map(Note::parse) {
                assert_eq!(note.to_text(), text.unwrap_or_default());
            }
        }
        2 => {
            if let Some(Ok(body)) = text.map(CheckpointBody::parse) {
                assert_eq!(body.to_text(), text.unwrap_or_default());
            }
        }
        3 => {
            if let Some(Ok(id)) = text.map(TileId::parse) {
                assert_eq!(id.path(), text.unwrap_or_default());
            }
        }
        4 => {
            if let Some(Ok(proof)) = text.map(TlogProof::parse) {
                assert_eq!(TlogProof::parse(&proof.to_text()).expect("reparses"), proof);
            }
        }
        5 => {
            if let Some(t) = text {
                if let Ok(key) = VerifierKey::parse(t) {
                    assert_eq!(key.to_string(), t);
                }
                let _ = NoteSigner::parse_secret(t);
            }
        }
        _ => {
            let width = u16::from(rest.first().copied().unwrap_or(1)).max(1);
            if let Ok(entries) = decode_bundle(rest.get(1..).unwrap_or_default(), width) {
                assert_eq!(encode_bundle(&entries).expect("re-encodes"), rest.get(1..).unwrap_or_default());
            }
        }
    }
});
