//! Values during evaluation: JSON borrowed from the data or the expression, computed JSON,
//! date-times, and arrays built from array literals. Truthiness and strict equality as CertLogic
//! defines them.

use serde_json::Value;

use crate::datetime::format_iso;

/// A value produced while evaluating. Borrowing keeps rule evaluation free of copies of the
/// payload and the value sets.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// JSON borrowed from the data context or from the expression.
    Json(&'a Value),
    /// JSON computed by an operation (booleans, integers).
    Owned(Value),
    /// A string borrowed from the data (a fragment from `extractFromUVCI`).
    Str(&'a str),
    /// A date-time, in milliseconds since the epoch; `None` is JavaScript's "Invalid Date".
    Date(Option<i64>),
    /// An array built from an array literal, with its nesting depth.
    List(Vec<Val<'a>>, usize),
}

pub(crate) const NULL: Val<'static> = Val::Owned(Value::Null);

/// The largest integer a JSON number may hold and still count as a CertLogic integer (2⁵³, the
/// range in which JavaScript's `Number.isInteger` values are exact).
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// The integer a JSON number holds, if it is an integer (JavaScript's `Number.isInteger`: `2.0`
/// is an integer), within ±2⁵³.
pub(crate) fn json_int(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(i) = number.as_i64() {
        return (i.unsigned_abs() <= MAX_SAFE as u64).then_some(i);
    }
    let f = number.as_f64()?;
    (f.fract() == 0.0 && f.abs() <= MAX_SAFE).then_some(f as i64)
}

/// Numbers compared as JavaScript compares them: by value, `1` equal to `1.0`.
fn number_eq(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => match (a.as_u64(), b.as_u64()) {
            (Some(x), Some(y)) => x == y,
            _ => a.as_f64().zip(b.as_f64()).is_some_and(|(x, y)| x == y),
        },
    }
}

/// Deep equality of JSON values with numbers compared by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_eq(x, y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

impl<'a> Val<'a> {
    /// The JSON this value is, when it is plain JSON (not a date or a built array).
    fn json(&self) -> Option<&Value> {
        match self {
            Val::Json(v) => Some(v),
            Val::Owned(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        self.json().is_some_and(Value::is_null)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            other => other.json().and_then(Value::as_str),
        }
    }

    /// The string, borrowed for the evaluation's lifetime when it came from the data.
    pub(crate) fn as_borrowed_str(&self) -> Option<std::borrow::Cow<'a, str>> {
        match self {
            Val::Str(s) => Some(std::borrow::Cow::Borrowed(s)),
            Val::Json(Value::String(s)) => Some(std::borrow::Cow::Borrowed(s.as_str())),
            Val::Owned(Value::String(s)) => Some(std::borrow::Cow::Owned(s.clone())),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        self.json().and_then(json_int)
    }

    /// The nesting depth of arrays built during evaluation (0 for everything else).
    pub(crate) fn depth(&self) -> usize {
        match self {
            Val::List(_, depth) => *depth,
            _ => 0,
        }
    }

    /// CertLogic truthiness: `Some(true)` truthy, `Some(false)` falsy, `None` neither (a
    /// date-time is neither).
    pub(crate) fn truthiness(&self) -> Option<bool> {
        match self {
            Val::Str(s) => Some(!s.is_empty()),
            Val::Date(_) => None,
            Val::List(items, _) => Some(!items.is_empty()),
            Val::Json(v) => json_truthiness(v),
            Val::Owned(v) => json_truthiness(v),
        }
    }

    /// The items, when the value is an array.
    pub(crate) fn items(&self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::Json(Value::Array(items)) => Some(items.iter().map(Val::Json).collect()),
            Val::Owned(Value::Array(items)) => Some(items.iter().cloned().map(Val::Owned).collect()),
            Val::List(items, _) => Some(items.clone()),
            _ => None,
        }
    }

    /// Whether the value is an array holding an element strictly equal to `needle`.
    pub(crate) fn contains(&self, needle: &Val<'_>) -> Option<bool> {
        match self {
            Val::Json(Value::Array(items)) => Some(items.iter().any(|item| strict_eq(&Val::Json(item), needle))),
            Val::Owned(Value::Array(items)) => Some(items.iter().any(|item| strict_eq(&Val::Json(item), needle))),
            Val::List(items, _) => Some(items.iter().any(|item| strict_eq(item, needle))),
            _ => None,
        }
    }

    /// One step of a `var` path into this value. Besides object keys and array indices, the
    /// JavaScript reads the reference implementation allows on JSON values are kept: an array's
    /// or a string's `length`, and a string's character (UTF-16 unit) at an index.
    pub(crate) fn drill(self, fragment: &Fragment) -> Val<'a> {
        if fragment.index.is_none() && fragment.key == "length" {
            let length = match &self {
                Val::List(items, _) => Some(items.len()),
                other => other
                    .json()
                    .and_then(Value::as_array)
                    .map(Vec::len)
                    .or_else(|| other.as_str().map(|s| s.encode_utf16().count())),
            };
            if let Some(length) = length {
                return Val::Owned(Value::from(length));
            }
        }
        if let (Some(text), Some(index)) = (self.as_str(), fragment.index) {
            let unit = usize::try_from(index).ok().and_then(|i| text.encode_utf16().nth(i));
            return unit.map_or(NULL, |u| Val::Owned(Value::String(String::from_utf16_lossy(&[u]))));
        }
        match self {
            Val::Json(v) => fragment.lookup(v).map_or(NULL, Val::Json),
            Val::Owned(v) => fragment.lookup(&v).cloned().map_or(NULL, Val::Owned),
            Val::List(items, _) => match fragment.index.and_then(|i| usize::try_from(i).ok()) {
                Some(i) => items.into_iter().nth(i).unwrap_or(NULL),
                None => NULL,
            },
            // Any other property of a string, and a date's methods, are not data: null.
            Val::Str(_) | Val::Date(_) => NULL,
        }
    }

    /// The JSON form of the result: a date-time as its ISO 8601 text, as `JSON.stringify` writes it.
    pub(crate) fn into_json(self) -> Value {
        match self {
            Val::Json(v) => v.clone(),
            Val::Owned(v) => v,
            Val::Str(s) => Value::String(s.to_owned()),
            // `JSON.stringify` writes an invalid date as null.
            Val::Date(ms) => ms.map_or(Value::Null, |ms| Value::String(format_iso(ms))),
            Val::List(items, _) => Value::Array(items.into_iter().map(Val::into_json).collect()),
        }
    }
}

fn json_truthiness(value: &Value) -> Option<bool> {
    Some(match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    })
}

/// `===`: strings, numbers (by value), booleans and null compare by value. JavaScript compares
/// arrays and objects by reference, which JSON cannot express; here they compare deeply, so that
/// the result does not depend on where a value came from. Two date-times are never `===` (as in
/// JavaScript, where each is a distinct object): compare them with `after`/`before`.
pub(crate) fn strict_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        return x == y;
    }
    match (a, b) {
        (Val::Date(_), _) | (_, Val::Date(_)) => false,
        (Val::List(..), _) | (_, Val::List(..)) => a.clone().into_json() == b.clone().into_json(),
        _ => match (a.json(), b.json()) {
            (Some(x), Some(y)) => json_eq(x, y),
            _ => false,
        },
    }
}

/// One fragment of a `var` path, read as JavaScript's `parseInt(fragment, 10)` reads it: a
/// fragment starting with an integer indexes arrays (and objects by that integer's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fragment {
    /// The key for objects.
    pub key: String,
    /// The array index, when the fragment starts with an integer.
    pub index: Option<i64>,
}

impl Fragment {
    pub(crate) fn parse(text: &str) -> Self {
        let trimmed = text.trim_start();
        let (negative, unsigned) = match trimmed.as_bytes().first() {
            Some(b'-') => (true, trimmed.get(1..).unwrap_or("")),
            Some(b'+') => (false, trimmed.get(1..).unwrap_or("")),
            _ => (false, trimmed),
        };
        let digits: String = unsigned.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<i64>() {
            Ok(n) => {
                let index = if negative { -n } else { n };
                Fragment { key: index.to_string(), index: Some(index) }
            }
            Err(_) if !digits.is_empty() => Fragment { key: text.to_owned(), index: Some(i64::MAX) },
            Err(_) => Fragment { key: text.to_owned(), index: None },
        }
    }

    fn lookup<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        match value {
            Value::Object(map) => map.get(&self.key),
            Value::Array(items) => usize::try_from(self.index?).ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truthiness_as_specified() {
        for falsy in [json!(false), json!(null), json!(""), json!(0), json!([]), json!({})] {
            assert_eq!(Val::Json(&falsy).truthiness(), Some(false), "{falsy}");
        }
        for truthy in [json!(true), json!("0"), json!(-1), json!([0]), json!({"a": null}), json!(0.5)] {
            assert_eq!(Val::Json(&truthy).truthiness(), Some(true), "{truthy}");
        }
        assert_eq!(Val::Date(Some(0)).truthiness(), None);
    }

    #[test]
    fn integers_as_javascript_sees_them() {
        assert_eq!(json_int(&json!(2.0)), Some(2));
        assert_eq!(json_int(&json!(-7)), Some(-7));
        assert_eq!(json_int(&json!(2.5)), None);
        assert_eq!(json_int(&json!(1e300)), None);
        assert_eq!(json_int(&json!("2")), None);
    }

    #[test]
    fn fragments_as_parse_int_reads_them() {
        assert_eq!(Fragment::parse("0").index, Some(0));
        assert_eq!(Fragment::parse("01").key, "1");
        assert_eq!(Fragment::parse("-1").index, Some(-1));
        assert_eq!(Fragment::parse("dn").index, None);
        assert_eq!(Fragment::parse("99999999999999999999999").index, Some(i64::MAX));
        let data = json!({"1": "one", "v": [10, 20]});
        assert_eq!(Val::Json(&data).drill(&Fragment::parse("01")).into_json(), json!("one"));
        let v = Val::Json(&data).drill(&Fragment::parse("v"));
        assert_eq!(v.clone().drill(&Fragment::parse("length")).into_json(), json!(2));
        assert_eq!(v.drill(&Fragment::parse("1")).into_json(), json!(20));
        let text = json!("AT€x");
        assert_eq!(Val::Json(&text).drill(&Fragment::parse("length")).into_json(), json!(4));
        assert_eq!(Val::Json(&text).drill(&Fragment::parse("2")).into_json(), json!("€"));
        assert_eq!(Val::Json(&text).drill(&Fragment::parse("9")).into_json(), json!(null));
        assert_eq!(Val::Json(&text).drill(&Fragment::parse("x")).into_json(), json!(null));
    }

    #[test]
    fn strict_equality() {
        assert!(strict_eq(&Val::Owned(json!(1)), &Val::Owned(json!(1.0))));
        assert!(!strict_eq(&Val::Owned(json!(1)), &Val::Owned(json!("1"))));
        assert!(strict_eq(&Val::Str("a"), &Val::Owned(json!("a"))));
        assert!(!strict_eq(&Val::Date(Some(5)), &Val::Date(Some(5))));
        assert!(strict_eq(&NULL, &Val::Owned(json!(null))));
    }
}
