//! A printable card for people without phones: A6 at 300 dpi (1240 × 1748 px), PNG or SVG.
//!
//! The card shows the colour as a band **and** a word (never colour alone), the QR code large
//! enough to scan from print (at least 0.8 mm a module), the subject's masked name, who carries
//! the code when that is someone else, the issuer, the validity dates and the reasons in plain
//! language. The PNG draws its text with the 10 × 20 fonts of `embedded-graphics`, scaled up:
//! each character in the first of the ISO 8859-1 (Western European), -2 (Central European),
//! -9 (Turkish), -13 (Baltic), -5 (Cyrillic) and -7 (Greek) fonts that holds it, so `É`, `ü`,
//! `ł`, `ş`, `Ж` and `Ω` print as themselves; any other character (such as `陳`) prints as `?`
//! ([`printable`]). The SVG carries the text as text.
//!
//! Print at 100 % on A6 (105 × 148 mm), or four to an A4 sheet.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use healthpass_scenarios::card::{CARD_HEIGHT, CARD_WIDTH, Card};
//! use healthpass::{Claims, Issuer, SigningKey};
//!
//! let claims = Claims::example(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
//! let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
//! let card = Card::new(&text, &claims)?;
//! assert!(card.to_svg().contains("GREEN"));
//! let image = card.to_image();
//! assert_eq!((image.width(), image.height()), (CARD_WIDTH, CARD_HEIGHT));
//! # Ok::<(), healthpass::Error>(())
//! ```

use embedded_graphics::mono_font::{MonoFont, MonoTextStyle, iso_8859_1, iso_8859_2, iso_8859_5, iso_8859_7};
use embedded_graphics::mono_font::{iso_8859_9, iso_8859_13};
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::{DrawTarget, OriginDimensions, Point, RgbColor, Size};
use embedded_graphics::text::{Baseline, Text};
use embedded_graphics::{Drawable, Pixel};
use image::{ImageFormat, Rgb, RgbImage};

use healthpass::decide::mask_name;
use healthpass::{Claims, Colour, Error, Result};
use healthpass_qr::Qr;

/// The card's width in pixels: 105 mm at 300 dpi.
pub const CARD_WIDTH: u32 = 1240;
/// The card's height in pixels: 148 mm at 300 dpi.
pub const CARD_HEIGHT: u32 = 1748;

const MARGIN: u32 = 60;
const BAND: u32 = 230;
const QR_TOP: u32 = BAND + 40;
/// The QR code's largest side in pixels (84.7 mm at 300 dpi).
const QR_MAX: u32 = 1000;
/// Glyph cell of the font, before scaling.
const GLYPH: (u32, u32) = (10, 20);
/// Scale of the body text: 30 × 60 px (2.5 × 5 mm) a character.
const BODY_SCALE: u32 = 3;
/// Scale of the reasons: 20 × 40 px a character.
const SMALL_SCALE: u32 = 2;
const QUIET_ZONE: u32 = 4;

fn card_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "card", detail: detail.into() }
}

/// The band's fill colour and the colour of the word on it.
fn palette(colour: Colour) -> ([u8; 3], [u8; 3]) {
    const WHITE: [u8; 3] = [255, 255, 255];
    const BLACK: [u8; 3] = [0, 0, 0];
    match colour {
        Colour::Green => ([0x1b, 0x7a, 0x33], WHITE),
        Colour::Yellow => ([0xf5, 0xc5, 0x18], BLACK),
        Colour::Orange => ([0xf0, 0x8a, 0x24], BLACK),
        Colour::Red => ([0xc0, 0x1c, 0x1c], WHITE),
    }
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// The first line of a card made without checking the code's signature ([`Card::unverified`]).
pub const UNVERIFIED_LINE: &str = "UNVERIFIED: signature NOT checked";

/// A card's content, ready to draw: the QR code and the lines of text.
#[derive(Debug, Clone)]
pub struct Card {
    qr: Qr,
    colour: Colour,
    /// The lines under the QR code, in order (name, holder, issuer, validity).
    pub lines: Vec<String>,
    /// The reasons, in plain language.
    pub reasons: Vec<String>,
}

impl Card {
    /// The card of a code: `text` is the code, `claims` what it says (verify it first, or take
    /// the claims the issuer just signed). The name is masked ([`mask_name`]).
    ///
    /// # Errors
    /// [`Error::Qr`] if the text does not fit a QR code; [`Error::Scenario`] (step `card`) if its
    /// QR code would not fit the card at 4 pixels (0.34 mm) a module.
    pub fn new(text: &str, claims: &Claims) -> Result<Self> {
        let qr = Qr::encode(text)?;
        let modules = u32::try_from(qr.width()).map_err(|_| card_error("the QR code is too large"))? + 2 * QUIET_ZONE;
        if QR_MAX / modules < 4 {
            return Err(card_error("the QR code has too many modules to print legibly on A6"));
        }
        let mut lines = Vec::new();
        let name = claims.subject.name.as_deref().map(mask_name).filter(|n| !n.is_empty());
        lines.push(format!("Name: {}", name.as_deref().unwrap_or("(not on the code)")));
        if let Some(holder) = &claims.holder {
            let who = holder.name.as_deref().map(mask_name).unwrap_or_default();
            lines.push(format!("Carried by: {} {}", holder.relation, who).trim_end().to_string());
        }
        lines.push(format!("Issuer: {}", claims.issuer));
        lines.push(format!("Valid from {}", claims.not_before.format("%Y-%m-%d %H:%M UTC")));
        lines.push(format!("Valid until {}", claims.expires_at.format("%Y-%m-%d %H:%M UTC")));
        let reasons = claims.reasons.iter().map(|r| format!("- {}", r.describe())).collect();
        Ok(Card { qr, colour: claims.colour, lines, reasons })
    }

    /// Marks the card as made from a code whose signature was NOT checked: its first line says
    /// `UNVERIFIED`, so it cannot pass for the card of a verified code.
    #[must_use]
    pub fn unverified(mut self) -> Self {
        self.lines.insert(0, UNVERIFIED_LINE.to_owned());
        self
    }

    /// The colour word printed on the band.
    pub fn word(&self) -> String {
        self.colour.describe().to_uppercase()
    }

    fn module_px(&self) -> u32 {
        let modules = u32::try_from(self.qr.width()).unwrap_or(u32::MAX).saturating_add(2 * QUIET_ZONE);
        (QR_MAX / modules.max(1)).max(1)
    }

    /// The QR code's left edge and side in pixels, quiet zone included.
    fn qr_box(&self) -> (u32, u32) {
        let px = self.module_px();
        let side = (u32::try_from(self.qr.width()).unwrap_or(0) + 2 * QUIET_ZONE) * px;
        ((CARD_WIDTH.saturating_sub(side)) / 2, side)
    }

    /// The text blocks under the QR code: (y, scale, line).
    fn text_layout(&self) -> Vec<(u32, u32, String)> {
        let (_, side) = self.qr_box();
        let mut y = QR_TOP + side + 30;
        let mut out = Vec::new();
        let body_cols = ((CARD_WIDTH - 2 * MARGIN) / (GLYPH.0 * BODY_SCALE)) as usize;
        let small_cols = ((CARD_WIDTH - 2 * MARGIN) / (GLYPH.0 * SMALL_SCALE)) as usize;
        for line in &self.lines {
            for part in wrap(line, body_cols) {
                out.push((y, BODY_SCALE, part));
                y += GLYPH.1 * BODY_SCALE + 6;
            }
        }
        y += 10;
        for line in &self.reasons {
            for part in wrap(line, small_cols) {
                out.push((y, SMALL_SCALE, part));
                y += GLYPH.1 * SMALL_SCALE + 4;
            }
        }
        out.retain(|(y, scale, _)| y + GLYPH.1 * scale <= CARD_HEIGHT - 20);
        out
    }

    /// The card as an RGB image of [`CARD_WIDTH`] × [`CARD_HEIGHT`] pixels.
    pub fn to_image(&self) -> RgbImage {
        let mut image = RgbImage::from_pixel(CARD_WIDTH, CARD_HEIGHT, Rgb([255, 255, 255]));
        let (fill, ink) = palette(self.colour);
        for y in 0..BAND {
            for x in 0..CARD_WIDTH {
                image.put_pixel(x, y, Rgb(fill));
            }
        }
        let word = self.word();
        let scale = 8;
        let width = u32::try_from(word.len()).unwrap_or(0) * GLYPH.0 * scale;
        draw_text(&mut image, &word, (CARD_WIDTH.saturating_sub(width) / 2, (BAND - GLYPH.1 * scale) / 2), scale, ink);
        let (left, _) = self.qr_box();
        let px = self.module_px();
        let modules = self.qr.width() + 2 * QUIET_ZONE as usize;
        for my in 0..modules {
            for mx in 0..modules {
                let dark = self.qr.is_dark(mx.wrapping_sub(QUIET_ZONE as usize), my.wrapping_sub(QUIET_ZONE as usize));
                if !dark {
                    continue;
                }
                let (x0, y0) = (left + mx as u32 * px, QR_TOP + my as u32 * px);
                for y in y0..y0 + px {
                    for x in x0..x0 + px {
                        if x < CARD_WIDTH && y < CARD_HEIGHT {
                            image.put_pixel(x, y, Rgb([0, 0, 0]));
                        }
                    }
                }
            }
        }
        for (y, scale, line) in self.text_layout() {
            draw_text(&mut image, &line, (MARGIN, y), scale, [0, 0, 0]);
        }
        image
    }

    /// The card as PNG bytes.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `card`) if PNG encoding fails.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.to_image().write_to(&mut out, ImageFormat::Png).map_err(|e| card_error(format!("PNG: {e}")))?;
        Ok(out.into_inner())
    }

    /// The card as an SVG document of 105 × 148 mm (viewBox in 300-dpi pixels): the band, the
    /// word, the QR code as one path of dark modules, and the text as text.
    pub fn to_svg(&self) -> String {
        let (fill, ink) = palette(self.colour);
        let mut svg = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"105mm\" \
             height=\"148mm\" viewBox=\"0 0 {CARD_WIDTH} {CARD_HEIGHT}\">\n<rect width=\"{CARD_WIDTH}\" \
             height=\"{CARD_HEIGHT}\" fill=\"#ffffff\"/>\n<rect id=\"band\" width=\"{CARD_WIDTH}\" height=\"{BAND}\" \
             fill=\"{}\"/>\n<text id=\"colour\" x=\"{}\" y=\"{}\" font-family=\"DejaVu Sans Mono, monospace\" \
             font-size=\"150\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
            hex(fill),
            CARD_WIDTH / 2,
            BAND / 2 + 52,
            hex(ink),
            escape(&self.word()),
        );
        let (left, _) = self.qr_box();
        let px = self.module_px();
        let mut path = String::new();
        for y in 0..self.qr.width() {
            for x in 0..self.qr.width() {
                if self.qr.is_dark(x, y) {
                    let (x0, y0) = (left + (x as u32 + QUIET_ZONE) * px, QR_TOP + (y as u32 + QUIET_ZONE) * px);
                    path.push_str(&format!("M{x0} {y0}h{px}v{px}h-{px}z"));
                }
            }
        }
        svg.push_str(&format!("<path id=\"qr\" fill=\"#000000\" d=\"{path}\"/>\n"));
        for (y, scale, line) in self.text_layout() {
            svg.push_str(&format!(
                "<text x=\"{MARGIN}\" y=\"{}\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"{}\" \
                 fill=\"#000000\">{}</text>\n",
                y + GLYPH.1 * scale * 4 / 5,
                GLYPH.1 * scale * 4 / 5,
                escape(&line)
            ));
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// Breaks a line into parts of at most `cols` characters, at spaces where it can; a part after
/// the first is indented by two spaces.
fn wrap(line: &str, cols: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let len = current.chars().count();
        let fresh = current.is_empty() || current == "  ";
        if !fresh && len + 1 + word.chars().count() > cols {
            out.push(std::mem::replace(&mut current, "  ".to_string()));
        }
        if !(current.is_empty() || current == "  ") {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out.into_iter().map(|l| l.chars().take(cols).collect()).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A draw target that paints each font pixel as a `scale` × `scale` block at an offset.
struct Scaled<'a> {
    image: &'a mut RgbImage,
    origin: (u32, u32),
    scale: u32,
}

impl OriginDimensions for Scaled<'_> {
    fn size(&self) -> Size {
        Size::new(CARD_WIDTH / self.scale.max(1), CARD_HEIGHT / self.scale.max(1))
    }
}

impl DrawTarget for Scaled<'_> {
    type Color = Rgb888;
    type Error = std::convert::Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb888>>>(&mut self, pixels: I) -> std::result::Result<(), Self::Error> {
        for Pixel(point, colour) in pixels {
            let (Ok(px), Ok(py)) = (u32::try_from(point.x), u32::try_from(point.y)) else { continue };
            let (x0, y0) = (self.origin.0 + px * self.scale, self.origin.1 + py * self.scale);
            for y in y0..y0 + self.scale {
                for x in x0..x0 + self.scale {
                    if x < self.image.width() && y < self.image.height() {
                        self.image.put_pixel(x, y, Rgb([colour.r(), colour.g(), colour.b()]));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The PNG's fonts, in the order a character is looked up.
const FONTS: [&MonoFont<'static>; 6] = [
    &iso_8859_1::FONT_10X20,
    &iso_8859_2::FONT_10X20,
    &iso_8859_9::FONT_10X20,
    &iso_8859_13::FONT_10X20,
    &iso_8859_5::FONT_10X20,
    &iso_8859_7::FONT_10X20,
];

/// The first of the card's fonts that holds `c` (a font maps a character it lacks to its `?`).
fn font_for(c: char) -> Option<&'static MonoFont<'static>> {
    FONTS.into_iter().find(|font| c == '?' || font.glyph_mapping.index(c) != font.glyph_mapping.index('?'))
}

/// The text as the PNG card prints it: characters none of the card's fonts holds (ISO 8859-1,
/// -2, -9, -13, -5, -7: Latin, Cyrillic and Greek letters) become `?`; control characters too.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if !c.is_control() && font_for(c).is_some() { c } else { '?' }).collect()
}

fn draw_text(image: &mut RgbImage, text: &str, origin: (u32, u32), scale: u32, ink: [u8; 3]) {
    let mut target = Scaled { image, origin, scale };
    let mut buffer = [0u8; 4];
    for (column, c) in printable(text).chars().enumerate() {
        let Some(font) = font_for(c) else { continue };
        let style = MonoTextStyle::new(font, Rgb888::new(ink[0], ink[1], ink[2]));
        let x = i32::try_from(column).unwrap_or(i32::MAX).saturating_mul(GLYPH.0 as i32);
        let glyph = c.encode_utf8(&mut buffer);
        let _ = Text::with_baseline(glyph, Point::new(x, 0), style, Baseline::Top).draw(&mut target);
    }
}
