//! Every size and count cap applied to untrusted input, with its value.
//!
//! The caps are constants: they bound allocation before any decoding, and the formats they
//! apply to have no use for more.

/// The largest signed note (checkpoint with its signatures) accepted, in bytes.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;
/// The most signature lines accepted on a note (the C2SP minimum is 16).
pub const MAX_NOTE_SIGNATURES: usize = 100;
/// The longest key name (signer, witness or log origin) accepted, in bytes.
pub const MAX_KEY_NAME: usize = 255;
/// The longest decoded signature accepted on a signature line (key id included), in bytes.
/// Large enough for post-quantum signatures that are ignored as unknown.
pub const MAX_SIGNATURE_BYTES: usize = 8 * 1024;
/// The most extension lines accepted in a checkpoint.
pub const MAX_EXTENSION_LINES: usize = 16;
/// The largest decision entry accepted, in bytes.
pub const MAX_ENTRY_BYTES: usize = 2048;
/// The most reason codes in one decision entry.
pub const MAX_REASONS: usize = 16;
/// The longest reason code, in bytes.
pub const MAX_REASON_LEN: usize = 32;
/// The longest identifier (issuer, officer, rule), in bytes.
pub const MAX_ID_LEN: usize = 128;
/// The most entries appended in one batch.
pub const MAX_BATCH: usize = 65_536;
/// The most witnesses in a policy.
pub const MAX_WITNESSES: usize = 64;
/// The most leaves read from a store in one call.
pub const MAX_READ_RANGE: u64 = 1 << 20;
