//! The attacks of the core's `attacks.rs` and `attacks_claims.rs` suites that go through the
//! `healthpass` binary: the same rules from the command line (exit codes and printed codes).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use healthpass::decide::Policy;
use healthpass::{Claims, CredentialId, Issuer, SigningKey};
use healthpass_scenarios::venue::Venue;

use healthpass_testkit::trust as trust_support;
use trust_support::{anchor, authority, claims, issue, signed_trust_list, t0};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn demo() -> SigningKey {
    SigningKey::demo()
}

fn venue_poster(policy_json: &str, issued_at: DateTime<Utc>) -> Claims {
    let venue = Venue {
        venue_id: "GZ-TH-LIB-01".into(),
        name: Some("Tianhe Library".into()),
        region: Some("CN-GD".into()),
        issuer: "CN-GD".into(),
        policy: Policy::from_json(policy_json).unwrap(),
    };
    venue.claims("registrar-7", CredentialId([0x77; 16]), issued_at, 3650).unwrap()
}

#[test]
fn clock_skew_abuse_on_the_command_line() {
    // A skew too large for a time delta used to panic the CLI; now it is a usage error (exit 2).
    let code = Issuer::new(demo()).issue(&Claims::example(now())).unwrap();
    for skew in ["9223372036854775807", "-9223372036854775808"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpass"))
            .args(["verify", "--demo-key", "--at", "2026-11-23T09:00:00Z", &format!("--skew={skew}"), &code])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--skew is out of range"));
    }
    // A negative skew within range is accepted and counts as zero.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(["verify", "--demo-key", "--at", "2026-11-23T09:00:00Z", "--skew=-3600", &code])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

// ---- the same rules from the command line ----

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-claims-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `healthpass verify CODE ARGS… --at t0()`; returns the exit code and stdout + stderr.
fn cli_verify(code: &str, args: &[&str]) -> (Option<i32>, String) {
    let at = t0().to_rfc3339();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args([&["verify", code][..], args, &["--at", &at][..]].concat())
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[test]
fn cli_verify_refuses_a_venue_poster_as_a_persons_code() {
    let dir = temp_dir("kinds");
    let (trust, anchor_pub) = (dir.join("trust.cose"), dir.join("anchor.pub"));
    std::fs::write(&trust, signed_trust_list(1)).unwrap();
    std::fs::write(&anchor_pub, anchor().public_key().to_pem().unwrap()).unwrap();
    let files = ["--trust", trust.to_str().unwrap(), "--anchor", anchor_pub.to_str().unwrap()];
    let poster = issue(authority(), &venue_poster(r#"{ "accept_colours": ["green"] }"#, t0()));
    let (status, text) = cli_verify(&poster, &files);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains("kind_not_accepted"), "{text}");
    let (status, text) = cli_verify(&issue(authority(), &claims(11)), &files);
    assert_eq!(status, Some(0), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_verify_refuses_evidence_from_the_future() {
    let dir = temp_dir("future");
    let keys = dir.join("authority.pub");
    std::fs::write(&keys, authority().public_key().to_pem().unwrap()).unwrap();
    let mut future = claims(12);
    future.evidence.tests[0].sampled_at = "2099-01-01T00:00:00Z".parse().unwrap();
    let (status, text) = cli_verify(&issue(authority(), &future), &["--keys", keys.to_str().unwrap(), "--json"]);
    assert_eq!(status, Some(1), "{text}");
    assert!(text.contains(r#""code":"evidence_in_future""#), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
