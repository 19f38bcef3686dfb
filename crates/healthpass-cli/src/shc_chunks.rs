//! SMART Health Cards split over several QR codes (`shc:/C/N/…`): the chunks found among the
//! inputs (arguments, standard input's lines, the codes of one image or of several) are joined
//! into one card before anything is decided or printed. Which chunk belongs to which card, and
//! the joining, are the interop crate's (`healthpass_interop::shc::{group_chunks, join_chunks}`);
//! this module only puts the cards back among the inputs.
//!
//! A card keeps the source of its first chunk. A card with a chunk missing, repeated, or with
//! counts that disagree is a refused verdict with a stable code (`shc_chunk_missing`,
//! `shc_chunk_repeated`, `shc_chunks_inconsistent`).

use std::collections::{BTreeMap, BTreeSet};

use healthpass::Limits;
use healthpass::decide::Finding;
use healthpass_interop::shc;

use crate::inputs::Item;
use crate::report::Report;

/// The items with every split card's chunks replaced, at its first chunk's place, by one item:
/// the whole card's text (`shc:/DIGITS`), or a refusal saying which chunk is wrong.
pub(crate) fn reassemble(items: Vec<Item>) -> Vec<Item> {
    let texts: Vec<&str> = items
        .iter()
        .map(|item| match item {
            Item::Text(_, text) => text.as_str(),
            Item::Done(_) => "",
        })
        .collect();
    let mut joined: BTreeMap<usize, Item> = BTreeMap::new();
    let mut absorbed: BTreeSet<usize> = BTreeSet::new();
    for card in shc::group_chunks(&texts) {
        let (Some(&first), Some(Item::Text(source, _))) = (card.first(), card.first().and_then(|&i| items.get(i)))
        else {
            continue;
        };
        let chunks: Vec<&str> = card.iter().filter_map(|&i| texts.get(i).copied()).collect();
        let item = match shc::join_chunks(&chunks, &Limits::DEFAULT) {
            Ok(whole) => Item::Text(source.clone(), whole),
            Err(e) => {
                let code = shc::chunk_refusal_code(&e).unwrap_or(e.code());
                let text = chunks.first().copied().unwrap_or_default();
                Item::Done(Report::refused(source.clone(), text, vec![Finding::new(code, e.to_string())]))
            }
        };
        joined.insert(first, item);
        absorbed.extend(card.iter().skip(1));
    }
    if joined.is_empty() {
        return items;
    }
    items
        .into_iter()
        .enumerate()
        .filter_map(|(at, item)| match joined.remove(&at) {
            Some(card) => Some(card),
            None => (!absorbed.contains(&at)).then_some(item),
        })
        .collect()
}
