//! `TrustList` and `RevocationList`: build and sign the lists a checkpoint loads
//! (`docs/TRUST.md`), or read and check signed ones.

use healthpass::trust::{Scope, TrustEntry};
use healthpass::{CredentialId, Kid, Limits};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};

use crate::convert::{aware, bytes_of, fixed, from_dict, serialize, to_value};
use crate::errors::{IntoPy, input, to_py};
use crate::keys::{PublicKey, SigningKey};

/// A list error (code `list`) about a draft that does not read.
fn draft_error(what: &'static str, err: &serde_json::Error) -> PyErr {
    to_py(&healthpass::Error::List { what, detail: err.to_string() })
}

/// A trust list: which keys may sign which codes, with a sequence number and update times.
///
/// Build one with `TrustList(sequence, issued_at, next_update)` and `add_key()`, or from its
/// JSON draft with `TrustList.from_dict()`; `sign(anchor)` gives the bytes a `Checkpoint`
/// loads. `TrustList.decode(bytes, anchors)` reads and checks a signed list.
#[pyclass(module = "healthpass")]
pub(crate) struct TrustList {
    inner: healthpass::TrustList,
}

#[pymethods]
impl TrustList {
    /// An empty list with this sequence, signing time and next update (aware datetimes).
    #[new]
    fn new(sequence: u64, issued_at: &Bound<'_, PyAny>, next_update: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(TrustList { inner: healthpass::TrustList::new(sequence, aware(issued_at)?, aware(next_update)?) })
    }

    /// A list from its draft (a dict or JSON text: `sequence`, `issued_at`, `next_update`,
    /// `entries`, as `docs/TRUST.md` and `healthpass trust-list` write it).
    ///
    /// Raises TrustError (code `list`) for a draft that does not read.
    #[classmethod]
    fn from_dict(_cls: &Bound<'_, PyType>, draft: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = from_dict(draft)?.map_err(|e| draft_error("trust list", &e))?;
        Ok(TrustList { inner })
    }

    /// Reads a signed list and checks it against the pinned `anchors` (PublicKeys).
    ///
    /// Raises TrustError (`list`, `unknown_anchor`) or DecodeError for a list that fails.
    #[classmethod]
    fn decode(_cls: &Bound<'_, PyType>, signed: &Bound<'_, PyAny>, anchors: Vec<PublicKey>) -> PyResult<Self> {
        let anchors: Vec<_> = anchors.into_iter().map(|a| a.key).collect();
        let inner = healthpass::TrustList::decode_signed(&bytes_of(signed)?, &anchors, &Limits::DEFAULT).py_err()?;
        Ok(TrustList { inner })
    }

    /// Adds an Ed25519 key: codes it signs must name `issuer`; `region` is the issuing
    /// authority's region (ISO 3166 code); it signs codes issued from `valid_from` until
    /// `valid_until` (aware datetimes); `scope` (a dict: `kinds`, `colours`, `regions`,
    /// `revocation`) limits what it may sign, None for anything.
    ///
    /// Raises TrustError (code `list`) for a scope that does not read.
    #[pyo3(signature = (key, issuer, region, valid_from, valid_until, scope = None))]
    fn add_key(
        &mut self,
        key: &PublicKey,
        issuer: &str,
        region: &str,
        valid_from: &Bound<'_, PyAny>,
        valid_until: &Bound<'_, PyAny>,
        scope: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut entry = TrustEntry::ed25519(&key.key, issuer, region, aware(valid_from)?, chrono::TimeDelta::zero());
        entry.valid_until = aware(valid_until)?;
        if let Some(scope) = scope.filter(|s| !s.is_none()) {
            entry.scope = serde_json::from_value::<Scope>(to_value(scope)?).map_err(|e| draft_error("scope", &e))?;
        }
        self.inner.entries.push(entry);
        Ok(())
    }

    /// The list signed by the trust `anchor` (a SigningKey): the bytes a Checkpoint loads.
    ///
    /// Raises TrustError (code `list`) for a list that breaks the rules of its format.
    fn sign<'py>(&self, py: Python<'py>, anchor: &SigningKey) -> PyResult<Bound<'py, PyBytes>> {
        let signed = self.inner.sign(anchor.inner(), &Limits::DEFAULT).py_err()?;
        Ok(PyBytes::new(py, &signed))
    }

    /// The list as its draft dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize(py, &self.inner)
    }

    /// The sequence number.
    #[getter]
    fn sequence(&self) -> u64 {
        self.inner.sequence
    }

    fn __len__(&self) -> usize {
        self.inner.entries.len()
    }

    fn __repr__(&self) -> String {
        format!("TrustList(sequence={}, entries={})", self.inner.sequence, self.inner.entries.len())
    }
}

/// A revocation list: credentials and keys withdrawn before their time.
///
/// `RevocationList(sequence, issued_at, next_update, issuer=None)`: a list signed by a trust
/// anchor may cover every issuer (`issuer=None`); one signed by an issuer's revocation key
/// must name that issuer. Add credential ids with `revoke_credentials()` and keys with
/// `revoke_key()`, then `sign(key)`.
#[pyclass(module = "healthpass")]
pub(crate) struct RevocationList {
    inner: healthpass::RevocationList,
}

#[pymethods]
impl RevocationList {
    /// An empty list (times are aware datetimes).
    #[new]
    #[pyo3(signature = (sequence, issued_at, next_update, issuer = None))]
    fn new(
        sequence: u64,
        issued_at: &Bound<'_, PyAny>,
        next_update: &Bound<'_, PyAny>,
        issuer: Option<String>,
    ) -> PyResult<Self> {
        let mut inner = healthpass::RevocationList::new(sequence, aware(issued_at)?, aware(next_update)?);
        inner.issuer = issuer;
        Ok(RevocationList { inner })
    }

    /// Revokes credentials by id (each 16 bytes or 32 hex digits, the claims'
    /// `credential_id`).
    ///
    /// Raises InputError for an id of the wrong form.
    fn revoke_credentials(&mut self, ids: &Bound<'_, PyAny>) -> PyResult<()> {
        let ids = ids
            .try_iter()?
            .map(|id| fixed::<16>(&id?, "credential id").map(CredentialId))
            .collect::<PyResult<Vec<_>>>()?;
        self.inner.revoke_credentials(&ids);
        Ok(())
    }

    /// Revokes a key (its kid: 16 hex digits or bytes) for codes issued at or after `from_`
    /// (an aware datetime).
    fn revoke_key(&mut self, kid: &Bound<'_, PyAny>, from_: &Bound<'_, PyAny>) -> PyResult<()> {
        let kid = match kid.extract::<String>() {
            Ok(text) => {
                data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).map_err(|_| input("kid: not hex"))?
            }
            Err(_) => bytes_of(kid)?,
        };
        if kid.len() > 64 {
            return Err(input("kid: 1 to 64 bytes"));
        }
        let kid = Kid::new(kid).ok_or_else(|| input("kid: 1 to 64 bytes"))?;
        self.inner.revoke_key(kid, aware(from_)?);
        Ok(())
    }

    /// The list signed by `key` (a trust anchor, or an issuer key whose trust-list scope
    /// allows revocation): the bytes `Checkpoint.add_revocation_list()` loads.
    ///
    /// Raises TrustError (code `list`) for a list that breaks the rules of its format.
    fn sign<'py>(&self, py: Python<'py>, key: &SigningKey) -> PyResult<Bound<'py, PyBytes>> {
        let signed = self.inner.sign(key.inner(), &Limits::DEFAULT).py_err()?;
        Ok(PyBytes::new(py, &signed))
    }

    /// The sequence number.
    #[getter]
    fn sequence(&self) -> u64 {
        self.inner.sequence
    }

    /// How many credentials the list revokes.
    #[getter]
    fn credential_count(&self) -> usize {
        self.inner.credential_count()
    }

    fn __repr__(&self) -> String {
        format!(
            "RevocationList(sequence={}, issuer={:?}, credentials={}, keys={})",
            self.inner.sequence,
            self.inner.issuer,
            self.inner.credential_count(),
            self.inner.keys.len()
        )
    }
}
