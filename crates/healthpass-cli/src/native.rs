//! The native code's commands: keygen, issue, decode, verify (with keys), scan and demo.

use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use healthpass::fs::{Mode, holds_secret_key, write_atomic};
use healthpass::{Claims, CredentialId, Error, Issuer, Limits, SigningKey, UnverifiedCode, Verifier};
use healthpass_i18n::{Arg, words};
use healthpass_qr as qr;
use healthpass_qr::VerifyImage;
use serde_json::json;

use crate::common::{Failure, KeyArg, TrustArgs, load_keys, load_signing_key, read_file, read_input, render};

/// `issue`: claims JSON (a file, or `-`) to a signed code, printed and optionally rendered.
pub(crate) fn issue(
    claims: &str,
    key: &KeyArg,
    valid_hours: i64,
    png: Option<&Path>,
    svg: Option<&Path>,
    terminal: bool,
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
    println!("{text}");
    render(&text, png, svg, terminal)
}

/// `decode`: a code's claims as JSON, marked UNVERIFIED.
pub(crate) fn decode(code: &str) -> Result<(), Failure> {
    let code = UnverifiedCode::parse(read_input(code)?.trim(), &Limits::DEFAULT)?;
    let claims = code.claims_unverified(&Limits::DEFAULT)?;
    eprintln!("UNVERIFIED: the signature and validity of this code have NOT been checked");
    let out = json!({ "UNVERIFIED": true, "kid": code.kid().ok().map(|k| k.to_string()), "claims": claims });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    Ok(())
}

/// `verify` with trusted keys (no trust list): a code's text or every code in an image.
pub(crate) fn verify(
    code: Option<String>,
    image: Option<&Path>,
    trust: &TrustArgs,
    skew: i64,
    json: bool,
) -> Result<(), Failure> {
    let skew = TimeDelta::try_seconds(skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
    let verifier = Verifier::new(load_keys(&trust.keys, trust.demo_key)?).with_skew(skew);
    let now = trust.at.unwrap_or_else(Utc::now);
    let results = match (image, code) {
        (Some(path), _) => verifier.verify_image(&read_file(path)?, now)?,
        (None, Some(code)) => vec![verifier.verify(read_input(&code)?.trim(), now)],
        (None, None) => return Err(Failure::Usage("give a code or --image".into())),
    };
    report(&results, json)
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

fn report(results: &[healthpass::Result<healthpass::Verified<Claims>>], json: bool) -> Result<(), Failure> {
    let refused = results.iter().filter(|r| r.is_err()).count();
    if json {
        let out: Vec<_> = results
            .iter()
            .map(|r| match r {
                Ok(v) => json!({ "valid": true, "kid": v.kid().to_string(), "claims": &**v }),
                Err(e) => json!({ "valid": false, "error": e.code(), "message": e.to_string() }),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for result in results {
            match result {
                Ok(v) => println!("{}", describe(v)),
                Err(e) => {
                    let why = Arg::from(crate::locale::refusal(e));
                    println!("{}", healthpass_i18n::text(crate::locale::lang(), "verify-refused", &[("why", why)]));
                }
            }
        }
    }
    if refused > 0 { Err(Failure::Refused(format!("{refused} of {} code(s) refused", results.len()))) } else { Ok(()) }
}

/// The line of a valid code, in the reader's language and zone.
fn describe(claims: &Claims) -> String {
    let lang = crate::locale::lang();
    let args = [
        ("colour", Arg::from(words::colour_loud(lang, claims.colour))),
        ("issuer", Arg::from(claims.issuer.as_str())),
        ("until", Arg::from(crate::locale::time(claims.expires_at))),
        ("reasons", Arg::from(words::reasons(lang, &claims.reasons))),
    ];
    healthpass_i18n::text(lang, "verify-valid", &args)
}

pub(crate) fn scan(images: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = false;
    for path in images {
        match qr::scan(&read_file(path)?, &Limits::DEFAULT) {
            Ok(codes) => {
                for code in codes {
                    match code {
                        Ok(text) => println!("{text}"),
                        Err(e) => {
                            failed = true;
                            eprintln!("{}: {e}", path.display());
                        }
                    }
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{}: {e}", path.display());
            }
        }
    }
    if failed { Err(Failure::Refused("some images held no readable code".into())) } else { Ok(()) }
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
    let results = verifier.verify_image(&read_file(png)?, now)?;
    report(&results, false)
}
