//! `verify 'HC1:…' --dcc-cert DSC --csca BUNDLE`: a DCC re-signed here by a DSC under a CSCA
//! generated here verifies only when the bundle holds that CSCA; another country's CSCA, an
//! expired chain and a key usage for another type are refused with their codes (exit 1); a
//! bundle without certificates is a usage error (exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::Limits;
use healthpass::transport::{deflate, encode_base45};
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_kid;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, date_time_ymd,
};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};

const AT: &str = "2021-11-01T10:00:00Z";

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-dcc-csca-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn csca(country: &str, to: i32) -> (String, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CountryName, country);
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(to, 1, 1);
    let pem = params.self_signed(&key).unwrap().pem();
    (pem, Issuer::new(params, key))
}

/// A DSC of DE under `issuer`, and the published DE vaccination DCC's payload re-signed by it.
fn dsc_and_code(issuer: &Issuer<'static, KeyPair>, to: i32, eku: Option<Vec<u64>>) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CountryName, "DE");
    params.not_before = date_time_ymd(2021, 1, 1);
    params.not_after = date_time_ymd(to, 1, 1);
    params.extended_key_usages = eku.into_iter().map(ExtendedKeyUsagePurpose::Other).collect();
    let certificate = params.signed_by(&key, issuer).unwrap();
    let vector: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc/DE/2DCode/raw/1.json"))
            .unwrap(),
    )
    .unwrap();
    let original = UnverifiedDcc::parse(vector["PREFIX"].as_str().unwrap(), &Limits::DEFAULT).unwrap();
    let signer = EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        &key.serialize_der(),
        &ring::rand::SystemRandom::new(),
    )
    .unwrap();
    let kid = dcc_kid(certificate.der()).as_bytes().to_vec();
    let message = CoseSign1Builder::new()
        .protected(HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(kid).build())
        .payload(original.message().payload().to_vec())
        .create_signature(&[], |tbs| signer.sign(&ring::rand::SystemRandom::new(), tbs).unwrap().as_ref().to_vec())
        .build();
    (certificate.pem(), format!("HC1:{}", encode_base45(&deflate(&message.to_tagged_vec().unwrap()))))
}

fn verify(dir: &Path, code: &str, dsc: &str, bundle: &str) -> Output {
    let (dsc_file, bundle_file) = (dir.join("dsc.pem"), dir.join("csca.pem"));
    std::fs::write(&dsc_file, dsc).unwrap();
    std::fs::write(&bundle_file, bundle).unwrap();
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(["verify", code, "--dcc-cert", dsc_file.to_str().unwrap(), "--at", AT])
        .args(["--csca", bundle_file.to_str().unwrap()])
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_dsc_is_trusted_only_through_a_csca_of_its_country() {
    let dir = temp("chain");
    let (de_pem, de) = csca("DE", 2030);
    let (fr_pem, fr) = csca("FR", 2030);
    let (dsc, code) = dsc_and_code(&de, 2023, None);
    let out = verify(&dir, &code, &dsc, &format!("{fr_pem}{de_pem}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("ACCEPTED"), "{}", text(&out));
    // Without its CSCA in the bundle: untrusted.
    let out = verify(&dir, &code, &dsc, &fr_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_untrusted]"), "{}", text(&out));
    // A DE DSC under the FR CSCA: wrong country.
    let (dsc, code) = dsc_and_code(&fr, 2023, None);
    let out = verify(&dir, &code, &dsc, &fr_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_wrong_country]"), "{}", text(&out));
}

#[test]
fn expired_chains_and_other_key_usages_are_refused_with_their_codes() {
    let dir = temp("refused");
    // The CSCA expired before the DCC was signed (iat 2021-05).
    let (old_pem, old) = csca("DE", 2021);
    let (dsc, code) = dsc_and_code(&old, 2023, None);
    let out = verify(&dir, &code, &dsc, &old_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_expired]"), "{}", text(&out));
    // A DSC for test certificates only, on a vaccination DCC.
    let (de_pem, de) = csca("DE", 2030);
    let (dsc, code) = dsc_and_code(&de, 2023, Some(vec![1, 3, 6, 1, 4, 1, 1847, 2021, 1, 1]));
    let out = verify(&dir, &code, &dsc, &de_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_key_usage]") || text(&out).contains("key_usage"), "{}", text(&out));
    // A bundle with no certificate.
    let out = verify(&dir, &code, &dsc, "nothing here");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no PEM certificate"), "{}", text(&out));
}

#[test]
fn a_policy_naming_a_csca_bundle_requires_the_chain() {
    let dir = temp("policy");
    let (de_pem, de) = csca("DE", 2030);
    let (fr_pem, _) = csca("FR", 2030);
    let (dsc, code) = dsc_and_code(&de, 2023, None);
    let dsc_file = dir.join("dsc.pem");
    std::fs::write(&dsc_file, &dsc).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{ "accept_colours": ["green"], "dcc_csca": "cscas.pem" }"#).unwrap();
    let run = |bundle: &str| {
        std::fs::write(dir.join("cscas.pem"), bundle).unwrap();
        Command::new(env!("CARGO_BIN_EXE_healthpass"))
            .args(["verify", &code, "--dcc-cert", dsc_file.to_str().unwrap(), "--at", AT])
            .args(["--policy", policy.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = run(&de_pem);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = run(&fr_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_untrusted]"), "{}", text(&out));
    // Without the field, the same DSC is trusted as given.
    std::fs::write(&policy, r#"{ "accept_colours": ["green"] }"#).unwrap();
    assert_eq!(run(&fr_pem).status.code(), Some(0));
}

#[test]
fn the_conformance_runner_checks_chains_with_a_csca_bundle() {
    let dir = temp("conformance");
    let (de_pem, de) = csca("DE", 2030);
    let (fr_pem, _) = csca("FR", 2030);
    let (dsc, code) = dsc_and_code(&de, 2023, None);
    let tests = dir.join("tests/DE/2DCode/raw");
    std::fs::create_dir_all(&tests).unwrap();
    let test = serde_json::json!({
        "PREFIX": code,
        "TESTCTX": {"CERTIFICATE": dsc, "VALIDATIONCLOCK": AT, "DESCRIPTION": "re-signed under a generated CSCA"},
        "EXPECTEDRESULTS": {"EXPECTEDVERIFY": true}
    });
    std::fs::write(tests.join("1.json"), test.to_string()).unwrap();
    let run = |bundle: &str| {
        let file = dir.join("bundle.pem");
        std::fs::write(&file, bundle).unwrap();
        let folder = dir.join("tests");
        Command::new(env!("CARGO_BIN_EXE_healthpass"))
            .args(["conformance", "dcc", folder.to_str().unwrap(), "--csca", file.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = run(&de_pem);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("CSCA chains: 1 passed, 0 failed"), "{}", text(&out));
    let out = run(&fr_pem);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[csca_untrusted]"), "{}", text(&out));
    assert!(text(&out).contains("CSCA chains: 0 passed, 1 failed"), "{}", text(&out));
}
