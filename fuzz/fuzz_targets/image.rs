//! Image scanning on small arbitrary images: raw greyscale pixels straight into the QR scanner,
//! and arbitrary bytes as an image file through the header checks and decoders. Dimensions are
//! capped so that each run stays fast.
#![no_main]

use healthpass_fuzz::image_input;
use libfuzzer_sys::fuzz_target;

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
    let limits = image_input::limits(image_input::MAX_SIDE);
    let result = image_input::scan(data, &limits);
    // An image file that scans gives 1 to `max_codes_per_image` results.
    if let (Some(Ok(codes)), Some(kind)) = (result, data.first()) {
        if *kind != 0 || data.len() < 3 {
            assert!(!codes.is_empty() && codes.len() <= limits.max_codes_per_image);
        }
    }
});
