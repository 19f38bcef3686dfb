//! The scanner on the degraded-image corpus (examples/scan_support): the classes where the
//! cascade's clean-up steps matter must keep reading at least what zbar reads (BENCHMARKS.md,
//! "Scanning": zbar reads 7 of 20 noisy images and 20 of 20 low-contrast ones).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use healthpass_testkit::images as scan_support;

fn decoded(class: &str) -> usize {
    let samples = scan_support::class(class, 20);
    samples
        .iter()
        .filter(|s| {
            healthpass_qr::scan(&s.bytes, &healthpass::Limits::DEFAULT)
                .is_ok_and(|found| found.iter().any(|r| r.as_deref() == Ok(s.text.as_str())))
        })
        .count()
}

#[cfg(feature = "rxing")]
#[test]
fn noisy_images_are_smoothed_before_giving_up() {
    let n = decoded("noise");
    assert!(n >= 18, "noise: {n}/20 decoded");
}

#[cfg(feature = "rxing")]
#[test]
fn faint_codes_under_a_light_gradient_are_flattened() {
    let n = decoded("low-contrast");
    assert!(n >= 20, "low contrast: {n}/20 decoded");
}

#[test]
fn clean_codes_always_scan() {
    assert_eq!(decoded("clean"), 20);
}
