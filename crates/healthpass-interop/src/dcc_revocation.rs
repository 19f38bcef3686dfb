//! EU DCC revocation: the three revocation hashes of a DCC, lists held per signing key (kid)
//! and hash type, partitioned by the first two bytes of the hash, and chunks held as sorted hash
//! lists or as Bloom filters in the dgc-bloomfilter format.
//!
//! - **Hashes** ([`RevocationHashes`]): each is the first 128 bits of a SHA-256. `UCI` hashes the
//!   UTF-8 of the certificate identifier `ci`; `COUNTRYCODEUCI` the issuing country (the CWT
//!   `iss` claim) followed by `ci`; `SIGNATURE` the COSE_Sign1 signature, of which for ES256 only
//!   the `r` value (the first 32 bytes of `r ‖ s`) and for PS256 the whole signature.
//! - **Lookup** ([`RevocationStore::check`]): the kid, then the hash type, then the partition (the
//!   hash's first byte) and the chunk (its second byte), then a binary search in the chunk's
//!   sorted list — the coordinates of the DCC revocation concept
//!   (`test-vectors/dcc-revocation/dgca-verifier-app-android/docs/revocation.md`).
//! - **Bloom filters** never revoke on their own. A chunk's filter saying "maybe" is checked
//!   exactly against the chunk's sorted hash list (the entries of the gateway batches loaded for
//!   that kid and hash type); only an exact match revokes. A "maybe" with no exact entry is
//!   [`Lookup::Unconfirmed`], which a verifier reports but does not refuse on.
//! - **Files** ([`RevocationStore::load_gateway_json`]): the gateway's revocation batch JSON, read
//!   under [`RevocationLimits`]; every error names the step that failed. With a [`BatchCheck`],
//!   expired batches and batches of another country than their DSC are refused with their codes.
//!   Bloom filter chunks come as JSON files holding the serialized filter and its coordinates
//!   ([`RevocationStore::load_chunk_json`]); [`RevocationStore::load_json`] takes either.
//!
//! Hand-written because no maintained crate implements the DCC revocation format; the hashing
//! is `sha2` and the JSON `serde_json`.

mod at_checkpoint;
mod batch_check;
mod bloom;
mod chunk;
mod gateway;
mod store;

pub use at_checkpoint::POSSIBLY_REVOKED;
pub use batch_check::{BATCH_COUNTRY, BATCH_EXPIRED, BatchCheck, RefusedBatch};
pub use bloom::BloomFilter;
pub use gateway::LoadReport;
pub use store::{Lookup, RevocationStore};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ForeignAlg;
use crate::dcc::{DccCwt, UnverifiedDcc};
use healthpass::{Error, Limits, Result};

/// Bytes of a revocation hash: the first 128 bits of a SHA-256.
pub const HASH_LEN: usize = 16;

/// A revocation hash: the first 16 bytes of a SHA-256.
pub type RevocationHash = [u8; HASH_LEN];

fn err(step: &'static str, detail: impl Into<String>) -> Error {
    crate::foreign("DCC revocation", step, detail)
}

/// The three hash types of the DCC revocation lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HashType {
    /// The COSE_Sign1 signature (`r` only for ECDSA). Gateway name `SIGNATURE`.
    Signature,
    /// The unique certificate identifier. Gateway name `UCI`.
    Uci,
    /// The issuing country followed by the UCI. Gateway name `COUNTRYCODEUCI`.
    CountryCodeUci,
}

impl HashType {
    /// Every hash type, in the order a DCC is checked.
    pub const ALL: [HashType; 3] = [HashType::Signature, HashType::Uci, HashType::CountryCodeUci];

    /// The gateway's name: `SIGNATURE`, `UCI` or `COUNTRYCODEUCI`.
    pub fn name(self) -> &'static str {
        match self {
            HashType::Signature => "SIGNATURE",
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
        }
    }

    /// The hash type of a gateway name (exact, upper case).
    pub fn from_name(name: &str) -> Option<Self> {
        HashType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Caps on revocation list files, which are untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocationLimits {
    /// Bytes of one list file. Default 64 MiB (a million gateway entries take about 40 MiB).
    pub max_file_bytes: usize,
    /// Batches in one file. Default 10,000.
    pub max_batches: usize,
    /// Entries in one batch. Default 1,000,000 (the gateway caps a batch far lower).
    pub max_batch_entries: usize,
    /// Hashes in one store, over every list. Default 20,000,000.
    pub max_total_entries: usize,
    /// Bytes of the bit array of one Bloom filter. Default 16 MiB.
    pub max_filter_bytes: usize,
}

impl RevocationLimits {
    /// The defaults above.
    pub const DEFAULT: RevocationLimits = RevocationLimits {
        max_file_bytes: 64 << 20,
        max_batches: 10_000,
        max_batch_entries: 1_000_000,
        max_total_entries: 20_000_000,
        max_filter_bytes: 16 << 20,
    };
}

impl Default for RevocationLimits {
    fn default() -> Self {
        RevocationLimits::DEFAULT
    }
}

/// The revocation hashes of one DCC, one per hash type (`COUNTRYCODEUCI` only when the DCC
/// names its issuing country).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationHashes {
    /// SHA-256 of the signature (`r` only for ES256), first 16 bytes.
    pub signature: RevocationHash,
    /// SHA-256 of the UTF-8 of `ci`, first 16 bytes.
    pub uci: RevocationHash,
    /// SHA-256 of the issuing country then `ci`, first 16 bytes; `None` without a CWT `iss`.
    pub country_code_uci: Option<RevocationHash>,
}

impl RevocationHashes {
    /// The hashes of a decoded DCC. The payload is read without checking the signature, so call
    /// this on a DCC that has been verified (a forged DCC's hashes mean nothing).
    ///
    /// # Errors
    /// Those of [`UnverifiedDcc::alg`] and [`DccCwt::payload`] (no certificate identifier), and
    /// [`Error::Foreign`] (step `signature`) for an ES256 signature that is not 64 bytes.
    pub fn of(code: &UnverifiedDcc, limits: &Limits) -> Result<Self> {
        let cwt = code.cwt_unverified(limits)?;
        RevocationHashes::of_parts(code.message().signature(), code.alg()?, &cwt)
    }

    /// The hashes from the parts of a DCC: its signature bytes, algorithm and CWT.
    ///
    /// # Errors
    /// As [`RevocationHashes::of`].
    pub fn of_parts(signature: &[u8], alg: ForeignAlg, cwt: &DccCwt) -> Result<Self> {
        let signed = match alg {
            ForeignAlg::Es256 => signature
                .get(..32)
                .filter(|_| signature.len() == 64)
                .ok_or_else(|| err("signature", format!("an ES256 signature is 64 bytes, not {}", signature.len())))?,
            ForeignAlg::Ps256 => signature,
        };
        let payload = cwt.payload()?;
        let ci = payload.entry()?.certificate_id().to_owned();
        Ok(RevocationHashes {
            signature: truncated(&[signed]),
            uci: truncated(&[ci.as_bytes()]),
            country_code_uci: cwt.issuer.as_ref().map(|country| truncated(&[country.as_bytes(), ci.as_bytes()])),
        })
    }

    /// The hash of one type, if the DCC has it.
    pub fn get(&self, hash_type: HashType) -> Option<&RevocationHash> {
        match hash_type {
            HashType::Signature => Some(&self.signature),
            HashType::Uci => Some(&self.uci),
            HashType::CountryCodeUci => self.country_code_uci.as_ref(),
        }
    }
}

/// The first 16 bytes of the SHA-256 of the parts, concatenated.
fn truncated(parts: &[&[u8]]) -> RevocationHash {
    let digest = parts.iter().fold(Sha256::new(), |hasher, part| hasher.chain_update(part)).finalize();
    let mut out = [0; HASH_LEN];
    for (slot, byte) in out.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_type_names_round_trip() {
        for t in HashType::ALL {
            assert_eq!(HashType::from_name(t.name()), Some(t));
        }
        assert_eq!(HashType::from_name("uci"), None);
    }

    #[test]
    fn truncated_is_the_sha256_prefix() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 ...
        assert_eq!(data_encoding::HEXLOWER.encode(&truncated(&[b"a", b"bc"])), "ba7816bf8f01cfea414140de5dae2223");
    }
}
