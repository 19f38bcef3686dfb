//! Foreign signing keys (ES256 on P-256, PS256 on RSA), parsed once and looked up by kid. The
//! signature check runs on `ring` by default, or on `aws-lc-rs` with the `aws-lc` feature (which
//! keeps each key in aws-lc's parsed form: faster, see BENCHMARKS.md).

use data_encoding::BASE64URL_NOPAD;
use sha2::{Digest, Sha256};
use x509_cert::der::{self, Decode, Encode};
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoOwned};

use healthpass::keys::Kid;
use healthpass::trust::KeyFingerprint;
use healthpass::{Error, Result};

mod backend;
mod certificate;
mod keys;

pub use certificate::{CertificateInfo, SignerCertificate, dcc_kid};
pub use keys::ForeignKeys;

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// countryName (X.520 `C`).
const OID_COUNTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// The field prime of P-256, as it appears in explicit curve parameters.
const P256_PRIME: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];
/// Signer certificates and JWK files larger than this are refused before parsing.
const MAX_KEY_INPUT: usize = 16 * 1024;

/// A signature algorithm of the foreign formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ForeignAlg {
    /// ECDSA on P-256 with SHA-256, signature as the 64-byte `r ‖ s` (COSE alg -7, JWS `ES256`).
    Es256,
    /// RSASSA-PSS with SHA-256 and MGF1-SHA-256, RSA keys of 2048 to 8192 bits (COSE alg -37).
    Ps256,
}

impl ForeignAlg {
    /// The algorithm of a COSE `alg` value, if it is one of the supported ones.
    pub fn from_cose(alg: &healthpass::cose::Alg) -> Option<Self> {
        use healthpass::cose::Alg;
        match alg {
            alg if alg.is(Alg::ES256) => Some(ForeignAlg::Es256),
            alg if alg.is(Alg::PS256) => Some(ForeignAlg::Ps256),
            _ => None,
        }
    }

    /// The JOSE / COSE name.
    pub fn name(self) -> &'static str {
        match self {
            ForeignAlg::Es256 => "ES256",
            ForeignAlg::Ps256 => "PS256",
        }
    }
}

/// A certificate-type permission from a DCC signer certificate's extended key usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DccUsage {
    /// May sign test certificates (OID `1.3.6.1.4.1.1847.2021.1.1` or `…0.1847.2021.1.1`).
    Test,
    /// May sign vaccination certificates (`…1847.2021.1.2`).
    Vaccination,
    /// May sign recovery certificates (`…1847.2021.1.3`).
    Recovery,
}

impl DccUsage {
    /// The usage an extended-key-usage OID grants, for both spellings the DCC specification lists.
    pub fn from_oid(oid: &str) -> Option<Self> {
        let rest =
            oid.strip_prefix("1.3.6.1.4.1.1847.2021.1.").or_else(|| oid.strip_prefix("1.3.6.1.4.1.0.1847.2021.1."))?;
        match rest {
            "1" => Some(DccUsage::Test),
            "2" => Some(DccUsage::Vaccination),
            "3" => Some(DccUsage::Recovery),
            _ => None,
        }
    }

    /// The name used in messages: `test`, `vaccination`, `recovery`.
    pub fn name(self) -> &'static str {
        match self {
            DccUsage::Test => "test",
            DccUsage::Vaccination => "vaccination",
            DccUsage::Recovery => "recovery",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyMaterial {
    /// An uncompressed P-256 point (65 bytes).
    P256(Vec<u8>),
    /// A PKCS#1 `RSAPublicKey` (DER).
    Rsa(Vec<u8>),
}

/// One trusted foreign public key: its kid, its algorithm, its SubjectPublicKeyInfo and, when it
/// came from a certificate, that certificate's validity and key usage.
///
/// The key is parsed once when it is built; each verification then only runs the signature check.
/// Two keys are equal when their kid, algorithm, key, certificate and issuer are.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    kid: Kid,
    alg: ForeignAlg,
    spki: Vec<u8>,
    material: KeyMaterial,
    checker: backend::Checker,
    /// SHA-256 of the SPKI, computed once (every verified code carries it).
    fingerprint: KeyFingerprint,
    certificate: Option<CertificateInfo>,
    issuer: Option<String>,
}

impl PartialEq for ForeignKey {
    fn eq(&self, other: &Self) -> bool {
        // The checker is derived from the material.
        (&self.kid, self.alg, &self.spki, &self.material, &self.certificate, &self.issuer)
            == (&other.kid, other.alg, &other.spki, &other.material, &other.certificate, &other.issuer)
    }
}

impl Eq for ForeignKey {}

impl ForeignKey {
    /// A key from an X.509 signer certificate (DER), as DCC trust lists publish them. The kid is
    /// the first 8 bytes of SHA-256 of the certificate DER; the algorithm follows the key type
    /// (P-256 → ES256, RSA → PS256). The certificate's own signature is not checked: trust comes
    /// from the list that holds it.
    ///
    /// # Errors
    /// [`Error::TooLarge`] over 16 KiB, [`Error::Key`] for a malformed certificate, an
    /// unsupported key type or curve, or unreadable validity.
    pub fn from_x509_der(der: &[u8]) -> Result<Self> {
        let certificate = SignerCertificate::from_der(der)?;
        let spki = certificate.spki_der.clone();
        let mut key = ForeignKey::from_spki_der(certificate.kid.clone(), None, &spki)?;
        key.certificate = Some(certificate.info);
        Ok(key)
    }

    /// A key from a SubjectPublicKeyInfo (DER) under a given kid, as a trust-list entry
    /// `(kid, alg, SPKI)` holds it. With `alg` set, the key type must match it.
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::Key`] for a malformed SPKI, an unsupported key type, or a
    /// key that does not fit `alg`.
    pub fn from_spki_der(kid: Kid, alg: Option<ForeignAlg>, spki: &[u8]) -> Result<Self> {
        if spki.len() > MAX_KEY_INPUT {
            return Err(Error::TooLarge { what: "public key", limit: MAX_KEY_INPUT });
        }
        let info = SubjectPublicKeyInfoOwned::from_der(spki).map_err(|e| Error::Key(format!("SPKI: {e}")))?;
        let (key_alg, material) = material_of(&info)?;
        if alg.is_some_and(|a| a != key_alg) {
            return Err(Error::Key(format!(
                "the key is for {}, not {}",
                key_alg.name(),
                alg.map_or("", ForeignAlg::name)
            )));
        }
        let checker = backend::Checker::new(&material);
        let fingerprint = KeyFingerprint::of(spki);
        Ok(ForeignKey {
            kid,
            alg: key_alg,
            spki: spki.to_vec(),
            material,
            checker,
            fingerprint,
            certificate: None,
            issuer: None,
        })
    }

    /// A P-256 key from a JSON Web Key (`kty` EC, `crv` P-256, `x`, `y`). The kid is the JWK's
    /// `kid` when given, else its RFC 7638 thumbprint.
    ///
    /// # Errors
    /// [`Error::Key`] for a JWK that is not an EC P-256 key with valid coordinates.
    pub fn from_jwk(jwk: &serde_json::Value) -> Result<Self> {
        let text = |name: &str| jwk.get(name).and_then(serde_json::Value::as_str);
        if text("kty") != Some("EC") || text("crv") != Some("P-256") {
            return Err(Error::Key("JWK: only EC keys on P-256 are supported".into()));
        }
        let coordinate = |name: &str| -> Result<Vec<u8>> {
            let value = text(name).ok_or_else(|| Error::Key(format!("JWK: missing `{name}`")))?;
            let bytes = BASE64URL_NOPAD
                .decode(value.as_bytes())
                .map_err(|_| Error::Key(format!("JWK: `{name}` is not base64url")))?;
            if bytes.len() != 32 {
                return Err(Error::Key(format!("JWK: `{name}` is not 32 bytes")));
            }
            Ok(bytes)
        };
        let mut point = vec![4u8];
        point.extend(coordinate("x")?);
        point.extend(coordinate("y")?);
        let spki = p256_spki(&point)?;
        let kid = match text("kid") {
            Some(kid) => Kid::new(kid.as_bytes()).ok_or_else(|| Error::Key("JWK: `kid` is empty".into()))?,
            None => Kid::new(jwk_thumbprint(jwk)?.into_bytes()).ok_or(Error::MissingKid)?,
        };
        ForeignKey::from_spki_der(kid, Some(ForeignAlg::Es256), &spki)
    }

    /// The same key bound to one issuer (such as a DCC country or an NZCP DID).
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The same key under another kid.
    pub fn with_kid(mut self, kid: Kid) -> Self {
        self.kid = kid;
        self
    }

    /// The key's kid.
    pub fn kid(&self) -> &Kid {
        &self.kid
    }

    /// The algorithm the key is for.
    pub fn alg(&self) -> ForeignAlg {
        self.alg
    }

    /// The SubjectPublicKeyInfo (DER).
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The key's fingerprint: SHA-256 of its SubjectPublicKeyInfo, as [`KeyFingerprint::of`]
    /// computes it.
    pub fn fingerprint(&self) -> &KeyFingerprint {
        &self.fingerprint
    }

    /// The signer certificate's validity and key usage, when the key came from a certificate.
    pub fn certificate(&self) -> Option<&CertificateInfo> {
        self.certificate.as_ref()
    }

    /// The issuer the key is bound to, if any.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// Checks `signature` over `message` under `alg`, which must be the key's own algorithm.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlg`] when `alg` is not the key's algorithm (for example an ES256
    /// header on an RSA key), [`Error::BadSignature`] when the signature does not verify.
    pub fn verify(&self, alg: ForeignAlg, message: &[u8], signature: &[u8]) -> Result<()> {
        if alg != self.alg {
            return Err(Error::UnsupportedAlg(format!("{} with a key for {}", alg.name(), self.alg.name())));
        }
        if self.checker.verify(&self.material, message, signature) { Ok(()) } else { Err(Error::BadSignature) }
    }
}

fn material_of(info: &SubjectPublicKeyInfoOwned) -> Result<(ForeignAlg, KeyMaterial)> {
    let key = info.subject_public_key.as_bytes().ok_or_else(|| Error::Key("SPKI: the key has unused bits".into()))?;
    let oid = info.algorithm.oid;
    if oid == OID_EC_PUBLIC_KEY {
        let parameters = info.algorithm.parameters.as_ref();
        match parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok()) {
            Some(curve) if curve == OID_P256 => {}
            Some(curve) => return Err(Error::Key(format!("SPKI: EC curve {curve} is not supported (only P-256)"))),
            // Explicit curve parameters (RFC 3279 ECParameters), as some signer certificates
            // carry: accepted when they name the P-256 field prime.
            None => {
                let explicit = parameters.and_then(|p| p.to_der().ok()).unwrap_or_default();
                if !explicit.windows(P256_PRIME.len()).any(|w| w == P256_PRIME) {
                    return Err(Error::Key("SPKI: EC key on a curve other than P-256".into()));
                }
            }
        }
        if key.len() != 65 || key.first() != Some(&4) {
            return Err(Error::Key("SPKI: the P-256 point is not an uncompressed point".into()));
        }
        return Ok((ForeignAlg::Es256, KeyMaterial::P256(key.to_vec())));
    }
    if oid == OID_RSA || oid == OID_RSA_PSS {
        return Ok((ForeignAlg::Ps256, KeyMaterial::Rsa(key.to_vec())));
    }
    Err(Error::Key(format!("SPKI: key algorithm {oid} is not supported")))
}

fn p256_spki(point: &[u8]) -> Result<Vec<u8>> {
    use x509_cert::der::asn1::BitString;
    use x509_cert::spki::AlgorithmIdentifierOwned;
    let info = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned { oid: OID_EC_PUBLIC_KEY, parameters: Some(der::Any::from(&OID_P256)) },
        subject_public_key: BitString::from_bytes(point).map_err(|e| Error::Key(format!("JWK: {e}")))?,
    };
    info.to_der().map_err(|e| Error::Key(format!("JWK: {e}")))
}

/// The RFC 7638 thumbprint of an EC JWK: base64url of SHA-256 over `{"crv","kty","x","y"}` in
/// that order, without spaces.
///
/// # Errors
/// [`Error::Key`] if a member is missing.
pub fn jwk_thumbprint(jwk: &serde_json::Value) -> Result<String> {
    let member = |name: &str| {
        jwk.get(name).and_then(serde_json::Value::as_str).ok_or_else(|| Error::Key(format!("JWK: missing `{name}`")))
    };
    // serde_json escapes strings exactly as RFC 7638 requires (RFC 8259 minimal form).
    let json = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let canonical = format!(
        r#"{{"crv":{},"kty":{},"x":{},"y":{}}}"#,
        json(member("crv")?),
        json(member("kty")?),
        json(member("x")?),
        json(member("y")?)
    );
    Ok(BASE64URL_NOPAD.encode(&Sha256::digest(canonical.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_oids_in_both_spellings() {
        assert_eq!(DccUsage::from_oid("1.3.6.1.4.1.1847.2021.1.1"), Some(DccUsage::Test));
        assert_eq!(DccUsage::from_oid("1.3.6.1.4.1.0.1847.2021.1.2"), Some(DccUsage::Vaccination));
        assert_eq!(DccUsage::from_oid("1.3.6.1.4.1.1847.2021.1.3"), Some(DccUsage::Recovery));
        assert_eq!(DccUsage::from_oid("1.3.6.1.4.1.1847.2021.1.4"), None);
        assert_eq!(DccUsage::from_oid("1.3.6.1.5.5.7.3.2"), None);
    }

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 section 3.1 uses an RSA key; this EC key's thumbprint is the SMART Health
        // Cards example issuer's published kid.
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256",
            "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
            "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"
        });
        assert_eq!(jwk_thumbprint(&jwk).unwrap(), "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
    }

    #[test]
    fn a_key_of_the_wrong_type_refuses_the_other_alg() {
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256",
            "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
            "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"
        });
        let key = ForeignKey::from_jwk(&jwk).unwrap();
        assert!(matches!(key.verify(ForeignAlg::Ps256, b"m", &[0; 256]), Err(Error::UnsupportedAlg(_))));
        assert_eq!(key.verify(ForeignAlg::Es256, b"m", &[0; 64]), Err(Error::BadSignature));
        let keys: ForeignKeys = [key].into_iter().collect();
        assert!(matches!(
            keys.verify(&Kid::new(b"nope".as_slice()).unwrap(), ForeignAlg::Es256, b"m", &[0; 64]),
            Err(Error::UnknownKid(_))
        ));
    }
}
