//! Signed trust lists: decoding arbitrary bytes never panics; a list that decodes as signed by
//! the anchor decodes the same unverified; and any list that decodes, signed again by the
//! anchor, decodes to itself.
#![no_main]

use std::sync::LazyLock;

use healthpass::trust::TrustList;
use healthpass::{Limits, SigningKey};
use libfuzzer_sys::fuzz_target;

/// The anchor of test-vectors/trust, derived once.
static ANCHOR: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_seed(&[0xa1; 32]));

fuzz_target!(|data: &[u8]| {
    let limits = Limits::DEFAULT;
    let anchor = &*ANCHOR;
    let unverified = TrustList::decode_unverified(data, &limits);
    if let Ok(signed) = TrustList::decode_signed(data, &[anchor.public_key()], &limits) {
        assert_eq!(unverified.as_ref(), Ok(&signed));
    }
    if let Ok(list) = unverified {
        if let Ok(bytes) = list.sign(anchor, &limits) {
            assert_eq!(TrustList::decode_signed(&bytes, &[anchor.public_key()], &limits), Ok(list));
        }
    }
});
