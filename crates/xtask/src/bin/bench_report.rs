//! Prints the latest criterion results as a Markdown table, with each benchmark's median time
//! as a ratio of its group's baseline (the benchmark whose name starts with `baseline`), both
//! taken in the same run. Run after `cargo bench`: `cargo run --release --example bench_report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("target/criterion");
    // group -> [(function, median ns)]
    let mut groups: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for group in std::fs::read_dir(&root)? {
        let group = group?.path();
        for bench in std::fs::read_dir(&group)?.flatten() {
            let dir = bench.path();
            let (Ok(meta), Ok(estimates)) =
                (std::fs::read(dir.join("new/benchmark.json")), std::fs::read(dir.join("new/estimates.json")))
            else {
                continue;
            };
            let meta: Value = serde_json::from_slice(&meta)?;
            let estimates: Value = serde_json::from_slice(&estimates)?;
            let (Some(group_id), Some(function), Some(median)) = (
                meta["group_id"].as_str(),
                meta["function_id"].as_str(),
                estimates["median"]["point_estimate"].as_f64(),
            ) else {
                continue;
            };
            groups.entry(group_id.to_string()).or_default().push((function.to_string(), median));
        }
    }
    println!("| group | benchmark | median | ratio to baseline |");
    println!("|---|---|---|---|");
    for (group, mut benches) in groups {
        benches.sort_by(|a, b| b.0.starts_with("baseline").cmp(&a.0.starts_with("baseline")).then(a.0.cmp(&b.0)));
        let baseline = benches.iter().find(|(f, _)| f.starts_with("baseline")).map(|(_, m)| *m);
        for (function, median) in &benches {
            let ratio = match baseline {
                Some(base) if !function.starts_with("baseline") => format!("{:.3}", median / base),
                _ => "—".into(),
            };
            println!("| {group} | {function} | {} | {ratio} |", human(*median));
        }
    }
    Ok(())
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}
