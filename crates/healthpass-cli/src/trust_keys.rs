//! The keys `trust-list add` accepts, as docs/TRUST.md specifies entries: Ed25519 public keys
//! (native codes; kid derived), ES256 and PS256 public keys (SPKI PEM, with the kid their codes
//! name), and X.509 signer certificates (PEM, DER or base64; kid the DCC kid of the
//! certificate unless given). Parsing is the interop crate's (`ForeignKey`); this module only
//! picks the reader by the file's content.

use std::path::Path;

use healthpass::PublicKey;
use healthpass::keys::Kid;
use healthpass::trust::KeyAlgorithm;
use healthpass_interop::{ForeignAlg, ForeignKey};

use crate::common::{Failure, certificate_der, read_file};

/// `(kid, algorithm, key bytes as the entry holds them)`.
type EntryKey = (Kid, KeyAlgorithm, Vec<u8>);

fn algorithm(alg: ForeignAlg) -> KeyAlgorithm {
    match alg {
        ForeignAlg::Es256 => KeyAlgorithm::Es256,
        ForeignAlg::Ps256 => KeyAlgorithm::Ps256,
    }
}

fn parse_kid(path: &Path, text: &str) -> Result<Kid, Failure> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .map_err(|_| Failure::Usage(format!("--kid {text}: expected hex digits")))?;
    Kid::new(bytes).ok_or_else(|| Failure::Usage(format!("{}: --kid is empty", path.display())))
}

/// Every key in the file, ready for an entry. Errors name the file.
pub(crate) fn entry_keys(path: &Path, kid: Option<&str>) -> Result<Vec<EntryKey>, Failure> {
    let named = |e: healthpass::Error| Failure::Usage(format!("{}: {e}", path.display()));
    let bytes = read_file(path)?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("-----BEGIN PUBLIC KEY-----") {
        if let Ok(keys) = PublicKey::read_file(path) {
            if let Some(kid) = kid {
                let wanted = parse_kid(path, kid)?;
                if keys.iter().any(|k| k.kid() != wanted) {
                    return Err(Failure::Usage(format!(
                        "{}: an Ed25519 key's kid is derived from the key; leave out --kid",
                        path.display()
                    )));
                }
            }
            return Ok(keys.iter().map(|k| (k.kid(), KeyAlgorithm::Ed25519, k.to_bytes().to_vec())).collect());
        }
        let (label, spki) = x509_cert::der::pem::decode_vec(&bytes)
            .map_err(|e| Failure::Usage(format!("{}: PEM: {e}", path.display())))?;
        if label != "PUBLIC KEY" {
            return Err(Failure::Usage(format!("{}: a PEM {label} block, not a PUBLIC KEY", path.display())));
        }
        let kid = kid.ok_or_else(|| {
            Failure::Usage(format!(
                "{}: an ES256/PS256 public key needs --kid HEX (the kid its codes name)",
                path.display()
            ))
        })?;
        let key = ForeignKey::from_spki_der(parse_kid(path, kid)?, None, &spki).map_err(named)?;
        return Ok(vec![(key.kid().clone(), algorithm(key.alg()), key.spki_der().to_vec())]);
    }
    if text.contains("PRIVATE KEY-----") {
        return Err(Failure::Usage(format!(
            "{}: holds a SECRET key; a trust list takes the public key (the .pub file)",
            path.display()
        )));
    }
    let der = certificate_der(path)?;
    let key = ForeignKey::from_x509_der(&der).map_err(named)?;
    let kid = match kid {
        Some(kid) => parse_kid(path, kid)?,
        None => key.kid().clone(),
    };
    Ok(vec![(kid, algorithm(key.alg()), key.spki_der().to_vec())])
}
