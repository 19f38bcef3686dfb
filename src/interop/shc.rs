//! SMART Health Cards (`shc:/`).

use serde::Serialize;

/// The prefix of SMART Health Card QR text.
pub const SHC_PREFIX: &str = "shc:/";

/// A verified SMART Health Card's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShcCard {
    /// The issuer URL (`iss`).
    pub issuer: String,
    /// The JWS payload as JSON.
    pub payload: serde_json::Value,
}
