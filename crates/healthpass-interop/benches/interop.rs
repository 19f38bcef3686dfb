//! DCC text → verdict: healthpass against the `dgc` crate (rust-italia), on the same codes and
//! signer certificates, in the same run. Also the NZCP and SHC paths, and payload sizes.
//!
//! `cargo bench --bench interop`
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use healthpass_interop::dcc::{DccVerifier, UnverifiedDcc};
use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier};
use healthpass_interop::shc::{ShcIssuer, ShcVerifier};
use healthpass_interop::{ForeignKey, ForeignKeys};

struct Case {
    name: &'static str,
    text: String,
    certificate_b64: String,
    clock: DateTime<Utc>,
}

fn case(name: &'static str, file: &str) -> Case {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc/common/2DCode/raw").join(file);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let clock = DateTime::parse_from_rfc3339(json["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    Case {
        name,
        text: json["PREFIX"].as_str().unwrap().to_owned(),
        certificate_b64: json["TESTCTX"]["CERTIFICATE"].as_str().unwrap().to_owned(),
        clock: clock.with_timezone(&Utc),
    }
}

fn dcc(c: &mut Criterion) {
    for case in [case("ES256", "CO3.json"), case("PS256-2048", "CO1.json"), case("PS256-3072", "CO2.json")] {
        let der = data_encoding::BASE64.decode(case.certificate_b64.as_bytes()).unwrap();
        // Keys are parsed once, when the trust list loads, on both sides.
        let ours = DccVerifier::new([ForeignKey::from_x509_der(&der).unwrap()].into_iter().collect::<ForeignKeys>());
        let mut theirs = dgc::TrustList::default();
        theirs.add_key_from_certificate(&case.certificate_b64).unwrap();

        // Both must accept the code before they are timed.
        let verdict = ours.verify(&case.text, case.clock).unwrap();
        assert!(verdict.dcc().is_some());
        let (_, validity) = dgc::validate(&case.text, &theirs).unwrap();
        assert!(validity.is_valid());
        // Payload size, so that a size change shows beside the time.
        println!("{}: code text {} characters", case.name, case.text.len());

        let mut group = c.benchmark_group(format!("dcc-{}", case.name));
        group.bench_function("healthpass", |b| b.iter(|| ours.verify(black_box(&case.text), case.clock).unwrap()));
        group.bench_function("dgc", |b| b.iter(|| dgc::validate(black_box(&case.text), &theirs).unwrap()));
        // The same work without the signature check: text → typed payload.
        let limits = healthpass::Limits::DEFAULT;
        group.bench_function("healthpass-decode-only", |b| {
            b.iter(|| {
                UnverifiedDcc::parse(black_box(&case.text), &limits).unwrap().payload_unverified(&limits).unwrap()
            })
        });
        group.bench_function("dgc-decode-only", |b| b.iter(|| dgc::decode_cwt(black_box(&case.text)).unwrap()));
        group.finish();
    }
}

fn nzcp_and_shc(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors");
    let read =
        |p: &str| -> serde_json::Value { serde_json::from_slice(&std::fs::read(root.join(p)).unwrap()).unwrap() };
    let nzcp = NzcpVerifier::new([NzcpIssuer::from_did_document(&read("nzcp/did.json")).unwrap()]);
    let examples = read("nzcp/nzcp-examples.json");
    let pass = examples["cases"][0]["payload"].as_str().unwrap().to_owned();
    let at = Utc.with_ymd_and_hms(2021, 11, 3, 0, 0, 0).unwrap();
    nzcp.verify(&pass, at).unwrap();
    c.bench_function("nzcp-ES256/healthpass", |b| b.iter(|| nzcp.verify(black_box(&pass), at).unwrap()));

    let issuer = ShcIssuer::from_jwks(
        healthpass_conformance::SHC_EXAMPLE_ISSUER,
        &read("shc/examples/issuer/.well-known/jwks.json"),
    )
    .unwrap();
    let shc = ShcVerifier::new([issuer]);
    let text = std::fs::read_to_string(root.join("shc/examples/example-00-f-qr-code-numeric-value-0.txt")).unwrap();
    let texts = [text.trim().to_owned()];
    let at = Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).unwrap();
    shc.verify_claims(&texts, at).unwrap();
    c.bench_function("shc-ES256/healthpass", |b| b.iter(|| shc.verify_claims(black_box(&texts), at).unwrap()));
}

criterion_group!(benches, dcc, nzcp_and_shc);
criterion_main!(benches);
