//! Every subcommand of the binary, driven with extreme numbers (0, -1, u32::MAX, u64::MAX,
//! i64::MIN, huge), extreme times (years -262143 and +262142, far past and future RFC 3339) and
//! hostile strings: the exit code is always 0, 1 or 2, never a panic (101), and standard error
//! never says "panicked". Out-of-range values are usage errors (exit 2) that name the value.
//!
//! Fixtures (keys, a trust list, codes, a wallet, vectors) are real, so that each command gets
//! past reading its files to the arithmetic on the values. A few cases per subcommand keep the
//! whole file to seconds; `every_subcommand_is_driven` fails when a subcommand has no template.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::claims::DeclarationCategory;
use healthpass::decide::Policy;
use healthpass::trust::RevocationList;
use healthpass::{CredentialId, Issuer, Limits, SigningKey, Verifier};
use healthpass_scenarios::border::Converter;
use healthpass_scenarios::venue::Venue;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use trust_support::*;

/// Cases per template: with ~45 templates, about 500 runs of the binary in all (seconds).
const CASES: u32 = 12;

/// A command that runs longer than this is a hang, and fails the test.
const TIMEOUT: Duration = Duration::from_secs(20);

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "24",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "-9223372036854775808",
    "9223372036854775807",
    "99999999999",
];

const TIMES: &[&str] = &[
    "-262143-01-01T00:00:00Z",
    "+262142-12-31T00:00:00Z",
    "+262142-12-31T23:59:59Z",
    "+262143-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-11-23T09:00:00Z",
    "2026-11-23T09:00:00+23:59",
    "-0001-12-31T23:59:59-23:59",
];

const DATES: &[&str] = &["-262143-01-01", "+262142-12-31", "0000-01-01", "2026-09-01", "9999-12-31"];

/// The values one case puts into a template.
#[derive(Debug, Clone)]
struct Values {
    n: String,
    t: String,
    d: String,
    s: String,
}

/// Each value is ordinary half the time, so that a case with one extreme value gets past the
/// others to the code that uses it.
fn numbers() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => proptest::sample::select(&["1", "24", "365"][..]).prop_map(str::to_owned),
        8 => proptest::sample::select(NUMBERS).prop_map(str::to_owned),
        1 => Just("9".repeat(4096)),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn times() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => Just("2026-11-23T09:00:00Z".to_owned()),
        8 => proptest::sample::select(TIMES).prop_map(str::to_owned),
        1 => Just(format!("{}-01-01T00:00:00Z", "9".repeat(4096))),
        1 => (-262_143i32..=262_142).prop_map(|y| format!("{y:+07}-06-15T12:00:00Z")),
    ]
}

fn dates() -> impl Strategy<Value = String> {
    prop_oneof![Just("2026-11-09".to_owned()), proptest::sample::select(DATES).prop_map(str::to_owned)]
}

fn strings() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => Just("S1".to_owned()),
        1 => Just(String::new()),
        1 => Just(" ".into()),
        1 => Just("HP1:".into()),
        1 => Just("HC1:".into()),
        1 => Just("x".repeat(100_000)),
        1 => Just("é".repeat(2_000)),
        1 => Just("../../../../../../tmp".into()),
        1 => Just("%s%n{}\\\n\r\t".into()),
        1 => "[a-zA-Z0-9:%$ -]{0,64}",
    ]
}

fn values() -> impl Strategy<Value = Values> {
    (numbers(), times(), dates(), strings()).prop_map(|(n, t, d, s)| Values { n, t, d, s })
}

/// Claims for `issue` with the times left out, so that `--valid-hours` sets the expiry.
const CLAIMS: &str = r#"{"issuer": "CN-GD", "colour": "green", "reasons": ["negative_test"],
    "kind": {"type": "personal"}, "subject": {"id": "000102030405060708090a0b0c0d0e0f"}}"#;

/// Files the templates point at.
struct Fixtures {
    dir: PathBuf,
    /// The office's secret key and its public key (a trusted issuer of personal codes).
    key: String,
    public: String,
    anchor_key: String,
    anchor: String,
    trust: String,
    revocations: String,
    claims: String,
    policy: String,
    code: String,
    venue_code: String,
    reports: String,
    roster: String,
    wallet: String,
    png: String,
    dcc_dir: String,
    dcc_code: String,
    dcc_cert: String,
    empty_dir: String,
    nzcp: String,
    shc: String,
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("healthpass-cli-extremes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        std::fs::create_dir_all(dir.join("dcc")).unwrap();
        let key = dir.join("office.key");
        office().write_file(&key).unwrap();
        let anchor_key = dir.join("anchor.key");
        anchor().write_file(&anchor_key).unwrap();
        let code = issue(office(), &claims(1));
        let policy_json = r#"{ "name": "green", "accept_colours": ["green"] }"#;
        let venue = Venue {
            venue_id: "GZ-TH-LIB-01".into(),
            name: Some("Tianhe Library".into()),
            region: Some("CN-GD".into()),
            issuer: "CN-GD".into(),
            policy: Policy::from_json(policy_json).unwrap(),
        };
        let venue_claims = venue.claims("registrar-7", CredentialId([9; 16]), t0(), 365).unwrap();
        let revocations = RevocationList::new(1, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(7));
        let dcc = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../test-vectors/dcc/AT/2DCode/raw/1.json"
        ))
        .unwrap();
        let dcc_json: serde_json::Value = serde_json::from_str(&dcc).unwrap();
        let reports: Vec<String> = (0..30)
            .map(|d| format!(r#"{{ "date": "2026-11-{:02}", "decicelsius": 366, "symptoms": false }}"#, d % 28 + 1))
            .collect();
        let mut wallet = healthpass_scenarios::wallet::Wallet::read(&dir.join("wallet.json")).unwrap();
        wallet.add("Mum", &code, t0()).unwrap();
        wallet.write(&dir.join("wallet.json")).unwrap();
        Fixtures {
            key: key.to_str().unwrap().to_owned(),
            public: write(&dir, "office.pub", office().public_key().to_pem().unwrap()),
            anchor_key: anchor_key.to_str().unwrap().to_owned(),
            anchor: write(&dir, "anchor.pub", anchor().public_key().to_pem().unwrap()),
            trust: write(&dir, "trust.cose", signed_trust_list(1)),
            revocations: write(&dir, "revoked.cose", revocations.sign(&anchor(), &Limits::DEFAULT).unwrap()),
            claims: write(&dir, "claims.json", CLAIMS),
            policy: write(&dir, "policy.json", policy_json),
            venue_code: issue(authority(), &venue_claims),
            reports: write(&dir, "reports.json", format!("[{}]", reports[..28].join(","))),
            roster: write(
                &dir,
                "roster.json",
                r#"[{ "name": "Chan Siu Ming", "id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b" }]"#,
            ),
            wallet: dir.join("wallet.json").to_str().unwrap().to_owned(),
            png: write(&dir, "code.png", healthpass_qr::Qr::encode(&code).unwrap().to_png(4).unwrap()),
            dcc_dir: {
                write(&dir.join("dcc"), "1.json", &dcc);
                dir.join("dcc").to_str().unwrap().to_owned()
            },
            dcc_code: dcc_json["PREFIX"].as_str().unwrap().to_owned(),
            dcc_cert: write(&dir, "dcc.cert", dcc_json["TESTCTX"]["CERTIFICATE"].as_str().unwrap()),
            empty_dir: dir.join("empty").to_str().unwrap().to_owned(),
            nzcp: concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/nzcp/nzcp-examples.json").into(),
            shc: concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/shc/examples").into(),
            code,
            dir,
        }
    })
}

impl Fixtures {
    /// A path in the fixtures' folder, for a command's output.
    fn out(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }
}

/// A subcommand (as `--help` names it) and how one case's values make its arguments.
type Template = (&'static str, fn(&Fixtures, &Values) -> Vec<String>);

macro_rules! args {
    ($($arg:expr),* $(,)?) => { vec![$(String::from(&*$arg)),*] };
}

const TEMPLATES: &[Template] = &[
    ("keygen", |f, v| args!["keygen", "--out", f.out(&format!("k{}", v.s.len())), "--force"]),
    ("keygen", |f, _| args!["keygen", "--out", f.key, "--public", f.key, "--force"]),
    ("keygen", |_, v| args!["keygen", "--out", v.s, "--public", v.s]),
    ("issue", |f, v| args!["issue", f.claims, "--key", f.key, "--valid-hours", v.n]),
    ("issue", |f, v| args!["issue", v.s, "--demo-key", "--valid-hours", v.n, "--png", f.out("issued.png")]),
    ("decode", |_, v| args!["decode", v.s]),
    ("decode", |f, _| args!["decode", f.code]),
    ("verify", |f, v| args!["verify", f.code, "--keys", f.public, "--at", v.t, "--skew", v.n, "--json"]),
    ("verify", |_, v| args!["verify", v.s, "--demo-key", "--at", v.t]),
    ("verify", |f, v| {
        args![
            "verify",
            f.code,
            "--trust",
            f.trust,
            "--anchor",
            f.anchor,
            "--revocations",
            f.revocations,
            "--policy",
            f.policy,
            "--at",
            v.t,
            "--skew",
            v.n,
            "--clock-state",
            f.out("clock-state"),
        ]
    }),
    ("verify", |f, v| args!["verify", "--image", f.png, "--keys", f.public, "--at", v.t]),
    ("scan", |f, v| args!["scan", f.png, v.s]),
    ("demo", |f, v| args!["demo", "--png", f.out(&format!("demo{}.png", v.s.len()))]),
    ("trust-list new", |f, v| args!["trust-list", "new", "--out", f.out("draft.json"), "--sequence", v.n, "--force"]),
    ("trust-list add", |f, v| {
        args![
            "trust-list",
            "add",
            f.out("draft.json"),
            "--key",
            f.public,
            "--issuer",
            v.s,
            "--region",
            "CN-GD",
            "--valid-from",
            v.t,
            "--valid-days",
            v.n,
        ]
    }),
    ("trust-list remove", |f, v| args!["trust-list", "remove", f.out("draft.json"), "--kid", v.s]),
    ("trust-list sign", |f, v| {
        args![
            "trust-list",
            "sign",
            f.out("draft.json"),
            "--anchor-key",
            f.anchor_key,
            "--out",
            f.out("signed.cose"),
            "--at",
            v.t,
            "--next-update-days",
            v.n,
        ]
    }),
    ("trust-list update", |f, _| {
        args!["trust-list", "update", "--held", f.out("signed.cose"), "--offered", f.trust, "--anchor", f.anchor]
    }),
    ("trust-list show", |f, _| args!["trust-list", "show", f.trust, "--anchor", f.anchor]),
    ("trust-list show", |_, v| args!["trust-list", "show", v.s]),
    ("revoke", |f, v| {
        args![
            "revoke",
            "--key",
            f.anchor_key,
            "--out",
            f.out("revoked.cose"),
            "--code",
            f.code,
            "--revoke-kid",
            "00",
            "--revoke-from",
            v.t,
            "--sequence",
            v.n,
            "--at",
            v.t,
            "--next-update-days",
            v.n,
        ]
    }),
    ("revoke", |f, v| {
        args!["revoke", "--key", f.anchor_key, "--out", f.out("revoked2.cose"), "--credential", v.s, "--issuer", v.s]
    }),
    ("conformance dcc", |f, _| args!["conformance", "dcc", f.dcc_dir]),
    ("conformance dcc", |f, v| args!["conformance", "dcc", f.out(&v.s.replace(['/', '.'], "_"))]),
    ("conformance dcc", |f, _| args!["conformance", "dcc", f.empty_dir]),
    ("conformance nzcp", |f, v| args!["conformance", "nzcp", f.nzcp, "--at", v.t, "--json"]),
    ("conformance shc", |f, v| args!["conformance", "shc", f.shc, "--at", v.t, "--issuer", v.s]),
    ("rules test", |f, _| args!["rules", "test", f.empty_dir]),
    ("rules test", |f, v| args!["rules", "test", f.out(&v.s.replace(['/', '.'], "_")), "--json"]),
    ("verify", |f, v| {
        args![
            "verify",
            f.dcc_code,
            "--dcc-cert",
            f.dcc_cert,
            "--at",
            v.t,
            "--skew",
            v.n,
            "--rules",
            f.dcc_dir,
            "--arrival",
            v.s
        ]
    }),
    ("verify", |f, v| {
        args!["verify", f.dcc_code, "--dcc-cert", v.s, "--rules", f.empty_dir, "--arrival", "DE", "--lang", v.s]
    }),
    ("log init", |f, v| {
        let key = f.out(&format!("log{}.key", v.s.len()));
        args!["log", "init", "--origin", v.s, "--key-out", key, "--log", f.out("log.db")]
    }),
    ("log checkpoint", |f, v| args!["log", "checkpoint", "--log", f.out("log.db"), "--key", v.s]),
    ("log serve", |f, v| args!["log", "serve", "--log", f.out("no-log.db"), "--key", v.s, "--listen", v.s]),
    ("log hashes", |f, v| args!["log", "hashes", "--log", f.out("log.db"), "--log-key", v.s, "--out", f.out("h.txt")]),
    ("issue", |f, v| args!["issue", f.claims, "--key", f.key, "--log", v.s, "--rule", v.s]),
    ("history", |f, v| args!["history", "--log", f.out("log.db"), "--log-key", v.s, "--pseudonym-secret", v.s]),
    ("audit", |f, v| args!["audit", "--log", f.out("log.db"), "--log-key", v.s, "--seen", v.s, "--scope", v.s]),
    ("explain", |f, v| args!["explain", f.code, "--keys", f.public, "--at", v.t]),
    ("explain", |_, v| args!["explain", v.s, "--at", v.t]),
    ("card", |f, v| args!["card", f.code, "--png", f.out("card.png"), "--keys", f.public, "--at", v.t]),
    ("card", |f, v| args!["card", f.code, "--svg", f.out("card.svg"), "--at", v.t]),
    ("wallet add", |f, v| args!["wallet", "add", "--wallet", f.out("w.json"), v.s, f.code]),
    ("wallet list", |f, v| args!["wallet", "list", "--wallet", f.wallet, "--keys", f.public, "--at", v.t]),
    ("wallet show", |f, v| args!["wallet", "show", "--wallet", f.wallet, v.s, "--terminal"]),
    ("wallet remove", |f, v| args!["wallet", "remove", "--wallet", f.out("w.json"), v.s]),
    ("completions", |_, v| args!["completions", v.s]),
    ("completions", |_, _| args!["completions", "bash"]),
    ("man", |_, _| args!["man"]),
    ("verify", |f, v| args!["verify", "--image", f.out(""), "--keys", f.public, "--green-only", "--at", v.t, "--json"]),
    ("scan", |f, v| args!["scan", f.out(""), v.s, "--json"]),
    ("school issue", |f, v| {
        args![
            "school",
            "issue",
            "--reports",
            f.reports,
            "--issuer",
            "CN-GD-SCHOOL-7",
            "--school",
            v.s,
            "--term-starts",
            v.d,
            "--class",
            "3B",
            "--student-id",
            "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            "--key",
            f.key,
            "--at",
            v.t,
        ]
    }),
    ("school summary", |f, v| {
        args![
            "school", "summary", f.code, "--roster", f.roster, "--school", v.s, "--class", "3B", "--day", v.d,
            "--keys", f.public, "--at", v.t,
        ]
    }),
    ("school summary", |f, v| {
        args![
            "school", "summary", f.code, "--roster", f.roster, "--school", "S", "--class", "3B", "--trust", f.trust,
            "--anchor", f.anchor, "--at", v.t,
        ]
    }),
    ("venue issue", |f, v| {
        args![
            "venue",
            "issue",
            "--id",
            v.s,
            "--policy",
            f.policy,
            "--issuer",
            "CN-GD",
            "--officer",
            "o",
            "--key",
            f.key,
            "--valid-days",
            v.n,
            "--at",
            v.t,
        ]
    }),
    ("venue check", |f, v| {
        args![
            "venue",
            "check",
            f.venue_code,
            f.code,
            "--trust",
            f.trust,
            "--anchor",
            f.anchor,
            "--at",
            v.t,
            "--checkins",
            f.out("checkins.json"),
            "--keep-days",
            v.n,
        ]
    }),
    ("convert", |f, v| {
        args![
            "convert",
            f.code,
            "--source-keys",
            f.public,
            "--policy",
            f.policy,
            "--issuer",
            "CN-GD",
            "--key",
            f.key,
            "--valid-hours",
            v.n,
            "--skew",
            v.n,
            "--at",
            v.t,
        ]
    }),
    ("convert", |f, v| {
        args![
            "convert",
            f.dcc_code,
            "--dcc-cert",
            f.dcc_cert,
            "--policy",
            f.policy,
            "--issuer",
            "CN-GD",
            "--demo-key",
            "--valid-hours",
            v.n,
            "--at",
            "2021-05-06T18:00:00Z",
        ]
    }),
    ("convert", |f, v| {
        args!["convert", f.code, "--source-trust", f.trust, "--source-anchor", f.anchor, "--issuer", v.s, "--demo-key"]
    }),
];

/// Runs the binary (standard input empty) and kills it after [`TIMEOUT`]. Its output is read
/// while it runs, so that a long message cannot block it on a full pipe.
fn run(args: &[String]) -> Output {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("hung for {TIMEOUT:?}: {}", shown(args));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() }
}

/// The arguments, each cut to 80 characters, for a failure message.
fn shown(args: &[String]) -> String {
    args.iter().map(|a| a.chars().take(80).collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Exit 0, 1 or 2, and no panic message.
fn no_panic(args: &[String]) -> Result<(), TestCaseError> {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    if !matches!(code, Some(0..=2)) || stderr.contains("panicked") {
        return Err(TestCaseError::fail(format!("exit {code:?} for `{}`: {stderr}", shown(args))));
    }
    Ok(())
}

/// `--flag=-1` for `--flag -1`: a value that starts with `-` reaches the option's parser instead
/// of being taken for another flag.
fn joined(args: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(args.len());
    for arg in args {
        match out.last_mut() {
            Some(flag)
                if flag.starts_with("--") && !flag.contains('=') && arg.starts_with('-') && !arg.starts_with("--") =>
            {
                flag.push('=');
                flag.push_str(&arg);
            }
            _ => out.push(arg),
        }
    }
    out
}

/// Runs every template whose subcommand starts with `prefix`, [`CASES`] cases each.
fn drive(prefix: &str) {
    let fixtures = fixtures();
    let templates: Vec<_> = TEMPLATES.iter().filter(|(name, _)| name.starts_with(prefix)).collect();
    assert!(!templates.is_empty(), "no template for {prefix}");
    for (name, build) in templates {
        let config = Config { cases: CASES, failure_persistence: None, max_shrink_iters: 32, ..Config::default() };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&values(), |v| no_panic(&joined(build(fixtures, &v))));
        if let Err(err) = result {
            panic!("{name}: {err}");
        }
    }
}

#[test]
fn extreme_values_never_panic_keygen_issue_decode_verify_scan_demo() {
    for prefix in ["keygen", "issue", "decode", "verify", "scan", "demo"] {
        drive(prefix);
    }
}

#[test]
fn extreme_values_never_panic_trust_lists_and_revocation() {
    drive("trust-list");
    drive("revoke");
}

#[test]
fn extreme_values_never_panic_log_history_audit() {
    for prefix in ["log", "history", "audit"] {
        drive(prefix);
    }
}

#[test]
fn extreme_values_never_panic_conformance() {
    drive("conformance");
    drive("rules");
}

#[test]
fn extreme_values_never_panic_explain_card_wallet() {
    for prefix in ["explain", "card", "wallet"] {
        drive(prefix);
    }
}

#[test]
fn extreme_values_never_panic_school_venue_convert() {
    for prefix in ["school", "venue", "convert"] {
        drive(prefix);
    }
}

/// The subcommands `--help` lists (with their parent: `trust-list add`), `help` left out.
fn subcommands(parent: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = parent.iter().map(|s| s.to_string()).collect();
    args.push("--help".into());
    let help = String::from_utf8_lossy(&run(&args).stdout).into_owned();
    let Some(section) = help.split("Commands:\n").nth(1) else { return Vec::new() };
    let names = section.lines().take_while(|l| l.starts_with("  ")).filter_map(|l| l.split_whitespace().next());
    names.filter(|n| *n != "help").map(str::to_owned).collect()
}

#[test]
fn every_subcommand_is_driven() {
    let mut listed = BTreeSet::new();
    for top in subcommands(&[]) {
        let nested = subcommands(&[&top]);
        if nested.is_empty() {
            listed.insert(top);
        } else {
            listed.extend(nested.into_iter().map(|n| format!("{top} {n}")));
        }
    }
    let driven: BTreeSet<String> = TEMPLATES.iter().map(|(name, _)| name.to_string()).collect();
    assert!(listed.len() >= 25, "{listed:?}");
    assert_eq!(listed, driven, "every subcommand in --help needs a template here");
}

// ---- the cases the issue found, named for the rule ----

fn stderr_of(args: Vec<String>) -> (Option<i32>, String) {
    let out = run(&args);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn issue_valid_hours_past_the_last_time_is_a_usage_error_naming_the_value() {
    let f = fixtures();
    let (code, stderr) = stderr_of(args!["issue", f.claims, "--key", f.key, "--valid-hours", "99999999999"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("time out of range: --valid-hours 99999999999"), "{stderr}");
    for bad in ["0", "-1", "18446744073709551615"] {
        let (code, stderr) = stderr_of(args!["issue", f.claims, "--key", f.key, format!("--valid-hours={bad}")]);
        assert_eq!(code, Some(2), "{bad}: {stderr}");
        assert!(stderr.contains(&format!("'{bad}'")) && stderr.contains("--valid-hours"), "{stderr}");
    }
}

#[test]
fn convert_valid_hours_u32_max_is_bounded_by_the_source() {
    let f = fixtures();
    let at = t0().to_rfc3339();
    let args = args![
        "convert",
        f.code,
        "--source-keys",
        f.public,
        "--policy",
        f.policy,
        "--issuer",
        "CN-GD",
        "--demo-key",
        "--valid-hours",
        "4294967295",
        "--at",
        at,
    ];
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let converted = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let verifier = Verifier::new([SigningKey::demo().public_key()].into_iter().collect());
    assert_eq!(verifier.verify(&converted, t0()).unwrap().expires_at, claims(1).expires_at);
}

#[test]
fn venue_issue_at_the_last_year_is_a_usage_error_naming_the_time() {
    let f = fixtures();
    let args = args![
        "venue",
        "issue",
        "--id",
        "GZ-TH-LIB-01",
        "--policy",
        f.policy,
        "--issuer",
        "CN-GD",
        "--officer",
        "o",
        "--key",
        f.key,
        "--at",
        "+262142-12-31T00:00:00Z",
    ];
    let (code, stderr) = stderr_of(args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("time out of range: a venue code valid for 365 days from +262142-12-31"), "{stderr}");
}

// ---- the library paths ----

/// A verified source code from the office, as the checkpoint that converts it would hold it.
fn verified_source() -> healthpass::Verified<healthpass::Claims> {
    let verifier = Verifier::new([office().public_key()].into_iter().collect());
    verifier.verify(&issue(office(), &claims(1)), t0()).unwrap()
}

#[test]
fn converter_with_huge_valid_hours_keeps_the_source_expiry() {
    let source = verified_source();
    for valid_hours in [u32::MAX, u32::MAX / 2, 100_000_000] {
        let converter = Converter {
            issuer: "CN-GD".into(),
            policy: Policy::permissive(),
            category: DeclarationCategory::Individual,
            valid_hours,
        };
        let converted = converter.convert("HP1:source", "HP1", &source, CredentialId([7; 16]), t0()).unwrap();
        assert_eq!(converted.expires_at, source.expires_at, "{valid_hours}");
        Issuer::new(SigningKey::demo()).issue(&converted).unwrap();
    }
}

#[test]
fn venue_claims_past_the_last_time_are_time_out_of_range() {
    let venue = Venue {
        venue_id: "V".into(),
        name: None,
        region: None,
        issuer: "CN-GD".into(),
        policy: Policy::from_json(r#"{ "accept_colours": ["green"] }"#).unwrap(),
    };
    let last = DateTime::<Utc>::MAX_UTC - TimeDelta::days(1);
    let err = venue.claims("o", CredentialId([1; 16]), last, 365).unwrap_err();
    assert_eq!(err.code(), "time_out_of_range");
    assert!(venue.claims("o", CredentialId([1; 16]), last, 1).is_ok());
}
