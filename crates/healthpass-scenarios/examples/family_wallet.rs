//! Proxy holders: a daughter carries her own code, her father's and her son's in one wallet
//! file; a scanner verifies each and shows whose code it is.
//!
//! Run with `cargo run --example family_wallet [WALLET_FILE]` (default: `family-wallet.json` in
//! the system's temporary folder: an example never writes into the current directory unless told to).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use healthpass::claims::Relation;
use healthpass::{Claims, CredentialId, Holder, Issuer, KeySet, SigningKey, Subject, SubjectId, Verifier};
use healthpass_scenarios::wallet::{Wallet, Whose};

fn code(issuer: &Issuer, now: DateTime<Utc>, n: u8, name: &str, holder: Option<Holder>) -> healthpass::Result<String> {
    let mut claims = Claims::example(now);
    claims.credential_id = CredentialId([n; 16]);
    claims.subject = Subject { id: SubjectId([n; 16]), name: Some(name.into()), birth_date: None, document: None };
    claims.holder = holder;
    issuer.issue(&claims)
}

/// Fills the wallet at `path`, writes it, reads it back and verifies every code: one line per
/// code, `label: whose code it is`.
pub fn run(path: &Path, now: DateTime<Utc>) -> healthpass::Result<Vec<String>> {
    let issuer = Issuer::new(SigningKey::demo());
    let daughter = "Chan Mei Ling";
    let carried = |relation| Some(Holder { relation, name: Some(daughter.into()), id: Some(SubjectId([1; 16])) });
    let mut wallet = Wallet::default();
    wallet.add("Me", &code(&issuer, now, 1, daughter, None)?, now)?;
    wallet.add("Dad", &code(&issuer, now, 2, "Chan Tai Man", carried(Relation::Child))?, now)?;
    wallet.add("Ming", &code(&issuer, now, 3, "Chan Siu Ming", carried(Relation::Parent))?, now)?;
    wallet.write(path)?;

    let verifier = Verifier::new([SigningKey::demo().public_key()].into_iter().collect::<KeySet>());
    let mut lines = Vec::new();
    for entry in Wallet::read(path)?.entries {
        let verified = verifier.verify(&entry.code, now)?;
        lines.push(format!("{}: {} {}", entry.label, verified.colour.describe().to_uppercase(), Whose::of(&verified)));
    }
    Ok(lines)
}

fn main() {
    let path = std::env::args().nth(1).map_or_else(|| std::env::temp_dir().join("family-wallet.json"), PathBuf::from);
    match run(&path, Utc::now()) {
        Ok(lines) => {
            println!("wallet {} (mode 0600):", path.display());
            lines.iter().for_each(|l| println!("  {l}"));
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
