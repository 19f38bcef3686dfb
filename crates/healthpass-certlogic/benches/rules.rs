//! A country's full rule set on one certificate: every rule of the country (all certificate
//! types, acceptance and invalidation), evaluated on one vaccination certificate with the
//! published value sets; also rule selection plus the applicable rules, and building the
//! external parameter. Target: the full set in at most 50 µs.
//!
//! `cd crates/healthpass-certlogic && cargo bench --bench rules`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use healthpass_certlogic::{
    CertificateType, External, Limits, RuleQuery, RuleSet, evaluate_rules, parse_date_time, select_rules,
};
use serde_json::json;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-rules")
}

fn rules(c: &mut Criterion) {
    let payload = json!({
        "ver": "1.3.0", "dob": "1990-01-01",
        "nam": {"fn": "Musterfrau", "gn": "Erika", "fnt": "MUSTERFRAU", "gnt": "ERIKA"},
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
               "dn": 3, "sd": 3, "dt": "2022-01-10", "co": "AT", "is": "BMSGPK",
               "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]
    });
    let clock = "2022-03-01T10:00:00Z";
    let value_sets = External::parse_value_sets(
        &std::fs::read(vectors().join("valuesets/valueSets.json")).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    let external = External {
        validation_clock: clock.into(),
        value_sets,
        country_code: "XX".into(),
        issuer_country_code: "AT".into(),
        ..External::default()
    };
    let external_json = external.to_json();
    c.bench_function("external parameter to JSON (published value sets)", |b| b.iter(|| black_box(external.to_json())));

    for country in ["CY", "AT", "IE", "DE", "EU"] {
        let set = RuleSet::load(&vectors().join(country)).unwrap();
        assert!(set.problems.is_empty());
        assert!(set.rules.len() >= 11, "{country}: {} rules", set.rules.len());
        let all: Vec<_> = set.rules.iter().collect();
        let verdicts = evaluate_rules(&all, &payload, &external_json, "en");
        let open = verdicts.iter().filter(|v| v.outcome.is_open()).count();
        println!("{country}: {} rules, {open} open on this certificate", all.len());
        c.bench_function(&format!("{country}: full rule set ({} rules) on one certificate", all.len()), |b| {
            b.iter(|| black_box(evaluate_rules(black_box(&all), black_box(&payload), &external_json, "en")))
        });
        let query = RuleQuery {
            arrival_country: country.into(),
            arrival_region: None,
            issuing_country: "AT".into(),
            certificate_type: CertificateType::of_payload(&payload).unwrap(),
            validation_clock_ms: parse_date_time(clock, "clock").unwrap(),
        };
        println!("{country}: {} rules apply to this certificate", select_rules(&set.rules, &query).len());
        c.bench_function(&format!("{country}: select + applicable rules on one certificate"), |b| {
            b.iter(|| {
                let selected = select_rules(&set.rules, black_box(&query));
                black_box(evaluate_rules(&selected, &payload, &external_json, "en"))
            })
        });
    }
}

/// A native code's claims (docs/FORMAT.md §11 JSON) through the native mapping, then DE's
/// applicable rules: what a checkpoint policy naming rules (`rules`) adds per native code.
fn native(c: &mut Criterion) {
    let claims = json!({
        "issuer": "MO", "credential_id": "00112233445566778899aabbccddeeff",
        "issued_at": "2022-03-01T08:00:00Z", "not_before": "2022-03-01T08:00:00Z", "expires_at": "2022-03-08T08:00:00Z",
        "colour": "green", "reasons": ["vaccinated"], "kind": {"type": "personal"},
        "subject": {"id": "00112233445566778899aabbccddeeff", "birth_date": "1990-01-01"},
        "evidence": {"vaccinations": [{"product": "EU/1/20/1528", "dose": 3, "doses": 3, "date": "2022-01-10"}]}
    });
    let clock = "2022-03-01T10:00:00Z";
    let value_sets = External::parse_value_sets(
        &std::fs::read(vectors().join("valuesets/valueSets.json")).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    let base =
        External { validation_clock: clock.into(), value_sets, country_code: "DE".into(), ..External::default() };
    let external_json = healthpass_certlogic::native_external(&claims, &base).unwrap().to_json();
    let set = RuleSet::load(&vectors().join("DE")).unwrap();
    c.bench_function("DE: native code, mapping + select + applicable rules", |b| {
        b.iter(|| {
            let payload = healthpass_certlogic::native_payload(black_box(&claims)).unwrap();
            let query = RuleQuery {
                arrival_country: "DE".into(),
                arrival_region: None,
                issuing_country: "MO".into(),
                certificate_type: CertificateType::of_payload(&payload).unwrap(),
                validation_clock_ms: parse_date_time(clock, "clock").unwrap(),
            };
            black_box(set.evaluate(&query, &payload, &external_json, "en"))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = rules, native
}
criterion_main!(benches);
