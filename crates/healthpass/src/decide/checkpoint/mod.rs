//! The checkpoint: trust list + revocation lists + policy + clock guard → a [`Verdict`] per code.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use crate::decide::clock::ClockGuard;
use crate::decide::policy::{Policy, issuer_outside_region};
use crate::decide::state::ScannerState;
use crate::decide::verdict::{Finding, Summary, Verdict};
use crate::keys::{Kid, PublicKey};
use crate::trust::keyset::KeyFingerprint;
use crate::trust::revocation::RevocationList;
use crate::trust::{KeyAlgorithm, TrustEntry, TrustList};
use crate::verify::{UnverifiedCode, Verified, Verifier, authenticate};
use crate::{Claims, Error, Limits, Result};

mod hook;
mod lists;

/// Everything a checkpoint decides with, offline: the pinned trust anchors, the current trust
/// list, revocation lists, an acceptance policy and the anti-rollback clock guard.
///
/// [`Checkpoint::check`] turns code text and the caller's `now` into a [`Verdict`] that lists
/// every reason a code is refused. Lists only ever move forward: a trust list or revocation
/// list with a lower sequence than the one held (or than the one recorded in a restored
/// [`ScannerState`]) is refused, and a list that fails any check is not loaded at all.
/// Revocation lists are held per signer and scope: a list from one signer never replaces,
/// shadows or blocks another signer's, so the decision does not depend on load order.
///
/// Signed times move the clock guard only once they are known not to be in the future: the
/// `_at` loaders ([`Checkpoint::new_at`], [`Checkpoint::update_trust_list_at`],
/// [`Checkpoint::add_revocation_list_at`]) refuse a list signed after `now` plus the skew
/// (`signed_in_future`); the loaders without a time hold the list and let its time move the
/// guard only at a check whose `now` has reached it (until then, a held trust list signed
/// later than `now` refuses codes as `clock_rollback`; a revocation list never does).
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use healthpass::decide::{Checkpoint, Policy};
/// use healthpass::trust::{TrustEntry, TrustList};
/// use healthpass::{Claims, Issuer, Limits, SigningKey};
///
/// let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
/// let anchor = SigningKey::from_seed(&[1; 32]);
/// let issuer = SigningKey::demo();
/// let mut list = TrustList::new(1, now, now + TimeDelta::days(7));
/// list.entries.push(TrustEntry::ed25519(&issuer.public_key(), "CN-GD", "CN", now - TimeDelta::days(1), TimeDelta::days(365)));
/// let signed = list.sign(&anchor, &Limits::DEFAULT)?;
///
/// let policy = Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 48 }"#)?;
/// let mut checkpoint = Checkpoint::new(vec![anchor.public_key()], &signed, policy)?;
/// let code = Issuer::new(issuer).issue(&Claims::example(now))?;
/// let verdict = checkpoint.check(&code, now + TimeDelta::minutes(1));
/// assert!(verdict.accepted(), "{verdict}");
/// # Ok::<(), healthpass::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Checkpoint {
    anchors: Vec<PublicKey>,
    trust: TrustList,
    /// The trust list's entries by kid, with each Ed25519 key parsed once when the list loads.
    keys: KeyIndex,
    /// At most one list per signer and scope (issuer named, or none).
    revocations: Vec<RevocationList>,
    policy: Policy,
    clock: ClockGuard,
    limits: Limits,
    /// The highest list sequences seen, per signer (restored or loaded): older lists are refused.
    seen: ScannerState,
    /// The decision-log state last synced, for the policy's `require_logged`.
    logged: Option<LoggedState>,
    /// The outer crate's check of the policy's business rules (`hook.rs`).
    claims_check: Option<std::sync::Arc<dyn crate::decide::ClaimsCheck>>,
}

/// The credential id hashes a decision log held at a checkpoint size.
#[derive(Debug, Clone)]
struct LoggedState {
    hashes: HashSet<[u8; 32]>,
    size: u64,
}

/// The hash under which a decision log (`healthpass-log`) records a credential id:
/// SHA-256 of `"healthpass-log/v1/credential-id" 0x00 ‖ id`.
///
/// ```
/// use healthpass::CredentialId;
/// use healthpass::decide::logged_credential_hash;
/// let hash = logged_credential_hash(&CredentialId([7; 16]));
/// assert_eq!(hash.len(), 32);
/// ```
pub fn logged_credential_hash(id: &crate::CredentialId) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"healthpass-log/v1/credential-id");
    h.update([0]);
    h.update(id.0);
    h.finalize().into()
}

const TRUST: &str = "trust list";
const REVOCATION: &str = "revocation list";

impl Checkpoint {
    /// A checkpoint pinning `anchors`, loading the signed `trust_list`, under the default
    /// limits and a clock guard with [`Verifier::DEFAULT_SKEW`].
    ///
    /// The list's signed time is not yet known to be in the past, so it does not move the
    /// clock guard here: a check whose `now` is before it (beyond the skew) is refused
    /// `clock_rollback`, and the first check at or after it records it. A list dated far in the
    /// future therefore never leaves a guard that refuses every later code. Use
    /// [`Checkpoint::new_at`] to refuse such a list outright.
    ///
    /// # Errors
    /// The errors of [`TrustList::decode_signed`].
    pub fn new(anchors: Vec<PublicKey>, trust_list: &[u8], policy: Policy) -> Result<Self> {
        Self::with_limits(anchors, trust_list, policy, Limits::DEFAULT)
    }

    /// As [`Checkpoint::new`], refusing a trust list signed after `now` plus the skew, and
    /// recording the list's signed time in the clock guard.
    ///
    /// # Errors
    /// Those of [`Checkpoint::new`]; [`Error::SignedInFuture`].
    pub fn new_at(anchors: Vec<PublicKey>, trust_list: &[u8], policy: Policy, now: DateTime<Utc>) -> Result<Self> {
        let mut checkpoint = Self::new(anchors, trust_list, policy)?;
        checkpoint.observe_lists_at(now)?;
        Ok(checkpoint)
    }

    /// As [`Checkpoint::new`], under other limits.
    ///
    /// # Errors
    /// The errors of [`TrustList::decode_signed`].
    pub fn with_limits(anchors: Vec<PublicKey>, trust_list: &[u8], policy: Policy, limits: Limits) -> Result<Self> {
        let trust = TrustList::decode_signed(trust_list, &anchors, &limits)?;
        let clock = ClockGuard::new(Verifier::DEFAULT_SKEW);
        let keys = index(&trust);
        let seen = ScannerState::default();
        let (revocations, logged, claims_check) = (Vec::new(), None, None);
        Ok(Checkpoint { anchors, trust, keys, revocations, policy, clock, limits, seen, logged, claims_check })
    }

    /// Checks that no list held was signed after `now` plus the skew, then records their
    /// signed times in the clock guard (for lists loaded without a time).
    ///
    /// # Errors
    /// [`Error::SignedInFuture`] for the first list signed after `now` plus the skew; the
    /// guard is then unchanged.
    pub fn observe_lists_at(&mut self, now: DateTime<Utc>) -> Result<()> {
        for (what, at) in self.list_times() {
            self.clock.check_signed_time(what, at, now)?;
        }
        self.observe_held_lists(now);
        Ok(())
    }

    /// Records the signed times of held lists that are not after `now` plus the skew.
    fn observe_held_lists(&mut self, now: DateTime<Utc>) {
        let _ = self.clock.observe_at(TRUST, self.trust.issued_at, now);
        for list in &self.revocations {
            let _ = self.clock.observe_at(REVOCATION, list.issued_at, now);
        }
    }

    /// Each held list's kind and signed time.
    fn list_times(&self) -> impl Iterator<Item = (&'static str, DateTime<Utc>)> + '_ {
        std::iter::once((TRUST, self.trust.issued_at)).chain(self.revocations.iter().map(|l| (REVOCATION, l.issued_at)))
    }

    /// The state to keep until the next run: the newest signed time seen and the highest
    /// sequence of the trust list and of each signer's revocation lists (loaded or restored).
    pub fn state(&self) -> ScannerState {
        let mut state = self.seen.clone();
        state.record_trust_list(self.trust.sequence);
        for list in &self.revocations {
            if let Some(signer) = list.signer() {
                state.record_revocation(*signer, list.issuer.as_deref(), list.sequence);
            }
        }
        if let Some(newest) = self.clock.newest() {
            state.record_time(newest);
        }
        state
    }

    /// Restores the state of an earlier run ([`Checkpoint::state`]): the clock guard's newest
    /// time, and the highest list sequences, below which a list is refused from now on.
    ///
    /// # Errors
    /// [`Error::ListRollback`] if the held trust list or a held revocation list is older than
    /// the state records; nothing is restored then.
    pub fn restore_state(&mut self, state: &ScannerState) -> Result<()> {
        if let Some(floor) = state.trust_list_sequence.filter(|&floor| self.trust.sequence < floor) {
            return Err(Error::ListRollback { what: TRUST, held: floor, got: self.trust.sequence });
        }
        for list in &self.revocations {
            let floor = list.signer().and_then(|signer| state.revocation_sequence(signer, list.issuer.as_deref()));
            if let Some(floor) = floor.filter(|&floor| list.sequence < floor) {
                return Err(Error::ListRollback { what: REVOCATION, held: floor, got: list.sequence });
            }
        }
        if let Some(sequence) = state.trust_list_sequence {
            self.seen.record_trust_list(sequence);
        }
        for list in &state.revocation_lists {
            self.seen.record_revocation(list.signer, list.issuer.as_deref(), list.sequence);
        }
        if let Some(newest) = state.newest_signed_time {
            self.clock.observe(newest);
        }
        Ok(())
    }

    /// The same checkpoint with this clock guard (for example one restored from storage); the
    /// signed times already seen are kept. The guard's skew also applies to the codes' times.
    pub fn with_clock(mut self, clock: ClockGuard) -> Self {
        let seen = self.clock.newest();
        self.clock = clock;
        if let Some(seen) = seen {
            self.clock.observe(seen);
        }
        self
    }

    /// The trust list held.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// The revocation lists held: at most one per signer and scope.
    pub fn revocation_lists(&self) -> &[RevocationList] {
        &self.revocations
    }

    /// The policy applied.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The clock guard, with the newest signed time seen (persist it between runs, with the
    /// list sequences: [`Checkpoint::state`]).
    pub fn clock(&self) -> &ClockGuard {
        &self.clock
    }

    /// Decides about one code's text at `now`.
    ///
    /// In order, collecting every failure: the clock guard and the freshness of the lists
    /// (past next update beyond the policy's grace refuses; within it warns); then decoding and
    /// the signature under a trust-list key with the code's kid (if these fail, nothing more
    /// can be said); then, for the matching entry, the issuer, the key's validity at the
    /// code's issue time and its scope; the code's own times; the revocation lists; and the
    /// policy. A code whose signature and times check out moves the clock guard forward to its
    /// issue time; so do held lists' signed times once `now` has reached them.
    pub fn check(&mut self, text: &str, now: DateTime<Utc>) -> Verdict {
        self.observe_held_lists(now);
        let (mut refusals, warnings) = self.preconditions(now);
        let (claims, kid, entries) = match self.authenticate(text) {
            Ok(found) => found,
            Err(err) => {
                refusals.push(err.into());
                return Verdict::refused(refusals, warnings);
            }
        };
        // Of the entries whose key verified the signature, judge by the one the code fits best.
        let best = entries.iter().map(|e| (entry_failures(e, &claims), e.issuer.clone())).min_by_key(|(f, _)| f.len());
        let Some((best, key_issuer)) = best else {
            refusals.push(Error::BadSignature.into());
            return Verdict::refused(refusals, warnings);
        };
        let mut verdict = self.judge(&claims, (&kid, &key_issuer), best, refusals, warnings, now);
        verdict.refusals.extend(self.business_rules(&claims, now));
        verdict
    }

    /// Decides about claims whose signature was verified elsewhere: codes of other systems
    /// (EU DCC, NZCP, SHC) that an interop verifier mapped into [`Claims`] after checking their
    /// signature against this checkpoint's trust-list keys (see [`TrustList::entries_for`]).
    ///
    /// Applies everything [`Checkpoint::check`] applies after the signature: the trust-list
    /// entries with the claims' kid **and the very key that verified**
    /// ([`Verified::key_fingerprint`]: issuer, and the issuer inside the entry's region; key
    /// validity at issue time, scope), the code's
    /// times, the revocation lists, the policy, the clock guard and list freshness. A kid with
    /// no entry in the trust list is refused (`unknown_kid`), and one whose entries all hold
    /// other keys (a verifier trusting another key under the same kid) `untrusted_key`: a
    /// checkpoint trusts its list only.
    pub fn check_verified(&mut self, verified: &Verified<Claims>, now: DateTime<Utc>) -> Verdict {
        self.observe_held_lists(now);
        let (mut refusals, warnings) = self.preconditions(now);
        let kid = verified.kid();
        let mut listed = false;
        let best = self
            .indexed(kid)
            .inspect(|_| listed = true)
            .filter(|(_, at)| at.fingerprint == *verified.key_fingerprint())
            .map(|(e, _)| {
                let failures = entry_failures(e, verified).into_iter().chain(issuer_outside_region(e, verified));
                (failures.collect::<Vec<_>>(), e.issuer.clone())
            })
            .min_by_key(|(f, _)| f.len());
        let Some((best, key_issuer)) = best else {
            let err = if listed { Error::UntrustedKey(kid.to_string()) } else { Error::UnknownKid(kid.to_string()) };
            refusals.push(err.into());
            return Verdict::refused(refusals, warnings);
        };
        self.judge(verified, (kid, &key_issuer), best, refusals, warnings, now)
    }

    /// Everything after the signature: the entry's failures, the code's times (which, when
    /// good, move the clock guard), the revocation lists and the policy.
    fn judge(
        &mut self,
        claims: &Claims,
        (kid, key_issuer): (&Kid, &str),
        entry_failures: Vec<Error>,
        mut refusals: Vec<Finding>,
        warnings: Vec<Finding>,
        now: DateTime<Utc>,
    ) -> Verdict {
        refusals.extend(entry_failures.into_iter().map(Finding::from));
        let time_failures = time_failures(claims, now, self.clock.skew());
        if time_failures.is_empty() {
            self.clock.observe(claims.issued_at);
        }
        refusals.extend(time_failures.into_iter().map(Finding::from));
        for list in &self.revocations {
            refusals.extend(list.check_signed_by(claims, kid, key_issuer).into_iter().map(Finding::from));
        }
        refusals.extend(self.policy.evaluate_claims(claims, now));
        refusals.extend(self.check_logged(claims));
        Verdict { colour: Some(claims.colour), summary: Some(Summary::of(claims)), refusals, warnings }
    }

    /// Syncs the decision-log state for the policy's `require_logged`: the credential id
    /// hashes ([`logged_credential_hash`]) of every entry covered by a verified log checkpoint
    /// of `checkpoint_size` entries. The caller verifies the checkpoint and the entries (with
    /// `healthpass-log`); the core keeps no log code. A state smaller than the one held (a log
    /// rolled back, or an older sync) is not taken.
    ///
    /// Returns whether the state was taken.
    pub fn set_logged(&mut self, hashes: impl IntoIterator<Item = [u8; 32]>, checkpoint_size: u64) -> bool {
        if self.logged.as_ref().is_some_and(|held| held.size > checkpoint_size) {
            return false;
        }
        self.logged = Some(LoggedState { hashes: hashes.into_iter().collect(), size: checkpoint_size });
        true
    }

    /// The size of the decision-log checkpoint last synced, if any.
    pub fn logged_size(&self) -> Option<u64> {
        self.logged.as_ref().map(|state| state.size)
    }

    fn check_logged(&self, claims: &Claims) -> Option<Finding> {
        if !self.policy.require_logged {
            return None;
        }
        let code = crate::decide::policy::POLICY_NOT_LOGGED;
        match &self.logged {
            None => {
                Some(Finding::new(code, "no decision-log state is synced; this checkpoint accepts logged codes only"))
            }
            Some(state) if !state.hashes.contains(&logged_credential_hash(&claims.credential_id)) => {
                Some(Finding::new(
                    code,
                    format!("the code has no entry in the decision log (synced at {} entries)", state.size),
                ))
            }
            Some(_) => None,
        }
    }

    /// The limits this checkpoint reads lists and codes under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn preconditions(&self, now: DateTime<Utc>) -> (Vec<Finding>, Vec<Finding>) {
        let mut refusals = Vec::new();
        let mut warnings = Vec::new();
        // A held trust list (the anchor's) signed after `now` beyond the skew means the clock is
        // behind, for this check; its time is not recorded, so it refuses nothing once `now` has
        // reached it. A revocation list (perhaps an issuer's) never refuses codes this way.
        let mut guard = self.clock;
        guard.observe(self.trust.issued_at);
        if let Err(err) = guard.check(now) {
            refusals.push(Finding::from(err));
        }
        let grace = self.policy.stale_list_grace();
        let lists = std::iter::once(("trust list", self.trust.next_update, self.trust.check_fresh(now, grace)))
            .chain(self.revocations.iter().map(|l| ("revocation list", l.next_update, fresh(l, now, grace))));
        for (what, next_update, fresh) in lists {
            match fresh {
                Err(err) => refusals.push(Finding::from(err)),
                Ok(()) if now > next_update => warnings.push(Finding::new(
                    "list_past_next_update",
                    format!("the {what} was due for an update at {next_update}; accepted within the policy's grace"),
                )),
                Ok(()) => {}
            }
        }
        (refusals, warnings)
    }

    /// Decodes the code and finds every trust-list entry with its kid whose key verifies the
    /// signature; then decodes the claims.
    fn authenticate(&self, text: &str) -> Result<(Claims, Kid, Vec<&TrustEntry>)> {
        let code = UnverifiedCode::parse(text, &self.limits)?;
        code.check_alg()?;
        let kid = code.kid()?;
        let candidates: Vec<(&TrustEntry, Option<&PublicKey>)> = self.entries(&kid).collect();
        let signed = code.signed_bytes();
        let verify = |(entry, key): &(&TrustEntry, Option<&PublicKey>)| match (entry.algorithm, key) {
            (KeyAlgorithm::Ed25519, Some(key)) => key.verify_cofactored(&signed, code.signature()),
            (KeyAlgorithm::Ed25519, None) => Err(Error::BadSignature),
            _ => Err(Error::UnsupportedAlg("EdDSA, where the trust list fixes another algorithm for this kid".into())),
        };
        let verifying: Vec<&TrustEntry> =
            authenticate(&kid, &candidates, verify, |kid| Error::UnknownKid(kid.to_string()))?
                .into_iter()
                .map(|(entry, _)| *entry)
                .collect();
        let claims = Claims::from_cbor(code.payload(), &self.limits)?;
        Ok((claims, kid, verifying))
    }
}

/// One trust-list entry as indexed: its position, its key parsed if it is a valid Ed25519 key,
/// and its key's fingerprint.
#[derive(Debug, Clone)]
struct Indexed {
    at: usize,
    key: Option<PublicKey>,
    fingerprint: KeyFingerprint,
}

/// Trust-list entries by kid.
type KeyIndex = HashMap<Kid, Vec<Indexed>>;

fn index(trust: &TrustList) -> KeyIndex {
    let mut keys = KeyIndex::new();
    for (at, entry) in trust.entries.iter().enumerate() {
        let indexed = Indexed { at, key: entry.ed25519_key().ok(), fingerprint: KeyFingerprint::of(&entry.public_key) };
        keys.entry(entry.kid.clone()).or_default().push(indexed);
    }
    keys
}

impl Checkpoint {
    /// The trust-list entries with this kid, with their index records.
    fn indexed<'a>(&'a self, kid: &Kid) -> impl Iterator<Item = (&'a TrustEntry, &'a Indexed)> + 'a {
        self.keys
            .get(kid)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|indexed| self.trust.entries.get(indexed.at).map(|e| (e, indexed)))
    }

    /// The trust-list entries with this kid, with their parsed Ed25519 keys.
    fn entries<'a>(&'a self, kid: &Kid) -> impl Iterator<Item = (&'a TrustEntry, Option<&'a PublicKey>)> + 'a {
        self.indexed(kid).map(|(e, indexed)| (e, indexed.key.as_ref()))
    }
}

fn fresh(list: &RevocationList, now: DateTime<Utc>, grace: TimeDelta) -> Result<()> {
    if now > list.next_update.checked_add_signed(grace).unwrap_or(list.next_update) {
        return Err(Error::StaleList { what: "revocation list", next_update: list.next_update.to_rfc3339() });
    }
    Ok(())
}

/// Every way a code fails the trust-list entry whose key signed it.
fn entry_failures(entry: &TrustEntry, claims: &Claims) -> Vec<Error> {
    let mut out = Vec::new();
    if entry.issuer != claims.issuer {
        out.push(Error::IssuerMismatch);
    }
    if !entry.is_valid_at(claims.issued_at) {
        out.push(Error::KeyNotValid(claims.issued_at.to_rfc3339()));
    }
    out.extend(entry.scope.violations(claims));
    out
}

/// Every failed time check: `iat` and `nbf` not in the future, `exp` not past (with skew).
fn time_failures(claims: &Claims, now: DateTime<Utc>, skew: TimeDelta) -> Vec<Error> {
    let late = now.checked_sub_signed(skew).unwrap_or(now);
    let early = now.checked_add_signed(skew).unwrap_or(now);
    let mut out = Vec::new();
    if claims.issued_at > early {
        out.push(Error::IssuedInFuture(claims.issued_at.to_rfc3339()));
    }
    if claims.not_before > early {
        out.push(Error::NotYetValid(claims.not_before.to_rfc3339()));
    }
    if claims.expires_at < late {
        out.push(Error::Expired(claims.expires_at.to_rfc3339()));
    }
    out
}
