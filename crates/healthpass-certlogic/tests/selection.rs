//! Rule selection and verdicts on the published DE rules with a vaccination certificate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use healthpass_certlogic::{
    CertificateType, External, Outcome, Overall, Rule, RuleQuery, RuleSet, RuleType, evaluate_rules, overall,
    parse_date_time, select_rules,
};
use serde_json::{Value, json};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-rules")
}

fn payload() -> Value {
    json!({
        "ver": "1.3.0", "dob": "1990-01-01",
        "nam": {"fn": "Musterfrau", "gn": "Erika", "fnt": "MUSTERFRAU", "gnt": "ERIKA"},
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": 2, "sd": 2, "dt": "2021-06-01", "co": "AT", "is": "BMSGPK", "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]
    })
}

fn external(clock: &str) -> External {
    let text = std::fs::read(vectors().join("valuesets/valueSets.json")).unwrap();
    External {
        validation_clock: clock.into(),
        value_sets: External::parse_value_sets(&text, &Default::default()).unwrap(),
        country_code: "DE".into(),
        issuer_country_code: "AT".into(),
        ..External::default()
    }
}

fn query(clock: &str) -> RuleQuery {
    RuleQuery {
        arrival_country: "DE".into(),
        arrival_region: None,
        issuing_country: "AT".into(),
        certificate_type: CertificateType::of_payload(&payload()).unwrap(),
        validation_clock_ms: parse_date_time(clock, "clock").unwrap(),
    }
}

#[test]
fn a_complete_recent_vaccination_passes_every_de_vaccination_rule() {
    let set = RuleSet::load(&vectors()).unwrap();
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    // VR-DE-0003 is in force from 2021-10-03: before that, three rules apply.
    assert_eq!(select_rules(&set.rules, &query("2021-08-01T10:00:00Z")).len(), 3);
    let clock = "2021-11-01T10:00:00Z";
    let selected = select_rules(&set.rules, &query(clock));
    let ids: Vec<&str> = selected.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(ids, ["VR-DE-0001", "VR-DE-0002", "VR-DE-0003", "VR-DE-0004"]);
    let verdicts = evaluate_rules(&selected, &payload(), &external(clock).to_json(), "de");
    assert!(verdicts.iter().all(|v| v.outcome == Outcome::Passed), "{verdicts:#?}");
    assert_eq!(overall(&verdicts), Overall::Passed);
    assert_eq!(verdicts[0].description, "Die Impfreihe muss vollständig sein (z.B. 1/1, 2/2).");
}

#[test]
fn a_year_later_the_vaccination_is_too_old() {
    let set = RuleSet::load(&vectors()).unwrap();
    let clock = "2022-08-01T10:00:00Z";
    let selected = select_rules(&set.rules, &query(clock));
    let verdicts = evaluate_rules(&selected, &payload(), &external(clock).to_json(), "xx");
    let failed: Vec<&str> = verdicts.iter().filter(|v| v.outcome.is_failed()).map(|v| v.identifier.as_str()).collect();
    assert_eq!(failed, ["VR-DE-0004"]);
    assert_eq!(overall(&verdicts), Overall::Failed);
    assert!(verdicts[3].description.starts_with("The vaccine must have been administered"), "English fallback");
    assert!(verdicts[3].to_string().starts_with("FAILED VR-DE-0004 1.0.0: The vaccine must have been administered"));
    let json = serde_json::to_value(&verdicts[3]).unwrap();
    assert_eq!(json["outcome"], json!({"result": "failed"}));
    assert_eq!(json["rule_type"], "Acceptance");
}

fn synthetic(
    id: &str,
    rule_type: &str,
    country: &str,
    version: &str,
    valid_from: &str,
    cert: &str,
    logic: Value,
) -> Rule {
    Rule::from_json(&json!({
        "Identifier": id, "Type": rule_type, "Country": country, "Version": version, "SchemaVersion": "1.0.0",
        "Engine": "CERTLOGIC", "EngineVersion": "1.0.0", "CertificateType": cert,
        "Description": [{"lang": "en", "desc": format!("{id} version {version} applies here")}],
        "ValidFrom": valid_from, "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["v.0"], "Logic": logic
    }))
    .unwrap()
}

#[test]
fn selection_by_country_type_version_validity_and_certificate_type() {
    let yes = json!({"if": [true, true, {"var": "payload.v"}]});
    let rules = vec![
        synthetic("VR-DE-0100", "Acceptance", "DE", "1.0.0", "2021-01-01T00:00:00Z", "Vaccination", yes.clone()),
        synthetic(
            "VR-DE-0100",
            "Acceptance",
            "DE",
            "1.1.0",
            "2021-06-01T00:00:00Z",
            "Vaccination",
            json!({"===": [1, 2]}),
        ),
        synthetic("VR-DE-0100", "Acceptance", "DE", "2.0.0", "2029-06-01T00:00:00Z", "Vaccination", yes.clone()),
        synthetic("GR-DE-0101", "Acceptance", "DE", "1.0.0", "2021-01-01T00:00:00Z", "General", yes.clone()),
        synthetic("TR-DE-0102", "Acceptance", "DE", "1.0.0", "2021-01-01T00:00:00Z", "Test", yes.clone()),
        synthetic("VR-FR-0100", "Acceptance", "FR", "1.0.0", "2021-01-01T00:00:00Z", "Vaccination", yes.clone()),
        synthetic(
            "IR-AT-0001",
            "Invalidation",
            "AT",
            "1.0.0",
            "2021-01-01T00:00:00Z",
            "General",
            json!({"!": [{"var": "payload.v.0.ci"}]}),
        ),
        synthetic("IR-DE-0001", "Invalidation", "DE", "1.0.0", "2021-01-01T00:00:00Z", "General", yes.clone()),
    ];
    let mut regional = synthetic("VR-DE-0200", "Acceptance", "DE", "1.0.0", "2021-01-01T00:00:00Z", "Vaccination", yes);
    regional.region = Some("BY".into());
    let mut rules = rules;
    rules.push(regional);
    let clock = "2021-08-01T10:00:00Z";
    let selected = select_rules(&rules, &query(clock));
    let picked: Vec<(&str, &str)> = selected.iter().map(|r| (r.identifier.as_str(), r.version.text.as_str())).collect();
    assert_eq!(picked, [("GR-DE-0101", "1.0.0"), ("VR-DE-0100", "1.1.0"), ("IR-AT-0001", "1.0.0")]);
    let in_bavaria = RuleQuery { arrival_region: Some("by".into()), ..query(clock) };
    assert_eq!(select_rules(&rules, &in_bavaria).len(), 4);
    let verdicts = evaluate_rules(&selected, &payload(), &external(clock).to_json(), "en");
    let outcomes: Vec<bool> = verdicts.iter().map(|v| v.outcome.is_passed()).collect();
    assert_eq!(outcomes, [true, false, false]);
    assert_eq!(verdicts[2].rule_type, RuleType::Invalidation);
}

#[test]
fn rules_the_engine_cannot_run_are_open() {
    let mut rule =
        synthetic("VR-DE-0100", "Acceptance", "DE", "1.0.0", "2021-01-01T00:00:00Z", "Vaccination", json!(true));
    let data = external("2021-08-01T10:00:00Z").to_json();
    assert!(rule.evaluate(&payload(), &data, "en").outcome.is_passed());
    rule.engine_version = healthpass_certlogic::Version::parse("2.0.0", "EngineVersion").unwrap();
    assert!(rule.evaluate(&payload(), &data, "en").outcome.is_open());
    rule.engine_version = healthpass_certlogic::Version::parse("1.0.0", "EngineVersion").unwrap();
    rule.schema_version = healthpass_certlogic::Version::parse("1.4.0", "SchemaVersion").unwrap();
    assert!(rule.evaluate(&payload(), &data, "en").outcome.is_open(), "payload 1.3.0 is older than the rule's schema");
    let mut no_ver = payload();
    no_ver.as_object_mut().unwrap().remove("ver");
    assert!(rule.evaluate(&no_ver, &data, "en").outcome.is_open());
    let non_boolean = synthetic(
        "VR-DE-0100",
        "Acceptance",
        "DE",
        "1.0.0",
        "2021-01-01T00:00:00Z",
        "Vaccination",
        json!({"var": "payload.v"}),
    );
    assert!(matches!(non_boolean.evaluate(&payload(), &data, "en").outcome, Outcome::Open { .. }));
    let throws = synthetic(
        "VR-DE-0100",
        "Acceptance",
        "DE",
        "1.0.0",
        "2021-01-01T00:00:00Z",
        "Vaccination",
        json!({"<": [{"var": "payload.dob"}, 1]}),
    );
    assert!(throws.evaluate(&payload(), &data, "en").outcome.is_open());
}

#[test]
fn a_rule_that_does_not_load_makes_the_verdict_open_where_it_may_apply() {
    let dir = std::env::temp_dir().join(format!("hp-certlogic-set-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (id, country) in [("VR-DE-0900", "DE"), ("VR-FR-0900", "FR")] {
        std::fs::create_dir_all(dir.join(id)).unwrap();
        let rule = json!({"Identifier": id, "Type": "Acceptance", "Country": country, "CertificateType": "Vaccination", "Logic": {"all": []}});
        std::fs::write(dir.join(id).join("rule.json"), rule.to_string()).unwrap();
    }
    let set = RuleSet::load(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(set.problems.len(), 2);
    let clock = "2021-11-01T10:00:00Z";
    let verdicts = set.evaluate(&query(clock), &payload(), &external(clock).to_json(), "en");
    assert_eq!(verdicts.len(), 1, "only the DE rule may apply to arrival in DE");
    assert!(verdicts[0].outcome.is_open());
    assert_eq!(verdicts[0].identifier, "VR-DE-0900");
    assert_eq!(overall(&verdicts), Overall::Open);
}
