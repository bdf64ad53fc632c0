//! The routing rule of `public_complaint` written by hand over [`Flat`]
//! arrays: the simple alternative the routing bench and the route probe
//! measure beside [`Router`](xzqh::routing::Router).

use xzqh::routing::Place;
use xzqh::{Hierarchy, Role};

use crate::Flat;

/// The category both routers are measured on.
pub const CATEGORY: &str = "public_complaint";

/// Why the hand-written router passed a unit by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The places' lowest common ancestor.
    Start,
    /// Below township level.
    BelowLevel,
    /// Neither a government nor an agency.
    Role,
    /// The handler.
    Handles,
}

/// The rule of `public_complaint` in China's default policy, by hand:
/// township level or above, a government or an agency. The depth-aligned
/// lowest common ancestor of the places, then a walk up to the first unit
/// of an eligible role at or above the level, each step pushed to a reused
/// trace vector; then, as a decision holds them, the governments above the
/// handler and the handler's children through which the places are reached.
#[derive(Debug)]
pub struct Baseline<'a> {
    flat: &'a Flat,
    eligible_kind: Vec<bool>,
    government_kind: Vec<bool>,
    max_rank: u8,
}

/// What the hand-written router hands back, reused between cases.
#[derive(Debug, Default)]
pub struct Out {
    /// One step per unit looked at.
    pub trace: Vec<(u32, Step)>,
    /// The governments above the handler, nearest first.
    pub escalation: Vec<u32>,
    /// The handler's children through which the places are reached, sorted.
    pub parties: Vec<u32>,
}

impl<'a> Baseline<'a> {
    /// The rule for `h`'s kinds, over `flat` (built from `h`).
    pub fn new(h: &Hierarchy, flat: &'a Flat) -> Baseline<'a> {
        let mut eligible_kind = vec![false; h.schema().kinds().len()];
        let mut government_kind = vec![false; h.schema().kinds().len()];
        for u in h.units() {
            eligible_kind[u.kind_id().index()] =
                matches!(u.role(), Role::Government | Role::Agency);
            government_kind[u.kind_id().index()] = u.role() == Role::Government;
        }
        Baseline {
            flat,
            eligible_kind,
            government_kind,
            max_rank: xzqh::china::TOWNSHIP.rank(),
        }
    }

    /// Routes the case of `places` (row ids, at least one) into `out`;
    /// returns the handler.
    pub fn route(&self, places: &[u32], out: &mut Out) -> u32 {
        let handler = self.climb(places, &mut out.trace);
        let f = self.flat;
        out.escalation.clear();
        let mut p = handler;
        while p != 0 {
            p = f.parent[p as usize];
            if self.government_kind[f.kind[p as usize] as usize] {
                out.escalation.push(p);
            }
        }
        out.parties.clear();
        for &x in places {
            let mut x = x;
            if x == handler {
                continue;
            }
            while f.parent[x as usize] != handler {
                x = f.parent[x as usize];
            }
            if let Err(at) = out.parties.binary_search(&x) {
                out.parties.insert(at, x);
            }
        }
        handler
    }

    fn climb(&self, places: &[u32], trace: &mut Vec<(u32, Step)>) -> u32 {
        trace.clear();
        let f = self.flat;
        let mut u = places[1..].iter().fold(places[0], |acc, &p| f.lca(acc, p));
        trace.push((u, Step::Start));
        loop {
            let i = u as usize;
            if f.level[i] > self.max_rank {
                trace.push((u, Step::BelowLevel));
            } else if !self.eligible_kind[f.kind[i] as usize] {
                trace.push((u, Step::Role));
            } else {
                trace.push((u, Step::Handles));
                return u;
            }
            u = f.parent[i];
        }
    }
}

/// The villages the routing bench and the route probe draw their places
/// from: `count` random villages of `h`, the same on every run.
pub fn random_villages(h: &Hierarchy, count: usize) -> Vec<xzqh::UnitId> {
    let mut rng = crate::Rng(0x9E37_79B9_7F4A_7C15);
    let village: Vec<xzqh::UnitId> = h
        .units()
        .filter(|u| u.level() == xzqh::china::VILLAGE)
        .map(|u| u.id())
        .collect();
    (0..count)
        .map(|_| village[rng.below(village.len())])
        .collect()
}

/// `villages` cut into cases of `n` places: as the router reads them, and
/// as the baseline's row ids.
pub fn cut_into_cases(
    villages: &[xzqh::UnitId],
    n: usize,
) -> (Vec<Vec<Place<'static>>>, Vec<Vec<u32>>) {
    let cases = villages
        .chunks(n)
        .map(|c| c.iter().map(|&u| Place::Id(u)).collect())
        .collect();
    let raw = villages
        .chunks(n)
        .map(|c| c.iter().map(|u| u.get()).collect())
        .collect();
    (cases, raw)
}
