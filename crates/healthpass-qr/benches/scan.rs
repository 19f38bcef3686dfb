//! Scanning a clean rendered code and a 1280×720 camera-like frame: rqrr alone (the baseline)
//! against `qr::scan_image` (the cascade; with the default `rxing` feature), in the same run.
//!
//! `cargo bench --bench scan` (and `--no-default-features` for the scanner without rxing).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use healthpass_testkit::images as scan_support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use healthpass::Limits;
use healthpass_qr as qr;
use healthpass_qr::Qr;
use image::GrayImage;

fn rqrr_alone(image: &GrayImage) -> Vec<String> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image.get_pixel(x as u32, y as u32).0[0]);
    prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

fn scan(c: &mut Criterion) {
    let text = scan_support::issued_text(1);
    let qr = Qr::encode(&text).unwrap();
    let clean = qr.to_image(4);
    let frame = scan_support::camera_frame(&qr, &mut scan_support::Rng::new(7));
    for (name, image) in [("clean", &clean), ("frame", &frame)] {
        assert_eq!(qr::scan_image(image, &Limits::DEFAULT).unwrap(), vec![Ok(text.clone())], "{name}");
    }
    for (name, image) in [("clean", &clean), ("frame", &frame)] {
        eprintln!("rqrr alone reads the {name} image: {}", rqrr_alone(image).contains(&text));
    }
    let mut group = c.benchmark_group("scan clean 244x244 (4 px/module)");
    group.sample_size(20);
    group.bench_function("baseline: rqrr alone", |b| b.iter(|| rqrr_alone(black_box(&clean))));
    group.bench_function("qr::scan_image", |b| b.iter(|| qr::scan_image(black_box(&clean), &Limits::DEFAULT)));
    group.finish();
    let mut group = c.benchmark_group("scan frame 1280x720");
    group.sample_size(10);
    group.bench_function("baseline: rqrr alone", |b| b.iter(|| rqrr_alone(black_box(&frame))));
    group.bench_function("qr::scan_image", |b| b.iter(|| qr::scan_image(black_box(&frame), &Limits::DEFAULT)));
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
