//! How a native healthpass code appears to a CertLogic rule.
//!
//! A checkpoint that judges native codes and DCCs by the same rules evaluates a rule against
//! `{ "payload": native_payload(claims), "external": ... }`. The payload has two parts
//! (docs/RULES.md, "Native claims"):
//!
//! - DCC-shaped fields, where the native evidence means the same as a DCC field, so that DCC
//!   rules read them unchanged: `dob` (from `subject.birth_date`), `v` (vaccinations: `mp`, `dn`,
//!   `sd`, `dt`) and `t` (tests: `tt`, `tr`, `sc`, `tc`), with the DCC value-set codes where one
//!   exists. Nothing is invented: a native code has no disease agent (`tg`), vaccine type (`vp`),
//!   holder name or certificate id, so those fields are absent and a rule that needs them fails
//!   or is open, never passes by accident. `ver` is the DCC schema version whose field meanings
//!   the mapped fields follow (1.3.0).
//! - The native model itself under `hp`: `colour`, `reasons`, `kind`, `issuer`, `issued_at`,
//!   `not_before`, `expires_at`, and the evidence DCCs do not have (`temperatures`, `travel`,
//!   `residency`, `officer_decisions` as a count). Pseudonymous ids, names, holders, facilities
//!   of officer decisions and the hash of a converted source are left out: a rule decides on
//!   health status, not identity.
//!
//! The input is the claims' JSON form (docs/FORMAT.md §11) of a *verified* code: this module
//! reads JSON and does not verify anything.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::external::External;
use crate::limits::Limits;

/// The DCC test type code (`tt`, value set covid-19-lab-test-type) of a native test kind.
fn test_type(kind: &str) -> Option<&'static str> {
    match kind {
        "nucleic_acid" => Some("LP6464-4"),
        "antigen" => Some("LP217198-3"),
        _ => None, // antibody tests have no DCC code
    }
}

/// The DCC test result code (`tr`, value set covid-19-lab-result) of a native test outcome.
fn test_result(result: &str) -> Option<&'static str> {
    match result {
        "negative" => Some("260415000"),
        "positive" => Some("260373001"),
        _ => None, // inconclusive has no DCC code
    }
}

fn get<'v>(value: &'v Value, key: &'static str) -> Result<&'v Value> {
    value.get(key).ok_or_else(|| Error::rule(key, "is missing from the native claims"))
}

fn text<'v>(value: &'v Value, key: &'static str, limits: &Limits) -> Result<&'v str> {
    let s = get(value, key)?.as_str().ok_or_else(|| Error::rule(key, "must be a string"))?;
    if s.len() > limits.max_field_len {
        return Err(Error::TooLarge { what: key, limit: limits.max_field_len });
    }
    Ok(s)
}

fn items<'v>(evidence: Option<&'v Value>, key: &'static str, limits: &Limits) -> Result<&'v [Value]> {
    let Some(list) = evidence.and_then(|e| e.get(key)) else {
        return Ok(&[]);
    };
    let list = list.as_array().ok_or_else(|| Error::rule(key, "must be an array"))?;
    if list.len() > limits.max_list_len {
        return Err(Error::TooLarge { what: key, limit: limits.max_list_len });
    }
    Ok(list)
}

/// Copies the listed keys of `from` that are present (strings and numbers only).
fn pick(from: &Value, keys: &[&str]) -> Value {
    let map: Map<String, Value> = keys
        .iter()
        .filter_map(|key| {
            from.get(*key).filter(|v| v.is_string() || v.is_number()).map(|v| ((*key).to_owned(), v.clone()))
        })
        .collect();
    Value::Object(map)
}

/// The payload a rule sees for a native code, from the claims' JSON form.
///
/// ```
/// use healthpass_certlogic::{native_payload, Expression};
/// use serde_json::json;
/// let claims = json!({
///     "issuer": "MO", "credential_id": "00112233445566778899aabbccddeeff",
///     "issued_at": "2026-12-01T08:00:00Z", "not_before": "2026-12-01T08:00:00Z",
///     "expires_at": "2026-12-08T08:00:00Z", "colour": "green", "reasons": ["negative_test"],
///     "kind": {"type": "personal"}, "subject": {"id": "00112233445566778899aabbccddeeff"},
///     "evidence": {"tests": [{"kind": "nucleic_acid", "result": "negative",
///                             "sampled_at": "2026-12-01T07:00:00Z"}]}
/// });
/// let payload = native_payload(&claims)?;
/// assert_eq!(payload["t"][0]["tr"], "260415000");
/// let green = Expression::compile(&json!({"===": [{"var": "payload.hp.colour"}, "green"]}))?;
/// assert_eq!(green.evaluate_rule_data(&payload, &json!({}))?, json!(true));
/// # Ok::<(), healthpass_certlogic::Error>(())
/// ```
///
/// # Errors
/// [`Error::Rule`] naming a required claim (`issuer`, times, `colour`, `reasons`, `kind`) that
/// is missing or of the wrong type; [`Error::TooLarge`] for a list or text over the [`Limits`].
pub fn native_payload(claims: &Value) -> Result<Value> {
    native_payload_with(claims, &Limits::default())
}

/// [`native_payload`] under explicit limits.
///
/// # Errors
/// As [`native_payload`].
pub fn native_payload_with(claims: &Value, limits: &Limits) -> Result<Value> {
    let evidence = claims.get("evidence");
    let reasons = get(claims, "reasons")?.as_array().ok_or_else(|| Error::rule("reasons", "must be an array"))?;
    if reasons.len() > limits.max_list_len || !reasons.iter().all(Value::is_string) {
        return Err(Error::rule("reasons", "must be an array of at most max_list_len names"));
    }
    let kind = get(claims, "kind")?
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::rule("kind", "must have a type"))?;
    let mut hp = Map::new();
    let fields = json!({
        "issuer": text(claims, "issuer", limits)?,
        "issued_at": text(claims, "issued_at", limits)?,
        "not_before": text(claims, "not_before", limits)?,
        "expires_at": text(claims, "expires_at", limits)?,
        "colour": text(claims, "colour", limits)?,
        "reasons": reasons,
        "kind": kind,
        "temperatures": items(evidence, "temperatures", limits)?.iter().map(|t| pick(t, &["decicelsius", "at", "place"])).collect::<Vec<_>>(),
        "travel": items(evidence, "travel", limits)?.iter().map(|t| pick(t, &["region", "from", "until"])).collect::<Vec<_>>(),
        "officer_decisions": items(evidence, "decisions", limits)?.len(),
    });
    if let Value::Object(fields) = fields {
        hp.extend(fields);
    }
    if let Some(residency) = evidence.and_then(|e| e.get("residency")).and_then(Value::as_str) {
        hp.insert("residency".into(), json!(residency));
    }
    let vaccinations: Vec<Value> = items(evidence, "vaccinations", limits)?
        .iter()
        .map(|v| {
            let mut entry = Map::new();
            for (from, to) in [("product", "mp"), ("dose", "dn"), ("doses", "sd"), ("date", "dt")] {
                if let Some(value) = v.get(from).filter(|x| x.is_string() || x.is_number()) {
                    entry.insert(to.to_owned(), value.clone());
                }
            }
            Value::Object(entry)
        })
        .collect();
    let tests: Vec<Value> = items(evidence, "tests", limits)?
        .iter()
        .map(|t| {
            let mut entry = Map::new();
            if let Some(code) = t.get("kind").and_then(Value::as_str).and_then(test_type) {
                entry.insert("tt".into(), json!(code));
            }
            if let Some(code) = t.get("result").and_then(Value::as_str).and_then(test_result) {
                entry.insert("tr".into(), json!(code));
            }
            for (from, to) in [("sampled_at", "sc"), ("facility", "tc")] {
                if let Some(value) = t.get(from).and_then(Value::as_str) {
                    entry.insert(to.into(), json!(value));
                }
            }
            Value::Object(entry)
        })
        .collect();
    let mut payload = Map::new();
    payload.insert("ver".into(), json!("1.3.0"));
    payload.insert("hp".into(), Value::Object(hp));
    if let Some(dob) = claims.get("subject").and_then(|s| s.get("birth_date")).and_then(Value::as_str) {
        payload.insert("dob".into(), json!(dob));
    }
    if !vaccinations.is_empty() {
        payload.insert("v".into(), Value::Array(vaccinations));
    }
    if !tests.is_empty() {
        payload.insert("t".into(), Value::Array(tests));
    }
    Ok(Value::Object(payload))
}

/// The external parameter for a native code: `base` (clock, value sets, country of arrival,
/// region) with `issuerCountryCode` from the claims' `issuer` (its part before any `-`:
/// `CN-GD` → `CN`), and `iat` / `exp` from `issued_at` / `expires_at`.
///
/// # Errors
/// As [`native_payload`], for the claims read.
pub fn native_external(claims: &Value, base: &External) -> Result<External> {
    let limits = Limits::default();
    let issuer = text(claims, "issuer", &limits)?;
    Ok(External {
        issuer_country_code: issuer.split('-').next().unwrap_or(issuer).to_owned(),
        iat: Some(text(claims, "issued_at", &limits)?.to_owned()),
        exp: Some(text(claims, "expires_at", &limits)?.to_owned()),
        ..base.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Value {
        json!({
            "issuer": "CN-GD", "credential_id": "00112233445566778899aabbccddeeff",
            "issued_at": "2026-12-01T08:00:00Z", "not_before": "2026-12-01T08:00:00Z", "expires_at": "2026-12-08T08:00:00Z",
            "colour": "yellow", "reasons": ["risk_area_visit", "vaccinated"], "kind": {"type": "cross_border", "category": "commuter"},
            "subject": {"id": "00112233445566778899aabbccddeeff", "name": "Chan Tai Man", "birth_date": "1990-02-03"},
            "holder": {"relation": "parent", "name": "Chan Siu Ming"},
            "evidence": {
                "tests": [{"kind": "antibody", "result": "inconclusive", "sampled_at": "2026-11-30T07:00:00Z"}],
                "vaccinations": [{"product": "EU/1/20/1528", "dose": 2, "doses": 2, "date": "2026-06-01"}],
                "temperatures": [{"decicelsius": 372, "at": "2026-12-01T07:30:00Z", "place": "Gongbei"}],
                "travel": [{"region": "CN-HB", "from": "2026-11-20", "until": "2026-11-25"}],
                "decisions": [{"officer": "A123", "at": "2026-12-01T07:40:00Z", "basis": "manual check"}]
            }
        })
    }

    #[test]
    fn maps_evidence_to_dcc_fields_and_keeps_the_native_model_under_hp() {
        let payload = native_payload(&claims()).unwrap();
        assert_eq!(payload["dob"], "1990-02-03");
        assert_eq!(payload["v"], json!([{"mp": "EU/1/20/1528", "dn": 2, "sd": 2, "dt": "2026-06-01"}]));
        assert_eq!(payload["t"], json!([{"sc": "2026-11-30T07:00:00Z"}]), "antibody and inconclusive have no DCC code");
        assert_eq!(payload["hp"]["colour"], "yellow");
        assert_eq!(payload["hp"]["kind"], "cross_border");
        assert_eq!(payload["hp"]["reasons"], json!(["risk_area_visit", "vaccinated"]));
        assert_eq!(payload["hp"]["officer_decisions"], 1);
        let text = payload.to_string();
        for private in ["Chan", "A123", "manual check", "00112233"] {
            assert!(!text.contains(private), "{private} must not reach a rule");
        }
    }

    #[test]
    fn a_dcc_rule_reads_the_mapped_fields() {
        let rule = crate::Expression::compile(&json!({"and": [
            {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]},
            {"not-after": [{"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]}, {"plusTime": [{"var": "external.validationClock"}, 0, "day"]}]}
        ]}))
        .unwrap();
        let payload = native_payload(&claims()).unwrap();
        let external = native_external(
            &claims(),
            &External { validation_clock: "2026-12-03T00:00:00Z".into(), ..External::default() },
        )
        .unwrap();
        assert_eq!(external.issuer_country_code, "CN");
        assert_eq!(rule.evaluate_rule_data(&payload, &external.to_json()).unwrap(), json!(true));
    }

    #[test]
    fn refuses_claims_without_the_required_fields() {
        for key in ["issuer", "colour", "reasons", "kind", "expires_at"] {
            let mut c = claims();
            c.as_object_mut().unwrap().remove(key);
            assert!(native_payload(&c).is_err(), "{key}");
        }
        let mut many = claims();
        many["evidence"]["travel"] = Value::Array(vec![json!({"region": "X", "from": "2026-01-01"}); 300]);
        assert!(matches!(native_payload(&many), Err(Error::TooLarge { .. })));
    }
}
