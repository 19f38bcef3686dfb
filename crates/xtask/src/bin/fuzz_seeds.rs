//! Writes the seed corpora of the fuzz targets in `fuzz/` from freshly issued codes (and from
//! any `HP1:` text found in `test-vectors/`), so that no binary seed needs to live in git.
//!
//! `cargo run --example fuzz_seeds -- [DIR]` (default `fuzz/corpus`); one folder per target.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use healthpass::claims::{OfficerDecision, Relation, TemperatureCheck, TravelRecord, Vaccination};
use healthpass::transport::{decode_base45, unwrap_body};
use healthpass::{Claims, CredentialKind, Holder, Issuer, Limits, PREFIX, SigningKey};
use healthpass_interop::dcc::{UnverifiedDcc, decompress_body};
use healthpass_qr::Qr;
use sha2::{Digest, Sha256};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into()));
    // The time the verify_text target verifies at: the seeds must be valid then.
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().ok_or("bad time")?;
    let issuer = Issuer::new(SigningKey::demo());
    let mut texts = Vec::new();
    let mut claims_cbor = Vec::new();
    for claims in sample_claims(now) {
        claims_cbor.push(claims.to_cbor());
        texts.push(issuer.issue(&claims)?);
    }
    texts.extend(vector_texts(Path::new("test-vectors"), PREFIX));
    let mut n = 0;
    for text in &texts {
        n += 1;
        put(&dir, "verify_text", n, text.as_bytes())?;
        put(&dir, "base45", n, text.strip_prefix(PREFIX).unwrap_or(text).as_bytes())?;
        // The vectors include codes that are broken on purpose: seed the later stages with
        // whatever each one decodes to.
        let Ok(body) = decode_base45(text.strip_prefix(PREFIX).unwrap_or(text)) else { continue };
        put(&dir, "inflate", n, &body)?;
        let Ok(cose) = unwrap_body(body, &Limits::DEFAULT) else { continue };
        put(&dir, "cose", n, &cose)?;
    }
    for (i, cbor) in claims_cbor.iter().enumerate() {
        put(&dir, "claims", i, cbor)?;
    }
    // Small QR codes for the image target: a PNG file (first byte 1) and raw pixels (first byte 0).
    for (i, text) in ["HP1:6BFOXN*TS0BI$ZD", "HP1:NCFOXN%TS3DH0YOJ58S S-W5HDC"].iter().enumerate() {
        let qr = Qr::encode(text)?;
        put(&dir, "image", 2 * i, &[&[1u8][..], &qr.to_png(2)?].concat())?;
        let image = qr.to_image(1);
        let header = [0u8, u8::try_from(image.width() - 1)?, u8::try_from(image.height() - 1)?];
        put(&dir, "image", 2 * i + 1, &[&header[..], image.as_raw()].concat())?;
    }
    // Trust lists, revocation lists (after their trust list and its length) and policies, from
    // test-vectors/trust.
    let mut m = 0;
    for vector in json_files(Path::new("test-vectors/trust")) {
        m += 1;
        let hex = |key: &str| {
            vector
                .get(key)
                .and_then(|v| v.as_str())
                .and_then(|h| data_encoding::HEXLOWER_PERMISSIVE.decode(AsRef::<[u8]>::as_ref(h)).ok())
        };
        match vector.get("kind").and_then(|k| k.as_str()) {
            Some("trust_list") => {
                if let Some(list) = hex("list_hex") {
                    put(&dir, "trust_list", m, &list)?;
                }
            }
            Some("revocation_list") => {
                if let (Some(trust), Some(list)) = (hex("trust_list_hex"), hex("list_hex")) {
                    let len = u16::try_from(trust.len())?.to_be_bytes();
                    put(&dir, "revocation", m, &[&len[..], &trust, &list].concat())?;
                    put(&dir, "trust_list", m, &trust)?;
                }
            }
            _ => {}
        }
        if let Some(policy) = vector.get("policy") {
            put(&dir, "policy", m, serde_json::to_string_pretty(policy)?.as_bytes())?;
        }
        if vector.get("kind").and_then(|k| k.as_str()) == Some("checkpoint") {
            put(&dir, "checkpoint", m, &checkpoint_seed(&vector, now)?)?;
        }
    }
    // The checkpoint target with empty sections: the built-in list and policy, each code.
    for (i, text) in texts.iter().enumerate() {
        put(&dir, "checkpoint", 1000 + i, &[&[0u8; 10][..], text.as_bytes()].concat())?;
    }
    // The interop formats: every DCC and NZCP text in test-vectors/, and the SMART Health Cards
    // examples as their QR texts (a split card's chunks one per line) and as compact JWS.
    for (i, text) in vector_texts(Path::new("test-vectors/dcc"), "HC1:").iter().enumerate() {
        put(&dir, "hc1", i, text.as_bytes())?;
        // Their COSE messages and CWTs seed the `cose` target (after the native ones).
        let body = text.strip_prefix("HC1:").and_then(|t| decode_base45(t).ok());
        let Some(cose) = body.and_then(|b| decompress_body(b, &Limits::DEFAULT).ok()) else { continue };
        if let Ok(code) = UnverifiedDcc::from_cose(&cose, &Limits::DEFAULT) {
            put(&dir, "cose", 20_000 + 2 * i, code.message().payload())?;
        }
        put(&dir, "cose", 20_000 + 2 * i + 1, &cose)?;
    }
    let mut nzcp = vector_texts(Path::new("test-vectors/nzcp"), "NZCP:/");
    nzcp.extend(
        text_files(Path::new("test-vectors/nzcp/spec-examples")).into_iter().filter(|t| t.starts_with("NZCP:/")),
    );
    for (i, text) in nzcp.iter().enumerate() {
        put(&dir, "nzcp", i, text.as_bytes())?;
    }
    let mut shc = Vec::new();
    for example in 0.. {
        let file = |part: &str| PathBuf::from(format!("test-vectors/shc/examples/example-{example:02}-{part}"));
        let chunks: Vec<String> = (0..)
            .map_while(|i| fs::read_to_string(file(&format!("f-qr-code-numeric-value-{i}.txt"))).ok())
            .map(|t| t.trim().to_owned())
            .collect();
        if chunks.is_empty() {
            break;
        }
        shc.push(chunks.join("\n"));
        if chunks.len() > 1 {
            shc.extend(chunks);
        }
        shc.extend(fs::read_to_string(file("d-jws.txt")).map(|t| t.trim().to_owned()));
    }
    for (i, text) in shc.iter().enumerate() {
        put(&dir, "shc", i, text.as_bytes())?;
    }
    // The round-trip target builds claims from raw bytes: deterministic pseudo-random seeds.
    let mut block = Sha256::digest(b"healthpass fuzz seeds").to_vec();
    for i in 0..16 {
        let mut seed = Vec::new();
        for _ in 0..8 {
            block = Sha256::digest(&block).to_vec();
            seed.extend_from_slice(&block);
        }
        put(&dir, "roundtrip", i, &seed)?;
    }
    println!("wrote seeds for {} codes to {}", texts.len(), dir.display());
    Ok(())
}

/// A checkpoint vector of `test-vectors/trust` as the checkpoint target's input: `now` as
/// seconds after the base time, then the trust list, the revocation lists and the policy as
/// length-prefixed sections, then the code's text.
fn checkpoint_seed(vector: &serde_json::Value, base: DateTime<Utc>) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let field = |key: &str| vector.get(key).and_then(|v| v.as_str()).ok_or(format!("checkpoint vector without {key}"));
    let now: DateTime<Utc> = field("now")?.parse()?;
    let mut seed = i32::try_from((now - base).num_seconds())?.to_be_bytes().to_vec();
    push_section(
        &mut seed,
        &data_encoding::HEXLOWER_PERMISSIVE.decode(AsRef::<[u8]>::as_ref(field("trust_list_hex")?))?,
    )?;
    let mut revocations = Vec::new();
    for list in vector.get("revocation_lists_hex").and_then(|v| v.as_array()).into_iter().flatten() {
        push_section(
            &mut revocations,
            &data_encoding::HEXLOWER_PERMISSIVE.decode(AsRef::<[u8]>::as_ref(list.as_str().unwrap_or_default()))?,
        )?;
    }
    push_section(&mut seed, &revocations)?;
    let policy = serde_json::to_string(vector.get("policy").unwrap_or(&serde_json::Value::Null))?;
    push_section(&mut seed, policy.as_bytes())?;
    seed.extend(field("text")?.as_bytes());
    Ok(seed)
}

/// Appends `bytes` with their length first (2 bytes, big-endian).
fn push_section(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), std::num::TryFromIntError> {
    out.extend(u16::try_from(bytes.len())?.to_be_bytes());
    out.extend(bytes);
    Ok(())
}

fn put(dir: &Path, target: &str, n: usize, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dir.join(target);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(format!("seed-{n:03}")), bytes)
}

/// The JSON files directly in `dir`, parsed, in name order (none if it does not exist).
fn json_files(dir: &Path) -> Vec<serde_json::Value> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.iter().filter_map(|p| serde_json::from_str(&fs::read_to_string(p).ok()?).ok()).collect()
}

/// The trimmed content of the `.txt` files under `dir`, if it exists, in name order.
fn text_files(dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for path in fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths.iter().filter_map(|p| fs::read_to_string(p).ok()).map(|t| t.trim().to_owned()).collect()
}

/// Every string value starting with `prefix` in the JSON files under `dir`, if it exists.
fn vector_texts(dir: &Path, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(vector_texts(&path, prefix));
        } else if path.extension().is_some_and(|e| e == "json") {
            if let Ok(value) = fs::read_to_string(&path).map(|t| serde_json::from_str(&t)) {
                collect(&value.unwrap_or_default(), prefix, &mut found);
            }
        }
    }
    found
}

fn collect(value: &serde_json::Value, prefix: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.starts_with(prefix) => found.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, prefix, found)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect(v, prefix, found)),
        _ => {}
    }
}

/// One code of every credential kind, with and without each optional part.
fn sample_claims(now: chrono::DateTime<Utc>) -> Vec<Claims> {
    let base = Claims::example(now);
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let mut student = base.clone();
    student.kind = CredentialKind::Student { school: "No. 3 Middle School".into(), class: "7-2".into() };
    student.not_before = now - TimeDelta::hours(1);
    let mut venue = base.clone();
    venue.kind = CredentialKind::Venue { venue_id: "GZ-0001".into(), name: Some("Library".into()), region: None };
    let mut full = base.clone();
    full.subject.name = Some("Li Hua".into());
    full.subject.birth_date = NaiveDate::from_ymd_opt(1990, 1, 1);
    full.holder = Some(Holder { relation: Relation::Parent, name: Some("Li Lei".into()), id: None });
    full.evidence.vaccinations.push(Vaccination { product: "EU/1/20/1528".into(), dose: 2, doses: 2, date: day });
    full.evidence.temperatures.push(TemperatureCheck { decicelsius: 366, at: now, place: Some("gate 2".into()) });
    full.evidence.travel.push(TravelRecord { region: "HK".into(), from: day, until: Some(day) });
    full.evidence.residency = Some("CN-GD".into());
    full.evidence.decisions.push(OfficerDecision { officer: "A-17".into(), at: now, basis: "manual check".into() });
    vec![base, student, venue, full]
}
