//! The process's own resource use, printed to standard error at exit when the environment
//! variable `HEALTHPASS_REPORT_USAGE` is set (tests/memory.rs holds the CLI to its bounds with
//! it): peak resident memory (`VmHWM` of `/proc/self/status`) and CPU time, user and system,
//! of all its threads (`utime` and `stime` of `/proc/self/stat`, in ticks of 10 ms, Linux's
//! `USER_HZ`). Read from `/proc`, so no `unsafe` and no helper process; elsewhere it prints
//! nothing.

/// Ticks of `/proc/self/stat` in one second (`USER_HZ`, 100 on every Linux architecture).
const TICKS_PER_SECOND: u64 = 100;

/// Prints `usage: peak-rss-kib N cpu-ms N` if `HEALTHPASS_REPORT_USAGE` is set and `/proc` answers.
pub fn report_if_asked() {
    if std::env::var_os("HEALTHPASS_REPORT_USAGE").is_none() {
        return;
    }
    if let (Some(peak), Some(cpu)) = (peak_rss_kib(), cpu_ms()) {
        eprintln!("usage: peak-rss-kib {peak} cpu-ms {cpu}");
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis,
    // where field 3 (state) comes first, so utime (14) and stime (15) are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((ticks(11)? + ticks(12)?) * 1000 / TICKS_PER_SECOND)
}
