//! Reading the text: the automaton's matches in one pass ([`Hit`]s, with
//! the longer names they lie in), and the readings through them, by dynamic
//! programming over the matches in the order of their ends ([`Node`]s,
//! scored by [`Score`]), on buffers kept per thread ([`Scratch`]).

use crate::address::dictionary::{Entry, Pat, Via, covered};
use crate::address::resolver::AddressResolver;

use crate::model::hierarchy::NONE;

/// Matches in a text past which those that made no reading are
/// remembered (a name repeated through a text: a short address has about
/// ten, and pays no hashing).
const MEMO_HITS: usize = 32;

/// Units a name denotes from which, in a text of more than [`MEMO_HITS`]
/// matches, its matches that made no reading are remembered: reading a
/// name of fewer units again costs less than the hashing.
const MEMO_UNITS: u32 = 4;

/// Quality lost by a match that ends inside a longer match of another name.
const SHADOW_PENALTY: i32 = 5;

/// Quality won by a match right after the one before it (only separators
/// between), or at the start of the text: names are written together.
pub(super) const ADJACENT: i32 = 1;

/// A match of the automaton: `text[start..end]` is pattern `pat`, `chars`
/// characters; `shadow` is the longest match that starts at or before it
/// and ends after it, `lead` where the separators before it begin (a
/// reading ending there or later is adjacent).
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    start: u32,
    end: u32,
    /// The index of the character after the match.
    to: u32,
    /// The pattern's units, read when the match is found (while the
    /// automaton goes on) rather than when the match is read.
    pat: Pat,
    chars: u32,
    lead: u32,
    shadow: u32,
    /// The next longer match from the same start, when no match starts
    /// between their ends ([`NONE`] otherwise): through it, a reading of
    /// a unit both name covers more and can go on the same ways.
    longer: u32,
    /// Whether the longer match covers every unit this one names (see
    /// [`covered`]; worked out for names of one unit only).
    dead: bool,
    /// Whether the name is a street's: a street word follows it and no
    /// name starts there. It is not read.
    street: bool,
    /// Whether a longer match holds it (街道 in 粤海街道).
    inside: bool,
}

impl Hit {
    /// Whether no reading goes through this match given `longer`, the next
    /// longer match from the same start with no match starting between
    /// their ends: the name denotes one unit, and the longer one names it
    /// too and may start a reading wherever this one may (see [`covered`]).
    #[inline]
    fn dead_beside(&self, longer: &Hit) -> bool {
        self.pat.count == 1
            && longer
                .pat
                .one()
                .is_some_and(|l| covered(&self.pat.entry, l))
    }
}

/// Characters covered, then quality, packed so that one `u64` comparison
/// orders scores: `chars << 32 | (quality + 2^31)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Score(u64);

impl Score {
    pub(super) const ZERO: Score = Score(1 << 31);

    pub(super) fn add(self, chars: u32, quality: i32) -> Score {
        Score(
            self.0
                .wrapping_add((chars as u64) << 32)
                .wrapping_add(quality as i64 as u64),
        )
    }

    pub(super) fn chars(self) -> u32 {
        (self.0 >> 32) as u32
    }

    pub(super) fn quality(self) -> i32 {
        (self.0 as u32).wrapping_sub(1 << 31) as i32
    }
}

/// A reading ending with `unit` named by `text[start..end]`; `prev` is the
/// node of the reading it extends, or [`NONE`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Node {
    pub(super) unit: u32,
    pub(super) sub_end: u32,
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) score: Score,
    pub(super) prev: u32,
    pub(super) via: Via,
    pub(super) old: u32,
}

impl Node {
    /// Whether the reading is a generic name alone (开发区): no answer.
    pub(super) fn generic_alone(&self) -> bool {
        self.via == Via::Generic && self.prev == NONE
    }
}

/// The entries of `list` (sorted by unit) strictly inside `lo..hi`.
#[inline]
fn within(list: &[Entry], lo: u32, hi: u32) -> &[Entry] {
    if let [e] = list {
        return if lo < e.unit && e.unit < hi {
            list
        } else {
            &[]
        };
    }
    let a = list.partition_point(|e| e.unit <= lo);
    let b = list.partition_point(|e| e.unit < hi);
    &list[a..b.max(a)]
}

/// Whether `unit` lies in one of the disjoint `ranges` (in order).
#[inline]
fn inside(ranges: &[(u32, u32)], unit: u32) -> bool {
    let i = ranges.partition_point(|r| r.0 <= unit);
    i > 0 && unit < ranges[i - 1].1
}

/// Buffers one resolution needs, kept per thread so that resolving does
/// not allocate them again; [`Scratch::trim`] gives back what a long text
/// made them grow past [`KEEP_BYTES`].
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// The text's characters.
    total: u32,
    hits: Vec<Hit>,
    pub(super) nodes: Vec<Node>,
    /// Per character, for [`Scratch::link`].
    at: Vec<(u32, u32, u32, u32)>,
    /// The matches in the order of their starts.
    order: Vec<u32>,
    /// Readings not finished yet, `(end, node)`, the next to finish last
    /// (sorted from the largest down): those of the matches that overlap
    /// the one being read, a few.
    pending: Vec<(u32, u32)>,
    done: UnitMap,
    made: UnitMap,
    barren: BarrenSet,
    /// The names written in full, read or not (see [`Explicit`]).
    pub(super) explicit: Vec<Explicit>,
    /// For [`AddressResolver::single_chain`]: units a reading through every
    /// name can be at, name by name, with where it comes from and how many
    /// ways lead there (two meaning more than one).
    chain: Vec<(Entry, u32, u32)>,
}

/// A name the text writes in full (a unit's full name, neither generic nor
/// a street's, in no longer name): a reading that leaves out every unit it
/// names contradicts the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Explicit {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) chars: u32,
    pub(super) pat: Pat,
}

/// The most bytes each scratch buffer keeps after a resolution (a long
/// text makes them grow; they shrink back to this).
pub(super) const KEEP_BYTES: usize = 64 * 1024;

/// Shrinks `v` to hold at most [`KEEP_BYTES`].
fn trim_vec<T>(v: &mut Vec<T>) {
    let keep = KEEP_BYTES / std::mem::size_of::<T>().max(1);
    if v.capacity() > keep {
        v.clear();
        v.shrink_to(keep);
    }
}

impl Scratch {
    pub(super) fn clear(&mut self) {
        self.total = 0;
        self.hits.clear();
        self.nodes.clear();
        self.order.clear();
        self.pending.clear();
        self.done.clear();
        self.made.clear();
        self.barren.clear();
        self.explicit.clear();
        self.chain.clear();
    }

    /// Gives back the memory past [`KEEP_BYTES`] per buffer (about 0.5 MiB
    /// in all), so that one long text does not keep its peak.
    pub(super) fn trim(&mut self) {
        trim_vec(&mut self.hits);
        trim_vec(&mut self.nodes);
        trim_vec(&mut self.at);
        trim_vec(&mut self.order);
        trim_vec(&mut self.explicit);
        trim_vec(&mut self.pending);
        trim_vec(&mut self.chain);
        let keep = KEEP_BYTES / 16;
        for m in [&mut self.done, &mut self.made] {
            if m.capacity() > keep {
                *m = UnitMap::default();
            }
        }
        if self.barren.capacity() > keep / 4 {
            self.barren = BarrenSet::default();
        }
    }

    /// Bytes the buffers hold (for tests of [`Scratch::trim`]).
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        use std::mem::size_of;
        self.hits.capacity() * size_of::<Hit>()
            + self.nodes.capacity() * size_of::<Node>()
            + self.at.capacity() * size_of::<(u32, u32, u32, u32)>()
            + self.order.capacity() * 4
            + self.pending.capacity() * 8
            + (self.done.capacity() + self.made.capacity()) * 12
            + self.barren.capacity() * 40
            + self.explicit.capacity() * std::mem::size_of::<Explicit>()
            + self.chain.capacity() * std::mem::size_of::<(Entry, u32, u32)>()
    }

    /// Each match's `shadow`, the longest match that starts at or before
    /// it and ends after it (a longer name it lies in: 红河 in 红河州; the
    /// first such on ties), and `longer`.
    pub(super) fn link(&mut self) {
        let Scratch {
            total, hits, at, ..
        } = self;
        let n = *total as usize + 1;
        // Per character: the longest match starting at or before it (first
        // on ties), how many matches start before it, the last match seen
        // that starts at it, and the longest's end (0 for none: a match
        // ends past the text's first byte). The scan over the characters
        // compares ends kept here, so that it has no branch to mispredict.
        at.clear();
        at.resize(n, (NONE, 0, NONE, 0));
        for (i, m) in hits.iter().enumerate() {
            let a = &mut at[(m.to - m.chars) as usize];
            if m.end > a.3 {
                (a.0, a.3) = (i as u32, m.end);
            }
            a.1 += 1;
        }
        let (mut best, mut best_end, mut before) = (NONE, 0, 0);
        for a in at.iter_mut() {
            let take = a.3 > best_end;
            best = if take { a.0 } else { best };
            best_end = best_end.max(a.3);
            let here = a.1;
            (a.0, a.1) = (best, before);
            before += here;
        }
        for i in (0..hits.len()).rev() {
            let (s, to) = ((hits[i].to - hits[i].chars) as usize, hits[i].to as usize);
            let longest = at[s].0;
            let next = at[s].2;
            at[s].2 = i as u32;
            let e = hits[i].end;
            hits[i].inside = longest != NONE
                && longest != i as u32
                && hits[longest as usize].end >= e
                && hits[longest as usize].chars > hits[i].chars;
            hits[i].shadow = if longest != NONE && hits[longest as usize].end > e {
                longest
            } else {
                NONE
            };
            // The next longer match from the same start, if no match
            // starts between the two ends.
            hits[i].longer = if next != NONE && at[to].1 == at[hits[next as usize].to as usize].1 {
                next
            } else {
                NONE
            };
            // Most names denote one unit: when the longer match covers it,
            // no reading goes through this match at all.
            if let Some(l) = hits.get(hits[i].longer as usize) {
                hits[i].dead = hits[i].dead_beside(l);
            }
            // A name followed by a street word is part of the street's name
            // (湖州街, 北京路), unless a name starts right after it (黄岩路桥区).
            let name_after = to + 1 < n && at[to + 1].1 > at[to].1;
            hits[i].street &= !name_after;
        }
    }
}

#[cfg(test)]
impl Scratch {
    /// What [`Scratch::link`] works out for each match, by its definition,
    /// comparing every pair of matches: `[shadow, longer, inside, dead,
    /// street]` (for a property test of the fast way).
    pub(super) fn link_reference(&self) -> Vec<[u32; 5]> {
        let hits = &self.hits;
        let key = |j: usize| (std::cmp::Reverse(hits[j].end), hits[j].start, j);
        (0..hits.len())
            .map(|i| {
                let m = &hits[i];
                let longest = (0..hits.len())
                    .filter(|&j| hits[j].start <= m.start)
                    .min_by_key(|&j| key(j))
                    .expect("the match itself");
                let l = &hits[longest];
                let shadow = if l.end > m.end { longest as u32 } else { NONE };
                let inside = longest != i && l.end >= m.end && l.chars > m.chars;
                let next = (i + 1..hits.len()).find(|&j| hits[j].start == m.start);
                let longer = match next {
                    Some(n)
                        if !hits
                            .iter()
                            .any(|k| m.end <= k.start && k.start < hits[n].end) =>
                    {
                        n as u32
                    }
                    _ => NONE,
                };
                let dead = hits.get(longer as usize).is_some_and(|l| m.dead_beside(l));
                let street = m.street && !hits.iter().any(|k| k.start == m.end);
                [shadow, longer, inside as u32, dead as u32, street as u32]
            })
            .collect()
    }

    /// What [`Scratch::link`] worked out, as [`Scratch::link_reference`] gives it.
    pub(super) fn linked(&self) -> Vec<[u32; 5]> {
        self.hits
            .iter()
            .map(|m| {
                [
                    m.shadow,
                    m.longer,
                    m.inside as u32,
                    m.dead as u32,
                    m.street as u32,
                ]
            })
            .collect()
    }
}

/// The shortcuts the resolver takes, each of which gives the answer the
/// long way would; tests turn one off, on their thread, to compare.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shortcut {
    /// Readings that cannot matter are left out (see
    /// [`AddressResolver::readings`]).
    Pruning = 1,
    /// A text that names one unit after another is read as that chain
    /// ([`AddressResolver::single_chain`]), not by the dynamic programming.
    SingleChain = 2,
}

#[cfg(test)]
thread_local! {
    /// The shortcuts turned off on this thread, one bit each.
    static OFF: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Turns `shortcut` off (`on == false`) or on again, on this thread.
#[cfg(test)]
pub(super) fn set_shortcut(shortcut: Shortcut, on: bool) {
    let bit = shortcut as u8;
    OFF.with(|o| o.set(if on { o.get() & !bit } else { o.get() | bit }));
}

/// Whether `shortcut` is taken (always, but in tests that compare it with
/// the long way).
#[inline]
fn taken(shortcut: Shortcut) -> bool {
    #[cfg(test)]
    {
        OFF.with(|o| o.get() & shortcut as u8 == 0)
    }
    #[cfg(not(test))]
    {
        let _ = shortcut;
        true
    }
}

#[inline]
fn is_separator(c: char) -> bool {
    // CJK ideographs, the bulk of any address, are never separators.
    if ('\u{3400}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c.is_ascii_punctuation();
    }
    c.is_whitespace() || "，、。；：！？·（）【】《》“”‘’—…－".contains(c)
}

/// The offset of the first character at or after `from` that is not a separator.
pub(super) fn skip_separators(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|t| t.char_indices().find(|&(_, c)| !is_separator(c)))
        .map_or(text.len(), |(i, _)| from + i)
}

/// One pass of the dynamic programming over the matches: what each step
/// reads, the readings made so far and the bound they raise.
struct Pass<'s> {
    hits: &'s [Hit],
    nodes: &'s mut Vec<Node>,
    /// The finished readings: the best node per unit among those that end
    /// at or before the match being read.
    done: &'s mut UnitMap,
    /// The best node per unit among all made (finished or not).
    made: &'s mut UnitMap,
    barren: &'s mut BarrenSet,
    /// The smallest unit and the largest subtree end of the finished
    /// readings: a unit outside is inside none of them.
    lo: u32,
    hi: u32,
    /// Counts the changes to the finished readings of units with units
    /// below them (those that can be extended).
    version: u32,
    /// Whether the text names a unit above the scoped level.
    upper: bool,
    /// Whether matches that made no reading are remembered (only in long
    /// texts, where names repeat: a short one would pay the hashing for
    /// nothing).
    memo: bool,
    /// Where the text's first character that is no separator begins.
    first: u32,
    /// The text's characters.
    total: u32,
    prune: bool,
    /// A lower bound of the characters the best reading covers (see
    /// [`AddressResolver::readings`]).
    most: u32,
}

/// The most characters a match that can start a reading anywhere covers
/// (of a unit above the scoped level, or of any level when the text names
/// none above it): the first lower bound of the best reading.
fn start_bound(hits: &[Hit], order: &[u32], upper: bool) -> u32 {
    let mut most = 0u32;
    for m in order.iter().map(|&i| &hits[i as usize]) {
        if !m.dead && (m.pat.upper || (!upper && m.pat.starters() > 0)) {
            most = most.max(m.chars);
        }
    }
    most
}

/// A hasher for unit ids (already well spread: a multiply is enough).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct UnitHasher(u64);

impl std::hash::Hasher for UnitHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for w in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..w.len()].copy_from_slice(w);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// What decides a match's readings when no finished reading can contain
/// its units: its pattern, its characters, and the patterns of its shadow
/// and of its longer match (see [`AddressResolver::read_match`]).
pub(super) type Barren = [u32; 10];

/// Matches that made no reading: for each, the [`Pass::version`] of the
/// finished readings then and where the match ended.
pub(super) type BarrenSet =
    std::collections::HashMap<Barren, (u32, u32), std::hash::BuildHasherDefault<UnitHasher>>;

/// A pattern's identity in a [`Barren`] key (two patterns with the same
/// one denote the same units the same ways).
fn pat_key(p: Option<&Pat>) -> [u32; 3] {
    p.map_or([NONE; 3], |p| [p.entry.unit, p.entry.tag(), p.count])
}

/// Units a [`UnitMap`] keeps in a list before it hashes them.
const LISTED_UNITS: usize = 16;

/// Unit id → node index: a list while it is short (a text names a few
/// units, and scanning a few pairs costs less than hashing one), a hash
/// map past [`LISTED_UNITS`] (so a long text stays linear).
#[derive(Debug, Default)]
pub(super) struct UnitMap {
    listed: Vec<(u32, u32)>,
    hashed: std::collections::HashMap<u32, u32, std::hash::BuildHasherDefault<UnitHasher>>,
}

impl UnitMap {
    /// The node of `unit`, if any.
    #[inline]
    pub(super) fn get(&self, unit: u32) -> Option<u32> {
        if self.hashed.is_empty() {
            self.listed.iter().find(|e| e.0 == unit).map(|e| e.1)
        } else {
            self.hashed.get(&unit).copied()
        }
    }

    /// The node of `unit`, `n` if it had none.
    #[inline]
    pub(super) fn slot(&mut self, unit: u32, n: u32) -> &mut u32 {
        if self.hashed.is_empty() {
            if let Some(i) = self.listed.iter().position(|e| e.0 == unit) {
                return &mut self.listed[i].1;
            }
            if self.listed.len() < LISTED_UNITS {
                self.listed.push((unit, n));
                let last = self.listed.len() - 1;
                return &mut self.listed[last].1;
            }
            self.hashed.extend(self.listed.drain(..));
        }
        self.hashed.entry(unit).or_insert(n)
    }

    /// Every `(unit, node)`, while they are few enough to be listed.
    #[inline]
    pub(super) fn listed(&self) -> Option<&[(u32, u32)]> {
        self.hashed.is_empty().then_some(&self.listed[..])
    }

    pub(super) fn clear(&mut self) {
        self.listed.clear();
        self.hashed.clear();
    }

    pub(super) fn capacity(&self) -> usize {
        self.listed.capacity() + self.hashed.capacity()
    }
}

impl AddressResolver<'_> {
    /// The matches of the automaton in `text`, into `sc.hits` in the order
    /// of their ends, and the text's length in characters into `sc.total`;
    /// returns the offset of the first character that is no separator.
    #[inline(never)]
    pub(super) fn matches(&self, text: &str, sc: &mut Scratch) -> u32 {
        let Scratch { hits, total, .. } = sc;
        let names = &*self.names;
        let profile = self.hierarchy().profile();

        // One pass: each character through the automaton, and the matches
        // that end with it, so in the order of their ends: a match's
        // possible predecessors all end earlier. Nothing else is done per
        // character: what a match needs of the text around it (a street
        // word after it here, the separators before it in `readings`) is
        // read per match.
        let mut step = names.ac.find_overlapping_stepper();
        let mut k = 0u32;
        for c in text.chars() {
            // The profile's fold (a traditional character to its
            // simplified form), as the names were indexed.
            step.consume(names.read_as(c, profile));
            k += 1;
            for m in step.matches() {
                let pat = m.value();
                hits.push(Hit {
                    start: m.start() as u32,
                    end: m.end() as u32,
                    to: k,
                    pat,
                    // One character of the text per one of the name's.
                    chars: pat.chars,
                    lead: 0,
                    shadow: NONE,
                    longer: NONE,
                    dead: false,
                    street: false,
                    inside: false,
                });
            }
        }
        *total = k;

        // Whether a street word follows each match (湖州街, 北京路): once
        // per end (the matches are in the order of their ends).
        let (mut last_end, mut last_street) = (u32::MAX, false);
        for m in hits.iter_mut() {
            if m.end != last_end {
                let rest = &text[m.end as usize..];
                last_street = rest
                    .chars()
                    .next()
                    .is_some_and(|c| names.street_at(c, rest));
                last_end = m.end;
            }
            m.street = last_street;
        }
        text.char_indices()
            .find(|&(_, c)| !self.separator(c))
            .map_or(text.len(), |(i, _)| i) as u32
    }

    /// Whether `c` separates names: a separator as the text is read, and in
    /// no name (a name may hold one).
    #[inline]
    pub(super) fn separator(&self, c: char) -> bool {
        // CJK ideographs, the bulk of any address, are never separators,
        // nor are they once folded.
        if ('\u{3400}'..='\u{9FFF}').contains(&c) {
            return false;
        }
        let c = self.names.read_as(c, self.hierarchy().profile());
        is_separator(c) && !self.names.name_chars.contains(c)
    }

    /// Where the run of separators that ends at byte `at` of `text` begins
    /// (`at` itself when none ends there).
    pub(super) fn lead(&self, text: &str, at: usize) -> usize {
        text.get(..at)
            .and_then(|t| t.char_indices().rev().find(|&(_, c)| !self.separator(c)))
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// The readings through the matches of `text`, into `sc.nodes` (see
    /// the module docs).
    #[inline(never)]
    pub(super) fn readings(&self, text: &str, first: u32, sc: &mut Scratch) {
        // Where the separators before each match begin (only readings ask:
        // whether one match follows another), once per start.
        let (mut last_start, mut last_lead) = (u32::MAX, 0);
        for m in sc.hits.iter_mut() {
            if m.start != last_start {
                (last_start, last_lead) = (m.start, self.lead(text, m.start as usize) as u32);
            }
            m.lead = last_lead;
        }
        let Scratch {
            total,
            hits,
            nodes,
            order,
            pending,
            done,
            made,
            barren,
            explicit,
            ..
        } = sc;
        // The matches are read in the order of their starts: a reading
        // that ends at or before a match's start was made by a match that
        // starts earlier. The finished readings are kept as the best node
        // per unit, so a match looks up its units' ancestors (a few hash
        // reads) instead of scanning the readings made before: the work is
        // linear in the matches times the units each names.
        //
        // A reading that cannot end up covering as many characters as the
        // best one is never made: it could be neither the answer nor a
        // candidate, nor lead to one. `most` is a lower bound of the best:
        // at first the longest match that can start a reading, then the
        // most any reading made covers. Against it go upper bounds: the
        // characters so far, plus all the text after this match, plus
        // nothing for a unit with no units below it. This drops most readings that
        // street text would start or extend (建设, 幸福, 人民路 name
        // townships by the dozen) and most of the short forms at the start
        // (河北 names 11 townships, but 河北省 is longer).
        let prune = taken(Shortcut::Pruning);
        // (`single_chain` may have used them.)
        pending.clear();
        nodes.clear();
        order.clear();
        order.extend((0..hits.len() as u32).filter(|&i| {
            let m = &hits[i as usize];
            !(m.street || (prune && m.dead))
        }));
        // Whether the text names a unit above the scoped level: then units
        // of that level (China: townships) are read only inside a unit
        // read before, or at the text's start.
        let upper = order.iter().any(|&i| hits[i as usize].pat.upper);
        explicit.extend(
            order
                .iter()
                .map(|&i| &hits[i as usize])
                .filter(|m| !m.inside && m.pat.written)
                .map(|m| Explicit {
                    start: m.start,
                    end: m.end,
                    chars: m.chars,
                    pat: m.pat,
                }),
        );
        order.sort_by_key(|&i| hits[i as usize].start);
        let mut pass = Pass {
            hits,
            nodes,
            done,
            made,
            barren,
            lo: u32::MAX,
            hi: 0,
            version: 0,
            upper,
            memo: prune && order.len() > MEMO_HITS,
            first,
            total: *total,
            prune,
            most: if prune {
                start_bound(hits, order, upper)
            } else {
                0
            },
        };
        for &i in order.iter() {
            let m = &hits[i as usize];
            // Finish the readings that end at or before this match, in the
            // order of their ends, then of their nodes.
            while let Some(&(end, n)) = pending.last() {
                if end > m.start {
                    break;
                }
                pending.pop();
                pass.finish(n);
            }
            let before = pass.nodes.len() as u32;
            self.read_match(m, &mut pass);
            let made = pass.nodes.len() as u32;
            if made > before {
                // They all end where the match does, and come after every
                // node made before: in front of those that end there too.
                let at = pending.partition_point(|&(e, _)| e > m.end);
                for (i, n) in (before..made).rev().enumerate() {
                    pending.insert(at + i, (m.end, n));
                }
            }
        }
    }

    /// The reading of the text when one set of names covers the most of it
    /// and one reading goes through them: its nodes into `sc.nodes`, and
    /// `true`; else `false`, and the text is left to the dynamic
    /// programming ([`readings`](Self::readings)), which would find the
    /// same.
    ///
    /// A reading reads matches that do not overlap, each of which starts a
    /// reading where it stands or names a unit inside one a match before it
    /// names (the span of those units' subtrees bounds them). So it covers
    /// at most as many characters as the most that such matches cover (an
    /// interval scheduling, which also counts the sets that cover that
    /// many). When one set of matches covers the most, and exactly one
    /// reading goes through all of them (each unit inside the one before;
    /// the first allowed to start where it stands), that reading covers
    /// more than any other: it is the best, and no tie. It contradicts no
    /// name written in full when it reads each such name, as the full name
    /// it is; a generic name is left to the dynamic programming.
    #[inline(never)]
    pub(super) fn single_chain(&self, first: u32, sc: &mut Scratch) -> bool {
        /// Units a name may be read as, past which the dynamic programming
        /// is left the text (a name repeated by the dozen).
        const MOST: usize = 32;
        /// Matches past which the dynamic programming is left the text.
        const MOST_HITS: usize = 64;
        if !taken(Shortcut::Pruning) || !taken(Shortcut::SingleChain) || sc.hits.len() > MOST_HITS {
            return false;
        }
        let Scratch {
            total,
            hits,
            nodes,
            order,
            chain,
            at,
            pending,
            ..
        } = sc;
        // The units below those the matches counted so far name, as
        // disjoint ranges of ids `[unit + 1, sub_end)` (subtrees nest), in
        // order (the readings' buffer, which this does not use).
        let below = pending;
        below.clear();
        // What `link` works out that this needs (a text left to the
        // dynamic programming is linked whole): where matches start, so
        // which ones are a street's (no match starts after the street word)
        // and which are dead (see `Hit::dead`); and so which ones the
        // dynamic programming reads, and whether one names a unit above
        // the scoped level (see `readings`).
        let n = *total as usize;
        if n >= 256 {
            return false;
        }
        let mut starts = [0u64; 4];
        for m in hits.iter() {
            let s = m.to - m.chars;
            starts[s as usize / 64] |= 1 << (s % 64);
        }
        let starts_in =
            |a: u32, b: u32| (a..b).any(|k| starts[k as usize / 64] >> (k % 64) & 1 == 1);
        let street = |m: &Hit| m.street && !starts_in(m.to, (m.to + 1).min(n as u32));
        at.clear();
        at.resize(n + 1, (0, 0, NONE, 0));
        let (mut dead, mut upper) = (0u64, false);
        for i in (0..hits.len()).rev() {
            let a = &hits[i];
            let s = (a.to - a.chars) as usize;
            // The next longer match from the same start.
            let next = std::mem::replace(&mut at[s].2, i as u32);
            let is_dead = hits
                .get(next as usize)
                .is_some_and(|l| a.dead_beside(l) && !starts_in(a.to, l.to));
            dead |= (is_dead as u64) << i;
            upper |= a.pat.upper && !is_dead && !street(a);
        }
        let read = |i: usize| dead >> i & 1 == 0 && !street(&hits[i]);
        // Per character `p`: the most characters matches that do not
        // overlap cover before it, how many sets of them do (two meaning
        // more than one), and the last match of the one set (`NONE`: the
        // set of `p - 1`). The matches come in the order of their ends;
        // where none ends, the set before goes on. (Every entry is written
        // over: those before now held the next longer matches.)
        at[0] = (0, 1, NONE, 0);
        let mut done = 0;
        let mut j = 0;
        while let Some(h) = hits.get(j) {
            let p = h.to as usize;
            let (mut most, mut sets, _, _) = at[done];
            for a in &mut at[done + 1..p] {
                *a = (most, sets, NONE, 0);
            }
            let mut last = NONE;
            while let Some(m) = hits.get(j)
                && m.to as usize == p
            {
                j += 1;
                if !read(j - 1) {
                    continue;
                }
                // As the dynamic programming starts a reading (a unit
                // above the scoped level is one that may start anywhere and
                // is not scoped: `Pat::upper`).
                let starts = m.start == first
                    || if upper {
                        m.pat.upper
                    } else {
                        m.pat.starters() > 0
                    };
                if !starts {
                    // Or goes on inside a unit read before.
                    let (Some(lo), Some(hi)) = (below.first(), below.last()) else {
                        continue;
                    };
                    let (lo, hi) = (lo.0 - 1, hi.1);
                    let (starters, minor) = self.split(&m.pat);
                    let near = within(starters, lo, hi).iter().chain(within(minor, lo, hi));
                    if !near.clone().any(|e| inside(below, e.unit)) {
                        // No reading reads it.
                        continue;
                    }
                }
                let inner = if m.pat.inner {
                    self.entries(&m.pat)
                } else {
                    &[]
                };
                for e in inner {
                    if e.sub_end > e.unit + 1 && !inside(below, e.unit + 1) {
                        // Its range, in place of those it holds.
                        let a = below.partition_point(|r| r.0 <= e.unit);
                        let b = below.partition_point(|r| r.0 < e.sub_end);
                        if a == b {
                            below.insert(a, (e.unit + 1, e.sub_end));
                        } else {
                            below[a] = (e.unit + 1, e.sub_end);
                            below.drain(a + 1..b);
                        }
                    }
                }
                let (before, ways, _, _) = at[(m.to - m.chars) as usize];
                let covers = before + m.chars;
                if covers > most {
                    (most, sets, last) = (covers, ways, j as u32 - 1);
                } else if covers == most {
                    sets += ways;
                }
            }
            at[p] = (most, sets.min(2), last, 0);
            done = p;
        }
        let (most, sets, _, _) = at[done];
        for a in &mut at[done + 1..=n] {
            *a = (most, sets, NONE, 0);
        }
        if at[n].1 != 1 || at[n].0 == 0 {
            return false;
        }
        // That set, in the order of the text.
        order.clear();
        let mut p = n as u32;
        while p > 0 {
            match at[p as usize].2 {
                NONE => p -= 1,
                i => {
                    order.push(i);
                    p = hits[i as usize].to - hits[i as usize].chars;
                }
            }
        }
        order.reverse();
        let Some((&head, rest)) = order.split_first() else {
            return false;
        };
        // The units through each name, with the ways that lead to them.
        chain.clear();
        let m = &hits[head as usize];
        for e in self.entries(&m.pat) {
            // As the dynamic programming starts a reading.
            if m.start == first
                || (e.via().starts_anywhere() && !(upper && self.names.is_scoped(e.unit)))
            {
                chain.push((*e, NONE, 1));
            }
        }
        let mut level = 0..chain.len();
        for &i in rest {
            if level.is_empty() || level.len() > MOST {
                return false;
            }
            let above = &chain[level.clone()];
            let lo = above.iter().map(|c| c.0.unit).min().unwrap_or(0);
            let hi = above.iter().map(|c| c.0.sub_end).max().unwrap_or(0);
            let (starters, minor) = self.split(&hits[i as usize].pat);
            let begin = chain.len();
            for e in within(starters, lo, hi).iter().chain(within(minor, lo, hi)) {
                let (mut ways, mut from) = (0, NONE);
                for k in level.clone() {
                    let a = &chain[k].0;
                    if a.unit < e.unit && e.unit < a.sub_end {
                        ways += chain[k].2;
                        from = k as u32;
                    }
                }
                if ways > 0 {
                    chain.push((*e, from, ways.min(2)));
                }
            }
            level = begin..chain.len();
        }
        let [(_, _, 1)] = chain[level.clone()] else {
            return false;
        };
        // The nodes, from the last up; each name written in full read as
        // that name, and no generic one.
        nodes.clear();
        nodes.extend(order.iter().map(|_| Node {
            unit: 0,
            sub_end: 0,
            start: 0,
            end: 0,
            score: Score::ZERO,
            prev: NONE,
            via: Via::Full,
            old: 0,
        }));
        let mut k = level.start as u32;
        for (n, &i) in order.iter().enumerate().rev() {
            let (e, from, _) = chain[k as usize];
            let m = &hits[i as usize];
            if e.via() == Via::Generic || (m.pat.written && e.via() != Via::Full) {
                return false;
            }
            nodes[n] = Node {
                unit: e.unit,
                sub_end: e.sub_end,
                start: m.start,
                end: m.end,
                score: Score::ZERO.add(m.chars, 0),
                prev: n.checked_sub(1).map_or(NONE, |p| p as u32),
                via: e.via(),
                old: e.old(),
            };
            k = from;
        }
        // Every name written in full that the reading leaves out lies in a
        // longer match (as 街道 in 粤海街道), so is not read as written.
        let chosen = order.iter().fold(0u64, |c, &i| c | 1 << i);
        let held = |a: &Hit| {
            hits.iter()
                .any(|l| l.to - l.chars <= a.to - a.chars && l.to >= a.to && l.chars > a.chars)
        };
        for (i, m) in hits.iter().enumerate() {
            if m.pat.written && chosen >> i & 1 == 0 && read(i) && !held(m) {
                return false;
            }
        }
        // Scores: the characters so far (the last node is the best).
        let mut score = Score::ZERO;
        for x in nodes.iter_mut() {
            score = score.add(x.score.chars(), 0);
            x.score = score;
        }
        true
    }

    /// Extends the finished readings that contain a unit match `m` names,
    /// or starts readings with it.
    fn read_match(&self, m: &Hit, p: &mut Pass<'_>) {
        let h = self.hierarchy();
        let hits = p.hits;
        // The most characters a reading through this match can add.
        let after = m.chars + p.total - m.to;
        // Whether a reading may start here, as far as characters go.
        let fresh = after >= p.most;
        if p.lo == u32::MAX && !fresh {
            return;
        }
        let (lo, hi) = (p.lo, p.hi);
        let (starters, rest) = self.split(&m.pat);
        let starters = if fresh {
            starters
        } else {
            within(starters, lo, hi)
        };
        // Continuers away from the text's start matter only inside a
        // finished reading: take those within the span of the finished
        // readings' subtrees (two binary searches), not every unit of
        // that name; the containment test below sorts them out.
        let continuers = if m.start == p.first && fresh {
            rest
        } else {
            within(rest, lo, hi)
        };
        let shadow = (m.shadow != NONE).then(|| &hits[m.shadow as usize].pat);
        let longer_pat = (m.longer != NONE).then(|| &hits[m.longer as usize].pat);
        let longer = longer_pat.map(|l| self.split(l));
        // A match that made no reading makes none when the same name
        // (with the same longer names around) comes again after it and no
        // reading that could contain one of its units changed since: its
        // bases are the same, it is not adjacent to them, the bounds only
        // tightened and the best reading per unit only improved. So a name
        // repeated through the text costs a hash read per repetition, not
        // one per unit it denotes (城关镇 names 88 townships).
        let key = (p.memo && m.pat.count >= MEMO_UNITS && m.start != p.first).then(|| {
            let [a, b, c] = pat_key(Some(&m.pat));
            let [d, e, f] = pat_key(shadow);
            let [g, h, i] = pat_key(longer_pat);
            [a, b, c, m.chars, d, e, f, g, h, i]
        });
        if let Some(k) = &key
            && let Some(&(version, end)) = p.barren.get(k)
            && version == p.version
            && end <= m.start
        {
            return;
        }
        let made_before = p.nodes.len();
        for e in starters.iter().chain(continuers) {
            if p.prune && longer.is_some_and(|l| covered(e, l)) {
                continue;
            }
            // The best finished reading whose unit contains this one: the
            // best of its ancestors' (at most one node each).
            let (mut base, mut prev) = (Score::ZERO, NONE);
            // (Scores of readings are above zero, so the best is the one
            // of highest score, the first made on ties, in any order.)
            let better = |k: u32, d: &Node, base: Score, prev: u32| {
                (d.score > base) | ((d.score == base) & (prev != NONE) & (k < prev))
            };
            if lo < e.unit && e.unit < hi {
                if let Some(listed) = p.done.listed() {
                    // Few finished readings: those whose unit contains it,
                    // tested without branches (which contain it is
                    // anyone's guess).
                    for &(u, k) in listed {
                        let d = &p.nodes[k as usize];
                        let take = (u < e.unit) & (e.unit < d.sub_end) & better(k, d, base, prev);
                        base = if take { d.score } else { base };
                        prev = if take { k } else { prev };
                    }
                } else {
                    let mut u = h.parent[e.unit as usize];
                    while u != NONE {
                        if let Some(k) = p.done.get(u)
                            && better(k, &p.nodes[k as usize], base, prev)
                        {
                            (base, prev) = (p.nodes[k as usize].score, k);
                        }
                        u = h.parent[u as usize];
                    }
                }
            }
            // A generic name may open the text (郊区铜山镇), but is no answer
            // alone (see `decide`).
            if prev == NONE
                && m.start != p.first
                && (!e.via().starts_anywhere() || (p.upper && self.names.is_scoped(e.unit)))
            {
                continue;
            }
            let leaf = e.sub_end == e.unit + 1;
            if base.chars() + if leaf { m.chars } else { after } < p.most {
                continue;
            }
            let shadowed = shadow.is_some_and(|s| !self.denotes(s, e.unit));
            let adjacent = if prev == NONE {
                m.start == p.first
            } else {
                p.nodes[prev as usize].end >= m.lead
            };
            let quality = e.quality() - if shadowed { SHADOW_PENALTY } else { 0 }
                + adjacent as i32 * ADJACENT;
            let score = base.add(m.chars, quality);
            // A reading of the same unit made before, ending no later and
            // scoring more even if this one's successor were adjacent,
            // does all this one could: this one is not made (so a name
            // repeated through the text makes one reading per unit, not
            // one per repetition).
            // A unit with no units below it has no successor: one that
            // scores as much is enough.
            if p.prune
                && let Some(k) = p.made.get(e.unit)
            {
                let d = &p.nodes[k as usize];
                let margin = if leaf { 0 } else { ADJACENT };
                if d.end <= m.end && d.score >= score.add(0, margin) {
                    continue;
                }
            }
            // A generic name alone is no answer: it raises no bound.
            if p.prune && !(prev == NONE && e.via() == Via::Generic) {
                p.most = p.most.max(score.chars());
            }
            let n = p.nodes.len() as u32;
            p.nodes.push(Node {
                unit: e.unit,
                sub_end: e.sub_end,
                start: m.start,
                end: m.end,
                score,
                prev,
                via: e.via(),
                old: e.old(),
            });
            let best = p.made.slot(e.unit, n);
            if p.nodes[*best as usize].score < score {
                *best = n;
            }
        }
        if let Some(k) = key
            && p.nodes.len() == made_before
        {
            p.barren.insert(k, (p.version, m.end));
        }
    }
}

impl Pass<'_> {
    /// Node `n` is finished: matches from now on may extend it.
    fn finish(&mut self, n: u32) {
        let d = self.nodes[n as usize];
        let best = self.done.slot(d.unit, n);
        let changed = *best == n || self.nodes[*best as usize].score < d.score;
        if changed {
            *best = n;
        }
        // A unit with no units below it contains no unit a match names.
        if d.sub_end > d.unit + 1 && changed {
            self.version += 1;
            self.lo = self.lo.min(d.unit);
            self.hi = self.hi.max(d.sub_end);
        }
    }
}
