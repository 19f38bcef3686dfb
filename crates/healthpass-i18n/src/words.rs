//! The core's coded values in words: colours, reasons, test kinds and results, relations and
//! refusals, each looked up in the message files by its stable code.

use healthpass::claims::{Relation, TestKind, TestOutcome};
use healthpass::trust::KindName;
use healthpass::{Colour, Reason};

use crate::{Lang, text};

/// `NegativeTest` → `negative_test`: the serde name of a registry value, from its variant name.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn word(lang: Lang, prefix: &str, value: &impl std::fmt::Debug) -> String {
    text(lang, &format!("{prefix}-{}", snake(&format!("{value:?}"))), &[])
}

/// A colour's word (`green`, `绿码`, `綠碼`, `verde`).
pub fn colour(lang: Lang, colour: Colour) -> String {
    word(lang, "colour", &colour)
}

/// A colour's word as the band and headlines print it: upper case in Latin scripts.
pub fn colour_loud(lang: Lang, value: Colour) -> String {
    colour(lang, value).to_uppercase()
}

/// A reason in words.
pub fn reason(lang: Lang, reason: Reason) -> String {
    word(lang, "reason", &reason)
}

/// Reasons in words, joined by the language's list separator.
pub fn reasons(lang: Lang, reasons: &[Reason]) -> String {
    let words: Vec<String> = reasons.iter().map(|r| reason(lang, *r)).collect();
    words.join(&text(lang, "list-separator", &[]))
}

/// A test kind in words.
pub fn test_kind(lang: Lang, kind: TestKind) -> String {
    word(lang, "test", &kind)
}

/// A test result in words.
pub fn test_outcome(lang: Lang, outcome: TestOutcome) -> String {
    word(lang, "outcome", &outcome)
}

/// A holder's relation in words.
pub fn relation(lang: Lang, relation: Relation) -> String {
    word(lang, "relation", &relation)
}

/// The sentence for a refusal's stable code (`expired`, `out_of_scope`, `test_too_old`); the
/// code itself when no message has it.
pub fn refusal(lang: Lang, code: &str) -> String {
    text(lang, &format!("refusal-{code}"), &[])
}

/// The message id of every coded value this module words, for the completeness test.
pub fn coded_ids() -> Vec<String> {
    let mut ids = Vec::new();
    ids.extend(Colour::ALL.iter().map(|c| format!("colour-{}", snake(&format!("{c:?}")))));
    ids.extend(Reason::ALL.iter().map(|r| format!("reason-{}", snake(&format!("{r:?}")))));
    ids.extend(TestKind::ALL.iter().map(|k| format!("test-{}", snake(&format!("{k:?}")))));
    ids.extend(TestOutcome::ALL.iter().map(|o| format!("outcome-{}", snake(&format!("{o:?}")))));
    ids.extend(Relation::ALL.iter().map(|r| format!("relation-{}", snake(&format!("{r:?}")))));
    let kinds = [KindName::Personal, KindName::Student, KindName::CrossBorder, KindName::Venue];
    ids.extend(kinds.iter().map(|k| format!("kind-{}", k.as_str())));
    ids
}
