//! Memory stays bounded on bombs and oversized images: the CLI is run on each under a hard
//! address-space ceiling, and its peak resident memory is measured.
//!
//! How it is measured, and why this way: the crate forbids `unsafe` (so no `getrusage` through
//! `libc` here), and reading `/proc/<pid>/status` while the child runs misses a short peak. So
//! the child runs under `sh -c 'ulimit -v …; exec …'`: the kernel refuses any allocation past the
//! ceiling, the allocation failure aborts the child, and the test sees it die instead of exit
//! with a refusal. That is the assertion, and it cannot miss a peak. When `python3` is present
//! the child also runs under a three-line wrapper that reports `ru_maxrss` of its waited-for
//! child (`RUSAGE_CHILDREN`), so that the peak is printed and held to a tighter ceiling too.

#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Command, Output};

use healthpass::Limits;
use healthpass::transport::{deflate, encode_base45};

mod support;
use support::{png_claiming, png_with};

/// The address-space ceiling for the whole child (binary, libraries, heap): 512 MiB.
const ADDRESS_SPACE_KIB: u64 = 512 * 1024;
/// The peak resident memory allowed on inputs that must be refused early: 64 MiB.
const PEAK_RSS_KIB: u64 = 64 * 1024;

const WRAPPER: &str = "import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print('peak-rss-kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)";

fn has_python() -> bool {
    Command::new("python3").arg("-c").arg("pass").output().is_ok_and(|o| o.status.success())
}

/// Runs the CLI with `args` under the ceiling; returns its output and, if measured, its peak RSS.
fn run_bounded(args: &[&str]) -> (Output, Option<u64>) {
    let bin = env!("CARGO_BIN_EXE_healthpass");
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$@\"");
    let mut command = Command::new("sh");
    command.arg("-c").arg(script).arg("sh");
    if has_python() {
        command.args(["python3", "-c", WRAPPER]);
    }
    let out = command.arg(bin).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .lines()
        .find_map(|line| line.strip_prefix("peak-rss-kib "))
        .map(|kib| kib.trim().parse::<u64>().unwrap());
    (out, peak)
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
    match peak {
        Some(kib) => {
            println!("{what}: peak RSS {kib} KiB");
            assert!(kib <= PEAK_RSS_KIB, "{what}: peak RSS {kib} KiB is over {PEAK_RSS_KIB} KiB");
        }
        None => println!("{what}: python3 is missing, so only the {ADDRESS_SPACE_KIB} KiB address-space ceiling held"),
    }
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
fn a_large_image_within_the_limits_costs_about_two_bytes_a_pixel() {
    // 4,000 × 4,000 = 16 M pixels, under the 50 M default: decoded (1 byte a pixel) and
    // prepared for the scanner (1 more). This also shows the measurement is live: the peak must
    // reach the decoded size.
    let side = 4_000u64;
    let png = white_png(4_000);
    assert!(png.len() < 200_000, "the file is small: {} bytes", png.len());
    let path = temp("white.png", &png);
    let (out, peak) = run_bounded(&["scan", path.to_str().unwrap()]);
    std::fs::remove_file(path).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no QR code found"));
    if let Some(kib) = peak {
        println!("white {side}x{side} PNG: peak RSS {kib} KiB");
        let pixels_kib = side * side / 1024;
        assert!(kib >= pixels_kib, "the peak ({kib} KiB) cannot be below the decoded image ({pixels_kib} KiB)");
        assert!(kib <= 3 * pixels_kib + 32 * 1024, "peak RSS {kib} KiB for {pixels_kib} KiB of pixels");
    }
}
