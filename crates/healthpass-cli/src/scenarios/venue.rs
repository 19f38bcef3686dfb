//! `venue issue` and `venue check`: a venue's entrance code, and a scan at its door that
//! verifies the venue first, then the visitor against the venue's policy, and keeps the
//! holder's check-in record locally. Argument handling and printing only.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use healthpass::CredentialId;
use healthpass::Issuer;
use healthpass::decide::{Finding, Policy};
use healthpass_i18n::{Arg, text};
use healthpass_scenarios::venue::{CheckIns, Venue, VenueScanner};

use crate::common::read_public_keys;
use crate::common::{Failure, KeyArg, load_signing_key, read_file, read_input};
use crate::report::{Report, Source};

/// Venue commands.
#[derive(Subcommand)]
pub(crate) enum VenueCommand {
    /// Issue a venue's entrance code (kind venue, carrying the policy it applies) to print as a
    /// poster. Sign with the venue authority's key, which the trust list scopes to venue codes.
    Issue {
        /// The venue id (a place code).
        #[arg(long)]
        id: String,
        /// The venue's name.
        #[arg(long)]
        name: Option<String>,
        /// The venue's region (ISO 3166-2).
        #[arg(long)]
        region: Option<String>,
        /// The acceptance policy visitors' codes must meet (JSON, docs/POLICY.md).
        #[arg(long)]
        policy: PathBuf,
        /// The venue authority's issuer id (its trust-list entry's `issuer`).
        #[arg(long)]
        issuer: String,
        /// The id of the officer who registered the venue.
        #[arg(long)]
        officer: String,
        /// Days the venue code stays valid.
        #[arg(long, default_value_t = 365)]
        valid_days: u32,
        #[command(flatten)]
        key: KeyArg,
        /// Issue as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Also write the poster as PNG: the venue's name and region above the QR code, its id
        /// and validity under it (A4 at 150 dpi).
        #[arg(long)]
        png: Option<PathBuf>,
        /// Also write the bare QR code as SVG.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Also draw the poster on the terminal (standard error): the name and region, the QR
        /// code, the id and validity.
        #[arg(long)]
        terminal: bool,
    },
    /// Verify a venue's code, then a person's code against that venue's policy; exit 0 if the
    /// person may enter, 1 if the venue or the person is refused. With --checkins, an entry is
    /// recorded in the holder's local file (written atomically, mode 0600; nothing is sent).
    Check {
        /// The venue's code (from its poster).
        venue_code: String,
        /// The person's code, or `-` for standard input.
        person_code: String,
        /// The signed trust list (its scopes keep venue keys to venue codes).
        #[arg(long)]
        trust: PathBuf,
        /// The pinned trust anchor's public key (SPKI PEM; repeatable).
        #[arg(long, required = true)]
        anchor: Vec<PathBuf>,
        /// Check as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// The holder's check-in file; the entry is recorded only when the person is accepted.
        #[arg(long)]
        checkins: Option<PathBuf>,
        /// Forget check-ins older than this many days when recording.
        #[arg(long, default_value_t = 28)]
        keep_days: u32,
        /// Print the verdict document (docs/verdict.schema.json) alone on standard output.
        #[arg(long)]
        json: bool,
    },
}

/// The venue as its lines name it: `Name (id, region)`, the name in the reader's language when
/// the code has none.
fn place(venue: &Venue) -> String {
    let name = venue.name.clone().unwrap_or_else(|| text(crate::locale::lang(), "venue-no-name", &[]));
    let region = venue.region.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
    format!("{name} ({}{region})", venue.venue_id)
}

pub(crate) fn run(command: VenueCommand) -> Result<(), Failure> {
    match command {
        VenueCommand::Issue { id, name, region, policy, issuer, officer, valid_days, key, at, png, svg, terminal } => {
            let signing = load_signing_key(&key)?;
            let venue = Venue { venue_id: id, name, region, issuer, policy: Policy::read_file(&policy)? };
            let claims = venue.claims(&officer, CredentialId::random()?, at.unwrap_or_else(Utc::now), valid_days)?;
            let code = Issuer::new(signing).issue(&claims)?;
            let lang = crate::locale::lang();
            let args =
                [("venue", Arg::from(place(&venue))), ("until", Arg::from(crate::locale::time(claims.expires_at)))];
            eprintln!("{}", text(lang, "venue-issued", &args));
            println!("{code}");
            crate::common::render(&code, None, svg.as_deref(), false)?;
            crate::venue_poster::write(&code, &venue, claims.expires_at, png.as_deref(), terminal)
        }
        VenueCommand::Check { venue_code, person_code, trust, anchor, at, checkins, keep_days, json } => {
            let now = at.unwrap_or_else(Utc::now);
            // Under --json standard output holds only the verdict; the human lines go to stderr.
            let say = |line: String| if json { eprintln!("{line}") } else { println!("{line}") };
            let mut scanner = VenueScanner::new(read_public_keys(&anchor)?, &read_file(&trust)?)?;
            let venue_text = venue_code.trim();
            let venue = match scanner.enter_venue(venue_text, now) {
                Ok(venue) => venue,
                Err(e) if e.code() == "scenario" => {
                    let source = Source::argument().labelled("venue");
                    let report =
                        Report::refused(source, venue_text, vec![Finding::new("venue_refused", e.to_string())]);
                    return crate::report::print(&[report], json);
                }
                Err(e) => return Err(Failure::from(e)),
            };
            let lang = crate::locale::lang();
            let verified = match venue.policy.name.as_deref() {
                Some(policy) => {
                    let args = [("venue", Arg::from(place(&venue))), ("policy", Arg::from(format!("{policy:?}")))];
                    text(lang, "venue-verified-policy", &args)
                }
                None => text(lang, "venue-verified", &[("venue", Arg::from(place(&venue)))]),
            };
            say(verified);
            let source = if person_code == "-" { Source::at("-", None) } else { Source::argument() };
            let person = read_input(&person_code)?;
            let verdict = scanner.check_visitor(&venue, person.trim(), now);
            let report = Report::from_verdict(source.labelled("person"), person.trim(), &verdict);
            crate::report::print(&[report], json)?;
            if let Some(path) = &checkins {
                let mut record = CheckIns::read(path)?;
                record.record(&venue, now, keep_days);
                record.write(path)?;
                let args =
                    [("file", Arg::from(path.display().to_string())), ("count", Arg::from(record.entries.len()))];
                say(text(lang, "venue-checkin", &args));
            }
            Ok(())
        }
    }
}
