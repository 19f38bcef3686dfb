//! The one reader of a DCC's CWT and payload: claims `iss`, `iat`, `exp` and the hcert claim,
//! then the DCC itself into [`DccPayload`], in one pass over the bytes with the core's strict
//! CBOR reader (indefinite lengths allowed, as several issuers' encoders write them).
//!
//! Hand-written over [`Reader`] rather than serde: it refuses duplicate claims and fields,
//! counts depth and items under [`Limits`], keeps the DCC's bytes as received (for
//! [`DccCwt::hcert_json`] and the schema check), and is the single path that the verifier,
//! [`DccCwt::decode`] and the conformance runner share. Its rules are those of the serde reader
//! it replaced (which stays in the tests as an oracle): tags before a value are read past, a
//! null optional field is absent, unknown fields are skipped whatever they hold, times are
//! integers or floats kept to whole seconds, dose numbers whole numbers.

use std::ops::Range;

use chrono::{DateTime, Utc};
use healthpass::cbor::{Key, Kind, Number, Reader};
use healthpass::{Error, Limits, Result};

use super::{DccCwt, DccName, DccPayload, DccRecovery, DccTest, DccVaccination, HCERT_CLAIM, err};

/// The depth of the DCC map inside the CWT (claims map 1, hcert map 2, DCC 3).
const DCC_DEPTH: usize = 3;

/// Reads the CWT claims. With `typed`, the DCC is read into a [`DccPayload`] on the way (the
/// verifier's path); without, it is only checked as CBOR and must be a map (the path of
/// [`DccCwt::decode`], which a schema check follows).
///
/// # Errors
/// [`Error::Cbor`], [`Error::DuplicateKey`], [`Error::TrailingBytes`] and [`Error::TooLarge`]
/// for CBOR that breaks the reader's rules; [`Error::Foreign`] (step `CWT`) for a claim of the
/// wrong type or a missing hcert, (step `hcert`) for a DCC that breaks the payload's structure.
pub(super) fn cwt(bytes: &[u8], limits: &Limits, typed: bool) -> Result<(DccCwt, Option<DccPayload>)> {
    let mut r = Reader::new(bytes, "CWT", Kind::Structure, limits).allowing_indefinite();
    r.skip_tags()?;
    if r.peek_major() != Some(5) {
        return Err(err("CWT", "the claims are not a CBOR map"));
    }
    let mut claims = r.map_items(1, "the CWT claims")?;
    let (mut issuer, mut issued_at, mut expires_at, mut dcc) = (None, None, None, None);
    let mut seen = Vec::new();
    while r.more(&mut claims)? {
        match r.key(2, &mut seen)? {
            Key::Int(1) => {
                r.skip_tags()?;
                issuer = Some(r.text_string(2, "iss").map_err(|_| err("CWT", "iss is not text"))?.into_owned());
            }
            Key::Int(4) => expires_at = Some(time(&mut r, "exp")?),
            Key::Int(6) => issued_at = Some(time(&mut r, "iat")?),
            Key::Int(key) if key == i128::from(HCERT_CLAIM) => dcc = Some(hcert(&mut r, typed)?),
            _ => r.skip(2)?,
        }
    }
    r.finish()?;
    let (range, payload) = dcc.ok_or_else(|| err("CWT", "no hcert claim (-260) map"))?;
    let hcert = bytes.get(range).unwrap_or_default().to_vec();
    Ok((DccCwt { issuer, issued_at, expires_at, hcert, limits: *limits }, payload))
}

/// A CWT time: an integer, or a float kept to whole seconds (a few issuers wrote floats).
fn time(r: &mut Reader<'_>, name: &str) -> Result<DateTime<Utc>> {
    let wrong = || err("CWT", format!("{name} is not a time in seconds"));
    r.skip_tags()?;
    let seconds = match r.number(2, name).map_err(|_| wrong())? {
        Number::Int(n) => i64::try_from(n).ok(),
        Number::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(f.trunc() as i64),
        Number::Float(_) => None,
    };
    seconds.and_then(|s| DateTime::from_timestamp(s, 0)).ok_or_else(wrong)
}

/// The hcert claim: a map whose key 1 is the DCC. Returns where the DCC lies in the input and,
/// with `typed`, the DCC read.
fn hcert(r: &mut Reader<'_>, typed: bool) -> Result<(Range<usize>, Option<DccPayload>)> {
    r.skip_tags()?;
    if r.peek_major() != Some(5) {
        return Err(err("CWT", "no hcert claim (-260) map"));
    }
    let mut items = r.map_items(2, "the hcert claim")?;
    let mut seen = Vec::new();
    let mut dcc = None;
    while r.more(&mut items)? {
        match r.key(DCC_DEPTH, &mut seen)? {
            Key::Int(1) => {
                r.skip_tags()?;
                if r.peek_major() != Some(5) {
                    return Err(err("CWT", "the DCC is not a map"));
                }
                let start = r.position();
                let payload = if typed { Some(payload(r)?) } else { r.skip(DCC_DEPTH).map(|()| None)? };
                dcc = Some((start..r.position(), payload));
            }
            _ => r.skip(DCC_DEPTH)?,
        }
    }
    dcc.ok_or_else(|| err("CWT", "the hcert claim has no DCC (key 1)"))
}

/// Reads the DCC map held in `bytes` (as [`DccCwt`] keeps it) into a [`DccPayload`].
///
/// # Errors
/// As [`cwt`] for the DCC.
pub(super) fn payload_of(bytes: &[u8], limits: &Limits) -> Result<DccPayload> {
    let mut r = Reader::new(bytes, "hcert", Kind::Structure, limits).allowing_indefinite();
    let payload = payload(&mut r)?;
    r.finish()?;
    Ok(payload)
}

/// A required field.
fn need<T>(value: Option<T>, name: &str) -> Result<T> {
    value.ok_or_else(|| err("hcert", format!("missing field `{name}`")))
}

/// Reads a map of text field names at `depth`, handing each name to `field`, which reads the
/// value (at `depth + 1`).
fn fields<'b>(
    r: &mut Reader<'b>,
    depth: usize,
    what: &str,
    mut field: impl FnMut(&mut Reader<'b>, &str) -> Result<()>,
) -> Result<()> {
    r.skip_tags()?;
    let mut items = r.map_items(depth, what).map_err(|_| err("hcert", format!("{what} must be a map")))?;
    let mut seen = Vec::new();
    while r.more(&mut items)? {
        match r.key(depth + 1, &mut seen)? {
            Key::Text(name) => field(r, name)?,
            Key::Int(_) => return Err(err("hcert", format!("a field name in {what} is not text"))),
        }
    }
    Ok(())
}

/// A text field.
fn text(r: &mut Reader<'_>, depth: usize, name: &str) -> Result<String> {
    r.skip_tags()?;
    match r.text_string(depth, name) {
        Ok(text) => Ok(text.into_owned()),
        Err(Error::Cbor { .. }) => Err(err("hcert", format!("`{name}` must be text"))),
        Err(other) => Err(other),
    }
}

/// An optional text field: null (or undefined) is absent.
fn optional_text(r: &mut Reader<'_>, depth: usize, name: &str) -> Result<Option<String>> {
    r.skip_tags()?;
    if r.null() { Ok(None) } else { text(r, depth, name).map(Some) }
}

/// A dose number: a whole number from 0 to 2³² − 1, written as an integer or a float.
fn number(r: &mut Reader<'_>, depth: usize, name: &str) -> Result<u32> {
    r.skip_tags()?;
    let whole = match r.number(depth, name) {
        Ok(Number::Int(n)) => u32::try_from(n).ok(),
        Ok(Number::Float(f)) if f.fract() == 0.0 && f >= 0.0 && f <= f64::from(u32::MAX) => Some(f as u32),
        _ => None,
    };
    whole.ok_or_else(|| err("hcert", format!("`{name}` must be a whole number")))
}

fn payload(r: &mut Reader<'_>) -> Result<DccPayload> {
    let (mut ver, mut nam, mut dob, mut v, mut t, mut rec) = (None, None, None, None, None, None);
    let depth = DCC_DEPTH + 1;
    fields(r, DCC_DEPTH, "the DCC", |r, name| {
        match name {
            "ver" => ver = Some(text(r, depth, name)?),
            "nam" => nam = Some(name_of(r)?),
            "dob" => dob = Some(text(r, depth, name)?),
            "v" => v = list(r, name, vaccination)?,
            "t" => t = list(r, name, test)?,
            "r" => rec = list(r, name, recovery)?,
            _ => r.skip(depth)?,
        }
        Ok(())
    })?;
    Ok(DccPayload { ver: need(ver, "ver")?, nam: need(nam, "nam")?, dob: need(dob, "dob")?, v, t, r: rec })
}

fn name_of(r: &mut Reader<'_>) -> Result<DccName> {
    let mut name = DccName::default();
    let depth = DCC_DEPTH + 2;
    fields(r, DCC_DEPTH + 1, "nam", |r, key| {
        match key {
            "fn" => name.family = optional_text(r, depth, key)?,
            "fnt" => name.family_standard = optional_text(r, depth, key)?,
            "gn" => name.given = optional_text(r, depth, key)?,
            "gnt" => name.given_standard = optional_text(r, depth, key)?,
            _ => r.skip(depth)?,
        }
        Ok(())
    })?;
    Ok(name)
}

/// An entry list (`v`, `t` or `r`): null is absent.
fn list<T>(r: &mut Reader<'_>, name: &str, entry: fn(&mut Reader<'_>) -> Result<T>) -> Result<Option<Vec<T>>> {
    r.skip_tags()?;
    if r.null() {
        return Ok(None);
    }
    let mut items = r.array_items(DCC_DEPTH + 1, name).map_err(|_| err("hcert", format!("`{name}` must be a list")))?;
    let mut entries = Vec::with_capacity(items.declared().unwrap_or(1).min(4));
    while r.more(&mut items)? {
        entries.push(entry(r)?);
    }
    Ok(Some(entries))
}

/// The depth of an entry's fields.
const FIELD_DEPTH: usize = DCC_DEPTH + 3;

fn vaccination(r: &mut Reader<'_>) -> Result<DccVaccination> {
    const NAMES: [&str; 8] = ["tg", "vp", "mp", "ma", "dt", "co", "is", "ci"];
    let mut f: [Option<String>; 8] = Default::default();
    let (mut dn, mut sd) = (None, None);
    fields(r, DCC_DEPTH + 2, "a vaccination", |r, name| {
        match name {
            "dn" => dn = Some(number(r, FIELD_DEPTH, name)?),
            "sd" => sd = Some(number(r, FIELD_DEPTH, name)?),
            _ => match NAMES.iter().position(|n| *n == name).and_then(|i| f.get_mut(i)) {
                Some(slot) => *slot = Some(text(r, FIELD_DEPTH, name)?),
                None => r.skip(FIELD_DEPTH)?,
            },
        }
        Ok(())
    })?;
    let [tg, vp, mp, ma, dt, co, is, ci] = f;
    Ok(DccVaccination {
        tg: need(tg, "tg")?,
        vp: need(vp, "vp")?,
        mp: need(mp, "mp")?,
        ma: need(ma, "ma")?,
        dn: need(dn, "dn")?,
        sd: need(sd, "sd")?,
        dt: need(dt, "dt")?,
        co: need(co, "co")?,
        is: need(is, "is")?,
        ci: need(ci, "ci")?,
    })
}

fn test(r: &mut Reader<'_>) -> Result<DccTest> {
    const NAMES: [&str; 7] = ["tg", "tt", "sc", "tr", "co", "is", "ci"];
    const OPTIONAL: [&str; 4] = ["nm", "ma", "dr", "tc"];
    let mut f: [Option<String>; 7] = Default::default();
    let mut o: [Option<String>; 4] = Default::default();
    strings(r, "a test", (&NAMES, &mut f), (&OPTIONAL, &mut o))?;
    let [tg, tt, sc, tr, co, is, ci] = f;
    let [nm, ma, dr, tc] = o;
    Ok(DccTest {
        tg: need(tg, "tg")?,
        tt: need(tt, "tt")?,
        nm,
        ma,
        sc: need(sc, "sc")?,
        dr,
        tr: need(tr, "tr")?,
        tc,
        co: need(co, "co")?,
        is: need(is, "is")?,
        ci: need(ci, "ci")?,
    })
}

fn recovery(r: &mut Reader<'_>) -> Result<DccRecovery> {
    const NAMES: [&str; 7] = ["tg", "fr", "co", "is", "df", "du", "ci"];
    let mut f: [Option<String>; 7] = Default::default();
    strings(r, "a recovery", (&NAMES, &mut f), (&[], &mut []))?;
    let [tg, fr, co, is, df, du, ci] = f;
    Ok(DccRecovery {
        tg: need(tg, "tg")?,
        fr: need(fr, "fr")?,
        co: need(co, "co")?,
        is: need(is, "is")?,
        df: need(df, "df")?,
        du: need(du, "du")?,
        ci: need(ci, "ci")?,
    })
}

/// An entry whose known fields are all text: required ones land in `required` at their
/// name's place, optional ones (null meaning absent) in `optional`.
fn strings<const N: usize, const M: usize>(
    r: &mut Reader<'_>,
    what: &str,
    required: (&[&str; N], &mut [Option<String>; N]),
    optional: (&[&str; M], &mut [Option<String>; M]),
) -> Result<()> {
    let ((names, out), (optional_names, optional_out)) = (required, optional);
    fields(r, DCC_DEPTH + 2, what, |r, name| {
        if let Some(slot) = names.iter().position(|n| *n == name).and_then(|i| out.get_mut(i)) {
            *slot = Some(text(r, FIELD_DEPTH, name)?);
        } else if let Some(slot) = optional_names.iter().position(|n| *n == name).and_then(|i| optional_out.get_mut(i))
        {
            *slot = optional_text(r, FIELD_DEPTH, name)?;
        } else {
            r.skip(FIELD_DEPTH)?;
        }
        Ok(())
    })
}
