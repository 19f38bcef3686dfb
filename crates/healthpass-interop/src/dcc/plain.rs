//! The CWT of a DCC in its common shape, read straight from the bytes into the typed payload:
//! definite lengths, integer claim keys, text fields, integer times and dose numbers, no map key
//! twice, no tags and no nulls, and only scalars in the fields it does not name. Every other
//! input (`None` here) goes to the serde path in `typed`, which accepts or refuses it as before;
//! a unit test and the `cose` fuzz target hold the two equal wherever this one answers.

use healthpass::Limits;
use healthpass::cbor::{Key, Kind, Reader};

use super::{DccCwt, DccName, DccPayload, DccRecovery, DccTest, DccVaccination, HCERT_CLAIM};

/// The nesting of a DCC CWT is 5 deep; under a tighter depth limit the serde path decides.
const MIN_DEPTH_LIMIT: usize = 8;

pub(super) fn decode(payload: &[u8], limits: &Limits) -> Option<(DccCwt, DccPayload)> {
    if limits.max_cbor_depth < MIN_DEPTH_LIMIT {
        return None;
    }
    let mut r = Reader::new(payload, "CWT", Kind::Structure, limits);
    let (mut issuer, mut iat, mut exp, mut dcc) = (None, None, None, None);
    let mut seen = Vec::new();
    for _ in 0..r.map(1, "").ok()? {
        match int_key(r.key(2, &mut seen).ok()?)? {
            Key::Int(1) => issuer = Some(r.text(2, "").ok()?.to_owned()),
            Key::Int(4) => exp = Some(seconds(&mut r)?),
            Key::Int(6) => iat = Some(seconds(&mut r)?),
            Key::Int(key) if key == i128::from(HCERT_CLAIM) => dcc = Some(hcert(&mut r)?),
            _ => r.skip_scalar(2).ok()?,
        }
    }
    r.finish().ok()?;
    // A time out of chrono's range: the serde path names the error.
    let time = |t: Option<i64>| match t {
        None => Some(None),
        Some(seconds) => chrono::DateTime::from_timestamp(seconds, 0).map(Some),
    };
    let header = DccCwt { issuer, issued_at: time(iat)?, expires_at: time(exp)?, hcert: ciborium::Value::Null };
    Some((header, dcc?))
}

/// A claim key as the serde path reads one: text, or an integer in the 64-bit ranges.
fn int_key(key: Key<'_>) -> Option<Key<'_>> {
    match key {
        Key::Int(n) if i64::try_from(n).is_err() && u64::try_from(n).is_err() => None,
        key => Some(key),
    }
}

fn seconds(r: &mut Reader<'_>) -> Option<i64> {
    r.int(2, "").ok()
}

/// The hcert claim: a map whose key 1 is the DCC.
fn hcert(r: &mut Reader<'_>) -> Option<DccPayload> {
    let mut dcc = None;
    let mut seen = Vec::new();
    for _ in 0..r.map(2, "").ok()? {
        match int_key(r.key(3, &mut seen).ok()?)? {
            Key::Int(1) => dcc = Some(payload(r)?),
            _ => r.skip_scalar(3).ok()?,
        }
    }
    dcc
}

/// Reads a map of text keys at `depth`, handing each key to `field`, which reads the value
/// (at `depth + 1`) and returns `None` for anything it cannot take.
fn fields<'b>(
    r: &mut Reader<'b>,
    depth: usize,
    mut field: impl FnMut(&mut Reader<'b>, &str) -> Option<()>,
) -> Option<()> {
    let mut seen = Vec::new();
    for _ in 0..r.map(depth, "").ok()? {
        match r.key(depth + 1, &mut seen).ok()? {
            Key::Text(name) => field(r, name)?,
            // serde's derived structs take an integer key as a field index.
            Key::Int(_) => return None,
        }
    }
    Some(())
}

fn text(r: &mut Reader<'_>, depth: usize) -> Option<String> {
    r.text(depth, "").ok().map(str::to_owned)
}

/// Skips the value of a field the payload does not name (serde ignores those too), if it is a
/// scalar: anything else goes to the serde path, whose depth count then decides.
fn skip(r: &mut Reader<'_>, depth: usize) -> Option<()> {
    r.skip_scalar(depth).ok()
}

fn payload(r: &mut Reader<'_>) -> Option<DccPayload> {
    let (mut ver, mut nam, mut dob, mut v, mut t, mut rec) = (None, None, None, None, None, None);
    fields(r, 3, |r, name| {
        match name {
            "ver" => ver = Some(text(r, 4)?),
            "nam" => nam = Some(name_of(r)?),
            "dob" => dob = Some(text(r, 4)?),
            "v" => v = Some(list(r, vaccination)?),
            "t" => t = Some(list(r, test)?),
            "r" => rec = Some(list(r, recovery)?),
            _ => skip(r, 4)?,
        }
        Some(())
    })?;
    Some(DccPayload { ver: ver?, nam: nam?, dob: dob?, v, t, r: rec })
}

fn name_of(r: &mut Reader<'_>) -> Option<DccName> {
    let mut name = DccName::default();
    fields(r, 4, |r, key| {
        match key {
            "fn" => name.family = Some(text(r, 5)?),
            "fnt" => name.family_standard = Some(text(r, 5)?),
            "gn" => name.given = Some(text(r, 5)?),
            "gnt" => name.given_standard = Some(text(r, 5)?),
            _ => skip(r, 5)?,
        }
        Some(())
    })?;
    Some(name)
}

fn list<T>(r: &mut Reader<'_>, entry: fn(&mut Reader<'_>) -> Option<T>) -> Option<Vec<T>> {
    let count = r.array(4, "").ok()?;
    let mut entries = Vec::with_capacity(count.min(4));
    for _ in 0..count {
        entries.push(entry(r)?);
    }
    Some(entries)
}

/// A dose number: a whole number that fits in 32 bits.
fn number(r: &mut Reader<'_>) -> Option<u32> {
    u32::try_from(r.uint(6, "").ok()?).ok()
}

fn vaccination(r: &mut Reader<'_>) -> Option<DccVaccination> {
    let mut f: [Option<String>; 8] = Default::default();
    let (mut dn, mut sd) = (None, None);
    const NAMES: [&str; 8] = ["tg", "vp", "mp", "ma", "dt", "co", "is", "ci"];
    fields(r, 5, |r, name| {
        match name {
            "dn" => dn = Some(number(r)?),
            "sd" => sd = Some(number(r)?),
            _ => match NAMES.iter().position(|n| *n == name) {
                Some(i) => *f.get_mut(i)? = Some(text(r, 6)?),
                None => skip(r, 6)?,
            },
        }
        Some(())
    })?;
    let [tg, vp, mp, ma, dt, co, is, ci] = f;
    Some(DccVaccination { tg: tg?, vp: vp?, mp: mp?, ma: ma?, dn: dn?, sd: sd?, dt: dt?, co: co?, is: is?, ci: ci? })
}

fn test(r: &mut Reader<'_>) -> Option<DccTest> {
    let mut f: [Option<String>; 11] = Default::default();
    const NAMES: [&str; 11] = ["tg", "tt", "nm", "ma", "sc", "dr", "tr", "tc", "co", "is", "ci"];
    strings(r, &NAMES, &mut f)?;
    let [tg, tt, nm, ma, sc, dr, tr, tc, co, is, ci] = f;
    Some(DccTest { tg: tg?, tt: tt?, nm, ma, sc: sc?, dr, tr: tr?, tc, co: co?, is: is?, ci: ci? })
}

fn recovery(r: &mut Reader<'_>) -> Option<DccRecovery> {
    let mut f: [Option<String>; 7] = Default::default();
    const NAMES: [&str; 7] = ["tg", "fr", "co", "is", "df", "du", "ci"];
    strings(r, &NAMES, &mut f)?;
    let [tg, fr, co, is, df, du, ci] = f;
    Some(DccRecovery { tg: tg?, fr: fr?, co: co?, is: is?, df: df?, du: du?, ci: ci? })
}

/// An entry map whose known fields are all text: each lands in `out` at its name's place.
fn strings<const N: usize>(r: &mut Reader<'_>, names: &[&str; N], out: &mut [Option<String>; N]) -> Option<()> {
    fields(r, 5, |r, name| {
        match names.iter().position(|n| *n == name) {
            Some(i) => *out.get_mut(i)? = Some(text(r, 6)?),
            None => skip(r, 6)?,
        }
        Some(())
    })
}
