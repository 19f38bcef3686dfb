//! Decode rate and time of our scanner against zbar (`zbarimg`, Debian's zbar-tools) and against
//! rqrr alone, on the corpus written by `scan_corpus`, one row per distortion class.
//!
//! ```text
//! cargo run --release --example scan_corpus
//! cargo run --release --example scan_compare [-- DIR]                      # rqrr cascade only
//! cargo run --release --features rxing --example scan_compare [-- DIR]     # with rxing
//! ```
//! An image counts as decoded when a text read from it equals the code issued into it.
//! Times are medians per image. Ours and rqrr's: the best of 3 calls on the file's bytes (image
//! decoding included), in this process. zbar's twice: one `zbarimg` process per image (process
//! start included, nothing subtracted), and one `zbarimg` call over the whole class divided by
//! the number of images (batch). zbar is given its best setting: QR codes only.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use healthpass_testkit::images as scan_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use healthpass::Limits;
use healthpass_qr as qr;

use scan_support::CLASSES;

const ZBAR_QR_ONLY: [&str; 4] = ["--set", "disable", "--set", "qrcode.enable"];

struct Row {
    images: usize,
    ours: (usize, Duration),
    rqrr: (usize, Duration),
    zbar: (usize, Duration),
    zbar_batch: (usize, Duration),
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Best of three calls of `f`, and its last answer.
fn best_of_3<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let started = Instant::now();
        let value = f();
        best = best.min(started.elapsed());
        out = Some(value);
    }
    (out.unwrap(), best)
}

/// rqrr alone, as the scanner used it before the cascade: prepare, detect, decode every grid.
fn rqrr_alone(bytes: &[u8]) -> Vec<String> {
    let Ok(image) = qr::read_image(bytes, &Limits::DEFAULT) else { return Vec::new() };
    let (w, h) = (image.width() as usize, image.height() as usize);
    std::panic::catch_unwind(|| {
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image.get_pixel(x as u32, y as u32).0[0]);
        prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
    })
    .unwrap_or_default()
}

/// The texts `zbarimg --xml` reports per file, in the order of `files`.
fn zbar_xml_texts(xml: &str, files: &[PathBuf]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); files.len()];
    let mut current = None;
    for line in xml.lines() {
        if let Some(rest) = line.strip_prefix("<source href='") {
            let href = rest.split('\'').next().unwrap_or("");
            current = files.iter().position(|f| f.to_string_lossy() == href);
        } else if let (Some(start), Some(i)) = (line.find("<![CDATA["), current) {
            let data = &line[start + "<![CDATA[".len()..];
            out[i].push(data.split("]]>").next().unwrap_or("").to_string());
        }
    }
    out
}

fn zbar_available() -> bool {
    Command::new("zbarimg").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn class_row(folder: &Path, zbar: bool) -> Row {
    let expected = std::fs::read_to_string(folder.join("expected.tsv"))
        .unwrap_or_else(|_| panic!("{}: run `cargo run --release --example scan_corpus` first", folder.display()));
    let cases: Vec<(PathBuf, String)> = expected
        .lines()
        .map(|line| {
            let (name, text) = line.split_once('\t').unwrap();
            (folder.join(name), text.to_string())
        })
        .collect();
    let (mut ours, mut rqrr, mut zbar_one) = ((0, Vec::new()), (0, Vec::new()), (0, Vec::new()));
    for (path, text) in &cases {
        let bytes = std::fs::read(path).unwrap();
        let (found, time) = best_of_3(|| qr::scan(&bytes, &Limits::DEFAULT));
        ours.0 += usize::from(found.is_ok_and(|codes| codes.iter().any(|c| c.as_ref() == Ok(text))));
        ours.1.push(time);
        let (found, time) = best_of_3(|| rqrr_alone(&bytes));
        rqrr.0 += usize::from(found.contains(text));
        rqrr.1.push(time);
        if zbar {
            let started = Instant::now();
            let out = Command::new("zbarimg").args(["-q", "--raw"]).args(ZBAR_QR_ONLY).arg(path).output().unwrap();
            zbar_one.1.push(started.elapsed());
            zbar_one.0 += usize::from(String::from_utf8_lossy(&out.stdout).lines().any(|l| l == text));
        }
    }
    let mut zbar_batch = (0, Duration::ZERO);
    if zbar {
        let files: Vec<PathBuf> = cases.iter().map(|(p, _)| p.clone()).collect();
        let started = Instant::now();
        let out = Command::new("zbarimg").args(["-q", "--xml"]).args(ZBAR_QR_ONLY).args(&files).output().unwrap();
        zbar_batch.1 = started.elapsed() / u32::try_from(files.len().max(1)).unwrap();
        let texts = zbar_xml_texts(&String::from_utf8_lossy(&out.stdout), &files);
        zbar_batch.0 = cases.iter().zip(&texts).filter(|((_, text), found)| found.contains(text)).count();
    }
    Row {
        images: cases.len(),
        ours: (ours.0, median(ours.1)),
        rqrr: (rqrr.0, median(rqrr.1)),
        zbar: (zbar_one.0, median(zbar_one.1)),
        zbar_batch,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/scan-corpus".into()));
    let zbar = zbar_available();
    if !zbar {
        eprintln!("zbarimg not found (Debian: apt-get install zbar-tools): zbar columns left empty");
    }
    println!("scanner: healthpass_qr::scan, rxing feature {}", if cfg!(feature = "rxing") { "on" } else { "off" });
    println!(
        "| class | images | ours: decoded | ours: median ms | rqrr alone: decoded | rqrr alone: ms \
         | zbar: decoded | zbar per process: ms | zbar batch: decoded | zbar batch: ms/image |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut totals = [0usize; 5];
    for class in CLASSES {
        let row = class_row(&dir.join(class), zbar);
        for (total, n) in totals.iter_mut().zip([row.images, row.ours.0, row.rqrr.0, row.zbar.0, row.zbar_batch.0]) {
            *total += n;
        }
        println!(
            "| {class} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.images,
            row.ours.0,
            ms(row.ours.1),
            row.rqrr.0,
            ms(row.rqrr.1),
            row.zbar.0,
            ms(row.zbar.1),
            row.zbar_batch.0,
            ms(row.zbar_batch.1)
        );
    }
    let [images, ours, rqrr, zbar_one, zbar_batch] = totals;
    println!("| all | {images} | {ours} | | {rqrr} | | {zbar_one} | | {zbar_batch} | |");
}
