//! The whole checkpoint: a code judged against a trust list, revocation lists and a policy, all
//! from the input, at a time from the input. Never panics, and:
//! - the clock guard is never moved past `now` plus the skew by anything signed (a list or a
//!   code dated in the future is refused, and never poisons the guard);
//! - the verdict is the same whatever order the revocation lists are loaded in (unless one
//!   signer equivocates: two different lists of the same sequence, where the first held wins);
//! - an accepted verdict is one that the public parts agree with, checked one by one outside
//!   the checkpoint: a trust-list key with the code's kid verifies it (through [`Verifier`], with
//!   the checkpoint's skew), that entry names the code's issuer, was valid when the code was
//!   issued and has it in scope, no held revocation list refuses it, the policy finds nothing,
//!   no evidence is dated after the code's issue time or now, a venue code is accepted only
//!   where the policy names venues, and the trust list is fresh.
//!
//! Input: 4 bytes, seconds after 2026-11-23T09:00Z (signed, big-endian) for `now`; then three
//! sections, each a 2-byte big-endian length and that many bytes (fewer if the input ends):
//! the signed trust list (anchor: the key of `test-vectors/trust`; empty: a built-in list
//! trusting the demo key for `CN-GD`, any scope), the revocation lists (each again a 2-byte
//! length and the list) and the policy JSON (empty: [`Policy::permissive`]); the rest is the
//! code's text (lossy UTF-8).
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::decide::{Checkpoint, Policy, Verdict};
use healthpass::trust::{KindName, RevocationList, TrustEntry, TrustList};
use healthpass::{KeySet, Limits, PublicKey, SigningKey, UnverifiedCode, Verifier};
use libfuzzer_sys::fuzz_target;

/// The anchor of test-vectors/trust, derived once.
static ANCHOR: LazyLock<PublicKey> = LazyLock::new(|| SigningKey::from_seed(&[0xa1; 32]).public_key());

/// The time the seeds are issued at (examples/fuzz_seeds.rs); `now` is an offset from it.
fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default()
}

/// The trust list used when the input's trust-list section is empty, signed by the anchor:
/// the demo key for `CN-GD`, any scope, issued a day before the base time and due a week after.
static BUILT_IN_LIST: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let anchor = SigningKey::from_seed(&[0xa1; 32]);
    let issued = base() - TimeDelta::days(1);
    let mut list = TrustList::new(1, issued, issued + TimeDelta::days(8));
    let demo = SigningKey::demo().public_key();
    list.entries.push(TrustEntry::ed25519(&demo, "CN-GD", "CN", issued - TimeDelta::days(30), TimeDelta::days(400)));
    list.sign(&anchor, &Limits::DEFAULT).unwrap_or_default()
});

/// The checkpoint on the built-in list with the permissive policy, loaded once (cloning it
/// spares an input with neither a list nor a policy the anchor's signature check).
static BUILT_IN: LazyLock<Option<Checkpoint>> =
    LazyLock::new(|| Checkpoint::new(vec![*ANCHOR], &BUILT_IN_LIST, Policy::permissive()).ok());

/// Splits off a section: a 2-byte big-endian length and that many bytes (or what is left).
fn section(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((len, rest)) = data.split_first_chunk::<2>() else { return (&[], &[]) };
    rest.split_at(usize::from(u16::from_be_bytes(*len)).min(rest.len()))
}

fuzz_target!(|data: &[u8]| {
    let Some((offset, data)) = data.split_first_chunk::<4>() else { return };
    let Some(now) = base().checked_add_signed(TimeDelta::seconds(i64::from(i32::from_be_bytes(*offset)))) else {
        return;
    };
    let (trust, data) = section(data);
    let (mut revocations, data) = section(data);
    let (policy, text) = section(data);
    let text = String::from_utf8_lossy(text);

    let checkpoint = match (trust.is_empty(), policy.is_empty()) {
        (true, true) => BUILT_IN.clone(),
        (list_empty, _) => {
            let trust = if list_empty { BUILT_IN_LIST.as_slice() } else { trust };
            let policy = if policy.is_empty() {
                Some(Policy::permissive())
            } else {
                Policy::from_json(&String::from_utf8_lossy(policy)).ok()
            };
            policy.and_then(|policy| Checkpoint::new_at(vec![*ANCHOR], trust, policy, now).ok())
        }
    };
    let Some(mut checkpoint) = checkpoint else { return };
    let skew = checkpoint.clock().skew();
    let mut lists = Vec::new();
    while !revocations.is_empty() {
        let (list, rest) = section(revocations);
        lists.push(list);
        revocations = rest;
    }
    let mut reversed = checkpoint.clone();
    for list in &lists {
        let _ = checkpoint.add_revocation_list_at(list, now);
    }
    for list in lists.iter().rev() {
        let _ = reversed.add_revocation_list_at(list, now);
    }
    let unpoisoned = |c: &Checkpoint| c.clock().newest().is_none_or(|newest| newest <= now + skew);
    assert!(unpoisoned(&checkpoint), "a signed time after now moved the clock guard");

    let verdict = checkpoint.check(&text, now);
    let _ = verdict.to_string();
    assert_eq!(verdict.accepted(), verdict.refusals.is_empty());
    assert!(unpoisoned(&checkpoint), "a code from the future moved the clock guard");
    if !equivocates(&lists, checkpoint.trust_list()) {
        let other = reversed.check(&text, now);
        assert_eq!(codes(&verdict), codes(&other), "the verdict depends on the order the lists were loaded in");
    }
    if !verdict.accepted() {
        return;
    }

    // Accepted: every part must agree, checked here without the checkpoint's own code path.
    let code = UnverifiedCode::parse(&text, &Limits::DEFAULT).expect("an accepted code parses");
    let kid = code.kid().expect("an accepted code has a kid");
    let trusted = checkpoint.trust_list();
    let accepted_by = trusted.entries_for(&kid).find_map(|entry| {
        let key = entry.ed25519_key().ok()?;
        let verified = Verifier::new([key].into_iter().collect::<KeySet>()).with_skew(skew).verify(&text, now).ok()?;
        Some((entry, verified))
    });
    let (entry, verified) = accepted_by.expect("an accepted code verifies under a trust-list key with its kid");
    assert_eq!(verdict.colour, Some(verified.colour));
    assert_eq!(entry.issuer, verified.issuer);
    assert!(entry.is_valid_at(verified.issued_at));
    assert!(entry.scope.violations(&verified).is_empty());
    for list in checkpoint.revocation_lists() {
        assert!(list.check(&verified, &kid).is_empty(), "accepted a revoked code");
        assert!(list.issued_at <= now + skew, "holds a list signed in the future");
    }
    assert!(checkpoint.policy().evaluate(&verified, now).is_empty(), "accepted against the policy");
    assert!(verified.check_evidence_times(now, skew).is_ok(), "accepted evidence from the future");
    let venues = checkpoint.policy().accept_kinds.as_ref().is_some_and(|k| k.contains(&KindName::Venue));
    assert!(venues || KindName::of(&verified.kind) != KindName::Venue, "accepted a venue code as a person's");
    assert!(trusted.check_fresh(now, checkpoint.policy().stale_list_grace()).is_ok());
});

/// The refusal codes of a verdict, sorted (lists loaded in another order list them in another order).
fn codes(verdict: &Verdict) -> (bool, Vec<&'static str>) {
    let mut codes = verdict.refusal_codes();
    codes.sort_unstable();
    (verdict.accepted(), codes)
}

/// Whether two of the lists come from one signer for one scope with one sequence but differ:
/// then whichever is loaded first is held, and the order matters by design.
fn equivocates(lists: &[&[u8]], trust: &TrustList) -> bool {
    let decoded: Vec<RevocationList> = lists
        .iter()
        .filter_map(|bytes| RevocationList::decode_signed(bytes, &[*ANCHOR], trust, &Limits::DEFAULT).ok())
        .collect();
    decoded.iter().enumerate().any(|(i, a)| {
        decoded.iter().skip(i + 1).any(|b| {
            a.signer() == b.signer() && a.issuer == b.issuer && a.sequence == b.sequence && a != b
        })
    })
}
