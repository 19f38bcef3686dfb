//! Ed25519 keys for native codes: generation, key ids, and (feature `pem`) PEM files.

use std::path::Path;

use ed25519_dalek::Signer;
#[cfg(feature = "pem")]
use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding,
};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

#[cfg(feature = "pem")]
use crate::fs::{Mode, read_bounded, write_atomic};
use crate::verify::signature;
use crate::{Error, Result};

/// Key files are small; anything larger than this is not a key file.
#[cfg(feature = "pem")]
const MAX_KEY_FILE: usize = 64 * 1024;

/// A key id: the bytes a code names its signing key by.
///
/// For native codes it is the first 8 bytes of SHA-256 of the raw 32-byte Ed25519 public key.
/// Several keys may share a kid; verifiers try each. A kid is never empty: COSE gives an empty
/// `kid` no meaning, and every reader refuses one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kid(Vec<u8>);

impl Kid {
    /// A kid of these bytes, or `None` if there are none.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Option<Self> {
        let bytes = bytes.into();
        (!bytes.is_empty()).then_some(Kid(bytes))
    }

    /// The kid's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The kid's bytes, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The kid of a raw Ed25519 public key.
    pub fn of_ed25519(public_key: &[u8; 32]) -> Self {
        Self::sha256_prefix(public_key)
    }

    /// The first 8 bytes of SHA-256 of `bytes`: the kid of a native key (its raw 32 bytes) and
    /// of an EU DCC signer certificate (its DER).
    pub fn sha256_prefix(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        Kid(digest.get(..8).unwrap_or(digest.as_slice()).to_vec())
    }
}

impl std::fmt::Display for Kid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

/// An issuer's Ed25519 secret key. Its bytes are wiped from memory when it is dropped, and
/// neither `Debug` nor any method prints them.
pub struct SigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey {{ kid: {} }}", self.kid())
    }
}

/// The only field is an `ed25519_dalek::SigningKey`, which wipes its secret scalar and seed on
/// drop (the `zeroize` feature); this marker lets callers require that at compile time.
impl zeroize::ZeroizeOnDrop for SigningKey {}

impl SigningKey {
    /// Generates a key from the operating system's random source.
    ///
    /// # Errors
    /// [`Error::Random`] if the random source fails.
    pub fn generate() -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| Error::Random)?;
        Ok(Self::from_seed(&seed))
    }

    /// The key with this 32-byte seed (RFC 8032 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// The built-in demo key, the same everywhere: for demos and tests, never for real codes.
    pub fn demo() -> Self {
        let seed: [u8; 32] = Sha256::digest(b"healthpass demo key: not for production").into();
        Self::from_seed(&seed)
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The key id of the matching public key.
    pub fn kid(&self) -> Kid {
        self.public_key().kid()
    }

    /// Signs `message` (deterministic Ed25519, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    #[cfg(feature = "pem")]
    /// The key as a PKCS#8 PEM document, in memory that is wiped when dropped: version 1 of
    /// RFC 8410 (the secret key alone), the form `openssl genpkey -algorithm ed25519` writes.
    /// OpenSSL 3.0 refuses version 2, which adds the public key. [`SigningKey::from_pem`]
    /// reads both.
    ///
    /// # Errors
    /// [`Error::Key`] if encoding fails.
    pub fn to_pem(&self) -> Result<Zeroizing<String>> {
        let bytes = ed25519_dalek::pkcs8::KeypairBytes { secret_key: self.0.to_bytes(), public_key: None };
        bytes.to_pkcs8_pem(LineEnding::LF).map_err(|e| Error::Key(format!("encode PKCS#8: {e}")))
    }

    #[cfg(feature = "pem")]
    /// Reads a key from a PKCS#8 PEM document, version 1 or 2 (RFC 8410); a version 2 document's
    /// public key must match the secret key.
    ///
    /// # Errors
    /// [`Error::Key`] if the document is not an Ed25519 PKCS#8 private key.
    pub fn from_pem(pem: &str) -> Result<Self> {
        ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
            .map(SigningKey)
            .map_err(|_| Error::Key("not an Ed25519 PKCS#8 private key (PEM)".into()))
    }

    #[cfg(feature = "pem")]
    /// Writes the key to `path` as PKCS#8 PEM, atomically, readable by the owner only (0600).
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Key`].
    pub fn write_file(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.to_pem()?.as_bytes(), Mode::Secret)
    }

    #[cfg(feature = "pem")]
    /// Reads a key from a PKCS#8 PEM file. See [`secret_file_is_exposed`] to warn about a key
    /// file that others can read.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Key`].
    pub fn read_file(path: &Path) -> Result<Self> {
        let bytes = Zeroizing::new(read_bounded(path, MAX_KEY_FILE, "key file")?);
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::Key("the key file is not text".into()))?;
        Self::from_pem(text)
    }
}

/// Whether a secret key file can be read by users other than its owner (Unix mode bits).
///
/// # Errors
/// [`Error::Io`] if the file's metadata cannot be read.
pub fn secret_file_is_exposed(path: &Path) -> Result<bool> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(metadata.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Ok(false)
    }
}

/// An Ed25519 public key that verifies native codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// The key from its 32 raw bytes.
    ///
    /// # Errors
    /// [`Error::Key`] if the bytes are not the canonical encoding of a curve point, or encode a
    /// small-order (weak) point: no signature could verify under such a key.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map_err(|_| Error::Key("not a valid Ed25519 public key".into()))?;
        if key.to_edwards().compress().to_bytes() != *bytes {
            return Err(Error::Key("not the canonical encoding of an Ed25519 public key".into()));
        }
        if key.is_weak() {
            return Err(Error::Key("a small-order (weak) Ed25519 public key".into()));
        }
        Ok(PublicKey(key))
    }

    /// The 32 raw bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The key id: first 8 bytes of SHA-256 of the raw key.
    pub fn kid(&self) -> Kid {
        Kid::of_ed25519(self.0.as_bytes())
    }

    /// Verifies an Ed25519 signature with the strict rules of `verify_strict`: it refuses
    /// non-canonical signatures (S ≥ ℓ), small-order and non-canonical R, and weak public keys.
    ///
    /// # Errors
    /// [`Error::BadSignature`].
    pub fn verify_strict(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let signature = ed25519_dalek::Signature::from_slice(signature).map_err(|_| Error::BadSignature)?;
        self.0.verify_strict(message, &signature).map_err(|_| Error::BadSignature)
    }

    /// Verifies the Ed25519 signature of a native code by the cofactored rule of `docs/FORMAT.md`
    /// §3: `S < ℓ`, `R` canonical and not of small order, and `[8]([S]B − R − [k]A) = 0`. The
    /// key itself was checked when it was loaded (canonical, not of small order).
    ///
    /// [`Verifier::verify`](crate::Verifier::verify) and
    /// [`Verifier::verify_batch`](crate::Verifier::verify_batch) both decide by this rule, so they
    /// give the same verdict on every signature. Unlike [`PublicKey::verify_strict`], it accepts
    /// an `R` with a small-order component, which only the key's holder can make (SECURITY.md).
    ///
    /// # Errors
    /// [`Error::BadSignature`].
    pub fn verify_cofactored(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let prepared = signature::prepare(self.0.as_bytes(), message, signature).ok_or(Error::BadSignature)?;
        if signature::holds(&self.point(), &prepared) { Ok(()) } else { Err(Error::BadSignature) }
    }

    #[cfg(feature = "pem")]
    /// The key as an SPKI PEM document.
    ///
    /// # Errors
    /// [`Error::Key`] if encoding fails.
    pub fn to_pem(&self) -> Result<String> {
        self.0.to_public_key_pem(LineEnding::LF).map_err(|e| Error::Key(format!("encode SPKI: {e}")))
    }

    #[cfg(feature = "pem")]
    /// Reads a key from an SPKI PEM document.
    ///
    /// # Errors
    /// [`Error::Key`] if the document is not an Ed25519 public key.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let key = ed25519_dalek::VerifyingKey::from_public_key_pem(pem.trim())
            .map_err(|_| Error::Key("not an Ed25519 SPKI public key (PEM)".into()))?;
        Self::from_bytes(key.as_bytes())
    }

    #[cfg(feature = "pem")]
    /// Reads every public key in a PEM file (one or more `PUBLIC KEY` blocks).
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::Key`] if a block is not an Ed25519 public key or there is none.
    pub fn read_file(path: &Path) -> Result<Vec<Self>> {
        let bytes = read_bounded(path, MAX_KEY_FILE, "key file")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::Key("the key file is not text".into()))?;
        const END: &str = "-----END PUBLIC KEY-----";
        let keys = text
            .split_inclusive(END)
            .filter(|block| block.contains(END))
            .map(Self::from_pem)
            .collect::<Result<Vec<_>>>()?;
        if keys.is_empty() {
            return Err(Error::Key("no PUBLIC KEY block in the file".into()));
        }
        Ok(keys)
    }

    /// The key as a curve point, for the signature equation.
    pub(crate) fn point(&self) -> curve25519_dalek::edwards::EdwardsPoint {
        self.0.to_edwards()
    }
}
