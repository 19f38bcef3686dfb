//! DCC revocation: the published hash samples, the standard Bloom filter's test file, the
//! store's lookups and the bounded reading of gateway batch files.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use data_encoding::{BASE64, HEXLOWER};
use healthpass::{Error, Limits};
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_revocation::{
    BloomFilter, HashType, Lookup, RevocationHashes, RevocationLimits, RevocationStore,
};
use proptest::prelude::*;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-revocation")
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(vectors().join(path)).unwrap()).unwrap()
}

fn samples() -> Vec<serde_json::Value> {
    json("cwa-app-android/RevocationCalculationSampleData.json").as_array().unwrap().clone()
}

fn hashes_of(text: &str) -> (Vec<u8>, RevocationHashes) {
    let code = UnverifiedDcc::parse(text, &Limits::DEFAULT).unwrap();
    (code.kid().unwrap().as_bytes().to_vec(), RevocationHashes::of(&code, &Limits::DEFAULT).unwrap())
}

#[test]
fn the_published_hash_samples_are_reproduced() {
    let samples = samples();
    assert_eq!(samples.len(), 3);
    for sample in &samples {
        let (_, hashes) = hashes_of(sample["barcodeData"].as_str().unwrap());
        let name = sample["description"].as_str().unwrap();
        assert_eq!(HEXLOWER.encode(&hashes.uci), sample["expUCI"].as_str().unwrap(), "UCI of {name}");
        assert_eq!(
            HEXLOWER.encode(&hashes.country_code_uci.unwrap()),
            sample["expCOUNTRYCODEUCI"].as_str().unwrap(),
            "COUNTRYCODEUCI of {name}"
        );
        assert_eq!(HEXLOWER.encode(&hashes.signature), sample["expSIGNATURE"].as_str().unwrap(), "SIGNATURE of {name}");
    }
}

#[test]
fn an_es256_signature_hash_covers_r_only() {
    let text = samples()[0]["barcodeData"].as_str().unwrap().to_owned();
    let code = UnverifiedDcc::parse(&text, &Limits::DEFAULT).unwrap();
    let cwt = code.cwt_unverified(&Limits::DEFAULT).unwrap();
    let mut signature = code.message().signature().to_vec();
    let alg = code.alg().unwrap();
    let before = RevocationHashes::of_parts(&signature, alg, &cwt).unwrap().signature;
    signature[63] ^= 1; // s changes, r does not
    assert_eq!(RevocationHashes::of_parts(&signature, alg, &cwt).unwrap().signature, before);
    signature[0] ^= 1; // r changes
    assert_ne!(RevocationHashes::of_parts(&signature, alg, &cwt).unwrap().signature, before);
    let short = RevocationHashes::of_parts(&signature[..40], alg, &cwt).unwrap_err();
    assert!(matches!(short, Error::Foreign { step: "signature", .. }), "{short}");
}

#[test]
fn the_standard_filter_test_file_is_reproduced_bit_for_bit() {
    let cases = json("dgc-bloomfilter/filter-test.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let data: Vec<&str> = case["data"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        let written: Vec<u64> = case["written"].as_array().unwrap().iter().map(|w| w.as_u64().unwrap()).collect();
        let p = case["p"].as_f64().unwrap() as f32;
        let mut filter = BloomFilter::new(data.len() as u32, p, &RevocationLimits::DEFAULT).unwrap();
        for (element, write) in data.iter().zip(&written) {
            if *write == 1 {
                filter.add(element.as_bytes());
            }
        }
        let expected = String::from_utf8(BASE64.decode(case["filter"].as_str().unwrap().as_bytes()).unwrap()).unwrap();
        assert_eq!(filter.words_text(), expected, "filter of {data:?}");
        let found: Vec<u64> = data.iter().map(|d| u64::from(filter.might_contain(d.as_bytes()))).collect();
        assert_eq!(found, written, "lookups of {data:?}");
        let back = BloomFilter::decode(&filter.encode(), &RevocationLimits::DEFAULT).unwrap();
        assert_eq!(back, filter);
    }
}

#[test]
fn serialized_filters_are_read_under_limits_with_the_field_named() {
    let mut filter = BloomFilter::new(100, 0.01, &RevocationLimits::DEFAULT).unwrap();
    filter.add(b"x");
    let bytes = filter.encode();
    assert_eq!(&bytes[..2], &[0, 1], "version 1, big-endian");
    assert_eq!(bytes[2], filter.rounds(), "k is written before the hash type");
    let step = |bytes: &[u8]| match BloomFilter::decode(bytes, &RevocationLimits::DEFAULT).unwrap_err() {
        Error::Foreign { detail, .. } => detail,
        other => panic!("{other}"),
    };
    assert!(step(&bytes[..10]).starts_with("header"));
    assert!(step(&bytes[..bytes.len() - 1]).starts_with("words"));
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(step(&trailing).starts_with("words"));
    let mut version = bytes.clone();
    version[1] = 2;
    assert!(step(&version).starts_with("version"));
    let mut hash = bytes.clone();
    hash[3] = 1;
    assert!(step(&hash).starts_with("hash type"));
    let mut rounds = bytes.clone();
    rounds[2] = 0x80;
    assert!(step(&rounds).starts_with("k"));
    let small = RevocationLimits { max_filter_bytes: 8, ..RevocationLimits::DEFAULT };
    assert!(matches!(BloomFilter::decode(&bytes, &small), Err(Error::TooLarge { .. })));
    assert!(matches!(BloomFilter::new(1_000_000, 0.0001, &small), Err(Error::TooLarge { .. })));
    assert!(BloomFilter::new(0, 0.01, &RevocationLimits::DEFAULT).is_err());
    assert!(BloomFilter::new(10, 1.0, &RevocationLimits::DEFAULT).is_err());
}

fn batch(kid: &[u8], hash_type: &str, hashes: &[[u8; 16]]) -> serde_json::Value {
    serde_json::json!({
        "country": "DE",
        "expires": "2030-01-01T00:00:00Z",
        "kid": BASE64.encode(kid),
        "hashType": hash_type,
        "entries": hashes.iter().map(|h| serde_json::json!({ "hash": BASE64.encode(h.as_slice()) })).collect::<Vec<_>>(),
    })
}

#[test]
fn a_listed_dcc_is_revoked_for_each_hash_type_and_only_under_its_kid() {
    let sample = samples()[1]["barcodeData"].as_str().unwrap().to_owned();
    let (kid, hashes) = hashes_of(&sample);
    for hash_type in HashType::ALL {
        let mut store = RevocationStore::new();
        let file = batch(&kid, hash_type.name(), &[[7; 16], *hashes.get(hash_type).unwrap()]);
        let report = store.load_gateway_json(file.to_string().as_bytes()).unwrap();
        assert_eq!((report.batches, report.entries), (1, 2));
        assert_eq!(store.check(&kid, &hashes), Lookup::Revoked(hash_type));
        assert!(matches!(store.verify(&kid, &hashes), Err(e) if e.code() == "revoked"));
        // The same hash under another kid, or as another type, revokes nothing.
        let other_kid = [0u8; 8];
        assert_eq!(store.check(&other_kid, &hashes), Lookup::NotListed);
        let other = HashType::ALL.into_iter().find(|t| *t != hash_type).unwrap();
        assert_eq!(store.lookup(&kid, other, hashes.get(hash_type).unwrap()), Lookup::NotListed);
    }
    // The other samples are not on a list holding only this one.
    let mut store = RevocationStore::new();
    store.load_gateway_json(batch(&kid, "UCI", &[hashes.uci]).to_string().as_bytes()).unwrap();
    let (kid0, hashes0) = hashes_of(samples()[0]["barcodeData"].as_str().unwrap());
    assert_eq!(store.check(&kid0, &hashes0), Lookup::NotListed);
}

#[test]
fn a_filter_alone_never_revokes_and_the_exact_list_decides() {
    let (kid, hashes) = hashes_of(samples()[0]["barcodeData"].as_str().unwrap());
    let [x, y] = [hashes.uci[0], hashes.uci[1]];
    // A filter that says "maybe" for everything: every bit set.
    let mut saturated = BloomFilter::new(1, 0.5, &RevocationLimits::DEFAULT).unwrap();
    for i in 0..10_000u32 {
        saturated.add(&i.to_be_bytes());
    }
    assert!(saturated.might_contain(&hashes.uci));
    let mut store = RevocationStore::new();
    store.insert_filter(&kid, HashType::Uci, x, y, saturated);
    assert_eq!(store.check(&kid, &hashes), Lookup::Unconfirmed(HashType::Uci));
    assert!(store.verify(&kid, &hashes).is_ok(), "a filter's maybe is not a revocation");
    // An exact list for the same chunk without this DCC: still not revoked.
    let mut neighbour = hashes.uci;
    neighbour[15] ^= 0xff;
    store.insert_hashes(&kid, HashType::Uci, &[neighbour]).unwrap();
    assert_eq!(store.check(&kid, &hashes), Lookup::Unconfirmed(HashType::Uci));
    // With the DCC's hash in the exact list it is revoked.
    store.insert_hashes(&kid, HashType::Uci, &[hashes.uci]).unwrap();
    assert_eq!(store.check(&kid, &hashes), Lookup::Revoked(HashType::Uci));
}

#[test]
fn built_filters_agree_with_the_exact_lists() {
    let mut store = RevocationStore::new();
    let kid = [1u8; 8];
    let listed: Vec<[u8; 16]> = (0..2_000u32).map(hash_of).collect();
    store.insert_hashes(&kid, HashType::Signature, &listed).unwrap();
    store.insert_hashes(&kid, HashType::Signature, &listed[..10]).unwrap();
    assert_eq!(store.len(), 2_000, "duplicates are held once");
    store.build_filters(0.01).unwrap();
    for hash in &listed {
        assert_eq!(store.lookup(&kid, HashType::Signature, hash), Lookup::Revoked(HashType::Signature));
        assert!(store.filter(&kid, HashType::Signature, hash[0], hash[1]).unwrap().might_contain(hash));
    }
    for i in 2_000..4_000u32 {
        assert_ne!(store.lookup(&kid, HashType::Signature, &hash_of(i)), Lookup::Revoked(HashType::Signature));
    }
}

fn hash_of(i: u32) -> [u8; 16] {
    use sha2::Digest;
    sha2::Sha256::digest(i.to_be_bytes())[..16].try_into().unwrap()
}

#[test]
fn gateway_files_are_read_under_limits_with_the_step_named() {
    let kid = [9u8; 8];
    let good = batch(&kid, "UCI", &[[1; 16]]);
    let detail = |value: serde_json::Value| match RevocationStore::new().load_gateway_json(value.to_string().as_bytes())
    {
        Err(Error::Foreign { step, detail, .. }) => format!("{step}: {detail}"),
        other => panic!("{other:?}"),
    };
    let with = |key: &str, value: serde_json::Value| {
        let mut b = good.clone();
        b[key] = value;
        serde_json::json!([good.clone(), b])
    };
    assert_eq!(
        detail(with("hashType", "MD5".into())),
        "batch: batch 1: hashType is not SIGNATURE, UCI or COUNTRYCODEUCI"
    );
    assert!(detail(with("country", "Germany".into())).contains("batch 1: country"));
    assert!(detail(with("expires", "tomorrow".into())).contains("batch 1: expires"));
    assert!(detail(with("kid", "!!".into())).contains("batch 1: kid"));
    assert!(
        detail(with("entries", serde_json::json!([{ "hash": "AAAA" }]))).contains("batch 1: entry 0: hash has 3 bytes")
    );
    assert!(detail(serde_json::json!({ "batches": [] })).starts_with("batch JSON"));
    // UNKNOWN_KID batches are passed over, and said to be.
    let mut unknown = good.clone();
    unknown["kid"] = "UNKNOWN_KID".into();
    let report =
        RevocationStore::new().load_gateway_json(serde_json::json!([unknown, good]).to_string().as_bytes()).unwrap();
    assert_eq!((report.batches, report.skipped.len()), (1, 1));
    // Limits: bytes, batches, entries per batch, entries in the store; nothing added on error.
    let text = serde_json::json!([good.clone(), good.clone()]).to_string();
    let limited = |limits: RevocationLimits| {
        let mut store = RevocationStore::with_limits(limits);
        let result = store.load_gateway_json(text.as_bytes());
        (result, store.len())
    };
    let d = RevocationLimits::DEFAULT;
    for limits in [
        RevocationLimits { max_file_bytes: 10, ..d },
        RevocationLimits { max_batches: 1, ..d },
        RevocationLimits { max_batch_entries: 0, ..d },
        RevocationLimits { max_total_entries: 1, ..d },
    ] {
        let (result, len) = limited(limits);
        assert!(matches!(result, Err(Error::TooLarge { .. })), "{result:?}");
        assert_eq!(len, 0);
    }
}

proptest! {
    #[test]
    fn untrusted_list_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = RevocationStore::new().load_gateway_json(&bytes);
        let _ = BloomFilter::decode(&bytes, &RevocationLimits::DEFAULT);
    }

    #[test]
    fn a_decoded_filter_never_panics_on_lookup(words in proptest::collection::vec(any::<u32>(), 1..8), k in 1u8..20, item in any::<[u8; 16]>()) {
        let mut bytes = vec![0, 1, k, 0];
        bytes.extend_from_slice(&0.01f32.to_be_bytes());
        bytes.extend_from_slice(&10i32.to_be_bytes());
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&(words.len() as i32).to_be_bytes());
        for w in &words { bytes.extend_from_slice(&w.to_be_bytes()); }
        let filter = BloomFilter::decode(&bytes, &RevocationLimits::DEFAULT).unwrap();
        let _ = filter.might_contain(&item);
        prop_assert_eq!(filter.encode(), bytes);
    }
}
