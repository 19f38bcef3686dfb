//! The `healthpass` command line: argument handling and printing only; the work is the library's.

mod conformance;
mod scenarios;
mod trust;
mod usage;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, TimeDelta, Utc};
use clap::{Parser, Subcommand};
use healthpass::fs::{Mode, holds_secret_key, write_atomic};
use healthpass::keys::secret_file_is_exposed;
use healthpass::{
    Claims, CredentialId, Error, Issuer, KeySet, Limits, PublicKey, SigningKey, UnverifiedCode, Verifier,
};
use healthpass_qr as qr;
use healthpass_qr::Qr;
use healthpass_qr::VerifyImage;
use serde_json::json;

/// Issue, render, scan and verify offline health-status codes.
#[derive(Parser)]
#[command(name = "healthpass", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate an Ed25519 issuer key: the secret key (PKCS#8 PEM, mode 0600) and its public key.
    Keygen {
        /// Where to write the secret key.
        #[arg(long, default_value = "issuer.key")]
        out: PathBuf,
        /// Where to write the public key (default: the secret key's path with `.pub` added).
        #[arg(long)]
        public: Option<PathBuf>,
        /// Replace an existing public key file. A secret key file is never replaced, with or
        /// without --force: move it away first.
        #[arg(long)]
        force: bool,
    },
    /// Issue a code from claims JSON (a file, or `-` for standard input).
    Issue {
        /// The claims JSON. `credential_id`, `issued_at`, `not_before` and `expires_at` may be left
        /// out: a random id, now, now and now + `--valid-hours` are filled in.
        #[arg(default_value = "-")]
        claims: String,
        #[command(flatten)]
        key: KeyArg,
        /// Validity in hours when the claims give no `expires_at` (1 or more).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(i64).range(1..))]
        valid_hours: i64,
        /// Also write the QR code as PNG.
        #[arg(long)]
        png: Option<PathBuf>,
        /// Also write the QR code as SVG.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Also print the QR code to the terminal.
        #[arg(long)]
        terminal: bool,
    },
    /// Print a code's claims as JSON WITHOUT verifying it (marked UNVERIFIED).
    Decode {
        /// The code text, or `-` for standard input.
        code: String,
    },
    /// Verify a code's signature, key and validity; exit 0 if valid, 1 if refused.
    Verify {
        /// The code text, or `-` for standard input (omit with --image).
        #[arg(required_unless_present = "image")]
        code: Option<String>,
        /// Verify every code in this image instead.
        #[arg(long, conflicts_with = "code")]
        image: Option<PathBuf>,
        #[command(flatten)]
        trust: TrustArgs,
        /// Allowed clock skew in seconds.
        #[arg(long, default_value_t = 300)]
        skew: i64,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        checkpoint: trust::CheckpointArgs,
    },
    /// Print the text of every QR code found in each image, one per line.
    Scan {
        /// PNG or JPEG images.
        #[arg(required = true)]
        images: Vec<PathBuf>,
    },
    /// Issue a green code on the demo key, show it, write a PNG, scan it back and verify it.
    Demo {
        /// Where to write the PNG.
        #[arg(long, default_value = "healthpass-demo.png")]
        png: PathBuf,
    },
    /// Edit, sign and show trust lists (which keys may sign which codes).
    #[command(subcommand)]
    TrustList(trust::TrustListCommand),
    /// Sign a revocation list (revoked credentials and keys).
    Revoke(trust::RevokeArgs),
    /// Run a foreign format's published test vectors (EU DCC, NZ COVID Pass, SMART Health Cards).
    Conformance {
        /// The format and its vectors.
        #[command(subcommand)]
        suite: conformance::Suite,
    },
    /// Scenario commands: explain, card, wallet, school, venue, convert.
    #[command(flatten)]
    Scenario(scenarios::Command),
}

/// Optional trusted keys and a time.
#[derive(clap::Args)]
struct TrustArgs {
    /// PEM files of trusted public keys (repeatable).
    #[arg(long)]
    keys: Vec<PathBuf>,
    /// Trust the built-in demo key.
    #[arg(long)]
    demo_key: bool,
    /// As of this time (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<DateTime<Utc>>,
}

#[derive(clap::Args)]
struct KeyArg {
    /// The issuer's secret key file (PKCS#8 PEM).
    #[arg(long, required_unless_present = "demo_key")]
    key: Option<PathBuf>,
    /// Sign with the built-in demo key (never for real codes).
    #[arg(long)]
    demo_key: bool,
}

/// What ends a command: a refusal (exit 1) or a usage/I-O failure (exit 2).
enum Failure {
    Refused(String),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Usage(err.to_string())
    }
}

fn main() -> ExitCode {
    let outcome = run(Cli::parse().command);
    usage::report_if_asked();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(why)) => {
            eprintln!("{why}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(why)) => {
            eprintln!("error: {why}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Keygen { out, public, force } => keygen(&out, public, force),
        Command::Issue { claims, key, valid_hours, png, svg, terminal } => {
            let issuer = Issuer::new(load_signing_key(&key)?);
            let json = if claims == "-" {
                read_input("-")?
            } else {
                String::from_utf8_lossy(&read_file(Path::new(&claims))?).into_owned()
            };
            let claims = read_claims(&json, valid_hours)?;
            let text = issuer.issue(&claims)?;
            println!("{text}");
            render(&text, png.as_deref(), svg.as_deref(), terminal)
        }
        Command::Decode { code } => {
            let code = UnverifiedCode::parse(read_input(&code)?.trim(), &Limits::DEFAULT)?;
            let claims = code.claims_unverified(&Limits::DEFAULT)?;
            eprintln!("UNVERIFIED: the signature and validity of this code have NOT been checked");
            let out = json!({ "UNVERIFIED": true, "kid": code.kid().ok().map(|k| k.to_string()), "claims": claims });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            Ok(())
        }
        Command::Verify { code, image, checkpoint, trust, skew, json } if checkpoint.is_set() => {
            trust::verify(&checkpoint, code, image.as_deref(), trust.at, skew, json)
        }
        Command::Verify { code, image, trust, skew, json, .. } => {
            let skew = TimeDelta::try_seconds(skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
            let verifier = Verifier::new(load_keys(&trust.keys, trust.demo_key)?).with_skew(skew);
            let now = trust.at.unwrap_or_else(Utc::now);
            let results = match (&image, code) {
                (Some(path), _) => verifier.verify_image(&read_file(path)?, now)?,
                (None, Some(code)) => vec![verifier.verify(read_input(&code)?.trim(), now)],
                (None, None) => return Err(Failure::Usage("give a code or --image".into())),
            };
            report(&results, json)
        }
        Command::Scan { images } => scan(&images),
        Command::Demo { png } => demo(&png),
        Command::TrustList(command) => trust::trust_list(command),
        Command::Revoke(args) => trust::revoke(&args),
        Command::Conformance { suite } => conformance::run(suite),
        Command::Scenario(command) => scenarios::run(command),
    }
}

fn keygen(out: &Path, public: Option<PathBuf>, force: bool) -> Result<(), Failure> {
    let public = public.unwrap_or_else(|| {
        let mut name = out.as_os_str().to_owned();
        name.push(".pub");
        PathBuf::from(name)
    });
    if same_file(out, &public) {
        return Err(Failure::Usage(format!(
            "--public {} is the file of --out: the public key would replace the secret key; give another path",
            public.display()
        )));
    }
    for path in [out, public.as_path()] {
        if holds_secret_key(path)? {
            return Err(Error::SecretKeyExists { path: path.display().to_string() }.into());
        }
        if path.exists() && !force {
            return Err(Failure::Usage(format!("{} exists; use --force to replace it", path.display())));
        }
    }
    let key = SigningKey::generate()?;
    key.write_file(out)?;
    write_atomic(&public, key.public_key().to_pem()?.as_bytes(), Mode::Public)?;
    println!("secret key {} (mode 0600), public key {}, kid {}", out.display(), public.display(), key.kid());
    Ok(())
}

/// Whether two paths name the same file, existing or not: their folders resolved (symbolic
/// links and `..` included) and their names compared. Links to one file under two names are
/// caught when written: no write replaces a secret key (`healthpass::fs::write_atomic`).
fn same_file(a: &Path, b: &Path) -> bool {
    fn resolve(path: &Path) -> Option<PathBuf> {
        if let Ok(full) = path.canonicalize() {
            return Some(full);
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Some(dir.canonicalize().ok()?.join(path.file_name()?))
    }
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

fn load_signing_key(arg: &KeyArg) -> Result<SigningKey, Failure> {
    match &arg.key {
        Some(path) => {
            if secret_file_is_exposed(path)? {
                eprintln!("warning: {} can be read by other users; run chmod 600 on it", path.display());
            }
            Ok(SigningKey::read_file(path)?)
        }
        None => Ok(SigningKey::demo()),
    }
}

fn load_keys(paths: &[PathBuf], demo: bool) -> Result<KeySet, Failure> {
    let mut keys = KeySet::new();
    for path in paths {
        PublicKey::read_file(path)?.into_iter().for_each(|k| {
            keys.add(k);
        });
    }
    if demo {
        keys.add(SigningKey::demo().public_key());
    }
    if keys.is_empty() {
        return Err(Failure::Usage("no trusted keys: give --keys FILE or --demo-key".into()));
    }
    Ok(keys)
}

/// Reads claims JSON, filling in what a backend would: a random credential id and the times.
fn read_claims(json: &str, valid_hours: i64) -> Result<Claims, Failure> {
    let mut value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Failure::Usage(format!("claims JSON: {e}")))?;
    let object = value.as_object_mut().ok_or_else(|| Failure::Usage("claims JSON must be an object".into()))?;
    let now = Utc::now();
    let expires_at = TimeDelta::try_hours(valid_hours).and_then(|d| now.checked_add_signed(d)).ok_or_else(|| {
        let why = Error::TimeOutOfRange(format!(
            "--valid-hours {valid_hours}: now plus {valid_hours} hours is past the last representable time"
        ));
        Failure::from(why)
    })?;
    let defaults = [
        ("credential_id", json!(CredentialId::random()?.to_string())),
        ("issued_at", json!(now)),
        ("not_before", json!(now)),
        ("expires_at", json!(expires_at)),
    ];
    for (field, default) in defaults {
        object.entry(field).or_insert(default);
    }
    serde_json::from_value(value).map_err(|e| Failure::Usage(format!("claims JSON: {e}")))
}

fn render(text: &str, png: Option<&Path>, svg: Option<&Path>, terminal: bool) -> Result<(), Failure> {
    let qr = Qr::encode(text)?;
    if let Some(path) = png {
        write_atomic(path, &qr.to_png(6)?, Mode::Public)?;
    }
    if let Some(path) = svg {
        write_atomic(path, qr.to_svg().as_bytes(), Mode::Public)?;
    }
    if terminal {
        println!("{}", qr.to_terminal());
    }
    Ok(())
}

fn report(results: &[healthpass::Result<healthpass::Verified<Claims>>], json: bool) -> Result<(), Failure> {
    let refused = results.iter().filter(|r| r.is_err()).count();
    if json {
        let out: Vec<_> = results
            .iter()
            .map(|r| match r {
                Ok(v) => json!({ "valid": true, "kid": v.kid().to_string(), "claims": &**v }),
                Err(e) => json!({ "valid": false, "error": e.code(), "message": e.to_string() }),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for result in results {
            match result {
                Ok(v) => println!("{}", describe(v)),
                Err(e) => println!("REFUSED: {e}"),
            }
        }
    }
    if refused > 0 { Err(Failure::Refused(format!("{refused} of {} code(s) refused", results.len()))) } else { Ok(()) }
}

fn describe(claims: &Claims) -> String {
    let reasons: Vec<_> = claims.reasons.iter().map(|r| r.describe()).collect();
    format!(
        "VALID {} code from {}, valid until {}: {}",
        claims.colour.describe().to_uppercase(),
        claims.issuer,
        claims.expires_at.format("%Y-%m-%d %H:%M UTC"),
        reasons.join("; ")
    )
}

fn scan(images: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = false;
    for path in images {
        match qr::scan(&read_file(path)?, &Limits::DEFAULT) {
            Ok(codes) => {
                for code in codes {
                    match code {
                        Ok(text) => println!("{text}"),
                        Err(e) => {
                            failed = true;
                            eprintln!("{}: {e}", path.display());
                        }
                    }
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{}: {e}", path.display());
            }
        }
    }
    if failed { Err(Failure::Refused("some images held no readable code".into())) } else { Ok(()) }
}

fn demo(png: &Path) -> Result<(), Failure> {
    let now = Utc::now();
    let key = SigningKey::demo();
    let claims = Claims::example(now);
    let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
    println!("Issued a {} code ({} characters) on the demo key, kid {}:", claims.colour, text.len(), key.kid());
    println!("{text}");
    render(&text, Some(png), None, true)?;
    println!("Wrote {}; scanning it back...", png.display());
    let verifier = Verifier::new([key.public_key()].into_iter().collect());
    let results = verifier.verify_image(&read_file(png)?, now)?;
    report(&results, false)
}

fn read_input(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut input = String::new();
    std::io::stdin()
        .take(1 << 20)
        .read_to_string(&mut input)
        .map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    Ok(input)
}

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    Ok(healthpass::fs::read_bounded(path, Limits::DEFAULT.max_image_bytes, "input file")?)
}
