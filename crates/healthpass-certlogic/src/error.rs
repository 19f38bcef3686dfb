//! The one public error type: each variant names the step that failed.

/// Why loading, validating or evaluating a CertLogic expression or a business rule failed.
///
/// Messages name the operation or field involved and never echo health data from a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The expression is not a valid CertLogic expression (the first issue the validator found).
    #[error("invalid CertLogic expression: {message}")]
    Invalid {
        /// What is wrong, in the words of the CertLogic validator.
        message: String,
    },
    /// An input exceeds one of the [`Limits`](crate::Limits).
    #[error("{what} exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large or too deep.
        what: &'static str,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// Evaluation met a value of the wrong type for an operation (an error the specification
    /// says the evaluator throws).
    #[error("evaluation of \"{operation}\" failed: {message}")]
    Eval {
        /// The operation that failed.
        operation: &'static str,
        /// Why it failed.
        message: String,
    },
    /// A date or date-time string is not in one of the formats the specification allows, or
    /// names a day that does not exist.
    #[error("{what} is not an allowed date or date-time")]
    Date {
        /// Which operation or field held the string.
        what: &'static str,
    },
    /// A business rule does not follow the gateway's rule format.
    #[error("rule field {field}: {message}")]
    Rule {
        /// The field (`Identifier`, `ValidFrom`, `Logic`, ...).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A JSON document (rule, test, value sets, errata) could not be parsed.
    #[error("{what} is not valid JSON: {message}")]
    Json {
        /// Which document.
        what: &'static str,
        /// The parser's message (a position, never the content).
        message: String,
    },
    /// A file or directory could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The operating system's message.
        message: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn eval(operation: &'static str, message: impl Into<String>) -> Self {
        Error::Eval { operation, message: message.into() }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid { message: message.into() }
    }

    pub(crate) fn rule(field: &'static str, message: impl Into<String>) -> Self {
        Error::Rule { field, message: message.into() }
    }

    pub(crate) fn json(what: &'static str, err: &serde_json::Error) -> Self {
        Error::Json { what, message: format!("line {}, column {}", err.line(), err.column()) }
    }
}
