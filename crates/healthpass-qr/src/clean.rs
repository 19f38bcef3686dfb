//! Cleaned-up copies of an image for rxing's later attempts: contrast, noise, uneven light.

use image::GrayImage;

/// A copy smoothed with the binomial kernel 1 4 6 4 1 (/16) across and then down: a Gaussian
/// of σ 1 pixel in integers, which removes most per-pixel sensor noise and keeps modules of 2
/// pixels and more. One byte a pixel and five rows of scratch, whatever the image's size (the
/// `image` crate's blur works in `f32`, ten times the memory).
#[cfg(feature = "rxing")]
pub(super) fn smooth(image: &GrayImage) -> Option<GrayImage> {
    const KERNEL: [u32; 5] = [1, 4, 6, 4, 1];
    let width = image.width() as usize;
    let source = image.as_raw();
    if width == 0 {
        return None;
    }
    // The kernel over five values taken at clamped offsets -2..=2 around `i` of `len`.
    let filter = |len: usize, i: usize, value: &dyn Fn(usize) -> u8| -> u8 {
        let sum: u32 = KERNEL
            .iter()
            .enumerate()
            .map(|(k, weight)| weight * u32::from(value((i + k).saturating_sub(2).min(len - 1))))
            .sum();
        u8::try_from((sum + 8) / 16).unwrap_or(u8::MAX)
    };
    let mut out = vec![0u8; source.len()];
    for (row_in, row_out) in source.chunks_exact(width).zip(out.chunks_exact_mut(width)) {
        for (x, pixel) in row_out.iter_mut().enumerate() {
            *pixel = filter(width, x, &|i| row_in.get(i).copied().unwrap_or(0));
        }
    }
    // Down, in place: the rows above the current one are kept as they were before smoothing.
    let height = out.len() / width;
    let mut above: Vec<Vec<u8>> = Vec::with_capacity(3);
    let mut smoothed = vec![0u8; width];
    for y in 0..height {
        let row = |r: usize| -> Option<&[u8]> {
            match r.cmp(&y) {
                std::cmp::Ordering::Less => above.get(above.len() + r - y).map(Vec::as_slice),
                _ => out.get(r * width..(r + 1) * width),
            }
        };
        for (x, pixel) in smoothed.iter_mut().enumerate() {
            *pixel = filter(height, y, &|r| row(r).and_then(|row| row.get(x)).copied().unwrap_or(0));
        }
        let current = out.get_mut(y * width..(y + 1) * width)?;
        above.push(current.to_vec());
        if above.len() > 2 {
            above.remove(0);
        }
        current.copy_from_slice(&smoothed);
    }
    GrayImage::from_raw(image.width(), image.height(), out)
}

/// A copy with uneven light taken out: each pixel minus its background (the image shrunk 16
/// times and grown back, a cheap wide blur), amplified 8 times around mid-grey. A faint code
/// under a light gradient becomes a high-contrast one on a flat ground.
#[cfg(feature = "rxing")]
pub(super) fn flatten_light(image: &GrayImage) -> Option<GrayImage> {
    use image::imageops::{FilterType, resize};
    let (width, height) = image.dimensions();
    let small = resize(image, (width / 16).max(1), (height / 16).max(1), FilterType::Triangle);
    let mut flat = resize(&small, width, height, FilterType::Triangle);
    // The background's buffer becomes the result, so the copy costs one byte a pixel.
    for (pixel, &original) in flat.iter_mut().zip(image.as_raw()) {
        let lifted = 128 + (i32::from(original) - i32::from(*pixel)) * 8;
        *pixel = u8::try_from(lifted.clamp(0, 255)).unwrap_or(u8::MAX);
    }
    Some(flat)
}

/// The image with its grey levels stretched so that the darkest 1 % map to black and the
/// lightest 1 % to white, or `None` if it already spans most of the range (or is flat).
#[cfg(feature = "rxing")]
pub(super) fn stretch_contrast(image: &GrayImage) -> Option<GrayImage> {
    let mut histogram = [0usize; 256];
    for pixel in image.as_raw() {
        if let Some(count) = histogram.get_mut(usize::from(*pixel)) {
            *count += 1;
        }
    }
    let cut = image.as_raw().len() / 100;
    let level = |order: &[usize]| {
        let mut seen = 0;
        order.iter().copied().find(|&v| {
            seen += histogram.get(v).copied().unwrap_or(0);
            seen > cut
        })
    };
    let up: Vec<usize> = (0..256).collect();
    let down: Vec<usize> = (0..256).rev().collect();
    let low = level(&up)?;
    let high = level(&down)?;
    if high <= low + 8 || high - low > 160 {
        return None;
    }
    let (low, span) = (low as u32, (high - low) as u32);
    let map: Vec<u8> = (0..256u32)
        .map(|v| u8::try_from(v.saturating_sub(low).saturating_mul(255) / span).unwrap_or(u8::MAX))
        .collect();
    let pixels = image.as_raw().iter().map(|&v| map.get(usize::from(v)).copied().unwrap_or(v)).collect();
    GrayImage::from_raw(image.width(), image.height(), pixels)
}
