//! DCC revocation as part of a checkpoint's decision: the checkpoint's own steps for claims
//! verified elsewhere ([`Checkpoint::check_verified`]: trust-list entry, times, its revocation
//! lists, policy, clock guard), then the DCC revocation lists as one more revocation step, so a
//! revoked DCC is refused `revoked` in the same verdict as a revoked native code.

use chrono::{DateTime, Utc};
use healthpass::decide::{Checkpoint, Finding, Verdict};
use healthpass::{Claims, Limits, Result, Verified};

use super::{Lookup, RevocationHashes, RevocationStore};
use crate::dcc::UnverifiedDcc;

/// Stable code of the warning for a Bloom filter's "maybe" without an exact entry.
pub const POSSIBLY_REVOKED: &str = "possibly_revoked_unconfirmed";

impl RevocationStore {
    /// Decides about a DCC at a checkpoint: `verified` are its claims as the DCC verifier gave
    /// them (signature checked), `code` the same DCC decoded. The checkpoint judges the claims;
    /// then, for a DCC whose signature the checkpoint's trust list vouches for, this store's
    /// lists of its kid: an exact entry adds the refusal `revoked`; a filter's unconfirmed
    /// "maybe" adds a warning, never a refusal.
    ///
    /// # Errors
    /// Those of [`RevocationHashes::of`] and [`UnverifiedDcc::kid`] (a DCC that verified has
    /// them all).
    pub fn check_at_checkpoint(
        &self,
        checkpoint: &mut Checkpoint,
        code: &UnverifiedDcc,
        verified: &Verified<Claims>,
        now: DateTime<Utc>,
    ) -> Result<Verdict> {
        let mut verdict = checkpoint.check_verified(verified, now);
        if verdict.summary.is_none() {
            // The checkpoint does not vouch for the key: nothing more to say.
            return Ok(verdict);
        }
        let hashes = RevocationHashes::of(code, &Limits::DEFAULT)?;
        match self.verify(code.kid()?.as_bytes(), &hashes) {
            Err(err) => verdict.refusals.push(Finding::from(err)),
            Ok(Lookup::Unconfirmed(hash_type)) => verdict.warnings.push(Finding::new(
                POSSIBLY_REVOKED,
                format!("a Bloom filter lists the DCC's {} hash, with no exact entry: not revoked", hash_type.name()),
            )),
            Ok(_) => {}
        }
        Ok(verdict)
    }
}
