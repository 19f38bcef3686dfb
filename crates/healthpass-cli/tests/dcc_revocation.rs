//! `verify 'HC1:…' --dcc-cert F --dcc-revocation FILE_OR_DIR` on a published DCC test file: a
//! listed DCC is refused with code `revoked` (exit 1), an unlisted one verifies, and a bad list
//! file is a usage error naming the step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use data_encoding::BASE64 as STANDARD;
use healthpass::Limits;
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_revocation::{BloomFilter, RevocationHashes, RevocationLimits};

const FILE: &str = "DE/2DCode/raw/1.json";
const AT: &str = "2021-11-01T10:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-dcc-revocation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The code, its signer certificate file, its kid and hashes.
fn dcc(dir: &Path) -> (String, String, Vec<u8>, RevocationHashes) {
    let vector: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc").join(FILE)).unwrap()).unwrap();
    let cert = dir.join("dsc.cert");
    std::fs::write(&cert, vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    let code = vector["PREFIX"].as_str().unwrap().to_owned();
    let parsed = UnverifiedDcc::parse(&code, &Limits::DEFAULT).unwrap();
    let hashes = RevocationHashes::of(&parsed, &Limits::DEFAULT).unwrap();
    (code, cert.to_str().unwrap().to_owned(), parsed.kid().unwrap().as_bytes().to_vec(), hashes)
}

fn batch(kid: &[u8], hash_type: &str, hash: &[u8]) -> String {
    serde_json::json!({
        "country": "DE", "expires": "2030-01-01T00:00:00Z", "kid": STANDARD.encode(kid),
        "hashType": hash_type, "entries": [ { "hash": STANDARD.encode(hash) } ]
    })
    .to_string()
}

fn verify(code: &str, cert: &str, list: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(["verify", code, "--dcc-cert", cert, "--at", AT, "--dcc-revocation", list.to_str().unwrap()])
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_revoked_dcc_is_refused_and_an_unlisted_one_verifies() {
    let dir = temp("revoked");
    let (code, cert, kid, hashes) = dcc(&dir);
    // A folder of lists: the DCC's UCI hash in a nested file.
    let lists = dir.join("lists");
    std::fs::create_dir_all(lists.join("de")).unwrap();
    std::fs::write(lists.join("other.json"), batch(&kid, "SIGNATURE", &[3; 16])).unwrap();
    std::fs::write(lists.join("de/uci.json"), batch(&kid, "UCI", &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &lists);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[revoked]"), "{}", text(&out));
    assert!(text(&out).contains("UCI"), "{}", text(&out));
    // The same hash under another kid does not revoke it.
    let file = dir.join("other-kid.json");
    std::fs::write(&file, batch(&[1; 8], "UCI", &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("ACCEPTED"), "{}", text(&out));
    // The signature hash revokes too.
    std::fs::write(&file, batch(&kid, "SIGNATURE", &hashes.signature)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[revoked]"), "{}", text(&out));
}

#[test]
fn a_bad_list_file_is_a_usage_error_naming_the_step() {
    let dir = temp("bad");
    let (code, cert, kid, _) = dcc(&dir);
    let file = dir.join("bad.json");
    std::fs::write(&file, batch(&kid, "MD5", &[0; 16])).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("batch 0: hashType"), "{}", text(&out));
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = verify(&code, &cert, &empty);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no revocation list"), "{}", text(&out));
}

fn batch_of(country: &str, expires: &str, kid: &[u8], hash: &[u8]) -> String {
    serde_json::json!({
        "country": country, "expires": expires, "kid": STANDARD.encode(kid),
        "hashType": "UCI", "entries": [ { "hash": STANDARD.encode(hash) } ]
    })
    .to_string()
}

/// A chunk file: the serialized dgc-bloomfilter filter with its coordinates.
fn chunk(kid: &[u8], hash_type: &str, coordinates: [u8; 2], filter: &BloomFilter) -> String {
    serde_json::json!({
        "kid": STANDARD.encode(kid), "hashType": hash_type, "partition": coordinates[0], "chunk": coordinates[1],
        "filter": STANDARD.encode(&filter.encode())
    })
    .to_string()
}

#[test]
fn a_folder_of_bloom_chunks_and_hash_lists_is_read_and_a_filter_alone_never_revokes() {
    let dir = temp("chunks");
    let (code, cert, kid, hashes) = dcc(&dir);
    let lists = dir.join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    // The dgc-bloomfilter test file's filters, rebuilt bit for bit, as chunks of other coordinates.
    let cases: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(root().join("test-vectors/dcc-revocation/dgc-bloomfilter/filter-test.json")).unwrap(),
    )
    .unwrap();
    for (n, case) in cases.iter().enumerate() {
        let data = case["data"].as_array().unwrap();
        let mut filter =
            BloomFilter::new(data.len() as u32, case["p"].as_f64().unwrap() as f32, &RevocationLimits::DEFAULT)
                .unwrap();
        // `written` says which of `data` were added (the others test the "absent" answer).
        for (item, written) in data.iter().zip(case["written"].as_array().unwrap()) {
            if written == 1 {
                filter.add(item.as_str().unwrap().as_bytes());
            }
        }
        let expected =
            String::from_utf8(STANDARD.decode(case["filter"].as_str().unwrap().as_bytes()).unwrap()).unwrap();
        assert_eq!(filter.words_text(), expected, "case {n}");
        let other = [hashes.uci[0] ^ 0xff, n as u8];
        std::fs::write(lists.join(format!("chunk-{n}.json")), chunk(&kid, "UCI", other, &filter)).unwrap();
    }
    // A chunk whose filter says "maybe" for the DCC's UCI hash, with no exact entry: accepted, noted.
    let mut filter = BloomFilter::new(10, 0.01, &RevocationLimits::DEFAULT).unwrap();
    filter.add(&hashes.uci);
    std::fs::write(lists.join("uci-chunk.json"), chunk(&kid, "UCI", [hashes.uci[0], hashes.uci[1]], &filter)).unwrap();
    let out = verify(&code, &cert, &lists);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("possibly revoked"), "{}", text(&out));
    // The exact hash list beside it confirms the filter: revoked.
    std::fs::write(lists.join("uci-batch.json"), batch(&kid, "UCI", &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &lists);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[revoked]"), "{}", text(&out));
    // A chunk file with a bad filter is a usage error naming the step.
    std::fs::write(
        lists.join("bad-chunk.json"),
        chunk(&kid, "UCI", [0, 0], &filter).replace("\"filter\":\"", "\"filter\":\"AA"),
    )
    .unwrap();
    let out = verify(&code, &cert, &lists);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("Bloom filter") || text(&out).contains("chunk"), "{}", text(&out));
}

#[test]
fn expired_batches_and_batches_of_another_country_are_refused_with_their_codes() {
    let dir = temp("batch-checks");
    let (code, cert, kid, hashes) = dcc(&dir);
    let file = dir.join("batch.json");
    // Expired before the check (AT is 2021-11-01): not loaded, so not revoked.
    std::fs::write(&file, batch_of("DE", "2021-06-01T00:00:00Z", &kid, &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("[revocation_batch_expired]"), "{}", text(&out));
    // A batch of FR naming the kid of this DE DSC: refused.
    std::fs::write(&file, batch_of("FR", "2030-01-01T00:00:00Z", &kid, &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("[revocation_batch_country]"), "{}", text(&out));
    // The same batch from DE, in force: revoked.
    std::fs::write(&file, batch_of("DE", "2030-01-01T00:00:00Z", &kid, &hashes.uci)).unwrap();
    assert_eq!(verify(&code, &cert, &file).status.code(), Some(1));
}
