//! CSCA → DSC: a DCC signer certificate (DSC) is trusted only with a valid X.509 path to a
//! Country Signing CA (CSCA) of its own country.
//!
//! Path validation is `rustls-webpki` (signatures along the path, validity of every certificate
//! at the given time, basic constraints, name constraints, path length), not hand-written. What
//! this module adds is DCC policy around it:
//! - **Key usage**: webpki's extended-key-usage hook ([`webpki::ExtendedKeyUsageValidator`])
//!   applies the DCC rule: a certificate without the extension may sign every DCC type; one with
//!   it must list the OID of the DCC's type (`1.3.6.1.4.1.1847.2021.1.1` test, `.2` vaccination,
//!   `.3` recovery, or the `1.3.6.1.4.1.0.1847.2021.1.x` spelling the specification also lists).
//! - **Country**: the DSC's subject `C` must equal the CSCA's `C`. Paths are built to the CSCAs
//!   of the DSC's country only; a DSC that would chain to another country's CSCA is refused as
//!   [`CscaError::WrongCountry`], not as untrusted, so the two are told apart.
//! - **Time**: the chain is checked at the time the caller gives: for a DCC, its `iat` (the DSC
//!   and its CSCA must have been valid when the DCC was signed, as for ICAO 9303 documents).
//!
//! Errors are [`CscaError`] with a stable [`CscaError::code`], kept beside the core's `Error`
//! (whose variants belong to the core crate) until the two are merged.

use std::fmt;

use chrono::{DateTime, Utc};
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyPurposeIdIter};

use x509_cert::spki::ObjectIdentifier;

use crate::crypto::{CertificateInfo, DccUsage, SignerCertificate};

/// Certificates larger than this are refused before parsing.
const MAX_CERTIFICATE_BYTES: usize = 16 * 1024;
/// CSCAs one store holds.
const MAX_CSCAS: usize = 10_000;

/// Why a DSC is not trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CscaError {
    /// A certificate (`what`: `CSCA` or `DSC`) could not be read.
    Malformed {
        /// Which certificate.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A certificate names no country (`C`).
    NoCountry(&'static str),
    /// No CSCA of the DSC's country (or of any country) signed it.
    Untrusted(String),
    /// The DSC chains only to a CSCA of another country.
    WrongCountry {
        /// The DSC's country.
        dsc: String,
        /// The country of the CSCA it chains to.
        csca: String,
    },
    /// A certificate of the path had expired at the time checked.
    Expired(String),
    /// A certificate of the path was not yet valid at the time checked.
    NotYetValid(String),
    /// The DSC's extended key usage does not allow this DCC type.
    KeyUsage(&'static str),
    /// The path is otherwise invalid (signature, constraints, algorithm).
    Invalid(String),
    /// More CSCAs than a store holds.
    TooMany(usize),
}

impl CscaError {
    /// A stable code for reports: `csca_malformed`, `csca_no_country`, `csca_untrusted`,
    /// `csca_wrong_country`, `csca_expired`, `csca_not_yet_valid`, `csca_key_usage`,
    /// `csca_invalid`, `too_large`.
    pub fn code(&self) -> &'static str {
        match self {
            CscaError::Malformed { .. } => "csca_malformed",
            CscaError::NoCountry(_) => "csca_no_country",
            CscaError::Untrusted(_) => "csca_untrusted",
            CscaError::WrongCountry { .. } => "csca_wrong_country",
            CscaError::Expired(_) => "csca_expired",
            CscaError::NotYetValid(_) => "csca_not_yet_valid",
            CscaError::KeyUsage(_) => "csca_key_usage",
            CscaError::Invalid(_) => "csca_invalid",
            CscaError::TooMany(_) => "too_large",
        }
    }
}

impl fmt::Display for CscaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CscaError::Malformed { what, detail } => write!(f, "{what}: malformed certificate ({detail})"),
            CscaError::NoCountry(what) => write!(f, "{what}: the subject names no country (C)"),
            CscaError::Untrusted(detail) => write!(f, "DSC: no path to a CSCA of its country ({detail})"),
            CscaError::WrongCountry { dsc, csca } => {
                write!(f, "DSC of {dsc} chains only to a CSCA of {csca}: a DSC must chain to its own country's CSCA")
            }
            CscaError::Expired(detail) => write!(f, "certificate path expired: {detail}"),
            CscaError::NotYetValid(detail) => write!(f, "certificate path not yet valid: {detail}"),
            CscaError::KeyUsage(usage) => write!(f, "DSC: its extended key usage does not allow {usage} certificates"),
            CscaError::Invalid(detail) => write!(f, "certificate path invalid: {detail}"),
            CscaError::TooMany(limit) => write!(f, "more than {limit} CSCA certificates"),
        }
    }
}

impl std::error::Error for CscaError {}

/// The DCC extended-key-usage policy for one DCC type, as a webpki EKU validator.
struct DccEku(Option<DccUsage>);

impl webpki::ExtendedKeyUsageValidator for DccEku {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut present = false;
        for purpose in iter {
            present = true;
            match (self.0, dcc_usage(&purpose?)) {
                (Some(wanted), Some(granted)) if wanted == granted => return Ok(()),
                (None, Some(_)) => return Ok(()),
                _ => {}
            }
        }
        // No extension: every type. An extension without the type's OID: refused. The unit
        // variant is deprecated for webpki's own EKU kinds, whose context a DCC OID does not fit.
        #[allow(deprecated)]
        if present { Err(webpki::Error::RequiredEkuNotFound) } else { Ok(()) }
    }
}

/// One trusted CSCA: its country, its webpki trust anchor and its validity (which webpki does
/// not check for an anchor, so it is checked here, on the path webpki found).
#[derive(Debug, Clone)]
struct Csca {
    country: String,
    anchor: TrustAnchor<'static>,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
}

/// The DCC type an extended-key-usage OID grants, compared as DER bytes (webpki 0.103's
/// `to_decoded_oid` shifts by 8 bits where base-128 needs 7, so `1847` would not read back).
fn dcc_usage(purpose: &webpki::KeyPurposeId<'_>) -> Option<DccUsage> {
    const OIDS: [(&str, DccUsage); 6] = [
        ("1.3.6.1.4.1.1847.2021.1.1", DccUsage::Test),
        ("1.3.6.1.4.1.1847.2021.1.2", DccUsage::Vaccination),
        ("1.3.6.1.4.1.1847.2021.1.3", DccUsage::Recovery),
        ("1.3.6.1.4.1.0.1847.2021.1.1", DccUsage::Test),
        ("1.3.6.1.4.1.0.1847.2021.1.2", DccUsage::Vaccination),
        ("1.3.6.1.4.1.0.1847.2021.1.3", DccUsage::Recovery),
    ];
    OIDS.iter().find_map(|(dotted, usage)| {
        let oid = ObjectIdentifier::new(dotted).ok()?;
        (*purpose == webpki::KeyPurposeId::new(oid.as_bytes())).then_some(*usage)
    })
}

/// Trusted CSCA certificates, each with its country.
#[derive(Debug, Clone, Default)]
pub struct CscaStore {
    cscas: Vec<Csca>,
}

impl CscaStore {
    /// An empty store.
    pub fn new() -> Self {
        CscaStore::default()
    }

    /// Adds a CSCA certificate (DER).
    ///
    /// # Errors
    /// [`CscaError::Malformed`] for a certificate over 16 KiB or that webpki cannot take as a
    /// trust anchor, [`CscaError::NoCountry`], [`CscaError::TooMany`] past 10,000.
    pub fn insert_der(&mut self, der: &[u8]) -> Result<&mut Self, CscaError> {
        if self.cscas.len() >= MAX_CSCAS {
            return Err(CscaError::TooMany(MAX_CSCAS));
        }
        let (country, info) = country_of(der, "CSCA")?;
        let certificate = CertificateDer::from(der);
        let anchor = webpki::anchor_from_trusted_cert(&certificate)
            .map_err(|e| CscaError::Malformed { what: "CSCA", detail: e.to_string() })?
            .to_owned();
        self.cscas.push(Csca { country, anchor, not_before: info.not_before, not_after: info.not_after });
        Ok(self)
    }

    /// CSCAs held.
    pub fn len(&self) -> usize {
        self.cscas.len()
    }

    /// Whether no CSCA is held.
    pub fn is_empty(&self) -> bool {
        self.cscas.is_empty()
    }

    /// Checks a DSC (DER): a valid path at `at` to a CSCA of the DSC's own country, with the
    /// DSC allowed to sign `usage` (`None`: any DCC type, so only an extension naming no DCC
    /// type at all is refused). Returns the DSC's country.
    ///
    /// Checked by webpki: every signature along the path, the validity at `at` of every
    /// certificate below the CSCA, basic constraints (the DSC must not be a CA), name
    /// constraints, path length. Checked here: the CSCA's own validity at `at`, the countries,
    /// and the DCC key-usage OIDs. Not checked: revocation of the DSC or CSCA (CRLs), X.509
    /// `keyUsage` bits.
    ///
    /// # Errors
    /// [`CscaError::Malformed`] / [`CscaError::NoCountry`] for the DSC; [`CscaError::Expired`],
    /// [`CscaError::NotYetValid`], [`CscaError::KeyUsage`], [`CscaError::WrongCountry`],
    /// [`CscaError::Untrusted`] and [`CscaError::Invalid`] for the path.
    pub fn verify_dsc(&self, dsc_der: &[u8], usage: Option<DccUsage>, at: DateTime<Utc>) -> Result<String, CscaError> {
        let (country, _) = country_of(dsc_der, "DSC")?;
        let certificate = CertificateDer::from(dsc_der);
        let end_entity = EndEntityCert::try_from(&certificate)
            .map_err(|e| CscaError::Malformed { what: "DSC", detail: e.to_string() })?;
        let time = unix(at);
        // webpki does not check an anchor's dates: the path is accepted only if a CSCA with the
        // anchor's subject and key was valid at `at`.
        let anchor_valid = |path: &webpki::VerifiedPath<'_>| -> Result<(), webpki::Error> {
            let anchor = path.anchor();
            let same = |c: &&Csca| {
                c.anchor.subject == anchor.subject && c.anchor.subject_public_key_info == anchor.subject_public_key_info
            };
            let candidates: Vec<&Csca> = self.cscas.iter().filter(same).collect();
            if candidates.iter().any(|c| c.not_before <= at && at <= c.not_after) {
                Ok(())
            } else if let Some(c) = candidates.iter().find(|c| at < c.not_before) {
                Err(webpki::Error::CertNotValidYet { time, not_before: unix(c.not_before) })
            } else {
                let not_after = candidates.first().map_or(time, |c| unix(c.not_after));
                Err(webpki::Error::CertExpired { time, not_after })
            }
        };
        let check = |same_country: bool| {
            let anchors: Vec<TrustAnchor<'_>> = self
                .cscas
                .iter()
                .filter(|c| (c.country == country) == same_country)
                .map(|c| c.anchor.clone())
                .collect();
            end_entity
                .verify_for_usage(
                    webpki::ALL_VERIFICATION_ALGS,
                    &anchors,
                    &[],
                    time,
                    DccEku(usage),
                    None,
                    Some(&anchor_valid),
                )
                .map(|path| {
                    let anchor = path.anchor();
                    self.cscas
                        .iter()
                        .find(|c| c.anchor.subject == anchor.subject)
                        .map(|c| c.country.clone())
                        .unwrap_or_default()
                })
        };
        let first = match check(true) {
            Ok(_) => return Ok(country),
            Err(e) => e,
        };
        if matches!(first, webpki::Error::UnknownIssuer | webpki::Error::InvalidSignatureForPublicKey) {
            if let Ok(csca) = check(false) {
                return Err(CscaError::WrongCountry { dsc: country, csca });
            }
        }
        Err(map_error(first, usage))
    }
}

fn unix(at: DateTime<Utc>) -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(u64::try_from(at.timestamp()).unwrap_or(0)))
}

#[allow(deprecated)] // `RequiredEkuNotFound` is what `DccEku` returns.
fn map_error(error: webpki::Error, usage: Option<DccUsage>) -> CscaError {
    match error {
        webpki::Error::CertExpired { .. } => CscaError::Expired(error.to_string()),
        webpki::Error::CertNotValidYet { .. } => CscaError::NotYetValid(error.to_string()),
        webpki::Error::RequiredEkuNotFound | webpki::Error::RequiredEkuNotFoundContext(_) => {
            CscaError::KeyUsage(usage.map_or("any DCC", DccUsage::name))
        }
        // An anchor of the same name whose key did not sign it is no issuer either.
        webpki::Error::UnknownIssuer | webpki::Error::InvalidSignatureForPublicKey => {
            CscaError::Untrusted("no CSCA of its country signed it".into())
        }
        other => CscaError::Invalid(other.to_string()),
    }
}

/// The subject country of a certificate, read by the crate's certificate reader.
fn country_of(der: &[u8], what: &'static str) -> Result<(String, CertificateInfo), CscaError> {
    if der.len() > MAX_CERTIFICATE_BYTES {
        return Err(CscaError::Malformed { what, detail: format!("over {MAX_CERTIFICATE_BYTES} bytes") });
    }
    let certificate =
        SignerCertificate::from_der(der).map_err(|e| CscaError::Malformed { what, detail: e.to_string() })?;
    let country = certificate.info.country.clone().ok_or(CscaError::NoCountry(what))?;
    Ok((country, certificate.info))
}
