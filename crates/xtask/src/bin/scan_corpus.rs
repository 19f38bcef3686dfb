//! Writes the scanner's degraded-image corpus: `IMAGES` images (default 20) per distortion class
//! into `DIR/<class>/` (default `target/scan-corpus`), each with `expected.tsv` (file, text).
//!
//! ```text
//! cargo run --release --example scan_corpus [-- DIR [IMAGES]]
//! cargo run --release --example scan_compare [-- DIR]     # decode rate and time against zbarimg
//! ```
//! Deterministic: the same images every run. The images are not committed; regenerate them.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use healthpass_testkit::images as scan_support;

use std::path::PathBuf;

use healthpass::fs::{Mode, write_atomic};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/scan-corpus".into()));
    let count: usize = args.next().map_or(20, |n| n.parse().expect("IMAGES: a number"));
    for class in scan_support::CLASSES {
        let folder = dir.join(class);
        std::fs::create_dir_all(&folder).unwrap();
        let mut expected = String::new();
        for sample in scan_support::class(class, count) {
            write_atomic(&folder.join(&sample.name), &sample.bytes, Mode::Public).unwrap();
            expected.push_str(&format!("{}\t{}\n", sample.name, sample.text));
        }
        write_atomic(&folder.join("expected.tsv"), expected.as_bytes(), Mode::Public).unwrap();
        println!("{class}: {count} images in {}", folder.display());
    }
}
