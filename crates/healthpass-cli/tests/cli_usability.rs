//! The command line as its users expect (issue #15), run as the built binary: no silent traps
//! (trust-list validity, stale lists, unverified cards), every format by prefix, scanning that
//! names its sources, issuer conveniences, completions and the man page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{TimeDelta, Utc};
use healthpass::{Claims, Colour, Issuer, SigningKey};
use healthpass_qr::Qr;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-usability-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let o = run(dir, args, None);
    assert!(o.status.success(), "{args:?}: {}{}", out(&o), err(&o));
    o
}

fn key() -> SigningKey {
    SigningKey::from_seed(&[5; 32])
}

/// A green code issued `hours_ago` hours ago on `key()`, and its public key file `k.pub`.
fn code(dir: &Path, hours_ago: i64) -> String {
    std::fs::write(dir.join("k.pub"), key().public_key().to_pem().unwrap()).unwrap();
    key().write_file(&dir.join("k.key")).ok();
    Issuer::new(key()).issue(&Claims::example(Utc::now() - TimeDelta::hours(hours_ago))).unwrap()
}

#[test]
fn a_listed_key_keeps_the_codes_it_signed_before_it_was_listed() {
    let dir = temp("listed");
    let earlier = code(&dir, 3);
    ok(&dir, &["keygen", "--out", "anchor.key"]);
    ok(&dir, &["trust-list", "new", "--out", "draft.json"]);
    let added =
        ok(&dir, &["trust-list", "add", "draft.json", "--key", "k.pub", "--issuer", "CN-GD", "--region", "CN-GD"]);
    assert!(err(&added).is_empty(), "no warning for an open start: {}", err(&added));
    ok(&dir, &["trust-list", "sign", "draft.json", "--anchor-key", "anchor.key", "--out", "list.cose"]);
    let verdict = run(&dir, &["verify", &earlier, "--trust", "list.cose", "--anchor", "anchor.key.pub"], None);
    assert_eq!(verdict.status.code(), Some(0), "{}", out(&verdict));

    // A start given after the code was issued refuses it, and the warning said so.
    ok(&dir, &["trust-list", "new", "--out", "late.json", "--force"]);
    let now = Utc::now().to_rfc3339();
    let added = ok(
        &dir,
        &[
            "trust-list",
            "add",
            "late.json",
            "--key",
            "k.pub",
            "--issuer",
            "CN-GD",
            "--region",
            "CN-GD",
            "--valid-from",
            &now,
        ],
    );
    assert!(err(&added).contains("will be refused (key_not_valid)"), "{}", err(&added));
    ok(&dir, &["trust-list", "sign", "late.json", "--anchor-key", "anchor.key", "--out", "late.cose"]);
    let verdict = run(&dir, &["verify", &earlier, "--trust", "late.cose", "--anchor", "anchor.key.pub"], None);
    assert_eq!(verdict.status.code(), Some(1));
    assert!(out(&verdict).contains("[key_not_valid]"), "{}", out(&verdict));

    // `show` says when a list goes stale.
    let show = ok(&dir, &["trust-list", "show", "list.cose", "--anchor", "anchor.key.pub"]);
    assert!(err(&show).is_empty(), "{}", err(&show));
    let at = (Utc::now() + TimeDelta::days(6) + TimeDelta::hours(12)).to_rfc3339();
    let show = ok(&dir, &["trust-list", "show", "list.cose", "--anchor", "anchor.key.pub", "--at", &at]);
    assert!(err(&show).contains("goes stale at"), "{}", err(&show));
    let at = (Utc::now() + TimeDelta::days(8)).to_rfc3339();
    let show = ok(&dir, &["trust-list", "show", "list.cose", "--anchor", "anchor.key.pub", "--at", &at]);
    assert!(err(&show).contains("STALE trust list"), "{}", err(&show));
}

#[test]
fn trust_lists_take_x509_certificates_and_es256_keys() {
    let dir = temp("x509");
    let vector: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc/DE/2DCode/raw/1.json")).unwrap()).unwrap();
    std::fs::write(dir.join("dsc.b64"), vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    ok(&dir, &["trust-list", "new", "--out", "draft.json"]);
    let added = ok(&dir, &["trust-list", "add", "draft.json", "--key", "dsc.b64", "--issuer", "DE", "--region", "DE"]);
    assert!(out(&added).contains("(Es256)") || out(&added).contains("(Ps256)"), "{}", out(&added));
    let draft: Value = serde_json::from_slice(&std::fs::read(dir.join("draft.json")).unwrap()).unwrap();
    let kid = healthpass_interop::dcc_kid(&base64_decode(vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()));
    assert_eq!(draft["entries"][0]["kid"], kid.to_string());

    // The certificate's SPKI as PEM: an ES256 key needs the kid its codes name.
    let spki = draft["entries"][0]["public_key"].as_str().unwrap();
    let body = base64_encode(&data_encoding::HEXLOWER_PERMISSIVE.decode(spki.as_bytes()).unwrap());
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n"));
    std::fs::write(dir.join("es.pub"), pem).unwrap();
    let o =
        run(&dir, &["trust-list", "add", "draft.json", "--key", "es.pub", "--issuer", "DE", "--region", "DE"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("es.pub") && err(&o).contains("--kid"), "{}", err(&o));
    ok(
        &dir,
        &[
            "trust-list",
            "add",
            "draft.json",
            "--key",
            "es.pub",
            "--kid",
            "0102030405060708",
            "--issuer",
            "DE",
            "--region",
            "DE",
        ],
    );
    // A secret key is no trust-list key.
    ok(&dir, &["keygen", "--out", "s.key"]);
    let o = run(&dir, &["trust-list", "add", "draft.json", "--key", "s.key", "--issuer", "DE", "--region", "DE"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("SECRET key"), "{}", err(&o));
}

fn base64_decode(text: &str) -> Vec<u8> {
    data_encoding::BASE64.decode(text.trim().as_bytes()).unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

#[test]
fn verify_and_decode_pick_the_format_by_prefix() {
    let dir = temp("formats");
    let nzcp: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/nzcp/nzcp-examples.json")).unwrap()).unwrap();
    let valid = nzcp["cases"][0]["payload"].as_str().unwrap();
    let did = root().join("test-vectors/nzcp/did.json");
    let o =
        run(&dir, &["verify", valid, "--did", did.to_str().unwrap(), "--at", "2021-11-03T00:00:00Z", "--json"], None);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains(r#""format":"NZCP""#), "{}", out(&o));
    let o = run(&dir, &["verify", valid], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--did"), "{}", err(&o));

    let shc = root().join("test-vectors/shc/examples");
    let text = std::fs::read_to_string(shc.join("example-00-f-qr-code-numeric-value-0.txt")).unwrap();
    let jwks = shc.join("issuer/.well-known/jwks.json");
    let args = [
        "verify",
        text.trim(),
        "--jwks",
        jwks.to_str().unwrap(),
        "--shc-issuer",
        "https://spec.smarthealth.cards/examples/issuer",
        "--at",
        "2023-07-01T00:00:00Z",
    ];
    let o = run(&dir, &args, None);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("(SHC)"), "{}", out(&o));

    let dcc: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc/DE/2DCode/raw/1.json")).unwrap()).unwrap();
    let o = run(&dir, &["decode", dcc["PREFIX"].as_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let decoded: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!((decoded["UNVERIFIED"].as_bool(), decoded["format"].as_str()), (Some(true), Some("HC1")));
    let o = run(&dir, &["decode", valid], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let decoded: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(decoded["cwt"]["1"], "did:web:nzcp.covid19.health.nz", "{decoded}");
    let o = run(&dir, &["decode", text.trim()], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let decoded: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(decoded["payload"]["iss"], "https://spec.smarthealth.cards/examples/issuer", "{decoded}");
    assert_eq!(decoded["header"]["alg"], "ES256");
    assert_eq!(run(&dir, &["decode", "NZCP:/1/!!"], None).status.code(), Some(2));
    assert_eq!(run(&dir, &["decode", "shc:/123"], None).status.code(), Some(2));
}

#[test]
fn scan_names_its_sources_and_reads_inverted_codes() {
    let dir = temp("scan");
    let first = code(&dir, 1);
    let qr = Qr::encode(&first).unwrap();
    std::fs::write(dir.join("a.png"), qr.to_png(4).unwrap()).unwrap();
    let mut inverted = qr.to_image(4);
    image::imageops::invert(&mut inverted);
    inverted.save(dir.join("dark.png")).unwrap();
    let o = ok(&dir, &["scan", "a.png"]);
    assert_eq!(out(&o).trim(), first, "one image: the bare text");
    let o = ok(&dir, &["scan", "a.png", "dark.png"]);
    assert_eq!(out(&o), format!("a.png:1: {first}\ndark.png:1: {first}\n"));
    let o = ok(&dir, &["scan", "dark.png", "--json"]);
    let line: Value = serde_json::from_str(out(&o).trim()).unwrap();
    assert_eq!((line["source"]["input"].as_str(), line["text"].as_str()), (Some("dark.png"), Some(first.as_str())));

    // issue --terminal | verify -: the art goes to stderr; stdout holds the text alone.
    std::fs::write(dir.join("claims.json"), r#"{"issuer":"CN-GD","colour":"green","reasons":["negative_test"],"kind":{"type":"personal"},"subject":{"id":"000102030405060708090a0b0c0d0e0f"}}"#).unwrap();
    let o = ok(&dir, &["issue", "claims.json", "--key", "k.key", "--terminal"]);
    assert_eq!(out(&o).lines().count(), 1);
    assert!(err(&o).contains('█'));
    let piped = run(&dir, &["verify", "-", "--keys", "k.pub"], Some(&o.stdout));
    assert_eq!(piped.status.code(), Some(0), "{}", err(&piped));
}

#[test]
fn issuer_conveniences() {
    let dir = temp("issuer");
    code(&dir, 1);
    std::fs::write(dir.join("claims.json"), r#"{"issuer":"CN-GD","colour":"green","reasons":["negative_test"],"kind":{"type":"personal"},"subject":{"id":"000102030405060708090a0b0c0d0e0f"}}"#).unwrap();
    let o = ok(&dir, &["issue", "claims.json", "--key", "k.key", "--json", "--png", "big.png", "--module-size", "10"]);
    let issued: Value = serde_json::from_str(out(&o).trim()).unwrap();
    assert!(issued["text"].as_str().unwrap().starts_with("HP1:"));
    assert_eq!(issued["kid"], key().kid().to_string());
    assert_eq!(issued["credential_id"].as_str().unwrap().len(), 32);
    ok(&dir, &["issue", "claims.json", "--key", "k.key", "--png", "small.png", "--module-size", "2"]);
    let (big, small) = (image::open(dir.join("big.png")).unwrap(), image::open(dir.join("small.png")).unwrap());
    assert_eq!(big.width() * 2, small.width() * 10);

    // revoke --codes-file: codes and ids, comments skipped; a bad line named; the issuer warning.
    let text = issued["text"].as_str().unwrap();
    std::fs::write(dir.join("codes.txt"), format!("# today's\n{text}\n\n{}\n", "ab".repeat(16))).unwrap();
    let o = ok(&dir, &["revoke", "--key", "k.key", "--out", "rev.cose", "--codes-file", "codes.txt"]);
    assert!(out(&o).contains("2 credentials"), "{}", out(&o));
    assert!(err(&o).contains("no --issuer"), "{}", err(&o));
    std::fs::write(dir.join("bad.txt"), "HP1:nonsense\n").unwrap();
    let o = run(&dir, &["revoke", "--key", "k.key", "--out", "rev2.cose", "--codes-file", "bad.txt"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("bad.txt line 1"), "{}", err(&o));
}

#[test]
fn a_card_made_without_keys_says_unverified() {
    let dir = temp("card");
    let text = code(&dir, 1);
    ok(&dir, &["card", &text, "--svg", "plain.svg"]);
    ok(&dir, &["card", &text, "--svg", "checked.svg", "--keys", "k.pub"]);
    let plain = std::fs::read_to_string(dir.join("plain.svg")).unwrap();
    let checked = std::fs::read_to_string(dir.join("checked.svg")).unwrap();
    assert!(plain.contains("UNVERIFIED"), "{plain}");
    assert!(!checked.contains("UNVERIFIED"));
}

#[test]
fn completions_man_page_and_plurals() {
    let dir = temp("completions");
    for shell in ["bash", "zsh", "fish"] {
        let o = ok(&dir, &["completions", shell]);
        assert!(out(&o).contains("trust-list"), "{shell}");
    }
    let o = ok(&dir, &["man"]);
    assert!(out(&o).starts_with(".ie") || out(&o).contains(".TH healthpass"), "{}", &out(&o)[..200.min(out(&o).len())]);
    assert!(out(&o).contains("verify"));
    let text = code(&dir, 1);
    let o = ok(&dir, &["wallet", "add", "--wallet", "w.json", "Mum", &text]);
    assert!(out(&o).contains("(1 code)"), "{}", out(&o));
    let o = ok(&dir, &["wallet", "add", "--wallet", "w.json", "Dad", &text]);
    assert!(out(&o).contains("(2 codes)"), "{}", out(&o));
}

#[test]
fn conformance_prints_its_summary_last_and_hides_known_lines() {
    let dir = temp("conformance");
    let dcc = root().join("test-vectors/dcc/DE");
    let o = run(&dir, &["conformance", "dcc", dcc.to_str().unwrap()], None);
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.last().unwrap().ends_with(" failed"), "{text}");
    assert!(lines[lines.len() - 2].contains("KNOWN and N/A lines not shown") || !text.contains("KNOWN"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("KNOWN  ")), "{text}");
    let table = lines.iter().position(|l| l.starts_with("stage ")).unwrap();
    assert!(table > 1, "the table comes after the details: {text}");
    let verbose = out(&run(&dir, &["conformance", "dcc", dcc.to_str().unwrap(), "--verbose"], None));
    assert!(verbose.lines().count() >= lines.len());
}

#[test]
fn a_red_code_is_never_a_silent_pass() {
    let dir = temp("red");
    code(&dir, 1);
    let mut claims = Claims::example(Utc::now() - TimeDelta::hours(1));
    claims.colour = Colour::Red;
    let red = Issuer::new(key()).issue(&claims).unwrap();
    let o = run(&dir, &["verify", &red, "--keys", "k.pub"], None);
    assert!(out(&o).starts_with("ACCEPTED RED") && out(&o).contains("no_policy"), "{}", out(&o));
    assert!(!out(&o).contains("VALID"));
    let o = run(&dir, &["verify", &red, "--keys", "k.pub", "--green-only"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).starts_with("REFUSED RED"), "{}", out(&o));
}
