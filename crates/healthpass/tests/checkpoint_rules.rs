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
