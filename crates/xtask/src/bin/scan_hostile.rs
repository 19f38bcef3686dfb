//! Writes the images that bound the scanner's cost (tests/memory.rs builds the same ones) into
//! `DIR` (default `target/scan-hostile`), for timing and profiling the CLI on them:
//!
//! ```text
//! cargo run --release --example scan_hostile
//! valgrind --tool=callgrind target/release/healthpass scan target/scan-hostile/finders-7000.png
//! ```
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use healthpass_testkit::images as scan_support;

use std::path::PathBuf;

use healthpass_qr::Qr;
use scan_support::hostile;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/scan-hostile".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let qr = Qr::encode(&scan_support::issued_text(1)).unwrap();
    let images = [
        ("finders-7000.png", hostile::finder_field(7000, 180, 10)),
        ("blank-7000.png", hostile::blank(7000)),
        ("photo-12mp.jpg", hostile::photo_12mp(&qr, 5, &mut scan_support::Rng::new(12))),
        ("blocky-7000.jpg", hostile::blocky_jpeg(7000, 4)),
        ("blocky-4800.jpg", hostile::blocky_jpeg(4800, 48)),
    ];
    let mut images = images.to_vec();
    if let Ok(modules) = std::env::var("FINDER_MODULES") {
        // Variants for profiling: FINDER_MODULES=2,4,8 writes finders-7000-m2.png and so on.
        for module in modules.split(',').map(|m| m.parse::<u32>().unwrap()) {
            images.push((
                Box::leak(format!("finders-7000-m{module}.png").into_boxed_str()),
                hostile::finder_field(7000, 180, module),
            ));
        }
    }
    for (name, bytes) in images {
        std::fs::write(dir.join(name), &bytes).unwrap();
        println!("{name}: {} bytes", bytes.len());
    }
}
