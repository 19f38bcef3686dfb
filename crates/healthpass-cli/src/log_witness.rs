//! `log serve --witness VKEY`: witnesses' cosignatures (C2SP `tlog-cosignature`) collected over
//! HTTP and served with the checkpoint they sign, so that `history --witness ... --quorum K`
//! trusts a checkpoint only when K of the witnesses it names cosigned it.
//!
//! `POST /cosign` takes the current checkpoint as a signed note with the witness's cosignature
//! line(s) added (what a witness returns after checking consistency). Each line of a configured
//! witness is verified over the exact checkpoint text being served; lines of other keys are
//! ignored. Cosignatures are kept for that checkpoint only: a new checkpoint (after an append)
//! is served with none until witnesses cosign it.

use std::sync::Mutex;

use healthpass_log::checkpoint::Checkpoint;
use healthpass_log::cosignature::WitnessPolicy;
use healthpass_log::note::{Note, NoteSignature, VerifierKey};

/// Cosignatures more than this many seconds ahead of the server's clock are refused.
const MAX_FUTURE_SKEW: u64 = 300;

/// The witnesses a server accepts, and the cosignatures held for the latest checkpoint.
pub(crate) struct Cosignatures {
    witnesses: Vec<VerifierKey>,
    /// The checkpoint text the held cosignatures sign, and the cosignature lines (one a witness).
    held: Mutex<(String, Vec<NoteSignature>)>,
}

/// An answer: HTTP status and text.
pub(crate) type Answer = (u16, String);

impl Cosignatures {
    pub(crate) fn new(witnesses: Vec<VerifierKey>) -> Self {
        Cosignatures { witnesses, held: Mutex::new((String::new(), Vec::new())) }
    }

    /// `POST /cosign`: checks the posted note's cosignatures against `current` and keeps them.
    pub(crate) fn add(&self, current: &Checkpoint, body: &[u8], now: u64) -> Answer {
        if self.witnesses.is_empty() {
            return (404, "this log takes no cosignatures (no --witness configured)\n".into());
        }
        let Ok(text) = std::str::from_utf8(body) else {
            return (400, "the cosigned note is not UTF-8\n".into());
        };
        let note = match Note::parse(text) {
            Ok(note) => note,
            Err(e) => return (400, format!("{e}\n")),
        };
        let checkpoint_text = current.body().to_text();
        if note.text_unverified() != checkpoint_text {
            return (409, format!("not the current checkpoint (size {})\n", current.size()));
        }
        let mut accepted = Vec::new();
        for witness in &self.witnesses {
            let lines: Vec<_> = note
                .signatures()
                .iter()
                .filter(|s| s.name == witness.name() && s.key_id == witness.key_id())
                .cloned()
                .collect();
            let Some(line) = lines.first() else { continue };
            let policy = match WitnessPolicy::new(vec![witness.clone()], 1, MAX_FUTURE_SKEW) {
                Ok(policy) => policy,
                Err(e) => return (500, format!("{e}\n")),
            };
            if let Err(e) = policy.check(&note, now) {
                return (401, format!("cosignature of {}: {e}\n", witness.name()));
            }
            accepted.push(line.clone());
        }
        if accepted.is_empty() {
            return (401, "no cosignature by a configured witness\n".into());
        }
        let Ok(mut held) = self.held.lock() else { return (500, "cosignatures unavailable\n".into()) };
        if held.0 != checkpoint_text {
            *held = (checkpoint_text, Vec::new());
        }
        let names: Vec<String> = accepted.iter().map(|s| s.name.clone()).collect();
        held.1.retain(|s| !names.contains(&s.name));
        held.1.extend(accepted);
        (200, format!("cosigned by {}; {} cosignatures held\n", names.join(", "), held.1.len()))
    }

    /// The note served as `/checkpoint`: `current` with the cosignatures held for it.
    pub(crate) fn served(&self, current: &Checkpoint) -> String {
        let mut note = current.note().clone();
        if let Ok(held) = self.held.lock() {
            if held.0 == current.body().to_text() {
                for line in &held.1 {
                    note.push_signature(line.clone());
                }
            }
        }
        note.to_text()
    }
}
