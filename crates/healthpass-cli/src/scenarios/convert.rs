//! `convert`: a checkpoint turns a foreign code (an EU DCC) or a native code of another region
//! into a native cross-border code. Argument handling and printing only; the work is the
//! library's (`scenarios::border`, `interop::dcc`, `verify`).

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::claims::{DeclarationCategory, SourceHash};
use healthpass::decide::{Checkpoint, Finding, Policy};
use healthpass::{Claims, CredentialId, Issuer, KeySet, Verified, Verifier};
use healthpass_i18n::Arg;
use healthpass_interop::ForeignKeys;
use healthpass_interop::dcc::{DCC_PREFIX, DccVerifier};
use healthpass_scenarios::border::Converter;

use crate::common::read_public_keys;
use crate::common::{Failure, KeyArg, certificate_der, load_signing_key, read_file, read_input};
use crate::report::{Report, Source};

/// The policy a source must meet when no `--policy` is given.
const DEFAULT_POLICY: &str =
    r#"{ "name": "7-day negative test", "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#;

/// `healthpass convert`.
#[derive(clap::Args)]
pub(crate) struct ConvertArgs {
    /// The source code: `HC1:...` (EU DCC) or `HP1:...` (another region's native code), or `-`
    /// for standard input.
    code: String,
    /// A DCC signer certificate (PEM, DER, or bare base64 as DCC test files hold it); repeatable.
    /// The trust for an `HC1:` source.
    #[arg(long)]
    dcc_cert: Vec<PathBuf>,
    /// Public keys (PEM) of the other region's issuers; repeatable. Trust for an `HP1:` source.
    #[arg(long, conflicts_with = "source_trust")]
    source_keys: Vec<PathBuf>,
    /// The other region's signed trust list (needs --source-anchor). Trust for an `HP1:` source:
    /// its key scopes, validity and issuer bindings apply.
    #[arg(long, requires = "source_anchor")]
    source_trust: Option<PathBuf>,
    /// The pinned anchor of --source-trust (SPKI PEM; repeatable).
    #[arg(long)]
    source_anchor: Vec<PathBuf>,
    /// The policy the source must meet (JSON, docs/POLICY.md). Default: green, with a negative
    /// test sampled in the last 7 days (`"negative_test_max_age_hours": 168`).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The issuer id of the converted code (the checkpoint's authority).
    #[arg(long)]
    issuer: String,
    /// The declaration category of the converted code.
    #[arg(long, default_value = "individual", value_parser = parse_category)]
    category: DeclarationCategory,
    /// The longest validity of the converted code, in hours (never beyond the source's).
    #[arg(long, default_value_t = 24)]
    valid_hours: u32,
    #[command(flatten)]
    key: KeyArg,
    /// Convert as of this time (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<DateTime<Utc>>,
    /// Allowed clock skew in seconds when verifying the source.
    #[arg(long, default_value_t = 300)]
    skew: i64,
    /// Also write the converted code's QR code as PNG.
    #[arg(long)]
    png: Option<PathBuf>,
    /// Print the verdict document about the source (docs/verdict.schema.json), with the
    /// converted code's text as `issued`, alone on standard output.
    #[arg(long)]
    json: bool,
}

fn parse_category(text: &str) -> Result<DeclarationCategory, String> {
    serde_json::from_value(serde_json::Value::String(text.into())).map_err(|e| e.to_string())
}

/// Why the source was refused: one finding, its code the error's and its message naming what.
fn refused(what: &str, err: &healthpass::Error) -> Vec<Finding> {
    vec![Finding::new(err.code(), format!("{what}: {err}"))]
}

/// The source was verified (its format and claims), or refused with these findings.
type Outcome = Result<(&'static str, Verified<Claims>), Vec<Finding>>;

/// Verifies the source: the format's name as FORMAT.md §6.4 records it, and the claims.
fn verify_source(args: &ConvertArgs, text: &str, now: DateTime<Utc>) -> Result<Outcome, Failure> {
    let skew = TimeDelta::try_seconds(args.skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
    let native_trust = !args.source_keys.is_empty() || args.source_trust.is_some();
    if text.starts_with(DCC_PREFIX) {
        if native_trust {
            return Err(Failure::Usage("--source-keys and --source-trust are for HP1: codes; use --dcc-cert".into()));
        }
        if args.dcc_cert.is_empty() {
            return Err(Failure::Usage("an HC1: code needs its signer certificate: --dcc-cert FILE".into()));
        }
        let mut keys = ForeignKeys::new();
        for path in &args.dcc_cert {
            keys.insert_x509_der(&certificate_der(path)?)?;
        }
        return Ok(match DccVerifier::new(keys).with_skew(skew).verify(text, now) {
            Ok(foreign) => Ok(("HC1", foreign.claims)),
            Err(err) => Err(refused("the DCC", &err)),
        });
    }
    if !text.starts_with("HP1:") {
        return Err(Failure::Usage("the source must be an HC1: (EU DCC) or HP1: code".into()));
    }
    if !args.dcc_cert.is_empty() {
        return Err(Failure::Usage("--dcc-cert is for HC1: codes; use --source-keys or --source-trust".into()));
    }
    let keys = match &args.source_trust {
        Some(list) => {
            let anchors = read_public_keys(&args.source_anchor)?;
            let mut checkpoint = Checkpoint::new(anchors, &read_file(list)?, Policy::permissive())?;
            let verdict = checkpoint.check(text, now);
            if !verdict.accepted() {
                let mut findings = verdict.refusals;
                for finding in &mut findings {
                    finding.message = format!("the source code: {}", finding.message);
                }
                return Ok(Err(findings));
            }
            checkpoint.trust_list().to_key_set(now)
        }
        None if !args.source_keys.is_empty() => {
            let mut keys = KeySet::new();
            for key in read_public_keys(&args.source_keys)? {
                keys.add(key);
            }
            keys
        }
        None => {
            return Err(Failure::Usage(
                "an HP1: code needs the other region's trust: --source-keys FILE or --source-trust LIST --source-anchor FILE"
                    .into(),
            ));
        }
    };
    Ok(match Verifier::new(keys).with_skew(skew).verify(text, now) {
        Ok(verified) => Ok(("HP1", verified)),
        Err(err) => Err(refused("the source code", &err)),
    })
}

/// Ends a refused conversion: the verdict document under `--json`, and exit 1 with every reason.
fn refuse(args: &ConvertArgs, source: &str, findings: Vec<Finding>) -> Result<(), Failure> {
    let lang = crate::locale::lang();
    let why: Vec<String> = findings.iter().map(|f| healthpass_i18n::verdict::refusal(lang, f)).collect();
    if args.json {
        println!("{}", Report::refused(input_source(args), source, findings).to_json_line());
    }
    Err(Failure::Refused(healthpass_i18n::text(lang, "verify-refused", &[("why", Arg::from(why.join("; ")))])))
}

fn input_source(args: &ConvertArgs) -> Source {
    if args.code == "-" { Source::at("-", None) } else { Source::argument() }
}

pub(crate) fn run(args: &ConvertArgs) -> Result<(), Failure> {
    let policy = match &args.policy {
        Some(path) => Policy::read_file(path)?,
        None => Policy::from_json(DEFAULT_POLICY)?,
    };
    let signing = load_signing_key(&args.key)?;
    let source = read_input(&args.code)?;
    let source = source.trim();
    let now = args.at.unwrap_or_else(Utc::now);
    let (format, verified) = match verify_source(args, source, now)? {
        Ok(verified) => verified,
        Err(findings) => return refuse(args, source, findings),
    };
    let converter =
        Converter { issuer: args.issuer.clone(), policy, category: args.category, valid_hours: args.valid_hours };
    let claims = match converter.convert(source, format, &verified, CredentialId::random()?, now) {
        Ok(claims) => claims,
        Err(err) if err.code() == "scenario" => {
            return refuse(args, source, vec![Finding::new("policy_not_met", err.to_string())]);
        }
        Err(err) => return Err(Failure::from(err)),
    };
    let code = Issuer::new(signing).issue(&claims)?;
    let lang = crate::locale::lang();
    let said = [
        ("format", Arg::from(format)),
        ("source", Arg::from(verified.issuer.as_str())),
        ("hash", Arg::from(SourceHash::of(source).to_string())),
        ("colour", Arg::from(healthpass_i18n::words::colour_loud(lang, claims.colour))),
        ("issuer", Arg::from(claims.issuer.as_str())),
        ("until", Arg::from(crate::locale::time(claims.expires_at))),
    ];
    eprintln!("{}", healthpass_i18n::text(lang, "convert-done", &said));
    if args.json {
        let mut report = Report::from_verified(input_source(args), source, &verified, Vec::new());
        report.issued = Some(code.clone());
        println!("{}", report.to_json_line());
    } else {
        println!("{code}");
    }
    crate::common::render(&code, args.png.as_deref(), None, false)
}
