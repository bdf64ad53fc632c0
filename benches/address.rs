//! Resolve one free-text address on China's township-level data: xzqh's
//! resolver against the naive way (every unit name and short form tried
//! with `str::find`, keeping the deepest hit with the most hit ancestors).
//!
//! The addresses are real townships drawn at random (seeded) and written in
//! the six forms of `tests/address_accuracy.rs` with street text after them,
//! so each iteration reads a different part of the automaton and hierarchy:
//! 4096 of them, far more than the caches hold. The same resolver on the
//! first 256 of them over and over (their names stay in cache, as for a
//! hotline whose calls come from one city) shows what the cache misses cost.
//! The `cpca` crate (the Rust port of cpca, the fastest existing Chinese
//! address parser; it reads provinces, cities and counties only, from
//! 3,600 records) parses the same addresses in the same run.
//!
//! `cargo bench -p xzqh-benches --bench address -- --warm-up-time 1 --measurement-time 3`

use std::collections::HashSet;
use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use xzqh::china::{COUNTY, PREFECTURAL, PROVINCIAL, TOWNSHIP, short_forms};
use xzqh::{Hierarchy, Unit, UnitId};

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

const STREETS: [&str; 6] = [
    "科技园路12号",
    "人民路88号3栋201室",
    "建设大道5号",
    "幸福小区7栋",
    "",
    "解放路101号",
];

fn short(u: Unit<'_>) -> String {
    short_forms(u.name())
        .into_iter()
        .next()
        .unwrap_or_else(|| u.name().to_owned())
}

/// A township written in form `form` (0..6), then street text.
fn address(t: Unit<'_>, form: usize, street: &str) -> String {
    let mut chain: Vec<Unit<'_>> = t.ancestors().filter(|a| a.parent().is_some()).collect();
    chain.reverse();
    chain.push(t);
    let mut s = String::new();
    for u in &chain {
        let l = u.level();
        let part = match form {
            0 => u.name().to_owned(),
            1 if l == PROVINCIAL => continue,
            1 => u.name().to_owned(),
            2 if l == PROVINCIAL => continue,
            2 if l == PREFECTURAL => short(*u),
            3 if l == PROVINCIAL || l == PREFECTURAL => short(*u),
            4 if l < COUNTY => continue,
            5 if l < COUNTY => continue,
            5 if l == COUNTY => short(*u),
            _ => u.name().to_owned(),
        };
        s.push_str(&part);
    }
    s.push_str(street);
    s
}

fn addresses(h: &Hierarchy, n: usize) -> Vec<String> {
    let towns: Vec<Unit<'_>> = h.units().filter(|u| u.level() == TOWNSHIP).collect();
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let t = towns[rng.below(towns.len())];
            address(t, i % 6, STREETS[rng.below(STREETS.len())])
        })
        .collect()
}

/// The naive way: every name and short form with `str::find`, then the hit
/// with the most hit ancestors (consistency), deepest on ties.
struct Naive<'h> {
    h: &'h Hierarchy,
    names: Vec<(String, Unit<'h>)>,
}

impl<'h> Naive<'h> {
    fn new(h: &'h Hierarchy) -> Self {
        let mut names = Vec::new();
        for u in h.units().skip(1) {
            names.push((u.name().to_owned(), u));
            for f in short_forms(u.name()) {
                names.push((f, u));
            }
        }
        Naive { h, names }
    }

    fn resolve(&self, text: &str) -> Option<Unit<'h>> {
        let hits: HashSet<UnitId> = self
            .names
            .iter()
            .filter(|(name, _)| text.contains(name.as_str()))
            .map(|&(_, u)| u.id())
            .collect();
        hits.iter()
            .filter_map(|&id| self.h.get(id))
            .max_by_key(|u| {
                let consistent = u.ancestors().filter(|a| hits.contains(&a.id())).count();
                (consistent, u.depth(), std::cmp::Reverse(u.id()))
            })
    }
}

/// Benchmarks `parse` on `texts` in turn, one text per iteration.
fn over<R>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    texts: &[String],
    parse: impl Fn(&str) -> R,
) {
    let mut i = 0;
    g.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(parse(black_box(&texts[i])))
        })
    });
}

fn bench(c: &mut Criterion) {
    let h = xzqh::china();
    let resolver = h.addresses().expect("china's names fit");
    let texts = addresses(h, 4096);
    let mut g = c.benchmark_group("address");
    let (random, warm) = (&texts[..], &texts[..256]);
    let xzqh = |t: &str| resolver.resolve(t).unit().map(|u| u.id());
    over(&mut g, "resolve one random address: xzqh", random, xzqh);
    over(
        &mut g,
        "resolve one of 256 addresses (warm cache): xzqh",
        warm,
        xzqh,
    );
    // The fastest existing Chinese address parser, on the same addresses.
    let cpca = cpca::AddressParser::new();
    let cpca = |t: &str| cpca.parse(t);
    over(
        &mut g,
        "resolve one random address: cpca (county level only)",
        random,
        cpca,
    );
    over(
        &mut g,
        "resolve one of 256 addresses (warm cache): cpca",
        warm,
        cpca,
    );
    let naive = Naive::new(h);
    g.sample_size(10);
    over(
        &mut g,
        "resolve one random address: naive str::find",
        random,
        |t| naive.resolve(t),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
