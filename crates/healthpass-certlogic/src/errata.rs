//! Known upstream errors in published test data, read from a data file beside the vectors
//! (`ERRATA.json`), never from code.
//!
//! An entry only turns a disagreeing result into a known issue, with its reason and evidence; a
//! test that agrees with its published expectation still counts as passed, and an entry that
//! matches no failing test is reported as unused.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::limits::Limits;

/// One known upstream error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// The test file, by its path relative to the folder run (`/`-separated); matched as a path
    /// suffix so a run over a parent folder still finds it.
    pub file: String,
    /// What is wrong with the published expectation.
    pub reason: String,
    /// How we know: the facts that show it, checkable by a reader.
    pub evidence: String,
}

/// The errata file: `{ "errata": [ { "file", "reason", "evidence" } ] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errata {
    /// What the file is about (free text).
    #[serde(default)]
    pub about: String,
    /// The entries.
    pub errata: Vec<Erratum>,
}

impl Errata {
    /// Reads `ERRATA.json` from a folder; no file means no errata.
    ///
    /// # Errors
    /// [`Error::Io`] if the file exists but cannot be read; [`Error::Json`] if it is not the
    /// errata format; [`Error::TooLarge`] if it exceeds `max_file_bytes`.
    pub fn load(dir: &Path, limits: &Limits) -> Result<Self> {
        let path = dir.join("ERRATA.json");
        if !path.is_file() {
            return Ok(Errata::default());
        }
        let text = crate::files::read_bounded(&path, limits)?;
        serde_json::from_slice(&text).map_err(|e| Error::json("ERRATA.json", &e))
    }

    /// The erratum for a test file (relative path, `/`-separated), if any.
    pub fn find(&self, file: &str) -> Option<&Erratum> {
        self.errata.iter().find(|e| file == e.file || file.ends_with(&format!("/{}", e.file)))
    }
}
