//! Signed revocation lists, checked against a trust list: both come from the input (two bytes
//! of length, the trust list, then the revocation list). Never panics; a revocation list that
//! decodes and names no issuer, signed again by the anchor, decodes to itself.
#![no_main]

use std::sync::LazyLock;

use healthpass::trust::{RevocationList, TrustList};
use healthpass::{Limits, SigningKey};
use libfuzzer_sys::fuzz_target;

/// The anchor of test-vectors/trust, derived once.
static ANCHOR: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_seed(&[0xa1; 32]));

fuzz_target!(|data: &[u8]| {
    let limits = Limits::DEFAULT;
    let anchor = &*ANCHOR;
    let anchors = [anchor.public_key()];
    let Some((len, rest)) = data.split_first_chunk::<2>() else { return };
    let len = usize::from(u16::from_be_bytes(*len)).min(rest.len());
    let (trust, revocations) = rest.split_at(len);
    let Ok(trust) = TrustList::decode_unverified(trust, &limits) else { return };
    if let Ok(list) = RevocationList::decode_signed(revocations, &anchors, &trust, &limits) {
        if list.issuer.is_some() {
            return;
        }
        if let Ok(bytes) = list.sign(anchor, &limits) {
            assert_eq!(RevocationList::decode_signed(&bytes, &anchors, &trust, &limits), Ok(list));
        }
    }
});
