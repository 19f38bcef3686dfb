//! A checkpoint policy written for native codes decides DCC codes by the same rules.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::claims::{TestOutcome, TestResult};
use healthpass::{Claims, Colour, Issuer, KeySet, Reason, SigningKey, Verified, Verifier};
use healthpass_interop::dcc::DccVerifier;
use healthpass_interop::{ForeignKey, ForeignKeys};
use proptest::prelude::*;

/// A checkpoint rule written for native codes only: green, because of a negative test sampled
/// within 72 hours.
fn checkpoint(claims: &Verified<Claims>, now: DateTime<Utc>) -> bool {
    claims.colour == Colour::Green
        && claims.reasons.contains(&Reason::NegativeTest)
        && claims
            .evidence
            .tests
            .iter()
            .any(|t: &TestResult| t.result == TestOutcome::Negative && now - t.sampled_at <= TimeDelta::hours(72))
}

struct DccFile {
    text: String,
    clock: DateTime<Utc>,
    verifier: DccVerifier,
}

fn dcc(file: &str) -> DccFile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc").join(file);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let der = data_encoding::BASE64.decode(json["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes()).unwrap();
    let clock = DateTime::parse_from_rfc3339(json["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    DccFile {
        text: json["PREFIX"].as_str().unwrap().to_owned(),
        clock: clock.with_timezone(&Utc),
        verifier: DccVerifier::new([ForeignKey::from_x509_der(&der).unwrap()].into_iter().collect::<ForeignKeys>()),
    }
}

#[test]
fn a_dcc_negative_test_passes_the_native_rule_and_a_positive_one_does_not() {
    // Native: the example code is green because of a negative test sampled a day earlier.
    let now = DateTime::parse_from_rfc3339("2026-11-23T09:00:00Z").unwrap().with_timezone(&Utc);
    let text = Issuer::new(SigningKey::demo()).issue(&Claims::example(now)).unwrap();
    let native =
        Verifier::new([SigningKey::demo().public_key()].into_iter().collect::<KeySet>()).verify(&text, now).unwrap();
    assert!(checkpoint(&native, now));

    // SE 2: a negative PCR test sampled about a day before the file's clock.
    let negative = dcc("SE/2DCode/raw/2.json");
    let code = negative.verifier.verify(&negative.text, negative.clock).unwrap();
    assert_eq!(code.claims.colour, Colour::Green);
    assert_eq!(code.claims.reasons, vec![Reason::NegativeTest]);
    assert_eq!(code.claims.issuer, "SE");
    assert!(code.claims.subject.name.is_some());
    assert!(checkpoint(&code.claims, negative.clock));
    // Four days later the native rule refuses it for the reason it would refuse a native code:
    // the test is too old.
    assert!(!checkpoint(&code.claims, negative.clock + TimeDelta::days(4)));

    // FR 0001: a valid negative antigen test, but sampled two months before the file's clock.
    let old = dcc("FR/2DCode/raw/DCC_Test_0001.json");
    let code = old.verifier.verify(&old.text, old.clock).unwrap();
    assert_eq!(code.claims.reasons, vec![Reason::NegativeTest]);
    assert!(!checkpoint(&code.claims, old.clock));

    let positive = dcc("FR/2DCode/raw/DCC_Test_0003.json");
    let code = positive.verifier.verify(&positive.text, positive.clock).unwrap();
    assert_eq!(code.claims.colour, Colour::Red);
    assert_eq!(code.claims.reasons, vec![Reason::PositiveTest]);
    assert_eq!(code.claims.evidence.tests[0].result, TestOutcome::Positive);
    assert!(!checkpoint(&code.claims, positive.clock));
}

#[test]
fn vaccination_and_recovery_map_to_their_reasons() {
    let vaccination = dcc("common/2DCode/raw/DGC6.json");
    let code = vaccination.verifier.verify(&vaccination.text, vaccination.clock).unwrap();
    assert_eq!(code.claims.reasons, vec![Reason::Vaccinated]);
    let shot = &code.claims.evidence.vaccinations[0];
    assert!(shot.dose >= 1 && shot.dose <= shot.doses);
    assert!(code.dcc().unwrap().v.is_some());
    let recovery = dcc("common/2DCode/raw/CO14.json");
    let code = recovery.verifier.verify(&recovery.text, recovery.clock).unwrap();
    assert_eq!(code.claims.reasons, vec![Reason::Recovered]);
    assert_eq!(code.claims.colour, Colour::Green);
}

#[test]
fn a_dcc_outside_its_window_or_signed_by_the_wrong_type_is_refused() {
    let negative = dcc("FR/2DCode/raw/DCC_Test_0001.json");
    let late = negative.clock + TimeDelta::days(3650);
    assert!(matches!(negative.verifier.verify(&negative.text, late), Err(healthpass::Error::Expired(_))));
    // CO6: the certificate may sign tests only, but the DCC is a vaccination.
    let wrong = dcc("common/2DCode/raw/CO6.json");
    assert!(matches!(wrong.verifier.verify(&wrong.text, wrong.clock), Err(healthpass::Error::KeyUsage("vaccination"))));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_refused_or_accepted_without_panicking(tail in "[0-9A-Z $%*+./:-]{0,400}") {
        let negative = dcc("FR/2DCode/raw/DCC_Test_0001.json");
        let _ = negative.verifier.verify(&format!("HC1:{tail}"), negative.clock);
    }

    #[test]
    fn a_changed_character_never_verifies(at in 4usize..400, c in "[0-9A-Z]") {
        let negative = dcc("FR/2DCode/raw/DCC_Test_0001.json");
        let mut text = negative.text.clone();
        let at = at.min(text.len() - 1);
        if text[at..at + 1] != c {
            text.replace_range(at..at + 1, &c);
            // A changed character either breaks decoding or the signature: never a pass with other content.
            if let Ok(code) = negative.verifier.verify(&text, negative.clock) {
                let original = negative.verifier.verify(&negative.text, negative.clock).unwrap();
                prop_assert_eq!(code.claims, original.claims);
            }
        }
    }
}
