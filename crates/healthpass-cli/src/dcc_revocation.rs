//! `verify 'HC1:…' --dcc-revocation FILE_OR_DIR`: loads the gateway's revocation batch JSON
//! files and Bloom filter chunk files (told apart by content) and checks a verified DCC against
//! them. Batches past their `expires` time or of another country than their DSC are refused
//! with their codes and noted. The lists and lookup are
//! `healthpass_interop::dcc_revocation`; this module reads files and prints.

use std::path::{Path, PathBuf};

use healthpass::Limits;
use healthpass::decide::Finding;
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_revocation::{BatchCheck, Lookup, RevocationHashes, RevocationStore};

use crate::common::Failure;

/// Every `*.json` file under `path` (recursively, in name order), or `path` itself if a file.
fn list_files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| Failure::Usage(format!("{}: cannot list: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let entry_path = entry.path();
            if entry_path.is_dir() {
                pending.push(entry_path);
            } else if entry_path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
                files.push(entry_path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads every revocation file at `path` into one store, batches checked by `check`.
pub(crate) fn load(path: &Path, check: &BatchCheck) -> Result<RevocationStore, Failure> {
    let mut store = RevocationStore::new();
    let files = list_files(path)?;
    if files.is_empty() {
        return Err(Failure::Usage(format!("{}: no revocation list (*.json) found", path.display())));
    }
    let max = store.limits().max_file_bytes;
    for file in files {
        let bytes = healthpass::fs::read_bounded(&file, max, "revocation list file")
            .map_err(|e| Failure::Usage(format!("{}: {e}", file.display())))?;
        let report = store
            .load_json(&bytes, Some(check))
            .map_err(|e| Failure::Usage(format!("{}: [{}] {e}", file.display(), e.code())))?;
        for skipped in &report.skipped {
            eprintln!("note: {}: {skipped}", file.display());
        }
        for refused in &report.refused {
            eprintln!("note: {}: {refused}", file.display());
        }
    }
    Ok(store)
}

/// Refuses the DCC (code `revoked`) when one of its hashes is on its signer's list. A Bloom
/// filter's "maybe" without an exact entry is printed as a note and is not a refusal.
/// The refusal, if any, is returned for the verdict; the note goes to standard error.
pub(crate) fn check(text: &str, store: &RevocationStore) -> Result<Option<Finding>, Failure> {
    let limits = Limits::DEFAULT;
    let code = UnverifiedDcc::parse(text, &limits)?;
    let kid = code.kid()?;
    let hashes = RevocationHashes::of(&code, &limits)?;
    match store.verify(kid.as_bytes(), &hashes) {
        Err(e) => Ok(Some(Finding::new(e.code(), e.to_string()))),
        Ok(Lookup::Unconfirmed(t)) => {
            eprintln!(
                "note: a Bloom filter lists the DCC's {} hash as possibly revoked, with no exact entry: not revoked",
                t.name()
            );
            Ok(None)
        }
        Ok(_) => Ok(None),
    }
}
