//! Signer certificates (X.509, as DCC trust lists publish them): their kid, key, validity,
//! extended key usage and country.

use chrono::{DateTime, Utc};
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::der::{Decode, Encode};
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::{DccUsage, MAX_KEY_INPUT, OID_COUNTRY_NAME};
use healthpass::keys::Kid;
use healthpass::{Error, Result};

/// What a signer certificate says beyond its key: its validity window and its extended key usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Start of the certificate's validity.
    pub not_before: DateTime<Utc>,
    /// End of the certificate's validity.
    pub not_after: DateTime<Utc>,
    /// Every extended-key-usage OID of the certificate, dotted.
    pub extended_key_usage: Vec<String>,
    /// The subject's country (`C`, ISO 3166-1 alpha-2, upper-cased), if the certificate names one.
    pub country: Option<String>,
}

impl CertificateInfo {
    /// The DCC certificate types the extended key usage grants.
    pub fn dcc_usages(&self) -> Vec<DccUsage> {
        self.extended_key_usage.iter().filter_map(|oid| DccUsage::from_oid(oid)).collect()
    }

    /// Whether the certificate may sign a DCC of this type: a certificate without an
    /// extended-key-usage extension may sign every type; one with the extension only the types
    /// whose OIDs it lists (an extension naming only other purposes grants no DCC type, as the
    /// DCC test data's "no key usage" cases expect).
    pub fn allows(&self, usage: DccUsage) -> bool {
        self.extended_key_usage.is_empty() || self.dcc_usages().contains(&usage)
    }
}

/// A parsed X.509 signer certificate: its DCC kid, SPKI, validity and extended key usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCertificate {
    /// First 8 bytes of SHA-256 of the certificate DER (the DCC kid).
    pub kid: Kid,
    /// The certificate's SubjectPublicKeyInfo (DER).
    pub spki_der: Vec<u8>,
    /// Validity and extended key usage.
    pub info: CertificateInfo,
}

impl SignerCertificate {
    /// Parses a certificate (DER). Parsing is lenient about serial numbers and time encodings
    /// (some published signer certificates break RFC 5280 there) but not about structure.
    ///
    /// # Errors
    /// [`Error::TooLarge`] over 16 KiB, [`Error::Key`] for a malformed certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > MAX_KEY_INPUT {
            return Err(Error::TooLarge { what: "certificate", limit: MAX_KEY_INPUT });
        }
        let certificate =
            CertificateInner::<Raw>::from_der(der).map_err(|e| Error::Key(format!("certificate: {e}")))?;
        let tbs = certificate.tbs_certificate();
        let time = |t: x509_cert::time::Time| {
            let seconds = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            DateTime::from_timestamp(seconds, 0).ok_or_else(|| Error::Key("certificate: validity out of range".into()))
        };
        let validity = tbs.validity();
        let extended_key_usage = match tbs.get_extension::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => eku.0.iter().map(ToString::to_string).collect(),
            Ok(None) => Vec::new(),
            Err(e) => return Err(Error::Key(format!("certificate: extended key usage: {e}"))),
        };
        let spki_der = tbs.subject_public_key_info().to_der().map_err(|e| Error::Key(format!("certificate: {e}")))?;
        Ok(SignerCertificate {
            kid: dcc_kid(der),
            spki_der,
            info: CertificateInfo {
                not_before: time(validity.not_before)?,
                not_after: time(validity.not_after)?,
                extended_key_usage,
                country: subject_country(tbs.subject()),
            },
        })
    }
}

/// The subject's country (`C`), upper-cased; `None` if the subject names none or it is not text.
fn subject_country(subject: &x509_cert::name::Name) -> Option<String> {
    let attribute = subject.iter().find(|a| a.oid == OID_COUNTRY_NAME)?;
    let text = std::str::from_utf8(attribute.value.value()).ok()?.trim();
    (!text.is_empty() && text.len() <= 8).then(|| text.to_ascii_uppercase())
}

/// The DCC kid of a signer certificate: the first 8 bytes of SHA-256 of its DER.
pub fn dcc_kid(certificate_der: &[u8]) -> Kid {
    Kid::sha256_prefix(certificate_der)
}
