//! Tests of the plain Rust API (the bindings only wrap it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::TimeDelta;
use healthpass::trust::RevocationList;
use healthpass::{CredentialId, Limits};
use healthpass_qr::Qr;
use healthpass_testkit::trust::{anchor, claims, issue, office, signed_trust_list, t0};
use serde_json::Value;

use super::*;

const POLICY: &str = r#"{ "accept_colours": ["green"] }"#;

fn ms(at: DateTime<Utc>) -> f64 {
    at.timestamp_millis() as f64
}

fn now() -> DateTime<Utc> {
    t0() + TimeDelta::minutes(1)
}

fn checkpoint() -> WebCheckpoint {
    let anchors = anchor().public_key().to_pem().unwrap();
    WebCheckpoint::new(&anchors, &signed_trust_list(1), POLICY, ms(now())).unwrap()
}

/// A frame as a canvas gives it: RGBA, the code grey on white.
fn rgba_frame(text: &str, module_px: u32) -> (Vec<u8>, u32, u32) {
    let grey = Qr::encode(text).unwrap().to_image(module_px);
    let rgba = grey.pixels().flat_map(|p| [p.0[0], p.0[0], p.0[0], 255]).collect();
    (rgba, grey.width(), grey.height())
}

#[test]
fn verify_gives_the_claims_or_the_stable_code() {
    let code = issue(office(), &claims(1));
    let pem = office().public_key().to_pem().unwrap();
    let json: Value = serde_json::from_str(&verify_json(&code, &pem, ms(now())).unwrap()).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["claims"]["colour"], "green");

    let hex: String = office().public_key().to_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert!(verify_json(&code, &hex, ms(now())).is_ok());

    let late = ms(now() + TimeDelta::days(3));
    assert_eq!(verify_json(&code, &pem, late).unwrap_err().code, "expired");
    assert_eq!(verify_json(&code, "", ms(now())).unwrap_err().code, "key");
    assert_eq!(verify_json(&code, "zz", ms(now())).unwrap_err().code, "key");
    assert_eq!(verify_json(&code, &pem, f64::NAN).unwrap_err().code, "time_out_of_range");
    assert_eq!(verify_json(&code, &pem, 1e300).unwrap_err().code, "time_out_of_range");
    assert_eq!(verify_json("HP1:", &pem, ms(now())).unwrap_err().code, "cbor");
}

#[test]
fn the_verdict_is_the_cores_document() {
    let mut web = checkpoint();
    let code = issue(office(), &claims(1));
    let json = web.check_json(&code, ms(now()));
    let mut core = Checkpoint::new_at(
        vec![anchor().public_key()],
        &signed_trust_list(1),
        Policy::from_json(POLICY).unwrap(),
        now(),
    )
    .unwrap();
    assert_eq!(json, serde_json::to_string(&core.check(&code, now())).unwrap());
    let verdict: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(verdict["accepted"], true);
    let refused: Value = serde_json::from_str(&web.check_json("nonsense", ms(now()))).unwrap();
    assert_eq!(refused["accepted"], false);
    assert_eq!(refused["refusals"][0]["code"], "prefix");
    let no_time: Value = serde_json::from_str(&web.check_json(&code, f64::INFINITY)).unwrap();
    assert_eq!(no_time["refusals"][0]["code"], "time_out_of_range");
}

#[test]
fn revocation_lists_and_state() {
    let mut web = checkpoint();
    let mut list = RevocationList::new(2, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(1));
    list.revoke_credentials([&CredentialId([1; 16])]);
    let signed = list.sign(&anchor(), &Limits::DEFAULT).unwrap();
    web.add_revocation_list(&signed, ms(now())).unwrap();
    assert_eq!(web.add_revocation_list(b"junk", ms(now())).unwrap_err().code, "cbor");
    let verdict: Value = serde_json::from_str(&web.check_json(&issue(office(), &claims(1)), ms(now()))).unwrap();
    assert_eq!(verdict["refusals"][0]["code"], "revoked");

    let state = web.state_json().unwrap();
    assert!(state.contains("\"trust_list_sequence\": 1"), "{state}");
    let mut fresh = checkpoint();
    fresh.restore_state(&state).unwrap();
    assert_eq!(fresh.restore_state("{").unwrap_err().code, "scanner_state");
    let newer = r#"{ "version": 1, "trust_list_sequence": 9 }"#;
    assert_eq!(fresh.restore_state(newer).unwrap_err().code, "list_rollback");
}

#[test]
fn a_checkpoint_refuses_bad_inputs_with_stable_codes() {
    let pem = anchor().public_key().to_pem().unwrap();
    let list = signed_trust_list(1);
    let code = |r: ApiResult<WebCheckpoint>| r.unwrap_err().code;
    assert_eq!(code(WebCheckpoint::new(&pem, &list, "{}", ms(now()))), "policy");
    assert_eq!(code(WebCheckpoint::new(&pem, b"\xd2", POLICY, ms(now()))), "cbor");
    let stranger = office().public_key().to_pem().unwrap();
    assert_ne!(code(WebCheckpoint::new(&stranger, &list, POLICY, ms(now()))), "");
    let early = ms(t0() - TimeDelta::days(2));
    assert_eq!(code(WebCheckpoint::new(&pem, &list, POLICY, early)), "signed_in_future");
    let huge = " ".repeat(MAX_POLICY_TEXT + 1);
    assert_eq!(code(WebCheckpoint::new(&pem, &list, &huge, ms(now()))), "too_large");
}

#[test]
fn frames_scan_and_check() {
    let text = issue(office(), &claims(1));
    let (rgba, w, h) = rgba_frame(&text, 4);
    assert_eq!(scan_rgba(&rgba, w, h).unwrap(), vec![text.clone()]);
    let verdicts: Value = serde_json::from_str(&checkpoint().check_rgba_json(&rgba, w, h, ms(now()))).unwrap();
    assert_eq!(verdicts.as_array().unwrap().len(), 1);
    assert_eq!(verdicts[0]["accepted"], true);

    let blank = vec![255u8; 64 * 64 * 4];
    assert_eq!(scan_rgba(&blank, 64, 64).unwrap_err().code, "no_code");
    let none: Value = serde_json::from_str(&checkpoint().check_rgba_json(&blank, 64, 64, ms(now()))).unwrap();
    assert_eq!(none[0]["refusals"][0]["code"], "no_code");
    assert_eq!(scan_rgba(&blank, 64, 63).unwrap_err().code, "image");
    assert_eq!(scan_rgba(&[], 0, 0).unwrap_err().code, "image");
    assert_eq!(scan_rgba(&[], 20_000, 1).unwrap_err().code, "too_large");
    assert_eq!(scan_rgba(&[], 10_000, 10_000).unwrap_err().code, "too_large");

    let png = Qr::encode(&text).unwrap().to_png(3).unwrap();
    assert_eq!(scan_file(&png).unwrap(), vec![text]);
    assert_eq!(scan_file(b"not an image").unwrap_err().code, "image");
}

#[test]
fn large_frames_are_shrunk_by_a_whole_factor() {
    let limits = Limits { max_scan_pixels: 100, ..Limits::DEFAULT };
    let mut rgba = vec![0u8; 30 * 20 * 4];
    for (i, px) in rgba.chunks_exact_mut(4).enumerate() {
        let v = if (i % 30) % 2 == 0 { 255 } else { 0 };
        px.copy_from_slice(&[v, v, v, 255]);
    }
    let grey = grey_from_rgba(&rgba, 30, 20, &limits).unwrap();
    assert!(u64::from(grey.width()) * u64::from(grey.height()) <= 100);
    assert_eq!((grey.width(), grey.height()), (10, 6));
    // Boxes of 3 × 3: columns light, dark, light average to 170, then dark, light, dark to 85.
    assert_eq!(&grey.as_raw()[..4], &[170, 85, 170, 85]);
    let white = grey_from_rgba(&[255; 4], 1, 1, &Limits::DEFAULT).unwrap();
    assert_eq!(white.as_raw(), &vec![255]);
}

/// The body of `export interface NAME { … }` in the TypeScript the bindings declare.
fn ts_interface<'a>(ts: &'a str, name: &str) -> &'a str {
    let start = ts.find(&format!("export interface {name} {{")).unwrap_or_else(|| panic!("no interface {name}"));
    let body = &ts[start..];
    let mut depth = 0;
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return &body[..=at],
            '}' => depth -= 1,
            _ => {}
        }
    }
    panic!("interface {name} does not end");
}

/// The TypeScript member `name` of an interface body: (optional, its type), comments left out.
fn ts_member(body: &str, name: &str) -> Option<(bool, String)> {
    let code: String = body
        .lines()
        .filter(|l| !l.trim_start().starts_with("/**") && !l.trim_start().starts_with('*'))
        .collect::<Vec<_>>()
        .join("\n");
    code.split([';', '{', '\n']).find_map(|part| {
        let (member, ty) = part.trim().split_once(':')?;
        let optional = member.ends_with('?');
        (member.trim_end_matches('?') == name).then(|| (optional, ty.trim().to_owned()))
    })
}

#[test]
fn the_typescript_verdict_document_follows_the_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let schema: Value = serde_json::from_slice(&std::fs::read(root.join("docs/verdict.schema.json")).unwrap()).unwrap();
    let ts = std::fs::read_to_string(root.join("crates/healthpass-wasm/src/bindings.rs")).unwrap();
    let verdict = &schema["$defs"]["verdict"];
    let document = ts_interface(&ts, "VerdictDocument");
    let kinds = ts.split("export type VerdictKind =").nth(1).unwrap().split(';').next().unwrap().to_owned();
    let required: Vec<&str> = verdict["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let properties = verdict["properties"].as_object().unwrap();
    for (name, spec) in properties {
        let (optional, ty) = ts_member(document, name).unwrap_or_else(|| panic!("VerdictDocument lacks {name}"));
        assert_eq!(optional, !required.contains(&name.as_str()), "{name}: optional in TypeScript iff not required");
        // Every value an enum allows is in the TypeScript type (null included), and no other.
        if let Some(values) = spec["enum"].as_array() {
            let ty = if ty.starts_with("VerdictKind") { ty.replacen("VerdictKind", &kinds, 1) } else { ty.clone() };
            for value in values {
                let spelled =
                    if value.is_null() { "null".to_owned() } else { format!("\"{}\"", value.as_str().unwrap()) };
                assert!(ty.contains(&spelled), "{name}: {spelled} missing from {ty}");
            }
            assert_eq!(ty.matches('|').count() + 1, values.len(), "{name}: {ty} against {values:?}");
        }
        if spec.get("oneOf").is_some() || spec["type"].as_array().is_some_and(|t| t.contains(&Value::from("null"))) {
            assert!(ty.ends_with("| null"), "{name} may be null: {ty}");
        }
    }
    let source = ts_interface(&ts, "VerdictSource");
    let source_spec = &verdict["properties"]["source"];
    for (name, _) in source_spec["properties"].as_object().unwrap() {
        let required = source_spec["required"].as_array().unwrap().contains(&Value::from(name.as_str()));
        assert_eq!(ts_member(source, name).map(|m| m.0), Some(!required), "source.{name}");
    }
    let summary = ts_interface(&ts, "ClassSummaryLine");
    for name in schema["$defs"]["class_summary_line"]["properties"]["class_summary"]["required"].as_array().unwrap() {
        assert!(summary.contains(&format!("{}:", name.as_str().unwrap())), "class_summary.{name}");
    }
    // The core's Verdict, which the checkpoint returns, says it is not the CLI's document.
    let core = ts.split("export interface Verdict {").next().unwrap();
    assert!(core.contains("NOT") && core.contains("VerdictDocument"), "the Verdict type says how it differs");
}
