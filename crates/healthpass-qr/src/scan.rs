//! The scanning cascade: rxing on the image and on cleaned-up copies, then rqrr.

use std::panic::{AssertUnwindSafe, catch_unwind};

use image::GrayImage;

use super::budget::{Budgeted, OverBudget, rqrr_budget};
#[cfg(feature = "rxing")]
use super::clean::{flatten_light, smooth, stretch_contrast};
#[cfg(feature = "rxing")]
use super::finder::finder_candidates_in_runs;
use super::finder::{FINDER_CANDIDATES_PER_CODE, finder_candidates};
use super::read::{empty_image, read_image};
#[cfg(feature = "rxing")]
use super::shrink::{halve, two_thirds};
use healthpass::{Error, Limits, Result};

/// Scans an image file's bytes for QR codes; one result per code found (its text, or why it
/// could not be read), at most [`Limits::max_codes_per_image`].
///
/// # Errors
/// The errors of [`read_image`]; [`Error::NoCode`] if no QR code is found at all.
pub fn scan(bytes: &[u8], limits: &Limits) -> Result<Vec<Result<String>>> {
    scan_image(&read_image(bytes, limits)?, limits)
}

/// Scans a greyscale image for QR codes, as [`scan`].
///
/// # Errors
/// [`Error::Image`] for an image with no pixels, [`Error::TooLarge`] for an image with more
/// finder-pattern candidates than [`Limits::max_codes_per_image`] codes can have (rqrr would
/// spend minutes on it) or on which rqrr spends more than its work budget (250 pixel reads per
/// pixel, at least 10 million), [`Error::NoCode`] if no QR code is found, [`Error::Qr`] if the scanner
/// fails on the image (a panic inside rqrr, contained here).
///
/// A code printed light on dark (a phone in dark mode) is read too: when nothing is found, the
/// image is inverted and scanned again, as zbar and ZXing offer.
pub fn scan_image(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    match scan_once(image, limits) {
        Err(Error::NoCode) => scan_inverted(image, limits),
        other => other,
    }
}

/// The inverted image through rxing's first pass only: a code shown light on dark is a screen,
/// clean enough for it, and an image with no code at all costs one pass more, not the cascade.
#[cfg(feature = "rxing")]
fn scan_inverted(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    let mut inverted = image.clone();
    image::imageops::invert(&mut inverted);
    match rxing_texts(&inverted, limits, &mut RxingTried::default()) {
        Ok(found) if !found.is_empty() => Ok(found.into_iter().map(Ok).collect()),
        _ => Err(Error::NoCode),
    }
}

/// Without rxing: the inverted image through rqrr.
#[cfg(not(feature = "rxing"))]
fn scan_inverted(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    let mut inverted = image.clone();
    image::imageops::invert(&mut inverted);
    scan_once(&inverted, limits)
}

/// One pass of the cascade over the image as given.
fn scan_once(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    // rqrr indexes out of bounds (a panic) on an image with zero width or height.
    if image.width() == 0 || image.height() == 0 {
        return Err(empty_image());
    }
    #[cfg(feature = "rxing")]
    {
        // The fast decoder first (rxing, a port of ZXing's C++ QR reader), on the image as it
        // came, then on cleaned-up copies, each made only when everything before found nothing:
        // contrast stretched (grey on grey), smoothed (sensor noise), light flattened (a gradient
        // of light over a faint code), and for a large image, at two thirds and at half the size (the
        // noise of a photo). rqrr follows for what they miss (strong perspective) and
        // to report codes found but not decodable. BENCHMARKS.md, "Scanning", shows what each
        // step adds.
        // What rxing already failed on in this scan, so that no copy repeats that work.
        let mut tried = RxingTried::default();
        // A crowded image (more finder-pattern candidates than the codes allowed can show) is
        // still tried on every copy, within a few sets each, and refused if none reads: a noisy
        // photo looks crowded until it is smoothed. rqrr is not run on it.
        let mut crowded = None;
        let cleaned: [&dyn Fn() -> Option<GrayImage>; 6] = [
            &|| None,
            &|| stretch_contrast(image),
            &|| smooth(image),
            &|| flatten_light(image),
            &|| two_thirds(image),
            &|| halve(image),
        ];
        for (step, make) in cleaned.iter().enumerate() {
            let copy = if step == 0 { None } else { make() };
            let searched = match (step, &copy) {
                (0, _) => image,
                (_, Some(copy)) => copy,
                (_, None) => continue,
            };
            match rxing_texts(searched, limits, &mut tried) {
                Ok(found) if !found.is_empty() => return Ok(found.into_iter().map(Ok).collect()),
                Ok(_) => {}
                Err(crowd @ Error::TooLarge { .. }) => crowded = Some(crowd),
                Err(other) => return Err(other),
            }
        }
        if let Some(crowd) = crowded {
            return Err(crowd);
        }
    }
    let (width, height) = (image.width() as usize, image.height() as usize);
    // rqrr asserts on some images (found by fuzzing: a perspective mapping past i32 in
    // `find_alignment_pattern`). Contain its panics: the image, or the one code, is refused and
    // the caller goes on. Nothing touched inside is used after a panic. (With `panic = "abort"`
    // nothing can be contained; the default panic hook still prints rqrr's message.)
    let scanner_failed = || Error::Qr("scan: the QR scanner failed on this image".into());
    let finder_cap = limits.max_codes_per_image.saturating_mul(FINDER_CANDIDATES_PER_CODE);
    // rqrr's work is not bounded by the image's size alone (a 72 × 96 image found by fuzzing
    // took 10 s: its alignment-pattern search spirals for as long as a degenerate perspective
    // asks): it works on a copy that counts pixel reads and writes and stops at a budget.
    let budget = rqrr_budget(image);
    let codes = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(Budgeted::new(image.clone(), budget));
        let candidates = finder_candidates(width, height, |x, y| prepared.get_pixel_at(x, y), finder_cap);
        if candidates > finder_cap {
            return Err(Error::TooLarge { what: "QR finder-pattern candidates in the image", limit: finder_cap });
        }
        Ok(prepared
            .detect_grids()
            .into_iter()
            .take(limits.max_codes_per_image)
            .map(|grid| match catch_unwind(AssertUnwindSafe(|| grid.decode())) {
                Ok(Ok((_, text))) => Ok(text),
                Ok(Err(e)) => Err(Error::Qr(format!("decode: {e}"))),
                // Out of budget: the whole image is refused, below.
                Err(payload) if payload.is::<OverBudget>() => std::panic::resume_unwind(payload),
                Err(_) => Err(Error::Qr("decode: the QR scanner failed on this code".into())),
            })
            .collect::<Vec<Result<String>>>())
    }))
    .map_err(|payload| {
        if payload.is::<OverBudget>() {
            Error::TooLarge { what: "QR scanner work (pixel reads) on the image", limit: budget }
        } else {
            scanner_failed()
        }
    })??;
    if codes.is_empty() {
        return Err(Error::NoCode);
    }
    Ok(codes)
}

/// Sets of three finder patterns rxing samples and decodes, best first, on an image with more
/// finder-pattern candidates than [`Limits::max_codes_per_image`] codes can show.
#[cfg(feature = "rxing")]
const RXING_SETS_WHEN_CROWDED: usize = 64;

/// What rxing found nothing in during one scan: the thresholded images it searched and the
/// module grids it sampled and failed to decode. rxing's detection is a function of the
/// thresholded image alone and its decoding a function of the sampled grid alone, so a copy
/// whose threshold comes out the same, or a grid sampled again (from another copy, or another
/// set of the same finder patterns), cannot give anything new: skipping them changes no result.
#[cfg(feature = "rxing")]
#[derive(Default)]
struct RxingTried {
    matrices: Vec<rxing::common::BitMatrix>,
    grids: std::collections::HashSet<rxing::common::BitMatrix>,
}

/// The QR codes rxing reads in the image (at most [`Limits::max_codes_per_image`]); none if it
/// finds none or fails (its panics are contained as rqrr's are).
///
/// This is rxing's own multi-code QR reader (`QrReader::decode_multiple_with_hints` with only
/// QR codes asked for, step for step: its finder patterns, their sets, each set sampled and
/// decoded, the patterns of a decoded code not reused), but it skips what `tried` shows to
/// fail, and builds no `RXingResult` (which would read the clock).
#[cfg(feature = "rxing")]
fn rxing_texts(image: &GrayImage, limits: &Limits, tried: &mut RxingTried) -> Result<Vec<String>> {
    use rxing::common::DetectorRXingResult;
    use rxing::qrcode::cpp_port::{decoder, detector};
    let Ok(source) = rxing::Luma8Source::new_with_slice(image.as_raw(), image.width(), image.height()) else {
        return Ok(Vec::new());
    };
    let bitmap = rxing::BinaryBitmap::new(rxing::common::HybridBinarizer::new(source));
    // rxing's time grows with the number of finder patterns it has to group (a 600 × 600 image
    // tiled with them: 1.5 s a call). Count them first on the very matrix it will read (built
    // once, kept in the bitmap). More than any permitted number of codes can show makes the
    // image crowded: rxing then tries only its best [`RXING_SETS_WHEN_CROWDED`] sets of
    // patterns, and the image is refused if they hold no code (a noisy photo can look crowded
    // and still hold a code that its best sets find).
    let cap = limits.max_codes_per_image.saturating_mul(FINDER_CANDIDATES_PER_CODE);
    let matrix = bitmap.get_black_matrix();
    let (width, height) = (image.width() as usize, image.height() as usize);
    let coordinate = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    // Runs straight from the matrix's words: a pass costs about a word per 32 pixels.
    let row_runs = |y: usize, runs: &mut Vec<usize>| {
        runs.clear();
        let bits = matrix.getRow(coordinate(y));
        let (mut at, mut dark) = (0, bits.get(0));
        while at < width {
            let next = if dark { bits.getNextUnset(at) } else { bits.getNextSet(at) };
            let next = next.clamp(at + 1, width);
            runs.push(next - at);
            (at, dark) = (next, !dark);
        }
    };
    let pixel = |x: usize, y: usize| matrix.get(coordinate(x), coordinate(y));
    let crowded = finder_candidates_in_runs(height, row_runs, &pixel, cap) > cap;
    let too_crowded = || Error::TooLarge { what: "QR finder-pattern candidates in the image", limit: cap };
    // A threshold already searched in this scan found nothing then, and finds nothing now.
    if tried.matrices.contains(matrix) {
        return if crowded { Err(too_crowded()) } else { Ok(Vec::new()) };
    }
    let sets_allowed = if crowded { RXING_SETS_WHEN_CROWDED } else { usize::MAX };
    let found = catch_unwind(AssertUnwindSafe(|| {
        let mut patterns = detector::FindFinderPatterns(matrix, false, 0);
        let mut used = Vec::new();
        let mut texts = Vec::new();
        for set in detector::GenerateFinderPatternSets(&mut patterns).into_iter().take(sets_allowed) {
            if used.contains(&set.bl) || used.contains(&set.tl) || used.contains(&set.tr) {
                continue;
            }
            let Ok(sampled) = detector::SampleQR(matrix, &set) else { continue };
            let grid = sampled.getBits();
            if tried.grids.contains(grid) {
                continue;
            }
            match decoder::Decode(grid) {
                Ok(decoded) if decoded.isValid() => {
                    used.extend([set.bl, set.tl, set.tr]);
                    texts.push(decoded.text());
                }
                _ => {
                    tried.grids.insert(grid.clone());
                }
            }
        }
        texts
    }));
    let texts = found.unwrap_or_default();
    if texts.is_empty() {
        tried.matrices.push(matrix.clone());
        if crowded {
            return Err(too_crowded());
        }
    }
    Ok(texts.into_iter().take(limits.max_codes_per_image).collect())
}
