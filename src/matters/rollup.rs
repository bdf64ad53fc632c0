//! Roll-ups: open matters, open cases and overdue cases per unit, counted
//! at the unit and every ancestor, in total and by category and grade.
//!
//! A case counts at the unit of its first place, a matter at its handler;
//! both count again at every ancestor, so a unit's figures cover its whole
//! area. Each change walks one chain of ancestors: O(depth) per event.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// A multiply-shift hasher for the roll-ups' integer keys (which the
/// ledger makes, not the caller): SipHash would cost more than the rest of
/// an event.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IntMap<V> = HashMap<u64, V, BuildHasherDefault<IntHasher>>;

/// The roll-up tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rollup {
    /// Per unit id.
    pub(crate) totals: Vec<Counts>,
    /// (unit, category, grade) to (matters, cases); zero entries removed.
    pub(crate) by_kind: IntMap<[u32; 2]>,
}

fn key(unit: u32, category: u16, grade: u16) -> u64 {
    (u64::from(unit) << 32) | (u64::from(category) << 16) | u64::from(grade)
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
            totals: vec![Counts::default(); units],
            by_kind: IntMap::default(),
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
        while unit != NONE {
            let t = &mut self.totals[unit as usize];
            let c = match field {
                Field::Matters => &mut t.matters,
                Field::Cases => &mut t.cases,
                Field::Overdue => &mut t.overdue,
            };
            *c = c.wrapping_add_signed(delta);
            if slot < 2 {
                let k = key(unit, category, grade);
                let e = self.by_kind.entry(k).or_insert([0, 0]);
                e[slot] = e[slot].wrapping_add_signed(delta);
                if *e == [0, 0] {
                    self.by_kind.remove(&k);
                }
            }
            unit = h.parent[unit as usize];
        }
    }

    /// The (category, grade, matters, cases) rows of one unit, in category
    /// then grade order (ungraded last): one lookup per pair, not a scan.
    pub(crate) fn rows(
        &self,
        unit: u32,
        categories: usize,
        grades: usize,
    ) -> Vec<(u16, u16, u32, u32)> {
        let mut out = Vec::new();
        for c in 0..categories as u16 {
            let grades = (0..grades as u16).chain([crate::matters::state::UNGRADED]);
            for g in grades {
                if let Some(v) = self.by_kind.get(&key(unit, c, g)) {
                    out.push((c, g, v[0], v[1]));
                }
            }
        }
        out
    }
}
