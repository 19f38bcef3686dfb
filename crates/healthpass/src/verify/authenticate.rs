//! The one way a signed message is authenticated: every key its kid may name is tried.
//!
//! Kids are not unique (a native kid is 8 bytes of a hash, and other formats' kids are whatever
//! their issuers chose), so a verifier never stops at the first key with the kid: it tries each
//! candidate that a key resolver (a [`KeySet`](crate::KeySet), a trust list, an anchor set, or
//! the interop crate's certificates, DID documents and JWKS) names for it. Native codes, trust
//! and revocation lists, and every foreign format go through [`authenticate`].

use crate::keys::Kid;
use crate::{Error, Result};

/// Tries `verify` on every candidate key for `kid` and returns each one whose check passed, in
/// order.
///
/// # Errors
/// - `unknown(kid)` when there is no candidate (an unknown kid or anchor);
/// - [`Error::UnsupportedAlg`] (the first candidate's) when every candidate refused the message's
///   algorithm;
/// - [`Error::BadSignature`] otherwise, when no signature verified.
///
/// ```
/// use healthpass::verify::authenticate;
/// use healthpass::{Error, Kid, SigningKey};
///
/// let key = SigningKey::demo();
/// let signature = key.sign(b"message");
/// let candidates = [SigningKey::from_seed(&[9; 32]).public_key(), key.public_key()];
/// let kid = Kid::new(b"any".as_slice()).unwrap();
/// let signers = authenticate(&kid, &candidates, |k| k.verify_strict(b"message", &signature), |k| {
///     Error::UnknownKid(k.to_string())
/// })?;
/// assert_eq!(signers, vec![&candidates[1]]);
/// # Ok::<(), Error>(())
/// ```
pub fn authenticate<'k, K: ?Sized + 'k>(
    kid: &Kid,
    candidates: impl IntoIterator<Item = &'k K>,
    mut verify: impl FnMut(&K) -> Result<()>,
    unknown: impl FnOnce(&Kid) -> Error,
) -> Result<Vec<&'k K>> {
    let mut signers = Vec::new();
    let (mut tried, mut unsupported) = (0usize, None);
    let mut every_unsupported = true;
    for key in candidates {
        tried += 1;
        match verify(key) {
            Ok(()) => signers.push(key),
            Err(Error::UnsupportedAlg(detail)) => {
                unsupported.get_or_insert(detail);
            }
            Err(_) => every_unsupported = false,
        }
    }
    if tried == 0 {
        return Err(unknown(kid));
    }
    if !signers.is_empty() {
        return Ok(signers);
    }
    match unsupported {
        Some(detail) if every_unsupported => Err(Error::UnsupportedAlg(detail)),
        _ => Err(Error::BadSignature),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kid() -> Kid {
        Kid::new(b"k".as_slice()).unwrap()
    }

    fn run(results: &[Result<()>]) -> Result<Vec<usize>> {
        let indices: Vec<usize> = (0..results.len()).collect();
        authenticate(&kid(), &indices, |i| results[*i].clone(), |k| Error::UnknownKid(k.to_string()))
            .map(|found| found.into_iter().copied().collect())
    }

    #[test]
    fn every_candidate_is_tried_and_each_signer_returned() {
        assert_eq!(run(&[Err(Error::BadSignature), Ok(()), Ok(())]), Ok(vec![1, 2]));
    }

    #[test]
    fn the_error_says_why_no_candidate_verified() {
        assert_eq!(run(&[]), Err(Error::UnknownKid(kid().to_string())));
        assert_eq!(run(&[Err(Error::BadSignature)]), Err(Error::BadSignature));
        let alg = || Err(Error::UnsupportedAlg("PS256".into()));
        assert_eq!(run(&[alg(), alg()]), Err(Error::UnsupportedAlg("PS256".into())));
        assert_eq!(run(&[alg(), Err(Error::BadSignature)]), Err(Error::BadSignature));
        assert_eq!(run(&[Err(Error::BadSignature), alg()]), Err(Error::BadSignature));
    }
}
