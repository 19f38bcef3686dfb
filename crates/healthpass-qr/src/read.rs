//! Reading an image file into the grey pixels the scanner works on, under the limits.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, ImageReader};

use super::shrink::{Shrink, shrunk_size};
use healthpass::{Error, Limits, Result};

/// Bytes an image decoder may allocate beyond the pixels themselves (metadata, row buffers).
const DECODER_SLACK: u64 = 16 << 20;

/// Reads an image (PNG or JPEG) under the limits: the dimensions in its header are checked
/// before any pixel is decoded. An image of more than [`Limits::max_scan_pixels`] pixels is
/// shrunk to that many while it is decoded, so that it never exists at full size.
///
/// # Errors
/// [`Error::TooLarge`] for an image over a limit (or one too large to shrink: an interlaced
/// PNG, or a JPEG over [`JPEG_FULL_PIXELS`]), [`Error::Image`] for one that cannot be decoded.
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
    if let Some((out_width, out_height)) = shrunk_size(width, height, limits.max_scan_pixels) {
        let format = image::guess_format(bytes).map_err(|e| Error::Image(format!("read: {e}")))?;
        let mut shrink = Shrink::new(width, height, out_width, out_height);
        match format {
            ImageFormat::Png => shrink_png(bytes, &mut shrink, limits)?,
            ImageFormat::Jpeg => shrink_jpeg(bytes, &mut shrink, pixels)?,
            _ => return Err(Error::Image("read: only PNG and JPEG images are read".into())),
        }
        return shrink.finish().ok_or_else(empty_image);
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

pub(super) fn empty_image() -> Error {
    Error::Image("the image is empty (zero width or height)".into())
}

/// Decodes a PNG row by row into `shrink`: its rows are read one at a time and never kept.
fn shrink_png(bytes: &[u8], shrink: &mut Shrink, limits: &Limits) -> Result<()> {
    let fail = |e: png::DecodingError| Error::Image(format!("decode: {e}"));
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits { bytes: usize::try_from(DECODER_SLACK).unwrap_or(usize::MAX) },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder.read_info().map_err(fail)?;
    if reader.info().interlaced {
        // Adam7 delivers rows out of order: shrinking would need the whole image.
        return Err(Error::TooLarge {
            what: "interlaced PNG (pixels; an interlaced PNG is not shrunk)",
            limit: usize::try_from(limits.max_scan_pixels).unwrap_or(usize::MAX),
        });
    }
    let channels = reader.output_color_type().0.samples();
    let mut grey = Vec::new();
    while let Some(row) = reader.next_row().map_err(fail)? {
        grey.clear();
        grey.extend(row.data().chunks_exact(channels.max(1)).map(luma));
        shrink.push_row(&grey);
    }
    Ok(())
}

/// The grey level of one 8-bit pixel of 1 to 4 samples (grey, grey and alpha, RGB, RGBA), as
/// the `image` crate weighs red, green and blue (alpha is ignored, as it is there).
fn luma(pixel: &[u8]) -> u8 {
    match *pixel {
        [r, g, b, ..] => {
            let weighted = 2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b);
            u8::try_from((weighted + 5_000) / 10_000).unwrap_or(u8::MAX)
        }
        [grey, ..] => grey,
        [] => 255,
    }
}

/// The most pixels of a JPEG shrunk while read: it is decoded to grey at full size first (one
/// byte a pixel, no colour), then shrunk. 24 M pixels: a 24-megapixel photo.
pub const JPEG_FULL_PIXELS: u64 = 24_000_000;
/// The most pixels × components of a progressive JPEG shrunk while read: its decoder keeps two
/// bytes a coefficient of every component until the last scan. 8 M: 32 MiB of coefficients at
/// most (a progressive colour photo of up to 2.7 megapixels, a grey one of 8).
pub const JPEG_PROGRESSIVE_SAMPLES: u64 = 8_000_000;

/// Decodes a JPEG's grey (luma) plane only, then shrinks it: colour is never converted.
fn shrink_jpeg(bytes: &[u8], shrink: &mut Shrink, pixels: u64) -> Result<()> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let too_large = |what, limit: u64| Error::TooLarge { what, limit: usize::try_from(limit).unwrap_or(usize::MAX) };
    if pixels > JPEG_FULL_PIXELS {
        return Err(too_large("JPEG (pixels; a JPEG is decoded at full size before it is shrunk)", JPEG_FULL_PIXELS));
    }
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(|e| Error::Image(format!("header: {e:?}")))?;
    let info = decoder.info().ok_or_else(|| Error::Image("header: unreadable".into()))?;
    if !info.sof.is_sequential_dct() && pixels.saturating_mul(u64::from(info.components)) > JPEG_PROGRESSIVE_SAMPLES {
        return Err(too_large("progressive JPEG (pixels × components)", JPEG_PROGRESSIVE_SAMPLES));
    }
    let grey = decoder.decode().map_err(|e| Error::Image(format!("decode: {e:?}")))?;
    let width = usize::from(info.width).max(1);
    for row in grey.chunks_exact(width) {
        shrink.push_row(row);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma};

    use super::*;

    fn png(image: &GrayImage) -> Vec<u8> {
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    fn jpeg(image: &GrayImage) -> Vec<u8> {
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
        out
    }

    fn small_scan(pixels: u64) -> Limits {
        Limits { max_scan_pixels: pixels, ..Limits::DEFAULT }
    }

    #[test]
    fn an_image_over_max_scan_pixels_is_shrunk_while_read() {
        let image = GrayImage::from_fn(300, 200, |x, _| Luma([if x < 150 { 0 } else { 255 }]));
        for bytes in [png(&image), jpeg(&image)] {
            let read = read_image(&bytes, &small_scan(6_000)).unwrap();
            assert_eq!(read.dimensions(), (94, 63));
            assert!(read.get_pixel(10, 30).0[0] < 16 && read.get_pixel(80, 30).0[0] > 240);
            assert_eq!(read_image(&bytes, &Limits::DEFAULT).unwrap().dimensions(), (300, 200));
        }
    }

    #[test]
    fn an_interlaced_png_over_max_scan_pixels_is_refused() {
        let mut bytes = png(&GrayImage::from_pixel(40, 40, Luma([255])));
        // Byte 28 of a PNG is the IHDR's interlace method; the IHDR's CRC follows at 29..33.
        bytes[28] = 1;
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let err = read_image(&bytes, &small_scan(100)).unwrap_err();
        assert_eq!(err.code(), "too_large", "{err}");
    }

    #[test]
    fn a_progressive_jpeg_over_its_coefficient_limit_is_refused() {
        // 3000 × 3000 grey: 9 M samples, over the 8 M a progressive JPEG may hold. The frame
        // marker made progressive (SOF2) is read from the header before any scan is decoded.
        let mut bytes = jpeg(&GrayImage::from_pixel(3000, 3000, Luma([128])));
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 1] = 0xC2;
        let err = read_image(&bytes, &Limits::DEFAULT).unwrap_err();
        assert_eq!(err.code(), "too_large", "{err}");
        assert!(err.to_string().contains("progressive JPEG"), "{err}");
    }

    #[test]
    fn a_jpeg_over_the_full_decode_limit_is_refused_from_its_header() {
        // A header claiming 5000 × 5000: 25 M pixels, over JPEG_FULL_PIXELS.
        let mut bytes = jpeg(&GrayImage::from_pixel(16, 16, Luma([128])));
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 9].copy_from_slice(&[0x13, 0x88, 0x13, 0x88]);
        let err = read_image(&bytes, &Limits::DEFAULT).unwrap_err();
        assert_eq!(err.code(), "too_large", "{err}");
        assert!(err.to_string().contains("JPEG (pixels"), "{err}");
    }
}
