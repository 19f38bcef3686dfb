//! An issuer backend: issues a batch of codes from a JSON-lines file, one claims object per
//! line, writing a PNG per code and an index, with a progress bar on stderr.
//!
//! ```text
//! cargo run --example issuer_backend                      # built-in demo batch, temp folder
//! HEALTHPASS_ISSUER_KEY=issuer.key cargo run --example issuer_backend -- batch.jsonl out/
//! ```
//!
//! How the backend holds its key: the secret key is a PKCS#8 PEM file readable by the backend's
//! user only (mode 0600; a looser mode is refused here, not just warned about). Its path comes
//! from the environment, never from the batch. It is read once into a `SigningKey`, whose bytes
//! are wiped when it is dropped and which prints only its kid. Nothing else in the process sees
//! the key: the batch, the logs and the index carry the kid alone.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, Utc};
use healthpass::fs::{Mode, write_atomic};
use healthpass::keys::secret_file_is_exposed;
use healthpass::{Claims, CredentialId, Issuer, SigningKey};
use healthpass_qr::Qr;
use serde_json::{Value, json};

/// The longest line read from the batch file.
const MAX_LINE: usize = 64 * 1024;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (batch, out, key_path) = match args.as_slice() {
        [batch, out] => {
            let key = std::env::var_os("HEALTHPASS_ISSUER_KEY").ok_or("set HEALTHPASS_ISSUER_KEY to the key file")?;
            (PathBuf::from(batch), PathBuf::from(out), PathBuf::from(key))
        }
        [] => demo_inputs()?,
        _ => return Err("usage: issuer_backend [BATCH.jsonl OUT_DIR] (no arguments: built-in demo)".into()),
    };
    let issuer = Issuer::new(load_key(&key_path)?);
    eprintln!("issuing with kid {} from {} into {}", issuer.kid(), batch.display(), out.display());
    std::fs::create_dir_all(&out)?;

    let lines = read_lines(&batch)?;
    let mut index = Vec::with_capacity(lines.len());
    let mut progress = Progress::new(lines.len());
    // Codes carry whole seconds; so does the index.
    let now = chrono::DateTime::from_timestamp(Utc::now().timestamp(), 0).ok_or("clock out of range")?;
    for (number, line) in lines.iter().enumerate() {
        let entry = match issue_line(&issuer, line, now).and_then(|(claims, text)| {
            let file = format!("{}.png", claims.credential_id);
            write_atomic(&out.join(&file), &Qr::encode(&text)?.to_png(6)?, Mode::Public)?;
            Ok(json!({ "line": number + 1, "credential_id": claims.credential_id.to_string(), "file": file,
                       "text": text, "colour": claims.colour, "expires_at": claims.expires_at }))
        }) {
            Ok(entry) => entry,
            Err(err) => json!({ "line": number + 1, "error": err.code(), "message": err.to_string() }),
        };
        index.push(entry);
        progress.step();
    }
    progress.finish();
    let failed = index.iter().filter(|e| e.get("error").is_some()).count();
    // Every line has its entry: a code's text, file and id, or the refused line's reason.
    let index = json!({ "kid": issuer.kid().to_string(), "issued_at": now, "codes": index });
    write_atomic(&out.join("index.json"), serde_json::to_string_pretty(&index)?.as_bytes(), Mode::Public)?;
    let plural = |n: usize, noun: &str| if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") };
    println!(
        "issued {}, {} refused; index at {}",
        plural(lines.len() - failed, "code"),
        plural(failed, "line"),
        out.join("index.json").display()
    );
    Ok(())
}

/// Reads the key as a backend should: refuse a file others can read, keep only the key.
fn load_key(path: &Path) -> Result<SigningKey, Box<dyn std::error::Error>> {
    if secret_file_is_exposed(path)? {
        return Err(format!("{} can be read by other users: chmod 600 it before issuing", path.display()).into());
    }
    Ok(SigningKey::read_file(path)?)
}

fn read_lines(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut lines = Vec::new();
    for line in file.lines() {
        let line = line?;
        if line.len() > MAX_LINE {
            return Err(format!("line {} is longer than {MAX_LINE} bytes", lines.len() + 1).into());
        }
        if !line.trim().is_empty() {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// One line of claims JSON → signed code text. Missing ids and times are filled in as the
/// CLI's `issue` does: a random credential id, issued now, valid for 24 hours.
fn issue_line(issuer: &Issuer, line: &str, now: chrono::DateTime<Utc>) -> healthpass::Result<(Claims, String)> {
    let mut value: Value = serde_json::from_str(line).map_err(|e| healthpass::Error::Claims(e.to_string()))?;
    let object = value.as_object_mut().ok_or_else(|| healthpass::Error::Claims("a line must be an object".into()))?;
    object.entry("credential_id").or_insert(json!(CredentialId::random()?.to_string()));
    object.entry("issued_at").or_insert(json!(now));
    object.entry("not_before").or_insert(json!(now));
    object.entry("expires_at").or_insert(json!(now + TimeDelta::hours(24)));
    let claims: Claims = serde_json::from_value(value).map_err(|e| healthpass::Error::Claims(e.to_string()))?;
    let text = issuer.issue(&claims)?;
    Ok((claims, text))
}

/// A small progress bar on stderr: `[#####-----] 50/100`, redrawn in place on a terminal,
/// drawn once at the end otherwise (so logs do not fill with redraws).
struct Progress {
    total: usize,
    done: usize,
    live: bool,
}

impl Progress {
    const WIDTH: usize = 30;

    fn new(total: usize) -> Self {
        let progress = Progress { total, done: 0, live: std::io::stderr().is_terminal() };
        if progress.live {
            progress.draw();
        }
        progress
    }

    fn step(&mut self) {
        self.done += 1;
        if self.live {
            self.draw();
        }
    }

    fn draw(&self) {
        let filled = (self.done * Self::WIDTH).checked_div(self.total).unwrap_or(Self::WIDTH);
        let bar = format!("{}{}", "#".repeat(filled), "-".repeat(Self::WIDTH - filled));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r[{bar}] {}/{}", self.done, self.total);
        let _ = err.flush();
    }

    fn finish(self) {
        if !self.live {
            self.draw();
        }
        eprintln!();
    }
}

/// Writes a demo batch (40 codes, one malformed line) and a fresh key (mode 0600) into a temp
/// folder, as an operator would set them up.
fn demo_inputs() -> Result<(PathBuf, PathBuf, PathBuf), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("healthpass-issuer-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    eprintln!("no arguments: demo batch and a fresh key in {}", dir.display());
    let key_path = dir.join("issuer.key");
    SigningKey::generate()?.write_file(&key_path)?;
    let mut batch = String::new();
    for n in 0..40u32 {
        let colour = if n % 4 == 3 { "yellow" } else { "green" };
        let reason = if colour == "green" { "negative_test" } else { "risk_area_visit" };
        batch.push_str(&format!(
            r#"{{"issuer":"CN-GD","colour":"{colour}","reasons":["{reason}"],"kind":{{"type":"personal"}},"subject":{{"id":"{n:032x}"}}}}"#
        ));
        batch.push('\n');
    }
    batch.push_str("{\"issuer\": \"CN-GD\", \"colour\": \"blue\"}\n");
    let batch_path = dir.join("batch.jsonl");
    write_atomic(&batch_path, batch.as_bytes(), Mode::Public)?;
    Ok((batch_path, dir.join("out"), key_path))
}
