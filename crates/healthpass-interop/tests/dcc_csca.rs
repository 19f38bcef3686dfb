//! CSCA → DSC path validation with certificates generated here (rcgen): a DSC is trusted only
//! through a CSCA of its own country, within validity, with a key usage that allows the DCC type.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used, missing_docs)]

use chrono::{DateTime, TimeZone, Utc};
use healthpass_interop::DccUsage;
use healthpass_interop::dcc_csca::{CscaError, CscaStore};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, date_time_ymd,
};

const VACCINATION: [u64; 10] = [1, 3, 6, 1, 4, 1, 1847, 2021, 1, 2];
const TEST: [u64; 10] = [1, 3, 6, 1, 4, 1, 1847, 2021, 1, 1];
/// The alternative spelling the specification also lists, for vaccination.
const VACCINATION_ALT: [u64; 11] = [1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 2];

struct Csca {
    der: Vec<u8>,
    issuer: Issuer<'static, KeyPair>,
}

fn csca(country: &str, from: i32, to: i32) -> Csca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CountryName, country);
    params.distinguished_name.push(DnType::CommonName, format!("CSCA {country}"));
    params.not_before = date_time_ymd(from, 1, 1);
    params.not_after = date_time_ymd(to, 1, 1);
    let der = params.self_signed(&key).unwrap().der().to_vec();
    Csca { der, issuer: Issuer::new(params, key) }
}

fn dsc(country: Option<&str>, by: &Csca, from: i32, to: i32, eku: Vec<Vec<u64>>) -> Vec<u8> {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    if let Some(country) = country {
        params.distinguished_name.push(DnType::CountryName, country);
    }
    params.distinguished_name.push(DnType::CommonName, "DSC");
    params.not_before = date_time_ymd(from, 1, 1);
    params.not_after = date_time_ymd(to, 1, 1);
    params.extended_key_usages = eku.into_iter().map(ExtendedKeyUsagePurpose::Other).collect();
    params.signed_by(&key, &by.issuer).unwrap().der().to_vec()
}

fn at(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 6, 1, 0, 0, 0).unwrap()
}

fn store(cscas: &[&Csca]) -> CscaStore {
    let mut store = CscaStore::new();
    for c in cscas {
        store.insert_der(&c.der).unwrap();
    }
    store
}

#[test]
fn a_dsc_under_its_countrys_csca_is_trusted() {
    let de = csca("DE", 2020, 2030);
    let cert = dsc(Some("DE"), &de, 2021, 2023, vec![]);
    let trusted = store(&[&csca("FR", 2020, 2030), &de]);
    assert_eq!(trusted.verify_dsc(&cert, Some(DccUsage::Vaccination), at(2022)).unwrap(), "DE");
    assert_eq!(trusted.verify_dsc(&cert, None, at(2022)).unwrap(), "DE");
}

#[test]
fn a_dsc_of_another_country_than_its_csca_is_refused_with_its_own_code() {
    let fr = csca("FR", 2020, 2030);
    let cert = dsc(Some("DE"), &fr, 2021, 2023, vec![]);
    let error = store(&[&fr]).verify_dsc(&cert, None, at(2022)).unwrap_err();
    assert_eq!(error, CscaError::WrongCountry { dsc: "DE".into(), csca: "FR".into() });
    assert_eq!(error.code(), "csca_wrong_country");
    // A store with the DSC's own country but another CSCA: untrusted, not wrong country.
    let error = store(&[&csca("DE", 2020, 2030)]).verify_dsc(&cert, None, at(2022)).unwrap_err();
    assert_eq!(error.code(), "csca_untrusted", "the FR CSCA is not in this store: {error}");
}

#[test]
fn an_unknown_issuer_is_untrusted() {
    let de = csca("DE", 2020, 2030);
    let other_de = csca("DE", 2020, 2030);
    let cert = dsc(Some("DE"), &de, 2021, 2023, vec![]);
    let error = store(&[&other_de]).verify_dsc(&cert, None, at(2022)).unwrap_err();
    assert_eq!(error.code(), "csca_untrusted", "{error}");
    let error = CscaStore::new().verify_dsc(&cert, None, at(2022)).unwrap_err();
    assert_eq!(error.code(), "csca_untrusted", "{error}");
}

#[test]
fn expired_and_not_yet_valid_chains_are_refused_with_their_own_codes() {
    let de = csca("DE", 2020, 2030);
    let cert = dsc(Some("DE"), &de, 2021, 2023, vec![]);
    let trusted = store(&[&de]);
    assert_eq!(trusted.verify_dsc(&cert, None, at(2024)).unwrap_err().code(), "csca_expired");
    assert_eq!(trusted.verify_dsc(&cert, None, at(2020)).unwrap_err().code(), "csca_not_yet_valid");
    // The CSCA itself expired while the DSC is still within its dates.
    let short = csca("DE", 2020, 2022);
    let long_dsc = dsc(Some("DE"), &short, 2021, 2025, vec![]);
    let error = store(&[&short]).verify_dsc(&long_dsc, None, at(2023)).unwrap_err();
    assert_eq!(error.code(), "csca_expired", "{error}");
}

#[test]
fn the_dcc_key_usage_oids_restrict_what_a_dsc_may_sign() {
    let de = csca("DE", 2020, 2030);
    let trusted = store(&[&de]);
    let vaccination_only = dsc(Some("DE"), &de, 2021, 2023, vec![VACCINATION.to_vec()]);
    trusted.verify_dsc(&vaccination_only, Some(DccUsage::Vaccination), at(2022)).unwrap();
    let error = trusted.verify_dsc(&vaccination_only, Some(DccUsage::Test), at(2022)).unwrap_err();
    assert_eq!(error, CscaError::KeyUsage("test"));
    assert_eq!(error.code(), "csca_key_usage");
    assert!(trusted.verify_dsc(&vaccination_only, None, at(2022)).is_ok());
    // The alternative spelling counts; an extension naming only other purposes grants nothing.
    let alt = dsc(Some("DE"), &de, 2021, 2023, vec![VACCINATION_ALT.to_vec()]);
    assert!(trusted.verify_dsc(&alt, Some(DccUsage::Vaccination), at(2022)).is_ok());
    let server = dsc(Some("DE"), &de, 2021, 2023, vec![vec![1, 3, 6, 1, 5, 5, 7, 3, 1]]);
    assert_eq!(trusted.verify_dsc(&server, Some(DccUsage::Recovery), at(2022)).unwrap_err().code(), "csca_key_usage");
    assert_eq!(trusted.verify_dsc(&server, None, at(2022)).unwrap_err().code(), "csca_key_usage");
    let both = dsc(Some("DE"), &de, 2021, 2023, vec![TEST.to_vec(), VACCINATION.to_vec()]);
    assert!(trusted.verify_dsc(&both, Some(DccUsage::Test), at(2022)).is_ok());
    assert!(trusted.verify_dsc(&both, Some(DccUsage::Recovery), at(2022)).is_err());
}

#[test]
fn certificates_without_a_country_or_malformed_are_refused() {
    let de = csca("DE", 2020, 2030);
    let trusted = store(&[&de]);
    let no_country = dsc(None, &de, 2021, 2023, vec![]);
    assert_eq!(trusted.verify_dsc(&no_country, None, at(2022)).unwrap_err().code(), "csca_no_country");
    assert_eq!(trusted.verify_dsc(b"not a certificate", None, at(2022)).unwrap_err().code(), "csca_malformed");
    assert_eq!(CscaStore::new().insert_der(&[0x30, 0x00]).unwrap_err().code(), "csca_malformed");
    assert_eq!(CscaStore::new().insert_der(&vec![0x30; 20_000]).unwrap_err().code(), "csca_malformed");
}

#[test]
fn a_published_dsc_does_not_chain_to_a_generated_csca() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc/DE/2DCode/raw/1.json");
    let vector: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let der = data_encoding::BASE64.decode(vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes()).unwrap();
    let error = store(&[&csca("DE", 2020, 2030)]).verify_dsc(&der, None, at(2021)).unwrap_err();
    assert_eq!(error.code(), "csca_untrusted", "{error}");
}
