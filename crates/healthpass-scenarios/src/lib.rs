//! The concrete situations health codes served, each through the public API: colour rules at
//! issuance, printable cards, proxy holders' wallets, school codes, venue codes and cross-border
//! conversion. `docs/SCENARIOS.md` walks through each flow; every one has an example in
//! `examples/`.

pub mod border;
pub mod card;
pub mod explain;
pub mod poster;
pub mod rules;
pub mod school;
pub mod venue;
pub mod wallet;
