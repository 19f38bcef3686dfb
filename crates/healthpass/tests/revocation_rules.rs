//! The rules of revocation lists (docs/TRUST.md "Revocation lists") that the full mutation run
//! (MUTANTS.md) found pinned by no test of the core: each test is named for the rule, asserts
//! the specific error, and fails with the mutant that survived it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use chrono::TimeDelta;
use ciborium::Value;
use healthpass::keys::Kid;
use healthpass::trust::{CredentialHash, REVOCATION_LIST_MARKER, RevocationList, RevokedKey};
use healthpass::{CredentialId, Error, Limits};
use trust_support::*;

fn list(sequence: u64) -> RevocationList {
    RevocationList::new(sequence, t0(), t0() + TimeDelta::days(1))
}

fn kid(len: usize) -> Kid {
    Kid::new(vec![7; len]).unwrap()
}

/// Signs an arbitrary revocation payload as the anchor, to build lists `sign` would refuse.
fn signed_raw(hashes: Vec<u8>) -> Vec<u8> {
    let int = |i: i64| Value::Integer(i.into());
    let payload = Value::Map(vec![
        (int(0), Value::Text(REVOCATION_LIST_MARKER.into())),
        (int(1), int(1)),
        (int(2), int(t0().timestamp())),
        (int(3), int(t0().timestamp() + 86_400)),
        (int(5), Value::Bytes(hashes)),
    ]);
    sign_raw(&payload, &anchor())
}

/// `credential_hashes` yields every revoked hash in ascending order: the CLI's `revoke` carries a
/// held list's hashes into the next one with it, so an empty iterator would un-revoke them all.
#[test]
fn credential_hashes_lists_every_revoked_hash_in_ascending_order() {
    let ids: Vec<CredentialId> = (1..=5u8).map(|i| CredentialId([i; 16])).collect();
    let mut revoked = list(1);
    revoked.revoke_credentials(ids.iter());
    let mut expected: Vec<CredentialHash> = ids.iter().map(CredentialHash::of).collect();
    expected.sort_by_key(|h| h.0);
    let got: Vec<CredentialHash> = revoked.credential_hashes().collect();
    assert_eq!(got.iter().map(|h| h.0).collect::<Vec<_>>(), expected.iter().map(|h| h.0).collect::<Vec<_>>());
    let mut carried = list(2);
    carried.revoke_hashes(revoked.credential_hashes());
    assert!(ids.iter().all(|id| carried.contains(&CredentialHash::of(id))));
}

/// `heap_bytes` counts 16 bytes per revoked credential and every revoked key with its kid's bytes
/// (the figure the revocation benchmark holds under 16 MiB for a million credentials): never
/// less than what the list holds, and not wildly more.
#[test]
fn heap_bytes_counts_the_hashes_and_the_keys_held() {
    let mut revoked = list(1);
    revoked.revoke_credentials(
        (0..1000u16)
            .map(|i| CredentialId([(i % 256) as u8, (i / 256) as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
            .collect::<Vec<_>>()
            .iter(),
    );
    for i in 0..3 {
        revoked.revoke_key(Kid::new(vec![i; 64]).unwrap(), t0());
    }
    let floor = 1000 * 16 + 3 * (64 + std::mem::size_of::<RevokedKey>());
    let bytes = revoked.heap_bytes();
    assert!(bytes >= floor, "{bytes} < {floor}");
    assert!(bytes <= 2 * floor, "{bytes} > 2 × {floor}");
}

/// `check` (the public check for a code whose key is bound to its own issuer) reports a revoked
/// credential and a key revoked since before the code was issued, and nothing for other codes.
#[test]
fn check_reports_a_revoked_credential_and_a_revoked_key() {
    let claims = claims(9);
    let kid = office().kid();
    let mut revoked = list(1);
    assert!(revoked.check(&claims, &kid).is_empty());
    revoked.revoke_credentials([&claims.credential_id]);
    let codes: Vec<_> = revoked.check(&claims, &kid).iter().map(Error::code).collect();
    assert_eq!(codes, ["revoked"]);
    revoked.revoke_key(kid.clone(), claims.issued_at);
    let codes: Vec<_> = revoked.check(&claims, &kid).iter().map(Error::code).collect();
    assert_eq!(codes, ["revoked", "revoked"]);
    let other = trust_support::claims(10);
    let mut later = list(2);
    later.revoke_key(kid.clone(), other.issued_at + TimeDelta::seconds(1));
    assert!(later.check(&other, &kid).is_empty(), "a key revoked after the code was issued");
}

/// `check_update`: a lower sequence is a rollback, the same list again is accepted, the same
/// sequence with other content is refused, a higher sequence is accepted.
#[test]
fn check_update_orders_lists_by_sequence_and_accepts_the_same_list_again() {
    let held = list(5);
    assert_eq!(
        held.check_update(&list(4)).unwrap_err(),
        Error::ListRollback { what: "revocation list", held: 5, got: 4 }
    );
    held.check_update(&held.clone()).unwrap();
    let mut changed = list(5);
    changed.revoke_credentials([&CredentialId([1; 16])]);
    let err = held.check_update(&changed).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("same sequence"), "{err}");
    held.check_update(&list(6)).unwrap();
}

/// `validate` (run by `sign` and on every decoded list): next-update strictly after issued-at;
/// at most `max_revoked_credentials` and `max_revoked_keys`, each limit itself allowed; kids of
/// at most 64 bytes; a named issuer neither empty nor over `max_text_string_len`.
#[test]
fn validate_enforces_each_limit_at_its_boundary() {
    let limits = Limits { max_revoked_credentials: 3, max_revoked_keys: 2, max_text_string_len: 8, ..Limits::DEFAULT };
    list(1).validate(&limits).unwrap();
    let mut no_window = list(1);
    no_window.next_update = no_window.issued_at;
    assert_eq!(no_window.validate(&limits).unwrap_err().code(), "list");
    assert!(no_window.sign(&anchor(), &limits).is_err(), "sign validates");

    let ids: Vec<CredentialId> = (1..=4u8).map(|i| CredentialId([i; 16])).collect();
    let mut at_limit = list(1);
    at_limit.revoke_credentials(ids[..3].iter());
    at_limit.validate(&limits).unwrap();
    let mut over = list(1);
    over.revoke_credentials(ids.iter());
    assert_eq!(over.validate(&limits).unwrap_err(), Error::TooLarge { what: "revoked credentials", limit: 3 });

    let mut keys = list(1);
    keys.revoke_key(kid(1), t0()).revoke_key(kid(2), t0());
    keys.validate(&limits).unwrap();
    keys.revoke_key(kid(3), t0());
    assert_eq!(keys.validate(&limits).unwrap_err(), Error::TooLarge { what: "revoked keys", limit: 2 });

    let mut long_kid = list(1);
    long_kid.revoke_key(kid(64), t0());
    long_kid.validate(&limits).unwrap();
    long_kid.revoke_key(kid(65), t0());
    let err = long_kid.validate(&limits).unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains("1 to 64 bytes"), "{err}");

    let mut issuer = list(1);
    for (name, ok) in [("", false), ("CN-GD-01", true), ("CN-GD-012", false)] {
        issuer.issuer = Some(name.into());
        let result = issuer.validate(&limits);
        assert_eq!(result.is_ok(), ok, "issuer {name:?}: {result:?}");
        if let Err(err) = result {
            assert!(err.to_string().contains("issuer"), "{err}");
        }
    }
}

/// A decoded list's credential count is checked against `max_revoked_credentials` before the
/// hashes are read (one allocation, bounded by the limit): a list at the limit loads, one over it
/// is `too_large` even when its hashes are also out of order.
#[test]
fn a_decoded_list_is_held_to_the_credential_limit_before_its_hashes_are_read() {
    let trust = trust_list(5);
    let limits = Limits { max_revoked_credentials: 2, ..Limits::DEFAULT };
    let decode =
        |hashes: Vec<u8>| RevocationList::decode_signed(&signed_raw(hashes), &[anchor().public_key()], &trust, &limits);
    let ascending: Vec<u8> = (1..=3u8).flat_map(|i| [[0; 15].as_slice(), &[i]].concat()).collect();
    let loaded = decode(ascending[..32].to_vec()).unwrap();
    assert_eq!(loaded.credential_count(), 2);
    assert_eq!(decode(ascending.clone()).unwrap_err(), Error::TooLarge { what: "revoked credentials", limit: 2 });
    let descending: Vec<u8> = ascending.chunks(16).rev().flatten().copied().collect();
    assert_eq!(decode(descending).unwrap_err(), Error::TooLarge { what: "revoked credentials", limit: 2 });
}
