//! The decision entry encoding, commitments and the holder's check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_log::Error;
use healthpass_log::commitment::{
    HolderSecret, Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment,
};
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use proptest::prelude::*;

fn sample(pseudonym: &[u8], salt: &Salt) -> DecisionEntry {
    DecisionEntry {
        issuer: "cdc.zhengzhou.example".into(),
        key_fingerprint: [0xab; 32],
        actor: Actor::Officer("officer-0042".into()),
        colour: Colour::Red,
        reasons: vec!["close-contact".into(), "travel.risk-area".into()],
        time: 1_655_000_000,
        credential_id_hash: credential_id_hash(b"credential-1"),
        scheme: Scheme::HmacSha256,
        subject_commitment: subject_commitment(Scheme::HmacSha256, salt, pseudonym),
        evidence_commitment: evidence_commitment(Scheme::HmacSha256, salt, b"case-file-digest"),
    }
}

#[test]
fn round_trip_and_fixed_size() {
    let salt = Salt::from_bytes([1; 32]);
    let entry = sample(b"holder-a", &salt);
    let bytes = entry.encode().unwrap();
    assert_eq!(DecisionEntry::decode(&bytes).unwrap(), entry);
    // 1 + (1+21) + 32 + 1 + (1+12) + 1 + 1 + (1+13) + (1+16) + 8 + 32 + 1 + 32 + 32
    assert_eq!(bytes.len(), 207);
    // No name, pseudonym or evidence in clear.
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("holder-a") && !text.contains("case-file"));
}

#[test]
fn decoding_is_strict() {
    let bytes = sample(b"h", &Salt::from_bytes([1; 32])).encode().unwrap();
    for cut in 0..bytes.len() {
        assert!(matches!(DecisionEntry::decode(&bytes[..cut]), Err(Error::Entry { .. })), "cut at {cut}");
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        DecisionEntry::decode(&trailing).unwrap_err(),
        Error::Entry { at: bytes.len(), reason: "trailing bytes" }
    );
    let mutate = |at: usize, value: u8| {
        let mut b = bytes.clone();
        b[at] = value;
        DecisionEntry::decode(&b)
    };
    assert!(mutate(0, 2).is_err(), "version");
    assert!(mutate(1, 0).is_err(), "empty issuer");
    assert!(mutate(2, b' ').is_err(), "space in issuer");
    let actor_kind = 1 + 1 + 21 + 32;
    assert!(mutate(actor_kind, 3).is_err(), "actor kind");
    let colour = actor_kind + 1 + 1 + 12;
    assert!(mutate(colour, 0).is_err() && mutate(colour, 5).is_err(), "colour");
    assert!(mutate(colour + 1, 17).is_err(), "reason count");
    assert!(mutate(colour + 3, b'C').is_err(), "upper-case reason");
    let time = colour + 2 + 14 + 17;
    assert!(mutate(time, 0x80).is_err(), "time past 2^63");
    assert!(mutate(time + 8 + 32, 3).is_err(), "scheme");
    // Reasons out of order are not canonical.
    let mut unsorted = sample(b"h", &Salt::from_bytes([1; 32]));
    unsorted.reasons.reverse();
    assert!(matches!(unsorted.encode(), Err(Error::EntryField { field: "reasons", .. })));
    unsorted.normalise();
    assert!(unsorted.encode().is_ok());
    assert!(DecisionEntry::decode(&vec![1; 5000]).is_err());
}

#[test]
fn fields_are_validated() {
    let salt = Salt::from_bytes([1; 32]);
    let mut e = sample(b"h", &salt);
    e.issuer = "x".repeat(129);
    assert!(e.encode().is_err());
    let mut e = sample(b"h", &salt);
    e.actor = Actor::Rule(String::new());
    assert!(e.encode().is_err());
    let mut e = sample(b"h", &salt);
    e.reasons = (0..17).map(|i| format!("r{i:02}")).collect();
    assert!(e.encode().is_err());
    let mut e = sample(b"h", &salt);
    e.reasons = vec!["a".repeat(33)];
    assert!(e.encode().is_err());
    let mut e = sample(b"h", &salt);
    e.reasons.clear();
    // A decision without a reason is encodable, so that an auditor can see and report it.
    assert!(e.encode().is_ok());
}

#[test]
fn holder_finds_only_their_own_entries() {
    let (salt_a, salt_b) = (Salt::from_bytes([1; 32]), Salt::from_bytes([2; 32]));
    let mine = sample(b"holder-a", &salt_a);
    let theirs = sample(b"holder-b", &salt_a);
    let me = HolderSecret::new(b"holder-a", vec![salt_b.clone(), salt_a.clone()]);
    assert!(me.is_about_me(&mine));
    assert!(!me.is_about_me(&theirs));
    // After crypto-shredding the salt, the holder (or anyone) can no longer link the entry.
    assert!(!HolderSecret::new(b"holder-a", vec![salt_b]).is_about_me(&mine));
    // The two schemes give different commitments.
    assert_ne!(
        subject_commitment(Scheme::HmacSha256, &salt_a, b"x"),
        subject_commitment(Scheme::Sha256, &salt_a, b"x")
    );
    let mut sha = sample(b"holder-a", &salt_a);
    sha.scheme = Scheme::Sha256;
    sha.subject_commitment = subject_commitment(Scheme::Sha256, &salt_a, b"holder-a");
    assert!(me.is_about_me(&sha));
    assert_ne!(Salt::generate().unwrap(), Salt::generate().unwrap());
    assert_eq!(format!("{salt_a:?}"), "Salt(..)");
}

fn arb_entry() -> impl Strategy<Value = DecisionEntry> {
    let id = "[!-~]{1,128}";
    let reasons = proptest::collection::btree_set("[a-z0-9_.-]{1,32}", 0..=16);
    (
        id,
        any::<[u8; 32]>(),
        (any::<bool>(), id),
        1u8..=4,
        reasons,
        0..=i64::MAX as u64,
        any::<[u8; 32]>(),
        any::<bool>(),
        any::<[u8; 32]>(),
        any::<[u8; 32]>(),
    )
        .prop_map(|(issuer, fp, (officer, actor), colour, reasons, time, cid, hmac, subject, evidence)| {
            DecisionEntry {
                issuer,
                key_fingerprint: fp,
                actor: if officer { Actor::Officer(actor) } else { Actor::Rule(actor) },
                colour: [Colour::Green, Colour::Yellow, Colour::Orange, Colour::Red][usize::from(colour - 1)],
                reasons: reasons.into_iter().collect(),
                time,
                credential_id_hash: cid,
                scheme: if hmac { Scheme::HmacSha256 } else { Scheme::Sha256 },
                subject_commitment: subject,
                evidence_commitment: evidence,
            }
        })
}

proptest! {
    #[test]
    fn decode_encode_round_trips(entry in arb_entry()) {
        let bytes = entry.encode().unwrap();
        prop_assert_eq!(DecisionEntry::decode(&bytes).unwrap(), entry);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_reencode_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(entry) = DecisionEntry::decode(&bytes) {
            prop_assert_eq!(entry.encode().unwrap(), bytes);
        }
    }
}
