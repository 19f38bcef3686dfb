//! The checkpoint: trust list + revocation lists + policy + clock guard → a [`Verdict`] per code.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::clock::ClockGuard;
use super::policy::{Policy, issuer_outside_region};
use super::revocation::RevocationList;
use super::trust_list::{KeyAlgorithm, TrustEntry, TrustList};
use super::verdict::{Finding, Summary, Verdict};
use super::{UnverifiedCode, Verified, Verifier};
use crate::keys::{Kid, PublicKey};
use crate::{Claims, Error, Limits, Result, qr};

/// Everything a checkpoint decides with, offline: the pinned trust anchors, the current trust
/// list, revocation lists, an acceptance policy and the anti-rollback clock guard.
///
/// [`Checkpoint::check`] turns code text and the caller's `now` into a [`Verdict`] that lists
/// every reason a code is refused. Lists only ever move forward: a trust list or revocation
/// list with a lower sequence than the one held is refused, and a list that fails any check is
/// not loaded at all.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use healthpass::verify::{Checkpoint, Policy, TrustEntry, TrustList};
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
/// assert!(verdict.accepted, "{verdict}");
/// # Ok::<(), healthpass::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Checkpoint {
    anchors: Vec<PublicKey>,
    trust: TrustList,
    /// The trust list's entries by kid, with each Ed25519 key parsed once when the list loads.
    keys: KeyIndex,
    revocations: Vec<RevocationList>,
    policy: Policy,
    clock: ClockGuard,
    limits: Limits,
}

impl Checkpoint {
    /// A checkpoint pinning `anchors`, loading the signed `trust_list`, under the default
    /// limits and a clock guard with [`Verifier::DEFAULT_SKEW`].
    ///
    /// # Errors
    /// The errors of [`TrustList::decode_signed`].
    pub fn new(anchors: Vec<PublicKey>, trust_list: &[u8], policy: Policy) -> Result<Self> {
        Self::with_limits(anchors, trust_list, policy, Limits::DEFAULT)
    }

    /// As [`Checkpoint::new`], under other limits.
    ///
    /// # Errors
    /// The errors of [`TrustList::decode_signed`].
    pub fn with_limits(anchors: Vec<PublicKey>, trust_list: &[u8], policy: Policy, limits: Limits) -> Result<Self> {
        let trust = TrustList::decode_signed(trust_list, &anchors, &limits)?;
        let mut clock = ClockGuard::new(Verifier::DEFAULT_SKEW);
        clock.observe(trust.issued_at);
        let keys = index(&trust);
        Ok(Checkpoint { anchors, trust, keys, revocations: Vec::new(), policy, clock, limits })
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

    /// Replaces the trust list with a newer signed one.
    ///
    /// # Errors
    /// Those of [`TrustList::decode_signed`], and of [`TrustList::check_update`] (a lower
    /// sequence: [`Error::ListRollback`]). On any error the held list is kept.
    pub fn update_trust_list(&mut self, bytes: &[u8]) -> Result<()> {
        let offered = TrustList::decode_signed(bytes, &self.anchors, &self.limits)?;
        self.trust.check_update(&offered)?;
        self.clock.observe(offered.issued_at);
        self.keys = index(&offered);
        self.trust = offered;
        Ok(())
    }

    /// Adds a signed revocation list, or replaces the held one for the same issuer.
    ///
    /// # Errors
    /// Those of [`RevocationList::decode_signed`] (checked against the anchors and the held
    /// trust list) and of [`RevocationList::check_update`]. On any error nothing changes.
    pub fn add_revocation_list(&mut self, bytes: &[u8]) -> Result<()> {
        let offered = RevocationList::decode_signed(bytes, &self.anchors, &self.trust, &self.limits)?;
        match self.revocations.iter_mut().find(|held| held.issuer == offered.issuer) {
            Some(held) => {
                held.check_update(&offered)?;
                self.clock.observe(offered.issued_at);
                *held = offered;
            }
            None => {
                self.clock.observe(offered.issued_at);
                self.revocations.push(offered);
            }
        }
        Ok(())
    }

    /// The trust list held.
    pub fn trust_list(&self) -> &TrustList {
        &self.trust
    }

    /// The revocation lists held.
    pub fn revocation_lists(&self) -> &[RevocationList] {
        &self.revocations
    }

    /// The policy applied.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The clock guard, with the newest signed time seen (persist it between runs).
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
    /// issue time.
    pub fn check(&mut self, text: &str, now: DateTime<Utc>) -> Verdict {
        let (mut refusals, warnings) = self.preconditions(now);
        let (claims, kid, entries) = match self.authenticate(text) {
            Ok(found) => found,
            Err(err) => {
                refusals.push(err.into());
                return Verdict::refused(refusals, warnings);
            }
        };
        // Of the entries whose key verified the signature, judge by the one the code fits best.
        let best = entries.iter().map(|entry| entry_failures(entry, &claims)).min_by_key(Vec::len).unwrap_or_default();
        self.judge(&claims, &kid, best, refusals, warnings, now)
    }

    /// Decides about claims whose signature was verified elsewhere: codes of other systems
    /// (EU DCC, NZCP, SHC) that an interop verifier mapped into [`Claims`] after checking their
    /// signature against this checkpoint's trust-list keys (see [`TrustList::entries_for`]).
    ///
    /// Applies everything [`Checkpoint::check`] applies after the signature: the trust-list
    /// entries with the claims' kid (issuer, and the issuer inside the entry's region; key
    /// validity at issue time, scope), the code's
    /// times, the revocation lists, the policy, the clock guard and list freshness. A kid with
    /// no entry in the trust list is refused (`unknown_kid`): a checkpoint trusts its list only.
    ///
    /// What is **not** known here is which of several entries sharing the kid holds the key
    /// that verified; the code is judged by the entry it fits best. Where kids may collide
    /// across keys of different scope, give each key its own kid.
    pub fn check_verified(&mut self, verified: &Verified<Claims>, now: DateTime<Utc>) -> Verdict {
        let (mut refusals, warnings) = self.preconditions(now);
        let kid = verified.kid();
        let best = self
            .entries(kid)
            .map(|(e, _)| entry_failures(e, verified).into_iter().chain(issuer_outside_region(e, verified)).collect())
            .min_by_key(Vec::len);
        let Some(best) = best else {
            refusals.push(Error::UnknownKid(kid.to_string()).into());
            return Verdict::refused(refusals, warnings);
        };
        self.judge(verified, kid, best, refusals, warnings, now)
    }

    /// Everything after the signature: the entry's failures, the code's times (which, when
    /// good, move the clock guard), the revocation lists and the policy.
    fn judge(
        &mut self,
        claims: &Claims,
        kid: &Kid,
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
            refusals.extend(list.check(claims, kid).into_iter().map(Finding::from));
        }
        refusals.extend(self.policy.evaluate_claims(claims, now));
        Verdict {
            accepted: refusals.is_empty(),
            colour: Some(claims.colour),
            summary: Some(Summary::of(claims)),
            refusals,
            warnings,
        }
    }

    /// Decides about every QR code in an image (PNG or JPEG bytes): one verdict per code found,
    /// or a single refusal saying why the image could not be read.
    pub fn check_image(&mut self, image: &[u8], now: DateTime<Utc>) -> Vec<Verdict> {
        match qr::scan(image, &self.limits) {
            Ok(texts) => texts
                .into_iter()
                .map(|text| match text {
                    Ok(text) => self.check(&text, now),
                    Err(err) => Verdict::refused(vec![err.into()], Vec::new()),
                })
                .collect(),
            Err(err) => vec![Verdict::refused(vec![err.into()], Vec::new())],
        }
    }

    fn preconditions(&self, now: DateTime<Utc>) -> (Vec<Finding>, Vec<Finding>) {
        let mut refusals = Vec::new();
        let mut warnings = Vec::new();
        if let Err(err) = self.clock.check(now) {
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
        if candidates.is_empty() {
            return Err(Error::UnknownKid(kid.to_string()));
        }
        if candidates.iter().all(|(e, _)| e.algorithm != KeyAlgorithm::Ed25519) {
            return Err(Error::UnsupportedAlg(
                "EdDSA, where the trust list fixes another algorithm for this kid".into(),
            ));
        }
        let signed = code.signed_bytes();
        let verifying: Vec<&TrustEntry> = candidates
            .into_iter()
            .filter(|(_, key)| key.is_some_and(|k| k.verify_cofactored(&signed, code.signature()).is_ok()))
            .map(|(e, _)| e)
            .collect();
        if verifying.is_empty() {
            return Err(Error::BadSignature);
        }
        let claims = Claims::from_cbor(code.payload(), &self.limits)?;
        Ok((claims, kid, verifying))
    }
}

/// Trust-list entries by kid: each entry's index, with its key parsed if it is a valid Ed25519 key.
type KeyIndex = HashMap<Kid, Vec<(usize, Option<PublicKey>)>>;

fn index(trust: &TrustList) -> KeyIndex {
    let mut keys = KeyIndex::new();
    for (i, entry) in trust.entries.iter().enumerate() {
        keys.entry(entry.kid.clone()).or_default().push((i, entry.ed25519_key().ok()));
    }
    keys
}

impl Checkpoint {
    /// The trust-list entries with this kid, with their parsed Ed25519 keys.
    fn entries<'a>(&'a self, kid: &Kid) -> impl Iterator<Item = (&'a TrustEntry, Option<&'a PublicKey>)> + 'a {
        self.keys
            .get(kid)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|(i, key)| self.trust.entries.get(*i).map(|e| (e, key.as_ref())))
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
