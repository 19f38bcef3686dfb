//! `verify`: every input (a code, lines of standard input, images, folders of images), every
//! format by its prefix (`HP1:`, `HC1:`, `NZCP:/1/`, `shc:/`), with keys or a signed trust list,
//! and an optional policy; one verdict document per code (`crate::report`).

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::decide::{Checkpoint, Finding, Policy};
use healthpass::{Claims, Colour, Verified, Verifier};
use healthpass_interop::ForeignVerifier;
use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier};
use healthpass_interop::shc::{ShcIssuer, ShcVerifier};

use crate::common::{Failure, TrustArgs, load_keys, read_file};
use crate::inputs::{self, Item};
use crate::report::{self, Report, Source};
use crate::rules::{self, DccArgs};
use crate::trust::{self, CheckpointArgs};

/// The trust inputs of the foreign formats other than the EU DCC (`--dcc-cert`).
#[derive(clap::Args, Default)]
pub(crate) struct ForeignArgs {
    /// NZ COVID Pass issuers' DID documents (the JSON published at their did:web; repeatable).
    #[arg(long)]
    pub(crate) did: Vec<PathBuf>,
    /// A SMART Health Cards issuer's keys (its `.well-known/jwks.json`); with --shc-issuer.
    #[arg(long, requires = "shc_issuer")]
    pub(crate) jwks: Option<PathBuf>,
    /// The SMART Health Cards issuer (its `iss` URL) whose keys --jwks holds.
    #[arg(long, requires = "jwks")]
    pub(crate) shc_issuer: Option<String>,
    /// That issuer's revocation lists (`.well-known/crl/<kid>.json`; repeatable).
    #[arg(long, requires = "jwks")]
    pub(crate) crl: Vec<PathBuf>,
}

/// Everything `verify` takes.
#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The code text, or `-` for standard input (one code a line; omit with --image). Several
    /// texts are several codes, except the chunks `shc:/C/N/…` of one SMART Health Card, which
    /// are joined into one.
    #[arg(required_unless_present = "image")]
    codes: Vec<String>,
    /// Verify every code in these images (PNG, JPEG) or folders of images instead (repeatable);
    /// a SMART Health Card's chunks, in one image or several, are joined into one card.
    #[arg(long = "image", conflicts_with = "codes")]
    image: Vec<PathBuf>,
    #[command(flatten)]
    trust: TrustArgs,
    /// Allowed clock skew in seconds.
    #[arg(long, default_value_t = 300)]
    skew: i64,
    /// Print one verdict document (docs/verdict.schema.json) a line, and nothing else, on
    /// standard output.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    checkpoint: CheckpointArgs,
    #[command(flatten)]
    dcc: DccArgs,
    #[command(flatten)]
    foreign: ForeignArgs,
}

/// How native (`HP1:`) codes are decided.
enum Native {
    /// Trusted keys, and the policy if one was given.
    Keys(Box<(Verifier, Option<Policy>)>),
    /// A signed trust list, its revocation lists and policy.
    Checkpoint(Box<Checkpoint>),
    /// No native trust was given: a native code is a usage error.
    None,
}

struct Decider<'a> {
    args: &'a VerifyArgs,
    native: Native,
    foreign: ForeignVerifier,
    policy: Option<Policy>,
    now: DateTime<Utc>,
    /// `--csca` with the `--dcc-cert` certificates, for the CSCA chain check of `HC1:` codes.
    cscas: Option<(healthpass_interop::dcc_csca::CscaStore, Vec<Vec<u8>>)>,
    /// `--dcc-revocation`: the DCC revocation lists.
    dcc_revocation: Option<healthpass_interop::dcc_revocation::RevocationStore>,
    /// The business rules the policy names (`rules`), for codes not decided by a checkpoint.
    policy_rules: Option<std::sync::Arc<healthpass_interop::policy_rules::PolicyRuleCheck>>,
}

/// A finding that says what was not decided: no policy was given and the code is not green.
fn no_policy(colour: Colour) -> Option<Finding> {
    (colour != Colour::Green).then(|| {
        Finding::new(
            "no_policy",
            format!(
                "accepted as authentic whatever its colour ({}): give --policy FILE or --green-only to refuse codes that are not green",
                colour.describe()
            ),
        )
    })
}

impl Decider<'_> {
    fn decide(&mut self, source: Source, text: &str) -> Result<Report, Failure> {
        match report::format_of(text) {
            Some("HC1") | Some("NZCP") | Some("SHC") => self.foreign(source, text),
            _ => self.native(source, text),
        }
    }

    fn native(&mut self, source: Source, text: &str) -> Result<Report, Failure> {
        match &mut self.native {
            Native::Checkpoint(checkpoint) => Ok(Report::from_verdict(source, text, &checkpoint.check(text, self.now))),
            Native::Keys(keys) => Ok(match keys.0.verify(text, self.now) {
                Ok(verified) => {
                    let mut report = with_policy(source, text, &verified, keys.1.as_ref(), self.now);
                    apply_policy_rules(self.policy_rules.as_deref(), &mut report, &verified, self.now);
                    report
                }
                Err(e) => Report::error(source, text, &e),
            }),
            Native::None => Err(Failure::Usage(
                "no trusted keys: give --keys FILE, --demo-key, or --trust LIST --anchor FILE".into(),
            )),
        }
    }

    fn foreign(&mut self, source: Source, text: &str) -> Result<Report, Failure> {
        let missing = match report::format_of(text) {
            Some("HC1") if self.foreign.dcc.is_none() => {
                Some("an HC1: code needs its signer certificate: --dcc-cert FILE")
            }
            Some("NZCP") if self.foreign.nzcp.is_none() => {
                Some("an NZCP:/ code needs its issuer's DID document: --did FILE")
            }
            Some("SHC") if self.foreign.shc.is_none() => {
                Some("an shc:/ code needs its issuer's keys: --jwks FILE --shc-issuer URL")
            }
            _ => None,
        };
        if let Some(why) = missing {
            return Err(Failure::Usage(why.into()));
        }
        let verified = match self.foreign.verify(text, self.now) {
            Ok(code) => code.claims,
            Err(e) => return Ok(Report::error(source, text, &e)),
        };
        let mut report = with_policy(source, text, &verified, self.policy.as_ref(), self.now);
        match (&self.policy_rules, report::format_of(text)) {
            (Some(check), Some("HC1")) => {
                report.refuse_if(crate::policy_rules::dcc(text, &verified.issuer, check, self.now)?)
            }
            _ => apply_policy_rules(self.policy_rules.as_deref(), &mut report, &verified, self.now),
        }
        if let (Some("HC1"), Some(dir), Some(arrival)) =
            (report::format_of(text), &self.args.dcc.rules, &self.args.dcc.arrival)
        {
            if let Some(finding) = rules::apply_rules(text, dir, arrival, &self.args.dcc, self.now, self.args.json)? {
                report.refuse(finding);
            }
        }
        if report::format_of(text) == Some("HC1") {
            if let Some((store, dsc_ders)) = &self.cscas {
                report.refuse_if(crate::dcc_csca::check(text, dsc_ders, store)?);
            }
            if let Some(store) = &self.dcc_revocation {
                report.refuse_if(crate::dcc_revocation::check(text, store)?);
            }
        }
        Ok(report)
    }
}

/// The policy's business rules on verified claims through the native mapping (native codes
/// under --keys, NZCP and SHC codes; a checkpoint applies them itself).
fn apply_policy_rules(
    rules: Option<&healthpass_interop::policy_rules::PolicyRuleCheck>,
    report: &mut Report,
    verified: &Verified<Claims>,
    now: DateTime<Utc>,
) {
    use healthpass::decide::ClaimsCheck;
    for finding in rules.map(|check| check.check(verified, now)).unwrap_or_default() {
        report.refuse(finding);
    }
}

/// A verified code's verdict under a policy, or (without one) accepted with its colour said.
fn with_policy(
    source: Source,
    text: &str,
    verified: &Verified<Claims>,
    policy: Option<&Policy>,
    now: DateTime<Utc>,
) -> Report {
    match policy {
        Some(policy) => Report::from_verified(source, text, verified, policy.evaluate(verified, now)),
        None => {
            let mut report = Report::from_verified(source, text, verified, Vec::new());
            report.warnings.extend(no_policy(verified.colour));
            report
        }
    }
}

fn foreign_verifier(args: &VerifyArgs, skew: TimeDelta) -> Result<ForeignVerifier, Failure> {
    let mut foreign = ForeignVerifier::default();
    if !args.dcc.dcc_cert.is_empty() {
        foreign.dcc = Some(rules::dcc_verifier(&args.dcc, skew)?);
    }
    if !args.foreign.did.is_empty() {
        let mut issuers = Vec::new();
        for path in &args.foreign.did {
            issuers.push(NzcpIssuer::from_did_document(&read_json(path)?).map_err(|e| named(path, &e))?);
        }
        foreign.nzcp = Some(NzcpVerifier::new(issuers).with_skew(skew));
    }
    if let (Some(path), Some(url)) = (&args.foreign.jwks, &args.foreign.shc_issuer) {
        let mut issuer = ShcIssuer::from_jwks(url, &read_json(path)?).map_err(|e| named(path, &e))?;
        for crl in &args.foreign.crl {
            issuer.add_crl(&read_json(crl)?).map_err(|e| named(crl, &e))?;
        }
        foreign.shc = Some(ShcVerifier::new([issuer]).with_skew(skew));
    }
    Ok(foreign)
}

fn named(path: &std::path::Path, err: &healthpass::Error) -> Failure {
    Failure::Usage(format!("{}: {err}", path.display()))
}

fn read_json(path: &std::path::Path) -> Result<serde_json::Value, Failure> {
    serde_json::from_slice(&read_file(path)?).map_err(|e| Failure::Usage(format!("{}: JSON: {e}", path.display())))
}

/// `verify`: decides every code given and prints one verdict each; exit 0 when every code was
/// accepted, 1 when any was refused or an image held none, 2 for usage and I/O errors.
pub(crate) fn run(args: &VerifyArgs) -> Result<(), Failure> {
    let skew = TimeDelta::try_seconds(args.skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
    let now = args.trust.at.unwrap_or_else(Utc::now);
    let policy = args.checkpoint.policy()?;
    let policy_rules = crate::policy_rules::load(policy.as_ref(), args.checkpoint.policy.as_deref())?;
    let native = if args.checkpoint.is_set() {
        let policy = policy.clone().unwrap_or_else(Policy::permissive);
        let mut checkpoint = trust::open_checkpoint(&args.checkpoint, policy, now, skew)?;
        if let Some(check) = &policy_rules {
            checkpoint.set_claims_check(check.clone());
        }
        Native::Checkpoint(Box::new(checkpoint))
    } else if !args.trust.keys.is_empty() || args.trust.demo_key {
        let verifier = Verifier::new(load_keys(&args.trust.keys, args.trust.demo_key)?).with_skew(skew);
        Native::Keys(Box::new((verifier, policy.clone())))
    } else {
        Native::None
    };
    let foreign = foreign_verifier(args, skew)?;
    let items = match (args.codes.is_empty(), args.image.is_empty()) {
        (false, true) => inputs::code_arguments(&args.codes)?,
        (true, false) => inputs::scan_all(&args.image)?,
        _ => return Err(Failure::Usage("give a code (or `-`) or --image FILE|FOLDER".into())),
    };
    let items = crate::shc_chunks::reassemble(items);
    // --csca, else the policy's `dcc_csca` (relative to the policy file).
    let policy_csca = policy.as_ref().and_then(|p| p.dcc_csca.as_ref()).map(|bundle| {
        let base = args.checkpoint.policy.as_deref().and_then(std::path::Path::parent);
        base.map_or_else(|| PathBuf::from(bundle), |base| base.join(bundle))
    });
    let cscas = match args.dcc.csca.as_ref().or(policy_csca.as_ref()) {
        Some(path) => Some((crate::dcc_csca::load(path)?, rules::dsc_ders(&args.dcc)?)),
        None => None,
    };
    let dcc_revocation = match args.dcc.dcc_revocation.as_deref() {
        Some(path) => {
            let mut check = healthpass_interop::dcc_revocation::BatchCheck::new(now);
            for der in rules::dsc_ders(&args.dcc)? {
                check = check.with_dsc_der(&der)?;
            }
            Some(crate::dcc_revocation::load(path, &check)?)
        }
        None => None,
    };
    let mut decider = Decider { args, native, foreign, policy, now, cscas, dcc_revocation, policy_rules };
    let mut reports = Vec::with_capacity(items.len());
    for item in items {
        reports.push(match item {
            Item::Text(source, text) => decider.decide(source, &text)?,
            Item::Done(report) => report,
        });
    }
    if let Native::Checkpoint(checkpoint) = &decider.native {
        trust::save_state(&args.checkpoint, checkpoint)?;
    }
    report::print(&reports, args.json)
}
