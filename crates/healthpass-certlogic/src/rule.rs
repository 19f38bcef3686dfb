//! A business rule as the DCC gateway publishes it (`validation-rule.schema.json`), parsed with
//! bounds, its `Logic` compiled once.

use serde_json::{Map, Value};

use crate::datetime::parse_date_time;
use crate::error::{Error, Result};
use crate::expr::Expression;
use crate::limits::Limits;

/// Whether a rule is an acceptance rule of a country of arrival or an invalidation rule of an
/// issuing country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum RuleType {
    /// Set by a country of arrival: what it accepts.
    Acceptance,
    /// Set by an issuing country: which of its own certificates no longer count.
    Invalidation,
}

/// The kind of certificate a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CertificateType {
    /// Every certificate.
    General,
    /// Vaccination certificates (`v`).
    Vaccination,
    /// Test certificates (`t`).
    Test,
    /// Recovery certificates (`r`).
    Recovery,
}

impl CertificateType {
    /// The type of a DCC payload: the first of `v`, `t`, `r` that holds a non-empty array;
    /// `None` if none does.
    ///
    /// ```
    /// use healthpass_certlogic::CertificateType;
    /// use serde_json::json;
    /// assert_eq!(CertificateType::of_payload(&json!({"t": [{}]})), Some(CertificateType::Test));
    /// assert_eq!(CertificateType::of_payload(&json!({"v": []})), None);
    /// ```
    pub fn of_payload(payload: &Value) -> Option<Self> {
        [("v", CertificateType::Vaccination), ("t", CertificateType::Test), ("r", CertificateType::Recovery)]
            .into_iter()
            .find(|(key, _)| payload.get(key).and_then(Value::as_array).is_some_and(|a| !a.is_empty()))
            .map(|(_, kind)| kind)
    }

    /// The gateway's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            CertificateType::General => "General",
            CertificateType::Vaccination => "Vaccination",
            CertificateType::Test => "Test",
            CertificateType::Recovery => "Recovery",
        }
    }
}

/// A version `major.minor.patch` (a suffix after the patch number is kept in the text and
/// ignored in comparisons, as the gateway's pattern `^\d+\.\d+\.\d+` allows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The text as published.
    pub text: String,
    /// The numbers, compared in order.
    pub numbers: (u64, u64, u64),
}

impl Version {
    /// Parses `major.minor.patch` with an optional suffix.
    ///
    /// # Errors
    /// [`Error::Rule`] naming `field` if the text does not start with three dot-separated numbers.
    pub fn parse(text: &str, field: &'static str) -> Result<Self> {
        let err = || Error::rule(field, "must start with major.minor.patch");
        let mut parts = text.splitn(3, '.');
        let mut number = |last: bool| -> Result<u64> {
            let part = parts.next().ok_or_else(err)?;
            let digits: &str = if last {
                let end = part.find(|c: char| !c.is_ascii_digit()).unwrap_or(part.len());
                part.get(..end).ok_or_else(err)?
            } else {
                part
            };
            if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            digits.parse().map_err(|_| err())
        };
        let numbers = (number(false)?, number(false)?, number(true)?);
        Ok(Version { text: text.to_owned(), numbers })
    }
}

/// A rule's description in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The language (`en`, `de`, `pt-br`, ...).
    pub lang: String,
    /// The text.
    pub desc: String,
}

/// A business rule in the gateway's format.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `Identifier`, such as `VR-DE-0001`.
    pub identifier: String,
    /// `Type`.
    pub rule_type: RuleType,
    /// `Country`: the country that set the rule (ISO 3166-1 alpha-2).
    pub country: String,
    /// `Region`, when the rule applies only to a region of the country.
    pub region: Option<String>,
    /// `Version`.
    pub version: Version,
    /// `SchemaVersion`: the DCC schema version the rule was written for.
    pub schema_version: Version,
    /// `Engine` (`CERTLOGIC`).
    pub engine: String,
    /// `EngineVersion`.
    pub engine_version: Version,
    /// `CertificateType`.
    pub certificate_type: CertificateType,
    /// `Description`, one per language.
    pub descriptions: Vec<Description>,
    /// `ValidFrom` as published.
    pub valid_from: String,
    /// `ValidTo` as published.
    pub valid_to: String,
    /// `ValidFrom` in milliseconds since the epoch.
    pub valid_from_ms: i64,
    /// `ValidTo` in milliseconds since the epoch.
    pub valid_to_ms: i64,
    /// `AffectedFields`: payload fields the logic reads.
    pub affected_fields: Vec<String>,
    /// `Logic`, compiled.
    pub logic: Expression,
}

fn field<'m>(map: &'m Map<String, Value>, name: &'static str) -> Result<&'m Value> {
    map.get(name).ok_or_else(|| Error::rule(name, "is missing"))
}

fn string(map: &Map<String, Value>, name: &'static str, limits: &Limits) -> Result<String> {
    let text = field(map, name)?.as_str().ok_or_else(|| Error::rule(name, "must be a string"))?;
    if text.len() > limits.max_field_len {
        return Err(Error::TooLarge { what: name, limit: limits.max_field_len });
    }
    Ok(text.to_owned())
}

fn list<'m>(map: &'m Map<String, Value>, name: &'static str, limits: &Limits) -> Result<&'m Vec<Value>> {
    let items = field(map, name)?.as_array().ok_or_else(|| Error::rule(name, "must be an array"))?;
    if items.len() > limits.max_list_len {
        return Err(Error::TooLarge { what: name, limit: limits.max_list_len });
    }
    Ok(items)
}

fn bounded_str<'v>(value: &'v Value, name: &'static str, limits: &Limits) -> Result<&'v str> {
    let text = value.as_str().ok_or_else(|| Error::rule(name, "entries must be strings"))?;
    if text.len() > limits.max_field_len {
        return Err(Error::TooLarge { what: name, limit: limits.max_field_len });
    }
    Ok(text)
}

impl Rule {
    /// Parses a rule from its JSON text (a `rule.json` file), under the default [`Limits`].
    ///
    /// # Errors
    /// [`Error::TooLarge`] for a text over `max_file_bytes`; [`Error::Json`] if it is not JSON;
    /// otherwise as [`Rule::from_json_with`].
    pub fn parse(text: &[u8]) -> Result<Self> {
        Self::parse_with(text, &Limits::default())
    }

    /// [`Rule::parse`] under explicit limits.
    ///
    /// # Errors
    /// As [`Rule::parse`].
    pub fn parse_with(text: &[u8], limits: &Limits) -> Result<Self> {
        if text.len() > limits.max_file_bytes {
            return Err(Error::TooLarge { what: "rule file", limit: limits.max_file_bytes });
        }
        let json: Value = serde_json::from_slice(text).map_err(|e| Error::json("rule", &e))?;
        Self::from_json_with(&json, limits)
    }

    /// Reads a rule from JSON under the default [`Limits`].
    ///
    /// # Errors
    /// As [`Rule::from_json_with`].
    pub fn from_json(json: &Value) -> Result<Self> {
        Self::from_json_with(json, &Limits::default())
    }

    /// Reads a rule from JSON: every field the gateway's schema requires must be present with
    /// its type, the identifier must look like `XR-CC-n`, versions must be `major.minor.patch`,
    /// `ValidFrom` and `ValidTo` date-times, the description list must not be empty, and `Logic`
    /// must be a valid CertLogic expression. The gateway's upload checks that go beyond the
    /// format are reported by [`Rule::gateway_issues`], not refused here.
    ///
    /// # Errors
    /// [`Error::Rule`] naming the field that is missing or malformed; [`Error::TooLarge`] for a
    /// field, list or expression over the limits; [`Error::Invalid`] for an invalid `Logic`.
    pub fn from_json_with(json: &Value, limits: &Limits) -> Result<Self> {
        let map = json.as_object().ok_or_else(|| Error::rule("(rule)", "must be a JSON object"))?;
        let identifier = string(map, "Identifier", limits)?;
        if !identifier_is_well_formed(&identifier) {
            return Err(Error::rule("Identifier", "must look like GR|VR|TR|RR|IR-CC-digits"));
        }
        let rule_type = match string(map, "Type", limits)?.as_str() {
            "Acceptance" => RuleType::Acceptance,
            "Invalidation" => RuleType::Invalidation,
            _ => return Err(Error::rule("Type", "must be Acceptance or Invalidation")),
        };
        let country = string(map, "Country", limits)?;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::rule("Country", "must be two upper-case letters"));
        }
        let region = match map.get("Region") {
            None | Some(Value::Null) => None,
            Some(_) => Some(string(map, "Region", limits)?).filter(|r| !r.is_empty()),
        };
        let certificate_type = match string(map, "CertificateType", limits)?.as_str() {
            "General" => CertificateType::General,
            "Vaccination" => CertificateType::Vaccination,
            "Test" => CertificateType::Test,
            "Recovery" => CertificateType::Recovery,
            _ => return Err(Error::rule("CertificateType", "must be General, Vaccination, Test or Recovery")),
        };
        let mut descriptions = Vec::new();
        for entry in list(map, "Description", limits)? {
            let lang = entry.get("lang").ok_or_else(|| Error::rule("Description", "entry without lang"))?;
            let desc = entry.get("desc").ok_or_else(|| Error::rule("Description", "entry without desc"))?;
            descriptions.push(Description {
                lang: bounded_str(lang, "Description", limits)?.to_owned(),
                desc: bounded_str(desc, "Description", limits)?.to_owned(),
            });
        }
        if descriptions.is_empty() {
            return Err(Error::rule("Description", "must have at least one entry"));
        }
        let affected_fields = list(map, "AffectedFields", limits)?
            .iter()
            .map(|f| bounded_str(f, "AffectedFields", limits).map(str::to_owned))
            .collect::<Result<_>>()?;
        let valid_from = string(map, "ValidFrom", limits)?;
        let valid_to = string(map, "ValidTo", limits)?;
        let date = |text: &str, name: &'static str| {
            parse_date_time(text, name).map_err(|_| Error::rule(name, "must be an ISO 8601 date-time"))
        };
        let logic = Expression::compile_with(field(map, "Logic")?, limits).map_err(|e| match e {
            Error::Invalid { message } => Error::rule("Logic", message),
            other => other,
        })?;
        Ok(Rule {
            rule_type,
            region,
            certificate_type,
            descriptions,
            affected_fields,
            valid_from_ms: date(&valid_from, "ValidFrom")?,
            valid_to_ms: date(&valid_to, "ValidTo")?,
            valid_from,
            valid_to,
            version: Version::parse(&string(map, "Version", limits)?, "Version")?,
            schema_version: Version::parse(&string(map, "SchemaVersion", limits)?, "SchemaVersion")?,
            engine: string(map, "Engine", limits)?,
            engine_version: Version::parse(&string(map, "EngineVersion", limits)?, "EngineVersion")?,
            identifier,
            country,
            logic,
        })
    }

    /// Whether the rule is in force at `clock_ms`: `ValidFrom <= clock < ValidTo`.
    pub fn is_valid_at(&self, clock_ms: i64) -> bool {
        self.valid_from_ms <= clock_ms && clock_ms < self.valid_to_ms
    }

    /// The description in `lang` (exact match, then the language without its region, so `de-at`
    /// falls back to `de`), else in English, else the first one.
    pub fn description(&self, lang: &str) -> &str {
        let lang = lang.to_ascii_lowercase();
        let base = lang.split(['-', '_']).next().unwrap_or("");
        let find = |want: &str| self.descriptions.iter().find(|d| d.lang.eq_ignore_ascii_case(want));
        find(&lang)
            .or_else(|| find(base))
            .or_else(|| find("en"))
            .or_else(|| self.descriptions.first())
            .map_or("", |d| d.desc.as_str())
    }

    /// The gateway's upload constraints this rule breaks (tooling/Gateway-constraints.adoc): the
    /// identifier's prefix against the type and certificate type, its country against
    /// `Country`, `ValidFrom` before `ValidTo`, an English description. A rule set from a mirror
    /// may hold such rules; they are reported, not refused.
    pub fn gateway_issues(&self) -> Vec<String> {
        let mut issues = Vec::new();
        let prefix = self.identifier.get(..2).unwrap_or("");
        let wanted = match (self.rule_type, self.certificate_type) {
            (RuleType::Invalidation, _) => "IR",
            (RuleType::Acceptance, CertificateType::General) => "GR",
            (RuleType::Acceptance, CertificateType::Vaccination) => "VR",
            (RuleType::Acceptance, CertificateType::Test) => "TR",
            (RuleType::Acceptance, CertificateType::Recovery) => "RR",
        };
        if prefix != wanted {
            issues.push(format!("identifier prefix {prefix} does not match the rule's type (wants {wanted})"));
        }
        if self.identifier.get(3..5) != Some(self.country.as_str()) {
            issues.push("the country in the identifier differs from Country".to_owned());
        }
        if self.valid_from_ms >= self.valid_to_ms {
            issues.push("ValidFrom is not before ValidTo".to_owned());
        }
        if !self.descriptions.iter().any(|d| d.lang == "en") {
            issues.push("no English description".to_owned());
        }
        issues
    }
}

fn identifier_is_well_formed(id: &str) -> bool {
    let b = id.as_bytes();
    matches!(b.get(..3), Some(b"GR-" | b"VR-" | b"TR-" | b"RR-" | b"IR-"))
        && b.get(3..5).is_some_and(|cc| cc.iter().all(u8::is_ascii_uppercase))
        && b.get(5) == Some(&b'-')
        && b.get(6..).is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn sample() -> Value {
        json!({
            "Identifier": "TR-XX-0002", "Type": "Acceptance", "Country": "XX", "Version": "1.2.0",
            "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Test",
            "Description": [{"lang": "en", "desc": "The test must be negative."}, {"lang": "de", "desc": "Der Test muss negativ sein."}],
            "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00+02:00",
            "AffectedFields": ["t.0.tr"], "Logic": {"===": [{"var": "payload.t.0.tr"}, "260415000"]}
        })
    }

    #[test]
    fn parses_the_gateway_format() {
        let rule = Rule::from_json(&sample()).unwrap();
        assert_eq!(rule.version.numbers, (1, 2, 0));
        assert_eq!(rule.certificate_type, CertificateType::Test);
        assert_eq!(rule.description("de-AT"), "Der Test muss negativ sein.");
        assert_eq!(rule.description("fr"), "The test must be negative.");
        assert!(rule.is_valid_at(parse_date_time("2030-05-31T21:59:59Z", "t").unwrap()));
        assert!(!rule.is_valid_at(parse_date_time("2030-05-31T22:00:00Z", "t").unwrap()));
        assert!(rule.gateway_issues().is_empty());
    }

    #[test]
    fn refuses_malformed_rules_naming_the_field() {
        for (key, value, field) in [
            ("Identifier", json!("XX-1"), "Identifier"),
            ("Type", json!("Other"), "Type"),
            ("Version", json!("1.x.0"), "Version"),
            ("ValidTo", json!("tomorrow"), "ValidTo"),
            ("CertificateType", json!(3), "CertificateType"),
            ("Description", json!([]), "Description"),
            ("Logic", json!({"all": []}), "Logic"),
        ] {
            let mut rule = sample();
            rule[key] = value;
            match Rule::from_json(&rule) {
                Err(Error::Rule { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{key}: {other:?}"),
            }
        }
        let mut rule = sample();
        rule.as_object_mut().unwrap().remove("Logic");
        assert!(matches!(Rule::from_json(&rule), Err(Error::Rule { field: "Logic", .. })));
        assert!(matches!(Rule::parse(b"{"), Err(Error::Json { .. })));
        let limits = Limits { max_file_bytes: 10, ..Limits::default() };
        assert!(matches!(Rule::parse_with(sample().to_string().as_bytes(), &limits), Err(Error::TooLarge { .. })));
    }

    #[test]
    fn gateway_constraints_are_reported() {
        let mut rule = sample();
        rule["Identifier"] = json!("VR-YY-1");
        let issues = Rule::from_json(&rule).unwrap().gateway_issues();
        assert_eq!(issues.len(), 2, "{issues:?}");
    }
}
