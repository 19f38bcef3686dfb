//! NZ COVID Pass (`NZCP:/1/`).

use serde::Serialize;

/// The prefix of NZ COVID Pass text, version 1.
pub const NZCP_PREFIX: &str = "NZCP:/";

/// The subject of an NZ COVID Pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NzcpSubject {
    /// Given name.
    pub given_name: String,
    /// Family name, when present.
    pub family_name: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub dob: String,
}
