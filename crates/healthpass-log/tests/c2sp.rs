//! Signed notes, checkpoints and cosignatures: the C2SP examples and the negative cases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_log::Error;
use healthpass_log::checkpoint::{CheckpointBody, CheckpointVerifier};
use healthpass_log::cosignature::{Cosigner, WitnessPolicy};
use healthpass_log::hash::leaf_hash;
use healthpass_log::note::{Note, NoteSigner, TYPE_COSIGNATURE, TYPE_ED25519, VerifierKey, key_id};

const FOO_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const FOO_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

#[test]
fn spec_example_note_verifies() {
    let key = VerifierKey::parse(FOO_VKEY).unwrap();
    assert_eq!(key.key_id(), 0x530d903a);
    assert_eq!(key.sig_type(), TYPE_ED25519);
    let note = Note::parse(FOO_NOTE).unwrap();
    assert_eq!(note.verify(std::slice::from_ref(&key)).unwrap(), "This is an example message.\n");
    assert_eq!(note.to_text(), FOO_NOTE);
    // One changed character in the text: the known key's signature fails, the note is refused.
    let tampered = Note::parse(&FOO_NOTE.replace("example message", "example massage")).unwrap();
    assert!(matches!(tampered.verify(&[key]), Err(Error::BadSignature(_))));
}

#[test]
fn unknown_keys_are_ignored_and_none_known_is_refused() {
    let note = Note::parse(FOO_NOTE).unwrap();
    let other = NoteSigner::new("example.com/foo", &[7; 32]).unwrap().verifier();
    // Same name, other key id: ignored, so no known key signed.
    assert!(matches!(note.verify(&[other]), Err(Error::MissingSignature(_))));
}

#[test]
fn vkey_parsing_is_strict() {
    for bad in [
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", // wrong id
        "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", // upper-case hex
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",  // short key
        "example.com/foo+530d903a",
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k+x", // trailing part
        "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "exa mple+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    ] {
        assert!(VerifierKey::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn note_parsing_is_strict() {
    let sig = "\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    for bad in [
        format!("no blank line\n{sig}"),
        format!("text\n\n{}", sig.trim_end()),
        format!("tab\there\n\n{sig}"),
        "text\n\n- example.com/foo AAAA\n".to_owned(),
        "text\n\n\u{2014} example.com/foo AAA\n".to_owned(),
        "text\n\n\u{2014} example.com/foo AAAA\n".to_owned(),
        "text\n\n".to_owned(),
        format!("text\n\n{}", sig.repeat(101)),
        format!("{}\n\n{sig}", "x".repeat(70_000)),
    ] {
        assert!(Note::parse(&bad).is_err(), "{bad:.60}");
    }
    // The text may contain empty lines; the last blank line separates the signatures.
    let note = Note::parse(&format!("a\n\nb\n\n{sig}")).unwrap();
    assert_eq!(note.text_unverified(), "a\n\nb\n");
}

#[test]
fn spec_cosignature_example_parses() {
    let text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    let note = Note::parse(text).unwrap();
    let body = CheckpointBody::parse(note.text_unverified()).unwrap();
    assert_eq!(body.origin, "example.com/behind-the-sofa");
    assert_eq!(body.size, 20852163);
    assert_eq!(body.to_text(), note.text_unverified());
    let cosig = &note.signatures()[1];
    assert_eq!(cosig.signature.len(), 8 + 64);
    // The timestamp of the spec's cosignature, 1679315147, is its first eight bytes.
    assert_eq!(u64::from_be_bytes(cosig.signature[..8].try_into().unwrap()), 1679315147);
}

#[test]
fn checkpoint_bodies_are_parsed_strictly() {
    let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    let good = format!("o\n0\n{root}\n");
    assert_eq!(CheckpointBody::parse(&good).unwrap().size, 0);
    let with_ext = CheckpointBody::parse(&format!("o\n12\n{root}\next one\n")).unwrap();
    assert_eq!(with_ext.extensions, vec!["ext one".to_owned()]);
    for bad in [
        format!("\n1\n{root}\n"),
        format!("o\n01\n{root}\n"),
        format!("o\n-1\n{root}\n"),
        format!("o\n+1\n{root}\n"),
        format!("o\n18446744073709551616\n{root}\n"),
        format!("o\n1\n{}\n", &root[..40]),
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n".to_owned(),
        format!("o\n1\n{root}\n\n"),
        format!("o\n1\n{root}"),
        "o\n1\n".to_owned(),
        format!("o\n1\n{root}\n{}", "e\n".repeat(17)),
    ] {
        assert!(CheckpointBody::parse(&bad).is_err(), "{bad:?}");
    }
}

fn body(size: u64) -> CheckpointBody {
    CheckpointBody {
        origin: "log.example/health".into(),
        size,
        root: leaf_hash(&size.to_be_bytes()),
        extensions: vec![],
    }
}

#[test]
fn checkpoints_verify_only_with_the_log_key_and_origin() {
    let log = NoteSigner::new("log.example/health", &[1; 32]).unwrap();
    let verifier = CheckpointVerifier::new("log.example/health", log.verifier(), WitnessPolicy::none());
    let signed = body(10).sign(&log).unwrap().to_text();
    let cp = verifier.verify(&signed, 0).unwrap();
    assert_eq!((cp.size(), cp.root()), (10, &body(10).root));

    // Signed by another key under the same name: refused, naming the missing signer.
    let impostor = NoteSigner::new("log.example/health", &[2; 32]).unwrap();
    let forged = body(10).sign(&impostor).unwrap().to_text();
    assert!(matches!(verifier.verify(&forged, 0), Err(Error::MissingSignature(_))));

    // Changed size after signing.
    let tampered = signed.replacen("\n10\n", "\n11\n", 1);
    assert!(matches!(verifier.verify(&tampered, 0), Err(Error::BadSignature(_))));

    // Another origin signed by the right key.
    let mut other = body(10);
    other.origin = "log.example/other".into();
    let other = other.sign(&log).unwrap().to_text();
    assert!(matches!(verifier.verify(&other, 0), Err(Error::Origin)));
}

#[test]
fn witness_quorum_k_of_n() {
    let log = NoteSigner::new("log.example/health", &[1; 32]).unwrap();
    let witnesses: Vec<Cosigner> =
        (0..3u8).map(|i| Cosigner::new(&format!("witness{i}.example"), &[10 + i; 32]).unwrap()).collect();
    let vkeys: Vec<VerifierKey> = witnesses.iter().map(Cosigner::verifier).collect();
    assert_eq!(vkeys[0].sig_type(), TYPE_COSIGNATURE);
    assert_eq!(vkeys[0].key_id(), key_id("witness0.example", TYPE_COSIGNATURE, vkeys[0].verifying_key().as_bytes()));
    // The vkey text round-trips.
    assert_eq!(VerifierKey::parse(&vkeys[1].to_string()).unwrap(), vkeys[1]);
    let policy = WitnessPolicy::new(vkeys.clone(), 2, 60).unwrap();
    let verifier = CheckpointVerifier::new("log.example/health", log.verifier(), policy);
    let mut note = body(5).sign(&log).unwrap();
    let text = note.text_unverified().to_owned();

    note.push_signature(witnesses[0].cosign(&text, 1000).unwrap());
    let err = verifier.verify(&note.to_text(), 1000).unwrap_err();
    assert_eq!(err, Error::Quorum { valid: 1, required: 2 });

    // The same witness twice still counts once.
    note.push_signature(witnesses[0].cosign(&text, 1001).unwrap());
    assert!(matches!(verifier.verify(&note.to_text(), 1001), Err(Error::Quorum { valid: 1, .. })));

    // A witness outside the policy does not count.
    let stranger = Cosigner::new("stranger.example", &[99; 32]).unwrap();
    note.push_signature(stranger.cosign(&text, 1000).unwrap());
    assert!(matches!(verifier.verify(&note.to_text(), 1001), Err(Error::Quorum { valid: 1, .. })));

    // A cosignature dated far in the future does not count.
    let mut future = note.clone();
    future.push_signature(witnesses[1].cosign(&text, 5000).unwrap());
    assert!(matches!(verifier.verify(&future.to_text(), 1001), Err(Error::Quorum { valid: 1, .. })));

    note.push_signature(witnesses[2].cosign(&text, 1002).unwrap());
    let cp = verifier.verify(&note.to_text(), 1002).unwrap();
    let names: Vec<&str> = cp.cosigners().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["witness0.example", "witness2.example"]);

    // A cosignature over another checkpoint is a bad signature, and refuses the note.
    let mut bad = note.clone();
    bad.push_signature(witnesses[1].cosign(&body(6).to_text(), 1000).unwrap());
    assert!(
        matches!(verifier.verify(&bad.to_text(), 1002), Err(Error::BadSignature(name)) if name == "witness1.example")
    );

    // Policies are checked when built.
    assert!(WitnessPolicy::new(vkeys.clone(), 0, 0).is_err());
    assert!(WitnessPolicy::new(vkeys.clone(), 4, 0).is_err());
    assert!(WitnessPolicy::new(vec![log.verifier()], 1, 0).is_err());
    assert!(WitnessPolicy::new(vec![vkeys[0].clone(), vkeys[0].clone()], 1, 0).is_err());
}

#[test]
fn signer_keys_round_trip_and_are_checked() {
    let signer = NoteSigner::new("log.example/health", &[5; 32]).unwrap();
    let text = signer.to_secret_string();
    assert_eq!(NoteSigner::parse_secret(&text).unwrap().verifier(), signer.verifier());
    let id = format!("{:08x}", signer.verifier().key_id());
    let other_id = format!("{:08x}", signer.verifier().key_id() ^ 1);
    for bad in [
        text.replacen("PRIVATE+KEY+", "PUBLIC+KEY+", 1),
        text.replacen(&id, &other_id, 1),
        text.replacen("log.example/health", "log.example/other", 1),
        format!("{}A", text.as_str()),
        text.replacen("+AQ", "+BA", 1),
    ] {
        assert!(NoteSigner::parse_secret(&bad).is_err(), "{bad}");
    }
    assert!(!format!("{signer:?}").contains(&text[text.len() - 20..]));
}

#[test]
fn base64_must_be_canonical() {
    // Concatenated padded groups and non-zero trailing bits decode with a lenient decoder; one
    // value would then have several encodings.
    let sig = "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=";
    let split = format!("This is an example message.\n\n\u{2014} example.com/foo {}==AA==\n", &sig[..86]);
    assert!(Note::parse(&split).is_err());
    let trailing_bits = FOO_NOTE.replace("aQM=", "aQN=");
    assert!(Note::parse(&trailing_bits).is_err());
}
