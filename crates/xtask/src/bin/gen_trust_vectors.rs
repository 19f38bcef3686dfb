//! Writes test-vectors/trust/: signed trust lists, revocation lists and checkpoint decisions,
//! each with its inputs and expected outcome, for implementers of docs/TRUST.md and POLICY.md.
//! Deterministic (fixed seeds, fixed times, deterministic Ed25519): a re-run must not change a
//! byte, and tests/trust_vectors.rs checks every file.
//!
//! Run: `cargo run --example gen_trust_vectors`
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::path::Path;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ciborium::Value as Cbor;
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use healthpass::claims::{TestKind, TestOutcome};
use healthpass::decide::{Checkpoint, Policy};
use healthpass::fs::{Mode, write_atomic};
use healthpass::trust::{
    KindName, REVOCATION_LIST_MARKER, RevocationList, Scope, TRUST_LIST_MARKER, TrustEntry, TrustList,
};
use healthpass::{Claims, Colour, CredentialId, Issuer, Limits, Reason, SigningKey};
use serde_json::{Value, json};

const ANCHOR: [u8; 32] = [0xa1; 32];
const OFFICE: [u8; 32] = [0x0f; 32];
const AUTHORITY: [u8; 32] = [0xa7; 32];
const SCHOOL: [u8; 32] = [0x5c; 32];
const STRANGER: [u8; 32] = [0xee; 32];

/// name, description, signer seed, (claims, code text), now, revoked ids, expected refusals.
type CheckpointCase =
    (&'static str, &'static str, [u8; 32], (Claims, String), DateTime<Utc>, Vec<u8>, Vec<&'static str>);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn key(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_seed(&seed)
}

fn key_json(seed: [u8; 32]) -> Value {
    let k = key(seed);
    json!({ "seed": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&seed)), "public_key": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&k.public_key().to_bytes())), "kid": k.kid().to_string() })
}

fn trust_list(sequence: u64) -> TrustList {
    let from = t0() - TimeDelta::days(30);
    let mut list = TrustList::new(sequence, t0(), t0() + TimeDelta::days(7));
    let mut office = TrustEntry::ed25519(&key(OFFICE).public_key(), "CN-GD", "CN-GD", from, TimeDelta::days(365));
    office.scope = Scope {
        kinds: Some(vec![KindName::Personal, KindName::CrossBorder]),
        colours: Some(vec![Colour::Green, Colour::Yellow, Colour::Orange]),
        regions: Some(vec!["CN-GD".into()]),
        revocation: false,
    };
    let authority = TrustEntry::ed25519(&key(AUTHORITY).public_key(), "CN-GD", "CN-GD", from, TimeDelta::days(365));
    let mut school =
        TrustEntry::ed25519(&key(SCHOOL).public_key(), "CN-GD-SCHOOL-7", "CN-GD", from, TimeDelta::days(365));
    school.scope = Scope {
        kinds: Some(vec![KindName::Student]),
        colours: Some(vec![Colour::Green, Colour::Yellow]),
        regions: None,
        revocation: true,
    };
    list.entries = vec![office, authority, school];
    list
}

/// Signs any payload map as a trust anchor would, so that malformed lists can be built.
fn sign_raw(payload: &Cbor, seed: [u8; 32]) -> Vec<u8> {
    let k = key(seed);
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(payload, &mut bytes).unwrap();
    CoseSign1Builder::new()
        .protected(HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(k.kid().into_bytes()).build())
        .payload(bytes)
        .create_signature(&[], |tbs| k.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .unwrap()
}

fn int(i: i64) -> Cbor {
    Cbor::Integer(i.into())
}

fn map(entries: Vec<(i64, Cbor)>) -> Cbor {
    Cbor::Map(entries.into_iter().map(|(k, v)| (int(k), v)).collect())
}

fn raw_trust_list(extra: Vec<(i64, Cbor)>, public_key: Vec<u8>) -> Cbor {
    let office = key(OFFICE).public_key();
    let entry = map(vec![
        (1, Cbor::Bytes(office.kid().into_bytes())),
        (2, int(-8)),
        (3, Cbor::Bytes(public_key)),
        (4, Cbor::Text("CN-GD".into())),
        (5, Cbor::Text("CN-GD".into())),
        (6, int(t0().timestamp() - 86_400)),
        (7, int(t0().timestamp() + 86_400)),
        (8, map(vec![])),
    ]);
    let mut fields = vec![
        (0, Cbor::Text(TRUST_LIST_MARKER.into())),
        (1, int(1)),
        (2, int(t0().timestamp())),
        (3, int(t0().timestamp() + 86_400)),
        (4, Cbor::Array(vec![entry])),
    ];
    for (k, v) in extra {
        match fields.iter_mut().find(|(key, _)| *key == k) {
            Some(field) => field.1 = v,
            None => fields.push((k, v)),
        }
    }
    map(fields)
}

fn code(seed: [u8; 32], id: u8, edit: impl FnOnce(&mut Claims)) -> (Claims, String) {
    let mut claims = Claims::example(t0());
    claims.credential_id = CredentialId([id; 16]);
    edit(&mut claims);
    let text = Issuer::new(key(seed)).issue(&claims).unwrap();
    (claims, text)
}

fn revocations(sequence: u64, issuer: Option<&str>, ids: &[u8], seed: [u8; 32]) -> (RevocationList, Vec<u8>) {
    let mut list = RevocationList::new(sequence, t0() + TimeDelta::minutes(10), t0() + TimeDelta::days(1));
    list.issuer = issuer.map(String::from);
    let ids: Vec<CredentialId> = ids.iter().map(|&i| CredentialId([i; 16])).collect();
    list.revoke_credentials(ids.iter());
    let signed = list.sign(&key(seed), &Limits::DEFAULT).unwrap();
    (list, signed)
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/trust");
    std::fs::create_dir_all(&dir).unwrap();
    let mut vectors: Vec<(&str, Value)> = Vec::new();
    let good = trust_list(5);
    let good_bytes = good.sign(&key(ANCHOR), &Limits::DEFAULT).unwrap();
    let trust_case = |description: &str, list: &[u8], signer: [u8; 32], expected: Value| {
        json!({ "kind": "trust_list", "description": description, "anchor": key_json(ANCHOR),
                "signer": key_json(signer), "list_hex": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&list)), "expected": expected })
    };

    let mut v = trust_case(
        "A good trust list: an office (no red, personal and cross-border, region CN-GD), the health authority (any scope) and a school (student codes, green or yellow, may revoke).",
        &good_bytes,
        ANCHOR,
        json!({ "valid": true, "sequence": 5, "entries": 3 }),
    );
    v["draft"] = serde_json::to_value(&good).unwrap();
    vectors.push(("trust-good", v));
    let mut flipped = good_bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    vectors.push((
        "trust-bad-signature",
        trust_case(
            "The good list with the last signature bit flipped.",
            &flipped,
            ANCHOR,
            json!({ "valid": false, "error": "bad_signature" }),
        ),
    ));
    vectors.push((
        "trust-unknown-anchor",
        trust_case(
            "The good list signed by a key that is not the pinned anchor.",
            &good.sign(&key(STRANGER), &Limits::DEFAULT).unwrap(),
            STRANGER,
            json!({ "valid": false, "error": "unknown_anchor" }),
        ),
    ));
    vectors.push((
        "trust-truncated",
        trust_case(
            "The good list cut 10 bytes short.",
            &good_bytes[..good_bytes.len() - 10],
            ANCHOR,
            json!({ "valid": false, "error": "cbor" }),
        ),
    ));
    vectors.push((
        "trust-malformed-key",
        trust_case(
            "An Ed25519 entry whose key has 31 bytes: the whole list is refused.",
            &sign_raw(&raw_trust_list(vec![], vec![7; 31]), ANCHOR),
            ANCHOR,
            json!({ "valid": false, "error": "list" }),
        ),
    ));
    let office_key = key(OFFICE).public_key().to_bytes().to_vec();
    vectors.push((
        "trust-unknown-field",
        trust_case(
            "A payload with an unknown key 9.",
            &sign_raw(&raw_trust_list(vec![(9, Cbor::Null)], office_key.clone()), ANCHOR),
            ANCHOR,
            json!({ "valid": false, "error": "list" }),
        ),
    ));
    vectors.push((
        "trust-wrong-marker",
        trust_case(
            "A trust-list payload carrying the revocation-list marker.",
            &sign_raw(
                &raw_trust_list(vec![(0, Cbor::Text(REVOCATION_LIST_MARKER.into()))], office_key.clone()),
                ANCHOR,
            ),
            ANCHOR,
            json!({ "valid": false, "error": "list" }),
        ),
    ));
    vectors.push((
        "trust-next-update-before-issue",
        trust_case(
            "next_update earlier than issued_at.",
            &sign_raw(&raw_trust_list(vec![(3, int(t0().timestamp() - 1))], office_key), ANCHOR),
            ANCHOR,
            json!({ "valid": false, "error": "list" }),
        ),
    ));

    let revocation_case = |description: &str, list: &[u8], signer: [u8; 32], expected: Value| {
        json!({ "kind": "revocation_list", "description": description, "anchor": key_json(ANCHOR),
                "signer": key_json(signer), "trust_list_hex": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&&good_bytes)),
                "list_hex": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&list)), "expected": expected })
    };
    let id_hex = |i: u8| data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&[i; 16]));
    let (_, anchor_list) = revocations(1, None, &[1, 2, 3], ANCHOR);
    vectors.push((
        "revocation-anchor",
        revocation_case(
            "Signed by the anchor, covering every issuer: three credentials revoked.",
            &anchor_list,
            ANCHOR,
            json!({ "valid": true, "sequence": 1, "revoked": [id_hex(1), id_hex(2), id_hex(3)], "not_revoked": [id_hex(4)] }),
        ),
    ));
    let (_, school_list) = revocations(1, Some("CN-GD-SCHOOL-7"), &[9], SCHOOL);
    vectors.push((
        "revocation-by-issuer",
        revocation_case(
            "Signed by the school's key (scope allows revocation) for its own issuer.",
            &school_list,
            SCHOOL,
            json!({ "valid": true, "sequence": 1, "revoked": [id_hex(9)], "not_revoked": [id_hex(1)] }),
        ),
    ));
    let (_, school_all) = revocations(1, None, &[9], SCHOOL);
    vectors.push((
        "revocation-issuer-for-all",
        revocation_case(
            "Signed by the school's key but naming no issuer (only an anchor may cover all).",
            &school_all,
            SCHOOL,
            json!({ "valid": false, "error": "out_of_scope" }),
        ),
    ));
    let (_, office_list) = revocations(1, Some("CN-GD"), &[9], OFFICE);
    vectors.push((
        "revocation-unauthorised",
        revocation_case(
            "Signed by the office's key, whose scope does not allow revocation.",
            &office_list,
            OFFICE,
            json!({ "valid": false, "error": "unknown_anchor" }),
        ),
    ));
    let mut hashes: Vec<[u8; 16]> =
        [1u8, 2].iter().map(|&i| healthpass::trust::CredentialHash::of(&CredentialId([i; 16])).0).collect();
    hashes.sort();
    hashes.reverse();
    let unsorted = sign_raw(
        &map(vec![
            (0, Cbor::Text(REVOCATION_LIST_MARKER.into())),
            (1, int(1)),
            (2, int(t0().timestamp())),
            (3, int(t0().timestamp() + 86_400)),
            (5, Cbor::Bytes(hashes.concat())),
        ]),
        ANCHOR,
    );
    vectors.push((
        "revocation-unsorted",
        revocation_case(
            "Two hashes in descending order.",
            &unsorted,
            ANCHOR,
            json!({ "valid": false, "error": "list" }),
        ),
    ));

    // Checkpoint decisions: a code, the lists, a policy and a time → every refusal, in order.
    let policy = json!({ "accept_colours": ["green"], "accept_regions": ["CN", "HK", "MO"], "negative_test_max_age_hours": 168 });
    // The expected refusals are written from the rules of TRUST.md and POLICY.md; the generator
    // refuses to write a vector the implementation disagrees with.
    let checkpoint_case = |description: &str,
                           signer: [u8; 32],
                           (claims, text): (Claims, String),
                           now: DateTime<Utc>,
                           revoked: &[u8],
                           expected: &[&str]| {
        let policy = &policy;
        let mut cp = Checkpoint::new(
            vec![key(ANCHOR).public_key()],
            &good_bytes,
            Policy::from_json(&policy.to_string()).unwrap(),
        )
        .unwrap();
        let mut lists = Vec::new();
        if !revoked.is_empty() {
            let (_, bytes) = revocations(1, None, revoked, ANCHOR);
            cp.add_revocation_list(&bytes).unwrap();
            lists.push(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&bytes)));
        }
        let verdict = cp.check(&text, now);
        assert_eq!(verdict.refusal_codes(), expected, "{description}");
        json!({ "kind": "checkpoint", "description": description, "anchor": key_json(ANCHOR),
                "signer": key_json(signer), "trust_list_hex": data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&&good_bytes)),
                "revocation_lists_hex": lists, "policy": policy, "skew_seconds": 300, "now": now,
                "text": text, "claims": claims,
                "expected": { "accepted": expected.is_empty(), "colour": claims.colour, "refusals": expected } })
    };
    let now = t0() + TimeDelta::hours(1);
    let red = |c: &mut Claims| {
        c.colour = Colour::Red;
        c.reasons = vec![Reason::PositiveTest];
        c.evidence.tests[0].result = TestOutcome::Positive;
    };
    let cases: Vec<CheckpointCase> = vec![
        (
            "checkpoint-accepted",
            "An in-scope green code with a day-old negative test.",
            OFFICE,
            code(OFFICE, 1, |_| {}),
            now,
            vec![],
            vec![],
        ),
        (
            "checkpoint-out-of-scope",
            "A red code signed by the office's key, which may not sign red: every failed rule is listed.",
            OFFICE,
            code(OFFICE, 2, red),
            now,
            vec![],
            vec!["out_of_scope", "colour_not_accepted", "test_not_negative"],
        ),
        (
            "checkpoint-authority-any-region",
            "The authority's key has no region limit; a resident of HK is fine.",
            AUTHORITY,
            code(AUTHORITY, 3, |c| c.evidence.residency = Some("HK".into())),
            now,
            vec![],
            vec![],
        ),
        (
            "checkpoint-region-out-of-scope",
            "The office's key may only sign codes naming region CN-GD.",
            OFFICE,
            code(OFFICE, 4, |c| c.evidence.residency = Some("HK".into())),
            now,
            vec![],
            vec!["out_of_scope"],
        ),
        ("checkpoint-revoked", "A revoked credential.", OFFICE, code(OFFICE, 5, |_| {}), now, vec![5], vec!["revoked"]),
        (
            "checkpoint-clock-rollback",
            "A clock two days behind the trust list's issue time (the code then also looks issued in the future).",
            OFFICE,
            code(OFFICE, 6, |_| {}),
            t0() - TimeDelta::days(2),
            vec![],
            vec!["clock_rollback", "issued_in_future", "not_yet_valid"],
        ),
        (
            "checkpoint-stale-list",
            "Eight days on: the trust list is past its next update (no grace) and the test is 9 days old.",
            OFFICE,
            code(OFFICE, 7, |c| c.expires_at = t0() + TimeDelta::days(30)),
            t0() + TimeDelta::days(8),
            vec![],
            vec!["stale_list", "test_too_old"],
        ),
        (
            "checkpoint-old-test",
            "A negative antigen test nine days old under the 7-day rule.",
            OFFICE,
            code(OFFICE, 8, |c| {
                c.evidence.tests[0].kind = TestKind::Antigen;
                c.evidence.tests[0].sampled_at = t0() - TimeDelta::days(9);
            }),
            now,
            vec![],
            vec!["test_too_old"],
        ),
    ];
    for (name, description, signer, code, now, revoked, expected) in cases {
        vectors.push((name, checkpoint_case(description, signer, code, now, &revoked, &expected)));
    }

    for (n, (name, vector)) in vectors.iter().enumerate() {
        let path = dir.join(format!("{:03}-{name}.json", n + 1));
        let text = serde_json::to_string_pretty(vector).unwrap() + "\n";
        write_atomic(&path, text.as_bytes(), Mode::Public).unwrap();
    }
    println!("wrote {} vectors to test-vectors/trust", vectors.len());
}
