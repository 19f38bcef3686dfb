//! The published test vectors, read for tests that run over all of them.

/// Every COSE message of the DCC test data (the `COSE` field, hex).
pub fn published_cose() -> Vec<Vec<u8>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let json: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap_or_default()).unwrap_or_default();
                if let Some(cose) = json
                    .get("COSE")
                    .and_then(|c| c.as_str())
                    .and_then(|c| data_encoding::HEXLOWER_PERMISSIVE.decode(c.as_bytes()).ok())
                {
                    out.push(cose);
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/dcc"), &mut found);
    assert!(found.len() > 400, "{} messages", found.len());
    found
}

/// `messages`, and those of every seventh with one byte of the first `span` changed.
pub fn with_changes(messages: Vec<Vec<u8>>, span: std::ops::Range<usize>) -> Vec<Vec<u8>> {
    let mut all = messages.clone();
    for message in messages.iter().step_by(7) {
        for at in span.clone().take_while(|at| *at < message.len()) {
            for change in [0x01u8, 0x20, 0x80, 0xff] {
                let mut changed = message.clone();
                changed[at] ^= change;
                all.push(changed);
            }
        }
    }
    all
}
