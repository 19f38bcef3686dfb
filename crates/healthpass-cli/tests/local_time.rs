//! Local days through the binary (issue #16): a Hong Kong student's daily code is for the local
//! day and lasts until the end of the local school day; times are shown in the reader's zone
//! (`--tz`, then `TZ`) with their offset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use healthpass::{Colour, SigningKey, Verifier};

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_healthpass"));
    command.args(args).env_remove("TZ").env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-local-time-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Complete, normal reports from the window's first day (2026-08-18) to `until`.
fn reports(dir: &Path, until: &str) -> PathBuf {
    let first = NaiveDate::from_ymd_opt(2026, 8, 18).unwrap();
    let until: NaiveDate = until.parse().unwrap();
    let days: Vec<_> = first
        .iter_days()
        .take_while(|d| *d <= until)
        .map(|d| format!(r#"{{ "date": "{d}", "decicelsius": 366, "symptoms": false }}"#))
        .collect();
    let path = dir.join(format!("reports-{until}.json"));
    std::fs::write(&path, format!("[{}]", days.join(","))).unwrap();
    path
}

fn school_issue(reports: &Path, zone: Option<&str>, at: &str, env: &[(&str, &str)]) -> Output {
    let mut args = vec![
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
        "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a",
        "--demo-key",
        "--at",
        at,
    ];
    if let Some(zone) = zone {
        args.extend(["--time-zone", zone]);
    }
    cli(&args, env)
}

fn claims_of(output: &Output, at: DateTime<Utc>) -> healthpass::Claims {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let code = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let keys = [SigningKey::demo().public_key()].into_iter().collect();
    Verifier::new(keys).verify(&code, at).unwrap().into_inner()
}

#[test]
fn a_hong_kong_students_code_is_for_the_local_day_and_ends_with_it() {
    let dir = temp_dir("hk");
    // Reports up to 2026-09-01: complete for the Hong Kong day, one day ahead of the UTC day.
    let reports = reports(&dir, "2026-09-01");
    let at = "2026-09-01T07:30:00+08:00";
    let output = school_issue(&reports, Some("Asia/Hong_Kong"), at, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stderr.contains("student code for 2026-09-01"), "{stderr}");
    assert!(stderr.contains("valid until 2026-09-01 23:59 +08:00"), "{stderr}");
    let claims = claims_of(&output, utc(at));
    assert_eq!(claims.colour, Colour::Green);
    assert_eq!(claims.expires_at, utc("2026-09-01T23:59:59+08:00"));
    assert_eq!(claims.issued_at, utc("2026-08-31T23:30:00Z"), "the wire keeps UTC seconds");
    // Still valid as the student reaches the gate at 08:00, and all afternoon; not the next day.
    let keys = || [SigningKey::demo().public_key()].into_iter().collect();
    let code = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(Verifier::new(keys()).verify(&code, utc("2026-09-01T15:00:00+08:00")).is_ok());
    let next_day = utc("2026-09-02T00:00:00+08:00") + TimeDelta::minutes(10);
    assert_eq!(Verifier::new(keys()).verify(&code, next_day).unwrap_err().code(), "expired");

    // The same instant read in UTC is still 2026-08-31: the code is for that day.
    let output = school_issue(&reports, None, at, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stderr.contains("student code for 2026-08-31"), "{stderr}");
    assert_eq!(claims_of(&output, utc(at)).expires_at, utc("2026-08-31T23:59:59Z"));
}

#[test]
fn local_midnight_starts_a_new_school_day() {
    let dir = temp_dir("midnight");
    let reports = reports(&dir, "2026-09-02");
    for (at, day) in [("2026-09-01T23:59:00+08:00", "2026-09-01"), ("2026-09-02T00:00:00+08:00", "2026-09-02")] {
        let output = school_issue(&reports, Some("Asia/Hong_Kong"), at, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(stderr.contains(&format!("student code for {day}")), "{at}: {stderr}");
        let claims = claims_of(&output, utc(at));
        assert_eq!(claims.expires_at, utc(&format!("{day}T23:59:59+08:00")));
    }
}

#[test]
fn the_reader_zone_comes_from_tz_option_then_the_environment() {
    let dir = temp_dir("reader");
    let reports = reports(&dir, "2026-09-01");
    let at = "2026-09-01T07:30:00+08:00";
    let shown = |output: &Output| String::from_utf8_lossy(&output.stderr).into_owned();
    let output = school_issue(&reports, Some("Asia/Hong_Kong"), at, &[("TZ", "Europe/Berlin")]);
    assert!(shown(&output).contains("valid until 2026-09-01 17:59 +02:00"), "{}", shown(&output));
    let with_option = cli(
        &[
            "--tz",
            "UTC",
            "school",
            "issue",
            "--reports",
            p(&reports),
            "--issuer",
            "S",
            "--school",
            "Pui Ching",
            "--term-starts",
            "2026-09-01",
            "--time-zone",
            "Asia/Hong_Kong",
            "--class",
            "3B",
            "--student-id",
            "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a",
            "--demo-key",
            "--at",
            at,
        ],
        &[("TZ", "Europe/Berlin")],
    );
    assert!(shown(&with_option).contains("valid until 2026-09-01 15:59 +00:00"), "{}", shown(&with_option));
    let bad = cli(&["--tz", "Nowhere/Town", "scan", "x.png"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("IANA"), "{}", String::from_utf8_lossy(&bad.stderr));
    let bad_zone = school_issue(&reports, Some("Hong Kong"), at, &[]);
    assert_eq!(bad_zone.status.code(), Some(2));
}
