//! One verdict schema (docs/verdict.schema.json): every command that decides prints, under
//! `--json`, only JSON Lines on standard output, each valid against the schema, and exits 0
//! when every code was accepted, 1 when any was refused or an image held none, 2 for usage
//! and I/O errors. Run as the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{TimeDelta, Utc};
use healthpass::trust::{Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, Issuer, Limits, SigningKey};
use healthpass_qr::Qr;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_slice(&std::fs::read(root().join("docs/verdict.schema.json")).unwrap()).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Every line of standard output, each parsed and checked against the schema.
fn documents(out: &Output) -> Vec<Value> {
    let validator = validator();
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(!text.trim().is_empty(), "no JSON on stdout; stderr: {}", String::from_utf8_lossy(&out.stderr));
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let errors: Vec<String> =
                validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path)).collect();
            assert!(errors.is_empty(), "{line}\n{errors:#?}");
            value
        })
        .collect()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-verdicts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn key() -> SigningKey {
    SigningKey::from_seed(&[9; 32])
}

fn code(colour: Colour, name: Option<&str>) -> String {
    let mut claims = Claims::example(Utc::now() - TimeDelta::hours(1));
    claims.colour = colour;
    claims.subject.name = name.map(str::to_owned);
    Issuer::new(key()).issue(&claims).unwrap()
}

fn public_key_file(dir: &Path) -> String {
    std::fs::write(dir.join("k.pub"), key().public_key().to_pem().unwrap()).unwrap();
    "k.pub".into()
}

#[test]
fn verify_with_keys_prints_one_valid_document_and_says_the_colour() {
    let dir = temp("keys");
    let keys = public_key_file(&dir);
    let green = code(Colour::Green, Some("Chan Tai Man"));
    let out = run(&dir, &["verify", &green, "--keys", &keys, "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let doc = &documents(&out)[0];
    assert_eq!(doc["status"], "accepted");
    assert_eq!(doc["colour"], "green");
    assert_eq!(doc["format"], "HP1");
    assert_eq!(doc["name"], "C** T** M**");
    assert_eq!(doc["source"]["input"], "argument");

    // A red code with keys and no policy: accepted as authentic, but the colour is said, in
    // the human line and as a warning; with --green-only it is refused (exit 1).
    let red = code(Colour::Red, None);
    let out = run(&dir, &["verify", &red, "--keys", &keys], None);
    assert_eq!(out.status.code(), Some(0));
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.starts_with("ACCEPTED RED personal code"), "{line}");
    assert!(line.contains("[no_policy]"), "{line}");
    let out = run(&dir, &["verify", &red, "--keys", &keys, "--green-only", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let doc = &documents(&out)[0];
    assert_eq!(doc["status"], "refused");
    assert_eq!(doc["colour"], "red");
    assert_eq!(doc["refusals"][0]["code"], "colour_not_accepted");

    // A policy file works with keys alone (a scanner with keys can say "green only").
    std::fs::write(dir.join("p.json"), r#"{"accept_colours": ["green"]}"#).unwrap();
    let out = run(&dir, &["verify", &red, "--keys", &keys, "--policy", "p.json", "--json"], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(documents(&out)[0]["status"], "refused");
}

#[test]
fn many_inputs_give_json_lines_with_their_sources() {
    let dir = temp("lines");
    let keys = public_key_file(&dir);
    let input = format!("{}\n\n{}\nHP1:garbage\n", code(Colour::Green, None), code(Colour::Yellow, None));
    let out = run(&dir, &["verify", "-", "--keys", &keys, "--json"], Some(&input));
    assert_eq!(out.status.code(), Some(1), "one of three is refused");
    let docs = documents(&out);
    assert_eq!(docs.len(), 3);
    let indexes: Vec<_> = docs.iter().map(|d| d["source"]["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, [1, 2, 3]);
    assert_eq!(docs[2]["status"], "refused");
    assert!(docs[2]["refusals"][0]["code"].is_string());
    assert_eq!(docs[2]["colour"], Value::Null, "nothing of an unverified code is shown");

    // A folder of images: one line per code, named by file and index; an image without a code
    // is `no_code` (exit 1), not an I/O error.
    let images = dir.join("images");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::write(images.join("a.png"), Qr::encode(&code(Colour::Green, None)).unwrap().to_png(4).unwrap()).unwrap();
    let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
    blank.save(images.join("b.png")).unwrap();
    let out = run(&dir, &["verify", "--image", "images", "--keys", &keys, "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let docs = documents(&out);
    assert_eq!(docs.len(), 2);
    assert!(docs[0]["source"]["input"].as_str().unwrap().ends_with("a.png"));
    assert_eq!(docs[0]["source"]["index"], 1);
    assert_eq!(docs[0]["status"], "accepted");
    assert_eq!(docs[1]["status"], "no_code");
    assert_eq!(docs[1]["refusals"][0]["code"], "no_code");

    // A missing file and an unsupported format are I/O errors (exit 2), naming the file.
    let out = run(&dir, &["verify", "--image", "missing.png", "--keys", &keys, "--json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let mut webp = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
    webp.extend([0; 16]);
    std::fs::write(dir.join("photo.webp"), webp).unwrap();
    std::fs::write(dir.join("photo.bmp"), b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0").unwrap();
    for file in ["photo.webp", "photo.bmp"] {
        let out = run(&dir, &["verify", "--image", file, "--keys", &keys], None);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(file) && err.contains("format not supported"), "{err}");
    }
}

/// A signed trust list with the test key for CN-GD, any scope; and its anchor's key file.
fn trust_files(dir: &Path) {
    let anchor = SigningKey::from_seed(&[1; 32]);
    let now = Utc::now();
    let mut list = TrustList::new(1, now - TimeDelta::hours(1), now + TimeDelta::days(7));
    let mut entry =
        TrustEntry::ed25519(&key().public_key(), "CN-GD", "CN-GD", now - TimeDelta::days(30), TimeDelta::days(365));
    entry.scope = Scope::default();
    list.entries.push(entry);
    std::fs::write(dir.join("list.cose"), list.sign(&anchor, &Limits::DEFAULT).unwrap()).unwrap();
    std::fs::write(dir.join("anchor.pub"), anchor.public_key().to_pem().unwrap()).unwrap();
}

#[test]
fn verify_with_a_trust_list_and_convert_and_wallet_list_print_the_same_document() {
    let dir = temp("trust");
    trust_files(&dir);
    let green = code(Colour::Green, None);
    let out = run(&dir, &["verify", &green, "--trust", "list.cose", "--anchor", "anchor.pub", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = &documents(&out)[0];
    assert_eq!(
        (doc["status"].as_str(), doc["kind"].as_str(), doc["issuer"].as_str()),
        (Some("accepted"), Some("personal"), Some("CN-GD"))
    );

    let keys = public_key_file(&dir);
    let out =
        run(&dir, &["convert", &green, "--source-keys", &keys, "--issuer", "CN-GD", "--demo-key", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = &documents(&out)[0];
    assert!(doc["issued"].as_str().unwrap().starts_with("HP1:"));
    let red = code(Colour::Red, None);
    let out = run(&dir, &["convert", &red, "--source-keys", &keys, "--issuer", "CN-GD", "--demo-key", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(documents(&out)[0]["status"], "refused");

    let out = run(&dir, &["wallet", "list", "--wallet", "w.json"], None);
    assert_eq!(out.status.code(), Some(2), "a missing wallet is said, not listed as empty");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no wallet at w.json"));
    assert!(run(&dir, &["wallet", "add", "--wallet", "w.json", "Mum", &green], None).status.success());
    let out = run(&dir, &["wallet", "list", "--wallet", "w.json", "--json"], None);
    assert_eq!(out.status.code(), Some(0));
    let doc = &documents(&out)[0];
    assert_eq!((doc["status"].as_str(), doc["source"]["label"].as_str()), (Some("unverified"), Some("Mum")));
    let out = run(&dir, &["wallet", "list", "--wallet", "w.json", "--keys", &keys, "--json"], None);
    assert_eq!(documents(&out)[0]["status"], "accepted");
}

#[test]
fn a_dcc_from_the_published_test_files_gives_the_same_document() {
    let dir = temp("dcc");
    let vector: Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc/DE/2DCode/raw/1.json")).unwrap()).unwrap();
    std::fs::write(dir.join("dsc.pem"), vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    let text = vector["PREFIX"].as_str().unwrap();
    let clock = vector["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap();
    let out = run(&dir, &["verify", text, "--dcc-cert", "dsc.pem", "--at", clock, "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = &documents(&out)[0];
    assert_eq!((doc["format"].as_str(), doc["status"].as_str()), (Some("HC1"), Some("accepted")));
    // Refused: the DCC's certificate for another code is unknown.
    let out = run(&dir, &["verify", text, "--dcc-cert", "dsc.pem", "--at", "2099-01-01T00:00:00Z", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(documents(&out)[0]["status"], "refused");
}
