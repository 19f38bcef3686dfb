//! The browser test's fixtures, made with the library and deterministic (fixed keys, a fixed
//! time, a fixed-seed generator), and the native side of the speed comparison.
//!
//! `cargo run --release -p healthpass-wasm --example web_fixtures -- OUT_DIR` writes into OUT_DIR:
//!
//! - `anchor.pem`, `trust.cose`, `revoked.cose`, `policy.json`: what an operator loads into the
//!   scanner page (one trust anchor, a signed trust list, a signed revocation list, a policy);
//! - `codes.json`: the test's codes (green, red, revoked, out of scope, forged) with their texts
//!   and the verdict each must get, and `now_ms`, the time the page is told it is;
//! - `<name>.png`: each code rendered; `camera.y4m`: a 1280 × 720 video showing each code in turn,
//!   for Chromium's fake camera; `photo.jpg`: a photo of the green code for the upload;
//!   `frame-clean.png`, `frame-camera.png`: 1280 × 720 frames for the worker's scan timing;
//!
//! `web_fixtures --bench OUT_DIR` then prints the native timings as JSON (`verify_json` and
//! `WebCheckpoint::check_json` per code, `check_rgba_json` on the two frames), read from those
//! files: the browser test runs it right after the browser's own timings, in the same minute.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::TimeDelta;
use healthpass::decide::{Checkpoint, Policy};
use healthpass::transport::{encode_base45, wrap_body};
use healthpass::trust::RevocationList;
use healthpass::{Claims, Colour, CredentialId, Issuer, KeySet, Limits, PREFIX, Reason, Verifier};
use healthpass_qr::Qr;
use healthpass_testkit::images::{self, Rng};
use healthpass_testkit::trust::{anchor, authority, claims, office, school, signed_trust_list, t0};
use image::{GrayImage, Luma};
use serde_json::json;

const POLICY: &str = r#"{
  "name": "Demo checkpoint",
  "accept_colours": ["green"],
  "negative_test_max_age_hours": 72
}"#;

/// Frames per second of the fake camera, and frames each code stays in view.
const FPS: u32 = 4;
const FRAMES_PER_CODE: u32 = 8;
const BLANK_FRAMES: u32 = 2;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bench") {
        let dir = PathBuf::from(args.get(1).expect("web_fixtures --bench DIR"));
        println!("{}", bench(&dir));
        return;
    }
    let out = PathBuf::from(args.first().cloned().unwrap_or_else(|| "target/web-fixtures".into()));
    std::fs::create_dir_all(&out).unwrap();
    let now = t0() + TimeDelta::minutes(1);

    let trust = signed_trust_list(1);
    let mut revocation = RevocationList::new(1, t0() - TimeDelta::hours(1), t0() + TimeDelta::days(1));
    revocation.revoke_credentials([&CredentialId([3; 16])]);
    let revoked_list = revocation.sign(&anchor(), &Limits::DEFAULT).unwrap();

    let named = |id: u8, colour: Colour| {
        let mut c = claims(id);
        c.subject.name = Some("Chan Tai Man".into());
        c.colour = colour;
        if colour == Colour::Red {
            c.reasons = vec![Reason::PositiveTest];
            c.evidence = Default::default();
        }
        c
    };
    let green = Issuer::new(office()).issue(&named(1, Colour::Green)).unwrap();
    let red = Issuer::new(authority()).issue(&named(2, Colour::Red)).unwrap();
    let revoked = Issuer::new(office()).issue(&named(3, Colour::Green)).unwrap();
    // The school may sign student codes only: a personal code is out of its scope.
    let out_of_scope = Issuer::new(school())
        .issue(&{
            let mut c = named(4, Colour::Green);
            c.issuer = "CN-GD-SCHOOL-7".into();
            c
        })
        .unwrap();
    let forged = forge(&named(5, Colour::Green));

    let codes = [
        ("green", &green, json!({ "accepted": true, "colour": "green", "refusals": [] })),
        ("red", &red, json!({ "accepted": false, "colour": "red", "refusals": ["colour_not_accepted"] })),
        ("revoked", &revoked, json!({ "accepted": false, "colour": "green", "refusals": ["revoked"] })),
        ("out-of-scope", &out_of_scope, json!({ "accepted": false, "refusals": ["out_of_scope"] })),
        ("forged", &forged, json!({ "accepted": false, "colour": null, "refusals": ["bad_signature"] })),
    ];

    // Check the expectations natively first: the browser must agree with these verdicts.
    let policy = Policy::from_json(POLICY).unwrap();
    let mut checkpoint = Checkpoint::new_at(vec![anchor().public_key()], &trust, policy, now).unwrap();
    checkpoint.add_revocation_list_at(&revoked_list, now).unwrap();
    for (name, text, expected) in &codes {
        let verdict = checkpoint.check(text, now);
        let codes: Vec<&str> = verdict.refusal_codes();
        let want: Vec<&str> = expected["refusals"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        // As the browser reads it: the verdict document's `accepted`.
        let accepted = serde_json::to_value(&verdict).unwrap()["accepted"].as_bool();
        assert_eq!(accepted, expected["accepted"].as_bool(), "{name}: {verdict}");
        assert!(want.iter().all(|w| codes.contains(w)), "{name}: {verdict}");
    }

    write(&out, "anchor.pem", anchor().public_key().to_pem().unwrap().as_bytes());
    write(&out, "trust.cose", &trust);
    write(&out, "revoked.cose", &revoked_list);
    write(&out, "policy.json", POLICY.as_bytes());
    let list: Vec<_> =
        codes.iter().map(|(name, text, expected)| json!({ "name": name, "text": text, "expect": expected })).collect();
    let now_ms = now.timestamp_millis();
    let doc = json!({ "now_ms": now_ms, "office_key_pem": office().public_key().to_pem().unwrap(), "codes": list });
    write(&out, "codes.json", serde_json::to_string_pretty(&doc).unwrap().as_bytes());

    // Each code rendered, and the video the fake camera plays: each code in turn, 5 pixels a
    // module, slightly turned, on a grey gradient, with a blank moment between codes.
    let mut rng = Rng::new(17);
    let mut video = y4m_header(1280, 720);
    for (name, text, _) in &codes {
        let qr = Qr::encode(text).unwrap();
        write(&out, &format!("{name}.png"), &qr.to_png(6).unwrap());
        let frame = scene(&qr, 5.0, rng.range(-0.08, 0.08), &mut rng);
        for _ in 0..FRAMES_PER_CODE {
            y4m_frame(&mut video, &frame);
        }
        let blank = scene_background(&mut rng);
        for _ in 0..BLANK_FRAMES {
            y4m_frame(&mut video, &blank);
        }
    }
    write(&out, "camera.y4m", &video);

    // Frames for the worker's timing: a clean 1280 × 720 frame as the fake camera gives, and a
    // camera-like one (2.5 to 3.5 pixels a module, clutter, blur, noise).
    let green_qr = Qr::encode(&green).unwrap();
    let clean_frame = scene(&green_qr, 5.0, 0.05, &mut rng);
    let camera_frame = images::camera_frame(&green_qr, &mut rng);
    write(&out, "frame-clean.png", &images::png(&clean_frame));
    write(&out, "frame-camera.png", &images::png(&camera_frame));

    // A photo for the upload: 1600 × 1200, the code turned, tilted, blurred, noisy, as JPEG.
    let side = images::side_px(&green_qr, 7.0);
    let mut corners = images::square_corners(820.0, 580.0, side, 0.2);
    corners[1].0 -= 0.03 * side;
    corners[2].1 += 0.04 * side;
    let photo = images::draw(&green_qr, 1600, 1200, corners, 35.0, 205.0, |x, y| {
        90.0 + 60.0 * (f64::from(x) / 1600.0) + 20.0 * (f64::from(y) / 1200.0)
    });
    let mut photo = image::imageops::blur(&photo, 0.8);
    images::add_noise(&mut photo, 5.0, &mut rng);
    write(&out, "photo.jpg", &images::jpeg(&photo, 85));

    println!("fixtures in {}", out.display());
}

/// The native side of the speed comparison, per code: the very functions the bindings wrap
/// (key text parsed on each `verify`, as in JavaScript), and the core's verifier alone.
fn bench(dir: &Path) -> serde_json::Value {
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&read("codes.json")).unwrap();
    let now_ms = doc["now_ms"].as_i64().unwrap();
    let now = chrono::DateTime::from_timestamp_millis(now_ms).unwrap();
    let green = doc["codes"][0]["text"].as_str().unwrap().to_string();
    let office_pem = doc["office_key_pem"].as_str().unwrap().to_string();
    let (trust, revoked_list) = (read("trust.cose"), read("revoked.cose"));
    let frame = |name: &str| image::load_from_memory(&read(name)).unwrap().to_luma8();
    let (clean_frame, camera_frame) = (frame("frame-clean.png"), frame("frame-camera.png"));
    let verify_ns = per_call_ns(|| {
        std::hint::black_box(healthpass_wasm::verify_json(&green, &office_pem, now_ms as f64).unwrap());
    });
    let verifier = Verifier::new([office().public_key()].into_iter().collect::<KeySet>());
    let core_verify_ns = per_call_ns(|| {
        std::hint::black_box(verifier.verify(&green, now).unwrap());
    });
    let anchor_pem = anchor().public_key().to_pem().unwrap();
    let mut web = healthpass_wasm::WebCheckpoint::new(&anchor_pem, &trust, POLICY, now_ms as f64).unwrap();
    web.add_revocation_list(&revoked_list, now_ms as f64).unwrap();
    let check_ns = per_call_ns(|| {
        std::hint::black_box(web.check_json(&green, now_ms as f64));
    });
    let mut frame_ns = |frame: &GrayImage| {
        let rgba: Vec<u8> = frame.as_raw().iter().flat_map(|&v| [v, v, v, 255]).collect();
        let (w, h) = (frame.width(), frame.height());
        per_call_ns(|| {
            std::hint::black_box(web.check_rgba_json(&rgba, w, h, now_ms as f64));
        })
    };
    let scan_ns = frame_ns(&clean_frame);
    let scan_camera_ns = frame_ns(&camera_frame);
    json!({ "verify_ns": verify_ns, "core_verify_ns": core_verify_ns, "check_ns": check_ns,
        "scan_clean_frame_ns": scan_ns, "scan_camera_frame_ns": scan_camera_ns })
}

/// A code whose signature does not verify: the green claims signed by the office, then one
/// byte of the signature changed, as a forger who edits a real code gets.
fn forge(claims: &Claims) -> String {
    let mut cose = Issuer::new(office()).issue_cose(claims).unwrap();
    let last = cose.len() - 1;
    cose[last] ^= 0x01;
    format!("{PREFIX}{}", encode_base45(&wrap_body(cose)))
}

/// The time of one call in nanoseconds: the mean of the fastest of at least 15 batches of calls
/// (each of at least 20 ms, over at least half a second), after a warm-up. On a machine shared
/// with other builds the fastest batch is the one least disturbed; the browser's side is
/// measured the same way.
fn per_call_ns(mut f: impl FnMut()) -> f64 {
    for _ in 0..5 {
        f();
    }
    let started = Instant::now();
    let mut batch = 1u32;
    let mut best = f64::INFINITY;
    let mut batches = 0;
    while batches < 15 || started.elapsed().as_millis() < 500 {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        let elapsed = start.elapsed().as_nanos() as f64;
        if elapsed < 2e7 && batches == 0 {
            batch = batch.saturating_mul(2);
            continue;
        }
        best = best.min(elapsed / f64::from(batch));
        batches += 1;
    }
    best
}

fn scene_background(rng: &mut Rng) -> GrayImage {
    let shade = rng.range(-10.0, 10.0);
    GrayImage::from_fn(1280, 720, |x, y| {
        Luma([(110.0 + shade + 40.0 * f64::from(x) / 1280.0 + 20.0 * f64::from(y) / 720.0) as u8])
    })
}

/// A 1280 × 720 frame with `qr` in the middle, `module_px` pixels a module, turned by `angle`.
fn scene(qr: &Qr, module_px: f64, angle: f64, rng: &mut Rng) -> GrayImage {
    let side = images::side_px(qr, module_px);
    let corners = images::square_corners(640.0 + rng.range(-80.0, 80.0), 360.0, side, angle);
    let shade = rng.range(-10.0, 10.0);
    let mut frame = images::draw(qr, 1280, 720, corners, 30.0, 225.0, |x, y| {
        110.0 + shade + 40.0 * f64::from(x) / 1280.0 + 20.0 * f64::from(y) / 720.0
    });
    images::add_noise(&mut frame, 3.0, rng);
    frame
}

fn y4m_header(width: u32, height: u32) -> Vec<u8> {
    format!("YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg\n").into_bytes()
}

/// One 4:2:0 frame: the grey image as luma, neutral chroma.
fn y4m_frame(video: &mut Vec<u8>, frame: &GrayImage) {
    video.extend_from_slice(b"FRAME\n");
    video.extend_from_slice(frame.as_raw());
    let chroma = (frame.width().div_ceil(2) * frame.height().div_ceil(2)) as usize;
    video.extend(std::iter::repeat_n(128u8, 2 * chroma));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}
