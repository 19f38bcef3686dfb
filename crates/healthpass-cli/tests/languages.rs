//! The CLI in the reader's language and zone (issue #16): `--lang`, then `LC_ALL`,
//! `LC_MESSAGES`, `LANG`; `--tz`, then `TZ`. Stable codes never change with the language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::claims::{TestKind, TestOutcome, TestResult};
use healthpass::{Claims, Colour, Issuer, Reason, SigningKey};

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_healthpass"));
    command.args(args);
    for name in ["TZ", "LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 1, 0, 0).unwrap()
}

fn code(claims: &Claims) -> String {
    Issuer::new(SigningKey::demo()).issue(claims).unwrap()
}

fn green() -> Claims {
    let mut claims = Claims::example(now() - TimeDelta::hours(1));
    claims.subject.name = Some("陈小明".into());
    claims
}

#[test]
fn verify_lines_follow_lang_then_the_locale() {
    let text = code(&green());
    let at = now().to_rfc3339();
    let base = ["verify", text.as_str(), "--demo-key", "--at", at.as_str()];
    let run = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(base);
        stdout(&cli(&args, env))
    };
    assert!(run(&[], &[]).starts_with("ACCEPTED GREEN personal code from"), "{}", run(&[], &[]));
    let zh = run(&["--lang", "zh-Hans", "--tz", "Asia/Shanghai"], &[]);
    assert!(zh.starts_with("通过 绿码 个人"), "{zh}");
    assert!(zh.contains("+08:00") && zh.contains("陈*明"), "{zh}");
    let pt = run(&[], &[("LANG", "pt_MO.UTF-8"), ("TZ", "Asia/Macau")]);
    assert!(pt.starts_with("ACEITE VERDE código pessoal") && pt.contains("+08:00"), "{pt}");
    // LC_ALL wins over LANG; --lang wins over both.
    let hant = run(&[], &[("LANG", "pt_PT.UTF-8"), ("LC_ALL", "zh_HK.UTF-8")]);
    assert!(hant.starts_with("通過 綠碼 個人"), "{hant}");
    assert!(run(&["--lang", "en"], &[("LC_ALL", "zh_HK.UTF-8")]).starts_with("ACCEPTED GREEN"));
    assert_eq!(
        cli(&["--lang", "fr", "scan", "x.png"], &[]).status.code(),
        Some(2),
        "an unknown --lang is a usage error"
    );
}

#[test]
fn refusals_are_worded_by_their_stable_code_which_never_changes() {
    let text = code(&green());
    let late = (now() + TimeDelta::days(3)).to_rfc3339();
    let args = ["verify", text.as_str(), "--demo-key", "--at", late.as_str()];
    let en = cli(&args, &[]);
    assert_eq!(en.status.code(), Some(1));
    assert!(stdout(&en).starts_with("REFUSED [expired]"), "{}", stdout(&en));
    let hant = cli(&args, &[("LANG", "zh_TW.UTF-8")]);
    assert_eq!(hant.status.code(), Some(1));
    assert_eq!(stdout(&hant).trim(), "拒絕 [expired] 此碼已過期");
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let json: serde_json::Value = serde_json::from_slice(&cli(&json_args, &[("LANG", "zh_CN.UTF-8")]).stdout).unwrap();
    assert_eq!(json["refusals"][0]["code"], "expired", "the code is the same in every language");
}

#[test]
fn explain_and_card_speak_the_holders_language() {
    let text = code(&green());
    let at = now().to_rfc3339();
    let out = cli(&["explain", &text, "--demo-key", "--at", &at, "--lang", "zh-Hans", "--tz", "Asia/Shanghai"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = stdout(&out);
    for line in ["已核验：签名、密钥及有效期均已检查", "此码为绿码。", "原因：", "近期检测结果为阴性", "无需任何操作"]
    {
        assert!(out.contains(line), "{line:?} in {out}");
    }
    assert!(out.contains("+08:00") && !out.contains("UTC"), "{out}");

    let dir = std::env::temp_dir().join(format!("healthpass-languages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("card.svg");
    let out = cli(
        &[
            "--lang",
            "pt",
            "--tz",
            "Asia/Macau",
            "card",
            &text,
            "--svg",
            svg.to_str().unwrap(),
            "--demo-key",
            "--at",
            &at,
        ],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains(">VERDE</text>") && svg.contains("Nome: 陈*明") && svg.contains("+08:00"), "{svg}");
}

#[test]
fn explain_says_why_the_colour_changed_between_two_codes() {
    let today = green();
    let mut yesterday = green();
    yesterday.issued_at = today.issued_at - TimeDelta::days(1);
    yesterday.not_before = yesterday.issued_at;
    yesterday.expires_at = today.issued_at;
    yesterday.colour = Colour::Red;
    yesterday.reasons = vec![Reason::PositiveTest, Reason::InQuarantine];
    yesterday.evidence.tests = vec![TestResult {
        kind: TestKind::NucleicAcid,
        result: TestOutcome::Positive,
        sampled_at: yesterday.issued_at - TimeDelta::hours(2),
        facility: None,
    }];
    let (old, new) = (code(&yesterday), code(&today));
    let at = now().to_rfc3339();
    let out =
        cli(&["--lang", "zh-Hans", "--tz", "Asia/Hong_Kong", "explain", &new, &old, "--demo-key", "--at", &at], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    for line in [
        "颜色由红码变为绿码",
        "不再适用的原因：检测结果为阳性",
        "新增原因：近期检测结果为阴性",
        "新增证明：核酸检测：阴性",
        "码中不再有的证明：核酸检测：阳性",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    // Oldest first whatever the order given; dates in the holder's zone.
    assert!(text.contains(&format!("从 {} 到", "2026-08-31 08:00 +08:00")), "{text}");
    let en = stdout(&cli(&["explain", &old, &new, "--demo-key", "--at", &at], &[]));
    assert!(en.contains("the colour changed from RED to GREEN"), "{en}");

    let pt = stdout(&cli(&["--lang", "pt", "explain", &new, &old, "--demo-key", "--at", &at], &[]));
    assert!(pt.contains("a cor mudou de VERMELHO para VERDE"), "{pt}");

    // Codes of two people are not compared.
    let mut other = green();
    other.subject.id = healthpass::SubjectId([7; 16]);
    let out = cli(&["explain", &code(&other), &new, "--demo-key", "--at", &at], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not of the same person"));
}
