//! CertLogic date-times: parsing the allowed formats, `plusTime` offsets and `dccDateOfBirth`.
//!
//! Written by hand because the specification fixes behaviour no date crate reproduces as a
//! whole: the exact list of accepted formats (offsets such as `+1`, `+130` or `+1:30`, any number
//! of fraction digits truncated to milliseconds, a missing offset meaning UTC), partial dates
//! read as the *last* day they allow, and offsets that follow JavaScript's `Date.setUTC*` methods
//! (2020-02-29 plus one year is 2021-03-01; 2021-01-31 plus one month is 2021-03-03). A date-time
//! is a count of milliseconds since 1970-01-01T00:00:00Z, as in JavaScript, within the
//! ±8.64·10¹⁵ ms JavaScript allows.
//!
//! Two readings of the same formats: [`parse_date_time`] accepts only real calendar values (for
//! rule metadata and validation clocks); a `plusTime` operand in an allowed format but with a
//! value out of range — behaviour the specification (1.3.3) leaves undefined — is read as the
//! reference implementation (certlogic-js on V8) reads it: a day up to 31 rolls over into the
//! next month, and anything else out of range is an invalid date, with which every comparison is
//! false. A string in no allowed format is an error, as in the reference implementation.

use crate::error::{Error, Result};

const MS_PER_DAY: i64 = 86_400_000;
const MS_PER_HOUR: i64 = 3_600_000;
/// JavaScript's limit on a time value: ±100 000 000 days around the epoch.
const MAX_TIME: i64 = 8_640_000_000_000_000;

/// A time unit of `plusTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Calendar years (`setUTCFullYear`).
    Year,
    /// Calendar months (`setUTCMonth`).
    Month,
    /// Days of 24 hours (`setUTCDate`).
    Day,
    /// Hours (`setUTCHours`).
    Hour,
}

impl TimeUnit {
    /// Every unit, in the order the specification lists them.
    pub const ALL: [TimeUnit; 4] = [TimeUnit::Year, TimeUnit::Month, TimeUnit::Day, TimeUnit::Hour];

    /// The unit's name in an expression.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Year => "year",
            TimeUnit::Month => "month",
            TimeUnit::Day => "day",
            TimeUnit::Hour => "hour",
        }
    }

    /// The unit with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        TimeUnit::ALL.into_iter().find(|unit| unit.name() == name)
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (month 1–12, any day number).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month 1–12, day) of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// JavaScript's `MakeDay(year, month0, date)`: month and date may be out of range and carry over.
fn make_day(year: i64, month0: i64, date: i64) -> i64 {
    let year = year + month0.div_euclid(12);
    let month = month0.rem_euclid(12) + 1;
    days_from_civil(year, month, 1) + date - 1
}

fn checked(ms: Option<i64>, what: &'static str) -> Result<i64> {
    match ms {
        Some(ms) if (-MAX_TIME..=MAX_TIME).contains(&ms) => Ok(ms),
        _ => Err(Error::Date { what }),
    }
}

/// Reads exactly `n` ASCII digits at the start of `s`.
fn digits(s: &[u8], n: usize) -> Option<i64> {
    let part = s.get(..n)?;
    part.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

/// The parts of a date or date-time string in one of the allowed formats, not yet checked for
/// range: `month` and `day` are `None` for the partial dates `YYYY` and `YYYY-MM`.
struct Fields {
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
    time: Option<(i64, i64, i64, i64)>,
    /// Offset sign (+1/-1), hours and minutes.
    offset: Option<(i64, i64, i64)>,
}

/// Splits an offset after its sign: `h`, `hh`, `hmm`, `hhmm`, `h:mm` or `hh:mm` (hours, minutes).
fn offset_parts(s: &[u8]) -> Option<(i64, i64)> {
    // Colon forms first: a colon without minutes is allowed, as the reference implementation's
    // pattern `[+-]h{1,2}:?(mm)?` allows it.
    match s {
        [h, b':'] => Some((digits(&[*h], 1)?, 0)),
        [h1, h2, b':'] => Some((digits(&[*h1, *h2], 2)?, 0)),
        [h, b':', m @ ..] if m.len() == 2 => Some((digits(&[*h], 1)?, digits(m, 2)?)),
        [h1, h2, b':', m @ ..] if m.len() == 2 => Some((digits(&[*h1, *h2], 2)?, digits(m, 2)?)),
        [h] => Some((digits(&[*h], 1)?, 0)),
        [_, _] => Some((digits(s, 2)?, 0)),
        [h, m @ ..] if m.len() == 2 => Some((digits(&[*h], 1)?, digits(m, 2)?)),
        [h1, h2, m @ ..] if m.len() == 2 => Some((digits(&[*h1, *h2], 2)?, digits(m, 2)?)),
        _ => None,
    }
}

/// Reads the shape of one of the formats the specification lists (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss[.S+][Z|offset]`), without judging the values.
fn fields(s: &[u8]) -> Option<Fields> {
    let year = digits(s, 4)?;
    let two_at = |at: usize| s.get(at..).and_then(|rest| digits(rest, 2));
    let mut f = Fields { year, month: None, day: None, time: None, offset: None };
    match s.len() {
        4 => return Some(f),
        7 if s.get(4) == Some(&b'-') => {
            f.month = Some(two_at(5)?);
            return Some(f);
        }
        _ => {}
    }
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    f.month = Some(two_at(5)?);
    f.day = Some(two_at(8)?);
    if s.len() == 10 {
        return Some(f);
    }
    if s.get(10) != Some(&b'T') || s.get(13) != Some(&b':') || s.get(16) != Some(&b':') {
        return None;
    }
    let mut rest = s.get(19..)?;
    let mut millis = 0;
    if let [b'.', tail @ ..] = rest {
        let count = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        // Milliseconds: the first three decimals, the rest ignored (rounding down).
        for place in 0..3 {
            let digit = tail.get(place).filter(|_| place < count).map_or(0, |b| i64::from(b - b'0'));
            millis = millis * 10 + digit;
        }
        rest = tail.get(count..)?;
    }
    f.time = Some((two_at(11)?, two_at(14)?, two_at(17)?, millis));
    f.offset = match rest {
        [] | [b'Z'] => None,
        [b'+', tail @ ..] => offset_parts(tail).map(|(h, m)| (1, h, m)),
        [b'-', tail @ ..] => offset_parts(tail).map(|(h, m)| (-1, h, m)),
        _ => return None,
    };
    if f.offset.is_none() && !matches!(rest, [] | [b'Z']) {
        return None;
    }
    Some(f)
}

/// Milliseconds of the fields, or `None` when a value is out of range. `strict` accepts only
/// real calendar values; otherwise the ranges are those of JavaScript's `Date` parser in V8 (the
/// reference implementation's engine): a day up to 31 in any month rolls over into the next
/// (2021-02-30 is 2021-03-02), and 24:00:00 is midnight of the next day.
fn to_ms(f: &Fields, strict: bool) -> Option<i64> {
    let month = f.month.unwrap_or(12);
    if !(1..=12).contains(&month) {
        return None;
    }
    let last = days_in_month(f.year, month);
    let day = f.day.unwrap_or(last);
    if day < 1 || day > if strict { last } else { 31 } {
        return None;
    }
    let (hour, minute, second, millis) = f.time.unwrap_or((0, 0, 0, 0));
    let midnight_24 = !strict && hour == 24 && minute == 0 && second == 0 && millis == 0;
    if (hour > 23 && !midnight_24) || minute > 59 || second > 59 {
        return None;
    }
    let (sign, offset_hours, offset_minutes) = f.offset.unwrap_or((0, 0, 0));
    if offset_hours > 23 || offset_minutes > 59 {
        return None;
    }
    let days = make_day(f.year, month - 1, day);
    let ms = days * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000 + second * 1000 + millis
        - sign * (offset_hours * 60 + offset_minutes) * 60_000;
    (-MAX_TIME..=MAX_TIME).contains(&ms).then_some(ms)
}

/// Parses one of the date and date-time formats the specification allows for `plusTime`, to
/// milliseconds since the epoch: a missing offset is UTC, fraction digits past the third are
/// dropped, and the partial dates `YYYY` and `YYYY-MM` are read as `dccDateOfBirth` reads them
/// (the last day they allow). Only real calendar values are accepted: this is the parser for
/// rule metadata and validation clocks.
///
/// # Errors
/// [`Error::Date`] (naming `what`) for any other string, or a value out of range.
pub fn parse_date_time(text: &str, what: &'static str) -> Result<i64> {
    fields(text.as_bytes()).and_then(|f| to_ms(&f, true)).ok_or(Error::Date { what })
}

/// Parses a `plusTime` operand as the reference implementation does: `Ok(None)` is JavaScript's
/// "Invalid Date", for a string in an allowed format whose values are out of range (behaviour
/// the specification leaves undefined; every comparison with it is false, as in JavaScript).
pub(crate) fn parse_operand(text: &str, what: &'static str) -> Result<Option<i64>> {
    let f = fields(text.as_bytes()).ok_or(Error::Date { what })?;
    Ok(to_ms(&f, false))
}

/// `dccDateOfBirth`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as midnight UTC of the last day it allows.
///
/// # Errors
/// [`Error::Date`] for any other string, or a month or day that does not exist.
pub fn parse_date_of_birth(text: &str) -> Result<i64> {
    const WHAT: &str = "dccDateOfBirth operand";
    let f = fields(text.as_bytes()).filter(|f| f.time.is_none()).ok_or(Error::Date { what: WHAT })?;
    to_ms(&f, true).ok_or(Error::Date { what: WHAT })
}

/// [`parse_date_of_birth`] as the reference implementation reads an operand: values out of
/// range roll over or are JavaScript's "Invalid Date" (`None`), as for `plusTime`.
pub(crate) fn parse_date_of_birth_operand(text: &str) -> Result<Option<i64>> {
    const WHAT: &str = "dccDateOfBirth operand";
    let f = fields(text.as_bytes()).filter(|f| f.time.is_none()).ok_or(Error::Date { what: WHAT })?;
    Ok(to_ms(&f, false))
}

/// Adds `amount` units to a date-time, as JavaScript's `Date.setUTC*` methods do.
///
/// # Errors
/// [`Error::Date`] if the result leaves JavaScript's range of time values.
pub fn plus_time(ms: i64, amount: i64, unit: TimeUnit) -> Result<i64> {
    const WHAT: &str = "plusTime result";
    let result = match unit {
        TimeUnit::Hour => amount.checked_mul(MS_PER_HOUR).and_then(|d| ms.checked_add(d)),
        TimeUnit::Day => amount.checked_mul(MS_PER_DAY).and_then(|d| ms.checked_add(d)),
        TimeUnit::Month | TimeUnit::Year => {
            // Bounded first, so the calendar arithmetic below cannot overflow.
            if amount.unsigned_abs() > 4_000_000 {
                return Err(Error::Date { what: WHAT });
            }
            let days = ms.div_euclid(MS_PER_DAY);
            let time_of_day = ms.rem_euclid(MS_PER_DAY);
            let (year, month, day) = civil_from_days(days);
            let new_days = if unit == TimeUnit::Month {
                make_day(year, month - 1 + amount, day)
            } else {
                make_day(year + amount, month - 1, day)
            };
            Some(new_days * MS_PER_DAY + time_of_day)
        }
    };
    checked(result, WHAT)
}

/// Formats a date-time as JavaScript's `Date.toISOString` does (`2021-06-01T00:00:00.000Z`).
pub fn format_iso(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else if year < 0 {
        format!("-{:06}", -year)
    } else {
        format!("+{year:06}")
    };
    format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / MS_PER_HOUR,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        parse_date_time(text, "test").unwrap()
    }

    #[test]
    fn formats_of_the_specification() {
        let base = at("2021-06-01T12:00:00Z");
        assert_eq!(format_iso(base), "2021-06-01T12:00:00.000Z");
        assert_eq!(at("2021-06-01T12:00:00"), base);
        for offset in ["+1", "+01", "+100", "+0100", "+1:00", "+01:00", "+01:", "+1:"] {
            assert_eq!(at(&format!("2021-06-01T13:00:00{offset}")), base, "{offset}");
        }
        assert_eq!(at("2021-06-01T10:30:00-1:30"), base);
        assert_eq!(at("2021-06-01T12:00:00.5Z"), base + 500);
        assert_eq!(at("2021-06-01T12:00:00.123999+00:00"), base + 123);
        assert_eq!(format_iso(at("2021")), "2021-12-31T00:00:00.000Z");
        assert_eq!(format_iso(at("2024-02")), "2024-02-29T00:00:00.000Z");
        assert_eq!(format_iso(at("2021-06-01")), "2021-06-01T00:00:00.000Z");
    }

    #[test]
    fn refuses_what_the_specification_does_not_allow() {
        for bad in [
            "",
            "21",
            "2021-6-01",
            "2021-13",
            "2021-02-29",
            "2021-09-99",
            "2021-06-01T12:00",
            "2021-06-01 12:00:00Z",
            "2021-06-01T24:00:00Z",
            "2021-06-01T12:00:00.Z",
            "2021-06-01T12:00:00+12345",
            "2021-06-01T12:00:00+24",
            "2021-06-01T12:00:00z",
            "2021-06-01T12:00:00+1:3",
            "２０２１-06-01",
        ] {
            assert!(parse_date_time(bad, "test").is_err(), "{bad}");
        }
    }

    #[test]
    fn offsets_follow_javascript() {
        let leap = at("2020-02-29");
        assert_eq!(format_iso(plus_time(leap, 1, TimeUnit::Day).unwrap()), "2020-03-01T00:00:00.000Z");
        assert_eq!(format_iso(plus_time(leap, 1, TimeUnit::Month).unwrap()), "2020-03-29T00:00:00.000Z");
        assert_eq!(format_iso(plus_time(leap, 1, TimeUnit::Year).unwrap()), "2021-03-01T00:00:00.000Z");
        let end = at("2021-01-31T10:00:00Z");
        assert_eq!(format_iso(plus_time(end, 1, TimeUnit::Month).unwrap()), "2021-03-03T10:00:00.000Z");
        assert_eq!(format_iso(plus_time(end, -13, TimeUnit::Month).unwrap()), "2019-12-31T10:00:00.000Z");
        assert_eq!(format_iso(plus_time(end, -30, TimeUnit::Hour).unwrap()), "2021-01-30T04:00:00.000Z");
        assert!(plus_time(end, i64::MAX, TimeUnit::Hour).is_err());
        assert!(plus_time(end, 3_000_000, TimeUnit::Year).is_err());
        assert_eq!(format_iso(at("1969-12-31T23:59:59.999Z")), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn operands_out_of_range_are_invalid_dates_as_in_javascript() {
        let iso = |text: &str| parse_operand(text, "test").unwrap().map(format_iso);
        assert_eq!(iso("2021-02-30").as_deref(), Some("2021-03-02T00:00:00.000Z"), "V8 rolls day 30 over");
        assert_eq!(iso("2021-04-31T10:00:00Z").as_deref(), Some("2021-05-01T10:00:00.000Z"));
        assert_eq!(iso("2021-01-01T24:00:00Z").as_deref(), Some("2021-01-02T00:00:00.000Z"));
        for invalid in [
            "2021-02-32",
            "2021-13-01",
            "2021-00",
            "2021-01-01T24:00:01Z",
            "2021-01-01T10:60:00Z",
            "2021-01-01T10:00:00+24",
        ] {
            assert_eq!(iso(invalid), None, "{invalid}");
        }
        assert!(parse_operand("2021-1-01", "test").is_err(), "a format outside the list is an error");
        assert!(parse_date_time("2021-02-30", "test").is_err(), "metadata and clocks are strict");
    }

    #[test]
    fn dates_of_birth_are_the_last_day_they_allow() {
        assert_eq!(format_iso(parse_date_of_birth("2004").unwrap()), "2004-12-31T00:00:00.000Z");
        assert_eq!(format_iso(parse_date_of_birth("2023-02").unwrap()), "2023-02-28T00:00:00.000Z");
        assert_eq!(format_iso(parse_date_of_birth("2004-01-01").unwrap()), "2004-01-01T00:00:00.000Z");
        assert!(parse_date_of_birth("2004-01-01T00:00:00Z").is_err());
        assert!(parse_date_of_birth("").is_err());
    }
}
