//! The anti-rollback clock guard: refuse a `now` that is earlier than signed times already seen.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{Error, Result};

/// Remembers the newest signed time a verifier has seen and refuses a clock that is behind it.
///
/// The library never reads the system clock, so every check takes the caller's `now`. A scanner
/// whose clock is wrong, or has been wound back on purpose, would otherwise accept codes that
/// expired long ago. The guard is fed only with times that carry a signature the verifier has
/// checked — the issue time of a trust list, of a revocation list, of a verified code — and
/// [`ClockGuard::check`] refuses any `now` earlier than the newest of them by more than the skew.
///
/// What it does **not** catch: a clock that is wrong from the start (nothing signed has been
/// seen yet), or one that runs early but still after every signed time seen. Persist it
/// between runs so that a restart does not forget it: with the list sequences in a
/// [`crate::decide::ScannerState`] ([`crate::decide::Checkpoint::state`]), or alone as [`ClockGuard::newest`]
/// restored with [`ClockGuard::with_newest`]. A signed time later than `now` plus the skew must
/// never be recorded ([`ClockGuard::observe_at`] refuses it).
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use healthpass::decide::ClockGuard;
///
/// let list_issued = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
/// let mut guard = ClockGuard::new(TimeDelta::minutes(5));
/// guard.observe(list_issued);
/// assert!(guard.check(list_issued + TimeDelta::hours(1)).is_ok());
/// assert!(guard.check(list_issued - TimeDelta::minutes(4)).is_ok()); // within the skew
/// let wound_back = guard.check(list_issued - TimeDelta::days(30)).unwrap_err();
/// assert_eq!(wound_back.code(), "clock_rollback");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockGuard {
    newest: Option<DateTime<Utc>>,
    skew: TimeDelta,
}

impl ClockGuard {
    /// A guard that has seen nothing yet, allowing `skew` (a negative skew counts as zero).
    pub fn new(skew: TimeDelta) -> Self {
        ClockGuard { newest: None, skew: skew.max(TimeDelta::zero()) }
    }

    /// The same guard, remembering `newest` as a signed time already seen (restored from storage).
    pub fn with_newest(mut self, newest: DateTime<Utc>) -> Self {
        self.observe(newest);
        self
    }

    /// Records a signed time; the guard keeps the newest.
    ///
    /// Only pass times whose signature has been checked: an unverified time lets anyone push
    /// the guard into the future and deny service.
    pub fn observe(&mut self, signed_time: DateTime<Utc>) {
        self.newest = Some(self.newest.map_or(signed_time, |held| held.max(signed_time)));
    }

    /// The newest signed time seen, if any.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
    }

    /// The skew allowed.
    pub fn skew(&self) -> TimeDelta {
        self.skew
    }

    /// Checks that a signed time is not later than `now` plus the skew, as every signed time
    /// must be before it may move the guard: a list or code dated in the future would otherwise
    /// push the guard ahead and refuse every code until then (and, persisted, in every later
    /// run).
    ///
    /// # Errors
    /// [`Error::SignedInFuture`] naming `what` if `signed_time` is after `now` plus the skew.
    pub fn check_signed_time(&self, what: &'static str, signed_time: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        if signed_time > now.checked_add_signed(self.skew).unwrap_or(now) {
            return Err(Error::SignedInFuture { what, at: signed_time.to_rfc3339() });
        }
        Ok(())
    }

    /// Records a signed time if it is not later than `now` plus the skew
    /// ([`ClockGuard::check_signed_time`]); a later one leaves the guard unchanged.
    ///
    /// # Errors
    /// [`Error::SignedInFuture`], as [`ClockGuard::check_signed_time`].
    pub fn observe_at(&mut self, what: &'static str, signed_time: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        self.check_signed_time(what, signed_time, now)?;
        self.observe(signed_time);
        Ok(())
    }

    /// Checks `now` against the newest signed time seen.
    ///
    /// # Errors
    /// [`Error::ClockRollback`] if `now` is earlier than that time by more than the skew.
    pub fn check(&self, now: DateTime<Utc>) -> Result<()> {
        match self.newest {
            Some(newest) if now.checked_add_signed(self.skew).unwrap_or(now) < newest => {
                Err(Error::ClockRollback { now: now.to_rfc3339(), newest: newest.to_rfc3339() })
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn keeps_the_newest_time_and_refuses_only_beyond_the_skew() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut guard = ClockGuard::new(TimeDelta::seconds(60));
        assert!(guard.check(t - TimeDelta::days(3650)).is_ok(), "nothing seen yet");
        guard.observe(t);
        guard.observe(t - TimeDelta::days(1));
        assert_eq!(guard.newest(), Some(t));
        assert!(guard.check(t - TimeDelta::seconds(60)).is_ok());
        let err = guard.check(t - TimeDelta::seconds(61)).unwrap_err();
        assert_eq!(err.code(), "clock_rollback");
        assert_eq!(ClockGuard::new(TimeDelta::seconds(-5)).skew(), TimeDelta::zero());
    }

    #[test]
    fn a_signed_time_after_now_plus_skew_never_moves_the_guard() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut guard = ClockGuard::new(TimeDelta::seconds(60));
        guard.observe_at("trust list", t + TimeDelta::seconds(60), t).unwrap();
        let err = guard.observe_at("revocation list", t + TimeDelta::seconds(61), t).unwrap_err();
        assert_eq!(err.code(), "signed_in_future");
        assert_eq!(guard.newest(), Some(t + TimeDelta::seconds(60)));
    }
}
