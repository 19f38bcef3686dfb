//! Times the scanner on the `image` fuzz target's corpus, input by input exactly as the target
//! feeds it (byte 0 = 0: raw grey pixels, sides 1–96 from bytes 1–2; else an image file, under
//! 96 × 96 limits), and prints how the results fall (codes, no code, each error kind) so that a
//! change to the scanner can be checked to give the same answers, faster.
//!
//! ```text
//! cargo run --release --example scan_fuzz_corpus [-- DIR [ROUNDS]]     # default fuzz/corpus/image, 3
//! ```
//! Prints the mean time per input (the best of ROUNDS passes over the whole corpus) and a
//! digest of every input's result.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

use healthpass::Error;

/// The fuzz target's image cap (`SCAN_MAX_SIDE` in the environment to try another).
fn max_side() -> u32 {
    std::env::var("SCAN_MAX_SIDE").ok().and_then(|v| v.parse().ok()).unwrap_or(image_input::MAX_SIDE)
}

/// The fuzz target's input, defined once for the target and here.
#[path = "../../../../fuzz/src/image_input.rs"]
mod image_input;

fn kind(result: &Option<healthpass::Result<Vec<healthpass::Result<String>>>>) -> String {
    match result {
        None => "skipped".into(),
        Some(Ok(codes)) => format!("{} code(s)", codes.len()),
        Some(Err(Error::NoCode)) => "no code".into(),
        Some(Err(e)) => format!("error {}", e.code()),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "fuzz/corpus/image".into());
    let rounds: usize = args.next().map_or(3, |n| n.parse().expect("ROUNDS: a number"));
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    // As in the fuzz target: rqrr's panics (contained by the scanner) print nothing.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|at| at.file().contains("/rqrr-")) {
            default_hook(info);
        }
    }));
    let limits = image_input::limits(max_side());

    let mut kinds: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    let mut digest = DefaultHasher::new();
    let mut slowest = (Duration::ZERO, 0);
    let mut best = Duration::MAX;
    for round in 0..rounds {
        let started = Instant::now();
        for (i, input) in inputs.iter().enumerate() {
            let one = Instant::now();
            let result = image_input::scan(input, &limits);
            let took = one.elapsed();
            if round == 0 {
                if std::env::var_os("SCAN_LIST").is_some() {
                    eprintln!("{}\t{}", kind(&result), files[i].display());
                }
                let entry = kinds.entry(kind(&result)).or_default();
                entry.0 += 1;
                entry.1 += took;
                format!("{result:?}").hash(&mut digest);
                if took > slowest.0 {
                    slowest = (took, i);
                }
            }
        }
        best = best.min(started.elapsed());
    }
    let n = inputs.len().max(1);
    println!("{} inputs in {dir}", inputs.len());
    println!("mean per input: {:.3} ms (best of {rounds} passes)", best.as_secs_f64() * 1e3 / n as f64);
    println!("slowest: {:.1} ms ({})", slowest.0.as_secs_f64() * 1e3, files[slowest.1].display());
    // Results with codes grouped by count in one line; the time is the first pass's.
    let mut codes = (0, Duration::ZERO);
    for (kind, (count, took)) in &kinds {
        if kind.ends_with("code(s)") {
            codes = (codes.0 + count, codes.1 + *took);
        } else {
            println!("  {kind}: {count} inputs, {:.3} ms each", took.as_secs_f64() * 1e3 / *count as f64);
        }
    }
    println!("  codes found: {} inputs, {:.3} ms each", codes.0, codes.1.as_secs_f64() * 1e3 / codes.0.max(1) as f64);
    println!("results digest: {:016x}", digest.finish());
}
