//! The issuer: claims → CWT → COSE_Sign1 → (zlib) → base45 → `HP1:` text.

use crate::keys::{Kid, SigningKey};
use crate::transport::{encode_base45, wrap_body};
use crate::{Claims, Limits, PREFIX, Result, cose};

/// zlib only finds repeated text: a code's other parts (signature, key id, random ids, times)
/// never compress. Below this many bytes of text in the claims the attempt is not made: it costs
/// about as much as the signature and saves a byte or two at most (see BENCHMARKS.md).
const ZLIB_MIN_TEXT: usize = 24;

/// The longest text an issuer makes: what a QR code of version 40 holds in alphanumeric mode at
/// error-correction level M.
pub const MAX_ISSUED_TEXT: usize = 3_391;

/// Signs claims into code text with one secret key.
///
/// ```
/// use healthpass::{Issuer, SigningKey};
/// let issuer = Issuer::new(SigningKey::demo());
/// assert_eq!(issuer.kid(), SigningKey::demo().kid());
/// ```
#[derive(Debug)]
pub struct Issuer {
    key: SigningKey,
    limits: Limits,
}

impl Issuer {
    /// An issuer signing with `key`, checking claims under the default [`Limits`].
    pub fn new(key: SigningKey) -> Self {
        Issuer { key, limits: Limits::DEFAULT }
    }

    /// The same issuer with other limits (the text-length caps of [`Claims::validate`]).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The kid that every code from this issuer carries.
    pub fn kid(&self) -> Kid {
        self.key.kid()
    }

    /// Issues a code: the `HP1:` text that goes into a QR code.
    ///
    /// Sub-second parts of the claims' times are dropped. The zlib form is tried when the claims
    /// carry at least 24 bytes of text, and used when it is shorter than the plain COSE bytes
    /// (see `docs/FORMAT.md` §2).
    ///
    /// # Errors
    /// [`crate::Error::Claims`] or [`crate::Error::TooLarge`] if the claims break
    /// [`Claims::validate`], or if the text would not fit the limits a verifier applies.
    pub fn issue(&self, claims: &Claims) -> Result<String> {
        let cose = self.issue_cose(claims)?;
        let text_bytes: usize = claims.texts().map(str::len).sum();
        let body = if text_bytes >= ZLIB_MIN_TEXT { wrap_body(cose) } else { cose };
        let text = format!("{PREFIX}{}", encode_base45(&body));
        let limit = self.limits.max_text_len.min(MAX_ISSUED_TEXT);
        if text.len() > limit {
            return Err(crate::Error::TooLarge { what: "code text", limit });
        }
        Ok(text)
    }

    /// Issues the signed COSE_Sign1 bytes alone, before compression and base45.
    ///
    /// # Errors
    /// As [`Issuer::issue`].
    pub fn issue_cose(&self, claims: &Claims) -> Result<Vec<u8>> {
        claims.validate(self.limits.max_text_string_len)?;
        cose::sign(claims.to_cbor(), &self.key)
    }
}
