//! # healthpass for Python
//!
//! The PyO3 bindings behind the `healthpass` Python package (built with maturin from
//! `python/pyproject.toml`; `docs/PYTHON.md` is the guide): issue codes from an issuer backend,
//! render them as QR codes, verify them, scan images, and decide at a checkpoint with a trust
//! list, revocation lists and a policy.
//!
//! Everything is the core's: claims go in as the dict form of the core's `Claims` (its serde
//! form, the JSON the CLI reads), verdicts come out as the core's `Verdict` serialised with
//! serde, and every error is a `HealthpassError` whose `.code` is the core's stable
//! `Error::code`. Times are timezone-aware `datetime`s; a naive one is refused.
//!
//! Work that takes long (scanning an image, issuing or verifying a batch) releases the GIL.

mod checkpoint;
mod convert;
mod errors;
mod keys;
mod pyser;
mod trust;

use chrono::{DateTime, Utc};
use healthpass::trust::TrustedKey;
use healthpass::{Claims, CredentialId, KeySet, Limits, SubjectId};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use crate::convert::{aware, bytes_of, duration, now_or_clock, serialize};
use crate::errors::{IntoPy, input};
use crate::keys::{PublicKey, SigningKey};

/// The largest module size `render_png` draws, in pixels (a version 40 code is then 11 000
/// pixels wide).
const MAX_MODULE_PX: u32 = 64;

/// Reads claims from a dict (or JSON text) in the core's serde form.
fn claims_of(claims: &Bound<'_, PyAny>) -> PyResult<Claims> {
    convert::from_dict(claims)?.map_err(|e| errors::to_py(&healthpass::Error::Claims(e.to_string())))
}

/// Issues a code: the `HP1:` text that goes into a QR code.
///
/// `claims` is a dict in the core's claim form (`docs/FORMAT.md`; the JSON the CLI's `issue`
/// reads): `issuer`, `credential_id` (32 hex digits, see `new_credential_id()`),
/// `issued_at`, `not_before`, `expires_at` (aware datetimes or RFC 3339 text), `colour`,
/// `reasons`, `kind`, `subject` (with `id`, see `derive_subject_id()`), and optionally
/// `holder` and `evidence`. Sub-second parts of times are dropped.
///
/// Raises ClaimsError (code `claims`) for claims that break the model, DecodeError
/// (`too_large`) for claims too large for a code, InputError for a naive datetime.
#[pyfunction]
fn issue(py: Python<'_>, claims: &Bound<'_, PyAny>, key: &Bound<'_, SigningKey>) -> PyResult<String> {
    let claims = claims_of(claims)?;
    let key = key.get();
    py.detach(|| key.issuer().issue(&claims)).py_err()
}

/// Issues one code per claims dict, releasing the GIL while it signs: the batch form of
/// `issue()`, with the same errors (the first failing claims raise).
#[pyfunction]
fn issue_batch(py: Python<'_>, claims: &Bound<'_, PyAny>, key: &Bound<'_, SigningKey>) -> PyResult<Vec<String>> {
    let all = claims.try_iter()?.map(|c| claims_of(&c?)).collect::<PyResult<Vec<Claims>>>()?;
    let key = key.get();
    py.detach(|| all.iter().map(|c| key.issuer().issue(c)).collect::<healthpass::Result<Vec<_>>>()).py_err()
}

/// A fresh random credential id (32 hex digits) for the claims' `credential_id`.
///
/// Raises KeyFormatError (code `random`) if the operating system's random source fails.
#[pyfunction]
fn new_credential_id() -> PyResult<String> {
    let id = CredentialId::random().py_err()?;
    Ok(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&id.0)))
}

/// The pseudonymous subject id (32 hex digits) of an identity-document number under the
/// issuer's secret `key` (bytes): HMAC-SHA-256 of the normalised number, truncated.
///
/// `document` is a document kind of the claim model (`national_id`, `passport`, ...). Without
/// the key nobody can link the id back to the document.
///
/// Raises ClaimsError for an unknown document kind.
#[pyfunction]
fn derive_subject_id(key: &Bound<'_, PyAny>, document: &str, number: &str) -> PyResult<String> {
    let key = zeroize::Zeroizing::new(bytes_of(key)?);
    let kind = serde_json::from_value(serde_json::Value::String(document.to_owned()))
        .map_err(|e| errors::to_py(&healthpass::Error::Claims(e.to_string())))?;
    Ok(data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&SubjectId::derive(&key, kind, number).0)))
}

/// The code as a 1-bit PNG QR code (error correction M, a 4-module quiet zone),
/// `module_size` pixels per module (1 to 64).
///
/// Raises ImageError (code `qr`) if the text does not fit a QR code, InputError for a module
/// size out of range.
#[pyfunction]
#[pyo3(signature = (text, module_size = 4))]
fn render_png<'py>(py: Python<'py>, text: &str, module_size: u32) -> PyResult<Bound<'py, PyBytes>> {
    if !(1..=MAX_MODULE_PX).contains(&module_size) {
        return Err(input(format!("module_size must be 1 to {MAX_MODULE_PX}")));
    }
    let png = py.detach(|| healthpass_qr::Qr::encode(text).and_then(|qr| qr.to_png(module_size))).py_err()?;
    Ok(PyBytes::new(py, &png))
}

/// The code as an SVG document (one path, a 4-module margin, scalable).
///
/// Raises ImageError (code `qr`) if the text does not fit a QR code.
#[pyfunction]
fn render_svg(text: &str) -> PyResult<String> {
    healthpass_qr::Qr::encode(text).map(|qr| qr.to_svg()).py_err()
}

/// The text of every QR code found in an image (PNG or JPEG bytes), in the scanner's order.
///
/// Codes that were found but could not be decoded are left out; if none could be, the first
/// one's error is raised. Images are read within bounded time and memory (a larger image is
/// shrunk while decoded). Releases the GIL while it scans.
///
/// Raises ImageError: `no_code` when there is no QR code, `image` for an unreadable image,
/// `qr` for a code that cannot be decoded; DecodeError (`too_large`) for an image over the limits.
#[pyfunction]
fn scan(py: Python<'_>, image: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let bytes = bytes_of(image)?;
    let found = py.detach(|| healthpass_qr::scan(&bytes, &Limits::DEFAULT)).py_err()?;
    let mut texts = Vec::with_capacity(found.len());
    let mut first_error = None;
    for result in found {
        match result {
            Ok(text) => texts.push(text),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) if texts.is_empty() => Err(errors::to_py(&err)),
        _ => Ok(texts),
    }
}

/// A set of trusted keys from a list of `PublicKey`s or `(PublicKey, issuer)` pairs (a key
/// bound to one issuer: its codes must name that issuer).
fn key_set(keys: &Bound<'_, PyAny>) -> PyResult<KeySet> {
    let mut set = KeySet::new();
    for item in keys.try_iter()? {
        let item = item?;
        if let Ok(key) = item.cast::<PublicKey>() {
            set.add(key.get().key);
        } else if let Ok(pair) = item.cast::<PyTuple>() {
            let (key, issuer): (PublicKey, Option<String>) =
                pair.extract().map_err(|_| input("a trusted key pair is (PublicKey, issuer or None)"))?;
            set.insert(TrustedKey { key: key.key, issuer });
        } else {
            return Err(input("keys must be PublicKey objects or (PublicKey, issuer) pairs"));
        }
    }
    Ok(set)
}

/// Checks codes against trusted keys; holds the keys so that repeated calls do not read them
/// again.
///
/// `Verifier(keys, skew=timedelta(minutes=5))`: `keys` as for `verify()`, `skew` the clock
/// difference allowed on the code's times (a timedelta or seconds).
#[pyclass(module = "healthpass", frozen)]
struct Verifier {
    inner: healthpass::Verifier,
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (keys, skew = None))]
    fn new(keys: &Bound<'_, PyAny>, skew: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut inner = healthpass::Verifier::new(key_set(keys)?);
        if let Some(skew) = skew {
            inner = inner.with_skew(duration(skew)?);
        }
        Ok(Verifier { inner })
    }

    /// Verifies code text at `now` (an aware datetime; the system clock when None) and
    /// returns its claims as a dict. Raises as `verify()`.
    #[pyo3(signature = (text, now = None))]
    fn verify<'py>(&self, py: Python<'py>, text: &str, now: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let now = now_or_clock(now)?;
        let claims = self.inner.verify(text, now).py_err()?;
        serialize(py, &*claims)
    }
}

/// Verifies code text against trusted keys at `now` and returns its claims as a dict (the
/// core's claim form, times as RFC 3339 text).
///
/// `keys` is a list of `PublicKey`s, or of `(PublicKey, issuer)` pairs for keys bound to one
/// issuer; `now` an aware datetime (the system clock when None); `skew` the clock difference
/// allowed on the code's times (a timedelta or seconds, 5 minutes by default). For many codes
/// under the same keys, a `Verifier` reads the keys once.
///
/// Raises the exception of the first failed step, with its code: DecodeError (`prefix`,
/// `base45`, `too_large`, `decompress`, `body`, `cbor`, ...), SignatureError (`missing_alg`,
/// `unsupported_alg`, `missing_kid`, `unknown_kid`, `bad_signature`, `issuer_mismatch`),
/// ClaimsError (`claims`), ValidityError (`expired`, `not_yet_valid`, `issued_in_future`,
/// `evidence_in_future`).
#[pyfunction]
#[pyo3(signature = (text, keys, now = None, *, skew = None))]
fn verify<'py>(
    py: Python<'py>,
    text: &str,
    keys: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    skew: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let verifier = Verifier::new(keys, skew)?;
    verifier.verify(py, text, now)
}

/// Verifies every text under one set of keys, releasing the GIL while it works: one result
/// per text, either the claims dict or the exception that `verify()` would raise (returned,
/// not raised).
#[pyfunction]
#[pyo3(signature = (texts, keys, now = None, *, skew = None))]
fn verify_batch<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    keys: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    skew: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let verifier = Verifier::new(keys, skew)?;
    let now = now_or_clock(now)?;
    let results: Vec<_> = py.detach(|| texts.iter().map(|t| verifier.inner.verify(t, now)).collect());
    let out = PyList::empty(py);
    for result in results {
        match result {
            Ok(claims) => out.append(serialize(py, &*claims)?)?,
            Err(err) => out.append(errors::to_py(&err).into_value(py))?,
        }
    }
    Ok(out)
}

/// For BENCHMARKS.md (Python section): the mean seconds one Rust `Verifier::verify` call takes on this
/// code, over `iterations` calls, with the keys read once (the Rust side of the comparison,
/// measured in the same process as the Python calls). With `to_python`, each call's claims are
/// also made into the Python dict that `verify()` returns (and dropped): the conversion's cost
/// in a loop without the interpreter. Raises as `verify()` if the code fails.
#[pyfunction]
#[pyo3(signature = (text, keys, now, iterations = 1000, to_python = false))]
fn _bench_verify_rust(
    py: Python<'_>,
    text: &str,
    keys: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    iterations: u32,
    to_python: bool,
) -> PyResult<f64> {
    let verifier = healthpass::Verifier::new(key_set(keys)?);
    let now: DateTime<Utc> = aware(now)?;
    verifier.verify(text, now).py_err()?;
    let runs = iterations.max(1);
    let start = std::time::Instant::now();
    if to_python {
        for _ in 0..runs {
            let claims = verifier.verify(std::hint::black_box(text), now).py_err()?;
            std::hint::black_box(serialize(py, &*claims)?);
        }
    } else {
        py.detach(|| {
            for _ in 0..runs {
                // The result is used, so the call is not optimised away.
                if std::hint::black_box(verifier.verify(std::hint::black_box(text), now)).is_err() {
                    break;
                }
            }
        });
    }
    Ok(start.elapsed().as_secs_f64() / f64::from(runs))
}

/// Offline-verifiable signed health codes: the healthpass Rust core for Python.
///
/// Issue codes (`issue`, `issue_batch`, `SigningKey`), render them as QR codes (`render_png`,
/// `render_svg`), verify them (`verify`, `Verifier`), scan images (`scan`), and decide at a
/// checkpoint with a signed trust list, revocation lists and a policy (`Checkpoint`,
/// `TrustList`, `RevocationList`). Times are timezone-aware datetimes; claims, policies and
/// verdicts are dicts in the core's JSON form; errors are `HealthpassError`s whose `.code` is
/// the stable machine code. The guide is docs/PYTHON.md in the repository.
#[pymodule]
#[pyo3(name = "healthpass")]
fn healthpass_py(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PREFIX", healthpass::PREFIX)?;
    errors::register(m)?;
    m.add_class::<SigningKey>()?;
    m.add_class::<PublicKey>()?;
    m.add_class::<Verifier>()?;
    m.add_class::<checkpoint::Checkpoint>()?;
    m.add_class::<trust::TrustList>()?;
    m.add_class::<trust::RevocationList>()?;
    m.add_function(wrap_pyfunction!(issue, m)?)?;
    m.add_function(wrap_pyfunction!(issue_batch, m)?)?;
    m.add_function(wrap_pyfunction!(new_credential_id, m)?)?;
    m.add_function(wrap_pyfunction!(derive_subject_id, m)?)?;
    m.add_function(wrap_pyfunction!(render_png, m)?)?;
    m.add_function(wrap_pyfunction!(render_svg, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_bench_verify_rust, m)?)?;
    Ok(())
}
