//! `revoke`: sign a revocation list of credentials (by id, by code, or from a file of either)
//! and keys. Argument handling and printing only; the work is the library's.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;
use healthpass::fs::{Mode, write_atomic};
use healthpass::trust::{CredentialHash, RevocationList, TrustList};
use healthpass::{CredentialId, Limits, UnverifiedCode};

use crate::common::{Failure, read_file, read_input};
use crate::trust::{days_after, load_signing_key_file, parse_kid};

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
    /// Days until the next list is due (default 1: a daily list). Past it the list is stale and
    /// checkpoints refuse every code (`stale_list`) unless their policy's
    /// `stale_list_grace_hours` (default 0) covers the delay: sign a new list every day, or
    /// give a longer period here and a grace in the policy (docs/POLICY.md).
    #[arg(long, default_value_t = 1)]
    next_update_days: i64,
    /// A file of codes (`HP1:...`) or credential ids (32 hex digits) to revoke, one a line;
    /// blank lines and lines starting `#` are skipped.
    #[arg(long)]
    codes_file: Option<PathBuf>,
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
    if let Some(path) = &args.codes_file {
        let text = String::from_utf8_lossy(&read_file(path)?).into_owned();
        for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |e: &dyn std::fmt::Display| Failure::Usage(format!("{} line {n}: {e}", path.display()));
            if line.len() == 32 && line.bytes().all(|b| b.is_ascii_hexdigit()) {
                ids.push(CredentialId::try_from(line.to_owned()).map_err(|e| at(&e))?);
            } else {
                let code = UnverifiedCode::parse(line, &limits).map_err(|e| at(&e))?;
                ids.push(code.claims_unverified(&limits).map_err(|e| at(&e))?.credential_id);
            }
        }
    }
    if list.issuer.is_none() {
        eprintln!(
            "warning: no --issuer: checkpoints accept this list only if {} is the trust anchor's key; \
             an issuer's key must sign with --issuer ID",
            args.key.display()
        );
    }
    list.revoke_hashes(ids.iter().map(CredentialHash::of));
    for kid in &args.revoke_kid {
        list.revoke_key(parse_kid(kid)?, args.revoke_from.unwrap_or(now));
    }
    let signed = list.sign(&key, &limits)?;
    write_atomic(&args.out, &signed, Mode::Public)?;
    println!(
        "signed revocation list {} (sequence {sequence}, {} credential{}, {} key{}, {} bytes), next update {}",
        args.out.display(),
        list.credential_count(),
        if list.credential_count() == 1 { "" } else { "s" },
        list.keys.len(),
        if list.keys.len() == 1 { "" } else { "s" },
        signed.len(),
        list.next_update.to_rfc3339()
    );
    Ok(())
}
