//! Routing to a desk against routing to a level, in the same run: the desk
//! layer's cost over the level router (target: at most 1.2×). Random
//! township-level places of the embedded data, one category per case in
//! turn; the answers are used so nothing is optimised away.
//!
//! `cargo bench -p xzqh-benches --bench desks -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::desks::{DeskRouter, Directory};
use xzqh::routing::{Case, Place, Router};
use xzqh::{Hierarchy, UnitId};

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china();
    let levels = Router::new(h, xzqh::china::policy()).expect("the default policy fits");
    let desks = DeskRouter::new(
        h,
        xzqh::china::policy(),
        xzqh::china::desks(),
        Directory::new(),
    )
    .expect("China's desk policy fits");
    let categories = [
        "urban_management",
        "public_complaint",
        "labour_dispute",
        "environment",
        "petition",
        "emergency",
    ];
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut places = Vec::new();
    while places.len() < 4096 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let id = UnitId::new((s % h.len() as u64) as u32);
        if h.get(id)
            .is_some_and(|u| u.level() == xzqh::china::TOWNSHIP)
        {
            places.push([Place::Id(id)]);
        }
    }
    let mut g = c.benchmark_group("route a case to a level or a desk");
    let mut i = 0;
    g.bench_function("level", |b| {
        b.iter(|| {
            i = (i + 1) % places.len();
            let case = Case::new(&places[i], categories[i % categories.len()]);
            black_box(levels.route(&case).map(|d| d.handler().id()))
        })
    });
    let mut j = 0;
    g.bench_function("desk", |b| {
        b.iter(|| {
            j = (j + 1) % places.len();
            let case = Case::new(&places[j], categories[j % categories.len()]);
            black_box(desks.route(&case).map(|d| d.lead().unit().id()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
