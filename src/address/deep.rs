//! Deep names (China's villages): looked up in the deep table for every
//! substring of the text that ends in a character some deep name ends in,
//! and read only inside a unit a reading already named, or at the start of
//! the text, or when nothing else matched.

use crate::address::dictionary::{Deep, Entry};
use crate::address::read::{ADJACENT, Node, Score};
use crate::address::resolver::AddressResolver;
use crate::model::hierarchy::NONE;

/// Longest deep name or form looked up, in characters.
const MAX_DEEP_CHARS: usize = 24;

/// How many of the best readings are extended by a deep name.
const DEEP_SCOPES: usize = 256;

/// The deep names in `text` from `first` on: `(start, end, name)`, by end.
fn deep_names(deep: &Deep, text: &str, first: u32) -> Vec<(u32, u32, u32)> {
    // Every substring ending in a character a deep name ends in.
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let mut found: Vec<(u32, u32, u32)> = Vec::new();
    for (k, (i, c)) in text.char_indices().enumerate() {
        if (i as u32) < first || deep.last.binary_search(&c).is_err() {
            continue;
        }
        let end = i + c.len_utf8();
        for &a in bounds[k.saturating_sub(MAX_DEEP_CHARS - 1)..=k].iter() {
            if let Some(name) = text.get(a..end).and_then(|s| deep.find(s)) {
                found.push((a as u32, end as u32, name));
            }
        }
    }
    found
}

/// The best readings among `nodes`, best first, at most [`DEEP_SCOPES`]
/// of them. Not only the best of each unit: a weaker reading of a unit
/// that ends earlier may be the one a deep name after it extends
/// (Ashford, Oakwood, …, Ashford: the parish follows the first Ashford).
fn scopes(nodes: &[Node]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..nodes.len() as u32).collect();
    order.sort_by(|&x, &y| nodes[y as usize].score.cmp(&nodes[x as usize].score));
    order.truncate(DEEP_SCOPES);
    order
}

impl AddressResolver<'_> {
    /// Extends the best readings by a deep name after them, inside them;
    /// with no reading at all, lets a deep name stand alone.
    pub(super) fn extend_deep(&self, deep: &Deep, text: &str, first: u32, nodes: &mut Vec<Node>) {
        let h = self.hierarchy();
        let found = deep_names(deep, text, first);
        if found.is_empty() {
            return;
        }
        let ends: Vec<u32> = nodes.iter().map(|n| n.end).collect();
        let adjacent = |prev: u32, a: u32| {
            if prev == NONE {
                a == first
            } else {
                ends[prev as usize] >= self.lead(text, a as usize) as u32
            }
        };
        let node = |unit: u32, a: u32, b: u32, name: u32, e: &Entry, base: Score, prev: u32| Node {
            unit,
            sub_end: h.end[unit as usize],
            start: a,
            end: b,
            score: base.add(
                deep.chars[name as usize] as u32,
                e.quality() + ADJACENT * adjacent(prev, a) as i32,
            ),
            prev,
            via: e.via(),
            old: e.old(),
        };
        // A deep name stands alone at the start of the text (兰城村…, like
        // a minor short form), or anywhere when nothing else matched.
        let alone = nodes.is_empty();
        let starts = nodes.len();
        for &(a, b, name) in &found {
            if alone || a == first {
                for e in deep.entries(name) {
                    nodes.push(node(e.unit, a, b, name, e, Score::ZERO, NONE));
                }
            }
        }
        if alone {
            return;
        }
        for n in scopes(&nodes[..starts]) {
            let p = nodes[n as usize];
            for &(a, b, name) in &found {
                if a < p.end {
                    continue;
                }
                let es = deep.entries(name);
                let lo = es.partition_point(|e| e.unit <= p.unit);
                let hi = es.partition_point(|e| e.unit < p.sub_end);
                for e in &es[lo..hi.max(lo)] {
                    nodes.push(node(e.unit, a, b, name, e, p.score, n));
                }
            }
        }
    }
}
