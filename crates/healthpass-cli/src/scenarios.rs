//! `explain`, `card`, `wallet`, `school`, `venue` and `convert`: the scenario commands.
//! Argument handling and printing only; the work is the library's (`healthpass_scenarios`).

mod convert;
mod school;
mod venue;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use healthpass::fs::{Mode, write_atomic};
use healthpass::{Claims, Limits, UnverifiedCode, Verifier};
use healthpass_i18n::{self as i18n, Arg};
use healthpass_scenarios::card::Card;
use healthpass_scenarios::explain::changes;
use healthpass_scenarios::rules::RuleSet;
use healthpass_scenarios::wallet::{Wallet, Whose};

use crate::common::{Failure, TrustArgs, load_keys, read_file, read_input};
use crate::locale;
use crate::report::{Report, Source, Status};
use healthpass::decide::Finding;

/// The scenario commands, flattened into the top level.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Explain in plain words why a code has its colour and what would turn it green. Decodes
    /// without keys; with --keys or --demo-key it also says whether the signature verified.
    /// Given several codes of one person (yesterday's and today's), says what changed between
    /// them. In the reader's language (--lang) and zone (--tz).
    Explain {
        /// The code texts (one or more of the same person), or `-` for standard input.
        #[arg(required = true)]
        code: Vec<String>,
        #[command(flatten)]
        trust: TrustArgs,
        /// A colour rule set (JSON, docs/SCENARIOS.md); default: the built-in rules.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Render a printable A6 card (300 dpi) of a code: colour band and word, QR code, masked
    /// name, validity and reasons. Checks the signature when --keys or --demo-key is given.
    Card {
        /// The code text, or `-` for standard input.
        code: String,
        /// Write the card as PNG here.
        #[arg(long)]
        png: Option<PathBuf>,
        /// Write the card as SVG here.
        #[arg(long)]
        svg: Option<PathBuf>,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Keep codes carried for others (a parent, a child) in a wallet file.
    #[command(subcommand)]
    Wallet(WalletCommand),
    /// School codes: a student's daily code from self-reports; a teacher's summary of the day.
    #[command(subcommand)]
    School(school::SchoolCommand),
    /// Venue codes: a venue's entrance code; a check at its door against its policy.
    #[command(subcommand)]
    Venue(venue::VenueCommand),
    /// Convert a foreign code (EU DCC) or another region's code into a native cross-border code:
    /// verify it, apply a policy, issue. Exit 1 with the reasons when refused.
    Convert(Box<convert::ConvertArgs>),
}

/// Wallet commands.
#[derive(Subcommand)]
pub(crate) enum WalletCommand {
    /// Add a code under a label (the file is created if missing, written atomically, mode 0600).
    Add {
        /// The wallet file.
        #[arg(long, default_value = "wallet.json")]
        wallet: PathBuf,
        /// The label, such as `Mum`.
        label: String,
        /// The code text, or `-` for standard input.
        code: String,
    },
    /// List the codes: label, whose code it is, colour and validity (unverified unless keys are given).
    List {
        /// The wallet file.
        #[arg(long, default_value = "wallet.json")]
        wallet: PathBuf,
        #[command(flatten)]
        trust: TrustArgs,
        /// Print one verdict document (docs/verdict.schema.json) a code, labelled, and nothing else.
        #[arg(long)]
        json: bool,
    },
    /// Print one code's text (to show or render), with whose code it is on standard error.
    Show {
        /// The wallet file.
        #[arg(long, default_value = "wallet.json")]
        wallet: PathBuf,
        /// The label.
        label: String,
        /// Also print the QR code to the terminal.
        #[arg(long)]
        terminal: bool,
    },
    /// Remove a code.
    Remove {
        /// The wallet file.
        #[arg(long, default_value = "wallet.json")]
        wallet: PathBuf,
        /// The label.
        label: String,
    },
}

/// The outcome of reading a code: its claims, and whether (and how) its signature was checked.
struct Read {
    claims: Claims,
    status: String,
    failed: bool,
    /// The stable code of the verification failure, if any.
    error: Option<&'static str>,
}

fn read_code(text: &str, trust: &TrustArgs, now: DateTime<Utc>) -> Result<Read, Failure> {
    let lang = locale::lang();
    let code = UnverifiedCode::parse(text.trim(), &Limits::DEFAULT)?;
    let claims = code.claims_unverified(&Limits::DEFAULT)?;
    if trust.keys.is_empty() && !trust.demo_key {
        let status = i18n::text(lang, "status-unverified", &[]);
        return Ok(Read { claims, status, failed: false, error: None });
    }
    let verifier = Verifier::new(load_keys(&trust.keys, trust.demo_key)?);
    Ok(match verifier.verify_code(&code, now) {
        Ok(verified) => {
            let status = i18n::text(lang, "status-verified", &[]);
            Read { claims: verified.into_inner(), status, failed: false, error: None }
        }
        Err(err) => {
            let why = Arg::from(locale::refusal(&err));
            let status = i18n::text(lang, "status-not-verified", &[("why", why)]);
            Read { claims, status, failed: true, error: Some(err.code()) }
        }
    })
}

/// One wallet code's verdict (verified with the keys, or read unverified without), and whose it is.
fn wallet_report(
    source: Source,
    text: &str,
    verifier: Option<&Verifier>,
    now: DateTime<Utc>,
) -> (Report, Option<Whose>) {
    let code = match UnverifiedCode::parse(text.trim(), &Limits::DEFAULT) {
        Ok(code) => code,
        Err(e) => return (Report::error(source, text, &e), None),
    };
    let claims = match code.claims_unverified(&Limits::DEFAULT) {
        Ok(claims) => claims,
        Err(e) => return (Report::error(source, text, &e), None),
    };
    let whose = Some(Whose::of(&claims));
    match verifier.map(|v| v.verify_code(&code, now)) {
        None => (Report::unverified(source, text, &claims), whose),
        Some(Ok(verified)) => (Report::from_verified(source, text, &verified, Vec::new()), whose),
        Some(Err(e)) => {
            let mut report = Report::unverified(source, text, &claims);
            report.warnings.clear();
            report.refuse(Finding::from(&e));
            (report, whose)
        }
    }
}

pub(crate) fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Explain { code, trust, rules } => {
            let rules = match rules {
                Some(path) => RuleSet::from_json(&String::from_utf8_lossy(&read_file(&path)?))?,
                None => RuleSet::default(),
            };
            let now = trust.at.unwrap_or_else(Utc::now);
            let (lang, zone) = (locale::lang(), locale::zone());
            let mut claims = Vec::new();
            let mut failed = false;
            for text in &code {
                let read = read_code(&read_input(text)?, &trust, now)?;
                println!("{}", read.status);
                // Compared with today's, yesterday's code has expired, as it should: that is no failure.
                failed |= read.failed && !(code.len() > 1 && read.error == Some("expired"));
                claims.push(read.claims);
            }
            match claims.as_slice() {
                [one] => print!("{}", rules.explain(one, now).render(lang, &zone)),
                many => print!("{}", changes(&rules, many, now, lang, &zone)?),
            }
            if failed { Err(Failure::Refused(i18n::text(lang, "explain-not-verified", &[]))) } else { Ok(()) }
        }
        Command::Card { code, png, svg, trust } => {
            if png.is_none() && svg.is_none() {
                return Err(Failure::Usage(i18n::text(locale::lang(), "usage-card-output", &[])));
            }
            let text = read_input(&code)?;
            let read = read_code(&text, &trust, trust.at.unwrap_or_else(Utc::now))?;
            eprintln!("{}", read.status);
            if read.failed {
                return Err(Failure::Refused(i18n::text(locale::lang(), "card-not-made", &[])));
            }
            let mut card = Card::new_in(text.trim(), &read.claims, locale::lang(), &locale::zone())?;
            if trust.keys.is_empty() && !trust.demo_key {
                card = card.unverified();
            }
            if let Some(path) = &png {
                write_atomic(path, &card.to_png()?, Mode::Public)?;
                println!("{}", wrote(path));
            }
            if let Some(path) = &svg {
                write_atomic(path, card.to_svg().as_bytes(), Mode::Public)?;
                println!("{}", wrote(path));
            }
            Ok(())
        }
        Command::Wallet(command) => wallet(command),
        Command::School(command) => school::run(command),
        Command::Venue(command) => venue::run(command),
        Command::Convert(args) => convert::run(&args),
    }
}

/// `wrote FILE` in the reader's language.
fn wrote(path: &std::path::Path) -> String {
    i18n::text(locale::lang(), "cli-wrote", &[("file", Arg::from(path.display().to_string()))])
}

fn wallet(command: WalletCommand) -> Result<(), Failure> {
    match command {
        WalletCommand::Add { wallet, label, code } => {
            let mut held = Wallet::read(&wallet)?;
            held.add(&label, &read_input(&code)?, Utc::now())?;
            held.write(&wallet)?;
            let args = [
                ("label", Arg::from(format!("{label:?}"))),
                ("file", Arg::from(wallet.display().to_string())),
                ("count", Arg::from(held.entries.len())),
            ];
            println!("{}", i18n::text(locale::lang(), "wallet-added", &args));
            Ok(())
        }
        WalletCommand::List { wallet, trust, json } => {
            if !wallet.exists() {
                return Err(Failure::Usage(format!(
                    "no wallet at {}: add a code with `healthpass wallet add --wallet {} LABEL CODE`",
                    wallet.display(),
                    wallet.display()
                )));
            }
            let held = Wallet::read(&wallet)?;
            if held.entries.is_empty() && !json {
                let file = Arg::from(wallet.display().to_string());
                println!("{}", i18n::text(locale::lang(), "wallet-empty", &[("file", file)]));
            }
            let now = trust.at.unwrap_or_else(Utc::now);
            let keyed = !trust.keys.is_empty() || trust.demo_key;
            let verifier = if keyed { Some(Verifier::new(load_keys(&trust.keys, trust.demo_key)?)) } else { None };
            let mut failed = 0;
            for (i, entry) in held.entries.iter().enumerate() {
                let source = Source::at(wallet.display().to_string(), Some(i + 1)).labelled(&entry.label);
                let (report, whose) = wallet_report(source, &entry.code, verifier.as_ref(), now);
                failed += usize::from(matches!(report.status, Status::Refused | Status::NoCode));
                if json {
                    println!("{}", report.to_json_line());
                    continue;
                }
                let lang = locale::lang();
                let mark = match report.status {
                    Status::Accepted => "wallet-verified",
                    Status::Unverified => "wallet-unverified",
                    Status::Refused | Status::NoCode => "wallet-not-verified",
                };
                match (report.colour, report.kind, report.valid_until, whose) {
                    (Some(colour), Some(kind), Some(until), Some(whose)) => {
                        let args = [
                            ("label", Arg::from(entry.label.as_str())),
                            ("colour", Arg::from(i18n::words::colour_loud(lang, colour))),
                            ("kind", Arg::from(i18n::verdict::kind(lang, kind))),
                            ("whose", Arg::from(whose.render(lang))),
                            ("until", Arg::from(locale::time(until))),
                            ("status", Arg::from(i18n::text(lang, mark, &[]))),
                        ];
                        let refusals: String =
                            report.refusals.iter().map(|f| format!("; {}", i18n::verdict::refusal(lang, f))).collect();
                        println!("{}{refusals}", i18n::text(lang, "wallet-line", &args));
                    }
                    _ => println!("{report}"),
                }
            }
            if failed > 0 {
                return Err(Failure::Refused(i18n::text(
                    locale::lang(),
                    "wallet-failed",
                    &[("count", Arg::from(failed))],
                )));
            }
            Ok(())
        }
        WalletCommand::Show { wallet, label, terminal } => {
            let held = Wallet::read(&wallet)?;
            let entry = held.get(&label).ok_or_else(|| Failure::Usage(format!("no code labelled {label:?}")))?;
            let code = UnverifiedCode::parse(&entry.code, &Limits::DEFAULT)?;
            let whose = Whose::of(&code.claims_unverified(&Limits::DEFAULT)?).render(locale::lang());
            eprintln!("{}", i18n::text(locale::lang(), "wallet-show", &[("whose", Arg::from(whose))]));
            println!("{}", entry.code);
            if terminal {
                crate::common::render(&entry.code, None, None, true)?;
            }
            Ok(())
        }
        WalletCommand::Remove { wallet, label } => {
            let mut held = Wallet::read(&wallet)?;
            if !held.remove(&label) {
                return Err(Failure::Usage(format!("no code labelled {label:?}")));
            }
            held.write(&wallet)?;
            println!("{}", i18n::text(locale::lang(), "wallet-removed", &[("label", Arg::from(format!("{label:?}")))]));
            Ok(())
        }
    }
}
