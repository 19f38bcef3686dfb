//! Instruction counts for DCC text → verdict against the `dgc` crate, repeatable on a busy
//! machine (BENCHMARKS.md, "Interop"):
//!
//! ```sh
//! cargo build --release -p healthpass-interop --example dcc_instructions
//! for what in healthpass dgc healthpass-decode dgc-decode; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*dcc_instructions*measure*' \
//!     target/release/examples/dcc_instructions $what CO3 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! Only `measure` is counted (loading the signer certificate is left out on both sides), after
//! one uncounted call of the same work on each side: a verifier checks code after code, and the
//! first call on a thread also sets up what later calls reuse (our inflater, ring's CPU feature
//! detection), 15.9 k instructions on our side. The
//! codes are those of `benches/interop.rs`: test-vectors/dcc/common CO3 (ES256), CO1 and CO2
//! (PS256).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use chrono::{DateTime, Utc};
use healthpass::Limits;
use healthpass_interop::dcc::{DccVerifier, UnverifiedDcc};
use healthpass_interop::{ForeignKey, ForeignKeys};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let name = args.next().unwrap_or_else(|| "CO3".into());
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../test-vectors/dcc/common/2DCode/raw")
        .join(format!("{name}.json"));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let clock =
        DateTime::parse_from_rfc3339(json["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap().with_timezone(&Utc);
    let text = json["PREFIX"].as_str().unwrap().to_owned();
    let certificate = json["TESTCTX"]["CERTIFICATE"].as_str().unwrap();
    let der = data_encoding::BASE64.decode(certificate.as_bytes()).unwrap();
    let ours = DccVerifier::new([ForeignKey::from_x509_der(&der).unwrap()].into_iter().collect::<ForeignKeys>());
    let mut theirs = dgc::TrustList::default();
    theirs.add_key_from_certificate(certificate).unwrap();
    run(&what, &text, &ours, &theirs, clock);
    let ok = measure(&what, &text, &ours, &theirs, clock);
    println!("{what} {name}: {ok}");
}

#[inline(never)]
fn measure(what: &str, text: &str, ours: &DccVerifier, theirs: &dgc::TrustList, clock: DateTime<Utc>) -> bool {
    run(what, text, ours, theirs, clock)
}

#[inline(never)]
fn run(what: &str, text: &str, ours: &DccVerifier, theirs: &dgc::TrustList, clock: DateTime<Utc>) -> bool {
    let limits = Limits::DEFAULT;
    match what {
        "healthpass" => ours.verify(black_box(text), clock).is_ok(),
        "dgc" => dgc::validate(black_box(text), theirs).is_ok_and(|(_, v)| v.is_valid()),
        "healthpass-decode" => {
            UnverifiedDcc::parse(black_box(text), &limits).and_then(|c| c.payload_unverified(&limits)).is_ok()
        }
        "dgc-decode" => dgc::decode_cwt(black_box(text)).is_ok(),
        other => panic!("unknown measure {other}"),
    }
}
