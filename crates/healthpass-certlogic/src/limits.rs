//! Every size, depth and count cap, with its default.
//!
//! CertLogic expressions, rules and test files are untrusted input: a rule set downloaded from a
//! gateway mirror, or a test folder from anywhere. Every recursive walk and every allocation
//! driven by such input is bounded by one of these limits, and exceeding one is an
//! [`Error::TooLarge`](crate::Error::TooLarge) naming it.

/// The caps applied while compiling, validating and evaluating expressions and loading rules.
///
/// ```
/// use healthpass_certlogic::Limits;
/// let limits = Limits { max_depth: 32, ..Limits::default() };
/// assert_eq!(limits.max_nodes, Limits::default().max_nodes);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of an expression (operations and array literals). Default 64; the
    /// published rules nest at most 14 deep.
    pub max_depth: usize,
    /// Most JSON nodes in one expression. Default 10 000; the largest published rule has under 400.
    pub max_nodes: usize,
    /// Most evaluation steps (one per expression node evaluated, including each `reduce`
    /// iteration) for one evaluation. Default 1 000 000.
    pub max_steps: usize,
    /// Deepest nesting of an array value built during evaluation. Default 64.
    pub max_value_depth: usize,
    /// Largest rule or test file, in bytes. Default 4 MiB (a test file embeds all value sets: the
    /// largest published one is under 40 KiB).
    pub max_file_bytes: usize,
    /// Most rule folders one test run visits. Default 10 000.
    pub max_rules: usize,
    /// Most test files per rule. Default 1 000.
    pub max_tests_per_rule: usize,
    /// Longest string field of a rule (identifier, version, description, affected field). Default 4 096 bytes.
    pub max_field_len: usize,
    /// Most entries of a rule's `Description` or `AffectedFields`. Default 256.
    pub max_list_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 10_000,
            max_steps: 1_000_000,
            max_value_depth: 64,
            max_file_bytes: 4 << 20,
            max_rules: 10_000,
            max_tests_per_rule: 1_000,
            max_field_len: 4_096,
            max_list_len: 256,
        }
    }
}
