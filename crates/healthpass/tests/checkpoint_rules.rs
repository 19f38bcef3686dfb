//! Rules of the checkpoint and the verifier (docs/TRUST.md, docs/LOG.md) that the full mutation
//! run (MUTANTS.md) found pinned by no test of the core: each test is named for the rule and
//! fails with the mutant that survived it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use chrono::TimeDelta;
use healthpass::decide::{Checkpoint, Policy, ScannerState, logged_credential_hash};
use healthpass::trust::{KeyFingerprint, KeySet, RevocationList};
use healthpass::{CredentialId, Limits, Verifier};
use trust_support::*;

#[test]
fn a_verifier_reports_the_limits_it_was_given() {
    let limits = Limits { max_text_len: 777, ..Limits::DEFAULT };
    let verifier = Verifier::new(KeySet::new()).with_limits(limits);
    assert_eq!(verifier.limits(), &limits);
    assert_eq!(Verifier::new(KeySet::new()).limits(), &Limits::DEFAULT);
}

/// docs/LOG.md: the credential id hash is `SHA-256("healthpass-log/v1/credential-id" || 0x00 || id)`.
/// The expected values were computed apart from this crate (Python's hashlib).
#[test]
fn the_logged_credential_hash_is_the_documented_sha256() {
    let cases = [
        ([7u8; 16], "713a9260c484bf34c260be4a940b21701d2c181b6855846134d04bc0fdee88a6"),
        ([0u8; 16], "f341cfd1b4d3b35e9bb2c412b06c2742b599a361e4b2bb55215b460c07bb0b6e"),
    ];
    for (id, expected) in cases {
        let hash = logged_credential_hash(&CredentialId(id));
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected, "{id:?}");
    }
}

#[test]
fn a_checkpoint_made_at_a_time_refuses_a_trust_list_signed_after_it() {
    // The test list is signed at t0 - 1 h: a checkpoint made 2 h before t0 is before it.
    let early = t0() - TimeDelta::hours(2);
    let err = Checkpoint::new_at(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive(), early)
        .unwrap_err();
    assert_eq!(err.code(), "signed_in_future");
}

#[test]
fn a_checkpoint_made_at_a_time_records_the_lists_signed_time_in_its_clock_guard() {
    let signed_at = t0() - TimeDelta::hours(1);
    let made_at =
        Checkpoint::new_at(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive(), t0()).unwrap();
    assert_eq!(made_at.clock().newest(), Some(signed_at));
    // Without a time the list's signed time is not yet known to be past: nothing is recorded.
    let made = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive()).unwrap();
    assert_eq!(made.clock().newest(), None);
}

fn anchor_revocations(sequence: u64) -> Vec<u8> {
    let list = RevocationList::new(sequence, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.sign(&anchor(), &Limits::DEFAULT).unwrap()
}

fn state_floor(revocation_sequence: u64) -> ScannerState {
    let mut state = ScannerState::default();
    state.record_revocation(KeyFingerprint::of_ed25519(&anchor().public_key()), None, revocation_sequence);
    state
}

/// docs/TRUST.md (scanner state): a held revocation list older than the state's record is a
/// rollback; one of the recorded sequence or newer is not.
#[test]
fn restoring_a_state_refuses_a_held_revocation_list_older_than_recorded() {
    for (recorded, refused) in [(1, false), (2, false), (3, true)] {
        let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive()).unwrap();
        cp.add_revocation_list_at(&anchor_revocations(2), t0()).unwrap();
        let result = cp.restore_state(&state_floor(recorded));
        match result {
            Err(err) => {
                assert!(refused, "recorded {recorded}: refused {err}");
                assert_eq!(err.code(), "list_rollback");
            }
            Ok(()) => assert!(!refused, "recorded {recorded}: a held list older than the state was kept"),
        }
    }
}

fn logged_policy() -> Policy {
    Policy::from_json(r#"{ "accept_colours": ["green", "yellow", "orange", "red"], "require_logged": true }"#).unwrap()
}

/// docs/POLICY.md `require_logged` and docs/LOG.md: a checkpoint that requires logged codes
/// refuses every code until a log state is synced, then accepts exactly the codes whose
/// credential-id hash the state holds.
#[test]
fn require_logged_accepts_only_codes_in_the_synced_log_state() {
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), logged_policy()).unwrap();
    let logged = claims(1);
    let unlogged = claims(2);
    assert_eq!(cp.check(&issue(office(), &logged), t0()).refusal_codes(), vec!["not_logged"]);
    assert_eq!(cp.logged_size(), None);

    assert!(cp.set_logged([logged_credential_hash(&logged.credential_id)], 10));
    assert_eq!(cp.logged_size(), Some(10));
    let verdict = cp.check(&issue(office(), &logged), t0());
    assert!(verdict.accepted(), "{verdict}");
    assert_eq!(cp.check(&issue(office(), &unlogged), t0()).refusal_codes(), vec!["not_logged"]);

    // Without the policy rule the log state is not consulted.
    let mut open = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive()).unwrap();
    assert!(open.check(&issue(office(), &unlogged), t0()).accepted());
}

/// A log state smaller than the one held (a rolled-back log, an older sync) is not taken; one
/// of the same size or larger is.
#[test]
fn a_smaller_log_state_is_not_taken() {
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), logged_policy()).unwrap();
    let code = claims(3);
    let hash = logged_credential_hash(&code.credential_id);
    assert!(cp.set_logged([hash], 10));
    assert!(!cp.set_logged([], 9), "a smaller state was taken");
    assert_eq!(cp.logged_size(), Some(10));
    assert!(cp.check(&issue(office(), &code), t0()).accepted(), "the held state was replaced");
    assert!(cp.set_logged([], 10), "a state of the same size is taken");
    assert_eq!(cp.check(&issue(office(), &code), t0()).refusal_codes(), vec!["not_logged"]);
    assert!(cp.set_logged([hash], 11));
    assert_eq!(cp.logged_size(), Some(11));
}

#[test]
fn a_checkpoint_reports_the_limits_it_was_given() {
    let limits = Limits { max_text_len: 777, ..Limits::DEFAULT };
    let cp = Checkpoint::with_limits(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive(), limits)
        .unwrap();
    assert_eq!(cp.limits(), &limits);
}

/// docs/TRUST.md: a code is valid up to and including its expiry plus the skew.
#[test]
fn a_checkpoint_accepts_a_code_up_to_its_expiry_plus_the_skew() {
    let code = claims(4);
    let text = issue(office(), &code);
    let last = code.expires_at + Verifier::DEFAULT_SKEW;
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive()).unwrap();
    let verdict = cp.check(&text, last);
    assert!(verdict.accepted(), "{verdict}");
    let verdict = cp.check(&text, last + TimeDelta::seconds(1));
    assert!(verdict.refusal_codes().contains(&"expired"), "{verdict}");
}

/// docs/TRUST.md: a signed list may be as large as `max_list_bytes`, and no larger.
#[test]
fn the_list_size_bound_is_inclusive() {
    let signed = signed_trust_list(1);
    let anchors = [anchor().public_key()];
    let exact = Limits { max_list_bytes: signed.len(), ..Limits::DEFAULT };
    assert_eq!(healthpass::TrustList::decode_signed(&signed, &anchors, &exact).unwrap().sequence, 1);
    let under = Limits { max_list_bytes: signed.len() - 1, ..Limits::DEFAULT };
    let err = healthpass::TrustList::decode_signed(&signed, &anchors, &under).unwrap_err();
    assert_eq!(err.code(), "too_large");
}

/// A trust list of more entries than a code may hold CBOR items (`max_cbor_items`) is read
/// under the list's own cap (`max_trust_entries`), not refused as too large.
#[test]
fn a_trust_list_is_read_under_its_own_item_cap() {
    use healthpass::SigningKey;
    use healthpass::trust::{Scope, TrustList};
    let mut list = TrustList::new(1, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(7));
    let count = Limits::DEFAULT.max_cbor_items + 100;
    for i in 0..count {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&(i as u64 + 1000).to_be_bytes());
        list.entries.push(entry(&SigningKey::from_seed(&seed), "CN-GD", Scope::default()));
    }
    let signed = list.sign(&anchor(), &Limits::DEFAULT).unwrap();
    let read = TrustList::decode_signed(&signed, &[anchor().public_key()], &Limits::DEFAULT).unwrap();
    assert_eq!(read.entries.len(), count);
}

/// A list's text (here an issuer name) may be as long as `max_text_string_len`, and no longer.
#[test]
fn a_list_text_may_be_as_long_as_the_text_limit() {
    use healthpass::trust::{Scope, TrustList};
    let issuer = "I".repeat(200);
    let mut list = TrustList::new(1, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(7));
    list.entries.push(entry(&office(), &issuer, Scope::default()));
    let signed = list.sign(&anchor(), &Limits::DEFAULT).unwrap();
    let anchors = [anchor().public_key()];
    let exact = Limits { max_text_string_len: 200, ..Limits::DEFAULT };
    assert_eq!(TrustList::decode_signed(&signed, &anchors, &exact).unwrap().entries[0].issuer, issuer);
    let under = Limits { max_text_string_len: 199, ..Limits::DEFAULT };
    assert_eq!(TrustList::decode_signed(&signed, &anchors, &under).unwrap_err().code(), "too_large");
}

fn anchor_revocations_for(sequence: u64, issuer: Option<&str>) -> Vec<u8> {
    let mut list = RevocationList::new(sequence, t0() - TimeDelta::minutes(30), t0() + TimeDelta::days(1));
    list.issuer = issuer.map(Into::into);
    list.sign(&anchor(), &Limits::DEFAULT).unwrap()
}

/// docs/TRUST.md: a signer's revocation lists are held one per scope; a newer list replaces
/// only the list of its own scope, and is checked as an update of that list only.
#[test]
fn a_signers_revocation_lists_are_held_one_per_scope() {
    const SCHOOL: &str = "CN-GD-SCHOOL-7";
    let mut cp = Checkpoint::new(vec![anchor().public_key()], &signed_trust_list(1), Policy::permissive()).unwrap();
    cp.add_revocation_list_at(&anchor_revocations_for(1, None), t0()).unwrap();
    cp.add_revocation_list_at(&anchor_revocations_for(1, Some(SCHOOL)), t0()).unwrap();
    cp.add_revocation_list_at(&anchor_revocations_for(2, None), t0()).unwrap();
    let mut held: Vec<(Option<String>, u64)> =
        cp.revocation_lists().iter().map(|l| (l.issuer.clone(), l.sequence)).collect();
    held.sort();
    assert_eq!(held, vec![(None, 2), (Some(SCHOOL.to_owned()), 1)]);
}
