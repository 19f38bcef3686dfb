//! Venue codes: the health authority signs a library's entrance poster with its acceptance
//! policy; a scanner verifies the poster (a fake one is refused) and then each visitor against
//! the library's policy; the visitor's app records the check-in locally only.
//!
//! Run with `cargo run --example venue_checkin [CHECKIN_FILE]` (default: `checkins.json` in the
//! system's temporary folder: an example never writes into the current directory unless told to).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::decide::Policy;
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, CredentialId, Issuer, Limits, Reason, SigningKey};
use healthpass_scenarios::venue::{CheckIns, Venue, VenueScanner};

/// What happened at the door.
pub struct Door {
    /// The verified venue.
    pub venue: Venue,
    /// Why a fake poster (signed by an unknown key) was refused.
    pub fake_poster: String,
    /// Why a poster signed by the personal-code key was refused (the key is out of scope).
    pub misused_key: String,
    /// Each visitor: label, accepted, refusal codes.
    pub visitors: Vec<(String, bool, Vec<&'static str>)>,
    /// The visitor's local check-ins after entering.
    pub checkins: CheckIns,
}

/// Runs the door at `now`, keeping the visitor's check-ins in `checkins`.
pub fn run(checkins: &Path, now: DateTime<Utc>) -> healthpass::Result<Door> {
    let anchor = SigningKey::from_seed(&[1; 32]);
    let venue_key = SigningKey::from_seed(&[3; 32]);
    let health_key = SigningKey::demo();
    let mut list = TrustList::new(1, now - TimeDelta::days(1), now + TimeDelta::days(7));
    let mut venues = TrustEntry::ed25519(
        &venue_key.public_key(),
        "CN-GD-VENUES",
        "CN-GD",
        now - TimeDelta::days(30),
        TimeDelta::days(365),
    );
    venues.scope = Scope { kinds: Some(vec![KindName::Venue]), ..Scope::default() };
    let mut health = TrustEntry::ed25519(
        &health_key.public_key(),
        "CN-GD",
        "CN-GD",
        now - TimeDelta::days(30),
        TimeDelta::days(365),
    );
    health.scope = Scope { kinds: Some(vec![KindName::Personal]), ..Scope::default() };
    list.entries.extend([venues, health]);
    let signed = list.sign(&anchor, &Limits::DEFAULT)?;

    let policy =
        Policy::from_json(r#"{ "name": "library", "accept_colours": ["green"], "negative_test_max_age_hours": 72 }"#)?;
    let library = Venue {
        venue_id: "GZ-TH-LIB-01".into(),
        name: Some("Tianhe Library".into()),
        region: Some("CN-GD".into()),
        issuer: "CN-GD-VENUES".into(),
        policy,
    };
    let poster = Issuer::new(venue_key).issue(&library.claims("registrar-7", CredentialId([1; 16]), now, 365)?)?;

    let mut scanner = VenueScanner::new(vec![anchor.public_key()], &signed)?;
    let lax = Venue { policy: Policy::permissive(), ..library.clone() };
    let fake = Issuer::new(SigningKey::from_seed(&[66; 32])).issue(&lax.claims(
        "nobody",
        CredentialId([2; 16]),
        now,
        365,
    )?)?;
    let fake_poster = scanner.enter_venue(&fake, now).err().map(|e| e.to_string()).unwrap_or_default();
    let misuse = Venue { issuer: "CN-GD".into(), ..lax };
    let misused =
        Issuer::new(SigningKey::demo()).issue(&misuse.claims("nobody", CredentialId([3; 16]), now, 365)?)?;
    let misused_key = scanner.enter_venue(&misused, now).err().map(|e| e.to_string()).unwrap_or_default();
    let venue = scanner.enter_venue(&poster, now)?;

    let health = Issuer::new(health_key);
    let fresh = Claims::example(now - TimeDelta::hours(2)); // green, negative test 26 hours old
    let mut stale = Claims::example(now - TimeDelta::hours(2));
    stale.evidence.tests[0].sampled_at = now - TimeDelta::days(5);
    let mut yellow = Claims::example(now - TimeDelta::hours(2));
    yellow.colour = Colour::Yellow;
    yellow.reasons = vec![Reason::RiskAreaVisit];
    let mut visitors = Vec::new();
    for (label, claims) in [("fresh test", &fresh), ("5-day-old test", &stale), ("yellow code", &yellow)] {
        let verdict = scanner.check_visitor(&venue, &health.issue(claims)?, now);
        visitors.push((label.to_string(), verdict.accepted(), verdict.refusal_codes()));
    }

    // The visitor's own app: it verified the same poster, and records the visit on the phone.
    let mut log = CheckIns::read(checkins)?;
    log.record(&venue, now, 28);
    log.write(checkins)?;
    Ok(Door { venue, fake_poster, misused_key, visitors, checkins: CheckIns::read(checkins)? })
}

fn main() {
    let path = std::env::args().nth(1).map_or_else(|| std::env::temp_dir().join("checkins.json"), PathBuf::from);
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default();
    match run(&path, now) {
        Ok(door) => {
            println!("fake poster: {}", door.fake_poster);
            println!("poster signed with a personal-code key: {}", door.misused_key);
            println!("entered {} ({})", door.venue.name.as_deref().unwrap_or("?"), door.venue.venue_id);
            for (label, accepted, codes) in &door.visitors {
                println!(
                    "  {label}: {}",
                    if *accepted { "ACCEPTED".to_string() } else { format!("REFUSED ({})", codes.join(", ")) }
                );
            }
            println!("check-ins kept on this device only, in {}: {}", path.display(), door.checkins.entries.len());
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
