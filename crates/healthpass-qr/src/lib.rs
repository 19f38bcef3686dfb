//! QR codes: render code text as PNG, SVG or terminal blocks, and scan images back to text.
//!
//! The core crate takes code text only; [`VerifyImage`] and [`CheckImage`] give its
//! [`Verifier`](healthpass::Verifier) and [`Checkpoint`](healthpass::decide::Checkpoint) their
//! image entry points.
//!
//! Scanning is split by stage: [`read_image`] decodes a file into at most
//! [`Limits::max_scan_pixels`](healthpass::Limits::max_scan_pixels) grey pixels (shrinking a larger image while it is decoded),
//! `finder` counts finder-pattern candidates before a decoder groups them, `scan` runs the
//! cascade of decoders, `clean` makes its cleaned-up copies and `budget` meters rqrr's work.

/// The code blocks of docs/*.md, compiled and run as this crate's doctests (they use the core
/// and this crate together; the README's are `ReadmeDoctests`), so that every example a
/// reader copies builds.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/SCENARIOS.md")]
#[doc = include_str!("../../../docs/INTEROP.md")]
#[doc = include_str!("../../../docs/TRUST.md")]
#[doc = include_str!("../../../docs/POLICY.md")]
#[doc = include_str!("../../../docs/CLI.md")]
struct DocsCompile;

mod budget;
#[cfg(feature = "rxing")]
mod clean;
mod finder;
mod read;
mod scan;
mod shrink;
mod verify;

use fast_qr::{ECL, QRBuilder, QRCode};
use image::GrayImage;

pub use read::{JPEG_FULL_PIXELS, JPEG_PROGRESSIVE_SAMPLES, read_image};
pub use scan::{scan, scan_image};
pub use verify::{CheckImage, VerifyImage};

use healthpass::{Error, Result};

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

    /// The code for a terminal of any theme: the dark modules drawn as black ink on a white
    /// background, both set with ANSI colour codes (SGR 30 and 107) on every line and reset at
    /// its end, so that it reads the same on light and dark terminals. For a terminal only: a
    /// file or pipe would get the escape codes; use [`Qr::to_terminal`] there.
    pub fn to_terminal_colours(&self) -> String {
        const MARGIN: usize = 2;
        let side = self.width() + 2 * MARGIN;
        let dark = |x: usize, y: usize| self.is_dark(x.wrapping_sub(MARGIN), y.wrapping_sub(MARGIN));
        let mut out = String::with_capacity((side + 10) * side.div_ceil(2) * 3);
        for y in (0..side).step_by(2) {
            out.push_str("\x1b[30;107m");
            for x in 0..side {
                out.push(match (dark(x, y), y + 1 < side && dark(x, y + 1)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                });
            }
            out.push_str("\x1b[0m\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use image::Luma;

    use super::budget::{Budgeted, OverBudget, RQRR_WORK_MIN, rqrr_budget};
    use super::finder::{FINDER_CANDIDATES_PER_CODE, finder_candidates};
    use super::*;
    use healthpass::{Error, Limits};

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
    fn a_code_shown_light_on_dark_scans_and_the_terminal_art_reads_on_any_theme() {
        let text = "HP1:INVERTED-TEST";
        let qr = Qr::encode(text).unwrap();
        let mut inverted = qr.to_image(4);
        image::imageops::invert(&mut inverted);
        assert_eq!(scan_image(&inverted, &Limits::DEFAULT).unwrap(), vec![Ok(text.to_string())]);
        let blank = GrayImage::from_pixel(64, 64, Luma([0]));
        assert_eq!(scan_image(&blank, &Limits::DEFAULT).unwrap_err(), Error::NoCode);
        // Black ink on a white background, set on every line, whatever the terminal's colours.
        let art = qr.to_terminal_colours();
        assert_eq!(art.lines().count(), (qr.width() + 4).div_ceil(2));
        assert!(art.lines().all(|l| l.starts_with("\x1b[30;107m") && l.ends_with("\x1b[0m")));
        // The dark modules are the ink: the top-left finder's corner is dark, the margin is not.
        let first_row: Vec<char> = art.lines().nth(1).unwrap().trim_start_matches("\x1b[30;107m").chars().collect();
        assert_eq!((first_row[0], first_row[2]), (' ', '█'));
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
        // The copy itself costs its 16 pixels.
        let budgeted = Budgeted::new(GrayImage::new(4, 4), 16 + 10);
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
    fn a_copy_of_the_image_costs_rqrr_a_unit_a_pixel() {
        // rqrr copies the image for each group of finder patterns it tries: on an image of
        // many patterns the copies, not the reads, are the work.
        let budgeted = Budgeted::new(GrayImage::new(10, 10), 250);
        let copies = catch_unwind(AssertUnwindSafe(|| {
            let mut copies = Vec::new();
            for _ in 0..3 {
                copies.push(budgeted.clone());
            }
            copies.len()
        }));
        assert!(copies.unwrap_err().is::<OverBudget>());
        assert_eq!(budgeted.left.get(), 50);
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

/// The README's examples (which issue, render and scan), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
