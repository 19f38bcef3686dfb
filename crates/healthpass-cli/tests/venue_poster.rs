//! `venue issue --png --terminal` makes a poster, not a bare code (issue #15): the venue's name
//! and region in words beside the code, read back from the PNG through OCR (`tesseract`, which
//! `.ci/run` installs; this test FAILS when it is missing) and seen in the terminal drawing; the
//! poster's code scans back to the code printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use healthpass::Limits;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).args(args).output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-poster-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Issues a venue code for `name` in `region` with a poster PNG and the terminal drawing;
/// returns (code text, PNG bytes, standard error).
fn issue_poster(dir: &Path, name: &str, region: &str) -> (String, Vec<u8>, String) {
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{ "name": "library", "accept_colours": ["green"] }"#).unwrap();
    let png = dir.join("poster.png");
    let output = cli(&[
        "venue",
        "issue",
        "--id",
        "GZ-TH-LIB-01",
        "--name",
        name,
        "--region",
        region,
        "--policy",
        p(&policy),
        "--issuer",
        "CN-GD-VENUES",
        "--officer",
        "registrar-7",
        "--demo-key",
        "--at",
        "2026-11-23T09:00:00Z",
        "--png",
        p(&png),
        "--terminal",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (String::from_utf8(output.stdout).unwrap().trim().to_owned(), std::fs::read(&png).unwrap(), stderr)
}

/// The text tesseract reads in `png` (English), lines kept.
fn ocr(dir: &Path, png: &[u8]) -> String {
    let path = dir.join("ocr.png");
    std::fs::write(&path, png).unwrap();
    let output = Command::new("tesseract")
        .arg(&path)
        .arg("stdout")
        .args(["-l", "eng", "--psm", "11"])
        .output()
        .expect("tesseract is not installed: apt-get install tesseract-ocr");
    assert!(output.status.success(), "tesseract failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_poster_png_names_the_venue_and_its_region_in_words() {
    let dir = temp_dir("png");
    let (code, png, _) = issue_poster(&dir, "Tianhe Library", "CN-GD");
    let scanned = healthpass_qr::scan(&png, &Limits::DEFAULT).unwrap();
    assert_eq!(scanned.len(), 1, "one code on the poster");
    assert_eq!(scanned[0].as_deref().unwrap(), code, "the poster's code is the code printed");
    let read = ocr(&dir, &png);
    for words in ["Tianhe Library", "CN-GD", "GZ-TH-LIB-01", "valid until 2027-11-23"] {
        assert!(read.contains(words), "OCR did not read {words:?} on the poster: {read:?}");
    }

    // Another venue's poster says another name: the words come from the venue, not the layout.
    let (_, other, _) = issue_poster(&dir, "Haizhu Museum", "CN-GD");
    let read = ocr(&dir, &other);
    assert!(read.contains("Haizhu Museum") && !read.contains("Tianhe"), "{read:?}");
}

#[test]
fn the_terminal_poster_names_the_venue_beside_the_code() {
    let dir = temp_dir("terminal");
    let (_, _, stderr) = issue_poster(&dir, "Tianhe Library", "CN-GD");
    let lines: Vec<&str> = stderr.lines().collect();
    let at = |text: &str| lines.iter().position(|l| l.trim() == text).unwrap_or_else(|| panic!("{text:?} in {stderr}"));
    let art = lines.iter().position(|l| l.contains('█') || l.contains('▀') || l.contains('▄')).expect("QR art");
    let last_art = lines.iter().rposition(|l| l.contains('█') || l.contains('▀') || l.contains('▄')).unwrap();
    assert!(at("Tianhe Library") < at("CN-GD") && at("CN-GD") < art, "name and region above the code:\n{stderr}");
    assert!(at("GZ-TH-LIB-01") > last_art, "the id under the code:\n{stderr}");
    assert!(at("valid until 2027-11-23") > last_art, "{stderr}");
}
