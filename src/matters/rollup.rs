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

/// The roll-up tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rollup {
    /// Per unit id.
    pub(crate) totals: Vec<Counts>,
    /// Per unit id: (category << 16 | grade, [matters, cases]), sorted by
    /// key, zero entries removed. A unit holds a few pairs (the root at
    /// most categories x grades): a short scan beats hashing, and the
    /// unit's row is one index away.
    pub(crate) by_kind: Vec<Vec<(u32, [u32; 2])>>,
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
            totals: vec![Counts::default(); units],
            by_kind: vec![Vec::new(); units],
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
                let row = &mut self.by_kind[unit as usize];
                let k = key(category, grade);
                let at = match row.iter().position(|e| e.0 >= k) {
                    Some(i) if row[i].0 == k => i,
                    Some(i) => {
                        row.insert(i, (k, [0, 0]));
                        i
                    }
                    None => {
                        row.push((k, [0, 0]));
                        row.len() - 1
                    }
                };
                let e = &mut row[at].1;
                e[slot] = e[slot].wrapping_add_signed(delta);
                if *e == [0, 0] {
                    row.remove(at);
                }
            }
            unit = h.parent[unit as usize];
        }
    }

    /// The (category, grade, matters, cases) rows of one unit, in category
    /// then grade order (ungraded last).
    pub(crate) fn rows(&self, unit: u32) -> impl Iterator<Item = (u16, u16, u32, u32)> + '_ {
        self.by_kind[unit as usize]
            .iter()
            .map(|&(k, v)| ((k >> 16) as u16, k as u16, v[0], v[1]))
    }
}
