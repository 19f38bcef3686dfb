//! Every size, depth and count cap applied to untrusted input, with its default.

/// Hard caps applied by every decoding step.
///
/// Each cap is checked *before* the work it bounds: a text is measured before base45 runs, a
/// zlib stream stops inflating at the cap rather than after it, and an image's dimensions are
/// read from its header before a single pixel is decoded. The defaults fit every published code
/// of every supported format with room to spare; raise them only with a reason. Change one
/// field with struct update syntax: `Limits { max_text_len: 10_000, ..Limits::DEFAULT }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Characters of code text (prefix included). Default 7,089: the most any QR code can hold.
    pub max_text_len: usize,
    /// Bytes after decompression. Default 65,536.
    pub max_decompressed_len: usize,
    /// Nesting depth of CBOR arrays, maps and tags. Default 16.
    pub max_cbor_depth: usize,
    /// Items in one CBOR array or map. Default 512.
    pub max_cbor_items: usize,
    /// Bytes in one text string of the claims. Default 1,024.
    pub max_text_string_len: usize,
    /// Width or height of an image, in pixels, read from its header. Default 12,000.
    pub max_image_side: u32,
    /// Pixels of an image (width × height), read from its header. Default 50,000,000.
    pub max_image_pixels: u64,
    /// Bytes of an encoded image file. Default 64 MiB.
    pub max_image_bytes: usize,
    /// Pixels the scanner works on. A larger image is shrunk (area-averaged) to at most this many
    /// while it is decoded, so that scanning any image within the other limits costs what an
    /// image of this size costs. Default 4,000,000: a 12-megapixel photo is read at 2310 × 1732.
    pub max_scan_pixels: u64,
    /// QR codes decoded from one image. Default 16.
    pub max_codes_per_image: usize,
    /// Bytes of one signed trust or revocation list file. Default 32 MiB (a revocation list of
    /// 1,000,000 credentials takes about 15.3 MiB).
    pub max_list_bytes: usize,
    /// Entries (keys) in one trust list. Default 10,000.
    pub max_trust_entries: usize,
    /// Revoked credential hashes in one revocation list. Default 2,000,000.
    pub max_revoked_credentials: usize,
    /// Revoked keys in one revocation list. Default 10,000.
    pub max_revoked_keys: usize,
}

impl Limits {
    /// The defaults documented on each field.
    pub const DEFAULT: Limits = Limits {
        max_text_len: 7_089,
        max_decompressed_len: 64 * 1024,
        max_cbor_depth: 16,
        max_cbor_items: 512,
        max_text_string_len: 1_024,
        max_image_side: 12_000,
        max_image_pixels: 50_000_000,
        max_image_bytes: 64 * 1024 * 1024,
        max_scan_pixels: 4_000_000,
        max_codes_per_image: 16,
        max_list_bytes: 32 * 1024 * 1024,
        max_trust_entries: 10_000,
        max_revoked_credentials: 2_000_000,
        max_revoked_keys: 10_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
