//! QR encoders compared on the same text: time to a module matrix, and that each scans back.
//!
//! `cargo bench --bench render && cargo run --release --example bench_report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use healthpass::{Claims, Issuer, Limits, SigningKey};
use image::{GrayImage, Luma};

fn to_image(size: usize, dark: impl Fn(usize, usize) -> bool) -> GrayImage {
    let px = 4;
    let side = (size + 8) * px;
    GrayImage::from_fn(side as u32, side as u32, |x, y| {
        let (mx, my) = ((x as usize / px).wrapping_sub(4), (y as usize / px).wrapping_sub(4));
        Luma([if mx < size && my < size && dark(mx, my) { 0 } else { 255 }])
    })
}

fn render(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let text = Issuer::new(SigningKey::demo()).issue(&Claims::example(now)).unwrap();
    let scans =
        |image: &GrayImage| healthpass_qr::scan_image(image, &Limits::DEFAULT).unwrap() == vec![Ok(text.clone())];

    let q = qrcode::QrCode::with_error_correction_level(&text, qrcode::EcLevel::M).unwrap();
    let w = q.width();
    assert!(scans(&to_image(w, |x, y| q[(x, y)] == qrcode::Color::Dark)), "qrcode");
    let f = fast_qr::QRBuilder::new(text.as_str()).ecl(fast_qr::ECL::M).build().unwrap();
    assert!(scans(&to_image(f.size, |x, y| f[y][x].value())), "fast_qr");
    let n = qrcodegen::QrCode::encode_text(&text, qrcodegen::QrCodeEcc::Medium).unwrap();
    assert!(scans(&to_image(n.size() as usize, |x, y| n.get_module(x as i32, y as i32))), "qrcodegen");
    println!("versions: qrcode {:?}, fast_qr {:?}, qrcodegen {:?}", q.version(), f.version, n.version().value());

    let ours = healthpass_qr::Qr::encode(&text).unwrap();
    assert!(scans(&ours.to_image(4)), "healthpass_qr::Qr");
    let png = ours.to_png(4).unwrap();
    assert_eq!(healthpass_qr::scan(&png, &Limits::DEFAULT).unwrap(), vec![Ok(text.clone())]);

    let mut group = c.benchmark_group("render");
    group.bench_function("baseline: qrcode crate, text to matrix", |b| {
        b.iter(|| qrcode::QrCode::with_error_correction_level(black_box(&text), qrcode::EcLevel::M).unwrap())
    });
    group.bench_function("Qr::encode, text to matrix", |b| {
        b.iter(|| healthpass_qr::Qr::encode(black_box(&text)).unwrap())
    });
    group.bench_function("text to PNG (4 px a module)", |b| {
        b.iter(|| healthpass_qr::Qr::encode(black_box(&text)).unwrap().to_png(4).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("qr encoders");
    group.bench_function("qrcode", |b| {
        b.iter(|| qrcode::QrCode::with_error_correction_level(black_box(&text), qrcode::EcLevel::M).unwrap())
    });
    group.bench_function("fast_qr", |b| {
        b.iter(|| fast_qr::QRBuilder::new(black_box(text.as_str())).ecl(fast_qr::ECL::M).build().unwrap())
    });
    group.bench_function("qrcodegen", |b| {
        b.iter(|| qrcodegen::QrCode::encode_text(black_box(&text), qrcodegen::QrCodeEcc::Medium).unwrap())
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
