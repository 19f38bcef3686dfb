//! Hex text of ids, hashes and kids, through `data-encoding` (the workspace's one encoding
//! crate): lowercase out, either case in.

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};

/// Lowercase hex digits of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    HEXLOWER.encode(bytes)
}

/// The bytes of hex text of any length, lowercase or uppercase digits.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    HEXLOWER_PERMISSIVE.decode(text.as_bytes()).ok()
}

/// Exactly `N` bytes from `2 × N` hex digits, lowercase or uppercase.
pub(crate) fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    decode(text).and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cases_in_lowercase_out() {
        assert_eq!(decode_array::<2>("aB0f"), Some([0xab, 0x0f]));
        assert_eq!(decode_array::<2>("ab0"), None);
        assert_eq!(decode_array::<2>("ab0f00"), None);
        assert_eq!(decode("zz"), None);
        assert_eq!(encode(&[0xab, 0x0f]), "ab0f");
    }
}
