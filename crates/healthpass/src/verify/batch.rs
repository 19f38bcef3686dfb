//! Batch verification: many codes, one multi-scalar signature check.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use curve25519_dalek::edwards::EdwardsPoint;

use crate::keys::Kid;
use crate::trust::TrustedKey;
use crate::verify::UnverifiedCode;
use crate::verify::Verified;
use crate::verify::Verifier;
use crate::verify::signature::{self, Prepared};
use crate::{Claims, Error, Result};

/// A code whose structure, algorithm, kid and signature encodings have passed, waiting for its
/// signature equation.
struct Pending<'a> {
    index: usize,
    code: UnverifiedCode,
    kid: Kid,
    key: &'a TrustedKey,
}

/// The distinct keys of a batch, each as a curve point, found by their raw bytes.
#[derive(Default)]
struct BatchKeys {
    index: HashMap<[u8; 32], usize>,
    points: Vec<EdwardsPoint>,
}

impl BatchKeys {
    /// The index of `key`, adding it the first time it is seen.
    fn index_of(&mut self, key: &crate::PublicKey) -> usize {
        let points = &mut self.points;
        *self.index.entry(key.to_bytes()).or_insert_with(|| {
            points.push(key.point());
            points.len() - 1
        })
    }
}

impl Verifier {
    /// Verifies many codes at once: one result per text, in order, exactly as
    /// [`Verifier::verify`] would give for each.
    ///
    /// Both decide a signature by the same cofactored rule
    /// ([`PublicKey::verify_cofactored`](crate::PublicKey::verify_cofactored), `docs/FORMAT.md`
    /// §3), so they agree on every input. The signatures of all codes whose kid names exactly one
    /// trusted key are checked together in one multi-scalar equation with random weights, with
    /// one term per distinct key (about 2.5 to 3 times the throughput of single checks from 64
    /// codes on). If the batch fails, it is split in halves until each bad code is found, so a
    /// bad code gets its own error and never spoils the others. Codes whose kid names several
    /// keys are checked one by one.
    pub fn verify_batch(&self, texts: &[&str], now: DateTime<Utc>) -> Vec<Result<Verified<Claims>>> {
        let mut results: Vec<Option<Result<Verified<Claims>>>> = Vec::with_capacity(texts.len());
        let mut pending = Vec::with_capacity(texts.len());
        let mut equations = Vec::with_capacity(texts.len());
        let mut keys = BatchKeys::default();
        for (index, text) in texts.iter().enumerate() {
            match self.prepare(index, text, &mut keys) {
                Ok(Some((p, equation))) => {
                    pending.push(p);
                    equations.push(equation);
                    results.push(None);
                }
                Ok(None) => results.push(Some(self.verify(text, now))),
                Err(e) => results.push(Some(Err(e))),
            }
        }
        let mut good = vec![false; pending.len()];
        settle(&equations, &keys.points, &mut good);
        for (p, ok) in pending.into_iter().zip(good) {
            let result = if ok { self.finish(&p.code, &[p.key], p.kid, now) } else { Err(Error::BadSignature) };
            if let Some(slot) = results.get_mut(p.index) {
                *slot = Some(result);
            }
        }
        results.into_iter().map(|r| r.unwrap_or(Err(Error::BadSignature))).collect()
    }

    /// Parses a code for the batch and checks its signature's encodings; `Ok(None)` sends it
    /// down the single path.
    fn prepare<'a>(
        &'a self,
        index: usize,
        text: &str,
        keys: &mut BatchKeys,
    ) -> Result<Option<(Pending<'a>, (usize, Prepared))>> {
        let code = UnverifiedCode::parse(text, &self.limits)?;
        let (kid, candidates) = self.candidates(&code)?;
        let [key] = candidates else { return Ok(None) };
        let equation = signature::prepare(&key.key.to_bytes(), &code.signed_bytes(), code.signature())
            .ok_or(Error::BadSignature)?;
        let key_index = keys.index_of(&key.key);
        Ok(Some((Pending { index, code, kid, key }, (key_index, equation))))
    }
}

/// Marks in `good` which of `batch` satisfy their equation: one batch check, then halves.
fn settle(batch: &[(usize, Prepared)], keys: &[EdwardsPoint], good: &mut [bool]) {
    match batch {
        [] => {}
        [_] => one_by_one(batch, keys, good),
        _ => match signature::all_hold(batch, keys) {
            Some(true) => good.iter_mut().for_each(|g| *g = true),
            Some(false) => {
                let mid = batch.len() / 2;
                let (left, right) = batch.split_at(mid);
                let (good_left, good_right) = good.split_at_mut(mid);
                settle(left, keys, good_left);
                settle(right, keys, good_right);
            }
            None => one_by_one(batch, keys, good),
        },
    }
}

/// Marks in `good` which of `batch` satisfy their equation, each checked alone.
fn one_by_one(batch: &[(usize, Prepared)], keys: &[EdwardsPoint], good: &mut [bool]) {
    for ((key, equation), slot) in batch.iter().zip(good.iter_mut()) {
        *slot = keys.get(*key).is_some_and(|point| signature::holds(point, equation));
    }
}
