//! The keys a verifier trusts, looked up by kid.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::keys::{Kid, PublicKey};

/// The fingerprint of a public key: SHA-256 of its bytes as a trust list holds them (the 32 raw
/// bytes of an Ed25519 key; the SubjectPublicKeyInfo DER of an ES256 or PS256 key).
///
/// A kid names a key but does not identify it (several keys may share one); the fingerprint
/// does. [`crate::verify::Verified::key_fingerprint`] records the key that verified a code, a
/// [`crate::trust::RevocationList`] records the key that signed it, and the scanner state keeps list
/// sequences per signer by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyFingerprint(pub [u8; 32]);

impl KeyFingerprint {
    /// The fingerprint of a key's bytes (raw Ed25519, or SubjectPublicKeyInfo DER).
    pub fn of(public_key: &[u8]) -> Self {
        KeyFingerprint(Sha256::digest(public_key).into())
    }

    /// The fingerprint of a native Ed25519 key.
    pub fn of_ed25519(key: &PublicKey) -> Self {
        Self::of(&key.to_bytes())
    }

    /// The fingerprint from its 64 lowercase or uppercase hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        crate::hex::decode_array(text).map(KeyFingerprint)
    }
}

impl serde::Serialize for KeyFingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::hex::encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for KeyFingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::from_hex(&text).ok_or_else(|| serde::de::Error::custom("a key fingerprint is 64 hex digits"))
    }
}

impl std::fmt::Display for KeyFingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

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
