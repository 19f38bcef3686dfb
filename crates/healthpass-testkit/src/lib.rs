//! Fixtures shared by the healthpass crates' tests, benchmarks and developer tools; not published.
//!
//! - [`cose`]: COSE_Sign1 messages built by hand (with coset), and PNG headers that claim sizes.
//! - [`trust`]: the keys, trust list and claims the trust and checkpoint tests share.
//! - [`vectors`]: every COSE message of the DCC test data, and one-byte changes of them.
//! - [`images`]: synthetic camera frames and phone photos of real codes, for the scanner.
//! - [`ed25519`]: Ed25519 signatures of every shape (torsion, non-canonical `S`, the speccheck
//!   cases) over native codes, for the batch and single verification tests.
#![allow(
    missing_docs,
    clippy::should_implement_trait,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod cose;
pub mod ed25519;
pub mod images;
pub mod trust;
pub mod vectors;
