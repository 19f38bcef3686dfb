#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The serde reader of the CWT and DCC that the one reader (`decode`) replaced, kept as a
//! differential oracle for the tests.

/// The CWT header claims: `iss`, `iat`, `exp`.
pub(super) type Header = (Option<String>, Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>);

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{DccPayload, HCERT_CLAIM, err};
use healthpass::{Error, Limits, Result};

/// Any CWT, through ciborium's serde.
pub(super) fn decode_serde(payload: &[u8], limits: &Limits) -> Result<(Header, DccPayload)> {
    let mut rest = payload;
    let cwt: Cwt = ciborium::de::from_reader_with_recursion_limit(&mut rest, limits.max_cbor_depth)
        .map_err(|e| err("CWT", describe(&e)))?;
    if !rest.is_empty() {
        return Err(Error::TrailingBytes { step: "CWT" });
    }
    let time = |t: Option<i64>, name: &str| {
        t.map(|s| chrono::DateTime::from_timestamp(s, 0).ok_or_else(|| err("CWT", format!("{name} out of range"))))
            .transpose()
    };
    let payload = cwt.hcert.ok_or_else(|| err("CWT", "no hcert claim (-260) with a DCC (key 1)"))?;
    let header = (cwt.issuer, time(cwt.iat, "iat")?, time(cwt.exp, "exp")?);
    Ok((header, payload))
}

fn describe<T: fmt::Debug>(e: &ciborium::de::Error<T>) -> String {
    match e {
        ciborium::de::Error::Io(_) => "unexpected end of input".into(),
        ciborium::de::Error::Syntax(at) => format!("syntax error at byte {at}"),
        ciborium::de::Error::Semantic(_, msg) => msg.clone(),
        ciborium::de::Error::RecursionLimitExceeded => "nested too deeply".into(),
    }
}

struct Cwt {
    issuer: Option<String>,
    iat: Option<i64>,
    exp: Option<i64>,
    hcert: Option<DccPayload>,
}

/// A map key: an integer, or anything else (skipped).
enum Key {
    Int(i64),
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Key, E> {
                Ok(Key::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Key, E> {
                Ok(i64::try_from(v).map_or(Key::Other, Key::Int))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Key, E> {
                Ok(Key::Other)
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<Key, E> {
                Ok(Key::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Key, E> {
                Ok(Key::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Key, E> {
                Ok(Key::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A time in seconds: an integer, or a float kept to whole seconds.
struct Seconds(i64);

impl<'de> de::Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time in seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Seconds, E> {
                i64::try_from(v).map(Seconds).map_err(|_| E::custom("time out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Seconds, E> {
                if v.is_finite() && v.abs() < 1e15 {
                    Ok(Seconds(v.trunc() as i64))
                } else {
                    Err(E::custom("time out of range"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The hcert claim: a map whose key 1 is the DCC.
struct Hcert(Option<DccPayload>);

impl<'de> de::Deserialize<'de> for Hcert {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Hcert;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the hcert map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Hcert, A::Error> {
                let mut dcc = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Int(1) if dcc.is_some() => return Err(de::Error::custom("duplicate DCC")),
                        Key::Int(1) => dcc = Some(map.next_value::<DccPayload>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Hcert(dcc))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> de::Deserialize<'de> for Cwt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cwt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the CWT claims map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Cwt, A::Error> {
                let mut cwt = Cwt { issuer: None, iat: None, exp: None, hcert: None };
                let mut seen: Vec<i64> = Vec::new();
                while let Some(key) = map.next_key::<Key>()? {
                    let Key::Int(key) = key else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    if seen.contains(&key) {
                        return Err(de::Error::custom("duplicate claim"));
                    }
                    seen.push(key);
                    match key {
                        1 => cwt.issuer = Some(map.next_value::<String>()?),
                        4 => cwt.exp = Some(map.next_value::<Seconds>()?.0),
                        6 => cwt.iat = Some(map.next_value::<Seconds>()?.0),
                        HCERT_CLAIM => cwt.hcert = map.next_value::<Hcert>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(cwt)
            }
        }
        d.deserialize_map(V)
    }
}
