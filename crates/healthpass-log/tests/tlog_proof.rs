//! C2SP tlog-proof: the spec's example parses; proofs made by the log verify offline with a
//! witness quorum; changed proofs fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod suite;

use healthpass_log::checkpoint::CheckpointVerifier;
use healthpass_log::cosignature::{Cosigner, WitnessPolicy};
use healthpass_log::note::Note;
use healthpass_log::store::memory::MemoryStore;
use healthpass_log::tlog_proof::TlogProof;
use healthpass_log::{Error, Log};

#[test]
fn spec_example_parses() {
    let text = "c2sp.org/tlog-proof@v1\nextra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\nindex 73894\ngSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\nB95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\nEKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\nRoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\nAHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n\nexample.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n\u{2014} example.com/fancylog hI2DJw==\n";
    let proof = TlogProof::parse(text).unwrap();
    assert_eq!(proof.index, 73894);
    assert_eq!(proof.path.len(), 5);
    assert!(proof.extra.is_some());
    assert!(proof.checkpoint.starts_with("example.com/fancylog\n109482\n"));
    assert_eq!(proof.to_text(), text);
}

#[test]
fn log_proofs_verify_offline_with_witnesses() {
    let mut log = Log::open(MemoryStore::new(), suite::signer()).unwrap();
    log.append(&suite::entries(0..300)).unwrap();
    let checkpoint = log.checkpoint().unwrap();
    let witnesses = [Cosigner::new("w1.example", &[1; 32]).unwrap(), Cosigner::new("w2.example", &[2; 32]).unwrap()];
    let mut note: Note = checkpoint.note().clone();
    for w in &witnesses {
        note.push_signature(w.cosign(note.text_unverified(), 2000).unwrap());
    }
    let policy = WitnessPolicy::new(witnesses.iter().map(Cosigner::verifier).collect(), 2, 60).unwrap();
    let verifier = CheckpointVerifier::new(suite::ORIGIN, log.verifier_key(), policy);

    let index = 123;
    let proof = log.tlog_proof(index, Some(&note.to_text())).unwrap();
    let text = proof.to_text();
    let parsed = TlogProof::parse(&text).unwrap();
    let leaf = Log::<MemoryStore>::leaf_hash_of(&suite::entry(index)).unwrap();
    let cp = parsed.verify(&leaf, &verifier, 2000).unwrap();
    assert_eq!((cp.size(), cp.cosigners().len()), (300, 2));

    // Another entry's hash, another index, or the log's uncosigned checkpoint: refused.
    let other = Log::<MemoryStore>::leaf_hash_of(&suite::entry(index + 1)).unwrap();
    assert!(matches!(parsed.verify(&other, &verifier, 2000), Err(Error::Proof { .. })));
    let moved = TlogProof::parse(&text.replacen("index 123", "index 124", 1)).unwrap();
    assert!(matches!(moved.verify(&leaf, &verifier, 2000), Err(Error::Proof { .. })));
    let bare = log.tlog_proof(index, None).unwrap();
    assert!(matches!(bare.verify(&leaf, &verifier, 2000), Err(Error::Quorum { valid: 0, required: 2 })));
    assert!(log.tlog_proof(300, None).is_err());
}

#[test]
fn malformed_proofs_are_refused() {
    let cp = "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} o AAAAAA==\n";
    let good = format!("c2sp.org/tlog-proof@v1\nindex 0\n\n{cp}");
    assert_eq!(TlogProof::parse(&good).unwrap().path.len(), 0);
    let hash = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    for bad in [
        format!("c2sp.org/tlog-proof@v2\nindex 0\n\n{cp}"),
        format!("c2sp.org/tlog-proof@v1\nindex 00\n\n{cp}"),
        format!("c2sp.org/tlog-proof@v1\nindex -1\n\n{cp}"),
        format!("c2sp.org/tlog-proof@v1\n\n{cp}"),
        format!("c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n{cp}"),
        format!("c2sp.org/tlog-proof@v1\nindex 0\n{}\n\n{cp}", &hash[..40]),
        format!("c2sp.org/tlog-proof@v1\nindex 0\n{}\n\n{cp}", format!("{hash}\n").repeat(65).trim_end()),
        "c2sp.org/tlog-proof@v1\nindex 0\n".to_owned(),
    ] {
        assert!(TlogProof::parse(&bad).is_err(), "{bad:.80}");
    }
}

#[test]
fn holder_history_is_verified_and_ordered() {
    use healthpass_log::commitment::{HolderSecret, Salt, Scheme, subject_commitment};
    use healthpass_log::entry::Colour;
    use healthpass_log::holder::verify_history;

    let salt = Salt::from_bytes([9; 32]);
    let mine = |i: u64, colour: Colour, time: u64| {
        let mut e = suite::entry(i);
        e.colour = colour;
        e.time = time;
        e.subject_commitment = subject_commitment(Scheme::HmacSha256, &salt, b"me");
        e
    };
    let mut log = Log::open(MemoryStore::new(), suite::signer()).unwrap();
    let mut batch = suite::entries(0..20);
    batch[4] = mine(4, Colour::Red, 3000);
    batch[11] = mine(11, Colour::Green, 1000);
    log.append(&batch).unwrap();
    log.checkpoint().unwrap();
    let witness = Cosigner::new("w.example", &[4; 32]).unwrap();
    let mut note = log.latest_checkpoint().unwrap().note().clone();
    note.push_signature(witness.cosign(note.text_unverified(), 5000).unwrap());
    let policy = WitnessPolicy::new(vec![witness.verifier()], 1, 0).unwrap();
    let verifier = CheckpointVerifier::new(suite::ORIGIN, log.verifier_key(), policy);

    let kept: Vec<(Vec<u8>, TlogProof)> = [4u64, 11]
        .iter()
        .map(|&i| (log.entries(i, i + 1).unwrap().remove(0), log.tlog_proof(i, Some(&note.to_text())).unwrap()))
        .collect();
    let me = HolderSecret::new(b"me", vec![salt.clone()]);
    let history = verify_history(&me, &kept, &verifier, 5000).unwrap();
    let seen: Vec<(u64, Colour)> = history.iter().map(|h| (h.index, h.entry.colour)).collect();
    assert_eq!(seen, [(11, Colour::Green), (4, Colour::Red)]);
    assert_eq!(history[0].witnesses, ["w.example"]);

    // Someone else's entry, or an entry with a proof for another index, is refused.
    let other = HolderSecret::new(b"someone else", vec![salt]);
    assert!(matches!(verify_history(&other, &kept, &verifier, 5000), Err(Error::EntryField { .. })));
    let swapped = vec![(kept[0].0.clone(), kept[1].1.clone())];
    assert!(matches!(verify_history(&me, &swapped, &verifier, 5000), Err(Error::Proof { .. })));
}
