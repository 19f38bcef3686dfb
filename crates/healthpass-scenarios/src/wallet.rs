//! Proxy holders: a family member carries the codes of an elderly parent or a child.
//!
//! A [`Wallet`] is a JSON file of labelled codes (`"Mum"`, `"Ming"`), written atomically and
//! readable by its owner only (mode 0600: the codes are health data). A scanner shows whose code
//! it is with [`Whose`]: the subject's masked name and, when the code names a holder, who carries
//! it and how they are related.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use healthpass_scenarios::wallet::{Wallet, Whose};
//! use healthpass::{Claims, Issuer, SigningKey};
//!
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
//! let code = Issuer::new(SigningKey::demo()).issue(&Claims::example(now))?;
//! let mut wallet = Wallet::default();
//! wallet.add("Mum", &code, now)?;
//! assert!(wallet.add("Mum", &code, now).is_err(), "labels are unique");
//! assert_eq!(wallet.get("mum").map(|e| e.code.as_str()), Some(code.as_str()));
//! assert_eq!(Whose::of(&Claims::example(now)).to_string(), "code of (name not on the code), carried by the person themself");
//! let mut claims = Claims::example(now);
//! claims.subject.name = Some("陈小明".into());
//! assert_eq!(Whose::of(&claims).render(healthpass_i18n::Lang::ZhHans), "陈*明 的码，由本人携带");
//! # Ok::<(), healthpass::Error>(())
//! ```

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use healthpass::claims::Relation;
use healthpass::decide::mask_name;
use healthpass::fs::{Mode, read_bounded, write_atomic};
use healthpass::{Claims, Error, Limits, Result, UnverifiedCode};
use healthpass_i18n::{Arg, Lang, text, words};

/// The largest wallet file read.
pub const MAX_WALLET_BYTES: usize = 1024 * 1024;
/// The most codes a wallet holds.
pub const MAX_WALLET_ENTRIES: usize = 64;
/// The longest label.
pub const MAX_LABEL_LEN: usize = 64;

fn wallet_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "wallet", detail: detail.into() }
}

/// A file of labelled codes carried for others (and oneself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wallet {
    /// The file format version, 1.
    pub version: u32,
    /// The codes, in the order added.
    pub entries: Vec<WalletEntry>,
}

impl Default for Wallet {
    fn default() -> Self {
        Wallet { version: 1, entries: Vec::new() }
    }
}

/// One code in a wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletEntry {
    /// The holder's label for it (`Mum`, `Ming`), unique in the wallet ignoring case.
    pub label: String,
    /// The code text (`HP1:...`).
    pub code: String,
    /// When it was added.
    pub added_at: DateTime<Utc>,
}

impl Wallet {
    /// Reads a wallet file; a missing file is an empty wallet.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::TooLarge`] if the file cannot be read within
    /// [`MAX_WALLET_BYTES`]; [`Error::Scenario`] (step `wallet`) for malformed JSON, an unknown
    /// version, or entries that break [`Wallet::add`]'s rules.
    pub fn read(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(Wallet::default());
        }
        let bytes = read_bounded(path, MAX_WALLET_BYTES, "wallet file")?;
        let read: Wallet = serde_json::from_slice(&bytes).map_err(|e| wallet_error(format!("wallet JSON: {e}")))?;
        if read.version != 1 {
            return Err(wallet_error(format!("unknown wallet version {}", read.version)));
        }
        let mut wallet = Wallet::default();
        for entry in read.entries {
            wallet.add(&entry.label, &entry.code, entry.added_at)?;
        }
        Ok(wallet)
    }

    /// Writes the wallet atomically, readable by its owner only.
    ///
    /// # Errors
    /// [`Error::Io`] if the write fails (the old file is then left as it was).
    pub fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(|e| wallet_error(e.to_string()))?;
        write_atomic(path, json.as_bytes(), Mode::Secret)
    }

    /// Adds a code under a label. The code must parse as a native code (its signature is checked
    /// when it is shown to a scanner, not here).
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `wallet`) for an empty, over-long or already used label, or a
    /// full wallet; the errors of [`UnverifiedCode::parse`] for text that is not a code.
    pub fn add(&mut self, label: &str, code: &str, now: DateTime<Utc>) -> Result<()> {
        let label = label.trim();
        if label.is_empty() || label.len() > MAX_LABEL_LEN || label.chars().any(char::is_control) {
            return Err(wallet_error(format!("a label must be 1 to {MAX_LABEL_LEN} bytes of printable text")));
        }
        if self.get(label).is_some() {
            return Err(wallet_error(format!("the wallet already holds a code labelled {label:?}")));
        }
        if self.entries.len() >= MAX_WALLET_ENTRIES {
            return Err(wallet_error(format!("a wallet holds at most {MAX_WALLET_ENTRIES} codes")));
        }
        let code = code.trim();
        UnverifiedCode::parse(code, &Limits::DEFAULT)?;
        self.entries.push(WalletEntry { label: label.to_string(), code: code.to_string(), added_at: now });
        Ok(())
    }

    /// The entry with this label, ignoring case.
    pub fn get(&self, label: &str) -> Option<&WalletEntry> {
        self.entries.iter().find(|e| e.label.eq_ignore_ascii_case(label.trim()))
    }

    /// Removes the entry with this label; returns whether there was one.
    pub fn remove(&mut self, label: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| !e.label.eq_ignore_ascii_case(label.trim()));
        self.entries.len() != before
    }
}

/// Whose code a scanner is looking at: the subject, and the holder when someone else carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Whose {
    /// The subject's masked name, when the code carries one.
    pub subject: Option<String>,
    /// How the holder is related to the subject, when the code names a holder.
    pub relation: Option<Relation>,
    /// The holder's masked name, when the code names one.
    pub holder: Option<String>,
}

impl Whose {
    /// What the claims say about whose code it is (names masked with [`mask_name`]).
    pub fn of(claims: &Claims) -> Self {
        let masked = |n: &str| Some(mask_name(n)).filter(|m| !m.is_empty());
        Whose {
            subject: claims.subject.name.as_deref().and_then(masked),
            relation: claims.holder.as_ref().map(|h| h.relation),
            holder: claims.holder.as_ref().and_then(|h| h.name.as_deref()).and_then(masked),
        }
    }

    /// Whether the code is carried by someone other than its subject.
    pub fn is_proxy(&self) -> bool {
        self.relation.is_some()
    }
}

impl Whose {
    /// Whose code it is in `lang`: `code of C** T** M**, carried by C** M** L** (the subject's
    /// child)`, `陈*明 的码，由本人携带`.
    pub fn render(&self, lang: Lang) -> String {
        let subject = self.subject.clone().unwrap_or_else(|| text(lang, "whose-no-name", &[]));
        let subject = text(lang, "whose-subject", &[("name", Arg::from(subject))]);
        let relation = self.relation.map(|r| Arg::from(words::relation(lang, r)));
        let carried = match (relation, &self.holder) {
            (Some(relation), Some(holder)) => {
                text(lang, "whose-carried-by", &[("holder", Arg::from(holder.as_str())), ("relation", relation)])
            }
            (Some(relation), None) => text(lang, "whose-carried-by-relation", &[("relation", relation)]),
            (None, _) => text(lang, "whose-self", &[]),
        };
        text(lang, "whose-line", &[("subject", Arg::from(subject)), ("carried", Arg::from(carried))])
    }
}

impl fmt::Display for Whose {
    /// [`Whose::render`] in English: `code of C** T** M**, carried by C** S** M** (the subject's child)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}
