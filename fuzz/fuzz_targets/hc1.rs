//! EU DCC (`HC1:`) text → verdict, and every unverified parse path. Two signer certificates from
//! `test-vectors/dcc` are trusted (a P-256 one and an RSA one), so inputs that decode reach the
//! signature step under either algorithm: a code that verifies must be signed by one of them
//! and carry valid claims; nothing panics.
#![no_main]

use std::sync::LazyLock;

use data_encoding::BASE64;
use chrono::{DateTime, TimeZone, Utc};
use healthpass::Limits;
use healthpass_interop::dcc::{DccVerifier, UnverifiedDcc, decompress_body};
use healthpass_interop::{ForeignKey, ForeignKeys};
use healthpass::keys::Kid;
use healthpass::transport::decode_base45;
use libfuzzer_sys::fuzz_target;

/// The trusted certificates: AT 1 (P-256, ES256) and common CO1 (RSA 2048, PS256).
const VECTORS: [&str; 2] = [
    include_str!("../../test-vectors/dcc/AT/2DCode/raw/1.json"),
    include_str!("../../test-vectors/dcc/common/2DCode/raw/CO1.json"),
];

struct Trust {
    verifier: DccVerifier,
    kids: Vec<Kid>,
    now: DateTime<Utc>,
}

static TRUST: LazyLock<Trust> = LazyLock::new(|| {
    let keys: Vec<ForeignKey> = VECTORS
        .iter()
        .map(|text| {
            let vector: serde_json::Value = serde_json::from_str(text).expect("vector JSON");
            let certificate = vector["TESTCTX"]["CERTIFICATE"].as_str().expect("TESTCTX.CERTIFICATE");
            ForeignKey::from_x509_der(&BASE64.decode(certificate.as_bytes()).expect("base64")).expect("certificate")
        })
        .collect();
    let kids = keys.iter().map(|k| k.kid().clone()).collect();
    // AT 1's validation clock: inside both certificates' validity.
    let now = Utc.with_ymd_and_hms(2021, 5, 6, 18, 0, 0).single().expect("time");
    Trust { verifier: DccVerifier::new(keys.into_iter().collect::<ForeignKeys>()), kids, now }
});

fuzz_target!(|data: &[u8]| {
    let trust = &*TRUST;
    let limits = Limits::DEFAULT;
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = trust.verifier.verify(&text, trust.now) {
        // Only two keys are trusted: whatever verified names one of them, holds valid claims, and
        // verifies again through the two-step path.
        assert!(trust.kids.contains(code.claims.kid()));
        assert!(code.claims.validate(limits.max_text_string_len).is_ok());
        assert!(code.dcc().is_some());
        let parsed = UnverifiedDcc::parse(&text, &limits).expect("a verified code parses");
        let key = trust.verifier.verify_signature(&parsed).expect("and its signature verifies");
        assert_eq!(key.kid(), code.claims.kid());
    }
    // The unverified paths: everything a display or a conformance check reads.
    if let Ok(code) = UnverifiedDcc::parse(&text, &limits) {
        let _ = code.kid();
        let _ = code.alg();
        let _ = trust.verifier.verify_signature(&code);
        if let Ok(cwt) = code.cwt_unverified(&limits) {
            let _ = cwt.hcert_json();
            let _ = cwt.usage();
            if let Ok(payload) = cwt.payload() {
                let _ = payload.entry();
            }
        }
        if let Ok((_, payload)) = code.payload_unverified(&limits) {
            let _ = payload.entry();
        }
    }
    // The same bytes as a base45 body and as a decompressed body.
    if let Ok(body) = decode_base45(text.strip_prefix("HC1:").unwrap_or(&text)) {
        let _ = decompress_body(body, &limits);
    }
    if let Ok(code) = UnverifiedDcc::from_cose(data, &limits) {
        let _ = code.cwt_unverified(&limits);
        let _ = code.payload_unverified(&limits);
    }
});
