//! The rules of a trust-list entry (docs/TRUST.md "Entries") that the full mutation run
//! (MUTANTS.md) found pinned by no test of the core: each limit at its boundary, each scope list
//! on its own, and the DER shape of ES256/PS256 keys. Each test asserts the specific error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::trust as trust_support;

use chrono::TimeDelta;
use ciborium::Value;
use healthpass::keys::Kid;
use healthpass::trust::{KeyAlgorithm, KindName, Scope, TRUST_LIST_MARKER, TrustEntry, TrustList};
use healthpass::{Colour, Error, Limits};
use trust_support::*;

/// A DER SEQUENCE of exactly `total` bytes (the outer shape of a SubjectPublicKeyInfo), with
/// the long length forms where it needs them.
fn der_sequence(total: usize) -> Vec<u8> {
    let (mut out, header) = match total {
        0..=129 => (vec![0x30, (total - 2) as u8], 2),
        130..=258 => (vec![0x30, 0x81, (total - 3) as u8], 3),
        _ => {
            let len = total - 4;
            (vec![0x30, 0x82, (len >> 8) as u8, len as u8], 4)
        }
    };
    out.resize(header + (total - header), 0x5a);
    out
}

fn es256_entry(kid_len: usize, key: Vec<u8>) -> TrustEntry {
    TrustEntry {
        kid: Kid::new(vec![3; kid_len]).unwrap(),
        algorithm: KeyAlgorithm::Es256,
        public_key: key,
        issuer: "DE".into(),
        region: "DE".into(),
        valid_from: t0() - TimeDelta::days(1),
        valid_until: t0() + TimeDelta::days(1),
        scope: Scope::default(),
    }
}

fn limits() -> Limits {
    Limits { max_text_string_len: 8, ..Limits::DEFAULT }
}

fn list_error(result: Result<(), Error>, words: &str) {
    let err = result.unwrap_err();
    assert_eq!(err.code(), "list", "{err}");
    assert!(err.to_string().contains(words), "{err} lacks {words:?}");
}

/// A kid has 1 to 64 bytes: 64 is allowed, 65 refused.
#[test]
fn an_entrys_kid_has_at_most_64_bytes() {
    es256_entry(64, der_sequence(91)).validate(&limits()).unwrap();
    list_error(es256_entry(65, der_sequence(91)).validate(&limits()), "1 to 64 bytes");
}

/// Issuer and region are at most `max_text_string_len` bytes: the limit itself is allowed.
#[test]
fn issuer_and_region_are_held_to_the_text_limit() {
    let mut entry = es256_entry(8, der_sequence(91));
    entry.issuer = "CN-GD-01".into();
    entry.region = "CN-GD-01".into();
    entry.validate(&limits()).unwrap();
    entry.issuer = "CN-GD-012".into();
    assert_eq!(entry.validate(&limits()).unwrap_err(), Error::TooLarge { what: "list text", limit: 8 });
}

/// An empty scope list (kinds, colours or regions, each on its own) is refused: leaving a list
/// out allows any, an empty one would allow none and is a mistake.
#[test]
fn each_empty_scope_list_is_refused_on_its_own() {
    let scopes = [
        Scope { kinds: Some(vec![]), ..Scope::default() },
        Scope { colours: Some(vec![]), ..Scope::default() },
        Scope { regions: Some(vec![]), ..Scope::default() },
    ];
    for scope in scopes {
        let mut entry = es256_entry(8, der_sequence(91));
        entry.scope = scope;
        list_error(entry.validate(&limits()), "a scope list is empty");
    }
    let mut named = es256_entry(8, der_sequence(91));
    named.scope = Scope {
        kinds: Some(vec![KindName::Personal]),
        colours: Some(vec![Colour::Green]),
        regions: Some(vec!["CN-GD".into()]),
        revocation: false,
    };
    named.validate(&limits()).unwrap();
}

/// A scope region is neither empty nor over `max_text_string_len`; the limit itself is allowed.
#[test]
fn scope_regions_are_neither_empty_nor_over_the_text_limit() {
    for (region, ok) in [("", false), ("CN-GD-01", true), ("CN-GD-012", false)] {
        let mut entry = es256_entry(8, der_sequence(91));
        entry.scope = Scope { regions: Some(vec![region.into()]), ..Scope::default() };
        match entry.validate(&limits()) {
            Ok(()) => assert!(ok, "{region:?} accepted"),
            Err(err) => {
                assert!(!ok, "{region:?}: {err}");
                assert!(err.to_string().contains("scope region"), "{err}");
            }
        }
    }
}

/// An ES256/PS256 key is one DER SEQUENCE of at most 2048 bytes, in any of the short and long
/// length forms: 2048 bytes (length form 0x82) is allowed, 2049 refused; a sequence whose length
/// does not cover the key exactly is refused.
#[test]
fn an_es256_key_is_one_der_sequence_of_at_most_2048_bytes() {
    for total in [91, 200, 294, 2048] {
        es256_entry(8, der_sequence(total)).validate(&limits()).unwrap();
    }
    list_error(es256_entry(8, der_sequence(2049)).validate(&limits()), "at most 2048 bytes");
    let mut short = der_sequence(91);
    short.push(0);
    list_error(es256_entry(8, short).validate(&limits()), "DER SubjectPublicKeyInfo");
}

/// A decoded entry's key is measured before anything else of it is read: 2048 bytes load,
/// 2049 are `too_large`.
#[test]
fn a_decoded_entrys_key_is_held_to_2048_bytes() {
    let int = |i: i64| Value::Integer(i.into());
    let raw = |key: Vec<u8>| {
        let entry = Value::Map(vec![
            (int(1), Value::Bytes(vec![3; 8])),
            (int(2), int(-7)),
            (int(3), Value::Bytes(key)),
            (int(4), Value::Text("DE".into())),
            (int(5), Value::Text("DE".into())),
            (int(6), int(t0().timestamp() - 86_400)),
            (int(7), int(t0().timestamp() + 86_400)),
            (int(8), Value::Map(vec![])),
        ]);
        let payload = Value::Map(vec![
            (int(0), Value::Text(TRUST_LIST_MARKER.into())),
            (int(1), int(9)),
            (int(2), int(t0().timestamp())),
            (int(3), int(t0().timestamp() + 86_400)),
            (int(4), Value::Array(vec![entry])),
        ]);
        TrustList::decode_signed(&sign_raw(&payload, &anchor()), &[anchor().public_key()], &Limits::DEFAULT)
    };
    assert_eq!(raw(der_sequence(2048)).unwrap().entries.len(), 1);
    assert_eq!(raw(der_sequence(2049)).unwrap_err(), Error::TooLarge { what: "trust list public key", limit: 2048 });
}

/// An empty SEQUENCE (`30 00`) holds no key and is refused.
#[test]
fn an_empty_der_sequence_is_not_a_key() {
    list_error(es256_entry(8, vec![0x30, 0x00]).validate(&limits()), "DER SubjectPublicKeyInfo");
}

/// `entries_for` yields every entry with the kid, in list order, and nothing for another kid
/// (the lookup a foreign verifier uses to find the keys a checkpoint trusts).
#[test]
fn entries_for_yields_every_entry_with_the_kid_in_list_order() {
    let mut list = trust_list(5);
    let mut first = es256_entry(8, der_sequence(91));
    first.issuer = "DE-A".into();
    let mut second = es256_entry(8, der_sequence(92));
    second.issuer = "DE-B".into();
    list.entries.push(first);
    list.entries.push(second);
    let kid = Kid::new(vec![3; 8]).unwrap();
    let issuers: Vec<&str> = list.entries_for(&kid).map(|e| e.issuer.as_str()).collect();
    assert_eq!(issuers, ["DE-A", "DE-B"]);
    assert_eq!(list.entries_for(&Kid::new(vec![4; 8]).unwrap()).count(), 0);
}

/// A list is past its next update strictly after `next_update`, and stale strictly after
/// `next_update + grace`: both instants themselves are still in time.
#[test]
fn next_update_and_grace_are_closed_boundaries() {
    let list = trust_list(5);
    let next = list.next_update;
    assert!(!list.is_past_next_update(next));
    assert!(list.is_past_next_update(next + TimeDelta::seconds(1)));
    assert!(!list.is_past_next_update(next - TimeDelta::seconds(1)));
    let grace = TimeDelta::hours(2);
    list.check_fresh(next + grace, grace).unwrap();
    let err = list.check_fresh(next + grace + TimeDelta::seconds(1), grace).unwrap_err();
    assert_eq!(err.code(), "stale_list", "{err}");
}

/// A list holds at most `max_trust_entries` entries: the limit itself is allowed.
#[test]
fn a_list_holds_at_most_max_trust_entries() {
    let list = trust_list(5);
    let n = list.entries.len();
    let at_limit = Limits { max_trust_entries: n, ..Limits::DEFAULT };
    list.validate(&at_limit).unwrap();
    let under = Limits { max_trust_entries: n - 1, ..Limits::DEFAULT };
    assert_eq!(list.validate(&under).unwrap_err(), Error::TooLarge { what: "trust list entries", limit: n - 1 });
}

/// `decode_unverified` (display only, `trust-list show` without an anchor) measures the bytes
/// first, as `decode_signed` does: a list of exactly `max_list_bytes` is read, one byte more
/// than the limit allows is `too_large`.
#[test]
fn an_unverified_list_is_measured_before_it_is_read() {
    let bytes = signed_trust_list(5);
    let exact = Limits { max_list_bytes: bytes.len(), ..Limits::DEFAULT };
    assert_eq!(TrustList::decode_unverified(&bytes, &exact).unwrap().sequence, 5);
    let short = Limits { max_list_bytes: bytes.len() - 1, ..Limits::DEFAULT };
    let err = TrustList::decode_unverified(&bytes, &short).unwrap_err();
    assert_eq!(err, Error::TooLarge { what: "trust list", limit: bytes.len() - 1 });
}
