//! The one validity-window check: native codes and every foreign format (EU DCC, NZ COVID Pass,
//! SMART Health Cards) compare their times with the caller's clock here, with one skew rule.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{Error, Result};

/// The clock difference a check tolerates: never negative (a negative skew counts as zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skew(TimeDelta);

impl Skew {
    /// No tolerance: the foreign verifiers' default, as their test suites expect.
    pub const NONE: Skew = Skew(TimeDelta::zero());
    /// Five minutes: the native verifier's and the checkpoint's default.
    pub const DEFAULT: Skew = Skew(TimeDelta::minutes(5));

    /// `delta`, or zero if it is negative.
    pub fn new(delta: TimeDelta) -> Self {
        Skew(delta.max(TimeDelta::zero()))
    }

    /// The tolerance as a duration.
    pub fn get(self) -> TimeDelta {
        self.0
    }
}

/// A code's validity window, as far as its format states one.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use healthpass::Error;
/// use healthpass::verify::{Skew, Window};
///
/// let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
/// let window = Window { issued_at: None, not_before: Some(now), expires_at: Some(now + TimeDelta::hours(1)) };
/// assert_eq!(window.check(now + TimeDelta::hours(2), Skew::NONE), Err(Error::Expired(window.expires_at.unwrap().to_rfc3339())));
/// assert!(window.check(now - TimeDelta::minutes(4), Skew::DEFAULT).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    /// When it was issued (`iat`), if the format says.
    pub issued_at: Option<DateTime<Utc>>,
    /// When it becomes valid (`nbf`), if the format says.
    pub not_before: Option<DateTime<Utc>>,
    /// When it expires (`exp`), if the format says.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Window {
    /// Checks the window against `now`, each bound widened by `skew`: issued no later than
    /// `now + skew`, valid from no later than `now + skew`, expiring no earlier than `now - skew`
    /// (the interval is closed). The first failure in that order is the error.
    ///
    /// # Errors
    /// [`Error::IssuedInFuture`], [`Error::NotYetValid`] or [`Error::Expired`], each naming the
    /// time (RFC 3339).
    pub fn check(&self, now: DateTime<Utc>, skew: Skew) -> Result<()> {
        let late = now.checked_sub_signed(skew.0).unwrap_or(now);
        let early = now.checked_add_signed(skew.0).unwrap_or(now);
        if let Some(issued_at) = self.issued_at.filter(|t| *t > early) {
            return Err(Error::IssuedInFuture(issued_at.to_rfc3339()));
        }
        if let Some(not_before) = self.not_before.filter(|t| *t > early) {
            return Err(Error::NotYetValid(not_before.to_rfc3339()));
        }
        if let Some(expires_at) = self.expires_at.filter(|t| *t < late) {
            return Err(Error::Expired(expires_at.to_rfc3339()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    #[test]
    fn the_interval_is_closed_and_the_skew_widens_it_both_ways() {
        let w = Window { issued_at: Some(t(0)), not_before: Some(t(0)), expires_at: Some(t(60)) };
        assert!(w.check(t(0), Skew::NONE).is_ok());
        assert!(w.check(t(60), Skew::NONE).is_ok());
        assert_eq!(w.check(t(61), Skew::NONE), Err(Error::Expired(t(60).to_rfc3339())));
        assert!(w.check(t(65), Skew::DEFAULT).is_ok());
        assert_eq!(w.check(t(66), Skew::DEFAULT), Err(Error::Expired(t(60).to_rfc3339())));
        assert_eq!(w.check(t(-6), Skew::DEFAULT), Err(Error::IssuedInFuture(t(0).to_rfc3339())));
        assert!(w.check(t(-5), Skew::DEFAULT).is_ok());
        let nbf_only = Window { not_before: Some(t(0)), ..Window::default() };
        assert_eq!(nbf_only.check(t(-1), Skew::NONE), Err(Error::NotYetValid(t(0).to_rfc3339())));
    }

    #[test]
    fn a_negative_skew_counts_as_none_and_extreme_times_do_not_overflow() {
        assert_eq!(Skew::new(TimeDelta::minutes(-3)), Skew::NONE);
        let w = Window { expires_at: Some(DateTime::<Utc>::MIN_UTC), ..Window::default() };
        assert!(w.check(DateTime::<Utc>::MAX_UTC, Skew::new(TimeDelta::MAX)).is_err());
        assert!(Window::default().check(DateTime::<Utc>::MIN_UTC, Skew::DEFAULT).is_ok());
    }
}
