//! The exceptions: one base, [`HealthpassError`], whose instances carry the core's stable code
//! in `.code`, and one subclass per step of the pipeline.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    healthpass,
    HealthpassError,
    PyException,
    "Base of every healthpass error. `.code` is the stable machine code (the core's `Error::code`, such as `bad_signature` or `expired`); `str(err)` is a sentence without health data."
);
create_exception!(
    healthpass,
    DecodeError,
    HealthpassError,
    "The code's text or bytes could not be decoded: prefix, base45, too_large, decompress, body, cbor, trailing_bytes, duplicate_key, foreign."
);
create_exception!(
    healthpass,
    ClaimsError,
    HealthpassError,
    "The claims break the claim model (code `claims`): a missing, unknown or invalid field."
);
create_exception!(
    healthpass,
    SignatureError,
    HealthpassError,
    "The signature or the key behind it was refused: missing_alg, unsupported_alg, missing_kid, unknown_kid, bad_signature, issuer_mismatch, untrusted_key, untrusted_issuer, key_usage, issuer_country_mismatch."
);
create_exception!(
    healthpass,
    ValidityError,
    HealthpassError,
    "A time check failed: expired, not_yet_valid, issued_in_future, evidence_in_future, key_not_valid, time_out_of_range."
);
create_exception!(
    healthpass,
    KeyFormatError,
    HealthpassError,
    "A key could not be read, parsed or made: key, random, secret_key_exists."
);
create_exception!(
    healthpass,
    ImageError,
    HealthpassError,
    "An image could not be read, held no QR code, or a QR code could not be rendered: image, no_code, qr."
);
create_exception!(
    healthpass,
    TrustError,
    HealthpassError,
    "A trust list, revocation list or scanner state was refused: list, list_rollback, unknown_anchor, stale_list, signed_in_future, clock_rollback, scanner_state, out_of_scope, revoked."
);
create_exception!(
    healthpass,
    PolicyError,
    HealthpassError,
    "An acceptance policy is malformed or contradicts itself (code `policy`)."
);
create_exception!(
    healthpass,
    InputError,
    HealthpassError,
    "A Python argument the binding cannot take (code `input`): a naive datetime, a value that is not JSON-like, bad hex, a size out of range."
);

/// The code of errors the binding itself raises about its Python arguments.
pub(crate) const INPUT: &str = "input";

/// The Python exception for a core error: the subclass of its step, with `.code` set.
pub(crate) fn to_py(err: &healthpass::Error) -> PyErr {
    let code = err.code();
    let message = err.to_string();
    let py_err = match code {
        "prefix" | "base45" | "too_large" | "decompress" | "body" | "cbor" | "trailing_bytes" | "duplicate_key"
        | "foreign" => DecodeError::new_err(message),
        "claims" => ClaimsError::new_err(message),
        "missing_alg"
        | "unsupported_alg"
        | "missing_kid"
        | "unknown_kid"
        | "bad_signature"
        | "issuer_mismatch"
        | "untrusted_key"
        | "untrusted_issuer"
        | "key_usage"
        | "issuer_country_mismatch" => SignatureError::new_err(message),
        "expired" | "not_yet_valid" | "issued_in_future" | "evidence_in_future" | "key_not_valid"
        | "time_out_of_range" => ValidityError::new_err(message),
        "key" | "random" | "secret_key_exists" => KeyFormatError::new_err(message),
        "image" | "no_code" | "qr" => ImageError::new_err(message),
        "list" | "list_rollback" | "unknown_anchor" | "stale_list" | "signed_in_future" | "clock_rollback"
        | "scanner_state" | "out_of_scope" | "revoked" => TrustError::new_err(message),
        "policy" => PolicyError::new_err(message),
        _ => HealthpassError::new_err(message),
    };
    with_code(py_err, code)
}

/// An [`InputError`] with this message.
pub(crate) fn input(message: impl Into<String>) -> PyErr {
    with_code(InputError::new_err(message.into()), INPUT)
}

/// Sets `.code` on the exception instance.
fn with_code(err: PyErr, code: &'static str) -> PyErr {
    Python::attach(|py| {
        // Setting an attribute on a fresh exception instance only fails on memory exhaustion;
        // the exception is raised either way.
        let _ = err.value(py).setattr("code", code);
    });
    err
}

/// Adds the exception classes to the module, each with a class-level `code` default.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes = [
        ("HealthpassError", py.get_type::<HealthpassError>(), "error"),
        ("DecodeError", py.get_type::<DecodeError>(), "decode"),
        ("ClaimsError", py.get_type::<ClaimsError>(), "claims"),
        ("SignatureError", py.get_type::<SignatureError>(), "signature"),
        ("ValidityError", py.get_type::<ValidityError>(), "validity"),
        ("KeyFormatError", py.get_type::<KeyFormatError>(), "key"),
        ("ImageError", py.get_type::<ImageError>(), "image"),
        ("TrustError", py.get_type::<TrustError>(), "list"),
        ("PolicyError", py.get_type::<PolicyError>(), "policy"),
        ("InputError", py.get_type::<InputError>(), INPUT),
    ];
    for (name, class, code) in classes {
        class.setattr("code", code)?;
        m.add(name, class)?;
    }
    Ok(())
}

/// `Result<T, healthpass::Error>` into `PyResult<T>`.
pub(crate) trait IntoPy<T> {
    /// The value, or the Python exception for the error.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for healthpass::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}
