//! The scenario commands through the binary: `school issue|summary`, `venue issue|check` and
//! `convert`, each accepting and refusing (exit 0 accepted, 1 refused, 2 usage or I/O error).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use healthpass::claims::SourceHash;
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, CredentialKind, Issuer, Limits, Reason, SigningKey, Verifier};
use healthpass_scenarios::venue::CheckIns;

fn cli(args: &[&str]) -> Output {
    cli_with_input(args, None)
}

fn cli_with_input(args: &[&str], input: Option<&str>) -> Output {
    use std::io::Write;
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

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-scenario-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Writes a secret key file and its public key; returns their paths.
fn key_files(dir: &Path, name: &str, key: &SigningKey) -> (PathBuf, PathBuf) {
    let (secret, public) = (dir.join(format!("{name}.key")), dir.join(format!("{name}.pub")));
    key.write_file(&secret).unwrap();
    std::fs::write(&public, key.public_key().to_pem().unwrap()).unwrap();
    (secret, public)
}

/// A signed trust list of `(key, issuer, kinds)` entries, valid around `now`, and its anchor's
/// public key file.
fn trust_list(dir: &Path, now: DateTime<Utc>, entries: &[(&SigningKey, &str, KindName)]) -> (PathBuf, PathBuf) {
    let anchor = SigningKey::from_seed(&[1; 32]);
    let mut list = TrustList::new(1, now - TimeDelta::days(1), now + TimeDelta::days(7));
    for (key, issuer, kind) in entries {
        let mut entry =
            TrustEntry::ed25519(&key.public_key(), issuer, "CN-GD", now - TimeDelta::days(30), TimeDelta::days(365));
        entry.scope = Scope { kinds: Some(vec![*kind]), ..Scope::default() };
        list.entries.push(entry);
    }
    let (path, anchor_path) = (dir.join("trust.cose"), dir.join("anchor.pub"));
    std::fs::write(&path, list.sign(&anchor, &Limits::DEFAULT).unwrap()).unwrap();
    std::fs::write(&anchor_path, anchor.public_key().to_pem().unwrap()).unwrap();
    (path, anchor_path)
}

fn verify_demo(code: &str, now: DateTime<Utc>) -> Claims {
    Verifier::new([SigningKey::demo().public_key()].into_iter().collect()).verify(code, now).unwrap().into_inner()
}

// ---- school ----

fn reports_json(first: NaiveDate, until: NaiveDate, skip: Option<NaiveDate>) -> String {
    let days: Vec<_> = first
        .iter_days()
        .take_while(|d| *d <= until)
        .filter(|d| Some(*d) != skip)
        .map(|d| format!(r#"{{ "date": "{d}", "decicelsius": 366, "symptoms": false }}"#))
        .collect();
    format!("[{}]", days.join(",\n"))
}

#[test]
fn school_issue_and_the_teachers_summary() {
    let dir = temp_dir("school");
    let now = Utc.with_ymd_and_hms(2026, 9, 3, 7, 30, 0).unwrap();
    let at = now.to_rfc3339();
    let school_key = SigningKey::from_seed(&[2; 32]);
    let (secret, _) = key_files(&dir, "school", &school_key);
    let (list, anchor) = trust_list(&dir, now, &[(&school_key, "HK-PUI-CHING", KindName::Student)]);
    let today = now.date_naive();
    let first = NaiveDate::from_ymd_opt(2026, 8, 18).unwrap();
    let complete = dir.join("ming.json");
    std::fs::write(&complete, reports_json(first, today, None)).unwrap();
    let gap = dir.join("ling.json");
    std::fs::write(&gap, reports_json(first, today, Some(today - TimeDelta::days(2)))).unwrap();
    let roster = dir.join("3b.json");
    std::fs::write(
        &roster,
        r#"[{ "name": "Chan Siu Ming", "id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b" },
            { "name": "Lee Ka Ling", "id": "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c" },
            { "name": "Wong Tsz Wai", "id": "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d" }]"#,
    )
    .unwrap();

    let issue = |reports: &Path, id: &str, png: Option<&Path>| {
        let mut args = school_issue_args(reports, id, &secret, &at);
        if let Some(png) = png {
            args.extend(["--png", p(png)]);
        }
        let output = cli(&args);
        assert!(output.status.success(), "{}", err(&output));
        out(&output).trim().to_string()
    };
    let ming_png = dir.join("ming.png");
    let ming = issue(&complete, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Some(&ming_png));
    let ling = issue(&gap, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", None);
    let keys = [school_key.public_key()].into_iter().collect();
    let claims = Verifier::new(keys).verify(&ming, now).unwrap();
    assert_eq!((claims.colour, claims.reasons.clone()), (Colour::Green, vec![Reason::NormalReports]));
    assert_eq!(claims.kind, CredentialKind::Student { school: "Pui Ching".into(), class: "3B".into() });
    // The last second of the school day (UTC here: no --time-zone).
    assert_eq!(claims.expires_at, Utc.with_ymd_and_hms(2026, 9, 3, 23, 59, 59).unwrap());

    // Ming's code comes as an image, Ling's as text; Wai shows nothing.
    let summary = |roster: &Path, codes: &[&str], input: Option<&str>| {
        let mut args = vec!["school", "summary", "--roster", p(roster), "--school", "Pui Ching", "--class", "3B"];
        args.extend(["--trust", p(&list), "--anchor", p(&anchor), "--at", &at]);
        args.extend_from_slice(codes);
        cli_with_input(&args, input)
    };
    let output = summary(&roster, &["--image", p(&ming_png), &ling], None);
    let text = out(&output);
    assert_eq!(output.status.code(), Some(1), "someone is missing: {text}");
    assert!(text.contains("green: 1"), "{text}");
    assert!(text.contains("NOT GREEN: Lee Ka Ling (yellow: daily health reports are missing or incomplete)"), "{text}");
    assert!(text.contains("MISSING: Wong Tsz Wai"), "{text}");
    assert!(err(&output).contains("1 missing, 1 not green, 0 codes refused"), "{}", err(&output));

    // A class whose only student showed a green code: exit 0.
    let just_ming = dir.join("ming-only.json");
    std::fs::write(&just_ming, r#"[{ "name": "Chan Siu Ming", "id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b" }]"#).unwrap();
    let output = summary(&just_ming, &["--json", &ming], None);
    assert!(output.status.success(), "{}{}", out(&output), err(&output));
    let lines: Vec<serde_json::Value> = out(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "a verdict for the code, then the class summary");
    assert_eq!(lines[0]["status"], "accepted");
    assert_eq!(lines[1]["class_summary"]["green"], serde_json::json!(["Chan Siu Ming"]));

    // A personal code signed with the school's key is refused (out of scope), so Wai stays
    // missing; a code from an unknown key is refused too. Codes also come on standard input.
    let mut personal = Claims::example(now);
    personal.issuer = "HK-PUI-CHING".into();
    personal.subject.id = healthpass::SubjectId([0x0d; 16]);
    let forged = Issuer::new(SigningKey::from_seed(&[2; 32])).issue(&personal).unwrap();
    let stranger = Issuer::new(SigningKey::from_seed(&[66; 32])).issue(&Claims::example(now)).unwrap();
    let output = summary(&roster, &["-", &ming], Some(&format!("{forged}\n\n{stranger}\n")));
    let text = out(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(text.contains("- #1: REFUSED") && text.contains("out_of_scope"), "{text}");
    assert!(text.contains("- #2: REFUSED") && text.contains("unknown_kid"), "{text}");
    assert!(text.contains("MISSING: Lee Ka Ling") && text.contains("MISSING: Wong Tsz Wai"), "{text}");

    // Bad report files are usage errors, and no code is printed.
    let twice = dir.join("twice.json");
    std::fs::write(
        &twice,
        r#"[{ "date": "2026-09-01", "decicelsius": 366, "symptoms": false },
            { "date": "2026-09-01", "decicelsius": 390, "symptoms": false }]"#,
    )
    .unwrap();
    for bad in [&twice, &roster] {
        let output = cli(&school_issue_args(bad, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", &secret, &at));
        assert_eq!(output.status.code(), Some(2), "{}", p(bad));
        assert!(out(&output).is_empty());
    }
}

/// `school issue` for Pui Ching's class 3B: the reports file, the student, the key and the time.
fn school_issue_args<'a>(reports: &'a Path, student_id: &'a str, key: &'a Path, at: &'a str) -> Vec<&'a str> {
    vec![
        "school",
        "issue",
        "--reports",
        p(reports),
        "--issuer",
        "HK-PUI-CHING",
        "--school",
        "Pui Ching",
        "--term-starts",
        "2026-09-01",
        "--class",
        "3B",
        "--student-id",
        student_id,
        "--key",
        p(key),
        "--at",
        at,
    ]
}

// ---- venue ----

#[test]
fn venue_issue_then_check_at_the_door_and_record_locally() {
    let dir = temp_dir("venue");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let at = now.to_rfc3339();
    let venue_key = SigningKey::from_seed(&[3; 32]);
    let health_key = SigningKey::demo();
    let (venue_secret, _) = key_files(&dir, "venues", &venue_key);
    let (list, anchor) = trust_list(
        &dir,
        now,
        &[(&venue_key, "CN-GD-VENUES", KindName::Venue), (&health_key, "CN-GD", KindName::Personal)],
    );
    let policy = dir.join("library.json");
    std::fs::write(&policy, r#"{ "name": "library", "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#)
        .unwrap();
    let poster_png = dir.join("poster.png");
    let output = cli(&[
        "venue",
        "issue",
        "--id",
        "GZ-TH-LIB-01",
        "--name",
        "Tianhe Library",
        "--region",
        "CN-GD",
        "--policy",
        p(&policy),
        "--issuer",
        "CN-GD-VENUES",
        "--officer",
        "registrar-7",
        "--key",
        p(&venue_secret),
        "--at",
        &at,
        "--png",
        p(&poster_png),
    ]);
    assert!(output.status.success(), "{}", err(&output));
    let poster = out(&output).trim().to_string();
    let scanned = healthpass_qr::scan(&std::fs::read(&poster_png).unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(scanned[0].as_deref().unwrap(), poster, "the poster's QR code holds the venue code");

    let health = Issuer::new(health_key);
    let fresh = health.issue(&Claims::example(now - TimeDelta::hours(2))).unwrap();
    let checkins = dir.join("checkins.json");
    let check = |poster: &str, person: &str| {
        cli(&[
            "venue",
            "check",
            poster,
            person,
            "--trust",
            p(&list),
            "--anchor",
            p(&anchor),
            "--at",
            &at,
            "--checkins",
            p(&checkins),
        ])
    };
    let output = check(&poster, &fresh);
    let text = out(&output);
    assert!(output.status.success(), "{text}{}", err(&output));
    assert!(text.contains("VENUE VERIFIED: Tianhe Library (GZ-TH-LIB-01, CN-GD), policy \"library\""), "{text}");
    assert!(text.contains("check-in recorded"), "{text}");
    let record = CheckIns::read(&checkins).unwrap();
    assert_eq!(record.entries.len(), 1);
    assert_eq!((record.entries[0].venue_id.as_str(), record.entries[0].at), ("GZ-TH-LIB-01", now));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&checkins).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // The venue's policy refuses a yellow code and a 5-day-old test; nothing is recorded.
    let mut yellow = Claims::example(now - TimeDelta::hours(2));
    yellow.colour = Colour::Yellow;
    yellow.reasons = vec![Reason::RiskAreaVisit];
    let mut stale = Claims::example(now - TimeDelta::hours(2));
    stale.evidence.tests[0].sampled_at = now - TimeDelta::days(5);
    for (claims, code) in [(yellow, "colour_not_accepted"), (stale, "test_too_old")] {
        let output = check(&poster, &health.issue(&claims).unwrap());
        assert_eq!(output.status.code(), Some(1), "{code}");
        assert!(out(&output).contains(code), "{}", out(&output));
    }
    assert_eq!(CheckIns::read(&checkins).unwrap().entries.len(), 1, "refused visits are not recorded");

    // A fake poster (an unknown key, a laxer policy) is refused before any visitor is checked.
    let lax = dir.join("lax.json");
    std::fs::write(&lax, r#"{ "accept_colours": ["green", "yellow", "orange", "red"] }"#).unwrap();
    let (fake_secret, _) = key_files(&dir, "fake", &SigningKey::from_seed(&[66; 32]));
    let output = cli(&[
        "venue",
        "issue",
        "--id",
        "GZ-TH-LIB-01",
        "--policy",
        p(&lax),
        "--issuer",
        "CN-GD-VENUES",
        "--officer",
        "x",
        "--key",
        p(&fake_secret),
        "--at",
        &at,
    ]);
    let fake = out(&output).trim().to_string();
    let output = check(&fake, &fresh);
    assert_eq!(output.status.code(), Some(1));
    assert!(out(&output).contains("the venue code is refused: unknown_kid"), "{}", out(&output));
    assert!(!out(&output).contains("VENUE VERIFIED"));
    // A person's code is no venue code.
    let output = check(&fresh, &fresh);
    assert_eq!(output.status.code(), Some(1));
    assert!(out(&output).contains("kind_not_accepted"), "{}", out(&output));

    // A policy that accepts no colour is a usage error at issue time.
    std::fs::write(&lax, r#"{ "accept_colours": [] }"#).unwrap();
    let output = cli(&[
        "venue",
        "issue",
        "--id",
        "V",
        "--policy",
        p(&lax),
        "--issuer",
        "CN-GD-VENUES",
        "--officer",
        "x",
        "--key",
        p(&venue_secret),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

// ---- conversion ----

/// A DCC test file's `HC1:` text, signer certificate (base64, as the file holds it), clock.
fn dcc_vector(file: &str) -> (String, String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc").join(file);
    let vector: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let field = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    (field(&vector["PREFIX"]), field(&vector["TESTCTX"]["CERTIFICATE"]), field(&vector["TESTCTX"]["VALIDATIONCLOCK"]))
}

#[test]
fn convert_a_dcc_negative_test_and_refuse_a_positive_one() {
    let dir = temp_dir("convert-dcc");
    let (text, certificate, clock) = dcc_vector("SE/2DCode/raw/2.json");
    // The certificate as PEM, as a trust list would publish it.
    let pem = dir.join("se.pem");
    let body: Vec<String> = certificate.as_bytes().chunks(64).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
    std::fs::write(&pem, format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", body.join("\n")))
        .unwrap();
    let output = cli(&["convert", &text, "--dcc-cert", p(&pem), "--issuer", "CN-GD", "--demo-key", "--at", &clock]);
    assert!(output.status.success(), "{}", err(&output));
    let native = out(&output).trim().to_string();
    let now = DateTime::parse_from_rfc3339(&clock).unwrap().to_utc();
    let claims = verify_demo(&native, now);
    assert_eq!(claims.reasons, vec![Reason::ConvertedCode, Reason::NegativeTest]);
    assert_eq!(claims.issuer, "CN-GD");
    let from = claims.evidence.converted_from.unwrap();
    assert_eq!((from.format.as_str(), from.region.as_str(), from.hash), ("HC1", "SE", SourceHash::of(&text)));
    assert!(err(&output).contains(&SourceHash::of(&text).to_string()), "{}", err(&output));

    // The same code a week later: the test is too old; the refusal says so, and no code is made.
    let later = (now + TimeDelta::days(7)).to_rfc3339();
    let output = cli(&["convert", &text, "--dcc-cert", p(&pem), "--issuer", "CN-GD", "--demo-key", "--at", &later]);
    assert_eq!(output.status.code(), Some(1));
    assert!(out(&output).is_empty());
    assert!(err(&output).contains("REFUSED"), "{}", err(&output));

    // A positive test, with its certificate in the test file's bare base64 form.
    let (text, certificate, clock) = dcc_vector("FR/2DCode/raw/DCC_Test_0016.json");
    let bare = dir.join("fr.b64");
    std::fs::write(&bare, certificate).unwrap();
    let output = cli(&["convert", &text, "--dcc-cert", p(&bare), "--issuer", "CN-GD", "--demo-key", "--at", &clock]);
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("test_not_negative"), "{}", err(&output));
    // Under the wrong signer, the DCC does not verify.
    let output = cli(&["convert", &text, "--dcc-cert", p(&pem), "--issuer", "CN-GD", "--demo-key", "--at", &clock]);
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("] the DCC: "), "{}", err(&output));
    // Without any signer certificate, it is a usage error.
    let output = cli(&["convert", &text, "--issuer", "CN-GD", "--demo-key", "--at", &clock]);
    assert_eq!(output.status.code(), Some(2));
    // Native trust does not verify a DCC.
    let output = cli(&["convert", &text, "--source-keys", p(&pem), "--issuer", "CN-GD", "--demo-key", "--at", &clock]);
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("--dcc-cert"), "{}", err(&output));
}

#[test]
fn convert_a_code_of_another_region_under_its_trust_list() {
    let dir = temp_dir("convert-native");
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let at = now.to_rfc3339();
    let macau = SigningKey::from_seed(&[4; 32]);
    let (_, macau_pub) = key_files(&dir, "macau", &macau);
    let (list, anchor) = trust_list(&dir, now, &[(&macau, "MO", KindName::Personal)]);
    let mut source = Claims::example(now - TimeDelta::hours(1));
    source.issuer = "MO".into();
    let text = Issuer::new(SigningKey::from_seed(&[4; 32])).issue(&source).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 48 }"#).unwrap();

    let output = cli(&[
        "convert",
        &text,
        "--source-trust",
        p(&list),
        "--source-anchor",
        p(&anchor),
        "--policy",
        p(&policy),
        "--issuer",
        "CN-GD",
        "--category",
        "truck_driver",
        "--valid-hours",
        "12",
        "--demo-key",
        "--at",
        &at,
    ]);
    assert!(output.status.success(), "{}", err(&output));
    let claims = verify_demo(out(&output).trim(), now);
    assert_eq!(
        claims.kind,
        CredentialKind::CrossBorder { category: healthpass::claims::DeclarationCategory::TruckDriver }
    );
    assert_eq!(claims.expires_at, now + TimeDelta::hours(12));
    let from = claims.evidence.converted_from.unwrap();
    assert_eq!((from.format.as_str(), from.region.as_str(), from.hash), ("HP1", "MO", SourceHash::of(&text)));
    // With the issuer's key alone, from standard input.
    let output = cli_with_input(
        &["convert", "-", "--source-keys", p(&macau_pub), "--issuer", "CN-GD", "--demo-key", "--at", &at],
        Some(&text),
    );
    assert!(output.status.success(), "{}", err(&output));

    // A code signed by a key the list scopes to other kinds is refused, with the reason.
    let (list, anchor) = trust_list(&dir, now, &[(&macau, "MO", KindName::Student)]);
    let output = cli(&[
        "convert",
        &text,
        "--source-trust",
        p(&list),
        "--source-anchor",
        p(&anchor),
        "--issuer",
        "CN-GD",
        "--demo-key",
        "--at",
        &at,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("out_of_scope"), "{}", err(&output));
    // A stranger's key does not verify the source.
    let (_, stranger) = key_files(&dir, "stranger", &SigningKey::from_seed(&[9; 32]));
    let output =
        cli(&["convert", &text, "--source-keys", p(&stranger), "--issuer", "CN-GD", "--demo-key", "--at", &at]);
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("] the source code: "), "{}", err(&output));
    // A yellow source fails the default policy: green with a negative test in the last 7 days.
    source.colour = Colour::Yellow;
    source.reasons = vec![Reason::FeverAtCheck];
    let yellow = Issuer::new(macau).issue(&source).unwrap();
    let output =
        cli(&["convert", &yellow, "--source-keys", p(&macau_pub), "--issuer", "CN-GD", "--demo-key", "--at", &at]);
    assert_eq!(output.status.code(), Some(1));
    assert!(err(&output).contains("colour_not_accepted"), "{}", err(&output));
}
