//! Fixtures shared by the trust-list, revocation and checkpoint tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::trust::{KindName, Scope, TrustEntry, TrustList};
use healthpass::{Claims, Colour, CredentialId, Issuer, Limits, SigningKey};

/// The time the tests pretend it is.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

pub fn anchor() -> SigningKey {
    SigningKey::from_seed(&[1; 32])
}

/// A district office: may sign personal and cross-border codes, green to orange, never red.
pub fn office() -> SigningKey {
    SigningKey::from_seed(&[2; 32])
}

/// The provincial health authority: may sign anything, including red.
pub fn authority() -> SigningKey {
    SigningKey::from_seed(&[3; 32])
}

/// A school: student codes only, green or yellow; may revoke its own codes.
pub fn school() -> SigningKey {
    SigningKey::from_seed(&[4; 32])
}

pub fn entry(key: &SigningKey, issuer: &str, scope: Scope) -> TrustEntry {
    let mut entry =
        TrustEntry::ed25519(&key.public_key(), issuer, "CN-GD", t0() - TimeDelta::days(30), TimeDelta::days(365));
    entry.scope = scope;
    entry
}

pub fn trust_list(sequence: u64) -> TrustList {
    let mut list = TrustList::new(sequence, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(7));
    list.entries.push(entry(
        &office(),
        "CN-GD",
        Scope {
            kinds: Some(vec![KindName::Personal, KindName::CrossBorder]),
            colours: Some(vec![Colour::Green, Colour::Yellow, Colour::Orange]),
            regions: None,
            revocation: false,
        },
    ));
    list.entries.push(entry(&authority(), "CN-GD", Scope::default()));
    list.entries.push(entry(
        &school(),
        "CN-GD-SCHOOL-7",
        Scope {
            kinds: Some(vec![KindName::Student]),
            colours: Some(vec![Colour::Green, Colour::Yellow]),
            regions: None,
            revocation: true,
        },
    ));
    list
}

pub fn signed_trust_list(sequence: u64) -> Vec<u8> {
    trust_list(sequence).sign(&anchor(), &Limits::DEFAULT).unwrap()
}

/// A green personal code from CN-GD with a negative test a day old, issued at `t0()`.
pub fn claims(id: u8) -> Claims {
    let mut claims = Claims::example(t0());
    claims.credential_id = CredentialId([id; 16]);
    claims
}

pub fn issue(key: SigningKey, claims: &Claims) -> String {
    Issuer::new(key).issue(claims).unwrap()
}

/// Signs an arbitrary list payload (a CBOR map) with `key` as an anchor or issuer would, to build
/// lists that `TrustList::sign` or `RevocationList::sign` would refuse.
pub fn sign_raw(payload: &ciborium::Value, key: &SigningKey) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(payload, &mut bytes).unwrap();
    CoseSign1Builder::new()
        .protected(HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().into_bytes()).build())
        .payload(bytes)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .unwrap()
}
