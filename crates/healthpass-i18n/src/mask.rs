//! Masking a name for display as people of its script expect.
//!
//! A Chinese (Japanese, Korean) name is written without spaces and read character by
//! character: it keeps its first character (the family name) and its last, and each character
//! between becomes `*` (`陈小明` → `陈*明`; two characters `陈明` → `陈*`). A name in an alphabet
//! keeps the first letter of each word (`Chan Tai Man` → `C** T** M**`), as the core's
//! [`healthpass::decide::mask_name`] does.

/// Whether `c` is a CJK ideograph, kana or hangul syllable.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The name masked by its script (see the module docs).
pub fn mask_name(name: &str) -> String {
    let trimmed = name.trim();
    let chars: Vec<char> = trimmed.chars().filter(|c| !c.is_whitespace() && *c != '·').collect();
    if !chars.is_empty() && chars.iter().all(|c| is_cjk(*c)) {
        return match chars.as_slice() {
            [only] => format!("{only}*"),
            [first, _] => format!("{first}*"),
            [first, middle @ .., last] => {
                let stars: String = middle.iter().map(|_| '*').collect();
                format!("{first}{stars}{last}")
            }
            [] => String::new(),
        };
    }
    healthpass::decide::mask_name(trimmed)
}
