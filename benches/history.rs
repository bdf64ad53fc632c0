//! Resolving random historical codes (random year, random code in use that
//! year) to today's units: a `Resolver` (units looked up once per
//! hierarchy), beside the simple alternative, a table of every code's
//! intervals of use sorted by (code, first year) with each interval's answer
//! precomputed, searched by binary search. No existing crate reads China's
//! code history. `History::resolve` (units looked up per query) is an extra
//! column. Every answer is checked inside the loop.
//!
//! Two targets: a hierarchy of the 3,212 MCA codes of 2023, and the same
//! padded with 665k synthetic townships and villages, so that the target's
//! code index is as large (and as cache-cold) as the village-level data's.
//!
//! `cargo bench -p xzqh-benches --bench history`

#[path = "../tests/suite/common/history.rs"]
#[allow(dead_code)] // shared with the tests, which use more of it
mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::Hierarchy;
use xzqh::china::ChinaKind;
use xzqh::china::history::History;
use xzqh_benches::{BASELINE, XZQH};

const N: usize = 4096;

/// Random `(code, year)` with the code in use in that year.
fn inputs(intervals: &[common::Interval]) -> Vec<(String, u16)> {
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
        let i = &intervals[(next() % intervals.len() as u64) as usize];
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

/// A code and the first year of one of its intervals of use.
type Key = (String, u16);

/// The simple alternative: every interval of use with its answer (today's
/// units), sorted by (code, first year); a query is a binary search for the
/// last interval of the code starting in or before the year.
struct Sorted {
    keys: Vec<Key>,
    answers: Vec<Box<[u32]>>,
}

impl Sorted {
    fn resolve(&self, code: &str, year: u16) -> Option<&[u32]> {
        let i = self
            .keys
            .partition_point(|(c, first)| (c.as_str(), *first) <= (code, year));
        let (c, _) = self.keys.get(i.checked_sub(1)?)?;
        (c == code).then(|| &*self.answers[i - 1])
    }
}

fn bench(c: &mut Criterion) {
    let history = History::embedded();
    let intervals = common::intervals();
    let all_inputs = inputs(&intervals);
    for (label, tree) in [("3k", common::tree_2023()), ("665k", padded())] {
        let resolver = history.resolver(&tree);
        let first = |code: &str, year: u16| {
            resolver
                .resolve(code, year)
                .ok()
                .map(|r| r.units().map(|u| u.id().get()).collect::<Box<[u32]>>())
        };
        let mut rows: Vec<(Key, Box<[u32]>)> = intervals
            .iter()
            .filter_map(|i| Some(((i.code.clone(), i.first), first(&i.code, i.first)?)))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.dedup_by(|a, b| a.0 == b.0);
        let (keys, answers) = rows.into_iter().unzip();
        let sorted = Sorted { keys, answers };
        // Measure both on the inputs where the precomputed intervals agree
        // with the resolver (a code's meaning can change within an interval
        // only through a change the table does not split on).
        let cases: Vec<(String, u16, Box<[u32]>)> = all_inputs
            .iter()
            .filter_map(|(code, year)| {
                let want = first(code, *year)?;
                (sorted.resolve(code, *year) == Some(&*want)).then(|| (code.clone(), *year, want))
            })
            .collect();
        let n = cases.len();
        assert!(n > N / 2, "{n} of {N} inputs agree");

        let mut g = c.benchmark_group(format!("history_resolve/{label}"));
        let mut i = 0;
        g.bench_function(XZQH, |b| {
            b.iter(|| {
                i = (i + 1) % n;
                let (code, year, want) = &cases[i];
                let r = resolver.resolve(black_box(code), *year).expect("in use");
                assert_eq!(
                    r.units().next().map(|u| u.id().get()),
                    want.first().copied()
                );
            })
        });
        g.bench_function(BASELINE, |b| {
            b.iter(|| {
                i = (i + 1) % n;
                let (code, year, want) = &cases[i];
                let r = sorted.resolve(black_box(code), *year).expect("in use");
                assert_eq!(r.first(), want.first());
            })
        });
        g.bench_function("extra:History::resolve", |b| {
            b.iter(|| {
                i = (i + 1) % n;
                let (code, year, want) = &cases[i];
                let r = history
                    .resolve(black_box(code), *year, &tree)
                    .expect("in use");
                assert_eq!(
                    r.units().next().map(|u| u.id().get()),
                    want.first().copied()
                );
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
