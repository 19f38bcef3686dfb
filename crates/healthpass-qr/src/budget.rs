//! rqrr's work budget: the image it works on counts pixel reads and writes.

use image::GrayImage;

/// Pixel reads and writes rqrr may make per pixel of the image (see [`Budgeted`]). Measured:
/// at most 33 on the 478 DCC test pictures (all of which rqrr decodes), 11–45 on rendered codes
/// of versions 5–38 at 2–4 pixels per module, 164 on a version 5 code at one pixel per module
/// with no margin to spare.
pub(super) const RQRR_WORK_PER_PIXEL: usize = 250;
/// The least budget, whatever the image's size: four times what a version 38 code at one pixel
/// per module takes (2.6 million). About 0.1 s of work.
pub(super) const RQRR_WORK_MIN: usize = 10_000_000;
/// The most budget, whatever the image's size: 250 per pixel of a 1280 × 720 camera frame (the
/// largest image of the scan corpus). About 0.3 s of work in a release build.
pub(super) const RQRR_WORK_MAX: usize = 1280 * 720 * RQRR_WORK_PER_PIXEL;

/// rqrr's budget of pixel reads and writes for an image.
pub(super) fn rqrr_budget(image: &GrayImage) -> usize {
    let pixels = usize::try_from(u64::from(image.width()) * u64::from(image.height())).unwrap_or(usize::MAX);
    pixels.saturating_mul(RQRR_WORK_PER_PIXEL).clamp(RQRR_WORK_MIN, RQRR_WORK_MAX)
}

/// The panic payload with which [`Budgeted`] stops rqrr (raised by `resume_unwind`, so no panic
/// hook runs and nothing is printed).
pub(super) struct OverBudget;

/// The image rqrr works on, counting every pixel read and write against a budget shared by its
/// copies (rqrr clones the image while grouping finder patterns, and a copy costs one unit a
/// pixel: on an image of many finder patterns the copies are most of the work). When the budget
/// is spent the next access or copy unwinds with [`OverBudget`], which `scan_image` catches.
pub(super) struct Budgeted {
    pixels: GrayImage,
    pub(super) left: std::rc::Rc<std::cell::Cell<usize>>,
    /// Where a write outside the image goes (rqrr writes only inside it).
    spare: image::Luma<u8>,
}

impl Budgeted {
    pub(super) fn new(pixels: GrayImage, budget: usize) -> Self {
        Budgeted { pixels, left: std::rc::Rc::new(std::cell::Cell::new(budget)), spare: image::Luma([255]) }
    }

    fn spend(&self) {
        self.spend_many(1);
    }

    fn spend_many(&self, units: usize) {
        match self.left.get().checked_sub(units) {
            Some(left) => self.left.set(left),
            None => std::panic::resume_unwind(Box::new(OverBudget)),
        }
    }
}

impl Clone for Budgeted {
    fn clone(&self) -> Self {
        self.spend_many(self.pixels.as_raw().len());
        Budgeted { pixels: self.pixels.clone(), left: self.left.clone(), spare: self.spare }
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
