//! The issuing country of a DCC, bound to the country of the certificate that signed it.

use super::{DccCwt, DccPayload};
use crate::CertificateInfo;
use healthpass::{Error, Result};

/// The country a DCC is issued by: its CWT `iss` when that is a country code (two ASCII
/// letters, ISO 3166-1 alpha-2); else the signer certificate's country (subject `C`) when the
/// key has a certificate that names one; else the country `co` of its one entry. The DCC
/// specification lets `iss` hold the issuing country's code, or leave it out; an `iss` that
/// names an authority instead (as Georgia's test codes do) claims no country. The entry's `co`
/// is where the event took place (a vaccination abroad), so it is only the last resort.
/// Upper-cased.
///
/// # Errors
/// Those of [`DccPayload::entry`].
pub fn claimed_country(cwt: &DccCwt, payload: &DccPayload, certificate: Option<&CertificateInfo>) -> Result<String> {
    match (cwt.issuer.as_deref(), certificate.and_then(|info| info.country.as_deref())) {
        (Some(iss), _) if is_country_code(iss) => Ok(iss.to_ascii_uppercase()),
        (_, Some(country)) if is_country_code(country) => Ok(country.to_ascii_uppercase()),
        _ => Ok(payload.entry()?.country().to_ascii_uppercase()),
    }
}

/// Checks that the claimed issuing country is the signer certificate's country (subject `C`).
/// A key without a certificate, or a certificate that names no country, binds no country here
/// (a key from a trust list is bound with [`crate::ForeignKey::with_issuer`] instead).
///
/// # Errors
/// [`Error::IssuerCountryMismatch`] naming both countries.
pub fn check_issuer_country(certificate: Option<&CertificateInfo>, claimed: &str) -> Result<()> {
    match certificate.and_then(|info| info.country.as_deref()) {
        Some(country) if !country.eq_ignore_ascii_case(claimed) => {
            Err(Error::IssuerCountryMismatch { claimed: claimed.to_owned(), certificate: country.to_owned() })
        }
        _ => Ok(()),
    }
}

fn is_country_code(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic())
}
