//! The native code's commands: keygen, issue, decode, scan and demo (`verify` is `crate::verify`).

use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use healthpass::fs::{Mode, holds_secret_key, write_atomic};
use healthpass::{Claims, CredentialId, Error, Issuer, Limits, SigningKey, UnverifiedCode, Verifier};
use healthpass_interop::nzcp;
use healthpass_interop::shc::{self, SHC_PREFIX};
use serde_json::json;

use crate::common::{Failure, KeyArg, load_signing_key, read_file, read_input, render};
use crate::inputs::{self, Item};
use crate::report::{self, Report};

/// Where `issue` puts the code besides its text.
#[derive(clap::Args)]
pub(crate) struct IssueOutput {
    /// Also write the QR code as PNG.
    #[arg(long)]
    png: Option<PathBuf>,
    /// Pixels a QR module in the PNG (1 to 40).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=40))]
    module_size: u32,
    /// Also write the QR code as SVG.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Also draw the QR code on the terminal (on standard error, black on white).
    #[arg(long)]
    terminal: bool,
    /// Print `{"text", "kid", "credential_id", "issued_at", "not_before", "expires_at"}` as
    /// JSON instead of the bare text.
    #[arg(long)]
    json: bool,
}

/// `issue`: claims JSON (a file, or `-`) to a signed code, printed and optionally rendered.
pub(crate) fn issue(
    claims: &str,
    key: &KeyArg,
    valid_hours: i64,
    output: &IssueOutput,
    log: &crate::log::IssueLogArgs,
) -> Result<(), Failure> {
    let json = if claims == "-" {
        read_input("-")?
    } else {
        String::from_utf8_lossy(&read_file(Path::new(claims))?).into_owned()
    };
    let claims = read_claims(&json, valid_hours)?;
    let text = match log.log {
        Some(_) => crate::log::issue(&claims, key, log)?,
        None => Issuer::new(load_signing_key(key)?).issue(&claims)?,
    };
    if output.json {
        let kid = UnverifiedCode::parse(&text, &Limits::DEFAULT)?.kid().ok().map(|k| k.to_string());
        let out = json!({
            "text": text,
            "kid": kid,
            "credential_id": claims.credential_id.to_string(),
            "issued_at": claims.issued_at,
            "not_before": claims.not_before,
            "expires_at": claims.expires_at,
        });
        println!("{out}");
    } else {
        println!("{text}");
    }
    crate::common::render_sized(
        &text,
        output.png.as_deref(),
        output.svg.as_deref(),
        output.terminal,
        output.module_size,
    )
}

/// `decode`: a code's claims as JSON, marked UNVERIFIED; the format picked by prefix: `HP1:`,
/// `HC1:` (its CWT and `hcert` payload), `NZCP:/1/` (its CWT), `shc:/` (its JWS header and
/// payload; a card split over several QR codes from all its chunks, as arguments or lines).
pub(crate) fn decode(codes: &[String]) -> Result<(), Failure> {
    let limits = Limits::DEFAULT;
    let mut texts = Vec::new();
    for code in codes {
        let input = read_input(code)?;
        texts.extend(input.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
    }
    let (text, rest) = match texts.as_slice() {
        [] => return Err(Failure::Usage("no code to decode".into())),
        [text, rest @ ..] => (text.as_str(), rest),
    };
    let format = crate::report::format_of(text);
    let one_card = format == Some("SHC") && texts.iter().all(|t| t.starts_with(SHC_PREFIX));
    if !rest.is_empty() && !one_card {
        return Err(Failure::Usage("decode takes one code, or every chunk shc:/C/N/… of one SMART Health Card".into()));
    }
    let out = match format {
        Some("HC1") => {
            let dcc = healthpass_interop::dcc::UnverifiedDcc::parse(text, &limits)?;
            let cwt = dcc.cwt_unverified(&limits)?;
            json!({
                "UNVERIFIED": true,
                "format": "HC1",
                "kid": dcc.kid().ok().map(|k| k.to_string()),
                "issuer": cwt.issuer,
                "issued_at": cwt.issued_at,
                "expires_at": cwt.expires_at,
                "hcert": cwt.hcert_json()?,
            })
        }
        Some("NZCP") => {
            let pass = nzcp::decode_unverified(text, &limits)?;
            json!({ "UNVERIFIED": true, "format": "NZCP", "kid": pass.kid, "cwt": pass.cwt })
        }
        Some("SHC") => {
            let card = shc::decode_unverified(&texts, &limits)?;
            json!({ "UNVERIFIED": true, "format": "SHC", "header": card.header, "payload": card.payload })
        }
        _ => {
            let code = UnverifiedCode::parse(text, &limits)?;
            let claims = code.claims_unverified(&limits)?;
            json!({ "UNVERIFIED": true, "format": "HP1", "kid": code.kid().ok().map(|k| k.to_string()), "claims": claims })
        }
    };
    eprintln!("{}", healthpass_i18n::text(crate::locale::lang(), "decode-unverified", &[]));
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    Ok(())
}

pub(crate) fn keygen(out: &Path, public: Option<PathBuf>, force: bool) -> Result<(), Failure> {
    let public = public.unwrap_or_else(|| {
        let mut name = out.as_os_str().to_owned();
        name.push(".pub");
        PathBuf::from(name)
    });
    if same_file(out, &public) {
        return Err(Failure::Usage(format!(
            "--public {} is the file of --out: the public key would replace the secret key; give another path",
            public.display()
        )));
    }
    for path in [out, public.as_path()] {
        if holds_secret_key(path)? {
            return Err(Error::SecretKeyExists { path: path.display().to_string() }.into());
        }
        if path.exists() && !force {
            return Err(Failure::Usage(format!("{} exists; use --force to replace it", path.display())));
        }
    }
    let key = SigningKey::generate()?;
    key.write_file(out)?;
    write_atomic(&public, key.public_key().to_pem()?.as_bytes(), Mode::Public)?;
    println!("secret key {} (mode 0600), public key {}, kid {}", out.display(), public.display(), key.kid());
    Ok(())
}

/// Whether two paths name the same file, existing or not: their folders resolved (symbolic
/// links and `..` included) and their names compared. Links to one file under two names are
/// caught when written: no write replaces a secret key (`healthpass::fs::write_atomic`).
fn same_file(a: &Path, b: &Path) -> bool {
    fn resolve(path: &Path) -> Option<PathBuf> {
        if let Ok(full) = path.canonicalize() {
            return Some(full);
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Some(dir.canonicalize().ok()?.join(path.file_name()?))
    }
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

/// Reads claims JSON, filling in what a backend would: a random credential id and the times.
fn read_claims(json: &str, valid_hours: i64) -> Result<Claims, Failure> {
    let mut value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Failure::Usage(format!("claims JSON: {e}")))?;
    let object = value.as_object_mut().ok_or_else(|| Failure::Usage("claims JSON must be an object".into()))?;
    let now = Utc::now();
    let expires_at = TimeDelta::try_hours(valid_hours).and_then(|d| now.checked_add_signed(d)).ok_or_else(|| {
        let why = Error::TimeOutOfRange(format!(
            "--valid-hours {valid_hours}: now plus {valid_hours} hours is past the last representable time"
        ));
        Failure::from(why)
    })?;
    let defaults = [
        ("credential_id", json!(CredentialId::random()?.to_string())),
        ("issued_at", json!(now)),
        ("not_before", json!(now)),
        ("expires_at", json!(expires_at)),
    ];
    for (field, default) in defaults {
        object.entry(field).or_insert(default);
    }
    serde_json::from_value(value).map_err(|e| Failure::Usage(format!("claims JSON: {e}")))
}

/// `scan`: the text of every QR code in each image (and each folder's images). With one image
/// each text is a line alone, ready for a pipe; with several, each line starts
/// `FILE:INDEX: ` as grep names its files. `--json`: one `{source, text}` (or `{source, error}`)
/// a line. The chunks of a split SMART Health Card print as one `shc:/` text, at the first
/// chunk's place. Exit 1 when an image holds no readable code or a card lacks a chunk, 2 when a
/// file cannot be read.
pub(crate) fn scan(images: &[PathBuf], json: bool) -> Result<(), Failure> {
    let files = inputs::expand(images)?;
    let named = files.len() > 1;
    let mut failed = 0;
    let mut items = Vec::new();
    for path in &files {
        items.extend(inputs::scan_file(path)?);
    }
    // A SMART Health Card's chunks, in one image or several, print as the one card they make.
    for item in crate::shc_chunks::reassemble(items) {
        let (source, outcome) = match item {
            Item::Text(source, text) => (source, Ok(text)),
            Item::Done(report) => {
                failed += 1;
                let finding = report.refusals.into_iter().next();
                (report.source, Err(finding.map(|f| (f.code, f.message)).unwrap_or(("no_code", String::new()))))
            }
        };
        let at = match source.index {
            Some(i) => format!("{}:{i}", source.input),
            None => source.input.clone(),
        };
        match (json, outcome) {
            (true, Ok(text)) => println!("{}", json!({ "source": source, "text": text })),
            (true, Err((code, message))) => {
                println!("{}", json!({ "source": source, "error": { "code": code, "message": message } }));
            }
            (false, Ok(text)) if named => println!("{at}: {text}"),
            (false, Ok(text)) => println!("{text}"),
            (false, Err((code, message))) => eprintln!("{at}: [{code}] {message}"),
        }
    }
    if failed > 0 {
        return Err(Failure::Refused(format!("{} without a readable code", report::count(failed, "image or code"))));
    }
    Ok(())
}

pub(crate) fn demo(png: &Path) -> Result<(), Failure> {
    let now = Utc::now();
    let key = SigningKey::demo();
    let claims = Claims::example(now);
    let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
    println!("Issued a {} code ({} characters) on the demo key, kid {}:", claims.colour, text.len(), key.kid());
    println!("{text}");
    render(&text, Some(png), None, true)?;
    println!("Wrote {}; scanning it back...", png.display());
    let verifier = Verifier::new([key.public_key()].into_iter().collect());
    let mut reports = Vec::new();
    for item in inputs::scan_file(png)? {
        reports.push(match item {
            Item::Text(source, text) => match verifier.verify(&text, now) {
                Ok(verified) => Report::from_verified(source, &text, &verified, Vec::new()),
                Err(e) => Report::error(source, &text, &e),
            },
            Item::Done(report) => report,
        });
    }
    report::print(&reports, false)
}
