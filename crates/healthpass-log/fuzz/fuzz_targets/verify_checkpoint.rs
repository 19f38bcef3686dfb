//! Any text through a checkpoint verifier (log key and a 1-of-2 witness policy fixed below)
//! and through `Log`-independent checks: an error or a checkpoint, never a panic; an accepted
//! checkpoint's body re-parses from its note to the same values.
#![no_main]

use std::sync::LazyLock;

use healthpass_log::checkpoint::{CheckpointBody, CheckpointVerifier};
use healthpass_log::cosignature::{Cosigner, WitnessPolicy};
use healthpass_log::note::{Note, NoteSigner};
use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<CheckpointVerifier> = LazyLock::new(|| {
    let log = NoteSigner::new("log.example/health", &[0x11; 32]).expect("log key");
    let w1 = Cosigner::new("witness1.example", &[0x21; 32]).expect("witness");
    let w2 = Cosigner::new("witness2.example", &[0x22; 32]).expect("witness");
    let policy = WitnessPolicy::new(vec![w1.verifier(), w2.verifier()], 1, 60).expect("policy");
    CheckpointVerifier::new("log.example/health", log.verifier(), policy)
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cp) = VERIFIER.verify(text, 1_700_000_000) {
        let note = Note::parse(text).expect("a verified note parses");
        let body = CheckpointBody::parse(note.text_unverified()).expect("its body parses");
        assert_eq!(&body, cp.body());
        assert!(!cp.cosigners().is_empty());
    }
});
