//! Untrusted text and bytes through every parser: an error or a value, never a panic, and
//! what parses re-encodes to the same text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_log::checkpoint::CheckpointBody;
use healthpass_log::note::{Note, NoteSigner, VerifierKey};
use healthpass_log::tiles::{TileId, decode_bundle};
use proptest::prelude::*;

proptest! {
    #[test]
    fn notes_never_panic(s in "(\\PC|\n|\u{2014} ){0,300}") {
        if let Ok(note) = Note::parse(&s) {
            prop_assert!(note.text_unverified().ends_with('\n'));
            prop_assert!(!note.signatures().is_empty());
        }
    }

    #[test]
    fn note_shaped_input_round_trips(text in "[a-z0-9 ]{1,20}\n([a-z0-9 ]{0,20}\n){0,3}", name in "[a-z./]{1,20}", sig in proptest::collection::vec(any::<u8>(), 4..80)) {
        let b64 = data_encoding::BASE64.encode(&sig);
        let input = format!("{text}\n\u{2014} {name} {b64}\n");
        let note = Note::parse(&input).unwrap();
        prop_assert_eq!(note.to_text(), input);
    }

    #[test]
    fn checkpoint_bodies_never_panic(s in "(\\PC|\n){0,200}") {
        if let Ok(body) = CheckpointBody::parse(&s) {
            prop_assert_eq!(body.to_text(), s);
        }
    }

    #[test]
    fn keys_never_panic(s in "\\PC{0,120}") {
        let _ = VerifierKey::parse(&s);
        let _ = NoteSigner::parse_secret(&s);
    }

    #[test]
    fn tile_paths_never_panic_and_round_trip(s in "tile/(entries|[0-9x]{1,3})/[0-9x/]{1,30}(\\.p/[0-9]{1,4})?") {
        if let Ok(id) = TileId::parse(&s) {
            prop_assert_eq!(id.path(), s);
        }
    }

    #[test]
    fn bundles_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), width in 1u16..=256) {
        if let Ok(entries) = decode_bundle(&bytes, width) {
            prop_assert_eq!(entries.len(), usize::from(width));
            prop_assert_eq!(healthpass_log::tiles::encode_bundle(&entries).unwrap(), bytes);
        }
    }
}
