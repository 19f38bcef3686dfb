//! `Checkpoint`: the core's checkpoint (trust list, revocation lists, policy, clock guard),
//! giving the core's `Verdict` as a dict.

use healthpass::decide::{ClockGuard, Policy, ScannerState};
use healthpass_qr::CheckImage;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{bytes_of, duration, json_text, now_or_clock, serialize};
use crate::errors::{IntoPy, input};
use crate::keys::PublicKey;

/// Everything a checkpoint decides with, offline: pinned trust anchors, a signed trust list,
/// revocation lists, an acceptance policy and an anti-rollback clock guard.
///
/// `Checkpoint(anchors, trust_list, policy=None, now=None, *, skew=timedelta(minutes=5))`:
///
/// - `anchors`: the pinned `PublicKey`s that sign trust lists;
/// - `trust_list`: the signed trust list (bytes, as `TrustList.sign()` or
///   `healthpass trust-list sign` writes it);
/// - `policy`: the acceptance policy as a dict or JSON text (`docs/POLICY.md`); None accepts
///   what `Policy::permissive()` accepts (codes about people, any colour);
/// - `now`: when given (an aware datetime), a trust list signed after `now` plus the skew is
///   refused (TrustError `signed_in_future`) and the list's signed time moves the clock guard;
///   when None the list's time moves the guard only at a check whose `now` has reached it;
/// - `skew`: the clock difference allowed (a timedelta or seconds).
///
/// `check(text, now)` returns the verdict dict: `accepted`, `colour`, `summary`, `refusals`
/// and `warnings` (each finding a dict of `code` and `message`), exactly the core's `Verdict`
/// serialised (the CLI's `--json`).
///
/// Raises TrustError (`list`, `unknown_anchor`, `signed_in_future`, ...) or DecodeError for a
/// trust list that fails its checks, PolicyError for a bad policy.
#[pyclass(module = "healthpass")]
pub(crate) struct Checkpoint {
    inner: healthpass::Checkpoint,
}

fn policy_of(policy: Option<&Bound<'_, PyAny>>) -> PyResult<Policy> {
    match policy {
        None => Ok(Policy::permissive()),
        Some(p) if p.is_none() => Ok(Policy::permissive()),
        Some(p) => Policy::from_json(&json_text(p)?).py_err(),
    }
}

#[pymethods]
impl Checkpoint {
    #[new]
    #[pyo3(signature = (anchors, trust_list, policy = None, now = None, *, skew = None))]
    fn new(
        anchors: Vec<PublicKey>,
        trust_list: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        skew: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let anchors = anchors.into_iter().map(|a| a.key).collect();
        let list = bytes_of(trust_list)?;
        let policy = policy_of(policy)?;
        let mut inner = healthpass::Checkpoint::new(anchors, &list, policy).py_err()?;
        if let Some(skew) = skew {
            let skew = duration(skew)?;
            if skew < chrono::TimeDelta::zero() {
                return Err(input("skew must not be negative"));
            }
            inner = inner.with_clock(ClockGuard::new(skew));
        }
        if let Some(now) = now {
            inner.observe_lists_at(now_or_clock(Some(now))?).py_err()?;
        }
        Ok(Checkpoint { inner })
    }

    /// Adds a signed revocation list (bytes), or replaces the held one of the same signer and
    /// scope. With `now` (an aware datetime), a list signed after `now` plus the skew is
    /// refused and an accepted list's signed time moves the clock guard.
    ///
    /// Raises TrustError (`list`, `unknown_anchor`, `list_rollback`, `signed_in_future`) or
    /// DecodeError; on any error nothing changes.
    #[pyo3(signature = (revocation_list, now = None))]
    fn add_revocation_list(
        &mut self,
        revocation_list: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let bytes = bytes_of(revocation_list)?;
        match now {
            Some(now) => self.inner.add_revocation_list_at(&bytes, now_or_clock(Some(now))?),
            None => self.inner.add_revocation_list(&bytes),
        }
        .py_err()
    }

    /// Replaces the trust list with a newer signed one (bytes); `now` as for
    /// `add_revocation_list`.
    ///
    /// Raises TrustError (`list_rollback` for a lower sequence, ...); the held list is kept.
    #[pyo3(signature = (trust_list, now = None))]
    fn update_trust_list(&mut self, trust_list: &Bound<'_, PyAny>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let bytes = bytes_of(trust_list)?;
        match now {
            Some(now) => self.inner.update_trust_list_at(&bytes, now_or_clock(Some(now))?),
            None => self.inner.update_trust_list(&bytes),
        }
        .py_err()
    }

    /// Decides about one code's text at `now` (an aware datetime; the system clock when None)
    /// and returns the verdict dict. Never raises for a bad code: every reason it is refused is
    /// in `refusals`, each with its stable code.
    #[pyo3(signature = (text, now = None))]
    fn check<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = now_or_clock(now)?;
        serialize(py, &self.inner.check(text, now))
    }

    /// Decides about every QR code in an image (PNG or JPEG bytes): one verdict dict per code
    /// found, or a single refused verdict saying why the image could not be read (`no_code`,
    /// `image`, `too_large`). Releases the GIL while it scans.
    #[pyo3(signature = (image, now = None))]
    fn check_image<'py>(
        &mut self,
        py: Python<'py>,
        image: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let now = now_or_clock(now)?;
        let bytes = bytes_of(image)?;
        let inner = &mut self.inner;
        let verdicts = py.detach(|| inner.check_image(&bytes, now));
        let out = PyList::empty(py);
        for verdict in &verdicts {
            out.append(serialize(py, verdict)?)?;
        }
        Ok(out)
    }

    /// The state to keep until the next run, as a dict (the core's `ScannerState`: `version`,
    /// `newest_signed_time`, `trust_list_sequence`, `revocation_lists`). Store it (for example
    /// as JSON) and give it to `restore_state()` after a restart, so that neither a wound-back
    /// clock nor an older list is accepted.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize(py, &self.inner.state())
    }

    /// Restores the state of an earlier run (a dict or JSON text from `state()`).
    ///
    /// Raises TrustError: `scanner_state` for a malformed state, `list_rollback` if a held list
    /// is older than the state records (nothing is restored then).
    fn restore_state(&mut self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let state = ScannerState::from_json(json_text(state)?.as_bytes()).py_err()?;
        self.inner.restore_state(&state).py_err()
    }

    /// The policy applied, as a dict (`docs/POLICY.md`).
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize(py, self.inner.policy())
    }

    /// The trust list held, as a dict (its draft form: `sequence`, `issued_at`, `next_update`,
    /// `entries`).
    #[getter]
    fn trust_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize(py, self.inner.trust_list())
    }

    /// How many revocation lists are held (at most one per signer and scope).
    #[getter]
    fn revocation_list_count(&self) -> usize {
        self.inner.revocation_lists().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Checkpoint(trust_list_sequence={}, revocation_lists={})",
            self.inner.trust_list().sequence,
            self.inner.revocation_lists().len()
        )
    }
}
