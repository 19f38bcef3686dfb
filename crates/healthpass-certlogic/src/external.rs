//! The external parameter a rule reads under `external`, as the DCC business-rules
//! specification defines it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The external parameter: everything a rule may read besides the DCC payload.
///
/// A rule's data context is `{ "payload": <DCC payload>, "external": <this, as JSON> }`.
///
/// ```
/// use healthpass_certlogic::External;
/// let external = External {
///     validation_clock: "2026-12-03T12:00:00Z".into(),
///     country_code: "DE".into(),
///     issuer_country_code: "AT".into(),
///     ..External::default()
/// };
/// let json = external.to_json();
/// assert_eq!(json["countryCode"], "DE");
/// assert!(json["valueSets"].is_object());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct External {
    /// `validationClock`: the date-time the certificate is judged at (ISO 8601).
    pub validation_clock: String,
    /// `valueSets`: value-set id → its codes (the gateway's value sets, "compressed").
    pub value_sets: BTreeMap<String, Vec<String>>,
    /// `countryCode`: the country of arrival (ISO 3166-1 alpha-2).
    pub country_code: String,
    /// `exp`: the certificate's expiry (CWT `exp`) as ISO 8601, if known.
    pub exp: Option<String>,
    /// `iat`: when the certificate was signed (CWT `iat`) as ISO 8601, if known.
    pub iat: Option<String>,
    /// `issuerCountryCode`: the issuing country (the CWT `iss`, else the DCC's `co`).
    pub issuer_country_code: String,
    /// `kid`: the signing key's id, base64, if known.
    pub kid: Option<String>,
    /// `region`: the region of arrival within the country, if any.
    pub region: Option<String>,
}

impl External {
    /// The JSON object a rule reads under `external`; absent optional values are `null`, the
    /// region is `""` when none is set (as the reference apps pass it).
    pub fn to_json(&self) -> Value {
        let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
        let mut map = Map::new();
        map.insert("validationClock".into(), Value::String(self.validation_clock.clone()));
        let sets = self
            .value_sets
            .iter()
            .map(|(id, codes)| (id.clone(), Value::Array(codes.iter().cloned().map(Value::String).collect())))
            .collect();
        map.insert("valueSets".into(), Value::Object(sets));
        map.insert("countryCode".into(), Value::String(self.country_code.clone()));
        map.insert("exp".into(), text(&self.exp));
        map.insert("iat".into(), text(&self.iat));
        map.insert("issuerCountryCode".into(), Value::String(self.issuer_country_code.clone()));
        map.insert("kid".into(), text(&self.kid));
        map.insert("region".into(), Value::String(self.region.clone().unwrap_or_default()));
        Value::Object(map)
    }

    /// The country a DCC payload names as where its event took place and which issued it: `co`
    /// of its first vaccination, test or recovery entry. For `issuerCountryCode` when the CWT has
    /// no `iss`.
    ///
    /// ```
    /// use healthpass_certlogic::External;
    /// use serde_json::json;
    /// assert_eq!(External::payload_country(&json!({"r": [{"co": "LU"}]})), Some("LU"));
    /// assert_eq!(External::payload_country(&json!({"v": []})), None);
    /// ```
    pub fn payload_country(payload: &Value) -> Option<&str> {
        ["v", "t", "r"]
            .into_iter()
            .find_map(|key| payload.get(key)?.get(0)?.get("co")?.as_str())
            .filter(|co| co.len() == 2 && co.bytes().all(|b| b.is_ascii_uppercase()))
    }

    /// Reads compressed value sets (`valueSets.json`: value-set id → array of codes).
    ///
    /// # Errors
    /// [`Error::Json`] if the text is not JSON; [`Error::Rule`] (field `valueSets`) if it is not
    /// an object of arrays of strings; [`Error::TooLarge`] for a text over `max_file_bytes`.
    pub fn parse_value_sets(text: &[u8], limits: &Limits) -> Result<BTreeMap<String, Vec<String>>> {
        if text.len() > limits.max_file_bytes {
            return Err(Error::TooLarge { what: "value sets file", limit: limits.max_file_bytes });
        }
        let json: Value = serde_json::from_slice(text).map_err(|e| Error::json("value sets", &e))?;
        let err = || Error::rule("valueSets", "must map each value-set id to an array of codes");
        let map = json.as_object().ok_or_else(err)?;
        map.iter()
            .map(|(id, codes)| {
                let codes = codes.as_array().ok_or_else(err)?;
                let codes =
                    codes.iter().map(|c| c.as_str().map(str::to_owned).ok_or_else(err)).collect::<Result<_>>()?;
                Ok((id.clone(), codes))
            })
            .collect()
    }
}
