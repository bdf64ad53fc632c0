//! Roll-ups: open matters, open cases and overdue cases per unit, counted
//! at the unit and every ancestor, in total and by category and grade.
//!
//! A case counts at the unit of its first place, a matter at its handler;
//! both count again at every ancestor, so a unit's figures cover its whole
//! area. Each change walks one chain of ancestors: O(depth) per event.

use crate::model::hierarchy::{Hierarchy, NONE};

/// Open matters, open cases and overdue open cases in a unit's area.
///
/// # Examples
///
/// ```
/// use xzqh::matters::{Arrival, Ledger, MatterRules};
/// use xzqh::routing::{Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let mut ledger = Ledger::new(&router, MatterRules::new("r"))?;
/// let a = [Place::Code("110105")];
/// ledger.arrive(Arrival::new("c1", "m", "petition", &a, 0))?;
/// let beijing = xzqh::china().by_code("11").unwrap();
/// let c = ledger.counts(beijing);
/// assert_eq!((c.matters, c.cases, c.overdue), (1, 1, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Counts {
    /// Open matters handled in the area.
    pub matters: u32,
    /// Open cases located in the area.
    pub cases: u32,
    /// Open cases past a deadline.
    pub overdue: u32,
}

/// The roll-up tables: one 64-byte, line-aligned record per unit, so a walk
/// up the pyramid touches one cache line per level for a unit with up to
/// four category and grade pairs. A unit's totals of matters and cases are
/// the sums of its pairs, not counts of their own: a walk bumps one pair a
/// level, and the record has room for a fourth pair. The walk takes the ancestors from the
/// hierarchy's parent array (4 bytes a unit: 2.6 MB for China's villages,
/// against 42 MB of records), not from the records: no record's address waits for the record below it, so the
/// misses of a walk overlap instead of following one another (as when each
/// record held its parent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rollup {
    pub(crate) units: Vec<UnitRoll>,
}

/// A (category << 16 | grade, [matters, cases]) pair.
type Pair = (u32, [u32; 2]);

/// How many pairs a unit holds inline.
const INLINE: usize = 4;
// `bump` looks at the four slots by hand.
const _: () = assert!(INLINE == 4);

/// One unit's figures: overdue cases and the (category << 16 | grade,
/// [matters, cases]) pairs, the smallest keys
/// inline (empty slots last) and the others sorted in `rest` (absent when
/// none), zero pairs removed: one canonical form for one content, so a
/// recount equals the live tables.
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(align(64))]
pub(crate) struct UnitRoll {
    overdue: u32,
    pairs: [Pair; INLINE],
    /// Boxed: a thin pointer (8 bytes, not a vector's 24) keeps the
    /// record within one line.
    #[allow(clippy::box_collection)]
    rest: Option<Box<Vec<Pair>>>,
}

// One record, one line.
const _: () = assert!(std::mem::size_of::<UnitRoll>() == 64);

/// No pair.
const EMPTY: u32 = u32::MAX;

impl Default for UnitRoll {
    fn default() -> Self {
        UnitRoll {
            overdue: 0,
            pairs: [(EMPTY, [0, 0]); INLINE],
            rest: None,
        }
    }
}

impl UnitRoll {
    #[inline]
    fn bump(&mut self, k: u32, slot: usize, delta: i32) {
        // The first inline pair at or above `k` (an empty slot's key is
        // above every key).
        let p = &self.pairs;
        let i = if p[0].0 >= k {
            0
        } else if p[1].0 >= k {
            1
        } else if p[2].0 >= k {
            2
        } else if p[3].0 >= k {
            3
        } else {
            return self.bump_rest(k, slot, delta);
        };
        if self.pairs[i].0 != k {
            return self.insert_inline(i, k, slot, delta);
        }
        let e = &mut self.pairs[i].1;
        e[slot] = e[slot].wrapping_add_signed(delta);
        if *e == [0, 0] {
            self.remove_inline(i);
        }
    }

    /// Puts a new pair for `k` at inline slot `i`; the last inline pair,
    /// if any, moves to the front of `rest`.
    fn insert_inline(&mut self, i: usize, k: u32, slot: usize, delta: i32) {
        let last = self.pairs[INLINE - 1];
        if last.0 != EMPTY {
            self.rest.get_or_insert_default().insert(0, last);
        }
        self.pairs.copy_within(i..INLINE - 1, i + 1);
        let mut e = [0u32, 0];
        e[slot] = e[slot].wrapping_add_signed(delta);
        self.pairs[i] = (k, e);
    }

    /// Removes inline pair `i`, pulling the least of `rest` inline.
    fn remove_inline(&mut self, i: usize) {
        self.pairs.copy_within(i + 1..INLINE, i);
        self.pairs[INLINE - 1] = match self.rest.as_deref_mut() {
            Some(rest) => {
                let first = rest.remove(0);
                if rest.is_empty() {
                    self.rest = None;
                }
                first
            }
            None => (EMPTY, [0, 0]),
        };
    }

    /// [`bump`](Self::bump) for a key above every inline one. The pairs
    /// are few (categories times grades seen in the area), so the list is
    /// scanned (one predictable compare a pair).
    #[inline]
    fn bump_rest(&mut self, k: u32, slot: usize, delta: i32) {
        // The common case first: the pair exists and stays non-zero.
        if let Some(rest) = self.rest.as_deref_mut()
            && let Some(e) = rest.iter_mut().find(|e| e.0 == k)
        {
            let v = e.1[slot].wrapping_add_signed(delta);
            if v != 0 || e.1[1 - slot] != 0 {
                e.1[slot] = v;
                return;
            }
        }
        self.reshape_rest(k, slot, delta);
    }

    /// [`bump_rest`](Self::bump_rest) adding or removing a pair.
    #[cold]
    fn reshape_rest(&mut self, k: u32, slot: usize, delta: i32) {
        let rest = self.rest.get_or_insert_default();
        let at = if rest.len() <= 8 {
            rest.iter().position(|e| e.0 >= k).unwrap_or(rest.len())
        } else {
            rest.partition_point(|e| e.0 < k)
        };
        if rest.get(at).is_none_or(|e| e.0 != k) {
            rest.insert(at, (k, [0, 0]));
        }
        let e = &mut rest[at].1;
        e[slot] = e[slot].wrapping_add_signed(delta);
        if *e == [0, 0] {
            rest.remove(at);
        }
        if rest.is_empty() {
            self.rest = None;
        }
    }
}

fn key(category: u16, grade: u16) -> u32 {
    (u32::from(category) << 16) | u32::from(grade)
}

/// Which count a change touches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field {
    Matters,
    Cases,
    Overdue,
}

impl Rollup {
    /// Empty tables for hierarchy `h`.
    pub(crate) fn new(h: &Hierarchy) -> Self {
        Rollup {
            units: vec![UnitRoll::default(); h.len()],
        }
    }

    /// Adds `delta` (+1 or -1) to `field` at `unit` and every ancestor;
    /// `parents` is the hierarchy's parent array.
    #[inline]
    pub(crate) fn add(
        &mut self,
        parents: &[u32],
        unit: u32,
        field: Field,
        category: u16,
        grade: u16,
        delta: i32,
    ) {
        let k = key(category, grade);
        match field {
            Field::Matters => self.walk(parents, unit, |u| u.bump(k, 0, delta)),
            Field::Cases => self.walk(parents, unit, |u| u.bump(k, 1, delta)),
            Field::Overdue => self.walk(parents, unit, |u| {
                u.overdue = u.overdue.wrapping_add_signed(delta);
            }),
        }
    }

    /// Calls `f` on `unit` and every ancestor, each ancestor read from
    /// `parents`, not from the record below it.
    #[inline(always)]
    fn walk(&mut self, parents: &[u32], mut unit: u32, mut f: impl FnMut(&mut UnitRoll)) {
        while unit != NONE {
            let up = parents[unit as usize];
            f(&mut self.units[unit as usize]);
            unit = up;
        }
    }

    /// Reads `unit`'s record and its parent's, and their parents' ids
    /// (for an early read of what a walk from `unit` takes first; the
    /// value means nothing).
    #[inline]
    pub(crate) fn warm(&self, parents: &[u32], unit: u32) -> u32 {
        let up = parents[unit as usize];
        let a = self.units[unit as usize].overdue;
        let Some(&upper) = parents.get(up as usize) else {
            return a;
        };
        a ^ upper ^ self.units[up as usize].overdue
    }

    /// A unit's totals.
    pub(crate) fn totals(&self, unit: u32) -> Counts {
        let u = &self.units[unit as usize];
        let (mut matters, mut cases) = (0u32, 0u32);
        for (_, _, m, c) in self.rows(unit) {
            matters = matters.wrapping_add(m);
            cases = cases.wrapping_add(c);
        }
        Counts {
            matters,
            cases,
            overdue: u.overdue,
        }
    }

    /// The (category, grade, matters, cases) rows of one unit, in category
    /// then grade order (ungraded last).
    pub(crate) fn rows(&self, unit: u32) -> impl Iterator<Item = (u16, u16, u32, u32)> + '_ {
        let u = &self.units[unit as usize];
        u.pairs
            .iter()
            .copied()
            .filter(|e| e.0 != EMPTY)
            .chain(u.rest.iter().flat_map(|r| r.iter().copied()))
            .map(|(k, v)| ((k >> 16) as u16, k as u16, v[0], v[1]))
    }
}
