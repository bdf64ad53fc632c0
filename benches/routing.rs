//! Route one case with 1, 4 and 16 random villages (trace included) on
//! China's village-level hierarchy (`xzqh::china_with_villages()`), beside
//! the same rule written by hand over flat arrays ([`Baseline`]): the
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
use xzqh::routing::{Case, Decision, Router};
use xzqh::{Hierarchy, UnitId};
use xzqh_benches::route_baseline::{Baseline, CATEGORY, Out, cut_into_cases, random_villages};
use xzqh_benches::{BASELINE, Flat, XZQH};

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let router = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let flat = Flat::new(h);
    let baseline = Baseline::new(h, &flat);

    let places = random_villages(h, 1 << 14);
    for n in [1usize, 4, 16] {
        let (cases, raw) = cut_into_cases(&places, n);
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
