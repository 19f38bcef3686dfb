//! What every command shares: trusted-key and signing-key arguments, the failure that ends a
//! command (and its exit code), and bounded reading of inputs, files and keys.

use std::io::Read;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use healthpass::fs::{Mode, write_atomic};
use healthpass::keys::secret_file_is_exposed;
use healthpass::{Error, KeySet, Limits, PublicKey, SigningKey};
use healthpass_qr::Qr;

/// Optional trusted keys and a time.
#[derive(clap::Args)]
pub(crate) struct TrustArgs {
    /// PEM files of trusted public keys (repeatable).
    #[arg(long)]
    pub(crate) keys: Vec<PathBuf>,
    /// Trust the built-in demo key.
    #[arg(long)]
    pub(crate) demo_key: bool,
    /// As of this time (RFC 3339) instead of now.
    #[arg(long)]
    pub(crate) at: Option<DateTime<Utc>>,
}

#[derive(clap::Args)]
pub(crate) struct KeyArg {
    /// The issuer's secret key file (PKCS#8 PEM).
    #[arg(long, required_unless_present = "demo_key")]
    pub(crate) key: Option<PathBuf>,
    /// Sign with the built-in demo key (never for real codes).
    #[arg(long)]
    pub(crate) demo_key: bool,
}

/// What ends a command: a refusal (exit 1) or a usage/I-O failure (exit 2).
pub(crate) enum Failure {
    Refused(String),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Usage(err.to_string())
    }
}

pub(crate) fn load_signing_key(arg: &KeyArg) -> Result<SigningKey, Failure> {
    match &arg.key {
        Some(path) => read_secret_key(path),
        None => Ok(SigningKey::demo()),
    }
}

/// Reads a secret key file: a public key given where the secret belongs is said first, then a
/// file others can read is warned about; every error names the file.
pub(crate) fn read_secret_key(path: &Path) -> Result<SigningKey, Failure> {
    let named = |e: Error| Failure::Usage(format!("{}: {e}", path.display()));
    let head = healthpass::fs::read_bounded(path, 64 * 1024, "key file").map_err(named)?;
    let text = String::from_utf8_lossy(&head);
    if text.contains("-----BEGIN PUBLIC KEY-----") && !text.contains("PRIVATE KEY-----") {
        return Err(Failure::Usage(format!(
            "{}: holds a PUBLIC key, where the SECRET key belongs (keygen writes it to --out; the .pub file is its public key)",
            path.display()
        )));
    }
    if secret_file_is_exposed(path).map_err(named)? {
        eprintln!("warning: {} can be read by other users; run chmod 600 on it", path.display());
    }
    SigningKey::read_file(path).map_err(named)
}

pub(crate) fn load_keys(paths: &[PathBuf], demo: bool) -> Result<KeySet, Failure> {
    let mut keys = KeySet::new();
    for key in read_public_keys(paths)? {
        keys.add(key);
    }
    if demo {
        keys.add(SigningKey::demo().public_key());
    }
    if keys.is_empty() {
        return Err(Failure::Usage("no trusted keys: give --keys FILE or --demo-key".into()));
    }
    Ok(keys)
}

pub(crate) fn read_input(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut input = String::new();
    std::io::stdin()
        .take(1 << 20)
        .read_to_string(&mut input)
        .map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    Ok(input)
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    Ok(healthpass::fs::read_bounded(path, Limits::DEFAULT.max_image_bytes, "input file")?)
}

/// Every public key in each PEM file, in order; errors name the file.
pub(crate) fn read_public_keys(paths: &[PathBuf]) -> Result<Vec<PublicKey>, Failure> {
    let mut keys = Vec::new();
    for path in paths {
        keys.extend(PublicKey::read_file(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?);
    }
    Ok(keys)
}

pub(crate) fn render(text: &str, png: Option<&Path>, svg: Option<&Path>, terminal: bool) -> Result<(), Failure> {
    render_sized(text, png, svg, terminal, 6)
}

/// Writes the QR code of `text` as PNG (`module_px` pixels a module) and SVG, and draws it on
/// the terminal: on standard error, so that standard output keeps only the code's text
/// (`issue --terminal | verify -` works); black on white whatever the terminal's theme when
/// standard error is a terminal, plain half blocks otherwise.
pub(crate) fn render_sized(
    text: &str,
    png: Option<&Path>,
    svg: Option<&Path>,
    terminal: bool,
    module_px: u32,
) -> Result<(), Failure> {
    let qr = Qr::encode(text)?;
    if let Some(path) = png {
        write_atomic(path, &qr.to_png(module_px)?, Mode::Public)?;
    }
    if let Some(path) = svg {
        write_atomic(path, qr.to_svg().as_bytes(), Mode::Public)?;
    }
    if terminal {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            eprint!("{}", qr.to_terminal_colours());
        } else {
            eprint!("{}", qr.to_terminal());
        }
    }
    Ok(())
}

/// A certificate file as DER: PEM, DER, or bare base64.
pub(crate) fn certificate_der(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = read_file(path)?;
    if bytes.first() == Some(&0x30) {
        return Ok(bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("-----BEGIN") {
        let (_, der) = x509_cert::der::pem::decode_vec(&bytes)
            .map_err(|e| Failure::Usage(format!("{}: PEM: {e}", path.display())))?;
        return Ok(der);
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    data_encoding::BASE64
        .decode(compact.as_bytes())
        .map_err(|_| Failure::Usage(format!("{}: not a certificate (PEM, DER or base64)", path.display())))
}
