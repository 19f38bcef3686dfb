//! The checkpoint's whole decision from the public API: scope, revocation, clock, list updates,
//! policy, and verdicts that list every reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::cose as support;
use healthpass_testkit::trust as trust_support;

use chrono::TimeDelta;
use coset::{Header, HeaderBuilder, iana};
use healthpass::claims::{TestKind, TestOutcome, TestResult};
use healthpass::decide::{Checkpoint, ClockGuard, Policy, ScannerState};
use healthpass::transport::encode_base45;
use healthpass::trust::{KeyFingerprint, RevocationList, TrustedKey};
use healthpass::{Claims, Colour, CredentialKind, Error, KeySet, Limits, Reason, SigningKey, Verifier};
use healthpass_qr::CheckImage;
use trust_support::*;

fn checkpoint(policy: Policy) -> Checkpoint {
    Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(5), policy).unwrap()
}

fn green_only() -> Policy {
    Policy::from_json(r#"{ "accept_colours": ["green"] }"#).unwrap()
}

#[test]
fn an_authentic_in_scope_code_is_accepted_with_a_summary() {
    let mut cp = checkpoint(green_only());
    let mut claims = claims(1);
    claims.subject.name = Some("Chan Tai Man".into());
    let verdict = cp.check(&issue(office(), &claims), t0());
    assert!(verdict.accepted(), "{verdict}");
    assert!(verdict.refusals.is_empty());
    let summary = verdict.summary.unwrap();
    assert_eq!(summary.colour, Colour::Green);
    assert_eq!(summary.name.as_deref(), Some("C** T** M**"));
    assert_eq!(summary.valid_until, claims.expires_at);
}

#[test]
fn a_red_code_from_an_office_key_is_out_of_scope_though_its_signature_is_good() {
    let mut cp = checkpoint(Policy::permissive());
    let mut red = claims(2);
    red.colour = Colour::Red;
    red.reasons = vec![Reason::PositiveTest];
    let verdict = cp.check(&issue(office(), &red), t0());
    assert!(!verdict.accepted());
    assert_eq!(verdict.refusal_codes(), vec!["out_of_scope"]);
    assert_eq!(verdict.colour, Some(Colour::Red), "the signature verified, so the colour is known");
    // The same code from the health authority's key is in scope.
    assert!(cp.check(&issue(authority(), &red), t0()).accepted());
}

#[test]
fn a_school_key_may_sign_student_codes_only() {
    let mut cp = checkpoint(Policy::permissive());
    let mut student = claims(3);
    student.issuer = "CN-GD-SCHOOL-7".into();
    student.kind = CredentialKind::Student { school: "7".into(), class: "3B".into() };
    assert!(cp.check(&issue(school(), &student), t0()).accepted());
    student.kind = CredentialKind::Personal;
    let verdict = cp.check(&issue(school(), &student), t0());
    assert_eq!(verdict.refusal_codes(), vec!["out_of_scope"]);
    assert!(verdict.refusals[0].message.contains("personal"), "{verdict}");
}

#[test]
fn an_issuer_not_bound_to_the_key_is_refused() {
    let mut cp = checkpoint(Policy::permissive());
    let mut claims = claims(4);
    claims.issuer = "HK-DH".into();
    assert_eq!(cp.check(&issue(office(), &claims), t0()).refusal_codes(), vec!["issuer_mismatch"]);
}

#[test]
fn unknown_keys_and_garbage_are_refused_without_a_colour() {
    let mut cp = checkpoint(Policy::permissive());
    let verdict = cp.check(&issue(healthpass::SigningKey::from_seed(&[8; 32]), &claims(5)), t0());
    assert_eq!(verdict.refusal_codes(), vec!["unknown_kid"]);
    assert_eq!(verdict.colour, None);
    assert_eq!(cp.check("HP1:NOT BASE45!", t0()).refusal_codes(), vec!["base45"]);
    assert_eq!(cp.check("HC1:xyz", t0()).refusal_codes(), vec!["prefix"]);
}

#[test]
fn a_revoked_code_is_refused_and_others_are_not() {
    let mut cp = checkpoint(Policy::permissive());
    let revoked = claims(6);
    let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.revoke_credentials([&revoked.credential_id]);
    cp.add_revocation_list(&list.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap();
    let verdict = cp.check(&issue(office(), &revoked), t0());
    assert_eq!(verdict.refusal_codes(), vec!["revoked"]);
    assert!(cp.check(&issue(office(), &claims(7)), t0()).accepted());
}

#[test]
fn a_revoked_key_refuses_codes_issued_from_the_given_time_only() {
    let mut cp = checkpoint(Policy::permissive());
    let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.revoke_key(office().kid(), t0() - TimeDelta::hours(2));
    cp.add_revocation_list(&list.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap();
    assert_eq!(cp.check(&issue(office(), &claims(8)), t0()).refusal_codes(), vec!["revoked"]);
    let mut before = claims(9);
    before.issued_at = t0() - TimeDelta::hours(3);
    before.not_before = before.issued_at;
    assert!(cp.check(&issue(office(), &before), t0()).accepted());
}

#[test]
fn issuers_may_revoke_only_their_own_codes_and_only_when_authorised() {
    let mut cp = checkpoint(Policy::permissive());
    let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.revoke_credentials([&claims(10).credential_id]);
    // The school may revoke, but only for itself.
    let err = cp.add_revocation_list(&list.sign(&school(), &Limits::DEFAULT).unwrap()).unwrap_err();
    assert_eq!(err.code(), "out_of_scope");
    list.issuer = Some("CN-GD-SCHOOL-7".into());
    cp.add_revocation_list(&list.sign(&school(), &Limits::DEFAULT).unwrap()).unwrap();
    // The school's list does not touch the office's codes.
    assert!(cp.check(&issue(office(), &claims(10)), t0()).accepted());
    // The office's key is not authorised to revoke at all.
    list.issuer = Some("CN-GD".into());
    let err = cp.add_revocation_list(&list.sign(&office(), &Limits::DEFAULT).unwrap()).unwrap_err();
    assert_eq!(err, Error::UnknownAnchor(office().kid().to_string()));
}

#[test]
fn a_rolled_back_clock_is_refused() {
    let mut cp = checkpoint(Policy::permissive());
    let code = issue(office(), &claims(11));
    // The trust list was signed an hour before t0: a clock a day behind that is wound back.
    let verdict = cp.check(&code, t0() - TimeDelta::days(1));
    assert!(verdict.refusal_codes().contains(&"clock_rollback"), "{verdict}");
    // An accepted code moves the guard to its issue time.
    assert!(cp.check(&code, t0() + TimeDelta::hours(2)).accepted());
    assert_eq!(cp.clock().newest(), Some(t0()));
    let verdict = cp.check(&code, t0() - TimeDelta::minutes(30));
    assert_eq!(verdict.refusal_codes(), vec!["clock_rollback", "issued_in_future", "not_yet_valid"]);
    // A guard restored from storage is honoured too.
    let mut restored = checkpoint(Policy::permissive())
        .with_clock(ClockGuard::new(TimeDelta::minutes(5)).with_newest(t0() + TimeDelta::days(3)));
    assert_eq!(restored.check(&code, t0()).refusal_codes(), vec!["clock_rollback"]);
}

#[test]
fn an_old_trust_list_is_refused_and_the_held_one_kept() {
    let mut cp = checkpoint(Policy::permissive());
    let err = cp.update_trust_list(&signed_trust_list(4)).unwrap_err();
    assert_eq!(err, Error::ListRollback { what: "trust list", held: 5, got: 4 });
    assert_eq!(cp.trust_list().sequence, 5);
    cp.update_trust_list(&signed_trust_list(5)).unwrap(); // the same list again is harmless
    let mut changed = trust_list(5);
    changed.entries.pop();
    let err = cp.update_trust_list(&changed.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap_err();
    assert_eq!(err.code(), "list");
    cp.update_trust_list(&signed_trust_list(6)).unwrap();
    assert_eq!(cp.trust_list().sequence, 6);
}

#[test]
fn an_old_revocation_list_is_refused() {
    let mut cp = checkpoint(Policy::permissive());
    let sign = |seq| {
        let mut list = RevocationList::new(seq, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
        list.revoke_credentials([&claims(12).credential_id]);
        list.sign(&anchor(), &Limits::DEFAULT).unwrap()
    };
    cp.add_revocation_list(&sign(3)).unwrap();
    assert_eq!(cp.add_revocation_list(&sign(2)).unwrap_err().code(), "list_rollback");
    assert_eq!(cp.revocation_lists()[0].sequence, 3);
}

#[test]
fn a_stale_trust_list_refuses_unless_the_policy_grants_grace() {
    let code = issue(office(), &claims(13));
    let late = t0() + TimeDelta::days(8);
    let mut long = claims(13);
    long.expires_at = t0() + TimeDelta::days(30);
    let long_code = issue(office(), &long);
    let mut strict = checkpoint(Policy::permissive());
    assert_eq!(strict.check(&long_code, late).refusal_codes(), vec!["stale_list"]);
    let mut lenient = Policy::permissive();
    lenient.stale_list_grace_hours = 48;
    let mut cp = checkpoint(lenient);
    let verdict = cp.check(&long_code, late);
    assert!(verdict.accepted(), "{verdict}");
    assert_eq!(verdict.warnings[0].code, "list_past_next_update");
    assert_eq!(cp.check(&code, late).refusal_codes(), vec!["expired"]);
}

#[test]
fn a_refusal_lists_every_failed_rule() {
    let policy = Policy::from_json(
        r#"{ "accept_colours": ["green"], "accept_regions": ["HK", "MO"], "accept_kinds": ["cross_border"],
             "negative_test_max_age_hours": 48, "test_kinds": ["nucleic_acid"], "max_code_age_hours": 12,
             "min_vaccination_doses": 2, "max_temperature_decicelsius": 373 }"#,
    )
    .unwrap();
    let mut cp = checkpoint(policy);
    let mut orange = claims(14);
    orange.colour = Colour::Orange;
    orange.reasons = vec![Reason::CloseContact];
    orange.expires_at = t0() + TimeDelta::days(10);
    orange.evidence.tests = vec![TestResult {
        kind: TestKind::NucleicAcid,
        result: TestOutcome::Negative,
        sampled_at: t0() - TimeDelta::days(3),
        facility: None,
    }];
    let verdict = cp.check(&issue(office(), &orange), t0() + TimeDelta::days(1));
    assert!(!verdict.accepted());
    assert_eq!(
        verdict.refusal_codes(),
        vec![
            "colour_not_accepted",
            "kind_not_accepted",
            "issuer_not_accepted",
            "test_too_old",
            "code_too_old",
            "too_few_doses",
            "no_temperature"
        ]
    );
    assert!(verdict.refusals.iter().all(|f| !f.message.is_empty()));
    assert_eq!(verdict.colour, Some(Colour::Orange));
    let line = verdict.to_string();
    assert!(line.starts_with("REFUSED ORANGE personal code from CN-GD"), "{line}");
}

#[test]
fn the_macau_and_hospital_test_rules() {
    let macau = Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#).unwrap();
    let hospital = Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 48 }"#).unwrap();
    let mut five_days = claims(15);
    five_days.evidence.tests[0].sampled_at = t0() - TimeDelta::days(5);
    let code = issue(office(), &five_days);
    assert!(checkpoint(macau).check(&code, t0()).accepted());
    assert_eq!(checkpoint(hospital.clone()).check(&code, t0()).refusal_codes(), vec!["test_too_old"]);
    let mut positive = claims(16);
    positive.evidence.tests[0].result = TestOutcome::Positive;
    assert_eq!(
        checkpoint(hospital).check(&issue(office(), &positive), t0()).refusal_codes(),
        vec!["test_not_negative"]
    );
}

#[test]
fn rotation_with_overlapping_keys_and_several_entries_per_kid() {
    let mut list = trust_list(7);
    // The office's key is listed twice: an old entry (expired before t0) and the current one.
    let mut old = list.entries[0].clone();
    old.valid_from = t0() - TimeDelta::days(400);
    old.valid_until = t0() - TimeDelta::days(31);
    list.entries.insert(0, old);
    let mut cp =
        Checkpoint::new(vec![anchor().public_key()], &list.sign(&anchor(), &Limits::DEFAULT).unwrap(), green_only())
            .unwrap();
    assert!(cp.check(&issue(office(), &claims(17)), t0()).accepted());
    // A code issued in the gap between the two entries fits neither.
    let mut gap = claims(18);
    gap.issued_at = t0() - TimeDelta::days(30) - TimeDelta::hours(1);
    gap.not_before = gap.issued_at;
    gap.expires_at = t0() + TimeDelta::days(1);
    gap.evidence.tests[0].sampled_at = gap.issued_at - TimeDelta::hours(1); // no evidence after issue
    assert_eq!(cp.check(&issue(office(), &gap), t0()).refusal_codes(), vec!["key_not_valid"]);
    // Withdrawing a key is removing its entries from the next list.
    list.sequence = 8;
    list.entries.retain(|e| e.kid != office().kid());
    cp.update_trust_list(&list.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap();
    assert_eq!(cp.check(&issue(office(), &claims(17)), t0()).refusal_codes(), vec!["unknown_kid"]);
}

#[test]
fn images_are_checked_code_by_code() {
    let mut cp = checkpoint(green_only());
    let png = healthpass_qr::Qr::encode(&issue(office(), &claims(19))).unwrap().to_png(4).unwrap();
    let verdicts = cp.check_image(&png, t0());
    assert_eq!(verdicts.len(), 1);
    assert!(verdicts[0].accepted(), "{}", verdicts[0]);
    assert_eq!(cp.check_image(b"not an image", t0())[0].refusal_codes(), vec!["image"]);
}

#[test]
fn claims_verified_elsewhere_get_the_same_decision() {
    // Stands in for an interop verifier: it checks signatures only, then hands over Verified<Claims>.
    let mut keys = trust_list(5).to_key_set(t0());
    let stranger = healthpass::SigningKey::from_seed(&[8; 32]);
    keys.add(stranger.public_key());
    let plain = healthpass::Verifier::new(keys);
    let mut cp = checkpoint(green_only());

    let green = plain.verify(&issue(office(), &claims(20)), t0()).unwrap();
    assert!(cp.check_verified(&green, t0()).accepted());

    let mut red = claims(21);
    red.colour = Colour::Red;
    red.reasons = vec![Reason::PositiveTest];
    let red = plain.verify(&issue(office(), &red), t0()).unwrap();
    assert_eq!(cp.check_verified(&red, t0()).refusal_codes(), vec!["out_of_scope", "colour_not_accepted"]);

    let unlisted = plain.verify(&issue(stranger, &claims(22)), t0()).unwrap();
    assert_eq!(cp.check_verified(&unlisted, t0()).refusal_codes(), vec!["unknown_kid"]);

    let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.revoke_credentials([&claims(20).credential_id]);
    cp.add_revocation_list(&list.sign(&anchor(), &Limits::DEFAULT).unwrap()).unwrap();
    assert_eq!(cp.check_verified(&green, t0()).refusal_codes(), vec!["revoked"]);
    assert_eq!(cp.check_verified(&green, t0() - TimeDelta::days(2)).refusal_codes()[0], "clock_rollback");
}

#[test]
fn the_trust_list_fixes_each_keys_algorithm() {
    let mut list = trust_list(5);
    list.entries.retain(|e| e.kid != office().kid());
    let mut p256 = trust_support::entry(&office(), "CN-GD", Default::default());
    p256.algorithm = healthpass::trust::KeyAlgorithm::Es256;
    p256.public_key = vec![0x30, 0x03, 0x02, 0x01, 0x00];
    list.entries.push(p256);
    let mut cp =
        Checkpoint::new(vec![anchor().public_key()], &list.sign(&anchor(), &Limits::DEFAULT).unwrap(), green_only())
            .unwrap();
    let verdict = cp.check(&issue(office(), &claims(23)), t0());
    assert_eq!(verdict.refusal_codes(), vec!["unsupported_alg"]);
    assert_eq!(verdict.colour, None);
}

// ---------------------------------------------------------------------------------------------
// Trust state that cannot be tricked (issue 13, items 1, 2, 3 and 8; issue 20, items 1 and 5)

const SCHOOL: &str = "CN-GD-SCHOOL-7";

/// A second revocation-capable key of the school.
fn school2() -> SigningKey {
    SigningKey::from_seed(&[5; 32])
}

fn student(id: u8) -> Claims {
    let mut student = claims(id);
    student.issuer = SCHOOL.into();
    student.kind = CredentialKind::Student { school: "7".into(), class: "3B".into() };
    student
}

/// A revocation list signed half an hour before t0, due in a day, revoking `revoked`.
fn revocations(sequence: u64, issuer: Option<&str>, revoked: &[&Claims], key: &SigningKey) -> Vec<u8> {
    let mut list = RevocationList::new(sequence, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.issuer = issuer.map(Into::into);
    list.revoke_credentials(revoked.iter().map(|c| &c.credential_id));
    list.sign(key, &Limits::DEFAULT).unwrap()
}

fn checkpoint_with_two_school_keys() -> Checkpoint {
    let mut list = trust_list(5);
    let scope = list.entries[2].scope.clone();
    list.entries.push(entry(&school2(), SCHOOL, scope));
    Checkpoint::new(vec![anchor().public_key()], &list.sign(&anchor(), &Limits::DEFAULT).unwrap(), Policy::permissive())
        .unwrap()
}

#[test]
fn revocation_lists_are_held_per_signer_so_an_issuers_empty_list_cannot_unrevoke() {
    let revoked = student(30);
    let code = issue(school(), &revoked);
    let anchors_list = revocations(1, Some(SCHOOL), &[&revoked], &anchor());
    let schools_empty = revocations(7, Some(SCHOOL), &[], &school());
    for order in [[&anchors_list, &schools_empty], [&schools_empty, &anchors_list]] {
        let mut cp = checkpoint(Policy::permissive());
        for list in order {
            cp.add_revocation_list_at(list, t0()).unwrap();
        }
        assert_eq!(cp.revocation_lists().len(), 2);
        assert_eq!(cp.check(&code, t0()).refusal_codes(), vec!["revoked"]);
    }
}

#[test]
fn revocation_lists_of_two_keys_of_one_issuer_neither_block_nor_replace_each_other() {
    let revoked = student(31);
    let code = issue(school(), &revoked);
    let first = revocations(5, Some(SCHOOL), &[&revoked], &school());
    let second_low = revocations(1, Some(SCHOOL), &[], &school2());
    let second_high = revocations(6, Some(SCHOOL), &[], &school2());
    for order in [[&first, &second_low, &second_high], [&second_high, &second_low, &first]] {
        let mut cp = checkpoint_with_two_school_keys();
        let results: Vec<_> = order.iter().map(|list| cp.add_revocation_list_at(list, t0())).collect();
        // Only the second key's own older list is a rollback, whatever the order.
        let rollbacks = results.iter().filter(|r| r.as_ref().is_err_and(|e| e.code() == "list_rollback")).count();
        assert_eq!(rollbacks, usize::from(order[0] == &second_high), "{results:?}");
        assert_eq!(cp.check(&code, t0()).refusal_codes(), vec!["revoked"]);
    }
}

#[test]
fn an_issuers_list_cannot_revoke_another_issuers_key_or_codes() {
    let mut cp = checkpoint(Policy::permissive());
    let office_code = claims(32);
    let mut list = RevocationList::new(1, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.issuer = Some(SCHOOL.into());
    list.revoke_credentials([&office_code.credential_id]);
    list.revoke_key(office().kid(), t0() - TimeDelta::days(1));
    cp.add_revocation_list_at(&list.sign(&school(), &Limits::DEFAULT).unwrap(), t0()).unwrap();
    assert!(cp.check(&issue(office(), &office_code), t0()).accepted());
    // From the public API: a kid revocation in a list naming an issuer reaches keys bound to
    // that issuer only.
    let mut claimed = claims(33);
    claimed.issuer = SCHOOL.into();
    assert!(list.check_signed_by(&claimed, &office().kid(), "CN-GD").is_empty());
    assert_eq!(list.check_signed_by(&claimed, &office().kid(), SCHOOL)[0].code(), "revoked");
}

#[test]
fn a_list_signed_in_the_future_is_refused_and_never_moves_the_clock_guard() {
    let mut cp = checkpoint(Policy::permissive());
    let far = t0() + TimeDelta::days(365 * 70);
    let future_revocations = RevocationList::new(9, far, far + TimeDelta::days(1)).sign(&anchor(), &Limits::DEFAULT);
    let future_revocations = future_revocations.unwrap();
    let err = cp.add_revocation_list_at(&future_revocations, t0()).unwrap_err();
    assert_eq!(err.code(), "signed_in_future");
    assert!(cp.revocation_lists().is_empty());
    let mut future_trust = trust_list(6);
    future_trust.issued_at = far;
    future_trust.next_update = far + TimeDelta::days(7);
    let future_trust = future_trust.sign(&anchor(), &Limits::DEFAULT).unwrap();
    assert_eq!(cp.update_trust_list_at(&future_trust, t0()).unwrap_err().code(), "signed_in_future");
    assert_eq!(cp.trust_list().sequence, 5);
    let err = Checkpoint::new_at(vec![anchor().public_key()], &future_trust, Policy::permissive(), t0()).unwrap_err();
    assert_eq!(err.code(), "signed_in_future");
    // A good code is still accepted, and only its own issue time moved the guard.
    assert!(cp.check(&issue(office(), &claims(34)), t0()).accepted());
    assert_eq!(cp.clock().newest(), Some(t0()));
    assert_eq!(cp.state().newest_signed_time, Some(t0()));
    // A code issued in the future is refused and does not move the guard either.
    let mut future = Claims::example(far);
    future.credential_id = claims(35).credential_id;
    assert!(cp.check(&issue(office(), &future), t0()).refusal_codes().contains(&"issued_in_future"));
    assert_eq!(cp.clock().newest(), Some(t0()));
    // Loaded without a time, the future-dated revocation list is held, but it neither moves
    // the guard nor refuses codes.
    cp.add_revocation_list(&future_revocations).unwrap();
    assert!(cp.check(&issue(office(), &claims(36)), t0() + TimeDelta::minutes(1)).accepted());
    assert_eq!(cp.clock().newest(), Some(t0()));
}

#[test]
fn a_list_signed_exactly_at_now_plus_skew_is_accepted_and_one_second_later_refused() {
    let skew = ClockGuard::new(TimeDelta::minutes(5)).skew();
    for (offset, refused) in [(skew, false), (skew + TimeDelta::seconds(1), true)] {
        let mut cp = checkpoint(Policy::permissive());
        let issued = t0() + offset;
        let list = RevocationList::new(1, issued, issued + TimeDelta::days(1)).sign(&anchor(), &Limits::DEFAULT);
        let result = cp.add_revocation_list_at(&list.unwrap(), t0());
        assert_eq!(result.is_err_and(|e| e.code() == "signed_in_future"), refused, "{offset}");
    }
}

#[test]
fn a_restored_scanner_state_refuses_lists_older_than_those_seen() {
    let mut cp = checkpoint(Policy::permissive());
    cp.update_trust_list_at(&signed_trust_list(6), t0()).unwrap();
    cp.add_revocation_list_at(&revocations(2, None, &[], &anchor()), t0()).unwrap();
    let state = ScannerState::from_json(&cp.state().to_json().unwrap()).unwrap();
    assert_eq!(state, cp.state());
    assert_eq!(state.trust_list_sequence, Some(6));
    assert_eq!(state.revocation_sequence(&KeyFingerprint::of_ed25519(&anchor().public_key()), None), Some(2));
    assert_eq!(state.newest_signed_time, Some(t0() - TimeDelta::minutes(30)));

    // The next run: the older trust list is refused, so is the anchor's older revocation list.
    let mut older = checkpoint(Policy::permissive());
    assert_eq!(older.restore_state(&state).unwrap_err().code(), "list_rollback");
    let mut next = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(6), Policy::permissive()).unwrap();
    next.restore_state(&state).unwrap();
    assert_eq!(next.clock().newest(), state.newest_signed_time);
    let err = next.add_revocation_list_at(&revocations(1, None, &[], &anchor()), t0()).unwrap_err();
    assert_eq!(err.code(), "list_rollback");
    assert_eq!(next.update_trust_list(&signed_trust_list(5)).unwrap_err().code(), "list_rollback");
    next.add_revocation_list_at(&revocations(2, None, &[], &anchor()), t0()).unwrap();
    // Another signer's sequence is its own.
    next.add_revocation_list_at(&revocations(1, Some(SCHOOL), &[], &school()), t0()).unwrap();
}

#[test]
fn a_malformed_scanner_state_is_an_error_not_a_reset() {
    for text in [&b"yesterday"[..], b"{\"version\": 1, \"surprise\": 0}", b"{\"version\": 2}", b"\xff"] {
        assert_eq!(ScannerState::from_json(text).unwrap_err().code(), "scanner_state", "{text:?}");
    }
    let huge = vec![b' '; ScannerState::MAX_BYTES + 1];
    assert_eq!(ScannerState::from_json(&huge).unwrap_err().code(), "too_large");
    let legacy = ScannerState::from_json(b"2026-11-23T08:30:00+00:00\n").unwrap();
    assert_eq!(legacy.newest_signed_time, Some(t0() - TimeDelta::minutes(30)));
}

#[test]
fn a_verified_code_from_another_key_under_a_listed_kid_is_refused() {
    let stranger = SigningKey::from_seed(&[8; 32]);
    let mut keys = KeySet::new();
    keys.insert_under(office().kid(), TrustedKey { key: stranger.public_key(), issuer: None });
    let header = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(office().kid().into_bytes()).build();
    let body = support::sign1(header, Header::default(), claims(37).to_cbor(), &stranger);
    let text = format!("HP1:{}", encode_base45(&body));
    let verified = Verifier::new(keys).verify(&text, t0()).unwrap();
    assert_eq!(verified.kid(), &office().kid());
    assert_eq!(*verified.key_fingerprint(), KeyFingerprint::of_ed25519(&stranger.public_key()));
    let mut cp = checkpoint(Policy::permissive());
    assert_eq!(cp.check_verified(&verified, t0()).refusal_codes(), vec!["untrusted_key"]);
    assert_eq!(cp.check(&text, t0()).refusal_codes(), vec!["bad_signature"]);
    // The office's own key under the same kid is trusted.
    let genuine = Verifier::new(trust_list(5).to_key_set(t0())).verify(&issue(office(), &claims(38)), t0()).unwrap();
    assert!(cp.check_verified(&genuine, t0()).accepted());
}

#[test]
fn a_stale_revocation_list_is_refused_unless_within_the_policys_grace() {
    let due = t0() + TimeDelta::hours(1);
    let list = RevocationList::new(1, t0() - TimeDelta::minutes(30), due).sign(&anchor(), &Limits::DEFAULT).unwrap();
    let code = issue(office(), &claims(39));
    let second = TimeDelta::seconds(1);
    let mut strict = checkpoint(Policy::permissive());
    strict.add_revocation_list_at(&list, t0()).unwrap();
    let verdict = strict.check(&code, due);
    assert!(verdict.accepted() && verdict.warnings.is_empty(), "{verdict}");
    assert_eq!(strict.check(&code, due + second).refusal_codes(), vec!["stale_list"]);

    let mut lenient =
        checkpoint(Policy::from_json(r#"{ "accept_colours": ["green"], "stale_list_grace_hours": 1 }"#).unwrap());
    lenient.add_revocation_list_at(&list, t0()).unwrap();
    let grace_end = due + TimeDelta::hours(1);
    let verdict = lenient.check(&code, grace_end);
    assert!(verdict.accepted(), "{verdict}");
    assert_eq!(verdict.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), vec!["list_past_next_update"]);
    assert_eq!(lenient.check(&code, grace_end + second).refusal_codes(), vec!["stale_list"]);
}

#[test]
fn key_validity_is_a_closed_interval_at_its_end() {
    let mut list = trust_list(5);
    list.entries[0].valid_until = t0(); // the office key
    let mut cp =
        Checkpoint::new(vec![anchor().public_key()], &list.sign(&anchor(), &Limits::DEFAULT).unwrap(), green_only())
            .unwrap();
    assert!(cp.check(&issue(office(), &claims(40)), t0()).accepted());
    let later = t0() + TimeDelta::seconds(1);
    let mut after = Claims::example(later);
    after.credential_id = claims(41).credential_id;
    assert_eq!(cp.check(&issue(office(), &after), later).refusal_codes(), vec!["key_not_valid"]);
}

fn dcc_vector(file: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc").join(file);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn dcc_certificate_key(file: &str) -> healthpass_interop::ForeignKey {
    let certificate = dcc_vector(file)["TESTCTX"]["CERTIFICATE"].as_str().unwrap().to_owned();
    let der = data_encoding::BASE64.decode(certificate.as_bytes()).unwrap();
    healthpass_interop::ForeignKey::from_x509_der(&der).unwrap()
}

/// A published EU DCC (SE 2) and the key of its signer certificate.
fn swedish_dcc() -> (healthpass_interop::ForeignCode, healthpass_interop::ForeignKey, chrono::DateTime<chrono::Utc>) {
    let json = dcc_vector("SE/2DCode/raw/2.json");
    let clock = chrono::DateTime::parse_from_rfc3339(json["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
    let clock = clock.with_timezone(&chrono::Utc);
    let key = dcc_certificate_key("SE/2DCode/raw/2.json");
    let keys: healthpass_interop::ForeignKeys = [key.clone()].into_iter().collect();
    let code = healthpass_interop::dcc::DccVerifier::new(keys).verify(json["PREFIX"].as_str().unwrap(), clock);
    (code.unwrap(), key, clock)
}

#[test]
fn a_foreign_code_is_trusted_only_under_the_trust_list_key_that_verified_it() {
    let (code, key, clock) = swedish_dcc();
    assert_eq!(*code.claims.key_fingerprint(), KeyFingerprint::of(key.spki_der()));
    let algorithm = match key.alg() {
        healthpass_interop::ForeignAlg::Es256 => healthpass::trust::KeyAlgorithm::Es256,
        healthpass_interop::ForeignAlg::Ps256 => healthpass::trust::KeyAlgorithm::Ps256,
    };
    let entry = healthpass::trust::TrustEntry {
        kid: key.kid().clone(),
        algorithm,
        public_key: key.spki_der().to_vec(),
        issuer: code.claims.issuer.clone(),
        region: "SE".into(),
        valid_from: clock - TimeDelta::days(365),
        valid_until: clock + TimeDelta::days(365),
        scope: Default::default(),
    };
    let decide = |entry: healthpass::trust::TrustEntry| {
        let mut list = healthpass::trust::TrustList::new(1, clock - TimeDelta::hours(1), clock + TimeDelta::days(7));
        list.entries.push(entry);
        let signed = list.sign(&anchor(), &Limits::DEFAULT).unwrap();
        let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed, Policy::permissive()).unwrap();
        cp.check_verified(&code.claims, clock).refusal_codes()
    };
    assert_eq!(decide(entry.clone()), Vec::<&str>::new());
    // Another signer's key listed under the same kid: the DCC was not verified by it.
    let other = dcc_certificate_key("FR/2DCode/raw/DCC_Test_0001.json");
    assert_ne!(other.spki_der(), key.spki_der());
    let impostor = healthpass::trust::TrustEntry { public_key: other.spki_der().to_vec(), ..entry };
    assert_eq!(decide(impostor), vec!["untrusted_key"]);
}
