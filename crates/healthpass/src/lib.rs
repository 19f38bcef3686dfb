//! # healthpass
//!
//! Offline-verifiable signed health-status codes.
//!
//! An issuer turns [`Claims`] (a colour, the reasons behind it, evidence, a pseudonymous
//! subject and a validity window) into `HP1:` text: a CWT signed with Ed25519 in a COSE_Sign1,
//! zlib-compressed when that is shorter, base45-encoded. A scanner turns that text (or a photo of
//! its QR code) back into [`Verified`] claims, offline, against keys it trusts and a clock it is
//! given. `docs/FORMAT.md` in the repository is the normative wire format.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use healthpass::{Claims, Colour, CredentialId, CredentialKind, Issuer, KeySet, Reason};
//! use healthpass::{SigningKey, Subject, SubjectId, Verifier};
//!
//! let key = SigningKey::demo();
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
//! let claims = Claims {
//!     issuer: "CN-GD".into(),
//!     credential_id: CredentialId([7; 16]),
//!     issued_at: now,
//!     not_before: now,
//!     expires_at: now + TimeDelta::days(1),
//!     colour: Colour::Green,
//!     reasons: vec![Reason::NegativeTest],
//!     kind: CredentialKind::Personal,
//!     subject: Subject { id: SubjectId([1; 16]), name: None, birth_date: None, document: None },
//!     holder: None,
//!     evidence: Default::default(),
//! };
//! let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
//! assert!(text.starts_with("HP1:"));
//!
//! let verifier = Verifier::new([key.public_key()].into_iter().collect::<KeySet>());
//! let verified = verifier.verify(&text, now + TimeDelta::hours(1))?;
//! assert_eq!(verified.colour, Colour::Green);
//! assert_eq!(*verified, claims);
//! # Ok::<(), healthpass::Error>(())
//! ```

#[cfg(feature = "hazmat")]
pub mod cbor;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod cbor;
pub mod claims;
pub mod cose;
mod error;
pub mod fs;
mod issue;
pub mod keys;
mod limits;
#[cfg(feature = "hazmat")]
pub mod time;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod time;
pub mod transport;
pub mod verify;

pub use claims::{Claims, Colour, CredentialId, CredentialKind, Evidence, Holder, Reason, Subject, SubjectId};
pub use error::{Error, Result};
pub use issue::Issuer;
pub use keys::{Kid, PublicKey, SigningKey};
pub use limits::Limits;
pub use verify::{KeySet, UnverifiedCode, Verified, Verifier};

/// The prefix of native code text: version 1 of the format in `docs/FORMAT.md`.
pub const PREFIX: &str = "HP1:";
