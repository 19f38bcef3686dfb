//! A SMART Health Card split over several QR codes (`shc:/C/N/…`, issue #15): `verify`, `scan`
//! and `decode` join its chunks, given as several arguments, lines of standard input, several
//! codes of one image or codes of several images; a missing or repeated chunk is a refusal with
//! its own code. The card is the published example 00 (a vaccination card) split in two here:
//! its digits cut in the middle, so the joined card is the original, signature and all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use healthpass_qr::Qr;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> PathBuf {
    root().join("test-vectors/shc/examples")
}

fn run(args: &[&str], input: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-shc-chunks-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The whole card (`shc:/DIGITS`) and its two chunks `shc:/1/2/…`, `shc:/2/2/…`.
fn card() -> (String, [String; 2]) {
    let whole = std::fs::read_to_string(examples().join("example-00-f-qr-code-numeric-value-0.txt")).unwrap();
    let whole = whole.trim().to_owned();
    let digits = whole.strip_prefix("shc:/").unwrap();
    let cut = digits.len() / 4 * 2; // between two digit pairs
    (whole.clone(), [format!("shc:/1/2/{}", &digits[..cut]), format!("shc:/2/2/{}", &digits[cut..])])
}

/// `verify` with the example issuer's keys, at a time the card is valid, as JSON.
fn verify(codes: &[&str], extra: &[&str], input: Option<&str>) -> Output {
    let jwks = examples().join("issuer/.well-known/jwks.json");
    let mut args = vec!["verify"];
    args.extend_from_slice(codes);
    args.extend_from_slice(extra);
    args.extend_from_slice(&[
        "--jwks",
        jwks.to_str().unwrap(),
        "--shc-issuer",
        "https://spec.smarthealth.cards/examples/issuer",
        "--at",
        "2023-07-01T00:00:00Z",
        "--json",
    ]);
    run(&args, input)
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_slice(&std::fs::read(root().join("docs/verdict.schema.json")).unwrap()).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

/// The verdict documents printed, each checked against the schema.
fn verdicts(o: &Output) -> Vec<Value> {
    let validator = validator();
    out(o)
        .lines()
        .map(|line| {
            let doc: Value = serde_json::from_str(line).unwrap();
            assert!(validator.is_valid(&doc), "not a verdict document: {line}");
            doc
        })
        .collect()
}

fn refusal_codes(doc: &Value) -> Vec<String> {
    doc["refusals"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn verify_joins_the_chunks_given_as_arguments_or_lines() {
    let (_, [one, two]) = card();
    for (codes, input) in [(vec![two.as_str(), one.as_str()], None), (vec!["-"], Some(format!("{one}\n{two}\n")))] {
        let o = verify(&codes, &[], input.as_deref());
        assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
        let docs = verdicts(&o);
        assert_eq!(docs.len(), 1, "two chunks, one card: {docs:?}");
        assert_eq!((docs[0]["status"].as_str(), docs[0]["format"].as_str()), (Some("accepted"), Some("SHC")));
        assert_eq!(docs[0]["issuer"], "https://spec.smarthealth.cards/examples/issuer");
    }
}

#[test]
fn a_missing_or_repeated_chunk_is_refused_with_its_code() {
    let (_, [one, two]) = card();
    for (codes, code) in [
        (vec![one.as_str()], "shc_chunk_missing"),
        (vec![two.as_str()], "shc_chunk_missing"),
        (vec![one.as_str(), one.as_str(), two.as_str()], "shc_chunk_repeated"),
    ] {
        let o = verify(&codes, &[], None);
        assert_eq!(o.status.code(), Some(1), "{codes:?}: {}{}", out(&o), err(&o));
        let docs = verdicts(&o);
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0]["status"], "refused");
        assert_eq!(refusal_codes(&docs[0]), [code], "{codes:?}");
        assert!(docs[0]["colour"].is_null(), "nothing of an unverified card is shown");
    }
    // A chunk whose count disagrees with the other's.
    let three = two.replacen("shc:/2/2/", "shc:/2/3/", 1);
    let docs = verdicts(&verify(&[one.as_str(), three.as_str()], &[], None));
    let codes: Vec<Vec<String>> = docs.iter().map(refusal_codes).collect();
    assert_eq!(codes, [["shc_chunk_missing"], ["shc_chunk_missing"]], "two cards, each incomplete");
}

#[test]
fn chunks_in_one_image_or_several_make_one_card_for_verify_and_scan() {
    let dir = temp("images");
    let (whole, [one, two]) = card();
    let (first, second) = (Qr::encode(&one).unwrap().to_image(4), Qr::encode(&two).unwrap().to_image(4));
    first.save(dir.join("a.png")).unwrap();
    second.save(dir.join("b.png")).unwrap();
    // Both codes side by side on one page, the second chunk on the left.
    let mut page = image::GrayImage::from_pixel(
        first.width() + second.width(),
        first.height().max(second.height()),
        image::Luma([255]),
    );
    image::imageops::overlay(&mut page, &second, 0, 0);
    image::imageops::overlay(&mut page, &first, i64::from(second.width()), 0);
    page.save(dir.join("page.png")).unwrap();

    for images in [vec!["a.png", "b.png"], vec!["page.png"]] {
        let paths: Vec<String> = images.iter().map(|i| dir.join(i).to_str().unwrap().to_owned()).collect();
        let mut extra = Vec::new();
        for path in &paths {
            extra.extend(["--image", path.as_str()]);
        }
        let o = verify(&[], &extra, None);
        assert_eq!(o.status.code(), Some(0), "{images:?}: {}{}", out(&o), err(&o));
        let docs = verdicts(&o);
        assert_eq!(docs.len(), 1, "{images:?}: {docs:?}");
        assert_eq!(docs[0]["status"], "accepted");

        // scan prints the one card the chunks make: the unsplit text, ready for `verify -`.
        let mut args = vec!["scan"];
        args.extend(paths.iter().map(String::as_str));
        let o = run(&args, None);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let printed = out(&o);
        let text = printed.trim().rsplit(' ').next().unwrap();
        assert_eq!(printed.lines().count(), 1, "{printed}");
        assert_eq!(text, whole, "the joined chunks are the original card");
    }

    // One chunk alone in an image: scan refuses it, naming the missing chunk (exit 1).
    let o = run(&["scan", dir.join("a.png").to_str().unwrap(), "--json"], None);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let line: Value = serde_json::from_str(out(&o).trim()).unwrap();
    assert_eq!(line["error"]["code"], "shc_chunk_missing", "{line}");
}

#[test]
fn decode_reads_a_split_card_from_its_chunks() {
    let (_, [one, two]) = card();
    let o = run(&["decode", &two, &one], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let decoded: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(decoded["UNVERIFIED"], true);
    assert_eq!(decoded["payload"]["iss"], "https://spec.smarthealth.cards/examples/issuer");
    let o = run(&["decode", "-"], Some(&format!("{one}\n{two}\n")));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&["decode", &one], None);
    assert_eq!(o.status.code(), Some(2), "a chunk alone does not decode");
    assert!(err(&o).contains("a chunk is missing"), "{}", err(&o));
    let o = run(&["decode", &one, "HP1:ABC"], None);
    assert_eq!(o.status.code(), Some(2), "decode takes one code or one card's chunks");
}

#[test]
fn the_chunk_refusals_are_said_in_the_readers_language() {
    let (_, [one, _]) = card();
    let jwks = examples().join("issuer/.well-known/jwks.json");
    let args = |lang: &'static str| {
        vec![
            "--lang".to_owned(),
            lang.to_owned(),
            "verify".to_owned(),
            one.clone(),
            "--jwks".to_owned(),
            jwks.to_str().unwrap().to_owned(),
            "--shc-issuer".to_owned(),
            "https://spec.smarthealth.cards/examples/issuer".to_owned(),
        ]
    };
    for (lang, sentence) in
        [("en", "is missing"), ("zh-Hans", "SMART 健康卡缺少一个二维码"), ("zh-Hant", "SMART 健康卡缺少一個二維碼")]
    {
        let args = args(lang);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&refs, None);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        let line = out(&o);
        assert!(line.contains("[shc_chunk_missing]") && line.contains(sentence), "{lang}: {line}");
    }
}
