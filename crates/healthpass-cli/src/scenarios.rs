//! `explain`, `card`, `wallet`, `school`, `venue` and `convert`: the scenario commands.
//! Argument handling and printing only; the work is the library's (`healthpass_scenarios`).

mod convert;
mod school;
mod venue;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use healthpass::fs::{Mode, write_atomic};
use healthpass::trust::KindName;
use healthpass::{Claims, Limits, UnverifiedCode, Verifier};
use healthpass_i18n::{self as i18n, Arg};
use healthpass_qr::Qr;
use healthpass_scenarios::card::Card;
use healthpass_scenarios::explain::changes;
use healthpass_scenarios::rules::RuleSet;
use healthpass_scenarios::wallet::{Wallet, Whose};

use crate::common::{Failure, TrustArgs, load_keys, read_file, read_input};
use crate::locale;

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
            if failed { Err(Failure::Refused("the code did not verify".into())) } else { Ok(()) }
        }
        Command::Card { code, png, svg, trust } => {
            if png.is_none() && svg.is_none() {
                return Err(Failure::Usage("give --png FILE and/or --svg FILE".into()));
            }
            let text = read_input(&code)?;
            let read = read_code(&text, &trust, trust.at.unwrap_or_else(Utc::now))?;
            eprintln!("{}", read.status);
            if read.failed {
                return Err(Failure::Refused("the code did not verify; no card was made".into()));
            }
            let card = Card::new_in(text.trim(), &read.claims, locale::lang(), &locale::zone())?;
            if let Some(path) = &png {
                write_atomic(path, &card.to_png()?, Mode::Public)?;
                println!("wrote {}", path.display());
            }
            if let Some(path) = &svg {
                write_atomic(path, card.to_svg().as_bytes(), Mode::Public)?;
                println!("wrote {}", path.display());
            }
            Ok(())
        }
        Command::Wallet(command) => wallet(command),
        Command::School(command) => school::run(command),
        Command::Venue(command) => venue::run(command),
        Command::Convert(args) => convert::run(&args),
    }
}

fn wallet(command: WalletCommand) -> Result<(), Failure> {
    match command {
        WalletCommand::Add { wallet, label, code } => {
            let mut held = Wallet::read(&wallet)?;
            held.add(&label, &read_input(&code)?, Utc::now())?;
            held.write(&wallet)?;
            println!("added {label:?} to {} ({} codes)", wallet.display(), held.entries.len());
            Ok(())
        }
        WalletCommand::List { wallet, trust } => {
            let held = Wallet::read(&wallet)?;
            let now = trust.at.unwrap_or_else(Utc::now);
            let mut failed = 0;
            for entry in &held.entries {
                match read_code(&entry.code, &trust, now) {
                    Ok(read) => {
                        failed += usize::from(read.failed);
                        let mark = if read.failed {
                            "NOT VERIFIED"
                        } else if trust.keys.is_empty() && !trust.demo_key {
                            "unverified"
                        } else {
                            "verified"
                        };
                        println!(
                            "{}: {} {}, {}, valid until {} [{mark}]",
                            entry.label,
                            i18n::words::colour_loud(locale::lang(), read.claims.colour),
                            KindName::of(&read.claims.kind).as_str(),
                            Whose::of(&read.claims),
                            locale::time(read.claims.expires_at),
                        );
                    }
                    Err(Failure::Usage(why) | Failure::Refused(why)) => {
                        failed += 1;
                        println!("{}: unreadable ({why})", entry.label);
                    }
                }
            }
            if failed > 0 { Err(Failure::Refused(format!("{failed} code(s) did not verify"))) } else { Ok(()) }
        }
        WalletCommand::Show { wallet, label, terminal } => {
            let held = Wallet::read(&wallet)?;
            let entry = held.get(&label).ok_or_else(|| Failure::Usage(format!("no code labelled {label:?}")))?;
            let code = UnverifiedCode::parse(&entry.code, &Limits::DEFAULT)?;
            eprintln!("{} (unverified)", Whose::of(&code.claims_unverified(&Limits::DEFAULT)?));
            println!("{}", entry.code);
            if terminal {
                println!("{}", Qr::encode(&entry.code)?.to_terminal());
            }
            Ok(())
        }
        WalletCommand::Remove { wallet, label } => {
            let mut held = Wallet::read(&wallet)?;
            if !held.remove(&label) {
                return Err(Failure::Usage(format!("no code labelled {label:?}")));
            }
            held.write(&wallet)?;
            println!("removed {label:?}");
            Ok(())
        }
    }
}
