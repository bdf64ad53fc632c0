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

/// The roll-up tables: one record per unit, so a walk up the pyramid reads
/// one cache line per level for the common case (a unit with one category
/// and grade pair).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rollup {
    pub(crate) units: Vec<UnitRoll>,
}

/// One unit's figures: totals, and (category << 16 | grade, [matters,
/// cases]) pairs with the smallest key inline and the others sorted in
/// `rest`, zero pairs removed: one canonical form for one content, so a
/// recount equals the live tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnitRoll {
    pub(crate) counts: Counts,
    head: (u32, [u32; 2]),
    rest: Vec<(u32, [u32; 2])>,
}

/// No pair.
const EMPTY: u32 = u32::MAX;

impl Default for UnitRoll {
    fn default() -> Self {
        UnitRoll {
            counts: Counts::default(),
            head: (EMPTY, [0, 0]),
            rest: Vec::new(),
        }
    }
}

impl UnitRoll {
    fn bump(&mut self, k: u32, slot: usize, delta: i32) {
        if self.head.0 != k {
            if self.head.0 == EMPTY {
                self.head = (k, [0, 0]);
            } else if k < self.head.0 {
                let old = std::mem::replace(&mut self.head, (k, [0, 0]));
                self.rest.insert(0, old);
            } else {
                return self.bump_rest(k, slot, delta);
            }
        }
        let e = &mut self.head.1;
        e[slot] = e[slot].wrapping_add_signed(delta);
        if *e == [0, 0] {
            self.head = if self.rest.is_empty() {
                (EMPTY, [0, 0])
            } else {
                self.rest.remove(0)
            };
        }
    }

    /// [`bump`](Self::bump) for a key above the head's. The pairs are few
    /// (categories times grades seen in the area), so a short list is
    /// scanned (one predictable compare a pair) rather than bisected.
    fn bump_rest(&mut self, k: u32, slot: usize, delta: i32) {
        let at = if self.rest.len() <= 8 {
            self.rest
                .iter()
                .position(|e| e.0 >= k)
                .unwrap_or(self.rest.len())
        } else {
            self.rest.partition_point(|e| e.0 < k)
        };
        if self.rest.get(at).is_none_or(|e| e.0 != k) {
            self.rest.insert(at, (k, [0, 0]));
        }
        let e = &mut self.rest[at].1;
        e[slot] = e[slot].wrapping_add_signed(delta);
        if *e == [0, 0] {
            self.rest.remove(at);
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
    pub(crate) fn new(units: usize) -> Self {
        Rollup {
            units: vec![UnitRoll::default(); units],
        }
    }

    /// Adds `delta` (+1 or -1) to `field` at `unit` and every ancestor.
    pub(crate) fn add(
        &mut self,
        h: &Hierarchy,
        mut unit: u32,
        field: Field,
        category: u16,
        grade: u16,
        delta: i32,
    ) {
        let slot = match field {
            Field::Matters => 0,
            Field::Cases => 1,
            Field::Overdue => 2,
        };
        let k = key(category, grade);
        while unit != NONE {
            let u = &mut self.units[unit as usize];
            let c = match field {
                Field::Matters => &mut u.counts.matters,
                Field::Cases => &mut u.counts.cases,
                Field::Overdue => &mut u.counts.overdue,
            };
            *c = c.wrapping_add_signed(delta);
            if slot < 2 {
                u.bump(k, slot, delta);
            }
            unit = h.parent[unit as usize];
        }
    }

    /// A unit's totals.
    pub(crate) fn totals(&self, unit: u32) -> Counts {
        self.units[unit as usize].counts
    }

    /// The (category, grade, matters, cases) rows of one unit, in category
    /// then grade order (ungraded last).
    pub(crate) fn rows(&self, unit: u32) -> impl Iterator<Item = (u16, u16, u32, u32)> + '_ {
        let u = &self.units[unit as usize];
        std::iter::once(u.head)
            .filter(|e| e.0 != EMPTY)
            .chain(u.rest.iter().copied())
            .map(|(k, v)| ((k >> 16) as u16, k as u16, v[0], v[1]))
    }
}
