//! A checkpoint scanner: loads a signed trust list, revocation lists and a policy, then checks
//! every image in a folder, printing one line per code and a summary.
//!
//! ```text
//! cargo run --example scanner                 # builds demo inputs in a temp folder and scans them
//! cargo run --example scanner -- --trust list.cose --anchor anchor.pub \
//!     [--revocations rev.cose]... [--policy policy.json] [--at 2026-11-23T09:00:00Z] FOLDER
//! ```
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use clap::Parser;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::fs::{Mode, write_atomic};
use healthpass::trust::{KindName, RevocationList, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, CredentialId, Issuer, Limits, PublicKey, Reason, SigningKey};
use healthpass_qr::CheckImage;
use healthpass_qr::Qr;

/// Check every QR code image in a folder against a trust list, revocation lists and a policy.
#[derive(Parser)]
struct Args {
    /// The folder of PNG/JPEG images (omit everything to run on built-in demo inputs).
    folder: Option<PathBuf>,
    /// The signed trust list.
    #[arg(long, requires = "folder")]
    trust: Option<PathBuf>,
    /// The pinned trust anchor's public key (SPKI PEM).
    #[arg(long, requires = "trust")]
    anchor: Option<PathBuf>,
    /// Signed revocation lists.
    #[arg(long)]
    revocations: Vec<PathBuf>,
    /// The acceptance policy (JSON); without one, any authentic valid code is accepted.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Check as of this time instead of the system clock.
    #[arg(long)]
    at: Option<DateTime<Utc>>,
}

struct Inputs {
    folder: PathBuf,
    trust: PathBuf,
    anchor: PathBuf,
    revocations: Vec<PathBuf>,
    policy: Option<PathBuf>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let now = args.at.unwrap_or_else(Utc::now);
    let inputs = match (args.folder, args.trust, args.anchor) {
        (Some(folder), Some(trust), Some(anchor)) => {
            Inputs { folder, trust, anchor, revocations: args.revocations, policy: args.policy }
        }
        (None, None, None) => {
            let dir = std::env::temp_dir().join(format!("healthpass-scanner-demo-{}", std::process::id()));
            eprintln!("no arguments: building demo inputs in {}", dir.display());
            demo_inputs(&dir, now)?
        }
        _ => return Err("give a folder with --trust and --anchor, or no arguments for the demo".into()),
    };

    let anchors = PublicKey::read_file(&inputs.anchor)?;
    let policy = match &inputs.policy {
        Some(path) => Policy::read_file(path)?,
        None => Policy::permissive(),
    };
    let mut checkpoint = Checkpoint::new(anchors, &std::fs::read(&inputs.trust)?, policy)?;
    for path in &inputs.revocations {
        checkpoint.add_revocation_list(&std::fs::read(path)?)?;
    }
    println!(
        "trust list {} ({} keys), {} revocation list(s), policy: {}",
        checkpoint.trust_list().sequence,
        checkpoint.trust_list().entries.len(),
        checkpoint.revocation_lists().len(),
        checkpoint.policy().name.as_deref().unwrap_or("unnamed")
    );

    let mut images: Vec<PathBuf> = std::fs::read_dir(&inputs.folder)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| matches!(e.to_str(), Some("png" | "jpg" | "jpeg"))))
        .collect();
    images.sort();
    let (mut accepted, mut refused) = (0usize, 0usize);
    let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    for path in &images {
        let bytes = healthpass::fs::read_bounded(path, Limits::DEFAULT.max_image_bytes, "image")?;
        for verdict in checkpoint.check_image(&bytes, now) {
            println!("{}: {verdict}", name(path));
            if verdict.accepted() {
                accepted += 1;
            } else {
                refused += 1;
                verdict.refusals.iter().for_each(|f| *reasons.entry(f.code).or_default() += 1);
            }
        }
    }
    let why: Vec<String> = reasons.iter().map(|(code, n)| format!("{code} ×{n}")).collect();
    println!(
        "summary: {} image(s), {} verdict(s): {accepted} accepted, {refused} refused{}",
        images.len(),
        accepted + refused,
        if why.is_empty() { String::new() } else { format!(" ({})", why.join(", ")) }
    );
    Ok(())
}

fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A trust anchor, a district office (no red), the health authority, a trust list, a
/// revocation list, a 7-day-test policy and a folder of codes, each showing one outcome.
fn demo_inputs(dir: &Path, now: DateTime<Utc>) -> Result<Inputs, Box<dyn std::error::Error>> {
    let images = dir.join("images");
    std::fs::create_dir_all(&images)?;
    let anchor = SigningKey::from_seed(&[1; 32]);
    let office = SigningKey::from_seed(&OFFICE);
    let authority = SigningKey::from_seed(&AUTHORITY);
    let limits = Limits::DEFAULT;

    let mut list = TrustList::new(1, now - TimeDelta::hours(1), now + TimeDelta::days(7));
    let mut office_entry =
        TrustEntry::ed25519(&office.public_key(), "CN-GD", "CN-GD", now - TimeDelta::days(30), TimeDelta::days(365));
    office_entry.scope = Scope {
        kinds: Some(vec![KindName::Personal]),
        colours: Some(vec![Colour::Green, Colour::Yellow, Colour::Orange]),
        regions: None,
        revocation: false,
    };
    list.entries.push(office_entry);
    list.entries.push(TrustEntry::ed25519(
        &authority.public_key(),
        "CN-GD",
        "CN-GD",
        now - TimeDelta::days(30),
        TimeDelta::days(365),
    ));
    let trust = dir.join("trust-list.cose");
    write_atomic(&trust, &list.sign(&anchor, &limits)?, Mode::Public)?;
    let anchor_pub = dir.join("anchor.pub");
    write_atomic(&anchor_pub, anchor.public_key().to_pem()?.as_bytes(), Mode::Public)?;

    let code = |id: u8, colour: Colour, test_age_days: i64| {
        let mut claims = Claims::example(now - TimeDelta::hours(1));
        claims.credential_id = CredentialId([id; 16]);
        claims.colour = colour;
        if colour == Colour::Red {
            claims.reasons = vec![Reason::PositiveTest];
        }
        if let Some(test) = claims.evidence.tests.first_mut() {
            test.sampled_at = now - TimeDelta::days(test_age_days);
        }
        claims
    };
    let revoked = code(4, Colour::Green, 1);
    let mut expired = code(5, Colour::Green, 1);
    expired.issued_at = now - TimeDelta::days(3);
    expired.not_before = expired.issued_at;
    expired.expires_at = now - TimeDelta::days(2);
    let samples = [
        ("1-green.png", OFFICE, code(1, Colour::Green, 1)),
        ("2-red-by-office.png", OFFICE, code(2, Colour::Red, 1)),
        ("3-red-by-authority.png", AUTHORITY, code(3, Colour::Red, 1)),
        ("4-revoked.png", OFFICE, revoked.clone()),
        ("5-expired.png", OFFICE, expired),
        ("6-old-test.png", OFFICE, code(6, Colour::Green, 9)),
    ];
    for (file, seed, claims) in samples {
        let text = Issuer::new(SigningKey::from_seed(&seed)).issue(&claims)?;
        write_atomic(&images.join(file), &Qr::encode(&text)?.to_png(4)?, Mode::Public)?;
    }
    let mut blank = Vec::new();
    image::GrayImage::from_pixel(64, 64, image::Luma([255]))
        .write_to(&mut std::io::Cursor::new(&mut blank), image::ImageFormat::Png)?;
    write_atomic(&images.join("7-no-code.png"), &blank, Mode::Public)?;

    let mut revocations = RevocationList::new(1, now - TimeDelta::minutes(30), now + TimeDelta::days(1));
    revocations.revoke_credentials([&revoked.credential_id]);
    let rev = dir.join("revocations.cose");
    write_atomic(&rev, &revocations.sign(&anchor, &limits)?, Mode::Public)?;

    let policy = Policy::from_json(
        r#"{ "name": "demo border post (7-day test rule)", "accept_colours": ["green"],
             "accept_regions": ["CN", "HK", "MO"], "negative_test_max_age_hours": 168 }"#,
    )?;
    let policy_path = dir.join("policy.json");
    write_atomic(&policy_path, policy.to_json().as_bytes(), Mode::Public)?;
    Ok(Inputs { folder: images, trust, anchor: anchor_pub, revocations: vec![rev], policy: Some(policy_path) })
}

/// The demo keys' seeds (demo only: a real issuer's key never lives in code).
const OFFICE: [u8; 32] = [2; 32];
const AUTHORITY: [u8; 32] = [3; 32];
