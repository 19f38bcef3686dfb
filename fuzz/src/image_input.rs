//! The `image` target's input, one definition for the target, `tests/fuzz_regressions.rs` and
//! `examples/scan_fuzz_corpus.rs` (which include this file by path): byte 0 = 0 is raw grey
//! pixels, with sides of 1 to `max_image_side` from bytes 1 and 2 and the pixels repeated to
//! fill the image; any other byte 0 is followed by an image file.

use healthpass::Limits;
use healthpass_qr as qr;
use image::{GrayImage, Luma};

/// The target's cap on each side of an image, which keeps each run fast.
pub const MAX_SIDE: u32 = 96;

/// `Limits::DEFAULT` with images capped at `side` × `side`.
pub fn limits(side: u32) -> Limits {
    Limits { max_image_side: side, max_image_pixels: u64::from(side * side), ..Limits::DEFAULT }
}

/// The raw-pixel image of an input whose byte 0 is 0; `None` for any other input, or one
/// without pixels.
pub fn raw_image(data: &[u8], max_side: u32) -> Option<GrayImage> {
    let [0, width, height, pixels @ ..] = data else { return None };
    if pixels.is_empty() {
        return None;
    }
    let width = u32::from(*width) % max_side + 1;
    let height = u32::from(*height) % max_side + 1;
    Some(GrayImage::from_fn(width, height, |x, y| Luma([pixels[(y * width + x) as usize % pixels.len()]])))
}

/// Scans an input as the target does, under `limits`; `None` for an input it skips (empty, or
/// raw pixels without a pixel).
pub fn scan(data: &[u8], limits: &Limits) -> Option<healthpass::Result<Vec<healthpass::Result<String>>>> {
    match data.split_first()? {
        (0, rest) if rest.len() >= 2 => {
            raw_image(data, limits.max_image_side).map(|image| qr::scan_image(&image, limits))
        }
        (_, rest) => Some(qr::scan(rest, limits)),
    }
}
