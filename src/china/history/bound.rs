//! The code history bound to one hierarchy: China's [`Successions`], as a
//! hierarchy of China's profile holds them ([`Hierarchy::successions`]).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use super::resolve::{Bindings, Resolver};
use crate::address::OldName;
use crate::china::history::{History, data_code};
use crate::china::{COUNTY, ChinaCode};
use crate::{ChangeId, CodeBuf, Hierarchy, Successions, UnitId};

/// A [`History`] (cut at the profile's data date) with its answers bound to
/// one hierarchy's units, built once when the hierarchy first asks: routing
/// a superseded code is then a hash probe.
pub(crate) struct Bound {
    history: Arc<History>,
    bindings: Bindings,
}

impl Bound {
    pub(crate) fn new(history: Arc<History>, hierarchy: &Hierarchy) -> Bound {
        let bindings = Bindings::new(&history, hierarchy);
        Bound { history, bindings }
    }

    /// A resolver over the kept tables.
    fn resolver<'a>(&'a self, h: &'a Hierarchy) -> Resolver<'a> {
        Resolver::borrowed(&self.history, h, &self.bindings)
    }
}

impl fmt::Debug for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bound")
            .field("history", &self.history.data_version())
            .field("cutoff", &self.history.cutoff().to_string())
            .field("codes", &self.bindings.len())
            .finish()
    }
}

impl Successions for Bound {
    fn successors(&self, h: &Hierarchy, code: &str, out: &mut Vec<UnitId>) -> Option<ChangeId> {
        if !self.bindings.is_for(h) {
            return None; // unit ids of another hierarchy
        }
        if super::six(code).is_none() {
            // Another written form of a county-or-higher code
            // (371200000000): the history knows its data form.
            let mut data = CodeBuf::new();
            let parsed = code.parse::<ChinaCode>().ok()?;
            if parsed.level().rank() > COUNTY.rank() || !parsed.write_data_form(&mut data) {
                return None;
            }
            return self.bindings.successors(&self.history, data.as_str(), out);
        }
        self.bindings.successors(&self.history, code, out)
    }

    fn describe(&self, change: ChangeId, out: &mut dyn fmt::Write) -> fmt::Result {
        match self.history.change(change.0 as usize) {
            Some(c) => write!(out, "{c}"),
            None => write!(out, "change #{}", change.0),
        }
    }

    /// The names of the code history that no unit of `h` bears under the
    /// same code any more, each with the units that cover it today: a
    /// merged unit's successor, a split unit's parts, a renamed unit
    /// itself. Names that mean today's unit anyway are left out.
    fn old_names(&self, h: &Hierarchy) -> Vec<OldName> {
        if !self.bindings.is_for(h) {
            return Vec::new();
        }
        let history = &*self.history;
        let resolver = self.resolver(h);

        // For each name, the records that bore it last (a name can have
        // meant a county-level city, then a prefecture: 莱芜市), and the
        // units that cover them today.
        struct Bearers {
            last: u16,
            units: Vec<UnitId>,
            notes: Vec<String>,
        }
        let mut by_name: BTreeMap<&str, Bearers> = BTreeMap::new();
        let mut seen = HashSet::new();
        for year in history.years() {
            for r in history.valid_in(year) {
                if !seen.insert((r.code(), r.name())) {
                    continue;
                }
                let current = h.by_exact_code(data_code(r.code()));
                if current.is_some_and(|u| u.name() == r.name()) {
                    continue; // today's name under today's code
                }
                let Ok(res) = resolver.current(r.code()) else {
                    continue;
                };
                let last = r.last_year().unwrap_or(u16::MAX);
                let b = by_name.entry(r.name()).or_insert(Bearers {
                    last,
                    units: Vec::new(),
                    notes: Vec::new(),
                });
                if last < b.last {
                    continue;
                }
                if last > b.last {
                    *b = Bearers {
                        last,
                        units: Vec::new(),
                        notes: Vec::new(),
                    };
                }
                b.units.extend(res.units().map(|u| u.id()));
                let end = r.last_year().map_or(String::new(), |y| y.to_string());
                b.notes.push(format!(
                    "{} {} {}–{end}",
                    r.code(),
                    r.name(),
                    r.first_year()
                ));
            }
        }
        by_name
            .into_iter()
            // A name some unit bears today is that unit's, not an old name.
            .filter(|(name, b)| !b.units.is_empty() && h.by_name(name).next().is_none())
            .map(|(name, mut b)| {
                b.units.sort_unstable();
                b.units.dedup();
                // Units inside another of the set add nothing: the outer one
                // covers the old area.
                let outer: Vec<UnitId> = b
                    .units
                    .iter()
                    .copied()
                    .filter(|&u| {
                        !b.units.iter().any(|&v| {
                            v != u && h.get(v).zip(h.get(u)).is_some_and(|(v, u)| v.contains(u))
                        })
                    })
                    .collect();
                OldName::new(name, outer, b.notes.join("; "))
            })
            .collect()
    }
}
