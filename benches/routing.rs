//! Route one case with 1, 4 and 16 random villages (trace included) on
//! China's village-level hierarchy (`xzqh::china_with_villages()`), beside
//! the same rule written by hand over flat arrays ([`Flat`]): the
//! depth-aligned lowest common ancestor of the places, then a walk up to the
//! first unit of an eligible role at or above the category's level, each
//! step pushed to a reused trace vector; then, as a decision holds them, the
//! governments above the handler and the handler's children through which
//! the places are reached. No existing crate routes cases.
//! Every handler is checked inside the loop.
//!
//! `cargo bench -p xzqh-benches --bench routing`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::routing::{Case, Decision, Place, Router};
use xzqh::{Hierarchy, Role, UnitId};
use xzqh_benches::{BASELINE, Flat, Rng, XZQH};

const CATEGORY: &str = "public_complaint";

/// Why the hand-written router passed a unit by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Start,
    BelowLevel,
    Role,
    Handles,
}

/// The rule of `public_complaint` in China's default policy, by hand:
/// township level or above, a government or an agency.
struct Baseline<'a> {
    flat: &'a Flat,
    eligible_kind: Vec<bool>,
    government_kind: Vec<bool>,
    max_rank: u8,
}

/// What the hand-written router hands back, reused between cases.
#[derive(Default)]
struct Out {
    trace: Vec<(u32, Step)>,
    escalation: Vec<u32>,
    parties: Vec<u32>,
}

impl Baseline<'_> {
    fn route(&self, places: &[u32], out: &mut Out) -> u32 {
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

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let router = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let flat = Flat::new(h);
    let mut eligible_kind = vec![false; h.schema().kinds().len()];
    let mut government_kind = vec![false; h.schema().kinds().len()];
    for u in h.units() {
        eligible_kind[u.kind_id().index()] = matches!(u.role(), Role::Government | Role::Agency);
        government_kind[u.kind_id().index()] = u.role() == Role::Government;
    }
    let baseline = Baseline {
        flat: &flat,
        eligible_kind,
        government_kind,
        max_rank: xzqh::china::TOWNSHIP.rank(),
    };

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let village: Vec<UnitId> = h
        .units()
        .filter(|u| u.level() == xzqh::china::VILLAGE)
        .map(|u| u.id())
        .collect();
    let places: Vec<UnitId> = (0..1 << 14)
        .map(|_| village[rng.below(village.len())])
        .collect();
    for n in [1usize, 4, 16] {
        let cases: Vec<Vec<Place>> = places
            .chunks(n)
            .map(|c| c.iter().map(|&u| Place::Id(u)).collect())
            .collect();
        let raw: Vec<Vec<u32>> = places
            .chunks(n)
            .map(|c| c.iter().map(|u| u.get()).collect())
            .collect();
        let mut d = Decision::new(h);
        let mut out = Out::default();
        let want: Vec<UnitId> = cases
            .iter()
            .map(|c| {
                router
                    .route_into(&Case::new(c, CATEGORY), &mut d)
                    .expect("routable");
                d.handler().id()
            })
            .collect();
        for (r, w) in raw.iter().zip(&want) {
            assert_eq!(baseline.route(r, &mut out), w.get(), "same rule");
        }

        let mut g = c.benchmark_group(format!("route_{n}_places/{}k", h.len() / 1000));
        let mut i = 0;
        g.bench_function(XZQH, |b| {
            b.iter(|| {
                i = (i + 1) % cases.len();
                router
                    .route_into(&Case::new(black_box(&cases[i]), CATEGORY), &mut d)
                    .expect("routable");
                assert_eq!(d.handler().id(), want[i]);
                black_box((d.trace().len(), d.escalation().len(), d.parties().len()));
            })
        });
        g.bench_function(BASELINE, |b| {
            b.iter(|| {
                i = (i + 1) % cases.len();
                let u = baseline.route(black_box(&raw[i]), &mut out);
                assert_eq!(u, want[i].get());
                black_box((out.trace.len(), out.escalation.len(), out.parties.len()));
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
