//! When evidence may be dated: never after the code was issued, nor after now.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::Claims;
use crate::{Error, Result};

/// The widest UTC offset in use (UTC+14): a day-only date `D` may already be today somewhere
/// from `D − 1` at 10:00 UTC.
const WIDEST_OFFSET: TimeDelta = TimeDelta::hours(14);

impl Claims {
    /// Checks that no evidence is dated in the future: every test's sample time, temperature
    /// reading and officer decision is at most `min(now, issued_at) + skew`, and every
    /// vaccination day has begun by then somewhere on Earth (UTC+14). Evidence from the future
    /// would otherwise meet age rules such as "a negative test from the last 72 hours".
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use healthpass::Claims;
    /// let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    /// let mut claims = Claims::example(now);
    /// assert!(claims.check_evidence_times(now, TimeDelta::minutes(5)).is_ok());
    /// claims.evidence.tests[0].sampled_at = now + TimeDelta::days(1);
    /// let err = claims.check_evidence_times(now, TimeDelta::minutes(5)).unwrap_err();
    /// assert_eq!(err.code(), "evidence_in_future");
    /// ```
    ///
    /// # Errors
    /// [`Error::EvidenceInFuture`] naming the first such date.
    pub fn check_evidence_times(&self, now: DateTime<Utc>, skew: TimeDelta) -> Result<()> {
        let base = now.min(self.issued_at);
        let latest = base.checked_add_signed(skew.max(TimeDelta::zero())).unwrap_or(base);
        let e = &self.evidence;
        let instants = e
            .tests
            .iter()
            .map(|t| t.sampled_at)
            .chain(e.temperatures.iter().map(|t| t.at))
            .chain(e.decisions.iter().map(|d| d.at));
        if let Some(future) = instants.into_iter().find(|at| *at > latest) {
            return Err(Error::EvidenceInFuture(future.to_rfc3339()));
        }
        if let Some(day) = e.vaccinations.iter().map(|v| v.date).find(|day| day_begins_after(*day, latest)) {
            return Err(Error::EvidenceInFuture(day.to_string()));
        }
        Ok(())
    }
}

/// Whether `day` has not begun anywhere by `latest`.
fn day_begins_after(day: NaiveDate, latest: DateTime<Utc>) -> bool {
    let start = day.and_time(chrono::NaiveTime::MIN).and_utc();
    start.checked_sub_signed(WIDEST_OFFSET).is_some_and(|earliest| earliest > latest)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::claims::Vaccination;

    #[test]
    fn a_vaccination_day_is_future_only_once_it_has_begun_nowhere() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).single().unwrap_or_default();
        let mut claims = Claims::example(now);
        let day = |days: i64| (now + TimeDelta::days(days)).date_naive();
        // Tomorrow (UTC) has begun at UTC+14 since 10:00 UTC today.
        claims.evidence.vaccinations = vec![Vaccination { product: "X".into(), dose: 1, doses: 1, date: day(1) }];
        assert_eq!(claims.check_evidence_times(now, TimeDelta::zero()), Ok(()));
        claims.evidence.vaccinations[0].date = day(2);
        let err = claims.check_evidence_times(now, TimeDelta::zero()).err().map(|e| e.code());
        assert_eq!(err, Some("evidence_in_future"));
    }

    #[test]
    fn evidence_is_bounded_by_the_earlier_of_now_and_issue_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).single().unwrap_or_default();
        let mut claims = Claims::example(now - TimeDelta::hours(2));
        claims.evidence.temperatures.push(crate::claims::TemperatureCheck {
            decicelsius: 366,
            at: now - TimeDelta::hours(1),
            place: None,
        });
        let err = claims.check_evidence_times(now, TimeDelta::minutes(5)).err().map(|e| e.code());
        assert_eq!(err, Some("evidence_in_future"));
    }
}
