//! C2SP signed notes (`c2sp.org/signed-note`): parsing with strict bounds, Ed25519 signing,
//! key ids and verifier keys (`name+hash+base64`).
//!
//! Written by hand: the `signed_note` crate (Cloudflare's azul) implements the format, but on
//! ed25519-dalek 2, sha2 0.10 and base64 0.21, a second crypto stack beside the project's
//! ed25519-dalek 3 and sha2 0.11, with its own error type; the format is small, fully
//! specified, and here gets the bounds of [`crate::limits`] and the crate's one error type.

use data_encoding::{BASE64, HEXLOWER};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::limits::{MAX_KEY_NAME, MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES, MAX_SIGNATURE_BYTES};

/// Signature type byte of plain Ed25519 note signatures.
pub const TYPE_ED25519: u8 = 0x01;
/// Signature type byte of timestamped Ed25519 cosignatures (`c2sp.org/tlog-cosignature`).
pub const TYPE_COSIGNATURE: u8 = 0x04;

const SIG_PREFIX: &str = "\u{2014} ";

/// The note key id: `SHA-256(name || 0x0A || type || public key)[:4]`, big-endian.
///
/// ```
/// use healthpass_log::note::{key_id, TYPE_ED25519};
/// let key = data_encoding::BASE64.decode(b"AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k").unwrap();
/// assert_eq!(key_id("example.com/foo", TYPE_ED25519, &key[1..]), 0x530d903a);
/// ```
#[must_use]
pub fn key_id(name: &str, sig_type: u8, public_key: &[u8]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', sig_type]);
    hasher.update(public_key);
    let digest = hasher.finalize();
    let mut id = [0u8; 4];
    id.copy_from_slice(digest.get(..4).unwrap_or(&[0; 4]));
    u32::from_be_bytes(id)
}

/// Decodes standard base64 and requires the canonical form: `data-encoding` also accepts
/// concatenated padded groups (`..AA==AA==`) and non-zero trailing bits, which would give one
/// value two encodings.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = BASE64.decode(text.as_bytes()).ok()?;
    (BASE64.encode(&bytes) == text).then_some(bytes)
}

/// Checks a key name: non-empty, bounded, no Unicode spaces, no `+`, no ASCII control characters.
///
/// # Errors
/// [`Error::Note`] saying what is wrong.
pub fn check_key_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::Note("empty key name"));
    }
    if name.len() > MAX_KEY_NAME {
        return Err(Error::TooLarge { what: "key name", limit: MAX_KEY_NAME });
    }
    if name.chars().any(|c| c.is_whitespace() || c == '+' || c < ' ') {
        return Err(Error::Note("key name holds a space, a plus or a control character"));
    }
    Ok(())
}

/// One signature line of a note, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub name: String,
    /// The key id (first four bytes of the decoded signature).
    pub key_id: u32,
    /// The signature bytes after the key id.
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// The signature line, with its final newline.
    #[must_use]
    pub fn to_line(&self) -> String {
        let mut bytes = self.key_id.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.signature);
        format!("{SIG_PREFIX}{} {}\n", self.name, BASE64.encode(&bytes))
    }
}

/// A parsed signed note whose signatures are not yet verified.
///
/// Its text must not be trusted before [`Note::verify`] (or a checkpoint verifier) succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

impl Note {
    /// Parses a signed note: text ending in a newline, a blank line, then one or more
    /// signature lines `— <name> <base64(key id || signature)>`.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past [`MAX_NOTE_BYTES`] or [`MAX_NOTE_SIGNATURES`]; [`Error::Note`]
    /// for control characters, a missing blank line, or a malformed signature line.
    pub fn parse(input: &str) -> Result<Self> {
        if input.len() > MAX_NOTE_BYTES {
            return Err(Error::TooLarge { what: "signed note", limit: MAX_NOTE_BYTES });
        }
        if input.chars().any(|c| c < ' ' && c != '\n') {
            return Err(Error::Note("ASCII control character other than newline"));
        }
        let split = input.rfind("\n\n").ok_or(Error::Note("no blank line before the signatures"))?;
        let text = input.get(..=split).ok_or(Error::Note("no text"))?;
        let sigs = input.get(split + 2..).ok_or(Error::Note("no signatures"))?;
        if !sigs.ends_with('\n') {
            return Err(Error::Note("signature block does not end in a newline"));
        }
        let mut signatures = Vec::new();
        for line in sigs.split_terminator('\n') {
            if signatures.len() >= MAX_NOTE_SIGNATURES {
                return Err(Error::TooLarge { what: "note signatures", limit: MAX_NOTE_SIGNATURES });
            }
            signatures.push(parse_signature_line(line)?);
        }
        if signatures.is_empty() {
            return Err(Error::Note("no signature lines"));
        }
        Ok(Self { text: text.to_owned(), signatures })
    }

    /// Builds a note from text and signatures (for signing).
    ///
    /// # Errors
    /// [`Error::Note`] when the text is empty, does not end in a newline, or holds control
    /// characters other than newline.
    pub fn new(text: &str, signatures: Vec<NoteSignature>) -> Result<Self> {
        check_text(text)?;
        Ok(Self { text: text.to_owned(), signatures })
    }

    /// The note text as received, with its final newline. Untrusted until verified.
    #[must_use]
    pub fn text_unverified(&self) -> &str {
        &self.text
    }

    /// The signature lines as received.
    #[must_use]
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Adds a signature line (a log signature or a witness cosignature).
    pub fn push_signature(&mut self, signature: NoteSignature) {
        self.signatures.push(signature);
    }

    /// The whole note: text, blank line, signature lines.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for sig in &self.signatures {
            out.push_str(&sig.to_line());
        }
        out
    }

    /// Verifies the signatures made by known plain Ed25519 keys (type 0x01) and returns the
    /// text. Signatures whose (name, key id) match no key are ignored, as the spec says.
    ///
    /// # Errors
    /// [`Error::BadSignature`] when a known key's signature fails (the whole note is refused);
    /// [`Error::MissingSignature`] when no known key signed.
    pub fn verify(&self, keys: &[VerifierKey]) -> Result<&str> {
        let mut verified = 0usize;
        for sig in &self.signatures {
            for key in keys.iter().filter(|k| k.sig_type == TYPE_ED25519 && k.matches(sig)) {
                key.verify_raw(self.text.as_bytes(), &sig.signature)?;
                verified += 1;
            }
        }
        if verified == 0 {
            let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
            return Err(Error::MissingSignature(names.join(", ")));
        }
        Ok(&self.text)
    }
}

pub(crate) fn check_text(text: &str) -> Result<()> {
    if text.is_empty() || !text.ends_with('\n') {
        return Err(Error::Note("text must end in a newline"));
    }
    if text.len() > MAX_NOTE_BYTES {
        return Err(Error::TooLarge { what: "note text", limit: MAX_NOTE_BYTES });
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(Error::Note("ASCII control character other than newline"));
    }
    Ok(())
}

fn parse_signature_line(line: &str) -> Result<NoteSignature> {
    let rest = line.strip_prefix(SIG_PREFIX).ok_or(Error::Note("signature line does not start with an em dash"))?;
    let (name, b64) = rest.split_once(' ').ok_or(Error::Note("signature line has no space after the key name"))?;
    check_key_name(name)?;
    if b64.len() > MAX_SIGNATURE_BYTES.div_ceil(3) * 4 {
        return Err(Error::TooLarge { what: "signature", limit: MAX_SIGNATURE_BYTES });
    }
    let bytes = decode_base64(b64).ok_or(Error::Note("signature is not canonical base64"))?;
    let (id, signature) = bytes.split_first_chunk::<4>().ok_or(Error::Note("signature shorter than its key id"))?;
    Ok(NoteSignature { name: name.to_owned(), key_id: u32::from_be_bytes(*id), signature: signature.to_vec() })
}

/// A public key that verifies note signatures: a name, a signature type and an Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    sig_type: u8,
    key: VerifyingKey,
}

impl VerifierKey {
    /// A verifier key from its parts; the key id is computed.
    ///
    /// # Errors
    /// [`Error::Note`] for a bad name; [`Error::VerifierKey`] for an unsupported type.
    pub fn new(name: &str, sig_type: u8, key: VerifyingKey) -> Result<Self> {
        check_key_name(name)?;
        if sig_type != TYPE_ED25519 && sig_type != TYPE_COSIGNATURE {
            return Err(Error::VerifierKey("unsupported signature type"));
        }
        let key_id = key_id(name, sig_type, key.as_bytes());
        Ok(Self { name: name.to_owned(), key_id, sig_type, key })
    }

    /// Parses a vkey `<name>+<hex key id>+<base64(type || public key)>`; the key id must be the
    /// one computed from the name and key.
    ///
    /// ```
    /// use healthpass_log::note::VerifierKey;
    /// let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    /// let key = VerifierKey::parse(vkey)?;
    /// assert_eq!(key.name(), "example.com/foo");
    /// assert_eq!(key.to_string(), vkey);
    /// # Ok::<(), healthpass_log::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::VerifierKey`] naming the malformed part.
    pub fn parse(vkey: &str) -> Result<Self> {
        if vkey.len() > MAX_KEY_NAME + 64 {
            return Err(Error::TooLarge { what: "verifier key", limit: MAX_KEY_NAME + 64 });
        }
        // The base64 key may itself hold `+`: split off the name and the id only.
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::VerifierKey("expected name+id+key"));
        };
        check_key_name(name).map_err(|_| Error::VerifierKey("bad key name"))?;
        let id = parse_key_id(id)?;
        let bytes = decode_base64(key).ok_or(Error::VerifierKey("key is not canonical base64"))?;
        let (&sig_type, public) = bytes.split_first().ok_or(Error::VerifierKey("empty key"))?;
        let public: [u8; 32] = public.try_into().map_err(|_| Error::VerifierKey("Ed25519 key must be 32 bytes"))?;
        let public = VerifyingKey::from_bytes(&public).map_err(|_| Error::VerifierKey("not an Ed25519 point"))?;
        let parsed = Self::new(name, sig_type, public).map_err(|_| Error::VerifierKey("unsupported signature type"))?;
        if parsed.key_id != id {
            return Err(Error::VerifierKey("key id does not match name and key"));
        }
        Ok(parsed)
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id.
    #[must_use]
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The signature type byte.
    #[must_use]
    pub fn sig_type(&self) -> u8 {
        self.sig_type
    }

    /// The Ed25519 public key.
    #[must_use]
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// A cosignature (type 0x04) key for a name already checked.
    pub(crate) fn cosignature(name: &str, key: VerifyingKey) -> Self {
        let key_id = key_id(name, TYPE_COSIGNATURE, key.as_bytes());
        Self { name: name.to_owned(), key_id, sig_type: TYPE_COSIGNATURE, key }
    }

    pub(crate) fn matches(&self, sig: &NoteSignature) -> bool {
        sig.name == self.name && sig.key_id == self.key_id
    }

    /// Verifies an Ed25519 signature (strict: no malleable or small-order forms) over `msg`.
    pub(crate) fn verify_raw(&self, msg: &[u8], signature: &[u8]) -> Result<()> {
        let sig = Signature::from_slice(signature).map_err(|_| Error::BadSignature(self.name.clone()))?;
        self.key.verify_strict(msg, &sig).map_err(|_| Error::BadSignature(self.name.clone()))
    }
}

impl core::fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut bytes = vec![self.sig_type];
        bytes.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.key_id, BASE64.encode(&bytes))
    }
}

fn parse_key_id(id: &str) -> Result<u32> {
    if id.len() != 8 {
        return Err(Error::VerifierKey("key id must be 8 hex digits"));
    }
    let bytes = HEXLOWER.decode(id.as_bytes()).map_err(|_| Error::VerifierKey("key id is not lowercase hex"))?;
    let arr: [u8; 4] = bytes.try_into().map_err(|_| Error::VerifierKey("key id must be 4 bytes"))?;
    Ok(u32::from_be_bytes(arr))
}

/// An Ed25519 key that signs notes (type 0x01) under a key name. The secret zeroizes on drop.
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    key: SigningKey,
}

impl core::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NoteSigner").field("name", &self.name).finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer from a name and a 32-byte Ed25519 seed.
    ///
    /// # Errors
    /// [`Error::Note`] for a bad key name.
    pub fn new(name: &str, seed: &[u8; 32]) -> Result<Self> {
        check_key_name(name)?;
        Ok(Self { name: name.to_owned(), key: SigningKey::from_bytes(seed) })
    }

    /// A signer with a fresh random key.
    ///
    /// # Errors
    /// [`Error::Random`] when the operating system has no randomness.
    pub fn generate(name: &str) -> Result<Self> {
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|_| Error::Random)?;
        Self::new(name, &seed)
    }

    /// Parses a signer key in the Go `note` package's format,
    /// `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>`.
    ///
    /// ```
    /// use healthpass_log::note::NoteSigner;
    /// let signer = NoteSigner::new("log.example/health", &[5; 32])?;
    /// let text = signer.to_secret_string();
    /// assert!(text.starts_with("PRIVATE+KEY+log.example/health+"));
    /// assert_eq!(NoteSigner::parse_secret(&text)?.verifier(), signer.verifier());
    /// # Ok::<(), healthpass_log::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::VerifierKey`] naming the malformed part (the secret is never echoed).
    pub fn parse_secret(text: &str) -> Result<Self> {
        if text.len() > MAX_KEY_NAME + 96 {
            return Err(Error::TooLarge { what: "signer key", limit: MAX_KEY_NAME + 96 });
        }
        let rest =
            text.trim_end().strip_prefix("PRIVATE+KEY+").ok_or(Error::VerifierKey("signer key lacks PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::VerifierKey("expected PRIVATE+KEY+name+id+key"));
        };
        check_key_name(name).map_err(|_| Error::VerifierKey("bad key name"))?;
        let id = parse_key_id(id)?;
        let bytes = zeroize::Zeroizing::new(
            decode_base64(key).ok_or(Error::VerifierKey("signer key is not canonical base64"))?,
        );
        let (&sig_type, seed) = bytes.split_first().ok_or(Error::VerifierKey("empty signer key"))?;
        if sig_type != TYPE_ED25519 {
            return Err(Error::VerifierKey("signer key is not an Ed25519 note key"));
        }
        let seed: &[u8; 32] = seed.try_into().map_err(|_| Error::VerifierKey("Ed25519 seed must be 32 bytes"))?;
        let signer = Self::new(name, seed)?;
        if signer.verifier().key_id != id {
            return Err(Error::VerifierKey("key id does not match name and key"));
        }
        Ok(signer)
    }

    /// The signer key as text (see [`NoteSigner::parse_secret`]); store it with mode 0600.
    #[must_use]
    pub fn to_secret_string(&self) -> zeroize::Zeroizing<String> {
        let mut bytes = zeroize::Zeroizing::new(vec![TYPE_ED25519]);
        bytes.extend_from_slice(self.key.as_bytes());
        zeroize::Zeroizing::new(format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.verifier().key_id,
            BASE64.encode(&bytes)
        ))
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The matching verifier key (type 0x01).
    #[must_use]
    pub fn verifier(&self) -> VerifierKey {
        let key = self.key.verifying_key();
        VerifierKey {
            name: self.name.clone(),
            key_id: key_id(&self.name, TYPE_ED25519, key.as_bytes()),
            sig_type: TYPE_ED25519,
            key,
        }
    }

    /// Signs note text (which must end in a newline).
    ///
    /// # Errors
    /// [`Error::Note`] when the text is not valid note text.
    pub fn sign(&self, text: &str) -> Result<NoteSignature> {
        check_text(text)?;
        let signature = self.key.sign(text.as_bytes());
        Ok(NoteSignature {
            name: self.name.clone(),
            key_id: self.verifier().key_id,
            signature: signature.to_bytes().to_vec(),
        })
    }
}
