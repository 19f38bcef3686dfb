//! What the encoder (`cbor.rs`) and the decoder (`decode.rs`) of the compact form share: the
//! status claim key and the epoch of dates (FORMAT.md §5 and §6).

use chrono::{DateTime, NaiveDate};

/// The CWT claim key under which the status claims travel (private use: below -65536).
pub const STATUS_CLAIM_KEY: i64 = -65537;

/// Dates travel as whole days since 1970-01-01.
pub(super) fn epoch_day() -> NaiveDate {
    DateTime::UNIX_EPOCH.date_naive()
}
