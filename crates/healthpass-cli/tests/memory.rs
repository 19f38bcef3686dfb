//! Memory and time stay bounded on bombs and on large or hostile images: the CLI is run on each
//! under a hard address-space ceiling, and its peak resident memory and CPU time are measured.
//!
//! How it is measured, and why this way: the crate forbids `unsafe` (so no `getrusage` through
//! `libc` here), and reading `/proc/<pid>/status` from outside while the child runs misses a
//! short peak. So the child reports its own use at exit: with `HEALTHPASS_REPORT_USAGE` set, the
//! CLI prints `usage: peak-rss-kib N cpu-ms N` to standard error, from its own `VmHWM` and
//! `utime + stime` in `/proc/self` (src/bin/healthpass/usage.rs). A run that prints no such
//! line fails: no limit is skipped. The child also runs under `sh -c 'ulimit -v …; exec …'`, so
//! that the kernel refuses any allocation past the ceiling and a runaway allocation aborts it.
//!
//! Which build: the test profile's binary, as `cargo test` builds it (dependencies at
//! opt-level 3, this crate at opt-level 0; see Cargo.toml).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Command, Output};

use healthpass::Limits;
use healthpass::transport::{deflate, encode_base45};
use healthpass_qr::Qr;

use healthpass_testkit::cose as support;
use support::{png_claiming, png_with};

use healthpass_testkit::images as scan_support;
use scan_support::hostile;

/// The address-space ceiling for the whole child (binary, libraries, heap): 512 MiB.
const ADDRESS_SPACE_KIB: u64 = 512 * 1024;
/// The peak resident memory allowed on every input here: 64 MiB.
const PEAK_RSS_KIB: u64 = 64 * 1024;
/// The CPU time allowed to decide on an image of at most 4 MB: one second.
const CPU_MS: u64 = 1_000;

/// What the child reported about itself.
struct Usage {
    peak_rss_kib: u64,
    cpu_ms: u64,
}

/// Runs the CLI with `args` under the ceiling; returns its output and its own resource use.
fn run_bounded(args: &[&str]) -> (Output, Usage) {
    let bin = env!("CARGO_BIN_EXE_healthpass");
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$@\"");
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(bin)
        .args(args)
        .env("HEALTHPASS_REPORT_USAGE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find_map(|line| line.strip_prefix("usage: "));
    let Some(line) = line else { panic!("the CLI reported no usage (killed, or no /proc?): {stderr}") };
    let words: Vec<&str> = line.split_whitespace().collect();
    let usage = match words[..] {
        ["peak-rss-kib", peak, "cpu-ms", cpu] => {
            Usage { peak_rss_kib: peak.parse().unwrap(), cpu_ms: cpu.parse().unwrap() }
        }
        _ => panic!("unreadable usage line: {line}"),
    };
    (out, usage)
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("healthpass-memory-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn check(what: &str, args: &[&str], expect_in_stderr: &str) {
    let (out, peak) = run_bounded(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 1 (refused) or 2 (unreadable input): an abort from a failed allocation is neither.
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{what}: the CLI did not exit cleanly: {:?}\n{stderr}",
        out.status
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stderr.contains(expect_in_stderr) || stdout.contains(expect_in_stderr),
        "{what}: expected {expect_in_stderr:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    println!("{what}: peak RSS {} KiB, CPU {} ms", peak.peak_rss_kib, peak.cpu_ms);
    assert!(peak.peak_rss_kib <= PEAK_RSS_KIB, "{what}: peak RSS {} KiB is over {PEAK_RSS_KIB} KiB", peak.peak_rss_kib);
}

#[test]
fn a_zlib_bomb_stays_small() {
    // 4 MiB of zeros in about 4 KiB of zlib: a code that would inflate 64 times past the cap.
    let code = format!("HP1:{}", encode_base45(&deflate(&vec![0u8; 4 << 20])));
    assert!(code.len() <= Limits::DEFAULT.max_text_len);
    check("zlib bomb", &["verify", "--demo-key", &code], "decompressed body is too large");
}

#[test]
fn a_png_whose_icc_profile_is_a_zlib_bomb() {
    // A 10×10 image whose colour profile inflates to 100 MiB from about 100 KiB. Before the
    // header read was capped, this cost 110 MiB of memory (see FUZZING.md).
    let mut iccp = b"profile\0\0".to_vec();
    iccp.extend(deflate(&vec![0u8; 100 << 20]));
    let path = temp("iccp.png", &png_with(10, 10, &[(b"iCCP", iccp)]));
    check("PNG with an ICC-profile bomb", &["scan", path.to_str().unwrap()], "no QR code found");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_png_claiming_100000_by_100000_pixels_allocates_nothing_for_them() {
    // 10 GB of pixels if the header were believed.
    let path = temp("huge.png", &png_claiming(100_000, 100_000));
    check("PNG 100000x100000", &["verify", "--demo-key", "--image", path.to_str().unwrap()], "too large");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_png_within_the_side_limit_but_over_the_pixel_limit() {
    // 11,000 × 11,000 = 121 M pixels: each side passes, the count does not.
    let path = temp("wide.png", &png_claiming(11_000, 11_000));
    check("PNG 11000x11000", &["scan", path.to_str().unwrap()], "too large");
    std::fs::remove_file(path).unwrap();
}

/// A PNG of `side` × `side` white pixels: a few tens of KiB of zlib that decode to side² bytes.
fn white_png(side: u32) -> Vec<u8> {
    let image = image::GrayImage::from_pixel(side, side, image::Luma([255]));
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png
}

#[test]
fn a_large_image_within_the_limits_costs_what_its_shrunk_size_costs() {
    // 4,000 × 4,000 = 16 M pixels, under the 50 M default. This also shows the measurement is
    // live: the peak must reach the shrunk image's size.
    let side = 4_000u64;
    let png = white_png(4_000);
    assert!(png.len() < 200_000, "the file is small: {} bytes", png.len());
    let path = temp("white.png", &png);
    let (out, peak) = run_bounded(&["scan", path.to_str().unwrap()]);
    std::fs::remove_file(path).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no QR code found"));
    let kib = peak.peak_rss_kib;
    println!("white {side}x{side} PNG: peak RSS {kib} KiB");
    // Shrunk while decoded to at most `max_scan_pixels` (one byte each), then prepared for the
    // scanner (one more): the peak reaches the shrunk image, and not the whole one.
    let scan_kib = Limits::DEFAULT.max_scan_pixels / 1024;
    assert!(kib >= scan_kib, "the peak ({kib} KiB) cannot be below the shrunk image ({scan_kib} KiB)");
    assert!(kib <= PEAK_RSS_KIB, "peak RSS {kib} KiB for a {side}x{side} image");
}

/// Runs `scan` on `bytes` (at most 4 MB) and holds the CLI to one second of CPU and 64 MiB;
/// returns its exit code, standard output and standard error.
fn scan_within_bounds(what: &str, name: &str, bytes: &[u8]) -> (Option<i32>, String, String) {
    assert!(bytes.len() <= 4 << 20, "{what}: {} bytes is over 4 MiB", bytes.len());
    let path = temp(name, bytes);
    let (out, usage) = run_bounded(&["scan", path.to_str().unwrap()]);
    std::fs::remove_file(path).unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{what} ({} bytes): peak RSS {} KiB, CPU {} ms", bytes.len(), usage.peak_rss_kib, usage.cpu_ms);
    assert!(
        usage.peak_rss_kib <= PEAK_RSS_KIB,
        "{what}: peak RSS {} KiB is over {PEAK_RSS_KIB}\n{stderr}",
        usage.peak_rss_kib
    );
    assert!(usage.cpu_ms <= CPU_MS, "{what}: {} ms of CPU is over {CPU_MS}\n{stderr}", usage.cpu_ms);
    (out.status.code(), stdout.into_owned(), stderr.into_owned())
}

#[test]
fn a_7000_square_png_of_180_finder_patterns_decides_within_a_second_and_64_mib() {
    // Modules of 6 pixels: 15 s of CPU and 167 MiB before images were shrunk while read.
    let png = hostile::finder_field(7000, 180, 6);
    let (code, _, stderr) = scan_within_bounds("7000x7000 PNG, 180 finder patterns", "finders.png", &png);
    assert_eq!(code, Some(1), "{stderr}");
    // rqrr groups three of the patterns into a code and fails to decode it (`qr`).
    assert!(stderr.contains("QR: decode:"), "{stderr}");
}

#[test]
fn a_blank_7000_square_png_decides_within_a_second_and_64_mib() {
    let (code, _, stderr) = scan_within_bounds("blank 7000x7000 PNG", "blank.png", &hostile::blank(7000));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no QR code found"), "{stderr}");
}

#[test]
fn a_12_megapixel_photo_keeps_its_small_code_within_a_second_and_64_mib() {
    let text = scan_support::issued_text(12);
    let qr = Qr::encode(&text).unwrap();
    // 5 pixels a module in a 4000 × 3000 frame: a code of 305 pixels, 8 % of the photo's width.
    let photo = hostile::photo_12mp(&qr, 5, &mut scan_support::Rng::new(12));
    let (code, stdout, stderr) = scan_within_bounds("12 MP photo", "photo.jpg", &photo);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.trim(), text);
}

#[test]
fn a_4_mb_jpeg_of_23_megapixels_decides_within_a_second_and_64_mib() {
    // Decoded to grey at full size (23 MB), shrunk, scanned: it looks like noise to the finder.
    let jpeg = hostile::blocky_jpeg(4800, 48);
    assert!(jpeg.len() > 3_500_000, "{} bytes", jpeg.len());
    let (code, _, stderr) = scan_within_bounds("4800x4800 JPEG", "blocky-4800.jpg", &jpeg);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no QR code found"), "{stderr}");
}

#[test]
fn a_jpeg_over_the_full_decode_limit_is_refused_before_decoding() {
    // 49 M pixels in 3.6 MB: over `JPEG_FULL_PIXELS`, refused from its header.
    let jpeg = hostile::blocky_jpeg(7000, 4);
    assert!(jpeg.len() > 3_000_000, "{} bytes", jpeg.len());
    let (code, _, stderr) = scan_within_bounds("7000x7000 JPEG", "blocky-7000.jpg", &jpeg);
    // An image that cannot be read (over a limit, or of a format not supported) exits 2, like a
    // missing file; an image read and holding no code exits 1 (docs/CLI.md).
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("JPEG (pixels; a JPEG is decoded at full size before it is shrunk) is too large"),
        "{stderr}"
    );
}
