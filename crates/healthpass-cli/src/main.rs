//! The `healthpass` command line: argument handling and printing only; the work is the library's.
//!
//! This file parses and dispatches. Below it, one module per family of commands (`native`:
//! keygen, issue, decode, verify, scan, demo; `trust`; `scenarios`; `conformance`), and under
//! them all `common`: the shared arguments, failures and input helpers, which import nothing back.

mod common;
mod conformance;
mod dcc_csca;
mod dcc_revocation;
mod inputs;
mod locale;
mod log;
mod log_regions;
mod log_store;
mod log_witness;
mod native;
mod policy_rules;
mod report;
mod revoke;
mod rules;
mod scenarios;
mod shc_chunks;
mod trust;
mod trust_keys;
mod usage;
mod usage_error;
mod venue_poster;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use common::{Failure, KeyArg};

/// Issue, render, scan and verify offline health-status codes.
#[derive(Parser)]
#[command(name = "healthpass", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    reader: locale::ReaderArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Generate an Ed25519 issuer key: the secret key (PKCS#8 v1 PEM as `openssl genpkey
    /// -algorithm ed25519` writes it, mode 0600) and its public key (SPKI PEM).
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
        #[command(flatten)]
        output: native::IssueOutput,
        #[command(flatten)]
        log: log::IssueLogArgs,
    },
    /// Print a code's claims as JSON WITHOUT verifying it (marked UNVERIFIED): HP1:, HC1:,
    /// NZCP:/1/ or shc:/, by prefix.
    Decode {
        /// The code text, or `-` for standard input; the chunks `shc:/C/N/…` of a SMART Health
        /// Card split over several QR codes, each an argument or a line.
        #[arg(required = true)]
        code: Vec<String>,
    },
    /// Verify codes (HP1:, HC1:, NZCP:/1/, shc:/, by prefix) with keys or a trust list, and a
    /// policy if given; one verdict each. Exit 0 if all are accepted, 1 if any is refused or an
    /// image holds no code, 2 for usage or I/O errors.
    Verify(Box<verify::VerifyArgs>),
    /// Print the text of every QR code in each image, one a line (`FILE:INDEX: TEXT` when
    /// several images are given). Exit 1 if an image holds no readable code.
    Scan {
        /// PNG or JPEG images, or folders of them.
        #[arg(required = true)]
        images: Vec<PathBuf>,
        /// Print one JSON object a line: `{"source": {"input", "index"}, "text"}` or `"error"`.
        #[arg(long)]
        json: bool,
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
    Revoke(revoke::RevokeArgs),
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
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to standard output, e.g.
    /// `healthpass completions bash > /etc/bash_completion.d/healthpass`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, e.g. `healthpass man | man -l -`.
    Man,
}

fn main() -> ExitCode {
    let cli = usage_error::parse::<Cli>();
    let outcome = locale::set(&cli.reader).and_then(|()| run(cli.command));
    usage::report_if_asked();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(why)) => {
            eprintln!("{why}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(why)) => {
            eprintln!("{}", usage_error::error_line(locale::lang(), &why));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Keygen { out, public, force } => native::keygen(&out, public, force),
        Command::Issue { claims, key, valid_hours, output, log } => {
            native::issue(&claims, &key, valid_hours, &output, &log)
        }
        Command::Decode { code } => native::decode(&code),
        Command::Verify(args) => verify::run(&args),
        Command::Scan { images, json } => native::scan(&images, json),
        Command::Demo { png } => native::demo(&png),
        Command::TrustList(command) => trust::trust_list(command),
        Command::Revoke(args) => revoke::revoke(&args),
        Command::Conformance { suite } => conformance::run(suite),
        Command::Rules(command) => rules::run(command),
        Command::Log(command) => log::run(command),
        Command::History { source, pseudonym_secret } => log::history(&source, &pseudonym_secret),
        Command::Audit { source, args } => log::audit(&source, &args),
        Command::Scenario(command) => scenarios::run(command),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "healthpass", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map_err(|e| Failure::Usage(format!("standard output: {e}"))),
    }
}
