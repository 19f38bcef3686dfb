//! A checkpoint's whole decision, offline: [`Checkpoint`] holds a signed trust list, revocation
//! lists, an acceptance [`Policy`] and the anti-rollback [`ClockGuard`], and gives a [`Verdict`]
//! that lists every reason a code is refused (`docs/TRUST.md`, `docs/POLICY.md`). Its memory
//! across runs is a [`ScannerState`].

pub(crate) mod checkpoint;
pub(crate) mod clock;
pub(crate) mod mask;
pub mod policy;
pub mod rules_hook;
pub(crate) mod state;
pub(crate) mod verdict;

pub use checkpoint::{Checkpoint, logged_credential_hash};
pub use clock::ClockGuard;
pub use mask::mask_name;
pub use policy::Policy;
pub use rules_hook::{ClaimsCheck, PolicyRules};
pub use state::{ListSequence, ScannerState};
pub use verdict::{Finding, Summary, Verdict};
