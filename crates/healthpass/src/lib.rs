//! # healthpass
//!
//! Offline-verifiable signed health-status codes: the core every issuer backend, scanner and
//! binding depends on. Text in, text out: no QR code, image decoder or command line here (those
//! are the `healthpass-qr`, `healthpass-scenarios`, `healthpass-interop` and `healthpass-cli`
//! crates), and it builds for `wasm32-unknown-unknown`.
//!
//! ## Concepts
//!
//! - **Claims** ([`Claims`]): a colour ([`Colour`]), the reasons behind it ([`Reason`]),
//!   evidence ([`Evidence`]), a pseudonymous [`Subject`] and a validity window.
//! - **Code**: claims as `HP1:` text: a CWT signed with Ed25519 in a COSE_Sign1, zlib-compressed
//!   when that is shorter, base45-encoded. `docs/FORMAT.md` is the normative wire format.
//! - **Issuer** ([`Issuer`]) signs claims into a code with a [`SigningKey`].
//! - **Verifier** ([`Verifier`]) checks a code's structure, signature, key and validity window
//!   against a [`KeySet`] and a clock it is given, and returns [`Verified`] claims, which only a
//!   verifier can construct: the type says the signature was checked.
//! - **Trust** ([`trust`]): a signed [`TrustList`] says which keys may sign which kinds, colours
//!   and regions, for how long; signed [`RevocationList`]s withdraw credentials and keys.
//! - **Decision** ([`decide`]): a [`Checkpoint`] holds a trust list, revocation lists, an
//!   acceptance [`Policy`] and an anti-rollback clock guard, and gives a [`Verdict`] listing every
//!   reason a code is refused, each with a stable code.
//! - **Limits** ([`Limits`]): a hard cap on every input, checked before the work it bounds. Every
//!   failure is an [`Error`] naming the step that failed ([`Error::code`] is stable).
//!
//! ## Usage
//!
//! Issue a code and verify it with a plain key set:
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
//!
//! At a checkpoint, decide with a signed trust list and a policy instead:
//! `Checkpoint::new_at(anchors, &trust_list, policy, now)?.check(&text, now)` gives a
//! [`Verdict`] (see [`Checkpoint`]).
//!
//! ## Features
//!
//! - `pem`: keys as PKCS#8 / SPKI PEM files (`SigningKey::read_file` and the like).
//! - `hazmat`: the building blocks under [`Issuer`] and [`Verifier`], for the crates that
//!   verify other formats and for tests: the strict CBOR reader (`cbor`), the one COSE_Sign1
//!   reader and writer (`cose`), the text transport (`transport`: prefix, base45, bounded zlib),
//!   checked time arithmetic (`time`) and `Verified::new`. As in ed25519-dalek, these are
//!   easy to misuse (a `CoseMessage`'s payload is unverified; `inflate_bounded` is only as safe
//!   as the limit passed to it), so they are opt-in. Not needed to issue or verify.

#[cfg(feature = "hazmat")]
pub mod cbor;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod cbor;
pub mod claims;
#[cfg(feature = "hazmat")]
pub mod cose;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod cose;
pub mod decide;
mod error;
pub mod fs;
mod hex;
mod issue;
pub mod keys;
mod limits;
#[cfg(feature = "hazmat")]
pub mod time;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod time;
#[cfg(feature = "hazmat")]
pub mod transport;
#[cfg(not(feature = "hazmat"))]
#[allow(dead_code, unreachable_pub)]
mod transport;
pub mod trust;
pub mod verify;

pub use claims::{Claims, Colour, CredentialId, CredentialKind, Evidence, Holder, Reason, Subject, SubjectId};
pub use decide::{Checkpoint, Policy, Verdict};
pub use error::{Error, Result};
pub use issue::Issuer;
pub use keys::{Kid, PublicKey, SigningKey};
pub use limits::Limits;
pub use trust::{KeySet, RevocationList, TrustList};
pub use verify::{UnverifiedCode, Verified, Verifier};

/// The prefix of native code text: version 1 of the format in `docs/FORMAT.md`.
pub const PREFIX: &str = "HP1:";
