//! Checked time arithmetic: a time plus a period never panics, whatever the time or the period.
//! Out of range is either an error naming the values ([`after`]) or, for the end of a period
//! that only bounds something else from above, the last representable time ([`saturating_after`]).

use chrono::{DateTime, TimeDelta, Utc};

use crate::{Error, Result};

/// `start + period`, or [`Error::TimeOutOfRange`] naming `what` (the period, in the caller's
/// words: "a venue code valid for 365 days") and the start.
pub fn after(start: DateTime<Utc>, period: TimeDelta, what: &str) -> Result<DateTime<Utc>> {
    start.checked_add_signed(period).ok_or_else(|| {
        Error::TimeOutOfRange(format!("{what} from {} ends past the last representable time", start.to_rfc3339()))
    })
}

/// `start + period`, or the last representable time when that is later.
pub fn saturating_after(start: DateTime<Utc>, period: TimeDelta) -> DateTime<Utc> {
    start.checked_add_signed(period).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_arithmetic_past_the_last_representable_time_is_an_error_or_saturates() {
        let last = DateTime::<Utc>::MAX_UTC;
        let err = after(last, TimeDelta::days(1), "a venue code valid for 1 day").unwrap_err();
        assert_eq!(err.code(), "time_out_of_range");
        assert!(err.to_string().contains("a venue code valid for 1 day"), "{err}");
        assert_eq!(saturating_after(last, TimeDelta::days(1)), last);
        let t = DateTime::UNIX_EPOCH;
        assert_eq!(after(t, TimeDelta::days(1), "x").unwrap(), saturating_after(t, TimeDelta::days(1)));
    }
}
