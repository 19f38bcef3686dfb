//! The message files are complete: every message in every language, the same placeholders,
//! every coded value and every stable refusal code worded, and real text (not English) in the
//! translations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use healthpass::{Colour, Reason};
use healthpass_i18n::messages::{self, Arg, audit, audit_sources};
use healthpass_i18n::{Lang, mask::mask_name, text, words};

#[test]
fn every_language_has_every_message_with_the_same_placeholders() {
    let problems = audit();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(messages::ids().len() > 100, "{}", messages::ids().len());
}

#[test]
fn the_audit_catches_a_missing_message_and_a_changed_placeholder() {
    let en = "a = one { $x }\nb = two\n";
    let problems = audit_sources(&[(Lang::En, en), (Lang::Pt, "a = um { $y }\n")]);
    let details: Vec<_> = problems.iter().map(|p| p.detail.clone()).collect();
    assert!(details.iter().any(|d| d.contains("message b is missing")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("message a has placeholders")), "{details:?}");
    let broken = audit_sources(&[(Lang::En, en), (Lang::ZhHans, "a = { $x\n")]);
    assert!(broken.iter().any(|p| p.lang == Lang::ZhHans), "{broken:?}");
}

#[test]
fn every_coded_value_is_worded_in_every_language() {
    for lang in Lang::ALL {
        for id in words::coded_ids() {
            assert!(messages::has(lang, &id), "{lang}: {id}");
        }
    }
    assert_eq!(words::colour(Lang::ZhHans, Colour::Green), "绿码");
    assert_eq!(words::colour(Lang::ZhHant, Colour::Red), "紅碼");
    assert_eq!(words::colour_loud(Lang::Pt, Colour::Yellow), "AMARELO");
    assert_eq!(words::reason(Lang::En, Reason::NegativeTest), Reason::NegativeTest.describe());
}

/// The stable codes, read from the core's own source: every `Error::code` and `POLICY_*` value.
fn stable_codes() -> Vec<String> {
    let core = concat!(env!("CARGO_MANIFEST_DIR"), "/../healthpass/src/");
    let error = std::fs::read_to_string(format!("{core}error.rs")).unwrap();
    let body = &error[error.find("pub fn code(&self)").unwrap()..];
    let body = &body[..body.find("\n    }\n").unwrap()];
    let mut codes: Vec<String> = body.split("=> \"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
    let policy = std::fs::read_to_string(format!("{core}decide/policy.rs")).unwrap();
    for line in policy.lines().filter(|l| l.starts_with("pub const POLICY_")) {
        let value = line.split('"').nth(1).unwrap();
        codes.push(value.to_string());
    }
    assert!(codes.len() > 50, "{codes:?}");
    codes
}

#[test]
fn every_stable_refusal_code_has_a_sentence_in_every_language() {
    for code in stable_codes() {
        for lang in Lang::ALL {
            assert!(messages::has(lang, &format!("refusal-{code}")), "{lang}: refusal-{code}");
        }
        // The code never changes with the language; the sentence does.
        assert_ne!(words::refusal(Lang::ZhHans, &code), words::refusal(Lang::En, &code), "{code}");
    }
    assert_eq!(words::refusal(Lang::ZhHant, "expired"), "此碼已過期");
}

#[test]
fn translations_are_not_english() {
    let ids = messages::ids();
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        for id in &ids {
            let t = text(lang, id, &[]);
            let en = text(Lang::En, id, &[]);
            let han = t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            // Messages with no words of their own (`[{ $code }] { $message }`) need none.
            let mut depth = 0i32;
            let words = en.chars().any(|c| {
                depth += i32::from(c == '{') - i32::from(c == '}');
                depth == 0 && c.is_alphabetic()
            });
            assert!(han || !words, "{lang} {id}: {t}");
        }
    }
    // Messages of placeholders and punctuation alone (`, { $name }`) may well be the same.
    let worded = |id: &&String| {
        let en = text(Lang::En, id, &[]);
        let mut depth = 0i32;
        en.chars().any(|c| {
            depth += i32::from(c == '{') - i32::from(c == '}');
            depth == 0 && c.is_alphabetic()
        })
    };
    let same: Vec<_> =
        ids.iter().filter(worded).filter(|id| text(Lang::Pt, id, &[]) == text(Lang::En, id, &[])).collect();
    assert!(same.len() <= 2, "Portuguese equal to English: {same:?}");
}

#[test]
fn placeholders_are_filled_and_languages_fall_back_to_english() {
    let args = [("colour", Arg::from("绿码"))];
    assert_eq!(text(Lang::ZhHans, "explain-colour", &args), "此码为绿码。");
    let args = [("needed", Arg::from(2u32)), ("hours", Arg::from(24u32)), ("count", Arg::from(1usize))];
    assert!(text(Lang::Pt, "step-negative-tests", &args).contains("(1 até agora)"));
    assert_eq!(text(Lang::Pt, "no-such-message", &[]), "no-such-message");
    assert_eq!(Lang::from_locale([None, Some("zh_HK.UTF-8"), Some("en_US.UTF-8")]), Lang::ZhHant);
    assert_eq!(Lang::from_locale([Some("pt_MO.UTF-8"), None, None]), Lang::Pt);
    assert_eq!(Lang::from_locale([None, None, Some("zh_CN.UTF-8")]), Lang::ZhHans);
    assert_eq!(Lang::from_locale([None, None, Some("C")]), Lang::En);
    assert_eq!(Lang::from_locale([None, None, Some("fr_FR.UTF-8")]), Lang::En);
    assert_eq!("zh-TW".parse::<Lang>().unwrap(), Lang::ZhHant);
}

/// Names and their masks (the core's own tests hold the same table).
const NAMES: &[(&str, &str)] = &[
    ("Chan Tai Man", "C** T** M**"),
    ("João Silva", "J** S**"),
    ("陈小明", "陈*明"),
    ("陳大文", "陳*文"),
    ("陈明", "陈*"),
    ("陈", "陈*"),
    ("欧阳小明", "欧**明"),
    ("爱新觉罗·溥仪", "爱****仪"),
    ("김민준", "김*준"),
    ("陈Chan", "陈**"),
    ("陈小明 Chan", "陈** C**"),
    ("E\u{301}mile Zola", "E\u{301}** Z**"),
    ("陈小\u{660E}\u{FE00}", "陈*\u{660E}\u{FE00}"),
    ("", ""),
];

#[test]
fn names_are_masked_by_their_script_and_the_core_agrees() {
    for (name, masked) in NAMES {
        assert_eq!(mask_name(name), *masked, "{name:?}");
        assert_eq!(healthpass::decide::mask_name(name), *masked, "the core: {name:?}");
    }
    // A checkpoint's verdict (the core's summary) shows the name as the card does.
    let mut claims = healthpass::Claims::example(chrono::DateTime::UNIX_EPOCH);
    claims.subject.name = Some("陈小明".into());
    assert_eq!(healthpass::decide::Summary::of(&claims).name.as_deref(), Some("陈*明"));
}

#[test]
fn a_verdict_line_keeps_its_codes_in_every_language() {
    use healthpass::decide::{Finding, Verdict};
    let verdict = Verdict::refused(vec![Finding::new("expired", "expired: at 2026-09-01")], vec![]);
    let zone = healthpass_i18n::Zone::utc();
    assert_eq!(healthpass_i18n::verdict::line(&verdict, Lang::En, &zone), "REFUSED; [expired] expired: at 2026-09-01");
    assert_eq!(healthpass_i18n::verdict::line(&verdict, Lang::ZhHant, &zone), "拒絕; [expired] 此碼已過期");
    assert_eq!(healthpass_i18n::verdict::line(&verdict, Lang::Pt, &zone), "RECUSADO; [expired] o código expirou");
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The codes of the findings other crates make themselves (`Finding::new("no_policy", …)`),
/// read from their sources.
fn finding_codes() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["healthpass", "healthpass-cli", "healthpass-interop", "healthpass-scenarios"] {
        sources(&root.join(krate).join("src"), &mut files);
    }
    let mut codes = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for rest in source.split("Finding::new(").skip(1) {
            if let Some(literal) = rest.trim_start().strip_prefix('"') {
                codes.push(literal[..literal.find('"').unwrap()].to_string());
            }
        }
    }
    codes.sort();
    codes.dedup();
    assert!(codes.len() >= 10 && codes.iter().any(|c| c == "no_policy"), "{codes:?}");
    codes
}

#[test]
fn every_finding_code_the_command_line_prints_has_a_sentence_in_every_language() {
    for code in finding_codes() {
        for lang in Lang::ALL {
            assert!(messages::has(lang, &format!("refusal-{code}")), "{lang}: refusal-{code}");
        }
    }
}
