//! `trust-list`, `revoke` and the checkpoint options of `verify`: argument handling and
//! printing only; the work is the library's.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use clap::{Args, Subcommand};
use healthpass::decide::{Checkpoint, ClockGuard, Policy, ScannerState, Verdict};
use healthpass::fs::{Mode, write_atomic};
use healthpass::keys::{Kid, secret_file_is_exposed};
use healthpass::trust::{CredentialHash, KindName, RevocationList, Scope, TrustEntry, TrustList};
use healthpass::{Colour, CredentialId, Limits, PublicKey, SigningKey, UnverifiedCode};

use crate::common::{Failure, read_file, read_input};
use healthpass_qr::CheckImage;

/// Edit, sign and show trust lists.
#[derive(Subcommand)]
pub(crate) enum TrustListCommand {
    /// Start an unsigned draft (JSON) of a trust list.
    New {
        /// Where to write the draft.
        #[arg(long)]
        out: PathBuf,
        /// The sequence number of the first list signed from this draft.
        #[arg(long, default_value_t = 1)]
        sequence: u64,
        /// Replace an existing draft.
        #[arg(long)]
        force: bool,
    },
    /// Add a key to a draft.
    Add {
        /// The draft (JSON).
        draft: PathBuf,
        /// The key's public key file (SPKI PEM, Ed25519).
        #[arg(long)]
        key: PathBuf,
        /// The issuer id codes signed by the key must carry.
        #[arg(long)]
        issuer: String,
        /// The issuing authority's region.
        #[arg(long)]
        region: String,
        /// Valid from (RFC 3339; default now).
        #[arg(long)]
        valid_from: Option<DateTime<Utc>>,
        /// Valid for this many days.
        #[arg(long, default_value_t = 365)]
        valid_days: i64,
        /// Credential kinds the key may sign (comma-separated; default any).
        #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
        kinds: Vec<KindName>,
        /// Colours the key may sign (comma-separated; default any).
        #[arg(long, value_delimiter = ',', value_parser = parse_colour)]
        colours: Vec<Colour>,
        /// Regions a code signed by the key may name (comma-separated; default any).
        #[arg(long, value_delimiter = ',')]
        regions: Vec<String>,
        /// The key may sign revocation lists for its issuer.
        #[arg(long)]
        may_revoke: bool,
    },
    /// Remove (withdraw) every entry with a kid from a draft.
    Remove {
        /// The draft (JSON).
        draft: PathBuf,
        /// The kid, in hex.
        #[arg(long)]
        kid: String,
    },
    /// Sign a draft with the trust anchor's key; the draft's sequence then moves on by one.
    Sign {
        /// The draft (JSON).
        draft: PathBuf,
        /// The trust anchor's secret key (PKCS#8 PEM).
        #[arg(long)]
        anchor_key: PathBuf,
        /// Where to write the signed list.
        #[arg(long)]
        out: PathBuf,
        /// Sign as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Days until the next list is due.
        #[arg(long, default_value_t = 7)]
        next_update_days: i64,
    },
    /// Install a newer signed list over the held one (a scanner's update): both are verified
    /// against the anchor, and a list with a lower sequence is refused (exit 1).
    Update {
        /// The list the scanner holds; replaced atomically when the offered one is newer.
        #[arg(long)]
        held: PathBuf,
        /// The list offered.
        #[arg(long)]
        offered: PathBuf,
        /// The pinned anchor's public key (SPKI PEM; repeatable).
        #[arg(long, required = true)]
        anchor: Vec<PathBuf>,
    },
    /// Print a signed list as JSON; verified with --anchor, otherwise marked UNVERIFIED.
    Show {
        /// The signed list.
        list: PathBuf,
        /// The pinned anchor's public key (SPKI PEM).
        #[arg(long)]
        anchor: Vec<PathBuf>,
    },
}

/// Sign a revocation list.
#[derive(Args)]
pub(crate) struct RevokeArgs {
    /// The signer's secret key: the trust anchor, or an issuer whose entry allows revocation.
    #[arg(long)]
    key: PathBuf,
    /// Where to write the signed list.
    #[arg(long)]
    out: PathBuf,
    /// A list this signer signed before: its entries are kept and its sequence moves on by one.
    #[arg(long)]
    previous: Option<PathBuf>,
    /// Revoke a credential by id (32 hex digits; repeatable).
    #[arg(long)]
    credential: Vec<String>,
    /// Revoke the credential of this code text (read without verifying; repeatable).
    #[arg(long)]
    code: Vec<String>,
    /// Revoke a key by kid (hex; repeatable), for codes issued from --revoke-from.
    #[arg(long)]
    revoke_kid: Vec<String>,
    /// When the revoked kids stop being good (RFC 3339; default now).
    #[arg(long)]
    revoke_from: Option<DateTime<Utc>>,
    /// The issuer the list covers (required when an issuer's key signs).
    #[arg(long)]
    issuer: Option<String>,
    /// The sequence number (default: the previous list's plus one, or 1).
    #[arg(long)]
    sequence: Option<u64>,
    /// Sign as of this time (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<DateTime<Utc>>,
    /// Days until the next list is due.
    #[arg(long, default_value_t = 1)]
    next_update_days: i64,
}

/// The checkpoint options of `verify`.
#[derive(Args)]
pub(crate) struct CheckpointArgs {
    /// Decide with a signed trust list (needs --anchor) instead of --keys.
    #[arg(long, requires = "anchor", conflicts_with_all = ["keys", "demo_key"])]
    trust: Option<PathBuf>,
    /// The pinned trust anchor's public key (SPKI PEM; repeatable).
    #[arg(long)]
    anchor: Vec<PathBuf>,
    /// Signed revocation lists (repeatable).
    #[arg(long, requires = "trust")]
    revocations: Vec<PathBuf>,
    /// An acceptance policy (JSON). Without one, every authentic, valid, in-scope, unrevoked
    /// code is accepted whatever its colour.
    #[arg(long, requires = "trust")]
    policy: Option<PathBuf>,
    /// The scanner state file (JSON): the newest signed time seen and the highest sequence of
    /// the trust list and of each revocation-list signer, read before and written atomically
    /// after, so that a clock wound back or an older list is refused across runs
    /// (docs/TRUST.md, scanner state).
    #[arg(long, alias = "clock-state", requires = "trust")]
    state: Option<PathBuf>,
    /// The decision-log state for a policy's `require_logged`: credential id hashes (hex, one a
    /// line, `# size N` for the log size), as written by `healthpass log hashes`.
    #[arg(long, requires = "trust")]
    logged: Option<PathBuf>,
}

impl CheckpointArgs {
    /// Whether `verify` should decide with a checkpoint.
    pub(crate) fn is_set(&self) -> bool {
        self.trust.is_some()
    }
}

/// `time` plus `days` days, or a usage error when either is out of range.
fn days_after(time: DateTime<Utc>, days: i64, what: &str) -> Result<DateTime<Utc>, Failure> {
    TimeDelta::try_days(days)
        .and_then(|d| time.checked_add_signed(d))
        .ok_or_else(|| Failure::Usage(format!("{what} is out of range")))
}

fn parse_kind(text: &str) -> Result<KindName, String> {
    serde_json::from_value(serde_json::Value::String(text.into())).map_err(|e| e.to_string())
}

fn parse_colour(text: &str) -> Result<Colour, String> {
    serde_json::from_value(serde_json::Value::String(text.into())).map_err(|e| e.to_string())
}

fn parse_kid(text: &str) -> Result<Kid, Failure> {
    let bytes = hex::decode(text).map_err(|_| Failure::Usage(format!("kid {text}: expected hex digits")))?;
    Kid::new(bytes).ok_or_else(|| Failure::Usage("an empty kid: give its hex digits".into()))
}

fn read_draft(path: &Path) -> Result<TrustList, Failure> {
    let bytes = read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn write_draft(path: &Path, draft: &TrustList) -> Result<(), Failure> {
    draft.validate(&Limits::DEFAULT)?;
    let json = serde_json::to_string_pretty(draft).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(write_atomic(path, format!("{json}\n").as_bytes(), Mode::Public)?)
}

fn load_signing_key_file(path: &Path) -> Result<SigningKey, Failure> {
    if secret_file_is_exposed(path)? {
        eprintln!("warning: {} can be read by other users; run chmod 600 on it", path.display());
    }
    Ok(SigningKey::read_file(path)?)
}

fn read_public_keys(paths: &[PathBuf]) -> Result<Vec<PublicKey>, Failure> {
    let mut keys = Vec::new();
    for path in paths {
        keys.extend(PublicKey::read_file(path)?);
    }
    Ok(keys)
}

pub(crate) fn trust_list(command: TrustListCommand) -> Result<(), Failure> {
    match command {
        TrustListCommand::New { out, sequence, force } => {
            if out.exists() && !force {
                return Err(Failure::Usage(format!("{} exists; use --force to replace it", out.display())));
            }
            let now = Utc::now();
            write_draft(&out, &TrustList::new(sequence, now, days_after(now, 7, "the next update")?))?;
            println!("new trust-list draft {} (sequence {sequence})", out.display());
            Ok(())
        }
        TrustListCommand::Add {
            draft,
            key,
            issuer,
            region,
            valid_from,
            valid_days,
            kinds,
            colours,
            regions,
            may_revoke,
        } => {
            let mut list = read_draft(&draft)?;
            let keys = PublicKey::read_file(&key)?;
            for public in &keys {
                let from = valid_from.unwrap_or_else(Utc::now);
                let until = days_after(from, valid_days, "--valid-days")?;
                let mut entry = TrustEntry::ed25519(public, &issuer, &region, from, until - from);
                entry.scope = Scope {
                    kinds: (!kinds.is_empty()).then(|| kinds.clone()),
                    colours: (!colours.is_empty()).then(|| colours.clone()),
                    regions: (!regions.is_empty()).then(|| regions.clone()),
                    revocation: may_revoke,
                };
                entry.validate(&Limits::DEFAULT)?;
                println!("added kid {} for {issuer} ({region})", entry.kid);
                list.entries.push(entry);
            }
            write_draft(&draft, &list)
        }
        TrustListCommand::Remove { draft, kid } => {
            let mut list = read_draft(&draft)?;
            let kid = parse_kid(&kid)?;
            let before = list.entries.len();
            list.entries.retain(|e| e.kid != kid);
            if list.entries.len() == before {
                return Err(Failure::Usage(format!("no entry has kid {kid}")));
            }
            println!(
                "removed {} entr{} with kid {kid}",
                before - list.entries.len(),
                plural(before - list.entries.len())
            );
            write_draft(&draft, &list)
        }
        TrustListCommand::Sign { draft, anchor_key, out, at, next_update_days } => {
            let mut list = read_draft(&draft)?;
            let anchor = load_signing_key_file(&anchor_key)?;
            list.issued_at = at.unwrap_or_else(Utc::now);
            list.next_update = days_after(list.issued_at, next_update_days, "--next-update-days")?;
            let signed = list.sign(&anchor, &Limits::DEFAULT)?;
            write_atomic(&out, &signed, Mode::Public)?;
            println!(
                "signed trust list {} (sequence {}, {} entr{}, {} bytes), next update {}",
                out.display(),
                list.sequence,
                list.entries.len(),
                plural(list.entries.len()),
                signed.len(),
                list.next_update.to_rfc3339()
            );
            list.sequence = list.sequence.saturating_add(1);
            write_draft(&draft, &list)
        }
        TrustListCommand::Update { held, offered, anchor } => {
            let anchors = read_public_keys(&anchor)?;
            let offered_bytes = read_file(&offered)?;
            let new = TrustList::decode_signed(&offered_bytes, &anchors, &Limits::DEFAULT)?;
            if held.exists() {
                let old = TrustList::decode_signed(&read_file(&held)?, &anchors, &Limits::DEFAULT)?;
                old.check_update(&new).map_err(|e| match e {
                    healthpass::Error::ListRollback { .. } => Failure::Refused(e.to_string()),
                    other => Failure::from(other),
                })?;
            }
            write_atomic(&held, &offered_bytes, Mode::Public)?;
            println!("installed trust list sequence {} as {}", new.sequence, held.display());
            Ok(())
        }
        TrustListCommand::Show { list, anchor } => {
            let bytes = read_file(&list)?;
            let (decoded, verified) = if anchor.is_empty() {
                eprintln!("UNVERIFIED: no --anchor given, so the signature has NOT been checked");
                (TrustList::decode_unverified(&bytes, &Limits::DEFAULT)?, false)
            } else {
                (TrustList::decode_signed(&bytes, &read_public_keys(&anchor)?, &Limits::DEFAULT)?, true)
            };
            let out = serde_json::json!({ "verified": verified, "list": decoded });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            Ok(())
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

pub(crate) fn revoke(args: &RevokeArgs) -> Result<(), Failure> {
    let key = load_signing_key_file(&args.key)?;
    let now = args.at.unwrap_or_else(Utc::now);
    let limits = Limits::DEFAULT;
    let previous = match &args.previous {
        Some(path) => {
            let empty = TrustList::new(0, now, days_after(now, 1, "--at")?);
            Some(RevocationList::decode_signed(&read_file(path)?, &[key.public_key()], &empty, &limits)?)
        }
        None => None,
    };
    let sequence = args.sequence.unwrap_or_else(|| previous.as_ref().map_or(1, |p| p.sequence.saturating_add(1)));
    let mut list = RevocationList::new(sequence, now, days_after(now, args.next_update_days, "--next-update-days")?);
    list.issuer = args.issuer.clone();
    if let Some(previous) = &previous {
        if previous.issuer != list.issuer {
            return Err(Failure::Usage("--issuer differs from the previous list's issuer".into()));
        }
        list.revoke_hashes(previous.credential_hashes());
        list.keys.clone_from(&previous.keys);
    }
    let mut ids = Vec::new();
    for hex_id in &args.credential {
        ids.push(
            CredentialId::try_from(hex_id.clone())
                .map_err(|e| Failure::Usage(format!("--credential {hex_id}: {e}")))?,
        );
    }
    for code in &args.code {
        let code = UnverifiedCode::parse(read_input(code)?.trim(), &limits)?;
        ids.push(code.claims_unverified(&limits)?.credential_id);
    }
    list.revoke_hashes(ids.iter().map(CredentialHash::of));
    for kid in &args.revoke_kid {
        list.revoke_key(parse_kid(kid)?, args.revoke_from.unwrap_or(now));
    }
    let signed = list.sign(&key, &limits)?;
    write_atomic(&args.out, &signed, Mode::Public)?;
    println!(
        "signed revocation list {} (sequence {sequence}, {} credential{}, {} key{}, {} bytes)",
        args.out.display(),
        list.credential_count(),
        if list.credential_count() == 1 { "" } else { "s" },
        list.keys.len(),
        if list.keys.len() == 1 { "" } else { "s" },
        signed.len()
    );
    Ok(())
}

/// `verify --trust ...`: one verdict per code, exit 1 if any is refused.
pub(crate) fn verify(
    args: &CheckpointArgs,
    code: Option<String>,
    image: Option<&Path>,
    at: Option<DateTime<Utc>>,
    skew: i64,
    json: bool,
) -> Result<(), Failure> {
    let trust = args.trust.as_deref().ok_or_else(|| Failure::Usage("--trust is required".into()))?;
    let anchors = read_public_keys(&args.anchor)?;
    let policy = match &args.policy {
        Some(path) => Policy::read_file(path)?,
        None => Policy::permissive(),
    };
    let skew = TimeDelta::try_seconds(skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
    let now = at.unwrap_or_else(Utc::now);
    let state = match args.state.as_deref().filter(|p| p.exists()) {
        Some(path) => {
            Some(ScannerState::read_file(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?)
        }
        None => None,
    };
    let mut checkpoint = Checkpoint::new(anchors, &read_file(trust)?, policy)?.with_clock(ClockGuard::new(skew));
    if let Some(state) = &state {
        checkpoint.restore_state(state).map_err(list_refusal)?;
    }
    // A trust list signed after `now` is not refused here: each verdict says `clock_rollback`
    // (the clock may be behind), and its time is not recorded in the state until `now` reaches it.
    for path in &args.revocations {
        checkpoint.add_revocation_list_at(&read_file(path)?, now).map_err(list_refusal)?;
    }
    if let Some(path) = &args.logged {
        let (hashes, size) = crate::log::read_hashes(path)?;
        checkpoint.set_logged(hashes, size);
    }
    let verdicts: Vec<Verdict> = match (image, code) {
        (Some(path), _) => checkpoint.check_image(&read_file(path)?, now),
        (None, Some(code)) => vec![checkpoint.check(read_input(&code)?.trim(), now)],
        (None, None) => return Err(Failure::Usage("give a code or --image".into())),
    };
    if let Some(path) = &args.state {
        checkpoint.state().write_file(path)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&verdicts).unwrap_or_default());
    } else {
        let (lang, zone) = (crate::locale::lang(), crate::locale::zone());
        verdicts.iter().for_each(|v| println!("{}", healthpass_i18n::verdict::line(v, lang, &zone)));
    }
    let refused = verdicts.iter().filter(|v| !v.accepted()).count();
    if refused > 0 {
        return Err(Failure::Refused(format!("{refused} of {} code(s) refused", verdicts.len())));
    }
    Ok(())
}

/// A list that may not be loaded — older than one already seen (`list_rollback`) or signed in
/// the future (`signed_in_future`) — is a refusal (exit 1), naming its code; anything else an error.
fn list_refusal(err: healthpass::Error) -> Failure {
    match err {
        healthpass::Error::ListRollback { .. } | healthpass::Error::SignedInFuture { .. } => {
            Failure::Refused(format!("REFUSED [{}] {err}", err.code()))
        }
        other => Failure::from(other),
    }
}
