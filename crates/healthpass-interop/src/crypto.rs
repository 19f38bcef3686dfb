//! Foreign signing keys (ES256 on P-256, PS256 on RSA), parsed once and looked up by kid. The
//! signature check runs on `ring` by default, or on `aws-lc-rs` with the `aws-lc` feature (which
//! keeps each key in aws-lc's parsed form: faster, see BENCHMARKS.md).

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::der::{self, Decode, Encode};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoOwned};

use healthpass::keys::Kid;
use healthpass::verify::authenticate;
use healthpass::{Error, Result};

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
    pub fn from_cose(alg: &coset::Algorithm) -> Option<Self> {
        use coset::{RegisteredLabelWithPrivate::Assigned, iana::Algorithm};
        match alg {
            Assigned(Algorithm::ES256) => Some(ForeignAlg::Es256),
            Assigned(Algorithm::PS256) => Some(ForeignAlg::Ps256),
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyMaterial {
    /// An uncompressed P-256 point (65 bytes).
    P256(Vec<u8>),
    /// A PKCS#1 `RSAPublicKey` (DER).
    Rsa(Vec<u8>),
}

/// The signature check on `ring`: ring 0.17 has no public parsed verification key, so each
/// check reads the key bytes again.
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
mod backend {
    use ring::signature::{self, UnparsedPublicKey};

    use super::KeyMaterial;

    #[derive(Debug, Clone)]
    pub(super) struct Checker;

    impl Checker {
        pub(super) fn new(_: &KeyMaterial) -> Self {
            Checker
        }

        pub(super) fn verify(&self, material: &KeyMaterial, message: &[u8], signature: &[u8]) -> bool {
            match material {
                KeyMaterial::P256(point) => {
                    UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point).verify(message, signature)
                }
                KeyMaterial::Rsa(pkcs1) => {
                    UnparsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA256, pkcs1).verify(message, signature)
                }
            }
            .is_ok()
        }
    }
}

/// The signature check on `aws-lc-rs`, with the key parsed once. A key that aws-lc refuses is
/// kept and fails every check, exactly as under `ring` (which refuses it at each check), so the
/// two backends accept and refuse the same codes.
#[cfg(feature = "aws-lc")]
mod backend {
    use aws_lc_rs::signature::{self, ParsedPublicKey};

    use super::KeyMaterial;

    #[derive(Debug, Clone)]
    pub(super) struct Checker(Option<ParsedPublicKey>);

    impl Checker {
        pub(super) fn new(material: &KeyMaterial) -> Self {
            let parsed = match material {
                KeyMaterial::P256(point) => ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point),
                KeyMaterial::Rsa(pkcs1) => ParsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA256, pkcs1),
            };
            Checker(parsed.ok())
        }

        pub(super) fn verify(&self, _: &KeyMaterial, message: &[u8], signature: &[u8]) -> bool {
            self.0.as_ref().is_some_and(|key| key.verify_sig(message, signature).is_ok())
        }
    }
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
        Ok(ForeignKey { kid, alg: key_alg, spki: spki.to_vec(), material, checker, certificate: None, issuer: None })
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
            let bytes =
                URL_SAFE_NO_PAD.decode(value).map_err(|_| Error::Key(format!("JWK: `{name}` is not base64url")))?;
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
    Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes())))
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

/// Trusted foreign keys by kid. Several keys may share a kid (DCC trust lists do hold such
/// pairs); a verifier tries each.
#[derive(Debug, Clone, Default)]
pub struct ForeignKeys {
    by_kid: HashMap<Kid, Vec<ForeignKey>>,
}

impl ForeignKeys {
    /// An empty set.
    pub fn new() -> Self {
        ForeignKeys::default()
    }

    /// Adds a key under its kid.
    pub fn insert(&mut self, key: ForeignKey) -> &mut Self {
        self.by_kid.entry(key.kid.clone()).or_default().push(key);
        self
    }

    /// Adds a trust-list entry `(kid, alg, SPKI DER)`.
    ///
    /// # Errors
    /// Those of [`ForeignKey::from_spki_der`].
    pub fn insert_spki(&mut self, kid: Kid, alg: Option<ForeignAlg>, spki: &[u8]) -> Result<&mut Self> {
        Ok(self.insert(ForeignKey::from_spki_der(kid, alg, spki)?))
    }

    /// Adds a signer certificate (DER).
    ///
    /// # Errors
    /// Those of [`ForeignKey::from_x509_der`].
    pub fn insert_x509_der(&mut self, der: &[u8]) -> Result<&mut Self> {
        Ok(self.insert(ForeignKey::from_x509_der(der)?))
    }

    /// Every key with this kid.
    pub fn get(&self, kid: &Kid) -> &[ForeignKey] {
        self.by_kid.get(kid).map(Vec::as_slice).unwrap_or_default()
    }

    /// Finds the key with this kid under which `signature` over `message` verifies with `alg`.
    ///
    /// # Errors
    /// [`Error::UnknownKid`] when no key has the kid, [`Error::UnsupportedAlg`] when no key with
    /// the kid is for `alg`, [`Error::BadSignature`] when none verifies.
    pub fn verify(&self, kid: &Kid, alg: ForeignAlg, message: &[u8], signature: &[u8]) -> Result<&ForeignKey> {
        let found = authenticate(
            kid,
            self.get(kid),
            |key| key.verify(alg, message, signature),
            |kid| Error::UnknownKid(kid.to_string()),
        )?;
        found.into_iter().next().ok_or(Error::BadSignature)
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

impl FromIterator<ForeignKey> for ForeignKeys {
    fn from_iter<I: IntoIterator<Item = ForeignKey>>(keys: I) -> Self {
        let mut set = ForeignKeys::new();
        keys.into_iter().for_each(|k| {
            set.insert(k);
        });
        set
    }
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
