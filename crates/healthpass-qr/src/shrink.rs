//! Shrinking rows of grey pixels as they are decoded, so that a large image never exists at
//! full size: each output pixel is the area-weighted mean of the input pixels it covers.

use image::GrayImage;

/// Where one input pixel (a column, or a row) lands along one axis: `first` of its weight on
/// output `at`, `second` on `at + 1`. Weights are in units where an input pixel weighs the
/// output's length and an output pixel collects the input's length.
#[derive(Clone, Copy)]
struct Split {
    at: usize,
    first: u32,
    second: u32,
}

/// Input pixel `i` of `from` mapped onto `to` pixels (`to <= from`).
fn split(i: usize, from: usize, to: usize) -> Split {
    let start = i.saturating_mul(to);
    let end = start.saturating_add(to);
    let at = start / from.max(1);
    let boundary = (at + 1).saturating_mul(from);
    let weight = |w: usize| u32::try_from(w).unwrap_or(u32::MAX);
    if end <= boundary {
        Split { at, first: weight(to), second: 0 }
    } else {
        Split { at, first: weight(boundary - start), second: weight(end - boundary) }
    }
}

/// A shrink in progress: rows go in top to bottom with [`Shrink::push_row`]; memory is the
/// output, two output rows of sums and one of scratch, whatever the input's size.
pub(super) struct Shrink {
    input: (usize, usize),
    output: (usize, usize),
    columns: Vec<Split>,
    /// One input row's sums, across only.
    across: Vec<u32>,
    /// Sums of output rows `row` and `row + 1`.
    sums: [Vec<u64>; 2],
    row: usize,
    next_input_row: usize,
    pixels: Vec<u8>,
}

impl Shrink {
    /// A shrink of `width` × `height` pixels to `out_width` × `out_height` (each no larger).
    pub(super) fn new(width: u32, height: u32, out_width: u32, out_height: u32) -> Shrink {
        let input = (width as usize, height as usize);
        let output = ((out_width as usize).clamp(1, input.0.max(1)), (out_height as usize).clamp(1, input.1.max(1)));
        Shrink {
            input,
            output,
            columns: (0..input.0).map(|x| split(x, input.0, output.0)).collect(),
            across: vec![0; output.0 + 1],
            sums: [vec![0; output.0 + 1], vec![0; output.0 + 1]],
            row: 0,
            next_input_row: 0,
            pixels: Vec::with_capacity(output.0.saturating_mul(output.1)),
        }
    }

    /// Adds the next input row (`width` grey values; extra values are ignored, missing ones
    /// count as white). Rows past the input's height are ignored.
    pub(super) fn push_row(&mut self, row: &[u8]) {
        if self.next_input_row >= self.input.1 {
            return;
        }
        let down = split(self.next_input_row, self.input.1, self.output.1);
        self.next_input_row += 1;
        while self.row < down.at {
            self.emit_row();
        }
        self.across.iter_mut().for_each(|sum| *sum = 0);
        let values = row.iter().copied().chain(std::iter::repeat(255));
        for (column, value) in self.columns.iter().zip(values) {
            let value = u32::from(value);
            if let Some(sum) = self.across.get_mut(column.at) {
                *sum += value * column.first;
            }
            if column.second > 0 {
                if let Some(sum) = self.across.get_mut(column.at + 1) {
                    *sum += value * column.second;
                }
            }
        }
        let [this, next] = &mut self.sums;
        for ((sum, next_sum), &across) in this.iter_mut().zip(next.iter_mut()).zip(&self.across) {
            *sum += u64::from(across) * u64::from(down.first);
            *next_sum += u64::from(across) * u64::from(down.second);
        }
    }

    /// Output row `row` is complete: its means go out, the next row's sums move up.
    fn emit_row(&mut self) {
        let total = (self.input.0 as u64).saturating_mul(self.input.1 as u64).max(1);
        let [this, next] = &mut self.sums;
        self.pixels.extend(
            this.iter().take(self.output.0).map(|&sum| u8::try_from((sum + total / 2) / total).unwrap_or(u8::MAX)),
        );
        std::mem::swap(this, next);
        next.iter_mut().for_each(|sum| *sum = 0);
        self.row += 1;
    }

    /// The shrunk image (rows never pushed count as white).
    pub(super) fn finish(mut self) -> Option<GrayImage> {
        while self.next_input_row < self.input.1 {
            self.push_row(&[]);
        }
        while self.row < self.output.1 {
            self.emit_row();
        }
        let (width, height) = (u32::try_from(self.output.0).ok()?, u32::try_from(self.output.1).ok()?);
        GrayImage::from_raw(width, height, self.pixels)
    }
}

#[cfg(feature = "rxing")]
/// Images of at least this many pixels get a half-size copy in the scanning cascade.
pub(super) const HALVED_FROM_PIXELS: u64 = 1_500_000;

#[cfg(feature = "rxing")]
/// A copy at half the size (each pixel the mean of four), for large images only (at least
/// [`HALVED_FROM_PIXELS`]): in a large photo, sensor noise makes thousands of finder-pattern
/// look-alikes that crowd a code's own out of rxing's candidates, and averaging quarters the
/// noise's variance while a code of 3 pixels a module or more keeps 1.5.
pub(super) fn halve(image: &GrayImage) -> Option<GrayImage> {
    scaled(image, 1, 2)
}

#[cfg(feature = "rxing")]
/// A copy at two thirds of the size, for large images only, as [`halve`]: between the two, a
/// code of 2.5 to 6 pixels a module in a noisy 12-megapixel photo reads at one or the other.
pub(super) fn two_thirds(image: &GrayImage) -> Option<GrayImage> {
    scaled(image, 2, 3)
}

#[cfg(feature = "rxing")]
/// A copy scaled by `numerator / denominator` (< 1), for images of [`HALVED_FROM_PIXELS`] or more.
fn scaled(image: &GrayImage, numerator: u32, denominator: u32) -> Option<GrayImage> {
    let (width, height) = image.dimensions();
    if u64::from(width) * u64::from(height) < HALVED_FROM_PIXELS {
        return None;
    }
    let mut shrink = Shrink::new(width, height, width * numerator / denominator, height * numerator / denominator);
    for row in image.as_raw().chunks_exact(width as usize) {
        shrink.push_row(row);
    }
    shrink.finish()
}

/// The largest size of the same proportions as `width` × `height` that has at most `pixels`
/// pixels (each side at least 1), or `None` if the image is no larger than that already.
pub(super) fn shrunk_size(width: u32, height: u32, pixels: u64) -> Option<(u32, u32)> {
    let area = u64::from(width) * u64::from(height);
    if area <= pixels {
        return None;
    }
    let scale = (pixels as f64 / area as f64).sqrt();
    let height = ((f64::from(height) * scale) as u32).max(1);
    // Rounding (or a side shrunk to one pixel) can leave a few pixels too many: narrow it.
    let most_wide = u32::try_from(pixels / u64::from(height)).unwrap_or(u32::MAX).max(1);
    let size = (((f64::from(width) * scale) as u32).clamp(1, most_wide), height);
    Some(size)
}

#[cfg(test)]
mod tests {
    use image::Luma;

    use super::*;

    fn shrink(image: &GrayImage, width: u32, height: u32) -> GrayImage {
        let mut shrink = Shrink::new(image.width(), image.height(), width, height);
        for row in image.rows() {
            let row: Vec<u8> = row.map(|p| p.0[0]).collect();
            shrink.push_row(&row);
        }
        shrink.finish().unwrap()
    }

    #[test]
    fn halving_averages_each_two_by_two_block() {
        let image = GrayImage::from_fn(4, 2, |x, _| Luma([if x < 2 { 0 } else { 200 }]));
        assert_eq!(shrink(&image, 2, 1).into_raw(), vec![0, 200]);
        let stripes = GrayImage::from_fn(4, 4, |x, _| Luma([if x % 2 == 0 { 0 } else { 100 }]));
        assert_eq!(shrink(&stripes, 2, 2).into_raw(), vec![50; 4]);
    }

    #[test]
    fn a_fractional_shrink_weighs_pixels_by_the_area_they_cover() {
        // Three pixels onto two: the middle one is split half and half.
        let image = GrayImage::from_raw(3, 1, vec![0, 90, 180]).unwrap();
        assert_eq!(shrink(&image, 2, 1).into_raw(), vec![30, 150]);
        let flat = GrayImage::from_pixel(7001, 4999, Luma([77]));
        let out = shrink(&flat, 1234, 567);
        assert_eq!(out.dimensions(), (1234, 567));
        assert!(out.pixels().all(|p| p.0[0] == 77));
    }

    #[test]
    fn the_shrunk_size_keeps_the_proportions_within_the_pixels() {
        assert_eq!(shrunk_size(1000, 1000, 1_000_000), None);
        let (w, h) = shrunk_size(7000, 7000, 4_000_000).unwrap();
        assert!(w == h && u64::from(w * h) <= 4_000_000 && w >= 1999, "{w}x{h}");
        let (w, h) = shrunk_size(12_000, 1, 100).unwrap();
        assert_eq!((w, h), (100, 1));
    }
}
