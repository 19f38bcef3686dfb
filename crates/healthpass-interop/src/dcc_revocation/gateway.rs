//! The DCC gateway's revocation batch JSON (the content of `GET /revocation-list/{batchId}`,
//! once its CMS signature has been checked and removed by whoever downloaded it):
//!
//! ```json
//! { "country": "DE", "expires": "2022-12-31T23:59:59Z", "kid": "2Rk3X8HntrI=",
//!   "hashType": "SIGNATURE", "entries": [ { "hash": "JpiW/yzb0Be8lXtvoXZKxw==" } ] }
//! ```
//!
//! A file holds one batch object or a JSON array of them. Read under [`RevocationLimits`]: the
//! file's bytes are capped before parsing (which bounds every allocation), then the batch and
//! entry counts; each error names the batch (and entry) that failed.

use data_encoding::BASE64;
use serde::Deserialize;

use super::{BatchCheck, HASH_LEN, HashType, RefusedBatch, RevocationHash, RevocationStore, err};
use healthpass::{Error, Result};

/// The kid the gateway writes when the signer of the revoked DCCs is not known.
const UNKNOWN_KID: &str = "UNKNOWN_KID";

#[derive(Deserialize)]
#[serde(untagged)]
enum BatchFile {
    One(Batch),
    Many(Vec<Batch>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Batch {
    country: String,
    expires: String,
    kid: String,
    hash_type: String,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    hash: String,
}

/// What loading a file added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadReport {
    /// Batches added.
    pub batches: usize,
    /// Entries read (before duplicates are merged).
    pub entries: usize,
    /// Batches passed over, each with the reason (such as an `UNKNOWN_KID` batch, which no DCC
    /// can be matched to).
    pub skipped: Vec<String>,
    /// Batches refused by a [`BatchCheck`] (expired, or of another country than their DSC).
    pub refused: Vec<RefusedBatch>,
}

impl RevocationStore {
    /// Adds the batches of one gateway revocation JSON file (see the module docs for the form).
    /// Either the whole file is added or, on an error, none of it.
    ///
    /// Not checked here: the batch's CMS signature (check it where the file is downloaded), and
    /// its `expires` time and country against the DSCs beyond their form (see
    /// [`RevocationStore::load_gateway_json_checked`]).
    ///
    /// # Errors
    /// [`Error::TooLarge`] past `max_file_bytes`, `max_batches`, `max_batch_entries` or
    /// `max_total_entries`; [`Error::Foreign`] with step `batch JSON` for JSON of another shape
    /// and `batch` naming the batch (and entry) with a bad country, time, kid, hash type or hash.
    pub fn load_gateway_json(&mut self, bytes: &[u8]) -> Result<LoadReport> {
        self.load_batches(bytes, None)
    }

    /// As [`RevocationStore::load_gateway_json`], refusing (not loading) each batch that
    /// `check` refuses: one past its `expires` time (`revocation_batch_expired`) or whose country
    /// is not the country of the DSC its kid names (`revocation_batch_country`). The other
    /// batches of the file are loaded; [`LoadReport::refused`] lists the refused ones.
    ///
    /// # Errors
    /// As [`RevocationStore::load_gateway_json`].
    pub fn load_gateway_json_checked(&mut self, bytes: &[u8], check: &BatchCheck) -> Result<LoadReport> {
        self.load_batches(bytes, Some(check))
    }

    fn load_batches(&mut self, bytes: &[u8], check: Option<&BatchCheck>) -> Result<LoadReport> {
        let limits = *self.limits();
        if bytes.len() > limits.max_file_bytes {
            return Err(Error::TooLarge { what: "revocation list file", limit: limits.max_file_bytes });
        }
        let file: BatchFile = serde_json::from_slice(bytes).map_err(|e| {
            err("batch JSON", format!("not a gateway revocation batch or array of batches (line {})", e.line()))
        })?;
        let batches = match file {
            BatchFile::One(batch) => vec![batch],
            BatchFile::Many(batches) => batches,
        };
        if batches.len() > limits.max_batches {
            return Err(Error::TooLarge { what: "revocation batches in a file", limit: limits.max_batches });
        }
        let mut report = LoadReport::default();
        let mut parsed: Vec<(Vec<u8>, HashType, Vec<RevocationHash>)> = Vec::with_capacity(batches.len());
        for (index, batch) in batches.iter().enumerate() {
            if batch.kid == UNKNOWN_KID {
                report.skipped.push(format!("batch {index}: kid {UNKNOWN_KID}, no DCC can be matched to it"));
                continue;
            }
            let (kid, hash_type, hashes, expires) = parse_batch(index, batch, limits.max_batch_entries)?;
            if let Some(refused) = check.and_then(|c| c.refuse(index, &kid, &batch.country, expires)) {
                report.refused.push(refused);
                continue;
            }
            parsed.push((kid, hash_type, hashes));
        }
        let total: usize = parsed.iter().map(|(_, _, hashes)| hashes.len()).sum();
        if self.len().saturating_add(total) > limits.max_total_entries {
            return Err(Error::TooLarge { what: "revocation entries", limit: limits.max_total_entries });
        }
        for (kid, hash_type, hashes) in parsed {
            self.insert_hashes(&kid, hash_type, &hashes)?;
            report.batches += 1;
            report.entries += hashes.len();
        }
        Ok(report)
    }
}

type ParsedBatch = (Vec<u8>, HashType, Vec<RevocationHash>, chrono::DateTime<chrono::Utc>);

fn parse_batch(index: usize, batch: &Batch, max_entries: usize) -> Result<ParsedBatch> {
    let bad = |what: String| err("batch", format!("batch {index}: {what}"));
    if batch.entries.len() > max_entries {
        return Err(Error::TooLarge { what: "entries in a revocation batch", limit: max_entries });
    }
    if batch.country.len() != 2 || !batch.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad("country is not two upper-case letters".into()));
    }
    let expires = chrono::DateTime::parse_from_rfc3339(&batch.expires)
        .map_err(|_| bad("expires is not an RFC 3339 time".into()))?
        .with_timezone(&chrono::Utc);
    let kid = BASE64.decode(batch.kid.as_bytes()).map_err(|_| bad("kid is not base64".into()))?;
    if kid.is_empty() || kid.len() > 64 {
        return Err(bad(format!("kid has {} bytes (1 to 64 allowed)", kid.len())));
    }
    let hash_type = HashType::from_name(&batch.hash_type)
        .ok_or_else(|| bad("hashType is not SIGNATURE, UCI or COUNTRYCODEUCI".into()))?;
    let hashes = batch
        .entries
        .iter()
        .enumerate()
        .map(|(at, entry)| {
            let raw =
                BASE64.decode(entry.hash.as_bytes()).map_err(|_| bad(format!("entry {at}: hash is not base64")))?;
            // 16 bytes as specified; a full 32-byte SHA-256 is cut to its first 128 bits.
            match raw.len() {
                HASH_LEN | 32 => {
                    let mut hash = [0; HASH_LEN];
                    for (slot, byte) in hash.iter_mut().zip(raw.iter()) {
                        *slot = *byte;
                    }
                    Ok(hash)
                }
                n => Err(bad(format!("entry {at}: hash has {n} bytes, not {HASH_LEN}"))),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((kid, hash_type, hashes, expires))
}
