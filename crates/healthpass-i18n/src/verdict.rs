//! A checkpoint's verdict as one line in the reader's language and zone: the same shape as the
//! core's `Display` (`ACCEPTED GREEN personal code from …; [code] message`), with words from the
//! message files. A finding's sentence is the core's own in English and the sentence for its
//! stable code in any other language; the code itself is always printed as it is.

use healthpass::decide::{Finding, Verdict};
use healthpass::trust::KindName;

use crate::messages::Arg;
use crate::{Lang, Zone, text, words};

/// A finding's sentence in `lang`: the finding's own (English) sentence in English, which may
/// say more (a time, a country); in another language the sentence for its stable code, or the
/// English one when no message words that code.
pub fn sentence(lang: Lang, finding: &Finding) -> String {
    let id = format!("refusal-{}", finding.code);
    if lang == Lang::En || !crate::messages::has(lang, &id) { finding.message.clone() } else { text(lang, &id, &[]) }
}

/// A refusal as the verdict line prints it: `[code] sentence`, in `lang`.
pub fn refusal(lang: Lang, f: &Finding) -> String {
    text(lang, "verdict-finding", &[("code", Arg::from(f.code)), ("message", Arg::from(sentence(lang, f)))])
}

/// A warning as the verdict line prints it: `warning [code] sentence`, in `lang`.
pub fn warning(lang: Lang, f: &Finding) -> String {
    text(lang, "verdict-warning", &[("code", Arg::from(f.code)), ("message", Arg::from(sentence(lang, f)))])
}

/// A credential kind in words.
pub fn kind(lang: Lang, kind: KindName) -> String {
    text(lang, &format!("kind-{}", kind.as_str()), &[])
}

/// The verdict in one line, in `lang`, its validity shown in `zone`.
pub fn line(verdict: &Verdict, lang: Lang, zone: &Zone) -> String {
    let mut out = text(lang, if verdict.accepted() { "verdict-accepted" } else { "verdict-refused" }, &[]);
    if let Some(s) = &verdict.summary {
        let args = [
            ("colour", Arg::from(words::colour_loud(lang, s.colour))),
            ("kind", Arg::from(kind(lang, s.kind))),
            ("issuer", Arg::from(s.issuer.as_str())),
            ("until", Arg::from(zone.format(s.valid_until))),
        ];
        out.push(' ');
        out.push_str(&text(lang, "verdict-summary", &args));
        if let Some(name) = &s.name {
            out.push_str(", ");
            out.push_str(name);
        }
    }
    for f in &verdict.refusals {
        out.push_str("; ");
        out.push_str(&refusal(lang, f));
    }
    for f in &verdict.warnings {
        out.push_str("; ");
        out.push_str(&warning(lang, f));
    }
    out
}
