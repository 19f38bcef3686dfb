//! C2SP tiles (`c2sp.org/tlog-tiles`): tile paths (`tile/<L>/x001/x234/067[.p/<W>]`), tile
//! contents built from the tree, entry bundles, and a [`TileReader`] that computes proofs from
//! fetched tiles alone.
//!
//! Written by hand: the `tlog_tiles` crate implements tiles, but on sha2 0.10 and thiserror 1
//! (a second stack beside the project's), and reads tiles through its own hash storage; here
//! the path encoding and tile arithmetic are a few dozen lines over [`PerfectNodes`], so the
//! same proof code runs on the log's tree and on fetched tiles.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::hash::{HASH_LEN, Hash, node_hash};
use crate::limits::MAX_ENTRY_BYTES;
use crate::tree::PerfectNodes;

/// Hashes in a full tile.
pub const TILE_WIDTH: u64 = 256;
/// Tree levels covered by one tile level.
pub const TILE_HEIGHT: u32 = 8;
/// The highest tile level.
pub const MAX_TILE_LEVEL: u8 = 63;

/// What a tile holds: Merkle hashes at a tile level, or the entries themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileKind {
    /// Hashes at tile level `L` (tree level `8 * L`).
    Hashes(u8),
    /// An entry bundle (`tile/entries/...`).
    Entries,
}

/// One tile (or entry bundle): its kind, index and width (256 for a full tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Hashes at a level, or entries.
    pub kind: TileKind,
    /// The tile index within its level.
    pub index: u64,
    /// Number of hashes or entries, 1 to 256.
    pub width: u16,
}

impl TileId {
    /// The tile's path below the log prefix.
    ///
    /// ```
    /// use healthpass_log::tiles::{TileId, TileKind};
    /// let full = TileId { kind: TileKind::Hashes(0), index: 1_234_067, width: 256 };
    /// assert_eq!(full.path(), "tile/0/x001/x234/067");
    /// let partial = TileId { kind: TileKind::Entries, index: 0, width: 7 };
    /// assert_eq!(partial.path(), "tile/entries/000.p/7");
    /// ```
    #[must_use]
    pub fn path(&self) -> String {
        let level = match self.kind {
            TileKind::Hashes(level) => level.to_string(),
            TileKind::Entries => "entries".to_owned(),
        };
        let mut out = format!("tile/{level}/{}", encode_index(self.index));
        if u64::from(self.width) < TILE_WIDTH {
            out.push_str(&format!(".p/{}", self.width));
        }
        out
    }

    /// Parses a tile path (as from [`TileId::path`]), strictly: no leading zeroes in `L` or
    /// `W`, three-digit index groups with `x` on all but the last.
    ///
    /// # Errors
    /// [`Error::Tile`] naming the malformed part.
    pub fn parse(path: &str) -> Result<Self> {
        if path.len() > 128 {
            return Err(Error::Tile("path too long"));
        }
        let rest = path.strip_prefix("tile/").ok_or(Error::Tile("path does not start with tile/"))?;
        let (level, rest) = rest.split_once('/').ok_or(Error::Tile("no level"))?;
        let kind = if level == "entries" {
            TileKind::Entries
        } else {
            let l = parse_decimal(level, 2).ok_or(Error::Tile("level is not a decimal without leading zeroes"))?;
            let l = u8::try_from(l).ok().filter(|l| *l <= MAX_TILE_LEVEL).ok_or(Error::Tile("level above 63"))?;
            TileKind::Hashes(l)
        };
        let (index, width) = match rest.split_once(".p/") {
            Some((index, w)) => {
                let w = parse_decimal(w, 3).ok_or(Error::Tile("width is not a decimal without leading zeroes"))?;
                let w = u16::try_from(w).ok().filter(|w| (1..256).contains(w)).ok_or(Error::Tile("width not 1-255"))?;
                (index, w)
            }
            None => (rest, 256),
        };
        Ok(Self { kind, index: decode_index(index)?, width })
    }
}

fn parse_decimal(s: &str, max_digits: usize) -> Option<u64> {
    let ok = !s.is_empty()
        && s.len() <= max_digits
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    if ok { s.parse().ok() } else { None }
}

fn encode_index(index: u64) -> String {
    let mut groups = vec![format!("{:03}", index % 1000)];
    let mut n = index / 1000;
    while n > 0 {
        groups.push(format!("x{:03}", n % 1000));
        n /= 1000;
    }
    groups.reverse();
    groups.join("/")
}

fn decode_index(s: &str) -> Result<u64> {
    let groups: Vec<&str> = s.split('/').collect();
    if groups.len() > 7 {
        return Err(Error::Tile("index has too many groups"));
    }
    let last = groups.len().saturating_sub(1);
    let mut value: u64 = 0;
    for (i, group) in groups.iter().enumerate() {
        let digits =
            if i < last { group.strip_prefix('x').ok_or(Error::Tile("index group lacks its x"))? } else { group };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Tile("index group is not three digits"));
        }
        let d: u64 = digits.parse().map_err(|_| Error::Tile("index group is not three digits"))?;
        value = value.checked_mul(1000).and_then(|v| v.checked_add(d)).ok_or(Error::Tile("index too large"))?;
    }
    if groups.len() > 1 && groups.first().is_some_and(|g| *g == "x000") {
        return Err(Error::Tile("index has a leading zero group"));
    }
    Ok(value)
}

/// Every tile (hash tiles of every level, and entry bundles) that a tree of `size` leaves has:
/// full tiles and the partial tile at the right edge of each level.
#[must_use]
pub fn tiles_for_size(size: u64) -> Vec<TileId> {
    let mut out = Vec::new();
    for level in 0..=MAX_TILE_LEVEL {
        let Some(hashes) = level_width(size, level) else { break };
        push_level(&mut out, TileKind::Hashes(level), hashes);
        if level == 0 {
            push_level(&mut out, TileKind::Entries, hashes);
        }
    }
    out
}

/// The number of hashes at tile level `level` for a tree of `size` leaves (None when zero).
fn level_width(size: u64, level: u8) -> Option<u64> {
    let shift = u32::from(level).checked_mul(TILE_HEIGHT)?;
    size.checked_shr(shift).filter(|n| *n > 0)
}

fn push_level(out: &mut Vec<TileId>, kind: TileKind, hashes: u64) {
    for index in 0..hashes / TILE_WIDTH {
        out.push(TileId { kind, index, width: 256 });
    }
    let rem = hashes % TILE_WIDTH;
    if rem > 0 {
        out.push(TileId { kind, index: hashes / TILE_WIDTH, width: rem as u16 });
    }
}

/// The bytes of a hash tile: its `width` hashes, from a source of perfect nodes.
///
/// # Errors
/// [`Error::Tile`] for an entry bundle; the source's errors for a tile beyond the tree.
pub fn tile_data<S: PerfectNodes + ?Sized>(source: &S, tile: &TileId) -> Result<Vec<u8>> {
    let TileKind::Hashes(level) = tile.kind else {
        return Err(Error::Tile("entry bundles come from the store, not the tree"));
    };
    let tree_level = u32::from(level) * TILE_HEIGHT;
    let first = tile.index.checked_mul(TILE_WIDTH).ok_or(Error::Tile("tile index too large"))?;
    let mut out = Vec::with_capacity(usize::from(tile.width) * HASH_LEN);
    for i in 0..u64::from(tile.width) {
        out.extend_from_slice(&source.perfect(tree_level, first + i)?);
    }
    Ok(out)
}

/// Encodes an entry bundle: each entry as a big-endian `u16` length and its bytes.
///
/// # Errors
/// [`Error::TooLarge`] for an entry longer than [`MAX_ENTRY_BYTES`].
pub fn encode_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.as_ref();
        let len = u16::try_from(entry.len())
            .ok()
            .filter(|l| usize::from(*l) <= MAX_ENTRY_BYTES)
            .ok_or(Error::TooLarge { what: "bundled entry", limit: MAX_ENTRY_BYTES })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(entry);
    }
    Ok(out)
}

/// Decodes an entry bundle of exactly `width` entries.
///
/// # Errors
/// [`Error::Tile`] for a truncated bundle, a count other than `width`, or trailing bytes.
pub fn decode_bundle(bytes: &[u8], width: u16) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(usize::from(width));
    let mut rest = bytes;
    while !rest.is_empty() {
        if out.len() >= usize::from(width) {
            return Err(Error::Tile("entry bundle holds more entries than its width"));
        }
        let (len, tail) = rest.split_first_chunk::<2>().ok_or(Error::Tile("entry bundle truncated"))?;
        let len = usize::from(u16::from_be_bytes(*len));
        let entry = tail.get(..len).ok_or(Error::Tile("entry bundle truncated"))?;
        out.push(entry.to_vec());
        rest = tail.get(len..).unwrap_or(&[]);
    }
    if out.len() != usize::from(width) {
        return Err(Error::Tile("entry bundle holds fewer entries than its width"));
    }
    Ok(out)
}

/// Fetches tile bytes by tile id (over HTTP, from disk, ...).
pub trait TileFetcher {
    /// The bytes of `tile`.
    ///
    /// # Errors
    /// Whatever the fetch fails with.
    fn fetch(&self, tile: &TileId) -> Result<Vec<u8>>;
}

/// Perfect nodes read from the tiles of a tree of known size (taken from a verified
/// checkpoint), so [`crate::tree::inclusion_proof`] and friends run on a client that only
/// fetches tiles. Proofs built from fetched tiles are still to be verified against the
/// checkpoint root: a wrong tile gives a proof that fails.
pub struct TileReader<F: TileFetcher> {
    fetcher: F,
    size: u64,
    cache: RefCell<HashMap<TileId, Vec<u8>>>,
}

impl<F: TileFetcher> TileReader<F> {
    /// A reader for the tree of `size` leaves.
    pub fn new(fetcher: F, size: u64) -> Self {
        Self { fetcher, size, cache: RefCell::new(HashMap::new()) }
    }

    /// The fetcher, for resources the reader does not cache (entry bundles).
    pub fn fetcher(&self) -> &F {
        &self.fetcher
    }

    /// The number of tiles fetched so far.
    #[must_use]
    pub fn fetched(&self) -> usize {
        self.cache.borrow().len()
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>> {
        if let Some(bytes) = self.cache.borrow().get(&id) {
            return Ok(bytes.clone());
        }
        let bytes = self.fetcher.fetch(&id)?;
        if bytes.len() != usize::from(id.width) * HASH_LEN {
            return Err(Error::Tile("tile length does not match its width"));
        }
        self.cache.borrow_mut().insert(id, bytes.clone());
        Ok(bytes)
    }
}

impl<F: TileFetcher> PerfectNodes for TileReader<F> {
    fn size(&self) -> u64 {
        self.size
    }

    fn perfect(&self, level: u32, index: u64) -> Result<Hash> {
        let tile_level = u8::try_from(level / TILE_HEIGHT).map_err(|_| Error::Tile("level too high"))?;
        let height = level % TILE_HEIGHT;
        // The node covers 2^height hashes at the tile's base level, starting here:
        let first = index.checked_shl(height).ok_or(Error::Tile("node index too large"))?;
        let count = 1u64 << height;
        let available = level_width(self.size, tile_level).unwrap_or(0);
        if first.checked_add(count).is_none_or(|end| end > available) {
            return Err(Error::ProofRequest("node outside the tree"));
        }
        let tile_index = first / TILE_WIDTH;
        let width = (available - tile_index * TILE_WIDTH).min(TILE_WIDTH) as u16;
        let bytes = self.tile(TileId { kind: TileKind::Hashes(tile_level), index: tile_index, width })?;
        let offset = usize::try_from(first % TILE_WIDTH).map_err(|_| Error::Tile("offset"))?;
        let mut row: Vec<Hash> = Vec::with_capacity(count as usize);
        for i in 0..count as usize {
            let start = offset.saturating_add(i).saturating_mul(HASH_LEN);
            let chunk = bytes.get(start..start.saturating_add(HASH_LEN)).ok_or(Error::Tile("tile too short"))?;
            row.push(Hash::try_from(chunk).map_err(|_| Error::Tile("tile too short"))?);
        }
        while row.len() > 1 {
            row = row
                .chunks_exact(2)
                .map(|pair| match pair {
                    [l, r] => node_hash(l, r),
                    _ => [0; HASH_LEN],
                })
                .collect();
        }
        row.first().copied().ok_or(Error::Tile("empty tile"))
    }
}
