//! The degraded-image corpus for the scanner: real issued codes, drawn through the distortions a
//! camera adds. Deterministic (a fixed-seed generator), so every run draws the same images.
//! Shared by `examples/scan_corpus.rs`, `examples/scan_compare.rs` and `benches/scan.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop, dead_code)]

use std::f64::consts::PI;
use std::io::Cursor;

use chrono::{TimeDelta, TimeZone, Utc};
use healthpass::{Claims, CredentialId, Issuer, SigningKey};
use healthpass_qr::Qr;
use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, ImageFormat, Luma};

/// Modules of quiet zone drawn around every code.
const QUIET: f64 = 4.0;

/// The distortion classes, in report order.
pub const CLASSES: [&str; 10] = [
    "clean",
    "rotation",
    "perspective",
    "blur",
    "noise",
    "jpeg",
    "low-contrast",
    "small-modules",
    "frame-1280x720",
    "photo-4000x3000",
];

/// One corpus image: its file name, encoded bytes, and the text of the code drawn in it.
pub struct Sample {
    /// File name inside its class folder.
    pub name: String,
    /// The encoded image (PNG or JPEG).
    pub bytes: Vec<u8>,
    /// The code's text, as issued.
    pub text: String,
}

/// A small deterministic generator (SplitMix64): the corpus must not change between runs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.range(f64::EPSILON, 1.0);
        let v = self.range(0.0, 1.0);
        (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
    }
}

/// A real issued code: the demo issuer, the example claims, a credential id and time per index.
pub fn issued_text(index: u64) -> String {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + TimeDelta::minutes(index as i64 * 37);
    let mut claims = Claims::example(now);
    let mut id = [0u8; 16];
    let mut rng = Rng::new(0xc0de ^ index);
    for chunk in id.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_le_bytes()[..chunk.len()]);
    }
    claims.credential_id = CredentialId(id);
    Issuer::new(SigningKey::demo()).issue(&claims).unwrap()
}

/// A 3 × 3 homography, row-major, mapping (x, y, 1).
#[derive(Clone, Copy)]
pub struct Homography([f64; 9]);

impl Homography {
    /// The map sending each `from[i]` to `to[i]` (four points, no three on a line).
    pub fn from_points(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Homography {
        // Eight equations in h0..h7 (h8 = 1), solved by Gaussian elimination.
        let mut m = [[0.0f64; 9]; 8];
        for (i, (&(x, y), &(u, v))) in from.iter().zip(&to).enumerate() {
            m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs())).unwrap();
            m.swap(col, pivot);
            for row in 0..8 {
                if row != col {
                    let f = m[row][col] / m[col][col];
                    for k in col..9 {
                        m[row][k] -= f * m[col][k];
                    }
                }
            }
        }
        let h: Vec<f64> = (0..8).map(|i| m[i][8] / m[i][i]).collect();
        Homography([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0])
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + h[8];
        ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w)
    }
}

/// Draws `qr` into a `width` × `height` image: `corners` are where the code's outer corners
/// (quiet zone included: top-left, top-right, bottom-right, bottom-left) land in the image.
/// Each pixel averages 4 × 4 samples, as a camera's sensor area does; outside the code the
/// `background` shows.
pub fn draw(
    qr: &Qr,
    width: u32,
    height: u32,
    corners: [(f64, f64); 4],
    dark: f64,
    light: f64,
    background: impl Fn(u32, u32) -> f64,
) -> GrayImage {
    let n = qr.width() as f64;
    let span = n + 2.0 * QUIET;
    let square = [(0.0, 0.0), (span, 0.0), (span, span), (0.0, span)];
    let to_module = Homography::from_points(corners, square);
    const S: u32 = 4;
    GrayImage::from_fn(width, height, |x, y| {
        let mut sum = 0.0;
        for sy in 0..S {
            for sx in 0..S {
                let px = f64::from(x) + (f64::from(sx) + 0.5) / f64::from(S);
                let py = f64::from(y) + (f64::from(sy) + 0.5) / f64::from(S);
                let (u, v) = to_module.apply(px, py);
                sum += if (0.0..span).contains(&u) && (0.0..span).contains(&v) {
                    let (mx, my) = ((u - QUIET).floor(), (v - QUIET).floor());
                    let inside = mx >= 0.0 && my >= 0.0;
                    if inside && qr.is_dark(mx as usize, my as usize) { dark } else { light }
                } else {
                    background(x, y)
                };
            }
        }
        Luma([(sum / f64::from(S * S)).round().clamp(0.0, 255.0) as u8])
    })
}

/// The corners of a code `side` pixels wide centred on (`cx`, `cy`), turned by `angle` radians.
pub fn square_corners(cx: f64, cy: f64, side: f64, angle: f64) -> [(f64, f64); 4] {
    let h = side / 2.0;
    let (s, c) = angle.sin_cos();
    [(-h, -h), (h, -h), (h, h), (-h, h)].map(|(x, y)| (cx + x * c - y * s, cy + x * s + y * c))
}

/// The side in pixels of `qr` drawn at `module_px` pixels a module, quiet zone included.
pub fn side_px(qr: &Qr, module_px: f64) -> f64 {
    (qr.width() as f64 + 2.0 * QUIET) * module_px
}

pub fn add_noise(image: &mut GrayImage, sigma: f64, rng: &mut Rng) {
    for p in image.pixels_mut() {
        p.0[0] = (f64::from(p.0[0]) + sigma * rng.normal()).round().clamp(0.0, 255.0) as u8;
    }
}

pub fn png(image: &GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    out
}

pub fn jpeg(image: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(image).unwrap();
    out
}

/// A 1280 × 720 camera-like frame: a lit, cluttered scene with a code of 2.5–3.5 pixels a
/// module somewhere in it, slightly turned and tilted, a little out of focus, sensor noise.
pub fn camera_frame(qr: &Qr, rng: &mut Rng) -> GrayImage {
    let (w, h) = (1280u32, 720u32);
    let module_px = rng.range(2.5, 3.5);
    let side = side_px(qr, module_px);
    let cx = rng.range(side, f64::from(w) - side);
    let cy = rng.range(side * 0.75, f64::from(h) - side * 0.75);
    let mut corners = square_corners(cx, cy, side, rng.range(-0.26, 0.26));
    for c in &mut corners {
        c.0 += rng.range(-0.04, 0.04) * side;
        c.1 += rng.range(-0.04, 0.04) * side;
    }
    let background = clutter((w, h), (300.0, 200.0), 0.08, rng);
    let mut image = draw(qr, w, h, corners, 30.0, 215.0, background);
    image = image::imageops::blur(&image, rng.range(0.5, 0.9) as f32);
    add_noise(&mut image, 6.0, rng);
    image
}

/// A 4000 × 3000 phone photo: a lit, cluttered scene with a code of `module_px` pixels a module
/// somewhere in it, turned up to 15° and tilted, a little out of focus, sensor noise. The code
/// is drawn (supersampled) on a tile of its own and pasted, so that a photo takes a second.
pub fn phone_photo(qr: &Qr, module_px: f64, rng: &mut Rng) -> GrayImage {
    let (w, h) = (4000u32, 3000u32);
    let side = side_px(qr, module_px);
    let tile = (side * 1.5).ceil() as u32;
    let half = f64::from(tile) / 2.0;
    let mut corners = square_corners(half, half, side, rng.range(-0.26, 0.26));
    for c in &mut corners {
        c.0 += rng.range(-0.04, 0.04) * side;
        c.1 += rng.range(-0.04, 0.04) * side;
    }
    let background = clutter((w, h), (900.0, 600.0), 0.03, rng);
    let (x0, y0) = (rng.range(0.0, f64::from(w - tile)) as u32, rng.range(0.0, f64::from(h - tile)) as u32);
    let code = draw(qr, tile, tile, corners, 30.0, 215.0, |x, y| background(x + x0, y + y0));
    let mut image = GrayImage::from_fn(w, h, |x, y| Luma([background(x, y).round().clamp(0.0, 255.0) as u8]));
    image::imageops::replace(&mut image, &code, i64::from(x0), i64::from(y0));
    let mut image = image::imageops::blur(&image, rng.range(0.5, 0.9) as f32);
    add_noise(&mut image, 6.0, rng);
    image
}

/// The `count` images of one class, and their texts.
pub fn class(name: &str, count: usize) -> Vec<Sample> {
    let class_index = CLASSES.iter().position(|c| *c == name).expect("known class") as u64;
    (0..count)
        .map(|i| {
            let index = class_index * 1000 + i as u64;
            let text = issued_text(index);
            let qr = Qr::encode(&text).unwrap();
            let mut rng = Rng::new(index.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5ca9);
            // How far along the class's range of severity this image is, 0 to 1.
            let t = if count > 1 { i as f64 / (count - 1) as f64 } else { 0.5 };
            let (bytes, ext) = degrade(name, &qr, t, &mut rng);
            Sample { name: format!("{i:02}.{ext}"), bytes, text }
        })
        .collect()
}

fn degrade(name: &str, qr: &Qr, t: f64, rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let white = |_: u32, _: u32| 255.0;
    let canvas = |side: f64| (side * 1.15).ceil() as u32;
    match name {
        // Our own renderer's PNG, 2 to 6 pixels a module.
        "clean" => (qr.to_png(2 + (t * 4.0).round() as u32).unwrap(), "png"),
        // Any angle, 4 pixels a module.
        "rotation" => {
            let side = side_px(qr, 4.0);
            let c = (side * 1.45).ceil() as u32;
            let angle = rng.range(5.0, 355.0).to_radians();
            let half = f64::from(c) / 2.0;
            (png(&draw(qr, c, c, square_corners(half, half, side, angle), 0.0, 255.0, white)), "png")
        }
        // A code seen from the side: the far edge 90 % down to 50 % of the near one.
        "perspective" => {
            let side = side_px(qr, 5.0);
            let c = canvas(side);
            let m = (f64::from(c) - side) / 2.0;
            let far = 1.0 - (0.1 + 0.4 * t);
            let inset = side * (1.0 - far) / 2.0;
            let mut corners = [(m, m + inset), (m + side, m), (m + side, m + side), (m, m + side - inset)];
            if rng.next() % 2 == 0 {
                // Tilted the other way: the top edge is far.
                corners = [(m + inset, m), (m + side - inset, m), (m + side, m + side), (m, m + side)];
            }
            for corner in &mut corners {
                corner.0 += rng.range(-0.03, 0.03) * side;
                corner.1 += rng.range(-0.03, 0.03) * side;
            }
            (png(&draw(qr, c, c, corners, 0.0, 255.0, white)), "png")
        }
        // Out of focus: a Gaussian of 1.0 to 2.4 pixels at 4 pixels a module.
        "blur" => {
            let image = qr.to_image(4);
            (png(&image::imageops::blur(&image, (1.0 + 1.4 * t) as f32)), "png")
        }
        // Sensor noise: Gaussian, sigma 30 to 90 grey levels, over full contrast.
        "noise" => {
            let mut image = qr.to_image(4);
            add_noise(&mut image, 30.0 + 60.0 * t, rng);
            (png(&image), "png")
        }
        // JPEG at quality 20 down to 5, of a code at a fractional 3.0–3.6 pixels a module.
        "jpeg" => {
            let side = side_px(qr, rng.range(3.0, 3.6));
            let c = canvas(side);
            let half = f64::from(c) / 2.0;
            let corners = square_corners(half, half, side, rng.range(-0.05, 0.05));
            let image = draw(qr, c, c, corners, 0.0, 255.0, white);
            (jpeg(&image, (20.0 - 15.0 * t).round() as u8), "jpg")
        }
        // Grey on grey (a contrast of 60 down to 25 levels) under light that changes across the
        // code by up to 80 levels.
        "low-contrast" => {
            let contrast = 60.0 - 35.0 * t;
            let dark = rng.range(80.0, 120.0);
            let side = side_px(qr, 4.0);
            let c = canvas(side);
            let half = f64::from(c) / 2.0;
            let mut image =
                draw(qr, c, c, square_corners(half, half, side, 0.0), dark, dark + contrast, |_, _| dark + contrast);
            let angle = rng.range(0.0, 2.0 * PI);
            let (s, co) = angle.sin_cos();
            let amplitude = rng.range(40.0, 80.0) / f64::from(c);
            for (x, y, p) in image.enumerate_pixels_mut() {
                let ramp = amplitude * ((f64::from(x) - half) * co + (f64::from(y) - half) * s);
                p.0[0] = (f64::from(p.0[0]) + ramp).round().clamp(0.0, 255.0) as u8;
            }
            add_noise(&mut image, 2.0, rng);
            (png(&image), "png")
        }
        // 2.0 down to 1.5 pixels a module, at a fractional offset (area-averaged, as a sensor).
        "small-modules" => {
            let side = side_px(qr, 2.0 - 0.5 * t);
            let c = (side + 8.0).ceil() as u32;
            let half = f64::from(c) / 2.0 + rng.range(-0.5, 0.5);
            (png(&draw(qr, c, c, square_corners(half, half, side, 0.0), 0.0, 255.0, white)), "png")
        }
        // A small code in a 1280 × 720 camera frame, saved as a camera would (JPEG, quality 85).
        "frame-1280x720" => (jpeg(&camera_frame(qr, rng), 85), "jpg"),
        // A code of 6 down to 2.5 pixels a module in a 12-megapixel phone photo (JPEG, 85).
        "photo-4000x3000" => (jpeg(&phone_photo(qr, 6.0 - 3.5 * t, rng), 85), "jpg"),
        other => panic!("unknown class {other}"),
    }
}

/// Hostile and large images for the scanner's cost bounds (tests/memory.rs, `scan_hostile`):
/// cheap to draw (no supersampling), so that a debug-built test makes them in a second or two.
pub mod hostile {
    use super::{Qr, Rng, jpeg, png};
    use image::{GrayImage, Luma};

    /// Fills the square of `side` pixels at (`x`, `y`) with `value`, clipped to the image.
    fn fill(image: &mut GrayImage, x: u32, y: u32, side: u32, value: u8) {
        let (w, h) = image.dimensions();
        for yy in y..(y + side).min(h) {
            for xx in x..(x + side).min(w) {
                image.put_pixel(xx, yy, Luma([value]));
            }
        }
    }

    /// A finder pattern (7 × 7 modules: ring, gap, 3 × 3 stone) of `module` pixels at (`x`, `y`).
    pub fn finder(image: &mut GrayImage, x: u32, y: u32, module: u32) {
        fill(image, x, y, 7 * module, 0);
        fill(image, x + module, y + module, 5 * module, 255);
        fill(image, x + 2 * module, y + 2 * module, 3 * module, 0);
    }

    /// A white PNG of `side` × `side` pixels with `count` finder-pattern look-alikes of `module`
    /// pixels a module on a regular grid (7000, 180, 10: about 80 KB).
    pub fn finder_field(side: u32, count: u32, module: u32) -> Vec<u8> {
        let mut image = GrayImage::from_pixel(side, side, Luma([255]));
        let per_row = (1..).find(|n| n * n >= count).unwrap_or(1);
        let step = side / per_row;
        for i in 0..count {
            finder(&mut image, (i % per_row) * step + step / 4, (i / per_row) * step + step / 4, module);
        }
        png(&image)
    }

    /// A white PNG of `side` × `side` pixels.
    pub fn blank(side: u32) -> Vec<u8> {
        png(&GrayImage::from_pixel(side, side, Luma([255])))
    }

    /// A 12-megapixel (4000 × 3000) photo-like JPEG: uneven light, a few objects, sensor noise,
    /// and `qr` at `module` pixels a module (dark 30, light 215) off-centre. Quality 90.
    pub fn photo_12mp(qr: &Qr, module: u32, rng: &mut Rng) -> Vec<u8> {
        let (w, h) = (4000u32, 3000u32);
        let rects: Vec<(u32, u32, u32, u32, u8)> = (0..12)
            .map(|_| {
                let (x, y) = (rng.range(0.0, 3600.0) as u32, rng.range(0.0, 2700.0) as u32);
                (
                    x,
                    y,
                    x + rng.range(80.0, 900.0) as u32,
                    y + rng.range(40.0, 600.0) as u32,
                    rng.range(30.0, 220.0) as u8,
                )
            })
            .collect();
        let mut noise = Rng::new(rng.next());
        let mut image = GrayImage::from_fn(w, h, |x, y| {
            let base = 140 + (x / 200) as i32 - (y / 150) as i32;
            let ground = rects
                .iter()
                .rev()
                .find(|r| x >= r.0 && x < r.2 && y >= r.1 && y < r.3)
                .map_or(base, |r| i32::from(r.4));
            let grain = (noise.next() % 7) as i32 - 3;
            Luma([(ground + grain).clamp(0, 255) as u8])
        });
        let code = qr.to_image(module);
        let (x0, y0) = (2300 + rng.range(0.0, 400.0) as u32, 900 + rng.range(0.0, 400.0) as u32);
        for (x, y, p) in code.enumerate_pixels() {
            let grain = (noise.next() % 7) as i32 - 3;
            let value = if p.0[0] < 128 { 30 } else { 215 };
            image.put_pixel(x0 + x, y0 + y, Luma([(value + grain).clamp(0, 255) as u8]));
        }
        jpeg(&image, 90)
    }

    /// A JPEG of `side` × `side` pixels at quality 90: 8 × 8 blocks of hashed greys, each split
    /// by a step of `step` grey levels, the most pixels a few megabytes of JPEG hold (7000 and 4:
    /// 3.6 MB; 4800 and 48: 4.0 MB).
    pub fn blocky_jpeg(side: u32, step: u8) -> Vec<u8> {
        let image = GrayImage::from_fn(side, side, |x, y| {
            let block = u64::from(x / 8) * 7919 + u64::from(y / 8) * 104_729;
            let grey = (block.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8;
            Luma([if x % 8 < 4 { grey } else { grey ^ step }])
        });
        jpeg(&image, 90)
    }
}

/// A scene's background: twelve rectangles of various greys (each up to `largest` in size, the
/// smallest a fifteenth of it wide and a twentieth high) on a light that slopes by up to `slope`
/// grey levels a pixel from the middle of a `w` × `h` frame.
fn clutter((w, h): (u32, u32), largest: (f64, f64), slope: f64, rng: &mut Rng) -> impl Fn(u32, u32) -> f64 + use<> {
    let (widest, highest) = largest;
    let rects: Vec<(f64, f64, f64, f64, f64)> = (0..12)
        .map(|_| {
            let (x, y) = (rng.range(0.0, f64::from(w)), rng.range(0.0, f64::from(h)));
            let size = (rng.range(widest / 15.0, widest), rng.range(highest / 20.0, highest));
            (x, y, x + size.0, y + size.1, rng.range(30.0, 220.0))
        })
        .collect();
    let (gx, gy, base) = (rng.range(-slope, slope), rng.range(-slope, slope), rng.range(120.0, 170.0));
    let (mid_x, mid_y) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    move |x: u32, y: u32| {
        let (x, y) = (f64::from(x), f64::from(y));
        rects
            .iter()
            .rev()
            .find(|r| x >= r.0 && x < r.2 && y >= r.1 && y < r.3)
            .map_or(base + gx * (x - mid_x) + gy * (y - mid_y), |r| r.4)
    }
}
