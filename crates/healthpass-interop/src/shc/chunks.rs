//! A SMART Health Card's QR text: one `shc:/DIGITS` code, or a card split over several QR codes
//! `shc:/C/N/DIGITS` (chunk C of N; deprecated by the specification but still printed). Each
//! chunk's digits are numeric-mode text (two digits a character, its code minus 45), so the
//! digits of the chunks in order are the digits of the whole card.
//!
//! Hand-written: no maintained crate reads the SHC numeric mode or its chunks, and the rules
//! are a few lines of the specification ("Encoding Chunks as QR codes").

use super::{SHC_PREFIX, err};
use healthpass::{Error, Limits, Result};

/// Most chunks one card may be split into.
pub const MAX_CHUNKS: usize = 16;

const MISSING: &str = "a chunk is missing";
const REPEATED: &str = "a chunk is repeated";
const DISAGREE: &str = "the chunks disagree on their count";
const BAD_INDEX: &str = "bad chunk index";
const BAD_COUNT: &str = "bad chunk count";

/// One text's place in its card: (chunk index from 1, chunk count) and its digits. A chunk is
/// one QR code, so no longer than `limits.max_text_len`; an unsplit text may be a whole card
/// joined from its chunks ([`join_chunks`]), so as long as [`MAX_CHUNKS`] of them.
fn parse<'t>(text: &'t str, limits: &Limits) -> Result<(usize, usize, &'t str)> {
    let whole_card = Limits { max_text_len: limits.max_text_len.saturating_mul(MAX_CHUNKS), ..*limits };
    let rest = healthpass::transport::strip_prefix(text, SHC_PREFIX, &whole_card)?;
    let mut fields = rest.split('/');
    match (fields.next(), fields.next(), fields.next(), fields.next()) {
        (Some(digits), None, None, None) => Ok((1, 1, digits)),
        (Some(_), Some(_), Some(_), None) if text.len() > limits.max_text_len => {
            Err(Error::TooLarge { what: "code text", limit: limits.max_text_len })
        }
        (Some(index), Some(total), Some(digits), None) => {
            // Digits only: `usize::from_str` would also take a leading `+`.
            let number = |s: &str| {
                s.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| s.parse::<usize>().ok())
                    .flatten()
                    .filter(|n| (1..=MAX_CHUNKS).contains(n))
            };
            let index = number(index).ok_or_else(|| err("chunks", BAD_INDEX))?;
            let total = number(total).ok_or_else(|| err("chunks", BAD_COUNT))?;
            Ok((index, total, digits))
        }
        _ => Err(err("chunks", "expected shc:/DIGITS or shc:/C/N/DIGITS")),
    }
}

/// The chunks' digits in order, every chunk present once.
fn ordered<'t, S: AsRef<str>>(texts: &'t [S], limits: &Limits) -> Result<Vec<&'t str>> {
    if texts.len() > MAX_CHUNKS {
        return Err(Error::TooLarge { what: "SHC chunks", limit: MAX_CHUNKS });
    }
    let mut parts: Vec<Option<&str>> = Vec::new();
    for text in texts {
        let (index, total, digits) = parse(text.as_ref(), limits)?;
        if parts.is_empty() {
            parts = vec![None; total];
        }
        if parts.len() != total || index > total {
            return Err(err("chunks", DISAGREE));
        }
        let slot = parts.get_mut(index - 1).ok_or_else(|| err("chunks", BAD_INDEX))?;
        if slot.is_some() {
            return Err(err("chunks", REPEATED));
        }
        *slot = Some(digits);
    }
    let digits: Vec<&str> =
        parts.into_iter().map(|part| part.ok_or_else(|| err("chunks", MISSING))).collect::<Result<_>>()?;
    if digits.iter().all(|d| d.is_empty()) {
        return Err(err("chunks", "no code"));
    }
    Ok(digits)
}

/// Joins numeric QR texts into the compact JWS: one `shc:/…` text, or every chunk
/// `shc:/C/N/…` of a split card in any order. A chunk may be `limits.max_text_len` long (one QR
/// code), one unsplit text [`MAX_CHUNKS`] times that (a card [`join_chunks`] joined).
///
/// # Errors
/// [`Error::Prefix`], and [`Error::Foreign`] for malformed digits or an incomplete, repeated or
/// inconsistent set of chunks ([`chunk_refusal_code`] names which).
pub fn assemble<S: AsRef<str>>(texts: &[S], limits: &Limits) -> Result<String> {
    let mut jws = String::new();
    for digits in ordered(texts, limits)? {
        jws.push_str(&numeric_to_text(digits)?);
    }
    Ok(jws)
}

/// Joins the chunks of a split card (in any order) into the one QR text `shc:/DIGITS` the card
/// would have had unsplit, which [`assemble`] and the verifier read as they read the chunks.
/// One unsplit text comes back as it is. Nothing is verified.
///
/// # Errors
/// As [`assemble`].
pub fn join_chunks<S: AsRef<str>>(texts: &[S], limits: &Limits) -> Result<String> {
    let digits = ordered(texts, limits)?;
    let mut whole = String::from(SHC_PREFIX);
    for part in digits {
        numeric_to_text(part)?;
        whole.push_str(part);
    }
    Ok(whole)
}

/// A text's place in a split card, `(chunk, count)`, when it is a chunk `shc:/C/N/…` (with
/// well-formed numbers); `None` for any other text, an unsplit card included.
pub fn chunk_position(text: &str) -> Option<(usize, usize)> {
    match parse(text, &Limits::DEFAULT) {
        Ok((index, total, _)) if text.get(SHC_PREFIX.len()..).is_some_and(|rest| rest.contains('/')) => {
            Some((index, total))
        }
        _ => None,
    }
}

/// Sorts the chunks found among several texts (the codes of one image, of several images, of
/// standard input's lines) into cards, each a list of positions in `texts`, in the order their
/// first chunk appears. Texts that are not chunks are left out.
///
/// A chunk joins the first card of the same count that lacks its index; a chunk exactly equal to
/// one a card already holds joins that card (a duplicate, which [`assemble`] then refuses as
/// repeated) rather than starting a second card. Nothing is decoded or verified.
pub fn group_chunks<S: AsRef<str>>(texts: &[S]) -> Vec<Vec<usize>> {
    let mut cards: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    for (at, text) in texts.iter().enumerate() {
        let Some((index, total)) = chunk_position(text.as_ref()) else { continue };
        let same =
            |held: &[(usize, usize)]| held.iter().any(|&(_, i)| texts.get(i).map(AsRef::as_ref) == Some(text.as_ref()));
        let card = cards.iter().position(|(count, held)| *count == total && same(held)).or_else(|| {
            cards.iter().position(|(count, held)| *count == total && held.iter().all(|&(c, _)| c != index))
        });
        match card.and_then(|c| cards.get_mut(c)) {
            Some((_, held)) => held.push((index, at)),
            None => cards.push((total, vec![(index, at)])),
        }
    }
    cards.into_iter().map(|(_, held)| held.into_iter().map(|(_, at)| at).collect()).collect()
}

/// The stable refusal code of a chunk error of [`assemble`] or [`join_chunks`]:
/// `shc_chunk_missing`, `shc_chunk_repeated`, `shc_chunks_inconsistent` (counts that disagree,
/// an index past the count, a malformed index or count); `None` for any other error.
pub fn chunk_refusal_code(error: &Error) -> Option<&'static str> {
    match error {
        Error::Foreign { format: "SHC", step: "chunks", detail } => match detail.as_str() {
            MISSING => Some("shc_chunk_missing"),
            REPEATED => Some("shc_chunk_repeated"),
            DISAGREE | BAD_INDEX | BAD_COUNT => Some("shc_chunks_inconsistent"),
            _ => None,
        },
        _ => None,
    }
}

/// Numeric mode: each pair of digits is a character's code minus 45.
pub(super) fn numeric_to_text(digits: &str) -> Result<String> {
    let bytes = digits.as_bytes();
    if bytes.len() % 2 != 0 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(err("numeric", "not an even number of digits"));
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [a, b] => {
                let value = (a - b'0') * 10 + (b - b'0');
                if value > 77 { Err(err("numeric", "a digit pair is above 77")) } else { Ok(char::from(value + 45)) }
            }
            _ => Err(err("numeric", "odd digit")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The step and detail of an SHC format error, or a description of any other outcome.
    fn shc_fault<T: std::fmt::Debug>(result: Result<T>) -> (String, String) {
        match result {
            Err(Error::Foreign { format: "SHC", step, detail }) => (step.to_owned(), detail),
            other => (format!("{other:?}"), String::new()),
        }
    }

    fn numeric(detail: &str) -> (String, String) {
        ("numeric".to_owned(), detail.to_owned())
    }

    fn chunks(detail: &str) -> (String, String) {
        ("chunks".to_owned(), detail.to_owned())
    }

    #[test]
    fn numeric_mode_round_trip_and_faults() {
        assert_eq!(numeric_to_text("5676").unwrap(), "ey");
        assert_eq!(shc_fault(numeric_to_text("567")), numeric("not an even number of digits"));
        assert_eq!(shc_fault(numeric_to_text("78")), numeric("a digit pair is above 77"));
        assert_eq!(shc_fault(numeric_to_text("5a")), numeric("not an even number of digits"));
        assert_eq!(numeric_to_text("77").unwrap(), "z", "77 is the highest pair");
    }

    #[test]
    fn chunks_must_be_complete_and_consistent() {
        let l = Limits::DEFAULT;
        assert_eq!(assemble(&["shc:/2/2/5676", "shc:/1/2/5676"], &l).unwrap(), "eyey");
        assert_eq!(shc_fault(assemble(&["shc:/1/2/5676"], &l)), chunks("a chunk is missing"));
        assert_eq!(shc_fault(assemble(&["shc:/1/2/5676", "shc:/1/2/5676"], &l)), chunks("a chunk is repeated"));
        assert_eq!(
            shc_fault(assemble(&["shc:/1/2/5676", "shc:/2/3/5676"], &l)),
            chunks("the chunks disagree on their count")
        );
        assert_eq!(shc_fault(assemble(&["shc:/0/2/5676"], &l)), chunks("bad chunk index"));
        assert_eq!(
            shc_fault(assemble(&["shc:/+2/2/5676", "shc:/1/2/5676"], &l)),
            chunks("bad chunk index"),
            "a sign is not a digit"
        );
        assert_eq!(shc_fault(assemble(&["shc:/1/+1/5676"], &l)), chunks("bad chunk count"));
        assert_eq!(
            shc_fault(assemble(&["shc:/3/2/5676", "shc:/1/2/5676"], &l)),
            chunks("the chunks disagree on their count")
        );
        assert_eq!(shc_fault(assemble(&["shc:/1/17/56"], &l)), chunks("bad chunk count"), "at most 16 chunks");
        assert_eq!(shc_fault(assemble::<&str>(&[], &l)), chunks("no code"));
        let seventeen = vec!["shc:/56"; MAX_CHUNKS + 1];
        assert_eq!(assemble(&seventeen, &l).unwrap_err().code(), "too_large");
        assert_eq!(assemble(&["SHC:/56"], &l).unwrap_err().code(), "prefix");
    }

    #[test]
    fn joined_chunks_are_the_unsplit_text() {
        let l = Limits::DEFAULT;
        assert_eq!(join_chunks(&["shc:/2/2/7677", "shc:/1/2/5676"], &l).unwrap(), "shc:/56767677");
        assert_eq!(join_chunks(&["shc:/5676"], &l).unwrap(), "shc:/5676");
        assert_eq!(
            assemble(&["shc:/56767677"], &l).unwrap(),
            assemble(&["shc:/1/2/5676", "shc:/2/2/7677"], &l).unwrap()
        );
        assert_eq!(shc_fault(join_chunks(&["shc:/1/2/5676", "shc:/2/2/78"], &l)), numeric("a digit pair is above 77"));
        let code = |texts: &[&str]| chunk_refusal_code(&join_chunks(texts, &l).unwrap_err());
        assert_eq!(code(&["shc:/1/3/56", "shc:/3/3/56"]), Some("shc_chunk_missing"));
        assert_eq!(code(&["shc:/1/2/56", "shc:/1/2/56"]), Some("shc_chunk_repeated"));
        assert_eq!(code(&["shc:/1/2/56", "shc:/2/3/56"]), Some("shc_chunks_inconsistent"));
        assert_eq!(code(&["shc:/0/2/56"]), Some("shc_chunks_inconsistent"));
        assert_eq!(code(&["shc:/1/1/5"]), None, "a digit fault is not a chunk fault");
    }

    #[test]
    fn chunks_are_sorted_into_cards() {
        assert_eq!(chunk_position("shc:/2/3/56"), Some((2, 3)));
        assert_eq!(chunk_position("shc:/56"), None, "an unsplit card is no chunk");
        assert_eq!(chunk_position("HP1:2/3/56"), None);
        assert_eq!(chunk_position("shc:/4/3/56"), Some((4, 3)), "the count is checked when joining");
        // Two cards of two chunks, interleaved, with other codes between: two cards.
        let texts = ["shc:/1/2/10", "HP1:X", "shc:/1/2/20", "shc:/2/2/11", "shc:/56", "shc:/2/2/21"];
        assert_eq!(group_chunks(&texts), vec![vec![0, 3], vec![2, 5]]);
        // The same chunk scanned twice stays in its card, to be refused as repeated.
        let texts = ["shc:/1/2/10", "shc:/1/2/10", "shc:/2/2/11"];
        assert_eq!(group_chunks(&texts), vec![vec![0, 1, 2]]);
        // Different counts are different cards.
        assert_eq!(group_chunks(&["shc:/1/2/10", "shc:/1/3/10"]), vec![vec![0], vec![1]]);
        assert!(group_chunks::<&str>(&[]).is_empty());
    }

    #[test]
    fn a_joined_card_may_be_longer_than_one_qr_code_but_a_chunk_may_not() {
        let l = Limits::DEFAULT;
        let part = "56".repeat(l.max_text_len / 2 - 8);
        let chunks: Vec<String> = (1..=3).map(|i| format!("shc:/{i}/3/{part}")).collect();
        let whole = join_chunks(&chunks, &l).unwrap();
        assert!(whole.len() > l.max_text_len);
        assert_eq!(assemble(&[whole], &l).unwrap(), assemble(&chunks, &l).unwrap());
        let long_chunk = format!("shc:/1/1/{}", "56".repeat(l.max_text_len / 2));
        assert_eq!(assemble(&[long_chunk], &l).unwrap_err().code(), "too_large", "a chunk is one QR code");
        let too_long = format!("shc:/{}", "56".repeat(l.max_text_len * MAX_CHUNKS / 2));
        assert_eq!(assemble(&[too_long], &l).unwrap_err().code(), "too_large", "no card is longer than 16 codes");
    }
}
