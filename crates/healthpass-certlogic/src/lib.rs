//! CertLogic and EU DCC business rules for healthpass.
//!
//! - [`Expression`]: a CertLogic expression (the JsonLogic subset with the DCC extensions
//!   `plusTime`, `dccDateOfBirth`, `extractFromUVCI` and the date-time comparisons), compiled
//!   once and evaluated against JSON, as specified by CertLogic 1.3.3; [`validate`] lists every
//!   format issue as the reference validator words it.
//! - [`Rule`]: a business rule as the DCC gateway publishes it; [`RuleSet`] loads a folder of
//!   them; [`select_rules`] picks the rules that apply to a certificate (country of arrival and
//!   issuing country, validity at the validation clock, highest version, certificate type);
//!   [`Rule::evaluate`] and [`RuleSet::evaluate`] give a [`RuleVerdict`] per rule (passed, failed
//!   or open) with the description in the reader's language; [`External`] is the external
//!   parameter a rule reads.
//! - [`run_rule_tests`]: runs a folder of published country rule tests, ending `N passed, M failed`.
//! - [`native`]: how a native healthpass code's claims appear to a rule.
//!
//! Evaluation never reads a clock: the validation clock is part of the external parameter.
//! Every input is bounded by [`Limits`]. docs/RULES.md describes loading, selection, evaluation,
//! verdicts, errata and the native mapping.
//!
//! Written by hand: the Rust JsonLogic crates implement JsonLogic's coercions and truthiness,
//! which CertLogic deliberately narrows (errors instead of coercions, no truthiness for dates),
//! and none has CertLogic's date operations, whose results must match JavaScript's `Date`
//! exactly; the evaluator is small, and compiled once per rule so that a country's rule set
//! runs in microseconds.
//!
//! ```
//! use healthpass_certlogic::{Expression, Rule};
//! use serde_json::json;
//!
//! let rule = Rule::from_json(&json!({
//!     "Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
//!     "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
//!     "CertificateType": "Vaccination",
//!     "Description": [{ "lang": "en", "desc": "The vaccination schedule must be complete." }],
//!     "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
//!     "AffectedFields": ["v.0.dn", "v.0.sd"],
//!     "Logic": { "if": [{ "var": "payload.v.0" },
//!                       { ">=": [{ "var": "payload.v.0.dn" }, { "var": "payload.v.0.sd" }] }, true] }
//! }))?;
//! let payload = json!({ "ver": "1.3.0", "v": [{ "dn": 1, "sd": 2 }] });
//! let external = json!({ "validationClock": "2026-12-03T12:00:00Z", "valueSets": {} });
//! let verdict = rule.evaluate(&payload, &external, "de");
//! assert!(verdict.outcome.is_failed());
//! assert_eq!(verdict.description, "The vaccination schedule must be complete.");
//! # Ok::<(), healthpass_certlogic::Error>(())
//! ```

#![forbid(unsafe_code)]

mod datetime;
mod errata;
mod error;
mod eval;
mod expr;
mod external;
mod files;
mod limits;
pub mod native;
mod rule;
mod ruleset;
mod ruletests;
mod select;
mod validate;
mod value;
mod verdict;

pub use datetime::{TimeUnit, format_iso, parse_date_of_birth, parse_date_time, plus_time};
pub use errata::{Errata, Erratum};
pub use error::{Error, Result};
pub use eval::evaluate;
pub use expr::Expression;
pub use external::External;
pub use limits::Limits;
pub use native::{native_external, native_payload, native_payload_with};
pub use rule::{CertificateType, Description, Rule, RuleType, Version};
pub use ruleset::{RuleProblem, RuleSet};
pub use ruletests::{Report, TestOutcome, TestResult, run_rule_tests, run_rule_tests_with};
pub use select::{RuleQuery, select_rules};
pub use validate::{Issue, validate, validate_with};
pub use value::json_eq;
pub use verdict::{ENGINE_VERSION, Outcome, Overall, RuleVerdict, evaluate_rules, overall};
