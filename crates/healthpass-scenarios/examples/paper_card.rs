//! A printable card for someone without a phone: issue a code for an elderly man carried by his
//! daughter, render the A6 card as PNG and SVG, then scan the PNG back and verify it as a
//! checkpoint would.
//!
//! Run with `cargo run --example paper_card [OUT_DIR]` (default: the system's temporary folder).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::claims::{Relation, TestKind, TestOutcome, TestResult};
use healthpass::fs::{Mode, write_atomic};
use healthpass::{
    Claims, Colour, CredentialId, Holder, Issuer, KeySet, Limits, Reason, SigningKey, Subject, SubjectId, Verified,
    Verifier,
};
use healthpass_qr as qr;
use healthpass_scenarios::card::Card;
use healthpass_scenarios::wallet::Whose;

/// The card's claims: green on a negative test, the name printed, a holder named.
pub fn claims(now: DateTime<Utc>) -> Claims {
    let mut claims = Claims::example(now);
    claims.issuer = "HK-DH".into();
    claims.credential_id = CredentialId([0x42; 16]);
    claims.colour = Colour::Green;
    claims.reasons = vec![Reason::NegativeTest, Reason::Vaccinated];
    claims.subject =
        Subject { id: SubjectId([5; 16]), name: Some("Chan Tai Man".into()), birth_date: None, document: None };
    claims.holder = Some(Holder { relation: Relation::Child, name: Some("Chan Mei Ling".into()), id: None });
    claims.evidence.tests = vec![TestResult {
        kind: TestKind::Antigen,
        result: TestOutcome::Negative,
        sampled_at: claims.issued_at - TimeDelta::hours(6),
        facility: None,
    }];
    claims
}

/// Issues the code, writes `card.png` and `card.svg` into `dir`, scans the PNG back and
/// verifies what it read. Returns both paths and the verified claims.
pub fn run(dir: &Path, now: DateTime<Utc>) -> Result<(PathBuf, PathBuf, Verified<Claims>), healthpass::Error> {
    let key = SigningKey::demo();
    let claims = claims(now);
    let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
    let card = Card::new(&text, &claims)?;
    let (png, svg) = (dir.join("card.png"), dir.join("card.svg"));
    write_atomic(&png, &card.to_png()?, Mode::Public)?;
    write_atomic(&svg, card.to_svg().as_bytes(), Mode::Public)?;

    let bytes = healthpass::fs::read_bounded(&png, Limits::DEFAULT.max_image_bytes, "card")?;
    let scanned = qr::scan(&bytes, &Limits::DEFAULT)?.into_iter().next().ok_or(healthpass::Error::NoCode)??;
    let verifier = Verifier::new([key.public_key()].into_iter().collect::<KeySet>());
    let verified = verifier.verify(&scanned, now + TimeDelta::minutes(5))?;
    Ok((png, svg, verified))
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(std::env::temp_dir, PathBuf::from);
    match run(&dir, Utc::now()) {
        Ok((png, svg, verified)) => {
            println!("wrote {} and {} (A6, 1240 x 1748 px at 300 dpi)", png.display(), svg.display());
            println!(
                "scanned the printed PNG back: VALID {} code, {}",
                verified.colour.describe().to_uppercase(),
                Whose::of(&verified)
            );
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
