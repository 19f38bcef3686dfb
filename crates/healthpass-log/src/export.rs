//! Static export: the checkpoint and every tile of a log written below a folder, laid out as
//! C2SP tlog-tiles URLs, so a web server or a CDN can serve the log as plain files; and a
//! [`DirFetcher`] that reads them back.
//!
//! Full tiles and full entry bundles are immutable, so files already present are kept;
//! partial tiles are written for the checkpoint's size. Every file is written through a
//! temporary file and a rename, and the checkpoint last, so a reader never sees a cut file or a
//! checkpoint whose tiles are missing.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::log::Log;
use crate::store::Store;
use crate::tiles::{TILE_WIDTH, TileFetcher, TileId, tiles_for_size};

fn io(what: &str, e: &std::io::Error) -> Error {
    Error::Store(format!("export: {what}: {e}"))
}

/// Writes the latest checkpoint and the tiles it needs below `dir`; returns how many tile files
/// were written (files of full tiles already present are not rewritten).
///
/// # Errors
/// [`Error::ProofRequest`] when no checkpoint was signed; [`Error::Store`] for I/O errors.
pub fn export_static<S: Store>(log: &mut Log<S>, dir: &Path) -> Result<usize> {
    let checkpoint = log.latest_checkpoint().cloned().ok_or(Error::ProofRequest("no checkpoint signed yet"))?;
    let mut written = 0;
    for id in tiles_for_size(checkpoint.size()) {
        let path = dir.join(id.path());
        if u64::from(id.width) == TILE_WIDTH && path.exists() {
            continue;
        }
        let bytes = log.tile(&id)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("create folder", &e))?;
        }
        write_atomic(&path, &bytes)?;
        written += 1;
    }
    write_atomic(&dir.join("checkpoint"), checkpoint.to_note_text().as_bytes())?;
    Ok(written)
}

/// Writes through a temporary file and a rename, so a crash never leaves a cut file that a
/// later export would keep as a finished full tile.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| io("write", &e))?;
    std::fs::rename(&tmp, path).map_err(|e| io("rename", &e))
}

/// Reads tiles from a folder written by [`export_static`] (or any tlog-tiles mirror on disk).
#[derive(Debug, Clone)]
pub struct DirFetcher {
    dir: PathBuf,
}

impl DirFetcher {
    /// A fetcher below `dir`.
    #[must_use]
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }

    /// The checkpoint file's text.
    ///
    /// # Errors
    /// [`Error::Store`] when it cannot be read; [`Error::TooLarge`] past the note limit.
    pub fn checkpoint(&self) -> Result<String> {
        let limit = crate::limits::MAX_NOTE_BYTES;
        let path = self.dir.join("checkpoint");
        let len = std::fs::metadata(&path).map_err(|e| io("read checkpoint", &e))?.len();
        if len > limit as u64 {
            return Err(Error::TooLarge { what: "checkpoint file", limit });
        }
        std::fs::read_to_string(&path).map_err(|e| io("read checkpoint", &e))
    }
}

impl TileFetcher for DirFetcher {
    fn fetch(&self, tile: &TileId) -> Result<Vec<u8>> {
        // A hash tile is at most 8192 bytes; an entry bundle at most 256 entries of 2 + 2048.
        let limit = 256 * (2 + crate::limits::MAX_ENTRY_BYTES);
        let path = self.dir.join(tile.path());
        let len = std::fs::metadata(&path).map_err(|e| io("read tile", &e))?.len();
        if len > limit as u64 {
            return Err(Error::TooLarge { what: "tile file", limit });
        }
        std::fs::read(&path).map_err(|e| io("read tile", &e))
    }
}
