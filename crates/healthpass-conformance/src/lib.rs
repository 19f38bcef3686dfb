//! Conformance runners over the published test vectors of each format: every expectation a test
//! case sets is checked at its own stage, with the case's own clock, and reported.
//!
//! The runners read files (the vectors) but never the system clock or the network. One file per
//! purpose: `stage` (the DCC test procedure's stages), `errata` (upstream expectations known to be
//! wrong, read from `test-vectors/dcc-errata/`), `report` (outcomes and the DCC report),
//! `dcc_run` (walking a folder of DCC test files), `dcc_case` (one file's stages), `cases` (the
//! NZCP and SHC case lists).

mod cases;
mod dcc_case;
mod dcc_run;
mod errata;
mod report;
mod stage;

pub use cases::{CaseResult, CasesReport, SHC_EXAMPLE_ISSUER, run_nzcp, run_shc};
pub use dcc_run::run_dcc;
pub use report::{Check, DccReport, Outcome, PictureRate};
pub use stage::Stage;

pub mod csca;

/// Test files larger than this are refused (the largest published one is about 60 KiB).
const MAX_TEST_FILE: usize = 4 * 1024 * 1024;
