//! Image scanning on small arbitrary images: raw greyscale pixels straight into the QR scanner,
//! and arbitrary bytes as an image file through the header checks and decoders. Dimensions are
//! capped so that each run stays fast.
#![no_main]

use healthpass::{Limits, qr};
use image::GrayImage;
use libfuzzer_sys::fuzz_target;

const MAX_SIDE: u32 = 96;

fuzz_target!(init: {
    // libfuzzer-sys aborts in its panic hook, even on a panic that the library catches (qr.rs
    // contains rqrr's panics). Replace the hook: rqrr's panics are silent, others are printed,
    // and a panic that escapes `scan` still reaches libfuzzer-sys's own catch, which aborts and
    // records the crash.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|at| at.file().contains("/rqrr-")) {
            default_hook(info);
        }
    }));
}, |data: &[u8]| {
    let mut limits = Limits::DEFAULT;
    limits.max_image_side = MAX_SIDE;
    limits.max_image_pixels = u64::from(MAX_SIDE * MAX_SIDE);
    match data.split_first() {
        // Raw pixels: the first two bytes give the width and height (1..=MAX_SIDE).
        Some((0, rest)) if rest.len() >= 2 => {
            let width = u32::from(rest[0]) % MAX_SIDE + 1;
            let height = u32::from(rest[1]) % MAX_SIDE + 1;
            let pixels = &rest[2..];
            if pixels.is_empty() {
                return;
            }
            let image = GrayImage::from_fn(width, height, |x, y| {
                let at = (y * width + x) as usize % pixels.len();
                image::Luma([pixels[at]])
            });
            let _ = qr::scan_image(&image, &limits);
        }
        // An image file (PNG, JPEG, or anything else).
        Some((_, rest)) => {
            if let Ok(codes) = qr::scan(rest, &limits) {
                assert!(!codes.is_empty() && codes.len() <= limits.max_codes_per_image);
            }
        }
        None => {}
    }
});
