//! Bloom filter chunks as files. A chunk's filter in the dgc-bloomfilter serialized form carries
//! no coordinates of its own (the distribution service names them in the chunk's address: kid,
//! partition, chunk), so a chunk file holds them beside the filter:
//!
//! ```json
//! { "kid": "2Rk3X8HntrI=", "hashType": "UCI", "partition": 38, "chunk": 152,
//!   "filter": "<base64 of the serialized filter>" }
//! ```
//!
//! `partition` and `chunk` are the hash's first and second bytes (0–255), as the store holds
//! them. [`RevocationStore::load_json`] reads a chunk file or a gateway batch file, told apart by
//! their content (a chunk has `filter`), never by their names.

use data_encoding::BASE64;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{BatchCheck, BloomFilter, HashType, LoadReport, RevocationStore, err};
use healthpass::{Error, Result};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ChunkFile {
    kid: String,
    hash_type: String,
    partition: u8,
    chunk: u8,
    filter: String,
}

/// Only whether a JSON object has `filter`, read without keeping anything.
#[derive(Deserialize)]
struct Peek {
    filter: Option<IgnoredAny>,
}

impl RevocationStore {
    /// Holds the Bloom filter of one chunk file (see the module docs). A filter never revokes
    /// on its own: the chunk's exact hashes, from batch files, decide.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past `max_file_bytes` or `max_filter_bytes`; [`Error::Foreign`] with
    /// step `chunk` naming the field (kid, hashType, filter base64), and those of
    /// [`BloomFilter::decode`].
    pub fn load_chunk_json(&mut self, bytes: &[u8]) -> Result<()> {
        let limits = *self.limits();
        if bytes.len() > limits.max_file_bytes {
            return Err(Error::TooLarge { what: "revocation chunk file", limit: limits.max_file_bytes });
        }
        let file: ChunkFile =
            serde_json::from_slice(bytes).map_err(|e| err("chunk", format!("not a Bloom filter chunk file: {e}")))?;
        let kid = BASE64.decode(file.kid.as_bytes()).map_err(|_| err("chunk", "kid is not base64"))?;
        if kid.is_empty() || kid.len() > 64 {
            return Err(err("chunk", format!("kid has {} bytes (1 to 64 allowed)", kid.len())));
        }
        let hash_type = HashType::from_name(&file.hash_type)
            .ok_or_else(|| err("chunk", "hashType is not SIGNATURE, UCI or COUNTRYCODEUCI"))?;
        let filter = BASE64.decode(file.filter.as_bytes()).map_err(|_| err("chunk", "filter is not base64"))?;
        let filter = BloomFilter::decode(&filter, &limits)?;
        self.insert_filter(&kid, hash_type, file.partition, file.chunk, filter);
        Ok(())
    }

    /// Loads one JSON file of either kind: a Bloom filter chunk (an object with `filter`) or
    /// gateway revocation batches (checked by `check` when given).
    ///
    /// # Errors
    /// Those of [`RevocationStore::load_chunk_json`] or of
    /// [`RevocationStore::load_gateway_json`].
    pub fn load_json(&mut self, bytes: &[u8], check: Option<&BatchCheck>) -> Result<LoadReport> {
        let is_chunk = serde_json::from_slice::<Peek>(bytes).ok().is_some_and(|peek| peek.filter.is_some());
        if is_chunk {
            self.load_chunk_json(bytes)?;
            return Ok(LoadReport::default());
        }
        match check {
            Some(check) => self.load_gateway_json_checked(bytes, check),
            None => self.load_gateway_json(bytes),
        }
    }
}
