//! QR codes: render code text as PNG, SVG or terminal blocks, and scan images back to text.

use std::io::Cursor;

use fast_qr::{ECL, QRBuilder, QRCode};
use image::{GrayImage, ImageReader, Luma};

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
        let module_px = module_px.max(1) as usize;
        let side = u32::try_from((self.width() + 2 * QUIET_ZONE) * module_px).unwrap_or(0);
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) =
                ((x as usize / module_px).wrapping_sub(QUIET_ZONE), (y as usize / module_px).wrapping_sub(QUIET_ZONE));
            Luma([if self.is_dark(mx, my) { 0 } else { 255 }])
        })
    }

    /// The code as PNG bytes, `module_px` pixels per module.
    ///
    /// # Errors
    /// [`Error::Qr`] if PNG encoding fails.
    pub fn to_png(&self, module_px: u32) -> Result<Vec<u8>> {
        use image::codecs::png::{CompressionType, FilterType, PngEncoder};
        let image = self.to_image(module_px);
        let mut png = Vec::new();
        // Two-tone images compress well with the fast setting; the best one costs several times more.
        image
            .write_with_encoder(PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::NoFilter))
            .map_err(|e| Error::Qr(format!("PNG: {e}")))?;
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
    let (width, height) = reader()?.into_dimensions().map_err(|e| Error::Image(format!("header: {e}")))?;
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
    decoder_limits.max_alloc = Some(pixels.saturating_mul(8).saturating_add(16 << 20));
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
/// [`Error::Image`] for an image with no pixels, [`Error::NoCode`] if no QR code is found.
pub fn scan_image(image: &GrayImage, limits: &Limits) -> Result<Vec<Result<String>>> {
    // rqrr indexes out of bounds (a panic) on an image with zero width or height.
    if image.width() == 0 || image.height() == 0 {
        return Err(empty_image());
    }
    let (width, height) = (image.width() as usize, image.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| image.get_pixel(x as u32, y as u32).0[0]);
    let codes: Vec<Result<String>> = prepared
        .detect_grids()
        .into_iter()
        .take(limits.max_codes_per_image)
        .map(|grid| grid.decode().map(|(_, text)| text).map_err(|e| Error::Qr(format!("decode: {e}"))))
        .collect();
    if codes.is_empty() {
        return Err(Error::NoCode);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
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
    fn an_image_without_a_code_says_so() {
        let blank = GrayImage::from_pixel(64, 64, Luma([255]));
        assert_eq!(scan_image(&blank, &Limits::DEFAULT).unwrap_err(), Error::NoCode);
    }
}
