//! Round trip: claims built from fuzz bytes → issue → verify must succeed (or fail only as the
//! validity rules say, evidence from the future included) and give back exactly the same claims.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Unstructured;
use healthpass::{Error, Issuer, KeySet, SigningKey, Verifier};
use libfuzzer_sys::fuzz_target;

/// The issuer and its verifier, built once (deriving the key cost as much as a signature).
static PAIR: LazyLock<(Issuer, Verifier)> = LazyLock::new(|| {
    let key = SigningKey::demo();
    let verifier = Verifier::new([key.public_key()].into_iter().collect::<KeySet>());
    (Issuer::new(key), verifier)
});

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(claims) = healthpass_fuzz::claims(&mut u) else { return };
    let (issuer, verifier) = &*PAIR;
    let text = match issuer.issue(&claims) {
        Ok(text) => text,
        // The issuer refuses claims that break the model (an empty issuer, a dose outside its
        // series, ...) or that do not fit a code; nothing else.
        Err(Error::Claims(_) | Error::TooLarge { .. }) => return,
        Err(other) => panic!("issuing failed at an unexpected step: {other}"),
    };
    let now = claims.issued_at.max(claims.not_before);
    match verifier.verify(&text, now) {
        Ok(verified) => {
            assert!(claims.expires_at >= now - Verifier::DEFAULT_SKEW);
            assert_eq!(*verified, claims);
        }
        Err(Error::Expired(_)) => assert!(claims.expires_at < now - Verifier::DEFAULT_SKEW),
        // Evidence dated after the code's issue time (beyond the skew) is refused, and only that.
        Err(Error::EvidenceInFuture(_)) => {
            assert!(claims.check_evidence_times(now, Verifier::DEFAULT_SKEW).is_err());
        }
        Err(other) => panic!("a freshly issued code was refused: {other}"),
    }
});
