//! The decision: the best reading, or the tie, made into a [`Resolution`]
//! with its outcome, chain, spans, candidates and remainder.

use std::ops::Range;

use crate::address::dictionary::Via;
use crate::address::read::{Node, Score, skip_separators};
use crate::address::resolver::AddressResolver;
use crate::address::types::{Candidate, Form, Outcome, Resolution, Span};
use crate::model::hierarchy::NONE;
use crate::model::unit::Unit;

/// The best node, and whether the reading of another unit scores as well.
fn best(nodes: &[Node]) -> Option<(Score, u32, bool)> {
    let mut best: Option<(Score, u32)> = None;
    let mut tie = false;
    for (i, x) in nodes.iter().enumerate() {
        match best {
            Some((s, b)) if x.score < s || (x.score == s && nodes[b as usize].unit == x.unit) => {}
            Some((s, _)) if x.score == s => tie = true,
            _ => {
                best = Some((x.score, i as u32));
                tie = false;
            }
        }
    }
    best.map(|(s, n)| (s, n, tie))
}

/// The remainder after a reading that ends at `end`: the rest of the text,
/// less leading separators.
fn rest_from(text: &str, end: u32) -> Range<usize> {
    skip_separators(text, end as usize)..text.len()
}

impl<'h> AddressResolver<'h> {
    fn spans<'t>(&self, text: &'t str, nodes: &[Node], mut n: u32) -> Vec<Span<'t>>
    where
        'h: 't,
    {
        let mut out = Vec::new();
        while n != NONE {
            let x = &nodes[n as usize];
            let range = x.start as usize..x.end as usize;
            out.push(Span {
                text: text.get(range.clone()).unwrap_or(""),
                range,
                unit: self.unit(x.unit),
                form: match x.via {
                    Via::Full | Via::Generic => Form::Full,
                    Via::Tail | Via::Major | Via::Minor => Form::Short,
                    Via::OldFull | Via::OldShort => Form::Old {
                        index: x.old as usize,
                    },
                },
            });
            n = x.prev;
        }
        out.reverse();
        out
    }

    /// The chain of the reading ending at node `n`: its units and the
    /// levels it skipped, top-down, without the root.
    fn chain<'t>(&self, nodes: &[Node], mut n: u32) -> Vec<Unit<'t>>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let mut out = Vec::with_capacity(6);
        while n != NONE {
            let x = &nodes[n as usize];
            let above = if x.prev == NONE {
                0
            } else {
                nodes[x.prev as usize].unit
            };
            // Walk up to the unit matched before (the root for the first).
            let mut u = x.unit;
            while u != above && u != NONE && h.parent[u as usize] != NONE {
                out.push(self.unit(u));
                u = h.parent[u as usize];
            }
            n = x.prev;
        }
        out.reverse();
        out
    }

    /// The unit and its ancestors, top-down, without the root.
    fn path<'t>(&self, unit: u32) -> Vec<Unit<'t>>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let mut out = Vec::new();
        let mut u = unit;
        while u != NONE && h.parent[u as usize] != NONE {
            out.push(self.unit(u));
            u = h.parent[u as usize];
        }
        out.reverse();
        out
    }

    /// The resolution the readings in `nodes` make.
    pub(super) fn finish<'t>(&self, text: &'t str, nodes: &[Node]) -> Resolution<'t>
    where
        'h: 't,
    {
        match best(nodes) {
            None => Resolution {
                text,
                outcome: Outcome::NotFound,
                chain: Vec::new(),
                spans: Vec::new(),
                rest: 0..text.len(),
            },
            Some((_, n, false)) => Resolution {
                text,
                outcome: Outcome::Resolved(self.unit(nodes[n as usize].unit)),
                chain: self.chain(nodes, n),
                spans: self.spans(text, nodes, n),
                rest: rest_from(text, nodes[n as usize].end),
            },
            Some((best, _, true)) => self.ambiguous(text, nodes, best),
        }
    }

    /// The resolution of a tie for the `best` score: every unit whose
    /// reading covers as many characters, the tied ones' shared spans and
    /// the chain of their lowest common ancestor.
    fn ambiguous<'t>(&self, text: &'t str, nodes: &[Node], best: Score) -> Resolution<'t>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        // The best reading of each unit that covers as much as the best.
        let mut top: Vec<u32> = (0..nodes.len() as u32)
            .filter(|&n| nodes[n as usize].score.chars() == best.chars())
            .collect();
        top.sort_unstable_by(|&x, &y| {
            let (x, y) = (&nodes[x as usize], &nodes[y as usize]);
            x.unit.cmp(&y.unit).then(y.score.cmp(&x.score))
        });
        top.dedup_by_key(|n| nodes[*n as usize].unit);
        top.sort_by(|&x, &y| {
            let (x, y) = (&nodes[x as usize], &nodes[y as usize]);
            y.score
                .cmp(&x.score)
                .then(h.depth[x.unit as usize].cmp(&h.depth[y.unit as usize]))
                .then(x.unit.cmp(&y.unit))
        });
        let tied = top
            .iter()
            .take_while(|&&n| nodes[n as usize].score == best)
            .count();
        let candidates: Vec<Candidate<'t>> = top
            .iter()
            .map(|&n| Candidate {
                unit: self.unit(nodes[n as usize].unit),
                chars: nodes[n as usize].score.chars() as usize,
                quality: nodes[n as usize].score.quality(),
                spans: self.spans(text, nodes, n),
            })
            .collect();
        let tied_c = &candidates[..tied];
        let lca = tied_c
            .iter()
            .map(|c| c.unit.id)
            .reduce(|a, b| h.lca_raw(a, b))
            .unwrap_or(0);
        let spans: Vec<Span<'t>> = tied_c[0]
            .spans
            .iter()
            .filter(|s| tied_c.iter().all(|c| c.spans.contains(s)))
            .cloned()
            .collect();
        let end = top[..tied]
            .iter()
            .map(|&n| nodes[n as usize].end)
            .max()
            .unwrap_or(0);
        Resolution {
            text,
            outcome: Outcome::Ambiguous(candidates),
            chain: self.path(lca),
            spans,
            rest: rest_from(text, end),
        }
    }
}
