//! The decision log in use: `issue --log`, `log init|checkpoint|serve`, `history` and `audit`.
//! Thin layers over `healthpass-log` (crates/healthpass-log/INTEGRATION.md).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use healthpass::PublicKey;
use healthpass::fs::{Mode, write_atomic};
use healthpass_i18n::{Arg, text};
use healthpass_log::Log;
use healthpass_log::checkpoint::CheckpointVerifier;
use healthpass_log::commitment::{HolderSecret, Salt};
use healthpass_log::cosignature::WitnessPolicy;
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::hash::leaf_hash;
use healthpass_log::issuer::{AddRequest, LoggedIssuer, MAX_ADD_BODY, StoreSink};
use healthpass_log::note::{NoteSigner, VerifierKey};
use healthpass_log::store::Store;
use healthpass_log::tiles::{TileFetcher, TileId, TileKind, encode_bundle, tile_data, tiles_for_size};
use healthpass_log::tree::MerkleTree;
use serde_json::json;

use crate::common::{Failure, KeyArg, load_signing_key, read_file, read_public_keys};
use crate::log_store::{LogStore, shown};

/// The log options of `issue`.
#[derive(clap::Args)]
pub(crate) struct IssueLogArgs {
    /// Append the decision entry to this log (a SQLite file, or a `postgres://...#name` URL)
    /// before printing the code; no code is printed if the append fails.
    #[arg(long)]
    pub(crate) log: Option<String>,
    /// The automated rule id logged for codes without an officer decision.
    #[arg(long, default_value = "automated", requires = "log")]
    pub(crate) rule: String,
    /// The holder's pseudonym secret file (JSON, mode 0600): created or extended with the
    /// code's subject pseudonym and the entry's salt, for `healthpass history`.
    #[arg(long, requires = "log")]
    pub(crate) holder_secret: Option<PathBuf>,
}

/// `healthpass log ...`
#[derive(clap::Subcommand)]
pub(crate) enum LogCommand {
    /// Create a log: its signing key (mode 0600, with the public verifier key beside it as
    /// KEY.vkey) and its store.
    Init {
        /// The log's origin line (a schema-less URL such as `log.example/health`).
        #[arg(long)]
        origin: String,
        /// Where to write the log's secret key.
        #[arg(long)]
        key_out: PathBuf,
        /// The log database: a SQLite file, created if absent, or a PostgreSQL URL
        /// `postgres://user:password@host:port/database#name` (tables created if absent).
        #[arg(long)]
        log: String,
    },
    /// Sign a checkpoint over every entry in the store and print it.
    Checkpoint {
        /// The log database (a SQLite file or a `postgres://...#name` URL).
        #[arg(long)]
        log: String,
        /// The log's secret key.
        #[arg(long)]
        key: PathBuf,
    },
    /// Serve the log over HTTP: GET /checkpoint, GET /tile/..., POST /add for issuers.
    Serve {
        /// The log database (a SQLite file or a `postgres://...#name` URL).
        #[arg(long)]
        log: String,
        /// The log's secret key.
        #[arg(long)]
        key: PathBuf,
        /// The address to listen on (port 0: any free port; the address is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Public key files (PEM) of the issuers allowed to POST /add (repeatable).
        #[arg(long)]
        issuers: Vec<PathBuf>,
        /// A witness's cosignature verifier key (text or file) whose cosignatures POST /cosign
        /// accepts and GET /checkpoint then serves (repeatable).
        #[arg(long = "witness")]
        witnesses: Vec<String>,
    },
    /// Follow a log and write the credential id hashes it holds (for `verify --logged`).
    Hashes {
        #[command(flatten)]
        source: LogSource,
        /// Where to write them.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Where a log is read from: a database file or a server's URL.
#[derive(clap::Args)]
pub(crate) struct LogSource {
    /// The log: a database file, a PostgreSQL URL (`postgres://...#name`), or the URL of
    /// `healthpass log serve` (http://...).
    #[arg(long)]
    log: String,
    /// The log's public verifier key: the text `name+id+key`, or a file holding it.
    #[arg(long)]
    log_key: String,
    /// A witness's cosignature verifier key (text or file), repeatable: the checkpoint must be
    /// cosigned by `--quorum` of them.
    #[arg(long = "witness")]
    witnesses: Vec<String>,
    /// How many of the `--witness` keys must have cosigned (default: all of them).
    #[arg(long, requires = "witnesses")]
    quorum: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(command: LogCommand) -> Result<(), Failure> {
    match command {
        LogCommand::Init { origin, key_out, log } => init(&origin, &key_out, &log),
        LogCommand::Checkpoint { log, key } => {
            let mut log = open_log(&log, &key)?;
            log.resync().map_err(failed("reading the store"))?;
            let checkpoint = log.checkpoint().map_err(failed("signing the checkpoint"))?;
            print!("{}", checkpoint.to_note_text());
            Ok(())
        }
        LogCommand::Serve { log, key, listen, issuers, witnesses } => {
            let witnesses = witnesses.iter().map(|w| verifier_key(w)).collect::<Result<Vec<_>, _>>()?;
            serve(&log, &key, &listen, &issuers, witnesses)
        }
        LogCommand::Hashes { source, out } => hashes(&source, &out),
    }
}

fn failed(step: &'static str) -> impl Fn(healthpass_log::Error) -> Failure {
    move |e| Failure::Usage(format!("{step}: {e}"))
}

fn init(origin: &str, key_out: &Path, db: &str) -> Result<(), Failure> {
    let vkey_path = with_suffix(key_out, ".vkey");
    for path in [key_out, vkey_path.as_path()] {
        if path.exists() {
            return Err(Failure::Usage(format!("{} exists; move it away first", path.display())));
        }
    }
    let signer = NoteSigner::generate(origin).map_err(failed("making the log key"))?;
    write_atomic(key_out, signer.to_secret_string().as_bytes(), Mode::Secret)?;
    let vkey = signer.verifier().to_string();
    write_atomic(&vkey_path, format!("{vkey}\n").as_bytes(), Mode::Public)?;
    let store = LogStore::open(db, true)?;
    let mut log = Log::open(store, signer).map_err(failed("opening the log"))?;
    let checkpoint = log.checkpoint().map_err(failed("signing the first checkpoint"))?;
    println!(
        "log {origin}: key {} (mode 0600), verifier key {} ({vkey}), store {} holding {} entries",
        key_out.display(),
        vkey_path.display(),
        shown(db),
        checkpoint.size()
    );
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn load_log_key(path: &Path) -> Result<NoteSigner, Failure> {
    if healthpass::keys::secret_file_is_exposed(path)? {
        eprintln!("warning: {} can be read by other users; run chmod 600 on it", path.display());
    }
    let bytes = read_file(path)?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{}: not text", path.display())))?;
    NoteSigner::parse_secret(text.trim()).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn open_log(db: &str, key: &Path) -> Result<Log<LogStore>, Failure> {
    let signer = load_log_key(key)?;
    let store = LogStore::open(db, false)?;
    Log::open(store, signer).map_err(failed("opening the log"))
}

/// `issue --log DB`: sign, append durably, then print.
pub(crate) fn issue(claims: &healthpass::Claims, key: &KeyArg, args: &IssueLogArgs) -> Result<String, Failure> {
    let db = args.log.as_deref().ok_or_else(|| Failure::Usage("--log is required".into()))?;
    let store = LogStore::open(db, false)?;
    let mut issuer = LoggedIssuer::new(load_signing_key(key)?, StoreSink(store)).with_rule(&args.rule);
    let code = issuer.issue(claims).map_err(|e| Failure::Usage(e.to_string()))?;
    if let Some(path) = &args.holder_secret {
        add_to_holder_secret(path, &claims.subject.id.0, &code.salt)?;
    }
    eprintln!("logged as entry {} of {}", code.index, shown(db));
    Ok(code.text)
}

/// The holder's secret file: the pseudonym and every salt of entries about them.
#[derive(serde::Serialize, serde::Deserialize)]
struct HolderFile {
    pseudonym: String,
    salts: Vec<String>,
}

fn add_to_holder_secret(path: &Path, pseudonym: &[u8], salt: &Salt) -> Result<(), Failure> {
    let pseudonym = HEX.encode(pseudonym);
    let mut file = if path.exists() {
        let file = read_holder_file(path)?;
        if file.pseudonym != pseudonym {
            return Err(Failure::Usage(format!("{}: holds another holder's pseudonym", path.display())));
        }
        file
    } else {
        HolderFile { pseudonym, salts: Vec::new() }
    };
    file.salts.push(HEX.encode(salt.as_bytes()));
    let text = serde_json::to_string_pretty(&file).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(write_atomic(path, format!("{text}\n").as_bytes(), Mode::Secret)?)
}

fn read_holder_file(path: &Path) -> Result<HolderFile, Failure> {
    serde_json::from_slice(&read_file(path)?).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn holder_secret(path: &Path) -> Result<HolderSecret, Failure> {
    let file = read_holder_file(path)?;
    let bad = |what: &str| Failure::Usage(format!("{}: {what} is not hex", path.display()));
    let pseudonym = HEX.decode(file.pseudonym.as_bytes()).map_err(|_| bad("pseudonym"))?;
    let salts = file
        .salts
        .iter()
        .map(|s| {
            let bytes = hex32(s).ok_or_else(|| bad("a salt"))?;
            Ok(Salt::from_bytes(bytes))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    Ok(HolderSecret::new(&pseudonym, salts))
}

// ---------------------------------------------------------------- serving

struct Served {
    log: Mutex<Log<LogStore>>,
    issuers: Vec<PublicKey>,
    cosignatures: crate::log_witness::Cosignatures,
}

/// An HTTP answer: status, content type, body.
type Reply = (u16, &'static str, Vec<u8>);

fn text_reply(status: u16, text: String) -> Reply {
    (status, "text/plain; charset=utf-8", text.into_bytes())
}

/// At most this many connections are served at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 64;
/// The request line and headers together, at most.
const MAX_HEAD: usize = 16 * 1024;

fn serve(
    db: &str,
    key: &Path,
    listen: &str,
    issuer_files: &[PathBuf],
    witnesses: Vec<VerifierKey>,
) -> Result<(), Failure> {
    let mut log = open_log(db, key)?;
    log.resync().map_err(failed("reading the store"))?;
    log.checkpoint().map_err(failed("signing a checkpoint"))?;
    let issuers = read_public_keys(issuer_files)?;
    let cosignatures = crate::log_witness::Cosignatures::new(witnesses);
    let state = Arc::new(Served { log: Mutex::new(log), issuers, cosignatures });
    let listener =
        std::net::TcpListener::bind(listen).map_err(|e| Failure::Usage(format!("listening on {listen}: {e}")))?;
    let address = listener.local_addr().map_err(|e| Failure::Usage(format!("listening on {listen}: {e}")))?;
    println!("serving {} on http://{address}", shown(db));
    let _ = std::io::stdout().flush();
    let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        while active.load(std::sync::atomic::Ordering::SeqCst) >= MAX_CONNECTIONS {
            std::thread::sleep(Duration::from_millis(5));
        }
        active.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (state, active) = (Arc::clone(&state), Arc::clone(&active));
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
            active.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        });
    }
    Ok(())
}

/// One request on one connection (HTTP/1.0 and 1.1, closed after the answer).
fn handle(mut stream: TcpStream, state: &Served) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let reply = match read_request(&mut stream) {
        Ok((method, path, body)) => route(state, &method, &path, &body),
        Err(reply) => reply,
    };
    let (status, kind, body) = reply;
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()?;
    // Read (and drop) what the client still sends, briefly and bounded, so that closing with
    // unread data does not reset the connection before the client has read the answer.
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let limit = 2 * MAX_ADD_BODY as u64;
    std::io::copy(&mut Read::by_ref(&mut stream).take(limit), &mut std::io::sink()).map(|_| ())
}

/// The method, path and body of a request, every part bounded; or the answer refusing it.
fn read_request(stream: &mut TcpStream) -> Result<(String, String, Vec<u8>), Reply> {
    let io = |e: std::io::Error| text_reply(400, format!("reading the request: {e}\n"));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(text_reply(431, "request head too large\n".into()));
        }
        if stream.read(&mut byte).map_err(io)? == 0 {
            return Err(text_reply(400, "request cut short\n".into()));
        }
        head.extend_from_slice(&byte);
    }
    let head = String::from_utf8(head).map_err(|_| text_reply(400, "request head is not UTF-8\n".into()))?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, path) = match (first.next(), first.next()) {
        (Some(m), Some(p)) => (m.to_owned(), p.to_owned()),
        _ => return Err(text_reply(400, "malformed request line\n".into())),
    };
    let mut length = 0usize;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(|_| text_reply(400, "bad Content-Length\n".into()))?;
            } else if name.trim().eq_ignore_ascii_case("transfer-encoding") {
                return Err(text_reply(400, "send a Content-Length, not a transfer encoding\n".into()));
            }
        }
    }
    if length > MAX_ADD_BODY {
        return Err(text_reply(413, format!("body larger than {MAX_ADD_BODY} bytes\n")));
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).map_err(io)?;
    Ok((method, path, body))
}

fn route(state: &Served, method: &str, path: &str, body: &[u8]) -> Reply {
    match (method, path) {
        ("GET", "/checkpoint") => get_checkpoint(state),
        ("GET", tile) if tile.starts_with("/tile/") => get_tile(state, tile.trim_start_matches('/')),
        ("POST", "/add") => post_add(state, body),
        ("POST", "/cosign") => post_cosign(state, body),
        (_, "/checkpoint" | "/add" | "/cosign") => text_reply(405, "method not allowed\n".into()),
        _ => text_reply(404, "not found\n".into()),
    }
}

fn locked(state: &Served) -> Result<std::sync::MutexGuard<'_, Log<LogStore>>, Reply> {
    state.log.lock().map_err(|_| text_reply(500, "log unavailable\n".into()))
}

fn get_checkpoint(state: &Served) -> Reply {
    let log = match locked(state) {
        Ok(log) => log,
        Err(reply) => return reply,
    };
    match log.latest_checkpoint() {
        Some(c) => text_reply(200, state.cosignatures.served(c)),
        None => text_reply(404, "no checkpoint\n".into()),
    }
}

fn post_cosign(state: &Served, body: &[u8]) -> Reply {
    let log = match locked(state) {
        Ok(log) => log,
        Err(reply) => return reply,
    };
    match log.latest_checkpoint() {
        Some(current) => {
            let (status, text) = state.cosignatures.add(current, body, now_secs());
            text_reply(status, text)
        }
        None => text_reply(404, "no checkpoint\n".into()),
    }
}

fn get_tile(state: &Served, path: &str) -> Reply {
    let id = match TileId::parse(path) {
        Ok(id) => id,
        Err(e) => return text_reply(400, format!("{e}\n")),
    };
    let mut log = match locked(state) {
        Ok(log) => log,
        Err(reply) => return reply,
    };
    let size = log.latest_checkpoint().map_or(0, healthpass_log::checkpoint::Checkpoint::size);
    if !tiles_for_size(size).contains(&id) && !full_tile_below(&id, size) {
        return text_reply(404, "no such tile in the latest checkpoint\n".into());
    }
    match log.tile(&id) {
        Ok(bytes) => (200, "application/octet-stream", bytes),
        Err(e) => text_reply(404, format!("{e}\n")),
    }
}

/// Whether `id` is a full tile wholly inside a tree of `size` (full tiles stay valid as the log
/// grows; `tiles_for_size` lists the ones a client of that size needs).
fn full_tile_below(id: &TileId, size: u64) -> bool {
    if id.width != 256 {
        return false;
    }
    let level = match id.kind {
        TileKind::Entries => 0,
        TileKind::Hashes(level) => u32::from(level),
    };
    let span = 256u64.checked_pow(level.saturating_add(1));
    span.and_then(|s| id.index.checked_add(1).and_then(|i| i.checked_mul(s))).is_some_and(|end| end <= size)
}

fn post_add(state: &Served, body: &[u8]) -> Reply {
    let request = match AddRequest::parse(body) {
        Ok(r) => r,
        Err(e) => return text_reply(400, format!("{e}\n")),
    };
    let entries = match request.verify(&state.issuers) {
        Ok(entries) => entries,
        Err(e @ healthpass_log::Error::BadSignature(_)) => return text_reply(401, format!("{e}\n")),
        Err(e) => return text_reply(400, format!("{e}\n")),
    };
    let mut log = match locked(state) {
        Ok(log) => log,
        Err(reply) => return reply,
    };
    let appended = log.resync().and_then(|_| log.append(&entries));
    let done = appended.and_then(|at| Ok((at, log.checkpoint()?)));
    match done {
        Ok((at, checkpoint)) => {
            text_reply(200, format!("index {}\nsize {}\n\n{}", at.first_index, at.size, checkpoint.to_note_text()))
        }
        Err(e) => text_reply(503, format!("not appended: {e}\n")),
    }
}

// ---------------------------------------------------------------- reading a log

/// A log read from a database file (the tree rebuilt from its entries) or over HTTP.
enum Source {
    Db { store: Mutex<LogStore>, tree: MerkleTree, checkpoint: String },
    Http { base: String },
}

impl Source {
    fn open(log: &str) -> Result<Self, Failure> {
        if let Some(rest) = log.strip_prefix("http://") {
            return Ok(Source::Http { base: format!("http://{}", rest.trim_end_matches('/')) });
        }
        let mut store = LogStore::open(log, false)?;
        let checkpoint = store
            .latest_checkpoint()
            .map_err(failed("reading the store"))?
            .ok_or_else(|| Failure::Usage(format!("{}: no checkpoint signed yet", shown(log))))?;
        let size = store.size().map_err(failed("reading the store"))?;
        let mut tree = MerkleTree::new();
        let mut start = 0;
        while start < size {
            let end = size.min(start + 65_536);
            for data in store.read_range(start, end).map_err(failed("reading the store"))? {
                tree.push(leaf_hash(&data));
            }
            start = end;
        }
        Ok(Source::Db { store: Mutex::new(store), tree, checkpoint })
    }

    fn checkpoint(&self) -> Result<String, Failure> {
        match self {
            Source::Db { checkpoint, .. } => Ok(checkpoint.clone()),
            Source::Http { base } => {
                let bytes = http_get(&format!("{base}/checkpoint"), healthpass_log::limits::MAX_NOTE_BYTES)
                    .map_err(failed("fetching the checkpoint"))?;
                String::from_utf8(bytes).map_err(|_| Failure::Usage("the checkpoint is not text".into()))
            }
        }
    }
}

impl TileFetcher for &Source {
    fn fetch(&self, tile: &TileId) -> healthpass_log::Result<Vec<u8>> {
        match self {
            Source::Db { store, tree, .. } => match tile.kind {
                TileKind::Hashes(_) => tile_data(tree, tile),
                TileKind::Entries => {
                    let start = tile.index.saturating_mul(256);
                    let end = start.saturating_add(u64::from(tile.width));
                    let mut store =
                        store.lock().map_err(|_| healthpass_log::Error::Store("store unavailable".into()))?;
                    encode_bundle(&store.read_range(start, end)?)
                }
            },
            Source::Http { base } => http_get(&format!("{base}/{}", tile.path()), 256 * (2 + 2048)),
        }
    }
}

/// A bounded HTTP/1.0 GET (or POST with `body`) over a plain TCP connection.
pub(crate) fn http_request(url: &str, body: Option<&[u8]>, limit: usize) -> Result<(u16, Vec<u8>), String> {
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs")?;
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let method = if body.is_some() { "POST" } else { "GET" };
    let body = body.unwrap_or(&[]);
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).map_err(|e| format!("{host}: {e}"))?;
    let mut response = Vec::new();
    stream.take((limit + 16 * 1024) as u64).read_to_end(&mut response).map_err(|e| format!("{host}: {e}"))?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or("malformed HTTP response")?;
    let head = String::from_utf8_lossy(response.get(..split).unwrap_or_default()).into_owned();
    let status =
        head.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok()).ok_or("malformed HTTP status line")?;
    let content = response.get(split + 4..).unwrap_or_default().to_vec();
    if content.len() > limit {
        return Err(format!("response larger than {limit} bytes"));
    }
    Ok((status, content))
}

fn http_get(url: &str, limit: usize) -> healthpass_log::Result<Vec<u8>> {
    match http_request(url, None, limit) {
        Ok((200, body)) => Ok(body),
        Ok((status, body)) => Err(healthpass_log::Error::Store(format!(
            "GET {url}: HTTP {status}: {}",
            String::from_utf8_lossy(&body).trim()
        ))),
        Err(e) => Err(healthpass_log::Error::Store(format!("GET {url}: {e}"))),
    }
}

fn verifier_key(arg: &str) -> Result<VerifierKey, Failure> {
    let text = if Path::new(arg).is_file() {
        String::from_utf8(read_file(Path::new(arg))?).map_err(|_| Failure::Usage(format!("{arg}: not text")))?
    } else {
        arg.to_owned()
    };
    VerifierKey::parse(text.trim()).map_err(|e| Failure::Usage(format!("verifier key {arg:.80}: {e}")))
}

/// Every entry of the log, each proven included in its verified checkpoint, with the monitor.
fn follow(
    source: &LogSource,
    trusted: Option<String>,
    now: u64,
) -> Result<(healthpass_log::monitor::Monitor, u64, Vec<Vec<u8>>), Failure> {
    let key = verifier_key(&source.log_key)?;
    let witnesses = source.witnesses.iter().map(|w| verifier_key(w)).collect::<Result<Vec<_>, _>>()?;
    let policy = if witnesses.is_empty() {
        WitnessPolicy::none()
    } else {
        let k = source.quorum.unwrap_or(witnesses.len());
        WitnessPolicy::new(witnesses, k, 300).map_err(|e| Failure::Usage(format!("--witness/--quorum: {e}")))?
    };
    let verifier = CheckpointVerifier::new(key.name(), key.clone(), policy);
    let trusted = match trusted {
        Some(note) => {
            Some(verifier.verify(&note, now).map_err(|e| Failure::Refused(format!("saved checkpoint: {e}")))?)
        }
        None => None,
    };
    let mut monitor = healthpass_log::monitor::Monitor::new(verifier, trusted);
    let log = Source::open(&source.log)?;
    let note = log.checkpoint()?;
    let from = monitor.update(&note, now, &log).map_err(|e| Failure::Refused(format!("log refused: {e}")))?;
    let size = monitor.latest().map_or(0, healthpass_log::checkpoint::Checkpoint::size);
    let entries = monitor.entries(&log, 0, size).map_err(|e| Failure::Refused(format!("log refused: {e}")))?;
    Ok((monitor, from, entries))
}

fn now_secs() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

fn actor_text(actor: &Actor) -> String {
    match actor {
        Actor::Officer(id) => format!("officer {id}"),
        Actor::Rule(id) => format!("rule {id}"),
    }
}

fn time_text(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(|| secs.to_string(), |t| t.to_rfc3339())
}

fn entry_json(index: u64, entry: &DecisionEntry) -> serde_json::Value {
    json!({
        "index": index,
        "time": time_text(entry.time),
        "colour": entry.colour.name(),
        "reasons": entry.reasons,
        "issuer": entry.issuer,
        "actor": actor_text(&entry.actor),
        "key_fingerprint": HEX.encode(&entry.key_fingerprint),
        "credential_id_hash": HEX.encode(&entry.credential_id_hash),
    })
}

/// `healthpass history`: every decision about the holder in the log, proven included.
pub(crate) fn history(source: &LogSource, secret: &Path) -> Result<(), Failure> {
    let holder = holder_secret(secret)?;
    let (monitor, _, entries) = follow(source, None, now_secs())?;
    let size = monitor.latest().map_or(0, healthpass_log::checkpoint::Checkpoint::size);
    let mut mine = Vec::new();
    for (index, bytes) in (0u64..).zip(&entries) {
        let entry = DecisionEntry::decode(bytes).map_err(|e| Failure::Refused(format!("entry {index}: {e}")))?;
        if holder.is_about_me(&entry) {
            mine.push((index, entry));
        }
    }
    mine.sort_by_key(|(index, entry)| (entry.time, *index));
    if source.json {
        let items: Vec<_> = mine.iter().map(|(i, e)| entry_json(*i, e)).collect();
        let out = json!({ "checkpoint_size": size, "decisions": items });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        // In the holder's language, times in the reader's zone; reasons stay their stable codes.
        let lang = crate::locale::lang();
        let size = Arg::from(usize::try_from(size).unwrap_or(usize::MAX));
        println!("{}", text(lang, "history-header", &[("count", Arg::from(mine.len())), ("size", size)]));
        for (index, e) in &mine {
            let reasons =
                if e.reasons.is_empty() { text(lang, "history-no-reason", &[]) } else { e.reasons.join(", ") };
            let actor = match &e.actor {
                Actor::Officer(id) => text(lang, "history-officer", &[("id", Arg::from(id.as_str()))]),
                Actor::Rule(id) => text(lang, "history-rule", &[("id", Arg::from(id.as_str()))]),
            };
            let time = i64::try_from(e.time)
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map_or_else(|| e.time.to_string(), crate::locale::time);
            let args = [
                ("time", Arg::from(time)),
                ("colour", Arg::from(text(lang, &format!("colour-{}", e.colour.name()), &[]))),
                ("reasons", Arg::from(reasons)),
                ("issuer", Arg::from(e.issuer.as_str())),
                ("actor", Arg::from(actor)),
                ("index", Arg::from(index.to_string())),
            ];
            println!("{}", text(lang, "history-line", &args));
        }
    }
    Ok(())
}

/// The audit options.
#[derive(clap::Args)]
pub(crate) struct AuditArgs {
    /// The last checkpoint this auditor trusted (read, then replaced by the new one): the new
    /// checkpoint must be consistent with it.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Issuer public keys (PEM) with the colours each may sign: `FILE=green,yellow`
    /// (repeatable). Entries by a listed key outside its colours are reported.
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// A file of credential id hashes (hex, one a line) that scanners saw: those with no entry
    /// are reported.
    #[arg(long)]
    seen: Option<PathBuf>,
    /// A signed trust list: the region of each signing key's authority, for `--officers`.
    #[arg(long, requires_all = ["anchor", "officers"])]
    trust: Option<PathBuf>,
    /// The trust anchor's public key (PEM) that signed `--trust` (repeatable).
    #[arg(long, requires = "trust")]
    anchor: Vec<PathBuf>,
    /// The officers' register, `OFFICER-ID REGION` a line: officers deciding under a key of
    /// an authority of another region are reported (needs `--trust`).
    #[arg(long, requires = "trust")]
    officers: Option<PathBuf>,
}

/// `healthpass audit`: follow the log, check consistency, report findings. Exit 1 on findings.
pub(crate) fn audit(source: &LogSource, args: &AuditArgs) -> Result<(), Failure> {
    let trusted = match args.state.as_deref().filter(|p| p.exists()) {
        Some(path) => Some(
            String::from_utf8(read_file(path)?).map_err(|_| Failure::Usage(format!("{}: not text", path.display())))?,
        ),
        None => None,
    };
    let scopes = args.scopes.iter().map(|s| parse_scope(s)).collect::<Result<Vec<_>, _>>()?;
    let authorities = match (&args.trust, &args.officers) {
        (Some(trust), Some(officers)) => Some(crate::log_regions::Authorities::load(trust, &args.anchor, officers)?),
        _ => None,
    };
    let (monitor, from, entries) = follow(source, trusted, now_secs())?;
    let checkpoint = monitor.latest().ok_or_else(|| Failure::Usage("no checkpoint".into()))?;
    let mut findings = Vec::new();
    let mut logged = std::collections::HashSet::new();
    for (index, bytes) in (0u64..).zip(&entries) {
        let entry = DecisionEntry::decode(bytes).map_err(|e| Failure::Refused(format!("entry {index}: {e}")))?;
        logged.insert(entry.credential_id_hash);
        if entry.colour == Colour::Red && entry.reasons.is_empty() {
            findings.push(json!({ "finding": "red_without_reason", "entry": entry_json(index, &entry) }));
        }
        if let Some((_, colours)) = scopes.iter().find(|(fp, _)| *fp == entry.key_fingerprint) {
            if !colours.contains(&entry.colour) {
                findings.push(json!({ "finding": "colour_outside_scope", "entry": entry_json(index, &entry) }));
            }
        }
        if let Some((finding, detail)) = authorities.as_ref().and_then(|a| a.check(&entry)) {
            findings.push(json!({ "finding": finding, "entry": entry_json(index, &entry), "detail": detail }));
        }
    }
    if let Some(path) = &args.seen {
        let text = String::from_utf8_lossy(&read_file(path)?).into_owned();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let hash = hex32(line)
                .ok_or_else(|| Failure::Usage(format!("{}: {line:.20}: not a 64-digit hex hash", path.display())))?;
            if !logged.contains(&hash) {
                findings.push(json!({ "finding": "seen_not_logged", "credential_id_hash": line }));
            }
        }
    }
    if let Some(path) = &args.state {
        write_atomic(path, checkpoint.to_note_text().as_bytes(), Mode::Public)?;
    }
    if source.json {
        let out = json!({
            "checkpoint_size": checkpoint.size(),
            "consistent_from": from,
            "entries": entries.len(),
            "findings": findings,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!(
            "log {}: {} entries, consistent with the last trusted checkpoint (size {from}), {} findings",
            checkpoint.origin(),
            checkpoint.size(),
            findings.len()
        );
        for f in &findings {
            let what = f.get("finding").and_then(serde_json::Value::as_str).unwrap_or_default();
            match f.get("entry") {
                Some(e) => println!(
                    "{what}: entry {} {} {} by {} ({}){}",
                    e.get("index").unwrap_or(&json!(null)),
                    e.get("colour").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    e.get("time").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    e.get("issuer").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    e.get("actor").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    f.get("detail").and_then(serde_json::Value::as_str).map(|d| format!(": {d}")).unwrap_or_default(),
                ),
                None => println!(
                    "{what}: {}",
                    f.get("credential_id_hash").and_then(serde_json::Value::as_str).unwrap_or_default()
                ),
            }
        }
    }
    if findings.is_empty() { Ok(()) } else { Err(Failure::Refused(format!("{} audit findings", findings.len()))) }
}

fn parse_scope(arg: &str) -> Result<([u8; 32], Vec<Colour>), Failure> {
    let (file, colours) =
        arg.split_once('=').ok_or_else(|| Failure::Usage(format!("--scope {arg}: expected FILE=colour,...")))?;
    let keys = PublicKey::read_file(Path::new(file))?;
    let key = keys.first().ok_or_else(|| Failure::Usage(format!("{file}: no public key")))?;
    let colours = colours
        .split(',')
        .map(|c| match c.trim() {
            "green" => Ok(Colour::Green),
            "yellow" => Ok(Colour::Yellow),
            "orange" => Ok(Colour::Orange),
            "red" => Ok(Colour::Red),
            other => Err(Failure::Usage(format!("--scope: unknown colour {other}"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((healthpass::trust::KeyFingerprint::of_ed25519(key).0, colours))
}

/// A file of logged credential id hashes (hex, one a line; `# size N` names the log size,
/// else the count is taken), for `verify --logged`.
pub(crate) fn read_hashes(path: &Path) -> Result<(Vec<[u8; 32]>, u64), Failure> {
    let text = String::from_utf8_lossy(&read_file(path)?).into_owned();
    let mut size = None;
    let mut hashes = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(n) = comment.trim().strip_prefix("size ") {
                size = n.trim().parse::<u64>().ok();
            }
            continue;
        }
        let hash = hex32(line)
            .ok_or_else(|| Failure::Usage(format!("{}: {line:.20}: not a 64-digit hex hash", path.display())))?;
        hashes.push(hash);
    }
    let size = size.unwrap_or(hashes.len() as u64);
    Ok((hashes, size))
}

/// `healthpass log hashes`: follow a log (every entry proven included) and write the
/// credential id hashes it holds, for checkpoints that `require_logged`.
pub(crate) fn hashes(source: &LogSource, out: &Path) -> Result<(), Failure> {
    let (monitor, _, entries) = follow(source, None, now_secs())?;
    let size = monitor.latest().map_or(0, healthpass_log::checkpoint::Checkpoint::size);
    let mut text = format!("# size {size}\n");
    for (index, bytes) in (0u64..).zip(&entries) {
        let entry = DecisionEntry::decode(bytes).map_err(|e| Failure::Refused(format!("entry {index}: {e}")))?;
        text.push_str(&HEX.encode(&entry.credential_id_hash));
        text.push('\n');
    }
    write_atomic(out, text.as_bytes(), Mode::Public)?;
    println!("{} credential id hashes at log size {size} written to {}", entries.len(), out.display());
    Ok(())
}

/// Hex as the log's files and reports write it: lower case, read in either case.
const HEX: data_encoding::Encoding = data_encoding::HEXLOWER_PERMISSIVE;

/// 64 hex digits as 32 bytes; `None` for anything else.
fn hex32(text: &str) -> Option<[u8; 32]> {
    HEX.decode(text.as_bytes()).ok()?.try_into().ok()
}
