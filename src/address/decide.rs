//! The decision: the best reading, or the tie, made into a [`Resolution`]
//! with its outcome, chain, spans, candidates and remainder.

use std::ops::Range;

use crate::address::dictionary::{Entry, Via};
use crate::address::read::{Explicit, Node, Score, skip_separators};
use crate::address::resolver::AddressResolver;
use crate::address::types::{Candidate, Form, Outcome, Resolution, Span};
use crate::model::hierarchy::NONE;
use crate::model::schema::Role;
use crate::model::unit::Unit;

/// The most tied readings [`AddressResolver::beside_all`] checks.
const MAX_BESIDE: usize = 8;

/// Whether every byte of `start..end` lies in one of the `spans`
/// (disjoint, in reverse text order).
fn covered_by(spans: &[(u32, u32, bool)], start: u32, end: u32) -> bool {
    let mut at = start;
    for &(a, b, _) in spans.iter().rev() {
        if a <= at && at < b {
            at = b;
        }
    }
    at >= end
}

/// Whether `a` governs `b`, or a unit above it, by a secondary relation
/// (the Corps an XPCC city, or a township of one), and is not above it in
/// the tree.
fn co_governs(h: &crate::Hierarchy, a: u32, b: u32) -> bool {
    !h.contains_raw(a, b) && h.secondary_from(a).iter().any(|s| h.contains_raw(s.to, b))
}

/// The best node, and whether the reading of another unit scores as well.
fn best(nodes: &[Node]) -> Option<(Score, u32, bool)> {
    let mut best: Option<(Score, u32)> = None;
    let mut tie = false;
    for (i, x) in nodes.iter().enumerate() {
        if x.generic_alone() {
            continue;
        }
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
    /// The span node `x` reads.
    fn span<'t>(&self, text: &'t str, x: &Node) -> Span<'t>
    where
        'h: 't,
    {
        let range = x.start as usize..x.end as usize;
        Span {
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
        }
    }

    fn spans<'t>(&self, text: &'t str, nodes: &[Node], mut n: u32) -> Vec<Span<'t>>
    where
        'h: 't,
    {
        let mut out = Vec::with_capacity(6);
        while n != NONE {
            let x = &nodes[n as usize];
            out.push(self.span(text, x));
            n = x.prev;
        }
        out.reverse();
        out
    }

    /// The resolution of the one reading `nodes`, top-down, the best beyond
    /// doubt and contradicting no name written in full (see
    /// [`single_chain`](Self::single_chain)): what [`finish`](Self::finish)
    /// makes of it, without looking for a better reading or a name it
    /// leaves out.
    pub(super) fn chained<'t>(&self, text: &'t str, nodes: &[Node]) -> Resolution<'t>
    where
        'h: 't,
    {
        let Some(last) = nodes.last() else {
            return self.finish(text, nodes, &[]);
        };
        let spans = nodes.iter().map(|x| self.span(text, x)).collect();
        self.resolved_to(text, last.unit, spans, last.end)
    }

    /// `text` resolved to `unit` by a reading with `spans`, which ends at
    /// byte `end`.
    #[inline]
    fn resolved_to<'t>(
        &self,
        text: &'t str,
        unit: u32,
        spans: Vec<Span<'t>>,
        end: u32,
    ) -> Resolution<'t>
    where
        'h: 't,
    {
        Resolution {
            text,
            outcome: Outcome::Resolved(self.unit(unit)),
            chain: self.path(unit),
            spans,
            rest: rest_from(text, end),
            secondary: Vec::new(),
            read: text.len(),
        }
    }

    /// The unit and its ancestors, top-down, without the root: the chain of
    /// any reading that ends with the unit (a reading goes on only inside
    /// the unit it read last).
    fn path<'t>(&self, unit: u32) -> Vec<Unit<'t>>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        // As many as its depth, filled from the bottom up.
        let mut out = vec![self.unit(unit); h.depth[unit as usize] as usize];
        let mut u = unit;
        for slot in out.iter_mut().rev() {
            *slot = self.unit(u);
            u = h.parent[u as usize];
        }
        out
    }

    /// The resolution the readings in `nodes` make, checked against the
    /// names the text writes in full.
    #[inline(never)]
    pub(super) fn finish<'t>(
        &self,
        text: &'t str,
        nodes: &[Node],
        explicit: &[Explicit],
    ) -> Resolution<'t>
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
                secondary: Vec::new(),
                read: text.len(),
            },
            Some((_, n, false)) => self.resolved(text, nodes, n, explicit),
            Some((best, _, true)) => self
                .beside_all(text, nodes, best, explicit)
                .unwrap_or_else(|| self.ambiguous(text, nodes, best)),
        }
    }

    /// A tie of readings that all leave out one unit written in full
    /// beside their zone (垦利区 before 经济开发区直属乡镇, a name two zones
    /// of 东营 use): that unit, with every tied reading as a secondary one.
    fn beside_all<'t>(
        &self,
        text: &'t str,
        nodes: &[Node],
        best: Score,
        explicit: &[Explicit],
    ) -> Option<Resolution<'t>>
    where
        'h: 't,
    {
        let mut tied: Vec<u32> = (0..nodes.len() as u32)
            .filter(|&k| nodes[k as usize].score == best && !nodes[k as usize].generic_alone())
            .collect();
        tied.sort_unstable_by_key(|&k| (nodes[k as usize].unit, k));
        tied.dedup_by_key(|k| nodes[*k as usize].unit);
        // Each one is checked against the names written: a few, not the
        // hundreds a text of one repeated name ties (城关镇 ×88).
        if tied.len() > MAX_BESIDE {
            return None;
        }
        let mut out: Option<Resolution<'t>> = None;
        for k in tied {
            let r = self.resolved(text, nodes, k, explicit);
            match (&mut out, r.outcome()) {
                (_, Outcome::Resolved(_)) if r.secondary.is_empty() => return None,
                (None, Outcome::Resolved(_)) => out = Some(r),
                (Some(o), Outcome::Resolved(u)) if o.unit() == Some(*u) => {
                    o.secondary.extend(r.secondary);
                }
                _ => return None,
            }
        }
        out
    }

    /// Whether entry `e` counts as written in full against an answer
    /// `unit`: a full name, or a generic name (城中区) of a unit whose
    /// parent is the answer or above it (柳州市城中区马山镇 names 柳州's
    /// 城中区, which the answer 马山镇 of 柳城县 leaves out).
    fn written(&self, e: &Entry, unit: u32) -> bool {
        let h = self.hierarchy();
        match e.via() {
            Via::Full => true,
            Via::Generic => {
                let p = h.parent[e.unit as usize];
                p != NONE && p != 0 && h.contains_raw(p, unit)
            }
            _ => false,
        }
    }

    /// The reading ending at node `n` as a candidate.
    /// What readings that disagree share: their units' lowest common
    /// ancestor, and the spans every one of them has (in the first's order).
    fn common<'t>(&self, readings: &[Candidate<'t>]) -> (u32, Vec<Span<'t>>) {
        let h = self.hierarchy();
        let lca = readings
            .iter()
            .map(|c| c.unit.id)
            .reduce(|a, b| h.lca_raw(a, b))
            .unwrap_or(0);
        let spans = readings.first().map_or_else(Vec::new, |first| {
            first
                .spans
                .iter()
                .filter(|s| readings.iter().all(|c| c.spans.contains(s)))
                .cloned()
                .collect()
        });
        (lca, spans)
    }

    fn candidate<'t>(&self, text: &'t str, nodes: &[Node], n: u32) -> Candidate<'t>
    where
        'h: 't,
    {
        let x = &nodes[n as usize];
        Candidate {
            unit: self.unit(x.unit),
            chars: x.score.chars() as usize,
            quality: x.score.quality(),
            spans: self.spans(text, nodes, n),
        }
    }

    /// The best reading, ending at node `n`, unless it leaves out a unit
    /// the text writes in full: then a conflict, or, for a township the
    /// data files under a functional zone beside the county written, the
    /// county with the zone's reading as a secondary one.
    fn resolved<'t>(
        &self,
        text: &'t str,
        nodes: &[Node],
        n: u32,
        explicit: &[Explicit],
    ) -> Resolution<'t>
    where
        'h: 't,
    {
        let h = self.hierarchy();
        let unit = nodes[n as usize].unit;
        // The reading's spans, and whether each reads its words as a full
        // name: a name written in full that the reading takes as another
        // unit's short form is not read as written. (On the stack: a
        // reading has a node per level at most, and few hierarchies have
        // more than eight.)
        let mut stack = [(0u32, 0u32, false); 8];
        let mut heap: Vec<(u32, u32, bool)> = Vec::new();
        let mut len = 0;
        let mut k = n;
        while k != NONE {
            let x = &nodes[k as usize];
            let span = (x.start, x.end, matches!(x.via, Via::Full | Via::Generic));
            if len < stack.len() {
                stack[len] = span;
            } else {
                if heap.is_empty() {
                    heap.extend_from_slice(&stack);
                }
                heap.push(span);
            }
            len += 1;
            k = x.prev;
        }
        let read: &[(u32, u32, bool)] = if heap.is_empty() {
            &stack[..len]
        } else {
            &heap
        };
        let related =
            |u: u32| h.contains_raw(u, unit) || h.contains_raw(unit, u) || co_governs(h, u, unit);
        let contradicts = |x: &&Explicit| {
            // Read otherwise: its words lie in the reading's spans (阳新县
            // in 信阳新县) or share characters with a name the reading reads
            // in full (县开发区 in 滑县开发区银杏大街街道: the text cannot write
            // both), unless the reading takes exactly those words as a
            // short form (南山区 as 南山区街道's).
            let exact = read.iter().find(|&&(a, b, _)| a == x.start && b == x.end);
            let read_otherwise = match exact {
                Some(&(_, _, full)) => !full,
                None => {
                    !covered_by(read, x.start, x.end)
                        && !read
                            .iter()
                            .any(|&(a, b, full)| full && a < x.end && x.start < b)
                }
            };
            // Not when any unit the words name, in any form, is on the
            // reading's line (永兴 after 京山市永兴街道 is that 永兴街道's
            // short form, though also a township's full name elsewhere).
            let (a, b) = self.split(&x.pat);
            read_otherwise
                && !a.iter().chain(b).any(|e| related(e.unit))
                && a.iter().chain(b).any(|e| self.written(e, unit))
        };
        let plain = |this: &Self| {
            this.resolved_to(
                text,
                unit,
                this.spans(text, nodes, n),
                nodes[n as usize].end,
            )
        };
        if !explicit.iter().any(|x| contradicts(&x)) {
            return plain(self);
        }
        let contradicted: Vec<&Explicit> = explicit.iter().filter(contradicts).collect();
        // The best reading through each span written in full (one pass
        // over the readings: each one's chain, at most the depth).
        let mut through: std::collections::HashMap<(u32, u32), u32> =
            std::collections::HashMap::new();
        for (i, x) in nodes.iter().enumerate() {
            let mut k = i as u32;
            while k != NONE {
                let y = &nodes[k as usize];
                let slot = through.entry((y.start, y.end)).or_insert(i as u32);
                if nodes[*slot as usize].score < x.score {
                    *slot = i as u32;
                }
                k = y.prev;
            }
        }
        let mut others: Vec<(Candidate<'t>, Option<u32>)> = Vec::new();
        for x in &contradicted {
            match through.get(&(x.start, x.end)) {
                Some(&k) => others.push((self.candidate(text, nodes, k), Some(k))),
                None => {
                    let (full, rest) = self.split(&x.pat);
                    let range = x.start as usize..x.end as usize;
                    // Of the units the name denotes, those nearest the
                    // answer (海北镇 after 唐山市曹妃甸区: Tangshan's, in a zone
                    // beside 曹妃甸区, not Heilongjiang's): the writer named
                    // the units above.
                    let near = |e: &Entry| h.depth[h.lca_raw(e.unit, unit) as usize];
                    let written = || full.iter().chain(rest).filter(|e| self.written(e, unit));
                    let nearest = written().map(near).max().unwrap_or(0);
                    for e in written().filter(|e| near(e) == nearest) {
                        let c = Candidate {
                            unit: self.unit(e.unit),
                            chars: x.chars as usize,
                            quality: e.quality(),
                            spans: vec![Span {
                                text: text.get(range.clone()).unwrap_or(""),
                                range: range.clone(),
                                unit: self.unit(e.unit),
                                form: Form::Full,
                            }],
                        };
                        others.push((c, None));
                    }
                }
            }
        }
        let mut seen = std::collections::HashSet::from([unit]);
        others.retain(|(c, _)| seen.insert(c.unit.id) && !related(c.unit.id));
        // Of readings on one line, the deepest (浙江省, 杭州市 and 余杭区
        // written in full are one address).
        // (Units in pre-order: the first one after a unit lies inside it
        // if any does.)
        let mut ids: Vec<u32> = others.iter().map(|(c, _)| c.unit.id).collect();
        ids.sort_unstable();
        others.retain(|(c, _)| {
            let a = c.unit.id;
            let next = ids.partition_point(|&d| d <= a);
            ids.get(next).is_none_or(|&d| d >= h.end[a as usize])
        });
        if others.is_empty() {
            return plain(self);
        }
        // A unit that governs another by a secondary relation, beside it in
        // the text (新疆生产建设兵团第八师石河子市: the Corps and a city it
        // co-administers): one address, the unit governed with the
        // governing one's reading as a secondary one.
        if let [(other, k)] = &others[..]
            && co_governs(h, unit, other.unit.id)
        {
            return self.beside(text, nodes, n, other, *k);
        }
        // A township filed under a functional zone, beside the county
        // written in the zone's prefecture: the county is the answer.
        let zone = self
            .path(unit)
            .into_iter()
            .find(|u| u.kind().role() == Role::Functional);
        if let (Some(zone), [(county, k)]) = (zone, &others[..])
            && county.unit.parent() == zone.parent()
            && county.unit.level() == zone.level()
        {
            return self.beside(text, nodes, n, county, *k);
        }
        // The same the other way round: the best reading is the county
        // written, the name left out a township of the zone beside it.
        if let [(other, _)] = &others[..]
            && let Some(zone) = self
                .path(other.unit.id)
                .into_iter()
                .find(|u| u.kind().role() == Role::Functional)
            && zone.id != other.unit.id
            && self
                .path(unit)
                .into_iter()
                .any(|u| u.level() == zone.level() && u != zone && u.parent() == zone.parent())
        {
            let mut r = plain(self);
            r.secondary = others.into_iter().map(|(c, _)| c).collect();
            return r;
        }
        let mut all = vec![self.candidate(text, nodes, n)];
        all.extend(others.into_iter().map(|(c, _)| c));
        let (lca, spans) = self.common(&all);
        let end = nodes[n as usize].end;
        Resolution {
            text,
            outcome: Outcome::Conflict(all),
            chain: self.path(lca),
            spans,
            rest: rest_from(text, end),
            secondary: Vec::new(),
            read: text.len(),
        }
    }

    /// The resolution to `other`, a name the best reading (ending at node
    /// `n`) leaves out, through its best reading (ending at node `k`, if
    /// any), with the best reading as a secondary one.
    fn beside<'t>(
        &self,
        text: &'t str,
        nodes: &[Node],
        n: u32,
        other: &Candidate<'t>,
        k: Option<u32>,
    ) -> Resolution<'t>
    where
        'h: 't,
    {
        let (chain, end) = match k {
            Some(k) => (self.path(nodes[k as usize].unit), nodes[k as usize].end),
            None => (
                self.path(other.unit.id),
                other.spans.last().map_or(0, |s| s.range.end as u32),
            ),
        };
        // The spans of the best reading above the unit written and before
        // it (吉林省 长春市 in 吉林省长春市长春经济技术开发区朝阳区): the reading
        // through the unit written may have been left shorter, since a
        // reading that cannot cover the most characters is not made.
        let h = self.hierarchy();
        let from = other.spans.first().map_or(usize::MAX, |s| s.range.start);
        let u = other.unit.id;
        let mut spans: Vec<Span<'t>> = self
            .spans(text, nodes, n)
            .into_iter()
            .filter(|s| {
                let a = s.unit.id;
                s.range.end <= from
                    && a != u
                    && h.contains_raw(a, u)
                    && !other.spans.iter().any(|o| o.unit.id == a)
            })
            .collect();
        spans.extend(other.spans.iter().cloned());
        Resolution {
            text,
            outcome: Outcome::Resolved(other.unit),
            chain,
            spans,
            rest: rest_from(text, nodes[n as usize].end.max(end)),
            secondary: vec![self.candidate(text, nodes, n)],
            read: text.len(),
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
            .filter(|&n| {
                nodes[n as usize].score.chars() == best.chars()
                    && !nodes[n as usize].generic_alone()
            })
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
            .map(|&n| self.candidate(text, nodes, n))
            .collect();
        let (lca, spans) = self.common(&candidates[..tied]);
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
            secondary: Vec::new(),
            read: text.len(),
        }
    }
}
