//! QR codes: render code text as PNG, SVG or terminal blocks, and scan images back to text.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use fast_qr::{ECL, QRBuilder, QRCode};
use image::{GrayImage, ImageReader};

use crate::{Error, Limits, Result};

/// Modules of light margin around a rendered code (the QR standard asks for 4).
const QUIET_ZONE: usize = 4;

/// A QR code holding one code's text, at error-correction level M.
///
/// Encoded with the `fast_qr` crate: about ten times faster than the `qrcode` crate on a typical
/// code, and every rendered code scans back (see BENCHMARKS.md, `cargo bench --bench render`).
#[derive(Clone)]
pub struct Qr {
    code: QRCode,
}

impl std::fmt::Debug for Qr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Qr {{ version: {}, width: {} }}", self.version(), self.width())
    }
}

impl Qr {
    /// Encodes text at error-correction level M, in the smallest version that holds it. Base45
    /// text is encoded in the QR alphanumeric mode, digits in numeric mode, anything else in byte mode.
    ///
    /// # Errors
    /// [`Error::Qr`] if the text does not fit any QR version.
    pub fn encode(text: &str) -> Result<Self> {
        QRBuilder::new(text).ecl(ECL::M).build().map(|code| Qr { code }).map_err(|e| Error::Qr(format!("encode: {e}")))
    }

    /// The QR version (1 to 40).
    pub fn version(&self) -> usize {
        (self.code.size.saturating_sub(17)) / 4
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.code.size
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the code).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        let size = self.code.size;
        x < size && y < size && self.code.data.get(y * size + x).is_some_and(|m| m.value())
    }

    /// The code as a greyscale image, `module_px` pixels per module, with a 4-module quiet zone.
    pub fn to_image(&self, module_px: u32) -> GrayImage {
        let (side, rows) = self.rows(module_px, 0, 255);
        let side = u32::try_from(side).unwrap_or(0);
        GrayImage::from_raw(side, side, rows.concat()).unwrap_or_default()
    }

    /// One row of pixels per module row (`dark` and `light` values, `module_px` per module,
    /// quiet zone included), and the side in pixels. Rows repeat `module_px` times in an image.
    fn rows(&self, module_px: u32, dark: u8, light: u8) -> (usize, Vec<Vec<u8>>) {
        let px = module_px.max(1) as usize;
        let side = (self.width() + 2 * QUIET_ZONE) * px;
        let mut rows = Vec::with_capacity(side);
        for y in 0..self.width() + 2 * QUIET_ZONE {
            let row: Vec<u8> = (0..side)
                .map(|x| {
                    let (mx, my) = ((x / px).wrapping_sub(QUIET_ZONE), y.wrapping_sub(QUIET_ZONE));
                    if self.is_dark(mx, my) { dark } else { light }
                })
                .collect();
            rows.extend(std::iter::repeat_n(row, px));
        }
        (side, rows)
    }

    /// The code as a 1-bit greyscale PNG, `module_px` pixels per module (a few kilobytes).
    ///
    /// # Errors
    /// [`Error::Qr`] if PNG encoding fails.
    pub fn to_png(&self, module_px: u32) -> Result<Vec<u8>> {
        let px = module_px.max(1) as usize;
        let side = (self.width() + 2 * QUIET_ZONE) * px;
        // One bit a pixel, most significant first, 1 for light: pack each module row once.
        let mut packed = Vec::with_capacity(side.div_ceil(8) * side);
        for y in 0..self.width() + 2 * QUIET_ZONE {
            let mut row = vec![0u8; side.div_ceil(8)];
            for x in 0..side {
                let (mx, my) = ((x / px).wrapping_sub(QUIET_ZONE), y.wrapping_sub(QUIET_ZONE));
                if !self.is_dark(mx, my) {
                    if let Some(byte) = row.get_mut(x / 8) {
                        *byte |= 0x80 >> (x % 8);
                    }
                }
            }
            for _ in 0..px {
                packed.extend_from_slice(&row);
            }
        }
        let side = u32::try_from(side).map_err(|_| Error::Qr("PNG: too large".into()))?;
        let mut png = Vec::with_capacity(packed.len() / 4 + 128);
        let mut encoder = png::Encoder::new(&mut png, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::Fast);
        let fail = |e: png::EncodingError| Error::Qr(format!("PNG: {e}"));
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.write_image_data(&packed).map_err(fail)?;
        writer.finish().map_err(fail)?;
        Ok(png)
    }

    /// The code as an SVG document (one path, a 4-module margin, scalable).
    pub fn to_svg(&self) -> String {
        fast_qr::convert::svg::SvgBuilder::default().to_str(&self.code)
    }

    /// The code as Unicode half blocks for a terminal, two rows of modules per line of text,
    /// drawn light-on-dark with a 2-module quiet zone so that it scans on any terminal theme.
    pub fn to_terminal(&self) -> String {
        const MARGIN: usize = 2;
        let side = self.width() + 2 * MARGIN;
        let light = |x: usize, y: usize| !self.is_dark(x.wrapping_sub(MARGIN), y.wrapping_sub(MARGIN));
        let mut out = String::with_capacity((side + 1) * side.div_ceil(2) * 3);
        for y in (0..side).step_by(2) {
            for x in 0..side {
                // A light module is drawn as ink, so the code shows light on the terminal's dark.
                out.push(match (light(x, y), y + 1 < side && light(x, y + 1)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            out.push('\n');
        }
        out
    }
}

/// Bytes an image decoder may allocate beyond the pixels themselves (metadata, row buffers).
const DECODER_SLACK: u64 = 16 << 20;

/// Reads an image (PNG or JPEG) under the limits: the dimensions in its header are checked
/// before any pixel is decoded.
///
/// # Errors
/// [`Error::TooLarge`] for an image over a limit, [`Error::Image`] for one that cannot be decoded.
pub fn read_image(bytes: &[u8], limits: &Limits) -> Result<GrayImage> {
    if bytes.len() > limits.max_image_bytes {
        return Err(Error::TooLarge { what: "image file", limit: limits.max_image_bytes });
    }
    let reader =
        || ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| Error::Image(format!("read: {e}")));
    // Reading the header also reads (and inflates) metadata such as a PNG's ICC profile: cap
    // what the decoder may allocate for that, or a 200 KB file inflates a 200 MB profile.
    let mut header_limits = image::Limits::default();
    header_limits.max_alloc = Some(DECODER_SLACK);
    let mut header_reader = reader()?;
    header_reader.limits(header_limits);
    let (width, height) = header_reader.into_dimensions().map_err(|e| Error::Image(format!("header: {e}")))?;
    if width == 0 || height == 0 {
        return Err(empty_image());
    }
    let side = limits.max_image_side;
    if width > side || height > side {
        return Err(Error::TooLarge {
            what: "image side (pixels)",
            limit: usize::try_from(side).unwrap_or(usize::MAX),
        });
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_image_pixels {
        return Err(Error::TooLarge {
            what: "image (pixels)",
            limit: usize::try_from(limits.max_image_pixels).unwrap_or(usize::MAX),
        });
    }
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(width);
    decoder_limits.max_image_height = Some(height);
    // The largest decoded form is 16-bit RGBA: 8 bytes a pixel, plus the decoder's own buffers.
    decoder_limits.max_alloc = Some(pixels.saturating_mul(8).saturating_add(DECODER_SLACK));
    let mut reader = reader()?;
    reader.limits(decoder_limits);
    let image = reader.decode().map_err(|e| Error::Image(format!("decode: {e}")))?;
    Ok(image.into_luma8())
}

fn empty_image() -> Error {
    Error::Image("the image is empty (zero width or height)".into())
}

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
pub fn scan_image(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    // rqrr indexes out of bounds (a panic) on an image with zero width or height.
    if image.width() == 0 || image.height() == 0 {
        return Err(empty_image());
    }
    #[cfg(feature = "rxing")]
    {
        // The fast decoder first (rxing, a port of ZXing's C++ QR reader), on the image as it
        // came, then on cleaned-up copies, each made only when everything before found nothing:
        // contrast stretched (grey on grey), smoothed (sensor noise), light flattened (a gradient
        // of light over a faint code). rqrr follows for what they miss (strong perspective) and
        // to report codes found but not decodable. BENCHMARKS.md, "Scanning", shows what each
        // step adds.
        // What rxing already failed on in this scan, so that no copy repeats that work.
        let mut tried = RxingTried::default();
        let found = rxing_texts(image, limits, &mut tried)?;
        if !found.is_empty() {
            return Ok(found.into_iter().map(Ok).collect());
        }
        let cleaned: [&dyn Fn() -> Option<GrayImage>; 3] =
            [&|| stretch_contrast(image), &|| smooth(image), &|| flatten_light(image)];
        for copy in cleaned.iter().filter_map(|make| make()) {
            let found = rxing_texts(&copy, limits, &mut tried)?;
            if !found.is_empty() {
                return Ok(found.into_iter().map(Ok).collect());
            }
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

/// Pixel reads and writes rqrr may make per pixel of the image (see [`Budgeted`]). Measured:
/// at most 33 on the 478 DCC test pictures (all of which rqrr decodes), 11–45 on rendered codes
/// of versions 5–38 at 2–4 pixels per module, 164 on a version 5 code at one pixel per module
/// with no margin to spare.
const RQRR_WORK_PER_PIXEL: usize = 250;
/// The least budget, whatever the image's size: four times what a version 38 code at one pixel
/// per module takes (2.6 million). About 0.1 s of work.
const RQRR_WORK_MIN: usize = 10_000_000;

/// rqrr's budget of pixel reads and writes for an image.
fn rqrr_budget(image: &GrayImage) -> usize {
    let pixels = usize::try_from(u64::from(image.width()) * u64::from(image.height())).unwrap_or(usize::MAX);
    pixels.saturating_mul(RQRR_WORK_PER_PIXEL).max(RQRR_WORK_MIN)
}

/// The panic payload with which [`Budgeted`] stops rqrr (raised by `resume_unwind`, so no panic
/// hook runs and nothing is printed).
struct OverBudget;

/// The image rqrr works on, counting every pixel read and write against a budget shared by its
/// copies (rqrr clones the image while grouping finder patterns). When the budget is spent the
/// next access unwinds with [`OverBudget`], which `scan_image` catches.
#[derive(Clone)]
struct Budgeted {
    pixels: GrayImage,
    left: std::rc::Rc<std::cell::Cell<usize>>,
    /// Where a write outside the image goes (rqrr writes only inside it).
    spare: image::Luma<u8>,
}

impl Budgeted {
    fn new(pixels: GrayImage, budget: usize) -> Self {
        Budgeted { pixels, left: std::rc::Rc::new(std::cell::Cell::new(budget)), spare: image::Luma([255]) }
    }

    fn spend(&self) {
        match self.left.get().checked_sub(1) {
            Some(left) => self.left.set(left),
            None => std::panic::resume_unwind(Box::new(OverBudget)),
        }
    }
}

impl image::GenericImageView for Budgeted {
    type Pixel = image::Luma<u8>;

    fn dimensions(&self) -> (u32, u32) {
        self.pixels.dimensions()
    }

    fn get_pixel(&self, x: u32, y: u32) -> image::Luma<u8> {
        self.spend();
        self.pixels.get_pixel_checked(x, y).copied().unwrap_or(image::Luma([255]))
    }
}

#[allow(deprecated)]
impl image::GenericImage for Budgeted {
    fn get_pixel_mut(&mut self, x: u32, y: u32) -> &mut image::Luma<u8> {
        self.spend();
        match self.pixels.get_pixel_mut_checked(x, y) {
            Some(pixel) => pixel,
            None => &mut self.spare,
        }
    }

    fn put_pixel(&mut self, x: u32, y: u32, pixel: image::Luma<u8>) {
        self.spend();
        if let Some(at) = self.pixels.get_pixel_mut_checked(x, y) {
            *at = pixel;
        }
    }

    fn blend_pixel(&mut self, x: u32, y: u32, pixel: image::Luma<u8>) {
        self.put_pixel(x, y, pixel);
    }
}

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
    // once, kept in the bitmap) and refuse what no permitted number of codes can show.
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
    if finder_candidates_in_runs(height, row_runs, &pixel, cap) > cap {
        return Err(Error::TooLarge { what: "QR finder-pattern candidates in the image", limit: cap });
    }
    // A threshold already searched in this scan found nothing then, and finds nothing now.
    if tried.matrices.contains(matrix) {
        return Ok(Vec::new());
    }
    let found = catch_unwind(AssertUnwindSafe(|| {
        let mut patterns = detector::FindFinderPatterns(matrix, false, 0);
        let mut used = Vec::new();
        let mut texts = Vec::new();
        for set in detector::GenerateFinderPatternSets(&mut patterns) {
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
    }
    Ok(texts.into_iter().take(limits.max_codes_per_image).collect())
}

/// A copy smoothed with the binomial kernel 1 4 6 4 1 (/16) across and then down: a Gaussian
/// of σ 1 pixel in integers, which removes most per-pixel sensor noise and keeps modules of 2
/// pixels and more. One byte a pixel and five rows of scratch, whatever the image's size (the
/// `image` crate's blur works in `f32`, ten times the memory).
#[cfg(feature = "rxing")]
fn smooth(image: &GrayImage) -> Option<GrayImage> {
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
fn flatten_light(image: &GrayImage) -> Option<GrayImage> {
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
fn stretch_contrast(image: &GrayImage) -> Option<GrayImage> {
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

/// Finder-pattern candidates (see [`finder_candidates`]) allowed per QR code an image may hold.
/// A cleanly rendered code shows 9 (three patterns, each seen in up to three cells); the default
/// 16 codes an image allow 192, at which rqrr's worst case stays within seconds per megapixel.
const FINDER_CANDIDATES_PER_CODE: usize = 12;

/// Estimates how many finder patterns rqrr will consider, in one pass over the thresholded image
/// and without allocating per pixel, stopping once the count passes `stop_after`.
///
/// rqrr's grouping of finder patterns into codes costs a copy of the whole image for each
/// candidate pair, so an image tiled with finder patterns keeps it busy for minutes (600 × 600
/// pixels: 107 s). This scans rows as rqrr does for the 1:1:3:1:1 run sequence (with rqrr's
/// tolerance, and either polarity, so that it counts at least what rqrr finds) and counts the
/// distinct places, in cells of one module, where a sequence's centre lies.
fn finder_candidates<P: PartialEq + Copy>(
    width: usize,
    height: usize,
    pixel: impl Fn(usize, usize) -> P,
    stop_after: usize,
) -> usize {
    let row_runs = |y: usize, runs: &mut Vec<usize>| {
        runs.clear();
        if width == 0 {
            return;
        }
        let (mut last, mut run) = (pixel(0, y), 1);
        for x in 1..width {
            let colour = pixel(x, y);
            if colour == last {
                run += 1;
            } else {
                runs.push(run);
                (last, run) = (colour, 1);
            }
        }
        runs.push(run);
    };
    finder_candidates_in_runs(height, row_runs, &pixel, stop_after)
}

/// [`finder_candidates`] over rows given as run lengths (`row_runs(y, runs)` fills the lengths
/// of row `y`'s runs of one colour, left to right), so that a bit matrix is read a word at a
/// time; `pixel` answers the column checks.
fn finder_candidates_in_runs<P: PartialEq + Copy>(
    height: usize,
    mut row_runs: impl FnMut(usize, &mut Vec<usize>),
    pixel: &impl Fn(usize, usize) -> P,
    stop_after: usize,
) -> usize {
    let mut cells = std::collections::HashSet::new();
    let mut row = Vec::new();
    for y in 0..height {
        row_runs(y, &mut row);
        let (mut x, mut window) = (0usize, [0usize; 5]);
        // Each run's end is a change of colour; the row's end counts as one, as in rqrr.
        for (ended, &run) in row.iter().enumerate() {
            x = x.saturating_add(run);
            let [_, b, c, d, e] = window;
            window = [b, c, d, e, run];
            if ended < 4 {
                continue;
            }
            let [a, b, c, d, e] = window;
            let unit = (a + b + d + e) / 4;
            let err = unit * 3 / 4;
            let fits = |len: usize, k: usize| len + err >= k * unit && len <= k * unit + err;
            if fits(a, 1) && fits(b, 1) && fits(c, 3) && fits(d, 1) && fits(e, 1) {
                let centre = x.saturating_sub(e + d + c / 2);
                // The same check down the column through the centre, as a finder pattern is
                // square; it also tells where the pattern's centre lies vertically.
                let limit = (a + b + c + d + e).saturating_mul(2);
                let Some(middle) = vertical_centre(pixel, centre, y, height, limit) else { continue };
                let unit = unit.max(1);
                cells.insert((centre / unit, middle / unit));
                if cells.len() > stop_after {
                    return cells.len();
                }
            }
        }
    }
    cells.len()
}

/// Where the column through (`x`, `y`) crosses a 1:1:3:1:1 sequence centred on `y`'s run:
/// its vertical centre, or `None`. No run is followed further than `limit` pixels.
fn vertical_centre<P: PartialEq + Copy>(
    pixel: &impl Fn(usize, usize) -> P,
    x: usize,
    y: usize,
    height: usize,
    limit: usize,
) -> Option<usize> {
    // Lengths of the three runs above y (stone part, gap, ring) and below, the stone's own run
    // counted from y itself.
    let runs = |down: bool| -> [usize; 3] {
        let mut out = [0usize; 3];
        let mut at = y;
        let mut colour = pixel(x, y);
        for slot in &mut out {
            let mut len = 0;
            loop {
                let next = if down { at.checked_add(1).filter(|&n| n < height) } else { at.checked_sub(1) };
                match next {
                    Some(n) if pixel(x, n) == colour && len < limit => {
                        at = n;
                        len += 1;
                    }
                    Some(n) => {
                        // This run ends: the next one starts at n, in its colour.
                        *slot = len + 1;
                        at = n;
                        colour = pixel(x, n);
                        break;
                    }
                    None => {
                        *slot = len + 1;
                        return out;
                    }
                }
            }
        }
        out
    };
    let [stone_up, gap_up, ring_up] = runs(false);
    let [stone_down, gap_down, ring_down] = runs(true);
    let stone = stone_up + stone_down - 1;
    let unit = (gap_up + ring_up + gap_down + ring_down) / 4;
    let err = unit * 3 / 4;
    let fits = |len: usize, k: usize| len + err >= k * unit && len <= k * unit + err;
    (fits(ring_up, 1) && fits(gap_up, 1) && fits(stone, 3) && fits(gap_down, 1) && fits(ring_down, 1))
        .then(|| (y + 1 + stone_down).saturating_sub(stone_up + stone_down) + stone / 2)
}

#[cfg(test)]
mod tests {
    use image::Luma;

    use super::*;

    #[test]
    fn a_rendered_code_scans_back() {
        let text = "HP1:NCFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/HY+4J6TH48S%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*2HG%89UV-0LZ 2ZJJ524-LH/CJTK96L6SR9MU9DHGZ%P WUQRENS431T1XCNCF+47AY0-IFO0500TGPN8F5G.41Q2E4T8ALW.INSV$ 07UV5SR+BNQHNML7 /KD3TU 4V*CAT3ZGLQMI/XI%ZJNSBBXK2:UG%UJMI:TU+MMPZ5$/PMX19UE:-PSR3/$NU44CBE6DQ3D7B0FBOFX0DV2DGMB$YPF62I$60/F$Z2I6IFX21XNI-LM%3/DF/U6Z9FEOJVRLVW6K$UG+BKK57:1+D10%4K83F+1VWD1NE";
        let qr = Qr::encode(text).unwrap();
        let png = qr.to_png(4).unwrap();
        assert_eq!(scan(&png, &Limits::DEFAULT).unwrap(), vec![Ok(text.to_string())]);
        assert!(qr.to_svg().contains("<svg"));
        let terminal = qr.to_terminal();
        assert_eq!(terminal.lines().count(), (qr.width() + 4).div_ceil(2));
        assert!(terminal.lines().all(|l| l.chars().count() == qr.width() + 4));
    }

    #[test]
    fn rqrr_reads_a_large_code_within_its_budget() {
        // rqrr alone (no rxing), as `scan_image` runs it: a version 38 code at one pixel per
        // module takes 2.6 million of the 10 million reads an image this small may use.
        let qr = Qr::encode(&"A".repeat(2_900)).unwrap();
        let image = qr.to_image(1);
        let budgeted = Budgeted::new(image.clone(), rqrr_budget(&image));
        let left = budgeted.left.clone();
        let mut prepared = rqrr::PreparedImage::prepare(budgeted);
        let texts: Vec<String> =
            prepared.detect_grids().iter().filter_map(|g| g.decode().ok()).map(|(_, t)| t).collect();
        assert_eq!(texts, vec!["A".repeat(2_900)]);
        let used = RQRR_WORK_MIN - left.get();
        assert!(used > 1_000_000 && used < RQRR_WORK_MIN / 2, "{used}");
    }

    #[test]
    fn the_budget_is_shared_by_copies_and_stops_with_over_budget() {
        let budgeted = Budgeted::new(GrayImage::new(4, 4), 10);
        let copy = budgeted.clone();
        for _ in 0..6 {
            image::GenericImageView::get_pixel(&copy, 0, 0);
        }
        assert_eq!(budgeted.left.get(), 4);
        let stopped = catch_unwind(AssertUnwindSafe(|| {
            for _ in 0..5 {
                image::GenericImageView::get_pixel(&budgeted, 0, 0);
            }
        }));
        assert!(stopped.unwrap_err().is::<OverBudget>());
    }

    #[test]
    fn the_terminal_rendering_scans_as_a_dark_terminal_shows_it() {
        let text = "HP1:6BFOXN*TS0BI$ZDFRH";
        let terminal = Qr::encode(text).unwrap().to_terminal();
        let rows: Vec<Vec<char>> = terminal.lines().map(|l| l.chars().collect()).collect();
        let (w, h) = (rows[0].len() as u32, rows.len() as u32 * 2);
        let px = 4;
        // Ink is light on a dark terminal: a full block is two light modules, a space two dark.
        let image = GrayImage::from_fn(w * px, h * px, |x, y| {
            let c = rows[(y / px / 2) as usize][(x / px) as usize];
            let top = (y / px) % 2 == 0;
            let light = matches!((c, top), ('█', _) | ('▀', true) | ('▄', false));
            Luma([if light { 255 } else { 0 }])
        });
        assert_eq!(scan_image(&image, &Limits::DEFAULT).unwrap(), vec![Ok(text.to_string())]);
    }

    #[test]
    fn finder_candidates_of_one_code_and_of_none() {
        let text = "HP1:6BFOXN*TS0BI$ZD";
        for module_px in [2, 6, 20] {
            let image = Qr::encode(text).unwrap().to_image(module_px);
            let count = finder_candidates(
                image.width() as usize,
                image.height() as usize,
                |x, y| image.get_pixel(x as u32, y as u32).0[0] < 128,
                usize::MAX,
            );
            assert!((3..=FINDER_CANDIDATES_PER_CODE).contains(&count), "{module_px} px: {count}");
        }
        let blank = GrayImage::from_pixel(64, 64, Luma([255]));
        assert_eq!(finder_candidates(64, 64, |x, y| blank.get_pixel(x as u32, y as u32).0[0] < 128, usize::MAX), 0);
    }

    #[test]
    fn an_image_without_a_code_says_so() {
        let blank = GrayImage::from_pixel(64, 64, Luma([255]));
        assert_eq!(scan_image(&blank, &Limits::DEFAULT).unwrap_err(), Error::NoCode);
    }
}
