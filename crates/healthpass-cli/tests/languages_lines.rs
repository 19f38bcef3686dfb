//! Every line the CLI prints for people, in the reader's language and zone (issue #16): the
//! verdict line's words, `decode`'s warning, foreign verdicts (EU DCC, NZ COVID Pass, SMART
//! Health Cards), `convert`, `venue`, `wallet list` and `show`, the unverified card, and usage
//! errors. English stays as it was; stable codes never change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, Holder, Issuer, Limits, SigningKey};
use serde_json::Value;

fn cli(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_healthpass"));
    command.args(args);
    for name in ["TZ", "LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.output().unwrap()
}

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-lines-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 1, 0, 0).unwrap()
}

fn chen() -> Claims {
    let mut claims = Claims::example(now() - TimeDelta::hours(1));
    claims.subject.name = Some("陈小明".into());
    claims
}

fn code(claims: &Claims) -> String {
    Issuer::new(SigningKey::demo()).issue(claims).unwrap()
}

/// No English word of the verdict line is left.
fn no_english(line: &str) {
    for word in ["code from", "valid until", "ACCEPTED", "REFUSED", "warning", "UNVERIFIED", "carried by"] {
        assert!(!line.contains(word), "{word:?} in {line}");
    }
}

#[test]
fn the_verdict_line_is_worded_in_the_readers_language() {
    let text = code(&chen());
    let at = now().to_rfc3339();
    let verify =
        |lang: &str| cli(&["--lang", lang, "--tz", "Asia/Shanghai", "verify", &text, "--demo-key", "--at", &at]);
    let en = out(&verify("en"));
    assert!(
        en.starts_with("ACCEPTED GREEN personal code from CN-GD, valid until ") && en.contains("+08:00, 陈*明"),
        "{en}"
    );
    let zh = out(&verify("zh-Hans"));
    assert!(
        zh.starts_with("通过 绿码 个人码，签发机构 CN-GD，有效至 ") && zh.trim_end().ends_with("+08:00，陈*明"),
        "{zh}"
    );
    no_english(&zh);
    let hant = out(&verify("zh-Hant"));
    assert!(hant.starts_with("通過 綠碼 個人碼，簽發機構 CN-GD，有效至 "), "{hant}");
    let pt = out(&verify("pt"));
    assert!(pt.starts_with("ACEITE VERDE código pessoal de CN-GD, válido até ") && pt.contains("+08:00"), "{pt}");

    // A red code without a policy: the warning is worded too, its code kept.
    let mut red = chen();
    red.colour = Colour::Red;
    let red = code(&red);
    let o = cli(&["--lang", "zh-Hans", "verify", &red, "--demo-key", "--at", &at]);
    let line = out(&o);
    assert!(line.contains("提示 [no_policy] 无论颜色"), "{line}");
    no_english(&line);
    // Refused codes are counted in the reader's language on standard error.
    let late = (now() + TimeDelta::days(5)).to_rfc3339();
    let o = cli(&["--lang", "zh-Hans", "verify", &text, "--demo-key", "--at", &late]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("共 1 个码，1 个被拒绝或无码"), "{}", err(&o));
    let o = cli(&["verify", &text, "--demo-key", "--at", &late]);
    assert!(err(&o).contains("1 of 1 code refused or without a code"), "{}", err(&o));
}

#[test]
fn decode_warns_in_the_readers_language() {
    let text = code(&chen());
    let o = cli(&["--lang", "zh-Hant", "decode", &text]);
    assert!(o.status.success());
    assert!(err(&o).contains("未核實：此碼的簽名和有效期均未經檢查"), "{}", err(&o));
    assert!(!err(&o).contains("UNVERIFIED"), "{}", err(&o));
    let decoded: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(decoded["UNVERIFIED"], true, "the JSON's key is a stable name, not a sentence");
    assert!(err(&cli(&["decode", &text])).contains("UNVERIFIED: the signature and validity"));
}

#[test]
fn foreign_verdicts_are_worded_in_the_readers_language() {
    let nzcp: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/nzcp/nzcp-examples.json")).unwrap()).unwrap();
    let valid = nzcp["cases"][0]["payload"].as_str().unwrap();
    let did = root().join("test-vectors/nzcp/did.json");
    let o = cli(&[
        "--lang",
        "zh-Hant",
        "--tz",
        "Pacific/Auckland",
        "verify",
        valid,
        "--did",
        p(&did),
        "--at",
        "2021-11-03T00:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let line = out(&o);
    assert!(
        line.starts_with("通過 ") && line.contains("碼（NZCP），簽發機構 ") && line.contains("，有效至 "),
        "{line}"
    );
    assert!(line.contains("+13:00"), "New Zealand summer time: {line}");
    no_english(&line);

    let shc = root().join("test-vectors/shc/examples");
    let text = std::fs::read_to_string(shc.join("example-00-f-qr-code-numeric-value-0.txt")).unwrap();
    let jwks = shc.join("issuer/.well-known/jwks.json");
    let issuer = "https://spec.smarthealth.cards/examples/issuer";
    let o = cli(&[
        "--lang",
        "pt",
        "verify",
        text.trim(),
        "--jwks",
        p(&jwks),
        "--shc-issuer",
        issuer,
        "--at",
        "2023-07-01T00:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let line = out(&o);
    assert!(line.starts_with("ACEITE ") && line.contains("(SHC) de ") && line.contains(", válido até "), "{line}");
    no_english(&line);

    let dir = temp_dir("dcc");
    let vector: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc/DE/2DCode/raw/1.json")).unwrap()).unwrap();
    let cert = dir.join("dsc.pem");
    std::fs::write(&cert, vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    let text = vector["PREFIX"].as_str().unwrap();
    let clock = vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap();
    let o = cli(&["--lang", "zh-Hans", "--tz", "Europe/Berlin", "verify", text, "--dcc-cert", p(&cert), "--at", clock]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let line = out(&o);
    assert!(line.starts_with("通过 ") && line.contains("码（HC1），签发机构 ") && line.contains("，有效至 "), "{line}");
    assert!(line.contains("+01:00") || line.contains("+02:00"), "Berlin time: {line}");
    no_english(&line);
}

#[test]
fn convert_says_what_it_issued_in_the_readers_language_and_zone() {
    let dir = temp_dir("convert");
    let source_key = SigningKey::from_seed(&[9; 32]);
    let keys = dir.join("source.pub");
    std::fs::write(&keys, source_key.public_key().to_pem().unwrap()).unwrap();
    let green = Issuer::new(SigningKey::from_seed(&[9; 32])).issue(&chen()).unwrap();
    let at = now().to_rfc3339();
    let convert = |lang: &str, text: &str| {
        cli(&[
            "--lang",
            lang,
            "--tz",
            "Asia/Macau",
            "convert",
            text,
            "--source-keys",
            p(&keys),
            "--issuer",
            "MO-SSM",
            "--demo-key",
            "--at",
            &at,
        ])
    };
    let o = convert("zh-Hans", &green);
    assert!(o.status.success(), "{}", err(&o));
    let said = err(&o);
    assert!(said.contains("已将 CN-GD 签发的 HP1 码") && said.contains("转换为 MO-SSM 签发的跨境码：绿码"), "{said}");
    assert!(said.contains("+08:00") && !said.contains("UTC"), "{said}");
    let o = convert("pt", &green);
    assert!(err(&o).contains("convertido num código transfronteiriço VERDE de MO-SSM, válido até"), "{}", err(&o));
    let o = convert("en", &green);
    assert!(err(&o).contains("into a GREEN cross-border code from MO-SSM, valid until"), "{}", err(&o));

    let mut red = chen();
    red.colour = Colour::Red;
    let red = Issuer::new(source_key).issue(&red).unwrap();
    let o = convert("zh-Hant", &red);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).starts_with("拒絕：[policy_not_met] 原碼不符合轉換規則"), "{}", err(&o));
}

/// A trust list naming the venue authority's and the health authority's keys; and its anchor.
fn trust_list(dir: &Path, entries: &[(&SigningKey, &str, KindName)]) -> (PathBuf, PathBuf) {
    let anchor = SigningKey::from_seed(&[1; 32]);
    let mut list = TrustList::new(1, now() - TimeDelta::days(1), now() + TimeDelta::days(7));
    for (key, issuer, kind) in entries {
        let mut entry =
            TrustEntry::ed25519(&key.public_key(), issuer, "CN-GD", now() - TimeDelta::days(30), TimeDelta::days(365));
        entry.scope = Scope { kinds: Some(vec![*kind]), ..Scope::default() };
        list.entries.push(entry);
    }
    let (path, anchor_path) = (dir.join("trust.cose"), dir.join("anchor.pub"));
    std::fs::write(&path, list.sign(&anchor, &Limits::DEFAULT).unwrap()).unwrap();
    std::fs::write(&anchor_path, anchor.public_key().to_pem().unwrap()).unwrap();
    (path, anchor_path)
}

#[test]
fn venue_lines_are_worded_in_the_readers_language() {
    let dir = temp_dir("venue");
    let venue_key = SigningKey::from_seed(&[3; 32]);
    let secret = dir.join("venue.key");
    venue_key.write_file(&secret).unwrap();
    let (list, anchor) = trust_list(
        &dir,
        &[(&venue_key, "CN-GD-VENUES", KindName::Venue), (&SigningKey::demo(), "CN-GD", KindName::Personal)],
    );
    let policy = dir.join("library.json");
    std::fs::write(&policy, r#"{ "name": "library", "accept_colours": ["green"] }"#).unwrap();
    let at = now().to_rfc3339();
    let o = cli(&[
        "--lang",
        "zh-Hans",
        "--tz",
        "Asia/Shanghai",
        "venue",
        "issue",
        "--id",
        "GZ-TH-LIB-01",
        "--region",
        "CN-GD",
        "--policy",
        p(&policy),
        "--issuer",
        "CN-GD-VENUES",
        "--officer",
        "registrar-7",
        "--key",
        p(&secret),
        "--at",
        &at,
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let said = err(&o);
    assert!(said.contains("场所码：（无名称） (GZ-TH-LIB-01, CN-GD)，有效至 ") && said.contains("+08:00"), "{said}");
    let poster = out(&o).trim().to_string();
    let checkins = dir.join("checkins.json");
    let o = cli(&[
        "--lang",
        "zh-Hant",
        "--tz",
        "Asia/Hong_Kong",
        "venue",
        "check",
        &poster,
        &code(&chen()),
        "--trust",
        p(&list),
        "--anchor",
        p(&anchor),
        "--at",
        &at,
        "--checkins",
        p(&checkins),
    ]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("場所已核實：（無名稱） (GZ-TH-LIB-01, CN-GD)，入場規則 \"library\""), "{text}");
    assert!(text.contains("person: 通過 綠碼 個人碼，簽發機構 CN-GD，有效至 "), "{text}");
    assert!(text.contains("入場記錄已存入") && text.contains("保留 1 條"), "{text}");
    no_english(&text);
}

#[test]
fn wallet_lines_and_the_holder_line_are_worded_in_the_readers_language() {
    let dir = temp_dir("wallet");
    let wallet = dir.join("family.json");
    let mut dad = chen();
    dad.subject.name = Some("陈大文".into());
    dad.holder =
        Some(Holder { relation: healthpass::claims::Relation::Child, name: Some("陈小明".into()), id: None });
    let text = code(&dad);
    assert!(cli(&["wallet", "add", "--wallet", p(&wallet), "Dad", &text]).status.success());
    let at = now().to_rfc3339();
    let list = |lang: &str, keyed: bool| {
        let mut args =
            vec!["--lang", lang, "--tz", "Asia/Shanghai", "wallet", "list", "--wallet", p(&wallet), "--at", &at];
        if keyed {
            args.push("--demo-key");
        }
        out(&cli(&args))
    };
    let zh = list("zh-Hans", true);
    assert!(
        zh.starts_with("Dad：绿码，个人，陈*文 的码，由 陈*明（本人的子女）携带，有效至 ")
            && zh.contains("+08:00 [已核验]"),
        "{zh}"
    );
    no_english(&zh);
    assert!(
        list("pt", false).contains("código de 陈*文, apresentado por 陈*明 (filho ou filha do titular)"),
        "{}",
        list("pt", false)
    );
    assert!(list("pt", false).contains("[não verificado]"), "{}", list("pt", false));
    assert!(list("en", true).contains("Dad: GREEN personal, code of 陈*文, carried by 陈*明 (the subject's child)"));
    let late = (now() + TimeDelta::days(5)).to_rfc3339();
    let o = cli(&["--lang", "zh-Hant", "wallet", "list", "--wallet", p(&wallet), "--demo-key", "--at", &late]);
    assert!(out(&o).contains("[核實失敗]; [expired] 此碼已過期"), "{}", out(&o));

    let o = cli(&["--lang", "zh-Hant", "wallet", "show", "--wallet", p(&wallet), "Dad"]);
    assert_eq!(err(&o).trim(), "陈*文 的碼，由 陈*明（本人的子女）攜帶（未核實）");
}

#[test]
fn an_unverified_card_says_so_in_the_card_language() {
    let dir = temp_dir("card");
    let svg = dir.join("card.svg");
    let text = code(&chen());
    let o = cli(&["--lang", "zh-Hans", "card", &text, "--svg", p(&svg)]);
    assert!(o.status.success(), "{}", err(&o));
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.contains(">未核验：签名未经检查</text>") && !svg_text.contains("UNVERIFIED"), "{svg_text}");
    let o = cli(&["--lang", "pt", "card", &text, "--svg", p(&svg)]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read_to_string(&svg).unwrap().contains(">NÃO VERIFICADO: assinatura NÃO verificada</text>"));
}

#[test]
fn usage_errors_are_worded_in_the_readers_language() {
    let o = cli(&["--lang", "zh-Hans", "verify", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let said = err(&o);
    assert!(said.starts_with("错误：无法识别的参数 '--bogus'"), "{said}");
    assert!(said.contains("用法：healthpass verify") && said.contains("'--help'（英文）"), "{said}");
    let o = cli(&["--lang=pt", "verify", "x", "--skew", "soon"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("erro: valor inválido 'soon' para '--skew"), "{}", err(&o));
    let mut command = Command::new(env!("CARGO_BIN_EXE_healthpass"));
    let o = command
        .args(["frobnicate"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_TW.UTF-8")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("錯誤：無法識別的命令 'frobnicate'"), "{}", err(&o));
    // English keeps clap's own words; help stays English in every language.
    let o = cli(&["verify", "--bogus"]);
    assert!(err(&o).contains("unexpected argument '--bogus'"), "{}", err(&o));
    let o = cli(&["--lang", "zh-Hans", "--help"]);
    assert!(o.status.success() && out(&o).contains("Usage:"));
    // healthpass's own usage failures carry the localised `error:` word.
    let o = cli(&["--lang", "zh-Hans", "card", &code(&chen())]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o).trim(), "错误：请提供 --png FILE 和/或 --svg FILE");
    let o = cli(&["card", &code(&chen())]);
    assert_eq!(err(&o).trim(), "error: give --png FILE and/or --svg FILE");
}

#[test]
fn wallet_card_explain_trust_and_school_lines_are_worded_in_the_readers_language() {
    let dir = temp_dir("more");
    let wallet = dir.join("w.json");
    let text = code(&chen());
    let at = now().to_rfc3339();
    let late = (now() + TimeDelta::days(5)).to_rfc3339();
    let o = cli(&["--lang", "zh-Hans", "wallet", "add", "--wallet", p(&wallet), "Mum", &text]);
    assert_eq!(out(&o).trim(), format!("已将 \"Mum\" 加入 {}（共 1 个码）", wallet.display()));
    let o = cli(&["--lang", "zh-Hans", "wallet", "list", "--wallet", p(&wallet), "--demo-key", "--at", &late]);
    assert_eq!((o.status.code(), err(&o).trim()), (Some(1), "1 个码未通过核验"));
    let o = cli(&["--lang", "pt", "wallet", "remove", "--wallet", p(&wallet), "Mum"]);
    assert_eq!(out(&o).trim(), "\"Mum\" removido");
    let o = cli(&["--lang", "pt", "wallet", "list", "--wallet", p(&wallet)]);
    assert_eq!(out(&o).trim(), format!("{} não tem códigos", wallet.display()));

    let svg = dir.join("card.svg");
    let o = cli(&["--lang", "zh-Hant", "card", &text, "--svg", p(&svg), "--demo-key", "--at", &at]);
    assert_eq!(out(&o).trim(), format!("已寫入 {}", svg.display()));
    let o = cli(&["--lang", "zh-Hant", "card", &text, "--svg", p(&svg), "--demo-key", "--at", &late]);
    assert_eq!((o.status.code(), err(&o).lines().last()), (Some(1), Some("此碼未通過核實，未製作卡片")));
    let o = cli(&["--lang", "pt", "explain", &text, "--demo-key", "--at", &late]);
    assert_eq!((o.status.code(), err(&o).trim()), (Some(1), "o código não foi verificado com sucesso"));

    let (list, _) = trust_list(&dir, &[(&SigningKey::demo(), "CN-GD", KindName::Personal)]);
    let o = cli(&["--lang", "zh-Hans", "trust-list", "show", p(&list)]);
    assert!(err(&o).contains("未核验：未提供 --anchor，签名未经检查"), "{}", err(&o));

    let roster = dir.join("roster.json");
    std::fs::write(&roster, r#"[{ "name": "陈小明", "id": "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a" }]"#).unwrap();
    let o = cli(&[
        "--lang",
        "zh-Hant",
        "school",
        "summary",
        &text,
        "--roster",
        p(&roster),
        "--school",
        "Pui Ching",
        "--class",
        "3B",
        "--demo-key",
        "--at",
        &at,
    ]);
    assert_eq!((o.status.code(), err(&o).trim()), (Some(1), "欠碼 1 人，非綠碼 0 人，0 個碼被拒絕"), "{}", out(&o));
}
