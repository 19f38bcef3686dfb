//! COSE_Sign1 reading under every profile and every accessor of a read message, and the same
//! bytes as a DCC CWT. The profiles nest: what the native or the tagged foreign profile reads,
//! the foreign profile reads alike; the verifier's one-pass DCC reading agrees with the CWT
//! reader that the schema check uses. (The differential tests against coset and serde are unit
//! tests: `healthpass::cose` and `healthpass_interop::dcc`.)
#![no_main]

use healthpass::Limits;
use healthpass::cose::{CoseMessage, Profile};
use healthpass_interop::dcc::{DccCwt, UnverifiedDcc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::DEFAULT;
    let foreign = CoseMessage::decode(data, Profile::Foreign, &limits);
    for profile in [Profile::Native, Profile::ForeignTagged] {
        if let Ok(message) = CoseMessage::decode(data, profile, &limits) {
            let _ = message.protected_alg();
            let _ = message.unprotected_alg();
            let _ = message.signed_bytes();
            assert_eq!(foreign.as_ref().ok(), Some(&message), "{profile:?} reads what Foreign does not");
        }
    }
    if let Ok(cwt) = DccCwt::decode(data, &limits) {
        let _ = cwt.hcert_json();
        let _ = cwt.usage();
        let _ = cwt.payload();
    }
    if let Ok(code) = UnverifiedDcc::from_cose(data, &limits) {
        if let Ok((cwt, payload)) = code.payload_unverified(&limits) {
            let again = code.cwt_unverified(&limits).expect("the CWT reader refuses what the verifier read");
            assert_eq!(again, cwt);
            assert_eq!(cwt.payload().ok().as_ref(), payload.entry().ok().map(|_| &payload));
        }
    }
});
