//! The decision log in use, run as the built binary: `log init|checkpoint|hashes|serve`,
//! `issue --log`, `history`, `audit` and `verify --logged` with a `require_logged` policy;
//! `log serve` spoken to over HTTP on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use healthpass::SigningKey;
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::issuer::AddRequest;

const NOW: &str = "2026-11-23T09:00:00Z";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("healthpass-cli-log-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
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
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Dir, code: i32, args: &[&str]) -> String {
    let out = run(dir, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// Claims JSON for subject `subject`, credential `id`.
fn claims(dir: &Dir, colour: &str, reason: &str, subject: u8, id: u8) -> String {
    let name = format!("claims-{id}.json");
    let claims = format!(
        r#"{{"issuer":"CN-GD","colour":"{colour}","reasons":["{reason}"],"kind":{{"type":"personal"}},
        "subject":{{"id":"{subject:032x}"}},"credential_id":"{id:032x}","issued_at":"2026-11-23T08:30:00Z",
        "not_before":"2026-11-23T08:30:00Z","expires_at":"2026-11-24T08:30:00Z"}}"#
    );
    std::fs::write(dir.path(&name), claims).unwrap();
    name
}

/// A log (`log.db`, `log.key`, `log.key.vkey`) and an office key.
fn setup(name: &str) -> Dir {
    let dir = Dir::new(name);
    let out = ok(&dir, &["log", "init", "--origin", "log.example/health", "--key-out", "log.key", "--log", "log.db"]);
    assert!(out.contains("log.example/health"), "{out}");
    ok(&dir, &["keygen", "--out", "office.key"]);
    dir
}

fn issue_logged(dir: &Dir, colour: &str, reason: &str, subject: u8, id: u8, secret: &str) -> String {
    let file = claims(dir, colour, reason, subject, id);
    ok(dir, &["issue", &file, "--key", "office.key", "--log", "log.db", "--holder-secret", secret]).trim().to_owned()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn issuing_through_the_log_then_history_and_checkpoints() {
    let dir = setup("issue");
    #[cfg(unix)]
    assert_eq!(mode(&dir.path("log.key")), 0o600);
    let vkey = std::fs::read_to_string(dir.path("log.key.vkey")).unwrap();
    assert!(vkey.starts_with("log.example/health+"), "{vkey}");

    let a1 = issue_logged(&dir, "green", "negative_test", 1, 1, "alice.json");
    let a2 = issue_logged(&dir, "yellow", "risk_area_visit", 1, 2, "alice.json");
    let b1 = issue_logged(&dir, "green", "negative_test", 2, 3, "bob.json");
    for code in [&a1, &a2, &b1] {
        assert!(code.starts_with("HP1:"), "{code}");
    }
    #[cfg(unix)]
    assert_eq!(mode(&dir.path("alice.json")), 0o600);
    let secret: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path("alice.json")).unwrap()).unwrap();
    assert_eq!(secret["salts"].as_array().unwrap().len(), 2);

    // The stored checkpoint is still the one of `init` (size 0): the log signs a new one.
    let note = ok(&dir, &["log", "checkpoint", "--log", "log.db", "--key", "log.key"]);
    assert!(note.starts_with("log.example/health\n3\n"), "{note}");

    let out =
        ok(&dir, &["history", "--log", "log.db", "--log-key", "log.key.vkey", "--pseudonym-secret", "alice.json"]);
    assert!(out.starts_with("2 decisions about you in 3 entries"), "{out}");
    assert!(out.contains("green  negative_test  by CN-GD (rule automated)  entry 0"), "{out}");
    assert!(out.contains("yellow  risk_area_visit  by CN-GD (rule automated)  entry 1"), "{out}");
    // The holder reads it in their own language, times in their own zone.
    let zh = ok(
        &dir,
        &["history", "--log", "log.db", "--log-key", "log.key.vkey", "--pseudonym-secret", "alice.json"]
            .into_iter()
            .chain(["--lang", "zh-Hans", "--tz", "Asia/Hong_Kong"])
            .collect::<Vec<_>>(),
    );
    assert!(zh.starts_with("日志 3 条记录中有 2 条关于你的决定"), "{zh}");
    assert!(zh.contains("绿码  negative_test  由 CN-GD（规则 automated）作出  记录 0"), "{zh}");
    assert!(zh.contains("+08:00"), "{zh}");
    let json = ok(
        &dir,
        &["history", "--log", "log.db", "--log-key", "log.key.vkey", "--pseudonym-secret", "bob.json", "--json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["checkpoint_size"], 3);
    assert_eq!(json["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(json["decisions"][0]["index"], 2);

    // A log under another key is refused.
    ok(&dir, &["log", "init", "--origin", "log.example/health", "--key-out", "other.key", "--log", "other.db"]);
    let text = fails(
        &dir,
        1,
        &["history", "--log", "log.db", "--log-key", "other.key.vkey", "--pseudonym-secret", "alice.json"],
    );
    assert!(text.contains("log refused"), "{text}");
}

#[test]
fn an_issuer_whose_log_cannot_append_prints_no_code() {
    let dir = setup("broken");
    let file = claims(&dir, "green", "negative_test", 1, 1);
    let out = run(&dir, &["issue", &file, "--key", "office.key", "--log", "missing.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    std::fs::write(dir.path("garbage.db"), vec![0x55; 4096]).unwrap();
    let out = run(&dir, &["issue", &file, "--key", "office.key", "--log", "garbage.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    // An existing key is never replaced.
    let text = fails(&dir, 2, &["log", "init", "--origin", "x.example/l", "--key-out", "log.key", "--log", "x.db"]);
    assert!(text.contains("exists"), "{text}");
}

#[test]
fn audit_reports_scope_and_unlogged_codes_and_catches_a_forked_log() {
    let dir = setup("audit");
    issue_logged(&dir, "green", "negative_test", 1, 1, "h.json");
    issue_logged(&dir, "red", "positive_test", 1, 2, "h.json");
    ok(&dir, &["log", "checkpoint", "--log", "log.db", "--key", "log.key"]);
    let source = ["--log", "log.db", "--log-key", "log.key.vkey"];
    let out = ok(&dir, &[&["audit"][..], &source, &["--state", "seen.note"]].concat());
    assert!(out.contains("2 entries, consistent with the last trusted checkpoint (size 0), 0 findings"), "{out}");

    // Office may sign green and yellow only; a scanner saw a code with no entry.
    let mut id = [0u8; 16];
    id[15] = 1;
    let logged = healthpass::decide::logged_credential_hash(&healthpass::CredentialId(id));
    std::fs::write(dir.path("seen.txt"), format!("{}\n{}\n", data_encoding::HEXLOWER.encode(&logged), "ab".repeat(32)))
        .unwrap();
    let text = fails(
        &dir,
        1,
        &[
            &["audit"][..],
            &source,
            &["--state", "seen.note", "--scope", "office.key.pub=green,yellow", "--seen", "seen.txt"],
        ]
        .concat(),
    );
    assert!(text.contains("colour_outside_scope: entry 1 red"), "{text}");
    assert!(text.contains(&format!("seen_not_logged: {}", "ab".repeat(32))), "{text}");
    assert!(!text.contains(&data_encoding::HEXLOWER.encode(&logged)), "{text}");
    let json = run(&dir, &[&["audit"][..], &source, &["--seen", "seen.txt", "--json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["findings"][0]["finding"], "seen_not_logged");

    // The log grows: consistent with the saved checkpoint.
    issue_logged(&dir, "green", "negative_test", 3, 3, "h3.json");
    ok(&dir, &["log", "checkpoint", "--log", "log.db", "--key", "log.key"]);
    let out = ok(&dir, &[&["audit"][..], &source, &["--state", "seen.note"]].concat());
    assert!(out.contains("3 entries, consistent with the last trusted checkpoint (size 2)"), "{out}");

    // A rewritten history under the same key (a fork) is refused against the saved checkpoint.
    drop(healthpass_log::store::sqlite::SqliteStore::open(&dir.path("fork.db")).unwrap());
    for id in 7..11 {
        let file = claims(&dir, "green", "negative_test", id, id);
        ok(&dir, &["issue", &file, "--key", "office.key", "--log", "fork.db"]);
    }
    ok(&dir, &["log", "checkpoint", "--log", "fork.db", "--key", "log.key"]);
    let fork = ["--log", "fork.db", "--log-key", "log.key.vkey"];
    let text = fails(&dir, 1, &[&["audit"][..], &fork, &["--state", "seen.note"]].concat());
    assert!(text.contains("log refused: inconsistent"), "{text}");
    // Without the saved checkpoint the fork alone looks fine: the state is what catches it.
    ok(&dir, &[&["audit"][..], &fork].concat());
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

fn serve(dir: &Dir) -> Server {
    serve_with(dir, &[])
}

fn serve_with(dir: &Dir, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .current_dir(&dir.0)
        .args(["log", "serve", "--log", "log.db", "--key", "log.key", "--listen", "127.0.0.1:0"])
        .args(["--issuers", "office.key.pub"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.split_whitespace().last().unwrap_or_default().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, base }
}

/// A bounded HTTP/1.0 request: status and body.
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
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response[split + 4..].to_vec())
}

/// A `POST /add` of a body past the 1 MiB limit, written from another thread.
fn too_large(base: &str) -> u16 {
    let host = base.strip_prefix("http://").unwrap();
    let stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    writer.set_write_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let len = (1 << 20) + 1;
    let head = format!("POST /add HTTP/1.0\r\nHost: {host}\r\nContent-Length: {len}\r\n\r\n");
    let thread = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes());
        let _ = writer.write_all(&vec![0; len]);
    });
    let mut response = Vec::new();
    let _ = stream.take(1 << 16).read_to_end(&mut response);
    let _ = thread.join();
    let head = String::from_utf8_lossy(&response).into_owned();
    head.split_whitespace().nth(1).unwrap_or("0").parse().unwrap()
}

fn entry(key: &SigningKey, colour: Colour, reasons: &[&str], id: u8) -> DecisionEntry {
    DecisionEntry {
        issuer: "CN-GD".into(),
        key_fingerprint: healthpass::trust::KeyFingerprint::of_ed25519(&key.public_key()).0,
        actor: Actor::Officer("officer-0042".into()),
        colour,
        reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
        time: 1_795_424_400,
        credential_id_hash: healthpass_log::commitment::credential_id_hash(&[id; 16]),
        scheme: healthpass_log::commitment::Scheme::HmacSha256,
        subject_commitment: [id; 32],
        evidence_commitment: [id; 32],
    }
}

#[test]
fn log_serve_over_http_on_localhost() {
    let dir = setup("serve");
    issue_logged(&dir, "green", "negative_test", 1, 1, "h.json");
    let server = serve(&dir);
    let office = SigningKey::read_file(&dir.path("office.key")).unwrap();

    let (status, note) = http(&format!("{}/checkpoint", server.base), None);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&note).starts_with("log.example/health\n1\n"));
    let (status, tile) = http(&format!("{}/tile/entries/000.p/1", server.base), None);
    assert_eq!(status, 200);
    assert_eq!(tile.len(), 2 + usize::from(u16::from_be_bytes([tile[0], tile[1]])));
    assert_eq!(http(&format!("{}/tile/0/000.p/1", server.base), None).0, 200);
    // Tiles beyond the checkpoint, malformed paths.
    assert_eq!(http(&format!("{}/tile/entries/000.p/2", server.base), None).0, 404);
    assert_eq!(http(&format!("{}/tile/0/0001", server.base), None).0, 400);
    assert_ne!(http(&format!("{}/tile/../../etc/passwd", server.base), None).0, 200);

    // An issuer appends a red decision without a reason: durable, then acknowledged.
    let body = AddRequest::sign(&office, &[entry(&office, Colour::Red, &[], 9)]).unwrap();
    let (status, reply) = http(&format!("{}/add", server.base), Some(&body));
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert_eq!(status, 200, "{reply}");
    assert!(reply.starts_with("index 1\nsize 2\n\nlog.example/health\n2\n"), "{reply}");

    // Unknown key, tampered body, an entry of another key, garbage, too large.
    let stranger = SigningKey::from_seed(&[3; 32]);
    let body = AddRequest::sign(&stranger, &[entry(&stranger, Colour::Green, &["negative_test"], 10)]).unwrap();
    assert_eq!(http(&format!("{}/add", server.base), Some(&body)).0, 401);
    let mut tampered = AddRequest::sign(&office, &[entry(&office, Colour::Green, &["negative_test"], 11)]).unwrap();
    *tampered.last_mut().unwrap() ^= 1;
    assert_eq!(http(&format!("{}/add", server.base), Some(&tampered)).0, 401);
    let body = AddRequest::sign(&office, &[entry(&stranger, Colour::Green, &["negative_test"], 12)]).unwrap();
    assert_eq!(http(&format!("{}/add", server.base), Some(&body)).0, 400);
    assert_eq!(http(&format!("{}/add", server.base), Some(b"garbage")).0, 400);
    assert_eq!(too_large(&server.base), 413);

    // History and audit over HTTP see the appended entry; the audit reports it.
    let source = ["--log", &server.base, "--log-key", "log.key.vkey"];
    let out = ok(&dir, &[&["history"][..], &source, &["--pseudonym-secret", "h.json"]].concat());
    assert!(out.starts_with("1 decision about you in 2 entries"), "{out}");
    let text = fails(&dir, 1, &[&["audit"][..], &source].concat());
    assert!(text.contains("red_without_reason: entry 1 red"), "{text}");
    assert_eq!(http(&format!("{}/checkpoint", server.base), None).0, 200);
}

#[test]
fn verify_with_require_logged_refuses_codes_not_in_the_log() {
    let dir = setup("require");
    ok(&dir, &["keygen", "--out", "anchor.key"]);
    ok(&dir, &["trust-list", "new", "--out", "draft.json", "--sequence", "1"]);
    ok(
        &dir,
        &[
            "trust-list",
            "add",
            "draft.json",
            "--key",
            "office.key.pub",
            "--issuer",
            "CN-GD",
            "--region",
            "CN-GD",
            "--valid-from",
            "2026-01-01T00:00:00Z",
        ],
    );
    ok(
        &dir,
        &[
            "trust-list",
            "sign",
            "draft.json",
            "--anchor-key",
            "anchor.key",
            "--out",
            "list.cose",
            "--at",
            "2026-11-23T08:00:00Z",
        ],
    );
    std::fs::write(dir.path("policy.json"), r#"{ "accept_colours": ["green"], "require_logged": true }"#).unwrap();
    let logged = issue_logged(&dir, "green", "negative_test", 1, 1, "h.json");
    let file = claims(&dir, "green", "negative_test", 1, 2);
    let unlogged = ok(&dir, &["issue", &file, "--key", "office.key"]).trim().to_owned();
    ok(&dir, &["log", "checkpoint", "--log", "log.db", "--key", "log.key"]);
    let out = ok(&dir, &["log", "hashes", "--log", "log.db", "--log-key", "log.key.vkey", "--out", "logged.txt"]);
    assert!(out.starts_with("1 credential id hashes at log size 1"), "{out}");

    let verify = |code: &str, extra: &[&str]| {
        run(
            &dir,
            &[
                &["verify", code, "--trust", "list.cose", "--anchor", "anchor.key.pub", "--at", NOW][..],
                &["--policy", "policy.json"],
                extra,
            ]
            .concat(),
        )
    };
    let out = verify(&logged, &["--logged", "logged.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out = verify(&unlogged, &["--logged", "logged.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[not_logged]"), "{}", String::from_utf8_lossy(&out.stdout));
    // No log state synced: refused too.
    let out = verify(&logged, &["--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["refusals"][0]["code"], "not_logged");
}

#[test]
fn audit_reports_officers_outside_their_authoritys_region() {
    let dir = setup("regions");
    ok(&dir, &["keygen", "--out", "anchor.key"]);
    ok(&dir, &["trust-list", "new", "--out", "draft.json", "--sequence", "1"]);
    let add = ["trust-list", "add", "draft.json", "--key", "office.key.pub", "--issuer", "CN-GD"];
    ok(&dir, &[&add[..], &["--region", "CN-GD", "--valid-from", "2026-01-01T00:00:00Z"]].concat());
    let sign = ["trust-list", "sign", "draft.json", "--out", "list.cose", "--at", "2026-11-23T08:00:00Z"];
    ok(&dir, &[&sign[..], &["--anchor-key", "anchor.key"]].concat());

    // Decisions by officers of Guangdong (and a city in it), of Henan, an unregistered officer,
    // a key the trust list does not hold, and an automated rule.
    let office = SigningKey::read_file(&dir.path("office.key")).unwrap();
    let stranger = SigningKey::from_seed(&[5; 32]);
    let decided = |key: &SigningKey, actor: Actor, id: u8| {
        let mut e = entry(key, Colour::Red, &["positive_test"], id);
        e.actor = actor;
        e
    };
    let officer = |id: &str| Actor::Officer(id.into());
    let entries = [
        decided(&office, officer("officer-0042"), 1),
        decided(&office, officer("officer-0043"), 2),
        decided(&office, officer("officer-0077"), 3),
        decided(&office, officer("officer-0099"), 4),
        decided(&stranger, officer("officer-0042"), 5),
        decided(&office, Actor::Rule("contact_rule".into()), 6),
    ];
    let key = std::fs::read_to_string(dir.path("log.key")).unwrap();
    let signer = healthpass_log::note::NoteSigner::parse_secret(key.trim()).unwrap();
    let store = healthpass_log::store::sqlite::SqliteStore::open(&dir.path("log.db")).unwrap();
    let mut log = healthpass_log::Log::open(store, signer).unwrap();
    log.append(&entries).unwrap();
    log.checkpoint().unwrap();
    drop(log);
    std::fs::write(
        dir.path("officers.txt"),
        "# register\nofficer-0042 CN-GD\nofficer-0043 CN-GD-SZ\nofficer-0077 CN-HA\n",
    )
    .unwrap();

    let audit = ["audit", "--log", "log.db", "--log-key", "log.key.vkey", "--trust", "list.cose"];
    let text = fails(&dir, 1, &[&audit[..], &["--anchor", "anchor.key.pub", "--officers", "officers.txt"]].concat());
    assert!(text.contains(", 3 findings"), "{text}");
    assert!(
        text.contains("officer_outside_region: entry 2 red")
            && text.contains("officer officer-0077 of CN-HA decided under a key of CN-GD"),
        "{text}"
    );
    assert!(text.contains("officer_not_registered: entry 3 red"), "{text}");
    assert!(text.contains("signer_not_in_trust_list: entry 4 red"), "{text}");
    for quiet in ["entry 0 ", "entry 1 ", "entry 5 "] {
        assert!(!text.contains(quiet), "{quiet}: {text}");
    }
    let json =
        run(&dir, &[&audit[..], &["--anchor", "anchor.key.pub", "--officers", "officers.txt", "--json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings: Vec<_> = json["findings"].as_array().unwrap().iter().map(|f| f["finding"].clone()).collect();
    assert_eq!(findings, ["officer_outside_region", "officer_not_registered", "signer_not_in_trust_list"]);

    // A trust list the anchor did not sign, and a malformed register, are refused (exit 2).
    let text = fails(&dir, 2, &[&audit[..], &["--anchor", "office.key.pub", "--officers", "officers.txt"]].concat());
    assert!(text.contains("list.cose"), "{text}");
    std::fs::write(dir.path("bad.txt"), "officer-0042\n").unwrap();
    let text = fails(&dir, 2, &[&audit[..], &["--anchor", "anchor.key.pub", "--officers", "bad.txt"]].concat());
    assert!(text.contains("bad.txt: line 1"), "{text}");
    // --officers without a trust list is a usage error.
    fails(&dir, 2, &["audit", "--log", "log.db", "--log-key", "log.key.vkey", "--officers", "officers.txt"]);
}

#[test]
fn log_serve_collects_witness_cosignatures_and_history_requires_k_of_n() {
    use healthpass_log::cosignature::Cosigner;
    use healthpass_log::note::Note;
    let dir = setup("witness");
    issue_logged(&dir, "green", "negative_test", 1, 1, "h.json");
    let (w1, w2) = (Cosigner::new("w1.example/w", &[7; 32]).unwrap(), Cosigner::new("w2.example/w", &[8; 32]).unwrap());
    let stranger = Cosigner::new("w3.example/w", &[9; 32]).unwrap();
    std::fs::write(dir.path("w1.vkey"), format!("{}\n", w1.verifier())).unwrap();
    std::fs::write(dir.path("w2.vkey"), format!("{}\n", w2.verifier())).unwrap();
    let server = serve_with(&dir, &["--witness", "w1.vkey", "--witness", "w2.vkey"]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let cosigned = |witness: &Cosigner| {
        let (status, note) = http(&format!("{}/checkpoint", server.base), None);
        assert_eq!(status, 200);
        let mut note = Note::parse(std::str::from_utf8(&note).unwrap()).unwrap();
        let line = witness.cosign(note.text_unverified(), now).unwrap();
        note.push_signature(line);
        note.to_text()
    };
    let history = |quorum: &str| {
        let source = ["--log", &server.base, "--log-key", "log.key.vkey", "--pseudonym-secret", "h.json"];
        run(
            &dir,
            &[&["history"][..], &source, &["--witness", "w1.vkey", "--witness", "w2.vkey", "--quorum", quorum]]
                .concat(),
        )
    };
    // No cosignature yet: a holder asking for one witness refuses the checkpoint.
    let out = history("1");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("log refused"), "{}", String::from_utf8_lossy(&out.stderr));

    // A stranger's cosignature, a damaged one and one over another checkpoint are refused.
    assert_eq!(http(&format!("{}/cosign", server.base), Some(cosigned(&stranger).as_bytes())).0, 401);
    let good = cosigned(&w1);
    let (head, line) = good.trim_end().rsplit_once('\n').unwrap();
    let mut sig = line.as_bytes().to_vec();
    let at = sig.len() - 10;
    sig[at] = if sig[at] == b'A' { b'B' } else { b'A' };
    let damaged = format!("{head}\n{}\n", String::from_utf8(sig).unwrap());
    assert_eq!(http(&format!("{}/cosign", server.base), Some(damaged.as_bytes())).0, 401);
    let other = good.replacen("\n1\n", "\n2\n", 1);
    assert_eq!(http(&format!("{}/cosign", server.base), Some(other.as_bytes())).0, 409);
    assert_eq!(http(&format!("{}/cosign", server.base), Some(b"garbage")).0, 400);

    // One witness cosigns: 1 of 2 is enough, 2 of 2 is not; then the second cosigns.
    let (status, reply) = http(&format!("{}/cosign", server.base), Some(good.as_bytes()));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
    let out = history("1");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1 decision about you in 1 entries"));
    assert_eq!(history("2").status.code(), Some(1));
    assert_eq!(http(&format!("{}/cosign", server.base), Some(cosigned(&w2).as_bytes())).0, 200);
    assert!(history("2").status.success());

    // An append signs a new checkpoint: its cosignatures start again from none.
    let office = SigningKey::read_file(&dir.path("office.key")).unwrap();
    let body = AddRequest::sign(&office, &[entry(&office, Colour::Green, &["negative_test"], 9)]).unwrap();
    assert_eq!(http(&format!("{}/add", server.base), Some(&body)).0, 200);
    assert_eq!(history("1").status.code(), Some(1));
    // A server without --witness takes no cosignatures.
    drop(server);
    let plain = serve(&dir);
    assert_eq!(http(&format!("{}/cosign", plain.base), Some(b"x")).0, 404);
}
