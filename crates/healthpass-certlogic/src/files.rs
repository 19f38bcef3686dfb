//! Reading the files of rules, tests and errata, each within `Limits::max_file_bytes`.

use std::io::Read;
use std::path::Path;

use crate::{Error, Limits, Result};

/// The whole file at `path`, refused as [`Error::TooLarge`] past the limit: it is read through
/// a bounded reader, so a file that grows while it is read is still cut off at the limit.
pub(crate) fn read_bounded(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| Error::Io { path: path.display().to_string(), message: e.to_string() };
    let file = std::fs::File::open(path).map_err(io)?;
    let cap = limits.max_file_bytes;
    let mut bytes = Vec::new();
    file.take(u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > cap {
        return Err(Error::TooLarge { what: "file", limit: cap });
    }
    Ok(bytes)
}
