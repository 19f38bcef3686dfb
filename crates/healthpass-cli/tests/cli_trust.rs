//! The `trust-list`, `revoke` and `verify --trust` commands, run as the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-23T09:00:00Z";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("healthpass-cli-trust-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(dir: &Dir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).current_dir(&dir.0).args(args).output().unwrap()
}

fn ok(dir: &Dir, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail with `code` (1 refused, 2 error); returns stdout + stderr.
fn fails(dir: &Dir, code: i32, args: &[&str]) -> String {
    let out = run(dir, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// Keys for an anchor, a district office (green to orange only) and the health authority,
/// and a trust list (sequence 5) signed an hour before NOW, due again in 7 days.
fn setup(name: &str) -> Dir {
    let dir = Dir::new(name);
    for key in ["anchor", "office", "authority"] {
        ok(&dir, &["keygen", "--out", &format!("{key}.key")]);
    }
    ok(&dir, &["trust-list", "new", "--out", "draft.json", "--sequence", "5"]);
    let from = ["--valid-from", "2026-01-01T00:00:00Z"];
    ok(
        &dir,
        &[
            &["trust-list", "add", "draft.json", "--key", "office.key.pub"][..],
            &[
                "--issuer",
                "CN-GD",
                "--region",
                "CN-GD",
                "--kinds",
                "personal,cross_border",
                "--colours",
                "green,yellow,orange",
            ],
            &from,
        ]
        .concat(),
    );
    ok(
        &dir,
        &[
            &["trust-list", "add", "draft.json", "--key", "authority.key.pub"][..],
            &["--issuer", "CN-GD", "--region", "CN-GD"],
            &from,
        ]
        .concat(),
    );
    sign_list(&dir, "list.cose");
    dir
}

fn sign_list(dir: &Dir, out: &str) {
    ok(
        dir,
        &[
            "trust-list",
            "sign",
            "draft.json",
            "--anchor-key",
            "anchor.key",
            "--out",
            out,
            "--at",
            "2026-11-23T08:00:00Z",
        ],
    );
}

/// Issues a code on `key` with `colour`, issued half an hour before NOW, valid a day.
fn issue(dir: &Dir, key: &str, colour: &str, id: u8) -> String {
    let claims = format!(
        r#"{{"issuer":"CN-GD","colour":"{colour}","reasons":["negative_test"],"kind":{{"type":"personal"}},
        "subject":{{"id":"{id:032x}"}},"credential_id":"{id:032x}","issued_at":"2026-11-23T08:30:00Z",
        "not_before":"2026-11-23T08:30:00Z","expires_at":"2026-11-24T08:30:00Z"}}"#
    );
    std::fs::write(dir.0.join("claims.json"), claims).unwrap();
    ok(dir, &["issue", "claims.json", "--key", key]).trim().to_string()
}

fn verify(dir: &Dir, code: &str, extra: &[&str]) -> Output {
    run(
        dir,
        &[&["verify", code, "--trust", "list.cose", "--anchor", "anchor.key.pub", "--at", NOW][..], extra].concat(),
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_in_scope_code_is_accepted_and_an_out_of_scope_one_refused() {
    let dir = setup("scope");
    let green = issue(&dir, "office.key", "green", 1);
    let out = verify(&dir, &green, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("ACCEPTED GREEN personal code from CN-GD"), "{}", stdout(&out));

    let red = issue(&dir, "office.key", "red", 2);
    let out = verify(&dir, &red, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("[out_of_scope] out of scope: the signing key may not sign red codes"));
    let out = verify(&dir, &issue(&dir, "authority.key", "red", 3), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = verify(&dir, &red, &["--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "refused");
    assert_eq!(json["colour"], "red");
    assert_eq!(json["refusals"][0]["code"], "out_of_scope");
}

#[test]
fn a_revoked_code_is_refused() {
    let dir = setup("revoke");
    let revoked = issue(&dir, "office.key", "green", 4);
    let fine = issue(&dir, "office.key", "green", 5);
    let at = ["--at", "2026-11-23T08:45:00Z"];
    ok(&dir, &[&["revoke", "--key", "anchor.key", "--out", "rev.cose", "--code", &revoked][..], &at].concat());
    let out = verify(&dir, &revoked, &["--revocations", "rev.cose"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("[revoked]"), "{}", stdout(&out));
    assert_eq!(verify(&dir, &fine, &["--revocations", "rev.cose"]).status.code(), Some(0));
    // Extending the list keeps the old entries and moves the sequence on.
    let text = ok(
        &dir,
        &[
            &["revoke", "--key", "anchor.key", "--out", "rev2.cose", "--previous", "rev.cose"][..],
            &["--credential", &format!("{:032x}", 5)],
            &at,
        ]
        .concat(),
    );
    assert!(text.contains("sequence 2, 2 credentials"), "{text}");
    assert_eq!(verify(&dir, &fine, &["--revocations", "rev2.cose"]).status.code(), Some(1));
    // A revocation list signed by a key the trust list does not authorise is refused.
    ok(&dir, &[&["revoke", "--key", "office.key", "--out", "bad.cose", "--code", &fine][..], &at].concat());
    let out = verify(&dir, &fine, &["--revocations", "bad.cose"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pinned trust anchor or authorised signer"), "{out:?}");
}

#[test]
fn a_rolled_back_clock_is_refused() {
    let dir = setup("clock");
    let code = issue(&dir, "office.key", "green", 6);
    let out = run(
        &dir,
        &["verify", &code, "--trust", "list.cose", "--anchor", "anchor.key.pub", "--at", "2026-11-20T09:00:00Z"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("[clock_rollback]"), "{text}");
}

#[test]
fn an_old_trust_list_refuses_codes_unless_the_policy_allows_grace() {
    let dir = setup("stale");
    let code = issue(&dir, "office.key", "green", 7);
    // Nine days later the list (due after seven) is stale; the code is long expired too.
    let late = ["--at", "2026-12-02T09:00:00Z"];
    let out =
        run(&dir, &[&["verify", &code, "--trust", "list.cose", "--anchor", "anchor.key.pub"][..], &late].concat());
    let text = stdout(&out);
    assert!(text.contains("[stale_list]") && text.contains("[expired]"), "{text}");
    std::fs::write(dir.0.join("grace.json"), r#"{ "accept_colours": ["green"], "stale_list_grace_hours": 72 }"#)
        .unwrap();
    let out = run(
        &dir,
        &[
            &["verify", &code, "--trust", "list.cose", "--anchor", "anchor.key.pub", "--policy", "grace.json"][..],
            &late,
        ]
        .concat(),
    );
    let text = stdout(&out);
    assert!(!text.contains("[stale_list]") && text.contains("warning [list_past_next_update]"), "{text}");
}

#[test]
fn a_policy_lists_every_failed_rule() {
    let dir = setup("policy");
    let code = issue(&dir, "office.key", "yellow", 8);
    std::fs::write(
        dir.0.join("hospital.json"),
        r#"{ "name": "hospital", "accept_colours": ["green"], "accept_regions": ["HK"], "negative_test_max_age_hours": 48 }"#,
    )
    .unwrap();
    let out = verify(&dir, &code, &["--policy", "hospital.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for code in ["[colour_not_accepted]", "[issuer_not_accepted]", "[no_negative_test]"] {
        assert!(text.contains(code), "{code} missing: {text}");
    }
}

#[test]
fn withdrawing_a_key_and_bad_files_are_reported() {
    let dir = setup("withdraw");
    let code = issue(&dir, "office.key", "green", 9);
    let kid = ok(&dir, &["trust-list", "show", "list.cose", "--anchor", "anchor.key.pub"]);
    let json: serde_json::Value = serde_json::from_str(&kid).unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["list"]["sequence"], 5);
    let office_kid = json["list"]["entries"][0]["kid"].as_str().unwrap().to_string();
    ok(&dir, &["trust-list", "remove", "draft.json", "--kid", &office_kid]);
    sign_list(&dir, "list6.cose");
    let out = run(&dir, &["verify", &code, "--trust", "list6.cose", "--anchor", "anchor.key.pub", "--at", NOW]);
    assert!(stdout(&out).contains("[unknown_kid]"), "{}", stdout(&out));

    // A truncated list, a list checked against the wrong anchor, a policy with an unknown field.
    let bytes = std::fs::read(dir.0.join("list.cose")).unwrap();
    std::fs::write(dir.0.join("short.cose"), &bytes[..bytes.len() - 20]).unwrap();
    let text = fails(&dir, 2, &["verify", &code, "--trust", "short.cose", "--anchor", "anchor.key.pub", "--at", NOW]);
    assert!(text.contains("error: COSE_Sign1: malformed CBOR"), "{text}");
    let text = fails(&dir, 2, &["verify", &code, "--trust", "list.cose", "--anchor", "office.key.pub", "--at", NOW]);
    assert!(text.contains("error: anchor: no pinned trust anchor"), "{text}");
    std::fs::write(dir.0.join("typo.json"), r#"{ "accept_colors": ["green"] }"#).unwrap();
    let text = fails(
        &dir,
        2,
        &["verify", &code, "--trust", "list.cose", "--anchor", "anchor.key.pub", "--policy", "typo.json"],
    );
    assert!(text.contains("error: policy: unknown field `accept_colors`"), "{text}");
    let text = fails(&dir, 2, &["trust-list", "show", "short.cose"]);
    assert!(text.contains("malformed CBOR"), "{text}");
    assert!(Path::new(&dir.path("draft.json")).exists());
}

#[test]
fn the_clock_state_file_remembers_signed_time_across_runs() {
    let dir = setup("clockstate");
    let code = issue(&dir, "office.key", "green", 10);
    let state = ["--clock-state", "clock.txt"];
    // First run: accepted, and the code's issue time (08:30) is remembered.
    assert_eq!(verify(&dir, &code, &state).status.code(), Some(0));
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.0.join("clock.txt")).unwrap()).unwrap();
    assert_eq!(saved["newest_signed_time"], "2026-11-23T08:30:00Z");
    assert_eq!(saved["trust_list_sequence"], 5);
    // At 08:10 the trust list (08:00) alone cannot tell the clock is behind; the state can.
    let early = ["--at", "2026-11-23T08:10:00Z"];
    let args = |extra: &[&'static str]| -> Vec<String> {
        [&["verify", code.as_str(), "--trust", "list.cose", "--anchor", "anchor.key.pub"][..], &early, extra]
            .concat()
            .into_iter()
            .map(String::from)
            .collect()
    };
    let run_args = |extra: &[&'static str]| run(&dir, &args(extra).iter().map(String::as_str).collect::<Vec<_>>());
    let without = stdout(&run_args(&[]));
    assert!(!without.contains("[clock_rollback]") && without.contains("[issued_in_future]"), "{without}");
    let with = stdout(&run_args(&state));
    assert!(with.contains("[clock_rollback]"), "{with}");
    // The file of earlier versions (one RFC 3339 time) is still read; a malformed one is an error.
    std::fs::write(dir.0.join("clock.txt"), "2026-11-23T08:30:00+00:00\n").unwrap();
    assert!(stdout(&run_args(&state)).contains("[clock_rollback]"));
    std::fs::write(dir.0.join("clock.txt"), "yesterday").unwrap();
    let out = run_args(&state);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scanner state: not a scanner state"), "{out:?}");
    assert_eq!(std::fs::read_to_string(dir.0.join("clock.txt")).unwrap(), "yesterday", "never reset");
}

#[test]
fn an_older_trust_list_is_refused_across_runs_through_the_state_file() {
    let dir = setup("replaytrust");
    let code = issue(&dir, "office.key", "green", 11);
    // Sequence 6 withdraws the office key; sequence 5 (list.cose) still trusts it.
    let kid = ok(&dir, &["trust-list", "show", "list.cose", "--anchor", "anchor.key.pub"]);
    let json: serde_json::Value = serde_json::from_str(&kid).unwrap();
    ok(&dir, &["trust-list", "remove", "draft.json", "--kid", json["list"]["entries"][0]["kid"].as_str().unwrap()]);
    sign_list(&dir, "list6.cose");
    let with_list = |list: &str| {
        run(
            &dir,
            &["verify", &code, "--trust", list, "--anchor", "anchor.key.pub", "--at", NOW, "--state", "state.json"],
        )
    };
    let out = with_list("list6.cose");
    assert!(stdout(&out).contains("[unknown_kid]"), "{}", stdout(&out));
    let out = with_list("list.cose");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("[list_rollback]") && text.contains("sequence 5 is lower than 6"), "{text}");
    // Without the state file the old list would have been accepted.
    assert_eq!(verify(&dir, &code, &[]).status.code(), Some(0));
}

#[test]
fn an_older_revocation_list_is_refused_across_runs_through_the_state_file() {
    let dir = setup("replayrevoked");
    let first = issue(&dir, "office.key", "green", 12);
    let second = issue(&dir, "office.key", "green", 13);
    let at = ["--at", "2026-11-23T08:45:00Z"];
    ok(&dir, &[&["revoke", "--key", "anchor.key", "--out", "rev1.cose", "--code", &first][..], &at].concat());
    ok(
        &dir,
        &[
            &["revoke", "--key", "anchor.key", "--out", "rev2.cose", "--previous", "rev1.cose", "--code", &second][..],
            &at,
        ]
        .concat(),
    );
    let state = ["--state", "state.json"];
    let out = verify(&dir, &second, &[&["--revocations", "rev2.cose"][..], &state].concat());
    assert!(stdout(&out).contains("[revoked]"), "{}", stdout(&out));
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.0.join("state.json")).unwrap()).unwrap();
    assert_eq!(saved["revocation_lists"][0]["sequence"], 2, "{saved}");
    let out = verify(&dir, &second, &[&["--revocations", "rev1.cose"][..], &state].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("[list_rollback]") && text.contains("revocation list: sequence 1 is lower than 2"), "{text}");
    // The old alias of --state reads the same file.
    let out = verify(&dir, &second, &["--revocations", "rev1.cose", "--clock-state", "state.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[list_rollback]"));
}

#[test]
fn a_future_dated_revocation_list_is_refused_and_does_not_poison_the_state_file() {
    let dir = setup("futurelist");
    let code = issue(&dir, "office.key", "green", 14);
    ok(&dir, &["revoke", "--key", "anchor.key", "--out", "future.cose", "--at", "2099-01-01T00:00:00Z"]);
    let state = ["--state", "state.json"];
    let out = verify(&dir, &code, &[&["--revocations", "future.cose"][..], &state].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[signed_in_future]"), "{out:?}");
    assert_eq!(verify(&dir, &code, &state).status.code(), Some(0));
    let saved = std::fs::read_to_string(dir.0.join("state.json")).unwrap();
    assert!(!saved.contains("2099") && saved.contains("2026-11-23T08:30:00Z"), "{saved}");
    assert_eq!(verify(&dir, &code, &state).status.code(), Some(0));
}

#[test]
fn a_scanner_refuses_to_install_an_older_trust_list() {
    let dir = setup("update");
    // setup signed sequence 5 as list.cose; the draft now says 6.
    sign_list(&dir, "list6.cose");
    ok(&dir, &["trust-list", "update", "--held", "held.cose", "--offered", "list.cose", "--anchor", "anchor.key.pub"]);
    let text = ok(
        &dir,
        &["trust-list", "update", "--held", "held.cose", "--offered", "list6.cose", "--anchor", "anchor.key.pub"],
    );
    assert!(text.contains("sequence 6"), "{text}");
    let text = fails(
        &dir,
        1,
        &["trust-list", "update", "--held", "held.cose", "--offered", "list.cose", "--anchor", "anchor.key.pub"],
    );
    assert!(text.contains("sequence 5 is lower than 6"), "{text}");
    assert_eq!(std::fs::read(dir.0.join("held.cose")).unwrap(), std::fs::read(dir.0.join("list6.cose")).unwrap());
    // An offered list under another anchor is an error, and the held list stays.
    let text = fails(
        &dir,
        2,
        &["trust-list", "update", "--held", "held.cose", "--offered", "list6.cose", "--anchor", "office.key.pub"],
    );
    assert!(text.contains("no pinned trust anchor"), "{text}");
}
