//! `verify 'HC1:…' --dcc-cert F --csca FILE`: the signer certificate (DSC) that signed the DCC
//! must have a valid path to a CSCA of its country in the PEM bundle FILE. Path validation is
//! `healthpass_interop::dcc_csca` (rustls-webpki); this module reads files and prints.

use std::path::Path;

use healthpass::Limits;
use healthpass::decide::Finding;
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_csca::CscaStore;
use healthpass_interop::dcc_kid;

use crate::common::{Failure, read_file};

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// Every certificate of a PEM bundle, as CSCAs.
pub(crate) fn load(path: &Path) -> Result<CscaStore, Failure> {
    let bytes = read_file(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut store = CscaStore::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find(BEGIN) {
        let tail = rest.get(start..).unwrap_or_default();
        let end = tail.find(END).ok_or_else(|| {
            Failure::Usage(format!("{}: PEM: certificate {} has no END line", path.display(), store.len() + 1))
        })?;
        let block = tail.get(..end + END.len()).unwrap_or_default();
        let (_, der) = x509_cert::der::pem::decode_vec(block.as_bytes())
            .map_err(|e| Failure::Usage(format!("{}: PEM: certificate {}: {e}", path.display(), store.len() + 1)))?;
        let number = store.len() + 1;
        store
            .insert_der(&der)
            .map_err(|e| Failure::Usage(format!("{}: certificate {number}: [{}] {e}", path.display(), e.code())))?;
        rest = tail.get(end + END.len()..).unwrap_or_default();
    }
    if store.is_empty() {
        return Err(Failure::Usage(format!("{}: no PEM certificate (CSCA) found", path.display())));
    }
    Ok(store)
}

/// Refuses the DCC unless the DSC among `dsc_ders` whose kid it names chains to a CSCA of its
/// country, valid when the DCC was signed (`iat`), with a key usage that allows its type.
/// The refusal, if any, is returned for the verdict; a code that cannot be read is a failure.
pub(crate) fn check(text: &str, dsc_ders: &[Vec<u8>], store: &CscaStore) -> Result<Option<Finding>, Failure> {
    let limits = Limits::DEFAULT;
    let code = UnverifiedDcc::parse(text, &limits)?;
    let kid = code.kid()?;
    let cwt = code.cwt_unverified(&limits)?;
    let usage = cwt.usage()?;
    let Some(signed_at) = cwt.issued_at else {
        return Ok(Some(Finding::new("foreign", "the DCC has no iat (issue time) to check its chain at")));
    };
    let mut last = None;
    for der in dsc_ders.iter().filter(|der| dcc_kid(der) == kid) {
        match store.verify_dsc(der, Some(usage), signed_at) {
            Ok(_) => return Ok(None),
            Err(e) => last = Some(e),
        }
    }
    Ok(Some(match last {
        Some(e) => Finding::new(e.code(), e.to_string()),
        None => Finding::new("csca_untrusted", "no --dcc-cert has the DCC's kid"),
    }))
}
