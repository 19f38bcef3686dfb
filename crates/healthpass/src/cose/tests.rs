#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The COSE_Sign1 reader against coset (the differential oracle) and FORMAT.md §3.

use super::*;
use crate::{Error, Limits};
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};

use healthpass_testkit::vectors::{published_cose as published, with_changes};

/// What coset makes of `bytes` (the reader before this one, kept as a test oracle): the
/// message's parts, or why coset (or the CBOR rules around it) refuses it.
fn coset_reads(bytes: &[u8], profile: Profile, limits: &Limits) -> Result<CoseMessage, String> {
    use coset::{AsCborValue, CoseSign1, RegisteredLabelWithPrivate::Assigned};
    let value = match crate::cbor::read_foreign(bytes, "COSE_Sign1", limits).map_err(|e| e.to_string())? {
        ciborium::Value::Tag(61, inner) if profile != Profile::Native => *inner,
        value => value,
    };
    let value = match value {
        ciborium::Value::Tag(18, inner) => *inner,
        ciborium::Value::Tag(..) => return Err("refused".into()),
        _ if profile != Profile::Foreign => return Err("refused".into()),
        untagged => untagged,
    };
    let protected = match &value {
        ciborium::Value::Array(items) => match items.first() {
            Some(ciborium::Value::Bytes(received)) => received.clone(),
            _ => return Err("refused".into()),
        },
        _ => return Err("refused".into()),
    };
    if !protected.is_empty() {
        crate::cbor::read_foreign(&protected, "protected header", limits).map_err(|e| e.to_string())?;
    }
    let sign1 = CoseSign1::from_cbor_value(value).map_err(|e| e.to_string())?;
    if !sign1.protected.header.crit.is_empty() {
        return Err("refused".into());
    }
    let alg = |alg: Option<coset::Algorithm>| match alg? {
        Assigned(a) => Some(Alg::Int(i128::from(coset::iana::EnumI64::to_i64(&a)))),
        coset::RegisteredLabelWithPrivate::PrivateUse(n) => Some(Alg::Int(i128::from(n))),
        coset::RegisteredLabelWithPrivate::Text(t) => Some(Alg::Text(t)),
    };
    let kid = |kid: Vec<u8>| (!kid.is_empty()).then_some(kid);
    Ok(CoseMessage {
        protected,
        protected_alg: alg(sign1.protected.header.alg),
        protected_kid: kid(sign1.protected.header.key_id),
        unprotected_alg: alg(sign1.unprotected.alg),
        unprotected_kid: kid(sign1.unprotected.key_id),
        payload: sign1.payload.ok_or("detached")?,
        signature: sign1.signature,
    })
}

fn has_empty_kid(message: &CoseMessage) -> bool {
    [&message.protected_kid, &message.unprotected_kid].iter().any(|k| k.as_ref().is_some_and(Vec::is_empty))
}

/// Every published DCC message, and thousands of one-byte changes of them, read as coset
/// reads them: the same parts where both accept, and the same answer (accepted or refused)
/// on every input but those where FORMAT.md §3's header types are stricter than coset, or
/// coset's registries stricter than FORMAT.md.
#[test]
fn the_reader_reads_as_coset_does() {
    let limits = Limits::DEFAULT;
    let (mut accepted, mut total, mut stricter, mut lenient) = (0, 0, 0, 0);
    for message in with_changes(published(), 0..80) {
        for profile in [Profile::Foreign, Profile::ForeignTagged] {
            total += 1;
            let ours = CoseMessage::decode(&message, profile, &limits);
            match (ours, coset_reads(&message, profile, &limits)) {
                (Ok(ours), Ok(theirs)) => {
                    accepted += 1;
                    let ours = CoseMessage {
                        protected_kid: ours.protected_kid.filter(|k| !k.is_empty()),
                        unprotected_kid: ours.unprotected_kid.filter(|k| !k.is_empty()),
                        ..ours
                    };
                    assert_eq!(ours, theirs, "{}", data_encoding::HEXLOWER.encode(&message));
                    assert_eq!(ours.signed_bytes(), theirs.signed_bytes());
                }
                (Err(_), Err(_)) => {}
                // coset refuses an empty kid (this reader reads it as no kid), and integer `alg`
                // and `content type` values outside IANA's registries (FORMAT.md §3 asks only
                // for an integer; an unknown `alg` is refused later, as `unsupported_alg`).
                (Ok(ours), Err(e)) if has_empty_kid(&ours) || e.contains("IANA") => lenient += 1,
                (Err(Error::Cbor { detail, .. }), Ok(_)) if detail.contains(" must be ") => stricter += 1,
                (ours, theirs) => {
                    panic!("{ours:?} against coset's {theirs:?}: {}", data_encoding::HEXLOWER.encode(&message))
                }
            }
        }
    }
    // Most published messages are read (untagged or tagged, so not under every profile).
    assert!(accepted > total / 4, "{accepted} of {total}");
    assert!(stricter < total / 100, "{stricter} of {total}");
    assert!(lenient < total / 100, "{lenient} of {total}");
}

/// The tags each profile allows, and indefinite lengths only in foreign codes.
#[test]
fn tags_and_lengths_by_profile() {
    let limits = Limits::DEFAULT;
    // [h'a10126', {4: h'01'}, h'', h'00'], untagged.
    let body = [0x84, 0x43, 0xa1, 0x01, 0x26, 0xa1, 0x04, 0x41, 0x01, 0x40, 0x41, 0x00];
    let tagged = [&[0xd2][..], &body].concat();
    let cwt = [&[0xd8, 0x3d][..], &tagged].concat();
    let cwt_untagged = [&[0xd8, 0x3d][..], &body].concat();
    let other = [&[0xd8, 0x3c][..], &body].concat();
    for (bytes, native, foreign, tagged_only) in [
        (&body[..], false, true, false),
        (&tagged, true, true, true),
        (&cwt, false, true, true),
        (&cwt_untagged, false, true, false),
        (&other, false, false, false),
    ] {
        let read = |profile| CoseMessage::decode(bytes, profile, &limits).is_ok();
        assert_eq!(
            [read(Profile::Native), read(Profile::Foreign), read(Profile::ForeignTagged)],
            [native, foreign, tagged_only],
            "{}",
            data_encoding::HEXLOWER.encode(bytes)
        );
    }
    // The same message with an indefinite-length array, unprotected map and payload.
    let indefinite = [0xd2, 0x9f, 0x43, 0xa1, 0x01, 0x26, 0xbf, 0x04, 0x41, 0x01, 0xff, 0x5f, 0xff, 0x41, 0x00, 0xff];
    let foreign = CoseMessage::decode(&indefinite, Profile::Foreign, &limits).unwrap();
    assert_eq!(foreign, CoseMessage::decode(&tagged, Profile::Native, &limits).unwrap());
    assert_eq!(
        CoseMessage::decode(&indefinite, Profile::Native, &limits),
        Err(Error::Cbor { step: "COSE_Sign1", detail: "indefinite length at byte 1".into() })
    );
    // An empty kid is read, and is no kid (`missing_kid` where one is needed).
    let empty_kid = [0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa1, 0x04, 0x40, 0x40, 0x41, 0x00];
    for profile in [Profile::Native, Profile::Foreign] {
        assert_eq!(CoseMessage::decode(&empty_kid, profile, &limits).unwrap().unprotected_kid(), None);
    }
    // Five items, or three.
    let five = [0xd2, 0x85, 0x40, 0xa0, 0x40, 0x40, 0x40];
    let three = [0xd2, 0x83, 0x40, 0xa0, 0x40];
    for bytes in [&five[..], &three] {
        assert_eq!(
            CoseMessage::decode(bytes, Profile::Native, &limits),
            Err(Error::Cbor { step: "COSE_Sign1", detail: "COSE_Sign1 must be an array of 4 items".into() })
        );
    }
}

/// A tagged COSE_Sign1 of these header bytes around `payload`, signed by `key`.
fn raw_sign1(protected: &[u8], unprotected: &[u8], payload: &[u8], key: &SigningKey) -> Vec<u8> {
    let mut out = vec![0xd2, 0x84];
    byte_string(&mut out, protected);
    out.extend_from_slice(unprotected);
    byte_string(&mut out, payload);
    byte_string(&mut out, &key.sign(&sig_structure(protected, payload)));
    out
}

/// FORMAT.md §3: `kid` as text, `alg` as bytes, `content type` as bytes and `IV` as text are
/// `cbor` errors at step 4, in the protected header and in the unprotected one, although the
/// code is otherwise well signed; the right types pass.
#[test]
fn known_header_labels_with_the_wrong_type_are_cbor_errors() {
    let key = SigningKey::from_seed(&[0x11; 32]);
    let kid = key.kid().into_bytes();
    let payload = [0xa0];
    let protected = |extra: &[u8], count: u8| [&[0xa0 + count, 0x01, 0x27, 0x04, 0x48][..], &kid, extra].concat();
    let wrong: [(&[u8], &str); 4] = [
        (&[0x04, 0x61, 0x61], "kid must be a byte string"),
        (&[0x01, 0x41, 0x27], "alg must be an integer or a text string"),
        (&[0x03, 0x41, 0x00], "content type must be an unsigned integer or a text string"),
        (&[0x05, 0x61, 0x61], "IV must be a byte string"),
    ];
    for (parameter, detail) in wrong {
        let detail = detail.to_string();
        // In the protected header, in place of the right value or beside alg and kid.
        let bytes = match parameter.first() {
            Some(0x01) => [&[0xa2][..], parameter, &[0x04, 0x48], &kid].concat(),
            Some(0x04) => [&[0xa2, 0x01, 0x27][..], parameter].concat(),
            _ => protected(parameter, 3),
        };
        let cose = raw_sign1(&bytes, &[0xa0], &payload, &key);
        assert_eq!(
            CoseMessage::decode(&cose, Profile::Native, &Limits::DEFAULT).unwrap_err(),
            Error::Cbor { step: "protected header", detail: detail.clone() },
            "{}",
            data_encoding::HEXLOWER.encode(&bytes)
        );
        let cose = raw_sign1(&protected(&[], 2), &[&[0xa1][..], parameter].concat(), &payload, &key);
        assert_eq!(
            CoseMessage::decode(&cose, Profile::Native, &Limits::DEFAULT).unwrap_err(),
            Error::Cbor { step: "COSE_Sign1", detail },
            "{}",
            data_encoding::HEXLOWER.encode(parameter)
        );
    }
    // The other checked types: crit (an array of labels, refused anyway when protected),
    // content type as a negative integer, Partial IV as text.
    for (unprotected, detail) in [
        (&[0xa1, 0x02, 0x80][..], "crit must be a non-empty array"),
        (&[0xa1, 0x02, 0x81, 0x40], "a crit label must be an integer or a text string"),
        (&[0xa1, 0x03, 0x20], "content type must be an unsigned integer or a text string"),
        (&[0xa1, 0x06, 0x61, 0x61], "Partial IV must be a byte string"),
    ] {
        let cose = raw_sign1(&protected(&[], 2), unprotected, &payload, &key);
        assert_eq!(
            CoseMessage::decode(&cose, Profile::Native, &Limits::DEFAULT).unwrap_err(),
            Error::Cbor { step: "COSE_Sign1", detail: detail.into() }
        );
    }
    // Values of the right type, in both headers, are read past; an empty kid is a kid
    // (`missing_kid` at step 6), and an unprotected alg is only reported.
    let right = [0x02, 0x82, 0x01, 0x63, b'a', b'/', b'b', 0x03, 0x00, 0x06, 0x41, 0x01];
    for unprotected in [
        [&[0xa4, 0x01, 0x26], &right[..]].concat(),
        vec![0xa3, 0x03, 0x63, b'a', b'/', b'b', 0x04, 0x40, 0x05, 0x41, 0x01],
    ] {
        let cose = raw_sign1(&protected(&[0x03, 0x00, 0x05, 0x40], 4), &unprotected, &payload, &key);
        let parts = CoseMessage::decode(&cose, Profile::Native, &Limits::DEFAULT).unwrap();
        assert_eq!(parts.protected_alg(), Ok(&Alg::Int(-8)));
        assert_eq!(parts.unprotected_alg().is_some(), unprotected[2] == 0x26);
    }
    let cose = raw_sign1(&[0xa2, 0x01, 0x65, b'E', b'd', b'D', b'S', b'A', 0x04, 0x40], &[0xa0], &payload, &key);
    let parts = CoseMessage::decode(&cose, Profile::Native, &Limits::DEFAULT).unwrap();
    assert_eq!(parts.protected_alg(), Ok(&Alg::Text("EdDSA".into())));
    assert!(parts.has_protected_kid() && parts.protected_kid().is_none());
}

#[test]
fn the_sig_structure_is_coset_s() {
    let sign1 = CoseSign1Builder::new()
        .protected(HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(vec![1; 8]).build())
        .payload(vec![7; 300])
        .signature(vec![9; 64])
        .build();
    let bytes = sign1.clone().to_tagged_vec().unwrap();
    let message = CoseMessage::decode(&bytes, Profile::Native, &Limits::DEFAULT).unwrap();
    assert_eq!(message.signed_bytes(), sign1.tbs_data(&[]));
}

/// `sign` writes, byte for byte, the message coset's builder makes (Ed25519 is deterministic),
/// across the payload lengths where a byte string's header grows.
#[test]
fn sign_writes_what_coset_builds() {
    let key = SigningKey::from_seed(&[7; 32]);
    for len in [0usize, 23, 24, 255, 256, 65_535, 65_536] {
        let payload = vec![0x5a; len];
        let ours = sign(payload.clone(), &key).unwrap();
        let protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().into_bytes()).build();
        let theirs = CoseSign1Builder::new()
            .protected(protected)
            .payload(payload)
            .create_signature(&[], |tbs| key.sign(tbs).to_vec())
            .build()
            .to_tagged_vec()
            .unwrap();
        assert_eq!(ours, theirs, "{len}");
    }
}
