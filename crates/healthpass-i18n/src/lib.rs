//! healthpass in the holder's own language and time.
//!
//! - [`zone`]: IANA time zones through `jiff` and its bundled tz database: the local day of an
//!   instant, where a local day starts and ends, times shown with their offset. Every rule that
//!   speaks of days (school report days, quarantine and risk-area days, "valid until the end of
//!   the day") reads UTC instants through the issuer's zone; the wire stays UTC seconds.
//! - [`lang`]: English, Simplified Chinese, Traditional Chinese, Portuguese, and how a tag or a
//!   POSIX locale picks one.
//! - [`messages`]: every text a person reads, from Fluent files a translator edits
//!   (`locales/*/healthpass.ftl`, docs/I18N.md), with an [`messages::audit`] of their
//!   completeness; [`words`] and [`verdict`] word the core's coded values and verdicts.
//! - [`mask`]: names masked by their script (`陈小明` → `陈*明`).
//!
//! Hand-written here is only the glue: which message words which code. Zones are jiff's,
//! messages Fluent's.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use healthpass_i18n::zone::Zone;
//!
//! let hong_kong = Zone::parse("Asia/Hong_Kong")?;
//! let at = Utc.with_ymd_and_hms(2026, 8, 31, 23, 30, 0).unwrap(); // 07:30 in Hong Kong
//! assert_eq!(hong_kong.date_of(at).to_string(), "2026-09-01");
//! assert_eq!(hong_kong.rfc3339(hong_kong.last_second_of(hong_kong.date_of(at))), "2026-09-01T23:59:59+08:00");
//! # Ok::<(), healthpass::Error>(())
//! ```

#![forbid(unsafe_code)]

pub mod lang;
pub mod zone;

pub use lang::Lang;
pub use zone::Zone;
pub mod mask;
pub mod messages;
pub mod verdict;

pub use messages::{Arg, text};
pub mod words;
