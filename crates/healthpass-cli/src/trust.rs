//! `trust-list` and the checkpoint options of `verify` (`revoke` is `crate::revoke`): argument handling and
//! printing only; the work is the library's.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use clap::{Args, Subcommand};
use healthpass::decide::{Checkpoint, ClockGuard, Policy, ScannerState};
use healthpass::fs::{Mode, write_atomic};
use healthpass::keys::Kid;
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Colour, Limits, SigningKey};

use crate::common::{Failure, read_file};

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
    /// Add a key to a draft: an Ed25519 public key (native codes), an ES256 or PS256 public
    /// key (SPKI PEM, with --kid), or an X.509 signer certificate (PEM, DER or base64; its kid
    /// is the DCC kid, the first 8 bytes of the certificate's SHA-256) for foreign codes.
    Add {
        /// The draft (JSON).
        draft: PathBuf,
        /// The key file: SPKI PEM (Ed25519, P-256 or RSA) or an X.509 certificate.
        #[arg(long)]
        key: PathBuf,
        /// The kid (hex) of an ES256/PS256 key or certificate, when it is not derived (an
        /// Ed25519 kid is always derived; a certificate's defaults to its DCC kid).
        #[arg(long)]
        kid: Option<String>,
        /// The issuer id codes signed by the key must carry.
        #[arg(long)]
        issuer: String,
        /// The issuing authority's region.
        #[arg(long)]
        region: String,
        /// The key signs codes issued from this time (RFC 3339). Default: open (1970-01-01), so
        /// codes the key signed before it was listed stay good. A later time refuses codes
        /// issued before it (`key_not_valid`): a warning says so.
        #[arg(long)]
        valid_from: Option<DateTime<Utc>>,
        /// ... until this time (RFC 3339). Default: --valid-days after --valid-from, or after
        /// now when --valid-from is open.
        #[arg(long, conflicts_with = "valid_days")]
        valid_until: Option<DateTime<Utc>>,
        /// Valid for this many days (see --valid-until).
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
        /// Days until the next list is due. Past it the list is stale: checkpoints refuse every
        /// code (`stale_list`) unless their policy's `stale_list_grace_hours` (default 0) covers
        /// the delay. Sign and publish a new list before then.
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
    /// Print a signed list as JSON; verified with --anchor, otherwise marked UNVERIFIED. Says
    /// on standard error when the list is stale, or will be within a day.
    Show {
        /// The signed list.
        list: PathBuf,
        /// The pinned anchor's public key (SPKI PEM).
        #[arg(long)]
        anchor: Vec<PathBuf>,
        /// Judge staleness as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
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
    /// An acceptance policy (JSON, docs/POLICY.md), with a trust list or with --keys. Without
    /// one, every authentic, valid, in-scope, unrevoked code is accepted whatever its colour,
    /// and the verdict says the colour.
    #[arg(long)]
    pub(crate) policy: Option<PathBuf>,
    /// Accept green codes only (the policy `{"accept_colours": ["green"]}`).
    #[arg(long, conflicts_with = "policy")]
    pub(crate) green_only: bool,
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

    /// The policy of `--policy` or `--green-only`, if one was given.
    pub(crate) fn policy(&self) -> Result<Option<Policy>, Failure> {
        if self.green_only {
            let mut policy = Policy::permissive();
            policy.name = Some("green only".into());
            policy.accept_colours = vec![Colour::Green];
            return Ok(Some(policy));
        }
        Ok(match &self.policy {
            Some(path) => Some(Policy::read_file(path)?),
            None => None,
        })
    }
}

/// `time` plus `days` days, or a usage error when either is out of range.
pub(crate) fn days_after(time: DateTime<Utc>, days: i64, what: &str) -> Result<DateTime<Utc>, Failure> {
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

pub(crate) fn parse_kid(text: &str) -> Result<Kid, Failure> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .map_err(|_| Failure::Usage(format!("kid {text}: expected hex digits")))?;
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

pub(crate) fn load_signing_key_file(path: &Path) -> Result<SigningKey, Failure> {
    crate::common::read_secret_key(path)
}

use crate::common::read_public_keys;

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
            kid,
            issuer,
            region,
            valid_from,
            valid_until,
            valid_days,
            kinds,
            colours,
            regions,
            may_revoke,
        } => {
            let mut list = read_draft(&draft)?;
            let from = valid_from.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
            let until = match valid_until {
                Some(until) => until,
                None => days_after(valid_from.unwrap_or_else(Utc::now), valid_days, "--valid-days")?,
            };
            for (kid, algorithm, public_key) in crate::trust_keys::entry_keys(&key, kid.as_deref())? {
                let mut entry = TrustEntry {
                    kid,
                    algorithm,
                    public_key,
                    issuer: issuer.clone(),
                    region: region.clone(),
                    valid_from: from,
                    valid_until: until,
                    scope: Scope::default(),
                };
                entry.scope = Scope {
                    kinds: (!kinds.is_empty()).then(|| kinds.clone()),
                    colours: (!colours.is_empty()).then(|| colours.clone()),
                    regions: (!regions.is_empty()).then(|| regions.clone()),
                    revocation: may_revoke,
                };
                entry.validate(&Limits::DEFAULT).map_err(|e| Failure::Usage(format!("{}: {e}", key.display())))?;
                println!("added kid {} ({:?}) for {issuer} ({region})", entry.kid, entry.algorithm);
                if let Some(from) = valid_from {
                    eprintln!(
                        "warning: codes kid {} signed before {} will be refused (key_not_valid); leave out \
                         --valid-from to keep codes issued before the key was listed",
                        entry.kid,
                        from.to_rfc3339()
                    );
                }
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
        TrustListCommand::Show { list, anchor, at } => {
            let bytes = read_file(&list)?;
            let (decoded, verified) = if anchor.is_empty() {
                eprintln!("{}", healthpass_i18n::text(crate::locale::lang(), "trust-unverified", &[]));
                (TrustList::decode_unverified(&bytes, &Limits::DEFAULT)?, false)
            } else {
                (TrustList::decode_signed(&bytes, &read_public_keys(&anchor)?, &Limits::DEFAULT)?, true)
            };
            warn_if_stale("trust list", decoded.next_update, at.unwrap_or_else(Utc::now));
            let out = serde_json::json!({ "verified": verified, "list": decoded });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            Ok(())
        }
    }
}

/// Says on standard error when a list is past its next update, or will be within a day.
pub(crate) fn warn_if_stale(what: &str, next_update: DateTime<Utc>, now: DateTime<Utc>) {
    let left = next_update.signed_duration_since(now);
    if left <= TimeDelta::zero() {
        eprintln!(
            "warning: STALE {what}: its next update was due {}; checkpoints refuse every code (stale_list) \
             unless their policy's stale_list_grace_hours covers the delay",
            next_update.to_rfc3339()
        );
    } else if left <= TimeDelta::days(1) {
        eprintln!(
            "warning: the {what} goes stale at {} (in {} hours): install a newer one before then",
            next_update.to_rfc3339(),
            left.num_hours()
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

/// The checkpoint of `verify --trust ...`: the signed list under the pinned anchors, the
/// scanner state restored, the revocation lists and decision-log state added.
pub(crate) fn open_checkpoint(
    args: &CheckpointArgs,
    policy: Policy,
    now: DateTime<Utc>,
    skew: TimeDelta,
) -> Result<Checkpoint, Failure> {
    let trust = args.trust.as_deref().ok_or_else(|| Failure::Usage("--trust is required".into()))?;
    let anchors = read_public_keys(&args.anchor)?;
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
    let soon = |next: DateTime<Utc>| next > now && next.signed_duration_since(now) <= TimeDelta::days(1);
    if soon(checkpoint.trust_list().next_update) {
        warn_if_stale("trust list", checkpoint.trust_list().next_update, now);
    }
    for list in checkpoint.revocation_lists() {
        if soon(list.next_update) {
            warn_if_stale("revocation list", list.next_update, now);
        }
    }
    Ok(checkpoint)
}

/// Writes the scanner state after the checks, when `--state` names a file.
pub(crate) fn save_state(args: &CheckpointArgs, checkpoint: &Checkpoint) -> Result<(), Failure> {
    if let Some(path) = &args.state {
        checkpoint.state().write_file(path)?;
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
