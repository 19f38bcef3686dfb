//! Which rules apply to a certificate, as the DCC business-rules specification selects them.

use std::collections::BTreeMap;

use crate::rule::{CertificateType, Rule, RuleType};

/// What a certificate is checked for: where it is presented, who issued it, what it is, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleQuery {
    /// The country of arrival, whose acceptance rules apply.
    pub arrival_country: String,
    /// The region of arrival, if any: region-specific acceptance rules apply only there.
    pub arrival_region: Option<String>,
    /// The issuing country, whose invalidation rules apply.
    pub issuing_country: String,
    /// The certificate's type (see [`CertificateType::of_payload`]).
    pub certificate_type: CertificateType,
    /// The validation clock, in milliseconds since the epoch.
    pub validation_clock_ms: i64,
}

/// The rules that apply, in the order they are evaluated: acceptance rules of the country of
/// arrival, then invalidation rules of the issuing country, each sorted by identifier.
///
/// A rule applies when all of these hold:
/// - it is an acceptance rule of the country of arrival (and has no region, or the region of
///   arrival, compared case-insensitively), or an invalidation rule of the issuing country;
/// - its certificate type is `General` or the certificate's type;
/// - it is in force at the validation clock (`ValidFrom <= clock < ValidTo`);
/// - among the versions of its identifier that pass the checks above, it has the highest
///   `Version` (on a tie, the later `ValidFrom`).
///
/// Engine and schema version compatibility is not a selection criterion: an applicable rule
/// this engine cannot run is reported as open (see [`Rule::evaluate`]).
///
/// ```
/// use healthpass_certlogic::{select_rules, CertificateType, RuleQuery};
/// let query = RuleQuery {
///     arrival_country: "DE".into(), arrival_region: None, issuing_country: "AT".into(),
///     certificate_type: CertificateType::Vaccination, validation_clock_ms: 1_700_000_000_000,
/// };
/// assert!(select_rules(&[], &query).is_empty());
/// ```
pub fn select_rules<'r>(rules: &'r [Rule], query: &RuleQuery) -> Vec<&'r Rule> {
    let mut best: BTreeMap<(u8, &str), &'r Rule> = BTreeMap::new();
    for rule in rules {
        let order = match rule.rule_type {
            RuleType::Acceptance
                if rule.country.eq_ignore_ascii_case(&query.arrival_country)
                    && rule.region.as_deref().is_none_or(|region| {
                        query.arrival_region.as_deref().is_some_and(|want| want.eq_ignore_ascii_case(region))
                    }) =>
            {
                0
            }
            RuleType::Invalidation if rule.country.eq_ignore_ascii_case(&query.issuing_country) => 1,
            _ => continue,
        };
        if !(rule.certificate_type == CertificateType::General || rule.certificate_type == query.certificate_type) {
            continue;
        }
        if !rule.is_valid_at(query.validation_clock_ms) {
            continue;
        }
        let key = (order, rule.identifier.as_str());
        let newer = best
            .get(&key)
            .is_none_or(|held| (rule.version.numbers, rule.valid_from_ms) > (held.version.numbers, held.valid_from_ms));
        if newer {
            best.insert(key, rule);
        }
    }
    best.into_values().collect()
}
