//! A set of trusted foreign keys, looked up by kid.

use std::collections::HashMap;

use super::{ForeignAlg, ForeignKey};
use healthpass::keys::Kid;
use healthpass::verify::authenticate;
use healthpass::{Error, Result};

/// Trusted foreign keys by kid. Several keys may share a kid (DCC trust lists do hold such
/// pairs); a verifier tries each.
#[derive(Debug, Clone, Default)]
pub struct ForeignKeys {
    by_kid: HashMap<Kid, Vec<ForeignKey>>,
}

impl ForeignKeys {
    /// An empty set.
    pub fn new() -> Self {
        ForeignKeys::default()
    }

    /// Adds a key under its kid.
    pub fn insert(&mut self, key: ForeignKey) -> &mut Self {
        self.by_kid.entry(key.kid.clone()).or_default().push(key);
        self
    }

    /// Adds a trust-list entry `(kid, alg, SPKI DER)`.
    ///
    /// # Errors
    /// Those of [`ForeignKey::from_spki_der`].
    pub fn insert_spki(&mut self, kid: Kid, alg: Option<ForeignAlg>, spki: &[u8]) -> Result<&mut Self> {
        Ok(self.insert(ForeignKey::from_spki_der(kid, alg, spki)?))
    }

    /// Adds a signer certificate (DER).
    ///
    /// # Errors
    /// Those of [`ForeignKey::from_x509_der`].
    pub fn insert_x509_der(&mut self, der: &[u8]) -> Result<&mut Self> {
        Ok(self.insert(ForeignKey::from_x509_der(der)?))
    }

    /// Every key with this kid.
    pub fn get(&self, kid: &Kid) -> &[ForeignKey] {
        self.by_kid.get(kid).map(Vec::as_slice).unwrap_or_default()
    }

    /// Finds the key with this kid under which `signature` over `message` verifies with `alg`.
    ///
    /// # Errors
    /// [`Error::UnknownKid`] when no key has the kid, [`Error::UnsupportedAlg`] when no key with
    /// the kid is for `alg`, [`Error::BadSignature`] when none verifies.
    pub fn verify(&self, kid: &Kid, alg: ForeignAlg, message: &[u8], signature: &[u8]) -> Result<&ForeignKey> {
        let found = authenticate(
            kid,
            self.get(kid),
            |key| key.verify(alg, message, signature),
            |kid| Error::UnknownKid(kid.to_string()),
        )?;
        found.into_iter().next().ok_or(Error::BadSignature)
    }

    /// How many keys the set holds.
    pub fn len(&self) -> usize {
        self.by_kid.values().map(Vec::len).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.by_kid.is_empty()
    }
}

impl FromIterator<ForeignKey> for ForeignKeys {
    fn from_iter<I: IntoIterator<Item = ForeignKey>>(keys: I) -> Self {
        let mut set = ForeignKeys::new();
        keys.into_iter().for_each(|k| {
            set.insert(k);
        });
        set
    }
}
