//! Code and name lookups and ancestor chains on China's village-level
//! hierarchy (`xzqh::china_with_villages()`, 665k units), random queries over
//! the whole hierarchy, each beside the simple alternative ([`Flat`]: a
//! `hashbrown` map and a parent array; a std `HashMap` of names) and the
//! existing crates (`gb2260` for codes and ancestors of levels 1–3, `cpca`
//! for names), in the same run. Every answer is checked inside the loop.
//!
//! `cargo bench -p xzqh-benches --bench hierarchy`

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use xzqh::{Hierarchy, UnitId};
use xzqh_benches::{BASELINE, Flat, Rng, XZQH, random_ids};

const N: usize = 1 << 14;

/// The 6-digit GB/T 2260 form of a unit of levels 1–3 (`11` → `110000`).
fn gb_code(code: &str) -> String {
    format!("{code:0<6}")
}

fn bench(c: &mut Criterion) {
    let h: &'static Hierarchy = xzqh::china_with_villages();
    let flat = Flat::new(h);
    let label = format!("{}k", h.len() / 1000);

    // code → unit over every level.
    let ids = random_ids(h, N, 0x9E37_79B9_7F4A_7C15);
    // Queries come from outside (a request, a file): owned strings, not
    // slices of the hierarchy's own code table.
    let codes: Vec<String> = ids
        .iter()
        .map(|&id| h.get(id).unwrap().code().to_owned())
        .collect();
    let mut g = c.benchmark_group(format!("code_to_unit/{label}"));
    let mut i = 0;
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let u = h.by_code(black_box(&codes[i])).expect("known code");
            assert_eq!(u.id(), ids[i]);
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let u = *flat
                .by_code
                .get(black_box(codes[i].as_str()))
                .expect("known code");
            assert_eq!(u, ids[i].get());
        })
    });
    g.finish();

    // code → unit on the codes gb2260 knows (6 digits, levels 1–3).
    let shallow: Vec<(String, UnitId)> = h
        .units()
        .filter(|u| (1..=3).contains(&u.depth()))
        .map(|u| (gb_code(u.code()), u.id()))
        .filter(|(c, _)| gb2260::Division::get(c).is_some())
        .collect();
    assert!(shallow.len() > 2_500, "{} shared codes", shallow.len());
    let mut rng = Rng(7);
    let gb: Vec<(String, UnitId)> = (0..N)
        .map(|_| shallow[rng.below(shallow.len())].clone())
        .collect();
    let flat6: hashbrown::HashMap<String, u32> = shallow
        .iter()
        .map(|(c, id)| (c.clone(), id.get()))
        .collect();
    let mut g = c.benchmark_group("code_to_unit/gb2260_codes");
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (code, id) = &gb[i];
            let u = h.by_code(black_box(code)).expect("known code");
            assert_eq!(u.id(), *id);
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (code, id) = &gb[i];
            let u = *flat6.get(black_box(code.as_str())).expect("known code");
            assert_eq!(u, id.get());
        })
    });
    g.bench_function("peer:gb2260", |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (code, _) = &gb[i];
            let d = gb2260::Division::get(black_box(code)).expect("known code");
            assert_eq!(d.code.len(), 6);
        })
    });
    g.finish();

    // The ancestor chain of a random unit (every level), walked to the root.
    let depths: Vec<usize> = ids.iter().map(|&id| h.get(id).unwrap().depth()).collect();
    let mut g = c.benchmark_group(format!("ancestors/{label}"));
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let u = h.get(black_box(ids[i])).expect("known id");
            let mut n = 0;
            for a in u.ancestors() {
                n += 1;
                black_box(a.id());
            }
            assert_eq!(n, depths[i]);
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let mut u = black_box(ids[i]).get();
            let mut n = 0;
            while u != 0 {
                u = flat.parent[u as usize];
                n += 1;
                black_box(u);
            }
            assert_eq!(n, depths[i]);
        })
    });
    g.finish();

    // The ancestor chain of a county, as gb2260 answers it (`stack()`,
    // the county included).
    let counties: Vec<&(String, UnitId)> = shallow
        .iter()
        .filter(|(_, id)| h.get(*id).unwrap().depth() == 3)
        .collect();
    let county: Vec<(UnitId, gb2260::Division)> = (0..N)
        .map(|_| {
            loop {
                // Skip the few counties gb2260's 2016 table files elsewhere.
                let (code, id) = counties[rng.below(counties.len())];
                let d = gb2260::Division::get(code).expect("known code");
                if d.stack().len() == 3 {
                    break (*id, d);
                }
            }
        })
        .collect();
    let mut g = c.benchmark_group("ancestors/county");
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let u = h.get(black_box(county[i].0)).expect("known id");
            let mut n = 0;
            for a in u.ancestors() {
                n += 1;
                black_box(a.id());
            }
            assert_eq!(n, 3);
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let mut u = black_box(county[i].0).get();
            let mut n = 0;
            while u != 0 {
                u = flat.parent[u as usize];
                n += 1;
                black_box(u);
            }
            assert_eq!(n, 3);
        })
    });
    g.bench_function("peer:gb2260", |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let stack = black_box(&county[i].1).stack();
            assert_eq!(stack.len(), 3);
        })
    });
    g.finish();

    // A single name → its one unit: county-level and above names that name
    // one unit only, in the full form cpca also reads.
    let names = h.names();
    let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
    for u in h.units() {
        by_name
            .entry(u.name().to_owned())
            .or_default()
            .push(u.id().get());
    }
    let parser = cpca::AddressParser::global();
    let unique: Vec<(&'static str, UnitId)> = counties
        .iter()
        .map(|(_, id)| h.get(*id).unwrap())
        .filter(|u| by_name[u.name()].len() == 1)
        .filter(|u| parser.parse(u.name()).has_district())
        .map(|u| (u.name(), u.id()))
        .collect();
    assert!(unique.len() > 1_000, "{} unique names", unique.len());
    let queries: Vec<(&'static str, UnitId)> =
        (0..N).map(|_| unique[rng.below(unique.len())]).collect();
    let mut g = c.benchmark_group("name_to_unit/unique_county");
    g.bench_function(XZQH, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (name, id) = queries[i];
            let u = names.lookup(black_box(name)).expect("one unit");
            assert_eq!(u.id(), id);
        })
    });
    g.bench_function(BASELINE, |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (name, id) = queries[i];
            let u = by_name.get(black_box(name)).expect("known name");
            assert_eq!(u.as_slice(), [id.get()]);
        })
    });
    g.bench_function("peer:cpca", |b| {
        b.iter(|| {
            i = (i + 1) & (N - 1);
            let (name, _) = queries[i];
            let p = parser.parse(black_box(name));
            assert!(p.has_district());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
