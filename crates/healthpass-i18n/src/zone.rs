//! IANA time zones: which local day a UTC instant falls on, where a local day starts and ends,
//! and times shown with their offset.
//!
//! The wire keeps UTC seconds; a zone only says how a rule speaking of *days* reads them. The
//! zone rules come from `jiff` with its bundled copy of the IANA tz database (feature
//! `tzdb-bundle-always`), so a result never depends on the machine's `/usr/share/zoneinfo` and
//! no offset is written by hand here.

use chrono::{DateTime, NaiveDate, Utc};
use healthpass::{Error, Result};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

fn zone_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "time zone", detail: detail.into() }
}

/// An IANA time zone (`Asia/Hong_Kong`, `Europe/Berlin`) or `UTC`, by name.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

impl Zone {
    /// UTC.
    pub fn utc() -> Self {
        Zone { name: "UTC".into(), tz: TimeZone::UTC }
    }

    /// The zone of an IANA name (`Asia/Shanghai`, `Asia/Hong_Kong`, `Asia/Macau`,
    /// `Europe/Berlin`, `UTC`), looked up in the bundled tz database. A leading `:` (as `TZ`
    /// may carry) is ignored.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `time zone`) for a name the database does not hold.
    pub fn parse(name: &str) -> Result<Self> {
        let name = name.trim().trim_start_matches(':');
        if name.is_empty() || name.len() > 64 {
            return Err(zone_error("a time zone is an IANA name such as Asia/Hong_Kong"));
        }
        let tz = jiff::tz::db()
            .get(name)
            .map_err(|_| zone_error(format!("{name:?} is not an IANA time zone (such as Asia/Hong_Kong)")))?;
        Ok(Zone { name: name.to_string(), tz })
    }

    /// The reader's zone: `option` (a `--tz` value) when given, else the `TZ` value when it
    /// names a zone, else UTC.
    ///
    /// # Errors
    /// Those of [`Zone::parse`] for a bad `option`; a bad `TZ` falls back to UTC.
    pub fn of_reader(option: Option<&str>, tz_env: Option<&str>) -> Result<Self> {
        match option {
            Some(name) => Zone::parse(name),
            None => Ok(tz_env.and_then(|name| Zone::parse(name).ok()).unwrap_or_else(Zone::utc)),
        }
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn zoned(&self, at: DateTime<Utc>) -> Option<jiff::ZonedDateTime> {
        Some(Timestamp::from_second(at.timestamp()).ok()?.to_zoned_datetime(self.tz.clone()))
    }

    /// The local calendar day `at` falls on in this zone.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        self.zoned(at)
            .and_then(|z| {
                let d = z.date();
                NaiveDate::from_ymd_opt(
                    i32::from(d.year()),
                    u32::from(d.month().unsigned_abs()),
                    u32::from(d.day().unsigned_abs()),
                )
            })
            .unwrap_or_else(|| at.date_naive())
    }

    /// The first instant of the local day `day` (local midnight, or the first time after it
    /// when a clock change skips midnight).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let start = || -> Option<DateTime<Utc>> {
            let date = Date::new(
                i16::try_from(chrono::Datelike::year(&day)).ok()?,
                i8::try_from(chrono::Datelike::month(&day)).ok()?,
                i8::try_from(chrono::Datelike::day(&day)).ok()?,
            )
            .ok()?;
            let zoned = date.to_zoned_datetime(self.tz.clone()).ok()?.start_of_day().ok()?;
            DateTime::from_timestamp(zoned.timestamp().as_second(), 0)
        };
        start().unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// The first instant after the local day `day`: the start of the next local day.
    pub fn end_of(&self, day: NaiveDate) -> DateTime<Utc> {
        self.start_of(day.succ_opt().unwrap_or(day))
    }

    /// The last second of the local day `day` (`23:59:59` local on an ordinary day).
    pub fn last_second_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let end = self.end_of(day);
        end.checked_sub_signed(chrono::TimeDelta::seconds(1)).unwrap_or(end)
    }

    /// `at` as local time with its offset: `2026-09-01 07:30 +08:00`.
    pub fn format(&self, at: DateTime<Utc>) -> String {
        match self.zoned(at) {
            Some(z) => z.strftime("%Y-%m-%d %H:%M %:z").to_string(),
            None => at.format("%Y-%m-%d %H:%M +00:00").to_string(),
        }
    }

    /// `at` as RFC 3339 in this zone, to the second: `2026-09-01T23:59:59+08:00`.
    pub fn rfc3339(&self, at: DateTime<Utc>) -> String {
        match self.zoned(at) {
            Some(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(),
        }
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}
