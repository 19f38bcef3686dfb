//! Masking a name for display, as people of its script expect: the one implementation, which
//! the checkpoint's [`Summary`](super::Summary), the CLI, cards and wallets all use (the i18n
//! crate re-exports it).
//!
//! Hand-written: the rule is healthpass's own (docs/I18N.md), and the few Unicode ranges it
//! needs (CJK ideographs, kana, hangul, combining marks, variation selectors) do not warrant a
//! Unicode-tables crate in the core's deliberately small dependency tree.

/// Whether `c` is a CJK ideograph, kana or hangul syllable: a script whose names are written
/// without spaces and read character by character.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether `c` belongs to the character before it: a combining mark (`e` + U+0301 is `é`) or a
/// variation selector (the ideographic variants of Japanese names).
fn is_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x3099..=0x309A
            | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xE0100..=0xE01EF)
}

/// The characters of `text` as people count them: each with the marks that follow it.
fn clusters(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in text.chars() {
        match out.last_mut() {
            Some(last) if is_mark(c) => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// Masks a name for display, by its script, never revealing more than its first (and, for
/// longer Chinese names, last) character:
///
/// - A name wholly in CJK characters (spaces and middle dots `·` `・` ignored) is read
///   character by character: the first (the family name) is kept, and the last when there are
///   three or more; each character between becomes `*` (`陈小明` → `陈*明`, `欧阳小明` →
///   `欧**明`, `陈明` → `陈*`, `陈` → `陈*`).
/// - Any other name keeps the first character of each word, then `**` whatever the word's
///   length (`Chan Tai Man` → `C** T** M**`, `陈 Chan` → `陈** C**`).
///
/// A combining mark or variation selector stays with its character (`E`+U+0301`mile` →
/// `E`+U+0301`**`). An empty or blank name gives an empty string.
pub fn mask_name(name: &str) -> String {
    let chinese: String = name.chars().filter(|c| !c.is_whitespace() && !matches!(c, '·' | '・')).collect();
    let chars = clusters(&chinese);
    if !chars.is_empty() && chars.iter().all(|c| c.chars().next().is_some_and(is_cjk)) {
        return match chars.as_slice() {
            [first] | [first, _] => format!("{first}*"),
            [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
            [] => String::new(),
        };
    }
    name.split_whitespace()
        .filter_map(|word| clusters(word).into_iter().next())
        .map(|first| format!("{first}**"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names and their masks, by script; the i18n crate's tests hold the same table.
    const TABLE: &[(&str, &str)] = &[
        ("Chan Tai Man", "C** T** M**"),
        ("João Silva", "J** S**"),
        ("  Chan   Tai ", "C** T**"),
        ("陈小明", "陈*明"),
        ("陳大文", "陳*文"),
        ("陈明", "陈*"),
        ("陈", "陈*"),
        ("欧阳小明", "欧**明"),
        ("欧阳 小明", "欧**明"),
        ("爱新觉罗·溥仪", "爱****仪"),
        ("𠮷田太郎", "𠮷**郎"),
        ("김민준", "김*준"),
        ("やまだたろう", "や****う"),
        ("陈Chan", "陈**"),
        ("陈小明 Chan", "陈** C**"),
        ("E\u{301}mile Zola", "E\u{301}** Z**"),
        ("\u{8FBB}\u{E0100}\u{4E00}\u{90CE}", "\u{8FBB}\u{E0100}*\u{90CE}"),
        ("陈小\u{660E}\u{FE00}", "陈*\u{660E}\u{FE00}"),
        ("", ""),
        ("  ", ""),
    ];

    #[test]
    fn names_are_masked_by_their_script_without_revealing_their_length() {
        for (name, masked) in TABLE {
            assert_eq!(mask_name(name), *masked, "{name:?}");
        }
    }

    #[test]
    fn a_lone_mark_is_a_character_of_its_own() {
        assert_eq!(clusters("\u{301}a\u{301}"), ["\u{301}", "a\u{301}"]);
        assert_eq!(mask_name("\u{301}x"), "\u{301}**");
    }
}
