//! Python values to and from the core's serde (JSON) forms, and `datetime` to and from
//! `DateTime<Utc>`.
//!
//! Dicts in, dicts out: a dict argument (claims, a policy, a trust-list draft) is walked into a
//! `serde_json::Value` and read by the core's serde types, so the core decides what is valid;
//! results (claims, verdicts, states) are the core's serde output as plain Python values.

use chrono::{DateTime, Utc};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

use crate::errors::input;

/// The deepest nesting of dicts and lists read from Python (the core's claims nest far less).
const MAX_DEPTH: usize = 32;
/// The most items of one dict or list read from Python.
const MAX_ITEMS: usize = 100_000;

/// A Python value (dict, list, tuple, str, int, float, bool, None, aware datetime, date, bytes)
/// as JSON. Datetimes become RFC 3339 text, dates ISO 8601 text, bytes lowercase hex.
///
/// # Errors
/// [`crate::errors::InputError`] for any other type, a naive datetime, a dict key that is not
/// text, a non-finite float, or nesting deeper than 32.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    walk(obj, 0)
}

fn walk(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(input(format!("nested deeper than {MAX_DEPTH} levels")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(Value::String(text.to_cow()?.into_owned()));
    }
    if let Ok(flag) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        return obj
            .extract::<u64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| input("an integer outside the 64-bit range"));
    }
    if let Ok(float) = obj.cast::<PyFloat>() {
        return Number::from_f64(float.value()).map(Value::Number).ok_or_else(|| input("a float that is not finite"));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        if dict.len() > MAX_ITEMS {
            return Err(input(format!("a dict of more than {MAX_ITEMS} items")));
        }
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let key = key.cast::<PyString>().map_err(|_| input("a dict key that is not a str"))?.to_cow()?.into_owned();
            map.insert(key, walk(&value, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return sequence(list.len(), list.iter(), depth);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return sequence(tuple.len(), tuple.iter(), depth);
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(aware(obj)?.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)));
    }
    if obj.is_instance_of::<PyDate>() {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(Value::String(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&bytes.as_bytes()))));
    }
    if let Ok(bytes) = obj.cast::<PyByteArray>() {
        return Ok(Value::String(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&bytes.to_vec()))));
    }
    let name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    Err(input(format!("a value of type {name}, which has no JSON form")))
}

fn sequence<'py>(len: usize, items: impl Iterator<Item = Bound<'py, PyAny>>, depth: usize) -> PyResult<Value> {
    if len > MAX_ITEMS {
        return Err(input(format!("a list of more than {MAX_ITEMS} items")));
    }
    items.map(|item| walk(&item, depth + 1)).collect::<PyResult<Vec<_>>>().map(Value::Array)
}

/// A serde value of the core (claims, a verdict, a state) as plain Python values (dict, list,
/// str, int, bool, None), in one pass: exactly its JSON form, without building the JSON.
pub(crate) fn serialize<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    crate::pyser::to_python(py, value)
}

/// The JSON text of a dict argument (or the text itself, for JSON given as str or bytes).
pub(crate) fn json_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return std::str::from_utf8(bytes.as_bytes())
            .map(str::to_owned)
            .map_err(|_| input("JSON bytes that are not UTF-8"));
    }
    Ok(to_value(obj)?.to_string())
}

/// A core serde type from a dict (walked as JSON values) or from JSON text (str or bytes).
/// Errors about a dict name the field, with no position in a JSON text the caller never wrote.
pub(crate) fn from_dict<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
) -> PyResult<Result<T, serde_json::Error>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Ok(serde_json::from_str(&json_text(obj)?));
    }
    Ok(serde_json::from_value(to_value(obj)?))
}

/// A timezone-aware `datetime` as UTC, to the microsecond.
///
/// # Errors
/// [`crate::errors::InputError`] for a naive datetime (one without `tzinfo`, or whose
/// `utcoffset()` is `None`) or anything that is not a datetime.
pub(crate) fn aware(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    if !obj.is_instance_of::<PyDateTime>() {
        let name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
        return Err(input(format!("a time must be a timezone-aware datetime, not {name}")));
    }
    let py = obj.py();
    let zone = obj.getattr(intern!(py, "tzinfo"))?;
    // `timezone.utc` has an offset; any other zone is asked (a tzinfo may answer None).
    if !zone.is(utc(py)?) && (zone.is_none() || obj.call_method0(intern!(py, "utcoffset"))?.is_none()) {
        return Err(input(
            "a naive datetime is refused: give a timezone-aware one, such as datetime.now(timezone.utc)",
        ));
    }
    let stamp: f64 = obj.call_method0(intern!(py, "timestamp"))?.extract()?;
    from_timestamp(stamp)
}

/// `datetime.timezone.utc`, imported once.
fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    UTC.get_or_try_init(py, || Ok::<_, PyErr>(py.import("datetime")?.getattr("timezone")?.getattr("utc")?.unbind()))
        .map(|utc| utc.bind(py))
}

/// Seconds since the Unix epoch (a float of microsecond precision) as UTC.
fn from_timestamp(stamp: f64) -> PyResult<DateTime<Utc>> {
    let micros = (stamp * 1e6).round();
    // Out-of-range floats saturate in the cast and are refused by chrono below.
    #[allow(clippy::cast_possible_truncation)]
    let micros = micros as i64;
    DateTime::from_timestamp_micros(micros).ok_or_else(|| input("a time outside the range a code's times can take"))
}

/// The given time, or the system clock's when `None`.
pub(crate) fn now_or_clock(now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    match now {
        Some(now) => aware(now),
        None => {
            let elapsed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| input("the system clock is before 1970"))?;
            let micros = i64::try_from(elapsed.as_micros()).map_err(|_| input("the system clock is out of range"))?;
            DateTime::from_timestamp_micros(micros).ok_or_else(|| input("the system clock is out of range"))
        }
    }
}

/// A `timedelta` (or a number of seconds) as a chrono duration, to the microsecond.
pub(crate) fn duration(obj: &Bound<'_, PyAny>) -> PyResult<chrono::TimeDelta> {
    let seconds: f64 = if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        obj.extract()?
    } else {
        obj.call_method0("total_seconds")
            .map_err(|_| input("a duration must be a timedelta or a number of seconds"))?
            .extract()?
    };
    if !seconds.is_finite() || seconds.abs() > 1e12 {
        return Err(input("a duration out of range"));
    }
    #[allow(clippy::cast_possible_truncation)]
    let micros = (seconds * 1e6).round() as i64;
    Ok(chrono::TimeDelta::microseconds(micros))
}

/// Bytes from `bytes`, `bytearray` or `memoryview`-like objects.
pub(crate) fn bytes_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(bytes) = obj.cast::<PyByteArray>() {
        return Ok(bytes.to_vec());
    }
    obj.extract::<Vec<u8>>().map_err(|_| input("expected bytes"))
}

/// Exactly `N` bytes from bytes or hex text.
pub(crate) fn fixed<const N: usize>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<[u8; N]> {
    let raw = if let Ok(text) = obj.cast::<PyString>() {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(AsRef::<[u8]>::as_ref(text.to_cow()?.as_ref()))
            .map_err(|_| input(format!("{what}: not hex")))?
    } else {
        bytes_of(obj)?
    };
    raw.try_into().map_err(|_| input(format!("{what}: must be {N} bytes")))
}
