//! `SigningKey` and `PublicKey`: Ed25519 keys, as the core holds them.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};

use crate::convert::fixed;
use crate::errors::IntoPy;

/// An issuer's Ed25519 secret key. Its bytes are wiped from memory when it is dropped, and
/// neither `repr()` nor any method but `to_pem()` reveals them.
///
/// Make one with `SigningKey.generate()`, `SigningKey.from_pem(text)`,
/// `SigningKey.from_seed(32 bytes)` or, for demos and tests only, `SigningKey.demo()`.
#[pyclass(module = "healthpass", frozen)]
pub(crate) struct SigningKey {
    /// The key, for its public half and its PEM form.
    key: healthpass::SigningKey,
    /// A second copy of the key, owned by the issuer that signs with it.
    issuer: healthpass::Issuer,
}

impl SigningKey {
    fn wrap(key: healthpass::SigningKey) -> PyResult<Self> {
        let copy = healthpass::SigningKey::from_pem(&key.to_pem().py_err()?).py_err()?;
        Ok(SigningKey { key, issuer: healthpass::Issuer::new(copy) })
    }

    /// The issuer signing with this key.
    pub(crate) fn issuer(&self) -> &healthpass::Issuer {
        &self.issuer
    }

    /// The core's key.
    pub(crate) fn inner(&self) -> &healthpass::SigningKey {
        &self.key
    }
}

#[pymethods]
impl SigningKey {
    /// A new key from the operating system's random source.
    ///
    /// Raises KeyFormatError (code `random`) if the random source fails.
    #[classmethod]
    fn generate(_cls: &Bound<'_, PyType>) -> PyResult<Self> {
        Self::wrap(healthpass::SigningKey::generate().py_err()?)
    }

    /// The built-in demo key, the same everywhere: for demos and tests, never for real codes.
    #[classmethod]
    fn demo(_cls: &Bound<'_, PyType>) -> PyResult<Self> {
        Self::wrap(healthpass::SigningKey::demo())
    }

    /// The key with this 32-byte seed (the RFC 8032 secret key), as bytes or 64 hex digits.
    ///
    /// Raises InputError if the seed is not 32 bytes.
    #[classmethod]
    fn from_seed(_cls: &Bound<'_, PyType>, seed: &Bound<'_, PyAny>) -> PyResult<Self> {
        let seed = zeroize::Zeroizing::new(fixed::<32>(seed, "seed")?);
        Self::wrap(healthpass::SigningKey::from_seed(&seed))
    }

    /// Reads a key from a PKCS#8 PEM document (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// Raises KeyFormatError (code `key`) if the text is not an Ed25519 PKCS#8 private key.
    #[classmethod]
    fn from_pem(_cls: &Bound<'_, PyType>, pem: &str) -> PyResult<Self> {
        Self::wrap(healthpass::SigningKey::from_pem(pem).py_err()?)
    }

    /// The key as a PKCS#8 PEM document. Keep it secret: store it readable by its owner only.
    fn to_pem(&self) -> PyResult<String> {
        Ok(self.key.to_pem().py_err()?.to_string())
    }

    /// The matching public key.
    fn public_key(&self) -> PublicKey {
        PublicKey { key: self.key.public_key() }
    }

    /// The key id (16 hex digits) that every code signed with this key carries.
    #[getter]
    fn kid(&self) -> String {
        self.key.kid().to_string()
    }

    fn __repr__(&self) -> String {
        format!("SigningKey(kid='{}')", self.key.kid())
    }
}

/// An Ed25519 public key: what a verifier trusts.
///
/// Make one with `PublicKey(32 bytes or 64 hex digits)`, `PublicKey.from_pem(text)` or
/// `SigningKey.public_key()`.
#[pyclass(module = "healthpass", frozen, eq, from_py_object)]
#[derive(Clone, PartialEq)]
pub(crate) struct PublicKey {
    pub(crate) key: healthpass::PublicKey,
}

#[pymethods]
impl PublicKey {
    /// The key from its 32 raw bytes (or 64 hex digits).
    ///
    /// Raises InputError for the wrong length, KeyFormatError (code `key`) for bytes that are
    /// not an acceptable Ed25519 point.
    #[new]
    fn new(raw: &Bound<'_, PyAny>) -> PyResult<Self> {
        let raw = fixed::<32>(raw, "public key")?;
        Ok(PublicKey { key: healthpass::PublicKey::from_bytes(&raw).py_err()? })
    }

    /// Reads a key from an SPKI PEM document (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// Raises KeyFormatError (code `key`) if the text is not an Ed25519 public key.
    #[classmethod]
    fn from_pem(_cls: &Bound<'_, PyType>, pem: &str) -> PyResult<Self> {
        Ok(PublicKey { key: healthpass::PublicKey::from_pem(pem).py_err()? })
    }

    /// The key as an SPKI PEM document.
    fn to_pem(&self) -> PyResult<String> {
        self.key.to_pem().py_err()
    }

    /// The 32 raw bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.to_bytes())
    }

    /// The key id (16 hex digits) of codes signed with the matching secret key.
    #[getter]
    fn kid(&self) -> String {
        self.key.kid().to_string()
    }

    fn __repr__(&self) -> String {
        format!("PublicKey('{}')", data_encoding::HEXLOWER.encode(AsRef::<[u8]>::as_ref(&self.key.to_bytes())))
    }

    fn __hash__(&self) -> u64 {
        let bytes = self.key.to_bytes();
        let mut head = [0u8; 8];
        head.copy_from_slice(bytes.get(..8).unwrap_or(&[0; 8]));
        u64::from_le_bytes(head)
    }
}
