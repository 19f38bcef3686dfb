//! Issuing through the log (`issuer::LoggedIssuer`), signed `POST /add` bodies, and the core's
//! `require_logged` rule fed from the log.
#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{TimeDelta, TimeZone, Utc};
use healthpass::claims::OfficerDecision;
use healthpass::decide::{Checkpoint, Policy, logged_credential_hash};
use healthpass::trust::{TrustEntry, TrustList};
use healthpass::{Claims, CredentialId, Limits, SigningKey};
use healthpass_log::Log;
use healthpass_log::commitment::{HolderSecret, credential_id_hash};
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::issuer::{AddRequest, DecisionSink, IssueError, LoggedIssuer};
use healthpass_log::note::NoteSigner;
use healthpass_log::store::memory::MemoryStore;

fn log() -> Log<MemoryStore> {
    Log::open(MemoryStore::new(), NoteSigner::new("log.example/health", &[9; 32]).unwrap()).unwrap()
}

#[test]
fn a_logged_code_has_its_entry_in_the_log_before_it_is_returned() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut issuer = LoggedIssuer::new(SigningKey::from_seed(&[4; 32]), log()).with_rule("rule-7");
    let mut claims = Claims::example(now);
    let code = issuer.issue(&claims).unwrap();
    assert!(code.text.starts_with("HP1:"));
    assert_eq!(code.index, 0);
    let entry = &code.entry;
    assert_eq!(entry.issuer, "CN-GD");
    assert_eq!(entry.colour, Colour::Green);
    assert_eq!(entry.reasons, vec!["negative_test".to_owned()]);
    assert_eq!(entry.actor, Actor::Rule("rule-7".into()));
    assert_eq!(entry.time, 1_795_424_400);
    assert_eq!(entry.credential_id_hash, credential_id_hash(&claims.credential_id.0));
    assert_eq!(entry.credential_id_hash, logged_credential_hash(&claims.credential_id));
    assert_eq!(entry.key_fingerprint, issuer.key_fingerprint());
    // The holder finds it with the pseudonym and the salt; nobody else does.
    let holder = HolderSecret::new(&claims.subject.id.0, vec![code.salt.clone()]);
    assert!(holder.is_about_me(entry));
    assert!(!HolderSecret::new(&[0; 16], vec![code.salt.clone()]).is_about_me(entry));
    // Stored, as encoded: the log holds exactly this leaf.
    let stored = issuer.sink_mut().entries(0, 1).unwrap();
    assert_eq!(stored, vec![code.entry_bytes.clone()]);
    assert_eq!(DecisionEntry::decode(&stored[0]).unwrap(), code.entry);

    // An officer's decision names the officer; a second code gets a fresh salt and index.
    claims.credential_id = CredentialId([6; 16]);
    claims.colour = healthpass::Colour::Red;
    claims.reasons = vec![healthpass::Reason::PositiveTest];
    claims.evidence.decisions.push(OfficerDecision {
        officer: "officer-0042".into(),
        at: now - TimeDelta::minutes(5),
        basis: "positive test".into(),
    });
    let second = issuer.issue(&claims).unwrap();
    assert_eq!(second.index, 1);
    assert_eq!(second.entry.actor, Actor::Officer("officer-0042".into()));
    assert_eq!(second.entry.colour, Colour::Red);
    assert_ne!(second.salt, code.salt);
    assert_ne!(second.entry.subject_commitment, code.entry.subject_commitment);
}

struct Broken;

impl DecisionSink for Broken {
    fn append_entry(&mut self, _: &DecisionEntry) -> healthpass_log::Result<u64> {
        Err(healthpass_log::Error::Store("disk full".into()))
    }
}

#[test]
fn an_issuer_whose_log_cannot_append_does_not_issue() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut issuer = LoggedIssuer::new(SigningKey::from_seed(&[4; 32]), Broken);
    let err = issuer.issue(&Claims::example(now)).unwrap_err();
    assert!(matches!(err, IssueError::Append(_)), "{err:?}");
    assert_eq!(err.to_string(), "issuing: appending to the log (the code was not issued): store: disk full");

    // An officer id the entry format refuses stops issuance at the entry step.
    let mut issuer = LoggedIssuer::new(SigningKey::from_seed(&[4; 32]), log());
    let mut claims = Claims::example(now);
    claims.evidence.decisions.push(OfficerDecision { officer: "has space".into(), at: now, basis: "x".into() });
    let err = issuer.issue(&claims).unwrap_err();
    assert!(matches!(err, IssueError::Entry(_)), "{err:?}");
    assert!(err.to_string().starts_with("issuing: building the decision entry"), "{err}");
    assert_eq!(issuer.sink_mut().size(), 0);
}

#[test]
fn add_requests_are_checked_against_the_issuer_keys() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let key = SigningKey::from_seed(&[4; 32]);
    let other = SigningKey::from_seed(&[5; 32]);
    let code = LoggedIssuer::new(SigningKey::from_seed(&[4; 32]), log()).issue(&Claims::example(now)).unwrap();
    let body = AddRequest::sign(&key, std::slice::from_ref(&code.entry)).unwrap();
    let request = AddRequest::parse(&body).unwrap();
    assert_eq!(request.verify(&[other.public_key(), key.public_key()]).unwrap(), vec![code.entry.clone()]);
    // Unknown key, flipped bit, entry of another key, truncated body.
    assert!(matches!(request.verify(&[other.public_key()]), Err(healthpass_log::Error::BadSignature(_))));
    let mut flipped = body.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert!(AddRequest::parse(&flipped).and_then(|r| r.verify(&[key.public_key()])).is_err());
    let by_other = AddRequest::sign(&other, std::slice::from_ref(&code.entry)).unwrap();
    let err = AddRequest::parse(&by_other).unwrap().verify(&[other.public_key()]).unwrap_err();
    assert!(err.to_string().contains("another key"), "{err}");
    for len in [0, 10, 95, 97] {
        let cut = &body[..len.min(body.len())];
        assert!(AddRequest::parse(cut).and_then(|r| r.verify(&[key.public_key()])).is_err(), "{len}");
    }
}

#[test]
fn require_logged_accepts_only_codes_in_the_synced_log_state() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let anchor = SigningKey::from_seed(&[1; 32]);
    let key = SigningKey::from_seed(&[4; 32]);
    let mut list = TrustList::new(1, now - TimeDelta::hours(1), now + TimeDelta::days(7));
    list.entries.push(TrustEntry::ed25519(
        &key.public_key(),
        "CN-GD",
        "CN",
        now - TimeDelta::days(1),
        TimeDelta::days(365),
    ));
    let signed = list.sign(&anchor, &Limits::DEFAULT).unwrap();
    let policy = Policy::from_json(r#"{ "accept_colours": ["green"], "require_logged": true }"#).unwrap();
    assert!(policy.to_json().contains("require_logged"));
    let mut checkpoint = Checkpoint::new(vec![anchor.public_key()], &signed, policy).unwrap();

    let mut issuer = LoggedIssuer::new(SigningKey::from_seed(&[4; 32]), log());
    let logged = issuer.issue(&Claims::example(now)).unwrap().text;
    let mut claims = Claims::example(now);
    claims.credential_id = CredentialId([1; 16]);
    let unlogged = healthpass::Issuer::new(key).issue(&claims).unwrap();
    let at = now + TimeDelta::minutes(1);

    // Nothing synced: every code refused.
    assert_eq!(checkpoint.check(&logged, at).refusal_codes(), vec!["not_logged"]);
    // Synced from the log: the logged code passes, the other does not.
    let log = issuer.sink_mut();
    let hashes: Vec<[u8; 32]> = log
        .entries(0, log.size())
        .unwrap()
        .iter()
        .map(|b| DecisionEntry::decode(b).unwrap().credential_id_hash)
        .collect();
    assert!(checkpoint.set_logged(hashes, log.size()));
    assert!(checkpoint.check(&logged, at).accepted());
    assert_eq!(checkpoint.check(&unlogged, at).refusal_codes(), vec!["not_logged"]);
    // An older (smaller) state is not taken.
    assert!(!checkpoint.set_logged([], 0));
    assert_eq!(checkpoint.logged_size(), Some(1));
    // Without the rule, unlogged codes pass as before.
    let plain = Policy::from_json(r#"{ "accept_colours": ["green"] }"#).unwrap();
    assert!(!plain.to_json().contains("require_logged"));
}
