//! Hand-made Ed25519 signatures over native codes: keys and `R` with torsion components,
//! out-of-range `S`, non-canonical encodings. The shapes of the 12 cases of "Taming the many
//! EdDSAs" (test-vectors/ed25519-speccheck), rebuilt with curve25519-dalek over real codes.

use chrono::TimeDelta;
use chrono::{DateTime, TimeZone, Utc};
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::traits::IsIdentity;
use curve25519_dalek::{EdwardsPoint, Scalar};
use healthpass::keys::Kid;
use healthpass::transport::encode_base45;
use healthpass::{Claims, Error, Issuer, KeySet, PublicKey, SigningKey, Verifier};
use sha2::{Digest, Sha512};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn scalar(label: &[u8]) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&Sha512::digest(label).into())
}

/// A signer whose public key is `A = [a]B + torsion`, given by its encoding `public`.
#[derive(Clone)]
pub struct Signer {
    pub a: Scalar,
    pub public: [u8; 32],
}

impl Signer {
    /// `A = [a]B + EIGHT_TORSION[torsion]` (0: an honest, prime-order key).
    pub fn new(label: &[u8], torsion: usize) -> Self {
        let a = scalar(label);
        let point = EdwardsPoint::mul_base(&a) + EIGHT_TORSION[torsion];
        Signer { a, public: point.compress().to_bytes() }
    }

    pub fn key(&self) -> PublicKey {
        PublicKey::from_bytes(&self.public).unwrap()
    }

    fn point(&self) -> EdwardsPoint {
        curve25519_dalek::edwards::CompressedEdwardsY(self.public).decompress().unwrap()
    }
}

/// How to make `R` and `S`.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// `R = [r]B + EIGHT_TORSION[r_torsion]`, or only the torsion point when `r_zero`.
    pub r_torsion: usize,
    pub r_zero: bool,
    /// Add this many ℓ to `S` (the signature still satisfies the equation, but `S` ≥ ℓ).
    pub s_plus_ell: u8,
    /// Encode `R` (which must then be the identity) as the non-canonical `y = p + 1`; hash that
    /// encoding when true, the canonical one when false.
    pub non_canonical_r: Option<bool>,
}

impl Shape {
    pub const HONEST: Shape = Shape { r_torsion: 0, r_zero: false, s_plus_ell: 0, non_canonical_r: None };
}

/// The non-canonical encoding `y = p + 1` of the identity (canonically `y = 1`).
pub const IDENTITY_NON_CANONICAL: [u8; 32] = {
    let mut bytes = [0xff; 32];
    bytes[0] = 0xee;
    bytes[31] = 0x7f;
    bytes
};

/// The claims of every hand-made code, with a credential id from `round`.
pub fn payload(round: u32) -> Vec<u8> {
    let mut claims = Claims::example(now());
    claims.credential_id.0[..4].copy_from_slice(&round.to_le_bytes());
    claims.to_cbor()
}

/// A native code by `signer` over `payload` with a signature of the given shape, and the `k`
/// it was signed with.
pub fn code(signer: &Signer, payload: Vec<u8>, shape: Shape, round: u32) -> (String, Scalar) {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(Kid::of_ed25519(&signer.public).into_bytes())
        .build();
    let mut message = CoseSign1Builder::new().protected(protected).payload(payload).build();
    let tbs = message.tbs_data(&[]);
    let r = if shape.r_zero { Scalar::ZERO } else { scalar(&[b"r".as_slice(), &round.to_le_bytes()].concat()) };
    let big_r = EdwardsPoint::mul_base(&r) + EIGHT_TORSION[shape.r_torsion];
    let canonical = big_r.compress().to_bytes();
    let (sent, hashed) = match shape.non_canonical_r {
        None => (canonical, canonical),
        Some(hash_as_sent) => {
            assert!(big_r.is_identity());
            (IDENTITY_NON_CANONICAL, if hash_as_sent { IDENTITY_NON_CANONICAL } else { canonical })
        }
    };
    let k = Scalar::from_bytes_mod_order_wide(
        &Sha512::new().chain_update(hashed).chain_update(signer.public).chain_update(&tbs).finalize().into(),
    );
    let s = plus_ell((r + k * signer.a).to_bytes(), shape.s_plus_ell);
    message.signature = [sent, s].concat();
    (format!("HP1:{}", encode_base45(&message.to_tagged_vec().unwrap())), k)
}

/// Whether the cofactorless equation `[S]B = R + [k]A` holds for a signature of `shape` by
/// `signer` with challenge `k`: when the torsion parts cancel, `T_R = −[k]T_A`.
pub fn cofactorless_holds(signer: &Signer, shape: Shape, k: Scalar) -> bool {
    let torsion_a = signer.point() - EdwardsPoint::mul_base(&signer.a);
    (EIGHT_TORSION[shape.r_torsion] + k * torsion_a).is_identity()
}

/// `s + times·ℓ` as a 256-bit little-endian number.
pub fn plus_ell(mut s: [u8; 32], times: u8) -> [u8; 32] {
    // ℓ = 2²⁵² + 27742317777372353535851937790883648493, little-endian.
    let ell: [u8; 32] = data_encoding::HEXLOWER
        .decode(b"edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
        .unwrap()
        .try_into()
        .unwrap();
    for _ in 0..times {
        let mut carry = 0u16;
        for (byte, add) in s.iter_mut().zip(ell) {
            let sum = u16::from(*byte) + u16::from(add) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0, "S + ℓ must fit in 32 bytes");
    }
    s
}

/// One of the 12 speccheck shapes over a native code.
pub struct Case {
    pub name: &'static str,
    /// The key's encoding: trusted keys are loaded from it.
    pub key: [u8; 32],
    pub text: String,
    /// The verdict of the rule: `Ok` or the error code.
    pub expected: Result<(), &'static str>,
}

/// The 12 cases: small, mixed and prime-order `A` and `R`, cofactored against cofactorless,
/// `S` out of range, non-canonical `R` and `A`.
pub fn speccheck_cases() -> Vec<Case> {
    let honest = Signer::new(b"prime-order key", 0);
    let mixed = Signer::new(b"mixed-order key", 1);
    let small = Signer { a: Scalar::ZERO, public: EIGHT_TORSION[1].compress().to_bytes() };
    let non_canonical_a = Signer { a: Scalar::ZERO, public: IDENTITY_NON_CANONICAL };
    let shape = |r_torsion, r_zero| Shape { r_torsion, r_zero, ..Shape::HONEST };
    // Cases 3 to 5 need the torsion parts to cancel (or not): search rounds until they do.
    let find = |want_cofactorless: bool, r_torsion: usize| {
        (0..256u32)
            .find_map(|round| {
                let (text, k) = code(&mixed, payload(round), shape(r_torsion, false), round);
                (cofactorless_holds(&mixed, shape(r_torsion, false), k) == want_cofactorless).then_some(text)
            })
            .unwrap()
    };
    let with = |signer: &Signer, shape: Shape| code(signer, payload(0), shape, 0).0;
    let non_canonical_r = |hash_as_sent| Shape { r_zero: true, non_canonical_r: Some(hash_as_sent), ..Shape::HONEST };
    vec![
        Case {
            name: "0: small A, small R, S = 0",
            key: small.public,
            text: with(&small, shape(2, true)),
            expected: Err("key"),
        },
        Case {
            name: "1: small A, mixed R",
            key: small.public,
            text: with(&small, shape(3, false)),
            expected: Err("key"),
        },
        Case {
            name: "2: mixed A, small R",
            key: mixed.public,
            text: with(&mixed, shape(4, true)),
            expected: Err("bad_signature"),
        },
        Case {
            name: "3: mixed A, mixed R, both equations hold",
            key: mixed.public,
            text: find(true, 4),
            expected: Ok(()),
        },
        Case {
            name: "4: mixed A, mixed R, only cofactored",
            key: mixed.public,
            text: find(false, 5),
            expected: Ok(()),
        },
        Case {
            name: "5: mixed A, prime-order R, only cofactored",
            key: mixed.public,
            text: find(false, 0),
            expected: Ok(()),
        },
        Case {
            name: "6: S > ℓ",
            key: honest.public,
            text: with(&honest, Shape { s_plus_ell: 1, ..Shape::HONEST }),
            expected: Err("bad_signature"),
        },
        Case {
            name: "7: S ≫ ℓ (the top bit set)",
            key: honest.public,
            text: with(&honest, Shape { s_plus_ell: 8, ..Shape::HONEST }),
            expected: Err("bad_signature"),
        },
        Case {
            name: "8: non-canonical R, hashed canonical",
            key: mixed.public,
            text: with(&mixed, non_canonical_r(false)),
            expected: Err("bad_signature"),
        },
        Case {
            name: "9: non-canonical R, hashed as sent",
            key: mixed.public,
            text: with(&mixed, non_canonical_r(true)),
            expected: Err("bad_signature"),
        },
        Case {
            name: "10: non-canonical A",
            key: non_canonical_a.public,
            text: with(&non_canonical_a, shape(1, false)),
            expected: Err("key"),
        },
        Case {
            name: "11: non-canonical A, mixed R",
            key: non_canonical_a.public,
            text: with(&non_canonical_a, shape(6, false)),
            expected: Err("key"),
        },
    ]
}

// ---- codes of every signature shape, with the verdict of the rule (batch and CLI tests) ----

/// A code's verdict as its error code, `"ok"` when it verifies.
pub fn verdict(result: &healthpass::Result<healthpass::Verified<Claims>>) -> &'static str {
    result.as_ref().map_or_else(Error::code, |_| "ok")
}

/// The kinds of code a random batch (tests of `verify_batch`) mixes, each with the verdict of the rule.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Issued by the crate's `Issuer` under one of three trusted keys.
    Good(u8),
    /// Signed by the key's holder with `R` carrying a torsion point (valid by the rule).
    TorsionR(usize),
    /// Signed under a trusted mixed-order key, with a torsion `R` too (valid by the rule).
    MixedKey(usize),
    /// A valid signature with ℓ added to `S`.
    NonCanonicalS,
    /// `R` of small order only.
    SmallR(usize),
    /// A valid signature with one bit of `S` flipped.
    FlippedS(u8),
    /// Expired, well signed.
    Expired,
}

pub fn holder() -> Signer {
    Signer::new(b"torsion-R signer", 0)
}

pub fn mixed_key() -> Signer {
    Signer::new(b"mixed-order trusted key", 3)
}

pub fn mixing_verifier() -> Verifier {
    let mut keys: KeySet = (1..=3u8).map(|i| SigningKey::from_seed(&[i; 32]).public_key()).collect();
    keys.add(holder().key());
    keys.add(mixed_key().key());
    Verifier::new(keys)
}

pub fn text_of(kind: Kind, round: u32) -> (String, &'static str) {
    let now = now();
    let torsion = |r_torsion| Shape { r_torsion, ..Shape::HONEST };
    match kind {
        Kind::Good(i) => {
            let mut claims = Claims::example(now);
            claims.credential_id.0[..4].copy_from_slice(&round.to_le_bytes());
            (Issuer::new(SigningKey::from_seed(&[1 + i; 32])).issue(&claims).unwrap(), "ok")
        }
        Kind::TorsionR(t) => (code(&holder(), payload(round), torsion(t), round).0, "ok"),
        Kind::MixedKey(t) => (code(&mixed_key(), payload(round), torsion(t), round).0, "ok"),
        Kind::NonCanonicalS => {
            (code(&holder(), payload(round), Shape { s_plus_ell: 1, ..Shape::HONEST }, round).0, "bad_signature")
        }
        Kind::SmallR(t) => {
            (code(&holder(), payload(round), Shape { r_zero: true, ..torsion(t) }, round).0, "bad_signature")
        }
        Kind::FlippedS(bit) => {
            let (text, _) = code(&holder(), payload(round), Shape::HONEST, round);
            let body = healthpass::transport::decode_base45(&text[4..]).unwrap();
            let mut cose = healthpass::transport::unwrap_body(body, &healthpass::Limits::DEFAULT).unwrap();
            let last = cose.len() - 32 + usize::from(bit / 8) % 32;
            cose[last] ^= 1 << (bit % 8);
            (format!("HP1:{}", healthpass::transport::encode_base45(&cose)), "bad_signature")
        }
        Kind::Expired => {
            let mut claims = Claims::example(now - TimeDelta::days(3));
            claims.credential_id.0[..4].copy_from_slice(&round.to_le_bytes());
            (Issuer::new(SigningKey::from_seed(&[2; 32])).issue(&claims).unwrap(), "expired")
        }
    }
}
