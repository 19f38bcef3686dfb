//! The one public error type: every variant names the step that failed.

use thiserror::Error;

/// Why a code, key or file was refused.
///
/// Each variant names the step of the pipeline that failed, so that a scanner can tell a
/// person (or a log) *where* a code went wrong. Messages never contain health data: at most a
/// key id, a time or a limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The text does not start with the expected prefix (such as `HP1:`).
    #[error("prefix: the text does not start with `{expected}`")]
    Prefix {
        /// The prefix that was expected.
        expected: &'static str,
    },
    /// The text after the prefix is not valid base45.
    #[error("base45: {0}")]
    Base45(&'static str),
    /// An input or an intermediate result is larger than the configured limit.
    #[error("{what} is too large (limit {limit})")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// The limit that applied.
        limit: usize,
    },
    /// The zlib stream is corrupt or truncated.
    #[error("decompress: {0}")]
    Decompress(&'static str),
    /// The decoded body starts with a byte that is neither a COSE_Sign1 tag nor a zlib header.
    #[error("body: starts with 0x{0:02x}, neither a COSE_Sign1 tag (0xd2) nor a zlib header (0x78)")]
    Body(u8),
    /// Malformed CBOR, or CBOR of the wrong shape, at the named step.
    #[error("{step}: malformed CBOR ({detail})")]
    Cbor {
        /// The step: `COSE_Sign1`, `protected header`, `CWT`, `claims`, ...
        step: &'static str,
        /// What was wrong, without any of the data.
        detail: String,
    },
    /// Bytes follow the end of a complete structure.
    #[error("{step}: trailing bytes after the end of the data")]
    TrailingBytes {
        /// The step at which trailing bytes were found.
        step: &'static str,
    },
    /// A CBOR map holds the same key twice.
    #[error("{step}: duplicate map key")]
    DuplicateKey {
        /// The step at which the duplicate was found.
        step: &'static str,
    },
    /// The claims are well-formed CBOR but break the claim model (missing, unknown or invalid field).
    #[error("claims: {0}")]
    Claims(String),
    /// The protected header has no `alg`; if the unprotected header has one it is not trusted.
    #[error("algorithm: no alg in the protected header{}", if *.in_unprotected { " (an alg in the unprotected header is not trusted)" } else { "" })]
    MissingAlg {
        /// Whether an `alg` was found in the unprotected header instead.
        in_unprotected: bool,
    },
    /// The algorithm is not one this verifier accepts for this format or key.
    #[error("algorithm: {0} is not accepted here")]
    UnsupportedAlg(String),
    /// The code carries no key id.
    #[error("key id: the code has no kid")]
    MissingKid,
    /// No trusted key has the code's key id.
    #[error("key id: no trusted key has kid {0}")]
    UnknownKid(String),
    /// The signature does not verify under any trusted key with the code's key id.
    #[error("signature: does not verify under any trusted key for this kid")]
    BadSignature,
    /// The code's expiry time has passed (beyond the allowed clock skew).
    #[error("expired: the code expired at {0}")]
    Expired(String),
    /// The code's not-before time has not been reached (beyond the allowed clock skew).
    #[error("not yet valid: the code is valid from {0}")]
    NotYetValid(String),
    /// The code claims to have been issued in the future (beyond the allowed clock skew).
    #[error("issued in the future: the code says it was issued at {0}")]
    IssuedInFuture(String),
    /// The code's issuer is not the issuer that the signing key belongs to.
    #[error("issuer: the code's issuer does not match the signing key's issuer")]
    IssuerMismatch,
    /// An image holds no QR code that could be decoded.
    #[error("image: no QR code found")]
    NoCode,
    /// An image could not be read.
    #[error("image: {0}")]
    Image(String),
    /// A QR code was found but could not be decoded or rendered.
    #[error("QR: {0}")]
    Qr(String),
    /// A key could not be read, parsed or written.
    #[error("key: {0}")]
    Key(String),
    /// A file could not be read or written.
    #[error("file {path}: {detail}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
    /// A random number could not be drawn from the operating system.
    #[error("random: the operating system's random source failed")]
    Random,
    /// A code was signed by a trusted key outside that key's scope (a kind, colour or region the
    /// trust list does not let the key sign), however good the signature.
    #[error("out of scope: the signing key may not sign {0}")]
    OutOfScope(String),
    /// The credential, or the key that signed it, is on a revocation list.
    #[error("revoked: {0}")]
    Revoked(String),
    /// The caller's clock is earlier, by more than the skew, than a signed time already seen.
    #[error("clock: now ({now}) is before {newest}, a signed time already seen; the clock may have been wound back")]
    ClockRollback {
        /// The time the caller gave.
        now: String,
        /// The newest signed time seen.
        newest: String,
    },
    /// A trust or revocation list is older, by sequence number, than the one already held.
    #[error("{what}: sequence {got} is lower than {held}, the sequence of the list already held")]
    ListRollback {
        /// Which kind of list.
        what: &'static str,
        /// The held list's sequence number.
        held: u64,
        /// The offered list's sequence number.
        got: u64,
    },
    /// A trust or revocation list is malformed or breaks the rules of its format.
    #[error("{what}: {detail}")]
    List {
        /// Which kind of list (and, where known, which entry).
        what: &'static str,
        /// What was wrong, without any health data.
        detail: String,
    },
    /// A signed list names a key id that is neither a pinned trust anchor nor an authorised signer.
    #[error("anchor: no pinned trust anchor or authorised signer has kid {0}")]
    UnknownAnchor(String),
    /// A list is past its next-update time by more than the grace the policy allows.
    #[error("{what}: past its next update ({next_update}) beyond the policy's grace period")]
    StaleList {
        /// Which kind of list.
        what: &'static str,
        /// When it should have been replaced.
        next_update: String,
    },
    /// An acceptance policy is malformed or contradicts itself.
    #[error("policy: {0}")]
    Policy(String),
    /// The signing key's trust-list entry was not valid when the code was issued.
    #[error("key validity: the signing key was not valid at the code's issue time {0}")]
    KeyNotValid(String),
    /// Another system's code (EU DCC, NZ COVID Pass, SMART Health Card) is malformed at the named step.
    #[error("{format} {step}: {detail}")]
    Foreign {
        /// The format: `DCC`, `NZCP` or `SHC`.
        format: &'static str,
        /// The step: `base32`, `chunks`, `JWS`, `payload`, `hcert`, ...
        step: &'static str,
        /// What was wrong, without any of the data.
        detail: String,
    },
    /// The signing certificate's extended key usage does not allow this kind of certificate.
    #[error("key usage: the signing certificate may not sign {0} certificates")]
    KeyUsage(&'static str),
    /// The code names an issuer that is not trusted.
    #[error("issuer: {0} is not a trusted issuer")]
    UntrustedIssuer(String),
    /// A scenario step refused its input: a colour rule set, a wallet file, a school report
    /// streak, a venue check or a cross-border conversion (`docs/SCENARIOS.md`).
    #[error("{step}: {detail}")]
    Scenario {
        /// The step: `rules`, `wallet`, `school`, `venue`, `conversion`, `card`.
        step: &'static str,
        /// What was wrong, without health data.
        detail: String,
    },
    /// The code's evidence (a test, vaccination, temperature reading or officer decision) is
    /// dated after the code's issue time or after now, beyond the allowed clock skew.
    #[error("evidence in the future: the code holds evidence dated {0}, after it was issued or after now")]
    EvidenceInFuture(String),
    /// A foreign code claims an issuing country (DCC `iss`, or the entry's `co` without one) other
    /// than the country of the certificate that signed it.
    #[error("issuer country: the code claims {claimed} but its signer certificate is from {certificate}")]
    IssuerCountryMismatch {
        /// The country the code claims.
        claimed: String,
        /// The signer certificate's country (subject `C`).
        certificate: String,
    },
    /// A venue poster older than one already scanned for the same venue: the newest governs.
    #[error("venue: this poster for {0} is older than one already scanned; the newest poster governs")]
    PosterSuperseded(String),
    /// A signed list (trust list or revocation list) says it was signed later than the caller's
    /// clock plus the skew: it is refused, and its time never moves the clock guard.
    #[error("{what}: signed at {at}, after the caller's clock (plus skew); refused, and the clock guard is unchanged")]
    SignedInFuture {
        /// Which kind of list.
        what: &'static str,
        /// The time the list says it was signed.
        at: String,
    },
    /// The key that verified a code is not the trust list's key for its kid (a verifier holding
    /// another key under the same kid).
    #[error("key: the key that verified the code is not a trust-list key for kid {0}")]
    UntrustedKey(String),
    /// A scanner state file is malformed, too large or inconsistent.
    #[error("scanner state: {0}")]
    ScannerState(String),
    /// A file holds a secret key and would have been replaced: no write ever overwrites one.
    #[error("file {path}: holds a secret key; refusing to overwrite it (move it away first)")]
    SecretKeyExists {
        /// The file.
        path: String,
    },
    /// A time, or a time plus a period, falls outside the range a code's times can take.
    #[error("time out of range: {0}")]
    TimeOutOfRange(String),
    /// A conformance runner found no test to run where it was pointed.
    #[error("no test files found in {path}")]
    NoTests {
        /// The folder or file given.
        path: String,
    },
}

impl Error {
    /// A short, stable, machine-readable name of the failed step, for logs, vectors and reports.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Prefix { .. } => "prefix",
            Error::Base45(_) => "base45",
            Error::TooLarge { .. } => "too_large",
            Error::Decompress(_) => "decompress",
            Error::Body(_) => "body",
            Error::Cbor { .. } => "cbor",
            Error::TrailingBytes { .. } => "trailing_bytes",
            Error::DuplicateKey { .. } => "duplicate_key",
            Error::Claims(_) => "claims",
            Error::MissingAlg { .. } => "missing_alg",
            Error::UnsupportedAlg(_) => "unsupported_alg",
            Error::MissingKid => "missing_kid",
            Error::UnknownKid(_) => "unknown_kid",
            Error::BadSignature => "bad_signature",
            Error::Expired(_) => "expired",
            Error::NotYetValid(_) => "not_yet_valid",
            Error::IssuedInFuture(_) => "issued_in_future",
            Error::IssuerMismatch => "issuer_mismatch",
            Error::NoCode => "no_code",
            Error::Image(_) => "image",
            Error::Qr(_) => "qr",
            Error::Key(_) => "key",
            Error::Io { .. } => "io",
            Error::Random => "random",
            Error::OutOfScope(_) => "out_of_scope",
            Error::Revoked(_) => "revoked",
            Error::ClockRollback { .. } => "clock_rollback",
            Error::ListRollback { .. } => "list_rollback",
            Error::List { .. } => "list",
            Error::UnknownAnchor(_) => "unknown_anchor",
            Error::StaleList { .. } => "stale_list",
            Error::Policy(_) => "policy",
            Error::KeyNotValid(_) => "key_not_valid",
            Error::Foreign { .. } => "foreign",
            Error::KeyUsage(_) => "key_usage",
            Error::UntrustedIssuer(_) => "untrusted_issuer",
            Error::Scenario { .. } => "scenario",
            Error::EvidenceInFuture(_) => "evidence_in_future",
            Error::IssuerCountryMismatch { .. } => "issuer_country_mismatch",
            Error::PosterSuperseded(_) => "poster_superseded",
            Error::SignedInFuture { .. } => "signed_in_future",
            Error::UntrustedKey(_) => "untrusted_key",
            Error::ScannerState(_) => "scanner_state",
            Error::SecretKeyExists { .. } => "secret_key_exists",
            Error::TimeOutOfRange(_) => "time_out_of_range",
            Error::NoTests { .. } => "no_tests",
        }
    }

    pub(crate) fn claims(detail: impl Into<String>) -> Self {
        Error::Claims(detail.into())
    }

    /// An I/O error on `path`, keeping the path and the kind of failure.
    pub fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Error::Io { path: path.display().to_string(), detail: err.to_string() }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
