//! Load-time indexes: codes and names to records, and every record's
//! resolution precomputed, so that resolving is a hash lookup, a short scan of
//! year segments and one slice read.

use super::data::{Chg, NONE, Raw, Rec};
use crate::china::DataError;
use crate::model::index::HashIndex;

/// The most units one resolution may name (the data's largest fan-out is 5).
pub(crate) const MAX_UNITS: usize = 8;

/// Entry flag: the fate of the code involves a change after the cut-off
/// (or the code is newer than it).
pub(crate) const LATER: u16 = 1;

/// Seg flag: no record covers the code (abolished).
pub(crate) const ABOLISHED: u8 = 2;
/// Seg flag: ending changes were followed.
pub(crate) const CHANGED: u8 = 4;

/// Calendar years `from..=to` of one code in which the same records are in
/// use, with what the hot path needs inline: the pool entry, and the first
/// target code so that a one-target answer reads nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seg {
    pub(crate) from: u16,
    pub(crate) to: u16,
    pub(crate) entry: u32,
    /// The first target record's code id.
    pub(crate) code0: u32,
    /// Target records (`Entry::tree`); at most MAX_UNITS.
    pub(crate) targets: u8,
    /// `LATER as u8 | ABOLISHED | CHANGED`.
    pub(crate) flags: u8,
}

/// One code: its six digits (the hash index's key) beside a copy of its
/// first segment, in one cache line, so that for most codes the probe's key
/// check also reads the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(align(32))]
pub(crate) struct CodeSlot {
    pub(crate) key: [u8; 6],
    pub(crate) n_segs: u16,
    pub(crate) first_seg: u32,
    pub(crate) seg0: Seg,
}

const NO_SEG: Seg = Seg {
    from: 1,
    to: 0,
    entry: 0,
    code0: 0,
    targets: 0,
    flags: 0,
};

/// A precomputed resolution, as slices of the pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    /// Records in use at the cut-off that cover the code (resolution targets).
    pub(crate) tree: &'a [u32],
    /// Ending changes followed up to the cut-off.
    pub(crate) chain: &'a [u32],
    /// Transfers and establishments (up to the cut-off) that took parts of
    /// the unit or of its successors; filter by the record's year.
    pub(crate) moved: &'a [u32],
    /// Changes after the cut-off touching the answer.
    pub(crate) later: &'a [u32],
    /// Records in the newest table the code leads to.
    pub(crate) latest: &'a [u32],
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Tables {
    /// Distinct codes; code id = index, in code order.
    pub(crate) codes: Box<[CodeSlot]>,
    /// The codes' six digits back to back (ASCII), for `&str` views.
    pub(crate) code_text: Box<str>,
    pub(crate) code_index: HashIndex,
    /// Records of code id `c`: `code_recs[c]..code_recs[c + 1]`.
    pub(crate) code_recs: Box<[u32]>,
    /// Record → code id.
    pub(crate) rec_code: Box<[u32]>,
    pub(crate) segs: Box<[Seg]>,
    pub(crate) pool: Box<[u32]>,
    pub(crate) name_index: HashIndex,
    pub(crate) name_start: Box<[u32]>,
    pub(crate) name_recs: Box<[u32]>,
    /// Changes whose old (`succ`) or new (`pred`) record has code id `c`.
    pub(crate) succ_start: Box<[u32]>,
    pub(crate) succ: Box<[u32]>,
    pub(crate) pred_start: Box<[u32]>,
    pub(crate) pred: Box<[u32]>,
    pub(crate) later: Box<[u32]>,
}

impl Tables {
    /// The code id of six digits.
    #[inline]
    pub(crate) fn code_id(&self, key: &[u8; 6]) -> Option<u32> {
        self.code_index.find(key, |c| &self.codes[c as usize].key)
    }

    /// A code id's six digits.
    #[inline]
    pub(crate) fn code_str(&self, c: u32) -> &str {
        let at = c as usize * 6;
        &self.code_text[at..at + 6]
    }

    #[inline]
    pub(crate) fn segs_of(&self, c: u32) -> &[Seg] {
        let slot = &self.codes[c as usize];
        let a = slot.first_seg as usize;
        &self.segs[a..a + slot.n_segs as usize]
    }

    /// The segment of code id `c` covering `year`, with its index in `segs`.
    #[inline]
    pub(crate) fn seg_at(&self, c: u32, year: u16) -> Option<(u32, &Seg)> {
        let slot = &self.codes[c as usize];
        if slot.seg0.from <= year && year <= slot.seg0.to {
            return Some((slot.first_seg, &slot.seg0));
        }
        let i = self
            .segs_of(c)
            .iter()
            .position(|s| s.from <= year && year <= s.to)?;
        Some((
            slot.first_seg + i as u32,
            &self.segs[slot.first_seg as usize + i],
        ))
    }

    #[inline]
    pub(crate) fn entry(&self, at: u32) -> Entry<'_> {
        let at = at as usize;
        let h = &self.pool[at..at + 3];
        let lens = [
            (h[0] & 0xFFFF) as usize,
            (h[0] >> 16) as usize,
            (h[1] & 0xFFFF) as usize,
            (h[1] >> 16) as usize,
            (h[2] & 0xFFFF) as usize,
        ];
        let mut pos = at + 3;
        let mut next = |n: usize| {
            let s = &self.pool[pos..pos + n];
            pos += n;
            s
        };
        Entry {
            tree: next(lens[0]),
            chain: next(lens[1]),
            moved: next(lens[2]),
            later: next(lens[3]),
            latest: next(lens[4]),
        }
    }
}

/// A resolution under construction: sorted, deduplicated id lists.
#[derive(Debug, Clone, Default)]
struct Res {
    tree: Vec<u32>,
    chain: Vec<u32>,
    moved: Vec<u32>,
    later: Vec<u32>,
    latest: Vec<u32>,
    flags: u16,
}

fn union(into: &mut Vec<u32>, from: impl IntoIterator<Item = u32>) {
    into.extend(from);
    into.sort_unstable();
    into.dedup();
}

impl Res {
    fn absorb(&mut self, other: &Res) {
        union(&mut self.tree, other.tree.iter().copied());
        union(&mut self.chain, other.chain.iter().copied());
        union(&mut self.moved, other.moved.iter().copied());
        union(&mut self.later, other.later.iter().copied());
        union(&mut self.latest, other.latest.iter().copied());
        self.flags |= other.flags;
    }
}

fn csr(n: usize, pairs: &mut [(u32, u32)]) -> (Box<[u32]>, Box<[u32]>) {
    pairs.sort_unstable();
    let mut start = vec![0u32; n + 1];
    for &(k, _) in pairs.iter() {
        start[k as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let items = pairs.iter().map(|&(_, v)| v).collect();
    (start.into_boxed_slice(), items)
}

/// Whether a change is after the cut-off (yyyymmdd): dated after it, or
/// first shown in a table of a later year.
pub(crate) fn is_later(cutoff: u32, c: &Chg) -> bool {
    c.date > cutoff || c.table_year > cutoff_year(cutoff)
}

fn cutoff_year(cutoff: u32) -> u16 {
    (cutoff / 10_000).min(u16::MAX as u32) as u16
}

/// Calendar years a record is in use: first table to the year after the
/// last, capped at the newest table.
#[inline]
pub(crate) fn in_use(raw: &Raw, r: &Rec) -> (u16, u16) {
    (r.first, (r.last + 1).min(raw.last_year))
}

/// The tables of `raw` for a hierarchy whose data date is `cutoff`
/// (yyyymmdd): changes after it are later changes.
pub(crate) fn build(raw: &Raw, cutoff: u32) -> Result<Tables, DataError> {
    let invalid = |what| DataError::MalformedHistory {
        section: "records",
        what,
    };
    let recs = &raw.recs;
    let n = recs.len();

    // Codes: records are sorted by code, so each code's records are a run.
    let mut code_recs = vec![0u32];
    let mut rec_code = vec![0u32; n];
    let mut codes: Vec<CodeSlot> = Vec::new();
    let mut code_text = String::with_capacity(n * 6);
    for (i, r) in recs.iter().enumerate() {
        if i == 0 || recs[i - 1].code != r.code {
            if i > 0 {
                code_recs.push(i as u32);
            }
            let mut key = [0u8; 6];
            code_text.push_str(super::resolve::six_digits(r.code, &mut key));
            codes.push(CodeSlot {
                key,
                n_segs: 0,
                first_seg: 0,
                seg0: NO_SEG,
            });
        }
        rec_code[i] = codes.len() as u32 - 1;
    }
    let n_codes = codes.len();
    if n > 0 {
        code_recs.push(n as u32);
    }
    let code_index = HashIndex::build(n_codes, |c| &codes[c as usize].key)
        .map_err(|_| invalid("duplicate code"))?;

    // Names.
    let names = &raw.names;
    let name_index = HashIndex::build(names.len(), |i| names.get(i).as_bytes()).map_err(|_| {
        DataError::MalformedHistory {
            section: "names",
            what: "duplicate name",
        }
    })?;
    let mut pairs: Vec<(u32, u32)> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name, i as u32))
        .collect();
    let (name_start, name_recs) = csr(names.len(), &mut pairs);

    // Changes by record and by code.
    let changes = &raw.changes;
    let mut out_pairs = Vec::new();
    let mut in_pairs = Vec::new();
    let mut succ_pairs = Vec::new();
    let mut pred_pairs = Vec::new();
    for (k, c) in changes.iter().enumerate() {
        let k = k as u32;
        if c.old != NONE {
            out_pairs.push((c.old, k));
            succ_pairs.push((rec_code[c.old as usize], k));
        }
        in_pairs.push((c.new, k));
        pred_pairs.push((rec_code[c.new as usize], k));
    }
    let (out_start, out) = csr(n, &mut out_pairs);
    let (in_start, inn) = csr(n, &mut in_pairs);
    let (succ_start, succ) = csr(n_codes, &mut succ_pairs);
    let (pred_start, pred) = csr(n_codes, &mut pred_pairs);
    let outs = |r: usize| &out[out_start[r] as usize..out_start[r + 1] as usize];
    let ins = |r: usize| &inn[in_start[r] as usize..in_start[r + 1] as usize];
    let later_of = |k: u32| is_later(cutoff, &changes[k as usize]);
    let cy = cutoff_year(cutoff);
    // A record is newer than the hierarchy when its first table is of a
    // later year, or when every change that made it (the changes into it
    // shown in its first table) is dated after the cut-off: 653228 和康县,
    // established 2024-12-27, first in the 2024 table, is not in data of
    // 2024-06-30.
    let later_born_rec: Vec<bool> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut making = ins(i)
                .iter()
                .filter(|&&k| changes[k as usize].table_year == r.first)
                .peekable();
            r.first > cy || (making.peek().is_some() && making.all(|&k| later_of(k)))
        })
        .collect();
    let later_born = |r: u32| later_born_rec[r as usize];

    // Pass 1, forward: an ending change's new record ends strictly later
    // than its old one (checked by the decoder), so visiting records by
    // last year, newest first, visits every successor before its predecessors.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&r| std::cmp::Reverse(recs[r as usize].last));
    let mut res: Vec<Res> = vec![Res::default(); n];
    for &r in &order {
        let ri = r as usize;
        let rec = &recs[ri];
        let mut acc = Res::default();
        let mut any_end = false;
        let mut reflected_end = false;
        for &k in outs(ri) {
            let c = &changes[k as usize];
            let next = &res[c.new as usize];
            if c.ends_old() {
                any_end = true;
                union(&mut acc.latest, next.latest.iter().copied());
                if later_of(k) {
                    // What became of the code later; not the successors'
                    // own later transfers.
                    acc.flags |= LATER;
                    let ending = next.later.iter().copied();
                    union(
                        &mut acc.later,
                        ending
                            .filter(|&m| changes[m as usize].ends_old())
                            .chain([k]),
                    );
                } else {
                    reflected_end = true;
                    union(&mut acc.tree, next.tree.iter().copied());
                    union(&mut acc.chain, next.chain.iter().copied().chain([k]));
                    let since = c.table_year;
                    union(
                        &mut acc.moved,
                        next.moved
                            .iter()
                            .copied()
                            .filter(|&m| changes[m as usize].table_year >= since),
                    );
                    union(&mut acc.later, next.later.iter().copied());
                    acc.flags |= next.flags;
                }
            } else if later_of(k) {
                union(&mut acc.later, [k]);
            } else {
                union(&mut acc.moved, [k]);
            }
        }
        if !any_end && rec.last == raw.last_year {
            acc.latest = vec![r];
        }
        if !reflected_end {
            if !any_end && rec.last < raw.last_year && rec.last < cy {
                // Gone from the tables before the cut-off with no recorded
                // successor: abolished.
            } else {
                acc.tree = vec![r];
                if !any_end && rec.last < raw.last_year {
                    acc.flags |= LATER; // gone after the cut-off, no successor recorded
                }
            }
        }
        if later_born(r) {
            acc.flags |= LATER;
        }
        res[ri] = acc;
    }

    // Pass 2, backward: a record newer than the hierarchy is covered there by
    // the records its territory came from.
    let mut seen = vec![false; n];
    for r in 0..n {
        if !later_born(r as u32) || res[r].tree.iter().any(|&t| t as usize != r) {
            continue;
        }
        let mut tree = Vec::new();
        let mut via = Vec::new();
        let mut stack = vec![r as u32];
        let mut visited = vec![r as u32];
        seen[r] = true;
        while let Some(x) = stack.pop() {
            for &k in ins(x as usize) {
                via.push(k);
                let o = changes[k as usize].old;
                if o == NONE || seen[o as usize] {
                    continue;
                }
                seen[o as usize] = true;
                visited.push(o);
                if later_born(o) {
                    stack.push(o);
                } else {
                    tree.extend(res[o as usize].tree.iter().copied());
                }
            }
        }
        for v in visited {
            seen[v as usize] = false;
        }
        if !tree.is_empty() {
            union(&mut res[r].later, via);
            res[r].tree.clear();
            union(&mut res[r].tree, tree);
        }
    }

    // The pool: one entry per record.
    let mut pool: Vec<u32> = Vec::new();
    let mut push = |x: &Res| -> Result<u32, DataError> {
        if x.tree.len() > MAX_UNITS {
            return Err(invalid("a code resolves to more than MAX_UNITS units"));
        }
        let too_long = [&x.chain, &x.moved, &x.later, &x.latest]
            .iter()
            .any(|v| v.len() > 0xFFFF);
        if too_long {
            return Err(invalid("a resolution is too long"));
        }
        let at = u32::try_from(pool.len()).map_err(|_| invalid("too large"))?;
        pool.push(x.tree.len() as u32 | (x.chain.len() as u32) << 16);
        pool.push(x.moved.len() as u32 | (x.later.len() as u32) << 16);
        pool.push(x.latest.len() as u32);
        for v in [&x.tree, &x.chain, &x.moved, &x.later, &x.latest] {
            pool.extend_from_slice(v);
        }
        Ok(at)
    };
    let mut unions: Vec<Res> = Vec::new();
    let mut rec_entry = Vec::with_capacity(n);
    for x in &res {
        rec_entry.push(push(x)?);
    }

    // Segments: per code, the calendar years with the same records in use.
    // Two records of one code are in use in one year only around a rename
    // or a reuse of the code; that year answers with both.
    let mut segs: Vec<Seg> = Vec::new();
    for c in 0..n_codes {
        let first_seg = segs.len();
        let (a, b) = (code_recs[c] as usize, code_recs[c + 1] as usize);
        let mut bounds: Vec<u16> = Vec::new();
        for rec in &recs[a..b] {
            let (x, y) = in_use(raw, rec);
            bounds.push(x);
            bounds.push(y + 1);
        }
        bounds.sort_unstable();
        bounds.dedup();
        for w in bounds.windows(2) {
            let (from, to) = (w[0], w[1] - 1);
            let live: Vec<usize> = (a..b)
                .filter(|&i| {
                    let (x, y) = in_use(raw, &recs[i]);
                    x <= from && from <= y
                })
                .collect();
            let (entry, x) = match live[..] {
                [] => continue,
                [one] => (rec_entry[one], &res[one]),
                _ => {
                    let mut u = Res::default();
                    for &i in &live {
                        u.absorb(&res[i]);
                    }
                    let at = push(&u)?;
                    unions.push(u);
                    (at, unions.last().unwrap_or(&res[live[0]]))
                }
            };
            let ours = segs.len() > first_seg;
            match segs.last_mut() {
                Some(s) if ours && s.entry == entry && s.to + 1 == from => s.to = to,
                _ => {
                    let mut flags = (x.flags & LATER) as u8;
                    if x.tree.is_empty() {
                        flags |= ABOLISHED;
                    }
                    if !x.chain.is_empty() {
                        flags |= CHANGED;
                    }
                    segs.push(Seg {
                        from,
                        to,
                        entry,
                        code0: x.tree.first().map_or(0, |&r| rec_code[r as usize]),
                        targets: x.tree.len() as u8,
                        flags,
                    })
                }
            }
        }
        codes[c].first_seg = u32::try_from(first_seg).map_err(|_| invalid("too large"))?;
        codes[c].seg0 = segs.get(first_seg).copied().unwrap_or(NO_SEG);
        codes[c].n_segs =
            u16::try_from(segs.len() - first_seg).map_err(|_| invalid("too many segments"))?;
    }

    let later = (0..changes.len() as u32).filter(|&k| later_of(k)).collect();
    Ok(Tables {
        codes: codes.into_boxed_slice(),
        code_text: code_text.into_boxed_str(),
        code_index,
        code_recs: code_recs.into_boxed_slice(),
        rec_code: rec_code.into_boxed_slice(),
        segs: segs.into_boxed_slice(),
        pool: pool.into_boxed_slice(),
        name_index,
        name_start,
        name_recs,
        succ_start,
        succ,
        pred_start,
        pred,
        later,
    })
}
