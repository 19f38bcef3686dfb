//! The keys a verifier trusts, looked up by kid.

use std::collections::HashMap;

use crate::keys::{Kid, PublicKey};

/// A public key the verifier trusts, optionally bound to one issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// The key.
    pub key: PublicKey,
    /// When set, codes signed by this key must name this issuer (CWT `iss`).
    pub issuer: Option<String>,
}

/// Trusted keys by kid. Several keys may share one kid; a verifier tries each.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    by_kid: HashMap<Kid, Vec<TrustedKey>>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> Self {
        KeySet::default()
    }

    /// Adds a key for any issuer.
    pub fn add(&mut self, key: PublicKey) -> &mut Self {
        self.insert(TrustedKey { key, issuer: None })
    }

    /// Adds a key bound to one issuer.
    pub fn insert(&mut self, trusted: TrustedKey) -> &mut Self {
        self.by_kid.entry(trusted.key.kid()).or_default().push(trusted);
        self
    }

    /// Adds a key under a kid of the caller's choosing (for kids assigned by an authority
    /// rather than derived from the key). The signature still has to verify under the key.
    pub fn insert_under(&mut self, kid: Kid, trusted: TrustedKey) -> &mut Self {
        self.by_kid.entry(kid).or_default().push(trusted);
        self
    }

    /// Every key with this kid.
    pub fn get(&self, kid: &Kid) -> &[TrustedKey] {
        self.by_kid.get(kid).map(Vec::as_slice).unwrap_or_default()
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

impl FromIterator<PublicKey> for KeySet {
    fn from_iter<I: IntoIterator<Item = PublicKey>>(keys: I) -> Self {
        let mut set = KeySet::new();
        keys.into_iter().for_each(|k| {
            set.add(k);
        });
        set
    }
}
