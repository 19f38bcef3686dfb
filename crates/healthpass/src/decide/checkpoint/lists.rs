//! Loading and replacing the lists a checkpoint holds: a newer trust list, and a revocation
//! list per signer and issuer, each checked against rollback before it replaces the held one.

use chrono::{DateTime, Utc};

use super::{Checkpoint, REVOCATION, TRUST, index};
use crate::trust::TrustList;
use crate::trust::revocation::RevocationList;
use crate::{Error, Result};

impl Checkpoint {
    /// Replaces the trust list with a newer signed one. Its signed time moves the clock guard
    /// only at a check whose `now` has reached it (see [`Checkpoint::update_trust_list_at`]).
    ///
    /// # Errors
    /// Those of [`TrustList::decode_signed`], and of [`TrustList::check_update`] (a lower
    /// sequence than the held list or a restored state: [`Error::ListRollback`]). On any
    /// error the held list is kept.
    pub fn update_trust_list(&mut self, bytes: &[u8]) -> Result<()> {
        self.load_trust_list(bytes, None)
    }

    /// As [`Checkpoint::update_trust_list`], refusing a list signed after `now` plus the skew;
    /// an accepted list's signed time moves the clock guard.
    ///
    /// # Errors
    /// Those of [`Checkpoint::update_trust_list`]; [`Error::SignedInFuture`].
    pub fn update_trust_list_at(&mut self, bytes: &[u8], now: DateTime<Utc>) -> Result<()> {
        self.load_trust_list(bytes, Some(now))
    }

    fn load_trust_list(&mut self, bytes: &[u8], now: Option<DateTime<Utc>>) -> Result<()> {
        let offered = TrustList::decode_signed(bytes, &self.anchors, &self.limits)?;
        if let Some(now) = now {
            self.clock.check_signed_time(TRUST, offered.issued_at, now)?;
        }
        if let Some(floor) = self.seen.trust_list_sequence.filter(|&floor| offered.sequence < floor) {
            return Err(Error::ListRollback { what: TRUST, held: floor, got: offered.sequence });
        }
        self.trust.check_update(&offered)?;
        if now.is_some() {
            self.clock.observe(offered.issued_at);
        }
        self.seen.record_trust_list(offered.sequence);
        self.keys = index(&offered);
        self.trust = offered;
        Ok(())
    }

    /// Adds a signed revocation list, or replaces the held one of the same signer and scope.
    /// Lists of other signers are untouched: each signer's revocations stand. Its signed time
    /// moves the clock guard only at a check whose `now` has reached it (see
    /// [`Checkpoint::add_revocation_list_at`]).
    ///
    /// # Errors
    /// Those of [`RevocationList::decode_signed`] (checked against the anchors and the held
    /// trust list) and of [`RevocationList::check_update`]; [`Error::ListRollback`] below the
    /// sequence a restored state records for the signer. On any error nothing changes.
    pub fn add_revocation_list(&mut self, bytes: &[u8]) -> Result<()> {
        self.load_revocation_list(bytes, None)
    }

    /// As [`Checkpoint::add_revocation_list`], refusing a list signed after `now` plus the
    /// skew; an accepted list's signed time moves the clock guard.
    ///
    /// # Errors
    /// Those of [`Checkpoint::add_revocation_list`]; [`Error::SignedInFuture`].
    pub fn add_revocation_list_at(&mut self, bytes: &[u8], now: DateTime<Utc>) -> Result<()> {
        self.load_revocation_list(bytes, Some(now))
    }

    fn load_revocation_list(&mut self, bytes: &[u8], now: Option<DateTime<Utc>>) -> Result<()> {
        let offered = RevocationList::decode_signed(bytes, &self.anchors, &self.trust, &self.limits)?;
        if let Some(now) = now {
            self.clock.check_signed_time(REVOCATION, offered.issued_at, now)?;
        }
        let signer = *offered.signer().ok_or(Error::UnknownAnchor("the list's signer".into()))?;
        let issuer = offered.issuer.clone();
        let floor = self.seen.revocation_sequence(&signer, issuer.as_deref());
        if let Some(floor) = floor.filter(|&floor| offered.sequence < floor) {
            return Err(Error::ListRollback { what: REVOCATION, held: floor, got: offered.sequence });
        }
        let same_slot = |held: &&mut RevocationList| held.signer() == Some(&signer) && held.issuer == issuer;
        if let Some(held) = self.revocations.iter_mut().find(same_slot) {
            held.check_update(&offered)?;
        }
        if now.is_some() {
            self.clock.observe(offered.issued_at);
        }
        self.seen.record_revocation(signer, issuer.as_deref(), offered.sequence);
        self.revocations.retain(|held| !(held.signer() == Some(&signer) && held.issuer == issuer));
        self.revocations.push(offered);
        Ok(())
    }
}
