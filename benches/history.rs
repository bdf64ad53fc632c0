//! Resolving random historical codes (random year, random code in use that
//! year) to units: a `Resolver` (units looked up once per hierarchy),
//! `History::resolve` (looks the units up in the hierarchy per query), and
//! the naive way, scanning the changes.csv rows in a Vec at every step.
//!
//! Two targets: a hierarchy of the 3,212 MCA codes of 2023, and the same
//! padded with 665k synthetic townships and villages, so that the target's
//! code index is as large (and as cache-cold) as `xzqh::china()`'s.

#[path = "../tests/suite/common/history.rs"]
#[allow(dead_code)] // shared with the tests, which use more of it
mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::Hierarchy;
use xzqh::china::ChinaKind;
use xzqh::china::history::History;

const N: usize = 4096;

/// Random `(code, year)` with the code in use in that year.
fn inputs(naive: &common::Naive) -> Vec<(String, u16)> {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut out = Vec::with_capacity(N);
    while out.len() < N {
        let year = 1981 + (next() % 45) as u16;
        let i = &naive.intervals[(next() % naive.intervals.len() as u64) as usize];
        if i.first <= year && year <= (i.last + 1).min(2025) {
            out.push((i.code.clone(), year));
        }
    }
    out
}

/// The 2023 tree with 14 townships under each county and 16 villages under
/// each township.
fn padded() -> Hierarchy {
    let base = common::tree_2023();
    let mut b = Hierarchy::builder(xzqh::china::schema())
        .profile(xzqh::china::profile())
        .reserve(700_000, 700_000 * 24);
    for u in base.units() {
        let kind = xzqh::china::ChinaKind::from_id(u.kind_id()).expect("china kind");
        b = b.unit(u.code(), u.name(), kind, u.parent().map(|p| p.code()));
        if u.code().len() == 6 {
            for t in 0..14 {
                let town = format!("{}{:03}", u.code(), 100 + t);
                b = b.unit(&town, &format!("镇{t}"), ChinaKind::Town, Some(u.code()));
                for v in 0..16 {
                    let village = format!("{town}{:03}", 200 + v);
                    b = b.unit(
                        &village,
                        &format!("村{v}"),
                        ChinaKind::VillageCommittee,
                        Some(&town),
                    );
                }
            }
        }
    }
    b.build().expect("padded tree")
}

fn bench(c: &mut Criterion) {
    let history = History::embedded();
    let naive = common::Naive::load();
    let inputs = inputs(&naive);
    for (label, tree) in [("3k", common::tree_2023()), ("665k", padded())] {
        let mut g = c.benchmark_group(format!("history/resolve/{label}"));
        let resolver = history.resolver(&tree);
        let mut i = 0;
        g.bench_function("resolver", |b| {
            b.iter(|| {
                i = (i + 1) & (N - 1);
                let (code, year) = &inputs[i];
                let r = resolver.resolve(code, *year).expect("in use");
                black_box(r.units().next().map(|u| u.id()))
            })
        });
        g.bench_function("resolver_dependent", |b| {
            b.iter(|| {
                let (code, year) = &inputs[i];
                let r = resolver.resolve(code, *year).expect("in use");
                let u = r.units().next().map_or(1, |u| u.id().index());
                i = (i + 1 + (u & 1)) & (N - 1);
                black_box(u)
            })
        });
        g.bench_function("history_resolve", |b| {
            b.iter(|| {
                i = (i + 1) & (N - 1);
                let (code, year) = &inputs[i];
                let r = history.resolve(code, *year, &tree).expect("in use");
                black_box(r.units().next().map(|u| u.id()))
            })
        });
        g.bench_function("naive_scan", |b| {
            b.iter(|| {
                i = (i + 1) & (N - 1);
                let (code, year) = &inputs[i];
                let a = naive.resolve(code, *year).expect("in use");
                let first = a.tree.iter().next().map(|c| common::data_form(c));
                black_box(first.and_then(|c| tree.by_code(c)).map(|u| u.id()))
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
