//! A printable card for people without phones: A6 at 300 dpi (1240 × 1748 px), PNG or SVG.
//!
//! The card shows the colour as a band **and** a word (never colour alone), the QR code large
//! enough to scan from print (at least 0.8 mm a module), the subject's masked name, who carries
//! the code when that is someone else, the issuer, the validity dates and the reasons in plain
//! language, all in the holder's language ([`Lang`]) with times in the holder's zone ([`Zone`]).
//!
//! The PNG draws its text with real outline fonts through `ab_glyph`, embedded in the crate:
//! a subset of Noto Sans CJK SC (SIL OFL 1.1; all of GB 2312, Big5's common characters, Latin),
//! for a Traditional Chinese card first a subset of Noto Sans CJK TC (the zh-Hant messages'
//! characters, in their Traditional shapes), and, for the European letters Source Han lacks
//! (`Ł`, `Ş`, accented Greek), a subset of DejaVu Sans. `tools/font-subset.sh` regenerates them;
//! their licences are beside them in `fonts/`. A character no font holds prints as `?`
//! ([`printable`]). The PNG carries its resolution (a `pHYs` chunk of 300 dpi), so it prints at
//! A6 size; the SVG carries the text as text and names the same fonts.
//!
//! Print at 100 % on A6 (105 × 148 mm), or four to an A4 sheet.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use healthpass_scenarios::card::{CARD_HEIGHT, CARD_WIDTH, Card};
//! use healthpass_i18n::{Lang, Zone};
//! use healthpass::{Claims, Issuer, SigningKey};
//!
//! let mut claims = Claims::example(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
//! claims.subject.name = Some("陈小明".into());
//! let text = Issuer::new(SigningKey::demo()).issue(&claims)?;
//! let card = Card::new_in(&text, &claims, Lang::ZhHans, &Zone::parse("Asia/Shanghai")?)?;
//! assert_eq!(card.word(), "绿码");
//! assert!(card.lines.iter().any(|l| l == "姓名：陈*明"));
//! assert!(card.to_svg().contains("绿码"));
//! let image = card.to_image();
//! assert_eq!((image.width(), image.height()), (CARD_WIDTH, CARD_HEIGHT));
//! # Ok::<(), healthpass::Error>(())
//! ```

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use image::{Rgb, RgbImage};

use healthpass::{Claims, Colour, Error, Result};
use healthpass_i18n::mask::mask_name;
use healthpass_i18n::messages::Arg;
use healthpass_i18n::{Lang, Zone, text, words};
use healthpass_qr::Qr;

mod fonts;

pub use fonts::printable;
use fonts::{font_for, fonts, svg_families};

/// The card's width in pixels: 105 mm at 300 dpi.
pub const CARD_WIDTH: u32 = 1240;
/// The card's height in pixels: 148 mm at 300 dpi.
pub const CARD_HEIGHT: u32 = 1748;
/// 300 dots per inch in pixels per metre, as the PNG `pHYs` chunk records it.
pub const PIXELS_PER_METRE: u32 = 11_811;

const MARGIN: u32 = 60;
const BAND: u32 = 230;
const QR_TOP: u32 = BAND + 40;
/// The QR code's largest side in pixels (84.7 mm at 300 dpi).
const QR_MAX: u32 = 1000;
/// Body text: 56 px (4.7 mm) a line of glyphs, 70 px a line.
const BODY: (f32, u32) = (56.0, 70);
/// Reasons: 40 px glyphs, 50 px a line.
const SMALL: (f32, u32) = (40.0, 50);
/// The colour word on the band.
const WORD_PX: f32 = 150.0;
const QUIET_ZONE: u32 = 4;

fn card_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "card", detail: detail.into() }
}

/// `image` as PNG bytes with a `pHYs` chunk of `pixels_per_metre`, so that it prints at its
/// size (the card at 300 dpi, the venue poster at 150); a failure is [`Error::Scenario`] at
/// `step`.
pub(crate) fn png_at(image: &image::RgbImage, pixels_per_metre: u32, step: &'static str) -> Result<Vec<u8>> {
    let failed = |e: png::EncodingError| Error::Scenario { step, detail: format!("PNG: {e}") };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width(), image.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: pixels_per_metre,
        yppu: pixels_per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(image.as_raw()).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
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

/// The width of `text` in pixels at `px`.
fn measure(fonts: &[FontRef<'static>], text: &str, px: f32) -> f32 {
    text.chars()
        .map(|c| font_for(fonts, c).map_or(0.0, |font| font.as_scaled(PxScale::from(px)).h_advance(font.glyph_id(c))))
        .sum()
}

/// A card's content, ready to draw: the QR code and the lines of text.
#[derive(Debug, Clone)]
pub struct Card {
    qr: Qr,
    colour: Colour,
    lang: Lang,
    /// The lines under the QR code, in order (name, holder, issuer, validity).
    pub lines: Vec<String>,
    /// The reasons, in plain language.
    pub reasons: Vec<String>,
}

impl Card {
    /// The card of a code in English with UTC times ([`Card::new_in`]).
    ///
    /// # Errors
    /// Those of [`Card::new_in`].
    pub fn new(text: &str, claims: &Claims) -> Result<Self> {
        Card::new_in(text, claims, Lang::En, &Zone::utc())
    }

    /// The card of a code in `lang`, times shown in `zone` with their offset: `text` is the
    /// code, `claims` what it says (verify it first, or take the claims the issuer just
    /// signed). Names are masked by their script ([`mask_name`]).
    ///
    /// # Errors
    /// [`Error::Qr`] if the text does not fit a QR code; [`Error::Scenario`] (step `card`) if its
    /// QR code would not fit the card at 4 pixels (0.34 mm) a module.
    pub fn new_in(code: &str, claims: &Claims, lang: Lang, zone: &Zone) -> Result<Self> {
        let qr = Qr::encode(code)?;
        let modules = u32::try_from(qr.width()).map_err(|_| card_error("the QR code is too large"))? + 2 * QUIET_ZONE;
        if QR_MAX / modules < 4 {
            return Err(card_error("the QR code has too many modules to print legibly on A6"));
        }
        let mut lines = Vec::new();
        let name = claims.subject.name.as_deref().map(mask_name).filter(|n| !n.is_empty());
        let name = name.unwrap_or_else(|| text(lang, "card-no-name", &[]));
        lines.push(text(lang, "card-name", &[("name", Arg::from(name))]));
        if let Some(holder) = &claims.holder {
            let who = holder.name.as_deref().map(mask_name).unwrap_or_default();
            let relation = words::relation(lang, holder.relation);
            let args = [("relation", Arg::from(relation)), ("name", Arg::from(who))];
            lines.push(text(lang, "card-carried-by", &args).trim_end().to_string());
        }
        lines.push(text(lang, "card-issuer", &[("issuer", Arg::from(claims.issuer.as_str()))]));
        lines.push(text(lang, "card-valid-from", &[("at", Arg::from(zone.format(claims.not_before)))]));
        lines.push(text(lang, "card-valid-until", &[("at", Arg::from(zone.format(claims.expires_at)))]));
        let reasons = claims.reasons.iter().map(|r| format!("- {}", words::reason(lang, *r))).collect();
        Ok(Card { qr, colour: claims.colour, lang, lines, reasons })
    }

    /// Marks the card as made from a code whose signature was NOT checked: its first line says
    /// so in the card's language (`UNVERIFIED: signature NOT checked`, `未核验：签名未经检查`),
    /// so it cannot pass for the card of a verified code.
    #[must_use]
    pub fn unverified(mut self) -> Self {
        self.lines.insert(0, text(self.lang, "card-unverified", &[]));
        self
    }

    /// The colour word printed on the band (upper case in Latin scripts).
    pub fn word(&self) -> String {
        words::colour_loud(self.lang, self.colour)
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

    /// The text blocks under the QR code: (top y, glyph size in px, line).
    fn text_layout(&self, fonts: &[FontRef<'static>]) -> Vec<(u32, f32, String)> {
        let (_, side) = self.qr_box();
        let mut y = QR_TOP + side + 30;
        let mut out = Vec::new();
        let width = (CARD_WIDTH - 2 * MARGIN) as f32;
        for (lines, (px, step)) in [(&self.lines, BODY), (&self.reasons, SMALL)] {
            for line in lines {
                for part in wrap(fonts, line, width, px) {
                    out.push((y, px, part));
                    y += step;
                }
            }
            y += 10;
        }
        out.retain(|(y, px, _)| (*y as f32 + px * 1.2) as u32 <= CARD_HEIGHT - 20);
        out
    }

    /// The card as an RGB image of [`CARD_WIDTH`] × [`CARD_HEIGHT`] pixels.
    pub fn to_image(&self) -> RgbImage {
        let fonts = fonts(self.lang);
        let mut image = RgbImage::from_pixel(CARD_WIDTH, CARD_HEIGHT, Rgb([255, 255, 255]));
        let (fill, ink) = palette(self.colour);
        for y in 0..BAND {
            for x in 0..CARD_WIDTH {
                image.put_pixel(x, y, Rgb(fill));
            }
        }
        let word = self.word();
        let width = measure(&fonts, &word, WORD_PX) as u32;
        let top = (BAND as f32 - WORD_PX * 1.15) / 2.0;
        draw_text(&mut image, &fonts, &word, (CARD_WIDTH.saturating_sub(width) / 2, top as u32), WORD_PX, ink);
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
        for (y, px, line) in self.text_layout(&fonts) {
            draw_text(&mut image, &fonts, &line, (MARGIN, y), px, [0, 0, 0]);
        }
        image
    }

    /// The card as PNG bytes, with a `pHYs` chunk of 300 dpi so it prints at A6.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `card`) if PNG encoding fails.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        png_at(&self.to_image(), PIXELS_PER_METRE, "card")
    }

    /// The card as an SVG document of 105 × 148 mm (viewBox in 300-dpi pixels): the band, the
    /// word, the QR code as one path of dark modules, and the text as text in the named fonts.
    pub fn to_svg(&self) -> String {
        let fonts = fonts(self.lang);
        let (fill, ink) = palette(self.colour);
        let mut svg = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xml:lang=\"{}\" \
             width=\"105mm\" height=\"148mm\" viewBox=\"0 0 {CARD_WIDTH} {CARD_HEIGHT}\" font-family=\"{}\">\n\
             <rect width=\"{CARD_WIDTH}\" height=\"{CARD_HEIGHT}\" fill=\"#ffffff\"/>\n<rect id=\"band\" \
             width=\"{CARD_WIDTH}\" height=\"{BAND}\" fill=\"{}\"/>\n<text id=\"colour\" x=\"{}\" y=\"{}\" \
             font-size=\"{WORD_PX}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
            self.lang.tag(),
            svg_families(self.lang),
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
        for (y, size, line) in self.text_layout(&fonts) {
            svg.push_str(&format!(
                "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"{size}\" fill=\"#000000\">{}</text>\n",
                y + (size * 0.88) as u32,
                escape(&line)
            ));
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// Breaks a line into parts at most `width` pixels wide: at spaces where it can, between
/// characters inside a word too long for a line (Chinese has no spaces); a part after the first
/// is indented by two spaces.
fn wrap(fonts: &[FontRef<'static>], line: &str, width: f32, px: f32) -> Vec<String> {
    let fits = |s: &str| measure(fonts, s, px) <= width;
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let fresh = |s: &str| s.is_empty() || s == "  ";
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let joined = if fresh(&current) { format!("{current}{word}") } else { format!("{current} {word}") };
        if fits(&joined) {
            current = joined;
            continue;
        }
        if !fresh(&current) {
            out.push(std::mem::replace(&mut current, "  ".to_string()));
        }
        for c in word.chars() {
            current.push(c);
            if !fits(&current) {
                current.pop();
                out.push(std::mem::replace(&mut current, format!("  {c}")));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws `text` with its top at `origin`, `px` pixels a line of glyphs, anti-aliased onto the
/// background; characters neither font holds print as `?`.
fn draw_text(image: &mut RgbImage, fonts: &[FontRef<'static>], text: &str, origin: (u32, u32), px: f32, ink: [u8; 3]) {
    let scale = PxScale::from(px);
    let mut x = origin.0 as f32;
    for c in printable(text).chars() {
        let Some(font) = font_for(fonts, c) else { continue };
        let scaled = font.as_scaled(scale);
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, point(x, origin.1 as f32 + scaled.ascent()));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let (px_x, px_y) = (bounds.min.x as i64 + i64::from(gx), bounds.min.y as i64 + i64::from(gy));
                let (Ok(px_x), Ok(px_y)) = (u32::try_from(px_x), u32::try_from(px_y)) else { return };
                if let Some(pixel) = image.get_pixel_mut_checked(px_x, px_y) {
                    let alpha = coverage.clamp(0.0, 1.0);
                    for (channel, ink) in pixel.0.iter_mut().zip(ink) {
                        *channel = (f32::from(*channel) * (1.0 - alpha) + f32::from(ink) * alpha).round() as u8;
                    }
                }
            });
        }
        x += scaled.h_advance(id);
    }
}

/// The card's text drawing, for the other printed sheets of this crate (the venue poster): the
/// same embedded fonts, measuring, wrapping and anti-aliased drawing.
pub(crate) mod glyphs {
    use ab_glyph::FontRef;
    use healthpass_i18n::Lang;
    use image::RgbImage;

    /// The embedded fonts for `lang`, in lookup order.
    pub(crate) fn fonts(lang: Lang) -> Vec<FontRef<'static>> {
        super::fonts::fonts(lang)
    }

    /// The width of `text` in pixels at `px`.
    pub(crate) fn measure(fonts: &[FontRef<'static>], text: &str, px: f32) -> f32 {
        super::measure(fonts, text, px)
    }

    /// `text` broken into parts at most `width` pixels wide.
    pub(crate) fn wrap(fonts: &[FontRef<'static>], text: &str, width: f32, px: f32) -> Vec<String> {
        super::wrap(fonts, text, width, px)
    }

    /// Draws `text` with its top at `origin`, `px` pixels a line of glyphs.
    pub(crate) fn draw(image: &mut RgbImage, fonts: &[FontRef<'static>], text: &str, origin: (u32, u32), px: f32) {
        super::draw_text(image, fonts, text, origin, px, [0, 0, 0]);
    }
}
