//! Local days in real zones: local midnight, a day where UTC and local dates differ, and the
//! nights Europe/Berlin's clocks change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use healthpass_i18n::zone::Zone;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn local_midnight_starts_the_day() {
    let hk = Zone::parse("Asia/Hong_Kong").unwrap();
    assert_eq!(hk.date_of(utc("2026-08-31T16:00:00Z")), day("2026-09-01"));
    assert_eq!(hk.date_of(utc("2026-08-31T15:59:59Z")), day("2026-08-31"));
    assert_eq!(hk.start_of(day("2026-09-01")), utc("2026-08-31T16:00:00Z"));
    assert_eq!(hk.end_of(day("2026-09-01")), utc("2026-09-01T16:00:00Z"));
    assert_eq!(hk.rfc3339(hk.last_second_of(day("2026-09-01"))), "2026-09-01T23:59:59+08:00");
}

#[test]
fn utc_and_local_dates_differ() {
    let sh = Zone::parse("Asia/Shanghai").unwrap();
    let at = utc("2026-08-31T23:30:00Z");
    assert_eq!(at.date_naive(), day("2026-08-31"));
    assert_eq!(sh.date_of(at), day("2026-09-01"));
    assert_eq!(sh.format(at), "2026-09-01 07:30 +08:00");
    assert_eq!(Zone::utc().format(at), "2026-08-31 23:30 +00:00");
}

#[test]
fn berlin_days_around_clock_changes() {
    let berlin = Zone::parse("Europe/Berlin").unwrap();
    // 2026-03-29: 02:00 CET becomes 03:00 CEST; the day is 23 hours long.
    let (start, end) = (berlin.start_of(day("2026-03-29")), berlin.end_of(day("2026-03-29")));
    assert_eq!(start, utc("2026-03-28T23:00:00Z"));
    assert_eq!(end, utc("2026-03-29T22:00:00Z"));
    assert_eq!((end - start).num_hours(), 23);
    assert_eq!(berlin.format(utc("2026-03-29T00:59:00Z")), "2026-03-29 01:59 +01:00");
    assert_eq!(berlin.format(utc("2026-03-29T01:00:00Z")), "2026-03-29 03:00 +02:00");
    // 2026-10-25: 03:00 CEST becomes 02:00 CET; the day is 25 hours long.
    let (start, end) = (berlin.start_of(day("2026-10-25")), berlin.end_of(day("2026-10-25")));
    assert_eq!((end - start).num_hours(), 25);
    assert_eq!(berlin.date_of(utc("2026-10-25T22:59:59Z")), day("2026-10-25"));
    assert_eq!(berlin.date_of(utc("2026-10-25T23:00:00Z")), day("2026-10-26"));
}

#[test]
fn names_are_checked() {
    assert!(Zone::parse("Asia/Macau").is_ok());
    assert!(Zone::parse("Mars/Olympus_Mons").is_err());
    assert!(Zone::parse("").is_err());
    assert_eq!(Zone::parse(":Asia/Hong_Kong").unwrap().name(), "Asia/Hong_Kong");
    // --tz wins; a TZ that names no zone falls back to UTC; a bad --tz is an error.
    assert_eq!(Zone::of_reader(Some("Asia/Macau"), Some("Europe/Berlin")).unwrap().name(), "Asia/Macau");
    assert_eq!(Zone::of_reader(None, Some("Europe/Berlin")).unwrap().name(), "Europe/Berlin");
    assert_eq!(Zone::of_reader(None, Some("nowhere")).unwrap().name(), "UTC");
    assert!(Zone::of_reader(Some("nowhere"), None).is_err());
    let _ = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0);
}
