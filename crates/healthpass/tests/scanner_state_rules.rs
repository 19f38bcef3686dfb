//! The rules of the scanner state file (docs/TRUST.md, scanner state) that the full mutation run
//! (MUTANTS.md) found pinned by no test of the core: the file is written and read back by the
//! core itself, the signer bound is inclusive, and one signer may hold one sequence per scope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass::decide::{ListSequence, ScannerState};
use healthpass::trust::KeyFingerprint;

fn signer(n: u16) -> KeyFingerprint {
    let mut bytes = [0u8; 32];
    bytes[..2].copy_from_slice(&n.to_be_bytes());
    KeyFingerprint(bytes)
}

fn entry(n: u16, issuer: Option<&str>, sequence: u64) -> ListSequence {
    ListSequence { signer: signer(n), issuer: issuer.map(str::to_owned), sequence }
}

fn state_with(lists: Vec<ListSequence>) -> ScannerState {
    ScannerState { revocation_lists: lists, ..ScannerState::default() }
}

#[test]
fn a_state_file_written_is_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut state = ScannerState::default();
    state.record_trust_list(9);
    state.record_revocation(signer(1), Some("Office"), 4);
    state.record_time("2026-11-23T08:30:00Z".parse().unwrap());
    state.write_file(&path).unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"trust_list_sequence\": 9"), "{text}");
    let read = ScannerState::read_file(&path).unwrap();
    assert_eq!(read, state);
    assert_eq!(read.revocation_sequence(&signer(1), Some("Office")), Some(4));
}

#[test]
fn a_state_file_that_breaks_the_rules_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let twice = state_with(vec![entry(1, None, 1), entry(1, None, 2)]);
    assert_eq!(twice.write_file(&path).unwrap_err().code(), "scanner_state");
    assert!(!path.exists(), "nothing is written for a state that breaks its rules");
}

#[test]
fn reading_a_missing_state_file_is_an_error_not_an_empty_state() {
    let dir = tempfile::tempdir().unwrap();
    let err = ScannerState::read_file(&dir.path().join("absent.json")).unwrap_err();
    assert_eq!(err.code(), "io");
}

#[test]
fn the_signer_bound_is_inclusive() {
    let at_bound: Vec<_> = (0..ScannerState::MAX_SIGNERS as u16).map(|n| entry(n, None, 1)).collect();
    let json = state_with(at_bound.clone()).to_json().unwrap();
    assert_eq!(ScannerState::from_json(&json).unwrap().revocation_lists.len(), ScannerState::MAX_SIGNERS);

    let mut over = at_bound;
    over.push(entry(ScannerState::MAX_SIGNERS as u16, None, 1));
    assert_eq!(state_with(over).to_json().unwrap_err().code(), "too_large");
}

#[test]
fn one_signer_holds_one_sequence_per_scope() {
    // The same signer for two scopes, and two signers for one scope: both are consistent.
    let scopes = state_with(vec![entry(1, None, 1), entry(1, Some("School"), 2)]);
    assert_eq!(ScannerState::from_json(&scopes.to_json().unwrap()).unwrap(), scopes);
    let signers = state_with(vec![entry(1, Some("School"), 1), entry(2, Some("School"), 2)]);
    assert_eq!(ScannerState::from_json(&signers.to_json().unwrap()).unwrap(), signers);

    // The same signer twice for one scope is refused, whether written or read.
    for scope in [None, Some("School")] {
        let twice = state_with(vec![entry(2, None, 9), entry(1, scope, 1), entry(1, scope, 2)]);
        assert_eq!(twice.to_json().unwrap_err().code(), "scanner_state", "{scope:?}");
        let json = serde_json::to_vec(&twice).unwrap();
        assert_eq!(ScannerState::from_json(&json).unwrap_err().code(), "scanner_state", "{scope:?}");
    }
}

#[test]
fn the_size_bound_of_a_state_file_is_inclusive() {
    let mut json = br#"{ "version": 1, "trust_list_sequence": 3 }"#.to_vec();
    json.resize(ScannerState::MAX_BYTES, b' ');
    assert_eq!(ScannerState::from_json(&json).unwrap().trust_list_sequence, Some(3));
    json.push(b' ');
    assert_eq!(ScannerState::from_json(&json).unwrap_err().code(), "too_large");
}

#[test]
fn a_signers_sequences_are_kept_per_scope() {
    let mut state = ScannerState::default();
    state.record_revocation(signer(1), None, 5);
    state.record_revocation(signer(1), Some("School"), 2);
    state.record_revocation(signer(2), Some("School"), 7);
    assert_eq!(state.revocation_sequence(&signer(1), None), Some(5));
    assert_eq!(state.revocation_sequence(&signer(1), Some("School")), Some(2));
    assert_eq!(state.revocation_sequence(&signer(2), Some("School")), Some(7));
    assert_eq!(state.revocation_sequence(&signer(2), None), None);
    // A lower sequence never lowers the record; a higher one raises only its own scope's.
    state.record_revocation(signer(1), Some("School"), 1);
    state.record_revocation(signer(1), None, 6);
    assert_eq!(state.revocation_sequence(&signer(1), Some("School")), Some(2));
    assert_eq!(state.revocation_sequence(&signer(1), None), Some(6));
    assert_eq!(state.revocation_lists.len(), 3);
}
