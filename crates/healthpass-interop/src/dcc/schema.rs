//! The EU DCC payload JSON schemas (releases 1.0.0 to 1.3.3), compiled on first use.

use std::sync::OnceLock;

use jsonschema::Validator;

use crate::foreign;
use healthpass::Result;

macro_rules! schemas {
    ($($version:literal => $file:literal,)+) => {
        /// Every schema release held, oldest first.
        pub const VERSIONS: &[&str] = &[$($version),+];
        const SOURCES: &[&str] = &[$(include_str!(concat!("../../../../test-vectors/dcc-schema/", $version, "/", $file))),+];
    };
}

schemas! {
    "1.0.0" => "DGC.combined-schema.json",
    "1.0.1" => "DGC.combined-schema.json",
    "1.1.0" => "DGC.combined-schema.json",
    "1.2.0" => "DGC.combined-schema.json",
    "1.2.1" => "DCC.combined-schema.json",
    "1.3.0" => "DCC.combined-schema.json",
    "1.3.1" => "DCC.combined-schema.json",
    "1.3.2" => "DCC.combined-schema.json",
    "1.3.3" => "DCC.combined-schema.json",
}

static COMPILED: [OnceLock<Option<Validator>>; 9] = [const { OnceLock::new() }; 9];

fn validator(version: &str) -> Option<&'static Validator> {
    let index = VERSIONS.iter().position(|v| *v == version)?;
    COMPILED
        .get(index)?
        .get_or_init(|| {
            let schema: serde_json::Value = serde_json::from_str(SOURCES.get(index)?).ok()?;
            jsonschema::validator_for(&schema).ok()
        })
        .as_ref()
}

/// Validates a DCC payload against the JSON schema of release `version` (formats are
/// annotations, as in the schema's own draft 2020-12 default).
///
/// # Errors
/// [`healthpass::Error::Foreign`] (step `schema`) naming the first violation's location, or an
/// unknown version.
pub fn validate(version: &str, hcert: &serde_json::Value) -> Result<()> {
    let validator =
        validator(version).ok_or_else(|| foreign("DCC", "schema", format!("no schema release {version}")))?;
    match validator.iter_errors(hcert).next() {
        None => Ok(()),
        Some(error) => Err(foreign(
            "DCC",
            "schema",
            format!("violation at `{}` (schema rule `{}`)", error.instance_path, error.schema_path),
        )),
    }
}

/// The value sets a DCC's coded fields draw from: `(field of an entry, value-set file)`.
const VALUE_SETS: &[(&str, &str, &str)] = &[
    ("v", "tg", include_str!("../../../../test-vectors/dcc-valuesets/disease-agent-targeted.json")),
    ("v", "vp", include_str!("../../../../test-vectors/dcc-valuesets/vaccine-prophylaxis.json")),
    ("v", "mp", include_str!("../../../../test-vectors/dcc-valuesets/vaccine-medicinal-product.json")),
    ("v", "ma", include_str!("../../../../test-vectors/dcc-valuesets/vaccine-mah-manf.json")),
    ("v", "co", include_str!("../../../../test-vectors/dcc-valuesets/country-2-codes.json")),
    ("t", "tg", include_str!("../../../../test-vectors/dcc-valuesets/disease-agent-targeted.json")),
    ("t", "tt", include_str!("../../../../test-vectors/dcc-valuesets/test-type.json")),
    ("t", "ma", include_str!("../../../../test-vectors/dcc-valuesets/test-manf-example.json")),
    ("t", "tr", include_str!("../../../../test-vectors/dcc-valuesets/test-result.json")),
    ("t", "co", include_str!("../../../../test-vectors/dcc-valuesets/country-2-codes.json")),
    ("r", "tg", include_str!("../../../../test-vectors/dcc-valuesets/disease-agent-targeted.json")),
    ("r", "co", include_str!("../../../../test-vectors/dcc-valuesets/country-2-codes.json")),
];

static CODES: OnceLock<Vec<std::collections::HashSet<String>>> = OnceLock::new();

/// Checks every coded field of a DCC's entries against its value set (the schema names the
/// value set of each coded field; the codes themselves live in the value-set files).
///
/// # Errors
/// [`healthpass::Error::Foreign`] (step `value set`) naming the field whose code is not in its set.
pub fn check_value_sets(hcert: &serde_json::Value) -> Result<()> {
    let codes = CODES.get_or_init(|| {
        VALUE_SETS
            .iter()
            .map(|(_, _, source)| {
                serde_json::from_str::<serde_json::Value>(source)
                    .ok()
                    .and_then(|v| {
                        v.get("valueSetValues").and_then(|m| m.as_object()).map(|m| m.keys().cloned().collect())
                    })
                    .unwrap_or_default()
            })
            .collect()
    });
    for ((group, field, _), set) in VALUE_SETS.iter().zip(codes) {
        let entries = hcert.get(*group).and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for entry in entries {
            if let Some(code) = entry.get(*field).and_then(serde_json::Value::as_str) {
                if !set.contains(code) {
                    return Err(foreign("DCC", "value set", format!("{group}/{field} is not in its value set")));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_release_compiles() {
        for version in super::VERSIONS {
            assert!(super::validator(version).is_some(), "{version}");
        }
    }

    #[test]
    fn value_sets_hold_coded_fields_to_their_codes() {
        let dcc = |ma: &str, co: &str| serde_json::json!({ "v": [{ "tg": "840539006", "vp": "J07BX03", "mp": "EU/1/21/1529", "ma": ma, "co": co }] });
        assert!(super::check_value_sets(&dcc("ORG-100030215", "PL")).is_ok());
        let value_set =
            |detail: &str| healthpass::Error::Foreign { format: "DCC", step: "value set", detail: detail.into() };
        let manufacturer = super::check_value_sets(&dcc("ORG-99999999", "PL")).unwrap_err();
        assert_eq!(manufacturer, value_set("v/ma is not in its value set"), "an unknown manufacturer");
        let country = super::check_value_sets(&dcc("ORG-100030215", "XY")).unwrap_err();
        assert_eq!(country, value_set("v/co is not in its value set"), "an unknown country");
    }
}
