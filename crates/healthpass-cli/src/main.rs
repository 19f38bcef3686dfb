//! The `healthpass` command line: argument handling and printing only; the work is the library's.
//!
//! This file parses and dispatches. Below it, one module per family of commands (`native`:
//! keygen, issue, decode, verify, scan, demo; `trust`; `scenarios`; `conformance`), and under
//! them all `common`: the shared arguments, failures and input helpers, which import nothing back.

mod common;
mod conformance;
mod dcc_csca;
mod dcc_revocation;
mod log;
mod native;
mod rules;
mod scenarios;
mod trust;
mod usage;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use common::{Failure, KeyArg, TrustArgs};

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
        #[command(flatten)]
        log: log::IssueLogArgs,
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
        #[command(flatten)]
        dcc: rules::DccArgs,
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
    /// EU DCC business rules (CertLogic): run published rule tests.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// The decision transparency log: init, checkpoint, serve.
    #[command(subcommand)]
    Log(log::LogCommand),
    /// List every decision about you in a decision log, each proven included.
    History {
        #[command(flatten)]
        source: log::LogSource,
        /// Your pseudonym secret file (written by `issue --log ... --holder-secret`).
        #[arg(long)]
        pseudonym_secret: PathBuf,
    },
    /// Follow a decision log: check it is consistent and report suspect decisions (exit 1).
    Audit {
        #[command(flatten)]
        source: log::LogSource,
        #[command(flatten)]
        args: log::AuditArgs,
    },
    /// Scenario commands: explain, card, wallet, school, venue, convert.
    #[command(flatten)]
    Scenario(scenarios::Command),
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
        Command::Keygen { out, public, force } => native::keygen(&out, public, force),
        Command::Issue { claims, key, valid_hours, png, svg, terminal, log } => {
            native::issue(&claims, &key, valid_hours, png.as_deref(), svg.as_deref(), terminal, &log)
        }
        Command::Decode { code } => native::decode(&code),
        Command::Verify { code: Some(code), dcc, trust, skew, .. } if code.starts_with("HC1:") => {
            rules::verify_dcc(&code, &dcc, trust.at, skew)
        }
        Command::Verify { code, image, checkpoint, trust, skew, json, .. } if checkpoint.is_set() => {
            trust::verify(&checkpoint, code, image.as_deref(), trust.at, skew, json)
        }
        Command::Verify { code, image, trust, skew, json, .. } => {
            native::verify(code, image.as_deref(), &trust, skew, json)
        }
        Command::Scan { images } => native::scan(&images),
        Command::Demo { png } => native::demo(&png),
        Command::TrustList(command) => trust::trust_list(command),
        Command::Revoke(args) => trust::revoke(&args),
        Command::Conformance { suite } => conformance::run(suite),
        Command::Rules(command) => rules::run(command),
        Command::Log(command) => log::run(command),
        Command::History { source, pseudonym_secret } => log::history(&source, &pseudonym_secret),
        Command::Audit { source, args } => log::audit(&source, &args),
        Command::Scenario(command) => scenarios::run(command),
    }
}
