//! The Ed25519 rule for native codes: one cofactored equation, shared by single and batch checks.
//!
//! A code's signature `R ‖ S` on the message `M` (the Sig_structure) under the key `A` is valid
//! when all of these hold:
//!
//! 1. `S` is canonical: `S < ℓ`;
//! 2. `R` is a canonical encoding (its `y` below `p`) of a curve point that is not of small order;
//! 3. `[8]([S]B − R − [k]A) = 0`, with `k = SHA-512(R ‖ A ‖ M) mod ℓ` as in RFC 8032.
//!
//! `A` is checked once, when the key is loaded ([`crate::PublicKey::from_bytes`]): a canonical
//! encoding of a point that is not of small order. It is not checked again per code.
//!
//! A batch of `n` signatures is checked with random 128-bit weights `z_i` and one term per
//! distinct key: `[8]([Σ z_i S_i]B − Σ z_i R_i − Σ_A [Σ_{i under A} z_i k_i]A) = 0`. Both sides
//! multiply by the cofactor 8, so the small-order (torsion) parts of `R` and `A` vanish in both;
//! if every signature satisfies its own equation the batch holds, whatever the weights, and if
//! one does not, the batch fails except with probability about 2⁻¹²⁸. That is why single and batch
//! give the same verdict on every input ("Taming the many EdDSAs", Chalkias, Garillot and
//! Nikolaenko, 2020, recommend this cofactored equation; ZIP-215 uses it too).
//!
//! Why the equation is written here: ed25519-dalek's `verify_strict` is cofactorless and refuses
//! a mixed-order `R` outright, while its `verify_batch` is cofactorless with random weights and
//! accepts such an `R` about half the time, so the two disagree. The point arithmetic is still
//! curve25519-dalek's (`vartime_double_scalar_mul_basepoint`, `vartime_multiscalar_mul`,
//! `mul_by_cofactor`): only the equation and the encoding checks are ours.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use sha2::{Digest, Sha512};

/// A signature past its encoding checks, with its challenge `k` computed: ready for the equation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prepared {
    r: EdwardsPoint,
    s: Scalar,
    k: Scalar,
}

/// Checks the encodings of `signature` (rules 1 and 2) and computes `k` for the key with the raw
/// bytes `key` over `message`. `None` if the signature is not 64 bytes or an encoding is refused.
pub(crate) fn prepare(key: &[u8; 32], message: &[u8], signature: &[u8]) -> Option<Prepared> {
    let (r_bytes, s_bytes) = signature.split_first_chunk::<32>()?;
    let s_bytes: [u8; 32] = s_bytes.try_into().ok()?;
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
    if !y_is_canonical(r_bytes) {
        return None;
    }
    let r = CompressedEdwardsY(*r_bytes).decompress()?;
    // With `y` canonical, only a point with `x = 0` could carry a second encoding (its sign bit
    // set): those are the identity and the point of order 2, both refused here.
    if r.is_small_order() {
        return None;
    }
    let hash: [u8; 64] = Sha512::new().chain_update(r_bytes).chain_update(key).chain_update(message).finalize().into();
    Some(Prepared { r, s, k: Scalar::from_bytes_mod_order_wide(&hash) })
}

/// Whether the 255-bit `y` of a point encoding (the sign bit left out) is below `p = 2²⁵⁵ − 19`.
fn y_is_canonical(bytes: &[u8; 32]) -> bool {
    let [low, middle @ .., high] = bytes;
    !(*low >= 0xed && middle.iter().all(|b| *b == 0xff) && *high & 0x7f == 0x7f)
}

/// Rule 3 for one signature under the key point `key`.
pub(crate) fn holds(key: &EdwardsPoint, signature: &Prepared) -> bool {
    let sb_minus_ka = EdwardsPoint::vartime_double_scalar_mul_basepoint(&signature.k, &-key, &signature.s);
    (sb_minus_ka - signature.r).mul_by_cofactor().is_identity()
}

/// Rule 3 for every signature in `batch` at once: each item names its key by its index in
/// `keys`. `None` if the random source fails or an index is out of range; the caller then
/// checks each signature with [`holds`].
pub(crate) fn all_hold(batch: &[(usize, Prepared)], keys: &[EdwardsPoint]) -> Option<bool> {
    let mut random = vec![0u8; 16 * batch.len()];
    getrandom::fill(&mut random).ok()?;
    let mut key_terms: Vec<Option<Scalar>> = vec![None; keys.len()];
    let mut basepoint_term = Scalar::ZERO;
    let mut scalars = Vec::with_capacity(batch.len() + keys.len() + 1);
    let mut points = Vec::with_capacity(batch.len() + keys.len() + 1);
    for ((key, signature), bytes) in batch.iter().zip(random.chunks_exact(16)) {
        let z = weight(bytes);
        basepoint_term -= z * signature.s;
        let term = key_terms.get_mut(*key)?;
        *term = Some(term.unwrap_or(Scalar::ZERO) + z * signature.k);
        scalars.push(z);
        points.push(signature.r);
    }
    for (term, key) in key_terms.into_iter().zip(keys) {
        if let Some(term) = term {
            scalars.push(term);
            points.push(*key);
        }
    }
    scalars.push(basepoint_term);
    points.push(ED25519_BASEPOINT_POINT);
    Some(EdwardsPoint::vartime_multiscalar_mul(scalars, points).mul_by_cofactor().is_identity())
}

/// A random 128-bit weight from 16 random bytes.
fn weight(bytes: &[u8]) -> Scalar {
    let mut wide = [0u8; 32];
    for (to, from) in wide.iter_mut().zip(bytes.iter().take(16)) {
        *to = *from;
    }
    Scalar::from_bytes_mod_order(wide)
}

#[cfg(test)]
mod tests;
