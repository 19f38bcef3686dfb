//! Properties over generated input (proptest): any text through the verifier gives `Ok` or an
//! `Err`, never a panic, and never someone else's claims; decode(encode(x)) == x for claims,
//! base45 and zlib.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use healthpass::claims::{
    DeclarationCategory, DocumentKind, OfficerDecision, Relation, TemperatureCheck, TestKind, TestOutcome, TestResult,
    TravelRecord, Vaccination,
};
use healthpass::transport::{decode_base45, deflate, encode_base45, inflate_bounded};
use healthpass::{
    Claims, Colour, CredentialId, CredentialKind, Evidence, Holder, Issuer, KeySet, Limits, Reason, SigningKey,
    Subject, SubjectId, Verifier,
};
use proptest::prelude::*;
use proptest::sample::select;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn verifier() -> Verifier {
    Verifier::new([SigningKey::demo().public_key()].into_iter().collect::<KeySet>())
}

// ---------------------------------------------------------------------------------------------
// Generators: claims with whole-second times, every variant and optional part.

/// Whole seconds in the years 0001 to 9999 (FORMAT.md §5), leaving room for a validity window
/// of up to 2·10⁹ seconds after them.
fn seconds() -> impl Strategy<Value = i64> {
    -62_135_596_800i64..(253_402_300_799 - 2_000_000_000)
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    seconds().prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    // Days in the years 0001 to 9999, leaving room for a stay of up to 10,000 days after them.
    (-719_162i64..(2_932_896 - 10_000)).prop_map(|d| DateTime::UNIX_EPOCH.date_naive() + TimeDelta::days(d))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,24}", "[A-Z]{2}-[A-Z]{2}", "\\PC{0,8}"]
}

fn id() -> impl Strategy<Value = [u8; 16]> {
    any::<[u8; 16]>()
}

fn kind() -> impl Strategy<Value = CredentialKind> {
    prop_oneof![
        Just(CredentialKind::Personal),
        (text(), text()).prop_map(|(school, class)| CredentialKind::Student { school, class }),
        select(DeclarationCategory::ALL).prop_map(|category| CredentialKind::CrossBorder { category }),
        (text(), proptest::option::of(text()), proptest::option::of(text()))
            .prop_map(|(venue_id, name, region)| CredentialKind::Venue { venue_id, name, region }),
    ]
}

fn evidence() -> impl Strategy<Value = Evidence> {
    let test = (select(TestKind::ALL), select(TestOutcome::ALL), time(), proptest::option::of(text()))
        .prop_map(|(kind, result, sampled_at, facility)| TestResult { kind, result, sampled_at, facility });
    let vaccination = (text(), 1u8..=5, 0u8..=3, date()).prop_map(|(product, dose, extra, date)| Vaccination {
        product,
        dose,
        doses: dose.saturating_add(extra),
        date,
    });
    let temperature = (any::<u16>(), time(), proptest::option::of(text()))
        .prop_map(|(decicelsius, at, place)| TemperatureCheck { decicelsius, at, place });
    let travel = (text(), date(), proptest::option::of(0i64..10_000)).prop_map(|(region, from, days)| TravelRecord {
        region,
        from,
        until: days.and_then(|d| from.checked_add_signed(TimeDelta::days(d))),
    });
    let decision = (text(), time(), text()).prop_map(|(officer, at, basis)| OfficerDecision { officer, at, basis });
    (
        proptest::collection::vec(test, 0..3),
        proptest::collection::vec(vaccination, 0..3),
        proptest::collection::vec(temperature, 0..3),
        proptest::collection::vec(travel, 0..3),
        proptest::option::of(text()),
        proptest::collection::vec(decision, 0..3),
    )
        .prop_map(|(tests, vaccinations, temperatures, travel, residency, decisions)| Evidence {
            tests,
            vaccinations,
            temperatures,
            travel,
            residency,
            decisions,
            converted_from: None,
        })
}

prop_compose! {
    fn claims()(
        issuer in "[A-Z]{2}(-[A-Z]{2})?",
        credential_id in id(),
        iat in seconds(),
        nbf_offset in prop_oneof![Just(0i64), -100_000i64..1_000_000_000],
        window in 1i64..1_000_000_000,
        colour in select(Colour::ALL),
        reasons in proptest::sample::subsequence(Reason::ALL.to_vec(), 1..4),
        kind in kind(),
        subject_id in id(),
        name in proptest::option::of(text()),
        birth_date in proptest::option::of(date()),
        document in proptest::option::of(select(DocumentKind::ALL)),
        holder in proptest::option::of((select(Relation::ALL), proptest::option::of(text()), proptest::option::of(id()))),
        evidence in evidence(),
    ) -> Claims {
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        Claims {
            issuer,
            credential_id: CredentialId(credential_id),
            issued_at: at(iat),
            not_before: at(iat + nbf_offset),
            // After both iat and nbf, so that the code is valid at the later of the two.
            expires_at: at(iat.max(iat + nbf_offset) + window),
            colour,
            reasons,
            kind,
            subject: Subject { id: SubjectId(subject_id), name, birth_date, document },
            holder: holder.map(|(relation, name, id)| Holder { relation, name, id: id.map(SubjectId) }),
            evidence,
        }
    }
}

// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_ok_or_err_never_a_panic(text in ".{0,300}") {
        let _ = verifier().verify(&text, now());
    }

    #[test]
    fn any_base45_text_after_the_prefix_gives_ok_or_err(body in "[0-9A-Z $%*+./:-]{0,600}") {
        let _ = verifier().verify(&format!("HP1:{body}"), now());
    }

    #[test]
    fn claims_survive_cbor(claims in claims()) {
        prop_assert!(claims.validate(Limits::DEFAULT.max_text_string_len).is_ok());
        prop_assert_eq!(Claims::from_cbor(&claims.to_cbor(), &Limits::DEFAULT), Ok(claims));
    }

    #[test]
    fn base45_survives_a_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(decode_base45(&encode_base45(&bytes)), Ok(bytes));
    }

    #[test]
    fn base45_that_decodes_is_canonical(text in "[0-9A-Z $%*+./:-]{0,60}") {
        if let Ok(bytes) = decode_base45(&text) {
            prop_assert_eq!(encode_base45(&bytes), text);
        }
    }

    #[test]
    fn zlib_survives_a_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert_eq!(inflate_bounded(&deflate(&bytes), &Limits::DEFAULT), Ok(bytes));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn issued_claims_verify_and_come_back_the_same(claims in claims()) {
        let text = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
        let at = claims.issued_at.max(claims.not_before);
        // Evidence dated after the code was issued is refused, with its own code.
        if claims.check_evidence_times(at, Verifier::DEFAULT_SKEW).is_err() {
            prop_assert_eq!(verifier().verify(&text, at).unwrap_err().code(), "evidence_in_future");
        } else {
            let verified = verifier().verify(&text, at).unwrap();
            prop_assert_eq!(&*verified, &claims);
        }
    }

    #[test]
    fn a_changed_character_never_yields_other_claims(at in any::<proptest::sample::Index>(), c in "[0-9A-Z $%*+./:-]") {
        let claims = Claims::example(now());
        let code = Issuer::new(SigningKey::demo()).issue(&claims).unwrap();
        let at = 4 + at.index(code.len() - 4);
        let mut changed = code.clone();
        changed.replace_range(at..at + 1, &c);
        // Changed text may still verify (padding bits at the end of a deflate stream carry no
        // data), but only ever to the very claims that were signed.
        if let Ok(verified) = verifier().verify(&changed, now()) {
            prop_assert_eq!(&*verified, &claims);
        }
    }
}
