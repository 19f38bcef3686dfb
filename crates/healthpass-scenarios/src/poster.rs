//! A venue's entrance poster: the venue's name and region in words above its code, its id and
//! validity under it, so a visitor sees which place the code belongs to before scanning it (a
//! bare code says nothing to a person, and a poster swapped for another venue's would not show).
//!
//! A4 portrait at 150 dpi (1240 × 1754 px, the PNG carries its resolution). The text is drawn
//! with the card's embedded fonts through `ab_glyph` ([`crate::card`]), so Chinese venue names
//! print as they read; a character neither font holds prints as `?`. The words on the poster are
//! the venue's own (name, region, id) and a date, so the poster needs no translation.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use healthpass::{CredentialId, Issuer, SigningKey};
//! use healthpass::decide::Policy;
//! use healthpass_scenarios::poster::{POSTER_HEIGHT, POSTER_WIDTH, Poster};
//! use healthpass_scenarios::venue::Venue;
//!
//! let venue = Venue {
//!     venue_id: "GZ-TH-LIB-01".into(),
//!     name: Some("Tianhe Library".into()),
//!     region: Some("CN-GD".into()),
//!     issuer: "CN-GD-VENUES".into(),
//!     policy: Policy::permissive(),
//! };
//! let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
//! let claims = venue.claims("registrar-7", CredentialId([1; 16]), now, 365)?;
//! let code = Issuer::new(SigningKey::demo()).issue(&claims)?;
//! let poster = Poster::new(&code, &venue, claims.expires_at)?;
//! assert_eq!(poster.heading, ["Tianhe Library", "CN-GD"]);
//! assert_eq!(poster.footer, ["GZ-TH-LIB-01", "valid until 2027-11-23"]);
//! let image = poster.to_image();
//! assert_eq!((image.width(), image.height()), (POSTER_WIDTH, POSTER_HEIGHT));
//! # Ok::<(), healthpass::Error>(())
//! ```

use chrono::{DateTime, Utc};
use image::{Rgb, RgbImage};

use crate::card::glyphs;
use crate::venue::Venue;
use healthpass::{Error, Result};
use healthpass_i18n::Lang;
use healthpass_qr::Qr;

/// The poster's width in pixels: 210 mm at 150 dpi.
pub const POSTER_WIDTH: u32 = 1240;
/// The poster's height in pixels: 297 mm at 150 dpi.
pub const POSTER_HEIGHT: u32 = 1754;
/// 150 dots per inch in pixels per metre, as the PNG `pHYs` chunk records it.
pub const PIXELS_PER_METRE: u32 = 5_906;

/// The font order of Simplified Chinese (Noto Sans CJK SC, then DejaVu Sans): a venue's name in
/// any of the card's scripts.
const FONT_LANG: Lang = Lang::ZhHans;
const MARGIN: u32 = 70;
const TOP: u32 = 70;
/// The venue's name: 96 px glyphs (16 mm), 120 px a line.
const NAME: (f32, u32) = (96.0, 120);
/// The region and the footer: 64 px glyphs, 84 px a line.
const BODY: (f32, u32) = (64.0, 84);
/// The QR code's largest side in pixels (169 mm at 150 dpi), quiet zone included.
const QR_MAX: u32 = 1000;
const QUIET_ZONE: u32 = 4;
/// Lines of the name kept at most; a longer name is cut.
const MAX_NAME_LINES: usize = 3;

fn poster_error(detail: impl Into<String>) -> Error {
    Error::Scenario { step: "poster", detail: detail.into() }
}

/// A venue poster's content, ready to draw.
#[derive(Debug, Clone)]
pub struct Poster {
    qr: Qr,
    /// Above the code: the venue's name (its id when it has none), then its region.
    pub heading: Vec<String>,
    /// Under the code: the venue id and the last day of the code's validity.
    pub footer: Vec<String>,
}

impl Poster {
    /// The poster of a venue's code: `code` is the text, `venue` what it says (the claims the
    /// issuer just signed, [`Venue::claims`]), `expires_at` the code's expiry.
    ///
    /// # Errors
    /// [`Error::Qr`] if the text does not fit a QR code; [`Error::Scenario`] (step `poster`) if
    /// its QR code would not fit the poster at 4 pixels (0.7 mm) a module.
    pub fn new(code: &str, venue: &Venue, expires_at: DateTime<Utc>) -> Result<Self> {
        let qr = Qr::encode(code)?;
        let modules = u32::try_from(qr.width()).map_err(|_| poster_error("the QR code is too large"))? + 2 * QUIET_ZONE;
        if QR_MAX / modules < 4 {
            return Err(poster_error("the QR code has too many modules to print legibly"));
        }
        let name = venue.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&venue.venue_id);
        let mut heading = vec![name.to_owned()];
        heading.extend(venue.region.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned));
        let footer = vec![venue.venue_id.clone(), format!("valid until {}", expires_at.format("%Y-%m-%d"))];
        Ok(Poster { qr, heading, footer })
    }

    fn module_px(&self) -> u32 {
        let modules = u32::try_from(self.qr.width()).unwrap_or(u32::MAX).saturating_add(2 * QUIET_ZONE);
        (QR_MAX / modules.max(1)).max(1)
    }

    /// The lines to draw, each (top y, glyph size in px, text), and the QR code's top.
    fn layout(&self, fonts: &[ab_glyph::FontRef<'static>]) -> (Vec<(u32, f32, String)>, u32) {
        let width = (POSTER_WIDTH - 2 * MARGIN) as f32;
        let mut lines = Vec::new();
        let mut y = TOP;
        for (at, text) in self.heading.iter().enumerate() {
            let (px, step) = if at == 0 { NAME } else { BODY };
            let parts = glyphs::wrap(fonts, text, width, px);
            for part in parts.into_iter().take(if at == 0 { MAX_NAME_LINES } else { 1 }) {
                lines.push((y, px, part.trim().to_owned()));
                y += step;
            }
        }
        let qr_top = y + 20;
        let side = self.side();
        let mut y = qr_top + side + 20;
        for text in &self.footer {
            lines.push((y, BODY.0, text.clone()));
            y += BODY.1;
        }
        lines.retain(|(y, px, _)| (*y as f32 + px * 1.2) as u32 <= POSTER_HEIGHT);
        (lines, qr_top)
    }

    /// The QR code's side in pixels, quiet zone included.
    fn side(&self) -> u32 {
        (u32::try_from(self.qr.width()).unwrap_or(0) + 2 * QUIET_ZONE) * self.module_px()
    }

    /// The poster as an RGB image of [`POSTER_WIDTH`] × [`POSTER_HEIGHT`] pixels: every line
    /// centred, the code between the heading and the footer.
    pub fn to_image(&self) -> RgbImage {
        let fonts = glyphs::fonts(FONT_LANG);
        let mut image = RgbImage::from_pixel(POSTER_WIDTH, POSTER_HEIGHT, Rgb([255, 255, 255]));
        let (lines, qr_top) = self.layout(&fonts);
        for (y, px, text) in lines {
            let width = glyphs::measure(&fonts, &text, px) as u32;
            glyphs::draw(&mut image, &fonts, &text, (POSTER_WIDTH.saturating_sub(width) / 2, y), px);
        }
        let px = self.module_px();
        let left = POSTER_WIDTH.saturating_sub(self.side()) / 2;
        let quiet = QUIET_ZONE as usize;
        for my in 0..self.qr.width() {
            for mx in 0..self.qr.width() {
                if !self.qr.is_dark(mx, my) {
                    continue;
                }
                let (x0, y0) = (left + (mx + quiet) as u32 * px, qr_top + (my + quiet) as u32 * px);
                for y in y0..(y0 + px).min(POSTER_HEIGHT) {
                    for x in x0..(x0 + px).min(POSTER_WIDTH) {
                        image.put_pixel(x, y, Rgb([0, 0, 0]));
                    }
                }
            }
        }
        image
    }

    /// The poster as PNG bytes, with a `pHYs` chunk of 150 dpi so it prints at A4.
    ///
    /// # Errors
    /// [`Error::Scenario`] (step `poster`) if PNG encoding fails.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        crate::card::png_at(&self.to_image(), PIXELS_PER_METRE, "poster")
    }

    /// The poster for a terminal: the heading, the code drawn with half blocks (`qr_art`, as
    /// the caller renders it for its terminal), the footer; one string, lines ending in `\n`.
    pub fn to_terminal(&self, qr_art: &str) -> String {
        let mut out = String::new();
        for line in &self.heading {
            // The issuer's own words, but never a terminal control sequence.
            out.extend(line.chars().map(|c| if c.is_control() { '?' } else { c }));
            out.push('\n');
        }
        out.push_str(qr_art);
        if !qr_art.ends_with('\n') {
            out.push('\n');
        }
        for line in &self.footer {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The QR code drawn.
    pub fn qr(&self) -> &Qr {
        &self.qr
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use chrono::TimeZone;
    use healthpass::decide::Policy;

    fn venue(name: Option<&str>, region: Option<&str>) -> Venue {
        Venue {
            venue_id: "GZ-TH-LIB-01".into(),
            name: name.map(str::to_owned),
            region: region.map(str::to_owned),
            issuer: "CN-GD-VENUES".into(),
            policy: Policy::permissive(),
        }
    }

    fn until() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 11, 23, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_venue_without_a_name_shows_its_id_and_no_empty_region() {
        let poster = Poster::new("HP1:ABC", &venue(None, Some(" ")), until()).unwrap();
        assert_eq!(poster.heading, ["GZ-TH-LIB-01"]);
        let poster = Poster::new("HP1:ABC", &venue(Some("天河图书馆"), Some("CN-GD")), until()).unwrap();
        assert_eq!(poster.heading, ["天河图书馆", "CN-GD"]);
    }

    #[test]
    fn the_terminal_poster_carries_no_control_sequence() {
        let poster = Poster::new("HP1:ABC", &venue(Some("Lib\u{1b}[2J"), Some("CN\u{7}")), until()).unwrap();
        let text = poster.to_terminal("ART");
        assert_eq!(text, "Lib?[2J\nCN?\nART\nGZ-TH-LIB-01\nvalid until 2027-11-23\n");
    }

    #[test]
    fn a_long_name_wraps_within_the_poster_and_above_the_code() {
        let name = "The Very Long Name of a Municipal Library and Reading Room ".repeat(4);
        let poster = Poster::new("HP1:ABC", &venue(Some(&name), Some("CN-GD")), until()).unwrap();
        let fonts = glyphs::fonts(FONT_LANG);
        let (lines, qr_top) = poster.layout(&fonts);
        let name_lines = lines.iter().filter(|(_, px, _)| *px == NAME.0).count();
        assert_eq!(name_lines, MAX_NAME_LINES, "a long name is cut to {MAX_NAME_LINES} lines");
        for (y, px, text) in &lines {
            assert!(glyphs::measure(&fonts, text, *px) <= (POSTER_WIDTH - 2 * MARGIN) as f32, "{text}");
            if *px == NAME.0 {
                assert!(*y + NAME.1 <= qr_top, "the name stays above the code");
            }
        }
        let image = poster.to_image();
        assert_eq!((image.width(), image.height()), (POSTER_WIDTH, POSTER_HEIGHT));
    }
}
