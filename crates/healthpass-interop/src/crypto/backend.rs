//! The signature check of a foreign key, on `ring` (the default) or `aws-lc-rs`.

/// The signature check on `ring`: ring 0.17 has no public parsed verification key, so each
/// check reads the key bytes again.
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
mod imp {
    use ring::signature::{self, UnparsedPublicKey};

    use super::super::KeyMaterial;

    #[derive(Debug, Clone)]
    pub(in crate::crypto) struct Checker;

    impl Checker {
        pub(in crate::crypto) fn new(_: &KeyMaterial) -> Self {
            Checker
        }

        pub(in crate::crypto) fn verify(&self, material: &KeyMaterial, message: &[u8], signature: &[u8]) -> bool {
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
mod imp {
    use aws_lc_rs::signature::{self, ParsedPublicKey};

    use super::super::KeyMaterial;

    #[derive(Debug, Clone)]
    pub(in crate::crypto) struct Checker(Option<ParsedPublicKey>);

    impl Checker {
        pub(in crate::crypto) fn new(material: &KeyMaterial) -> Self {
            let parsed = match material {
                KeyMaterial::P256(point) => ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point),
                KeyMaterial::Rsa(pkcs1) => ParsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA256, pkcs1),
            };
            Checker(parsed.ok())
        }

        pub(in crate::crypto) fn verify(&self, _: &KeyMaterial, message: &[u8], signature: &[u8]) -> bool {
            self.0.as_ref().is_some_and(|key| key.verify_sig(message, signature).is_ok())
        }
    }
}

pub(super) use imp::Checker;
