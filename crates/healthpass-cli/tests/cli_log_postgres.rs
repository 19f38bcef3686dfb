//! The decision log kept in PostgreSQL, driven from the built binary: `log init|checkpoint|
//! hashes|serve`, `issue --log`, `history` and `audit`, each given `--log postgres://...#name`
//! (tests/cli_log.rs runs the same commands on SQLite files). Runs when `HEALTHPASS_TEST_POSTGRES`
//! holds a connection string (tools/postgres-test.sh starts PostgreSQL and sets it); otherwise
//! the tests are listed as ignored with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use healthpass::SigningKey;
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::issuer::AddRequest;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("healthpass-cli-pglog-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The test database as a `postgres://` URL: `HEALTHPASS_TEST_POSTGRES` is a URL or libpq
/// `key=value` pairs (host, port, user, password, dbname).
fn database_url() -> String {
    let spec = std::env::var("HEALTHPASS_TEST_POSTGRES").unwrap_or_default();
    if spec.starts_with("postgres") {
        return spec;
    }
    let get = |key: &str| {
        spec.split_whitespace().find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('='))).unwrap_or("")
    };
    let port = if get("port").is_empty() { "5432" } else { get("port") };
    format!("postgres://{}:{}@{}:{port}/{}", get("user"), get("password"), get("host"), get("dbname"))
}

/// A log's tables in the test database, dropped before and after the test.
struct PgLog {
    url: String,
    name: String,
}

impl PgLog {
    fn new(test: &str) -> Self {
        let log = PgLog { url: database_url(), name: format!("cli{}_{test}", std::process::id()) };
        log.drop_tables();
        log
    }

    /// The `--log` argument.
    fn spec(&self) -> String {
        format!("{}#{}", self.url, self.name)
    }

    fn drop_tables(&self) {
        if let Ok(store) = healthpass_log::store::postgres::PostgresStore::open(&self.url, &self.name) {
            store.drop_tables().unwrap();
        }
    }
}

impl Drop for PgLog {
    fn drop(&mut self) {
        self.drop_tables();
    }
}

fn run(dir: &Dir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).current_dir(&dir.0).args(args).output().unwrap()
}

fn ok(dir: &Dir, args: &[&str]) -> String {
    let out = run(dir, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{args:?}: {text}");
    assert!(!text.contains(":postgres@"), "a password was printed: {text}");
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Dir, code: i32, args: &[&str]) -> String {
    let out = run(dir, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// Issues a code through the log for subject `subject`, credential `id`.
fn issue(dir: &Dir, log: &str, colour: &str, reason: &str, subject: u8, id: u8, secret: &str) -> String {
    let name = format!("claims-{id}.json");
    let claims = format!(
        r#"{{"issuer":"CN-GD","colour":"{colour}","reasons":["{reason}"],"kind":{{"type":"personal"}},
        "subject":{{"id":"{subject:032x}"}},"credential_id":"{id:032x}","issued_at":"2026-11-23T08:30:00Z",
        "not_before":"2026-11-23T08:30:00Z","expires_at":"2026-11-24T08:30:00Z"}}"#
    );
    std::fs::write(dir.0.join(&name), claims).unwrap();
    ok(dir, &["issue", &name, "--key", "office.key", "--log", log, "--holder-secret", secret]).trim().to_owned()
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Dir, log: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(&dir.0)
        .args(["log", "serve", "--log", log, "--key", "log.key", "--listen", "127.0.0.1:0"])
        .args(["--issuers", "office.key.pub"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(!line.contains(":postgres@"), "{line}");
    let base = line.split_whitespace().last().unwrap_or_default().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, base }
}

fn http(url: &str, body: Option<&[u8]>) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    let method = if body.is_some() { "POST" } else { "GET" };
    let body = body.unwrap_or(&[]);
    write!(stream, "{method} /{path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: {}\r\n\r\n", body.len()).unwrap();
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.take(4 << 20).read_to_end(&mut response);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    (head.split_whitespace().nth(1).unwrap().parse().unwrap(), response[split + 4..].to_vec())
}

fn red_without_reason(key: &SigningKey, id: u8) -> DecisionEntry {
    DecisionEntry {
        issuer: "CN-GD".into(),
        key_fingerprint: healthpass::trust::KeyFingerprint::of_ed25519(&key.public_key()).0,
        actor: Actor::Officer("officer-0042".into()),
        colour: Colour::Red,
        reasons: Vec::new(),
        time: 1_795_424_400,
        credential_id_hash: healthpass_log::commitment::credential_id_hash(&[id; 16]),
        scheme: healthpass_log::commitment::Scheme::HmacSha256,
        subject_commitment: [id; 32],
        evidence_commitment: [id; 32],
    }
}

#[test]
#[cfg_attr(
    not(all(feature = "postgres", healthpass_pg_tests)),
    ignore = "PostgreSQL CLI tests skipped: set HEALTHPASS_TEST_POSTGRES (tools/postgres-test.sh)"
)]
fn issue_history_audit_and_serve_on_postgresql() {
    let dir = Dir::new("flow");
    let pg = PgLog::new("flow");
    let log = pg.spec();
    let out = ok(&dir, &["log", "init", "--origin", "log.example/health", "--key-out", "log.key", "--log", &log]);
    assert!(out.contains(&format!("#{} holding 0 entries", pg.name)), "{out}");
    ok(&dir, &["keygen", "--out", "office.key"]);

    for code in [
        issue(&dir, &log, "green", "negative_test", 1, 1, "alice.json"),
        issue(&dir, &log, "yellow", "risk_area_visit", 1, 2, "alice.json"),
        issue(&dir, &log, "red", "positive_test", 2, 3, "bob.json"),
    ] {
        assert!(code.starts_with("HP1:"), "{code}");
    }
    let note = ok(&dir, &["log", "checkpoint", "--log", &log, "--key", "log.key"]);
    assert!(note.starts_with("log.example/health\n3\n"), "{note}");

    // history and audit read the tables directly.
    let source = ["--log", log.as_str(), "--log-key", "log.key.vkey"];
    let out = ok(&dir, &[&["history"][..], &source, &["--pseudonym-secret", "alice.json"]].concat());
    assert!(out.starts_with("2 decisions about you in 3 entries"), "{out}");
    assert!(out.contains("yellow  risk_area_visit  by CN-GD (rule automated)  entry 1"), "{out}");
    let text = fails(
        &dir,
        1,
        &[&["audit"][..], &source, &["--state", "audit.note", "--scope", "office.key.pub=green,yellow"]].concat(),
    );
    assert!(text.contains("colour_outside_scope: entry 2 red"), "{text}");
    assert!(text.contains("3 entries, consistent with the last trusted checkpoint (size 0), 1 findings"), "{text}");

    // log serve over the same tables: an issuer appends, history and audit follow over HTTP.
    let server = serve(&dir, &log);
    let office = SigningKey::read_file(&dir.0.join("office.key")).unwrap();
    let body = AddRequest::sign(&office, &[red_without_reason(&office, 9)]).unwrap();
    let (status, reply) = http(&format!("{}/add", server.base), Some(&body));
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert_eq!(status, 200, "{reply}");
    assert!(reply.starts_with("index 3\nsize 4\n\nlog.example/health\n4\n"), "{reply}");
    let stranger = SigningKey::from_seed(&[3; 32]);
    let body = AddRequest::sign(&stranger, &[red_without_reason(&stranger, 10)]).unwrap();
    assert_eq!(http(&format!("{}/add", server.base), Some(&body)).0, 401);

    let http_source = ["--log", server.base.as_str(), "--log-key", "log.key.vkey"];
    let out = ok(&dir, &[&["history"][..], &http_source, &["--pseudonym-secret", "bob.json"]].concat());
    assert!(out.starts_with("1 decision about you in 4 entries"), "{out}");
    let text = fails(&dir, 1, &[&["audit"][..], &http_source, &["--state", "audit.note"]].concat());
    assert!(text.contains("red_without_reason: entry 3 red"), "{text}");
    assert!(text.contains("4 entries, consistent with the last trusted checkpoint (size 3)"), "{text}");
    drop(server);

    // The served append is in the tables: the hashes file holds all four entries.
    let out = ok(&dir, &[&["log", "hashes"][..], &source, &["--out", "logged.txt"]].concat());
    assert!(out.starts_with("4 credential id hashes at log size 4"), "{out}");
    let hashes = std::fs::read_to_string(dir.0.join("logged.txt")).unwrap();
    let added = data_encoding::HEXLOWER.encode(&healthpass_log::commitment::credential_id_hash(&[9; 16]));
    assert!(hashes.lines().any(|l| l == added), "{hashes}");
}

#[test]
#[cfg_attr(
    not(all(feature = "postgres", healthpass_pg_tests)),
    ignore = "PostgreSQL CLI tests skipped: set HEALTHPASS_TEST_POSTGRES (tools/postgres-test.sh)"
)]
fn a_log_never_initialised_or_unreachable_issues_nothing() {
    let dir = Dir::new("missing");
    let pg = PgLog::new("missing");
    ok(&dir, &["keygen", "--out", "office.key"]);
    std::fs::write(
        dir.0.join("c.json"),
        r#"{"issuer":"CN-GD","colour":"green","reasons":["negative_test"],"kind":{"type":"personal"},
        "subject":{"id":"00000000000000000000000000000001"},"credential_id":"00000000000000000000000000000002","issued_at":"2026-11-23T08:30:00Z",
        "not_before":"2026-11-23T08:30:00Z","expires_at":"2026-11-24T08:30:00Z"}"#,
    )
    .unwrap();
    let out = run(&dir, &["issue", "c.json", "--key", "office.key", "--log", &pg.spec()]);
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(out.stdout.is_empty());
    assert!(text.contains("no such log (run healthpass log init)"), "{text}");
    assert!(!text.contains(":postgres@"), "{text}");

    // Nothing listens on port 9: the connection fails, no code is printed.
    let out = run(&dir, &["issue", "c.json", "--key", "office.key", "--log", "postgres://u:pw@127.0.0.1:9/db#x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(text.contains("postgres://127.0.0.1:9/db#x") && !text.contains("pw"), "{text}");
}
