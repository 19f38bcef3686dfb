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
    let same: Vec<_> = ids.iter().filter(|id| text(Lang::Pt, id, &[]) == text(Lang::En, id, &[])).collect();
    assert!(same.len() <= 3, "Portuguese equal to English: {same:?}");
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

#[test]
fn names_are_masked_by_their_script() {
    assert_eq!(mask_name("陈小明"), "陈*明");
    assert_eq!(mask_name("陳大文"), "陳*文");
    assert_eq!(mask_name("欧阳小明"), "欧**明");
    assert_eq!(mask_name("陈明"), "陈*");
    assert_eq!(mask_name("Chan Tai Man"), "C** T** M**");
    assert_eq!(mask_name("João Silva"), "J** S**");
    assert_eq!(mask_name(""), "");
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
